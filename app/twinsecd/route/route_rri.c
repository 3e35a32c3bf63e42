/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Reverse route injection (route.h): the SA database's watcher.
 *
 * An outbound SA entering INSTALLED injects its entry's routes, leaving it
 * (DECOUPLED on relinquish, DELETED) withdraws them; the inbound SA of the
 * pair follows the same transitions, so the outbound one stands for the
 * pair. What an SA injected is recorded per SA id, so the withdrawal does
 * not depend on the configuration still saying the same (a reload).
 *
 * Injected prefixes are counted: an IKE rekey installs the new SA before
 * the old one goes, so the route never flaps; two entries protecting the
 * same remote subnet share one route (the first one's tag, metric and
 * distance).
 *
 * The route's next hop in the fast path: remote_peer's next hop when the
 * config gives one, else the one the RIB has toward the peer (the peer
 * itself when it is on a connected subnet). The kernel's copy is on the
 * inside interface (its kernel counterpart carries its name), with the
 * entry's metric as the route's priority and its tag as the realm: FRR's
 * zebra takes a kernel route's realm as the route's tag, so
 * "redistribute kernel route-map M" with "match tag N" picks it up.
 *
 * A watcher must not change the SA database; this one changes only the
 * RIB, the fast path's staging and the kernel.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dp.h"
#include "route.h"
#include "tw_idx.h"
#include "tw_log.h"

#define ROUTE_LOG "route"
/* Injected prefixes at most (the RIB holds ROUTE_RIB_MAX routes in all). */
#define RRI_MAX 32768

struct rri_pfx {
	uint32_t prefix;
	uint8_t len;
	uint32_t refs;
	bool in_kernel;
	struct rib_route r;
	char ifname[CONF_NAME_MAX];   /* "": no inside interface */
};

/* What one installed outbound SA holds (SADB_MAX_SELECTORS + the peer). */
struct rri_sa {
	unsigned int n;
	struct {
		uint32_t prefix;
		uint8_t len;
	} k[SADB_MAX_SELECTORS + 1];
};

static struct {
	struct sadb *db;
	struct rri_pfx *v;
	unsigned int n, cap;
	struct tw_idx idx;            /* v's slots by (prefix, len) */
	struct rri_sa **by_id;        /* [n_id] */
	uint32_t n_id;
} rr;

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
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

static int
find(uint32_t prefix, uint8_t len)
{
	uint32_t i;

	for (i = tw_idx_first(&rr.idx, key_of(prefix, len));
	     i != TW_IDX_NONE; i = tw_idx_next(&rr.idx, i))
		if (rr.v[i].prefix == prefix && rr.v[i].len == len)
			return (int)i;
	return -1;
}

bool
route_rri_kernel(uint32_t prefix, uint8_t len)
{
	int i = find(prefix, len);

	return i >= 0 && rr.v[i].in_kernel;
}

static const char *
inside_name(const struct conf *c)
{
	unsigned int i;

	/*
	 * Its kernel counterpart: the control-plane interface's name
	 * (control_plane_name, else the interface name), or for an
	 * interface without one, a kernel interface of the same name.
	 */
	for (i = 0; i < c->n_ifaces; i++)
		if (c->ifaces[i].role == CONF_ROLE_INSIDE)
			return c->ifaces[i].cp_name[0] != '\0' ?
				c->ifaces[i].cp_name : c->ifaces[i].name;
	return "";
}

static int
iface_port(const struct conf *c, const struct conf_iface *f)
{
	return f == NULL ? -1 : (int)(f - c->ifaces);
}

/*
 * The route to the peer through which reverse routes go: the longest
 * connected or static route holding it. Not a learned route, nor a
 * reverse route: on a twin the routing daemon learns back from the inside
 * network the routes the other twin injected (the peer's host route among
 * them, pointing at that twin's inside address), and a reverse route
 * resolved through one would send the tunnel's traffic back inside, to
 * the twin that just died (tests/ha/rri_ospf.sh).
 */
static const struct rib_route *
peer_route(uint32_t peer)
{
	static const enum rib_source srcs[] = { RIB_CONNECTED, RIB_STATIC };
	const struct rib_route *r, *best;
	unsigned int i;
	int len;

	for (len = 32; len >= 0; len--) {
		best = NULL;
		for (i = 0; i < RTE_DIM(srcs); i++) {
			r = rib_find(route_rib(), peer, (uint8_t)len, srcs[i]);
			if (r == NULL || r->distance == RIB_DISTANCE_UNUSABLE)
				continue;
			if (best == NULL || r->distance < best->distance)
				best = r;
		}
		if (best != NULL)
			return best;
	}
	return NULL;
}

