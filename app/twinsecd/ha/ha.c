/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Redundancy in twinsecd: set-up, the scheme group's HSRP state into the
 * RF engine, the RF's actions carried out, the sync transport's events
 * (see ha.h for the map). One instance, owned by the control
 * lcore.
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ha_priv.h"
#include "hsrp_glue.h"
#include "ike_glue.h"
#include "sync_transport_conf.h"
#include "tw_compiler.h"
#include "tw_log.h"

struct ha_state ha;

/* Follow-ups an action asks for, run once the action list is done. */
static bool resign_pending;

/*
 * The scheme group's own follow mode:
 * - STANDBY while this twin yields after a split brain and HSRP has not
 *   heard the winner for a hold time (the split); once it has, HSRP keeps
 *   it out, and a Resign of the winner (force-switchover) or its death
 *   must find it free. A hold time, not one Hello: frames that waited in
 *   a loaded box's queues (the winner's last Hellos from before the cut)
 *   must not release it, or the group takes over again when they stop;
 * - STANDBY while the twin is ACTIVE and alive over the sync channel,
 *   the group does not hear it, and its interface came up less than the
 *   sync channel's silence ago (keep-alive x threshold: a healed link, a
 *   restart): not hearing the twin then proves nothing (the switch, or a
 *   loaded box, has not delivered its Hellos yet) and taking over would
 *   split. Had the twin died, Communications would go Down within that
 *   time and lift the hold; hearing it hands the group to HSRP;
 * - ACTIVE while this twin is ACTIVE and its twin says over the sync
 *   channel that it is standby: a Hello that claims Active from the twin
 *   then is stale (frames a cut link held and sent when it came back:
 *   the old active's last Hellos, priority and all) or stray, and must
 *   not make us give the group up. A twin that preempts becomes ACTIVE
 *   first and says so: then the group is free again and obeys it;
 * - ACTIVE while this twin won a split brain that is not over: the
 *   winner by the newer IKE state may have the lower priority, and the
 *   loser's Hellos must not take the group before the loser resigns;
 * - ACTIVE while this twin is ACTIVE apart from its twin (the sync
 *   channel heard it once, and Communications are Down now) and until
 *   the twins are known to agree: when a partition heals,
 *   the split-brain rule decides who keeps the tunnels (the newer IKE
 *   state, rf.h), not HSRP's priorities, whichever of HSRP and the sync
 *   channel comes back first. Bounded: heal_hold() after the twin shows
 *   up again (its Hellos claim Active, or the sync channel says ACTIVE)
 *   without a decision (the sync channel stays dead), HSRP decides;
 * - else NONE: HSRP's own election.
 */
static bool apart;              /* ACTIVE without the twin's word */
static tw_time_t yield_heard;   /* yielding, HSRP hears the winner since */
static bool yield_released;     /* ... for a hold time: HSRP decides
				 * until the yield ends */
static tw_time_t heal_at;       /* the twin showed up again, 0: not */
static bool heal_gave_up;       /* no decision within heal_hold() */
static bool had_twin;           /* the sync channel heard the twin once */

/* How long a healing partition waits for the split-brain rule. */
static tw_time_t
heal_hold(void)
{
	uint64_t ms = (uint64_t)ha.rf.cfg.keepalive_ms *
		ha.rf.cfg.keepalive_threshold;

	return TW_MSEC(ms > HA_HEAL_HOLD_MIN_MS ? ms : HA_HEAL_HOLD_MIN_MS);
}

