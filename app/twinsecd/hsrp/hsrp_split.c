/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Split detection. The inside and outside groups of a twin track each
 * other so the whole box fails over together; if one of them is Active
 * while a group on another interface is not, for longer than the settle
 * time (HSRP_SPLIT_SETTLE_HOLDS hold times: both groups of a takeover
 * change within one hold time), traffic is black-holed on one side.
 * That is logged at LOG_CRIT, again every HSRP_SPLIT_LOG_EVERY while it
 * lasts, and counted (/twinsec/standby).
 */
#include <stdio.h>
#include <string.h>

#include "hsrp_glue.h"
#include "tw_log.h"

static void
split_fire(void *arg, tw_time_t now)
{
	hsrp_split_check(arg, now);
}

void
hsrp_split_init(struct hsrp_split *s, struct tw_heap *heap)
{
	memset(s, 0, sizeof(*s));
	s->heap = heap;
	tw_deadline_init(&s->dl, split_fire, s);
}

void
hsrp_split_fini(struct hsrp_split *s)
{
	if (s->heap != NULL)
		tw_heap_cancel(s->heap, &s->dl);
}

/* "inside Grp 1 Standby, outside Grp 1 Active" */
static void
states_str(char *buf, size_t len)
{
	const struct hsrp_glue_group *gg;
	size_t off = 0;
	int n;

	buf[0] = '\0';
	for (gg = hsrp_glue_next(NULL); gg != NULL; gg = hsrp_glue_next(gg)) {
		n = snprintf(buf + off, len - off, "%s%s Grp %u %s",
			     off != 0 ? ", " : "", gg->g.cfg.ifname,
			     gg->g.cfg.group, hsrp_state_name(gg->g.state));
		if (n < 0 || (size_t)n >= len - off)
			return;
		off += (size_t)n;
	}
}

void
hsrp_split_check(struct hsrp_split *s, tw_time_t now)
{
	const struct hsrp_glue_group *gg;
	uint32_t active = 0, other = 0, max_hold = 0;
	char states[256];
	bool split;

	for (gg = hsrp_glue_next(NULL); gg != NULL; gg = hsrp_glue_next(gg)) {
		if (gg->g.state == HSRP_STATE_ACTIVE)
			active |= 1u << gg->port;
		else
			other |= 1u << gg->port;
		if (gg->g.hold_ms > max_hold)
			max_hold = gg->g.hold_ms;
	}
	/* An Active group and a non-Active one on another interface. */
	split = active != 0 && other != 0 &&
		!(active == other && (active & (active - 1)) == 0);
	if (!split) {
		if (s->declared) {
			states_str(states, sizeof(states));
			tw_log(TW_LOG_NOTICE, "hsrp",
			       "split over after %llu ms: %s",
			       (unsigned long long)((now - s->since) /
						    TW_NSEC_PER_MSEC), states);
		}
		s->split = false;
		s->declared = false;
		tw_heap_cancel(s->heap, &s->dl);
		return;
	}
	if (!s->split) {
		s->split = true;
		s->since = now;
		s->settle = TW_MSEC(max_hold) * HSRP_SPLIT_SETTLE_HOLDS;
		tw_heap_arm(s->heap, &s->dl, now + s->settle);
		return;
	}
	if (!s->declared) {
		if (now < s->since + s->settle) {
			tw_heap_arm(s->heap, &s->dl, s->since + s->settle);
			return;
		}
		s->declared = true;
		s->count++;
	} else if (now < s->last_log + HSRP_SPLIT_LOG_EVERY) {
		tw_heap_arm(s->heap, &s->dl, s->last_log + HSRP_SPLIT_LOG_EVERY);
		return;
	}
	states_str(states, sizeof(states));
	tw_log(TW_LOG_CRIT, "hsrp",
	       "SPLIT: this twin is Active on some interfaces and not on others for %llu ms: %s (check links and tracking on both twins)",
	       (unsigned long long)((now - s->since) / TW_NSEC_PER_MSEC),
	       states);
	s->logs++;
	s->last_log = now;
	tw_heap_arm(s->heap, &s->dl, now + HSRP_SPLIT_LOG_EVERY);
}
