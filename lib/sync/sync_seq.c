/* SPDX-License-Identifier: BSD-3-Clause */
/* The sequence number jump at takeover; the rule is in sync_seq.h. */
#include <errno.h>

#include "sync_seq.h"

static uint64_t
add_sat(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

int
sync_seq_takeover(const struct sync_seq_in *in, uint64_t *seed)
{
	uint64_t s = in->seq > in->mark ? in->seq : in->mark;
	uint64_t ms, unknown;

	if (in->twin_was_active) {
		if (!in->since_known)
			return -ENODATA;
		if (in->rate == 0)
			return -EINVAL;
		ms = in->since / TW_NSEC_PER_MSEC + SYNC_SEQ_SLACK_MS;
		/* RATE x ms / 1000, saturating */
		unknown = ms > UINT64_MAX / in->rate ? UINT64_MAX :
			ms * in->rate / 1000u;
		s = add_sat(s, in->interval);
		s = add_sat(s, unknown);
		s = add_sat(s, SYNC_SEQ_MARGIN);
	} else if (s > 0) {
		s = add_sat(s, SYNC_SEQ_MARGIN);
	}
	if (!in->esn && s > (uint64_t)UINT32_MAX - SYNC_SEQ_MARGIN)
		return -ERANGE;
	*seed = s;
	return 0;
}

uint64_t
sync_seq_reserve(uint64_t seq, uint64_t mark)
{
	if (seq + SYNC_SEQ_MARK_BLOCK / 2 <= mark)
		return mark;
	return add_sat(seq, SYNC_SEQ_MARK_BLOCK);
}

uint64_t
sync_seq_rate(unsigned int workers, uint64_t per_worker)
{
	if (workers == 0)
		workers = 1;
	if (per_worker > UINT64_MAX / workers)
		return UINT64_MAX;
	return per_worker * workers;
}

void
sync_seq_peak_feed(struct sync_seq_peak *p, uint64_t n, tw_time_t now)
{
	uint64_t d, pps;
	tw_time_t dt;

	if (p->t0 == 0 || n < p->n0 || now < p->t0) {
		p->n0 = n;
		p->t0 = now;
		return;
	}
	dt = now - p->t0;
	if (dt < TW_MSEC(SYNC_SEQ_PEAK_WIN_MS))
		return;
	d = n - p->n0;
	/* d x 10^9 / dt, saturating */
	pps = d > UINT64_MAX / TW_NSEC_PER_SEC ? UINT64_MAX :
		d * TW_NSEC_PER_SEC / dt;
	if (pps > p->peak_pps)
		p->peak_pps = pps;
	p->n0 = n;
	p->t0 = now;
}

uint64_t
sync_seq_rate_seen(uint64_t bound, uint64_t peak_pps)
{
	uint64_t twice = add_sat(peak_pps, peak_pps);

	return twice > bound ? twice : bound;
}

int
sync_seq_since_wall(uint64_t wall_ms, uint64_t stamp_ms, tw_time_t *since)
{
	if (stamp_ms == 0)
		return -ENOENT;
	if (wall_ms < stamp_ms)
		return -ETIME;
	if (wall_ms - stamp_ms > UINT64_MAX / TW_NSEC_PER_MSEC)
		*since = UINT64_MAX;
	else
		*since = TW_MSEC(wall_ms - stamp_ms);
	return 0;
}

void
sync_seq_conn_new(struct sync_seq_conns *c)
{
	c->cur++;
	if (c->cur == 0)
		c->cur = 1; /* 0 means none */
	c->heard[c->cur % SYNC_SEQ_CONNS] = 0;
}

void
sync_seq_conn_heard(struct sync_seq_conns *c, tw_time_t now)
{
	if (c->cur != 0)
		c->heard[c->cur % SYNC_SEQ_CONNS] = now;
}

int
sync_seq_conn_known_at(const struct sync_seq_conns *c, uint32_t conf,
		       tw_time_t *at)
{
	tw_time_t t;

	if (conf == 0 || conf > c->cur || c->cur - conf >= SYNC_SEQ_CONNS)
		return -ENODATA;
	t = c->heard[conf % SYNC_SEQ_CONNS];
	if (t == 0)
		return -ENODATA;
	*at = t;
	return 0;
}
