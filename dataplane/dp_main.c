/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Fast-path lifecycle: dp_init() builds the mbuf pool, punt ring, RCU
 * variable, crypto device, ports and worker contexts and publishes a first
 * (empty) snapshot; dp_start() launches the workers; dp_stop() makes them
 * return and stops the ports; dp_fini() releases everything. dp_stop() and
 * dp_fini() are idempotent and safe after a failed dp_init().
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_rcu_qsbr.h>

#include "dp_cpif.h"
#include "dp_priv.h"

#define DP_DEFAULT_MBUFS 8191

struct dp_global dp_g;

static int
dp_workers_init(char *err, size_t errlen)
{
	unsigned int avail = rte_lcore_count() - 1, lcore, w;

	if (dp_g.n_workers == 0)
		dp_g.n_workers = avail;
	if (dp_g.n_workers == 0 || dp_g.n_workers > avail ||
	    dp_g.n_workers > DP_MAX_WORKERS) {
		snprintf(err, errlen,
			 "%u worker lcores wanted, the EAL has %u besides the main lcore (-l), at most %u",
			 dp_g.n_workers, avail, DP_MAX_WORKERS);
		return -EINVAL;
	}
	dp_g.workers = rte_zmalloc("tw_workers",
				   dp_g.n_workers * sizeof(*dp_g.workers),
				   RTE_CACHE_LINE_SIZE);
	if (dp_g.workers == NULL) {
		snprintf(err, errlen, "out of memory for worker contexts");
		return -ENOMEM;
	}
	w = 0;
	RTE_LCORE_FOREACH_WORKER(lcore) {
		if (w == dp_g.n_workers)
			break;
		dp_g.workers[w].idx = w;
		dp_g.workers[w].lcore = lcore;
		w++;
	}
	return 0;
}

/* After the ports exist: who polls which RX queue, who uses which TX queue. */
static void
dp_workers_assign(void)
{
	unsigned int i, w;

	for (w = 0; w < dp_g.n_workers; w++) {
		struct dp_worker *wk = &dp_g.workers[w];

		wk->n_rxq = 0;
		wk->drain_ctl = w == 0;
		for (i = 0; i < dp_g.n_ports; i++) {
			const struct dp_port *p = &dp_g.ports[i];

			if (p->n_rxq == dp_g.n_workers || w == 0) {
				wk->rxq[wk->n_rxq].port = (uint16_t)i;
				wk->rxq[wk->n_rxq].queue =
					p->n_rxq == dp_g.n_workers ? w : 0;
				wk->n_rxq++;
			}
			wk->txq[i] = (uint16_t)(w % p->n_txq);
		}
	}
}

