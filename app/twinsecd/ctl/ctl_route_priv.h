/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TWINSECD_CTL_ROUTE_PRIV_H
#define TWINSECD_CTL_ROUTE_PRIV_H

/*
 * Between the learned-route table (ctl_route.c) and the netlink listener
 * that feeds it (ctl_route_nl.c); not for other files.
 */

#include <stdbool.h>
#include <stdint.h>

struct ctl;
struct ctl_route_counters;

void ctl_route_table_init(struct ctl *ctl);
/* The counters, for the listener to count in. */
struct ctl_route_counters *ctl_route_cnt(void);
/* Routes added or replaced from now on carry dump generation gen. */
void ctl_route_set_gen(uint64_t gen);
/* A dump ended: remove the routes it did not show (other generation). */
void ctl_route_sweep(struct ctl *ctl);
/* Routes out of port: its interface went down or away (why: logged). */
void ctl_route_flush_port(struct ctl *ctl, uint16_t port, const char *why);
/* Were routes refused, and is there room now? Clears the flag if so. */
bool ctl_route_refused_room(void);

#endif /* TWINSECD_CTL_ROUTE_PRIV_H */
