/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The HSRP engine: configuration, and RFC 2281 section 6 events turned
 * into actions. The table this follows is in hsrp_state.c.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "hsrp_priv.h"
#include "tw_log.h"

#define S(x) HSRP_STATE_##x

static const char *const event_names[HSRP_EV_MAX] = {
	[HSRP_EV_PACKET] = "packet",
	[HSRP_EV_TIMER] = "timer",
	[HSRP_EV_IF_UP] = "interface up",
	[HSRP_EV_IF_DOWN] = "interface down",
	[HSRP_EV_TRACK_UP] = "track up",
	[HSRP_EV_TRACK_DOWN] = "track down",
	[HSRP_EV_PRIORITY] = "priority",
	[HSRP_EV_ADMIN_RESIGN] = "admin resign",
	[HSRP_EV_ADMIN_SHUTDOWN] = "admin shutdown",
	[HSRP_EV_ADMIN_ENABLE] = "admin enable",
	[HSRP_EV_FOLLOW] = "follow",
	[HSRP_EV_ACTIVE_GONE] = "active gone",
};

const char *
hsrp_event_name(enum hsrp_event_type e)
{
	if ((unsigned int)e >= HSRP_EV_MAX)
		return "?";
	return event_names[e];
}

void
hsrp_vmac_default(uint8_t version, uint16_t group, uint8_t mac[6])
{
	mac[0] = 0x00;
	mac[1] = 0x00;
	mac[2] = 0x0c;
	if (version == 1) {
		/* RFC 2281 5.3: 0000.0c07.acXX */
		mac[3] = 0x07;
		mac[4] = 0xac;
		mac[5] = group & 0xff;
	} else {
		/* HSRP v2: 0000.0c9f.fXXX */
		mac[3] = 0x9f;
		mac[4] = 0xf0 | ((group >> 8) & 0x0f);
		mac[5] = group & 0xff;
	}
}

void
hsrp_vmac_default6(uint16_t group, uint8_t mac[6])
{
	/* Cisco HSRP for IPv6: 0005.73a0.0000 to 0005.73a0.0fff. */
	mac[0] = 0x00;
	mac[1] = 0x05;
	mac[2] = 0x73;
	mac[3] = 0xa0;
	mac[4] = (group >> 8) & 0x0f;
	mac[5] = group & 0xff;
}

void
hsrp_vip6_from_vmac(const uint8_t vmac[6], uint8_t out[16])
{
	/*
	 * fe80::/64 and the MAC expanded to 64 bits with ff:fe in the middle,
	 * as IOS does for HSRP: FE80::5:73FF:FEA0:N for group N. Unlike RFC
	 * 4291's modified EUI-64 the universal/local bit is not flipped,
	 * so that a twin and an IOS router in one group share the address.
	 */
	memset(out, 0, 16);
	out[0] = 0xfe;
	out[1] = 0x80;
	out[8] = vmac[0];
	out[9] = vmac[1];
	out[10] = vmac[2];
	out[11] = 0xff;
	out[12] = 0xfe;
	out[13] = vmac[3];
	out[14] = vmac[4];
	out[15] = vmac[5];
}

static bool
zero16(const uint8_t a[16])
{
	static const uint8_t zero[16];

	return memcmp(a, zero, 16) == 0;
}

void
hsrp_config_defaults(struct hsrp_config *cfg, uint8_t version, uint16_t group)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->af = TW_AF_INET;
	cfg->version = version;
	cfg->group = group;
	cfg->priority = HSRP_DEFAULT_PRIORITY;
	cfg->hello_ms = HSRP_DEFAULT_HELLO_MS;
	cfg->hold_ms = HSRP_DEFAULT_HOLD_MS;
	cfg->auth = HSRP_AUTH_TEXT;
	snprintf(cfg->auth_text, sizeof(cfg->auth_text), "%s",
		 HSRP_DEFAULT_AUTH_TEXT);
}

static bool
mac_is_zero(const uint8_t mac[6])
{
	static const uint8_t zero[6];

	return memcmp(mac, zero, 6) == 0;
}

