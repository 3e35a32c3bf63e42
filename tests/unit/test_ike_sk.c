/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The Encrypted payload: known-answer messages computed by
 * tests/unit/ike_vectors.py (AES-CBC-256 + HMAC-SHA256-128 and
 * AES-GCM-16-256, same header, inner payloads and IV), round trips for
 * every cipher in both directions, ICV failure on any flipped bit (with
 * its counter), bad lengths and padding, and buffer bounds.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ike_sk.h"
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

/* An RNG that hands out the given bytes (the vector's IV), then a
 * counter. */
struct script_rng {
	const uint8_t *p;
	size_t len;
	uint8_t ctr;
};

static int
script_bytes(void *arg, uint8_t *buf, size_t len)
{
	struct script_rng *s = arg;
	size_t i;

	for (i = 0; i < len; i++) {
		if (s->len != 0) {
			buf[i] = *s->p++;
			s->len--;
		} else {
			buf[i] = s->ctr++;
		}
	}
	return 0;
}

static void
keys_a(struct ike_sa_keys *k)
{
	memset(k, 0, sizeof(*k));
	k->algs.encr = IKE_ENCR_AES_CBC;
	k->algs.encr_bits = 256;
	k->algs.integ = IKE_INTEG_HMAC_SHA2_256_128;
	k->algs.prf = IKE_PRF_HMAC_SHA2_256;
	k->e_len = 32;
	k->a_len = 32;
	memcpy(k->ei, ikev_a_sk_ei, 32);
	memcpy(k->er, ikev_a_sk_er, 32);
	memcpy(k->ai, ikev_a_sk_ai, 32);
	memcpy(k->ar, ikev_a_sk_ar, 32);
}

static void
keys_b(struct ike_sa_keys *k)
{
	memset(k, 0, sizeof(*k));
	k->algs.encr = IKE_ENCR_AES_GCM_16;
	k->algs.encr_bits = 256;
	k->algs.integ = IKE_INTEG_NONE;
	k->algs.prf = IKE_PRF_HMAC_SHA2_384;
	k->e_len = 36;
	memcpy(k->ei, ikev_b_sk_ei, 36);
	memcpy(k->er, ikev_b_sk_er, 36);
}

/* The vector's message: IKE_AUTH request, IDi | AUTH | N(INITIAL_CONTACT)
 * inside SK. */
static int
build_vector_msg(uint8_t *buf, size_t cap, const struct ike_sk_ctx *c,
		 const uint8_t *iv, size_t iv_len)
{
	static const char idi[] = "initiator.example";
	struct script_rng s = { iv, iv_len, 0 };
	struct ike_rng rng = { script_bytes, &s };
	struct ike_hdr h;
	struct ike_builder b;

	memset(&h, 0, sizeof(h));
	h.spi_i = be64(ikev_spi_i);
	h.spi_r = be64(ikev_spi_r);
	h.exchange = IKE_EXCH_AUTH;
	h.flags = IKE_FLAG_INITIATOR;
	h.msg_id = 1;
	ike_build_init(&b, buf, cap, &h);
	ike_build_sk_begin(&b, ike_sk_iv_len(c->encr));
	ike_build_id(&b, IKE_PL_IDI, IKE_ID_FQDN, (const uint8_t *)idi,
		     strlen(idi));
	ike_build_auth(&b, IKE_AUTH_PSK, ikev_sk_auth_data,
		       sizeof(ikev_sk_auth_data));
	ike_build_notify(&b, 0, NULL, 0, IKE_N_INITIAL_CONTACT, NULL, 0);
	return ike_sk_seal(&b, c, &rng);
}

static void
open_vector(const struct ike_sk_ctx *c, const uint8_t *msg, size_t len)
{
	uint8_t plain[256];
	struct ike_msg m;
	size_t plen = 0;
	const char *why = NULL;

	assert_int_equal(ike_msg_decode(msg, len, &m, &why), 0);
	assert_true(m.sk.present);
	assert_int_equal(m.sk.first_inner, IKE_PL_IDI);
	assert_int_equal(ike_sk_open(c, msg, len, &m, plain, sizeof(plain),
				     &plen, &why), 0);
	assert_int_equal(plen, sizeof(ikev_sk_inner));
	assert_memory_equal(plain, ikev_sk_inner, plen);
	assert_int_equal(ike_msg_decode_inner(&m, plain, plen, &why), 0);
	assert_int_equal(m.n_pl, 3);
	assert_int_equal(m.pl[0].type, IKE_PL_IDI);
	assert_int_equal(m.pl[1].type, IKE_PL_AUTH);
	assert_memory_equal(m.pl[1].u.auth.data.p, ikev_sk_auth_data, 32);
	assert_int_equal(m.pl[2].u.notify.type, IKE_N_INITIAL_CONTACT);
}

