/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * terminal monitor: every log line that passes its rte_log level is also
 * offered to the sessions that asked for it. The tap runs in whatever
 * thread logs (the control lcore above all), so it never waits: it only
 * trylocks the monitor mutex, and a line that finds it busy, or a session
 * buffer full, is dropped and counted. Sessions drain their buffer on
 * their own thread (console.c, once a second while idle).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "applog.h"
#include "console.h"

static struct console *mon_con;

static const char *const sev[] = {
	"0", "1", "2", "3", "4", "5", "6", "7",
};

static void
mon_tap(enum tw_log_level level, const char *module, const char *line)
{
	struct console *con = __atomic_load_n(&mon_con, __ATOMIC_ACQUIRE);
	char stamp[32], text[CONSOLE_MON_LEN], up[16];
	struct timespec ts;
	struct tm tm;
	unsigned int i, j;
	size_t k;

	if (con == NULL)
		return;
	if (pthread_mutex_trylock(&con->mon_mu) != 0) {
		__atomic_fetch_add(&con->mon_busy, 1, __ATOMIC_RELAXED);
		return;
	}
	for (i = 0; i < con->n_sess; i++)
		if (con->sess[i]->mon_on)
			break;
	if (i == con->n_sess) {
		pthread_mutex_unlock(&con->mon_mu);
		return;
	}
	/* IOS: "Jan 12 10:11:12.345: %TWINSEC-5-HSRP: text" */
	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "%b %e %H:%M:%S", &tm);
	for (k = 0; module[k] != '\0' && k + 1 < sizeof(up); k++)
		up[k] = (char)(module[k] >= 'a' && module[k] <= 'z' ?
			       module[k] - 'a' + 'A' : module[k]);
	up[k] = '\0';
	snprintf(text, sizeof(text), "%s.%03ld: %%TWINSEC-%s-%s: %s", stamp,
		 ts.tv_nsec / 1000000, sev[(unsigned int)level & 7], up, line);
	for (; i < con->n_sess; i++) {
		struct console_sess *s = con->sess[i];

		if (!s->mon_on)
			continue;
		if (s->mon_n == CONSOLE_MON_LINES) {
			s->mon_dropped++;
			continue;
		}
		j = (s->mon_head + s->mon_n++) % CONSOLE_MON_LINES;
		memcpy(s->mon[j], text, sizeof(text));
	}
	pthread_mutex_unlock(&con->mon_mu);
}

void
console_mon_init(struct console *con)
{
	pthread_mutex_init(&con->mon_mu, NULL);
	__atomic_store_n(&mon_con, con, __ATOMIC_RELEASE);
	applog_set_tap(mon_tap);
}

void
console_mon_set(struct console *con, struct console_sess *s, bool on)
{
	pthread_mutex_lock(&con->mon_mu);
	s->mon_on = on;
	s->mon_n = 0;
	s->mon_head = 0;
	pthread_mutex_unlock(&con->mon_mu);
}

void
console_mon_flush(struct console *con, struct console_sess *s)
{
	char line[CONSOLE_MON_LEN + 2];
	uint64_t dropped;
	bool any = false;

	for (;;) {
		pthread_mutex_lock(&con->mon_mu);
		if (s->mon_n == 0) {
			dropped = s->mon_dropped;
			s->mon_dropped = 0;
			pthread_mutex_unlock(&con->mon_mu);
			break;
		}
		snprintf(line, sizeof(line), "%s\r\n", s->mon[s->mon_head]);
		s->mon_head = (s->mon_head + 1) % CONSOLE_MON_LINES;
		s->mon_n--;
		pthread_mutex_unlock(&con->mon_mu);
		if (!any)
			console_write(s, "\r\n", 2);
		any = true;
		console_write(s, line, strlen(line));
	}
	if (dropped != 0) {
		snprintf(line, sizeof(line),
			 "%% %llu log lines dropped: the session did not keep up\r\n",
			 (unsigned long long)dropped);
		console_write(s, line, strlen(line));
		any = true;
	}
	if (any)
		cli_reprompt(s->cs.cli);
}
