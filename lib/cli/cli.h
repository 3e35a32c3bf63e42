/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TW_CLI_H
#define TW_CLI_H

/*
 * The management console's command tree, in the Cisco IOS idiom, on libcli.
 *
 * One struct cli_sess per console session wraps one libcli struct cli_def.
 * Commands are tables of struct cli_cmd ("show crypto ipsec sa active")
 * that each feature registers from its own file through one function
 * (cli_hsrp_register(), cli_redundancy_register(), ...); cli_sess_init()
 * calls them all. A handler never reads control state: it asks the
 * application through struct cli_ops for a plain-data snapshot (cli_data.h)
 * or an action, then formats the answer itself. The application runs those
 * ops on its control thread (twinsecd: ctl_call()), so a console session
 * can never stall or race the fast path.
 *
 * Input errors get IOS's wording (cli_err.c): "% Invalid input detected at
 * '^' marker." with the caret under the offending word, "% Incomplete
 * command.", "% Ambiguous command:  "..."".
 *
 * No DPDK here: lib/cli builds and is unit-tested without EAL, against a
 * fake struct cli_ops (tests/unit/test_cli.c: lines through
 * cli_sess_run(), output captured from ops->write).
 */

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libcli.h>

#include "cli_data.h"

/* IOS privilege levels: user EXEC and privileged EXEC. */
#define CLI_PRIV_USER 1
#define CLI_PRIV_ADMIN 15

/* Modes (libcli's MODE_EXEC and MODE_CONFIG, and our sub-modes). */
enum cli_mode {
	CLI_MODE_EXEC = MODE_EXEC,
	CLI_MODE_CONFIG = MODE_CONFIG,
	CLI_MODE_CONFIG_IF = MODE_CONFIG + 1,  /* (config-if) */
	CLI_MODE_CONFIG_CMAP = MODE_CONFIG + 2, /* (config-crypto-map) */
};

#define CLI_MAX_ARGS 8
#define CLI_TERM_LENGTH_DEFAULT 24

struct cli_sess;
struct cli_sess_priv;

/*
 * What the application provides. Data ops fill plain snapshots (the
 * caller frees them with cli_data_free_*()); action ops change state.
 * Every op returns 0 or -errno and may fill err (a line without "% ")
 * with why it failed. Only standby, redundancy, force_switchover, ike_sas,
 * ike_clear and ipv6_neighbors may be left NULL, by a daemon without that
 * feature: its
 * commands then say so as IOS would (nothing configured, empty tables).
 * Every other op is called without a check and must be set.
 */
struct cli_ops {
	/* data */
	int (*version)(void *ctx, struct cli_version *out);
	int (*interfaces)(void *ctx, struct cli_iface_table *out);
	int (*routes)(void *ctx, struct cli_route_table *out);
	/* The reverse routes injected (show crypto route); may be NULL. */
	int (*crypto_routes)(void *ctx, struct cli_route_table *out);
	int (*arp)(void *ctx, struct cli_arp_table *out);
	int (*ipv6_neighbors)(void *ctx, struct cli_nd_table *out);
	int (*sas)(void *ctx, struct cli_sa_table *out);
	int (*crypto_maps)(void *ctx, struct cli_cmap_table *out);
	/* The running configuration rendered (cli_runconf_render()). */
	int (*running_config)(void *ctx, struct cli_buf *out);
	/* actions */
	int (*clear_counters)(void *ctx, const char *iface, char *err,
			      size_t errlen);
	/*
	 * clear crypto sa [peer A | map NAME]: manually keyed SAs stay
	 * installed with their counters cleared (n_manual), IKE-negotiated
	 * Child SAs are deleted with DELETE to the peer (n_ike). peer 0 and
	 * map NULL: any. -ENOENT with err: no such crypto map.
	 */
	int (*clear_sas)(void *ctx, int state_filter, uint32_t peer,
			 const char *map, unsigned int *n_manual,
			 unsigned int *n_ike, char *err, size_t errlen);
	int (*set_admin)(void *ctx, const char *iface, bool up, char *err,
			 size_t errlen);
	/* module "hsrp", "sync", ...; on: debug, off: back to its level */
	int (*debug)(void *ctx, const char *module, bool on);
	int (*debug_modules)(void *ctx, char names[][16], unsigned int max,
			     unsigned int *n);
	/* Optional (NULL: no such feature): HSRP, redundancy, IKE. */
	int (*standby)(void *ctx, struct cli_hsrp_table *out);
	int (*redundancy)(void *ctx, struct cli_redundancy *out);
	int (*force_switchover)(void *ctx, char *err, size_t errlen);
	int (*ike_sas)(void *ctx, struct cli_ike_table *out);
	/* clear crypto isakmp [conn-id]: DELETE sent; 0 conn_id: all. */
	int (*ike_clear)(void *ctx, uint32_t conn_id, unsigned int *n);
	/*
	 * Optional (NULL: the command says it is not available): show
	 * logging (out->lines freed by the caller), clear logging, the
	 * wall clock (show clock), the console sessions (show users).
	 */
	int (*logging)(void *ctx, struct cli_logging *out);
	int (*clear_logging)(void *ctx);
	int (*clock)(void *ctx, int64_t *sec, uint32_t *msec);
	int (*users)(void *ctx, struct cli_user_table *out);
	/*
	 * ping: one echo request p (p->src set to the source address),
	 * waiting up to p->timeout_ms: 0 and *rtt_us on a reply,
	 * -ETIMEDOUT without, other -errno with err (no route, a source
	 * interface that does not exist, a destination the crypto policy
	 * protects).
	 */
	int (*ping)(void *ctx, struct cli_ping *p, uint64_t *rtt_us,
		    char *err, size_t errlen);
	/* clear crypto sa counters: every SA's counters shown from zero. */
	int (*clear_sa_counters)(void *ctx, unsigned int *n);

