/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * interfaces = ( { ... standby = ( { group; version; ip | ipv6; name; priority;
 *     preempt; delay = { minimum; reload; }; timers = { hello_ms; hold_ms; };
 *     track = ( { interface; decrement; } ); authentication = { text; } |
 *     { md5_key; key_id; }; mac; garp = { count; interval_ms; }; } ); } )
 *
 * HSRP groups of an interface, in the vocabulary of IOS "standby G ...".
 * Defaults are IOS's: version 1, priority 100, no preempt, timers 3 s /
 * 10 s, text authentication "cisco", decrement 10, the version's
 * well-known virtual MAC, 2 gratuitous ARPs 3 s apart. The virtual IP is
 * required (a twin without a known VIP has no tunnel endpoint).
 *
 * An IPv6 group (version 2 only) has "ipv6" instead of "ip": a string or
 * an array of them, one per IOS "standby G ipv6 ..." line: "autoconfig"
 * (the link-local virtual address from the virtual MAC, the default), a
 * link-local address "fe80::...", or a global one "2001:db8::1/64" inside
 * one of the interface's ipv6_address prefixes.
 */
#include <stdlib.h>
#include <string.h>

#include "conf_priv.h"
#include "tw_bytes.h"

static const struct conf_key standby_keys[] = {
	{ "group", CONF_T_INT, true },
	{ "version", CONF_T_INT, false },
	{ "ip", CONF_T_STRING, false },
	{ "ipv6", CONF_T_STRING | CONF_T_ARRAY, false },
	{ "name", CONF_T_STRING, false },
	{ "priority", CONF_T_INT, false },
	{ "preempt", CONF_T_BOOL, false },
	{ "delay", CONF_T_GROUP, false },
	{ "timers", CONF_T_GROUP, false },
	{ "track", CONF_T_LIST, false },
	{ "authentication", CONF_T_GROUP, false },
	{ "mac", CONF_T_STRING, false },
	{ "garp", CONF_T_GROUP, false },
	{ NULL, 0, false },
};

static const struct conf_key delay_keys[] = {
	{ "minimum", CONF_T_INT, false },
	{ "reload", CONF_T_INT, false },
	{ NULL, 0, false },
};

static const struct conf_key timers_keys[] = {
	{ "hello", CONF_T_INT, false },
	{ "hold", CONF_T_INT, false },
	{ "hello_ms", CONF_T_INT, false },
	{ "hold_ms", CONF_T_INT, false },
	{ NULL, 0, false },
};

static const struct conf_key track_keys[] = {
	{ "interface", CONF_T_STRING, true },
	{ "decrement", CONF_T_INT, false },
	{ NULL, 0, false },
};

static const struct conf_key auth_keys[] = {
	{ "text", CONF_T_STRING, false },
	{ "md5_key", CONF_T_STRING, false },
	{ "key_id", CONF_T_INT, false },
	{ NULL, 0, false },
};

static const struct conf_key garp_keys[] = {
	{ "count", CONF_T_INT, false },
	{ "interval_ms", CONF_T_INT, false },
	{ NULL, 0, false },
};

#define PRIORITY_DEFAULT 100
#define HELLO_MS_DEFAULT 3000
#define HOLD_MS_DEFAULT 10000
/* IOS: "standby timers msec 15-999 msec 50-3000", or 1-254 s / 1-255 s. */
#define HELLO_MS_MIN 15
#define HELLO_MS_MAX 254000
#define HOLD_MS_MIN 50
#define HOLD_MS_MAX 255000
#define DELAY_MAX_S 3600       /* IOS standby delay minimum/reload 0-3600 */
#define DECREMENT_DEFAULT 10
#define GARP_COUNT_DEFAULT 2   /* IOS standby arp gratuitous count 2 */
#define GARP_COUNT_MAX 60
#define GARP_INTERVAL_DEFAULT 3000
#define GARP_INTERVAL_MIN 10
#define GARP_INTERVAL_MAX 60000