static bool
heal_holds(bool twin_active, tw_time_t now)
{
	if (!rf_is_active(&ha.rf) || ha.rf.split ||
	    (ha.rf.comm_up && ha.rf.peer_hello && !ha.rf.peer_silent &&
	     !twin_active)) {
		/* Not ACTIVE, the RF decides, or the twin is not ACTIVE. */
		if (apart && heal_at != 0)
			tw_log(TW_LOG_INFO, HA_LOG,
			       "sync: partition healed: %s",
			       ha.rf.split ? "the split-brain rule decides" :
			       rf_is_active(&ha.rf) ? "the twin is not ACTIVE" :
			       "this unit left ACTIVE");
		apart = false;
		heal_at = 0;
		heal_gave_up = false;
		return false;
	}
	/*
	 * Apart: the sync channel lost a twin it had (not one that never
	 * spoke yet: a start-up leaves that to HSRP, as before). Not a
	 * twin that is only silent on HSRP while the channel is up: the RF
	 * sees two ACTIVE twins at once there, and a twin that took over
	 * because the other's Hellos were late gives way to them at once.
	 */
	if (had_twin && !ha.rf.comm_up)
		apart = true;
	if (!apart || heal_gave_up)
		return false;
	if (heal_at == 0 && (twin_active ||
	    hsrp_glue_hears_other_active(ha.rf.cfg.scheme, now))) {
		heal_at = now;
		tw_log(TW_LOG_WARNING, HA_LOG,
		       "sync: the twin is ACTIVE too (%s): scheme group %s holds Active for up to %" PRIu64 " ms, until the split-brain rule decides",
		       twin_active ? "over the sync channel" : "its HSRP Hellos",
		       ha.rf.cfg.scheme,
		       (uint64_t)(heal_hold() / TW_NSEC_PER_MSEC));
	}
	if (heal_at != 0 && now - heal_at >= heal_hold()) {
		/* Until this unit leaves ACTIVE or the twins agree. */
		tw_log(TW_LOG_WARNING, HA_LOG,
		       "sync: the twin is ACTIVE too and no split-brain decision after %" PRIu64 " ms: HSRP's election decides",
		       (uint64_t)(heal_hold() / TW_NSEC_PER_MSEC));
		heal_gave_up = true;
		heal_at = 0;
		return false;
	}
	return true;
}

/*
 * Yielding: the hold stays until HSRP has heard the winner for a hold
 * time and its last Hello is younger than half of one. A burst of stale
 * Hellos (queued on a loaded box) is at least a hold time old minus its
 * spread by then, and leaves the group held; live Hellos (a hello
 * interval apart) release it.
 */
static bool
yield_hold(tw_time_t now)
{
	tw_time_t hold = TW_MSEC(hsrp_glue_hold_ms(ha.rf.cfg.scheme)), at;

	(void)hsrp_glue_active_heard(ha.rf.cfg.scheme, &at);
	return yield_heard == 0 || now - yield_heard < hold ||
		at == 0 || now - at >= hold / 2;
}

static enum hsrp_follow
scheme_follow(void)
{
	bool twin_active = ha.rf.comm_up && ha.rf.peer_hello &&
		!ha.rf.peer_silent && ha.rf.peer_role == SYNC_ROLE_ACTIVE;
	tw_time_t now = ctl_now();
	bool hold;

	if (ha.rf.comm_up && ha.rf.peer_hello)
		had_twin = true;
	hold = heal_holds(twin_active, now);

	if (!rf_yields(&ha.rf)) {
		yield_heard = 0;
		yield_released = false;
	} else if (!yield_released) {
		if (!hsrp_glue_hears_active(ha.rf.cfg.scheme, now))
			yield_heard = 0;
		else if (yield_heard == 0)
			yield_heard = now;
		if (yield_hold(now))
			return HSRP_FOLLOW_STANDBY;
		/* Released for the rest of this yield: the winner's death
		 * is HSRP's to see (its hold time), not the sync channel's. */
		yield_released = true;
		tw_log(TW_LOG_INFO, HA_LOG,
		       "sync: yielding, and HSRP has heard the winner Active for a hold time: the scheme group follows HSRP");
	}
	if (rf_is_active(&ha.rf) && ha.rf.split && ha.rf.split_won)
		return HSRP_FOLLOW_ACTIVE;
	if (hold)
		return HSRP_FOLLOW_ACTIVE;
	if (!rf_is_active(&ha.rf) && twin_active &&
	    !hsrp_glue_hears_active(ha.rf.cfg.scheme, now) &&
	    now - hsrp_glue_up_at(ha.rf.cfg.scheme) <
	    TW_MSEC((uint64_t)ha.rf.cfg.keepalive_ms *
		    ha.rf.cfg.keepalive_threshold))
		return HSRP_FOLLOW_STANDBY;
	if (rf_is_active(&ha.rf) && ha.rf.comm_up && ha.rf.peer_hello &&
	    !ha.rf.peer_silent && ha.rf.peer_role == SYNC_ROLE_STANDBY)
		return HSRP_FOLLOW_ACTIVE;
	return HSRP_FOLLOW_NONE;
}

