/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef NET_IP6_H
#define NET_IP6_H

/*
 * IPv6 and ICMPv6 as the control plane needs them (issue 18): validate a
 * received header and walk its extension headers (bounded), turn an echo
 * request into its reply, read Neighbour Solicitations and Advertisements
 * and write Advertisements. Pure functions on byte buffers starting at the
 * IPv6 header; addresses are 16 bytes in network order (struct tw_addr's
 * v6).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NET_ETHERTYPE_IPV6 0x86dd
#define NET_IPV6_HLEN 40
#define NET_IPPROTO_HOPOPTS 0
#define NET_IPPROTO_ROUTING 43
#define NET_IPPROTO_FRAGMENT 44
#define NET_IPPROTO_AH 51
#define NET_IPPROTO_ICMPV6 58
#define NET_IPPROTO_NONE 59
#define NET_IPPROTO_DSTOPTS 60

/* RFC 4443 2.1, RFC 4861 4. */
#define NET_ICMP6_PTB 2
#define NET_ICMP6_TIME_EXCEEDED 3
#define NET_ICMP6_ECHO_REQUEST 128
#define NET_ICMP6_ECHO_REPLY 129
#define NET_ND_NS 135
#define NET_ND_NA 136
#define NET_ND_OPT_SLLA 1
#define NET_ND_OPT_TLLA 2
#define NET_ND_NA_ROUTER 0x80000000u
#define NET_ND_NA_SOLICITED 0x40000000u
#define NET_ND_NA_OVERRIDE 0x20000000u
/* ICMPv6 NS/NA: type, code, cksum, flags/reserved, target. */
#define NET_ND_HLEN 24
/* An NA with its target link-layer address option. */
#define NET_ND_NA_LEN (NET_ND_HLEN + 8)
/* An NS with its source link-layer address option. */
#define NET_ND_NS_LEN (NET_ND_HLEN + 8)

/*
 * Extension headers walked before giving up (RFC 8200 4.1 orders at most
 * one of each but the destination options twice; more is an attack).
 */
#define NET_IP6_MAX_EXT 8

struct net_ipv6 {
	uint8_t tclass;
	uint16_t plen;          /* payload length (after the 40 bytes) */
	uint8_t hlim;
	uint8_t proto;          /* the upper layer after the extensions, or
				 * 44 for a non-first fragment, 59 none */
	uint16_t l4_off;        /* of the upper layer from the IPv6 header */
	uint8_t n_ext;          /* extension headers walked */
	bool frag;              /* a fragment header was met */
	uint8_t src[16], dst[16];
};

/*
 * Validate the IPv6 header at p (len bytes received, which may include
 * link padding beyond the payload length) and walk its extension headers:
 * hop-by-hop only first (RFC 8200 4.3), a routing header with segments
 * left refused (we process none: RFC 8200 4.4 would have us), options
 * whose type says "discard if unrecognised" refused (4.2), at most
 * NET_IP6_MAX_EXT headers, each within the payload. -EINVAL with *why
 * (-E2BIG past the limit, -ENOTSUP for what is valid but not processed).
 */
int net_ipv6_decode(const uint8_t *p, size_t len, struct net_ipv6 *out,
		    const char **why);

/*
 * The checksum of an upper-layer protocol nh over IPv6: the pseudo-header
 * of RFC 8200 8.1 and the len bytes at data. 0 when what was received is
 * intact; else the value to store in a header whose field is zero.
 */
uint16_t net_ip6_cksum(const uint8_t src[16], const uint8_t dst[16],
		       uint8_t nh, const uint8_t *data, size_t len);

/*
 * RFC 4443 2.3 checksum over the pseudo-header (RFC 8200 8.1) and the
 * len bytes of the ICMPv6 message at icmp: 0 when a received message is
 * intact; else the value to store in a message whose field is zero.
 */
uint16_t net_icmp6_cksum(const uint8_t src[16], const uint8_t dst[16],
			 const uint8_t *icmp, size_t len);

