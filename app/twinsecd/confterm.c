/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * configure terminal and write memory (confterm.h), on the control lcore.
 *
 * A change is made on a copy of the running configuration's settings
 * (reload_running(): libconfig's tree, written out and read back), the
 * copy is written to a temporary file beside the configuration file, and
 * reload_apply_file() validates, diffs and applies it exactly as a
 * SIGHUP reload would: what reload cannot apply at run time is refused
 * with its reason and nothing changes. There is no second apply path.
 *
 * write memory writes the running settings to the configuration file:
 * a temporary file (FILE's mode and owner), fsync, the old file kept as
 * FILE.bak (a hard link), rename over FILE, fsync of the directory.
 * libconfig writes the settings: comments are not kept and an @include
 * is written out in place.
 */
#include <crypt.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "confterm.h"
#include "reload.h"
#include "tw_log.h"

/* A copy of the running settings to edit. 0 or -errno with err. */
static int
running_copy(config_t *out, char *err, size_t errlen)
{
	const config_t *run = reload_running();
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	int rc = 0;

	if (run == NULL) {
		snprintf(err, errlen, "the running configuration is not known yet");
		return -EAGAIN;
	}
	f = open_memstream(&buf, &len);
	if (f == NULL)
		return -ENOMEM;
	config_write(run, f);
	if (fclose(f) != 0 || buf == NULL) {
		free(buf);
		return -ENOMEM;
	}
	config_init(out);
	if (config_read_string(out, buf) != CONFIG_TRUE) {
		snprintf(err, errlen, "cannot copy the running configuration: %s",
			 config_error_text(out));
		config_destroy(out);
		rc = -EINVAL;
	}
	explicit_bzero(buf, len);
	free(buf);
	return rc;
}

/* The group of list l whose string key is val (or int key ival). */
static config_setting_t *
find_in(const config_setting_t *l, const char *key, const char *val,
	int ival, int *index)
{
	config_setting_t *g;
	const char *s;
	int i, v;

	if (l == NULL)
		return NULL;
	for (i = 0; (g = config_setting_get_elem(l, (unsigned int)i)) != NULL;
	     i++) {
		if (val != NULL ?
		    config_setting_lookup_string(g, key, &s) == CONFIG_TRUE &&
		    strcmp(s, val) == 0 :
		    config_setting_lookup_int(g, key, &v) == CONFIG_TRUE &&
		    v == ival) {
			if (index != NULL)
				*index = i;
			return g;
		}
	}
	return NULL;
}

/* Member name of g set to a value of type t (created if missing). */
static config_setting_t *
member(config_setting_t *g, const char *name, int t)
{
	config_setting_t *m = config_setting_get_member(g, name);

	if (m != NULL && config_setting_type(m) != t) {
		config_setting_remove(g, name);
		m = NULL;
	}
	if (m == NULL)
		m = config_setting_add(g, name, t);
	return m;
}

static int
set_str(config_setting_t *g, const char *name, const char *v)
{
	config_setting_t *m = member(g, name, CONFIG_TYPE_STRING);

	return m != NULL && config_setting_set_string(m, v) == CONFIG_TRUE ?
		0 : -ENOMEM;
}

static int
set_int(config_setting_t *g, const char *name, int v, bool hex)
{
	config_setting_t *m = member(g, name, CONFIG_TYPE_INT);

	if (m == NULL || config_setting_set_int(m, v) != CONFIG_TRUE)
		return -ENOMEM;
	if (hex)
		config_setting_set_format(m, CONFIG_FORMAT_HEX);
	return 0;
}

static int
edit_standby(config_t *cfg, const struct cli_cfg_edit *e, char *err,
	     size_t errlen)
{
	config_setting_t *ifc, *g, *m;

	ifc = find_in(config_lookup(cfg, "interfaces"), "name", e->iface, 0,
		      NULL);
	if (ifc == NULL) {
		snprintf(err, errlen, "interface %s is not configured",
			 e->iface);
		return -ENOENT;
	}
	g = find_in(config_setting_get_member(ifc, "standby"), "group", NULL,
		    e->group, NULL);
	if (g == NULL) {
		snprintf(err, errlen, "standby group %d is not configured on %s: a new group (its virtual IP) needs a restart",
			 e->group, e->iface);
		return -ENOENT;
	}
	if (e->kind == CLI_CFG_STANDBY_PRIORITY)
		return set_int(g, "priority", e->value, false);
	m = member(g, "preempt", CONFIG_TYPE_BOOL);
	return m != NULL && config_setting_set_bool(m, e->flag) ==
		CONFIG_TRUE ? 0 : -ENOMEM;
}

/* A crypt(3) SHA-512 hash of a clear-text secret, random salt. */
static int
hash_secret(const char *plain, char *out, size_t len)
{
	static const char abc[] =
		"./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
	unsigned char rnd[16];
	char salt[3 + sizeof(rnd) + 2];
	struct crypt_data *cd;
	const char *h;
	size_t i;
	int rc = 0;

	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
		return -EIO;
	memcpy(salt, "$6$", 3);
	for (i = 0; i < sizeof(rnd); i++)
		salt[3 + i] = abc[rnd[i] % (sizeof(abc) - 1)];
	salt[3 + sizeof(rnd)] = '$';
	salt[4 + sizeof(rnd)] = '\0';
	cd = calloc(1, sizeof(*cd));
	if (cd == NULL)
		return -ENOMEM;
	h = crypt_r(plain, salt, cd);
	if (h == NULL || h[0] == '*' || strlen(h) >= len)
		rc = -EINVAL;
	else
		snprintf(out, len, "%s", h);
	explicit_bzero(cd, sizeof(*cd));
	free(cd);
	return rc;
}

static int
edit_user(config_t *cfg, const struct cli_cfg_edit *e, char *err,
	  size_t errlen)
{
	config_setting_t *con = config_lookup(cfg, "console"), *users, *u;
	char hash[160];
	int i, rc;

	users = con != NULL ? config_setting_get_member(con, "users") : NULL;
	if (users == NULL) {
		snprintf(err, errlen, "no console users section: adding one needs a restart");
		return -ENOENT;
	}
	u = find_in(users, "name", e->name, 0, &i);
	if (e->kind == CLI_CFG_USER_DEL) {
		if (u == NULL) {
			snprintf(err, errlen, "user %s does not exist",
				 e->name);
			return -ENOENT;
		}
		return config_setting_remove_elem(users, (unsigned int)i) ==
			CONFIG_TRUE ? 0 : -EINVAL;
	}
	if (e->flag) {
		snprintf(hash, sizeof(hash), "%s", e->secret);
	} else {
		rc = hash_secret(e->secret, hash, sizeof(hash));
		if (rc < 0) {
			snprintf(err, errlen, "cannot hash the secret");
			return rc;
		}
	}
	if (u == NULL) {
		u = config_setting_add(users, NULL, CONFIG_TYPE_GROUP);
		if (u == NULL || set_str(u, "name", e->name) < 0)
			return -ENOMEM;
	}
	rc = set_str(u, "secret", hash);
	if (rc == 0)
		rc = set_int(u, "privilege", e->value, false);
	explicit_bzero(hash, sizeof(hash));
	return rc;
}

static int
set_sakey(config_setting_t *entry, const char *name,
	  const struct cli_cfg_sakey *k)
{
	config_setting_t *g = member(entry, name, CONFIG_TYPE_GROUP);

	if (g == NULL || set_int(g, "spi", (int)k->spi, true) < 0 ||
	    set_str(g, "key", k->key) < 0)
		return -ENOMEM;
	if (k->auth_key[0] != '\0')
		return set_str(g, "auth_key", k->auth_key);
	config_setting_remove(g, "auth_key");
	return 0;
}

static int
set_match(config_setting_t *entry, const struct cli_cfg_edit *e)
{
	config_setting_t *l, *g;

	config_setting_remove(entry, "match");
	l = config_setting_add(entry, "match", CONFIG_TYPE_LIST);
	g = l != NULL ? config_setting_add(l, NULL, CONFIG_TYPE_GROUP) : NULL;
	if (g == NULL || set_str(g, "action", "protect") < 0 ||
	    set_str(g, "src", e->match_src) < 0 ||
	    set_str(g, "dst", e->match_dst) < 0)
		return -ENOMEM;
	return 0;
}

/* What a new entry of e's type still lacks, or "" when complete. */
static void
missing(const struct cli_cfg_edit *e, char *out, size_t len)
{
	bool manual = strcmp(e->type, "ipsec-manual") == 0;

	snprintf(out, len, "%s%s%s%s%s",
		 e->set & CLI_CME_PEER ? "" : " set peer;",
		 e->set & CLI_CME_TSET ? "" : " set transform-set;",
		 e->set & CLI_CME_MATCH ? "" : " match address;",
		 !manual || e->set & CLI_CME_IN ? "" :
		 " set session-key inbound;",
		 !manual || e->set & CLI_CME_OUT ? "" :
		 " set session-key outbound;");
}

static int
edit_entry(config_t *cfg, const struct cli_cfg_edit *e, char *err,
	   size_t errlen, bool *changed)
{
	config_setting_t *map, *entries, *en;
	const char *type;
	char miss[160];
	int i, rc = 0;

	map = find_in(config_lookup(cfg, "crypto_maps"), "name", e->map, 0,
		      NULL);
	entries = map != NULL ? config_setting_get_member(map, "entries") :
		NULL;
	if (entries == NULL) {
		snprintf(err, errlen, "crypto map %s is not configured: a new crypto map needs a restart",
			 e->map);
		return -ENOENT;
	}
	en = find_in(entries, "seq", NULL, e->seq, &i);
	if (e->kind == CLI_CFG_CMAP_DEL) {
		if (en == NULL) {
			snprintf(err, errlen, "crypto map %s %d does not exist",
				 e->map, e->seq);
			return -ENOENT;
		}
		return config_setting_remove_elem(entries, (unsigned int)i) ==
			CONFIG_TRUE ? 0 : -EINVAL;
	}
	if (en != NULL) {
		if (config_setting_lookup_string(en, "type", &type) ==
		    CONFIG_TRUE && strcmp(type, e->type) != 0) {
			snprintf(err, errlen, "crypto map %s %d is %s, not %s: remove it first (no crypto map %s %d)",
				 e->map, e->seq, type, e->type, e->map,
				 e->seq);
			return -EEXIST;
		}
	} else {
		missing(e, miss, sizeof(miss));
		if (miss[0] != '\0') {
			snprintf(err, errlen, "crypto map %s %d incomplete, not applied yet; missing:%s",
				 e->map, e->seq, miss);
			return -EAGAIN;
		}
		en = config_setting_add(entries, NULL, CONFIG_TYPE_GROUP);
		if (en == NULL || set_int(en, "seq", e->seq, false) < 0 ||
		    set_str(en, "type", e->type) < 0)
			return -ENOMEM;
	}
	if (e->set & CLI_CME_PEER)
		rc = set_str(en, "peer", e->peer);
	if (rc == 0 && e->set & CLI_CME_TSET)
		rc = set_str(en, "transform_set", e->tset);
	if (rc == 0 && e->set & CLI_CME_MATCH)
		rc = set_match(en, e);
	if (rc == 0 && e->set & CLI_CME_IN)
		rc = set_sakey(en, "inbound", &e->in);
	if (rc == 0 && e->set & CLI_CME_OUT)
		rc = set_sakey(en, "outbound", &e->out);
	*changed = (e->set & ~(unsigned int)CLI_CME_TYPE) != 0;
	return rc;
}

/*
 * Remove "TMP:LINE: " prefixes and " (line N)": line numbers of the
 * temporary copy, which the operator never saw.
 */
static void
strip_tmp(char *msg, const char *tmp)
{
	size_t n = strlen(tmp);
	char *p, *q;

	while ((p = strstr(msg, tmp)) != NULL) {
		q = p + n;
		if (*q == ':') {
			q++;
			while (*q >= '0' && *q <= '9')
				q++;
			if (*q == ':')
				q++;
			while (*q == ' ')
				q++;
		}
		memmove(p, q, strlen(q) + 1);
	}
	/* " (line N)" of another setting names a line of that file too. */
	while ((p = strstr(msg, " (line ")) != NULL) {
		q = p + 7;
		while (*q >= '0' && *q <= '9')
			q++;
		if (*q != ')')
			break;
		memmove(p, q + 1, strlen(q + 1) + 1);
	}
}

/* A temporary file beside the configuration file: fd and its name. */
static int
tmp_beside(const char *path, const char *what, char *name, size_t len)
{
	int fd;

	if ((size_t)snprintf(name, len, "%s.%s-XXXXXX", path, what) >= len)
		return -ENAMETOOLONG;
	fd = mkstemp(name);
	return fd < 0 ? -errno : fd;
}

static int
write_settings(int fd, const config_t *cfg, const char *header)
{
	FILE *f = fdopen(fd, "w");
	int rc = 0;

	if (f == NULL) {
		close(fd);
		return -errno;
	}
	if (header != NULL)
		fputs(header, f);
	config_write(cfg, f);
	if (fflush(f) != 0 || fsync(fileno(f)) != 0)
		rc = -errno;
	if (fclose(f) != 0 && rc == 0)
		rc = -errno;
	return rc;
}

int
confterm_edit(struct ctl *ctl, const struct cli_cfg_edit *e, char *err,
	      size_t errlen)
{
	char tmp[300], msg[1024];
	bool changed = true;
	config_t cfg;
	int fd, rc;

	err[0] = '\0';
	rc = running_copy(&cfg, err, errlen);
	if (rc < 0)
		return rc;
	switch (e->kind) {
	case CLI_CFG_STANDBY_PRIORITY:
	case CLI_CFG_STANDBY_PREEMPT:
		rc = edit_standby(&cfg, e, err, errlen);
		break;
	case CLI_CFG_USER_SET:
	case CLI_CFG_USER_DEL:
		rc = edit_user(&cfg, e, err, errlen);
		break;
	case CLI_CFG_CMAP_ENTRY:
	case CLI_CFG_CMAP_DEL:
		rc = edit_entry(&cfg, e, err, errlen, &changed);
		break;
	default:
		rc = -EINVAL;
	}
	if (rc < 0 || !changed)
		goto out;
	fd = tmp_beside(reload_path(), "console", tmp, sizeof(tmp));
	if (fd < 0) {
		rc = fd;
		snprintf(err, errlen, "cannot write a temporary file beside %s: %s",
			 reload_path(), strerror(-rc));
		goto out;
	}
	rc = write_settings(fd, &cfg, NULL);
	if (rc == 0) {
		rc = reload_apply_file(ctl, tmp, msg, sizeof(msg));
		strip_tmp(msg, tmp);
		if (rc < 0)
			snprintf(err, errlen, "%s", msg);
		else
			tw_log(TW_LOG_NOTICE, "config",
			       "configured from console: %s", msg);
	} else {
		snprintf(err, errlen, "cannot write %s: %s", tmp,
			 strerror(-rc));
	}
	unlink(tmp);
out:
	config_destroy(&cfg);
	return rc;
}

int
confterm_write(struct ctl *ctl __attribute__((unused)), char *path,
	       size_t pathlen, char *err, size_t errlen)
{
	const config_t *run = reload_running();
	const char *file = reload_path();
	char tmp[300], bak[300], dir[300], header[128];
	time_t now = time(NULL);
	struct stat st;
	struct tm tm;
	int fd, rc;

	snprintf(path, pathlen, "%s", file);
	if (run == NULL) {
		snprintf(err, errlen, "the running configuration is not known yet");
		return -EAGAIN;
	}
	if ((size_t)snprintf(bak, sizeof(bak), "%s.bak", file) >= sizeof(bak))
		return -ENAMETOOLONG;
	gmtime_r(&now, &tm);
	strftime(header, sizeof(header),
		 "# Written by twinsecd (write memory) %Y-%m-%d %H:%M:%S UTC\n",
		 &tm);
	fd = tmp_beside(file, "new", tmp, sizeof(tmp));
	if (fd < 0) {
		snprintf(err, errlen, "cannot create a file beside %s: %s",
			 file, strerror(-fd));
		return fd;
	}
	/* The file keeps its mode and owner (mkstemp() made it 0600). */
	if (stat(file, &st) == 0) {
		if (fchmod(fd, st.st_mode & 07777) < 0 ||
		    (fchown(fd, st.st_uid, st.st_gid) < 0 && errno != EPERM))
			tw_log(TW_LOG_WARNING, "config",
			       "%s: cannot keep the mode and owner of %s: %s",
			       tmp, file, strerror(errno));
	}
	rc = write_settings(fd, run, header);
	if (rc < 0) {
		snprintf(err, errlen, "%s: %s", tmp, strerror(-rc));
		unlink(tmp);
		return rc;
	}
	/* The old file stays as FILE.bak: a second name for its inode. */
	if ((unlink(bak) < 0 && errno != ENOENT) ||
	    (link(file, bak) < 0 && errno != ENOENT)) {
		rc = -errno;
		snprintf(err, errlen, "cannot keep %s as %s: %s", file, bak,
			 strerror(-rc));
		unlink(tmp);
		return rc;
	}
	if (rename(tmp, file) < 0) {
		rc = -errno;
		snprintf(err, errlen, "cannot replace %s: %s", file,
			 strerror(-rc));
		unlink(tmp);
		return rc;
	}
	snprintf(dir, sizeof(dir), "%s", file);
	fd = open(dirname(dir), O_RDONLY | O_DIRECTORY);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	tw_log(TW_LOG_NOTICE, "config",
	       "running configuration written to %s (previous: %s)", file,
	       bak);
	return 0;
}
