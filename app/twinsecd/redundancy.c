/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Redundancy in twinsecd: set-up, the scheme group's HSRP state into the
 * RF engine, the RF's actions carried out, the sync transport's events
 * (see redundancy.h for the map). One instance, owned by the control
 * lcore.
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hsrp_glue.h"
#include "redundancy_priv.h"
#include "sync_transport_conf.h"
#include "tw_log.h"

struct rdn rdn;

/* Follow-ups an action asks for, run once the action list is done. */
static bool resign_pending;

static void
timer_fire(void *arg, tw_time_t now)
{
	struct tw_deadline *d = arg;
	struct rf_event ev = { .type = RF_EV_TIMER };

	ev.u.timer = (enum rf_timer)(d - rdn.timer);
	rdn_event(&ev, now);
}

static int
tr_open(char *err, size_t errlen)
{
	int rc;

	rc = sync_transport_create(&rdn.tcfg, &rdn.tr, err, errlen);
	if (rc < 0)
		return rc;
	rdn.ctl->wait_fd = sync_transport_fd(rdn.tr);
	return 0;
}

static void
tr_close(void)
{
	if (rdn.tr == NULL)
		return;
	rdn.ctl->wait_fd = -1;
	sync_transport_destroy(rdn.tr);
	rdn.tr = NULL;
	rdn_txq_clear();
}

/* Drop the association and start again; CONN_DOWN follows. */
static void
reconnect(const char *why)
{
	char err[256];

	if (rdn.tr == NULL)
		return;
	tw_log(TW_LOG_WARNING, RDN_LOG,
	       "sync: dropping the connection to the twin: %s", why);
	rdn.cnt.reconnects++;
	tr_close();
	if (tr_open(err, sizeof(err)) < 0)
		tw_log(TW_LOG_ERR, RDN_LOG,
		       "sync: cannot reopen the transport: %s", err);
	rdn.conn_down = true;
}

static void
do_action(const struct rf_action *a, tw_time_t now)
{
	struct tw_heap *heap = &rdn.ctl->heap;

	switch (a->type) {
	case RF_ACT_SEND:
		(void)rdn_send_fixed(a->u.send.msg);
		return;
	case RF_ACT_ARM:
		if (tw_heap_arm(heap, &rdn.timer[a->u.timer.which],
				a->u.timer.at) < 0)
			tw_log(TW_LOG_ERR, RDN_LOG, "sync: cannot arm %s timer",
			       rf_timer_name(a->u.timer.which));
		return;
	case RF_ACT_CANCEL:
		tw_heap_cancel(heap, &rdn.timer[a->u.timer.which]);
		return;
	case RF_ACT_TAKEOVER:
		rdn.takeover_n = rdn_takeover(a->u.takeover.hot, now);
		rdn.takeover_done = true;
		return;
	case RF_ACT_RELINQUISH:
		rdn_relinquish(now);
		return;
	case RF_ACT_BULK_SEND:
		rdn_bulk_send(a->u.bulk.id);
		return;
	case RF_ACT_BULK_BEGIN:
		rdn_bulk_begin();
		return;
	case RF_ACT_BULK_COMMIT:
		rdn_bulk_commit();
		return;
	case RF_ACT_DROP_DECOUPLED:
		rdn_drop_decoupled();
		return;
	case RF_ACT_RESIGN:
		resign_pending = true;
		return;
	case RF_ACT_DISCONNECT:
		reconnect("keep-alives lost");
		return;
	case RF_ACT_STATE:
		/* rf_set_state() logged it; the twin is told by the RF. */
		return;
	case RF_ACT_MAX:
		break;
	}
}

static int
run(struct rf_event *ev, tw_time_t now)
{
	struct rf_action acts[RF_ACTIONS_MAX];
	int i, n;

	n = rf_event(&rdn.rf, ev, now, acts, RF_ACTIONS_MAX);
	if (n < 0) {
		if (n == -EINVAL)
			tw_log(TW_LOG_ERR, RDN_LOG, "sync: RF event %s refused",
			       rf_event_name(ev->type));
		return n;
	}
	for (i = 0; i < n; i++)
		do_action(&acts[i], now);
	return 0;
}

