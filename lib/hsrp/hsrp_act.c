/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Actions the engine hands back: timers (RFC 2281 6.5 A-D as deadlines),
 * packets (6.5 F-H) and the VIP. Appended to the caller's array for the
 * event being processed.
 */
#include <string.h>

#include "hsrp_priv.h"
#include "tw_log.h"

static const char *const timer_names[HSRP_TIMER_MAX] = {
	[HSRP_TIMER_ACTIVE] = "active",
	[HSRP_TIMER_STANDBY] = "standby",
	[HSRP_TIMER_HELLO] = "hello",
	[HSRP_TIMER_PREEMPT] = "preempt",
};

static const char *const action_names[HSRP_ACT_MAX] = {
	[HSRP_ACT_SEND] = "send",
	[HSRP_ACT_ARM] = "arm",
	[HSRP_ACT_CANCEL] = "cancel",
	[HSRP_ACT_CLAIM_VIP] = "claim-vip",
	[HSRP_ACT_RELEASE_VIP] = "release-vip",
	[HSRP_ACT_GARP] = "garp",
	[HSRP_ACT_STATE] = "state",
	[HSRP_ACT_NA] = "unsolicited-na",
};

const char *
hsrp_timer_name(enum hsrp_timer t)
{
	if ((unsigned int)t >= HSRP_TIMER_MAX)
		return "?";
	return timer_names[t];
}

const char *
hsrp_action_name(enum hsrp_action_type a)
{
	if ((unsigned int)a >= HSRP_ACT_MAX)
		return "?";
	return action_names[a];
}

struct hsrp_action *
hsrp_act_push(struct hsrp_group *g, enum hsrp_action_type type)
{
	struct hsrp_action *a;

	if (g->out == NULL || g->n_out >= g->max_out) {
		/* HSRP_ACTIONS_MAX is sized for the worst event: a bug. */
		g->cnt.action_overflow++;
		tw_log(TW_LOG_ERR, HSRP_LOG, "Grp %u: action list full, %s lost",
		       g->cfg.group, hsrp_action_name(type));
		return NULL;
	}
	a = &g->out[g->n_out++];
	memset(a, 0, sizeof(*a));
	a->type = type;
	return a;
}

void
hsrp_timer_arm(struct hsrp_group *g, enum hsrp_timer t, tw_time_t at)
{
	struct hsrp_action *a;

	g->deadline[t] = at;
	a = hsrp_act_push(g, HSRP_ACT_ARM);
	if (a == NULL)
		return;
	a->u.timer.which = t;
	a->u.timer.at = at;
}

void
hsrp_timer_cancel(struct hsrp_group *g, enum hsrp_timer t)
{
	struct hsrp_action *a;

	if (g->deadline[t] == TW_TIME_NEVER)
		return;
	g->deadline[t] = TW_TIME_NEVER;
	a = hsrp_act_push(g, HSRP_ACT_CANCEL);
	if (a != NULL)
		a->u.timer.which = t;
}

void
hsrp_timer_cancel_all(struct hsrp_group *g)
{
	unsigned int t;

	for (t = 0; t < HSRP_TIMER_MAX; t++)
		hsrp_timer_cancel(g, (enum hsrp_timer)t);
}

static void
mcast_mac(uint32_t group_addr, uint8_t mac[6])
{
	/* RFC 1112 6.4: 01:00:5e + the low 23 bits of the group. */
	mac[0] = 0x01;
	mac[1] = 0x00;
	mac[2] = 0x5e;
	mac[3] = (group_addr >> 16) & 0x7f;
	mac[4] = (group_addr >> 8) & 0xff;
	mac[5] = group_addr & 0xff;
}

void
hsrp_send(struct hsrp_group *g, enum hsrp_op op)
{
	const struct hsrp_config *c = &g->cfg;
	struct hsrp_action *a;
	struct hsrp_msg m;
	int n;

	memset(&m, 0, sizeof(m));
	m.version = c->version;
	m.op = op;
	m.state = g->state;
	m.group = c->group;
	m.priority = g->priority;
	/* RFC 5.1: a sender inserts the Hellotime and Holdtime it uses. */
	m.hello_ms = g->hello_ms;
	m.hold_ms = g->hold_ms;
	m.vip = g->vip;
	m.ipv6 = hsrp_is_v6(g);
	if (m.ipv6)
		memcpy(m.vip6, g->vip6, 16);
	memcpy(m.id, c->if_mac, 6);
	m.auth = c->auth;
	if (c->auth == HSRP_AUTH_TEXT)
		memcpy(m.text, c->auth_text,
		       strnlen(c->auth_text, HSRP_AUTH_TEXT_LEN));
	m.md5_algo = HSRP_MD5_ALGO;
	m.md5_ip = m.ipv6 ? 0 : c->if_ip;
	m.md5_key_id = c->md5_key_id;

	a = hsrp_act_push(g, HSRP_ACT_SEND);
	if (a == NULL)
		return;
	n = hsrp_encode(&m, c->md5_key, a->u.send.data,
			sizeof(a->u.send.data));
	if (n < 0) {
		/* The config was checked, so only OpenSSL can fail here. */
		tw_log(TW_LOG_ERR, HSRP_LOG, "Grp %u: cannot encode %s: %d",
		       c->group, hsrp_op_name(op), n);
		g->n_out--;
		return;
	}
	a->u.send.op = op;
	a->u.send.len = (uint16_t)n;
	/* The active router speaks from the virtual MAC (RFC 2281 3). */
	if (g->state == HSRP_STATE_ACTIVE || op != HSRP_OP_HELLO)
		memcpy(a->u.send.src_mac, g->vmac, 6);
	else
		memcpy(a->u.send.src_mac, c->if_mac, 6);
	if (m.ipv6) {
		a->u.send.ipv6 = true;
		memcpy(a->u.send.src_ip6, c->if_ip6, 16);
		memcpy(a->u.send.dst_ip6, hsrp_v6_group_addr, 16);
		tw_addr6_mcast_mac(hsrp_v6_group_addr, a->u.send.dst_mac);
	} else {
		a->u.send.src_ip = c->if_ip;
		a->u.send.dst_ip = c->version == 1 ? HSRP_V1_GROUP_ADDR :
			HSRP_V2_GROUP_ADDR;
		mcast_mac(a->u.send.dst_ip, a->u.send.dst_mac);
	}
	switch (op) {
	case HSRP_OP_HELLO:
		g->cnt.hellos_out++;
		break;
	case HSRP_OP_COUP:
		g->cnt.coups_out++;
		break;
	case HSRP_OP_RESIGN:
		g->cnt.resigns_out++;
		break;
	default:
		break;
	}
}

void
hsrp_vip_action(struct hsrp_group *g, enum hsrp_action_type type)
{
	struct hsrp_action *a = hsrp_act_push(g, type);

	if (a == NULL)
		return;
	a->u.vip.addr = g->vip;
	memcpy(a->u.vip.vmac, g->vmac, 6);
	if (hsrp_is_v6(g)) {
		a->u.vip.ipv6 = true;
		memcpy(a->u.vip.addr6, g->vip6, 16);
	}
}