/* "0000.0c9f.f001" (IOS) or "00:00:0c:9f:f0:01". */
static int
mac_parse(const char *s, uint8_t mac[6])
{
	unsigned int i, k = 0;
	int h;

	if (strlen(s) == 14 && s[4] == '.' && s[9] == '.') {
		for (i = 0; i < 14; i++) {
			if (i == 4 || i == 9)
				continue;
			h = tw_hex_digit(s[i]);
			if (h < 0)
				return -1;
			if (k % 2 == 0)
				mac[k / 2] = (uint8_t)(h << 4);
			else
				mac[k / 2] |= (uint8_t)h;
			k++;
		}
		return 0;
	}
	if (strlen(s) == 17) {
		for (i = 0; i < 6; i++) {
			if (i > 0 && s[i * 3 - 1] != ':')
				return -1;
			if (tw_hex_digit(s[i * 3]) < 0 ||
			    tw_hex_digit(s[i * 3 + 1]) < 0)
				return -1;
			mac[i] = (uint8_t)(tw_hex_digit(s[i * 3]) << 4 |
					   tw_hex_digit(s[i * 3 + 1]));
		}
		return 0;
	}
	return -1;
}

static int
parse_vip(struct conf_ctx *x, const config_setting_t *g, const char *where,
	  const struct conf_iface *ifc, struct conf_standby *sb)
{
	const config_setting_t *m = config_setting_get_member(g, "ip");
	struct conf_prefix net = { .addr = ifc->addr, .len = ifc->prefix_len };
	char sub[CONF_PREFIX_STRLEN];
	uint32_t host, mask = conf_prefix_mask(ifc->prefix_len);
	unsigned int i;
	int rc;

	rc = conf_get_ipv4(x, g, "ip", where, &sb->vip);
	if (rc != 0)
		return rc;
	net.addr &= mask;
	conf_prefix_str(&net, sub, sizeof(sub));
	if (!conf_ipv4_is_unicast(sb->vip) || !conf_prefix_contains(&net, sb->vip))
		return conf_err(x, m,
				"virtual IP %s %s is not in the interface's subnet %s",
				config_setting_get_string(m), where, sub);
	host = sb->vip & ~mask;
	if (ifc->prefix_len <= 30 && (host == 0 || host == ~mask))
		return conf_err(x, m,
				"virtual IP %s %s is the network or broadcast address of %s",
				config_setting_get_string(m), where, sub);
	if (sb->vip == ifc->addr)
		return conf_err(x, m,
				"virtual IP %s %s is the interface's own address",
				config_setting_get_string(m), where);
	for (i = 0; i + 1 < ifc->n_standby; i++)
		if (ifc->standby[i].af == TW_AF_INET &&
		    ifc->standby[i].vip == sb->vip)
			return conf_err(x, m,
					"virtual IP %s %s already used by group %u (line %d)",
					config_setting_get_string(m), where,
					ifc->standby[i].group,
					ifc->standby[i].line);
	return 0;
}

/* One "standby G ipv6 X" entry. */
static int
parse_ipv6_one(struct conf_ctx *x, const config_setting_t *e,
	       const char *where, const struct conf_iface *ifc,
	       struct conf_standby *sb, bool *ll_seen)
{
	const char *s = config_setting_get_string(e);
	struct tw_prefix p, net;
	unsigned int i, k;
	char pbuf[TW_PREFIX_STRLEN];

	if (strcmp(s, "autoconfig") == 0 || strchr(s, '/') == NULL) {
		if (*ll_seen)
			return conf_err(x, e,
					"ipv6 '%s' %s: a second link-local virtual address (autoconfig or fe80::...)",
					s, where);
		*ll_seen = true;
		if (strcmp(s, "autoconfig") == 0)
			return 0;
		if (tw_addr6_parse(s, sb->ll6) != 0)
			return conf_err(x, e,
					"bad ipv6 '%s' %s (expected autoconfig, a link-local address or ADDRESS/LEN)",
					s, where);
		if (!tw_addr6_is_link_local(sb->ll6))
			return conf_err(x, e,
					"ipv6 '%s' %s is not link-local: a global virtual address needs its prefix length (ADDRESS/LEN)",
					s, where);
		sb->ll6_set = true;
		return 0;
	}
	if (tw_prefix_parse(s, &p) != 0 || p.addr.family != TW_AF_INET6)
		return conf_err(x, e, "bad ipv6 '%s' %s (expected ADDRESS/LEN)",
				s, where);
	if (!tw_addr6_is_unicast(p.addr.v6) ||
	    tw_addr6_is_link_local(p.addr.v6))
		return conf_err(x, e,
				"ipv6 '%s' %s is not a global unicast address",
				s, where);
	for (i = 0; i < ifc->n_addr6; i++) {
		net = ifc->addr6[i];
		tw_prefix_network(&net);
		if (net.len == p.len && tw_prefix_contains(&net, &p.addr))
			break;
	}
	if (i == ifc->n_addr6)
		return conf_err(x, e,
				"virtual address %s %s is not in a prefix of the interface's ipv6_address",
				s, where);
	if (tw_addr_eq(&ifc->addr6[i].addr, &p.addr))
		return conf_err(x, e,
				"virtual address %s %s is the interface's own address",
				s, where);
	if (sb->n_gvip6 == CONF_STANDBY_MAX_GVIP6)
		return conf_err(x, e, "more than %d global virtual addresses %s",
				CONF_STANDBY_MAX_GVIP6, where);
	/* Unique among this group's and the interface's other groups. */
	for (i = 0; i < ifc->n_standby; i++)
		for (k = 0; k < ifc->standby[i].n_gvip6; k++)
			if (tw_addr_eq(&ifc->standby[i].gvip6[k].addr,
				       &p.addr))
				return conf_err(x, e,
						"virtual address %s %s already used by group %u (line %d)",
						tw_addr_str(&p.addr, pbuf,
							    sizeof(pbuf)),
						where, ifc->standby[i].group,
						ifc->standby[i].line);
	sb->gvip6[sb->n_gvip6++] = p;
	return 0;
}

