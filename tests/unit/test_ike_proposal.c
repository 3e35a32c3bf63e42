/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Proposal selection (RFC 7296 2.7, 3.3.6): peer order, transform
 * alternatives, key lengths, optional types, unknown types and attributes,
 * ESP with and without PFS/ESN, the initiator's check of the reply, the
 * ESP transform mapped to lib/conf; traffic selector narrowing (2.9).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "ike_proposal.h"
#include "ike_ts.h"
#include "tw_compiler.h"

/* Encode proposals into an SA payload and decode it back, as a peer's
 * SA would arrive. The view is valid until the next call. */
static struct ike_pl_sa
sa_of(const struct ike_proposal *p, unsigned int n)
{
	static uint8_t buf[4096];
	struct ike_builder b;
	struct ike_hdr h;
	struct ike_msg m;
	const char *why;
	int len;

	memset(&h, 0, sizeof(h));
	ike_build_init(&b, buf, sizeof(buf), &h);
	ike_build_sa(&b, p, n);
	len = ike_build_finish(&b);
	assert_true(len > 0);
	assert_int_equal(ike_msg_decode(buf, (size_t)len, &m, &why), 0);
	return m.pl[0].u.sa;
}

static void
ike_prop(struct ike_proposal *p, uint8_t num, const uint16_t (*x)[3],
	 unsigned int n)
{
	unsigned int i;

	ike_proposal_init(p, num, IKE_PROTO_IKE, NULL, 0);
	for (i = 0; i < n; i++)
		assert_int_equal(ike_proposal_add(p, (uint8_t)x[i][0], x[i][1],
						  x[i][2]), 0);
}

#define XF(t, id, kl) { IKE_XF_##t, id, kl }

static void
test_select_ike(void **state TW_UNUSED)
{
	static const uint16_t p1[][3] = {
		XF(ENCR, IKE_ENCR_AES_CBC, 128), XF(PRF, IKE_PRF_HMAC_SHA1, 0),
		XF(INTEG, IKE_INTEG_HMAC_SHA1_96, 0), XF(DH, 2, 0),
	};
	static const uint16_t p2[][3] = {
		XF(ENCR, IKE_ENCR_AES_GCM_16, 256),
		XF(ENCR, IKE_ENCR_AES_GCM_16, 128),
		XF(PRF, IKE_PRF_HMAC_SHA2_384, 0),
		XF(PRF, IKE_PRF_HMAC_SHA2_256, 0),
		XF(DH, IKE_DH_CURVE25519, 0), XF(DH, IKE_DH_ECP_256, 0),
	};
	static const uint16_t o1[][3] = {
		XF(ENCR, IKE_ENCR_AES_GCM_16, 128),
		XF(PRF, IKE_PRF_HMAC_SHA2_256, 0), XF(DH, IKE_DH_ECP_256, 0),
		XF(DH, IKE_DH_MODP_2048, 0),
	};
	static const uint16_t o2[][3] = {
		XF(ENCR, IKE_ENCR_AES_CBC, 256),
		XF(PRF, IKE_PRF_HMAC_SHA2_256, 0),
		XF(INTEG, IKE_INTEG_HMAC_SHA2_256_128, 0),
		XF(DH, IKE_DH_MODP_2048, 0),
	};
	struct ike_proposal peer[2], ours[2], c;
	struct ike_pl_sa sa;
	struct ike_sa_algs algs;
	const struct ike_xform *x;
	const char *why;
	char text[160];

	ike_prop(&peer[0], 1, p1, 4);
	ike_prop(&peer[1], 2, p2, 6);
	ike_prop(&ours[0], 1, o1, 4);
	ike_prop(&ours[1], 2, o2, 4);
	sa = sa_of(peer, 2);
	assert_int_equal(ike_proposal_select(&sa, ours, 2, &c, &why), 0);
	/* Peer proposal 2 with our first; the first alternative of the
	 * peer's that we have, per type; no INTEG on either side. */
	assert_int_equal(c.num, 2);
	assert_int_equal(c.proto, IKE_PROTO_IKE);
	assert_int_equal(c.n_xforms, 3);
	x = ike_proposal_get(&c, IKE_XF_ENCR);
	assert_int_equal(x->id, IKE_ENCR_AES_GCM_16);
	assert_int_equal(x->key_len, 128);
	assert_int_equal(ike_proposal_get(&c, IKE_XF_PRF)->id,
			 IKE_PRF_HMAC_SHA2_256);
	assert_int_equal(ike_proposal_get(&c, IKE_XF_DH)->id,
			 IKE_DH_ECP_256);
	assert_null(ike_proposal_get(&c, IKE_XF_INTEG));
	assert_int_equal(ike_proposal_ike_algs(&c, &algs), 0);
	assert_int_equal(algs.encr, IKE_ENCR_AES_GCM_16);
	assert_int_equal(algs.encr_bits, 128);
	assert_int_equal(algs.integ, IKE_INTEG_NONE);
	assert_int_equal(algs.dh, IKE_DH_ECP_256);
	assert_true(ike_proposal_format(&c, text, sizeof(text)) > 0);
	assert_string_equal(text, "IKE: AES_GCM_16_128/PRF_HMAC_SHA2_256/"
			    "ECP_256");

	/* The peer's order wins over ours: its CBC proposal first. */
	ike_prop(&peer[0], 1, o2, 4);
	sa = sa_of(peer, 2);
	assert_int_equal(ike_proposal_select(&sa, ours, 2, &c, &why), 0);
	assert_int_equal(c.num, 1);
	assert_int_equal(ike_proposal_get(&c, IKE_XF_ENCR)->id,
			 IKE_ENCR_AES_CBC);
	assert_int_equal(ike_proposal_get(&c, IKE_XF_INTEG)->id,
			 IKE_INTEG_HMAC_SHA2_256_128);
	assert_int_equal(ike_proposal_ike_algs(&c, &algs), 0);

	/* Nothing in common: NO_PROPOSAL_CHOSEN. */
	ike_prop(&peer[0], 1, p1, 4);
	sa = sa_of(peer, 1);
	assert_int_equal(ike_proposal_select(&sa, ours, 2, &c, &why),
			 -ENOENT);
	assert_non_null(why);
}

