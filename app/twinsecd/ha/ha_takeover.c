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
 * Relinquish: every installed SA leaves the fast path and is held
 * decoupled with the last number it used (so a takeover back never goes
 * below it); the new active's bulk sync then refreshes them all. No
 * reboot, unlike IOS's reload on relinquish.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "ike_glue.h"
#include "install.h"
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

uint32_t
ha_takeover(bool hot, tw_time_t now)
{
	struct sadb *db = ha.ctl->sadb;
	struct sync_seq_in in;
	struct sadb_sa *sa;
	struct ha_sa *x;
	tw_time_t t0 = ctl_now(), took;
	uint64_t seed, jump_min = UINT64_MAX, wall_ms;
	uint32_t n = 0, spent = 0, failed = 0;
	int rc;

	wall_ms = ha_wall_ms();
	/* 1. seeds, and the marks that cover them */
	for (sa = sadb_sa_next(db, NULL); sa != NULL;
	     sa = sadb_sa_next(db, sa)) {
		x = &ha.sa[sa->id];
		x->stale = false;
		if (sa->state != SADB_SA_DECOUPLED && sa->state != SADB_SA_INIT)
			continue;
		if (sa->p.dir == SADB_DIR_IN)
			continue; /* the window starts at the synced value */
		in = (struct sync_seq_in){
			.seq = sa->p.seq,
			.mark = x->mark,
			.interval = sa->p.replay_interval,
			.esn = sa->p.esn,
		};
		if (x->synced) {
			/* what the twin used up to its last word, and after */
			in.twin_was_active = true;
			in.since = ha.last_heard != 0 && now > ha.last_heard ?
				now - ha.last_heard : 0;
		} else if (ha.file_stamp_ms != 0) {
			/* complete when the file was written; since then? */
			in.twin_was_active = true;
			in.since = wall_ms > ha.file_stamp_ms ?
				TW_MSEC(wall_ms - ha.file_stamp_ms) : 0;
		} else if (ha.twin_was_active) {
			tw_log(TW_LOG_ERR, HA_LOG,
			       "sync: SA 0x%08x out not taken over: the twin was ACTIVE and nothing says how far it went (no synced state, no persisted marks): rekey it or let this twin sync first",
			       sa->p.spi);
			x->stale = true;
			spent++;
			continue;
		}
		rc = sync_seq_takeover(&in, &seed);
		if (rc < 0) {
			tw_log(TW_LOG_ERR, HA_LOG,
			       "sync: SA 0x%08x out not taken over: its sequence numbers are spent (last known %" PRIu64 ", mark %" PRIu64 "): rekey it",
			       sa->p.spi, sa->p.seq, x->mark);
			x->stale = true;
			spent++;
			continue;
		}
		if (seed - sa->p.seq < jump_min)
			jump_min = seed - sa->p.seq;
		(void)sadb_sa_set_seq(db, sa, seed);
		x->mark = sync_seq_reserve(seed, seed);
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
	publish("takeover", false);
	took = ctl_now() - t0;
	ha.cnt.takeover_sas = n;
	ha.cnt.takeover_refused = spent + failed;
	ha.cnt.takeover_ns = took;
	tw_log(TW_LOG_NOTICE, HA_LOG,
	       "takeover: %" PRIu32 " SAs taken over in %" PRIu64 ".%03" PRIu64 " ms (state %s%s), outbound sequence numbers jumped by at least %" PRIu64 "%s",
	       n, (uint64_t)(took / TW_NSEC_PER_MSEC),
	       (uint64_t)(took % TW_NSEC_PER_MSEC / 1000),
	       hot ? "from STANDBY HOT" : "possibly incomplete",
	       ha.twin_was_active ? "" : ", never synced: persisted marks",
	       jump_min == UINT64_MAX ? 0 : jump_min,
	       spent + failed > 0 ? ", some refused (see above)" : "");
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
	(void)ha_marks_save();
	tw_log(TW_LOG_NOTICE, HA_LOG,
	       "relinquish: %" PRIu32 " SAs out of the fast path, held decoupled until the new active's bulk sync",
	       n);
}
