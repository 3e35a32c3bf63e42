/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/net IPv6: header and extension-header walk, ICMPv6 echo, Neighbour
 * Discovery. The reference packets were made by scapy (an independent
 * implementation): checksums and layouts are its, not ours.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

/* Relative: the unit-test build adds no include path for lib/net. */
#include "net_ip6.h"
#include "net_nd_cache.h"
#include "net_udp6.h"
#include "tw_addr.h"
#include "tw_bytes.h"
#include "tw_compiler.h"

#define A6(x) 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, x

/* 2001:db8::1 -> 2001:db8::2 echo request, id 0x1234 seq 1, "abcdefgh" */
static const uint8_t echo_req[] = {
	0x60, 0x00, 0x00, 0x00, 0x00, 0x10, 0x3a, 0x40, A6(1), A6(2),
	0x80, 0x00, 0x80, 0x75, 0x12, 0x34, 0x00, 0x01,
	0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,
};
/* Its reply, hop limit 64. */
static const uint8_t echo_rep[] = {
	0x60, 0x00, 0x00, 0x00, 0x00, 0x10, 0x3a, 0x40, A6(2), A6(1),
	0x81, 0x00, 0x7f, 0x75, 0x12, 0x34, 0x00, 0x01,
	0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,
};
/* fe80::1 -> ff02::1:ff00:2: who has 2001:db8::2, SLLA 02:00:00:00:00:0a */
static const uint8_t ns[] = {
	0x60, 0x00, 0x00, 0x00, 0x00, 0x20, 0x3a, 0xff,
	0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01,
	0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0xff, 0x00, 0x00, 0x02,
	0x87, 0x00, 0x4b, 0x56, 0x00, 0x00, 0x00, 0x00, A6(2),
	0x01, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x0a,
};
/* The answer: 2001:db8::2 -> fe80::1, S and O, TLLA 02:00:00:00:00:0b */
static const uint8_t na[] = {
	0x60, 0x00, 0x00, 0x00, 0x00, 0x20, 0x3a, 0xff, A6(2),
	0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01,
	0x88, 0x00, 0xb9, 0xa0, 0x60, 0x00, 0x00, 0x00, A6(2),
	0x02, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x0b,
};

static void
test_decode(void **state TW_UNUSED)
{
	struct net_ipv6 ip;
	const char *why = NULL;
	uint8_t b[128];

	assert_int_equal(net_ipv6_decode(echo_req, sizeof(echo_req), &ip,
					 &why), 0);
	assert_int_equal(ip.plen, 16);
	assert_int_equal(ip.hlim, 64);
	assert_int_equal(ip.proto, NET_IPPROTO_ICMPV6);
	assert_int_equal(ip.l4_off, 40);
	assert_int_equal(ip.n_ext, 0);
	/* Link padding after the payload is fine; a short frame is not. */
	memset(b, 0, sizeof(b));
	memcpy(b, echo_req, sizeof(echo_req));
	assert_int_equal(net_ipv6_decode(b, 70, &ip, &why), 0);
	assert_int_equal(net_ipv6_decode(echo_req, sizeof(echo_req) - 1, &ip,
					 &why), -EINVAL);
	assert_string_equal(why, "bad IPv6 payload length");
	assert_int_equal(net_ipv6_decode(echo_req, 39, &ip, &why), -EINVAL);
	b[0] = 0x45;
	assert_int_equal(net_ipv6_decode(b, sizeof(echo_req), &ip, &why),
			 -EINVAL);
	assert_string_equal(why, "not IPv6");
}

/*
 * echo_req with extension headers n_ext (each next header from hdrs[],
 * 8 bytes of PadN) in front of the ICMPv6 message, into b.
 */