int
hsrp_config_check(const struct hsrp_config *c, char *err, size_t errlen)
{
	unsigned int i, j;

	if (c->af != TW_AF_INET && c->af != TW_AF_INET6) {
		snprintf(err, errlen, "address family %u: must be 4 or 6",
			 c->af);
		return -EINVAL;
	}
	if (c->af == TW_AF_INET6 && c->version != 2) {
		snprintf(err, errlen, "IPv6 groups need version 2");
		return -EINVAL;
	}
	if (c->version != 1 && c->version != 2) {
		snprintf(err, errlen, "version %u: must be 1 or 2", c->version);
		return -EINVAL;
	}
	if (c->group > (c->version == 1 ? HSRP_V1_MAX_GROUP :
			HSRP_V2_MAX_GROUP)) {
		snprintf(err, errlen, "group %u: at most %u for version %u",
			 c->group, c->version == 1 ? HSRP_V1_MAX_GROUP :
			 HSRP_V2_MAX_GROUP, c->version);
		return -EINVAL;
	}
	/* RFC 2281 5.1: the Holdtime MUST be greater than the Hellotime. */
	if (c->hello_ms == 0 || c->hold_ms <= c->hello_ms) {
		snprintf(err, errlen,
			 "timers %u/%u ms: hello must be > 0 and hold > hello",
			 c->hello_ms, c->hold_ms);
		return -EINVAL;
	}
	if (c->version == 1 && (c->hold_ms > 255000 || c->hello_ms > 255000)) {
		snprintf(err, errlen, "version 1 timers are at most 255 s");
		return -EINVAL;
	}
	switch (c->auth) {
	case HSRP_AUTH_NONE:
		if (c->version == 1) {
			snprintf(err, errlen,
				 "version 1 always authenticates (text)");
			return -EINVAL;
		}
		break;
	case HSRP_AUTH_TEXT:
		if (strnlen(c->auth_text, sizeof(c->auth_text)) >
		    HSRP_AUTH_TEXT_LEN) {
			snprintf(err, errlen,
				 "authentication text longer than %u",
				 HSRP_AUTH_TEXT_LEN);
			return -EINVAL;
		}
		break;
	case HSRP_AUTH_MD5:
		i = strnlen(c->md5_key, sizeof(c->md5_key));
		if (i == 0 || i > HSRP_MD5_KEY_MAX) {
			snprintf(err, errlen, "MD5 key-string must be 1-%u bytes",
				 HSRP_MD5_KEY_MAX);
			return -EINVAL;
		}
		break;
	default:
		snprintf(err, errlen, "bad authentication type %d",
			 (int)c->auth);
		return -EINVAL;
	}
	if (c->n_track > HSRP_TRACK_MAX) {
		snprintf(err, errlen, "%u tracked objects, at most %u",
			 c->n_track, HSRP_TRACK_MAX);
		return -EINVAL;
	}
	for (i = 0; i < c->n_track; i++)
		for (j = i + 1; j < c->n_track; j++)
			if (c->track[i].id == c->track[j].id) {
				snprintf(err, errlen,
					 "object %u tracked twice",
					 c->track[i].id);
				return -EINVAL;
			}
	if (c->af == TW_AF_INET6) {
		if (!tw_addr6_is_link_local(c->if_ip6) ||
		    mac_is_zero(c->if_mac)) {
			snprintf(err, errlen, "interface link-local address "
				 "and MAC are required");
			return -EINVAL;
		}
		if (!zero16(c->vip6) && (!tw_addr6_is_link_local(c->vip6) ||
					 memcmp(c->vip6, c->if_ip6, 16) == 0)) {
			snprintf(err, errlen, "the virtual address must be "
				 "link-local and not the interface's");
			return -EINVAL;
		}
	} else if (c->if_ip == 0 || mac_is_zero(c->if_mac)) {
		snprintf(err, errlen, "interface address and MAC are required");
		return -EINVAL;
	}
	if (c->vmac_set && (mac_is_zero(c->vmac) || (c->vmac[0] & 1))) {
		snprintf(err, errlen, "virtual MAC must be a unicast address");
		return -EINVAL;
	}
	if (c->vip != 0 && c->vip == c->if_ip) {
		snprintf(err, errlen,
			 "virtual IP must differ from the interface address");
		return -EINVAL;
	}
	return 0;
}

