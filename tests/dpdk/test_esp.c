/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ESP engine tests (dp_crypto, dp_sa) on a software cryptodev: for every
 * algorithm, both crypto modes, with and without UDP encapsulation and ESN,
 * an outbound SA and the matching inbound SA round trip packets; plus the
 * sequence number seed, replay, tampering, selectors, counters, the burst
 * contract, an RFC 4106 / AES-CBC known answer computed independently
 * with OpenSSL, and the IVs of thousands of identical packets (RFC 3602
 * 2.4, issue 14: test_iv_unique()).
 */

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_hexdump.h>
#include <rte_ip.h>
#include <rte_esp.h>
#include <rte_mbuf.h>
#include <rte_udp.h>

#include "dp_crypto.h"
#include "dp_drop.h"
#include "dp_sa.h"
#include "esp_ref.h"
#include "tw_compiler.h"

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

#define LOCAL_ADDR RTE_IPV4(192, 0, 2, 1)
#define REMOTE_ADDR RTE_IPV4(198, 51, 100, 1)
#define MAXPKT 2048

struct algo {
	const char *name;
	enum conf_cipher cipher;
	enum conf_integ integ;
	uint8_t klen, alen;
};

static const struct algo algos[] = {
	{ "aes-gcm-128", CONF_CIPHER_AES_GCM_128, CONF_INTEG_NONE, 20, 0 },
	{ "aes-gcm-256", CONF_CIPHER_AES_GCM_256, CONF_INTEG_NONE, 36, 0 },
	{ "aes-cbc-128/sha1-96", CONF_CIPHER_AES_CBC_128, CONF_INTEG_SHA1_96,
	  16, 20 },
	{ "aes-cbc-128/sha256-128", CONF_CIPHER_AES_CBC_128,
	  CONF_INTEG_SHA256_128, 16, 32 },
	{ "aes-cbc-256/sha1-96", CONF_CIPHER_AES_CBC_256, CONF_INTEG_SHA1_96,
	  32, 20 },
	{ "aes-cbc-256/sha256-128", CONF_CIPHER_AES_CBC_256,
	  CONF_INTEG_SHA256_128, 32, 32 },
};

static struct rte_mempool *pool;
static uint8_t ckey[64], akey[64];

struct pkt {
	uint8_t b[MAXPKT];
	uint32_t len;
};

static void
fill_params(struct dp_sa_params *p, const struct algo *a, bool inbound,
	    bool udp, bool esn, uint64_t seq)
{
	memset(p, 0, sizeof(*p));
	p->spi = inbound ? 0x1001 : 0x2002;
	p->inbound = inbound;
	p->cipher = a->cipher;
	p->integ = a->integ;
	p->cipher_key = ckey;
	p->cipher_key_len = a->klen;
	p->auth_key = a->alen ? akey : NULL;
	p->auth_key_len = a->alen;
	/* The inbound SA is the peer's view: endpoints swapped. */
	p->local_addr = inbound ? REMOTE_ADDR : LOCAL_ADDR;
	p->remote_addr = inbound ? LOCAL_ADDR : REMOTE_ADDR;
	p->udp_encap = udp;
	p->udp_local_port = inbound ? 4500 : 4501;
	p->udp_remote_port = inbound ? 4501 : 4500;
	p->replay_window = 64;
	p->esn = esn;
	p->seq = seq;
	p->id = 7;
	/* 10.1.0.0/16 -> 10.2.0.0/16, any protocol; UDP to 53 from 10.9/16 */
	p->sel[0] = (struct dp_selector){
		.src_addr = RTE_IPV4(10, 1, 0, 0), .src_len = 16,
		.dst_addr = RTE_IPV4(10, 2, 0, 0), .dst_len = 16,
		.sport_lo = 0, .sport_hi = 65535,
		.dport_lo = 0, .dport_hi = 65535,
	};
	p->sel[1] = (struct dp_selector){
		.src_addr = RTE_IPV4(10, 9, 0, 0), .src_len = 16,
		.dst_addr = RTE_IPV4(10, 2, 0, 0), .dst_len = 16,
		.proto = IPPROTO_UDP,
		.sport_lo = 0, .sport_hi = 65535,
		.dport_lo = 53, .dport_hi = 53,
	};
	p->n_sel = 2;
}

/* An inner IPv4/UDP packet, data at the IP header, l3_len set. */
static struct rte_mbuf *
make_inner(uint32_t src, uint32_t dst, uint16_t dport, uint16_t payload,
	   bool df, uint8_t tag)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool);
	struct rte_ipv4_hdr *ip;
	struct rte_udp_hdr *udp;
	uint8_t *d;
	uint16_t i, len = sizeof(*ip) + sizeof(*udp) + payload;

	if (m == NULL)
		return NULL;
	ip = (struct rte_ipv4_hdr *)rte_pktmbuf_append(m, len);
	if (ip == NULL) {
		rte_pktmbuf_free(m);
		return NULL;
	}
	memset(ip, 0, sizeof(*ip));
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->total_length = rte_cpu_to_be_16(len);
	ip->packet_id = rte_cpu_to_be_16(tag);
	ip->fragment_offset = df ? RTE_BE16(RTE_IPV4_HDR_DF_FLAG) : 0;
	ip->time_to_live = 63;
	ip->next_proto_id = IPPROTO_UDP;
	ip->src_addr = rte_cpu_to_be_32(src);
	ip->dst_addr = rte_cpu_to_be_32(dst);
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	udp = (struct rte_udp_hdr *)(ip + 1);
	udp->src_port = RTE_BE16(1234);
	udp->dst_port = rte_cpu_to_be_16(dport);
	udp->dgram_len = rte_cpu_to_be_16(sizeof(*udp) + payload);
	udp->dgram_cksum = 0;
	d = (uint8_t *)(udp + 1);
	for (i = 0; i < payload; i++)
		d[i] = (uint8_t)(tag * 31 + i);
	m->l2_len = 0;
	m->l3_len = sizeof(*ip);
	return m;
}

static void
save(const struct rte_mbuf *m, struct pkt *p)
{
	const void *d;

	p->len = rte_pktmbuf_pkt_len(m);
	d = rte_pktmbuf_read(m, 0, p->len, p->b);
	if (d != p->b)
		memcpy(p->b, d, p->len);
}

static struct rte_mbuf *
load(const struct pkt *p, uint16_t l3_len)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool);

	uint8_t *d;

	if (m == NULL)
		return NULL;
	d = (uint8_t *)rte_pktmbuf_append(m, (uint16_t)p->len);
	if (d == NULL) {
		rte_pktmbuf_free(m);
		return NULL;
	}
	memcpy(d, p->b, p->len);
	m->l2_len = 0;
	m->l3_len = l3_len;
	return m;
}

