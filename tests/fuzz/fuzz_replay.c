/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target for the fast path's anti-replay window
 * (dataplane/dp_replay.h), checked against a reference model written from
 * RFC 4303 3.4.3 alone: a set of every sequence number accepted and the
 * highest one, no bitmap. The input chooses the window size, the seed and
 * a series of arriving numbers (64-bit, or the 32 low bits an ESN packet
 * carries, reconstructed per RFC 4303 A2.1); every verdict of the window
 * must be the model's, and no number is ever accepted twice.
 *
 *   replay_replay tests/fuzz/corpus/replay         (make test)
 *   build-fuzz/tests/fuzz/fuzz_replay corpus/replay (make fuzz)
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dp_replay.h"

#define MAX_WIN 4096
#define MAX_OPS 512

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The model: what was accepted, and the highest of it (RFC 4303 3.4.3). */
struct model {
	uint64_t acc[MAX_OPS + 1];
	unsigned int n;
	uint64_t top;
	uint32_t win;
	uint64_t seed;
};

static bool
model_accepted(const struct model *m, uint64_t s)
{
	unsigned int i;

	for (i = 0; i < m->n; i++)
		if (m->acc[i] == s)
			return true;
	return false;
}

/*
 * Would the receiver accept s? 0 never (RFC 4303 3.3.3: the first packet
 * is 1); with a window, nothing at or left of top - win + 1, nothing seen
 * before, and nothing at or below the seed (dp_replay.h: after a takeover
 * the new owner cannot know which of those the old one took).
 */
static bool
model_check(const struct model *m, uint64_t s)
{
	if (m->win == 0)
		return true;
	if (s == 0 || s <= m->seed)
		return false;
	if (s > m->top)
		return true;
	if (s + m->win <= m->top)
		return false;
	return !model_accepted(m, s);
}

static void
model_update(struct model *m, uint64_t s)
{
	if (m->n < MAX_OPS + 1)
		m->acc[m->n++] = s;
	if (s > m->top)
		m->top = s;
}

static uint64_t
get64(const uint8_t **p, size_t *left)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < 8 && *left > 0; i++, (*p)++, (*left)--)
		v = v << 8 | **p;
	return v;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint64_t store[(sizeof(struct dp_replay) + 8 +
			       (MAX_WIN / 64 + 2) * 2 * 8) / 8 + 8];
	struct dp_replay *r = (struct dp_replay *)store;
	static struct model m;
	const uint8_t *p = data;
	size_t left = size;
	unsigned int ops = 0;
	uint64_t s, base;
	bool esn, seen, ok;
	uint8_t op;

	if (size < 11)
		return 0;
	/* Window 0 (off), or 32 .. MAX_WIN; the seed near or far from 0. */
	m.win = (uint32_t)((p[0] << 8 | p[1]) % (MAX_WIN + 1));
	if (m.win != 0 && m.win < 32)
		m.win = 32;
	esn = p[2] & 1;
	p += 3;
	left -= 3;
	m.seed = get64(&p, &left);
	if (!esn)
		m.seed &= UINT32_MAX;
	/* The numbers stay below 2^63 so s + win never wraps in the model. */
	m.seed &= UINT64_C(0x3fffffffffffffff);
	m.top = m.seed;
	m.n = 0;
	if (dp_replay_buckets(m.win) > MAX_WIN / 64 + 2 + MAX_WIN / 64 + 2)
		abort();
	dp_replay_init(r, m.win, m.seed);
	base = m.seed;
	while (left > 0 && ops++ < MAX_OPS) {
		op = *p++;
		left--;
		/* Most arrivals near the top, as a real peer's are. */
		switch (op & 3) {
		case 0:
			s = base + (op >> 2);
			break;
		case 1:
			s = base - (op >> 2);
			break;
		case 2:
			s = base + (uint64_t)(op >> 2) * 64;
			break;
		default:
			s = get64(&p, &left);
			break;
		}
		s &= UINT64_C(0x3fffffffffffffff);
		if (!esn)
			s &= UINT32_MAX;
		else if ((op & 0x80) != 0 && r->win != 0)
			/* The packet carries only the low 32 bits. */
			s = dp_replay_esn(r, (uint32_t)s);
		s &= UINT64_C(0x3fffffffffffffff);
		seen = dp_replay_seen(r, s);
		if (seen == model_check(&m, s))
			abort(); /* the window and the model disagree */
		if (seen)
			continue;
		/* The ICV verified: mark it (RFC 4303 3.4.3, after the ICV). */
		ok = dp_replay_update(r, s);
		if (!ok)
			abort(); /* seen() said new, update() said replay */
		if (m.win != 0 && model_accepted(&m, s))
			abort(); /* accepted twice */
		model_update(&m, s);
		if (r->top != m.top && m.win != 0)
			abort();
		if (s > base)
			base = s;
	}
	return 0;
}
