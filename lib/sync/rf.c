/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The RF engine: configuration, and events turned into flags and then into
 * the state those flags call for (settle()). The table it follows is in
 * rf_state.c; the overview in rf.h.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "rf_priv.h"
#include "tw_compiler.h"
#include "tw_log.h"

#define S(x) RF_STATE_##x

static const char *const event_names[RF_EV_MAX] = {
	[RF_EV_START] = "start",
	[RF_EV_STOP] = "stop",
	[RF_EV_GROUP] = "scheme group",
	[RF_EV_CONN_UP] = "connection up",
	[RF_EV_CONN_DOWN] = "connection down",
	[RF_EV_HELLO] = "HELLO",
	[RF_EV_KEEPALIVE] = "KEEPALIVE",
	[RF_EV_BULK_REQUEST] = "BULK_REQUEST",
	[RF_EV_BULK_START] = "BULK_START",
	[RF_EV_BULK_RECORDS] = "bulk records",
	[RF_EV_BULK_END] = "BULK_END",
	[RF_EV_TIMER] = "timer",
	[RF_EV_TAKEOVER_DONE] = "takeover done",
	[RF_EV_FORCE_SWITCHOVER] = "force-switchover",
	[RF_EV_CLEAR] = "clear",
	[RF_EV_RECONFIG] = "reconfiguration",
};

const char *
rf_event_name(enum rf_event_type e)
{
	if ((unsigned int)e >= RF_EV_MAX)
		return "?";
	return event_names[e];
}

int
rf_config_from_conf(const struct conf *c, struct rf_config *cfg, char *err,
		    size_t errlen)
{
	int rc;

	memset(cfg, 0, sizeof(*cfg));
	cfg->enabled = c->redundancy.enabled;
	cfg->keepalive_ms = c->redundancy.keepalive_ms != 0 ?
		c->redundancy.keepalive_ms : RF_DEFAULT_KEEPALIVE_MS;
	cfg->keepalive_threshold = c->redundancy.keepalive_threshold != 0 ?
		c->redundancy.keepalive_threshold :
		RF_DEFAULT_KEEPALIVE_THRESHOLD;
	snprintf(cfg->hostname, sizeof(cfg->hostname), "%s", c->hostname);
	snprintf(cfg->scheme, sizeof(cfg->scheme), "%s", c->redundancy.scheme);
	{
		const struct conf_iface *ifc = NULL;
		const struct conf_standby *sb =
			conf_standby_find(c, c->redundancy.scheme, &ifc);

		if (sb != NULL && ifc != NULL) {
			cfg->rank_priority = sb->priority;
			cfg->rank_addr = ifc->addr;
			cfg->split_grace_ms = sb->hold_ms / 2;
		}
		if (cfg->split_grace_ms < RF_SPLIT_GRACE_MS)
			cfg->split_grace_ms = RF_SPLIT_GRACE_MS;
	}
	rc = conf_digest(c, &cfg->digest);
	if (rc == -E2BIG)
		snprintf(err, errlen,
			 "configuration digest: more than %u transform sets, crypto maps and standby groups",
			 CONF_DIGEST_MAX_PARTS - 1);
	else if (rc != 0)
		snprintf(err, errlen, "configuration digest: OpenSSL failed");
	return rc;
}

int
rf_init(struct rf *rf, const struct rf_config *cfg, tw_time_t now, char *err,
	size_t errlen)
{
	unsigned int t;

	if (cfg->keepalive_ms < 100 || cfg->keepalive_ms > 60000 ||
	    cfg->keepalive_threshold < 2 || cfg->keepalive_threshold > 100) {
		snprintf(err, errlen,
			 "keep-alive %u ms x %u: interval 100-60000 ms, threshold 2-100",
			 cfg->keepalive_ms, cfg->keepalive_threshold);
		return -EINVAL;
	}
	if (cfg->digest.n_parts > CONF_DIGEST_MAX_PARTS) {
		snprintf(err, errlen, "bad configuration digest");
		return -EINVAL;
	}
	memset(rf, 0, sizeof(*rf));
	rf->cfg = *cfg;
	rf->state = S(DISABLED);
	rf->peer_state = S(DISABLED);
	rf->group_state = "";
	rf->started = now;
	rf->last_change = now;
	snprintf(rf->last_reason, sizeof(rf->last_reason), "initial");
	for (t = 0; t < RF_TIMER_MAX; t++)
		rf->deadline[t] = TW_TIME_NEVER;
	return 0;
}

bool
rf_is_active(const struct rf *rf)
{
	return rf->state == S(ACTIVE) || rf->state == S(ACTIVE_FAST);
}

bool
rf_yields(const struct rf *rf)
{
	return rf->yield;
}

void
rf_set_fresh(struct rf *rf, tw_time_t at)
{
	rf->fresh_at = at;
}

bool
rf_mirroring(const struct rf *rf)
{
	return rf->state == S(ACTIVE) && rf->comm_up && rf->peer_ok &&
		rf->peer_role == SYNC_ROLE_STANDBY;
}

