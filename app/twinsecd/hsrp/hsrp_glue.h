/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TWINSECD_HSRP_GLUE_H
#define TWINSECD_HSRP_GLUE_H

/*
 * HSRP in twinsecd: one struct hsrp_group (lib/hsrp, the pure engine) per
 * configured standby group, driven from the control lcore, its actions
 * carried out here:
 *
 *   UDP 1985 punted by the workers (v1 to 224.0.0.2, v2 to 224.0.0.102)
 *       -> hsrp_decode -> HSRP_EV_PACKET of the (port, version, group)
 *   deadlines in ctl->heap           -> HSRP_EV_TIMER
 *   link polled by the control loop, admin state (hsrp_glue_if_admin)
 *       -> HSRP_EV_IF_UP/DOWN for the port's groups,
 *          HSRP_EV_TRACK_UP/DOWN for the groups tracking the port
 *
 *   SEND         Ethernet / IPv4 (TTL 1) / UDP 1985 -> 1985, dp_tx()
 *   ARM, CANCEL  tw_heap deadlines
 *   CLAIM_VIP    ARP answers for the VIP with the VMAC (arp_local_add),
 *                the VMAC on the port (dp_port_mac_add), the VIP one of
 *                our addresses in the fast path (dp_local_addr_set owned;
 *                an IPv6 group: NS answered by nd_vip.c, its global VIPs
 *                dp_local_addr6_set owned)
 *   RELEASE_VIP  the reverse; the fast path then drops traffic to the VIP
 *                (DP_DROP_VIP_STANDBY) rather than route it back to the LAN
 *   GARP         garp_count gratuitous ARPs, garp_interval_ms apart
 *   STATE        IOS-style log line, split check, listeners
 *
 * Everything here runs on the control lcore. Other threads (the console)
 * reach it through ctl_call().
 */

#include <stdbool.h>
#include <stdint.h>

#include "conf.h"
#include "ctl.h"
#include "hsrp.h"

#define HSRP_GLUE_MAX_GROUPS 32
#define HSRP_GLUE_MAX_LISTENERS 8
/* Split: one group Active, another not, for this many hold times ... */
#define HSRP_SPLIT_SETTLE_HOLDS 2
/* ... then LOG_CRIT, repeated at most this often while it lasts. */
#define HSRP_SPLIT_LOG_EVERY TW_SEC(10)

/*
 * A group changed state: what the redundancy layer (and anything else that
 * follows a group) registers for with hsrp_glue_listen(). name is "" for
 * an unnamed group.
 */
typedef void (*hsrp_glue_state_fn)(void *arg, const char *name,
				   uint16_t port, uint16_t group,
				   enum hsrp_state from, enum hsrp_state to,
				   tw_time_t now);

struct hsrp_glue_group;

/* A deadline of one group's engine timer. */
struct hsrp_glue_timer {
	struct tw_deadline dl;
	struct hsrp_glue_group *gg;
	enum hsrp_timer which;
};

struct hsrp_glue_counters {
	uint64_t rx;                 /* HSRP packets handed to the engine */
	uint64_t rx_malformed;       /* UDP 1985 that does not decode */
	uint64_t rx_bad_addr;        /* wrong group address for the version */
	uint64_t rx_no_group;        /* no such (port, version, group) here */
	uint64_t tx;
	uint64_t tx_errors;          /* no mbuf, encode, or TX queue full */
	uint64_t garps;
	uint64_t vip_claims, vip_releases;
};

struct hsrp_glue_group {
	struct hsrp_group g;
	struct ctl *ctl;
	const struct conf_standby *cs;
	uint16_t port;
	struct hsrp_glue_timer timer[HSRP_TIMER_MAX];
	struct tw_deadline garp_dl;
	uint32_t garp_left;
	bool vip_claimed;
	uint16_t ip_id;
	tw_time_t active_seen;       /* last hello from the active router */
	tw_time_t other_seen;        /* ... claiming Active, not from us */
	tw_time_t up_at;             /* its interface last came up */
	struct hsrp_glue_counters cnt;
};

