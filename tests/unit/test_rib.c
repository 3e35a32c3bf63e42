/* SPDX-License-Identifier: BSD-3-Clause */
/* The RIB's selection (lib/net/net_rib.c). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "net_rib.h"
#include "tw_compiler.h"

#define IP4(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | \
			 (uint32_t)(c) << 8 | (uint32_t)(d))

static struct rib_route
rt(uint32_t prefix, uint8_t len, enum rib_source src, uint32_t gw)
{
	return (struct rib_route){
		.prefix = prefix, .len = len, .src = src,
		.distance = rib_source_distance(src), .gw = gw, .port = 1,
	};
}

static void
test_distances_ios(void **state TW_UNUSED)
{
	assert_int_equal(rib_source_distance(RIB_CONNECTED), 0);
	assert_int_equal(rib_source_distance(RIB_STATIC), 1);
	assert_int_equal(rib_source_distance(RIB_RRI), 1);
	assert_int_equal(rib_source_distance(RIB_EBGP), 20);
	assert_int_equal(rib_source_distance(RIB_OSPF), 110);
	assert_int_equal(rib_source_distance(RIB_IBGP), 200);
	assert_true(rib_source_distance(RIB_KERNEL) >
		    rib_source_distance(RIB_IBGP));
	assert_int_equal(rib_source_code(RIB_RRI), 'S');
	assert_int_equal(rib_source_code(RIB_OSPF), 'O');
	assert_int_equal(rib_source_code(RIB_KERNEL), 'K');
	/* what a netlink listener learns (our own reverse routes: nothing) */
	assert_int_equal(rib_source_of_rtprot(188, 213), RIB_OSPF);
	assert_int_equal(rib_source_of_rtprot(186, 213), RIB_EBGP);
	assert_int_equal(rib_source_of_rtprot(4, 213), RIB_KERNEL);
	assert_int_equal(rib_source_of_rtprot(213, 213), RIB_SOURCE_MAX);
}

/* Distance decides, whatever the order routes came in. */
static void
test_best_by_distance(void **state TW_UNUSED)
{
	static const enum rib_source order[][3] = {
		{ RIB_OSPF, RIB_STATIC, RIB_KERNEL },
		{ RIB_KERNEL, RIB_OSPF, RIB_STATIC },
		{ RIB_STATIC, RIB_KERNEL, RIB_OSPF },
	};
	const uint32_t p = IP4(10, 9, 0, 0);
	unsigned int k, i;

	for (k = 0; k < 3; k++) {
		struct rib *rib = rib_create(16);
		struct rib_route r;

		assert_non_null(rib);
		for (i = 0; i < 3; i++) {
			r = rt(p, 16, order[k][i], IP4(192, 0, 2, 10 + i));
			assert_true(rib_add(rib, &r) >= 0);
		}
		assert_int_equal(rib_best(rib, p, 16)->src, RIB_STATIC);
		/* the static one goes: OSPF (110) beats kernel (250) */
		assert_int_equal(rib_del(rib, p, 16, RIB_STATIC),
				 RIB_BEST_CHANGED);
		assert_int_equal(rib_best(rib, p, 16)->src, RIB_OSPF);
		assert_int_equal(rib_del(rib, p, 16, RIB_KERNEL), RIB_SAME);
		assert_int_equal(rib_del(rib, p, 16, RIB_OSPF), RIB_BEST_GONE);
		assert_null(rib_best(rib, p, 16));
		assert_int_equal(rib_del(rib, p, 16, RIB_OSPF), -ENOENT);
		rib_destroy(rib);
	}
}

/* Equal distance: the metric, then the source order. */
static void
test_best_by_metric(void **state TW_UNUSED)
{
	struct rib *rib = rib_create(16);
	const uint32_t p = IP4(10, 2, 0, 0);
	struct rib_route a = rt(p, 16, RIB_STATIC, IP4(192, 0, 2, 2));
	struct rib_route b = rt(p, 16, RIB_RRI, IP4(192, 0, 2, 3));

	a.metric = 10;
	b.metric = 5;
	assert_int_equal(rib_add(rib, &a), RIB_BEST_CHANGED);
	assert_int_equal(rib_add(rib, &b), RIB_BEST_CHANGED);
	assert_int_equal(rib_best(rib, p, 16)->src, RIB_RRI);
	/* same metric: static before RRI, deterministic */
	b.metric = 10;
	assert_int_equal(rib_add(rib, &b), RIB_BEST_CHANGED);
	assert_int_equal(rib_best(rib, p, 16)->src, RIB_STATIC);
	/* an RRI route with a configured distance below static wins */
	b.distance = 0;
	assert_int_equal(rib_add(rib, &b), RIB_BEST_CHANGED);
	assert_int_equal(rib_best(rib, p, 16)->gw, IP4(192, 0, 2, 3));
	/* replacing a route that is not best changes nothing */
	a.gw = IP4(192, 0, 2, 9);
	assert_int_equal(rib_add(rib, &a), RIB_SAME);
	assert_int_equal(rib_count(rib), 2);
	rib_destroy(rib);
}

