/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * console = { listen; users; enable_secret; exec_timeout; max_sessions;
 *             login_delay_ms; login_timeout;
 *             lockout = { failures; window; duration; }; }
 *
 * The telnet management console. Without the section there is no console.
 * Secrets are crypt(3) SHA-512 hashes ("$6$salt$hash", mkpasswd -m
 * sha-512): the file never holds a password. There is no default user,
 * and a console section without users is refused: every login to it
 * would fail (leave the section out for no console).
 */
#include <stdlib.h>
#include <string.h>

#include "conf_priv.h"

static const struct conf_key console_keys[] = {
	{ "listen", CONF_T_STRING, false },
	{ "users", CONF_T_LIST, false },
	{ "enable_secret", CONF_T_STRING, false },
	{ "exec_timeout", CONF_T_INT, false },
	{ "max_sessions", CONF_T_INT, false },
	{ "login_delay_ms", CONF_T_INT, false },
	{ "login_timeout", CONF_T_INT, false },
	{ "lockout", CONF_T_GROUP, false },
	{ NULL, 0, false },
};

static const struct conf_key user_keys[] = {
	{ "name", CONF_T_STRING, true },
	{ "secret", CONF_T_STRING, true },
	{ "privilege", CONF_T_INT, false },
	{ NULL, 0, false },
};

static const struct conf_key lockout_keys[] = {
	{ "failures", CONF_T_INT, false },
	{ "window", CONF_T_INT, false },
	{ "duration", CONF_T_INT, false },
	{ NULL, 0, false },
};

#define LISTEN_DEFAULT_ADDR 0x7f000001u /* 127.0.0.1 */
#define LISTEN_DEFAULT_PORT 2323
#define EXEC_TIMEOUT_DEFAULT 600        /* IOS exec-timeout 10 0 */
#define EXEC_TIMEOUT_MAX 86400
#define MAX_SESSIONS_DEFAULT 5
#define MAX_SESSIONS_MAX 16
#define LOGIN_DELAY_DEFAULT 1000        /* IOS login delay 1 */
#define LOGIN_DELAY_MAX 10000
#define LOGIN_TIMEOUT_DEFAULT 30        /* IOS timeout login response 30 */
#define LOGIN_TIMEOUT_MAX 300           /* IOS's range: 1-300 */
#define LOCKOUT_FAILURES_DEFAULT 5      /* IOS login block-for 120 */
#define LOCKOUT_WINDOW_DEFAULT 60       /*   attempts 5 within 60 */
#define LOCKOUT_DURATION_DEFAULT 120
#define LOCKOUT_MAX 86400

static void
set_defaults(struct conf_console *k)
{
	k->listen_addr = LISTEN_DEFAULT_ADDR;
	k->listen = tw_addr_v4(LISTEN_DEFAULT_ADDR);
	k->listen_port = LISTEN_DEFAULT_PORT;
	k->exec_timeout = EXEC_TIMEOUT_DEFAULT;
	k->max_sessions = MAX_SESSIONS_DEFAULT;
	k->login_delay_ms = LOGIN_DELAY_DEFAULT;
	k->login_timeout = LOGIN_TIMEOUT_DEFAULT;
	k->lockout_failures = LOCKOUT_FAILURES_DEFAULT;
	k->lockout_window = LOCKOUT_WINDOW_DEFAULT;
	k->lockout_duration = LOCKOUT_DURATION_DEFAULT;
}

static bool
b64_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '.' || c == '/';
}

/*
 * crypt(3) SHA-512: "$6$" ["rounds=N$"] salt (1-16 of [./0-9A-Za-z]) "$"
 * 86 characters of the same alphabet.
 */
static bool
sha512_crypt_ok(const char *s)
{
	const char *p, *end;
	size_t n;

	if (strncmp(s, "$6$", 3) != 0)
		return false;
	p = s + 3;
	if (strncmp(p, "rounds=", 7) == 0) {
		p += 7;
		if (*p < '0' || *p > '9')
			return false;
		while (*p >= '0' && *p <= '9')
			p++;
		if (*p++ != '$')
			return false;
	}
	end = strchr(p, '$');
	if (end == NULL || end == p || end - p > 16)
		return false;
	for (; p < end; p++)
		if (!b64_char(*p))
			return false;
	p = end + 1;
	n = strlen(p);
	if (n != 86)
		return false;
	for (; *p != '\0'; p++)
		if (!b64_char(*p))
			return false;
	return true;
}

