/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IPv6 frames in the fast path (issue 18): each is validated and its
 * extension headers walked (lib/net's bounded walk), then ICMPv6 for the
 * box (Neighbour Discovery, echo) goes to the control lcore, unicast not
 * for the box is routed (dp_fwd6.c) unless a link-local address is in it,
 * IKE (UDP 500/4500 to one of our unicast addresses) goes to the control
 * lcore too, and everything else is dropped with a reason of its own.
 *
 * "For the box": one of the receiving port's global addresses or its
 * link-local address (fe80::/64 with the port MAC's modified EUI-64), the
 * all-nodes group ff02::1, or the solicited-node group of one of those.
 *
 * HSRP for IPv6 (issue 18), on a port that runs it (dp_port_hsrp6()):
 * UDP to ff02::66 goes to the control lcore too, and so does ICMPv6 to
 * any solicited-node group: the HSRP
 * virtual addresses the Active twin answers NS for are the control
 * lcore's (nd.c), not this table's, so nd.c tells the NS for them from
 * the others (counted not_ours there).
 *
 * An HSRP IPv6 group's global virtual addresses (dp_local_addr6_set()):
 * while our group is Active they are the box's as the port's addresses
 * are (ESP to them decrypted, IKE and ICMPv6 to them punted: nd.c
 * answers echo from the VIP); while the twin is Active, what is sent to
 * them is dropped (vip-standby), never routed back onto the LAN.
 */
#include <string.h>

#include <netinet/in.h>

#include <rte_ether.h>
#include <rte_mbuf.h>

#include "dp_ip6.h"
#include "dp_priv.h"
#include "net_ip.h"
#include "net_ip6.h"
#include "tw_addr.h"
#include "tw_bytes.h"

#define DP_IP6_IKE_PORT 500      /* IKE over IPv6: punted */
#define DP_IP6_NATT_PORT 4500

/*
 * Address tests run on every IPv6 packet (issue 18: twice for an inbound
 * one, its outer and its inner destination), so they compare in two
 * 64-bit words instead of calling memcmp() and test the link-local
 * address without writing it out: the IPv6 rows of tools/bench measured
 * them at about a tenth of the worker's time (docs/benchmarks-notes.md).
 */
/* dst is fe80::/64 with mac's modified EUI-64 (tw_addr6_link_local()). */
static inline bool
dp_ip6_is_ll_of(const uint8_t mac[6], const uint8_t dst[16])
{
	uint8_t ll[16];

	if (dst[0] != 0xfe || dst[1] != 0x80)
		return false;
	tw_addr6_link_local(mac, ll);
	return dp_ip6_eq(dst, ll);
}

static __rte_always_inline bool
dp_ip6_is_global_of(const struct dp_port_params *pp, const uint8_t dst[16])
{
	unsigned int i;

	for (i = 0; i < pp->n_addr6; i++)
		if (dp_ip6_eq(dst, pp->addr6[i].addr.v6))
			return true;
	return false;
}

static __rte_always_inline bool
dp_ip6_is_mine(const struct dp_port_params *pp, const uint8_t mac[6],
	       const uint8_t dst[16])
{
	return dp_ip6_is_ll_of(mac, dst) || dp_ip6_is_global_of(pp, dst);
}

/* ff02::1, or ff02::1:ffXX:XXXX for one of our addresses. */
static bool
dp_ip6_is_my_group(const struct dp_port_params *pp, const uint8_t mac[6],
		   const uint8_t dst[16])
{
	static const uint8_t all_nodes[16] = { 0xff, 0x02, [15] = 1 };
	uint8_t sn[16], ll[16];
	unsigned int i;

	if (dst[0] != 0xff)
		return false;   /* not multicast (RFC 4291 2.7) */
	if (dp_ip6_eq(dst, all_nodes))
		return true;
	tw_addr6_link_local(mac, ll);
	tw_addr6_solicited_node(ll, sn);
	if (memcmp(dst, sn, 13) != 0)
		return false;   /* not a solicited-node group at all */
	if (memcmp(dst + 13, ll + 13, 3) == 0)
		return true;
	for (i = 0; i < pp->n_addr6; i++)
		if (memcmp(dst + 13, pp->addr6[i].addr.v6 + 13, 3) == 0)
			return true;
	return false;
}

bool
dp_ip6_in(const uint8_t (*set)[16], unsigned int n, const uint8_t dst[16])
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (dp_ip6_eq(set[i], dst))
			return true;
	return false;
}

bool
dp_ip6_is_local(const struct dp_snap *s, const uint8_t dst[16])
{
	unsigned int p;

	if (s != NULL && s->n_local6 != 0 &&
	    dp_ip6_in(s->local6, s->n_local6, dst))
		return true;
	for (p = 0; p < RTE_MAX_ETHPORTS && p < dp_g.n_ports; p++)
		if (dp_ip6_is_ll_of(dp_g.ports[p].mac.addr_bytes, dst) ||
		    dp_ip6_is_global_of(&dp_g.ports[p].params, dst))
			return true;
	return false;
}

static inline bool
dp_ip6_is_link_local(const uint8_t a[16])
{
	return a[0] == 0xfe && (a[1] & 0xc0) == 0x80;
}

/* All HSRP routers for IPv6 (lib/hsrp: hsrp_v6_group_addr). */
static const uint8_t hsrp_v6_group[16] = { 0xff, 0x02, [15] = 0x66 };

/* ff02::1:ff00:0/104 (RFC 4291 2.7.1). */
static bool
dp_ip6_is_solicited_node(const uint8_t dst[16])
{
	static const uint8_t sn[13] = { 0xff, 0x02, [11] = 0x01, [12] = 0xff };

	return memcmp(dst, sn, 13) == 0;
}

enum dp_ip6_cls
dp_ip6_classify(const struct dp_snap *s, uint16_t port, struct rte_mbuf *m,
		enum dp_drop_reason *why)
{
	const struct dp_port_params *pp = &dp_g.ports[port].params;
	const uint8_t *l3 = rte_pktmbuf_mtod_offset(m, const uint8_t *,
						    RTE_ETHER_HDR_LEN);
	const uint8_t *mac = dp_g.ports[port].mac.addr_bytes;
	struct net_ipv6 ip;
	const char *reason = "";
	bool mine;
	int rc;

	/* The walk reads contiguous bytes: a chained IPv6 frame is rare. */
	if (unlikely(m->nb_segs > 1)) {
		*why = DP_DROP_IPV6_HDR;
		return DP_IP6_DROP;
	}
	rc = net_ipv6_decode(l3, m->data_len - RTE_ETHER_HDR_LEN, &ip,
			     &reason);
	if (unlikely(rc != 0)) {
		*why = rc == -EINVAL ? DP_DROP_IPV6_HDR : DP_DROP_IPV6_EXT;
		return DP_IP6_DROP;
	}
	m->l2_len = RTE_ETHER_HDR_LEN;
	m->l3_len = ip.l4_off;
	/*
	 * A port with an IPv6 HSRP group: HSRP (UDP 2029 to ff02::66) and NS
	 * to any solicited-node group (for the virtual addresses) go to the
	 * control lcore, which checks the rest.
	 */
	if (__atomic_load_n(&dp_g.ports[port].hsrp6, __ATOMIC_ACQUIRE)) {
		if (memcmp(ip.dst, hsrp_v6_group, 16) == 0) {
			if (ip.proto != NET_IPPROTO_UDP || ip.frag) {
				*why = DP_DROP_IPV6_LOCAL;
				return DP_IP6_DROP;
			}
			return DP_IP6_PUNT;
		}
		if (dp_ip6_is_solicited_node(ip.dst) &&
		    !dp_ip6_is_my_group(pp, mac, ip.dst)) {
			if (ip.proto != NET_IPPROTO_ICMPV6 || ip.frag) {
				*why = DP_DROP_IPV6_LOCAL;
				return DP_IP6_DROP;
			}
			return DP_IP6_PUNT;
		}
	}
	/* A unicast address of ours: the port's, or a VIP6 we own. */
	mine = dp_ip6_is_mine(pp, mac, ip.dst) ||
		(s->n_local6 != 0 && dp_ip6_in(s->local6, s->n_local6, ip.dst));
	if (!mine && !dp_ip6_is_my_group(pp, mac, ip.dst)) {
		if (tw_addr6_is_multicast(ip.dst)) {
			*why = DP_DROP_IPV6_LOCAL;
			return DP_IP6_DROP;
		}
		if (tw_addr6_is_multicast(ip.src)) {
			*why = DP_DROP_IPV6_HDR;        /* RFC 4291 2.7 */
			return DP_IP6_DROP;
		}
		if (dp_ip6_is_link_local(ip.src) ||
		    dp_ip6_is_link_local(ip.dst)) {
			*why = DP_DROP_IPV6_SCOPE;
			return DP_IP6_DROP;
		}
		/* The twin's VIP6: not routed back onto its LAN. */
		if (unlikely(s->n_vip6_standby != 0) &&
		    dp_ip6_in(s->vip6_standby, s->n_vip6_standby, ip.dst)) {
			*why = DP_DROP_VIP_STANDBY;
			return DP_IP6_DROP;
		}
		/*
		 * Routed: trimmed to its payload length (link padding),
		 * hop limit, route, MTU and neighbour in dp_fwd6.c.
		 */
		if (m->pkt_len > RTE_ETHER_HDR_LEN + NET_IPV6_HLEN +
		    (uint32_t)ip.plen)
			rte_pktmbuf_trim(m, (uint16_t)(m->pkt_len -
				RTE_ETHER_HDR_LEN - NET_IPV6_HLEN - ip.plen));
		return DP_IP6_TRANSIT;
	}
	if (ip.proto == NET_IPPROTO_FRAGMENT || ip.frag) {
		*why = DP_DROP_IPV6_FRAG;
		return DP_IP6_DROP;
	}
	/* IKE over IPv6 (UDP 500/4500 to one of our unicast addresses):
	 * the control lcore's (ctl_punt.c checks the UDP header whole). */
	if (ip.proto == IPPROTO_UDP && mine &&
	    ip.l4_off + 4 <= NET_IPV6_HLEN + ip.plen &&
	    (tw_get16(l3 + ip.l4_off + 2) == DP_IP6_IKE_PORT ||
	     tw_get16(l3 + ip.l4_off + 2) == DP_IP6_NATT_PORT))
		return DP_IP6_PUNT;
	/* ESP over IPv6 to one of our unicast addresses: dp_classify()
	 * finds its SA (the SPI must be there, RFC 4303 2). */
	if (ip.proto == IPPROTO_ESP && mine) {
		if (ip.l4_off + 8u > NET_IPV6_HLEN + (uint32_t)ip.plen) {
			*why = DP_DROP_IPV6_HDR;
			return DP_IP6_DROP;
		}
		if (m->pkt_len > RTE_ETHER_HDR_LEN + NET_IPV6_HLEN +
		    (uint32_t)ip.plen)
			rte_pktmbuf_trim(m, (uint16_t)(m->pkt_len -
				RTE_ETHER_HDR_LEN - NET_IPV6_HLEN - ip.plen));
		return DP_IP6_ESP;
	}
	if (ip.proto != NET_IPPROTO_ICMPV6) {
		*why = DP_DROP_IPV6_LOCAL;
		return DP_IP6_DROP;
	}
	return DP_IP6_PUNT;
}
