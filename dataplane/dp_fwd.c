/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * One received burst through the pipeline:
 *
 *   classify ─┬─ ARP, to us (not ESP for a known SA) ──────────── punt LOCAL
 *             ├─ transit, TTL expires ─ drop (counted) ──────────── punt TTL
 *             ├─ fragment of ESP/UDP to us ─ dp_reasm ─ (whole) classify
 *             ├─ ESP / NAT-T ESP to us ─ SAD ─ dp_sa_process (in) ─┐
 *             │    (over IPv6 too; an IPv6 inner: dp_inner6_ok ─   │
 *             │     dp_fwd6_route)                                 │
 *             └─ transit ─ one ACL classify for the burst          │
 *                  ├─ protect ─ per SA: MTU/DF, fragment,          │
 *                  │   dp_sa_process (out) ─ L2 to the peer's hop  │
 *                  ├─ bypass ───────────────────────────────────── FIB ─ MTU ─ neighbour ─ tx
 *                  ├─ protect without an SA yet ─ drop, ACQUIRE (limited)
 *                  └─ discard / clear traffic a protect covers ─ drop
 *
 * Packets are grouped per SA so dp_sa_process() sees runs of one SA.
 * Nothing here allocates except fragmentation; every drop is counted in
 * the worker's struct dp_drop_counters.
 */
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_prefetch.h>
#include <rte_udp.h>

#include "dp_classify.h"
#include "dp_priv.h"

/*
 * SPDs with fewer policies than this (16-byte hot part each, struct
 * dp_policy) stay in cache: their policies are not prefetched.
 */
#define DP_SPD_PREFETCH_MIN 1024u

struct dp_fwd_ctx {
	struct dp_worker *w;
	const struct dp_snap *s;
	uint16_t rx_port;
	bool inside;
	bool inject;            /* our own packets, for a tunnel only */
	uint16_t n_punt;
	struct rte_mbuf *punt[DP_BURST_MAX];
};

/* A run of packets for one outbound SA, sent to one next hop. */
struct dp_enc {
	struct dp_sa *sa;
	const struct dp_nh *nh;
	uint32_t nhaddr;
	const struct dp_nh6 *nh6;       /* an IPv6 outer: else NULL */
	uint8_t nha6[16];
	uint16_t n;
	struct rte_mbuf *mb[DP_BURST_MAX + DP_FRAG_MAX];
};

static inline void
dp_drop(struct dp_fwd_ctx *c, struct rte_mbuf *m, enum dp_drop_reason r)
{
	c->w->drops.count[r]++;
	rte_pktmbuf_free(m);
}

static inline void
dp_punt_add(struct dp_fwd_ctx *c, struct rte_mbuf *m)
{
	c->punt[c->n_punt++] = m;
	if (c->n_punt == RTE_DIM(c->punt)) {
		dp_punt_burst(c->w, c->punt, c->n_punt);
		c->n_punt = 0;
	}
}

static inline struct rte_ipv4_hdr *
dp_ip(struct rte_mbuf *m)
{
	return rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, m->l2_len);
}

/* RFC 1624 incremental update; the TTL is the high byte of its word. */
static inline void
dp_ttl_dec(struct rte_ipv4_hdr *ip)
{
	uint32_t sum = ip->hdr_checksum;

	sum += rte_cpu_to_be_16(0x0100);
	ip->hdr_checksum = (uint16_t)(sum + (sum >= 0xffff));
	ip->time_to_live--;
}


/* The Ethernet header towards nhaddr on port; -1 while it is unresolved. */
static inline int
dp_l2_hdr(const struct dp_fwd_ctx *c, uint16_t port, uint32_t nhaddr,
	  struct rte_ether_hdr *h)
{
	uint64_t mac;

	if (dp_hmap_get(c->s->neigh, ((uint64_t)port + 1) << 32 | nhaddr,
			&mac) != 0)
		return -1;
	memcpy(&h->dst_addr, &mac, RTE_ETHER_ADDR_LEN);
	rte_ether_addr_copy(&dp_g.ports[port].mac, &h->src_addr);
	h->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV4);
	return 0;
}

