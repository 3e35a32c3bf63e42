/* SPDX-License-Identifier: BSD-3-Clause */
/* hostname: the appliance's name, shown in the console prompt and logs. */
#include <string.h>

#include "conf_priv.h"

/*
 * RFC 1123 2.1 label: letters, digits and hyphens, starting and ending
 * with a letter or digit, at most 63 characters (IOS applies the same).
 */
static bool
hostname_ok(const char *s)
{
	size_t n = strlen(s), i;

	if (n == 0 || n > 63)
		return false;
	for (i = 0; i < n; i++) {
		char c = s[i];
		bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			     (c >= '0' && c <= '9');

		if (!alnum && (c != '-' || i == 0 || i == n - 1))
			return false;
	}
	return true;
}

int
conf_parse_hostname(struct conf_ctx *x, const config_setting_t *s)
{
	const char *name = config_setting_get_string(s);

	if (!hostname_ok(name))
		return conf_err(x, s,
				"bad hostname '%s' (1 to 63 letters, digits or '-', not starting or ending with '-')",
				name);
	conf_strlcpy(x->conf->hostname, name, sizeof(x->conf->hostname));
	return 0;
}
