/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Sessions and the command tree: libcli underneath, tables of struct
 * cli_cmd on top, one trampoline that checks a command's free arguments
 * and runs its handler, and the print callback every line goes through
 * (login messages, IOS error wording, --More-- paging).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* Commands of a session: libcli node -> our table entry. */
struct cli_reg {
	struct cli_command *node;
	const struct cli_cmd *cmd;
	bool help_node;             /* "<cr>" or an argument's name, for "?" */
};

#define CLI_MAX_CMDS 512

struct cli_sess_priv {
	struct cli_reg reg[CLI_MAX_CMDS];
	unsigned int n_reg;
	unsigned int login_blank;   /* just logged in: libcli prints " " */
};

static void
say(struct cli_sess *s, const char *line)
{
	s->ops->write(s->app, line, strlen(line));
	s->ops->write(s->app, "\r\n", 2);
}

/* Words of the full command name: the index of argv[0] in the line. */
static int
depth(const char *command)
{
	int n = 1;

	for (; *command != '\0'; command++)
		if (*command == ' ')
			n++;
	return n;
}

/* Byte offset of word i of line (blank-separated), or its end. */
static size_t
word_off(const char *line, int i)
{
	size_t p = 0;
	int w = -1;

	for (;;) {
		while (line[p] == ' ' || line[p] == '\t')
			p++;
		if (line[p] == '\0')
			return p;
		if (++w == i)
			return p;
		while (line[p] != '\0' && line[p] != ' ' && line[p] != '\t')
			p++;
	}
}

static const char *
caret_line(struct cli_sess *s)
{
	int i;

	if (s->raw_line[0] != '\0')
		return s->raw_line;
	for (i = MAX_HISTORY - 1; i >= 0; i--)
		if (s->cli->history[i] != NULL)
			return s->cli->history[i];
	return "";
}

void
cli_err_arg(const struct cli_call *c, int i)
{
	const char *line = caret_line(c->s);

	cli_syntax_report(c->s, CLI_SYNTAX_INVALID, line,
			  word_off(line, depth(c->command) + i));
}

void
cli_err(const struct cli_call *c, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	buf[0] = '%';
	buf[1] = ' ';
	va_start(ap, fmt);
	vsnprintf(buf + 2, sizeof(buf) - 2, fmt, ap);
	va_end(ap);
	say(c->s, buf);
}

void
cli_err_op(const struct cli_call *c, const char *what, int rc,
	   const char *err)
{
	if (rc == -ETIMEDOUT)
		cli_err(c, "%s: the control plane did not answer in time, try again",
			what);
	else if (err != NULL && err[0] != '\0')
		cli_err(c, "%s: %s", what, err);
	else
		cli_err(c, "%s: %s", what, strerror(-rc));
}

void
cli_out(const struct cli_call *c, const char *fmt, ...)
{
	va_list ap;
	char *p = NULL;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&p, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	/* libcli splits lines and runs the filters on each. */
	cli_print(c->s->cli, "%s", p);
	free(p);
}

void
cli_out_buf(const struct cli_call *c, const struct cli_buf *b)
{
	size_t len;

	if (b->p == NULL || b->len == 0)
		return;
	len = b->len;
	/* One trailing newline ends the last line, it is not a line. */
	if (b->p[len - 1] == '\n')
		len--;
	cli_print(c->s->cli, "%.*s", (int)len, b->p);
	if (b->oom)
		cli_err(c, "output truncated: out of memory");
}