static size_t
with_ext(uint8_t *b, const uint8_t *hdrs, unsigned int n)
{
	unsigned int i;
	size_t off = 40;

	memcpy(b, echo_req, 40);
	b[6] = n != 0 ? hdrs[0] : NET_IPPROTO_ICMPV6;
	for (i = 0; i < n; i++) {
		uint8_t *h = b + off;

		memset(h, 0, 8);
		h[0] = i + 1 < n ? hdrs[i + 1] : NET_IPPROTO_ICMPV6;
		h[1] = 0;
		if (hdrs[i] == NET_IPPROTO_FRAGMENT) {
			tw_put32(h + 4, 0x1234);  /* offset 0, M clear */
		} else if (hdrs[i] == NET_IPPROTO_ROUTING) {
			h[2] = 4;                 /* type 4, SL 0 */
		} else {
			h[2] = 1;                 /* PadN, 4 bytes */
			h[3] = 4;
		}
		off += 8;
	}
	memcpy(b + off, echo_req + 40, 16);
	tw_put16(b + 4, (uint16_t)(off - 40 + 16));
	return off + 16;
}

static void
test_ext_headers(void **state TW_UNUSED)
{
	static const uint8_t chain[] = {
		NET_IPPROTO_HOPOPTS, NET_IPPROTO_DSTOPTS, NET_IPPROTO_ROUTING,
		NET_IPPROTO_FRAGMENT, NET_IPPROTO_DSTOPTS,
	};
	uint8_t many[NET_IP6_MAX_EXT + 1];
	uint8_t b[256];
	struct net_ipv6 ip;
	const char *why = NULL;
	size_t n;

	n = with_ext(b, chain, sizeof(chain));
	assert_int_equal(net_ipv6_decode(b, n, &ip, &why), 0);
	assert_int_equal(ip.n_ext, 5);
	assert_true(ip.frag);
	assert_int_equal(ip.proto, NET_IPPROTO_ICMPV6);
	assert_int_equal(ip.l4_off, 40 + 5 * 8);
	/* A non-first fragment: the upper layer is not there. */
	n = with_ext(b, (const uint8_t[]){ NET_IPPROTO_FRAGMENT }, 1);
	tw_put16(b + 42, 0x0008 * 8);
	assert_int_equal(net_ipv6_decode(b, n, &ip, &why), 0);
	assert_int_equal(ip.proto, NET_IPPROTO_FRAGMENT);
	/* Hop-by-hop anywhere but first. */
	n = with_ext(b, (const uint8_t[]){ NET_IPPROTO_DSTOPTS,
					    NET_IPPROTO_HOPOPTS }, 2);
	assert_int_equal(net_ipv6_decode(b, n, &ip, &why), -EINVAL);
	assert_string_equal(why, "hop-by-hop options not first");
	/* A routing header we would have to act on. */
	n = with_ext(b, (const uint8_t[]){ NET_IPPROTO_ROUTING }, 1);
	b[43] = 1;
	assert_int_equal(net_ipv6_decode(b, n, &ip, &why), -ENOTSUP);
	/* An option whose type says discard when not understood. */
	n = with_ext(b, (const uint8_t[]){ NET_IPPROTO_DSTOPTS }, 1);
	b[42] = 0x85;
	assert_int_equal(net_ipv6_decode(b, n, &ip, &why), -ENOTSUP);
	/* ... and one that says skip it. */
	b[42] = 0x05;
	assert_int_equal(net_ipv6_decode(b, n, &ip, &why), 0);
	/* An option longer than its header. */
	b[43] = 5;
	assert_int_equal(net_ipv6_decode(b, n, &ip, &why), -EINVAL);
	/* A header longer than the payload. */
	n = with_ext(b, (const uint8_t[]){ NET_IPPROTO_DSTOPTS }, 1);
	b[41] = 3;
	assert_int_equal(net_ipv6_decode(b, n, &ip, &why), -EINVAL);
	assert_string_equal(why, "extension header past the payload");
	/* The limit: MAX headers walk, one more is refused. */
	memset(many, NET_IPPROTO_DSTOPTS, sizeof(many));
	n = with_ext(b, many, NET_IP6_MAX_EXT);
	assert_int_equal(net_ipv6_decode(b, n, &ip, &why), 0);
	assert_int_equal(ip.n_ext, NET_IP6_MAX_EXT);
	n = with_ext(b, many, NET_IP6_MAX_EXT + 1);
	assert_int_equal(net_ipv6_decode(b, n, &ip, &why), -E2BIG);
	assert_string_equal(why, "too many extension headers");
}

