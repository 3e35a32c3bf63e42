/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ESP tunnel mode with IPv6 (issue 18) in dp_sa on a software cryptodev:
 * IPv6 inner over IPv6 outer, IPv6 inner over IPv4 outer, IPv4 inner over
 * IPv6 outer, for a GCM and a CBC/HMAC transform and both crypto modes.
 * An outbound SA and its inbound twin round trip odd sizes; the outer
 * header (family, addresses, next header, payload length, hop limit), the
 * ESP SPI and sequence numbers are checked, then the inner selectors of
 * the family (a packet outside them dropped as policy), replay, a
 * tampered packet, the ECN field of an IPv6 outer (RFC 6040) and the
 * parameter checks (NAT-T with an IPv6 outer, a selector of the other
 * family).
 */

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_esp.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_udp.h>

#include "dp_crypto.h"
#include "dp_drop.h"
#include "dp_sa.h"
#include "tw_compiler.h"

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

#define MAXPKT 2048
#define LOCAL4 RTE_IPV4(192, 0, 2, 1)
#define REMOTE4 RTE_IPV4(198, 51, 100, 1)

/* 2001:db8:1::1 and 2001:db8:2::1: the tunnel endpoints. */
static const uint8_t local6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 1,
	[15] = 1 };
static const uint8_t remote6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 2,
	[15] = 1 };
/* Inner: 2001:db8:a::/48 -> 2001:db8:b::/48. */
static const uint8_t inner_src6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0xa,
	[15] = 5 };
static const uint8_t inner_dst6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0xb,
	[15] = 9 };
static const uint8_t stray_src6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0xc,
	[15] = 5 };

struct algo {
	const char *name;
	enum conf_cipher cipher;
	enum conf_integ integ;
	uint8_t klen, alen;
};

static const struct algo algos[] = {
	{ "aes-gcm-128", CONF_CIPHER_AES_GCM_128, CONF_INTEG_NONE, 20, 0 },
	{ "aes-cbc-256/sha256-128", CONF_CIPHER_AES_CBC_256,
	  CONF_INTEG_SHA256_128, 32, 32 },
};

/* An inner family over an outer one. */
struct combo {
	const char *name;
	uint8_t outer, inner;
};

static const struct combo combos[] = {
	{ "ipv6-in-ipv6", 6, 6 },
	{ "ipv6-in-ipv4", 4, 6 },
	{ "ipv4-in-ipv6", 6, 4 },
};

static struct rte_mempool *pool;
static uint8_t ckey[64], akey[64];

struct pkt {
	uint8_t b[MAXPKT];
	uint32_t len;
};

static void
fill_params(struct dp_sa_params *p, const struct algo *a,
	    const struct combo *k, bool inbound)
{
	memset(p, 0, sizeof(*p));
	p->spi = 0x6001;
	p->inbound = inbound;
	p->cipher = a->cipher;
	p->integ = a->integ;
	p->cipher_key = ckey;
	p->cipher_key_len = a->klen;
	p->auth_key = a->alen ? akey : NULL;
	p->auth_key_len = a->alen;
	p->replay_window = 64;
	p->seq = 41;
	p->id = 3;
	p->family = k->outer;
	p->inner_family = k->inner;
	/* The inbound SA is the peer's view: endpoints swapped. */
	if (k->outer == 6) {
		memcpy(p->local6, inbound ? remote6 : local6, 16);
		memcpy(p->remote6, inbound ? local6 : remote6, 16);
	} else {
		p->local_addr = inbound ? REMOTE4 : LOCAL4;
		p->remote_addr = inbound ? LOCAL4 : REMOTE4;
	}
	if (k->inner == 6) {
		p->sel[0] = (struct dp_selector){
			.family = 6, .src_len = 48, .dst_len = 48,
			.sport_hi = 65535, .dport_hi = 65535,
		};
		memcpy(p->sel[0].src6, inner_src6, 16);
		memcpy(p->sel[0].dst6, inner_dst6, 16);
	} else {
		p->sel[0] = (struct dp_selector){
			.src_addr = RTE_IPV4(10, 1, 0, 0), .src_len = 16,
			.dst_addr = RTE_IPV4(10, 2, 0, 0), .dst_len = 16,
			.sport_hi = 65535, .dport_hi = 65535,
		};
	}
	p->n_sel = 1;
}

