/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * HSRP codec: v1 and v2 layouts against hand-assembled bytes, round trips,
 * truncated and malformed packets, bounds of the encoder, and the MD5
 * digest against packets captured from Cisco routers (the test vectors of
 * John the Ripper's "hsrp" format: packet with the digest zeroed, key,
 * expected digest).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "hsrp_codec.h"
#include "tw_compiler.h"

static size_t
unhex(const char *s, uint8_t *out, size_t max)
{
	size_t n = 0;
	unsigned int b;

	while (s[0] != '\0' && s[1] != '\0' && n < max) {
		assert_int_equal(sscanf(s, "%2x", &b), 1);
		out[n++] = (uint8_t)b;
		s += 2;
	}
	return n;
}

/* v1 Hello as RFC 2281 5.1 lays it out: Active, 3/10 s, prio 120, group 1,
 * "cisco", 192.168.1.1. */
static const uint8_t v1_hello[HSRP_V1_LEN] = {
	0x00, 0x00, 0x10, 0x03, 0x0a, 0x78, 0x01, 0x00,
	'c', 'i', 's', 'c', 'o', 0, 0, 0,
	0xc0, 0xa8, 0x01, 0x01,
};

struct md5_vector {
	const char *pkt;    /* digest zeroed */
	const char *digest;
	const char *key;
};

static const struct md5_vector md5_vectors[] = {
	/* v1 header + MD5 TLV: Speak, group 1, VIP 10.0.0.100 */
	{ "000004030a64010000000000000000000a000064041c010000000a000014"
	  "0000000000000000000000000000000000000000",
	  "52e1db09d18d695b8fefb3730ff8d9d6", "password12345" },
	/* v2: Active, group 1, prio 100, 3000/10000 ms, VIP 10.0.0.100 */
	{ "0128020006040001aabbcc000a000000006400000bb8000027100a000064"
	  "000000000000000000000000041c010000000a00000a0000000000000000"
	  "000000000000000000000000",
	  "642fedafe1f374bd2fdd8f1ba81d87a2", "password" },
	{ "0128020006040001aabbcc001400000000c800000bb8000027100a000064"
	  "000000000000000000000000041c010000000a0000140000000000000000"
	  "000000000000000000000000",
	  "0481257f0fe583b275f03a48e88de72f", "password12345" },
};

static void
test_v1_decode_layout(void **state TW_UNUSED)
{
	struct hsrp_msg m;
	const char *why = NULL;

	assert_int_equal(hsrp_decode(v1_hello, sizeof(v1_hello), &m, &why), 0);
	assert_int_equal(m.version, 1);
	assert_int_equal(m.op, HSRP_OP_HELLO);
	assert_int_equal(m.state, HSRP_STATE_ACTIVE);
	assert_int_equal(m.hello_ms, 3000);
	assert_int_equal(m.hold_ms, 10000);
	assert_int_equal(m.priority, 120);
	assert_int_equal(m.group, 1);
	assert_int_equal(m.auth, HSRP_AUTH_TEXT);
	assert_memory_equal(m.text, "cisco\0\0\0", 8);
	assert_int_equal(m.vip, 0xc0a80101);
}

static void
test_v1_encode_bytes(void **state TW_UNUSED)
{
	struct hsrp_msg m;
	uint8_t buf[64];

	memset(&m, 0, sizeof(m));
	m.version = 1;
	m.op = HSRP_OP_HELLO;
	m.state = HSRP_STATE_ACTIVE;
	m.hello_ms = 3000;
	m.hold_ms = 10000;
	m.priority = 120;
	m.group = 1;
	m.auth = HSRP_AUTH_TEXT;
	memcpy(m.text, "cisco", 5);
	m.vip = 0xc0a80101;
	assert_int_equal(hsrp_encode(&m, NULL, buf, sizeof(buf)), HSRP_V1_LEN);
	assert_memory_equal(buf, v1_hello, HSRP_V1_LEN);
	/* Sub-second timers go out rounded up to whole seconds. */
	m.hello_ms = 100;
	m.hold_ms = 1500;
	assert_int_equal(hsrp_encode(&m, NULL, buf, sizeof(buf)), HSRP_V1_LEN);
	assert_int_equal(buf[3], 1);
	assert_int_equal(buf[4], 2);
}