static void
test_echo(void **state TW_UNUSED)
{
	struct net_ipv6 ip;
	const char *why = NULL;
	uint8_t b[256];
	size_t n;

	assert_int_equal(net_icmp6_cksum(echo_req + 8, echo_req + 24,
					 echo_req + 40, 16), 0);
	memcpy(b, echo_req, sizeof(echo_req));
	assert_int_equal(net_ipv6_decode(b, sizeof(echo_req), &ip, &why), 0);
	assert_int_equal(net_icmp6_echo_reply(b, &ip, NULL, 64, &why),
			 (int)sizeof(echo_rep));
	assert_memory_equal(b, echo_rep, sizeof(echo_rep));
	/* Extension headers in the request are not echoed back. */
	n = with_ext(b, (const uint8_t[]){ NET_IPPROTO_DSTOPTS }, 1);
	assert_int_equal(net_ipv6_decode(b, n, &ip, &why), 0);
	assert_int_equal(net_icmp6_echo_reply(b, &ip, NULL, 64, &why),
			 (int)sizeof(echo_rep));
	assert_memory_equal(b, echo_rep, sizeof(echo_rep));
	/* A corrupted request is not answered. */
	memcpy(b, echo_req, sizeof(echo_req));
	b[55] ^= 1;
	assert_int_equal(net_ipv6_decode(b, sizeof(echo_req), &ip, &why), 0);
	assert_int_equal(net_icmp6_echo_reply(b, &ip, NULL, 64, &why), -EINVAL);
	assert_string_equal(why, "bad ICMPv6 checksum");
	/* To all nodes: answered from the unicast address given. */
	memcpy(b, echo_req, sizeof(echo_req));
	memset(b + 24, 0, 16);
	b[24] = 0xff;
	b[25] = 0x02;
	b[39] = 1;
	tw_put16(b + 42, 0);
	tw_put16(b + 42, net_icmp6_cksum(b + 8, b + 24, b + 40, 16));
	assert_int_equal(net_ipv6_decode(b, sizeof(echo_req), &ip, &why), 0);
	assert_int_equal(net_icmp6_echo_reply(b, &ip, NULL, 64, &why),
			 -EINVAL);
	assert_string_equal(why, "to a multicast group");
	assert_int_equal(net_icmp6_echo_reply(b, &ip, echo_req + 24, 64,
					      &why), (int)sizeof(echo_rep));
	assert_memory_equal(b, echo_rep, sizeof(echo_rep));
	/* Nor a reply, nor one to a group. */
	memcpy(b, echo_rep, sizeof(echo_rep));
	assert_int_equal(net_ipv6_decode(b, sizeof(echo_rep), &ip, &why), 0);
	assert_int_equal(net_icmp6_echo_reply(b, &ip, NULL, 64, &why), -EINVAL);
	assert_string_equal(why, "not an echo request");
}

