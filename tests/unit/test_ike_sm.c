/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The IKEv2 engine on a fake clock: two engines wired back to back (A
 * initiates to B), every datagram carried by the test, which can drop,
 * hold or replay them. Establishment (keys agree both ways), retransmission
 * and the responder's cached answer, give-up, Child SA and IKE SA rekey
 * (with a collision), DELETE both ways, DPD, COOKIE, wrong PSK, proposal
 * mismatch, TS narrowing, NAT detection and NAT keepalives.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ike.h"
#include "ike_priv.h"      /* ike_sa_live(): the SA a test moves timers of */
#include "ike_proposal.h"
#include "ike_sa.h"
#include "tw_compiler.h"
#include "tw_log.h"

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | \
			(uint32_t)(c) << 8 | (uint32_t)(d))
#define QMAX 64
#define NSA 64
#define NDP 16

struct dgram {
	uint8_t d[IKE_MSG_BUF];
	size_t len;
	uint32_t src, dst;
	uint16_t sport, dport;
};

struct side {
	const char *name;
	struct ike_engine *e;
	struct ike_config cfg;
	struct ike_policy pol;
	struct dgram q[QMAX];
	unsigned int nq;
	tw_time_t dl[NSA + 1];
	unsigned int child_up, child_down, ike_up, ike_down, ike_deleting;
	/* CHILD_UPs that came after a SEND in one call: the peer could use
	 * the SA before our data plane has it (never, see teardown). */
	unsigned int up_after_send;
	struct ike_child last;           /* copy of the last CHILD_UP */
	uint32_t down_spi_in;
	uint32_t nat_addr;               /* a NAT rewrites our source */
	uint16_t nat_port;
	uint16_t nat_inner_port;         /* what the NAT maps nat_port to */
	unsigned int keepalives;         /* NAT keepalives sent */
	tw_time_t keepalive_last;
	struct dgram keepalive;          /* the last one */
	/* What the data plane holds: CHILD_UP adds, CHILD_DOWN removes. */
	uint32_t dp_in[NDP], dp_out[NDP];
	unsigned int n_dp;
	/* The outbound SA per inner family (0: IPv4, 1: IPv6) the glue's
	 * SPD would send on (bind_*()): app/twinsecd/ike/ike_glue_child.c's
	 * rules, to check that what one side sends on, the other holds. */
	uint32_t bind[2];
};

static struct side A, B;
static struct side M;            /* a second peer of B's (third_peer()) */
static struct ike_policy b_pols[2];
static tw_time_t now;

static void
quiet(enum tw_log_level l TW_UNUSED, const char *m TW_UNUSED,
      const char *f TW_UNUSED, va_list ap TW_UNUSED)
{
}

static void
policy(struct ike_policy *p, uint32_t local, uint32_t peer, uint32_t lnet,
       uint32_t rnet, const char *psk, uint16_t dh)
{
	char a[16];

	memset(p, 0, sizeof(*p));
	snprintf(p->map, sizeof(p->map), "VPN");
	p->seq = 10;
	p->local_addr = tw_addr_v4(local);
	p->peer_addr = tw_addr_v4(peer);
	ike_id_from_string(&p->local_id, conf_ipv4_str(local, a, sizeof(a)));
	p->psk_len = (uint8_t)strlen(psk);
	memcpy(p->psk, psk, p->psk_len);
	ike_proposal_init(&p->ike_props[0], 1, IKE_PROTO_IKE, NULL, 0);
	ike_proposal_add(&p->ike_props[0], IKE_XF_ENCR, IKE_ENCR_AES_GCM_16, 128);
	ike_proposal_add(&p->ike_props[0], IKE_XF_PRF, IKE_PRF_HMAC_SHA2_256, 0);
	ike_proposal_add(&p->ike_props[0], IKE_XF_DH, dh, 0);
	p->n_ike_props = 1;
	p->cipher = CONF_CIPHER_AES_GCM_128;
	p->integ = CONF_INTEG_NONE;
	p->replay_window = 64;
	ike_ts_from_prefix(&p->ts[0].local, lnet, 16, 0, 0, 65535);
	ike_ts_from_prefix(&p->ts[0].remote, rnet, 16, 0, 0, 65535);
	p->n_ts = 1;
	p->child_life_s = 3600;
	p->initiate = IKE_INITIATE_START;
}

static void
side_init(struct side *s, const char *name, uint32_t local, uint32_t peer,
	  uint32_t lnet, uint32_t rnet, const char *psk)
{
	unsigned int i;

	memset(s, 0, sizeof(*s));
	s->name = name;
	policy(&s->pol, local, peer, lnet, rnet, psk, IKE_DH_ECP_256);
	ike_config_defaults(&s->cfg);
	s->cfg.policies = &s->pol;
	s->cfg.n_policies = 1;
	s->cfg.max_sas = NSA;
	s->cfg.dpd_interval_s = 0;
	for (i = 0; i <= NSA; i++)
		s->dl[i] = TW_TIME_NEVER;
}

/*
 * A reproducible RNG (ike_crypto.h: "a counter in tests so every byte on
 * the wire is reproducible"): xorshift64* per side, so a failure replays.
 */
static int
test_rng(void *arg, uint8_t *buf, size_t len)
{
	uint64_t *x = arg;
	size_t i;

	for (i = 0; i < len; i++) {
		*x ^= *x >> 12;
		*x ^= *x << 25;
		*x ^= *x >> 27;
		buf[i] = (uint8_t)((*x * 0x2545F4914F6CDD1DULL) >> 56);
	}
	return 0;
}

static uint64_t rng_state[2];
static uint64_t seed_override;   /* a test sweeping seeds sets it */

static void
side_start(struct side *s)
{
	struct ike_rng rng = { test_rng, &rng_state[s == &B] };

	s->e = ike_engine_create(&s->cfg, ike_crypto_openssl(), &rng);
	assert_non_null(s->e);
}

static void
setup_pair(void)
{
	const char *seed = getenv("TW_TEST_SEED"); /* explore other runs */

	rng_state[0] = 0x9e3779b97f4a7c15ULL;
	if (seed_override != 0)
		rng_state[0] ^= seed_override;
	else if (seed != NULL)
		rng_state[0] ^= strtoull(seed, NULL, 0);
	rng_state[1] = rng_state[0] * 3 + 1;
	now = TW_SEC(1000);
	side_init(&A, "A", IP(192, 0, 2, 1), IP(192, 0, 2, 2), IP(10, 1, 0, 0),
		  IP(10, 2, 0, 0), "sesame-open");
	side_init(&B, "B", IP(192, 0, 2, 2), IP(192, 0, 2, 1), IP(10, 2, 0, 0),
		  IP(10, 1, 0, 0), "sesame-open");
	B.pol.initiate = IKE_INITIATE_RESPONDER;
}

static int
setup(void **st TW_UNUSED)
{
	if (getenv("IKE_SM_LOG") == NULL)
		tw_log_set_sink(quiet);
	else
		tw_log_set_level(TW_LOG_DEBUG);
	setup_pair();
	side_start(&A);
	side_start(&B);
	return 0;
}

static int
teardown(void **st TW_UNUSED)
{
	/*
	 * Every scenario: a Child SA is handed to the data plane before
	 * any message of the same call leaves (the responder's answer, the
	 * initiator's DELETE of the SA it rekeyed), so the glue can hold
	 * those until the SA is in (app/twinsecd/ike/ike_glue_held.c).
	 */
	assert_int_equal(A.up_after_send, 0);
	assert_int_equal(B.up_after_send, 0);
	ike_engine_destroy(A.e);
	ike_engine_destroy(B.e);
	ike_engine_destroy(M.e);
	A.e = B.e = M.e = NULL;
	return 0;
}

static int
dp_find(const struct side *s, uint32_t spi_in)
{
	unsigned int i;

	for (i = 0; i < s->n_dp; i++)
		if (s->dp_in[i] == spi_in)
			return (int)i;
	return -1;
}

/* Installed twice, or removed without being installed: a bug. */
static void
dp_add(struct side *s, uint32_t spi_in, uint32_t spi_out)
{
	assert_int_equal(dp_find(s, spi_in), -1);
	assert_true(s->n_dp < NDP);
	s->dp_in[s->n_dp] = spi_in;
	s->dp_out[s->n_dp++] = spi_out;
}

static void
dp_del(struct side *s, uint32_t spi_in, uint32_t spi_out)
{
	int i = dp_find(s, spi_in);

	assert_true(i >= 0);
	assert_int_equal(s->dp_out[i], spi_out);
	s->n_dp--;
	s->dp_in[i] = s->dp_in[s->n_dp];
	s->dp_out[i] = s->dp_out[s->n_dp];
}

static bool
child_is_v6(const struct ike_child *c)
{
	return c->n_local > 0 && c->ts_local[0].type == IKE_TS_IPV6_ADDR_RANGE;
}

/* The newest child of family v6 other than spi gone, on an IKE SA other
 * than skip and, unless deleting, not being deleted; 0: none. */
static uint32_t
bind_pick(const struct side *s, bool v6, uint32_t gone, uint32_t skip,
	  bool deleting)
{
	const struct ike_sa *sa = NULL;
	tw_time_t t = 0;
	uint32_t best = 0;
	unsigned int i;

	while ((sa = ike_engine_sa_next(s->e, sa)) != NULL) {
		if (sa->id == skip ||
		    (!deleting && sa->state == IKE_SA_DELETING))
			continue;
		for (i = 0; i < IKE_CHILD_MAX; i++) {
			const struct ike_child *c = &sa->child[i];

			if (c->state != IKE_CHILD_NONE && child_is_v6(c) == v6 &&
			    c->spi_out != gone && c->created >= t) {
				t = c->created;
				best = c->spi_out;
			}
		}
	}
	return best;
}

static void
bind_child_up(struct side *s, const struct ike_child *c)
{
	const struct ike_sa *isa = ike_engine_sa(s->e, c->sa_id);
	bool v6 = child_is_v6(c);

	if (c->initiator || s->bind[v6] == 0 ||
	    (c->replaces == 0 && (isa == NULL || !isa->dup_seen)))
		s->bind[v6] = c->spi_out;
}

static void
bind_child_down(struct side *s, uint32_t spi_out)
{
	unsigned int f;

	for (f = 0; f < 2; f++) {
		if (s->bind[f] != spi_out)
			continue;
		s->bind[f] = bind_pick(s, f, spi_out, 0, false);
		if (s->bind[f] == 0)
			s->bind[f] = bind_pick(s, f, spi_out, 0, true);
	}
}

static void
bind_ike_deleting(struct side *s, uint32_t sa_id)
{
	const struct ike_sa *isa = ike_engine_sa(s->e, sa_id);
	unsigned int f, i;
	uint32_t other;
	bool mine;

	for (f = 0; f < 2 && isa != NULL; f++) {
		mine = false;
		for (i = 0; i < IKE_CHILD_MAX; i++)
			mine |= isa->child[i].state != IKE_CHILD_NONE &&
				isa->child[i].spi_out == s->bind[f];
		other = bind_pick(s, f, 0, sa_id, false);
		if (mine && s->bind[f] != 0 && other != 0)
			s->bind[f] = other;
	}
}

static void
apply(struct side *s, const struct ike_action *a, int n)
{
	bool sent = false;
	int i;

	assert_true(n >= 0);
	for (i = 0; i < n; i++) {
		switch (a[i].type) {
		case IKE_ACT_SEND: {
			struct dgram *d = &s->q[s->nq];

			sent = true;
			if (a[i].u.send.keepalive) {
				/* The peer's glue drops them before the
				 * engine: not queued. */
				d = &s->keepalive;
				s->keepalives++;
				s->keepalive_last = now;
			} else {
				s->nq++;
			}

			assert_true(s->nq <= QMAX);
			assert_true(a[i].u.send.len <= sizeof(d->d));
			memcpy(d->d, a[i].u.send.data, a[i].u.send.len);
			d->len = a[i].u.send.len;
			d->src = s->nat_addr ? s->nat_addr :
				a[i].u.send.src.v4;
			d->sport = s->nat_port ? s->nat_port : a[i].u.send.sport;
			d->dst = a[i].u.send.dst.v4;
			s->nat_inner_port = a[i].u.send.sport;
			d->dport = a[i].u.send.dport;
			break;
		}
		case IKE_ACT_ARM:
			s->dl[a[i].sa_id] = a[i].u.at;
			break;
		case IKE_ACT_CANCEL:
			s->dl[a[i].sa_id] = TW_TIME_NEVER;
			break;
		case IKE_ACT_CHILD_UP:
			s->up_after_send += sent;
			s->child_up++;
			s->last = *a[i].u.child.c;
			dp_add(s, a[i].u.child.spi_in, a[i].u.child.spi_out);
			bind_child_up(s, a[i].u.child.c);
			break;
		case IKE_ACT_CHILD_DOWN:
			s->child_down++;
			s->down_spi_in = a[i].u.child.spi_in;
			dp_del(s, a[i].u.child.spi_in, a[i].u.child.spi_out);
			bind_child_down(s, a[i].u.child.spi_out);
			break;
		case IKE_ACT_IKE_UP:
			s->ike_up++;
			break;
		case IKE_ACT_IKE_DOWN:
			s->ike_down++;
			break;
		case IKE_ACT_IKE_DELETING:
			s->ike_deleting++;
			bind_ike_deleting(s, a[i].sa_id);
			break;
		}
	}
}

static void
deliver(struct side *to, const struct dgram *d)
{
	struct ike_action acts[IKE_ACTIONS_MAX];
	struct ike_pkt p = {
		.data = d->d, .len = d->len, .src = tw_addr_v4(d->src),
		.dst = tw_addr_v4(d->dst),
		.sport = d->sport, .dport = d->dport,
	};

	/* The NAT in front of to translates back. */
	if (to->nat_addr != 0 && d->dst == to->nat_addr) {
		p.dst = to->pol.local_addr;
		p.dport = to->nat_inner_port;
	}
	apply(to, acts, ike_input(to->e, &p, now, acts, IKE_ACTIONS_MAX));
}

/* Take the first queued datagram of s (false: none). */
static bool
pop(struct side *s, struct dgram *d)
{
	if (s->nq == 0)
		return false;
	*d = s->q[0];
	memmove(s->q, s->q + 1, (s->nq - 1) * sizeof(s->q[0]));
	s->nq--;
	return true;
}

/* Carry everything both ways until quiet; returns datagrams carried. */
static unsigned int
pump(void)
{
	static struct dgram d;
	unsigned int n = 0;

	for (;;) {
		if (pop(&A, &d))
			deliver(&B, &d);
		else if (pop(&B, &d))
			deliver(&A, &d);
		else
			return n;
		n++;
		assert_true(n < 1000);
	}
}

static void
fire(struct side *s)
{
	struct ike_action acts[IKE_ACTIONS_MAX];
	unsigned int i;

	for (i = 1; i <= NSA; i++) {
		if (s->dl[i] > now)
			continue;
		s->dl[i] = TW_TIME_NEVER;
		apply(s, acts, ike_timer(s->e, i, now, acts, IKE_ACTIONS_MAX));
	}
}

/* Let time pass in steps, firing deadlines and carrying datagrams. */
static void
run_for(tw_time_t d, tw_time_t step)
{
	tw_time_t end = now + d;

	while (now < end) {
		now += step;
		fire(&A);
		fire(&B);
		pump();
	}
}

static void
initiate(void)
{
	struct ike_action acts[IKE_ACTIONS_MAX];

	apply(&A, acts, ike_initiate(A.e, 0, now, acts, IKE_ACTIONS_MAX));
}

static const struct ike_sa *
first_sa(struct side *s)
{
	return ike_engine_sa_next(s->e, NULL);
}

/* The engine's own record of first_sa(s), for a test to move its timers. */
static struct ike_sa *
sa_rw(struct side *s)
{
	return ike_sa_live(s->e, first_sa(s)->id);
}

