/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Issue 13 item 3: one outbound SA driven by two workers as fast as this
 * machine goes, and the takeover's rate bound checked against what the
 * SA really carried.
 *
 *   net_pcap0 "inside": two RX queues (one per worker), each replaying a
 *   capture of 64-byte UDP frames 10.1.0.5 -> 10.2.0.9 for ever
 *   (infinite_rx); net_null0 "outside": its TX frees what it is given.
 *   One AES-GCM-128 outbound SA protects 10.1.0.0/24 -> 10.2.0.0/16, so
 *   both workers take its sequence numbers (RTE_IPSEC_SAFLAG_SQN_ATOM).
 *
 * The control side (this lcore) samples the SA's packet count, summed
 * over workers, every 10 ms (sync_seq_peak_feed(), as the daemon's
 * counter watch does) and each worker's RX queue. It asserts that the
 * rate the twin would use at takeover (sync_seq_rate() for these
 * workers, then sync_seq_rate_seen() with the observed peak) covers the
 * measured peak and average with a factor 2, and per worker the
 * per-worker ceiling covers each worker's best 10 ms with a factor 2, and
 * that the takeover jump (sync_seq_takeover()) after 1 s of silence
 * covers what the SA can carry at its peak in that time. It prints the
 * rates and says whether they passed the old constant (2^22 packets/s
 * per SA, for the whole box); where they did, that the old constant's
 * jump would have fallen short; where they did not, the scaled model:
 * from how many workers at the measured per-worker rate the old constant
 * would have been passed, and that the bound for that many covers them.
 *
 *   test_seqrate [SECONDS]   (default 2)
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_lcore.h>
#include <rte_udp.h>

#include "dp.h"
#include "sync_seq.h"

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

#define IP4(a, b, c, d) \
	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | \
	 (uint32_t)(d))

#define P_IN 0
#define P_OUT 1
#define N_WORKERS 2
#define IN_ADDR IP4(10, 1, 0, 1)
#define OUT_ADDR IP4(192, 0, 2, 1)
#define GW_ADDR IP4(192, 0, 2, 254)
#define PEER_ADDR IP4(198, 51, 100, 1)
#define HOST_ADDR IP4(10, 1, 0, 5)
#define REMOTE_HOST IP4(10, 2, 0, 9)
#define SPI_OUT 0x2002
#define FRAMES 128              /* per capture: mbufs held for ever */
#define FRAME_LEN 64
/* The constant the jump used before issue 13: per SA, for the whole box. */
#define OLD_RATE_MAX (UINT64_C(1) << 22)
#define MARGIN 2                /* the bound covers what we saw twice */

static const struct rte_ether_addr gw_mac = {{ 0x02, 0, 0, 0, 0xfe, 0x01 }};

static tw_time_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (tw_time_t)ts.tv_sec * TW_NSEC_PER_SEC + (tw_time_t)ts.tv_nsec;
}

static void
put32(FILE *f, uint32_t v)
{
	fwrite(&v, 4, 1, f);
}

/* A capture of FRAMES UDP frames, one source port each (pcap, LE). */
static int
write_capture(const char *path, uint16_t sport0)
{
	uint8_t b[FRAME_LEN];
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)b;
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eth + 1);
	struct rte_udp_hdr *udp = (struct rte_udp_hdr *)(ip + 1);
	FILE *f = fopen(path, "wb");
	unsigned int i;

	if (f == NULL)
		return -errno;
	put32(f, 0xa1b2c3d4);
	put32(f, 2 | 4u << 16);  /* version 2.4 */
	put32(f, 0);
	put32(f, 0);
	put32(f, 65535);
	put32(f, 1);             /* Ethernet */
	for (i = 0; i < FRAMES; i++) {
		memset(b, 0, sizeof(b));
		memset(&eth->dst_addr, 0xff, RTE_ETHER_ADDR_LEN);
		eth->src_addr.addr_bytes[0] = 0x02;
		eth->src_addr.addr_bytes[5] = 0x05;
		eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV4);
		ip->version_ihl = RTE_IPV4_VHL_DEF;
		ip->total_length = rte_cpu_to_be_16(FRAME_LEN -
						    RTE_ETHER_HDR_LEN);
		ip->packet_id = rte_cpu_to_be_16((uint16_t)i);
		ip->time_to_live = 64;
		ip->next_proto_id = IPPROTO_UDP;
		ip->src_addr = rte_cpu_to_be_32(HOST_ADDR);
		ip->dst_addr = rte_cpu_to_be_32(REMOTE_HOST);
		ip->hdr_checksum = rte_ipv4_cksum(ip);
		udp->src_port = rte_cpu_to_be_16((uint16_t)(sport0 + i));
		udp->dst_port = rte_cpu_to_be_16(9);
		udp->dgram_len = rte_cpu_to_be_16(FRAME_LEN -
			RTE_ETHER_HDR_LEN - sizeof(*ip));
		put32(f, i);
		put32(f, 0);
		put32(f, FRAME_LEN);
		put32(f, FRAME_LEN);
		fwrite(b, FRAME_LEN, 1, f);
	}
	return fclose(f) == 0 ? 0 : -errno;
}