/* One event, then the follow-ups its actions asked for. */
static int
event_rc(struct rf_event *ev, tw_time_t now)
{
	struct rf_event f;
	int rc;

	rc = run(ev, now);
	for (;;) {
		memset(&f, 0, sizeof(f));
		if (rdn.takeover_done) {
			rdn.takeover_done = false;
			f.type = RF_EV_TAKEOVER_DONE;
			f.u.takeover.n_sas = rdn.takeover_n;
		} else if (rdn.conn_down) {
			rdn.conn_down = false;
			f.type = RF_EV_CONN_DOWN;
		} else if (resign_pending) {
			resign_pending = false;
			/* HSRP state changes come back through on_group(). */
			hsrp_glue_resign();
			continue;
		} else {
			break;
		}
		(void)run(&f, now);
	}
	return rc;
}

void
rdn_event(struct rf_event *ev, tw_time_t now)
{
	if (rdn.enabled)
		(void)event_rc(ev, now);
}

static void
on_group(void *arg, const char *name, uint16_t port, uint16_t group,
	 enum hsrp_state from, enum hsrp_state to, tw_time_t now)
{
	struct rf_event ev = { .type = RF_EV_GROUP };

	if (!rdn.enabled || strcmp(name, rdn.rf.cfg.scheme) != 0)
		return;
	ev.u.group.active = to == HSRP_STATE_ACTIVE;
	ev.u.group.state = hsrp_state_name(to);
	rdn_event(&ev, now);
}

static void
tr_up(tw_time_t now, const char *why)
{
	struct rf_event ev = { .type = RF_EV_CONN_UP };
	uint64_t epoch;
	int rc;

	rdn_txq_clear();
	rc = sync_frame_new_epoch(&epoch);
	if (rc == 0)
		rc = sync_frame_reset(rdn.frame, epoch);
	if (rc < 0) {
		tw_log(TW_LOG_ERR, RDN_LOG, "sync: cannot key the connection: %s",
		       strerror(-rc));
		reconnect("no keys");
		return;
	}
	tw_log(TW_LOG_INFO, RDN_LOG, "sync: connected to the twin over %s (%s)",
	       sync_transport_backend(rdn.tr), why != NULL ? why : "up");
	rdn_event(&ev, now);
}

static void
poll_fn(struct ctl *ctl, void *arg, tw_time_t now)
{
	struct sync_transport_event ev;
	struct pollfd pfd;
	struct rf_event rev;
	unsigned int i;
	int rc;

	if (rdn.tr == NULL)
		return;
	if (rdn.q_head != NULL)
		rdn_txq_flush();
	pfd.fd = sync_transport_fd(rdn.tr);
	pfd.events = POLLIN;
	if (poll(&pfd, 1, 0) <= 0)
		return;
	for (i = 0; i < RDN_POLL_BUDGET && rdn.tr != NULL; i++) {
		rc = sync_transport_poll(rdn.tr, &ev);
		if (rc <= 0) {
			if (rc < 0)
				tw_log(TW_LOG_ERR, RDN_LOG,
				       "sync: transport poll: %s", strerror(-rc));
			break;
		}
		switch (ev.type) {
		case SYNC_TRANSPORT_EV_MSG:
			rdn_rx_frame(ev.data, ev.len, now);
			break;
		case SYNC_TRANSPORT_EV_UP:
			tr_up(now, ev.reason);
			break;
		case SYNC_TRANSPORT_EV_DOWN:
			tw_log(TW_LOG_WARNING, RDN_LOG,
			       "sync: connection to the twin lost (%s)",
			       ev.reason != NULL ? ev.reason : "?");
			rdn_txq_clear();
			memset(&rev, 0, sizeof(rev));
			rev.type = RF_EV_CONN_DOWN;
			rdn_event(&rev, now);
			break;
		case SYNC_TRANSPORT_EV_PATH:
			tw_log(TW_LOG_NOTICE, RDN_LOG,
			       "sync: path to %u.%u.%u.%u %s", ev.addr >> 24,
			       (ev.addr >> 16) & 0xff, (ev.addr >> 8) & 0xff,
			       ev.addr & 0xff, ev.up ? "up" : "down");
			break;
		}
	}
	if (rdn.q_head != NULL)
		rdn_txq_flush();
}

