/* SPDX-License-Identifier: BSD-3-Clause */
/* lib/core/tw_addr: both families' text, RFC 5952 output, prefixes. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "tw_addr.h"
#include "tw_compiler.h"

/* Parse s as an address and print it back. */
static const char *
roundtrip(const char *s, char *buf, size_t len)
{
	struct tw_addr a;

	if (tw_addr_parse(s, &a) != 0)
		return "(invalid)";
	return tw_addr_str(&a, buf, len);
}

static void
test_v4(void **state TW_UNUSED)
{
	char b[TW_ADDR_STRLEN];
	struct tw_addr a;
	uint32_t v4;

	assert_int_equal(tw_addr_parse("192.0.2.1", &a), 0);
	assert_int_equal(a.family, TW_AF_INET);
	assert_int_equal(a.v4, 0xc0000201);
	assert_string_equal(tw_addr_str(&a, b, sizeof(b)), "192.0.2.1");
	/* Leading zeros (octal with inet_aton), short forms, junk. */
	assert_int_equal(tw_addr_parse("010.0.0.1", &a), -EINVAL);
	assert_int_equal(tw_addr_parse("10.1", &a), -EINVAL);
	assert_int_equal(tw_addr_parse("10.0.0.256", &a), -EINVAL);
	assert_int_equal(tw_addr_parse("10.0.0.1 ", &a), -EINVAL);
	assert_int_equal(tw_addr_parse("", &a), -EINVAL);
	assert_int_equal(tw_addr_parse(NULL, &a), -EINVAL);
	/* The IPv4-only form: the same text, no IPv6. */
	assert_int_equal(tw_addr4_parse("198.51.100.7", &v4), 0);
	assert_int_equal(v4, 0xc6336407);
	assert_int_equal(tw_addr4_parse("010.0.0.1", &v4), -EINVAL);
	assert_int_equal(tw_addr4_parse("10.0.0.1/8", &v4), -EINVAL);
	assert_int_equal(tw_addr4_parse("::ffff:10.0.0.1", &v4), -EINVAL);
	assert_int_equal(tw_addr4_parse(NULL, &v4), -EINVAL);
}

static void
test_v6_parse(void **state TW_UNUSED)
{
	static const uint8_t db8_1[16] = { 0x20, 0x01, 0x0d, 0xb8,
					   [15] = 1 };
	static const uint8_t mapped[16] = { [10] = 0xff, [11] = 0xff,
					    192, 0, 2, 33 };
	struct tw_addr a;
	uint8_t v6[16];

	assert_int_equal(tw_addr_parse("2001:db8::1", &a), 0);
	assert_int_equal(a.family, TW_AF_INET6);
	assert_memory_equal(a.v6, db8_1, 16);
	assert_int_equal(tw_addr6_parse("2001:DB8:0:0:0:0:0:1", v6), 0);
	assert_memory_equal(v6, db8_1, 16);
	assert_int_equal(tw_addr6_parse("2001:0db8:0000::0001", v6), 0);
	assert_memory_equal(v6, db8_1, 16);
	assert_int_equal(tw_addr6_parse("::ffff:192.0.2.33", v6), 0);
	assert_memory_equal(v6, mapped, 16);
	assert_int_equal(tw_addr6_parse("::", v6), 0);
	assert_int_equal(tw_addr6_parse("1:2:3:4:5:6:7::", v6), 0);
	assert_int_equal(v6[13], 7);
	assert_int_equal(v6[15], 0);
	/* RFC 4291 2.2 violations. */
	static const char *const bad[] = {
		"2001:db8::1::2", ":1", "1:", "1:2:3:4:5:6:7:8:9",
		"1:2:3:4:5:6:7", "12345::", "2001:db8::g", ":::",
		"1:2:3:4:5:6:7:8::", "::1.2.3", "::1.2.3.4:5",
		"1:2:3:4:5:6:7:1.2.3.4", "fe80::1%eth0", "2001:db8::1/64",
		"::010.1.1.1", "1::2:", " ::1",
	};
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (tw_addr6_parse(bad[i], v6) != -EINVAL)
			fail_msg("'%s' parsed", bad[i]);
		assert_int_equal(tw_addr_parse(bad[i], &a), -EINVAL);
	}
	/* IPv4 text is not IPv6 text. */
	assert_int_equal(tw_addr6_parse("192.0.2.1", v6), -EINVAL);
}

