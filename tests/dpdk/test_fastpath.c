/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Fast path (dp.h) end to end on virtual devices: two net_ring ports made
 * with rte_eth_from_rings (the test enqueues what the gateway receives and
 * dequeues what it sends), crypto_aesni_mb in cpu-crypto mode, one worker
 * lcore in adaptive poll mode.
 *
 *   host 10.1.0.5 ── port 0 "inside" 10.1.0.1/24 ─┐
 *                                                  gw
 *   192.0.2.254 ──── port 1 "outside" 192.0.2.1/24 ┘ ── peer 198.51.100.1
 *
 * The peer's side of the tunnel lives in the test: an outbound SA that
 * encrypts what we inject, an inbound SA that decrypts what we capture,
 * both run on the test's lcore and never installed in the fast path.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_eth_ring.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_ring.h>
#include <rte_udp.h>

#include "dp.h"
#include "esp_ref.h"

/*
 * rte_eal_init() takes char ** and may write into its arguments (it splits
 * some option values in place): writable arrays, not string literals.
 */
#define EAL_ARG(s) ((char[]){ s })

static unsigned int n_checks, n_failed;

#define CHECK(cond, ...) \
	do { \
		n_checks++; \
		if (!(cond)) { \
			n_failed++; \
			fprintf(stderr, "%s:%d: FAIL: %s: ", __FILE__, \
				__LINE__, #cond); \
			fprintf(stderr, __VA_ARGS__); \
			fputc('\n', stderr); \
		} \
	} while (0)

/* RTE_IPV4 shifts an int into the sign bit (UBSan) */
#define IP4(a, b, c, d) \
	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | \
	 (uint32_t)(d))

#define P_IN 0
#define P_OUT 1

#define IN_ADDR IP4(10, 1, 0, 1)
#define OUT_ADDR IP4(192, 0, 2, 1)
#define GW_ADDR IP4(192, 0, 2, 254)
#define GW2_ADDR IP4(192, 0, 2, 253)      /* never resolved */
#define PEER_ADDR IP4(198, 51, 100, 1)
#define HOST_ADDR IP4(10, 1, 0, 5)
#define REMOTE_HOST IP4(10, 2, 0, 9)
#define SPI_OUT 0x2002
#define SPI_IN 0x1001
#define SPI_UDP_OUT 0x3003
#define SPI_UDP_IN 0x3004
#define NATT_NET IP4(10, 4, 0, 0)
#define MTU 1500
#define MAXPKT 2048
#define WAIT_US 2000000

static const struct rte_ether_addr gw_mac = {{ 0x02, 0, 0, 0, 0xfe, 0x01 }};
static const struct rte_ether_addr host_mac = {{ 0x02, 0, 0, 0, 0x05, 0x01 }};
static const struct rte_ether_addr peer_l2 = {{ 0x02, 0, 0, 0, 0xaa, 0x01 }};

/*
 * rxr[port][queue]: with two workers each port has two RX rings (one RX
 * queue per worker) and still one TX ring (the workers share that TX queue
 * under its lock, and the control lcore goes through worker 0's ring).
 */
static unsigned int n_workers = 1, rr;
static struct rte_ring *rxr[2][2], *txr[2];
static struct dp_sa *sa_out, *sa_in;      /* installed */
static struct dp_sa *peer_out, *peer_in;  /* the test's side */
static struct dp_sa *sa_out_udp, *sa_in_udp, *peer_out_udp, *peer_in_udp;
static struct rte_ether_addr port_mac[2];
static uint16_t pkt_id;

struct frame {
	uint8_t b[MAXPKT];
	uint16_t len;
};

/* ---- packet building ---------------------------------------------------- */

static uint16_t
build_ip(uint8_t *b, uint32_t src, uint32_t dst, uint8_t proto, uint8_t ttl,
	 bool df, uint16_t sport, uint16_t dport, uint16_t payload)
{
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)b;
	struct rte_udp_hdr *udp = (struct rte_udp_hdr *)(ip + 1);
	uint16_t len = sizeof(*ip) + sizeof(*udp) + payload, i;
	uint8_t *d = (uint8_t *)(udp + 1);

	memset(ip, 0, sizeof(*ip));
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->total_length = rte_cpu_to_be_16(len);
	ip->packet_id = rte_cpu_to_be_16(++pkt_id);
	ip->fragment_offset = df ? RTE_BE16(RTE_IPV4_HDR_DF_FLAG) : 0;
	ip->time_to_live = ttl;
	ip->next_proto_id = proto;
	ip->src_addr = rte_cpu_to_be_32(src);
	ip->dst_addr = rte_cpu_to_be_32(dst);
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	udp->src_port = rte_cpu_to_be_16(sport);
	udp->dst_port = rte_cpu_to_be_16(dport);
	udp->dgram_len = rte_cpu_to_be_16(sizeof(*udp) + payload);
	udp->dgram_cksum = 0;
	for (i = 0; i < payload; i++)
		d[i] = (uint8_t)(pkt_id * 7 + i);
	return len;
}

static void
build_eth(struct frame *f, const struct rte_ether_addr *src, uint16_t port,
	  uint16_t type)
{
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)f->b;

	eth->dst_addr = port_mac[port];
	eth->src_addr = *src;
	eth->ether_type = rte_cpu_to_be_16(type);
}

/* An IPv4/UDP frame as received on port (from host or the outside gw). */
static void
mk_udp(struct frame *f, uint16_t port, uint32_t src, uint32_t dst,
       uint8_t ttl, bool df, uint16_t dport, uint16_t payload)
{
	build_eth(f, port == P_IN ? &host_mac : &gw_mac, port,
		  RTE_ETHER_TYPE_IPV4);
	f->len = RTE_ETHER_HDR_LEN +
		 build_ip(f->b + RTE_ETHER_HDR_LEN, src, dst, IPPROTO_UDP, ttl,
			  df, 1234, dport, payload);
}

/* 2001:db8:1::10 -> 2001:db8:9::1 UDP 1234 -> 9 with 10 bytes, inside. */
static void
mk_ip6_udp(struct frame *f)
{
	uint8_t *p = f->b + RTE_ETHER_HDR_LEN;
	static const uint8_t src[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 1,
					 [15] = 0x10 };
	static const uint8_t dst[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 9,
					 [15] = 1 };

	build_eth(f, &host_mac, P_IN, RTE_ETHER_TYPE_IPV6);
	memset(p, 0, 40 + 8 + 10);
	p[0] = 0x60;
	p[5] = 8 + 10;
	p[6] = IPPROTO_UDP;
	p[7] = 64;
	memcpy(p + 8, src, 16);
	memcpy(p + 24, dst, 16);
	p[40] = 1234 >> 8;
	p[41] = 1234 & 0xff;
	p[43] = 9;
	p[45] = 8 + 10;
	f->len = RTE_ETHER_HDR_LEN + 40 + 8 + 10;
}

static struct rte_mbuf *
to_mbuf(const uint8_t *b, uint16_t len)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(dp_pktmbuf_pool());
	uint8_t *d;

	if (m == NULL)
		return NULL;
	d = (uint8_t *)rte_pktmbuf_append(m, len);
	if (d == NULL) {
		rte_pktmbuf_free(m);
		return NULL;
	}
	memcpy(d, b, len);
	return m;
}

static void
inject_mbuf(uint16_t port, struct rte_mbuf *m)
{
	if (rte_ring_enqueue(rxr[port][rr++ % n_workers], m) != 0) {
		rte_pktmbuf_free(m);
		CHECK(0, "rx ring of port %u full", port);
	}
}

static void
inject(uint16_t port, const struct frame *f)
{
	struct rte_mbuf *m = to_mbuf(f->b, f->len);

	CHECK(m != NULL, "out of mbufs");
	if (m != NULL)
		inject_mbuf(port, m);
}

/* ---- waiting for the worker -------------------------------------------- */

static struct rte_mbuf *
capture(uint16_t port)
{
	struct rte_mbuf *m;
	unsigned int t;

	for (t = 0; t < WAIT_US; t += 100) {
		if (rte_ring_dequeue(txr[port], (void **)&m) == 0)
			return m;
		rte_delay_us_sleep(100);
	}
	return NULL;
}

static struct rte_mbuf *
punted(struct dp_punt_info *info)
{
	struct rte_mbuf *m;
	unsigned int t;

	for (t = 0; t < WAIT_US; t += 100) {
		if (dp_punt_dequeue(&m, 1) == 1) {
			dp_punt_info(m, info);
			return m;
		}
		rte_delay_us_sleep(100);
	}
	return NULL;
}

static uint64_t
drops(enum dp_drop_reason r)
{
	struct dp_drop_counters d;

	dp_drops_read(&d);
	return d.count[r];
}

static bool
wait_drop(enum dp_drop_reason r, uint64_t want)
{
	unsigned int t;

	for (t = 0; t < WAIT_US; t += 100) {
		if (drops(r) >= want)
			return drops(r) == want;
		rte_delay_us_sleep(100);
	}
	return false;
}

/* Nothing left over anywhere once a test is done. */
static void
expect_quiet(const char *what)
{
	struct rte_mbuf *m;
	unsigned int i;

	rte_delay_us_sleep(5000);
	for (i = 0; i < 2; i++) {
		while (rte_ring_dequeue(txr[i], (void **)&m) == 0) {
			CHECK(0, "%s: unexpected frame on port %u", what, i);
			rte_pktmbuf_free(m);
		}
	}
	while (dp_punt_dequeue(&m, 1) == 1) {
		CHECK(0, "%s: unexpected punt", what);
		rte_pktmbuf_free(m);
	}
}

static bool
ip_cksum_ok(const struct rte_ipv4_hdr *ip)
{
	return rte_raw_cksum(ip, rte_ipv4_hdr_len(ip)) == 0xffff;
}

/*
 * The forwarded copy of an IPv4 packet: same bytes but TTL one less and
 * the checksum updated.
 */
static void
check_forwarded(const uint8_t *got, uint16_t got_len, const uint8_t *sent,
		uint16_t sent_len, const char *what)
{
	const struct rte_ipv4_hdr *g = (const struct rte_ipv4_hdr *)got;
	const struct rte_ipv4_hdr *s = (const struct rte_ipv4_hdr *)sent;

	CHECK(got_len == sent_len, "%s: length %u, sent %u", what, got_len,
	      sent_len);
	if (got_len != sent_len)
		return;
	CHECK(g->time_to_live == s->time_to_live - 1, "%s: TTL %u, sent %u",
	      what, g->time_to_live, s->time_to_live);
	CHECK(ip_cksum_ok(g), "%s: bad IPv4 checksum", what);
	CHECK(memcmp(got, sent, 8) == 0 &&
	      memcmp(got + 12, sent + 12, sent_len - 12) == 0,
	      "%s: bytes differ", what);
}

/* ---- setup -------------------------------------------------------------- */

static uint8_t key_out[20], key_in[20];

static int
mk_sa(uint32_t spi, bool inbound, const uint8_t *key, uint32_t local,
      uint32_t remote, bool udp, struct dp_sa **out)
{
	struct dp_sa_params p;
	char err[256];
	int rc;

	memset(&p, 0, sizeof(p));
	p.spi = spi;
	p.inbound = inbound;
	p.cipher = CONF_CIPHER_AES_GCM_128;
	p.integ = CONF_INTEG_NONE;
	p.cipher_key = key;
	p.cipher_key_len = 20;
	p.local_addr = local;
	p.remote_addr = remote;
	p.replay_window = 64;
	p.udp_encap = udp;
	p.udp_local_port = 4500;
	p.udp_remote_port = 4500;
	p.id = spi;
	rc = dp_sa_create(dp_crypto_get(), dp_n_workers(), &p, out, err,
			  sizeof(err));
	if (rc != 0)
		fprintf(stderr, "dp_sa_create %#x: %s\n", spi, err);
	return rc;
}

static void
sel(struct dp_policy *p, uint32_t src, uint8_t slen, uint32_t dst,
    uint8_t dlen, enum conf_policy_action act, uint32_t prio,
    struct dp_sa *sa)
{
	memset(p, 0, sizeof(*p));
	p->sel.src_addr = src;
	p->sel.src_len = slen;
	p->sel.dst_addr = dst;
	p->sel.dst_len = dlen;
	p->sel.sport_hi = 65535;
	p->sel.dport_hi = 65535;
	p->action = act;
	p->priority = prio;
	p->sa = sa;
}

/*
 * Protect policies without an SA yet (IKE has not negotiated one): their
 * traffic is dropped, and raises an ACQUIRE with the policy's id.
 */
#define ACQ_NET IP4(10, 5, 0, 0)          /* acquire id ACQ_ID */
#define ACQ_ID 7
#define ACQ_QUIET_NET IP4(10, 6, 0, 0)    /* no acquire id: counted only */
#define ACQ_BURST_NET IP4(10, 7, 0, 0)    /* ACQ_BURST_ID */
#define ACQ_BURST_ID 8
#define ACQ_2W_NET IP4(10, 9, 0, 0)       /* ACQ_2W_ID */
#define ACQ_2W_ID 9
#define ACQ_MS 400
#define REBIND_ID 77                     /* ACQ_NET's binding */
#define SPI_RB1 0x2005
#define SPI_RB2 0x2006