static struct hsrp_msg
v2_msg(enum hsrp_auth_type auth)
{
	struct hsrp_msg m;
	static const uint8_t id[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };

	memset(&m, 0, sizeof(m));
	m.version = 2;
	m.op = HSRP_OP_HELLO;
	m.state = HSRP_STATE_STANDBY;
	m.group = 4095;
	m.priority = 0x01020304;
	m.hello_ms = 100;
	m.hold_ms = 300;
	m.vip = 0x0a000001;
	memcpy(m.id, id, 6);
	m.auth = auth;
	if (auth == HSRP_AUTH_TEXT)
		memcpy(m.text, "secret12", 8);
	if (auth == HSRP_AUTH_MD5) {
		m.md5_algo = HSRP_MD5_ALGO;
		m.md5_ip = 0x0a000002;
		m.md5_key_id = 7;
	}
	return m;
}

static void
test_v2_encode_layout(void **state TW_UNUSED)
{
	struct hsrp_msg m = v2_msg(HSRP_AUTH_TEXT);
	uint8_t buf[128];
	int n;

	n = hsrp_encode(&m, NULL, buf, sizeof(buf));
	assert_int_equal(n, HSRP_V2_GS_LEN + HSRP_TEXT_TLV_LEN);
	/* Group state TLV, field by field (Wireshark packet-hsrp.c). */
	assert_int_equal(buf[0], 1);
	assert_int_equal(buf[1], 40);
	assert_int_equal(buf[2], 2);              /* version */
	assert_int_equal(buf[3], 0);              /* hello */
	assert_int_equal(buf[4], 5);              /* Standby */
	assert_int_equal(buf[5], 4);              /* IPv4 */
	assert_int_equal(buf[6], 0x0f);           /* group 4095 */
	assert_int_equal(buf[7], 0xff);
	assert_memory_equal(buf + 8, m.id, 6);
	assert_memory_equal(buf + 14, "\x01\x02\x03\x04", 4);
	assert_memory_equal(buf + 18, "\x00\x00\x00\x64", 4);
	assert_memory_equal(buf + 22, "\x00\x00\x01\x2c", 4);
	assert_memory_equal(buf + 26, "\x0a\x00\x00\x01", 4);
	assert_memory_equal(buf + 30, "\0\0\0\0\0\0\0\0\0\0\0\0", 12);
	/* Text authentication TLV. */
	assert_int_equal(buf[42], 3);
	assert_int_equal(buf[43], 8);
	assert_memory_equal(buf + 44, "secret12", 8);
	/* Without authentication: the group state TLV alone. */
	m.auth = HSRP_AUTH_NONE;
	assert_int_equal(hsrp_encode(&m, NULL, buf, sizeof(buf)),
			 HSRP_V2_GS_LEN);
}

static void
assert_msg_equal(const struct hsrp_msg *a, const struct hsrp_msg *b)
{
	assert_int_equal(a->version, b->version);
	assert_int_equal(a->op, b->op);
	assert_int_equal(a->state, b->state);
	assert_int_equal(a->group, b->group);
	assert_int_equal(a->priority, b->priority);
	assert_int_equal(a->hello_ms, b->hello_ms);
	assert_int_equal(a->hold_ms, b->hold_ms);
	assert_int_equal(a->vip, b->vip);
	assert_int_equal(a->auth, b->auth);
	if (a->version == 2)
		assert_memory_equal(a->id, b->id, 6);
	if (a->auth == HSRP_AUTH_TEXT)
		assert_memory_equal(a->text, b->text, 8);
	if (a->auth == HSRP_AUTH_MD5) {
		assert_int_equal(a->md5_ip, b->md5_ip);
		assert_int_equal(a->md5_key_id, b->md5_key_id);
	}
}

