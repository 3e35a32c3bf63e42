/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef DP_CRYPTO_H
#define DP_CRYPTO_H

/*
 * The crypto device the fast path uses: chosen once at start ("auto" or a
 * named PMD/cryptodev), configured with one queue pair per worker, and the
 * session and op pools. cpu-crypto mode uses the device's synchronous
 * rte_cryptodev_sym_cpu_crypto_process(); lookaside mode enqueues ops on
 * the worker's own queue pair.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_branch_prediction.h>
#include <rte_common.h>
#include <rte_crypto.h>
#include <rte_mempool.h>

#include "conf.h"

/* OpenSSL's EVP_CIPHER_CTX, kept out of this header. */
struct evp_cipher_ctx_st;

/*
 * AES-CBC IVs, one source per worker. RFC 3602 2.4: the IV "MUST be chosen
 * at random, and MUST be unpredictable" (the CBC attacks of Rogaway's
 * "Nonce-Based Symmetric Encryption", FSE 2004, need only a predictable
 * IV). Each worker draws them from AES-128 in counter mode under its own
 * key k' and starting counter, both from getrandom(): IV_i = AES_k'(c + i),
 * the IV construction of NIST SP 800-38A appendix C with a key the ESP
 * traffic never touches, so no packet an attacker sends through the tunnel
 * can make the gateway compute a future IV. The keystream is made
 * DP_IV_BLOCKS at a time (one OpenSSL call, AES-NI), a new k' every
 * DP_IV_RESEED refills. Not getrandom() per refill: a system call costs
 * what the fast path cannot spend, and a vDSO-less kernel here measured
 * ~370 ns per 16 bytes of it.
 */
#define DP_IV_BLOCKS 128
#define DP_IV_RESEED 8192  /* refills: a new k' every 2^20 IVs */

struct dp_crypto_wk {
	struct evp_cipher_ctx_st *iv_ctx;
	uint32_t iv_pos;            /* next unused block of iv[] */
	uint32_t iv_refills;        /* refills since k' was drawn */
	uint64_t iv_reseed_fails;   /* getrandom() failed: k' kept */
	/*
	 * cpu-crypto: crypto ops librte_ipsec fills for an outbound AES-CBC
	 * burst (dp_sa.c reads them, no PMD sees them): DP_CRYPTO_BURST of
	 * them, made once.
	 */
	struct rte_crypto_op **ops;
	uint8_t iv[DP_IV_BLOCKS][16] __rte_cache_aligned;
} __rte_cache_aligned;

struct dp_crypto {
	uint8_t dev_id;
	char name[64];              /* device name, for logs and telemetry */
	enum conf_crypto_mode mode;
	unsigned int n_qps;         /* one per worker */
	struct rte_mempool *sess_pool;
	struct rte_mempool *op_pool; /* lookaside only */
	bool created;               /* we created the vdev: uninit it at fini */
	bool started;
	struct dp_crypto_wk *wk;    /* n_qps slots, one per worker */
};

/*
 * Lookaside ops carry the cipher IV (AES-CBC) or the GCM nonce block right
 * after the symmetric op; the session xforms point there.
 */
#define DP_CRYPTO_IV_OFFSET \
	(sizeof(struct rte_crypto_op) + sizeof(struct rte_crypto_sym_op))
#define DP_CRYPTO_IV_MAX 16

/* Ops a worker has in flight at most (one dp_sa_process() chunk). */
#define DP_CRYPTO_BURST 64

/*
 * Find (or, for "auto" with no cryptodev on the EAL command line, create a
 * crypto_aesni_mb vdev) and configure the device for n_workers queue pairs
 * and up to max_sessions sessions. Checks that the device supports every
 * algorithm in algos (a bitmask of 1 << conf_cipher and 1 << (8 + conf_integ))
 * and, for cpu-crypto, the CPU_CRYPTO feature; the error message says what
 * is missing. -errno on failure with err filled in.
 */
int dp_crypto_init(struct dp_crypto *c, const char *device,
		   enum conf_crypto_mode mode, unsigned int n_workers,
		   uint32_t max_sessions, uint32_t algos, char *err,
		   size_t errlen);
void dp_crypto_fini(struct dp_crypto *c);

/*
 * Does device dev_id support this cipher/integrity pair with the key, IV,
 * digest and AAD sizes ESP uses (esn: 12-byte GCM AAD)? 0, or -ENOTSUP
 * with err naming the missing algorithm.
 */
int dp_crypto_check_algo(uint8_t dev_id, enum conf_cipher cipher,
			 enum conf_integ integ, bool esn, char *err,
			 size_t errlen);

/* Refill wk->iv[] (see struct dp_crypto_wk); 0 or -1 (OpenSSL failed). */
int dp_crypto_iv_refill(struct dp_crypto_wk *wk);

/*
 * The next fresh 16-byte AES-CBC IV of this worker's source, or NULL if
 * none can be made (the caller must then not send the packet). Each IV is
 * handed out once.
 */
static inline const uint8_t *
dp_crypto_iv_next(struct dp_crypto_wk *wk)
{
	if (unlikely(wk->iv_pos == DP_IV_BLOCKS) &&
	    dp_crypto_iv_refill(wk) != 0)
		return NULL;
	return wk->iv[wk->iv_pos++];
}

/* "aes-gcm-128", "hmac-sha1-96", ... for messages. */
const char *dp_crypto_cipher_name(enum conf_cipher c);
const char *dp_crypto_integ_name(enum conf_integ i);

#define DP_CRYPTO_ALGO_CIPHER(c) (1u << (c))
#define DP_CRYPTO_ALGO_INTEG(i) (1u << (8 + (i)))

#endif /* DP_CRYPTO_H */
