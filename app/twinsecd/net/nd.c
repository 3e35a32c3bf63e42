/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include "dp.h"
#include "nd.h"
#include "net_arp.h"
#include "net_ip6.h"
#include "tw_addr.h"
#include "tw_log.h"

void
nd_init(struct nd *nd, struct tw_heap *heap, tw_time_t now)
{
	memset(nd, 0, sizeof(*nd));
	net_nd_cache_init(&nd->cache, NET_ND_MAX);
	nd->heap = heap;
	nd_resolve_init(nd);
	net_tbucket_init(&nd->errors, ND_ERR_RATE, ND_ERR_BURST, now);
}

/* An entry leaves the cache: and the fast path. */
static void
nd_gone(void *arg, const struct net_nd_entry *e)
{
	struct nd *nd = arg;

	if (dp_neigh6_del(e->port, e->addr) == 0)
		nd->commit = true;
}

void
nd_age(struct nd *nd, tw_time_t now)
{
	net_nd_age_notify(&nd->cache, now, nd_gone, nd);
}

void
nd_port_src(uint16_t port, uint8_t src[16])
{
	const struct dp_port_params *pp = dp_port(port);
	struct rte_ether_addr mac;

	if (pp != NULL && pp->n_addr6 > 0) {
		memcpy(src, pp->addr6[0].addr.v6, 16);
		return;
	}
	dp_port_mac(port, &mac);
	tw_addr6_link_local(mac.addr_bytes, src);
}

bool
nd_is_mine(uint16_t port, const uint8_t addr[16])
{
	const struct dp_port_params *pp = dp_port(port);
	struct rte_ether_addr mac;
	uint8_t ll[16];
	unsigned int i;

	for (i = 0; i < pp->n_addr6; i++)
		if (memcmp(pp->addr6[i].addr.v6, addr, 16) == 0)
			return true;
	dp_port_mac(port, &mac);
	tw_addr6_link_local(mac.addr_bytes, ll);
	return memcmp(ll, addr, 16) == 0;
}

/* Frame and send m (an IPv6 packet of l3_len bytes); true when sent. */
static bool
nd_send(uint16_t port, struct rte_mbuf *m, const uint8_t dst_mac[6],
	size_t l3_len, const uint8_t *src_mac)
{
	uint8_t *eth = rte_pktmbuf_mtod(m, uint8_t *);
	struct rte_ether_addr mac;
	uint8_t dst[NET_ETH_ALEN];

	memcpy(dst, dst_mac, NET_ETH_ALEN);
	dp_port_mac(port, &mac);
	if (src_mac != NULL)
		memcpy(mac.addr_bytes, src_mac, NET_ETH_ALEN);
	net_eth_write(eth, dst, mac.addr_bytes, NET_ETHERTYPE_IPV6);
	rte_pktmbuf_trim(m, (uint16_t)(rte_pktmbuf_pkt_len(m) - NET_ETH_HLEN -
				      l3_len));
	m->ol_flags = 0;
	m->l2_len = NET_ETH_HLEN;
	m->l3_len = NET_IPV6_HLEN;
	return dp_tx(port, m) == 0;
}

/* Answer the solicitation nd, for one of our addresses, in m; vmac:
 * an HSRP virtual address's MAC, NULL for the port's. */
static void
nd_answer(struct nd *nd, uint16_t port, struct rte_mbuf *m,
	  const struct net_ipv6 *ip, const struct net_nd *ns,
	  const uint8_t *vmac)
{
	static const uint8_t all_nodes[16] = { 0xff, 0x02, [15] = 1 };
	uint8_t *eth = rte_pktmbuf_mtod(m, uint8_t *);
	bool dad = memcmp(ip->src, (const uint8_t[16]){ 0 }, 16) == 0;
	uint8_t dst[16], target[16], dst_mac[6];
	struct rte_ether_addr mac;
	uint32_t flags = NET_ND_NA_ROUTER | NET_ND_NA_OVERRIDE;
	uint16_t need, have;
	int n;

	/* RFC 4861 7.2.4: to the solicitor, or all nodes for DAD (no S). */
	memcpy(target, ns->target, 16);
	if (dad) {
		memcpy(dst, all_nodes, 16);
		tw_addr6_mcast_mac(all_nodes, dst_mac);
	} else {
		memcpy(dst, ip->src, 16);
		memcpy(dst_mac, ns->has_lla ? ns->lla : eth + NET_ETH_ALEN, 6);
		flags |= NET_ND_NA_SOLICITED;
	}
	need = NET_ETH_HLEN + NET_IPV6_HLEN + NET_ND_NA_LEN;
	have = rte_pktmbuf_data_len(m);
	if (have < need &&
	    rte_pktmbuf_append(m, (uint16_t)(need - have)) == NULL) {
		rte_pktmbuf_free(m);
		return;
	}
	dp_port_mac(port, &mac);
	if (vmac != NULL)
		memcpy(mac.addr_bytes, vmac, NET_ETH_ALEN);
	n = net_nd_na_write(eth + NET_ETH_HLEN,
			    rte_pktmbuf_data_len(m) - NET_ETH_HLEN, target, dst,
			    target, flags, mac.addr_bytes);
	if (n < 0) {
		rte_pktmbuf_free(m);
		return;
	}
	if (nd_send(port, m, dst_mac, (size_t)n, vmac))
		nd->cnt.tx_na++;
}

