/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The HSRP glue: events into the engines, their actions out as I/O (see
 * hsrp_glue.h for the map). One instance per process, owned by the
 * control lcore.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <rte_ether.h>
#include <rte_mbuf.h>

#include "hsrp_glue.h"
#include "net_arp.h"
#include "tw_bytes.h"
#include "net_ip.h"
#include "net_udp6.h"
#include "tw_compiler.h"
#include "tw_log.h"

/* IOS sends HSRP with IP precedence 6 (internetwork control). */
#define HSRP_TOS 0xc0
/* Link poll when HSRP runs: a fraction of the shortest hold time. */
#define LINK_POLL_MIN TW_MSEC(10)
#define LINK_POLL_PER_HOLD 6

static struct hsrp_glue_state {
	struct ctl *ctl;
	struct hsrp_glue_group grp[HSRP_GLUE_MAX_GROUPS];
	unsigned int n;
	bool admin_down[DP_MAX_PORTS];
	bool link_up[DP_MAX_PORTS];
	bool link_known[DP_MAX_PORTS];
	bool up[DP_MAX_PORTS];       /* as last told to the engines */
	bool up_known[DP_MAX_PORTS];
	struct {
		hsrp_glue_state_fn fn;
		void *arg;
	} lis[HSRP_GLUE_MAX_LISTENERS];
	unsigned int n_lis;
	struct hsrp_split split;
	struct hsrp_glue_counters cnt;   /* packets no group took */
} hg;

static void run_event(struct hsrp_glue_group *gg,
		      const struct hsrp_event *ev, tw_time_t now);

/* Ethernet / IPv6 (hop limit 255) / UDP 2029 -> 2029 to ff02::66. */
static void
send_packet6(struct hsrp_glue_group *gg, const struct hsrp_action *a)
{
	const size_t hdr = NET_ETH_HLEN + NET_UDP6_HLEN;
	size_t len = hdr + a->u.send.len;
	struct rte_mbuf *m;
	uint8_t *p;

	m = rte_pktmbuf_alloc(dp_pktmbuf_pool());
	if (m == NULL) {
		gg->cnt.tx_errors++;
		return;
	}
	p = (uint8_t *)rte_pktmbuf_append(m, (uint16_t)len);
	if (p == NULL) {
		rte_pktmbuf_free(m);
		gg->cnt.tx_errors++;
		return;
	}
	net_eth_write(p, a->u.send.dst_mac, a->u.send.src_mac,
		      NET_ETHERTYPE_IPV6);
	memcpy(p + hdr, a->u.send.data, a->u.send.len);
	if (net_udp6_write(p + NET_ETH_HLEN, len - NET_ETH_HLEN,
			   a->u.send.src_ip6, a->u.send.dst_ip6, HSRP_V6_HLIM,
			   HSRP_TOS, HSRP_V6_UDP_PORT, HSRP_V6_UDP_PORT,
			   a->u.send.len) < 0) {
		rte_pktmbuf_free(m);
		gg->cnt.tx_errors++;
		return;
	}
	m->l2_len = NET_ETH_HLEN;
	m->l3_len = NET_IPV6_HLEN;
	if (dp_tx(gg->port, m) == 0)
		gg->cnt.tx++;
	else
		gg->cnt.tx_errors++;
}

static void
send_packet(struct hsrp_glue_group *gg, const struct hsrp_action *a)
{
	const size_t hdr = NET_ETH_HLEN + NET_IPV4_HLEN + NET_UDP_HLEN;
	size_t len = hdr + a->u.send.len;
	struct net_ipv4 ip = {
		.tos = HSRP_TOS,
		.id = gg->ip_id++,
		.ttl = HSRP_TTL,
		.src = a->u.send.src_ip,
		.dst = a->u.send.dst_ip,
	};
	struct rte_mbuf *m;
	uint8_t *p;

	if (a->u.send.ipv6) {
		send_packet6(gg, a);
		return;
	}
	m = rte_pktmbuf_alloc(dp_pktmbuf_pool());
	if (m == NULL) {
		gg->cnt.tx_errors++;
		return;
	}
	if (len < NET_ETH_MIN_FRAME)
		len = NET_ETH_MIN_FRAME;
	p = (uint8_t *)rte_pktmbuf_append(m, (uint16_t)len);
	if (p == NULL) {
		rte_pktmbuf_free(m);
		gg->cnt.tx_errors++;
		return;
	}
	memset(p, 0, len);
	net_eth_write(p, a->u.send.dst_mac, a->u.send.src_mac,
		      NET_ETHERTYPE_IPV4);
	memcpy(p + hdr, a->u.send.data, a->u.send.len);
	if (net_udp4_write(p + NET_ETH_HLEN, len - NET_ETH_HLEN, &ip,
			   HSRP_UDP_PORT, HSRP_UDP_PORT, a->u.send.len) < 0) {
		rte_pktmbuf_free(m);
		gg->cnt.tx_errors++;
		return;
	}
	if (dp_tx(gg->port, m) == 0)
		gg->cnt.tx++;
	else
		gg->cnt.tx_errors++;
}

