/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Staged tables and their publication.
 *
 * The control lcore edits plain arrays (staging). dp_commit() builds the
 * pieces that changed into a new immutable struct dp_snap, shares the
 * unchanged pieces with the current one, swaps the published pointer
 * (release), waits with rte_rcu_qsbr_synchronize() until every online
 * worker has passed a quiescent state (workers report once per loop and go
 * offline while they sleep), then frees the old snapshot's pieces that the
 * new one does not share.
 *
 * Costs per commit: SAD and neighbour tables are rebuilt (O(n) hash
 * inserts) when their staging changed; the SPD (rte_acl build) and the FIB
 * (32 MiB DIR24_8 table) only when policies or routes changed.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_malloc.h>
#include <rte_rcu_qsbr.h>

#include "dp_priv.h"
#include "dp_spd6.h"

struct dp_neigh_ent {
	uint16_t port;
	uint32_t addr;
	struct rte_ether_addr mac;
};

static struct {
	struct dp_sa **sa;           /* installed SAs, both directions */
	unsigned int n_sa, cap_sa;
	/*
	 * Indexes that keep install/uninstall O(1) with 10^5 SAs: inbound
	 * SPI -> SA; SA -> number of staged policies that refer to it. An
	 * SA's slot in sa[] (+ 1) is kept in the SA (dp_sa_slot()).
	 */
	struct dp_hmap *spi_in;
	struct dp_hmap *pol_ref;
	struct dp_policy *pol;
	unsigned int n_pol;
	struct dp_route *rt;
	unsigned int n_rt, cap_rt;
	struct dp_neigh_ent *nb;
	unsigned int n_nb, cap_nb;
	struct {
		uint16_t port;
		uint32_t addr;
		bool owned;
	} vip[DP_MAX_VIPS];
	unsigned int n_vip;
	bool sad_dirty, spd_dirty, fib_dirty, neigh_dirty;
	uint64_t gen;
} st;

static int
dp_grow(void **arr, unsigned int *cap, unsigned int need, size_t elt)
{
	unsigned int ncap;
	void *p;

	if (need <= *cap)
		return 0;
	ncap = *cap == 0 ? 16 : *cap;
	while (ncap < need)
		ncap *= 2;
	p = rte_realloc(*arr, (size_t)ncap * elt, 0);
	if (p == NULL)
		return -ENOMEM;
	*arr = p;
	*cap = ncap;
	return 0;
}

static uint64_t
dp_neigh_key(uint16_t port, uint32_t addr)
{
	return ((uint64_t)port + 1) << 32 | addr;
}

static void
dp_snap_free_unshared(struct dp_snap *old, const struct dp_snap *cur)
{
	if (old == NULL)
		return;
	if (cur == NULL || old->sad != cur->sad)
		dp_hmap_free(old->sad);
	if (cur == NULL || old->spd != cur->spd)
		dp_spd_free(old->spd);
	if (cur == NULL || old->fib != cur->fib)
		dp_fib_free(old->fib);
	if (cur == NULL || old->neigh != cur->neigh)
		dp_hmap_free(old->neigh);
	dp_tables6_free_unshared(old, cur);
	rte_free(old);
}

static int
dp_build_sad(struct dp_hmap **out)
{
	struct dp_hmap *h;
	unsigned int i, n = 0;
	int rc;

	for (i = 0; i < st.n_sa; i++)
		n += dp_sa_is_inbound(st.sa[i]);
	h = dp_hmap_create(n);
	if (h == NULL)
		return -ENOMEM;
	for (i = 0; i < st.n_sa; i++) {
		if (!dp_sa_is_inbound(st.sa[i]))
			continue;
		rc = dp_hmap_put(h, dp_sa_spi(st.sa[i]),
				 (uint64_t)(uintptr_t)st.sa[i]);
		if (rc != 0) {
			dp_hmap_free(h);
			return rc;
		}
	}
	*out = h;
	return 0;
}

static int
dp_build_neigh(struct dp_hmap **out)
{
	struct dp_hmap *h;
	unsigned int i;
	uint64_t mac;
	int rc;

	h = dp_hmap_create(st.n_nb);
	if (h == NULL)
		return -ENOMEM;
	for (i = 0; i < st.n_nb; i++) {
		mac = 0;
		memcpy(&mac, st.nb[i].mac.addr_bytes, RTE_ETHER_ADDR_LEN);
		rc = dp_hmap_put(h, dp_neigh_key(st.nb[i].port, st.nb[i].addr),
				 mac | 1ull << 63);
		if (rc != 0) {
			dp_hmap_free(h);
			return rc;
		}
	}
	*out = h;
	return 0;
}

