/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A target with undefined behaviour on every non-empty input (a signed
 * int overflow), for the meson test that checks the corpus replay stops
 * on a UBSan finding (tests/fuzz/meson.build). Its own file, compiled
 * like lib/, so the test shows UBSAN_OPTIONS makes a finding in library
 * code fatal, not only -fno-sanitize-recover in the target.
 */
#include <limits.h>
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	volatile int big = INT_MAX;
	int sum;

	if (size == 0)
		return 0;
	sum = big + data[0] + 1;  /* overflows: data[0] >= 0 */
	return sum == 0 ? -1 : 0;
}
