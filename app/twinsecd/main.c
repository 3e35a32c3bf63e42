/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * twinsecd: EAL, options, config, logging, fast path, control loop. Only
 * the wiring lives here; see ctl.h for the control lcore and dp.h for the
 * fast path.
 *
 * --check and --version need no EAL: they are handled before
 * rte_eal_init(), so `twinsecd -- -f x.conf --check` works on any machine
 * whatever EAL options are given. The config is loaded before the EAL too,
 * so a bad file is refused before anything is set up.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_log.h>
#include <rte_version.h>

#include "applog.h"
#include "conf.h"
#include "console.h"
#include "ctl.h"
#include "dp.h"
#include "hsrp_glue.h"
#include "ike_glue.h"
#include "hsrp_telemetry.h"
#include "ctl_cp_telemetry.h"
#include "install.h"
#include "route.h"
#include "opts.h"
#include "reload.h"
#include "confterm.h"
#include "ha.h"
#include "ha_cli.h"
#include "sadb.h"
#include "dp_sadb.h"
#include "telemetry.h"
#include "tw_compiler.h"
#include "tw_log.h"
#include "tw_version.h"

/*
 * Static: the telemetry thread may still hold a pointer to it (and its
 * mutexes) while the process exits.
 */
static struct ctl ctl;
/* Static too: a console session thread may outlive main's frame. */
static struct console con;

static void
on_signal(int sig)
{
	if (sig == SIGHUP)
		ctl_request_reload(&ctl);
	else
		ctl_request_stop(&ctl);
}

/* A clean stop waits this long at most for the peers' answers. */
#define STOP_IKE_WAIT TW_SEC(2)

/*
 * A clean stop (SIGINT/SIGTERM, e.g. systemctl stop) tells the IKE peers:
 * an INFORMATIONAL DELETE of every IKE SA, so that they renegotiate at
 * once (with this gateway when it is back, or with whoever owns the
 * address next) instead of sending into the void until DPD gives up.
 * Not when this stop is a planned switchover: the active twin of a pair
 * whose standby is STANDBY HOT (connected, bulk synced) keeps the peers'
 * SAs, because the standby takes them over with their sequence numbers
 * and the peers must not notice; a DELETE would tear down the very SAs
 * the standby is about to run. A standby's IKE is silent: it deletes
 * nothing. A second signal ends the wait at once.
 */
static void
stop_ike(void)
{
	const struct rf *rf = ha_enabled() ? ha_rf() : NULL;
	unsigned int n;
	bool done;

	if (ike_glue_engine() == NULL)
		return;
	if (rf != NULL && rf->comm_up &&
	    rf->peer_state == RF_STATE_STANDBY_HOT) {
		tw_log(TW_LOG_NOTICE, "main",
		       "stopping: IKE SAs kept for the STANDBY HOT twin (no DELETE)");
		return;
	}
	n = ike_glue_stop_begin(ctl_now());
	if (n == 0)
		return;
	done = ctl_run_until(&ctl, ctl_now() + STOP_IKE_WAIT,
			     ike_glue_stop_done, NULL);
	if (done)
		tw_log(TW_LOG_NOTICE, "main",
		       "stopping: the peers answered the DELETE of %u IKE SA%s",
		       n, n == 1 ? "" : "s");
	else
		tw_log(TW_LOG_WARNING, "main",
		       "stopping: %u IKE SA%s without an answer to the DELETE, not waiting longer",
		       ike_glue_stop_left(),
		       ike_glue_stop_left() == 1 ? "" : "s");
}

/*
 * What the config loader let through but flags (secrets in a file others
 * can read, ...): printed by --check, logged at start.
 */
static void
conf_warnings(const struct conf *c, bool log)
{
	unsigned int i, n = c->n_warnings < CONF_WARN_MAX ? c->n_warnings :
			    CONF_WARN_MAX;

	for (i = 0; i < n; i++) {
		if (log)
			tw_log(TW_LOG_WARNING, "main", "%s", c->warnings[i]);
		else
			fprintf(stderr, "warning: %s\n", c->warnings[i]);
	}
	if (c->n_warnings <= n)
		return;
	if (log)
		tw_log(TW_LOG_WARNING, "main", "%s: %u more warnings",
		       c->path, c->n_warnings - n);
	else
		fprintf(stderr, "warning: %s: %u more warnings\n", c->path,
			c->n_warnings - n);
}