static void
test_select_details(void **state TW_UNUSED)
{
	static const uint16_t cbc192[][3] = {
		XF(ENCR, IKE_ENCR_AES_CBC, 192),
		XF(PRF, IKE_PRF_HMAC_SHA2_256, 0),
		XF(INTEG, IKE_INTEG_HMAC_SHA2_256_128, 0),
		XF(DH, IKE_DH_MODP_2048, 0),
	};
	static const uint16_t cbc256[][3] = {
		XF(ENCR, IKE_ENCR_AES_CBC, 256),
		XF(PRF, IKE_PRF_HMAC_SHA2_256, 0),
		XF(INTEG, IKE_INTEG_HMAC_SHA2_256_128, 0),
		XF(DH, IKE_DH_MODP_2048, 0),
	};
	struct ike_proposal peer, ours, c;
	struct ike_pl_sa sa;
	const char *why;

	ike_prop(&ours, 1, cbc256, 4);
	/* Key length must match. */
	ike_prop(&peer, 1, cbc192, 4);
	sa = sa_of(&peer, 1);
	assert_int_equal(ike_proposal_select(&sa, &ours, 1, &c, &why),
			 -ENOENT);
	/* Missing INTEG with CBC: ours requires it. */
	ike_prop(&peer, 1, cbc256, 4);
	peer.xforms[2] = peer.xforms[3];
	peer.n_xforms = 3;
	sa = sa_of(&peer, 1);
	assert_int_equal(ike_proposal_select(&sa, &ours, 1, &c, &why),
			 -ENOENT);
	/* An unknown transform type rejects the whole proposal. */
	ike_prop(&peer, 1, cbc256, 4);
	assert_int_equal(ike_proposal_add(&peer, 9, 1, 0), 0);
	sa = sa_of(&peer, 1);
	assert_int_equal(ike_proposal_select(&sa, &ours, 1, &c, &why),
			 -ENOENT);
	assert_string_equal(why, "unknown transform type");
	/* Different protocol. */
	ike_prop(&peer, 1, cbc256, 4);
	peer.proto = IKE_PROTO_ESP;
	peer.spi_size = 4;
	sa = sa_of(&peer, 1);
	assert_int_equal(ike_proposal_select(&sa, &ours, 1, &c, &why),
			 -ENOENT);
}

