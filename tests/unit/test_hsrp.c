/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The HSRP engine on a fake clock. A small harness plays the daemon: it
 * carries out the actions (deadlines, packets, VIP), keeps a mirror of the
 * deadlines that must agree with the engine's, and wires engines together
 * through a fake LAN that delivers every packet to every other live engine.
 * Single-engine tests inject hand-made packets from imaginary peers to walk
 * the RFC 2281 6.6 table state by state.
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

#include "hsrp.h"
#include "tw_compiler.h"
#include "tw_log.h"

#define MAX_NODES 3
#define MAX_Q 256
#define VIP 0x0a000064u          /* 10.0.0.100 */
#define IP(x) (0x0a000000u | (x))
#define MS(x) TW_MSEC(x)
#define SEC(x) TW_SEC(x)
#define S(x) HSRP_STATE_##x

static char last_log[512];
static char log_all[16384];

static void
capture_sink(enum tw_log_level level, const char *module, const char *fmt,
	     va_list ap) __attribute__((format(printf, 3, 0)));

static void
capture_sink(enum tw_log_level level TW_UNUSED,
	     const char *module TW_UNUSED, const char *fmt, va_list ap)
{
	size_t n = strlen(log_all);

	vsnprintf(last_log, sizeof(last_log), fmt, ap);
	if (n + strlen(last_log) + 2 < sizeof(log_all)) {
		strcat(log_all, last_log);
		strcat(log_all, "\n");
	}
}

struct node {
	struct hsrp_group g;
	tw_time_t dl[HSRP_TIMER_MAX];
	bool alive;
	bool claimed;
	unsigned int garps;
	tw_time_t last_garp;
	unsigned int sent[HSRP_OP_MAX];
	uint8_t last_src_mac[6];
	tw_time_t last_hello_rx[MAX_NODES]; /* when node j's Hello arrived */
	unsigned int n_states;
	const char *last_reason;
};

struct pkt {
	unsigned int from;
	uint32_t src_ip;
	uint8_t src_ip6[16];
	uint16_t len;
	uint8_t data[HSRP_PKT_MAX];
};

struct net {
	struct node n[MAX_NODES];
	unsigned int nn;
	tw_time_t now;
	struct pkt q[MAX_Q];
	unsigned int qh, qt;
	struct hsrp_action acts[HSRP_ACTIONS_MAX];
};

/* A router that exists only as packets we inject. */
struct peer {
	uint32_t ip;
	uint32_t prio;
	uint32_t hello_ms, hold_ms;   /* 0: 3000 / 10000 */
	uint32_t vip;                 /* 0: VIP */
	enum hsrp_auth_type auth;     /* as the node when HSRP_AUTH_MAX */
	const char *text;
	const char *key;
	uint16_t group;
	uint8_t version;              /* 0: the node's */
};

static int
setup(void **state)
{
	struct net *net = calloc(1, sizeof(*net));

	if (net == NULL)
		return -1;
	last_log[0] = '\0';
	log_all[0] = '\0';
	tw_log_set_sink(capture_sink);
	tw_log_set_level(TW_LOG_DEBUG);
	*state = net;
	return 0;
}

static int
teardown(void **state)
{
	struct net *net = *state;
	unsigned int i;

	for (i = 0; i < net->nn; i++) {
		assert_int_equal(net->n[i].g.cnt.action_overflow, 0);
		assert_int_equal(net->n[i].g.cnt.illegal_transitions, 0);
	}
	free(net);
	tw_log_set_sink(NULL);
	return 0;
}

static struct hsrp_config
cfg_for(uint8_t version, uint32_t host, uint8_t prio)
{
	struct hsrp_config c;

	hsrp_config_defaults(&c, version, 1);
	c.vip = VIP;
	c.priority = prio;
	c.if_ip = IP(host);
	memcpy(c.if_mac, "\x52\x54\x00\x00\x00", 5);
	c.if_mac[5] = (uint8_t)host;
	return c;
}

static unsigned int
add_node(struct net *net, const struct hsrp_config *c)
{
	struct node *n = &net->n[net->nn];
	char err[128];
	unsigned int t;

	assert_true(net->nn < MAX_NODES);
	memset(n, 0, sizeof(*n));
	assert_int_equal(hsrp_group_init(&n->g, c, err, sizeof(err)), 0);
	for (t = 0; t < HSRP_TIMER_MAX; t++)
		n->dl[t] = TW_TIME_NEVER;
	n->alive = true;
	return net->nn++;
}

static void
apply(struct net *net, unsigned int i, int rc)
{
	struct node *n = &net->n[i];
	const struct hsrp_action *a;
	struct pkt *p;
	int k;
	unsigned int t;

	assert_true(rc >= 0);
	for (k = 0; k < rc; k++) {
		a = &net->acts[k];
		switch (a->type) {
		case HSRP_ACT_ARM:
			assert_true(a->u.timer.at >= net->now);
			n->dl[a->u.timer.which] = a->u.timer.at;
			break;
		case HSRP_ACT_CANCEL:
			n->dl[a->u.timer.which] = TW_TIME_NEVER;
			break;
		case HSRP_ACT_SEND:
			n->sent[a->u.send.op]++;
			memcpy(n->last_src_mac, a->u.send.src_mac, 6);
			assert_int_equal(a->u.send.ipv6,
					 n->g.cfg.af == TW_AF_INET6);
			if (a->u.send.ipv6) {
				/* From our link-local to ff02::66. */
				assert_memory_equal(a->u.send.src_ip6,
						    n->g.cfg.if_ip6, 16);
				assert_memory_equal(a->u.send.dst_ip6,
						    hsrp_v6_group_addr, 16);
				assert_memory_equal(a->u.send.dst_mac,
						    "\x33\x33\x00\x00\x00\x66",
						    6);
			} else {
			assert_int_equal(a->u.send.src_ip, n->g.cfg.if_ip);
			assert_int_equal(a->u.send.dst_ip,
					 n->g.cfg.version == 1 ?
					 HSRP_V1_GROUP_ADDR : HSRP_V2_GROUP_ADDR);
			assert_memory_equal(a->u.send.dst_mac, "\x01\x00\x5e\x00\x00",
					    5);
			}
			if (!n->alive)
				break;
			assert_true(net->qt - net->qh < MAX_Q);
			p = &net->q[net->qt++ % MAX_Q];
			p->from = i;
			p->src_ip = n->g.cfg.if_ip;
			memcpy(p->src_ip6, n->g.cfg.if_ip6, 16);
			p->len = a->u.send.len;
			memcpy(p->data, a->u.send.data, a->u.send.len);
			break;
		case HSRP_ACT_CLAIM_VIP:
			assert_false(n->claimed);
			assert_int_equal(a->u.vip.addr, n->g.vip);
			assert_memory_equal(a->u.vip.vmac, n->g.vmac, 6);
			assert_int_equal(a->u.vip.ipv6,
					 n->g.cfg.af == TW_AF_INET6);
			if (a->u.vip.ipv6)
				assert_memory_equal(a->u.vip.addr6,
						    n->g.vip6, 16);
			n->claimed = true;
			break;
		case HSRP_ACT_RELEASE_VIP:
			assert_true(n->claimed);
			n->claimed = false;
			break;
		case HSRP_ACT_NA:
			/* IPv6 groups only, and never a GARP there. */
			assert_int_equal(n->g.cfg.af, TW_AF_INET6);
			assert_true(n->claimed);
			n->garps++;
			n->last_garp = net->now;
			break;
		case HSRP_ACT_GARP:
			assert_int_not_equal(n->g.cfg.af, TW_AF_INET6);
			assert_true(n->claimed);
			n->garps++;
			n->last_garp = net->now;
			break;
		case HSRP_ACT_STATE:
			assert_true(a->u.state.from != a->u.state.to);
			assert_true(hsrp_transition_allowed(a->u.state.from,
							    a->u.state.to));
			assert_non_null(a->u.state.reason);
			n->n_states++;
			n->last_reason = a->u.state.reason;
			break;
		default:
			fail();
		}
	}
	/* The deadlines we were told about are the engine's. */
	for (t = 0; t < HSRP_TIMER_MAX; t++)
		assert_int_equal(n->dl[t], n->g.deadline[t]);
	/* Exactly the Active router holds the VIP. */
	assert_int_equal(n->claimed, n->g.state == S(ACTIVE));
}

static int
event(struct net *net, unsigned int i, const struct hsrp_event *ev)
{
	int rc = hsrp_event(&net->n[i].g, ev, net->now, net->acts,
			    HSRP_ACTIONS_MAX);

	if (rc >= 0)
		apply(net, i, rc);
	return rc;
}

static void
simple(struct net *net, unsigned int i, enum hsrp_event_type type)
{
	struct hsrp_event ev = { .type = type };

	assert_true(event(net, i, &ev) >= 0);
}

