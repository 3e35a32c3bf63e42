/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The IPv6 neighbours of one snapshot: (port, address) -> MAC in an
 * open-addressing table at most half full, built whole by dp_commit() and
 * never written after, so workers read it without locks. The control
 * lcore's neighbour cache (app/twinsecd/net/nd.c) decides what is in it.
 */
#include <errno.h>
#include <string.h>

#include <rte_jhash.h>
#include <rte_malloc.h>

#include "dp_priv.h"

static inline uint32_t
dp_nb6_hash(uint16_t port, const uint8_t addr[16])
{
	uint32_t k[4];

	memcpy(k, addr, sizeof(k));     /* packet bytes: 2-byte aligned */
	return rte_jhash_32b(k, 4, port);
}

void
dp_nb6_free(struct dp_nb6 *t)
{
	rte_free(t);
}

int
dp_nb6_build(const struct dp_nb6_ent *e, unsigned int n, struct dp_nb6 **out)
{
	struct dp_nb6 *t;
	uint32_t slots = 16, h;
	unsigned int i;

	while (slots < 2 * n)
		slots *= 2;
	t = rte_zmalloc("tw_nb6", sizeof(*t) + slots * sizeof(t->slot[0]),
			RTE_CACHE_LINE_SIZE);
	if (t == NULL)
		return -ENOMEM;
	t->mask = slots - 1;
	for (i = 0; i < n; i++) {
		h = dp_nb6_hash(e[i].port, e[i].addr) & t->mask;
		while (t->slot[h].port != 0)
			h = (h + 1) & t->mask;
		memcpy(t->slot[h].addr, e[i].addr, 16);
		t->slot[h].port = e[i].port + 1;
		t->slot[h].mac = e[i].mac;
	}
	*out = t;
	return 0;
}

const struct rte_ether_addr *
dp_nb6_get(const struct dp_nb6 *t, uint16_t port, const uint8_t addr[16])
{
	uint32_t h;

	if (t == NULL)
		return NULL;
	h = dp_nb6_hash(port, addr) & t->mask;
	/* At most half full: an empty slot ends every probe. */
	for (;;) {
		const struct dp_nb6_slot *s = &t->slot[h];

		if (s->port == 0)
			return NULL;
		if (s->port == port + 1 && memcmp(s->addr, addr, 16) == 0)
			return &s->mac;
		h = (h + 1) & t->mask;
	}
}
