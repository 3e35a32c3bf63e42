/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * show crypto isakmp sa [active | standby], clear crypto isakmp [conn-id]
 * (DELETE sent to the peer). Without ops->ike_sas (no IKE in the daemon)
 * the table is empty, as on an IOS box without ISAKMP peers.
 */
#include <stdint.h>
#include <stdlib.h>
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
	unsigned int n = 0;
	uint32_t id = 0;
	char *end;
	int rc;

	if (c->argc == 1) {
		unsigned long v = strtoul(c->argv[0], &end, 10);

		if (*end != '\0' || v == 0 || v > UINT32_MAX) {
			cli_out(c, "%% Invalid conn-id '%s'", c->argv[0]);
			return CLI_ERROR;
		}
		id = (uint32_t)v;
	}
	/* Without IKE in the daemon there is no IKE SA to clear. */
	if (c->s->ops->ike_clear == NULL)
		return CLI_OK;
	rc = c->s->ops->ike_clear(c->s->ctx, id, &n);
	if (rc < 0) {
		cli_err_op(c, "clear crypto isakmp", rc, NULL);
		return CLI_ERROR;
	}
	if (id != 0 && n == 0) {
		cli_out(c, "%% No IKE SA with conn-id %u", id);
		return CLI_ERROR;
	}
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
	{ "clear crypto isakmp", "Delete IKE SAs (DELETE sent to the peer)",
	  clear_isakmp, CLI_PRIV_ADMIN, CLI_MODE_EXEC, 0, 1, "[conn-id]" },
};

int
cli_ike_register(struct cli_sess *s)
{
	return cli_cmds_register(s, ike_cmds,
				 sizeof(ike_cmds) / sizeof(ike_cmds[0]));
}
