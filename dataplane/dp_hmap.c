/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>

#include <rte_common.h>
#include <rte_malloc.h>

#include "dp_hmap.h"

struct dp_hmap *
dp_hmap_create(uint32_t n)
{
	struct dp_hmap *h;
	uint32_t size;

	size = rte_align32pow2(n < 8 ? 16 : n * 2);
	h = rte_zmalloc("tw_hmap", sizeof(*h) + size * sizeof(h->slot[0]),
			RTE_CACHE_LINE_SIZE);
	if (h == NULL)
		return NULL;
	h->mask = size - 1;
	return h;
}

void
dp_hmap_free(struct dp_hmap *h)
{
	rte_free(h);
}

int
dp_hmap_put(struct dp_hmap *h, uint64_t key, uint64_t val)
{
	uint32_t i;

	if (key == 0)
		return -EINVAL;
	for (i = dp_hmap_hash(key) & h->mask;; i = (i + 1) & h->mask) {
		if (h->slot[i].key == key) {
			h->slot[i].val = val;
			return 0;
		}
		if (h->slot[i].key == 0)
			break;
	}
	/* Keep at least half of the slots empty so probes stay short. */
	if ((h->n + 1) * 2 > h->mask + 1)
		return -ENOSPC;
	h->slot[i].key = key;
	h->slot[i].val = val;
	h->n++;
	return 0;
}

int
dp_hmap_del(struct dp_hmap *h, uint64_t key)
{
	uint32_t i, j, home;

	if (h == NULL || key == 0)
		return -ENOENT;
	for (i = dp_hmap_hash(key) & h->mask; h->slot[i].key != key;
	     i = (i + 1) & h->mask)
		if (h->slot[i].key == 0)
			return -ENOENT;
	/*
	 * Linear probing without tombstones (Knuth 6.4 algorithm R): move
	 * back each later entry of the cluster whose home slot does not lie
	 * cyclically in (i, j].
	 */
	for (j = (i + 1) & h->mask; h->slot[j].key != 0; j = (j + 1) & h->mask) {
		home = dp_hmap_hash(h->slot[j].key) & h->mask;
		if (i <= j ? (i < home && home <= j) : (i < home || home <= j))
			continue;
		h->slot[i] = h->slot[j];
		i = j;
	}
	h->slot[i].key = 0;
	h->slot[i].val = 0;
	h->n--;
	return 0;
}

int
dp_hmap_put_grow(struct dp_hmap **h, uint64_t key, uint64_t val)
{
	struct dp_hmap *o = *h, *n;
	uint32_t i;
	int rc;

	rc = dp_hmap_put(o, key, val);
	if (rc != -ENOSPC)
		return rc;
	n = dp_hmap_create((o->mask + 1) * 2);
	if (n == NULL)
		return -ENOMEM;
	for (i = 0; i <= o->mask; i++)
		if (o->slot[i].key != 0)
			dp_hmap_put(n, o->slot[i].key, o->slot[i].val);
	dp_hmap_free(o);
	*h = n;
	return dp_hmap_put(n, key, val);
}
