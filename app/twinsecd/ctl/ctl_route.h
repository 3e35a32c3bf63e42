/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TWINSECD_CTL_ROUTE_H
#define TWINSECD_CTL_ROUTE_H

/*
 * Routes learned from the kernel (docs/control-plane.md): a netlink route
 * listener (libmnl) on the control lcore, polled every loop iteration,
 * never blocking. Unicast IPv4 routes of the configured kernel table
 * (dataplane.kernel_route_table, main by default) whose next hop is out
 * of a control-plane interface (FRR's OSPF, BGP ... routes, or an
 * operator's "ip route add ... dev cp-in") are programmed into the fast
 * path's FIB through ctl_route_learned_add()/del(), and removed when the
 * kernel withdraws them, or when their interface goes down or away (the
 * kernel flushes those routes without telling).
 *
 * Precedence (administrative distance, IOS): connected 0 and the
 * configuration's static routes 1 win over any learned route for the
 * same prefix and length (the learned one is kept, "shadowed", and not
 * programmed); among learned routes of one prefix the lowest distance
 * from ctl_route_distance(), then the lowest metric, is programmed.
 * Longest match between different prefixes is the FIB's, as in IOS.
 * At most CTL_ROUTE_MAX are held: more are refused (counted), and taken
 * from the kernel table again once there is room.
 */

#include <stdbool.h>
#include <stdint.h>

struct ctl;

#define CTL_ROUTE_MAX 4096      /* learned routes held; more are refused */

struct ctl_route_counters {
	uint64_t nl_msgs;           /* netlink messages read */
	uint64_t nl_unknown;        /* message types we do not use */
	uint64_t nl_malformed;      /* attributes that do not parse */
	uint64_t nl_overruns;       /* ENOBUFS: messages lost, resynced */
	uint64_t nl_errors;         /* other receive errors */
	uint64_t nl_foreign;        /* dropped: sent by a process, not the
				     * kernel */
	uint64_t dumps;             /* full table reads (start, resync) */
	uint64_t added, replaced, deleted;
	uint64_t ignored;           /* other table, family, type, interface */
	uint64_t multipath;         /* ECMP routes: first next hop used */
	uint64_t table_full;        /* refused: CTL_ROUTE_MAX held */
	uint64_t fib_errors;        /* dp_route_add()/del() failed */
	uint64_t flushed;           /* removed: interface down or deleted */
};

/* A learned route as the telemetry shows it. */
struct ctl_route_view {
	uint32_t prefix;            /* host order */
	uint8_t len;
	uint32_t nexthop;           /* 0: on link */
	uint16_t port;
	uint8_t proto;              /* the kernel's rtm_protocol */
	uint8_t distance;
	uint32_t metric;
	bool programmed;            /* in the FIB (else shadowed or beaten) */
	bool shadowed;              /* a connected or static route wins */
};

/* ctl_init(): opens and binds the socket, asks for the table. */
int ctl_route_init(struct ctl *ctl);
void ctl_route_fini(struct ctl *ctl);
/* Every loop iteration: reads what is waiting (bounded), programs it. */
void ctl_route_poll(struct ctl *ctl);

/*
 * The one entry point of learned routes (the RIB may take it over): add
 * or replace the route to prefix/len with this metric, learned by proto
 * (rtm_protocol numbers), via nexthop (host order, 0: on link) out of
 * port; del removes it (nexthop, port and proto are not compared).
 * 0, -ENOSPC when CTL_ROUTE_MAX are held, -EINVAL, -ENOENT (del).
 */
int ctl_route_learned_add(struct ctl *ctl, uint32_t prefix, uint8_t len,
			  uint32_t nexthop, uint16_t port, uint8_t proto,
			  uint32_t metric);
int ctl_route_learned_del(struct ctl *ctl, uint32_t prefix, uint8_t len,
			  uint32_t nexthop, uint16_t port, uint8_t proto,
			  uint32_t metric);
/* The administrative distance given to routes of an rtm_protocol. */
uint8_t ctl_route_distance(uint8_t proto);
const char *ctl_route_proto_name(uint8_t proto);

const struct ctl_route_counters *ctl_route_counters(void);
/* How many learned routes are held. */
unsigned int ctl_route_count(void);
/* Learned route i (0 ..), false past the last. */
bool ctl_route_view(unsigned int i, struct ctl_route_view *v);

#endif /* TWINSECD_CTL_ROUTE_H */
