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
		ms = in->since / TW_NSEC_PER_MSEC + SYNC_SEQ_SLACK_MS;
		/* RATE x ms / 1000, without overflow for any sane since */
		unknown = ms > UINT64_MAX / SYNC_SEQ_RATE_MAX ? UINT64_MAX :
			ms * SYNC_SEQ_RATE_MAX / 1000u;
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