static bool
same(const struct rte_mbuf *m, const struct pkt *p)
{
	uint8_t buf[MAXPKT];

	if (rte_pktmbuf_pkt_len(m) != p->len)
		return false;
	return memcmp(rte_pktmbuf_read(m, 0, p->len, buf), p->b, p->len) == 0;
}

static void
free_all(struct rte_mbuf *m[], unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		rte_pktmbuf_free(m[i]);
}

static uint64_t
drops_total(const struct dp_drop_counters *d)
{
	uint64_t t = 0;
	unsigned int i;

	for (i = 0; i < DP_DROP_MAX; i++)
		t += d->count[i];
	return t;
}

/* The outer header librte_ipsec + dp_sa built. */
static void
check_outer(const struct rte_mbuf *m, bool udp, bool df, uint32_t want_seq,
	    const char *what)
{
	const struct rte_ipv4_hdr *ip =
		rte_pktmbuf_mtod(m, const struct rte_ipv4_hdr *);
	const struct rte_udp_hdr *uh = (const struct rte_udp_hdr *)(ip + 1);
	const struct rte_esp_hdr *esp = (const struct rte_esp_hdr *)
		((const uint8_t *)(ip + 1) + (udp ? sizeof(*uh) : 0));

	CHECK(ip->version_ihl == RTE_IPV4_VHL_DEF, "%s", what);
	CHECK(ip->time_to_live == 64, "%s ttl %u", what, ip->time_to_live);
	CHECK(ip->next_proto_id == (udp ? IPPROTO_UDP : IPPROTO_ESP),
	      "%s proto %u", what, ip->next_proto_id);
	CHECK(rte_be_to_cpu_32(ip->src_addr) == LOCAL_ADDR, "%s src", what);
	CHECK(rte_be_to_cpu_32(ip->dst_addr) == REMOTE_ADDR, "%s dst", what);
	CHECK(rte_be_to_cpu_16(ip->total_length) == m->pkt_len,
	      "%s total length %u vs %u", what,
	      rte_be_to_cpu_16(ip->total_length), m->pkt_len);
	CHECK(rte_ipv4_cksum(ip) == 0 || ip->hdr_checksum == 0xffff ||
	      rte_raw_cksum(ip, sizeof(*ip)) == 0xffff,
	      "%s ip checksum", what);
	CHECK(((ip->fragment_offset & RTE_BE16(RTE_IPV4_HDR_DF_FLAG)) != 0) ==
	      df, "%s DF copy", what);
	CHECK(m->l2_len == 0 && m->l3_len == 20, "%s l2/l3 %u/%u", what,
	      m->l2_len, m->l3_len);
	if (udp) {
		CHECK(uh->src_port == RTE_BE16(4501) &&
		      uh->dst_port == RTE_BE16(4500), "%s udp ports %u %u",
		      what, rte_be_to_cpu_16(uh->src_port),
		      rte_be_to_cpu_16(uh->dst_port));
		CHECK(rte_be_to_cpu_16(uh->dgram_len) == m->pkt_len - 20,
		      "%s udp length", what);
		CHECK(uh->dgram_cksum == 0, "%s udp checksum", what);
	}
	CHECK(esp->spi == RTE_BE32(0x1001), "%s spi", what);
	CHECK(rte_be_to_cpu_32(esp->seq) == want_seq, "%s seq %u want %u", what,
	      rte_be_to_cpu_32(esp->seq), want_seq);
}

/* Encrypt n inner packets with out; saves plaintexts and ciphertexts. */
static unsigned int
encrypt(struct dp_sa *out, struct rte_mbuf *m[], unsigned int n,
	struct pkt plain[], struct pkt cipher[], struct dp_drop_counters *d)
{
	unsigned int i, g;

	for (i = 0; i < n; i++)
		save(m[i], &plain[i]);
	g = dp_sa_process(out, 0, m, (uint16_t)n, d);
	for (i = 0; i < g; i++)
		save(m[i], &cipher[i]);
	return g;
}

