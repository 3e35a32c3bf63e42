/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TW_ND_H
#define TW_ND_H

/*
 * IPv6 on the control lcore (issue 18): Neighbour Discovery for the box's
 * addresses (RFC 4861: NS answered with NA, the solicitor's link-layer
 * address learned), ICMPv6 echo (RFC 4443 4.2), and the neighbour cache
 * show ipv6 neighbors prints. The cache behaves like the ARP table: a
 * bound on entries (the oldest stale one makes room), aging (REACHABLE
 * for ND_REACHABLE_MS, then STALE, gone after ND_STALE_EXPIRE_S, IOS's
 * "ipv6 nd cache expire" default), counters per event.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>

#include "tw_time.h"

#define ND_MAX_ENTRIES 256
#define ND_REACHABLE_MS 30000      /* RFC 4861 10 REACHABLE_TIME */
#define ND_STALE_EXPIRE_S 14400    /* IOS ipv6 nd cache expire */
#define ND_HLIM 64                 /* our echo replies' hop limit */

enum nd_state {
	ND_FREE,
	ND_REACHABLE,
	ND_STALE,
};

struct nd_entry {
	enum nd_state state;
	uint16_t port;
	uint8_t addr[16];
	uint8_t mac[6];
	tw_time_t updated;
};

struct nd_counters {
	uint64_t rx_ns, rx_na;
	uint64_t tx_na;
	uint64_t rx_echo, tx_echo_reply;
	uint64_t learned;             /* entries created */
	uint64_t updated;             /* a known neighbour's MAC or state */
	uint64_t evicted;             /* made room for a new one */
	uint64_t expired;
	uint64_t not_ours;            /* NS for an address not ours */
	uint64_t malformed;           /* refused by the codec, with why */
	uint64_t rx_other;            /* other ICMPv6 */
};

struct nd {
	struct nd_entry e[ND_MAX_ENTRIES];
	unsigned int n_entries;
	struct nd_counters cnt;
};

void nd_init(struct nd *nd);
/* An IPv6 frame (Ethernet header first) the fast path punted; consumed. */
void nd_input(struct nd *nd, uint16_t port, struct rte_mbuf *m,
	      tw_time_t now);
/* Age the cache to now (states, expiry). */
void nd_age(struct nd *nd, tw_time_t now);
/* Our address on port: a configured global one or the link-local. */
bool nd_is_mine(uint16_t port, const uint8_t addr[16]);

#endif /* TW_ND_H */
