/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef NET_IP_H
#define NET_IP_H

/*
 * IPv4, ICMP and UDP as the control plane needs them: validate a received
 * header, turn an echo request into its reply, build "fragmentation needed".
 * Pure functions on byte buffers starting at the IPv4 header.
 */

#include <stddef.h>
#include <stdint.h>

#define NET_IPV4_HLEN 20
#define NET_IPPROTO_ICMP 1
#define NET_IPPROTO_TCP 6
#define NET_IPPROTO_UDP 17
#define NET_IPPROTO_ESP 50
#define NET_UDP_HLEN 8
#define NET_ICMP_HLEN 8

#define NET_ICMP_ECHO_REPLY 0
#define NET_ICMP_UNREACH 3
#define NET_ICMP_UNREACH_PORT 3
#define NET_ICMP_UNREACH_NEEDFRAG 4
#define NET_ICMP_ECHO 8
#define NET_ICMP_TIME_EXCEEDED 11
#define NET_ICMP_TIME_EXCEEDED_TTL 0

#define NET_IP_DF 0x4000
#define NET_IP_MF 0x2000
#define NET_IP_OFFMASK 0x1fff

struct net_ipv4 {
	uint8_t hlen;        /* header length in bytes */
	uint8_t tos;
	uint16_t tot_len;
	uint16_t id;
	uint16_t frag;       /* flags and offset */
	uint8_t ttl;
	uint8_t proto;
	uint32_t src, dst;   /* host order */
};

struct net_udp {
	uint16_t sport, dport;
	uint16_t len;        /* payload length, without the UDP header */
};

/* RFC 1071 Internet checksum of p, ready to store (complemented). */
uint16_t net_cksum(const void *p, size_t len);

/*
 * Validate and decode the IPv4 header at p (len bytes received, which may
 * include link padding beyond tot_len). -EINVAL with *why on a bad version,
 * header length, total length or header checksum.
 */
int net_ipv4_decode(const uint8_t *p, size_t len, struct net_ipv4 *out,
		    const char **why);

/* UDP header after ip; -EINVAL if truncated or its length is wrong. */
int net_udp_decode(const uint8_t *p, const struct net_ipv4 *ip,
		   struct net_udp *out, const char **why);

/*
 * Turn the echo request at p (a decoded IPv4 packet, ip) into its reply in
 * place (RFC 792 "Echo or Echo Reply Message"): addresses swapped, TTL set,
 * type 0, checksums recomputed. -EINVAL with *why when it is not a valid
 * echo request (fragment, truncated, bad ICMP checksum, wrong type).
 */
int net_icmp_echo_reply(uint8_t *p, const struct net_ipv4 *ip, uint8_t ttl,
			const char **why);

/*
 * Build in out (outlen bytes) an IPv4 ICMP "destination unreachable,
 * fragmentation needed and DF set" (RFC 792, RFC 1191 4: next-hop MTU in
 * the low 16 bits of the second word) from src to the sender of orig,
 * quoting orig's IP header and the first 8 bytes of its payload. Returns
 * the packet length, or -EINVAL with *why when RFC 1122 3.2.2 forbids an
 * error about orig (an ICMP error, a non-first fragment, a source that is
 * not a unicast host), -ENOSPC if out is too small.
 */
int net_icmp_frag_needed(uint8_t *out, size_t outlen, const uint8_t *orig,
			 size_t origlen, uint32_t src, uint16_t mtu,
			 uint16_t id, uint8_t ttl, const char **why);

/*
 * The same for an ICMP "time exceeded, time to live exceeded in transit"
 * (RFC 792 type 11 code 0; RFC 1812 5.3.1: a router that drops a packet
 * for its TTL sends it): second word unused (zero), same quote and the
 * same RFC 1122 3.2.2 refusals.
 */
int net_icmp_time_exceeded(uint8_t *out, size_t outlen, const uint8_t *orig,
			   size_t origlen, uint32_t src, uint16_t id,
			   uint8_t ttl, const char **why);

/*
 * Put an IPv4 header (20 bytes, no options, DF clear, proto UDP; tos, id,
 * ttl, src and dst from ip) and a UDP header (sport, dport) in front of the
 * plen payload bytes the caller already wrote at p + NET_IPV4_HLEN +
 * NET_UDP_HLEN, with both checksums (RFC 768: UDP's covers the pseudo
 * header). Returns the IPv4 packet length, or -ENOSPC when it exceeds len
 * or 65535.
 */
int net_udp4_write(uint8_t *p, size_t len, const struct net_ipv4 *ip,
		   uint16_t sport, uint16_t dport, size_t plen);

/* Longest error the builders above make: IP + ICMP + IP(60) + 8. */
#define NET_ICMP_ERR_MAX (NET_IPV4_HLEN + NET_ICMP_HLEN + 60 + 8)

/* Prefix helpers, host order. */
static inline uint32_t
net_prefix_mask(uint8_t len)
{
	return len == 0 ? 0 : 0xffffffffu << (32 - len);
}

static inline int
net_prefix_match(uint32_t addr, uint32_t prefix, uint8_t len)
{
	return ((addr ^ prefix) & net_prefix_mask(len)) == 0;
}

/* printf an address in host order: "... " NET_IP4_FMT, NET_IP4_ARGS(a) */
#define NET_IP4_FMT "%u.%u.%u.%u"
#define NET_IP4_ARGS(a) (unsigned int)((a) >> 24), \
	(unsigned int)(((a) >> 16) & 0xff), \
	(unsigned int)(((a) >> 8) & 0xff), (unsigned int)((a) & 0xff)

#endif /* NET_IP_H */
