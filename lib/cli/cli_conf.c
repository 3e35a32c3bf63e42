/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * configure terminal: the run-time changes an operator expects, each one
 * a struct cli_cfg_edit handed to ops->config_edit, which applies it
 * through the application's reload path (nothing here touches state):
 *
 *   (config)#    crypto map NAME SEQ [ipsec-manual|ipsec-isakmp]
 *                no crypto map NAME SEQ
 *                username U [privilege N] secret [0|5] S, no username U
 *                do COMMAND...
 *   (config-if)# standby N priority P, standby N preempt,
 *                no standby N preempt (description is refused: no such
 *                setting; shutdown is cli_exec.c's, the port's admin
 *                state, not in the configuration)
 *   (config-crypto-map)# set peer A, set transform-set T,
 *                match address SRC/LEN DST/LEN (our ACL stand-in: one
 *                protect rule), set session-key inbound|outbound esp SPI
 *                cipher HEX [authenticator HEX]
 *
 * A crypto map entry's submode lines accumulate in the session (cme): each
 * line sends every field typed so far; an entry that exists takes them at
 * once, a new one is applied as soon as it is complete (until then the
 * application answers -EAGAIN and IOS's NOTE has said so).
 * Exec: write memory, copy running-config startup-config.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static bool
copy_word(char *dst, size_t len, const char *src)
{
	size_t n = strlen(src);

	if (n == 0 || n >= len)
		return false;
	memcpy(dst, src, n + 1);
	return true;
}

static bool
parse_int(const char *w, long lo, long hi, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(w, &end, 0);
	if (errno != 0 || *end != '\0' || end == w || v < lo || v > hi)
		return false;
	*out = (int)v;
	return true;
}

/* The edit applied; false (said IOS-style) when refused. */
static bool
apply(const struct cli_call *c, const struct cli_cfg_edit *e, bool quiet_again)
{
	char err[1024] = "";
	int rc;

	if (c->s->ops->config_edit == NULL) {
		cli_err(c, "Configuration changes are not supported here");
		return false;
	}
	rc = c->s->ops->config_edit(c->s->ctx, e, err, sizeof(err));
	if (rc == 0 || (rc == -EAGAIN && quiet_again))
		return true;
	if (rc == -ETIMEDOUT)
		cli_err(c, "the control plane did not answer in time, try again");
	else
		cli_err(c, "%s", err[0] != '\0' ? err : strerror(-rc));
	return false;
}

/* standby N priority P | standby N preempt */
static int
standby(const struct cli_call *c)
{
	bool no = strncmp(c->command, "no ", 3) == 0;
	struct cli_cfg_edit e = { 0 };

	snprintf(e.iface, sizeof(e.iface), "%s", c->s->iface);
	if (!parse_int(c->argv[0], 0, 255, &e.group)) {
		cli_err_arg(c, 0);
		return CLI_ERROR;
	}
	if (strcmp(c->argv[1], "preempt") == 0 && c->argc == 2) {
		e.kind = CLI_CFG_STANDBY_PREEMPT;
		e.flag = !no;
	} else if (!no && strcmp(c->argv[1], "priority") == 0) {
		if (c->argc != 3) {
			cli_syntax_report(c->s, CLI_SYNTAX_INCOMPLETE, "", 0);
			return CLI_ERROR;
		}
		e.kind = CLI_CFG_STANDBY_PRIORITY;
		if (!parse_int(c->argv[2], 0, 255, &e.value)) {
			cli_err_arg(c, 2);
			return CLI_ERROR;
		}
	} else {
		cli_err_arg(c, 1);
		return CLI_ERROR;
	}
	return apply(c, &e, false) ? CLI_OK : CLI_ERROR;
}

/* username U [privilege N] secret [0|5] S */
static int
username(const struct cli_call *c)
{
	struct cli_cfg_edit e = { .kind = CLI_CFG_USER_SET,
				  .value = CLI_PRIV_USER };
	int i = 1;
	bool ok;

	if (!copy_word(e.name, sizeof(e.name), c->argv[0])) {
		cli_err_arg(c, 0);
		return CLI_ERROR;
	}
	if (strcmp(c->argv[i], "privilege") == 0) {
		if (i + 1 >= c->argc || !parse_int(c->argv[i + 1], 1, 15,
						   &e.value)) {
			cli_err_arg(c, i + 1);
			return CLI_ERROR;
		}
		i += 2;
	}
	if (i >= c->argc || strcmp(c->argv[i], "secret") != 0) {
		cli_err_arg(c, i);
		return CLI_ERROR;
	}
	i++;
	/* 0: clear text (hashed before it is stored); 5: a crypt hash. */
	e.flag = false;
	if (i + 1 < c->argc && (strcmp(c->argv[i], "0") == 0 ||
				strcmp(c->argv[i], "5") == 0)) {
		e.flag = c->argv[i][0] == '5';
		i++;
	}
	if (i + 1 != c->argc) {
		if (i >= c->argc)
			cli_syntax_report(c->s, CLI_SYNTAX_INCOMPLETE, "", 0);
		else
			cli_err_arg(c, i + 1);
		return CLI_ERROR;
	}
	if (!e.flag && strncmp(c->argv[i], "$6$", 3) == 0)
		e.flag = true;
	if (!copy_word(e.secret, sizeof(e.secret), c->argv[i])) {
		cli_err_arg(c, i);
		return CLI_ERROR;
	}
	ok = apply(c, &e, false);
	explicit_bzero(e.secret, sizeof(e.secret));
	return ok ? CLI_OK : CLI_ERROR;
}

static int
no_username(const struct cli_call *c)
{
	struct cli_cfg_edit e = { .kind = CLI_CFG_USER_DEL };

	if (!copy_word(e.name, sizeof(e.name), c->argv[0])) {
		cli_err_arg(c, 0);
		return CLI_ERROR;
	}
	return apply(c, &e, false) ? CLI_OK : CLI_ERROR;
}

static bool
map_seq(const struct cli_call *c, struct cli_cfg_edit *e)
{
	if (!copy_word(e->map, sizeof(e->map), c->argv[0])) {
		cli_err_arg(c, 0);
		return false;
	}
	if (!parse_int(c->argv[1], 1, 65535, &e->seq)) {
		cli_err_arg(c, 1);
		return false;
	}
	return true;
}

/* crypto map NAME SEQ [ipsec-manual|ipsec-isakmp]: the submode. */
static int
crypto_map(const struct cli_call *c)
{
	struct cli_cfg_edit *e = &c->s->cme;
	char err[1024] = "";
	int rc;

	memset(e, 0, sizeof(*e));
	e->kind = CLI_CFG_CMAP_ENTRY;
	if (!map_seq(c, e))
		return CLI_ERROR;
	snprintf(e->type, sizeof(e->type), "%s",
		 c->argc == 3 ? c->argv[2] : "ipsec-isakmp");
	if (strcmp(e->type, "ipsec-manual") != 0 &&
	    strcmp(e->type, "ipsec-isakmp") != 0) {
		cli_err_arg(c, 2);
		return CLI_ERROR;
	}
	e->set = CLI_CME_TYPE;
	if (c->s->ops->config_edit == NULL) {
		cli_err(c, "Configuration changes are not supported here");
		return CLI_ERROR;
	}
	rc = c->s->ops->config_edit(c->s->ctx, e, err, sizeof(err));
	if (rc < 0 && rc != -EAGAIN) {
		cli_err(c, "%s", err[0] != '\0' ? err : strerror(-rc));
		return CLI_ERROR;
	}
	c->s->cme_new = rc == -EAGAIN;
	if (c->s->cme_new) {
		cli_err(c, "NOTE: This new crypto map will remain disabled until a peer");
		cli_out(c, "        and a valid access list have been configured.");
	}
	cli_set_configmode(c->s->cli, CLI_MODE_CONFIG_CMAP, "crypto-map");
	return CLI_OK;
}

static int
no_crypto_map(const struct cli_call *c)
{
	struct cli_cfg_edit e = { .kind = CLI_CFG_CMAP_DEL };

	if (!map_seq(c, &e))
		return CLI_ERROR;
	return apply(c, &e, false) ? CLI_OK : CLI_ERROR;
}

/* One submode line: the field into a copy, applied, kept on success. */
static int
cme_apply(const struct cli_call *c, struct cli_cfg_edit *e)
{
	if (!apply(c, e, c->s->cme_new))
		return CLI_ERROR;
	c->s->cme = *e;
	return CLI_OK;
}

static int
set_peer(const struct cli_call *c)
{
	struct cli_cfg_edit e = c->s->cme;

	if (!copy_word(e.peer, sizeof(e.peer), c->argv[0])) {
		cli_err_arg(c, 0);
		return CLI_ERROR;
	}
	e.set |= CLI_CME_PEER;
	return cme_apply(c, &e);
}

static int
set_tset(const struct cli_call *c)
{
	struct cli_cfg_edit e = c->s->cme;

	if (!copy_word(e.tset, sizeof(e.tset), c->argv[0])) {
		cli_err_arg(c, 0);
		return CLI_ERROR;
	}
	e.set |= CLI_CME_TSET;
	return cme_apply(c, &e);
}

static int
match_address(const struct cli_call *c)
{
	struct cli_cfg_edit e = c->s->cme;

	if (!copy_word(e.match_src, sizeof(e.match_src), c->argv[0])) {
		cli_err_arg(c, 0);
		return CLI_ERROR;
	}
	if (!copy_word(e.match_dst, sizeof(e.match_dst), c->argv[1])) {
		cli_err_arg(c, 1);
		return CLI_ERROR;
	}
	e.set |= CLI_CME_MATCH;
	return cme_apply(c, &e);
}

/* set session-key inbound|outbound esp SPI cipher HEX [authenticator HEX] */
static int
session_key(const struct cli_call *c)
{
	struct cli_cfg_edit e = c->s->cme;
	struct cli_cfg_sakey *k;
	char *end;
	unsigned long spi;

	if (strcmp(c->argv[0], "inbound") == 0) {
		k = &e.in;
		e.set |= CLI_CME_IN;
	} else if (strcmp(c->argv[0], "outbound") == 0) {
		k = &e.out;
		e.set |= CLI_CME_OUT;
	} else {
		cli_err_arg(c, 0);
		return CLI_ERROR;
	}
	if (strcmp(c->argv[1], "esp") != 0) {
		cli_err_arg(c, 1);
		return CLI_ERROR;
	}
	errno = 0;
	spi = strtoul(c->argv[2], &end, 0);
	if (errno != 0 || *end != '\0' || spi < 256 || spi > 0xffffffffUL) {
		cli_err_arg(c, 2);
		return CLI_ERROR;
	}
	k->spi = (uint32_t)spi;
	if (strcmp(c->argv[3], "cipher") != 0) {
		cli_err_arg(c, 3);
		return CLI_ERROR;
	}
	if (c->argc < 5) {
		cli_syntax_report(c->s, CLI_SYNTAX_INCOMPLETE, "", 0);
		return CLI_ERROR;
	}
	if (!copy_word(k->key, sizeof(k->key), c->argv[4])) {
		cli_err_arg(c, 4);
		return CLI_ERROR;
	}
	k->auth_key[0] = '\0';
	if (c->argc > 5) {
		if (strcmp(c->argv[5], "authenticator") != 0) {
			cli_err_arg(c, 5);
			return CLI_ERROR;
		}
		if (c->argc < 7) {
			cli_syntax_report(c->s, CLI_SYNTAX_INCOMPLETE, "", 0);
			return CLI_ERROR;
		}
		if (!copy_word(k->auth_key, sizeof(k->auth_key), c->argv[6])) {
			cli_err_arg(c, 6);
			return CLI_ERROR;
		}
	}
	return cme_apply(c, &e);
}

/*
 * description: the configuration has no such setting (show interfaces'
 * description is the device), and a reload applies no interface change
 * but its standby parameters: said plainly rather than "Invalid input".
 */
static int
description(const struct cli_call *c)
{
	cli_err(c, "description: not supported: twinsec's configuration has no interface description (its interfaces are described by their device), and interface settings other than standby change with a restart");
	return CLI_ERROR;
}

static int
cme_end(const struct cli_call *c)
{
	cli_set_configmode(c->s->cli, CLI_MODE_EXEC, NULL);
	return CLI_OK;
}

/* Offset of the second word of cmdline ("do X": X). */
static size_t
line_start(const char *cmdline)
{
	const char *p = cmdline;

	while (*p == ' ' || *p == '\t')
		p++;
	while (*p != '\0' && *p != ' ' && *p != '\t')
		p++;
	while (*p == ' ' || *p == '\t')
		p++;
	return (size_t)(p - cmdline);
}

/*
 * do COMMAND: an exec command from a configuration mode, run as a line of
 * its own (libcli's cli_run_command()) in exec mode. The filters of the
 * "do" line ("do show running-config | include x") stay installed: the
 * inner line has none of its own, so its output goes through them and
 * its end tears them down (libcli frees them and clears the list); the
 * outer line finds none left. A line refused before it runs leaves them
 * to the outer line.
 */
static int
do_exec(const struct cli_call *c)
{
	struct cli_def *cli = c->s->cli;
	struct cli_pipeline *pl = cli->pipeline;
	char line[CLI_MAX_LINE_LENGTH], raw[sizeof(c->s->raw_line)];
	const char *w;
	size_t o = 0;
	int mode = cli->mode, i, rc;

	/*
	 * The words as typed, a pipe or backslash in one escaped again: the
	 * inner line's pipeline is the outer one's first stage, never more
	 * ("do lo\| include x" is the word "lo|", not logout piped into a
	 * filter). A filter stage of its own would have replaced the outer
	 * line's filters in libcli's list (its head is overwritten), losing
	 * them (found by tests/fuzz/fuzz_cli.c: 120 bytes per such line).
	 */
	for (i = 0; i < c->argc && o < sizeof(line); i++) {
		if (i > 0)
			line[o++] = ' ';
		for (w = c->argv[i]; *w != '\0' && o + 2 < sizeof(line); w++) {
			if (*w == '|' || *w == '\\')
				line[o++] = '\\';
			line[o++] = *w;
		}
		if (*w != '\0')
			o = sizeof(line);
	}
	if (o < sizeof(line))
		line[o] = '\0';
	if (o >= sizeof(line)) {
		cli_err(c, "line too long");
		return CLI_ERROR;
	}
	/* Carets point into LINE, shown after the prompt and "do ". */
	memcpy(raw, c->s->raw_line, sizeof(raw));
	snprintf(c->s->raw_line, sizeof(c->s->raw_line), "%s", line);
	c->s->caret_shift = line_start(pl != NULL ? pl->cmdline : "");
	cli->pipeline = NULL;
	cli->mode = CLI_MODE_EXEC;
	c->s->in_handler = false;
	rc = cli_run_command(cli, line);
	c->s->in_handler = true;
	c->s->caret_shift = 0;
	memcpy(c->s->raw_line, raw, sizeof(raw));
	/* Back to the mode "do" ran in, unless the command left exec. */
	if (cli->mode == CLI_MODE_EXEC)
		cli->mode = mode;
	cli->pipeline = pl;
	/*
	 * "do logout" (libcli's, from any mode) ends the session: its
	 * CLI_QUIT must reach the loop, or the session stays open at
	 * privilege 0 (found by tests/fuzz/fuzz_cli.c).
	 */
	if (rc == CLI_QUIT)
		return CLI_QUIT;
	return rc == CLI_OK ? CLI_OK : CLI_ERROR;
}

static int
write_memory(const struct cli_call *c)
{
	char path[256] = "", err[512] = "";
	int rc;

	if (c->s->ops->write_memory == NULL) {
		cli_err(c, "Configuration changes are not supported here");
		return CLI_ERROR;
	}
	cli_out(c, "Building configuration...");
	rc = c->s->ops->write_memory(c->s->ctx, path, sizeof(path), err,
				     sizeof(err));
	if (rc < 0) {
		cli_err_op(c, "write memory", rc, err);
		return CLI_ERROR;
	}
	cli_out(c, "[OK]");
	return CLI_OK;
}

#define A CLI_PRIV_ADMIN
#define CF CLI_MODE_CONFIG
#define IF CLI_MODE_CONFIG_IF
#define CM CLI_MODE_CONFIG_CMAP

static const struct cli_cmd conf_cmds[] = {
	{ "write", "Write running configuration to memory", NULL, A,
	  CLI_MODE_EXEC, 0, 0, NULL },
	{ "write memory", "Write to NV memory", write_memory, A,
	  CLI_MODE_EXEC, 0, 0, NULL },
	{ "copy", "Copy from one file to another", NULL, A, CLI_MODE_EXEC,
	  0, 0, NULL },
	{ "copy running-config", "Copy from current system configuration",
	  NULL, A, CLI_MODE_EXEC, 0, 0, NULL },
	{ "copy running-config startup-config",
	  "Copy to startup configuration", write_memory, A, CLI_MODE_EXEC,
	  0, 0, NULL },
	{ "crypto", "Encryption module", NULL, A, CF, 0, 0, NULL },
	{ "crypto map", "Enter a crypto map", crypto_map, A, CF, 2, 3,
	  "WORD <1-65535> [ipsec-manual|ipsec-isakmp]" },
	{ "no", "Negate a command or set its defaults", NULL, A, CF, 0, 0,
	  NULL },
	{ "no crypto", "Encryption module", NULL, A, CF, 0, 0, NULL },
	{ "no crypto map", "Delete a crypto map entry", no_crypto_map, A, CF,
	  2, 2, "WORD <1-65535>" },
	{ "username", "Establish User Name Authentication", username, A, CF,
	  3, 6, "WORD [privilege <1-15>] secret [0|5] LINE" },
	{ "no username", "Remove a user", no_username, A, CF, 1, 1, "WORD" },
	{ "do", "To run exec commands in config mode", do_exec, A, CF, 1,
	  CLI_MAX_ARGS, "LINE" },
	{ "do", "To run exec commands in config mode", do_exec, A, IF, 1,
	  CLI_MAX_ARGS, "LINE" },
	{ "do", "To run exec commands in config mode", do_exec, A, CM, 1,
	  CLI_MAX_ARGS, "LINE" },
	{ "standby", "HSRP interface configuration commands", standby, A, IF,
	  2, 3, "<0-255> priority <0-255> | preempt" },
	{ "no standby", "HSRP interface configuration commands", standby, A,
	  IF, 2, 2, "<0-255> preempt" },
	{ "description", "Interface specific description", description, A,
	  IF, 0, CLI_MAX_ARGS, "LINE" },
	{ "end", "Exit from configure mode", cme_end, A, CM, 0, 0, NULL },
	{ "set", "Set values for encryption/decryption", NULL, A, CM, 0, 0,
	  NULL },
	{ "set peer", "Allowed Encryption/Decryption peer", set_peer, A, CM,
	  1, 1, "A.B.C.D" },
	{ "set transform-set", "Specify list of transform sets in priority order",
	  set_tset, A, CM, 1, 1, "WORD" },
	{ "set session-key", "Specify a session key for manual keying",
	  session_key, A, CM, 4, 7,
	  "inbound|outbound esp <256-4294967295> cipher HEX [authenticator HEX]" },
	{ "match", "Match values", NULL, A, CM, 0, 0, NULL },
	{ "match address", "Match address of packets to encrypt",
	  match_address, A, CM, 2, 2, "SRC/LEN DST/LEN" },
};

int
cli_conf_register(struct cli_sess *s)
{
	return cli_cmds_register(s, conf_cmds,
				 sizeof(conf_cmds) / sizeof(conf_cmds[0]));
}