/* IPv6 groups: an unsolicited NA for each virtual address. */
static void
na_send(struct hsrp_glue_group *gg)
{
	struct nd *nd = &gg->ctl->nd;
	unsigned int i;

	if (nd_send_unsolicited_na(nd, gg->port, gg->g.vip6, gg->g.vmac) == 0)
		gg->cnt.garps++;
	else
		gg->cnt.tx_errors++;
	for (i = 0; i < gg->cs->n_gvip6; i++) {
		if (nd_send_unsolicited_na(nd, gg->port,
					   gg->cs->gvip6[i].addr.v6,
					   gg->g.vmac) == 0)
			gg->cnt.garps++;
		else
			gg->cnt.tx_errors++;
	}
}

static void
garp_send(struct hsrp_glue_group *gg)
{
	struct rte_ether_addr mac;

	if (gg->g.cfg.af == TW_AF_INET6) {
		na_send(gg);
		return;
	}
	memcpy(mac.addr_bytes, gg->g.vmac, RTE_ETHER_ADDR_LEN);
	if (arp_send_gratuitous(&gg->ctl->arp, gg->port, gg->g.vip, &mac) == 0)
		gg->cnt.garps++;
	else
		gg->cnt.tx_errors++;
}

static void
garp_fire(void *arg, tw_time_t now)
{
	struct hsrp_glue_group *gg = arg;

	if (!gg->vip_claimed || gg->garp_left == 0)
		return;
	garp_send(gg);
	if (--gg->garp_left > 0)
		tw_heap_arm(&gg->ctl->heap, &gg->garp_dl,
			    now + TW_MSEC(gg->cs->garp_interval_ms));
}

/*
 * IPv6 groups' global VIPs in the fast path: owned (Active), ours like
 * the port's addresses (ESP decrypted, IKE and echo punted); else the
 * twin's, dropped (vip-standby). The link-local VIP needs no entry: NS
 * to it is punted on an HSRP port, and nothing else is sent to it.
 */
static int
vip6_fast_path(struct hsrp_glue_group *gg, bool owned)
{
	char buf[TW_ADDR_STRLEN];
	unsigned int i;
	int rc;

	for (i = 0; i < gg->cs->n_gvip6; i++) {
		rc = dp_local_addr6_set(gg->port, gg->cs->gvip6[i].addr.v6,
					owned);
		if (rc < 0) {
			tw_log(TW_LOG_ERR, "hsrp", "%s Grp %u: %s not in the "
			       "fast path: %s", gg->g.cfg.ifname,
			       gg->g.cfg.group,
			       tw_addr6_str(gg->cs->gvip6[i].addr.v6, buf,
					    sizeof(buf)), strerror(-rc));
			return rc;
		}
	}
	return 0;
}

/* IPv6 groups: NS answered for the link-local and global VIPs. */
static void
vip6_claim(struct hsrp_glue_group *gg, bool claim)
{
	struct nd *nd = &gg->ctl->nd;
	char buf[TW_ADDR_STRLEN];
	unsigned int i;
	int rc;

	vip6_fast_path(gg, claim);
	for (i = 0; i <= gg->cs->n_gvip6; i++) {
		const uint8_t *a = i == 0 ? gg->g.vip6 :
			gg->cs->gvip6[i - 1].addr.v6;

		if (!claim) {
			nd_vip_del(nd, gg->port, a);
			continue;
		}
		rc = nd_vip_add(nd, gg->port, a, gg->g.vmac);
		if (rc < 0)
			tw_log(TW_LOG_ERR, "hsrp", "%s Grp %u: cannot answer "
			       "NS for %s: %s", gg->g.cfg.ifname,
			       gg->g.cfg.group, tw_addr6_str(a, buf,
							     sizeof(buf)),
			       strerror(-rc));
	}
}