struct hsrp_split {
	struct tw_heap *heap;
	bool split;                  /* groups disagree right now */
	bool declared;               /* ... for longer than the settle time */
	tw_time_t since;
	tw_time_t settle;
	tw_time_t last_log;
	uint64_t count;              /* splits declared */
	uint64_t logs;
	struct tw_deadline dl;
};

/* Set up every configured group (not started: links come from the poll). */
int hsrp_glue_init(struct ctl *ctl, char *err, size_t errlen);
/* Release VIPs and cancel deadlines (shutdown, before dp_fini). */
void hsrp_glue_fini(void);
/*
 * Reload (reload.c): c has the running config's interfaces and standby
 * groups, in the same order, but for their priority, preempt and preempt
 * delays, which are applied now (a priority change goes through the
 * engine: a Hello at once, a coup or a resign as the protocol says). The
 * number of groups changed.
 */
unsigned int hsrp_glue_reconfigure(const struct conf *c, tw_time_t now);

/* The console's "shutdown" / "no shutdown" of an interface (port). */
int hsrp_glue_if_admin(uint16_t port, bool up);

/* The state of the group named name; -ENOENT if there is none. */
int hsrp_glue_group_state(const char *name, enum hsrp_state *state);
/*
 * redundancy force-switchover: every Active group resigns (HSRP admin
 * resign: Resign sent, Speak, no preempting back). The number resigned.
 */
unsigned int hsrp_glue_resign(void);
/*
 * The groups follow the twin's redundancy role (IOS "standby follow"):
 * every group but lead (the scheme group) is Active when active is true
 * and never Active otherwise; lead is set to lead_follow (NONE: its own
 * election; STANDBY: it lost a split; ACTIVE: held while the twin says
 * it is standby). lead NULL: every group on its own again.
 */
int hsrp_glue_follow(const char *lead, bool active,
		     enum hsrp_follow lead_follow);
/*
 * The twin says over the sync channel that it left ACTIVE: group name
 * takes it as the active router's Resign (it may have no link to send
 * one on). 1 when told, 0 when it made no sense (Active already, no
 * active known), -ENOENT for no such group.
 */
int hsrp_glue_active_gone(const char *name);
/*
 * Group name is not Active and hears another active router now (a Hello
 * within its hold time): HSRP itself keeps it out.
 */
bool hsrp_glue_hears_active(const char *name, tw_time_t now);
/* Another router's Hello claiming Active reached group name within its
 * hold time, whatever its own state (a split brain healing). */
bool hsrp_glue_hears_other_active(const char *name, tw_time_t now);
/* The active router group name heard last and when (0: none). */
uint32_t hsrp_glue_active_heard(const char *name, tw_time_t *at);
/* Group name's hold time in ms (0: no such group). */
uint32_t hsrp_glue_hold_ms(const char *name);
/* When group name's interface last came up (0: never, no such group). */
tw_time_t hsrp_glue_up_at(const char *name);
/* Be told of every state change of every group. -ENOSPC when full. */
int hsrp_glue_listen(hsrp_glue_state_fn fn, void *arg);

/* For show commands and telemetry: iterate groups, first with prev NULL. */
const struct hsrp_glue_group *hsrp_glue_next(const struct hsrp_glue_group *prev);
const struct hsrp_split *hsrp_glue_split(void);
unsigned int hsrp_glue_count(void);

/* Packets no group took (malformed, wrong address, unknown group). */
const struct hsrp_glue_counters *hsrp_glue_counters(void);

/*
 * hsrp_split.c: the twin's groups on different interfaces must agree
 * (all Active or none): re-evaluated after every state change and by its
 * own deadline while they disagree.
 */
void hsrp_split_init(struct hsrp_split *s, struct tw_heap *heap);
void hsrp_split_check(struct hsrp_split *s, tw_time_t now);
void hsrp_split_fini(struct hsrp_split *s);

#endif /* TWINSECD_HSRP_GLUE_H */