static void
test_round_trip(struct dp_crypto *c, const struct algo *a, bool udp, bool esn)
{
	struct dp_sa_params po, pi;
	struct dp_sa *out = NULL, *in = NULL;
	struct dp_drop_counters d;
	struct dp_sa_counters co, ci;
	struct rte_mbuf *m[8];
	struct pkt plain[8], cipher[8];
	static const uint16_t sizes[5] = { 0, 1, 15, 100, 1400 };
	uint16_t l3 = udp ? 28 : 20;
	char err[256], what[128];
	unsigned int i, g;
	uint64_t seed = esn ? UINT64_C(0xfffffffd) : 1000;
	int rc;

	snprintf(what, sizeof(what), "%s %s%s%s", a->name,
		 c->mode == CONF_CRYPTO_CPU ? "cpu-crypto" : "lookaside",
		 udp ? " udp-encap" : "", esn ? " esn" : "");
	memset(&d, 0, sizeof(d));
	fill_params(&po, a, false, udp, esn, seed);
	po.spi = 0x1001;
	fill_params(&pi, a, true, udp, esn, seed);
	rc = dp_sa_create(c, 1, &po, &out, err, sizeof(err));
	CHECK(rc == 0, "%s: outbound create: %s", what, err);
	rc = dp_sa_create(c, 1, &pi, &in, err, sizeof(err));
	CHECK(rc == 0, "%s: inbound create: %s", what, err);
	if (out == NULL || in == NULL)
		goto done;

	/* Outbound: first packet gets seed + 1, DF copied. */
	for (i = 0; i < 5; i++)
		m[i] = make_inner(RTE_IPV4(10, 1, 0, 1), RTE_IPV4(10, 2, 0, 9),
				  7, sizes[i], i % 2 == 0, (uint8_t)i);
	g = encrypt(out, m, 5, plain, cipher, &d);
	CHECK(g == 5, "%s: encrypted %u", what, g);
	for (i = 0; i < g; i++) {
		char w2[160];

		snprintf(w2, sizeof(w2), "%s pkt %u", what, i);
		check_outer(m[i], udp, i % 2 == 0, (uint32_t)(seed + 1 + i),
			    w2);
		CHECK(m[i]->pkt_len <= plain[i].len + dp_sa_overhead(out),
		      "%s: overhead %u > %u", w2, m[i]->pkt_len - plain[i].len,
		      dp_sa_overhead(out));
		m[i]->l2_len = 0;
		m[i]->l3_len = l3;
	}

	/* Inbound: back to the very same inner packets. */
	g = dp_sa_process(in, 0, m, 5, &d);
	CHECK(g == 5, "%s: decrypted %u (drops %" PRIu64 " icv %" PRIu64
	      " replay %" PRIu64 " crypto %" PRIu64 ")", what, g,
	      drops_total(&d), d.count[DP_DROP_ICV], d.count[DP_DROP_REPLAY],
	      d.count[DP_DROP_CRYPTO]);
	for (i = 0; i < g; i++) {
		CHECK(same(m[i], &plain[i]), "%s: pkt %u differs", what, i);
		if (getenv("ESP_DEBUG") != NULL && !same(m[i], &plain[i])) {
			rte_hexdump(stderr, "got", rte_pktmbuf_mtod(m[i], void *), m[i]->data_len);
			rte_hexdump(stderr, "want", plain[i].b, plain[i].len);
			exit(1);
		}
		CHECK(m[i]->l2_len == 0 && m[i]->l3_len == 20,
		      "%s: inner l3_len %u", what, m[i]->l3_len);
	}
	free_all(m, 5);
	CHECK(drops_total(&d) == 0, "%s: drops", what);

	dp_sa_counters_read(out, &co);
	dp_sa_counters_read(in, &ci);
	CHECK(co.pkts_encaps == 5 && co.pkts_encrypt == 5 &&
	      co.pkts_digest == 5 && co.pkts_decaps == 0,
	      "%s: out counters %" PRIu64, what, co.pkts_encaps);
	CHECK(ci.pkts_decaps == 5 && ci.pkts_decrypt == 5 &&
	      ci.pkts_verify == 5 && ci.pkts_encaps == 0,
	      "%s: in counters %" PRIu64, what, ci.pkts_decaps);
	CHECK(co.seq == seed + 5, "%s: out seq %" PRIu64, what, co.seq);
	CHECK(ci.seq == seed + 5, "%s: in seq %" PRIu64, what, ci.seq);
	CHECK(co.bytes == ci.bytes && co.bytes != 0, "%s: bytes", what);

	/* Replay of packet 2: dropped, counted, left at the tail. */
	m[0] = load(&cipher[2], l3);
	g = dp_sa_process(in, 0, m, 1, &d);
	CHECK(g == 0 && d.count[DP_DROP_REPLAY] == 1, "%s: replay g=%u r=%"
	      PRIu64 " icv=%" PRIu64, what, g, d.count[DP_DROP_REPLAY],
	      d.count[DP_DROP_ICV]);
	free_all(m, 1);

	/* Mixed burst: good, replay, tampered, policy, good. */
	m[0] = make_inner(RTE_IPV4(10, 1, 0, 1), RTE_IPV4(10, 2, 0, 9), 7, 50,
			  false, 10);
	m[1] = make_inner(RTE_IPV4(10, 1, 0, 1), RTE_IPV4(10, 2, 0, 9), 7, 60,
			  false, 11);
	m[2] = make_inner(RTE_IPV4(172, 16, 0, 1), RTE_IPV4(10, 2, 0, 9), 7,
			  60, false, 12);
	m[3] = make_inner(RTE_IPV4(10, 9, 3, 3), RTE_IPV4(10, 2, 0, 9), 53,
			  20, false, 13);
	m[4] = make_inner(RTE_IPV4(10, 9, 3, 3), RTE_IPV4(10, 2, 0, 9), 54,
			  20, false, 14);
	g = encrypt(out, m, 5, plain, cipher, &d);
	CHECK(g == 5, "%s: encrypted %u", what, g);
	free_all(m, g);
	{
		struct rte_mbuf *t;
		uint32_t off;

		m[0] = load(&cipher[0], l3);      /* good */
		m[1] = load(&cipher[0], l3);      /* replay within the burst */
		m[2] = load(&cipher[1], l3);      /* tampered */
		t = m[2];
		off = l3 + 8 + (a->integ == CONF_INTEG_NONE ? 8 : 16) + 5;
		*rte_pktmbuf_mtod_offset(t, uint8_t *, off) ^= 0x40;
		m[3] = load(&cipher[2], l3);      /* outside the selectors */
		m[4] = load(&cipher[3], l3);      /* good: 10.9/16 to UDP 53 */
		m[5] = load(&cipher[4], l3);      /* UDP 54: policy */
		memset(&d, 0, sizeof(d));
		g = dp_sa_process(in, 0, m, 6, &d);
		CHECK(g == 2, "%s: mixed burst good %u", what, g);
		if (g == 2) {
			CHECK(same(m[0], &plain[0]), "%s: mixed 0", what);
			CHECK(same(m[1], &plain[3]), "%s: mixed 1", what);
		}
		CHECK(d.count[DP_DROP_REPLAY] == 1, "%s: mixed replay %" PRIu64,
		      what, d.count[DP_DROP_REPLAY]);
		CHECK(d.count[DP_DROP_ICV] == 1, "%s: mixed icv %" PRIu64,
		      what, d.count[DP_DROP_ICV]);
		CHECK(d.count[DP_DROP_POLICY] == 2, "%s: mixed policy %" PRIu64,
		      what, d.count[DP_DROP_POLICY]);
		CHECK(drops_total(&d) == 4, "%s: mixed total", what);
		free_all(m, 6);
	}
	dp_sa_counters_read(in, &ci);
	CHECK(ci.pkts_decaps == 7 && ci.replay_fails == 2 &&
	      ci.auth_fails == 1 && ci.policy_fails == 2 &&
	      ci.recv_errors == 5,
	      "%s: in counters decaps %" PRIu64 " replay %" PRIu64
	      " auth %" PRIu64 " policy %" PRIu64 " errors %" PRIu64, what,
	      ci.pkts_decaps, ci.replay_fails, ci.auth_fails, ci.policy_fails,
	      ci.recv_errors);
	dp_sa_counters_clear(in);
	dp_sa_counters_read(in, &ci);
	CHECK(ci.pkts_decaps == 0 && ci.recv_errors == 0 &&
	      ci.replay_fails == 0 && ci.seq == seed + 10,
	      "%s: cleared, seq %" PRIu64, what, ci.seq);
done:
	dp_sa_destroy(out);
	dp_sa_destroy(in);
}

/*
 * Sequence number seeding, as the HA takeover uses it: an inbound SA seeded
 * with 1000 (window 64) refuses 900 (outside the window) and 1000 (at the
 * seed) as replays and takes 1001.
 */
