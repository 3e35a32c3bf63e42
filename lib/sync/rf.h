/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef RF_H
#define RF_H

/*
 * The redundancy facility (RF): the state machine that decides, on one
 * twin, whether it carries the tunnels (ACTIVE) or holds a copy of them
 * (STANDBY COLD / COLD-BULK / HOT), with the state numbers IOS prints in
 * "show redundancy".
 *
 * Two things drive it:
 * - the HSRP group named by redundancy.scheme decides ACTIVE versus
 *   standby: Active there means ACTIVE here, anything else standby;
 * - on a standby, the sync channel decides COLD versus HOT: connected,
 *   keep-alives flowing, the twin's HELLO with our protocol version and an
 *   identical configuration digest, the twin ACTIVE, and a complete bulk
 *   sync on this connection make it HOT; losing any of these makes it
 *   COLD again (keeping the SAs it holds: a COLD standby still takes over
 *   with the best state it has).
 *
 *   DISABLED(1) --start--> INITIALIZATION(2) --connection up--> NEGOTIATION(3)
 *   standby role, no twin: STANDBY COLD(4)
 *   twin HELLO ok, twin ACTIVE: BULK_REQUEST; BULK_START: STANDBY COLD-BULK(7)
 *   BULK_END with every record: STANDBY HOT(8)
 *   scheme group Active: ACTIVE FAST(9) (takeover action; the app installs
 *   the SAs, then RF_EV_TAKEOVER_DONE) -> ACTIVE(13)
 *   scheme group leaves Active: relinquish action, STANDBY COLD, resync.
 *
 * IOS numbers 5 (COLD-CONFIG), 6 (COLD-FILESYS), 10-12 (ACTIVE DRAIN,
 * PRECONFIG, POSTCONFIG) exist with their names for display but are never
 * entered: there is no config or file system sync, and the takeover is one
 * step. (The sketch numbered DISABLED 0; IOS prints "peer state =
 * 1 -DISABLED", and lib/cli already uses 1, so the IOS numbers win.)
 *
 * Pure core like lib/hsrp: no sockets, no clock, no globals. How twinsecd
 * drives it (one control thread owns it):
 *
 *   rf_config_from_conf(conf, &cfg, err, len);  rf_init(&rf, &cfg, now, ...);
 *   n = rf_event(&rf, &ev, now, acts, RF_ACTIONS_MAX);   ev.type =
 *     RF_EV_START            once at start, if redundancy is configured
 *     RF_EV_GROUP            every HSRP state change of the scheme group
 *                            (u.group.active, u.group.state = its name)
 *     RF_EV_CONN_UP/DOWN     the transport to the twin connected / lost
 *                            (before CONN_UP: sync_frame_reset() with a new
 *                            epoch; then the HELLO action goes out first)
 *     RF_EV_HELLO            a HELLO arrived (u.hello); it may come in an
 *                            unconfirmed frame (sync_frame.h); other
 *                            messages only in confirmed ones
 *     RF_EV_KEEPALIVE        a KEEPALIVE arrived (u.keepalive)
 *     RF_EV_BULK_REQUEST     a BULK_REQUEST arrived (u.bulk.id), as active
 *     RF_EV_BULK_START       a BULK_START arrived (u.bulk), as standby
 *     RF_EV_BULK_RECORDS     the app stored (u.records.accepted) or refused
 *                            (u.records.refused) records of a bulk sync
 *     RF_EV_BULK_END         a BULK_END arrived (u.bulk)
 *     RF_EV_TIMER            a deadline armed by RF_ACT_ARM passed
 *     RF_EV_TAKEOVER_DONE    the app finished RF_ACT_TAKEOVER (u.takeover)
 *     RF_EV_FORCE_SWITCHOVER console "redundancy force-switchover" (u.op)
 *     RF_EV_CLEAR            console "clear crypto sa standby" (u.op)
 *     RF_EV_RECONFIG         a reload changed our configuration: u.digest
 *                            is its digest, sent to the twin in a HELLO
 *                            at once and compared again with the twin's
 *                            last one (a standby that differs goes COLD
 *                            and, once both match again, asks for a new
 *                            bulk sync: nothing was mirrored meanwhile)
 *     RF_EV_STOP             shutting down
 *   SA_ADD, SA_DELETE, COUNTER_UPDATE and the records of a bulk sync are
 *   not RF events: the app applies them to its SA database (held
 *   decoupled) while rf_mirroring() / the standby states say so.
 *
 *   Then, for each of the n actions, in order:
 *     RF_ACT_SEND          encode u.send.msg (sync_msg_encode), frame it
 *                          (sync_frame_seal) and send it to the twin
 *     RF_ACT_ARM/CANCEL    (re)arm / forget deadline u.timer.which
 *     RF_ACT_TAKEOVER      become active: install every SA held decoupled
 *                          with the outbound sequence number jumped past
 *                          anything the old active can have used (last
 *                          synced + the crypto map's outbound replay
 *                          interval + a margin), inbound windows from the
 *                          last synced value; u.takeover.hot says whether
 *                          the state came from a STANDBY HOT twin (else
 *                          it may be incomplete); then RF_EV_TAKEOVER_DONE
 *     RF_ACT_RELINQUISH    stop carrying tunnels: uninstall and drop every
 *                          SA; a bulk sync from the new active follows
 *     RF_ACT_BULK_SEND     as active: send BULK_START(u.bulk.id, count),
 *                          every SA in BULK_RECORDS messages, BULK_END
 *     RF_ACT_BULK_BEGIN    as standby: a bulk sync begins: mark every held
 *                          SA stale (records refresh them)
 *     RF_ACT_BULK_COMMIT   the bulk sync is complete: drop SAs still stale
 *     RF_ACT_DROP_DECOUPLED  drop every SA held decoupled (clear)
 *     RF_ACT_RESIGN        make the scheme group resign Active (HSRP
 *                          admin resign) so the HOT twin takes over
 *     RF_ACT_DISCONNECT    keep-alives lost: drop the connection to the
 *                          twin and connect again (then RF_EV_CONN_DOWN)
 *     RF_ACT_STATE         state changed (u.state.from, to, reason)
 *   Pointers in actions (messages, reasons) stay valid until the next
 *   rf_event() call on the same struct rf.
 *
 * Keep-alives: every keepalive_ms while connected a KEEPALIVE goes out; an
 * interval in which nothing came from the twin is missed; threshold
 * consecutive misses declare Communications Down (RF_ACT_DISCONNECT, the
 * standby goes COLD). A KEEPALIVE says whether its sender has our HELLO
 * of this connection; if not, ours is sent again. A deadline that fires
 * after it was re-armed or cancelled is recognised and ignored.
 *
 * Bulk sync: the standby asks (BULK_REQUEST with an id it chose), the
 * active answers with BULK_START/records/BULK_END echoing the id; a bulk
 * that stalls for threshold x keepalive_ms, or ends with records missing
 * or refused, leaves the standby COLD and is asked for again after that
 * same delay. A request that reaches the twin during its takeover (ACTIVE
 * FAST) is served once it is ACTIVE.
 *
 * Split brain: both twins ACTIVE while the sync channel works (the HSRP
 * hellos between them lost, a link the switch no longer forwards on).
 * Seen on both sides from the twin's role in its HELLO or KEEPALIVE (a
 * twin that becomes ACTIVE sends its HELLO at once) that lasts longer
 * than the grace (split_grace_ms, RF_SPLIT_GRACE_MS; RF_TIMER_SPLIT). Resolved by the IOS
 * rule on the rank each HELLO carries: the higher configured priority of
 * the scheme group, then the higher address of its interface, stays
 * ACTIVE (the same answer on both twins). The loser sets yield: the app
 * makes its scheme group resign and stay out of Active (hsrp
 * HSRP_FOLLOW_STANDBY), the RF relinquishes (the SAs leave the fast path
 * at once) and asks the winner for a bulk sync. yield lasts while the
 * winner is heard ACTIVE; Communications Down or the winner leaving
 * ACTIVE lifts it. The loser's HELLO of its role change says it yields:
 * a winner that had not declared the split yet (it saw the twin ACTIVE
 * later, or not at all: it took over from a twin it thought gone)
 * declares it then, so both twins log and count every split. Logged at LOG_CRIT on both twins, counted, and shown
 * (rf_status split fields; RF_ACT_SPLIT tells the app, u.split.won).
 *
 * Before the rank, the newer IKE state decides (docs/failover-safety.md,
 * "Split brain"): the app tells the RF when an IKE peer last spoke to an
 * IKE SA this twin runs (rf_set_fresh()), each HELLO carries that age
 * and a twin that sees both ACTIVE sends a HELLO at once. The twin a peer
 * spoke to later by more than RF_SPLIT_FRESH_MS stays ACTIVE: its IKE
 * SAs and Child SAs are the ones the peer believes in (it may have
 * rekeyed them with that twin alone), and the loser's bulk sync hands
 * them to the loser. Within RF_SPLIT_FRESH_MS, or when either twin has
 * no IKE state or sends no age (an earlier release), the rank decides.
 * Both twins compare the same two ages (each rebases the twin's on the
 * time since its HELLO); should they still disagree (an IKE message
 * between the HELLO and the decision), a winner that still sees the twin
 * ACTIVE, and not yielding (the loser's HELLO says so at once),
 * RF_SPLIT_FRESH_MS after its decision decides again by the rank alone,
 * which both twins compute alike.
 *
 * Peer silent: a standby whose scheme group becomes Active while the
 * twin was ACTIVE took over because HSRP no longer hears the twin: until
 * a frame from the twin arrives again, the status shows the peer DISABLED
 * and Communications Down (not the ACTIVE of the keep-alives before).
 *
 * Transitions all go through rf_set_state() (rf_state.c), which checks the
 * table, logs "RF: A -> B (reason)" through tw_log, counts, and runs the
 * entry actions.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conf.h"
#include "sync_msg.h"
#include "tw_time.h"

#define RF_ACTIONS_MAX 16
#define RF_DEFAULT_KEEPALIVE_MS 4000
#define RF_DEFAULT_KEEPALIVE_THRESHOLD 7
#define RF_REASON_MAX 320
/*
 * Both twins ACTIVE for half the scheme group's hold time, at least this
 * long, is a split brain: a preemption or a switchover passes through
 * both ACTIVE for the moment the old active's HSRP needs to see the Coup
 * or Resign, a twin whose link died for the moment its link poll needs
 * to see it (HSRP polls links at a sixth of the hold time): no alarm,
 * and the split still ends within a hold time.
 */