static void
test_nd(void **state TW_UNUSED)
{
	static const uint8_t mac_b[6] = { 2, 0, 0, 0, 0, 0x0b };
	struct net_ipv6 ip;
	struct net_nd nd;
	const char *why = NULL;
	uint8_t b[256];

	assert_int_equal(net_ipv6_decode(ns, sizeof(ns), &ip, &why), 0);
	assert_int_equal(net_nd_decode(ns, &ip, &nd, &why), 0);
	assert_int_equal(nd.type, NET_ND_NS);
	assert_memory_equal(nd.target, ns + 48, 16);
	assert_true(nd.has_lla);
	assert_int_equal(nd.lla[5], 0x0a);
	/* Our answer is scapy's, byte for byte. */
	assert_int_equal(net_nd_na_write(b, sizeof(b), na + 8, na + 24,
					 nd.target, NET_ND_NA_SOLICITED |
					 NET_ND_NA_OVERRIDE, mac_b),
			 (int)sizeof(na));
	assert_memory_equal(b, na, sizeof(na));
	assert_int_equal(net_nd_na_write(b, 71, na + 8, na + 24, nd.target,
					 0, mac_b), -ENOSPC);
	assert_int_equal(net_ipv6_decode(na, sizeof(na), &ip, &why), 0);
	assert_int_equal(net_nd_decode(na, &ip, &nd, &why), 0);
	assert_int_equal(nd.type, NET_ND_NA);
	assert_int_equal(nd.flags, NET_ND_NA_SOLICITED | NET_ND_NA_OVERRIDE);
	assert_memory_equal(nd.lla, mac_b, 6);

	/* RFC 4861 7.1.1: routed (hop limit 254) is refused. */
	memcpy(b, ns, sizeof(ns));
	b[7] = 254;
	assert_int_equal(net_ipv6_decode(b, sizeof(ns), &ip, &why), 0);
	assert_int_equal(net_nd_decode(b, &ip, &nd, &why), -EINVAL);
	assert_string_equal(why, "hop limit not 255");
	/* An option of length 0 (the checksum fixed up to isolate it). */
	memcpy(b, ns, sizeof(ns));
	b[65] = 0;
	tw_put16(b + 42, 0);
	tw_put16(b + 42, net_icmp6_cksum(b + 8, b + 24, b + 40, 32));
	assert_int_equal(net_ipv6_decode(b, sizeof(ns), &ip, &why), 0);
	assert_int_equal(net_nd_decode(b, &ip, &nd, &why), -EINVAL);
	assert_string_equal(why, "option of length 0");
	/* A bad checksum. */
	memcpy(b, ns, sizeof(ns));
	b[70] ^= 0xff;
	assert_int_equal(net_ipv6_decode(b, sizeof(ns), &ip, &why), 0);
	assert_int_equal(net_nd_decode(b, &ip, &nd, &why), -EINVAL);
	assert_string_equal(why, "bad ICMPv6 checksum");
	/* DAD (from ::) with a source link-layer option. */
	memcpy(b, ns, sizeof(ns));
	memset(b + 8, 0, 16);
	tw_put16(b + 42, 0);
	tw_put16(b + 42, net_icmp6_cksum(b + 8, b + 24, b + 40, 32));
	assert_int_equal(net_ipv6_decode(b, sizeof(ns), &ip, &why), 0);
	assert_int_equal(net_nd_decode(b, &ip, &nd, &why), -EINVAL);
	/* A multicast target. */
	memcpy(b, ns, sizeof(ns));
	b[48] = 0xff;
	tw_put16(b + 42, 0);
	tw_put16(b + 42, net_icmp6_cksum(b + 8, b + 24, b + 40, 32));
	assert_int_equal(net_ipv6_decode(b, sizeof(ns), &ip, &why), 0);
	assert_int_equal(net_nd_decode(b, &ip, &nd, &why), -EINVAL);
	assert_string_equal(why, "multicast target");
}

/*
 * RFC 4443 3.1 against scapy: 2001:db8:1::10 -> 2001:db8:2::20 UDP
 * 1000 -> 2000 with bytes 0..255 six times (1584 bytes), too big for a
 * 1400 tunnel: the PTB from 2001:db8:1::1 quotes 1232 bytes (1280 in
 * all) and scapy's checksum of it is 0xde28.
 */
