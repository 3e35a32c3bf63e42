/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <string.h>

#include "arp.h"
#include "dp.h"
#include "net_arp.h"
#include "net_ip.h"
#include "tw_log.h"

static const char *const state_names[] = {
	[ARP_INCOMPLETE] = "INCOMPLETE",
	[ARP_REACHABLE] = "REACHABLE",
	[ARP_PROBE] = "PROBE",
	[ARP_FAILED] = "FAILED",
};

const char *
arp_state_name(enum arp_state s)
{
	if ((unsigned int)s >= sizeof(state_names) / sizeof(state_names[0]))
		return "?";
	return state_names[s];
}

static void arp_expire(void *arg, tw_time_t now);

void
arp_init(struct arp *a, struct tw_heap *heap)
{
	unsigned int i;

	struct net_neigh_limits lim;

	memset(a, 0, sizeof(*a));
	a->heap = heap;
	net_neigh_limits_default(&lim, ARP_MAX_NEIGH);
	net_neigh_budget_init(&a->budget, &lim);
	for (i = ARP_MAX_NEIGH; i-- > 0;) {
		a->entries[i].arp = a;
		tw_deadline_init(&a->entries[i].dl, arp_expire,
				 &a->entries[i]);
		a->entries[i].next = a->free_list;
		a->free_list = &a->entries[i];
	}
}

static unsigned int
arp_hash(uint16_t port, uint32_t addr)
{
	return ((addr ^ ((uint32_t)port << 24)) * 2654435761u) >> 24 &
		(ARP_BUCKETS - 1);
}

static struct arp_entry *
arp_find(struct arp *a, uint16_t port, uint32_t addr)
{
	struct arp_entry *e = a->buckets[arp_hash(port, addr)];

	while (e != NULL && (e->port != port || e->addr != addr))
		e = e->next;
	return e;
}

static void
arp_drop_pending(struct arp *a, struct arp_entry *e)
{
	unsigned int i;

	for (i = 0; i < e->n_pending; i++)
		rte_pktmbuf_free(e->pending[i]);
	a->cnt.unresolved += e->n_pending;
	a->n_pending -= e->n_pending;
	e->n_pending = 0;
}

static struct arp_entry *
arp_alloc(struct arp *a, uint16_t port, uint32_t addr,
	  enum net_neigh_class cls)
{
	struct arp_entry *e = a->free_list;
	unsigned int h = arp_hash(port, addr);

	/* The budget's total is the array: the free list ends only with it. */
	if (e == NULL || net_neigh_admit(&a->budget, port, cls) != 0) {
		a->cnt.table_full++;
		return NULL;
	}
	a->free_list = e->next;
	e->used = true;
	e->cls = cls;
	e->port = port;
	e->addr = addr;
	e->tries = 0;
	e->n_pending = 0;
	memset(&e->mac, 0, sizeof(e->mac));
	e->next = a->buckets[h];
	a->buckets[h] = e;
	a->n_entries++;
	return e;
}

static void
arp_free(struct arp *a, struct arp_entry *e)
{
	struct arp_entry **pp = &a->buckets[arp_hash(e->port, e->addr)];

	tw_heap_cancel(a->heap, &e->dl);
	arp_drop_pending(a, e);
	net_neigh_release(&a->budget, e->port, e->cls);
	while (*pp != NULL && *pp != e)
		pp = &(*pp)->next;
	if (*pp == e)
		*pp = e->next;
	e->used = false;
	e->next = a->free_list;
	a->free_list = e;
	a->n_entries--;
}

void
arp_fini(struct arp *a)
{
	unsigned int i;

	for (i = 0; i < ARP_MAX_NEIGH; i++)
		if (a->entries[i].used)
			arp_free(a, &a->entries[i]);
}

