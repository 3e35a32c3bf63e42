/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * match = ( { action; src; dst; protocol; src_port; dst_port; }, ... )
 *
 * The traffic selectors of a crypto map entry (IOS "match address ACL"):
 * protect is the ACL's permit, bypass its deny (forwarded in clear), and
 * discard drops. Selectors are written inside -> outside; the inbound SA
 * checks decrypted packets against them reversed (RFC 4301 5.2).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf_priv.h"

static const struct conf_key match_keys[] = {
	{ "action", CONF_T_STRING, false },
	{ "src", CONF_T_STRING, true },
	{ "dst", CONF_T_STRING, true },
	{ "protocol", CONF_T_STRING | CONF_T_INT, false },
	{ "src_port", CONF_T_STRING | CONF_T_INT, false },
	{ "dst_port", CONF_T_STRING | CONF_T_INT, false },
	{ NULL, 0, false },
};

/* IANA protocol numbers. */
#define PROTO_ICMP 1
#define PROTO_TCP 6
#define PROTO_UDP 17
#define PROTO_ESP 50
#define PROTO_ICMPV6 58

static const struct {
	const char *name;
	uint8_t proto;
} proto_names[] = {
	{ "any", 0 },
	{ "icmp", PROTO_ICMP },
	{ "tcp", PROTO_TCP },
	{ "udp", PROTO_UDP },
	{ "esp", PROTO_ESP },
	{ "icmpv6", PROTO_ICMPV6 },
};

#define N_PROTO_NAMES (sizeof(proto_names) / sizeof(proto_names[0]))

/* Strict decimal 0..max: digits only, no sign, no leading zeros. */
static int
parse_uint(const char *s, const char **end, unsigned long max,
	   unsigned long *out)
{
	unsigned long v = 0;
	const char *p = s;

	if (*p < '0' || *p > '9' || (p[0] == '0' && p[1] >= '0' && p[1] <= '9'))
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		v = v * 10 + (unsigned long)(*p - '0');
		if (v > max)
			return -1;
	}
	*end = p;
	*out = v;
	return 0;
}

static int
parse_proto(struct conf_ctx *x, const config_setting_t *g, const char *where,
	    struct conf_match *mt)
{
	const config_setting_t *m = config_setting_get_member(g, "protocol");
	unsigned long v;
	const char *s, *end;
	unsigned int i;

	mt->proto = 0;
	if (m == NULL)
		return 0;
	if (config_setting_type(m) != CONFIG_TYPE_STRING) {
		int64_t n = config_setting_get_int64(m);

		if (n < 0 || n > 255)
			return conf_err(x, m,
					"protocol %lld %s out of range 0..255",
					(long long)n, where);
		mt->proto = (uint8_t)n;
		return 0;
	}
	s = config_setting_get_string(m);
	for (i = 0; i < N_PROTO_NAMES; i++)
		if (strcmp(s, proto_names[i].name) == 0) {
			mt->proto = proto_names[i].proto;
			return 0;
		}
	if (parse_uint(s, &end, 255, &v) == 0 && *end == '\0') {
		mt->proto = (uint8_t)v;
		return 0;
	}
	return conf_err(x, m,
			"bad protocol '%s' %s (expected any, tcp, udp, icmp, icmpv6, esp or 0-255)",
			s, where);
}

static int
parse_port(struct conf_ctx *x, const config_setting_t *g, const char *key,
	   const char *where, struct conf_match *mt, uint16_t *lo,
	   uint16_t *hi)
{
	const config_setting_t *m = config_setting_get_member(g, key);
	const config_setting_t *pm = config_setting_get_member(g, "protocol");
	unsigned long a, b;
	const char *s, *end;

	*lo = 0;
	*hi = UINT16_MAX;
	if (m == NULL)
		return 0;
	/* Only TCP and UDP carry ports in the first bytes (RFC 4301 4.4.1.1). */
	if (mt->proto != PROTO_TCP && mt->proto != PROTO_UDP) {
		char pbuf[16];
		const char *pname = pbuf;

		if (pm == NULL)
			pname = "any";
		else if (config_setting_type(pm) == CONFIG_TYPE_STRING)
			pname = config_setting_get_string(pm);
		else
			snprintf(pbuf, sizeof(pbuf), "%u", mt->proto);
		return conf_err(x, m,
				"%s %s needs protocol tcp or udp (protocol is %s)",
				key, where, pname);
	}
	if (config_setting_type(m) != CONFIG_TYPE_STRING) {
		int64_t n = config_setting_get_int64(m);

		if (n < 0 || n > UINT16_MAX)
			return conf_err(x, m, "%s %lld %s out of range 0..65535",
					key, (long long)n, where);
		*lo = *hi = (uint16_t)n;
		return 0;
	}
	s = config_setting_get_string(m);
	if (parse_uint(s, &end, UINT16_MAX, &a) != 0)
		goto bad;
	b = a;
	if (*end == '-' && parse_uint(end + 1, &end, UINT16_MAX, &b) != 0)
		goto bad;
	if (*end != '\0' || b < a)
		goto bad;
	*lo = (uint16_t)a;
	*hi = (uint16_t)b;
	return 0;
bad:
	return conf_err(x, m,
			"bad %s '%s' %s (expected N or N-M with N <= M <= 65535)",
			key, s, where);
}