#define RF_SPLIT_GRACE_MS 50
/* A split brain: IKE ages closer than this leave the decision to the
 * rank (a HELLO's transit and the grace are far below it). */
#define RF_SPLIT_FRESH_MS 1000

/* IOS RF states, numbered as "show redundancy" prints them. */
enum rf_state {
	RF_STATE_DISABLED = 1,
	RF_STATE_INITIALIZATION = 2,
	RF_STATE_NEGOTIATION = 3,
	RF_STATE_STANDBY_COLD = 4,
	RF_STATE_STANDBY_COLD_CONFIG = 5,   /* display only */
	RF_STATE_STANDBY_COLD_FILESYS = 6,  /* display only */
	RF_STATE_STANDBY_COLD_BULK = 7,
	RF_STATE_STANDBY_HOT = 8,
	RF_STATE_ACTIVE_FAST = 9,
	RF_STATE_ACTIVE_DRAIN = 10,         /* display only */
	RF_STATE_ACTIVE_PRECONFIG = 11,     /* display only */
	RF_STATE_ACTIVE_POSTCONFIG = 12,    /* display only */
	RF_STATE_ACTIVE = 13,
	RF_STATE_MAX,
};

enum rf_timer {
	RF_TIMER_KEEPALIVE,   /* our next keep-alive; counts misses */
	RF_TIMER_BULK,        /* bulk sync stalled, or retry after a failure */
	RF_TIMER_SPLIT,       /* two ACTIVE twins for RF_SPLIT_GRACE_MS */
	RF_TIMER_MAX,
};