static int
raw_in6(struct net *net, unsigned int i, const uint8_t *data, size_t len,
	uint32_t src, const uint8_t *src6)
{
	struct hsrp_event ev = { .type = HSRP_EV_PACKET };

	ev.u.pkt.raw = data;
	ev.u.pkt.len = len;
	ev.u.pkt.src_ip = src;
	if (src6 != NULL)
		memcpy(ev.u.pkt.src_ip6, src6, 16);
	return event(net, i, &ev);
}

static int
raw_in(struct net *net, unsigned int i, const uint8_t *data, size_t len,
       uint32_t src)
{
	return raw_in6(net, i, data, len, src, NULL);
}

/* Deliver queued packets to every other live node until the LAN is quiet. */
static void
settle(struct net *net)
{
	unsigned int j, guard = 0;
	struct pkt p;
	struct hsrp_msg m;
	const char *why;

	while (net->qh != net->qt) {
		assert_true(++guard < 10000);
		p = net->q[net->qh++ % MAX_Q];
		for (j = 0; j < net->nn; j++) {
			if (j == p.from || !net->n[j].alive)
				continue;
			if (hsrp_decode(p.data, p.len, &m, &why) == 0 &&
			    m.op == HSRP_OP_HELLO)
				net->n[j].last_hello_rx[p.from] = net->now;
			assert_true(raw_in6(net, j, p.data, p.len,
					    p.src_ip, p.src_ip6) >= 0);
		}
	}
}

/* Fire every deadline up to t in time order, then leave the clock at t. */
static void
run_until(struct net *net, tw_time_t t)
{
	unsigned int i, k, bi, bk;
	tw_time_t best;
	struct hsrp_event ev = { .type = HSRP_EV_TIMER };

	settle(net);
	for (;;) {
		best = TW_TIME_NEVER;
		bi = bk = 0;
		for (i = 0; i < net->nn; i++) {
			if (!net->n[i].alive)
				continue;
			for (k = 0; k < HSRP_TIMER_MAX; k++) {
				if (net->n[i].dl[k] < best) {
					best = net->n[i].dl[k];
					bi = i;
					bk = k;
				}
			}
		}
		if (best > t)
			break;
		net->now = best;
		/* A deadline that fires is consumed, as in a deadline heap. */
		net->n[bi].dl[bk] = TW_TIME_NEVER;
		ev.u.timer = (enum hsrp_timer)bk;
		assert_true(event(net, bi, &ev) >= 0);
		settle(net);
	}
	net->now = t;
}

static void
up(struct net *net, unsigned int i)
{
	simple(net, i, HSRP_EV_IF_UP);
	settle(net);
}

/* Inject a packet from an imaginary peer into node i. */
static int
inject(struct net *net, unsigned int i, const struct peer *pr,
       enum hsrp_op op, enum hsrp_state st)
{
	const struct hsrp_config *c = &net->n[i].g.cfg;
	struct hsrp_msg m;
	uint8_t buf[HSRP_PKT_MAX];
	const char *key;
	int len;

	memset(&m, 0, sizeof(m));
	m.version = pr->version != 0 ? pr->version : c->version;
	m.op = op;
	m.state = st;
	m.group = pr->group != 0 ? pr->group : c->group;
	m.priority = pr->prio;
	m.hello_ms = pr->hello_ms != 0 ? pr->hello_ms : 3000;
	m.hold_ms = pr->hold_ms != 0 ? pr->hold_ms : 10000;
	m.vip = pr->vip != 0 ? pr->vip : VIP;
	m.id[5] = (uint8_t)pr->ip;
	m.auth = pr->auth != HSRP_AUTH_MAX ? pr->auth : c->auth;
	memcpy(m.text, pr->text != NULL ? pr->text : c->auth_text,
	       strnlen(pr->text != NULL ? pr->text : c->auth_text, 8));
	m.md5_ip = pr->ip;
	key = pr->key != NULL ? pr->key : c->md5_key;
	len = hsrp_encode(&m, key, buf, sizeof(buf));
	assert_true(len > 0);
	return raw_in(net, i, buf, (size_t)len, pr->ip);
}

static struct peer
peer(uint32_t host, uint32_t prio)
{
	struct peer p;

	memset(&p, 0, sizeof(p));
	p.ip = IP(host);
	p.prio = prio;
	p.auth = HSRP_AUTH_MAX;
	return p;
}

static void
assert_state(const struct net *net, unsigned int i, enum hsrp_state s)
{
	if (net->n[i].g.state != s)
		fail_msg("node %u is %s, expected %s (at %llu ms)", i,
			 hsrp_state_name(net->n[i].g.state), hsrp_state_name(s),
			 (unsigned long long)(net->now / TW_NSEC_PER_MSEC));
}

/* One router on its own: Listen, Speak, then Standby and Active. */
static void
test_lone_router(void **state)
{
	static const uint8_t vmac1[6] = { 0, 0, 0x0c, 0x07, 0xac, 0x01 };
	static const uint8_t vmac2[6] = { 0, 0, 0x0c, 0x9f, 0xf0, 0x01 };
	struct net *net = *state;
	struct hsrp_config c;
	unsigned int v, i, hellos;

	for (v = 1; v <= 2; v++) {
		net->nn = 0;
		net->now = 0;
		c = cfg_for((uint8_t)v, 2, 100);
		i = add_node(net, &c);
		assert_memory_equal(net->n[i].g.vmac, v == 1 ? vmac1 : vmac2, 6);
		assert_state(net, i, S(INIT));
		up(net, i);
		assert_state(net, i, S(LISTEN));
		assert_int_equal(net->n[i].dl[HSRP_TIMER_ACTIVE], SEC(10));
		assert_int_equal(net->n[i].dl[HSRP_TIMER_STANDBY], SEC(10));
		assert_int_equal(net->n[i].sent[HSRP_OP_HELLO], 0);
		run_until(net, SEC(10) - 1);
		assert_state(net, i, S(LISTEN));
		run_until(net, SEC(10));
		assert_state(net, i, S(SPEAK));
		assert_int_equal(net->n[i].sent[HSRP_OP_HELLO], 1);
		assert_memory_equal(net->n[i].last_src_mac, c.if_mac, 6);
		run_until(net, SEC(20) - 1);
		assert_state(net, i, S(SPEAK));
		run_until(net, SEC(20));
		assert_state(net, i, S(ACTIVE));
		assert_true(net->n[i].claimed);
		assert_int_equal(net->n[i].garps, 1);
		assert_int_equal(net->n[i].last_garp, SEC(20));
		assert_string_equal(net->n[i].last_reason, "no active router");
		assert_memory_equal(net->n[i].last_src_mac, net->n[i].g.vmac, 6);
		/* Init, Listen, Speak, Standby, Active. */
		assert_int_equal(net->n[i].g.cnt.state_changes, 4);
		hellos = net->n[i].sent[HSRP_OP_HELLO];
		run_until(net, SEC(50));
		assert_int_equal(net->n[i].sent[HSRP_OP_HELLO] - hellos, 10);
		assert_int_equal(net->n[i].dl[HSRP_TIMER_HELLO], SEC(53));
	}
}

/* Equal priorities: the higher interface address wins (RFC 2281 5.1). */
static void
test_two_routers_tie_on_ip(void **state)
{
	struct net *net = *state;
	struct hsrp_config ca, cb;
	unsigned int v, a, b;

	for (v = 1; v <= 2; v++) {
		net->nn = 0;
		net->now = 0;
		ca = cfg_for((uint8_t)v, 2, 100);
		cb = cfg_for((uint8_t)v, 3, 100);
		a = add_node(net, &ca);
		b = add_node(net, &cb);
		up(net, a);
		up(net, b);
		run_until(net, SEC(60));
		assert_state(net, b, S(ACTIVE));
		assert_state(net, a, S(STANDBY));
		assert_int_equal(net->n[a].g.active_ip, IP(3));
		assert_int_equal(net->n[b].g.standby_ip, IP(2));
		assert_int_equal(net->n[a].g.cnt.auth_failures, 0);
		assert_true(net->n[a].g.cnt.hellos_in > 10);
	}
}

/* Silence the active router: the standby takes over exactly one hold
 * time after the last Hello it heard. */
static void
test_takeover_after_hold(void **state)
{
	static const uint32_t timers[][2] = { { 3000, 10000 }, { 100, 300 } };
	struct net *net = *state;
	struct hsrp_config ca, cb;
	unsigned int k, a, b;
	tw_time_t last, kill;

	for (k = 0; k < 2; k++) {
		net->nn = 0;
		net->now = 0;
		ca = cfg_for(2, 2, 100);
		cb = cfg_for(2, 3, 100);
		ca.timers_set = cb.timers_set = true;
		ca.hello_ms = cb.hello_ms = timers[k][0];
		ca.hold_ms = cb.hold_ms = timers[k][1];
		a = add_node(net, &ca);
		b = add_node(net, &cb);
		up(net, a);
		up(net, b);
		run_until(net, MS(timers[k][1] * 6));
		assert_state(net, b, S(ACTIVE));
		assert_state(net, a, S(STANDBY));
		/* Kill the active between two of its hellos. */
		kill = net->now + MS(timers[k][0] / 2);
		run_until(net, kill);
		net->n[b].alive = false;
		last = net->n[a].last_hello_rx[b];
		assert_true(last > 0 && last <= kill);
		run_until(net, last + MS(timers[k][1]) - 1);
		assert_state(net, a, S(STANDBY));
		run_until(net, last + MS(timers[k][1]));
		assert_state(net, a, S(ACTIVE));
		assert_int_equal(net->n[a].g.last_change,
				 last + MS(timers[k][1]));
		assert_int_equal(net->n[a].last_garp, last + MS(timers[k][1]));
		assert_string_equal(net->n[a].last_reason,
				    "active timer expired");
		assert_non_null(strstr(log_all,
				       "Grp 1: Standby -> Active (active timer expired)"));
	}
}

