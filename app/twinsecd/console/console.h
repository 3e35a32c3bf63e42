/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TWINSECD_CONSOLE_H
#define TWINSECD_CONSOLE_H

/*
 * The telnet management console (conf "console" section): a listener
 * thread on the management address and one thread per session, each
 * running libcli's cli_loop() over lib/cli's command tree.
 *
 * Console threads never touch control state: every command is a
 * ctl_call() to the control lcore (console_env.c), which fills a plain
 * snapshot or carries out an action; the session thread formats and
 * prints. Login: local users with crypt(3) SHA-512 secrets, a delay after
 * each failure, three tries per connection, a login timeout, and a
 * per-address lockout that every session from the address obeys, for
 * logins and enable alike (console_auth.c). terminal monitor streams log
 * lines through a non-blocking fan-out (console_mon.c).
 *
 * Shutdown: console_stop() wakes every session (its socket shut down, its
 * failure delay cut short) and waits until the last session thread is
 * done with the configuration it reads.
 */

#include <netinet/in.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "cli.h"
#include "conf.h"
#include "ctl.h"
#include "tw_time.h"

#define CONSOLE_MAX_SESSIONS 16
#define CONSOLE_LOCK_SLOTS 64          /* addresses with recent failures */
#define CONSOLE_LOGIN_TRIES 3          /* per connection, as IOS */
#define CONSOLE_CALL_MS CTL_CONSOLE_CALL_MS /* ctl_call() timeout */
#define CONSOLE_MON_LINES 128          /* per-session monitor buffer */
#define CONSOLE_MON_LEN 320
/* User input in a log line: at most this many bytes of it, escaped. */
#define CONSOLE_ESC_IN 64
#define CONSOLE_ESC_MAX (CONSOLE_ESC_IN * 4 + 4) /* "\xNN" each, "..." */

struct console;

struct console_sess {
	struct console *con;
	int fd;
	struct tw_addr peer;           /* IPv4 or IPv6 */
	char from[64];                 /* "A.B.C.D:PORT", "[X:X::X]:PORT" */
	char addr[INET6_ADDRSTRLEN];
	struct cli_sess cs;
	unsigned int failures;         /* failed logins on this connection */
	bool timed_out;
	tw_time_t login_by;            /* login timeout: logged in by then */
	bool login_expired;            /* under con->mu */
	/* terminal monitor ring, under con->mon_mu */
	bool mon_on;
	char mon[CONSOLE_MON_LINES][CONSOLE_MON_LEN];
	unsigned int mon_head, mon_n;
	uint64_t mon_dropped;
};

/* Failed logins of one source address (IOS login block-for). */
struct console_lock {
	struct tw_addr addr;
	unsigned int failures;         /* in the current window */
	tw_time_t window_start;
	tw_time_t blocked_until;
};

struct console {
	struct ctl *ctl;
	const struct conf *conf;
	int lfd;
	pthread_t listener;
	bool listening;
	volatile int stop;
	tw_time_t started;
	pthread_mutex_t mu;            /* sessions and lockout table */
	pthread_cond_t cv;             /* stop (wakes delays), threads gone */
	struct console_sess *sess[CONSOLE_MAX_SESSIONS];
	unsigned int n_sess;
	unsigned int n_threads;        /* session threads not yet finished */
	struct console_lock lock[CONSOLE_LOCK_SLOTS];
	pthread_mutex_t mon_mu;        /* monitor rings (trylock by the tap) */
	uint64_t mon_busy;             /* lines lost to a busy fan-out */
	/* Control-lcore state of the console's own commands. */
	tw_time_t cleared_at[DP_MAX_PORTS];
	int saved_level[16];           /* debug: level before, -1 none */
	/*
	 * configure terminal, write memory: set by main.c (the composition
	 * root's confterm.c), run on the control lcore; NULL: read-only.
	 */
	int (*cfg_edit)(struct ctl *ctl, const struct cli_cfg_edit *e,
			char *err, size_t errlen);
	int (*cfg_write)(struct ctl *ctl, char *path, size_t pathlen,
			 char *err, size_t errlen);
	/* clear crypto sa counters: per SA slot (console_sacnt.c) */
	struct console_sa_base *sa_base;
	unsigned int n_sa_base;
};

