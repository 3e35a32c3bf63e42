/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef HSRP_H
#define HSRP_H

/*
 * The HSRP engine: one struct hsrp_group per standby group, driven by
 * hsrp_event(group, event, now, actions). It implements RFC 2281 section 6
 * (states, the active, standby and hello timers, events a-l, actions A-H)
 * for HSRP version 1 and Cisco's version 2, plus what IOS adds around it:
 * preempt with "delay minimum" and "delay reload", interface tracking with
 * priority decrements, text and MD5 authentication, virtual MACs.
 *
 * It is a pure core: no sockets, no clock, no globals, no DPDK. The caller
 * passes the time in every call and carries out the actions it gets back.
 *
 * How twinsecd drives a group (one control thread owns it):
 *
 *   struct hsrp_group g;
 *   struct hsrp_action acts[HSRP_ACTIONS_MAX];
 *   hsrp_config_defaults(&cfg, 2, 10); ... fill cfg from the config file;
 *   if (hsrp_group_init(&g, &cfg, err, sizeof(err)) < 0) refuse to start;
 *
 *   link up:      ev.type = HSRP_EV_IF_UP
 *   link down:    ev.type = HSRP_EV_IF_DOWN
 *   UDP 1985 to 224.0.0.2 (v1) / 224.0.0.102 (v2) punted to the control
 *   lcore:        hsrp_decode(payload) to find (version, group), then
 *                 ev.type = HSRP_EV_PACKET with msg, raw bytes and the IP
 *                 source (the raw bytes are needed for MD5)
 *   deadline X passed:  ev.type = HSRP_EV_TIMER, ev.u.timer = X
 *   tracked object (port link, admin shut):  HSRP_EV_TRACK_UP/DOWN with id
 *   console:      HSRP_EV_PRIORITY, HSRP_EV_ADMIN_RESIGN/SHUTDOWN/ENABLE
 *
 *   n = hsrp_event(&g, &ev, now, acts, HSRP_ACTIONS_MAX);
 *   for each of the n actions, in order:
 *     HSRP_ACT_SEND:    build Ethernet (src = u.send.src_mac, dst =
 *                       u.send.dst_mac) / IPv4 (u.send.src_ip -> dst_ip,
 *                       TTL 1, proto UDP) / UDP (1985 -> 1985) around
 *                       u.send.data (u.send.len bytes) and transmit it
 *     HSRP_ACT_ARM:     (re)arm deadline u.timer.which at u.timer.at,
 *                       replacing any earlier one for that timer
 *     HSRP_ACT_CANCEL:  forget deadline u.timer.which
 *     HSRP_ACT_CLAIM_VIP:   answer ARP for u.vip.addr with u.vip.vmac,
 *                       accept frames to vmac (rte_eth_dev_mac_addr_add)
 *     HSRP_ACT_RELEASE_VIP: stop both
 *     HSRP_ACT_GARP:    send gratuitous ARP(s) for (u.vip.addr, u.vip.vmac)
 *                       (count and interval are the daemon's settings)
 *     HSRP_ACT_STATE:   state changed (u.state.from, to, reason): the
 *                       redundancy layer's notification
 *     HSRP_ACT_NA:      (IPv6 groups, instead of GARP) unsolicited
 *                       Neighbour Advertisements with the override flag
 *                       to ff02::1 for (u.vip.addr6, u.vip.vmac) and the
 *                       group's global virtual addresses
 *
 * IPv6 groups: SEND has u.send.ipv6 set, to ff02::66 from the link-local
 * u.send.src_ip6, UDP 2029, hop limit 255; CLAIM_VIP/RELEASE_VIP have
 * u.vip.ipv6 set and mean "answer NS" for the link-local VIP (and the
 * group's global virtual addresses, which the daemon keeps).
 *
 * A deadline that fires after it was re-armed or cancelled is recognised
 * (g->deadline[] no longer matches) and ignored, so the daemon's deadline
 * heap need not be exact about cancellation.
 *
 * Transitions all go through one function (hsrp_set_state(), hsrp_state.c)
 * which checks the table, logs "Grp N: A -> B (reason)" through tw_log,
 * counts, and runs the entry action.
 *
 * Choices where RFC 2281 is silent or IOS differs (see hsrp_state.c):
 * - Entering Standby with no active router known goes on to Active at
 *   once (IOS logs Speak -> Standby -> Active for a lone router).
 * - Resign is sent when leaving Active (b, j, operator resign), but not on
 *   event g: the other active is already there, and a Resign would make
 *   routers still following us promote their standby.
 * - A Resign counts only from the router we know as active.
 * - A priority change (tracking, config) sends a Hello at once from
 *   Speak/Standby/Active and re-evaluates preemption at once; an active
 *   router whose priority drops does not resign by itself, the preempting
 *   peer's Coup makes it (IOS behaviour). The floor is 0.
 * - Preempt delay: "reload" applies to the first interface up after
 *   hsrp_group_init(), "minimum" to every later one (the larger wins).
 * - No hello jitter: a pure core has no randomness; the daemon may skew.
 * - v1 carries whole seconds: millisecond timers go out rounded up, so v1
 *   peers that learn timers learn the rounded ones.
 * - MD5 authentication also works with v1 (Cisco appends the same TLV).
 * - A Hello whose hold time is not above its hello time is dropped (bad).
 * - Timers are learned only within IOS's configurable ranges (hello 15 ms to
 *   254 s, hold 50 ms to 255 s); a Hello outside them still counts as a
 *   Hello, but its timers are neither learned nor used to arm ours
 *   (counted: timers_ignored).
 * - MD5 authentication has no replay protection: HSRP carries no sequence
 *   number or timestamp, so a captured authenticated packet (a Coup, a
 *   Hello with priority 255) can be replayed on the LAN as is. Cisco's MD5
 *   has the same limit; it keeps strangers from forging packets, not an
 *   attacker on the segment from repeating them.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hsrp_codec.h"
#include "tw_addr.h"
#include "tw_time.h"

#define HSRP_DEFAULT_PRIORITY 100
#define HSRP_DEFAULT_HELLO_MS 3000
#define HSRP_DEFAULT_HOLD_MS 10000
#define HSRP_DEFAULT_DECREMENT 10
#define HSRP_DEFAULT_AUTH_TEXT "cisco"  /* RFC 2281 5.1 */
#define HSRP_TRACK_MAX 8
#define HSRP_NAME_MAX 32
#define HSRP_IFNAME_MAX 16
/* Enough for any single event; hsrp_event() refuses smaller arrays. */
#define HSRP_ACTIONS_MAX 32