/*
 * The HSRP groups follow the RF (hsrp_glue_follow()): after every RF
 * event. A change there comes back through on_group() into ha_event():
 * that nested call only asks for another pass.
 */
static void
push_follow(void)
{
	static bool busy, again;
	const struct conf *c = ha.ctl->conf;

	if (busy) {
		again = true;
		return;
	}
	busy = true;
	do {
		again = false;
		(void)hsrp_glue_follow(c->redundancy.follow ?
				       ha.rf.cfg.scheme : NULL,
				       rf_is_active(&ha.rf), scheme_follow());
	} while (again);
	busy = false;
}

static void
timer_fire(void *arg, tw_time_t now)
{
	struct tw_deadline *d = arg;
	struct rf_event ev = { .type = RF_EV_TIMER };

	ev.u.timer = (enum rf_timer)(d - ha.timer);
	ha_event(&ev, now);
}

static int
tr_open(char *err, size_t errlen)
{
	int rc;

	rc = sync_transport_create(&ha.tcfg, &ha.tr, err, errlen);
	if (rc < 0)
		return rc;
	ha.ctl->wait_fd = sync_transport_fd(ha.tr);
	return 0;
}

static void
tr_close(void)
{
	if (ha.tr == NULL)
		return;
	ha.ctl->wait_fd = -1;
	sync_transport_destroy(ha.tr);
	ha.tr = NULL;
	ha_txq_clear();
}

/* Drop the association and start again; CONN_DOWN follows. */
static void
reconnect(const char *why)
{
	char err[256];

	if (ha.tr == NULL)
		return;
	tw_log(TW_LOG_WARNING, HA_LOG,
	       "sync: dropping the connection to the twin: %s", why);
	ha.cnt.reconnects++;
	tr_close();
	if (tr_open(err, sizeof(err)) < 0)
		tw_log(TW_LOG_ERR, HA_LOG,
		       "sync: cannot reopen the transport: %s", err);
	ha.conn_down = true;
}

static void
do_action(const struct rf_action *a, tw_time_t now)
{
	struct tw_heap *heap = &ha.ctl->heap;

	switch (a->type) {
	case RF_ACT_SEND:
		(void)ha_send_fixed(a->u.send.msg);
		return;
	case RF_ACT_ARM:
		if (tw_heap_arm(heap, &ha.timer[a->u.timer.which],
				a->u.timer.at) < 0)
			tw_log(TW_LOG_ERR, HA_LOG, "sync: cannot arm %s timer",
			       rf_timer_name(a->u.timer.which));
		return;
	case RF_ACT_CANCEL:
		tw_heap_cancel(heap, &ha.timer[a->u.timer.which]);
		return;
	case RF_ACT_TAKEOVER:
		ha.takeover_n = ha_takeover(a->u.takeover.hot, now);
		ha.takeover_done = true;
		return;
	case RF_ACT_RELINQUISH:
		ha_relinquish(now);
		return;
	case RF_ACT_BULK_SEND:
		ha_bulk_send(a->u.bulk.id);
		return;
	case RF_ACT_BULK_BEGIN:
		ha_bulk_begin();
		return;
	case RF_ACT_BULK_COMMIT:
		ha_bulk_commit();
		return;
	case RF_ACT_DROP_DECOUPLED:
		ha_drop_decoupled();
		return;
	case RF_ACT_RESIGN:
		resign_pending = true;
		return;
	case RF_ACT_DISCONNECT:
		reconnect("keep-alives lost");
		return;
	case RF_ACT_STATE:
		/* rf_set_state() logged it; the twin is told by the RF. */
		return;
	case RF_ACT_SPLIT:
		/* The RF logged it (LOG_CRIT); the loser yields through
		 * push_follow(), then hands over what it did (ha_split.c). */
		ha_split_detected(a->u.split.won, now);
		return;
	case RF_ACT_MAX:
		break;
	}
}