static void
test_known_answer_cbc(void **state TW_UNUSED)
{
	struct ike_sk_stats st = { 0 };
	struct ike_sa_keys k;
	struct ike_sk_ctx out, in;
	uint8_t buf[512];
	int n;

	keys_a(&k);
	ike_sk_ctx_init(&out, ops, &k, true, true, &st);
	n = build_vector_msg(buf, sizeof(buf), &out, ikev_sk_iv_cbc, 16);
	assert_int_equal(n, sizeof(ikev_sk_cbc_msg));
	assert_memory_equal(buf, ikev_sk_cbc_msg, sizeof(ikev_sk_cbc_msg));
	assert_int_equal(st.sealed, 1);
	/* The responder opens it with the same (initiator's) keys. */
	ike_sk_ctx_init(&in, ops, &k, false, false, &st);
	open_vector(&in, ikev_sk_cbc_msg, sizeof(ikev_sk_cbc_msg));
	assert_int_equal(st.opened, 1);
}

static void
test_known_answer_gcm(void **state TW_UNUSED)
{
	struct ike_sk_stats st = { 0 };
	struct ike_sa_keys k;
	struct ike_sk_ctx out, in;
	uint8_t buf[512];
	int n;

	keys_b(&k);
	ike_sk_ctx_init(&out, ops, &k, true, true, &st);
	n = build_vector_msg(buf, sizeof(buf), &out, ikev_sk_iv_gcm, 8);
	assert_int_equal(n, sizeof(ikev_sk_gcm_msg));
	assert_memory_equal(buf, ikev_sk_gcm_msg, sizeof(ikev_sk_gcm_msg));
	ike_sk_ctx_init(&in, ops, &k, false, false, &st);
	open_vector(&in, ikev_sk_gcm_msg, sizeof(ikev_sk_gcm_msg));
}

/* Every cipher, both directions, plaintext lengths around the block. */
static void
test_round_trip(void **state TW_UNUSED)
{
	static const struct {
		uint16_t encr, bits, integ;
	} algs[] = {
		{ IKE_ENCR_AES_CBC, 128, IKE_INTEG_HMAC_SHA2_256_128 },
		{ IKE_ENCR_AES_CBC, 256, IKE_INTEG_HMAC_SHA2_256_128 },
		{ IKE_ENCR_AES_CBC, 128, IKE_INTEG_HMAC_SHA2_512_256 },
		{ IKE_ENCR_AES_GCM_16, 128, IKE_INTEG_NONE },
		{ IKE_ENCR_AES_GCM_16, 256, IKE_INTEG_NONE },
	};
	struct script_rng s = { NULL, 0, 7 };
	struct ike_rng rng = { script_bytes, &s };
	uint8_t buf[1024], plain[1024], data[64];
	struct ike_sa_keys k;
	struct ike_sk_ctx out, in;
	struct ike_builder b;
	struct ike_hdr h;
	struct ike_msg m;
	const char *why;
	unsigned int i, vlen;
	size_t plen;
	int n, dir;

	memset(&h, 0, sizeof(h));
	h.spi_i = 1;
	h.spi_r = 2;
	h.exchange = IKE_EXCH_INFORMATIONAL;
	memset(data, 0x77, sizeof(data));
	for (i = 0; i < sizeof(algs) / sizeof(algs[0]); i++) {
		memset(&k, 0, sizeof(k));
		k.algs.encr = algs[i].encr;
		k.algs.encr_bits = algs[i].bits;
		k.algs.integ = algs[i].integ;
		k.e_len = (uint8_t)ike_encr_key_len(algs[i].encr,
						    algs[i].bits);
		k.a_len = (uint8_t)ike_integ_key_len(algs[i].integ);
		memset(k.ei, 0x11, sizeof(k.ei));
		memset(k.er, 0x22, sizeof(k.er));
		memset(k.ai, 0x33, sizeof(k.ai));
		memset(k.ar, 0x44, sizeof(k.ar));
		for (dir = 0; dir < 2; dir++) {
			for (vlen = 0; vlen < 40; vlen++) {
				ike_sk_ctx_init(&out, ops, &k, dir, true, NULL);
				ike_sk_ctx_init(&in, ops, &k, !dir, false,
						NULL);
				ike_build_init(&b, buf, sizeof(buf), &h);
				ike_build_sk_begin(&b,
						   ike_sk_iv_len(algs[i].encr));
				ike_build_vendor(&b, data, vlen);
				n = ike_sk_seal(&b, &out, &rng);
				assert_true(n > 0);
				assert_int_equal(ike_msg_decode(buf, (size_t)n,
								&m, &why), 0);
				assert_int_equal(ike_sk_open(&in, buf,
							     (size_t)n, &m,
							     plain,
							     sizeof(plain),
							     &plen, &why), 0);
				assert_int_equal(plen, 4 + vlen);
				assert_int_equal(ike_msg_decode_inner(&m,
								      plain,
								      plen,
								      &why),
						 0);
				assert_int_equal(m.pl[0].u.vendor.len, vlen);
				/* Our own outbound keys do not open it:
				 * each direction has its own. */
				ike_sk_ctx_init(&in, ops, &k, dir, false,
						NULL);
				assert_int_equal(ike_sk_open(&in, buf,
							     (size_t)n, &m,
							     plain,
							     sizeof(plain),
							     &plen, &why),
						 -EBADMSG);
			}
		}
	}
}

