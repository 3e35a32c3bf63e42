/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * show crypto isakmp sa [active | standby], clear crypto isakmp. The IKE
 * issue provides ops->ike_sas; until then keys are manual and there is no
 * IKE SA: the table is empty, as on an IOS box without ISAKMP peers.
 */
#include <string.h>

#include "cli.h"

static int
show_isakmp_sa(const struct cli_call *c)
{
	bool standby = strstr(c->command, "standby") != NULL;
	bool active = strstr(c->command, "active") != NULL;
	char d[CLI_IP_STRLEN], s[CLI_IP_STRLEN];
	struct cli_ike_table t = { 0 };
	unsigned int i;
	int rc;

	if (c->s->ops->ike_sas != NULL) {
		rc = c->s->ops->ike_sas(c->s->ctx, &t);
		if (rc < 0) {
			cli_err_op(c, "show crypto isakmp sa", rc, NULL);
			return CLI_ERROR;
		}
	}
	cli_out(c, "IPv4 Crypto ISAKMP SA");
	cli_out(c, "dst             src             state          conn-id slot status");
	for (i = 0; i < t.n; i++) {
		const struct cli_ike_sa *sa = &t.v[i];

		if ((active && sa->standby) || (standby && !sa->standby))
			continue;
		cli_out(c, "%-15s %-15s %-14s %7u %4u %s", cli_ip(sa->dst, d),
			cli_ip(sa->src, s), sa->state, sa->conn_id, 0,
			sa->standby ? "STDBY" : "ACTIVE");
	}
	cli_table_free(&t);
	return CLI_OK;
}

static int
clear_isakmp(const struct cli_call *c)
{
	/* No IKE SA exists before the IKE issue: nothing to clear. */
	(void)c;
	return CLI_OK;
}

static const struct cli_cmd ike_cmds[] = {
	{ "show crypto isakmp", "Show ISAKMP information", NULL, CLI_PRIV_USER,
	  CLI_MODE_EXEC, 0, 0, NULL },
	{ "show crypto isakmp sa", "ISAKMP SA table", show_isakmp_sa,
	  CLI_PRIV_USER, CLI_MODE_EXEC, 0, 0, NULL },
	{ "show crypto isakmp sa active", "Active ISAKMP SAs", show_isakmp_sa,
	  CLI_PRIV_USER, CLI_MODE_EXEC, 0, 0, NULL },
	{ "show crypto isakmp sa standby", "Standby ISAKMP SAs",
	  show_isakmp_sa, CLI_PRIV_USER, CLI_MODE_EXEC, 0, 0, NULL },
	{ "clear crypto isakmp", "Flush the ISAKMP database", clear_isakmp,
	  CLI_PRIV_ADMIN, CLI_MODE_EXEC, 0, 0, NULL },
};

int
cli_ike_register(struct cli_sess *s)
{
	return cli_cmds_register(s, ike_cmds,
				 sizeof(ike_cmds) / sizeof(ike_cmds[0]));
}