static void
test_round_trip(void **state TW_UNUSED)
{
	static const enum hsrp_auth_type v2_auths[] = {
		HSRP_AUTH_NONE, HSRP_AUTH_TEXT, HSRP_AUTH_MD5,
	};
	struct hsrp_msg m, d;
	const char *why;
	uint8_t buf[HSRP_PKT_MAX];
	unsigned int op, st, a;
	int n;

	for (op = 0; op < HSRP_OP_MAX; op++) {
		for (st = 0; st < HSRP_STATE_MAX; st++) {
			for (a = 0; a < 3; a++) {
				m = v2_msg(v2_auths[a]);
				m.op = (enum hsrp_op)op;
				m.state = (enum hsrp_state)st;
				n = hsrp_encode(&m, "k3y", buf, sizeof(buf));
				assert_true(n > 0);
				assert_int_equal(hsrp_decode(buf, (size_t)n,
							     &d, &why), 0);
				assert_msg_equal(&m, &d);
				assert_int_equal(hsrp_auth_check(buf, (size_t)n,
					&d, m.auth, "secret12", "k3y", &why), 0);
				/* v1: text or MD5, group and priority a byte */
				if (a == 0)
					continue;
				m.version = 1;
				m.group = 200;
				m.priority = 255;
				m.hello_ms = 1000;
				m.hold_ms = 255000;
				n = hsrp_encode(&m, "k3y", buf, sizeof(buf));
				assert_int_equal(n, a == 2 ? 50 : 20);
				assert_int_equal(hsrp_decode(buf, (size_t)n,
							     &d, &why), 0);
				assert_msg_equal(&m, &d);
				assert_int_equal(hsrp_auth_check(buf, (size_t)n,
					&d, m.auth, "secret12", "k3y", &why), 0);
			}
		}
	}
}

static void
test_state_wire_numbers(void **state TW_UNUSED)
{
	static const uint8_t v1[] = { 0, 1, 2, 4, 8, 16 };
	enum hsrp_state s;
	unsigned int i;

	for (i = 0; i < HSRP_STATE_MAX; i++) {
		assert_int_equal(hsrp_state_to_wire(1, (enum hsrp_state)i),
				 v1[i]);
		assert_int_equal(hsrp_state_to_wire(2, (enum hsrp_state)i),
				 i + 1);
		assert_int_equal(hsrp_state_from_wire(1, v1[i], &s), 0);
		assert_int_equal(s, i);
	}
	assert_int_equal(hsrp_state_from_wire(1, 3, &s), -EINVAL);
	assert_int_equal(hsrp_state_from_wire(2, 0, &s), -EINVAL);
	assert_int_equal(hsrp_state_from_wire(2, 7, &s), -EINVAL);
	assert_string_equal(hsrp_state_name(HSRP_STATE_STANDBY), "Standby");
	assert_string_equal(hsrp_state_name(HSRP_STATE_MAX), "?");
	assert_string_equal(hsrp_op_name(HSRP_OP_COUP), "Coup");
}

static void
test_truncated(void **state TW_UNUSED)
{
	struct hsrp_msg m = v2_msg(HSRP_AUTH_MD5), d;
	const char *why;
	uint8_t buf[HSRP_PKT_MAX];
	size_t i;
	int n;

	n = hsrp_encode(&m, "k", buf, sizeof(buf));
	assert_int_equal(n, HSRP_V2_GS_LEN + HSRP_MD5_TLV_LEN);
	for (i = 0; i < (size_t)n; i++) {
		/* Cutting right after the group state TLV leaves a valid
		 * packet without authentication. */
		if (i == HSRP_V2_GS_LEN)
			continue;
		why = NULL;
		assert_int_equal(hsrp_decode(buf, i, &d, &why), -EINVAL);
		assert_non_null(why);
	}
	for (i = 0; i < HSRP_V1_LEN; i++)
		assert_int_equal(hsrp_decode(v1_hello, i, &d, &why), -EINVAL);
	assert_int_equal(hsrp_decode_v1(v1_hello, 19, &d, &why), -EINVAL);
	assert_string_equal(why, "truncated v1 packet");
}

