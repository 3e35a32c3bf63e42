/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * show logging, clear logging, show clock, show users: what an IOS
 * engineer types first when something is wrong. The data comes from the
 * application (ops->logging, ->clock, ->users); a daemon without them
 * says the command is not available.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli.h"

static bool
have(const struct cli_call *c, const void *op)
{
	if (op != NULL)
		return true;
	cli_err(c, "%s is not available on this system", c->command);
	return false;
}

static int
show_logging(const struct cli_call *c)
{
	struct cli_logging l;
	int rc;

	if (!have(c, (const void *)c->s->ops->logging))
		return CLI_ERROR;
	memset(&l, 0, sizeof(l));
	cli_buf_init(&l.lines);
	rc = c->s->ops->logging(c->s->ctx, &l);
	if (rc < 0) {
		cli_buf_free(&l.lines);
		cli_err_op(c, "show logging", rc, NULL);
		return CLI_ERROR;
	}
	cli_out(c, "Syslog logging: %s (%llu messages dropped, 0 messages rate-limited, 0 flushes, 0 overruns, xml disabled, filtering disabled)",
		l.syslog_on ? "enabled" : "disabled",
		(unsigned long long)l.syslog_dropped);
	cli_out(c, "%s", "");
	cli_out(c, "    Console logging: the daemon's standard error, at its log level");
	cli_out(c, "    Monitor logging: the sessions that ran terminal monitor");
	cli_out(c, "    Buffer logging:  every line logged, %llu messages logged, xml disabled,",
		(unsigned long long)l.logged);
	cli_out(c, "                    filtering disabled");
	if (!l.syslog_on) {
		cli_out(c, "    Trap logging: disabled (no logging section)");
	} else {
		cli_out(c, "    Trap logging: level %s, %llu message lines logged",
			l.trap, (unsigned long long)l.syslog_sent);
		if (l.syslog_local)
			cli_out(c, "        Logging to the local syslog (facility %s)",
				l.facility);
		else
			cli_out(c, "        Logging to %s  (udp port %u, facility %s),",
				l.syslog_host, l.syslog_port, l.facility);
		cli_out(c, "              %llu message lines logged,",
			(unsigned long long)l.syslog_sent);
		cli_out(c, "              %llu message lines dropped",
			(unsigned long long)l.syslog_dropped);
	}
	cli_out(c, "%s", "");
	cli_out(c, "Log Buffer (%u lines, %u kept):", l.size, l.kept);
	cli_out(c, "%s", "");
	cli_out_buf(c, &l.lines);
	cli_buf_free(&l.lines);
	return CLI_OK;
}

static int
clear_logging(const struct cli_call *c)
{
	int rc;

	if (!have(c, (const void *)c->s->ops->clear_logging))
		return CLI_ERROR;
	rc = c->s->ops->clear_logging(c->s->ctx);
	if (rc < 0) {
		cli_err_op(c, "clear logging", rc, NULL);
		return CLI_ERROR;
	}
	return CLI_OK;
}

/* IOS: "05:27:59.123 UTC Mon Dec 7 2026" */
static int
show_clock(const struct cli_call *c)
{
	static const char *const day[] = {
		"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat",
	};
	static const char *const mon[] = {
		"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep",
		"Oct", "Nov", "Dec",
	};
	uint32_t ms = 0;
	int64_t sec = 0;
	struct tm tm;
	time_t t;
	int rc;

	if (!have(c, (const void *)c->s->ops->clock))
		return CLI_ERROR;
	rc = c->s->ops->clock(c->s->ctx, &sec, &ms);
	if (rc < 0) {
		cli_err_op(c, "show clock", rc, NULL);
		return CLI_ERROR;
	}
	t = (time_t)sec;
	if (gmtime_r(&t, &tm) == NULL) {
		cli_err(c, "clock out of range");
		return CLI_ERROR;
	}
	cli_out(c, "%02d:%02d:%02d.%03u UTC %s %s %d %d", tm.tm_hour,
		tm.tm_min, tm.tm_sec, ms % 1000, day[tm.tm_wday % 7],
		mon[tm.tm_mon % 12], tm.tm_mday, tm.tm_year + 1900);
	return CLI_OK;
}

static int
show_users(const struct cli_call *c)
{
	struct cli_user_table t = { 0 };
	unsigned int i;
	char idle[16];
	int rc;

	if (!have(c, (const void *)c->s->ops->users))
		return CLI_ERROR;
	rc = c->s->ops->users(c->s->ctx, &t);
	if (rc < 0) {
		cli_err_op(c, "show users", rc, NULL);
		return CLI_ERROR;
	}
	cli_out(c, "    Line       User       Host(s)              Idle       Location");
	for (i = 0; i < t.n; i++) {
		const struct cli_user *u = &t.v[i];

		snprintf(idle, sizeof(idle), "%02u:%02u:%02u",
			 (unsigned int)(u->idle_s / 3600 % 100),
			 (unsigned int)(u->idle_s / 60 % 60),
			 (unsigned int)(u->idle_s % 60));
		cli_out(c, "%c%3u vty %-5u %-10s %-20s %8s %s",
			u->self ? '*' : ' ', u->line + 2, u->line,
			u->user[0] != '\0' ? u->user : "(login)", "idle", idle,
			u->from);
	}
	cli_out(c, "%s", "");
	cli_out(c, "  Interface    User               Mode         Idle     Peer Address");
	cli_out(c, "%s", "");
	cli_table_free(&t);
	return CLI_OK;
}

static const struct cli_cmd log_cmds[] = {
	{ "show logging", "Show the contents of logging buffers",
	  show_logging, CLI_PRIV_ADMIN, CLI_MODE_EXEC, 0, 0, NULL },
	{ "clear logging", "Clear logging buffer", clear_logging,
	  CLI_PRIV_ADMIN, CLI_MODE_EXEC, 0, 0, NULL },
	{ "show clock", "Display the system clock", show_clock,
	  CLI_PRIV_USER, CLI_MODE_EXEC, 0, 0, NULL },
	{ "show users", "Display information about terminal lines",
	  show_users, CLI_PRIV_USER, CLI_MODE_EXEC, 0, 0, NULL },
};

int
cli_log_register(struct cli_sess *s)
{
	return cli_cmds_register(s, log_cmds,
				 sizeof(log_cmds) / sizeof(log_cmds[0]));
}