static int
get_secret(struct conf_ctx *x, const config_setting_t *g, const char *key,
	   const char *where, char *dst)
{
	const config_setting_t *m = config_setting_get_member(g, key);
	const char *s;

	if (m == NULL)
		return 0;
	conf_secret(x, m, "console secret");
	s = config_setting_get_string(m);
	if (strlen(s) >= CONF_SECRET_MAX || !sha512_crypt_ok(s))
		return conf_err(x, m,
				"bad %s %s: expected a crypt(3) SHA-512 hash \"$6$salt$hash\" (mkpasswd -m sha-512), never a password",
				key, where);
	conf_strlcpy(dst, s, CONF_SECRET_MAX);
	return 0;
}

static int
parse_listen(struct conf_ctx *x, const config_setting_t *s,
	     struct conf_console *k)
{
	const config_setting_t *m = config_setting_get_member(s, "listen");
	char addr[TW_ADDR_STRLEN];
	const char *v, *colon, *a;
	size_t alen;
	char *end;
	long port;

	if (m == NULL)
		return 0;
	v = config_setting_get_string(m);
	colon = strrchr(v, ':');
	if (colon == NULL)
		goto bad;
	/* "[X:X::X]:PORT" for IPv6 (RFC 3986 3.2.2), "A.B.C.D:PORT". */
	a = v;
	alen = (size_t)(colon - v);
	if (v[0] == '[') {
		if (alen < 2 || colon[-1] != ']')
			goto bad;
		a = v + 1;
		alen -= 2;
	}
	if (alen >= sizeof(addr))
		goto bad;
	memcpy(addr, a, alen);
	addr[alen] = '\0';
	if (tw_addr_parse(addr, &k->listen) != 0 ||
	    (a == v) != (k->listen.family == TW_AF_INET))
		goto bad;
	k->listen_addr = k->listen.family == TW_AF_INET ? k->listen.v4 : 0;
	if (colon[1] < '1' || colon[1] > '9')
		goto bad;
	port = strtol(colon + 1, &end, 10);
	if (*end != '\0' || port < 1 || port > 65535)
		goto bad;
	k->listen_port = (uint16_t)port;
	return 0;
bad:
	return conf_err(x, m,
			"bad listen '%s' in console (expected A.B.C.D:PORT or [X:X::X]:PORT, port 1-65535)",
			v);
}

static int
parse_user(struct conf_ctx *x, const config_setting_t *g, int idx,
	   struct conf_console *k)
{
	struct conf_console_user *u = &k->users[k->n_users++];
	char where[CONF_WHERE_MAX];
	int64_t priv = 1;
	unsigned int i;
	int rc;

	u->line = config_setting_source_line(g);
	conf_where(where, "in console user #%d", idx + 1);
	rc = conf_check_keys(x, g, user_keys, where);
	if (rc == 0)
		rc = conf_get_name(x, g, "name", where, u->name);
	if (rc != 0)
		return rc;
	for (i = 0; i + 1 < k->n_users; i++)
		if (strcmp(k->users[i].name, u->name) == 0)
			return conf_err(x, config_setting_get_member(g, "name"),
					"duplicate console user '%s' (first defined at line %d)",
					u->name, k->users[i].line);
	conf_where(where, "of console user '%s'", u->name);
	rc = get_secret(x, g, "secret", where, u->secret);
	if (rc != 0)
		return rc;
	conf_where(where, "in console user '%s'", u->name);
	rc = conf_get_int(x, g, "privilege", where, 1, 15, &priv);
	if (rc != 0)
		return rc;
	/* IOS has 16 levels; the console knows user EXEC and privileged EXEC. */
	if (priv != 1 && priv != 15)
		return conf_err(x, config_setting_get_member(g, "privilege"),
				"privilege %d %s: 1 (user EXEC) or 15 (privileged EXEC)",
				(int)priv, where);
	u->privilege = (uint8_t)priv;
	return 0;
}

