/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef DP_IPV4_H
#define DP_IPV4_H

/*
 * The IPv4 header checks of the fast path (dp_fwd.c): clear traffic in
 * dp_classify() and the inner packets out of the tunnel. Pure functions on
 * one mbuf, no EAL: tests/fuzz/fuzz_dp_in.c drives them on fake mbufs.
 */

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <rte_ip.h>
#include <rte_mbuf.h>

/*
 * RFC 1812 5.2.2: the header checksum must be right. RFC 1071 2(C): the sum
 * of 32-bit words folded to 16 bits is the 16-bit one's complement sum;
 * 0xffff when the header is intact. Options are rare: generic code.
 */
static inline bool
dp_ipv4_cksum_ok(const struct rte_ipv4_hdr *ip, uint16_t hl)
{
	uint32_t w[5];
	uint64_t sum;

	if (unlikely(hl != sizeof(*ip)))
		return rte_raw_cksum(ip, hl) == 0xffff;
	memcpy(w, ip, sizeof(w));
	sum = (uint64_t)w[0] + w[1] + w[2] + w[3] + w[4];
	sum = (sum & 0xffffffff) + (sum >> 32);
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return sum == 0xffff;
}

/* What dp_ipv4_check() found wrong with an IPv4 header. */
enum dp_ipv4_err {
	DP_IPV4_OK,
	DP_IPV4_BAD_HDR,       /* not version 4, IHL < 5, or past the data */
	DP_IPV4_BAD_LEN,       /* total length below the header or past the
				* packet */
	DP_IPV4_BAD_CKSUM,
};

/*
 * RFC 1812 5.2.2 (and 4.2.2.5): what a router checks before it uses an
 * IPv4 header, here at off in m: version 4, IHL at least 5 (RFC 791 3.1)
 * and the header within the first segment, total length at least the
 * header and at most what is there, the header checksum. The same for
 * clear traffic and for the inner packets out of the tunnel. Bytes past
 * the total length are trimmed: Ethernet padding of short frames, and the
 * TFC padding of a decrypted payload (RFC 4303 2.4, 2.7); ESP,
 * fragmentation and the receiving host need the IP length. csum: the
 * RX checksum flags that apply to this header (0 when no NIC saw it).
 * *hl gets the header length.
 */
static inline enum dp_ipv4_err
dp_ipv4_check(struct rte_mbuf *m, uint16_t off, uint64_t csum, uint16_t *hl)
{
	const struct rte_ipv4_hdr *ip;
	uint16_t tl;

	if (unlikely(m->data_len < off + sizeof(*ip)))
		return DP_IPV4_BAD_HDR;
	ip = rte_pktmbuf_mtod_offset(m, const struct rte_ipv4_hdr *, off);
	*hl = (uint16_t)((ip->version_ihl & RTE_IPV4_HDR_IHL_MASK) *
			 RTE_IPV4_IHL_MULTIPLIER);
	if (unlikely((ip->version_ihl >> 4) != 4 || *hl < sizeof(*ip) ||
		     m->data_len < off + *hl))
		return DP_IPV4_BAD_HDR;
	tl = rte_be_to_cpu_16(ip->total_length);
	if (unlikely(tl < *hl || tl > m->pkt_len - off))
		return DP_IPV4_BAD_LEN;
	if (m->pkt_len - off > tl &&
	    unlikely(rte_pktmbuf_trim(m, (uint16_t)(m->pkt_len - off - tl))
		     != 0))
		return DP_IPV4_BAD_LEN; /* padding across segments: rare */
	if (unlikely(csum == RTE_MBUF_F_RX_IP_CKSUM_BAD))
		return DP_IPV4_BAD_CKSUM;
	if (csum != RTE_MBUF_F_RX_IP_CKSUM_GOOD &&
	    unlikely(!dp_ipv4_cksum_ok(ip, *hl)))
		return DP_IPV4_BAD_CKSUM;
	return DP_IPV4_OK;
}

#endif /* DP_IPV4_H */