static void
active_then_late_router(struct net *net, bool preempt, uint32_t delay_min,
			uint32_t delay_reload, unsigned int *pa,
			unsigned int *pb)
{
	struct hsrp_config ca = cfg_for(1, 2, 100), cb = cfg_for(1, 1, 110);

	net->nn = 0;
	net->now = 0;
	cb.preempt = preempt;
	cb.preempt_delay_min_ms = delay_min;
	cb.preempt_delay_reload_ms = delay_reload;
	*pa = add_node(net, &ca);
	*pb = add_node(net, &cb);
	up(net, *pa);
	run_until(net, SEC(30));
	assert_state(net, *pa, S(ACTIVE));
	up(net, *pb);
}

/* A higher priority router with preempt: Coup, and the old one resigns. */
static void
test_preempt(void **state)
{
	struct net *net = *state;
	unsigned int a, b;

	active_then_late_router(net, true, 0, 0, &a, &b);
	assert_state(net, b, S(LISTEN));
	/* A's next hello (event h at B) makes B take over. */
	run_until(net, SEC(33));
	assert_state(net, b, S(ACTIVE));
	assert_string_equal(net->n[b].last_reason, "preempt");
	assert_int_equal(net->n[b].g.cnt.coups_out, 1);
	assert_int_equal(net->n[a].g.cnt.coups_in, 1);
	assert_int_equal(net->n[a].g.cnt.resigns_out, 1);
	assert_state(net, a, S(SPEAK));
	assert_false(net->n[a].claimed);
	run_until(net, SEC(60));
	assert_state(net, b, S(ACTIVE));
	assert_state(net, a, S(STANDBY));

	/* Without preempt the higher priority router only becomes standby. */
	active_then_late_router(net, false, 0, 0, &a, &b);
	run_until(net, SEC(90));
	assert_state(net, a, S(ACTIVE));
	assert_state(net, b, S(STANDBY));
	assert_int_equal(net->n[b].g.cnt.coups_out, 0);
}

static void
test_preempt_delay_minimum(void **state)
{
	struct net *net = *state;
	unsigned int a, b;

	active_then_late_router(net, true, 5000, 0, &a, &b);
	assert_int_equal(net->n[b].g.preempt_ok_at, SEC(35));
	run_until(net, SEC(35) - 1);
	assert_state(net, a, S(ACTIVE));
	assert_int_equal(net->n[b].dl[HSRP_TIMER_PREEMPT], SEC(35));
	run_until(net, SEC(35));
	assert_state(net, b, S(ACTIVE));
	assert_string_equal(net->n[b].last_reason, "preempt");
	assert_state(net, a, S(SPEAK));
}

static void
test_preempt_delay_reload(void **state)
{
	struct net *net = *state;
	unsigned int a, b;

	/* First up after startup: the reload delay (20 s). */
	active_then_late_router(net, true, 5000, 20000, &a, &b);
	run_until(net, SEC(50) - 1);
	assert_true(net->n[b].g.state != S(ACTIVE));
	run_until(net, SEC(50));
	assert_state(net, b, S(ACTIVE));
	/* Later flaps: only the minimum delay. */
	simple(net, b, HSRP_EV_IF_DOWN);
	settle(net);
	assert_state(net, b, S(INIT));
	/* A was still in Speak after the Coup: B's Resign (event i) only
	 * restarts its active timer; it takes over a hold time later. */
	assert_state(net, a, S(SPEAK));
	run_until(net, SEC(60));
	assert_state(net, a, S(ACTIVE));
	run_until(net, SEC(70));
	up(net, b);
	assert_int_equal(net->n[b].g.preempt_ok_at, SEC(75));
	run_until(net, SEC(75) - 1);
	assert_state(net, a, S(ACTIVE));
	run_until(net, SEC(75));
	assert_state(net, b, S(ACTIVE));
}

/* Interface down on the active: Resign, and the standby takes over at
 * once instead of waiting a hold time. */
static void
test_resign_on_interface_down(void **state)
{
	struct net *net = *state;
	struct hsrp_config ca = cfg_for(2, 2, 100), cb = cfg_for(2, 3, 100);
	unsigned int a, b, t;

	a = add_node(net, &ca);
	b = add_node(net, &cb);
	up(net, a);
	up(net, b);
	run_until(net, SEC(60));
	assert_state(net, b, S(ACTIVE));
	net->now = SEC(60) + 1;
	simple(net, b, HSRP_EV_IF_DOWN);
	settle(net);
	assert_state(net, b, S(INIT));
	assert_int_equal(net->n[b].sent[HSRP_OP_RESIGN], 1);
	for (t = 0; t < HSRP_TIMER_MAX; t++)
		assert_int_equal(net->n[b].dl[t], TW_TIME_NEVER);
	assert_state(net, a, S(ACTIVE));
	assert_string_equal(net->n[a].last_reason, "active router resigned");
	assert_int_equal(net->n[a].g.last_change, SEC(60) + 1);
	assert_int_equal(net->n[a].g.cnt.resigns_in, 1);
}

/* Tracking lowers the active's priority; the preempting standby coups;
 * recovery lets the first router preempt back. */
static void
test_tracking(void **state)
{
	struct net *net = *state;
	struct hsrp_config ca = cfg_for(1, 2, 110), cb = cfg_for(1, 1, 100);
	struct hsrp_event ev;
	unsigned int a, b;

	ca.preempt = cb.preempt = true;
	ca.track[0].id = 7;
	ca.track[0].decrement = 20;
	ca.track[1].id = 8;
	ca.track[1].decrement = HSRP_DEFAULT_DECREMENT;
	ca.n_track = 2;
	a = add_node(net, &ca);
	b = add_node(net, &cb);
	up(net, a);
	up(net, b);
	run_until(net, SEC(60));
	assert_state(net, a, S(ACTIVE));
	assert_state(net, b, S(STANDBY));

	net->now = SEC(61);
	ev.type = HSRP_EV_TRACK_DOWN;
	ev.u.track_id = 7;
	assert_true(event(net, a, &ev) >= 0);
	assert_int_equal(net->n[a].g.priority, 90);
	settle(net);
	/* Immediate: A's hello with 90, B's Coup, A's Resign. */
	assert_state(net, b, S(ACTIVE));
	assert_state(net, a, S(SPEAK));
	assert_int_equal(net->n[b].g.last_change, SEC(61));
	run_until(net, SEC(90));
	assert_state(net, a, S(STANDBY));

	/* A second object: decrements add up. */
	ev.u.track_id = 8;
	assert_true(event(net, a, &ev) >= 0);
	assert_int_equal(net->n[a].g.priority, 80);
	ev.type = HSRP_EV_TRACK_UP;
	assert_true(event(net, a, &ev) >= 0);
	assert_int_equal(net->n[a].g.priority, 90);
	settle(net);
	assert_state(net, b, S(ACTIVE));

	/* Recovery: back to 110, A preempts at once. */
	net->now = SEC(91);
	ev.u.track_id = 7;
	assert_true(event(net, a, &ev) >= 0);
	assert_int_equal(net->n[a].g.priority, 110);
	settle(net);
	assert_state(net, a, S(ACTIVE));
	assert_int_equal(net->n[a].g.last_change, SEC(91));
	assert_state(net, b, S(SPEAK));

	/* An object the group does not track. */
	ev.u.track_id = 99;
	assert_int_equal(event(net, a, &ev), -ENOENT);
}

static void
test_tracking_floor_and_no_preempt(void **state)
{
	struct net *net = *state;
	struct hsrp_config ca = cfg_for(1, 2, 110), cb = cfg_for(1, 1, 100);
	struct hsrp_event ev = { .type = HSRP_EV_TRACK_DOWN };
	unsigned int a, b;

	ca.track[0].id = 1;
	ca.track[0].decrement = 200;
	ca.n_track = 1;
	a = add_node(net, &ca);
	b = add_node(net, &cb); /* no preempt */
	up(net, a);
	up(net, b);
	run_until(net, SEC(60));
	assert_state(net, a, S(ACTIVE));
	ev.u.track_id = 1;
	assert_true(event(net, a, &ev) >= 0);
	assert_int_equal(net->n[a].g.priority, 0);
	run_until(net, SEC(120));
	/* Nobody coups: the active keeps the role with priority 0. */
	assert_state(net, a, S(ACTIVE));
	assert_state(net, b, S(STANDBY));
}