static int
parse_users(struct conf_ctx *x, const config_setting_t *s,
	    struct conf_console *k)
{
	const config_setting_t *l = config_setting_get_member(s, "users");
	int i, n, rc;

	if (l == NULL)
		return 0;
	rc = conf_check_list_of_groups(x, l, "users");
	if (rc != 0)
		return rc;
	n = config_setting_length(l);
	if (n > CONF_CONSOLE_MAX_USERS)
		return conf_err(x, l, "%d console users, at most %d", n,
				CONF_CONSOLE_MAX_USERS);
	if (n == 0)
		return 0;
	k->users = calloc((size_t)n, sizeof(k->users[0]));
	if (k->users == NULL)
		return conf_nomem(x);
	for (i = 0; i < n; i++) {
		rc = parse_user(x, config_setting_get_elem(l, i), i, k);
		if (rc != 0)
			return rc;
	}
	return 0;
}

static int
parse_lockout(struct conf_ctx *x, const config_setting_t *s,
	      struct conf_console *k)
{
	const config_setting_t *g = config_setting_get_member(s, "lockout");
	const char *where = "in console lockout";
	int64_t failures = k->lockout_failures, window = k->lockout_window;
	int64_t duration = k->lockout_duration;
	int rc;

	if (g == NULL)
		return 0;
	rc = conf_check_keys(x, g, lockout_keys, where);
	if (rc == 0)
		rc = conf_get_int(x, g, "failures", where, 1, 1000, &failures);
	if (rc == 0)
		rc = conf_get_int(x, g, "window", where, 1, LOCKOUT_MAX,
				  &window);
	if (rc == 0)
		rc = conf_get_int(x, g, "duration", where, 1, LOCKOUT_MAX,
				  &duration);
	k->lockout_failures = (uint32_t)failures;
	k->lockout_window = (uint32_t)window;
	k->lockout_duration = (uint32_t)duration;
	return rc;
}

int
conf_parse_console(struct conf_ctx *x, const config_setting_t *s)
{
	struct conf_console *k = &x->conf->console;
	const char *where = "in console";
	int64_t exec_timeout = EXEC_TIMEOUT_DEFAULT;
	int64_t max_sessions = MAX_SESSIONS_DEFAULT;
	int64_t delay = LOGIN_DELAY_DEFAULT;
	int64_t login_timeout = LOGIN_TIMEOUT_DEFAULT;
	int rc;

	set_defaults(k);
	if (s == NULL)
		return 0;
	k->enabled = true;
	k->line = config_setting_source_line(s);
	rc = conf_check_keys(x, s, console_keys, where);
	if (rc == 0)
		rc = parse_listen(x, s, k);
	if (rc == 0)
		rc = conf_get_int(x, s, "exec_timeout", where, 0,
				  EXEC_TIMEOUT_MAX, &exec_timeout);
	if (rc == 0)
		rc = conf_get_int(x, s, "max_sessions", where, 1,
				  MAX_SESSIONS_MAX, &max_sessions);
	if (rc == 0)
		rc = conf_get_int(x, s, "login_delay_ms", where, 0,
				  LOGIN_DELAY_MAX, &delay);
	/* A connection must log in within this: a silent one holds a slot. */
	if (rc == 0)
		rc = conf_get_int(x, s, "login_timeout", where, 1,
				  LOGIN_TIMEOUT_MAX, &login_timeout);
	if (rc == 0)
		rc = get_secret(x, s, "enable_secret", where,
				k->enable_secret);
	if (rc == 0)
		rc = parse_lockout(x, s, k);
	if (rc == 0)
		rc = parse_users(x, s, k);
	if (rc == 0 && k->n_users == 0) {
		const config_setting_t *u = config_setting_get_member(s, "users");

		rc = conf_err(x, u != NULL ? u : s,
			      "console has no users: every login would be refused (give users = ( { name = \"admin\"; secret = \"$6$...\"; privilege = 15; } ); with a hash from mkpasswd -m sha-512, or leave out the console section)");
	}
	k->exec_timeout = (uint32_t)exec_timeout;
	k->max_sessions = (unsigned int)max_sessions;
	k->login_delay_ms = (uint32_t)delay;
	k->login_timeout = (uint32_t)login_timeout;
	return rc;
}