	/*
	 * Optional (NULL: configuration is read-only): configure terminal
	 * changes, applied through the reload path; 0 applied, -EAGAIN a
	 * new crypto map entry still incomplete (err: what it lacks),
	 * other -errno refused with err (nothing changed).
	 */
	int (*config_edit)(void *ctx, const struct cli_cfg_edit *e, char *err,
			   size_t errlen);
	/* write memory: the running configuration to the file, with .bak. */
	int (*write_memory)(void *ctx, char *path, size_t pathlen, char *err,
			    size_t errlen);

	/* session services (sess is the console's own session object) */
	/* Prompt without echo and read one line; -ETIMEDOUT, -EPIPE. */
	int (*read_secret)(void *sess, const char *prompt, char *buf,
			   size_t len);
	/* Check the enable secret: 0 ok, -EACCES wrong, -ENOENT none set. */
	int (*check_enable)(void *ctx, const char *secret);
	/* terminal monitor on/off for this session. */
	void (*monitor)(void *sess, bool on);
	/* One raw write to the session (printing goes through libcli). */
	int (*write)(void *sess, const char *buf, size_t len);
	/* Read one key (paging); -1 on error or timeout. */
	int (*read_key)(void *sess);
	/* Optional: end the connection; libcli's loop reads EOF next (a
	 * logout inside a nested run whose CLI_QUIT libcli drops). */
	void (*hang_up)(void *sess);
};

/* A console session: libcli state plus ours. */
struct cli_sess {
	struct cli_def *cli;
	const struct cli_ops *ops;
	void *ctx;                  /* ops' context (the daemon) */
	void *app;                  /* the console's session (session ops) */
	char user[64];
	char from[64];              /* "127.0.0.1:40000" */
	bool logged_in;
	bool in_handler;            /* output is the command's, not libcli's */
	bool monitor;
	unsigned int term_length;   /* 0: no paging */
	unsigned int page_lines;    /* lines printed since the last --More-- */
	bool discard;               /* 'q' at --More--: drop the rest */
	char iface[32];             /* (config-if): the interface */
	struct cli_cfg_edit cme;    /* (config-crypto-map): the entry */
	bool cme_new;               /* not in the running config yet */
	size_t caret_shift;         /* "do LINE": where LINE starts */
	bool retrying;              /* cli_filter_retry() runs the line */
	bool quit;                  /* ... and it ended the session */
	uint32_t dbg_typed;         /* debug flags this session turned on */
	char raw_line[CLI_MAX_LINE_LENGTH]; /* the line as typed (carets) */
	struct cli_sess_priv *priv; /* the registry (cli_tree.c) */
};

/* One command, by its words. */
struct cli_call {
	struct cli_sess *s;
	const char *command;        /* full command name, e.g. "show arp" */
	char **argv;                /* free words after the command */
	int argc;
	const struct cli_cmd *cmd;
};

typedef int (*cli_cmd_fn)(const struct cli_call *c);

/*
 * A table entry. path is the command's words ("show crypto ipsec sa");
 * missing parents are created with the help of a cli_cmd entry of their
 * own (fn NULL) or an empty help. args: how many free words may follow
 * (min_args .. max_args, named args_help in "?"); more or fewer are
 * reported as IOS does before fn runs.
 */