static void
expect_bad(const uint8_t *p, size_t len, int err, const char *why_want)
{
	struct hsrp_msg d;
	const char *why = NULL;

	memset(&d, 0x5a, sizeof(d));
	assert_int_equal(hsrp_decode(p, len, &d, &why), err);
	assert_non_null(why);
	if (why_want != NULL)
		assert_string_equal(why, why_want);
	/* Nothing written on failure. */
	assert_int_equal(d.version, 0x5a);
}

static void
test_malformed_v1(void **state TW_UNUSED)
{
	uint8_t p[64];

	memcpy(p, v1_hello, HSRP_V1_LEN);
	p[1] = 3;
	expect_bad(p, HSRP_V1_LEN, -ENOTSUP, NULL);
	p[1] = 9;
	expect_bad(p, HSRP_V1_LEN, -EINVAL, "bad op code");
	memcpy(p, v1_hello, HSRP_V1_LEN);
	p[2] = 3;
	expect_bad(p, HSRP_V1_LEN, -EINVAL, "bad state");
	memcpy(p, v1_hello, HSRP_V1_LEN);
	p[0] = 2;
	expect_bad(p, HSRP_V1_LEN, -EINVAL, "bad version");
	assert_int_equal(hsrp_decode_v1(p, HSRP_V1_LEN, (struct hsrp_msg[1]){},
					(const char *[1]){}), -EINVAL);
	/* Trailing junk that is not an MD5 TLV. */
	memcpy(p, v1_hello, HSRP_V1_LEN);
	memset(p + HSRP_V1_LEN, 0, 30);
	expect_bad(p, HSRP_V1_LEN + 4, -EINVAL, NULL);
	expect_bad(p, HSRP_V1_LEN + 30, -EINVAL,
		   "bad TLV after the v1 header");
	p[20] = 4;
	p[21] = 28;
	p[22] = 2; /* not MD5 */
	expect_bad(p, HSRP_V1_LEN + 30, -EINVAL, NULL);
}

static void
test_malformed_v2(void **state TW_UNUSED)
{
	struct hsrp_msg m = v2_msg(HSRP_AUTH_TEXT), d;
	const char *why;
	uint8_t good[HSRP_PKT_MAX + 32], p[sizeof(good)];
	int n;

	n = hsrp_encode(&m, NULL, good, sizeof(good));
	assert_true(n > 0);
#define MUT(off, val, err, msg) do { \
		memcpy(p, good, (size_t)n); \
		p[off] = (val); \
		expect_bad(p, (size_t)n, err, msg); \
	} while (0)
	MUT(1, 39, -EINVAL, NULL);                      /* GS length */
	MUT(2, 3, -EINVAL, "bad version in group state TLV");
	MUT(3, 3, -EINVAL, "bad op code");
	MUT(3, 7, -EINVAL, "bad op code");
	MUT(4, 0, -EINVAL, "bad state");
	MUT(4, 7, -EINVAL, "bad state");
	MUT(5, 5, -EINVAL, "bad IP version");
	MUT(5, 7, -EINVAL, "bad IP version");
	MUT(6, 0x10, -EINVAL, "group number above 4095");
	MUT(43, 9, -EINVAL, NULL);                      /* text TLV len */
	MUT(0, 3, -EINVAL, NULL);                       /* first not GS */
	MUT(0, 7, -EINVAL, "bad version");
#undef MUT
	/* Two group state TLVs. */
	memcpy(p, good, HSRP_V2_GS_LEN);
	memcpy(p + HSRP_V2_GS_LEN, good, HSRP_V2_GS_LEN);
	expect_bad(p, 2 * HSRP_V2_GS_LEN, -EINVAL, "two group state TLVs");
	/* Two authentication TLVs. */
	memcpy(p, good, (size_t)n);
	memcpy(p + n, good + HSRP_V2_GS_LEN, HSRP_TEXT_TLV_LEN);
	expect_bad(p, (size_t)n + HSRP_TEXT_TLV_LEN, -EINVAL,
		   "two authentication TLVs");
	/* A stray byte at the end. */
	memcpy(p, good, (size_t)n);
	p[n] = 0;
	expect_bad(p, (size_t)n + 1, -EINVAL, "truncated TLV header");
	/* An interface state TLV and an unknown one are skipped. */
	memcpy(p, good, (size_t)n);
	memcpy(p + n, "\x02\x04\x00\x01\x00\x00\x63\x00", 8);
	assert_int_equal(hsrp_decode(p, (size_t)n + 8, &d, &why), 0);
	assert_msg_equal(&m, &d);
	/* ... but not one that claims more bytes than there are. */
	p[n + 7] = 1;
	expect_bad(p, (size_t)n + 8, -EINVAL, "TLV runs past the packet");
	expect_bad(p, 0, -EINVAL, "empty packet");
}

