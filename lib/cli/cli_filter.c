/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Output modifiers, IOS style: "| include RE", "| exclude RE", "| begin RE",
 * "| section RE" (a matching line with the indented lines under it, as
 * in a running-config), "| count [RE]". The pattern is the rest of the line (spaces included)
 * and a POSIX extended regular expression, which for plain words is the
 * substring match operators are used to. Replaces libcli's built-in
 * filters, whose include/exclude only recognise their full names.
 *
 * IOS has one output modifier per line and its pattern is the rest of the
 * line, '|' included: "show crypto ipsec sa | include spi|Status". libcli
 * splits a line into stages at every unquoted '|' (cli_parse_line(), then
 * a new stage per "|" word), so such a line reaches us as more stages:
 * when the words after the second '|' name a filter ("up|in" is include),
 * the first filter takes the rest of the line as typed and the others
 * pass everything (filt_init()); when they do not, libcli refuses the
 * line and cli_filter_retry() runs it again with the pattern quoted.
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
	FILT_PASS,          /* a later stage of one modifier's pattern */
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
	case FILT_PASS:
		return CLI_OK;
	}
	return CLI_OK;
}

bool
cli_filter_rest(const char *cmdline, size_t *mod_end, char *pat, size_t len)
{
	const char *p = cmdline, *r;
	char q = 0;
	size_t n, o = 0;

	for (; *p != '\0'; p++) {
		if (*p == '\\' && p[1] != '\0')
			p++;
		else if (q != 0 && *p == q)
			q = 0;
		else if (q == 0 && (*p == '"' || *p == '\''))
			q = *p;
		else if (q == 0 && *p == '|')
			break;
	}
	if (*p != '|')
		return false;
	for (p++; *p == ' ' || *p == '\t'; p++)
		;
	while (*p != '\0' && *p != ' ' && *p != '\t' && *p != '|')
		p++;
	*mod_end = (size_t)(p - cmdline);
	for (; *p == ' ' || *p == '\t'; p++)
		;
	n = strlen(p);
	while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	/* One quoted pattern: its quotes are no part of it. */
	if (n >= 2 && (p[0] == '"' || p[0] == '\'') && p[n - 1] == p[0] &&
	    memchr(p + 1, p[0], n - 2) == NULL) {
		p++;
		n -= 2;
	}
	/* libcli's escapes: a backslash keeps the next character. */
	for (r = p; r < p + n && o + 1 < len; r++) {
		if (*r == '\\' && r + 1 < p + n)
			r++;
		pat[o++] = *r;
	}
	if (len > 0)
		pat[o] = '\0';
	return true;
}

bool
cli_filter_retry(struct cli_sess *s)
{
	struct cli_def *cli = s->cli;
	struct cli_pipeline *pl = cli->pipeline;
	char pat[CLI_MAX_LINE_LENGTH], line[CLI_MAX_LINE_LENGTH * 2];
	const char *q;
	size_t mod_end;
	int n;

	if (s->retrying || pl == NULL || pl->num_stages < 3 ||
	    pl->current_stage == NULL || pl->current_stage - pl->stage < 2 ||
	    pl->stage[1].command == NULL ||
	    pl->stage[1].command->command_type != CLI_FILTER_COMMAND ||
	    !cli_filter_rest(pl->cmdline, &mod_end, pat, sizeof(pat)))
		return false;
	/*
	 * Not libcli's own session commands: their run in the retry would
	 * end the session (CLI_QUIT) with nobody to see it, leaving it open
	 * at privilege 0 (found by tests/fuzz/fuzz_cli.c).
	 */
	if (pl->stage[0].command != NULL &&
	    (strcmp(pl->stage[0].command->command, "logout") == 0 ||
	     strcmp(pl->stage[0].command->command, "quit") == 0 ||
	     strcmp(pl->stage[0].command->command, "exit") == 0))
		return false;
	q = strchr(pat, '"') == NULL ? "\"" : "'";
	if (strchr(pat, q[0]) != NULL || strchr(pat, '\\') != NULL)
		return false;
	n = snprintf(line, sizeof(line), "%.*s %s%s%s", (int)mod_end,
		     pl->cmdline, q, pat, q);
	if (n < 0 || (size_t)n >= sizeof(line))
		return false;
	s->retrying = true;
	/*
	 * Whatever ends the session in the retry ("do logout ARGS" in a
	 * configuration mode, libcli's logout under an abbreviation) must
	 * end it for the line: libcli drops this CLI_QUIT (the line it runs
	 * failed), so the console hangs up and cli_sess_run() returns
	 * CLI_QUIT (found by tests/fuzz/fuzz_cli.c: the session stayed open
	 * at privilege 0).
	 */
	if (cli_run_command(cli, line) == CLI_QUIT) {
		s->quit = true;
		if (s->ops->hang_up != NULL)
			s->ops->hang_up(s->app);
	}
	s->retrying = false;
	return true;
}

