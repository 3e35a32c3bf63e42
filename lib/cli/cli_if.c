/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * show interfaces [brief | NAME], show ip interface brief, show arp,
 * clear counters [NAME] (show ip route: cli_route.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char *
status(const struct cli_iface *f)
{
	if (!f->admin_up)
		return "administratively down";
	return f->link_up ? "up" : "down";
}

static void
iface_detail(const struct cli_call *c, const struct cli_iface *f)
{
	char mac[16], ip[CLI_IP_STRLEN], up[96];

	cli_out(c, "%s is %s, line protocol is %s", f->name, status(f),
		f->admin_up && f->link_up ? "up" : "down");
	cli_out(c, "  Hardware is %s, address is %s (bia %s)", f->device,
		cli_mac(f->mac, mac), mac);
	cli_out(c, "  Description: %s interface", f->role);
	cli_out(c, "  Internet address is %s/%u", cli_ip(f->addr, ip),
		f->prefix_len);
	cli_out(c, "  MTU %u bytes, BW %llu Kbit/sec", f->mtu,
		(unsigned long long)f->speed_mbps * 1000);
	cli_out(c, "  Encapsulation ARPA");
	if (f->crypto_map[0] != '\0')
		cli_out(c, "  Crypto map %s", f->crypto_map);
	if (f->cp_name[0] != '\0')
		cli_out(c, "  Control-plane interface %s: %llu to kernel, %llu from kernel, %llu dropped",
			f->cp_name, (unsigned long long)f->cp_to_kernel,
			(unsigned long long)f->cp_from_kernel,
			(unsigned long long)f->cp_dropped);
	if (f->cleared)
		cli_out(c, "  Last clearing of \"show interface\" counters %s ago",
			cli_uptime(f->cleared_s, up, sizeof(up)));
	else
		cli_out(c, "  Last clearing of \"show interface\" counters never");
	cli_out(c, "     %llu packets input, %llu bytes, 0 no buffer",
		(unsigned long long)f->ipackets, (unsigned long long)f->ibytes);
	cli_out(c, "     %llu input errors, %llu missed",
		(unsigned long long)f->ierrors, (unsigned long long)f->imissed);
	cli_out(c, "     %llu packets output, %llu bytes",
		(unsigned long long)f->opackets, (unsigned long long)f->obytes);
	cli_out(c, "     %llu output errors",
		(unsigned long long)f->oerrors);
}

static void
iface_brief(const struct cli_call *c, const struct cli_iface_table *t)
{
	char ip[CLI_IP_STRLEN];
	unsigned int i;

	cli_out(c, "Interface              IP-Address      OK? Method Status                Protocol");
	for (i = 0; i < t->n; i++) {
		const struct cli_iface *f = &t->v[i];

		cli_out(c, "%-22s %-15s YES manual %-21s %s", f->name,
			cli_ip(f->addr, ip), status(f),
			f->admin_up && f->link_up ? "up" : "down");
	}
}

static int
get_ifaces(const struct cli_call *c, struct cli_iface_table *t)
{
	int rc;

	memset(t, 0, sizeof(*t));
	rc = c->s->ops->interfaces(c->s->ctx, t);
	if (rc < 0)
		cli_err_op(c, "interfaces", rc, NULL);
	return rc;
}

static int
show_interfaces(const struct cli_call *c)
{
	struct cli_iface_table t;
	bool brief = strstr(c->command, "brief") != NULL;
	unsigned int i, shown = 0;

	if (get_ifaces(c, &t) < 0)
		return CLI_ERROR;
	if (strstr(c->command, "ipv6") != NULL) {
		cli_iface6_brief(c, &t);
	} else if (brief) {
		iface_brief(c, &t);
	} else {
		for (i = 0; i < t.n; i++) {
			if (c->argc == 1 && strcmp(c->argv[0], t.v[i].name) != 0)
				continue;
			iface_detail(c, &t.v[i]);
			shown++;
		}
		if (c->argc == 1 && shown == 0) {
			cli_table_free(&t);
			cli_err_arg(c, 0);
			return CLI_ERROR;
		}
	}
	cli_table_free(&t);
	return CLI_OK;
}

static int
arp_cmp(const void *a, const void *b)
{
	const struct cli_arp *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static int
show_arp(const struct cli_call *c)
{
	struct cli_arp_table t = { 0 };
	char a[CLI_IP_STRLEN], mac[16], age[24];
	unsigned int i;
	int rc;

	rc = c->s->ops->arp(c->s->ctx, &t);
	if (rc < 0) {
		cli_err_op(c, "show arp", rc, NULL);
		return CLI_ERROR;
	}
	if (t.n > 1) /* v may be NULL when empty: not for qsort() */
		qsort(t.v, t.n, sizeof(t.v[0]), arp_cmp);
	cli_out(c, "Protocol  Address          Age (min)  Hardware Addr   Type   Interface");
	for (i = 0; i < t.n; i++) {
		const struct cli_arp *e = &t.v[i];
		bool known = e->state == CLI_ARP_LOCAL ||
			e->state == CLI_ARP_REACHABLE ||
			e->state == CLI_ARP_PROBE;

		if (e->state == CLI_ARP_LOCAL)
			snprintf(age, sizeof(age), "-");
		else
			snprintf(age, sizeof(age), "%llu",
				 (unsigned long long)(e->age_s / 60));
		cli_out(c, "Internet  %-16s %9s   %-14s  ARPA   %s",
			cli_ip(e->addr, a), age,
			known ? cli_mac(e->mac, mac) :
			e->state == CLI_ARP_FAILED ? "Failed" : "Incomplete",
			known ? e->iface : "");
	}
	cli_table_free(&t);
	return CLI_OK;
}

static int
clear_counters(const struct cli_call *c)
{
	char err[256] = "";
	int rc;

	rc = c->s->ops->clear_counters(c->s->ctx,
				       c->argc == 1 ? c->argv[0] : NULL, err,
				       sizeof(err));
	if (rc == -ENOENT) {
		cli_err_arg(c, 0);
		return CLI_ERROR;
	}
	if (rc < 0) {
		cli_err_op(c, "clear counters", rc, err);
		return CLI_ERROR;
	}
	return CLI_OK;
}

static const struct cli_cmd if_cmds[] = {
	{ "show interfaces", "Interface status and configuration",
	  show_interfaces, CLI_PRIV_USER, CLI_MODE_EXEC, 0, 1, "NAME" },
	{ "show interfaces brief", "Brief summary of interfaces",
	  show_interfaces, CLI_PRIV_USER, CLI_MODE_EXEC, 0, 0, NULL },
	{ "show ip", "IP information", NULL, CLI_PRIV_USER, CLI_MODE_EXEC,
	  0, 0, NULL },
	{ "show ip interface", "IP interface status and configuration", NULL,
	  CLI_PRIV_USER, CLI_MODE_EXEC, 0, 0, NULL },
	{ "show ip interface brief", "Brief summary of IP status",
	  show_interfaces, CLI_PRIV_USER, CLI_MODE_EXEC, 0, 0, NULL },
	{ "show ipv6", "IPv6 information", NULL, CLI_PRIV_USER,
	  CLI_MODE_EXEC, 0, 0, NULL },
	{ "show ipv6 interface", "IPv6 interface status and configuration",
	  NULL, CLI_PRIV_USER, CLI_MODE_EXEC, 0, 0, NULL },
	{ "show ipv6 interface brief", "Brief summary of IPv6 status",
	  show_interfaces, CLI_PRIV_USER, CLI_MODE_EXEC, 0, 0, NULL },
	{ "show ipv6 neighbors", "Show IPv6 neighbor cache entries",
	  cli_show_ipv6_neighbors, CLI_PRIV_USER, CLI_MODE_EXEC, 0, 0, NULL },
	{ "show ipv6 route", "Show IPv6 route table entries",
	  cli_show_ipv6_route, CLI_PRIV_USER, CLI_MODE_EXEC, 0, 0, NULL },
	{ "show arp", "ARP table", show_arp, CLI_PRIV_USER, CLI_MODE_EXEC,
	  0, 0, NULL },
	{ "clear", "Reset functions", NULL, CLI_PRIV_ADMIN, CLI_MODE_EXEC,
	  0, 0, NULL },
	{ "clear counters", "Clear counters on one or all interfaces",
	  clear_counters, CLI_PRIV_ADMIN, CLI_MODE_EXEC, 0, 1, "NAME" },
};

int
cli_if_register(struct cli_sess *s)
{
	return cli_cmds_register(s, if_cmds,
				 sizeof(if_cmds) / sizeof(if_cmds[0]));
}