/* 255 is never used; a connected subnet is never beaten. */
static void
test_unusable_and_connected(void **state TW_UNUSED)
{
	struct rib *rib = rib_create(16);
	const uint32_t p = IP4(10, 1, 0, 0);
	struct rib_route c = rt(p, 24, RIB_CONNECTED, 0);
	struct rib_route k = rt(p, 24, RIB_KERNEL, IP4(10, 1, 0, 254));
	struct rib_route o = rt(p, 24, RIB_OSPF, IP4(10, 1, 0, 253));

	k.distance = RIB_DISTANCE_UNUSABLE;
	assert_int_equal(rib_add(rib, &k), RIB_SAME);
	assert_null(rib_best(rib, p, 24));
	assert_int_equal(rib_count(rib), 1);
	assert_false(rib_is_best(rib, 0));
	assert_int_equal(rib_add(rib, &c), RIB_BEST_CHANGED);
	assert_int_equal(rib_add(rib, &o), RIB_SAME);
	assert_int_equal(rib_best(rib, p, 24)->src, RIB_CONNECTED);
	assert_int_equal(rib_del(rib, p, 24, RIB_CONNECTED), RIB_BEST_CHANGED);
	assert_int_equal(rib_best(rib, p, 24)->src, RIB_OSPF);
	rib_destroy(rib);
}

/* Longest prefix first, host bits cleared, bad input refused. */
static void
test_lookup_and_limits(void **state TW_UNUSED)
{
	struct rib *rib = rib_create(3);
	struct rib_route d = rt(0, 0, RIB_STATIC, IP4(192, 0, 2, 254));
	struct rib_route n16 = rt(IP4(10, 2, 3, 4), 16, RIB_OSPF, 1);
	struct rib_route n24 = rt(IP4(10, 2, 3, 0), 24, RIB_KERNEL, 2);
	struct rib_route x = rt(IP4(10, 3, 0, 0), 16, RIB_STATIC, 3);
	unsigned int i;

	assert_true(rib_add(rib, &d) >= 0);
	assert_true(rib_add(rib, &n16) >= 0);
	assert_true(rib_add(rib, &n24) >= 0);
	assert_non_null(rib_find(rib, IP4(10, 2, 0, 0), 16, RIB_OSPF));
	assert_int_equal(rib_lookup(rib, IP4(10, 2, 3, 9))->len, 24);
	assert_int_equal(rib_lookup(rib, IP4(10, 2, 4, 9))->len, 16);
	assert_int_equal(rib_lookup(rib, IP4(10, 4, 0, 1))->len, 0);
	assert_int_equal(rib_add(rib, &x), -ENOSPC);
	x.len = 33;
	assert_int_equal(rib_add(rib, &x), -EINVAL);
	x.len = 16;
	x.src = RIB_SOURCE_MAX;
	assert_int_equal(rib_add(rib, &x), -EINVAL);
	/* iteration sees each route once */
	for (i = 0; i < rib_count(rib); i++)
		assert_ptr_equal(rib_find(rib, rib_at(rib, i)->prefix,
					  rib_at(rib, i)->len,
					  rib_at(rib, i)->src), rib_at(rib, i));
	assert_null(rib_at(rib, rib_count(rib)));
	rib_destroy(rib);
}

/*
 * Many routes in random order, added, replaced and removed: every prefix's
 * best is the one a plain scan of a shadow copy finds.
 */
static void
test_many(void **state TW_UNUSED)
{
	enum { N = 20000, P = 4096 };
	struct rib *rib = rib_create(N);
	static struct rib_route shadow[P][RIB_SOURCE_MAX];
	static bool in[P][RIB_SOURCE_MAX];
	unsigned int i, k, s, n = 0;

	assert_non_null(rib);
	srand(15);
	for (i = 0; i < 60000; i++) {
		k = (unsigned int)rand() % P;
		s = (unsigned int)rand() % RIB_SOURCE_MAX;
		if (rand() % 3 == 0) {
			uint32_t p = IP4(10, k >> 8, k & 0xff, 0);

			/* a change (>= 0) when present, else -ENOENT */
			assert_int_equal(rib_del(rib, p, 24,
						 (enum rib_source)s) >= 0,
					 in[k][s]);
			n -= in[k][s];
			in[k][s] = false;
			continue;
		}
		shadow[k][s] = rt(IP4(10, k >> 8, k & 0xff, 0), 24,
				  (enum rib_source)s, i);
		shadow[k][s].metric = (uint32_t)rand() % 3;
		assert_true(rib_add(rib, &shadow[k][s]) >= 0);
		n += !in[k][s];
		in[k][s] = true;
	}
	assert_int_equal(rib_count(rib), n);
	for (k = 0; k < P; k++) {
		const struct rib_route *b =
			rib_best(rib, IP4(10, k >> 8, k & 0xff, 0), 24);
		int want = -1;

		for (s = 0; s < RIB_SOURCE_MAX; s++) {
			const struct rib_route *r = &shadow[k][s];

			if (!in[k][s])
				continue;
			if (want < 0 ||
			    r->distance < shadow[k][want].distance ||
			    (r->distance == shadow[k][want].distance &&
			     r->metric < shadow[k][want].metric))
				want = (int)s;
		}
		if (want < 0) {
			assert_null(b);
			continue;
		}
		assert_non_null(b);
		assert_int_equal(b->src, want);
		assert_int_equal(b->gw, shadow[k][want].gw);
	}
	for (i = 0; i < rib_count(rib); i++) {
		const struct rib_route *r = rib_at(rib, i);

		assert_int_equal(rib_is_best(rib, i),
				 rib_best(rib, r->prefix, r->len) == r);
	}
	rib_destroy(rib);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_distances_ios),
		cmocka_unit_test(test_best_by_distance),
		cmocka_unit_test(test_best_by_metric),
		cmocka_unit_test(test_unusable_and_connected),
		cmocka_unit_test(test_lookup_and_limits),
		cmocka_unit_test(test_many),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
