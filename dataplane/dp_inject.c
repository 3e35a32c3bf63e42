/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Packets the control lcore originates that must leave through a tunnel:
 * an echo reply to a remote protected host that pinged one of our inside
 * addresses through the tunnel, an ICMP time exceeded for a decrypted
 * packet whose inner TTL ran out here. RFC 4301 6.1.1: an ICMP message
 * about tunnel traffic goes back through an SA, never in clear; dp_tx()
 * only puts frames on a wire, so the control lcore hands these to the
 * fast path instead (dp_inject()), and worker 0 runs them through the
 * outbound pipeline as if they had come from the inside: SPD, the
 * protect policy's SA, encryption, the peer's next hop. What no protect
 * policy covers is dropped (policy), not sent in clear.
 *
 * One ring, single producer (the control lcore) and single consumer
 * (worker 0, which also drains the control lcore's TX rings).
 */
#include <errno.h>
#include <stdio.h>

#include <rte_errno.h>
#include <rte_ring.h>

#include "dp_priv.h"

#define DP_INJECT_RING_SIZE 512

static struct rte_ring *dp_inject_ring;

int
dp_inject_init(char *err, size_t errlen)
{
	dp_inject_ring = rte_ring_create("tw_inject", DP_INJECT_RING_SIZE,
					 SOCKET_ID_ANY,
					 RING_F_SP_ENQ | RING_F_SC_DEQ);
	if (dp_inject_ring == NULL) {
		snprintf(err, errlen, "cannot create the inject ring: %s",
			 rte_strerror(rte_errno));
		return -rte_errno;
	}
	return 0;
}

void
dp_inject_fini(void)
{
	struct rte_mbuf *m;

	if (dp_inject_ring == NULL)
		return;
	while (rte_ring_dequeue(dp_inject_ring, (void **)&m) == 0)
		rte_pktmbuf_free(m);
	rte_ring_free(dp_inject_ring);
	dp_inject_ring = NULL;
}

int
dp_inject(struct rte_mbuf *m)
{
	if (dp_inject_ring == NULL || !dp_g.launched) {
		rte_pktmbuf_free(m);
		return -ENOTCONN;
	}
	m->l2_len = 0;
	m->l3_len = 0;
	m->ol_flags = 0;
	if (rte_ring_sp_enqueue(dp_inject_ring, m) != 0) {
		dp_g.ctl_drops.count[DP_DROP_PUNT_FULL]++;
		rte_pktmbuf_free(m);
		return -ENOBUFS;
	}
	return 0;
}

void
dp_inject_drain(struct dp_worker *w, const struct dp_snap *s)
{
	struct rte_mbuf *mb[DP_BURST_MAX];
	unsigned int n;

	if (dp_inject_ring == NULL)
		return;
	n = rte_ring_sc_dequeue_burst(dp_inject_ring, (void **)mb,
				      DP_BURST_MAX, NULL);
	if (n > 0)
		dp_fwd_inject(w, s, mb, (uint16_t)n);
}