static unsigned int
n_sas(struct side *s)
{
	const struct ike_sa *sa = NULL;
	unsigned int n = 0;

	while ((sa = ike_engine_sa_next(s->e, sa)) != NULL)
		n++;
	return n;
}

/* Every installed child on one side has its crossed twin on the other. */
static void
check_installed_children_match(const struct ike_sa *sa_a,
			       const struct ike_sa *sa_b)
{
	unsigned int i, j, n = 0;

	assert_non_null(sa_a);
	assert_non_null(sa_b);
	for (i = 0; i < IKE_CHILD_MAX; i++) {
		const struct ike_child *a = &sa_a->child[i];
		const struct ike_child *b = NULL;

		if (a->state != IKE_CHILD_INSTALLED)
			continue;
		n++;
		for (j = 0; j < IKE_CHILD_MAX; j++)
			if (sa_b->child[j].state == IKE_CHILD_INSTALLED &&
			    sa_b->child[j].spi_in == a->spi_out)
				b = &sa_b->child[j];
		assert_non_null(b);
		assert_int_equal(a->spi_in, b->spi_out);
		assert_int_equal(a->initiator, !b->initiator);
		assert_memory_equal(a->keys.encr_i2r, b->keys.encr_i2r,
				    a->keys.encr_len);
		assert_memory_equal(a->keys.encr_r2i, b->keys.encr_r2i,
				    a->keys.encr_len);
		assert_int_equal(a->cipher, b->cipher);
	}
	assert_true(n >= 1);
}

/* Both sides agree on the Child SA: SPIs crossed, keys crossed. */
static void
check_children_match(void)
{
	const struct ike_child *a = &A.last, *b = &B.last;

	assert_int_equal(a->spi_in, b->spi_out);
	assert_int_equal(a->spi_out, b->spi_in);
	assert_int_equal(a->initiator, !b->initiator);
	assert_memory_equal(a->keys.encr_i2r, b->keys.encr_i2r,
			    a->keys.encr_len);
	assert_memory_equal(a->keys.encr_r2i, b->keys.encr_r2i,
			    a->keys.encr_len);
	assert_int_equal(a->cipher, b->cipher);
}

static void
establish(void)
{
	initiate();
	pump();
	assert_int_equal(A.ike_up, 1);
	assert_int_equal(B.ike_up, 1);
	assert_int_equal(A.child_up, 1);
	assert_int_equal(B.child_up, 1);
	check_children_match();
	assert_int_equal(first_sa(&A)->state, IKE_SA_ESTABLISHED);
	assert_int_equal(first_sa(&B)->state, IKE_SA_ESTABLISHED);
}

static void
test_establish(void **st TW_UNUSED)
{
	struct ike_counters c;

	establish();
	/* Four messages: IKE_SA_INIT and IKE_AUTH, each way. */
	ike_counters_read(A.e, &c);
	assert_int_equal(c.tx, 2);
	assert_int_equal(A.last.udp_encap, false);
	assert_int_equal(A.last.n_local, 1);
	assert_int_equal(A.last.ts_local[0].addr4_lo, IP(10, 1, 0, 0));
	assert_int_equal(B.last.ts_local[0].addr4_lo, IP(10, 2, 0, 0));
	/* A second initiate while up does nothing. */
	initiate();
	assert_int_equal(A.nq, 0);
}

static void
test_retransmit(void **st TW_UNUSED)
{
	struct ike_counters c;
	struct dgram d;

	initiate();
	pump();                          /* up */
	assert_int_equal(A.ike_up, 1);
	teardown(NULL);
	setup(NULL);
	initiate();
	/* The IKE_SA_INIT response is lost: A sends the request again after
	 * its first timeout, B answers from its cache. */
	assert_true(pop(&A, &d));
	deliver(&B, &d);
	assert_true(pop(&B, &d));        /* dropped */
	run_for(TW_MSEC(1100), TW_MSEC(100));
	assert_int_equal(A.ike_up, 1);
	ike_counters_read(A.e, &c);
	assert_int_equal(c.tx_retransmits, 1);
	ike_counters_read(B.e, &c);
	assert_int_equal(c.rx_retransmits, 1);
	assert_int_equal(n_sas(&B), 1);
	check_children_match();
}

static void
test_timeout(void **st TW_UNUSED)
{
	struct ike_counters c;
	struct dgram d;

	initiate();
	/* B is gone: 1 + 5 tries with back-off 1, 2, 4, 8, 16, 32 s. */
	for (now += TW_SEC(1); now < TW_SEC(1000 + 70); now += TW_SEC(1)) {
		fire(&A);
		while (pop(&A, &d))
			;
	}
	ike_counters_read(A.e, &c);
	assert_int_equal(c.tx_retransmits, 5);
	assert_int_equal(c.timeouts, 1);
	assert_int_equal(n_sas(&A), 0);
}

static void
test_rekey_child(void **st TW_UNUSED)
{
	uint32_t old_a;

	establish();
	old_a = A.last.spi_in;
	/* Soft expiry at 85-95 % of 3600 s: a rekey, then the old one is
	 * deleted; both sides keep one child. */
	run_for(TW_SEC(3500), TW_SEC(5));
	assert_true(A.child_up >= 2);
	assert_int_equal(A.child_up, B.child_up);
	assert_int_equal(A.child_down, A.child_up - 1);
	assert_int_equal(B.child_down, B.child_up - 1);
	assert_int_not_equal(A.last.spi_in, old_a);
	/* Both soft expiries can fall in one 5 s step: a collision, after
	 * which the last child-up events differ; compare what is held. */
	check_installed_children_match(first_sa(&A), first_sa(&B));
	assert_int_equal(ike_sa_n_children(first_sa(&A)), 1);
	assert_int_equal(ike_sa_n_children(first_sa(&B)), 1);
}

/*
 * A twin that took over and cannot prove a safe first sequence number for
 * a Child SA rekeys it at once (ike_rekey_child(), ha_takeover.c): a new
 * pair with new keys is up on both sides and the old one deleted, with no
 * time passing; an unknown SPI is -ENOENT.
 */
static void
test_rekey_child_now(void **st TW_UNUSED)
{
	struct ike_action acts[IKE_ACTIONS_MAX];
	uint8_t old_key[sizeof(A.last.keys.encr_i2r)];
	uint32_t old_a, old_b;
	int n;

	establish();
	old_a = A.last.spi_in;
	old_b = B.last.spi_in;
	memcpy(old_key, A.last.keys.encr_i2r, sizeof(old_key));
	assert_int_equal(ike_rekey_child(B.e, 0x12345678, now, acts,
					 IKE_ACTIONS_MAX), -ENOENT);
	/* the responder side asks, as a new active twin would */
	n = ike_rekey_child(B.e, old_b, now, acts, IKE_ACTIONS_MAX);
	assert_true(n >= 1);
	apply(&B, acts, n);
	assert_int_equal(B.nq, 1);
	pump();
	assert_int_equal(A.child_up, 2);
	assert_int_equal(B.child_up, 2);
	assert_int_equal(A.child_down, 1);
	assert_int_equal(B.child_down, 1);
	assert_int_equal(A.down_spi_in, old_a);
	assert_int_equal(B.down_spi_in, old_b);
	assert_int_not_equal(A.last.spi_in, old_a);
	assert_int_not_equal(B.last.spi_in, old_b);
	assert_memory_not_equal(A.last.keys.encr_i2r, old_key,
				A.last.keys.encr_len);
	check_children_match();
	assert_int_equal(ike_sa_n_children(first_sa(&A)), 1);
	assert_int_equal(ike_sa_n_children(first_sa(&B)), 1);
	/* the old one is gone: asking again finds nothing */
	assert_int_equal(ike_rekey_child(B.e, old_b, now, acts,
					 IKE_ACTIONS_MAX), -ENOENT);
}

static void
test_rekey_child_pfs(void **st TW_UNUSED)
{
	A.pol.pfs_group = IKE_DH_CURVE25519;
	B.pol.pfs_group = IKE_DH_CURVE25519;
	establish();
	run_for(TW_SEC(3500), TW_SEC(5));
	assert_true(A.child_up >= 2);
	assert_int_equal(A.last.pfs_group, IKE_DH_CURVE25519);
	check_installed_children_match(first_sa(&A), first_sa(&B));
}

static unsigned int check_consistent(void);

static void
test_rekey_collision(void **st TW_UNUSED)
{
	struct ike_action acts[IKE_ACTIONS_MAX];
	struct ike_sa *sa_a, *sa_b;

	establish();
	sa_a = sa_rw(&A);
	sa_b = sa_rw(&B);
	/* Both soft expiries now: both send a rekey before either answer. */
	sa_a->child[0].soft_at = now;
	sa_b->child[0].soft_at = now;
	now += TW_MSEC(1);
	apply(&A, acts, ike_timer(A.e, sa_a->id, now, acts, IKE_ACTIONS_MAX));
	apply(&B, acts, ike_timer(B.e, sa_b->id, now, acts, IKE_ACTIONS_MAX));
	assert_int_equal(A.nq, 1);
	assert_int_equal(B.nq, 1);
	pump();
	run_for(TW_SEC(5), TW_SEC(1));
	assert_int_equal(check_consistent(), 1);
	/* One survivor on each side, the same one. */
	assert_int_equal(ike_sa_n_children(first_sa(&A)), 1);
	assert_int_equal(ike_sa_n_children(first_sa(&B)), 1);
	assert_int_equal(A.child_up, 3);
	assert_int_equal(A.child_down, 2);
	assert_int_equal(B.child_down, 2);
	{
		const struct ike_sa *a = first_sa(&A), *b = first_sa(&B);
		unsigned int i, j;
		bool found = false;

		for (i = 0; i < IKE_CHILD_MAX; i++)
			for (j = 0; j < IKE_CHILD_MAX; j++)
				if (a->child[i].state == IKE_CHILD_INSTALLED &&
				    b->child[j].state == IKE_CHILD_INSTALLED &&
				    a->child[i].spi_in == b->child[j].spi_out)
					found = true;
		assert_true(found);
	}
}

/*
 * After a rekey, collision or not, once things settled: one IKE SA on
 * each side, the same one, established; each side's data plane holds
 * exactly the children its engine holds, all installed, and each has its
 * crossed twin on the other side (none leaked, none on one side only).
 * Returns the number of children.
 */
static unsigned int
check_consistent(void)
{
	const struct ike_sa *a = first_sa(&A), *b = first_sa(&B);
	struct side *sd[2] = { &A, &B };
	unsigned int i, j, k;

	assert_int_equal(n_sas(&A), 1);
	assert_int_equal(n_sas(&B), 1);
	assert_int_equal(a->state, IKE_SA_ESTABLISHED);
	assert_int_equal(b->state, IKE_SA_ESTABLISHED);
	assert_true(a->spi_i == b->spi_i && a->spi_r == b->spi_r);
	assert_int_equal(a->initiator, !b->initiator);
	assert_memory_equal(a->keys.ei, b->keys.ei, a->keys.e_len);
	assert_int_equal(A.ike_up - A.ike_down, 1);
	assert_int_equal(B.ike_up - B.ike_down, 1);
	for (k = 0; k < 2; k++) {
		const struct ike_sa *sa = first_sa(sd[k]);
		unsigned int n = 0;

		for (i = 0; i < IKE_CHILD_MAX; i++) {
			if (sa->child[i].state == IKE_CHILD_NONE)
				continue;
			assert_int_equal(sa->child[i].state,
					 IKE_CHILD_INSTALLED);
			assert_int_equal(sa->child[i].sa_id, sa->id);
			assert_true(dp_find(sd[k], sa->child[i].spi_in) >= 0);
			n++;
		}
		assert_int_equal(n, sd[k]->n_dp);
	}
	assert_int_equal(A.n_dp, B.n_dp);
	for (i = 0; i < A.n_dp; i++) {
		bool found = false;

		for (j = 0; j < B.n_dp; j++)
			if (B.dp_in[j] == A.dp_out[i] &&
			    B.dp_out[j] == A.dp_in[i])
				found = true;
		assert_true(found);
	}
	if (A.n_dp > 0)
		check_installed_children_match(a, b);
	return A.n_dp;
}

/* Fire the deadline of each side's IKE SA now, without carrying
 * anything: both requests are on the wire before either arrives. */
static void
fire_both(void)
{
	struct ike_action acts[IKE_ACTIONS_MAX];
	uint32_t ia = first_sa(&A)->id, ib = first_sa(&B)->id;

	now += TW_MSEC(1);
	apply(&A, acts, ike_timer(A.e, ia, now, acts, IKE_ACTIONS_MAX));
	apply(&B, acts, ike_timer(B.e, ib, now, acts, IKE_ACTIONS_MAX));
	assert_int_equal(A.nq, 1);
	assert_int_equal(B.nq, 1);
}

/* Which side's rekey survived a child collision: A's if A's surviving
 * child came from A's exchange. */
static bool
a_child_won(void)
{
	const struct ike_sa *a = first_sa(&A);
	unsigned int i;

	for (i = 0; i < IKE_CHILD_MAX; i++)
		if (a->child[i].state == IKE_CHILD_INSTALLED)
			return a->child[i].initiator;
	fail();
	return false;
}

/* RFC 7296 2.8.1: both rekey the child at once; both exchanges complete,
 * the child with the lowest nonce goes, and so does the old one. */
static bool
child_collision(void)
{
	uint32_t old_a;

	establish();
	old_a = A.last.spi_in;
	sa_rw(&A)->child[0].soft_at = now;
	sa_rw(&B)->child[0].soft_at = now;
	fire_both();
	pump();
	run_for(TW_SEC(40), TW_SEC(1));
	assert_int_equal(check_consistent(), 1);
	assert_int_equal(dp_find(&A, old_a), -1);
	assert_int_equal(A.child_up, 3);
	assert_int_equal(B.child_up, 3);
	assert_int_equal(A.child_down, 2);
	assert_int_equal(B.child_down, 2);
	return a_child_won();
}

/* RFC 7296 2.8.2: both rekey the IKE SA at once. */
static bool
ike_collision(void)
{
	uint64_t old_spi;
	struct ike_counters c;
	bool a_won;

	establish();
	old_spi = first_sa(&A)->spi_i;
	sa_rw(&A)->rekey_at = now;
	sa_rw(&B)->rekey_at = now;
	fire_both();
	pump();
	run_for(TW_SEC(40), TW_SEC(1));
	assert_int_equal(check_consistent(), 1);
	assert_int_not_equal(first_sa(&A)->spi_i, old_spi);
	/* The child moved along: nothing reinstalled. */
	assert_int_equal(A.child_up, 1);
	assert_int_equal(B.child_up, 1);
	assert_int_equal(A.child_down + B.child_down, 0);
	/* Two new IKE SAs on each side, one deleted, and the old one. */
	assert_int_equal(A.ike_up, 3);
	assert_int_equal(B.ike_up, 3);
	ike_counters_read(A.e, &c);
	assert_int_equal(c.sa_rekeyed, 1);
	ike_counters_read(B.e, &c);
	assert_int_equal(c.sa_rekeyed, 1);
	a_won = first_sa(&A)->initiator;
	/* And the survivor works: a child rekey on it. */
	{
		struct ike_action acts[IKE_ACTIONS_MAX];
		struct ike_sa *sa = sa_rw(&A);
		unsigned int i;

		for (i = 0; i < IKE_CHILD_MAX; i++)
			if (sa->child[i].state == IKE_CHILD_INSTALLED)
				sa->child[i].soft_at = now;
		apply(&A, acts, ike_timer(A.e, sa->id, now, acts,
					  IKE_ACTIONS_MAX));
	}
	run_for(TW_SEC(5), TW_SEC(1));
	assert_int_equal(check_consistent(), 1);
	assert_int_equal(A.child_up, 2);
	return a_won;
}

static void
test_rekey_collision_ike(void **st TW_UNUSED)
{
	ike_collision();
}

