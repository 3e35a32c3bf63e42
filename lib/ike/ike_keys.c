/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * RFC 7296 key constructions on top of an ike_crypto_ops table: prf+
 * (2.13), SKEYSEED and SK_* (2.14, 2.18), Child SA KEYMAT (2.17), PSK AUTH
 * (2.15), NAT detection (2.23), and random SPIs.
 */
#include <errno.h>
#include <string.h>

#include <openssl/crypto.h>

#include "ike_crypto.h"
#include "tw_bytes.h"

#define PRFPLUS_MAX_BLOCKS 255   /* the counter is one octet */
#define PRFPLUS_MAX_SEEDS 8
#define NONCE_MAX 256            /* RFC 7296 3.9 */
#define RNG_TRIES 16             /* a stuck RNG fails instead of looping */

int
ike_prfplus(const struct ike_crypto_ops *ops, uint16_t prf,
	    const uint8_t *key, size_t key_len, const struct ike_chunk *seed,
	    unsigned int n_seed, uint8_t *out, size_t out_len)
{
	struct ike_chunk in[PRFPLUS_MAX_SEEDS + 2];
	uint8_t t[IKE_PRF_MAX];
	unsigned int plen = ike_prf_len(prf), i, k = 0;
	uint8_t counter;
	size_t done = 0, n;
	int rc = 0;

	if (plen == 0)
		return -ENOTSUP;
	if (n_seed > PRFPLUS_MAX_SEEDS ||
	    out_len > (size_t)plen * PRFPLUS_MAX_BLOCKS)
		return -EINVAL;
	/* T1 = prf(K, S | 0x01), Tn = prf(K, Tn-1 | S | n). */
	for (counter = 1; done < out_len; counter++) {
		k = 0;
		if (counter > 1)
			in[k++] = (struct ike_chunk){ t, plen };
		for (i = 0; i < n_seed; i++)
			in[k++] = seed[i];
		in[k++] = (struct ike_chunk){ &counter, 1 };
		rc = ops->prf(prf, key, key_len, in, k, t);
		if (rc != 0)
			break;
		n = out_len - done < plen ? out_len - done : plen;
		memcpy(out + done, t, n);
		done += n;
	}
	OPENSSL_cleanse(t, sizeof(t));
	if (rc != 0)
		OPENSSL_cleanse(out, out_len);
	return rc;
}

int
ike_skeyseed(const struct ike_crypto_ops *ops, uint16_t prf,
	     const uint8_t *ni, size_t ni_len, const uint8_t *nr,
	     size_t nr_len, const uint8_t *gir, size_t gir_len, uint8_t *out)
{
	uint8_t key[2 * NONCE_MAX];
	struct ike_chunk in = { gir, gir_len };
	int rc;

	if (ni_len > NONCE_MAX || nr_len > NONCE_MAX)
		return -EINVAL;
	/* The key is Ni | Nr, whole: HMAC takes keys of any length. */
	memcpy(key, ni, ni_len);
	memcpy(key + ni_len, nr, nr_len);
	rc = ops->prf(prf, key, ni_len + nr_len, &in, 1, out);
	OPENSSL_cleanse(key, sizeof(key));
	return rc;
}

int
ike_skeyseed_rekey(const struct ike_crypto_ops *ops, uint16_t old_prf,
		   const uint8_t *old_sk_d, size_t old_sk_d_len,
		   const uint8_t *gir, size_t gir_len, const uint8_t *ni,
		   size_t ni_len, const uint8_t *nr, size_t nr_len,
		   uint8_t *out)
{
	struct ike_chunk in[3] = {
		{ gir, gir_len }, { ni, ni_len }, { nr, nr_len },
	};

	return ops->prf(old_prf, old_sk_d, old_sk_d_len, in, 3, out);
}

