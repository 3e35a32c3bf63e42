/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef DP_CLASSIFY_H
#define DP_CLASSIFY_H

/*
 * The first step of the pipeline (dp_fwd.c): what one received frame is,
 * from its L2/L3 headers, the snapshot's local addresses and its SAD.
 * Pure: reads the snapshot, sets the mbuf's l2_len/l3_len and trims its
 * padding, nothing else, so tests/fuzz/fuzz_dp_in.c runs it without EAL
 * against a fake snapshot and SA table.
 */

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_prefetch.h>
#include <rte_udp.h>

#include "dp_ip6.h"
#include "dp_ipv4.h"
#include "dp_priv.h"

#define DP_IPPROTO_ICMP 1
#define DP_IPPROTO_TCP 6
#define DP_IPPROTO_UDP 17
#define DP_IPPROTO_ESP 50
#define DP_IPPROTO_SCTP 132
#define DP_NATT_PORT 4500
#define DP_ETH_LEN ((uint16_t)sizeof(struct rte_ether_hdr))
#define DP_IPV4_DF 0x4000
#define DP_IPV4_OFFSET 0x1fff

enum dp_cls {
	DP_CLS_DROP,
	DP_CLS_PUNT,
	DP_CLS_IN,
	DP_CLS_TRANSIT,
	DP_CLS_TTL,
	DP_CLS_FRAG,
	DP_CLS_TRANSIT6,        /* IPv6 to route (dp_fwd6.c) */
};


static inline bool
dp_is_local(const struct dp_snap *s, uint32_t dst)
{
	unsigned int i;

	for (i = 0; i < s->n_local; i++)
		if (s->local_addr[i] == dst)
			return true;
	return false;
}

/* An HSRP virtual IP of ours while the twin is Active. */
static inline bool
dp_is_vip_standby(const struct dp_snap *s, uint32_t dst)
{
	unsigned int i;

	for (i = 0; i < s->n_vip_standby; i++)
		if (s->vip_standby[i] == dst)
			return true;
	return false;
}

static inline struct dp_sa *
dp_sad_lookup(const struct dp_snap *s, uint32_t spi)
{
	uint64_t v;

	if (dp_hmap_get(s->sad, spi, &v) != 0)
		return NULL;
	return (struct dp_sa *)(uintptr_t)v;
}

/*
 * A SAD smaller than this (slots, 16 bytes each) stays in the L1/L2 cache:
 * its buckets are not prefetched.
 */
#define DP_SAD_PREFETCH_MIN 4096u

/*
 * The first stage of the inbound pipeline (issue 17): prefetch the SAD
 * bucket of every ESP (or NAT-T ESP) packet of the burst before
 * dp_classify() looks any of them up, so that with 10^5 SAs the burst's
 * bucket misses overlap instead of each stalling its lookup. A cheap look
 * at the headers only (dp_classify() checks them properly); a packet that
 * is not ESP to us costs nothing but this look.
 */
static inline void
dp_sad_prefetch_burst(const struct dp_snap *s, struct rte_mbuf **pkts,
		      uint16_t n)
{
	const struct dp_hmap *h = s->sad;
	const struct rte_ether_hdr *eth;
	const struct rte_ipv4_hdr *ip;
	const uint8_t *l4;
	uint32_t spi;
	uint16_t i, hl;

	if (h == NULL || h->mask < DP_SAD_PREFETCH_MIN)
		return;
	for (i = 0; i < n; i++) {
		const struct rte_mbuf *m = pkts[i];

		if (m->data_len < DP_ETH_LEN + sizeof(*ip))
			continue;
		eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
		if (eth->ether_type != RTE_BE16(RTE_ETHER_TYPE_IPV4))
			continue;
		ip = (const struct rte_ipv4_hdr *)(eth + 1);
		hl = (uint16_t)((ip->version_ihl & 0x0f) * 4u);
		/* the SPI, after a UDP header at most */
		if (m->data_len < DP_ETH_LEN + hl + sizeof(struct rte_udp_hdr) +
		    sizeof(spi))
			continue;
		l4 = (const uint8_t *)ip + hl;
		if (ip->next_proto_id == DP_IPPROTO_ESP)
			memcpy(&spi, l4, sizeof(spi));
		else if (ip->next_proto_id == DP_IPPROTO_UDP)
			memcpy(&spi, l4 + sizeof(struct rte_udp_hdr),
			       sizeof(spi));
		else
			continue;
		dp_hmap_prefetch(h, rte_be_to_cpu_32(spi));
	}
}

/*
 * Validate L2/L3 and decide what happens to m. Sets l2_len/l3_len, *sa for
 * DP_CLS_IN, the ACL key for DP_CLS_TRANSIT, *why for DP_CLS_DROP.
 */
static inline enum dp_cls
dp_classify(const struct dp_snap *s, uint16_t rx_port, bool inside,
	    struct rte_mbuf *m, struct dp_sa **sa, struct dp_acl_key *key,
	    enum dp_drop_reason *why)
{
	const struct rte_ether_hdr *eth;
	const struct rte_ipv4_hdr *ip;
	const struct rte_udp_hdr *udp;
	uint16_t hl, tl, frag;
	uint32_t dst, spi;
	const uint8_t *l4;