/* An object whose failure lowers our priority (IOS "standby G track"). */
struct hsrp_track {
	uint32_t id;          /* the daemon's handle (e.g. a port id) */
	uint8_t decrement;    /* default HSRP_DEFAULT_DECREMENT */
};

/*
 * Configuration of one group. IPv4 addresses in host order, IPv6 ones in
 * network order. An IPv6 group (af TW_AF_INET6, version 2 only) is the
 * same state machine: routers are told apart by their link-local source
 * addresses (if_ip6, the tie-break compares them as 128-bit numbers), the
 * virtual address is the link-local vip6 (from the virtual MAC by
 * modified EUI-64 when not configured), and the engine's actions carry
 * IPv6 addresses (hsrp_action: send.ipv6, vip.ipv6, HSRP_ACT_NA).
 */
struct hsrp_config {
	uint8_t af;                    /* TW_AF_INET (default) or TW_AF_INET6 */
	uint8_t version;               /* 1 or 2 */
	uint16_t group;                /* v1: 0-255, v2: 0-4095 */
	char name[HSRP_NAME_MAX];      /* "standby G name", "" if none */
	char ifname[HSRP_IFNAME_MAX];  /* for logs, "" if none */
	uint32_t vip;                  /* 0: learn it from the active router */
	uint8_t priority;              /* default 100 */
	bool preempt;
	uint32_t preempt_delay_min_ms;    /* after the interface comes up */
	uint32_t preempt_delay_reload_ms; /* after the first up (startup) */
	bool timers_set;               /* else defaults, learnable (RFC 5.1) */
	uint32_t hello_ms;             /* default 3000 */
	uint32_t hold_ms;              /* default 10000; > hello_ms */
	enum hsrp_auth_type auth;      /* default TEXT "cisco"; NONE: v2 only */
	char auth_text[HSRP_AUTH_TEXT_LEN + 1];
	char md5_key[HSRP_MD5_KEY_MAX + 1];  /* "key-string" */
	uint32_t md5_key_id;
	struct hsrp_track track[HSRP_TRACK_MAX];
	unsigned int n_track;
	bool vmac_set;                 /* else 0000.0c07.acXX / 0000.0c9f.fXXX */
	uint8_t vmac[6];
	uint32_t if_ip;                /* our interface address */
	uint8_t if_mac[6];             /* our interface MAC (burned in) */
	uint8_t vip6[16];              /* IPv6: link-local VIP, 0: derived */
	uint8_t if_ip6[16];            /* IPv6: our link-local address */
};

