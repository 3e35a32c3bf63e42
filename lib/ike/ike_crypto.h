/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef IKE_CRYPTO_H
#define IKE_CRYPTO_H

/*
 * IKEv2 cryptography.
 *
 * Two layers:
 *
 * 1. struct ike_crypto_ops: the primitives (PRF/HMAC, AES-CBC, AES-GCM,
 *    SHA-1, Diffie-Hellman). ike_crypto_openssl() returns the one
 *    implementation, on OpenSSL libcrypto EVP. The state machine and the
 *    rest of lib/ike only call primitives through this table, never
 *    OpenSSL, so a test can count or fail calls, and an offload could
 *    replace it.
 *
 * 2. The RFC 7296 constructions on top of an ops table (ike_keys.c):
 *    prf+ (2.13), SKEYSEED and the seven SK_* keys (2.14) for a new IKE SA
 *    and for a rekeyed one (2.18), KEYMAT for Child SAs (2.17, with and
 *    without PFS), the PSK AUTH value (2.15), NAT detection hashes (2.23).
 *
 * Randomness (SPIs, nonces, IVs, DH private keys) comes from a
 * caller-provided struct ike_rng: ike_rng_openssl() in the daemon, a
 * counter in tests so every byte on the wire is reproducible.
 *
 * Every buffer holding key material is wiped with OPENSSL_cleanse when it
 * is freed (ike_dh free, ike_sa_keys_wipe(), ike_child_keys_wipe()); the
 * owner of a struct ike_sa_keys must call the wipe when the SA dies.
 *
 * Algorithm numbers are the IANA values of ike_wire.h. Functions return 0
 * (or a length) or -errno: -ENOTSUP for an algorithm or group we do not
 * implement, -EINVAL for bad sizes or a bad peer public value, -ENOSPC for
 * a small output buffer, -EIO when OpenSSL fails, -EBADMSG when an AEAD
 * tag does not verify.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ike_wire.h"
#include "tw_addr.h"

#define IKE_PRF_MAX 64           /* HMAC-SHA2-512 output */
#define IKE_KEY_MAX 64           /* any one SK_* or KEYMAT key */
#define IKE_DH_PUB_MAX 256       /* MODP-2048 */
#define IKE_DH_SECRET_MAX 256
#define IKE_NATD_LEN 20          /* SHA-1 */
#define IKE_GCM_SALT_LEN 4       /* RFC 5282 / RFC 4106 */
#define IKE_GCM_IV_LEN 8
#define IKE_GCM_ICV_LEN 16
#define IKE_AES_BLOCK 16

/* A byte string, for scatter inputs. */
struct ike_chunk {
	const uint8_t *p;
	size_t len;
};

/* Random bytes: fill buf with len bytes, 0 or -errno. */
struct ike_rng {
	int (*bytes)(void *arg, uint8_t *buf, size_t len);
	void *arg;
};

/* The daemon's RNG: RAND_bytes(). */
int ike_rng_openssl(void *arg, uint8_t *buf, size_t len);

/* An ephemeral Diffie-Hellman key (opaque; freed with ops->dh_free). */
struct ike_dh;