/* m starts at an IPv4 header (l2_len 0): prepend h and queue it for TX. */
static inline void
dp_l2_send(struct dp_fwd_ctx *c, uint16_t port, const struct rte_ether_hdr *h,
	   struct rte_mbuf *m)
{
	struct rte_ether_hdr *eth;

	eth = (struct rte_ether_hdr *)rte_pktmbuf_prepend(m, DP_ETH_LEN);
	if (unlikely(eth == NULL)) {
		dp_drop(c, m, DP_DROP_NO_MBUF);
		return;
	}
	*eth = *h;
	m->l2_len = DP_ETH_LEN;
	dp_tx_enqueue(c->w, port, m);
}

/*
 * A decrypted inner packet (m at its IPv4 header) for the control lcore,
 * which answers through the tunnel (dp_inject()): behind an Ethernet
 * header of zeros, as the punt consumers read frames.
 */
static void
dp_punt_inner(struct dp_fwd_ctx *c, struct rte_mbuf *m,
	      enum dp_punt_reason r, uint16_t port)
{
	struct rte_ether_hdr *eth;

	eth = (struct rte_ether_hdr *)rte_pktmbuf_prepend(m, DP_ETH_LEN);
	if (unlikely(eth == NULL)) {
		dp_drop(c, m, DP_DROP_NO_MBUF);
		return;
	}
	memset(eth, 0, sizeof(*eth));
	eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV4);
	m->l2_len = DP_ETH_LEN;
	dp_punt_set(m, r, port, 0, 0);
	dp_punt_add(c, m);
}

/* ESP on an unknown SPI: a drop, and (rate-limited) a punt so that IKE
 * can tell the peer INVALID_SPI (DP_PUNT_NO_SA). */
static void
dp_drop_no_sa(struct dp_fwd_ctx *c, struct rte_mbuf *m, uint16_t rx_port)
{
	if (!dp_nosa_allow(c->w) ||
	    rte_pktmbuf_mtod(m, const struct rte_ether_hdr *)->ether_type !=
	    RTE_BE16(RTE_ETHER_TYPE_IPV4)) {
		dp_drop(c, m, DP_DROP_NO_SA);
		return;
	}
	c->w->drops.count[DP_DROP_NO_SA]++;
	dp_punt_set(m, DP_PUNT_NO_SA, rx_port, 0, 0);
	dp_punt_add(c, m);
}

/*
 * m starts at an IPv4 header (l2_len 0): find the MAC of the next hop and
 * queue it for TX, or punt it for resolution.
 */
static void
dp_out(struct dp_fwd_ctx *c, const struct dp_nh *nh, uint32_t nhaddr,
       struct rte_mbuf *m)
{
	struct rte_ether_hdr h;

	if (dp_l2_hdr(c, nh->port, nhaddr, &h) != 0) {
		dp_punt_set(m, DP_PUNT_NEIGH, nh->port, nhaddr, 0);
		dp_punt_add(c, m);
		return;
	}
	dp_l2_send(c, nh->port, &h, m);
}

/* One SA's run: encrypt, then one neighbour lookup for all of it. */
static void
dp_enc_flush(struct dp_fwd_ctx *c, struct dp_enc *e)
{
	struct rte_ether_hdr h;
	uint16_t k, i;

	if (e->n == 0)
		return;
	k = dp_sa_process(e->sa, c->w->idx, e->mb, e->n, &c->w->drops);
	/* dp_sa_process counted the bad ones at the tail. */
	if (k < e->n)
		rte_pktmbuf_free_bulk(e->mb + k, e->n - k);
	e->n = 0;
	if (k == 0)
		return;
	if (e->nh6 != NULL) {
		dp_esp6_send(c->w, c->s, e->nh6, e->nha6, e->mb, k);
		return;
	}
	if (unlikely(dp_l2_hdr(c, e->nh->port, e->nhaddr, &h) != 0)) {
		for (i = 0; i < k; i++) {
			dp_punt_set(e->mb[i], DP_PUNT_NEIGH, e->nh->port,
				    e->nhaddr, 0);
			dp_punt_add(c, e->mb[i]);
		}
		return;
	}
	for (i = 0; i < k; i++)
		dp_l2_send(c, e->nh->port, &h, e->mb[i]);
}

