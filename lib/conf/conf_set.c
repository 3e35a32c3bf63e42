/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A set of 32-bit values for the loader's uniqueness checks (SPIs): open
 * addressing, linear probing, grown at half load, so checking n entries
 * is O(n) instead of comparing each with every earlier one.
 */
#include <errno.h>
#include <stdlib.h>

#include "conf_priv.h"

static uint32_t
set_hash(uint32_t v)
{
	/* murmur3 finalizer: sequential SPIs spread over the table. */
	v ^= v >> 16;
	v *= 0x85ebca6bu;
	v ^= v >> 13;
	v *= 0xc2b2ae35u;
	v ^= v >> 16;
	return v;
}

/* Slot of v, or the empty slot where it would go (0 marks empty). */
static uint32_t
set_slot(const struct conf_u32set *s, uint32_t v)
{
	uint32_t i = set_hash(v) & s->mask;

	while (s->slots[i] != 0 && s->slots[i] != v)
		i = (i + 1) & s->mask;
	return i;
}

static int
set_grow(struct conf_u32set *s)
{
	uint32_t n = s->mask == 0 ? 64 : (s->mask + 1) * 2;
	struct conf_u32set g = { .mask = n - 1 };
	uint32_t i;

	g.slots = calloc(n, sizeof(g.slots[0]));
	if (g.slots == NULL)
		return -ENOMEM;
	g.has_zero = s->has_zero;
	for (i = 0; s->slots != NULL && i <= s->mask; i++)
		if (s->slots[i] != 0) {
			g.slots[set_slot(&g, s->slots[i])] = s->slots[i];
			g.n++;
		}
	free(s->slots);
	*s = g;
	return 0;
}

int
conf_u32set_add(struct conf_u32set *s, uint32_t v)
{
	uint32_t i;

	if (v == 0) {
		if (s->has_zero)
			return 1;
		s->has_zero = true;
		return 0;
	}
	if (2 * (s->n + 1) > s->mask + 1 && set_grow(s) < 0)
		return -ENOMEM;
	i = set_slot(s, v);
	if (s->slots[i] == v)
		return 1;
	s->slots[i] = v;
	s->n++;
	return 0;
}

void
conf_u32set_free(struct conf_u32set *s)
{
	free(s->slots);
	*s = (struct conf_u32set){ 0 };
}
