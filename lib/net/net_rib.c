/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The RIB (net_rib.h): one sorted array; a prefix's routes are adjacent
 * (at most one per source), so its best route is a scan of a few entries.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "net_rib.h"

struct rib {
	struct rib_route *v;
	unsigned int n, cap, max;
};

static const struct {
	char code;
	const char *name;
	uint8_t distance;
} sources[RIB_SOURCE_MAX] = {
	[RIB_CONNECTED] = { 'C', "connected", 0 },
	[RIB_STATIC] = { 'S', "static", 1 },
	[RIB_RRI] = { 'S', "reverse-route", 1 },
	[RIB_EBGP] = { 'B', "bgp", 20 },
	[RIB_OSPF] = { 'O', "ospf", 110 },
	[RIB_IBGP] = { 'B', "bgp", 200 },
	[RIB_KERNEL] = { 'K', "kernel", 250 },
};

uint8_t
rib_source_distance(enum rib_source src)
{
	return src < RIB_SOURCE_MAX ? sources[src].distance :
		RIB_DISTANCE_UNUSABLE;
}

char
rib_source_code(enum rib_source src)
{
	return src < RIB_SOURCE_MAX ? sources[src].code : '?';
}

const char *
rib_source_name(enum rib_source src)
{
	return src < RIB_SOURCE_MAX ? sources[src].name : "?";
}

static uint32_t
mask_of(uint8_t len)
{
	return len == 0 ? 0 : (uint32_t)(~0ull << (32 - len));
}

struct rib *
rib_create(unsigned int max)
{
	struct rib *rib = calloc(1, sizeof(*rib));

	if (rib == NULL)
		return NULL;
	rib->max = max;
	return rib;
}

void
rib_destroy(struct rib *rib)
{
	if (rib == NULL)
		return;
	free(rib->v);
	free(rib);
}

static int
key_cmp(uint32_t p1, uint8_t l1, unsigned int s1, const struct rib_route *r)
{
	if (p1 != r->prefix)
		return p1 < r->prefix ? -1 : 1;
	if (l1 != r->len)
		return l1 < r->len ? -1 : 1;
	if (s1 != (unsigned int)r->src)
		return s1 < (unsigned int)r->src ? -1 : 1;
	return 0;
}

