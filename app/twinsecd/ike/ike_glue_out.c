/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The IKE glue's messages out: IPv4/UDP from the tunnel endpoint, the next
 * hop from the connected subnets and the static routes, through ARP.
 */
#include <errno.h>
#include <string.h>

#include <rte_mbuf.h>

#include "ike_glue_priv.h"
#include "net_ip.h"
#include "tw_log.h"

#define IKE_TTL 64
#define NON_ESP_MARKER 4        /* RFC 3948 2.2 */

/* Connected subnet first, then the longest static route. */
static int
next_hop(const struct conf *c, uint32_t dst, uint16_t *port, uint32_t *nh)
{
	const struct conf_route *best = NULL;
	unsigned int i;

	for (i = 0; i < c->n_ifaces; i++) {
		uint32_t m = net_prefix_mask(c->ifaces[i].prefix_len);

		if ((c->ifaces[i].addr & m) == (dst & m)) {
			*port = (uint16_t)i;
			*nh = dst;
			return 0;
		}
	}
	for (i = 0; i < c->n_routes; i++) {
		const struct conf_route *r = &c->routes[i];

		if ((dst & net_prefix_mask(r->dst.len)) == r->dst.addr &&
		    (best == NULL || r->dst.len > best->dst.len))
			best = r;
	}
	if (best == NULL)
		return -ENOENT;
	for (i = 0; i < c->n_ifaces; i++) {
		if (strcmp(c->ifaces[i].name, best->iface) == 0) {
			*port = (uint16_t)i;
			*nh = best->gateway != 0 ? best->gateway : dst;
			return 0;
		}
	}
	return -ENOENT;
}

void
ike_glue_send_udp(const struct tw_addr *src_a, const struct tw_addr *dst_a,
		  uint16_t sport, uint16_t dport, const uint8_t *data,
		  size_t len, bool marker, tw_time_t now)
{
	size_t plen = len + (marker ? NON_ESP_MARKER : 0);
	size_t tot = NET_IPV4_HLEN + NET_UDP_HLEN + plen;
	uint32_t dst = dst_a->v4;
	struct net_ipv4 ip = {
		.id = ig.ip_id++,
		.ttl = IKE_TTL,
		.src = src_a->v4,
		.dst = dst_a->v4,
	};
	struct rte_mbuf *m;
	uint32_t nh;
	uint16_t port;
	uint8_t *p;

	if (dst_a->family == TW_AF_INET6) {
		ike_glue_send_udp6(src_a->v6, dst_a->v6, sport, dport, data,
				   len, marker, now);
		return;
	}
	if (next_hop(ig.ctl->conf, dst, &port, &nh) < 0) {
		ig.cnt.no_route++;
		tw_log(TW_LOG_DEBUG, "ike", "no route to " NET_IP4_FMT,
		       NET_IP4_ARGS(dst));
		return;
	}
	m = rte_pktmbuf_alloc(dp_pktmbuf_pool());
	if (m == NULL) {
		ig.cnt.tx_errors++;
		return;
	}
	p = (uint8_t *)rte_pktmbuf_append(m, (uint16_t)tot);
	if (p == NULL) {
		rte_pktmbuf_free(m);
		ig.cnt.tx_errors++;
		return;
	}
	memset(p + NET_IPV4_HLEN + NET_UDP_HLEN, 0, NON_ESP_MARKER);
	memcpy(p + NET_IPV4_HLEN + NET_UDP_HLEN +
	       (marker ? NON_ESP_MARKER : 0),
	       data, len);
	if (net_udp4_write(p, tot, &ip, sport, dport, plen) < 0) {
		rte_pktmbuf_free(m);
		ig.cnt.tx_errors++;
		return;
	}
	m->l2_len = 0;
	m->l3_len = NET_IPV4_HLEN;
	arp_output(&ig.ctl->arp, port, nh, m, now);
}