static void
vip_claim(struct hsrp_glue_group *gg, uint32_t addr, const uint8_t vmac[6])
{
	struct ctl *ctl = gg->ctl;
	struct rte_ether_addr mac;
	int rc;

	memcpy(mac.addr_bytes, vmac, RTE_ETHER_ADDR_LEN);
	if (gg->g.cfg.af == TW_AF_INET6) {
		vip6_claim(gg, true);
		rc = 0;
	} else {
		rc = arp_local_add(&ctl->arp, gg->port, addr, &mac);
	}
	if (rc < 0)
		tw_log(TW_LOG_ERR, "hsrp", "%s Grp %u: cannot answer ARP for "
		       NET_IP4_FMT ": %s", gg->g.cfg.ifname, gg->g.cfg.group,
		       NET_IP4_ARGS(addr), strerror(-rc));
	rc = dp_port_mac_add(gg->port, &mac);
	if (rc < 0)
		tw_log(TW_LOG_WARNING, "hsrp", "%s Grp %u: cannot add virtual "
		       "MAC " RTE_ETHER_ADDR_PRT_FMT " to the port: %s",
		       gg->g.cfg.ifname, gg->g.cfg.group,
		       RTE_ETHER_ADDR_BYTES(&mac), strerror(-rc));
	if (addr != 0)
		dp_local_addr_set(gg->port, addr, true);
	/* Usable before the gratuitous ARP that follows announces it. */
	ctl_commit_now(ctl);
	gg->vip_claimed = true;
	gg->cnt.vip_claims++;
}

static void
vip_release(struct hsrp_glue_group *gg, uint32_t addr, const uint8_t vmac[6])
{
	struct ctl *ctl = gg->ctl;
	struct rte_ether_addr mac;

	memcpy(mac.addr_bytes, vmac, RTE_ETHER_ADDR_LEN);
	if (gg->g.cfg.af == TW_AF_INET6)
		vip6_claim(gg, false);
	else
		arp_local_del(&ctl->arp, gg->port, addr);
	dp_port_mac_del(gg->port, &mac);
	if (addr != 0)
		dp_local_addr_set(gg->port, addr, false);
	ctl_commit_later(ctl);
	tw_heap_cancel(&ctl->heap, &gg->garp_dl);
	gg->garp_left = 0;
	gg->vip_claimed = false;
	gg->cnt.vip_releases++;
}

static void
on_state(struct hsrp_glue_group *gg, const struct hsrp_action *a,
	 tw_time_t now)
{
	unsigned int i;

	/*
	 * The engine logged "IF Grp N: A -> B (reason)". The seam for the
	 * redundancy layer: it follows its scheme group through a listener
	 * (coupling SAs on Active, decoupling them otherwise).
	 */
	for (i = 0; i < hg.n_lis; i++)
		hg.lis[i].fn(hg.lis[i].arg, gg->cs->name, gg->port,
			    gg->g.cfg.group, a->u.state.from, a->u.state.to,
			    now);
	hsrp_split_check(&hg.split, now);
}

static void
do_action(struct hsrp_glue_group *gg, const struct hsrp_action *a,
	  tw_time_t now)
{
	struct tw_heap *heap = &gg->ctl->heap;

	switch (a->type) {
	case HSRP_ACT_SEND:
		send_packet(gg, a);
		return;
	case HSRP_ACT_ARM:
		if (tw_heap_arm(heap, &gg->timer[a->u.timer.which].dl,
				a->u.timer.at) < 0)
			tw_log(TW_LOG_ERR, "hsrp", "Grp %u: cannot arm %s timer",
			       gg->g.cfg.group,
			       hsrp_timer_name(a->u.timer.which));
		return;
	case HSRP_ACT_CANCEL:
		tw_heap_cancel(heap, &gg->timer[a->u.timer.which].dl);
		return;
	case HSRP_ACT_CLAIM_VIP:
		vip_claim(gg, a->u.vip.addr, a->u.vip.vmac);
		return;
	case HSRP_ACT_RELEASE_VIP:
		vip_release(gg, a->u.vip.addr, a->u.vip.vmac);
		return;
	case HSRP_ACT_GARP:
	case HSRP_ACT_NA:
		if (gg->cs->garp_count == 0)
			return;
		garp_send(gg);
		gg->garp_left = gg->cs->garp_count - 1;
		if (gg->garp_left > 0)
			tw_heap_arm(heap, &gg->garp_dl,
				    now + TW_MSEC(gg->cs->garp_interval_ms));
		return;
	case HSRP_ACT_STATE:
		on_state(gg, a, now);
		return;
	case HSRP_ACT_MAX:
		break;
	}
}

static void
run_event(struct hsrp_glue_group *gg, const struct hsrp_event *ev,
	  tw_time_t now)
{
	struct hsrp_action acts[HSRP_ACTIONS_MAX];
	int i, n;

	n = hsrp_event(&gg->g, ev, now, acts, HSRP_ACTIONS_MAX);
	if (n < 0) {
		tw_log(TW_LOG_ERR, "hsrp", "%s Grp %u: event %s refused: %s",
		       gg->g.cfg.ifname, gg->g.cfg.group,
		       hsrp_event_name(ev->type), strerror(-n));
		return;
	}
	for (i = 0; i < n; i++)
		do_action(gg, &acts[i], now);
}

