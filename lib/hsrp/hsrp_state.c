/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The HSRP transition table and the one function that changes state.
 *
 * RFC 2281 6.6 as implemented (events 6.4 a-l; actions 6.5: A start active
 * timer, B start standby timer, C stop active timer, D stop standby timer,
 * E learn parameters, F send Hello, G send Coup, H send Resign). "P" marks
 * the preempt condition (preempt configured, delay over, not suppressed).
 *
 *            Init    Learn   Listen    Speak     Standby    Active
 *  a up      AB ->2/3*
 *  b down            CD->1   CD->1     CD->1     CD->1      CDH->1
 *  c act.exp                 AB->4     C         ->6        -
 *  d sby.exp                 B->4      D->5**    -          -
 *  e hello                             F         F          F
 *  f Speak>                            B->3      B->3       -
 *  g Active>         AE->3   AE        AE        AE         AB->4
 *  h Active<         AE->3   P:G->6    P:G->6    P:G->6     G
 *                            else AE   else AE   else AE
 *  i Resign                  AB->4     A         ->6        -
 *  j Coup>                                                  ABH->4
 *  k Standby>                B         B->3      B->3       B
 *  l Standby<                B->4      D->5**    -          B
 *
 *  *  Listen when the virtual IP is known, Learn otherwise.
 *  ** Entering Standby with no active router known (active timer idle)
 *     goes on to Active at once: the Speak -> Standby -> Active sequence
 *     IOS logs for a lone router. It also makes the outcome independent
 *     of the order in which simultaneous active/standby expiries are fed.
 *
 * Entry actions (run by hsrp_set_state): leaving Active releases the VIP;
 * Init stops every timer; Learn/Listen stop the hello timer; Speak and
 * Standby send a Hello and start the hello timer (Standby also stops D);
 * Active stops the active, standby and preempt timers, claims the VIP,
 * sends a Hello from the virtual MAC, a gratuitous ARP, and starts the
 * hello timer.
 */
#include <errno.h>
#include <string.h>

#include "hsrp_priv.h"
#include "tw_fsm.h"
#include "tw_log.h"

#define S(x) HSRP_STATE_##x
#define B(x) TW_FSM_BIT(HSRP_STATE_##x)

/* The state names, as IOS shows them (hsrp_state_name()). */
static const char *const state_names[HSRP_STATE_MAX] = {
	[S(INIT)] = "Init",
	[S(LEARN)] = "Learn",
	[S(LISTEN)] = "Listen",
	[S(SPEAK)] = "Speak",
	[S(STANDBY)] = "Standby",
	[S(ACTIVE)] = "Active",
};

/* Allowed next states, per state; setting the current state is a no-op. */
static const uint32_t next[HSRP_STATE_MAX] = {
	[S(INIT)] = B(LEARN) | B(LISTEN),
	[S(LEARN)] = B(INIT) | B(LISTEN),
	[S(LISTEN)] = B(INIT) | B(SPEAK) | B(ACTIVE),
	[S(SPEAK)] = B(INIT) | B(LISTEN) | B(STANDBY) | B(ACTIVE),
	[S(STANDBY)] = B(INIT) | B(LISTEN) | B(ACTIVE),
	[S(ACTIVE)] = B(INIT) | B(SPEAK),
};

_Static_assert(HSRP_STATE_MAX <= TW_FSM_STATES_MAX, "HSRP states fit a mask");

static const struct tw_fsm hsrp_fsm = {
	.module = HSRP_LOG,
	.n_states = HSRP_STATE_MAX,
	.names = state_names,
	.next = next,
};

const char *
hsrp_state_name(enum hsrp_state s)
{
	return tw_fsm_name(&hsrp_fsm, s);
}

bool
hsrp_transition_allowed(enum hsrp_state from, enum hsrp_state to)
{
	return tw_fsm_allowed(&hsrp_fsm, from, to);
}

static void
start_hello(struct hsrp_group *g)
{
	hsrp_send(g, HSRP_OP_HELLO);
	hsrp_timer_arm(g, HSRP_TIMER_HELLO, g->now + TW_MSEC(g->hello_ms));
}

static void
enter(struct hsrp_group *g, enum hsrp_state to)
{
	struct tw_addr me;

	switch (to) {
	case S(INIT):
		hsrp_timer_cancel_all(g);
		hsrp_set_active(g, NULL);
		hsrp_set_standby(g, NULL);
		break;
	case S(LEARN):
	case S(LISTEN):
		hsrp_timer_cancel(g, HSRP_TIMER_HELLO);
		if (hsrp_is_self(g, &g->standby))
			hsrp_set_standby(g, NULL);
		break;
	case S(SPEAK):
		if (hsrp_is_self(g, &g->standby))
			hsrp_set_standby(g, NULL);
		start_hello(g);
		break;
	case S(STANDBY):
		hsrp_timer_cancel(g, HSRP_TIMER_STANDBY);
		me = hsrp_self(g);
		hsrp_set_standby(g, &me);
		g->standby_prio = g->priority;
		start_hello(g);
		break;
	case S(ACTIVE):
		hsrp_timer_cancel(g, HSRP_TIMER_ACTIVE);
		hsrp_timer_cancel(g, HSRP_TIMER_PREEMPT);
		if (hsrp_is_self(g, &g->standby)) {
			hsrp_set_standby(g, NULL);
			hsrp_timer_cancel(g, HSRP_TIMER_STANDBY);
		}
		hsrp_set_active_self(g);
		g->active_prio = g->priority;
		hsrp_vip_action(g, HSRP_ACT_CLAIM_VIP);
		start_hello(g);
		/* IPv6: unsolicited NA (RFC 4861 7.2.6) in place of GARP. */
		hsrp_vip_action(g, hsrp_is_v6(g) ? HSRP_ACT_NA :
				HSRP_ACT_GARP);
		break;
	default:
		break;
	}
}

int
hsrp_set_state(struct hsrp_group *g, enum hsrp_state to, const char *reason)
{
	enum hsrp_state from = g->state;
	struct hsrp_action *a;

	switch (tw_fsm_check(&hsrp_fsm, from, to, reason,
			     &g->cnt.illegal_transitions, "%s%sGrp %u",
			     g->cfg.ifname, g->cfg.ifname[0] != '\0' ? " " : "",
			     g->cfg.group)) {
	case TW_FSM_SAME:
		return 0;
	case TW_FSM_ILLEGAL:
		return -EPERM;
	case TW_FSM_GO:
		break;
	}
	if (from == S(ACTIVE))
		hsrp_vip_action(g, HSRP_ACT_RELEASE_VIP);
	g->state = to;
	g->last_change = g->now;
	g->last_reason = reason;
	tw_fsm_changed(&hsrp_fsm, TW_LOG_NOTICE, from, to, reason,
		       &g->cnt.state_changes, "%s%sGrp %u", g->cfg.ifname,
		       g->cfg.ifname[0] != '\0' ? " " : "", g->cfg.group);
	a = hsrp_act_push(g, HSRP_ACT_STATE);
	if (a != NULL) {
		a->u.state.from = from;
		a->u.state.to = to;
		a->u.state.reason = reason;
	}
	enter(g, to);
	return 0;
}
