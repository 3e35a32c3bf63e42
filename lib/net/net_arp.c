/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <string.h>

#include "net_arp.h"
#include "tw_bytes.h"

const uint8_t net_eth_broadcast[NET_ETH_ALEN] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
};

/* RFC 826 packet format: hrd, pro, hln, pln, op, sha, spa, tha, tpa. */
#define ARP_HRD_ETHER 1

int
net_arp_decode(const uint8_t *p, size_t len, struct net_arp *out,
	       const char **why)
{
	uint16_t op;

	if (len < NET_ARP_LEN) {
		*why = "truncated";
		return -EINVAL;
	}
	if (tw_get16(p) != ARP_HRD_ETHER ||
	    tw_get16(p + 2) != NET_ETHERTYPE_IPV4 ||
	    p[4] != NET_ETH_ALEN || p[5] != 4) {
		*why = "not Ethernet/IPv4";
		return -EINVAL;
	}
	op = tw_get16(p + 6);
	if (op != NET_ARP_REQUEST && op != NET_ARP_REPLY) {
		*why = "unknown operation";
		return -EINVAL;
	}
	/* A group address can never own an IPv4 address. */
	if (p[8] & 0x01) {
		*why = "multicast sender hardware address";
		return -EINVAL;
	}
	out->op = (enum net_arp_op)op;
	memcpy(out->sha, p + 8, NET_ETH_ALEN);
	out->spa = tw_get32(p + 14);
	memcpy(out->tha, p + 18, NET_ETH_ALEN);
	out->tpa = tw_get32(p + 24);
	return 0;
}

size_t
net_eth_write(uint8_t *p, const uint8_t dst[NET_ETH_ALEN],
	      const uint8_t src[NET_ETH_ALEN], uint16_t ethertype)
{
	memcpy(p, dst, NET_ETH_ALEN);
	memcpy(p + 6, src, NET_ETH_ALEN);
	tw_put16(p + 12, ethertype);
	return NET_ETH_HLEN;
}

size_t
net_arp_frame(uint8_t *p, size_t len, const uint8_t dst[NET_ETH_ALEN],
	      const uint8_t src[NET_ETH_ALEN], const struct net_arp *a)
{
	uint8_t *arp;

	if (len < NET_ETH_MIN_FRAME)
		return 0;
	memset(p, 0, NET_ETH_MIN_FRAME);
	arp = p + net_eth_write(p, dst, src, NET_ETHERTYPE_ARP);
	tw_put16(arp, ARP_HRD_ETHER);
	tw_put16(arp + 2, NET_ETHERTYPE_IPV4);
	arp[4] = NET_ETH_ALEN;
	arp[5] = 4;
	tw_put16(arp + 6, (uint16_t)a->op);
	memcpy(arp + 8, a->sha, NET_ETH_ALEN);
	tw_put32(arp + 14, a->spa);
	memcpy(arp + 18, a->tha, NET_ETH_ALEN);
	tw_put32(arp + 24, a->tpa);
	return NET_ETH_MIN_FRAME;
}

void
net_arp_reply_to(const struct net_arp *req, const uint8_t mac[NET_ETH_ALEN],
		 struct net_arp *reply)
{
	reply->op = NET_ARP_REPLY;
	memcpy(reply->sha, mac, NET_ETH_ALEN);
	reply->spa = req->tpa;
	memcpy(reply->tha, req->sha, NET_ETH_ALEN);
	reply->tpa = req->spa;
}

void
net_arp_request(const uint8_t sha[NET_ETH_ALEN], uint32_t spa, uint32_t tpa,
		struct net_arp *req)
{
	req->op = NET_ARP_REQUEST;
	memcpy(req->sha, sha, NET_ETH_ALEN);
	req->spa = spa;
	memset(req->tha, 0, NET_ETH_ALEN);
	req->tpa = tpa;
}

void
net_arp_gratuitous(const uint8_t mac[NET_ETH_ALEN], uint32_t addr,
		   struct net_arp *ann)
{
	net_arp_request(mac, addr, addr, ann);
}