/* Any single flipped bit: the header then fails to decode, or the SK
 * fails its integrity check, counted. */
static void
flip_each(const struct ike_sk_ctx *c, const uint8_t *msg, size_t len,
	  struct ike_sk_stats *st)
{
	uint8_t *buf = malloc(len), plain[512];
	struct ike_msg m;
	const char *why;
	size_t i, plen;
	uint64_t before;

	assert_non_null(buf);
	for (i = 0; i < len; i++) {
		memcpy(buf, msg, len);
		buf[i] ^= 0x01;
		if (ike_msg_decode(buf, len, &m, &why) != 0)
			continue;
		before = st->icv_fail;
		why = NULL;
		assert_int_equal(ike_sk_open(c, buf, len, &m, plain,
					     sizeof(plain), &plen, &why),
				 -EBADMSG);
		assert_string_equal(why,
				    "SK: ICV mismatch (integrity check failed)");
		assert_int_equal(st->icv_fail, before + 1);
	}
	free(buf);
}

static void
test_icv_failure(void **state TW_UNUSED)
{
	struct ike_sk_stats st = { 0 };
	struct ike_sa_keys k;
	struct ike_sk_ctx in;

	keys_a(&k);
	ike_sk_ctx_init(&in, ops, &k, false, false, &st);
	flip_each(&in, ikev_sk_cbc_msg, sizeof(ikev_sk_cbc_msg), &st);
	assert_true(st.icv_fail > 100);
	assert_int_equal(st.opened, 0);
	keys_b(&k);
	ike_sk_ctx_init(&in, ops, &k, false, false, &st);
	flip_each(&in, ikev_sk_gcm_msg, sizeof(ikev_sk_gcm_msg), &st);
	assert_int_equal(st.opened, 0);
}

