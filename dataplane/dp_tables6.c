/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The IPv6 tables' staging (issue 18): routes and neighbours, staged by
 * the control lcore and built into the next snapshot by dp_commit() as
 * dp_tables.c does for IPv4. The connected prefixes of the ports' IPv6
 * addresses come first, the staged routes (static ipv6 routes) after.
 */
#include <errno.h>
#include <string.h>

#include <rte_malloc.h>

#include "dp_priv.h"
#include "dp_spd6.h"
#include "tw_addr.h"

static struct {
	struct dp_route6 *rt;
	unsigned int n_rt, cap_rt;
	struct dp_nb6_ent *nb;
	unsigned int n_nb, cap_nb;
	bool fib_dirty, nb_dirty;
	uint64_t gen;
	struct {
		uint16_t port;
		uint8_t addr[16];
		bool owned;
	} vip[DP_MAX_VIPS];             /* IPv6 global VIPs */
	unsigned int n_vip;
} st6;

static int
dp_grow6(void **arr, unsigned int *cap, unsigned int need, size_t elt)
{
	unsigned int ncap;
	void *p;

	if (need <= *cap)
		return 0;
	ncap = *cap == 0 ? 16 : *cap * 2;
	p = rte_realloc(*arr, (size_t)ncap * elt, 0);
	if (p == NULL)
		return -ENOMEM;
	*arr = p;
	*cap = ncap;
	return 0;
}

static void
dp_prefix6_mask(uint8_t p[16], uint8_t len)
{
	unsigned int i;

	for (i = 0; i < 16; i++) {
		if (len >= 8) {
			len -= 8;
			continue;
		}
		p[i] &= (uint8_t)(0xff00 >> len);
		len = 0;
	}
}

static int
dp_build_fib6(struct dp_fib6 **out)
{
	struct dp_route6 *all;
	unsigned int i, j, n = 0;
	int rc;

	all = rte_zmalloc("tw_routes6", (dp_g.n_ports * DP_MAX_ADDR6 +
					 st6.n_rt + 1) * sizeof(*all), 0);
	if (all == NULL)
		return -ENOMEM;
	for (i = 0; i < dp_g.n_ports; i++) {
		const struct dp_port_params *pp = &dp_g.ports[i].params;

		for (j = 0; j < pp->n_addr6; j++) {
			memcpy(all[n].prefix, pp->addr6[j].addr.v6, 16);
			all[n].len = pp->addr6[j].len;
			dp_prefix6_mask(all[n].prefix, all[n].len);
			all[n].port = (uint16_t)i;
			n++;
		}
	}
	if (st6.n_rt > 0)
		memcpy(all + n, st6.rt, st6.n_rt * sizeof(*all));
	n += st6.n_rt;
	rc = dp_fib6_build(all, n, st6.gen, out);
	rte_free(all);
	return rc;
}

int
dp_tables6_build(struct dp_snap *nx, const struct dp_snap *cur)
{
	unsigned int i;
	int rc = 0;

	st6.gen++;
	if (cur == NULL || st6.fib_dirty)
		rc = dp_build_fib6(&nx->fib6);
	if (rc == 0 && (cur == NULL || st6.nb_dirty))
		rc = dp_nb6_build(st6.nb, st6.n_nb, &nx->nb6);
	if (rc != 0) {
		if (cur == NULL || nx->fib6 != cur->fib6)
			dp_fib6_free(nx->fib6);
		nx->fib6 = cur != NULL ? cur->fib6 : NULL;
		return rc;
	}
	st6.fib_dirty = st6.nb_dirty = false;
	/* The VIP6 lists are small arrays of the snapshot: copied each time. */
	nx->n_local6 = nx->n_vip6_standby = 0;
	for (i = 0; i < st6.n_vip; i++) {
		if (st6.vip[i].owned)
			memcpy(nx->local6[nx->n_local6++], st6.vip[i].addr, 16);
		else
			memcpy(nx->vip6_standby[nx->n_vip6_standby++],
			       st6.vip[i].addr, 16);
	}
	return 0;
}

static bool
dp_vip6_ok(uint16_t port, const uint8_t addr[16])
{
	return port < dp_g.n_ports && addr != NULL &&
		!tw_addr6_is_multicast(addr) &&
		memcmp(addr, (const uint8_t[16]){ 0 }, 16) != 0;
}

int
dp_local_addr6_set(uint16_t port, const uint8_t addr[16], bool owned)
{
	unsigned int i;

	if (!dp_vip6_ok(port, addr))
		return -EINVAL;
	for (i = 0; i < st6.n_vip; i++) {
		if (st6.vip[i].port == port &&
		    memcmp(st6.vip[i].addr, addr, 16) == 0) {
			st6.vip[i].owned = owned;
			return 0;
		}
	}
	if (st6.n_vip == DP_MAX_VIPS)
		return -ENOSPC;
	st6.vip[st6.n_vip].port = port;
	memcpy(st6.vip[st6.n_vip].addr, addr, 16);
	st6.vip[st6.n_vip].owned = owned;
	st6.n_vip++;
	return 0;
}

int
dp_local_addr6_del(uint16_t port, const uint8_t addr[16])
{
	unsigned int i;

	for (i = 0; i < st6.n_vip; i++) {
		if (st6.vip[i].port == port &&
		    memcmp(st6.vip[i].addr, addr, 16) == 0) {
			st6.vip[i] = st6.vip[--st6.n_vip];
			return 0;
		}
	}
	return -ENOENT;
}

