/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The fast path's crypto device: choose it, check it can do what the config
 * asks, configure one queue pair per worker, create the session and op
 * pools, start it.
 */

/* rte_cryptodev_sym_session_pool_create() is still experimental in 22.11. */
#define ALLOW_EXPERIMENTAL_API 1

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include <openssl/evp.h>

#include <rte_cryptodev.h>
#include <rte_dev.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_malloc.h>

#include "dp_crypto.h"
#include "tw_log.h"

#define DP_CRYPTO_QP_DESC 1024
#define DP_CRYPTO_OP_CACHE 128

static const char *const dp_cipher_names[] = {
	[CONF_CIPHER_AES_GCM_128] = "aes-gcm-128",
	[CONF_CIPHER_AES_GCM_256] = "aes-gcm-256",
	[CONF_CIPHER_AES_CBC_128] = "aes-cbc-128",
	[CONF_CIPHER_AES_CBC_256] = "aes-cbc-256",
};

static const char *const dp_integ_names[] = {
	[CONF_INTEG_NONE] = "none",
	[CONF_INTEG_SHA1_96] = "hmac-sha1-96",
	[CONF_INTEG_SHA256_128] = "hmac-sha256-128",
};

const char *
dp_crypto_cipher_name(enum conf_cipher c)
{
	if ((unsigned int)c >= RTE_DIM(dp_cipher_names))
		return "unknown-cipher";
	return dp_cipher_names[c];
}

const char *
dp_crypto_integ_name(enum conf_integ i)
{
	if ((unsigned int)i >= RTE_DIM(dp_integ_names))
		return "unknown-integrity";
	return dp_integ_names[i];
}

static bool
cipher_is_gcm(enum conf_cipher c)
{
	return c == CONF_CIPHER_AES_GCM_128 || c == CONF_CIPHER_AES_GCM_256;
}

static uint16_t
cipher_key_bytes(enum conf_cipher c)
{
	return (c == CONF_CIPHER_AES_GCM_256 || c == CONF_CIPHER_AES_CBC_256) ?
		32 : 16;
}

/* RFC 4106 3.1, 3.2: 8-byte explicit IV on the wire, 12-byte nonce, 16-byte ICV. */
static int
check_cipher(uint8_t dev_id, enum conf_cipher c, bool esn)
{
	struct rte_cryptodev_sym_capability_idx idx;
	const struct rte_cryptodev_symmetric_capability *cap;

	if ((unsigned int)c >= RTE_DIM(dp_cipher_names))
		return -EINVAL;
	if (cipher_is_gcm(c)) {
		idx.type = RTE_CRYPTO_SYM_XFORM_AEAD;
		idx.algo.aead = RTE_CRYPTO_AEAD_AES_GCM;
		cap = rte_cryptodev_sym_capability_get(dev_id, &idx);
		if (cap == NULL)
			return -ENOTSUP;
		return rte_cryptodev_sym_capability_check_aead(cap,
			cipher_key_bytes(c), 16, esn ? 12 : 8, 12) == 0 ?
			0 : -ENOTSUP;
	}
	/* RFC 3602 2.4: 16-byte explicit IV. */
	idx.type = RTE_CRYPTO_SYM_XFORM_CIPHER;
	idx.algo.cipher = RTE_CRYPTO_CIPHER_AES_CBC;
	cap = rte_cryptodev_sym_capability_get(dev_id, &idx);
	if (cap == NULL)
		return -ENOTSUP;
	return rte_cryptodev_sym_capability_check_cipher(cap,
		cipher_key_bytes(c), 16) == 0 ? 0 : -ENOTSUP;
}

