/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Where a log line goes besides rte_log: the buffer "show logging" prints
 * (IOS "logging buffered"), always on, the last APPLOG_RING_LINES lines;
 * and syslog when the configuration has a logging section (IOS "logging
 * host / facility / trap"): this machine's syslog(3), or a collector over
 * UDP with RFC 3164 framing. Lines are stamped and spelled as IOS does:
 * "Dec  7 05:12:01.123: %TWINSEC-5-HSRP: text".
 *
 * Any thread logs: one mutex, held for a copy only; syslog goes out after
 * it, the UDP send non-blocking (a full socket buffer drops the line,
 * counted).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "applog.h"

static struct {
	pthread_mutex_t mu;
	char line[APPLOG_RING_LINES][APPLOG_LINE_MAX];
	unsigned int head, n;
	uint64_t logged;               /* into the buffer since start */
	/* syslog */
	bool on, local;
	int fd;
	unsigned int facility, trap;
	char host[16];
	uint16_t port;
	char hostname[64];
	uint64_t sent, dropped;
} out = { .mu = PTHREAD_MUTEX_INITIALIZER, .fd = -1 };

/* "Dec  7 05:12:01.123" (local time, as the terminal monitor) */
static void
stamp(char *buf, size_t len)
{
	struct timespec ts;
	struct tm tm;
	char s[16];

	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	if (strftime(s, sizeof(s), "%b %e %H:%M:%S", &tm) == 0)
		s[0] = '\0';
	snprintf(buf, len, "%.15s.%03d", s, (int)(ts.tv_nsec / 1000000) % 1000);
}

/* "%TWINSEC-5-HSRP: text" */
static void
tag(enum tw_log_level level, const char *module, const char *line,
    char *buf, size_t len)
{
	char up[16];
	size_t k;

	for (k = 0; module[k] != '\0' && k + 1 < sizeof(up); k++)
		up[k] = (char)(module[k] >= 'a' && module[k] <= 'z' ?
			       module[k] - 'a' + 'A' : module[k]);
	up[k] = '\0';
	snprintf(buf, len, "%%TWINSEC-%u-%s: %s", (unsigned int)level & 7, up,
		 line);
}

/* Under out.mu: the RFC 3164 datagram into msg, or "" for syslog(3)
 * (local), or false when the line stays out of syslog. */
static bool
syslog_msg(enum tw_log_level level, const char *when, const char *text,
	   char *msg, size_t len)
{
	if (!out.on || (unsigned int)level > out.trap)
		return false;
	msg[0] = '\0';
	/* RFC 3164 4.1: <PRI>TIMESTAMP HOSTNAME TAG: CONTENT (the stamp
	 * without milliseconds, "Mmm dd hh:mm:ss") */
	if (!out.local)
		snprintf(msg, len, "<%u>%.15s %s twinsecd: %s",
			 out.facility * 8 + ((unsigned int)level & 7), when,
			 out.hostname, text);
	return true;
}

void
applog_out(enum tw_log_level level, const char *module, const char *line)
{
	char when[40], text[APPLOG_LINE_MAX], msg[APPLOG_LINE_MAX + 128];
	bool send_it;
	unsigned int j;
	int fd;

	stamp(when, sizeof(when));
	tag(level, module, line, text, sizeof(text));
	pthread_mutex_lock(&out.mu);
	j = (out.head + out.n) % APPLOG_RING_LINES;
	snprintf(out.line[j], APPLOG_LINE_MAX, "%.19s: %.*s", when,
		 APPLOG_LINE_MAX - 22, text);
	if (out.n < APPLOG_RING_LINES)
		out.n++;
	else
		out.head = (out.head + 1) % APPLOG_RING_LINES;
	out.logged++;
	send_it = syslog_msg(level, when, text, msg, sizeof(msg));
	fd = out.fd;
	pthread_mutex_unlock(&out.mu);
	if (!send_it)
		return;
	/* outside the lock: syslog(3) may wait for the local daemon */
	if (msg[0] == '\0')
		syslog((int)level, "%s", text);
	if (msg[0] == '\0' || send(fd, msg, strlen(msg), MSG_DONTWAIT) >= 0)
		__atomic_fetch_add(&out.sent, 1, __ATOMIC_RELAXED);
	else
		__atomic_fetch_add(&out.dropped, 1, __ATOMIC_RELAXED);
}

int
applog_syslog_open(bool local, uint32_t host, uint16_t port,
		   unsigned int facility, unsigned int trap,
		   const char *hostname)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	struct in_addr a = { .s_addr = htonl(host) };
	int fd = -1;

	if (!local) {
		fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (fd < 0)
			return -errno;
		sa.sin_addr = a;
		sa.sin_port = htons(port);
		if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
			int rc = -errno;

			close(fd);
			return rc;
		}
	} else {
		openlog("twinsecd", LOG_PID | LOG_NDELAY, (int)facility << 3);
	}
	pthread_mutex_lock(&out.mu);
	out.on = true;
	out.local = local;
	out.fd = fd;
	out.facility = facility;
	out.trap = trap;
	inet_ntop(AF_INET, &a, out.host, sizeof(out.host));
	out.port = port;
	snprintf(out.hostname, sizeof(out.hostname), "%s", hostname);
	pthread_mutex_unlock(&out.mu);
	return 0;
}

void
applog_syslog_close(void)
{
	pthread_mutex_lock(&out.mu);
	if (out.on && out.local)
		closelog();
	if (out.fd >= 0)
		close(out.fd);
	out.fd = -1;
	out.on = false;
	pthread_mutex_unlock(&out.mu);
}

void
applog_buffer_read(struct applog_buffer_info *info,
		   void (*fn)(void *arg, const char *line), void *arg)
{
	unsigned int i;

	pthread_mutex_lock(&out.mu);
	info->size = APPLOG_RING_LINES;
	info->kept = out.n;
	info->logged = out.logged;
	info->syslog_on = out.on;
	info->syslog_local = out.local;
	snprintf(info->syslog_host, sizeof(info->syslog_host), "%s", out.host);
	info->syslog_port = out.port;
	info->facility = out.facility;
	info->trap = out.trap;
	info->syslog_sent = out.sent;
	info->syslog_dropped = out.dropped;
	for (i = 0; fn != NULL && i < out.n; i++)
		fn(arg, out.line[(out.head + i) % APPLOG_RING_LINES]);
	pthread_mutex_unlock(&out.mu);
}

void
applog_buffer_clear(void)
{
	pthread_mutex_lock(&out.mu);
	out.n = 0;
	out.head = 0;
	pthread_mutex_unlock(&out.mu);
}