static int
tramp(struct cli_def *cli, const char *command, char **argv, int argc)
{
	struct cli_sess *s = cli_get_context(cli);
	struct cli_command *node = NULL;
	const struct cli_cmd *cmd = NULL;
	struct cli_call c;
	unsigned int i;
	int rc;

	if (cli->pipeline != NULL && cli->pipeline->current_stage != NULL)
		node = cli->pipeline->current_stage->command;
	for (i = 0; i < s->priv->n_reg; i++) {
		const struct cli_reg *r = &s->priv->reg[i];

		if (r->node == node || (node == NULL &&
		    strcmp(r->node->full_command_name, command) == 0)) {
			cmd = r->cmd;
			break;
		}
	}
	c = (struct cli_call){
		.s = s, .command = command, .argv = argv, .argc = argc,
		.cmd = cmd,
	};
	/*
	 * A word libcli matched against a help node ("?" lists them) is an
	 * argument of the command above it: argv is libcli's array of the
	 * line's words, the matched word just before argv[0].
	 */
	if (i < s->priv->n_reg && s->priv->reg[i].help_node) {
		c.command = cmd->path;
		c.argv = argv - 1;
		c.argc = argc + 1;
		argc = c.argc;
	}
	if (cmd == NULL || cmd->fn == NULL) {
		cli_syntax_report(s, CLI_SYNTAX_INCOMPLETE, "", 0);
		return CLI_ERROR;
	}
	if ((unsigned int)argc > cmd->max_args) {
		cli_err_arg(&c, (int)cmd->max_args);
		return CLI_ERROR;
	}
	if ((unsigned int)argc < cmd->min_args) {
		cli_syntax_report(s, CLI_SYNTAX_INCOMPLETE, "", 0);
		return CLI_ERROR;
	}
	s->in_handler = true;
	s->page_lines = 0;
	s->discard = false;
	rc = cmd->fn(&c);
	s->in_handler = false;
	return rc;
}

static struct cli_command *
child_find(struct cli_sess *s, struct cli_command *parent, const char *word,
	   enum cli_mode mode)
{
	struct cli_command *c = parent != NULL ? parent->children :
		s->cli->commands;

	for (; c != NULL; c = c->next)
		if (c->command_type == CLI_REGULAR_COMMAND &&
		    strcmp(c->command, word) == 0 && c->mode == (int)mode)
			return c;
	return NULL;
}

static int
cmd_register(struct cli_sess *s, const struct cli_cmd *cmd)
{
	char words[CLI_MAX_LINE_LENGTH], *w, *save = NULL, *next;
	struct cli_command *parent = NULL, *c;

	if (s->priv->n_reg == CLI_MAX_CMDS)
		return -ENOSPC;
	snprintf(words, sizeof(words), "%s", cmd->path);
	for (w = strtok_r(words, " ", &save); w != NULL; w = next) {
		next = strtok_r(NULL, " ", &save);
		c = child_find(s, parent, w, cmd->mode);
		if (c == NULL) {
			c = cli_register_command(s->cli, parent, w, NULL,
						 cmd->priv, (int)cmd->mode,
						 next == NULL ? cmd->help : NULL);
			if (c == NULL)
				return -ENOMEM;
		}
		/* A parent is visible to whoever may run one of its children. */
		if (c->privilege > cmd->priv)
			c->privilege = cmd->priv;
		parent = c;
	}
	if (parent == NULL)
		return -EINVAL;
	if (cmd->help != NULL && parent->help == NULL)
		parent->help = strdup(cmd->help);
	if (cmd->fn != NULL) {
		parent->callback = tramp;
		parent->privilege = cmd->priv;
		s->priv->reg[s->priv->n_reg++] = (struct cli_reg){
			.node = parent, .cmd = cmd,
		};
	}
	return 0;
}

