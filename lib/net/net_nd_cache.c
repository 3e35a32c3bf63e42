/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <string.h>

#include "net_nd_cache.h"

void
net_nd_cache_init(struct net_nd_cache *c, uint32_t total)
{
	struct net_neigh_limits lim;

	memset(c, 0, sizeof(*c));
	if (total == 0 || total > NET_ND_MAX)
		total = NET_ND_MAX;
	net_neigh_limits_default(&lim, total);
	net_neigh_budget_init(&c->budget, &lim);
}

static struct net_nd_entry *
find(struct net_nd_cache *c, uint16_t port, const uint8_t addr[16])
{
	unsigned int i;

	for (i = 0; i < NET_ND_MAX; i++)
		if (c->e[i].state != NET_ND_FREE && c->e[i].port == port &&
		    memcmp(c->e[i].addr, addr, 16) == 0)
			return &c->e[i];
	return NULL;
}

const struct net_nd_entry *
net_nd_lookup(const struct net_nd_cache *c, uint16_t port,
	      const uint8_t addr[16])
{
	return find((struct net_nd_cache *)(uintptr_t)c, port, addr);
}

int
net_nd_learn(struct net_nd_cache *c, uint16_t port, const uint8_t addr[16],
	     const uint8_t mac[6], bool confirmed, bool create, tw_time_t now)
{
	enum net_nd_state st = confirmed ? NET_ND_REACH : NET_ND_STALE;
	struct net_nd_entry *e = find(c, port, addr);
	unsigned int i;

	if (e != NULL) {
		/* Confirmed: it is one we resolve now, whatever it was. */
		if (confirmed && e->cls != NET_NEIGH_RESOLVED &&
		    net_neigh_move(&c->budget, port, e->cls,
				   NET_NEIGH_RESOLVED) == 0)
			e->cls = NET_NEIGH_RESOLVED;
		/*
		 * RFC 4861 7.2.3, 7.2.5: an unconfirmed message with the
		 * address we know changes nothing (a REACH neighbour's
		 * solicitation leaves it REACH); a new one makes it STALE.
		 */
		if (!confirmed && memcmp(e->mac, mac, 6) == 0)
			return 0;
		if (memcmp(e->mac, mac, 6) != 0 || e->state != st)
			c->cnt.updated++;
		memcpy(e->mac, mac, 6);
		e->state = st;
		e->updated = now;
		return 0;
	}
	if (!create)
		return -ENOENT;
	for (i = 0; i < NET_ND_MAX && c->e[i].state != NET_ND_FREE; i++)
		;
	if (i == NET_ND_MAX ||
	    net_neigh_admit(&c->budget, port, confirmed ? NET_NEIGH_RESOLVED :
			    NET_NEIGH_UNSOLICITED) != 0) {
		c->cnt.refused++;
		return -ENOSPC;
	}
	e = &c->e[i];
	e->state = st;
	e->cls = confirmed ? NET_NEIGH_RESOLVED : NET_NEIGH_UNSOLICITED;
	e->port = port;
	memcpy(e->addr, addr, 16);
	memcpy(e->mac, mac, 6);
	e->updated = now;
	c->n++;
	c->cnt.learned++;
	return 0;
}

void
net_nd_age(struct net_nd_cache *c, tw_time_t now)
{
	net_nd_age_notify(c, now, NULL, NULL);
}

void
net_nd_age_notify(struct net_nd_cache *c, tw_time_t now,
		  void (*gone)(void *arg, const struct net_nd_entry *e),
		  void *arg)
{
	unsigned int i;

	for (i = 0; i < NET_ND_MAX; i++) {
		struct net_nd_entry *e = &c->e[i];

		if (e->state == NET_ND_REACH &&
		    now - e->updated >= TW_MSEC(NET_ND_REACHABLE_MS)) {
			e->state = NET_ND_STALE;
			e->updated = now;
		} else if (e->state == NET_ND_STALE &&
			   now - e->updated >= TW_SEC(NET_ND_STALE_EXPIRE_S)) {
			if (gone != NULL)
				gone(arg, e);
			net_neigh_release(&c->budget, e->port, e->cls);
			e->state = NET_ND_FREE;
			c->n--;
			c->cnt.expired++;
		}
	}
}

const char *
net_nd_state_name(enum net_nd_state s)
{
	switch (s) {
	case NET_ND_REACH:
		return "REACH";
	case NET_ND_STALE:
		return "STALE";
	default:
		return "FREE";
	}
}
