/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TW_LOG_H
#define TW_LOG_H

/*
 * Log facade. lib/ code logs through tw_log(); the application installs a
 * sink (rte_log in twinsecd, a capture buffer in unit tests). Without a sink
 * lines go to stderr.
 */

#include <stdarg.h>

/* Same numbering as syslog and RTE_LOG_* minus one (RTE_LOG_EMERG is 1). */
enum tw_log_level {
	TW_LOG_EMERG,
	TW_LOG_ALERT,
	TW_LOG_CRIT,
	TW_LOG_ERR,
	TW_LOG_WARNING,
	TW_LOG_NOTICE,
	TW_LOG_INFO,
	TW_LOG_DEBUG,
};

/* One module name per room: "conf", "hsrp", "ike", "sync", "dp", ... */
typedef void (*tw_log_sink_t)(enum tw_log_level level, const char *module,
			      const char *fmt, va_list ap);

void tw_log_set_sink(tw_log_sink_t sink);
void tw_log_set_level(enum tw_log_level level);
enum tw_log_level tw_log_get_level(void);
int tw_log_level_parse(const char *name, enum tw_log_level *level);
const char *tw_log_level_name(enum tw_log_level level);

void tw_log(enum tw_log_level level, const char *module, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif /* TW_LOG_H */