/* 10.1.0.0/24 <-> 10.2.0.0/16 protected, except 10.2.99.0/24. */
static int
stage_spd(void)
{
	struct dp_policy pol[9];

	sel(&pol[4], IP4(10, 1, 0, 0), 24, NATT_NET, 16,
	    CONF_POLICY_PROTECT, 11, sa_out_udp);
	sel(&pol[0], IP4(10, 1, 0, 0), 24, IP4(10, 2, 0, 0), 16,
	    CONF_POLICY_PROTECT, 10, sa_out);
	sel(&pol[1], IP4(10, 1, 0, 0), 24, IP4(10, 3, 0, 0), 16,
	    CONF_POLICY_DISCARD, 20, NULL);
	sel(&pol[2], IP4(10, 1, 0, 0), 16, 0, 0, CONF_POLICY_BYPASS, 30,
	    NULL);
	sel(&pol[3], IP4(10, 1, 0, 0), 24, IP4(10, 2, 99, 0), 24,
	    CONF_POLICY_BYPASS, 5, NULL);
	sel(&pol[5], IP4(10, 1, 0, 0), 24, ACQ_NET, 16, CONF_POLICY_PROTECT,
	    12, NULL);
	pol[5].acquire = ACQ_ID;
	pol[5].bind = REBIND_ID;
	sel(&pol[6], IP4(10, 1, 0, 0), 24, ACQ_QUIET_NET, 16,
	    CONF_POLICY_PROTECT, 13, NULL);
	sel(&pol[7], IP4(10, 1, 0, 0), 24, ACQ_BURST_NET, 16,
	    CONF_POLICY_PROTECT, 14, NULL);
	pol[7].acquire = ACQ_BURST_ID;
	sel(&pol[8], IP4(10, 1, 0, 0), 24, ACQ_2W_NET, 16,
	    CONF_POLICY_PROTECT, 15, NULL);
	pol[8].acquire = ACQ_2W_ID;
	return dp_spd_set(pol, RTE_DIM(pol));
}

static int
setup(void)
{
	struct dp_params prm;
	char err[512];
	unsigned int i;
	int rc;

	for (i = 0; i < 2; i++) {
		char name[32];
		unsigned int q;

		for (q = 0; q < n_workers; q++) {
			snprintf(name, sizeof(name), "fp_rx%u_%u", i, q);
			rxr[i][q] = rte_ring_create(name, 1024, SOCKET_ID_ANY,
						    RING_F_SP_ENQ | RING_F_SC_DEQ);
			if (rxr[i][q] == NULL)
				return -1;
		}
		snprintf(name, sizeof(name), "fp_tx%u", i);
		txr[i] = rte_ring_create(name, 1024, SOCKET_ID_ANY,
					 RING_F_SP_ENQ | RING_F_SC_DEQ);
		if (txr[i] == NULL)
			return -1;
	}
	/* The ring PMD names them net_ring_<name>. */
	if (rte_eth_from_rings("in", rxr[0], n_workers, &txr[0], 1, 0) < 0 ||
	    rte_eth_from_rings("out", rxr[1], n_workers, &txr[1], 1, 0) < 0) {
		fprintf(stderr, "rte_eth_from_rings failed\n");
		return -1;
	}

	memset(&prm, 0, sizeof(prm));
	prm.n_workers = n_workers;
	prm.mbufs = 4095;
	prm.burst = 32;
	prm.poll_mode = CONF_POLL_ADAPTIVE;
	prm.crypto_device = "crypto_aesni_mb0";
	prm.crypto_mode = CONF_CRYPTO_CPU;
	prm.crypto_algos = DP_CRYPTO_ALGO_CIPHER(CONF_CIPHER_AES_GCM_128) |
			   DP_CRYPTO_ALGO_INTEG(CONF_INTEG_NONE);
	prm.max_sas = 64;
	prm.default_policy = CONF_POLICY_DISCARD;
	prm.acquire_ms = ACQ_MS;

	/* A missing device names itself and says how to get it. */
	prm.n_ports = 1;
	prm.ports[0] = (struct dp_port_params){ .name = "ghost",
		.device = "net_af_packet3", .role = CONF_ROLE_INSIDE,
		.mtu = MTU };
	rc = dp_init(&prm, err, sizeof(err));
	CHECK(rc != 0 && strstr(err, "port 'net_af_packet3' not found") &&
	      strstr(err, "--vdev"), "missing port: rc %d, '%s'", rc, err);
	dp_fini();

	prm.n_ports = 2;
	prm.ports[P_IN] = (struct dp_port_params){ .name = "inside",
		.device = "net_ring_in", .role = CONF_ROLE_INSIDE,
		.addr = IN_ADDR, .prefix_len = 24, .mtu = MTU };
	prm.ports[P_OUT] = (struct dp_port_params){ .name = "outside",
		.device = "net_ring_out", .role = CONF_ROLE_OUTSIDE,
		.addr = OUT_ADDR, .prefix_len = 24, .mtu = MTU };
	rc = dp_init(&prm, err, sizeof(err));
	if (rc != 0) {
		fprintf(stderr, "dp_init: %s\n", err);
		return -1;
	}
	dp_port_mac(P_IN, &port_mac[P_IN]);
	dp_port_mac(P_OUT, &port_mac[P_OUT]);

	for (i = 0; i < sizeof(key_out); i++) {
		key_out[i] = (uint8_t)(0x10 + i);
		key_in[i] = (uint8_t)(0x80 + i);
	}
	if (mk_sa(SPI_OUT, false, key_out, OUT_ADDR, PEER_ADDR, false,
		  &sa_out) ||
	    mk_sa(SPI_IN, true, key_in, OUT_ADDR, PEER_ADDR, false, &sa_in) ||
	    mk_sa(SPI_OUT, true, key_out, PEER_ADDR, OUT_ADDR, false,
		  &peer_in) ||
	    mk_sa(SPI_IN, false, key_in, PEER_ADDR, OUT_ADDR, false,
		  &peer_out) ||
	    mk_sa(SPI_UDP_OUT, false, key_out, OUT_ADDR, PEER_ADDR, true,
		  &sa_out_udp) ||
	    mk_sa(SPI_UDP_IN, true, key_in, OUT_ADDR, PEER_ADDR, true,
		  &sa_in_udp) ||
	    mk_sa(SPI_UDP_OUT, true, key_out, PEER_ADDR, OUT_ADDR, true,
		  &peer_in_udp) ||
	    mk_sa(SPI_UDP_IN, false, key_in, PEER_ADDR, OUT_ADDR, true,
		  &peer_out_udp))
		return -1;

	rc = dp_sa_install(sa_out) || dp_sa_install(sa_in) ||
	     dp_sa_install(sa_out_udp) || dp_sa_install(sa_in_udp);
	rc = rc || stage_spd();
	rc = rc || dp_route_add(IP4(198, 51, 100, 0), 24, GW_ADDR, P_OUT);
	rc = rc || dp_route_add(IP4(10, 2, 0, 0), 16, GW_ADDR, P_OUT);
	rc = rc || dp_route_add(IP4(8, 8, 8, 0), 24, GW_ADDR, P_OUT);
	rc = rc || dp_route_add(IP4(172, 16, 0, 0), 16, GW2_ADDR, P_OUT);
	rc = rc || dp_neigh_set(P_OUT, GW_ADDR, &gw_mac);
	rc = rc || dp_neigh_set(P_IN, HOST_ADDR, &host_mac);
	rc = rc || dp_commit();
	if (rc != 0) {
		fprintf(stderr, "staging tables failed\n");
		return -1;
	}
	return dp_start();
}

/* ---- tests -------------------------------------------------------------- */

static void
test_arp_punted(void)
{
	struct dp_punt_info info;
	struct rte_mbuf *m;
	struct frame f;

	build_eth(&f, &host_mac, P_IN, RTE_ETHER_TYPE_ARP);
	memset(f.b + RTE_ETHER_HDR_LEN, 0x11, 28);
	f.len = RTE_ETHER_HDR_LEN + 28;
	inject(P_IN, &f);
	m = punted(&info);
	CHECK(m != NULL, "ARP not punted");
	if (m == NULL)
		return;
	CHECK(info.reason == DP_PUNT_LOCAL && info.port == P_IN,
	      "ARP punt reason %d port %u", info.reason, info.port);
	CHECK(m->pkt_len == f.len &&
	      memcmp(rte_pktmbuf_mtod(m, void *), f.b, f.len) == 0,
	      "ARP frame altered");
	rte_pktmbuf_free(m);
	expect_quiet("arp");
}

static void
test_local_punted(void)
{
	struct dp_punt_info info;
	struct rte_mbuf *m;
	struct frame f;

	/* UDP to our inside address (e.g. a ping or IKE to us) */
	mk_udp(&f, P_IN, HOST_ADDR, IN_ADDR, 64, false, 500, 20);
	inject(P_IN, &f);
	m = punted(&info);
	CHECK(m != NULL && info.reason == DP_PUNT_LOCAL && info.port == P_IN,
	      "to-us not punted as LOCAL");
	if (m != NULL) {
		CHECK(m->pkt_len == f.len &&
		      memcmp(rte_pktmbuf_mtod(m, void *), f.b, f.len) == 0,
		      "local frame altered");
		rte_pktmbuf_free(m);
	}
	/* NAT-T port with the RFC 3948 non-ESP marker: IKE, punted */
	mk_udp(&f, P_OUT, PEER_ADDR, OUT_ADDR, 64, false, 4500, 40);
	memset(f.b + RTE_ETHER_HDR_LEN + 28, 0, 4);
	inject(P_OUT, &f);
	m = punted(&info);
	CHECK(m != NULL && info.reason == DP_PUNT_LOCAL && info.port == P_OUT,
	      "IKE on 4500 not punted");
	rte_pktmbuf_free(m);
	expect_quiet("local");
}

static void
test_bypass(void)
{
	struct rte_ether_hdr *eth;
	struct rte_mbuf *m;
	struct frame f;

	mk_udp(&f, P_IN, HOST_ADDR, IP4(8, 8, 8, 8), 64, true, 53, 64);
	inject(P_IN, &f);
	m = capture(P_OUT);
	CHECK(m != NULL, "bypass packet not forwarded");
	if (m == NULL)
		return;
	eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	CHECK(rte_is_same_ether_addr(&eth->dst_addr, &gw_mac) &&
	      rte_is_same_ether_addr(&eth->src_addr, &port_mac[P_OUT]) &&
	      eth->ether_type == RTE_BE16(RTE_ETHER_TYPE_IPV4),
	      "bypass: Ethernet header not rewritten");
	check_forwarded((uint8_t *)(eth + 1), m->pkt_len - RTE_ETHER_HDR_LEN,
			f.b + RTE_ETHER_HDR_LEN, f.len - RTE_ETHER_HDR_LEN,
			"bypass");
	rte_pktmbuf_free(m);

	/* From the outside, not covered by a protect policy: in clear too */
	mk_udp(&f, P_OUT, IP4(8, 8, 8, 8), HOST_ADDR, 64, false, 53, 64);
	inject(P_OUT, &f);
	m = capture(P_IN);
	CHECK(m != NULL, "bypass from outside not forwarded");
	if (m != NULL) {
		eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
		CHECK(rte_is_same_ether_addr(&eth->dst_addr, &host_mac),
		      "bypass in: wrong destination MAC");
		check_forwarded((uint8_t *)(eth + 1),
				m->pkt_len - RTE_ETHER_HDR_LEN,
				f.b + RTE_ETHER_HDR_LEN,
				f.len - RTE_ETHER_HDR_LEN, "bypass in");
		rte_pktmbuf_free(m);
	}

	/* A more specific bypass (priority 5) beats the protect (10) */
	mk_udp(&f, P_IN, HOST_ADDR, IP4(10, 2, 99, 1), 64, false, 7, 10);
	inject(P_IN, &f);
	m = capture(P_OUT);
	CHECK(m != NULL &&
	      rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *,
				      RTE_ETHER_HDR_LEN)->next_proto_id ==
	      IPPROTO_UDP, "priority: 10.2.99.1 should go out in clear");
	rte_pktmbuf_free(m);
	expect_quiet("bypass");
}

/* Decrypt an ESP frame captured on the outside with the peer's SA. */
static struct rte_mbuf *
peer_decrypt(struct rte_mbuf *m)
{
	struct dp_drop_counters d;

	memset(&d, 0, sizeof(d));
	rte_pktmbuf_adj(m, RTE_ETHER_HDR_LEN);
	m->l2_len = 0;
	m->l3_len = sizeof(struct rte_ipv4_hdr);
	if (dp_sa_process(peer_in, 0, &m, 1, &d) != 1) {
		rte_pktmbuf_free(m);
		return NULL;
	}
	return m;
}