/* A transform with an unknown attribute is passed over (RFC 7296 3.3.6);
 * the next alternative is taken. */
static void
test_select_unknown_attr(void **state TW_UNUSED)
{
	static const uint8_t msg[] = {
		0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0,
		33, 0x20, 34, 0x08, 0, 0, 0, 0, 0, 0, 0, 28 + 4 + 60,
		0, 0, 0, 64,
		0, 0, 0, 60, 1, 1, 0, 5,
		3, 0, 0, 16, 1, 0, 0, 12, 0x80, 14, 1, 0, 0x80, 99, 0, 1,
		3, 0, 0, 12, 1, 0, 0, 12, 0x80, 14, 0, 128,
		3, 0, 0, 8, 2, 0, 0, 5,
		3, 0, 0, 8, 3, 0, 0, 12,
		0, 0, 0, 8, 4, 0, 0, 14,
	};
	static const uint16_t both[][3] = {
		XF(ENCR, IKE_ENCR_AES_CBC, 256),
		XF(ENCR, IKE_ENCR_AES_CBC, 128),
		XF(PRF, IKE_PRF_HMAC_SHA2_256, 0),
		XF(INTEG, IKE_INTEG_HMAC_SHA2_256_128, 0),
		XF(DH, IKE_DH_MODP_2048, 0),
	};
	struct ike_proposal ours, c;
	struct ike_msg m;
	const char *why;

	assert_int_equal(ike_msg_decode(msg, sizeof(msg), &m, &why), 0);
	ike_prop(&ours, 1, both, 5);
	assert_int_equal(ike_proposal_select(&m.pl[0].u.sa, &ours, 1, &c,
					     &why), 0);
	/* AES-CBC-256 carried an unknown attribute: CBC-128 chosen. */
	assert_int_equal(ike_proposal_get(&c, IKE_XF_ENCR)->key_len, 128);
}

