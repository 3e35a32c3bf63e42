/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * bench_ike_engine N [W [F]]: two IKE engines in one process (A initiates N
 * tunnels to B, one policy and one peer address per tunnel, ECP-256,
 * AES-GCM-128 for IKE and ESP), datagrams carried in memory, a fake clock.
 * Prints one JSON object:
 *   setup:  wall and CPU time to bring all N up, W at a time, and the
 *           CPU seconds spent inside each engine (a = initiator, b =
 *           responder): tunnels/s of one side is N / its seconds;
 *   lookup: ns per ike_input() of an unknown-SPI message (the SA lookup
 *           and the header decode, nothing else) with N SAs up;
 *   rekey:  four hours on the fake clock: children (1 h) rekeyed about
 *           four times, IKE SAs (4 h) once; counters, and the children
 *           each side holds at the end (N both sides when nothing was
 *           lost). F > 1 gives the responder F times the lifetimes, so
 *           only the initiator rekeys (no collisions); F = 1: both sides
 *           rekey on their own jittered timers and collide sometimes.
 *           rx_dropped of b includes the lookup probes.
 * Uses only lib/ike's public API (ike.h), so the same file measures the
 * engine before and after a change.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ike.h"
#include "ike_proposal.h"
#include "tw_compiler.h"
#include "tw_heap.h"
#include "tw_log.h"

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | \
			(uint32_t)(c) << 8 | (uint32_t)(d))
#define GW_A IP(198, 51, 100, 2)   /* unused: A's endpoints are per tunnel */
#define GW_B IP(198, 51, 100, 1)
#define PEER0 IP(10, 128, 0, 0)    /* A's tunnel endpoint i: PEER0 + i */
#define QMAX 65536

struct dgram {
	uint8_t *d;
	size_t len;
	uint32_t src, dst;
	uint16_t sport, dport;
};

struct timer {
	struct tw_deadline dl;
	struct side *s;
	uint32_t sa_id;
};

struct side {
	struct ike_engine *e;
	struct ike_config cfg;
	struct ike_policy *pol;
	struct tw_heap heap;
	struct timer *t;
	double cpu;                  /* seconds inside the engine */
	unsigned long child_up, child_down, ike_up;
};

static struct side A, B;
static struct dgram q[QMAX];
static unsigned int qh, qt;
static tw_time_t now;

static void
quiet(enum tw_log_level l TW_UNUSED, const char *m TW_UNUSED,
      const char *f TW_UNUSED, va_list ap TW_UNUSED)
{
}

static double
cpu_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static double
wall_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
policy(struct ike_policy *p, unsigned int i, bool initiator)
{
	uint32_t peer_ep = PEER0 + i;
	/* Tunnel i protects 10.64.0.0/10 + i*4 (A) <-> 172.16.0.0/12 + i*4. */
	uint32_t anet = IP(10, 64, 0, 0) + i * 4, bnet = IP(172, 16, 0, 0) + i * 4;
	char a[16];

	memset(p, 0, sizeof(*p));
	snprintf(p->map, sizeof(p->map), "VPN");
	p->seq = i + 1;
	p->local_addr = tw_addr_v4(initiator ? peer_ep : GW_B);
	p->peer_addr = tw_addr_v4(initiator ? GW_B : peer_ep);
	ike_id_from_string(&p->local_id, conf_ipv4_str(p->local_addr.v4, a,
						       sizeof(a)));
	p->psk_len = 16;
	memcpy(p->psk, "bench-bench-psk!", 16);
	ike_proposal_init(&p->ike_props[0], 1, IKE_PROTO_IKE, NULL, 0);
	ike_proposal_add(&p->ike_props[0], IKE_XF_ENCR, IKE_ENCR_AES_GCM_16, 128);
	ike_proposal_add(&p->ike_props[0], IKE_XF_PRF, IKE_PRF_HMAC_SHA2_256, 0);
	ike_proposal_add(&p->ike_props[0], IKE_XF_DH, IKE_DH_ECP_256, 0);
	p->n_ike_props = 1;
	p->cipher = CONF_CIPHER_AES_GCM_128;
	p->integ = CONF_INTEG_NONE;
	p->replay_window = 64;
	ike_ts_from_prefix(&p->ts[0].local, initiator ? anet : bnet, 30, 0, 0,
			   65535);
	ike_ts_from_prefix(&p->ts[0].remote, initiator ? bnet : anet, 30, 0, 0,
			   65535);
	p->n_ts = 1;
	p->child_life_s = 3600;
	p->initiate = initiator ? IKE_INITIATE_START : IKE_INITIATE_RESPONDER;
}

static void run(struct side *s, int n, struct ike_action *acts);