/* Fragment m (at its IPv4 header, DF clear) to mtu; fragments to out[]. */
static int
dp_fragment(struct dp_fwd_ctx *c, struct rte_mbuf *m, uint16_t mtu,
	    struct rte_mbuf **out)
{
	int n;

	n = dp_frag_ipv4(m, mtu, out, DP_FRAG_MAX);
	if (n < 0) {
		dp_drop(c, m, n == -ENOMEM ? DP_DROP_NO_MBUF : DP_DROP_MTU);
		return 0;
	}
	return n;
}

/* Outbound packets of one SA (still with their L2 header). */
static void
dp_protect(struct dp_fwd_ctx *c, struct dp_sa *sa, struct rte_mbuf **mb,
	   uint16_t n)
{
	struct rte_mbuf *frags[DP_FRAG_MAX];
	const struct dp_nh *nh = NULL;
	struct rte_ipv4_hdr *ip;
	struct dp_enc e;
	uint32_t peer = dp_sa_remote_addr(sa);
	uint16_t mtu, max, tl, i;
	int k, j;

	e.nh6 = NULL;
	if (dp_sa_outer_af(sa) == 6)
		/* IPv4 in IPv6 (issue 18): the outer routed by the FIB6 */
		e.nh6 = dp_esp6_nh(c->s, sa, e.nha6);
	else
		dp_fib_lookup(c->s->fib, &peer, &nh, 1);
	if (unlikely(nh == NULL && e.nh6 == NULL)) {
		c->w->drops.count[DP_DROP_NO_ROUTE] += n;
		rte_pktmbuf_free_bulk(mb, n);
		return;
	}
	e.sa = sa;
	e.nh = nh;
	e.nhaddr = nh != NULL && nh->gw != 0 ? nh->gw : peer;
	e.n = 0;
	mtu = dp_g.ports[nh != NULL ? nh->port : e.nh6->port].params.mtu;
	/* Exact, per the SA's padding: not the worst-case overhead. */
	max = dp_sa_max_inner(sa, mtu);
	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = mb[i];

		ip = dp_ip(m);
		tl = rte_be_to_cpu_16(ip->total_length);
		if (likely(tl <= max)) {
			if (likely(!c->inject))
				dp_ttl_dec(ip);
			rte_pktmbuf_adj(m, m->l2_len);
			m->l2_len = 0;
			e.mb[e.n++] = m;
		} else if (ip->fragment_offset & RTE_BE16(DP_IPV4_DF)) {
			if (c->inject) {
				/* ours: no one to tell the MTU */
				dp_drop(c, m, DP_DROP_MTU);
				continue;
			}
			/* RFC 1191: the sender learns the tunnel's MTU. */
			c->w->drops.count[DP_DROP_MTU]++;
			dp_punt_set(m, DP_PUNT_TOO_BIG, c->rx_port, 0,
				    max > RTE_ETHER_MIN_MTU ? max :
				    RTE_ETHER_MIN_MTU);
			dp_punt_add(c, m);
			continue;
		} else {
			if (likely(!c->inject))
				dp_ttl_dec(ip);
			rte_pktmbuf_adj(m, m->l2_len);
			m->l2_len = 0;
			k = dp_fragment(c, m, max, frags);
			if (e.n + (unsigned int)k > RTE_DIM(e.mb))
				dp_enc_flush(c, &e);
			for (j = 0; j < k; j++)
				e.mb[e.n++] = frags[j];
		}
		if (e.n >= DP_BURST_MAX)
			dp_enc_flush(c, &e);
	}
	dp_enc_flush(c, &e);
}

/*
 * Forward in clear (bypass, or the inner packets of decrypted ESP): FIB,
 * TTL, MTU, neighbour. Packets start at their IPv4 header plus l2_len.
 */
