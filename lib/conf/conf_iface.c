/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * interfaces = ( { name; role; device; address; ipv6_address; mtu;
 *                  crypto_map; standby; control_plane; control_plane_name; } )
 *
 * One entry per DPDK port, named by its EAL device name. HSRP groups are
 * the "standby" list (conf_standby.c).
 */
#include <stdlib.h>
#include <string.h>

#include "conf_priv.h"

static const struct conf_key iface_keys[] = {
	{ "name", CONF_T_STRING, true },
	{ "role", CONF_T_STRING, true },
	{ "device", CONF_T_STRING, true },
	{ "address", CONF_T_STRING, true },
	{ "ipv6_address", CONF_T_STRING | CONF_T_ARRAY, false },
	{ "mtu", CONF_T_INT, false },
	{ "crypto_map", CONF_T_STRING, false },
	{ "standby", CONF_T_LIST, false },
	{ "control_plane", CONF_T_BOOL, false },
	{ "control_plane_name", CONF_T_STRING, false },
	{ NULL, 0, false },
};

/* RFC 791 minimum reassembly size .. common jumbo frame. */
#define MTU_MIN 576
#define MTU_MAX 9000
#define MTU_DEFAULT 1500

static int
parse_device(struct conf_ctx *x, const config_setting_t *g,
	     const char *where, struct conf_iface *ifc)
{
	const config_setting_t *m = config_setting_get_member(g, "device");
	const char *dev = config_setting_get_string(m);
	unsigned int i;

	if (dev[0] == '\0' || strlen(dev) >= CONF_DEVICE_MAX)
		return conf_err(x, m, "bad device '%s' %s (1 to %d characters)",
				dev, where, CONF_DEVICE_MAX - 1);
	for (i = 0; i + 1 < x->conf->n_ifaces; i++) {
		const struct conf_iface *o = &x->conf->ifaces[i];

		if (strcmp(o->device, dev) == 0)
			return conf_err(x, m,
					"device '%s' %s already used by interface '%s' (line %d)",
					dev, where, o->name, o->line);
	}
	conf_strlcpy(ifc->device, dev, sizeof(ifc->device));
	return 0;
}

static int
parse_address(struct conf_ctx *x, const config_setting_t *g,
	      const char *where, struct conf_iface *ifc)
{
	const config_setting_t *m = config_setting_get_member(g, "address");
	const char *s = config_setting_get_string(m);
	char net[CONF_PREFIX_STRLEN], onet[CONF_PREFIX_STRLEN];
	struct conf_prefix p, sub;
	uint32_t host;
	unsigned int i;

	if (conf_prefix_parse(s, &p) != 0 || p.len == 0)
		return conf_err(x, m,
				"bad address '%s' %s (expected A.B.C.D/LEN, LEN 1-32)",
				s, where);
	if (!conf_ipv4_is_unicast(p.addr))
		return conf_err(x, m, "address '%s' %s is not a unicast address",
				s, where);
	/* RFC 1122 3.2.1.3: the all-zeros and all-ones hosts are not hosts. */
	host = p.addr & ~conf_prefix_mask(p.len);
	if (p.len <= 30 && host == 0)
		return conf_err(x, m,
				"address '%s' %s is the network address of its subnet",
				s, where);
	if (p.len <= 30 && host == ~conf_prefix_mask(p.len))
		return conf_err(x, m,
				"address '%s' %s is the broadcast address of its subnet",
				s, where);
	sub.addr = p.addr & conf_prefix_mask(p.len);
	sub.len = p.len;
	/* Overlapping connected subnets would make next hops ambiguous. */
	for (i = 0; i + 1 < x->conf->n_ifaces; i++) {
		const struct conf_iface *o = &x->conf->ifaces[i];
		struct conf_prefix osub = {
			.addr = o->addr & conf_prefix_mask(o->prefix_len),
			.len = o->prefix_len,
		};

		if (conf_prefix_overlaps(&sub, &osub))
			return conf_err(x, m,
					"subnet %s %s overlaps subnet %s of interface '%s' (line %d)",
					conf_prefix_str(&sub, net, sizeof(net)),
					where,
					conf_prefix_str(&osub, onet, sizeof(onet)),
					o->name, o->line);
	}
	ifc->addr = p.addr;
	ifc->prefix_len = p.len;
	return 0;
}

/*
 * The kernel interface's name: a Linux interface name (1-15 characters,
 * no '/', ':' or blank), unique among the control-plane interfaces of
 * this config; checked when the interface has one or the name is given.
 */
static int
parse_cp(struct conf_ctx *x, const config_setting_t *g, const char *where,
	 struct conf_iface *ifc)
{
	const config_setting_t *m = config_setting_get_member(g,
							      "control_plane_name");
	const char *s = m != NULL ? config_setting_get_string(m) : ifc->name;
	unsigned int i;

