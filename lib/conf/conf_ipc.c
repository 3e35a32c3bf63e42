/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ipc = { transport; local_port; remote_port; local_ip; remote_ip;
 *         udp_encap_port; remote_udp_encap_port;
 *         retransmit_timeout = { min; max; };
 *         path_retransmit; assoc_retransmit; }
 *
 * IOS "ipc zone default / association 1 / protocol sctp": the SCTP
 * association to the twin that carries the sync channel. Ports and
 * addresses are required (IOS has no default for them); an address key is
 * one address, IPv4 "A.B.C.D" or IPv6 "X:X::X", or an array of one or two
 * (multi-homing). All local and remote addresses are of one family: the
 * association runs over IPv4 or over IPv6, not both. The timers and
 * counters have IOS's ranges and defaults. The twin's file mirrors this
 * one: its local is our remote.
 */
#include <string.h>

#include "conf_priv.h"

#define RTO_LO 300
#define RTO_HI 60000
#define RTX_LO 2
#define RTX_HI 10

static const char *const transport_names[] = {
	[CONF_IPC_AUTO] = "auto",
	[CONF_IPC_SCTP] = "sctp",
	[CONF_IPC_SCTP_UDP] = "sctp-udp",
};
#define N_TRANSPORTS (sizeof(transport_names) / sizeof(transport_names[0]))

static const struct conf_key ipc_keys[] = {
	{ "transport", CONF_T_STRING, false },
	{ "local_port", CONF_T_INT, true },
	{ "remote_port", CONF_T_INT, true },
	{ "local_ip", CONF_T_STRING | CONF_T_ARRAY, true },
	{ "remote_ip", CONF_T_STRING | CONF_T_ARRAY, true },
	{ "udp_encap_port", CONF_T_INT, false },
	{ "remote_udp_encap_port", CONF_T_INT, false },
	{ "retransmit_timeout", CONF_T_GROUP, false },
	{ "path_retransmit", CONF_T_INT, false },
	{ "assoc_retransmit", CONF_T_INT, false },
	{ NULL, 0, false },
};

static const struct conf_key rto_keys[] = {
	{ "min", CONF_T_INT, false },
	{ "max", CONF_T_INT, false },
	{ NULL, 0, false },
};

const char *
conf_ipc_transport_name(enum conf_ipc_transport t)
{
	return (unsigned int)t < N_TRANSPORTS ? transport_names[t] : "?";
}

static void
set_defaults(struct conf_ipc *p)
{
	memset(p, 0, sizeof(*p));
	p->transport = CONF_IPC_AUTO;
	p->udp_encap_port = CONF_IPC_UDP_ENCAP_PORT;
	p->remote_udp_encap_port = CONF_IPC_UDP_ENCAP_PORT;
	p->rto_min_ms = 300;
	p->rto_max_ms = 600;
	p->path_retransmit = 4;
	p->assoc_retransmit = 4;
}

/* One address of an address key; element is NULL for a lone string. */
static bool
ipc_unicast(const struct tw_addr *a)
{
	static const uint8_t loop6[16] = { [15] = 1 };

	if (a->family == TW_AF_INET)
		return (a->v4 >> 24) != 0 && (a->v4 >> 28) < 0xe;
	/* No link-local: the config has no zone to go with it. */
	return memcmp(a->v6, loop6, 16) == 0 || tw_addr6_is_unicast(a->v6);
}

static int
parse_one_ip(struct conf_ctx *x, const config_setting_t *at,
	     const char *key, int element, struct tw_addr *out)
{
	const char *s;

	if (config_setting_type(at) != CONFIG_TYPE_STRING)
		return conf_err(x, at,
				"element %d of '%s' in ipc must be a string \"A.B.C.D\" or \"X:X::X\"",
				element, key);
	s = config_setting_get_string(at);
	if (tw_addr_parse(s, out) != 0)
		return conf_err(x, at,
				"bad %s address '%s' in ipc (expected A.B.C.D or X:X::X)",
				key, s);
	/* Loopback is fine (two twins on one host in tests); these never. */
	if (!ipc_unicast(out))
		return conf_err(x, at,
				"%s %s in ipc is not a unicast address", key,
				s);
	return 0;
}