/*
 * Would regcomp() build a huge automaton from this pattern? glibc expands
 * "x+" to "xx*" and "x{m,n}" to n copies of x, the copies of a repeated
 * group or repetition included, so stacked or nested repetitions grow
 * exponentially: a console line "| include a++++...+" (a hundred '+')
 * took over 2 GB of the daemon's memory (found by tests/fuzz/fuzz_cli.c).
 * The product of the factors of every repetition (2 for '+', n + 1 for
 * "{m,n}", 1 for '*' and '?'; bracket expressions and escapes skipped)
 * bounds the copies: above RE_COST_MAX the pattern is refused. IOS
 * patterns ("spi:|Status", "^interface") stay far below it. The memory
 * grows with the square of the copies (the epsilon closures merged in
 * re_node_set_merge()): "a*" followed by 8, 10, 12 '+' took 5.6, 63 and
 * 903 MB (getrusage), so 4096 copies let a 2 GB pattern through (found
 * by tests/fuzz/fuzz_cli.c); 256 copies cost under 8 MB and still allow
 * "{0,255}".
 */
#define RE_COST_MAX 256u

static bool
re_too_costly(const char *p)
{
	unsigned long cost = 1, n, m;
	char *end;

	while (*p != '\0') {
		switch (*p) {
		case '\\':
			p += p[1] != '\0' ? 2 : 1;
			continue;
		case '[':
			/* to the closing ']' (first one literal), classes */
			p++;
			if (*p == '^')
				p++;
			if (*p == ']')
				p++;
			while (*p != '\0' && *p != ']') {
				if (p[0] == '[' && (p[1] == ':' || p[1] == '.' ||
						    p[1] == '=')) {
					const char *c = strchr(p + 2, p[1]);

					p = c != NULL && c[1] == ']' ? c + 2 :
						p + 1;
					continue;
				}
				p++;
			}
			if (*p == ']')
				p++;
			continue;
		case '+':
			cost *= 2;
			break;
		case '{':
			n = strtoul(p + 1, &end, 10);
			if (*end == ',')
				m = end[1] == '}' ? n : strtoul(end + 1, &end,
								10);
			else
				m = n;
			if (m > RE_COST_MAX || n > RE_COST_MAX)
				return true;
			cost *= (m > n ? m : n) + 1;
			break;
		default:
			break;
		}
		if (cost > RE_COST_MAX)
			return true;
		p++;
	}
	return false;
}

static int
filt_init(struct cli_def *cli, int argc, char **argv, struct cli_filter *cf)
{
	struct cli_sess *s = cli_get_context(cli);
	char pat[CLI_MAX_LINE_LENGTH] = "";
	struct cli_pipeline *pl;
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
	/* More stages: the first modifier's pattern is the rest of the line. */
	pl = cli->pipeline;
	if (pl != NULL && pl->num_stages > 2 && pl->current_stage != NULL) {
		if (pl->current_stage - pl->stage > 1) {
			f->kind = FILT_PASS;
			cf->filter = filt_fn;
			cf->data = f;
			return CLI_OK;
		}
		if (cli_filter_rest(pl->cmdline, &off, pat, sizeof(pat)))
			argc = 2;
	}
	if (argc < 2 && f->kind != FILT_COUNT) {
		cli_syntax_report(s, CLI_SYNTAX_INCOMPLETE, "", 0);
		free(f);
		return CLI_ERROR;
	}
	if (argc >= 2) {
		if (re_too_costly(pat)) {
			snprintf(pat, sizeof(pat), "%% Regular expression too complex \"%s\"",
				 argv[1]);
			s->ops->write(s->app, pat, strlen(pat));
			s->ops->write(s->app, "\r\n", 2);
			free(f);
			return CLI_ERROR;
		}
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
