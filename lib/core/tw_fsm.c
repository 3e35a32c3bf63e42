/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The common part of the state setters (tw_fsm.h): range and table check,
 * the standard transition lines, their counters.
 */
#include <stdarg.h>
#include <stdio.h>

#include "tw_fsm.h"

/* Longest <who> prefix kept; a longer one is cut, never overflows. */
#define WHO_MAX 160

const char *
tw_fsm_name(const struct tw_fsm *m, unsigned int s)
{
	if (s >= m->n_states || m->names[s] == NULL)
		return "?";
	return m->names[s];
}

bool
tw_fsm_allowed(const struct tw_fsm *m, unsigned int from, unsigned int to)
{
	if (from >= m->n_states || to >= m->n_states ||
	    to >= TW_FSM_STATES_MAX)
		return false;
	return (m->next[from] & TW_FSM_BIT(to)) != 0;
}

/* "<who>: A -> B (reason)", illegal or not; who formatted only if logged. */
static void __attribute__((format(printf, 7, 0)))
log_line(const struct tw_fsm *m, enum tw_log_level level, bool illegal,
	 unsigned int from, unsigned int to, const char *reason,
	 const char *who_fmt, va_list ap)
{
	char who[WHO_MAX];

	if (level > tw_log_get_level())
		return;
	vsnprintf(who, sizeof(who), who_fmt, ap);
	tw_log(level, m->module, "%s: %s%s -> %s (%s)", who,
	       illegal ? "illegal transition " : "", tw_fsm_name(m, from),
	       tw_fsm_name(m, to), reason != NULL ? reason : "-");
}

enum tw_fsm_verdict
tw_fsm_check(const struct tw_fsm *m, unsigned int from, unsigned int to,
	     const char *reason, uint64_t *illegal, const char *who_fmt, ...)
{
	va_list ap;

	if (from == to)
		return TW_FSM_SAME;
	if (tw_fsm_allowed(m, from, to))
		return TW_FSM_GO;
	if (illegal != NULL)
		(*illegal)++;
	va_start(ap, who_fmt);
	log_line(m, TW_LOG_ERR, true, from, to, reason, who_fmt, ap);
	va_end(ap);
	return TW_FSM_ILLEGAL;
}

void
tw_fsm_changed(const struct tw_fsm *m, enum tw_log_level level,
	       unsigned int from, unsigned int to, const char *reason,
	       uint64_t *changes, const char *who_fmt, ...)
{
	va_list ap;

	if (changes != NULL)
		(*changes)++;
	va_start(ap, who_fmt);
	log_line(m, level, false, from, to, reason, who_fmt, ap);
	va_end(ap);
}
