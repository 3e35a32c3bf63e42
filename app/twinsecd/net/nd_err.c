/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ICMPv6 errors for IPv6 the fast path forwards (issue 18): time exceeded
 * for a hop limit that runs out here (RFC 4443 3.3) and packet too big
 * for a packet larger than the next hop's MTU (RFC 4443 3.1: IPv6 routers
 * never fragment). As icmp.c does for IPv4, the error goes back out of
 * the port the packet came in on, to the Ethernet source of its frame,
 * from that port's address (nd_port_src()), rate limited by a token
 * bucket (RFC 4443 2.4 (f)).
 */
#include <string.h>

#include "dp.h"
#include "nd.h"
#include "net_arp.h"
#include "net_ip6.h"
#include "tw_log.h"

enum nd_err {
	ND_ERR_TIME_EXCEEDED,
	ND_ERR_TOO_BIG,
};

static void
nd_error(struct nd *nd, uint16_t port, enum nd_err type, uint16_t mtu,
	 struct rte_mbuf *m, tw_time_t now)
{
	const uint8_t *eth = rte_pktmbuf_mtod(m, const uint8_t *);
	uint32_t len = rte_pktmbuf_data_len(m);
	struct rte_ether_addr mac;
	struct rte_mbuf *r = NULL;
	const char *why = "";
	uint8_t src[16], dst_mac[6], *out;
	int n;

	if (len < NET_ETH_HLEN + NET_IPV6_HLEN) {
		nd->cnt.malformed++;
		goto out;
	}
	if (!net_tbucket_take(&nd->errors, now)) {
		nd->cnt.err_rate_limited++;
		goto out;
	}
	r = rte_pktmbuf_alloc(dp_pktmbuf_pool());
	if (r == NULL) {
		nd->cnt.no_mbuf++;
		goto out;
	}
	out = (uint8_t *)rte_pktmbuf_append(r, NET_ETH_HLEN +
					    NET_IPV6_MIN_MTU);
	if (out == NULL) {
		nd->cnt.no_mbuf++;
		goto out;
	}
	nd_port_src(port, src);
	if (type == ND_ERR_TOO_BIG)
		n = net_icmp6_ptb(out + NET_ETH_HLEN, NET_IPV6_MIN_MTU,
				  eth + NET_ETH_HLEN, len - NET_ETH_HLEN, src,
				  mtu, ND_HLIM, &why);
	else
		n = net_icmp6_time_exceeded(out + NET_ETH_HLEN,
					    NET_IPV6_MIN_MTU,
					    eth + NET_ETH_HLEN,
					    len - NET_ETH_HLEN, src, ND_HLIM,
					    &why);
	if (n < 0) {
		nd->cnt.err_suppressed++;
		tw_log(TW_LOG_DEBUG, "nd", "port %u: no ICMPv6 error: %s",
		       port, why);
		goto out;
	}
	rte_pktmbuf_trim(r, (uint16_t)(NET_IPV6_MIN_MTU - n));
	memcpy(dst_mac, eth + NET_ETH_ALEN, sizeof(dst_mac));
	dp_port_mac(port, &mac);
	net_eth_write(out, dst_mac, mac.addr_bytes, NET_ETHERTYPE_IPV6);
	r->l2_len = NET_ETH_HLEN;
	r->l3_len = NET_IPV6_HLEN;
	if (dp_tx(port, r) == 0) {
		if (type == ND_ERR_TOO_BIG)
			nd->cnt.tx_too_big++;
		else
			nd->cnt.tx_time_exceeded++;
	}
	r = NULL;
out:
	rte_pktmbuf_free(r);
	rte_pktmbuf_free(m);
}

void
nd_time_exceeded(struct nd *nd, uint16_t port, struct rte_mbuf *m,
		 tw_time_t now)
{
	nd_error(nd, port, ND_ERR_TIME_EXCEEDED, 0, m, now);
}

void
nd_too_big(struct nd *nd, uint16_t port, uint16_t mtu, struct rte_mbuf *m,
	   tw_time_t now)
{
	nd_error(nd, port, ND_ERR_TOO_BIG, mtu, m, now);
}
