/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tw_fsm: the common part of the state setters. A three-state machine with
 * one unnamed state and a state number that the table does not cover.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "tw_fsm.h"
#include "tw_log.h"
#include "tw_compiler.h"

enum lamp {
	LAMP_OFF,
	LAMP_ON,
	LAMP_BLINK,
	LAMP_BROKEN,   /* no name, no way in or out */
	LAMP_MAX,
};

static const char *const lamp_names[LAMP_MAX] = {
	[LAMP_OFF] = "OFF",
	[LAMP_ON] = "ON",
	[LAMP_BLINK] = "BLINK",
};

static const uint32_t lamp_next[LAMP_MAX] = {
	[LAMP_OFF] = TW_FSM_BIT(LAMP_ON),
	[LAMP_ON] = TW_FSM_BIT(LAMP_OFF) | TW_FSM_BIT(LAMP_BLINK),
	[LAMP_BLINK] = TW_FSM_BIT(LAMP_OFF),
};

static const struct tw_fsm lamp_fsm = {
	.module = "lamp",
	.n_states = LAMP_MAX,
	.names = lamp_names,
	.next = lamp_next,
};

/* The lamp with a table that lets ON "go" to ON. */
static const uint32_t selfish_next[LAMP_MAX] = {
	[LAMP_OFF] = TW_FSM_BIT(LAMP_ON),
	[LAMP_ON] = TW_FSM_BIT(LAMP_ON) | TW_FSM_BIT(LAMP_OFF),
};

static const struct tw_fsm selfish_fsm = {
	.module = "lamp",
	.n_states = LAMP_MAX,
	.names = lamp_names,
	.next = selfish_next,
};

static char last_log[512];
static char last_module[32];
static enum tw_log_level last_level;
static unsigned int n_logs;

static void __attribute__((format(printf, 3, 0)))
capture_sink(enum tw_log_level level, const char *module, const char *fmt,
	     va_list ap)
{
	vsnprintf(last_log, sizeof(last_log), fmt, ap);
	snprintf(last_module, sizeof(last_module), "%s", module);
	last_level = level;
	n_logs++;
}

static int
setup(void **state TW_UNUSED)
{
	last_log[0] = '\0';
	last_module[0] = '\0';
	n_logs = 0;
	tw_log_set_sink(capture_sink);
	tw_log_set_level(TW_LOG_DEBUG);
	return 0;
}

static int
teardown(void **state TW_UNUSED)
{
	tw_log_set_sink(NULL);
	tw_log_set_level(TW_LOG_INFO);
	return 0;
}

static void
test_names(void **state TW_UNUSED)
{
	assert_string_equal(tw_fsm_name(&lamp_fsm, LAMP_OFF), "OFF");
	assert_string_equal(tw_fsm_name(&lamp_fsm, LAMP_BLINK), "BLINK");
	/* Unnamed and out of range. */
	assert_string_equal(tw_fsm_name(&lamp_fsm, LAMP_BROKEN), "?");
	assert_string_equal(tw_fsm_name(&lamp_fsm, LAMP_MAX), "?");
	assert_string_equal(tw_fsm_name(&lamp_fsm, 1000), "?");
	assert_string_equal(tw_fsm_name(&lamp_fsm, (unsigned int)-1), "?");
}