static void
test_select_esp(void **state TW_UNUSED)
{
	struct conf_transform_set gcm = {
		.cipher = CONF_CIPHER_AES_GCM_256, .integ = CONF_INTEG_NONE,
	};
	struct conf_transform_set cbc = {
		.cipher = CONF_CIPHER_AES_CBC_128,
		.integ = CONF_INTEG_SHA1_96,
	};
	struct ike_proposal peer, ours[2], c;
	struct ike_pl_sa sa;
	enum conf_cipher ci;
	enum conf_integ in;
	const char *why;
	bool esn;

	assert_int_equal(ike_proposal_esp_from_conf(&gcm, false, IKE_DH_NONE,
						    0x11111111, 1, &ours[0]),
			 0);
	assert_int_equal(ike_proposal_esp_from_conf(&cbc, true,
						    IKE_DH_MODP_2048,
						    0x22222222, 2, &ours[1]),
			 0);
	assert_int_equal(ours[0].n_xforms, 2); /* ENCR, ESN */
	assert_int_equal(ours[1].n_xforms, 4); /* ENCR, INTEG, DH, ESN */

	/* Peer offers GCM-256 with ESN yes or no: we take NO_ESN (ours). */
	ike_proposal_init(&peer, 1, IKE_PROTO_ESP,
			  (const uint8_t *)"\xca\xfe\xba\xbe", 4);
	ike_proposal_add(&peer, IKE_XF_ENCR, IKE_ENCR_AES_GCM_16, 256);
	ike_proposal_add(&peer, IKE_XF_ESN, IKE_ESN_YES, 0);
	ike_proposal_add(&peer, IKE_XF_ESN, IKE_ESN_NO, 0);
	sa = sa_of(&peer, 1);
	assert_int_equal(ike_proposal_select(&sa, ours, 2, &c, &why), 0);
	assert_int_equal(c.spi_size, 4);
	assert_memory_equal(c.spi, "\xca\xfe\xba\xbe", 4);
	assert_int_equal(ike_proposal_esp_to_conf(&c, &ci, &in, &esn), 0);
	assert_int_equal(ci, CONF_CIPHER_AES_GCM_256);
	assert_int_equal(in, CONF_INTEG_NONE);
	assert_false(esn);

	/* CBC-128/SHA1 without PFS: ours needs DH 14 -> refused. */
	ike_proposal_init(&peer, 1, IKE_PROTO_ESP, c.spi, 4);
	ike_proposal_add(&peer, IKE_XF_ENCR, IKE_ENCR_AES_CBC, 128);
	ike_proposal_add(&peer, IKE_XF_INTEG, IKE_INTEG_HMAC_SHA1_96, 0);
	ike_proposal_add(&peer, IKE_XF_ESN, IKE_ESN_YES, 0);
	sa = sa_of(&peer, 1);
	assert_int_equal(ike_proposal_select(&sa, ours, 2, &c, &why),
			 -ENOENT);
	/* ... with DH 14: accepted, ESN on. */
	ike_proposal_add(&peer, IKE_XF_DH, IKE_DH_MODP_2048, 0);
	sa = sa_of(&peer, 1);
	assert_int_equal(ike_proposal_select(&sa, ours, 2, &c, &why), 0);
	assert_int_equal(ike_proposal_get(&c, IKE_XF_DH)->id,
			 IKE_DH_MODP_2048);
	assert_int_equal(ike_proposal_esp_to_conf(&c, &ci, &in, &esn), 0);
	assert_int_equal(ci, CONF_CIPHER_AES_CBC_128);
	assert_int_equal(in, CONF_INTEG_SHA1_96);
	assert_true(esn);

	/* PFS offered by the peer, not by us: only if NONE is among its
	 * DH alternatives. */
	ike_proposal_init(&peer, 1, IKE_PROTO_ESP, c.spi, 4);
	ike_proposal_add(&peer, IKE_XF_ENCR, IKE_ENCR_AES_GCM_16, 256);
	ike_proposal_add(&peer, IKE_XF_DH, IKE_DH_ECP_256, 0);
	ike_proposal_add(&peer, IKE_XF_ESN, IKE_ESN_NO, 0);
	sa = sa_of(&peer, 1);
	assert_int_equal(ike_proposal_select(&sa, ours, 1, &c, &why),
			 -ENOENT);
	ike_proposal_add(&peer, IKE_XF_DH, IKE_DH_NONE, 0);
	sa = sa_of(&peer, 1);
	assert_int_equal(ike_proposal_select(&sa, ours, 1, &c, &why), 0);
	assert_int_equal(ike_proposal_get(&c, IKE_XF_DH)->id, IKE_DH_NONE);

	/* GCM + an INTEG alternative list that holds NONE: consistent. */
	ike_proposal_init(&peer, 1, IKE_PROTO_ESP, c.spi, 4);
	ike_proposal_add(&peer, IKE_XF_ENCR, IKE_ENCR_AES_CBC, 128);
	ike_proposal_add(&peer, IKE_XF_ENCR, IKE_ENCR_AES_GCM_16, 256);
	ike_proposal_add(&peer, IKE_XF_INTEG, IKE_INTEG_HMAC_SHA2_256_128, 0);
	ike_proposal_add(&peer, IKE_XF_INTEG, IKE_INTEG_NONE, 0);
	ike_proposal_add(&peer, IKE_XF_ESN, IKE_ESN_NO, 0);
	sa = sa_of(&peer, 1);
	assert_int_equal(ike_proposal_select(&sa, ours, 1, &c, &why), 0);
	assert_int_equal(ike_proposal_get(&c, IKE_XF_INTEG)->id,
			 IKE_INTEG_NONE);
	assert_int_equal(ike_proposal_esp_to_conf(&c, &ci, &in, &esn), 0);

	/* Transform sets that cannot be: CBC without INTEG. */
	cbc.integ = CONF_INTEG_NONE;
	assert_int_equal(ike_proposal_esp_from_conf(&cbc, false, 0, 1, 1,
						    &c), -EINVAL);
	gcm.integ = CONF_INTEG_SHA256_128;
	assert_int_equal(ike_proposal_esp_from_conf(&gcm, false, 0, 1, 1,
						    &c), -EINVAL);
	gcm.integ = CONF_INTEG_NONE;
	assert_int_equal(ike_proposal_esp_from_conf(&gcm, false, 5, 1, 1,
						    &c), -ENOTSUP);
	/* An IKE proposal is not an ESP transform. */
	ike_proposal_init(&c, 1, IKE_PROTO_IKE, NULL, 0);
	assert_int_equal(ike_proposal_esp_to_conf(&c, &ci, &in, &esn),
			 -ENOTSUP);
}