static void
test_seed(struct dp_crypto *c, const struct algo *a)
{
	struct dp_sa_params po, pi;
	struct dp_sa *out, *in;
	struct dp_drop_counters d;
	struct rte_mbuf *m[1];
	static const struct {
		uint64_t out_seed;
		bool ok;
	} cases[] = { { 899, false }, { 999, false }, { 990, false },
		      { 1000, true }, { 1100, true }, { 1050, true },
		      { 1050, false } };
	char err[256];
	unsigned int i, g;
	int rc;

	fill_params(&pi, a, true, false, false, 1000);
	rc = dp_sa_create(c, 1, &pi, &in, err, sizeof(err));
	CHECK(rc == 0, "seed: %s", err);
	if (rc != 0)
		return;
	for (i = 0; i < RTE_DIM(cases); i++) {
		memset(&d, 0, sizeof(d));
		fill_params(&po, a, false, false, false, cases[i].out_seed);
		po.spi = 0x1001;
		rc = dp_sa_create(c, 1, &po, &out, err, sizeof(err));
		CHECK(rc == 0, "seed: %s", err);
		if (rc != 0)
			continue;
		m[0] = make_inner(RTE_IPV4(10, 1, 0, 1), RTE_IPV4(10, 2, 0, 1),
				  9, 32, false, 1);
		g = dp_sa_process(out, 0, m, 1, &d);
		CHECK(g == 1, "seed: encrypt");
		check_outer(m[0], false, false, (uint32_t)cases[i].out_seed + 1,
			    "seed");
		m[0]->l3_len = 20;
		g = dp_sa_process(in, 0, m, 1, &d);
		CHECK(g == (cases[i].ok ? 1u : 0u),
		      "%s seq %" PRIu64 ": %s", a->name,
		      cases[i].out_seed + 1, g ? "accepted" : "refused");
		if (!cases[i].ok)
			CHECK(d.count[DP_DROP_REPLAY] == 1,
			      "seq %" PRIu64 " counted as replay",
			      cases[i].out_seed + 1);
		rte_pktmbuf_free(m[0]);
		dp_sa_destroy(out);
	}
	dp_sa_destroy(in);
}

/* More packets than one chunk, one tampered in the middle. */
static void
test_big_burst(struct dp_crypto *c, const struct algo *a)
{
	struct dp_sa_params po, pi;
	struct dp_sa *out, *in;
	struct dp_drop_counters d;
	struct rte_mbuf *m[200];
	static struct pkt plain[200];
	unsigned int i, g;
	char err[256];
	int rc;

	fill_params(&po, a, false, false, false, 0);
	po.spi = 0x1001;
	fill_params(&pi, a, true, false, false, 0);
	pi.replay_window = 1024;
	rc = dp_sa_create(c, 1, &po, &out, err, sizeof(err));
	CHECK(rc == 0, "burst: %s", err);
	rc = dp_sa_create(c, 1, &pi, &in, err, sizeof(err));
	CHECK(rc == 0, "burst: %s", err);
	memset(&d, 0, sizeof(d));
	for (i = 0; i < 200; i++) {
		m[i] = make_inner(RTE_IPV4(10, 1, 0, 1), RTE_IPV4(10, 2, 0, 1),
				  9, (uint16_t)(i * 7 % 300), false, (uint8_t)i);
		save(m[i], &plain[i]);
	}
	g = dp_sa_process(out, 0, m, 200, &d);
	CHECK(g == 200, "burst: encrypted %u", g);
	for (i = 0; i < 200; i++)
		m[i]->l3_len = 20;
	*rte_pktmbuf_mtod_offset(m[70], uint8_t *, 40) ^= 1;
	*rte_pktmbuf_mtod_offset(m[150], uint8_t *, 40) ^= 1;
	g = dp_sa_process(in, 0, m, 200, &d);
	CHECK(g == 198 && d.count[DP_DROP_ICV] == 2, "burst: good %u", g);
	for (i = 0; i < 198; i++) {
		unsigned int j = i < 70 ? i : i < 149 ? i + 1 : i + 2;

		CHECK(same(m[i], &plain[j]), "burst: order at %u", i);
	}
	free_all(m, 200);
	dp_sa_destroy(out);
	dp_sa_destroy(in);
}

/*
 * Two workers (RTE_IPSEC_SAFLAG_SQN_ATOM, lookaside queue pair per worker):
 * outbound numbers stay unique across workers, counters sum over them.
 */
static void
test_two_workers(struct dp_crypto *c, const struct algo *a)
{
	struct dp_sa_params po, pi;
	struct dp_sa *out, *in;
	struct dp_drop_counters d[2];
	struct dp_sa_counters co, ci;
	struct rte_mbuf *m[4];
	struct pkt plain[4], cipher[4];
	unsigned int i, w, g;
	char err[256];
	int rc;

	fill_params(&po, a, false, false, false, 0);
	po.spi = 0x1001;
	fill_params(&pi, a, true, false, false, 0);
	rc = dp_sa_create(c, 2, &po, &out, err, sizeof(err));
	CHECK(rc == 0, "2w: %s", err);
	rc = dp_sa_create(c, 2, &pi, &in, err, sizeof(err));
	CHECK(rc == 0, "2w: %s", err);
	if (out == NULL || in == NULL)
		return;
	memset(d, 0, sizeof(d));
	for (w = 0; w < 2; w++) {
		for (i = 0; i < 4; i++)
			m[i] = make_inner(RTE_IPV4(10, 1, 0, 1),
					  RTE_IPV4(10, 2, 0, 1), 9, 40,
					  false, (uint8_t)i);
		for (i = 0; i < 4; i++)
			save(m[i], &plain[i]);
		g = dp_sa_process(out, w, m, 4, &d[w]);
		CHECK(g == 4, "2w: encrypt on worker %u", w);
		for (i = 0; i < g; i++) {
			check_outer(m[i], false, false, w * 4 + i + 1, "2w");
			save(m[i], &cipher[i]);
			m[i]->l3_len = 20;
		}
		g = dp_sa_process(in, w, m, 4, &d[w]);
		CHECK(g == 4, "2w: decrypt on worker %u", w);
		for (i = 0; i < g; i++)
			CHECK(same(m[i], &plain[i]), "2w: plaintext %u", i);
		free_all(m, 4);
	}
	dp_sa_counters_read(out, &co);
	dp_sa_counters_read(in, &ci);
	CHECK(co.pkts_encaps == 8 && co.seq == 8, "2w: out %" PRIu64
	      " seq %" PRIu64, co.pkts_encaps, co.seq);
	CHECK(ci.pkts_decaps == 8 && ci.seq == 8, "2w: in %" PRIu64
	      " seq %" PRIu64, ci.pkts_decaps, ci.seq);
	CHECK(drops_total(&d[0]) + drops_total(&d[1]) == 0, "2w: drops");
	dp_sa_destroy(out);
	dp_sa_destroy(in);
}

/*
 * Encrypt n packets with out (worker w) and decrypt them with in; the
 * count of both that came through.
 */
