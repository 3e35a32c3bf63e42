/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ESP with an IPv6 side in the fast path (issue 18): the outbound half.
 *
 *   IPv6 inner (dp_fwd6.c protect) ─ hop limit ─ tunnel MTU ─ too big:
 *     drop (ipv6-too-big), punt TOO_BIG (ICMPv6 packet too big, never
 *     fragmented) ─ dp_sa_process ─ the outer by the SA's family
 *   outer IPv6 (either inner) ─ FIB6 to the peer ─ neighbour (ND punt)
 *   outer IPv4 ─ FIB ─ neighbour (ARP punt)
 *
 * IPv4 inner packets on an IPv6-outer SA come from dp_fwd.c's dp_protect()
 * (MTU, DF and fragmentation as for IPv4 outers) to dp_esp6_send().
 */
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_ip.h>

#include "dp_priv.h"
#include "dp_sa.h"

const struct dp_nh6 *
dp_esp6_nh(const struct dp_snap *s, const struct dp_sa *sa, uint8_t nha[16])
{
	static const uint8_t zero[16];
	uint8_t dst[1][16];
	const struct dp_nh6 *nh;

	memcpy(dst[0], dp_sa_remote6(sa), 16);
	dp_fib6_lookup(s->fib6, dst, &nh, 1);
	if (nh == NULL)
		return NULL;
	memcpy(nha, memcmp(nh->gw, zero, 16) != 0 ? nh->gw : dst[0], 16);
	return nh;
}

static void
dp_esp6_punt(struct dp_worker *w, struct rte_mbuf **p, uint16_t *n,
	     struct rte_mbuf *m)
{
	p[(*n)++] = m;
	if (*n == DP_BURST_MAX) {
		dp_punt_burst(w, p, *n);
		*n = 0;
	}
}

void
dp_esp6_send(struct dp_worker *w, const struct dp_snap *s,
	     const struct dp_nh6 *nh, const uint8_t nha[16],
	     struct rte_mbuf **mb, uint16_t n)
{
	struct rte_mbuf *punt[DP_BURST_MAX];
	const struct rte_ether_addr *mac;
	struct rte_ether_hdr *eth;
	uint16_t i, n_punt = 0;

	mac = dp_nb6_get(s->nb6, nh->port, nha);
	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = mb[i];

		m->l2_len = 0;
		if (unlikely(mac == NULL)) {
			/* ND by the control lcore, from the IPv6 header */
			if (unlikely(dp_punt_set6(m, nh->port, nha) != 0)) {
				w->drops.count[DP_DROP_NO_MBUF]++;
				rte_pktmbuf_free(m);
				continue;
			}
			dp_esp6_punt(w, punt, &n_punt, m);
			continue;
		}
		eth = (struct rte_ether_hdr *)
			rte_pktmbuf_prepend(m, RTE_ETHER_HDR_LEN);
		if (unlikely(eth == NULL)) {
			w->drops.count[DP_DROP_NO_MBUF]++;
			rte_pktmbuf_free(m);
			continue;
		}
		m->l2_len = RTE_ETHER_HDR_LEN;
		rte_ether_addr_copy(mac, &eth->dst_addr);
		rte_ether_addr_copy(&dp_g.ports[nh->port].mac, &eth->src_addr);
		eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV6);
		dp_tx_enqueue(w, nh->port, m);
	}
	if (n_punt > 0)
		dp_punt_burst(w, punt, n_punt);
}