/* Authentication mismatch: the packet is ignored and counted. */
static void
test_auth_mismatch_text(void **state)
{
	struct net *net = *state;
	struct hsrp_config c = cfg_for(1, 2, 100);
	struct peer p = peer(3, 200);
	unsigned int i;
	tw_time_t dl;

	i = add_node(net, &c);
	up(net, i);
	dl = net->n[i].dl[HSRP_TIMER_ACTIVE];
	net->now = SEC(1);
	p.text = "wrong";
	assert_int_equal(inject(net, i, &p, HSRP_OP_HELLO, S(ACTIVE)), 0);
	assert_int_equal(net->n[i].g.cnt.auth_failures, 1);
	assert_int_equal(net->n[i].g.cnt.hellos_in, 0);
	assert_int_equal(net->n[i].dl[HSRP_TIMER_ACTIVE], dl);
	assert_int_equal(net->n[i].g.active_ip, 0);
	/* The right text is accepted. */
	p.text = NULL;
	assert_true(inject(net, i, &p, HSRP_OP_HELLO, S(ACTIVE)) > 0);
	assert_int_equal(net->n[i].g.cnt.hellos_in, 1);
	assert_int_equal(net->n[i].g.active_ip, IP(3));
	assert_int_equal(net->n[i].dl[HSRP_TIMER_ACTIVE], SEC(11));
}

static void
test_auth_mismatch_md5(void **state)
{
	struct net *net = *state;
	struct hsrp_config ca = cfg_for(2, 2, 100), cb = cfg_for(2, 3, 100);
	struct peer p = peer(4, 200);
	unsigned int a, b;

	ca.auth = cb.auth = HSRP_AUTH_MD5;
	snprintf(ca.md5_key, sizeof(ca.md5_key), "k1");
	snprintf(cb.md5_key, sizeof(cb.md5_key), "k2");
	a = add_node(net, &ca);
	b = add_node(net, &cb);
	up(net, a);
	up(net, b);
	run_until(net, SEC(60));
	/* Neither hears the other: both active, and counted. */
	assert_state(net, a, S(ACTIVE));
	assert_state(net, b, S(ACTIVE));
	assert_true(net->n[a].g.cnt.auth_failures > 5);
	assert_true(net->n[b].g.cnt.auth_failures > 5);
	assert_int_equal(net->n[a].g.cnt.hellos_in, 0);

	/* Text where MD5 is expected; the right key; a wrong one. */
	p.auth = HSRP_AUTH_TEXT;
	p.text = "k1";
	assert_int_equal(inject(net, a, &p, HSRP_OP_COUP, S(SPEAK)), 0);
	assert_state(net, a, S(ACTIVE));
	p.auth = HSRP_AUTH_MD5;
	p.key = "k3";
	assert_int_equal(inject(net, a, &p, HSRP_OP_COUP, S(SPEAK)), 0);
	assert_state(net, a, S(ACTIVE));
	assert_int_equal(net->n[a].g.cnt.coups_in, 0);
	p.key = "k1";
	assert_true(inject(net, a, &p, HSRP_OP_COUP, S(SPEAK)) > 0);
	assert_int_equal(net->n[a].g.cnt.coups_in, 1);
	assert_state(net, a, S(SPEAK));
}

/* Bring a single node to a state with injected packets. */
static unsigned int
node_in(struct net *net, enum hsrp_state s, bool preempt)
{
	struct hsrp_config c = cfg_for(1, 2, 100);
	struct peer lo = peer(1, 50);
	unsigned int i;

	net->nn = 0;
	net->now = 0;
	net->qh = net->qt = 0;
	c.preempt = preempt;
	i = add_node(net, &c);
	if (s == S(INIT))
		return i;
	up(net, i);
	if (s == S(LISTEN))
		return i;
	run_until(net, SEC(10)); /* c in Listen */
	assert_state(net, i, S(SPEAK));
	if (s == S(SPEAK))
		return i;
	if (s == S(STANDBY)) {
		/* An active router so that we stay Standby. */
		struct peer act = peer(3, 200);

		net->now = SEC(11);
		assert_true(inject(net, i, &act, HSRP_OP_HELLO, S(ACTIVE)) >= 0);
		assert_true(inject(net, i, &lo, HSRP_OP_HELLO, S(STANDBY)) > 0);
		assert_state(net, i, S(STANDBY));
		return i;
	}
	run_until(net, SEC(20));
	assert_state(net, i, S(ACTIVE));
	net->qh = net->qt = 0;
	return i;
}

static void
test_rfc_listen(void **state)
{
	struct net *net = *state;
	struct peer hi = peer(3, 200), lo = peer(1, 50);
	unsigned int i;

	/* c: Listen -> Speak, both timers restarted. */
	i = node_in(net, S(LISTEN), false);
	run_until(net, SEC(10));
	assert_state(net, i, S(SPEAK));
	assert_int_equal(net->n[i].dl[HSRP_TIMER_ACTIVE], SEC(20));
	assert_int_equal(net->n[i].dl[HSRP_TIMER_STANDBY], SEC(20));
	/* d alone (an active router keeps the active timer going). */
	i = node_in(net, S(LISTEN), false);
	net->now = SEC(5);
	inject(net, i, &hi, HSRP_OP_HELLO, S(ACTIVE));
	run_until(net, SEC(10));
	assert_state(net, i, S(SPEAK));
	assert_string_equal(net->n[i].last_reason, "standby timer expired");
	/* i: the active resigns. */
	i = node_in(net, S(LISTEN), false);
	inject(net, i, &hi, HSRP_OP_HELLO, S(ACTIVE));
	inject(net, i, &hi, HSRP_OP_RESIGN, S(ACTIVE));
	assert_state(net, i, S(SPEAK));
	/* A Resign from a router that is not the active one: nothing. */
	i = node_in(net, S(LISTEN), false);
	inject(net, i, &hi, HSRP_OP_RESIGN, S(ACTIVE));
	assert_state(net, i, S(LISTEN));
	/* k: standby timer from the Hello; l: Speak. */
	i = node_in(net, S(LISTEN), false);
	net->now = SEC(1);
	hi.hold_ms = 7000;
	inject(net, i, &hi, HSRP_OP_HELLO, S(STANDBY));
	assert_state(net, i, S(LISTEN));
	assert_int_equal(net->n[i].dl[HSRP_TIMER_STANDBY], SEC(8));
	assert_int_equal(net->n[i].g.standby_ip, IP(3));
	inject(net, i, &lo, HSRP_OP_HELLO, S(STANDBY));
	assert_state(net, i, S(SPEAK));
	/* h with preempt: Coup and Active straight from Listen. */
	i = node_in(net, S(LISTEN), true);
	inject(net, i, &lo, HSRP_OP_HELLO, S(ACTIVE));
	assert_state(net, i, S(ACTIVE));
	assert_int_equal(net->n[i].sent[HSRP_OP_COUP], 1);
	/* h without preempt: learn, keep listening. */
	i = node_in(net, S(LISTEN), false);
	net->now = SEC(2);
	inject(net, i, &lo, HSRP_OP_HELLO, S(ACTIVE));
	assert_state(net, i, S(LISTEN));
	assert_int_equal(net->n[i].dl[HSRP_TIMER_ACTIVE], SEC(12));
	/* A Coup is only for the active router. */
	inject(net, i, &hi, HSRP_OP_COUP, S(SPEAK));
	assert_state(net, i, S(LISTEN));
	/* Listen routers do not send hellos. */
	assert_int_equal(net->n[i].sent[HSRP_OP_HELLO], 0);
}

