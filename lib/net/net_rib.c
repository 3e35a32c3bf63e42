/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The RIB (net_rib.h): the routes in one array of max slots, in no order
 * (an addition takes the next slot, a removal moves the last one into its
 * place), found by (prefix, length) through a hash index (tw_idx, a
 * multimap: a prefix's routes of every source share a key). A prefix has
 * at most RIB_SOURCE_MAX routes, so its best is a scan of a few entries:
 * adding, removing and finding are O(1), whatever the table's size.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "net_rib.h"
#include "tw_idx.h"

struct rib {
	struct rib_route *v;
	unsigned int n, max;
	struct tw_idx idx;          /* slots by (prefix, len) */
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

enum rib_source
rib_source_of_rtprot(uint8_t proto, uint8_t own_proto)
{
	if (proto == own_proto)
		return RIB_SOURCE_MAX;
	switch (proto) {
	case RIB_RTPROT_BGP:
		return RIB_EBGP;
	case RIB_RTPROT_OSPF:
		return RIB_OSPF;
	default:
		return RIB_KERNEL;
	}
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

static uint64_t
key_of(uint32_t prefix, uint8_t len)
{
	return (uint64_t)prefix << 8 | len;
}

struct rib *
rib_create(unsigned int max)
{
	struct rib *rib = calloc(1, sizeof(*rib));

	if (rib == NULL)
		return NULL;
	rib->max = max;
	rib->v = calloc(max == 0 ? 1 : max, sizeof(rib->v[0]));
	/* a fixed seed: the keys are our own routes, not a peer's choice */
	if (rib->v == NULL || max == 0 ||
	    tw_idx_init(&rib->idx, max, 0x726962) != 0) {
		free(rib->v);
		free(rib);
		return NULL;
	}
	return rib;
}

void
rib_destroy(struct rib *rib)
{
	if (rib == NULL)
		return;
	tw_idx_fini(&rib->idx);
	free(rib->v);
	free(rib);
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

/* The slot of (prefix, len, src), or -1. */
static int
slot_of(const struct rib *rib, uint32_t prefix, uint8_t len,
	enum rib_source src)
{
	uint32_t i;

	for (i = tw_idx_first(&rib->idx, key_of(prefix, len));
	     i != TW_IDX_NONE; i = tw_idx_next(&rib->idx, i)) {
		const struct rib_route *r = &rib->v[i];

		if (r->prefix == prefix && r->len == len && r->src == src)
			return (int)i;
	}
	return -1;
}

/* The slot of the best usable route of (prefix, len), or -1. */
static int
best_index(const struct rib *rib, uint32_t prefix, uint8_t len)
{
	int best = -1;
	uint32_t i;

	for (i = tw_idx_first(&rib->idx, key_of(prefix, len));
	     i != TW_IDX_NONE; i = tw_idx_next(&rib->idx, i)) {
		const struct rib_route *r = &rib->v[i];

		if (r->prefix != prefix || r->len != len ||
		    r->distance == RIB_DISTANCE_UNUSABLE)
			continue;
		if (best < 0 || better(r, &rib->v[best]))
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
	int i;

	if (len > 32)
		return NULL;
	i = slot_of(rib, prefix & mask_of(len), len, src);
	return i < 0 ? NULL : &rib->v[i];
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
	bool had;
	int i;

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
	i = slot_of(rib, nr.prefix, nr.len, nr.src);
	if (i < 0) {
		if (rib->n >= rib->max)
			return -ENOSPC;
		i = (int)rib->n++;
		(void)tw_idx_set(&rib->idx, (uint32_t)i,
				 key_of(nr.prefix, nr.len));
	}
	rib->v[i] = nr;
	return change(rib, nr.prefix, nr.len, had, &was);
}

int
rib_del(struct rib *rib, uint32_t prefix, uint8_t len, enum rib_source src)
{
	const struct rib_route *b;
	struct rib_route was;
	unsigned int last;
	bool had;
	int i;

	if (len > 32 || src >= RIB_SOURCE_MAX)
		return -EINVAL;
	prefix &= mask_of(len);
	i = slot_of(rib, prefix, len, src);
	if (i < 0)
		return -ENOENT;
	b = rib_best(rib, prefix, len);
	had = b != NULL;
	if (had)
		was = *b;
	tw_idx_del(&rib->idx, (uint32_t)i);
	last = --rib->n;
	if ((unsigned int)i != last) {
		rib->v[i] = rib->v[last];
		tw_idx_del(&rib->idx, last);
		(void)tw_idx_set(&rib->idx, (uint32_t)i,
				 key_of(rib->v[i].prefix, rib->v[i].len));
	}
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
