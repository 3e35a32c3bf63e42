/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Next-hop resolution for IPv6 forwarding (issue 18), the ARP behaviour
 * (arp.c) for Neighbour Discovery: the fast path punts a packet whose
 * next hop has no MAC in its table (DP_PUNT_NEIGH, v6); a neighbour the
 * cache knows goes into the fast path and the packet out at once, an
 * unknown one is solicited (RFC 4861 7.2.2: to its solicited-node group,
 * from our link-local address, with our link-layer address) while its
 * packets wait; the advertisement (nd.c) installs it and sends them.
 * States, limits and timers: nd.h.
 */
#include <string.h>

#include "dp.h"
#include "nd.h"
#include "net_arp.h"
#include "net_ip6.h"
#include "tw_addr.h"
#include "tw_log.h"

static struct nd_res *
nd_res_find(struct nd *nd, uint16_t port, const uint8_t addr[16])
{
	unsigned int i;

	for (i = 0; i < ND_RESOLVING; i++)
		if (nd->res[i].used && nd->res[i].port == port &&
		    memcmp(nd->res[i].addr, addr, 16) == 0)
			return &nd->res[i];
	return NULL;
}

bool
nd_resolving_find(const struct nd *nd, uint16_t port, const uint8_t addr[16])
{
	return nd_res_find((struct nd *)(uintptr_t)nd, port, addr) != NULL;
}

static void
nd_res_drop_pending(struct nd *nd, struct nd_res *r)
{
	unsigned int i;

	for (i = 0; i < r->n_pending; i++)
		rte_pktmbuf_free(r->pending[i]);
	nd->cnt.unresolved += r->n_pending;
	nd->n_pending -= r->n_pending;
	r->n_pending = 0;
}

static void
nd_res_free(struct nd *nd, struct nd_res *r)
{
	tw_heap_cancel(nd->heap, &r->dl);
	nd_res_drop_pending(nd, r);
	net_neigh_release(&nd->cache.budget, r->port, NET_NEIGH_RESOLVING);
	r->used = false;
}

void
nd_fini(struct nd *nd)
{
	unsigned int i;

	for (i = 0; i < ND_RESOLVING; i++)
		if (nd->res[i].used)
			nd_res_free(nd, &nd->res[i]);
}

/* A Neighbour Solicitation for r's address, to its solicited-node group. */
static void
nd_solicit(struct nd *nd, struct nd_res *r)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(dp_pktmbuf_pool());
	uint8_t src[16], dst[16], dmac[6];
	struct rte_ether_addr mac;
	uint8_t *p;
	int n;

	r->tries++;
	if (m == NULL) {
		nd->cnt.no_mbuf++;
		return;
	}
	p = (uint8_t *)rte_pktmbuf_append(m, NET_ETH_HLEN + NET_IPV6_HLEN +
					  NET_ND_NS_LEN);
	if (p == NULL) {
		rte_pktmbuf_free(m);
		nd->cnt.no_mbuf++;
		return;
	}
	dp_port_mac(r->port, &mac);
	tw_addr6_link_local(mac.addr_bytes, src);
	tw_addr6_solicited_node(r->addr, dst);
	tw_addr6_mcast_mac(dst, dmac);
	n = net_nd_ns_write(p + NET_ETH_HLEN, NET_IPV6_HLEN + NET_ND_NS_LEN,
			    src, dst, r->addr, mac.addr_bytes);
	if (n < 0) {
		rte_pktmbuf_free(m);
		return;
	}
	net_eth_write(p, dmac, mac.addr_bytes, NET_ETHERTYPE_IPV6);
	m->l2_len = NET_ETH_HLEN;
	m->l3_len = NET_IPV6_HLEN;
	if (dp_tx(r->port, m) == 0)
		nd->cnt.tx_ns++;
}

/* m (data at IPv6) to mac on port. */
static void
nd_send_to(struct nd *nd, uint16_t port, const uint8_t mac[6],
	   struct rte_mbuf *m)
{
	struct rte_ether_addr src;
	uint8_t *p;

	p = (uint8_t *)rte_pktmbuf_prepend(m, NET_ETH_HLEN);
	if (p == NULL) {
		nd->cnt.no_mbuf++;
		rte_pktmbuf_free(m);
		return;
	}
	dp_port_mac(port, &src);
	net_eth_write(p, mac, src.addr_bytes, NET_ETHERTYPE_IPV6);
	m->l2_len = NET_ETH_HLEN;
	dp_tx(port, m);
}