static void
test_rfc_speak(void **state)
{
	struct net *net = *state;
	struct peer hi = peer(3, 100), lo = peer(1, 100);
	unsigned int i, hellos;

	/* e: hellos every hello time. */
	i = node_in(net, S(SPEAK), false);
	hellos = net->n[i].sent[HSRP_OP_HELLO];
	run_until(net, SEC(19));
	assert_int_equal(net->n[i].sent[HSRP_OP_HELLO] - hellos, 3);
	/* f: a higher speaker (tie broken on the address). */
	i = node_in(net, S(SPEAK), false);
	inject(net, i, &lo, HSRP_OP_HELLO, S(SPEAK));
	assert_state(net, i, S(SPEAK));
	inject(net, i, &hi, HSRP_OP_HELLO, S(SPEAK));
	assert_state(net, i, S(LISTEN));
	assert_string_equal(net->n[i].last_reason, "higher priority speaker");
	assert_int_equal(net->n[i].dl[HSRP_TIMER_HELLO], TW_TIME_NEVER);
	/* k: a higher standby. */
	i = node_in(net, S(SPEAK), false);
	inject(net, i, &hi, HSRP_OP_HELLO, S(STANDBY));
	assert_state(net, i, S(LISTEN));
	/* l: a lower standby makes us Standby. */
	i = node_in(net, S(SPEAK), false);
	inject(net, i, &hi, HSRP_OP_HELLO, S(ACTIVE));
	inject(net, i, &lo, HSRP_OP_HELLO, S(STANDBY));
	assert_state(net, i, S(STANDBY));
	/* d with a live active: Standby and stay. */
	i = node_in(net, S(SPEAK), false);
	net->now = SEC(15);
	inject(net, i, &hi, HSRP_OP_HELLO, S(ACTIVE));
	run_until(net, SEC(20));
	assert_state(net, i, S(STANDBY));
	assert_int_equal(net->n[i].dl[HSRP_TIMER_ACTIVE], SEC(25));
	/* i: the active resigns while we speak: restart the active timer. */
	i = node_in(net, S(SPEAK), false);
	net->now = SEC(12);
	inject(net, i, &hi, HSRP_OP_HELLO, S(ACTIVE));
	net->now = SEC(13);
	inject(net, i, &hi, HSRP_OP_RESIGN, S(ACTIVE));
	assert_state(net, i, S(SPEAK));
	assert_int_equal(net->n[i].dl[HSRP_TIMER_ACTIVE], SEC(23));
	assert_int_equal(net->n[i].g.active_ip, 0);
	/* g: learn, keep speaking. */
	i = node_in(net, S(SPEAK), false);
	inject(net, i, &hi, HSRP_OP_HELLO, S(ACTIVE));
	assert_state(net, i, S(SPEAK));
	/* h with preempt. */
	i = node_in(net, S(SPEAK), true);
	inject(net, i, &lo, HSRP_OP_HELLO, S(ACTIVE));
	assert_state(net, i, S(ACTIVE));
}

static void
test_rfc_standby(void **state)
{
	struct net *net = *state;
	struct peer hi = peer(3, 200), lo = peer(1, 50), sp = peer(4, 150);
	unsigned int i, hellos;

	/* c: the active router's hold time runs out. */
	i = node_in(net, S(STANDBY), false);
	assert_int_equal(net->n[i].dl[HSRP_TIMER_ACTIVE], SEC(21));
	assert_int_equal(net->n[i].dl[HSRP_TIMER_STANDBY], TW_TIME_NEVER);
	hellos = net->n[i].sent[HSRP_OP_HELLO];
	run_until(net, SEC(21));
	assert_state(net, i, S(ACTIVE));
	assert_true(net->n[i].sent[HSRP_OP_HELLO] > hellos);
	/* i: Resign from the active. */
	i = node_in(net, S(STANDBY), false);
	inject(net, i, &hi, HSRP_OP_RESIGN, S(ACTIVE));
	assert_state(net, i, S(ACTIVE));
	/* f: a higher speaker takes the standby role. */
	i = node_in(net, S(STANDBY), false);
	inject(net, i, &sp, HSRP_OP_HELLO, S(SPEAK));
	assert_state(net, i, S(LISTEN));
	/* k and l. */
	i = node_in(net, S(STANDBY), false);
	inject(net, i, &lo, HSRP_OP_HELLO, S(STANDBY));
	assert_state(net, i, S(STANDBY));
	inject(net, i, &sp, HSRP_OP_HELLO, S(STANDBY));
	assert_state(net, i, S(LISTEN));
	/* h: a lower active, with preempt. */
	i = node_in(net, S(STANDBY), true);
	inject(net, i, &lo, HSRP_OP_HELLO, S(ACTIVE));
	assert_state(net, i, S(ACTIVE));
	assert_int_equal(net->n[i].sent[HSRP_OP_COUP], 1);
	/* ... and without: Standby, following the lower active. */
	i = node_in(net, S(STANDBY), false);
	inject(net, i, &lo, HSRP_OP_HELLO, S(ACTIVE));
	assert_state(net, i, S(STANDBY));
	assert_int_equal(net->n[i].g.active_ip, IP(1));
}

static void
test_rfc_active(void **state)
{
	struct net *net = *state;
	struct peer hi = peer(3, 200), lo = peer(1, 50);
	unsigned int i;

	/* g: a higher active router: Speak, no Resign. */
	i = node_in(net, S(ACTIVE), false);
	net->now = SEC(21);
	inject(net, i, &hi, HSRP_OP_HELLO, S(ACTIVE));
	assert_state(net, i, S(SPEAK));
	assert_int_equal(net->n[i].sent[HSRP_OP_RESIGN], 0);
	assert_int_equal(net->n[i].dl[HSRP_TIMER_ACTIVE], SEC(31));
	assert_int_equal(net->n[i].g.active_ip, IP(3));
	/* h: a lower active router: Coup, stay. */
	i = node_in(net, S(ACTIVE), false);
	inject(net, i, &lo, HSRP_OP_HELLO, S(ACTIVE));
	assert_state(net, i, S(ACTIVE));
	assert_int_equal(net->n[i].sent[HSRP_OP_COUP], 1);
	assert_int_equal(net->n[i].g.active_ip, IP(2));
	/* j: Coup from a higher router: Resign, Speak. A lower one: no. */
	i = node_in(net, S(ACTIVE), false);
	inject(net, i, &lo, HSRP_OP_COUP, S(SPEAK));
	assert_state(net, i, S(ACTIVE));
	inject(net, i, &hi, HSRP_OP_COUP, S(STANDBY));
	assert_state(net, i, S(SPEAK));
	assert_int_equal(net->n[i].sent[HSRP_OP_RESIGN], 1);
	assert_string_equal(net->n[i].last_reason,
			    "coup from higher priority router");
	/* k/l: the standby router is monitored. */
	i = node_in(net, S(ACTIVE), false);
	net->now = SEC(22);
	inject(net, i, &lo, HSRP_OP_HELLO, S(STANDBY));
	assert_state(net, i, S(ACTIVE));
	assert_int_equal(net->n[i].g.standby_ip, IP(1));
	assert_int_equal(net->n[i].dl[HSRP_TIMER_STANDBY], SEC(32));
	run_until(net, SEC(32));
	assert_int_equal(net->n[i].g.standby_ip, 0);
	/* b: Resign, release, Init. */
	simple(net, i, HSRP_EV_IF_DOWN);
	assert_state(net, i, S(INIT));
	assert_int_equal(net->n[i].sent[HSRP_OP_RESIGN], 1);
	assert_false(net->n[i].claimed);
}

/* Event b from every state; event a again. */
static void
test_rfc_disable_everywhere(void **state)
{
	struct net *net = *state;
	static const enum hsrp_state from[] = {
		S(LISTEN), S(SPEAK), S(STANDBY), S(ACTIVE),
	};
	unsigned int k, i, t;

	for (k = 0; k < 4; k++) {
		i = node_in(net, from[k], false);
		simple(net, i, HSRP_EV_IF_DOWN);
		assert_state(net, i, S(INIT));
		for (t = 0; t < HSRP_TIMER_MAX; t++)
			assert_int_equal(net->n[i].dl[t], TW_TIME_NEVER);
		assert_int_equal(net->n[i].sent[HSRP_OP_RESIGN],
				 from[k] == S(ACTIVE) ? 1 : 0);
		/* Down again: nothing. Up again: Listen. */
		simple(net, i, HSRP_EV_IF_DOWN);
		up(net, i);
		assert_state(net, i, S(LISTEN));
	}
}

/* Learn: no VIP configured, so no speaking until the active says it. */
static void
test_learn(void **state)
{
	struct net *net = *state;
	struct hsrp_config c = cfg_for(2, 2, 100);
	struct peer p = peer(3, 50);
	unsigned int i;

	c.vip = 0;
	i = add_node(net, &c);
	up(net, i);
	assert_state(net, i, S(LEARN));
	run_until(net, SEC(60));
	assert_state(net, i, S(LEARN));
	assert_int_equal(net->n[i].sent[HSRP_OP_HELLO], 0);
	/* A standby's hello teaches nothing. */
	inject(net, i, &p, HSRP_OP_HELLO, S(STANDBY));
	assert_state(net, i, S(LEARN));
	/* The active's does: VIP, and both timers (none configured). */
	p.vip = 0x0a000063;
	p.hello_ms = 1000;
	p.hold_ms = 3000;
	inject(net, i, &p, HSRP_OP_HELLO, S(ACTIVE));
	assert_state(net, i, S(LISTEN));
	assert_int_equal(net->n[i].g.vip, 0x0a000063);
	assert_true(net->n[i].g.vip_learned);
	assert_int_equal(net->n[i].g.hello_ms, 1000);
	assert_int_equal(net->n[i].g.hold_ms, 3000);
	assert_int_equal(net->n[i].dl[HSRP_TIMER_ACTIVE], SEC(63));
	/* Silence: we take over with the learned VIP. */
	run_until(net, SEC(63) + SEC(3));
	assert_state(net, i, S(ACTIVE));
	assert_true(net->n[i].claimed);

	/* Configured timers are not learned; a different VIP is counted. */
	net->nn = 0;
	net->now = 0;
	c = cfg_for(2, 2, 100);
	c.timers_set = true;
	c.hello_ms = 500;
	c.hold_ms = 2000;
	i = add_node(net, &c);
	up(net, i);
	inject(net, i, &p, HSRP_OP_HELLO, S(ACTIVE));
	assert_int_equal(net->n[i].g.hello_ms, 500);
	assert_int_equal(net->n[i].g.hold_ms, 2000);
	assert_int_equal(net->n[i].g.vip, VIP);
	assert_int_equal(net->n[i].g.cnt.vip_mismatch, 1);
}