static void
check_esp_frame(struct rte_mbuf *m, const char *what)
{
	struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eth + 1);
	uint32_t spi;

	CHECK(rte_is_same_ether_addr(&eth->dst_addr, &gw_mac) &&
	      rte_is_same_ether_addr(&eth->src_addr, &port_mac[P_OUT]),
	      "%s: outer MACs", what);
	CHECK(ip->next_proto_id == IPPROTO_ESP &&
	      ip->src_addr == rte_cpu_to_be_32(OUT_ADDR) &&
	      ip->dst_addr == rte_cpu_to_be_32(PEER_ADDR) && ip_cksum_ok(ip),
	      "%s: outer header proto %u", what, ip->next_proto_id);
	memcpy(&spi, ip + 1, 4);
	CHECK(rte_be_to_cpu_32(spi) == SPI_OUT, "%s: SPI %#x", what,
	      rte_be_to_cpu_32(spi));
	CHECK(m->pkt_len - RTE_ETHER_HDR_LEN <= MTU, "%s: %u bytes > MTU",
	      what, m->pkt_len - RTE_ETHER_HDR_LEN);
}

static void
test_protect(void)
{
	struct rte_mbuf *m;
	struct frame f;

	mk_udp(&f, P_IN, HOST_ADDR, REMOTE_HOST, 64, true, 80, 100);
	inject(P_IN, &f);
	m = capture(P_OUT);
	CHECK(m != NULL, "protected packet not sent");
	if (m == NULL)
		return;
	check_esp_frame(m, "protect");
	m = peer_decrypt(m);
	CHECK(m != NULL, "peer cannot decrypt our ESP");
	if (m != NULL) {
		check_forwarded(rte_pktmbuf_mtod(m, uint8_t *), m->pkt_len,
				f.b + RTE_ETHER_HDR_LEN,
				f.len - RTE_ETHER_HDR_LEN, "protect inner");
		rte_pktmbuf_free(m);
	}
	expect_quiet("protect");
}

static void
test_inbound(void)
{
	struct dp_drop_counters d;
	struct rte_ether_hdr *eth;
	struct rte_mbuf *m;
	uint8_t inner[MAXPKT];
	uint16_t len;

	memset(&d, 0, sizeof(d));
	len = build_ip(inner, REMOTE_HOST, HOST_ADDR, IPPROTO_UDP, 64, false,
		       80, 1234, 200);
	m = to_mbuf(inner, len);
	m->l2_len = 0;
	m->l3_len = sizeof(struct rte_ipv4_hdr);
	CHECK(dp_sa_process(peer_out, 0, &m, 1, &d) == 1, "peer encrypt");
	eth = (struct rte_ether_hdr *)rte_pktmbuf_prepend(m, RTE_ETHER_HDR_LEN);
	eth->dst_addr = port_mac[P_OUT];
	eth->src_addr = peer_l2;
	eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV4);
	inject_mbuf(P_OUT, m);
	m = capture(P_IN);
	CHECK(m != NULL, "decrypted packet not forwarded inside");
	if (m == NULL)
		return;
	eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	CHECK(rte_is_same_ether_addr(&eth->dst_addr, &host_mac) &&
	      rte_is_same_ether_addr(&eth->src_addr, &port_mac[P_IN]),
	      "inbound: inner MACs");
	check_forwarded((uint8_t *)(eth + 1), m->pkt_len - RTE_ETHER_HDR_LEN,
			inner, len, "inbound inner");
	rte_pktmbuf_free(m);
	expect_quiet("inbound");
}

static void
test_drops(void)
{
	uint32_t spi = rte_cpu_to_be_32(0x9999);
	uint64_t base, p0, l0, p1, l1, n_punt = 0;
	struct dp_punt_info info;
	struct rte_mbuf *m;
	struct frame f, f2;
	unsigned int i;

	/*
	 * ESP to us with an SPI we do not know, plain and on the NAT-T port,
	 * and plain again at once: each a no-sa drop; punted for IKE
	 * (INVALID_SPI) at most DP_NOSA_PER_SEC per worker, so of three
	 * back to back on at most two workers one at least is held back.
	 */
	dp_nosa_read(&p0, &l0);
	base = drops(DP_DROP_NO_SA);
	mk_udp(&f, P_OUT, PEER_ADDR, OUT_ADDR, 64, false, 0, 64);
	f.b[RTE_ETHER_HDR_LEN + 9] = IPPROTO_ESP;
	((struct rte_ipv4_hdr *)(f.b + RTE_ETHER_HDR_LEN))->hdr_checksum = 0;
	((struct rte_ipv4_hdr *)(f.b + RTE_ETHER_HDR_LEN))->hdr_checksum =
		rte_ipv4_cksum((struct rte_ipv4_hdr *)(f.b + RTE_ETHER_HDR_LEN));
	memcpy(f.b + RTE_ETHER_HDR_LEN + 20, &spi, 4);
	mk_udp(&f2, P_OUT, PEER_ADDR, OUT_ADDR, 64, false, 4500, 64);
	memcpy(f2.b + RTE_ETHER_HDR_LEN + 28, &spi, 4);
	inject(P_OUT, &f);
	inject(P_OUT, &f2);
	inject(P_OUT, &f);
	CHECK(wait_drop(DP_DROP_NO_SA, base + 3), "unknown SPIs: %" PRIu64
	      " no-sa drops of 3", drops(DP_DROP_NO_SA) - base);
	dp_nosa_read(&p1, &l1);
	CHECK(p1 - p0 >= 1 && l1 - l0 >= 1 && p1 - p0 + l1 - l0 == 3,
	      "unknown SPIs: %" PRIu64 " punted, %" PRIu64 " held back of 3",
	      p1 - p0, l1 - l0);
	while (n_punt < p1 - p0 && (m = punted(&info)) != NULL) {
		CHECK(info.reason == DP_PUNT_NO_SA && info.port == P_OUT,
		      "unknown SPI punted with reason %d port %u", info.reason,
		      info.port);
		rte_pktmbuf_free(m);
		n_punt++;
	}
	CHECK(n_punt == p1 - p0, "unknown SPI: %" PRIu64 " punts of %" PRIu64,
	      n_punt, p1 - p0);

	base = drops(DP_DROP_DISCARD);
	mk_udp(&f, P_IN, HOST_ADDR, IP4(10, 3, 0, 1), 64, false, 9, 10);
	inject(P_IN, &f);
	CHECK(wait_drop(DP_DROP_DISCARD, base + 1), "discard not counted");

	/* bypassed from inside but nowhere to go */
	base = drops(DP_DROP_NO_ROUTE);
	mk_udp(&f, P_IN, HOST_ADDR, IP4(9, 9, 9, 9), 64, false, 9, 10);
	inject(P_IN, &f);
	CHECK(wait_drop(DP_DROP_NO_ROUTE, base + 1), "no route not counted");

	/* clear traffic from outside that should have been ESP */
	base = drops(DP_DROP_POLICY);
	mk_udp(&f, P_OUT, REMOTE_HOST, HOST_ADDR, 64, false, 80, 10);
	inject(P_OUT, &f);
	CHECK(wait_drop(DP_DROP_POLICY, base + 1), "clear protected traffic");

	base = drops(DP_DROP_MALFORMED);
	mk_udp(&f, P_IN, HOST_ADDR, IP4(8, 8, 8, 8), 64, false, 9, 10);
	f.b[RTE_ETHER_HDR_LEN + 10] ^= 0x55;        /* bad header checksum */
	inject(P_IN, &f);
	mk_udp(&f, P_IN, HOST_ADDR, IP4(8, 8, 8, 8), 64, false, 9, 10);
	f.len = RTE_ETHER_HDR_LEN + 10;             /* truncated */
	inject(P_IN, &f);
	CHECK(wait_drop(DP_DROP_MALFORMED, base + 2), "malformed: %" PRIu64,
	      drops(DP_DROP_MALFORMED) - base);

	/* An ethertype we do not route (LLDP). */
	base = drops(DP_DROP_NOT_IPV4);
	mk_udp(&f, P_IN, HOST_ADDR, IP4(8, 8, 8, 8), 64, false, 9, 10);
	((struct rte_ether_hdr *)f.b)->ether_type =
		RTE_BE16(RTE_ETHER_TYPE_LLDP);
	inject(P_IN, &f);
	CHECK(wait_drop(DP_DROP_NOT_IPV4, base + 1), "LLDP not counted");

	/* IPv6 has its own reasons: an IPv4 packet under its ethertype ... */
	base = drops(DP_DROP_IPV6_HDR);
	mk_udp(&f, P_IN, HOST_ADDR, IP4(8, 8, 8, 8), 64, false, 9, 10);
	((struct rte_ether_hdr *)f.b)->ether_type =
		RTE_BE16(RTE_ETHER_TYPE_IPV6);
	inject(P_IN, &f);
	CHECK(wait_drop(DP_DROP_IPV6_HDR, base + 1), "bad IPv6 not counted");
	/*
	 * ... and a well-formed IPv6 UDP packet to elsewhere: no IPv6
	 * policy matches it, and the default policy here is discard (never
	 * routed in clear past it).
	 */
	base = drops(DP_DROP_DISCARD);
	mk_ip6_udp(&f);
	inject(P_IN, &f);
	CHECK(wait_drop(DP_DROP_DISCARD, base + 1),
	      "IPv6 transit under default discard not counted");
	/* ... the same behind nine destination-options headers. */
	base = drops(DP_DROP_IPV6_EXT);
	mk_ip6_udp(&f);
	f.b[RTE_ETHER_HDR_LEN + 6] = 60;
	memmove(f.b + RTE_ETHER_HDR_LEN + 40 + 9 * 8,
		f.b + RTE_ETHER_HDR_LEN + 40, 8 + 10);
	for (i = 0; i < 9; i++) {
		uint8_t *h = f.b + RTE_ETHER_HDR_LEN + 40 + i * 8;

		memset(h, 0, 8);
		h[0] = i < 8 ? 60 : IPPROTO_UDP;
		h[2] = 1;       /* PadN */
		h[3] = 4;
	}
	f.b[RTE_ETHER_HDR_LEN + 5] = 8 + 10 + 9 * 8;
	f.len += 9 * 8;
	inject(P_IN, &f);
	CHECK(wait_drop(DP_DROP_IPV6_EXT, base + 1),
	      "too many IPv6 extension headers not counted");
	expect_quiet("drops");
}

/*
 * RFC 1812 5.3.1: a transit packet whose TTL runs out is dropped, counted,
 * and punted as received so the control lcore sends ICMP time exceeded
 * from the address of the port it came in on. TTL 0 and 1 both expire
 * (5.2.2 / 5.3.1: decrement, drop at 0), from either side, whatever the
 * policy (protected traffic leaves no ESP).
 */
static void
test_ttl_exceeded(void)
{
	static const struct {
		uint16_t port;
		uint32_t src, dst;
		uint8_t ttl;
		const char *what;
	} cases[] = {
		{ P_IN, HOST_ADDR, IP4(8, 8, 8, 8), 1, "bypass TTL 1" },
		{ P_IN, HOST_ADDR, IP4(8, 8, 8, 8), 0, "bypass TTL 0" },
		{ P_IN, HOST_ADDR, REMOTE_HOST, 1, "protected TTL 1" },
		{ P_OUT, IP4(8, 8, 8, 8), HOST_ADDR, 1, "from outside TTL 1" },
	};
	struct dp_punt_info info;
	struct rte_mbuf *m;
	struct frame f;
	unsigned int i;
	uint64_t base;

	for (i = 0; i < RTE_DIM(cases); i++) {
		base = drops(DP_DROP_TTL);
		mk_udp(&f, cases[i].port, cases[i].src, cases[i].dst,
		       cases[i].ttl, false, 33434, 20);
		inject(cases[i].port, &f);
		m = punted(&info);
		CHECK(m != NULL, "%s: not punted", cases[i].what);
		if (m == NULL)
			continue;
		CHECK(info.reason == DP_PUNT_TTL && info.port == cases[i].port,
		      "%s: reason %d port %u", cases[i].what, info.reason,
		      info.port);
		CHECK(m->pkt_len == f.len &&
		      memcmp(rte_pktmbuf_mtod(m, void *), f.b, f.len) == 0,
		      "%s: frame not as received", cases[i].what);
		CHECK(drops(DP_DROP_TTL) == base + 1, "%s: drop not counted",
		      cases[i].what);
		rte_pktmbuf_free(m);
		expect_quiet(cases[i].what);
	}
}

static void
test_neigh_punted(void)
{
	struct dp_punt_info info;
	struct rte_ipv4_hdr *ip;
	struct rte_mbuf *m;
	struct frame f;

	mk_udp(&f, P_IN, HOST_ADDR, IP4(172, 16, 1, 1), 64, false, 9, 10);
	inject(P_IN, &f);
	m = punted(&info);
	CHECK(m != NULL, "unresolved next hop not punted");
	if (m == NULL)
		return;
	CHECK(info.reason == DP_PUNT_NEIGH && info.port == P_OUT &&
	      info.nexthop == GW2_ADDR, "NEIGH punt: reason %d port %u nh %#x",
	      info.reason, info.port, info.nexthop);
	ip = rte_pktmbuf_mtod(m, struct rte_ipv4_hdr *);
	check_forwarded((uint8_t *)ip, m->pkt_len, f.b + RTE_ETHER_HDR_LEN,
			f.len - RTE_ETHER_HDR_LEN, "neigh punt");
	rte_pktmbuf_free(m);
	expect_quiet("neigh");
}