/* Encrypted packets at an outer IPv4 header, to nhaddr on port. */
static void
dp_esp6_send4(struct dp_worker *w, const struct dp_snap *s, uint16_t port,
	      uint32_t nhaddr, struct rte_mbuf **mb, uint16_t n)
{
	struct rte_mbuf *punt[DP_BURST_MAX];
	struct rte_ether_hdr *eth;
	uint16_t i, n_punt = 0;
	uint64_t mac;
	bool known;

	known = dp_hmap_get(s->neigh, ((uint64_t)port + 1) << 32 | nhaddr,
			    &mac) == 0;
	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = mb[i];

		m->l2_len = 0;
		if (unlikely(!known)) {
			dp_punt_set(m, DP_PUNT_NEIGH, port, nhaddr, 0);
			dp_esp6_punt(w, punt, &n_punt, m);
			continue;
		}
		eth = (struct rte_ether_hdr *)
			rte_pktmbuf_prepend(m, RTE_ETHER_HDR_LEN);
		if (unlikely(eth == NULL)) {
			w->drops.count[DP_DROP_NO_MBUF]++;
			rte_pktmbuf_free(m);
			continue;
		}
		m->l2_len = RTE_ETHER_HDR_LEN;
		memcpy(&eth->dst_addr, &mac, RTE_ETHER_ADDR_LEN);
		rte_ether_addr_copy(&dp_g.ports[port].mac, &eth->src_addr);
		eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV4);
		dp_tx_enqueue(w, port, m);
	}
	if (n_punt > 0)
		dp_punt_burst(w, punt, n_punt);
}

void
dp_esp6_protect(struct dp_worker *w, const struct dp_snap *s,
		uint16_t rx_port, struct dp_sa *sa, struct rte_mbuf **mb,
		uint16_t n)
{
	struct rte_mbuf *ok[DP_BURST_MAX], *punt[DP_BURST_MAX];
	const struct dp_nh6 *nh6 = NULL;
	const struct dp_nh *nh = NULL;
	struct rte_ipv6_hdr *ip;
	uint16_t i, k = 0, n_punt = 0, mtu = 0, max, len;
	uint32_t peer = 0, nhaddr = 0;
	uint8_t nha[16];

	if (dp_sa_outer_af(sa) == 6) {
		nh6 = dp_esp6_nh(s, sa, nha);
		if (nh6 != NULL)
			mtu = dp_g.ports[nh6->port].params.mtu;
	} else {
		peer = dp_sa_remote_addr(sa);
		dp_fib_lookup(s->fib, &peer, &nh, 1);
		if (nh != NULL) {
			mtu = dp_g.ports[nh->port].params.mtu;
			nhaddr = nh->gw != 0 ? nh->gw : peer;
		}
	}
	if (unlikely(nh6 == NULL && nh == NULL)) {
		w->drops.count[DP_DROP_NO_ROUTE] += n;
		rte_pktmbuf_free_bulk(mb, n);
		return;
	}
	max = dp_sa_max_inner(sa, mtu);
	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = mb[i];

		ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv6_hdr *,
					     m->l2_len);
		if (unlikely(ip->hop_limits <= 1)) {
			w->drops.count[DP_DROP_IPV6_HLIM]++;
			dp_punt_set(m, DP_PUNT_TTL, rx_port, 0, 0);
			dp_esp6_punt(w, punt, &n_punt, m);
			continue;
		}
		len = (uint16_t)(sizeof(*ip) +
				 rte_be_to_cpu_16(ip->payload_len));
		if (unlikely(len > max)) {
			/* RFC 8200 5: the sender learns the tunnel's MTU. */
			w->drops.count[DP_DROP_IPV6_TOO_BIG]++;
			dp_punt_set(m, DP_PUNT_TOO_BIG, rx_port, 0,
				    max > RTE_IPV6_MIN_MTU ? max :
				    RTE_IPV6_MIN_MTU);
			dp_esp6_punt(w, punt, &n_punt, m);
			continue;
		}
		ip->hop_limits--;
		rte_pktmbuf_adj(m, m->l2_len);
		m->l2_len = 0;
		m->l3_len = sizeof(*ip);
		ok[k++] = m;
	}
	if (n_punt > 0)
		dp_punt_burst(w, punt, n_punt);
	if (k == 0)
		return;
	i = dp_sa_process(sa, w->idx, ok, k, &w->drops);
	if (i < k)
		rte_pktmbuf_free_bulk(ok + i, k - i);
	if (nh6 != NULL)
		dp_esp6_send(w, s, nh6, nha, ok, i);
	else
		dp_esp6_send4(w, s, nh->port, nhaddr, ok, i);
}
