/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * conf_load(): libconfig text -> validated struct conf.
 *
 * The top level is one table of sections. A later feature adds its section
 * (ipc, ike, ...) as one entry here plus its parser file;
 * until then its key is unknown and therefore an error. Sections are parsed
 * in table order whatever their order in the file (transform sets before
 * the crypto maps that name them, ...), then each may resolve references
 * into sections parsed after it.
 */
#include <ctype.h>
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf_priv.h"

static const struct conf_section sections[] = {
	{ { "hostname", CONF_T_STRING, true }, conf_parse_hostname, NULL },
	{ { "interfaces", CONF_T_LIST, true },
	  conf_parse_ifaces, conf_resolve_ifaces },
	{ { "routes", CONF_T_LIST, false }, conf_parse_routes, NULL },
	{ { "transform_sets", CONF_T_LIST, false },
	  conf_parse_transform_sets, NULL },
	/* Before the crypto maps: ipsec-isakmp entries check against it. */
	{ { "ike", CONF_T_GROUP, false }, conf_parse_ike, NULL },
	{ { "crypto_maps", CONF_T_LIST, false }, conf_parse_crypto_maps, NULL },
	{ { "dataplane", CONF_T_GROUP, false }, conf_parse_dataplane, NULL },
	{ { "console", CONF_T_GROUP, false }, conf_parse_console, NULL },
	{ { "redundancy", CONF_T_GROUP, false },
	  conf_parse_redundancy, conf_resolve_redundancy },
	{ { "ipc", CONF_T_GROUP, false }, conf_parse_ipc, NULL },
	{ { "logging", CONF_T_GROUP, false }, conf_parse_logging, NULL },
};

#define N_SECTIONS (sizeof(sections) / sizeof(sections[0]))

static const struct conf_section *
section_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < N_SECTIONS; i++)
		if (strcmp(sections[i].key.name, name) == 0)
			return &sections[i];
	return NULL;
}

static int
check_top(struct conf_ctx *x, const config_setting_t *root)
{
	const struct conf_section *sec;
	unsigned int i;
	int n, j, rc;

	n = config_setting_length(root);
	for (j = 0; j < n; j++) {
		config_setting_t *m = config_setting_get_elem(root, j);

		sec = section_find(config_setting_name(m));
		if (sec == NULL)
			return conf_err(x, m, "unknown key '%s' at top level",
					config_setting_name(m));
		rc = conf_check_type(x, m, sec->key.types, "at top level");
		if (rc != 0)
			return rc;
	}
	for (i = 0; i < N_SECTIONS; i++)
		if (sections[i].key.required &&
		    config_setting_get_member(root, sections[i].key.name) == NULL)
			return conf_err(x, root, "missing '%s' at top level",
					sections[i].key.name);
	return 0;
}

static int
load_root(struct conf_ctx *x, const config_setting_t *root)
{
	const config_setting_t *s;
	unsigned int i;
	int rc;

	rc = check_top(x, root);
	if (rc != 0)
		return rc;
	for (i = 0; i < N_SECTIONS; i++) {
		s = config_setting_get_member(root, sections[i].key.name);
		rc = sections[i].parse(x, s);
		if (rc != 0)
			return rc;
	}
	for (i = 0; i < N_SECTIONS; i++) {
		if (sections[i].resolve == NULL)
			continue;
		s = config_setting_get_member(root, sections[i].key.name);
		rc = sections[i].resolve(x, s);
		if (rc != 0)
			return rc;
	}
	return 0;
}

static int
load_config(config_t *cfg, const char *name, struct conf **out, char *err,
	    size_t errlen)
{
	struct conf_ctx x = {
		.name = name,
		.dir = config_get_include_dir(cfg),
		.err = err,
		.errlen = errlen,
	};
	int rc;

	x.conf = calloc(1, sizeof(*x.conf));
	if (x.conf == NULL) {
		snprintf(err, errlen, "%s: out of memory", name);
		return -ENOMEM;
	}
	conf_strlcpy(x.conf->path, name, sizeof(x.conf->path));
	rc = load_root(&x, config_root_setting(cfg));
	if (rc == 0)
		conf_check_secret_files(&x);
	conf_u32set_free(&x.spis[0]);
	conf_u32set_free(&x.spis[1]);
	if (rc != 0) {
		conf_free(x.conf);
		return rc;
	}
	*out = x.conf;
	return 0;
}

/*
 * libconfig says "duplicate setting name" without the name: find it on
 * the line (a key written twice there, else the first key of the line).
 * path: the file as opened; out "" when the line cannot be read.
 */