/* An inner UDP packet of the family, data at the IP header. */
static struct rte_mbuf *
make_inner(uint8_t family, bool stray, uint16_t payload, uint8_t tag,
	   uint8_t ecn)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool);
	uint16_t hl = family == 6 ? sizeof(struct rte_ipv6_hdr) :
		sizeof(struct rte_ipv4_hdr);
	uint16_t i, len = hl + sizeof(struct rte_udp_hdr) + payload;
	struct rte_udp_hdr *udp;
	uint8_t *d;

	if (m == NULL)
		return NULL;
	d = (uint8_t *)rte_pktmbuf_append(m, len);
	if (d == NULL) {
		rte_pktmbuf_free(m);
		return NULL;
	}
	memset(d, 0, hl);
	if (family == 6) {
		struct rte_ipv6_hdr *ip = (struct rte_ipv6_hdr *)d;

		ip->vtc_flow = rte_cpu_to_be_32((UINT32_C(6) << 28) |
						((uint32_t)ecn << 20) |
						0x12345);
		ip->payload_len = rte_cpu_to_be_16((uint16_t)(len - hl));
		ip->proto = IPPROTO_UDP;
		ip->hop_limits = 63;
		memcpy(ip->src_addr, stray ? stray_src6 : inner_src6, 16);
		memcpy(ip->dst_addr, inner_dst6, 16);
	} else {
		struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)d;

		ip->version_ihl = RTE_IPV4_VHL_DEF;
		ip->type_of_service = ecn;
		ip->total_length = rte_cpu_to_be_16(len);
		ip->packet_id = rte_cpu_to_be_16(tag);
		ip->time_to_live = 63;
		ip->next_proto_id = IPPROTO_UDP;
		ip->src_addr = rte_cpu_to_be_32(stray ?
						RTE_IPV4(172, 16, 0, 1) :
						RTE_IPV4(10, 1, 0, 1));
		ip->dst_addr = rte_cpu_to_be_32(RTE_IPV4(10, 2, 0, 9));
		ip->hdr_checksum = rte_ipv4_cksum(ip);
	}
	udp = (struct rte_udp_hdr *)(d + hl);
	udp->src_port = RTE_BE16(1234);
	udp->dst_port = RTE_BE16(7);
	udp->dgram_len = rte_cpu_to_be_16(sizeof(*udp) + payload);
	for (i = 0; i < payload; i++)
		d[hl + sizeof(*udp) + i] = (uint8_t)(tag * 31 + i);
	m->l2_len = 0;
	m->l3_len = hl;
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

/* The outer header dp_sa built: family, endpoints, lengths, SPI, seq. */
static void
check_outer(const struct rte_mbuf *m, const struct combo *k,
	    uint32_t want_seq, const char *what)
{
	const uint8_t *d = rte_pktmbuf_mtod(m, const uint8_t *);
	const struct rte_esp_hdr *esp;

	if (k->outer == 6) {
		const struct rte_ipv6_hdr *ip = (const void *)d;

		CHECK((rte_be_to_cpu_32(ip->vtc_flow) >> 28) == 6,
		      "%s version", what);
		CHECK(ip->proto == IPPROTO_ESP, "%s next header %u", what,
		      ip->proto);
		CHECK(ip->hop_limits == 64, "%s hop limit %u", what,
		      ip->hop_limits);
		CHECK(memcmp(ip->src_addr, local6, 16) == 0, "%s src", what);
		CHECK(memcmp(ip->dst_addr, remote6, 16) == 0, "%s dst", what);
		CHECK(rte_be_to_cpu_16(ip->payload_len) + 40u == m->pkt_len,
		      "%s payload length %u, packet %u", what,
		      rte_be_to_cpu_16(ip->payload_len), m->pkt_len);
		CHECK(m->l3_len == 40, "%s l3_len %u", what, m->l3_len);
		esp = (const void *)(d + 40);
	} else {
		const struct rte_ipv4_hdr *ip = (const void *)d;

		CHECK(ip->version_ihl == RTE_IPV4_VHL_DEF, "%s version", what);
		CHECK(ip->next_proto_id == IPPROTO_ESP, "%s proto", what);
		CHECK(rte_be_to_cpu_32(ip->src_addr) == LOCAL4, "%s src",
		      what);
		CHECK(rte_be_to_cpu_32(ip->dst_addr) == REMOTE4, "%s dst",
		      what);
		CHECK(rte_be_to_cpu_16(ip->total_length) == m->pkt_len,
		      "%s total length", what);
		CHECK(rte_raw_cksum(ip, sizeof(*ip)) == 0xffff,
		      "%s checksum", what);
		/* An IPv6 inner packet is never fragmented on the way. */
		CHECK((ip->fragment_offset &
		       RTE_BE16(RTE_IPV4_HDR_DF_FLAG)) != 0, "%s DF", what);
		CHECK(m->l3_len == 20, "%s l3_len %u", what, m->l3_len);
		esp = (const void *)(d + 20);
	}
	CHECK(esp->spi == RTE_BE32(0x6001), "%s spi", what);
	CHECK(rte_be_to_cpu_32(esp->seq) == want_seq, "%s seq %u want %u",
	      what, rte_be_to_cpu_32(esp->seq), want_seq);
}