int
hsrp_group_init(struct hsrp_group *g, const struct hsrp_config *cfg,
		char *err, size_t errlen)
{
	unsigned int t;
	int rc;

	rc = hsrp_config_check(cfg, err, errlen);
	if (rc < 0)
		return rc;
	memset(g, 0, sizeof(*g));
	g->cfg = *cfg;
	g->state = S(INIT);
	g->priority = cfg->priority;
	g->hello_ms = cfg->hello_ms;
	g->hold_ms = cfg->hold_ms;
	g->vip = cfg->vip;
	if (cfg->vmac_set)
		memcpy(g->vmac, cfg->vmac, 6);
	else if (cfg->af == TW_AF_INET6)
		hsrp_vmac_default6(cfg->group, g->vmac);
	else
		hsrp_vmac_default(cfg->version, cfg->group, g->vmac);
	if (cfg->af == TW_AF_INET6) {
		/* Always known: configured, or derived from the VMAC. */
		if (zero16(cfg->vip6))
			hsrp_vip6_from_vmac(g->vmac, g->vip6);
		else
			memcpy(g->vip6, cfg->vip6, 16);
	}
	for (t = 0; t < HSRP_TIMER_MAX; t++)
		g->deadline[t] = TW_TIME_NEVER;
	g->last_reason = "initial";
	return 0;
}

/*
 * RFC 2281 5.1: higher priority wins; on a tie, the higher IP address
 * (IPv6 groups: the higher link-local source address, as a number).
 */
static bool
outranks(uint32_t prio_a, const struct tw_addr *ip_a, uint32_t prio_b,
	 const struct tw_addr *ip_b)
{
	if (prio_a != prio_b)
		return prio_a > prio_b;
	return tw_addr_cmp(ip_a, ip_b) > 0;
}

/* Is the virtual address known (IPv6: always)? */
static bool
vip_known(const struct hsrp_group *g)
{
	return hsrp_is_v6(g) || g->vip != 0;
}

static void
arm_in(struct hsrp_group *g, enum hsrp_timer t, uint32_t ms)
{
	hsrp_timer_arm(g, t, g->now + TW_MSEC(ms));
}

static bool
operational(const struct hsrp_group *g)
{
	return g->if_up && !g->admin_down;
}

static const char *const follow_names[HSRP_FOLLOW_MAX] = {
	[HSRP_FOLLOW_NONE] = "none",
	[HSRP_FOLLOW_ACTIVE] = "active",
	[HSRP_FOLLOW_STANDBY] = "standby",
};

const char *
hsrp_follow_name(enum hsrp_follow f)
{
	if ((unsigned int)f >= HSRP_FOLLOW_MAX)
		return "?";
	return follow_names[f];
}

/* May the group become Active now (hsrp.h: HSRP_FOLLOW_STANDBY)? */
static bool
may_activate(struct hsrp_group *g)
{
	if (g->follow != HSRP_FOLLOW_STANDBY)
		return true;
	g->cnt.follow_held++;
	return false;
}

/* Following ACTIVE: take the group from any state that speaks. */
static void
follow_claim(struct hsrp_group *g)
{
	if (g->follow != HSRP_FOLLOW_ACTIVE || !operational(g) ||
	    !vip_known(g))
		return;
	if (g->state != S(LISTEN) && g->state != S(SPEAK) &&
	    g->state != S(STANDBY))
		return;
	g->cnt.follow_coups++;
	hsrp_send(g, HSRP_OP_COUP);
	hsrp_set_state(g, S(ACTIVE), "following the redundancy role");
}

/* Event a: HSRP configured on an enabled interface. */
static void
ev_up(struct hsrp_group *g)
{
	uint32_t delay = g->cfg.preempt_delay_min_ms;

	if (g->state != S(INIT) || !operational(g))
		return;
	/* The reload delay covers the first up after startup. */
	if (!g->ever_up && g->cfg.preempt_delay_reload_ms > delay)
		delay = g->cfg.preempt_delay_reload_ms;
	g->ever_up = true;
	g->preempt_ok_at = g->now + TW_MSEC(delay);
	arm_in(g, HSRP_TIMER_ACTIVE, g->hold_ms);
	arm_in(g, HSRP_TIMER_STANDBY, g->hold_ms);
	if (vip_known(g))
		hsrp_set_state(g, S(LISTEN), "interface up");
	else
		hsrp_set_state(g, S(LEARN), "interface up, no virtual IP");
	follow_claim(g);
}