/*
 * Turn the echo request in the IPv6 packet at p (decoded: ip) into its
 * reply in place (RFC 4443 4.2): from the address it was sent to, or from
 * src when it was sent to a multicast group (src: a unicast address of
 * the receiving interface; NULL refuses requests to groups), to its
 * source, hop limit hlim, the extension headers dropped (the message
 * moves up to offset 40). Returns the new packet length, or -EINVAL with
 * *why (a fragment, truncated, bad checksum, not a request, a multicast
 * or unspecified source).
 */
int net_icmp6_echo_reply(uint8_t *p, const struct net_ipv6 *ip,
			 const uint8_t *src, uint8_t hlim, const char **why);

struct net_nd {
	uint8_t type;           /* NET_ND_NS or NET_ND_NA */
	uint32_t flags;         /* NA: R, S, O (host order) */
	uint8_t target[16];
	bool has_lla;           /* NS: source, NA: target link-layer addr */
	uint8_t lla[6];
};

/*
 * Validate a received NS or NA (RFC 4861 7.1.1, 7.1.2): hop limit 255,
 * checksum, code 0, length, target not multicast, options of non-zero
 * length within the message, an NS from :: (DAD) to a solicited-node
 * group and without a source link-layer option, an NA to a multicast
 * group without the solicited flag. -EINVAL with *why.
 */
int net_nd_decode(const uint8_t *p, const struct net_ipv6 *ip,
		  struct net_nd *out, const char **why);

/*
 * Write at p (len bytes) an IPv6 packet carrying a Neighbour
 * Advertisement for target (RFC 4861 4.4, 7.2.4) with its target
 * link-layer option tll, from src to dst, hop limit 255. Returns its
 * length, or -ENOSPC.
 */
int net_nd_na_write(uint8_t *p, size_t len, const uint8_t src[16],
		    const uint8_t dst[16], const uint8_t target[16],
		    uint32_t flags, const uint8_t tll[6]);

/* RFC 8200 5: every link carries 1280; an error never exceeds it. */
#define NET_IPV6_MIN_MTU 1280

/*
 * Build in out (outlen bytes) an ICMPv6 Packet Too Big (RFC 4443 3.1)
 * from src to the source of orig (origlen bytes from its IPv6 header)
 * reporting mtu, quoting as much of orig as keeps the error within 1280
 * bytes, hop limit hlim. Returns its length, -ENOSPC when out is too
 * small, or -EINVAL with *why when RFC 4443 2.4 (e) forbids it (orig is
 * an ICMPv6 error, its source is unspecified or multicast; unlike other
 * errors a Packet Too Big answers a multicast destination), orig is not
 * IPv6, or mtu is below 1280 (RFC 8200 5: a tunnel that cannot carry
 * 1280 fragments its outer packets instead).
 */
int net_icmp6_ptb(uint8_t *out, size_t outlen, const uint8_t *orig,
		  size_t origlen, const uint8_t src[16], uint32_t mtu,
		  uint8_t hlim, const char **why);

/*
 * The same for a Time Exceeded, code 0 (RFC 4443 3.3: hop limit exceeded
 * in transit), which unlike a Packet Too Big never answers a packet sent
 * to a multicast group (2.4 (e.3)).
 */
int net_icmp6_time_exceeded(uint8_t *out, size_t outlen, const uint8_t *orig,
			    size_t origlen, const uint8_t src[16],
			    uint8_t hlim, const char **why);

/*
 * Write at p (len bytes) an IPv6 packet carrying a Neighbour
 * Solicitation for target (RFC 4861 4.3, 7.2.2) with our source
 * link-layer option sll, from src to dst (the target's solicited-node
 * group, or the target itself to probe it), hop limit 255. Returns its
 * length, or -ENOSPC.
 */
int net_nd_ns_write(uint8_t *p, size_t len, const uint8_t src[16],
		    const uint8_t dst[16], const uint8_t target[16],
		    const uint8_t sll[6]);

#endif /* NET_IP6_H */