/* An IKE SA rekey against a Child SA rekey (RFC 7296 2.25.2: the IKE SA
 * rekey is refused while a Child SA exchange is in flight, and tried
 * again later): first A rekeys the IKE SA, then B does. */
static void
ike_vs_child(struct side *ike, struct side *child)
{
	struct ike_counters c;

	establish();
	sa_rw(ike)->rekey_at = now;
	sa_rw(child)->child[0].soft_at = now;
	fire_both();
	pump();
	assert_int_equal(check_consistent(), 1);
	ike_counters_read(ike->e, &c);
	assert_int_equal(c.sa_rekeyed, 0);       /* refused for now */
	assert_int_equal(ike->child_up, 2);      /* the child rekey went */
	/* The IKE SA rekey goes through on its retry. */
	run_for(TW_SEC(70), TW_SEC(1));
	assert_int_equal(check_consistent(), 1);
	ike_counters_read(ike->e, &c);
	assert_int_equal(c.sa_rekeyed, 1);
	assert_int_equal(n_sas(ike), 1);
}

static void
test_rekey_ike_vs_child(void **st TW_UNUSED)
{
	ike_vs_child(&A, &B);
	teardown(NULL);
	setup(NULL);
	ike_vs_child(&B, &A);
}

/* RFC 7296 2.25.1: B rekeys the child A is deleting: A refuses with
 * TEMPORARY_FAILURE, B answers A's DELETE as usual; nothing is left. */
static void
test_rekey_vs_delete(void **st TW_UNUSED)
{
	struct ike_counters c;

	establish();
	sa_rw(&A)->child[0].hard_at = now;
	sa_rw(&B)->child[0].soft_at = now;
	fire_both();
	pump();
	run_for(TW_SEC(40), TW_SEC(1));
	assert_int_equal(check_consistent(), 0);
	assert_int_equal(A.child_up, 1);
	assert_int_equal(B.child_up, 1);
	ike_counters_read(A.e, &c);
	assert_int_equal(c.child_rekeyed, 0);
}

/* A child collision where A's answer overtakes B's request: A sees no
 * collision and deletes the old child, B's rekey of it is then refused
 * (TEMPORARY_FAILURE) and B keeps A's new child. */
static void
test_rekey_collision_reordered(void **st TW_UNUSED)
{
	struct dgram ra, rb, d;

	establish();
	sa_rw(&A)->child[0].soft_at = now;
	sa_rw(&B)->child[0].soft_at = now;
	fire_both();
	assert_true(pop(&A, &ra));
	assert_true(pop(&B, &rb));               /* held back */
	deliver(&B, &ra);
	assert_true(pop(&B, &d));                /* B's answer */
	deliver(&A, &d);
	deliver(&A, &rb);
	pump();
	run_for(TW_SEC(40), TW_SEC(1));
	assert_int_equal(check_consistent(), 1);
	assert_true(a_child_won());
}

/* The same for the IKE SA: A's answer overtakes B's rekey request; A
 * moves on and deletes the old IKE SA, which hands B's children to the
 * rekey B answered; B's own is refused. */
static void
test_rekey_collision_ike_reordered(void **st TW_UNUSED)
{
	struct dgram ra, rb, d;

	establish();
	sa_rw(&A)->rekey_at = now;
	sa_rw(&B)->rekey_at = now;
	fire_both();
	assert_true(pop(&A, &ra));
	assert_true(pop(&B, &rb));
	deliver(&B, &ra);
	assert_true(pop(&B, &d));
	deliver(&A, &d);
	deliver(&A, &rb);
	pump();
	run_for(TW_SEC(40), TW_SEC(1));
	assert_int_equal(check_consistent(), 1);
	assert_true(first_sa(&A)->initiator);
	assert_int_equal(A.child_down + B.child_down, 0);
}

/* The collisions over many seeds (nonces): both outcomes of the nonce
 * comparison are taken, each ending consistent. */
static void
test_rekey_collision_seeds(void **st TW_UNUSED)
{
	unsigned int seed, a_child = 0, a_ike = 0, n = 32;

	for (seed = 1; seed <= n; seed++) {
		teardown(NULL);
		seed_override = seed;
		setup(NULL);
		a_child += child_collision();
		teardown(NULL);
		setup(NULL);
		a_ike += ike_collision();
	}
	seed_override = 0;
	assert_true(a_child > 0 && a_child < n);
	assert_true(a_ike > 0 && a_ike < n);
}

/* Nothing in flight: one IKE SA each side, no request outstanding, no
 * child replaced or being deleted. */
static bool
quiescent(void)
{
	struct side *sd[2] = { &A, &B };
	const struct ike_sa *sa;
	unsigned int k, i;

	for (k = 0; k < 2; k++) {
		if (n_sas(sd[k]) != 1 || sd[k]->nq != 0)
			return false;
		sa = first_sa(sd[k]);
		if (sa->state != IKE_SA_ESTABLISHED || sa->req != IKE_REQ_NONE)
			return false;
		for (i = 0; i < IKE_CHILD_MAX; i++)
			if (sa->child[i].state != IKE_CHILD_NONE &&
			    sa->child[i].state != IKE_CHILD_INSTALLED)
				return false;
	}
	return true;
}

/* Interleaved Child SA and IKE SA rekeys over long runs with short
 * lifetimes on both sides, for many seeds (TW_TEST_SEED=183 once left a
 * child on A only): whenever nothing is in flight, both sides agree. */
static void
test_rekey_soak_seeds(void **st TW_UNUSED)
{
	unsigned int seed, round, checks = 0, waited;
	struct ike_counters c;

	for (seed = 1; seed <= 16; seed++) {
		teardown(NULL);
		seed_override = seed * 7919;
		setup_pair();
		A.cfg.ike_life_s = 300;
		B.cfg.ike_life_s = 320;
		A.pol.child_life_s = 100;
		B.pol.child_life_s = 110;
		side_start(&A);
		side_start(&B);
		establish();
		for (round = 0; round < 20; round++) {
			run_for(TW_SEC(50), TW_SEC(3));
			for (waited = 0; !quiescent() && waited < 120;
			     waited++)
				run_for(TW_SEC(1), TW_SEC(1));
			assert_true(quiescent());
			assert_int_equal(check_consistent(), 1);
			checks++;
		}
		ike_counters_read(A.e, &c);
		assert_true(c.sa_rekeyed >= 2);
		assert_true(c.child_rekeyed >= 5);
	}
	seed_override = 0;
	assert_int_equal(checks, 16 * 20);
}

static void
test_rekey_ike(void **st TW_UNUSED)
{
	const struct ike_sa *a, *b;
	uint64_t old_spi;

	A.cfg.ike_life_s = 600;
	B.cfg.ike_life_s = 3600;
	establish();
	old_spi = first_sa(&A)->spi_i;
	run_for(TW_SEC(580), TW_SEC(5));
	assert_int_equal(n_sas(&A), 1);
	assert_int_equal(n_sas(&B), 1);
	a = first_sa(&A);
	b = first_sa(&B);
	assert_int_not_equal(a->spi_i, old_spi);
	assert_true(a->spi_i == b->spi_i && a->spi_r == b->spi_r);
	assert_int_equal(a->state, IKE_SA_ESTABLISHED);
	/* The child moved along, nothing was reinstalled. */
	assert_int_equal(ike_sa_n_children(a), 1);
	assert_int_equal(ike_sa_n_children(b), 1);
	assert_int_equal(A.child_down, 0);
	assert_int_equal(B.child_down, 0);
	assert_memory_equal(a->keys.ei, b->keys.ei, a->keys.e_len);
	/* And the new SA works: a child rekey on it. */
	run_for(TW_SEC(3000), TW_SEC(10));
	assert_true(A.child_up >= 2);
	/*
	 * Compare what each side holds now, not the last child-up event:
	 * over 3000 s both sides rekey, and when their rekeys collide (RFC
	 * 7296 2.8.1) the last child each one saw come up can be the
	 * redundant one that is then deleted.
	 */
	check_installed_children_match(first_sa(&A), first_sa(&B));
}

static void
test_delete(void **st TW_UNUSED)
{
	struct ike_action acts[IKE_ACTIONS_MAX];

	establish();
	apply(&B, acts, ike_delete(B.e, first_sa(&B)->id, now, acts,
				   IKE_ACTIONS_MAX));
	pump();
	assert_int_equal(n_sas(&A), 0);
	assert_int_equal(n_sas(&B), 0);
	assert_int_equal(A.child_down, 1);
	assert_int_equal(B.child_down, 1);
	assert_int_equal(A.ike_down, 1);
	assert_int_equal(B.ike_down, 1);
}

/* clear crypto sa: DELETE of one Child SA; the IKE SA stays on both. */
static void
test_delete_child(void **st TW_UNUSED)
{
	struct ike_action acts[IKE_ACTIONS_MAX];
	uint32_t spi_a, spi_b;
	struct ike_counters c;

	establish();
	spi_a = A.last.spi_in;
	spi_b = B.last.spi_in;
	/* The responder clears it: the initiator gets the DELETE. */
	apply(&B, acts, ike_delete_child(B.e, spi_b, now, acts,
					 IKE_ACTIONS_MAX));
	assert_int_equal(B.nq, 1);
	assert_int_equal(B.child_down, 0); /* until the peer answers */
	pump();
	assert_int_equal(A.child_down, 1);
	assert_int_equal(B.child_down, 1);
	assert_int_equal(A.down_spi_in, spi_a);
	assert_int_equal(B.down_spi_in, spi_b);
	assert_int_equal(n_sas(&A), 1);
	assert_int_equal(n_sas(&B), 1);
	assert_int_equal(ike_sa_n_children(first_sa(&A)), 0);
	assert_int_equal(ike_sa_n_children(first_sa(&B)), 0);
	assert_int_equal(first_sa(&A)->state, IKE_SA_ESTABLISHED);
	assert_int_equal(first_sa(&B)->state, IKE_SA_ESTABLISHED);
	assert_int_equal(A.ike_down + B.ike_down, 0);
	ike_counters_read(B.e, &c);
	assert_int_equal(c.child_deleted, 1);
	/* Gone: a second clear finds nothing. */
	assert_int_equal(ike_delete_child(B.e, spi_b, now, acts,
					  IKE_ACTIONS_MAX), -ENOENT);
	assert_int_equal(ike_delete_child(A.e, spi_a, now, acts,
					  IKE_ACTIONS_MAX), -ENOENT);
	/* The IKE SA still works (message IDs in step): A's next request,
	 * the DELETE of the IKE SA, is answered. */
	run_for(TW_SEC(30), TW_SEC(1));
	assert_int_equal(n_sas(&A), 1);
	apply(&A, acts, ike_delete(A.e, first_sa(&A)->id, now, acts,
				   IKE_ACTIONS_MAX));
	pump();
	assert_int_equal(n_sas(&A), 0);
	assert_int_equal(n_sas(&B), 0);
	assert_int_equal(A.ike_down, 1);
	assert_int_equal(B.ike_down, 1);
	assert_int_equal(A.child_down + B.child_down, 2);
}

/* With a request in flight (window 1) the DELETE waits for its answer. */
static void
test_delete_child_queued(void **st TW_UNUSED)
{
	struct ike_action acts[IKE_ACTIONS_MAX];

	A.cfg.dpd_interval_s = 10;
	establish();
	now += TW_SEC(11);
	fire(&A); /* the liveness check goes, unanswered yet */
	assert_int_equal(A.nq, 1);
	assert_int_not_equal(first_sa(&A)->req, IKE_REQ_NONE);
	apply(&A, acts, ike_delete_child(A.e, A.last.spi_in, now, acts,
					 IKE_ACTIONS_MAX));
	assert_int_equal(A.nq, 1); /* nothing more sent yet */
	/* No deadline in the past meanwhile (a timer storm on the control
	 * lcore): the next one is the retransmission. */
	assert_true(A.dl[first_sa(&A)->id] > now);
	fire(&A);
	assert_int_equal(A.nq, 1);
	assert_true(A.dl[first_sa(&A)->id] > now);
	pump();
	assert_int_equal(A.child_down, 1);
	assert_int_equal(B.child_down, 1);
	assert_int_equal(n_sas(&A), 1);
	assert_int_equal(n_sas(&B), 1);
	assert_int_equal(ike_sa_n_children(first_sa(&A)), 0);
	assert_int_equal(ike_sa_n_children(first_sa(&B)), 0);
	assert_int_equal(A.ike_down + B.ike_down, 0);
}

/* Clear A's Child SA (clear crypto sa), both sides end with none. */
static void
clear_child(void)
{
	struct ike_action acts[IKE_ACTIONS_MAX];

	apply(&A, acts, ike_delete_child(A.e, A.last.spi_in, now, acts,
					 IKE_ACTIONS_MAX));
	pump();
	assert_int_equal(A.child_down, 1);
	assert_int_equal(B.child_down, 1);
	assert_int_equal(ike_sa_n_children(first_sa(&A)), 0);
	assert_int_equal(ike_sa_n_children(first_sa(&B)), 0);
}

/*
 * After clear crypto sa, ike_initiate() on side s brings a new Child SA
 * up on the same IKE SA (CREATE_CHILD_SA without REKEY_SA, RFC 7296
 * 1.3.1): new SPIs, same IKE SPIs, no new IKE SA.
 */
static void
new_child_after_clear(struct side *s, uint16_t pfs)
{
	struct ike_action acts[IKE_ACTIONS_MAX];
	uint32_t old_a, old_b;
	uint64_t spi_i, spi_r;
	struct ike_counters c;
	uint32_t id_a;

	A.pol.pfs_group = pfs;
	B.pol.pfs_group = pfs;
	establish();
	old_a = A.last.spi_in;
	old_b = B.last.spi_in;
	spi_i = first_sa(&A)->spi_i;
	spi_r = first_sa(&A)->spi_r;
	id_a = first_sa(&A)->id;
	clear_child();
	apply(s, acts, ike_initiate(s->e, 0, now, acts, IKE_ACTIONS_MAX));
	assert_int_equal(s->nq, 1);
	assert_int_equal(first_sa(s)->req, IKE_REQ_CHILD_NEW);
	/* Once is enough: a second call (more traffic) sends nothing. */
	apply(s, acts, ike_initiate(s->e, 0, now, acts, IKE_ACTIONS_MAX));
	assert_int_equal(s->nq, 1);
	pump();
	assert_int_equal(check_consistent(), 1);
	assert_int_equal(A.child_up, 2);
	assert_int_equal(B.child_up, 2);
	assert_int_not_equal(A.last.spi_in, old_a);
	assert_int_not_equal(B.last.spi_in, old_b);
	assert_int_equal(s->last.initiator, true);
	assert_int_equal(A.last.pfs_group, pfs);
	assert_int_equal(B.last.pfs_group, pfs);
	/* The IKE SA is the same one. */
	assert_int_equal(first_sa(&A)->id, id_a);
	assert_true(first_sa(&A)->spi_i == spi_i);
	assert_true(first_sa(&A)->spi_r == spi_r);
	assert_int_equal(A.ike_up, 1);
	assert_int_equal(B.ike_up, 1);
	ike_counters_read(s->e, &c);
	assert_int_equal(c.child_created, 2);
	assert_int_equal(c.child_rekeyed, 0);
	/* An established child again: ike_initiate does nothing. */
	apply(s, acts, ike_initiate(s->e, 0, now, acts, IKE_ACTIONS_MAX));
	assert_int_equal(s->nq, 0);
	/* It lives on (and rekeys) like any other. */
	run_for(TW_SEC(3500), TW_SEC(5));
	assert_int_equal(check_consistent(), 1);
	assert_true(A.child_up >= 3);
}

static void
test_new_child(void **st TW_UNUSED)
{
	new_child_after_clear(&A, IKE_DH_NONE);
}

static void
test_new_child_pfs(void **st TW_UNUSED)
{
	new_child_after_clear(&A, IKE_DH_CURVE25519);
}

