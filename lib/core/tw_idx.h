/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TW_IDX_H
#define TW_IDX_H

/*
 * Slot index: finds the slots of a fixed array (records numbered
 * 0..cap-1, e.g. the IKE SA table) by a 64-bit key in O(1). Chained hash
 * with the links stored per slot, so nothing is allocated after
 * tw_idx_init() and a slot is in the index at most once; several slots
 * may share a key (a multimap: iterate with tw_idx_first/tw_idx_next and
 * check the record). Buckets: the power of two at or above cap, so the
 * load factor stays <= 1 whatever is inserted. The hash mixes the key with
 * a seed (splitmix64's finaliser): keys the peer chooses do not line up
 * in one bucket unless the seed is known.
 *
 *   tw_idx_init(&x, max_sas, seed);
 *   tw_idx_set(&x, slot, key);        insert, or move to another key
 *   for (s = tw_idx_first(&x, key); s != TW_IDX_NONE;
 *        s = tw_idx_next(&x, s)) ...  candidates (check their key)
 *   tw_idx_del(&x, slot);
 */

#include <stdbool.h>
#include <stdint.h>

#define TW_IDX_NONE UINT32_MAX
#define TW_IDX_MAX (UINT32_C(1) << 28)  /* slots */

struct tw_idx {
	uint32_t *bucket;   /* first slot of each chain, TW_IDX_NONE */
	uint32_t *next;     /* per slot: next in its chain; TW_IDX_NONE */
	uint64_t *key;      /* per slot */
	uint8_t *in;        /* per slot: 1 when in the index */
	uint32_t mask;      /* buckets - 1 */
	uint32_t cap;       /* slots */
	uint32_t n;         /* slots in the index */
	uint64_t seed;
};

/* 0, -EINVAL (cap 0 or above TW_IDX_MAX), -ENOMEM. */
int tw_idx_init(struct tw_idx *x, uint32_t cap, uint64_t seed);
void tw_idx_fini(struct tw_idx *x);
/* Put slot under key (moving it if it was under another): 0 or -EINVAL. */
int tw_idx_set(struct tw_idx *x, uint32_t slot, uint64_t key);
/* Take slot out (nothing if it is not in). */
void tw_idx_del(struct tw_idx *x, uint32_t slot);
bool tw_idx_has(const struct tw_idx *x, uint32_t slot);
/* First slot under key, or TW_IDX_NONE; then the next one with the same
 * key after slot (same chain, keys compared). */
uint32_t tw_idx_first(const struct tw_idx *x, uint64_t key);
uint32_t tw_idx_next(const struct tw_idx *x, uint32_t slot);
/* Longest chain (for tests and the benchmark). */
uint32_t tw_idx_max_chain(const struct tw_idx *x);
/* Bytes allocated for cap slots. */
uint64_t tw_idx_bytes(uint32_t cap);

#endif /* TW_IDX_H */