/* "ip" (IPv4) or "ipv6" (IPv6), exactly one. */
static int
parse_addr(struct conf_ctx *x, const config_setting_t *g, const char *where,
	   const struct conf_iface *ifc, struct conf_standby *sb)
{
	const config_setting_t *m6 = config_setting_get_member(g, "ipv6");
	const config_setting_t *m4 = config_setting_get_member(g, "ip");
	bool ll_seen = false;
	int i, n, rc;

	if (m4 != NULL && m6 != NULL)
		return conf_err(x, m6,
				"both ip and ipv6 %s: a group is IPv4 or IPv6, give one",
				where);
	if (m4 == NULL && m6 == NULL)
		return conf_err(x, g, "missing 'ip' (or 'ipv6') %s", where);
	if (m4 != NULL) {
		sb->af = TW_AF_INET;
		return parse_vip(x, g, where, ifc, sb);
	}
	sb->af = TW_AF_INET6;
	if (sb->version != 2)
		return conf_err(x, m6,
				"ipv6 %s needs version = 2 (HSRP for IPv6 is version 2 only)",
				where);
	if (config_setting_type(m6) == CONFIG_TYPE_STRING)
		return parse_ipv6_one(x, m6, where, ifc, sb, &ll_seen);
	n = config_setting_length(m6);
	if (n == 0)
		return conf_err(x, m6, "empty ipv6 list %s", where);
	for (i = 0; i < n; i++) {
		const config_setting_t *e = config_setting_get_elem(m6, i);

		if (config_setting_type(e) != CONFIG_TYPE_STRING)
			return conf_err(x, e, "ipv6 %s: expected strings",
					where);
		rc = parse_ipv6_one(x, e, where, ifc, sb, &ll_seen);
		if (rc != 0)
			return rc;
	}
	return 0;
}

static int
parse_name(struct conf_ctx *x, const config_setting_t *g, const char *where,
	   struct conf_standby *sb)
{
	const struct conf_iface *o;
	const struct conf_standby *other;
	unsigned int i, j;
	int rc;

	rc = conf_get_name(x, g, "name", where, sb->name);
	if (rc != 0 || sb->name[0] == '\0')
		return rc;
	/* Every group parsed so far: this interface's and the earlier ones. */
	for (i = 0; i < x->conf->n_ifaces; i++) {
		o = &x->conf->ifaces[i];
		for (j = 0; j < o->n_standby; j++) {
			other = &o->standby[j];
			if (other == sb || strcmp(other->name, sb->name) != 0)
				continue;
			return conf_err(x, config_setting_get_member(g, "name"),
					"standby name '%s' %s already names group %u of interface '%s' (line %d)",
					sb->name, where, other->group, o->name,
					other->line);
		}
	}
	return 0;
}

static int
parse_delay(struct conf_ctx *x, const config_setting_t *g, const char *where,
	    struct conf_standby *sb)
{
	const config_setting_t *d = config_setting_get_member(g, "delay");
	char w[CONF_WHERE_MAX];
	int64_t min = 0, reload = 0;
	int rc;