/* After dp_start(): listen and serve. 0, or -errno with err filled. */
int console_start(struct console *con, struct ctl *ctl,
		  const struct conf *conf, char *err, size_t errlen);
/* Close the listener and every session; waits for their threads. */
void console_stop(struct console *con);

/* console_auth.c */
/* 0 and *priv on success, -EACCES on a wrong user or secret. */
int console_auth_user(const struct console *con, const char *user,
		      const char *secret, int *priv);
/* 0, -EACCES wrong, -ENOENT no enable secret configured. */
int console_auth_enable(const struct console *con, const char *secret);
/* Seconds addr stays blocked, 0 when it may log in. Under con->mu. */
unsigned int console_lock_check(struct console *con,
				const struct tw_addr *addr, tw_time_t now);
/* Record a failure; returns the seconds addr is now blocked, or 0. */
unsigned int console_lock_fail(struct console *con,
			       const struct tw_addr *addr, tw_time_t now);
/* Seconds s's address stays blocked, 0 when it may try. */
unsigned int console_blocked(struct console_sess *s);
/*
 * A failed login or enable of s: the failure delay, then the failure
 * counted toward s's address's lockout (logged when it starts the block).
 * Returns the seconds the address is now blocked, or 0.
 */
unsigned int console_failed(struct console_sess *s);
/* Sleep ms, woken early by console_stop(): false when stopping. */
bool console_delay(struct console *con, unsigned int ms);

/* console_mon.c */
void console_mon_init(struct console *con);
void console_mon_set(struct console *con, struct console_sess *s, bool on);
/* Drain s's buffered lines to its socket (session thread). */
void console_mon_flush(struct console *con, struct console_sess *s);

/* console_sys.c: show logging / clear logging / show clock / users. */
int console_op_logging(void *ctx, struct cli_logging *out);
int console_op_clear_logging(void *ctx);
int console_op_clock(void *ctx, int64_t *sec, uint32_t *msec);
int console_op_users(void *ctx, struct cli_user_table *out);
/* console_sacnt.c: clear crypto sa counters, the console's view only. */
struct console_sa_base;
int console_op_clear_sa_counters(void *ctx, unsigned int *n);
/* Control lcore: out (sa's counters) less those at the last clear. */
void console_sa_base_apply(struct console *con, const struct sadb_sa *sa,
			   struct sadb_sa_stats *out);
void console_sa_base_free(struct console *con);
/* console_ping.c: one echo request and its reply. */
int console_op_ping(void *ctx, struct cli_ping *p, uint64_t *rtt_us,
		    char *err, size_t errlen);

/* console_cfg.c: configure terminal, write memory (cli_ops). */
int console_op_config_edit(void *ctx, const struct cli_cfg_edit *e,
			   char *err, size_t errlen);
int console_op_write_memory(void *ctx, char *path, size_t pathlen,
			    char *err, size_t errlen);

/* console_env.c: the struct cli_ops the command tree runs on. */
extern const struct cli_ops console_ops;
/* The session the calling thread serves (for logs), or NULL. */
struct console_sess *console_current(void);
void console_set_current(struct console_sess *s);
int console_write(struct console_sess *s, const char *buf, size_t len);
/*
 * User input for a log line: control characters, non-ASCII bytes, '\\'
 * and ']' (which closes a "[user: ...]" field) as \xNN, at most
 * CONSOLE_ESC_IN bytes of src (then "..."). Returns dst.
 */
const char *console_esc(char *dst, size_t len, const char *src);

#endif /* TWINSECD_CONSOLE_H */