static void
test_bad_lengths(void **state TW_UNUSED)
{
	struct ike_sk_stats st = { 0 };
	uint8_t buf[512], plain[512];
	struct ike_sa_keys k;
	struct ike_sk_ctx in;
	struct ike_msg m;
	const char *why;
	size_t len = sizeof(ikev_sk_cbc_msg), plen;

	keys_a(&k);
	ike_sk_ctx_init(&in, ops, &k, false, false, &st);
	/* Cut 1 byte from the end (lengths patched): not whole blocks. */
	memcpy(buf, ikev_sk_cbc_msg, len);
	len--;
	buf[27] = (uint8_t)len;
	buf[IKE_HDR_LEN + 3]--;
	assert_int_equal(ike_msg_decode(buf, len, &m, &why), 0);
	assert_int_equal(ike_sk_open(&in, buf, len, &m, plain, sizeof(plain),
				     &plen, &why), -EINVAL);
	assert_int_equal(st.bad_len, 1);
	/* An SK shorter than IV + ICV. */
	len = IKE_HDR_LEN + 4 + 20;
	buf[24] = 0;
	buf[25] = 0;
	buf[26] = 0;
	buf[27] = (uint8_t)len;
	buf[IKE_HDR_LEN + 2] = 0;
	buf[IKE_HDR_LEN + 3] = 24;
	assert_int_equal(ike_msg_decode(buf, len, &m, &why), 0);
	assert_int_equal(ike_sk_open(&in, buf, len, &m, plain, sizeof(plain),
				     &plen, &why), -EINVAL);
	assert_int_equal(st.bad_len, 2);
	/* Output buffer too small. */
	len = sizeof(ikev_sk_cbc_msg);
	assert_int_equal(ike_msg_decode(ikev_sk_cbc_msg, len, &m, &why), 0);
	assert_int_equal(ike_sk_open(&in, ikev_sk_cbc_msg, len, &m, plain, 16,
				     &plen, &why), -ENOSPC);
	/* Keys that do not fit the algorithm. */
	in.ek_len = 16;
	assert_int_equal(ike_sk_open(&in, ikev_sk_cbc_msg, len, &m, plain,
				     sizeof(plain), &plen, &why), -EINVAL);
	/* A message without SK. */
	memcpy(buf, ikev_sk_cbc_msg, IKE_HDR_LEN);
	buf[16] = 0;
	buf[27] = IKE_HDR_LEN;
	assert_int_equal(ike_msg_decode(buf, IKE_HDR_LEN, &m, &why), 0);
	ike_sk_ctx_init(&in, ops, &k, false, false, &st);
	assert_int_equal(ike_sk_open(&in, buf, IKE_HDR_LEN, &m, plain,
				     sizeof(plain), &plen, &why), -EINVAL);
}