static void
timer_fire(void *arg, tw_time_t now)
{
	struct hsrp_glue_timer *t = arg;
	struct hsrp_event ev = { .type = HSRP_EV_TIMER };

	ev.u.timer = t->which;
	run_event(t->gg, &ev, now);
}

static struct hsrp_glue_group *
group_find(uint16_t port, uint8_t version, uint16_t group, bool ipv6)
{
	unsigned int i;

	for (i = 0; i < hg.n; i++)
		if (hg.grp[i].port == port && hg.grp[i].g.cfg.version == version &&
		    hg.grp[i].g.cfg.group == group &&
		    (hg.grp[i].g.cfg.af == TW_AF_INET6) == ipv6)
			return &hg.grp[i];
	return NULL;
}

static void
udp_input(struct ctl *ctl TW_UNUSED, void *arg TW_UNUSED, uint16_t port,
	  struct rte_mbuf *m, const struct net_ipv4 *ip,
	  const struct net_udp *udp, tw_time_t now)
{
	const uint8_t *p = rte_pktmbuf_mtod(m, const uint8_t *) +
		NET_ETH_HLEN + ip->hlen + NET_UDP_HLEN;
	struct hsrp_event ev = { .type = HSRP_EV_PACKET };
	struct hsrp_glue_group *gg;
	struct hsrp_msg msg;
	const char *why = "";

	if (hsrp_decode(p, udp->len, &msg, &why) < 0) {
		hg.cnt.rx_malformed++;
		tw_log(TW_LOG_DEBUG, "hsrp", "port %u: bad HSRP from " NET_IP4_FMT
		       ": %s", port, NET_IP4_ARGS(ip->src), why);
		goto out;
	}
	/* RFC 2281 5: v1 to 224.0.0.2; v2 to 224.0.0.102; IPv6 groups
	 * never over IPv4. */
	if (msg.ipv6 || ip->dst != (msg.version == 1 ? HSRP_V1_GROUP_ADDR :
				    HSRP_V2_GROUP_ADDR)) {
		hg.cnt.rx_bad_addr++;
		goto out;
	}
	gg = group_find(port, msg.version, msg.group, msg.ipv6);
	if (gg == NULL) {
		hg.cnt.rx_no_group++;
		goto out;
	}
	gg->cnt.rx++;
	if (msg.op == HSRP_OP_HELLO && msg.state == HSRP_STATE_ACTIVE) {
		gg->active_seen = now;
		if (ip->src != gg->g.cfg.if_ip)
			gg->other_seen = now;
	}
	ev.u.pkt.msg = &msg;
	ev.u.pkt.raw = p;
	ev.u.pkt.len = udp->len;
	ev.u.pkt.src_ip = ip->src;
	run_event(gg, &ev, now);
out:
	rte_pktmbuf_free(m);
}

/*
 * HSRP for IPv6: UDP 2029 to ff02::66 from a link-local source with hop
 * limit 255 (so it was not routed here).
 */
static void
udp6_input(struct ctl *ctl TW_UNUSED, void *arg TW_UNUSED, uint16_t port,
	   struct rte_mbuf *m, const struct net_ipv6 *ip,
	   const struct net_udp *udp, tw_time_t now)
{
	const uint8_t *p = rte_pktmbuf_mtod(m, const uint8_t *) +
		NET_ETH_HLEN + ip->l4_off + NET_UDP_HLEN;
	struct hsrp_event ev = { .type = HSRP_EV_PACKET };
	struct hsrp_glue_group *gg;
	char buf[TW_ADDR_STRLEN];
	struct hsrp_msg msg;
	const char *why = "";

	if (memcmp(ip->dst, hsrp_v6_group_addr, 16) != 0 ||
	    ip->hlim != HSRP_V6_HLIM || !tw_addr6_is_link_local(ip->src)) {
		hg.cnt.rx_bad_addr++;
		goto out;
	}
	if (hsrp_decode_v2(p, udp->len, &msg, &why) < 0 ||
	    (!msg.ipv6 && (why = "an IPv4 group over IPv6") != NULL)) {
		hg.cnt.rx_malformed++;
		tw_log(TW_LOG_DEBUG, "hsrp", "port %u: bad HSRP from %s: %s",
		       port, tw_addr6_str(ip->src, buf, sizeof(buf)), why);
		goto out;
	}
	gg = group_find(port, msg.version, msg.group, true);
	if (gg == NULL) {
		hg.cnt.rx_no_group++;
		goto out;
	}
	gg->cnt.rx++;
	if (msg.op == HSRP_OP_HELLO && msg.state == HSRP_STATE_ACTIVE) {
		gg->active_seen = now;
		if (memcmp(ip->src, gg->g.cfg.if_ip6, 16) != 0)
			gg->other_seen = now;
	}
	ev.u.pkt.msg = &msg;
	ev.u.pkt.raw = p;
	ev.u.pkt.len = udp->len;
	memcpy(ev.u.pkt.src_ip6, ip->src, 16);
	run_event(gg, &ev, now);
out:
	rte_pktmbuf_free(m);
}

