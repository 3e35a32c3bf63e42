/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdlib.h>

#include "tw_heap.h"

void
tw_deadline_init(struct tw_deadline *d, tw_deadline_fn fn, void *arg)
{
	d->when = TW_TIME_NEVER;
	d->fn = fn;
	d->arg = arg;
	d->index = 0;
}

int
tw_heap_init(struct tw_heap *h, uint32_t cap)
{
	if (cap == 0)
		cap = 16;
	h->slots = calloc(cap, sizeof(*h->slots));
	if (h->slots == NULL)
		return -ENOMEM;
	h->len = 0;
	h->cap = cap;
	return 0;
}

void
tw_heap_fini(struct tw_heap *h)
{
	uint32_t i;

	for (i = 0; i < h->len; i++)
		h->slots[i]->index = 0;
	free(h->slots);
	h->slots = NULL;
	h->len = 0;
	h->cap = 0;
}

static void
heap_place(struct tw_heap *h, uint32_t i, struct tw_deadline *d)
{
	h->slots[i] = d;
	d->index = i + 1;
}

static void
heap_up(struct tw_heap *h, uint32_t i)
{
	struct tw_deadline *d = h->slots[i];

	while (i > 0) {
		uint32_t parent = (i - 1) / 2;

		if (h->slots[parent]->when <= d->when)
			break;
		heap_place(h, i, h->slots[parent]);
		i = parent;
	}
	heap_place(h, i, d);
}

static void
heap_down(struct tw_heap *h, uint32_t i)
{
	struct tw_deadline *d = h->slots[i];

	for (;;) {
		uint32_t child = 2 * i + 1;

		if (child >= h->len)
			break;
		if (child + 1 < h->len &&
		    h->slots[child + 1]->when < h->slots[child]->when)
			child++;
		if (d->when <= h->slots[child]->when)
			break;
		heap_place(h, i, h->slots[child]);
		i = child;
	}
	heap_place(h, i, d);
}

int
tw_heap_arm(struct tw_heap *h, struct tw_deadline *d, tw_time_t when)
{
	if (tw_deadline_armed(d)) {
		tw_time_t old = d->when;

		d->when = when;
		if (when < old)
			heap_up(h, d->index - 1);
		else
			heap_down(h, d->index - 1);
		return 0;
	}
	if (h->len == h->cap) {
		uint32_t cap = h->cap * 2;
		struct tw_deadline **s = realloc(h->slots, cap * sizeof(*s));

		if (s == NULL)
			return -ENOMEM;
		h->slots = s;
		h->cap = cap;
	}
	d->when = when;
	heap_place(h, h->len++, d);
	heap_up(h, d->index - 1);
	return 0;
}

void
tw_heap_cancel(struct tw_heap *h, struct tw_deadline *d)
{
	uint32_t i = d->index - 1;
	struct tw_deadline *last;

	if (!tw_deadline_armed(d))
		return;
	if (i >= h->len || h->slots[i] != d)
		abort(); /* armed on another heap, or memory corruption */
	d->index = 0;
	last = h->slots[--h->len];
	if (last == d)
		return;
	heap_place(h, i, last);
	heap_up(h, i);
	heap_down(h, last->index - 1);
}

tw_time_t
tw_heap_next(const struct tw_heap *h)
{
	return h->len == 0 ? TW_TIME_NEVER : h->slots[0]->when;
}

unsigned int
tw_heap_run(struct tw_heap *h, tw_time_t now)
{
	unsigned int fired = 0;

	while (h->len > 0 && h->slots[0]->when <= now) {
		struct tw_deadline *d = h->slots[0];

		tw_heap_cancel(h, d);
		fired++;
		/* The callback may re-arm d or arm others. */
		d->fn(d->arg, now);
	}
	return fired;
}
