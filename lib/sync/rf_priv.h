/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef RF_PRIV_H
#define RF_PRIV_H

/* Shared between the RF engine's files; not for callers. */

#include "rf.h"

#define RF_LOG "sync"

/*
 * rf_act.c: append actions to rf->out for the event being processed; push
 * returns NULL (counted, logged) if the array is full.
 */
struct rf_action *rf_act_push(struct rf *rf, enum rf_action_type type);
void rf_act_simple(struct rf *rf, enum rf_action_type type);
void rf_timer_arm(struct rf *rf, enum rf_timer t, tw_time_t at);
void rf_timer_cancel(struct rf *rf, enum rf_timer t);
void rf_timer_cancel_all(struct rf *rf);
/* Send our HELLO, a KEEPALIVE, or a BULK_REQUEST with rf->bulk_id. */
void rf_send_hello(struct rf *rf);
void rf_send_keepalive(struct rf *rf);
void rf_send_bulk_request(struct rf *rf);
/* The role we announce: from our state and the scheme group. */
enum sync_role rf_my_role(const struct rf *rf);
/* threshold x interval: how long the twin may stay silent. */
tw_time_t rf_silence(const struct rf *rf);

/* rf_state.c: the one transition function. */
int rf_set_state(struct rf *rf, enum rf_state to, const char *reason);
bool rf_state_is_standby(enum rf_state s);

#endif /* RF_PRIV_H */