static void
test_allowed(void **state TW_UNUSED)
{
	unsigned int from, to, n = 0;

	assert_true(tw_fsm_allowed(&lamp_fsm, LAMP_OFF, LAMP_ON));
	assert_true(tw_fsm_allowed(&lamp_fsm, LAMP_ON, LAMP_BLINK));
	assert_true(tw_fsm_allowed(&lamp_fsm, LAMP_BLINK, LAMP_OFF));
	assert_false(tw_fsm_allowed(&lamp_fsm, LAMP_OFF, LAMP_BLINK));
	assert_false(tw_fsm_allowed(&lamp_fsm, LAMP_BLINK, LAMP_ON));
	/* The table says nothing of staying. */
	assert_false(tw_fsm_allowed(&lamp_fsm, LAMP_ON, LAMP_ON));
	/* Exactly the four bits of the table, over every pair in range. */
	for (from = 0; from < LAMP_MAX; from++)
		for (to = 0; to < LAMP_MAX; to++)
			n += tw_fsm_allowed(&lamp_fsm, from, to);
	assert_int_equal(n, 4);
	/* Out of range either side, even past the mask's 32 bits. */
	assert_false(tw_fsm_allowed(&lamp_fsm, LAMP_MAX, LAMP_OFF));
	assert_false(tw_fsm_allowed(&lamp_fsm, LAMP_OFF, LAMP_MAX));
	assert_false(tw_fsm_allowed(&lamp_fsm, LAMP_ON, 32));
	assert_false(tw_fsm_allowed(&lamp_fsm, LAMP_ON, 33));
	assert_false(tw_fsm_allowed(&lamp_fsm, (unsigned int)-1, LAMP_ON));
}

static void
test_legal(void **state TW_UNUSED)
{
	uint64_t illegal = 0, changes = 0;

	assert_int_equal(tw_fsm_check(&lamp_fsm, LAMP_OFF, LAMP_ON, "switch",
				      &illegal, "lamp %u", 7), TW_FSM_GO);
	/* Deciding logs and counts nothing: the change may still fail. */
	assert_int_equal(n_logs, 0);
	assert_int_equal(illegal, 0);
	tw_fsm_changed(&lamp_fsm, TW_LOG_NOTICE, LAMP_OFF, LAMP_ON, "switch",
		       &changes, "lamp %u", 7);
	assert_int_equal(changes, 1);
	assert_int_equal(n_logs, 1);
	assert_string_equal(last_log, "lamp 7: OFF -> ON (switch)");
	assert_string_equal(last_module, "lamp");
	assert_int_equal(last_level, TW_LOG_NOTICE);
	/* The caller's level; a NULL reason and counter are fine. */
	tw_fsm_changed(&lamp_fsm, TW_LOG_DEBUG, LAMP_ON, LAMP_BLINK, NULL,
		       NULL, "%s", "hall");
	assert_int_equal(n_logs, 2);
	assert_string_equal(last_log, "hall: ON -> BLINK (-)");
	assert_int_equal(last_level, TW_LOG_DEBUG);
}

static void
test_changed_filtered(void **state TW_UNUSED)
{
	uint64_t changes = 0;

	/* Below the log level: counted, not logged. */
	tw_log_set_level(TW_LOG_INFO);
	tw_fsm_changed(&lamp_fsm, TW_LOG_DEBUG, LAMP_OFF, LAMP_ON, "quiet",
		       &changes, "lamp %u", 1);
	assert_int_equal(changes, 1);
	assert_int_equal(n_logs, 0);
	tw_fsm_changed(&lamp_fsm, TW_LOG_INFO, LAMP_ON, LAMP_OFF, "loud",
		       &changes, "lamp %u", 1);
	assert_int_equal(changes, 2);
	assert_int_equal(n_logs, 1);
	assert_string_equal(last_log, "lamp 1: ON -> OFF (loud)");
}

static void
test_illegal(void **state TW_UNUSED)
{
	uint64_t illegal = 0;

	assert_int_equal(tw_fsm_check(&lamp_fsm, LAMP_OFF, LAMP_BLINK, "wish",
				      &illegal, "lamp %u", 3),
			 TW_FSM_ILLEGAL);
	assert_int_equal(illegal, 1);
	assert_int_equal(n_logs, 1);
	assert_string_equal(last_log,
			    "lamp 3: illegal transition OFF -> BLINK (wish)");
	assert_string_equal(last_module, "lamp");
	assert_int_equal(last_level, TW_LOG_ERR);
	/* Into and out of the state the table has no way for. */
	assert_int_equal(tw_fsm_check(&lamp_fsm, LAMP_ON, LAMP_BROKEN, NULL,
				      &illegal, "lamp"), TW_FSM_ILLEGAL);
	assert_string_equal(last_log, "lamp: illegal transition ON -> ? (-)");
	assert_int_equal(tw_fsm_check(&lamp_fsm, LAMP_BROKEN, LAMP_OFF, "x",
				      &illegal, "lamp"), TW_FSM_ILLEGAL);
	assert_int_equal(illegal, 3);
	/* No counter: still refused and logged. */
	assert_int_equal(tw_fsm_check(&lamp_fsm, LAMP_BLINK, LAMP_ON, "x",
				      NULL, "lamp"), TW_FSM_ILLEGAL);
	assert_int_equal(n_logs, 4);
	/* Refused and counted even when the line is filtered out. */
	tw_log_set_level(TW_LOG_CRIT);
	assert_int_equal(tw_fsm_check(&lamp_fsm, LAMP_BLINK, LAMP_ON, "x",
				      &illegal, "lamp"), TW_FSM_ILLEGAL);
	assert_int_equal(illegal, 4);
	assert_int_equal(n_logs, 4);
}

