/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Diffie-Hellman groups 14 (MODP-2048, RFC 3526), 19/20 (ECP-256/384,
 * RFC 5903) and 31 (Curve25519, RFC 8031) on OpenSSL: EVP_PKEY for MODP
 * and X25519, EC_POINT arithmetic on a cached EC_GROUP for ECP.
 *
 * Public values as the KE payload carries them: MODP y zero-padded to the
 * 256-byte prime (RFC 7296 3.4); ECP x | y without the 0x04 prefix
 * (RFC 5903 7); X25519 the 32-byte u coordinate. Shared secrets: MODP
 * padded to the prime, ECP the x coordinate (RFC 5903 7), X25519 the 32
 * bytes (an all-zero result is refused by OpenSSL, RFC 8031 2.3).
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/dh.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>

#include "ike_crypto.h"
#include "ike_dh.h"
#include "tw_compiler.h"

enum dh_kind {
	DH_MODP,
	DH_ECP,
	DH_X25519,
};

struct dh_group {
	uint16_t id;
	enum dh_kind kind;
	const char *name;        /* OpenSSL group name */
	int nid;                 /* ECP curve */
	unsigned int pub_len;    /* KE data */
	unsigned int priv_len;   /* private value drawn from an ike_rng */
};

static const struct dh_group groups[] = {
	/* A 256-bit exponent: twice the ~112-bit strength of the group. */
	{ IKE_DH_MODP_2048, DH_MODP, "modp_2048", NID_undef, 256, 32 },
	{ IKE_DH_ECP_256, DH_ECP, "P-256", NID_X9_62_prime256v1, 64, 32 },
	{ IKE_DH_ECP_384, DH_ECP, "P-384", NID_secp384r1, 96, 48 },
	{ IKE_DH_CURVE25519, DH_X25519, "X25519", NID_undef, 32, 32 },
};

#define N_GROUPS (sizeof(groups) / sizeof(groups[0]))

/*
 * MODP and X25519 keys are EVP_PKEYs. ECP keys are the scalar d and the
 * public value computed once: the per-operation cost of the EVP route
 * (a new EC_GROUP and a parameter import for every key and every peer
 * value, and a full public-key check that multiplies the peer point by
 * the group order) was larger than the point multiplications themselves.
 */
struct ike_dh {
	const struct dh_group *g;
	EVP_PKEY *pkey;                 /* MODP, X25519 */
	BIGNUM *d;                      /* ECP: secure heap */
	uint8_t pub[2 * 48];            /* ECP: x | y (RFC 5903 7) */
};

/* The ECP curves, built once (read-only afterwards, shareable). */
static EC_GROUP *ecp_group[N_GROUPS];
static pthread_once_t ecp_once = PTHREAD_ONCE_INIT;

static void
ecp_init(void)
{
	size_t i;

	for (i = 0; i < N_GROUPS; i++)
		if (groups[i].kind == DH_ECP)
			ecp_group[i] = EC_GROUP_new_by_curve_name(
				groups[i].nid);
}

static const EC_GROUP *
ecp_curve(const struct dh_group *g)
{
	if (pthread_once(&ecp_once, ecp_init) != 0)
		return NULL;
	return ecp_group[g - groups];
}

