/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A split brain's aftermath (the RF detects and resolves it: rf.h).
 *
 * Both twins were ACTIVE on the same SAs for a while. The loser started
 * its outbound SAs past the winner's numbers (the takeover's jump) and
 * used some; the winner keeps counting from its own, below them, and
 * would reach them one day: the same (SPI, sequence number), the same
 * GCM nonce. So the loser, once its SAs are out of its fast path
 * (relinquished: sadb seq is the last number it used), reports every
 * outbound SA's last number to the winner in a COUNTER_UPDATE, and the
 * winner moves each of its outbound SAs that is below that number past
 * it (plus SYNC_SEQ_MARGIN): out of the fast path, new seed, back in.
 * What the winner sends between the split and the report cannot reach
 * the loser's numbers unless it sends more than the takeover's jump in
 * that time (docs/failover-safety.md, "Split brain", has the bound).
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "ha_priv.h"
#include "ike_export.h"
#include "install.h"
#include "tw_compiler.h"
#include "tw_log.h"

static bool report_pending;
static uint8_t ikebuf[IKE_SA_REC_MAX];

/*
 * The loser, still ACTIVE (its IKE SAs not passive yet, nothing run on
 * them since): the records of every IKE SA it runs to the winner, which
 * takes the message IDs it moved past its own (the peer's requests it
 * answered during the split; ike_glue_adopt()). Keys and Child SAs it
 * negotiated meanwhile are not handed over: the rule keeps the twin a
 * peer spoke to last ACTIVE with its own (lib/sync/rf.h;
 * docs/failover-safety.md, "Split brain").
 */
static void
report_ike(void)
{
	struct sync_builder b;
	uint32_t cursor = 0, n = 0;
	int len, blen;

	(void)sync_build_begin(&b, SYNC_MSG_SA_ADD, ha.msg, sizeof(ha.msg));
	while ((len = ike_glue_export_next(&cursor, ikebuf,
					   sizeof(ikebuf))) > 0) {
		if (sync_build_record(&b, SYNC_REC_IKE_SA, ikebuf,
				      (uint16_t)len) == -ENOSPC) {
			blen = sync_build_end(&b);
			if (blen > 0)
				(void)ha_send_msg(ha.msg, (size_t)blen);
			(void)sync_build_begin(&b, SYNC_MSG_SA_ADD, ha.msg,
					       sizeof(ha.msg));
			if (sync_build_record(&b, SYNC_REC_IKE_SA, ikebuf,
					      (uint16_t)len) < 0)
				continue;
		}
		n++;
	}
	explicit_bzero(ikebuf, sizeof(ikebuf));
	if (b.n > 0) {
		blen = sync_build_end(&b);
		if (blen > 0)
			(void)ha_send_msg(ha.msg, (size_t)blen);
	}
	explicit_bzero(ha.msg, sizeof(ha.msg));
	ha.cnt.split_ike_out += n;
	if (n > 0)
		tw_log(TW_LOG_WARNING, HA_LOG,
		       "sync: split brain: %" PRIu32 " IKE SA record%s handed to the twin before yielding",
		       n, n == 1 ? "" : "s");
}

void
ha_split_detected(bool won, tw_time_t now TW_UNUSED)
{
	if (won) {
		tw_log(TW_LOG_WARNING, HA_LOG,
		       "sync: split brain: staying ACTIVE; the twin reports the sequence numbers it used once it yields");
		return;
	}
	if (ha.rf.comm_up)
		report_ike();
	report_pending = true;
}

void
ha_split_records(const struct sync_msg *m, tw_time_t now)
{
	struct sync_iter it;
	const uint8_t *body;
	uint16_t kind, len;
	uint32_t n = 0, taken = 0;

	sync_iter_init(&it, m);
	while (sync_rec_next_raw(&it, &kind, &body, &len) == 1) {
		if (kind != SYNC_REC_IKE_SA)
			continue;   /* IPsec SAs: the COUNTER_UPDATE */
		n++;
		if (ike_glue_adopt(body, len, now) > 0)
			taken++;
	}
	ha.cnt.split_ike_in += n;
	ha.cnt.split_ike_adopted += taken;
	if (n == 0) {
		ha.cnt.rx_ignored++;    /* IPsec SA records only: as before */
		return;
	}
	tw_log(taken > 0 ? TW_LOG_WARNING : TW_LOG_INFO, HA_LOG,
	       "sync: split brain: %" PRIu32 " IKE SA record%s from the twin, newer message IDs taken from %" PRIu32,
	       n, n == 1 ? "" : "s", taken);
}

void
ha_split_after(tw_time_t now TW_UNUSED)
{
	struct sadb *db = ha.ctl->sadb;
	struct sync_builder b;
	struct sync_counter c;
	const struct sadb_sa *sa;
	uint32_t n = 0;
	int len;

	if (!report_pending || rf_is_active(&ha.rf))
		return;
	report_pending = false;
	if (!ha.rf.comm_up)
		return;
	(void)sync_build_begin(&b, SYNC_MSG_COUNTER_UPDATE, ha.msg,
			       sizeof(ha.msg));
	for (sa = sadb_sa_next(db, NULL); sa != NULL;
	     sa = sadb_sa_next(db, sa)) {
		if (sa->p.dir != SADB_DIR_OUT ||
		    sa->state != SADB_SA_DECOUPLED || sa->p.seq == 0)
			continue;
		memset(&c, 0, sizeof(c));
		c.id = sa->id;
		c.spi = sa->p.spi;
		c.dir = sa->p.dir;
		c.seq = sa->p.seq;
		if (sync_build_counter(&b, &c) < 0) {
			len = sync_build_end(&b);
			if (len > 0)
				(void)ha_send_msg(ha.msg, (size_t)len);
			(void)sync_build_begin(&b, SYNC_MSG_COUNTER_UPDATE,
					       ha.msg, sizeof(ha.msg));
			if (sync_build_counter(&b, &c) < 0)
				continue;
		}
		n++;
	}
	if (b.n > 0) {
		len = sync_build_end(&b);
		if (len > 0)
			(void)ha_send_msg(ha.msg, (size_t)len);
	}
	ha.cnt.split_reports_out += n;
	tw_log(TW_LOG_WARNING, HA_LOG,
	       "sync: split brain: yielded; the last sequence numbers of %" PRIu32 " outbound SA%s reported to the twin",
	       n, n == 1 ? "" : "s");
}