static int
run(struct rf_event *ev, tw_time_t now)
{
	struct rf_action acts[RF_ACTIONS_MAX];
	int i, n;

	rf_set_fresh(&ha.rf, ike_glue_fresh());
	n = rf_event(&ha.rf, ev, now, acts, RF_ACTIONS_MAX);
	if (n < 0) {
		if (n == -EINVAL)
			tw_log(TW_LOG_ERR, HA_LOG, "sync: RF event %s refused",
			       rf_event_name(ev->type));
		return n;
	}
	/* IKE speaks only on the active twin, from the moment the RF says
	 * so (the takeover's actions below run IKE already). */
	ike_glue_set_standby(!rf_is_active(&ha.rf));
	for (i = 0; i < n; i++)
		do_action(&acts[i], now);
	return 0;
}

/*
 * The twin left ACTIVE and says so over the sync channel (the HELLO of a
 * role change): for our scheme group that is its Resign. The twin whose
 * outside link died cannot send one there, and without this our group
 * would wait out its hold time. Once per change of the twin's role.
 */
static void
twin_role_seen(void)
{
	static enum sync_role last = SYNC_ROLE_NONE;
	enum sync_role now_role = ha.rf.comm_up && ha.rf.peer_hello ?
		ha.rf.peer_role : SYNC_ROLE_NONE;

	if (now_role == last)
		return;
	tw_log(TW_LOG_INFO, HA_LOG, "sync: the twin's role: %s -> %s",
	       sync_role_name(last), sync_role_name(now_role));
	if (last == SYNC_ROLE_ACTIVE && now_role == SYNC_ROLE_STANDBY &&
	    !rf_is_active(&ha.rf) && !rf_yields(&ha.rf)) {
		last = now_role;
		(void)hsrp_glue_active_gone(ha.rf.cfg.scheme);
		return;
	}
	last = now_role;
}

/* One event, then the follow-ups its actions asked for. */
static int
event_rc(struct rf_event *ev, tw_time_t now)
{
	struct rf_event f;
	int rc;

	rc = run(ev, now);
	for (;;) {
		memset(&f, 0, sizeof(f));
		if (ha.takeover_done) {
			ha.takeover_done = false;
			f.type = RF_EV_TAKEOVER_DONE;
			f.u.takeover.n_sas = ha.takeover_n;
		} else if (ha.conn_down) {
			ha.conn_down = false;
			f.type = RF_EV_CONN_DOWN;
		} else if (resign_pending) {
			resign_pending = false;
			/* HSRP state changes come back through on_group(). */
			hsrp_glue_resign();
			continue;
		} else {
			break;
		}
		(void)run(&f, now);
	}
	push_follow();
	twin_role_seen();
	ha_split_after(now);
	return rc;
}

void
ha_event(struct rf_event *ev, tw_time_t now)
{
	if (ha.enabled)
		(void)event_rc(ev, now);
}

static void
on_group(void *arg TW_UNUSED, const char *name, uint16_t port TW_UNUSED,
	 uint16_t group TW_UNUSED, enum hsrp_state from TW_UNUSED,
	 enum hsrp_state to, tw_time_t now)
{
	struct rf_event ev = { .type = RF_EV_GROUP };

