/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef NET_ARP_H
#define NET_ARP_H

/*
 * ARP for IPv4 over Ethernet (RFC 826): a pure codec on byte buffers.
 * Decode validates everything before filling the result and never touches
 * state; encode writes a complete frame.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NET_ETH_ALEN 6
#define NET_ETH_HLEN 14
#define NET_ETH_MIN_FRAME 60     /* without FCS: short frames are padded */
#define NET_ETHERTYPE_IPV4 0x0800
#define NET_ETHERTYPE_ARP 0x0806
#define NET_ARP_LEN 28           /* Ethernet/IPv4 ARP payload */

enum net_arp_op {
	NET_ARP_REQUEST = 1,
	NET_ARP_REPLY = 2,
};

struct net_arp {
	enum net_arp_op op;
	uint8_t sha[NET_ETH_ALEN];  /* sender hardware address */
	uint32_t spa;               /* sender protocol address, host order */
	uint8_t tha[NET_ETH_ALEN];
	uint32_t tpa;
};

extern const uint8_t net_eth_broadcast[NET_ETH_ALEN];

/*
 * p points at the ARP header (after the Ethernet header), len bytes. 0 on
 * success; -EINVAL with *why set when it is not an Ethernet/IPv4 request or
 * reply, is truncated, or the sender is a broadcast/multicast MAC.
 */
int net_arp_decode(const uint8_t *p, size_t len, struct net_arp *out,
		   const char **why);

/*
 * Write an Ethernet frame carrying a into p (len bytes available), padded
 * to the 60-byte minimum. Returns the frame length, 0 if len is too small.
 */
size_t net_arp_frame(uint8_t *p, size_t len, const uint8_t dst[NET_ETH_ALEN],
		     const uint8_t src[NET_ETH_ALEN], const struct net_arp *a);

/* The answer to request req for an address we own with MAC mac. */
void net_arp_reply_to(const struct net_arp *req,
		      const uint8_t mac[NET_ETH_ALEN], struct net_arp *reply);

/* A request for tpa from (sha, spa). */
void net_arp_request(const uint8_t sha[NET_ETH_ALEN], uint32_t spa,
		     uint32_t tpa, struct net_arp *req);

/*
 * A gratuitous ARP announcing (mac, addr): a request with sender and
 * target address both addr (RFC 5227 3, "ARP Announcement").
 */
void net_arp_gratuitous(const uint8_t mac[NET_ETH_ALEN], uint32_t addr,
			struct net_arp *ann);

static inline bool
net_arp_is_gratuitous(const struct net_arp *a)
{
	return a->spa == a->tpa;
}

/* Write an Ethernet header; returns NET_ETH_HLEN. */
size_t net_eth_write(uint8_t *p, const uint8_t dst[NET_ETH_ALEN],
		     const uint8_t src[NET_ETH_ALEN], uint16_t ethertype);

#endif /* NET_ARP_H */
