/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Becoming active (RF_ACT_TAKEOVER) and ceasing to be (RF_ACT_RELINQUISH).
 *
 * Takeover: every SA held decoupled is installed; an outbound one with
 * its sequence number jumped past anything the old active can have used
 * (sync_seq_takeover(), the rule and its margin in lib/sync/sync_seq.h),
 * the jumped value reserved in the persisted marks (fsync'd) before the
 * fast path may use it; an inbound one with its replay window starting
 * at the highest number synced (librte_ipsec seeds both from esn.value,
 * dp_sa.h). Then the SPD points at the new SAs and one commit publishes
 * everything. An SA whose 32-bit space the jump would exhaust (no ESN)
 * is not installed: its key is spent, the log says so.
 *
 * No synced state for an SA (COLD since start, a lone twin, a restart):
 * the base is the persisted mark (our own reservations, written before
 * use, and what the twin last told us), complete when the file was last
 * written (every second), so the silence term runs from the file's stamp
 * (wall clock): the twin may have carried the SA since. No file and a
 * twin never seen ACTIVE this run: a key nobody has any record of starts
 * at 0 (a new key is taken to be new). No file but a twin seen ACTIVE:
 * nothing bounds what it used, the SA is not installed (rekey, or let
 * this twin sync first: HSRP preempt delay).
 *
 * Never a guess (issue 13): an outbound SA whose starting point cannot be
 * proven (knowledge() says why: a sync connection too old to date, a
 * wall clock behind the marks' stamp, marks without a date or none, a
 * jump past the 32-bit space) is not installed. An IKE-negotiated one is
 * rekeyed at once (ike_glue_rekey_out(): new keys, so no reuse is
 * possible; the SPD moves to the new SA when it is up); a manual one is
 * held: counted (unproven[], telemetry /twinsec/redundancy, show crypto
 * ha) and logged with the reason and what the operator can do.
 *
 * Relinquish: every installed SA leaves the fast path and is held
 * decoupled with the last number it used (so a takeover back never goes
 * below it); the new active's bulk sync then refreshes them all. No
 * reboot, unlike IOS's reload on relinquish.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dp.h"
#include "ike_glue.h"
#include "install.h"
#include "route.h"
#include "ha_priv.h"
#include "tw_log.h"

static void
publish(const char *what, bool held)
{
	char err[256];

	if (install_spd(ha.ctl, held, err, sizeof(err)) < 0)
		tw_log(TW_LOG_ERR, HA_LOG, "sync: %s: %s", what, err);
	(void)ctl_commit_now(ha.ctl);
}

static const char *const unproven_names[HA_UNPROVEN_MAX] = {
	[HA_PROVEN] = "proven",
	[HA_UNPROVEN_CONN] = "its state was confirmed on a sync connection too old to date",
	[HA_UNPROVEN_CLOCK] = "the wall clock is behind the stamp of the persisted marks (no RTC, or a clock stepped back)",
	[HA_UNPROVEN_NO_STAMP] = "the persisted marks carry no date",
	[HA_UNPROVEN_NO_MARKS] = "the twin was ACTIVE and nothing says how far it went (no synced state, no persisted marks)",
	[HA_UNPROVEN_SPENT] = "the jump leaves no room in its 32-bit sequence space",
};

static const char *const unproven_remedies[HA_UNPROVEN_MAX] = {
	[HA_PROVEN] = "",
	[HA_UNPROVEN_CONN] = "give its crypto map entry new session keys on both ends (or let this twin resync and switch over again)",
	[HA_UNPROVEN_CLOCK] = "set the clock right and restart twinsecd, or give its crypto map entry new session keys on both ends",
	[HA_UNPROVEN_NO_STAMP] = "give its crypto map entry new session keys on both ends",
	[HA_UNPROVEN_NO_MARKS] = "give its crypto map entry new session keys on both ends, or let this twin sync from its twin first (HSRP preempt delay)",
	[HA_UNPROVEN_SPENT] = "give its crypto map entry new session keys on both ends",
};

_Static_assert(HA_UNPROVEN_MAX <=
	       sizeof(((struct ha_counters *)0)->unproven) /
	       sizeof(uint64_t), "one counter per reason");

const char *
ha_unproven_name(enum ha_unproven why)
{
	return why < HA_UNPROVEN_MAX ? unproven_names[why] : "?";
}

const char *
ha_unproven_remedy(enum ha_unproven why)
{
	return why < HA_UNPROVEN_MAX ? unproven_remedies[why] : "";
}

/*
 * What this twin knows of outbound sa for the jump (sync_seq.h): the
 * base, whether the twin may have used it since, and since when. Returns
 * the reason the time is not known (HA_PROVEN when it is, or when the
 * twin cannot have used it).
 */
static enum ha_unproven
knowledge(const struct sadb_sa *sa, const struct ha_sa *x, tw_time_t now,
	  uint64_t wall_ms, struct sync_seq_in *in)
{
	tw_time_t at;
	int rc;

	*in = (struct sync_seq_in){
		.seq = sa->p.seq,
		.mark = x->mark,
		.interval = sa->p.replay_interval,
		.esn = sa->p.esn,
		/* never below what this twin saw the SA carry */
		.rate = sync_seq_rate_seen(ha.seq_rate, x->peak.peak_pps),
	};
	if (x->synced) {
		/*
		 * What the twin used up to its last word on the connection
		 * this SA was last confirmed on (not a later connection's
		 * HELLO or keep-alives: issue 13), and after.
		 */
		in->twin_was_active = true;
		if (sync_seq_conn_known_at(&ha.conns, x->conn, &at) < 0)
			return HA_UNPROVEN_CONN;
		in->since_known = true;
		in->since = now > at ? now - at : 0;
		return HA_PROVEN;
	}
	if (x->own_stamp || ha.n_loaded > 0 || ha.known_ms != 0) {
		/*
		 * Complete when the file was written (or this twin last sent
		 * as the active one, or, for a mark not sent on since, when
		 * that mark was): since then?
		 */
		in->twin_was_active = true;
		rc = sync_seq_since_wall(wall_ms, x->own_stamp ? x->stamp_ms :
					 ha.known_ms, &in->since);
		if (rc == -ETIME)
			return HA_UNPROVEN_CLOCK;
		if (rc < 0)
			return HA_UNPROVEN_NO_STAMP;
		in->since_known = true;
		return HA_PROVEN;
	}
	if (ha.twin_was_active) {
		in->twin_was_active = true;
		return HA_UNPROVEN_NO_MARKS;
	}
	return HA_PROVEN; /* a key nobody has any record of: new */
}

/* An SA a takeover will not send on: counted, said, and left out. */
static void
unproven(const struct sadb_sa *sa, struct ha_sa *x, enum ha_unproven why)
{
	/*
	 * Its mark keeps the date it had, if any (a clock behind it: right
	 * once the clock is), else none: the saves of this twin, which do
	 * not send on it, must not date it (ha_marks.c).
	 */
	if (why == HA_UNPROVEN_CLOCK) {
		if (!x->own_stamp)
			x->stamp_ms = ha.known_ms;
	} else {
		x->stamp_ms = 0;
	}
	x->own_stamp = true;
	x->unproven = (uint8_t)why;
	x->stale = true;
	ha.cnt.unproven[why]++;
	if (sa->p.origin == SADB_ORIGIN_IKE) {
		tw_log(TW_LOG_WARNING, HA_LOG,
		       "sync: SA 0x%08x out (crypto map %s seq %u) not sent on: %s: its Child SA is rekeyed now, traffic moves to the new SA",
		       sa->p.spi, sa->p.map, sa->p.map_seq,
		       ha_unproven_name(why));
		return;
	}
	tw_log(TW_LOG_ERR, HA_LOG,
	       "sync: SA 0x%08x out (crypto map %s seq %u, manual) not sent on: %s: no sequence number can be proven unused under its key; to carry this traffic again, %s",
	       sa->p.spi, sa->p.map, sa->p.map_seq, ha_unproven_name(why),
	       ha_unproven_remedy(why));
}

/* After the IKE SAs are active: a new key for each unproven IKE SA. */
static void
rekey_unproven(tw_time_t now)
{
	const struct sadb_sa *sa;
	const struct ha_sa *x;
	int rc;

	for (sa = sadb_sa_next(ha.ctl->sadb, NULL); sa != NULL;
	     sa = sadb_sa_next(ha.ctl->sadb, sa)) {
		x = &ha.sa[sa->id];
		if (x->unproven == HA_PROVEN || sa->p.dir != SADB_DIR_OUT ||
		    sa->state == SADB_SA_INSTALLED)
			continue;
		if (sa->p.origin != SADB_ORIGIN_IKE) {
			ha.cnt.unproven_refused++;
			continue;
		}
		rc = ike_glue_rekey_out(sa->p.spi, sa->p.peer_addr, now);
		if (rc == 0) {
			ha.cnt.unproven_rekeyed++;
			continue;
		}
		ha.cnt.unproven_refused++;
		tw_log(TW_LOG_ERR, HA_LOG,
		       "sync: SA 0x%08x out: cannot rekey its Child SA (%s): not sent on; clear crypto sa peer, or wait for the peer's rekey",
		       sa->p.spi, strerror(-rc));
	}
}

/*
 * The per-worker packet rate the jump assumes: SYNC_SEQ_WORKER_PPS, or a
 * larger one from the environment (TWINSEC_SEQ_WORKER_PPS: a fast path
 * faster than sync_seq.h's ceiling, a hardware crypto PMD on a fast
 * port; tests/ha/ike_unproven.sh exhausts the sequence space with it).
 * Never a smaller one: the jump must not shrink below the bound.
 */
uint64_t
ha_seq_worker_pps(void)
{
	const char *v = getenv("TWINSEC_SEQ_WORKER_PPS");
	unsigned long long x;
	char *end;

	if (v == NULL || *v == '\0')
		return SYNC_SEQ_WORKER_PPS;
	errno = 0;
	x = strtoull(v, &end, 0);
	if (errno != 0 || *end != '\0' || x < SYNC_SEQ_WORKER_PPS)
		return SYNC_SEQ_WORKER_PPS;
	return x;
}

uint32_t
ha_takeover(bool hot, tw_time_t now)
{
	struct sadb *db = ha.ctl->sadb;
	struct sync_seq_in in;
	struct sadb_sa *sa;
	struct ha_sa *x;
	tw_time_t t0 = ctl_now(), took;
	uint64_t seed, jump_min = UINT64_MAX, wall_ms, peak = 0;
	uint32_t n = 0, spent = 0, failed = 0, held = 0;
	uint64_t rri_n0 = route_counters()->rri_injected;
	uint64_t rri_ns0 = route_counters()->rri_ns;
	enum ha_unproven why;
	int rc;

	wall_ms = ha_wall_ms();
	ha.seq_rate = sync_seq_rate(dp_n_workers(), ha_seq_worker_pps());
	ha.cnt.seq_rate = ha.seq_rate;
	/* 1. seeds, and the marks that cover them */
	for (sa = sadb_sa_next(db, NULL); sa != NULL;
	     sa = sadb_sa_next(db, sa)) {
		x = &ha.sa[sa->id];
		x->stale = false;
		x->unproven = HA_PROVEN;
		if (sa->state != SADB_SA_DECOUPLED && sa->state != SADB_SA_INIT)
			continue;
		if (sa->p.dir == SADB_DIR_IN)
			continue; /* the window starts at the synced value */
		why = knowledge(sa, x, now, wall_ms, &in);
		if (why != HA_PROVEN) {
			unproven(sa, x, why);
			held++;
			continue;
		}
		if (x->peak.peak_pps > peak)
			peak = x->peak.peak_pps;
		rc = sync_seq_takeover(&in, &seed);
		if (rc < 0) {
			tw_log(TW_LOG_ERR, HA_LOG,
			       "sync: SA 0x%08x out: last known %" PRIu64 ", mark %" PRIu64 ": %s",
			       sa->p.spi, sa->p.seq, x->mark, strerror(-rc));
			unproven(sa, x, HA_UNPROVEN_SPENT);
			spent++;
			held++;
			continue;
		}
		if (seed - sa->p.seq < jump_min)
			jump_min = seed - sa->p.seq;
		(void)sadb_sa_set_seq(db, sa, seed);
		x->mark = sync_seq_reserve(seed, seed);
		x->own_stamp = false; /* sent on: dated by every save */
	}
	if (ha_marks_save() < 0)
		tw_log(TW_LOG_CRIT, HA_LOG,
		       "sync: sequence number marks not saved: a restart of this twin before its next save could reuse numbers");
	/* 2. install (per-SA lines at DEBUG, the summary below at NOTICE) */
	sadb_set_bulk(db, true);
	ha.own_change = true;
	for (sa = sadb_sa_next(db, NULL); sa != NULL;
	     sa = sadb_sa_next(db, sa)) {
		x = &ha.sa[sa->id];
		if ((sa->state != SADB_SA_DECOUPLED &&
		     sa->state != SADB_SA_INIT) || x->stale)
			continue;
		rc = sadb_sa_set_state(db, sa, SADB_SA_INSTALLED, "takeover");
		if (rc < 0) {
			failed++;
			continue;
		}
		x->sent_seq = sa->p.seq;
		n++;
	}
	ha.own_change = false;
	sadb_set_bulk(db, false);
	ha_watch_all();
	/* 3. the IKE SAs carry on (and tell the SPD which outbound SA
	 * each ipsec-isakmp entry uses), then the SPD, one commit */
	ha.cnt.takeover_ike_sas = ike_glue_takeover(now);
	/* 4. unproven outbound SAs: IKE ones rekeyed, manual ones held */
	rekey_unproven(now);
	publish("takeover", false);
	took = ctl_now() - t0;
	ha.cnt.takeover_sas = n;
	ha.cnt.takeover_refused = spent + failed;
	ha.cnt.unproven_now = held;
	ha.cnt.takeover_ns = took;
	/* the SAs' watcher (route/) injected their reverse routes */
	ha.cnt.takeover_rri_routes = route_counters()->rri_injected - rri_n0;
	ha.cnt.takeover_rri_ns = route_counters()->rri_ns - rri_ns0;
	tw_log(TW_LOG_NOTICE, HA_LOG,
	       "takeover: %" PRIu32 " SAs taken over in %" PRIu64 ".%03" PRIu64 " ms (state %s%s), %" PRIu64 " reverse routes injected in %" PRIu64 ".%03" PRIu64 " ms, outbound sequence numbers jumped by at least %" PRIu64 " (observed peak %" PRIu64 " pps, bound %" PRIu64 " pps per SA)%s",
	       n, (uint64_t)(took / TW_NSEC_PER_MSEC),
	       (uint64_t)(took % TW_NSEC_PER_MSEC / 1000),
	       hot ? "from STANDBY HOT" : "possibly incomplete",
	       ha.twin_was_active ? "" : ", never synced: persisted marks",
	       ha.cnt.takeover_rri_routes,
	       (uint64_t)(ha.cnt.takeover_rri_ns / TW_NSEC_PER_MSEC),
	       (uint64_t)(ha.cnt.takeover_rri_ns % TW_NSEC_PER_MSEC / 1000),
	       jump_min == UINT64_MAX ? 0 : jump_min, peak,
	       sync_seq_rate_seen(ha.seq_rate, peak),
	       held + failed > 0 ? ", some not sent on (see above)" : "");
	return n;
}

void
ha_relinquish(tw_time_t now)
{
	struct sadb *db = ha.ctl->sadb;
	struct sadb_sa *sa;
	uint64_t seq;
	uint32_t n = 0;

	/* IKE falls silent first: no message from a twin that is not
	 * active; protect -> discard next: nothing may point at what goes */
	ike_glue_relinquish(now);
	publish("relinquish", true);
	sadb_set_bulk(db, true);
	ha.own_change = true;
	for (sa = sadb_sa_next(db, NULL); sa != NULL;
	     sa = sadb_sa_next(db, sa)) {
		if (sa->state != SADB_SA_INSTALLED)
			continue;
		seq = ha_sa_seq(sa);
		if (sadb_sa_set_state(db, sa, SADB_SA_DECOUPLED,
				      "relinquished") < 0)
			continue;
		(void)sadb_sa_set_seq(db, sa, seq);
		ha.sa[sa->id].synced = false;
		n++;
	}
	ha.own_change = false;
	sadb_set_bulk(db, false);
	(void)ctl_commit_now(ha.ctl);
	ha.cnt.relinquished_sas = n;
	/* we were the one sending until now: our marks are complete now */
	ha.known_ms = ha_wall_ms();
	(void)ha_marks_save();
	tw_log(TW_LOG_NOTICE, HA_LOG,
	       "relinquish: %" PRIu32 " SAs out of the fast path, held decoupled until the new active's bulk sync",
	       n);
}