/*
 * The path MTU the tunnel advertises is exact (RFC 4303 2.4 padding): at
 * 1500, AES-GCM carries 1446-byte inner packets (20 + 8 + 8 + 1448 + 16:
 * 1446 + 2 is a multiple of 4), 1438 in UDP (8 more bytes of header, 1440 of payload).
 * One byte more with DF is punted as too big with that MTU.
 */
static void
check_mtu_boundary(uint32_t dst, uint16_t max, const char *what)
{
	struct dp_punt_info info;
	struct rte_mbuf *m;
	struct frame f;
	uint64_t base = drops(DP_DROP_MTU);

	mk_udp(&f, P_IN, HOST_ADDR, dst, 64, true, 80, max - 28 + 1);
	inject(P_IN, &f);
	m = punted(&info);
	CHECK(m != NULL, "%s: DF + too big not punted", what);
	if (m == NULL)
		return;
	CHECK(info.reason == DP_PUNT_TOO_BIG && info.port == P_IN &&
	      info.mtu == max, "%s: reason %d port %u mtu %u (want %u)",
	      what, info.reason, info.port, info.mtu, max);
	CHECK(m->pkt_len == f.len &&
	      memcmp(rte_pktmbuf_mtod(m, void *), f.b, f.len) == 0,
	      "%s: frame not as received", what);
	CHECK(drops(DP_DROP_MTU) == base + 1, "%s: MTU drop not counted",
	      what);
	rte_pktmbuf_free(m);

	/* exactly fitting: no punt, one ESP packet of exactly MTU bytes */
	mk_udp(&f, P_IN, HOST_ADDR, dst, 64, true, 80, max - 28);
	inject(P_IN, &f);
	m = capture(P_OUT);
	CHECK(m != NULL, "%s: %u-byte packet not sent", what, max);
	if (m != NULL) {
		CHECK(m->pkt_len - RTE_ETHER_HDR_LEN == MTU,
		      "%s: %u inner bytes make %u", what, max,
		      m->pkt_len - RTE_ETHER_HDR_LEN);
		rte_pktmbuf_free(m);
	}
	expect_quiet(what);
}

static void
test_too_big(void)
{
	check_mtu_boundary(REMOTE_HOST, 1446, "too big, GCM");
	check_mtu_boundary(NATT_NET | 9, 1438, "too big, GCM in UDP");
}

static void
test_fragment(void)
{
	uint8_t re[MAXPKT];
	const uint8_t *sent;
	struct rte_mbuf *m[4];
	struct frame f;
	uint16_t sent_len, got = 0, i, covered = 0;
	bool last_seen = false;

	mk_udp(&f, P_IN, HOST_ADDR, REMOTE_HOST, 64, false, 80, MTU - 28);
	sent = f.b + RTE_ETHER_HDR_LEN;
	sent_len = f.len - RTE_ETHER_HDR_LEN;
	inject(P_IN, &f);
	for (i = 0; i < 2; i++) {
		m[i] = capture(P_OUT);
		CHECK(m[i] != NULL, "fragment %u not sent", i);
		if (m[i] == NULL)
			return;
		check_esp_frame(m[i], "fragment");
		m[i] = peer_decrypt(m[i]);
		CHECK(m[i] != NULL, "fragment %u does not decrypt", i);
		if (m[i] == NULL)
			return;
		got++;
	}
	/* Reassemble the payload by offset and compare with what was sent. */
	memset(re, 0, sizeof(re));
	for (i = 0; i < got; i++) {
		struct rte_ipv4_hdr *ip =
			rte_pktmbuf_mtod(m[i], struct rte_ipv4_hdr *);
		uint16_t fo = rte_be_to_cpu_16(ip->fragment_offset);
		uint16_t off = (fo & RTE_IPV4_HDR_OFFSET_MASK) * 8;
		uint16_t plen = rte_be_to_cpu_16(ip->total_length) - 20;

		CHECK(ip_cksum_ok(ip) && ip->time_to_live == 63 &&
		      ip->packet_id == ((const struct rte_ipv4_hdr *)sent)->packet_id,
		      "fragment %u header", i);
		if (off + plen + 20 <= (int)sizeof(re))
			memcpy(re + 20 + off, (uint8_t *)(ip + 1), plen);
		covered += plen;
		if (!(fo & RTE_IPV4_HDR_MF_FLAG))
			last_seen = true;
		rte_pktmbuf_free(m[i]);
	}
	CHECK(last_seen && covered == sent_len - 20,
	      "fragments cover %u of %u bytes", covered, sent_len - 20);
	CHECK(memcmp(re + 20, sent + 20, sent_len - 20) == 0,
	      "reassembled payload differs");
	expect_quiet("fragment");
}

/* RFC 3948 UDP-encapsulated ESP, both directions. */
static void
test_natt(void)
{
	struct dp_drop_counters d;
	struct rte_ether_hdr *eth;
	struct rte_ipv4_hdr *ip;
	struct rte_udp_hdr *udp;
	struct rte_mbuf *m;
	uint8_t inner[MAXPKT];
	struct frame f;
	uint32_t spi;
	uint16_t len;

	memset(&d, 0, sizeof(d));
	mk_udp(&f, P_IN, HOST_ADDR, NATT_NET | 9, 64, false, 80, 300);
	inject(P_IN, &f);
	m = capture(P_OUT);
	CHECK(m != NULL, "NAT-T: protected packet not sent");
	if (m == NULL)
		return;
	ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *,
				     RTE_ETHER_HDR_LEN);
	udp = (struct rte_udp_hdr *)(ip + 1);
	memcpy(&spi, udp + 1, 4);
	CHECK(ip->next_proto_id == IPPROTO_UDP &&
	      udp->dst_port == RTE_BE16(4500) &&
	      rte_be_to_cpu_32(spi) == SPI_UDP_OUT &&
	      ip->dst_addr == rte_cpu_to_be_32(PEER_ADDR),
	      "NAT-T: outer proto %u dport %u spi %#x", ip->next_proto_id,
	      rte_be_to_cpu_16(udp->dst_port), rte_be_to_cpu_32(spi));
	rte_pktmbuf_adj(m, RTE_ETHER_HDR_LEN);
	m->l2_len = 0;
	m->l3_len = sizeof(*ip) + sizeof(*udp);
	if (dp_sa_process(peer_in_udp, 0, &m, 1, &d) != 1) {
		CHECK(0, "NAT-T: peer cannot decrypt");
		rte_pktmbuf_free(m);
	} else {
		check_forwarded(rte_pktmbuf_mtod(m, uint8_t *), m->pkt_len,
				f.b + RTE_ETHER_HDR_LEN,
				f.len - RTE_ETHER_HDR_LEN, "NAT-T out inner");
		rte_pktmbuf_free(m);
	}

	len = build_ip(inner, NATT_NET | 9, HOST_ADDR, IPPROTO_UDP, 64, false,
		       80, 1234, 120);
	m = to_mbuf(inner, len);
	m->l2_len = 0;
	m->l3_len = sizeof(struct rte_ipv4_hdr);
	CHECK(dp_sa_process(peer_out_udp, 0, &m, 1, &d) == 1,
	      "NAT-T: peer encrypt");
	eth = (struct rte_ether_hdr *)rte_pktmbuf_prepend(m, RTE_ETHER_HDR_LEN);
	eth->dst_addr = port_mac[P_OUT];
	eth->src_addr = peer_l2;
	eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV4);
	inject_mbuf(P_OUT, m);
	m = capture(P_IN);
	CHECK(m != NULL, "NAT-T: decrypted packet not forwarded");
	if (m != NULL) {
		check_forwarded(rte_pktmbuf_mtod_offset(m, uint8_t *,
							RTE_ETHER_HDR_LEN),
				m->pkt_len - RTE_ETHER_HDR_LEN, inner, len,
				"NAT-T in inner");
		rte_pktmbuf_free(m);
	}
	expect_quiet("natt");
}

/* ---- decrypted inner packets ------------------------------------------- */

/* An IPv4 packet sealed by the peer's outbound SA, as received on P_OUT. */
static void
inject_peer(const uint8_t *inner, uint16_t len, const char *what)
{
	struct dp_drop_counters d;
	struct rte_ether_hdr *eth;
	struct rte_mbuf *m = to_mbuf(inner, len);

	CHECK(m != NULL, "%s: out of mbufs", what);
	if (m == NULL)
		return;
	memset(&d, 0, sizeof(d));
	m->l2_len = 0;
	m->l3_len = sizeof(struct rte_ipv4_hdr);
	if (dp_sa_process(peer_out, 0, &m, 1, &d) != 1) {
		CHECK(0, "%s: peer cannot encrypt", what);
		rte_pktmbuf_free(m);
		return;
	}
	eth = (struct rte_ether_hdr *)rte_pktmbuf_prepend(m, RTE_ETHER_HDR_LEN);
	eth->dst_addr = port_mac[P_OUT];
	eth->src_addr = peer_l2;
	eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV4);
	inject_mbuf(P_OUT, m);
}

/* The checksum of the first 20 bytes, whatever the IHL says. */
static void
cksum20(uint8_t *b)
{
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)b;

	ip->hdr_checksum = 0;
	ip->hdr_checksum = (rte_be16_t)~rte_raw_cksum(ip, sizeof(*ip));
}

/*
 * RFC 1812 5.2.2 for what comes out of the tunnel too: an inner header
 * with a bad IHL, total length or checksum is dropped and counted, as the
 * same packet is in clear (malformed).
 */
static void
test_inner_checks(void)
{
	static const struct {
		uint8_t vhl;
		int tl;            /* -1: as built */
		bool bad_sum;
		enum dp_drop_reason why;
		const char *what;
	} cases[] = {
		{ 0x40, -1, false, DP_DROP_INNER_HDR, "inner IHL 0" },
		{ 0x44, -1, false, DP_DROP_INNER_HDR, "inner IHL 4" },
		{ 0x45, 0, false, DP_DROP_INNER_LEN, "inner total length 0" },
		{ 0x45, 8, false, DP_DROP_INNER_LEN, "inner total length 8" },
		{ 0x45, 1400, false, DP_DROP_INNER_LEN,
		  "inner total length past the decrypted data" },
		{ 0x45, -1, true, DP_DROP_INNER_CKSUM, "inner bad checksum" },
	};
	struct rte_ipv4_hdr *ip;
	uint8_t inner[MAXPKT];
	struct frame f;
	unsigned int i;
	uint64_t base;
	uint16_t len;

	for (i = 0; i < RTE_DIM(cases); i++) {
		len = build_ip(inner, REMOTE_HOST, HOST_ADDR, IPPROTO_UDP, 64,
			       false, 80, 1234, 40);
		ip = (struct rte_ipv4_hdr *)inner;
		ip->version_ihl = cases[i].vhl;
		if (cases[i].tl >= 0)
			ip->total_length =
				rte_cpu_to_be_16((uint16_t)cases[i].tl);
		cksum20(inner);
		if (cases[i].bad_sum)
			ip->hdr_checksum ^= 0x5555;
		base = drops(cases[i].why);
		inject_peer(inner, len, cases[i].what);
		CHECK(wait_drop(cases[i].why, base + 1),
		      "%s: %" PRIu64 " counted as %s, want 1", cases[i].what,
		      drops(cases[i].why) - base,
		      dp_drop_reason_name(cases[i].why));
		expect_quiet(cases[i].what);
	}

	/* The clear path drops the same headers as malformed. */
	base = drops(DP_DROP_MALFORMED);
	mk_udp(&f, P_IN, HOST_ADDR, IP4(8, 8, 8, 8), 64, false, 9, 40);
	f.b[RTE_ETHER_HDR_LEN] = 0x44;
	cksum20(f.b + RTE_ETHER_HDR_LEN);
	inject(P_IN, &f);
	mk_udp(&f, P_IN, HOST_ADDR, IP4(8, 8, 8, 8), 64, false, 9, 40);
	((struct rte_ipv4_hdr *)(f.b + RTE_ETHER_HDR_LEN))->total_length =
		RTE_BE16(8);
	cksum20(f.b + RTE_ETHER_HDR_LEN);
	inject(P_IN, &f);
	CHECK(wait_drop(DP_DROP_MALFORMED, base + 2),
	      "clear IHL 4 / total length 8: %" PRIu64 " malformed, want 2",
	      drops(DP_DROP_MALFORMED) - base);
	expect_quiet("inner checks");
}

/*
 * RFC 4303 2.4, 2.7: TFC padding follows the inner datagram inside the
 * payload; the receiver trims it off by the inner IP total length.
 */
