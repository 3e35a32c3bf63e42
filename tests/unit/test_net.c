/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

/* Relative: the unit-test build adds no include path for lib/net. */
#include "net_arp.h"
#include "tw_bytes.h"
#include "net_ip.h"
#include "net_neigh.h"
#include "net_tbucket.h"
#include "tw_compiler.h"

static const uint8_t mac_a[6] = { 0x02, 0, 0, 0, 0, 0x0a };
static const uint8_t mac_b[6] = { 0x02, 0, 0, 0, 0, 0x0b };

/* 10.0.0.1 -> 10.0.0.254 echo request, id 0x1234 seq 1, "abcdefgh". */
static const uint8_t echo_req[] = {
	0x45, 0x00, 0x00, 0x24, 0x1c, 0x46, 0x40, 0x00, 0x40, 0x01, 0x09, 0x95,
	0x0a, 0x00, 0x00, 0x01, 0x0a, 0x00, 0x00, 0xfe, 0x08, 0x00, 0x54, 0x35,
	0x12, 0x34, 0x00, 0x01, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,
};

static void
test_cksum_rfc1071(void **state TW_UNUSED)
{
	/* RFC 1071 3: the example sums to ddf2, stored complemented. */
	static const uint8_t b[] = { 0x00, 0x01, 0xf2, 0x03,
				     0xf4, 0xf5, 0xf6, 0xf7 };

	assert_int_equal(net_cksum(b, sizeof(b)), 0x220d);
	/* Odd length pads with a zero byte. */
	assert_int_equal(net_cksum(b, 1), (uint16_t)~0x0000);
	assert_int_equal(net_cksum(echo_req, 20), 0);
}

static void
test_arp_roundtrip(void **state TW_UNUSED)
{
	uint8_t frame[64];
	struct net_arp req, dec, rep;
	const char *why = NULL;

	net_arp_request(mac_a, 0x0a000001, 0x0a0000fe, &req);
	assert_int_equal(net_arp_frame(frame, sizeof(frame), net_eth_broadcast,
				       mac_a, &req), NET_ETH_MIN_FRAME);
	assert_memory_equal(frame, net_eth_broadcast, 6);
	assert_memory_equal(frame + 6, mac_a, 6);
	assert_int_equal(tw_get16(frame + 12), NET_ETHERTYPE_ARP);
	/* Wire format of RFC 826: hrd 1, pro 0800, hln 6, pln 4, op 1. */
	assert_int_equal(tw_get16(frame + 14), 1);
	assert_int_equal(tw_get16(frame + 16), 0x0800);
	assert_int_equal(frame[18], 6);
	assert_int_equal(frame[19], 4);
	assert_int_equal(tw_get16(frame + 20), 1);
	assert_int_equal(tw_get32(frame + 28), 0x0a000001);
	assert_int_equal(tw_get32(frame + 38), 0x0a0000fe);

	assert_int_equal(net_arp_decode(frame + 14, NET_ARP_LEN, &dec, &why), 0);
	assert_int_equal(dec.op, NET_ARP_REQUEST);
	assert_memory_equal(dec.sha, mac_a, 6);
	assert_int_equal(dec.spa, 0x0a000001);
	assert_int_equal(dec.tpa, 0x0a0000fe);
	assert_false(net_arp_is_gratuitous(&dec));

	net_arp_reply_to(&dec, mac_b, &rep);
	assert_int_equal(rep.op, NET_ARP_REPLY);
	assert_memory_equal(rep.sha, mac_b, 6);
	assert_int_equal(rep.spa, 0x0a0000fe);
	assert_memory_equal(rep.tha, mac_a, 6);
	assert_int_equal(rep.tpa, 0x0a000001);

	net_arp_gratuitous(mac_b, 0x0a0000fe, &rep);
	assert_true(net_arp_is_gratuitous(&rep));
	assert_int_equal(net_arp_frame(frame, 59, net_eth_broadcast, mac_b,
				       &rep), 0);
}

static void
test_arp_rejects(void **state TW_UNUSED)
{
	uint8_t frame[64];
	struct net_arp a, dec;
	const char *why = NULL;

	net_arp_request(mac_a, 1, 2, &a);
	net_arp_frame(frame, sizeof(frame), net_eth_broadcast, mac_a, &a);
	assert_int_equal(net_arp_decode(frame + 14, 27, &dec, &why), -EINVAL);
	assert_string_equal(why, "truncated");
	frame[14 + 7] = 3; /* RARP request */
	assert_int_equal(net_arp_decode(frame + 14, 28, &dec, &why), -EINVAL);
	assert_string_equal(why, "unknown operation");
	frame[14 + 7] = 1;
	frame[14 + 5] = 16; /* plen for IPv6 */
	assert_int_equal(net_arp_decode(frame + 14, 28, &dec, &why), -EINVAL);
	assert_string_equal(why, "not Ethernet/IPv4");
	frame[14 + 5] = 4;
	frame[14 + 8] = 0x01; /* multicast sender */
	assert_int_equal(net_arp_decode(frame + 14, 28, &dec, &why), -EINVAL);
}

