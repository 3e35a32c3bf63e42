/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * HSRP for IPv6 in Neighbour Discovery (nd.h): the virtual addresses the
 * Active twin answers NS for, and the unsolicited NA of a takeover.
 */
#include <errno.h>
#include <string.h>

#include "dp.h"
#include "nd.h"
#include "net_arp.h"
#include "net_ip6.h"
#include "tw_addr.h"

static int
nd_vip_find(const struct nd *nd, uint16_t port, const uint8_t addr[16])
{
	unsigned int i;

	for (i = 0; i < nd->n_vip; i++)
		if (nd->vip[i].port == port &&
		    memcmp(nd->vip[i].addr, addr, 16) == 0)
			return (int)i;
	return -1;
}

int
nd_vip_add(struct nd *nd, uint16_t port, const uint8_t addr[16],
	   const uint8_t mac[6])
{
	int i = nd_vip_find(nd, port, addr);

	if (i < 0) {
		if (nd->n_vip == ND_VIP_MAX)
			return -ENOSPC;
		i = (int)nd->n_vip++;
	}
	nd->vip[i].port = port;
	memcpy(nd->vip[i].addr, addr, 16);
	memcpy(nd->vip[i].mac, mac, 6);
	return 0;
}

int
nd_vip_del(struct nd *nd, uint16_t port, const uint8_t addr[16])
{
	int i = nd_vip_find(nd, port, addr);

	if (i < 0)
		return -ENOENT;
	nd->vip[i] = nd->vip[--nd->n_vip];
	return 0;
}

const uint8_t *
nd_vip_mac(const struct nd *nd, uint16_t port, const uint8_t addr[16])
{
	int i = nd_vip_find(nd, port, addr);

	return i < 0 ? NULL : nd->vip[i].mac;
}

int
nd_vip_port(const struct nd *nd, const uint8_t addr[16], const uint8_t **mac)
{
	unsigned int i;

	for (i = 0; i < nd->n_vip; i++) {
		if (memcmp(nd->vip[i].addr, addr, 16) == 0) {
			*mac = nd->vip[i].mac;
			return nd->vip[i].port;
		}
	}
	return -1;
}

int
nd_send_unsolicited_na(struct nd *nd, uint16_t port,
		       const uint8_t target[16], const uint8_t mac[6])
{
	static const uint8_t all_nodes[16] = { 0xff, 0x02, [15] = 1 };
	const uint16_t len = NET_ETH_HLEN + NET_IPV6_HLEN + NET_ND_NA_LEN;
	uint8_t dst_mac[6];
	struct rte_mbuf *m;
	uint8_t *p;
	int n;

	m = rte_pktmbuf_alloc(dp_pktmbuf_pool());
	if (m == NULL)
		return -ENOMEM;
	p = (uint8_t *)rte_pktmbuf_append(m, len);
	if (p == NULL) {
		rte_pktmbuf_free(m);
		return -ENOMEM;
	}
	/* RFC 4861 7.2.6: all-nodes, Solicited clear, Override set. */
	n = net_nd_na_write(p + NET_ETH_HLEN, len - NET_ETH_HLEN, target,
			    all_nodes, target,
			    NET_ND_NA_ROUTER | NET_ND_NA_OVERRIDE, mac);
	if (n < 0) {
		rte_pktmbuf_free(m);
		return n;
	}
	tw_addr6_mcast_mac(all_nodes, dst_mac);
	net_eth_write(p, dst_mac, mac, NET_ETHERTYPE_IPV6);
	m->l2_len = NET_ETH_HLEN;
	m->l3_len = NET_IPV6_HLEN;
	if (dp_tx(port, m) != 0)
		return -EIO;
	nd->cnt.tx_unsol_na++;
	return 0;
}