int
ike_sa_keys_derive(const struct ike_crypto_ops *ops,
		   const struct ike_sa_algs *algs, const uint8_t *skeyseed,
		   size_t skeyseed_len, const uint8_t *ni, size_t ni_len,
		   const uint8_t *nr, size_t nr_len, uint64_t spi_i,
		   uint64_t spi_r, struct ike_sa_keys *k)
{
	uint8_t spis[16], km[7 * IKE_KEY_MAX], *q;
	struct ike_chunk seed[3] = {
		{ ni, ni_len }, { nr, nr_len }, { spis, sizeof(spis) },
	};
	unsigned int p_len = ike_prf_len(algs->prf);
	unsigned int e_len = ike_encr_key_len(algs->encr, algs->encr_bits);
	unsigned int a_len = ike_integ_key_len(algs->integ);
	size_t total;
	int rc;

	if (p_len == 0 || e_len == 0)
		return -ENOTSUP;
	if (ike_encr_is_aead(algs->encr) ?
	    algs->integ != IKE_INTEG_NONE : a_len == 0)
		return -ENOTSUP;
	tw_put64(spis, spi_i);
	tw_put64(spis + 8, spi_r);
	total = 3 * (size_t)p_len + 2 * (size_t)a_len + 2 * (size_t)e_len;
	rc = ike_prfplus(ops, algs->prf, skeyseed, skeyseed_len, seed, 3, km,
			 total);
	if (rc != 0)
		return rc;
	memset(k, 0, sizeof(*k));
	k->algs = *algs;
	k->d_len = (uint8_t)p_len;
	k->p_len = (uint8_t)p_len;
	k->a_len = (uint8_t)a_len;
	k->e_len = (uint8_t)e_len;
	q = km;
	memcpy(k->d, q, p_len);
	q += p_len;
	memcpy(k->ai, q, a_len);
	q += a_len;
	memcpy(k->ar, q, a_len);
	q += a_len;
	memcpy(k->ei, q, e_len);
	q += e_len;
	memcpy(k->er, q, e_len);
	q += e_len;
	memcpy(k->pi, q, p_len);
	q += p_len;
	memcpy(k->pr, q, p_len);
	OPENSSL_cleanse(km, sizeof(km));
	return 0;
}

void
ike_sa_keys_wipe(struct ike_sa_keys *k)
{
	OPENSSL_cleanse(k, sizeof(*k));
}

int
ike_child_keys_derive(const struct ike_crypto_ops *ops, uint16_t prf,
		      const uint8_t *sk_d, size_t sk_d_len,
		      const uint8_t *gir, size_t gir_len,
		      const uint8_t *ni, size_t ni_len,
		      const uint8_t *nr, size_t nr_len,
		      uint16_t encr, uint16_t encr_bits, uint16_t integ,
		      struct ike_child_keys *k)
{
	uint8_t km[4 * IKE_KEY_MAX], *q;
	struct ike_chunk seed[3];
	unsigned int e_len = ike_encr_key_len(encr, encr_bits);
	unsigned int a_len = ike_integ_key_len(integ);
	unsigned int n = 0;
	int rc;

	if (e_len == 0)
		return -ENOTSUP;
	if (ike_encr_is_aead(encr) ? integ != IKE_INTEG_NONE : a_len == 0)
		return -ENOTSUP;
	if (gir != NULL)
		seed[n++] = (struct ike_chunk){ gir, gir_len };
	seed[n++] = (struct ike_chunk){ ni, ni_len };
	seed[n++] = (struct ike_chunk){ nr, nr_len };
	rc = ike_prfplus(ops, prf, sk_d, sk_d_len, seed, n, km,
			 2 * ((size_t)e_len + a_len));
	if (rc != 0)
		return rc;
	/* RFC 7296 2.17: encryption key then integrity key, the SA from
	 * the initiator to the responder first. */
	memset(k, 0, sizeof(*k));
	k->encr_len = (uint8_t)e_len;
	k->integ_len = (uint8_t)a_len;
	q = km;
	memcpy(k->encr_i2r, q, e_len);
	q += e_len;
	memcpy(k->integ_i2r, q, a_len);
	q += a_len;
	memcpy(k->encr_r2i, q, e_len);
	q += e_len;
	memcpy(k->integ_r2i, q, a_len);
	OPENSSL_cleanse(km, sizeof(km));
	return 0;
}

