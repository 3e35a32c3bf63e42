/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The RF transition table and the one function that changes state.
 *
 *   from \ to        DIS INIT NEG COLD C-BULK HOT A-FAST ACTIVE
 *   DISABLED              x
 *   INITIALIZATION    x        x   x               x
 *   NEGOTIATION       x   x        x               x
 *   STANDBY COLD      x        x       x           x
 *   STANDBY COLD-BULK x            x          x    x
 *   STANDBY HOT       x            x               x
 *   ACTIVE FAST       x            x                      x
 *   ACTIVE            x            x
 *
 * INITIALIZATION -> NEGOTIATION: connected before the scheme group said
 * anything; NEGOTIATION -> INITIALIZATION: lost it again. Every standby
 * state falls back to COLD when the twin or its state goes away; only
 * COLD-BULK reaches HOT (a complete bulk sync); any state but DISABLED can
 * be told by HSRP to become active, and ACTIVE only leaves for COLD
 * (relinquish) or DISABLED.
 *
 * Entry actions (run by rf_set_state):
 *   leaving ACTIVE FAST / ACTIVE for a standby state: RELINQUISH, HELLO
 *   (our role changed);
 *   ACTIVE FAST: TAKEOVER (from, hot), HELLO; a bulk sync in progress
 *   is abandoned;
 *   ACTIVE: serve a bulk request that arrived during ACTIVE FAST;
 *   STANDBY COLD-BULK: BULK_BEGIN;
 *   DISABLED: every timer stopped.
 * Every other change tells the twin our new state with a KEEPALIVE.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "rf_priv.h"
#include "tw_fsm.h"
#include "tw_log.h"

#define S(x) RF_STATE_##x
#define B(x) TW_FSM_BIT(RF_STATE_##x)

static const char *const state_names[RF_STATE_MAX] = {
	[S(DISABLED)] = "DISABLED",
	[S(INITIALIZATION)] = "INITIALIZATION",
	[S(NEGOTIATION)] = "NEGOTIATION",
	[S(STANDBY_COLD)] = "STANDBY COLD",
	[S(STANDBY_COLD_CONFIG)] = "STANDBY COLD-CONFIG",
	[S(STANDBY_COLD_FILESYS)] = "STANDBY COLD-FILESYS",
	[S(STANDBY_COLD_BULK)] = "STANDBY COLD-BULK",
	[S(STANDBY_HOT)] = "STANDBY HOT",
	[S(ACTIVE_FAST)] = "ACTIVE FAST",
	[S(ACTIVE_DRAIN)] = "ACTIVE DRAIN",
	[S(ACTIVE_PRECONFIG)] = "ACTIVE PRECONFIG",
	[S(ACTIVE_POSTCONFIG)] = "ACTIVE POSTCONFIG",
	[S(ACTIVE)] = "ACTIVE",
};

/* Allowed next states, per state; setting the current state is a no-op. */
static const uint32_t next[RF_STATE_MAX] = {
	[S(DISABLED)] = B(INITIALIZATION),
	[S(INITIALIZATION)] = B(DISABLED) | B(NEGOTIATION) | B(STANDBY_COLD) |
		B(ACTIVE_FAST),
	[S(NEGOTIATION)] = B(DISABLED) | B(INITIALIZATION) | B(STANDBY_COLD) |
		B(ACTIVE_FAST),
	[S(STANDBY_COLD)] = B(DISABLED) | B(NEGOTIATION) |
		B(STANDBY_COLD_BULK) | B(ACTIVE_FAST),
	[S(STANDBY_COLD_BULK)] = B(DISABLED) | B(STANDBY_COLD) |
		B(STANDBY_HOT) | B(ACTIVE_FAST),
	[S(STANDBY_HOT)] = B(DISABLED) | B(STANDBY_COLD) | B(ACTIVE_FAST),
	[S(ACTIVE_FAST)] = B(DISABLED) | B(STANDBY_COLD) | B(ACTIVE),
	[S(ACTIVE)] = B(DISABLED) | B(STANDBY_COLD),
};