enum rf_event_type {
	RF_EV_START,
	RF_EV_STOP,
	RF_EV_GROUP,
	RF_EV_CONN_UP,
	RF_EV_CONN_DOWN,
	RF_EV_HELLO,
	RF_EV_KEEPALIVE,
	RF_EV_BULK_REQUEST,
	RF_EV_BULK_START,
	RF_EV_BULK_RECORDS,
	RF_EV_BULK_END,
	RF_EV_TIMER,
	RF_EV_TAKEOVER_DONE,
	RF_EV_FORCE_SWITCHOVER,
	RF_EV_CLEAR,
	RF_EV_RECONFIG,
	RF_EV_MAX,
};

struct rf_event {
	enum rf_event_type type;
	union {
		struct {
			bool active;        /* the scheme group is Active */
			const char *state;  /* its HSRP state, for the log */
		} group;
		const struct sync_hello *hello;
		const struct sync_keepalive *keepalive;
		struct sync_bulk bulk;
		struct {
			uint32_t accepted;
			uint32_t refused;
		} records;
		enum rf_timer timer;
		struct {
			uint32_t n_sas;     /* installed */
		} takeover;
		struct {
			char *err;          /* why an operator request is refused */
			size_t errlen;
		} op;
		const struct conf_digest *digest; /* RF_EV_RECONFIG */
	} u;
};

