/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TW_COMPILER_H
#define TW_COMPILER_H

/*
 * Compiler attributes with one spelling for the whole tree: lib/ builds
 * without DPDK, so it cannot use __rte_unused, and the fast path uses these
 * too rather than a second convention.
 */

#include <stdint.h>

/*
 * A parameter unused on purpose (a callback's or cmocka's fixed signature),
 * after its name as DPDK's __rte_unused: `void *arg TW_UNUSED`. The build
 * has -Wunused-parameter on, so any other unused parameter is an error.
 */
#define TW_UNUSED __attribute__((unused))

/*
 * For an API that takes a non-const pointer to memory it only reads
 * (OpenSSL's OSSL_PARAM constructors, posix_spawn()'s argv, struct iovec for
 * sendmsg()): drops const through uintptr_t, which -Wcast-qual does not
 * look through, so that it keeps flagging every other cast. One named,
 * grep-able place instead of a pragma around each call. Never use it for
 * memory the callee may write.
 */
#define TW_UNCONST(type, p) ((type)(uintptr_t)(p))

#endif /* TW_COMPILER_H */