/*
 * Both selectors of one family (IOS keeps "ipv6 access-list" apart); the
 * ICMP of IPv6 is its own protocol (RFC 4443, next header 58).
 */
static int
check_family(struct conf_ctx *x, const config_setting_t *g, const char *where,
	     struct conf_match *mt)
{
	if (mt->src_net.addr.family != mt->dst_net.addr.family)
		return conf_err(x, config_setting_get_member(g, "dst"),
				"src and dst %s are of different address families",
				where);
	if (mt->src_net.addr.family == TW_AF_INET6) {
		if (mt->proto == PROTO_ICMP)
			return conf_err(x,
					config_setting_get_member(g, "protocol"),
					"protocol icmp %s with IPv6 selectors: did you mean icmpv6?",
					where);
		return 0;
	}
	if (mt->proto == PROTO_ICMPV6)
		return conf_err(x, config_setting_get_member(g, "protocol"),
				"protocol icmpv6 %s with IPv4 selectors: did you mean icmp?",
				where);
	mt->src.addr = mt->src_net.addr.v4;
	mt->src.len = mt->src_net.len;
	mt->dst.addr = mt->dst_net.addr.v4;
	mt->dst.len = mt->dst_net.len;
	return 0;
}

static int
parse_match(struct conf_ctx *x, const config_setting_t *g,
	    const char *where, struct conf_match *mt)
{
	int action = CONF_POLICY_PROTECT;
	int rc;

	mt->line = config_setting_source_line(g);
	rc = conf_check_keys(x, g, match_keys, where);
	if (rc == 0)
		rc = conf_get_enum(x, g, "action", where, conf_action_names,
				   CONF_N_ACTIONS, &action);
	if (rc == 0)
		rc = conf_get_net(x, g, "src", where, &mt->src_net);
	if (rc == 0)
		rc = conf_get_net(x, g, "dst", where, &mt->dst_net);
	if (rc == 0)
		rc = parse_proto(x, g, where, mt);
	if (rc == 0)
		rc = check_family(x, g, where, mt);
	if (rc == 0)
		rc = parse_port(x, g, "src_port", where, mt, &mt->sport_lo,
				&mt->sport_hi);
	if (rc == 0)
		rc = parse_port(x, g, "dst_port", where, mt, &mt->dport_lo,
				&mt->dport_hi);
	mt->action = action;
	return rc;
}

int
conf_parse_matches(struct conf_ctx *x, const config_setting_t *list,
		   const char *where, struct conf_map_entry *e)
{
	char mwhere[CONF_WHERE_MAX];
	int i, n, rc;

	rc = conf_check_list_of_groups(x, list, "match");
	if (rc != 0)
		return rc;
	n = config_setting_length(list);
	if (n == 0)
		return conf_err(x, list, "no match rules %s", where);
	/* Each family's rules keep their order; a packet meets one list. */
	e->matches = calloc(n, sizeof(e->matches[0]));
	e->matches6 = calloc(n, sizeof(e->matches6[0]));
	if (e->matches == NULL || e->matches6 == NULL)
		return conf_nomem(x);
	for (i = 0; i < n; i++) {
		struct conf_match mt;

		memset(&mt, 0, sizeof(mt));
		conf_where(mwhere, "%s match %d", where, i + 1);
		rc = parse_match(x, config_setting_get_elem(list, i), mwhere,
				 &mt);
		if (rc != 0)
			return rc;
		if (mt.src_net.addr.family == TW_AF_INET6)
			e->matches6[e->n_matches6++] = mt;
		else
			e->matches[e->n_matches++] = mt;
	}
	return 0;
}
