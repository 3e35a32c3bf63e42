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

#include <rte_crypto.h>
#include <rte_mempool.h>

#include "conf.h"

struct dp_crypto {
	uint8_t dev_id;
	char name[64];              /* device name, for logs and telemetry */
	enum conf_crypto_mode mode;
	unsigned int n_qps;         /* one per worker */
	struct rte_mempool *sess_pool;
	struct rte_mempool *op_pool; /* lookaside only */
	bool created;               /* we created the vdev: uninit it at fini */
	bool started;
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

/* "aes-gcm-128", "hmac-sha1-96", ... for messages. */
const char *dp_crypto_cipher_name(enum conf_cipher c);
const char *dp_crypto_integ_name(enum conf_integ i);

#define DP_CRYPTO_ALGO_CIPHER(c) (1u << (c))
#define DP_CRYPTO_ALGO_INTEG(i) (1u << (8 + (i)))

#endif /* DP_CRYPTO_H */