static void
test_combo(struct dp_crypto *c, const struct algo *a, const struct combo *k)
{
	static const uint16_t sizes[5] = { 0, 1, 17, 333, 1351 };
	struct dp_sa_params po, pi;
	struct dp_sa *out = NULL, *in = NULL;
	struct dp_drop_counters d;
	struct dp_sa_counters ci;
	struct rte_mbuf *m[8];
	struct pkt plain[8], cipher[8];
	uint16_t l3 = k->outer == 6 ? 40 : 20;
	uint16_t il3 = k->inner == 6 ? 40 : 20;
	char err[256], what[128], w2[160];
	unsigned int i, g;
	int rc;

	snprintf(what, sizeof(what), "%s %s %s", k->name, a->name,
		 c->mode == CONF_CRYPTO_CPU ? "cpu-crypto" : "lookaside");
	memset(&d, 0, sizeof(d));
	fill_params(&po, a, k, false);
	fill_params(&pi, a, k, true);
	rc = dp_sa_create(c, 1, &po, &out, err, sizeof(err));
	CHECK(rc == 0, "%s: outbound create: %s", what, err);
	rc = dp_sa_create(c, 1, &pi, &in, err, sizeof(err));
	CHECK(rc == 0, "%s: inbound create: %s", what, err);
	if (out == NULL || in == NULL)
		goto done;
	CHECK(dp_sa_outer_af(out) == k->outer &&
	      dp_sa_inner_af(in) == k->inner, "%s: families", what);

	for (i = 0; i < 5; i++) {
		m[i] = make_inner(k->inner, false, sizes[i], (uint8_t)i, 0);
		save(m[i], &plain[i]);
	}
	g = dp_sa_process(out, 0, m, 5, &d);
	CHECK(g == 5, "%s: encrypted %u", what, g);
	for (i = 0; i < g; i++) {
		snprintf(w2, sizeof(w2), "%s pkt %u", what, i);
		check_outer(m[i], k, 42 + i, w2);
		CHECK(m[i]->pkt_len <= plain[i].len + dp_sa_overhead(out),
		      "%s: overhead %u above %u", w2,
		      m[i]->pkt_len - plain[i].len, dp_sa_overhead(out));
		save(m[i], &cipher[i]);
		m[i]->l2_len = 0;
		m[i]->l3_len = l3;
	}
	g = dp_sa_process(in, 0, m, 5, &d);
	CHECK(g == 5, "%s: decrypted %u (icv %" PRIu64 " policy %" PRIu64
	      " malformed %" PRIu64 ")", what, g, d.count[DP_DROP_ICV],
	      d.count[DP_DROP_POLICY], d.count[DP_DROP_MALFORMED]);
	for (i = 0; i < g; i++) {
		CHECK(same(m[i], &plain[i]), "%s: pkt %u differs", what, i);
		CHECK(m[i]->l2_len == 0 && m[i]->l3_len == il3,
		      "%s: inner l3_len %u", what, m[i]->l3_len);
	}
	free_all(m, 5);

	/* Replay, tampering, a packet outside the selectors, a good one. */
	m[0] = make_inner(k->inner, true, 40, 9, 0);
	m[1] = make_inner(k->inner, false, 41, 10, 0);
	m[2] = make_inner(k->inner, false, 42, 11, 0);
	g = dp_sa_process(out, 0, m, 3, &d);
	CHECK(g == 3, "%s: encrypted %u", what, g);
	for (i = 0; i < g; i++)
		save(m[i], &cipher[5 + i]);
	free_all(m, g);
	memset(&d, 0, sizeof(d));
	m[0] = load(&cipher[2], l3);        /* replay */
	m[1] = load(&cipher[6], l3);        /* tampered */
	*rte_pktmbuf_mtod_offset(m[1], uint8_t *, l3 + 8 + 16 + 3) ^= 0x80;
	m[2] = load(&cipher[5], l3);        /* outside the selectors */
	m[3] = load(&cipher[7], l3);        /* good */
	g = dp_sa_process(in, 0, m, 4, &d);
	CHECK(g == 1, "%s: hostile burst good %u", what, g);
	CHECK(d.count[DP_DROP_REPLAY] == 1 && d.count[DP_DROP_ICV] == 1 &&
	      d.count[DP_DROP_POLICY] == 1,
	      "%s: replay %" PRIu64 " icv %" PRIu64 " policy %" PRIu64,
	      what, d.count[DP_DROP_REPLAY], d.count[DP_DROP_ICV],
	      d.count[DP_DROP_POLICY]);
	free_all(m, 4);
	dp_sa_counters_read(in, &ci);
	CHECK(ci.pkts_decaps == 6 && ci.policy_fails == 1 &&
	      ci.seq == 49, "%s: decaps %" PRIu64 " policy %" PRIu64
	      " seq %" PRIu64, what, ci.pkts_decaps, ci.policy_fails, ci.seq);

	/*
	 * ECN (RFC 6040 4.2): an ECT(0) inner packet whose outer header got
	 * CE on the way leaves CE, whatever the families.
	 */
	m[0] = make_inner(k->inner, false, 20, 11, 2);
	g = dp_sa_process(out, 0, m, 1, &d);
	CHECK(g == 1, "%s: ecn encrypt", what);
	if (g == 1) {
		uint8_t *o = rte_pktmbuf_mtod(m[0], uint8_t *);
		uint8_t *x;

		if (k->outer == 6) {
			CHECK(((o[1] >> 4) & 3) == 2, "%s: outer ECT(0) copy",
			      what);
			o[1] |= 0x30;
		} else {
			CHECK((o[1] & 3) == 2, "%s: outer ECT(0) copy", what);
			o[1] |= 3; /* checksum not checked inbound */
		}
		m[0]->l2_len = 0;
		m[0]->l3_len = l3;
		g = dp_sa_process(in, 0, m, 1, &d);
		CHECK(g == 1, "%s: ecn decrypt", what);
		x = rte_pktmbuf_mtod(m[0], uint8_t *);
		if (g == 1 && k->inner == 6)
			CHECK(((x[1] >> 4) & 3) == 3, "%s: inner CE", what);
		else if (g == 1)
			CHECK((x[1] & 3) == 3, "%s: inner CE", what);
	}
	free_all(m, 1);

	/*
	 * An SA of the other inner family refuses the packet by its ESP
	 * next header (RFC 4303 2.6), selectors or not.
	 */
	{
		struct dp_sa *other = NULL;
		uint64_t total;

		fill_params(&pi, a, k, true);
		pi.inner_family = k->inner == 6 ? 4 : 6;
		pi.n_sel = 0;
		pi.seq = 0;
		rc = dp_sa_create(c, 1, &pi, &other, err, sizeof(err));
		CHECK(rc == 0, "%s: other-family create: %s", what, err);
		m[0] = load(&cipher[7], l3);
		memset(&d, 0, sizeof(d));
		g = other != NULL ? dp_sa_process(other, 0, m, 1, &d) : 1;
		CHECK(g == 0, "%s: other inner family accepted", what);
		total = 0;
		for (i = 0; i < DP_DROP_MAX; i++)
			total += d.count[i];
		CHECK(total == 1, "%s: other family drops %" PRIu64, what,
		      total);
		free_all(m, 1);
		dp_sa_destroy(other);
	}
done:
	dp_sa_destroy(out);
	dp_sa_destroy(in);
}