static void
test_new_child_by_responder(void **st TW_UNUSED)
{
	new_child_after_clear(&B, IKE_DH_ECP_256);
}

/* ike_initiate() while our DELETE is in flight: the new Child SA goes
 * after its answer (window 1). */
static void
test_new_child_queued(void **st TW_UNUSED)
{
	struct ike_action acts[IKE_ACTIONS_MAX];

	establish();
	apply(&A, acts, ike_delete_child(A.e, A.last.spi_in, now, acts,
					 IKE_ACTIONS_MAX));
	assert_int_equal(A.nq, 1);
	apply(&A, acts, ike_initiate(A.e, 0, now, acts, IKE_ACTIONS_MAX));
	assert_int_equal(A.nq, 1); /* nothing more sent yet */
	assert_int_equal(first_sa(&A)->req, IKE_REQ_DELETE_CHILD);
	assert_true(first_sa(&A)->want_child);
	/* Queued: a second call adds nothing. */
	apply(&A, acts, ike_initiate(A.e, 0, now, acts, IKE_ACTIONS_MAX));
	assert_int_equal(A.nq, 1);
	pump();
	/* The answer to the DELETE arms a deadline now: the request. */
	run_for(TW_SEC(2), TW_MSEC(100));
	assert_int_equal(A.child_down, 1);
	assert_int_equal(B.child_down, 1);
	assert_int_equal(check_consistent(), 1);
	assert_int_equal(A.child_up, 2);
	assert_int_equal(A.ike_up, 1);
	assert_false(first_sa(&A)->want_child);
}

/* The peer refuses (its transform set changed): no Child SA, the IKE
 * SA stays, and the engine does not try again by itself. */
static void
test_new_child_refused(void **st TW_UNUSED)
{
	struct ike_action acts[IKE_ACTIONS_MAX];
	struct ike_counters c0, c1;

	establish();
	clear_child();
	B.pol.cipher = CONF_CIPHER_AES_CBC_256;
	B.pol.integ = CONF_INTEG_SHA256_128;
	apply(&A, acts, ike_initiate(A.e, 0, now, acts, IKE_ACTIONS_MAX));
	assert_int_equal(A.nq, 1);
	pump();
	assert_int_equal(A.child_up, 1);
	assert_int_equal(B.child_up, 1);
	ike_counters_read(A.e, &c0);
	assert_int_equal(c0.no_proposal, 1);
	assert_int_equal(first_sa(&A)->state, IKE_SA_ESTABLISHED);
	assert_int_equal(first_sa(&A)->req, IKE_REQ_NONE);
	run_for(TW_SEC(60), TW_SEC(1));
	ike_counters_read(A.e, &c1);
	assert_true(c1.tx == c0.tx);
	assert_int_equal(check_consistent(), 0);
	/* Tried again (by the caller): refused again, one message. */
	apply(&A, acts, ike_initiate(A.e, 0, now, acts, IKE_ACTIONS_MAX));
	assert_int_equal(A.nq, 1);
	pump();
	ike_counters_read(A.e, &c1);
	assert_int_equal(c1.no_proposal, 2);
	assert_int_equal(check_consistent(), 0);
}

static void
test_dpd(void **st TW_UNUSED)
{
	struct ike_counters c;
	struct dgram d;

	A.cfg.dpd_interval_s = 10;
	A.cfg.dpd_retries = 3;
	establish();
	/* Liveness answered while B lives. */
	run_for(TW_SEC(25), TW_SEC(1));
	ike_counters_read(A.e, &c);
	assert_true(c.dpd_sent >= 2);
	assert_int_equal(n_sas(&A), 1);
	/* B dies: A gives up after its retries and removes the child. */
	for (; now < TW_SEC(1000 + 25 + 60); now += TW_SEC(1)) {
		fire(&A);
		while (pop(&A, &d))
			;
	}
	ike_counters_read(A.e, &c);
	assert_int_equal(c.dpd_dead, 1);
	assert_int_equal(n_sas(&A), 0);
	assert_int_equal(A.child_down, 1);
}

static void
test_cookie(void **st TW_UNUSED)
{
	struct ike_counters c;

	B.cfg.cookie_threshold = 0;  /* always demand one */
	establish();
	ike_counters_read(B.e, &c);
	assert_int_equal(c.cookies_sent, 1);
	assert_int_equal(c.cookies_bad, 0);
}

static void
test_wrong_psk(void **st TW_UNUSED)
{
	struct ike_counters c;

	B.pol.psk[0] ^= 1;
	initiate();
	pump();
	ike_counters_read(B.e, &c);
	assert_int_equal(c.auth_failed, 1);
	ike_counters_read(A.e, &c);
	assert_int_equal(c.auth_failed, 1);  /* AUTHENTICATION_FAILED seen */
	assert_int_equal(A.ike_up, 0);
	assert_int_equal(n_sas(&A), 0);
	assert_int_equal(n_sas(&B), 0);
}

static void
test_no_proposal(void **st TW_UNUSED)
{
	struct ike_counters c;

	/* B wants AES-CBC for IKE: A offers only GCM. */
	ike_proposal_init(&B.pol.ike_props[0], 1, IKE_PROTO_IKE, NULL, 0);
	ike_proposal_add(&B.pol.ike_props[0], IKE_XF_ENCR, IKE_ENCR_AES_CBC, 256);
	ike_proposal_add(&B.pol.ike_props[0], IKE_XF_PRF, IKE_PRF_HMAC_SHA2_256, 0);
	ike_proposal_add(&B.pol.ike_props[0], IKE_XF_INTEG,
			 IKE_INTEG_HMAC_SHA2_256_128, 0);
	ike_proposal_add(&B.pol.ike_props[0], IKE_XF_DH, IKE_DH_ECP_256, 0);
	initiate();
	pump();
	ike_counters_read(B.e, &c);
	assert_int_equal(c.no_proposal, 1);
	ike_counters_read(A.e, &c);
	assert_int_equal(c.no_proposal, 1);
	assert_int_equal(n_sas(&A), 0);
	assert_int_equal(n_sas(&B), 0);
}

static void
test_esp_no_proposal(void **st TW_UNUSED)
{
	/* IKE agrees, ESP does not: the IKE SA is up without a child. */
	B.pol.cipher = CONF_CIPHER_AES_CBC_256;
	B.pol.integ = CONF_INTEG_SHA256_128;
	initiate();
	pump();
	assert_int_equal(A.ike_up, 1);
	assert_int_equal(B.ike_up, 1);
	assert_int_equal(A.child_up, 0);
	assert_int_equal(B.child_up, 0);
}

static void
test_ts_narrowing(void **st TW_UNUSED)
{
	/* B protects only 10.2.3.0/24 <-> 10.1.0.0/24 of A's /16s. */
	ike_ts_from_prefix(&B.pol.ts[0].local, IP(10, 2, 3, 0), 24, 0, 0,
			   65535);
	ike_ts_from_prefix(&B.pol.ts[0].remote, IP(10, 1, 0, 0), 24, 0, 0,
			   65535);
	establish();
	assert_int_equal(A.last.ts_local[0].addr4_lo, IP(10, 1, 0, 0));
	assert_int_equal(A.last.ts_local[0].addr4_hi, IP(10, 1, 0, 255));
	assert_int_equal(A.last.ts_remote[0].addr4_lo, IP(10, 2, 3, 0));
	assert_int_equal(A.last.ts_remote[0].addr4_hi, IP(10, 2, 3, 255));
}

/* The IPv6 pair of a dual-stack policy (2001:db8:a::/48 <-> :b::/48). */
static void
add_v6_pair(struct side *s, bool a_side)
{
	uint8_t x[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0xa };
	uint8_t y[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0xb };

	ike_ts_from_prefix6(&s->pol.ts[1].local, a_side ? x : y, 48, 0, 0,
			    65535);
	ike_ts_from_prefix6(&s->pol.ts[1].remote, a_side ? y : x, 48, 0, 0,
			    65535);
	s->pol.n_ts = 2;
}

/* How many installed children of s's first SA carry IPv6 selectors. */
static unsigned int
n_v6_children(struct side *s)
{
	const struct ike_sa *sa = first_sa(s);
	unsigned int i, n = 0;

	for (i = 0; i < IKE_CHILD_MAX; i++)
		n += sa->child[i].state == IKE_CHILD_INSTALLED &&
			sa->child[i].ts_local[0].type ==
			IKE_TS_IPV6_ADDR_RANGE;
	return n;
}

/*
 * A policy with IPv4 and IPv6 selectors: the initiator asks for one Child
 * SA per family (IKE_AUTH: the IPv4 one, then CREATE_CHILD_SA: the IPv6
 * one), each with selectors of its family only (a fast-path SA carries
 * one inner family). A peer that refuses the second family is not asked
 * again.
 */
static void
test_child_per_family(void **st TW_UNUSED)
{
	struct ike_counters c;

	add_v6_pair(&A, true);
	add_v6_pair(&B, false);
	initiate();
	pump();
	run_for(TW_MSEC(100), TW_MSEC(10));
	assert_int_equal(A.child_up, 2);
	assert_int_equal(B.child_up, 2);
	assert_int_equal(ike_sa_n_children(first_sa(&A)), 2);
	assert_int_equal(n_v6_children(&A), 1);
	assert_int_equal(n_v6_children(&B), 1);
	check_children_match();
	/* Still two a minute later: nothing more asked for. */
	run_for(TW_SEC(60), TW_SEC(1));
	assert_int_equal(A.child_up, 2);

	/* B's policy is IPv4 only: A's IPv6 request is refused, once. */
	teardown(NULL);
	setup_pair();
	side_start(&A);
	side_start(&B);
	add_v6_pair(&A, true);
	initiate();
	pump();
	run_for(TW_SEC(60), TW_SEC(1));
	ike_counters_read(B.e, &c);
	assert_int_equal(c.ts_unacceptable, 1);
	assert_int_equal(A.child_up, 1);
	assert_int_equal(n_v6_children(&A), 0);
}

static void
test_ts_unacceptable(void **st TW_UNUSED)
{
	struct ike_counters c;

	ike_ts_from_prefix(&B.pol.ts[0].local, IP(10, 9, 0, 0), 16, 0, 0,
			   65535);
	initiate();
	pump();
	ike_counters_read(B.e, &c);
	assert_int_equal(c.ts_unacceptable, 1);
	assert_int_equal(A.ike_up, 1);
	assert_int_equal(A.child_up, 0);
}

static void
test_nat(void **st TW_UNUSED)
{
	/* A sits behind a NAT that maps it to 198.51.100.7:61000. */
	A.nat_addr = IP(198, 51, 100, 7);
	A.nat_port = 61000;
	B.pol.peer_addr = tw_addr_v4(IP(198, 51, 100, 7));
	establish();
	assert_true(A.last.udp_encap);
	assert_true(B.last.udp_encap);
	assert_int_equal(A.last.peer_port, 4500);
	assert_int_equal(B.last.peer_port, 61000);
	assert_int_equal(B.last.local_port, 4500);
	assert_true(first_sa(&A)->nat_local);
	assert_true(first_sa(&B)->nat_peer);
}

static void
test_nat_keepalive(void **st TW_UNUSED)
{
	tw_time_t up;

	/* RFC 3948 4: A is behind a NAT, so A (and only A) keeps the
	 * mapping open with a keepalive every interval (default 20 s). */
	A.nat_addr = IP(198, 51, 100, 7);
	A.nat_port = 61000;
	B.pol.peer_addr = tw_addr_v4(IP(198, 51, 100, 7));
	assert_int_equal(A.cfg.nat_keepalive_s, 20);
	establish();
	up = now;
	assert_int_equal(A.keepalives, 0);
	run_for(TW_SEC(19), TW_SEC(1));
	assert_int_equal(A.keepalives, 0);
	run_for(TW_SEC(1), TW_SEC(1));
	assert_int_equal(A.keepalives, 1);
	assert_true(A.keepalive_last == up + TW_SEC(20));
	assert_int_equal(A.keepalive.len, 1);
	assert_int_equal(A.keepalive.d[0], 0xff);
	assert_int_equal(A.keepalive.sport, 61000); /* after A's NAT */
	assert_int_equal(A.nat_inner_port, 4500);
	assert_int_equal(A.keepalive.dport, 4500);
	assert_int_equal(A.keepalive.dst, IP(192, 0, 2, 2));
	run_for(TW_SEC(80), TW_SEC(1));
	assert_int_equal(A.keepalives, 5);
	assert_true(A.keepalive_last == up + TW_SEC(100));
	assert_int_equal(B.keepalives, 0);
	/* Nothing else went out meanwhile: the tunnel stays up. */
	assert_int_equal(A.ike_down + B.ike_down, 0);

	/* Configured off: none. */
	A.cfg.nat_keepalive_s = 0;
	run_for(TW_SEC(100), TW_SEC(1));
	assert_int_equal(A.keepalives, 5);
}

static void
bytes(struct side *s, uint32_t spi_in, uint64_t n)
{
	struct ike_action acts[IKE_ACTIONS_MAX];

	apply(s, acts, ike_child_bytes(s->e, spi_in, n, now, acts,
				       IKE_ACTIONS_MAX));
}

/* RFC 7296 2.8: volume lifetimes. 100 kB: rekey once 90 % of it went
 * through, delete at 100 %. */
static void
test_child_bytes(void **st TW_UNUSED)
{
	uint32_t old_a, new_a;

	A.pol.child_life_kb = 100;
	B.pol.child_life_kb = 100;
	establish();
	old_a = A.last.spi_in;
	assert_int_equal(A.last.soft_bytes, 92160);
	assert_int_equal(A.last.hard_bytes, 102400);
	bytes(&A, old_a, 90000);
	assert_int_equal(A.nq, 0);             /* below the soft limit */
	bytes(&A, old_a, 3000);
	assert_int_equal(A.nq, 1);             /* CREATE_CHILD_SA rekey */
	pump();
	assert_int_equal(A.child_up, 2);
	assert_int_equal(B.child_up, 2);
	new_a = A.last.spi_in;
	assert_int_not_equal(new_a, old_a);
	/* The rekeyed child is deleted by its rekeyer. */
	assert_int_equal(A.child_down, 1);
	assert_int_equal(A.down_spi_in, old_a);
	check_children_match();
	/* An unknown SPI changes nothing. */
	bytes(&A, 0x12345678, 1 << 30);
	assert_int_equal(A.nq, 0);
	/*
	 * The new child past its soft and hard limits in one report (the
	 * glue reports once a second; a fast link passes the 10 % between
	 * them in less): rekeyed first, not deleted without a successor.
	 */
	bytes(&B, B.last.spi_in, 102400);
	assert_int_equal(B.nq, 1);             /* CREATE_CHILD_SA rekey */
	assert_int_equal(A.child_down + B.child_down, 2);
	pump();
	assert_int_equal(A.child_down, 2);
	assert_int_equal(A.down_spi_in, new_a);
	assert_int_equal(ike_sa_n_children(first_sa(&A)), 1);
	assert_int_equal(ike_sa_n_children(first_sa(&B)), 1);
	check_children_match();
	/* Past the hard limit while its rekey is in flight: not deleted
	 * at once (it waits for its successor, a grace time at most). */
	new_a = A.last.spi_in;
	bytes(&A, new_a, 93000);
	assert_int_equal(A.nq, 1);             /* CREATE_CHILD_SA rekey */
	bytes(&A, new_a, 10000);
	assert_int_equal(A.nq, 1);             /* no DELETE yet */
	assert_int_equal(ike_sa_n_children(first_sa(&A)), 1);
}

/* No NAT: no keepalives. */
static void
test_no_nat_no_keepalive(void **st TW_UNUSED)
{
	establish();
	run_for(TW_SEC(100), TW_SEC(1));
	assert_false(first_sa(&A)->nat_local);
	assert_int_equal(A.keepalives + B.keepalives, 0);
}

