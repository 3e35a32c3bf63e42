/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The console's ops->standby: a snapshot of every HSRP group for
 * "show standby [brief]" (lib/cli/cli_hsrp.c), taken on the control lcore.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hsrp_cli.h"
#include "hsrp_glue.h"
#include "tw_compiler.h"

struct hsrp_cli_req {
	struct cli_hsrp_table *out;
	int rc;
};

static uint64_t
ms_left(tw_time_t at, tw_time_t now)
{
	if (at == TW_TIME_NEVER)
		return UINT64_MAX;
	return at <= now ? 0 : (at - now) / TW_NSEC_PER_MSEC;
}

static void
fill_standby(struct ctl *ctl TW_UNUSED, void *arg)
{
	struct hsrp_cli_req *r = arg;
	const struct hsrp_glue_group *gg;
	struct cli_hsrp_group *v;
	tw_time_t now = ctl_now();
	unsigned int n = hsrp_glue_count(), i = 0;

	if (n == 0)
		return;
	r->out->v = calloc(n, sizeof(*r->out->v));
	if (r->out->v == NULL) {
		r->rc = -ENOMEM;
		return;
	}
	for (gg = hsrp_glue_next(NULL); gg != NULL && i < n;
	     gg = hsrp_glue_next(gg), i++) {
		const struct hsrp_group *g = &gg->g;

		v = &r->out->v[i];
		snprintf(v->iface, sizeof(v->iface), "%s",
			 dp_port(gg->port)->name);
		v->group = g->cfg.group;
		v->version = g->cfg.version;
		snprintf(v->name, sizeof(v->name), "%s", gg->cs->name);
		snprintf(v->state, sizeof(v->state), "%s",
			 hsrp_state_name(g->state));
		v->priority = g->priority;
		v->priority_cfg = g->cfg.priority;
		v->preempt = g->cfg.preempt;
		v->vip = g->vip;
		v->active = g->active_ip;
		v->standby = g->standby_ip;
		v->active_local = g->state == HSRP_STATE_ACTIVE;
		v->standby_local = g->state == HSRP_STATE_STANDBY;
		v->active_prio = g->active_prio;
		v->standby_prio = g->standby_prio;
		memcpy(v->vmac, g->vmac, sizeof(v->vmac));
		v->vmac_cfg = g->cfg.vmac_set;
		v->hello_ms = g->hello_ms;
		v->hold_ms = g->hold_ms;
		v->next_hello_ms = ms_left(g->deadline[HSRP_TIMER_HELLO], now);
		v->active_expires_ms = ms_left(g->deadline[HSRP_TIMER_ACTIVE], now);
		v->standby_expires_ms = ms_left(g->deadline[HSRP_TIMER_STANDBY],
						now);
		if (g->cfg.af == TW_AF_INET6) {
			unsigned int k;

			v->ipv6 = true;
			v->vip6.family = TW_AF_INET6;
			memcpy(v->vip6.v6, g->vip6, 16);
			v->active6 = g->active;
			v->standby6 = g->standby;
			for (k = 0; k < gg->cs->n_gvip6 &&
			     k < CLI_HSRP_MAX_GVIP6; k++)
				v->gvip6[k] = gg->cs->gvip6[k];
			v->n_gvip6 = k;
		}
		v->state_changes = g->cnt.state_changes;
		v->last_change_s = g->last_change == 0 || now < g->last_change ?
			0 : (now - g->last_change) / TW_NSEC_PER_SEC;
	}
	r->out->n = i;
}

int
hsrp_cli_standby(struct ctl *ctl, struct cli_hsrp_table *out)
{
	struct hsrp_cli_req r = { .out = out, .rc = 0 };
	int rc;

	memset(out, 0, sizeof(*out));
	rc = ctl_call(ctl, fill_standby, &r, CTL_CONSOLE_CALL_MS);
	if (rc == 0 && r.rc < 0)
		cli_table_free(out);
	return rc < 0 ? rc : r.rc;
}
