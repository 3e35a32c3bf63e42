/* SPDX-License-Identifier: BSD-3-Clause */
/* show version, show running-config. */
#include <string.h>

#include "cli.h"

static int
show_version(const struct cli_call *c)
{
	struct cli_version v;
	char up[96];
	int rc;

	memset(&v, 0, sizeof(v));
	rc = c->s->ops->version(c->s->ctx, &v);
	if (rc < 0) {
		cli_err_op(c, "show version", rc, NULL);
		return CLI_ERROR;
	}
	cli_out(c, "twinsec Software (twinsecd), Version %s\n"
		"Data plane: %s\n"
		"\n"
		"%s uptime is %s\n"
		"System image file is \"%s\"\n"
		"Configuration file is \"%s\"\n"
		"\n"
		"%u lcores: 1 control, %u worker%s, poll mode %s\n"
		"Crypto device %s (%s)\n"
		"%u Ethernet interface%s\n"
		"SA database: %u of %u SAs in use\n"
		"Console: %u of %u sessions in use",
		v.version, v.dpdk, v.hostname,
		cli_uptime(v.uptime_s, up, sizeof(up)), v.image,
		v.config_path, v.n_lcores, v.n_workers,
		v.n_workers == 1 ? "" : "s", v.poll_mode, v.crypto_device,
		v.crypto_mode, v.n_ports, v.n_ports == 1 ? "" : "s", v.n_sas,
		v.max_sas, v.sessions, v.max_sessions);
	return CLI_OK;
}

static int
show_running(const struct cli_call *c)
{
	struct cli_buf b;
	int rc;

	cli_buf_init(&b);
	rc = c->s->ops->running_config(c->s->ctx, &b);
	if (rc < 0) {
		cli_buf_free(&b);
		cli_err_op(c, "show running-config", rc, NULL);
		return CLI_ERROR;
	}
	cli_out_buf(c, &b);
	cli_buf_free(&b);
	return CLI_OK;
}

static const struct cli_cmd sys_cmds[] = {
	{ "show", "Show running system information", NULL, CLI_PRIV_USER,
	  CLI_MODE_EXEC, 0, 0, NULL },
	{ "show version", "System hardware and software status", show_version,
	  CLI_PRIV_USER, CLI_MODE_EXEC, 0, 0, NULL },
	{ "show running-config", "Current operating configuration",
	  show_running, CLI_PRIV_ADMIN, CLI_MODE_EXEC, 0, 0, NULL },
};

int
cli_sys_register(struct cli_sess *s)
{
	return cli_cmds_register(s, sys_cmds,
				 sizeof(sys_cmds) / sizeof(sys_cmds[0]));
}