static unsigned int
pass_through(struct dp_sa *out, struct dp_sa *in, unsigned int w,
	     unsigned int n, struct dp_drop_counters *d)
{
	struct rte_mbuf *m[16];
	unsigned int i, g, h;

	for (i = 0; i < n; i++)
		m[i] = make_inner(RTE_IPV4(10, 1, 0, 1), RTE_IPV4(10, 2, 0, 1),
				  9, 40, false, (uint8_t)i);
	g = dp_sa_process(out, w, m, (uint16_t)n, d);
	for (i = 0; i < g; i++)
		m[i]->l3_len = 20;
	h = dp_sa_process(in, w, m, (uint16_t)g, d);
	free_all(m, n);
	return g == n ? h : 0;
}

/*
 * The progress word (dp_sa_params.progress): the low 32 bits of seq,
 * stored when seq crosses a multiple of the grain, and only then; per
 * worker; across the 2^32 boundary with ESN; a grain that cannot be is
 * refused.
 */
static void
test_progress(struct dp_crypto *c, const struct algo *a)
{
	struct dp_sa_params po, pi;
	struct dp_sa *out = NULL, *in = NULL;
	struct dp_drop_counters d;
	struct rte_mbuf *m[1];
	uint32_t wo = 0xdead, wi = 0xbeef;
	unsigned int g;
	char err[256];
	int rc;

	memset(&d, 0, sizeof(d));
	fill_params(&po, a, false, false, false, 1000);
	po.spi = 0x1001;
	po.progress = &wo;
	po.progress_shift = 3;
	fill_params(&pi, a, true, false, false, 1000);
	pi.progress = &wi;
	pi.progress_shift = 3;
	rc = dp_sa_create(c, 2, &po, &out, err, sizeof(err));
	CHECK(rc == 0, "progress: %s", err);
	rc = dp_sa_create(c, 2, &pi, &in, err, sizeof(err));
	CHECK(rc == 0, "progress: %s", err);
	if (out == NULL || in == NULL)
		goto done;
	CHECK(wo == 1000 && wi == 1000, "progress: seeded %u / %u", wo, wi);
	/* 1001..1007: inside 1000's grain of 8 */
	g = pass_through(out, in, 0, 7, &d);
	CHECK(g == 7 && wo == 1000 && wi == 1000,
	      "progress: 7 packets moved it (%u, %u / %u)", g, wo, wi);
	/* 1008: the next grain */
	g = pass_through(out, in, 0, 1, &d);
	CHECK(g == 1 && wo == 1008 && wi == 1008,
	      "progress: at 1008 (%u, %u / %u)", g, wo, wi);
	/* 1009..1023 in one burst: one store, the last number */
	g = pass_through(out, in, 0, 15, &d);
	CHECK(g == 15 && wo == 1023 && wi == 1023,
	      "progress: burst to 1023 (%u, %u / %u)", g, wo, wi);
	/* A replay moves nothing. */
	m[0] = make_inner(RTE_IPV4(10, 1, 0, 1), RTE_IPV4(10, 2, 0, 1), 9, 40,
			  false, 1);
	CHECK(dp_sa_process(out, 0, m, 1, &d) == 1, "progress: encrypt");
	m[0]->l3_len = 20;
	wo = 7;
	{
		struct rte_mbuf *dup = rte_pktmbuf_copy(m[0], pool, 0,
							UINT32_MAX);
		struct rte_mbuf *md[1] = { dup };

		CHECK(dp_sa_process(in, 0, m, 1, &d) == 1,
		      "progress: decrypt 1024");
		CHECK(wi == 1024, "progress: inbound at 1024: %u", wi);
		wi = 7;
		CHECK(dup != NULL && dp_sa_process(in, 0, md, 1, &d) == 0 &&
		      wi == 7, "progress: a replay stored %u", wi);
		rte_pktmbuf_free(dup);
	}
	rte_pktmbuf_free(m[0]);
	CHECK(wo == 7, "progress: no store inside a grain");
	/* Worker 1 has sent nothing: its first packet (1025) is news. */
	g = pass_through(out, in, 1, 1, &d);
	CHECK(g == 1 && wo == 1025, "progress: worker 1 (%u, %u)", g, wo);
	dp_sa_destroy(out);
	dp_sa_destroy(in);
	out = in = NULL;

	/* ESN: 0xfffffffd -> 0x1_00000002 crosses; the word is low bits. */
	fill_params(&po, a, false, false, true, UINT64_C(0xfffffffd));
	po.spi = 0x1001;
	po.progress = &wo;
	po.progress_shift = 3;
	fill_params(&pi, a, true, false, true, UINT64_C(0xfffffffd));
	pi.progress = &wi;
	pi.progress_shift = 3;
	rc = dp_sa_create(c, 1, &po, &out, err, sizeof(err));
	CHECK(rc == 0, "progress esn: %s", err);
	rc = dp_sa_create(c, 1, &pi, &in, err, sizeof(err));
	CHECK(rc == 0, "progress esn: %s", err);
	if (out == NULL || in == NULL)
		goto done;
	g = pass_through(out, in, 0, 5, &d);
	CHECK(g == 5 && wo == 2 && wi == 2, "progress esn: %u, %u / %u", g,
	      wo, wi);
	CHECK(drops_total(&d) == 1 && d.count[DP_DROP_REPLAY] == 1,
	      "progress: drops %" PRIu64, drops_total(&d));

	fill_params(&po, a, false, false, false, 0);
	po.progress_shift = 32;
	rc = dp_sa_create(c, 1, &po, &in, err, sizeof(err));
	CHECK(rc == -EINVAL && strstr(err, "grain") != NULL,
	      "progress: shift 32: %d %s", rc, err);
	in = NULL;
done:
	if (out != NULL)
		dp_sa_destroy(out);
	if (in != NULL)
		dp_sa_destroy(in);
}

/* What the caller gets wrong is refused with a message. */
static void
test_bad_params(struct dp_crypto *c)
{
	struct dp_sa_params p;
	struct dp_sa *sa;
	char err[256];
	int rc;

	fill_params(&p, &algos[0], false, false, false, 0);
	p.cipher_key_len = 16;
	rc = dp_sa_create(c, 1, &p, &sa, err, sizeof(err));
	CHECK(rc == -EINVAL && strstr(err, "salt") != NULL, "%s", err);
	fill_params(&p, &algos[2], false, false, false, 0);
	p.integ = CONF_INTEG_NONE;
	rc = dp_sa_create(c, 1, &p, &sa, err, sizeof(err));
	CHECK(rc == -EINVAL, "%s", err);
	fill_params(&p, &algos[0], false, false, false, 0);
	p.seq = UINT32_MAX;
	rc = dp_sa_create(c, 1, &p, &sa, err, sizeof(err));
	CHECK(rc == -EINVAL, "%s", err);
}