/* The fast path's next hop toward peer for routes of entry e of map. */
static int
next_hop(const struct conf *c, const char *map, const struct conf_rri *ri,
	 uint32_t peer, uint32_t *gw, uint16_t *port)
{
	const struct rib_route *r;
	unsigned int i;

	if (ri->next_hop != 0) {
		int p = iface_port(c, conf_iface_connected(c, ri->next_hop));

		if (p < 0)
			return -ENETUNREACH;
		*gw = ri->next_hop;
		*port = (uint16_t)p;
		return 0;
	}
	r = peer_route(peer);
	if (r != NULL) {
		*gw = r->gw != 0 ? r->gw : peer;
		*port = r->port;
		return 0;
	}
	/* no route to the peer: its crypto map's interface, ARPed for */
	for (i = 0; i < c->n_ifaces; i++) {
		if (strcmp(c->ifaces[i].crypto_map, map) == 0) {
			*gw = peer;
			*port = (uint16_t)i;
			return 0;
		}
	}
	return -ENETUNREACH;
}

/*
 * One line per route at DEBUG (a takeover injects one per tunnel; its
 * summary line counts them), failures above.
 */
static void
say(enum tw_log_level level, const char *what, const struct rri_pfx *p,
    const char *why)
{
	tw_log(level, ROUTE_LOG,
	       "reverse route %u.%u.%u.%u/%u %s%s%s", p->prefix >> 24,
	       p->prefix >> 16 & 0xff, p->prefix >> 8 & 0xff,
	       p->prefix & 0xff, p->len, what, why != NULL ? ": " : "",
	       why != NULL ? why : "");
}

/* A route the kernel did not take (its interface missing): try again. */
static void
kernel_retry(struct rri_pfx *p)
{
	if (p->in_kernel || p->ifname[0] == '\0')
		return;
	p->in_kernel = route_nl_route(true, p->prefix, p->len, p->ifname,
				      p->r.metric, p->r.tag) == 0;
	if (p->in_kernel)
		say(TW_LOG_INFO, "now in the kernel", p, NULL);
}

unsigned int
route_rri_resync(void)
{
	unsigned int i, n = 0;

	for (i = 0; i < rr.n; i++) {
		kernel_retry(&rr.v[i]);
		n += rr.v[i].in_kernel;
	}
	return n;
}

static int
ref(uint32_t prefix, uint8_t len, const struct conf_rri *ri, uint32_t gw,
    uint16_t port, const char *ifname)
{
	struct route_counters *cnt = route_cnt();
	struct rri_pfx *p;
	int i = find(prefix, len), rc;

	if (i >= 0) {
		rr.v[i].refs++;
		kernel_retry(&rr.v[i]);
		return 0;
	}
	if (rr.n == RRI_MAX)
		return -ENOSPC;
	if (rr.n == rr.cap) {
		unsigned int cap = rr.cap == 0 ? 16 : rr.cap * 2;
		struct rri_pfx *v = realloc(rr.v, cap * sizeof(*v));

		if (v == NULL)
			return -ENOMEM;
		rr.v = v;
		rr.cap = cap;
	}
	p = &rr.v[rr.n];
	memset(p, 0, sizeof(*p));
	p->prefix = prefix;
	p->len = len;
	p->refs = 1;
	p->r = (struct rib_route){
		.prefix = prefix, .len = len, .src = RIB_RRI,
		.distance = ri->distance, .metric = ri->metric,
		.tag = ri->tag, .gw = gw, .port = port,
	};
	snprintf(p->ifname, sizeof(p->ifname), "%s", ifname);
	rc = route_add(&p->r);
	if (rc < 0) {
		cnt->rri_errors++;
		say(TW_LOG_ERR, "not injected", p, strerror(-rc));
		return rc;
	}
	(void)tw_idx_set(&rr.idx, rr.n, key_of(prefix, len));
	rr.n++;
	cnt->rri_injected++;
	cnt->rri_now = rr.n;
	if (p->ifname[0] != '\0')
		p->in_kernel = route_nl_route(true, prefix, len, p->ifname,
					      ri->metric, ri->tag) == 0;
	say(p->in_kernel ? TW_LOG_DEBUG : TW_LOG_WARNING, "injected", p,
	    p->in_kernel ? NULL : "fast path only (no kernel route)");
	return 0;
}

static void
unref(uint32_t prefix, uint8_t len)
{
	struct route_counters *cnt = route_cnt();
	int i = find(prefix, len);
	struct rri_pfx *p;

	if (i < 0)
		return;
	p = &rr.v[i];
	if (--p->refs > 0)
		return;
	(void)route_del(prefix, len, RIB_RRI);
	if (p->in_kernel)
		(void)route_nl_route(false, prefix, len, p->ifname,
				     p->r.metric, p->r.tag);
	say(TW_LOG_DEBUG, "withdrawn", p, NULL);
	tw_idx_del(&rr.idx, (uint32_t)i);
	if ((unsigned int)i != --rr.n) {
		rr.v[i] = rr.v[rr.n];
		tw_idx_del(&rr.idx, rr.n);
		(void)tw_idx_set(&rr.idx, (uint32_t)i,
				 key_of(rr.v[i].prefix, rr.v[i].len));
	}
	cnt->rri_withdrawn++;
	cnt->rri_now = rr.n;
}

