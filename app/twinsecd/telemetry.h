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
 * Every endpoint but /twinsec/version runs on the control lcore
 * (ctl/ctl_telemetry.h). The subsystems register their own: /twinsec/standby
 * (hsrp/), /twinsec/ike (ike/), /twinsec/redundancy (ha/).
 */

#include "ctl.h"

struct rte_tel_data;

/* Set up the endpoints above, and the control lcore the subsystems'
 * endpoints ask (ctl_telemetry_attach()): before theirs. */
int telemetry_init(struct ctl *ctl);

#endif /* TWINSECD_TELEMETRY_H */