static void
dp_route(struct dp_fwd_ctx *c, struct rte_mbuf **mb, uint16_t n)
{
	struct rte_mbuf *frags[DP_FRAG_MAX];
	const struct dp_nh *nh[DP_BURST_MAX];
	uint32_t dst[DP_BURST_MAX];
	struct rte_ipv4_hdr *ip;
	uint16_t i, mtu, tl;
	int k, j;
	/*
	 * The last next hop's Ethernet header: a burst mostly goes to one
	 * (the snapshot, hence the neighbour table, is fixed for the burst).
	 */
	struct rte_ether_hdr lh;
	uint16_t l_port = UINT16_MAX;
	uint32_t l_addr = 0;
	bool l_ok = false;

	if (n == 0)
		return;
	for (i = 0; i < n; i++)
		dst[i] = rte_be_to_cpu_32(dp_ip(mb[i])->dst_addr);
	dp_fib_lookup(c->s->fib, dst, nh, n);
	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = mb[i];
		uint32_t nhaddr;

		if (unlikely(nh[i] == NULL)) {
			dp_drop(c, m, DP_DROP_NO_ROUTE);
			continue;
		}
		ip = dp_ip(m);
		/*
		 * Clear traffic was checked by dp_classify(); this is the
		 * inner TTL of a decrypted packet. Counted apart; the
		 * control lcore sends ICMP time exceeded back through the
		 * tunnel (RFC 4301 6.1.1), from the address of the port
		 * the packet was going to.
		 */
		if (unlikely(ip->time_to_live <= 1)) {
			c->w->drops.count[DP_DROP_INNER_TTL]++;
			dp_punt_inner(c, m, DP_PUNT_TUNNEL_TTL, nh[i]->port);
			continue;
		}
		nhaddr = nh[i]->gw != 0 ? nh[i]->gw : dst[i];
		mtu = dp_g.ports[nh[i]->port].params.mtu;
		tl = rte_be_to_cpu_16(ip->total_length);
		if (unlikely(tl > mtu)) {
			if (ip->fragment_offset & RTE_BE16(DP_IPV4_DF)) {
				c->w->drops.count[DP_DROP_MTU]++;
				if (m->l2_len == 0) {
					/* decrypted: no L2 to answer to */
					rte_pktmbuf_free(m);
					continue;
				}
				dp_punt_set(m, DP_PUNT_TOO_BIG, c->rx_port, 0,
					    mtu);
				dp_punt_add(c, m);
				continue;
			}
			dp_ttl_dec(ip);
			rte_pktmbuf_adj(m, m->l2_len);
			m->l2_len = 0;
			k = dp_fragment(c, m, mtu, frags);
			for (j = 0; j < k; j++)
				dp_out(c, nh[i], nhaddr, frags[j]);
			continue;
		}
		dp_ttl_dec(ip);
		rte_pktmbuf_adj(m, m->l2_len);
		m->l2_len = 0;
		if (nh[i]->port != l_port || nhaddr != l_addr) {
			l_port = nh[i]->port;
			l_addr = nhaddr;
			l_ok = dp_l2_hdr(c, l_port, l_addr, &lh) == 0;
		}
		if (likely(l_ok)) {
			dp_l2_send(c, l_port, &lh, m);
		} else {
			dp_punt_set(m, DP_PUNT_NEIGH, l_port, l_addr, 0);
			dp_punt_add(c, m);
		}
	}
}

static const enum dp_drop_reason dp_inner_why[] = {
	[DP_IPV4_BAD_HDR] = DP_DROP_INNER_HDR,
	[DP_IPV4_BAD_LEN] = DP_DROP_INNER_LEN,
	[DP_IPV4_BAD_CKSUM] = DP_DROP_INNER_CKSUM,
};

/* Decrypt runs of one SA; inner packets join the forwarding list. */
/*
 * A decrypted IPv6 inner packet (issue 18; the SA checked its
 * selectors): a whole IPv6 header, its payload length within the data
 * (the rest, TFC padding, trimmed), not to one of our addresses. Hop
 * limit, route and MTU: dp_fwd6_route().
 */