/* Tell the engines what changed on port: its groups, and their trackers. */
static void
if_update(uint16_t port, tw_time_t now)
{
	struct hsrp_event ev;
	bool up = hg.link_known[port] && hg.link_up[port] && !hg.admin_down[port];
	bool first = !hg.up_known[port];
	unsigned int i, t;

	if (!first && hg.up[port] == up)
		return;
	hg.up_known[port] = true;
	hg.up[port] = up;
	for (i = 0; i < hg.n; i++) {
		struct hsrp_glue_group *gg = &hg.grp[i];

		for (t = 0; t < gg->g.cfg.n_track; t++) {
			if (gg->g.cfg.track[t].id != port || (first && up))
				continue;
			ev.type = up ? HSRP_EV_TRACK_UP : HSRP_EV_TRACK_DOWN;
			ev.u.track_id = port;
			run_event(gg, &ev, now);
		}
		/* Groups start with their interface down. */
		if (gg->port != port || (first && !up))
			continue;
		ev.type = up ? HSRP_EV_IF_UP : HSRP_EV_IF_DOWN;
		if (up)
			gg->up_at = now;
		run_event(gg, &ev, now);
	}
}

static void
on_link(struct ctl *ctl TW_UNUSED, void *arg TW_UNUSED, uint16_t port, bool up,
	bool first TW_UNUSED, tw_time_t now)
{
	if (port >= DP_MAX_PORTS)
		return;
	hg.link_known[port] = true;
	hg.link_up[port] = up;
	if_update(port, now);
}

int
hsrp_glue_if_admin(uint16_t port, bool up)
{
	if (hg.ctl == NULL || port >= dp_n_ports())
		return -EINVAL;
	if (hg.admin_down[port] == !up)
		return 0;
	hg.admin_down[port] = !up;
	tw_log(TW_LOG_NOTICE, "hsrp", "interface %s administratively %s",
	       dp_port(port)->name, up ? "up" : "down");
	if (hg.link_known[port])
		if_update(port, ctl_now());
	return 0;
}

static void
config_from(const struct conf *c, uint16_t port, const struct conf_standby *cs,
	    struct hsrp_config *hc)
{
	const struct conf_iface *ifc = &c->ifaces[port];
	struct rte_ether_addr mac;
	unsigned int t;

	hsrp_config_defaults(hc, cs->version, cs->group);
	snprintf(hc->name, sizeof(hc->name), "%s", cs->name);
	/* Logs only: long interface names are cut. */
	snprintf(hc->ifname, sizeof(hc->ifname), "%.*s",
		 (int)sizeof(hc->ifname) - 1, ifc->name);
	hc->vip = cs->vip;
	hc->priority = cs->priority;
	hc->preempt = cs->preempt;
	hc->preempt_delay_min_ms = cs->delay_minimum_ms;
	hc->preempt_delay_reload_ms = cs->delay_reload_ms;
	hc->timers_set = cs->timers_set;
	hc->hello_ms = cs->hello_ms;
	hc->hold_ms = cs->hold_ms;
	if (cs->auth == CONF_STANDBY_AUTH_MD5) {
		hc->auth = HSRP_AUTH_MD5;
		snprintf(hc->md5_key, sizeof(hc->md5_key), "%s", cs->md5_key);
		hc->md5_key_id = cs->md5_key_id;
	} else {
		hc->auth = HSRP_AUTH_TEXT;
		snprintf(hc->auth_text, sizeof(hc->auth_text), "%s",
			 cs->auth_text);
	}
	for (t = 0; t < cs->n_track; t++) {
		const struct conf_iface *ti = conf_iface_find(c, cs->track[t].iface);

		/* Config interface i is dp port i (install.h). */
		hc->track[hc->n_track].id = (uint32_t)(ti - c->ifaces);
		hc->track[hc->n_track].decrement = cs->track[t].decrement;
		hc->n_track++;
	}
	hc->vmac_set = cs->mac_set;
	memcpy(hc->vmac, cs->mac, sizeof(hc->vmac));
	hc->if_ip = ifc->addr;
	dp_port_mac(port, &mac);
	memcpy(hc->if_mac, mac.addr_bytes, sizeof(hc->if_mac));
	if (cs->af == TW_AF_INET6) {
		hc->af = TW_AF_INET6;
		/* The source of HSRP for IPv6: the port's link-local. */
		tw_addr6_link_local(mac.addr_bytes, hc->if_ip6);
		if (cs->ll6_set)
			memcpy(hc->vip6, cs->ll6, 16);
	}
}