static void
test_ptb(void **state TW_UNUSED)
{
	static const uint8_t hdr[48] = {
		0x60, 0, 0, 0, 0x06, 0x08, 0x11, 0x3f,
		0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
		0x20, 0x01, 0x0d, 0xb8, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x20,
		0x03, 0xe8, 0x07, 0xd0, 0x06, 0x08, 0x0b, 0x03,
	};
	static const uint8_t gw[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 1,
					[15] = 1 };
	static uint8_t orig[1584], out[1400], nest[1280];
	const char *why = NULL;
	unsigned int i;

	memcpy(orig, hdr, sizeof(hdr));
	for (i = 48; i < sizeof(orig); i++)
		orig[i] = (uint8_t)(i - 48);
	assert_int_equal(net_icmp6_ptb(out, sizeof(out), orig, sizeof(orig),
				       gw, 1400, 64, &why), 1280);
	assert_int_equal(out[6], NET_IPPROTO_ICMPV6);
	assert_memory_equal(out + 8, gw, 16);
	assert_memory_equal(out + 24, orig + 8, 16);
	assert_int_equal(out[40], NET_ICMP6_PTB);
	assert_int_equal(tw_get16(out + 42), 0xde28);
	assert_int_equal(tw_get32(out + 44), 1400);
	assert_memory_equal(out + 48, orig, 1232);
	/* A short packet is quoted whole. */
	assert_int_equal(net_icmp6_ptb(out, sizeof(out), echo_req,
				       sizeof(echo_req), gw, 1280, 64, &why),
			 40 + 8 + (int)sizeof(echo_req));
	assert_int_equal(net_icmp6_cksum(out + 8, out + 24, out + 40,
					 8 + sizeof(echo_req)), 0);
	/* Refusals: below 1280, about an ICMPv6 error, from ::, room. */
	assert_int_equal(net_icmp6_ptb(out, sizeof(out), orig, sizeof(orig),
				       gw, 1279, 64, &why), -EINVAL);
	assert_int_equal(net_icmp6_ptb(out, sizeof(out), orig, sizeof(orig),
				       gw, 1400, 64, &why), 1280);
	memcpy(nest, out, sizeof(nest));   /* about the PTB itself */
	assert_int_equal(net_icmp6_ptb(out, sizeof(out), nest, sizeof(nest),
				       gw, 1400, 64, &why), -EINVAL);
	assert_string_equal(why, "about an ICMPv6 error");
	memcpy(orig, hdr, sizeof(hdr));
	memset(orig + 8, 0, 16);
	assert_int_equal(net_icmp6_ptb(out, sizeof(out), orig, sizeof(orig),
				       gw, 1400, 64, &why), -EINVAL);
	assert_string_equal(why, "source not a unicast address");
	memcpy(orig, hdr, sizeof(hdr));
	assert_int_equal(net_icmp6_ptb(out, 1279, orig, sizeof(orig), gw,
				       1400, 64, &why), -ENOSPC);
}

static struct net_nd_cache cache;

/* Learning, confirmation, aging on a fake clock, the budget's bound. */
/*
 * UDP over IPv6 (IKE, issue 18): written with the RFC 8200 8.1 checksum
 * (0x4d05 computed independently, in Python, for this datagram), read
 * back; a wrong or zero checksum and a length that does not fit refused.
 */