struct cli_cmd {
	const char *path;
	const char *help;
	cli_cmd_fn fn;
	int priv;                   /* CLI_PRIV_USER or CLI_PRIV_ADMIN */
	enum cli_mode mode;
	unsigned int min_args, max_args;
	const char *args_help;
};

/* Register n commands of a feature. -ENOMEM, -EINVAL (bad table). */
int cli_cmds_register(struct cli_sess *s, const struct cli_cmd *cmds,
		      unsigned int n);

/* Every feature's registration function (called by cli_sess_init()). */
int cli_exec_register(struct cli_sess *s);    /* enable, terminal, config */
int cli_filter_register(struct cli_sess *s);  /* | include ... */
int cli_sys_register(struct cli_sess *s);     /* version, running-config */
int cli_if_register(struct cli_sess *s);      /* interfaces, arp */
int cli_route_register(struct cli_sess *s);   /* ip route, crypto route */
int cli_crypto_register(struct cli_sess *s);  /* crypto map/ipsec/session */
int cli_debug_register(struct cli_sess *s);   /* debug, undebug */
int cli_hsrp_register(struct cli_sess *s);    /* show standby */
int cli_redundancy_register(struct cli_sess *s); /* show redundancy, ... */
int cli_ike_register(struct cli_sess *s);     /* show crypto isakmp sa */
int cli_log_register(struct cli_sess *s);     /* logging, clock, users */
int cli_ping_register(struct cli_sess *s);    /* ping */
int cli_conf_register(struct cli_sess *s);    /* configure terminal */

/*
 * A session: libcli instance, every command, IOS error wording, paging.
 * hostname names the prompt. 0 or -ENOMEM.
 */
int cli_sess_init(struct cli_sess *s, const struct cli_ops *ops, void *ctx,
		  void *app, const char *hostname);
void cli_sess_fini(struct cli_sess *s);
/* After a successful login: privilege and prompt. */
void cli_sess_login(struct cli_sess *s, const char *user, int priv);
/* Run one line as typed (tests and non-interactive use). */
int cli_sess_run(struct cli_sess *s, const char *line);

/* Output from handlers: filtered (| include ...), paged. */
void cli_out(const struct cli_call *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* A whole buffer, line by line. */
void cli_out_buf(const struct cli_call *c, const struct cli_buf *b);
/* "% what": an error line (also unfiltered). */
void cli_err(const struct cli_call *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* show ipv6 interface brief's body, show ipv6 neighbors (cli_ip6.c). */
struct cli_iface_table;
void cli_iface6_brief(const struct cli_call *c,
		      const struct cli_iface_table *t);
int cli_show_ipv6_neighbors(const struct cli_call *c);
int cli_show_ipv6_route(const struct cli_call *c);
/* The IOS caret error under argument i. */
void cli_err_arg(const struct cli_call *c, int i);
/* When an op failed: "% <what>: <err or strerror>". */
void cli_err_op(const struct cli_call *c, const char *what, int rc,
		const char *err);
/*
 * The IKE SA table (an empty one without IKE); -errno, said as what
 * failed, when the control lcore cannot give it.
 */
int cli_get_ike(const struct cli_call *c, const char *what,
		struct cli_ike_table *t);

/*
 * cli_filter.c: the pattern of a line's output modifier, the rest of the
 * line after "| MODIFIER" ('|' included; one pair of quotes around it
 * removed, backslash escapes resolved); *mod_end: where MODIFIER ends.
 * false: no modifier.
 */
bool cli_filter_rest(const char *cmdline, size_t *mod_end, char *pat,
		     size_t len);
/*
 * libcli refused a later stage of the line being validated: when it is
 * the rest of a modifier's pattern ("| include a|b"), run the line again
 * with the pattern quoted. true: done (nothing more to say).
 */
bool cli_filter_retry(struct cli_sess *s);

/* cli_err.c: libcli's messages -> IOS wording (the print callback). */
void cli_err_print(struct cli_def *cli, const char *line);
/* Where the IOS parser stops on line: kind and byte offset. */
enum cli_syntax {
	CLI_SYNTAX_OK,
	CLI_SYNTAX_INVALID,
	CLI_SYNTAX_INCOMPLETE,
	CLI_SYNTAX_AMBIGUOUS,
};
enum cli_syntax cli_syntax_check(struct cli_def *cli, const char *line,
				 size_t *offset);
/* Print an IOS syntax error for line (caret under offset). */
void cli_syntax_report(struct cli_sess *s, enum cli_syntax k,
		       const char *line, size_t offset);

#endif /* TW_CLI_H */
