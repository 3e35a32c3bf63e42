/* SPDX-License-Identifier: BSD-3-Clause */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tw_compiler.h"
#include "tw_heap.h"

struct fire_log {
	unsigned int order[64];
	unsigned int n;
};

struct probe {
	struct tw_deadline d;
	struct fire_log *log;
	unsigned int id;
};

static void
on_fire(void *arg, tw_time_t now)
{
	struct probe *p = arg;

	assert_true(now >= p->d.when);
	p->log->order[p->log->n++] = p->id;
}

static void
test_fires_in_order(void **state TW_UNUSED)
{
	static const tw_time_t when[] = { 50, 10, 40, 20, 30, 10, 60 };
	struct probe p[7];
	struct fire_log log = { .n = 0 };
	struct tw_heap h;
	unsigned int i;

	assert_int_equal(tw_heap_init(&h, 2), 0); /* forces growth */
	for (i = 0; i < 7; i++) {
		p[i].log = &log;
		p[i].id = i;
		tw_deadline_init(&p[i].d, on_fire, &p[i]);
		assert_int_equal(tw_heap_arm(&h, &p[i].d, when[i]), 0);
	}
	assert_int_equal(tw_heap_next(&h), 10);
	assert_int_equal(tw_heap_run(&h, 35), 4);
	assert_int_equal(log.n, 4);
	/* 10, 10, 20, 30: ties in either order */
	assert_true((log.order[0] == 1 && log.order[1] == 5) ||
		    (log.order[0] == 5 && log.order[1] == 1));
	assert_int_equal(log.order[2], 3);
	assert_int_equal(log.order[3], 4);
	assert_int_equal(tw_heap_next(&h), 40);
	assert_int_equal(tw_heap_run(&h, 1000), 3);
	assert_int_equal(tw_heap_next(&h), TW_TIME_NEVER);
	tw_heap_fini(&h);
}

static void
test_cancel_and_rearm(void **state TW_UNUSED)
{
	struct probe a, b, c;
	struct fire_log log = { .n = 0 };
	struct tw_heap h;

	assert_int_equal(tw_heap_init(&h, 4), 0);
	a = (struct probe){ .log = &log, .id = 1 };
	b = (struct probe){ .log = &log, .id = 2 };
	c = (struct probe){ .log = &log, .id = 3 };
	tw_deadline_init(&a.d, on_fire, &a);
	tw_deadline_init(&b.d, on_fire, &b);
	tw_deadline_init(&c.d, on_fire, &c);
	tw_heap_arm(&h, &a.d, 100);
	tw_heap_arm(&h, &b.d, 200);
	tw_heap_arm(&h, &c.d, 300);
	tw_heap_cancel(&h, &b.d);
	assert_false(tw_deadline_armed(&b.d));
	tw_heap_cancel(&h, &b.d); /* cancelling twice is harmless */
	tw_heap_arm(&h, &c.d, 50); /* re-arm earlier */
	tw_heap_arm(&h, &a.d, 400); /* re-arm later */
	assert_int_equal(tw_heap_next(&h), 50);
	assert_int_equal(tw_heap_run(&h, 1000), 2);
	assert_int_equal(log.order[0], 3);
	assert_int_equal(log.order[1], 1);
	tw_heap_fini(&h);
}

/* A deadline in zeroed memory was never armed: cancelling it changes nothing. */
static void
test_zeroed_deadline_is_not_armed(void **state TW_UNUSED)
{
	struct probe a;
	struct tw_deadline zeroed;
	struct fire_log log = { .n = 0 };
	struct tw_heap h;

	memset(&zeroed, 0, sizeof(zeroed));
	assert_int_equal(tw_heap_init(&h, 4), 0);
	a = (struct probe){ .log = &log, .id = 1 };
	tw_deadline_init(&a.d, on_fire, &a);
	tw_heap_arm(&h, &a.d, 10);
	assert_false(tw_deadline_armed(&zeroed));
	tw_heap_cancel(&h, &zeroed);
	assert_true(tw_deadline_armed(&a.d));
	assert_int_equal(tw_heap_next(&h), 10);
	assert_int_equal(tw_heap_run(&h, 10), 1);
	assert_int_equal(log.order[0], 1);
	tw_heap_fini(&h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fires_in_order),
		cmocka_unit_test(test_cancel_and_rearm),
		cmocka_unit_test(test_zeroed_deadline_is_not_armed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
