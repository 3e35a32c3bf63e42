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
 * that time (docs/failover-safety-split.md has the bound).
 */
#include <inttypes.h>
#include <string.h>

#include "ha_priv.h"
#include "install.h"
#include "tw_compiler.h"
#include "tw_log.h"

static bool report_pending;

void
ha_split_detected(bool won, tw_time_t now TW_UNUSED)
{
	if (won) {
		tw_log(TW_LOG_WARNING, HA_LOG,
		       "sync: split brain: staying ACTIVE; the twin reports the sequence numbers it used once it yields");
		return;
	}
	report_pending = true;
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

/* The winner: move sa past seq (out of the fast path and back in). */
static int
bump(struct sadb *db, struct sadb_sa *sa, uint64_t seq)
{
	uint64_t seed = seq + SYNC_SEQ_MARGIN, cur = ha_sa_seq(sa);
	int rc;

	if (!sa->p.esn && seed > UINT32_MAX - SYNC_SEQ_MARGIN)
		return -ERANGE;
	ha.own_change = true;
	rc = sadb_sa_set_state(db, sa, SADB_SA_DECOUPLED, "split brain");
	if (rc == 0)
		(void)sadb_sa_set_seq(db, sa, cur);
	if (rc == 0) {
		if (seed > sa->p.seq)
			rc = sadb_sa_set_seq(db, sa, seed);
		if (rc == 0)
			rc = sadb_sa_set_state(db, sa, SADB_SA_INSTALLED,
					       "split brain, moved on");
	}
	ha.own_change = false;
	ha.sa[sa->id].mark = sync_seq_reserve(seed, ha.sa[sa->id].mark);
	ha.marks_dirty = true;
	return rc;
}

void
ha_split_counters(const struct sync_msg *m, tw_time_t now TW_UNUSED)
{
	struct sadb *db = ha.ctl->sadb;
	struct sync_counter c;
	struct sync_iter it;
	struct sadb_sa *sa;
	uint32_t n = 0, moved = 0, bad = 0;
	uint64_t cur;

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
		cur = sa->state == SADB_SA_INSTALLED ? ha_sa_seq(sa) :
			sa->p.seq;
		if (cur > c.seq + SYNC_SEQ_MARGIN / 2)
			continue;
		if (sa->state != SADB_SA_INSTALLED) {
			(void)sadb_sa_set_seq(db, sa, c.seq + SYNC_SEQ_MARGIN);
			moved++;
			continue;
		}
		if (bump(db, sa, c.seq) == 0) {
			moved++;
			tw_log(TW_LOG_WARNING, HA_LOG,
			       "sync: split brain: SA 0x%08x out: the twin used it up to %" PRIu64 " (we were at %" PRIu64 "): moved past it",
			       c.spi, c.seq, cur);
		} else {
			bad++;
			tw_log(TW_LOG_ERR, HA_LOG,
			       "sync: split brain: SA 0x%08x out: the twin used it up to %" PRIu64 " and it cannot be moved past that: rekey or replace it",
			       c.spi, c.seq);
		}
	}
	ha.cnt.split_reports_in += n;
	ha.cnt.split_moved += moved;
	if (moved + bad > 0) {
		char err[256];

		/* The SPD points at the SAs again (as after a takeover). */
		if (install_spd(ha.ctl, false, err, sizeof(err)) < 0)
			tw_log(TW_LOG_ERR, HA_LOG, "sync: split brain: %s",
			       err);
		(void)ctl_commit_now(ha.ctl);
	}
	tw_log(TW_LOG_WARNING, HA_LOG,
	       "sync: split brain: the twin reported %" PRIu32 " outbound SA%s, %" PRIu32 " moved past its numbers, %" PRIu32 " not movable",
	       n, n == 1 ? "" : "s", moved, bad);
}