static void
timer_fire(void *arg, tw_time_t t)
{
	struct timer *tm = arg;
	struct ike_action acts[IKE_ACTIONS_MAX];
	double c0 = cpu_s();
	int n = ike_timer(tm->s->e, tm->sa_id, t, acts, IKE_ACTIONS_MAX);

	tm->s->cpu += cpu_s() - c0;
	run(tm->s, n, acts);
}

static void
side_init(struct side *s, unsigned int n, bool initiator, unsigned int f)
{
	struct ike_rng rng = { ike_rng_openssl, NULL };
	unsigned int i;

	s->pol = calloc(n, sizeof(s->pol[0]));
	for (i = 0; i < n; i++) {
		policy(&s->pol[i], i, initiator);
		s->pol[i].child_life_s *= f;
	}
	ike_config_defaults(&s->cfg);
	s->cfg.policies = s->pol;
	s->cfg.n_policies = n;
	/* Room for every tunnel, its rekey and the half-open ones. */
	s->cfg.max_sas = 2 * n + 64;
	s->cfg.dpd_interval_s = 0;
	s->cfg.ike_life_s = 4 * 3600 * f;
	s->cfg.half_open_max = n + 64;
	s->cfg.cookie_threshold = n + 64;
	s->t = calloc(s->cfg.max_sas, sizeof(s->t[0]));
	if (s->pol == NULL || s->t == NULL || tw_heap_init(&s->heap, 1024) < 0)
		exit(2);
	for (i = 0; i < s->cfg.max_sas; i++) {
		s->t[i].s = s;
		s->t[i].sa_id = i + 1;
		tw_deadline_init(&s->t[i].dl, timer_fire, &s->t[i]);
	}
	s->e = ike_engine_create(&s->cfg, ike_crypto_openssl(), &rng);
	if (s->e == NULL) {
		fprintf(stderr, "cannot create an engine\n");
		exit(2);
	}
}

static void
run(struct side *s, int n, struct ike_action *acts)
{
	int i;

	if (n < 0) {
		fprintf(stderr, "engine call: %s\n", strerror(-n));
		exit(1);
	}
	for (i = 0; i < n; i++) {
		const struct ike_action *a = &acts[i];
		struct dgram *d;

		switch (a->type) {
		case IKE_ACT_SEND:
			if (a->u.send.keepalive)
				break;
			if (qt - qh == QMAX) {
				fprintf(stderr, "queue full\n");
				exit(1);
			}
			d = &q[qt++ % QMAX];
			d->d = malloc(a->u.send.len);
			memcpy(d->d, a->u.send.data, a->u.send.len);
			d->len = a->u.send.len;
			d->src = a->u.send.src.v4;
			d->dst = a->u.send.dst.v4;
			d->sport = a->u.send.sport;
			d->dport = a->u.send.dport;
			break;
		case IKE_ACT_ARM:
			tw_heap_arm(&s->heap, &s->t[a->sa_id - 1].dl, a->u.at);
			break;
		case IKE_ACT_CANCEL:
			tw_heap_cancel(&s->heap, &s->t[a->sa_id - 1].dl);
			break;
		case IKE_ACT_CHILD_UP:
			s->child_up++;
			break;
		case IKE_ACT_CHILD_DOWN:
			s->child_down++;
			break;
		case IKE_ACT_IKE_UP:
			s->ike_up++;
			break;
		case IKE_ACT_IKE_DOWN:
		case IKE_ACT_IKE_DELETING:
			break;
		}
	}
}

/* Deliver everything queued (and what the answers queue). */
static void
pump(void)
{
	struct ike_action acts[IKE_ACTIONS_MAX];

	while (qh != qt) {
		struct dgram d = q[qh++ % QMAX];
		struct side *to = d.dst == GW_B ? &B : &A;
		struct ike_pkt pkt = {
			.data = d.d, .len = d.len, .src = tw_addr_v4(d.src),
			.dst = tw_addr_v4(d.dst),
			.sport = d.sport, .dport = d.dport,
		};
		double c0 = cpu_s();
		int n = ike_input(to->e, &pkt, now, acts, IKE_ACTIONS_MAX);

		to->cpu += cpu_s() - c0;
		run(to, n, acts);
		free(d.d);
	}
}

static void
counters(const char *name, const struct side *s, int last)
{
	struct ike_counters c;

	ike_counters_read(s->e, &c);
	printf("  \"%s\": {\"sa_established\": %lu, \"sa_failed\": %lu, "
	       "\"sa_rekeyed\": %lu, \"child_created\": %lu, "
	       "\"child_rekeyed\": %lu, \"child_deleted\": %lu, "
	       "\"timeouts\": %lu, \"illegal\": %lu, \"auth_failed\": %lu, "
	       "\"rx_dropped\": %lu, \"tx_retransmits\": %lu, "
	       "\"child_up_actions\": %lu, \"cpu_s\": %.4f}%s\n", name,
	       (unsigned long)c.sa_established, (unsigned long)c.sa_failed,
	       (unsigned long)c.sa_rekeyed, (unsigned long)c.child_created,
	       (unsigned long)c.child_rekeyed, (unsigned long)c.child_deleted,
	       (unsigned long)c.timeouts, (unsigned long)c.illegal,
	       (unsigned long)c.auth_failed, (unsigned long)c.rx_dropped,
	       (unsigned long)c.tx_retransmits, s->child_up, s->cpu,
	       last ? "" : ",");
}

