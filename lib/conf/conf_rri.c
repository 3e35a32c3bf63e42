/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * reverse_route = { enabled = true; remote_peer = true | "NEXT-HOP";
 *                   tag = N; metric = N; distance = N; }
 *
 * IOS "reverse-route [remote-peer [NEXT-HOP]]", "set reverse-route tag N",
 * "set reverse-route distance N", in a crypto map entry of either type.
 * While an SA pair of the entry is up on the active twin, a route to each
 * remote protected subnet is injected (and, with remote_peer, a host route
 * to the peer, via NEXT-HOP when given). The group present means enabled
 * unless enabled = false. Defaults: tag 0, metric 0, distance 1 (an IOS
 * static route's).
 */
#include <string.h>

#include "conf_priv.h"

static const struct conf_key rri_keys[] = {
	{ "enabled", CONF_T_BOOL, false },
	{ "remote_peer", CONF_T_BOOL | CONF_T_STRING, false },
	{ "tag", CONF_T_INT, false },
	{ "metric", CONF_T_INT, false },
	{ "distance", CONF_T_INT, false },
	{ NULL, 0, false },
};

static int
parse_remote_peer(struct conf_ctx *x, const config_setting_t *g,
		  const char *where, struct conf_rri *r)
{
	const config_setting_t *m = config_setting_get_member(g, "remote_peer");
	const struct conf_iface *on;
	char a[CONF_IPV4_STRLEN];
	int rc;

	if (m == NULL)
		return 0;
	if (config_setting_type(m) == CONFIG_TYPE_BOOL) {
		r->remote_peer = config_setting_get_bool(m) != 0;
		return 0;
	}
	if (config_setting_type(m) != CONFIG_TYPE_STRING)
		return conf_err(x, m,
				"'remote_peer' %s must be true, false or a next-hop address",
				where);
	rc = conf_get_ipv4(x, g, "remote_peer", where, &r->next_hop);
	if (rc != 0)
		return rc;
	conf_ipv4_str(r->next_hop, a, sizeof(a));
	on = conf_iface_connected(x->conf, r->next_hop);
	if (on == NULL)
		return conf_err(x, m,
				"remote_peer next hop %s %s is not on a connected subnet",
				a, where);
	if (on->addr == r->next_hop)
		return conf_err(x, m,
				"remote_peer next hop %s %s is the address of interface '%s'",
				a, where, on->name);
	r->remote_peer = true;
	return 0;
}

int
conf_parse_rri(struct conf_ctx *x, const config_setting_t *entry,
	       const char *map_where, struct conf_map_entry *e)
{
	const config_setting_t *g =
		config_setting_get_member(entry, "reverse_route");
	struct conf_rri *r = &e->rri;
	char where[CONF_WHERE_MAX];
	int64_t tag = 0, metric = 0, dist = CONF_RRI_DISTANCE_DEFAULT;
	bool enabled = true;
	int rc;

	memset(r, 0, sizeof(*r));
	if (g == NULL)
		return 0;
	conf_where(where, "in reverse_route %s", map_where);
	rc = conf_check_type(x, g, CONF_T_GROUP, where);
	if (rc == 0)
		rc = conf_check_keys(x, g, rri_keys, where);
	if (rc == 0)
		rc = conf_get_int(x, g, "tag", where, 0, UINT32_MAX, &tag);
	if (rc == 0)
		rc = conf_get_int(x, g, "metric", where, 0, UINT32_MAX,
				  &metric);
	if (rc == 0)
		rc = conf_get_int(x, g, "distance", where, 1, 255, &dist);
	if (rc == 0)
		rc = parse_remote_peer(x, g, where, r);
	if (rc != 0)
		return rc;
	conf_get_bool(g, "enabled", &enabled);
	r->enabled = enabled;
	r->tag = (uint32_t)tag;
	r->metric = (uint32_t)metric;
	r->distance = (uint8_t)dist;
	r->line = config_setting_source_line(g);
	return 0;
}
