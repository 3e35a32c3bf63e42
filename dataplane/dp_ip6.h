/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef DP_IP6_H
#define DP_IP6_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>

#include "dp_drop.h"

/*
 * The IPv6 frame m received on port: true when it goes to the control
 * lcore (ICMPv6 for the box), else false with *why (dp_ip6.c).
 */
bool dp_ip6_classify(uint16_t port, struct rte_mbuf *m,
		     enum dp_drop_reason *why);

#endif /* DP_IP6_H */