static void
test_tfc_trimmed(void)
{
	struct rte_ether_hdr *eth;
	uint8_t inner[MAXPKT];
	struct rte_mbuf *m;
	uint16_t len;

	len = build_ip(inner, REMOTE_HOST, HOST_ADDR, IPPROTO_UDP, 64, false,
		       80, 1234, 40);
	memset(inner + len, 0xa5, 16);
	inject_peer(inner, len + 16, "tfc");
	m = capture(P_IN);
	CHECK(m != NULL, "tfc: packet not forwarded inside");
	if (m == NULL)
		return;
	eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	check_forwarded((uint8_t *)(eth + 1), m->pkt_len - RTE_ETHER_HDR_LEN,
			inner, len, "tfc padding trimmed");
	rte_pktmbuf_free(m);
	expect_quiet("tfc");
}

/*
 * Out of the tunnel to one of our own addresses: dropped as inner-to-us,
 * not routed onto the LAN (nor an ARP for ourselves).
 */
static void
test_inner_to_us(void)
{
	uint8_t inner[MAXPKT];
	uint64_t base;
	uint16_t len;

	base = drops(DP_DROP_INNER_LOCAL);
	len = build_ip(inner, REMOTE_HOST, IN_ADDR, IPPROTO_UDP, 64, false,
		       80, 7, 40);
	inject_peer(inner, len, "to the inside address");
	CHECK(wait_drop(DP_DROP_INNER_LOCAL, base + 1),
	      "inner to the inside address: %" PRIu64 " inner-to-us, want 1",
	      drops(DP_DROP_INNER_LOCAL) - base);
	expect_quiet("inner to the inside address");
	len = build_ip(inner, REMOTE_HOST, OUT_ADDR, IPPROTO_UDP, 64, false,
		       80, 7, 40);
	inject_peer(inner, len, "to the outside address");
	CHECK(wait_drop(DP_DROP_INNER_LOCAL, base + 2),
	      "inner to the outside address: %" PRIu64 " inner-to-us, want 2",
	      drops(DP_DROP_INNER_LOCAL) - base);
	expect_quiet("inner to the outside address");
}

/*
 * DSCP and ECN across the tunnel. Encapsulation copies the whole TOS byte
 * to the outer header: DSCP (RFC 4301 5.1.2.1, "copy" the IOS default)
 * and ECN (RFC 6040 4.1 normal mode), the outer checksum still right.
 */
static void
test_tos_encap(void)
{
	static const uint8_t tos[] = { 0xb8 | 2, 0x28 | 1, 0x00, 0xc0 | 3 };
	struct rte_ipv4_hdr *ip;
	struct rte_mbuf *m;
	struct frame f;
	unsigned int i;

	for (i = 0; i < RTE_DIM(tos); i++) {
		mk_udp(&f, P_IN, HOST_ADDR, REMOTE_HOST, 64, false, 80, 60);
		ip = (struct rte_ipv4_hdr *)(f.b + RTE_ETHER_HDR_LEN);
		ip->type_of_service = tos[i];
		ip->hdr_checksum = 0;
		ip->hdr_checksum = rte_ipv4_cksum(ip);
		inject(P_IN, &f);
		m = capture(P_OUT);
		CHECK(m != NULL, "TOS %#x: not sent", tos[i]);
		if (m == NULL)
			continue;
		ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *,
					     RTE_ETHER_HDR_LEN);
		CHECK(ip->type_of_service == tos[i] && ip_cksum_ok(ip),
		      "TOS %#x: outer TOS %#x, checksum %s", tos[i],
		      ip->type_of_service, ip_cksum_ok(ip) ? "ok" : "bad");
		check_esp_frame(m, "TOS");
		m = peer_decrypt(m);
		CHECK(m != NULL, "TOS %#x: peer cannot decrypt", tos[i]);
		if (m == NULL)
			continue;
		check_forwarded(rte_pktmbuf_mtod(m, uint8_t *), m->pkt_len,
				f.b + RTE_ETHER_HDR_LEN,
				f.len - RTE_ETHER_HDR_LEN, "TOS inner");
		rte_pktmbuf_free(m);
	}
	expect_quiet("TOS encap");
}

/*
 * RFC 6040 4.2 (Figure 4): the ECN field a decapsulated packet leaves
 * with, by arriving inner (row) and outer (column) codepoint, Not-ECT 0,
 * ECT(1) 1, ECT(0) 2, CE 3; -1: drop. The inner DSCP stays the inner's
 * (RFC 4301 5.1.2.1: not copied back on decapsulation).
 */
static void
test_ecn_decap(void)
{
	static const int8_t want[4][4] = {
		/* outer:  Not-ECT  ECT(1)  ECT(0)  CE */
		[0] = { 0, 0, 0, -1 },   /* inner Not-ECT */
		[1] = { 1, 1, 1, 3 },    /* inner ECT(1) */
		[2] = { 2, 1, 2, 3 },    /* inner ECT(0) */
		[3] = { 3, 3, 3, 3 },    /* inner CE */
	};
	struct dp_drop_counters d;
	struct rte_ether_hdr *eth;
	struct rte_ipv4_hdr *ip;
	struct rte_mbuf *m;
	uint8_t inner[MAXPKT];
	unsigned int in, out;
	uint64_t base;
	uint16_t len;

	memset(&d, 0, sizeof(d));
	for (in = 0; in < 4; in++) {
		for (out = 0; out < 4; out++) {
			len = build_ip(inner, REMOTE_HOST, HOST_ADDR,
				       IPPROTO_UDP, 64, false, 80, 1234, 40);
			ip = (struct rte_ipv4_hdr *)inner;
			ip->type_of_service = (uint8_t)(0x68 | in);
			ip->hdr_checksum = 0;
			ip->hdr_checksum = rte_ipv4_cksum(ip);
			m = to_mbuf(inner, len);
			m->l2_len = 0;
			m->l3_len = sizeof(*ip);
			if (dp_sa_process(peer_out, 0, &m, 1, &d) != 1) {
				CHECK(0, "ECN %u/%u: peer encrypt", in, out);
				rte_pktmbuf_free(m);
				continue;
			}
			/* On the way a router marks the outer header. */
			ip = rte_pktmbuf_mtod(m, struct rte_ipv4_hdr *);
			ip->type_of_service = (uint8_t)
				((ip->type_of_service & ~3) | out);
			ip->hdr_checksum = 0;
			ip->hdr_checksum = rte_ipv4_cksum(ip);
			eth = (struct rte_ether_hdr *)
				rte_pktmbuf_prepend(m, RTE_ETHER_HDR_LEN);
			eth->dst_addr = port_mac[P_OUT];
			eth->src_addr = peer_l2;
			eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV4);
			base = drops(DP_DROP_ECN);
			inject_mbuf(P_OUT, m);
			if (want[in][out] < 0) {
				CHECK(wait_drop(DP_DROP_ECN, base + 1),
				      "ECN inner %u outer %u: not dropped", in,
				      out);
				expect_quiet("ECN drop");
				continue;
			}
			m = capture(P_IN);
			CHECK(m != NULL, "ECN inner %u outer %u: not forwarded",
			      in, out);
			if (m == NULL)
				continue;
			ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *,
						     RTE_ETHER_HDR_LEN);
			CHECK(ip->type_of_service == (0x68 | want[in][out]) &&
			      ip_cksum_ok(ip),
			      "ECN inner %u outer %u: TOS %#x (want %#x), "
			      "checksum %s", in, out, ip->type_of_service,
			      0x68 | want[in][out],
			      ip_cksum_ok(ip) ? "ok" : "bad");
			rte_pktmbuf_free(m);
		}
	}
	expect_quiet("ECN decap");
}

/*
 * m: a decrypted inner packet punted for an answer through the tunnel:
 * reason r, port, behind an Ethernet header of zeros, TTL ttl, from src
 * to dst, protocol proto.
 */
static void
check_tunnel_punt(struct rte_mbuf *m, const struct dp_punt_info *info,
		  enum dp_punt_reason r, uint16_t port, uint8_t ttl,
		  uint32_t src, uint32_t dst, uint8_t proto, const char *what)
{
	static const uint8_t zero[2 * RTE_ETHER_ADDR_LEN];
	const struct rte_ether_hdr *eth;
	const struct rte_ipv4_hdr *ip;

	CHECK(m != NULL, "%s: not punted", what);
	if (m == NULL)
		return;
	eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	ip = (const struct rte_ipv4_hdr *)(eth + 1);
	CHECK(info->reason == r && info->port == port,
	      "%s: punt reason %d port %u", what, info->reason, info->port);
	CHECK(m->pkt_len > RTE_ETHER_HDR_LEN + sizeof(*ip) &&
	      memcmp(eth, zero, sizeof(zero)) == 0 &&
	      eth->ether_type == RTE_BE16(RTE_ETHER_TYPE_IPV4) &&
	      ip->time_to_live == ttl && ip->next_proto_id == proto &&
	      ip->src_addr == rte_cpu_to_be_32(src) &&
	      ip->dst_addr == rte_cpu_to_be_32(dst),
	      "%s: punted frame", what);
	rte_pktmbuf_free(m);
}

/*
 * A decrypted packet whose inner TTL runs out here: counted apart
 * (inner-ttl-expired, not ttl-expired) and punted for an ICMP time
 * exceeded through the tunnel, with the port it was going out of (whose
 * address the error comes from).
 */
static void
test_inner_ttl(void)
{
	uint8_t inner[MAXPKT];
	uint64_t base = drops(DP_DROP_INNER_TTL), ttl = drops(DP_DROP_TTL);
	struct dp_punt_info info;
	uint16_t len;

	len = build_ip(inner, REMOTE_HOST, HOST_ADDR, IPPROTO_UDP, 1, false,
		       80, 33434, 20);
	inject_peer(inner, len, "inner TTL 1");
	CHECK(wait_drop(DP_DROP_INNER_TTL, base + 1),
	      "inner TTL 1: inner-ttl-expired %" PRIu64 " (ttl-expired +%"
	      PRIu64 ")", drops(DP_DROP_INNER_TTL) - base,
	      drops(DP_DROP_TTL) - ttl);
	CHECK(drops(DP_DROP_TTL) == ttl, "inner TTL 1 counted as clear");
	check_tunnel_punt(punted(&info), &info, DP_PUNT_TUNNEL_TTL, P_IN, 1,
			  REMOTE_HOST, HOST_ADDR, IPPROTO_UDP, "inner TTL 1");
	expect_quiet("inner TTL");
}

/*
 * Answers through the tunnel: decrypted ICMP to our inside address is
 * punted (not counted inner-to-us); what the control lcore hands back
 * with dp_inject() leaves as ESP of the protect policy's SA, its TTL as
 * it was; an injected packet no protect policy covers is dropped (policy)
 * rather than sent in clear.
 */
static void
test_tunnel_answers(void)
{
	uint64_t local = drops(DP_DROP_INNER_LOCAL);
	uint64_t policy = drops(DP_DROP_POLICY);
	struct rte_ether_hdr *eth;
	struct dp_punt_info info;
	struct rte_mbuf *m;
	uint8_t inner[MAXPKT];
	uint16_t len;

	len = build_ip(inner, REMOTE_HOST, IN_ADDR, IPPROTO_ICMP, 64, false,
		       0x0800, 1, 20);
	inject_peer(inner, len, "ICMP to the inside address");
	check_tunnel_punt(punted(&info), &info, DP_PUNT_TUNNEL_LOCAL, P_OUT,
			  64, REMOTE_HOST, IN_ADDR, IPPROTO_ICMP,
			  "ICMP to the inside address");
	CHECK(drops(DP_DROP_INNER_LOCAL) == local,
	      "ICMP to the inside address counted inner-to-us");
	expect_quiet("ICMP to the inside address");

	len = build_ip(inner, IN_ADDR, REMOTE_HOST, IPPROTO_UDP, 64, false,
		       7, 5000, 30);
	m = to_mbuf(inner, len);
	CHECK(m != NULL, "out of mbufs");
	if (m == NULL)
		return;
	eth = (struct rte_ether_hdr *)rte_pktmbuf_prepend(m, sizeof(*eth));
	memset(eth, 0, sizeof(*eth));
	eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV4);
	CHECK(dp_inject(m) == 0, "dp_inject refused");
	m = capture(P_OUT);
	CHECK(m != NULL, "injected packet not sent");
	if (m != NULL) {
		check_esp_frame(m, "injected");
		m = peer_decrypt(m);
		CHECK(m != NULL, "peer cannot decrypt the injected packet");
	}
	if (m != NULL) {
		/* not forwarded: byte for byte, TTL 64 as it was made */
		CHECK(m->pkt_len == len &&
		      memcmp(rte_pktmbuf_mtod(m, uint8_t *), inner, len) == 0,
		      "injected inner: %u bytes, not what was injected",
		      m->pkt_len);
		rte_pktmbuf_free(m);
	}
	expect_quiet("injected");

	/* 8.8.8.8 is bypass: never in clear from dp_inject() */
	len = build_ip(inner, IN_ADDR, IP4(8, 8, 8, 8), IPPROTO_UDP, 64, false,
		       7, 53, 30);
	m = to_mbuf(inner, len);
	CHECK(m != NULL, "out of mbufs");
	if (m == NULL)
		return;
	eth = (struct rte_ether_hdr *)rte_pktmbuf_prepend(m, sizeof(*eth));
	memset(eth, 0, sizeof(*eth));
	eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV4);
	CHECK(dp_inject(m) == 0, "dp_inject refused");
	CHECK(wait_drop(DP_DROP_POLICY, policy + 1),
	      "injected bypass traffic: policy drops +%" PRIu64 ", want 1",
	      drops(DP_DROP_POLICY) - policy);
	expect_quiet("injected bypass");
}