/* RFC 2404: HMAC-SHA1 key 20, ICV 12; RFC 4868 2.1: SHA-256 key 32, ICV 16. */
static int
check_integ(uint8_t dev_id, enum conf_integ i)
{
	struct rte_cryptodev_sym_capability_idx idx;
	const struct rte_cryptodev_symmetric_capability *cap;
	uint16_t key, digest;

	switch (i) {
	case CONF_INTEG_NONE:
		return 0;
	case CONF_INTEG_SHA1_96:
		idx.algo.auth = RTE_CRYPTO_AUTH_SHA1_HMAC;
		key = 20;
		digest = 12;
		break;
	case CONF_INTEG_SHA256_128:
		idx.algo.auth = RTE_CRYPTO_AUTH_SHA256_HMAC;
		key = 32;
		digest = 16;
		break;
	default:
		return -EINVAL;
	}
	idx.type = RTE_CRYPTO_SYM_XFORM_AUTH;
	cap = rte_cryptodev_sym_capability_get(dev_id, &idx);
	if (cap == NULL)
		return -ENOTSUP;
	return rte_cryptodev_sym_capability_check_auth(cap, key, digest, 0) == 0 ?
		0 : -ENOTSUP;
}

int
dp_crypto_check_algo(uint8_t dev_id, enum conf_cipher cipher,
		     enum conf_integ integ, bool esn, char *err, size_t errlen)
{
	const char *dev = rte_cryptodev_name_get(dev_id);

	if (check_cipher(dev_id, cipher, esn) != 0) {
		snprintf(err, errlen, "%s does not support %s%s",
			 dev != NULL ? dev : "cryptodev",
			 dp_crypto_cipher_name(cipher),
			 cipher_is_gcm(cipher) && esn ? " with ESN" : "");
		return -ENOTSUP;
	}
	if (check_integ(dev_id, integ) != 0) {
		snprintf(err, errlen, "%s does not support %s",
			 dev != NULL ? dev : "cryptodev",
			 dp_crypto_integ_name(integ));
		return -ENOTSUP;
	}
	return 0;
}

/* Every algorithm in the algos bitmask, and CPU crypto when asked for. */
static int
dev_suits(uint8_t dev_id, enum conf_crypto_mode mode, uint32_t algos,
	  char *err, size_t errlen)
{
	struct rte_cryptodev_info info;
	unsigned int b;

	rte_cryptodev_info_get(dev_id, &info);
	if (mode == CONF_CRYPTO_CPU &&
	    (info.feature_flags & RTE_CRYPTODEV_FF_SYM_CPU_CRYPTO) == 0) {
		snprintf(err, errlen,
			 "%s does not support cpu-crypto (synchronous CPU crypto); use crypto mode lookaside or another device",
			 rte_cryptodev_name_get(dev_id));
		return -ENOTSUP;
	}
	for (b = 0; b < 8; b++) {
		if ((algos & DP_CRYPTO_ALGO_CIPHER(b)) == 0)
			continue;
		if (check_cipher(dev_id, (enum conf_cipher)b, false) != 0) {
			snprintf(err, errlen, "%s does not support %s",
				 rte_cryptodev_name_get(dev_id),
				 dp_crypto_cipher_name((enum conf_cipher)b));
			return -ENOTSUP;
		}
	}
	for (b = 0; b < 8; b++) {
		if ((algos & DP_CRYPTO_ALGO_INTEG(b)) == 0)
			continue;
		if (check_integ(dev_id, (enum conf_integ)b) != 0) {
			snprintf(err, errlen, "%s does not support %s",
				 rte_cryptodev_name_get(dev_id),
				 dp_crypto_integ_name((enum conf_integ)b));
			return -ENOTSUP;
		}
	}
	return 0;
}

/*
 * Create vdev name (a driver name, or driver name + suffix) as --vdev would;
 * hotplug rather than rte_vdev_init() keeps the vdev bus library out of the
 * link (libdpdk.pc does not list bus drivers).
 */
static int
create_vdev(const char *name, uint8_t *dev_id)
{
	int id;

	if (rte_eal_hotplug_add("vdev", name, "") != 0)
		return -ENODEV;
	id = rte_cryptodev_get_dev_id(name);
	if (id < 0) {
		rte_eal_hotplug_remove("vdev", name);
		return -ENODEV;
	}
	*dev_id = (uint8_t)id;
	return 0;
}