/* RFC 5952 4 and 5, with its own examples. */
static void
test_v6_format(void **state TW_UNUSED)
{
	char b[TW_ADDR_STRLEN];

	assert_string_equal(roundtrip("2001:0db8::0001", b, sizeof(b)),
			    "2001:db8::1");
	/* 4.2.2: a single zero group is not compressed. */
	assert_string_equal(roundtrip("2001:db8:0:1:1:1:1:1", b, sizeof(b)),
			    "2001:db8:0:1:1:1:1:1");
	/* 4.2.3: the longest run; on a tie the first. */
	assert_string_equal(roundtrip("2001:0:0:1:0:0:0:1", b, sizeof(b)),
			    "2001:0:0:1::1");
	assert_string_equal(roundtrip("2001:db8:0:0:1:0:0:1", b, sizeof(b)),
			    "2001:db8::1:0:0:1");
	/* 4.3: lower case. */
	assert_string_equal(roundtrip("2001:DB8::ABCD", b, sizeof(b)),
			    "2001:db8::abcd");
	assert_string_equal(roundtrip("::", b, sizeof(b)), "::");
	assert_string_equal(roundtrip("::1", b, sizeof(b)), "::1");
	assert_string_equal(roundtrip("fe80::", b, sizeof(b)), "fe80::");
	assert_string_equal(roundtrip("1:2:3:4:5:6::", b, sizeof(b)),
			    "1:2:3:4:5:6::");
	/* 5: IPv4-mapped keeps its dotted quad. */
	assert_string_equal(roundtrip("::ffff:c000:221", b, sizeof(b)),
			    "::ffff:192.0.2.33");
	/* The longest text fits TW_ADDR_STRLEN. */
	assert_string_equal(roundtrip("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
				      b, sizeof(b)),
			    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
	/* A short buffer truncates, never overflows. */
	char small[8];

	memset(small, 'x', sizeof(small));
	roundtrip("2001:db8:1:2:3:4:5:6", small, sizeof(small));
	assert_int_equal(small[sizeof(small) - 1], '\0');
}

static void
test_prefix(void **state TW_UNUSED)
{
	struct tw_prefix p, q, d;
	struct tw_addr a;
	char b[TW_PREFIX_STRLEN];

	assert_int_equal(tw_prefix_parse("2001:db8:1::1/64", &p), 0);
	assert_int_equal(p.len, 64);
	assert_false(tw_prefix_is_network(&p));
	assert_string_equal(tw_prefix_str(&p, b, sizeof(b)),
			    "2001:db8:1::1/64");
	q = p;
	tw_prefix_network(&q);
	assert_true(tw_prefix_is_network(&q));
	assert_string_equal(tw_prefix_str(&q, b, sizeof(b)), "2001:db8:1::/64");
	assert_int_equal(tw_addr_parse("2001:db8:1::ffff:1", &a), 0);
	assert_true(tw_prefix_contains(&q, &a));
	assert_int_equal(tw_addr_parse("2001:db8:2::1", &a), 0);
	assert_false(tw_prefix_contains(&q, &a));
	/* Lengths not on a byte boundary. */
	assert_int_equal(tw_prefix_parse("2001:db8:ff::/41", &d), 0);
	assert_false(tw_prefix_is_network(&d));
	assert_int_equal(tw_prefix_parse("2001:db8:80::/41", &d), 0);
	assert_true(tw_prefix_is_network(&d));
	assert_int_equal(tw_addr_parse("2001:db8:ff::", &a), 0);
	assert_true(tw_prefix_contains(&d, &a));
	assert_int_equal(tw_addr_parse("2001:db8:7f::", &a), 0);
	assert_false(tw_prefix_contains(&d, &a));
	assert_int_equal(tw_prefix_parse("2001:db8::/32", &d), 0);
	assert_true(tw_prefix_overlaps(&d, &q));
	assert_true(tw_prefix_overlaps(&q, &d));
	assert_int_equal(tw_prefix_parse("::/0", &d), 0);
	assert_true(tw_prefix_contains(&d, &a));
	/* No match across families. */
	assert_int_equal(tw_prefix_parse("0.0.0.0/0", &d), 0);
	assert_false(tw_prefix_contains(&d, &a));
	assert_false(tw_prefix_overlaps(&d, &q));
	assert_int_equal(tw_prefix_parse("192.0.2.255/24", &d), 0);
	assert_true(tw_prefix_host_all_ones(&d));
	/* Bad lengths and forms. */
	assert_int_equal(tw_prefix_parse("2001:db8::/129", &d), -EINVAL);
	assert_int_equal(tw_prefix_parse("192.0.2.0/33", &d), -EINVAL);
	assert_int_equal(tw_prefix_parse("2001:db8::/064", &d), -EINVAL);
	assert_int_equal(tw_prefix_parse("2001:db8::", &d), -EINVAL);
	assert_int_equal(tw_prefix_parse("2001:db8::/", &d), -EINVAL);
	assert_int_equal(tw_prefix_parse("2001:db8::/64x", &d), -EINVAL);
}

static void
test_classes(void **state TW_UNUSED)
{
	static const uint8_t mac[6] = { 0x02, 0x00, 0x5e, 0x10, 0x20, 0x30 };
	uint8_t v6[16], out[16], m[6];
	char b[TW_ADDR_STRLEN];

	assert_int_equal(tw_addr6_parse("2001:db8::1", v6), 0);
	assert_true(tw_addr6_is_unicast(v6));
	tw_addr6_solicited_node(v6, out);
	assert_string_equal(tw_addr6_str(out, b, sizeof(b)), "ff02::1:ff00:1");
	tw_addr6_mcast_mac(out, m);
	assert_int_equal(m[0], 0x33);
	assert_int_equal(m[2], 0xff);
	assert_int_equal(m[5], 0x01);
	static const char *const not_unicast[] = {
		"::", "::1", "ff02::1", "fe80::1", "::ffff:192.0.2.1",
	};
	unsigned int i;

	for (i = 0; i < sizeof(not_unicast) / sizeof(not_unicast[0]); i++) {
		assert_int_equal(tw_addr6_parse(not_unicast[i], v6), 0);
		if (tw_addr6_is_unicast(v6))
			fail_msg("'%s' is unicast", not_unicast[i]);
	}
	/* RFC 4291 appendix A: the U/L bit is inverted. */
	tw_addr6_link_local(mac, out);
	assert_string_equal(tw_addr6_str(out, b, sizeof(b)),
			    "fe80::5eff:fe10:2030");
	assert_true(tw_addr6_is_link_local(out));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_v4),
		cmocka_unit_test(test_v6_parse),
		cmocka_unit_test(test_v6_format),
		cmocka_unit_test(test_prefix),
		cmocka_unit_test(test_classes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
