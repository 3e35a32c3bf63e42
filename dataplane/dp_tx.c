/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Worker-side TX: packets are buffered per port during a burst and sent
 * with one rte_eth_tx_burst per port; what the queue does not take is
 * freed and counted (DP_DROP_TX_FULL), never retried in a loop.
 */
#include <rte_ethdev.h>

#include "dp_priv.h"

void
dp_tx_flush(struct dp_worker *w, uint16_t port)
{
	struct dp_port *p = &dp_g.ports[port];
	uint16_t n = w->n_txb[port], q = w->txq[port], sent;

	if (n == 0)
		return;
	w->n_txb[port] = 0;
	if (unlikely(__atomic_load_n(&p->admin_down, __ATOMIC_RELAXED))) {
		__atomic_fetch_add(&p->down_drops, n, __ATOMIC_RELAXED);
		rte_pktmbuf_free_bulk(w->txb[port], n);
		return;
	}
	if (p->txq_shared)
		rte_spinlock_lock(&p->txq_lock[q]);
	sent = rte_eth_tx_burst(p->port_id, q, w->txb[port], n);
	if (p->txq_shared)
		rte_spinlock_unlock(&p->txq_lock[q]);
	if (unlikely(sent < n)) {
		dp_drop_count(&w->drops, DP_DROP_TX_FULL, n - sent);
		rte_pktmbuf_free_bulk(w->txb[port] + sent, n - sent);
	}
}

void
dp_tx_flush_all(struct dp_worker *w)
{
	unsigned int i;

	for (i = 0; i < dp_g.n_ports; i++)
		dp_tx_flush(w, (uint16_t)i);
}
