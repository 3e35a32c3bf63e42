/* SPDX-License-Identifier: BSD-3-Clause */
/* Admission to a bounded neighbour table (see net_neigh.h). */
#include <errno.h>
#include <string.h>

#include "net_neigh.h"

void
net_neigh_limits_default(struct net_neigh_limits *lim, uint32_t total)
{
	memset(lim, 0, sizeof(*lim));
	lim->total = total;
	lim->per_port = total / 2;
	lim->class_max[NET_NEIGH_RESOLVING] = total / 8;
	lim->class_max[NET_NEIGH_UNSOLICITED] = total / 8;
}

void
net_neigh_budget_init(struct net_neigh_budget *b,
		      const struct net_neigh_limits *lim)
{
	memset(b, 0, sizeof(*b));
	b->lim = *lim;
}

static bool
class_full(const struct net_neigh_budget *b, uint16_t port,
	   enum net_neigh_class c)
{
	return b->lim.class_max[c] != 0 &&
	       b->n_port_class[port][c] >= b->lim.class_max[c];
}

static int
refuse(struct net_neigh_budget *b, enum net_neigh_refusal why,
       enum net_neigh_class c)
{
	b->refused[why]++;
	b->refused_class[c]++;
	return -ENOSPC;
}

int
net_neigh_admit(struct net_neigh_budget *b, uint16_t port,
		enum net_neigh_class c)
{
	if (port >= NET_NEIGH_MAX_PORTS || c >= NET_NEIGH_CLASS_MAX)
		return -EINVAL;
	/* The narrowest reason first: it says what to raise or look at. */
	if (class_full(b, port, c))
		return refuse(b, NET_NEIGH_FULL_CLASS, c);
	if (b->n_port[port] >= b->lim.per_port)
		return refuse(b, NET_NEIGH_FULL_PORT, c);
	if (b->n >= b->lim.total)
		return refuse(b, NET_NEIGH_FULL_TOTAL, c);
	b->n++;
	b->n_port[port]++;
	b->n_class[c]++;
	b->n_port_class[port][c]++;
	return 0;
}

int
net_neigh_move(struct net_neigh_budget *b, uint16_t port,
	       enum net_neigh_class from, enum net_neigh_class to)
{
	if (port >= NET_NEIGH_MAX_PORTS || from >= NET_NEIGH_CLASS_MAX ||
	    to >= NET_NEIGH_CLASS_MAX || b->n_port_class[port][from] == 0)
		return -EINVAL;
	if (from == to)
		return 0;
	if (class_full(b, port, to))
		return refuse(b, NET_NEIGH_FULL_CLASS, to);
	b->n_class[from]--;
	b->n_port_class[port][from]--;
	b->n_class[to]++;
	b->n_port_class[port][to]++;
	return 0;
}

void
net_neigh_release(struct net_neigh_budget *b, uint16_t port,
		  enum net_neigh_class c)
{
	if (port >= NET_NEIGH_MAX_PORTS || c >= NET_NEIGH_CLASS_MAX ||
	    b->n_port_class[port][c] == 0)
		return;
	b->n--;
	b->n_port[port]--;
	b->n_class[c]--;
	b->n_port_class[port][c]--;
}