void
nd_input(struct nd *nd, uint16_t port, struct rte_mbuf *m, tw_time_t now)
{
	uint8_t *l3 = rte_pktmbuf_mtod(m, uint8_t *) + NET_ETH_HLEN;
	uint32_t len = rte_pktmbuf_data_len(m);
	struct net_ipv6 ip;
	struct net_nd msg;
	const char *why = "";
	struct rte_ether_addr mac;
	const uint8_t *vmac;
	uint8_t ll[16];
	bool solicited;
	int n;

	nd_age(nd, now);
	if (len < NET_ETH_HLEN ||
	    net_ipv6_decode(l3, len - NET_ETH_HLEN, &ip, &why) != 0 ||
	    ip.proto != NET_IPPROTO_ICMPV6 ||
	    ip.l4_off >= NET_IPV6_HLEN + ip.plen)
		goto bad;
	switch (l3[ip.l4_off]) {
	case NET_ND_NS:
	case NET_ND_NA:
		if (net_nd_decode(l3, &ip, &msg, &why) != 0)
			goto bad;
		if (msg.type == NET_ND_NA) {
			nd->cnt.rx_na++;
			solicited = (msg.flags & NET_ND_NA_SOLICITED) != 0;
			/*
			 * RFC 4861 7.2.5: an answer to our solicitation
			 * creates the entry (what nd_output() waits for);
			 * an unsolicited one only updates what is known.
			 */
			if (msg.has_lla &&
			    net_nd_learn(&nd->cache, port, msg.target, msg.lla,
					 solicited, solicited &&
					 nd_resolving_find(nd, port,
							   msg.target),
					 now) == 0)
				nd_learned(nd, port, msg.target, now);
			break;
		}
		nd->cnt.rx_ns++;
		vmac = nd_vip_mac(nd, port, msg.target);
		if (vmac != NULL)
			nd->cnt.rx_ns_vip++;
		else if (!nd_is_mine(port, msg.target)) {
			nd->cnt.not_ours++;
			break;
		}
		/* RFC 4861 7.2.3: not from :: (DAD), which has no lla. */
		if (msg.has_lla &&
		    net_nd_learn(&nd->cache, port, ip.src, msg.lla, false,
				 true, now) == 0)
			nd_learned(nd, port, ip.src, now);
		nd_answer(nd, port, m, &ip, &msg, vmac);
		return;
	case NET_ICMP6_ECHO_REQUEST:
		nd->cnt.rx_echo++;
		/*
		 * RFC 4443 4.2: a request to a group (the fast path only
		 * lets ours through) is answered from a unicast address of
		 * the interface: its link-local one, as the groups are.
		 */
		vmac = NULL;
		if (tw_addr6_is_multicast(ip.dst)) {
			dp_port_mac(port, &mac);
			tw_addr6_link_local(mac.addr_bytes, ll);
		} else if ((vmac = nd_vip_mac(nd, port, ip.dst)) != NULL) {
			/* An HSRP VIP we hold: answered from it, and from
			 * its virtual MAC, as IOS's Active router does. */
			nd->cnt.rx_echo_vip++;
		} else if (!nd_is_mine(port, ip.dst)) {
			nd->cnt.not_ours++;
			break;
		}
		n = net_icmp6_echo_reply(l3, &ip, ll, ND_HLIM, &why);
		if (n < 0)
			goto bad;
		if (nd_send(port, m,
			    rte_pktmbuf_mtod(m, uint8_t *) + NET_ETH_ALEN,
			    (size_t)n, vmac))
			nd->cnt.tx_echo_reply++;
		return;
	default:
		nd->cnt.rx_other++;
		break;
	}
	rte_pktmbuf_free(m);
	return;
bad:
	nd->cnt.malformed++;
	tw_log(TW_LOG_DEBUG, "nd", "port %u: IPv6 frame dropped: %s", port,
	       why);
	rte_pktmbuf_free(m);
}
