/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef NET_TBUCKET_H
#define NET_TBUCKET_H

/*
 * Token bucket for rate limits (ICMP errors, RFC 1812 4.3.2.8): rate tokens
 * per second, at most burst stored. The caller passes the time.
 */

#include <stdbool.h>
#include <stdint.h>

#include "tw_time.h"

struct net_tbucket {
	uint32_t rate;    /* tokens per second */
	uint32_t burst;
	uint64_t tokens;  /* scaled by TW_NSEC_PER_SEC */
	tw_time_t last;
};

static inline void
net_tbucket_init(struct net_tbucket *b, uint32_t rate, uint32_t burst,
		 tw_time_t now)
{
	b->rate = rate;
	b->burst = burst;
	b->tokens = (uint64_t)burst * TW_NSEC_PER_SEC;
	b->last = now;
}

/* Take one token; false when the bucket is empty. */
static inline bool
net_tbucket_take(struct net_tbucket *b, tw_time_t now)
{
	uint64_t cap = (uint64_t)b->burst * TW_NSEC_PER_SEC;
	tw_time_t dt = now > b->last ? now - b->last : 0;

	/* Clamp dt first so the product cannot overflow. */
	if (dt > TW_SEC(b->burst + 1))
		dt = TW_SEC(b->burst + 1);
	b->tokens += dt * b->rate;
	if (b->tokens > cap)
		b->tokens = cap;
	b->last = now;
	if (b->tokens < TW_NSEC_PER_SEC)
		return false;
	b->tokens -= TW_NSEC_PER_SEC;
	return true;
}

#endif /* NET_TBUCKET_H */