static void
test_udp6(void **state TW_UNUSED)
{
	uint8_t p[NET_IPV6_HLEN + NET_UDP_HLEN + 5], src[16], dst[16];
	struct net_ipv6 ip;
	struct net_udp u;
	const char *why = "";

	assert_int_equal(tw_addr6_parse("2001:db8::1", src), 0);
	assert_int_equal(tw_addr6_parse("2001:db8::2", dst), 0);
	memcpy(p + NET_IPV6_HLEN + NET_UDP_HLEN, "hello", 5);
	assert_int_equal(net_udp6_write(p, sizeof(p), src, dst, 64, 0, 500, 4500,
					5), (int)sizeof(p));
	assert_int_equal(net_udp6_write(p, sizeof(p) - 1, src, dst, 64, 0, 500,
					4500, 5), -ENOSPC);
	assert_int_equal(tw_get16(p + NET_IPV6_HLEN + 6), 0x4d05);
	assert_int_equal(net_ipv6_decode(p, sizeof(p), &ip, &why), 0);
	assert_int_equal(ip.proto, 17);
	assert_int_equal(ip.hlim, 64);
	assert_int_equal(net_udp6_decode(p, &ip, &u, &why), 0);
	assert_int_equal(u.sport, 500);
	assert_int_equal(u.dport, 4500);
	assert_int_equal(u.len, 5);
	p[sizeof(p) - 1] ^= 1;
	assert_int_equal(net_udp6_decode(p, &ip, &u, &why), -EINVAL);
	assert_string_equal(why, "bad UDP checksum");
	p[sizeof(p) - 1] ^= 1;
	tw_put16(p + NET_IPV6_HLEN + 6, 0);
	assert_int_equal(net_udp6_decode(p, &ip, &u, &why), -EINVAL);
	assert_string_equal(why, "UDP checksum zero over IPv6");
	tw_put16(p + NET_IPV6_HLEN + 6, 0x4d05);
	tw_put16(p + NET_IPV6_HLEN + 4, NET_UDP_HLEN + 4);
	assert_int_equal(net_udp6_decode(p, &ip, &u, &why), -EINVAL);
	assert_string_equal(why, "bad UDP length");
	ip.plen = 4;
	assert_int_equal(net_udp6_decode(p, &ip, &u, &why), -EINVAL);
	assert_string_equal(why, "truncated UDP header");
}

static void
test_nd_cache(void **state TW_UNUSED)
{
	static const uint8_t mac1[6] = { 2, 0, 0, 0, 0, 1 };
	static const uint8_t mac2[6] = { 2, 0, 0, 0, 0, 2 };
	uint8_t a[16] = { A6(7) };
	const struct net_nd_entry *e;
	tw_time_t t = TW_SEC(1000);
	unsigned int i, ok;

	net_nd_cache_init(&cache, 64);
	/* An unsolicited advertisement of a stranger: not recorded. */
	assert_int_equal(net_nd_learn(&cache, 0, a, mac1, false, false, t),
			 -ENOENT);
	assert_null(net_nd_lookup(&cache, 0, a));
	/* A solicitation's source: STALE. */
	assert_int_equal(net_nd_learn(&cache, 0, a, mac1, false, true, t), 0);
	e = net_nd_lookup(&cache, 0, a);
	assert_non_null(e);
	assert_int_equal(e->state, NET_ND_STALE);
	assert_string_equal(net_nd_state_name(e->state), "STALE");
	assert_null(net_nd_lookup(&cache, 1, a));   /* per port */
	/* Confirmed, with a new MAC: REACH, updated. */
	assert_int_equal(net_nd_learn(&cache, 0, a, mac2, true, false, t), 0);
	assert_int_equal(e->state, NET_ND_REACH);
	assert_memory_equal(e->mac, mac2, 6);
	assert_int_equal(cache.cnt.learned, 1);
	assert_int_equal(cache.cnt.updated, 1);
	/* Its solicitation, same MAC: still REACH (RFC 4861 7.2.3). */
	assert_int_equal(net_nd_learn(&cache, 0, a, mac2, false, true, t), 0);
	assert_int_equal(e->state, NET_ND_REACH);
	assert_int_equal(cache.cnt.updated, 1);
	/* REACHABLE_TIME later it is STALE, 4 hours after that gone. */
	net_nd_age(&cache, t + TW_MSEC(NET_ND_REACHABLE_MS) - 1);
	assert_int_equal(e->state, NET_ND_REACH);
	t += TW_MSEC(NET_ND_REACHABLE_MS);
	net_nd_age(&cache, t);
	assert_int_equal(e->state, NET_ND_STALE);
	net_nd_age(&cache, t + TW_SEC(NET_ND_STALE_EXPIRE_S) - 1);
	assert_int_equal(cache.n, 1);
	net_nd_age(&cache, t + TW_SEC(NET_ND_STALE_EXPIRE_S));
	assert_int_equal(cache.n, 0);
	assert_null(net_nd_lookup(&cache, 0, a));
	assert_int_equal(cache.cnt.expired, 1);

	/*
	 * A flood of solicitations from spoofed sources on port 0: bounded by
	 * the budget's unsolicited ceiling (an eighth of 64 per port), the
	 * rest refused and counted; port 1 still learns.
	 */
	for (i = 0, ok = 0; i < 40; i++) {
		a[14] = (uint8_t)i;
		ok += net_nd_learn(&cache, 0, a, mac1, false, true, t) == 0;
	}
	assert_int_equal(ok, 8);
	assert_int_equal(cache.cnt.refused, 32);
	assert_int_equal(cache.budget.refused[NET_NEIGH_FULL_CLASS], 32);
	assert_int_equal(net_nd_learn(&cache, 1, a, mac1, false, true, t), 0);
	/* Expiry gives the room back. */
	net_nd_age(&cache, t + TW_SEC(NET_ND_STALE_EXPIRE_S));
	assert_int_equal(cache.n, 0);
	assert_int_equal(cache.budget.n, 0);
	assert_int_equal(net_nd_learn(&cache, 0, a, mac1, false, true, t), 0);
}