/* ---- ESP trailers dp_sa never makes ------------------------------------ */

#define CUT_TO_HDR SIZE_MAX

/* Above what the peer's SA has sent: the window only moves forward. */
static uint32_t sealed_seq = 100000;

/*
 * An ESP frame to SPI_IN from the peer whose plaintext is pt as laid out
 * (esp_ref_seal), less cut bytes at the end.
 */
static void
inject_sealed(const uint8_t *pt, size_t plen, size_t cut)
{
	struct rte_ipv4_hdr *ip;
	uint8_t iv[8];
	struct frame f;
	size_t elen;
	uint32_t seq = sealed_seq++;

	memset(iv, 0, sizeof(iv));
	memcpy(iv, &seq, sizeof(seq));
	build_eth(&f, &gw_mac, P_OUT, RTE_ETHER_TYPE_IPV4);
	ip = (struct rte_ipv4_hdr *)(f.b + RTE_ETHER_HDR_LEN);
	if (esp_ref_seal(CONF_CIPHER_AES_GCM_128, CONF_INTEG_NONE, key_in,
			 sizeof(key_in), NULL, 0, SPI_IN, seq, iv, pt, plen,
			 (uint8_t *)(ip + 1), &elen) != 0) {
		CHECK(0, "esp_ref_seal failed");
		return;
	}
	elen -= cut;
	memset(ip, 0, sizeof(*ip));
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->total_length = rte_cpu_to_be_16((uint16_t)(sizeof(*ip) + elen));
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_ESP;
	ip->src_addr = rte_cpu_to_be_32(PEER_ADDR);
	ip->dst_addr = rte_cpu_to_be_32(OUT_ADDR);
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	f.len = (uint16_t)(RTE_ETHER_HDR_LEN + sizeof(*ip) + elen);
	inject(P_OUT, &f);
}

/*
 * RFC 4303 2.4: payload || padding || pad length || next header, to 4
 * bytes (GCM). pad_len overrides the pad length byte when not -1; bad_pad
 * spoils the last padding byte (at least one is there then).
 */
static size_t
mk_pt(uint8_t *pt, const uint8_t *payload, size_t len, uint8_t nh,
      bool bad_pad, int pad_len)
{
	size_t pad = (4 - (len + 2) % 4) % 4, i;

	if (bad_pad && pad == 0)
		pad = 4;
	memcpy(pt, payload, len);
	for (i = 0; i < pad; i++)
		pt[len + i] = (uint8_t)(i + 1);
	if (bad_pad)
		pt[len + pad - 1] ^= 0x80;
	pt[len + pad] = pad_len >= 0 ? (uint8_t)pad_len : (uint8_t)pad;
	pt[len + pad + 1] = nh;
	return len + pad + 2;
}

/*
 * What librte_ipsec refuses after decryption, each under its own reason
 * and none as crypto; a dummy packet (next header 59, RFC 4303 2.6) is
 * discarded silently: counted as dummy, not as an error of the SA.
 */
static void
test_esp_trailers(void)
{
	static const struct {
		uint8_t nh;
		bool bad_pad;
		int pad_len;
		size_t cut;
		enum dp_drop_reason why;
		const char *what;
	} cases[] = {
		{ 59, false, -1, 0, DP_DROP_ESP_DUMMY, "dummy (59)" },
		{ 41, false, -1, 0, DP_DROP_INNER_IPV6, "inner IPv6 (41)" },
		{ 17, false, -1, 0, DP_DROP_ESP_NEXT_HDR, "next header 17" },
		{ 4, true, -1, 0, DP_DROP_ESP_PAD, "padding not 1, 2, ..." },
		{ 4, false, 250, 0, DP_DROP_ESP_PAD,
		  "pad length past the payload" },
		{ 4, false, -1, 3, DP_DROP_ESP_TRUNC, "truncated by 3 bytes" },
		{ 4, false, -1, CUT_TO_HDR, DP_DROP_ESP_TRUNC,
		  "cut to its ESP header" },
	};
	struct dp_sa_counters c0, c1;
	uint8_t inner[MAXPKT], pt[MAXPKT];
	struct rte_mbuf *m;
	uint64_t base, crypto;
	unsigned int i;
	size_t plen;
	uint16_t len;

	/* The control: a conforming trailer is decrypted and forwarded. */
	len = build_ip(inner, REMOTE_HOST, HOST_ADDR, IPPROTO_UDP, 64, false,
		       80, 1234, 39);
	plen = mk_pt(pt, inner, len, 4, false, -1);
	inject_sealed(pt, plen, 0);
	m = capture(P_IN);
	CHECK(m != NULL, "sealed: a good trailer not forwarded");
	if (m != NULL)
		check_forwarded(rte_pktmbuf_mtod_offset(m, uint8_t *,
							RTE_ETHER_HDR_LEN),
				m->pkt_len - RTE_ETHER_HDR_LEN, inner, len,
				"sealed");
	rte_pktmbuf_free(m);
	expect_quiet("sealed");

	crypto = drops(DP_DROP_CRYPTO);
	for (i = 0; i < RTE_DIM(cases); i++) {
		if (cases[i].nh == 41)
			inner[0] = 0x60;   /* an IPv6 header would start so */
		plen = mk_pt(pt, inner, len, cases[i].nh, cases[i].bad_pad,
			     cases[i].pad_len);
		inner[0] = RTE_IPV4_VHL_DEF;
		dp_sa_counters_read(sa_in, &c0);
		base = drops(cases[i].why);
		/* after the ESP header: IV 8, plen, ICV 16 */
		inject_sealed(pt, plen, cases[i].cut == CUT_TO_HDR ?
			      8 + plen + 16 : cases[i].cut);
		CHECK(wait_drop(cases[i].why, base + 1),
		      "%s: %" PRIu64 " counted as %s, want 1", cases[i].what,
		      drops(cases[i].why) - base,
		      dp_drop_reason_name(cases[i].why));
		dp_sa_counters_read(sa_in, &c1);
		if (cases[i].why == DP_DROP_ESP_DUMMY)
			CHECK(c1.recv_errors == c0.recv_errors,
			      "dummy counted as an SA error");
		else if (cases[i].why != DP_DROP_ESP_TRUNC)
			CHECK(c1.recv_errors == c0.recv_errors + 1,
			      "%s: not an SA error", cases[i].what);
		expect_quiet(cases[i].what);
	}
	CHECK(drops(DP_DROP_CRYPTO) == crypto,
	      "trailers: %" PRIu64 " still counted as crypto",
	      drops(DP_DROP_CRYPTO) - crypto);
}

static void
test_ctl_tx(void)
{
	struct rte_mbuf *m;
	struct frame f;

	mk_udp(&f, P_IN, IN_ADDR, HOST_ADDR, 64, false, 9, 30);
	CHECK(dp_tx(P_IN, to_mbuf(f.b, f.len)) == 0, "dp_tx refused");
	m = capture(P_IN);
	CHECK(m != NULL && m->pkt_len == f.len &&
	      memcmp(rte_pktmbuf_mtod(m, void *), f.b, f.len) == 0,
	      "dp_tx frame not sent as given");
	rte_pktmbuf_free(m);
	expect_quiet("ctl tx");
}

/* Commits (including FIB and SPD rebuilds) while packets flow. */
static void
test_commit_under_traffic(void)
{
	struct rte_ether_addr mac = gw_mac;
	struct rte_mbuf *m = NULL;
	struct frame f;
	unsigned int i, j, sent = 0, seen = 0, t;

	for (i = 0; i < 40; i++) {
		for (j = 0; j < 16; j++) {
			mk_udp(&f, P_IN, HOST_ADDR, IP4(8, 8, 8, 8), 64,
			       false, 53, 64);
			inject(P_IN, &f);
			sent++;
		}
		mac.addr_bytes[5] = (uint8_t)i;
		CHECK(dp_neigh_set(P_OUT, IP4(192, 0, 2, 100 + (i % 8)),
				   &mac) == 0, "neigh_set");
		if (i % 10 == 0) {
			CHECK(dp_route_add(IP4(100, 64, (uint8_t)i, 0), 24,
					   GW_ADDR, P_OUT) == 0, "route_add");
			CHECK(stage_spd() == 0, "spd_set");
		}
		CHECK(dp_commit() == 0, "commit %u", i);
		while (rte_ring_dequeue(txr[P_OUT], (void **)&m) == 0) {
			seen++;
			rte_pktmbuf_free(m);
		}
	}
	for (t = 0; t < WAIT_US && seen < sent; t += 100) {
		while (rte_ring_dequeue(txr[P_OUT], (void **)&m) == 0) {
			seen++;
			rte_pktmbuf_free(m);
		}
		rte_delay_us_sleep(100);
	}
	CHECK(seen == sent, "sent %u, forwarded %u", sent, seen);
	expect_quiet("rcu");
}

/* ---- ACQUIRE: protect policies without an SA ------------------------- */

static void
inject_q(uint16_t port, unsigned int q, const struct frame *f)
{
	struct rte_mbuf *m = to_mbuf(f->b, f->len);

	CHECK(m != NULL, "out of mbufs");
	if (m != NULL && rte_ring_enqueue(rxr[port][q], m) != 0) {
		rte_pktmbuf_free(m);
		CHECK(0, "rx ring %u of port %u full", q, port);
	}
}

/*
 * The ACQUIREs that arrive within WAIT_US once want of them are there
 * (then a little longer, to see any that should not be). ids[] gets them.
 */
static unsigned int
acquires(uint32_t *ids, unsigned int cap, unsigned int want)
{
	unsigned int got = 0, t;

	for (t = 0; t < WAIT_US && got < want; t += 100) {
		got += dp_acquire_dequeue(ids + got, cap - got);
		if (got < want)
			rte_delay_us_sleep(100);
	}
	rte_delay_us_sleep(20000);
	got += dp_acquire_dequeue(ids + got, cap - got);
	return got;
}

static void
acq_read(struct dp_acquire_counters *a)
{
	dp_acquire_read(a);
}

/* The SPI of the ESP a packet to dst leaves with, 0: none left. */
static uint32_t
esp_spi_of(uint32_t dst)
{
	struct rte_ipv4_hdr *ip;
	struct rte_mbuf *m;
	struct frame f;
	uint32_t spi = 0;

	mk_udp(&f, P_IN, HOST_ADDR, dst, 64, false, 53, 32);
	inject(P_IN, &f);
	m = capture(P_OUT);
	if (m == NULL)
		return 0;
	ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *,
				     RTE_ETHER_HDR_LEN);
	if (ip->next_proto_id == IPPROTO_ESP) {
		memcpy(&spi, ip + 1, 4);
		spi = rte_be_to_cpu_32(spi);
	}
	rte_pktmbuf_free(m);
	return spi;
}

/*
 * dp_spd_rebind(): a binding's policies move to another outbound SA in
 * the published SPD at once, without a commit (an IKE rekey); the SA let
 * go of may be uninstalled; NULL drops as no-out-sa again; the staged SPD
 * moves too.
 */