/* Connected routes of our ports come first; configured routes follow. */
static int
dp_build_fib(struct dp_fib **out)
{
	struct dp_route *all;
	unsigned int i, n = 0;
	int rc;

	all = rte_malloc("tw_routes",
			 (dp_g.n_ports + st.n_rt + 1) * sizeof(*all), 0);
	if (all == NULL)
		return -ENOMEM;
	for (i = 0; i < dp_g.n_ports; i++) {
		const struct dp_port_params *pp = &dp_g.ports[i].params;

		if (pp->addr == 0 || pp->prefix_len == 0)
			continue;
		all[n].len = pp->prefix_len;
		all[n].prefix = pp->addr &
			(uint32_t)(~0ull << (32 - pp->prefix_len));
		all[n].gw = 0;
		all[n].port = (uint16_t)i;
		n++;
	}
	if (st.n_rt > 0)
		memcpy(all + n, st.rt, st.n_rt * sizeof(*all));
	n += st.n_rt;
	rc = dp_fib_build(all, n, st.gen, out);
	rte_free(all);
	return rc;
}

int
dp_commit(void)
{
	struct dp_snap *cur = dp_g.snap, *nx;
	bool spd_built = false;
	unsigned int i;
	int rc = 0;

	if (!dp_g.inited)
		return -ENODEV;
	nx = rte_zmalloc("tw_snap", sizeof(*nx), RTE_CACHE_LINE_SIZE);
	if (nx == NULL)
		return -ENOMEM;
	st.gen++;
	if (cur != NULL)
		*nx = *cur;     /* share every piece, then replace the dirty ones */
	nx->gen = st.gen;
	if (cur == NULL || st.sad_dirty)
		rc = dp_build_sad(&nx->sad);
	if (rc == 0 && (cur == NULL || st.spd_dirty)) {
		rc = dp_spd_build_both(st.pol, st.n_pol, st.gen, &nx->spd,
				       &nx->spd6);
		spd_built = rc == 0;
	}
	if (rc == 0 && (cur == NULL || st.fib_dirty))
		rc = dp_build_fib(&nx->fib);
	if (rc == 0 && (cur == NULL || st.neigh_dirty))
		rc = dp_build_neigh(&nx->neigh);
	if (rc == 0)
		rc = dp_tables6_build(nx, cur);
	if (rc != 0) {
		/* Free what was built for nx only; cur stays published. */
		if (cur == NULL) {
			dp_snap_free_unshared(nx, NULL);
		} else {
			if (nx->sad != cur->sad)
				dp_hmap_free(nx->sad);
			if (nx->spd != cur->spd)
				dp_spd_free(nx->spd);
			if (nx->fib != cur->fib)
				dp_fib_free(nx->fib);
			if (nx->neigh != cur->neigh)
				dp_hmap_free(nx->neigh);
			dp_tables6_free_unshared(nx, cur);
			rte_free(nx);
		}
		return rc;
	}
	nx->n_local = 0;
	for (i = 0; i < dp_g.n_ports; i++)
		if (dp_g.ports[i].params.addr != 0)
			nx->local_addr[nx->n_local++] = dp_g.ports[i].params.addr;
	nx->n_vip_standby = 0;
	for (i = 0; i < st.n_vip; i++) {
		if (st.vip[i].owned)
			nx->local_addr[nx->n_local++] = st.vip[i].addr;
		else
			nx->vip_standby[nx->n_vip_standby++] = st.vip[i].addr;
	}
	nx->default_policy = dp_g.params.default_policy;
	st.sad_dirty = st.spd_dirty = st.fib_dirty = st.neigh_dirty = false;
	if (spd_built) {
		/*
		 * The SPD has its own copy; the staged one is only needed until
		 * it is built (the next dp_spd_set() stages a new one), and
		 * costs 40 bytes per policy (4 MB at 10^5).
		 */
		rte_free(st.pol);
		st.pol = NULL;
		st.n_pol = 0;
	}

	__atomic_store_n(&dp_g.snap, nx, __ATOMIC_RELEASE);
	if (cur != NULL) {
		rte_rcu_qsbr_synchronize(dp_g.rcu, RTE_QSBR_THRID_INVALID);
		dp_snap_free_unshared(cur, nx);
	}
	return 0;
}