static int
find_auto(struct dp_crypto *c, enum conf_crypto_mode mode, uint32_t algos,
	  char *err, size_t errlen)
{
	static const char *const fallback[] = {
		"crypto_aesni_mb0",
		"crypto_openssl0",
	};
	char why[256] = "";
	uint8_t id, n;
	unsigned int i;

	n = rte_cryptodev_count();
	for (id = 0; id < n; id++) {
		if (!rte_cryptodev_is_valid_dev(id))
			continue;
		if (dev_suits(id, mode, algos, why, sizeof(why)) == 0) {
			c->dev_id = id;
			return 0;
		}
		tw_log(TW_LOG_INFO, "dp", "crypto auto: skipping %s: %s",
		       rte_cryptodev_name_get(id), why);
	}
	for (i = 0; i < RTE_DIM(fallback); i++) {
		if (create_vdev(fallback[i], &id) != 0) {
			snprintf(why, sizeof(why), "cannot create %s",
				 fallback[i]);
			continue;
		}
		if (dev_suits(id, mode, algos, why, sizeof(why)) == 0) {
			c->dev_id = id;
			c->created = true;
			return 0;
		}
		rte_eal_hotplug_remove("vdev", fallback[i]);
	}
	snprintf(err, errlen,
		 "crypto device auto: no cryptodev supports the configured transforms (%s)",
		 why);
	return -ENODEV;
}

static int
find_named(struct dp_crypto *c, const char *device, enum conf_crypto_mode mode,
	   uint32_t algos, char *err, size_t errlen)
{
	struct rte_cryptodev_info info;
	uint8_t id, n;
	int rc;

	/* A cryptodev by name (given with --vdev, or a probed PCI device). */
	rc = rte_cryptodev_get_dev_id(device);
	if (rc >= 0) {
		id = (uint8_t)rc;
		goto found;
	}
	/* A driver name: its first device. */
	n = rte_cryptodev_count();
	for (id = 0; id < n; id++) {
		if (!rte_cryptodev_is_valid_dev(id))
			continue;
		rte_cryptodev_info_get(id, &info);
		if (info.driver_name != NULL &&
		    strcmp(info.driver_name, device) == 0)
			goto found;
	}
	/* A software PMD not on the EAL command line: create it. */
	if (create_vdev(device, &id) == 0) {
		c->created = true;
		goto found;
	}
	snprintf(err, errlen,
		 "crypto device %s: no such cryptodev or crypto driver",
		 device);
	return -ENODEV;
found:
	rc = dev_suits(id, mode, algos, err, errlen);
	if (rc != 0) {
		if (c->created)
			rte_eal_hotplug_remove("vdev", device);
		c->created = false;
		return rc;
	}
	c->dev_id = id;
	return 0;
}

/*
 * A new k' and starting counter for a worker's IV source (struct
 * dp_crypto_wk), straight from the kernel's CSPRNG. getrandom() returns
 * requests of up to 256 bytes whole once the pool is initialised.
 */
static int
iv_seed(struct dp_crypto_wk *wk, unsigned int flags)
{
	uint8_t seed[32]; /* AES-128 key || initial counter block */
	int rc = -1;

	if (getrandom(seed, sizeof(seed), flags) == (ssize_t)sizeof(seed) &&
	    EVP_EncryptInit_ex(wk->iv_ctx, EVP_aes_128_ctr(), NULL, seed,
			       seed + 16) == 1)
		rc = 0;
	explicit_bzero(seed, sizeof(seed));
	return rc;
}

int
dp_crypto_iv_refill(struct dp_crypto_wk *wk)
{
	int n;

	/*
	 * A failed reseed (it cannot block: GRND_NONBLOCK) keeps k', whose
	 * stream is as unpredictable as before; it is retried each refill.
	 */
	if (++wk->iv_refills >= DP_IV_RESEED) {
		if (iv_seed(wk, GRND_NONBLOCK) == 0)
			wk->iv_refills = 0;
		else
			wk->iv_reseed_fails++;
	}
	/* CTR keystream over zeros: the blocks AES_k'(c), AES_k'(c + 1), ... */
	memset(wk->iv, 0, sizeof(wk->iv));
	if (EVP_EncryptUpdate(wk->iv_ctx, wk->iv[0], &n, wk->iv[0],
			      (int)sizeof(wk->iv)) != 1 ||
	    n != (int)sizeof(wk->iv))
		return -1;
	wk->iv_pos = 0;
	return 0;
}

