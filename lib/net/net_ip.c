/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <string.h>

#include "tw_bytes.h"
#include "net_ip.h"

static uint32_t
cksum_add(uint32_t sum, const uint8_t *p, size_t len)
{
	while (len > 1) {
		sum += tw_get16(p);
		p += 2;
		len -= 2;
	}
	if (len == 1)
		sum += (uint32_t)p[0] << 8;
	return sum;
}

static uint16_t
cksum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

uint16_t
net_cksum(const void *p, size_t len)
{
	return cksum_fold(cksum_add(0, p, len));
}

int
net_ipv4_decode(const uint8_t *p, size_t len, struct net_ipv4 *out,
		const char **why)
{
	uint8_t hlen;
	uint16_t tot;

	if (len < NET_IPV4_HLEN) {
		*why = "truncated IPv4 header";
		return -EINVAL;
	}
	if ((p[0] >> 4) != 4) {
		*why = "not IPv4";
		return -EINVAL;
	}
	hlen = (p[0] & 0x0f) * 4;
	tot = tw_get16(p + 2);
	if (hlen < NET_IPV4_HLEN || hlen > len) {
		*why = "bad IPv4 header length";
		return -EINVAL;
	}
	if (tot < hlen || tot > len) {
		*why = "bad IPv4 total length";
		return -EINVAL;
	}
	if (net_cksum(p, hlen) != 0) {
		*why = "bad IPv4 header checksum";
		return -EINVAL;
	}
	out->hlen = hlen;
	out->tos = p[1];
	out->tot_len = tot;
	out->id = tw_get16(p + 4);
	out->frag = tw_get16(p + 6);
	out->ttl = p[8];
	out->proto = p[9];
	out->src = tw_get32(p + 12);
	out->dst = tw_get32(p + 16);
	return 0;
}

int
net_udp_decode(const uint8_t *p, const struct net_ipv4 *ip,
	       struct net_udp *out, const char **why)
{
	const uint8_t *u = p + ip->hlen;
	uint16_t ulen;

	if ((ip->frag & (NET_IP_MF | NET_IP_OFFMASK)) != 0) {
		*why = "fragmented UDP";
		return -EINVAL;
	}
	if (ip->tot_len - ip->hlen < NET_UDP_HLEN) {
		*why = "truncated UDP header";
		return -EINVAL;
	}
	ulen = tw_get16(u + 4);
	if (ulen < NET_UDP_HLEN || ulen > ip->tot_len - ip->hlen) {
		*why = "bad UDP length";
		return -EINVAL;
	}
	out->sport = tw_get16(u);
	out->dport = tw_get16(u + 2);
	out->len = ulen - NET_UDP_HLEN;
	return 0;
}

static void
ipv4_set_cksum(uint8_t *p, uint8_t hlen)
{
	tw_put16(p + 10, 0);
	tw_put16(p + 10, net_cksum(p, hlen));
}

int
net_icmp_echo_reply(uint8_t *p, const struct net_ipv4 *ip, uint8_t ttl,
		    const char **why)
{
	uint8_t *icmp = p + ip->hlen;
	size_t ilen = ip->tot_len - ip->hlen;

	if (ip->proto != NET_IPPROTO_ICMP) {
		*why = "not ICMP";
		return -EINVAL;
	}
	if ((ip->frag & (NET_IP_MF | NET_IP_OFFMASK)) != 0) {
		*why = "fragmented echo request";
		return -EINVAL;
	}
	if (ilen < NET_ICMP_HLEN) {
		*why = "truncated ICMP header";
		return -EINVAL;
	}
	if (icmp[0] != NET_ICMP_ECHO || icmp[1] != 0) {
		*why = "not an echo request";
		return -EINVAL;
	}
	if (net_cksum(icmp, ilen) != 0) {
		*why = "bad ICMP checksum";
		return -EINVAL;
	}
	tw_put32(p + 12, ip->dst);
	tw_put32(p + 16, ip->src);
	p[8] = ttl;
	ipv4_set_cksum(p, ip->hlen);
	icmp[0] = NET_ICMP_ECHO_REPLY;
	tw_put16(icmp + 2, 0);
	tw_put16(icmp + 2, net_cksum(icmp, ilen));
	return 0;
}

/* RFC 1122 3.2.2: never an ICMP error about these. */
static int
icmp_error_allowed(const uint8_t *orig, const struct net_ipv4 *ip,
		   const char **why)
{
	const uint8_t *l4 = orig + ip->hlen;
	uint8_t first = ip->src >> 24;

	if ((ip->frag & NET_IP_OFFMASK) != 0) {
		*why = "not the first fragment";
		return -EINVAL;
	}
	if (ip->src == 0 || ip->src == 0xffffffffu || first == 127 ||
	    first >= 224) {
		*why = "source is not a unicast host";
		return -EINVAL;
	}
	if (ip->proto == NET_IPPROTO_ICMP) {
		/* Only query messages may trigger errors. */
		if (ip->tot_len - ip->hlen < 1) {
			*why = "truncated ICMP";
			return -EINVAL;
		}
		if (l4[0] != NET_ICMP_ECHO && l4[0] != NET_ICMP_ECHO_REPLY &&
		    l4[0] != 13 && l4[0] != 14) {
			*why = "ICMP error about an ICMP error";
			return -EINVAL;
		}
	}
	return 0;
}