enum rf_action_type {
	RF_ACT_SEND,
	RF_ACT_ARM,
	RF_ACT_CANCEL,
	RF_ACT_TAKEOVER,
	RF_ACT_RELINQUISH,
	RF_ACT_BULK_SEND,
	RF_ACT_BULK_BEGIN,
	RF_ACT_BULK_COMMIT,
	RF_ACT_DROP_DECOUPLED,
	RF_ACT_RESIGN,
	RF_ACT_DISCONNECT,
	RF_ACT_STATE,
	RF_ACT_SPLIT,         /* split brain detected: u.split.won */
	RF_ACT_MAX,
};

struct rf_action {
	enum rf_action_type type;
	union {
		struct {
			const struct sync_msg *msg;  /* HELLO, KEEPALIVE, BULK_REQUEST */
		} send;
		struct {
			enum rf_timer which;
			tw_time_t at;                /* ARM only */
		} timer;
		struct {
			enum rf_state from;          /* the standby state we left */
			bool hot;                    /* from STANDBY HOT */
		} takeover;
		struct {
			uint32_t id;                 /* echo in BULK_START/END */
		} bulk;
		struct {
			enum rf_state from, to;
			const char *reason;
		} state;
		struct {
			bool won;                    /* we stay ACTIVE */
		} split;
	} u;
};

struct rf_config {
	bool enabled;                      /* redundancy is configured */
	uint32_t keepalive_ms;             /* 100-60000 */
	uint32_t keepalive_threshold;      /* 2-100 */
	char hostname[SYNC_HOSTNAME_MAX];  /* ours, sent in HELLO */
	char scheme[CONF_NAME_MAX];        /* the scheme group, for logs */
	struct conf_digest digest;         /* ours, sent in HELLO */
	uint8_t rank_priority;             /* scheme group's configured priority */
	uint32_t rank_addr;                /* its interface address (split) */
	uint32_t split_grace_ms;           /* 0: RF_SPLIT_GRACE_MS */
};

