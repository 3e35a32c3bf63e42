/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TWINSECD_CTL_CPIF_H
#define TWINSECD_CTL_CPIF_H

/*
 * The exception path on the control lcore (docs/control-plane.md): what
 * the punt demux (ctl_punt.c) does not answer itself and is for the box
 * goes to the port's control-plane interface (dataplane/dp_cpif.h), and
 * what the kernel sends out of that interface is sent on the port. The
 * interface mirrors the port's configured address; a check every second
 * puts it back if someone changed it, and notices a deleted interface.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>

struct ctl;

/* Why a frame went to the kernel (counted per port). */
enum ctl_cp_why {
	CTL_CP_ARP,         /* a copy: arp.c answers and learns too */
	CTL_CP_ICMP,        /* a copy of ICMP that is not an echo request */
	CTL_CP_UDP,         /* UDP to us no twinsec service listens on */
	CTL_CP_MCAST,       /* multicast or broadcast, not UDP (OSPF ...) */
	CTL_CP_PROTO,       /* TCP and other protocols to our address */
	CTL_CP_N_WHY,
};

struct ctl_cpif_counters {
	uint64_t to_kernel[CTL_CP_N_WHY];
	uint64_t to_kernel_dropped;     /* queue full, or no interface */
	uint64_t from_kernel;           /* sent on the port */
	uint64_t from_kernel_arp_reply; /* dropped: arp.c answers already */
	uint64_t from_kernel_not_ipv4;  /* dropped: IPv6, other ethertypes */
	uint64_t from_kernel_tx_fail;   /* dp_tx refused (port shut, full) */
	uint64_t mirror_fixes;          /* address put back */
	uint64_t lost;                  /* the interface vanished */
};

const char *ctl_cp_why_name(enum ctl_cp_why w);

/* ctl_init(): address, netmask, IPv6 off; arms the periodic check. */
int ctl_cpif_init(struct ctl *ctl);
void ctl_cpif_fini(struct ctl *ctl);
/*
 * Give m (received on port, data at the Ethernet header) to the kernel:
 * true when port has a control-plane interface (m consumed, counted),
 * false otherwise (m untouched).
 */
bool ctl_cpif_take(struct ctl *ctl, uint16_t port, struct rte_mbuf *m,
		   enum ctl_cp_why why);
/* A copy of m to the kernel; m stays the caller's. */
void ctl_cpif_copy(struct ctl *ctl, uint16_t port, const struct rte_mbuf *m,
		   enum ctl_cp_why why);
/*
 * The configured addresses onto the kernel interfaces where they differ
 * (every second, and after a reload: reload.c); counted address_fixes.
 */
void ctl_cpif_mirror_all(struct ctl *ctl);
/* Every loop iteration: what the kernels sent, onto the ports. */
unsigned int ctl_cpif_poll(struct ctl *ctl);
/* The port whose control-plane interface has ifindex, or -1. */
int ctl_cpif_port_of(int ifindex);
const struct ctl_cpif_counters *ctl_cpif_counters(uint16_t port);

#endif /* TWINSECD_CTL_CPIF_H */