/* The first index whose key is >= the given one. */
static unsigned int
lower_bound(const struct rib *rib, uint32_t prefix, uint8_t len,
	    unsigned int src)
{
	unsigned int lo = 0, hi = rib->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (key_cmp(prefix, len, src, &rib->v[mid]) > 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool
better(const struct rib_route *a, const struct rib_route *b)
{
	if (a->distance != b->distance)
		return a->distance < b->distance;
	if (a->metric != b->metric)
		return a->metric < b->metric;
	return a->src < b->src;
}

/* Index of the best usable route of (prefix, len), or -1. */
static int
best_index(const struct rib *rib, uint32_t prefix, uint8_t len)
{
	unsigned int i = lower_bound(rib, prefix, len, 0);
	int best = -1;

	for (; i < rib->n && rib->v[i].prefix == prefix &&
	     rib->v[i].len == len; i++) {
		if (rib->v[i].distance == RIB_DISTANCE_UNUSABLE)
			continue;
		if (best < 0 || better(&rib->v[i], &rib->v[best]))
			best = (int)i;
	}
	return best;
}

const struct rib_route *
rib_best(const struct rib *rib, uint32_t prefix, uint8_t len)
{
	int i;

	if (len > 32)
		return NULL;
	i = best_index(rib, prefix & mask_of(len), len);
	return i < 0 ? NULL : &rib->v[i];
}

const struct rib_route *
rib_lookup(const struct rib *rib, uint32_t addr)
{
	const struct rib_route *r;
	int len;

	for (len = 32; len >= 0; len--) {
		r = rib_best(rib, addr, (uint8_t)len);
		if (r != NULL)
			return r;
	}
	return NULL;
}

const struct rib_route *
rib_find(const struct rib *rib, uint32_t prefix, uint8_t len,
	 enum rib_source src)
{
	unsigned int i;

	if (len > 32)
		return NULL;
	prefix &= mask_of(len);
	i = lower_bound(rib, prefix, len, src);
	if (i < rib->n && key_cmp(prefix, len, src, &rib->v[i]) == 0)
		return &rib->v[i];
	return NULL;
}

/* The change from the best route before (had, was) to the one now. */
static int
change(const struct rib *rib, uint32_t prefix, uint8_t len, bool had,
       const struct rib_route *was)
{
	const struct rib_route *now = rib_best(rib, prefix, len);

	if (now == NULL)
		return had ? RIB_BEST_GONE : RIB_SAME;
	if (had && memcmp(now, was, sizeof(*now)) == 0)
		return RIB_SAME;
	return RIB_BEST_CHANGED;
}

int
rib_add(struct rib *rib, const struct rib_route *r)
{
	const struct rib_route *b;
	struct rib_route nr, was;
	unsigned int i;
	bool had;

	if (r->len > 32 || r->src >= RIB_SOURCE_MAX)
		return -EINVAL;
	memset(&nr, 0, sizeof(nr)); /* padding too: routes compare bytes */
	nr.prefix = r->prefix & mask_of(r->len);
	nr.len = r->len;
	nr.src = r->src;
	nr.distance = r->distance;
	nr.metric = r->metric;
	nr.tag = r->tag;
	nr.gw = r->gw;
	nr.port = r->port;
	b = rib_best(rib, nr.prefix, nr.len);
	had = b != NULL;
	if (had)
		was = *b;
	i = lower_bound(rib, nr.prefix, nr.len, nr.src);
	if (i < rib->n && key_cmp(nr.prefix, nr.len, nr.src, &rib->v[i]) == 0) {
		rib->v[i] = nr;
		return change(rib, nr.prefix, nr.len, had, &was);
	}
	if (rib->n >= rib->max)
		return -ENOSPC;
	if (rib->n == rib->cap) {
		unsigned int cap = rib->cap == 0 ? 16 : rib->cap * 2;
		struct rib_route *v = realloc(rib->v, cap * sizeof(*v));

		if (v == NULL)
			return -ENOMEM;
		rib->v = v;
		rib->cap = cap;
	}
	memmove(&rib->v[i + 1], &rib->v[i], (rib->n - i) * sizeof(rib->v[0]));
	rib->v[i] = nr;
	rib->n++;
	return change(rib, nr.prefix, nr.len, had, &was);
}

int
rib_del(struct rib *rib, uint32_t prefix, uint8_t len, enum rib_source src)
{
	const struct rib_route *b;
	struct rib_route was;
	unsigned int i;
	bool had;

	if (len > 32 || src >= RIB_SOURCE_MAX)
		return -EINVAL;
	prefix &= mask_of(len);
	i = lower_bound(rib, prefix, len, src);
	if (i >= rib->n || key_cmp(prefix, len, src, &rib->v[i]) != 0)
		return -ENOENT;
	b = rib_best(rib, prefix, len);
	had = b != NULL;
	if (had)
		was = *b;
	memmove(&rib->v[i], &rib->v[i + 1],
		(rib->n - i - 1) * sizeof(rib->v[0]));
	rib->n--;
	return change(rib, prefix, len, had, &was);
}

unsigned int
rib_count(const struct rib *rib)
{
	return rib->n;
}

const struct rib_route *
rib_at(const struct rib *rib, unsigned int i)
{
	return i < rib->n ? &rib->v[i] : NULL;
}

bool
rib_is_best(const struct rib *rib, unsigned int i)
{
	if (i >= rib->n)
		return false;
	return best_index(rib, rib->v[i].prefix, rib->v[i].len) == (int)i;
}
