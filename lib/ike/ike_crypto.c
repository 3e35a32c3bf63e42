/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The OpenSSL implementation of struct ike_crypto_ops (symmetric part:
 * HMAC, AES-CBC, AES-GCM, SHA-1; Diffie-Hellman is in ike_dh.c), and the
 * algorithm size tables.
 */
#include <errno.h>
#include <pthread.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include "ike_crypto.h"
#include "ike_dh.h"
#include "tw_compiler.h"

unsigned int
ike_prf_len(uint16_t prf)
{
	switch (prf) {
	case IKE_PRF_HMAC_SHA2_256:
		return 32;
	case IKE_PRF_HMAC_SHA2_384:
		return 48;
	case IKE_PRF_HMAC_SHA2_512:
		return 64;
	default:
		return 0;
	}
}

/* RFC 4868 2.1.1 (SHA-2), RFC 2404 (SHA-1): key = full hash output. */
unsigned int
ike_integ_key_len(uint16_t integ)
{
	switch (integ) {
	case IKE_INTEG_HMAC_SHA1_96:
		return 20;
	case IKE_INTEG_HMAC_SHA2_256_128:
		return 32;
	case IKE_INTEG_HMAC_SHA2_384_192:
		return 48;
	case IKE_INTEG_HMAC_SHA2_512_256:
		return 64;
	default:
		return 0;
	}
}

unsigned int
ike_integ_icv_len(uint16_t integ)
{
	switch (integ) {
	case IKE_INTEG_HMAC_SHA1_96:
		return 12;
	case IKE_INTEG_HMAC_SHA2_256_128:
		return 16;
	case IKE_INTEG_HMAC_SHA2_384_192:
		return 24;
	case IKE_INTEG_HMAC_SHA2_512_256:
		return 32;
	default:
		return 0;
	}
}

unsigned int
ike_encr_key_len(uint16_t encr, uint16_t key_bits)
{
	if (key_bits != 128 && key_bits != 256)
		return 0;
	switch (encr) {
	case IKE_ENCR_AES_CBC:
		return key_bits / 8;
	case IKE_ENCR_AES_GCM_16:
		return key_bits / 8 + IKE_GCM_SALT_LEN;
	default:
		return 0;
	}
}

bool
ike_encr_is_aead(uint16_t encr)
{
	return encr == IKE_ENCR_AES_GCM_16;
}

/*
 * The algorithms, fetched once: a name-based lookup (the provider store,
 * its lock and the property query) on every call cost more than HMAC-ing
 * an IKE message. HMAC: one keyless context per digest with the digest
 * set, duplicated for each key. Read-only after ossl_init().
 */
enum { MD_SHA1, MD_SHA256, MD_SHA384, MD_SHA512, MD_N };

static const char *const md_names[MD_N] = {
	"SHA1", "SHA256", "SHA384", "SHA512",
};

static struct {
	EVP_MAC_CTX *hmac[MD_N];
	EVP_MD *sha1;
	EVP_CIPHER *cbc128, *cbc256, *gcm128, *gcm256;
	bool ok;
} algs;
static pthread_once_t ossl_once = PTHREAD_ONCE_INIT;

static void
ossl_init(void)
{
	EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	OSSL_PARAM params[2];
	unsigned int i;
	bool ok = mac != NULL;

	for (i = 0; ok && i < MD_N; i++) {
		algs.hmac[i] = EVP_MAC_CTX_new(mac);
		params[0] = OSSL_PARAM_construct_utf8_string(
			OSSL_MAC_PARAM_DIGEST,
			TW_UNCONST(char *, md_names[i]), 0);
		params[1] = OSSL_PARAM_construct_end();
		ok = algs.hmac[i] != NULL &&
			EVP_MAC_CTX_set_params(algs.hmac[i], params) == 1;
	}
	/* The contexts hold their own reference to the HMAC method. */
	EVP_MAC_free(mac);
	algs.sha1 = EVP_MD_fetch(NULL, "SHA1", NULL);
	algs.cbc128 = EVP_CIPHER_fetch(NULL, "AES-128-CBC", NULL);
	algs.cbc256 = EVP_CIPHER_fetch(NULL, "AES-256-CBC", NULL);
	algs.gcm128 = EVP_CIPHER_fetch(NULL, "AES-128-GCM", NULL);
	algs.gcm256 = EVP_CIPHER_fetch(NULL, "AES-256-GCM", NULL);
	algs.ok = ok && algs.sha1 != NULL && algs.cbc128 != NULL &&
		algs.cbc256 != NULL && algs.gcm128 != NULL && algs.gcm256 != NULL;
}