/* Independent known answer: OpenSSL computes the ESP packet we expect. */
static void
test_known_answer(struct dp_crypto *c)
{
	unsigned int i, u;
	struct dp_sa_params po;
	struct dp_sa *out;
	struct dp_drop_counters d;
	struct rte_mbuf *m[1];
	struct pkt plain, got;
	uint8_t want[MAXPKT];
	size_t wlen, h;
	char err[256];
	int rc;

	for (i = 0; i < 2 * RTE_DIM(algos); i++) {
		const struct algo *a = &algos[i / 2];

		u = i % 2;
		h = u ? 28 : 20;
		fill_params(&po, a, false, u, false, 41);
		po.spi = 0x1001;
		rc = dp_sa_create(c, 1, &po, &out, err, sizeof(err));
		CHECK(rc == 0, "kat: %s", err);
		if (rc != 0)
			continue;
		memset(&d, 0, sizeof(d));
		m[0] = make_inner(RTE_IPV4(10, 1, 0, 1), RTE_IPV4(10, 2, 0, 1),
				  9, 77, true, 5);
		save(m[0], &plain);
		CHECK(dp_sa_process(out, 0, m, 1, &d) == 1, "kat: encrypt");
		save(m[0], &got);
		/* Recompute with the IV dp_sa chose, compare byte for byte. */
		rc = esp_ref_encap(a->cipher, a->integ, ckey, a->klen, akey,
				   a->alen, 0x1001, 42, got.b + h + 8, plain.b,
				   plain.len, want, &wlen);
		CHECK(rc == 0, "kat: reference failed");
		CHECK(rc == 0 && wlen + h == got.len &&
		      memcmp(want, got.b + h, wlen) == 0,
		      "kat: %s%s differs from the OpenSSL reference", a->name,
		      u ? " udp-encap" : "");
		if (getenv("ESP_DEBUG") != NULL && (wlen + h != got.len || memcmp(want, got.b + h, wlen) != 0)) {
			rte_hexdump(stderr, "got", got.b, got.len);
			rte_hexdump(stderr, "want", want, wlen);
			exit(1);
		}
		rte_pktmbuf_free(m[0]);
		dp_sa_destroy(out);
	}
}

/*
 * RFC 3602 2.4: the IV of an AES-CBC packet MUST be chosen at random and
 * be unpredictable. The same inner packet is sent IV_RUN times, by two SAs
 * with the same key and the same sequence numbers:
 *  - every IV of both runs is distinct: an IV that is a function of the
 *    key and the sequence number repeats in the second run;
 *  - none is AES_K(0^128) (what DPDK 22.11's librte_ipsec sent in
 *    cpu-crypto mode: its sequence-number IV cancels out in CBC) nor
 *    AES_K(seq || 0^64) (an encrypted counter under the data key, which a
 *    chosen-plaintext sender can make the gateway compute in advance);
 *  - each packet is byte for byte what OpenSSL computes with that IV, so
 *    an independent implementation decrypts it.
 * AES-GCM (RFC 4106 3.1) is checked for what it must be instead: the IV is
 * the sequence number, so unique under the SA's key; one run only (a
 * second SA with the same key and numbers would reuse nonces).
 */
#define IV_RUN 4096

static int
cmp_iv(const void *x, const void *y)
{
	return memcmp(x, y, 16);
}

static void
test_iv_unique(struct dp_crypto *c, const struct algo *a)
{
	static uint8_t ivs[2 * IV_RUN][16];
	const bool gcm = a->integ == CONF_INTEG_NONE;
	const size_t h = 20, ivlen = gcm ? 8 : 16;
	const unsigned int runs = gcm ? 1 : 2;
	struct dp_sa_params po;
	struct dp_sa *out;
	struct dp_drop_counters d;
	struct rte_mbuf *m[64];
	struct pkt plain, got;
	uint8_t want[MAXPKT], blk[16], zero[16], ek0[16], ekseq[16];
	unsigned int run, base, i, g, n = 0, dups = 0;
	unsigned int bad_seq = 0, bad_k0 = 0, bad_kseq = 0, bad_ref = 0;
	uint32_t seq;
	size_t wlen;
	char err[256], what[96];
	int rc;

	snprintf(what, sizeof(what), "iv %s %s", a->name,
		 c->mode == CONF_CRYPTO_CPU ? "cpu-crypto" : "lookaside");
	memset(zero, 0, sizeof(zero));
	CHECK(esp_ref_aes_block(ckey, a->klen, zero, ek0) == 0, "%s", what);
	for (run = 0; run < runs; run++) {
		fill_params(&po, a, false, false, false, 0);
		po.spi = 0x1001;
		rc = dp_sa_create(c, 1, &po, &out, err, sizeof(err));
		CHECK(rc == 0, "%s: %s", what, err);
		if (rc != 0)
			return;
		memset(&d, 0, sizeof(d));
		for (base = 0; base < IV_RUN; base += RTE_DIM(m)) {
			for (i = 0; i < RTE_DIM(m); i++)
				m[i] = make_inner(RTE_IPV4(10, 1, 0, 1),
						  RTE_IPV4(10, 2, 0, 1), 9,
						  100, true, 5);
			save(m[0], &plain);
			g = dp_sa_process(out, 0, m, RTE_DIM(m), &d);
			CHECK(g == RTE_DIM(m), "%s: encrypted %u", what, g);
			for (i = 0; i < g; i++) {
				seq = base + i + 1;
				save(m[i], &got);
				memset(ivs[n], 0, sizeof(ivs[n]));
				memcpy(ivs[n++], got.b + h + 8, ivlen);
				if (gcm) {
					/* RFC 4106 3.1: IV = 64-bit seq. */
					memset(blk, 0, sizeof(blk));
					blk[4] = (uint8_t)(seq >> 24);
					blk[5] = (uint8_t)(seq >> 16);
					blk[6] = (uint8_t)(seq >> 8);
					blk[7] = (uint8_t)seq;
					bad_seq += memcmp(got.b + h + 8, blk,
							  8) != 0;
				} else {
					/* librte_ipsec's block: seq || 0. */
					memset(blk, 0, sizeof(blk));
					blk[4] = (uint8_t)(seq >> 24);
					blk[5] = (uint8_t)(seq >> 16);
					blk[6] = (uint8_t)(seq >> 8);
					blk[7] = (uint8_t)seq;
					if (esp_ref_aes_block(ckey, a->klen,
							      blk, ekseq) != 0)
						bad_kseq++;
					bad_k0 += memcmp(got.b + h + 8, ek0,
							 16) == 0;
					bad_kseq += memcmp(got.b + h + 8,
							   ekseq, 16) == 0;
				}
				rc = esp_ref_encap(a->cipher, a->integ, ckey,
						   a->klen, akey, a->alen,
						   0x1001, seq, got.b + h + 8,
						   plain.b, plain.len, want,
						   &wlen);
				bad_ref += rc != 0 || wlen + h != got.len ||
					memcmp(want, got.b + h, wlen) != 0;
			}
			free_all(m, RTE_DIM(m));
		}
		dp_sa_destroy(out);
	}
	qsort(ivs, n, sizeof(ivs[0]), cmp_iv);
	for (i = 1; i < n; i++)
		dups += memcmp(ivs[i - 1], ivs[i], sizeof(ivs[0])) == 0;
	CHECK(n == runs * IV_RUN, "%s: %u packets", what, n);
	CHECK(dups == 0, "%s: %u of %u IVs repeat an earlier one", what,
	      dups, n);
	CHECK(bad_seq == 0, "%s: %u GCM IVs are not the sequence number",
	      what, bad_seq);
	CHECK(bad_k0 == 0, "%s: %u IVs are AES_K(0)", what, bad_k0);
	CHECK(bad_kseq == 0, "%s: %u IVs are AES_K(seq || 0)", what,
	      bad_kseq);
	CHECK(bad_ref == 0, "%s: %u packets differ from OpenSSL's with their IV",
	      what, bad_ref);
}

