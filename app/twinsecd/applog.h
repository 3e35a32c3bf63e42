/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TWINSECD_APPLOG_H
#define TWINSECD_APPLOG_H

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

#endif /* TWINSECD_APPLOG_H */
