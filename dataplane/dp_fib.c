/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Routes: an rte_fib (DIR24_8) whose next-hop values index a next-hop
 * table of {port, gateway}. Identical next hops are shared, so the table
 * stays as small as the set of distinct gateways.
 *
 * Cost: a DIR24_8 FIB with 2-byte next hops is a 32 MiB table that is
 * rebuilt from scratch, and the old one kept until RCU lets it go, only when
 * routes changed since the last commit. The routes are the best ones of the
 * daemon's RIB (app/twinsecd/route/): they change when a prefix's best
 * route does (static routes at start, reverse routes when SAs come and go
 * on the active twin, routes learned from the kernel).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_fib.h>
#include <rte_malloc.h>

#include "dp_priv.h"

#define DP_FIB_NO_ROUTE 0

void
dp_fib_free(struct dp_fib *fib)
{
	if (fib == NULL)
		return;
	rte_fib_free(fib->fib);
	rte_free(fib->nh);
	rte_free(fib);
}

static unsigned int
dp_fib_nh_index(struct dp_fib *fib, const struct dp_route *r)
{
	unsigned int i;

	for (i = 0; i < fib->n_nh; i++)
		if (fib->nh[i].port == r->port && fib->nh[i].gw == r->gw)
			return i;
	fib->nh[i].port = r->port;
	fib->nh[i].gw = r->gw;
	fib->n_nh++;
	return i;
}

int
dp_fib_build(const struct dp_route *rt, unsigned int n, uint64_t gen,
	     struct dp_fib **out)
{
	struct rte_fib_conf cfg;
	struct dp_fib *fib;
	char name[32];
	unsigned int i, nh;
	int rc;

	*out = NULL;
	if (n > INT16_MAX - 1)
		return -E2BIG;
	fib = rte_zmalloc("tw_fib", sizeof(*fib), 0);
	if (fib == NULL)
		return -ENOMEM;
	fib->nh = rte_zmalloc("tw_fib_nh", (n + 1) * sizeof(*fib->nh), 0);
	if (fib->nh == NULL) {
		rc = -ENOMEM;
		goto fail;
	}
	memset(&cfg, 0, sizeof(cfg));
	cfg.type = RTE_FIB_DIR24_8;
	cfg.default_nh = DP_FIB_NO_ROUTE;
	cfg.max_routes = (int)n + 16;
	cfg.dir24_8.nh_sz = RTE_FIB_DIR24_8_2B;
	cfg.dir24_8.num_tbl8 = RTE_MAX(n, 64u);
	snprintf(name, sizeof(name), "tw_fib_%" PRIu64, gen);
	fib->fib = rte_fib_create(name, SOCKET_ID_ANY, &cfg);
	if (fib->fib == NULL) {
		rc = -rte_errno;
		goto fail;
	}
	for (i = 0; i < n; i++) {
		nh = dp_fib_nh_index(fib, &rt[i]);
		rc = rte_fib_add(fib->fib, rt[i].prefix, rt[i].len, nh + 1);
		if (rc != 0)
			goto fail;
	}
	*out = fib;
	return 0;
fail:
	dp_fib_free(fib);
	return rc;
}

void
dp_fib_lookup(const struct dp_fib *fib, uint32_t *addr,
	      const struct dp_nh **nh, unsigned int n)
{
	uint64_t v[DP_BURST_MAX];
	unsigned int i, k, c;

	if (fib == NULL || fib->fib == NULL) {
		for (i = 0; i < n; i++)
			nh[i] = NULL;
		return;
	}
	for (k = 0; k < n; k += c) {
		c = RTE_MIN(n - k, (unsigned int)DP_BURST_MAX);
		rte_fib_lookup_bulk(fib->fib, addr + k, v, (int)c);
		for (i = 0; i < c; i++)
			nh[k + i] = v[i] == DP_FIB_NO_ROUTE ||
					    v[i] > fib->n_nh ?
					    NULL : &fib->nh[v[i] - 1];
	}
}
