/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TWINSECD_ARP_H
#define TWINSECD_ARP_H

/*
 * ARP on the control lcore: answer for our addresses, learn neighbours,
 * resolve next hops for the fast path.
 *
 * Neighbour entries (per port and IPv4 address):
 *   INCOMPLETE  resolving: a request every ARP_RETRY, ARP_TRIES in all;
 *               up to ARP_PENDING_PER_NH packets wait (ARP_PENDING_MAX over
 *               all entries); on the reply they get their Ethernet header
 *               and go out with dp_tx(); when the tries run out they are
 *               freed and counted as unresolved and the entry turns
 *   FAILED      for ARP_FAILED_HOLD: packets for it are dropped at once.
 *   REACHABLE   MAC known and installed in the fast path (dp_neigh_set);
 *               after ARP_REACHABLE_TIME it is
 *   PROBE       re-requested (still used meanwhile); no answer after
 *               ARP_TRIES: removed from the fast path and forgotten.
 *
 * The table is bounded by lib/net's net_neigh budget (net_neigh.h): half
 * of it per port, and per port an eighth for entries being resolved
 * (INCOMPLETE, FAILED: what a sweep of a large connected subnet creates)
 * and an eighth for entries learned from requests to us that our traffic
 * has not used yet. Nothing is evicted: a sweep from the tunnel or the LAN
 * is refused (counted in table_full) before it can take the room of the
 * resolved next hops.
 *
 * Addresses we answer for are a small table (interface addresses now, HSRP
 * virtual IPs with their virtual MAC later: arp_local_add()).
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_ether.h>
#include <rte_mbuf.h>

#include "net_neigh.h"
#include "tw_heap.h"

#define ARP_MAX_NEIGH 1024
#define ARP_BUCKETS 256
#define ARP_PENDING_PER_NH 8
#define ARP_PENDING_MAX 256
#define ARP_TRIES 3
#define ARP_RETRY TW_SEC(1)
#define ARP_FAILED_HOLD TW_SEC(3)
#define ARP_REACHABLE_TIME TW_SEC(300)
#define ARP_MAX_LOCAL 32

enum arp_state {
	ARP_INCOMPLETE,
	ARP_REACHABLE,
	ARP_PROBE,
	ARP_FAILED,
};

struct arp;

struct arp_entry {
	struct arp *arp;
	bool used;
	uint16_t port;
	uint32_t addr;                /* host order */
	enum arp_state state;
	enum net_neigh_class cls;     /* its class in the budget */
	struct rte_ether_addr mac;
	unsigned int tries;
	tw_time_t updated;
	struct tw_deadline dl;
	struct rte_mbuf *pending[ARP_PENDING_PER_NH];
	unsigned int n_pending;
	struct arp_entry *next;       /* hash chain or free list */
};

struct arp_local {
	uint16_t port;
	uint32_t addr;
	struct rte_ether_addr mac;
};

struct arp_counters {
	uint64_t rx_requests, rx_replies;
	uint64_t tx_requests, tx_replies, tx_gratuitous;
	uint64_t learned;             /* entries that became reachable */
	uint64_t resolve_failed;      /* entries whose tries ran out */
	uint64_t unresolved;          /* packets dropped: no answer, FAILED */
	uint64_t queue_full;          /* packets dropped: pending queue full */
	uint64_t table_full;          /* entries refused: see budget.refused */
	uint64_t malformed;
	uint64_t ignored;             /* not for us, off-subnet, ... */
	uint64_t conflicts;           /* someone else claims our address */
	uint64_t no_mbuf;
};

struct arp {
	struct tw_heap *heap;
	struct arp_entry entries[ARP_MAX_NEIGH];
	struct arp_entry *buckets[ARP_BUCKETS];
	struct arp_entry *free_list;
	unsigned int n_entries;
	unsigned int n_pending;
	struct net_neigh_budget budget;
	struct arp_local local[ARP_MAX_LOCAL];
	unsigned int n_local;
	bool commit;                  /* the fast path's neighbours changed */
	struct arp_counters cnt;
};

void arp_init(struct arp *a, struct tw_heap *heap);
/* Free every pending packet, cancel every deadline. */
void arp_fini(struct arp *a);

/* Answer ARP for addr on port with mac (interface address, VIP). */
int arp_local_add(struct arp *a, uint16_t port, uint32_t addr,
		  const struct rte_ether_addr *mac);
void arp_local_del(struct arp *a, uint16_t port, uint32_t addr);

/* A received frame (Ethernet header first) with ethertype ARP; consumed. */
void arp_input(struct arp *a, uint16_t port, struct rte_mbuf *m,
	       tw_time_t now);

/*
 * Send m (data at the IPv4 header, no L2) to nexthop on port: at once when
 * the MAC is known, else queued while resolving. m is consumed.
 */
void arp_output(struct arp *a, uint16_t port, uint32_t nexthop,
		struct rte_mbuf *m, tw_time_t now);

/* Announce (mac, addr) on port: RFC 5227 ARP announcement. */
int arp_send_gratuitous(struct arp *a, uint16_t port, uint32_t addr,
			const struct rte_ether_addr *mac);
/* One announcement for every local address. */
void arp_announce_all(struct arp *a);

const char *arp_state_name(enum arp_state s);
/* Iterate the used entries: first with prev NULL. */
const struct arp_entry *arp_next(const struct arp *a,
				 const struct arp_entry *prev);

#endif /* TWINSECD_ARP_H */