/* SAs the winner moves past the loser's numbers (per report). */
#define SPLIT_MOVE_MAX 256

static void
publish(bool held)
{
	char err[256];

	if (install_spd(ha.ctl, held, err, sizeof(err)) < 0)
		tw_log(TW_LOG_ERR, HA_LOG, "sync: split brain: %s", err);
	(void)ctl_commit_now(ha.ctl);
}

/*
 * The winner: each outbound SA the loser used up to a number we have not
 * passed moves past it (+ SYNC_SEQ_MARGIN): the SPD discards for the
 * moment (nothing may point at an SA leaving the fast path), the SA
 * leaves it, takes the new seed, comes back, the SPD points at it again.
 */
void
ha_split_counters(const struct sync_msg *m, tw_time_t now TW_UNUSED)
{
	struct sadb *db = ha.ctl->sadb;
	struct sadb_sa *sa, *mv[SPLIT_MOVE_MAX];
	uint64_t to[SPLIT_MOVE_MAX], cur, seed;
	uint32_t n = 0, moved = 0, bad = 0, n_mv = 0, i;
	struct sync_counter c;
	struct sync_iter it;
	int rc;

	sync_iter_init(&it, m);
	while (sync_ctr_next(&it, &c) == 1) {
		if (c.dir != SADB_DIR_OUT)
			continue;
		n++;
		for (sa = sadb_sa_next(db, NULL); sa != NULL;
		     sa = sadb_sa_next(db, sa))
			if (sa->p.dir == SADB_DIR_OUT && sa->p.spi == c.spi)
				break;
		if (sa == NULL)
			continue;
		cur = ha_sa_seq(sa);
		if (cur > c.seq + SYNC_SEQ_MARGIN / 2)
			continue;       /* already past what the loser used */
		seed = c.seq + SYNC_SEQ_MARGIN;
		if (!sa->p.esn && seed > UINT32_MAX - SYNC_SEQ_MARGIN) {
			bad++;
			tw_log(TW_LOG_ERR, HA_LOG,
			       "sync: split brain: SA 0x%08x out: the twin used it up to %" PRIu64 ": no room left past that: rekey or replace it",
			       c.spi, c.seq);
			continue;
		}
		if (sa->state != SADB_SA_INSTALLED) {
			(void)sadb_sa_set_seq(db, sa, seed);
			moved++;
			continue;
		}
		if (n_mv == SPLIT_MOVE_MAX) {
			bad++;
			tw_log(TW_LOG_ERR, HA_LOG,
			       "sync: split brain: SA 0x%08x out: more than %u SAs to move in one report: rekey or replace it",
			       c.spi, SPLIT_MOVE_MAX);
			continue;
		}
		mv[n_mv] = sa;
		to[n_mv] = seed;
		n_mv++;
	}
	ha.cnt.split_reports_in += n;
	if (n_mv > 0) {
		publish(true);
		sadb_set_bulk(db, true);
		ha.own_change = true;
		for (i = 0; i < n_mv; i++) {
			sa = mv[i];
			if (sa->state != SADB_SA_INSTALLED)
				continue;
			cur = ha_sa_seq(sa);
			rc = sadb_sa_set_state(db, sa, SADB_SA_DECOUPLED,
					       "split brain");
			if (rc == 0)
				rc = sadb_sa_set_seq(db, sa, to[i] > cur ?
						     to[i] : cur);
			if (rc == 0)
				rc = sadb_sa_set_state(db, sa,
						       SADB_SA_INSTALLED,
						       "split brain, moved on");
			if (rc < 0) {
				bad++;
				tw_log(TW_LOG_ERR, HA_LOG,
				       "sync: split brain: SA 0x%08x out cannot be moved past the twin's numbers: %s (rekey or replace it)",
				       sa->p.spi, strerror(-rc));
				continue;
			}
			moved++;
			ha.sa[sa->id].sent_seq = sa->p.seq;
			ha.sa[sa->id].mark = sync_seq_reserve(sa->p.seq,
							      ha.sa[sa->id].mark);
			tw_log(TW_LOG_WARNING, HA_LOG,
			       "sync: split brain: SA 0x%08x out: the twin used it up to %" PRIu64 " (we were at %" PRIu64 "): moved on to %" PRIu64,
			       sa->p.spi, to[i] - SYNC_SEQ_MARGIN, cur,
			       sa->p.seq);
		}
		ha.own_change = false;
		sadb_set_bulk(db, false);
		ha_watch_all();
		publish(false);
		(void)ha_marks_save();
	}
	ha.cnt.split_moved += moved;
	/* A COUNTER_UPDATE the old active sent just before a switchover
	 * lands here too: below our numbers, nothing to do. */
	tw_log(moved + bad > 0 ? TW_LOG_WARNING : TW_LOG_INFO, HA_LOG,
	       "sync: split brain: the twin reported %" PRIu32 " outbound SA%s, %" PRIu32 " moved past its numbers, %" PRIu32 " not movable",
	       n, n == 1 ? "" : "s", moved, bad);
}