static void
sa_add_key(struct rri_sa *x, uint32_t prefix, uint8_t len)
{
	unsigned int i;

	for (i = 0; i < x->n; i++)
		if (x->k[i].prefix == prefix && x->k[i].len == len)
			return;
	x->k[x->n].prefix = prefix;
	x->k[x->n].len = len;
	x->n++;
}

/* The entry seq of m (entries are sorted by seq): O(log n) per SA. */
static const struct conf_map_entry *
entry_find(const struct conf_crypto_map *m, uint32_t seq)
{
	unsigned int lo = 0, hi = m->n_entries, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (m->entries[mid].seq < seq)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < m->n_entries && m->entries[lo].seq == seq ?
		&m->entries[lo] : NULL;
}

static void
sa_up(const struct sadb_sa *sa)
{
	const struct conf *c = route_conf();
	const struct conf_crypto_map *m;
	const struct conf_map_entry *e = NULL;
	struct rri_sa *x;
	unsigned int i;
	uint32_t gw = 0;
	uint16_t port = 0;
	int rc;

	if (sa->id >= rr.n_id || rr.by_id[sa->id] != NULL || c == NULL)
		return;
	m = conf_crypto_map_find(c, sa->p.map);
	if (m != NULL)
		e = entry_find(m, sa->p.map_seq);
	if (e == NULL) {
		route_cnt()->rri_no_entry++;
		return;
	}
	if (!e->rri.enabled)
		return;
	rc = next_hop(c, sa->p.map, &e->rri, sa->p.peer_addr, &gw, &port);
	if (rc < 0) {
		route_cnt()->rri_errors++;
		tw_log(TW_LOG_ERR, ROUTE_LOG,
		       "reverse routes of crypto map %s seq %u: no way to peer %u.%u.%u.%u",
		       sa->p.map, sa->p.map_seq, sa->p.peer_addr >> 24,
		       sa->p.peer_addr >> 16 & 0xff,
		       sa->p.peer_addr >> 8 & 0xff, sa->p.peer_addr & 0xff);
		return;
	}
	x = calloc(1, sizeof(*x));
	if (x == NULL) {
		route_cnt()->rri_errors++;
		return;
	}
	for (i = 0; i < sa->p.n_sel; i++)
		sa_add_key(x, sa->p.sel[i].dst_addr &
			   mask_of(sa->p.sel[i].dst_len),
			   sa->p.sel[i].dst_len);
	if (e->rri.remote_peer)
		sa_add_key(x, sa->p.peer_addr, 32);
	for (i = 0; i < x->n; i++) {
		if (ref(x->k[i].prefix, x->k[i].len, &e->rri, gw, port,
			inside_name(c)) < 0) {
			x->k[i] = x->k[--x->n];
			i--;
		}
	}
	rr.by_id[sa->id] = x;
}

static void
sa_down(const struct sadb_sa *sa)
{
	struct rri_sa *x;
	unsigned int i;

	if (sa->id >= rr.n_id || rr.by_id[sa->id] == NULL)
		return;
	x = rr.by_id[sa->id];
	rr.by_id[sa->id] = NULL;
	for (i = 0; i < x->n; i++)
		unref(x->k[i].prefix, x->k[i].len);
	free(x);
}

static void
on_sa(void *arg, struct sadb *db, const struct sadb_sa *sa,
      enum sadb_sa_state from, enum sadb_sa_state to)
{
	uint64_t t0;

	(void)arg;
	(void)db;
	if (sa->p.dir != SADB_DIR_OUT || from == to)
		return;
	if (to != SADB_SA_INSTALLED && from != SADB_SA_INSTALLED)
		return;
	t0 = now_ns();
	if (to == SADB_SA_INSTALLED)
		sa_up(sa);
	else
		sa_down(sa);
	route_cnt()->rri_ns += now_ns() - t0;
}

int
route_rri_init(struct sadb *db)
{
	int rc;

	memset(&rr, 0, sizeof(rr));
	rr.n_id = sadb_capacity(db);
	rr.by_id = calloc(rr.n_id == 0 ? 1 : rr.n_id, sizeof(rr.by_id[0]));
	if (rr.by_id == NULL)
		return -ENOMEM;
	rc = tw_idx_init(&rr.idx, RRI_MAX, (uint64_t)now_ns());
	if (rc == 0)
		rc = sadb_watch(db, on_sa, NULL);
	if (rc < 0) {
		tw_idx_fini(&rr.idx);
		free(rr.by_id);
		rr.by_id = NULL;
		return rc;
	}
	rr.db = db;
	return 0;
}

void
route_rri_fini(void)
{
	uint32_t i;

	if (rr.db != NULL)
		sadb_unwatch(rr.db, on_sa, NULL);
	for (i = 0; i < rr.n_id; i++)
		free(rr.by_id[i]);
	free(rr.by_id);
	free(rr.v);
	tw_idx_fini(&rr.idx);
	memset(&rr, 0, sizeof(rr));
}