int
main(int argc, char **argv)
{
	unsigned int n = argc > 1 ? (unsigned int)strtoul(argv[1], NULL, 0) :
		10000;
	unsigned int w = argc > 2 ? (unsigned int)strtoul(argv[2], NULL, 0) :
		64;
	struct ike_action acts[IKE_ACTIONS_MAX];
	unsigned int f = argc > 3 ? (unsigned int)strtoul(argv[3], NULL, 0) : 2;
	unsigned int i, j, lookups = 100000;
	double t0, c0, setup_wall, setup_cpu, a_cpu, b_cpu, lk, rekey_cpu;
	uint8_t bogus[28];
	struct ike_pkt pkt;

	if (n == 0 || w == 0)
		return 2;
	tw_log_set_sink(quiet);
	now = TW_SEC(1000);
	side_init(&A, n, true, 1);
	side_init(&B, n, false, f);

	/* Set-up: W initiations, then carry the messages until quiet. */
	t0 = wall_s();
	c0 = cpu_s();
	for (i = 0; i < n; i += w) {
		for (j = i; j < i + w && j < n; j++) {
			double c1 = cpu_s();
			int k = ike_initiate(A.e, j, now, acts, IKE_ACTIONS_MAX);

			A.cpu += cpu_s() - c1;
			run(&A, k, acts);
		}
		pump();
		now += TW_MSEC(1);
	}
	setup_wall = wall_s() - t0;
	setup_cpu = cpu_s() - c0;
	a_cpu = A.cpu;
	b_cpu = B.cpu;

	/* Lookup: a well-formed header for SPIs nobody holds. */
	memset(bogus, 0, sizeof(bogus));
	bogus[0] = 0x12;                 /* SPIi */
	bogus[8] = 0x34;                 /* SPIr */
	bogus[17] = 0x20;                /* version 2.0 */
	bogus[18] = 37;                  /* INFORMATIONAL */
	bogus[19] = 0x08;                /* initiator */
	bogus[27] = 28;                  /* length */
	pkt = (struct ike_pkt){ .data = bogus, .len = sizeof(bogus),
		.src = tw_addr_v4(PEER0), .dst = tw_addr_v4(GW_B),
		.sport = 500, .dport = 500 };
	c0 = cpu_s();
	for (i = 0; i < lookups; i++) {
		bogus[1] = (uint8_t)i;
		bogus[2] = (uint8_t)(i >> 8);
		if (ike_input(B.e, &pkt, now, acts, IKE_ACTIONS_MAX) < 0)
			return 1;
	}
	lk = (cpu_s() - c0) / lookups * 1e9;

	/* Rekey: four hours on the fake clock, a minute at a time:
	 * children (1 h, rekeyed at 85-95 %) about four times, IKE SAs
	 * (4 h) once. */
	c0 = cpu_s();
	for (i = 0; i < 4 * 60; i++) {
		now += TW_SEC(60);
		tw_heap_run(&A.heap, now);
		tw_heap_run(&B.heap, now);
		pump();
	}
	rekey_cpu = cpu_s() - c0;

	printf("{\n  \"n\": %u, \"window\": %u, \"responder_life_factor\": %u,\n",
	       n, w, f);
	printf("  \"setup\": {\"wall_s\": %.4f, \"cpu_s\": %.4f, \"a_cpu_s\": %.4f, "
	       "\"b_cpu_s\": %.4f, \"tunnels_per_s_pair\": %.1f, "
	       "\"tunnels_per_s_responder\": %.1f, "
	       "\"tunnels_per_s_initiator\": %.1f, \"up_a\": %lu, \"up_b\": %lu},\n",
	       setup_wall, setup_cpu, a_cpu, b_cpu, n / setup_cpu, n / b_cpu,
	       n / a_cpu, A.child_up, B.child_up);
	printf("  \"lookup_ns\": %.1f, \"rekey_cpu_s\": %.3f,\n", lk, rekey_cpu);
	printf("  \"live_children_a\": %lu, \"live_children_b\": %lu,\n",
	       A.child_up - A.child_down, B.child_up - B.child_down);
	counters("a", &A, 0);
	counters("b", &B, 1);
	printf("}\n");
	ike_engine_destroy(A.e);
	ike_engine_destroy(B.e);
	return 0;
}