/* Event b: interface or group disabled. */
static void
ev_down(struct hsrp_group *g, const char *reason)
{
	if (g->state == S(INIT))
		return;
	if (g->state == S(ACTIVE))
		hsrp_send(g, HSRP_OP_RESIGN);
	hsrp_set_state(g, S(INIT), reason);
}

static void
become_standby(struct hsrp_group *g, const char *reason)
{
	hsrp_set_state(g, S(STANDBY), reason);
	/* ** in hsrp_state.c: nobody to stand by for. */
	if (g->state == S(STANDBY) &&
	    !hsrp_timer_armed(g, HSRP_TIMER_ACTIVE) && may_activate(g))
		hsrp_set_state(g, S(ACTIVE), "no active router");
}

static bool
preempt_allowed(const struct hsrp_group *g)
{
	return g->cfg.preempt && !g->no_preempt;
}

/*
 * We outrank the known active router and may preempt: G, then Active.
 * Before the preempt delay is over, arm the preempt timer instead.
 */
static bool
try_preempt(struct hsrp_group *g)
{
	struct tw_addr me = hsrp_self(g);

	if (!preempt_allowed(g) || !hsrp_known(&g->active) ||
	    hsrp_is_self(g, &g->active))
		return false;
	if (g->state != S(LISTEN) && g->state != S(SPEAK) &&
	    g->state != S(STANDBY))
		return false;
	if (!outranks(g->priority, &me, g->active_prio, &g->active))
		return false;
	if (!may_activate(g))
		return false;
	if (g->now < g->preempt_ok_at) {
		if (g->deadline[HSRP_TIMER_PREEMPT] != g->preempt_ok_at)
			hsrp_timer_arm(g, HSRP_TIMER_PREEMPT, g->preempt_ok_at);
		return false;
	}
	hsrp_send(g, HSRP_OP_COUP);
	hsrp_set_state(g, S(ACTIVE), "preempt");
	return true;
}

/*
 * Timers a Hello may teach, as IOS bounds configured ones ("standby timers":
 * hello 1-254 s or 15-999 ms, hold 1-255 s or 50-3000 ms). Outside these a
 * peer (misconfigured, or anyone who knows the text password) could make us
 * send a Hello every millisecond, take over after a millisecond of silence,
 * or never take over at all. hold > hello is checked before, as bad.
 */
#define LEARN_HELLO_MIN_MS 15
#define LEARN_HELLO_MAX_MS 254000
#define LEARN_HOLD_MIN_MS 50
#define LEARN_HOLD_MAX_MS 255000

static bool
timers_sane(const struct hsrp_msg *m)
{
	return m->hello_ms >= LEARN_HELLO_MIN_MS &&
	       m->hello_ms <= LEARN_HELLO_MAX_MS &&
	       m->hold_ms >= LEARN_HOLD_MIN_MS &&
	       m->hold_ms <= LEARN_HOLD_MAX_MS;
}

/*
 * The hold time a Hello arms our active/standby timer with (RFC 2281 5.1:
 * the Holdtime of the Hello); ours when the packet's is out of bounds.
 */
static uint32_t
msg_hold_ms(const struct hsrp_group *g, const struct hsrp_msg *m)
{
	return timers_sane(m) ? m->hold_ms : g->hold_ms;
}

/* Action E: learn from an authenticated Hello of the active router. */
static void
learn(struct hsrp_group *g, const struct hsrp_msg *m)
{
	if (g->state == S(ACTIVE))
		return; /* RFC 5.1: the active router MUST NOT learn */
	if (hsrp_is_v6(g)) {
		/* The link-local VIP is configured or derived, never learned. */
		if (memcmp(m->vip6, g->vip6, 16) != 0)
			g->cnt.vip_mismatch++;
	} else if (m->vip != 0 && g->cfg.vip == 0 && m->vip != g->vip) {
		g->vip = m->vip;
		g->vip_learned = true;
		tw_log(TW_LOG_INFO, HSRP_LOG, "Grp %u: learned virtual IP "
		       "%u.%u.%u.%u", g->cfg.group, m->vip >> 24,
		       (m->vip >> 16) & 0xff, (m->vip >> 8) & 0xff,
		       m->vip & 0xff);
	} else if (m->vip != 0 && g->cfg.vip != 0 && m->vip != g->cfg.vip) {
		g->cnt.vip_mismatch++;
	}
	/* Both times or neither: never one configured and one learned. */
	if (!g->cfg.timers_set && timers_sane(m) &&
	    m->hold_ms > m->hello_ms) {
		g->hello_ms = m->hello_ms;
		g->hold_ms = m->hold_ms;
		g->timers_learned = true;
	}
}

