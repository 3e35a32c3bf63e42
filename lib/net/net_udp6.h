/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef NET_UDP6_H
#define NET_UDP6_H

/*
 * UDP over IPv6 for the control lcore's own protocols (HSRP for IPv6 on
 * 2029): write a packet, validate a received one. RFC 8200 8.1: the
 * checksum is mandatory over IPv6 (a zero one is refused).
 */

#include <stddef.h>
#include <stdint.h>

#include "net_ip.h"
#include "net_ip6.h"

#define NET_UDP6_HLEN (NET_IPV6_HLEN + NET_UDP_HLEN)

/*
 * Write at p (len bytes) the IPv6 and UDP headers of a datagram whose
 * plen-byte payload the caller has put at p + NET_UDP6_HLEN; the
 * checksum covers it. Returns the packet length, -ENOSPC.
 */
int net_udp6_write(uint8_t *p, size_t len, const uint8_t src[16],
		   const uint8_t dst[16], uint8_t hlim, uint8_t tclass,
		   uint16_t sport, uint16_t dport, size_t plen);

/*
 * The UDP header of the decoded IPv6 packet at p (ip): length within the
 * payload, checksum correct and not zero. 0, or -EINVAL with *why.
 */
int net_udp6_decode(const uint8_t *p, const struct net_ipv6 *ip,
		    struct net_udp *out, const char **why);

#endif /* NET_UDP6_H */
