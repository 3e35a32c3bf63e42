/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef NET_UDP6_H
#define NET_UDP6_H

/*
 * UDP over IPv6 for the control lcore's own protocols (issue 18: IKE,
 * HSRP for IPv6 on 2029): read a received datagram's header, write one. Pure functions on byte buffers starting at the IPv6
 * header, as net_ip6.h's.
 */

#include <stddef.h>
#include <stdint.h>

#include "net_ip.h"
#include "net_ip6.h"

#define NET_UDP6_HLEN (NET_IPV6_HLEN + NET_UDP_HLEN)

/* RFC 8200 8.1 checksum of UDP (next header 17) over len bytes at udp:
 * 0 when a received datagram is intact, else the value to store. */
uint16_t net_udp6_cksum(const uint8_t src[16], const uint8_t dst[16],
			const uint8_t *udp, size_t len);

/*
 * The UDP header of the IPv6 packet at p (decoded: ip, proto UDP): -EINVAL
 * with *why when it is a fragment, truncated, its length does not fit the
 * payload, or its checksum is zero (RFC 8200 8.1: a receiver discards it)
 * or wrong.
 */
int net_udp6_decode(const uint8_t *p, const struct net_ipv6 *ip,
		    struct net_udp *out, const char **why);

/*
 * IPv6 and UDP headers (48 bytes) at p for the plen payload bytes already
 * at p + 48, with the checksum; traffic class tclass, hop limit hlim. The
 * packet's length (48 + plen), or -ENOSPC when it does not fit cap or
 * 65535.
 */
int net_udp6_write(uint8_t *p, size_t cap, const uint8_t src[16],
		   const uint8_t dst[16], uint8_t hlim, uint8_t tclass,
		   uint16_t sport, uint16_t dport, size_t plen);

#endif /* NET_UDP6_H */