static const struct dh_group *
group_find(uint16_t id)
{
	size_t i;

	for (i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
		if (groups[i].id == id)
			return &groups[i];
	return NULL;
}

bool
ike_dh_supported(uint16_t group)
{
	return group_find(group) != NULL;
}

unsigned int
ike_dh_pub_len(uint16_t group)
{
	const struct dh_group *g = group_find(group);

	return g == NULL ? 0 : g->pub_len;
}

/* EVP_PKEY from params (selection: keypair or public key). */
static EVP_PKEY *
from_params(const char *type, OSSL_PARAM_BLD *bld, int selection)
{
	OSSL_PARAM *params = OSSL_PARAM_BLD_to_param(bld);
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *pkey = NULL;

	if (params == NULL)
		return NULL;
	ctx = EVP_PKEY_CTX_new_from_name(NULL, type, NULL);
	if (ctx == NULL || EVP_PKEY_fromdata_init(ctx) != 1 ||
	    EVP_PKEY_fromdata(ctx, &pkey, selection, params) != 1)
		pkey = NULL;
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	return pkey;
}

/* The MODP key x (1 < x < p - 1) with y = 2^x mod p. */
static EVP_PKEY *
modp_private(const struct dh_group *g, const uint8_t *priv, size_t len)
{
	BIGNUM *p = NULL, *x = NULL, *y = NULL, *two = NULL, *pm1 = NULL;
	OSSL_PARAM_BLD *bld = NULL;
	BN_CTX *bnctx = NULL;
	EVP_PKEY *pkey = NULL;

	p = BN_get_rfc3526_prime_2048(NULL);
	x = BN_secure_new();
	y = BN_new();
	two = BN_new();
	pm1 = BN_new();
	bnctx = BN_CTX_new();
	bld = OSSL_PARAM_BLD_new();
	if (p == NULL || x == NULL || y == NULL || two == NULL ||
	    pm1 == NULL || bnctx == NULL || bld == NULL)
		goto out;
	if (BN_bin2bn(priv, (int)len, x) == NULL ||
	    BN_set_word(two, 2) != 1 || BN_sub(pm1, p, BN_value_one()) != 1)
		goto out;
	if (BN_cmp(x, BN_value_one()) <= 0 || BN_cmp(x, pm1) >= 0)
		goto out;
	BN_set_flags(x, BN_FLG_CONSTTIME);
	if (BN_mod_exp_mont_consttime(y, two, x, p, bnctx, NULL) != 1)
		goto out;
	if (OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
					    g->name, 0) != 1 ||
	    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PUB_KEY, y) != 1 ||
	    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, x) != 1)
		goto out;
	pkey = from_params("DH", bld, EVP_PKEY_KEYPAIR);
out:
	OSSL_PARAM_BLD_free(bld);
	BN_CTX_free(bnctx);
	BN_free(p);
	BN_clear_free(x);
	BN_free(y);
	BN_free(two);
	BN_free(pm1);
	return pkey;
}

/* The ECP key d (0 < d < n) with Q = dG; takes d. */
static int
ecp_from_scalar(const struct dh_group *g, BIGNUM *d, struct ike_dh **out)
{
	uint8_t pub[1 + 2 * 48];
	const EC_GROUP *grp = ecp_curve(g);
	struct ike_dh *dh = NULL;
	BN_CTX *bnctx = NULL;
	EC_POINT *q = NULL;
	int rc = -EINVAL;

	if (grp == NULL) {
		rc = -EIO;
		goto out;
	}
	if (BN_is_zero(d) || BN_is_negative(d) ||
	    BN_cmp(d, EC_GROUP_get0_order(grp)) >= 0)
		goto out;
	BN_set_flags(d, BN_FLG_CONSTTIME);
	rc = -EIO;
	bnctx = BN_CTX_secure_new();
	q = EC_POINT_new(grp);
	if (bnctx == NULL || q == NULL ||
	    EC_POINT_mul(grp, q, d, NULL, NULL, bnctx) != 1 ||
	    EC_POINT_point2oct(grp, q, POINT_CONVERSION_UNCOMPRESSED, pub,
			       sizeof(pub), bnctx) != 1 + g->pub_len)
		goto out;
	dh = calloc(1, sizeof(*dh));
	if (dh == NULL) {
		rc = -ENOMEM;
		goto out;
	}
	dh->g = g;
	dh->d = d;
	d = NULL;
	memcpy(dh->pub, pub + 1, g->pub_len);
	*out = dh;
	rc = 0;
out:
	EC_POINT_free(q);
	BN_CTX_free(bnctx);
	BN_clear_free(d);
	return rc;
}