static void
test_ipv4_decode(void **state TW_UNUSED)
{
	uint8_t p[sizeof(echo_req) + 6];
	struct net_ipv4 ip;
	const char *why = NULL;

	memcpy(p, echo_req, sizeof(echo_req));
	memset(p + sizeof(echo_req), 0, 6); /* link padding is fine */
	assert_int_equal(net_ipv4_decode(p, sizeof(p), &ip, &why), 0);
	assert_int_equal(ip.hlen, 20);
	assert_int_equal(ip.tot_len, 36);
	assert_int_equal(ip.proto, NET_IPPROTO_ICMP);
	assert_int_equal(ip.src, 0x0a000001);
	assert_int_equal(ip.dst, 0x0a0000fe);
	assert_int_equal(ip.frag, NET_IP_DF);

	assert_int_equal(net_ipv4_decode(p, 19, &ip, &why), -EINVAL);
	assert_int_equal(net_ipv4_decode(p, 30, &ip, &why), -EINVAL);
	assert_string_equal(why, "bad IPv4 total length");
	p[10] ^= 1;
	assert_int_equal(net_ipv4_decode(p, sizeof(p), &ip, &why), -EINVAL);
	assert_string_equal(why, "bad IPv4 header checksum");
	p[10] ^= 1;
	p[0] = 0x44;
	assert_int_equal(net_ipv4_decode(p, sizeof(p), &ip, &why), -EINVAL);
	p[0] = 0x65;
	assert_int_equal(net_ipv4_decode(p, sizeof(p), &ip, &why), -EINVAL);
	assert_string_equal(why, "not IPv4");
}

static void
test_echo_reply(void **state TW_UNUSED)
{
	uint8_t p[sizeof(echo_req)];
	struct net_ipv4 ip, r;
	const char *why = NULL;

	memcpy(p, echo_req, sizeof(p));
	assert_int_equal(net_ipv4_decode(p, sizeof(p), &ip, &why), 0);
	assert_int_equal(net_icmp_echo_reply(p, &ip, 64, &why), 0);
	assert_int_equal(net_ipv4_decode(p, sizeof(p), &r, &why), 0);
	assert_int_equal(r.src, 0x0a0000fe);
	assert_int_equal(r.dst, 0x0a000001);
	assert_int_equal(p[20], NET_ICMP_ECHO_REPLY);
	assert_int_equal(net_cksum(p + 20, 16), 0);
	/* Identifier, sequence and data come back unchanged. */
	assert_memory_equal(p + 24, echo_req + 24, 12);

	/* A reply is not answered; a corrupt request neither. */
	assert_int_equal(net_icmp_echo_reply(p, &r, 64, &why), -EINVAL);
	memcpy(p, echo_req, sizeof(p));
	p[35] ^= 0xff;
	assert_int_equal(net_icmp_echo_reply(p, &ip, 64, &why), -EINVAL);
	assert_string_equal(why, "bad ICMP checksum");
}

