/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The IKE glue's messages over IPv6 (issue 18): IPv6/UDP from our
 * endpoint, out of the port that holds that address, to the peer's MAC.
 * The peer is taken as on-link: its MAC comes from the neighbour cache
 * (nd.c learns it from the peer's own solicitation of our address), else
 * from the last IKE message it sent us (the neighbour the request came
 * from). A peer known neither way (we initiate to a peer that never spoke
 * to us) is solicited: the message waits in nd_output() (nd_resolve.c,
 * as the fast path's packets do) and leaves when the peer's advertisement
 * arrives. Before, it was dropped (no_route): twinsec could not initiate
 * IKE over IPv6. (An off-link peer, behind an IPv6 route, is not
 * supported yet.)
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

static bool
peer_mac(uint16_t port, const uint8_t dst[16], uint8_t mac[6],
	 tw_time_t now)
{
	const struct net_nd_entry *n;
	unsigned int i;

	n = net_nd_lookup(&ig.ctl->nd.cache, port, dst);
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
	uint8_t mac[6], *p;
	bool known;
	int port;

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
	known = peer_mac((uint16_t)port, dst, mac, now);
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
		nd_output(&ig.ctl->nd, (uint16_t)port, dst, m, now);
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