struct ike_crypto_ops {
	const char *name;
	/* out = prf(key, in[0] | ... | in[n-1]); ike_prf_len(prf) bytes. */
	int (*prf)(uint16_t prf, const uint8_t *key, size_t key_len,
		   const struct ike_chunk *in, unsigned int n, uint8_t *out);
	/* Truncated HMAC of an INTEG transform: ike_integ_icv_len() bytes. */
	int (*integ)(uint16_t integ, const uint8_t *key, size_t key_len,
		     const struct ike_chunk *in, unsigned int n,
		     uint8_t *icv);
	/* AES-CBC without padding over len (a multiple of 16) bytes. */
	int (*cbc)(bool encrypt, const uint8_t *key, size_t key_len,
		   const uint8_t iv[IKE_AES_BLOCK], const uint8_t *in,
		   uint8_t *out, size_t len);
	/* AES-GCM with a 12-byte nonce; open returns -EBADMSG on a bad tag. */
	int (*gcm_seal)(const uint8_t *key, size_t key_len,
			const uint8_t nonce[12], const uint8_t *aad,
			size_t aad_len, const uint8_t *in, uint8_t *out,
			size_t len, uint8_t *tag, size_t tag_len);
	int (*gcm_open)(const uint8_t *key, size_t key_len,
			const uint8_t nonce[12], const uint8_t *aad,
			size_t aad_len, const uint8_t *in, uint8_t *out,
			size_t len, const uint8_t *tag, size_t tag_len);
	/* SHA-1 of the concatenation (NAT detection). */
	int (*sha1)(const struct ike_chunk *in, unsigned int n,
		    uint8_t out[IKE_NATD_LEN]);
	/* A new ephemeral key of group, its private part from rng. */
	int (*dh_new)(uint16_t group, const struct ike_rng *rng,
		      struct ike_dh **out);
	/* A key from a given private value (known-answer tests): the MODP
	 * exponent or the EC scalar big-endian, the X25519 scalar as is. */
	int (*dh_new_private)(uint16_t group, const uint8_t *priv,
			      size_t len, struct ike_dh **out);
	/* Our public value as the KE payload carries it (RFC 7296 3.4: MODP
	 * zero-padded to the prime; RFC 5903 7: ECP x | y; RFC 8031: X25519
	 * u). Returns the length. */
	int (*dh_public)(const struct ike_dh *dh, uint8_t *out, size_t cap);
	/* g^ir from the peer's KE data (validated: length, point on curve,
	 * 1 < y < p-1, X25519 non-zero result); MODP padded to the prime,
	 * ECP the x coordinate. Returns the length. */
	int (*dh_shared)(const struct ike_dh *dh, const uint8_t *peer,
			 size_t peer_len, uint8_t *out, size_t cap);
	void (*dh_free)(struct ike_dh *dh);
};

const struct ike_crypto_ops *ike_crypto_openssl(void);

/* Sizes, in bytes. 0 for an algorithm we do not implement. */
unsigned int ike_prf_len(uint16_t prf);           /* output = key size */
unsigned int ike_integ_key_len(uint16_t integ);
unsigned int ike_integ_icv_len(uint16_t integ);
/* key_bits from the Key Length attribute; GCM includes the 4-byte salt
 * (RFC 5282 7.1, RFC 4106 8.1). */
unsigned int ike_encr_key_len(uint16_t encr, uint16_t key_bits);
bool ike_encr_is_aead(uint16_t encr);
/* Length of the KE payload data of a group. */
unsigned int ike_dh_pub_len(uint16_t group);
bool ike_dh_supported(uint16_t group);

/* ---- RFC 7296 constructions (ike_keys.c) ---- */

/* 2.13: out = first out_len bytes of T1 | T2 | ... (at most 255 blocks). */
int ike_prfplus(const struct ike_crypto_ops *ops, uint16_t prf,
		const uint8_t *key, size_t key_len,
		const struct ike_chunk *seed, unsigned int n_seed,
		uint8_t *out, size_t out_len);

/* The algorithms of an IKE SA, from the chosen proposal. */
struct ike_sa_algs {
	uint16_t encr;
	uint16_t encr_bits;      /* Key Length attribute */
	uint16_t prf;
	uint16_t integ;          /* IKE_INTEG_NONE with GCM */
	uint16_t dh;
};

/*
 * The seven keys of an IKE SA (2.14) with their lengths: SK_d, SK_pi,
 * SK_pr are PRF-sized; SK_ai/SK_ar the INTEG key size (0 with GCM);
 * SK_ei/SK_er the cipher key (GCM: key then 4-byte salt).
 */
struct ike_sa_keys {
	struct ike_sa_algs algs;
	uint8_t d[IKE_KEY_MAX], ai[IKE_KEY_MAX], ar[IKE_KEY_MAX];
	uint8_t ei[IKE_KEY_MAX], er[IKE_KEY_MAX];
	uint8_t pi[IKE_KEY_MAX], pr[IKE_KEY_MAX];
	uint8_t d_len, a_len, e_len, p_len;
};

/* 2.14: SKEYSEED = prf(Ni | Nr, g^ir). out: ike_prf_len(prf) bytes. */
int ike_skeyseed(const struct ike_crypto_ops *ops, uint16_t prf,
		 const uint8_t *ni, size_t ni_len, const uint8_t *nr,
		 size_t nr_len, const uint8_t *gir, size_t gir_len,
		 uint8_t *out);

/*
 * 2.18: SKEYSEED = prf(SK_d (old), g^ir (new) | Ni | Nr), with the PRF of
 * the old IKE SA (old_prf); Ni, Nr are the CREATE_CHILD_SA nonces.
 */