int
dp_init(const struct dp_params *p, char *err, size_t errlen)
{
	uint32_t mbufs;
	size_t sz;
	int rc;

	if (dp_g.inited) {
		snprintf(err, errlen, "fast path already initialised");
		return -EALREADY;
	}
	memset(&dp_g, 0, sizeof(dp_g));
	dp_g.params = *p;
	dp_g.n_workers = p->n_workers;
	dp_g.punt_off = -1;

	rc = dp_workers_init(err, errlen);
	if (rc != 0)
		goto fail;

	mbufs = p->mbufs != 0 ? p->mbufs : DP_DEFAULT_MBUFS;
	dp_g.pool = rte_pktmbuf_pool_create("tw_mbuf", mbufs,
					    RTE_MIN(256u, mbufs / 8), 0,
					    RTE_MBUF_DEFAULT_BUF_SIZE,
					    rte_socket_id());
	if (dp_g.pool == NULL) {
		snprintf(err, errlen, "cannot create a pool of %u mbufs: %s",
			 mbufs, rte_strerror(rte_errno));
		rc = -rte_errno;
		goto fail;
	}

	/* Outer datagrams reassembled past one ordinary mbuf (dp_reasm.h). */
	dp_g.reasm_pool = rte_pktmbuf_pool_create("tw_reasm",
			DP_REASM_POOL_PER_WORKER * dp_g.n_workers, 0, 0,
			DP_REASM_BUF, rte_socket_id());
	if (dp_g.reasm_pool == NULL) {
		snprintf(err, errlen,
			 "cannot create a pool of %u reassembly buffers: %s",
			 DP_REASM_POOL_PER_WORKER * dp_g.n_workers,
			 rte_strerror(rte_errno));
		rc = -rte_errno;
		goto fail;
	}

	rc = dp_punt_init(err, errlen);
	if (rc != 0)
		goto fail;
	rc = dp_acquire_init(err, errlen);
	if (rc != 0)
		goto fail;

	sz = rte_rcu_qsbr_get_memsize(dp_g.n_workers);
	dp_g.rcu = rte_zmalloc("tw_rcu", sz, RTE_CACHE_LINE_SIZE);
	if (dp_g.rcu == NULL ||
	    rte_rcu_qsbr_init(dp_g.rcu, dp_g.n_workers) != 0) {
		snprintf(err, errlen, "cannot create the RCU variable");
		rc = -ENOMEM;
		goto fail;
	}

	rc = dp_crypto_init(&dp_g.crypto, p->crypto_device, p->crypto_mode,
			    dp_g.n_workers, p->max_sas, p->crypto_algos, err,
			    errlen);
	if (rc != 0)
		goto fail;
	dp_g.crypto_up = true;

	rc = dp_ports_init(err, errlen);
	if (rc != 0)
		goto fail;
	dp_workers_assign();
	rc = dp_cpif_init(err, errlen);
	if (rc != 0)
		goto fail;

	rc = dp_tables_init(err, errlen);
	if (rc != 0)
		goto fail;
	dp_g.inited = true;
	rc = dp_commit();
	if (rc != 0) {
		snprintf(err, errlen, "cannot build the first tables: %s",
			 strerror(-rc));
		goto fail;
	}
	return 0;
fail:
	dp_g.inited = true;
	dp_fini();
	return rc < 0 ? rc : -EINVAL;
}

int
dp_start(void)
{
	char err[256];
	unsigned int w;
	int rc;

	if (!dp_g.inited)
		return -ENODEV;
	if (dp_g.launched)
		return -EALREADY;
	rc = dp_ports_start(err, sizeof(err));
	if (rc != 0)
		return rc;
	__atomic_store_n(&dp_g.stop, 0, __ATOMIC_RELAXED);
	for (w = 0; w < dp_g.n_workers; w++) {
		rc = rte_eal_remote_launch(dp_worker_main, &dp_g.workers[w],
					   dp_g.workers[w].lcore);
		if (rc != 0) {
			dp_g.launched = w > 0;
			dp_stop();
			return rc;
		}
	}
	dp_g.launched = true;
	return 0;
}

void
dp_request_stop(void)
{
	/* A plain store: async-signal-safe. */
	__atomic_store_n(&dp_g.stop, 1, __ATOMIC_RELAXED);
}

void
dp_stop(void)
{
	unsigned int w;

	if (dp_g.launched) {
		dp_request_stop();
		for (w = 0; w < dp_g.n_workers; w++)
			rte_eal_wait_lcore(dp_g.workers[w].lcore);
		dp_g.launched = false;
	}
	dp_ports_stop();
}

void
dp_fini(void)
{
	if (!dp_g.inited)
		return;
	dp_stop();
	dp_cpif_fini();
	dp_ports_close();
	dp_tables_fini();
	dp_punt_fini();
	dp_acquire_fini();
	if (dp_g.crypto_up)
		dp_crypto_fini(&dp_g.crypto);
	dp_g.crypto_up = false;
	rte_mempool_free(dp_g.pool);
	dp_g.pool = NULL;
	rte_mempool_free(dp_g.reasm_pool);
	dp_g.reasm_pool = NULL;
	rte_free(dp_g.rcu);
	dp_g.rcu = NULL;
	rte_free(dp_g.workers);
	dp_g.workers = NULL;
	dp_g.n_workers = 0;
	dp_g.inited = false;
}

struct dp_crypto *
dp_crypto_get(void)
{
	return dp_g.crypto_up ? &dp_g.crypto : NULL;
}

unsigned int
dp_n_workers(void)
{
	return dp_g.n_workers;
}

struct rte_mempool *
dp_pktmbuf_pool(void)
{
	return dp_g.pool;
}
