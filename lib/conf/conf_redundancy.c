/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * redundancy = {
 *	scheme = "NAME";
 *	keepalive = { interval_ms = 4000; threshold = 7; };
 *	security = { key = "..."; insecure = false; };
 *	follow = true;
 * }
 *
 * IOS "redundancy inter-device / scheme standby NAME": the standby group
 * whose state the redundancy (stateful switchover) layer follows. The
 * name must be the name of a configured standby group. The keep-alives of
 * the sync channel follow IOS's keep_alive TMR (4000 ms) and threshold
 * (7). security protects the sync channel (it carries SA keys): a key to
 * derive the AEAD keys from, or an explicit insecure = true.
 *
 * follow (default true, IOS "standby follow" on every other group): the
 * standby groups other than the scheme group follow the twin's role, so
 * a twin that is not ACTIVE holds no VIP and the ACTIVE one holds them
 * all. false leaves each group to its own election (IOS without follow:
 * tracking alone must keep the groups together).
 */
#include <string.h>

#include "conf_priv.h"

static const struct conf_key redundancy_keys[] = {
	{ "scheme", CONF_T_STRING, true },
	{ "keepalive", CONF_T_GROUP, false },
	{ "security", CONF_T_GROUP, false },
	{ "follow", CONF_T_BOOL, false },
	{ NULL, 0, false },
};

static const struct conf_key keepalive_keys[] = {
	{ "interval_ms", CONF_T_INT, false },
	{ "threshold", CONF_T_INT, false },
	{ NULL, 0, false },
};

static const struct conf_key security_keys[] = {
	{ "key", CONF_T_STRING, false },
	{ "insecure", CONF_T_BOOL, false },
	{ NULL, 0, false },
};

#define KEEPALIVE_DEFAULT_MS 4000       /* IOS keep_alive TMR */
#define KEEPALIVE_MIN_MS 100
#define KEEPALIVE_MAX_MS 60000
#define THRESHOLD_DEFAULT 7             /* IOS keep_alive threshold */
#define THRESHOLD_MIN 2
#define THRESHOLD_MAX 100

static int
parse_keepalive(struct conf_ctx *x, const config_setting_t *s,
		struct conf_redundancy *r)
{
	const char *where = "in redundancy keepalive";
	int64_t v;
	int rc;

	if (s == NULL)
		return 0;
	rc = conf_check_keys(x, s, keepalive_keys, where);
	if (rc != 0)
		return rc;
	v = r->keepalive_ms;
	rc = conf_get_int(x, s, "interval_ms", where, KEEPALIVE_MIN_MS,
			  KEEPALIVE_MAX_MS, &v);
	if (rc != 0)
		return rc;
	r->keepalive_ms = (uint32_t)v;
	v = r->keepalive_threshold;
	rc = conf_get_int(x, s, "threshold", where, THRESHOLD_MIN,
			  THRESHOLD_MAX, &v);
	if (rc != 0)
		return rc;
	r->keepalive_threshold = (uint32_t)v;
	return 0;
}

static bool
key_chars_ok(const char *k)
{
	for (; *k != '\0'; k++)
		if (*k < 0x21 || *k > 0x7e)
			return false;
	return true;
}

static int
parse_security(struct conf_ctx *x, const config_setting_t *s,
	       struct conf_redundancy *r)
{
	const char *where = "in redundancy security";
	const config_setting_t *km;
	const char *key;
	size_t n;
	int rc;

	if (s == NULL)
		return 0;
	rc = conf_check_keys(x, s, security_keys, where);
	if (rc != 0)
		return rc;
	r->security_set = true;
	conf_get_bool(s, "insecure", &r->insecure);
	km = config_setting_get_member(s, "key");
	if (r->insecure && km != NULL)
		return conf_err(x, km,
				"both key and insecure = true %s: give one",
				where);
	if (r->insecure)
		return 0;
	if (km == NULL)
		return conf_err(x, s,
				"missing 'key' %s (the sync channel carries SA keys: give a key of %d to %d characters, e.g. from openssl rand -base64 32, or insecure = true to run it in clear)",
				where, CONF_SYNC_KEY_MIN, CONF_SYNC_KEY_MAX);
	conf_secret(x, km, "sync key");
	key = config_setting_get_string(km);
	n = strlen(key);
	if (n < CONF_SYNC_KEY_MIN || n > CONF_SYNC_KEY_MAX)
		return conf_err(x, km,
				"key of %zu characters %s: give %d to %d (e.g. openssl rand -base64 32)",
				n, where, CONF_SYNC_KEY_MIN, CONF_SYNC_KEY_MAX);
	if (!key_chars_ok(key))
		return conf_err(x, km,
				"key %s has a space or control character: use printable ASCII",
				where);
	conf_strlcpy(r->key, key, sizeof(r->key));
	return 0;
}

int
conf_parse_redundancy(struct conf_ctx *x, const config_setting_t *s)
{
	struct conf_redundancy *r = &x->conf->redundancy;
	int rc;

	r->keepalive_ms = KEEPALIVE_DEFAULT_MS;
	r->keepalive_threshold = THRESHOLD_DEFAULT;
	if (s == NULL)
		return 0;
	r->enabled = true;
	r->follow = true;
	r->line = config_setting_source_line(s);
	rc = conf_check_keys(x, s, redundancy_keys, "in redundancy");
	if (rc == 0)
		conf_get_bool(s, "follow", &r->follow);
	if (rc == 0)
		rc = conf_get_name(x, s, "scheme", "in redundancy", r->scheme);
	if (rc == 0)
		rc = parse_keepalive(x, config_setting_get_member(s,
								   "keepalive"),
				     r);
	if (rc == 0)
		rc = parse_security(x, config_setting_get_member(s, "security"),
				    r);
	return rc;
}

/*
 * After interfaces: the scheme names a standby group. After ipc: a sync
 * channel to the twin (the ipc section) carries SA keys, so it runs only
 * with an explicit choice of protection.
 */
int
conf_resolve_redundancy(struct conf_ctx *x, const config_setting_t *s)
{
	const struct conf_redundancy *r = &x->conf->redundancy;

	if (s == NULL || !r->enabled)
		return 0;
	if (conf_standby_find(x->conf, r->scheme, NULL) == NULL)
		return conf_err(x, config_setting_get_member(s, "scheme"),
				"redundancy scheme '%s' names no standby group (give a group name = \"%s\" in an interface's standby list)",
				r->scheme, r->scheme);
	if (x->conf->ipc.enabled && !r->security_set)
		return conf_err(x, s,
				"missing 'security' in redundancy: the ipc sync channel to the twin carries SA keys (give security = { key = \"...\"; }, or security = { insecure = true; } to run it in clear)");
	return 0;
}
