/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ike_hostile: an IKEv2 peer that misbehaves on purpose, for
 * tests/lab/ike_hostile.sh. It is lib/ike's engine as an initiator (so
 * that IKE_SA_INIT and IKE_AUTH with a PSK are done right), plus what a
 * hostile peer adds: it reads its own IKE SA's keys, opens and re-seals
 * the messages its engine sends, and crafts messages of its own.
 *
 *   ike_hostile [options] SCENARIO
 *     -g GW      the gateway (192.0.2.2)
 *     -l ADDR    our address (UDP 500 is bound to any address)
 *     -k PSK     pre-shared key
 *     -L P/LEN   our selectors (10.66.0.0/16)
 *     -R P/LEN   the gateway's selectors (10.2.0.0/16)
 *     -p GROUP   our PFS group, 0 none (19)
 *     -t SECS    how long the scenario runs or waits (10)
 *     -n N       flood: source addresses -l .. -l + N - 1; sastorm: IKE
 *                SAs (1)
 *     -r PPS     flood: IKE_SA_INIT per second (500)
 *     -c         flood: answer the gateway's COOKIE (a source that can
 *                see its replies)
 *
 * Scenarios (each prints one JSON object on its last line; the test
 * script asserts on it and on the gateway's telemetry and log):
 *   setup      IKE SA + Child SA; "setup_ms"; then stays up -t seconds
 *   ts16       set up, delete our Child SA, print "ready", and answer the
 *              gateway's CREATE_CHILD_SA (new Child SA: the script sends
 *              traffic that needs one) with 16 selectors in TSi and TSr,
 *              each within the policy but one: in TSr, an IPv6 one
 *              whose bytes make a phantom child (phantom_spi) on a
 *              gateway that overflows the child's four; "del_esp" lists
 *              the ESP SPIs the gateway then deletes, "children" ours
 *   tswide     the same, answered with TSi = TSr = 0.0.0.0-255.255.255.255
 *   ts16rekey, tswiderekey  the same in the answer to the gateway's
 *              rekey of our Child SA (the script sends enough traffic for
 *              its volume lifetime); we keep our child
 *   nopfs      set up (with -p 0), then rekey our Child SA by a
 *              CREATE_CHILD_SA without KE; "ccs_notify" the notify types
 *              of the answers
 *   spoof      set up, run one exchange, then against its message ID:
 *              a bare 28-byte header (20 copies), the request
 *              re-sealed (authentic, not byte-identical: 20), the request
 *              byte for byte (20 back to back, then one 2 s after their
 *              answer); the responses each drew
 *   rekeystorm set up, then CREATE_CHILD_SA rekeys of our Child SA as fast
 *              as answers come, for -t seconds; "ccs_ok", "ccs_tempfail",
 *              and when each accepted one left and came back
 *   sastorm    -n IKE SAs (2-12) of ours at once, only the first with
 *              INITIAL_CONTACT; "ike_sas_up" how many the gateway let up
 *              within -t seconds
 *   initflood  IKE_SA_INIT (no state kept) from -n sources at -r per
 *              second for -t seconds; the answers by kind
 * Exit 0 when the scenario ran (what the gateway did is for the script to
 * judge), 1 when it could not (no IKE SA, a socket error), 2 on usage.
 */
#include <errno.h>
#include <stddef.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ike_hostile.h"
#include "ike_peer.h"
#include "ike_sa.h"
#include "ike_sk.h"
#include "tw_bytes.h"
#include "tw_compiler.h"
#include "tw_heap.h"
#include "tw_log.h"

#define MAX_SAS 16
#define SPOOF_COPIES 20
#define MAX_NOTIFY 32
#define MAX_DEL 16
#define MAX_OK 256

/* Options. */
uint32_t o_gw, o_local, o_lnet, o_rnet;
uint8_t o_llen = 16, o_rlen = 16;
static const char *o_psk = "twinsec-hostile-psk-published-do-not-reuse";
static unsigned int o_pfs = 19;
unsigned int o_secs = 10, o_n = 1, o_pps = 500;
bool o_cookie;

