/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Slot index (tw_idx.h): chained hash, links per slot.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tw_idx.h"

static inline uint32_t
bucket_of(const struct tw_idx *x, uint64_t key)
{
	uint64_t z = key ^ x->seed;

	/* splitmix64 finaliser: every key bit moves every output bit. */
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	z ^= z >> 31;
	return (uint32_t)z & x->mask;
}

static uint32_t
n_buckets(uint32_t cap)
{
	uint32_t b = 1;

	while (b < cap)
		b <<= 1;
	return b;
}

uint64_t
tw_idx_bytes(uint32_t cap)
{
	return (uint64_t)n_buckets(cap) * sizeof(uint32_t) +
		(uint64_t)cap * (sizeof(uint32_t) + sizeof(uint64_t) +
				 sizeof(uint8_t));
}

int
tw_idx_init(struct tw_idx *x, uint32_t cap, uint64_t seed)
{
	uint32_t nb;

	memset(x, 0, sizeof(*x));
	if (cap == 0 || cap > TW_IDX_MAX)
		return -EINVAL;
	nb = n_buckets(cap);
	x->bucket = malloc((size_t)nb * sizeof(x->bucket[0]));
	x->next = malloc((size_t)cap * sizeof(x->next[0]));
	x->key = calloc(cap, sizeof(x->key[0]));
	x->in = calloc(cap, sizeof(x->in[0]));
	if (x->bucket == NULL || x->next == NULL || x->key == NULL ||
	    x->in == NULL) {
		tw_idx_fini(x);
		return -ENOMEM;
	}
	/* All bits set: TW_IDX_NONE in every word. */
	memset(x->bucket, 0xff, (size_t)nb * sizeof(x->bucket[0]));
	memset(x->next, 0xff, (size_t)cap * sizeof(x->next[0]));
	x->mask = nb - 1;
	x->cap = cap;
	x->seed = seed;
	return 0;
}

void
tw_idx_fini(struct tw_idx *x)
{
	free(x->bucket);
	free(x->next);
	free(x->key);
	free(x->in);
	memset(x, 0, sizeof(*x));
}

bool
tw_idx_has(const struct tw_idx *x, uint32_t slot)
{
	return slot < x->cap && x->in[slot];
}

void
tw_idx_del(struct tw_idx *x, uint32_t slot)
{
	uint32_t *link;

	if (!tw_idx_has(x, slot))
		return;
	link = &x->bucket[bucket_of(x, x->key[slot])];
	while (*link != slot) {
		/* The slot is in this chain: the walk ends on it. */
		link = &x->next[*link];
	}
	*link = x->next[slot];
	x->next[slot] = TW_IDX_NONE;
	x->in[slot] = 0;
	x->n--;
}

int
tw_idx_set(struct tw_idx *x, uint32_t slot, uint64_t key)
{
	uint32_t b;

	if (slot >= x->cap)
		return -EINVAL;
	if (x->in[slot]) {
		if (x->key[slot] == key)
			return 0;
		tw_idx_del(x, slot);
	}
	b = bucket_of(x, key);
	x->key[slot] = key;
	x->next[slot] = x->bucket[b];
	x->bucket[b] = slot;
	x->in[slot] = 1;
	x->n++;
	return 0;
}

static uint32_t
match_from(const struct tw_idx *x, uint32_t s, uint64_t key)
{
	while (s != TW_IDX_NONE && x->key[s] != key)
		s = x->next[s];
	return s;
}

uint32_t
tw_idx_first(const struct tw_idx *x, uint64_t key)
{
	if (x->cap == 0)
		return TW_IDX_NONE;
	return match_from(x, x->bucket[bucket_of(x, key)], key);
}

uint32_t
tw_idx_next(const struct tw_idx *x, uint32_t slot)
{
	if (!tw_idx_has(x, slot))
		return TW_IDX_NONE;
	return match_from(x, x->next[slot], x->key[slot]);
}

uint32_t
tw_idx_max_chain(const struct tw_idx *x)
{
	uint32_t b, s, len, max = 0;

	for (b = 0; x->cap != 0 && b <= x->mask; b++) {
		len = 0;
		for (s = x->bucket[b]; s != TW_IDX_NONE; s = x->next[s])
			len++;
		if (len > max)
			max = len;
	}
	return max;
}