	if (d == NULL)
		return 0;
	conf_where(w, "%s delay", where);
	rc = conf_check_keys(x, d, delay_keys, w);
	if (rc == 0)
		rc = conf_get_int(x, d, "minimum", w, 0, DELAY_MAX_S, &min);
	if (rc == 0)
		rc = conf_get_int(x, d, "reload", w, 0, DELAY_MAX_S, &reload);
	sb->delay_minimum_ms = (uint32_t)min * 1000;
	sb->delay_reload_ms = (uint32_t)reload * 1000;
	return rc;
}

/* One of hello / hello_ms (or hold / hold_ms), never both, never neither. */
static int
get_time(struct conf_ctx *x, const config_setting_t *t, const char *w,
	 const char *key_s, const char *key_ms, int64_t lo_ms, int64_t hi_ms,
	 uint32_t *out)
{
	const config_setting_t *s = config_setting_get_member(t, key_s);
	const config_setting_t *ms = config_setting_get_member(t, key_ms);
	int64_t v = 0;
	int rc;

	if (s != NULL && ms != NULL)
		return conf_err(x, ms, "both %s and %s %s: give one", key_s,
				key_ms, w);
	if (s == NULL && ms == NULL)
		return conf_err(x, t, "missing '%s' (or '%s') %s", key_ms,
				key_s, w);
	if (s != NULL) {
		rc = conf_get_int(x, t, key_s, w, (lo_ms + 999) / 1000,
				  hi_ms / 1000, &v);
		v *= 1000;
	} else {
		rc = conf_get_int(x, t, key_ms, w, lo_ms, hi_ms, &v);
	}
	*out = (uint32_t)v;
	return rc;
}

static int
parse_timers(struct conf_ctx *x, const config_setting_t *g, const char *where,
	     struct conf_standby *sb)
{
	const config_setting_t *t = config_setting_get_member(g, "timers");
	const config_setting_t *hold;
	char w[CONF_WHERE_MAX];
	int rc;

	if (t == NULL)
		return 0;
	conf_where(w, "%s timers", where);
	rc = conf_check_keys(x, t, timers_keys, w);
	if (rc == 0)
		rc = get_time(x, t, w, "hello", "hello_ms", HELLO_MS_MIN,
			      HELLO_MS_MAX, &sb->hello_ms);
	if (rc == 0)
		rc = get_time(x, t, w, "hold", "hold_ms", HOLD_MS_MIN,
			      HOLD_MS_MAX, &sb->hold_ms);
	if (rc != 0)
		return rc;
	/* RFC 2281 5.1: the Holdtime MUST be greater than the Hellotime. */
	if (sb->hold_ms <= sb->hello_ms) {
		hold = config_setting_get_member(t, "hold_ms");
		if (hold == NULL)
			hold = config_setting_get_member(t, "hold");
		return conf_err(x, hold,
				"hold time %u ms %s must be greater than the hello time %u ms",
				sb->hold_ms, w, sb->hello_ms);
	}
	/* v1 carries whole seconds: what goes out must still be valid. */
	if (sb->version == 1 &&
	    (sb->hold_ms + 999) / 1000 <= (sb->hello_ms + 999) / 1000) {
		hold = config_setting_get_member(t, "hold_ms");
		if (hold == NULL)
			hold = config_setting_get_member(t, "hold");
		return conf_err(x, hold,
				"timers %u/%u ms %s go out in version 1 as %u/%u s, hold not above hello (use version 2 for millisecond timers)",
				sb->hello_ms, sb->hold_ms, w,
				(sb->hello_ms + 999) / 1000,
				(sb->hold_ms + 999) / 1000);
	}
	sb->timers_set = true;
	return 0;
}

static int
parse_track(struct conf_ctx *x, const config_setting_t *g, const char *where,
	    struct conf_standby *sb)
{
	const config_setting_t *l = config_setting_get_member(g, "track");
	const config_setting_t *e;
	struct conf_standby_track *t;
	char w[CONF_WHERE_MAX];
	int64_t dec;
	unsigned int j;
	int i, n, rc;

