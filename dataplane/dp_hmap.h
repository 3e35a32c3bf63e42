/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef DP_HMAP_H
#define DP_HMAP_H

/*
 * A small open-addressed map from a non-zero 64-bit key to a 64-bit value,
 * built once by the control lcore and then read-only (a snapshot piece), so
 * lookups need no locks. Linear probing, at most half full; key 0 marks an
 * empty slot (SPI 0 is reserved by RFC 4303 2.1, and neighbour keys carry
 * port + 1 in the high bits).
 */

#include <stdint.h>

#include <rte_prefetch.h>

struct dp_hmap_slot {
	uint64_t key;
	uint64_t val;
};

struct dp_hmap {
	uint32_t mask;
	uint32_t n;
	struct dp_hmap_slot slot[];
};

/* Room for at least n entries; NULL when out of memory. */
struct dp_hmap *dp_hmap_create(uint32_t n);
void dp_hmap_free(struct dp_hmap *h);
/* Insert or replace; -ENOSPC when full, -EINVAL for key 0. */
int dp_hmap_put(struct dp_hmap *h, uint64_t key, uint64_t val);
/*
 * The control lcore's staging indexes also delete and grow; never on a
 * map a worker can see. del: 0, or -ENOENT.
 */
int dp_hmap_del(struct dp_hmap *h, uint64_t key);
/* put, growing *h (a new map replaces it) when it is full. */
int dp_hmap_put_grow(struct dp_hmap **h, uint64_t key, uint64_t val);

static inline uint32_t
dp_hmap_hash(uint64_t key)
{
	/* Fibonacci hashing: SPIs and addresses are often sequential. */
	return (uint32_t)((key * 0x9e3779b97f4a7c15ull) >> 32);
}

/*
 * Start loading key's first slot (where a lookup starts): a burst's keys
 * prefetched before any is looked up overlap their misses (issue 17).
 */
static inline void
dp_hmap_prefetch(const struct dp_hmap *h, uint64_t key)
{
	rte_prefetch0(&h->slot[dp_hmap_hash(key) & h->mask]);
}

/* 0 when found (*val set), -1 when not. h may be NULL (empty). */
static inline int
dp_hmap_get(const struct dp_hmap *h, uint64_t key, uint64_t *val)
{
	uint32_t i;

	if (h == NULL || key == 0)
		return -1;
	for (i = dp_hmap_hash(key) & h->mask;; i = (i + 1) & h->mask) {
		if (h->slot[i].key == key) {
			*val = h->slot[i].val;
			return 0;
		}
		if (h->slot[i].key == 0)
			return -1;
	}
}

#endif /* DP_HMAP_H */
