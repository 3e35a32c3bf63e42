/* SPDX-License-Identifier: BSD-3-Clause */
/* The takeover sequence number jump (lib/sync/sync_seq.h). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "sync_seq.h"
#include "tw_compiler.h"

/* A twin that never saw its twin active and knows nothing: 0. */
static void
test_fresh(void **state TW_UNUSED)
{
	struct sync_seq_in in = { .interval = 100 };
	uint64_t s = 99;

	assert_int_equal(sync_seq_takeover(&in, &s), 0);
	assert_int_equal(s, 0);
}

/* Synced from an active twin heard just now. */
static void
test_synced(void **state TW_UNUSED)
{
	struct sync_seq_in in = {
		.seq = 1000, .interval = 100, .twin_was_active = true,
		.since = 0,
	};
	uint64_t s, unknown = (uint64_t)SYNC_SEQ_SLACK_MS *
		SYNC_SEQ_RATE_MAX / 1000;

	assert_int_equal(sync_seq_takeover(&in, &s), 0);
	assert_int_equal(s, 1000 + 100 + unknown + SYNC_SEQ_MARGIN);
	/* every millisecond of silence adds RATE / 1000 */
	in.since = TW_MSEC(1000);
	assert_int_equal(sync_seq_takeover(&in, &s), 0);
	assert_int_equal(s, 1000 + 100 + SYNC_SEQ_MARGIN +
			 (uint64_t)(1000 + SYNC_SEQ_SLACK_MS) *
			 SYNC_SEQ_RATE_MAX / 1000);
}

/* The mark wins when it is higher; a known SA always gets the margin. */
static void
test_mark(void **state TW_UNUSED)
{
	struct sync_seq_in in = { .seq = 10, .mark = 5000, .interval = 100 };
	uint64_t s;

	assert_int_equal(sync_seq_takeover(&in, &s), 0);
	assert_int_equal(s, 5000 + SYNC_SEQ_MARGIN);
	in.mark = 0;
	assert_int_equal(sync_seq_takeover(&in, &s), 0);
	assert_int_equal(s, 10 + SYNC_SEQ_MARGIN);
}

/* Without ESN the jump must leave room in 32 bits; with ESN it need not. */
static void
test_spent(void **state TW_UNUSED)
{
	struct sync_seq_in in = {
		.seq = UINT32_MAX - 1000, .interval = 100,
	};
	uint64_t s = 7;

	assert_int_equal(sync_seq_takeover(&in, &s), -ERANGE);
	assert_int_equal(s, 7);
	in.esn = true;
	assert_int_equal(sync_seq_takeover(&in, &s), 0);
	assert_true(s > UINT32_MAX);
	/* a silence of years saturates instead of wrapping */
	in.twin_was_active = true;
	in.seq = UINT64_MAX - 5;
	in.since = UINT64_MAX - 1;
	assert_int_equal(sync_seq_takeover(&in, &s), 0);
	assert_true(s == UINT64_MAX);
}

/* Reservations move a block ahead once within half a block of the mark. */
static void
test_reserve(void **state TW_UNUSED)
{
	assert_int_equal(sync_seq_reserve(0, 0), SYNC_SEQ_MARK_BLOCK);
	assert_int_equal(sync_seq_reserve(10, SYNC_SEQ_MARK_BLOCK),
			 SYNC_SEQ_MARK_BLOCK);
	assert_int_equal(sync_seq_reserve(SYNC_SEQ_MARK_BLOCK / 2,
					  SYNC_SEQ_MARK_BLOCK),
			 SYNC_SEQ_MARK_BLOCK);
	assert_int_equal(sync_seq_reserve(SYNC_SEQ_MARK_BLOCK / 2 + 1,
					  SYNC_SEQ_MARK_BLOCK),
			 SYNC_SEQ_MARK_BLOCK / 2 + 1 + SYNC_SEQ_MARK_BLOCK);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fresh),
		cmocka_unit_test(test_synced),
		cmocka_unit_test(test_mark),
		cmocka_unit_test(test_spent),
		cmocka_unit_test(test_reserve),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
