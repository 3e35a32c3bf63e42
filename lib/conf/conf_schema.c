/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The schema walker: every group is checked against a table of allowed keys
 * (unknown keys and wrong types are errors, never ignored), then read with
 * typed getters that check ranges and say where a bad value is.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "conf_priv.h"

void
conf_file_name(const char *dir, const char *main_name, const char *file,
	       char *buf, size_t len)
{
	/*
	 * libconfig names an @included file as the directive wrote it, but
	 * opened it relative to the include directory (the main file's).
	 */
	if (file == NULL)
		file = main_name;
	if (dir == NULL || strcmp(dir, ".") == 0 || file[0] == '/' ||
	    strcmp(file, main_name) == 0)
		snprintf(buf, len, "%s", file);
	else
		snprintf(buf, len, "%s/%s", dir, file);
}

static void __attribute__((format(printf, 5, 0)))
vformat(struct conf_ctx *x, const config_setting_t *at, char *buf,
	size_t len, const char *fmt, va_list ap)
{
	char fname[CONF_ERR_MAX / 2];
	const char *file = NULL;
	unsigned int line = 0;
	size_t off = 0;
	int n;

	if (at != NULL) {
		file = config_setting_source_file(at);
		line = config_setting_source_line(at);
	}
	conf_file_name(x->dir, x->name, file, fname, sizeof(fname));
	/* The root group has no line: "file: message". */
	if (line != 0)
		n = snprintf(buf, len, "%s:%u: ", fname, line);
	else
		n = snprintf(buf, len, "%s: ", fname);
	if (n > 0)
		off = (size_t)n < len ? (size_t)n : len - 1;
	vsnprintf(buf + off, len - off, fmt, ap);
}