static bool
ossl_ready(void)
{
	return pthread_once(&ossl_once, ossl_init) == 0 && algs.ok;
}

static int
md_of_prf(uint16_t prf)
{
	switch (prf) {
	case IKE_PRF_HMAC_SHA2_256:
		return MD_SHA256;
	case IKE_PRF_HMAC_SHA2_384:
		return MD_SHA384;
	case IKE_PRF_HMAC_SHA2_512:
		return MD_SHA512;
	default:
		return -1;
	}
}

static int
md_of_integ(uint16_t integ)
{
	switch (integ) {
	case IKE_INTEG_HMAC_SHA1_96:
		return MD_SHA1;
	case IKE_INTEG_HMAC_SHA2_256_128:
		return MD_SHA256;
	case IKE_INTEG_HMAC_SHA2_384_192:
		return MD_SHA384;
	case IKE_INTEG_HMAC_SHA2_512_256:
		return MD_SHA512;
	default:
		return -1;
	}
}

/*
 * Per-thread working contexts, made once and re-keyed for each call
 * (EVP_MAC_init / EVP_CipherInit_ex with a new key restart them): the
 * allocation and provider set-up of a context per call was ~14 % of the
 * engines' CPU. They live as long as the thread.
 */
static __thread EVP_MAC_CTX *hmac_ctx[MD_N];
static __thread EVP_CIPHER_CTX *gcm_ctx[2];     /* AES-128, AES-256 */

/* HMAC-<digest md>(key, chunks) into out (full length, out_len bytes). */
static int
hmac(int md, const uint8_t *key, size_t key_len,
     const struct ike_chunk *in, unsigned int n, uint8_t *out,
     size_t out_len)
{
	EVP_MAC_CTX *ctx;
	size_t got = 0;
	unsigned int i;
	int rc = -EIO;

	if (!ossl_ready())
		return -EIO;
	ctx = hmac_ctx[md];
	if (ctx == NULL) {
		ctx = EVP_MAC_CTX_dup(algs.hmac[md]);
		if (ctx == NULL)
			return -EIO;
		hmac_ctx[md] = ctx;
	}
	/* A zero-length key is legal for HMAC; OpenSSL wants a pointer. */
	if (EVP_MAC_init(ctx, key_len != 0 ? key : (const uint8_t *)"",
			 key_len, NULL) != 1)
		goto out;
	for (i = 0; i < n; i++)
		if (in[i].len != 0 &&
		    EVP_MAC_update(ctx, in[i].p, in[i].len) != 1)
			goto out;
	if (EVP_MAC_final(ctx, out, &got, out_len) != 1 || got != out_len)
		goto out;
	rc = 0;
out:
	return rc;
}

static int
ossl_prf(uint16_t prf, const uint8_t *key, size_t key_len,
	 const struct ike_chunk *in, unsigned int n, uint8_t *out)
{
	int d = md_of_prf(prf);

	if (d < 0)
		return -ENOTSUP;
	return hmac(d, key, key_len, in, n, out, ike_prf_len(prf));
}

static int
ossl_integ(uint16_t integ, const uint8_t *key, size_t key_len,
	   const struct ike_chunk *in, unsigned int n, uint8_t *icv)
{
	uint8_t full[EVP_MAX_MD_SIZE];
	int d = md_of_integ(integ);
	int rc;

	if (d < 0)
		return -ENOTSUP;
	/* Full-length output is the key length for these HMACs. */
	rc = hmac(d, key, key_len, in, n, full, ike_integ_key_len(integ));
	if (rc == 0)
		memcpy(icv, full, ike_integ_icv_len(integ));
	OPENSSL_cleanse(full, sizeof(full));
	return rc;
}