enum hsrp_timer {
	HSRP_TIMER_ACTIVE,   /* RFC 2281 6.3: monitors the active router */
	HSRP_TIMER_STANDBY,  /* monitors the standby router */
	HSRP_TIMER_HELLO,    /* our next hello */
	HSRP_TIMER_PREEMPT,  /* end of the preempt delay */
	HSRP_TIMER_MAX,
};

enum hsrp_event_type {
	HSRP_EV_PACKET,         /* a packet for this group was received */
	HSRP_EV_TIMER,          /* a deadline we armed has passed */
	HSRP_EV_IF_UP,          /* RFC 6.4 a */
	HSRP_EV_IF_DOWN,        /* RFC 6.4 b */
	HSRP_EV_TRACK_UP,
	HSRP_EV_TRACK_DOWN,
	HSRP_EV_PRIORITY,       /* configured priority changed */
	HSRP_EV_ADMIN_RESIGN,   /* give up Active; no preempting until enabled */
	HSRP_EV_ADMIN_SHUTDOWN, /* like b, until HSRP_EV_ADMIN_ENABLE */
	HSRP_EV_ADMIN_ENABLE,
	HSRP_EV_FOLLOW,         /* u.follow: how the group follows a lead */
	/*
	 * The active router said on another channel than this LAN (the
	 * twins' sync channel) that it is no longer Active: as its Resign
	 * (event i) would, when it cannot send one here (its link to this
	 * LAN is down). Ignored when no active router is known.
	 */
	HSRP_EV_ACTIVE_GONE,
	HSRP_EV_MAX,
};

/*
 * A group that follows a lead (IOS "standby follow", keepalived's
 * vrrp_sync_group): twinsecd makes every group of a twin follow the
 * redundancy role, so one twin holds every VIP or none.
 *   NONE     its own election (RFC 2281), the default
 *   ACTIVE   Active whenever its interface is up: a Coup from any other
 *            state that speaks, Coups from others and Hellos of a higher
 *            active router answered with a Coup, not obeyed
 *   STANDBY  never Active: resigns if it is, and the events that would
 *            make it Active (active timer, Resign, preempt, no active
 *            router) leave it Standby (or Speak)
 */
enum hsrp_follow {
	HSRP_FOLLOW_NONE,
	HSRP_FOLLOW_ACTIVE,
	HSRP_FOLLOW_STANDBY,
	HSRP_FOLLOW_MAX,
};

struct hsrp_event {
	enum hsrp_event_type type;
	union {
		struct {
			/* Decoded message, or NULL to have the engine decode
			 * raw itself (and count it when malformed). */
			const struct hsrp_msg *msg;
			const uint8_t *raw;   /* the UDP payload */
			size_t len;
			uint32_t src_ip;      /* IPv4 source, host order */
			uint8_t src_ip6[16];  /* IPv6 groups: the source */
		} pkt;
		enum hsrp_timer timer;
		uint32_t track_id;
		uint8_t priority;
		enum hsrp_follow follow;
	} u;
};

enum hsrp_action_type {
	HSRP_ACT_SEND,
	HSRP_ACT_ARM,
	HSRP_ACT_CANCEL,
	HSRP_ACT_CLAIM_VIP,
	HSRP_ACT_RELEASE_VIP,
	HSRP_ACT_GARP,
	HSRP_ACT_STATE,
	HSRP_ACT_NA,            /* IPv6: unsolicited NA instead of GARP */
	HSRP_ACT_MAX,
};

struct hsrp_action {
	enum hsrp_action_type type;
	union {
		struct {
			enum hsrp_op op;
			uint8_t src_mac[6];   /* virtual MAC while Active */
			uint8_t dst_mac[6];   /* 01:00:5e of the group address */
			uint32_t src_ip;      /* our interface address */
			uint32_t dst_ip;      /* 224.0.0.2 or 224.0.0.102 */
			bool ipv6;            /* IPv6 group: the two below */
			uint8_t src_ip6[16];  /* our link-local address */
			uint8_t dst_ip6[16];  /* ff02::66 */
			uint16_t len;
			uint8_t data[HSRP_PKT_MAX];  /* the UDP payload */
		} send;
		struct {
			enum hsrp_timer which;
			tw_time_t at;         /* ARM only */
		} timer;
		struct {
			uint32_t addr;
			uint8_t vmac[6];
			bool ipv6;            /* addr6, not addr */
			uint8_t addr6[16];    /* the link-local VIP */
		} vip;
		struct {
			enum hsrp_state from, to;
			const char *reason;   /* static string */
		} state;
	} u;
};

