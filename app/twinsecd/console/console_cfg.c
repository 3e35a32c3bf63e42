/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * configure terminal and write memory from a session: a ctl_call() to the
 * function main.c gave the console (con->cfg_edit, con->cfg_write), which
 * applies through the reload path on the control lcore. Logged with who
 * did it; secrets never reach a log line.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "console.h"
#include "tw_log.h"

struct cfg_req {
	struct console *con;
	const struct cli_cfg_edit *e;
	char *path;
	size_t pathlen;
	char *err;
	size_t errlen;
	int rc;
};

static void
do_edit(struct ctl *ctl, void *arg)
{
	struct cfg_req *r = arg;

	r->rc = r->con->cfg_edit(ctl, r->e, r->err, r->errlen);
}

static void
do_write(struct ctl *ctl, void *arg)
{
	struct cfg_req *r = arg;

	r->rc = r->con->cfg_write(ctl, r->path, r->pathlen, r->err,
				  r->errlen);
}

static const char *
user(char *buf, size_t len)
{
	struct console_sess *s = console_current();

	if (s == NULL)
		return "console";
	console_esc(buf, len, s->cs.user);
	return buf;
}

/* The change in IOS words, for the log (user input escaped, no secret). */
static const char *
what(const struct cli_cfg_edit *e, char *buf, size_t len)
{
	char a[CONSOLE_ESC_MAX], b[CONSOLE_ESC_MAX];

	switch (e->kind) {
	case CLI_CFG_STANDBY_PRIORITY:
		snprintf(buf, len, "interface %s standby %d priority %d",
			 console_esc(a, sizeof(a), e->iface), e->group,
			 e->value);
		break;
	case CLI_CFG_STANDBY_PREEMPT:
		snprintf(buf, len, "interface %s %sstandby %d preempt",
			 console_esc(a, sizeof(a), e->iface),
			 e->flag ? "" : "no ", e->group);
		break;
	case CLI_CFG_USER_SET:
		snprintf(buf, len, "username %s privilege %d secret <removed>",
			 console_esc(a, sizeof(a), e->name), e->value);
		break;
	case CLI_CFG_USER_DEL:
		snprintf(buf, len, "no username %s",
			 console_esc(a, sizeof(a), e->name));
		break;
	case CLI_CFG_CMAP_ENTRY:
		snprintf(buf, len, "crypto map %s %d %s",
			 console_esc(a, sizeof(a), e->map), e->seq,
			 console_esc(b, sizeof(b), e->type));
		break;
	case CLI_CFG_CMAP_DEL:
		snprintf(buf, len, "no crypto map %s %d",
			 console_esc(a, sizeof(a), e->map), e->seq);
		break;
	default:
		snprintf(buf, len, "?");
	}
	return buf;
}

int
console_op_config_edit(void *ctx, const struct cli_cfg_edit *e, char *err,
		       size_t errlen)
{
	struct console *con = ctx;
	struct cfg_req r = { .con = con, .e = e, .err = err,
			     .errlen = errlen };
	char u[CONSOLE_ESC_MAX], w[3 * CONSOLE_ESC_MAX];
	int rc;

	if (__atomic_load_n(&con->cfg_edit, __ATOMIC_ACQUIRE) == NULL) {
		snprintf(err, errlen, "configuration changes are not available yet");
		return -EAGAIN;
	}
	rc = ctl_call(con->ctl, do_edit, &r, CONSOLE_CALL_MS);
	if (rc == 0)
		rc = r.rc;
	/* Entering an entry's submode changes nothing: no log line. */
	if (rc == 0 && !(e->kind == CLI_CFG_CMAP_ENTRY &&
			 e->set == CLI_CME_TYPE))
		tw_log(TW_LOG_NOTICE, "cli", "configured by %s: %s",
		       user(u, sizeof(u)), what(e, w, sizeof(w)));
	return rc;
}

int
console_op_write_memory(void *ctx, char *path, size_t pathlen, char *err,
			size_t errlen)
{
	struct console *con = ctx;
	struct cfg_req r = { .con = con, .path = path, .pathlen = pathlen,
			     .err = err, .errlen = errlen };
	char u[CONSOLE_ESC_MAX];
	int rc;

	if (__atomic_load_n(&con->cfg_write, __ATOMIC_ACQUIRE) == NULL) {
		snprintf(err, errlen, "configuration changes are not available yet");
		return -EAGAIN;
	}
	rc = ctl_call(con->ctl, do_write, &r, CONSOLE_CALL_MS);
	if (rc == 0)
		rc = r.rc;
	if (rc == 0)
		tw_log(TW_LOG_NOTICE, "cli", "write memory by %s",
		       user(u, sizeof(u)));
	return rc;
}