/*
 * The largest inner packet at MTU 1500 (the PTB and fragmentation bound):
 * fixed parts with the outer header of the family (IPv6 40, IPv4 20),
 * the ESP header 8, IV and ICV, rounded down to the alignment, less the
 * 2-byte trailer. GCM: 1426 over IPv6, 1446 over IPv4; AES-CBC with
 * SHA256-128: 1406 and 1438. One byte more leaves an outer packet above
 * the MTU.
 */
static void
test_max_inner(struct dp_crypto *c, const struct algo *a,
	       const struct combo *k)
{
	bool gcm = a->integ == CONF_INTEG_NONE;
	uint16_t oh = k->outer == 6 ? 40 : 20, ih = k->inner == 6 ? 40 : 20;
	uint16_t want, max;
	struct dp_sa_params po;
	struct dp_sa *out = NULL;
	struct dp_drop_counters d;
	struct rte_mbuf *m[2];
	char err[256], what[128];
	unsigned int g;

	snprintf(what, sizeof(what), "%s %s max inner", k->name, a->name);
	want = gcm ? (uint16_t)(RTE_ALIGN_FLOOR(1500 - oh - 8 - 8 - 16, 4) - 2) :
		(uint16_t)(RTE_ALIGN_FLOOR(1500 - oh - 8 - 16 - 16, 16) - 2);
	CHECK(want == (k->outer == 6 ? (gcm ? 1426 : 1406) :
		       (gcm ? 1446 : 1438)), "%s: arithmetic %u", what, want);
	fill_params(&po, a, k, false);
	if (dp_sa_create(c, 1, &po, &out, err, sizeof(err)) != 0) {
		CHECK(0, "%s: create: %s", what, err);
		return;
	}
	max = dp_sa_max_inner(out, 1500);
	CHECK(max == want, "%s: %u, want %u", what, max, want);
	/*
	 * 32 bytes past the fixed parts (IV GCM 8, CBC 16; ICV 16) leave 30:
	 * room for an IPv4 inner header, not for an IPv6 one.
	 */
	max = dp_sa_max_inner(out, (uint16_t)(oh + 8 + (gcm ? 8 : 16) + 16 +
					      32));
	CHECK(k->inner == 6 ? max == 0 : max != 0, "%s: tiny MTU %u", what,
	      max);
	memset(&d, 0, sizeof(d));
	m[0] = make_inner(k->inner, false, (uint16_t)(want - ih - 8), 1, 0);
	m[1] = make_inner(k->inner, false, (uint16_t)(want - ih - 7), 2, 0);
	g = dp_sa_process(out, 0, m, 2, &d);
	CHECK(g == 2, "%s: encrypted %u", what, g);
	if (g == 2) {
		CHECK(m[0]->pkt_len <= 1500 && m[0]->pkt_len > 1500 - 16,
		      "%s: %u inner bytes make %u", what, want,
		      m[0]->pkt_len);
		CHECK(m[1]->pkt_len > 1500, "%s: %u inner bytes make %u", what,
		      want + 1, m[1]->pkt_len);
	}
	free_all(m, 2);
	dp_sa_destroy(out);
}

