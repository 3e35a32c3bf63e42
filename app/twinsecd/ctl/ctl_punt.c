/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the workers punt to the control lcore, by reason (see dp_punt.c for
 * the data layout of each):
 *  - LOCAL: ARP, IPv6 (UDP to one of our addresses to whoever
 *    registered its port with ctl_udp6_register(), the rest to nd.c),
 *    or IPv4 to one of our addresses (interface addresses and
 *    the HSRP virtual IPs we own): ICMP goes to icmp.c, UDP to whoever
 *    registered its port (IKE, HSRP: also UDP to 224.0.0.0/24), the rest
 *    (TCP, OSPF, UDP nobody here listens on, multicast) to the port's
 *    control-plane interface when it has one (ctl_cpif.c), else counted
 *    and dropped; ARP and ICMP other than echo requests copied there;
 *  - NEIGH: an IPv4 packet whose next hop has no MAC yet: arp.c; an IPv6
 *    one (v6): nd_resolve.c;
 *  - TOO_BIG: icmp.c tells the sender the path MTU (nd_err.c for IPv6);
 *  - TTL: icmp.c tells the sender its TTL ran out (time exceeded; nd_err.c
 *    for an IPv6 hop limit);
 *  - NO_SA: ESP (or ESP in UDP 4500) on an unknown SPI: its source and
 *    SPI to whoever registered (IKE: INVALID_SPI to the peer);
 *  - TUNNEL_LOCAL, TUNNEL_TTL: decrypted ICMP to us, a decrypted packet
 *    whose TTL ran out: icmp.c answers through the tunnel.
 */
#include <string.h>

#include "ctl.h"
#include "ctl_cpif.h"
#include "net_arp.h"
#include "net_ip6.h"
#include "net_udp6.h"
#include "tw_addr.h"
#include "tw_bytes.h"
#include "tw_log.h"

/* Interface addresses, and the HSRP virtual IPs we own (ARP answers). */
static bool
ctl_is_local(const struct ctl *ctl, uint32_t addr)
{
	unsigned int i;

	for (i = 0; i < ctl->arp.n_local; i++)
		if (ctl->arp.local[i].addr == addr)
			return true;
	return false;
}

/* RFC 5771 Local Network Control Block (HSRP's 224.0.0.2, 224.0.0.102). */
static bool
ctl_is_link_mcast(uint32_t addr)
{
	return (addr & 0xffffff00u) == 0xe0000000u;
}

/* Multicast (RFC 5771) or the limited broadcast. */
static bool
ctl_is_mcast_or_bcast(uint32_t addr)
{
	return (addr >> 28) == 0xe || addr == UINT32_MAX;
}

static void
ctl_udp_input(struct ctl *ctl, uint16_t port, struct rte_mbuf *m,
	      const struct net_ipv4 *ip, tw_time_t now)
{
	const uint8_t *l3 = rte_pktmbuf_mtod(m, const uint8_t *) + NET_ETH_HLEN;
	struct net_udp udp;
	const char *why = "";
	unsigned int i;

	if (net_udp_decode(l3, ip, &udp, &why) < 0) {
		ctl->cnt.malformed++;
		tw_log(TW_LOG_DEBUG, "ctl", "port %u: bad UDP: %s", port, why);
		rte_pktmbuf_free(m);
		return;
	}
	ctl->cnt.udp++;
	for (i = 0; i < ctl->n_udp; i++) {
		if (ctl->udp[i].port == udp.dport) {
			ctl->udp[i].fn(ctl, ctl->udp[i].arg, port, m, ip, &udp,
				       now);
			return;
		}
	}
	/* BFD, NTP, SNMP, RIP ...: the kernel's, when the port has one. */
	if (ctl_cpif_take(ctl, port, m, CTL_CP_UDP))
		return;
	ctl->cnt.udp_no_listener++;
	rte_pktmbuf_free(m);
}

/* IPv6: UDP to one of our unicast addresses (IKE) or to a group the fast
 * path lets through (HSRP for IPv6 to ff02::66) to its listener, the rest
 * (ICMPv6: ND, echo) to nd.c. */