struct rf_counters {
	uint64_t state_changes;
	uint64_t illegal_transitions;  /* a bug if not 0 */
	uint64_t action_overflow;      /* a bug if not 0 */
	uint64_t stale_timers;
	uint64_t unexpected;           /* messages/events ignored in this state */
	uint64_t hellos_in, hellos_out;
	uint64_t keepalives_in, keepalives_out;
	uint64_t keepalives_missed;    /* intervals without word from the twin */
	uint64_t comm_down;            /* keep-alive threshold reached */
	uint64_t conn_ups, conn_downs;
	uint64_t bulk_requests_in, bulk_requests_out;
	uint64_t bulks_sent, bulks_received;
	uint64_t bulk_failures, bulk_timeouts;
	uint64_t records_in, records_refused;
	uint64_t digest_mismatches;
	uint64_t takeovers, relinquishes, switchovers;
	uint64_t force_switchovers, clears;
	uint64_t splits, splits_won, splits_lost;
};

/* One twin's RF. Read freely (show commands); change only via rf_event(). */
struct rf {
	struct rf_config cfg;
	enum rf_state state;
	bool group_known;             /* the scheme group reported a state */
	bool group_active;
	const char *group_state;      /* its HSRP state name, "" until known */
	bool conn_up;                 /* the transport is connected */
	bool comm_up;                 /* ... and keep-alives are flowing */
	bool twin_seen;               /* comm_up once since start: a takeover
				       * before it is a start, not a switchover */
	bool peer_hello;              /* the twin's HELLO on this connection */
	bool peer_ok;                 /* its protocol and config digest match */
	enum sync_role peer_role;
	enum rf_state peer_state;     /* DISABLED until the twin said */
	uint16_t peer_proto;
	char peer_hostname[SYNC_HOSTNAME_MAX];
	char mismatch[RF_REASON_MAX]; /* why peer_ok is false, "" else */
	struct conf_digest peer_digest; /* in its last HELLO */
	bool peer_digest_known;
	bool hello_sent;              /* on this connection */
	tw_time_t hello_at;           /* when we last sent it */
	/* keep-alives */
	uint32_t ka_missed;           /* consecutive (IOS keep_alive count) */
	bool ka_heard;                /* the twin spoke this interval */
	/* bulk sync, standby side */
	uint32_t bulk_id;             /* of our latest request */
	bool bulk_requested;          /* waiting for BULK_START */
	bool bulk_in;                 /* between BULK_START and BULK_END */
	bool bulk_hold;               /* after a failure, until RF_TIMER_BULK */
	bool synced;                  /* complete bulk on this connection */
	uint32_t bulk_expect, bulk_got, bulk_refused;
	/* bulk sync, active side */
	bool bulk_pending;            /* asked during ACTIVE FAST */
	uint32_t bulk_pending_id;
	/* the twin's rank (HELLO), for a split brain */
	bool peer_rank_known;
	uint8_t peer_rank_priority;
	uint32_t peer_rank_addr;
	/* the age of the twin's IKE state (HELLO) and ours (app) */
	bool peer_fresh_known;
	uint32_t peer_fresh_age_ms;   /* SYNC_FRESH_NONE: none */
	tw_time_t peer_fresh_rx;      /* when that HELLO arrived */
	tw_time_t fresh_at;           /* rf_set_fresh(); 0: none */
	/* split brain (see above) */
	tw_time_t both_since;         /* both ACTIVE seen since, 0 not */
	bool split;                   /* both ACTIVE, declared */
	bool split_won;               /* ... and we stay */
	bool yield;                   /* lost: the scheme group stays out */
	bool peer_yielded;            /* its HELLO: it yields to us */
	bool peer_yields;             /* ... while it is ACTIVE still */
	bool yield_announce;          /* say so in our next HELLO (once) */
	tw_time_t split_since;
	tw_time_t split_decided;      /* when we declared it */
	bool split_by_rank;           /* the fallback decided (above) */
	char split_rule[160];         /* why the winner won, for show */
	uint64_t split_last_ms;       /* how long the last one lasted */
	bool peer_silent;             /* HSRP lost the ACTIVE twin (above) */
	/* takeover */
	enum rf_state takeover_from;
	tw_time_t takeover_at;
	uint32_t takeover_sas;
	/* stamps */
	tw_time_t started;            /* rf_init() */
	tw_time_t last_change;
	tw_time_t comm_since;         /* Communications Up since */
	char last_reason[RF_REASON_MAX];   /* of the last transition */
	char reason_buf[RF_REASON_MAX];    /* scratch for formatted reasons */
	tw_time_t deadline[RF_TIMER_MAX];  /* TW_TIME_NEVER when idle */
	struct rf_counters cnt;
	/* Messages the SEND actions point to. */
	struct sync_msg tx_hello, tx_keepalive, tx_bulk_request;
	/* Scratch for the event being processed. */
	tw_time_t now;
	struct rf_action *out;
	unsigned int n_out, max_out;
};

