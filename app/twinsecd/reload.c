/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Configuration reload (reload.h): validate -> diff -> apply.
 *
 * Validate: the file is loaded exactly as at start (conf_load()); a file
 * it refuses changes nothing. Diff: the file's settings (libconfig's tree,
 * so comments, layout and 0x10 for 16 are no change) are compared with
 * those of the running configuration, section by section; crypto map
 * entries by seq. Apply: the SPD and the ipsec-manual entries through
 * install_reload(), the ipsec-isakmp entries and the ike section through
 * ike_glue_reload(), the console by handing it the new configuration,
 * HSRP through hsrp_glue_reconfigure(); on a twin pair the new digest
 * goes to the twin (ha_reconfigure()).
 *
 * Configurations stay allocated until exit once they have run: the
 * subsystems that only read settings (IKE, HSRP, the console's session
 * threads) may still hold pointers into an older one, whose content for
 * them is the same.
 */
#include <errno.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libconfig.h>

#include "reload.h"
#include "ctl_cpif.h"
#include "ha.h"
#include "hsrp_glue.h"
#include "ike_glue.h"
#include "install.h"
#include "route.h"
#include "tw_compiler.h"
#include "tw_log.h"

#define RELOAD_MAX_REFS 4096

static struct reload_state {
	struct console *con;
	char path[256];
	config_t running;            /* the running config's settings */
	bool have_running;
	struct conf **kept;          /* loaded by reloads, freed at exit */
	unsigned int n_kept;
	/* One diff's results (the control lcore only). */
	struct install_entry_ref del[RELOAD_MAX_REFS];
	struct install_entry_ref add[RELOAD_MAX_REFS];
	unsigned int n_del, n_add, n_changed;
	/* ipsec-isakmp entries: counts, and those changed (by name) */
	unsigned int n_ike_add, n_ike_del;
	struct ike_glue_entry ike_chg[RELOAD_MAX_REFS];
	char ike_chg_map[RELOAD_MAX_REFS][CONF_NAME_MAX];
	unsigned int n_ike_chg;
	bool crypto, console, hsrp, ike, ike_params;
	unsigned int n_restart;
	char *msg;
	size_t len;
} rl;

static void
say(const char *fmt, ...)
{
	size_t n = strlen(rl.msg);
	va_list ap;

	if (n + 2 >= rl.len)
		return;
	if (n != 0) {
		rl.msg[n++] = ';';
		rl.msg[n++] = ' ';
		rl.msg[n] = '\0';
	}
	va_start(ap, fmt);
	vsnprintf(rl.msg + n, rl.len - n, fmt, ap);
	va_end(ap);
}

static int
read_settings(const char *path, config_t *cfg, char *err, size_t errlen)
{
	char dir[sizeof(rl.path)];

	config_init(cfg);
	snprintf(dir, sizeof(dir), "%s", path);
	config_set_include_dir(cfg, dirname(dir));
	if (config_read_file(cfg, path) == CONFIG_TRUE)
		return 0;
	snprintf(err, errlen, "%s:%d: %s", path, config_error_line(cfg),
		 config_error_text(cfg) != NULL ? config_error_text(cfg) :
		 "cannot read");
	config_destroy(cfg);
	return -EINVAL;
}

static bool
is_int(int t)
{
	return t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64;
}