unsigned int
hsrp_glue_reconfigure(const struct conf *c, tw_time_t now)
{
	struct hsrp_event ev = { .type = HSRP_EV_PRIORITY };
	const struct conf_standby *cs;
	struct hsrp_glue_group *gg;
	unsigned int i, j, k = 0, n = 0;
	bool changed;

	for (i = 0; i < c->n_ifaces; i++) {
		for (j = 0; j < c->ifaces[i].n_standby && k < hg.n; j++, k++) {
			cs = &c->ifaces[i].standby[j];
			gg = &hg.grp[k];
			changed = false;
			if (gg->g.cfg.preempt != cs->preempt ||
			    gg->g.cfg.preempt_delay_min_ms != cs->delay_minimum_ms ||
			    gg->g.cfg.preempt_delay_reload_ms !=
			    cs->delay_reload_ms) {
				gg->g.cfg.preempt = cs->preempt;
				gg->g.cfg.preempt_delay_min_ms = cs->delay_minimum_ms;
				gg->g.cfg.preempt_delay_reload_ms =
					cs->delay_reload_ms;
				changed = true;
			}
			if (gg->g.cfg.priority != cs->priority) {
				ev.u.priority = cs->priority;
				run_event(gg, &ev, now);
				changed = true;
			}
			gg->cs = cs;
			if (!changed)
				continue;
			n++;
			tw_log(TW_LOG_NOTICE, "hsrp",
			       "%s Grp %u: reconfigured: priority %u, preempt %s (delay minimum %u ms, reload %u ms)",
			       gg->g.cfg.ifname, gg->g.cfg.group,
			       gg->g.cfg.priority,
			       gg->g.cfg.preempt ? "on" : "off",
			       gg->g.cfg.preempt_delay_min_ms,
			       gg->g.cfg.preempt_delay_reload_ms);
		}
	}
	return n;
}

int
hsrp_glue_init(struct ctl *ctl, char *err, size_t errlen)
{
	const struct conf *c = ctl->conf;
	struct hsrp_glue_group *gg;
	struct hsrp_config hc;
	char why[160];
	uint32_t min_hold = UINT32_MAX;
	unsigned int i, j, t;
	int rc;

	memset(&hg, 0, sizeof(hg));
	hg.ctl = ctl;
	hsrp_split_init(&hg.split, &ctl->heap);
	for (i = 0; i < c->n_ifaces; i++) {
		for (j = 0; j < c->ifaces[i].n_standby; j++) {
			const struct conf_standby *cs = &c->ifaces[i].standby[j];

			if (hg.n == HSRP_GLUE_MAX_GROUPS) {
				snprintf(err, errlen, "%s:%d: more than %u standby groups",
					 c->path, cs->line, HSRP_GLUE_MAX_GROUPS);
				return -ENOSPC;
			}
			gg = &hg.grp[hg.n];
			config_from(c, (uint16_t)i, cs, &hc);
			rc = hsrp_group_init(&gg->g, &hc, why, sizeof(why));
			if (rc < 0) {
				snprintf(err, errlen, "%s:%d: standby group %u: %s",
					 c->path, cs->line, cs->group, why);
				return rc;
			}
			gg->ctl = ctl;
			gg->cs = cs;
			gg->port = (uint16_t)i;
			for (t = 0; t < HSRP_TIMER_MAX; t++) {
				gg->timer[t].gg = gg;
				gg->timer[t].which = (enum hsrp_timer)t;
				tw_deadline_init(&gg->timer[t].dl, timer_fire,
						 &gg->timer[t]);
			}
			tw_deadline_init(&gg->garp_dl, garp_fire, gg);
			/* Not ours until Active: the fast path drops it.
			 * IPv6: the port punts HSRP and NS for nd_vip.c. */
			if (cs->af == TW_AF_INET6) {
				rc = dp_port_hsrp6(gg->port, true);
				if (rc == 0)
					rc = vip6_fast_path(gg, false);
			} else {
				rc = dp_local_addr_set(gg->port, cs->vip,
						       false);
			}
			if (rc < 0) {
				snprintf(err, errlen, "%s:%d: standby group %u: virtual IP: %s",
					 c->path, cs->line, cs->group,
					 strerror(-rc));
				return rc;
			}
			if (cs->hold_ms < min_hold)
				min_hold = cs->hold_ms;
			hg.n++;
		}
	}
	if (hg.n == 0)
		return 0;
	rc = ctl_udp_register(ctl, HSRP_UDP_PORT, udp_input, NULL);
	if (rc < 0) {
		snprintf(err, errlen, "cannot listen on UDP %u: %s",
			 HSRP_UDP_PORT, strerror(-rc));
		return rc;
	}
	rc = ctl_udp6_register(ctl, HSRP_V6_UDP_PORT, udp6_input, NULL);
	if (rc < 0) {
		snprintf(err, errlen, "cannot listen on UDP/IPv6 %u: %s",
			 HSRP_V6_UDP_PORT, strerror(-rc));
		return rc;
	}
	/* A link loss must count long before the hold time runs out. */
	ctl->link_poll = TW_MSEC(min_hold) / LINK_POLL_PER_HOLD;
	if (ctl->link_poll < LINK_POLL_MIN)
		ctl->link_poll = LINK_POLL_MIN;
	if (ctl->link_poll > CTL_LINK_POLL)
		ctl->link_poll = CTL_LINK_POLL;
	ctl->link_fn = on_link;
	ctl->link_arg = NULL;
	ctl_commit_later(ctl);
	tw_log(TW_LOG_INFO, "hsrp", "%u standby group%s, link poll every %llu ms",
	       hg.n, hg.n == 1 ? "" : "s",
	       (unsigned long long)(ctl->link_poll / TW_NSEC_PER_MSEC));
	return 0;
}