static int
ecp_private(const struct dh_group *g, const uint8_t *priv, size_t len,
	    struct ike_dh **out)
{
	BIGNUM *d = BN_secure_new();

	if (d == NULL)
		return -ENOMEM;
	if (BN_bin2bn(priv, (int)len, d) == NULL) {
		BN_clear_free(d);
		return -EIO;
	}
	return ecp_from_scalar(g, d, out);
}

/* d uniform in [1, n - 1] from OpenSSL's private DRBG. */
static int
ecp_generate(const struct dh_group *g, struct ike_dh **out)
{
	const EC_GROUP *grp = ecp_curve(g);
	BIGNUM *d = BN_secure_new(), *nm1 = BN_new();
	int rc = -EIO;

	if (grp == NULL || d == NULL || nm1 == NULL ||
	    BN_sub(nm1, EC_GROUP_get0_order(grp), BN_value_one()) != 1 ||
	    BN_priv_rand_range_ex(d, nm1, 0, NULL) != 1 ||
	    BN_add(d, d, BN_value_one()) != 1) {
		BN_clear_free(d);
		goto out;
	}
	rc = ecp_from_scalar(g, d, out);
out:
	BN_free(nm1);
	return rc;
}

static int
wrap(const struct dh_group *g, EVP_PKEY *pkey, struct ike_dh **out)
{
	struct ike_dh *dh;

	if (pkey == NULL)
		return -EINVAL;
	dh = calloc(1, sizeof(*dh));
	if (dh == NULL) {
		EVP_PKEY_free(pkey);
		return -ENOMEM;
	}
	dh->g = g;
	dh->pkey = pkey;
	*out = dh;
	return 0;
}

int
ike_dh_ossl_new_private(uint16_t group, const uint8_t *priv, size_t len,
			struct ike_dh **out)
{
	const struct dh_group *g = group_find(group);
	EVP_PKEY *pkey = NULL;

	if (g == NULL)
		return -ENOTSUP;
	if (len == 0 || len > 256)
		return -EINVAL;
	switch (g->kind) {
	case DH_MODP:
		pkey = modp_private(g, priv, len);
		break;
	case DH_ECP:
		return ecp_private(g, priv, len, out);
	case DH_X25519:
		if (len != 32)
			return -EINVAL;
		pkey = EVP_PKEY_new_raw_private_key_ex(NULL, g->name, NULL,
						       priv, len);
		break;
	}
	return wrap(g, pkey, out);
}

/* OpenSSL's own generator (its DRBG), for the daemon. */
static EVP_PKEY *
keygen(const struct dh_group *g)
{
	OSSL_PARAM params[2];
	EVP_PKEY_CTX *ctx;
	EVP_PKEY *pkey = NULL;

	switch (g->kind) {
	case DH_MODP:
		ctx = EVP_PKEY_CTX_new_from_name(NULL, "DH", NULL);
		break;
	case DH_ECP:
		ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
		break;
	default:
		ctx = EVP_PKEY_CTX_new_from_name(NULL, g->name, NULL);
		break;
	}
	if (ctx == NULL)
		return NULL;
	if (EVP_PKEY_keygen_init(ctx) != 1)
		goto out;
	if (g->kind != DH_X25519) {
		params[0] = OSSL_PARAM_construct_utf8_string(
			OSSL_PKEY_PARAM_GROUP_NAME,
			TW_UNCONST(char *, g->name), 0);
		params[1] = OSSL_PARAM_construct_end();
		if (EVP_PKEY_CTX_set_params(ctx, params) != 1)
			goto out;
	}
	if (EVP_PKEY_generate(ctx, &pkey) != 1)
		pkey = NULL;
out:
	EVP_PKEY_CTX_free(ctx);
	return pkey;
}