int
conf_err(struct conf_ctx *x, const config_setting_t *at, const char *fmt, ...)
{
	va_list ap;

	if (x->err == NULL || x->errlen == 0)
		return -EINVAL;
	va_start(ap, fmt);
	vformat(x, at, x->err, x->errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

void
conf_warn(struct conf_ctx *x, const config_setting_t *at, const char *fmt,
	  ...)
{
	struct conf *c = x->conf;
	va_list ap;

	if (c->n_warnings++ >= CONF_WARN_MAX)
		return;
	va_start(ap, fmt);
	vformat(x, at, c->warnings[c->n_warnings - 1],
		sizeof(c->warnings[0]), fmt, ap);
	va_end(ap);
}

int
conf_nomem(struct conf_ctx *x)
{
	if (x->err != NULL && x->errlen != 0)
		snprintf(x->err, x->errlen, "%s: out of memory", x->name);
	return -ENOMEM;
}

void
conf_strlcpy(char *dst, const char *src, size_t size)
{
	size_t n = strlen(src);

	if (size == 0)
		return;
	if (n >= size)
		n = size - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

void
conf_where(char *buf, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, CONF_WHERE_MAX, fmt, ap);
	va_end(ap);
}

static unsigned int
type_bit(const config_setting_t *s)
{
	switch (config_setting_type(s)) {
	case CONFIG_TYPE_INT:
	case CONFIG_TYPE_INT64:
		return CONF_T_INT;
	case CONFIG_TYPE_BOOL:
		return CONF_T_BOOL;
	case CONFIG_TYPE_STRING:
		return CONF_T_STRING;
	case CONFIG_TYPE_GROUP:
		return CONF_T_GROUP;
	case CONFIG_TYPE_LIST:
		return CONF_T_LIST;
	case CONFIG_TYPE_ARRAY:
		return CONF_T_ARRAY;
	default:
		return 0; /* float: never accepted */
	}
}

static const char *
type_name(const config_setting_t *s)
{
	switch (config_setting_type(s)) {
	case CONFIG_TYPE_INT:
	case CONFIG_TYPE_INT64:
		return "an integer";
	case CONFIG_TYPE_FLOAT:
		return "a float";
	case CONFIG_TYPE_BOOL:
		return "a boolean";
	case CONFIG_TYPE_STRING:
		return "a string";
	case CONFIG_TYPE_GROUP:
		return "a group { }";
	case CONFIG_TYPE_LIST:
		return "a list ( )";
	case CONFIG_TYPE_ARRAY:
		return "an array [ ]";
	default:
		return "something else";
	}
}

static void
types_str(unsigned int types, char *buf, size_t len)
{
	static const struct {
		unsigned int bit;
		const char *name;
	} names[] = {
		{ CONF_T_INT, "an integer" },
		{ CONF_T_BOOL, "a boolean (true or false)" },
		{ CONF_T_STRING, "a string" },
		{ CONF_T_GROUP, "a group { }" },
		{ CONF_T_LIST, "a list ( )" },
		{ CONF_T_ARRAY, "an array [ ]" },
	};
	size_t off = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if ((types & names[i].bit) == 0)
			continue;
		off += snprintf(buf + off, len - off, "%s%s",
				off != 0 ? " or " : "", names[i].name);
		if (off >= len)
			return;
	}
}

const struct conf_key *
conf_key_find(const struct conf_key *keys, const char *name)
{
	for (; keys->name != NULL; keys++)
		if (strcmp(keys->name, name) == 0)
			return keys;
	return NULL;
}

int
conf_check_type(struct conf_ctx *x, const config_setting_t *s,
		unsigned int types, const char *where)
{
	char want[96];

	if ((type_bit(s) & types) != 0)
		return 0;
	types_str(types, want, sizeof(want));
	return conf_err(x, s, "'%s' %s must be %s, not %s",
			config_setting_name(s), where, want, type_name(s));
}

int
conf_check_keys(struct conf_ctx *x, const config_setting_t *group,
		const struct conf_key *keys, const char *where)
{
	const struct conf_key *k;
	int i, n, rc;

	n = config_setting_length(group);
	for (i = 0; i < n; i++) {
		config_setting_t *m = config_setting_get_elem(group, i);
		const char *name = config_setting_name(m);

		k = conf_key_find(keys, name);
		if (k == NULL)
			return conf_err(x, m, "unknown key '%s' %s", name,
					where);
		rc = conf_check_type(x, m, k->types, where);
		if (rc != 0)
			return rc;
	}
	for (k = keys; k->name != NULL; k++)
		if (k->required &&
		    config_setting_get_member(group, k->name) == NULL)
			return conf_err(x, group, "missing '%s' %s", k->name,
					where);
	return 0;
}

int
conf_check_list_of_groups(struct conf_ctx *x, const config_setting_t *list,
			  const char *what)
{
	int i, n;

	n = config_setting_length(list);
	for (i = 0; i < n; i++) {
		config_setting_t *m = config_setting_get_elem(list, i);

		if (config_setting_type(m) != CONFIG_TYPE_GROUP)
			return conf_err(x, m,
					"element %d of '%s' must be a group { }, not %s",
					i + 1, what, type_name(m));
	}
	return 0;
}

const char *
conf_get_str(const config_setting_t *g, const char *key)
{
	const config_setting_t *m = config_setting_get_member(g, key);

	if (m == NULL || config_setting_type(m) != CONFIG_TYPE_STRING)
		return NULL;
	return config_setting_get_string(m);
}

int
conf_get_int(struct conf_ctx *x, const config_setting_t *g, const char *key,
	     const char *where, int64_t lo, int64_t hi, int64_t *out)
{
	const config_setting_t *m = config_setting_get_member(g, key);
	int64_t v;

	if (m == NULL)
		return 0;
	if (config_setting_type(m) == CONFIG_TYPE_INT64) {
		v = config_setting_get_int64(m);
	} else if (config_setting_get_format(m) == CONFIG_FORMAT_HEX) {
		/*
		 * libconfig keeps a hex literal that fits 32 bits in a signed
		 * int: 0xFFFFFFFF is a valid SPI, not -1.
		 */
		v = (uint32_t)config_setting_get_int(m);
	} else {
		v = config_setting_get_int(m);
	}
	if (v < lo || v > hi)
		return conf_err(x, m,
				"%s %" PRId64 " out of range %" PRId64 "..%" PRId64 " %s",
				key, v, lo, hi, where);
	*out = v;
	return 0;
}

void
conf_get_bool(const config_setting_t *g, const char *key, bool *out)
{
	const config_setting_t *m = config_setting_get_member(g, key);

	if (m != NULL)
		*out = config_setting_get_bool(m) != 0;
}

int
conf_get_enum(struct conf_ctx *x, const config_setting_t *g, const char *key,
	      const char *where, const char *const *names, unsigned int n,
	      int *out)
{
	const config_setting_t *m = config_setting_get_member(g, key);
	char want[128];
	size_t off = 0;
	unsigned int i;
	int idx;

	if (m == NULL)
		return 0;
	idx = conf_name_lookup(names, n, config_setting_get_string(m));
	if (idx >= 0) {
		*out = idx;
		return 0;
	}
	want[0] = '\0';
	for (i = 0; i < n && off < sizeof(want); i++) {
		if (names[i] == NULL)
			continue;
		off += snprintf(want + off, sizeof(want) - off, "%s%s",
				off == 0 ? "" : i + 1 == n ? " or " : ", ",
				names[i]);
	}
	return conf_err(x, m, "bad %s '%s' %s (expected %s)", key,
			config_setting_get_string(m), where, want);
}

static bool
name_ok(const char *s)
{
	size_t n = strlen(s), i;

	if (n == 0 || n >= CONF_NAME_MAX)
		return false;
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '_' ||
		      c == '.'))
			return false;
	}
	return true;
}

int
conf_get_name(struct conf_ctx *x, const config_setting_t *g, const char *key,
	      const char *where, char *dst)
{
	const config_setting_t *m = config_setting_get_member(g, key);
	const char *s;

	if (m == NULL)
		return 0;
	s = config_setting_get_string(m);
	if (!name_ok(s))
		return conf_err(x, m,
				"bad %s '%s' %s (1 to %d letters, digits, '-', '_' or '.')",
				key, s, where, CONF_NAME_MAX - 1);
	conf_strlcpy(dst, s, CONF_NAME_MAX);
	return 0;
}

int
conf_get_ipv4(struct conf_ctx *x, const config_setting_t *g, const char *key,
	      const char *where, uint32_t *out)
{
	const config_setting_t *m = config_setting_get_member(g, key);

	if (m == NULL)
		return 0;
	if (conf_ipv4_parse(config_setting_get_string(m), out) != 0)
		return conf_err(x, m, "bad %s address '%s' %s (expected A.B.C.D)",
				key, config_setting_get_string(m), where);
	return 0;
}
