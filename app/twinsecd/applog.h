/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TWINSECD_APPLOG_H
#define TWINSECD_APPLOG_H

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

#endif /* TWINSECD_APPLOG_H */
