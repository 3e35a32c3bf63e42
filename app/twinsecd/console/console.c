/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The telnet server: a listener thread accepts, refuses what must be
 * refused (no users configured, a blocked address, too many sessions) with
 * a clear message and a log line, and hands each session to a thread of
 * its own running libcli's cli_loop(). Logins go through libcli's
 * Username:/Password: prompts and our auth callback (crypt(3) secrets, a
 * delay after a failure, three tries per connection, the per-address
 * lockout, the login timeout); exec-timeout is libcli's idle timeout.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "applog.h"
#include "console.h"
#include "tw_compiler.h"
#include "tw_log.h"

#define ACCEPT_POLL_MS 200
#define STOP_WARN_S 2

static const char banner[] = "\r\n\r\nUser Access Verification\r\n";

static void
refuse(int fd, const char *msg)
{
	ssize_t n = send(fd, msg, strlen(msg), MSG_NOSIGNAL);

	(void)n;
	shutdown(fd, SHUT_RDWR);
	close(fd);
}

/* A registered session that never ran: say why, end the connection. */
static void
refuse_sess(struct console_sess *s, const char *msg)
{
	console_write(s, msg, strlen(msg));
	shutdown(s->fd, SHUT_RDWR);
}

/* End the connection from inside libcli: the loop reads EOF next. */
static void
hang_up(struct console_sess *s, const char *msg)
{
	console_write(s, msg, strlen(msg));
	s->cs.discard = true;
	shutdown(s->fd, SHUT_RDWR);
}

/* libcli's auth callback: no context argument, the session is ours. */
static int
auth_cb(const char *user, const char *secret)
{
	struct console_sess *s = console_current();
	struct console *con = s->con;
	char u[CONSOLE_ESC_MAX], msg[256];
	unsigned int blocked;
	bool expired;
	int priv, rc;

	console_esc(u, sizeof(u), user);
	/*
	 * IOS login block-for: the block holds for a connection that was
	 * open before it began. The secret is not even checked, so the
	 * answer cannot tell whether it was right.
	 */
	blocked = console_blocked(s);
	if (blocked != 0) {
		tw_log(TW_LOG_WARNING, "cli",
		       "%%SEC_LOGIN-4-LOGIN_FAILED: Login failed [user: %s] [Source: %s] [Reason: Logins blocked for %u more seconds (quiet mode)]",
		       u, s->addr, blocked);
		snprintf(msg, sizeof(msg),
			 "\r\n%% Login invalid\r\n%% Logins from %s are blocked for %u more seconds after too many failures\r\n",
			 s->addr, blocked);
		hang_up(s, msg);
		return CLI_ERROR;
	}
	rc = console_auth_user(con, user, secret, &priv);
	if (rc == 0) {
		/* Not past the login timeout (the listener's watch). */
		pthread_mutex_lock(&con->mu);
		expired = s->login_expired;
		if (!expired)
			cli_sess_login(&s->cs, user, priv);
		pthread_mutex_unlock(&con->mu);
		if (expired)
			return CLI_ERROR;
		tw_log(TW_LOG_NOTICE, "cli",
		       "%%SEC_LOGIN-5-LOGIN_SUCCESS: Login Success [user: %s] [Source: %s] [privilege: %d]",
		       u, s->addr, priv);
		return CLI_OK;
	}
	s->failures++;
	tw_log(TW_LOG_WARNING, "cli",
	       "%%SEC_LOGIN-4-LOGIN_FAILED: Login failed [user: %s] [Source: %s] [Reason: Login Authentication Failed]",
	       u, s->addr);
	blocked = console_failed(s);
	if (con->stop) {
		hang_up(s, "");
	} else if (blocked != 0) {
		snprintf(msg, sizeof(msg),
			 "\r\n%% Login invalid\r\n%% Too many failed logins from %s: blocked for %u seconds\r\n",
			 s->addr, blocked);
		hang_up(s, msg);
	} else if (s->failures >= CONSOLE_LOGIN_TRIES) {
		hang_up(s, "\r\n% Login invalid\r\n");
	}
	return CLI_ERROR;
}

static int
idle_cb(struct cli_def *cli TW_UNUSED)
{
	struct console_sess *s = console_current();
	char msg[128];

	s->timed_out = true;
	snprintf(msg, sizeof(msg),
		 "\r\n%% Session idle for %u seconds: disconnected (exec-timeout)\r\n",
		 s->con->conf->console.exec_timeout);
	console_write(s, msg, strlen(msg));
	return CLI_QUIT;
}

