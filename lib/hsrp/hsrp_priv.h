/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef HSRP_PRIV_H
#define HSRP_PRIV_H

/* Shared between the engine's files; not for callers. */

#include <string.h>

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

/* Either family: our own address, and setting the routers we know. */
static inline bool
hsrp_is_v6(const struct hsrp_group *g)
{
	return g->cfg.af == TW_AF_INET6;
}

static inline struct tw_addr
hsrp_self(const struct hsrp_group *g)
{
	struct tw_addr a = { .family = TW_AF_INET6 };

	if (!hsrp_is_v6(g))
		return tw_addr_v4(g->cfg.if_ip);
	memcpy(a.v6, g->cfg.if_ip6, 16);
	return a;
}

static inline bool
hsrp_is_self(const struct hsrp_group *g, const struct tw_addr *a)
{
	struct tw_addr me = hsrp_self(g);

	return tw_addr_eq(a, &me);
}

static inline bool
hsrp_known(const struct tw_addr *a)
{
	return a->family != TW_AF_NONE;
}

/* NULL: none known. Keeps active_ip / standby_ip in step. */
static inline void
hsrp_set_active(struct hsrp_group *g, const struct tw_addr *a)
{
	memset(&g->active, 0, sizeof(g->active));
	if (a != NULL)
		g->active = *a;
	g->active_ip = a != NULL && a->family == TW_AF_INET ? a->v4 : 0;
}

static inline void
hsrp_set_standby(struct hsrp_group *g, const struct tw_addr *a)
{
	memset(&g->standby, 0, sizeof(g->standby));
	if (a != NULL)
		g->standby = *a;
	g->standby_ip = a != NULL && a->family == TW_AF_INET ? a->v4 : 0;
}

static inline void
hsrp_set_active_self(struct hsrp_group *g)
{
	struct tw_addr me = hsrp_self(g);

	hsrp_set_active(g, &me);
}

/* hsrp_state.c: the one transition function. */
int hsrp_set_state(struct hsrp_group *g, enum hsrp_state to,
		   const char *reason);

#define HSRP_LOG "hsrp"

#endif /* HSRP_PRIV_H */
