/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TWINSECD_TELEMETRY_H
#define TWINSECD_TELEMETRY_H

/*
 * DPDK telemetry endpoints, readable with dpdk-telemetry.py
 * (socket /var/run/dpdk/<file-prefix>/dpdk_telemetry.v2):
 *   /twinsec/version      twinsec and DPDK versions
 *   /twinsec/interfaces   per interface: port, device, role, address, link,
 *                         packet counters
 *   /twinsec/sa[,ID]      SA list; with an SA id, that SA's counters
 *   /twinsec/drops        fast-path drops per reason
 *   /twinsec/arp          neighbour table
 *   /twinsec/control      control-lcore counters (punts, ARP, ICMP, sadb)
 *
 * Threading: the callbacks run on DPDK's telemetry thread, never on the
 * control lcore, and control state belongs to the control lcore alone. So
 * every endpoint except /twinsec/version is a request to the control lcore
 * (ctl_call()): the callback posts a function that fills the rte_tel_data
 * and waits up to a second for the control loop (which looks for requests
 * every iteration, at most ~1 ms apart) to run it. The answer is therefore
 * consistent with control state at one instant, at the cost of a
 * round-trip to the control lcore; the console (issue 6) uses the same
 * channel.
 */

#include "ctl.h"

struct rte_tel_data;

/* What a fill function run by telemetry_call() gets as its argument: the
 * endpoint's parameters, the data to fill, and its result (0 or -errno). */
struct tel_req {
	const char *params;
	struct rte_tel_data *d;
	int rc;
};

/* Set up the endpoints above; first, the other telemetry files rely on
 * it for telemetry_call(). */
int telemetry_init(struct ctl *ctl);

/* Run fill(ctl, &req) on the control lcore and wait for it (1 s at most);
 * the callback's return value. */
int telemetry_call(ctl_call_fn fill, const char *params,
		   struct rte_tel_data *d);

#endif /* TWINSECD_TELEMETRY_H */