/* What "show redundancy" prints. */
struct rf_status {
	bool configured;
	enum rf_state my_state, peer_state;  /* the IOS numbers */
	const char *my_state_name, *peer_state_name;
	bool duplex;                  /* a twin is there and speaking */
	bool comm_up;                 /* Communications = Up */
	bool manual_swact;            /* force-switchover would be accepted */
	uint32_t keepalive_ms, keepalive_threshold;
	uint32_t keepalive_count;     /* consecutive misses now */
	uint64_t keepalives_sent, keepalives_received, keepalives_missed;
	uint64_t switchovers;
	uint64_t uptime_ms;           /* since rf_init() */
	uint64_t in_state_ms;         /* since the last transition */
	uint64_t comm_up_ms;          /* since Communications Up, 0 if down */
	const char *last_reason;
	const char *mismatch;         /* "" when the twin's config matches */
	const char *peer_hostname;    /* "" when unknown */
	uint32_t bulk_got, bulk_expect;
	/* split brain */
	bool split;                   /* both twins ACTIVE right now */
	bool split_won;
	bool yield;                   /* this twin stays out of ACTIVE */
	uint64_t split_ms;            /* the current one so far, or the last */
	uint64_t splits, splits_won, splits_lost;
	const char *split_rule;       /* why the last split went as it did */
	bool peer_silent;             /* took over: HSRP lost the twin */
};

/* Redundancy settings and our digest from a loaded config. 0 or -errno. */
int rf_config_from_conf(const struct conf *c, struct rf_config *cfg,
			char *err, size_t errlen);

/* Check cfg and set rf up in DISABLED. 0 or -EINVAL with a message. */
int rf_init(struct rf *rf, const struct rf_config *cfg, tw_time_t now,
	    char *err, size_t errlen);

/*
 * Process one event at time now. Writes the actions to acts (at most max,
 * which must be >= RF_ACTIONS_MAX) and returns how many, or -EINVAL (bad
 * event or array). Operator events refused in this state return -EPERM,
 * -EAGAIN or -ENOTCONN with u.op.err saying why. Messages that make no
 * sense in this state are counted (unexpected) and return 0 actions.
 */
int rf_event(struct rf *rf, const struct rf_event *ev, tw_time_t now,
	     struct rf_action *acts, unsigned int max);

/* The active may send SA_ADD / SA_DELETE / COUNTER_UPDATE to the twin. */
bool rf_mirroring(const struct rf *rf);
/* This twin carries the tunnels (ACTIVE FAST or ACTIVE). */
bool rf_is_active(const struct rf *rf);
/* It lost a split brain: its scheme group must not become Active. */
bool rf_yields(const struct rf *rf);
/* When an IKE peer last spoke to an IKE SA this twin runs (0: none):
 * sent in HELLO, decides a split brain before the rank (above). */
void rf_set_fresh(struct rf *rf, tw_time_t at);

void rf_status(const struct rf *rf, tw_time_t now, struct rf_status *out);

bool rf_transition_allowed(enum rf_state from, enum rf_state to);
const char *rf_state_name(enum rf_state s);
const char *rf_event_name(enum rf_event_type e);
const char *rf_action_name(enum rf_action_type a);
const char *rf_timer_name(enum rf_timer t);

#endif /* RF_H */