static const EVP_CIPHER *
aes_cbc(size_t key_len)
{
	switch (key_len) {
	case 16:
		return algs.cbc128;
	case 32:
		return algs.cbc256;
	default:
		return NULL;
	}
}

static const EVP_CIPHER *
aes_gcm(size_t key_len)
{
	switch (key_len) {
	case 16:
		return algs.gcm128;
	case 32:
		return algs.gcm256;
	default:
		return NULL;
	}
}

static int
ossl_cbc(bool encrypt, const uint8_t *key, size_t key_len,
	 const uint8_t iv[IKE_AES_BLOCK], const uint8_t *in, uint8_t *out,
	 size_t len)
{
	const EVP_CIPHER *c;
	EVP_CIPHER_CTX *ctx;
	int n1 = 0, n2 = 0, rc = -EIO;

	if (!ossl_ready())
		return -EIO;
	c = aes_cbc(key_len);
	if (c == NULL)
		return -ENOTSUP;
	if (len % IKE_AES_BLOCK != 0 || len > INT32_MAX)
		return -EINVAL;
	ctx = EVP_CIPHER_CTX_new();
	if (ctx == NULL)
		return -EIO;
	if (EVP_CipherInit_ex(ctx, c, NULL, key, iv, encrypt ? 1 : 0) != 1 ||
	    EVP_CIPHER_CTX_set_padding(ctx, 0) != 1 ||
	    EVP_CipherUpdate(ctx, out, &n1, in, (int)len) != 1 ||
	    EVP_CipherFinal_ex(ctx, out + n1, &n2) != 1 ||
	    (size_t)(n1 + n2) != len)
		goto out;
	rc = 0;
out:
	EVP_CIPHER_CTX_free(ctx);
	return rc;
}

static int
gcm(bool encrypt, const uint8_t *key, size_t key_len, const uint8_t nonce[12],
    const uint8_t *aad, size_t aad_len, const uint8_t *in, uint8_t *out,
    size_t len, uint8_t *tag, size_t tag_len)
{
	const EVP_CIPHER *c;
	EVP_CIPHER_CTX *ctx;
	uint8_t fin[IKE_AES_BLOCK];
	int n = 0, rc = -EIO;

	if (!ossl_ready())
		return -EIO;
	c = aes_gcm(key_len);
	if (c == NULL)
		return -ENOTSUP;
	if (len > INT32_MAX || aad_len > INT32_MAX || tag_len > 16 ||
	    tag_len < 8)
		return -EINVAL;
	ctx = gcm_ctx[key_len == 32];
	if (ctx == NULL) {
		/* The cipher once; 12 bytes is AES-GCM's default IV. */
		ctx = EVP_CIPHER_CTX_new();
		if (ctx == NULL)
			return -EIO;
		if (EVP_CipherInit_ex(ctx, c, NULL, NULL, NULL, 1) != 1 ||
		    EVP_CIPHER_CTX_get_iv_length(ctx) != 12) {
			EVP_CIPHER_CTX_free(ctx);
			return -EIO;
		}
		gcm_ctx[key_len == 32] = ctx;
	}
	if (EVP_CipherInit_ex(ctx, NULL, NULL, key, nonce, encrypt) != 1)
		goto out;
	if (aad_len != 0 &&
	    EVP_CipherUpdate(ctx, NULL, &n, aad, (int)aad_len) != 1)
		goto out;
	if (len != 0 && EVP_CipherUpdate(ctx, out, &n, in, (int)len) != 1)
		goto out;
	if (!encrypt &&
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, (int)tag_len,
				tag) != 1)
		goto out;
	if (EVP_CipherFinal_ex(ctx, fin, &n) != 1) {
		rc = encrypt ? -EIO : -EBADMSG;
		goto out;
	}
	if (encrypt &&
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, (int)tag_len,
				tag) != 1)
		goto out;
	rc = 0;
out:
	OPENSSL_cleanse(fin, sizeof(fin));
	return rc;
}

static int
ossl_gcm_seal(const uint8_t *key, size_t key_len, const uint8_t nonce[12],
	      const uint8_t *aad, size_t aad_len, const uint8_t *in,
	      uint8_t *out, size_t len, uint8_t *tag, size_t tag_len)
{
	return gcm(true, key, key_len, nonce, aad, aad_len, in, out, len, tag,
		   tag_len);
}

