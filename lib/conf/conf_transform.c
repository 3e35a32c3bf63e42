/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * transform_sets = ( { name; esp; integrity; }, ... )
 *
 * IOS "crypto ipsec transform-set NAME esp-gcm 128" or
 * "... esp-aes 256 esp-sha256-hmac": the ESP algorithms an SA uses.
 */
#include <stdlib.h>
#include <string.h>

#include "conf_priv.h"

static const struct conf_key ts_keys[] = {
	{ "name", CONF_T_STRING, true },
	{ "esp", CONF_T_STRING, true },
	{ "integrity", CONF_T_STRING, false },
	{ NULL, 0, false },
};

static int
parse_algs(struct conf_ctx *x, const config_setting_t *g, const char *where,
	   struct conf_transform_set *ts)
{
	const config_setting_t *m = config_setting_get_member(g, "integrity");
	int cipher = 0, integ = 0;
	int rc;

	rc = conf_get_enum(x, g, "esp", where, conf_cipher_names,
			   CONF_N_CIPHERS, &cipher);
	if (rc != 0)
		return rc;
	ts->cipher = cipher;
	if (conf_cipher_is_aead(ts->cipher)) {
		/* RFC 4106 3: GCM is combined mode, it has its own ICV. */
		if (m != NULL)
			return conf_err(x, m,
					"integrity '%s' %s not allowed: %s authenticates by itself (RFC 4106)",
					config_setting_get_string(m), where,
					conf_cipher_name(ts->cipher));
		ts->integ = CONF_INTEG_NONE;
		return 0;
	}
	/* RFC 8221 5: ESP encryption without authentication MUST NOT. */
	if (m == NULL)
		return conf_err(x, g,
				"missing 'integrity' %s (%s needs sha1-96 or sha256-128)",
				where, conf_cipher_name(ts->cipher));
	/* "none" (index 0) is internal, never written in a file. */
	rc = conf_get_enum(x, g, "integrity", where, conf_integ_names + 1,
			   CONF_N_INTEGS - 1, &integ);
	if (rc != 0)
		return rc;
	ts->integ = integ + 1;
	return 0;
}

static int
parse_ts(struct conf_ctx *x, const config_setting_t *g, int idx)
{
	struct conf *c = x->conf;
	struct conf_transform_set *ts = &c->transform_sets[c->n_transform_sets++];
	const char *name = conf_get_str(g, "name");
	char where[CONF_WHERE_MAX];
	unsigned int i;
	int rc;

	if (name != NULL)
		conf_where(where, "in transform set '%s'", name);
	else
		conf_where(where, "in transform set #%d", idx + 1);
	ts->line = config_setting_source_line(g);
	rc = conf_check_keys(x, g, ts_keys, where);
	if (rc == 0)
		rc = conf_get_name(x, g, "name", where, ts->name);
	if (rc != 0)
		return rc;
	for (i = 0; i + 1 < c->n_transform_sets; i++)
		if (strcmp(c->transform_sets[i].name, ts->name) == 0)
			return conf_err(x, config_setting_get_member(g, "name"),
					"duplicate transform set '%s' (first defined at line %d)",
					ts->name, c->transform_sets[i].line);
	return parse_algs(x, g, where, ts);
}

int
conf_parse_transform_sets(struct conf_ctx *x, const config_setting_t *s)
{
	struct conf *c = x->conf;
	int i, n, rc;

	if (s == NULL)
		return 0;
	rc = conf_check_list_of_groups(x, s, "transform_sets");
	if (rc != 0)
		return rc;
	n = config_setting_length(s);
	if (n == 0)
		return 0;
	c->transform_sets = calloc(n, sizeof(c->transform_sets[0]));
	if (c->transform_sets == NULL)
		return conf_nomem(x);
	for (i = 0; i < n; i++) {
		rc = parse_ts(x, config_setting_get_elem(s, i), i);
		if (rc != 0)
			return rc;
	}
	return 0;
}