void
rdn_overflow(void)
{
	reconnect("send queue full");
}

int
redundancy_init(struct ctl *ctl, const char *state_dir, char *err,
		size_t errlen)
{
	const struct conf *c = ctl->conf;
	struct sync_frame_config fc;
	struct rf_event ev;
	struct rf_config cfg;
	enum hsrp_state st;
	const struct sadb_sa *sa;
	const char *warn;
	tw_time_t now = ctl_now();
	unsigned int t;
	int rc;

	memset(&rdn, 0, sizeof(rdn));
	rdn.ctl = ctl;
	if (!c->redundancy.enabled)
		return 0;
	rc = rf_config_from_conf(c, &cfg, err, errlen);
	if (rc < 0)
		return rc;
	rc = rf_init(&rdn.rf, &cfg, now, err, errlen);
	if (rc < 0)
		return rc;
	rdn.max_sas = sadb_capacity(ctl->sadb);
	rdn.sa = calloc(rdn.max_sas, sizeof(rdn.sa[0]));
	rdn.seen = calloc(rdn.max_sas, sizeof(rdn.seen[0]));
	rdn.twin_id = calloc(rdn.max_sas, sizeof(rdn.twin_id[0]));
	rdn.recheck = calloc((rdn.max_sas + 63) / 64, sizeof(rdn.recheck[0]));
	if (rdn.sa == NULL || rdn.seen == NULL || rdn.twin_id == NULL ||
	    rdn.recheck == NULL) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	rc = rdn_marks_load(state_dir, c->hostname[0] != '\0' ?
			    c->hostname : "twinsecd", err, errlen);
	if (rc < 0)
		return rc;
	for (sa = sadb_sa_next(ctl->sadb, NULL); sa != NULL;
	     sa = sadb_sa_next(ctl->sadb, sa))
		rdn_sa_new(sa);
	rdn_watch_all();
	for (t = 0; t < RF_TIMER_MAX; t++)
		tw_deadline_init(&rdn.timer[t], timer_fire, &rdn.timer[t]);
	tw_deadline_init(&rdn.watch, rdn_watch_fire, NULL);
	if (c->redundancy.security_set) {
		fc.key = c->redundancy.key;
		fc.insecure = c->redundancy.insecure;
		rc = sync_frame_create(&fc, &rdn.frame, err, errlen);
		if (rc < 0)
			return rc;
		warn = sync_frame_warning(rdn.frame);
		if (warn != NULL)
			tw_log(TW_LOG_WARNING, RDN_LOG, "%s", warn);
	}
	if (c->ipc.enabled && rdn.frame != NULL) {
		sync_transport_cfg_from_conf(&c->ipc, &rdn.tcfg);
		rc = tr_open(err, errlen);
		if (rc < 0)
			return rc;
		ctl->poll_fn = poll_fn;
		ctl->poll_arg = NULL;
		tw_log(TW_LOG_INFO, RDN_LOG,
		       "sync: %s transport to the twin, %s, port %u -> %u",
		       sync_transport_backend(rdn.tr),
		       rdn.tr != NULL && redundancy_unit_id() == 1 ?
		       "initiator" : "responder", rdn.tcfg.local_port,
		       rdn.tcfg.remote_port);
	} else {
		tw_log(TW_LOG_NOTICE, RDN_LOG,
		       "sync: no ipc section: no twin to synchronise with, this unit follows scheme group %s alone",
		       c->redundancy.scheme);
	}
	rc = hsrp_glue_listen(on_group, NULL);
	if (rc < 0) {
		snprintf(err, errlen, "cannot follow HSRP: %s", strerror(-rc));
		return rc;
	}
	rdn.enabled = true;
	tw_heap_arm(&ctl->heap, &rdn.watch, now + TW_MSEC(SYNC_SEQ_WATCH_MS));
	memset(&ev, 0, sizeof(ev));
	ev.type = RF_EV_START;
	rdn_event(&ev, now);
	if (hsrp_glue_group_state(c->redundancy.scheme, &st) == 0) {
		memset(&ev, 0, sizeof(ev));
		ev.type = RF_EV_GROUP;
		ev.u.group.active = st == HSRP_STATE_ACTIVE;
		ev.u.group.state = hsrp_state_name(st);
		rdn_event(&ev, now);
	}
	return 0;
}