static void
test_encode_bounds(void **state TW_UNUSED)
{
	struct hsrp_msg m = v2_msg(HSRP_AUTH_MD5);
	uint8_t buf[HSRP_PKT_MAX];
	size_t need = HSRP_V2_GS_LEN + HSRP_MD5_TLV_LEN, i;

	for (i = 0; i < need; i++)
		assert_int_equal(hsrp_encode(&m, "k", buf, i), -ENOSPC);
	assert_int_equal(hsrp_encode(&m, "k", buf, need), (int)need);
	assert_int_equal(hsrp_encode(&m, NULL, buf, need), -EINVAL);
	m.group = 4096;
	assert_int_equal(hsrp_encode(&m, "k", buf, need), -EINVAL);
	m = v2_msg(HSRP_AUTH_TEXT);
	m.version = 1;
	m.group = 1;
	m.priority = 256;
	assert_int_equal(hsrp_encode(&m, NULL, buf, sizeof(buf)), -EINVAL);
	m.priority = 1;
	m.group = 256;
	assert_int_equal(hsrp_encode(&m, NULL, buf, sizeof(buf)), -EINVAL);
	m.group = 1;
	m.auth = HSRP_AUTH_NONE;
	assert_int_equal(hsrp_encode(&m, NULL, buf, sizeof(buf)), -EINVAL);
	m.auth = HSRP_AUTH_TEXT;
	for (i = 0; i < HSRP_V1_LEN; i++)
		assert_int_equal(hsrp_encode(&m, NULL, buf, i), -ENOSPC);
	m.version = 3;
	assert_int_equal(hsrp_encode(&m, NULL, buf, sizeof(buf)), -EINVAL);
	m.version = 2;
	m.state = HSRP_STATE_MAX;
	assert_int_equal(hsrp_encode(&m, NULL, buf, sizeof(buf)), -EINVAL);
}

static void
test_md5_cisco_vectors(void **state TW_UNUSED)
{
	uint8_t pkt[128], want[16], got[16], again[128];
	struct hsrp_msg m;
	const char *why;
	unsigned int i;
	size_t len;
	int n;

	for (i = 0; i < sizeof(md5_vectors) / sizeof(md5_vectors[0]); i++) {
		len = unhex(md5_vectors[i].pkt, pkt, sizeof(pkt));
		assert_int_equal(unhex(md5_vectors[i].digest, want, 16), 16);
		assert_int_equal(hsrp_md5_digest(pkt, len, len - 16,
						 md5_vectors[i].key, got), 0);
		assert_memory_equal(got, want, 16);
		/* As received: the digest in place, and checked. */
		memcpy(pkt + len - 16, want, 16);
		assert_int_equal(hsrp_decode(pkt, len, &m, &why), 0);
		assert_int_equal(m.auth, HSRP_AUTH_MD5);
		assert_int_equal(m.digest_off, len - 16);
		assert_memory_equal(m.digest, want, 16);
		assert_int_equal(hsrp_auth_check(pkt, len, &m, HSRP_AUTH_MD5,
			NULL, md5_vectors[i].key, &why), 0);
		assert_int_equal(hsrp_auth_check(pkt, len, &m, HSRP_AUTH_MD5,
			NULL, "wrong", &why), -EACCES);
		assert_string_equal(why, "MD5 digest mismatch");
		assert_int_equal(hsrp_auth_check(pkt, len, &m, HSRP_AUTH_TEXT,
			"cisco", NULL, &why), -EACCES);
		/* Our encoder reproduces the router's packet byte for byte. */
		n = hsrp_encode(&m, md5_vectors[i].key, again, sizeof(again));
		assert_int_equal(n, (int)len);
		assert_memory_equal(again, pkt, len);
	}
	/* The v2 vector's fields. */
	len = unhex(md5_vectors[1].pkt, pkt, sizeof(pkt));
	assert_int_equal(hsrp_decode(pkt, len, &m, &why), 0);
	assert_int_equal(m.version, 2);
	assert_int_equal(m.state, HSRP_STATE_ACTIVE);
	assert_int_equal(m.group, 1);
	assert_memory_equal(m.id, "\xaa\xbb\xcc\x00\x0a\x00", 6);
	assert_int_equal(m.priority, 100);
	assert_int_equal(m.hello_ms, 3000);
	assert_int_equal(m.hold_ms, 10000);
	assert_int_equal(m.vip, 0x0a000064);
	assert_int_equal(m.md5_ip, 0x0a00000a);
	assert_int_equal(m.md5_key_id, 0);
	/* A long key spans two blocks of key fill; too long is refused. */
	assert_int_equal(hsrp_md5_digest(pkt, len, len - 16,
		"0123456789012345678901234567890123456789012345678901234567890",
		got), 0);
	assert_int_equal(hsrp_md5_digest(pkt, len, len - 16,
		"01234567890123456789012345678901234567890123456789012345678901234",
		got), -EINVAL);
	assert_int_equal(hsrp_md5_digest(pkt, len, len - 15, "k", got),
			 -EINVAL);
}

