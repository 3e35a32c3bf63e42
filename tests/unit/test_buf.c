/* SPDX-License-Identifier: BSD-3-Clause */
/* lib/core tw_buf.h: big-endian fields, sticky errors at every boundary. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "tw_buf.h"
#include "tw_bytes.h"
#include "tw_compiler.h"

static void
test_round_trip(void **state TW_UNUSED)
{
	uint8_t buf[32], raw[3];
	struct tw_buf_w w;
	struct tw_buf_r r;

	tw_buf_w_init(&w, buf, sizeof(buf));
	tw_buf_w_u8(&w, 0x12);
	tw_buf_w_u16(&w, 0x3456);
	tw_buf_w_u32(&w, 0x789abcde);
	tw_buf_w_u64(&w, 0x0102030405060708ULL);
	tw_buf_w_bytes(&w, "abc", 3);
	tw_buf_w_u16(&w, 0);
	tw_buf_w_patch16(&w, w.off - 2, 0xbeef);
	assert_false(w.err);
	assert_int_equal(w.off, 1 + 2 + 4 + 8 + 3 + 2);
	assert_int_equal(buf[1], 0x34);
	assert_int_equal(buf[3], 0x78);
	assert_int_equal(buf[7], 0x01);

	tw_buf_r_init(&r, buf, w.off);
	assert_int_equal(tw_buf_r_u8(&r), 0x12);
	assert_int_equal(tw_buf_r_u16(&r), 0x3456);
	assert_int_equal(tw_buf_r_u32(&r), 0x789abcde);
	assert_true(tw_buf_r_u64(&r) == 0x0102030405060708ULL);
	tw_buf_r_bytes(&r, raw, 3);
	assert_memory_equal(raw, "abc", 3);
	assert_int_equal(tw_buf_r_u16(&r), 0xbeef);
	assert_int_equal(tw_buf_r_left(&r), 0);
	assert_false(r.err);
}

/* Every short buffer: reads past the end fail, stay failed, return 0. */
static void
test_sticky_read(void **state TW_UNUSED)
{
	const uint8_t buf[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	struct tw_buf_r r;
	size_t n;

	for (n = 0; n < sizeof(buf); n++) {
		tw_buf_r_init(&r, buf, n);
		assert_true(tw_buf_r_u64(&r) == 0);
		assert_true(r.err);
		assert_int_equal(tw_buf_r_left(&r), 0);
		/* Sticky: even a byte that would fit is refused now. */
		assert_int_equal(tw_buf_r_u8(&r), 0);
		assert_null(tw_buf_r_take(&r, 0));
	}
	tw_buf_r_init(&r, buf, 3);
	assert_non_null(tw_buf_r_take(&r, 3));
	assert_non_null(tw_buf_r_take(&r, 0));
	assert_null(tw_buf_r_take(&r, SIZE_MAX));
	assert_true(r.err);
}

static void
test_sticky_write(void **state TW_UNUSED)
{
	uint8_t buf[5];
	struct tw_buf_w w;

	memset(buf, 0xaa, sizeof(buf));
	tw_buf_w_init(&w, buf, 3);
	tw_buf_w_u16(&w, 0x0102);
	tw_buf_w_u16(&w, 0x0304);   /* does not fit: nothing written */
	assert_true(w.err);
	tw_buf_w_u8(&w, 0x05);      /* would fit, but the writer failed */
	assert_int_equal(buf[2], 0xaa);
	assert_int_equal(buf[3], 0xaa);
	tw_buf_w_patch16(&w, 0, 0xffff);
	assert_int_equal(buf[0], 0x01);
	assert_null(tw_buf_w_take(&w, 0));
}

/* tw_hex_digit(): key material, MACs and IPv6 groups read with it. */
static void
test_hex_digit(void **state TW_UNUSED)
{
	static const char bad[] = "gG/:@`xX -";
	unsigned int i;

	assert_int_equal(tw_hex_digit('0'), 0);
	assert_int_equal(tw_hex_digit('9'), 9);
	assert_int_equal(tw_hex_digit('a'), 10);
	assert_int_equal(tw_hex_digit('F'), 15);
	assert_int_equal(tw_hex_digit('f'), 15);
	assert_int_equal(tw_hex_digit('A'), 10);
	for (i = 0; i < sizeof(bad) - 1; i++)
		assert_int_equal(tw_hex_digit(bad[i]), -1);
	assert_int_equal(tw_hex_digit('\0'), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_sticky_read),
		cmocka_unit_test(test_sticky_write),
		cmocka_unit_test(test_hex_digit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
