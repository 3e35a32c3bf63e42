/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Learned routes (ctl_route.h): the table of what the kernel has. Keyed
 * like the kernel's routes: prefix, length and metric (RTA_PRIORITY); the
 * best one of a prefix (distance, then metric) is handed to the RIB
 * (route/: route_add() with the source of its protocol), which weighs it
 * against the connected, static and reverse-route routes of the same
 * prefix by administrative distance and programs the fast path's FIB.
 * The netlink side that feeds it: ctl_route_nl.c.
 */
#include <errno.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <string.h>

#include "ctl.h"
#include "ctl_route.h"
#include "ctl_route_priv.h"
#include "net_rib.h"
#include "route.h"
#include "tw_compiler.h"
#include "tw_log.h"

#define RTPROT_FRR_STATIC 196   /* FRR's staticd */
#define AD_KERNEL 250           /* other kernel routes: below floating */

struct lroute {
	uint32_t prefix;
	uint8_t len;
	uint32_t nexthop;
	uint16_t port;
	uint8_t proto;
	uint8_t distance;
	uint32_t metric;
	uint64_t mark;              /* dump generation it was last seen in */
	bool programmed;
};

static struct {
	struct ctl *ctl;
	uint64_t gen;               /* stamped on what is added or replaced */
	bool refused;               /* routes refused for want of room */
	struct lroute rt[CTL_ROUTE_MAX];
	unsigned int n;
	struct ctl_route_counters cnt;
} lt;

uint8_t
ctl_route_distance(uint8_t proto)
{
	switch (proto) {
	case RTPROT_FRR_STATIC:
		return 1;
	case RTPROT_BGP:
		return 20;      /* eBGP; the kernel does not say iBGP (200) */
	case RTPROT_EIGRP:
		return 90;
	case RTPROT_OSPF:
		return 110;
	case RTPROT_ISIS:
		return 115;
	case RTPROT_RIP:
		return 120;
	default:
		return AD_KERNEL;
	}
}

const char *
ctl_route_proto_name(uint8_t proto)
{
	switch (proto) {
	case RTPROT_FRR_STATIC:
		return "static";
	case RTPROT_BGP:
		return "bgp";
	case RTPROT_EIGRP:
		return "eigrp";
	case RTPROT_OSPF:
		return "ospf";
	case RTPROT_ISIS:
		return "isis";
	case RTPROT_RIP:
		return "rip";
	default:
		return "kernel";
	}
}

static enum rib_source
source_of(const struct lroute *r)
{
	return rib_source_of_rtprot(r->proto, ROUTE_RTPROT);
}

/* A route of another source (connected, static, RRI) wins over r. */
static bool
shadowed(const struct lroute *r)
{
	const struct rib_route *b;

	if (route_rib() == NULL)
		return false;
	b = rib_best(route_rib(), r->prefix, r->len);
	return b != NULL && b->src != source_of(r);
}

static bool
better(const struct lroute *a, const struct lroute *b)
{
	if (a->distance != b->distance)
		return a->distance < b->distance;
	return a->metric < b->metric;
}

/*
 * Hand the best learned route of prefix/len to the RIB, or withdraw it.
 * changed: the best one's next hop or metric may differ from what the
 * RIB has.
 */
static void
reprogram(struct ctl *ctl, uint32_t prefix, uint8_t len, bool changed)
{
	struct lroute *best = NULL, *was = NULL;
	struct rib_route rr;
	unsigned int i;
	int rc;

	for (i = 0; i < lt.n; i++) {
		struct lroute *r = &lt.rt[i];

		if (r->prefix != prefix || r->len != len)
			continue;
		if (r->programmed)
			was = r;
		if (best == NULL || better(r, best))
			best = r;
	}
	if (best == was && !changed)
		return;
	if (was != NULL) {
		was->programmed = false;
		/* One RIB entry per source: a new best of it replaces. */
		if (best == NULL || source_of(best) != source_of(was)) {
			rc = route_del(prefix, len, source_of(was));
			if (rc < 0 && rc != -ENOENT)
				lt.cnt.fib_errors++;
			ctl_commit_later(ctl);
		}
	}
	if (best == NULL)
		return;
	memset(&rr, 0, sizeof(rr));
	rr.prefix = prefix;
	rr.len = len;
	rr.src = source_of(best);
	rr.distance = best->distance;
	rr.metric = best->metric;
	rr.gw = best->nexthop;
	rr.port = best->port;
	rc = route_add(&rr);
	if (rc < 0) {
		lt.cnt.fib_errors++;
		tw_log(TW_LOG_ERR, "route",
		       "cannot add a learned route to the RIB: %s",
		       strerror(-rc));
		return;
	}
	best->programmed = true;
	ctl_commit_later(ctl);
}

static struct lroute *
find(uint32_t prefix, uint8_t len, uint32_t metric)
{
	unsigned int i;

	for (i = 0; i < lt.n; i++)
		if (lt.rt[i].prefix == prefix && lt.rt[i].len == len &&
		    lt.rt[i].metric == metric)
			return &lt.rt[i];
	return NULL;
}