int
dp_tables_init(char *err, size_t errlen)
{
	memset(&st, 0, sizeof(st));
	st.spi_in = dp_hmap_create(64);
	st.pol_ref = dp_hmap_create(64);
	if (st.spi_in == NULL || st.pol_ref == NULL) {
		dp_tables_fini();
		snprintf(err, errlen, "out of memory for the staging tables");
		return -ENOMEM;
	}
	return 0;
}

void
dp_tables_fini(void)
{
	dp_snap_free_unshared(dp_g.snap, NULL);
	dp_g.snap = NULL;
	rte_free(st.sa);
	rte_free(st.pol);
	rte_free(st.rt);
	rte_free(st.nb);
	dp_hmap_free(st.spi_in);
	dp_hmap_free(st.pol_ref);
	memset(&st, 0, sizeof(st));
	dp_tables6_fini();
}

static uint64_t
dp_sa_key(const struct dp_sa *sa)
{
	return (uint64_t)(uintptr_t)sa;
}

int
dp_sa_install(struct dp_sa *sa)
{
	uint64_t v;
	int rc;

	if (sa == NULL)
		return -EINVAL;
	if (dp_sa_slot(sa) != 0)
		return -EEXIST;
	if (dp_sa_is_inbound(sa) &&
	    dp_hmap_get(st.spi_in, dp_sa_spi(sa), &v) == 0)
		return -EEXIST;
	if (dp_grow((void **)&st.sa, &st.cap_sa, st.n_sa + 1,
		    sizeof(*st.sa)) != 0)
		return -ENOMEM;
	if (dp_sa_is_inbound(sa)) {
		rc = dp_hmap_put_grow(&st.spi_in, dp_sa_spi(sa), dp_sa_key(sa));
		if (rc != 0)
			return rc;
	}
	st.sa[st.n_sa++] = sa;
	dp_sa_set_slot(sa, st.n_sa);
	if (dp_sa_is_inbound(sa))
		st.sad_dirty = true;
	return 0;
}

int
dp_sa_uninstall(struct dp_sa *sa)
{
	struct dp_sa *last;
	uint32_t slot;
	uint64_t v;

	/* A staged policy still pointing at it would outlive it. */
	if (dp_hmap_get(st.pol_ref, dp_sa_key(sa), &v) == 0)
		return -EBUSY;
	slot = dp_sa_slot(sa);
	if (slot == 0 || slot > st.n_sa || st.sa[slot - 1] != sa)
		return -ENOENT;
	/* Move the last SA into the freed slot. */
	last = st.sa[--st.n_sa];
	st.sa[slot - 1] = last;
	dp_sa_set_slot(last, slot);
	dp_sa_set_slot(sa, 0);
	if (dp_sa_is_inbound(sa)) {
		dp_hmap_del(st.spi_in, dp_sa_spi(sa));
		st.sad_dirty = true;
	}
	return 0;
}

/* The SAs pol[] refers to, for dp_sa_uninstall()'s check. */
static int
dp_pol_refs(const struct dp_policy *pol, unsigned int n, struct dp_hmap **out)
{
	struct dp_hmap *h;
	unsigned int i;
	uint64_t v;
	int rc;

	h = dp_hmap_create(n);
	if (h == NULL)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		if (pol[i].sa == NULL)
			continue;
		if (dp_hmap_get(h, dp_sa_key(pol[i].sa), &v) != 0)
			v = 0;
		rc = dp_hmap_put(h, dp_sa_key(pol[i].sa), v + 1);
		if (rc != 0) {
			dp_hmap_free(h);
			return rc;
		}
	}
	*out = h;
	return 0;
}