/*
 * Timers learned from the wire are bounded as IOS bounds configured ones
 * (hello 15 ms to 254 s, hold 50 ms to 255 s, hold > hello): a 1 ms hello
 * would have us send a thousand Hellos a second, a 1 ms hold take over at
 * once, a 49-day hold never take over. Such a Hello is not learned from,
 * its hold time does not arm our timers, and it is counted.
 */
static void
test_learn_bounds(void **state)
{
	static const uint32_t bad[][2] = {
		{ 1, 3 },             /* hello below 15 ms */
		{ 14, 3000 },
		{ 15, 49 },           /* hold below 50 ms */
		{ 255000, 256000 },   /* hello above 254 s */
		{ 1000, 255001 },     /* hold above 255 s */
		{ 1000, 4000000000u },
	};
	struct net *net = *state;
	struct hsrp_config c = cfg_for(2, 2, 100);
	struct peer p = peer(3, 50);
	unsigned int i, k;

	i = add_node(net, &c);
	up(net, i);
	assert_state(net, i, S(LISTEN));
	for (k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		p.hello_ms = bad[k][0];
		p.hold_ms = bad[k][1];
		inject(net, i, &p, HSRP_OP_HELLO, S(ACTIVE));
		assert_int_equal(net->n[i].g.cnt.timers_ignored, k + 1);
		assert_false(net->n[i].g.timers_learned);
		assert_int_equal(net->n[i].g.hello_ms, 3000);
		assert_int_equal(net->n[i].g.hold_ms, 10000);
		/* Our own hold time, not the packet's. */
		assert_int_equal(net->n[i].dl[HSRP_TIMER_ACTIVE],
				 net->now + SEC(10));
		assert_int_equal(net->n[i].g.active_ip, IP(3));
	}
	assert_int_equal(net->n[i].g.cnt.bad_packets, 0);
	/* The bounds themselves are sane, and learned. */
	p.hello_ms = 15;
	p.hold_ms = 50;
	inject(net, i, &p, HSRP_OP_HELLO, S(ACTIVE));
	assert_true(net->n[i].g.timers_learned);
	assert_int_equal(net->n[i].g.hello_ms, 15);
	assert_int_equal(net->n[i].g.hold_ms, 50);
	p.hello_ms = 254000;
	p.hold_ms = 255000;
	inject(net, i, &p, HSRP_OP_HELLO, S(ACTIVE));
	assert_int_equal(net->n[i].g.hello_ms, 254000);
	assert_int_equal(net->n[i].g.hold_ms, 255000);
	assert_int_equal(net->n[i].dl[HSRP_TIMER_ACTIVE],
			 net->now + SEC(255));
	assert_int_equal(net->n[i].g.cnt.timers_ignored, k);
}

static void
test_admin(void **state)
{
	struct net *net = *state;
	struct hsrp_config ca = cfg_for(1, 2, 110), cb = cfg_for(1, 1, 100);
	struct hsrp_event ev;
	unsigned int a, b;

	ca.preempt = cb.preempt = true;
	a = add_node(net, &ca);
	b = add_node(net, &cb);
	up(net, a);
	up(net, b);
	run_until(net, SEC(60));
	assert_state(net, a, S(ACTIVE));
	/* Force a switchover: A resigns and does not preempt back. */
	net->now = SEC(60) + 1;
	simple(net, a, HSRP_EV_ADMIN_RESIGN);
	settle(net);
	assert_state(net, b, S(ACTIVE));
	assert_state(net, a, S(SPEAK));
	run_until(net, SEC(120));
	assert_state(net, b, S(ACTIVE));
	assert_state(net, a, S(STANDBY));
	/* Enabled again: A preempts on B's next hello. */
	simple(net, a, HSRP_EV_ADMIN_ENABLE);
	run_until(net, SEC(123));
	assert_state(net, a, S(ACTIVE));
	run_until(net, SEC(150));
	assert_state(net, b, S(STANDBY));
	/* Shut down: Init, and an interface up does not restart it. */
	simple(net, a, HSRP_EV_ADMIN_SHUTDOWN);
	settle(net);
	assert_state(net, a, S(INIT));
	assert_state(net, b, S(ACTIVE));
	up(net, a);
	assert_state(net, a, S(INIT));
	simple(net, a, HSRP_EV_ADMIN_ENABLE);
	assert_state(net, a, S(LISTEN));
	/* Priority reconfigured on B, now above A: B (preempt) stays. */
	ev.type = HSRP_EV_PRIORITY;
	ev.u.priority = 120;
	assert_true(event(net, b, &ev) >= 0);
	assert_int_equal(net->n[b].g.priority, 120);
	/* Lowered below A: A preempts when it hears it. */
	ev.u.priority = 90;
	assert_true(event(net, b, &ev) >= 0);
	settle(net);
	run_until(net, SEC(250));
	assert_state(net, a, S(ACTIVE));
	assert_state(net, b, S(STANDBY));
}

static void
test_ignored_and_bad(void **state)
{
	struct net *net = *state;
	struct hsrp_config c = cfg_for(1, 2, 100);
	struct peer p = peer(3, 200);
	struct hsrp_event ev;
	struct hsrp_action few[4];
	uint8_t junk[20] = { 0 };
	unsigned int i;

	i = add_node(net, &c);
	up(net, i);
	p.group = 2;
	assert_int_equal(inject(net, i, &p, HSRP_OP_HELLO, S(ACTIVE)), 0);
	p.group = 0;
	p.version = 2;
	assert_int_equal(inject(net, i, &p, HSRP_OP_HELLO, S(ACTIVE)), 0);
	p.version = 0;
	p.ip = c.if_ip; /* our own, looped back */
	assert_int_equal(inject(net, i, &p, HSRP_OP_HELLO, S(ACTIVE)), 0);
	assert_int_equal(net->n[i].g.cnt.ignored, 3);
	junk[2] = 3; /* bad state */
	assert_int_equal(raw_in(net, i, junk, sizeof(junk), IP(3)), 0);
	/* A hello whose hold time is not above its hello time. */
	p.ip = IP(3);
	p.hello_ms = 10000;
	p.hold_ms = 10000;
	assert_int_equal(inject(net, i, &p, HSRP_OP_HELLO, S(ACTIVE)), 0);
	assert_int_equal(net->n[i].g.cnt.bad_packets, 2);
	assert_int_equal(net->n[i].g.active_ip, 0);
	assert_state(net, i, S(LISTEN));

	/* A timer that fires early or was cancelled is stale. */
	ev.type = HSRP_EV_TIMER;
	ev.u.timer = HSRP_TIMER_HELLO;
	assert_int_equal(event(net, i, &ev), 0);
	ev.u.timer = HSRP_TIMER_ACTIVE;
	assert_int_equal(event(net, i, &ev), 0);
	assert_int_equal(net->n[i].g.cnt.stale_timers, 2);
	ev.u.timer = HSRP_TIMER_MAX;
	assert_int_equal(event(net, i, &ev), -EINVAL);
	ev.type = HSRP_EV_MAX;
	assert_int_equal(event(net, i, &ev), -EINVAL);
	ev.type = HSRP_EV_IF_UP;
	assert_int_equal(hsrp_event(&net->n[i].g, &ev, 0, few, 4), -EINVAL);
}

static void
test_config_check(void **state TW_UNUSED)
{
	struct hsrp_config c;
	char err[128];
	uint8_t mac[6];

	c = cfg_for(1, 2, 100);
	assert_int_equal(hsrp_config_check(&c, err, sizeof(err)), 0);
	assert_int_equal(c.priority, 100);
	assert_int_equal(c.hello_ms, 3000);
	assert_int_equal(c.hold_ms, 10000);
	assert_string_equal(c.auth_text, "cisco");
	c.group = 256;
	assert_int_equal(hsrp_config_check(&c, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "group 256"));
	c.version = 2;
	assert_int_equal(hsrp_config_check(&c, err, sizeof(err)), 0);
	c.group = 4096;
	assert_int_equal(hsrp_config_check(&c, err, sizeof(err)), -EINVAL);
	c = cfg_for(1, 2, 100);
	c.hold_ms = c.hello_ms;
	assert_int_equal(hsrp_config_check(&c, err, sizeof(err)), -EINVAL);
	c = cfg_for(1, 2, 100);
	c.auth = HSRP_AUTH_NONE;
	assert_int_equal(hsrp_config_check(&c, err, sizeof(err)), -EINVAL);
	c.auth = HSRP_AUTH_MD5;
	assert_int_equal(hsrp_config_check(&c, err, sizeof(err)), -EINVAL);
	snprintf(c.md5_key, sizeof(c.md5_key), "key");
	assert_int_equal(hsrp_config_check(&c, err, sizeof(err)), 0);
	c = cfg_for(1, 2, 100);
	c.if_ip = 0;
	assert_int_equal(hsrp_config_check(&c, err, sizeof(err)), -EINVAL);
	c = cfg_for(1, 2, 100);
	c.vmac_set = true;
	memcpy(c.vmac, "\x01\x00\x5e\x00\x00\x01", 6);
	assert_int_equal(hsrp_config_check(&c, err, sizeof(err)), -EINVAL);
	c = cfg_for(1, 2, 100);
	c.n_track = 2;
	c.track[0].id = c.track[1].id = 4;
	assert_int_equal(hsrp_config_check(&c, err, sizeof(err)), -EINVAL);
	c.n_track = HSRP_TRACK_MAX + 1;
	assert_int_equal(hsrp_config_check(&c, err, sizeof(err)), -EINVAL);
	c = cfg_for(1, 2, 100);
	c.vip = c.if_ip;
	assert_int_equal(hsrp_config_check(&c, err, sizeof(err)), -EINVAL);
	hsrp_vmac_default(2, 0xabc, mac);
	assert_memory_equal(mac, "\x00\x00\x0c\x9f\xfa\xbc", 6);
	hsrp_vmac_default(1, 0x2a, mac);
	assert_memory_equal(mac, "\x00\x00\x0c\x07\xac\x2a", 6);
}

