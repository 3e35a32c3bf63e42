/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * show running-config, the twin pair's part: the interfaces' "standby"
 * lines (HSRP), "redundancy inter-device" and "ipc zone default", in the
 * order and spelling IOS writes them. Authentication strings and the sync
 * key are masked.
 */
#include <stdio.h>
#include <string.h>

#include "cli_runconf.h"

static void
render_group(const struct conf_standby *g, struct cli_buf *b)
{
	char ip[TW_ADDR_STRLEN], mac[16];
	unsigned int i;

	if (g->af != TW_AF_INET6)
		cli_buf_printf(b, " standby %u ip %s\n", g->group,
			       cli_ip(g->vip, ip));
	else if (g->ll6_set)
		cli_buf_printf(b, " standby %u ipv6 %s\n", g->group,
			       cli_addr6(g->ll6, ip));
	else
		cli_buf_printf(b, " standby %u ipv6 autoconfig\n", g->group);
	for (i = 0; i < g->n_gvip6; i++)
		cli_buf_printf(b, " standby %u ipv6 %s/%u\n", g->group,
			       cli_addr6(g->gvip6[i].addr.v6, ip),
			       g->gvip6[i].len);
	if (g->timers_set)
		cli_buf_printf(b, " standby %u timers msec %u msec %u\n",
			       g->group, g->hello_ms, g->hold_ms);
	if (g->priority != 100)
		cli_buf_printf(b, " standby %u priority %u\n", g->group,
			       g->priority);
	if (g->preempt && (g->delay_minimum_ms != 0 ||
			   g->delay_reload_ms != 0))
		cli_buf_printf(b, " standby %u preempt delay minimum %u reload %u\n",
			       g->group, g->delay_minimum_ms / 1000,
			       g->delay_reload_ms / 1000);
	else if (g->preempt)
		cli_buf_printf(b, " standby %u preempt\n", g->group);
	if (g->auth == CONF_STANDBY_AUTH_MD5)
		cli_buf_printf(b, " standby %u authentication md5 key-string <removed>\n",
			       g->group);
	else if (strcmp(g->auth_text, "cisco") != 0)
		cli_buf_printf(b, " standby %u authentication <removed>\n",
			       g->group);
	if (g->name[0] != '\0')
		cli_buf_printf(b, " standby %u name %s\n", g->group, g->name);
	for (i = 0; i < g->n_track; i++)
		cli_buf_printf(b, " standby %u track %s decrement %u\n",
			       g->group, g->track[i].iface,
			       g->track[i].decrement);
	if (g->mac_set)
		cli_buf_printf(b, " standby %u mac-address %s\n", g->group,
			       cli_mac(g->mac, mac));
	cli_buf_printf(b, " twinsec standby %u garp count %u interval-ms %u\n",
		       g->group, g->garp_count, g->garp_interval_ms);
}

void
cli_runconf_standby(const struct conf *c, const struct conf_iface *f,
		    struct cli_buf *b)
{
	unsigned int i;

	(void)c;
	if (f->n_standby == 0)
		return;
	/* IOS: one "standby version" per interface, before the groups */
	if (f->standby[0].version == 2)
		cli_buf_printf(b, " standby version 2\n");
	for (i = 0; i < f->n_standby; i++)
		render_group(&f->standby[i], b);
}

/* The crypto map binding of an interface: with a standby group, IOS
 * "crypto map NAME redundancy GROUP [stateful]" (the SAs on the VIP;
 * stateful with a redundancy scheme, whose group is named when it is on
 * this interface). */
void
cli_runconf_iface_map(const struct conf *c, const struct conf_iface *f,
		      struct cli_buf *b)
{
	const char *grp = NULL;
	unsigned int i;

	if (f->crypto_map[0] == '\0')
		return;
	for (i = 0; i < f->n_standby; i++)
		if (c->redundancy.enabled &&
		    strcmp(f->standby[i].name, c->redundancy.scheme) == 0)
			grp = f->standby[i].name;
	if (grp == NULL && f->n_standby != 0 && f->standby[0].name[0] != '\0')
		grp = f->standby[0].name;
	if (grp == NULL)
		cli_buf_printf(b, " crypto map %s\n", f->crypto_map);
	else
		cli_buf_printf(b, " crypto map %s redundancy %s%s\n",
			       f->crypto_map, grp,
			       c->redundancy.enabled ? " stateful" : "");
}

static void
render_ips(const char *what, const struct tw_addr *a, unsigned int n,
	   struct cli_buf *b)
{
	char ip[TW_ADDR_STRLEN];
	unsigned int i;

	cli_buf_printf(b, "    %s", what);
	for (i = 0; i < n; i++)
		cli_buf_printf(b, " %s", tw_addr_str(&a[i], ip, sizeof(ip)));
	cli_buf_printf(b, "\n");
}

void
cli_runconf_redundancy(const struct conf *c, struct cli_buf *b)
{
	const struct conf_redundancy *r = &c->redundancy;
	const struct conf_ipc *p = &c->ipc;

	if (r->enabled) {
		cli_buf_printf(b, "redundancy inter-device\n");
		cli_buf_printf(b, " scheme standby %s\n", r->scheme);
		cli_buf_printf(b, " twinsec keepalive interval-ms %u threshold %u\n",
			       r->keepalive_ms, r->keepalive_threshold);
		if (r->insecure)
			cli_buf_printf(b, " twinsec security insecure\n");
		else if (r->security_set)
			cli_buf_printf(b, " twinsec security key <removed>\n");
		cli_buf_printf(b, "!\n");
	}
	if (!p->enabled)
		return;
	cli_buf_printf(b, "ipc zone default\n association 1\n  no shutdown\n");
	cli_buf_printf(b, "  protocol sctp\n   local-port %u\n", p->local_port);
	render_ips("local-ip", p->local_ip, p->n_local_ip, b);
	cli_buf_printf(b, "    retransmit-timeout %u %u\n", p->rto_min_ms,
		       p->rto_max_ms);
	cli_buf_printf(b, "    path-retransmit %u\n", p->path_retransmit);
	cli_buf_printf(b, "    assoc-retransmit %u\n", p->assoc_retransmit);
	cli_buf_printf(b, "   remote-port %u\n", p->remote_port);
	render_ips("remote-ip", p->remote_ip, p->n_remote_ip, b);
	cli_buf_printf(b, "  twinsec transport %s",
		       conf_ipc_transport_name(p->transport));
	if (p->transport != CONF_IPC_SCTP)
		cli_buf_printf(b, " udp-port %u remote-udp-port %u",
			       p->udp_encap_port, p->remote_udp_encap_port);
	cli_buf_printf(b, "\n!\n");
}