int
arp_local_add(struct arp *a, uint16_t port, uint32_t addr,
	      const struct rte_ether_addr *mac)
{
	unsigned int i;

	for (i = 0; i < a->n_local; i++) {
		if (a->local[i].port == port && a->local[i].addr == addr) {
			a->local[i].mac = *mac;
			return 0;
		}
	}
	if (a->n_local == ARP_MAX_LOCAL)
		return -ENOSPC;
	a->local[a->n_local++] = (struct arp_local){
		.port = port, .addr = addr, .mac = *mac,
	};
	return 0;
}

void
arp_local_del(struct arp *a, uint16_t port, uint32_t addr)
{
	unsigned int i;

	for (i = 0; i < a->n_local; i++) {
		if (a->local[i].port == port && a->local[i].addr == addr) {
			a->local[i] = a->local[--a->n_local];
			return;
		}
	}
}

static const struct arp_local *
arp_local_find(const struct arp *a, uint16_t port, uint32_t addr)
{
	unsigned int i;

	for (i = 0; i < a->n_local; i++)
		if (a->local[i].port == port && a->local[i].addr == addr)
			return &a->local[i];
	return NULL;
}

static int
arp_tx(struct arp *a, uint16_t port, const uint8_t *dst,
       const struct rte_ether_addr *src, const struct net_arp *msg)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(dp_pktmbuf_pool());
	uint8_t *p;

	if (m == NULL) {
		a->cnt.no_mbuf++;
		return -ENOMEM;
	}
	p = (uint8_t *)rte_pktmbuf_append(m, NET_ETH_MIN_FRAME);
	if (p == NULL) {
		rte_pktmbuf_free(m);
		a->cnt.no_mbuf++;
		return -ENOMEM;
	}
	net_arp_frame(p, NET_ETH_MIN_FRAME, dst, src->addr_bytes, msg);
	return dp_tx(port, m);
}

int
arp_send_gratuitous(struct arp *a, uint16_t port, uint32_t addr,
		    const struct rte_ether_addr *mac)
{
	struct net_arp ann;
	int rc;

	net_arp_gratuitous(mac->addr_bytes, addr, &ann);
	rc = arp_tx(a, port, net_eth_broadcast, mac, &ann);
	if (rc == 0)
		a->cnt.tx_gratuitous++;
	tw_log(TW_LOG_DEBUG, "arp", "port %u: gratuitous ARP for " NET_IP4_FMT,
	       port, NET_IP4_ARGS(addr));
	return rc;
}

void
arp_announce_all(struct arp *a)
{
	unsigned int i;

	for (i = 0; i < a->n_local; i++)
		arp_send_gratuitous(a, a->local[i].port, a->local[i].addr,
				    &a->local[i].mac);
}

static void
arp_send_request(struct arp *a, struct arp_entry *e)
{
	const struct dp_port_params *pp = dp_port(e->port);
	struct rte_ether_addr mac;
	struct net_arp req;

	dp_port_mac(e->port, &mac);
	net_arp_request(mac.addr_bytes, pp->addr, e->addr, &req);
	if (arp_tx(a, e->port, net_eth_broadcast, &mac, &req) == 0)
		a->cnt.tx_requests++;
	e->tries++;
}

/* Give m (data at IPv4) its Ethernet header towards e and send it. */
static void
arp_send_to(struct arp *a, const struct arp_entry *e, struct rte_mbuf *m)
{
	struct rte_ether_addr src;
	uint8_t *p;

	p = (uint8_t *)rte_pktmbuf_prepend(m, NET_ETH_HLEN);
	if (p == NULL) {
		a->cnt.no_mbuf++;
		rte_pktmbuf_free(m);
		return;
	}
	dp_port_mac(e->port, &src);
	net_eth_write(p, e->mac.addr_bytes, src.addr_bytes, NET_ETHERTYPE_IPV4);
	m->l2_len = NET_ETH_HLEN;
	dp_tx(e->port, m);
}