static void
test_rebind(void)
{
	struct dp_sa *rb1 = NULL, *rb2 = NULL;
	const uint32_t dst = ACQ_NET | 9;
	uint32_t ids[16];
	unsigned int n;
	uint64_t base;
	uint32_t spi;
	int rc;

	CHECK(mk_sa(SPI_RB1, false, key_out, OUT_ADDR, PEER_ADDR, false,
		    &rb1) == 0 && dp_sa_install(rb1) == 0 &&
	      mk_sa(SPI_RB2, false, key_out, OUT_ADDR, PEER_ADDR, false,
		    &rb2) == 0 && dp_sa_install(rb2) == 0, "two SAs");
	if (rb1 == NULL || rb2 == NULL)
		return;
	CHECK(stage_spd() == 0 && dp_commit() == 0, "restage");
	CHECK(dp_spd_rebind(0, rb1, 0) == -EINVAL, "bind 0 accepted");
	CHECK(dp_spd_rebind(REBIND_ID, sa_in, 0) == -EINVAL,
	      "inbound SA accepted");
	CHECK(dp_spd_rebind(REBIND_ID + 1, rb1, 0) == 0,
	      "a binding no policy holds moved something");

	rc = dp_spd_rebind(REBIND_ID, rb1, 0);
	CHECK(rc == 1, "rebind to %#x: %d", SPI_RB1, rc);
	spi = esp_spi_of(dst);
	CHECK(spi == SPI_RB1, "after the rebind, no commit: SPI %#x", spi);
	CHECK(dp_sa_uninstall(rb1) == -EBUSY,
	      "the SA the SPD sends on uninstalled");

	rc = dp_spd_rebind(REBIND_ID, rb2, 0);
	spi = esp_spi_of(dst);
	CHECK(rc == 1 && spi == SPI_RB2, "rebind to %#x: %d, SPI %#x",
	      SPI_RB2, rc, spi);
	CHECK(dp_sa_uninstall(rb1) == 0, "the SA let go of stays busy");
	CHECK(dp_commit() == 0, "commit");
	dp_sa_destroy(rb1);

	/* None: dropped as no-out-sa. */
	base = drops(DP_DROP_NO_OUT_SA);
	CHECK(dp_spd_rebind(REBIND_ID, NULL, ACQ_ID) == 1, "rebind to none");
	spi = esp_spi_of(dst);
	CHECK(spi == 0 && wait_drop(DP_DROP_NO_OUT_SA, base + 1),
	      "no SA: SPI %#x, no-out-sa +%" PRIu64, spi,
	      drops(DP_DROP_NO_OUT_SA) - base);
	n = acquires(ids, RTE_DIM(ids), 1);
	CHECK(n == 1 && ids[0] == ACQ_ID, "no SA: %u ACQUIREs, id %u", n,
	      n > 0 ? ids[0] : 0);

	/* Staged (not committed): both the staged and the published move. */
	CHECK(stage_spd() == 0, "stage");
	rc = dp_spd_rebind(REBIND_ID, rb2, 0);
	spi = esp_spi_of(dst);
	CHECK(rc == 1 && spi == SPI_RB2, "staged: rebind %d, SPI %#x", rc,
	      spi);
	CHECK(dp_commit() == 0, "commit");
	spi = esp_spi_of(dst);
	CHECK(spi == SPI_RB2, "the SPD built from the staged one: SPI %#x",
	      spi);

	CHECK(dp_spd_rebind(REBIND_ID, NULL, ACQ_ID) == 1 &&
	      dp_sa_uninstall(rb2) == 0 && dp_commit() == 0, "clean up");
	dp_sa_destroy(rb2);
	expect_quiet("rebind");
}

/* 300 protect /32s without an SA, ids 100..399: more than the ring holds. */
#define ACQ_MANY 300
static int
stage_spd_many(void)
{
	static struct dp_policy pol[ACQ_MANY];
	unsigned int i;

	for (i = 0; i < ACQ_MANY; i++) {
		sel(&pol[i], IP4(10, 1, 0, 0), 24,
		    IP4(10, 8, i >> 8, i & 0xff), 32, CONF_POLICY_PROTECT, i,
		    NULL);
		pol[i].acquire = 100 + i;
	}
	return dp_spd_set(pol, ACQ_MANY);
}

static void
test_acquire(void)
{
	struct dp_acquire_counters a0, a;
	struct dp_policy bad;
	uint32_t ids[512];
	struct rte_mbuf *m;
	struct frame f;
	uint64_t base;
	unsigned int n, i, q;

	/* An acquire id belongs on a protect policy without an SA. */
	sel(&bad, 0, 0, 0, 0, CONF_POLICY_PROTECT, 1, sa_out);
	bad.acquire = 3;
	CHECK(dp_spd_set(&bad, 1) == -EINVAL, "acquire with an SA accepted");
	sel(&bad, 0, 0, 0, 0, CONF_POLICY_BYPASS, 1, NULL);
	bad.acquire = 3;
	CHECK(dp_spd_set(&bad, 1) == -EINVAL, "acquire on bypass accepted");
	CHECK(stage_spd() == 0 && dp_commit() == 0, "restage");
	CHECK(dp_acquire_dequeue(ids, RTE_DIM(ids)) == 0, "stale ACQUIREs");

	/* One packet: dropped, counted, exactly one ACQUIRE with its id. */
	acq_read(&a0);
	base = drops(DP_DROP_NO_OUT_SA);
	mk_udp(&f, P_IN, HOST_ADDR, ACQ_NET | 9, 64, false, 53, 32);
	inject_q(P_IN, 0, &f);
	CHECK(wait_drop(DP_DROP_NO_OUT_SA, base + 1), "no-out-sa: %" PRIu64,
	      drops(DP_DROP_NO_OUT_SA) - base);
	n = acquires(ids, RTE_DIM(ids), 1);
	CHECK(n == 1 && ids[0] == ACQ_ID, "one packet: %u ACQUIREs, id %u",
	      n, n > 0 ? ids[0] : 0);
	acq_read(&a);
	CHECK(a.raised == a0.raised + 1 && a.suppressed == a0.suppressed &&
	      a.ring_full == a0.ring_full, "counters: raised +%" PRIu64
	      ", suppressed +%" PRIu64, a.raised - a0.raised,
	      a.suppressed - a0.suppressed);

	/* A burst on one worker: one ACQUIRE, the rest held back. */
	acq_read(&a0);
	base = drops(DP_DROP_NO_OUT_SA);
	for (i = 0; i < 40; i++) {
		mk_udp(&f, P_IN, HOST_ADDR, ACQ_BURST_NET | (i + 1), 64,
		       false, 53, 32);
		inject_q(P_IN, 0, &f);
	}
	CHECK(wait_drop(DP_DROP_NO_OUT_SA, base + 40), "burst: %" PRIu64
	      " of 40 counted", drops(DP_DROP_NO_OUT_SA) - base);
	n = acquires(ids, RTE_DIM(ids), 1);
	CHECK(n == 1 && ids[0] == ACQ_BURST_ID, "burst: %u ACQUIREs", n);
	acq_read(&a);
	CHECK(a.raised == a0.raised + 1 &&
	      a.suppressed == a0.suppressed + 39, "burst: raised +%" PRIu64
	      ", suppressed +%" PRIu64, a.raised - a0.raised,
	      a.suppressed - a0.suppressed);

	/* No acquire id: dropped and counted, nothing raised. */
	acq_read(&a0);
	base = drops(DP_DROP_NO_OUT_SA);
	mk_udp(&f, P_IN, HOST_ADDR, ACQ_QUIET_NET | 1, 64, false, 53, 32);
	inject(P_IN, &f);
	CHECK(wait_drop(DP_DROP_NO_OUT_SA, base + 1), "quiet not counted");
	CHECK(acquires(ids, RTE_DIM(ids), 0) == 0, "ACQUIRE without an id");
	acq_read(&a);
	CHECK(a.raised == a0.raised && a.suppressed == a0.suppressed,
	      "quiet policy touched the limiter");

	/* Traffic with an SA: encrypted, the ACQUIRE path untouched. */
	acq_read(&a0);
	mk_udp(&f, P_IN, HOST_ADDR, REMOTE_HOST, 64, false, 53, 32);
	inject(P_IN, &f);
	m = capture(P_OUT);
	CHECK(m != NULL, "protected packet not sent");
	rte_pktmbuf_free(m);
	acq_read(&a);
	CHECK(memcmp(&a, &a0, sizeof(a)) == 0, "SA traffic touched ACQUIREs");

	/* The interval over: the next packet raises again. */
	rte_delay_us_sleep(ACQ_MS * 1000 + 100000);
	base = drops(DP_DROP_NO_OUT_SA);
	mk_udp(&f, P_IN, HOST_ADDR, ACQ_NET | 10, 64, false, 53, 32);
	inject_q(P_IN, 0, &f);
	CHECK(wait_drop(DP_DROP_NO_OUT_SA, base + 1), "after the interval");
	n = acquires(ids, RTE_DIM(ids), 1);
	CHECK(n == 1 && ids[0] == ACQ_ID, "after the interval: %u", n);

	/* Each worker has its own limiter: one ACQUIRE per worker. */
	for (q = 0; q < n_workers; q++) {
		mk_udp(&f, P_IN, HOST_ADDR, ACQ_2W_NET | (q + 1), 64, false,
		       53, 32);
		inject_q(P_IN, q, &f);
	}
	n = acquires(ids, RTE_DIM(ids), n_workers);
	CHECK(n == n_workers, "%u workers: %u ACQUIREs", n_workers, n);
	for (i = 0; i < n; i++)
		CHECK(ids[i] == ACQ_2W_ID, "id %u", ids[i]);

	/*
	 * More ids than the ring holds, nobody draining: the ring fills,
	 * the rest is counted, nothing blocks; the next packets, once it
	 * has room, get through (a full ring does not arm the limiter).
	 */
	CHECK(stage_spd_many() == 0 && dp_commit() == 0, "stage 300");
	acq_read(&a0);
	base = drops(DP_DROP_NO_OUT_SA);
	for (i = 0; i < ACQ_MANY; i++) {
		mk_udp(&f, P_IN, HOST_ADDR, IP4(10, 8, i >> 8, i & 0xff), 64,
		       false, 53, 32);
		inject_q(P_IN, 0, &f);
	}
	CHECK(wait_drop(DP_DROP_NO_OUT_SA, base + ACQ_MANY), "300 counted");
	acq_read(&a);
	CHECK(a.raised - a0.raised == 255 && a.ring_full - a0.ring_full == 45,
	      "ring of 256: raised +%" PRIu64 ", ring full +%" PRIu64,
	      a.raised - a0.raised, a.ring_full - a0.ring_full);
	n = dp_acquire_dequeue(ids, RTE_DIM(ids));
	CHECK(n == 255 && ids[0] == 100 && ids[254] == 354,
	      "drained %u, first %u", n, n > 0 ? ids[0] : 0);
	mk_udp(&f, P_IN, HOST_ADDR, IP4(10, 8, 1, 43), 64, false, 53, 32);
	inject_q(P_IN, 0, &f);
	n = acquires(ids, RTE_DIM(ids), 1);
	CHECK(n == 1 && ids[0] == 399, "after ring full: %u, id %u", n,
	      n > 0 ? ids[0] : 0);
	CHECK(stage_spd() == 0 && dp_commit() == 0, "restage");
	expect_quiet("acquire");
}

/* ---- two workers ------------------------------------------------------- */

/*
 * Without the SA's lock, 200 rounds forwarded 2 to 101 copies twice in 6
 * of 8 runs (two real CPUs): the race is a check and a set nanoseconds
 * apart in each worker, so it takes many packets at once to show.
 */
#define R2W_ROUNDS 200
#define R2W_N 240               /* sealed packets per round */
#define R2W_WAIT_US 10000000    /* per round, on a loaded machine */
_Static_assert(R2W_ROUNDS * R2W_N < 65536, "inner ids are 16 bits");

/* Every frame the workers send on port within WAIT_US once want are in. */
static unsigned int
collect(uint16_t port, struct rte_mbuf **mb, unsigned int cap,
	unsigned int want)
{
	unsigned int n = 0, t;

	for (t = 0; t < R2W_WAIT_US && n < want; t += 100) {
		n += rte_ring_dequeue_burst(txr[port], (void **)mb + n,
					    cap - n, NULL);
		if (n < want)
			rte_delay_us_sleep(100);
	}
	rte_delay_us_sleep(20000);
	n += rte_ring_dequeue_burst(txr[port], (void **)mb + n, cap - n,
				    NULL);
	return n;
}

/*
 * Issue 13 item 6: inbound SAs are found by SPI alone and RSS hashes on
 * the outer addresses and UDP ports, which a replaying attacker controls
 * (the NAT-T UDP header is outside the ICV). Each ESP packet the peer
 * sealed arrives twice at once: as sent on worker 0's queue, and again
 * with a spoofed outer source port on worker 1's. Each must be accepted
 * once and its copy counted as a replay, whichever worker sees it first.
 */
