/* SPDX-License-Identifier: BSD-3-Clause */
/* IPv6, its extension headers, ICMPv6 echo and Neighbour Discovery. */
#include <errno.h>
#include <string.h>

#include "net_ip6.h"
#include "tw_addr.h"
#include "tw_bytes.h"

static uint64_t
sum16(uint64_t sum, const uint8_t *p, size_t len)
{
	while (len > 1) {
		sum += tw_get16(p);
		p += 2;
		len -= 2;
	}
	if (len == 1)
		sum += (uint64_t)p[0] << 8;
	return sum;
}

uint16_t
net_ip6_cksum(const uint8_t src[16], const uint8_t dst[16], uint8_t nh,
	      const uint8_t *data, size_t len)
{
	uint64_t sum = 0;

	/* RFC 8200 8.1: addresses, upper-layer length, next header. */
	sum = sum16(sum, src, 16);
	sum = sum16(sum, dst, 16);
	sum += (uint32_t)len >> 16;
	sum += (uint32_t)len & 0xffff;
	sum += nh;
	sum = sum16(sum, data, len);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

uint16_t
net_icmp6_cksum(const uint8_t src[16], const uint8_t dst[16],
		const uint8_t *icmp, size_t len)
{
	return net_ip6_cksum(src, dst, NET_IPPROTO_ICMPV6, icmp, len);
}

/*
 * The options of a hop-by-hop or destination options header (RFC 8200
 * 4.2): Pad1 and PadN skipped, any other option is one we do not
 * recognise; its two high bits 00 say skip it, anything else discard.
 */
static int
walk_options(const uint8_t *h, size_t hlen, const char **why)
{
	size_t off = 2;

	while (off < hlen) {
		uint8_t type = h[off];

		if (type == 0) { /* Pad1 */
			off++;
			continue;
		}
		if (off + 2 > hlen || off + 2 + h[off + 1] > hlen) {
			*why = "option past its header";
			return -EINVAL;
		}
		if (type != 1 && (type & 0xc0) != 0) {
			*why = "unrecognised option that must be discarded";
			return -ENOTSUP;
		}
		off += 2 + (size_t)h[off + 1];
	}
	return 0;
}

int
net_ipv6_decode(const uint8_t *p, size_t len, struct net_ipv6 *out,
		const char **why)
{
	size_t end, off = NET_IPV6_HLEN, hlen;
	uint8_t next;
	int rc;

	if (len < NET_IPV6_HLEN) {
		*why = "truncated IPv6 header";
		return -EINVAL;
	}
	if ((p[0] >> 4) != 6) {
		*why = "not IPv6";
		return -EINVAL;
	}
	memset(out, 0, sizeof(*out));
	out->tclass = (uint8_t)((p[0] & 0x0f) << 4 | p[1] >> 4);
	out->plen = tw_get16(p + 4);
	out->hlim = p[7];
	memcpy(out->src, p + 8, 16);
	memcpy(out->dst, p + 24, 16);
	/* Jumbograms (RFC 2675, payload length 0) are not for Ethernet. */
	if (out->plen == 0 || out->plen > len - NET_IPV6_HLEN) {
		*why = "bad IPv6 payload length";
		return -EINVAL;
	}
	end = NET_IPV6_HLEN + (size_t)out->plen;
	next = p[6];
	for (;;) {
		switch (next) {
		case NET_IPPROTO_HOPOPTS:
		case NET_IPPROTO_ROUTING:
		case NET_IPPROTO_DSTOPTS:
			break;
		case NET_IPPROTO_FRAGMENT:
			if (off + 8 > end) {
				*why = "truncated fragment header";
				return -EINVAL;
			}
			out->frag = true;
			out->n_ext++;
			/* RFC 8200 4.5: only a first fragment goes on. */
			if ((tw_get16(p + off + 2) & 0xfff8) != 0) {
				out->proto = NET_IPPROTO_FRAGMENT;
				out->l4_off = (uint16_t)(off + 8);
				return 0;
			}
			next = p[off];
			off += 8;
			goto more;
		default:
			/* The upper layer, AH, or no next header. */
			out->proto = next;
			out->l4_off = (uint16_t)off;
			return 0;
		}
		if (off + 2 > end) {
			*why = "truncated extension header";
			return -EINVAL;
		}
		hlen = ((size_t)p[off + 1] + 1) * 8;
		if (off + hlen > end) {
			*why = "extension header past the payload";
			return -EINVAL;
		}
		if (next == NET_IPPROTO_HOPOPTS && out->n_ext != 0) {
			*why = "hop-by-hop options not first";
			return -EINVAL;
		}
		if (next == NET_IPPROTO_ROUTING) {
			/* Segments left: we would have to forward it. */
			if (p[off + 3] != 0) {
				*why = "routing header with segments left";
				return -ENOTSUP;
			}
		} else {
			rc = walk_options(p + off, hlen, why);
			if (rc != 0)
				return rc;
		}
		out->n_ext++;
		next = p[off];
		off += hlen;
more:
		if (out->n_ext >= NET_IP6_MAX_EXT &&
		    (next == NET_IPPROTO_HOPOPTS ||
		     next == NET_IPPROTO_ROUTING ||
		     next == NET_IPPROTO_DSTOPTS ||
		     next == NET_IPPROTO_FRAGMENT)) {
			*why = "too many extension headers";
			return -E2BIG;
		}
	}
}

int
net_icmp6_echo_reply(uint8_t *p, const struct net_ipv6 *ip,
		     const uint8_t *src, uint8_t hlim, const char **why)
{
	const uint8_t *from = ip->dst;
	size_t mlen = NET_IPV6_HLEN + (size_t)ip->plen - ip->l4_off;
	uint8_t *m = p + ip->l4_off;
	uint16_t ck;

	if (ip->proto != NET_IPPROTO_ICMPV6 || ip->frag) {
		*why = "not an unfragmented ICMPv6 message";
		return -EINVAL;
	}
	if (mlen < 8 || m[0] != NET_ICMP6_ECHO_REQUEST || m[1] != 0) {
		*why = "not an echo request";
		return -EINVAL;
	}
	if (net_icmp6_cksum(ip->src, ip->dst, m, mlen) != 0) {
		*why = "bad ICMPv6 checksum";
		return -EINVAL;
	}
	if (tw_addr6_is_multicast(ip->src) ||
	    memcmp(ip->src, (const uint8_t[16]){ 0 }, 16) == 0) {
		*why = "source not a unicast address";
		return -EINVAL;
	}
	if (tw_addr6_is_multicast(ip->dst)) {
		if (src == NULL) {
			*why = "to a multicast group";
			return -EINVAL;
		}
		from = src;
	}
	/* RFC 4443 4.2: the data as received; no extension headers back. */
	memmove(p + NET_IPV6_HLEN, m, mlen);
	m = p + NET_IPV6_HLEN;
	p[0] = (uint8_t)(0x60 | (ip->tclass >> 4));
	p[1] = (uint8_t)((ip->tclass & 0x0f) << 4);
	p[2] = 0;
	p[3] = 0;
	tw_put16(p + 4, (uint16_t)mlen);
	p[6] = NET_IPPROTO_ICMPV6;
	p[7] = hlim;
	memcpy(p + 8, from, 16);
	memcpy(p + 24, ip->src, 16);
	m[0] = NET_ICMP6_ECHO_REPLY;
	m[2] = 0;
	m[3] = 0;
	ck = net_icmp6_cksum(p + 8, p + 24, m, mlen);
	tw_put16(m + 2, ck);
	return (int)(NET_IPV6_HLEN + mlen);
}

int
net_nd_decode(const uint8_t *p, const struct net_ipv6 *ip, struct net_nd *out,
	      const char **why)
{
	size_t mlen = NET_IPV6_HLEN + (size_t)ip->plen - ip->l4_off;
	const uint8_t *m = p + ip->l4_off;
	bool dad = memcmp(ip->src, (const uint8_t[16]){ 0 }, 16) == 0;
	uint8_t want;
	size_t off;

	if (ip->proto != NET_IPPROTO_ICMPV6 || ip->frag || mlen < NET_ND_HLEN ||
	    (m[0] != NET_ND_NS && m[0] != NET_ND_NA)) {
		*why = "not a neighbour solicitation or advertisement";
		return -EINVAL;
	}
	/* RFC 4861 7.1.1: only from on-link, never routed. */
	if (ip->hlim != 255) {
		*why = "hop limit not 255";
		return -EINVAL;
	}
	if (m[1] != 0) {
		*why = "ICMPv6 code not 0";
		return -EINVAL;
	}
	if (net_icmp6_cksum(ip->src, ip->dst, m, mlen) != 0) {
		*why = "bad ICMPv6 checksum";
		return -EINVAL;
	}
	memset(out, 0, sizeof(*out));
	out->type = m[0];
	out->flags = tw_get32(m + 4);
	memcpy(out->target, m + 8, 16);
	if (tw_addr6_is_multicast(out->target)) {
		*why = "multicast target";
		return -EINVAL;
	}
	for (off = NET_ND_HLEN; off < mlen;) {
		size_t olen;

		if (off + 2 > mlen || m[off + 1] == 0) {
			*why = "option of length 0";
			return -EINVAL;
		}
		olen = (size_t)m[off + 1] * 8;
		if (off + olen > mlen) {
			*why = "option past the message";
			return -EINVAL;
		}
		want = out->type == NET_ND_NS ? NET_ND_OPT_SLLA :
			NET_ND_OPT_TLLA;
		if (olen == 8 && m[off] == want) {
			out->has_lla = true;
			memcpy(out->lla, m + off + 2, 6);
		}
		off += olen;
	}
	if (out->type == NET_ND_NS && dad) {
		uint8_t sn[16];

		tw_addr6_solicited_node(out->target, sn);
		if (memcmp(ip->dst, sn, 16) != 0 || out->has_lla) {
			*why = "DAD solicitation not to the solicited-node group, or with a source address option";
			return -EINVAL;
		}
	}
	if (out->type == NET_ND_NA && tw_addr6_is_multicast(ip->dst) &&
	    (out->flags & NET_ND_NA_SOLICITED) != 0) {
		*why = "solicited advertisement to a multicast group";
		return -EINVAL;
	}
	return 0;
}

int
net_nd_na_write(uint8_t *p, size_t len, const uint8_t src[16],
		const uint8_t dst[16], const uint8_t target[16],
		uint32_t flags, const uint8_t tll[6])
{
	uint8_t *m = p + NET_IPV6_HLEN;

	if (len < NET_IPV6_HLEN + NET_ND_NA_LEN)
		return -ENOSPC;
	memset(p, 0, NET_IPV6_HLEN + NET_ND_NA_LEN);
	p[0] = 0x60;
	tw_put16(p + 4, NET_ND_NA_LEN);
	p[6] = NET_IPPROTO_ICMPV6;
	p[7] = 255;
	memcpy(p + 8, src, 16);
	memcpy(p + 24, dst, 16);
	m[0] = NET_ND_NA;
	tw_put32(m + 4, flags);
	memcpy(m + 8, target, 16);
	m[24] = NET_ND_OPT_TLLA;
	m[25] = 1;
	memcpy(m + 26, tll, 6);
	tw_put16(m + 2, net_icmp6_cksum(src, dst, m, NET_ND_NA_LEN));
	return NET_IPV6_HLEN + NET_ND_NA_LEN;
}

int
net_nd_ns_write(uint8_t *p, size_t len, const uint8_t src[16],
		const uint8_t dst[16], const uint8_t target[16],
		const uint8_t sll[6])
{
	uint8_t *m = p + NET_IPV6_HLEN;

	if (len < NET_IPV6_HLEN + NET_ND_NS_LEN)
		return -ENOSPC;
	memset(p, 0, NET_IPV6_HLEN + NET_ND_NS_LEN);
	p[0] = 0x60;
	tw_put16(p + 4, NET_ND_NS_LEN);
	p[6] = NET_IPPROTO_ICMPV6;
	p[7] = 255;
	memcpy(p + 8, src, 16);
	memcpy(p + 24, dst, 16);
	m[0] = NET_ND_NS;
	memcpy(m + 8, target, 16);
	m[24] = NET_ND_OPT_SLLA;
	m[25] = 1;
	memcpy(m + 26, sll, 6);
	tw_put16(m + 2, net_icmp6_cksum(src, dst, m, NET_ND_NS_LEN));
	return NET_IPV6_HLEN + NET_ND_NS_LEN;
}

/* An ICMPv6 error of type/code with its 32-bit field (RFC 4443 2.1). */
static int
net_icmp6_error(uint8_t *out, size_t outlen, const uint8_t *orig,
		size_t origlen, const uint8_t src[16], uint8_t type,
		uint8_t code, uint32_t param, uint8_t hlim, const char **why)
{
	const size_t room = NET_IPV6_MIN_MTU - NET_IPV6_HLEN - 8;
	struct net_ipv6 ip;
	size_t quote, mlen;
	uint8_t *m;

	if (net_ipv6_decode(orig, origlen, &ip, why) != 0)
		return -EINVAL;
	if (ip.proto == NET_IPPROTO_ICMPV6 && !ip.frag &&
	    ip.l4_off < NET_IPV6_HLEN + ip.plen && orig[ip.l4_off] < 128) {
		*why = "about an ICMPv6 error";
		return -EINVAL;
	}
	if (tw_addr6_is_multicast(ip.src) ||
	    memcmp(ip.src, (const uint8_t[16]){ 0 }, 16) == 0) {
		*why = "source not a unicast address";
		return -EINVAL;
	}
	/* RFC 4443 2.4 (e.3): only a Packet Too Big answers a group. */
	if (type != NET_ICMP6_PTB && tw_addr6_is_multicast(ip.dst)) {
		*why = "to a multicast group";
		return -EINVAL;
	}
	quote = NET_IPV6_HLEN + (size_t)ip.plen;
	if (quote > room)
		quote = room;
	mlen = 8 + quote;
	if (outlen < NET_IPV6_HLEN + mlen)
		return -ENOSPC;
	memset(out, 0, NET_IPV6_HLEN + 8);
	out[0] = 0x60;
	tw_put16(out + 4, (uint16_t)mlen);
	out[6] = NET_IPPROTO_ICMPV6;
	out[7] = hlim;
	memcpy(out + 8, src, 16);
	memcpy(out + 24, ip.src, 16);
	m = out + NET_IPV6_HLEN;
	m[0] = type;
	m[1] = code;
	tw_put32(m + 4, param);
	memcpy(m + 8, orig, quote);
	tw_put16(m + 2, net_icmp6_cksum(out + 8, out + 24, m, mlen));
	return (int)(NET_IPV6_HLEN + mlen);
}

int
net_icmp6_ptb(uint8_t *out, size_t outlen, const uint8_t *orig,
	      size_t origlen, const uint8_t src[16], uint32_t mtu,
	      uint8_t hlim, const char **why)
{
	if (mtu < NET_IPV6_MIN_MTU) {
		*why = "MTU below the IPv6 minimum of 1280";
		return -EINVAL;
	}
	return net_icmp6_error(out, outlen, orig, origlen, src, NET_ICMP6_PTB,
			       0, mtu, hlim, why);
}

int
net_icmp6_time_exceeded(uint8_t *out, size_t outlen, const uint8_t *orig,
			size_t origlen, const uint8_t src[16], uint8_t hlim,
			const char **why)
{
	return net_icmp6_error(out, outlen, orig, origlen, src,
			       NET_ICMP6_TIME_EXCEEDED, 0, 0, hlim, why);
}
