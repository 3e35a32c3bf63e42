/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IPv4 fragmentation before encryption (RFC 4459 3.2: fragment the inner
 * packet so each fragment fits the tunnel after encapsulation).
 *
 * We fragment by copy (rte_ipv4_fragment_copy_nonseg_packet) rather than
 * with rte_ipv4_fragment_packet's direct + indirect chains: ESP appends its
 * trailer in place in the last segment, and an indirect segment's tailroom
 * is the shared parent buffer, i.e. the next fragment's bytes. Copies are
 * single-segment mbufs with full headroom for the outer headers. This is
 * the one place the fast path allocates, and only for oversized packets
 * without DF.
 */
#define ALLOW_EXPERIMENTAL_API 1

#include <errno.h>

#include <rte_ip.h>
#include <rte_ip_frag.h>

#include "dp_priv.h"

int
dp_frag_ipv4(struct rte_mbuf *m, uint16_t mtu, struct rte_mbuf **out,
	     unsigned int n_out)
{
	struct rte_ipv4_hdr *ip;
	int32_t n, i;

	if (mtu < RTE_ETHER_MIN_MTU)
		return -EINVAL;
	n = rte_ipv4_fragment_copy_nonseg_packet(m, out, (uint16_t)n_out, mtu,
						 dp_g.pool);
	if (n < 0)
		return n;
	/* The library leaves the header checksum zero: ESP carries it. */
	for (i = 0; i < n; i++) {
		ip = rte_pktmbuf_mtod(out[i], struct rte_ipv4_hdr *);
		ip->hdr_checksum = 0;
		ip->hdr_checksum = rte_ipv4_cksum(ip);
		out[i]->l2_len = 0;
		out[i]->l3_len = rte_ipv4_hdr_len(ip);
	}
	rte_pktmbuf_free(m);
	return n;
}