/* A configured virtual MAC is what the active router speaks from. */
static void
test_configured_vmac(void **state)
{
	struct net *net = *state;
	struct hsrp_config c = cfg_for(2, 2, 100);
	unsigned int i;

	c.vmac_set = true;
	memcpy(c.vmac, "\x02\x00\x00\x00\x00\x42", 6);
	i = add_node(net, &c);
	up(net, i);
	run_until(net, SEC(20));
	assert_state(net, i, S(ACTIVE));
	assert_memory_equal(net->n[i].last_src_mac, c.vmac, 6);
}

static void
test_transition_table(void **state TW_UNUSED)
{
	assert_true(hsrp_transition_allowed(S(INIT), S(LISTEN)));
	assert_true(hsrp_transition_allowed(S(INIT), S(LEARN)));
	assert_true(hsrp_transition_allowed(S(STANDBY), S(ACTIVE)));
	assert_true(hsrp_transition_allowed(S(ACTIVE), S(SPEAK)));
	assert_false(hsrp_transition_allowed(S(INIT), S(ACTIVE)));
	assert_false(hsrp_transition_allowed(S(LEARN), S(SPEAK)));
	assert_false(hsrp_transition_allowed(S(ACTIVE), S(STANDBY)));
	assert_false(hsrp_transition_allowed(S(ACTIVE), S(LISTEN)));
	assert_false(hsrp_transition_allowed(S(LISTEN), S(STANDBY)));
	assert_false(hsrp_transition_allowed(S(INIT), HSRP_STATE_MAX));
	assert_string_equal(hsrp_timer_name(HSRP_TIMER_PREEMPT), "preempt");
	assert_string_equal(hsrp_event_name(HSRP_EV_IF_UP), "interface up");
	assert_string_equal(hsrp_action_name(HSRP_ACT_GARP), "garp");
}

/* The transition log names the interface when it is configured. */
static void
test_log_line(void **state)
{
	struct net *net = *state;
	struct hsrp_config c = cfg_for(1, 2, 100);
	unsigned int i;

	snprintf(c.ifname, sizeof(c.ifname), "outside");
	i = add_node(net, &c);
	up(net, i);
	assert_string_equal(last_log, "outside Grp 1: Init -> Listen (interface up)");
	assert_int_equal(net->n[i].g.cnt.state_changes, 1);
}

static void
follow(struct net *net, unsigned int i, enum hsrp_follow f)
{
	struct hsrp_event ev = { .type = HSRP_EV_FOLLOW };

	ev.u.follow = f;
	assert_true(event(net, i, &ev) >= 0);
	settle(net);
}

/*
 * IOS "standby follow": a group held STANDBY never becomes Active (the
 * active falls silent, resigns, or is outranked by it), resigns at once
 * when it is; one set to ACTIVE takes the group with a Coup whatever the
 * priorities, answers Coups and higher Hellos with a Coup, and takes it
 * again as soon as its interface comes up; NONE is the RFC election.
 */
static void
test_follow(void **state)
{
	struct net *net = *state;
	struct hsrp_config ca = cfg_for(2, 2, 100), cb = cfg_for(2, 3, 110);
	unsigned int a, b;
	struct hsrp_event bad = { .type = HSRP_EV_FOLLOW };

	net->nn = 0;
	net->now = 0;
	ca.preempt = cb.preempt = true;
	a = add_node(net, &ca);
	b = add_node(net, &cb);
	follow(net, a, HSRP_FOLLOW_STANDBY);
	up(net, a);
	up(net, b);
	run_until(net, SEC(60));
	assert_state(net, b, S(ACTIVE));
	assert_state(net, a, S(STANDBY));
	/* b falls silent: a, held, stays Standby. */
	net->n[b].alive = false;
	run_until(net, SEC(120));
	assert_state(net, a, S(STANDBY));
	assert_true(net->n[a].g.cnt.follow_held > 0);
	assert_false(net->n[a].claimed);
	/* Freed: nobody is active, a takes over at once. */
	follow(net, a, HSRP_FOLLOW_NONE);
	assert_state(net, a, S(ACTIVE));
	assert_string_equal(net->n[a].last_reason, "no active router");
	/* Held again while Active: it resigns at once. */
	follow(net, a, HSRP_FOLLOW_STANDBY);
	assert_state(net, a, S(SPEAK));
	assert_false(net->n[a].claimed);
	assert_string_equal(net->n[a].last_reason,
			    "following the redundancy role");

	/* b back (priority 110, preempt): Active. The twins swap roles: b
	 * held STANDBY resigns, a told to follow ACTIVE takes the group with
	 * a Coup though b outranks it, and keeps it. */
	net->n[b].alive = true;
	run_until(net, SEC(180));
	assert_state(net, b, S(ACTIVE));
	follow(net, b, HSRP_FOLLOW_STANDBY);
	follow(net, a, HSRP_FOLLOW_ACTIVE);
	assert_state(net, a, S(ACTIVE));
	assert_string_equal(net->n[a].last_reason,
			    "following the redundancy role");
	assert_true(net->n[a].sent[HSRP_OP_COUP] > 0);
	run_until(net, SEC(240));
	assert_state(net, a, S(ACTIVE));
	assert_state(net, b, S(STANDBY));
	/* Its interface goes down: nobody may be Active (b is held); up
	 * again: Active at once, not after a hold time. */
	simple(net, a, HSRP_EV_IF_DOWN);
	settle(net);
	assert_state(net, a, S(INIT));
	run_until(net, SEC(300));
	assert_state(net, b, S(STANDBY));
	assert_false(net->n[b].claimed);
	up(net, a);
	assert_state(net, a, S(ACTIVE));
	assert_true(net->n[a].g.cnt.follow_coups >= 2);
	assert_string_equal(hsrp_follow_name(HSRP_FOLLOW_ACTIVE), "active");
	assert_string_equal(hsrp_follow_name(HSRP_FOLLOW_MAX), "?");
	bad.u.follow = HSRP_FOLLOW_MAX;
	assert_int_equal(hsrp_event(&net->n[a].g, &bad, net->now, net->acts,
				    HSRP_ACTIONS_MAX), -EINVAL);
}

/*
 * The twin's sync channel says the active left Active (its outside link
 * is dead, no Resign can come on it): the Standby takes over at once,
 * not a hold time later; without a known active it means nothing.
 */
/* An IPv6 group (HSRP version 2 for IPv6): link-local x of node x. */
static struct hsrp_config
cfg6_for(uint32_t host, uint8_t prio)
{
	struct hsrp_config c = cfg_for(2, host, prio);

	c.af = TW_AF_INET6;
	c.vip = 0;
	c.if_ip = 0;
	c.if_ip6[0] = 0xfe;
	c.if_ip6[1] = 0x80;
	c.if_ip6[15] = (uint8_t)host;
	return c;
}