static int
setup(struct dp_sa **sa)
{
	struct dp_sa_params sp;
	struct dp_params prm;
	struct dp_policy pol;
	uint8_t key[20];
	char err[512];
	unsigned int i;
	int rc;

	memset(&prm, 0, sizeof(prm));
	prm.n_workers = N_WORKERS;
	prm.mbufs = 8191;
	prm.burst = 32;
	prm.poll_mode = CONF_POLL_BUSY;
	prm.crypto_device = "crypto_aesni_mb0";
	prm.crypto_mode = CONF_CRYPTO_CPU;
	prm.crypto_algos = DP_CRYPTO_ALGO_CIPHER(CONF_CIPHER_AES_GCM_128) |
			   DP_CRYPTO_ALGO_INTEG(CONF_INTEG_NONE);
	prm.max_sas = 8;
	prm.default_policy = CONF_POLICY_DISCARD;
	prm.n_ports = 2;
	prm.ports[P_IN] = (struct dp_port_params){ .name = "inside",
		.device = "net_pcap0", .role = CONF_ROLE_INSIDE,
		.addr = IN_ADDR, .prefix_len = 24, .mtu = 1500 };
	prm.ports[P_OUT] = (struct dp_port_params){ .name = "outside",
		.device = "net_null0", .role = CONF_ROLE_OUTSIDE,
		.addr = OUT_ADDR, .prefix_len = 24, .mtu = 1500 };
	rc = dp_init(&prm, err, sizeof(err));
	if (rc != 0) {
		fprintf(stderr, "dp_init: %s\n", err);
		return -1;
	}
	for (i = 0; i < sizeof(key); i++)
		key[i] = (uint8_t)(0x10 + i);
	memset(&sp, 0, sizeof(sp));
	sp.spi = SPI_OUT;
	sp.cipher = CONF_CIPHER_AES_GCM_128;
	sp.integ = CONF_INTEG_NONE;
	sp.cipher_key = key;
	sp.cipher_key_len = sizeof(key);
	sp.local_addr = OUT_ADDR;
	sp.remote_addr = PEER_ADDR;
	sp.replay_window = 64;
	sp.id = SPI_OUT;
	rc = dp_sa_create(dp_crypto_get(), dp_n_workers(), &sp, sa, err,
			  sizeof(err));
	if (rc != 0) {
		fprintf(stderr, "dp_sa_create: %s\n", err);
		return -1;
	}
	memset(&pol, 0, sizeof(pol));
	pol.sel.src_addr = IP4(10, 1, 0, 0);
	pol.sel.src_len = 24;
	pol.sel.dst_addr = IP4(10, 2, 0, 0);
	pol.sel.dst_len = 16;
	pol.sel.sport_hi = 65535;
	pol.sel.dport_hi = 65535;
	pol.action = CONF_POLICY_PROTECT;
	pol.priority = 10;
	pol.sa = *sa;
	rc = dp_sa_install(*sa) || dp_spd_set(&pol, 1) ||
	     dp_route_add(IP4(198, 51, 100, 0), 24, GW_ADDR, P_OUT) ||
	     dp_neigh_set(P_OUT, GW_ADDR, &gw_mac) || dp_commit();
	if (rc != 0) {
		fprintf(stderr, "staging tables failed\n");
		return -1;
	}
	return dp_start();
}