static void
arp_set_reachable(struct arp *a, struct arp_entry *e,
		  const uint8_t mac[NET_ETH_ALEN], tw_time_t now)
{
	bool changed = memcmp(e->mac.addr_bytes, mac, NET_ETH_ALEN) != 0;
	enum arp_state from = e->state;
	unsigned int i;

	memcpy(e->mac.addr_bytes, mac, NET_ETH_ALEN);
	/* An answer to our request: out of the resolving room (uncapped). */
	if (e->cls == NET_NEIGH_RESOLVING &&
	    net_neigh_move(&a->budget, e->port, e->cls,
			   NET_NEIGH_RESOLVED) == 0)
		e->cls = NET_NEIGH_RESOLVED;
	if (changed || from == ARP_INCOMPLETE || from == ARP_FAILED) {
		if (dp_neigh_set(e->port, e->addr, &e->mac) == 0)
			a->commit = true;
		a->cnt.learned++;
		tw_log(TW_LOG_INFO, "arp",
		       "port %u: " NET_IP4_FMT " is at " RTE_ETHER_ADDR_PRT_FMT
		       " (%s -> REACHABLE)", e->port, NET_IP4_ARGS(e->addr),
		       RTE_ETHER_ADDR_BYTES(&e->mac), arp_state_name(from));
	}
	e->state = ARP_REACHABLE;
	e->tries = 0;
	e->updated = now;
	tw_heap_arm(a->heap, &e->dl, now + ARP_REACHABLE_TIME);
	/* What waited for this address goes out now. */
	for (i = 0; i < e->n_pending; i++)
		arp_send_to(a, e, e->pending[i]);
	a->n_pending -= e->n_pending;
	e->n_pending = 0;
}

static void
arp_expire(void *arg, tw_time_t now)
{
	struct arp_entry *e = arg;
	struct arp *a = e->arp;

	switch (e->state) {
	case ARP_INCOMPLETE:
		if (e->tries < ARP_TRIES) {
			arp_send_request(a, e);
			tw_heap_arm(a->heap, &e->dl, now + ARP_RETRY);
			return;
		}
		tw_log(TW_LOG_INFO, "arp",
		       "port %u: " NET_IP4_FMT " unresolved after %u requests, "
		       "%u packets dropped (INCOMPLETE -> FAILED)", e->port,
		       NET_IP4_ARGS(e->addr), e->tries, e->n_pending);
		a->cnt.resolve_failed++;
		arp_drop_pending(a, e);
		e->state = ARP_FAILED;
		tw_heap_arm(a->heap, &e->dl, now + ARP_FAILED_HOLD);
		return;
	case ARP_REACHABLE:
		e->state = ARP_PROBE;
		e->tries = 0;
		/* fall through */
	case ARP_PROBE:
		if (e->tries < ARP_TRIES) {
			arp_send_request(a, e);
			tw_heap_arm(a->heap, &e->dl, now + ARP_RETRY);
			return;
		}
		tw_log(TW_LOG_INFO, "arp", "port %u: " NET_IP4_FMT
		       " stopped answering, forgotten", e->port,
		       NET_IP4_ARGS(e->addr));
		if (dp_neigh_del(e->port, e->addr) == 0)
			a->commit = true;
		arp_free(a, e);
		return;
	case ARP_FAILED:
		arp_free(a, e);
		return;
	}
}

void
arp_output(struct arp *a, uint16_t port, uint32_t nexthop,
	   struct rte_mbuf *m, tw_time_t now)
{
	struct arp_entry *e;

	if (port >= dp_n_ports()) {
		rte_pktmbuf_free(m);
		a->cnt.ignored++;
		return;
	}
	e = arp_find(a, port, nexthop);
	if (e == NULL) {
		e = arp_alloc(a, port, nexthop, NET_NEIGH_RESOLVING);
		if (e == NULL) {
			rte_pktmbuf_free(m);
			a->cnt.unresolved++;
			return;
		}
		e->state = ARP_INCOMPLETE;
		arp_send_request(a, e);
		tw_heap_arm(a->heap, &e->dl, now + ARP_RETRY);
	}
	switch (e->state) {
	case ARP_REACHABLE:
	case ARP_PROBE:
		/* Learned from a request, now a neighbour we send to. */
		if (e->cls == NET_NEIGH_UNSOLICITED &&
		    net_neigh_move(&a->budget, port, e->cls,
				   NET_NEIGH_RESOLVED) == 0)
			e->cls = NET_NEIGH_RESOLVED;
		arp_send_to(a, e, m);
		return;
	case ARP_FAILED:
		a->cnt.unresolved++;
		rte_pktmbuf_free(m);
		return;
	case ARP_INCOMPLETE:
		if (e->n_pending == ARP_PENDING_PER_NH ||
		    a->n_pending == ARP_PENDING_MAX) {
			a->cnt.queue_full++;
			rte_pktmbuf_free(m);
			return;
		}
		e->pending[e->n_pending++] = m;
		a->n_pending++;
		return;
	}
}

