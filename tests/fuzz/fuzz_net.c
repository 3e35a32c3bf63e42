/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target for lib/net, the codecs twinsecd's control lcore runs on
 * punted frames: ARP decode, IPv4/UDP decode, echo reply in place, and the
 * fragmentation-needed builder quoting an arbitrary packet.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Ilib/net -Ilib/core \
 *     tests/fuzz/fuzz_net.c lib/net/net_arp.c lib/net/net_ip.c -o fuzz_net
 *   ./fuzz_net -max_total_time=60
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "net_arp.h"
#include "net_ip.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t out[NET_ICMP_ERR_MAX], frame[NET_ETH_MIN_FRAME];
	struct net_arp arp;
	struct net_ipv4 ip;
	struct net_udp udp;
	const char *why;
	uint8_t *copy;
	int n;

	if (net_arp_decode(data, size, &arp, &why) == 0) {
		if (net_arp_frame(frame, sizeof(frame), net_eth_broadcast,
				  arp.sha, &arp) != NET_ETH_MIN_FRAME)
			abort();
	}
	n = net_icmp_frag_needed(out, sizeof(out), data, size, 0x0a000001,
				 1400, 1, 64, &why);
	if (n > (int)sizeof(out))
		abort();
	if (n > 0 && net_cksum(out, NET_IPV4_HLEN) != 0)
		abort();
	if (net_ipv4_decode(data, size, &ip, &why) != 0)
		return 0;
	if (ip.hlen < NET_IPV4_HLEN || ip.tot_len > size)
		abort();
	if (ip.proto == NET_IPPROTO_UDP)
		(void)net_udp_decode(data, &ip, &udp, &why);
	/* The echo reply rewrites in place: work on a copy of exact size. */
	copy = malloc(ip.tot_len);
	if (copy == NULL)
		return 0;
	memcpy(copy, data, ip.tot_len);
	if (net_icmp_echo_reply(copy, &ip, 64, &why) == 0 &&
	    net_cksum(copy, ip.hlen) != 0)
		abort();
	free(copy);
	return 0;
}