/*
 * HSRP version 2 for IPv6, assembled by hand: group state TLV with
 * ip-version 6, Active Hello, group 1, identifier aabb.cc00.0100,
 * priority 100, 3000/10000 ms, virtual address fe80::5:73ff:fea0:1
 * (the default of group 1), then the text authentication TLV "cisco".
 */
static const uint8_t v6_hello[HSRP_V2_GS_LEN + HSRP_TEXT_TLV_LEN] = {
	0x01, 0x28, 0x02, 0x00, 0x06, 0x06, 0x00, 0x01,
	0xaa, 0xbb, 0xcc, 0x00, 0x01, 0x00,
	0x00, 0x00, 0x00, 0x64, 0x00, 0x00, 0x0b, 0xb8, 0x00, 0x00, 0x27, 0x10,
	0xfe, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x05, 0x73, 0xff, 0xfe, 0xa0, 0x00, 0x01,
	0x03, 0x08, 'c', 'i', 's', 'c', 'o', 0, 0, 0,
};

static void
test_v6_decode_layout(void **state TW_UNUSED)
{
	struct hsrp_msg m;
	const char *why = NULL;

	assert_int_equal(hsrp_decode(v6_hello, sizeof(v6_hello), &m, &why), 0);
	assert_int_equal(m.version, 2);
	assert_true(m.ipv6);
	assert_int_equal(m.op, HSRP_OP_HELLO);
	assert_int_equal(m.state, HSRP_STATE_ACTIVE);
	assert_int_equal(m.group, 1);
	assert_memory_equal(m.id, "\xaa\xbb\xcc\x00\x01\x00", 6);
	assert_int_equal(m.priority, 100);
	assert_int_equal(m.hello_ms, 3000);
	assert_int_equal(m.hold_ms, 10000);
	assert_memory_equal(m.vip6, v6_hello + 26, 16);
	assert_int_equal(m.vip, 0);
	assert_int_equal(m.auth, HSRP_AUTH_TEXT);
	assert_memory_equal(m.text, "cisco\0\0\0", 8);
}