static void
workers_fini(struct dp_crypto *c)
{
	unsigned int i;

	if (c->wk == NULL)
		return;
	for (i = 0; i < c->n_qps; i++) {
		EVP_CIPHER_CTX_free(c->wk[i].iv_ctx); /* cleanses k' */
		rte_free(c->wk[i].ops);
	}
	explicit_bzero(c->wk, c->n_qps * sizeof(c->wk[0]));
	rte_free(c->wk);
	c->wk = NULL;
}

/*
 * Per worker: the IV source, primed, and (cpu-crypto) the op scratch of
 * struct dp_crypto_wk, each op followed by its IV area as in the op pool.
 */
static int
workers_init(struct dp_crypto *c, int socket, char *err, size_t errlen)
{
	const size_t osz = RTE_ALIGN_CEIL(DP_CRYPTO_IV_OFFSET + DP_CRYPTO_IV_MAX,
					  RTE_CACHE_LINE_SIZE);
	struct dp_crypto_wk *wk;
	unsigned int i, j;
	uint8_t *blk;

	c->wk = rte_zmalloc_socket("tw_crypto_wk", c->n_qps * sizeof(c->wk[0]),
				   RTE_CACHE_LINE_SIZE, socket);
	if (c->wk == NULL)
		goto nomem;
	for (i = 0; i < c->n_qps; i++) {
		wk = &c->wk[i];
		wk->iv_ctx = EVP_CIPHER_CTX_new();
		if (wk->iv_ctx == NULL)
			goto nomem;
		if (iv_seed(wk, 0) != 0 || dp_crypto_iv_refill(wk) != 0) {
			snprintf(err, errlen,
				 "crypto: cannot seed the AES-CBC IV source (getrandom or OpenSSL failed)");
			return -EIO;
		}
		if (c->mode != CONF_CRYPTO_CPU)
			continue;
		wk->ops = rte_zmalloc_socket("tw_crypto_ops",
			DP_CRYPTO_BURST * (sizeof(wk->ops[0]) + osz),
			RTE_CACHE_LINE_SIZE, socket);
		if (wk->ops == NULL)
			goto nomem;
		blk = (uint8_t *)RTE_PTR_ALIGN_CEIL(wk->ops + DP_CRYPTO_BURST,
						    RTE_CACHE_LINE_SIZE);
		for (j = 0; j < DP_CRYPTO_BURST; j++)
			wk->ops[j] = (struct rte_crypto_op *)(blk + j * osz);
	}
	return 0;
nomem:
	snprintf(err, errlen, "crypto: out of memory for the workers' state");
	return -ENOMEM;
}