static void
ctl_ipv6_input(struct ctl *ctl, uint16_t port, struct rte_mbuf *m,
	       tw_time_t now)
{
	const uint8_t *l3 = rte_pktmbuf_mtod(m, const uint8_t *) + NET_ETH_HLEN;
	uint32_t len = rte_pktmbuf_data_len(m);
	struct net_ipv6 ip;
	struct net_udp udp;
	const char *why = "";
	unsigned int i;

	if (len < NET_ETH_HLEN ||
	    net_ipv6_decode(l3, len - NET_ETH_HLEN, &ip, &why) != 0 ||
	    ip.proto != NET_IPPROTO_UDP) {
		nd_input(&ctl->nd, port, m, now);   /* counts the malformed */
		return;
	}
	/* Ours: the port's addresses, or an HSRP VIP we hold (IKE to the
	 * tunnel endpoint that moves with the Active twin). */
	if (!tw_addr6_is_multicast(ip.dst) && !nd_is_mine(port, ip.dst) &&
	    nd_vip_mac(&ctl->nd, port, ip.dst) == NULL) {
		ctl->cnt.not_ours++;
		goto drop;
	}
	if (net_udp6_decode(l3, &ip, &udp, &why) < 0) {
		ctl->cnt.malformed++;
		tw_log(TW_LOG_DEBUG, "ctl", "port %u: bad UDP over IPv6: %s",
		       port, why);
		goto drop;
	}
	ctl->cnt.udp++;
	for (i = 0; i < ctl->n_udp6; i++) {
		if (ctl->udp6[i].port == udp.dport) {
			ctl->udp6[i].fn(ctl, ctl->udp6[i].arg, port, m, &ip,
					&udp, now);
			return;
		}
	}
	ctl->cnt.udp_no_listener++;
drop:
	rte_pktmbuf_free(m);
}

static void
ctl_local_input(struct ctl *ctl, uint16_t port, struct rte_mbuf *m,
		tw_time_t now)
{
	const uint8_t *eth = rte_pktmbuf_mtod(m, const uint8_t *);
	uint32_t len = rte_pktmbuf_data_len(m);
	struct net_ipv4 ip;
	const char *why = "";
	uint16_t type;

	if (len < NET_ETH_HLEN) {
		ctl->cnt.malformed++;
		goto drop;
	}
	type = tw_get16(eth + 12);
	if (type == NET_ETHERTYPE_ARP) {
		ctl->cnt.arp++;
		ctl_cpif_copy(ctl, port, m, CTL_CP_ARP);
		arp_input(&ctl->arp, port, m, now);
		return;
	}
	if (type == NET_ETHERTYPE_IPV6) {
		ctl->cnt.ipv6++;
		ctl_ipv6_input(ctl, port, m, now);
		return;
	}
	if (type != NET_ETHERTYPE_IPV4) {
		ctl->cnt.unsupported++;
		goto drop;
	}
	if (net_ipv4_decode(eth + NET_ETH_HLEN, len - NET_ETH_HLEN, &ip,
			    &why) < 0) {
		ctl->cnt.malformed++;
		tw_log(TW_LOG_DEBUG, "ctl", "port %u: bad IPv4: %s", port, why);
		goto drop;
	}
	if (ip.proto == NET_IPPROTO_UDP && ctl_is_link_mcast(ip.dst)) {
		/* Listeners check the group address themselves. */
		ctl_udp_input(ctl, port, m, &ip, now);
		return;
	}
	if (!ctl_is_local(ctl, ip.dst)) {
		/* OSPF's 224.0.0.5/6 ...: the kernel filters what it joined. */
		if (ctl_is_mcast_or_bcast(ip.dst) &&
		    ctl_cpif_take(ctl, port, m, CTL_CP_MCAST))
			return;
		ctl->cnt.not_ours++;
		goto drop;
	}
	switch (ip.proto) {
	case NET_IPPROTO_ICMP:
		ctl->cnt.icmp++;
		/* Echo is ours; errors and replies the kernel's sockets need. */
		if (ip.tot_len > ip.hlen &&
		    eth[NET_ETH_HLEN + ip.hlen] != NET_ICMP_ECHO)
			ctl_cpif_copy(ctl, port, m, CTL_CP_ICMP);
		icmp_input(&ctl->icmp, port, m, &ip, now);
		return;
	case NET_IPPROTO_UDP:
		ctl_udp_input(ctl, port, m, &ip, now);
		return;
	default:
		/* TCP (BGP, SSH), OSPF unicast, ...: the exception path. */
		if (ctl_cpif_take(ctl, port, m, CTL_CP_PROTO))
			return;
		ctl->cnt.other_proto++;
		goto drop;
	}
drop:
	rte_pktmbuf_free(m);
}

/* Decrypted ICMP to one of our addresses: answered through the tunnel. */
static void
ctl_tunnel_input(struct ctl *ctl, struct rte_mbuf *m, tw_time_t now)
{
	const uint8_t *eth = rte_pktmbuf_mtod(m, const uint8_t *);
	uint32_t len = rte_pktmbuf_data_len(m);
	struct net_ipv4 ip;
	const char *why = "";

	if (len < NET_ETH_HLEN ||
	    net_ipv4_decode(eth + NET_ETH_HLEN, len - NET_ETH_HLEN, &ip,
			    &why) < 0 ||
	    ip.proto != NET_IPPROTO_ICMP || !ctl_is_local(ctl, ip.dst)) {
		ctl->cnt.malformed++;
		rte_pktmbuf_free(m);
		return;
	}
	ctl->cnt.icmp++;
	icmp_tunnel_input(&ctl->icmp, m, &ip, now);
}

