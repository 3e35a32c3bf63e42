/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Secrets in the config files: which files hold them (their mode is
 * checked), and wiping libconfig's copies before it frees them.
 *
 * A file holding a pre-shared key, a sync key, session keys, an HSRP key or
 * console secrets that group or others can read gets a warning, not a
 * refusal: like an IOS appliance, twinsecd ships example configs that are
 * installed as they come (0644 from a package or a copy), and refusing to
 * start over a mode would turn a finding into an outage. The warning names
 * the file and the fix.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "conf_priv.h"

static bool
same_file(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

void
conf_secret(struct conf_ctx *x, const config_setting_t *s, const char *what)
{
	const char *file = config_setting_source_file(s);
	unsigned int i;

	for (i = 0; i < x->n_secret_files; i++)
		if (same_file(x->secrets[i].file, file))
			return;
	if (x->n_secret_files == CONF_SECRET_FILES_MAX)
		return;
	x->secrets[i].file = file;
	x->secrets[i].what = what;
	x->secrets[i].line = config_setting_source_line(s);
	x->n_secret_files++;
}

void
conf_check_secret_files(struct conf_ctx *x)
{
	/* Named twice in a warning: a third of it each. */
	char fname[CONF_ERR_MAX / 3];
	struct conf *c = x->conf;
	struct stat st;
	unsigned int i;

	/* A string (conf_load_string()) has no file and no mode. */
	if (x->dir == NULL)
		return;
	for (i = 0; i < x->n_secret_files; i++) {
		conf_file_name(x->dir, x->name, x->secrets[i].file, fname,
			       sizeof(fname));
		if (stat(fname, &st) != 0 ||
		    (st.st_mode & (S_IRGRP | S_IROTH)) == 0)
			continue;
		if (c->n_warnings++ >= CONF_WARN_MAX)
			continue;
		snprintf(c->warnings[c->n_warnings - 1],
			 sizeof(c->warnings[0]),
			 "%s:%u: %s in a file group or others can read (mode %04o): chmod 600 %s",
			 fname, x->secrets[i].line, x->secrets[i].what,
			 (unsigned int)(st.st_mode & 07777), fname);
	}
}

void
conf_wipe_strings(const config_setting_t *s)
{
	const char *v;
	int i, n;

	if (s == NULL)
		return;
	switch (config_setting_type(s)) {
	case CONFIG_TYPE_STRING:
		/*
		 * libconfig's own heap copy, freed by config_destroy() as is:
		 * writing it is safe, the const is its API's promise only.
		 */
		v = config_setting_get_string(s);
		if (v != NULL)
			explicit_bzero((char *)(uintptr_t)v, strlen(v));
		break;
	case CONFIG_TYPE_GROUP:
	case CONFIG_TYPE_LIST:
	case CONFIG_TYPE_ARRAY:
		n = config_setting_length(s);
		for (i = 0; i < n; i++)
			conf_wipe_strings(config_setting_get_elem(s, i));
		break;
	default:
		break;
	}
}