/* Same meaning: same type and value, groups by member name. */
static bool
same(const config_setting_t *a, const config_setting_t *b)
{
	int ta = config_setting_type(a), tb = config_setting_type(b);
	const config_setting_t *ca, *cb;
	int i, n;

	if (is_int(ta) && is_int(tb))
		return config_setting_get_int64(a) ==
			config_setting_get_int64(b);
	if (ta != tb)
		return false;
	switch (ta) {
	case CONFIG_TYPE_FLOAT:
		return config_setting_get_float(a) ==
			config_setting_get_float(b);
	case CONFIG_TYPE_STRING:
		return strcmp(config_setting_get_string(a),
			      config_setting_get_string(b)) == 0;
	case CONFIG_TYPE_BOOL:
		return config_setting_get_bool(a) == config_setting_get_bool(b);
	case CONFIG_TYPE_GROUP:
		n = config_setting_length(a);
		if (n != config_setting_length(b))
			return false;
		for (i = 0; i < n; i++) {
			ca = config_setting_get_elem(a, (unsigned int)i);
			cb = config_setting_get_member(b,
						       config_setting_name(ca));
			if (cb == NULL || !same(ca, cb))
				return false;
		}
		return true;
	case CONFIG_TYPE_ARRAY:
	case CONFIG_TYPE_LIST:
		n = config_setting_length(a);
		if (n != config_setting_length(b))
			return false;
		for (i = 0; i < n; i++)
			if (!same(config_setting_get_elem(a, (unsigned int)i),
				  config_setting_get_elem(b, (unsigned int)i)))
				return false;
		return true;
	default:
		return true;
	}
}

/*
 * The same but for members named priority, preempt or delay at any depth:
 * what an HSRP group may change at run time (only standby groups have
 * them under interfaces).
 */
static bool
is_hsrp_runtime(const char *name)
{
	return name != NULL && (strcmp(name, "priority") == 0 ||
				strcmp(name, "preempt") == 0 ||
				strcmp(name, "delay") == 0);
}

static bool
same_but_hsrp(const config_setting_t *a, const config_setting_t *b)
{
	int ta = config_setting_type(a), i, n, na = 0, nb = 0;
	const config_setting_t *ca, *cb;

	if (ta != config_setting_type(b) || (ta != CONFIG_TYPE_GROUP &&
	    ta != CONFIG_TYPE_LIST))
		return same(a, b);
	if (ta == CONFIG_TYPE_LIST) {
		n = config_setting_length(a);
		if (n != config_setting_length(b))
			return false;
		for (i = 0; i < n; i++)
			if (!same_but_hsrp(config_setting_get_elem(a,
						(unsigned int)i),
					   config_setting_get_elem(b,
						(unsigned int)i)))
				return false;
		return true;
	}
	n = config_setting_length(a);
	for (i = 0; i < n; i++) {
		ca = config_setting_get_elem(a, (unsigned int)i);
		if (is_hsrp_runtime(config_setting_name(ca)))
			continue;
		na++;
		cb = config_setting_get_member(b, config_setting_name(ca));
		if (cb == NULL || !same_but_hsrp(ca, cb))
			return false;
	}
	n = config_setting_length(b);
	for (i = 0; i < n; i++)
		nb += !is_hsrp_runtime(config_setting_name(
				config_setting_get_elem(b, (unsigned int)i)));
	return na == nb;
}

/* Groups a and b equal but for member skip (either may lack it). */
static bool
same_but(const config_setting_t *a, const config_setting_t *b,
	 const char *skip)
{
	const config_setting_t *ca, *cb;
	int i, n, na = 0, nb = 0;

	n = config_setting_length(a);
	for (i = 0; i < n; i++) {
		ca = config_setting_get_elem(a, (unsigned int)i);
		if (strcmp(config_setting_name(ca), skip) == 0)
			continue;
		na++;
		cb = config_setting_get_member(b, config_setting_name(ca));
		if (cb == NULL || !same(ca, cb))
			return false;
	}
	n = config_setting_length(b);
	for (i = 0; i < n; i++)
		nb += strcmp(config_setting_name(config_setting_get_elem(b,
				(unsigned int)i)), skip) != 0;
	return na == nb;
}

/*
 * Where a and b (same() says they differ) first differ: the innermost
 * setting of b (of a when b lacks it) that is not the same, so that the
 * operator is pointed at the line changed, not at its section.
 */
static const config_setting_t *
where(const config_setting_t *a, const config_setting_t *b)
{
	const config_setting_t *ca, *cb;
	int i, n, t;

	if (a == NULL || b == NULL)
		return b != NULL ? b : a;
	t = config_setting_type(a);
	if (t != config_setting_type(b) ||
	    config_setting_length(a) != config_setting_length(b))
		return b;
	n = config_setting_length(a);
	for (i = 0; i < n; i++) {
		ca = config_setting_get_elem(a, (unsigned int)i);
		cb = t == CONFIG_TYPE_GROUP ?
			config_setting_get_member(b, config_setting_name(ca)) :
			config_setting_get_elem(b, (unsigned int)i);
		if (cb == NULL)
			return b;
		if (!same(ca, cb))
			return where(ca, cb);
	}
	return b;
}