static int
parse_ips(struct conf_ctx *x, const config_setting_t *s, const char *key,
	  struct tw_addr *ips, unsigned int *n)
{
	const config_setting_t *m = config_setting_get_member(s, key);
	int i, len, rc;

	if (config_setting_type(m) == CONFIG_TYPE_STRING) {
		*n = 1;
		return parse_one_ip(x, m, key, 1, &ips[0]);
	}
	len = config_setting_length(m);
	if (len < 1 || len > CONF_IPC_MAX_IPS)
		return conf_err(x, m,
				"%s in ipc has %d addresses: give 1 or 2 (multi-homing)",
				key, len);
	for (i = 0; i < len; i++) {
		rc = parse_one_ip(x, config_setting_get_elem(m, i), key, i + 1,
				  &ips[i]);
		if (rc != 0)
			return rc;
	}
	*n = (unsigned int)len;
	if (*n == 2 && tw_addr_eq(&ips[0], &ips[1]))
		return conf_err(x, m, "%s in ipc names the same address twice",
				key);
	return 0;
}

static bool
iface_has(const struct conf_iface *f, const struct tw_addr *a)
{
	unsigned int i;

	if (a->family == TW_AF_INET)
		return f->addr == a->v4;
	for (i = 0; i < f->n_addr6; i++)
		if (tw_addr_eq(&f->addr6[i].addr, a))
			return true;
	return false;
}

static bool
standby_has(const struct conf_standby *g, const struct tw_addr *a)
{
	unsigned int i;

	if (a->family == TW_AF_INET)
		return g->vip != 0 && g->vip == a->v4;
	for (i = 0; i < g->n_gvip6; i++)
		if (tw_addr_eq(&g->gvip6[i].addr, a))
			return true;
	return false;
}

/* One association, one family (sync_transport.h). */
static int
check_family(struct conf_ctx *x, const config_setting_t *s,
	     const struct conf_ipc *p)
{
	uint8_t f = p->local_ip[0].family;
	unsigned int i;

	for (i = 1; i < p->n_local_ip; i++)
		if (p->local_ip[i].family != f)
			return conf_err(x, config_setting_get_member(s,
								     "local_ip"),
					"local_ip in ipc mixes IPv4 and IPv6: the sync association runs over one family");
	for (i = 0; i < p->n_remote_ip; i++)
		if (p->remote_ip[i].family != f)
			return conf_err(x, config_setting_get_member(s,
								     "remote_ip"),
					"remote_ip in ipc is %s but local_ip is %s: the sync association runs over one family",
					p->remote_ip[i].family == TW_AF_INET6 ?
					"IPv6" : "IPv4",
					f == TW_AF_INET6 ? "IPv6" : "IPv4");
	return 0;
}

/*
 * The sync channel runs over the kernel's SCTP (or UDP): its local
 * addresses must be the kernel's. An interface of the config is a DPDK
 * port, which the kernel does not see: the association would never come
 * up (or leave from another NIC). Interfaces are parsed before ipc.
 */
static int
check_kernel_ips(struct conf_ctx *x, const config_setting_t *s,
		 const struct conf_ipc *p)
{
	const config_setting_t *m = config_setting_get_member(s, "local_ip");
	const struct conf *c = x->conf;
	unsigned int i, j, k;
	char a[TW_ADDR_STRLEN];

	for (k = 0; k < p->n_local_ip; k++) {
		const struct tw_addr *l = &p->local_ip[k];

		tw_addr_str(l, a, sizeof(a));
		for (i = 0; i < c->n_ifaces; i++) {
			const struct conf_iface *f = &c->ifaces[i];

			if (iface_has(f, l))
				return conf_err(x, m,
						"local_ip %s in ipc is the address of interface '%s' (line %d), a DPDK port the kernel does not see: the sync channel to the twin needs an address of a kernel-owned NIC",
						a, f->name, f->line);
			for (j = 0; j < f->n_standby; j++)
				if (standby_has(&f->standby[j], l))
					return conf_err(x, m,
							"local_ip %s in ipc is the virtual IP of standby group %u of interface '%s' (line %d), on a DPDK port the kernel does not see: the sync channel to the twin needs an address of a kernel-owned NIC",
							a, f->standby[j].group,
							f->name, f->line);
		}
	}
	return 0;
}

