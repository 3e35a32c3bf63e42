/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * show standby [brief]. The HSRP issue provides ops->standby; until then
 * no group exists, and IOS prints nothing when no group is configured.
 */
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

static int
show_standby(const struct cli_call *c)
{
	char v[CLI_IP_STRLEN], a[CLI_IP_STRLEN], s[CLI_IP_STRLEN];
	bool brief = strstr(c->command, "brief") != NULL;
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

		cli_ip(g->vip, v);
		cli_ip(g->active, a);
		cli_ip(g->standby, s);
		if (brief) {
			cli_out(c, "%-11s %-4u %-3u %c %-7s %-15s %-15s %s",
				g->iface, g->group, g->priority,
				g->preempt ? 'P' : ' ', g->state,
				g->active == 0 ? "local" : a,
				g->standby == 0 ? "unknown" : s, v);
			continue;
		}
		cli_out(c, "%s - Group %u\n  State is %s\n  Virtual IP address is %s\n"
			"  Active router is %s\n  Standby router is %s\n"
			"  Priority %u (default 100)%s",
			g->iface, g->group, g->state, v,
			g->active == 0 ? "local" : a,
			g->standby == 0 ? "unknown" : s, g->priority,
			g->preempt ? "\n  Preemption enabled" : "");
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
