/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Addresses of either family in the file (issue 18): the typed getters
 * for an address and a network, and an interface's IPv6 addresses
 * (IOS "ipv6 address X/LEN"). Text is lib/core/tw_addr's strict form.
 */
#include <string.h>

#include "conf_priv.h"

int
conf_get_addr(struct conf_ctx *x, const config_setting_t *g, const char *key,
	      const char *where, struct tw_addr *out)
{
	const config_setting_t *m = config_setting_get_member(g, key);
	const char *s;

	if (m == NULL)
		return 0;
	s = config_setting_get_string(m);
	/* The expected form follows what the operator was writing. */
	if (tw_addr_parse(s, out) != 0)
		return conf_err(x, m, "bad %s address '%s' %s (expected %s)",
				key, s, where,
				strchr(s, ':') != NULL ? "X:X:X:X::X" :
				"A.B.C.D");
	return 0;
}

int
conf_get_net(struct conf_ctx *x, const config_setting_t *g, const char *key,
	     const char *where, struct tw_prefix *out)
{
	const config_setting_t *m = config_setting_get_member(g, key);
	/* "bad prefix ..." for a key named prefix, "bad src prefix ..." else */
	const char *label = strcmp(key, "prefix") == 0 ? "" : key;
	const char *sep = label[0] != '\0' ? " " : "";
	char net[TW_PREFIX_STRLEN];
	struct tw_prefix p;
	const char *s;

	if (m == NULL)
		return 0;
	s = config_setting_get_string(m);
	if (tw_prefix_parse(s, &p) != 0)
		return conf_err(x, m, "bad %s%sprefix '%s' %s (expected %s)",
				label, sep, s, where,
				strchr(s, ':') != NULL ?
				"X:X:X:X::X/LEN, LEN 0-128" :
				"A.B.C.D/LEN, LEN 0-32");
	if (!tw_prefix_is_network(&p)) {
		tw_prefix_network(&p);
		return conf_err(x, m,
				"host bits set in %s%sprefix '%s' %s (did you mean %s?)",
				label, sep, s, where,
				tw_prefix_str(&p, net, sizeof(net)));
	}
	*out = p;
	return 0;
}

/* One "X:X::X/LEN" of interface ifc (its earlier ones already added). */
static int
parse_one(struct conf_ctx *x, const config_setting_t *m, const char *where,
	  struct conf_iface *ifc)
{
	const char *s = config_setting_get_string(m);
	char net[TW_PREFIX_STRLEN], onet[TW_PREFIX_STRLEN];
	struct tw_prefix p, sub, osub;
	unsigned int i, j;

	if (s == NULL || tw_prefix_parse(s, &p) != 0 ||
	    p.addr.family != TW_AF_INET6 || p.len == 0)
		return conf_err(x, m,
				"bad ipv6_address '%s' %s (expected X:X:X:X::X/LEN, LEN 1-128)",
				s != NULL ? s : "", where);
	if (tw_addr6_is_link_local(p.addr.v6))
		return conf_err(x, m,
				"ipv6_address '%s' %s is link-local: the interface derives its fe80::/64 address from its MAC",
				s, where);
	if (!tw_addr6_is_unicast(p.addr.v6))
		return conf_err(x, m,
				"ipv6_address '%s' %s is not a unicast address",
				s, where);
	/* RFC 4291 2.6.1: host bits zero is the Subnet-Router anycast. */
	if (p.len < 127 && tw_prefix_is_network(&p))
		return conf_err(x, m,
				"ipv6_address '%s' %s is the subnet-router anycast address of its prefix",
				s, where);
	if (ifc->n_addr6 >= CONF_IFACE_MAX_ADDR6)
		return conf_err(x, m, "more than %d ipv6 addresses %s",
				CONF_IFACE_MAX_ADDR6, where);
	sub = p;
	tw_prefix_network(&sub);
	for (j = 0; j < ifc->n_addr6; j++)
		if (tw_addr_eq(&ifc->addr6[j].addr, &p.addr))
			return conf_err(x, m, "duplicate ipv6_address '%s' %s",
					s, where);
	/* Overlapping connected subnets would make next hops ambiguous. */
	for (i = 0; i + 1 < x->conf->n_ifaces; i++) {
		const struct conf_iface *o = &x->conf->ifaces[i];

		for (j = 0; j < o->n_addr6; j++) {
			osub = o->addr6[j];
			tw_prefix_network(&osub);
			if (tw_prefix_overlaps(&sub, &osub))
				return conf_err(x, m,
						"subnet %s %s overlaps subnet %s of interface '%s' (line %d)",
						tw_prefix_str(&sub, net,
							      sizeof(net)),
						where,
						tw_prefix_str(&osub, onet,
							      sizeof(onet)),
						o->name, o->line);
		}
	}
	ifc->addr6[ifc->n_addr6++] = p;
	return 0;
}

int
conf_parse_iface_addr6(struct conf_ctx *x, const config_setting_t *g,
		       const char *where, struct conf_iface *ifc)
{
	const config_setting_t *m = config_setting_get_member(g,
							      "ipv6_address");
	int i, n, rc;

	if (m == NULL)
		return 0;
	if (config_setting_type(m) == CONFIG_TYPE_STRING)
		return parse_one(x, m, where, ifc);
	n = config_setting_length(m);
	if (n == 0)
		return conf_err(x, m, "empty ipv6_address list %s", where);
	for (i = 0; i < n; i++) {
		const config_setting_t *e = config_setting_get_elem(m, i);

		if (config_setting_type(e) != CONFIG_TYPE_STRING)
			return conf_err(x, e,
					"ipv6_address %s: expected strings",
					where);
		rc = parse_one(x, e, where, ifc);
		if (rc != 0)
			return rc;
	}
	return 0;
}