int
cli_cmds_register(struct cli_sess *s, const struct cli_cmd *cmds,
		  unsigned int n)
{
	unsigned int i;
	int rc;

	for (i = 0; i < n; i++) {
		rc = cmd_register(s, &cmds[i]);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/*
 * --More--: after term_length - 1 lines, wait for a key: space shows a
 * page, return a line, anything else drops the rest of the output.
 */
static void
page(struct cli_sess *s)
{
	static const char more[] = " --More-- ";
	static const char erase[] = "\r          \r";
	int k;

	if (s->term_length == 0 || ++s->page_lines < s->term_length - 1)
		return;
	s->ops->write(s->app, more, sizeof(more) - 1);
	k = s->ops->read_key(s->app);
	s->ops->write(s->app, erase, sizeof(erase) - 1);
	if (k == ' ')
		s->page_lines = 0;
	else if (k == '\r' || k == '\n')
		s->page_lines = s->term_length - 2;
	else
		s->discard = true;
}

/*
 * Before login, libcli prints "Access denied" after a failed password and
 * a blank line after a good one; IOS says "% Login invalid".
 */
static void
print_login(struct cli_sess *s, const char *line)
{
	if (s->discard || line[0] == '\0')
		return;
	if (strcmp(line, "Access denied") == 0) {
		say(s, "");
		say(s, "% Login invalid");
		return;
	}
	say(s, line);
}

static void
print_cb(struct cli_def *cli, const char *line)
{
	struct cli_sess *s = cli_get_context(cli);

	if (!s->logged_in) {
		print_login(s, line);
		return;
	}
	/* libcli ends a good login with a line of one blank: end it clean. */
	if (s->priv->login_blank != 0) {
		s->priv->login_blank = 0;
		if (strcmp(line, " ") == 0) {
			say(s, "");
			return;
		}
	}
	if (!s->in_handler && cli->pipeline != NULL) {
		cli_err_print(cli, line);
		return;
	}
	if (s->discard)
		return;
	if (!s->in_handler && strcmp(line, "  <cr>") != 0 &&
	    strncmp(line, "  <cr> ", 7) == 0) {
		/* "?": libcli pads the empty help of "<cr>"; IOS does not. */
		say(s, "  <cr>");
		return;
	}
	say(s, line);
	if (s->in_handler)
		page(s);
}

/*
 * "?" as IOS answers it: under every command, the name of its free
 * argument ("A.B.C.D", "WORD", from args_help) and "<cr>" when the
 * command is complete as typed. libcli lists children only, so these are
 * children: they run the command above them (tramp) with the word typed.
 */
static int
help_node(struct cli_sess *s, unsigned int r, const char *name,
	  const char *help)
{
	const struct cli_cmd *cmd = s->priv->reg[r].cmd;
	struct cli_command *parent = s->priv->reg[r].node, *c;

	for (c = parent->children; c != NULL; c = c->next)
		if (strcasecmp(c->command, name) == 0)
			return 0;
	if (s->priv->n_reg == CLI_MAX_CMDS)
		return -ENOSPC;
	c = cli_register_command(s->cli, parent, name, tramp, cmd->priv,
				 (int)cmd->mode, help);
	if (c == NULL)
		return -ENOMEM;
	s->priv->reg[s->priv->n_reg++] = (struct cli_reg){
		.node = c, .cmd = cmd, .help_node = true,
	};
	return 0;
}

static int
help_nodes(struct cli_sess *s)
{
	unsigned int i, n = s->priv->n_reg;
	char name[64];
	const char *rest;
	size_t len;
	int rc = 0;

	for (i = 0; i < n && rc == 0; i++) {
		const struct cli_cmd *cmd = s->priv->reg[i].cmd;

		if (cmd->max_args > 0 && cmd->args_help != NULL) {
			len = strcspn(cmd->args_help, " ");
			if (len >= sizeof(name))
				len = sizeof(name) - 1;
			memcpy(name, cmd->args_help, len);
			name[len] = '\0';
			rest = cmd->args_help + len;
			while (*rest == ' ')
				rest++;
			rc = help_node(s, i, name, *rest != '\0' ? rest :
				       cmd->help);
		}
		if (rc == 0 && cmd->min_args == 0)
			rc = help_node(s, i, "<cr>", NULL);
	}
	return rc;
}

static const char *const libcli_builtin[] = {
	"help", "quit", "history", "enable", "disable", "configure",
};

/* Keywords first, then argument names (capitals, "<", "["), "<cr>" last. */
static int
cmd_rank(const char *w)
{
	if (strcmp(w, "<cr>") == 0)
		return 2;
	return (*w >= 'A' && *w <= 'Z') || *w == '<' || *w == '[' ? 1 : 0;
}

static int
cmd_cmp(const void *a, const void *b)
{
	const struct cli_command *x = *(const struct cli_command *const *)a;
	const struct cli_command *y = *(const struct cli_command *const *)b;
	int rx = cmd_rank(x->command), ry = cmd_rank(y->command);

	return rx != ry ? rx - ry : strcmp(x->command, y->command);
}

/*
 * IOS lists "?" alphabetically; libcli in registration order (each
 * feature's table): sort every list of siblings, head at *head. -ENOMEM.
 */
static int
sort_siblings(struct cli_command **head)
{
	struct cli_command *c, **v;
	unsigned int n = 0, i;
	int rc = 0;

	for (c = *head; c != NULL; c = c->next)
		n++;
	if (n > 1) {
		v = malloc(n * sizeof(*v));
		if (v == NULL)
			return -ENOMEM;
		for (i = 0, c = *head; c != NULL; c = c->next)
			v[i++] = c;
		qsort(v, n, sizeof(*v), cmd_cmp);
		for (i = 0; i < n; i++) {
			v[i]->previous = i > 0 ? v[i - 1] : NULL;
			v[i]->next = i + 1 < n ? v[i + 1] : NULL;
		}
		*head = v[0];
		free(v);
	}
	for (c = *head; c != NULL && rc == 0; c = c->next)
		rc = sort_siblings(&c->children);
	return rc;
}

int
cli_sess_init(struct cli_sess *s, const struct cli_ops *ops, void *ctx,
	      void *app, const char *hostname)
{
	int (*const reg[])(struct cli_sess *) = {
		cli_exec_register, cli_filter_register, cli_sys_register,
		cli_if_register, cli_crypto_register, cli_debug_register,
		cli_hsrp_register, cli_redundancy_register, cli_ike_register,
		cli_log_register, cli_ping_register, cli_conf_register,
		cli_route_register,
	};
	unsigned int i;
	int rc;

	memset(s, 0, sizeof(*s));
	s->ops = ops;
	s->ctx = ctx;
	s->app = app;
	s->term_length = CLI_TERM_LENGTH_DEFAULT;
	s->priv = calloc(1, sizeof(*s->priv));
	s->cli = cli_init();
	if (s->cli == NULL || s->priv == NULL) {
		cli_sess_fini(s);
		return -ENOMEM;
	}
	cli_set_context(s->cli, s);
	cli_print_callback(s->cli, print_cb);
	cli_set_hostname(s->cli, hostname);
	cli_set_promptchar(s->cli, ">");
	/* Ours replace these (IOS wording, IOS help, enable secret). */
	for (i = 0; i < sizeof(libcli_builtin) / sizeof(libcli_builtin[0]); i++)
		cli_unregister_command(s->cli, libcli_builtin[i]);
	cli_unregister_all_filters(s->cli);
	for (i = 0; i < sizeof(reg) / sizeof(reg[0]); i++) {
		rc = reg[i](s);
		if (rc < 0) {
			cli_sess_fini(s);
			return rc;
		}
	}
	rc = help_nodes(s);
	if (rc == 0)
		rc = sort_siblings(&s->cli->commands);
	if (rc < 0)
		cli_sess_fini(s);
	return rc;
}

void
cli_sess_fini(struct cli_sess *s)
{
	if (s->cli != NULL)
		cli_done(s->cli);
	free(s->priv);
	s->cli = NULL;
	s->priv = NULL;
}

void
cli_sess_login(struct cli_sess *s, const char *user, int priv)
{
	snprintf(s->user, sizeof(s->user), "%s", user);
	cli_set_privilege(s->cli, priv);
	cli_set_promptchar(s->cli, priv >= CLI_PRIV_ADMIN ? "#" : ">");
	s->logged_in = true;
	s->priv->login_blank = 1;
}

int
cli_sess_run(struct cli_sess *s, const char *line)
{
	int rc;

	snprintf(s->raw_line, sizeof(s->raw_line), "%s", line);
	s->quit = false;
	rc = cli_run_command(s->cli, line);
	s->raw_line[0] = '\0';
	/* The line's filter retry ended the session (cli_filter_retry()). */
	if (s->quit)
		rc = CLI_QUIT;
	return rc;
}
