/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "tw_log.h"

static tw_log_sink_t log_sink;
static enum tw_log_level log_level = TW_LOG_INFO;

static const char *const level_names[] = {
	[TW_LOG_EMERG] = "emerg",
	[TW_LOG_ALERT] = "alert",
	[TW_LOG_CRIT] = "crit",
	[TW_LOG_ERR] = "err",
	[TW_LOG_WARNING] = "warning",
	[TW_LOG_NOTICE] = "notice",
	[TW_LOG_INFO] = "info",
	[TW_LOG_DEBUG] = "debug",
};

void
tw_log_set_sink(tw_log_sink_t sink)
{
	log_sink = sink;
}

void
tw_log_set_level(enum tw_log_level level)
{
	log_level = level;
}

enum tw_log_level
tw_log_get_level(void)
{
	return log_level;
}

const char *
tw_log_level_name(enum tw_log_level level)
{
	if ((unsigned int)level >= sizeof(level_names) / sizeof(level_names[0]))
		return "?";
	return level_names[level];
}

int
tw_log_level_parse(const char *name, enum tw_log_level *level)
{
	unsigned int i;

	for (i = 0; i < sizeof(level_names) / sizeof(level_names[0]); i++) {
		if (strcasecmp(name, level_names[i]) == 0) {
			*level = (enum tw_log_level)i;
			return 0;
		}
	}
	if (strcasecmp(name, "error") == 0) {
		*level = TW_LOG_ERR;
		return 0;
	}
	if (strcasecmp(name, "warn") == 0) {
		*level = TW_LOG_WARNING;
		return 0;
	}
	return -1;
}

void
tw_log(enum tw_log_level level, const char *module, const char *fmt, ...)
{
	va_list ap;

	if (level > log_level)
		return;
	va_start(ap, fmt);
	if (log_sink != NULL) {
		log_sink(level, module, fmt, ap);
	} else {
		fprintf(stderr, "twinsec.%s: ", module);
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
	}
	va_end(ap);
}