static int
ossl_gcm_open(const uint8_t *key, size_t key_len, const uint8_t nonce[12],
	      const uint8_t *aad, size_t aad_len, const uint8_t *in,
	      uint8_t *out, size_t len, const uint8_t *tag, size_t tag_len)
{
	/* EVP_CTRL_GCM_SET_TAG takes a non-const pointer: give it a copy. */
	uint8_t t[16];

	if (tag_len > sizeof(t))
		return -EINVAL;
	memcpy(t, tag, tag_len);
	return gcm(false, key, key_len, nonce, aad, aad_len, in, out, len, t,
		   tag_len);
}

static int
ossl_sha1(const struct ike_chunk *in, unsigned int n,
	  uint8_t out[IKE_NATD_LEN])
{
	EVP_MD_CTX *ctx;
	unsigned int i, got = 0;
	int rc = -EIO;

	if (!ossl_ready())
		return -EIO;
	ctx = EVP_MD_CTX_new();
	if (ctx == NULL)
		return -EIO;
	if (EVP_DigestInit_ex2(ctx, algs.sha1, NULL) != 1)
		goto out;
	for (i = 0; i < n; i++)
		if (in[i].len != 0 &&
		    EVP_DigestUpdate(ctx, in[i].p, in[i].len) != 1)
			goto out;
	if (EVP_DigestFinal_ex(ctx, out, &got) != 1 || got != IKE_NATD_LEN)
		goto out;
	rc = 0;
out:
	EVP_MD_CTX_free(ctx);
	return rc;
}

/*
 * Random bytes come in small requests (SPIs, nonces, IVs, private
 * values, jitter), and each RAND_bytes() call costs more in OpenSSL 3's
 * dispatch (parameter lookups by name) than generating the bytes: 13 %
 * of the engine's CPU in a set-up + rekey profile. So one RAND_bytes()
 * fills a per-thread pool that small requests are served from; every
 * byte is served once and wiped from the pool as it goes. A forked child
 * discards its copy (the parent keeps serving those bytes).
 */
#define RNG_POOL 1024

static __thread struct {
	uint8_t b[RNG_POOL];
	size_t left;                    /* unserved bytes at the end of b */
} rng_pool;
static pthread_once_t rng_once = PTHREAD_ONCE_INIT;

static void
rng_atfork_child(void)
{
	OPENSSL_cleanse(rng_pool.b, sizeof(rng_pool.b));
	rng_pool.left = 0;
}

static void
rng_init(void)
{
	(void)pthread_atfork(NULL, NULL, rng_atfork_child);
}

int
ike_rng_openssl(void *arg TW_UNUSED, uint8_t *buf, size_t len)
{
	uint8_t *p;

	if (len > INT32_MAX)
		return -EINVAL;
	if (len > RNG_POOL / 4)
		return RAND_bytes(buf, (int)len) == 1 ? 0 : -EIO;
	if (pthread_once(&rng_once, rng_init) != 0)
		return -EIO;
	if (rng_pool.left < len) {
		if (RAND_bytes(rng_pool.b, RNG_POOL) != 1) {
			rng_pool.left = 0;
			return -EIO;
		}
		rng_pool.left = RNG_POOL;
	}
	p = rng_pool.b + RNG_POOL - rng_pool.left;
	memcpy(buf, p, len);
	OPENSSL_cleanse(p, len);
	rng_pool.left -= len;
	return 0;
}

static const struct ike_crypto_ops openssl_ops = {
	.name = "openssl",
	.prf = ossl_prf,
	.integ = ossl_integ,
	.cbc = ossl_cbc,
	.gcm_seal = ossl_gcm_seal,
	.gcm_open = ossl_gcm_open,
	.sha1 = ossl_sha1,
	.dh_new = ike_dh_ossl_new,
	.dh_new_private = ike_dh_ossl_new_private,
	.dh_public = ike_dh_ossl_public,
	.dh_shared = ike_dh_ossl_shared,
	.dh_free = ike_dh_ossl_free,
};

const struct ike_crypto_ops *
ike_crypto_openssl(void)
{
	return &openssl_ops;
}