	if (l == NULL)
		return 0;
	rc = conf_check_list_of_groups(x, l, "track");
	if (rc != 0)
		return rc;
	n = config_setting_length(l);
	if (n > CONF_STANDBY_MAX_TRACK)
		return conf_err(x, l, "%d tracked interfaces %s, at most %d",
				n, where, CONF_STANDBY_MAX_TRACK);
	for (i = 0; i < n; i++) {
		e = config_setting_get_elem(l, i);
		t = &sb->track[sb->n_track];
		conf_where(w, "%s track #%d", where, i + 1);
		t->line = config_setting_source_line(e);
		rc = conf_check_keys(x, e, track_keys, w);
		if (rc == 0)
			rc = conf_get_name(x, e, "interface", w, t->iface);
		dec = DECREMENT_DEFAULT;
		if (rc == 0)
			rc = conf_get_int(x, e, "decrement", w, 1, 255, &dec);
		if (rc != 0)
			return rc;
		t->decrement = (uint8_t)dec;
		for (j = 0; j < sb->n_track; j++)
			if (strcmp(sb->track[j].iface, t->iface) == 0)
				return conf_err(x,
						config_setting_get_member(e, "interface"),
						"interface '%s' tracked twice %s (first at line %d)",
						t->iface, where, sb->track[j].line);
		sb->n_track++;
	}
	return 0;
}

static int
parse_auth(struct conf_ctx *x, const config_setting_t *g, const char *where,
	   struct conf_standby *sb)
{
	const config_setting_t *a = config_setting_get_member(g, "authentication");
	const config_setting_t *text, *key, *kid;
	char w[CONF_WHERE_MAX];
	int64_t id = 0;
	const char *s;
	int rc;

	if (a == NULL)
		return 0;
	conf_where(w, "%s authentication", where);
	rc = conf_check_keys(x, a, auth_keys, w);
	if (rc != 0)
		return rc;
	text = config_setting_get_member(a, "text");
	key = config_setting_get_member(a, "md5_key");
	kid = config_setting_get_member(a, "key_id");
	if (text != NULL && key != NULL)
		return conf_err(x, key, "both text and md5_key %s: give one", w);
	if (text == NULL && key == NULL)
		return conf_err(x, a, "missing 'text' or 'md5_key' %s", w);
	if (text != NULL) {
		if (kid != NULL)
			return conf_err(x, kid, "key_id %s applies to md5_key only",
					w);
		conf_secret(x, text, "HSRP authentication text");
		s = config_setting_get_string(text);
		if (s[0] == '\0' || strlen(s) > CONF_STANDBY_TEXT_MAX)
			return conf_err(x, text,
					"authentication text %s must be 1 to %d characters",
					w, CONF_STANDBY_TEXT_MAX);
		conf_strlcpy(sb->auth_text, s, sizeof(sb->auth_text));
		sb->auth = CONF_STANDBY_AUTH_TEXT;
		return 0;
	}
	conf_secret(x, key, "HSRP md5_key");
	s = config_setting_get_string(key);
	if (s[0] == '\0' || strlen(s) > CONF_STANDBY_MD5_MAX)
		return conf_err(x, key, "md5_key %s must be 1 to %d characters",
				w, CONF_STANDBY_MD5_MAX);
	rc = conf_get_int(x, a, "key_id", w, 0, UINT32_MAX, &id);
	if (rc != 0)
		return rc;
	conf_strlcpy(sb->md5_key, s, sizeof(sb->md5_key));
	sb->md5_key_id = (uint32_t)id;
	sb->auth = CONF_STANDBY_AUTH_MD5;
	return 0;
}

/*
 * IOS's default, kept so that twinsec joins an IOS group as configured
 * there, but anyone on the segment knows it: say so (log at start and
 * --check), pointing at the text when it is written out.
 */
static void
warn_default_auth(struct conf_ctx *x, const config_setting_t *g,
		  const struct conf_iface *ifc, const struct conf_standby *sb)
{
	const config_setting_t *a = config_setting_get_member(g, "authentication");
	const config_setting_t *text = NULL;

	if (sb->auth != CONF_STANDBY_AUTH_TEXT ||
	    strcmp(sb->auth_text, "cisco") != 0)
		return;
	if (a != NULL)
		text = config_setting_get_member(a, "text");
	conf_warn(x, text != NULL ? text : g,
		  "standby group %u in interface '%s' uses the default authentication text \"cisco\", which anyone can send: set authentication { md5_key = \"...\"; } (or a text of your own) on both twins",
		  sb->group, ifc->name);
}

static int
parse_mac(struct conf_ctx *x, const config_setting_t *g, const char *where,
	  struct conf_standby *sb)
{
	const config_setting_t *m = config_setting_get_member(g, "mac");
	static const uint8_t zero[6];
	const char *s;