void
hsrp_glue_fini(void)
{
	struct hsrp_event ev = { .type = HSRP_EV_ADMIN_SHUTDOWN };
	unsigned int i, t;

	if (hg.ctl == NULL)
		return;
	for (i = 0; i < hg.n; i++) {
		struct hsrp_glue_group *gg = &hg.grp[i];

		/* An Active group resigns: the twin takes over at once. */
		run_event(gg, &ev, ctl_now());
		for (t = 0; t < HSRP_TIMER_MAX; t++)
			tw_heap_cancel(&hg.ctl->heap, &gg->timer[t].dl);
		tw_heap_cancel(&hg.ctl->heap, &gg->garp_dl);
		if (gg->cs->af != TW_AF_INET6) {
			dp_local_addr_del(gg->port, gg->cs->vip);
		} else {
			dp_port_hsrp6(gg->port, false);
			for (t = 0; t < gg->cs->n_gvip6; t++)
				dp_local_addr6_del(gg->port,
						   gg->cs->gvip6[t].addr.v6);
		}
	}
	/*
	 * Where worker 0 drains the control TX ring (dp_port.c), give it a
	 * few of its longest naps to send the Resigns before it is stopped.
	 */
	if (hg.n > 0)
		nanosleep(&(struct timespec){ .tv_nsec = 5000000 }, NULL);
	hsrp_split_fini(&hg.split);
	hg.ctl->link_fn = NULL;
	hg.n = 0;
	hg.n_lis = 0;
	hg.ctl = NULL;
}

int
hsrp_glue_group_state(const char *name, enum hsrp_state *state)
{
	unsigned int i;

	if (name == NULL || name[0] == '\0')
		return -ENOENT;
	for (i = 0; i < hg.n; i++) {
		if (strcmp(hg.grp[i].cs->name, name) == 0) {
			*state = hg.grp[i].g.state;
			return 0;
		}
	}
	return -ENOENT;
}

unsigned int
hsrp_glue_resign(void)
{
	struct hsrp_event ev = { .type = HSRP_EV_ADMIN_RESIGN };
	unsigned int i, n = 0;

	/* All of them: the twin's groups must move together (split). */
	for (i = 0; i < hg.n; i++) {
		if (hg.grp[i].g.state != HSRP_STATE_ACTIVE)
			continue;
		run_event(&hg.grp[i], &ev, ctl_now());
		n++;
	}
	return n;
}

int
hsrp_glue_follow(const char *lead, bool active, enum hsrp_follow lead_follow)
{
	struct hsrp_event ev = { .type = HSRP_EV_FOLLOW };
	unsigned int i;

	if (hg.ctl == NULL)
		return 0;
	for (i = 0; i < hg.n; i++) {
		struct hsrp_glue_group *gg = &hg.grp[i];
		bool is_lead = lead != NULL && strcmp(gg->cs->name, lead) == 0;

		if (lead == NULL)
			ev.u.follow = HSRP_FOLLOW_NONE;
		else if (is_lead)
			ev.u.follow = lead_follow;
		else
			ev.u.follow = active ? HSRP_FOLLOW_ACTIVE :
				HSRP_FOLLOW_STANDBY;
		if (gg->g.follow == ev.u.follow)
			continue;
		tw_log(TW_LOG_INFO, "hsrp", "%s Grp %u: follows %s (%s)",
		       gg->g.cfg.ifname, gg->g.cfg.group,
		       is_lead ? "the redundancy role" :
		       lead != NULL ? lead : "nothing",
		       hsrp_follow_name(ev.u.follow));
		run_event(gg, &ev, ctl_now());
	}
	return 0;
}

