/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Output modifiers, IOS style: "| include RE", "| exclude RE", "| begin RE",
 * "| section RE" (a matching line with the indented lines under it, as
 * in a running-config), "| count [RE]". The pattern is the rest of the line (spaces included)
 * and a POSIX extended regular expression, which for plain words is the
 * substring match operators are used to. Replaces libcli's built-in
 * filters, whose include/exclude only recognise their full names.
 */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "tw_compiler.h"

enum filt_kind {
	FILT_INCLUDE,
	FILT_EXCLUDE,
	FILT_BEGIN,
	FILT_COUNT,
	FILT_SECTION,
};

struct filt {
	enum filt_kind kind;
	regex_t re;
	bool has_re;
	bool begun;
	bool in_section;
	unsigned long count;
	struct cli_sess *s;
};

static int
filt_fn(struct cli_def *cli TW_UNUSED, const char *line, void *data)
{
	struct filt *f = data;
	bool m;
	char buf[80];

	if (line == NULL) {
		/* End of output: count prints its total, all free. */
		if (f->kind == FILT_COUNT) {
			snprintf(buf, sizeof(buf), "Number of lines which match regexp = %lu",
				 f->count);
			f->s->ops->write(f->s->app, buf, strlen(buf));
			f->s->ops->write(f->s->app, "\r\n", 2);
		}
		if (f->has_re)
			regfree(&f->re);
		free(f);
		return CLI_OK;
	}
	m = !f->has_re || regexec(&f->re, line, 0, NULL, 0) == 0;
	switch (f->kind) {
	case FILT_INCLUDE:
		return m ? CLI_OK : CLI_ERROR;
	case FILT_EXCLUDE:
		return m ? CLI_ERROR : CLI_OK;
	case FILT_BEGIN:
		f->begun = f->begun || m;
		return f->begun ? CLI_OK : CLI_ERROR;
	case FILT_COUNT:
		f->count += m;
		return CLI_ERROR;
	case FILT_SECTION:
		/* a top-level line opens or closes the section; the
		 * indented lines under an open one belong to it */
		if (line[0] != ' ')
			f->in_section = m;
		return f->in_section || m ? CLI_OK : CLI_ERROR;
	}
	return CLI_OK;
}

static int
filt_init(struct cli_def *cli, int argc, char **argv, struct cli_filter *cf)
{
	struct cli_sess *s = cli_get_context(cli);
	char pat[CLI_MAX_LINE_LENGTH] = "";
	size_t off = 0;
	struct filt *f;
	int i;

	f = calloc(1, sizeof(*f));
	if (f == NULL)
		return CLI_ERROR;
	f->s = s;
	switch (argv[0][0]) {
	case 'i':
	case 'I':
		f->kind = FILT_INCLUDE;
		break;
	case 'e':
	case 'E':
		f->kind = FILT_EXCLUDE;
		break;
	case 'b':
	case 'B':
		f->kind = FILT_BEGIN;
		break;
	case 's':
	case 'S':
		f->kind = FILT_SECTION;
		break;
	default:
		f->kind = FILT_COUNT;
		break;
	}
	for (i = 1; i < argc && off < sizeof(pat); i++)
		off += snprintf(pat + off, sizeof(pat) - off, "%s%s",
				i > 1 ? " " : "", argv[i]);
	if (argc < 2 && f->kind != FILT_COUNT) {
		cli_syntax_report(s, CLI_SYNTAX_INCOMPLETE, "", 0);
		free(f);
		return CLI_ERROR;
	}
	if (argc >= 2) {
		if (regcomp(&f->re, pat, REG_EXTENDED | REG_NOSUB) != 0) {
			snprintf(pat, sizeof(pat), "%% Invalid regular expression \"%s\"",
				 argv[1]);
			s->ops->write(s->app, pat, strlen(pat));
			s->ops->write(s->app, "\r\n", 2);
			free(f);
			return CLI_ERROR;
		}
		f->has_re = true;
	}
	cf->filter = filt_fn;
	cf->data = f;
	return CLI_OK;
}

static const struct {
	const char *name;
	const char *help;
} filters[] = {
	{ "begin", "Begin with the line that matches" },
	{ "count", "Count number of lines which match regexp" },
	{ "exclude", "Exclude lines that match" },
	{ "include", "Include lines that match" },
	{ "section", "Filter a section of output" },
};

int
cli_filter_register(struct cli_sess *s)
{
	unsigned int i;

	for (i = 0; i < sizeof(filters) / sizeof(filters[0]); i++)
		if (cli_register_filter(s->cli, filters[i].name, filt_init,
					filt_fn, PRIVILEGE_UNPRIVILEGED,
					MODE_ANY, filters[i].help) == NULL)
			return -1;
	return 0;
}