static void
test_same_state(void **state TW_UNUSED)
{
	uint64_t illegal = 0;
	unsigned int s;

	/* A no-op for every state, even one with no way in or out. */
	for (s = 0; s < LAMP_MAX; s++)
		assert_int_equal(tw_fsm_check(&lamp_fsm, s, s, "again",
					      &illegal, "lamp"), TW_FSM_SAME);
	/* Also when a table lists the state as its own target: the setter
	 * is not to run entry actions again. */
	assert_int_equal(tw_fsm_check(&selfish_fsm, LAMP_ON, LAMP_ON, "again",
				      &illegal, "lamp"), TW_FSM_SAME);
	assert_int_equal(tw_fsm_check(&selfish_fsm, LAMP_OFF, LAMP_ON, "go",
				      &illegal, "lamp"), TW_FSM_GO);
	assert_int_equal(illegal, 0);
	assert_int_equal(n_logs, 0);
}

static void
test_out_of_range(void **state TW_UNUSED)
{
	uint64_t illegal = 0;

	assert_int_equal(tw_fsm_check(&lamp_fsm, LAMP_ON, LAMP_MAX, "far",
				      &illegal, "lamp %d", 9), TW_FSM_ILLEGAL);
	assert_int_equal(illegal, 1);
	assert_string_equal(last_log, "lamp 9: illegal transition ON -> ? (far)");
	assert_int_equal(tw_fsm_check(&lamp_fsm, 40, LAMP_OFF, "far",
				      &illegal, "lamp"), TW_FSM_ILLEGAL);
	assert_string_equal(last_log, "lamp: illegal transition ? -> OFF (far)");
	/* Past the width of a mask: no shift out of range, still illegal. */
	assert_int_equal(tw_fsm_check(&lamp_fsm, LAMP_ON, 64, "far",
				      &illegal, "lamp"), TW_FSM_ILLEGAL);
	assert_int_equal(illegal, 3);
	/* Setting an out-of-range state again is the same-state no-op, as
	 * the setters always did. */
	assert_int_equal(tw_fsm_check(&lamp_fsm, 40, 40, "far", &illegal,
				      "lamp"), TW_FSM_SAME);
	assert_int_equal(illegal, 3);
	assert_int_equal(n_logs, 3);
}

static void
test_long_who(void **state TW_UNUSED)
{
	char who[400];
	uint64_t illegal = 0;

	memset(who, 'w', sizeof(who) - 1);
	who[sizeof(who) - 1] = '\0';
	/* A prefix longer than the helper keeps is cut, not overflowed. */
	assert_int_equal(tw_fsm_check(&lamp_fsm, LAMP_OFF, LAMP_BLINK, "r",
				      &illegal, "%s", who), TW_FSM_ILLEGAL);
	assert_int_equal(n_logs, 1);
	assert_true(strlen(last_log) < strlen(who));
	assert_non_null(strstr(last_log,
			       "w: illegal transition OFF -> BLINK (r)"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_allowed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_legal, setup, teardown),
		cmocka_unit_test_setup_teardown(test_changed_filtered, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_illegal, setup, teardown),
		cmocka_unit_test_setup_teardown(test_same_state, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_out_of_range, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_long_who, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
