/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TWINSECD_ICMP_H
#define TWINSECD_ICMP_H

/*
 * ICMP on the control lcore: echo replies for our addresses,
 * "fragmentation needed" (type 3 code 4, RFC 1191) back to the sender of a
 * packet the fast path could not send (DF set, too big once encapsulated),
 * and "time exceeded" (type 11 code 0, RFC 1812 5.3.1) for a transit
 * packet whose TTL ran out. For the inner packets of a tunnel (an echo
 * request to our inside address, an inner TTL running out here) the
 * answer goes back through the tunnel (dp_inject(), RFC 4301 6.1.1),
 * never in clear.
 *
 * Routing of what we send: both answer a frame that just arrived, so they
 * go back out of the port it came in on, to the Ethernet source of that
 * frame (the sender itself or the router that forwarded it to us), with
 * the address of that port as IP source. This needs no route or ARP lookup
 * and is right whenever the path back is the path in, which holds for the
 * inside networks a VPN gateway serves. ICMP errors are rate limited by a
 * token bucket (RFC 1812 4.3.2.8).
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>

#include "arp.h"
#include "net_ip.h"
#include "net_tbucket.h"
#include "tw_time.h"

#define ICMP_ERR_RATE 100   /* per second */
#define ICMP_ERR_BURST 100
#define ICMP_TTL 64

struct icmp_counters {
	uint64_t rx_echo;         /* echo requests to us */
	uint64_t tx_echo_reply;
	uint64_t tx_frag_needed;
	uint64_t tx_time_exceeded;
	uint64_t rate_limited;    /* errors not sent: bucket empty */
	uint64_t suppressed;      /* errors RFC 1122 3.2.2 forbids */
	uint64_t rx_other;        /* ICMP to us we do not answer */
	uint64_t malformed;
	uint64_t no_mbuf;
	uint64_t tx_echo;         /* console pings sent */
	uint64_t rx_echo_reply;   /* ... and answered */
	uint64_t tx_tunnel_echo_reply;    /* through the tunnel */
	uint64_t tx_tunnel_time_exceeded;
};

/* The console's ping in flight (icmp_ping.c): one request at a time. */
struct icmp_ping {
	uint16_t id, seq;
	bool waiting;             /* sent, no reply yet */
	bool replied;
	uint32_t from;
	tw_time_t sent_at, rtt;
};

struct icmp {
	struct net_tbucket errors;
	uint16_t ip_id;
	struct icmp_counters cnt;
	struct icmp_ping ping;
};

void icmp_init(struct icmp *ic, tw_time_t now);
/*
 * m: a received frame (Ethernet first) holding the ICMP packet ip, sent to
 * one of our addresses. Echo requests are answered, the reply to the
 * console's ping noted; m is consumed.
 */
void icmp_input(struct icmp *ic, uint16_t port, struct rte_mbuf *m,
		const struct net_ipv4 *ip, tw_time_t now);
/*
 * m: the frame as received on port that is too big for the path; tell its
 * sender the next-hop mtu. m is consumed.
 */
void icmp_too_big(struct icmp *ic, uint16_t port, uint16_t mtu,
		  struct rte_mbuf *m, tw_time_t now);
/*
 * m: a frame received on port whose TTL ran out in transit; tell its
 * sender, from the address of port. m is consumed.
 */
void icmp_time_exceeded(struct icmp *ic, uint16_t port, struct rte_mbuf *m,
			tw_time_t now);
/*
 * m: a decrypted ICMP packet ip to one of our addresses, behind an
 * Ethernet header of zeros (DP_PUNT_TUNNEL_LOCAL): echo requests are
 * answered through the tunnel. m is consumed.
 */
void icmp_tunnel_input(struct icmp *ic, struct rte_mbuf *m,
		       const struct net_ipv4 *ip, tw_time_t now);
/*
 * m: a decrypted packet (zero Ethernet header) whose TTL ran out on its
 * way out of port: time exceeded from port's address, through the tunnel
 * (DP_PUNT_TUNNEL_TTL). m is consumed.
 */
void icmp_tunnel_time_exceeded(struct icmp *ic, uint16_t port,
			       struct rte_mbuf *m, tw_time_t now);

/*
 * The console's ping: an echo request id/seq of size data bytes from src
 * to dst out of port via nexthop (through ARP); it replaces the request
 * in flight. 0, -ENOMEM, -EMSGSIZE.
 */
int icmp_ping_send(struct icmp *ic, struct arp *a, uint16_t port,
		   uint32_t nexthop, uint32_t src, uint32_t dst, uint16_t id,
		   uint16_t seq, uint16_t size, tw_time_t now);
/* icmp_input(): true when icmp (len bytes) answers the ping in flight. */
bool icmp_ping_reply(struct icmp *ic, const uint8_t *icmp, size_t len,
		     const struct net_ipv4 *ip, tw_time_t now);

#endif /* TWINSECD_ICMP_H */