int
dp_spd_set(const struct dp_policy *pol, unsigned int n)
{
	struct dp_hmap *refs = NULL;
	struct dp_policy *p = NULL;
	unsigned int i;

	for (i = 0; i < n; i++) {
		uint8_t max = pol[i].sel.family == 6 ? 128 : 32;

		if (pol[i].sel.src_len > max || pol[i].sel.dst_len > max ||
		    pol[i].sel.sport_lo > pol[i].sel.sport_hi ||
		    pol[i].sel.dport_lo > pol[i].sel.dport_hi)
			return -EINVAL;
		/* PROTECT without an SA: dropped, maybe an ACQUIRE. */
		if (pol[i].action == CONF_POLICY_PROTECT &&
		    pol[i].sa != NULL && dp_sa_is_inbound(pol[i].sa))
			return -EINVAL;
		if (pol[i].acquire != 0 &&
		    (pol[i].action != CONF_POLICY_PROTECT || pol[i].sa != NULL))
			return -EINVAL;
	}
	if (dp_pol_refs(pol, n, &refs) != 0)
		return -ENOMEM;
	if (n > 0) {
		p = rte_malloc("tw_pol", n * sizeof(*p), 0);
		if (p == NULL) {
			dp_hmap_free(refs);
			return -ENOMEM;
		}
		memcpy(p, pol, n * sizeof(*p));
	}
	dp_hmap_free(st.pol_ref);
	st.pol_ref = refs;
	rte_free(st.pol);
	st.pol = p;
	st.n_pol = n;
	st.spd_dirty = true;
	return 0;
}

/* pol_ref: one staged (or, none staged, published) policy more (d 1) or
 * fewer (d -1) refers to sa. */
static int
dp_pol_ref_add(struct dp_sa *sa, int d)
{
	uint64_t v = 0;

	if (sa == NULL)
		return 0;
	(void)dp_hmap_get(st.pol_ref, dp_sa_key(sa), &v);
	if (d < 0 && v <= 1)
		return dp_hmap_del(st.pol_ref, dp_sa_key(sa)) == 0 ? 0 : -ENOENT;
	return dp_hmap_put_grow(&st.pol_ref, dp_sa_key(sa),
				(uint64_t)((int64_t)v + d));
}

/* One policy to sa (or none, with ACQUIRE acquire); refs: count it in
 * pol_ref. The order lets a worker never see a NULL SA without the id. */
static int
dp_pol_rebind(struct dp_policy *p, struct dp_sa *sa, uint32_t acquire,
	      bool refs)
{
	struct dp_sa *old = p->sa;

	if (p->action != CONF_POLICY_PROTECT || old == sa)
		return 0;
	if (refs && (dp_pol_ref_add(sa, 1) < 0 || dp_pol_ref_add(old, -1) < 0))
		return -ENOMEM;
	if (sa == NULL)
		__atomic_store_n(&p->acquire, acquire, __ATOMIC_RELAXED);
	__atomic_store_n(&p->sa, sa, __ATOMIC_RELEASE);
	if (sa != NULL)
		__atomic_store_n(&p->acquire, 0, __ATOMIC_RELAXED);
	return 0;
}

/* The policies of bind in a published SPD (refs: they are the latest). */
static int
dp_rebind_built(struct dp_policy *pol, const struct dp_bind_index *ix,
		uint32_t bind, struct dp_sa *sa, uint32_t acquire, bool refs,
		unsigned int *n)
{
	unsigned int first, k, i;
	int rc;

	k = dp_bind_index_find(ix, bind, &first);
	for (i = first; i < first + k; i++) {
		rc = dp_pol_rebind(&pol[ix->ref[i].idx], sa, acquire, refs);
		if (rc < 0)
			return rc;
	}
	*n += k;
	return 0;
}

int
dp_spd_rebind(uint32_t bind, struct dp_sa *sa, uint32_t acquire)
{
	const struct dp_snap *cur = dp_g.snap;
	bool staged = st.pol != NULL;
	unsigned int i, n = 0, n_staged = 0;
	int rc;

	if (bind == 0 || (sa != NULL && dp_sa_is_inbound(sa)))
		return -EINVAL;
	if (sa != NULL)
		acquire = 0;
	/* The staged policies are the latest: pol_ref counts theirs. */
	for (i = 0; staged && i < st.n_pol; i++) {
		if (st.pol[i].bind != bind)
			continue;
		rc = dp_pol_rebind(&st.pol[i], sa, acquire, true);
		if (rc < 0)
			return rc;
		n_staged++;
	}
	if (cur != NULL && cur->spd != NULL) {
		rc = dp_rebind_built(cur->spd->pol, &cur->spd->binds, bind, sa,
				     acquire, !staged, &n);
		if (rc < 0)
			return rc;
	}
	if (cur != NULL && cur->spd6 != NULL) {
		rc = dp_rebind_built(cur->spd6->pol, &cur->spd6->binds, bind,
				     sa, acquire, !staged, &n);
		if (rc < 0)
			return rc;
	}
	return (int)(staged ? n_staged : n);
}