/*
 * RFC 4303 2.4: the path MTU the tunnel advertises is exact for the
 * algorithm's padding. Each (algorithm, UDP) pair: the expected largest
 * inner packet at 1500 from the RFC arithmetic (outer IPv4 20 + UDP 8,
 * ESP 8, IV 8 GCM / 16 CBC, trailer padded to 4 GCM / 16 CBC, ICV 16 GCM
 * and SHA256-128, 12 SHA1-96), then the proof on real ESP packets: that
 * size encrypts to at most 1500 bytes, one byte more to more than 1500.
 */
static void
test_max_inner(struct dp_crypto *c, const struct algo *a, bool udp)
{
	struct dp_sa_params po;
	struct dp_sa *out = NULL;
	struct dp_drop_counters d;
	struct rte_mbuf *m[2];
	struct pkt plain[2], cipher[2];
	bool gcm = a->integ == CONF_INTEG_NONE;
	uint16_t want, max, hdr = udp ? 28 : 20;
	char err[256], what[128];
	unsigned int g;

	snprintf(what, sizeof(what), "%s%s max inner", a->name,
		 udp ? " udp-encap" : "");
	/* 1500 - fixed parts, rounded down to the alignment, less 2. */
	want = gcm ? (uint16_t)(RTE_ALIGN_FLOOR(1500 - hdr - 8 - 8 - 16, 4) - 2) :
		(uint16_t)(RTE_ALIGN_FLOOR(1500 - hdr - 8 - 16 -
				(a->integ == CONF_INTEG_SHA1_96 ? 12 : 16), 16) - 2);
	if (gcm)
		CHECK(want == (udp ? 1438 : 1446), "%s: arithmetic %u", what,
		      want);
	else
		CHECK(want == (udp ? 1422 : 1438), "%s: arithmetic %u", what,
		      want);
	memset(&d, 0, sizeof(d));
	fill_params(&po, a, false, udp, false, 1);
	if (dp_sa_create(c, 1, &po, &out, err, sizeof(err)) != 0) {
		CHECK(0, "%s: create: %s", what, err);
		return;
	}
	max = dp_sa_max_inner(out, 1500);
	CHECK(max == want, "%s: %u, want %u", what, max, want);
	CHECK(dp_sa_max_inner(out, 60) == 0, "%s: at MTU 60: %u", what,
	      dp_sa_max_inner(out, 60));
	m[0] = make_inner(RTE_IPV4(10, 1, 0, 1), RTE_IPV4(10, 2, 0, 9), 7,
			  (uint16_t)(want - 28), true, 1);
	m[1] = make_inner(RTE_IPV4(10, 1, 0, 1), RTE_IPV4(10, 2, 0, 9), 7,
			  (uint16_t)(want - 27), true, 2);
	g = encrypt(out, m, 2, plain, cipher, &d);
	CHECK(g == 2, "%s: encrypted %u", what, g);
	if (g == 2) {
		CHECK(cipher[0].len <= 1500 && cipher[0].len > 1500 - 16,
		      "%s: %u inner bytes make %u", what, want, cipher[0].len);
		CHECK(cipher[1].len > 1500, "%s: %u inner bytes make %u",
		      what, want + 1, cipher[1].len);
	}
	free_all(m, 2);
	dp_sa_destroy(out);
}

/* Set the TOS byte of the IPv4 header at the start of m, checksum fixed. */
static void
set_tos(struct rte_mbuf *m, uint8_t tos)
{
	struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod(m, struct rte_ipv4_hdr *);

	ip->type_of_service = tos;
	ip->hdr_checksum = 0;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
}

/*
 * DSCP and ECN through librte_ipsec in this crypto mode: the outer TOS is
 * the inner's (RFC 4301 5.1.2.1, RFC 6040 4.1), its checksum right; on
 * decapsulation an outer CE marks an ECT inner packet CE (checksum
 * updated) and drops a Not-ECT one (RFC 6040 4.2).
 */