static void
test_frag_needed(void **state TW_UNUSED)
{
	/* A UDP datagram 10.0.0.1:1000 -> 10.1.0.1:2000 with DF. */
	uint8_t orig[100], out[NET_ICMP_ERR_MAX];
	struct net_ipv4 ip;
	const char *why = NULL;
	int n;

	memset(orig, 0x5a, sizeof(orig));
	memset(orig, 0, 28);
	orig[0] = 0x45;
	tw_put16(orig + 2, sizeof(orig));
	tw_put16(orig + 6, NET_IP_DF);
	orig[8] = 63;
	orig[9] = NET_IPPROTO_UDP;
	tw_put32(orig + 12, 0x0a000001);
	tw_put32(orig + 16, 0x0a010001);
	tw_put16(orig + 10, net_cksum(orig, 20));
	tw_put16(orig + 20, 1000);
	tw_put16(orig + 22, 2000);
	tw_put16(orig + 24, sizeof(orig) - 20);

	n = net_icmp_frag_needed(out, sizeof(out), orig, sizeof(orig),
				 0x0a0000fe, 1400, 7, 64, &why);
	assert_int_equal(n, 20 + 8 + 28);
	assert_int_equal(net_ipv4_decode(out, n, &ip, &why), 0);
	assert_int_equal(ip.src, 0x0a0000fe);
	assert_int_equal(ip.dst, 0x0a000001);
	assert_int_equal(ip.proto, NET_IPPROTO_ICMP);
	assert_int_equal(out[20], 3);
	assert_int_equal(out[21], 4);
	assert_int_equal(tw_get16(out + 24), 0);
	assert_int_equal(tw_get16(out + 26), 1400);
	assert_int_equal(net_cksum(out + 20, n - 20), 0);
	/* The quote: original IP header and 8 bytes (the UDP header). */
	assert_memory_equal(out + 28, orig, 28);

	assert_int_equal(net_icmp_frag_needed(out, 40, orig, sizeof(orig),
					      1, 1400, 7, 64, &why), -ENOSPC);

	/* Never about an ICMP error (RFC 1122 3.2.2). */
	orig[9] = NET_IPPROTO_ICMP;
	orig[20] = NET_ICMP_UNREACH;
	tw_put16(orig + 10, 0);
	tw_put16(orig + 10, net_cksum(orig, 20));
	assert_int_equal(net_icmp_frag_needed(out, sizeof(out), orig,
					      sizeof(orig), 1, 1400, 7, 64,
					      &why), -EINVAL);
	assert_string_equal(why, "ICMP error about an ICMP error");
	/* About an echo request it is fine. */
	orig[20] = NET_ICMP_ECHO;
	assert_true(net_icmp_frag_needed(out, sizeof(out), orig, sizeof(orig),
					 1, 1400, 7, 64, &why) > 0);
	/* Nor about a multicast source. */
	tw_put32(orig + 12, 0xe0000005);
	tw_put16(orig + 10, 0);
	tw_put16(orig + 10, net_cksum(orig, 20));
	assert_int_equal(net_icmp_frag_needed(out, sizeof(out), orig,
					      sizeof(orig), 1, 1400, 7, 64,
					      &why), -EINVAL);
}

/* RFC 792 type 11 code 0, RFC 1812 5.3.1. */
static void
test_icmp_time_exceeded(void **state TW_UNUSED)
{
	uint8_t orig[48], out[NET_ICMP_ERR_MAX];
	struct net_ipv4 ip;
	const char *why = "";
	int n;

	memset(orig, 0x5a, sizeof(orig));
	memset(orig, 0, 28);
	orig[0] = 0x45;
	tw_put16(orig + 2, sizeof(orig));
	orig[8] = 1;
	orig[9] = NET_IPPROTO_UDP;
	tw_put32(orig + 12, 0x0a000001);
	tw_put32(orig + 16, 0x08080808);
	tw_put16(orig + 10, net_cksum(orig, 20));
	tw_put16(orig + 20, 1000);
	tw_put16(orig + 22, 33434);
	tw_put16(orig + 24, sizeof(orig) - 20);

	n = net_icmp_time_exceeded(out, sizeof(out), orig, sizeof(orig),
				   0x0a0000fe, 9, 64, &why);
	assert_int_equal(n, 20 + 8 + 28);
	assert_int_equal(net_ipv4_decode(out, n, &ip, &why), 0);
	assert_int_equal(ip.src, 0x0a0000fe);
	assert_int_equal(ip.dst, 0x0a000001);
	assert_int_equal(ip.proto, NET_IPPROTO_ICMP);
	assert_int_equal(ip.ttl, 64);
	assert_int_equal(out[20], 11);
	assert_int_equal(out[21], 0);
	assert_int_equal(tw_get32(out + 24), 0);
	assert_int_equal(net_cksum(out + 20, n - 20), 0);
	assert_memory_equal(out + 28, orig, 28);

	/* Not about a non-first fragment (RFC 1122 3.2.2). */
	tw_put16(orig + 6, 100);
	tw_put16(orig + 10, 0);
	tw_put16(orig + 10, net_cksum(orig, 20));
	assert_int_equal(net_icmp_time_exceeded(out, sizeof(out), orig,
						sizeof(orig), 1, 9, 64, &why),
			 -EINVAL);
	assert_string_equal(why, "not the first fragment");
}