/*
 * An ICMP error about orig from src: type, code and the second word
 * (RFC 792: "unused", or RFC 1191's next-hop MTU), then the quote.
 */
static int
icmp_error(uint8_t *out, size_t outlen, const uint8_t *orig, size_t origlen,
	   uint32_t src, uint8_t type, uint8_t code, uint32_t word,
	   uint16_t id, uint8_t ttl, const char **why)
{
	struct net_ipv4 ip;
	size_t quote, tot;
	uint8_t *icmp;
	int rc;

	rc = net_ipv4_decode(orig, origlen, &ip, why);
	if (rc < 0)
		return rc;
	rc = icmp_error_allowed(orig, &ip, why);
	if (rc < 0)
		return rc;
	/* RFC 792: the internet header plus the first 64 bits of data. */
	quote = ip.hlen + 8;
	if (quote > ip.tot_len)
		quote = ip.tot_len;
	tot = NET_IPV4_HLEN + NET_ICMP_HLEN + quote;
	if (tot > outlen) {
		*why = "buffer too small";
		return -ENOSPC;
	}
	memset(out, 0, NET_IPV4_HLEN + NET_ICMP_HLEN);
	out[0] = 0x45;
	out[1] = 0xc0; /* precedence "internetwork control", as hosts send */
	tw_put16(out + 2, (uint16_t)tot);
	tw_put16(out + 4, id);
	tw_put16(out + 6, 0);
	out[8] = ttl;
	out[9] = NET_IPPROTO_ICMP;
	tw_put32(out + 12, src);
	tw_put32(out + 16, ip.src);
	ipv4_set_cksum(out, NET_IPV4_HLEN);
	icmp = out + NET_IPV4_HLEN;
	icmp[0] = type;
	icmp[1] = code;
	tw_put32(icmp + 4, word);
	memcpy(icmp + NET_ICMP_HLEN, orig, quote);
	tw_put16(icmp + 2, net_cksum(icmp, NET_ICMP_HLEN + quote));
	return (int)tot;
}

int
net_icmp_frag_needed(uint8_t *out, size_t outlen, const uint8_t *orig,
		     size_t origlen, uint32_t src, uint16_t mtu, uint16_t id,
		     uint8_t ttl, const char **why)
{
	/* RFC 1191 4: unused (16 bits) then the next-hop MTU (16 bits). */
	return icmp_error(out, outlen, orig, origlen, src, NET_ICMP_UNREACH,
			  NET_ICMP_UNREACH_NEEDFRAG, mtu, id, ttl, why);
}

int
net_icmp_time_exceeded(uint8_t *out, size_t outlen, const uint8_t *orig,
		       size_t origlen, uint32_t src, uint16_t id, uint8_t ttl,
		       const char **why)
{
	return icmp_error(out, outlen, orig, origlen, src,
			  NET_ICMP_TIME_EXCEEDED, NET_ICMP_TIME_EXCEEDED_TTL, 0,
			  id, ttl, why);
}

int
net_udp4_write(uint8_t *p, size_t len, const struct net_ipv4 *ip,
	       uint16_t sport, uint16_t dport, size_t plen)
{
	size_t tot = NET_IPV4_HLEN + NET_UDP_HLEN + plen;
	uint8_t *udp = p + NET_IPV4_HLEN;
	uint32_t sum;
	uint16_t c;

	if (tot > len || tot > 0xffff)
		return -ENOSPC;
	p[0] = 0x45;
	p[1] = ip->tos;
	tw_put16(p + 2, (uint16_t)tot);
	tw_put16(p + 4, ip->id);
	tw_put16(p + 6, 0);
	p[8] = ip->ttl;
	p[9] = NET_IPPROTO_UDP;
	tw_put16(p + 10, 0);
	tw_put32(p + 12, ip->src);
	tw_put32(p + 16, ip->dst);
	tw_put16(p + 10, net_cksum(p, NET_IPV4_HLEN));
	tw_put16(udp, sport);
	tw_put16(udp + 2, dport);
	tw_put16(udp + 4, (uint16_t)(NET_UDP_HLEN + plen));
	tw_put16(udp + 6, 0);
	/* RFC 768 pseudo header: source, destination, zero, protocol, length. */
	sum = cksum_add(0, p + 12, 8);
	sum += NET_IPPROTO_UDP + NET_UDP_HLEN + (uint32_t)plen;
	sum = cksum_add(sum, udp, NET_UDP_HLEN + plen);
	c = cksum_fold(sum);
	/* RFC 768: a computed zero is sent as all ones. */
	tw_put16(udp + 6, c == 0 ? 0xffff : c);
	return (int)tot;
}
