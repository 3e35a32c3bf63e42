/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * debug ... / undebug all / no debug all / show debugging. A debug flag
 * raises the twinsec.MODULE log types it covers to debug level; the
 * application puts them back to where they were. The lines reach a session
 * that ran "terminal monitor".
 */
#include <string.h>

#include "cli.h"

struct cli_dbg {
	struct cli_cmd cmd;         /* first: c->cmd leads back here */
	const char *title;          /* "<title> debugging is on" */
	const char *modules[3];
};

#define DBG(p, h, t, ...) { \
	{ "debug " p, h, debug_on, CLI_PRIV_ADMIN, CLI_MODE_EXEC, 0, 0, \
	  NULL }, t, { __VA_ARGS__ } }

static int debug_on(const struct cli_call *c);

static const struct cli_dbg dbgs[] = {
	DBG("crypto ha", "Crypto High Availability", "Crypto HA",
	    "sync", "sadb"),
	DBG("crypto ipsec ha", "IPSec High Availability", "Crypto IPSec HA",
	    "sadb"),
	/* IKE itself: IOS engineers type either, both show IKEv2 */
	DBG("crypto ikev2", "Crypto IKEv2 Negotiation", "Crypto IKEv2",
	    "ike"),
	DBG("crypto isakmp", "ISAKMP processing", "Crypto ISAKMP", "ike"),
	DBG("crypto isakmp ha", "ISAKMP High Availability",
	    "Crypto ISAKMP HA", "ike"),
	DBG("standby", "Hot standby protocol", "HSRP", "hsrp"),
	DBG("standby events", "HSRP events", "HSRP Events", "hsrp"),
	DBG("standby packets", "HSRP packets", "HSRP Packets", "hsrp"),
	DBG("standby errors", "HSRP errors", "HSRP Errors", "hsrp"),
	DBG("redundancy", "Redundancy facility", "Redundancy", "sync",
	    "sctp"),
};

#define N_DBGS (sizeof(dbgs) / sizeof(dbgs[0]))

static int
debug_on(const struct cli_call *c)
{
	const struct cli_dbg *d = (const struct cli_dbg *)c->cmd;
	unsigned int i;
	int rc;

	for (i = 0; i < 3 && d->modules[i] != NULL; i++) {
		rc = c->s->ops->debug(c->s->ctx, d->modules[i], true);
		if (rc < 0) {
			cli_err_op(c, "debug", rc, NULL);
			return CLI_ERROR;
		}
	}
	c->s->dbg_typed |= 1u << (d - dbgs);
	cli_out(c, "%s debugging is on", d->title);
	return CLI_OK;
}

static int
debug_off_all(const struct cli_call *c)
{
	unsigned int i, j;
	int rc;

	for (i = 0; i < N_DBGS; i++)
		for (j = 0; j < 3 && dbgs[i].modules[j] != NULL; j++) {
			rc = c->s->ops->debug(c->s->ctx, dbgs[i].modules[j],
					      false);
			if (rc < 0) {
				cli_err_op(c, "undebug", rc, NULL);
				return CLI_ERROR;
			}
		}
	c->s->dbg_typed = 0;
	cli_out(c, "All possible debugging has been turned off");
	return CLI_OK;
}

static bool
module_on(char names[][16], unsigned int n, const char *m)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (strcmp(names[i], m) == 0)
			return true;
	return false;
}

static bool
is_sub(const struct cli_dbg *d)
{
	return strncmp(d->cmd.path, "debug standby ", 14) == 0;
}

static bool
typed(const struct cli_sess *s, unsigned int i)
{
	return (s->dbg_typed & (1u << i)) != 0;
}

static bool
same_modules(const struct cli_dbg *a, const struct cli_dbg *b)
{
	unsigned int i;

	for (i = 0; i < 3; i++) {
		if ((a->modules[i] == NULL) != (b->modules[i] == NULL))
			return false;
		if (a->modules[i] != NULL &&
		    strcmp(a->modules[i], b->modules[i]) != 0)
			return false;
	}
	return true;
}

static int
show_debugging(const struct cli_call *c)
{
	char names[32][16];
	unsigned int n = 0, i, j, k;
	bool all, any = false;
	int rc;

	rc = c->s->ops->debug_modules(c->s->ctx, names, 32, &n);
	if (rc < 0) {
		cli_err_op(c, "show debugging", rc, NULL);
		return CLI_ERROR;
	}
	for (i = 0; i < N_DBGS; i++) {
		/* "standby" covers its three sub-flags: show it alone. */
		if (is_sub(&dbgs[i]))
			continue;
		all = true;
		for (j = 0; j < 3 && dbgs[i].modules[j] != NULL; j++)
			all = all && module_on(names, n, dbgs[i].modules[j]);
		/* flags that are one module ("crypto ikev2", "crypto
		 * isakmp", "crypto isakmp ha"): those this session typed,
		 * else the first one */
		if (all && !typed(c->s, i))
			for (k = 0; all && k < N_DBGS; k++)
				if (k != i && !is_sub(&dbgs[k]) &&
				    same_modules(&dbgs[k], &dbgs[i]) &&
				    (typed(c->s, k) || k < i))
					all = false;
		if (!all)
			continue;
		if (!any)
			cli_out(c, "twinsec:");
		any = true;
		cli_out(c, "  %s debugging is on", dbgs[i].title);
	}
	for (i = 0; i < n; i++)
		cli_out(c, "  twinsec.%s log level is debug", names[i]);
	return CLI_OK;
}

static const struct cli_cmd debug_cmds[] = {
	{ "debug", "Debugging functions", NULL, CLI_PRIV_ADMIN, CLI_MODE_EXEC,
	  0, 0, NULL },
	{ "debug crypto", "Cryptographic subsystem", NULL, CLI_PRIV_ADMIN,
	  CLI_MODE_EXEC, 0, 0, NULL },
	{ "debug crypto ipsec", "IPSEC processing", NULL, CLI_PRIV_ADMIN,
	  CLI_MODE_EXEC, 0, 0, NULL },
	{ "undebug", "Disable debugging functions", NULL, CLI_PRIV_ADMIN,
	  CLI_MODE_EXEC, 0, 0, NULL },
	{ "undebug all", "Disable all debugging", debug_off_all,
	  CLI_PRIV_ADMIN, CLI_MODE_EXEC, 0, 0, NULL },
	{ "no", "Negate a command or set its defaults", NULL, CLI_PRIV_ADMIN,
	  CLI_MODE_EXEC, 0, 0, NULL },
	{ "no debug", "Disable debugging functions", NULL, CLI_PRIV_ADMIN,
	  CLI_MODE_EXEC, 0, 0, NULL },
	{ "no debug all", "Disable all debugging", debug_off_all,
	  CLI_PRIV_ADMIN, CLI_MODE_EXEC, 0, 0, NULL },
	{ "show debugging", "State of each debugging option", show_debugging,
	  CLI_PRIV_USER, CLI_MODE_EXEC, 0, 0, NULL },
};

int
cli_debug_register(struct cli_sess *s)
{
	unsigned int i;
	int rc;

	rc = cli_cmds_register(s, debug_cmds,
			       sizeof(debug_cmds) / sizeof(debug_cmds[0]));
	for (i = 0; rc == 0 && i < N_DBGS; i++)
		rc = cli_cmds_register(s, &dbgs[i].cmd, 1);
	return rc;
}
