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
		.since_known = true, .since = 0, .rate = 3000000,
	};
	uint64_t s, unknown = (uint64_t)SYNC_SEQ_SLACK_MS * 3000000 / 1000;

	assert_int_equal(sync_seq_takeover(&in, &s), 0);
	assert_int_equal(s, 1000 + 100 + unknown + SYNC_SEQ_MARGIN);
	/* every millisecond of silence adds RATE / 1000 */
	in.since = TW_MSEC(1000);
	assert_int_equal(sync_seq_takeover(&in, &s), 0);
	assert_int_equal(s, 1000 + 100 + SYNC_SEQ_MARGIN +
			 (uint64_t)(1000 + SYNC_SEQ_SLACK_MS) * 3000000 / 1000);
	/* twice the rate (two workers), twice the unknown term */
	in.rate = 6000000;
	assert_int_equal(sync_seq_takeover(&in, &s), 0);
	assert_int_equal(s, 1000 + 100 + SYNC_SEQ_MARGIN +
			 (uint64_t)(1000 + SYNC_SEQ_SLACK_MS) * 6000000 / 1000);
}

/* The twin was active and the time since our knowledge is not known:
 * no seed at all, whatever the mark says; a rate of 0 is refused. */
static void
test_unproven(void **state TW_UNUSED)
{
	struct sync_seq_in in = {
		.seq = 1000, .mark = 1u << 20, .interval = 100,
		.twin_was_active = true, .since_known = false,
		.rate = 1000,
	};
	uint64_t s = 7;

	assert_int_equal(sync_seq_takeover(&in, &s), -ENODATA);
	assert_int_equal(s, 7);
	in.since_known = true;
	in.rate = 0;
	assert_int_equal(sync_seq_takeover(&in, &s), -EINVAL);
	assert_int_equal(s, 7);
	/* never active: the rate and the time do not matter */
	in.twin_was_active = false;
	in.since_known = false;
	assert_int_equal(sync_seq_takeover(&in, &s), 0);
	assert_int_equal(s, (1u << 20) + SYNC_SEQ_MARGIN);
}

/* The rate: workers x the per-worker ceiling; 0 workers taken as 1. */
static void
test_rate(void **state TW_UNUSED)
{
	assert_int_equal(sync_seq_rate(0, SYNC_SEQ_WORKER_PPS),
			 SYNC_SEQ_WORKER_PPS);
	assert_int_equal(sync_seq_rate(2, SYNC_SEQ_WORKER_PPS),
			 2 * SYNC_SEQ_WORKER_PPS);
	assert_true(sync_seq_rate(UINT32_MAX, UINT64_MAX / 2) == UINT64_MAX);
	/* above what one worker was measured to forward (3 Mpps) */
	assert_true(SYNC_SEQ_WORKER_PPS > 3000000);
}

/* The observed peak over 10 ms windows, and the rate a takeover uses. */
static void
test_peak(void **state TW_UNUSED)
{
	struct sync_seq_peak p = { 0 };
	tw_time_t t = TW_SEC(100);

	sync_seq_peak_feed(&p, 1000, t);
	assert_true(p.peak_pps == 0);
	/* 5 ms: the window is still open */
	sync_seq_peak_feed(&p, 51000, t + TW_MSEC(5));
	assert_true(p.peak_pps == 0);
	/* 100 000 packets in 10 ms: 10 Mpps */
	sync_seq_peak_feed(&p, 101000, t + TW_MSEC(10));
	assert_true(p.peak_pps == 10000000);
	/* a slower window does not lower the peak */
	sync_seq_peak_feed(&p, 102000, t + TW_MSEC(30));
	assert_true(p.peak_pps == 10000000);
	/* counters cleared: a new window, no negative rate */
	sync_seq_peak_feed(&p, 5, t + TW_MSEC(40));
	assert_true(p.peak_pps == 10000000 && p.n0 == 5);
	/* never below the peak, never below the bound */
	assert_true(sync_seq_rate_seen(SYNC_SEQ_WORKER_PPS, 0) ==
		    SYNC_SEQ_WORKER_PPS);
	assert_true(sync_seq_rate_seen(SYNC_SEQ_WORKER_PPS,
				       SYNC_SEQ_WORKER_PPS / 2) ==
		    SYNC_SEQ_WORKER_PPS);
	assert_true(sync_seq_rate_seen(SYNC_SEQ_WORKER_PPS,
				       3 * SYNC_SEQ_WORKER_PPS) ==
		    6 * SYNC_SEQ_WORKER_PPS);
	assert_true(sync_seq_rate_seen(1, UINT64_MAX - 1) == UINT64_MAX);
}

/* A clock behind the stamp: unknown, never 0; no stamp: unknown. */
static void
test_wall(void **state TW_UNUSED)
{
	tw_time_t since = 42;

	assert_int_equal(sync_seq_since_wall(10000, 10001, &since), -ETIME);
	assert_int_equal(since, 42);
	assert_int_equal(sync_seq_since_wall(10000, 0, &since), -ENOENT);
	assert_int_equal(sync_seq_since_wall(10000, 10000, &since), 0);
	assert_int_equal(since, 0);
	assert_int_equal(sync_seq_since_wall(12500, 10000, &since), 0);
	assert_int_equal(since, TW_MSEC(2500));
	assert_int_equal(sync_seq_since_wall(UINT64_MAX, 1, &since), 0);
	assert_true(since == UINT64_MAX);
}

/*
 * Reconnects: what was confirmed on a connection is dated by that
 * connection's last frame, not by the frames of a later one (issue 13,
 * item 1: a new connection's HELLO and keep-alives refreshed it).
 */
static void
test_conns(void **state TW_UNUSED)
{
	struct sync_seq_conns c = { 0 };
	tw_time_t at = 0;
	uint32_t i;

	assert_int_equal(sync_seq_conn_known_at(&c, 0, &at), -ENODATA);
	sync_seq_conn_new(&c);                 /* connection 1 */
	assert_int_equal(sync_seq_conn_known_at(&c, 1, &at), -ENODATA);
	sync_seq_conn_heard(&c, TW_SEC(10));
	sync_seq_conn_heard(&c, TW_SEC(11));
	assert_int_equal(sync_seq_conn_known_at(&c, 1, &at), 0);
	assert_true(at == TW_SEC(11));
	sync_seq_conn_new(&c);                 /* connection 2 */
	sync_seq_conn_heard(&c, TW_SEC(20));   /* its HELLO */
	assert_int_equal(sync_seq_conn_known_at(&c, 1, &at), 0);
	assert_true(at == TW_SEC(11));
	assert_int_equal(sync_seq_conn_known_at(&c, 2, &at), 0);
	assert_true(at == TW_SEC(20));
	/* a connection from the future, and ones too old to remember */
	assert_int_equal(sync_seq_conn_known_at(&c, 3, &at), -ENODATA);
	for (i = 0; i < SYNC_SEQ_CONNS - 1; i++)
		sync_seq_conn_new(&c);
	assert_int_equal(sync_seq_conn_known_at(&c, 1, &at), -ENODATA);
	/* a connection never heard has no date */
	assert_int_equal(sync_seq_conn_known_at(&c, c.cur, &at), -ENODATA);
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
	in.since_known = true;
	in.rate = SYNC_SEQ_WORKER_PPS;
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
		cmocka_unit_test(test_unproven),
		cmocka_unit_test(test_rate),
		cmocka_unit_test(test_peak),
		cmocka_unit_test(test_wall),
		cmocka_unit_test(test_conns),
		cmocka_unit_test(test_mark),
		cmocka_unit_test(test_spent),
		cmocka_unit_test(test_reserve),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