/* The state a twin that is not active should be in. */
static enum rf_state
standby_target(const struct rf *rf)
{
	if (!rf->group_known)
		return rf->comm_up ? S(NEGOTIATION) : S(INITIALIZATION);
	if (!rf->comm_up)
		return S(STANDBY_COLD);
	if (!rf->peer_hello)
		return S(NEGOTIATION);
	if (!rf->peer_ok)
		return S(STANDBY_COLD);
	if (rf->bulk_in)
		return S(STANDBY_COLD_BULK);
	if (rf->synced)
		return S(STANDBY_HOT);
	return S(STANDBY_COLD);
}

/* Ask the active twin for a bulk sync when everything is in place. */
static void
maybe_request_bulk(struct rf *rf)
{
	if (rf->state != S(STANDBY_COLD) || !rf->comm_up || !rf->peer_ok ||
	    rf->peer_role != SYNC_ROLE_ACTIVE || rf->synced || rf->bulk_in ||
	    rf->bulk_requested || rf->bulk_hold)
		return;
	rf->bulk_id++;
	if (rf->bulk_id == 0)
		rf->bulk_id = 1;
	rf->bulk_requested = true;
	tw_log(TW_LOG_INFO, RF_LOG,
	       "RF: asking the twin for a bulk sync (request %" PRIu32 ")",
	       rf->bulk_id);
	rf_send_bulk_request(rf);
	rf_timer_arm(rf, RF_TIMER_BULK, rf->now + rf_silence(rf));
}

/* Move to the state the flags call for; reason says what changed. */
static void
settle(struct rf *rf, const char *reason)
{
	enum rf_state to;

	if (rf->state == S(DISABLED))
		return;
	if (rf->group_known && rf->group_active) {
		if (!rf_is_active(rf))
			(void)rf_set_state(rf, S(ACTIVE_FAST), reason);
		return;
	}
	if (rf_is_active(rf))
		(void)rf_set_state(rf, S(STANDBY_COLD), reason);
	to = standby_target(rf);
	/* COLD-BULK and HOT lost to a fresh NEGOTIATION pass through COLD. */
	if (to == S(NEGOTIATION) && rf_state_is_standby(rf->state) &&
	    rf->state != S(STANDBY_COLD))
		(void)rf_set_state(rf, S(STANDBY_COLD), reason);
	(void)rf_set_state(rf, to, reason);
	maybe_request_bulk(rf);
}

