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