void
ike_child_keys_wipe(struct ike_child_keys *k)
{
	OPENSSL_cleanse(k, sizeof(*k));
}

int
ike_auth_psk(const struct ike_crypto_ops *ops, uint16_t prf,
	     const uint8_t *psk, size_t psk_len, const uint8_t *msg,
	     size_t msg_len, const uint8_t *nonce, size_t nonce_len,
	     const uint8_t *sk_p, size_t sk_p_len, const uint8_t *id_body,
	     size_t id_len, uint8_t *out)
{
	static const char pad[] = "Key Pad for IKEv2"; /* 17 octets, no NUL */
	uint8_t maced_id[IKE_PRF_MAX], inner[IKE_PRF_MAX];
	struct ike_chunk c = { (const uint8_t *)pad, sizeof(pad) - 1 };
	struct ike_chunk signed_octets[3];
	unsigned int plen = ike_prf_len(prf);
	int rc;

	if (plen == 0)
		return -ENOTSUP;
	/* MACedIDFor[IR] = prf(SK_p[ir], RestOf[IR]IDPayload) */
	signed_octets[0] = (struct ike_chunk){ id_body, id_len };
	rc = ops->prf(prf, sk_p, sk_p_len, signed_octets, 1, maced_id);
	if (rc != 0)
		goto out;
	rc = ops->prf(prf, psk, psk_len, &c, 1, inner);
	if (rc != 0)
		goto out;
	signed_octets[0] = (struct ike_chunk){ msg, msg_len };
	signed_octets[1] = (struct ike_chunk){ nonce, nonce_len };
	signed_octets[2] = (struct ike_chunk){ maced_id, plen };
	rc = ops->prf(prf, inner, plen, signed_octets, 3, out);
out:
	OPENSSL_cleanse(inner, sizeof(inner));
	OPENSSL_cleanse(maced_id, sizeof(maced_id));
	return rc;
}

bool
ike_auth_equal(const uint8_t *a, const uint8_t *b, size_t len)
{
	return CRYPTO_memcmp(a, b, len) == 0;
}

int
ike_natd_hash(const struct ike_crypto_ops *ops, uint64_t spi_i,
	      uint64_t spi_r, const struct tw_addr *addr, uint16_t port,
	      uint8_t out[IKE_NATD_LEN])
{
	uint8_t b[8 + 8 + 16 + 2];
	struct ike_chunk c = { b, 0 };
	size_t alen;

	tw_put64(b, spi_i);
	tw_put64(b + 8, spi_r);
	if (addr->family == TW_AF_INET) {
		tw_put32(b + 16, addr->v4);
		alen = 4;
	} else if (addr->family == TW_AF_INET6) {
		memcpy(b + 16, addr->v6, 16);
		alen = 16;
	} else {
		return -EINVAL;
	}
	tw_put16(b + 16 + alen, port);
	c.len = 16 + alen + 2;
	return ops->sha1(&c, 1, out);
}

int
ike_rng_bytes(const struct ike_rng *rng, uint8_t *buf, size_t len)
{
	return rng->bytes(rng->arg, buf, len);
}

int
ike_rng_spi(const struct ike_rng *rng, uint64_t *spi)
{
	uint8_t b[8];
	uint64_t v = 0;
	unsigned int i, tries = 0;
	int rc;

	do {
		if (tries++ == RNG_TRIES)
			return -EIO;
		rc = rng->bytes(rng->arg, b, sizeof(b));
		if (rc != 0)
			return rc;
		for (i = 0, v = 0; i < 8; i++)
			v = v << 8 | b[i];
	} while (v == 0);
	*spi = v;
	return 0;
}

int
ike_rng_esp_spi(const struct ike_rng *rng, uint32_t *spi)
{
	uint8_t b[4];
	uint32_t v;
	unsigned int tries = 0;
	int rc;

	do {
		if (tries++ == RNG_TRIES)
			return -EIO;
		rc = rng->bytes(rng->arg, b, sizeof(b));
		if (rc != 0)
			return rc;
		v = tw_get32(b);
	} while (v < 256);
	*spi = v;
	return 0;
}
