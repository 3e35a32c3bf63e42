/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target for the HSRP state machine (lib/hsrp/hsrp.c) fed with
 * what the wire and the daemon give it. The first bytes choose one
 * group's configuration (version, group, preempt, authentication, timers
 * set or learned, a track; a version 2 group may be an IPv6 one, whose
 * routers are link-local addresses); the rest is a script of events at a fake
 * clock: raw datagrams (decoded by the engine), messages forged from the
 * input and encoded with the group's own key (so they pass
 * authentication and reach the election), timers firing (the deadline
 * the engine armed, or any), link, track, priority, admin and follow
 * events. After every call:
 *  - the result is a count within HSRP_ACTIONS_MAX, or -EINVAL/-ENOENT
 *    only for an event the script made bad on purpose;
 *  - every STATE action is an allowed transition from the state the
 *    previous one reached, and the last one is g.state;
 *  - every SEND decodes, for our group and version, as our state;
 *  - ARM never targets the past, CANCEL/ARM agree with g.deadline[];
 *  - following STANDBY the group is never Active; no illegal transition
 *    and no action overflow is ever counted;
 *  - the counters only grow.
 *
 *   replay_hsrp_engine tests/fuzz/corpus/hsrp_engine            (make test)
 *   build-fuzz/tests/fuzz/fuzz_hsrp_engine corpus/hsrp_engine   (make fuzz)
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hsrp.h"
#include "tw_compiler.h"
#include "tw_log.h"

#define OUR_IP 0x0a000001u     /* 10.0.0.1 */
#define PEER_IP 0x0a000002u
#define THIRD_IP 0x0a000003u
#define VIP 0x0a0000feu
#define MD5_KEY "fuzz-md5"
#define MAX_STEPS 256

