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
#define ND_VIP_MAX 32              /* virtual addresses answered for */

struct nd_counters {
	uint64_t rx_ns, rx_na;
	uint64_t tx_na;
	uint64_t rx_echo, tx_echo_reply;
	uint64_t not_ours;            /* NS or echo for an address not ours */
	uint64_t malformed;           /* refused by the codec, with why */
	uint64_t rx_other;            /* other ICMPv6 */
	uint64_t rx_ns_vip;           /* NS for a virtual address we hold */
	uint64_t tx_unsol_na;         /* unsolicited NA (HSRP takeover) */
};

/* An HSRP virtual IPv6 address the Active twin answers NS for. */
struct nd_vip {
	uint16_t port;
	uint8_t addr[16];
	uint8_t mac[6];               /* the virtual MAC */
};

struct nd {
	struct net_nd_cache cache;    /* learned, updated, refused, expired */
	struct nd_counters cnt;
	struct nd_vip vip[ND_VIP_MAX];
	unsigned int n_vip;
};

void nd_init(struct nd *nd);
/* An IPv6 frame (Ethernet header first) the fast path punted; consumed. */
void nd_input(struct nd *nd, uint16_t port, struct rte_mbuf *m,
	      tw_time_t now);
/* Our address on port: a configured global one or the link-local. */
bool nd_is_mine(uint16_t port, const uint8_t addr[16]);

/*
 * nd_vip.c: HSRP for IPv6. While our group is Active its virtual
 * addresses (link-local and global) are answered for with the virtual
 * MAC (nd_vip_add / nd_vip_del: -ENOSPC, -ENOENT), and a takeover is
 * announced with an unsolicited NA (RFC 4861 7.2.6: to ff02::1, override
 * flag, from the address itself and the virtual MAC).
 */
int nd_vip_add(struct nd *nd, uint16_t port, const uint8_t addr[16],
	       const uint8_t mac[6]);
int nd_vip_del(struct nd *nd, uint16_t port, const uint8_t addr[16]);
/* The virtual MAC of addr on port, or NULL when it is not one we hold. */
const uint8_t *nd_vip_mac(const struct nd *nd, uint16_t port,
			  const uint8_t addr[16]);
int nd_send_unsolicited_na(struct nd *nd, uint16_t port,
			   const uint8_t target[16], const uint8_t mac[6]);

#endif /* TW_ND_H */