int
dp_crypto_init(struct dp_crypto *c, const char *device,
	       enum conf_crypto_mode mode, unsigned int n_workers,
	       uint32_t max_sessions, uint32_t algos, char *err, size_t errlen)
{
	struct rte_cryptodev_config conf;
	struct rte_cryptodev_qp_conf qp;
	struct rte_cryptodev_info info;
	char pname[RTE_MEMPOOL_NAMESIZE];
	unsigned int i, sess_size;
	int socket, rc;

	memset(c, 0, sizeof(*c));
	c->mode = mode;
	if (n_workers == 0) {
		snprintf(err, errlen, "crypto: no worker");
		return -EINVAL;
	}
	if (device == NULL || device[0] == '\0' || strcmp(device, "auto") == 0)
		rc = find_auto(c, mode, algos, err, errlen);
	else
		rc = find_named(c, device, mode, algos, err, errlen);
	if (rc != 0)
		return rc;
	snprintf(c->name, sizeof(c->name), "%s",
		 rte_cryptodev_name_get(c->dev_id));

	rte_cryptodev_info_get(c->dev_id, &info);
	if (info.max_nb_queue_pairs < n_workers) {
		snprintf(err, errlen,
			 "%s has %u queue pairs, %u workers need one each (vdev argument max_nb_queue_pairs=N raises it)",
			 c->name, info.max_nb_queue_pairs, n_workers);
		rc = -ENOSPC;
		goto fail;
	}
	socket = rte_cryptodev_socket_id(c->dev_id);
	if (socket < 0)
		socket = (int)rte_socket_id();
	c->n_qps = n_workers;

	memset(&conf, 0, sizeof(conf));
	conf.socket_id = socket;
	conf.nb_queue_pairs = (uint16_t)n_workers;
	rc = rte_cryptodev_configure(c->dev_id, &conf);
	if (rc != 0) {
		snprintf(err, errlen, "%s: configure failed (%d)", c->name, rc);
		goto fail;
	}

	/* One session per SA, each direction its own; plus rekey overlap. */
	if (max_sessions == 0)
		max_sessions = 1024;
	sess_size = rte_cryptodev_sym_get_private_session_size(c->dev_id);
	snprintf(pname, sizeof(pname), "tw_sess_%u", c->dev_id);
	c->sess_pool = rte_cryptodev_sym_session_pool_create(pname,
		max_sessions, sess_size, 0, 0, socket);
	if (c->sess_pool == NULL) {
		snprintf(err, errlen, "%s: cannot create session pool: %s",
			 c->name, rte_strerror(rte_errno));
		rc = -ENOMEM;
		goto fail;
	}

	memset(&qp, 0, sizeof(qp));
	qp.nb_descriptors = DP_CRYPTO_QP_DESC;
	qp.mp_session = c->sess_pool;
	for (i = 0; i < n_workers; i++) {
		rc = rte_cryptodev_queue_pair_setup(c->dev_id, (uint16_t)i, &qp,
						    socket);
		if (rc != 0) {
			snprintf(err, errlen,
				 "%s: queue pair %u setup failed (%d)",
				 c->name, i, rc);
			goto fail;
		}
	}

	if (mode == CONF_CRYPTO_LOOKASIDE) {
		snprintf(pname, sizeof(pname), "tw_cop_%u", c->dev_id);
		c->op_pool = rte_crypto_op_pool_create(pname,
			RTE_CRYPTO_OP_TYPE_SYMMETRIC,
			n_workers * DP_CRYPTO_BURST * 2 +
			DP_CRYPTO_OP_CACHE * (rte_lcore_count() + 1),
			DP_CRYPTO_OP_CACHE, DP_CRYPTO_IV_MAX, socket);
		if (c->op_pool == NULL) {
			snprintf(err, errlen, "%s: cannot create op pool: %s",
				 c->name, rte_strerror(rte_errno));
			rc = -ENOMEM;
			goto fail;
		}
	}

	rc = workers_init(c, socket, err, errlen);
	if (rc != 0)
		goto fail;

	rc = rte_cryptodev_start(c->dev_id);
	if (rc != 0) {
		snprintf(err, errlen, "%s: start failed (%d)", c->name, rc);
		goto fail;
	}
	c->started = true;
	tw_log(TW_LOG_INFO, "dp", "crypto: %s (driver %s), %s, %u queue pairs",
	       c->name, info.driver_name,
	       mode == CONF_CRYPTO_CPU ? "cpu-crypto" : "lookaside", n_workers);
	return 0;
fail:
	dp_crypto_fini(c);
	return rc < 0 ? rc : -EIO;
}

void
dp_crypto_fini(struct dp_crypto *c)
{
	if (c->name[0] == '\0' && !c->created)
		goto pools;
	if (c->started)
		rte_cryptodev_stop(c->dev_id);
	c->started = false;
	if (c->created) {
		rte_eal_hotplug_remove("vdev", c->name);
		c->created = false;
	}
pools:
	workers_fini(c);
	rte_mempool_free(c->op_pool);
	c->op_pool = NULL;
	rte_mempool_free(c->sess_pool);
	c->sess_pool = NULL;
	c->name[0] = '\0';
}
