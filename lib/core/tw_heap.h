/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TW_HEAP_H
#define TW_HEAP_H

/*
 * Deadline heap: a binary min-heap of (when, callback, arg) entries with
 * stable handles so a deadline can be re-armed or cancelled in O(log n).
 * The owner calls tw_heap_run(now) from its event loop.
 */

#include <stdbool.h>
#include <stdint.h>

#include "tw_time.h"

typedef void (*tw_deadline_fn)(void *arg, tw_time_t now);

struct tw_deadline {
	tw_time_t when;
	tw_deadline_fn fn;
	void *arg;
	/*
	 * Position in the heap plus one; 0 when not armed, so a deadline in
	 * zeroed memory (calloc, a static) is safely "not armed" even before
	 * tw_deadline_init() and can be cancelled harmlessly.
	 */
	uint32_t index;
};

struct tw_heap {
	struct tw_deadline **slots;
	uint32_t len;
	uint32_t cap;
};

void tw_deadline_init(struct tw_deadline *d, tw_deadline_fn fn, void *arg);
static inline bool
tw_deadline_armed(const struct tw_deadline *d)
{
	return d->index != 0;
}

int tw_heap_init(struct tw_heap *h, uint32_t cap);
void tw_heap_fini(struct tw_heap *h);
/* Arm (or re-arm) d to fire at when. -ENOMEM if the heap cannot grow. */
int tw_heap_arm(struct tw_heap *h, struct tw_deadline *d, tw_time_t when);
void tw_heap_cancel(struct tw_heap *h, struct tw_deadline *d);
/* Earliest armed deadline, TW_TIME_NEVER if none. */
tw_time_t tw_heap_next(const struct tw_heap *h);
/* Fire every deadline due at or before now; returns how many fired. */
unsigned int tw_heap_run(struct tw_heap *h, tw_time_t now);

#endif /* TW_HEAP_H */
