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

#include <stdint.h>

#include <rte_mempool.h>

#include "conf.h"

struct dp_crypto {
	uint8_t dev_id;
	char name[64];              /* device name, for logs and telemetry */
	enum conf_crypto_mode mode;
	unsigned int n_qps;         /* one per worker */
	struct rte_mempool *sess_pool;
	struct rte_mempool *op_pool; /* lookaside only */
};

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

#define DP_CRYPTO_ALGO_CIPHER(c) (1u << (c))
#define DP_CRYPTO_ALGO_INTEG(i) (1u << (8 + (i)))

#endif /* DP_CRYPTO_H */