	conf_get_bool(g, "control_plane", &ifc->control_plane);
	if (m == NULL && !ifc->control_plane) {
		/* Interface names may be longer than a kernel one: unused. */
		if (strlen(s) < CONF_IFNAME_MAX)
			conf_strlcpy(ifc->cp_name, s, sizeof(ifc->cp_name));
		return 0;
	}
	if (m == NULL)
		m = g;
	if (s[0] == '\0' || strlen(s) >= CONF_IFNAME_MAX ||
	    strpbrk(s, "/: \t") != NULL || strcmp(s, ".") == 0 ||
	    strcmp(s, "..") == 0)
		return conf_err(x, m,
				"bad control-plane interface name '%s' %s (1 to %d characters, no '/', ':' or blank; set control_plane_name)",
				s, where, CONF_IFNAME_MAX - 1);
	for (i = 0; i + 1 < x->conf->n_ifaces; i++) {
		const struct conf_iface *o = &x->conf->ifaces[i];

		if (o->control_plane && ifc->control_plane &&
		    strcmp(o->cp_name, s) == 0)
			return conf_err(x, m,
					"control-plane interface name '%s' %s already used by interface '%s' (line %d)",
					s, where, o->name, o->line);
	}
	conf_strlcpy(ifc->cp_name, s, sizeof(ifc->cp_name));
	return 0;
}

static int
parse_iface(struct conf_ctx *x, const config_setting_t *g, int idx)
{
	struct conf_iface *ifc = &x->conf->ifaces[x->conf->n_ifaces++];
	const char *name = conf_get_str(g, "name");
	const config_setting_t *m;
	char where[CONF_WHERE_MAX];
	int64_t mtu = MTU_DEFAULT;
	unsigned int i;
	int role = 0;
	int rc;

	if (name != NULL)
		conf_where(where, "in interface '%s'", name);
	else
		conf_where(where, "in interface #%d", idx + 1);
	ifc->line = config_setting_source_line(g);
	rc = conf_check_keys(x, g, iface_keys, where);
	if (rc == 0)
		rc = conf_get_name(x, g, "name", where, ifc->name);
	if (rc != 0)
		return rc;
	for (i = 0; i + 1 < x->conf->n_ifaces; i++)
		if (strcmp(x->conf->ifaces[i].name, ifc->name) == 0) {
			m = config_setting_get_member(g, "name");
			return conf_err(x, m,
					"duplicate interface '%s' (first defined at line %d)",
					ifc->name, x->conf->ifaces[i].line);
		}
	rc = conf_get_enum(x, g, "role", where, conf_role_names, CONF_N_ROLES,
			   &role);
	if (rc != 0)
		return rc;
	ifc->role = role;
	rc = parse_device(x, g, where, ifc);
	if (rc == 0)
		rc = parse_address(x, g, where, ifc);
	if (rc == 0)
		rc = conf_parse_iface_addr6(x, g, where, ifc);
	if (rc == 0)
		rc = conf_get_int(x, g, "mtu", where, MTU_MIN, MTU_MAX, &mtu);
	if (rc == 0)
		rc = conf_get_name(x, g, "crypto_map", where, ifc->crypto_map);
	ifc->mtu = (uint16_t)mtu;
	if (rc == 0)
		rc = parse_cp(x, g, where, ifc);
	m = config_setting_get_member(g, "standby");
	if (rc == 0 && m != NULL)
		rc = conf_parse_standby(x, m, ifc);
	return rc;
}

int
conf_parse_ifaces(struct conf_ctx *x, const config_setting_t *s)
{
	struct conf *c = x->conf;
	bool inside = false, outside = false;
	unsigned int i;
	int n, rc;

	rc = conf_check_list_of_groups(x, s, "interfaces");
	if (rc != 0)
		return rc;
	n = config_setting_length(s);
	if (n > 0) {
		c->ifaces = calloc(n, sizeof(c->ifaces[0]));
		if (c->ifaces == NULL)
			return conf_nomem(x);
	}
	for (i = 0; i < (unsigned int)n; i++) {
		rc = parse_iface(x, config_setting_get_elem(s, i), i);
		if (rc != 0)
			return rc;
		if (c->ifaces[i].role == CONF_ROLE_INSIDE)
			inside = true;
		else
			outside = true;
	}
	if (!inside || !outside)
		return conf_err(x, s,
				"interfaces: at least one inside and one outside interface are required");
	return 0;
}

/*
 * After crypto_maps is parsed: a bound map must exist. After every
 * interface: what a standby group tracks must exist.
 */
int
conf_resolve_ifaces(struct conf_ctx *x, const config_setting_t *s)
{
	const struct conf_iface *ifc;
	const config_setting_t *m;
	unsigned int i;
	int rc;

	rc = conf_resolve_standby(x, s);
	if (rc != 0)
		return rc;

	for (i = 0; i < x->conf->n_ifaces; i++) {
		ifc = &x->conf->ifaces[i];
		if (ifc->crypto_map[0] == '\0')
			continue;
		m = config_setting_get_member(config_setting_get_elem(s, i),
					      "crypto_map");
		if (conf_crypto_map_find(x->conf, ifc->crypto_map) == NULL)
			return conf_err(x, m,
					"crypto map '%s' undefined in interface '%s'",
					ifc->crypto_map, ifc->name);
		if (ifc->role != CONF_ROLE_OUTSIDE)
			return conf_err(x, m,
					"crypto map '%s' in interface '%s': a crypto map applies to an outside interface only",
					ifc->crypto_map, ifc->name);
	}
	return 0;
}