static void
test_udp_decode(void **state TW_UNUSED)
{
	uint8_t p[40];
	struct net_ipv4 ip;
	struct net_udp u;
	const char *why = NULL;

	memset(p, 0, sizeof(p));
	p[0] = 0x45;
	tw_put16(p + 2, 40);
	p[8] = 64;
	p[9] = NET_IPPROTO_UDP;
	tw_put16(p + 10, net_cksum(p, 20));
	tw_put16(p + 20, 500);
	tw_put16(p + 22, 4500);
	tw_put16(p + 24, 20);
	assert_int_equal(net_ipv4_decode(p, sizeof(p), &ip, &why), 0);
	assert_int_equal(net_udp_decode(p, &ip, &u, &why), 0);
	assert_int_equal(u.sport, 500);
	assert_int_equal(u.dport, 4500);
	assert_int_equal(u.len, 12);
	tw_put16(p + 24, 21);
	assert_int_equal(net_udp_decode(p, &ip, &u, &why), -EINVAL);
	assert_string_equal(why, "bad UDP length");
}

/* IPv4 + UDP around a payload: checksums as scapy computes them. */
static void
test_udp4_write(void **state TW_UNUSED)
{
	static const uint8_t want[28] = {
		0x45, 0xc0, 0x00, 0x30, 0x00, 0x07, 0x00, 0x00, 0x01, 0x11,
		0x16, 0xf3, 0xc0, 0x00, 0x02, 0x01, 0xe0, 0x00, 0x00, 0x02,
		0x07, 0xc1, 0x07, 0xc1, 0x00, 0x1c, 0xf3, 0xcb,
	};
	struct net_ipv4 ip = {
		.tos = 0xc0, .id = 7, .ttl = 1,
		.src = 0xc0000201, .dst = 0xe0000002,
	};
	struct net_ipv4 dec;
	struct net_udp u;
	const char *why = "";
	uint8_t p[64];
	unsigned int i;

	for (i = 0; i < 20; i++)
		p[28 + i] = (uint8_t)i;
	assert_int_equal(net_udp4_write(p, sizeof(p), &ip, 1985, 1985, 20), 48);
	assert_memory_equal(p, want, sizeof(want));
	assert_int_equal(net_ipv4_decode(p, 48, &dec, &why), 0);
	assert_int_equal(net_udp_decode(p, &dec, &u, &why), 0);
	assert_int_equal(u.len, 20);
	assert_int_equal(net_udp4_write(p, 47, &ip, 1985, 1985, 20), -ENOSPC);
}

static void
test_tbucket(void **state TW_UNUSED)
{
	struct net_tbucket b;
	unsigned int i, n = 0;

	net_tbucket_init(&b, 100, 10, 0);
	for (i = 0; i < 20; i++)
		n += net_tbucket_take(&b, 0);
	assert_int_equal(n, 10); /* the burst */
	assert_false(net_tbucket_take(&b, TW_MSEC(5)));
	assert_true(net_tbucket_take(&b, TW_MSEC(10))); /* 1 per 10 ms */
	assert_false(net_tbucket_take(&b, TW_MSEC(10)));
	/* A long idle period refills to the burst, not beyond. */
	n = 0;
	for (i = 0; i < 20; i++)
		n += net_tbucket_take(&b, TW_SEC(3600));
	assert_int_equal(n, 10);
}

/* n admissions of class c on port: how many got in. */
static unsigned int
admit_n(struct net_neigh_budget *b, uint16_t port, enum net_neigh_class c,
	unsigned int n)
{
	unsigned int i, in = 0;

	for (i = 0; i < n; i++)
		if (net_neigh_admit(b, port, c) == 0)
			in++;
	return in;
}

/* A next hop resolves: admitted as RESOLVING, then RESOLVED. */
static int
resolve(struct net_neigh_budget *b, uint16_t port)
{
	int rc = net_neigh_admit(b, port, NET_NEIGH_RESOLVING);

	if (rc == 0)
		rc = net_neigh_move(b, port, NET_NEIGH_RESOLVING,
				    NET_NEIGH_RESOLVED);
	return rc;
}

/*
 * The ARP table's limits (1024 entries): a sweep of a /16 from the tunnel
 * (RESOLVING on the inside port) and one of spoofed requests from the LAN
 * (UNSOLICITED) each get an eighth of the table; the resolved next hops
 * keep their room, the other port resolves as usual, and every refusal is
 * counted by reason.
 */