static void
dup_key_name(const char *path, int line, char *out, size_t len)
{
	char buf[1024], keys[16][CONF_NAME_MAX];
	unsigned int n = 0, i, j, k;
	const char *p;
	FILE *f;
	int l = 0;

	out[0] = '\0';
	f = fopen(path, "r");
	if (f == NULL)
		return;
	while (fgets(buf, sizeof(buf), f) != NULL)
		if (++l == line)
			break;
	fclose(f);
	if (l != line)
		return;
	/* The keys of the line: a name followed by '=' or ':'. */
	for (p = buf; *p != '\0' && *p != '#' && n < 16;) {
		if (*p == '"') {
			p = strchr(p + 1, '"');
			if (p == NULL)
				break;
			p++;
			continue;
		}
		if (!isalpha((unsigned char)*p) && *p != '*') {
			p++;
			continue;
		}
		for (k = 0; (isalnum((unsigned char)p[k]) || p[k] == '_' ||
			     p[k] == '-' || p[k] == '*') && k + 1 < CONF_NAME_MAX;
		     k++)
			keys[n][k] = p[k];
		keys[n][k] = '\0';
		p += k;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '=' || *p == ':')
			n++;
	}
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			if (strcmp(keys[i], keys[j]) == 0) {
				snprintf(out, len, "%s", keys[i]);
				return;
			}
	if (n > 0)
		snprintf(out, len, "%s", keys[0]);
}

static int
syntax_error(const config_t *cfg, const char *name, char *err, size_t errlen)
{
	char file[CONF_ERR_MAX / 2], path[CONF_ERR_MAX / 2];
	char key[CONF_NAME_MAX];
	const char *efile = config_error_file(cfg);
	const char *text = config_error_text(cfg);

	conf_file_name(config_get_include_dir(cfg), name, efile, file,
		       sizeof(file));
	if (text != NULL && strcmp(text, "duplicate setting name") == 0) {
		snprintf(path, sizeof(path), "%s",
			 efile != NULL ? efile : name);
		dup_key_name(path, config_error_line(cfg), key, sizeof(key));
		if (key[0] != '\0') {
			snprintf(err, errlen,
				 "%s:%d: duplicate key '%s': a key may be given once per section",
				 file, config_error_line(cfg), key);
			return -EINVAL;
		}
	}
	snprintf(err, errlen, "%s:%d: %s", file, config_error_line(cfg), text);
	return -EINVAL;
}

int
conf_load(const char *path, struct conf **out, char *err, size_t errlen)
{
	char dir[sizeof(((struct conf *)0)->path)];
	config_t cfg;
	FILE *f;
	int rc;

	/* libconfig only says "file I/O error": find out why ourselves. */
	f = fopen(path, "r");
	if (f == NULL) {
		rc = -errno;
		snprintf(err, errlen, "%s: cannot open: %s", path, strerror(-rc));
		return rc;
	}
	fclose(f);

	config_init(&cfg);
	/* @include "x.conf" is relative to the including file. */
	conf_strlcpy(dir, path, sizeof(dir));
	config_set_include_dir(&cfg, dirname(dir));
	if (config_read_file(&cfg, path) == CONFIG_FALSE)
		rc = syntax_error(&cfg, path, err, errlen);
	else
		rc = load_config(&cfg, path, out, err, errlen);
	conf_wipe_strings(config_root_setting(&cfg));
	config_destroy(&cfg);
	return rc;
}

int
conf_load_string(const char *text, const char *name, struct conf **out,
		 char *err, size_t errlen)
{
	config_t cfg;
	int rc;

	config_init(&cfg);
	if (config_read_string(&cfg, text) == CONFIG_FALSE)
		rc = syntax_error(&cfg, name, err, errlen);
	else
		rc = load_config(&cfg, name, out, err, errlen);
	conf_wipe_strings(config_root_setting(&cfg));
	config_destroy(&cfg);
	return rc;
}

void
conf_free(struct conf *c)
{
	unsigned int i, j;

	if (c == NULL)
		return;
	for (i = 0; i < c->n_crypto_maps; i++) {
		struct conf_crypto_map *m = &c->crypto_maps[i];

		for (j = 0; j < m->n_entries; j++) {
			free(m->entries[j].matches);
			free(m->entries[j].matches6);
		}
		/* Session keys live in the entries: wipe before freeing. */
		if (m->entries != NULL)
			explicit_bzero(m->entries,
				       m->n_entries * sizeof(m->entries[0]));
		free(m->entries);
	}
	free(c->crypto_maps);
	if (c->console.users != NULL)
		explicit_bzero(c->console.users,
			       c->console.n_users * sizeof(c->console.users[0]));
	free(c->console.users);
	explicit_bzero(c->console.enable_secret,
		       sizeof(c->console.enable_secret));
	free(c->transform_sets);
	free(c->routes);
	free(c->routes6);
	for (i = 0; i < c->n_ifaces; i++) {
		/* Authentication keys live in the groups. */
		if (c->ifaces[i].standby != NULL)
			explicit_bzero(c->ifaces[i].standby,
				       c->ifaces[i].n_standby *
				       sizeof(c->ifaces[i].standby[0]));
		free(c->ifaces[i].standby);
	}
	free(c->ifaces);
	conf_ike_free(&c->ike);
	/* The sync channel's key. */
	explicit_bzero(&c->redundancy, sizeof(c->redundancy));
	free(c);
}