/* Events g and h: a Hello from the active router. */
static void
hello_from_active(struct hsrp_group *g, const struct hsrp_msg *m,
		  const struct tw_addr *src, bool higher)
{
	hsrp_set_active(g, src);
	g->active_prio = m->priority;
	switch (g->state) {
	case S(LEARN):
		learn(g, m);
		hsrp_timer_arm(g, HSRP_TIMER_ACTIVE,
			       g->now + TW_MSEC(msg_hold_ms(g, m)));
		if (vip_known(g))
			hsrp_set_state(g, S(LISTEN), "learned virtual IP");
		break;
	case S(LISTEN):
	case S(SPEAK):
	case S(STANDBY):
		if (!higher && try_preempt(g))
			break;
		learn(g, m);
		hsrp_timer_arm(g, HSRP_TIMER_ACTIVE,
			       g->now + TW_MSEC(msg_hold_ms(g, m)));
		follow_claim(g);
		break;
	case S(ACTIVE):
		if (higher && g->follow == HSRP_FOLLOW_ACTIVE) {
			/* Our twin carries the tunnels: the group is ours. */
			g->cnt.follow_coups++;
			hsrp_set_active_self(g);
			g->active_prio = g->priority;
			hsrp_send(g, HSRP_OP_COUP);
		} else if (higher) {
			/* Another active outranks us (g): give way. */
			hsrp_timer_arm(g, HSRP_TIMER_ACTIVE,
				       g->now + TW_MSEC(msg_hold_ms(g, m)));
			arm_in(g, HSRP_TIMER_STANDBY, g->hold_ms);
			hsrp_set_state(g, S(SPEAK),
				       "higher priority active router");
		} else {
			/* Two actives and we outrank it (h): G. */
			hsrp_set_active_self(g);
			g->active_prio = g->priority;
			hsrp_send(g, HSRP_OP_COUP);
		}
		break;
	default:
		break;
	}
}

/* Events k and l: a Hello from the standby router. */
static void
hello_from_standby(struct hsrp_group *g, const struct hsrp_msg *m,
		   const struct tw_addr *src, bool higher)
{
	switch (g->state) {
	case S(LISTEN):
		hsrp_set_standby(g, src);
		g->standby_prio = m->priority;
		hsrp_timer_arm(g, HSRP_TIMER_STANDBY,
			       g->now + TW_MSEC(msg_hold_ms(g, m)));
		if (!higher)
			hsrp_set_state(g, S(SPEAK), "lower priority standby");
		break;
	case S(SPEAK):
		if (higher) {
			hsrp_set_standby(g, src);
			g->standby_prio = m->priority;
			hsrp_timer_arm(g, HSRP_TIMER_STANDBY,
				       g->now + TW_MSEC(msg_hold_ms(g, m)));
			hsrp_set_state(g, S(LISTEN),
				       "higher priority standby");
		} else {
			become_standby(g, "lower priority standby");
		}
		break;
	case S(STANDBY):
		if (!higher)
			break; /* it will yield on our Hello (k) */
		hsrp_set_standby(g, src);
		g->standby_prio = m->priority;
		hsrp_timer_arm(g, HSRP_TIMER_STANDBY,
			       g->now + TW_MSEC(msg_hold_ms(g, m)));
		hsrp_set_state(g, S(LISTEN), "higher priority standby");
		break;
	case S(ACTIVE):
		hsrp_set_standby(g, src);
		g->standby_prio = m->priority;
		hsrp_timer_arm(g, HSRP_TIMER_STANDBY,
			       g->now + TW_MSEC(msg_hold_ms(g, m)));
		break;
	default:
		break;
	}
}