int
ike_dh_ossl_new(uint16_t group, const struct ike_rng *rng,
		struct ike_dh **out)
{
	const struct dh_group *g = group_find(group);
	uint8_t priv[64];
	unsigned int tries;
	int rc = -EINVAL;

	if (g == NULL)
		return -ENOTSUP;
	if (rng == NULL)
		return g->kind == DH_ECP ? ecp_generate(g, out) :
			wrap(g, keygen(g), out);
	/* A value out of range (ECP d >= n, MODP x <= 1) is drawn again;
	 * with these sizes that is astronomically rare. */
	for (tries = 0; tries < 8 && rc == -EINVAL; tries++) {
		rc = rng->bytes(rng->arg, priv, g->priv_len);
		if (rc != 0)
			break;
		rc = ike_dh_ossl_new_private(group, priv, g->priv_len, out);
	}
	OPENSSL_cleanse(priv, sizeof(priv));
	return rc;
}

static int
put_bn_param(const EVP_PKEY *pkey, const char *name, uint8_t *out,
	     size_t len)
{
	BIGNUM *bn = NULL;
	int rc = -EIO;

	if (EVP_PKEY_get_bn_param(pkey, name, &bn) == 1 &&
	    BN_bn2binpad(bn, out, (int)len) == (int)len)
		rc = 0;
	BN_free(bn);
	return rc;
}

int
ike_dh_ossl_public(const struct ike_dh *dh, uint8_t *out, size_t cap)
{
	const struct dh_group *g = dh->g;
	size_t len = g->pub_len;
	int rc;

	if (cap < g->pub_len)
		return -ENOSPC;
	switch (g->kind) {
	case DH_MODP:
		rc = put_bn_param(dh->pkey, OSSL_PKEY_PARAM_PUB_KEY, out, len);
		break;
	case DH_ECP:
		memcpy(out, dh->pub, len);
		rc = 0;
		break;
	default:
		rc = EVP_PKEY_get_raw_public_key(dh->pkey, out, &len) == 1 &&
			len == g->pub_len ? 0 : -EIO;
		break;
	}
	return rc == 0 ? (int)g->pub_len : rc;
}

/* The peer's public value as an EVP_PKEY, range/curve checked. */
static EVP_PKEY *
peer_key(const struct dh_group *g, const uint8_t *peer, size_t len)
{
	OSSL_PARAM_BLD *bld = NULL;
	BIGNUM *y = NULL, *p = NULL, *pm1 = NULL;
	EVP_PKEY *pkey = NULL;

	if (len != g->pub_len)
		return NULL;
	if (g->kind == DH_X25519)
		return EVP_PKEY_new_raw_public_key_ex(NULL, g->name, NULL,
						      peer, len);
	bld = OSSL_PARAM_BLD_new();
	if (bld == NULL ||
	    OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
					    g->name, 0) != 1)
		goto out;
	/* MODP: 1 < y < p - 1 (RFC 2631 2.1.5 / NIST SP 800-56A). */
	y = BN_bin2bn(peer, (int)len, NULL);
	p = BN_get_rfc3526_prime_2048(NULL);
	pm1 = BN_new();
	if (y == NULL || p == NULL || pm1 == NULL ||
	    BN_sub(pm1, p, BN_value_one()) != 1)
		goto out;
	if (BN_cmp(y, BN_value_one()) <= 0 || BN_cmp(y, pm1) >= 0)
		goto out;
	if (OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PUB_KEY, y) != 1)
		goto out;
	pkey = from_params("DH", bld, EVP_PKEY_PUBLIC_KEY);
out:
	OSSL_PARAM_BLD_free(bld);
	BN_free(y);
	BN_free(p);
	BN_free(pm1);
	return pkey;
}

/*
 * ECP: the x coordinate of d * peer (RFC 5903 7). The peer value must be
 * a point on the curve (the decode checks the coordinates against p and
 * the curve equation); with cofactor 1 that is the whole public-key
 * validation (NIST SP 800-56A 5.6.2.3.4; the order check of the full
 * validation is redundant for these prime-order curves).
 */