	*why = DP_DROP_MALFORMED;
	if (unlikely(m->data_len < DP_ETH_LEN))
		return DP_CLS_DROP;
	eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	if (eth->ether_type == RTE_BE16(RTE_ETHER_TYPE_ARP))
		return DP_CLS_PUNT;
	if (eth->ether_type == RTE_BE16(RTE_ETHER_TYPE_IPV6)) {
		switch (dp_ip6_classify(s, rx_port, m, why)) {
		case DP_IP6_PUNT:
			return DP_CLS_PUNT;
		case DP_IP6_TRANSIT:
			return DP_CLS_TRANSIT6;
		case DP_IP6_ESP: {
			/* ESP over IPv6 (issue 18): an SA of an IPv6 outer */
			rte_be32_t spi6;

			memcpy(&spi6, rte_pktmbuf_mtod_offset(m, uint8_t *,
					m->l2_len + m->l3_len), sizeof(spi6));
			*sa = dp_sad_lookup(s, rte_be_to_cpu_32(spi6));
			/* dp_fwd.c checks the SA's outer is IPv6. */
			if (*sa == NULL) {
				*why = DP_DROP_NO_SA;
				return DP_CLS_DROP;
			}
			return DP_CLS_IN;
		}
		default:
			return DP_CLS_DROP;
		}
	}
	if (unlikely(eth->ether_type != RTE_BE16(RTE_ETHER_TYPE_IPV4))) {
		*why = DP_DROP_NOT_IPV4;
		return DP_CLS_DROP;
	}
	if (unlikely(dp_ipv4_check(m, DP_ETH_LEN,
				   m->ol_flags & RTE_MBUF_F_RX_IP_CKSUM_MASK,
				   &hl) != DP_IPV4_OK))
		return DP_CLS_DROP;
	ip = (const struct rte_ipv4_hdr *)(eth + 1);
	tl = rte_be_to_cpu_16(ip->total_length);
	m->l2_len = DP_ETH_LEN;
	m->l3_len = hl;

	dst = rte_be_to_cpu_32(ip->dst_addr);
	frag = rte_be_to_cpu_16(ip->fragment_offset);
	l4 = (const uint8_t *)ip + hl;
	if (dp_is_local(s, dst)) {
		/* Fragments of ESP, NAT-T ESP or IKE: reassembled here. */
		if ((frag & (DP_IPV4_OFFSET | RTE_IPV4_HDR_MF_FLAG)) != 0)
			return ip->next_proto_id == DP_IPPROTO_ESP ||
				ip->next_proto_id == DP_IPPROTO_UDP ?
				DP_CLS_FRAG : DP_CLS_PUNT;
		if (ip->next_proto_id == DP_IPPROTO_ESP) {
			if (unlikely(tl < hl + 8 || m->data_len < DP_ETH_LEN + hl + 8))
				return DP_CLS_DROP;
			memcpy(&spi, l4, sizeof(spi));
		} else if (ip->next_proto_id == DP_IPPROTO_UDP &&
			   tl >= hl + sizeof(*udp) + 8 &&
			   m->data_len >= DP_ETH_LEN + hl + sizeof(*udp) + 8) {
			udp = (const struct rte_udp_hdr *)l4;
			if (udp->dst_port != RTE_BE16(DP_NATT_PORT))
				return DP_CLS_PUNT;
			/* RFC 3948 2.2: a zero non-ESP marker means IKE. */
			memcpy(&spi, udp + 1, sizeof(spi));
			if (spi == 0)
				return DP_CLS_PUNT;
			m->l3_len = (uint16_t)(hl + sizeof(*udp));
		} else {
			return DP_CLS_PUNT;
		}
		*sa = dp_sad_lookup(s, rte_be_to_cpu_32(spi));
		if (*sa == NULL) {
			*why = DP_DROP_NO_SA;
			return DP_CLS_DROP;
		}
		/* Pipeline stage 2: the SA's per-packet lines (dp_sa.h). */
		rte_prefetch0(*sa);
		rte_prefetch0((const uint8_t *)*sa + RTE_CACHE_LINE_SIZE);
		return DP_CLS_IN;
	}
	/* Multicast (HSRP hellos) and limited broadcast are for us too. */
	if ((dst >> 28) == 0xe || dst == UINT32_MAX)
		return DP_CLS_PUNT;
	if (unlikely(s->n_vip_standby != 0) && dp_is_vip_standby(s, dst)) {
		*why = DP_DROP_VIP_STANDBY;
		return DP_CLS_DROP;
	}
	/*
	 * RFC 1812 5.3.1: the TTL would reach 0 here. Checked before the
	 * SPD, as every router on the path does: the sender learns where
	 * its packet died whatever it was going to.
	 */
	if (unlikely(ip->time_to_live <= 1))
		return DP_CLS_TTL;
	key->proto = ip->next_proto_id;
	key->sport = 0;
	key->dport = 0;
	if ((frag & DP_IPV4_OFFSET) == 0 &&
	    (ip->next_proto_id == DP_IPPROTO_TCP ||
	     ip->next_proto_id == DP_IPPROTO_UDP ||
	     ip->next_proto_id == DP_IPPROTO_SCTP) &&
	    tl >= hl + 4 && m->data_len >= DP_ETH_LEN + hl + 4) {
		memcpy(&key->sport, l4, 2);
		memcpy(&key->dport, l4 + 2, 2);
	}
	if (inside) {
		key->src = ip->src_addr;
		key->dst = ip->dst_addr;
	} else {
		/*
		 * From the outside the policies apply mirrored: traffic the
		 * outbound policy would protect must arrive as ESP.
		 */
		uint16_t p = key->sport;

		key->src = ip->dst_addr;
		key->dst = ip->src_addr;
		key->sport = key->dport;
		key->dport = p;
	}
	return DP_CLS_TRANSIT;
}

#endif /* DP_CLASSIFY_H */