/* Event f: a Hello of higher priority from a router in Speak state. */
static void
hello_from_speaker(struct hsrp_group *g)
{
	if (g->state != S(SPEAK) && g->state != S(STANDBY))
		return;
	arm_in(g, HSRP_TIMER_STANDBY, g->hold_ms);
	hsrp_set_state(g, S(LISTEN), "higher priority speaker");
}

/* Event i: Resign from the active router. */
static void
resign_from_active(struct hsrp_group *g)
{
	hsrp_set_active(g, NULL);
	switch (g->state) {
	case S(LISTEN):
		arm_in(g, HSRP_TIMER_ACTIVE, g->hold_ms);
		arm_in(g, HSRP_TIMER_STANDBY, g->hold_ms);
		hsrp_set_state(g, S(SPEAK), "active router resigned");
		break;
	case S(SPEAK):
		arm_in(g, HSRP_TIMER_ACTIVE, g->hold_ms);
		break;
	case S(STANDBY):
		if (may_activate(g))
			hsrp_set_state(g, S(ACTIVE), "active router resigned");
		break;
	default:
		break;
	}
}

/* Event j: Coup from a router that outranks us. */
static void
coup(struct hsrp_group *g, const struct hsrp_msg *m,
     const struct tw_addr *src)
{
	if (g->state != S(ACTIVE))
		return;
	if (g->follow == HSRP_FOLLOW_ACTIVE) {
		/* Not obeyed: answered, as an outranking active would. */
		g->cnt.follow_coups++;
		hsrp_send(g, HSRP_OP_COUP);
		return;
	}
	hsrp_send(g, HSRP_OP_RESIGN);
	hsrp_set_active(g, src);
	g->active_prio = m->priority;
	arm_in(g, HSRP_TIMER_ACTIVE, g->hold_ms);
	arm_in(g, HSRP_TIMER_STANDBY, g->hold_ms);
	hsrp_set_state(g, S(SPEAK), "coup from higher priority router");
}

static void
ev_packet(struct hsrp_group *g, const struct hsrp_event *ev)
{
	const struct hsrp_msg *m = ev->u.pkt.msg;
	struct tw_addr src = tw_addr_v4(ev->u.pkt.src_ip);
	struct tw_addr me = hsrp_self(g);
	char sbuf[TW_ADDR_STRLEN];
	struct hsrp_msg decoded;
	const char *why = "?";
	bool higher;

	if (hsrp_is_v6(g)) {
		src.family = TW_AF_INET6;
		memcpy(src.v6, ev->u.pkt.src_ip6, 16);
	}
	if (m == NULL) {
		if (ev->u.pkt.raw == NULL ||
		    hsrp_decode(ev->u.pkt.raw, ev->u.pkt.len, &decoded,
				&why) < 0) {
			g->cnt.bad_packets++;
			tw_log(TW_LOG_DEBUG, HSRP_LOG, "Grp %u: bad packet: %s",
			       g->cfg.group, why);
			return;
		}
		m = &decoded;
	}
	if (m->version != g->cfg.version || m->group != g->cfg.group ||
	    m->ipv6 != hsrp_is_v6(g) || tw_addr_eq(&src, &me)) {
		g->cnt.ignored++;
		return;
	}
	if (hsrp_auth_check(ev->u.pkt.raw, ev->u.pkt.len, m, g->cfg.auth,
			    g->cfg.auth_text, g->cfg.md5_key, &why) < 0) {
		g->cnt.auth_failures++;
		tw_log(TW_LOG_DEBUG, HSRP_LOG, "Grp %u: packet from "
		       "%s ignored: %s", g->cfg.group,
		       tw_addr_str(&src, sbuf, sizeof(sbuf)), why);
		return;
	}
	if (m->op == HSRP_OP_HELLO && (m->hold_ms == 0 ||
				       m->hold_ms <= m->hello_ms)) {
		g->cnt.bad_packets++;
		return;
	}
	/* Still a Hello (it says who is active), but its timers are unused. */
	if (m->op == HSRP_OP_HELLO && !timers_sane(m))
		g->cnt.timers_ignored++;
	if (g->state == S(INIT))
		return;
	higher = outranks(m->priority, &src, g->priority, &me);
	switch (m->op) {
	case HSRP_OP_HELLO:
		g->cnt.hellos_in++;
		if (m->state == S(ACTIVE))
			hello_from_active(g, m, &src, higher);
		else if (m->state == S(STANDBY))
			hello_from_standby(g, m, &src, higher);
		else if (m->state == S(SPEAK) && higher)
			hello_from_speaker(g);
		break;
	case HSRP_OP_COUP:
		g->cnt.coups_in++;
		if (higher)
			coup(g, m, &src);
		break;
	case HSRP_OP_RESIGN:
		g->cnt.resigns_in++;
		if (tw_addr_eq(&g->active, &src))
			resign_from_active(g);
		break;
	default:
		break;
	}
}