	if (!ha.enabled || strcmp(name, ha.rf.cfg.scheme) != 0)
		return;
	ev.u.group.active = to == HSRP_STATE_ACTIVE;
	ev.u.group.state = hsrp_state_name(to);
	ha_event(&ev, now);
}

static void
tr_up(tw_time_t now, const char *why)
{
	struct rf_event ev = { .type = RF_EV_CONN_UP };
	uint64_t epoch;
	int rc;

	ha_txq_clear();
	rc = sync_frame_new_epoch(&epoch);
	if (rc == 0)
		rc = sync_frame_reset(ha.frame, epoch);
	if (rc < 0) {
		tw_log(TW_LOG_ERR, HA_LOG, "sync: cannot key the connection: %s",
		       strerror(-rc));
		reconnect("no keys");
		return;
	}
	tw_log(TW_LOG_INFO, HA_LOG, "sync: connected to the twin over %s (%s)",
	       sync_transport_backend(ha.tr), why != NULL ? why : "up");
	ha_event(&ev, now);
}

static void
poll_fn(struct ctl *ctl TW_UNUSED, void *arg TW_UNUSED, tw_time_t now)
{
	char ab[TW_ADDR_STRLEN];
	struct sync_transport_event ev;
	struct pollfd pfd;
	struct rf_event rev;
	unsigned int i;
	int rc;

	if (ha.tr == NULL)
		return;
	/* A partition healing, a loser hearing the winner: holds start and
	 * end without an event. */
	if (apart || rf_yields(&ha.rf))
		push_follow();
	if (ha.q_head != NULL)
		ha_txq_flush();
	pfd.fd = sync_transport_fd(ha.tr);
	pfd.events = POLLIN;
	if (poll(&pfd, 1, 0) <= 0)
		return;
	for (i = 0; i < HA_POLL_BUDGET && ha.tr != NULL; i++) {
		rc = sync_transport_poll(ha.tr, &ev);
		if (rc <= 0) {
			if (rc < 0)
				tw_log(TW_LOG_ERR, HA_LOG,
				       "sync: transport poll: %s", strerror(-rc));
			break;
		}
		switch (ev.type) {
		case SYNC_TRANSPORT_EV_MSG:
			ha_rx_frame(ev.data, ev.len, now);
			break;
		case SYNC_TRANSPORT_EV_UP:
			tr_up(now, ev.reason);
			break;
		case SYNC_TRANSPORT_EV_DOWN:
			tw_log(TW_LOG_WARNING, HA_LOG,
			       "sync: connection to the twin lost (%s)",
			       ev.reason != NULL ? ev.reason : "?");
			ha_txq_clear();
			memset(&rev, 0, sizeof(rev));
			rev.type = RF_EV_CONN_DOWN;
			ha_event(&rev, now);
			break;
		case SYNC_TRANSPORT_EV_PATH:
			tw_log(TW_LOG_NOTICE, HA_LOG, "sync: path to %s %s",
			       tw_addr_str(&ev.addr, ab, sizeof(ab)),
			       ev.up ? "up" : "down");
			break;
		}
	}
	if (ha.q_head != NULL)
		ha_txq_flush();
}

void
ha_overflow(void)
{
	reconnect("send queue full");
}

