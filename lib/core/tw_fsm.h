/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TW_FSM_H
#define TW_FSM_H

/*
 * The common part of a state machine's one transition function (DESIGN.md,
 * principle 2): the table check with its range check, the no-op of setting
 * the current state again, and the two standard log lines with their
 * counters:
 *
 *   "<who>: illegal transition A -> B (reason)"  ERR, illegal counter
 *   "<who>: A -> B (reason)"                     caller's level, changes
 *
 * <who> is the caller's printf-style prefix ("RF", "eth0 Grp 1", "SA 3 spi
 * 0x00001234 in"), formatted only when the line is logged. The machine
 * keeps its own setter (name, record, entry actions); a setter reads:
 *
 *	switch (tw_fsm_check(&foo_fsm, from, to, reason, &cnt->illegal,
 *			     "foo %u", foo->id)) {
 *	case TW_FSM_SAME:
 *		return 0;
 *	case TW_FSM_ILLEGAL:
 *		return -EPERM;
 *	case TW_FSM_GO:
 *		break;
 *	}
 *	(anything that may still refuse the change: a backend call)
 *	foo->state = to;
 *	tw_fsm_changed(&foo_fsm, TW_LOG_NOTICE, from, to, reason,
 *		       &cnt->changes, "foo %u", foo->id);
 *	enter(foo, from, to);
 *
 * The table is one mask of allowed targets per state, built with
 * designated initializers:
 *
 *	static const uint32_t foo_next[FOO_MAX] = {
 *		[FOO_IDLE] = TW_FSM_BIT(FOO_UP),
 *		[FOO_UP] = TW_FSM_BIT(FOO_IDLE) | TW_FSM_BIT(FOO_DOWN),
 *	};
 *
 * Pure: no state of its own but the log facade's level and sink.
 */

#include <stdbool.h>
#include <stdint.h>

#include "tw_log.h"

/* A machine has at most this many states (one bit each in a mask). */
#define TW_FSM_STATES_MAX 32

/* The bit of state s in a mask of allowed targets. */
#define TW_FSM_BIT(s) (UINT32_C(1) << (s))

/* A machine's description: static const, one per state machine. */
struct tw_fsm {
	const char *module;        /* tw_log() module of its lines */
	unsigned int n_states;     /* states are 0 .. n_states - 1 */
	const char *const *names;  /* n_states names; a NULL one is "?" */
	const uint32_t *next;      /* n_states masks of allowed targets */
};

enum tw_fsm_verdict {
	TW_FSM_GO,      /* allowed: make the change */
	TW_FSM_SAME,    /* to is already the state: nothing to do */
	TW_FSM_ILLEGAL, /* refused: logged at ERR and counted */
};

/* The name of state s; "?" when out of range or unnamed. */
const char *tw_fsm_name(const struct tw_fsm *m, unsigned int s);

/* Whether the table allows from -> to; false when either is out of range. */
bool tw_fsm_allowed(const struct tw_fsm *m, unsigned int from,
		    unsigned int to);

/*
 * Decide from -> to. TW_FSM_SAME when to == from (whatever the table
 * says, in range or not: setting the current state again is never an
 * error); TW_FSM_ILLEGAL when the table does not allow it or either state
 * is out of range: then *illegal (if not NULL) is incremented and
 * "<who>: illegal transition A -> B (reason)" logged at ERR, for an
 * illegal transition is a bug in the event handlers, not bad input;
 * TW_FSM_GO otherwise, with nothing logged or counted yet (the change may
 * still fail in the caller). A NULL reason prints as "-".
 */
enum tw_fsm_verdict tw_fsm_check(const struct tw_fsm *m, unsigned int from,
				 unsigned int to, const char *reason,
				 uint64_t *illegal, const char *who_fmt, ...)
	__attribute__((format(printf, 6, 7)));

/*
 * The change from -> to has been made: increment *changes (if not NULL)
 * and log "<who>: A -> B (reason)" at level.
 */
void tw_fsm_changed(const struct tw_fsm *m, enum tw_log_level level,
		    unsigned int from, unsigned int to, const char *reason,
		    uint64_t *changes, const char *who_fmt, ...)
	__attribute__((format(printf, 7, 8)));

#endif /* TW_FSM_H */
