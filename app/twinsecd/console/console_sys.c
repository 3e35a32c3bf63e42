/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The console's ops for show logging / clear logging (the log buffer of
 * applog_out.c), show clock and show users (the sessions of this
 * console). None of them touches control state: they run on the session
 * thread, under the log buffer's lock or the console's.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "applog.h"
#include "conf.h"
#include "console.h"

static void
add_line(void *arg, const char *line)
{
	cli_buf_printf(arg, "%s\n", line);
}

int
console_op_logging(void *ctx, struct cli_logging *out)
{
	struct applog_buffer_info i;

	(void)ctx;
	applog_buffer_read(&i, add_line, &out->lines);
	out->size = i.size;
	out->kept = i.kept;
	out->logged = i.logged;
	out->syslog_on = i.syslog_on;
	out->syslog_local = i.syslog_local;
	snprintf(out->syslog_host, sizeof(out->syslog_host), "%s",
		 i.syslog_host);
	out->syslog_port = i.syslog_port;
	snprintf(out->facility, sizeof(out->facility), "%s",
		 conf_log_facility_name(i.facility));
	snprintf(out->trap, sizeof(out->trap), "%s",
		 conf_log_level_name(i.trap));
	out->syslog_sent = i.syslog_sent;
	out->syslog_dropped = i.syslog_dropped;
	return out->lines.oom ? -ENOMEM : 0;
}

int
console_op_clear_logging(void *ctx)
{
	(void)ctx;
	applog_buffer_clear();
	return 0;
}

int
console_op_clock(void *ctx, int64_t *sec, uint32_t *msec)
{
	struct timespec ts;

	(void)ctx;
	if (clock_gettime(CLOCK_REALTIME, &ts) < 0)
		return -errno;
	*sec = ts.tv_sec;
	*msec = (uint32_t)(ts.tv_nsec / 1000000);
	return 0;
}

int
console_op_users(void *ctx, struct cli_user_table *out)
{
	struct console *con = ctx;
	struct console_sess *me = console_current();
	time_t now = time(NULL);
	unsigned int i;

	pthread_mutex_lock(&con->mu);
	out->v = calloc(con->n_sess + 1, sizeof(out->v[0]));
	if (out->v == NULL) {
		pthread_mutex_unlock(&con->mu);
		return -ENOMEM;
	}
	for (i = 0; i < con->n_sess; i++) {
		struct console_sess *s = con->sess[i];
		struct cli_user *u = &out->v[out->n++];

		u->line = i;
		if (s->cs.logged_in)
			snprintf(u->user, sizeof(u->user), "%s", s->cs.user);
		snprintf(u->from, sizeof(u->from), "%s", s->addr);
		if (s->cs.cli != NULL && now > s->cs.cli->last_action)
			u->idle_s = (uint64_t)(now - s->cs.cli->last_action);
		u->self = s == me;
	}
	pthread_mutex_unlock(&con->mu);
	return 0;
}
