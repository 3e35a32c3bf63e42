/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TWINSECD_CTL_TELEMETRY_H
#define TWINSECD_CTL_TELEMETRY_H

/*
 * DPDK telemetry callbacks run on DPDK's telemetry thread, never on the
 * control lcore, and control state belongs to the control lcore alone. So
 * every endpoint that reads control state (telemetry.c, and each
 * subsystem's own: hsrp/, ike/, ha/) is a request to the control lcore:
 * the callback posts a function that fills the rte_tel_data through
 * ctl_call() and waits up to a second for the control loop (which looks
 * for requests every iteration, at most ~1 ms apart) to run it. The answer
 * is therefore consistent with control state at one instant; the console
 * uses the same channel.
 */

#include "ctl.h"

struct rte_tel_data;

/* What a fill function run by ctl_telemetry_call() gets as its argument:
 * the endpoint's parameters, the data to fill, and its result (0 or
 * -errno). */
struct ctl_tel_req {
	const char *params;
	struct rte_tel_data *d;
	int rc;
};

/* A counter into a telemetry dict (rte_telemetry.h). */
#define CTL_TEL_U64(d, k, v) rte_tel_data_add_dict_u64(d, k, (uint64_t)(v))

/* The control loop the endpoints ask (before registering any). */
void ctl_telemetry_attach(struct ctl *ctl);

/* Run fill(ctl, &req) on the control lcore and wait for it (1 s at most);
 * the callback's return value, -ENODEV before ctl_telemetry_attach(). */
int ctl_telemetry_call(ctl_call_fn fill, const char *params,
		       struct rte_tel_data *d);

#endif /* TWINSECD_CTL_TELEMETRY_H */
