/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target for lib/net's IPv6 codecs, which the fast path (the
 * extension-header walk) and the control lcore (ND, ICMPv6 echo) run on
 * received frames: the decode and its invariants, ND decode, the echo
 * reply in place (its checksum verified), an NA written for any target,
 * a Packet Too Big quoting any input (within 1280 bytes, checksum right),
 * and the neighbour cache fed with what decodes.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Ilib/net -Ilib/core \
 *     tests/fuzz/fuzz_net6.c lib/net/net_ip6.c lib/net/net_nd_cache.c \
 *     lib/net/net_neigh.c lib/core/tw_addr.c -o fuzz_net6
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "net_ip6.h"
#include "net_nd_cache.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct net_nd_cache cache;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t mac[6] = { 2, 0, 0, 0, 0, 1 };
	static const uint8_t mac16[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	uint8_t na[NET_IPV6_HLEN + NET_ND_NA_LEN];
	static uint8_t ptb[NET_IPV6_MIN_MTU];
	static tw_time_t now;
	struct net_ipv6 ip;
	struct net_nd nd;
	const char *why;
	uint8_t *copy;
	size_t end;
	int n;

	if (now == 0)
		net_nd_cache_init(&cache, 64);
	n = net_icmp6_ptb(ptb, sizeof(ptb), data, size, mac16, 1400, 64, &why);
	if (n > NET_IPV6_MIN_MTU ||
	    (n > 0 && net_icmp6_cksum(ptb + 8, ptb + 24, ptb + NET_IPV6_HLEN,
				      (size_t)n - NET_IPV6_HLEN) != 0))
		abort();
	if (net_ipv6_decode(data, size, &ip, &why) != 0)
		return 0;
	end = NET_IPV6_HLEN + (size_t)ip.plen;
	if (end > size || ip.l4_off > end || ip.n_ext > NET_IP6_MAX_EXT)
		abort();
	if (net_nd_decode(data, &ip, &nd, &why) == 0) {
		n = net_nd_na_write(na, sizeof(na), nd.target, ip.src,
				    nd.target, NET_ND_NA_SOLICITED, mac);
		if (n != (int)sizeof(na) ||
		    net_icmp6_cksum(na + 8, na + 24, na + NET_IPV6_HLEN,
				    NET_ND_NA_LEN) != 0)
			abort();
		if (nd.has_lla)
			(void)net_nd_learn(&cache, data[0] & 1, ip.src, nd.lla,
					   nd.type == NET_ND_NA, true, now);
	}
	now += 1000000000LL * 60 * 60; /* an hour per input: aging runs */
	net_nd_age(&cache, now);
	if (cache.n > NET_ND_MAX)
		abort();
	/* The echo reply rewrites in place: work on a copy of exact size. */
	copy = malloc(end);
	if (copy == NULL)
		return 0;
	memcpy(copy, data, end);
	n = net_icmp6_echo_reply(copy, &ip, mac16, 64, &why);
	if (n > 0 && (n > (int)end || net_icmp6_cksum(copy + 8, copy + 24,
						      copy + NET_IPV6_HLEN,
						      (size_t)n -
						      NET_IPV6_HLEN) != 0))
		abort();
	free(copy);
	return 0;
}