static void
test_v6_encode_bytes(void **state TW_UNUSED)
{
	uint8_t buf[HSRP_PKT_MAX];
	struct hsrp_msg m;
	const char *why;
	int n;

	assert_int_equal(hsrp_decode(v6_hello, sizeof(v6_hello), &m, &why), 0);
	n = hsrp_encode(&m, NULL, buf, sizeof(buf));
	assert_int_equal(n, sizeof(v6_hello));
	assert_memory_equal(buf, v6_hello, sizeof(v6_hello));
	/* An IPv6 group is version 2 only. */
	m.version = 1;
	assert_int_equal(hsrp_encode(&m, NULL, buf, sizeof(buf)), -EINVAL);
	/* MD5 has a 4-byte sender address: an IPv6 sender sends 0 (the
	 * engine does; the codec carries whatever it is given). */
	m.version = 2;
	m.auth = HSRP_AUTH_MD5;
	m.md5_ip = 0;
	n = hsrp_encode(&m, "k", buf, sizeof(buf));
	assert_int_equal(n, HSRP_V2_GS_LEN + HSRP_MD5_TLV_LEN);
	assert_int_equal(hsrp_decode(buf, (size_t)n, &m, &why), 0);
	assert_true(m.ipv6);
	assert_int_equal(hsrp_auth_check(buf, (size_t)n, &m, HSRP_AUTH_MD5,
					 NULL, "k", &why), 0);
	/* Too small a buffer. */
	assert_int_equal(hsrp_encode(&m, "k", buf, HSRP_V2_GS_LEN),
			 -ENOSPC);
}

static void
test_v6_malformed(void **state TW_UNUSED)
{
	uint8_t p[sizeof(v6_hello)];
	struct hsrp_msg m;
	const char *why = NULL;
	size_t cut;

	/* Every truncation inside the group state TLV is refused. */
	for (cut = 0; cut < HSRP_V2_GS_LEN; cut++)
		assert_int_equal(hsrp_decode(v6_hello, cut, &m, &why),
				 -EINVAL);
	/* Cut inside the authentication TLV. */
	assert_int_equal(hsrp_decode(v6_hello, HSRP_V2_GS_LEN + 5, &m, &why),
			 -EINVAL);
	memcpy(p, v6_hello, sizeof(p));
	p[5] = 5;
	assert_int_equal(hsrp_decode(p, sizeof(p), &m, &why), -EINVAL);
	assert_string_equal(why, "bad IP version");
	memcpy(p, v6_hello, sizeof(p));
	p[6] = 0x10;
	assert_int_equal(hsrp_decode(p, sizeof(p), &m, &why), -EINVAL);
	memcpy(p, v6_hello, sizeof(p));
	p[1] = 41;
	assert_int_equal(hsrp_decode(p, sizeof(p), &m, &why), -EINVAL);
}

static void
test_text_auth(void **state TW_UNUSED)
{
	struct hsrp_msg m;
	const char *why;

	assert_int_equal(hsrp_decode(v1_hello, sizeof(v1_hello), &m, &why), 0);
	assert_int_equal(hsrp_auth_check(v1_hello, sizeof(v1_hello), &m,
		HSRP_AUTH_TEXT, "cisco", NULL, &why), 0);
	assert_int_equal(hsrp_auth_check(v1_hello, sizeof(v1_hello), &m,
		HSRP_AUTH_TEXT, "cisc", NULL, &why), -EACCES);
	assert_string_equal(why, "text authentication mismatch");
	assert_int_equal(hsrp_auth_check(v1_hello, sizeof(v1_hello), &m,
		HSRP_AUTH_TEXT, "cisco123", NULL, &why), -EACCES);
	assert_int_equal(hsrp_auth_check(v1_hello, sizeof(v1_hello), &m,
		HSRP_AUTH_MD5, NULL, "cisco", &why), -EACCES);
	assert_string_equal(why, "expected MD5 authentication");
	assert_int_equal(hsrp_auth_check(v1_hello, sizeof(v1_hello), &m,
		HSRP_AUTH_NONE, NULL, NULL, &why), -EACCES);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_v1_decode_layout),
		cmocka_unit_test(test_v1_encode_bytes),
		cmocka_unit_test(test_v2_encode_layout),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_state_wire_numbers),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_malformed_v1),
		cmocka_unit_test(test_malformed_v2),
		cmocka_unit_test(test_encode_bounds),
		cmocka_unit_test(test_md5_cisco_vectors),
		cmocka_unit_test(test_text_auth),
		cmocka_unit_test(test_v6_decode_layout),
		cmocka_unit_test(test_v6_encode_bytes),
		cmocka_unit_test(test_v6_malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
