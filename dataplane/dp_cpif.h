/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef DP_CPIF_H
#define DP_CPIF_H

/*
 * Control-plane interfaces (the exception path, docs/control-plane.md):
 * for every port whose dp_port_params.cp_name is set, a kernel TAP
 * interface of that name created through DPDK's net_tap PMD, with the
 * port's MAC address and MTU. The control lcore alone uses it (one RX and
 * one TX queue): what the box does not answer itself goes to the kernel
 * with dp_cpif_to_kernel(), and what the kernel writes out of the
 * interface comes back with dp_cpif_from_kernel() for dp_tx(). Addresses
 * are the caller's (ctl/ctl_cpif.c mirrors the configuration's).
 *
 * dp_init() creates them after the ports (a failure is a start error
 * naming the interface), dp_fini() removes them. Control lcore only.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>

struct dp_cpif_stats {
	uint64_t to_kernel;       /* frames written to the kernel interface */
	uint64_t from_kernel;     /* frames the kernel sent out of it */
	uint64_t to_kernel_full;  /* dropped: the TAP queue took no more */
	uint64_t tap_errors;      /* the PMD's RX/TX errors (e.g. deleted) */
};

/* Does port have a control-plane interface? */
bool dp_cpif_enabled(uint16_t port);
/* Its kernel name, or NULL. */
const char *dp_cpif_name(uint16_t port);
/*
 * Hand a complete frame (Ethernet header included) to the kernel: takes
 * m in every case; -ENOBUFS (counted, freed) when the queue is full,
 * -ENODEV when port has none.
 */
int dp_cpif_to_kernel(uint16_t port, struct rte_mbuf *m);
/* Up to n frames the kernel sent out of port's interface (never blocks). */
unsigned int dp_cpif_from_kernel(uint16_t port, struct rte_mbuf **mb,
				 unsigned int n);
int dp_cpif_stats_read(uint16_t port, struct dp_cpif_stats *out);

/* dp_main.c */
int dp_cpif_init(char *err, size_t errlen);
void dp_cpif_fini(void);

#endif /* DP_CPIF_H */