static void
test_dh_guess(void **st TW_UNUSED)
{
	/* A offers 31 then 19 and guesses 31; B only takes 19. */
	ike_proposal_init(&A.pol.ike_props[0], 1, IKE_PROTO_IKE, NULL, 0);
	ike_proposal_add(&A.pol.ike_props[0], IKE_XF_ENCR, IKE_ENCR_AES_GCM_16, 128);
	ike_proposal_add(&A.pol.ike_props[0], IKE_XF_PRF, IKE_PRF_HMAC_SHA2_256, 0);
	ike_proposal_add(&A.pol.ike_props[0], IKE_XF_DH, IKE_DH_CURVE25519, 0);
	ike_proposal_add(&A.pol.ike_props[0], IKE_XF_DH, IKE_DH_ECP_256, 0);
	establish();
	assert_int_equal(first_sa(&A)->algs.dh, IKE_DH_ECP_256);
}

/*
 * A deadline is never re-armed in the past without progress: a Child SA
 * reaches its hard lifetime while its rekey request is still being
 * retransmitted (B does not answer), which the engine cannot act on until
 * the request resolves. Each timer call must leave A's deadline in the
 * future, or the caller's timer loop spins on "now".
 */
static void
test_no_past_deadline(void **st TW_UNUSED)
{
	struct ike_counters c;
	struct dgram d;
	tw_time_t end;
	unsigned int i;

	A.pol.child_life_s = 20;
	establish();
	end = now + TW_SEC(90);
	while (now < end) {
		now += TW_MSEC(250);
		for (i = 1; i <= NSA; i++) {
			if (A.dl[i] > now)
				continue;
			fire(&A);
			if (A.dl[i] <= now)
				print_error("SA %u at %ld ns: re-armed for "
					    "%ld\n", i, (long)now,
					    (long)A.dl[i]);
			assert_true(A.dl[i] > now);
		}
		while (pop(&A, &d))
			;                       /* B is gone */
	}
	/* The rekey was sent and retransmitted, then given up: the SA
	 * and its child are gone. */
	ike_counters_read(A.e, &c);
	assert_int_equal(c.tx_retransmits, 5);
	assert_int_equal(c.timeouts, 1);
	assert_int_equal(A.child_up, 1);
	assert_int_equal(A.child_down, 1);
	assert_int_equal(n_sas(&A), 0);
}

/* ---- a hostile peer ---- */

/*
 * A message of side s's IKE SA, built and sealed with its keys by the
 * library's own builder: it passes every integrity check, and what goes
 * in it is the test's (body adds the inner payloads).
 */
static void
forge(struct side *s, uint8_t exch, bool response, uint32_t msgid,
      void (*body)(struct side *s, struct ike_builder *b, void *arg),
      void *arg, struct dgram *d)
{
	struct ike_sa *sa = sa_rw(s);
	struct ike_builder b;
	int len;

	memset(d, 0, sizeof(*d));
	ike_msg_begin(s->e, sa, &b, d->d, exch, response, msgid);
	body(s, &b, arg);
	len = ike_msg_seal(s->e, sa, &b, true);
	assert_true(len > 0);
	d->len = (size_t)len;
	d->src = sa->local_addr.v4;
	d->dst = sa->peer_addr.v4;
	d->sport = sa->local_port;
	d->dport = sa->peer_port;
}

/* What a forged CREATE_CHILD_SA response carries. */
struct child_reply {
	uint32_t spi;                    /* the responder's inbound SPI */
	struct ike_ts tsi[IKE_TS_MAX], tsr[IKE_TS_MAX];
	unsigned int n_tsi, n_tsr;
};

static void
child_reply_body(struct side *s, struct ike_builder *b, void *arg)
{
	const struct child_reply *r = arg;
	struct ike_proposal p;
	uint8_t nr[32];

	memset(nr, 0x5a, sizeof(nr));
	assert_int_equal(ike_esp_proposal(s->e, 0, false, r->spi, &p), 0);
	ike_build_sa(b, &p, 1);
	ike_build_nonce(b, nr, sizeof(nr));
	ike_build_ts(b, IKE_PL_TSI, r->tsi, r->n_tsi);
	ike_build_ts(b, IKE_PL_TSR, r->tsr, r->n_tsr);
}

/* Start A's rekey of its child in slot i now; its request is queued. */
static void
a_rekey_now(unsigned int i)
{
	struct ike_sa *sa = sa_rw(&A);

	assert_int_equal(sa->child[i].state, IKE_CHILD_INSTALLED);
	sa->child[i].soft_at = now;
	A.dl[sa->id] = now;
	fire(&A);
	assert_int_equal(A.nq, 1);
	assert_int_equal(first_sa(&A)->req, IKE_REQ_CHILD_REKEY);
}

/* B (hostile) answers A's request in flight with r instead of its own
 * answer, which is dropped with the request. */
static void
b_answers(struct child_reply *r)
{
	struct dgram d;

	assert_true(pop(&A, &d));        /* B never sees the request */
	forge(&B, IKE_EXCH_CREATE_CHILD_SA, true, first_sa(&B)->msgid_in,
	      child_reply_body, r, &d);
	sa_rw(&B)->msgid_in++;           /* as if B had answered it */
	deliver(&A, &d);
}

/*
 * RFC 7296 3.13 allows up to 255 selectors in a TS payload (we decode
 * 16); a Child SA holds IKE_CHILD_TS_MAX of each side. A peer answering
 * our rekey with 16 selectors, each within our policy, must not write
 * past the new child into the next one: here the child being rekeyed,
 * in the slot right after it. We keep the first IKE_CHILD_TS_MAX: a
 * subset of what the responder agreed to (2.9 lets it narrow; our SA
 * is narrower still, never wider).
 */
static void
test_hostile_rekey_ts_overflow(void **st TW_UNUSED)
{
	struct child_reply r = { .spi = 0x0b0b0b0b, .n_tsi = IKE_TS_MAX,
				 .n_tsr = IKE_TS_MAX };
	struct ike_child before, *nb, *c;
	uint32_t new_spi;
	unsigned int i;

	establish();
	/* A first, ordinary rekey: the child moves to slot 1, slot 0 is
	 * free, so the next rekey's child lands just before it. */
	a_rekey_now(0);
	pump();
	assert_int_equal(first_sa(&A)->child[0].state, IKE_CHILD_NONE);
	assert_int_equal(first_sa(&A)->child[1].state, IKE_CHILD_INSTALLED);
	a_rekey_now(1);
	new_spi = first_sa(&A)->new_spi;
	nb = &sa_rw(&A)->child[1];
	before = *nb;
	for (i = 0; i < IKE_TS_MAX; i++) {
		ike_ts_from_prefix(&r.tsi[i], IP(10, 1, i, 0), 24, 0, 0,
				   65535);
		ike_ts_from_prefix(&r.tsr[i], IP(10, 2, i, 0), 24, 0, 0,
				   65535);
	}
	b_answers(&r);
	/* The neighbour: rekeyed (so on its way out), otherwise intact. */
	assert_true(nb->state == IKE_CHILD_REKEYED ||
		    nb->state == IKE_CHILD_DELETING);
	assert_int_equal(nb->sa_id, before.sa_id);
	assert_int_equal(nb->policy, before.policy);
	assert_int_equal(nb->spi_in, before.spi_in);
	assert_int_equal(nb->spi_out, before.spi_out);
	assert_int_equal(nb->cipher, before.cipher);
	assert_int_equal(nb->integ, before.integ);
	assert_int_equal(nb->initiator, before.initiator);
	assert_memory_equal(&nb->keys, &before.keys, sizeof(before.keys));
	assert_memory_equal(nb->ts_local, before.ts_local,
			    sizeof(before.ts_local));
	assert_memory_equal(nb->ts_remote, before.ts_remote,
			    sizeof(before.ts_remote));
	assert_int_equal(nb->n_local, before.n_local);
	assert_int_equal(nb->n_remote, before.n_remote);
	/* The new child: installed with the first IKE_CHILD_TS_MAX. */
	c = &sa_rw(&A)->child[0];
	assert_int_equal(c->state, IKE_CHILD_INSTALLED);
	assert_int_equal(c->spi_in, new_spi);
	assert_int_equal(c->spi_out, r.spi);
	assert_int_equal(c->n_local, IKE_CHILD_TS_MAX);
	assert_int_equal(c->n_remote, IKE_CHILD_TS_MAX);
	for (i = 0; i < IKE_CHILD_TS_MAX; i++) {
		assert_memory_equal(&c->ts_local[i], &r.tsi[i],
				    sizeof(r.tsi[i]));
		assert_memory_equal(&c->ts_remote[i], &r.tsr[i],
				    sizeof(r.tsr[i]));
	}
	assert_int_equal(A.last.spi_in, new_spi);
	assert_int_equal(A.last.n_local, IKE_CHILD_TS_MAX);
}

/*
 * An authenticated peer answers our rekey with selectors wider than our
 * policy (RFC 7296 2.9: a responder may only narrow). The reply is
 * refused as the first child's would be: no Child SA with them, a DELETE
 * for the one the peer made, the old child stays; counted.
 */
static void
test_hostile_rekey_ts_widened(void **st TW_UNUSED)
{
	struct child_reply r = { .spi = 0x0c0c0c0c, .n_tsi = 1, .n_tsr = 1 };
	struct ike_counters c;
	uint32_t old_in, new_spi;

	establish();
	old_in = A.last.spi_in;
	a_rekey_now(0);
	new_spi = first_sa(&A)->new_spi;
	/* 10.0.0.0/8 for our 10.1.0.0/16. */
	ike_ts_from_prefix(&r.tsi[0], IP(10, 0, 0, 0), 8, 0, 0, 65535);
	ike_ts_from_prefix(&r.tsr[0], IP(10, 2, 0, 0), 16, 0, 0, 65535);
	b_answers(&r);
	assert_int_equal(A.child_up, 1);
	ike_counters_read(A.e, &c);
	assert_int_equal(c.ts_widened, 1);
	assert_int_equal(c.child_rekeyed, 0);
	assert_int_equal(first_sa(&A)->req, IKE_REQ_DELETE_CHILD);
	assert_int_equal(first_sa(&A)->delete_spi, new_spi);
	assert_int_equal(A.nq, 1);
	pump();
	/* The old child goes on; nothing else was installed. */
	assert_int_equal(first_sa(&A)->req, IKE_REQ_NONE);
	assert_int_equal(ike_sa_n_children(first_sa(&A)), 1);
	assert_int_equal(first_sa(&A)->child[0].spi_in, old_in);
	assert_int_equal(first_sa(&A)->child[0].state, IKE_CHILD_INSTALLED);
	assert_int_equal(A.n_dp, 1);
	assert_int_equal(dp_find(&A, old_in), 0);
	assert_int_equal(A.child_down, 0);
}

/*
 * B's policy demands PFS, A (misconfigured, or hostile) rekeys without a
 * KE payload: B refuses (RFC 7296 1.3.1, 2.7: with its DH group in the
 * only proposal it accepts, an offer without one is NO_PROPOSAL_CHOSEN)
 * rather than making a Child SA without PFS; so is a new Child SA.
 */
static void
test_pfs_enforced_as_responder(void **st TW_UNUSED)
{
	struct ike_action acts[IKE_ACTIONS_MAX];
	struct ike_counters c;

	B.pol.pfs_group = IKE_DH_CURVE25519;
	establish();                     /* IKE_AUTH: no KE, no PFS */
	a_rekey_now(0);
	pump();
	assert_int_equal(B.child_up, 1);
	assert_int_equal(A.child_up, 1);
	ike_counters_read(B.e, &c);
	assert_int_equal(c.pfs_refused, 1);
	assert_int_equal(c.no_proposal, 1);
	assert_int_equal(c.child_rekeyed, 0);
	ike_counters_read(A.e, &c);
	assert_int_equal(c.no_proposal, 1);
	/* A new Child SA without KE: refused the same way. */
	clear_child();
	apply(&A, acts, ike_initiate(A.e, 0, now, acts, IKE_ACTIONS_MAX));
	pump();
	assert_int_equal(B.child_up, 1);
	assert_int_equal(A.child_up, 1);
	ike_counters_read(B.e, &c);
	assert_int_equal(c.pfs_refused, 2);
	assert_int_equal(ike_sa_n_children(first_sa(&B)), 0);
}

/*
 * RFC 7296 2.1: the cached response answers "a retransmission of the
 * request", which is byte-identical to it. A spoofed header with the
 * previous message ID (28 bytes, no SK payload), or a copy of the
 * request with one byte changed, gets nothing; the genuine
 * retransmission gets the response, at most once per interval.
 */
static void
test_retransmit_spoofed(void **st TW_UNUSED)
{
	struct dgram init, auth, d;
	struct ike_counters c;
	struct ike_builder b;
	struct ike_hdr h;

	initiate();
	assert_true(pop(&A, &init));
	deliver(&B, &init);
	assert_int_equal(B.nq, 1);
	/* IKE_SA_INIT: the half-open SA's cache, same rule. */
	d = init;
	d.d[d.len - 1] ^= 1;
	deliver(&B, &d);
	assert_int_equal(B.nq, 1);
	assert_true(pop(&B, &d));
	deliver(&A, &d);
	assert_true(pop(&A, &auth));
	deliver(&B, &auth);
	pump();
	assert_int_equal(A.ike_up, 1);
	assert_int_equal(B.ike_up, 1);
	ike_counters_read(B.e, &c);
	assert_int_equal(c.rx_retransmit_mismatch, 1);
	assert_int_equal(c.rx_retransmits, 0);
	/* A bare header: B's SPIs, IKE_AUTH's message ID. */
	memset(&h, 0, sizeof(h));
	h.spi_i = first_sa(&B)->spi_i;
	h.spi_r = first_sa(&B)->spi_r;
	h.major = IKE_MAJOR_VERSION;
	h.exchange = IKE_EXCH_AUTH;
	h.flags = IKE_FLAG_INITIATOR;
	h.msg_id = 1;
	d = auth;
	ike_build_init(&b, d.d, sizeof(d.d), &h);
	assert_int_equal(ike_build_finish(&b), 28);
	d.len = 28;
	deliver(&B, &d);
	assert_int_equal(B.nq, 0);
	/* The request, its last byte (ICV) changed. */
	d = auth;
	d.d[d.len - 1] ^= 1;
	deliver(&B, &d);
	assert_int_equal(B.nq, 0);
	ike_counters_read(B.e, &c);
	assert_int_equal(c.rx_retransmit_mismatch, 3);
	assert_int_equal(c.rx_retransmits, 0);
	/* The real one, again and again. */
	deliver(&B, &auth);
	assert_int_equal(B.nq, 1);
	assert_true(pop(&B, &d));
	deliver(&B, &auth);
	assert_int_equal(B.nq, 0);
	ike_counters_read(B.e, &c);
	assert_int_equal(c.rx_retransmits, 1);
	assert_int_equal(c.rx_retransmit_limited, 1);
	now += TW_SEC(1);
	deliver(&B, &auth);
	assert_int_equal(B.nq, 1);
	ike_counters_read(B.e, &c);
	assert_int_equal(c.rx_retransmits, 2);
	assert_int_equal(c.rx_retransmit_limited, 1);
}

/* A's IKE_AUTH request with identity id (FQDN), AUTH made with the PSK. */
struct auth_req {
	const char *id;
};