static int
regular_cb(struct cli_def *cli TW_UNUSED)
{
	struct console_sess *s = console_current();

	if (s->con->stop)
		return CLI_QUIT;
	if (s->cs.logged_in && s->mon_on)
		console_mon_flush(s->con, s);
	return CLI_OK;
}

static void
sess_remove(struct console *con, struct console_sess *s)
{
	unsigned int i;

	pthread_mutex_lock(&con->mu);
	pthread_mutex_lock(&con->mon_mu);
	for (i = 0; i < con->n_sess; i++)
		if (con->sess[i] == s) {
			con->sess[i] = con->sess[--con->n_sess];
			break;
		}
	/* Closed under mu: nobody shuts down a number reused meanwhile. */
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	pthread_mutex_unlock(&con->mon_mu);
	pthread_mutex_unlock(&con->mu);
}

/* The very last step of a session thread: console_stop() waits for it. */
static void
sess_gone(struct console *con)
{
	pthread_mutex_lock(&con->mu);
	con->n_threads--;
	pthread_cond_broadcast(&con->cv);
	pthread_mutex_unlock(&con->mu);
}

static void *
sess_main(void *arg)
{
	struct console_sess *s = arg;
	struct console *con = s->con;
	char u[CONSOLE_ESC_MAX];
	sigset_t all;
	int lfd;

	/* Signals belong to the main thread; a dead peer is EPIPE here. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	console_set_current(s);
	/*
	 * cli_loop() closes the descriptor it is given (fdopen()): it gets a
	 * duplicate, and s->fd, which console_stop() and the login watch
	 * shut down, stays ours until sess_remove() closes it.
	 */
	lfd = dup(s->fd);
	if (lfd < 0 || cli_sess_init(&s->cs, &console_ops, con, s,
				     con->conf->hostname) < 0) {
		tw_log(TW_LOG_ERR, "cli", "session from %s: out of memory",
		       s->from);
		if (lfd >= 0)
			close(lfd);
		refuse_sess(s, "% Out of memory\r\n");
		sess_remove(con, s);
		free(s);
		sess_gone(con);
		return NULL;
	}
	snprintf(s->cs.from, sizeof(s->cs.from), "%s", s->from);
	cli_set_auth_callback(s->cs.cli, auth_cb);
	if (con->conf->console.exec_timeout != 0)
		cli_set_idle_timeout_callback(s->cs.cli,
					      con->conf->console.exec_timeout,
					      idle_cb);
	cli_regular(s->cs.cli, regular_cb);
	console_write(s, banner, sizeof(banner) - 1);
	cli_loop(s->cs.cli, lfd);
	console_mon_set(con, s, false);
	sess_remove(con, s);
	tw_log(TW_LOG_NOTICE, "cli", "session of %s from %s ended%s",
	       s->cs.logged_in ? console_esc(u, sizeof(u), s->cs.user) :
	       "(not logged in)", s->from,
	       s->timed_out ? " (exec-timeout)" :
	       s->login_expired ? " (login timeout)" : "");
	cli_sess_fini(&s->cs);
	free(s);
	sess_gone(con);
	return NULL;
}