static int
parse_rto(struct conf_ctx *x, const config_setting_t *s, struct conf_ipc *p)
{
	const config_setting_t *g = config_setting_get_member(s,
							      "retransmit_timeout");
	const char *where = "in ipc retransmit_timeout";
	int64_t lo = p->rto_min_ms, hi = p->rto_max_ms;
	int rc;

	if (g == NULL)
		return 0;
	rc = conf_check_keys(x, g, rto_keys, where);
	if (rc == 0)
		rc = conf_get_int(x, g, "min", where, RTO_LO, RTO_HI, &lo);
	if (rc == 0)
		rc = conf_get_int(x, g, "max", where, RTO_LO, RTO_HI, &hi);
	if (rc != 0)
		return rc;
	if (lo > hi)
		return conf_err(x, g,
				"retransmit_timeout min %u ms above max %u ms in ipc",
				(unsigned int)lo, (unsigned int)hi);
	p->rto_min_ms = (uint32_t)lo;
	p->rto_max_ms = (uint32_t)hi;
	return 0;
}

static int
parse_numbers(struct conf_ctx *x, const config_setting_t *s,
	      struct conf_ipc *p)
{
	const char *where = "in ipc";
	int64_t lp = 0, rp = 0, up = p->udp_encap_port;
	int64_t rup = p->remote_udp_encap_port;
	int64_t prtx = p->path_retransmit, artx = p->assoc_retransmit;
	int rc;

	rc = conf_get_int(x, s, "local_port", where, 1, 65535, &lp);
	if (rc == 0)
		rc = conf_get_int(x, s, "remote_port", where, 1, 65535, &rp);
	if (rc == 0)
		rc = conf_get_int(x, s, "udp_encap_port", where, 1, 65535, &up);
	if (rc == 0)
		rc = conf_get_int(x, s, "remote_udp_encap_port", where, 1,
				  65535, &rup);
	if (rc == 0)
		rc = conf_get_int(x, s, "path_retransmit", where, RTX_LO,
				  RTX_HI, &prtx);
	if (rc == 0)
		rc = conf_get_int(x, s, "assoc_retransmit", where, RTX_LO,
				  RTX_HI, &artx);
	p->local_port = (uint16_t)lp;
	p->remote_port = (uint16_t)rp;
	p->udp_encap_port = (uint16_t)up;
	p->remote_udp_encap_port = (uint16_t)rup;
	p->path_retransmit = (uint8_t)prtx;
	p->assoc_retransmit = (uint8_t)artx;
	return rc;
}

int
conf_parse_ipc(struct conf_ctx *x, const config_setting_t *s)
{
	struct conf_ipc *p = &x->conf->ipc;
	int v = CONF_IPC_AUTO;
	int rc;

	set_defaults(p);
	if (s == NULL)
		return 0;
	p->enabled = true;
	p->line = config_setting_source_line(s);
	rc = conf_check_keys(x, s, ipc_keys, "in ipc");
	if (rc == 0)
		rc = conf_get_enum(x, s, "transport", "in ipc", transport_names,
				   N_TRANSPORTS, &v);
	p->transport = v;
	if (rc == 0)
		rc = parse_numbers(x, s, p);
	if (rc == 0)
		rc = parse_ips(x, s, "local_ip", p->local_ip, &p->n_local_ip);
	if (rc == 0)
		rc = check_kernel_ips(x, s, p);
	if (rc == 0)
		rc = parse_ips(x, s, "remote_ip", p->remote_ip,
			       &p->n_remote_ip);
	if (rc == 0)
		rc = check_family(x, s, p);
	if (rc == 0)
		rc = parse_rto(x, s, p);
	if (rc != 0)
		return rc;
	/* The twins' order decides who connects: a tie is this box itself. */
	if (tw_addr_eq(&p->local_ip[0], &p->remote_ip[0]) &&
	    p->local_port == p->remote_port)
		return conf_err(x, config_setting_get_member(s, "remote_port"),
				"ipc remote_ip and remote_port are this box's own local_ip and local_port: the twin must differ in its first address or its port");
	return 0;
}
