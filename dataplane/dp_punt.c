/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Punt path: workers hand packets to the control lcore over one
 * multi-producer / single-consumer rte_ring, never blocking (a full ring is
 * a counted drop). Why a packet was punted travels in an mbuf dynamic field,
 * so the ring carries plain mbuf pointers.
 *
 * Data layout of a punted mbuf:
 *  - DP_PUNT_LOCAL, DP_PUNT_TOO_BIG, DP_PUNT_TTL, DP_PUNT_NO_SA: the frame
 *    as received, Ethernet header included; port is the port it arrived
 *    on.
 *  - DP_PUNT_TUNNEL_LOCAL, DP_PUNT_TUNNEL_TTL: a decrypted inner packet
 *    behind an Ethernet header of zeros (ethertype IPv4); port is the
 *    port it arrived on (LOCAL) or the inside port it was routed to (TTL).
 *  - DP_PUNT_NEIGH: data starts at the IPv4 header (the L2 header is not
 *    written yet: prepend it once resolved and pass it to dp_tx()); port is
 *    the port to send on and nexthop the address to resolve; for an IPv6
 *    packet (issue 18) v6 is set and data starts with the 16-byte
 *    address to resolve, the IPv6 header after it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_mbuf_dyn.h>
#include <rte_ring.h>

#include "dp_priv.h"

#define DP_PUNT_RING_SIZE 4096

struct dp_punt_field {
	uint32_t nexthop;
	uint16_t port;
	uint16_t mtu;
	uint8_t reason;
	uint8_t v6;
};

static const struct rte_mbuf_dynfield dp_punt_dynfield = {
	.name = "twinsec_dynfield_punt",
	.size = sizeof(struct dp_punt_field),
	.align = __alignof__(struct dp_punt_field),
};

int
dp_punt_init(char *err, size_t errlen)
{
	dp_g.punt_off = rte_mbuf_dynfield_register(&dp_punt_dynfield);
	if (dp_g.punt_off < 0) {
		snprintf(err, errlen, "cannot register the punt mbuf field: %s",
			 rte_strerror(rte_errno));
		return -rte_errno;
	}
	dp_g.punt = rte_ring_create("tw_punt", DP_PUNT_RING_SIZE,
				    SOCKET_ID_ANY, RING_F_SC_DEQ);
	if (dp_g.punt == NULL) {
		snprintf(err, errlen, "cannot create the punt ring: %s",
			 rte_strerror(rte_errno));
		return -rte_errno;
	}
	return dp_inject_init(err, errlen);
}

void
dp_punt_fini(void)
{
	struct rte_mbuf *m;

	dp_inject_fini();
	if (dp_g.punt == NULL)
		return;
	while (rte_ring_dequeue(dp_g.punt, (void **)&m) == 0)
		rte_pktmbuf_free(m);
	rte_ring_free(dp_g.punt);
	dp_g.punt = NULL;
}

void
dp_punt_set(struct rte_mbuf *m, enum dp_punt_reason reason, uint16_t port,
	    uint32_t nexthop, uint16_t mtu)
{
	struct dp_punt_field *f;

	f = RTE_MBUF_DYNFIELD(m, dp_g.punt_off, struct dp_punt_field *);
	f->reason = (uint8_t)reason;
	f->port = port;
	f->nexthop = nexthop;
	f->mtu = mtu;
	f->v6 = 0;
}

/*
 * The mbuf dynamic field area is small (net_pcap's timestamp shares it):
 * the 16-byte next hop travels in the headroom, in front of the packet.
 */
int
dp_punt_set6(struct rte_mbuf *m, uint16_t port, const uint8_t nh[16])
{
	struct dp_punt_field *f;
	uint8_t *p;

	p = (uint8_t *)rte_pktmbuf_prepend(m, 16);
	if (unlikely(p == NULL))
		return -ENOBUFS;
	memcpy(p, nh, 16);
	dp_punt_set(m, DP_PUNT_NEIGH, port, 0, 0);
	f = RTE_MBUF_DYNFIELD(m, dp_g.punt_off, struct dp_punt_field *);
	f->v6 = 1;
	return 0;
}

void
dp_punt_burst(struct dp_worker *w, struct rte_mbuf **mb, unsigned int n)
{
	unsigned int k;

	if (n == 0)
		return;
	k = rte_ring_enqueue_burst(dp_g.punt, (void **)mb, n, NULL);
	if (unlikely(k < n)) {
		dp_drop_count(&w->drops, DP_DROP_PUNT_FULL, n - k);
		rte_pktmbuf_free_bulk(mb + k, n - k);
	}
}

unsigned int
dp_punt_dequeue(struct rte_mbuf **mb, unsigned int n)
{
	if (dp_g.punt == NULL)
		return 0;
	return rte_ring_dequeue_burst(dp_g.punt, (void **)mb, n, NULL);
}

void
dp_punt_info(const struct rte_mbuf *m, struct dp_punt_info *info)
{
	const struct dp_punt_field *f;

	f = RTE_MBUF_DYNFIELD(m, dp_g.punt_off, const struct dp_punt_field *);
	info->reason = (enum dp_punt_reason)f->reason;
	info->port = f->port;
	info->nexthop = f->nexthop;
	info->mtu = f->mtu;
	info->v6 = f->v6 != 0;
}

bool
dp_nosa_allow(struct dp_worker *w)
{
	uint64_t now = rte_rdtsc();

	if (now - w->nosa_last < rte_get_tsc_hz() / DP_NOSA_PER_SEC) {
		w->nosa_limited++;
		return false;
	}
	w->nosa_last = now;
	w->nosa_punted++;
	return true;
}

void
dp_nosa_read(uint64_t *punted, uint64_t *limited)
{
	unsigned int i;

	*punted = 0;
	*limited = 0;
	for (i = 0; i < dp_g.n_workers && dp_g.workers != NULL; i++) {
		*punted += dp_g.workers[i].nosa_punted;
		*limited += dp_g.workers[i].nosa_limited;
	}
}
