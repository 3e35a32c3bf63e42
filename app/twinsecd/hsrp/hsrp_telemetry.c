/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * /twinsec/standby: every HSRP group (IOS "show standby" as data), the
 * split detector, and the packets no group took. Filled on the control
 * lcore through ctl_call(), like the endpoints of telemetry.c.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_telemetry.h>

#include "hsrp_glue.h"
#include "hsrp_telemetry.h"
#include "ctl_telemetry.h"
#include "tw_compiler.h"
#include "tw_log.h"

static void
ip_str(char *buf, size_t len, uint32_t a)
{
	snprintf(buf, len, "%u.%u.%u.%u", a >> 24, (a >> 16) & 0xff,
		 (a >> 8) & 0xff, a & 0xff);
}

/* "local", the router's address, or "unknown" (IOS wording). */
static void
router_str(char *buf, size_t len, uint32_t ip, uint32_t ours)
{
	if (ip == 0)
		snprintf(buf, len, "unknown");
	else if (ip == ours)
		snprintf(buf, len, "local");
	else
		ip_str(buf, len, ip);
}


/* Either family: IPv6 groups know their routers by link-local address. */
static void
router_addr_str(char *buf, size_t len, const struct hsrp_group *g,
		const struct tw_addr *a)
{
	if (g->cfg.af != TW_AF_INET6) {
		router_str(buf, len, a->family == TW_AF_INET ? a->v4 : 0,
			   g->cfg.if_ip);
		return;
	}
	if (a->family == TW_AF_NONE)
		snprintf(buf, len, "unknown");
	else if (memcmp(a->v6, g->cfg.if_ip6, 16) == 0)
		snprintf(buf, len, "local");
	else
		tw_addr_str(a, buf, len);
}

static int
fill_group(struct rte_tel_data *c, const struct hsrp_glue_group *gg,
	   tw_time_t now)
{
	const struct hsrp_group *g = &gg->g;
	const struct hsrp_counters *k = &g->cnt;
	char buf[64];

	rte_tel_data_start_dict(c);
	rte_tel_data_add_dict_string(c, "interface", g->cfg.ifname);
	CTL_TEL_U64(c, "group", g->cfg.group);
	CTL_TEL_U64(c, "version", g->cfg.version);
	rte_tel_data_add_dict_string(c, "name", g->cfg.name);
	rte_tel_data_add_dict_string(c, "state", hsrp_state_name(g->state));
	if (g->cfg.af == TW_AF_INET6)
		tw_addr6_str(g->vip6, buf, sizeof(buf));
	else
		ip_str(buf, sizeof(buf), g->vip);
	rte_tel_data_add_dict_string(c, "vip", buf);
	CTL_TEL_U64(c, "address_family", g->cfg.af == TW_AF_INET6 ? 6 : 4);
	snprintf(buf, sizeof(buf), "%02x%02x.%02x%02x.%02x%02x", g->vmac[0],
		 g->vmac[1], g->vmac[2], g->vmac[3], g->vmac[4], g->vmac[5]);
	rte_tel_data_add_dict_string(c, "vmac", buf);
	rte_tel_data_add_dict_string(c, "vip_owned",
				     gg->vip_claimed ? "yes" : "no");
	CTL_TEL_U64(c, "priority", g->priority);
	CTL_TEL_U64(c, "priority_configured", g->cfg.priority);
	rte_tel_data_add_dict_string(c, "preempt",
				     g->cfg.preempt ? "enabled" : "disabled");
	CTL_TEL_U64(c, "hello_ms", g->hello_ms);
	CTL_TEL_U64(c, "hold_ms", g->hold_ms);
	rte_tel_data_add_dict_string(c, "interface_up",
				     g->if_up && !g->admin_down ? "yes" : "no");
	router_addr_str(buf, sizeof(buf), g, &g->active);
	rte_tel_data_add_dict_string(c, "active_router", buf);
	CTL_TEL_U64(c, "active_priority", g->active_prio);
	router_addr_str(buf, sizeof(buf), g, &g->standby);
	rte_tel_data_add_dict_string(c, "standby_router", buf);
	CTL_TEL_U64(c, "standby_priority", g->standby_prio);
	CTL_TEL_U64(c, "last_change_ms_ago", g->last_change == 0 || now < g->last_change ?
	     0 : (now - g->last_change) / TW_NSEC_PER_MSEC);
	rte_tel_data_add_dict_string(c, "last_reason",
				     g->last_reason != NULL ? g->last_reason : "");
	CTL_TEL_U64(c, "state_changes", k->state_changes);
	CTL_TEL_U64(c, "hellos_in", k->hellos_in);
	CTL_TEL_U64(c, "hellos_out", k->hellos_out);
	CTL_TEL_U64(c, "coups_in", k->coups_in);
	CTL_TEL_U64(c, "coups_out", k->coups_out);
	CTL_TEL_U64(c, "resigns_in", k->resigns_in);
	CTL_TEL_U64(c, "resigns_out", k->resigns_out);
	CTL_TEL_U64(c, "auth_failures", k->auth_failures);
	CTL_TEL_U64(c, "bad_packets", k->bad_packets);
	CTL_TEL_U64(c, "timers_ignored", k->timers_ignored);
	CTL_TEL_U64(c, "ignored", k->ignored);
	CTL_TEL_U64(c, "vip_mismatch", k->vip_mismatch);
	CTL_TEL_U64(c, "illegal_transitions", k->illegal_transitions);
	CTL_TEL_U64(c, "tx", gg->cnt.tx);
	CTL_TEL_U64(c, "tx_errors", gg->cnt.tx_errors);
	CTL_TEL_U64(c, "gratuitous_arps", gg->cnt.garps);
	CTL_TEL_U64(c, "vip_claims", gg->cnt.vip_claims);
	CTL_TEL_U64(c, "vip_releases", gg->cnt.vip_releases);
	return 0;
}