/* Refuse, or register and start a session. Under nothing. */
static void
accept_one(struct console *con, int fd, const struct sockaddr_storage *ss)
{
	const struct conf_console *k = &con->conf->console;
	struct console_sess *s;
	char addr[INET6_ADDRSTRLEN], msg[256];
	struct tw_addr peer = { .family = TW_AF_NONE };
	unsigned int blocked;
	uint16_t port = 0;
	pthread_attr_t at;
	pthread_t th;

	if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *p6 = (const void *)ss;

		peer.family = TW_AF_INET6;
		memcpy(peer.v6, &p6->sin6_addr, 16);
		port = ntohs(p6->sin6_port);
	} else {
		const struct sockaddr_in *p4 = (const void *)ss;

		peer = tw_addr_v4(ntohl(p4->sin_addr.s_addr));
		port = ntohs(p4->sin_port);
	}
	tw_addr_str(&peer, addr, sizeof(addr));
	if (k->n_users == 0) {
		tw_log(TW_LOG_WARNING, "cli",
		       "console login from %s refused: no console users are configured (console.users in %s)",
		       addr, con->conf->path);
		refuse(fd, "\r\n% Console logins are disabled: no console users are configured\r\n");
		return;
	}
	pthread_mutex_lock(&con->mu);
	blocked = console_lock_check(con, &peer, ctl_now());
	if (blocked == 0 && con->n_sess >= k->max_sessions) {
		pthread_mutex_unlock(&con->mu);
		tw_log(TW_LOG_WARNING, "cli",
		       "console login from %s refused: all %u sessions in use",
		       addr, k->max_sessions);
		snprintf(msg, sizeof(msg),
			 "\r\n%% All %u console sessions are in use, try again later\r\n",
			 k->max_sessions);
		refuse(fd, msg);
		return;
	}
	if (blocked != 0) {
		pthread_mutex_unlock(&con->mu);
		tw_log(TW_LOG_WARNING, "cli",
		       "console login from %s refused: blocked for %u more seconds after failed logins",
		       addr, blocked);
		snprintf(msg, sizeof(msg),
			 "\r\n%% Logins from %s are blocked for %u more seconds after too many failures\r\n",
			 addr, blocked);
		refuse(fd, msg);
		return;
	}
	s = calloc(1, sizeof(*s));
	if (s == NULL) {
		pthread_mutex_unlock(&con->mu);
		refuse(fd, "% Out of memory\r\n");
		return;
	}
	s->con = con;
	s->fd = fd;
	s->peer = peer;
	s->login_by = ctl_now() + TW_SEC(k->login_timeout);
	snprintf(s->addr, sizeof(s->addr), "%s", addr);
	snprintf(s->from, sizeof(s->from),
		 peer.family == TW_AF_INET6 ? "[%s]:%u" : "%s:%u", addr, port);
	pthread_mutex_lock(&con->mon_mu);
	con->sess[con->n_sess++] = s;
	pthread_mutex_unlock(&con->mon_mu);
	con->n_threads++;
	pthread_mutex_unlock(&con->mu);
	tw_log(TW_LOG_INFO, "cli", "console connection from %s", s->from);
	pthread_attr_init(&at);
	pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
	if (pthread_create(&th, &at, sess_main, s) != 0) {
		refuse_sess(s, "% Cannot start a session\r\n");
		sess_remove(con, s);
		free(s);
		sess_gone(con);
	}
	pthread_attr_destroy(&at);
}

/*
 * IOS timeout login response: a connection not logged in by its deadline
 * is told so and shut down, whether it is silent or keeps typing (libcli's
 * idle timer restarts at every byte), which frees its slot. Its own
 * thread then sees end of file and leaves.
 */
static void
login_watch(struct console *con)
{
	const struct conf_console *k = &con->conf->console;
	char msg[128], from[CONSOLE_MAX_SESSIONS][64];
	tw_time_t now = ctl_now();
	unsigned int i, n = 0;
	ssize_t sent;
	int len;

	len = snprintf(msg, sizeof(msg),
		       "\r\n%% Login not completed within %u seconds: disconnected (login timeout)\r\n",
		       k->login_timeout);
	pthread_mutex_lock(&con->mu);
	for (i = 0; i < con->n_sess; i++) {
		struct console_sess *s = con->sess[i];

		if (s->cs.logged_in || s->login_expired || s->fd < 0 ||
		    now < s->login_by)
			continue;
		s->login_expired = true;
		/* One short send: it does not interleave with the echo. A
		 * peer that cannot take it only gets the shutdown. */
		sent = send(s->fd, msg, (size_t)len,
			    MSG_NOSIGNAL | MSG_DONTWAIT);
		(void)sent;
		shutdown(s->fd, SHUT_RDWR);
		snprintf(from[n++], sizeof(from[0]), "%s", s->from);
	}
	pthread_mutex_unlock(&con->mu);
	for (i = 0; i < n; i++)
		tw_log(TW_LOG_NOTICE, "cli",
		       "console login from %s timed out: not logged in within %u seconds",
		       from[i], k->login_timeout);
}

static void *
listen_main(void *arg)
{
	struct console *con = arg;
	struct pollfd p = { .fd = con->lfd, .events = POLLIN };
	struct sockaddr_storage peer;
	socklen_t plen;
	sigset_t all;
	int fd;

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	while (!con->stop) {
		login_watch(con);
		if (poll(&p, 1, ACCEPT_POLL_MS) <= 0)
			continue;
		plen = sizeof(peer);
		fd = accept(con->lfd, (struct sockaddr *)&peer, &plen);
		if (fd < 0)
			continue;
		accept_one(con, fd, &peer);
	}
	return NULL;
}

