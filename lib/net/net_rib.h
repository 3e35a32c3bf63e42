/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef NET_RIB_H
#define NET_RIB_H

/*
 * The routing information base: every IPv4 route the box knows, from every
 * source, and the best one per prefix, which is what the fast path's FIB
 * holds.
 *
 * A route is known by (prefix, length, source): each source has at most
 * one route per prefix (a source that learns a prefix again replaces its
 * route). The best route of a prefix is the one with the lowest
 * administrative distance, then the lowest metric, then the lowest source
 * (the order of enum rib_source), so the choice never depends on the order
 * routes came in. A route with distance RIB_DISTANCE_UNUSABLE (255, IOS's
 * "never trust") is kept and shown but never best.
 *
 * Default distances are IOS's (rib_source_distance()): connected 0,
 * static 1, eBGP 20, OSPF 110, iBGP 200; reverse route injection is an
 * IOS static route, 1, configurable per crypto map; a kernel route of
 * any other protocol 250, below every routing protocol, so nothing the
 * kernel holds wins over configured or routing-protocol routes by
 * surprise.
 *
 * Pure: no DPDK, no clock, no globals. Not thread-safe. Routes are kept in
 * one array of max slots, found through a hash index by (prefix, length):
 * adding, removing and finding a route are O(1) (a takeover injects a
 * reverse route per tunnel), the longest match 33 lookups.
 */

#include <stdbool.h>
#include <stdint.h>

enum rib_source {
	RIB_CONNECTED,  /* C: an interface's subnet */
	RIB_STATIC,     /* S: the configuration's routes */
	RIB_RRI,        /* S (tagged): reverse route injection */
	RIB_EBGP,       /* B: learned from the kernel, zebra's bgp */
	RIB_OSPF,       /* O */
	RIB_IBGP,       /* B */
	RIB_KERNEL,     /* K: any other kernel route */
	RIB_SOURCE_MAX,
};

#define RIB_DISTANCE_UNUSABLE 255

struct rib_route {
	uint32_t prefix;        /* host order, host bits zero */
	uint8_t len;
	enum rib_source src;
	uint8_t distance;
	uint32_t metric;
	uint32_t tag;
	uint32_t gw;            /* 0: directly connected on port */
	uint16_t port;
};

/* How a change left the prefix's best route. */
enum rib_change {
	RIB_SAME,               /* the best route did not change */
	RIB_BEST_CHANGED,       /* a new best (rib_best() has it) */
	RIB_BEST_GONE,          /* no usable route for the prefix any more */
};

struct rib;

/* A RIB for at most max (> 0) routes, allocated now; NULL on failure. */
struct rib *rib_create(unsigned int max);
void rib_destroy(struct rib *rib);

/*
 * Add or replace the route (prefix, len, src) (host bits of prefix are
 * cleared). -EINVAL for a length above 32 or a bad source, -ENOSPC when
 * full. Otherwise the change to the prefix's best route.
 */
int rib_add(struct rib *rib, const struct rib_route *r);
/* Remove (prefix, len, src): -ENOENT when absent, else the change. */
int rib_del(struct rib *rib, uint32_t prefix, uint8_t len,
	    enum rib_source src);

/* The best usable route of exactly (prefix, len), NULL when none. */
const struct rib_route *rib_best(const struct rib *rib, uint32_t prefix,
				 uint8_t len);
/* The best route of the longest prefix holding addr, NULL when none. */
const struct rib_route *rib_lookup(const struct rib *rib, uint32_t addr);
/* The route (prefix, len, src) itself, NULL when absent. */
const struct rib_route *rib_find(const struct rib *rib, uint32_t prefix,
				 uint8_t len, enum rib_source src);

/*
 * Every route, in no particular order: i from 0 to rib_count(); a change
 * moves routes between indexes.
 */
unsigned int rib_count(const struct rib *rib);
const struct rib_route *rib_at(const struct rib *rib, unsigned int i);
/* Whether rib_at(i) is its prefix's best route. */
bool rib_is_best(const struct rib *rib, unsigned int i);

/*
 * The source of a kernel route learned by its rtm_protocol (rtnetlink):
 * FRR's bgp (186) RIB_EBGP (the kernel does not say eBGP or iBGP; zebra
 * chose it by its own distances already), ospf (188) RIB_OSPF, anything
 * else RIB_KERNEL; and RIB_SOURCE_MAX for our own reverse routes
 * (own_proto): a listener must not learn them back.
 */
#define RIB_RTPROT_BGP 186
#define RIB_RTPROT_OSPF 188
enum rib_source rib_source_of_rtprot(uint8_t proto, uint8_t own_proto);

uint8_t rib_source_distance(enum rib_source src);
/* IOS's code letter (C, S, O, B, K) and a name ("connected", ...). */
char rib_source_code(enum rib_source src);
const char *rib_source_name(enum rib_source src);

#endif /* NET_RIB_H */
