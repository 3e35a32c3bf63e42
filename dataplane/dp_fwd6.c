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
 * Before it, dp_fwd6_transit() looks each packet up in the SPD of IPv6
 * selectors (dp_spd6.c), mirrored for what arrives on an outside port as
 * for IPv4: bypass is forwarded, discard dropped, protect from the
 * outside dropped (it must arrive as ESP, RFC 4301 5.2), protect from
 * the inside encrypted per SA (dp_esp6.c), or dropped as no-out-sa
 * without one; no match: the default policy, forwarded only when it is
 * bypass.
 *
 * Packets arrive with l2_len set: 14 with the received Ethernet header in
 * front (rewritten in place), 0 for decrypted inner packets (one is
 * prepended). Nothing allocates; every drop is counted.
 */
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_ip.h>

#include "dp_ip6.h"
#include "dp_priv.h"
#include "dp_sa.h"
#include "dp_spd6.h"
#include "net_ip6.h"

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

#define DP_IP6_TCP 6
#define DP_IP6_UDP 17
#define DP_IP6_SCTP 132

/*
 * The upper-layer protocol of m: the header's own without extension
 * headers (l3_len 40, dp_ip6.c), else the walk's again (bounded).
 */
static uint8_t
dp_fwd6_proto(const struct rte_mbuf *m, const struct rte_ipv6_hdr *ip)
{
	struct net_ipv6 d;
	const char *why;

	if (likely(m->l3_len == sizeof(*ip)))
		return ip->proto;
	if (net_ipv6_decode((const uint8_t *)ip, m->data_len - m->l2_len, &d,
			    &why) != 0)
		return NET_IPPROTO_NONE;
	return d.frag ? NET_IPPROTO_FRAGMENT : d.proto;
}

/* The SPD key of m (l3_len: the upper layer's offset, dp_ip6.c). */
static void
dp_fwd6_key(struct rte_mbuf *m, const struct rte_ipv6_hdr *ip, bool inside,
	    struct dp_acl_key6 *k)
{
	uint8_t proto = dp_fwd6_proto(m, ip);
	uint16_t sp = 0, dp = 0;
	const uint8_t *l4;

	k->proto = proto;
	memset(k->pad, 0, sizeof(k->pad));
	if ((proto == DP_IP6_TCP || proto == DP_IP6_UDP ||
	     proto == DP_IP6_SCTP) &&
	    m->data_len >= m->l2_len + m->l3_len + 4u) {
		l4 = rte_pktmbuf_mtod_offset(m, const uint8_t *,
					     m->l2_len + m->l3_len);
		memcpy(&sp, l4, 2);
		memcpy(&dp, l4 + 2, 2);
	}
	if (inside) {
		memcpy(k->src, ip->src_addr, 16);
		memcpy(k->dst, ip->dst_addr, 16);
		k->sport = sp;
		k->dport = dp;
	} else {
		memcpy(k->src, ip->dst_addr, 16);
		memcpy(k->dst, ip->src_addr, 16);
		k->sport = dp;
		k->dport = sp;
	}
}

void
dp_fwd6_transit(struct dp_worker *w, const struct dp_snap *s,
		uint16_t rx_port, bool inside, struct rte_mbuf **mb,
		uint16_t n)
{
	struct dp_acl_key6 key[DP_BURST_MAX];
	const uint8_t *kp[DP_BURST_MAX];
	struct rte_mbuf *fwd[DP_BURST_MAX], *prot[DP_BURST_MAX];
	struct rte_mbuf *grp[DP_BURST_MAX];
	struct dp_sa *prot_sa[DP_BURST_MAX], *sa, *psa = NULL;
	uint32_t res[DP_BURST_MAX];
	const struct dp_policy *pol;
	enum conf_policy_action act;
	uint16_t i, j, g, n_fwd = 0, n_prot = 0;

	if (n == 0)
		return;
	for (i = 0; i < n; i++) {
		dp_fwd6_key(mb[i], dp_ip6_hdr(mb[i]), inside, &key[i]);
		kp[i] = (const uint8_t *)&key[i];
	}
	if (s->spd6 != NULL)
		dp_spd6_classify(s->spd6, kp, res, n);
	else
		memset(res, 0, n * sizeof(res[0]));
	for (i = 0; i < n; i++) {
		pol = res[i] != 0 && s->spd6 != NULL && res[i] <= s->spd6->n ?
			&s->spd6->pol[res[i] - 1] : NULL;
		act = pol != NULL ? pol->action : s->default_policy;
		switch (act) {
		case CONF_POLICY_BYPASS:
			fwd[n_fwd++] = mb[i];
			break;
		case CONF_POLICY_PROTECT:
			if (!inside) {
				w->drops.count[DP_DROP_POLICY]++;
			} else if (pol == NULL) {
				w->drops.count[DP_DROP_DISCARD]++;
			} else if ((psa = __atomic_load_n(&pol->sa,
						__ATOMIC_ACQUIRE)) != NULL &&
				   dp_sa_inner_af(psa) == 6) {
				prot_sa[n_prot] = psa;
				prot[n_prot++] = mb[i];
				break;
			} else {
				if (psa == NULL && pol->acquire != 0)
					dp_acquire_raise(w, pol->acquire);
				w->drops.count[DP_DROP_NO_OUT_SA]++;
			}
			rte_pktmbuf_free(mb[i]);
			break;
		case CONF_POLICY_DISCARD:
		default:
			w->drops.count[DP_DROP_DISCARD]++;
			rte_pktmbuf_free(mb[i]);
			break;
		}
	}
	/* Per SA: one dp_sa_process() call each. */
	for (i = 0; i < n_prot; i++) {
		if (prot_sa[i] == NULL)
			continue;
		sa = prot_sa[i];
		g = 0;
		for (j = i; j < n_prot; j++) {
			if (prot_sa[j] != sa)
				continue;
			prot_sa[j] = NULL;
			grp[g++] = prot[j];
		}
		dp_esp6_protect(w, s, rx_port, sa, grp, g);
	}
	dp_fwd6_route(w, s, rx_port, fwd, n_fwd);
}

void
dp_fwd6_route(struct dp_worker *w, const struct dp_snap *s, uint16_t rx_port,
	      struct rte_mbuf **mb, uint16_t n)
{
	static const uint8_t zero[16];
	uint8_t dst[DP_BURST_MAX][16];
	const struct dp_nh6 *nh[DP_BURST_MAX];
	struct rte_mbuf *ok[DP_BURST_MAX];
	const struct rte_ether_addr *mac, *last_mac = NULL;
	struct rte_ether_hdr *eth;
	struct rte_ipv6_hdr *ip;
	struct dp_fwd6 c;
	const uint8_t *nha, *last_nha = NULL;
	uint16_t i, k = 0, mtu, len, last_port = 0;

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
		nha = !dp_ip6_eq(nh[i]->gw, zero) ? nh[i]->gw : dst[i];
		/*
		 * The packets of a burst mostly go to one next hop: the
		 * previous packet's neighbour is reused without the hash
		 * lookup (IPv6 bench rows, inbound: ~4 % of the worker's
		 * time a packet, docs/benchmarks-notes.md).
		 */
		if (last_mac != NULL && nh[i]->port == last_port &&
		    dp_ip6_eq(nha, last_nha)) {
			mac = last_mac;
		} else {
			mac = dp_nb6_get(s->nb6, nh[i]->port, nha);
			last_mac = mac;
			last_nha = nha;
			last_port = nh[i]->port;
		}
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