_Static_assert(RF_STATE_MAX <= TW_FSM_STATES_MAX, "RF states fit a mask");

/* The enum starts at 1 (the IOS numbers): state 0 has no name, no way. */
static const struct tw_fsm rf_fsm = {
	.module = RF_LOG,
	.n_states = RF_STATE_MAX,
	.names = state_names,
	.next = next,
};

const char *
rf_state_name(enum rf_state s)
{
	return tw_fsm_name(&rf_fsm, s);
}

bool
rf_transition_allowed(enum rf_state from, enum rf_state to)
{
	return tw_fsm_allowed(&rf_fsm, from, to);
}

bool
rf_state_is_standby(enum rf_state s)
{
	return s >= S(STANDBY_COLD) && s <= S(STANDBY_HOT);
}

static bool
is_active(enum rf_state s)
{
	return s >= S(ACTIVE_FAST);
}

static void
enter(struct rf *rf, enum rf_state from, enum rf_state to)
{
	struct rf_action *a;
	bool told = false;

	if (is_active(from) && !is_active(to) && to != S(DISABLED)) {
		rf->cnt.relinquishes++;
		rf_act_simple(rf, RF_ACT_RELINQUISH);
		rf->synced = false;
		rf->bulk_pending = false;
		if (rf->comm_up) {
			rf_send_hello(rf);
			told = true;
		}
	}
	switch (to) {
	case S(DISABLED):
		rf_timer_cancel_all(rf);
		break;
	case S(ACTIVE_FAST):
		rf->cnt.takeovers++;
		rf->takeover_from = from;
		rf->takeover_at = rf->now;
		rf->bulk_in = false;
		rf->bulk_requested = false;
		rf->bulk_hold = false;
		rf_timer_cancel(rf, RF_TIMER_BULK);
		a = rf_act_push(rf, RF_ACT_TAKEOVER);
		if (a != NULL) {
			a->u.takeover.from = from;
			a->u.takeover.hot = from == S(STANDBY_HOT);
		}
		if (from == S(STANDBY_HOT))
			tw_log(TW_LOG_NOTICE, RF_LOG,
			       "RF: taking over from STANDBY HOT");
		else
			tw_log(TW_LOG_WARNING, RF_LOG,
			       "RF: taking over from %s: the SA state held may be incomplete",
			       rf_state_name(from));
		if (rf->comm_up) {
			rf_send_hello(rf);
			told = true;
		}
		break;
	case S(ACTIVE):
		if (rf->bulk_pending) {
			rf->bulk_pending = false;
			rf->cnt.bulks_sent++;
			a = rf_act_push(rf, RF_ACT_BULK_SEND);
			if (a != NULL)
				a->u.bulk.id = rf->bulk_pending_id;
		}
		break;
	case S(STANDBY_COLD_BULK):
		rf_act_simple(rf, RF_ACT_BULK_BEGIN);
		break;
	default:
		break;
	}
	if (!told && rf->comm_up && to != S(DISABLED))
		rf_send_keepalive(rf);
}

int
rf_set_state(struct rf *rf, enum rf_state to, const char *reason)
{
	enum rf_state from = rf->state;
	struct rf_action *a;

	switch (tw_fsm_check(&rf_fsm, from, to, reason,
			     &rf->cnt.illegal_transitions, "RF")) {
	case TW_FSM_SAME:
		return 0;
	case TW_FSM_ILLEGAL:
		return -EPERM;
	case TW_FSM_GO:
		break;
	}
	rf->state = to;
	rf->last_change = rf->now;
	snprintf(rf->last_reason, sizeof(rf->last_reason), "%s", reason);
	tw_fsm_changed(&rf_fsm, TW_LOG_NOTICE, from, to, reason,
		       &rf->cnt.state_changes, "RF");
	a = rf_act_push(rf, RF_ACT_STATE);
	if (a != NULL) {
		a->u.state.from = from;
		a->u.state.to = to;
		a->u.state.reason = rf->last_reason;
	}
	enter(rf, from, to);
	return 0;
}