static int
line_of(const config_setting_t *a, const config_setting_t *b)
{
	const config_setting_t *w = where(a, b);
	int line = w != NULL ? (int)config_setting_source_line(w) : 0;

	/* A scalar of an array may carry no line: its parent does. */
	while (line == 0 && w != NULL && config_setting_parent(w) != NULL) {
		w = config_setting_parent(w);
		line = (int)config_setting_source_line(w);
	}
	return line;
}

static void
needs_restart(const config_setting_t *a, const config_setting_t *b,
	      const char *what)
{
	rl.n_restart++;
	say("%s:%d: %s changed: needs a restart", rl.path, line_of(a, b),
	    what);
}

static int
entry_seq(const config_setting_t *e)
{
	int seq = -1;

	config_setting_lookup_int(e, "seq", &seq);
	return seq;
}

static const config_setting_t *
entry_by_seq(const config_setting_t *entries, int seq)
{
	const config_setting_t *e;
	int i, n = entries != NULL ? config_setting_length(entries) : 0;

	for (i = 0; i < n; i++) {
		e = config_setting_get_elem(entries, (unsigned int)i);
		if (entry_seq(e) == seq)
			return e;
	}
	return NULL;
}

static bool
is_type(const config_setting_t *e, const char *type)
{
	const char *t = NULL;

	config_setting_lookup_string(e, "type", &t);
	return t != NULL && strcmp(t, type) == 0;
}

static bool
is_manual(const config_setting_t *e)
{
	return is_type(e, "ipsec-manual");
}

static bool
is_isakmp(const config_setting_t *e)
{
	return e != NULL && is_type(e, "ipsec-isakmp");
}

/*
 * An ipsec-isakmp entry added (o NULL), removed (n NULL) or changed: the
 * IKE glue's (ike_glue_reload()); one that becomes or stops being one
 * needs a restart.
 */
static void
diff_isakmp(const char *name, int seq, const config_setting_t *o,
	    const config_setting_t *n)
{
	if (o == NULL) {
		rl.n_ike_add++;
	} else if (n == NULL) {
		rl.n_ike_del++;
	} else if (rl.n_ike_chg < RELOAD_MAX_REFS) {
		snprintf(rl.ike_chg_map[rl.n_ike_chg], CONF_NAME_MAX, "%s",
			 name);
		rl.ike_chg[rl.n_ike_chg] = (struct ike_glue_entry){
			.map = rl.ike_chg_map[rl.n_ike_chg], .seq = (uint32_t)seq,
		};
		rl.n_ike_chg++;
	} else if (rl.n_restart++ == 0) {
		say("%s: more than %u crypto map entries change at once: needs a restart",
		    rl.path, RELOAD_MAX_REFS);
	}
	rl.ike = true;
}

static void
ref(struct install_entry_ref *refs, unsigned int *n, unsigned int map,
    int seq)
{
	if (*n < RELOAD_MAX_REFS)
		refs[(*n)++] = (struct install_entry_ref){
			.map = map, .seq = (uint32_t)seq,
		};
	else if (rl.n_restart++ == 0)
		say("%s: more than %u crypto map entries change at once: needs a restart",
		    rl.path, RELOAD_MAX_REFS);
}

