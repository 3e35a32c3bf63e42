/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TWINSECD_HSRP_TELEMETRY_H
#define TWINSECD_HSRP_TELEMETRY_H

/*
 * /twinsec/standby: per group (key INTERFACE_GROUP) interface, group,
 * version, name, state, vip, vmac, vip_owned, priority (in use and
 * configured), preempt, timers, active/standby router ("local", an
 * address or "unknown") and their priorities, last change, counters; and
 * "summary": split detector (split no/settling/yes, splits, split_ms) and
 * the HSRP packets no group took.
 */

#include "ctl.h"

int hsrp_telemetry_init(struct ctl *ctl);

#endif /* TWINSECD_HSRP_TELEMETRY_H */