static void
test_bad_params(struct dp_crypto *c)
{
	struct dp_sa_params p;
	struct dp_sa *sa = NULL;
	char err[256];
	int rc;

	fill_params(&p, &algos[0], &combos[0], false);
	p.udp_encap = true;
	rc = dp_sa_create(c, 1, &p, &sa, err, sizeof(err));
	CHECK(rc == -EINVAL && strstr(err, "IPv4 outer") != NULL,
	      "NAT-T over IPv6: %d %s", rc, err);
	dp_sa_destroy(sa);
	sa = NULL;
	fill_params(&p, &algos[0], &combos[0], true);
	p.inner_family = 4;
	rc = dp_sa_create(c, 1, &p, &sa, err, sizeof(err));
	CHECK(rc == -EINVAL && strstr(err, "not an IPv4") != NULL,
	      "IPv6 selector on an IPv4 SA: %d %s", rc, err);
	dp_sa_destroy(sa);
}

static void
run_mode(enum conf_crypto_mode mode)
{
	struct dp_crypto c;
	char err[256];
	unsigned int i, j;
	uint32_t want = 0;
	int rc;

	for (i = 0; i < RTE_DIM(algos); i++)
		want |= DP_CRYPTO_ALGO_CIPHER(algos[i].cipher) |
			DP_CRYPTO_ALGO_INTEG(algos[i].integ);
	rc = dp_crypto_init(&c, "auto", mode, 2, 256, want, err, sizeof(err));
	CHECK(rc == 0, "dp_crypto_init: %s", err);
	if (rc != 0)
		return;
	for (i = 0; i < RTE_DIM(combos); i++)
		for (j = 0; j < RTE_DIM(algos); j++) {
			test_combo(&c, &algos[j], &combos[i]);
			test_max_inner(&c, &algos[j], &combos[i]);
		}
	test_bad_params(&c);
	dp_crypto_fini(&c);
}

int
main(int argc TW_UNUSED, char **argv)
{
	char *eal[] = {
		argv[0], EAL_ARG("--no-pci"), EAL_ARG("--no-huge"),
		EAL_ARG("-m"), EAL_ARG("256"),
		EAL_ARG("--file-prefix"), EAL_ARG("tw-test-esp6"),
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
		ckey[i] = (uint8_t)(0x50 + i);
		akey[i] = (uint8_t)(0x33 + 5 * i);
	}
	pool = rte_pktmbuf_pool_create("tw_test_mb6", 1023, 0, 0,
				       RTE_MBUF_DEFAULT_BUF_SIZE,
				       (int)rte_socket_id());
	if (pool == NULL) {
		fprintf(stderr, "no mbuf pool\n");
		return 1;
	}
	run_mode(CONF_CRYPTO_CPU);
	run_mode(CONF_CRYPTO_LOOKASIDE);
	rte_mempool_free(pool);
	rte_eal_cleanup();
	printf("%u checks, %u failed\n", n_checks, n_failed);
	return n_failed == 0 ? 0 : 1;
}