static void
auth_req_body(struct side *s, struct ike_builder *b, void *arg)
{
	const struct auth_req *r = arg;
	struct ike_sa *sa = sa_rw(s);
	size_t n = strlen(r->id);
	uint8_t body[4 + 128], auth[IKE_PRF_MAX];
	struct ike_proposal p;

	assert_true(n <= 128);
	body[0] = IKE_ID_FQDN;
	body[1] = body[2] = body[3] = 0;
	memcpy(body + 4, r->id, n);
	assert_int_equal(ike_auth_psk(ike_crypto_openssl(), sa->algs.prf,
				      s->pol.psk, s->pol.psk_len,
				      sa->init_req, sa->init_req_len, sa->nr,
				      sa->nr_len, sa->keys.pi, sa->keys.p_len,
				      body, 4 + n, auth), 0);
	ike_build_id(b, IKE_PL_IDI, IKE_ID_FQDN, (const uint8_t *)r->id, n);
	ike_build_auth(b, IKE_AUTH_PSK, auth, ike_prf_len(sa->algs.prf));
	assert_int_equal(ike_esp_proposal(s->e, 0, false, 0x0a0a0a0a, &p), 0);
	ike_build_sa(b, &p, 1);
	ike_build_ts(b, IKE_PL_TSI, &s->pol.ts[0].local, 1);
	ike_build_ts(b, IKE_PL_TSR, &s->pol.ts[0].remote, 1);
}

/*
 * B accepts only the identity "<64 characters>" (IKE_ID_MAX bytes, the
 * most an ike_id holds); A, with the PSK, authenticates as that string
 * followed by more. The identity must match whole (RFC 7296 2.15: the
 * ID is what AUTH vouches for), never on its first IKE_ID_MAX bytes.
 */
static void
test_identity_not_a_prefix(void **st TW_UNUSED)
{
	static const char id64[] =
		"gateway-0123456789.branch-office-0123456789.vpn.example.com.xxxx";
	char longer[128];
	struct auth_req r = { .id = longer };
	struct ike_counters c;
	struct dgram d;

	assert_int_equal(strlen(id64), IKE_ID_MAX);
	ike_id_from_string(&B.pol.remote_id, id64);
	assert_int_equal(B.pol.remote_id.len, IKE_ID_MAX);
	snprintf(longer, sizeof(longer), "%s.evil.example", id64);
	initiate();
	assert_true(pop(&A, &d));
	deliver(&B, &d);
	assert_true(pop(&B, &d));
	deliver(&A, &d);
	assert_true(pop(&A, &d));        /* A's own IKE_AUTH: dropped */
	forge(&A, IKE_EXCH_AUTH, false, first_sa(&A)->msgid_out,
	      auth_req_body, &r, &d);
	deliver(&B, &d);
	assert_int_equal(B.ike_up, 0);
	assert_int_equal(B.child_up, 0);
	ike_counters_read(B.e, &c);
	assert_int_equal(c.auth_failed, 1);
	assert_int_equal(n_sas(&B), 0);
}

/* The same identity, whole: accepted (the forged request is sound). */
static void
test_identity_whole(void **st TW_UNUSED)
{
	static const char id64[] =
		"gateway-0123456789.branch-office-0123456789.vpn.example.com.xxxx";
	struct auth_req r = { .id = id64 };
	struct dgram d;

	ike_id_from_string(&B.pol.remote_id, id64);
	initiate();
	assert_true(pop(&A, &d));
	deliver(&B, &d);
	assert_true(pop(&B, &d));
	deliver(&A, &d);
	assert_true(pop(&A, &d));
	forge(&A, IKE_EXCH_AUTH, false, first_sa(&A)->msgid_out,
	      auth_req_body, &r, &d);
	deliver(&B, &d);
	assert_int_equal(B.ike_up, 1);
	assert_int_equal(first_sa(&B)->peer_id.len, IKE_ID_MAX);
}

/*
 * B answers two peers: A (policy 0) and M at 192.0.2.3 (policy 1), with
 * a table of max_sas IKE SAs. M is started, nothing sent.
 */
static void
third_peer(uint32_t max_sas)
{
	ike_engine_destroy(B.e);
	b_pols[0] = B.pol;
	policy(&b_pols[1], IP(192, 0, 2, 2), IP(192, 0, 2, 3), IP(10, 2, 0, 0),
	       IP(10, 3, 0, 0), "sesame-open", IKE_DH_ECP_256);
	b_pols[1].initiate = IKE_INITIATE_RESPONDER;
	B.cfg.policies = b_pols;
	B.cfg.n_policies = 2;
	B.cfg.max_sas = max_sas;
	side_start(&B);
	side_init(&M, "M", IP(192, 0, 2, 3), IP(192, 0, 2, 2), IP(10, 3, 0, 0),
		  IP(10, 2, 0, 0), "sesame-open");
	side_start(&M);
}

/* Carry between M and B (B's datagrams to A go to A) until quiet;
 * lose_info: M's INFORMATIONAL requests are lost (it never deletes). */
static void
pump_m(bool lose_info)
{
	static struct dgram d;
	unsigned int n = 0;

	for (;;) {
		if (pop(&M, &d)) {
			/* The header: exchange type at 18, flags at 19. */
			if (!lose_info || d.d[18] != IKE_EXCH_INFORMATIONAL ||
			    (d.d[19] & IKE_FLAG_RESPONSE) != 0)
				deliver(&B, &d);
		} else if (pop(&B, &d)) {
			deliver(d.dst == M.pol.local_addr.v4 ? &M : &A, &d);
		} else {
			return;
		}
		assert_true(++n < 1000);
	}
}

/* B's IKE SAs with peer: *half of them HALF_OPEN, returns all. */
static unsigned int
b_sas_of(uint32_t peer, unsigned int *half, unsigned int *up)
{
	const struct ike_sa *sa = NULL;
	unsigned int n = 0;

	*half = *up = 0;
	while ((sa = ike_engine_sa_next(B.e, sa)) != NULL) {
		if (sa->peer_addr.v4 != peer)
			continue;
		n++;
		if (sa->state == IKE_SA_HALF_OPEN)
			(*half)++;
		if (sa->state == IKE_SA_ESTABLISHED)
			(*up)++;
	}
	return n;
}

/* A establishes with B, which has M's SAs besides. */
static void
establish_a(void)
{
	unsigned int b_up = B.ike_up, half, up;

	initiate();
	pump();
	assert_int_equal(A.ike_up, 1);
	assert_int_equal(A.child_up, 1);
	assert_int_equal(first_sa(&A)->state, IKE_SA_ESTABLISHED);
	assert_int_equal(B.ike_up, b_up + 1);
	assert_int_equal(b_sas_of(A.pol.local_addr.v4, &half, &up), 1);
	assert_int_equal(up, 1);
}

/*
 * Issue 14.1: M floods B with IKE_SA_INITs (a new SPIi each, never
 * going on) enough to fill B's table. It keeps IKE_PEER_HALF_OPEN_MAX
 * half-open SAs, the rest get a COOKIE (RFC 7296 2.6): A still gets in.
 * Then M itself, echoing the cookie, replaces its oldest and gets in.
 */
static void
peer_half_open_case(unsigned int lim)
{
	struct ike_action acts[IKE_ACTIONS_MAX];
	struct ike_counters c;
	struct dgram d0, d;
	unsigned int i, half, up;

	B.cfg.peer_half_open_max = lim;
	third_peer(NSA);
	apply(&M, acts, ike_initiate(M.e, 0, now, acts, IKE_ACTIONS_MAX));
	assert_true(pop(&M, &d0));
	for (i = 0; i < NSA; i++) {
		d = d0;
		d.d[0] = 0xa5;
		d.d[7] = (uint8_t)i;
		deliver(&B, &d);
		B.nq = 0;
	}
	assert_int_equal(b_sas_of(M.pol.local_addr.v4, &half, &up),
			 lim);
	assert_int_equal(half, lim);
	ike_counters_read(B.e, &c);
	assert_int_equal(c.peer_half_open_limit, NSA - lim);
	assert_int_equal(c.cookies_sent, NSA - lim);
	/* The other peer establishes. */
	establish_a();
	/* M's own request: a COOKIE, then with it, in. */
	deliver(&B, &d0);
	pump_m(false);
	assert_int_equal(M.ike_up, 1);
	assert_int_equal(M.child_up, 1);
	assert_int_equal(b_sas_of(M.pol.local_addr.v4, &half, &up),
			 lim);
	assert_int_equal(half, lim - 1);
	assert_int_equal(up, 1);
}

static void
test_peer_half_open_limit(void **st TW_UNUSED)
{
	peer_half_open_case(IKE_PEER_HALF_OPEN_MAX);
}

/* The same with the limit configured (ike limits peer_half_open = 2). */
static void
test_peer_half_open_limit_configured(void **st TW_UNUSED)
{
	peer_half_open_case(2);
}

/*
 * Set-ups in parallel must not take a peer past peer_sa_max: M holds one
 * IKE SA, B allows it 3; of 4 more IKE_SA_INITs (each a new SPIi) 2 get
 * half-open SAs, the others a COOKIE, so that all coming up makes 3.
 */
static void
test_peer_sa_limit_parallel(void **st TW_UNUSED)
{
	struct ike_action acts[IKE_ACTIONS_MAX];
	struct ike_counters c;
	struct dgram d0, d;
	unsigned int i, half, up;

	B.cfg.peer_sa_max = 3;
	third_peer(NSA);
	apply(&M, acts, ike_initiate(M.e, 0, now, acts, IKE_ACTIONS_MAX));
	assert_true(pop(&M, &d0));
	deliver(&B, &d0);
	pump_m(false);
	assert_int_equal(M.ike_up, 1);
	for (i = 0; i < 4; i++) {
		d = d0;
		d.d[0] = 0x5a;
		d.d[7] = (uint8_t)i;
		deliver(&B, &d);
		B.nq = 0;
	}
	b_sas_of(M.pol.local_addr.v4, &half, &up);
	assert_int_equal(up, 1);
	assert_int_equal(half, 2);
	ike_counters_read(B.e, &c);
	assert_int_equal(c.peer_half_open_limit, 2);
	assert_int_equal(c.cookies_sent, 2);
}

/*
 * Issue 14.1: M rekeys its IKE SA every 1.5 s (within the rate limit)
 * and never deletes the old ones: on B they would wait
 * IKE_REKEYED_GRACE each and fill the table. B refuses the rekeys past
 * IKE_PEER_SA_MAX with TEMPORARY_FAILURE; M stays up, A still gets in.
 */
static void
peer_sa_case(unsigned int lim)
{
	struct ike_action acts[IKE_ACTIONS_MAX];
	struct ike_counters c;
	unsigned int i, half, up, n, most = 0;

	B.cfg.peer_sa_max = lim;
	third_peer(16);
	apply(&M, acts, ike_initiate(M.e, 0, now, acts, IKE_ACTIONS_MAX));
	pump_m(true);
	assert_int_equal(M.ike_up, 1);
	for (i = 0; i < 24; i++) {
		const struct ike_sa *cur;
		struct ike_sa *sa;

		now += TW_MSEC(1500);
		fire(&B);
		pump_m(true);
		cur = ike_sa_of_policy(M.e, 0);
		assert_non_null(cur);
		sa = ike_sa_live(M.e, cur->id);
		sa->rekey_at = now;
		apply(&M, acts, ike_timer(M.e, sa->id, now, acts,
					  IKE_ACTIONS_MAX));
		pump_m(true);
		n = b_sas_of(M.pol.local_addr.v4, &half, &up);
		if (n > most)
			most = n;
	}
	assert_true(most <= lim);
	ike_counters_read(B.e, &c);
	assert_true(c.peer_sa_limit > 0);
	assert_true(c.sa_rekeyed >= lim - 1);
	b_sas_of(M.pol.local_addr.v4, &half, &up);
	assert_true(up >= 1);
	establish_a();
}

static void
test_peer_sa_limit(void **st TW_UNUSED)
{
	peer_sa_case(IKE_PEER_SA_MAX);
}

/* Configured (ike limits peer_sas = 4). */
static void
test_peer_sa_limit_configured(void **st TW_UNUSED)
{
	peer_sa_case(4);
}

/*
 * Issue 14.1: A asks for Child SA rekeys every 100 ms. B accepts
 * IKE_CREATE_CHILD_RATE_MAX of them per window, refuses the others with
 * TEMPORARY_FAILURE (counted), and accepts again in the next window.
 */
static void
create_child_rate_case(unsigned int max, unsigned int window_s)
{
	struct ike_action acts[IKE_ACTIONS_MAX];
	struct ike_counters c;
	unsigned int i, j, tries = max + 5;

	establish();
	/* B's limits as a reload sets them: at once, on the SA up */
	B.cfg.ccs_rate_max = max;
	B.cfg.ccs_rate_window_s = window_s;
	for (i = 0; i <= tries; i++) {
		struct ike_sa *sa;

		if (i == tries)
			now += TW_SEC(window_s);
		now += TW_MSEC(100);
		sa = sa_rw(&A);
		for (j = 0; j < IKE_CHILD_MAX; j++)
			if (sa->child[j].state == IKE_CHILD_INSTALLED)
				sa->child[j].soft_at = now;
		apply(&A, acts, ike_timer(A.e, sa->id, now, acts,
					  IKE_ACTIONS_MAX));
		pump();
		if (i == tries - 1) {
			ike_counters_read(B.e, &c);
			assert_int_equal(c.child_rekeyed,
					 max);
			assert_true(c.create_child_limited >= 1);
		}
	}
	ike_counters_read(B.e, &c);
	assert_int_equal(c.child_rekeyed, max + 1);
	assert_int_equal(first_sa(&A)->state, IKE_SA_ESTABLISHED);
	assert_int_equal(first_sa(&B)->state, IKE_SA_ESTABLISHED);
	check_installed_children_match(first_sa(&A), first_sa(&B));
}

static void
test_create_child_rate_limit(void **st TW_UNUSED)
{
	create_child_rate_case(IKE_CREATE_CHILD_RATE_MAX,
			       IKE_CREATE_CHILD_RATE_WINDOW_S);
}

/* Configured (ike limits create_child = 3, create_child_window = 4). */
static void
test_create_child_rate_configured(void **st TW_UNUSED)
{
	create_child_rate_case(3, 4);
}

/* A limit of 0 is no config lib/ike runs with. */
static void
test_peer_limits_zero_refused(void **st TW_UNUSED)
{
	struct ike_rng rng = { test_rng, &rng_state[0] };
	struct ike_config cfg;

	cfg = A.cfg;
	cfg.peer_half_open_max = 0;
	assert_null(ike_engine_create(&cfg, ike_crypto_openssl(), &rng));
	cfg = A.cfg;
	cfg.peer_sa_max = 0;
	assert_null(ike_engine_create(&cfg, ike_crypto_openssl(), &rng));
	cfg = A.cfg;
	cfg.ccs_rate_max = 0;
	assert_null(ike_engine_create(&cfg, ike_crypto_openssl(), &rng));
	cfg = A.cfg;
	cfg.ccs_rate_window_s = 0;
	assert_null(ike_engine_create(&cfg, ike_crypto_openssl(), &rng));
}

/* A's next Child SA rekey request, not delivered. */
static void
a_rekey_request(struct dgram *d)
{
	struct ike_action acts[IKE_ACTIONS_MAX];
	struct ike_sa *sa = sa_rw(&A);
	unsigned int j;

	for (j = 0; j < IKE_CHILD_MAX; j++)
		if (sa->child[j].state == IKE_CHILD_INSTALLED)
			sa->child[j].soft_at = now;
	apply(&A, acts, ike_timer(A.e, sa->id, now, acts, IKE_ACTIONS_MAX));
	assert_true(pop(&A, d));
}

/*
 * Issue 14.2, RFC 7296 2.23: no NAT was detected, so the IKE SA does not
 * follow a new address or port, even on port 4500 and in a message that
 * verifies (an on-path attacker redirected A's own request). B answers
 * and installs to where A is.
 */