	if (m == NULL)
		return 0;
	s = config_setting_get_string(m);
	if (mac_parse(s, sb->mac) != 0)
		return conf_err(x, m,
				"bad mac '%s' %s (expected HHHH.HHHH.HHHH or HH:HH:HH:HH:HH:HH)",
				s, where);
	if ((sb->mac[0] & 1) != 0 || memcmp(sb->mac, zero, 6) == 0)
		return conf_err(x, m, "mac '%s' %s is not a unicast address",
				s, where);
	sb->mac_set = true;
	return 0;
}

static int
parse_garp(struct conf_ctx *x, const config_setting_t *g, const char *where,
	   struct conf_standby *sb)
{
	const config_setting_t *a = config_setting_get_member(g, "garp");
	char w[CONF_WHERE_MAX];
	int64_t count = GARP_COUNT_DEFAULT, ival = GARP_INTERVAL_DEFAULT;
	int rc;

	if (a != NULL) {
		conf_where(w, "%s garp", where);
		rc = conf_check_keys(x, a, garp_keys, w);
		if (rc == 0)
			rc = conf_get_int(x, a, "count", w, 0, GARP_COUNT_MAX,
					  &count);
		if (rc == 0)
			rc = conf_get_int(x, a, "interval_ms", w,
					  GARP_INTERVAL_MIN, GARP_INTERVAL_MAX,
					  &ival);
		if (rc != 0)
			return rc;
	}
	sb->garp_count = (uint32_t)count;
	sb->garp_interval_ms = (uint32_t)ival;
	return 0;
}

static int
parse_group(struct conf_ctx *x, const config_setting_t *g, int idx,
	    struct conf_iface *ifc)
{
	struct conf_standby *sb = &ifc->standby[ifc->n_standby++];
	const config_setting_t *m;
	char where[CONF_WHERE_MAX];
	int64_t group = 0, version = 1, prio = PRIORITY_DEFAULT;
	unsigned int i;
	int rc;

	conf_where(where, "in interface '%s' standby #%d", ifc->name, idx + 1);
	sb->line = config_setting_source_line(g);
	rc = conf_check_keys(x, g, standby_keys, where);
	if (rc == 0)
		rc = conf_get_int(x, g, "version", where, 1, 2, &version);
	if (rc == 0)
		rc = conf_get_int(x, g, "group", where, 0,
				  version == 1 ? 255 : 4095, &group);
	if (rc != 0)
		return rc;
	sb->version = (uint8_t)version;
	sb->group = (uint16_t)group;
	conf_where(where, "in interface '%s' standby group %u", ifc->name,
		   sb->group);
	for (i = 0; i + 1 < ifc->n_standby; i++)
		if (ifc->standby[i].group == sb->group) {
			m = config_setting_get_member(g, "group");
			return conf_err(x, m,
					"duplicate standby group %u in interface '%s' (first defined at line %d)",
					sb->group, ifc->name,
					ifc->standby[i].line);
		}
	sb->hello_ms = HELLO_MS_DEFAULT;
	sb->hold_ms = HOLD_MS_DEFAULT;
	sb->auth = CONF_STANDBY_AUTH_TEXT;
	conf_strlcpy(sb->auth_text, "cisco", sizeof(sb->auth_text));
	rc = parse_addr(x, g, where, ifc, sb);
	if (rc == 0)
		rc = parse_name(x, g, where, sb);
	if (rc == 0)
		rc = conf_get_int(x, g, "priority", where, 0, 255, &prio);
	sb->priority = (uint8_t)prio;
	conf_get_bool(g, "preempt", &sb->preempt);
	if (rc == 0)
		rc = parse_delay(x, g, where, sb);
	if (rc == 0)
		rc = parse_timers(x, g, where, sb);
	if (rc == 0)
		rc = parse_track(x, g, where, sb);
	if (rc == 0)
		rc = parse_auth(x, g, where, sb);
	if (rc == 0)
		warn_default_auth(x, g, ifc, sb);
	if (rc == 0)
		rc = parse_mac(x, g, where, sb);
	if (rc == 0)
		rc = parse_garp(x, g, where, sb);
	return rc;
}

int
conf_parse_standby(struct conf_ctx *x, const config_setting_t *l,
		   struct conf_iface *ifc)
{
	int i, n, rc;

