/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef NET_NEIGH_H
#define NET_NEIGH_H

/*
 * Admission to a bounded neighbour table: pure accounting, no entries.
 *
 * A connected subnet can be far larger than the table (a /16 inside, a
 * sweep from the tunnel or from the LAN): without bounds per kind of entry
 * a sweep fills the table with addresses that never answer, or a host on
 * the LAN with spoofed senders, and the next hop the traffic really needs
 * cannot get an entry. Entries are never evicted (a resolved next hop is
 * never pushed out); instead each class has its own ceiling so that the
 * classes an outsider can create leave room for the rest:
 *
 *   RESOLVING    we asked (INCOMPLETE) or gave up (FAILED): traffic to an
 *                address creates it, so a sweep does; capped.
 *   UNSOLICITED  learned from a request addressed to us, never used by our
 *                traffic yet: a LAN host can make many; capped.
 *   RESOLVED     a MAC we asked for, or an unsolicited one our traffic
 *                used: only the total and per-port ceilings.
 *
 * The class ceilings are per port: a sweep from the tunnel onto the inside
 * port does not stop next hops resolving on the outside one. Every entry
 * also counts against its port's share (one port's flood cannot take the
 * other ports' room) and the total. A refusal is counted by reason.
 *
 * What a sweep still costs: new next hops on the swept port wait until its
 * RESOLVING entries time out (they hold a few seconds); the resolved ones
 * stay and keep being refreshed.
 */

#include <stdbool.h>
#include <stdint.h>

#define NET_NEIGH_MAX_PORTS 32

enum net_neigh_class {
	NET_NEIGH_RESOLVING,
	NET_NEIGH_UNSOLICITED,
	NET_NEIGH_RESOLVED,
	NET_NEIGH_CLASS_MAX,
};

enum net_neigh_refusal {
	NET_NEIGH_FULL_TOTAL,   /* the whole table */
	NET_NEIGH_FULL_PORT,    /* the port's share */
	NET_NEIGH_FULL_CLASS,   /* the class's ceiling */
	NET_NEIGH_REFUSAL_MAX,
};

struct net_neigh_limits {
	uint32_t total;
	uint32_t per_port;
	/* Per port and class; 0: no own ceiling. */
	uint32_t class_max[NET_NEIGH_CLASS_MAX];
};

struct net_neigh_budget {
	struct net_neigh_limits lim;
	uint32_t n;                                /* all entries */
	uint32_t n_class[NET_NEIGH_CLASS_MAX];
	uint32_t n_port[NET_NEIGH_MAX_PORTS];
	uint32_t n_port_class[NET_NEIGH_MAX_PORTS][NET_NEIGH_CLASS_MAX];
	uint64_t refused[NET_NEIGH_REFUSAL_MAX];
	/* Per class too: which kind of entry was refused. */
	uint64_t refused_class[NET_NEIGH_CLASS_MAX];
};

/*
 * The limits for a table of total entries on a box of two ports (inside,
 * outside): half of it per port, an eighth per port for each of RESOLVING
 * and UNSOLICITED, so that a port under a sweep keeps a quarter of the
 * table for its resolved neighbours.
 */
void net_neigh_limits_default(struct net_neigh_limits *lim, uint32_t total);

void net_neigh_budget_init(struct net_neigh_budget *b,
			   const struct net_neigh_limits *lim);
/*
 * A new entry of class c on port: 0 when it fits (and is counted), else
 * -ENOSPC, counted by reason; -EINVAL for a bad port or class.
 */
int net_neigh_admit(struct net_neigh_budget *b, uint16_t port,
		    enum net_neigh_class c);
/*
 * An entry on port changes class: 0, or -ENOSPC (counted, unchanged),
 * -EINVAL when there is no such entry to move.
 */
int net_neigh_move(struct net_neigh_budget *b, uint16_t port,
		   enum net_neigh_class from, enum net_neigh_class to);
/* An entry of class c on port is gone. */
void net_neigh_release(struct net_neigh_budget *b, uint16_t port,
		       enum net_neigh_class c);

#endif /* NET_NEIGH_H */
