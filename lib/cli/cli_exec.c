/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * EXEC basics: enable / disable, terminal length / monitor, help, and
 * configuration mode (configure terminal, interface NAME, shutdown,
 * no shutdown, end). exit and logout are libcli's own.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define ENABLE_TRIES 3

static int
enable(const struct cli_call *c)
{
	struct cli_sess *s = c->s;
	char secret[128];
	int i, rc;

	if (s->cli->privilege >= CLI_PRIV_ADMIN)
		return CLI_OK;
	for (i = 0; i < ENABLE_TRIES; i++) {
		rc = s->ops->read_secret(s->app, "Password: ", secret,
					 sizeof(secret));
		if (rc < 0)
			return CLI_ERROR;
		rc = s->ops->check_enable(s->ctx, secret);
		explicit_bzero(secret, sizeof(secret));
		if (rc == -ENOENT) {
			cli_err(c, "No password set");
			return CLI_ERROR;
		}
		if (rc == 0) {
			cli_set_privilege(s->cli, CLI_PRIV_ADMIN);
			cli_set_promptchar(s->cli, "#");
			return CLI_OK;
		}
	}
	cli_err(c, "Bad secrets");
	return CLI_ERROR;
}

static int
disable(const struct cli_call *c)
{
	cli_set_privilege(c->s->cli, CLI_PRIV_USER);
	cli_set_promptchar(c->s->cli, ">");
	return CLI_OK;
}

static int
help(const struct cli_call *c)
{
	cli_out(c,
		"Help may be requested at any point in a command by entering\n"
		"a question mark '?'.  If nothing matches, the help list will\n"
		"be empty and you must backup until entering a '?' shows the\n"
		"available options.\n"
		"Two styles of help are provided:\n"
		"1. Full help is available when you are ready to enter a\n"
		"   command argument (e.g. 'show ?') and describes each possible\n"
		"   argument.\n"
		"2. Partial help is provided when an abbreviated argument is entered\n"
		"   and you want to know what arguments match the input\n"
		"   (e.g. 'show pr?'.)");
	return CLI_OK;
}

static int
term_length(const struct cli_call *c)
{
	char *end;
	long n = strtol(c->argv[0], &end, 10);

	if (*end != '\0' || n < 0 || n > 512) {
		cli_err_arg(c, 0);
		return CLI_ERROR;
	}
	c->s->term_length = (unsigned int)n;
	return CLI_OK;
}

static int
term_monitor(const struct cli_call *c)
{
	bool on = strstr(c->command, " no ") == NULL;

	c->s->monitor = on;
	c->s->ops->monitor(c->s->app, on);
	return CLI_OK;
}

static int
configure(const struct cli_call *c)
{
	cli_out(c, "Enter configuration commands, one per line.  End with CNTL/Z.");
	cli_set_configmode(c->s->cli, CLI_MODE_CONFIG, NULL);
	return CLI_OK;
}

static int
end(const struct cli_call *c)
{
	cli_set_configmode(c->s->cli, CLI_MODE_EXEC, NULL);
	return CLI_OK;
}

static int
interface(const struct cli_call *c)
{
	struct cli_iface_table t = { 0 };
	unsigned int i;
	int rc;

	rc = c->s->ops->interfaces(c->s->ctx, &t);
	if (rc < 0) {
		cli_err_op(c, "interfaces", rc, NULL);
		return CLI_ERROR;
	}
	for (i = 0; i < t.n; i++)
		if (strcmp(t.v[i].name, c->argv[0]) == 0)
			break;
	if (i == t.n) {
		cli_table_free(&t);
		cli_err_arg(c, 0);
		return CLI_ERROR;
	}
	snprintf(c->s->iface, sizeof(c->s->iface), "%s", t.v[i].name);
	cli_table_free(&t);
	cli_set_configmode(c->s->cli, CLI_MODE_CONFIG_IF, "if");
	return CLI_OK;
}

static int
shutdown_if(const struct cli_call *c)
{
	bool up = strncmp(c->command, "no ", 3) == 0;
	char err[256] = "";
	int rc;

	rc = c->s->ops->set_admin(c->s->ctx, c->s->iface, up, err,
				  sizeof(err));
	if (rc < 0) {
		cli_err_op(c, up ? "no shutdown" : "shutdown", rc, err);
		return CLI_ERROR;
	}
	return CLI_OK;
}

static const struct cli_cmd exec_cmds[] = {
	{ "enable", "Turn on privileged commands", enable, CLI_PRIV_USER,
	  CLI_MODE_EXEC, 0, 0, NULL },
	{ "disable", "Turn off privileged commands", disable, CLI_PRIV_ADMIN,
	  CLI_MODE_EXEC, 0, 0, NULL },
	{ "help", "Description of the interactive help system", help,
	  CLI_PRIV_USER, CLI_MODE_EXEC, 0, 0, NULL },
	{ "terminal", "Set terminal line parameters", NULL, CLI_PRIV_USER,
	  CLI_MODE_EXEC, 0, 0, NULL },
	{ "terminal length", "Set number of lines on a screen", term_length,
	  CLI_PRIV_USER, CLI_MODE_EXEC, 1, 1, "<0-512>" },
	{ "terminal monitor", "Copy debug output to the current terminal line",
	  term_monitor, CLI_PRIV_USER, CLI_MODE_EXEC, 0, 0, NULL },
	{ "terminal no", "Negate a command or set its defaults", NULL,
	  CLI_PRIV_USER, CLI_MODE_EXEC, 0, 0, NULL },
	{ "terminal no monitor", "Copy debug output to the current terminal line",
	  term_monitor, CLI_PRIV_USER, CLI_MODE_EXEC, 0, 0, NULL },
	{ "configure", "Enter configuration mode", NULL, CLI_PRIV_ADMIN,
	  CLI_MODE_EXEC, 0, 0, NULL },
	{ "configure terminal", "Configure from the terminal", configure,
	  CLI_PRIV_ADMIN, CLI_MODE_EXEC, 0, 0, NULL },
	{ "end", "Exit from configure mode", end, CLI_PRIV_ADMIN,
	  CLI_MODE_CONFIG, 0, 0, NULL },
	{ "interface", "Select an interface to configure", interface,
	  CLI_PRIV_ADMIN, CLI_MODE_CONFIG, 1, 1, "NAME" },
	{ "end", "Exit from configure mode", end, CLI_PRIV_ADMIN,
	  CLI_MODE_CONFIG_IF, 0, 0, NULL },
	{ "shutdown", "Shutdown the selected interface", shutdown_if,
	  CLI_PRIV_ADMIN, CLI_MODE_CONFIG_IF, 0, 0, NULL },
	{ "no", "Negate a command or set its defaults", NULL, CLI_PRIV_ADMIN,
	  CLI_MODE_CONFIG_IF, 0, 0, NULL },
	{ "no shutdown", "Shutdown the selected interface", shutdown_if,
	  CLI_PRIV_ADMIN, CLI_MODE_CONFIG_IF, 0, 0, NULL },
};

int
cli_exec_register(struct cli_sess *s)
{
	return cli_cmds_register(s, exec_cmds,
				 sizeof(exec_cmds) / sizeof(exec_cmds[0]));
}