int
ctl_route_learned_add(struct ctl *ctl, uint32_t prefix, uint8_t len,
		      uint32_t nexthop, uint16_t port, uint8_t proto,
		      uint32_t metric)
{
	struct lroute *r;

	if (len > 32 || port >= dp_n_ports())
		return -EINVAL;
	prefix &= net_prefix_mask(len);
	r = find(prefix, len, metric);
	if (r != NULL && r->nexthop == nexthop && r->port == port &&
	    r->proto == proto) {
		r->mark = lt.gen;       /* seen again (a dump): no change */
		return 0;
	}
	if (r != NULL) {
		lt.cnt.replaced++;
	} else {
		if (lt.n == CTL_ROUTE_MAX) {
			lt.refused = true;
			if (lt.cnt.table_full++ % 1000 == 0)
				tw_log(TW_LOG_WARNING, "route",
				       "%u learned routes held: more are refused (%llu so far)",
				       CTL_ROUTE_MAX,
				       (unsigned long long)lt.cnt.table_full);
			return -ENOSPC;
		}
		r = &lt.rt[lt.n++];
		memset(r, 0, sizeof(*r));
		lt.cnt.added++;
	}
	r->prefix = prefix;
	r->len = len;
	r->nexthop = nexthop;
	r->port = port;
	r->proto = proto;
	r->distance = ctl_route_distance(proto);
	r->metric = metric;
	r->mark = lt.gen;
	reprogram(ctl, prefix, len, true);
	return 0;
}

/* Whether a programmed learned route of (prefix, len, src) remains. */
static bool
src_held(uint32_t prefix, uint8_t len, enum rib_source src)
{
	unsigned int i;

	for (i = 0; i < lt.n; i++)
		if (lt.rt[i].programmed && lt.rt[i].prefix == prefix &&
		    lt.rt[i].len == len && source_of(&lt.rt[i]) == src)
			return true;
	return false;
}

static void
remove_at(struct ctl *ctl, unsigned int i)
{
	uint32_t prefix = lt.rt[i].prefix;
	uint8_t len = lt.rt[i].len;

	bool was = lt.rt[i].programmed;
	enum rib_source src = source_of(&lt.rt[i]);
	int rc;

	lt.rt[i] = lt.rt[--lt.n];
	lt.cnt.deleted++;
	if (was) {
		/* The next best (if any) takes its place, else withdraw. */
		reprogram(ctl, prefix, len, true);
		if (!src_held(prefix, len, src)) {
			rc = route_del(prefix, len, src);
			if (rc < 0 && rc != -ENOENT)
				lt.cnt.fib_errors++;
			ctl_commit_later(ctl);
		}
	}
}

int
ctl_route_learned_del(struct ctl *ctl, uint32_t prefix, uint8_t len,
		      uint32_t nexthop TW_UNUSED, uint16_t port TW_UNUSED,
		      uint8_t proto TW_UNUSED, uint32_t metric)
{
	struct lroute *r;

	if (len > 32)
		return -EINVAL;
	r = find(prefix & net_prefix_mask(len), len, metric);
	if (r == NULL)
		return -ENOENT;
	remove_at(ctl, (unsigned int)(r - lt.rt));
	return 0;
}

void
ctl_route_flush_port(struct ctl *ctl, uint16_t port, const char *why)
{
	unsigned int i = 0, n = 0;

	while (i < lt.n) {
		if (lt.rt[i].port == port) {
			remove_at(ctl, i);
			n++;
			continue;
		}
		i++;
	}
	lt.cnt.flushed += n;
	if (n > 0)
		tw_log(TW_LOG_WARNING, "route",
		       "interface %s: control-plane interface %s: %u learned routes removed",
		       dp_port(port)->name, why, n);
}

const struct ctl_route_counters *
ctl_route_counters(void)
{
	return &lt.cnt;
}

struct ctl_route_counters *
ctl_route_cnt(void)
{
	return &lt.cnt;
}

void
ctl_route_table_init(struct ctl *ctl)
{
	memset(&lt, 0, sizeof(lt));
	lt.ctl = ctl;
}

void
ctl_route_set_gen(uint64_t gen)
{
	lt.gen = gen;
}

void
ctl_route_sweep(struct ctl *ctl)
{
	unsigned int i = 0;

	while (i < lt.n) {
		if (lt.rt[i].mark != lt.gen) {
			remove_at(ctl, i);
			continue;
		}
		i++;
	}
}

bool
ctl_route_refused_room(void)
{
	bool r = lt.refused && lt.n < CTL_ROUTE_MAX;

	if (r)
		lt.refused = false;
	return r;
}

unsigned int
ctl_route_count(void)
{
	return lt.n;
}

bool
ctl_route_view(unsigned int i, struct ctl_route_view *v)
{
	const struct lroute *r;

	if (i >= lt.n)
		return false;
	r = &lt.rt[i];
	v->prefix = r->prefix;
	v->len = r->len;
	v->nexthop = r->nexthop;
	v->port = r->port;
	v->proto = r->proto;
	v->distance = r->distance;
	v->metric = r->metric;
	v->shadowed = r->programmed && shadowed(r);
	v->programmed = r->programmed && !v->shadowed;
	return true;
}
