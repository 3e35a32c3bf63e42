/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ACQUIRE: a protect policy matched and it has no SA yet. The packet is
 * dropped by the caller (DP_DROP_NO_OUT_SA); here the worker tells the
 * control lcore which policy wants an SA, so that IKE negotiates one
 * (RFC 4301 5.2's "trigger IKE" for outbound traffic without an SA).
 *
 * Why drop rather than queue: an IKE_SA_INIT + IKE_AUTH exchange takes at
 * least two round trips (seconds when the peer is slow or absent); a queue
 * would hold mbufs from the shared pool for that long, need a hand-over of
 * packets between lcores and a re-injection path after the SA is
 * installed, for what the senders' own retransmissions (TCP, ping, DNS)
 * recover anyway. Linux does the same by default (xfrm larval_drop).
 *
 * Each worker has its own single-producer / single-consumer ring of
 * 32-bit ids: enqueueing never contends with another worker and never
 * blocks (a full ring is counted and the next packet tries again). A
 * per-worker limiter lets one ACQUIRE per id through per interval, so a
 * flood of packets without an SA costs the ring one entry per second, and
 * the limiter's state is the worker's own (no atomics). Traffic with an SA
 * never comes here: the only cost on its path is the existing sa == NULL
 * test in dp_fwd.c.
 */
#include <errno.h>
#include <stdio.h>

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_ring.h>
#include <rte_ring_elem.h>

#include "dp_priv.h"

int
dp_acquire_init(char *err, size_t errlen)
{
	uint32_t ms = dp_g.params.acquire_ms != 0 ? dp_g.params.acquire_ms :
		DP_ACQUIRE_MS_DEFAULT;
	char name[RTE_RING_NAMESIZE];
	unsigned int i;

	dp_g.acq_interval = rte_get_tsc_hz() / 1000 * ms;
	for (i = 0; i < dp_g.n_workers; i++) {
		snprintf(name, sizeof(name), "tw_acq%u", i);
		dp_g.workers[i].acq_ring = rte_ring_create_elem(name,
			sizeof(uint32_t), DP_ACQ_RING_SIZE, SOCKET_ID_ANY,
			RING_F_SP_ENQ | RING_F_SC_DEQ);
		if (dp_g.workers[i].acq_ring == NULL) {
			snprintf(err, errlen, "cannot create ring %s: %s", name,
				 rte_strerror(rte_errno));
			return -rte_errno;
		}
	}
	return 0;
}

void
dp_acquire_fini(void)
{
	unsigned int i;

	for (i = 0; i < dp_g.n_workers && dp_g.workers != NULL; i++) {
		rte_ring_free(dp_g.workers[i].acq_ring);
		dp_g.workers[i].acq_ring = NULL;
	}
}

void
dp_acquire_raise(struct dp_worker *w, uint32_t id)
{
	struct dp_acq_slot *s = &w->acq_slot[id & (DP_ACQ_SLOTS - 1)];
	uint64_t now = rte_rdtsc();

	if (s->id == id && now - s->last < dp_g.acq_interval) {
		w->acq.suppressed++;
		return;
	}
	if (rte_ring_sp_enqueue_elem(w->acq_ring, &id, sizeof(id)) != 0) {
		/* Not recorded: the next packet tries again. */
		w->acq.ring_full++;
		return;
	}
	s->id = id;
	s->last = now;
	w->acq.raised++;
}

unsigned int
dp_acquire_dequeue(uint32_t *ids, unsigned int n)
{
	unsigned int i, got = 0;

	for (i = 0; i < dp_g.n_workers && dp_g.workers != NULL && got < n;
	     i++) {
		if (dp_g.workers[i].acq_ring == NULL)
			continue;
		got += rte_ring_sc_dequeue_burst_elem(dp_g.workers[i].acq_ring,
						      ids + got, sizeof(*ids),
						      n - got, NULL);
	}
	return got;
}

static void
dp_acquire_sum(struct dp_acquire_counters *out)
{
	unsigned int i;

	out->raised = 0;
	out->suppressed = 0;
	out->ring_full = 0;
	for (i = 0; i < dp_g.n_workers && dp_g.workers != NULL; i++) {
		const volatile struct dp_acquire_counters *c =
			&dp_g.workers[i].acq;

		out->raised += c->raised;
		out->suppressed += c->suppressed;
		out->ring_full += c->ring_full;
	}
}

void
dp_acquire_read(struct dp_acquire_counters *out)
{
	dp_acquire_sum(out);
	out->raised -= dp_g.acq_base.raised;
	out->suppressed -= dp_g.acq_base.suppressed;
	out->ring_full -= dp_g.acq_base.ring_full;
}

void
dp_acquire_clear(void)
{
	dp_acquire_sum(&dp_g.acq_base);
}
