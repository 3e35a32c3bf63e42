/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * redundancy = { scheme = "NAME"; }
 *
 * IOS "redundancy inter-device / scheme standby NAME": the standby group
 * whose state the redundancy (stateful switchover) layer follows. The
 * name must be the name of a configured standby group.
 */
#include "conf_priv.h"

static const struct conf_key redundancy_keys[] = {
	{ "scheme", CONF_T_STRING, true },
	{ NULL, 0, false },
};

int
conf_parse_redundancy(struct conf_ctx *x, const config_setting_t *s)
{
	struct conf_redundancy *r = &x->conf->redundancy;
	int rc;

	if (s == NULL)
		return 0;
	r->enabled = true;
	r->line = config_setting_source_line(s);
	rc = conf_check_keys(x, s, redundancy_keys, "in redundancy");
	if (rc == 0)
		rc = conf_get_name(x, s, "scheme", "in redundancy", r->scheme);
	return rc;
}

/* After interfaces: the scheme names a standby group. */
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
	return 0;
}
