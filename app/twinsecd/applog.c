/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_log.h>

#include "applog.h"
#include "tw_log.h"

/* Every room that logs; later issues add theirs here. */
static const char *const modules[] = {
	"main", "conf", "dp", "ctl", "arp", "icmp", "sadb", "install",
	"telemetry", "hsrp", "ike", "sync", "cli", "sctp",
};
#define N_MODULES (sizeof(modules) / sizeof(modules[0]))

static int types[N_MODULES];
static int generic_type = -1;
static applog_tap_fn log_tap;

static int
module_type(const char *module)
{
	unsigned int i;

	for (i = 0; i < N_MODULES; i++)
		if (strcmp(module, modules[i]) == 0)
			return types[i];
	return generic_type;
}

static void
applog_sink(enum tw_log_level level, const char *module, const char *fmt,
	    va_list ap) __attribute__((format(printf, 3, 0)));

static void
applog_sink(enum tw_log_level level, const char *module, const char *fmt,
	    va_list ap)
{
	uint32_t rl = (uint32_t)level + 1; /* RTE_LOG_EMERG is 1 */
	int type = module_type(module);
	char line[1024];

	if (type < 0 || !rte_log_can_log((uint32_t)type, rl))
		return;
	vsnprintf(line, sizeof(line), fmt, ap);
	rte_log(rl, (uint32_t)type, "twinsec.%s: %s\n", module, line);
	applog_out(level, module, line);
	if (log_tap != NULL)
		log_tap(level, module, line);
}

void
applog_set_tap(applog_tap_fn tap)
{
	log_tap = tap;
}

int
applog_init(void)
{
	char name[64];
	unsigned int i;

	generic_type = rte_log_register_type_and_pick_level("twinsec",
							    RTE_LOG_INFO);
	if (generic_type < 0)
		return generic_type;
	for (i = 0; i < N_MODULES; i++) {
		snprintf(name, sizeof(name), "twinsec.%s", modules[i]);
		types[i] = rte_log_register_type_and_pick_level(name,
								RTE_LOG_INFO);
		if (types[i] < 0)
			return types[i];
	}
	tw_log_set_sink(applog_sink);
	/* rte_log filters per type; tw_log must pass everything through. */
	tw_log_set_level(TW_LOG_DEBUG);
	return 0;
}

int
applog_set_level(const char *spec)
{
	const char *colon = strrchr(spec, ':');
	enum tw_log_level level;
	char pattern[80];

	if (tw_log_level_parse(colon != NULL ? colon + 1 : spec, &level) < 0)
		return -EINVAL;
	if (colon == NULL)
		snprintf(pattern, sizeof(pattern), "twinsec*");
	else if (strncmp(spec, "twinsec", 7) == 0)
		snprintf(pattern, sizeof(pattern), "%.*s",
			 (int)(colon - spec), spec);
	else
		snprintf(pattern, sizeof(pattern), "twinsec.%.*s",
			 (int)(colon - spec), spec);
	if (rte_log_set_level_pattern(pattern, (uint32_t)level + 1) < 0)
		return -EINVAL;
	return 0;
}
