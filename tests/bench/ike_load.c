/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ike_load: the twinsec IKE engine (lib/ike) as an initiator of many
 * tunnels over one UDP socket, for tools/bench-ike.
 *
 *   ike_load GW BASE N WINDOW CHILD_LIFE_S IKE_LIFE_S REKEY_WAIT_S [FIRST]
 *
 * Tunnel i: from BASE + i (an address of this host) to GW, identity FQDN
 * "bench", PSK "bench-bench-psk!", ECP-256, AES-GCM-128 (IKE and ESP),
 * traffic selectors 10.64.0.0 + 4i /30 (ours) and 172.16.0.0 + 4i /30.
 * At most WINDOW set-ups are in flight (the pacing: the responder sees at
 * most WINDOW half-open SAs, below its COOKIE threshold). Set-up is done
 * when the IKE_AUTH response with the Child SA arrived (the responder
 * installed it before answering). Then it keeps every tunnel up for
 * REKEY_WAIT_S more seconds, its short lifetimes rekeying each child and
 * IKE SA (ours are shorter than the responder's, so only we rekey), and
 * prints JSON: set-up rate, the time each thousand came up, counters.
 *
 * For tests: FIRST makes the tunnels FIRST .. FIRST + N - 1 (addresses and
 * selectors as above) and binds the socket to BASE + FIRST alone, so that
 * several ike_load, one tunnel each, stand for several peers on one host;
 * IKE_LOAD_ESP_SPI=0xN in the environment makes every 4-byte random draw
 * (the inbound ESP SPIs, and the rekey jitter) that value: peers that all
 * choose the same SPI for the responder's outbound SAs.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ike.h"
#include "ike_peer.h"
#include "ike_sa.h"
#include "tw_heap.h"

#define PSK "bench-bench-psk!"

static struct ike_engine *E;
static struct tw_heap heap;
static struct ike_peer_timer *T;
static int sock = -1;
static unsigned long up, child_up, child_down, ike_down_unplanned, sent;
static unsigned long send_errors;
static unsigned int inflight;
static tw_time_t t_first, t_last;
static tw_time_t *up_at;              /* per policy: first child up */
static unsigned int n_tun, n_timers;

static void
send_one(const struct ike_action *a)
{
	if (a->u.send.sport != IKE_UDP_PORT || a->u.send.keepalive) {
		send_errors++;   /* no NAT here: never on 4500 */
		return;
	}
	if (ike_peer_send(sock, a->u.send.src.v4, a->u.send.dst.v4,
			  a->u.send.dport,
			  a->u.send.data, a->u.send.len) < 0)
		send_errors++;
	else
		sent++;
}

static void
run(int n, const struct ike_action *acts, tw_time_t now)
{
	int i;

	if (n < 0) {
		fprintf(stderr, "ike_load: engine call: %s\n", strerror(-n));
		return;
	}
	for (i = 0; i < n; i++) {
		const struct ike_action *a = &acts[i];
		const struct ike_child *c;

		switch (a->type) {
		case IKE_ACT_SEND:
			send_one(a);
			break;
		case IKE_ACT_ARM:
		case IKE_ACT_CANCEL:
			ike_peer_timer_action(&heap, T, n_timers, a);
			break;
		case IKE_ACT_CHILD_UP:
			c = a->u.child.c;
			child_up++;
			if (c->policy < n_tun && up_at[c->policy] == 0) {
				up_at[c->policy] = now;
				up++;
				if (inflight > 0)
					inflight--;
				if (t_first == 0)
					t_first = now;
				t_last = now;
			}
			break;
		case IKE_ACT_CHILD_DOWN:
			child_down++;
			break;
		case IKE_ACT_IKE_UP:
			break;
		case IKE_ACT_IKE_DOWN: {
			const struct ike_sa *sa = ike_engine_sa(E, a->sa_id);

			if (sa == NULL || sa->rekeyed_to == 0) {
				/* A set-up that failed frees its window slot. */
				if (sa != NULL && sa->policy < n_tun &&
				    up_at[sa->policy] == 0 && inflight > 0)
					inflight--;
				ike_down_unplanned++;
				fprintf(stderr, "ike_load: IKE SA %u down: %s\n",
					a->sa_id, a->u.reason);
			}
			break;
		}
		case IKE_ACT_IKE_DELETING:
			break;
		}
	}
}

static void
timer_fire(void *arg, tw_time_t now)
{
	struct ike_peer_timer *t = arg;
	struct ike_action acts[IKE_ACTIONS_MAX];

	run(ike_timer(E, t->sa_id, now, acts, IKE_ACTIONS_MAX), acts, now);
}

static void
receive(void)
{
	uint8_t buf[8192];
	struct ike_action acts[IKE_ACTIONS_MAX];
	struct ike_pkt pkt;
	unsigned int k;
	tw_time_t now;

	for (k = 0; k < 64; k++) {
		if (ike_peer_recv(sock, buf, sizeof(buf), &pkt) < 0)
			return;
		now = ike_peer_now();
		run(ike_input(E, &pkt, now, acts, IKE_ACTIONS_MAX), acts, now);
	}
}

static void
policy(struct ike_policy *p, unsigned int i, uint32_t base, uint32_t gw,
       uint32_t child_life)
{
	uint32_t ours = (10u << 24 | 64u << 16) + i * 4;
	uint32_t theirs = (172u << 24 | 16u << 16) + i * 4;

	ike_peer_policy(p, base + i, gw, "bench", PSK, ours, 30, theirs, 30,
			child_life);
	snprintf(p->map, sizeof(p->map), "LOAD");
	p->seq = i + 1;
}

static uint8_t fixed_spi[4];

/* IKE_LOAD_ESP_SPI: 4-byte draws give the SPI, the rest OpenSSL's. */
static int
rng_fixed_spi(void *arg, uint8_t *buf, size_t len)
{
	if (len == sizeof(fixed_spi)) {
		memcpy(buf, fixed_spi, len);
		return 0;
	}
	return ike_rng_openssl(arg, buf, len);
}

static void
wait_io(tw_time_t until)
{
	struct pollfd pfd = { .fd = sock, .events = POLLIN };
	tw_time_t now = ike_peer_now(), next = tw_heap_next(&heap);
	int ms;

	if (next > until)
		next = until;
	ms = next <= now ? 0 : (int)((next - now) / TW_NSEC_PER_MSEC) + 1;
	if (ms > 100)
		ms = 100;
	if (poll(&pfd, 1, ms) > 0)
		receive();
	tw_heap_run(&heap, ike_peer_now());
}

/* Policy p has an installed Child SA in one of its live IKE SAs. */
static bool
has_child(unsigned int p)
{
	const struct ike_sa *sa = NULL;
	unsigned int k;

	while ((sa = ike_engine_policy_sa_next(E, p, sa)) != NULL)
		for (k = 0; k < IKE_CHILD_MAX; k++)
			if (sa->child[k].state == IKE_CHILD_INSTALLED)
				return true;
	return false;
}

int
main(int argc, char **argv)
{
	struct ike_rng rng = { ike_rng_openssl, NULL };
	struct ike_action acts[IKE_ACTIONS_MAX];
	struct ike_config cfg;
	struct ike_policy *pol;
	struct ike_counters c;
	unsigned int w, next = 0, i, j, n_done = 0, with_child = 0;
	uint32_t gw, base, child_life, ike_life, rekey_wait, first = 0, v;
	uint32_t bind_to = 0;
	const char *fix = getenv("IKE_LOAD_ESP_SPI");
	tw_time_t t0, deadline, *sorted;
	double rate;

	if (argc != 8 && argc != 9) {
		fprintf(stderr, "usage: ike_load GW BASE N WINDOW CHILD_LIFE_S IKE_LIFE_S REKEY_WAIT_S [FIRST]\n");
		return 2;
	}
	gw = ike_peer_ip4("ike_load", argv[1]);
	base = ike_peer_ip4("ike_load", argv[2]);
	n_tun = (unsigned int)strtoul(argv[3], NULL, 0);
	w = (unsigned int)strtoul(argv[4], NULL, 0);
	child_life = (uint32_t)strtoul(argv[5], NULL, 0);
	ike_life = (uint32_t)strtoul(argv[6], NULL, 0);
	rekey_wait = (uint32_t)strtoul(argv[7], NULL, 0);
	if (argc == 9) {
		first = (uint32_t)strtoul(argv[8], NULL, 0);
		bind_to = base + first;
	}
	if (fix != NULL) {
		v = (uint32_t)strtoul(fix, NULL, 0);
		if (v < 256) {
			fprintf(stderr, "ike_load: IKE_LOAD_ESP_SPI %s: SPIs below 256 are reserved (RFC 4303 2.1)\n",
				fix);
			return 2;
		}
		fixed_spi[0] = (uint8_t)(v >> 24);
		fixed_spi[1] = (uint8_t)(v >> 16);
		fixed_spi[2] = (uint8_t)(v >> 8);
		fixed_spi[3] = (uint8_t)v;
		rng.bytes = rng_fixed_spi;
	}
	if (n_tun == 0 || w == 0 || child_life == 0 || ike_life == 0)
		return 2;
	ike_peer_log_stderr("ike_load", TW_LOG_WARNING);
	pol = calloc(n_tun, sizeof(pol[0]));
	up_at = calloc(n_tun, sizeof(up_at[0]));
	sorted = calloc(n_tun, sizeof(sorted[0]));
	if (pol == NULL || up_at == NULL || sorted == NULL)
		return 2;
	for (i = 0; i < n_tun; i++)
		policy(&pol[i], first + i, base, gw, child_life);
	ike_config_defaults(&cfg);
	cfg.policies = pol;
	cfg.n_policies = n_tun;
	cfg.max_sas = 2 * n_tun + w + 64;
	cfg.ike_life_s = ike_life;
	cfg.dpd_interval_s = 0;
	cfg.retransmit_ms = 2000;
	cfg.retransmit_tries = 4;
	E = ike_engine_create(&cfg, ike_crypto_openssl(), &rng);
	T = calloc(cfg.max_sas, sizeof(T[0]));
	if (E == NULL || T == NULL || tw_heap_init(&heap, 1024) < 0)
		return 2;
	n_timers = cfg.max_sas;
	ike_peer_timers_init(T, n_timers, timer_fire);
	sock = ike_peer_socket(bind_to, 8 << 20, false);
	if (sock < 0) {
		perror("ike_load: socket");
		return 2;
	}

	/* Set-up, paced by the window. */
	t0 = ike_peer_now();
	deadline = t0 + TW_SEC(60 + n_tun / 50);
	while (up < n_tun && ike_peer_now() < deadline) {
		while (next < n_tun && inflight < w) {
			tw_time_t now = ike_peer_now();

			run(ike_initiate(E, next++, now, acts, IKE_ACTIONS_MAX),
			    acts, now);
			inflight++;
		}
		wait_io(deadline);
	}
	/* Rekeys: every tunnel kept up for rekey_wait more seconds. */
	deadline = ike_peer_now() + TW_SEC(rekey_wait);
	while (ike_peer_now() < deadline)
		wait_io(deadline);
	ike_counters_read(E, &c);
	/* Tunnels holding an installed child now (rekeys in flight make
	 * live_children exceed n_tun for a moment; this does not). */
	for (i = 0; i < n_tun; i++)
		if (has_child(i))
			with_child++;

	for (i = 0; i < n_tun; i++)
		if (up_at[i] != 0)
			sorted[n_done++] = up_at[i];
	/* Insertion order is nearly sorted already. */
	for (i = 1; i < n_done; i++) {
		tw_time_t key = sorted[i];

		for (j = i; j > 0 && sorted[j - 1] > key; j--)
			sorted[j] = sorted[j - 1];
		sorted[j] = key;
	}
	rate = up > 1 && t_last > t0 ?
		(double)up / ((double)(t_last - t0) / 1e9) : 0;
	printf("{\"n\": %u, \"window\": %u, \"up\": %lu, \"setup_s\": %.3f, "
	       "\"tunnels_per_s\": %.1f, \"per_1000_s\": [", n_tun, w, up,
	       (double)(t_last - t0) / 1e9, rate);
	for (i = 999; i < n_done; i += 1000)
		printf("%s%.3f", i == 999 ? "" : ", ",
		       (double)(sorted[i] - t0) / 1e9);
	printf("],\n \"child_up\": %lu, \"child_down\": %lu, "
	       "\"live_children\": %lu, \"ike_down_unplanned\": %lu, "
	       "\"sent\": %lu, \"send_errors\": %lu, "
	       "\"tunnels_with_child\": %u,\n", child_up, child_down,
	       child_up - child_down, ike_down_unplanned, sent, send_errors,
	       with_child);
	printf(" \"counters\": {\"sa_established\": %lu, \"sa_failed\": %lu, "
	       "\"sa_rekeyed\": %lu, \"child_created\": %lu, "
	       "\"child_rekeyed\": %lu, \"child_deleted\": %lu, "
	       "\"timeouts\": %lu, \"tx_retransmits\": %lu, "
	       "\"rx_dropped\": %lu, \"illegal\": %lu, \"auth_failed\": %lu, "
	       "\"cookies\": %lu}}\n",
	       (unsigned long)c.sa_established, (unsigned long)c.sa_failed,
	       (unsigned long)c.sa_rekeyed, (unsigned long)c.child_created,
	       (unsigned long)c.child_rekeyed, (unsigned long)c.child_deleted,
	       (unsigned long)c.timeouts, (unsigned long)c.tx_retransmits,
	       (unsigned long)c.rx_dropped, (unsigned long)c.illegal,
	       (unsigned long)c.auth_failed, (unsigned long)c.cookies_bad);
	close(sock);
	ike_engine_destroy(E);
	return up == n_tun ? 0 : 1;
}