tw_time_t
hsrp_glue_up_at(const char *name)
{
	unsigned int i;

	for (i = 0; i < hg.n; i++)
		if (name != NULL && strcmp(hg.grp[i].cs->name, name) == 0)
			return hg.grp[i].up_at;
	return 0;
}

/* The group's own address, either family. */
static bool
hsrp_glue_is_self(const struct hsrp_glue_group *gg, const struct tw_addr *a)
{
	if (a->family == TW_AF_INET6)
		return memcmp(a->v6, gg->g.cfg.if_ip6, 16) == 0;
	return a->family == TW_AF_INET && a->v4 == gg->g.cfg.if_ip;
}

bool
hsrp_glue_hears_active(const char *name, tw_time_t now)
{
	const struct hsrp_glue_group *gg;
	unsigned int i;

	for (i = 0; i < hg.n; i++) {
		gg = &hg.grp[i];
		if (name == NULL || strcmp(gg->cs->name, name) != 0)
			continue;
		return gg->g.state != HSRP_STATE_ACTIVE &&
			gg->g.active.family != TW_AF_NONE &&
			!hsrp_glue_is_self(gg, &gg->g.active) &&
			gg->active_seen != 0 &&
			now - gg->active_seen < TW_MSEC(gg->g.hold_ms);
	}
	return false;
}

bool
hsrp_glue_hears_other_active(const char *name, tw_time_t now)
{
	const struct hsrp_glue_group *gg;
	unsigned int i;

	for (i = 0; i < hg.n; i++) {
		gg = &hg.grp[i];
		if (name != NULL && strcmp(gg->cs->name, name) == 0)
			return gg->other_seen != 0 &&
				now - gg->other_seen < TW_MSEC(gg->g.hold_ms);
	}
	return false;
}

uint32_t
hsrp_glue_active_heard(const char *name, tw_time_t *at)
{
	unsigned int i;

	*at = 0;
	for (i = 0; i < hg.n; i++) {
		if (name != NULL && strcmp(hg.grp[i].cs->name, name) == 0) {
			*at = hg.grp[i].active_seen;
			return hg.grp[i].g.active_ip;
		}
	}
	return 0;
}

uint32_t
hsrp_glue_hold_ms(const char *name)
{
	unsigned int i;

	for (i = 0; i < hg.n; i++)
		if (name != NULL && strcmp(hg.grp[i].cs->name, name) == 0)
			return hg.grp[i].g.hold_ms;
	return 0;
}

int
hsrp_glue_active_gone(const char *name)
{
	struct hsrp_event ev = { .type = HSRP_EV_ACTIVE_GONE };
	unsigned int i;

	for (i = 0; i < hg.n; i++) {
		if (name == NULL || strcmp(hg.grp[i].cs->name, name) != 0)
			continue;
		if (hg.grp[i].g.state == HSRP_STATE_ACTIVE ||
		    hg.grp[i].g.active.family == TW_AF_NONE)
			return 0;
		tw_log(TW_LOG_NOTICE, "hsrp",
		       "%s Grp %u: the twin left Active (sync channel): its resign",
		       hg.grp[i].g.cfg.ifname, hg.grp[i].g.cfg.group);
		run_event(&hg.grp[i], &ev, ctl_now());
		return 1;
	}
	return -ENOENT;
}

int
hsrp_glue_listen(hsrp_glue_state_fn fn, void *arg)
{
	if (fn == NULL)
		return -EINVAL;
	if (hg.n_lis == HSRP_GLUE_MAX_LISTENERS)
		return -ENOSPC;
	hg.lis[hg.n_lis].fn = fn;
	hg.lis[hg.n_lis].arg = arg;
	hg.n_lis++;
	return 0;
}

const struct hsrp_glue_group *
hsrp_glue_next(const struct hsrp_glue_group *prev)
{
	unsigned int i = prev == NULL ? 0 :
		(unsigned int)(prev - hg.grp) + 1;

	return i < hg.n ? &hg.grp[i] : NULL;
}

const struct hsrp_split *
hsrp_glue_split(void)
{
	return &hg.split;
}

unsigned int
hsrp_glue_count(void)
{
	return hg.n;
}

const struct hsrp_glue_counters *
hsrp_glue_counters(void)
{
	return &hg.cnt;
}