int
dp_route_add(uint32_t prefix, uint8_t len, uint32_t gateway, uint16_t port)
{
	uint32_t mask = len == 0 ? 0 : (uint32_t)(~0ull << (32 - len));
	unsigned int i;

	if (len > 32 || port >= dp_g.n_ports)
		return -EINVAL;
	prefix &= mask;
	for (i = 0; i < st.n_rt; i++) {
		if (st.rt[i].prefix == prefix && st.rt[i].len == len) {
			st.rt[i].gw = gateway;
			st.rt[i].port = port;
			st.fib_dirty = true;
			return 0;
		}
	}
	if (dp_grow((void **)&st.rt, &st.cap_rt, st.n_rt + 1,
		    sizeof(*st.rt)) != 0)
		return -ENOMEM;
	st.rt[st.n_rt].prefix = prefix;
	st.rt[st.n_rt].len = len;
	st.rt[st.n_rt].gw = gateway;
	st.rt[st.n_rt].port = port;
	st.n_rt++;
	st.fib_dirty = true;
	return 0;
}

int
dp_route_del(uint32_t prefix, uint8_t len)
{
	uint32_t mask = len == 0 ? 0 : (uint32_t)(~0ull << (32 - len));
	unsigned int i;

	if (len > 32)
		return -EINVAL;
	prefix &= mask;
	for (i = 0; i < st.n_rt; i++) {
		if (st.rt[i].prefix == prefix && st.rt[i].len == len) {
			st.rt[i] = st.rt[--st.n_rt];
			st.fib_dirty = true;
			return 0;
		}
	}
	return -ENOENT;
}

int
dp_neigh_set(uint16_t port, uint32_t addr, const struct rte_ether_addr *mac)
{
	unsigned int i;

	if (port >= dp_g.n_ports || addr == 0 || mac == NULL)
		return -EINVAL;
	for (i = 0; i < st.n_nb; i++) {
		if (st.nb[i].port == port && st.nb[i].addr == addr) {
			if (!rte_is_same_ether_addr(&st.nb[i].mac, mac)) {
				st.nb[i].mac = *mac;
				st.neigh_dirty = true;
			}
			return 0;
		}
	}
	if (dp_grow((void **)&st.nb, &st.cap_nb, st.n_nb + 1,
		    sizeof(*st.nb)) != 0)
		return -ENOMEM;
	st.nb[st.n_nb].port = port;
	st.nb[st.n_nb].addr = addr;
	st.nb[st.n_nb].mac = *mac;
	st.n_nb++;
	st.neigh_dirty = true;
	return 0;
}

int
dp_local_addr_set(uint16_t port, uint32_t addr, bool owned)
{
	unsigned int i;

	if (port >= dp_g.n_ports || addr == 0)
		return -EINVAL;
	for (i = 0; i < st.n_vip; i++) {
		if (st.vip[i].port == port && st.vip[i].addr == addr) {
			st.vip[i].owned = owned;
			return 0;
		}
	}
	if (st.n_vip == DP_MAX_VIPS)
		return -ENOSPC;
	st.vip[st.n_vip].port = port;
	st.vip[st.n_vip].addr = addr;
	st.vip[st.n_vip].owned = owned;
	st.n_vip++;
	return 0;
}

int
dp_local_addr_del(uint16_t port, uint32_t addr)
{
	unsigned int i;

	for (i = 0; i < st.n_vip; i++) {
		if (st.vip[i].port == port && st.vip[i].addr == addr) {
			st.vip[i] = st.vip[--st.n_vip];
			return 0;
		}
	}
	return -ENOENT;
}

int
dp_neigh_del(uint16_t port, uint32_t addr)
{
	unsigned int i;

	for (i = 0; i < st.n_nb; i++) {
		if (st.nb[i].port == port && st.nb[i].addr == addr) {
			st.nb[i] = st.nb[--st.n_nb];
			st.neigh_dirty = true;
			return 0;
		}
	}
	return -ENOENT;
}
