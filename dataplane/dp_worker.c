/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The worker loop: poll every RX queue this worker owns, run each burst
 * through the pipeline, flush TX, report an RCU quiescent state once per
 * iteration.
 *
 * Poll modes: busy spins. adaptive counts empty iterations and, past
 * DP_IDLE_POLLS, sleeps with a back-off doubling from DP_SLEEP_MIN_US to
 * DP_SLEEP_MAX_US, reset by the first packet. While asleep the worker is
 * RCU-offline so dp_commit() never waits for a sleeper.
 */
#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_rcu_qsbr.h>

#include "dp_priv.h"

#define DP_IDLE_POLLS 256
#define DP_SLEEP_MIN_US 10u
#define DP_SLEEP_MAX_US 1000u

static unsigned int
dp_worker_poll(struct dp_worker *w, uint16_t burst)
{
	struct rte_mbuf *pkts[DP_BURST_MAX];
	const struct dp_snap *s = dp_snap_get();
	unsigned int i, got = 0;
	uint16_t n;

	for (i = 0; i < w->n_rxq; i++) {
		const struct dp_rxq *q = &w->rxq[i];

		n = rte_eth_rx_burst(dp_g.ports[q->port].port_id, q->queue,
				     pkts, burst);
		if (n == 0)
			continue;
		got += n;
		if (unlikely(__atomic_load_n(&dp_g.ports[q->port].admin_down,
					     __ATOMIC_RELAXED))) {
			/* Shut: what arrives is dropped, as on a downed link. */
			__atomic_fetch_add(&dp_g.ports[q->port].down_drops, n,
					   __ATOMIC_RELAXED);
			rte_pktmbuf_free_bulk(pkts, n);
			continue;
		}
		dp_fwd_burst(w, s, q->port, pkts, n);
	}
	if (unlikely(w->reasm.n_used != 0))
		dp_reasm_expire(w, rte_rdtsc());
	if (w->drain_ctl) {
		dp_port_ctl_drain(w);
		dp_inject_drain(w, s);
	}
	for (i = 0; i < dp_g.n_ports; i++) {
		got += w->n_txb[i];
		dp_tx_flush(w, (uint16_t)i);
	}
	return got;
}

int
dp_worker_main(void *arg)
{
	struct dp_worker *w = arg;
	const bool adaptive = dp_g.params.poll_mode == CONF_POLL_ADAPTIVE;
	uint16_t burst = dp_g.params.burst;
	unsigned int idle = 0, sleep_us = DP_SLEEP_MIN_US;

	if (burst == 0 || burst > DP_BURST_MAX)
		burst = DP_BURST_MAX;
	rte_rcu_qsbr_thread_register(dp_g.rcu, w->idx);
	rte_rcu_qsbr_thread_online(dp_g.rcu, w->idx);
	while (!__atomic_load_n(&dp_g.stop, __ATOMIC_RELAXED)) {
		unsigned int got = dp_worker_poll(w, burst);

		/* Done with this iteration's snapshot. */
		rte_rcu_qsbr_quiescent(dp_g.rcu, w->idx);
		w->loops++;
		if (!adaptive)
			continue;
		if (got != 0) {
			idle = 0;
			sleep_us = DP_SLEEP_MIN_US;
			continue;
		}
		if (++idle < DP_IDLE_POLLS)
			continue;
		rte_rcu_qsbr_thread_offline(dp_g.rcu, w->idx);
		rte_delay_us_sleep(sleep_us);
		rte_rcu_qsbr_thread_online(dp_g.rcu, w->idx);
		w->sleeps++;
		if (sleep_us < DP_SLEEP_MAX_US)
			sleep_us = RTE_MIN(sleep_us * 2, DP_SLEEP_MAX_US);
	}
	dp_reasm_flush(w);
	rte_rcu_qsbr_thread_offline(dp_g.rcu, w->idx);
	rte_rcu_qsbr_thread_unregister(dp_g.rcu, w->idx);
	return 0;
}
