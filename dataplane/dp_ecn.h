/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef DP_ECN_H
#define DP_ECN_H

/*
 * ECN on decapsulation (RFC 6040), for the inbound path of dp_sa.c. Pure,
 * no EAL: tests/fuzz/fuzz_dp_in.c drives it on fake mbufs.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_ip.h>
#include <rte_mbuf.h>

/*
 * RFC 6040 4.2, Figure 4: the ECN field of the decapsulated packet by the
 * arriving inner (first index) and outer codepoint (Not-ECT 0, ECT(1) 1,
 * ECT(0) 2, CE 3); 0xff: drop (CE over a Not-ECT inner packet, whose
 * transport would not understand it).
 */
static const uint8_t dp_ecn_decap[4][4] = {
	{ 0, 0, 0, 0xff },
	{ 1, 1, 1, 3 },
	{ 2, 1, 2, 3 },
	{ 3, 3, 3, 3 },
};

/*
 * Combine the outer ECN field (outer, saved before decapsulation) into the
 * decrypted inner header of mb; false: drop it. The checksum follows by
 * RFC 1624 eqn. 3 (a bad one stays bad for dp_ipv4_check()).
 */
static inline bool
dp_ecn_decap_apply(struct rte_mbuf *mb, uint8_t outer)
{
	struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod(mb, struct rte_ipv4_hdr *);
	uint8_t tos = ip->type_of_service, e;
	uint16_t old_w, new_w;
	uint32_t sum;

	if (rte_pktmbuf_data_len(mb) < sizeof(*ip))
		return true; /* dp_ipv4_check() refuses it */
	e = dp_ecn_decap[tos & RTE_IPV4_HDR_ECN_MASK][outer];
	if (unlikely(e == 0xff))
		return false;
	if (likely(e == (tos & RTE_IPV4_HDR_ECN_MASK)))
		return true;
	old_w = rte_cpu_to_be_16(tos);
	tos = (uint8_t)((tos & ~RTE_IPV4_HDR_ECN_MASK) | e);
	new_w = rte_cpu_to_be_16(tos);
	ip->type_of_service = tos;
	sum = (uint16_t)~ip->hdr_checksum + (uint32_t)(uint16_t)~old_w + new_w;
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	ip->hdr_checksum = (rte_be16_t)~sum;
	return true;
}

/* dp_ecn_decap_apply() for an IPv6 inner header (no checksum to follow). */
static inline bool
dp_ecn6_decap_apply(struct rte_mbuf *mb, uint8_t outer)
{
	struct rte_ipv6_hdr *ip = rte_pktmbuf_mtod(mb, struct rte_ipv6_hdr *);
	uint32_t vtc;
	uint8_t e, in;

	if (rte_pktmbuf_data_len(mb) < sizeof(*ip))
		return true; /* the IPv6 checks refuse it */
	vtc = rte_be_to_cpu_32(ip->vtc_flow);
	in = (uint8_t)((vtc >> 20) & RTE_IPV4_HDR_ECN_MASK);
	e = dp_ecn_decap[in][outer];
	if (unlikely(e == 0xff))
		return false;
	if (likely(e == in))
		return true;
	vtc = (vtc & ~(UINT32_C(3) << 20)) | ((uint32_t)e << 20);
	ip->vtc_flow = rte_cpu_to_be_32(vtc);
	return true;
}

#endif /* DP_ECN_H */