int
ha_init(struct ctl *ctl, const char *state_dir, char *err,
		size_t errlen)
{
	const struct conf *c = ctl->conf;
	struct sync_frame_config fc;
	struct rf_event ev;
	struct rf_config cfg;
	enum hsrp_state st;
	const struct sadb_sa *sa;
	const char *warn;
	tw_time_t now = ctl_now();
	unsigned int t;
	int rc;

	memset(&ha, 0, sizeof(ha));
	ha.ctl = ctl;
	if (!c->redundancy.enabled)
		return 0;
	rc = rf_config_from_conf(c, &cfg, err, errlen);
	if (rc < 0)
		return rc;
	rc = rf_init(&ha.rf, &cfg, now, err, errlen);
	if (rc < 0)
		return rc;
	ha.max_sas = sadb_capacity(ctl->sadb);
	ha.sa = calloc(ha.max_sas, sizeof(ha.sa[0]));
	ha.seen = calloc(ha.max_sas, sizeof(ha.seen[0]));
	ha.twin_id = calloc(ha.max_sas, sizeof(ha.twin_id[0]));
	ha.recheck = calloc((ha.max_sas + 63) / 64, sizeof(ha.recheck[0]));
	if (ha.sa == NULL || ha.seen == NULL || ha.twin_id == NULL ||
	    ha.recheck == NULL) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	rc = ha_marks_load(state_dir, c->hostname[0] != '\0' ?
			    c->hostname : "twinsecd", err, errlen);
	if (rc < 0)
		return rc;
	for (sa = sadb_sa_next(ctl->sadb, NULL); sa != NULL;
	     sa = sadb_sa_next(ctl->sadb, sa))
		ha_sa_new(sa);
	ha_watch_all();
	/* From here on every SA change reaches ha_on_sa(), every IKE SA
	 * change the listener. */
	rc = sadb_watch(ctl->sadb, ha_on_sa, NULL);
	if (rc == 0)
		rc = ike_glue_listen(&ha_ike_listener, NULL);
	if (rc < 0) {
		snprintf(err, errlen, "cannot follow the SA database: %s",
			 strerror(-rc));
		return rc;
	}
	for (t = 0; t < RF_TIMER_MAX; t++)
		tw_deadline_init(&ha.timer[t], timer_fire, &ha.timer[t]);
	tw_deadline_init(&ha.watch, ha_watch_fire, NULL);
	if (c->redundancy.security_set) {
		fc.key = c->redundancy.key;
		fc.insecure = c->redundancy.insecure;
		rc = sync_frame_create(&fc, &ha.frame, err, errlen);
		if (rc < 0)
			return rc;
		warn = sync_frame_warning(ha.frame);
		if (warn != NULL)
			tw_log(TW_LOG_WARNING, HA_LOG, "%s", warn);
	}
	if (c->ipc.enabled && ha.frame != NULL) {
		sync_transport_cfg_from_conf(&c->ipc, &ha.tcfg);
		rc = tr_open(err, errlen);
		if (rc < 0)
			return rc;
		ctl->poll_fn = poll_fn;
		ctl->poll_arg = NULL;
		tw_log(TW_LOG_INFO, HA_LOG,
		       "sync: %s transport to the twin, %s, port %u -> %u",
		       sync_transport_backend(ha.tr),
		       ha.tr != NULL && ha_unit_id() == 1 ?
		       "initiator" : "responder", ha.tcfg.local_port,
		       ha.tcfg.remote_port);
	} else {
		tw_log(TW_LOG_NOTICE, HA_LOG,
		       "sync: no ipc section: no twin to synchronise with, this unit follows scheme group %s alone",
		       c->redundancy.scheme);
	}
	rc = hsrp_glue_listen(on_group, NULL);
	if (rc < 0) {
		snprintf(err, errlen, "cannot follow HSRP: %s", strerror(-rc));
		return rc;
	}
	ha.enabled = true;
	tw_heap_arm(&ctl->heap, &ha.watch, now + TW_MSEC(SYNC_SEQ_WATCH_MS));
	memset(&ev, 0, sizeof(ev));
	ev.type = RF_EV_START;
	ha_event(&ev, now);
	if (hsrp_glue_group_state(c->redundancy.scheme, &st) == 0) {
		memset(&ev, 0, sizeof(ev));
		ev.type = RF_EV_GROUP;
		ev.u.group.active = st == HSRP_STATE_ACTIVE;
		ev.u.group.state = hsrp_state_name(st);
		ha_event(&ev, now);
	}
	return 0;
}