/* A well-authenticated SK whose Pad Length exceeds the plaintext. */
static void
test_bad_padding(void **state TW_UNUSED)
{
	static const uint8_t iv[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	struct ike_sk_stats st = { 0 };
	uint8_t msg[128], plain[64], nonce[12], pt[4] = { 0, 0, 0, 9 };
	struct ike_sa_keys k;
	struct ike_sk_ctx in;
	struct ike_msg m;
	const char *why;
	size_t len = IKE_HDR_LEN + 4 + 8 + sizeof(pt) + 16, plen;

	keys_b(&k);
	memset(msg, 0, sizeof(msg));
	msg[16] = IKE_PL_SK;
	msg[17] = 0x20;
	msg[18] = IKE_EXCH_INFORMATIONAL;
	msg[27] = (uint8_t)len;
	msg[IKE_HDR_LEN] = IKE_PL_NONCE;
	msg[IKE_HDR_LEN + 3] = (uint8_t)(len - IKE_HDR_LEN);
	memcpy(msg + IKE_HDR_LEN + 4, iv, 8);
	memcpy(nonce, ikev_b_sk_er + 32, 4);
	memcpy(nonce + 4, iv, 8);
	assert_int_equal(ops->gcm_seal(ikev_b_sk_er, 32, nonce, msg,
				       IKE_HDR_LEN + 4, pt,
				       msg + IKE_HDR_LEN + 12, sizeof(pt),
				       msg + IKE_HDR_LEN + 12 + sizeof(pt),
				       16), 0);
	assert_int_equal(ike_msg_decode(msg, len, &m, &why), 0);
	/* The initiator receives with SK_er. */
	ike_sk_ctx_init(&in, ops, &k, true, false, &st);
	assert_int_equal(ike_sk_open(&in, msg, len, &m, plain, sizeof(plain),
				     &plen, &why), -EINVAL);
	assert_int_equal(st.bad_pad, 1);
	/* Pad Length 3 is exactly the plaintext: an empty inner chain. */
	pt[3] = 3;
	assert_int_equal(ops->gcm_seal(ikev_b_sk_er, 32, nonce, msg,
				       IKE_HDR_LEN + 4, pt,
				       msg + IKE_HDR_LEN + 12, sizeof(pt),
				       msg + IKE_HDR_LEN + 12 + sizeof(pt),
				       16), 0);
	assert_int_equal(ike_sk_open(&in, msg, len, &m, plain, sizeof(plain),
				     &plen, &why), 0);
	assert_int_equal(plen, 0);
}

static void
test_seal_bounds(void **state TW_UNUSED)
{
	uint8_t full[512], *buf;
	struct ike_sa_keys k;
	struct ike_sk_ctx out;
	size_t cap;
	int n, i;

	for (i = 0; i < 2; i++) {
		if (i == 0)
			keys_a(&k);
		else
			keys_b(&k);
		ike_sk_ctx_init(&out, ops, &k, true, true, NULL);
		n = build_vector_msg(full, sizeof(full), &out, NULL, 0);
		assert_true(n > 0);
		for (cap = 0; cap < (size_t)n; cap++) {
			buf = malloc(cap ? cap : 1);
			assert_non_null(buf);
			assert_int_equal(build_vector_msg(buf, cap, &out, NULL,
							  0), -ENOSPC);
			free(buf);
		}
		assert_true(ike_sk_overhead(k.algs.encr, k.algs.integ) >=
			    (size_t)(i == 0 ? 16 + 16 : 17));
	}
	/* Seal without an SK payload, or with IV room of another size. */
	{
		struct script_rng s = { NULL, 0, 0 };
		struct ike_rng rng = { script_bytes, &s };
		struct ike_builder b;
		struct ike_hdr h;

		memset(&h, 0, sizeof(h));
		ike_build_init(&b, full, sizeof(full), &h);
		assert_int_equal(ike_sk_seal(&b, &out, &rng), -EINVAL);
		ike_build_init(&b, full, sizeof(full), &h);
		ike_build_sk_begin(&b, 16);   /* out is GCM: IV 8 */
		assert_int_equal(ike_sk_seal(&b, &out, &rng), -EINVAL);
	}
}

/*
 * Issue 14.5: ike_sk_seal() that fails leaves no plaintext behind in the
 * buffer (ike_sk.h), whichever check fails: no room for the padding and
 * ICV, or the IV room of another cipher.
 */
static void
test_seal_fail_wiped(void **state TW_UNUSED)
{
	static const char secret[] = "attack at dawn, the key is 0x5ec2e7";
	struct script_rng s = { NULL, 0, 0 };
	struct ike_rng rng = { script_bytes, &s };
	uint8_t buf[IKE_HDR_LEN + IKE_GEN_HDR_LEN + 16 + 8 + sizeof(secret)];
	struct ike_builder b;
	struct ike_sk_ctx out;
	struct ike_sa_keys k;
	struct ike_hdr h;
	size_t i, j, iv;
	int pass;

	for (pass = 0; pass < 2; pass++) {
		keys_a(&k);                       /* CBC: IV 16 */
		ike_sk_ctx_init(&out, ops, &k, true, true, NULL);
		memset(&h, 0, sizeof(h));
		memset(buf, 0, sizeof(buf));
		ike_build_init(&b, buf, sizeof(buf), &h);
		iv = pass == 0 ? 16 : 8;
		ike_build_sk_begin(&b, iv);
		ike_build_notify(&b, 0, NULL, 0, IKE_N_INITIAL_CONTACT,
				 (const uint8_t *)secret, sizeof(secret));
		assert_int_equal(b.err, 0);
		/* The plaintext is there; no room for padding and ICV (or
		 * the IV room is GCM's). */
		for (j = 0; j + sizeof(secret) <= sizeof(buf); j++)
			if (memcmp(buf + j, secret, sizeof(secret)) == 0)
				break;
		assert_true(j + sizeof(secret) <= sizeof(buf));
		assert_true(ike_sk_seal(&b, &out, &rng) < 0);
		for (i = IKE_HDR_LEN + IKE_GEN_HDR_LEN; i < sizeof(buf); i++)
			assert_int_equal(buf[i], 0);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_answer_cbc),
		cmocka_unit_test(test_known_answer_gcm),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_icv_failure),
		cmocka_unit_test(test_bad_lengths),
		cmocka_unit_test(test_bad_padding),
		cmocka_unit_test(test_seal_bounds),
		cmocka_unit_test(test_seal_fail_wiped),
	};

	ops = ike_crypto_openssl();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