/* RX packets per queue of the inside port (one queue per worker). */
static int
rxq_read(uint16_t pid, uint64_t q[N_WORKERS])
{
	struct rte_eth_stats st;
	unsigned int i;

	if (rte_eth_stats_get(pid, &st) != 0)
		return -1;
	for (i = 0; i < N_WORKERS; i++)
		q[i] = st.q_ipackets[i];
	return 0;
}

/*
 * The SA's counters, each worker's RX queue and the time they were
 * read at: this lcore shares a
 * CPU with a busy worker, and a read preempted between the clock and the
 * counters would put packets of one window into another. A read that
 * took longer than READ_MAX_NS is taken again, up to 100 times; then it
 * returns 0 (the sample is not used).
 */
#define READ_MAX_NS 20000
static tw_time_t
sa_read(const struct dp_sa *sa, struct dp_sa_counters *c, uint16_t pid,
	uint64_t q[N_WORKERS])
{
	tw_time_t a, b;
	unsigned int tries = 0;

	do {
		a = now_ns();
		dp_sa_counters_read(sa, c);
		if (rxq_read(pid, q) != 0)
			return 0;
		b = now_ns();
		if (b - a <= READ_MAX_NS)
			return a + (b - a) / 2;
	} while (++tries < 100);
	return 0;
}

/*
 * The takeover jump (sync_seq_takeover(), the real one) for an SA at
 * 1 000 000 that the twin was last heard of 1 s ago, at rate.
 */
#define JUMP_SINCE_MS 1000u
static uint64_t
jump_at(uint64_t rate)
{
	struct sync_seq_in in = {
		.seq = 1000000, .interval = 1024, .twin_was_active = true,
		.since_known = true, .since = TW_MSEC(JUMP_SINCE_MS),
		.rate = rate, .esn = true,
	};
	uint64_t seed = 0;

	if (sync_seq_takeover(&in, &seed) != 0)
		return 0;
	return seed - in.seq;
}

static uint64_t
per_sec(uint64_t n, tw_time_t dt)
{
	return dt == 0 ? 0 : (uint64_t)((double)n * 1e9 / (double)dt);
}