static void
test_check_reply(void **state TW_UNUSED)
{
	static const uint16_t offer[][3] = {
		XF(ENCR, IKE_ENCR_AES_GCM_16, 256),
		XF(ENCR, IKE_ENCR_AES_GCM_16, 128),
		XF(PRF, IKE_PRF_HMAC_SHA2_256, 0),
		XF(DH, IKE_DH_ECP_256, 0), XF(DH, IKE_DH_CURVE25519, 0),
	};
	static const uint16_t good[][3] = {
		XF(ENCR, IKE_ENCR_AES_GCM_16, 128),
		XF(PRF, IKE_PRF_HMAC_SHA2_256, 0),
		XF(DH, IKE_DH_CURVE25519, 0),
	};
	static const uint16_t no_dh[][3] = {
		XF(ENCR, IKE_ENCR_AES_GCM_16, 128),
		XF(PRF, IKE_PRF_HMAC_SHA2_256, 0),
	};
	static const uint16_t two_prf[][3] = {
		XF(ENCR, IKE_ENCR_AES_GCM_16, 128),
		XF(PRF, IKE_PRF_HMAC_SHA2_256, 0),
		XF(PRF, IKE_PRF_HMAC_SHA2_256, 0),
		XF(DH, IKE_DH_CURVE25519, 0),
	};
	static const uint16_t not_offered[][3] = {
		XF(ENCR, IKE_ENCR_AES_GCM_16, 128),
		XF(PRF, IKE_PRF_HMAC_SHA2_512, 0),
		XF(DH, IKE_DH_CURVE25519, 0),
	};
	static const uint16_t with_integ[][3] = {
		XF(ENCR, IKE_ENCR_AES_GCM_16, 128),
		XF(PRF, IKE_PRF_HMAC_SHA2_256, 0),
		XF(INTEG, IKE_INTEG_HMAC_SHA2_256_128, 0),
		XF(DH, IKE_DH_CURVE25519, 0),
	};
	struct ike_proposal ours[2], r[2], c;
	struct ike_pl_sa sa;
	const char *why;

	ike_prop(&ours[0], 1, offer, 5);
	ike_prop(&ours[1], 2, offer, 5);
	ike_prop(&r[0], 2, good, 3);
	r[0].spi_size = 8;
	memcpy(r[0].spi, "\1\2\3\4\5\6\7\x8", 8);
	sa = sa_of(r, 1);
	assert_int_equal(ike_proposal_check_reply(&sa, ours, 2, &c, &why), 0);
	assert_int_equal(c.num, 2);
	assert_int_equal(c.spi_size, 8);
	/* Two proposals in a reply. */
	ike_prop(&r[1], 3, good, 3);
	sa = sa_of(r, 2);
	assert_int_equal(ike_proposal_check_reply(&sa, ours, 2, &c, &why),
			 -EINVAL);
	/* Proposal number we did not send. */
	ike_prop(&r[0], 3, good, 3);
	sa = sa_of(r, 1);
	assert_int_equal(ike_proposal_check_reply(&sa, ours, 2, &c, &why),
			 -EINVAL);
	/* Missing type, repeated type, transform not offered, extra type. */
	ike_prop(&r[0], 1, no_dh, 2);
	sa = sa_of(r, 1);
	assert_int_equal(ike_proposal_check_reply(&sa, ours, 2, &c, &why),
			 -EINVAL);
	ike_prop(&r[0], 1, two_prf, 4);
	sa = sa_of(r, 1);
	assert_int_equal(ike_proposal_check_reply(&sa, ours, 2, &c, &why),
			 -EINVAL);
	ike_prop(&r[0], 1, not_offered, 3);
	sa = sa_of(r, 1);
	assert_int_equal(ike_proposal_check_reply(&sa, ours, 2, &c, &why),
			 -EINVAL);
	ike_prop(&r[0], 1, with_integ, 4);
	sa = sa_of(r, 1);
	assert_int_equal(ike_proposal_check_reply(&sa, ours, 2, &c, &why),
			 -EINVAL);
}