static bool
dp_inner6_ok(struct dp_fwd_ctx *c, struct rte_mbuf *m)
{
	const struct rte_ipv6_hdr *ip;
	uint32_t len;

	if (unlikely(m->nb_segs > 1 || m->data_len < sizeof(*ip))) {
		dp_drop(c, m, DP_DROP_INNER_HDR);
		return false;
	}
	ip = rte_pktmbuf_mtod(m, const struct rte_ipv6_hdr *);
	if (unlikely((ip->vtc_flow & RTE_BE32(0xf0000000)) !=
		     RTE_BE32(0x60000000))) {
		dp_drop(c, m, DP_DROP_INNER_HDR);
		return false;
	}
	len = sizeof(*ip) + rte_be_to_cpu_16(ip->payload_len);
	if (unlikely(len > m->pkt_len)) {
		dp_drop(c, m, DP_DROP_INNER_LEN);
		return false;
	}
	if (m->pkt_len > len)
		rte_pktmbuf_trim(m, (uint16_t)(m->pkt_len - len));
	if (unlikely(dp_ip6_is_local(c->s, ip->dst_addr))) {
		dp_drop(c, m, DP_DROP_INNER_LOCAL);
		return false;
	}
	m->l2_len = 0;
	m->l3_len = sizeof(*ip);
	return true;
}

static uint16_t
dp_inbound(struct dp_fwd_ctx *c, struct rte_mbuf **mb, struct dp_sa **sa,
	   uint16_t n, struct rte_mbuf **fwd, uint16_t n_fwd,
	   struct rte_mbuf **fwd6, uint16_t *n_fwd6)
{
	struct rte_mbuf *grp[DP_BURST_MAX];
	struct rte_ipv4_hdr *ip;
	uint16_t i, j, g, k;
	struct dp_sa *cur;

	for (i = 0; i < n; i++) {
		if (sa[i] == NULL)
			continue;
		cur = sa[i];
		g = 0;
		for (j = i; j < n; j++) {
			if (sa[j] != cur)
				continue;
			sa[j] = NULL;
			rte_pktmbuf_adj(mb[j], mb[j]->l2_len);
			mb[j]->l2_len = 0;
			grp[g++] = mb[j];
		}
		k = dp_sa_process(cur, c->w->idx, grp, g, &c->w->drops);
		if (k < g)
			rte_pktmbuf_free_bulk(grp + k, g - k);
		if (dp_sa_inner_af(cur) == 6) {
			for (j = 0; j < k; j++)
				if (dp_inner6_ok(c, grp[j]))
					fwd6[(*n_fwd6)++] = grp[j];
			continue;
		}
		for (j = 0; j < k; j++) {
			struct rte_mbuf *m = grp[j];
			enum dp_ipv4_err e;
			uint32_t dst;
			uint16_t hl;

			/*
			 * The inner header gets the checks clear traffic
			 * gets (no NIC has seen it: csum 0), and loses its
			 * TFC padding.
			 */
			m->l2_len = 0;
			e = dp_ipv4_check(m, 0, 0, &hl);
			if (unlikely(e != DP_IPV4_OK)) {
				dp_drop(c, m, dp_inner_why[e]);
				continue;
			}
			m->l3_len = hl;
			ip = rte_pktmbuf_mtod(m, struct rte_ipv4_hdr *);
			dst = rte_be_to_cpu_32(ip->dst_addr);
			/*
			 * To one of our addresses: routing it would ARP for
			 * ourselves. ICMP (a ping of our inside address
			 * from the remote site) goes to the control lcore,
			 * which answers through the tunnel; the rest is
			 * dropped, as there is nothing to serve it.
			 */
			if (unlikely(dp_is_local(c->s, dst))) {
				if (ip->next_proto_id == DP_IPPROTO_ICMP)
					dp_punt_inner(c, m,
						      DP_PUNT_TUNNEL_LOCAL,
						      c->rx_port);
				else
					dp_drop(c, m, DP_DROP_INNER_LOCAL);
				continue;
			}
			fwd[n_fwd++] = m;
		}
	}
	return n_fwd;
}