static void
ev_timer(struct hsrp_group *g, enum hsrp_timer t)
{
	if (g->deadline[t] == TW_TIME_NEVER || g->now < g->deadline[t]) {
		g->cnt.stale_timers++;
		return;
	}
	g->deadline[t] = TW_TIME_NEVER;
	switch (t) {
	case HSRP_TIMER_ACTIVE: /* c */
		hsrp_set_active(g, NULL);
		if (g->state == S(LISTEN)) {
			arm_in(g, HSRP_TIMER_ACTIVE, g->hold_ms);
			arm_in(g, HSRP_TIMER_STANDBY, g->hold_ms);
			hsrp_set_state(g, S(SPEAK), "active timer expired");
		} else if (g->state == S(STANDBY) && may_activate(g)) {
			hsrp_set_state(g, S(ACTIVE), "active timer expired");
		}
		break;
	case HSRP_TIMER_STANDBY: /* d */
		if (!hsrp_is_self(g, &g->standby))
			hsrp_set_standby(g, NULL);
		if (g->state == S(LISTEN)) {
			arm_in(g, HSRP_TIMER_STANDBY, g->hold_ms);
			hsrp_set_state(g, S(SPEAK), "standby timer expired");
		} else if (g->state == S(SPEAK)) {
			become_standby(g, "standby timer expired");
		}
		break;
	case HSRP_TIMER_HELLO: /* e */
		if (g->state == S(SPEAK) || g->state == S(STANDBY) ||
		    g->state == S(ACTIVE)) {
			hsrp_send(g, HSRP_OP_HELLO);
			arm_in(g, HSRP_TIMER_HELLO, g->hello_ms);
		}
		break;
	case HSRP_TIMER_PREEMPT:
		/* The delay is over: preempt if the active is still below us
		 * and still alive. */
		if (hsrp_timer_armed(g, HSRP_TIMER_ACTIVE))
			try_preempt(g);
		break;
	default:
		break;
	}
}

/* Effective priority: configured minus the decrements of what is down. */
static void
update_priority(struct hsrp_group *g, const char *why)
{
	uint32_t dec = 0, p;
	unsigned int i;

	for (i = 0; i < g->cfg.n_track; i++)
		if (g->track_down & (1u << i))
			dec += g->cfg.track[i].decrement;
	p = dec >= g->cfg.priority ? 0 : g->cfg.priority - dec;
	if (p == g->priority)
		return;
	tw_log(TW_LOG_NOTICE, HSRP_LOG, "Grp %u: priority %u -> %u (%s)",
	       g->cfg.group, g->priority, p, why);
	g->priority = p;
	switch (g->state) {
	case S(ACTIVE):
		/*
		 * Tell the group at once. We do not resign on our own: a
		 * preempting router that now outranks us sends a Coup (its
		 * event h), and the Coup makes us resign (event j).
		 */
		g->active_prio = p;
		hsrp_send(g, HSRP_OP_HELLO);
		break;
	case S(STANDBY):
		g->standby_prio = p;
		/* fall through */
	case S(SPEAK):
		hsrp_send(g, HSRP_OP_HELLO);
		/* fall through */
	case S(LISTEN):
		/* Recovery: we may now outrank a lower active router. */
		if (hsrp_timer_armed(g, HSRP_TIMER_ACTIVE))
			try_preempt(g);
		break;
	default:
		break;
	}
}

static int
ev_track(struct hsrp_group *g, uint32_t id, bool down)
{
	unsigned int i;

	for (i = 0; i < g->cfg.n_track; i++) {
		if (g->cfg.track[i].id != id)
			continue;
		if (down)
			g->track_down |= 1u << i;
		else
			g->track_down &= ~(1u << i);
		update_priority(g, down ? "tracked object down" :
				"tracked object up");
		return 0;
	}
	return -ENOENT;
}

