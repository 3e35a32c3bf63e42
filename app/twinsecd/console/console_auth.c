/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Console logins: crypt(3) SHA-512 secrets from the config, and the
 * per-address lockout (IOS "login block-for D attempts N within W").
 * The lockout table is small and fixed: a full table recycles the entry
 * whose window is oldest (never a blocked one while another is free).
 *
 * A failed login and a wrong enable secret cost the same: the failure
 * delay (IOS login delay), then one failure toward the address's lockout.
 * The block holds for every session from the address, also those already
 * connected when it starts: they are asked at each attempt, not only when
 * they connected.
 */
#include <arpa/inet.h>
#include <crypt.h>
#include <errno.h>
#include <string.h>
#include <time.h>

#include "console.h"
#include "tw_log.h"

static bool
secret_ok(const char *hash, const char *secret)
{
	struct crypt_data cd;
	const char *h;
	bool ok;

	memset(&cd, 0, sizeof(cd));
	h = crypt_r(secret, hash, &cd);
	/* Constant-time compare: the hash has a fixed length. */
	ok = h != NULL && h[0] != '*' && strlen(h) == strlen(hash);
	if (ok) {
		unsigned char d = 0;
		size_t i;

		for (i = 0; hash[i] != '\0'; i++)
			d |= (unsigned char)(h[i] ^ hash[i]);
		ok = d == 0;
	}
	explicit_bzero(&cd, sizeof(cd));
	return ok;
}

int
console_auth_user(const struct console *con, const char *user,
		  const char *secret, int *priv)
{
	const struct conf_console *k = &con->conf->console;
	unsigned int i;

	for (i = 0; i < k->n_users; i++) {
		if (strcmp(k->users[i].name, user) != 0)
			continue;
		if (!secret_ok(k->users[i].secret, secret))
			return -EACCES;
		*priv = k->users[i].privilege;
		return 0;
	}
	/* An unknown user costs the same as a wrong secret. */
	secret_ok("$6$twinsecnouser$", secret);
	return -EACCES;
}

int
console_auth_enable(const struct console *con, const char *secret)
{
	const char *h = con->conf->console.enable_secret;

	if (h[0] == '\0')
		return -ENOENT;
	return secret_ok(h, secret) ? 0 : -EACCES;
}

static struct console_lock *
lock_find(struct console *con, const struct tw_addr *addr)
{
	unsigned int i;

	for (i = 0; i < CONSOLE_LOCK_SLOTS; i++)
		if (tw_addr_eq(&con->lock[i].addr, addr) &&
		    con->lock[i].window_start != 0)
			return &con->lock[i];
	return NULL;
}

unsigned int
console_lock_check(struct console *con, const struct tw_addr *addr,
		   tw_time_t now)
{
	struct console_lock *l = lock_find(con, addr);

	if (l == NULL || l->blocked_until <= now)
		return 0;
	return (unsigned int)((l->blocked_until - now + TW_SEC(1) - 1) /
			      TW_SEC(1));
}

unsigned int
console_lock_fail(struct console *con, const struct tw_addr *addr,
		  tw_time_t now)
{
	const struct conf_console *k = &con->conf->console;
	struct console_lock *l = lock_find(con, addr), *old = NULL;
	unsigned int i;

	if (l == NULL) {
		for (i = 0; i < CONSOLE_LOCK_SLOTS; i++) {
			struct console_lock *c = &con->lock[i];

			if (c->window_start == 0 ||
			    (c->blocked_until <= now &&
			     (old == NULL || c->window_start < old->window_start)))
				old = c;
			if (c->window_start == 0)
				break;
		}
		if (old == NULL)
			return 0; /* every slot blocked: nothing to record in */
		l = old;
		memset(l, 0, sizeof(*l));
		l->addr = *addr;
	}
	if (l->window_start == 0 ||
	    now - l->window_start > TW_SEC(k->lockout_window)) {
		l->window_start = now;
		l->failures = 0;
	}
	if (++l->failures < k->lockout_failures)
		return 0;
	l->blocked_until = now + TW_SEC(k->lockout_duration);
	l->failures = 0;
	l->window_start = now;
	return k->lockout_duration;
}

unsigned int
console_blocked(struct console_sess *s)
{
	struct console *con = s->con;
	unsigned int blocked;

	pthread_mutex_lock(&con->mu);
	blocked = console_lock_check(con, &s->peer, ctl_now());
	pthread_mutex_unlock(&con->mu);
	return blocked;
}

unsigned int
console_failed(struct console_sess *s)
{
	struct console *con = s->con;
	const struct conf_console *k = &con->conf->console;
	unsigned int blocked;

	/* IOS login delay: slows guessing down, per connection. */
	if (!console_delay(con, k->login_delay_ms))
		return 0;
	pthread_mutex_lock(&con->mu);
	blocked = console_lock_fail(con, &s->peer, ctl_now());
	pthread_mutex_unlock(&con->mu);
	if (blocked != 0)
		tw_log(TW_LOG_WARNING, "cli",
		       "%%SEC_LOGIN-1-QUIET_MODE_ON: %u failed logins from %s within %u seconds: logins from it blocked for %u seconds",
		       k->lockout_failures, s->addr, k->lockout_window,
		       blocked);
	return blocked;
}

bool
console_delay(struct console *con, unsigned int ms)
{
	struct timespec dl;
	bool stopping;

	clock_gettime(CLOCK_MONOTONIC, &dl);
	dl.tv_sec += ms / 1000;
	dl.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (dl.tv_nsec >= 1000000000L) {
		dl.tv_sec++;
		dl.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&con->mu);
	while (!con->stop &&
	       pthread_cond_timedwait(&con->cv, &con->mu, &dl) != ETIMEDOUT)
		;
	stopping = con->stop != 0;
	pthread_mutex_unlock(&con->mu);
	return !stopping;
}
