/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef NET_ND_CACHE_H
#define NET_ND_CACHE_H

/*
 * The IPv6 neighbour cache (RFC 4861 5.1, 7.3), pure: entries, states and
 * aging on the caller's clock. It is bounded as the ARP table is, by a
 * struct net_neigh_budget (net_neigh.h): an entry learned from a
 * solicitation addressed to us is UNSOLICITED, capped per port, so that a
 * host sending solicitations from many spoofed sources cannot take the
 * room of the neighbours we resolved; nothing is ever evicted, a refusal
 * is counted.
 *
 * States (the subset this box reaches; IOS prints them in show ipv6
 * neighbors): REACH after a solicited advertisement confirmed the
 * neighbour, for NET_ND_REACHABLE_MS (RFC 4861 10 REACHABLE_TIME); STALE
 * when learned unconfirmed or once reachability has aged, gone
 * NET_ND_STALE_EXPIRE_S later (IOS "ipv6 nd cache expire" default).
 */

#include <stdbool.h>
#include <stdint.h>

#include "net_neigh.h"
#include "tw_time.h"

#define NET_ND_MAX 256
#define NET_ND_REACHABLE_MS 30000
#define NET_ND_STALE_EXPIRE_S 14400

enum net_nd_state {
	NET_ND_FREE,
	NET_ND_REACH,
	NET_ND_STALE,
};

struct net_nd_entry {
	enum net_nd_state state;
	enum net_neigh_class cls;
	uint16_t port;
	uint8_t addr[16];
	uint8_t mac[6];
	tw_time_t updated;       /* learned, confirmed or aged */
};

struct net_nd_counters {
	uint64_t learned;        /* entries created */
	uint64_t updated;        /* a known neighbour's MAC or state */
	uint64_t refused;        /* no room: see budget.refused */
	uint64_t expired;
};

struct net_nd_cache {
	struct net_nd_entry e[NET_ND_MAX];
	unsigned int n;
	struct net_neigh_budget budget;
	struct net_nd_counters cnt;
};

/* An empty cache of at most total (<= NET_ND_MAX) entries. */
void net_nd_cache_init(struct net_nd_cache *c, uint32_t total);

/*
 * What a message taught about addr on port (RFC 4861 7.2.3, 7.2.5):
 * confirmed (a solicited advertisement) makes the entry REACH, else
 * STALE; create says whether an unknown neighbour gets an entry (a
 * solicitation's source does, an unsolicited advertisement does not).
 * 0 when recorded, -ENOENT when unknown and not created, -ENOSPC when the
 * budget refused it.
 */
int net_nd_learn(struct net_nd_cache *c, uint16_t port, const uint8_t addr[16],
		 const uint8_t mac[6], bool confirmed, bool create,
		 tw_time_t now);

/* Move states on to now: REACH ages to STALE, STALE expires. */
void net_nd_age(struct net_nd_cache *c, tw_time_t now);
/* The same, telling gone(arg, entry) about each entry before it expires. */
void net_nd_age_notify(struct net_nd_cache *c, tw_time_t now,
		       void (*gone)(void *arg, const struct net_nd_entry *e),
		       void *arg);

const struct net_nd_entry *net_nd_lookup(const struct net_nd_cache *c,
					 uint16_t port,
					 const uint8_t addr[16]);

/* "REACH", "STALE" as IOS prints them. */
const char *net_nd_state_name(enum net_nd_state s);

#endif /* NET_ND_CACHE_H */
