/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TWINSECD_ROUTE_H
#define TWINSECD_ROUTE_H

/*
 * The daemon's routing table (prefix route_): one RIB (lib/net/net_rib.h)
 * holding the connected subnets, the configuration's static routes, the
 * routes reverse route injection adds, and what anyone learns from the
 * kernel (route_add() with RIB_OSPF, RIB_EBGP, RIB_IBGP, RIB_KERNEL).
 * Every change of a prefix's best route is staged into the fast path's FIB
 * (dp_route_add()/dp_route_del()); the control loop's next dp_commit()
 * publishes it. Precedence is the administrative distance
 * (net_rib.h: connected 0, static 1, RRI 1 or its crypto map's
 * distance, eBGP 20, OSPF 110, iBGP 200, other kernel routes 250).
 *
 * Reverse route injection (route_rri.c): the SA database's watcher. While
 * an outbound SA of a crypto map entry with reverse_route is INSTALLED
 * (on a twin pair: only on the ACTIVE twin, the standby holds every SA
 * DECOUPLED), a route to each of its remote protected subnets (and with
 * remote_peer a host route to the peer) is in the RIB (RIB_RRI) and in
 * the kernel (route_nl.c: protocol ROUTE_RTPROT, on the kernel interface
 * named as the inside interface). Installing an SA (a takeover, IKE,
 * config) injects; leaving INSTALLED (relinquish, deletion) withdraws.
 * Several SAs needing one prefix share it (counted).
 *
 * Layer: below ctl/ (the control loop, and whatever feeds learned routes,
 * may call it), above net/; it calls only the fast path and lib/.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cli_data.h"
#include "conf.h"
#include "net_rib.h"
#include "sadb.h"

/* rtm_protocol of our kernel routes (dist/iproute2: "twinsec"). */
#define ROUTE_RTPROT 213

/*
 * The RIB for the config c, RRI watching db. Opens the netlink socket
 * (failure is logged and counted: the kernel side stays off) and removes
 * routes of protocol ROUTE_RTPROT a previous run left in the kernel.
 * -errno with err.
 */
int route_init(const struct conf *c, struct sadb *db, char *err,
	       size_t errlen);
void route_fini(void);
/* The configuration the RRI settings are read from (a reload). */
void route_set_conf(const struct conf *c);

/*
 * Add or replace (prefix, len, src); the fast path follows its best
 * route. 0 or -errno (-EINVAL bad route or port, -ENOSPC RIB full).
 * A kernel route listener picks src with rib_source_of_rtprot(proto,
 * ROUTE_RTPROT) and skips our own (RIB_SOURCE_MAX), and sets distance
 * from rib_source_distance(src).
 */
int route_add(const struct rib_route *r);
/* Remove (prefix, len, src): 0, -ENOENT. */
int route_del(uint32_t prefix, uint8_t len, enum rib_source src);
const struct rib *route_rib(void);

struct route_counters {
	uint64_t rib_adds, rib_dels, rib_errors;
	uint64_t fib_adds, fib_dels, fib_errors;
	/* reverse route injection */
	uint64_t rri_injected, rri_withdrawn;   /* prefixes in / out */
	uint64_t rri_no_entry;      /* SA of an entry the config lacks */
	uint64_t rri_errors;        /* RIB refused */
	uint64_t rri_ns;            /* time spent injecting/withdrawing */
	uint32_t rri_now;           /* prefixes injected now */
	/* the kernel side (route_nl.c) */
	uint64_t nl_adds, nl_dels, nl_errors;
	uint64_t nl_no_iface;       /* the inside interface is missing */
	uint64_t nl_flushed;        /* stale routes removed at start */
	bool nl_open;
};
const struct route_counters *route_counters(void);

/*
 * Console snapshots (plain data, the caller frees t->v): the best routes
 * plus one local /32 per interface address (show ip route), and the
 * injected routes (show crypto route).
 */
int route_cli_routes(struct cli_route_table *t);
int route_cli_crypto(struct cli_route_table *t);

/* route_nl.c: the kernel's copy of an injected route. */
int route_nl_open(char *err, size_t errlen);
void route_nl_close(void);
int route_nl_flush(void);
int route_nl_route(bool add, uint32_t prefix, uint8_t len,
		   const char *ifname, uint32_t metric, uint32_t tag);

/* route_rri.c */
int route_rri_init(struct sadb *db);
void route_rri_fini(void);
/*
 * Add to the kernel the injected routes it does not hold (their interface
 * was missing: call when the inside control-plane interface appears).
 * The number in the kernel now.
 */
unsigned int route_rri_resync(void);
/* Whether (prefix, len) is injected now, and is in the kernel. */
bool route_rri_kernel(uint32_t prefix, uint8_t len);

/* route.c's, for route_rri.c and route_nl.c */
struct route_counters *route_cnt(void);
const struct conf *route_conf(void);

#endif /* TWINSECD_ROUTE_H */