/* One crypto map's entries: ipsec-manual ones by seq, others must stay. */
static void
diff_entries(unsigned int m, const char *name, const config_setting_t *oa,
	     const config_setting_t *na)
{
	const config_setting_t *o, *n;
	char what[128];
	int i, cnt, seq;

	cnt = oa != NULL ? config_setting_length(oa) : 0;
	for (i = 0; i < cnt; i++) {
		o = config_setting_get_elem(oa, (unsigned int)i);
		seq = entry_seq(o);
		n = entry_by_seq(na, seq);
		if (n != NULL && same(o, n))
			continue;
		snprintf(what, sizeof(what), "crypto map %s seq %d", name, seq);
		if (is_isakmp(o) && (n == NULL || is_isakmp(n))) {
			diff_isakmp(name, seq, o, n);
			continue;
		}
		if (!is_manual(o) || (n != NULL && !is_manual(n))) {
			needs_restart(o, n, what);
			continue;
		}
		ref(rl.del, &rl.n_del, m, seq);
		if (n != NULL) {
			ref(rl.add, &rl.n_add, m, seq);
			rl.n_changed++;
		}
	}
	cnt = na != NULL ? config_setting_length(na) : 0;
	for (i = 0; i < cnt; i++) {
		n = config_setting_get_elem(na, (unsigned int)i);
		seq = entry_seq(n);
		if (entry_by_seq(oa, seq) != NULL)
			continue;
		if (is_isakmp(n)) {
			diff_isakmp(name, seq, NULL, n);
			continue;
		}
		if (!is_manual(n)) {
			snprintf(what, sizeof(what), "crypto map %s seq %d",
				 name, seq);
			needs_restart(NULL, n, what);
			continue;
		}
		ref(rl.add, &rl.n_add, m, seq);
	}
}

static void
diff_crypto_maps(const config_setting_t *a, const config_setting_t *b)
{
	const config_setting_t *ma, *mb;
	const char *name = NULL;
	int i, n;

	if (a == NULL || b == NULL ||
	    config_setting_length(a) != config_setting_length(b)) {
		needs_restart(a, b, "the list of crypto maps");
		return;
	}
	n = config_setting_length(a);
	for (i = 0; i < n; i++) {
		ma = config_setting_get_elem(a, (unsigned int)i);
		mb = config_setting_get_elem(b, (unsigned int)i);
		if (!same_but(ma, mb, "entries")) {
			needs_restart(ma, mb, "a crypto map's name or settings");
			continue;
		}
		config_setting_lookup_string(mb, "name", &name);
		diff_entries((unsigned int)i, name != NULL ? name : "?",
			     config_setting_get_member(ma, "entries"),
			     config_setting_get_member(mb, "entries"));
	}
	rl.crypto = rl.n_del != 0 || rl.n_add != 0;
}

static void
diff_console(const config_setting_t *a, const config_setting_t *b)
{
	const config_setting_t *la, *lb;

	if (a == NULL || b == NULL) {
		needs_restart(a, b, "console (added or removed)");
		return;
	}
	la = config_setting_get_member(a, "listen");
	lb = config_setting_get_member(b, "listen");
	if ((la == NULL) != (lb == NULL) ||
	    (la != NULL && !same(la, lb)))
		needs_restart(la, lb, "console listen");
	rl.console = !same_but(a, b, "listen");
}

/* Every top-level setting of either file. */
static void
diff(const config_t *oc, const config_t *nc)
{
	const config_setting_t *ro = config_root_setting(oc);
	const config_setting_t *rn = config_root_setting(nc);
	const config_setting_t *a, *b;
	const char *name;
	int i, n;

	n = config_setting_length(ro);
	for (i = 0; i < n; i++) {
		a = config_setting_get_elem(ro, (unsigned int)i);
		name = config_setting_name(a);
		b = config_setting_get_member(rn, name);
		if (strcmp(name, "crypto_maps") == 0)
			diff_crypto_maps(a, b);
		else if (strcmp(name, "console") == 0)
			diff_console(a, b);
		else if (b != NULL && strcmp(name, "ike") == 0)
			rl.ike_params = !same(a, b);
		else if (b != NULL && strcmp(name, "interfaces") == 0 &&
			 !same(a, b) && same_but_hsrp(a, b))
			rl.hsrp = true;
		else if (b == NULL || !same(a, b))
			needs_restart(a, b, name);
	}
	n = config_setting_length(rn);
	for (i = 0; i < n; i++) {
		b = config_setting_get_elem(rn, (unsigned int)i);
		name = config_setting_name(b);
		if (config_setting_get_member(ro, name) != NULL)
			continue;
		if (strcmp(name, "crypto_maps") == 0)
			diff_crypto_maps(NULL, b);
		else if (strcmp(name, "console") == 0)
			diff_console(NULL, b);
		else
			needs_restart(NULL, b, name);
	}
}

