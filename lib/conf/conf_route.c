/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * routes = ( { prefix; gateway; interface; }, ... )
 *
 * Static routes of either family: an IPv6 prefix makes an IPv6 route
 * (conf.routes6, IOS "ipv6 route"). A gateway must sit on a connected
 * subnet (that is how its MAC is resolved, and it names the interface); a
 * route with only an interface is directly connected (the destination
 * itself is ARPed for, or solicited with Neighbour Discovery).
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "conf_priv.h"

static const struct conf_key route_keys[] = {
	{ "prefix", CONF_T_STRING, true },
	{ "gateway", CONF_T_STRING, false },
	{ "interface", CONF_T_STRING, false },
	{ NULL, 0, false },
};

/*
 * The family's own part of a gateway: read it into *via (and its text
 * into a), check what only that family has; for IPv6, *done when nothing
 * more is to be checked (a link-local gateway).
 */
static int
gateway4(struct conf_ctx *x, const config_setting_t *g, const char *where,
	 struct conf_route *r, struct tw_addr *via, char *a, size_t alen)
{
	int rc;

	rc = conf_get_ipv4(x, g, "gateway", where, &r->gateway);
	if (rc != 0)
		return rc;
	*via = tw_addr_v4(r->gateway);
	conf_ipv4_str(r->gateway, a, alen);
	return 0;
}

/*
 * An IPv6 next hop (IOS "ipv6 route P X [IF]" or "ipv6 route P IF"): a
 * global gateway on a connected IPv6 subnet, or a link-local one with its
 * interface named (RFC 4861 8: routers redirect to link-local next hops,
 * which only mean something on one link).
 */
static int
gateway6(struct conf_ctx *x, const config_setting_t *g, const char *where,
	 struct conf_route *r, struct tw_addr *via, char *a, size_t alen,
	 const struct conf_iface *ifc, bool *done)
{
	const config_setting_t *gw = config_setting_get_member(g, "gateway");
	int rc;

	rc = conf_get_addr(x, g, "gateway", where, &r->via);
	if (rc != 0)
		return rc;
	*via = r->via;
	tw_addr_str(&r->via, a, alen);
	if (r->via.family != TW_AF_INET6)
		return conf_err(x, gw,
				"gateway %s %s is IPv4: an IPv6 route needs an IPv6 gateway",
				a, where);
	*done = tw_addr6_is_link_local(r->via.v6);
	if (*done) {
		if (ifc == NULL)
			return conf_err(x, gw,
					"link-local gateway %s %s needs its 'interface'",
					a, where);
		return 0;
	}
	if (!tw_addr6_is_unicast(r->via.v6))
		return conf_err(x, gw,
				"gateway %s %s is not a unicast address", a,
				where);
	return 0;
}

/* Is gateway via the address of its connected interface on? */
static bool
gateway_owned(const struct conf *c, const struct conf_iface *on,
	      const struct tw_addr *via)
{
	if (via->family == TW_AF_INET)
		return on->addr == via->v4;
	return conf_iface_owning(c, via) != NULL;
}

/*
 * The interface of route r (r->to parsed): the one named, else the one
 * whose connected subnet holds the gateway, which must then agree with it.
 */
static int
resolve_nexthop(struct conf_ctx *x, const config_setting_t *g,
		const char *where, struct conf_route *r)
{
	const config_setting_t *gw = config_setting_get_member(g, "gateway");
	const config_setting_t *ifm = config_setting_get_member(g, "interface");
	const struct conf_iface *ifc = NULL, *on;
	char a[TW_ADDR_STRLEN];
	struct tw_addr via;
	bool done = false;
	int rc;

	if (gw == NULL && ifm == NULL)
		return conf_err(x, g, "missing 'gateway' or 'interface' %s",
				where);
	if (ifm != NULL) {
		const char *name = config_setting_get_string(ifm);

		ifc = conf_iface_find(x->conf, name);
		if (ifc == NULL)
			return conf_err(x, ifm, "interface '%s' undefined %s",
					name, where);
		conf_strlcpy(r->iface, ifc->name, sizeof(r->iface));
	}
	if (gw == NULL)
		return 0;
	if (r->to.addr.family == TW_AF_INET6)
		rc = gateway6(x, g, where, r, &via, a, sizeof(a), ifc, &done);
	else
		rc = gateway4(x, g, where, r, &via, a, sizeof(a));
	if (rc != 0 || done)
		return rc;
	on = conf_iface_connected_addr(x->conf, &via, NULL);
	if (on == NULL)
		return conf_err(x, gw,
				"gateway %s %s is not on a connected subnet",
				a, where);
	if (gateway_owned(x->conf, on, &via))
		return conf_err(x, gw,
				"gateway %s %s is the address of interface '%s'",
				a, where, on->name);
	if (ifc != NULL && ifc != on)
		return conf_err(x, gw,
				"gateway %s %s is on interface '%s', not '%s'",
				a, where, on->name, ifc->name);
	conf_strlcpy(r->iface, on->name, sizeof(r->iface));
	return 0;
}

static int
parse_route(struct conf_ctx *x, const config_setting_t *g, int idx)
{
	struct conf *c = x->conf;
	char where[CONF_WHERE_MAX], p[TW_PREFIX_STRLEN];
	struct conf_route r, *list;
	unsigned int i, n;
	bool v6;
	int rc;

	memset(&r, 0, sizeof(r));
	r.line = config_setting_source_line(g);
	conf_where(where, "in route #%d", idx + 1);
	rc = conf_check_keys(x, g, route_keys, where);
	if (rc == 0)
		rc = conf_get_net(x, g, "prefix", where, &r.to);
	if (rc != 0)
		return rc;
	v6 = r.to.addr.family == TW_AF_INET6;
	list = v6 ? c->routes6 : c->routes;
	n = v6 ? c->n_routes6 : c->n_routes;
	tw_prefix_str(&r.to, p, sizeof(p));
	for (i = 0; i < n; i++)
		if (tw_prefix_eq(&list[i].to, &r.to))
			return conf_err(x, config_setting_get_member(g, "prefix"),
					"duplicate route %s (first defined at line %d)",
					p, list[i].line);
	conf_where(where, "in route %s", p);
	if (!v6) {
		r.dst.addr = r.to.addr.v4;
		r.dst.len = r.to.len;
	}
	rc = resolve_nexthop(x, g, where, &r);
	if (!v6 && r.gateway != 0)
		r.via = tw_addr_v4(r.gateway);
	if (rc != 0)
		return rc;
	if (v6)
		c->routes6[c->n_routes6++] = r;
	else
		c->routes[c->n_routes++] = r;
	return 0;
}

int
conf_parse_routes(struct conf_ctx *x, const config_setting_t *s)
{
	struct conf *c = x->conf;
	int i, n, rc;

	if (s == NULL)
		return 0;
	rc = conf_check_list_of_groups(x, s, "routes");
	if (rc != 0)
		return rc;
	n = config_setting_length(s);
	if (n == 0)
		return 0;
	/* Both families' lists are sized for all: routes are few. */
	c->routes = calloc(n, sizeof(c->routes[0]));
	c->routes6 = calloc(n, sizeof(c->routes6[0]));
	if (c->routes == NULL || c->routes6 == NULL)
		return conf_nomem(x);
	for (i = 0; i < n; i++) {
		rc = parse_route(x, config_setting_get_elem(s, i), i);
		if (rc != 0)
			return rc;
	}
	return 0;
}