/* ESP on an unknown SPI: the source and SPI to the listener. */
static void
ctl_no_sa(struct ctl *ctl, struct rte_mbuf *m, tw_time_t now)
{
	const uint8_t *eth = rte_pktmbuf_mtod(m, const uint8_t *);
	uint32_t len = rte_pktmbuf_data_len(m), off;
	struct net_ipv4 ip;
	const char *why = "";

	if (len < NET_ETH_HLEN || tw_get16(eth + 12) != NET_ETHERTYPE_IPV4 ||
	    net_ipv4_decode(eth + NET_ETH_HLEN, len - NET_ETH_HLEN, &ip,
			    &why) < 0) {
		ctl->cnt.malformed++;
		goto out;
	}
	off = NET_ETH_HLEN + ip.hlen;
	if (ip.proto == NET_IPPROTO_UDP)
		off += NET_UDP_HLEN;
	else if (ip.proto != NET_IPPROTO_ESP)
		goto out;
	if (len < off + 4) {
		ctl->cnt.malformed++;
		goto out;
	}
	if (ctl->nosa_fn != NULL)
		ctl->nosa_fn(ctl, ctl->nosa_arg, ip.src, tw_get32(eth + off),
			     now);
out:
	rte_pktmbuf_free(m);
}

/* An IPv6 packet behind the 16-byte next hop to resolve (dp_punt.c). */
static void
ctl_neigh6(struct ctl *ctl, uint16_t port, struct rte_mbuf *m, tw_time_t now)
{
	uint8_t nh[16];

	if (rte_pktmbuf_data_len(m) < sizeof(nh) + NET_IPV6_HLEN) {
		ctl->cnt.malformed++;
		rte_pktmbuf_free(m);
		return;
	}
	memcpy(nh, rte_pktmbuf_mtod(m, const uint8_t *), sizeof(nh));
	rte_pktmbuf_adj(m, sizeof(nh));
	nd_output(&ctl->nd, port, nh, m, now);
}

/* TOO_BIG and TTL punts of IPv6 transit (dp_fwd6.c): the frame's type. */
static bool
ctl_is_ipv6_frame(const struct rte_mbuf *m)
{
	return rte_pktmbuf_data_len(m) >= NET_ETH_HLEN &&
		tw_get16(rte_pktmbuf_mtod(m, const uint8_t *) + 12) ==
		NET_ETHERTYPE_IPV6;
}

void
ctl_punt_dispatch(struct ctl *ctl, struct rte_mbuf *m, tw_time_t now)
{
	struct dp_punt_info info;

	dp_punt_info(m, &info);
	if (info.port >= dp_n_ports()) {
		ctl->cnt.malformed++;
		rte_pktmbuf_free(m);
		return;
	}
	/* The codecs read contiguous bytes. */
	if (m->nb_segs > 1 && rte_pktmbuf_linearize(m) < 0) {
		ctl->cnt.unsupported++;
		rte_pktmbuf_free(m);
		return;
	}
	switch (info.reason) {
	case DP_PUNT_LOCAL:
		ctl_local_input(ctl, info.port, m, now);
		return;
	case DP_PUNT_NEIGH:
		if (info.v6)
			ctl_neigh6(ctl, info.port, m, now);
		else
			arp_output(&ctl->arp, info.port, info.nexthop, m, now);
		return;
	case DP_PUNT_TOO_BIG:
		if (ctl_is_ipv6_frame(m))
			nd_too_big(&ctl->nd, info.port, info.mtu, m, now);
		else
			icmp_too_big(&ctl->icmp, info.port, info.mtu, m, now);
		return;
	case DP_PUNT_TTL:
		if (ctl_is_ipv6_frame(m))
			nd_time_exceeded(&ctl->nd, info.port, m, now);
		else
			icmp_time_exceeded(&ctl->icmp, info.port, m, now);
		return;
	case DP_PUNT_NO_SA:
		ctl_no_sa(ctl, m, now);
		return;
	case DP_PUNT_TUNNEL_LOCAL:
		ctl_tunnel_input(ctl, m, now);
		return;
	case DP_PUNT_TUNNEL_TTL:
		icmp_tunnel_time_exceeded(&ctl->icmp, info.port, m, now);
		return;
	}
	ctl->cnt.malformed++;
	rte_pktmbuf_free(m);
}
