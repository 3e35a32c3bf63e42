/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IPv6 forwarding (issue 18): the transit packets of one burst, after
 * dp_ip6_classify() validated them and walked their extension headers.
 *
 *   hop limit <= 1 ─ drop (ipv6-hop-limit) ─ punt TTL: ICMPv6 time exceeded
 *   FIB6 ─ no route ─ drop (ipv6-transit)
 *        ─ larger than the next hop's MTU ─ drop (ipv6-too-big) ─ punt
 *          TOO_BIG: ICMPv6 packet too big (routers never fragment IPv6)
 *        ─ hop limit - 1 ─ neighbour known ─ Ethernet header ─ tx
 *                        ─ unknown ─ punt NEIGH (v6): the control lcore
 *                          solicits it and holds the packet meanwhile
 *
 * Packets arrive with l2_len set: 14 with the received Ethernet header in
 * front (rewritten in place), 0 for decrypted inner packets (one is
 * prepended). Nothing allocates; every drop is counted.
 */
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_ip.h>

#include "dp_priv.h"

struct dp_fwd6 {
	struct dp_worker *w;
	uint16_t n_punt;
	struct rte_mbuf *punt[DP_BURST_MAX];
};

static inline void
dp_fwd6_punt(struct dp_fwd6 *c, struct rte_mbuf *m)
{
	c->punt[c->n_punt++] = m;
	if (c->n_punt == RTE_DIM(c->punt)) {
		dp_punt_burst(c->w, c->punt, c->n_punt);
		c->n_punt = 0;
	}
}

static inline void
dp_fwd6_drop(struct dp_fwd6 *c, struct rte_mbuf *m, enum dp_drop_reason r)
{
	c->w->drops.count[r]++;
	rte_pktmbuf_free(m);
}

static inline struct rte_ipv6_hdr *
dp_ip6_hdr(struct rte_mbuf *m)
{
	return rte_pktmbuf_mtod_offset(m, struct rte_ipv6_hdr *, m->l2_len);
}

void
dp_fwd6_route(struct dp_worker *w, const struct dp_snap *s, uint16_t rx_port,
	      struct rte_mbuf **mb, uint16_t n)
{
	static const uint8_t zero[16];
	uint8_t dst[DP_BURST_MAX][16];
	const struct dp_nh6 *nh[DP_BURST_MAX];
	struct rte_mbuf *ok[DP_BURST_MAX];
	const struct rte_ether_addr *mac;
	struct rte_ether_hdr *eth;
	struct rte_ipv6_hdr *ip;
	struct dp_fwd6 c;
	const uint8_t *nha;
	uint16_t i, k = 0, mtu, len;

	if (n == 0)
		return;
	c.w = w;
	c.n_punt = 0;
	/* RFC 8200 3: a hop limit that reaches 0 here is not forwarded. */
	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = mb[i];

		ip = dp_ip6_hdr(m);
		if (unlikely(ip->hop_limits <= 1)) {
			w->drops.count[DP_DROP_IPV6_HLIM]++;
			if (m->l2_len == 0) {
				/* decrypted: nothing to answer in clear */
				rte_pktmbuf_free(m);
				continue;
			}
			dp_punt_set(m, DP_PUNT_TTL, rx_port, 0, 0);
			dp_fwd6_punt(&c, m);
			continue;
		}
		memcpy(dst[k], ip->dst_addr, 16);
		ok[k++] = m;
	}
	dp_fib6_lookup(s->fib6, dst, nh, k);
	for (i = 0; i < k; i++) {
		struct rte_mbuf *m = ok[i];

		if (unlikely(nh[i] == NULL)) {
			dp_fwd6_drop(&c, m, DP_DROP_IPV6_TRANSIT);
			continue;
		}
		ip = dp_ip6_hdr(m);
		mtu = dp_g.ports[nh[i]->port].params.mtu;
		len = (uint16_t)(sizeof(*ip) + rte_be_to_cpu_16(ip->payload_len));
		if (unlikely(len > mtu)) {
			/* RFC 8200 5, RFC 4443 3.1 */
			w->drops.count[DP_DROP_IPV6_TOO_BIG]++;
			if (m->l2_len == 0) {
				rte_pktmbuf_free(m);
				continue;
			}
			dp_punt_set(m, DP_PUNT_TOO_BIG, rx_port, 0, mtu);
			dp_fwd6_punt(&c, m);
			continue;
		}
		ip->hop_limits--;
		nha = memcmp(nh[i]->gw, zero, 16) != 0 ? nh[i]->gw : dst[i];
		mac = dp_nb6_get(s->nb6, nh[i]->port, nha);
		if (unlikely(mac == NULL)) {
			/* Resolved by the control lcore, from the IPv6 header. */
			rte_pktmbuf_adj(m, m->l2_len);
			m->l2_len = 0;
			if (unlikely(dp_punt_set6(m, nh[i]->port, nha) != 0)) {
				dp_fwd6_drop(&c, m, DP_DROP_NO_MBUF);
				continue;
			}
			dp_fwd6_punt(&c, m);
			continue;
		}
		if (m->l2_len == 0) {
			eth = (struct rte_ether_hdr *)
				rte_pktmbuf_prepend(m, RTE_ETHER_HDR_LEN);
			if (unlikely(eth == NULL)) {
				dp_fwd6_drop(&c, m, DP_DROP_NO_MBUF);
				continue;
			}
			m->l2_len = RTE_ETHER_HDR_LEN;
		} else {
			eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
		}
		rte_ether_addr_copy(mac, &eth->dst_addr);
		rte_ether_addr_copy(&dp_g.ports[nh[i]->port].mac,
				    &eth->src_addr);
		eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV6);
		dp_tx_enqueue(w, nh[i]->port, m);
	}
	if (c.n_punt > 0)
		dp_punt_burst(w, c.punt, c.n_punt);
}