static int
keep(struct conf *c)
{
	struct conf **k = realloc(rl.kept, (rl.n_kept + 1) * sizeof(*k));

	if (k == NULL)
		return -ENOMEM;
	rl.kept = k;
	rl.kept[rl.n_kept++] = c;
	return 0;
}

int
reload_apply(struct ctl *ctl, char *msg, size_t len)
{
	struct ike_glue_reload_stats ist = { 0 };
	char err[CONF_ERR_MAX];
	struct conf *c = NULL;
	config_t nc;
	int rc;

	rl.msg = msg;
	rl.len = len;
	msg[0] = '\0';
	rl.n_del = rl.n_add = rl.n_changed = rl.n_restart = 0;
	rl.n_ike_add = rl.n_ike_del = rl.n_ike_chg = 0;
	rl.crypto = rl.console = rl.hsrp = rl.ike = rl.ike_params = false;
	ctl_sd_notify("RELOADING=1");
	/* Validate: exactly what a start would load, or nothing. */
	rc = conf_load(rl.path, &c, err, sizeof(err));
	if (rc == 0)
		rc = read_settings(rl.path, &nc, err, sizeof(err));
	if (rc < 0) {
		conf_free(c);
		say("%s", err);
		rc = -EINVAL;
		goto done;
	}
	/* Diff. */
	diff(&rl.running, &nc);
	if ((rl.ike || rl.ike_params) && !ike_glue_running()) {
		rl.n_restart++;
		say("%s: IKE (ipsec-isakmp entries or the ike section) changed in a configuration that started without an ipsec-isakmp entry: needs a restart",
		    rl.path);
	}
	/*
	 * Twins: ipsec-isakmp entries may change (the digest is compared
	 * again, below), ipsec-manual ones not: a manual key's sequence
	 * numbers are carried across the twins by SA, and an entry that
	 * comes back with the same key could start again from 0.
	 */
	if (rl.crypto && ctl->conf->redundancy.enabled) {
		rl.n_restart++;
		say("%s: ipsec-manual crypto map entries change with a restart while redundancy is configured (their keys' sequence numbers are kept across the twins by SA)",
		    rl.path);
	}
	if (rl.n_add > rl.n_changed && !ctl->conf->redundancy.enabled &&
	    !install_marks_active()) {
		rl.n_restart++;
		say("%s: ipsec-manual entries added to a configuration that had none: needs a restart (their sequence numbers are persisted from start-up on, in the state directory)",
		    rl.path);
	}
	if (rl.n_restart != 0 || keep(c) < 0) {
		if (rl.n_restart == 0)
			say("out of memory");
		config_destroy(&nc);
		conf_free(c);
		rc = -EBUSY;
		goto done;
	}
	/* Apply: from here on c is the running configuration. */
	if (rl.crypto || rl.ike) {
		/* The SPD: ipsec-isakmp entries gone lose their rules,
		 * new ones protect without an SA until IKE brings one. */
		rc = install_reload(ctl, c, rl.del, rl.n_del, rl.add, rl.n_add,
				    err, sizeof(err));
		if (rc < 0)
			say("%s", err);
	} else {
		ctl->conf = c;
		route_set_conf(c);
	}
	if (rc == 0 && (rl.ike || rl.ike_params)) {
		rc = ike_glue_reload(c, rl.ike_chg, rl.n_ike_chg, ctl_now(),
				     &ist, err, sizeof(err));
		if (rc < 0)
			say("%s", err);
	}
	if (rl.console)
		__atomic_store_n(&rl.con->conf, c, __ATOMIC_RELEASE);
	if (rl.hsrp)
		say("standby groups reconfigured: %u",
		    hsrp_glue_reconfigure(c, ctl_now()));
	config_destroy(&rl.running);
	rl.running = nc;
	if (rc == 0 && c->redundancy.enabled) {
		rc = ha_reconfigure(c, ctl_now(), err, sizeof(err));
		if (rc < 0)
			say("%s", err);
	}
	if (rc == 0) {
		if (!rl.crypto && !rl.console && !rl.hsrp && !rl.ike &&
		    !rl.ike_params)
			say("no change");
		if (rl.ike)
			say("ipsec-isakmp entries: %u added, %u removed, %u changed (%u DELETEs sent)",
			    rl.n_ike_add, rl.n_ike_del, rl.n_ike_chg,
			    ist.deletes);
		if (rl.ike_params)
			say("ike section changed (%u entries' keys or proposals with it): used by new negotiations and rekeys, SAs up untouched",
			    ist.updated);
		if (rl.crypto)
			say("crypto map entries: %u added, %u removed, %u changed",
			    rl.n_add - rl.n_changed, rl.n_del - rl.n_changed,
			    rl.n_changed);
		if (rl.console)
			say("console settings and users updated");
		if (c->redundancy.enabled)
			say("configuration digest sent to the twin and compared again");
	}
done:
	if (rc == 0) {
		/* The kernel interfaces mirror the configured addresses. */
		ctl_cpif_mirror_all(ctl);
		tw_log(TW_LOG_NOTICE, "reload", "%s reloaded: %s", rl.path,
		       msg);
	}
	else if (rc == -EINVAL || rc == -EBUSY)
		tw_log(TW_LOG_ERR, "reload",
		       "reload refused, nothing changed: %s", msg);
	else
		tw_log(TW_LOG_ERR, "reload", "reload failed part-way: %s",
		       msg);
	ctl_sd_notify("READY=1");
	return rc;
}