static void
fill_standby(struct ctl *ctl TW_UNUSED, void *arg)
{
	struct ctl_tel_req *r = arg;
	const struct hsrp_glue_group *gg;
	const struct hsrp_split *sp = hsrp_glue_split();
	const struct hsrp_glue_counters *gc = hsrp_glue_counters();
	struct rte_tel_data *c;
	tw_time_t now = ctl_now();
	char key[64];
	unsigned int i;

	rte_tel_data_start_dict(r->d);
	for (gg = hsrp_glue_next(NULL); gg != NULL; gg = hsrp_glue_next(gg)) {
		c = rte_tel_data_alloc();
		if (c == NULL) {
			r->rc = -ENOMEM;
			return;
		}
		fill_group(c, gg, now);
		/* Keys: letters, digits, '_' and '/' only. */
		snprintf(key, sizeof(key), "%s_%u", gg->g.cfg.ifname,
			 gg->g.cfg.group);
		for (i = 0; key[i] != '\0'; i++)
			if (!((key[i] >= 'a' && key[i] <= 'z') ||
			      (key[i] >= 'A' && key[i] <= 'Z') ||
			      (key[i] >= '0' && key[i] <= '9')))
				key[i] = '_';
		rte_tel_data_add_dict_container(r->d, key, c, 0);
	}
	c = rte_tel_data_alloc();
	if (c == NULL) {
		r->rc = -ENOMEM;
		return;
	}
	rte_tel_data_start_dict(c);
	rte_tel_data_add_dict_string(c, "split", sp->declared ? "yes" :
				     sp->split ? "settling" : "no");
	CTL_TEL_U64(c, "splits", sp->count);
	CTL_TEL_U64(c, "split_ms", sp->split ? (now - sp->since) / TW_NSEC_PER_MSEC : 0);
	CTL_TEL_U64(c, "groups", hsrp_glue_count());
	CTL_TEL_U64(c, "rx_malformed", gc->rx_malformed);
	CTL_TEL_U64(c, "rx_bad_addr", gc->rx_bad_addr);
	CTL_TEL_U64(c, "rx_no_group", gc->rx_no_group);
	rte_tel_data_add_dict_container(r->d, "summary", c, 0);
}

static int
tel_standby(const char *cmd TW_UNUSED, const char *params,
	    struct rte_tel_data *d)
{
	return ctl_telemetry_call(fill_standby, params, d);
}

/* ctl unused: ctl_telemetry_call() uses the one attached. */
int
hsrp_telemetry_init(struct ctl *ctl TW_UNUSED)
{
	int rc;

	rc = rte_telemetry_register_cmd("/twinsec/standby", tel_standby,
		"HSRP groups: state, routers, priority, VIP, VMAC, counters; split detector. Takes no parameters");
	if (rc < 0)
		tw_log(TW_LOG_WARNING, "telemetry",
		       "cannot register /twinsec/standby: %s", strerror(-rc));
	return rc;
}
