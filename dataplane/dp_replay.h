/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef DP_REPLAY_H
#define DP_REPLAY_H

/*
 * ESP anti-replay window (RFC 4303 3.4.3), a bitmap of 64-bit buckets in
 * the manner of RFC 6479, with ESN reconstruction (RFC 4303 A2.1).
 *
 * Why our own: librte_ipsec 22.11 keeps the bit it sets for a sequence
 * number in a uint32_t (esn_inb_update_sqn(): "bit = (uint64_t)1 << (sqn &
 * 63)"), so numbers with (sqn mod 64) >= 32 are never marked and their
 * replays get through. This window is the authority; librte_ipsec's own
 * stays enabled because it derives the ESN high bits the ICV covers, and
 * everything it refuses is a replay here too.
 *
 * Seeding (dp_sa_params.seq, "the highest number already seen"): top = seed
 * and the bit of every number up to it set, so the seed and everything
 * below it are refused until the window moves on (and nothing above it is:
 * tests/fuzz/fuzz_replay.c checks the window against a model): after a failover the new active cannot know which of
 * those the old one accepted, and refusing them is the safe side.
 *
 * Single writer: not thread-safe; dp_sa.c serialises the workers that
 * share an inbound SA (its inb_lock) around every read and update.
 */

#include <stdbool.h>
#include <stdint.h>

struct dp_replay {
	uint64_t top;        /* highest sequence number accepted */
	uint32_t win;        /* window size; 0: no anti-replay */
	uint32_t mask;       /* number of buckets - 1 (power of two) */
	uint64_t bm[];       /* bit (s & 63) of bucket (s >> 6) & mask */
};

/* Buckets for window win: the window spans at most win / 64 + 1 of them. */
static inline uint32_t
dp_replay_buckets(uint32_t win)
{
	uint32_t n = 1;

	while (n < win / 64 + 2)
		n <<= 1;
	return n;
}

static inline void
dp_replay_init(struct dp_replay *r, uint32_t win, uint64_t seed)
{
	uint32_t i, n = dp_replay_buckets(win);

	r->top = seed;
	r->win = win;
	r->mask = n - 1;
	/* Every other bucket holds numbers below the seed's: all taken. */
	for (i = 0; i < n; i++)
		r->bm[i] = UINT64_MAX;
	/* In the seed's own bucket only the seed and below: a number above
	 * it that arrives after a higher one is not a replay (RFC 4303
	 * 3.4.3), and must not be refused as one. */
	r->bm[(seed >> 6) & r->mask] = (seed & 63) == 63 ? UINT64_MAX :
		(UINT64_C(1) << ((seed & 63) + 1)) - 1;
}

/* RFC 4303 A2.1: the 64-bit number whose low half is low, given the window. */
static inline uint64_t
dp_replay_esn(const struct dp_replay *r, uint32_t low)
{
	uint32_t tl = (uint32_t)r->top, th = (uint32_t)(r->top >> 32);
	uint32_t w = r->win != 0 ? r->win : 64;
	uint32_t bl = tl - w + 1;

	if (tl >= w - 1) {
		/* Window within one subspace: below it means the next one. */
		if (low < bl)
			th++;
	} else if (th != 0) {
		/* Window spans two subspaces: at or above bl is the older. */
		if (low >= bl)
			th--;
	}
	return (uint64_t)th << 32 | low;
}

static inline bool
dp_replay_seen(const struct dp_replay *r, uint64_t s)
{
	if (r->win == 0 || s > r->top)
		return false;
	if (s == 0 || s + r->win <= r->top)
		return true; /* left of the window */
	return (r->bm[(s >> 6) & r->mask] >> (s & 63)) & 1;
}

/* Mark s (its ICV verified); false if it is a replay after all. */
static inline bool
dp_replay_update(struct dp_replay *r, uint64_t s)
{
	uint64_t b, tb, n;

	if (r->win == 0) {
		if (s > r->top)
			r->top = s;
		return true;
	}
	if (s > r->top) {
		tb = r->top >> 6;
		b = s >> 6;
		n = b - tb;
		if (n > (uint64_t)r->mask + 1)
			n = (uint64_t)r->mask + 1;
		while (n-- != 0)
			r->bm[(b - n) & r->mask] = 0;
		r->top = s;
	} else if (dp_replay_seen(r, s)) {
		return false;
	}
	r->bm[(s >> 6) & r->mask] |= UINT64_C(1) << (s & 63);
	return true;
}

#endif /* DP_REPLAY_H */