/* The default virtual MAC and link-local VIP of IPv6 groups. */
static void
test_v6_vmac_vip(void **state TW_UNUSED)
{
	static const uint8_t ll_1[16] = {
		0xfe, 0x80, 0, 0, 0, 0, 0, 0,
		0x00, 0x05, 0x73, 0xff, 0xfe, 0xa0, 0x00, 0x01,
	};
	static const uint8_t ll_fff[16] = {
		0xfe, 0x80, 0, 0, 0, 0, 0, 0,
		0x00, 0x05, 0x73, 0xff, 0xfe, 0xa0, 0x0f, 0xff,
	};
	struct hsrp_config c = cfg6_for(2, 100);
	struct hsrp_group g;
	uint8_t mac[6], ll[16];
	char err[128];

	hsrp_vmac_default6(1, mac);
	assert_memory_equal(mac, "\x00\x05\x73\xa0\x00\x01", 6);
	hsrp_vmac_default6(4095, mac);
	assert_memory_equal(mac, "\x00\x05\x73\xa0\x0f\xff", 6);
	hsrp_vip6_from_vmac(mac, ll);
	assert_memory_equal(ll, ll_fff, 16);
	/* The group derives both; Listen at once (nothing to learn). */
	assert_int_equal(hsrp_group_init(&g, &c, err, sizeof(err)), 0);
	assert_memory_equal(g.vmac, "\x00\x05\x73\xa0\x00\x01", 6);
	assert_memory_equal(g.vip6, ll_1, 16);
	/* A configured link-local VIP is used as is. */
	c.vip6[0] = 0xfe;
	c.vip6[1] = 0x80;
	c.vip6[15] = 0x99;
	assert_int_equal(hsrp_group_init(&g, &c, err, sizeof(err)), 0);
	assert_int_equal(g.vip6[15], 0x99);
}

static void
test_v6_config_check(void **state TW_UNUSED)
{
	struct hsrp_config c;
	char err[128];

	c = cfg6_for(2, 100);
	assert_int_equal(hsrp_config_check(&c, err, sizeof(err)), 0);
	c.version = 1;
	assert_int_equal(hsrp_config_check(&c, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "IPv6 groups need version 2");
	c = cfg6_for(2, 100);
	c.if_ip6[0] = 0x20;      /* not link-local */
	assert_int_equal(hsrp_config_check(&c, err, sizeof(err)), -EINVAL);
	c = cfg6_for(2, 100);
	c.vip6[0] = 0x20;        /* a global VIP where the link-local goes */
	assert_int_equal(hsrp_config_check(&c, err, sizeof(err)), -EINVAL);
	c = cfg6_for(2, 100);
	memcpy(c.vip6, c.if_ip6, 16);
	assert_int_equal(hsrp_config_check(&c, err, sizeof(err)), -EINVAL);
	c = cfg6_for(2, 100);
	c.af = 5;
	assert_int_equal(hsrp_config_check(&c, err, sizeof(err)), -EINVAL);
}

/*
 * Two IPv6 routers: the same election as IPv4, the tie broken on the
 * link-local source; hellos go out as v2 IPv6 group state TLVs; the
 * active claims the link-local VIP and sends an unsolicited NA (never a
 * GARP); killed, the standby takes over one hold time after its last
 * Hello, with an NA again.
 */
static void
test_v6_election_takeover(void **state)
{
	struct net *net = *state;
	struct hsrp_config ca = cfg6_for(2, 100), cb = cfg6_for(3, 100);
	struct tw_addr want = { .family = TW_AF_INET6 };
	unsigned int a, b;
	tw_time_t last;

	a = add_node(net, &ca);
	b = add_node(net, &cb);
	up(net, a);
	up(net, b);
	run_until(net, SEC(60));
	assert_state(net, b, S(ACTIVE));
	assert_state(net, a, S(STANDBY));
	memcpy(want.v6, cb.if_ip6, 16);
	assert_true(tw_addr_eq(&net->n[a].g.active, &want));
	assert_int_equal(net->n[a].g.active_ip, 0);  /* IPv4 view: none */
	memcpy(want.v6, ca.if_ip6, 16);
	assert_true(tw_addr_eq(&net->n[b].g.standby, &want));
	assert_int_equal(net->n[b].garps, 1);        /* the NA */
	assert_int_equal(net->n[a].g.cnt.vip_mismatch, 0);
	assert_true(net->n[a].g.cnt.hellos_in > 10);
	assert_int_equal(net->n[a].g.cnt.ignored, 0);

	net->n[b].alive = false;
	last = net->n[a].last_hello_rx[b];
	run_until(net, last + SEC(10) - 1);
	assert_state(net, a, S(STANDBY));
	run_until(net, last + SEC(10));
	assert_state(net, a, S(ACTIVE));
	assert_int_equal(net->n[a].last_garp, last + SEC(10));
	assert_int_equal(net->n[a].garps, 1);
}

/* Tracking lowers an IPv6 group's priority as an IPv4 one's. */
static void
test_v6_tracking(void **state)
{
	struct net *net = *state;
	struct hsrp_config ca = cfg6_for(2, 110), cb = cfg6_for(3, 100);
	struct hsrp_event ev = { .type = HSRP_EV_TRACK_DOWN };
	unsigned int a, b;

	ca.preempt = cb.preempt = true;
	ca.track[0].id = 7;
	ca.track[0].decrement = 20;
	ca.n_track = 1;
	a = add_node(net, &ca);
	b = add_node(net, &cb);
	up(net, a);
	up(net, b);
	run_until(net, SEC(60));
	assert_state(net, a, S(ACTIVE));
	net->now = SEC(61);
	ev.u.track_id = 7;
	assert_true(event(net, a, &ev) >= 0);
	settle(net);
	assert_state(net, b, S(ACTIVE));
	assert_state(net, a, S(SPEAK));
	ev.type = HSRP_EV_TRACK_UP;
	net->now = SEC(62);
	assert_true(event(net, a, &ev) >= 0);
	settle(net);
	assert_state(net, a, S(ACTIVE));
	assert_int_equal(net->n[a].g.last_change, SEC(62));
}

/* An IPv4 group's packet is not an IPv6 group's, nor the reverse. */
static void
test_v6_family_mismatch(void **state)
{
	struct net *net = *state;
	struct hsrp_config c6 = cfg6_for(2, 100), c4 = cfg_for(2, 2, 100);
	uint8_t buf[HSRP_PKT_MAX], src6[16] = { 0xfe, 0x80, [15] = 9 };
	struct hsrp_msg m;
	unsigned int a, b;
	int n;

	a = add_node(net, &c6);
	b = add_node(net, &c4);
	up(net, a);
	up(net, b);
	memset(&m, 0, sizeof(m));
	m.version = 2;
	m.op = HSRP_OP_COUP;
	m.state = S(ACTIVE);
	m.group = 1;
	m.priority = 255;
	m.hello_ms = 3000;
	m.hold_ms = 10000;
	m.vip = VIP;
	m.auth = HSRP_AUTH_TEXT;
	memcpy(m.text, "cisco", 5);
	n = hsrp_encode(&m, NULL, buf, sizeof(buf));
	assert_true(n > 0);
	assert_int_equal(raw_in6(net, a, buf, (size_t)n, IP(9), src6), 0);
	assert_int_equal(net->n[a].g.cnt.ignored, 1);
	m.ipv6 = true;
	m.vip = 0;
	n = hsrp_encode(&m, NULL, buf, sizeof(buf));
	assert_true(n > 0);
	assert_int_equal(raw_in(net, b, buf, (size_t)n, IP(9)), 0);
	assert_int_equal(net->n[b].g.cnt.ignored, 1);
}

static void
test_active_gone(void **state)
{
	struct net *net = *state;
	struct hsrp_config ca = cfg_for(2, 2, 100), cb = cfg_for(2, 3, 110);
	unsigned int a, b;

	net->nn = 0;
	net->now = 0;
	a = add_node(net, &ca);
	b = add_node(net, &cb);
	up(net, b);
	run_until(net, SEC(30));
	up(net, a);
	run_until(net, SEC(60));
	assert_state(net, b, S(ACTIVE));
	assert_state(net, a, S(STANDBY));
	net->n[b].alive = false;
	run_until(net, net->now + MS(10));
	simple(net, a, HSRP_EV_ACTIVE_GONE);
	assert_state(net, a, S(ACTIVE));
	assert_string_equal(net->n[a].last_reason, "active router resigned");
	/* Active already, or nobody known: nothing happens. */
	simple(net, a, HSRP_EV_ACTIVE_GONE);
	assert_state(net, a, S(ACTIVE));
	net->now += SEC(1);
	simple(net, b, HSRP_EV_IF_DOWN);
	simple(net, b, HSRP_EV_ACTIVE_GONE);
	assert_state(net, b, S(INIT));
}

int
main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_v6_vmac_vip),
		T(test_v6_config_check),
		T(test_v6_election_takeover),
		T(test_v6_tracking),
		T(test_v6_family_mismatch),
		T(test_lone_router),
		T(test_follow),
		T(test_active_gone),
		T(test_two_routers_tie_on_ip),
		T(test_takeover_after_hold),
		T(test_preempt),
		T(test_preempt_delay_minimum),
		T(test_preempt_delay_reload),
		T(test_resign_on_interface_down),
		T(test_tracking),
		T(test_tracking_floor_and_no_preempt),
		T(test_auth_mismatch_text),
		T(test_auth_mismatch_md5),
		T(test_rfc_listen),
		T(test_rfc_speak),
		T(test_rfc_standby),
		T(test_rfc_active),
		T(test_rfc_disable_everywhere),
		T(test_learn),
		T(test_learn_bounds),
		T(test_admin),
		T(test_ignored_and_bad),
		T(test_config_check),
		T(test_configured_vmac),
		T(test_transition_table),
		T(test_log_line),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