static void
test_no_nat_no_path_update(void **st TW_UNUSED)
{
	struct ike_counters c;
	struct dgram d;

	establish();
	assert_false(first_sa(&B)->nat_peer);
	assert_false(first_sa(&B)->nat_local);
	now += TW_SEC(1);
	a_rekey_request(&d);
	d.src = IP(203, 0, 113, 9);
	d.sport = 4500;
	d.dport = 4500;
	deliver(&B, &d);
	assert_int_equal(first_sa(&B)->peer_addr.v4, IP(192, 0, 2, 1));
	assert_int_equal(first_sa(&B)->peer_port, 500);
	assert_int_equal(first_sa(&B)->local_port, 500);
	ike_counters_read(B.e, &c);
	assert_int_equal(c.path_not_followed, 1);
	/* The request was good: answered, to A. */
	assert_int_equal(B.nq, 1);
	assert_int_equal(B.q[0].dst, IP(192, 0, 2, 1));
	assert_int_equal(B.q[0].dport, 500);
	assert_int_equal(B.child_up, 2);
	assert_int_equal(B.last.peer_addr.v4, IP(192, 0, 2, 1));
	assert_int_equal(B.last.peer_port, 500);
	pump();
	check_installed_children_match(first_sa(&A), first_sa(&B));
}

/* Behind a NAT (detected in front of A), B follows A's new mapping. */
static void
test_nat_path_update(void **st TW_UNUSED)
{
	struct ike_counters c;
	struct dgram d;

	A.nat_addr = IP(198, 51, 100, 7);
	A.nat_port = 61000;
	B.pol.peer_addr = tw_addr_v4(IP(198, 51, 100, 7));
	establish();
	assert_true(first_sa(&B)->nat_peer);
	now += TW_SEC(1);
	a_rekey_request(&d);
	d.src = IP(198, 51, 100, 8);
	d.sport = 61001;
	deliver(&B, &d);
	assert_int_equal(first_sa(&B)->peer_addr.v4, IP(198, 51, 100, 8));
	assert_int_equal(first_sa(&B)->peer_port, 61001);
	assert_int_equal(B.nq, 1);
	assert_int_equal(B.q[0].dst, IP(198, 51, 100, 8));
	assert_int_equal(B.last.peer_port, 61001);
	ike_counters_read(B.e, &c);
	assert_int_equal(c.path_not_followed, 0);
}

/*
 * Issue 14.3: an IKE_SA_INIT to a multicast or broadcast address (or
 * from one) gets no answer and no state: the answer would leave from
 * that address (RFC 1122 3.2.1.3, 3.3.6; RFC 1112 7.2). Counted.
 */
static void
test_not_unicast_dropped(void **st TW_UNUSED)
{
	static const uint32_t bad_dst[] = {
		IP(224, 0, 0, 1), IP(239, 255, 255, 250), IP(255, 255, 255, 255),
		IP(0, 0, 0, 0), IP(127, 0, 0, 1),
	};
	struct ike_counters c;
	struct dgram d0, d;
	unsigned int i;

	initiate();
	assert_true(pop(&A, &d0));
	for (i = 0; i < sizeof(bad_dst) / sizeof(bad_dst[0]); i++) {
		d = d0;
		d.dst = bad_dst[i];
		deliver(&B, &d);
		assert_int_equal(B.nq, 0);
		assert_int_equal(n_sas(&B), 0);
	}
	d = d0;
	d.src = IP(255, 255, 255, 255);
	deliver(&B, &d);
	d.src = IP(224, 0, 0, 5);
	deliver(&B, &d);
	assert_int_equal(B.nq, 0);
	assert_int_equal(n_sas(&B), 0);
	ike_counters_read(B.e, &c);
	assert_int_equal(c.rx_not_unicast, 7);
	/* To B's own address: in. */
	deliver(&B, &d0);
	pump();
	assert_int_equal(A.ike_up, 1);
	assert_int_equal(B.ike_up, 1);
	assert_false(ike_addr_unicast(&(struct tw_addr){ .family = TW_AF_INET, { .v4 = IP(224, 0, 0, 0) } }));
	assert_false(ike_addr_unicast(&(struct tw_addr){ .family = TW_AF_INET, { .v4 = IP(255, 255, 255, 255) } }));
	assert_true(ike_addr_unicast(&(struct tw_addr){ .family = TW_AF_INET, { .v4 = IP(223, 255, 255, 255) } }));
	assert_true(ike_addr_unicast(&(struct tw_addr){ .family = TW_AF_INET, { .v4 = IP(192, 0, 2, 2) } }));
}

/*
 * Issue 14.4: an identity longer than IKE_ID_MAX bytes is refused, not
 * cut to a prefix (which would then match another peer's identity).
 */
static void
test_id_from_string_too_long(void **st TW_UNUSED)
{
	static const char id64[] =
		"gateway-0123456789.branch-office-0123456789.vpn.example.com.xxxx";
	char id65[sizeof(id64) + 1];
	struct ike_id id;

	snprintf(id65, sizeof(id65), "%sy", id64);
	assert_int_equal(strlen(id65), IKE_ID_MAX + 1);
	memset(&id, 0x5a, sizeof(id));
	assert_int_equal(ike_id_from_string(&id, id65), -ENAMETOOLONG);
	assert_int_equal(id.len, 0);
	assert_int_equal(id.type, 0);
	assert_int_equal(ike_id_from_string(&id, "user-with-a-long-name@"
					    "example.com.longer-than-sixty-"
					    "four-bytes-by-far-0123456789"),
			 -ENAMETOOLONG);
	assert_int_equal(id.len, 0);
	/* Up to IKE_ID_MAX, whole. */
	assert_int_equal(ike_id_from_string(&id, id64), 0);
	assert_int_equal(id.type, IKE_ID_FQDN);
	assert_int_equal(id.len, IKE_ID_MAX);
	assert_memory_equal(id.data, id64, IKE_ID_MAX);
	assert_int_equal(ike_id_from_string(&id, "vpn@example.com"), 0);
	assert_int_equal(id.type, IKE_ID_RFC822_ADDR);
	assert_int_equal(ike_id_from_string(&id, "192.0.2.7"), 0);
	assert_int_equal(id.type, IKE_ID_IPV4_ADDR);
	assert_int_equal(id.len, 4);
	assert_int_equal(ike_id_from_string(&id, ""), -EINVAL);
}

/* Nothing but zeros in b[0..n). */
static bool
all_zero(const uint8_t *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (b[i] != 0)
			return false;
	return true;
}

/*
 * Issue 14.5: the decrypted SK payload of a message (IDs, AUTH, nonces,
 * KE) does not outlive the call that handled it: after IKE_AUTH, a
 * CREATE_CHILD_SA and an INFORMATIONAL, the engine's plaintext buffer
 * is all zero on both sides.
 */
static void
test_plaintext_wiped(void **st TW_UNUSED)
{
	struct dgram d;

	initiate();
	assert_true(pop(&A, &d));
	deliver(&B, &d);                 /* IKE_SA_INIT */
	assert_true(pop(&B, &d));
	deliver(&A, &d);
	assert_true(pop(&A, &d));
	deliver(&B, &d);                 /* IKE_AUTH request */
	assert_int_equal(B.ike_up, 1);
	assert_true(all_zero(B.e->plain, sizeof(B.e->plain)));
	assert_true(pop(&B, &d));
	deliver(&A, &d);                 /* IKE_AUTH response */
	assert_int_equal(A.ike_up, 1);
	assert_true(all_zero(A.e->plain, sizeof(A.e->plain)));
	now += TW_SEC(1);
	a_rekey_request(&d);
	deliver(&B, &d);
	assert_int_equal(B.child_up, 2);
	assert_true(all_zero(B.e->plain, sizeof(B.e->plain)));
	pump();
	assert_true(all_zero(A.e->plain, sizeof(A.e->plain)));
	assert_true(all_zero(B.e->plain, sizeof(B.e->plain)));
}

/* ---- issue 19: a restarted peer is back in seconds ---- */

/* s's process restarts: its engine and everything it held are gone
 * (no DELETE, no CHILD_DOWN: a crash or kill -9). */
static void
restart(struct side *s)
{
	unsigned int i;

	ike_engine_destroy(s->e);
	s->e = NULL;
	s->nq = 0;
	s->n_dp = 0;
	s->child_up = s->child_down = s->ike_up = s->ike_down = 0;
	for (i = 0; i <= NSA; i++)
		s->dl[i] = TW_TIME_NEVER;
	side_start(s);
}

/*
 * The responder B restarts and initiates itself: its IKE_AUTH carries
 * INITIAL_CONTACT (its only IKE SA with A), and A drops the IKE SA it had
 * initiated before, with its Child SA, at once (not after DPD).
 */
static void
test_initial_contact_restart(void **st TW_UNUSED)
{
	struct ike_action acts[IKE_ACTIONS_MAX];
	struct ike_counters ca, cb;

	establish();
	ike_counters_read(A.e, &ca);
	assert_int_equal(ca.initial_contact_sent, 1);
	restart(&B);
	B.pol.initiate = IKE_INITIATE_START;
	apply(&B, acts, ike_initiate(B.e, 0, now, acts, IKE_ACTIONS_MAX));
	pump();
	ike_counters_read(A.e, &ca);
	ike_counters_read(B.e, &cb);
	assert_int_equal(cb.initial_contact_sent, 1);
	assert_int_equal(ca.initial_contact_kills, 1);
	assert_int_equal(n_sas(&A), 1);
	assert_int_equal(A.ike_down, 1);
	assert_int_equal(A.child_down, 1);
	assert_int_equal(A.n_dp, 1);
	assert_int_equal(B.n_dp, 1);
	assert_int_equal(A.dp_in[0], B.dp_out[0]);
	assert_int_equal(A.dp_out[0], B.dp_in[0]);
	check_installed_children_match(first_sa(&A), first_sa(&B));
}

/* The initiator restarts: the responder drops its old IKE SA too. */
static void
test_initial_contact_initiator_restart(void **st TW_UNUSED)
{
	struct ike_counters cb;

	establish();
	restart(&A);
	B.ike_up = B.child_up = 0;
	establish();
	ike_counters_read(B.e, &cb);
	assert_int_equal(cb.initial_contact_kills, 1);
	assert_int_equal(n_sas(&B), 1);
	assert_int_equal(B.n_dp, 1);
	assert_int_equal(B.child_down, 1);
}

/*
 * An IKE SA rekey collision whose other half dies before it is decided
 * (fuzz_ike_engine): B's SA notes the peer's rekey as its collision
 * partner, then the operator clears that rekey and its slot is free. A
 * restarts; B takes A's new IKE SA into the freed slot, and its
 * INITIAL_CONTACT drops B's old SA. The new SA must not go with it as
 * the old one's "partner": B then announced an IKE SA and a Child SA as
 * up that its engine had already dropped.
 */
static void
test_initial_contact_collision_gone(void **st TW_UNUSED)
{
	struct ike_action acts[IKE_ACTIONS_MAX];
	uint32_t b_old, b_peer;
	struct ike_counters cb;
	struct dgram ra;

	establish();
	b_old = first_sa(&B)->id;
	sa_rw(&A)->rekey_at = now;
	sa_rw(&B)->rekey_at = now;
	fire_both();
	assert_true(pop(&A, &ra));
	deliver(&B, &ra);               /* the peer's rekey: a collision */
	assert_int_equal(n_sas(&B), 2);
	b_peer = ike_engine_sa_next(B.e, first_sa(&B))->id;
	assert_int_not_equal(b_peer, b_old);
	B.nq = 0;                       /* B's request and answer are lost */
	/* The operator clears the peer's rekey: a DELETE, then at once. */
	apply(&B, acts, ike_delete(B.e, b_peer, now, acts, IKE_ACTIONS_MAX));
	apply(&B, acts, ike_delete(B.e, b_peer, now, acts, IKE_ACTIONS_MAX));
	assert_null(ike_sa_live(B.e, b_peer));
	assert_int_equal(n_sas(&B), 1);
	B.nq = 0;
	restart(&A);
	B.ike_up = B.ike_down = B.child_up = B.child_down = 0;
	initiate();
	pump();
	ike_counters_read(B.e, &cb);
	assert_int_equal(cb.initial_contact_kills, 1);
	assert_null(ike_sa_live(B.e, b_old));
	/* The new SA took the freed slot, and lives. */
	assert_non_null(ike_sa_live(B.e, b_peer));
	assert_int_equal(n_sas(&B), 1);
	assert_int_equal(first_sa(&B)->state, IKE_SA_ESTABLISHED);
	assert_int_equal(B.ike_up, 1);
	assert_int_equal(B.ike_down, 1);
	assert_int_equal(B.child_down, 1);
	assert_int_equal(B.n_dp, 1);
	assert_int_equal(ike_sa_n_children(first_sa(&B)), 1);
	assert_int_equal(A.dp_in[0], B.dp_out[0]);
	check_installed_children_match(first_sa(&A), first_sa(&B));
}

/* No INITIAL_CONTACT while another IKE SA with the peer lives: B keeps
 * the first one when A sets up a second (here: B's own to A). */
static void
test_initial_contact_not_second(void **st TW_UNUSED)
{
	struct ike_action acts[IKE_ACTIONS_MAX];
	struct ike_counters ca, cb;

	establish();
	B.pol.initiate = IKE_INITIATE_START;
	/* ike_initiate() sets up a new IKE SA only without an established
	 * one: B's first is marked REKEYED (waiting for its DELETE), as
	 * after an IKE SA rekey, so B initiates a second while the first
	 * still lives. */
	sa_rw(&B)->state = IKE_SA_REKEYED;
	apply(&B, acts, ike_initiate(B.e, 0, now, acts, IKE_ACTIONS_MAX));
	pump();
	ike_counters_read(A.e, &ca);
	ike_counters_read(B.e, &cb);
	assert_int_equal(cb.initial_contact_sent, 0);
	assert_int_equal(ca.initial_contact_kills, 0);
	assert_int_equal(n_sas(&A), 2);
}

/*
 * B stopped: A's IKE_SA_INIT goes unanswered and backs off (1, 2, 4 s);
 * B back: ike_initiate_again() sends it at once and restarts the
 * back-off, and the tunnel comes up without waiting for the next try.
 */
static void
test_initiate_again(void **st TW_UNUSED)
{
	struct ike_action acts[IKE_ACTIONS_MAX];
	struct ike_counters c;
	struct dgram d, first;

	initiate();
	assert_true(pop(&A, &first));    /* B is down: lost */
	now += TW_MSEC(1500);
	fire(&A);                        /* the 1 s retransmission */
	assert_true(pop(&A, &d));
	assert_int_equal(d.len, first.len);
	assert_memory_equal(d.d, first.d, d.len);
	/* B is back 0.5 s later: the next try would be 2 s away. */
	now += TW_MSEC(500);
	apply(&A, acts, ike_initiate_again(A.e, 0, now, acts,
					   IKE_ACTIONS_MAX));
	assert_int_equal(A.nq, 1);
	assert_memory_equal(A.q[0].d, first.d, first.len);
	ike_counters_read(A.e, &c);
	assert_int_equal(c.tx_retransmits, 2);
	/* The back-off starts again: the next try in 1 s, not 4. */
	assert_true(A.dl[first_sa(&A)->id] <= now + TW_SEC(1));
	pump();
	assert_int_equal(A.ike_up, 1);
	assert_int_equal(B.child_up, 1);
	/* Nothing in flight: nothing to send. */
	assert_int_equal(ike_initiate_again(A.e, 0, now, acts,
					    IKE_ACTIONS_MAX), 0);
}

/* ---- both ends set the tunnel up at once (lib/ike/ike_dup.c) ---- */

/* What each side sends on, the other holds as inbound: checked once the
 * tunnel first carries traffic both ways (every family bound on both
 * sides to an SA the other holds), after every datagram and deadline
 * from then on. */
static bool flowing;