static void
nd_res_expire(void *arg, tw_time_t now)
{
	struct nd_res *r = arg;
	struct nd *nd = r->nd;
	char b[TW_ADDR_STRLEN];

	if (r->failed) {
		nd_res_free(nd, r);
		return;
	}
	if (r->tries < ND_TRIES) {
		nd_solicit(nd, r);
		tw_heap_arm(nd->heap, &r->dl, now + ND_RETRY);
		return;
	}
	tw_log(TW_LOG_INFO, "nd",
	       "port %u: %s unresolved after %u solicitations, %u packets dropped (INCMP -> FAILED)",
	       r->port, tw_addr6_str(r->addr, b, sizeof(b)), r->tries,
	       r->n_pending);
	nd->cnt.resolve_failed++;
	nd_res_drop_pending(nd, r);
	r->failed = true;
	tw_heap_arm(nd->heap, &r->dl, now + ND_FAILED_HOLD);
}

void
nd_resolve_init(struct nd *nd)
{
	unsigned int i;

	for (i = 0; i < ND_RESOLVING; i++) {
		nd->res[i].nd = nd;
		tw_deadline_init(&nd->res[i].dl, nd_res_expire, &nd->res[i]);
	}
}

void
nd_learned(struct nd *nd, uint16_t port, const uint8_t addr[16],
	   tw_time_t now)
{
	const struct net_nd_entry *e = net_nd_lookup(&nd->cache, port, addr);
	struct rte_ether_addr mac;
	struct nd_res *r;
	char b[TW_ADDR_STRLEN];
	unsigned int i;

	(void)now;
	if (e == NULL)
		return;
	memcpy(mac.addr_bytes, e->mac, 6);
	if (dp_neigh6_set(port, addr, &mac) == 0)
		nd->commit = true;
	r = nd_res_find(nd, port, addr);
	if (r == NULL)
		return;
	nd->cnt.resolved++;
	tw_log(TW_LOG_INFO, "nd", "port %u: %s is at " RTE_ETHER_ADDR_PRT_FMT
	       " (INCMP -> %s)", port, tw_addr6_str(addr, b, sizeof(b)),
	       RTE_ETHER_ADDR_BYTES(&mac), net_nd_state_name(e->state));
	for (i = 0; i < r->n_pending; i++)
		nd_send_to(nd, port, e->mac, r->pending[i]);
	nd->n_pending -= r->n_pending;
	r->n_pending = 0;
	nd_res_free(nd, r);
}

void
nd_output(struct nd *nd, uint16_t port, const uint8_t nexthop[16],
	  struct rte_mbuf *m, tw_time_t now)
{
	const struct net_nd_entry *e;
	struct rte_ether_addr mac;
	struct nd_res *r;
	unsigned int i;

	if (port >= dp_n_ports()) {
		rte_pktmbuf_free(m);
		nd->cnt.malformed++;
		return;
	}
	e = net_nd_lookup(&nd->cache, port, nexthop);
	if (e != NULL) {
		/* Known (learned from its solicitation): used from now on. */
		memcpy(mac.addr_bytes, e->mac, 6);
		if (dp_neigh6_set(port, nexthop, &mac) == 0)
			nd->commit = true;
		nd_send_to(nd, port, e->mac, m);
		return;
	}
	r = nd_res_find(nd, port, nexthop);
	if (r == NULL) {
		for (i = 0; i < ND_RESOLVING && nd->res[i].used; i++)
			;
		if (i == ND_RESOLVING ||
		    net_neigh_admit(&nd->cache.budget, port,
				    NET_NEIGH_RESOLVING) != 0) {
			nd->cnt.table_full++;
			nd->cnt.unresolved++;
			rte_pktmbuf_free(m);
			return;
		}
		r = &nd->res[i];
		r->used = true;
		r->failed = false;
		r->port = port;
		memcpy(r->addr, nexthop, 16);
		r->tries = 0;
		r->n_pending = 0;
		r->since = now;
		nd_solicit(nd, r);
		tw_heap_arm(nd->heap, &r->dl, now + ND_RETRY);
	}
	if (r->failed) {
		nd->cnt.unresolved++;
		rte_pktmbuf_free(m);
		return;
	}
	if (r->n_pending == ND_PENDING_PER_NH ||
	    nd->n_pending == ND_PENDING_MAX) {
		nd->cnt.queue_full++;
		rte_pktmbuf_free(m);
		return;
	}
	r->pending[r->n_pending++] = m;
	nd->n_pending++;
}