static void
test_replay_2w(void)
{
	static struct rte_mbuf *got[2 * R2W_N + 64];
	static uint8_t seen[65536];
	struct rte_mbuf *cp[2][R2W_N];
	struct dp_sa_counters c0, c1;
	struct dp_drop_counters d;
	struct rte_ether_hdr *eth;
	struct rte_udp_hdr *udp;
	uint8_t inner[MAXPKT];
	unsigned int r, i, n, q, dup = 0, fwd = 0;
	uint64_t rep0 = drops(DP_DROP_REPLAY), rep_r = rep0;
	unsigned int t;
	uint16_t len, id;
	struct frame f;

	memset(&d, 0, sizeof(d));
	memset(seen, 0, sizeof(seen));
	pkt_id = 0;     /* inner IPv4 ids 1..R2W_ROUNDS * R2W_N: all distinct */
	dp_sa_counters_read(sa_in_udp, &c0);
	for (r = 0; r < R2W_ROUNDS; r++) {
		for (i = 0; i < R2W_N; i++) {
			len = build_ip(inner, NATT_NET | 9, HOST_ADDR,
				       IPPROTO_UDP, 64, false, 80, 1234, 64);
			cp[0][i] = to_mbuf(inner, len);
			CHECK(cp[0][i] != NULL, "out of mbufs");
			if (cp[0][i] == NULL)
				return;
			cp[0][i]->l2_len = 0;
			cp[0][i]->l3_len = sizeof(struct rte_ipv4_hdr);
			CHECK(dp_sa_process(peer_out_udp, 0, &cp[0][i], 1,
					    &d) == 1, "peer encrypt");
			eth = (struct rte_ether_hdr *)
				rte_pktmbuf_prepend(cp[0][i],
						    RTE_ETHER_HDR_LEN);
			eth->dst_addr = port_mac[P_OUT];
			eth->src_addr = peer_l2;
			eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV4);
			cp[1][i] = rte_pktmbuf_copy(cp[0][i], dp_pktmbuf_pool(),
						    0, UINT32_MAX);
			CHECK(cp[1][i] != NULL, "out of mbufs");
			if (cp[1][i] == NULL)
				return;
			/* The copy's outer source port: an attacker's. */
			udp = rte_pktmbuf_mtod_offset(cp[1][i],
				struct rte_udp_hdr *, RTE_ETHER_HDR_LEN +
				sizeof(struct rte_ipv4_hdr));
			udp->src_port = rte_cpu_to_be_16(20000 + i);
		}
		/* Wake both workers, then give them the copies together. */
		mk_udp(&f, P_IN, HOST_ADDR, IP4(10, 2, 99, 1), 64, false, 9, 8);
		inject_q(P_IN, 0, &f);
		inject_q(P_IN, 1, &f);
		rte_delay_us_sleep(200);
		for (i = 0; i < R2W_N; i++)
			for (q = 0; q < 2; q++)
				if (rte_ring_enqueue(rxr[P_OUT][q], cp[q][i])) {
					rte_pktmbuf_free(cp[q][i]);
					CHECK(0, "rx ring %u full", q);
				}
		/*
		 * Every copy accounted for (forwarded or a replay) before the
		 * next round: a worker descheduled on a loaded machine must
		 * not let its ring overflow.
		 */
		n = 0;
		for (t = 0; t < R2W_WAIT_US; t += 100) {
			n += rte_ring_dequeue_burst(txr[P_IN],
						    (void **)got + n,
						    RTE_DIM(got) - n, NULL);
			if (n + drops(DP_DROP_REPLAY) - rep_r >= 2 * R2W_N)
				break;
			rte_delay_us_sleep(100);
		}
		rte_delay_us_sleep(5000);
		n += rte_ring_dequeue_burst(txr[P_IN], (void **)got + n,
					    RTE_DIM(got) - n, NULL);
		rep_r = drops(DP_DROP_REPLAY);
		for (i = 0; i < n; i++) {
			const struct rte_ipv4_hdr *ip =
				rte_pktmbuf_mtod_offset(got[i],
					const struct rte_ipv4_hdr *,
					RTE_ETHER_HDR_LEN);

			if (ip->dst_addr == rte_cpu_to_be_32(HOST_ADDR) &&
			    ip->src_addr == rte_cpu_to_be_32(NATT_NET | 9)) {
				id = rte_be_to_cpu_16(ip->packet_id);
				if (seen[id]++ != 0)
					dup++;
				fwd++;
			}
			rte_pktmbuf_free(got[i]);
		}
		/* The wake-ups went out on the outside (bypass). */
		while (rte_ring_dequeue(txr[P_OUT], (void **)&got[0]) == 0)
			rte_pktmbuf_free(got[0]);
	}
	dp_sa_counters_read(sa_in_udp, &c1);
	CHECK(dup == 0, "%u replayed copies forwarded (of %u)", dup, fwd);
	CHECK(fwd == R2W_ROUNDS * R2W_N, "forwarded %u of %u", fwd,
	      R2W_ROUNDS * R2W_N);
	CHECK(drops(DP_DROP_REPLAY) - rep0 == R2W_ROUNDS * R2W_N,
	      "replay drops +%" PRIu64 ", want %u",
	      drops(DP_DROP_REPLAY) - rep0, R2W_ROUNDS * R2W_N);
	CHECK(c1.pkts_decaps - c0.pkts_decaps == R2W_ROUNDS * R2W_N &&
	      c1.replay_fails - c0.replay_fails == R2W_ROUNDS * R2W_N,
	      "SA counters: decaps +%" PRIu64 ", replay +%" PRIu64,
	      c1.pkts_decaps - c0.pkts_decaps,
	      c1.replay_fails - c0.replay_fails);
	expect_quiet("replay 2w");
}

#define O2W_N 300               /* packets per flow */

struct o2w_pkt {
	uint64_t seq;
	unsigned int pos;       /* order on the wire */
	struct rte_mbuf *m;
};

static int
o2w_cmp(const void *a, const void *b)
{
	const struct o2w_pkt *x = a, *y = b;

	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/*
 * Issue 17: one outbound SA shared by two workers, a flow on each. Every
 * sequence number is used once, the SA's counters are the sum of both
 * workers', and within each flow the sequence numbers rise in the order
 * the packets leave (a flow stays on its worker), so the peer's window
 * never sees a flow's packet after a later one of the same flow.
 */
static void
test_outbound_2w(void)
{
	static struct rte_mbuf *got[2 * O2W_N + 64];
	static struct o2w_pkt pk[2 * O2W_N + 64];
	struct dp_sa_counters c0, c1;
	const struct rte_ipv4_hdr *ip;
	const struct rte_udp_hdr *udp;
	uint64_t last[2] = { 0, 0 }, hi = 0;
	unsigned int i, n, q, bad_order = 0, dup = 0, flow_n[2] = { 0, 0 };
	struct frame f;
	uint32_t seq;

	dp_sa_counters_read(sa_out, &c0);
	mk_udp(&f, P_IN, HOST_ADDR, IP4(10, 2, 99, 1), 64, false, 9, 8);
	inject_q(P_IN, 0, &f);
	inject_q(P_IN, 1, &f);
	rte_delay_us_sleep(200);
	for (i = 0; i < O2W_N; i++)
		for (q = 0; q < 2; q++) {
			mk_udp(&f, P_IN, HOST_ADDR, REMOTE_HOST, 64, false,
			       (uint16_t)(7000 + q), 100);
			inject_q(P_IN, q, &f);
		}
	n = collect(P_OUT, got, RTE_DIM(got), 2 * O2W_N + 2);
	for (i = 0, q = 0; i < n; i++) {
		ip = rte_pktmbuf_mtod_offset(got[i],
					     const struct rte_ipv4_hdr *,
					     RTE_ETHER_HDR_LEN);
		if (ip->next_proto_id != IPPROTO_ESP) {
			rte_pktmbuf_free(got[i]); /* the bypassed wake-ups */
			continue;
		}
		memcpy(&seq, (const uint8_t *)(ip + 1) + 4, 4);
		pk[q].seq = rte_be_to_cpu_32(seq);
		pk[q].pos = i;
		pk[q++].m = got[i];
	}
	CHECK(q == 2 * O2W_N, "ESP packets %u, sent %u", q, 2 * O2W_N);
	/* The peer decrypts in sequence order (its window is 64). */
	qsort(pk, q, sizeof(pk[0]), o2w_cmp);
	for (i = 0; i < q; i++) {
		if (i > 0 && pk[i].seq == pk[i - 1].seq)
			dup++;
		if (pk[i].seq > hi)
			hi = pk[i].seq;
		pk[i].m = peer_decrypt(pk[i].m);
	}
	CHECK(dup == 0, "%u sequence numbers used twice", dup);
	/* Back to wire order: per flow the numbers must rise. */
	for (i = 0; i < q; i++) {
		unsigned int k, best = UINT32_MAX, fl;

		for (k = 0; k < q; k++)
			if (pk[k].m != NULL && (best == UINT32_MAX ||
						pk[k].pos < pk[best].pos))
				best = k;
		if (best == UINT32_MAX)
			break;
		ip = rte_pktmbuf_mtod(pk[best].m, const struct rte_ipv4_hdr *);
		udp = (const struct rte_udp_hdr *)(ip + 1);
		fl = rte_be_to_cpu_16(udp->dst_port) - 7000u;
		if (fl < 2) {
			if (pk[best].seq <= last[fl])
				bad_order++;
			last[fl] = pk[best].seq;
			flow_n[fl]++;
		}
		rte_pktmbuf_free(pk[best].m);
		pk[best].m = NULL;
	}
	CHECK(flow_n[0] == O2W_N && flow_n[1] == O2W_N,
	      "decrypted per flow %u, %u of %u", flow_n[0], flow_n[1], O2W_N);
	CHECK(bad_order == 0, "%u packets behind a later one of their flow",
	      bad_order);
	dp_sa_counters_read(sa_out, &c1);
	CHECK(c1.pkts_encaps - c0.pkts_encaps == 2 * O2W_N,
	      "SA encaps +%" PRIu64 ", want %u",
	      c1.pkts_encaps - c0.pkts_encaps, 2 * O2W_N);
	CHECK(c1.seq == hi, "SA seq %" PRIu64 ", highest sent %" PRIu64,
	      c1.seq, hi);
	expect_quiet("outbound 2w");
}

int
main(int argc, char **argv)
{
	static char lcores[] = "--lcores", lcore_map[] = "0@0,1@0,2@1";
	char *eal[] = {
		argv[0], EAL_ARG("--no-pci"), EAL_ARG("--no-huge"),
		EAL_ARG("-m"), EAL_ARG("512"),
		EAL_ARG("--file-prefix"), EAL_ARG("tw-test-fp"),
		EAL_ARG("-l"), EAL_ARG("0,1"),
		EAL_ARG("--vdev"), EAL_ARG("crypto_aesni_mb0"),
		EAL_ARG("--log-level"), EAL_ARG("lib.eal:warning"),
	};
	struct dp_drop_counters d;
	unsigned int r;
	uint64_t total = 0;

	/*
	 * "2": two workers, lcore 1 on CPU 0 (with the test's, which mostly
	 * sleeps) and lcore 2 on CPU 1, so they really run at once; idle,
	 * they sleep.
	 */
	if (argc > 1 && strcmp(argv[1], "2") == 0) {
		n_workers = 2;
		eal[7] = lcores;
		eal[8] = lcore_map;
	}
	if (rte_eal_init(RTE_DIM(eal), eal) < 0) {
		fprintf(stderr, "EAL init failed\n");
		return 1;
	}
	if (setup() != 0) {
		fprintf(stderr, "setup failed\n");
		dp_fini();
		rte_eal_cleanup();
		return 1;
	}
	test_arp_punted();
	test_local_punted();
	test_bypass();
	test_protect();
	test_inbound();
	test_drops();
	test_neigh_punted();
	test_ttl_exceeded();
	test_too_big();
	test_fragment();
	test_natt();
	test_inner_checks();
	test_tfc_trimmed();
	test_inner_to_us();
	test_inner_ttl();
	test_tunnel_answers();
	test_tos_encap();
	test_ecn_decap();
	test_esp_trailers();
	test_ctl_tx();
	test_commit_under_traffic();
	test_rebind();
	test_acquire();
	if (n_workers == 2) {
		test_replay_2w();
		test_outbound_2w();
	}

	dp_drops_read(&d);
	for (r = 0; r < DP_DROP_MAX; r++) {
		total += d.count[r];
		CHECK(strcmp(dp_drop_reason_name((enum dp_drop_reason)r),
			     "unknown") != 0, "drop reason %u has no name", r);
	}
	CHECK(d.count[DP_DROP_TX_FULL] == 0 && d.count[DP_DROP_PUNT_FULL] == 0,
	      "ring drops");
	dp_drops_clear();
	dp_drops_read(&d);
	CHECK(d.count[DP_DROP_NO_SA] == 0 && d.count[DP_DROP_NO_OUT_SA] == 0,
	      "clear did not reset");
	{
		struct dp_acquire_counters a;

		dp_acquire_read(&a);
		CHECK(a.raised == 0 && a.suppressed == 0 && a.ring_full == 0,
		      "clear did not reset the ACQUIRE counters");
	}

	dp_stop();
	CHECK(rte_mempool_avail_count(dp_pktmbuf_pool()) ==
	      dp_pktmbuf_pool()->size, "mbuf leak: %u of %u available",
	      rte_mempool_avail_count(dp_pktmbuf_pool()),
	      dp_pktmbuf_pool()->size);
	dp_sa_destroy(sa_out);
	dp_sa_destroy(sa_in);
	dp_sa_destroy(peer_out);
	dp_sa_destroy(peer_in);
	dp_sa_destroy(sa_out_udp);
	dp_sa_destroy(sa_in_udp);
	dp_sa_destroy(peer_out_udp);
	dp_sa_destroy(peer_in_udp);
	dp_fini();
	dp_fini();      /* idempotent */
	rte_eal_cleanup();
	printf("test_fastpath (%u worker%s): %u checks, %u failed (%" PRIu64 " drops seen)\n",
	       n_workers, n_workers > 1 ? "s" : "", n_checks, n_failed, total);
	return n_failed == 0 ? 0 : 1;
}