/* ---- traffic selectors ---- */

static struct ike_ts
ts4(const char *lo, const char *hi, uint8_t proto, uint16_t plo,
    uint16_t phi)
{
	struct ike_ts t;
	unsigned int a, b, c, d;

	memset(&t, 0, sizeof(t));
	t.type = IKE_TS_IPV4_ADDR_RANGE;
	t.proto = proto;
	t.port_lo = plo;
	t.port_hi = phi;
	assert_int_equal(sscanf(lo, "%u.%u.%u.%u", &a, &b, &c, &d), 4);
	t.addr4_lo = a << 24 | b << 16 | c << 8 | d;
	assert_int_equal(sscanf(hi, "%u.%u.%u.%u", &a, &b, &c, &d), 4);
	t.addr4_hi = a << 24 | b << 16 | c << 8 | d;
	return t;
}

static void
assert_ts(const struct ike_ts *t, struct ike_ts want)
{
	assert_int_equal(t->type, want.type);
	assert_int_equal(t->proto, want.proto);
	assert_int_equal(t->port_lo, want.port_lo);
	assert_int_equal(t->port_hi, want.port_hi);
	assert_int_equal(t->addr4_lo, want.addr4_lo);
	assert_int_equal(t->addr4_hi, want.addr4_hi);
}

static void
test_ts_basics(void **state TW_UNUSED)
{
	struct conf_match m = {
		.action = CONF_POLICY_PROTECT,
		.src = { 0x0a010000, 16 }, .dst = { 0xac100000, 12 },
		.proto = 6, .sport_lo = 0, .sport_hi = 65535,
		.dport_lo = 443, .dport_hi = 443,
	};
	struct ike_ts_pair p;
	struct ike_ts t, r;

	ike_ts_from_prefix(&t, 0x0a01ff07, 16, 0, 0, 65535);
	assert_ts(&t, ts4("10.1.0.0", "10.1.255.255", 0, 0, 65535));
	ike_ts_from_prefix(&t, 0x0a01ff07, 0, 0, 0, 65535);
	assert_ts(&t, ts4("0.0.0.0", "255.255.255.255", 0, 0, 65535));
	ike_ts_from_prefix(&t, 0x0a01ff07, 32, 17, 500, 500);
	assert_ts(&t, ts4("10.1.255.7", "10.1.255.7", 17, 500, 500));

	assert_int_equal(ike_ts_from_conf_match(&m, &p), 0);
	assert_ts(&p.local, ts4("10.1.0.0", "10.1.255.255", 6, 0, 65535));
	assert_ts(&p.remote, ts4("172.16.0.0", "172.31.255.255", 6, 443,
				 443));
	m.action = CONF_POLICY_BYPASS;
	assert_int_equal(ike_ts_from_conf_match(&m, &p), -EINVAL);

	/* Protocol any meets a protocol; different protocols do not. */
	t = ts4("10.0.0.0", "10.0.0.255", 0, 0, 65535);
	r = ts4("10.0.0.128", "10.0.1.255", 6, 80, 80);
	assert_true(ike_ts_intersect(&t, &r, &r));
	assert_ts(&r, ts4("10.0.0.128", "10.0.0.255", 6, 80, 80));
	assert_true(ike_ts_within(&r, &t));
	assert_false(ike_ts_within(&t, &r));
	r.proto = 17;
	t.proto = 6;
	assert_false(ike_ts_intersect(&t, &r, &r));
	/* Disjoint addresses, disjoint ports, OPAQUE ports, IPv6. */
	t = ts4("10.0.0.0", "10.0.0.255", 0, 0, 65535);
	r = ts4("10.0.1.0", "10.0.1.255", 0, 0, 65535);
	assert_false(ike_ts_intersect(&t, &r, &r));
	r = ts4("10.0.0.0", "10.0.0.255", 0, 65535, 0);
	assert_false(ike_ts_intersect(&t, &r, &r));
	r.type = IKE_TS_IPV6_ADDR_RANGE;
	assert_false(ike_ts_intersect(&t, &r, &r));
}