void
redundancy_fini(void)
{
	struct rf_event ev = { .type = RF_EV_STOP };
	unsigned int t;

	if (!rdn.enabled)
		goto out;
	rdn_event(&ev, ctl_now());
	rdn.enabled = false;
	for (t = 0; t < RF_TIMER_MAX; t++)
		tw_heap_cancel(&rdn.ctl->heap, &rdn.timer[t]);
	tw_heap_cancel(&rdn.ctl->heap, &rdn.watch);
	(void)rdn_marks_save();
out:
	if (rdn.ctl != NULL) {
		rdn.ctl->poll_fn = NULL;
		tr_close();
	}
	sync_frame_destroy(rdn.frame);
	rdn.frame = NULL;
	rdn_marks_free();
	free(rdn.sa);
	free(rdn.seen);
	free(rdn.twin_id);
	free(rdn.recheck);
	rdn.sa = NULL;
	rdn.seen = NULL;
	rdn.twin_id = NULL;
	rdn.recheck = NULL;
}

bool
redundancy_enabled(void)
{
	return rdn.enabled;
}

const struct rf *
redundancy_rf(void)
{
	return &rdn.rf;
}

const struct redundancy_counters *
redundancy_counters(void)
{
	return &rdn.cnt;
}

int
redundancy_transport_stats(struct sync_transport_stats *st)
{
	if (rdn.tr == NULL)
		return -ENOTCONN;
	sync_transport_stats(rdn.tr, st);
	return 0;
}

int
redundancy_frame_counters(struct sync_frame_counters *fc)
{
	if (rdn.frame == NULL)
		return -ENOTCONN;
	sync_frame_counters_read(rdn.frame, fc);
	return 0;
}

unsigned int
redundancy_unit_id(void)
{
	struct sync_transport_stats st;

	if (rdn.tr == NULL)
		return 1;
	sync_transport_stats(rdn.tr, &st);
	return st.initiator ? 1 : 2;
}

void
redundancy_sa_count(uint32_t *installed, uint32_t *decoupled)
{
	const struct sadb_sa *sa;

	*installed = *decoupled = 0;
	if (rdn.ctl == NULL)
		return;
	for (sa = sadb_sa_next(rdn.ctl->sadb, NULL); sa != NULL;
	     sa = sadb_sa_next(rdn.ctl->sadb, sa)) {
		*installed += sa->state == SADB_SA_INSTALLED;
		*decoupled += sa->state == SADB_SA_DECOUPLED;
	}
}

static int
op_event(enum rf_event_type type, char *err, size_t errlen)
{
	struct rf_event ev;

	if (!rdn.enabled) {
		snprintf(err, errlen, "Redundancy not configured");
		return -ENOTSUP;
	}
	memset(&ev, 0, sizeof(ev));
	ev.type = type;
	ev.u.op.err = err;
	ev.u.op.errlen = errlen;
	return event_rc(&ev, ctl_now());
}

int
redundancy_force_switchover(char *err, size_t errlen)
{
	return op_event(RF_EV_FORCE_SWITCHOVER, err, errlen);
}

int
redundancy_clear_standby(char *err, size_t errlen)
{
	return op_event(RF_EV_CLEAR, err, errlen);
}
