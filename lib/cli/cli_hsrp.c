/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * show standby [brief], in IOS layout: one block per group (state, VIP,
 * virtual MAC, timers, preemption, active and standby routers with the
 * time their hold runs out, priority, name), or one line per group. The
 * daemon fills ops->standby (app/twinsecd/hsrp_cli.c); IOS prints nothing
 * when no group is configured.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static int
get_groups(const struct cli_call *c, struct cli_hsrp_table *t)
{
	int rc;

	memset(t, 0, sizeof(*t));
	if (c->s->ops->standby == NULL)
		return 0; /* no HSRP in this daemon: no group */
	rc = c->s->ops->standby(c->s->ctx, t);
	if (rc < 0)
		cli_err_op(c, "show standby", rc, NULL);
	return rc;
}

/* IOS: "3 sec" or "100 msec". */
static void
hsrp_time(uint32_t ms, char *buf, size_t len)
{
	if (ms % 1000 == 0)
		snprintf(buf, len, "%u sec", ms / 1000);
	else
		snprintf(buf, len, "%u msec", ms);
}

/* "local", the address, or "unknown". */
static const char *
router(bool local, uint32_t ip, char *buf)
{
	if (local)
		return "local";
	if (ip == 0)
		return "unknown";
	return cli_ip(ip, buf);
}

/* Either family: IPv6 groups print their IPv6 addresses, as IOS does. */
static const char *
router_g(const struct cli_hsrp_group *g, bool active, char *buf)
{
	const struct tw_addr *a = active ? &g->active6 : &g->standby6;

	if (!g->ipv6)
		return router(active ? g->active_local : g->standby_local,
			      active ? g->active : g->standby, buf);
	if (active ? g->active_local : g->standby_local)
		return "local";
	if (a->family == TW_AF_NONE)
		return "unknown";
	return cli_addr(a, buf);
}

static bool
known_g(const struct cli_hsrp_group *g, bool active)
{
	if (g->ipv6)
		return (active ? g->active6 : g->standby6).family !=
			TW_AF_NONE;
	return (active ? g->active : g->standby) != 0;
}

static const char *
vip_g(const struct cli_hsrp_group *g, char *buf)
{
	return g->ipv6 ? cli_addr(&g->vip6, buf) : cli_ip(g->vip, buf);
}

static void
show_one(const struct cli_call *c, const struct cli_hsrp_group *g)
{
	char v[TW_ADDR_STRLEN], r[TW_ADDR_STRLEN], mac[16], he[16], ho[16];
	char up[64];
	unsigned int i;

	cli_out(c, "%s - Group %u%s", g->iface, g->group,
		g->version == 2 ? " (version 2)" : "");
	cli_out(c, "  State is %s", g->state);
	snprintf(up, sizeof(up), "%02llu:%02llu:%02llu",
		 (unsigned long long)(g->last_change_s / 3600),
		 (unsigned long long)(g->last_change_s / 60 % 60),
		 (unsigned long long)(g->last_change_s % 60));
	cli_out(c, "    %llu state change%s, last state change %s",
		(unsigned long long)g->state_changes,
		g->state_changes == 1 ? "" : "s", up);
	cli_out(c, "  Virtual IP address is %s", vip_g(g, v));
	for (i = 0; i < g->n_gvip6; i++)
		cli_out(c, "    Secondary virtual IP address %s",
			cli_addr6(g->gvip6[i].addr.v6, v));
	cli_mac(g->vmac, mac);
	cli_out(c, "  Active virtual MAC address is %s%s", mac,
		strcmp(g->state, "Active") == 0 ? " (MAC In Use)" : "");
	cli_out(c, "    Local virtual MAC address is %s (%s)", mac,
		g->vmac_cfg ? "cfgd" : g->ipv6 ? "v2 IPv6 default" :
		g->version == 2 ? "v2 default" : "v1 default");
	hsrp_time(g->hello_ms, he, sizeof(he));
	hsrp_time(g->hold_ms, ho, sizeof(ho));
	cli_out(c, "  Hello time %s, hold time %s", he, ho);
	if (g->next_hello_ms != UINT64_MAX)
		cli_out(c, "    Next hello sent in %llu.%03llu secs",
			(unsigned long long)(g->next_hello_ms / 1000),
			(unsigned long long)(g->next_hello_ms % 1000));
	cli_out(c, "  Preemption %s", g->preempt ? "enabled" : "disabled");
	if (g->active_local || !known_g(g, true) ||
	    g->active_expires_ms == UINT64_MAX)
		cli_out(c, "  Active router is %s", router_g(g, true, r));
	else
		cli_out(c, "  Active router is %s, priority %u (expires in %llu.%03llu sec)",
			router_g(g, true, r), g->active_prio,
			(unsigned long long)(g->active_expires_ms / 1000),
			(unsigned long long)(g->active_expires_ms % 1000));
	if (g->standby_local || !known_g(g, false) ||
	    g->standby_expires_ms == UINT64_MAX)
		cli_out(c, "  Standby router is %s", router_g(g, false, r));
	else
		cli_out(c, "  Standby router is %s, priority %u (expires in %llu.%03llu sec)",
			router_g(g, false, r), g->standby_prio,
			(unsigned long long)(g->standby_expires_ms / 1000),
			(unsigned long long)(g->standby_expires_ms % 1000));
	cli_out(c, "  Priority %u (%s %u)", g->priority,
		g->priority_cfg == 100 ? "default" : "configured",
		g->priority_cfg);
	if (g->name[0] != '\0')
		cli_out(c, "  Group name is \"%s\" (cfgd)", g->name);
}

