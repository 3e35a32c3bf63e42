/* SPDX-License-Identifier: BSD-3-Clause */
/* UDP over IPv6 (net_udp6.h). */
#include <errno.h>
#include <string.h>

#include "net_udp6.h"
#include "tw_bytes.h"

/* RFC 8200 8.1: pseudo-header (addresses, length, next header) + data. */
static uint16_t
udp6_cksum(const uint8_t src[16], const uint8_t dst[16], const uint8_t *udp,
	   size_t len)
{
	uint64_t sum = NET_IPPROTO_UDP + (uint32_t)len;
	size_t i;

	for (i = 0; i < 16; i += 2)
		sum += tw_get16(src + i) + tw_get16(dst + i);
	for (i = 0; i + 1 < len; i += 2)
		sum += tw_get16(udp + i);
	if (len & 1)
		sum += (uint64_t)udp[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

int
net_udp6_write(uint8_t *p, size_t len, const uint8_t src[16],
	       const uint8_t dst[16], uint8_t hlim, uint8_t tclass,
	       uint16_t sport, uint16_t dport, size_t plen)
{
	size_t ulen = NET_UDP_HLEN + plen;
	uint8_t *u = p + NET_IPV6_HLEN;
	uint16_t ck;

	if (len < NET_IPV6_HLEN || len - NET_IPV6_HLEN < ulen ||
	    ulen > UINT16_MAX)
		return -ENOSPC;
	tw_put32(p, 6u << 28 | (uint32_t)tclass << 20);
	tw_put16(p + 4, (uint16_t)ulen);
	p[6] = NET_IPPROTO_UDP;
	p[7] = hlim;
	memcpy(p + 8, src, 16);
	memcpy(p + 24, dst, 16);
	tw_put16(u, sport);
	tw_put16(u + 2, dport);
	tw_put16(u + 4, (uint16_t)ulen);
	tw_put16(u + 6, 0);
	ck = udp6_cksum(src, dst, u, ulen);
	/* RFC 8200 8.1: a computed zero goes out as all ones. */
	tw_put16(u + 6, ck == 0 ? 0xffff : ck);
	return (int)(NET_IPV6_HLEN + ulen);
}

int
net_udp6_decode(const uint8_t *p, const struct net_ipv6 *ip,
		struct net_udp *out, const char **why)
{
	const uint8_t *u = p + ip->l4_off;
	size_t avail, ulen;

	if (ip->proto != NET_IPPROTO_UDP || ip->frag) {
		*why = "not an unfragmented UDP datagram";
		return -EINVAL;
	}
	if (ip->l4_off > NET_IPV6_HLEN + ip->plen ||
	    NET_IPV6_HLEN + ip->plen - ip->l4_off < NET_UDP_HLEN) {
		*why = "truncated UDP header";
		return -EINVAL;
	}
	avail = NET_IPV6_HLEN + ip->plen - ip->l4_off;
	ulen = tw_get16(u + 4);
	if (ulen < NET_UDP_HLEN || ulen > avail) {
		*why = "bad UDP length";
		return -EINVAL;
	}
	if (tw_get16(u + 6) == 0) {
		*why = "zero UDP checksum over IPv6";
		return -EINVAL;
	}
	if (udp6_cksum(ip->src, ip->dst, u, ulen) != 0) {
		*why = "bad UDP checksum";
		return -EINVAL;
	}
	out->sport = tw_get16(u);
	out->dport = tw_get16(u + 2);
	out->len = (uint16_t)(ulen - NET_UDP_HLEN);
	return 0;
}
