/* SPDX-License-Identifier: BSD-3-Clause */
/* What "show redundancy" prints, from one RF (IOS vocabulary). */
#include <string.h>

#include "rf_priv.h"

static uint64_t
ms_since(tw_time_t now, tw_time_t then)
{
	return now > then ? (now - then) / TW_NSEC_PER_MSEC : 0;
}

void
rf_status(const struct rf *rf, tw_time_t now, struct rf_status *out)
{
	memset(out, 0, sizeof(*out));
	out->configured = rf->cfg.enabled;
	out->my_state = rf->state;
	out->peer_state = rf->comm_up && !rf->peer_silent ? rf->peer_state :
		RF_STATE_DISABLED;
	out->my_state_name = rf_state_name(out->my_state);
	out->peer_state_name = rf_state_name(out->peer_state);
	out->duplex = rf->comm_up && rf->peer_hello && !rf->peer_silent;
	out->comm_up = rf->comm_up && !rf->peer_silent;
	out->peer_silent = rf->peer_silent;
	out->manual_swact = rf->state == RF_STATE_ACTIVE && rf->comm_up &&
		rf->peer_state == RF_STATE_STANDBY_HOT;
	out->keepalive_ms = rf->cfg.keepalive_ms;
	out->keepalive_threshold = rf->cfg.keepalive_threshold;
	out->keepalive_count = rf->ka_missed;
	out->keepalives_sent = rf->cnt.keepalives_out;
	out->keepalives_received = rf->cnt.keepalives_in;
	out->keepalives_missed = rf->cnt.keepalives_missed;
	out->switchovers = rf->cnt.switchovers;
	out->uptime_ms = ms_since(now, rf->started);
	out->in_state_ms = ms_since(now, rf->last_change);
	out->comm_up_ms = rf->comm_up ? ms_since(now, rf->comm_since) : 0;
	out->last_reason = rf->last_reason;
	out->mismatch = rf->comm_up ? rf->mismatch : "";
	out->peer_hostname = rf->peer_hello ? rf->peer_hostname : "";
	out->bulk_got = rf->bulk_got;
	out->bulk_expect = rf->bulk_expect;
	out->split = rf->split;
	out->split_won = rf->split_won;
	out->yield = rf->yield;
	out->split_ms = rf->split ? ms_since(now, rf->split_since) :
		rf->split_last_ms;
	out->splits = rf->cnt.splits;
	out->splits_won = rf->cnt.splits_won;
	out->splits_lost = rf->cnt.splits_lost;
	out->split_rule = rf->split_rule;
}
