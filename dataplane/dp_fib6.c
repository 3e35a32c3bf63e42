/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IPv6 routes (issue 18): an rte_fib6 (TRIE) beside the IPv4 DIR24_8 one,
 * whose next-hop values index a table of {port, gateway}, identical next
 * hops shared, as dp_fib.c does for IPv4. Rebuilt whole by dp_commit()
 * only when IPv6 routes changed; the old one lives until RCU frees it.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_fib6.h>
#include <rte_malloc.h>

#include "dp_priv.h"

#define DP_FIB6_NO_ROUTE 0

void
dp_fib6_free(struct dp_fib6 *fib)
{
	if (fib == NULL)
		return;
	rte_fib6_free(fib->fib);
	rte_free(fib->nh);
	rte_free(fib);
}

static unsigned int
dp_fib6_nh_index(struct dp_fib6 *fib, const struct dp_route6 *r)
{
	unsigned int i;

	for (i = 0; i < fib->n_nh; i++)
		if (fib->nh[i].port == r->port &&
		    memcmp(fib->nh[i].gw, r->gw, 16) == 0)
			return i;
	fib->nh[i].port = r->port;
	memcpy(fib->nh[i].gw, r->gw, 16);
	fib->n_nh++;
	return i;
}

int
dp_fib6_build(const struct dp_route6 *rt, unsigned int n, uint64_t gen,
	      struct dp_fib6 **out)
{
	struct rte_fib6_conf cfg;
	struct dp_fib6 *fib;
	char name[32];
	unsigned int i, nh;
	int rc;

	*out = NULL;
	if (n > INT16_MAX - 1)
		return -E2BIG;
	fib = rte_zmalloc("tw_fib6", sizeof(*fib), 0);
	if (fib == NULL)
		return -ENOMEM;
	fib->nh = rte_zmalloc("tw_fib6_nh", (n + 1) * sizeof(*fib->nh), 0);
	if (fib->nh == NULL) {
		rc = -ENOMEM;
		goto fail;
	}
	memset(&cfg, 0, sizeof(cfg));
	cfg.type = RTE_FIB6_TRIE;
	cfg.default_nh = DP_FIB6_NO_ROUTE;
	cfg.max_routes = (int)n + 16;
	cfg.trie.nh_sz = RTE_FIB6_TRIE_2B;
	/* A /128 route can take 13 tbl8s (the 24 bits, then a byte each). */
	cfg.trie.num_tbl8 = RTE_MAX(n * 14, 256u);
	snprintf(name, sizeof(name), "tw_fib6_%" PRIu64, gen);
	fib->fib = rte_fib6_create(name, SOCKET_ID_ANY, &cfg);
	if (fib->fib == NULL) {
		rc = -rte_errno;
		goto fail;
	}
	for (i = 0; i < n; i++) {
		nh = dp_fib6_nh_index(fib, &rt[i]);
		rc = rte_fib6_add(fib->fib, rt[i].prefix, rt[i].len, nh + 1);
		if (rc != 0)
			goto fail;
	}
	*out = fib;
	return 0;
fail:
	dp_fib6_free(fib);
	return rc;
}

void
dp_fib6_lookup(const struct dp_fib6 *fib, uint8_t (*addr)[16],
	       const struct dp_nh6 **nh, unsigned int n)
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
		rte_fib6_lookup_bulk(fib->fib, addr + k, v, c);
		for (i = 0; i < c; i++)
			nh[k + i] = v[i] == DP_FIB6_NO_ROUTE ||
					    v[i] > fib->n_nh ?
					    NULL : &fib->nh[v[i] - 1];
	}
}
