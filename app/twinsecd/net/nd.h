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
#include "net_tbucket.h"
#include "tw_heap.h"
#include "tw_time.h"

#define ND_HLIM 64                 /* our echo replies' hop limit */
#define ND_VIP_MAX 32              /* virtual addresses answered for */

/*
 * Next hops being resolved for the fast path (nd_resolve.c), as ARP
 * does for IPv4 (arp.h): a solicitation every ND_RETRY, ND_TRIES in all,
 * up to ND_PENDING_PER_NH packets held (ND_PENDING_MAX in all); the
 * advertisement sends them; with no answer they are dropped (counted
 * unresolved) and the address is FAILED for ND_FAILED_HOLD, its packets
 * dropped at once. At most ND_RESOLVING entries, each also taken from
 * the cache's budget (its RESOLVING class, capped per port), so a sweep
 * of a /64 cannot take the room of resolved neighbours.
 */
#define ND_RESOLVING 64
#define ND_PENDING_PER_NH 8
#define ND_PENDING_MAX 256
#define ND_TRIES 3
#define ND_RETRY TW_SEC(1)
#define ND_FAILED_HOLD TW_SEC(3)
/* ICMPv6 errors we send, per second (RFC 4443 2.4 (f)). */
#define ND_ERR_RATE 100
#define ND_ERR_BURST 100

struct nd_counters {
	uint64_t rx_ns, rx_na;
	uint64_t tx_na;
	uint64_t rx_echo, tx_echo_reply;
	uint64_t not_ours;            /* NS or echo for an address not ours */
	uint64_t malformed;           /* refused by the codec, with why */
	uint64_t rx_other;            /* other ICMPv6 */
	/* resolution for forwarding (nd_resolve.c) */
	uint64_t tx_ns;               /* solicitations sent */
	uint64_t resolved;            /* next hops resolved */
	uint64_t resolve_failed;      /* entries whose tries ran out */
	uint64_t unresolved;          /* packets dropped: no answer, FAILED */
	uint64_t queue_full;          /* packets dropped: pending queue full */
	uint64_t table_full;          /* resolutions refused: no room */
	uint64_t no_mbuf;
	/* ICMPv6 errors (nd_err.c) */
	uint64_t tx_time_exceeded, tx_too_big;
	uint64_t err_rate_limited;    /* bucket empty */
	uint64_t err_suppressed;      /* RFC 4443 2.4 (e) forbids it */
	/* HSRP for IPv6 (nd_vip.c) */
	uint64_t rx_ns_vip;           /* NS for a virtual address we hold */
	uint64_t tx_unsol_na;         /* unsolicited NA (HSRP takeover) */
	uint64_t rx_echo_vip;         /* echo requests to a global VIP */
};

/* An HSRP virtual IPv6 address the Active twin answers NS for. */
struct nd_vip {
	uint16_t port;
	uint8_t addr[16];
	uint8_t mac[6];               /* the virtual MAC */
};

struct nd;

struct nd_res {
	struct nd *nd;
	bool used;
	bool failed;
	uint16_t port;
	uint8_t addr[16];
	unsigned int tries;
	tw_time_t since;
	struct tw_deadline dl;
	struct rte_mbuf *pending[ND_PENDING_PER_NH];
	unsigned int n_pending;
};

struct nd {
	struct net_nd_cache cache;    /* learned, updated, refused, expired */
	struct nd_counters cnt;
	struct tw_heap *heap;
	struct nd_res res[ND_RESOLVING];
	unsigned int n_pending;
	struct net_tbucket errors;
	bool commit;                  /* the fast path's neighbours changed */
	struct nd_vip vip[ND_VIP_MAX];
	unsigned int n_vip;
};

void nd_init(struct nd *nd, struct tw_heap *heap, tw_time_t now);
/* nd_init()'s part for nd_resolve.c. */
void nd_resolve_init(struct nd *nd);
/* Free every held packet, cancel every deadline. */
void nd_fini(struct nd *nd);
/* Age the cache (expired entries leave the fast path too). */
void nd_age(struct nd *nd, tw_time_t now);
/*
 * m (data at an IPv6 header, no L2) to nexthop on port: at once when the
 * neighbour is known, else held while it is solicited. m is consumed.
 */
void nd_output(struct nd *nd, uint16_t port, const uint8_t nexthop[16],
	       struct rte_mbuf *m, tw_time_t now);
/*
 * What the cache learned of (port, addr): into the fast path, and the
 * packets waiting for it sent (nd_resolve.c).
 */
void nd_learned(struct nd *nd, uint16_t port, const uint8_t addr[16],
		tw_time_t now);
/* Is (port, addr) being resolved (or FAILED, held)? */
bool nd_resolving_find(const struct nd *nd, uint16_t port,
		       const uint8_t addr[16]);
/*
 * m: a frame (Ethernet first) received on port holding an IPv6 packet
 * whose hop limit ran out in transit (DP_PUNT_TTL), or too big for the
 * next hop's mtu (DP_PUNT_TOO_BIG): ICMPv6 time exceeded or packet too
 * big to its sender, out of port to the frame's Ethernet source, rate
 * limited (nd_err.c). m is consumed.
 */
void nd_time_exceeded(struct nd *nd, uint16_t port, struct rte_mbuf *m,
		      tw_time_t now);
void nd_too_big(struct nd *nd, uint16_t port, uint16_t mtu,
		struct rte_mbuf *m, tw_time_t now);
/* The source of what we send on port: its first global address, else
 * its link-local one. */
void nd_port_src(uint16_t port, uint8_t src[16]);
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
/* The port holding virtual address addr (its MAC in *mac), or -1. */
int nd_vip_port(const struct nd *nd, const uint8_t addr[16],
		const uint8_t **mac);
int nd_send_unsolicited_na(struct nd *nd, uint16_t port,
			   const uint8_t target[16], const uint8_t mac[6]);

#endif /* TW_ND_H */
