/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Names of the fast-path drop reasons. They appear in telemetry and in the
 * console, so they are part of the interface: never rename one, only add.
 */

#include <stddef.h>

#include "dp_drop.h"

static const char *const dp_drop_names[DP_DROP_MAX] = {
	[DP_DROP_MALFORMED] = "malformed",
	[DP_DROP_NOT_IPV4] = "not-ipv4",
	[DP_DROP_TTL] = "ttl-expired",
	[DP_DROP_NO_SA] = "no-sa",
	[DP_DROP_REPLAY] = "replay",
	[DP_DROP_ICV] = "icv",
	[DP_DROP_CRYPTO] = "crypto",
	[DP_DROP_POLICY] = "policy",
	[DP_DROP_DISCARD] = "discard",
	[DP_DROP_NO_ROUTE] = "no-route",
	[DP_DROP_NO_NEIGH] = "no-neighbour",
	[DP_DROP_MTU] = "mtu",
	[DP_DROP_PUNT_FULL] = "punt-full",
	[DP_DROP_TX_FULL] = "tx-full",
	[DP_DROP_NO_MBUF] = "no-mbuf",
	[DP_DROP_VIP_STANDBY] = "vip-standby",
	[DP_DROP_NO_OUT_SA] = "no-out-sa",
	[DP_DROP_INNER_HDR] = "inner-bad-header",
	[DP_DROP_INNER_LEN] = "inner-bad-length",
	[DP_DROP_INNER_CKSUM] = "inner-bad-checksum",
	[DP_DROP_INNER_LOCAL] = "inner-to-us",
	[DP_DROP_ESP_TRUNC] = "esp-truncated",
	[DP_DROP_ESP_PAD] = "esp-bad-padding",
	[DP_DROP_ESP_NEXT_HDR] = "esp-next-header",
	[DP_DROP_ESP_DUMMY] = "dummy",
	[DP_DROP_INNER_IPV6] = "inner-ipv6",
	[DP_DROP_INNER_TTL] = "inner-ttl-expired",
	[DP_DROP_ECN] = "ecn-ce-not-ect",
	[DP_DROP_FRAG_TOO_MANY] = "frag-too-many",
	[DP_DROP_FRAG_TIMEOUT] = "frag-timeout",
	[DP_DROP_FRAG_OVERLAP] = "frag-overlap",
	[DP_DROP_FRAG_TOO_BIG] = "frag-too-big",
	[DP_DROP_FRAG_TABLE_FULL] = "frag-table-full",
	[DP_DROP_IPV6_HDR] = "ipv6-bad-header",
	[DP_DROP_IPV6_EXT] = "ipv6-ext-header",
	[DP_DROP_IPV6_FRAG] = "ipv6-fragment",
	[DP_DROP_IPV6_LOCAL] = "ipv6-not-handled",
	[DP_DROP_IPV6_TRANSIT] = "ipv6-transit",
	[DP_DROP_IPV6_HLIM] = "ipv6-hop-limit",
	[DP_DROP_IPV6_TOO_BIG] = "ipv6-too-big",
	[DP_DROP_IPV6_SCOPE] = "ipv6-link-local",
};

const char *
dp_drop_reason_name(enum dp_drop_reason r)
{
	if ((unsigned int)r >= DP_DROP_MAX || dp_drop_names[r] == NULL)
		return "unknown";
	return dp_drop_names[r];
}