	rc = conf_check_list_of_groups(x, l, "standby");
	if (rc != 0)
		return rc;
	n = config_setting_length(l);
	if (n > CONF_STANDBY_MAX_PER_IFACE)
		return conf_err(x, l,
				"%d standby groups in interface '%s', at most %d",
				n, ifc->name, CONF_STANDBY_MAX_PER_IFACE);
	if (n == 0)
		return 0;
	ifc->standby = calloc(n, sizeof(ifc->standby[0]));
	if (ifc->standby == NULL)
		return conf_nomem(x);
	for (i = 0; i < n; i++) {
		rc = parse_group(x, config_setting_get_elem(l, i), i, ifc);
		if (rc != 0)
			return rc;
	}
	return 0;
}

/* After every interface is parsed: tracked interfaces must exist. */
int
conf_resolve_standby(struct conf_ctx *x, const config_setting_t *ifaces)
{
	const config_setting_t *l, *t;
	const struct conf_iface *ifc;
	const struct conf_standby *sb;
	unsigned int i, j, k;

	for (i = 0; i < x->conf->n_ifaces; i++) {
		ifc = &x->conf->ifaces[i];
		l = config_setting_get_member(config_setting_get_elem(ifaces, i),
					      "standby");
		for (j = 0; j < ifc->n_standby; j++) {
			sb = &ifc->standby[j];
			for (k = 0; k < sb->n_track; k++) {
				if (conf_iface_find(x->conf,
						    sb->track[k].iface) != NULL)
					continue;
				t = config_setting_get_member(config_setting_get_elem(
					config_setting_get_member(
						config_setting_get_elem(l, j),
						"track"), k), "interface");
				return conf_err(x, t,
						"tracked interface '%s' undefined in interface '%s' standby group %u",
						sb->track[k].iface, ifc->name,
						sb->group);
			}
		}
	}
	return 0;
}

const struct conf_standby *
conf_standby_find(const struct conf *c, const char *name,
		  const struct conf_iface **ifc)
{
	unsigned int i, j;

	if (name == NULL || name[0] == '\0')
		return NULL;
	for (i = 0; i < c->n_ifaces; i++)
		for (j = 0; j < c->ifaces[i].n_standby; j++)
			if (strcmp(c->ifaces[i].standby[j].name, name) == 0) {
				if (ifc != NULL)
					*ifc = &c->ifaces[i];
				return &c->ifaces[i].standby[j];
			}
	return NULL;
}

uint32_t
conf_iface_endpoint(const struct conf *c, unsigned int port)
{
	const struct conf_iface *ifc, *rifc = NULL;
	const struct conf_standby *sb;
	unsigned int i;

	if (port >= c->n_ifaces || c->ifaces[port].n_standby == 0)
		return 0;
	ifc = &c->ifaces[port];
	if (c->redundancy.enabled) {
		sb = conf_standby_find(c, c->redundancy.scheme, &rifc);
		if (sb != NULL && rifc == ifc && sb->af != TW_AF_INET6)
			return sb->vip;
	}
	/* The first IPv4 group's: an IPv6 peer's is conf_iface_endpoint6(). */
	for (i = 0; i < ifc->n_standby; i++)
		if (ifc->standby[i].af != TW_AF_INET6)
			return ifc->standby[i].vip;
	return 0;
}

bool
conf_iface_endpoint6(const struct conf *c, unsigned int port,
		     struct tw_addr *out)
{
	const struct conf_iface *ifc, *rifc = NULL;
	const struct conf_standby *sb;
	unsigned int i;

	if (port >= c->n_ifaces || c->ifaces[port].n_standby == 0)
		return false;
	ifc = &c->ifaces[port];
	if (c->redundancy.enabled) {
		sb = conf_standby_find(c, c->redundancy.scheme, &rifc);
		if (sb != NULL && rifc == ifc && sb->af == TW_AF_INET6 &&
		    sb->n_gvip6 > 0) {
			*out = sb->gvip6[0].addr;
			return true;
		}
	}
	/* The link-local VIP is no tunnel endpoint: a global one only. */
	for (i = 0; i < ifc->n_standby; i++)
		if (ifc->standby[i].af == TW_AF_INET6 &&
		    ifc->standby[i].n_gvip6 > 0) {
			*out = ifc->standby[i].gvip6[0].addr;
			return true;
		}
	return false;
}
