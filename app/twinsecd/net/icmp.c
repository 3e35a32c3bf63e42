/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include "dp.h"
#include "icmp.h"
#include "net_arp.h"
#include "tw_log.h"

void
icmp_init(struct icmp *ic, tw_time_t now)
{
	memset(ic, 0, sizeof(*ic));
	net_tbucket_init(&ic->errors, ICMP_ERR_RATE, ICMP_ERR_BURST, now);
}

/* Back out of port to the frame's Ethernet source, from the port MAC. */
static void
icmp_reflect_l2(uint16_t port, uint8_t *eth, const uint8_t *orig_src)
{
	struct rte_ether_addr mac;
	uint8_t dst[NET_ETH_ALEN];

	memcpy(dst, orig_src, NET_ETH_ALEN);
	dp_port_mac(port, &mac);
	net_eth_write(eth, dst, mac.addr_bytes, NET_ETHERTYPE_IPV4);
}

/*
 * An ICMP packet to us (arrived on port, or from the tunnel when port is
 * negative): an echo request is turned into its reply in place and true
 * returned; anything else is counted, freed, and false returned.
 */
static bool
icmp_echo_in_place(struct icmp *ic, int port, struct rte_mbuf *m,
		   const struct net_ipv4 *ip, tw_time_t now)
{
	uint8_t *eth = rte_pktmbuf_mtod(m, uint8_t *);
	const uint8_t *icmp = eth + NET_ETH_HLEN + ip->hlen;
	const char *why = "";

	if (ip->tot_len - ip->hlen < 1 || icmp[0] != NET_ICMP_ECHO) {
		if (!icmp_ping_reply(ic, icmp, ip->tot_len - ip->hlen, ip,
				     now))
			ic->cnt.rx_other++;
		rte_pktmbuf_free(m);
		return false;
	}
	ic->cnt.rx_echo++;
	if (net_icmp_echo_reply(eth + NET_ETH_HLEN, ip, ICMP_TTL, &why) < 0) {
		ic->cnt.malformed++;
		if (port < 0)
			tw_log(TW_LOG_DEBUG, "icmp",
			       "tunnel: echo request dropped: %s", why);
		else
			tw_log(TW_LOG_DEBUG, "icmp",
			       "port %d: echo request dropped: %s", port, why);
		rte_pktmbuf_free(m);
		return false;
	}
	return true;
}

/*
 * A decrypted ICMP packet to us, behind an Ethernet header of zeros: an
 * echo request is answered in place and sent back through the tunnel
 * (dp_inject(): the protect policy towards its source, never in clear).
 */
void
icmp_tunnel_input(struct icmp *ic, struct rte_mbuf *m,
		  const struct net_ipv4 *ip, tw_time_t now)
{
	if (!icmp_echo_in_place(ic, -1, m, ip, now))
		return;
	rte_pktmbuf_trim(m, rte_pktmbuf_pkt_len(m) - NET_ETH_HLEN -
			 ip->tot_len);
	if (dp_inject(m) == 0)
		ic->cnt.tx_tunnel_echo_reply++;
}

void
icmp_input(struct icmp *ic, uint16_t port, struct rte_mbuf *m,
	   const struct net_ipv4 *ip, tw_time_t now)
{
	uint8_t *eth;

	if (!icmp_echo_in_place(ic, port, m, ip, now))
		return;
	eth = rte_pktmbuf_mtod(m, uint8_t *);
	icmp_reflect_l2(port, eth, eth + NET_ETH_ALEN);
	/* Drop the link padding of short frames. */
	rte_pktmbuf_trim(m, rte_pktmbuf_pkt_len(m) - NET_ETH_HLEN - ip->tot_len);
	m->ol_flags = 0;
	m->l2_len = NET_ETH_HLEN;
	m->l3_len = ip->hlen;
	if (dp_tx(port, m) == 0)
		ic->cnt.tx_echo_reply++;
}

enum icmp_err {
	ICMP_ERR_FRAG_NEEDED,
	ICMP_ERR_TIME_EXCEEDED,
};