void
arp_input(struct arp *a, uint16_t port, struct rte_mbuf *m, tw_time_t now)
{
	const struct dp_port_params *pp = dp_port(port);
	const struct arp_local *me;
	struct arp_entry *e;
	struct net_arp msg, reply;
	const char *why = "";
	const uint8_t *p;

	if (pp == NULL || rte_pktmbuf_data_len(m) < NET_ETH_HLEN + NET_ARP_LEN) {
		a->cnt.malformed++;
		goto out;
	}
	p = rte_pktmbuf_mtod(m, const uint8_t *) + NET_ETH_HLEN;
	if (net_arp_decode(p, rte_pktmbuf_data_len(m) - NET_ETH_HLEN, &msg,
			   &why) < 0) {
		a->cnt.malformed++;
		tw_log(TW_LOG_DEBUG, "arp", "port %u: bad ARP: %s", port, why);
		goto out;
	}
	if (msg.op == NET_ARP_REQUEST)
		a->cnt.rx_requests++;
	else
		a->cnt.rx_replies++;

	if (arp_local_find(a, port, msg.spa) != NULL) {
		/* Our own announcement looped back, or a conflict. */
		me = arp_local_find(a, port, msg.spa);
		if (memcmp(me->mac.addr_bytes, msg.sha, NET_ETH_ALEN) != 0) {
			a->cnt.conflicts++;
			tw_log(TW_LOG_WARNING, "arp", "port %u: " NET_IP4_FMT
			       " (ours) claimed by " RTE_ETHER_ADDR_PRT_FMT,
			       port, NET_IP4_ARGS(msg.spa),
			       msg.sha[0], msg.sha[1], msg.sha[2], msg.sha[3],
			       msg.sha[4], msg.sha[5]);
		}
		goto out;
	}
	if (msg.spa == 0) {
		/* RFC 5227 probe: answer it, learn nothing. */
		e = NULL;
	} else {
		/* RFC 826 merge: refresh what we already know. */
		e = arp_find(a, port, msg.spa);
	}
	me = arp_local_find(a, port, msg.tpa);
	if (e == NULL && me != NULL && msg.spa != 0 &&
	    net_prefix_match(msg.spa, pp->addr, pp->prefix_len)) {
		/* Addressed to us from our subnet: worth remembering. */
		e = arp_alloc(a, port, msg.spa, NET_NEIGH_UNSOLICITED);
		if (e != NULL)
			e->state = ARP_INCOMPLETE;
	}
	if (e != NULL)
		arp_set_reachable(a, e, msg.sha, now);
	if (me == NULL) {
		a->cnt.ignored++;
		goto out;
	}
	if (msg.op == NET_ARP_REQUEST) {
		net_arp_reply_to(&msg, me->mac.addr_bytes, &reply);
		if (arp_tx(a, port, msg.sha, &me->mac, &reply) == 0)
			a->cnt.tx_replies++;
	}
out:
	rte_pktmbuf_free(m);
}

const struct arp_entry *
arp_next(const struct arp *a, const struct arp_entry *prev)
{
	unsigned int i = prev == NULL ? 0 : (unsigned int)(prev - a->entries) + 1;

	for (; i < ARP_MAX_NEIGH; i++)
		if (a->entries[i].used)
			return &a->entries[i];
	return NULL;
}