const struct ike_crypto_ops *ops;
struct ike_rng rng = { ike_rng_openssl, NULL };
static struct ike_engine *E;
static struct ike_config cfg;
#define MAX_POL 12
static struct ike_policy pols[MAX_POL];
static struct tw_heap heap;
static struct ike_peer_timer T[MAX_SAS];
int sock = -1;

/* What the scenarios look at. */
static enum edit edit_resp;          /* our CREATE_CHILD_SA responses */
static unsigned int edited;
static uint8_t last_req[BUF];        /* our last encrypted request */
static size_t last_req_len;
static unsigned long rx_resp;        /* responses received (R flag) */
static unsigned long rx_resp_msgid;  /* ... with msgid watch_msgid */
static uint32_t watch_msgid = UINT32_MAX;
static unsigned long ccs_sent, ccs_ok, ccs_tempfail, ccs_other;
static uint16_t ccs_notify[MAX_NOTIFY];
static unsigned int n_ccs_notify;
/* Accepted CREATE_CHILD_SA: when the request first left, when its
 * answer came back (the gateway took it in between). */
static tw_time_t ok_sent[MAX_OK], ok_at[MAX_OK];
static tw_time_t ccs_req_at;
static uint32_t ccs_msgid = UINT32_MAX;
static bool ccs_answered_any;
static uint32_t ccs_answered_msgid;
static uint32_t del_esp[MAX_DEL];
static unsigned int n_del_esp;
static unsigned long gw_ccs_requests; /* CREATE_CHILD_SA requests to us */
unsigned long send_errors;

tw_time_t
now_ns(void)
{
	return ike_peer_now();
}

void
die(const char *why)
{
	fprintf(stderr, "ike_hostile: %s\n", why);
	exit(1);
}

static uint32_t
ip4(const char *s)
{
	return ike_peer_ip4("ike_hostile", s);
}

static void
prefix(const char *s, uint32_t *addr, uint8_t *len)
{
	char buf[32];
	char *slash;

	snprintf(buf, sizeof(buf), "%s", s);
	slash = strchr(buf, '/');
	if (slash == NULL) {
		fprintf(stderr, "ike_hostile: %s: not a prefix\n", s);
		exit(2);
	}
	*slash = '\0';
	*addr = ip4(buf);
	*len = (uint8_t)atoi(slash + 1);
}

/* ---- the wire ---- */

void
send_from(uint32_t src, uint32_t dst, const uint8_t *data, size_t len)
{
	if (ike_peer_send(sock, src, dst, IKE_UDP_PORT, data, len) < 0)
		send_errors++;
}

void
bind_ike(void)
{
	sock = ike_peer_socket(0, 0, true);
	if (sock < 0)
		die("cannot bind UDP 500");
}

static const struct ike_sa *
our_sa(void)
{
	return ike_sa_of_policy(E, 0);
}

/* Every datagram our engine sends passes here. */
static void
send_action(const struct ike_action *a)
{
	static uint8_t out[BUF];
	const struct ike_sa *sa = our_sa();
	const uint8_t *d = a->u.send.data;
	size_t len = a->u.send.len;
	int n;

	if (a->u.send.sport != IKE_UDP_PORT || a->u.send.keepalive ||
	    len < 28)
		return;   /* no NAT in this lab */
	if (sa != NULL && d[18] != IKE_EXCH_SA_INIT) {
		if (!(d[19] & IKE_FLAG_RESPONSE)) {
			memcpy(last_req, d, len);
			last_req_len = len;
			/* a new one, not a retransmission: when it left */
			if (d[18] == IKE_EXCH_CREATE_CHILD_SA &&
			    tw_get32(d + 20) != ccs_msgid) {
				ccs_msgid = tw_get32(d + 20);
				ccs_req_at = now_ns();
				ccs_sent++;
			}
		} else if (d[18] == IKE_EXCH_CREATE_CHILD_SA &&
			   edit_resp != EDIT_NONE) {
			n = reseal(sa, d, len, edit_resp, out, sizeof(out));
			if (n > 0) {
				/* a line for the script: stop the traffic */
				if (edited++ == 0) {
					printf("edited\n");
					fflush(stdout);
				}
				d = out;
				len = (size_t)n;
			} else {
				fprintf(stderr, "ike_hostile: cannot edit our response: %d\n",
					n);
			}
		}
	}
	send_from(a->u.send.src.v4, a->u.send.dst.v4, d, len);
}