static int
ecp_shared(const struct ike_dh *dh, const uint8_t *peer, size_t peer_len,
	   uint8_t *out, size_t want)
{
	const struct dh_group *g = dh->g;
	const EC_GROUP *grp = ecp_curve(g);
	uint8_t pt[1 + 2 * 48];
	EC_POINT *p = NULL, *r = NULL;
	BN_CTX *bnctx = NULL;
	BIGNUM *x;
	int rc = -EIO;

	if (peer_len != g->pub_len)
		return -EINVAL;
	if (grp == NULL)
		return -EIO;
	bnctx = BN_CTX_secure_new();
	p = EC_POINT_new(grp);
	r = EC_POINT_new(grp);
	if (bnctx == NULL || p == NULL || r == NULL)
		goto out;
	BN_CTX_start(bnctx);
	x = BN_CTX_get(bnctx);
	if (x == NULL)
		goto end;
	pt[0] = POINT_CONVERSION_UNCOMPRESSED;
	memcpy(pt + 1, peer, peer_len);
	if (EC_POINT_oct2point(grp, p, pt, peer_len + 1, bnctx) != 1 ||
	    EC_POINT_is_at_infinity(grp, p) ||
	    EC_POINT_is_on_curve(grp, p, bnctx) != 1) {
		rc = -EINVAL;
		goto end;
	}
	if (EC_POINT_mul(grp, r, NULL, p, dh->d, bnctx) != 1 ||
	    EC_POINT_is_at_infinity(grp, r) ||
	    EC_POINT_get_affine_coordinates(grp, r, x, NULL, bnctx) != 1 ||
	    BN_bn2binpad(x, out, (int)want) != (int)want) {
		OPENSSL_cleanse(out, want);
		goto end;
	}
	rc = (int)want;
end:
	BN_CTX_end(bnctx);
out:
	EC_POINT_clear_free(r);
	EC_POINT_free(p);
	BN_CTX_free(bnctx);
	return rc;
}

int
ike_dh_ossl_shared(const struct ike_dh *dh, const uint8_t *peer,
		   size_t peer_len, uint8_t *out, size_t cap)
{
	const struct dh_group *g = dh->g;
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *pk;
	size_t len = 0, want;
	int rc = -EINVAL;

	want = g->kind == DH_ECP ? g->pub_len / 2 : g->pub_len;
	if (cap < want)
		return -ENOSPC;
	if (g->kind == DH_ECP)
		return ecp_shared(dh, peer, peer_len, out, want);
	pk = peer_key(g, peer, peer_len);
	if (pk == NULL)
		return -EINVAL;
	ctx = EVP_PKEY_CTX_new_from_pkey(NULL, dh->pkey, NULL);
	if (ctx == NULL || EVP_PKEY_derive_init(ctx) != 1) {
		rc = -EIO;
		goto out;
	}
	/* RFC 7296 2.14: g^ir is as long as the prime, leading zeros kept. */
	if (g->kind == DH_MODP && EVP_PKEY_CTX_set_dh_pad(ctx, 1) != 1) {
		rc = -EIO;
		goto out;
	}
	/* Validates the peer key (range, subgroup, on the curve). */
	if (EVP_PKEY_derive_set_peer_ex(ctx, pk, 1) != 1)
		goto out;
	len = cap;
	if (EVP_PKEY_derive(ctx, out, &len) != 1 || len != want) {
		OPENSSL_cleanse(out, cap);
		goto out;
	}
	rc = (int)len;
out:
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(pk);
	return rc;
}

void
ike_dh_ossl_free(struct ike_dh *dh)
{
	if (dh == NULL)
		return;
	/* EVP_PKEY_free clears the private key material. */
	EVP_PKEY_free(dh->pkey);
	BN_clear_free(dh->d);
	OPENSSL_cleanse(dh, sizeof(*dh));
	free(dh);
}