static void
test_neigh_budget(void **state TW_UNUSED)
{
	struct net_neigh_limits lim;
	struct net_neigh_budget b;
	unsigned int i;

	net_neigh_limits_default(&lim, 1024);
	assert_int_equal(lim.per_port, 512);
	assert_int_equal(lim.class_max[NET_NEIGH_RESOLVING], 128);
	assert_int_equal(lim.class_max[NET_NEIGH_UNSOLICITED], 128);
	assert_int_equal(lim.class_max[NET_NEIGH_RESOLVED], 0);
	net_neigh_budget_init(&b, &lim);

	for (i = 0; i < 4; i++) {
		assert_int_equal(resolve(&b, 0), 0);
		assert_int_equal(resolve(&b, 1), 0);
	}
	assert_int_equal(admit_n(&b, 0, NET_NEIGH_RESOLVING, 65536), 128);
	assert_int_equal(b.refused[NET_NEIGH_FULL_CLASS], 65536 - 128);
	assert_int_equal(admit_n(&b, 0, NET_NEIGH_UNSOLICITED, 65536), 128);
	assert_int_equal(b.refused[NET_NEIGH_FULL_CLASS], 2 * (65536 - 128));
	assert_int_equal(b.refused_class[NET_NEIGH_RESOLVING], 65536 - 128);
	assert_int_equal(b.refused_class[NET_NEIGH_UNSOLICITED], 65536 - 128);
	assert_int_equal(b.n_port[0], 4 + 128 + 128);
	assert_int_equal(b.n_class[NET_NEIGH_RESOLVED], 8);
	/* The other port is untouched by the sweep. */
	assert_int_equal(resolve(&b, 1), 0);
	/* The swept port resolves again once its sweep entries time out. */
	assert_int_equal(net_neigh_admit(&b, 0, NET_NEIGH_RESOLVING), -ENOSPC);
	net_neigh_release(&b, 0, NET_NEIGH_RESOLVING);
	assert_int_equal(resolve(&b, 0), 0);
	/* An unsolicited entry our traffic uses becomes resolved. */
	assert_int_equal(net_neigh_move(&b, 0, NET_NEIGH_UNSOLICITED,
					NET_NEIGH_RESOLVED), 0);
	assert_int_equal(net_neigh_admit(&b, 0, NET_NEIGH_UNSOLICITED), 0);

	/* Resolved entries fill the port's half, then the port refuses. */
	while (b.n_port[0] < lim.per_port) {
		net_neigh_release(&b, 0, NET_NEIGH_RESOLVING);
		assert_int_equal(resolve(&b, 0), 0);
		assert_int_equal(net_neigh_admit(&b, 0, NET_NEIGH_RESOLVING),
				 0);
	}
	assert_int_equal(b.n_port[0], 512);
	/* Room in both capped classes, none in the port. */
	net_neigh_release(&b, 0, NET_NEIGH_RESOLVING);
	net_neigh_release(&b, 0, NET_NEIGH_UNSOLICITED);
	assert_int_equal(resolve(&b, 0), 0);
	assert_int_equal(resolve(&b, 0), 0);
	assert_int_equal(b.n_port[0], 512);
	assert_int_equal(b.refused[NET_NEIGH_FULL_PORT], 0);
	assert_int_equal(net_neigh_admit(&b, 0, NET_NEIGH_UNSOLICITED), -ENOSPC);
	assert_int_equal(net_neigh_admit(&b, 0, NET_NEIGH_RESOLVING), -ENOSPC);
	assert_int_equal(b.refused[NET_NEIGH_FULL_PORT], 2);
	/* ... and port 1 still has its own half. */
	while (b.n_port[1] < lim.per_port)
		assert_int_equal(resolve(&b, 1), 0);
	assert_int_equal(b.n, 1024);
	/* A third port finds the table full. */
	assert_int_equal(net_neigh_admit(&b, 2, NET_NEIGH_RESOLVING), -ENOSPC);
	assert_int_equal(b.refused[NET_NEIGH_FULL_TOTAL], 1);

	/* Bad arguments change nothing; a release never underflows. */
	assert_int_equal(net_neigh_admit(&b, NET_NEIGH_MAX_PORTS,
					 NET_NEIGH_RESOLVED), -EINVAL);
	assert_int_equal(net_neigh_move(&b, 2, NET_NEIGH_RESOLVING,
					NET_NEIGH_RESOLVED), -EINVAL);
	net_neigh_release(&b, 2, NET_NEIGH_RESOLVED);
	assert_int_equal(b.n, 1024);
	assert_int_equal(b.n_port[2], 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cksum_rfc1071),
		cmocka_unit_test(test_arp_roundtrip),
		cmocka_unit_test(test_arp_rejects),
		cmocka_unit_test(test_ipv4_decode),
		cmocka_unit_test(test_echo_reply),
		cmocka_unit_test(test_frag_needed),
		cmocka_unit_test(test_icmp_time_exceeded),
		cmocka_unit_test(test_udp_decode),
		cmocka_unit_test(test_udp4_write),
		cmocka_unit_test(test_tbucket),
		cmocka_unit_test(test_neigh_budget),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