static void
test_tos(struct dp_crypto *c, const struct algo *a, bool udp)
{
	static const uint8_t tos[3] = { 0xb8 | 2, 0x68 | 0, 0x28 | 1 };
	struct dp_sa_params po, pi;
	struct dp_sa *out = NULL, *in = NULL;
	struct dp_drop_counters d;
	struct rte_mbuf *m[3];
	struct pkt plain[3], cipher[3];
	const struct rte_ipv4_hdr *ip;
	char err[256], what[128];
	unsigned int i, g;

	snprintf(what, sizeof(what), "%s %s%s TOS", a->name,
		 c->mode == CONF_CRYPTO_CPU ? "cpu-crypto" : "lookaside",
		 udp ? " udp-encap" : "");
	memset(&d, 0, sizeof(d));
	fill_params(&po, a, false, udp, false, 1);
	po.spi = 0x1001;
	fill_params(&pi, a, true, udp, false, 1);
	if (dp_sa_create(c, 1, &po, &out, err, sizeof(err)) != 0 ||
	    dp_sa_create(c, 1, &pi, &in, err, sizeof(err)) != 0) {
		CHECK(0, "%s: create: %s", what, err);
		goto done;
	}
	for (i = 0; i < 3; i++) {
		m[i] = make_inner(RTE_IPV4(10, 1, 0, 1), RTE_IPV4(10, 2, 0, 9),
				  7, 50, false, (uint8_t)i);
		set_tos(m[i], tos[i]);
	}
	g = encrypt(out, m, 3, plain, cipher, &d);
	CHECK(g == 3, "%s: encrypted %u", what, g);
	for (i = 0; i < g; i++) {
		ip = rte_pktmbuf_mtod(m[i], const struct rte_ipv4_hdr *);
		CHECK(ip->type_of_service == tos[i] &&
		      rte_raw_cksum(ip, sizeof(*ip)) == 0xffff,
		      "%s: outer TOS %#x want %#x", what, ip->type_of_service,
		      tos[i]);
		/* A congested router on the way marks CE. */
		set_tos(m[i], (uint8_t)(tos[i] | RTE_IPV4_HDR_ECN_CE));
		m[i]->l2_len = 0;
		m[i]->l3_len = udp ? 28 : 20;
	}
	if (g != 3) {
		free_all(m, 3);
		goto done;
	}
	g = dp_sa_process(in, 0, m, 3, &d);
	/* The Not-ECT one (tos[1]) is dropped, at the tail. */
	CHECK(g == 2 && d.count[DP_DROP_ECN] == 1, "%s: %u out, %" PRIu64
	      " ECN drops", what, g, d.count[DP_DROP_ECN]);
	for (i = 0; i < g; i++) {
		ip = rte_pktmbuf_mtod(m[i], const struct rte_ipv4_hdr *);
		CHECK((ip->type_of_service == (tos[0] | 3) ||
		       ip->type_of_service == (tos[2] | 3)) &&
		      rte_raw_cksum(ip, sizeof(*ip)) == 0xffff,
		      "%s: inner TOS %#x, want CE", what,
		      ip->type_of_service);
	}
	free_all(m, 3);
done:
	dp_sa_destroy(out);
	dp_sa_destroy(in);
}

static void
run_mode(enum conf_crypto_mode mode)
{
	struct dp_crypto c;
	char err[256];
	unsigned int i;
	uint32_t want = 0;
	int rc;

	for (i = 0; i < RTE_DIM(algos); i++)
		want |= DP_CRYPTO_ALGO_CIPHER(algos[i].cipher) |
			DP_CRYPTO_ALGO_INTEG(algos[i].integ);
	rc = dp_crypto_init(&c, "auto", mode, 2, 256, want, err, sizeof(err));
	CHECK(rc == 0, "dp_crypto_init: %s", err);
	if (rc != 0)
		return;
	printf("mode %s on %s\n", mode == CONF_CRYPTO_CPU ? "cpu-crypto" :
	       "lookaside", c.name);
	for (i = 0; i < RTE_DIM(algos); i++) {
		test_round_trip(&c, &algos[i], false, false);
		test_round_trip(&c, &algos[i], true, false);
		test_round_trip(&c, &algos[i], false, true);
		test_round_trip(&c, &algos[i], true, true);
		test_seed(&c, &algos[i]);
		test_max_inner(&c, &algos[i], false);
		test_max_inner(&c, &algos[i], true);
		test_tos(&c, &algos[i], false);
		test_tos(&c, &algos[i], true);
	}
	test_big_burst(&c, &algos[0]);
	test_big_burst(&c, &algos[3]);
	test_two_workers(&c, &algos[0]);
	test_two_workers(&c, &algos[5]);
	test_progress(&c, &algos[0]);
	test_progress(&c, &algos[3]);
	test_bad_params(&c);
	test_known_answer(&c);
	for (i = 0; i < RTE_DIM(algos); i++)
		test_iv_unique(&c, &algos[i]);
	dp_crypto_fini(&c);
}

static void
test_device_choice(void)
{
	struct dp_crypto c;
	char err[256];
	int rc;

	/* aesni_gcm has no AES-CBC: the message says so. */
	rc = dp_crypto_init(&c, "crypto_aesni_gcm_t0", CONF_CRYPTO_CPU, 1, 16,
			    DP_CRYPTO_ALGO_CIPHER(CONF_CIPHER_AES_CBC_128),
			    err, sizeof(err));
	CHECK(rc == -ENOTSUP &&
	      strstr(err, "does not support aes-cbc-128") != NULL,
	      "rc %d: %s", rc, err);
	rc = dp_crypto_init(&c, "crypto_nonesuch", CONF_CRYPTO_CPU, 1, 16,
			    0, err, sizeof(err));
	CHECK(rc == -ENODEV, "rc %d: %s", rc, err);
	/* crypto_null does not do cpu-crypto. */
	rc = dp_crypto_init(&c, "crypto_null_t0", CONF_CRYPTO_CPU, 1, 16, 0,
			    err, sizeof(err));
	CHECK(rc == -ENOTSUP && strstr(err, "cpu-crypto") != NULL,
	      "rc %d: %s", rc, err);
	/* By cryptodev name. */
	rc = dp_crypto_init(&c, "crypto_aesni_mb0", CONF_CRYPTO_LOOKASIDE, 2,
			    16, DP_CRYPTO_ALGO_CIPHER(CONF_CIPHER_AES_GCM_256),
			    err, sizeof(err));
	CHECK(rc == 0 && strcmp(c.name, "crypto_aesni_mb0") == 0, "%s", err);
	if (rc == 0)
		dp_crypto_fini(&c);
}

int
main(int argc TW_UNUSED, char **argv)
{
	char *eal[] = {
		argv[0], EAL_ARG("--no-pci"), EAL_ARG("--no-huge"),
		EAL_ARG("-m"), EAL_ARG("256"),
		EAL_ARG("--file-prefix"), EAL_ARG("tw-test-esp"),
		EAL_ARG("-l"), EAL_ARG("0"),
		EAL_ARG("--vdev"), EAL_ARG("crypto_aesni_mb0"),
		EAL_ARG("--log-level"), EAL_ARG("*:warning"),
		NULL
	};
	unsigned int i;

	if (rte_eal_init((int)RTE_DIM(eal) - 1, eal) < 0) {
		fprintf(stderr, "EAL init failed\n");
		return 1;
	}
	for (i = 0; i < sizeof(ckey); i++) {
		ckey[i] = (uint8_t)(0xa0 + i);
		akey[i] = (uint8_t)(0x10 + 3 * i);
	}
	pool = rte_pktmbuf_pool_create("tw_test_mb", 1023, 0, 0,
				       RTE_MBUF_DEFAULT_BUF_SIZE,
				       (int)rte_socket_id());
	if (pool == NULL) {
		fprintf(stderr, "no mbuf pool\n");
		return 1;
	}
	test_device_choice();
	run_mode(CONF_CRYPTO_CPU);
	run_mode(CONF_CRYPTO_LOOKASIDE);
	rte_mempool_free(pool);
	rte_eal_cleanup();
	printf("%u checks, %u failed\n", n_checks, n_failed);
	return n_failed == 0 ? 0 : 1;
}