static int
show_standby(const struct cli_call *c)
{
	char v[TW_ADDR_STRLEN], a[TW_ADDR_STRLEN], s[TW_ADDR_STRLEN];
	bool brief = strstr(c->command, "brief") != NULL;
	const char *ra, *rs;
	struct cli_hsrp_table t;
	unsigned int i;

	if (get_groups(c, &t) < 0)
		return CLI_ERROR;
	if (brief && t.n != 0) {
		cli_out(c, "                     P indicates configured to preempt.");
		cli_out(c, "                     |");
		cli_out(c, "Interface   Grp  Pri P State   Active          Standby         Virtual IP");
	}
	for (i = 0; i < t.n; i++) {
		const struct cli_hsrp_group *g = &t.v[i];

		if (!brief) {
			show_one(c, g);
			continue;
		}
		ra = router_g(g, true, a);
		rs = router_g(g, false, s);
		vip_g(g, v);
		if (!g->ipv6 || (strlen(ra) <= 15 && strlen(rs) <= 15)) {
			cli_out(c, "%-11s %-4u %-3u %c %-7s %-15s %-15s %s",
				g->iface, g->group, g->priority,
				g->preempt ? 'P' : ' ', g->state, ra, rs, v);
			continue;
		}
		/* IOS: an IPv6 address too wide for its column wraps the
		 * rest of the row onto the next line, in the same column. */
		cli_out(c, "%-11s %-4u %-3u %c %-7s %s", g->iface, g->group,
			g->priority, g->preempt ? 'P' : ' ', g->state, ra);
		cli_out(c, "%-47s %s", "", rs);
		cli_out(c, "%-63s %s", "", v);
	}
	cli_table_free(&t);
	return CLI_OK;
}

static const struct cli_cmd hsrp_cmds[] = {
	{ "show standby", "Hot standby protocol information", show_standby,
	  CLI_PRIV_USER, CLI_MODE_EXEC, 0, 0, NULL },
	{ "show standby brief", "Brief output", show_standby, CLI_PRIV_USER,
	  CLI_MODE_EXEC, 0, 0, NULL },
};

int
cli_hsrp_register(struct cli_sess *s)
{
	return cli_cmds_register(s, hsrp_cmds,
				 sizeof(hsrp_cmds) / sizeof(hsrp_cmds[0]));
}