void
ha_fini(void)
{
	struct rf_event ev = { .type = RF_EV_STOP };
	unsigned int t;

	if (!ha.enabled)
		goto out;
	ha_event(&ev, ctl_now());
	ha.enabled = false;
	ike_glue_set_standby(true);
	for (t = 0; t < RF_TIMER_MAX; t++)
		tw_heap_cancel(&ha.ctl->heap, &ha.timer[t]);
	tw_heap_cancel(&ha.ctl->heap, &ha.watch);
	(void)ha_marks_save();
out:
	if (ha.ctl != NULL) {
		/* Shutdown deletes the SAs: not news for the twin, which
		 * takes over with them. */
		sadb_unwatch(ha.ctl->sadb, ha_on_sa, NULL);
		ha.ctl->poll_fn = NULL;
		tr_close();
	}
	sync_frame_destroy(ha.frame);
	ha.frame = NULL;
	ha_marks_free();
	free(ha.sa);
	free(ha.seen);
	free(ha.twin_id);
	free(ha.recheck);
	ha.sa = NULL;
	ha.seen = NULL;
	ha.twin_id = NULL;
	ha.recheck = NULL;
}

bool
ha_enabled(void)
{
	return ha.enabled;
}

const struct rf *
ha_rf(void)
{
	return &ha.rf;
}

const struct ha_counters *
ha_counters(void)
{
	return &ha.cnt;
}

int
ha_transport_stats(struct sync_transport_stats *st)
{
	if (ha.tr == NULL)
		return -ENOTCONN;
	sync_transport_stats(ha.tr, st);
	return 0;
}

int
ha_frame_counters(struct sync_frame_counters *fc)
{
	if (ha.frame == NULL)
		return -ENOTCONN;
	sync_frame_counters_read(ha.frame, fc);
	return 0;
}

unsigned int
ha_unit_id(void)
{
	struct sync_transport_stats st;

	if (ha.tr == NULL)
		return 1;
	sync_transport_stats(ha.tr, &st);
	return st.initiator ? 1 : 2;
}

void
ha_sa_count(uint32_t *installed, uint32_t *decoupled)
{
	const struct sadb_sa *sa;

	*installed = *decoupled = 0;
	if (ha.ctl == NULL)
		return;
	for (sa = sadb_sa_next(ha.ctl->sadb, NULL); sa != NULL;
	     sa = sadb_sa_next(ha.ctl->sadb, sa)) {
		*installed += sa->state == SADB_SA_INSTALLED;
		*decoupled += sa->state == SADB_SA_DECOUPLED;
	}
}

static int
op_event(enum rf_event_type type, char *err, size_t errlen)
{
	struct rf_event ev;

	if (!ha.enabled) {
		snprintf(err, errlen, "Redundancy not configured");
		return -ENOTSUP;
	}
	memset(&ev, 0, sizeof(ev));
	ev.type = type;
	ev.u.op.err = err;
	ev.u.op.errlen = errlen;
	return event_rc(&ev, ctl_now());
}

int
ha_force_switchover(char *err, size_t errlen)
{
	return op_event(RF_EV_FORCE_SWITCHOVER, err, errlen);
}

int
ha_clear_standby(char *err, size_t errlen)
{
	return op_event(RF_EV_CLEAR, err, errlen);
}

int
ha_reconfigure(const struct conf *c, tw_time_t now, char *err, size_t errlen)
{
	struct rf_config *cfg;
	struct rf_event ev;
	int rc;

	if (!ha.enabled)
		return 0;
	cfg = calloc(1, sizeof(*cfg)); /* a digest is a few kB */
	if (cfg == NULL) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	rc = rf_config_from_conf(c, cfg, err, errlen);
	if (rc == 0) {
		memset(&ev, 0, sizeof(ev));
		ev.type = RF_EV_RECONFIG;
		ev.u.digest = &cfg->digest;
		rc = event_rc(&ev, now);
		if (rc < 0)
			snprintf(err, errlen, "redundancy: the new digest was refused");
	}
	free(cfg);
	return rc;
}
