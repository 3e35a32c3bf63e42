/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IKE messages held until the fast path has the Child SAs installed
 * before them. A peer acts on what it reads at once: our response to
 * its CREATE_CHILD_SA (or IKE_AUTH) lets it send on the new pair, our
 * DELETE after our rekey moves it off the old one. New inbound SAs reach
 * the workers only with a commit, and commits are batched
 * (ike_glue_spd.c): so every message an engine call emits after a
 * CHILD_UP, and every later one (order kept), waits for the next commit,
 * which is asked for as soon as the pacing allows. Without it, the
 * packets the peer sent in that gap (up to a batch: 10 ms, more under
 * load) were dropped as unknown SPIs, a ping in a few hundred per rekey.
 * On a clean stop nothing is held: the DELETEs go at once.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ike_glue_priv.h"

struct held_msg {
	struct tw_addr src, dst;
	uint16_t sport, dport;
	bool marker;
	size_t len;
	uint8_t data[];
};

static struct {
	struct held_msg **q;
	unsigned int n, cap;
} held;

bool
ike_glue_holding(void)
{
	return held.n > 0;
}

int
ike_glue_hold_send(const struct ike_action *a, bool marker, tw_time_t now)
{
	struct held_msg *m, **q;

	if (ig.stopping)
		return -EAGAIN;
	if (held.n == held.cap) {
		q = realloc(held.q, (held.cap * 2 + 8) * sizeof(*q));
		if (q == NULL)
			return -ENOMEM;
		held.q = q;
		held.cap = held.cap * 2 + 8;
	}
	m = malloc(sizeof(*m) + a->u.send.len);
	if (m == NULL)
		return -ENOMEM;
	m->src = a->u.send.src;
	m->dst = a->u.send.dst;
	m->sport = a->u.send.sport;
	m->dport = a->u.send.dport;
	m->marker = marker;
	m->len = a->u.send.len;
	memcpy(m->data, a->u.send.data, m->len);
	held.q[held.n++] = m;
	ig.cnt.held_sends++;
	ike_glue_spd_later(now, true);
	return 0;
}

void
ike_glue_hold_flush(tw_time_t now)
{
	unsigned int i;

	for (i = 0; i < held.n; i++) {
		/* No longer the active twin: it must not speak. */
		if (!ike_glue_silent())
			ike_glue_send_udp(&held.q[i]->src, &held.q[i]->dst,
					  held.q[i]->sport, held.q[i]->dport,
					  held.q[i]->data, held.q[i]->len,
					  held.q[i]->marker, now);
		free(held.q[i]);
	}
	held.n = 0;
}

void
ike_glue_hold_fini(void)
{
	unsigned int i;

	for (i = 0; i < held.n; i++)
		free(held.q[i]);
	free(held.q);
	memset(&held, 0, sizeof(held));
}
