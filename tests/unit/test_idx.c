/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tw_compiler.h"
#include "tw_idx.h"

/* Slots under key, as a bit set (cap <= 64). */
static uint64_t
slots_of(const struct tw_idx *x, uint64_t key)
{
	uint64_t set = 0;
	uint32_t s;

	for (s = tw_idx_first(x, key); s != TW_IDX_NONE; s = tw_idx_next(x, s)) {
		assert_true(s < 64);
		assert_int_equal(set & (UINT64_C(1) << s), 0); /* once */
		set |= UINT64_C(1) << s;
	}
	return set;
}

static void
test_limits(void **state TW_UNUSED)
{
	struct tw_idx x;

	assert_int_equal(tw_idx_init(&x, 0, 1), -EINVAL);
	assert_int_equal(tw_idx_init(&x, TW_IDX_MAX + 1, 1), -EINVAL);
	assert_int_equal(tw_idx_init(&x, 5, 1), 0);
	assert_int_equal(x.mask, 7); /* power of two >= cap */
	assert_int_equal(tw_idx_set(&x, 5, 42), -EINVAL);
	assert_int_equal(tw_idx_set(&x, UINT32_MAX, 42), -EINVAL);
	assert_int_equal(tw_idx_first(&x, 42), TW_IDX_NONE);
	assert_int_equal(tw_idx_next(&x, 4), TW_IDX_NONE); /* not in */
	tw_idx_del(&x, 4);                                  /* harmless */
	tw_idx_del(&x, 99);
	assert_int_equal(tw_idx_set(&x, 4, 42), 0);
	assert_int_equal(tw_idx_set(&x, 4, 42), 0); /* again: no change */
	assert_int_equal(x.n, 1);
	assert_int_equal(tw_idx_first(&x, 42), 4);
	assert_int_equal(tw_idx_next(&x, 4), TW_IDX_NONE);
	assert_true(tw_idx_bytes(5) >= 8 * 4 + 5 * 13);
	tw_idx_fini(&x);
	assert_null(x.bucket);
}

/* Every slot in one chain (the bucket mask forced to 0): the worst case
 * of collisions, with keys shared and not. */
static void
test_collisions_and_delete(void **state TW_UNUSED)
{
	struct tw_idx x;
	uint32_t s;

	assert_int_equal(tw_idx_init(&x, 16, 7), 0);
	/* Force every slot into one chain: a single bucket. */
	x.mask = 0;
	for (s = 0; s < 16; s++)
		assert_int_equal(tw_idx_set(&x, s, 100 + s % 4), 0);
	assert_int_equal(tw_idx_max_chain(&x), 16);
	assert_int_equal(slots_of(&x, 100), 0x1111);
	assert_int_equal(slots_of(&x, 101), 0x2222);
	assert_int_equal(slots_of(&x, 103), 0x8888);
	assert_int_equal(slots_of(&x, 104), 0);
	/* Delete the head (last inserted), a middle and the tail. */
	tw_idx_del(&x, 15);
	tw_idx_del(&x, 7);
	tw_idx_del(&x, 0);
	assert_int_equal(x.n, 13);
	assert_int_equal(slots_of(&x, 100), 0x0010 | 0x0100 | 0x1000);
	assert_int_equal(slots_of(&x, 103), 0x0808);
	assert_false(tw_idx_has(&x, 15));
	/* Move a slot to another key. */
	assert_int_equal(tw_idx_set(&x, 4, 103), 0);
	assert_int_equal(slots_of(&x, 100), 0x1100);
	assert_int_equal(slots_of(&x, 103), 0x0818);
	assert_int_equal(x.n, 13);
	for (s = 0; s < 16; s++)
		tw_idx_del(&x, s);
	assert_int_equal(x.n, 0);
	assert_int_equal(tw_idx_max_chain(&x), 0);
	tw_idx_fini(&x);
}

/* Random operations against a plain array. */
static void
test_model(void **state TW_UNUSED)
{
	enum { CAP = 64, KEYS = 24, OPS = 200000 };
	uint64_t model[CAP];
	bool in[CAP];
	struct tw_idx x;
	uint64_t r = 88172645463325252ull;
	unsigned int i, s, k;

	memset(in, 0, sizeof(in));
	assert_int_equal(tw_idx_init(&x, CAP, 12345), 0);
	for (i = 0; i < OPS; i++) {
		r ^= r << 13;
		r ^= r >> 7;
		r ^= r << 17;
		s = (unsigned int)(r % CAP);
		k = (unsigned int)((r >> 20) % KEYS);
		if ((r >> 40) % 3 == 0) {
			tw_idx_del(&x, s);
			in[s] = false;
		} else {
			/* Keys far apart and near: the hash spreads both. */
			uint64_t key = k < KEYS / 2 ? k : (uint64_t)k << 40;

			assert_int_equal(tw_idx_set(&x, s, key), 0);
			in[s] = true;
			model[s] = key;
		}
		if (i % 97 == 0) {
			unsigned int n = 0;

			for (k = 0; k < KEYS; k++) {
				uint64_t key = k < KEYS / 2 ? k : (uint64_t)k << 40;
				uint64_t want = 0;

				for (s = 0; s < CAP; s++)
					if (in[s] && model[s] == key)
						want |= UINT64_C(1) << s;
				assert_true(slots_of(&x, key) == want);
			}
			for (s = 0; s < CAP; s++) {
				assert_int_equal(tw_idx_has(&x, s), in[s]);
				n += in[s];
			}
			assert_int_equal(x.n, n);
		}
	}
	tw_idx_fini(&x);
}

/* Many random keys (SPIs): chains stay short. */
static void
test_spread(void **state TW_UNUSED)
{
	enum { CAP = 16384 };
	struct tw_idx x;
	uint64_t r = 0x9e3779b97f4a7c15ull;
	uint32_t s;

	assert_int_equal(tw_idx_init(&x, CAP, 99), 0);
	for (s = 0; s < CAP; s++) {
		r ^= r << 13;
		r ^= r >> 7;
		r ^= r << 17;
		assert_int_equal(tw_idx_set(&x, s, r), 0);
		assert_int_equal(tw_idx_first(&x, r), s);
	}
	/* Sequential keys (policy numbers) too. */
	assert_true(tw_idx_max_chain(&x) <= 12);
	for (s = 0; s < CAP; s++)
		assert_int_equal(tw_idx_set(&x, s, s), 0);
	assert_true(tw_idx_max_chain(&x) <= 12);
	for (s = 0; s < CAP; s++)
		assert_int_equal(tw_idx_first(&x, s), s);
	tw_idx_fini(&x);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_collisions_and_delete),
		cmocka_unit_test(test_model),
		cmocka_unit_test(test_spread),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