int
console_start(struct console *con, struct ctl *ctl, const struct conf *conf,
	      char *err, size_t errlen)
{
	const struct conf_console *k = &conf->console;
	struct sockaddr_in sa = { .sin_family = AF_INET };
	struct sockaddr_in6 sa6 = { .sin6_family = AF_INET6 };
	const struct sockaddr *bind_sa = (const struct sockaddr *)&sa;
	socklen_t bind_len = sizeof(sa);
	char addr[INET6_ADDRSTRLEN + 2];
	pthread_condattr_t ca;
	unsigned int i;
	int one = 1, rc;

	memset(con, 0, sizeof(*con));
	con->ctl = ctl;
	con->conf = conf;
	con->lfd = -1;
	con->started = ctl_now();
	for (i = 0; i < sizeof(con->saved_level) / sizeof(con->saved_level[0]); i++)
		con->saved_level[i] = -1;
	pthread_mutex_init(&con->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&con->cv, &ca);
	pthread_condattr_destroy(&ca);
	console_mon_init(con);
	if (!k->enabled)
		return 0;
	sa.sin_addr.s_addr = htonl(k->listen_addr);
	sa.sin_port = htons(k->listen_port);
	if (k->listen.family == TW_AF_INET6) {
		memcpy(&sa6.sin6_addr, k->listen.v6, 16);
		sa6.sin6_port = htons(k->listen_port);
		bind_sa = (const struct sockaddr *)&sa6;
		bind_len = sizeof(sa6);
		addr[0] = '[';
		tw_addr_str(&k->listen, addr + 1, sizeof(addr) - 2);
		strcat(addr, "]");
	} else {
		inet_ntop(AF_INET, &sa.sin_addr, addr, sizeof(addr));
	}
	con->lfd = socket(bind_sa->sa_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (con->lfd < 0)
		goto fail;
	setsockopt(con->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	/* Only the configured family: "::" must not mean 0.0.0.0 too. */
	if (bind_sa->sa_family == AF_INET6)
		setsockopt(con->lfd, IPPROTO_IPV6, IPV6_V6ONLY, &one,
			   sizeof(one));
	if (bind(con->lfd, bind_sa, bind_len) < 0 ||
	    listen(con->lfd, 8) < 0)
		goto fail;
	rc = pthread_create(&con->listener, NULL, listen_main, con);
	if (rc != 0) {
		errno = rc;
		goto fail;
	}
	con->listening = true;
	tw_log(TW_LOG_NOTICE, "cli",
	       "console listening on %s:%u (telnet), %u user%s, %u sessions at most",
	       addr, k->listen_port, k->n_users, k->n_users == 1 ? "" : "s",
	       k->max_sessions);
	if (k->n_users == 0)
		tw_log(TW_LOG_WARNING, "cli",
		       "console has no users (console.users in %s): every login will be refused",
		       conf->path);
	return 0;
fail:
	rc = -errno;
	snprintf(err, errlen, "%s:%d: console cannot listen on %s:%u: %s",
		 conf->path, k->line, addr, k->listen_port, strerror(-rc));
	if (con->lfd >= 0)
		close(con->lfd);
	con->lfd = -1;
	return rc;
}

void
console_stop(struct console *con)
{
	struct timespec dl;
	unsigned int i;

	con->stop = 1;
	if (con->listening)
		pthread_join(con->listener, NULL);
	con->listening = false;
	if (con->lfd >= 0)
		close(con->lfd);
	con->lfd = -1;
	/*
	 * Wake every session: a socket shut down ends its reads and writes,
	 * the broadcast its failure delay. Then wait for the last thread:
	 * they read con->conf, which the caller frees next. Every wait a
	 * session can be in is woken here or bounded (ctl_call()), so this
	 * ends; a slow one is logged.
	 */
	pthread_mutex_lock(&con->mu);
	for (i = 0; i < con->n_sess; i++)
		if (con->sess[i]->fd >= 0)
			shutdown(con->sess[i]->fd, SHUT_RDWR);
	pthread_cond_broadcast(&con->cv);
	clock_gettime(CLOCK_MONOTONIC, &dl);
	dl.tv_sec += STOP_WARN_S;
	while (con->n_threads > 0)
		if (pthread_cond_timedwait(&con->cv, &con->mu, &dl) ==
		    ETIMEDOUT) {
			tw_log(TW_LOG_WARNING, "cli",
			       "console stop: waiting for %u session thread%s",
			       con->n_threads, con->n_threads == 1 ? "" : "s");
			dl.tv_sec += STOP_WARN_S;
		}
	pthread_mutex_unlock(&con->mu);
	applog_set_tap(NULL);
	console_sa_base_free(con);
}
