/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ping from the appliance (the console's "ping A.B.C.D"): one echo request
 * at a time, sent from the control lcore out of a fast-path port through
 * ARP, and its reply picked out of the ICMP to our addresses by
 * identifier and sequence number. The console drives it request by
 * request (icmp_ping_send(), then icmp_ping_poll() until a reply or its
 * timeout), so nothing here keeps time or blocks.
 */
#include <string.h>

#include <rte_mbuf.h>

#include "dp.h"
#include "icmp.h"
#include "tw_bytes.h"

int
icmp_ping_send(struct icmp *ic, struct arp *a, uint16_t port,
	       uint32_t nexthop, uint32_t src, uint32_t dst, uint16_t id,
	       uint16_t seq, uint16_t size, tw_time_t now)
{
	size_t tot = NET_IPV4_HLEN + NET_ICMP_HLEN + (size_t)size;
	struct rte_mbuf *m;
	uint8_t *p, *icmp;
	size_t i;

	if (tot > 0xffff)
		return -EMSGSIZE;
	m = rte_pktmbuf_alloc(dp_pktmbuf_pool());
	if (m == NULL) {
		ic->cnt.no_mbuf++;
		return -ENOMEM;
	}
	p = (uint8_t *)rte_pktmbuf_append(m, (uint16_t)tot);
	if (p == NULL) {
		/* more than one segment's room: not for a console ping */
		rte_pktmbuf_free(m);
		return -EMSGSIZE;
	}
	p[0] = 0x45;
	p[1] = 0;
	tw_put16(p + 2, (uint16_t)tot);
	tw_put16(p + 4, ic->ip_id++);
	tw_put16(p + 6, 0);
	p[8] = ICMP_TTL;
	p[9] = NET_IPPROTO_ICMP;
	tw_put16(p + 10, 0);
	tw_put32(p + 12, src);
	tw_put32(p + 16, dst);
	tw_put16(p + 10, net_cksum(p, NET_IPV4_HLEN));
	icmp = p + NET_IPV4_HLEN;
	icmp[0] = NET_ICMP_ECHO;
	icmp[1] = 0;
	tw_put16(icmp + 2, 0);
	tw_put16(icmp + 4, id);
	tw_put16(icmp + 6, seq);
	/* IOS's pattern: 0xABCD repeated */
	for (i = 0; i < size; i++)
		icmp[NET_ICMP_HLEN + i] = (uint8_t)(i % 2 == 0 ? 0xab : 0xcd);
	tw_put16(icmp + 2, net_cksum(icmp, NET_ICMP_HLEN + size));
	memset(&ic->ping, 0, sizeof(ic->ping));
	ic->ping.id = id;
	ic->ping.seq = seq;
	ic->ping.waiting = true;
	ic->ping.sent_at = now;
	ic->cnt.tx_echo++;
	m->l2_len = 0;
	m->l3_len = NET_IPV4_HLEN;
	arp_output(a, port, nexthop, m, now);
	return 0;
}

bool
icmp_ping_reply(struct icmp *ic, const uint8_t *icmp, size_t len,
		const struct net_ipv4 *ip, tw_time_t now)
{
	if (len < NET_ICMP_HLEN || icmp[0] != NET_ICMP_ECHO_REPLY ||
	    !ic->ping.waiting || tw_get16(icmp + 4) != ic->ping.id ||
	    tw_get16(icmp + 6) != ic->ping.seq)
		return false;
	ic->ping.waiting = false;
	ic->ping.replied = true;
	ic->ping.from = ip->src;
	ic->ping.rtt = now - ic->ping.sent_at;
	ic->cnt.rx_echo_reply++;
	return true;
}
