/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TWINSECD_APPLOG_H
#define TWINSECD_APPLOG_H

#include <stdbool.h>
#include <stdint.h>

#include "tw_log.h"

/*
 * tw_log routed through rte_log: one dynamic log type "twinsec.MODULE" per
 * module, so DPDK's own --log-level=twinsec.*:debug (EAL option) and our
 * --log-level both work. Types are registered once at start, on the main
 * lcore (rte_log registration is not thread-safe); a module without its
 * own type logs under the plain "twinsec" type with its name in the line.
 */

/* After rte_eal_init(): register the types and install the tw_log sink. */
int applog_init(void);
/*
 * "LEVEL" for every twinsec.* type, "MODULE:LEVEL" or
 * "twinsec.MODULE:LEVEL" for one. -EINVAL on an unknown level.
 */
int applog_set_level(const char *spec);
/*
 * Also hand every line that passes its level to tap (the console's
 * terminal monitor). tap runs in the logging thread and must not block.
 */
typedef void (*applog_tap_fn)(enum tw_log_level level, const char *module,
			      const char *line);
void applog_set_tap(applog_tap_fn tap);

/*
 * applog_out.c: the log buffer of "show logging" (always on) and syslog.
 * applog_out() takes every line that passes its level (the sink calls it).
 */
#define APPLOG_RING_LINES 512
#define APPLOG_LINE_MAX 256
void applog_out(enum tw_log_level level, const char *module,
		const char *line);
/*
 * From now on lines at trap (0-7) or more severe go to syslog: local
 * (syslog(3)) or UDP to host:port, facility (RFC 5424 code); hostname in
 * the RFC 3164 header. 0 or -errno (the socket).
 */
int applog_syslog_open(bool local, uint32_t host, uint16_t port,
		       unsigned int facility, unsigned int trap,
		       const char *hostname);
void applog_syslog_close(void);

struct applog_buffer_info {
	unsigned int size, kept;       /* lines */
	uint64_t logged;               /* lines since start */
	bool syslog_on, syslog_local;
	char syslog_host[16];
	uint16_t syslog_port;
	unsigned int facility, trap;
	uint64_t syslog_sent, syslog_dropped;
};
/* The counters, and each kept line oldest first to fn (under the lock:
 * fn must not log). */
void applog_buffer_read(struct applog_buffer_info *info,
			void (*fn)(void *arg, const char *line), void *arg);
/* clear logging */
void applog_buffer_clear(void);

#endif /* TWINSECD_APPLOG_H */