/*
 * An ICMP error about the frame m received on port, back out of that port
 * from that port's address (RFC 1812 4.3.2.4: an address of the interface
 * the error is sent on), within the shared rate limit (RFC 1812 4.3.2.8).
 * tunnel: m is a decrypted packet that was going out of port; the error
 * leaves from port's address through the tunnel (dp_inject()). m is
 * consumed.
 */
static void
icmp_error(struct icmp *ic, uint16_t port, enum icmp_err type, uint16_t mtu,
	   struct rte_mbuf *m, bool tunnel, tw_time_t now)
{
	const struct dp_port_params *pp = dp_port(port);
	const uint8_t *eth = rte_pktmbuf_mtod(m, const uint8_t *);
	uint32_t len = rte_pktmbuf_data_len(m);
	struct rte_mbuf *r = NULL;
	const char *why = "";
	uint8_t *out;
	int n;

	if (pp == NULL || len < NET_ETH_HLEN + NET_IPV4_HLEN) {
		ic->cnt.malformed++;
		goto out;
	}
	if (!net_tbucket_take(&ic->errors, now)) {
		ic->cnt.rate_limited++;
		goto out;
	}
	r = rte_pktmbuf_alloc(dp_pktmbuf_pool());
	if (r == NULL) {
		ic->cnt.no_mbuf++;
		goto out;
	}
	out = (uint8_t *)rte_pktmbuf_append(r, NET_ETH_HLEN + NET_ICMP_ERR_MAX);
	if (out == NULL) {
		ic->cnt.no_mbuf++;
		goto out;
	}
	if (type == ICMP_ERR_FRAG_NEEDED)
		n = net_icmp_frag_needed(out + NET_ETH_HLEN, NET_ICMP_ERR_MAX,
					 eth + NET_ETH_HLEN,
					 len - NET_ETH_HLEN, pp->addr, mtu,
					 ic->ip_id++, ICMP_TTL, &why);
	else
		n = net_icmp_time_exceeded(out + NET_ETH_HLEN,
					   NET_ICMP_ERR_MAX,
					   eth + NET_ETH_HLEN,
					   len - NET_ETH_HLEN, pp->addr,
					   ic->ip_id++, ICMP_TTL, &why);
	if (n < 0) {
		ic->cnt.suppressed++;
		tw_log(TW_LOG_DEBUG, "icmp", "port %u: no ICMP error: %s",
		       port, why);
		goto out;
	}
	rte_pktmbuf_trim(r, NET_ICMP_ERR_MAX - (uint32_t)n);
	if (tunnel) {
		net_eth_write(out, (const uint8_t[NET_ETH_ALEN]){ 0 },
			      (const uint8_t[NET_ETH_ALEN]){ 0 },
			      NET_ETHERTYPE_IPV4);
		if (dp_inject(r) == 0)
			ic->cnt.tx_tunnel_time_exceeded++;
		r = NULL;
		goto out;
	}
	icmp_reflect_l2(port, out, eth + NET_ETH_ALEN);
	r->l2_len = NET_ETH_HLEN;
	r->l3_len = NET_IPV4_HLEN;
	if (dp_tx(port, r) == 0) {
		if (type == ICMP_ERR_FRAG_NEEDED)
			ic->cnt.tx_frag_needed++;
		else
			ic->cnt.tx_time_exceeded++;
	}
	r = NULL;
out:
	rte_pktmbuf_free(r);
	rte_pktmbuf_free(m);
}

void
icmp_too_big(struct icmp *ic, uint16_t port, uint16_t mtu, struct rte_mbuf *m,
	     tw_time_t now)
{
	icmp_error(ic, port, ICMP_ERR_FRAG_NEEDED, mtu, m, false, now);
}

void
icmp_time_exceeded(struct icmp *ic, uint16_t port, struct rte_mbuf *m,
		   tw_time_t now)
{
	icmp_error(ic, port, ICMP_ERR_TIME_EXCEEDED, 0, m, false, now);
}

void
icmp_tunnel_time_exceeded(struct icmp *ic, uint16_t port, struct rte_mbuf *m,
			  tw_time_t now)
{
	icmp_error(ic, port, ICMP_ERR_TIME_EXCEEDED, 0, m, true, now);
}