/* Leave Active for an operator, and do not preempt back until enabled. */
static void
ev_admin_resign(struct hsrp_group *g)
{
	g->no_preempt = true;
	hsrp_timer_cancel(g, HSRP_TIMER_PREEMPT);
	if (g->state != S(ACTIVE))
		return;
	hsrp_send(g, HSRP_OP_RESIGN);
	hsrp_set_active(g, NULL);
	arm_in(g, HSRP_TIMER_ACTIVE, g->hold_ms);
	arm_in(g, HSRP_TIMER_STANDBY, g->hold_ms);
	hsrp_set_state(g, S(SPEAK), "resigned by operator");
}

/* HSRP_EV_FOLLOW (hsrp.h). */
static int
ev_follow(struct hsrp_group *g, enum hsrp_follow f)
{
	if ((unsigned int)f >= HSRP_FOLLOW_MAX)
		return -EINVAL;
	if (g->follow == f)
		return 0;
	g->follow = f;
	switch (f) {
	case HSRP_FOLLOW_ACTIVE:
		follow_claim(g);
		break;
	case HSRP_FOLLOW_STANDBY:
		if (g->state != S(ACTIVE))
			break;
		hsrp_send(g, HSRP_OP_RESIGN);
		hsrp_set_active(g, NULL);
		arm_in(g, HSRP_TIMER_ACTIVE, g->hold_ms);
		arm_in(g, HSRP_TIMER_STANDBY, g->hold_ms);
		hsrp_set_state(g, S(SPEAK), "following the redundancy role");
		break;
	default:
		/*
		 * Free again: a Standby with nobody active (its timer ran
		 * out, or the active resigned, while it was held) takes
		 * over.
		 */
		if (g->state == S(STANDBY) &&
		    (!hsrp_known(&g->active) ||
		     !hsrp_timer_armed(g, HSRP_TIMER_ACTIVE)))
			hsrp_set_state(g, S(ACTIVE), "no active router");
		break;
	}
	return 0;
}

int
hsrp_event(struct hsrp_group *g, const struct hsrp_event *ev, tw_time_t now,
	   struct hsrp_action *acts, unsigned int max)
{
	int rc = 0;

	if (g == NULL || ev == NULL || acts == NULL || max < HSRP_ACTIONS_MAX)
		return -EINVAL;
	g->now = now;
	g->out = acts;
	g->n_out = 0;
	g->max_out = max;
	switch (ev->type) {
	case HSRP_EV_PACKET:
		ev_packet(g, ev);
		break;
	case HSRP_EV_TIMER:
		if ((unsigned int)ev->u.timer >= HSRP_TIMER_MAX) {
			rc = -EINVAL;
			break;
		}
		ev_timer(g, ev->u.timer);
		break;
	case HSRP_EV_IF_UP:
		g->if_up = true;
		ev_up(g);
		break;
	case HSRP_EV_IF_DOWN:
		g->if_up = false;
		ev_down(g, "interface down");
		break;
	case HSRP_EV_TRACK_UP:
	case HSRP_EV_TRACK_DOWN:
		rc = ev_track(g, ev->u.track_id,
			      ev->type == HSRP_EV_TRACK_DOWN);
		break;
	case HSRP_EV_PRIORITY:
		g->cfg.priority = ev->u.priority;
		update_priority(g, "configured");
		break;
	case HSRP_EV_ADMIN_RESIGN:
		ev_admin_resign(g);
		break;
	case HSRP_EV_ADMIN_SHUTDOWN:
		g->admin_down = true;
		ev_down(g, "shut down by operator");
		break;
	case HSRP_EV_ADMIN_ENABLE:
		g->admin_down = false;
		g->no_preempt = false;
		ev_up(g);
		break;
	case HSRP_EV_FOLLOW:
		rc = ev_follow(g, ev->u.follow);
		break;
	case HSRP_EV_ACTIVE_GONE:
		if (hsrp_known(&g->active) && !hsrp_is_self(g, &g->active))
			resign_from_active(g);
		break;
	default:
		rc = -EINVAL;
		break;
	}
	g->out = NULL;
	g->max_out = 0;
	return rc < 0 ? rc : (int)g->n_out;
}
