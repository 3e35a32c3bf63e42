/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef HSRP_PRIV_H
#define HSRP_PRIV_H

/* Shared between the engine's files; not for callers. */

#include "hsrp.h"

/*
 * hsrp_act.c: append actions to g->out for the event being processed;
 * push returns NULL (counted, logged) if the array is full.
 */
struct hsrp_action *hsrp_act_push(struct hsrp_group *g,
				  enum hsrp_action_type type);
void hsrp_timer_arm(struct hsrp_group *g, enum hsrp_timer t, tw_time_t at);
void hsrp_timer_cancel(struct hsrp_group *g, enum hsrp_timer t);
void hsrp_timer_cancel_all(struct hsrp_group *g);
static inline bool
hsrp_timer_armed(const struct hsrp_group *g, enum hsrp_timer t)
{
	return g->deadline[t] != TW_TIME_NEVER;
}
/* RFC 2281 6.5 F, G, H: send a Hello, Coup or Resign now. */
void hsrp_send(struct hsrp_group *g, enum hsrp_op op);
void hsrp_vip_action(struct hsrp_group *g, enum hsrp_action_type type);

/* hsrp_state.c: the one transition function. */
int hsrp_set_state(struct hsrp_group *g, enum hsrp_state to,
		   const char *reason);

#define HSRP_LOG "hsrp"

#endif /* HSRP_PRIV_H */