/*
 * With many SAs each packet of a burst has its own, out of cache. The SA
 * structs of the whole burst were prefetched when found (dp_classify(),
 * the policy loop); now load what they point to (librte_ipsec SA, crypto
 * session, the worker's counters), so the misses overlap instead of
 * stalling one dp_sa_process() after another. Runs of one SA (the common
 * case with few SAs) prefetch once.
 */
static void
dp_sa_prefetch_burst(const struct dp_worker *w, struct dp_sa **sa,
		     uint16_t n)
{
	const struct dp_sa *last = NULL;
	uint16_t i;

	for (i = 0; i < n; i++)
		if (sa[i] != last) {
			last = sa[i];
			dp_sa_prefetch(sa[i], w->idx);
		}
}

static inline void
dp_fwd_run(struct dp_worker *w, const struct dp_snap *s, uint16_t rx_port,
	   struct rte_mbuf **pkts, uint16_t n, bool inject)
{
	struct dp_fwd_ctx c;
	struct rte_mbuf *in[DP_BURST_MAX], *tr[DP_BURST_MAX];
	struct rte_mbuf *fwd[DP_BURST_MAX], *prot[DP_BURST_MAX];
	struct rte_mbuf *tr6[DP_BURST_MAX], *fwd6[DP_BURST_MAX];
	struct dp_sa *in_sa[DP_BURST_MAX], *prot_sa[DP_BURST_MAX];
	struct dp_acl_key key[DP_BURST_MAX];
	const uint8_t *kp[DP_BURST_MAX];
	uint32_t res[DP_BURST_MAX];
	uint16_t i, j, g, n_in = 0, n_tr = 0, n_fwd = 0, n_prot = 0;
	uint16_t n_tr6 = 0, n_fwd6 = 0;
	enum conf_policy_action act;
	enum dp_drop_reason why;
	struct dp_sa *sa;

	c.w = w;
	c.s = s;
	c.rx_port = rx_port;
	c.inside = inject ||
		dp_g.ports[rx_port].params.role == CONF_ROLE_INSIDE;
	c.inject = inject;
	c.n_punt = 0;

