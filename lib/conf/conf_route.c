/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * routes = ( { prefix; gateway; interface; }, ... )
 *
 * Static routes. A gateway must sit on a connected subnet (that is how its
 * MAC is resolved, and it names the interface); a route with only an
 * interface is directly connected (the destination itself is ARPed for).
 */
#include <stdlib.h>
#include <string.h>

#include "conf_priv.h"

static const struct conf_key route_keys[] = {
	{ "prefix", CONF_T_STRING, true },
	{ "gateway", CONF_T_STRING, false },
	{ "interface", CONF_T_STRING, false },
	{ NULL, 0, false },
};

static int
resolve_nexthop(struct conf_ctx *x, const config_setting_t *g,
		const char *where, struct conf_route *r)
{
	const config_setting_t *gw = config_setting_get_member(g, "gateway");
	const config_setting_t *ifm = config_setting_get_member(g, "interface");
	const struct conf_iface *ifc = NULL, *on;
	char a[CONF_IPV4_STRLEN];
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
	rc = conf_get_ipv4(x, g, "gateway", where, &r->gateway);
	if (rc != 0)
		return rc;
	conf_ipv4_str(r->gateway, a, sizeof(a));
	on = conf_iface_connected(x->conf, r->gateway);
	if (on == NULL)
		return conf_err(x, gw,
				"gateway %s %s is not on a connected subnet",
				a, where);
	if (on->addr == r->gateway)
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
	struct conf_route *r = &x->conf->routes[x->conf->n_routes++];
	char where[CONF_WHERE_MAX], p[CONF_PREFIX_STRLEN];
	unsigned int i;
	int rc;

	r->line = config_setting_source_line(g);
	conf_where(where, "in route #%d", idx + 1);
	rc = conf_check_keys(x, g, route_keys, where);
	if (rc == 0)
		rc = conf_get_network(x, g, "prefix", where, &r->dst);
	if (rc != 0)
		return rc;
	conf_prefix_str(&r->dst, p, sizeof(p));
	for (i = 0; i + 1 < x->conf->n_routes; i++) {
		const struct conf_route *o = &x->conf->routes[i];

		if (o->dst.addr == r->dst.addr && o->dst.len == r->dst.len)
			return conf_err(x, config_setting_get_member(g, "prefix"),
					"duplicate route %s (first defined at line %d)",
					p, o->line);
	}
	conf_where(where, "in route %s", p);
	return resolve_nexthop(x, g, where, r);
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
	c->routes = calloc(n, sizeof(c->routes[0]));
	if (c->routes == NULL)
		return conf_nomem(x);
	for (i = 0; i < n; i++) {
		rc = parse_route(x, config_setting_get_elem(s, i), i);
		if (rc != 0)
			return rc;
	}
	return 0;
}
