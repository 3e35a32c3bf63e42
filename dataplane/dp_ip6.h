/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef DP_IP6_H
#define DP_IP6_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <rte_mbuf.h>

#include "dp_drop.h"

enum dp_ip6_cls {
	DP_IP6_DROP,            /* *why says why */
	DP_IP6_PUNT,            /* ICMPv6 for the box: the control lcore */
	DP_IP6_TRANSIT,         /* to route (l2_len, l3_len set) */
	DP_IP6_ESP,             /* ESP to us: l3_len is the ESP header's
				 * offset, 8 bytes of it at least */
};

struct dp_snap;

/*
 * a == b, in two 64-bit words: the fast path's per-packet IPv6 address
 * tests without a memcmp() call (issue 18, the IPv6 bench rows).
 */
static inline bool
dp_ip6_eq(const uint8_t a[16], const uint8_t b[16])
{
	uint64_t a0, a1, b0, b1;

	memcpy(&a0, a, 8);
	memcpy(&a1, a + 8, 8);
	memcpy(&b0, b, 8);
	memcpy(&b1, b + 8, 8);
	return ((a0 ^ b0) | (a1 ^ b1)) == 0;
}

/* What the IPv6 frame m received on port is (dp_ip6.c); s: the snapshot
 * (its IPv6 VIPs). */
enum dp_ip6_cls dp_ip6_classify(const struct dp_snap *s, uint16_t port,
				struct rte_mbuf *m, enum dp_drop_reason *why);

#endif /* DP_IP6_H */