static void
test_ts_narrow(void **state TW_UNUSED)
{
	struct ike_ts_pair pol[2];
	struct ike_ts tsi[3], tsr[2], oi[IKE_TS_MAX], orr[IKE_TS_MAX];
	unsigned int ni, nr, which;

	pol[0].local = ts4("192.168.0.0", "192.168.0.255", 0, 0, 65535);
	pol[0].remote = ts4("172.16.0.0", "172.31.255.255", 6, 443, 443);
	pol[1].local = ts4("10.1.0.0", "10.1.255.255", 0, 0, 65535);
	pol[1].remote = ts4("10.2.0.0", "10.2.255.255", 0, 0, 65535);

	/* As responder: the initiator's TSi is the remote side. Its first
	 * selectors are the packet that triggered it (RFC 7296 2.9.1). */
	tsi[0] = ts4("10.2.5.9", "10.2.5.9", 6, 40000, 40000);
	tsi[1] = ts4("0.0.0.0", "255.255.255.255", 0, 0, 65535);
	tsi[2] = ts4("10.9.0.0", "10.9.255.255", 0, 0, 65535);
	tsr[0] = ts4("10.1.1.1", "10.1.1.1", 6, 22, 22);
	tsr[1] = ts4("10.1.0.0", "10.1.0.255", 0, 0, 65535);
	assert_int_equal(ike_ts_narrow(tsi, 3, tsr, 2, pol, 2, oi, &ni, orr,
				       &nr, &which), 0);
	assert_int_equal(which, 1);
	assert_int_equal(ni, 2);
	assert_ts(&oi[0], tsi[0]);
	assert_ts(&oi[1], pol[1].remote);
	assert_int_equal(nr, 2);
	assert_ts(&orr[0], tsr[0]);
	assert_ts(&orr[1], tsr[1]);
	assert_int_equal(ike_ts_check_reply(tsi, 3, oi, ni), 0);
	assert_int_equal(ike_ts_check_reply(tsr, 2, orr, nr), 0);

	/* 0.0.0.0/0 on both sides: narrowed to our first policy. */
	tsr[0] = tsi[1];
	assert_int_equal(ike_ts_narrow(&tsi[1], 1, tsr, 1, pol, 2, oi, &ni,
				       orr, &nr, NULL), 0);
	assert_int_equal(ni, 1);
	assert_ts(&oi[0], pol[0].remote);
	assert_ts(&orr[0], pol[0].local);
	/* A reply wider than what we proposed is refused. */
	assert_int_equal(ike_ts_check_reply(oi, 1, &tsi[1], 1), -EINVAL);
	assert_int_equal(ike_ts_check_reply(oi, 1, oi, 0), -EINVAL);

	/* Nothing in our policy: TS_UNACCEPTABLE. */
	tsi[0] = ts4("10.9.0.0", "10.9.255.255", 0, 0, 65535);
	tsr[0] = ts4("10.1.0.0", "10.1.0.255", 0, 0, 65535);
	assert_int_equal(ike_ts_narrow(tsi, 1, tsr, 1, pol, 2, oi, &ni, orr,
				       &nr, &which), -ENOENT);
	/* Remote side fits policy 0 but the local side only policy 1. */
	tsi[0] = ts4("172.16.1.1", "172.16.1.1", 6, 443, 443);
	assert_int_equal(ike_ts_narrow(tsi, 1, tsr, 1, pol, 2, oi, &ni, orr,
				       &nr, &which), -ENOENT);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_select_ike),
		cmocka_unit_test(test_select_details),
		cmocka_unit_test(test_select_unknown_attr),
		cmocka_unit_test(test_select_esp),
		cmocka_unit_test(test_check_reply),
		cmocka_unit_test(test_ts_basics),
		cmocka_unit_test(test_ts_narrow),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