/*
 * UDP over IPv6 (HSRP for IPv6's 2029): the bytes scapy builds for
 * IPv6(src=fe80::1, dst=ff02::66, hlim=255, tc=0xc0) / UDP(2029, 2029) /
 * "hsrp", checksum 0x172e; then received, and refused when damaged.
 */
static void
test_udp6_hsrp(void **state TW_UNUSED)
{
	static const uint8_t want[] = {
		0x6c, 0x00, 0x00, 0x00, 0x00, 0x0c, 0x11, 0xff,
		0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01,
		0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x66,
		0x07, 0xed, 0x07, 0xed, 0x00, 0x0c, 0x17, 0x2e,
		'h', 's', 'r', 'p',
	};
	static const uint8_t src[16] = { 0xfe, 0x80, [15] = 1 };
	static const uint8_t dst[16] = { 0xff, 0x02, [15] = 0x66 };
	uint8_t p[sizeof(want)];
	struct net_ipv6 ip;
	struct net_udp u;
	const char *why = NULL;

	memcpy(p + NET_UDP6_HLEN, "hsrp", 4);
	assert_int_equal(net_udp6_write(p, sizeof(p), src, dst, 255, 0xc0,
					2029, 2029, 4), (int)sizeof(want));
	assert_memory_equal(p, want, sizeof(want));
	assert_int_equal(net_udp6_write(p, sizeof(p) - 1, src, dst, 255, 0,
					2029, 2029, 4), -ENOSPC);
	memcpy(p, want, sizeof(want));
	assert_int_equal(net_ipv6_decode(p, sizeof(p), &ip, &why), 0);
	assert_int_equal(net_udp6_decode(p, &ip, &u, &why), 0);
	assert_int_equal(u.sport, 2029);
	assert_int_equal(u.dport, 2029);
	assert_int_equal(u.len, 4);
	p[50] ^= 1;     /* the payload */
	assert_int_equal(net_udp6_decode(p, &ip, &u, &why), -EINVAL);
	assert_string_equal(why, "bad UDP checksum");
	memcpy(p, want, sizeof(want));
	p[46] = p[47] = 0;
	assert_int_equal(net_udp6_decode(p, &ip, &u, &why), -EINVAL);
	assert_string_equal(why, "UDP checksum zero over IPv6");
	memcpy(p, want, sizeof(want));
	p[45] = 13;     /* UDP length past the payload */
	assert_int_equal(net_udp6_decode(p, &ip, &u, &why), -EINVAL);
	p[45] = 7;
	assert_int_equal(net_udp6_decode(p, &ip, &u, &why), -EINVAL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode),
		cmocka_unit_test(test_ext_headers),
		cmocka_unit_test(test_echo),
		cmocka_unit_test(test_nd),
		cmocka_unit_test(test_nd_cache),
		cmocka_unit_test(test_ptb),
		cmocka_unit_test(test_udp6),
		cmocka_unit_test(test_udp6_hsrp),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