/* The same routers' link-local addresses, for IPv6 groups. */
static const uint8_t srcs6[4][16] = {
	{ 0xfe, 0x80, [15] = 2 }, { 0xfe, 0x80, [15] = 3 },
	{ 0xfe, 0x80, [15] = 1 }, { 0 },
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct hsrp_action acts[HSRP_ACTIONS_MAX];

struct in {
	const uint8_t *p;
	size_t left;
};

static uint8_t
get8(struct in *in)
{
	uint8_t v;

	if (in->left == 0)
		return 0;
	v = *in->p++;
	in->left--;
	return v;
}

static uint32_t
get32(struct in *in)
{
	uint32_t v = 0;
	int i;

	for (i = 0; i < 4; i++)
		v = v << 8 | get8(in);
	return v;
}

static void
check(bool ok)
{
	if (!ok)
		abort();
}

static void
quiet(enum tw_log_level level TW_UNUSED, const char *module TW_UNUSED,
      const char *fmt TW_UNUSED, va_list ap TW_UNUSED)
{
}

static void
setup(struct hsrp_group *g, struct in *in)
{
	struct hsrp_config cfg;
	uint8_t b = get8(in), v = (b & 1) ? 2 : 1;
	uint16_t grp = get8(in);
	char err[128];

	hsrp_config_defaults(&cfg, v, grp);
	cfg.preempt = (b & 2) != 0;
	if (b & 4)
		cfg.preempt_delay_min_ms = (uint32_t)get8(in) * 100;
	if (b & 8) {
		cfg.timers_set = true;
		cfg.hello_ms = 1000 + (uint32_t)get8(in) * 10;
		cfg.hold_ms = cfg.hello_ms * 3;
	}
	switch ((b >> 4) & 3) {
	case 1:
		cfg.auth = HSRP_AUTH_MD5;
		strcpy(cfg.md5_key, MD5_KEY);
		cfg.md5_key_id = 7;
		break;
	case 2:
		if (v == 2)
			cfg.auth = HSRP_AUTH_NONE;
		break;
	default:
		break; /* text "cisco" */
	}
	if (b & 0x40)
		cfg.vip = VIP;
	if (v == 2 && (b & 0x80)) {
		cfg.af = TW_AF_INET6;
		cfg.vip = 0;
		memcpy(cfg.if_ip6, srcs6[2], 16);
	}
	cfg.priority = get8(in);
	cfg.track[0].id = 1;
	cfg.track[0].decrement = 50;
	cfg.n_track = 1;
	cfg.if_ip = OUR_IP;
	memcpy(cfg.if_mac, "\x02\x00\x00\x00\x00\x01", 6);
	check(hsrp_group_init(g, &cfg, err, sizeof(err)) == 0);
}

/* A message from a neighbour, with the group's key when fuzz says so. */
static int
forge(const struct hsrp_group *g, struct in *in, uint8_t *buf, size_t len)
{
	struct hsrp_msg m;
	uint8_t b = get8(in);

	memset(&m, 0, sizeof(m));
	m.version = g->cfg.version;
	m.op = (enum hsrp_op)(b % HSRP_OP_MAX);
	m.state = (enum hsrp_state)((b >> 2) % HSRP_STATE_MAX);
	m.group = (b & 0x20) ? get8(in) : g->cfg.group;
	m.priority = get8(in);
	m.hello_ms = (b & 0x40) ? get32(in) : 3000;
	m.hold_ms = (b & 0x40) ? get32(in) : 10000;
	if (m.version == 1) {
		/* v1 carries seconds: keep what re-encodes */
		m.hello_ms = m.hello_ms / 1000 % 256 * 1000;
		m.hold_ms = m.hold_ms / 1000 % 256 * 1000;
	}
	m.vip = (b & 0x80) ? get32(in) : VIP;
	if (g->cfg.af == TW_AF_INET6) {
		m.ipv6 = true;
		m.vip = 0;
		memcpy(m.vip6, g->vip6, 16);
		if (b & 0x80)
			m.vip6[15] ^= get8(in);
	}
	if (m.version == 2)
		memcpy(m.id, "\x02\x00\x00\x00\x00\x02", 6);
	m.auth = g->cfg.auth;
	if (m.auth == HSRP_AUTH_TEXT)
		memcpy(m.text, g->cfg.auth_text, HSRP_AUTH_TEXT_LEN);
	if (m.auth == HSRP_AUTH_MD5) {
		m.md5_algo = HSRP_MD5_ALGO;
		m.md5_ip = g->cfg.af == TW_AF_INET6 ? 0 : PEER_IP;
		m.md5_key_id = g->cfg.md5_key_id;
	}
	return hsrp_encode(&m, g->cfg.md5_key, buf, len);
}

static void
check_actions(const struct hsrp_group *g, enum hsrp_state before, int n,
	      tw_time_t now)
{
	enum hsrp_state cur = before;
	struct hsrp_msg m;
	const char *why;
	int i;

	for (i = 0; i < n; i++) {
		const struct hsrp_action *a = &acts[i];

		switch (a->type) {
		case HSRP_ACT_STATE:
			check(a->u.state.from == cur);
			check(hsrp_transition_allowed(a->u.state.from,
						      a->u.state.to));
			cur = a->u.state.to;
			break;
		case HSRP_ACT_SEND:
			check(a->u.send.len <= HSRP_PKT_MAX);
			check(hsrp_decode(a->u.send.data, a->u.send.len, &m,
					  &why) == 0);
			check(m.version == g->cfg.version &&
			      m.group == g->cfg.group);
			check(m.op == a->u.send.op);
			check(m.ipv6 == (g->cfg.af == TW_AF_INET6));
			check(a->u.send.ipv6 == m.ipv6);
			if (m.ipv6)
				check(memcmp(a->u.send.src_ip6, srcs6[2],
					     16) == 0);
			else
				check(a->u.send.src_ip == OUR_IP);
			break;
		case HSRP_ACT_ARM:
			check(a->u.timer.which < HSRP_TIMER_MAX);
			check(a->u.timer.at >= now);
			break;
		case HSRP_ACT_CANCEL:
			check(a->u.timer.which < HSRP_TIMER_MAX);
			break;
		case HSRP_ACT_CLAIM_VIP:
		case HSRP_ACT_RELEASE_VIP:
			check(a->u.vip.ipv6 == (g->cfg.af == TW_AF_INET6));
			break;
		case HSRP_ACT_GARP:
			check(g->cfg.af != TW_AF_INET6);
			break;
		case HSRP_ACT_NA:
			check(g->cfg.af == TW_AF_INET6);
			break;
		default:
			abort();
		}
	}
	check(cur == g->state);
	if (g->state == HSRP_STATE_ACTIVE) {
		check(g->follow != HSRP_FOLLOW_STANDBY);
		if (g->cfg.af == TW_AF_INET6)
			check(g->active.family == TW_AF_INET6 &&
			      memcmp(g->active.v6, srcs6[2], 16) == 0);
		else
			check(g->active_ip == OUR_IP);
	}
	check(g->cnt.illegal_transitions == 0);
	check(g->cnt.action_overflow == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint32_t srcs[4] = { PEER_IP, THIRD_IP, OUR_IP, 0 };
	struct in in = { data, size };
	struct hsrp_counters old;
	uint8_t raw[256], pkt[HSRP_PKT_MAX];
	struct hsrp_group g;
	struct hsrp_event ev;
	tw_time_t now = TW_SEC(1000);
	unsigned int steps = 0;
	bool bad;
	int n;

	tw_log_set_sink(quiet);
	setup(&g, &in);
	while (in.left > 0 && steps++ < MAX_STEPS) {
		enum hsrp_state before = g.state;
		uint8_t op = get8(&in);
		size_t len;

		memset(&ev, 0, sizeof(ev));
		bad = false;
		now += TW_MSEC((uint32_t)get8(&in) * 50);
		switch (op % 12) {
		case 0: /* a raw datagram, decoded by the engine */
			len = get8(&in) % sizeof(raw);
			if (len > in.left)
				len = in.left;
			memcpy(raw, in.p, len);
			in.p += len;
			in.left -= len;
			ev.type = HSRP_EV_PACKET;
			ev.u.pkt.raw = raw;
			ev.u.pkt.len = len;
			ev.u.pkt.src_ip = srcs[(op >> 4) & 3];
			memcpy(ev.u.pkt.src_ip6, srcs6[(op >> 4) & 3], 16);
			break;
		case 1: /* a neighbour's message with our key */
			n = forge(&g, &in, pkt, sizeof(pkt));
			if (n < 0)
				continue;
			ev.type = HSRP_EV_PACKET;
			ev.u.pkt.raw = pkt;
			ev.u.pkt.len = (size_t)n;
			ev.u.pkt.src_ip = srcs[(op >> 4) & 3];
			memcpy(ev.u.pkt.src_ip6, srcs6[(op >> 4) & 3], 16);
			break;
		case 2: /* the earliest deadline the engine armed */
		{
			tw_time_t best = TW_TIME_NEVER;
			int t, which = -1;

			for (t = 0; t < HSRP_TIMER_MAX; t++)
				if (g.deadline[t] < best) {
					best = g.deadline[t];
					which = t;
				}
			if (which < 0)
				continue;
			if (best > now)
				now = best;
			ev.type = HSRP_EV_TIMER;
			ev.u.timer = (enum hsrp_timer)which;
			break;
		}
		case 3: /* any timer, stale or early */
			ev.type = HSRP_EV_TIMER;
			ev.u.timer = (enum hsrp_timer)((op >> 4) % 5);
			bad = (op >> 4) % 5 == HSRP_TIMER_MAX;
			break;
		case 4:
			ev.type = HSRP_EV_IF_UP;
			break;
		case 5:
			ev.type = HSRP_EV_IF_DOWN;
			break;
		case 6:
			ev.type = (op & 0x10) ? HSRP_EV_TRACK_DOWN :
				HSRP_EV_TRACK_UP;
			ev.u.track_id = (op & 0x20) ? 2 : 1;
			bad = (op & 0x20) != 0;
			break;
		case 7:
			ev.type = HSRP_EV_PRIORITY;
			ev.u.priority = get8(&in);
			break;
		case 8:
			ev.type = (enum hsrp_event_type)(HSRP_EV_ADMIN_RESIGN +
							 (op >> 4) % 3);
			break;
		case 9:
			ev.type = HSRP_EV_FOLLOW;
			ev.u.follow = (enum hsrp_follow)((op >> 4) % 4);
			bad = (op >> 4) % 4 == HSRP_FOLLOW_MAX;
			break;
		case 10:
			ev.type = HSRP_EV_ACTIVE_GONE;
			break;
		default: /* time passes: every deadline due fires in order */
			ev.type = HSRP_EV_IF_UP;
			if (g.if_up)
				continue;
			break;
		}
		old = g.cnt;
		n = hsrp_event(&g, &ev, now, acts, HSRP_ACTIONS_MAX);
		if (n < 0) {
			check(bad && (n == -EINVAL || n == -ENOENT));
			continue;
		}
		check(n <= HSRP_ACTIONS_MAX);
		check_actions(&g, before, n, now);
		check(g.cnt.hellos_in >= old.hellos_in &&
		      g.cnt.bad_packets >= old.bad_packets &&
		      g.cnt.state_changes >= old.state_changes &&
		      g.cnt.auth_failures >= old.auth_failures);
	}
	return 0;
}
