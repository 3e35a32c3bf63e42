/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IOS wording for bad input. libcli says 'Invalid command "show foo"' or
 * "Incomplete command" and treats an ambiguous abbreviation as invalid;
 * operators expect IOS:
 *
 *   gw#show foo
 *           ^
 *   % Invalid input detected at '^' marker.
 *
 *   % Incomplete command.
 *   % Ambiguous command:  "sh c"
 *
 * libcli reports its parse errors through the print callback while its
 * pipeline is being validated; cli_err_print() takes such a message as
 * the signal, walks the line against the same command tree itself (same
 * visibility rules: privilege, mode, unique prefixes) and prints IOS's
 * message instead.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "cli.h"

#define MAX_WORDS 64

struct word {
	size_t off, len;
};

/* Split at blanks and '|' (a stage separator is a word of its own). */
static unsigned int
split(const char *line, struct word *w, unsigned int max)
{
	unsigned int n = 0;
	size_t i = 0;

	while (line[i] != '\0' && n < max) {
		while (isspace((unsigned char)line[i]))
			i++;
		if (line[i] == '\0')
			break;
		w[n].off = i;
		if (line[i] == '|') {
			i++;
		} else if (line[i] == '"' || line[i] == '\'') {
			char q = line[i++];

			while (line[i] != '\0' && line[i] != q)
				i++;
			if (line[i] != '\0')
				i++;
		} else {
			while (line[i] != '\0' && !isspace((unsigned char)line[i]) &&
			       line[i] != '|')
				i++;
		}
		w[n].len = i - w[n].off;
		n++;
	}
	return n;
}

static bool
visible(const struct cli_def *cli, const struct cli_command *c, int type)
{
	return c->command_type == type && cli->privilege >= c->privilege &&
	       (c->mode == cli->mode || c->mode == MODE_ANY ||
		(cli->mode > MODE_CONFIG && c->mode == MODE_CONFIG));
}

/*
 * The node among list that word names: an exact name, else the only
 * prefix match. *n_match counts the prefix matches (ambiguity).
 */
static struct cli_command *
match(const struct cli_def *cli, struct cli_command *list, int type,
      const char *word, size_t len, unsigned int *n_match)
{
	struct cli_command *c, *found = NULL;

	*n_match = 0;
	for (c = list; c != NULL; c = c->next) {
		if (!visible(cli, c, type) || strlen(c->command) < len ||
		    strncasecmp(c->command, word, len) != 0)
			continue;
		if (strlen(c->command) == len) {
			*n_match = 1;
			return c;
		}
		found = c;
		(*n_match)++;
	}
	return *n_match == 1 ? found : NULL;
}

enum cli_syntax
cli_syntax_check(struct cli_def *cli, const char *line, size_t *offset)
{
	struct word w[MAX_WORDS];
	struct cli_command *list = cli->commands, *c = NULL, *m;
	unsigned int n = split(line, w, MAX_WORDS), i, nm;
	int type = CLI_REGULAR_COMMAND;
	bool args = false;  /* the rest of the stage is free arguments */

	*offset = 0;
	for (i = 0; i < n; i++) {
		const char *word = line + w[i].off;

		if (word[0] == '|') {
			*offset = w[i].off;
			if (c == NULL)
				return CLI_SYNTAX_INVALID;
			if (c->callback == NULL && c->filter == NULL)
				return CLI_SYNTAX_INCOMPLETE;
			list = cli->commands;
			type = CLI_FILTER_COMMAND;
			c = NULL;
			args = false;
			continue;
		}
		if (args)
			continue;
		m = match(cli, list, type, word, w[i].len, &nm);
		if (m == NULL && nm > 1) {
			*offset = w[i].off;
			return CLI_SYNTAX_AMBIGUOUS;
		}
		if (m == NULL) {
			/* Words after a command that runs are its arguments. */
			if (c != NULL && (c->callback != NULL || c->filter != NULL)) {
				args = true;
				continue;
			}
			*offset = w[i].off;
			return CLI_SYNTAX_INVALID;
		}
		c = m;
		list = c->children;
		if (type == CLI_FILTER_COMMAND)
			args = true; /* the rest is the filter's pattern */
	}
	*offset = strlen(line);
	if (n == 0)
		return CLI_SYNTAX_OK;
	if (c == NULL || (c->callback == NULL && c->filter == NULL))
		return CLI_SYNTAX_INCOMPLETE;
	return CLI_SYNTAX_OK;
}

static size_t
prompt_len(const struct cli_def *cli)
{
	size_t n = 0;

	if (cli->hostname != NULL)
		n += strlen(cli->hostname);
	if (cli->modestring != NULL)
		n += strlen(cli->modestring);
	if (cli->promptchar != NULL)
		n += strlen(cli->promptchar);
	return n;
}

static void
say(struct cli_sess *s, const char *line)
{
	s->ops->write(s->app, line, strlen(line));
	s->ops->write(s->app, "\r\n", 2);
}

void
cli_syntax_report(struct cli_sess *s, enum cli_syntax k, const char *line,
		  size_t offset)
{
	char buf[CLI_MAX_LINE_LENGTH + 64];
	size_t col, i;

	switch (k) {
	case CLI_SYNTAX_INVALID:
		col = prompt_len(s->cli) + s->caret_shift + offset;
		if (col >= sizeof(buf) - 2)
			col = sizeof(buf) - 2;
		for (i = 0; i < col; i++)
			buf[i] = ' ';
		buf[col] = '^';
		buf[col + 1] = '\0';
		say(s, buf);
		say(s, "% Invalid input detected at '^' marker.");
		break;
	case CLI_SYNTAX_INCOMPLETE:
		say(s, "% Incomplete command.");
		break;
	case CLI_SYNTAX_AMBIGUOUS:
		while (isspace((unsigned char)*line))
			line++;
		snprintf(buf, sizeof(buf), "%% Ambiguous command:  \"%s\"", line);
		say(s, buf);
		break;
	case CLI_SYNTAX_OK:
		break;
	}
}

/* The line as typed (leading blanks matter for the caret). */
static const char *
typed_line(struct cli_sess *s, const char *cmdline)
{
	const char *h = NULL, *t;
	int i;

	if (s->raw_line[0] != '\0')
		return s->raw_line;
	/* libcli records the line in its history before running it. */
	for (i = MAX_HISTORY - 1; i >= 0; i--)
		if (s->cli->history[i] != NULL) {
			h = s->cli->history[i];
			break;
		}
	if (h == NULL)
		return cmdline;
	for (t = h; isspace((unsigned char)*t); t++)
		;
	return strcmp(t, cmdline) == 0 ? h : cmdline;
}

void
cli_err_print(struct cli_def *cli, const char *msg)
{
	struct cli_sess *s = cli_get_context(cli);
	const char *line;
	enum cli_syntax k;
	char buf[512];
	size_t off;

	/* libcli prefixes some messages with a newline. */
	if (msg[0] == '\0')
		return;
	if (cli_filter_retry(s))
		return;
	line = typed_line(s, cli->pipeline->cmdline);
	k = cli_syntax_check(cli, line, &off);
	if (k != CLI_SYNTAX_OK) {
		cli_syntax_report(s, k, line, off);
		return;
	}
	/* We would have accepted it: say what libcli said, IOS-style. */
	snprintf(buf, sizeof(buf), "%% %s", msg);
	say(s, buf);
}