static void
check_flow(unsigned int families)
{
	struct side *sd[2] = { &A, &B };
	unsigned int k, f;

	if (!flowing) {
		for (k = 0; k < 2; k++)
			for (f = 0; f < families; f++)
				if (sd[k]->bind[f] == 0 ||
				    dp_find(sd[!k], sd[k]->bind[f]) < 0)
					return;
		flowing = true;
	}
	for (k = 0; k < 2; k++)
		for (f = 0; f < families; f++) {
			if (sd[k]->bind[f] == 0 ||
			    dp_find(sd[!k], sd[k]->bind[f]) < 0)
				print_error("%s sends %s on %08x, which %s does not hold\n",
					    sd[k]->name, f ? "IPv6" : "IPv4",
					    sd[k]->bind[f], sd[!k]->name);
			assert_int_not_equal(sd[k]->bind[f], 0);
			assert_true(dp_find(sd[!k], sd[k]->bind[f]) >= 0);
		}
}

/* run_for(), one datagram at a time, check_flow() after each. */
static void
run_checked(tw_time_t d, tw_time_t step, unsigned int families)
{
	tw_time_t end = now + d;
	struct dgram x;

	while (now < end) {
		now += step;
		fire(&A);
		check_flow(families);
		fire(&B);
		check_flow(families);
		for (;;) {
			if (pop(&A, &x))
				deliver(&B, &x);
			else if (pop(&B, &x))
				deliver(&A, &x);
			else
				break;
			check_flow(families);
		}
	}
}

/*
 * A and B both initiate (both entries initiate = "start"). crossed: the
 * two IKE_SA_INITs cross on the wire. Otherwise B's first IKE_SA_INIT is
 * lost (A was down), A comes up and sets up its tunnel, B's retry
 * reaches it a second later: lab_ike_restart's case. Either way one IKE
 * SA is left on both sides, the same one, with a Child SA per family,
 * and no packet was sent to an SA the other side did not hold. Returns
 * whether A's was the one deleted.
 */
static bool
simultaneous(bool crossed, unsigned int families)
{
	struct ike_action acts[IKE_ACTIONS_MAX];
	struct ike_counters ca, cb;
	unsigned int downs;
	struct dgram lost;
	bool a_lost;

	flowing = false;
	B.pol.initiate = IKE_INITIATE_START;
	if (families == 2) {
		add_v6_pair(&A, true);
		add_v6_pair(&B, false);
	}
	apply(&B, acts, ike_initiate(B.e, 0, now, acts, IKE_ACTIONS_MAX));
	if (!crossed)
		assert_true(pop(&B, &lost));
	initiate();
	run_checked(TW_SEC(10), TW_MSEC(50), families);
	assert_true(flowing);
	ike_counters_read(A.e, &ca);
	ike_counters_read(B.e, &cb);
	/* Both saw the pair; one of them deleted its own. */
	assert_int_equal(ca.dup_sas, 1);
	assert_int_equal(cb.dup_sas, 1);
	assert_int_equal(ca.dup_deleted + cb.dup_deleted, 1);
	assert_int_equal(ca.initial_contact_kills + cb.initial_contact_kills, 0);
	assert_int_equal(n_sas(&A), 1);
	assert_int_equal(n_sas(&B), 1);
	assert_int_equal(first_sa(&A)->spi_i, first_sa(&B)->spi_i);
	assert_int_equal(first_sa(&A)->spi_r, first_sa(&B)->spi_r);
	assert_int_equal(first_sa(&A)->state, IKE_SA_ESTABLISHED);
	assert_int_equal(first_sa(&B)->state, IKE_SA_ESTABLISHED);
	assert_int_equal(ike_sa_n_children(first_sa(&A)), families);
	assert_int_equal(A.n_dp, families);
	assert_int_equal(B.n_dp, families);
	check_installed_children_match(first_sa(&A), first_sa(&B));
	a_lost = ca.dup_deleted == 1;
	/* The redundant one's Child SAs went on both sides (it may have
	 * gone before it asked for its second family). */
	downs = A.child_down;
	assert_true(downs >= 1 && downs <= families);
	assert_int_equal(B.child_down, downs);
	/* The survivor was set up by the other side. */
	assert_int_equal(first_sa(&A)->initiator, !a_lost);
	/* Quiet from then on: nothing more set up or deleted. */
	run_checked(TW_SEC(60), TW_SEC(1), families);
	assert_int_equal(n_sas(&A), 1);
	assert_int_equal(A.child_down, downs);
	assert_int_equal(B.child_down, downs);
	return a_lost;
}

/* Over many seeds (nonces), crossed and not, one and two families: each
 * side's IKE SA is the redundant one in some runs. */
static void
test_simultaneous_setup(void **st TW_UNUSED)
{
	unsigned int seed, n = 16, k, a_lost[4] = { 0 };

	for (seed = 1; seed <= n; seed++) {
		for (k = 0; k < 4; k++) {
			teardown(NULL);
			seed_override = seed;
			setup(NULL);
			a_lost[k] += simultaneous(k & 1, k & 2 ? 2 : 1);
		}
	}
	seed_override = 0;
	for (k = 0; k < 4; k++)
		assert_true(a_lost[k] > 0 && a_lost[k] < n);
}

/* s's IKE SA marked redundant (dup_of), or NULL. */
static const struct ike_sa *
dup_marked(struct side *s)
{
	const struct ike_sa *sa = NULL;

	while ((sa = ike_engine_sa_next(s->e, sa)) != NULL)
		if (sa->dup_of != 0)
			return sa;
	return NULL;
}

/* s's IKE SA with the SPIs of other's IKE SA x. */
static const struct ike_sa *
same_sa(struct side *s, const struct ike_sa *x)
{
	const struct ike_sa *sa = NULL;

	while ((sa = ike_engine_sa_next(s->e, sa)) != NULL)
		if (sa->spi_i == x->spi_i && sa->spi_r == x->spi_r)
			return sa;
	return NULL;
}

/*
 * A peer that resolves duplicates its own way deletes the IKE SA we
 * would keep while ours waits its settle time (strongSwan with a
 * "replace" uniqueness policy deletes its older IKE SA when it completes
 * a newer one as responder): ours then stays, and the tunnel with it.
 * Deleting it too would leave none.
 */
static void
test_simultaneous_peer_deletes(void **st TW_UNUSED)
{
	struct ike_action acts[IKE_ACTIONS_MAX];
	const struct ike_sa *loser = NULL, *w;
	struct side *l = NULL, *p;
	struct ike_counters c;
	unsigned int i;
	uint64_t loser_spi_i;

	B.pol.initiate = IKE_INITIATE_START;
	apply(&B, acts, ike_initiate(B.e, 0, now, acts, IKE_ACTIONS_MAX));
	initiate();
	for (i = 0; i < 100 && loser == NULL; i++) {
		run_for(TW_MSEC(10), TW_MSEC(10));
		if ((loser = dup_marked(&A)) != NULL)
			l = &A;
		else if ((loser = dup_marked(&B)) != NULL)
			l = &B;
	}
	assert_non_null(loser);
	p = l == &A ? &B : &A;
	loser_spi_i = loser->spi_i;
	w = same_sa(p, ike_engine_sa(l->e, loser->dup_of));
	assert_non_null(w);
	/* The peer deletes the one we would keep, at once. */
	apply(p, acts, ike_delete(p->e, w->id, now, acts, IKE_ACTIONS_MAX));
	run_for(TW_SEC(10), TW_MSEC(100));
	ike_counters_read(l->e, &c);
	assert_int_equal(c.dup_deleted, 0);
	assert_int_equal(n_sas(&A), 1);
	assert_int_equal(n_sas(&B), 1);
	assert_int_equal(first_sa(&A)->spi_i, loser_spi_i);
	assert_int_equal(first_sa(&B)->spi_i, loser_spi_i);
	assert_int_equal(first_sa(&A)->state, IKE_SA_ESTABLISHED);
	assert_int_equal(first_sa(l)->dup_of, 0);
	assert_int_equal(A.n_dp, 1);
	check_installed_children_match(first_sa(&A), first_sa(&B));
}

/* A second IKE SA set up long after the first (no INITIAL_CONTACT: the
 * peer kept another) is not a duplicate of a simultaneous set-up: both
 * stay. */
static void
test_not_simultaneous(void **st TW_UNUSED)
{
	struct ike_action acts[IKE_ACTIONS_MAX];
	struct ike_counters ca, cb;

	establish();
	now += TW_SEC(61);
	B.pol.initiate = IKE_INITIATE_START;
	sa_rw(&B)->state = IKE_SA_REKEYED;
	apply(&B, acts, ike_initiate(B.e, 0, now, acts, IKE_ACTIONS_MAX));
	pump();
	run_for(TW_SEC(10), TW_SEC(1));
	ike_counters_read(A.e, &ca);
	ike_counters_read(B.e, &cb);
	assert_int_equal(ca.dup_sas, 0);
	assert_int_equal(n_sas(&A), 2);
}

/* What A's data plane would do with ESP on SPI spi from B. */
static void
esp_unknown(struct side *s, uint32_t from, uint32_t spi)
{
	struct ike_action acts[IKE_ACTIONS_MAX];

	struct tw_addr f = tw_addr_v4(from);

	apply(s, acts, ike_invalid_spi(s->e, &f, spi, now, acts,
				       IKE_ACTIONS_MAX));
}

/*
 * A lost its Child SA (as a restarted twin or a lost DELETE leaves it)
 * while B still sends on it: A's INVALID_SPI makes B drop it and, as it
 * was the policy's only one, negotiate a new one on the IKE SA.
 */
static void
test_invalid_spi(void **st TW_UNUSED)
{
	struct ike_action acts[IKE_ACTIONS_MAX];
	struct ike_counters ca, cb;
	struct ike_sa *sa;
	uint32_t lost;

	establish();
	lost = A.last.spi_in;
	sa = sa_rw(&A);
	assert_int_equal(ike_call_begin(A.e, now, acts, IKE_ACTIONS_MAX), 0);
	ike_child_remove(A.e, sa, ike_child_by_in(sa, lost), "test: lost");
	apply(&A, acts, (int)A.e->n_acts);
	assert_int_equal(A.n_dp, 0);
	/* ESP from an address without an IKE SA: nobody to tell. */
	assert_int_equal(ike_invalid_spi(A.e, &(struct tw_addr){ .family = TW_AF_INET, { .v4 = IP(198, 51, 100, 9) } }, lost, now,
					 acts, IKE_ACTIONS_MAX), -ENOTCONN);
	assert_int_equal(A.nq, 0);
	esp_unknown(&A, B.pol.local_addr.v4, lost);
	assert_int_equal(A.nq, 1);
	/* Rate-limited: the next packets within the interval send none. */
	esp_unknown(&A, B.pol.local_addr.v4, lost);
	assert_int_equal(A.nq, 1);
	pump();
	ike_counters_read(A.e, &ca);
	ike_counters_read(B.e, &cb);
	assert_int_equal(ca.invalid_spi_sent, 1);
	assert_int_equal(ca.invalid_spi_limited, 1);
	assert_int_equal(ca.invalid_spi_nopeer, 1);
	assert_int_equal(cb.invalid_spi_rx, 1);
	/* B dropped the lost one and both have a new pair. */
	assert_int_equal(B.child_down, 1);
	assert_int_equal(A.child_up, 2);
	assert_int_equal(B.child_up, 2);
	assert_int_equal(A.n_dp, 1);
	assert_int_equal(B.n_dp, 1);
	check_installed_children_match(first_sa(&A), first_sa(&B));
	/* An SPI B never used: logged, nothing dropped. */
	now += TW_MSEC(IKE_INVALID_SPI_INTERVAL_MS);
	esp_unknown(&A, B.pol.local_addr.v4, 0x0badf00d);
	pump();
	ike_counters_read(B.e, &cb);
	assert_int_equal(cb.invalid_spi_rx, 1);
	assert_int_equal(B.n_dp, 1);
	/* A's own SPI (installed meanwhile): nothing sent. */
	esp_unknown(&A, B.pol.local_addr.v4, A.dp_in[0]);
	assert_int_equal(A.nq, 0);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

static void
empty_body(struct side *s TW_UNUSED, struct ike_builder *b TW_UNUSED,
	   void *arg TW_UNUSED)
{
}

/*
 * A request past the window (the peer ran exchanges with a twin this IKE
 * SA never heard of, issue 13 5b): authentic, so not silently dropped:
 * counted each time, no answer (RFC 7296 2.2). A forged one (wrong keys)
 * is not counted.
 */
static void
test_msgid_ahead(void **st TW_UNUSED)
{
	struct ike_counters c0, c;
	struct dgram d;
	uint32_t in;

	establish();
	ike_counters_read(A.e, &c0);
	in = first_sa(&A)->msgid_in;
	forge(&B, IKE_EXCH_INFORMATIONAL, false, in + 5, empty_body, NULL,
	      &d);
	deliver(&A, &d);
	deliver(&A, &d);
	ike_counters_read(A.e, &c);
	assert_int_equal(c.rx_msgid_ahead, c0.rx_msgid_ahead + 2);
	assert_int_equal(A.nq, 0);                   /* no answer */
	assert_int_equal(first_sa(&A)->msgid_in, in);
	assert_int_equal(first_sa(&A)->msgid_ahead_logged, in + 5);
	/* Corrupted: the ICV fails, not counted as ahead. */
	d.d[d.len - 1] ^= 1;
	deliver(&A, &d);
	ike_counters_read(A.e, &c);
	assert_int_equal(c.rx_msgid_ahead, c0.rx_msgid_ahead + 2);
	/* The expected one still works. */
	forge(&B, IKE_EXCH_INFORMATIONAL, false, in, empty_body, NULL, &d);
	deliver(&A, &d);
	assert_int_equal(A.nq, 1);
	assert_int_equal(first_sa(&A)->msgid_in, in + 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_establish),
		T(test_msgid_ahead),
		T(test_retransmit),
		T(test_timeout),
		T(test_rekey_child),
		T(test_rekey_child_now),
		T(test_rekey_child_pfs),
		T(test_rekey_collision),
		T(test_rekey_collision_ike),
		T(test_rekey_ike_vs_child),
		T(test_rekey_vs_delete),
		T(test_rekey_collision_reordered),
		T(test_rekey_collision_ike_reordered),
		T(test_rekey_collision_seeds),
		T(test_rekey_soak_seeds),
		T(test_rekey_ike),
		T(test_delete),
		T(test_delete_child),
		T(test_delete_child_queued),
		T(test_new_child),
		T(test_new_child_pfs),
		T(test_new_child_by_responder),
		T(test_new_child_queued),
		T(test_new_child_refused),
		T(test_dpd),
		T(test_cookie),
		T(test_wrong_psk),
		T(test_no_proposal),
		T(test_esp_no_proposal),
		T(test_ts_narrowing),
		T(test_ts_unacceptable),
		T(test_child_per_family),
		T(test_nat),
		T(test_nat_keepalive),
		T(test_no_nat_no_keepalive),
		T(test_child_bytes),
		T(test_dh_guess),
		T(test_no_past_deadline),
		T(test_hostile_rekey_ts_overflow),
		T(test_hostile_rekey_ts_widened),
		T(test_pfs_enforced_as_responder),
		T(test_retransmit_spoofed),
		T(test_identity_not_a_prefix),
		T(test_identity_whole),
		T(test_peer_half_open_limit),
		T(test_peer_half_open_limit_configured),
		T(test_peer_sa_limit),
		T(test_peer_sa_limit_configured),
		T(test_peer_sa_limit_parallel),
		T(test_create_child_rate_limit),
		T(test_create_child_rate_configured),
		T(test_peer_limits_zero_refused),
		T(test_no_nat_no_path_update),
		T(test_nat_path_update),
		T(test_not_unicast_dropped),
		T(test_id_from_string_too_long),
		T(test_plaintext_wiped),
		T(test_initial_contact_restart),
		T(test_initial_contact_initiator_restart),
		T(test_initial_contact_collision_gone),
		T(test_initial_contact_not_second),
		T(test_invalid_spi),
		T(test_initiate_again),
		T(test_simultaneous_setup),
		T(test_simultaneous_peer_deletes),
		T(test_not_simultaneous),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
