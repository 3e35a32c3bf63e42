/* SPDX-License-Identifier: BSD-3-Clause */
/* RF actions: the array an event fills, deadlines, the messages we send. */
#include <string.h>

#include "rf_priv.h"
#include "tw_log.h"

static const char *const action_names[RF_ACT_MAX] = {
	[RF_ACT_SEND] = "send",
	[RF_ACT_ARM] = "arm",
	[RF_ACT_CANCEL] = "cancel",
	[RF_ACT_TAKEOVER] = "takeover",
	[RF_ACT_RELINQUISH] = "relinquish",
	[RF_ACT_BULK_SEND] = "bulk send",
	[RF_ACT_BULK_BEGIN] = "bulk begin",
	[RF_ACT_BULK_COMMIT] = "bulk commit",
	[RF_ACT_DROP_DECOUPLED] = "drop decoupled",
	[RF_ACT_RESIGN] = "resign",
	[RF_ACT_DISCONNECT] = "disconnect",
	[RF_ACT_STATE] = "state",
	[RF_ACT_SPLIT] = "split",
};

static const char *const timer_names[RF_TIMER_MAX] = {
	[RF_TIMER_KEEPALIVE] = "keep-alive",
	[RF_TIMER_BULK] = "bulk",
	[RF_TIMER_SPLIT] = "split",
};

const char *
rf_action_name(enum rf_action_type a)
{
	if ((unsigned int)a >= RF_ACT_MAX)
		return "?";
	return action_names[a];
}

const char *
rf_timer_name(enum rf_timer t)
{
	if ((unsigned int)t >= RF_TIMER_MAX)
		return "?";
	return timer_names[t];
}

struct rf_action *
rf_act_push(struct rf *rf, enum rf_action_type type)
{
	struct rf_action *a;

	if (rf->out == NULL || rf->n_out >= rf->max_out) {
		rf->cnt.action_overflow++;
		tw_log(TW_LOG_ERR, RF_LOG, "RF: action array full, %s dropped",
		       rf_action_name(type));
		return NULL;
	}
	a = &rf->out[rf->n_out++];
	memset(a, 0, sizeof(*a));
	a->type = type;
	return a;
}

void
rf_act_simple(struct rf *rf, enum rf_action_type type)
{
	(void)rf_act_push(rf, type);
}

void
rf_timer_arm(struct rf *rf, enum rf_timer t, tw_time_t at)
{
	struct rf_action *a = rf_act_push(rf, RF_ACT_ARM);

	rf->deadline[t] = at;
	if (a != NULL) {
		a->u.timer.which = t;
		a->u.timer.at = at;
	}
}

void
rf_timer_cancel(struct rf *rf, enum rf_timer t)
{
	struct rf_action *a;

	if (rf->deadline[t] == TW_TIME_NEVER)
		return;
	rf->deadline[t] = TW_TIME_NEVER;
	a = rf_act_push(rf, RF_ACT_CANCEL);
	if (a != NULL)
		a->u.timer.which = t;
}

void
rf_timer_cancel_all(struct rf *rf)
{
	unsigned int t;

	for (t = 0; t < RF_TIMER_MAX; t++)
		rf_timer_cancel(rf, (enum rf_timer)t);
}

tw_time_t
rf_silence(const struct rf *rf)
{
	return TW_MSEC((uint64_t)rf->cfg.keepalive_ms *
		       rf->cfg.keepalive_threshold);
}

enum sync_role
rf_my_role(const struct rf *rf)
{
	if (rf->state == RF_STATE_ACTIVE || rf->state == RF_STATE_ACTIVE_FAST)
		return SYNC_ROLE_ACTIVE;
	if (rf_state_is_standby(rf->state))
		return SYNC_ROLE_STANDBY;
	if (!rf->group_known)
		return SYNC_ROLE_NONE;
	return rf->group_active ? SYNC_ROLE_ACTIVE : SYNC_ROLE_STANDBY;
}

static void
send(struct rf *rf, const struct sync_msg *m)
{
	struct rf_action *a = rf_act_push(rf, RF_ACT_SEND);

	if (a != NULL)
		a->u.send.msg = m;
}

void
rf_send_hello(struct rf *rf)
{
	struct sync_hello *h = &rf->tx_hello.u.hello;

	rf->tx_hello.version = SYNC_MSG_VERSION;
	rf->tx_hello.type = SYNC_MSG_HELLO;
	h->proto_version = SYNC_PROTO_VERSION;
	h->role = rf_my_role(rf);
	h->state = (uint8_t)rf->state;
	memcpy(h->hostname, rf->cfg.hostname, sizeof(h->hostname));
	h->digest = rf->cfg.digest;
	h->rank_known = true;
	h->rank_priority = rf->cfg.rank_priority;
	h->rank_addr = rf->cfg.rank_addr;
	h->yielding = rf->yield_announce;
	rf->yield_announce = false;
	/* The age of our IKE state as this HELLO leaves (rf.h). */
	h->fresh_known = true;
	if (rf->fresh_at == 0 || !rf_is_active(rf))
		h->fresh_age_ms = SYNC_FRESH_NONE;
	else if (rf->fresh_at >= rf->now)
		h->fresh_age_ms = 0;
	else if ((rf->now - rf->fresh_at) / TW_NSEC_PER_MSEC >=
		 SYNC_FRESH_NONE)
		h->fresh_age_ms = SYNC_FRESH_NONE - 1;
	else
		h->fresh_age_ms = (uint32_t)((rf->now - rf->fresh_at) /
					     TW_NSEC_PER_MSEC);
	rf->hello_sent = true;
	rf->hello_at = rf->now;
	rf->cnt.hellos_out++;
	send(rf, &rf->tx_hello);
}

void
rf_send_keepalive(struct rf *rf)
{
	struct sync_keepalive *k = &rf->tx_keepalive.u.keepalive;

	rf->tx_keepalive.version = SYNC_MSG_VERSION;
	rf->tx_keepalive.type = SYNC_MSG_KEEPALIVE;
	k->role = rf_my_role(rf);
	k->state = (uint8_t)rf->state;
	k->hello_seen = rf->peer_hello;
	rf->cnt.keepalives_out++;
	k->count = (uint32_t)rf->cnt.keepalives_out;
	send(rf, &rf->tx_keepalive);
}

void
rf_send_bulk_request(struct rf *rf)
{
	rf->tx_bulk_request.version = SYNC_MSG_VERSION;
	rf->tx_bulk_request.type = SYNC_MSG_BULK_REQUEST;
	rf->tx_bulk_request.u.bulk.id = rf->bulk_id;
	rf->tx_bulk_request.u.bulk.count = 0;
	rf->cnt.bulk_requests_out++;
	send(rf, &rf->tx_bulk_request);
}
