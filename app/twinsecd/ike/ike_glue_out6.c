/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The IKE glue's messages over IPv6 (issue 18): IPv6/UDP from our
 * endpoint to the peer, through its next hop as ike_glue_out.c finds it
 * for IPv4 (the peer itself when one of our interfaces' prefixes holds
 * it, else the gateway of the longest IPv6 static route; a peer that
 * neither covers is taken as on the link of our endpoint, as before
 * routes were looked at). The next hop's MAC comes from the neighbour
 * cache, else from the last IKE message the peer sent us (the neighbour
 * it came from: its router when it is off-link). A next hop known
 * neither way (we initiate to a peer that never spoke to us) is
 * solicited: the message waits in nd_output() (nd_resolve.c, as the fast
 * path's packets do) and leaves when the advertisement arrives.
 */
#include <string.h>

#include <rte_mbuf.h>

#include "dp.h"
#include "ike_glue_priv.h"
#include "net_arp.h"
#include "net_udp6.h"
#include "tw_log.h"

#define IKE_HLIM 64
#define NON_ESP_MARKER 4        /* RFC 3948 2.2 */
#define LEARN_MAX 64            /* peers whose last message we keep */
#define LEARN_TTL TW_SEC(600)   /* ... for this long */

struct learned {
	uint8_t addr[16];
	uint8_t mac[6];
	uint16_t port;
	tw_time_t at;               /* 0: free */
};

static struct learned learned[LEARN_MAX];

void
ike_glue_out6_learn(uint16_t port, const uint8_t addr[16],
		    const uint8_t mac[6], tw_time_t now)
{
	struct learned *slot = &learned[0];
	unsigned int i;

	for (i = 0; i < LEARN_MAX; i++) {
		if (learned[i].at != 0 && learned[i].port == port &&
		    memcmp(learned[i].addr, addr, 16) == 0) {
			slot = &learned[i];
			break;
		}
		/* else the free or the oldest one */
		if (learned[i].at < slot->at)
			slot = &learned[i];
	}
	slot->port = port;
	memcpy(slot->addr, addr, 16);
	memcpy(slot->mac, mac, 6);
	slot->at = now;
}

/* The port holding our address src; -1 if none. */
static int
src_port(const uint8_t src[16])
{
	unsigned int p, i;

	for (p = 0; p < dp_n_ports(); p++) {
		const struct dp_port_params *pp = dp_port((uint16_t)p);

		for (i = 0; i < pp->n_addr6; i++)
			if (memcmp(pp->addr6[i].addr.v6, src, 16) == 0)
				return (int)p;
	}
	return -1;
}

/*
 * The port and next hop towards dst over the configuration: an
 * interface's own prefix holds dst (it is on that link), else the
 * longest IPv6 static route (its gateway, or dst when it has none). A
 * link-local dst, or one no prefix and no route covers: -1.
 */
static int
next_hop6(const struct conf *c, const uint8_t dst[16], uint8_t nh[16])
{
	const struct conf_route *best = NULL;
	struct tw_addr d = { .family = TW_AF_INET6 };
	unsigned int i, k;

	if (tw_addr6_is_link_local(dst))
		return -1;
	memcpy(d.v6, dst, 16);
	for (i = 0; i < c->n_ifaces; i++)
		for (k = 0; k < c->ifaces[i].n_addr6; k++)
			if (tw_prefix_contains(&c->ifaces[i].addr6[k], &d)) {
				memcpy(nh, dst, 16);
				return (int)i;
			}
	for (i = 0; i < c->n_routes6; i++) {
		const struct conf_route *r = &c->routes6[i];

		if (tw_prefix_contains(&r->to, &d) &&
		    (best == NULL || r->to.len > best->to.len))
			best = r;
	}
	if (best == NULL)
		return -1;
	for (i = 0; i < c->n_ifaces; i++) {
		if (strcmp(c->ifaces[i].name, best->iface) != 0)
			continue;
		memcpy(nh, best->via.family == TW_AF_INET6 ? best->via.v6 : dst,
		       16);
		return (int)i;
	}
	return -1;
}

/* The MAC of next hop nh on port, or of the neighbour the last IKE
 * message from peer dst came from. */
static bool
peer_mac(uint16_t port, const uint8_t nh[16], const uint8_t dst[16],
	 uint8_t mac[6], tw_time_t now)
{
	const struct net_nd_entry *n;
	unsigned int i;

	n = net_nd_lookup(&ig.ctl->nd.cache, port, nh);
	if (n != NULL) {
		memcpy(mac, n->mac, 6);
		return true;
	}
	for (i = 0; i < LEARN_MAX; i++)
		if (learned[i].at != 0 && learned[i].port == port &&
		    learned[i].at + LEARN_TTL > now &&
		    memcmp(learned[i].addr, dst, 16) == 0) {
			memcpy(mac, learned[i].mac, 6);
			return true;
		}
	return false;
}

void
ike_glue_send_udp6(const uint8_t src[16], const uint8_t dst[16],
		   uint16_t sport, uint16_t dport, const uint8_t *data,
		   size_t len, bool marker, tw_time_t now)
{
	size_t plen = len + (marker ? NON_ESP_MARKER : 0);
	size_t tot = NET_ETH_HLEN + NET_IPV6_HLEN + NET_UDP_HLEN + plen;
	char a[TW_ADDR_STRLEN];
	struct rte_ether_addr me;
	struct rte_mbuf *m;
	const uint8_t *vmac = NULL;
	uint8_t mac[6], nh[16], *p;
	int port, via;
	bool known;

	/* Our address, or an HSRP VIP we hold: then from its virtual MAC. */
	port = src_port(src);
	if (port < 0)
		port = nd_vip_port(&ig.ctl->nd, src, &vmac);
	if (port < 0) {
		ig.cnt.no_route++;
		tw_log(TW_LOG_DEBUG, "ike", "no port for IKE over IPv6 to %s",
		       tw_addr6_str(dst, a, sizeof(a)));
		return;
	}
	/* Routed: through the next hop, out of its port (the VIP's MAC
	 * only on the VIP's own port). Else on the endpoint's link. */
	via = next_hop6(ig.ctl->conf, dst, nh);
	if (via >= 0 && (unsigned int)via < dp_n_ports()) {
		if (via != port)
			vmac = NULL;
		port = via;
	} else {
		memcpy(nh, dst, 16);
	}
	known = peer_mac((uint16_t)port, nh, dst, mac, now);
	m = rte_pktmbuf_alloc(dp_pktmbuf_pool());
	p = m != NULL ? (uint8_t *)rte_pktmbuf_append(m, (uint16_t)tot) : NULL;
	if (p == NULL) {
		rte_pktmbuf_free(m);
		ig.cnt.tx_errors++;
		return;
	}
	memset(p + NET_ETH_HLEN + NET_IPV6_HLEN + NET_UDP_HLEN, 0,
	       NON_ESP_MARKER);
	memcpy(p + NET_ETH_HLEN + NET_IPV6_HLEN + NET_UDP_HLEN +
	       (marker ? NON_ESP_MARKER : 0), data, len);
	if (net_udp6_write(p + NET_ETH_HLEN, tot - NET_ETH_HLEN, src, dst,
			   IKE_HLIM, 0, sport, dport, plen) < 0) {
		rte_pktmbuf_free(m);
		ig.cnt.tx_errors++;
		return;
	}
	if (!known) {
		/* Solicited; sent from the port's own MAC when answered. */
		rte_pktmbuf_adj(m, NET_ETH_HLEN);
		nd_output(&ig.ctl->nd, (uint16_t)port, nh, m, now);
		return;
	}
	dp_port_mac((uint16_t)port, &me);
	if (vmac != NULL)
		memcpy(me.addr_bytes, vmac, sizeof(me.addr_bytes));
	net_eth_write(p, mac, me.addr_bytes, NET_ETHERTYPE_IPV6);
	m->l2_len = NET_ETH_HLEN;
	m->l3_len = NET_IPV6_HLEN;
	dp_tx((uint16_t)port, m);
}