/* ---- the engine's actions ---- */

static tw_time_t t_start, t_up;

static void
run(int n, const struct ike_action *acts, tw_time_t now)
{
	int i;

	if (n < 0) {
		fprintf(stderr, "ike_hostile: engine call: %s\n", strerror(-n));
		return;
	}
	for (i = 0; i < n; i++) {
		const struct ike_action *a = &acts[i];

		switch (a->type) {
		case IKE_ACT_SEND:
			send_action(a);
			break;
		case IKE_ACT_ARM:
		case IKE_ACT_CANCEL:
			ike_peer_timer_action(&heap, T, MAX_SAS, a);
			break;
		case IKE_ACT_CHILD_UP:
			if (t_up == 0)
				t_up = now;
			break;
		case IKE_ACT_IKE_DOWN:
			fprintf(stderr, "ike_hostile: IKE SA %u down: %s\n",
				a->sa_id, a->u.reason);
			break;
		default:
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

/* What the gateway sent us on our IKE SA, noted before the engine. */
static void
note_rx(const uint8_t *buf, size_t len)
{
	static uint8_t plain[BUF];
	static struct ike_msg m;
	const struct ike_sa *sa = our_sa();
	const struct ike_payload *p;
	unsigned int i, from = 0;
	uint16_t err = 0;
	bool resp;

	if (len < 28)
		return;
	resp = (buf[19] & IKE_FLAG_RESPONSE) != 0;
	if (resp) {
		rx_resp++;
		if (tw_get32(buf + 20) == watch_msgid)
			rx_resp_msgid++;
	}
	if (sa == NULL || buf[18] == IKE_EXCH_SA_INIT ||
	    open_msg(sa, buf, len, false, &m, plain, sizeof(plain)) < 0)
		return;
	if (m.hdr.exchange == IKE_EXCH_CREATE_CHILD_SA && !resp)
		gw_ccs_requests++;
	/* once per exchange: the gateway answers our retransmission of a
	 * request it was slow to answer from its cache, the same again */
	if (m.hdr.exchange == IKE_EXCH_CREATE_CHILD_SA && resp &&
	    (ccs_answered_any && m.hdr.msg_id == ccs_answered_msgid))
		return;
	if (m.hdr.exchange == IKE_EXCH_CREATE_CHILD_SA && resp) {
		ccs_answered_any = true;
		ccs_answered_msgid = m.hdr.msg_id;
		for (i = 0; i < m.n_pl; i++)
			if (m.pl[i].type == IKE_PL_NOTIFY &&
			    m.pl[i].u.notify.type < 16384 && err == 0)
				err = m.pl[i].u.notify.type;
		if (err == 0 && ike_msg_find(&m, IKE_PL_SA, &from) != NULL) {
			if (ccs_ok < MAX_OK) {
				ok_sent[ccs_ok] = ccs_req_at;
				ok_at[ccs_ok] = now_ns();
			}
			ccs_ok++;
		} else if (err == IKE_N_TEMPORARY_FAILURE)
			ccs_tempfail++;
		else
			ccs_other++;
		for (i = 0; i < n_ccs_notify && ccs_notify[i] != err; i++)
			;
		if (err != 0 && i == n_ccs_notify && i < MAX_NOTIFY)
			ccs_notify[n_ccs_notify++] = err;
	}
	from = 0;
	while (!resp &&
	       (p = ike_msg_find(&m, IKE_PL_DELETE, &from)) != NULL) {
		if (p->u.del.proto != IKE_PROTO_ESP)
			continue;
		for (i = 0; i < p->u.del.n_spi && n_del_esp < MAX_DEL; i++)
			del_esp[n_del_esp++] = ike_delete_spi(&p->u.del, i);
	}
}

static void
receive(bool to_engine)
{
	static uint8_t buf[BUF];
	struct ike_action acts[IKE_ACTIONS_MAX];
	struct ike_pkt pkt;
	unsigned int k;
	tw_time_t now;

	for (k = 0; k < 64; k++) {
		if (ike_peer_recv(sock, buf, sizeof(buf), &pkt) < 0)
			return;
		if (!to_engine)
			continue;
		note_rx(buf, pkt.len);
		now = now_ns();
		run(ike_input(E, &pkt, now, acts, IKE_ACTIONS_MAX), acts, now);
	}
}

/* Serve the engine (and the wire) until until, or cond() holds. */
static bool
serve(tw_time_t until, bool (*cond)(void))
{
	struct pollfd pfd = { .fd = sock, .events = POLLIN };

	for (;;) {
		tw_time_t now = now_ns(), next = tw_heap_next(&heap);
		int ms;

		if (cond != NULL && cond())
			return true;
		if (now >= until)
			return false;
		if (next > until)
			next = until;
		ms = next <= now ? 0 : (int)((next - now) / TW_NSEC_PER_MSEC) + 1;
		if (ms > 50)
			ms = 50;
		if (poll(&pfd, 1, ms) > 0)
			receive(true);
		tw_heap_run(&heap, now_ns());
	}
}

static const struct ike_child *
our_child(void)
{
	const struct ike_sa *sa = our_sa();
	unsigned int i;

	if (sa == NULL)
		return NULL;
	for (i = 0; i < IKE_CHILD_MAX; i++)
		if (sa->child[i].state == IKE_CHILD_INSTALLED)
			return &sa->child[i];
	return NULL;
}

static bool
is_up(void)
{
	return our_child() != NULL;
}

static bool
no_child(void)
{
	const struct ike_sa *sa = our_sa();

	return sa != NULL && sa->req == IKE_REQ_NONE && our_child() == NULL;
}

static bool
idle(void)
{
	const struct ike_sa *sa = our_sa();

	return sa != NULL && sa->req == IKE_REQ_NONE;
}

static bool
was_edited(void)
{
	return edited > 0;
}

/* ---- scenarios ---- */

/* Our engine with n_pol policies (the first with -L, the others each a
 * /24 of it), the first one's IKE SA and Child SA up. */
static void
engine_up_n(unsigned int n_pol)
{
	struct ike_action acts[IKE_ACTIONS_MAX];
	struct ike_policy pol;
	unsigned int i;
	char who[16];

	bind_ike();
	snprintf(who, sizeof(who), "%u.%u.%u.%u", o_local >> 24,
		 (o_local >> 16) & 0xff, (o_local >> 8) & 0xff, o_local & 0xff);
	ike_peer_policy(&pol, o_local, o_gw, who, o_psk, o_lnet, o_llen,
			o_rnet, o_rlen, 86400);
	snprintf(pol.map, sizeof(pol.map), "HOSTILE");
	pol.seq = 1;
	pol.pfs_group = (uint16_t)o_pfs;
	for (i = 0; i < n_pol; i++) {
		pols[i] = pol;
		pols[i].seq = i + 1;
		if (i > 0)
			ike_ts_from_prefix(&pols[i].ts[0].local,
					   o_lnet + (i << 8), 24, 0, 0, 65535);
	}
	ike_config_defaults(&cfg);
	cfg.policies = pols;
	cfg.n_policies = n_pol;
	cfg.max_sas = MAX_SAS;
	cfg.ike_life_s = 86400;
	cfg.dpd_interval_s = 0;
	cfg.retransmit_ms = 1000;
	cfg.retransmit_tries = 5;
	E = ike_engine_create(&cfg, ops, &rng);
	if (E == NULL || tw_heap_init(&heap, 64) < 0)
		die("cannot create the engine");
	ike_peer_timers_init(T, MAX_SAS, timer_fire);
	t_start = now_ns();
	run(ike_initiate(E, 0, t_start, acts, IKE_ACTIONS_MAX), acts, t_start);
	if (!serve(t_start + TW_SEC(30), is_up))
		die("no IKE SA with a Child SA within 30 s");
}

static void
engine_up(void)
{
	engine_up_n(1);
}

static void
print_children(void)
{
	const struct ike_sa *sa = our_sa();
	unsigned int i, k = 0;

	printf("\"children\": [");
	for (i = 0; sa != NULL && i < IKE_CHILD_MAX; i++) {
		const struct ike_child *c = &sa->child[i];

		if (c->state == IKE_CHILD_NONE)
			continue;
		printf("%s{\"state\": \"%s\", \"spi_in\": \"%08x\", \"spi_out\": \"%08x\"}",
		       k++ ? ", " : "", ike_child_state_name(c->state),
		       c->spi_in, c->spi_out);
	}
	printf("]");
}

static void
print_common(const char *scenario)
{
	const struct ike_sa *sa = our_sa();
	unsigned int i;

	printf("{\"scenario\": \"%s\", \"setup_ms\": %llu, ", scenario,
	       (unsigned long long)((t_up - t_start) / TW_NSEC_PER_MSEC));
	printf("\"ike_up\": %s, \"spi_i\": \"%016llx\", ",
	       sa != NULL && sa->state == IKE_SA_ESTABLISHED ? "true" : "false",
	       sa != NULL ? (unsigned long long)sa->spi_i : 0ULL);
	printf("\"ccs_sent\": %lu, \"ccs_ok\": %lu, \"ccs_tempfail\": %lu, \"ccs_other\": %lu, ",
	       ccs_sent, ccs_ok, ccs_tempfail, ccs_other);
	printf("\"ccs_notify\": [");
	for (i = 0; i < n_ccs_notify; i++)
		printf("%s\"%s\"", i ? ", " : "", ike_notify_name(ccs_notify[i]));
	printf("], \"del_esp\": [");
	for (i = 0; i < n_del_esp; i++)
		printf("%s\"%08x\"", i ? ", " : "", del_esp[i]);
	printf("], \"gw_ccs_requests\": %lu, \"edited\": %u, \"send_errors\": %lu, ",
	       gw_ccs_requests, edited, send_errors);
	printf("\"phantom_spi\": \"%s\", ", planted ? "0bad5bad" : "");
	print_children();
}

static int
sc_setup(void)
{
	engine_up();
	serve(now_ns() + TW_SEC(o_secs), NULL);
	print_common("setup");
	printf("}\n");
	return 0;
}

/* The gateway asks for a Child SA: a new one (ours deleted, then
 * traffic) or a rekey (its volume lifetime, traffic), and our answer
 * carries hostile selectors. */
static int
sc_ts(enum edit ed, bool rekey)
{
	struct ike_action acts[IKE_ACTIONS_MAX];
	const struct ike_child *c;
	tw_time_t now;

	engine_up();
	c = our_child();
	now = now_ns();
	if (!rekey) {
		run(ike_delete_child(E, c->spi_in, now, acts,
				     IKE_ACTIONS_MAX), acts, now);
		if (!serve(now + TW_SEC(10), no_child))
			die("our Child SA is not gone 10 s after our DELETE");
	}
	n_del_esp = 0;
	edit_resp = ed;
	printf("ready\n");
	fflush(stdout);
	serve(now_ns() + TW_SEC(o_secs), was_edited);
	/* what the gateway does about it */
	serve(now_ns() + TW_SEC(3), NULL);
	print_common(ed == EDIT_TS16 ? (rekey ? "ts16rekey" : "ts16") :
		     (rekey ? "tswiderekey" : "tswide"));
	printf("}\n");
	return 0;
}

static bool
ccs_answered(void)
{
	return ccs_ok + ccs_tempfail + ccs_other > 0 && idle();
}

static int
sc_nopfs(void)
{
	struct ike_action acts[IKE_ACTIONS_MAX];
	tw_time_t now;

	engine_up();
	now = now_ns();
	run(ike_rekey_child(E, our_child()->spi_in, now, acts,
			    IKE_ACTIONS_MAX), acts, now);
	serve(now + TW_SEC(o_secs), ccs_answered);
	serve(now_ns() + TW_SEC(1), NULL);
	print_common("nopfs");
	printf("}\n");
	return 0;
}

static unsigned long base_msgid;

static bool
answered(void)
{
	return rx_resp_msgid > base_msgid;
}

static int
sc_spoof(void)
{
	struct ike_action acts[IKE_ACTIONS_MAX];
	static uint8_t req[BUF], mod[BUF], hdr[28];
	unsigned long hdr_ans, mod_ans, burst_ans, late_ans, base;
	const struct ike_sa *sa;
	size_t req_len;
	tw_time_t now;
	uint32_t msgid;
	int i, n;

	engine_up();
	/* One exchange of ours for the gateway to cache the answer of (a
	 * rekey, then our DELETE of the old child: that one's answer). */
	now = now_ns();
	run(ike_rekey_child(E, our_child()->spi_in, now, acts,
			    IKE_ACTIONS_MAX), acts, now);
	serve(now + TW_SEC(10), ccs_answered);
	serve(now_ns() + TW_SEC(10), idle);
	serve(now_ns() + TW_SEC(1), NULL);
	sa = our_sa();
	if (sa == NULL || last_req_len == 0)
		die("no exchange to spoof");
	memcpy(req, last_req, last_req_len);
	req_len = last_req_len;
	msgid = tw_get32(req + 20);
	watch_msgid = msgid;
	/* a: the header alone, 28 bytes, length 28 */
	memcpy(hdr, req, 28);
	hdr[16] = IKE_PL_NONE;
	tw_put32(hdr + 24, 28);
	base = rx_resp_msgid;
	for (i = 0; i < SPOOF_COPIES; i++)
		send_from(o_local, o_gw, hdr, sizeof(hdr));
	/* 2 s: an answer the gateway's load delays is still this phase's */
	serve(now_ns() + TW_SEC(2), NULL);
	hdr_ans = rx_resp_msgid - base;
	/* b: the request, authentic, re-sealed (another IV) */
	base = rx_resp_msgid;
	for (i = 0; i < SPOOF_COPIES; i++) {
		n = reseal(sa, req, req_len, EDIT_NONE, mod, sizeof(mod));
		if (n < 0 || ((size_t)n == req_len &&
			      memcmp(mod, req, req_len) == 0))
			die("cannot re-seal our request");
		send_from(o_local, o_gw, mod, (size_t)n);
	}
	serve(now_ns() + TW_SEC(2), NULL);
	mod_ans = rx_resp_msgid - base;
	/* c: byte for byte, back to back (the gateway takes them in within
	 * its 500 ms); then once more 2 s after the answer came back, so
	 * 2 s after the gateway sent it whatever its load */
	base = rx_resp_msgid;
	for (i = 0; i < SPOOF_COPIES; i++)
		send_from(o_local, o_gw, req, req_len);
	base_msgid = base;
	serve(now_ns() + TW_SEC(5), answered);
	serve(now_ns() + TW_SEC(2), NULL);
	burst_ans = rx_resp_msgid - base;
	base = rx_resp_msgid;
	send_from(o_local, o_gw, req, req_len);
	base_msgid = base;
	serve(now_ns() + TW_SEC(5), answered);
	serve(now_ns() + TW_SEC(1), NULL);
	late_ans = rx_resp_msgid - base;
	print_common("spoof");
	printf(", \"msgid\": %u, \"exchange\": \"%s\", \"copies\": %d, \"hdr_answers\": %lu, \"resealed_answers\": %lu, \"identical_burst_answers\": %lu, \"identical_later_answers\": %lu}\n",
	       msgid, ike_exchange_name(req[18]), SPOOF_COPIES, hdr_ans,
	       mod_ans, burst_ans, late_ans);
	return 0;
}

static int
sc_rekeystorm(void)
{
	struct ike_action acts[IKE_ACTIONS_MAX];
	const struct ike_child *c;
	tw_time_t now, end, t0;
	unsigned long calls = 0, k;

	engine_up();
	t0 = now_ns();
	end = t0 + TW_SEC(o_secs);
	while ((now = now_ns()) < end) {
		if (idle() && (c = our_child()) != NULL) {
			run(ike_rekey_child(E, c->spi_in, now, acts,
					    IKE_ACTIONS_MAX), acts, now);
			calls++;
		}
		serve(now_ns() + TW_MSEC(1), NULL);
	}
	serve(now_ns() + TW_SEC(2), idle);
	print_common("rekeystorm");
	printf(", \"seconds\": %u, \"rekey_calls\": %lu, \"ok_sent_ms\": [",
	       o_secs, calls);
	for (k = 0; k < ccs_ok && k < MAX_OK; k++)
		printf("%s%lld", k ? ", " : "",
		       (long long)(ok_sent[k] - t0) / TW_NSEC_PER_MSEC);
	printf("], \"ok_ms\": [");
	for (k = 0; k < ccs_ok && k < MAX_OK; k++)
		printf("%s%lld", k ? ", " : "",
		       (long long)(ok_at[k] - t0) / TW_NSEC_PER_MSEC);
	printf("]}\n");
	return 0;
}

/* IKE SAs of one peer without INITIAL_CONTACT (RFC 7296 2.4): the
 * first one's cleared the gateway of our older ones, the others (one per
 * policy of ours, each a /24 of -L) all come at once. */
static int
sc_sastorm(void)
{
	struct ike_action acts[IKE_ACTIONS_MAX];
	const struct ike_sa *sa = NULL;
	unsigned int i, up = 0;
	tw_time_t now;

	if (o_n < 2 || o_n > MAX_POL || o_llen > 16)
		die("sastorm: -n 2..12 IKE SAs, -L /16 or wider");
	engine_up_n(o_n);
	now = now_ns();
	for (i = 1; i < o_n; i++)
		run(ike_initiate(E, i, now, acts, IKE_ACTIONS_MAX), acts, now);
	serve(now + TW_SEC(o_secs), NULL);
	while ((sa = ike_engine_sa_next(E, sa)) != NULL)
		up += sa->state == IKE_SA_ESTABLISHED;
	print_common("sastorm");
	printf(", \"tried\": %u, \"ike_sas_up\": %u}\n", o_n, up);
	return 0;
}

static void
usage(void)
{
	fprintf(stderr, "usage: ike_hostile [-g GW] [-l ADDR] [-k PSK] [-L P/LEN] [-R P/LEN] [-p GROUP] [-t SECS] [-n N] [-r PPS] [-c]\n"
		"       setup|ts16|tswide|ts16rekey|tswiderekey|nopfs|spoof|rekeystorm|\n"
		"       sastorm|initflood\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	const char *sc;
	int opt;

	o_gw = ip4("192.0.2.2");
	o_local = ip4("192.0.2.66");
	o_lnet = ip4("10.66.0.0");
	o_rnet = ip4("10.2.0.0");
	while ((opt = getopt(argc, argv, "g:l:k:L:R:p:t:n:r:c")) != -1) {
		switch (opt) {
		case 'g': o_gw = ip4(optarg); break;
		case 'l': o_local = ip4(optarg); break;
		case 'k': o_psk = optarg; break;
		case 'L': prefix(optarg, &o_lnet, &o_llen); break;
		case 'R': prefix(optarg, &o_rnet, &o_rlen); break;
		case 'p': o_pfs = (unsigned int)atoi(optarg); break;
		case 't': o_secs = (unsigned int)atoi(optarg); break;
		case 'n': o_n = (unsigned int)atoi(optarg); break;
		case 'r': o_pps = (unsigned int)atoi(optarg); break;
		case 'c': o_cookie = true; break;
		default: usage();
		}
	}
	if (optind != argc - 1 || o_n == 0 || o_pps == 0 || o_secs == 0 ||
	    o_llen > 24 || o_rlen > 24 || strlen(o_psk) > IKE_PSK_MAX)
		usage();
	sc = argv[optind];
	ops = ike_crypto_openssl();
	ike_peer_log_stderr("ike_hostile", TW_LOG_INFO);
	if (strcmp(sc, "setup") == 0)
		return sc_setup();
	if (strcmp(sc, "ts16") == 0)
		return sc_ts(EDIT_TS16, false);
	if (strcmp(sc, "tswide") == 0)
		return sc_ts(EDIT_TSWIDE, false);
	if (strcmp(sc, "ts16rekey") == 0)
		return sc_ts(EDIT_TS16, true);
	if (strcmp(sc, "tswiderekey") == 0)
		return sc_ts(EDIT_TSWIDE, true);
	if (strcmp(sc, "nopfs") == 0)
		return sc_nopfs();
	if (strcmp(sc, "spoof") == 0)
		return sc_spoof();
	if (strcmp(sc, "rekeystorm") == 0)
		return sc_rekeystorm();
	if (strcmp(sc, "initflood") == 0)
		return sc_initflood();
	if (strcmp(sc, "sastorm") == 0)
		return sc_sastorm();
	usage();
	return 2;
}