void
dp_tables6_free_unshared(const struct dp_snap *old, const struct dp_snap *cur)
{
	if (old == NULL)
		return;
	if (cur == NULL || old->fib6 != cur->fib6)
		dp_fib6_free(old->fib6);
	if (cur == NULL || old->nb6 != cur->nb6)
		dp_nb6_free(old->nb6);
	if (cur == NULL || old->spd6 != cur->spd6)
		dp_spd6_free(old->spd6);
}

int
dp_spd_build_both(const struct dp_policy *pol, unsigned int n, uint64_t gen,
		  struct dp_spd **v4, struct dp_spd6 **v6)
{
	struct dp_policy *p4 = NULL, *p6 = NULL;
	struct dp_spd *s4 = NULL;
	struct dp_spd6 *s6 = NULL;
	unsigned int i, n4 = 0, n6 = 0;
	int rc = -ENOMEM;

	if (n > 0) {
		p4 = rte_malloc("tw_pol4", n * sizeof(*p4), 0);
		p6 = rte_malloc("tw_pol6", n * sizeof(*p6), 0);
		if (p4 == NULL || p6 == NULL)
			goto out;
	}
	for (i = 0; i < n; i++) {
		if (pol[i].sel.family == 6)
			p6[n6++] = pol[i];
		else
			p4[n4++] = pol[i];
	}
	rc = dp_spd_build(p4, n4, gen, &s4);
	if (rc == 0)
		rc = dp_spd6_build(p6, n6, gen, &s6);
	if (rc == 0) {
		*v4 = s4;
		*v6 = s6;
		s4 = NULL;
	}
out:
	if (s4 != NULL)
		dp_spd_free(s4);
	rte_free(p4);
	rte_free(p6);
	return rc;
}

void
dp_tables6_fini(void)
{
	rte_free(st6.rt);
	rte_free(st6.nb);
	memset(&st6, 0, sizeof(st6));
}

static bool
dp_addr6_zero(const uint8_t a[16])
{
	static const uint8_t zero[16];

	return memcmp(a, zero, 16) == 0;
}

int
dp_route6_add(const uint8_t prefix[16], uint8_t len, const uint8_t gw[16],
	      uint16_t port)
{
	uint8_t p[16];
	unsigned int i;

	if (len > 128 || port >= dp_g.n_ports)
		return -EINVAL;
	memcpy(p, prefix, 16);
	dp_prefix6_mask(p, len);
	for (i = 0; i < st6.n_rt; i++)
		if (st6.rt[i].len == len && memcmp(st6.rt[i].prefix, p, 16) == 0)
			break;
	if (i == st6.n_rt) {
		if (dp_grow6((void **)&st6.rt, &st6.cap_rt, st6.n_rt + 1,
			     sizeof(*st6.rt)) != 0)
			return -ENOMEM;
		st6.n_rt++;
	}
	memcpy(st6.rt[i].prefix, p, 16);
	st6.rt[i].len = len;
	if (gw != NULL)
		memcpy(st6.rt[i].gw, gw, 16);
	else
		memset(st6.rt[i].gw, 0, 16);
	st6.rt[i].port = port;
	st6.fib_dirty = true;
	return 0;
}

int
dp_route6_del(const uint8_t prefix[16], uint8_t len)
{
	uint8_t p[16];
	unsigned int i;

	if (len > 128)
		return -EINVAL;
	memcpy(p, prefix, 16);
	dp_prefix6_mask(p, len);
	for (i = 0; i < st6.n_rt; i++)
		if (st6.rt[i].len == len &&
		    memcmp(st6.rt[i].prefix, p, 16) == 0) {
			st6.rt[i] = st6.rt[--st6.n_rt];
			st6.fib_dirty = true;
			return 0;
		}
	return -ENOENT;
}

int
dp_neigh6_set(uint16_t port, const uint8_t addr[16],
	      const struct rte_ether_addr *mac)
{
	unsigned int i;

	if (port >= dp_g.n_ports || mac == NULL || dp_addr6_zero(addr))
		return -EINVAL;
	for (i = 0; i < st6.n_nb; i++)
		if (st6.nb[i].port == port &&
		    memcmp(st6.nb[i].addr, addr, 16) == 0) {
			if (!rte_is_same_ether_addr(&st6.nb[i].mac, mac)) {
				st6.nb[i].mac = *mac;
				st6.nb_dirty = true;
			}
			return 0;
		}
	if (dp_grow6((void **)&st6.nb, &st6.cap_nb, st6.n_nb + 1,
		     sizeof(*st6.nb)) != 0)
		return -ENOMEM;
	st6.nb[st6.n_nb].port = port;
	memcpy(st6.nb[st6.n_nb].addr, addr, 16);
	st6.nb[st6.n_nb].mac = *mac;
	st6.n_nb++;
	st6.nb_dirty = true;
	return 0;
}

int
dp_neigh6_del(uint16_t port, const uint8_t addr[16])
{
	unsigned int i;

	for (i = 0; i < st6.n_nb; i++)
		if (st6.nb[i].port == port &&
		    memcmp(st6.nb[i].addr, addr, 16) == 0) {
			st6.nb[i] = st6.nb[--st6.n_nb];
			st6.nb_dirty = true;
			return 0;
		}
	return -ENOENT;
}
