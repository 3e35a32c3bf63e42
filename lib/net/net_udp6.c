/* SPDX-License-Identifier: BSD-3-Clause */
/* UDP over IPv6: see net_udp6.h. */
#include <errno.h>
#include <string.h>

#include "net_udp6.h"
#include "tw_bytes.h"

uint16_t
net_udp6_cksum(const uint8_t src[16], const uint8_t dst[16],
	       const uint8_t *udp, size_t len)
{
	return net_ip6_cksum(src, dst, NET_IPPROTO_UDP, udp, len);
}

int
net_udp6_decode(const uint8_t *p, const struct net_ipv6 *ip,
		struct net_udp *out, const char **why)
{
	size_t end = NET_IPV6_HLEN + (size_t)ip->plen;
	const uint8_t *u = p + ip->l4_off;
	uint16_t ulen;

	if (ip->frag || ip->proto != NET_IPPROTO_UDP) {
		*why = "fragmented or not UDP";
		return -EINVAL;
	}
	if (ip->l4_off > end || end - ip->l4_off < NET_UDP_HLEN) {
		*why = "truncated UDP header";
		return -EINVAL;
	}
	ulen = tw_get16(u + 4);
	if (ulen < NET_UDP_HLEN || ulen != end - ip->l4_off) {
		*why = "bad UDP length";
		return -EINVAL;
	}
	if (tw_get16(u + 6) == 0) {
		*why = "UDP checksum zero over IPv6";
		return -EINVAL;
	}
	if (net_udp6_cksum(ip->src, ip->dst, u, ulen) != 0) {
		*why = "bad UDP checksum";
		return -EINVAL;
	}
	out->sport = tw_get16(u);
	out->dport = tw_get16(u + 2);
	out->len = ulen - NET_UDP_HLEN;
	return 0;
}

int
net_udp6_write(uint8_t *p, size_t cap, const uint8_t src[16],
	       const uint8_t dst[16], uint8_t hlim, uint8_t tclass,
	       uint16_t sport, uint16_t dport, size_t plen)
{
	size_t ulen = NET_UDP_HLEN + plen;
	uint8_t *u = p + NET_IPV6_HLEN;
	uint16_t c;

	if (NET_IPV6_HLEN + ulen > cap || ulen > 0xffff)
		return -ENOSPC;
	tw_put32(p, UINT32_C(6) << 28 | (uint32_t)tclass << 20);
	tw_put16(p + 4, (uint16_t)ulen);
	p[6] = NET_IPPROTO_UDP;
	p[7] = hlim;
	memcpy(p + 8, src, 16);
	memcpy(p + 24, dst, 16);
	tw_put16(u, sport);
	tw_put16(u + 2, dport);
	tw_put16(u + 4, (uint16_t)ulen);
	tw_put16(u + 6, 0);
	c = net_udp6_cksum(src, dst, u, ulen);
	/* RFC 8200 8.1: a computed zero is sent as all ones. */
	tw_put16(u + 6, c == 0 ? 0xffff : c);
	return (int)(NET_IPV6_HLEN + ulen);
}
