/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The RIB and the fast path's FIB (route.h). The FIB holds exactly the
 * best route of every prefix: each rib_add()/rib_del() says whether the
 * prefix's best changed, and only then is the fast path's staging touched
 * (its 32 MiB table is rebuilt at the next commit, so a change that does
 * not move the best route costs nothing).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dp.h"
#include "route.h"
#include "tw_log.h"

#define ROUTE_LOG "route"
/* Learned routes on top of the config's: a full table is refused. */
#define ROUTE_RIB_MAX 65536

static struct route_state {
	struct rib *rib;
	const struct conf *conf;
	struct route_counters cnt;
} rt;

struct route_counters *
route_cnt(void)
{
	return &rt.cnt;
}

const struct route_counters *
route_counters(void)
{
	return &rt.cnt;
}

const struct conf *
route_conf(void)
{
	return rt.conf;
}

const struct rib *
route_rib(void)
{
	return rt.rib;
}

void
route_set_conf(const struct conf *c)
{
	rt.conf = c;
}

/* Stage the prefix's best route (or its absence) into the fast path. */
static void
program(uint32_t prefix, uint8_t len, int change)
{
	const struct rib_route *b;
	int rc;

	if (change == RIB_SAME)
		return;
	b = rib_best(rt.rib, prefix, len);
	if (b != NULL) {
		rc = dp_route_add(b->prefix, b->len, b->gw, b->port);
		if (rc == 0) {
			rt.cnt.fib_adds++;
			return;
		}
	} else {
		rc = dp_route_del(prefix, len);
		if (rc == 0 || rc == -ENOENT) {
			rt.cnt.fib_dels++;
			return;
		}
	}
	rt.cnt.fib_errors++;
	tw_log(TW_LOG_ERR, ROUTE_LOG, "FIB: %u.%u.%u.%u/%u: %s",
	       prefix >> 24, prefix >> 16 & 0xff, prefix >> 8 & 0xff,
	       prefix & 0xff, len, strerror(-rc));
}

int
route_add(const struct rib_route *r)
{
	int rc;

	if (rt.rib == NULL)
		return -ENODEV;
	if (r->port >= dp_n_ports()) {
		rt.cnt.rib_errors++;
		return -EINVAL;
	}
	rc = rib_add(rt.rib, r);
	if (rc < 0) {
		rt.cnt.rib_errors++;
		return rc;
	}
	rt.cnt.rib_adds++;
	program(r->prefix & (r->len == 0 ? 0 :
			     (uint32_t)(~0ull << (32 - r->len))),
		r->len, rc);
	return 0;
}

int
route_del(uint32_t prefix, uint8_t len, enum rib_source src)
{
	int rc;

	if (rt.rib == NULL)
		return -ENODEV;
	rc = rib_del(rt.rib, prefix, len, src);
	if (rc < 0)
		return rc;
	rt.cnt.rib_dels++;
	program(prefix & (len == 0 ? 0 : (uint32_t)(~0ull << (32 - len))),
		len, rc);
	return 0;
}

int
route_init(const struct conf *c, struct sadb *db, char *err, size_t errlen)
{
	char nlerr[256];
	int rc;

	memset(&rt, 0, sizeof(rt));
	rt.conf = c;
	rt.rib = rib_create(ROUTE_RIB_MAX);
	if (rt.rib == NULL) {
		snprintf(err, errlen, "out of memory for the routing table");
		return -ENOMEM;
	}
	if (route_nl_open(nlerr, sizeof(nlerr)) < 0)
		tw_log(TW_LOG_WARNING, ROUTE_LOG,
		       "kernel routes off: %s (reverse routes stay in the fast path only)",
		       nlerr);
	else
		(void)route_nl_flush();
	rc = route_rri_init(db);
	if (rc < 0) {
		snprintf(err, errlen, "reverse route injection: %s",
			 strerror(-rc));
		return rc;
	}
	return 0;
}

void
route_fini(void)
{
	route_rri_fini();
	/* what the SAs' deletion did not withdraw (a failed request) */
	(void)route_nl_flush();
	route_nl_close();
	rib_destroy(rt.rib);
	rt.rib = NULL;
}