int ike_skeyseed_rekey(const struct ike_crypto_ops *ops, uint16_t old_prf,
		       const uint8_t *old_sk_d, size_t old_sk_d_len,
		       const uint8_t *gir, size_t gir_len,
		       const uint8_t *ni, size_t ni_len,
		       const uint8_t *nr, size_t nr_len, uint8_t *out);

/*
 * 2.14: {SK_d | SK_ai | SK_ar | SK_ei | SK_er | SK_pi | SK_pr}
 *   = prf+(SKEYSEED, Ni | Nr | SPIi | SPIr), with algs->prf (the new SA's
 * PRF, also when rekeying). SPIs in host order (written big-endian).
 */
int ike_sa_keys_derive(const struct ike_crypto_ops *ops,
		       const struct ike_sa_algs *algs,
		       const uint8_t *skeyseed, size_t skeyseed_len,
		       const uint8_t *ni, size_t ni_len,
		       const uint8_t *nr, size_t nr_len,
		       uint64_t spi_i, uint64_t spi_r,
		       struct ike_sa_keys *k);
void ike_sa_keys_wipe(struct ike_sa_keys *k);

/* The keys of a Child SA (ESP): each direction's cipher key (GCM with
 * salt) and integrity key. i2r is what the initiator sends with. */
struct ike_child_keys {
	uint8_t encr_i2r[IKE_KEY_MAX], integ_i2r[IKE_KEY_MAX];
	uint8_t encr_r2i[IKE_KEY_MAX], integ_r2i[IKE_KEY_MAX];
	uint8_t encr_len, integ_len;
};

/*
 * 2.17: KEYMAT = prf+(SK_d, [g^ir (new) |] Ni | Nr), taken as encr_i2r,
 * integ_i2r, encr_r2i, integ_r2i. gir NULL without PFS. For the first
 * Child SA (IKE_AUTH) Ni/Nr are the IKE_SA_INIT nonces.
 */
int ike_child_keys_derive(const struct ike_crypto_ops *ops, uint16_t prf,
			  const uint8_t *sk_d, size_t sk_d_len,
			  const uint8_t *gir, size_t gir_len,
			  const uint8_t *ni, size_t ni_len,
			  const uint8_t *nr, size_t nr_len,
			  uint16_t encr, uint16_t encr_bits, uint16_t integ,
			  struct ike_child_keys *k);
void ike_child_keys_wipe(struct ike_child_keys *k);

/*
 * 2.15 PSK authentication:
 *   AUTH = prf(prf(Shared Secret, "Key Pad for IKEv2"), <SignedOctets>)
 * where the initiator's SignedOctets = RealMessage1 | NonceRData |
 * prf(SK_pi, RestOfInitIDPayload), the responder's = RealMessage2 |
 * NonceIData | prf(SK_pr, RestOfRespIDPayload). Pass, for the side whose
 * AUTH is computed: msg its first message (the IKE_SA_INIT request or
 * response as sent), nonce the OTHER side's nonce data, sk_p its SK_p[ir],
 * id_body its ID payload body (struct ike_pl_id.body). out gets
 * ike_prf_len(prf) bytes (the AUTH data).
 */
int ike_auth_psk(const struct ike_crypto_ops *ops, uint16_t prf,
		 const uint8_t *psk, size_t psk_len,
		 const uint8_t *msg, size_t msg_len,
		 const uint8_t *nonce, size_t nonce_len,
		 const uint8_t *sk_p, size_t sk_p_len,
		 const uint8_t *id_body, size_t id_len, uint8_t *out);

/* Constant-time comparison of a received AUTH with the expected one. */
bool ike_auth_equal(const uint8_t *a, const uint8_t *b, size_t len);

/* 2.23: SHA-1(SPIi | SPIr | IP | Port), IP the 4 or 16 bytes of addr
 * as on the wire; port in host order. -EINVAL for no family. */
int ike_natd_hash(const struct ike_crypto_ops *ops, uint64_t spi_i,
		  uint64_t spi_r, const struct tw_addr *addr, uint16_t port,
		  uint8_t out[IKE_NATD_LEN]);

/* Random values through rng. IKE SPIs are never 0 (RFC 7296 3.1); ESP
 * SPIs are >= 256 (1-255 are reserved by IANA, RFC 4303 2.1). */
int ike_rng_spi(const struct ike_rng *rng, uint64_t *spi);
int ike_rng_esp_spi(const struct ike_rng *rng, uint32_t *spi);
int ike_rng_bytes(const struct ike_rng *rng, uint8_t *buf, size_t len);

#endif /* IKE_CRYPTO_H */