/* The logging section: lines at its trap level to syslog from now on. */
static void
start_syslog(const struct conf *c)
{
	const struct conf_logging *l = &c->logging;
	int rc;

	if (!l->enabled)
		return;
	rc = applog_syslog_open(l->local, l->host, l->port, l->facility,
				l->trap, c->hostname);
	if (rc < 0)
		tw_log(TW_LOG_ERR, "main", "%s:%d: logging: cannot open the syslog socket: %s",
		       c->path, l->line, strerror(-rc));
}

static int
check_config(const struct opts *o)
{
	char err[CONF_ERR_MAX];
	struct conf *c = NULL;

	/* Also what the fast path would refuse at start (IPv6 so far). */
	if (conf_load(o->conf_path, &c, err, sizeof(err)) < 0 ||
	    install_v6_check(c, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s\n", err);
		fprintf(stderr, "configuration file %s test failed\n",
			o->conf_path);
		conf_free(c);
		return 1;
	}
	conf_warnings(c, false);
	conf_free(c);
	printf("configuration file %s test is successful\n", o->conf_path);
	return 0;
}

static int
pick_workers(const struct conf *c, unsigned int *n, char *err, size_t errlen)
{
	unsigned int avail = rte_lcore_count() - 1;

	if (avail == 0) {
		snprintf(err, errlen,
			 "need at least 2 lcores (1 control + 1 worker): -l 0,1");
		return -EINVAL;
	}
	*n = c->dataplane.workers == 0 ? avail : c->dataplane.workers;
	if (*n > avail) {
		snprintf(err, errlen,
			 "%s: dataplane.workers = %u but the EAL gives %u worker lcore%s (-l): add lcores or lower workers",
			 c->path, *n, avail, avail == 1 ? "" : "s");
		return -EINVAL;
	}
	if (*n > DP_MAX_WORKERS) {
		snprintf(err, errlen, "%u workers, at most %u", *n,
			 DP_MAX_WORKERS);
		return -EINVAL;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	static struct dp_sadb backend;
	char err[CONF_ERR_MAX];
	enum tw_log_level lvl;
	struct dp_params dpp;
	struct sadb *db = NULL;
	struct conf *c = NULL;
	struct opts o;
	unsigned int n_workers;
	const char *l;
	int rc, ret = 1;
	bool dp_up = false, ctl_up = false, route_up = false;

	if (opts_parse(argc, argv, &o, err, sizeof(err)) < 0) {
		fprintf(stderr, "twinsecd: %s\n", err);
		fprintf(stderr, "Try '%s -- --help'.\n", argv[0]);
		return 1;
	}
	if (o.help) {
		opts_usage(argv[0]);
		return 0;
	}
	if (o.version) {
		printf("twinsecd %s\n%s\n", TWINSEC_VERSION, rte_version());
		return 0;
	}
	if (o.log_level != NULL) {
		l = strrchr(o.log_level, ':');
		if (tw_log_level_parse(l != NULL ? l + 1 : o.log_level,
				       &lvl) < 0) {
			fprintf(stderr, "twinsecd: bad log level '%s'\n",
				o.log_level);
			return 1;
		}
	}
	if (o.check)
		return check_config(&o);

	if (conf_load(o.conf_path, &c, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s\n", err);
		fprintf(stderr, "twinsecd: bad configuration, not starting\n");
		return 1;
	}

	rc = rte_eal_init(o.eal_argc, o.eal_argv);
	if (rc < 0) {
		fprintf(stderr, "twinsecd: EAL initialisation failed: %s\n",
			rte_errno != 0 ? rte_strerror(rte_errno) :
			"see the EAL messages above");
		conf_free(c);
		return 1;
	}
	/*
	 * DPDK logs to stderr and to syslog. Under systemd with stderr in
	 * the journal (JOURNAL_STREAM set) that is every line twice: keep
	 * stderr only (the EAL's own first lines are already out).
	 */
	if (getenv("JOURNAL_STREAM") != NULL)
		rte_openlog_stream(stderr);
	/* From here on a signal ends the start-up cleanly, too. */
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	/* Until the loop runs a reload is only remembered (reload.h). */
	signal(SIGHUP, on_signal);
	if (applog_init() < 0)
		fprintf(stderr, "twinsecd: cannot register log types\n");
	if (o.log_level != NULL)
		applog_set_level(o.log_level);
	start_syslog(c);
	tw_log(TW_LOG_NOTICE, "main", "twinsecd %s (%s) starting, config %s",
	       TWINSEC_VERSION, rte_version(), c->path);
	conf_warnings(c, true);

	if (pick_workers(c, &n_workers, err, sizeof(err)) < 0 ||
	    install_dp_params(c, n_workers, &dpp, err, sizeof(err)) < 0)
		goto fail;
	rc = dp_init(&dpp, err, sizeof(err));
	if (rc < 0)
		goto fail;
	dp_up = true;

	db = dp_sadb_init(&backend, c->dataplane.max_sas) == 0 ?
		sadb_create(&dp_sadb_ops, &backend, c->dataplane.max_sas) :
		NULL;
	if (db == NULL) {
		snprintf(err, sizeof(err), "cannot allocate the SA database");
		goto fail;
	}
	if (ctl_init(&ctl, c, db, &backend) < 0) {
		snprintf(err, sizeof(err), "cannot set up the control lcore");
		goto fail;
	}
	ctl_up = true;
	if (route_init(c, db, err, sizeof(err)) < 0)
		goto fail;
	route_up = true;
	if (hsrp_glue_init(&ctl, err, sizeof(err)) < 0 ||
	    install_marks_init(&ctl, o.state_dir != NULL ? o.state_dir :
			       OPTS_STATE_DIR, err, sizeof(err)) < 0 ||
	    install_config(&ctl, err, sizeof(err)) < 0 ||
	    ike_glue_init(&ctl, err, sizeof(err)) < 0 ||
	    ha_init(&ctl, o.state_dir != NULL ? o.state_dir :
			    OPTS_STATE_DIR, err, sizeof(err)) < 0)
		goto fail;

	rc = dp_start();
	if (rc < 0) {
		snprintf(err, sizeof(err), "cannot start the workers: %s",
			 strerror(-rc));
		goto fail;
	}
	telemetry_init(&ctl);
	hsrp_telemetry_init(&ctl);
	ctl_cp_telemetry_init();
	ha_telemetry_init(&ctl);
	ike_telemetry_init(&ctl);
	if (console_start(&con, &ctl, c, err, sizeof(err)) < 0 ||
	    reload_init(&ctl, &con, c->path, err, sizeof(err)) < 0)
		goto fail;
	/* configure terminal goes through reload's apply step. */
	__atomic_store_n(&con.cfg_edit, confterm_edit, __ATOMIC_RELEASE);
	__atomic_store_n(&con.cfg_write, confterm_write, __ATOMIC_RELEASE);
	tw_log(TW_LOG_NOTICE, "main",
	       "running: %u worker%s, %u interfaces, %u SAs; SIGINT/SIGTERM stops, SIGHUP reloads",
	       n_workers, n_workers == 1 ? "" : "s", dp_n_ports(),
	       sadb_count(db));
	{
		char st[128];

		snprintf(st, sizeof(st), "%u interfaces, %u SAs, %u worker%s",
			 dp_n_ports(), sadb_count(db), n_workers,
			 n_workers == 1 ? "" : "s");
		ctl_sd_ready(&ctl, st);
	}

	ctl_run(&ctl);
	stop_ike();
	ret = 0;
	goto out;

fail:
	fprintf(stderr, "twinsecd: %s\n", err);
out:
	ctl_sd_notify("STOPPING=1");
	ctl_call_close(&ctl);
	console_stop(&con);
	if (ctl_up) {
		ha_fini();
		hsrp_glue_fini();
		ike_glue_fini();
		install_teardown(&ctl);
	}
	if (route_up)
		route_fini();
	if (dp_up) {
		dp_request_stop();
		dp_fini();
	}
	if (ctl_up)
		ctl_fini(&ctl);
	sadb_destroy(db);
	dp_sadb_fini(&backend);
	reload_fini();
	conf_free(c);
	tw_log(TW_LOG_NOTICE, "main", "twinsecd %s", ret == 0 ? "stopped" :
	       "failed to start");
	applog_syslog_close();
	rte_eal_cleanup();
	return ret;
}