static void
reload_on_signal(struct ctl *ctl, void *arg TW_UNUSED, tw_time_t now TW_UNUSED)
{
	char msg[1024];

	reload_apply(ctl, msg, sizeof(msg));
}

int
reload_init(struct ctl *ctl, struct console *con, const char *path,
	    char *err, size_t errlen)
{
	int rc;

	if (strlen(path) >= sizeof(rl.path)) {
		snprintf(err, errlen, "%s: path too long", path);
		return -ENAMETOOLONG;
	}
	snprintf(rl.path, sizeof(rl.path), "%s", path);
	rl.con = con;
	rc = read_settings(path, &rl.running, err, errlen);
	if (rc < 0)
		return rc;
	rl.have_running = true;
	ctl->reload_fn = reload_on_signal;
	ctl->reload_arg = NULL;
	return 0;
}

void
reload_fini(void)
{
	unsigned int i;

	if (rl.have_running)
		config_destroy(&rl.running);
	for (i = 0; i < rl.n_kept; i++)
		conf_free(rl.kept[i]);
	free(rl.kept);
	memset(&rl, 0, sizeof(rl));
}

/*
 * configure terminal (confterm.c): the same validate -> diff -> apply, on
 * a file the console wrote; the running configuration keeps the name of
 * the file it started from (write memory saves there, show version says
 * it), and a later SIGHUP compares that file with what now runs.
 */
int
reload_apply_file(struct ctl *ctl, const char *file, char *msg, size_t len)
{
	char path[sizeof(rl.path)];
	unsigned int kept = rl.n_kept;
	int rc;

	if (strlen(file) >= sizeof(rl.path)) {
		snprintf(msg, len, "%s: path too long", file);
		return -ENAMETOOLONG;
	}
	memcpy(path, rl.path, sizeof(path));
	snprintf(rl.path, sizeof(rl.path), "%s", file);
	rc = reload_apply(ctl, msg, len);
	memcpy(rl.path, path, sizeof(path));
	if (rl.n_kept > kept)
		snprintf(rl.kept[rl.n_kept - 1]->path,
			 sizeof(rl.kept[0]->path), "%s", path);
	return rc;
}

const config_t *
reload_running(void)
{
	return rl.have_running ? &rl.running : NULL;
}

const char *
reload_path(void)
{
	return rl.path;
}