static const char *
fmt_reason(struct rf *rf, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static const char *
fmt_reason(struct rf *rf, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(rf->reason_buf, sizeof(rf->reason_buf), fmt, ap);
	va_end(ap);
	return rf->reason_buf;
}

/* Forget everything learnt about the twin on this connection. */
static void
forget_peer(struct rf *rf)
{
	rf->peer_hello = false;
	rf->peer_ok = false;
	rf->peer_digest_known = false;
	rf->peer_role = SYNC_ROLE_NONE;
	rf->peer_state = S(DISABLED);
	rf->peer_proto = 0;
	rf->peer_silent = false;
	rf->hello_sent = false;
	rf->synced = false;
	rf->bulk_in = false;
	rf->bulk_requested = false;
	rf->bulk_hold = false;
	rf->bulk_pending = false;
	rf->ka_missed = 0;
	rf->ka_heard = false;
	rf_timer_cancel(rf, RF_TIMER_KEEPALIVE);
	rf_timer_cancel(rf, RF_TIMER_BULK);
}

static void
conn_down(struct rf *rf, const char *reason)
{
	rf->conn_up = false;
	rf->comm_up = false;
	rf->comm_since = 0;
	rf->cnt.conn_downs++;
	forget_peer(rf);
	settle(rf, reason);
}

static int
on_start(struct rf *rf, const struct rf_event *ev TW_UNUSED)
{
	if (!rf->cfg.enabled)
		return -EINVAL;
	if (rf->state != S(DISABLED))
		return 0;
	(void)rf_set_state(rf, S(INITIALIZATION),
			   fmt_reason(rf, "redundancy configured, scheme standby %s",
				      rf->cfg.scheme));
	if (rf->comm_up) {
		/* Connected before we started: introduce ourselves now. */
		rf_send_hello(rf);
		rf_timer_arm(rf, RF_TIMER_KEEPALIVE,
			     rf->now + TW_MSEC(rf->cfg.keepalive_ms));
	}
	settle(rf, rf->last_reason);
	return 0;
}

static int
on_stop(struct rf *rf, const struct rf_event *ev TW_UNUSED)
{
	forget_peer(rf);
	rf->conn_up = false;
	rf->comm_up = false;
	(void)rf_set_state(rf, S(DISABLED), "stopped");
	return 0;
}

static int
on_group(struct rf *rf, const struct rf_event *ev)
{
	const char *st = ev->u.group.state != NULL ? ev->u.group.state : "?";
	bool was_known = rf->group_known, was_active = rf->group_active;

	rf->group_known = true;
	rf->group_active = ev->u.group.active;
	rf->group_state = st;
	if (was_known && was_active == rf->group_active)
		return 0;
	if (rf->group_active && !rf_is_active(rf) && rf->comm_up &&
	    rf->peer_role == SYNC_ROLE_ACTIVE && !rf->peer_silent) {
		/* HSRP no longer hears the active twin: dead, or cut off. */
		rf->peer_silent = true;
		tw_log(TW_LOG_WARNING, RF_LOG,
		       "RF: twin %s was ACTIVE and HSRP no longer hears it: taking over, twin state unknown until it speaks",
		       rf->peer_hostname);
	}
	if (rf->group_active)
		settle(rf, fmt_reason(rf, "scheme group %s became %s",
				      rf->cfg.scheme, st));
	else if (was_active)
		settle(rf, fmt_reason(rf, "scheme group %s left Active (%s)",
				      rf->cfg.scheme, st));
	else
		settle(rf, fmt_reason(rf, "scheme group %s is %s",
				      rf->cfg.scheme, st));
	return 0;
}

static int
on_conn_up(struct rf *rf, const struct rf_event *ev TW_UNUSED)
{
	if (rf->conn_up)
		conn_down(rf, "connection to the twin replaced");
	rf->conn_up = true;
	rf->comm_up = true;
	rf->twin_seen = true;
	rf->comm_since = rf->now;
	rf->cnt.conn_ups++;
	forget_peer(rf);
	tw_log(TW_LOG_NOTICE, RF_LOG, "RF: Communications Up");
	if (rf->state != S(DISABLED)) {
		rf_send_hello(rf);
		rf_timer_arm(rf, RF_TIMER_KEEPALIVE,
			     rf->now + TW_MSEC(rf->cfg.keepalive_ms));
	}
	settle(rf, "connection to the twin up");
	return 0;
}

static int
on_conn_down(struct rf *rf, const struct rf_event *ev TW_UNUSED)
{
	if (!rf->conn_up)
		return 0;
	tw_log(TW_LOG_WARNING, RF_LOG,
	       "RF: Communications Down (connection to the twin lost)");
	conn_down(rf, "connection to the twin lost");
	return 0;
}

/* Anything from the twin proves it alive; ignored when not connected. */
static bool
heard(struct rf *rf)
{
	if (!rf->comm_up || rf->state == S(DISABLED)) {
		rf->cnt.unexpected++;
		return false;
	}
	rf->ka_heard = true;
	if (rf->peer_silent) {
		rf->peer_silent = false;
		tw_log(TW_LOG_NOTICE, RF_LOG,
		       "RF: twin %s speaks again", rf->peer_hostname);
	}
	return true;
}

static enum rf_state
peer_state_of(uint8_t n)
{
	if (n < S(DISABLED) || n >= RF_STATE_MAX)
		return S(DISABLED);
	return (enum rf_state)n;
}

/* peer_ok is false (rf->mismatch says why): logged; the reason. */
static const char *
peer_bad(struct rf *rf)
{
	tw_log(TW_LOG_WARNING, RF_LOG, "RF: %s%s", rf->mismatch,
	       rf_is_active(rf) ?
	       " (it cannot take over; no bulk sync for it)" :
	       " (staying COLD: we could not take over)");
	/*
	 * A standby that was in sync is no longer: the active mirrors
	 * nothing while the configurations differ (a reload on one twin),
	 * so once they match again a new bulk sync is needed.
	 */
	if (!rf_is_active(rf)) {
		rf->synced = false;
		rf->bulk_requested = false;
	}
	return fmt_reason(rf, "%s", rf->mismatch);
}

/* Our digest against the twin's last one: peer_ok, and the reason. */
static const char *
peer_check(struct rf *rf, bool was_ok)
{
	char why[RF_REASON_MAX / 2];

	if (conf_digest_compare(&rf->cfg.digest, &rf->peer_digest, why,
				sizeof(why)) != 0) {
		rf->peer_ok = false;
		rf->cnt.digest_mismatches++;
		snprintf(rf->mismatch, sizeof(rf->mismatch),
			 "configuration differs from twin %s's: %s",
			 rf->peer_hostname, why);
		return peer_bad(rf);
	}
	rf->peer_ok = true;
	rf->mismatch[0] = '\0';
	if (!was_ok)
		tw_log(TW_LOG_INFO, RF_LOG,
		       "RF: twin %s is %s, configuration matches",
		       rf->peer_hostname, rf_state_name(rf->peer_state));
	return fmt_reason(rf, "twin %s HELLO, %s, configuration matches",
			  rf->peer_hostname, sync_role_name(rf->peer_role));
}

static int
on_hello(struct rf *rf, const struct rf_event *ev)
{
	const struct sync_hello *h = ev->u.hello;
	enum sync_role was = rf->peer_role;
	bool was_ok = rf->peer_ok;
	const char *reason;

	if (h == NULL)
		return -EINVAL;
	if (!heard(rf))
		return 0;
	rf->cnt.hellos_in++;
	rf->peer_hello = true;
	rf->peer_role = h->role;
	rf->peer_state = peer_state_of(h->state);
	rf->peer_proto = h->proto_version;
	snprintf(rf->peer_hostname, sizeof(rf->peer_hostname), "%s",
		 h->hostname);
	rf->peer_rank_known = h->rank_known;
	rf->peer_yielded = h->yielding;
	if (h->yielding)
		rf->peer_yields = true;
	rf->peer_rank_priority = h->rank_priority;
	rf->peer_rank_addr = h->rank_addr;
	rf->peer_fresh_known = h->fresh_known;
	rf->peer_fresh_age_ms = h->fresh_age_ms;
	rf->peer_fresh_rx = rf->now;
	if (!rf->hello_sent)
		rf_send_hello(rf);
	if (h->proto_version != SYNC_PROTO_VERSION) {
		rf->peer_ok = false;
		rf->peer_digest_known = false;
		snprintf(rf->mismatch, sizeof(rf->mismatch),
			 "twin %s speaks sync protocol version %u, we speak %u",
			 rf->peer_hostname, h->proto_version,
			 SYNC_PROTO_VERSION);
		reason = peer_bad(rf);
	} else {
		rf->peer_digest = h->digest;
		rf->peer_digest_known = true;
		reason = peer_check(rf, was_ok);
	}
	/* A twin that just became active can serve a new request. */
	if (h->role == SYNC_ROLE_ACTIVE && was != SYNC_ROLE_ACTIVE)
		rf->bulk_requested = false;
	settle(rf, reason);
	return 0;
}

static int
on_reconfig(struct rf *rf, const struct rf_event *ev)
{
	const char *reason;

	if (ev->u.digest == NULL ||
	    ev->u.digest->n_parts > CONF_DIGEST_MAX_PARTS)
		return -EINVAL;
	rf->cfg.digest = *ev->u.digest;
	tw_log(TW_LOG_NOTICE, RF_LOG,
	       "RF: configuration reloaded: digest sent to the twin and compared again");
	if (rf->state == S(DISABLED) || !rf->conn_up)
		return 0; /* the next connection's HELLOs compare them */
	rf_send_hello(rf);
	if (!rf->peer_hello || !rf->peer_digest_known)
		return 0;
	reason = peer_check(rf, rf->peer_ok);
	settle(rf, reason);
	return 0;
}

static int
on_keepalive(struct rf *rf, const struct rf_event *ev)
{
	const struct sync_keepalive *k = ev->u.keepalive;
	enum sync_role was = rf->peer_role;

	if (k == NULL)
		return -EINVAL;
	if (!heard(rf))
		return 0;
	rf->cnt.keepalives_in++;
	rf->peer_role = k->role;
	rf->peer_state = peer_state_of(k->state);
	/*
	 * Our HELLO went missing (it was sent before the twin could accept
	 * our frames): say it again. Not when it may just be crossing this
	 * keep-alive on the wire: only an interval after we sent it.
	 */
	if (!k->hello_seen && rf->now >= rf->hello_at +
	    TW_MSEC(rf->cfg.keepalive_ms))
		rf_send_hello(rf);
	if (k->role == SYNC_ROLE_ACTIVE && was != SYNC_ROLE_ACTIVE) {
		rf->bulk_requested = false;
		settle(rf, "the twin is ACTIVE");
	}
	return 0;
}

static void
keepalive_timer(struct rf *rf)
{
	rf_send_keepalive(rf);
	if (rf->ka_heard) {
		rf->ka_missed = 0;
	} else {
		rf->ka_missed++;
		rf->cnt.keepalives_missed++;
	}
	rf->ka_heard = false;
	if (rf->ka_missed < rf->cfg.keepalive_threshold) {
		rf_timer_arm(rf, RF_TIMER_KEEPALIVE,
			     rf->now + TW_MSEC(rf->cfg.keepalive_ms));
		return;
	}
	rf->cnt.comm_down++;
	tw_log(TW_LOG_WARNING, RF_LOG,
	       "RF: Communications Down: nothing from the twin in %u keep-alive intervals of %u ms",
	       rf->ka_missed, rf->cfg.keepalive_ms);
	rf->comm_up = false;
	rf->comm_since = 0;
	forget_peer(rf);
	rf->ka_missed = rf->cfg.keepalive_threshold;
	rf_act_simple(rf, RF_ACT_DISCONNECT);
	settle(rf, "keep-alive threshold reached, Communications Down");
}

static void
bulk_timer(struct rf *rf)
{
	if (rf->bulk_hold) {
		rf->bulk_hold = false;
		settle(rf, "retrying bulk sync");
		return;
	}
	if (!rf->bulk_requested && !rf->bulk_in)
		return;
	rf->cnt.bulk_timeouts++;
	tw_log(TW_LOG_WARNING, RF_LOG,
	       "RF: bulk sync %" PRIu32 " stalled (%s, %" PRIu32 " of %" PRIu32 " records)",
	       rf->bulk_id, rf->bulk_in ? "started" : "not started",
	       rf->bulk_got, rf->bulk_expect);
	rf->bulk_requested = false;
	rf->bulk_in = false;
	/* Ask again at once: the twin is alive (keep-alives say so). */
	settle(rf, "bulk sync timed out");
}

static int
on_timer(struct rf *rf, const struct rf_event *ev)
{
	enum rf_timer t = ev->u.timer;

	if ((unsigned int)t >= RF_TIMER_MAX)
		return -EINVAL;
	if (rf->deadline[t] == TW_TIME_NEVER || rf->now < rf->deadline[t]) {
		rf->cnt.stale_timers++;
		return 0;
	}
	rf->deadline[t] = TW_TIME_NEVER;
	if (t == RF_TIMER_KEEPALIVE)
		keepalive_timer(rf);
	else if (t == RF_TIMER_BULK)
		bulk_timer(rf);
	/* RF_TIMER_SPLIT: split_check() after every event. */
	return 0;
}

static int
on_bulk_request(struct rf *rf, const struct rf_event *ev)
{
	struct rf_action *a;

	if (!heard(rf))
		return 0;
	rf->cnt.bulk_requests_in++;
	if (!rf_is_active(rf) || !rf->peer_ok) {
		rf->cnt.unexpected++;
		tw_log(TW_LOG_INFO, RF_LOG,
		       "RF: bulk sync request %" PRIu32 " ignored: %s",
		       ev->u.bulk.id, !rf_is_active(rf) ? "we are not ACTIVE" :
		       rf->peer_hello ? "the twin's configuration differs" :
		       "no HELLO from the twin yet");
		return 0;
	}
	if (rf->state == S(ACTIVE_FAST)) {
		/* Served when the takeover is complete. */
		rf->bulk_pending = true;
		rf->bulk_pending_id = ev->u.bulk.id;
		return 0;
	}
	rf->cnt.bulks_sent++;
	tw_log(TW_LOG_INFO, RF_LOG,
	       "RF: bulk sync %" PRIu32 " to twin %s", ev->u.bulk.id,
	       rf->peer_hostname);
	a = rf_act_push(rf, RF_ACT_BULK_SEND);
	if (a != NULL)
		a->u.bulk.id = ev->u.bulk.id;
	return 0;
}

static bool
bulk_for_us(struct rf *rf, const struct rf_event *ev, bool started)
{
	if (!heard(rf))
		return false;
	if (rf_is_active(rf) || rf->bulk_in != started ||
	    (!started && !rf->bulk_requested) ||
	    ev->u.bulk.id != rf->bulk_id) {
		rf->cnt.unexpected++;
		tw_log(TW_LOG_DEBUG, RF_LOG,
		       "RF: %s %" PRIu32 " ignored (expecting %" PRIu32 ", %s)",
		       rf_event_name(ev->type), ev->u.bulk.id, rf->bulk_id,
		       rf_state_name(rf->state));
		return false;
	}
	return true;
}

static int
on_bulk_start(struct rf *rf, const struct rf_event *ev)
{
	if (!bulk_for_us(rf, ev, false))
		return 0;
	rf->bulk_requested = false;
	rf->bulk_in = true;
	rf->bulk_expect = ev->u.bulk.count;
	rf->bulk_got = 0;
	rf->bulk_refused = 0;
	rf_timer_arm(rf, RF_TIMER_BULK, rf->now + rf_silence(rf));
	settle(rf, fmt_reason(rf, "bulk sync started, %" PRIu32 " records",
			      ev->u.bulk.count));
	return 0;
}

static int
on_bulk_records(struct rf *rf, const struct rf_event *ev)
{
	if (!rf->bulk_in || rf_is_active(rf)) {
		rf->cnt.unexpected++;
		return 0;
	}
	rf->ka_heard = true;
	rf->bulk_got += ev->u.records.accepted;
	rf->bulk_refused += ev->u.records.refused;
	rf->cnt.records_in += ev->u.records.accepted;
	rf->cnt.records_refused += ev->u.records.refused;
	/* Progress: the stall deadline moves on. */
	rf_timer_arm(rf, RF_TIMER_BULK, rf->now + rf_silence(rf));
	return 0;
}

static int
on_bulk_end(struct rf *rf, const struct rf_event *ev)
{
	if (!bulk_for_us(rf, ev, true))
		return 0;
	rf->bulk_in = false;
	rf_timer_cancel(rf, RF_TIMER_BULK);
	if (rf->bulk_refused == 0 && rf->bulk_got == rf->bulk_expect &&
	    ev->u.bulk.count == rf->bulk_expect) {
		rf->synced = true;
		rf->cnt.bulks_received++;
		rf_act_simple(rf, RF_ACT_BULK_COMMIT);
		settle(rf, fmt_reason(rf, "bulk sync complete, %" PRIu32 " records",
				      rf->bulk_got));
		return 0;
	}
	rf->cnt.bulk_failures++;
	rf->bulk_hold = true;
	rf_timer_arm(rf, RF_TIMER_BULK, rf->now + rf_silence(rf));
	settle(rf, fmt_reason(rf,
			      "bulk sync incomplete: %" PRIu32 " of %" PRIu32 " records stored, %" PRIu32 " refused, the twin sent %" PRIu32,
			      rf->bulk_got, rf->bulk_expect, rf->bulk_refused,
			      ev->u.bulk.count));
	tw_log(TW_LOG_WARNING, RF_LOG, "RF: %s", rf->last_reason);
	return 0;
}

static int
on_takeover_done(struct rf *rf, const struct rf_event *ev)
{
	tw_time_t took;

	if (rf->state != S(ACTIVE_FAST)) {
		rf->cnt.unexpected++;
		return 0;
	}
	took = rf->now - rf->takeover_at;
	rf->takeover_sas = ev->u.takeover.n_sas;
	/* IOS counts the switchovers the pair went through: a twin that
	 * starts alone and becomes ACTIVE has not switched over */
	if (rf_state_is_standby(rf->takeover_from) && rf->twin_seen)
		rf->cnt.switchovers++;
	tw_log(TW_LOG_NOTICE, RF_LOG,
	       "RF: takeover from %s complete: %" PRIu32 " SAs installed in %" PRIu64 ".%03" PRIu64 " ms",
	       rf_state_name(rf->takeover_from), ev->u.takeover.n_sas,
	       (uint64_t)(took / TW_NSEC_PER_MSEC),
	       (uint64_t)((took % TW_NSEC_PER_MSEC) / 1000));
	(void)rf_set_state(rf, S(ACTIVE),
			   fmt_reason(rf, "takeover complete, %" PRIu32 " SAs",
				      ev->u.takeover.n_sas));
	return 0;
}

static int
refuse(const struct rf_event *ev, int rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int
refuse(const struct rf_event *ev, int rc, const char *fmt, ...)
{
	va_list ap;

	if (ev->u.op.err != NULL && ev->u.op.errlen != 0) {
		va_start(ap, fmt);
		vsnprintf(ev->u.op.err, ev->u.op.errlen, fmt, ap);
		va_end(ap);
	}
	return rc;
}

static int
on_force_switchover(struct rf *rf, const struct rf_event *ev)
{
	if (rf->state != S(ACTIVE))
		return refuse(ev, -EPERM,
			      "this unit is %s, not ACTIVE: force a switchover on the active twin",
			      rf_state_name(rf->state));
	if (!rf->comm_up)
		return refuse(ev, -ENOTCONN,
			      "Communications Down: no twin to switch over to");
	if (rf->peer_state != S(STANDBY_HOT))
		return refuse(ev, -EAGAIN,
			      "the twin is %s, not STANDBY HOT: a switchover now would lose SA state",
			      rf_state_name(rf->peer_state));
	rf->cnt.force_switchovers++;
	tw_log(TW_LOG_NOTICE, RF_LOG,
	       "RF: force-switchover: scheme group %s resigns Active to twin %s",
	       rf->cfg.scheme, rf->peer_hostname);
	rf_act_simple(rf, RF_ACT_RESIGN);
	return 0;
}

static int
on_clear(struct rf *rf, const struct rf_event *ev)
{
	if (!rf_state_is_standby(rf->state))
		return refuse(ev, -EPERM,
			      "this unit is %s: only a standby clears and resynchronises its SAs",
			      rf_state_name(rf->state));
	rf->cnt.clears++;
	rf_act_simple(rf, RF_ACT_DROP_DECOUPLED);
	rf->synced = false;
	rf->bulk_in = false;
	rf->bulk_requested = false;
	rf->bulk_hold = false;
	rf_timer_cancel(rf, RF_TIMER_BULK);
	tw_log(TW_LOG_NOTICE, RF_LOG,
	       "RF: standby SAs cleared by operator, resynchronising");
	settle(rf, "cleared by operator, resynchronising");
	return 0;
}

#define IP4_ARGS(a) (a) >> 24, ((a) >> 16) & 0xff, ((a) >> 8) & 0xff, \
	(a) & 0xff

/* Milliseconds since an IKE peer last spoke to us (UINT64_MAX: never). */
static uint64_t
fresh_age(const struct rf *rf)
{
	if (rf->fresh_at == 0 || rf->fresh_at > rf->now)
		return rf->fresh_at == 0 ? UINT64_MAX : 0;
	return (uint64_t)((rf->now - rf->fresh_at) / TW_NSEC_PER_MSEC);
}

/* The same for the twin, from its last HELLO (UINT64_MAX: none). */
static uint64_t
peer_fresh_age(const struct rf *rf)
{
	if (rf->peer_fresh_age_ms == SYNC_FRESH_NONE)
		return UINT64_MAX;
	return rf->peer_fresh_age_ms +
		(uint64_t)((rf->now - rf->peer_fresh_rx) / TW_NSEC_PER_MSEC);
}

static void
age_str(char *buf, size_t len, uint64_t ms)
{
	if (ms == UINT64_MAX)
		snprintf(buf, len, "never");
	else
		snprintf(buf, len, "%" PRIu64 " ms ago", ms);
}

/*
 * Split brain (rf.h): do we keep ACTIVE against the twin? The newer IKE
 * state first (by more than RF_SPLIT_FRESH_MS), unless by_rank; then the
 * IOS rule on the ranks (priority, then address); a twin of an earlier
 * release sends none: then the higher hostname keeps it (both sides
 * agree). Says why in split_rule.
 */
static bool
split_we_win(struct rf *rf, bool by_rank)
{
	uint64_t ours = fresh_age(rf), theirs = peer_fresh_age(rf);
	char a[32], b[32];
	bool won;

	if (!by_rank && rf->peer_rank_known && rf->peer_fresh_known &&
	    (ours != UINT64_MAX || theirs != UINT64_MAX) &&
	    (ours > theirs ? ours - theirs : theirs - ours) >
	    RF_SPLIT_FRESH_MS) {
		age_str(a, sizeof(a), ours);
		age_str(b, sizeof(b), theirs);
		won = ours < theirs;
		snprintf(rf->split_rule, sizeof(rf->split_rule),
			 "newer IKE state: a peer spoke to %s last (this unit %s, the twin %s)",
			 won ? "this unit" : "the twin", a, b);
		return won;
	}
	if (!rf->peer_rank_known) {
		won = strcmp(rf->cfg.hostname, rf->peer_hostname) > 0;
		snprintf(rf->split_rule, sizeof(rf->split_rule),
			 "hostname: the twin sends no rank, %s has the higher hostname",
			 won ? "this unit" : "the twin");
		return won;
	}
	if (rf->cfg.rank_priority != rf->peer_rank_priority)
		won = rf->cfg.rank_priority > rf->peer_rank_priority;
	else
		won = rf->cfg.rank_addr > rf->peer_rank_addr;
	snprintf(rf->split_rule, sizeof(rf->split_rule),
		 "rank%s: %s outranks (priority %u, %u.%u.%u.%u against %u, %u.%u.%u.%u)",
		 by_rank ? " (the IKE ages did not agree)" : "",
		 won ? "this unit" : "the twin",
		 won ? rf->cfg.rank_priority : rf->peer_rank_priority,
		 IP4_ARGS(won ? rf->cfg.rank_addr : rf->peer_rank_addr),
		 won ? rf->peer_rank_priority : rf->cfg.rank_priority,
		 IP4_ARGS(won ? rf->peer_rank_addr : rf->cfg.rank_addr));
	return won;
}

static tw_time_t
split_grace(const struct rf *rf)
{
	return TW_MSEC(rf->cfg.split_grace_ms > RF_SPLIT_GRACE_MS ?
		       rf->cfg.split_grace_ms : RF_SPLIT_GRACE_MS);
}

/* A split decided (again, by rank only): log, tell the app and the twin. */
static void
split_decided(struct rf *rf, bool again)
{
	struct rf_action *a;

	if (!rf->split_won) {
		rf->yield = true;
		rf->yield_announce = true;
	}
	tw_log(TW_LOG_CRIT, RF_LOG,
	       "RF: SPLIT BRAIN: twin %s is ACTIVE too (priority %u, %u.%u.%u.%u; ours %u, %u.%u.%u.%u)%s: %s: %s",
	       rf->peer_hostname, rf->peer_rank_priority,
	       IP4_ARGS(rf->peer_rank_addr), rf->cfg.rank_priority,
	       IP4_ARGS(rf->cfg.rank_addr),
	       again ? ", still, and not yielding, after our decision" : "",
	       rf->split_rule,
	       rf->split_won ?
	       "this unit stays ACTIVE; the twin yields" :
	       "yielding ACTIVE to the twin, resynchronising from it");
	if (!again || !rf->split_won) {
		a = rf_act_push(rf, RF_ACT_SPLIT);
		if (a != NULL)
			a->u.split.won = rf->split_won;
	}
	if (rf->split_won) {
		/* Decide again if the twin still does not yield. */
		if (!again)
			rf_timer_arm(rf, RF_TIMER_SPLIT,
				     rf->now + TW_MSEC(RF_SPLIT_FRESH_MS));
		/* Tell the twin our role now, not at the next keep-alive. */
		rf_send_keepalive(rf);
	} else {
		/* Our role and that we yield, now: the twin then does not
		 * decide again; the HELLO of our role change says it too. */
		rf_send_hello(rf);
		rf->yield_announce = true;
	}
}

/* After every event: start, resolve and end a split brain; lift yield. */
static void
split_check(struct rf *rf)
{
	bool twin_active = rf->comm_up && rf->peer_hello && !rf->peer_silent &&
		rf->peer_role == SYNC_ROLE_ACTIVE;
	bool both = rf_is_active(rf) && twin_active;
	struct rf_action *a;

	if (rf->state == S(DISABLED))
		return;
	if (!twin_active)
		rf->peer_yields = false;
	if (rf->peer_yielded && !rf->split && rf_is_active(rf) &&
	    rf->peer_role != SYNC_ROLE_ACTIVE) {
		/* The twin lost a split we had not declared yet. */
		rf->split = true;
		rf->split_won = true;
		rf->split_decided = rf->now;
		rf->split_by_rank = false;
		if (!split_we_win(rf, false))
			snprintf(rf->split_rule, sizeof(rf->split_rule),
				 "the twin yielded to this unit");
		rf->split_since = rf->both_since != 0 ? rf->both_since :
			rf->now;
		rf->cnt.splits++;
		rf->cnt.splits_won++;
		tw_log(TW_LOG_CRIT, RF_LOG,
		       "RF: SPLIT BRAIN: twin %s was ACTIVE too and yields to this unit (priority %u, %u.%u.%u.%u; ours %u, %u.%u.%u.%u): this unit stays ACTIVE",
		       rf->peer_hostname, rf->peer_rank_priority,
		       IP4_ARGS(rf->peer_rank_addr), rf->cfg.rank_priority,
		       IP4_ARGS(rf->cfg.rank_addr));
		a = rf_act_push(rf, RF_ACT_SPLIT);
		if (a != NULL)
			a->u.split.won = true;
	}
	rf->peer_yielded = false;
	if (!both && rf->both_since != 0) {
		rf->both_since = 0;
		rf_timer_cancel(rf, RF_TIMER_SPLIT);
	}
	if (both && !rf->split && rf->both_since == 0) {
		rf->both_since = rf->now;
		rf_timer_arm(rf, RF_TIMER_SPLIT, rf->now + split_grace(rf));
		/*
		 * A twin that took over from us thinking us gone hears
		 * nothing from us before our next keep-alive: tell it we
		 * are ACTIVE now, so both graces run together; the HELLO
		 * gives it the age of our IKE state as of now.
		 */
		rf_send_keepalive(rf);
		rf_send_hello(rf);
	} else if (both && !rf->split &&
		   rf->now >= rf->both_since + split_grace(rf)) {
		rf->split = true;
		rf->split_since = rf->both_since;
		rf->split_decided = rf->now;
		rf->split_by_rank = false;
		rf->split_won = split_we_win(rf, false);
		rf->cnt.splits++;
		if (rf->split_won)
			rf->cnt.splits_won++;
		else
			rf->cnt.splits_lost++;
		split_decided(rf, false);
	} else if (both && rf->split && rf->split_won && !rf->split_by_rank &&
		   !rf->peer_yields &&
		   rf->now >= rf->split_decided + TW_MSEC(RF_SPLIT_FRESH_MS)) {
		/* The twin stays ACTIVE and does not yield: the IKE ages
		 * did not agree. The rank alone, computed alike. */
		rf->split_by_rank = true;
		rf->split_decided = rf->now;
		if (!split_we_win(rf, true)) {
			rf->split_won = false;
			rf->cnt.splits_won--;
			rf->cnt.splits_lost++;
		}
		split_decided(rf, true);
	} else if (!both && rf->split) {
		rf->split = false;
		rf->split_last_ms = (uint64_t)((rf->now - rf->split_since) /
					       TW_NSEC_PER_MSEC);
		tw_log(TW_LOG_WARNING, RF_LOG,
		       "RF: split brain over after %" PRIu64 " ms: this unit is %s, twin %s is %s",
		       rf->split_last_ms, rf_state_name(rf->state),
		       rf->peer_hostname[0] != '\0' ? rf->peer_hostname : "?",
		       twin_active ? "ACTIVE" : rf->comm_up ?
		       sync_role_name(rf->peer_role) : "not heard");
	}
	if (rf->yield && !twin_active) {
		rf->yield = false;
		rf->yield_announce = false;
		tw_log(TW_LOG_NOTICE, RF_LOG,
		       "RF: no longer yielding to twin %s (%s): scheme group %s free again",
		       rf->peer_hostname[0] != '\0' ? rf->peer_hostname : "?",
		       rf->comm_up ? "it left ACTIVE" : "Communications Down",
		       rf->cfg.scheme);
	}
}

typedef int (*rf_handler)(struct rf *rf, const struct rf_event *ev);

static const rf_handler handlers[RF_EV_MAX] = {
	[RF_EV_START] = on_start,
	[RF_EV_STOP] = on_stop,
	[RF_EV_GROUP] = on_group,
	[RF_EV_CONN_UP] = on_conn_up,
	[RF_EV_CONN_DOWN] = on_conn_down,
	[RF_EV_HELLO] = on_hello,
	[RF_EV_KEEPALIVE] = on_keepalive,
	[RF_EV_BULK_REQUEST] = on_bulk_request,
	[RF_EV_BULK_START] = on_bulk_start,
	[RF_EV_BULK_RECORDS] = on_bulk_records,
	[RF_EV_BULK_END] = on_bulk_end,
	[RF_EV_TIMER] = on_timer,
	[RF_EV_TAKEOVER_DONE] = on_takeover_done,
	[RF_EV_FORCE_SWITCHOVER] = on_force_switchover,
	[RF_EV_CLEAR] = on_clear,
	[RF_EV_RECONFIG] = on_reconfig,
};

int
rf_event(struct rf *rf, const struct rf_event *ev, tw_time_t now,
	 struct rf_action *acts, unsigned int max)
{
	int rc;

	if (ev == NULL || acts == NULL || max < RF_ACTIONS_MAX ||
	    (unsigned int)ev->type >= RF_EV_MAX)
		return -EINVAL;
	rf->now = now;
	rf->out = acts;
	rf->n_out = 0;
	rf->max_out = max;
	rc = handlers[ev->type](rf, ev);
	if (rc >= 0)
		split_check(rf);
	rf->out = NULL;
	return rc < 0 ? rc : (int)rf->n_out;
}
