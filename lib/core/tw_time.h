/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TW_TIME_H
#define TW_TIME_H

/*
 * Time in lib/ is a plain count of nanoseconds on a monotonic clock that the
 * caller reads (the app from CLOCK_MONOTONIC, unit tests from a fake clock).
 * Protocol cores never read a clock themselves.
 */

#include <stdint.h>

typedef uint64_t tw_time_t;

#define TW_NSEC_PER_USEC 1000ULL
#define TW_NSEC_PER_MSEC 1000000ULL
#define TW_NSEC_PER_SEC 1000000000ULL

#define TW_MSEC(ms) ((tw_time_t)(ms) * TW_NSEC_PER_MSEC)
#define TW_SEC(s) ((tw_time_t)(s) * TW_NSEC_PER_SEC)

#define TW_TIME_NEVER UINT64_MAX

#endif /* TW_TIME_H */