	/*
	 * Software pipeline across the burst (issue 17), each stage's
	 * prefetches issued for every packet before the next stage reads
	 * what they load: the SAD buckets here; dp_classify() prefetches the
	 * SA it found; dp_sa_prefetch_burst() what the SAs point to.
	 * Outbound: the policies after the classifier, then the SAs.
	 */
	dp_sad_prefetch_burst(s, pkts, n);
	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
again:
		switch (dp_classify(c.s, c.rx_port, c.inside, m, &sa,
				    &key[n_tr], &why)) {
		case DP_CLS_FRAG:
			/* Once whole it is no fragment: classified again. */
			m = dp_reasm_ipv4(w, m, rte_rdtsc());
			if (m != NULL)
				goto again;
			break;
		case DP_CLS_DROP:
			if (unlikely(why == DP_DROP_NO_SA))
				dp_drop_no_sa(&c, m, rx_port);
			else
				dp_drop(&c, m, why);
			break;
		case DP_CLS_PUNT:
			dp_punt_set(m, DP_PUNT_LOCAL, rx_port, 0, 0);
			dp_punt_add(&c, m);
			break;
		case DP_CLS_TTL:
			/* Counted a drop; the control lcore sends the ICMP. */
			w->drops.count[DP_DROP_TTL]++;
			dp_punt_set(m, DP_PUNT_TTL, rx_port, 0, 0);
			dp_punt_add(&c, m);
			break;
		case DP_CLS_IN:
			/* ESP over IPv6 on an SA of an IPv4 outer: none */
			if (unlikely(m->l3_len >= sizeof(struct rte_ipv6_hdr) &&
				     rte_pktmbuf_mtod(m,
					const struct rte_ether_hdr *)->ether_type ==
				     RTE_BE16(RTE_ETHER_TYPE_IPV6) &&
				     dp_sa_outer_af(sa) != 6)) {
				dp_drop(&c, m, DP_DROP_NO_SA);
				break;
			}
			in_sa[n_in] = sa;
			in[n_in++] = m;
			break;
		case DP_CLS_TRANSIT:
			kp[n_tr] = (const uint8_t *)&key[n_tr];
			tr[n_tr++] = m;
			break;
		case DP_CLS_TRANSIT6:
			if (unlikely(inject)) {
				dp_drop(&c, m, DP_DROP_POLICY);
				break;
			}
			tr6[n_tr6++] = m;
			break;
		}
	}

	dp_sa_prefetch_burst(w, in_sa, n_in);
	n_fwd = dp_inbound(&c, in, in_sa, n_in, fwd, n_fwd, fwd6, &n_fwd6);

	if (n_tr > 0) {
		dp_spd_classify(s->spd, kp, res, n_tr);
		if (s->spd->n >= DP_SPD_PREFETCH_MIN)
			for (i = 0; i < n_tr; i++)
				if (res[i] != 0 && res[i] <= s->spd->n)
					rte_prefetch0(&s->spd->pol[res[i] - 1]);
	}
	for (i = 0; i < n_tr; i++) {
		const struct dp_policy *pol = NULL;
		struct dp_sa *psa = NULL;

		if (res[i] != 0 && res[i] <= s->spd->n) {
			pol = &s->spd->pol[res[i] - 1];
			/* once: dp_spd_rebind() may move it meanwhile */
			psa = __atomic_load_n(&pol->sa, __ATOMIC_ACQUIRE);
		}
		act = pol != NULL ? pol->action : s->default_policy;
		switch (act) {
		case CONF_POLICY_PROTECT:
			if (!c.inside) {
				/* RFC 4301 5.2: must have arrived protected */
				dp_drop(&c, tr[i], DP_DROP_POLICY);
			} else if (pol == NULL) {
				/* default_policy protect: no SA to use */
				dp_drop(&c, tr[i], DP_DROP_DISCARD);
			} else if (unlikely(psa == NULL)) {
				/* IKE has not negotiated it (yet) */
				if (pol->acquire != 0)
					dp_acquire_raise(w, pol->acquire);
				dp_drop(&c, tr[i], DP_DROP_NO_OUT_SA);
			} else {
				/* the SA's per-packet lines (dp_sa.h) */
				rte_prefetch0(psa);
				rte_prefetch0((const uint8_t *)psa +
					      RTE_CACHE_LINE_SIZE);
				prot_sa[n_prot] = psa;
				prot[n_prot++] = tr[i];
			}
			break;
		case CONF_POLICY_BYPASS:
			if (unlikely(inject)) {
				/* ours, about tunnel traffic: never clear */
				dp_drop(&c, tr[i], DP_DROP_POLICY);
				break;
			}
			fwd[n_fwd++] = tr[i];
			break;
		case CONF_POLICY_DISCARD:
		default:
			dp_drop(&c, tr[i], DP_DROP_DISCARD);
			break;
		}
	}

	dp_sa_prefetch_burst(w, prot_sa, n_prot);
	/* Group protect traffic per SA: one dp_sa_process call per SA. */
	for (i = 0; i < n_prot; i++) {
		struct rte_mbuf *grp[DP_BURST_MAX];

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
		dp_protect(&c, sa, grp, g);
	}

	dp_route(&c, fwd, n_fwd);
	dp_fwd6_transit(w, s, rx_port, c.inside, tr6, n_tr6);
	dp_fwd6_route(w, s, rx_port, fwd6, n_fwd6);
	if (c.n_punt > 0)
		dp_punt_burst(w, c.punt, c.n_punt);
}

void
dp_fwd_burst(struct dp_worker *w, const struct dp_snap *s, uint16_t rx_port,
	     struct rte_mbuf **pkts, uint16_t n)
{
	w->rx_pkts += n;
	dp_fwd_run(w, s, rx_port, pkts, n, false);
}

/* Port 0 stands for "the inside": an injected packet is never answered
 * by port (no ICMP about our own packets). */
void
dp_fwd_inject(struct dp_worker *w, const struct dp_snap *s,
	      struct rte_mbuf **pkts, uint16_t n)
{
	dp_fwd_run(w, s, 0, pkts, n, true);
}