int
main(int argc, char **argv)
{
	static char cap0[256], cap1[256], pcap_arg[640];
	static char lcores[] = "0@0,1@0,2@1";
	char *eal[] = {
		argv[0], EAL_ARG("--no-pci"), EAL_ARG("--no-huge"),
		EAL_ARG("-m"), EAL_ARG("512"),
		EAL_ARG("--file-prefix"), EAL_ARG("tw-test-seqrate"),
		EAL_ARG("--lcores"), lcores,
		EAL_ARG("--vdev"), EAL_ARG("crypto_aesni_mb0"),
		EAL_ARG("--vdev"), pcap_arg,
		EAL_ARG("--vdev"), EAL_ARG("net_null0,no-rx=1"),
		EAL_ARG("--log-level"), EAL_ARG("lib.eal:warning"),
	};
	struct sync_seq_peak peak = { 0 }, wpeak[N_WORKERS];
	struct dp_sa_counters c0, c, c1;
	uint64_t q0[N_WORKERS], q[N_WORKERS], q1[N_WORKERS], rq[N_WORKERS];
	uint64_t r_max = 0;
	uint64_t avg, bound, seen, sa_pkts, rx_pkts = 0, need;
	double secs = argc > 1 ? atof(argv[1]) : 2.0;
	const char *tmp = getenv("TMPDIR");
	tw_time_t t0, t, t1;
	struct dp_sa *sa = NULL;
	unsigned int i, slow = 0;
	uint16_t pid;
	int rc;

	if (secs < 0.2 || secs > 60) {
		fprintf(stderr, "usage: test_seqrate [SECONDS 0.2..60]\n");
		return 2;
	}
	if (tmp == NULL || *tmp == '\0')
		tmp = "/tmp";
	snprintf(cap0, sizeof(cap0), "%s/tw-seqrate-%d-0.pcap", tmp,
		 (int)getpid());
	snprintf(cap1, sizeof(cap1), "%s/tw-seqrate-%d-1.pcap", tmp,
		 (int)getpid());
	if (write_capture(cap0, 1000) != 0 || write_capture(cap1, 3000) != 0) {
		fprintf(stderr, "cannot write %s: %s\n", cap0, strerror(errno));
		return 1;
	}
	snprintf(pcap_arg, sizeof(pcap_arg),
		 "net_pcap0,rx_pcap=%s,rx_pcap=%s,infinite_rx=1", cap0, cap1);
	if (rte_eal_init(RTE_DIM(eal), eal) < 0) {
		fprintf(stderr, "EAL init failed\n");
		return 1;
	}
	rc = setup(&sa);
	/* the PMD read the captures into mbufs at its RX queue set-up */
	unlink(cap0);
	unlink(cap1);
	if (rc != 0 || rte_eth_dev_get_port_by_name("net_pcap0", &pid) != 0) {
		fprintf(stderr, "setup failed\n");
		dp_fini();
		rte_eal_cleanup();
		return 1;
	}

	memset(wpeak, 0, sizeof(wpeak));
	/* warm up, then sample every 10 ms as the counter watch does */
	rte_delay_us_sleep(300000);
	t0 = sa_read(sa, &c0, pid, q0);
	CHECK(t0 != 0, "no quick read of the counters");
	if (t0 == 0)
		t0 = now_ns();
	sync_seq_peak_feed(&peak, c0.pkts_encaps, t0);
	for (i = 0; i < N_WORKERS; i++)
		sync_seq_peak_feed(&wpeak[i], q0[i], t0);
	do {
		rte_delay_us_sleep(SYNC_SEQ_WATCH_MS * 1000);
		t = sa_read(sa, &c, pid, q);
		if (t == 0) {
			slow++;
			continue;
		}
		sync_seq_peak_feed(&peak, c.pkts_encaps, t);
		for (i = 0; i < N_WORKERS; i++)
			sync_seq_peak_feed(&wpeak[i], q[i], t);
	} while (now_ns() - t0 < (tw_time_t)(secs * 1e9));
	t1 = sa_read(sa, &c1, pid, q1);
	CHECK(t1 != 0, "no quick read of the counters");
	if (t1 == 0)
		t1 = now_ns();
	dp_stop();

	sa_pkts = c1.pkts_encaps - c0.pkts_encaps;
	avg = per_sec(sa_pkts, t1 - t0);
	for (i = 0; i < N_WORKERS; i++) {
		rq[i] = per_sec(q1[i] - q0[i], t1 - t0);
		rx_pkts += q1[i] - q0[i];
		/* a worker's rate: its best 10 ms window */
		if (wpeak[i].peak_pps > r_max)
			r_max = wpeak[i].peak_pps;
	}
	/* what a takeover on this box uses: the bound, then the peak */
	bound = sync_seq_rate(dp_n_workers(), SYNC_SEQ_WORKER_PPS);
	seen = sync_seq_rate_seen(bound, peak.peak_pps);
	printf("test_seqrate: %u workers, %.1f s: SA %" PRIu64 " pkt/s average, peak %" PRIu64 " pkt/s (10 ms windows); per worker RX %" PRIu64 " / %" PRIu64 " pkt/s average, peak %" PRIu64 " / %" PRIu64 "\n",
	       dp_n_workers(), (double)(t1 - t0) / 1e9, avg, peak.peak_pps,
	       rq[0], rq[1], wpeak[0].peak_pps, wpeak[1].peak_pps);
	if (slow > 0)
		printf("test_seqrate: %u samples skipped (no read within %u us)\n",
		       slow, READ_MAX_NS / 1000);
	printf("test_seqrate: takeover rate %" PRIu64 " pkt/s (bound %" PRIu64 ", %u x %" PRIu64 "); old constant %" PRIu64 "\n",
	       seen, bound, dp_n_workers(), SYNC_SEQ_WORKER_PPS, OLD_RATE_MAX);

	/* both workers drove the one SA, and every packet took one number */
	CHECK(dp_n_workers() == N_WORKERS, "workers %u", dp_n_workers());
	for (i = 0; i < N_WORKERS; i++)
		CHECK(q1[i] > q0[i], "worker %u received nothing", i);
	CHECK(sa_pkts > 0, "the SA carried nothing");
	CHECK(c1.send_errors == 0, "send errors %" PRIu64, c1.send_errors);
	dp_sa_counters_read(sa, &c);
	CHECK(c.seq == c.pkts_encaps, "SA seq %" PRIu64 " after %" PRIu64 " packets (a number twice or skipped)",
	      c.seq, c.pkts_encaps);
	/* all that was received in the window went through the SA */
	CHECK(sa_pkts * 100 >= rx_pkts * 99,
	      "received %" PRIu64 ", encapsulated %" PRIu64, rx_pkts,
	      sa_pkts);

	/* the takeover's rate covers what the SA carried, with margin */
	CHECK(bound / MARGIN >= avg, "bound %" PRIu64 " < %u x average %" PRIu64,
	      bound, MARGIN, avg);
	CHECK(seen >= peak.peak_pps && seen / MARGIN >= peak.peak_pps,
	      "takeover rate %" PRIu64 " < %u x observed peak %" PRIu64,
	      seen, MARGIN, peak.peak_pps);
	CHECK(SYNC_SEQ_WORKER_PPS / MARGIN >= r_max,
	      "per-worker ceiling %" PRIu64 " < %u x a worker's %" PRIu64,
	      SYNC_SEQ_WORKER_PPS, MARGIN, r_max);
	CHECK(bound >= N_WORKERS * r_max, "bound %" PRIu64 " < %u x %" PRIu64,
	      bound, N_WORKERS, r_max);

	/*
	 * What the twin can have sent at the measured peak in the time the
	 * jump covers (1 s of silence + SLACK): the jump with the rate a
	 * takeover uses covers it; with the old constant, only when the
	 * peak stayed below it.
	 */
	need = peak.peak_pps * (JUMP_SINCE_MS + SYNC_SEQ_SLACK_MS) / 1000u;
	printf("test_seqrate: after 1 s of silence the twin may have sent %" PRIu64 " at the peak; the jump covers %" PRIu64 ", the old constant's %" PRIu64 "\n",
	       need, jump_at(seen), jump_at(OLD_RATE_MAX));
	CHECK(jump_at(seen) >= need, "jump %" PRIu64 " < %" PRIu64,
	      jump_at(seen), need);
	if (peak.peak_pps > OLD_RATE_MAX) {
		/* the old constant would have been passed here */
		printf("test_seqrate: the SA's peak passed the old constant: %" PRIu64 " > %" PRIu64 " pkt/s\n",
		       peak.peak_pps, OLD_RATE_MAX);
		CHECK(jump_at(OLD_RATE_MAX) < need ||
		      peak.peak_pps < OLD_RATE_MAX + OLD_RATE_MAX / 16,
		      "the old jump %" PRIu64 " covers %" PRIu64,
		      jump_at(OLD_RATE_MAX), need);
	} else if (r_max > 0) {
		/*
		 * Not reached on this machine: the scaled model. k workers
		 * at the measured per-worker rate pass the old constant;
		 * the bound for k workers covers them with the margin.
		 */
		uint64_t k = OLD_RATE_MAX / r_max + 1;

		printf("test_seqrate: not above the old constant on this machine (peak %.2f of 2^22); scaled: %" PRIu64 " workers at %" PRIu64 " pkt/s each carry %" PRIu64 " > 2^22, bound for them %" PRIu64 "\n",
		       (double)peak.peak_pps / (double)OLD_RATE_MAX, k, r_max,
		       k * r_max,
		       sync_seq_rate((unsigned int)k, SYNC_SEQ_WORKER_PPS));
		CHECK(k * r_max > OLD_RATE_MAX, "model");
		CHECK(sync_seq_rate((unsigned int)k, SYNC_SEQ_WORKER_PPS) /
		      MARGIN >= k * r_max, "bound for %" PRIu64 " workers",
		      k);
	}

	dp_sa_destroy(sa);
	dp_fini();
	rte_eal_cleanup();
	printf("test_seqrate: %u checks, %u failed\n", n_checks, n_failed);
	return n_failed == 0 ? 0 : 1;
}
