/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/ike crypto against known answers computed by an independent
 * implementation (tests/unit/ike_vectors.py, Python's cryptography):
 * prf+ for the three PRFs, DH public values and shared secrets of groups
 * 14/19/20/31 from fixed private values, SKEYSEED and the seven keys of
 * two IKE SAs, an IKE SA rekey, Child SA KEYMAT with and without PFS, PSK
 * AUTH of both sides, NAT detection hashes. Also: bad peer public values,
 * key generation through an RNG hook and through OpenSSL, random SPIs.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "ike_crypto.h"
#include "ike_vectors.h"
#include "tw_compiler.h"

static const struct ike_crypto_ops *ops;

static uint64_t
be64(const uint8_t *p)
{
	uint64_t v = 0;
	unsigned int i;

	for (i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

/* A deterministic RNG: a counter, or zeros for the first `zeros` bytes. */
struct test_rng {
	uint8_t next;
	unsigned int zeros;
	unsigned int calls;
};

static int
test_rng_bytes(void *arg, uint8_t *buf, size_t len)
{
	struct test_rng *r = arg;
	size_t i;

	r->calls++;
	for (i = 0; i < len; i++) {
		if (r->zeros != 0) {
			r->zeros--;
			buf[i] = 0;
		} else {
			buf[i] = r->next++;
		}
	}
	return 0;
}

static void
test_prfplus(void **state TW_UNUSED)
{
	struct ike_chunk seed[2] = {
		{ ikev_prfplus_seed1, sizeof(ikev_prfplus_seed1) },
		{ ikev_prfplus_seed2, sizeof(ikev_prfplus_seed2) },
	};
	static const struct {
		uint16_t prf;
		const uint8_t *want;
	} cases[] = {
		{ IKE_PRF_HMAC_SHA2_256, ikev_prfplus_sha256 },
		{ IKE_PRF_HMAC_SHA2_384, ikev_prfplus_sha384 },
		{ IKE_PRF_HMAC_SHA2_512, ikev_prfplus_sha512 },
	};
	uint8_t out[150], big[32 * 256];
	unsigned int i;

	for (i = 0; i < 3; i++) {
		memset(out, 0, sizeof(out));
		assert_int_equal(ike_prfplus(ops, cases[i].prf,
					     ikev_prfplus_key,
					     sizeof(ikev_prfplus_key), seed, 2,
					     out, sizeof(out)), 0);
		assert_memory_equal(out, cases[i].want, sizeof(out));
	}
	/* RFC 7296 2.13: at most 255 blocks. */
	assert_int_equal(ike_prfplus(ops, IKE_PRF_HMAC_SHA2_256,
				     ikev_prfplus_key, 8, seed, 2, big,
				     32 * 255), 0);
	assert_int_equal(ike_prfplus(ops, IKE_PRF_HMAC_SHA2_256,
				     ikev_prfplus_key, 8, seed, 2, big,
				     32 * 255 + 1), -EINVAL);
	assert_int_equal(ike_prfplus(ops, IKE_PRF_HMAC_SHA1, ikev_prfplus_key,
				     8, seed, 2, out, 10), -ENOTSUP);
}

struct dh_case {
	uint16_t group;
	const uint8_t *priv_i, *priv_r, *pub_i, *pub_r, *shared;
	size_t priv_len, pub_len, shared_len;
};

#define DH_CASE(g, pl, ul, sl) {					\
	g, ikev_dh##g##_priv_i, ikev_dh##g##_priv_r, ikev_dh##g##_pub_i,\
	ikev_dh##g##_pub_r, ikev_dh##g##_shared, pl, ul, sl }

static const struct dh_case dh_cases[] = {
	DH_CASE(14, 32, 256, 256),
	DH_CASE(19, 32, 64, 32),
	DH_CASE(20, 48, 96, 48),
	DH_CASE(31, 32, 32, 32),
};

static void
test_dh_known_answers(void **state TW_UNUSED)
{
	uint8_t pub[IKE_DH_PUB_MAX], sec[IKE_DH_SECRET_MAX];
	struct ike_dh *di, *dr;
	unsigned int i;

	for (i = 0; i < 4; i++) {
		const struct dh_case *c = &dh_cases[i];

		assert_int_equal(ike_dh_pub_len(c->group), c->pub_len);
		assert_int_equal(ops->dh_new_private(c->group, c->priv_i,
						     c->priv_len, &di), 0);
		assert_int_equal(ops->dh_new_private(c->group, c->priv_r,
						     c->priv_len, &dr), 0);
		assert_int_equal(ops->dh_public(di, pub, sizeof(pub)),
				 (int)c->pub_len);
		assert_memory_equal(pub, c->pub_i, c->pub_len);
		assert_int_equal(ops->dh_public(dr, pub, sizeof(pub)),
				 (int)c->pub_len);
		assert_memory_equal(pub, c->pub_r, c->pub_len);
		memset(sec, 0, sizeof(sec));
		assert_int_equal(ops->dh_shared(di, c->pub_r, c->pub_len, sec,
						sizeof(sec)),
				 (int)c->shared_len);
		assert_memory_equal(sec, c->shared, c->shared_len);
		memset(sec, 0, sizeof(sec));
		assert_int_equal(ops->dh_shared(dr, c->pub_i, c->pub_len, sec,
						sizeof(sec)),
				 (int)c->shared_len);
		assert_memory_equal(sec, c->shared, c->shared_len);
		/* Buffers too small. */
		assert_int_equal(ops->dh_public(di, pub, c->pub_len - 1),
				 -ENOSPC);
		assert_int_equal(ops->dh_shared(di, c->pub_r, c->pub_len, sec,
						c->shared_len - 1), -ENOSPC);
		ops->dh_free(di);
		ops->dh_free(dr);
	}
}

static void
test_dh_bad_peer(void **state TW_UNUSED)
{
	uint8_t bad[IKE_DH_PUB_MAX], sec[IKE_DH_SECRET_MAX];
	struct ike_dh *d;
	unsigned int i;

	for (i = 0; i < 4; i++) {
		const struct dh_case *c = &dh_cases[i];

		assert_int_equal(ops->dh_new_private(c->group, c->priv_i,
						     c->priv_len, &d), 0);
		/* Wrong length. */
		assert_int_equal(ops->dh_shared(d, c->pub_r, c->pub_len - 1,
						sec, sizeof(sec)), -EINVAL);
		memcpy(bad, c->pub_r, c->pub_len);
		switch (c->group) {
		case 14:
			/* y = 0, 1, p - 1 and p are refused. */
			memset(bad, 0, 256);
			assert_int_equal(ops->dh_shared(d, bad, 256, sec,
							sizeof(sec)), -EINVAL);
			bad[255] = 1;
			assert_int_equal(ops->dh_shared(d, bad, 256, sec,
							sizeof(sec)), -EINVAL);
			memset(bad, 0xff, 256);  /* > p */
			assert_int_equal(ops->dh_shared(d, bad, 256, sec,
							sizeof(sec)), -EINVAL);
			break;
		case 19:
		case 20:
			/* A point off the curve. */
			bad[c->pub_len - 1] ^= 1;
			assert_int_equal(ops->dh_shared(d, bad, c->pub_len,
							sec, sizeof(sec)),
					 -EINVAL);
			break;
		case 31:
			/* u = 0: an all-zero shared secret (RFC 8031 2.3). */
			memset(bad, 0, 32);
			assert_true(ops->dh_shared(d, bad, 32, sec,
						   sizeof(sec)) < 0);
			break;
		}
		ops->dh_free(d);
	}
	/* Bad private values and unknown groups. */
	memset(bad, 0, sizeof(bad));
	assert_int_equal(ops->dh_new_private(19, bad, 32, &d), -EINVAL);
	memset(bad, 0xff, sizeof(bad));
	assert_int_equal(ops->dh_new_private(19, bad, 32, &d), -EINVAL);
	assert_int_equal(ops->dh_new_private(14, bad, 256, &d), -EINVAL);
	assert_int_equal(ops->dh_new_private(31, bad, 31, &d), -EINVAL);
	assert_int_equal(ops->dh_new_private(5, bad, 32, &d), -ENOTSUP);
	assert_false(ike_dh_supported(IKE_DH_NONE));
	assert_int_equal(ike_dh_pub_len(2), 0);
}

/* Keys from the RNG hook (reproducible) and from OpenSSL agree. */
static void
test_dh_generate(void **state TW_UNUSED)
{
	static const uint16_t groups[] = { 14, 19, 20, 31 };
	uint8_t pa[IKE_DH_PUB_MAX], pb[IKE_DH_PUB_MAX], pc[IKE_DH_PUB_MAX];
	uint8_t s1[IKE_DH_SECRET_MAX], s2[IKE_DH_SECRET_MAX];
	struct test_rng r1 = { .next = 1 }, r2 = { .next = 1 };
	struct ike_rng rng1 = { test_rng_bytes, &r1 };
	struct ike_rng rng2 = { test_rng_bytes, &r2 };
	struct ike_dh *a, *b, *c;
	unsigned int i;
	int la, lb, n1, n2;

	for (i = 0; i < 4; i++) {
		assert_int_equal(ops->dh_new(groups[i], &rng1, &a), 0);
		assert_int_equal(ops->dh_new(groups[i], NULL, &b), 0);
		assert_int_equal(ops->dh_new(groups[i], &rng2, &c), 0);
		la = ops->dh_public(a, pa, sizeof(pa));
		lb = ops->dh_public(b, pb, sizeof(pb));
		assert_int_equal(la, (int)ike_dh_pub_len(groups[i]));
		assert_int_equal(lb, la);
		/* Same RNG stream, same key. */
		assert_int_equal(ops->dh_public(c, pc, sizeof(pc)), la);
		assert_memory_equal(pa, pc, (size_t)la);
		n1 = ops->dh_shared(a, pb, (size_t)lb, s1, sizeof(s1));
		n2 = ops->dh_shared(b, pa, (size_t)la, s2, sizeof(s2));
		assert_true(n1 > 0);
		assert_int_equal(n1, n2);
		assert_memory_equal(s1, s2, (size_t)n1);
		ops->dh_free(a);
		ops->dh_free(b);
		ops->dh_free(c);
	}
	assert_int_equal(ops->dh_new(7, &rng1, &a), -ENOTSUP);
	ops->dh_free(NULL);
}

static void
check_keys(const struct ike_sa_keys *k, const uint8_t *d, const uint8_t *ai,
	   const uint8_t *ar, const uint8_t *ei, const uint8_t *er,
	   const uint8_t *pi, const uint8_t *pr)
{
	assert_memory_equal(k->d, d, k->d_len);
	if (k->a_len != 0) {
		assert_memory_equal(k->ai, ai, k->a_len);
		assert_memory_equal(k->ar, ar, k->a_len);
	}
	assert_memory_equal(k->ei, ei, k->e_len);
	assert_memory_equal(k->er, er, k->e_len);
	assert_memory_equal(k->pi, pi, k->p_len);
	assert_memory_equal(k->pr, pr, k->p_len);
}

static void
test_ike_sa_keys(void **state TW_UNUSED)
{
	struct ike_sa_algs a = {
		.encr = IKE_ENCR_AES_CBC, .encr_bits = 256,
		.prf = IKE_PRF_HMAC_SHA2_256,
		.integ = IKE_INTEG_HMAC_SHA2_256_128, .dh = IKE_DH_ECP_256,
	};
	struct ike_sa_algs b = {
		.encr = IKE_ENCR_AES_GCM_16, .encr_bits = 256,
		.prf = IKE_PRF_HMAC_SHA2_384, .integ = IKE_INTEG_NONE,
		.dh = IKE_DH_CURVE25519,
	};
	uint64_t spi_i = be64(ikev_spi_i), spi_r = be64(ikev_spi_r);
	uint8_t seed[IKE_PRF_MAX];
	struct ike_sa_keys k;

	/* SA A: AES-CBC-256, HMAC-SHA256-128, PRF-SHA256, ECP-256. */
	assert_int_equal(ike_skeyseed(ops, a.prf, ikev_ni, sizeof(ikev_ni),
				      ikev_nr, sizeof(ikev_nr),
				      ikev_dh19_shared,
				      sizeof(ikev_dh19_shared), seed), 0);
	assert_memory_equal(seed, ikev_a_skeyseed, sizeof(ikev_a_skeyseed));
	assert_int_equal(ike_sa_keys_derive(ops, &a, seed, 32, ikev_ni,
					    sizeof(ikev_ni), ikev_nr,
					    sizeof(ikev_nr), spi_i, spi_r,
					    &k), 0);
	assert_int_equal(k.d_len, 32);
	assert_int_equal(k.a_len, 32);
	assert_int_equal(k.e_len, 32);
	assert_int_equal(k.p_len, 32);
	check_keys(&k, ikev_a_sk_d, ikev_a_sk_ai, ikev_a_sk_ar, ikev_a_sk_ei,
		   ikev_a_sk_er, ikev_a_sk_pi, ikev_a_sk_pr);
	ike_sa_keys_wipe(&k);
	assert_int_equal(k.d[0] | k.d[31] | k.e_len, 0);

	/* SA B: AES-GCM-16-256 (key + salt), PRF-SHA384, Curve25519,
	 * nonces of 48 and 20 bytes. */
	assert_int_equal(ike_skeyseed(ops, b.prf, ikev_b_ni, sizeof(ikev_b_ni),
				      ikev_b_nr, sizeof(ikev_b_nr),
				      ikev_dh31_shared,
				      sizeof(ikev_dh31_shared), seed), 0);
	assert_memory_equal(seed, ikev_b_skeyseed, sizeof(ikev_b_skeyseed));
	assert_int_equal(ike_sa_keys_derive(ops, &b, seed, 48, ikev_b_ni,
					    sizeof(ikev_b_ni), ikev_b_nr,
					    sizeof(ikev_b_nr), spi_i, spi_r,
					    &k), 0);
	assert_int_equal(k.d_len, 48);
	assert_int_equal(k.a_len, 0);
	assert_int_equal(k.e_len, 36);
	check_keys(&k, ikev_b_sk_d, NULL, NULL, ikev_b_sk_ei, ikev_b_sk_er,
		   ikev_b_sk_pi, ikev_b_sk_pr);

	/* GCM with an INTEG, CBC without: refused. */
	b.integ = IKE_INTEG_HMAC_SHA2_256_128;
	assert_int_equal(ike_sa_keys_derive(ops, &b, seed, 48, ikev_b_ni, 8,
					    ikev_b_nr, 8, 1, 2, &k), -ENOTSUP);
	a.integ = IKE_INTEG_NONE;
	assert_int_equal(ike_sa_keys_derive(ops, &a, seed, 48, ikev_b_ni, 8,
					    ikev_b_nr, 8, 1, 2, &k), -ENOTSUP);
}

/* RFC 7296 2.18 with A's SK_d and PRF, into a PRF-SHA512 GCM-128 SA. */
static void
test_ike_sa_rekey(void **state TW_UNUSED)
{
	struct ike_sa_algs n = {
		.encr = IKE_ENCR_AES_GCM_16, .encr_bits = 128,
		.prf = IKE_PRF_HMAC_SHA2_512, .integ = IKE_INTEG_NONE,
		.dh = IKE_DH_MODP_2048,
	};
	uint8_t seed[IKE_PRF_MAX];
	struct ike_sa_keys k;

	assert_int_equal(ike_skeyseed_rekey(ops, IKE_PRF_HMAC_SHA2_256,
					    ikev_a_sk_d, sizeof(ikev_a_sk_d),
					    ikev_dh14_shared,
					    sizeof(ikev_dh14_shared),
					    ikev_rk_ni, sizeof(ikev_rk_ni),
					    ikev_rk_nr, sizeof(ikev_rk_nr),
					    seed), 0);
	assert_memory_equal(seed, ikev_rk_skeyseed, sizeof(ikev_rk_skeyseed));
	assert_int_equal(ike_sa_keys_derive(ops, &n, seed, 32, ikev_rk_ni,
					    sizeof(ikev_rk_ni), ikev_rk_nr,
					    sizeof(ikev_rk_nr),
					    be64(ikev_rk_spi_i),
					    be64(ikev_rk_spi_r), &k), 0);
	assert_int_equal(k.d_len, 64);
	assert_int_equal(k.e_len, 20);
	check_keys(&k, ikev_rk_sk_d, NULL, NULL, ikev_rk_sk_ei, ikev_rk_sk_er,
		   ikev_rk_sk_pi, ikev_rk_sk_pr);
	ike_sa_keys_wipe(&k);
}

static void
test_child_keys(void **state TW_UNUSED)
{
	struct ike_child_keys k;

	/* ESP AES-GCM-128 without PFS: 16-byte key + 4-byte salt each. */
	assert_int_equal(ike_child_keys_derive(ops, IKE_PRF_HMAC_SHA2_256,
					       ikev_a_sk_d, 32, NULL, 0,
					       ikev_ni, sizeof(ikev_ni),
					       ikev_nr, sizeof(ikev_nr),
					       IKE_ENCR_AES_GCM_16, 128,
					       IKE_INTEG_NONE, &k), 0);
	assert_int_equal(k.encr_len, 20);
	assert_int_equal(k.integ_len, 0);
	assert_memory_equal(k.encr_i2r, ikev_child_gcm128_encr_i2r, 20);
	assert_memory_equal(k.encr_r2i, ikev_child_gcm128_encr_r2i, 20);

	/* With PFS (ECP-384 g^ir), AES-CBC-128 + HMAC-SHA1-96. */
	assert_int_equal(ike_child_keys_derive(ops, IKE_PRF_HMAC_SHA2_256,
					       ikev_a_sk_d, 32,
					       ikev_dh20_shared,
					       sizeof(ikev_dh20_shared),
					       ikev_rk_ni, sizeof(ikev_rk_ni),
					       ikev_rk_nr, sizeof(ikev_rk_nr),
					       IKE_ENCR_AES_CBC, 128,
					       IKE_INTEG_HMAC_SHA1_96, &k), 0);
	assert_int_equal(k.encr_len, 16);
	assert_int_equal(k.integ_len, 20);
	assert_memory_equal(k.encr_i2r,
			    ikev_child_pfs_cbc128_sha1_encr_i2r, 16);
	assert_memory_equal(k.integ_i2r,
			    ikev_child_pfs_cbc128_sha1_integ_i2r, 20);
	assert_memory_equal(k.encr_r2i,
			    ikev_child_pfs_cbc128_sha1_encr_r2i, 16);
	assert_memory_equal(k.integ_r2i,
			    ikev_child_pfs_cbc128_sha1_integ_r2i, 20);

	/* AES-CBC-256 + HMAC-SHA256-128. */
	assert_int_equal(ike_child_keys_derive(ops, IKE_PRF_HMAC_SHA2_256,
					       ikev_a_sk_d, 32, NULL, 0,
					       ikev_ni, sizeof(ikev_ni),
					       ikev_nr, sizeof(ikev_nr),
					       IKE_ENCR_AES_CBC, 256,
					       IKE_INTEG_HMAC_SHA2_256_128,
					       &k), 0);
	assert_memory_equal(k.encr_i2r, ikev_child_cbc256_sha256_encr_i2r, 32);
	assert_memory_equal(k.integ_i2r, ikev_child_cbc256_sha256_integ_i2r,
			    32);
	assert_memory_equal(k.encr_r2i, ikev_child_cbc256_sha256_encr_r2i, 32);
	assert_memory_equal(k.integ_r2i, ikev_child_cbc256_sha256_integ_r2i,
			    32);
	ike_child_keys_wipe(&k);
	assert_int_equal(k.encr_i2r[0] | k.integ_len, 0);

	/* Unsupported: AES-CBC-192 in ESP here, GCM with an INTEG. */
	assert_int_equal(ike_child_keys_derive(ops, IKE_PRF_HMAC_SHA2_256,
					       ikev_a_sk_d, 32, NULL, 0,
					       ikev_ni, 32, ikev_nr, 32,
					       IKE_ENCR_AES_CBC, 192,
					       IKE_INTEG_HMAC_SHA1_96, &k),
			 -ENOTSUP);
	assert_int_equal(ike_child_keys_derive(ops, IKE_PRF_HMAC_SHA2_256,
					       ikev_a_sk_d, 32, NULL, 0,
					       ikev_ni, 32, ikev_nr, 32,
					       IKE_ENCR_AES_GCM_16, 128,
					       IKE_INTEG_HMAC_SHA1_96, &k),
			 -ENOTSUP);
}

static void
test_auth_psk(void **state TW_UNUSED)
{
	uint8_t out[IKE_PRF_MAX];

	/* Initiator: RealMessage1 | NonceRData | prf(SK_pi, IDi'). */
	assert_int_equal(ike_auth_psk(ops, IKE_PRF_HMAC_SHA2_256, ikev_psk,
				      sizeof(ikev_psk), ikev_msg1,
				      sizeof(ikev_msg1), ikev_nr,
				      sizeof(ikev_nr), ikev_a_sk_pi, 32,
				      ikev_idi_body, sizeof(ikev_idi_body),
				      out), 0);
	assert_memory_equal(out, ikev_auth_i, sizeof(ikev_auth_i));
	assert_true(ike_auth_equal(out, ikev_auth_i, 32));
	/* Responder: RealMessage2 | NonceIData | prf(SK_pr, IDr'). */
	assert_int_equal(ike_auth_psk(ops, IKE_PRF_HMAC_SHA2_256, ikev_psk,
				      sizeof(ikev_psk), ikev_msg2,
				      sizeof(ikev_msg2), ikev_ni,
				      sizeof(ikev_ni), ikev_a_sk_pr, 32,
				      ikev_idr_body, sizeof(ikev_idr_body),
				      out), 0);
	assert_memory_equal(out, ikev_auth_r, sizeof(ikev_auth_r));
	/* PRF-SHA384 (48 bytes). */
	assert_int_equal(ike_auth_psk(ops, IKE_PRF_HMAC_SHA2_384, ikev_psk,
				      sizeof(ikev_psk), ikev_msg1,
				      sizeof(ikev_msg1), ikev_b_nr,
				      sizeof(ikev_b_nr), ikev_b_sk_pi, 48,
				      ikev_idi_body, sizeof(ikev_idi_body),
				      out), 0);
	assert_memory_equal(out, ikev_b_auth_i, sizeof(ikev_b_auth_i));
	/* A wrong PSK gives another value. */
	assert_int_equal(ike_auth_psk(ops, IKE_PRF_HMAC_SHA2_256, ikev_psk,
				      sizeof(ikev_psk) - 1, ikev_msg1,
				      sizeof(ikev_msg1), ikev_nr,
				      sizeof(ikev_nr), ikev_a_sk_pi, 32,
				      ikev_idi_body, sizeof(ikev_idi_body),
				      out), 0);
	assert_false(ike_auth_equal(out, ikev_auth_i, 32));
}

static void
test_natd(void **state TW_UNUSED)
{
	/* RFC 7296 2.23 over IPv6: the 16 address bytes (Python's hashlib
	 * over SPIi | SPIr | 2001:db8::2 | 500). */
	static const uint8_t natd6[IKE_NATD_LEN] = {
		0x80, 0x64, 0xe7, 0x0a, 0x18, 0xee, 0x5f, 0x03, 0xba, 0x1b, 0x06, 0x8e, 0x0e, 0x07, 0xfc, 0xd8, 0xc5, 0x59, 0xeb, 0x65
	};
	struct tw_addr a = tw_addr_v4(0xc0000201);
	struct tw_addr none = { .family = TW_AF_NONE };
	uint8_t out[IKE_NATD_LEN];

	assert_int_equal(ike_natd_hash(ops, be64(ikev_spi_i),
				       be64(ikev_spi_r), &a, 500,
				       out), 0);
	assert_memory_equal(out, ikev_natd_1, IKE_NATD_LEN);
	/* In the IKE_SA_INIT request SPIr is 0. */
	a = tw_addr_v4(0xc6336407);
	assert_int_equal(ike_natd_hash(ops, be64(ikev_spi_i), 0, &a,
				       4500, out), 0);
	assert_memory_equal(out, ikev_natd_2, IKE_NATD_LEN);
	assert_int_equal(tw_addr_parse("2001:db8::2", &a), 0);
	assert_int_equal(ike_natd_hash(ops, be64(ikev_spi_i),
				       be64(ikev_spi_r), &a, 500, out), 0);
	assert_memory_equal(out, natd6, IKE_NATD_LEN);
	assert_int_equal(ike_natd_hash(ops, 1, 2, &none, 500, out), -EINVAL);
}

static int
stuck_rng(void *arg TW_UNUSED, uint8_t *buf, size_t len)
{
	memset(buf, 0, len);
	return 0;
}

static int
failing_rng(void *arg TW_UNUSED, uint8_t *buf TW_UNUSED, size_t len TW_UNUSED)
{
	return -EIO;
}

static void
test_rng(void **state TW_UNUSED)
{
	struct test_rng r = { .next = 0x10, .zeros = 8 + 3 };
	struct ike_rng rng = { test_rng_bytes, &r };
	struct ike_rng stuck = { stuck_rng, NULL };
	struct ike_rng failing = { failing_rng, NULL };
	struct ike_rng ossl = { ike_rng_openssl, NULL };
	uint8_t buf[32];
	uint64_t spi;
	uint32_t espi;
	struct ike_dh *d;

	/* An all-zero IKE SPI is drawn again. */
	assert_int_equal(ike_rng_spi(&rng, &spi), 0);
	assert_int_equal(r.calls, 2);
	assert_int_equal(spi, 0x0000001011121314ull);
	/* ESP SPIs below 256 are drawn again. */
	r.zeros = 3;
	r.next = 0x05;
	assert_int_equal(ike_rng_esp_spi(&rng, &espi), 0);
	assert_true(espi >= 256);
	assert_int_equal(ike_rng_spi(&stuck, &spi), -EIO);
	assert_int_equal(ike_rng_esp_spi(&stuck, &espi), -EIO);
	assert_int_equal(ike_rng_spi(&failing, &spi), -EIO);
	assert_int_equal(ops->dh_new(19, &failing, &d), -EIO);
	assert_int_equal(ike_rng_bytes(&ossl, buf, sizeof(buf)), 0);
	assert_int_equal(ike_rng_spi(&ossl, &spi), 0);
	assert_true(spi != 0);
}

static void
test_sizes(void **state TW_UNUSED)
{
	assert_int_equal(ike_prf_len(IKE_PRF_HMAC_SHA2_256), 32);
	assert_int_equal(ike_prf_len(IKE_PRF_HMAC_SHA2_384), 48);
	assert_int_equal(ike_prf_len(IKE_PRF_HMAC_SHA2_512), 64);
	assert_int_equal(ike_prf_len(IKE_PRF_HMAC_MD5), 0);
	assert_int_equal(ike_integ_key_len(IKE_INTEG_HMAC_SHA2_256_128), 32);
	assert_int_equal(ike_integ_icv_len(IKE_INTEG_HMAC_SHA2_256_128), 16);
	assert_int_equal(ike_integ_icv_len(IKE_INTEG_HMAC_SHA1_96), 12);
	assert_int_equal(ike_encr_key_len(IKE_ENCR_AES_CBC, 128), 16);
	assert_int_equal(ike_encr_key_len(IKE_ENCR_AES_GCM_16, 256), 36);
	assert_int_equal(ike_encr_key_len(IKE_ENCR_AES_GCM_16, 0), 0);
	assert_int_equal(ike_encr_key_len(IKE_ENCR_AES_GCM_8, 128), 0);
	assert_true(ike_encr_is_aead(IKE_ENCR_AES_GCM_16));
	assert_false(ike_encr_is_aead(IKE_ENCR_AES_CBC));
	assert_string_equal(ops->name, "openssl");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prfplus),
		cmocka_unit_test(test_dh_known_answers),
		cmocka_unit_test(test_dh_bad_peer),
		cmocka_unit_test(test_dh_generate),
		cmocka_unit_test(test_ike_sa_keys),
		cmocka_unit_test(test_ike_sa_rekey),
		cmocka_unit_test(test_child_keys),
		cmocka_unit_test(test_auth_psk),
		cmocka_unit_test(test_natd),
		cmocka_unit_test(test_rng),
		cmocka_unit_test(test_sizes),
	};

	ops = ike_crypto_openssl();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
