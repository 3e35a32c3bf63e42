/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TW_ND_H
#define TW_ND_H

/*
 * IPv6 on the control lcore (issue 18): Neighbour Discovery for the box's
 * addresses (RFC 4861: NS answered with NA, the solicitor's link-layer
 * address learned), ICMPv6 echo (RFC 4443 4.2), and the neighbour cache
 * show ipv6 neighbors prints (lib/net/net_nd_cache.h: bounded as the
 * ARP table is, aged, counted).
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>

#include "net_nd_cache.h"
#include "tw_time.h"

#define ND_HLIM 64                 /* our echo replies' hop limit */

struct nd_counters {
	uint64_t rx_ns, rx_na;
	uint64_t tx_na;
	uint64_t rx_echo, tx_echo_reply;
	uint64_t not_ours;            /* NS or echo for an address not ours */
	uint64_t malformed;           /* refused by the codec, with why */
	uint64_t rx_other;            /* other ICMPv6 */
};

struct nd {
	struct net_nd_cache cache;    /* learned, updated, refused, expired */
	struct nd_counters cnt;
};

void nd_init(struct nd *nd);
/* An IPv6 frame (Ethernet header first) the fast path punted; consumed. */
void nd_input(struct nd *nd, uint16_t port, struct rte_mbuf *m,
	      tw_time_t now);
/* Our address on port: a configured global one or the link-local. */
bool nd_is_mine(uint16_t port, const uint8_t addr[16]);

#endif /* TW_ND_H */