struct hsrp_counters {
	uint64_t hellos_in, hellos_out;
	uint64_t coups_in, coups_out;
	uint64_t resigns_in, resigns_out;
	uint64_t auth_failures;     /* ignored: authentication mismatch */
	uint64_t bad_packets;       /* ignored: malformed or invalid values */
	uint64_t timers_ignored;    /* Hello timers out of range: not used */
	uint64_t ignored;           /* other group/version, our own packets */
	uint64_t vip_mismatch;      /* active router's VIP differs from ours */
	uint64_t state_changes;
	uint64_t illegal_transitions;
	uint64_t stale_timers;      /* deadlines fired after re-arm/cancel */
	uint64_t action_overflow;   /* never expected: a bug if not 0 */
	uint64_t follow_held;       /* Active refused: following STANDBY */
	uint64_t follow_coups;      /* Coups sent or kept: following ACTIVE */
};

/* One group. Read freely (show commands); change only through the API. */
struct hsrp_group {
	struct hsrp_config cfg;
	enum hsrp_state state;
	bool if_up;
	bool admin_down;
	bool ever_up;          /* the reload delay applies to the first up */
	bool no_preempt;       /* set by an admin resign */
	enum hsrp_follow follow;  /* HSRP_EV_FOLLOW, NONE at init */
	uint32_t priority;     /* effective: configured minus tracking */
	uint32_t track_down;   /* bit i: cfg.track[i] is down */
	uint32_t hello_ms;     /* in use: configured, learned or default */
	uint32_t hold_ms;
	bool timers_learned;
	uint32_t vip;          /* configured or learned, 0 if unknown */
	bool vip_learned;
	uint8_t vmac[6];
	/* The routers' addresses: IPv4 groups see them in active_ip and
	 * standby_ip as well (host order, 0 when unknown). */
	struct tw_addr active; /* family NONE when unknown; ours if Active */
	struct tw_addr standby; /* ... ours when Standby */
	uint32_t active_ip;
	uint32_t active_prio;
	uint32_t standby_ip;
	uint32_t standby_prio;
	uint8_t vip6[16];      /* IPv6 groups: the link-local VIP */
	tw_time_t deadline[HSRP_TIMER_MAX];  /* TW_TIME_NEVER when idle */
	tw_time_t preempt_ok_at;
	tw_time_t last_change;
	const char *last_reason;
	struct hsrp_counters cnt;
	/* Scratch for the event being processed. */
	tw_time_t now;
	struct hsrp_action *out;
	unsigned int n_out, max_out;
};

/* cfg with IOS defaults for (version, group): priority 100, 3 s / 10 s,
 * text authentication "cisco", no preempt, no tracking. */
void hsrp_config_defaults(struct hsrp_config *cfg, uint8_t version,
			  uint16_t group);

/* 0, or -EINVAL with a message saying which setting is wrong. */
int hsrp_config_check(const struct hsrp_config *cfg, char *err,
		      size_t errlen);

/* The well-known virtual MAC of (version, group). */
void hsrp_vmac_default(uint8_t version, uint16_t group, uint8_t mac[6]);
/* ... of an IPv6 group: 0005.73a0.0000-0fff. */
void hsrp_vmac_default6(uint16_t group, uint8_t mac[6]);
/* The link-local address from a virtual MAC as IOS derives it (the MAC
 * with ff:fe in the middle, the universal/local bit NOT flipped as RFC
 * 4291's modified EUI-64 would): fe80::5:73ff:fea0:N for group N. */
void hsrp_vip6_from_vmac(const uint8_t vmac[6], uint8_t out[16]);

/* Check cfg, then set g up in state Init with its interface down. */
int hsrp_group_init(struct hsrp_group *g, const struct hsrp_config *cfg,
		    char *err, size_t errlen);

/*
 * Process one event at time now. Writes the resulting actions to acts (at
 * most max, which must be >= HSRP_ACTIONS_MAX) and returns how many, or
 * -EINVAL (bad event or array), -ENOENT (unknown track id). A packet that
 * is ignored (malformed, authentication mismatch, other group, our own) is
 * counted and returns 0 actions, not an error.
 */
int hsrp_event(struct hsrp_group *g, const struct hsrp_event *ev,
	       tw_time_t now, struct hsrp_action *acts, unsigned int max);

/* Is from -> to in the transition table? */
bool hsrp_transition_allowed(enum hsrp_state from, enum hsrp_state to);

const char *hsrp_timer_name(enum hsrp_timer t);
const char *hsrp_event_name(enum hsrp_event_type e);
const char *hsrp_action_name(enum hsrp_action_type a);
const char *hsrp_follow_name(enum hsrp_follow f);

#endif /* HSRP_H */
