/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The redundancy state machine on a fake clock. A small harness plays the
 * daemons of two twins A and B: it carries out the actions (deadlines,
 * takeover, bulk sync from a count of held SAs), and wires the twins
 * through a fake sync channel that encodes and decodes every message with
 * the real codec. Tests walk every state and transition: lone active,
 * COLD -> NEGOTIATION -> COLD -> COLD-BULK -> HOT, keep-alive loss to
 * Communications Down and back, configuration mismatch, takeover from HOT
 * and from COLD, relinquish, force-switchover, clear, bulk failures.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "rf.h"
#include "sync_msg.h"
#include "tw_compiler.h"
#include "tw_log.h"

#define MS(x) TW_MSEC(x)
#define S(x) RF_STATE_##x
#define A 0
#define B 1
#define MAX_Q 256
#define MSG_MAX 16384
#define KA_MS 4000
#define THRESHOLD 7
#define SILENCE_MS (KA_MS * THRESHOLD)

static char log_all[65536];

static void
capture_sink(enum tw_log_level level, const char *module, const char *fmt,
	     va_list ap) __attribute__((format(printf, 3, 0)));

static void
capture_sink(enum tw_log_level level TW_UNUSED,
	     const char *module TW_UNUSED, const char *fmt, va_list ap)
{
	size_t n = strlen(log_all);
	char line[1024];

	vsnprintf(line, sizeof(line), fmt, ap);
	if (n + strlen(line) + 2 < sizeof(log_all)) {
		strcat(log_all, line);
		strcat(log_all, "\n");
	}
}

static void
assert_log(const char *s)
{
	if (strstr(log_all, s) == NULL)
		fail_msg("not in the log: \"%s\"\n--- log:\n%s", s, log_all);
}

struct twin {
	struct rf rf;
	struct rf_config cfg;
	tw_time_t dl[RF_TIMER_MAX];
	unsigned int n_sas;          /* SAs held (standby) or carried */
	unsigned int act[RF_ACT_MAX];
	unsigned int sent[SYNC_MSG_TYPE_MAX];
	bool takeover_hot;
	enum rf_state takeover_from;
	bool takeover_pending;
	bool manual_takeover;        /* the test sends TAKEOVER_DONE */
	bool drop_bulk;              /* BULK_SEND does nothing */
	unsigned int refuse;         /* records refused in each bulk */
};

struct item {
	unsigned int to;
	uint32_t len;
	uint8_t data[MSG_MAX];
};

struct world {
	struct twin t[2];
	tw_time_t now;
	bool link;                   /* connected */
	bool cut;                    /* messages lost, connection up */
	struct item q[MAX_Q];
	unsigned int qh, qt;
	struct rf_action acts[RF_ACTIONS_MAX];
};

static void
make_cfg(struct rf_config *cfg, const char *host)
{
	static const char *const names[2] = { "GCM", "VPN" };
	unsigned int i;

	memset(cfg, 0, sizeof(*cfg));
	cfg->enabled = true;
	cfg->keepalive_ms = KA_MS;
	cfg->keepalive_threshold = THRESHOLD;
	snprintf(cfg->hostname, sizeof(cfg->hostname), "%s", host);
	snprintf(cfg->scheme, sizeof(cfg->scheme), "HA-out");
	cfg->digest.n_parts = 2;
	for (i = 0; i < 2; i++) {
		cfg->digest.parts[i].kind = i == 0 ? CONF_DIGEST_TRANSFORM_SET :
			CONF_DIGEST_CRYPTO_MAP;
		snprintf(cfg->digest.parts[i].name, CONF_DIGEST_NAME_MAX, "%s",
			 names[i]);
		memset(cfg->digest.parts[i].sha, 0x30 + i, CONF_DIGEST_LEN);
	}
	assert_int_equal(conf_digest_seal(&cfg->digest), 0);
}

static void
twin_init(struct world *w, unsigned int i)
{
	struct twin *t = &w->t[i];
	char err[256];
	unsigned int k;

	assert_int_equal(rf_init(&t->rf, &t->cfg, w->now, err, sizeof(err)),
			 0);
	for (k = 0; k < RF_TIMER_MAX; k++)
		t->dl[k] = TW_TIME_NEVER;
}

static int
setup(void **state)
{
	struct world *w = calloc(1, sizeof(*w));

	if (w == NULL)
		return -1;
	log_all[0] = '\0';
	tw_log_set_sink(capture_sink);
	tw_log_set_level(TW_LOG_DEBUG);
	w->now = TW_SEC(1000);
	make_cfg(&w->t[A].cfg, "twin-a");
	make_cfg(&w->t[B].cfg, "twin-b");
	twin_init(w, A);
	twin_init(w, B);
	w->t[A].n_sas = 5;
	*state = w;
	return 0;
}

static int
teardown(void **state)
{
	struct world *w = *state;
	unsigned int i, k;

	for (i = 0; i < 2; i++) {
		assert_int_equal(w->t[i].rf.cnt.illegal_transitions, 0);
		assert_int_equal(w->t[i].rf.cnt.action_overflow, 0);
		for (k = 0; k < RF_TIMER_MAX; k++)
			assert_true(w->t[i].dl[k] == w->t[i].rf.deadline[k]);
	}
	free(w);
	tw_log_set_sink(NULL);
	return 0;
}

static void
enqueue(struct world *w, unsigned int to, const uint8_t *p, int len)
{
	struct item *it;

	assert_true(len > 0 && len <= MSG_MAX);
	if (!w->link || w->cut)
		return;
	assert_true(w->qt - w->qh < MAX_Q);
	it = &w->q[w->qt++ % MAX_Q];
	it->to = to;
	it->len = (uint32_t)len;
	memcpy(it->data, p, (size_t)len);
}

static void
make_rec(struct sync_sa_rec *r, unsigned int i)
{
	memset(r, 0, sizeof(*r));
	r->id = i;
	r->state = SADB_SA_INSTALLED;
	r->p.spi = 0x1000 + i;
	r->p.dir = i % 2 ? SADB_DIR_OUT : SADB_DIR_IN;
	r->p.cipher = CONF_CIPHER_AES_GCM_128;
	r->p.integ = CONF_INTEG_NONE;
	r->p.cipher_key_len = 20;
	r->p.replay_window = 64;
	r->p.seq = 1000 * i;
	snprintf(r->p.map, sizeof(r->p.map), "VPN");
}

/* The app of twin i answering RF_ACT_BULK_SEND: start, records, end. */
static void
bulk_send(struct world *w, unsigned int i, uint32_t id)
{
	static uint8_t buf[MSG_MAX];
	struct twin *t = &w->t[i];
	struct sync_builder b;
	struct sync_sa_rec r;
	struct sync_msg m;
	unsigned int k;
	char err[128];

	memset(&m, 0, sizeof(m));
	m.type = SYNC_MSG_BULK_START;
	m.u.bulk.id = id;
	m.u.bulk.count = t->n_sas;
	enqueue(w, 1 - i, buf, sync_msg_encode(&m, buf, sizeof(buf)));
	assert_int_equal(sync_build_begin(&b, SYNC_MSG_BULK_RECORDS, buf,
					  sizeof(buf)), 0);
	for (k = 0; k < t->n_sas; k++) {
		make_rec(&r, k + 1);
		assert_int_equal(sync_build_sa(&b, &r, err, sizeof(err)), 0);
	}
	enqueue(w, 1 - i, buf, sync_build_end(&b));
	m.type = SYNC_MSG_BULK_END;
	enqueue(w, 1 - i, buf, sync_msg_encode(&m, buf, sizeof(buf)));
}

static int ev(struct world *w, unsigned int i, struct rf_event *e);

static void
do_actions(struct world *w, unsigned int i, int n)
{
	static uint8_t buf[MSG_MAX];
	struct twin *t = &w->t[i];
	const struct rf_action *a;
	int k;

	for (k = 0; k < n; k++) {
		a = &w->acts[k];
		t->act[a->type]++;
		switch (a->type) {
		case RF_ACT_SEND:
			t->sent[a->u.send.msg->type]++;
			enqueue(w, 1 - i, buf,
				sync_msg_encode(a->u.send.msg, buf,
						sizeof(buf)));
			break;
		case RF_ACT_ARM:
			assert_true(a->u.timer.at > w->now);
			t->dl[a->u.timer.which] = a->u.timer.at;
			break;
		case RF_ACT_CANCEL:
			t->dl[a->u.timer.which] = TW_TIME_NEVER;
			break;
		case RF_ACT_TAKEOVER:
			t->takeover_hot = a->u.takeover.hot;
			t->takeover_from = a->u.takeover.from;
			t->takeover_pending = !t->manual_takeover;
			break;
		case RF_ACT_RELINQUISH:
		case RF_ACT_DROP_DECOUPLED:
			t->n_sas = 0;
			break;
		case RF_ACT_BULK_SEND:
			if (!t->drop_bulk)
				bulk_send(w, i, a->u.bulk.id);
			break;
		case RF_ACT_BULK_BEGIN:
			t->n_sas = 0;   /* all stale; refreshed below */
			break;
		case RF_ACT_STATE:
			assert_true(a->u.state.to == t->rf.state ||
				    k + 1 < n);
			break;
		default:
			break;
		}
	}
	if (t->takeover_pending) {
		struct rf_event done = { .type = RF_EV_TAKEOVER_DONE };

		t->takeover_pending = false;
		done.u.takeover.n_sas = t->n_sas;
		ev(w, i, &done);
	}
}

static int
ev(struct world *w, unsigned int i, struct rf_event *e)
{
	int n = rf_event(&w->t[i].rf, e, w->now, w->acts, RF_ACTIONS_MAX);

	if (n < 0)
		return n;
	do_actions(w, i, n);
	return n;
}

static void
ev_simple(struct world *w, unsigned int i, enum rf_event_type type)
{
	struct rf_event e = { .type = type };

	assert_true(ev(w, i, &e) >= 0);
}

static void
group(struct world *w, unsigned int i, bool active, const char *st)
{
	struct rf_event e = { .type = RF_EV_GROUP };

	e.u.group.active = active;
	e.u.group.state = st;
	assert_true(ev(w, i, &e) >= 0);
}

/* Hand each queued message to its twin, as the daemon would. */
static void
deliver(struct world *w)
{
	static struct sync_msg m;
	struct rf_event e;
	struct item *it;
	struct sync_iter iter;
	struct sync_sa_rec r;
	char err[256];
	uint32_t n;

	while (w->qh != w->qt) {
		it = &w->q[w->qh++ % MAX_Q];
		if (sync_msg_decode(it->data, it->len, &m, err,
				    sizeof(err)) != 0)
			fail_msg("decode: %s", err);
		memset(&e, 0, sizeof(e));
		switch (m.type) {
		case SYNC_MSG_HELLO:
			e.type = RF_EV_HELLO;
			e.u.hello = &m.u.hello;
			break;
		case SYNC_MSG_KEEPALIVE:
			e.type = RF_EV_KEEPALIVE;
			e.u.keepalive = &m.u.keepalive;
			break;
		case SYNC_MSG_BULK_REQUEST:
			e.type = RF_EV_BULK_REQUEST;
			e.u.bulk = m.u.bulk;
			break;
		case SYNC_MSG_BULK_START:
			e.type = RF_EV_BULK_START;
			e.u.bulk = m.u.bulk;
			break;
		case SYNC_MSG_BULK_END:
			e.type = RF_EV_BULK_END;
			e.u.bulk = m.u.bulk;
			break;
		case SYNC_MSG_BULK_RECORDS:
			n = 0;
			sync_iter_init(&iter, &m);
			while (sync_rec_next(&iter, &r) == 1)
				n++;
			if (!w->t[it->to].rf.bulk_in)
				continue;   /* the app drops them too */
			e.type = RF_EV_BULK_RECORDS;
			e.u.records.refused = w->t[it->to].refuse < n ?
				w->t[it->to].refuse : n;
			e.u.records.accepted = n - e.u.records.refused;
			w->t[it->to].n_sas += e.u.records.accepted;
			break;
		default:
			fail_msg("unexpected %s", sync_msg_type_name(m.type));
		}
		assert_true(ev(w, it->to, &e) >= 0);
	}
}

/* Advance the clock by ms, firing deadlines in order and delivering. */
static void
step(struct world *w, uint64_t ms)
{
	tw_time_t end = w->now + MS(ms), best;
	unsigned int i, k, bi, bk;
	struct rf_event e;

	for (;;) {
		best = TW_TIME_NEVER;
		bi = bk = 0;
		for (i = 0; i < 2; i++)
			for (k = 0; k < RF_TIMER_MAX; k++)
				if (w->t[i].dl[k] < best) {
					best = w->t[i].dl[k];
					bi = i;
					bk = k;
				}
		if (best > end)
			break;
		w->now = best;
		w->t[bi].dl[bk] = TW_TIME_NEVER;
		memset(&e, 0, sizeof(e));
		e.type = RF_EV_TIMER;
		e.u.timer = (enum rf_timer)bk;
		assert_true(ev(w, bi, &e) >= 0);
		deliver(w);
	}
	w->now = end;
}

static void
connect_(struct world *w)
{
	w->link = true;
	ev_simple(w, A, RF_EV_CONN_UP);
	ev_simple(w, B, RF_EV_CONN_UP);
	deliver(w);
}

static void
disconnect_(struct world *w)
{
	w->link = false;
	w->qh = w->qt = 0;
	ev_simple(w, A, RF_EV_CONN_DOWN);
	ev_simple(w, B, RF_EV_CONN_DOWN);
}

/* A ACTIVE with 5 SAs, B STANDBY HOT holding them. */
static void
bring_up(struct world *w)
{
	ev_simple(w, A, RF_EV_START);
	group(w, A, true, "Active");
	assert_int_equal(w->t[A].rf.state, S(ACTIVE));
	ev_simple(w, B, RF_EV_START);
	group(w, B, false, "Standby");
	assert_int_equal(w->t[B].rf.state, S(STANDBY_COLD));
	connect_(w);
	step(w, 1);
}

static void
test_names_and_table(void **state TW_UNUSED)
{
	static const char *const names[] = {
		"?", "DISABLED", "INITIALIZATION", "NEGOTIATION",
		"STANDBY COLD", "STANDBY COLD-CONFIG", "STANDBY COLD-FILESYS",
		"STANDBY COLD-BULK", "STANDBY HOT", "ACTIVE FAST",
		"ACTIVE DRAIN", "ACTIVE PRECONFIG", "ACTIVE POSTCONFIG",
		"ACTIVE",
	};
	static const enum rf_state unused[] = {
		S(STANDBY_COLD_CONFIG), S(STANDBY_COLD_FILESYS),
		S(ACTIVE_DRAIN), S(ACTIVE_PRECONFIG), S(ACTIVE_POSTCONFIG),
	};
	unsigned int s, u, n_in;

	/* IOS numbers: show redundancy prints the enum values. */
	assert_int_equal(S(DISABLED), 1);
	assert_int_equal(S(STANDBY_COLD), 4);
	assert_int_equal(S(STANDBY_COLD_BULK), 7);
	assert_int_equal(S(STANDBY_HOT), 8);
	assert_int_equal(S(ACTIVE), 13);
	for (s = 0; s <= RF_STATE_MAX; s++)
		assert_string_equal(rf_state_name((enum rf_state)s),
				    s < RF_STATE_MAX ? names[s] : "?");
	/* Display-only states are neither entered nor left. */
	for (u = 0; u < sizeof(unused) / sizeof(unused[0]); u++)
		for (s = 1; s < RF_STATE_MAX; s++) {
			assert_false(rf_transition_allowed(unused[u], s));
			assert_false(rf_transition_allowed(s, unused[u]));
		}
	/* Every used state can be entered, and can reach DISABLED. */
	for (s = S(DISABLED); s < RF_STATE_MAX; s++) {
		bool is_unused = false;

		for (u = 0; u < sizeof(unused) / sizeof(unused[0]); u++)
			is_unused |= unused[u] == s;
		if (is_unused)
			continue;
		for (u = 1, n_in = 0; u < RF_STATE_MAX; u++)
			n_in += rf_transition_allowed(u, s);
		assert_true(n_in > 0);
		if (s != S(DISABLED))
			assert_true(rf_transition_allowed(s, S(DISABLED)));
	}
	assert_true(rf_transition_allowed(S(DISABLED), S(INITIALIZATION)));
	assert_false(rf_transition_allowed(S(DISABLED), S(ACTIVE)));
	assert_false(rf_transition_allowed(S(STANDBY_COLD), S(STANDBY_HOT)));
	assert_true(rf_transition_allowed(S(STANDBY_COLD_BULK),
					  S(STANDBY_HOT)));
	assert_false(rf_transition_allowed(S(ACTIVE), S(STANDBY_HOT)));
	assert_false(rf_transition_allowed(0, S(ACTIVE)));
	assert_false(rf_transition_allowed(S(ACTIVE), RF_STATE_MAX));
	assert_string_equal(rf_event_name(RF_EV_BULK_END), "BULK_END");
	assert_string_equal(rf_event_name(RF_EV_MAX), "?");
	assert_string_equal(rf_action_name(RF_ACT_TAKEOVER), "takeover");
	assert_string_equal(rf_action_name(RF_ACT_MAX), "?");
	assert_string_equal(rf_timer_name(RF_TIMER_KEEPALIVE), "keep-alive");
	assert_string_equal(rf_timer_name(RF_TIMER_MAX), "?");
}

static void
test_config(void **state)
{
	struct world *w = *state;
	struct rf_config cfg = w->t[A].cfg;
	struct rf_event e = { .type = RF_EV_START };
	struct rf rf;
	char err[256];

	cfg.keepalive_ms = 50;
	assert_int_equal(rf_init(&rf, &cfg, 0, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "interval 100-60000 ms"));
	cfg.keepalive_ms = KA_MS;
	cfg.keepalive_threshold = 1;
	assert_int_equal(rf_init(&rf, &cfg, 0, err, sizeof(err)), -EINVAL);
	cfg.keepalive_threshold = THRESHOLD;
	cfg.enabled = false;
	assert_int_equal(rf_init(&rf, &cfg, 0, err, sizeof(err)), 0);
	assert_int_equal(rf.state, S(DISABLED));
	assert_int_equal(rf_event(&rf, &e, 0, w->acts, RF_ACTIONS_MAX),
			 -EINVAL);
	/* Too small an action array, bad event types. */
	assert_int_equal(rf_event(&w->t[A].rf, &e, 0, w->acts, 3), -EINVAL);
	e.type = RF_EV_MAX;
	assert_int_equal(rf_event(&w->t[A].rf, &e, 0, w->acts,
				  RF_ACTIONS_MAX), -EINVAL);
	e.type = RF_EV_TIMER;
	e.u.timer = RF_TIMER_MAX;
	assert_int_equal(rf_event(&w->t[A].rf, &e, 0, w->acts,
				  RF_ACTIONS_MAX), -EINVAL);
}

/* Alone, the scheme group Active: ACTIVE FAST, takeover of nothing, ACTIVE. */
static void
test_lone_active(void **state)
{
	struct world *w = *state;
	struct rf_status st;
	char err[128] = "";
	struct rf_event e = { .type = RF_EV_FORCE_SWITCHOVER };

	ev_simple(w, A, RF_EV_START);
	assert_int_equal(w->t[A].rf.state, S(INITIALIZATION));
	assert_log("RF: DISABLED -> INITIALIZATION (redundancy configured, scheme standby HA-out)");
	ev_simple(w, A, RF_EV_START);     /* again: nothing */
	group(w, A, false, "Listen");
	assert_int_equal(w->t[A].rf.state, S(STANDBY_COLD));
	assert_log("RF: INITIALIZATION -> STANDBY COLD (scheme group HA-out is Listen)");
	group(w, A, false, "Speak");      /* still not Active: no change */
	assert_int_equal(w->t[A].rf.cnt.state_changes, 2);
	w->now += MS(500);
	group(w, A, true, "Active");
	assert_log("RF: STANDBY COLD -> ACTIVE FAST (scheme group HA-out became Active)");
	assert_log("RF: taking over from STANDBY COLD: the SA state held may be incomplete");
	assert_int_equal(w->t[A].act[RF_ACT_TAKEOVER], 1);
	assert_false(w->t[A].takeover_hot);
	assert_int_equal(w->t[A].takeover_from, S(STANDBY_COLD));
	assert_int_equal(w->t[A].rf.state, S(ACTIVE));
	assert_log("RF: takeover from STANDBY COLD complete: 5 SAs installed in 0.000 ms");
	assert_log("RF: ACTIVE FAST -> ACTIVE (takeover complete, 5 SAs)");
	assert_true(rf_is_active(&w->t[A].rf));
	assert_false(rf_mirroring(&w->t[A].rf));
	/* No twin: nothing sent, Simplex, Communications Down. */
	assert_int_equal(w->t[A].act[RF_ACT_SEND], 0);
	rf_status(&w->t[A].rf, w->now + MS(250), &st);
	assert_true(st.configured);
	assert_int_equal(st.my_state, 13);
	assert_string_equal(st.my_state_name, "ACTIVE");
	assert_int_equal(st.peer_state, 1);
	assert_string_equal(st.peer_state_name, "DISABLED");
	assert_false(st.duplex);
	assert_false(st.comm_up);
	assert_false(st.manual_swact);
	assert_int_equal(st.uptime_ms, 750);
	assert_int_equal(st.in_state_ms, 250);
	assert_int_equal(st.keepalive_ms, KA_MS);
	assert_int_equal(st.keepalive_threshold, THRESHOLD);
	assert_string_equal(st.last_reason, "takeover complete, 5 SAs");
	/* from STANDBY COLD, but a twin never seen: a start, not a
	 * switchover */
	assert_int_equal(st.switchovers, 0);
	e.u.op.err = err;
	e.u.op.errlen = sizeof(err);
	assert_int_equal(ev(w, A, &e), -ENOTCONN);
	assert_string_equal(err, "Communications Down: no twin to switch over to");
}

/* Both twins to ACTIVE / STANDBY HOT, every step checked. */
static void
test_pair_to_hot(void **state)
{
	struct world *w = *state;
	struct rf_status st;

	ev_simple(w, A, RF_EV_START);
	group(w, A, true, "Active");
	assert_log("RF: INITIALIZATION -> ACTIVE FAST (scheme group HA-out became Active)");
	assert_log("RF: taking over from INITIALIZATION: the SA state held may be incomplete");
	assert_int_equal(w->t[A].rf.cnt.switchovers, 0);  /* not a standby */
	ev_simple(w, B, RF_EV_START);
	group(w, B, false, "Standby");
	assert_log("RF: INITIALIZATION -> STANDBY COLD (scheme group HA-out is Standby)");

	w->link = true;
	ev_simple(w, A, RF_EV_CONN_UP);
	assert_int_equal(w->t[A].rf.state, S(ACTIVE));
	assert_int_equal(w->t[A].sent[SYNC_MSG_HELLO], 1);
	ev_simple(w, B, RF_EV_CONN_UP);
	assert_int_equal(w->t[B].rf.state, S(NEGOTIATION));
	assert_log("RF: STANDBY COLD -> NEGOTIATION (connection to the twin up)");
	assert_log("RF: Communications Up");
	deliver(w);
	assert_log("RF: NEGOTIATION -> STANDBY COLD (twin twin-a HELLO, active, configuration matches)");
	assert_log("RF: asking the twin for a bulk sync (request 1)");
	assert_log("RF: bulk sync 1 to twin twin-b");
	assert_log("RF: STANDBY COLD -> STANDBY COLD-BULK (bulk sync started, 5 records)");
	assert_log("RF: STANDBY COLD-BULK -> STANDBY HOT (bulk sync complete, 5 records)");
	assert_int_equal(w->t[B].rf.state, S(STANDBY_HOT));
	assert_int_equal(w->t[B].n_sas, 5);
	assert_int_equal(w->t[B].act[RF_ACT_BULK_BEGIN], 1);
	assert_int_equal(w->t[B].act[RF_ACT_BULK_COMMIT], 1);
	assert_int_equal(w->t[B].sent[SYNC_MSG_BULK_REQUEST], 1);
	assert_int_equal(w->t[A].rf.cnt.bulks_sent, 1);
	assert_int_equal(w->t[B].rf.cnt.bulks_received, 1);
	assert_int_equal(w->t[B].rf.cnt.records_in, 5);
	/* Each side knows the other's state (HELLO, then KEEPALIVEs). */
	assert_int_equal(w->t[A].rf.peer_state, S(STANDBY_HOT));
	assert_int_equal(w->t[B].rf.peer_state, S(ACTIVE));
	assert_true(rf_mirroring(&w->t[A].rf));
	assert_false(rf_mirroring(&w->t[B].rf));

	step(w, 3 * KA_MS);
	assert_int_equal(w->t[A].rf.ka_missed, 0);
	assert_true(w->t[A].rf.cnt.keepalives_in >= 3);
	rf_status(&w->t[A].rf, w->now, &st);
	assert_int_equal(st.my_state, 13);
	assert_int_equal(st.peer_state, 8);
	assert_string_equal(st.peer_state_name, "STANDBY HOT");
	assert_true(st.duplex);
	assert_true(st.comm_up);
	assert_true(st.manual_swact);
	assert_int_equal(st.comm_up_ms, 3 * KA_MS);
	assert_int_equal(st.keepalive_count, 0);
	assert_true(st.keepalives_sent >= 3);
	assert_string_equal(st.peer_hostname, "twin-b");
	assert_string_equal(st.mismatch, "");
	rf_status(&w->t[B].rf, w->now, &st);
	assert_int_equal(st.my_state, 8);
	assert_false(st.manual_swact);
	assert_int_equal(st.bulk_got, 5);
	assert_int_equal(st.bulk_expect, 5);
	assert_int_equal(w->t[A].rf.cnt.hellos_in, 1);
	assert_int_equal(w->t[B].rf.cnt.hellos_in, 1);
}

/*
 * The sync channel goes silent: after threshold intervals without a word
 * Communications Down, the standby COLD with its SAs kept; reconnected, a
 * bulk sync makes it HOT again.
 */
static void
test_keepalive_loss(void **state)
{
	struct world *w = *state;
	struct rf_status st;

	bring_up(w);
	step(w, KA_MS);          /* one interval heard */
	w->cut = true;
	step(w, (THRESHOLD - 1) * KA_MS);
	assert_true(w->t[B].rf.comm_up);
	assert_int_equal(w->t[B].rf.ka_missed, THRESHOLD - 1);
	assert_int_equal(w->t[B].rf.state, S(STANDBY_HOT));
	rf_status(&w->t[B].rf, w->now, &st);
	assert_int_equal(st.keepalive_count, THRESHOLD - 1);
	step(w, KA_MS);
	assert_false(w->t[B].rf.comm_up);
	/* A heard B's keep-alive of the same instant: one interval later. */
	assert_true(w->t[A].rf.comm_up);
	step(w, KA_MS);
	assert_false(w->t[A].rf.comm_up);
	assert_log("RF: Communications Down: nothing from the twin in 7 keep-alive intervals of 4000 ms");
	assert_log("RF: STANDBY HOT -> STANDBY COLD (keep-alive threshold reached, Communications Down)");
	assert_int_equal(w->t[B].rf.state, S(STANDBY_COLD));
	assert_int_equal(w->t[A].rf.state, S(ACTIVE));
	assert_int_equal(w->t[A].act[RF_ACT_DISCONNECT], 1);
	assert_int_equal(w->t[B].act[RF_ACT_DISCONNECT], 1);
	assert_int_equal(w->t[B].n_sas, 5);      /* kept for a takeover */
	assert_int_equal(w->t[B].act[RF_ACT_DROP_DECOUPLED], 0);
	assert_int_equal(w->t[B].rf.cnt.keepalives_missed, THRESHOLD);
	assert_true(w->t[B].dl[RF_TIMER_KEEPALIVE] == TW_TIME_NEVER);
	rf_status(&w->t[B].rf, w->now, &st);
	assert_false(st.comm_up);
	assert_false(st.duplex);
	assert_int_equal(st.peer_state, S(DISABLED));
	assert_int_equal(st.keepalive_count, THRESHOLD);
	/* Nothing more happens while down. */
	step(w, 10 * KA_MS);
	assert_int_equal(w->t[B].rf.cnt.comm_down, 1);

	/* The daemons drop the connection and connect again. */
	disconnect_(w);
	assert_int_equal(w->t[B].rf.state, S(STANDBY_COLD));
	w->cut = false;
	connect_(w);
	assert_int_equal(w->t[B].rf.state, S(STANDBY_HOT));
	assert_int_equal(w->t[B].rf.cnt.bulks_received, 2);
	assert_int_equal(w->t[B].n_sas, 5);
	assert_true(w->t[B].rf.comm_up);
	assert_int_equal(w->t[B].rf.ka_missed, 0);
	assert_log("RF: NEGOTIATION -> STANDBY COLD (twin twin-a HELLO");
}

/* A different crypto map on the standby: COLD, saying which part, no bulk. */
static void
test_digest_mismatch(void **state)
{
	struct world *w = *state;
	struct rf_event e;
	struct rf_status st;
	char err[128] = "";

	w->t[B].cfg.digest.parts[1].sha[5] ^= 1;
	assert_int_equal(conf_digest_seal(&w->t[B].cfg.digest), 0);
	twin_init(w, B);
	bring_up(w);
	assert_int_equal(w->t[B].rf.state, S(STANDBY_COLD));
	assert_log("RF: NEGOTIATION -> STANDBY COLD (configuration differs from twin twin-a's: crypto map 'VPN' differs)");
	assert_log("RF: configuration differs from twin twin-a's: crypto map 'VPN' differs (staying COLD: we could not take over)");
	assert_log("RF: configuration differs from twin twin-b's: crypto map 'VPN' differs (it cannot take over; no bulk sync for it)");
	assert_int_equal(w->t[B].sent[SYNC_MSG_BULK_REQUEST], 0);
	assert_int_equal(w->t[B].rf.cnt.digest_mismatches, 1);
	assert_false(rf_mirroring(&w->t[A].rf));
	rf_status(&w->t[B].rf, w->now, &st);
	assert_string_equal(st.mismatch,
			    "configuration differs from twin twin-a's: crypto map 'VPN' differs");
	assert_true(st.duplex);
	/* Stays so: keep-alives flow, nothing else. */
	step(w, 5 * SILENCE_MS);
	assert_int_equal(w->t[B].rf.state, S(STANDBY_COLD));
	assert_int_equal(w->t[B].rf.cnt.state_changes, 4);
	/* A request reaching the active anyway is refused. */
	memset(&e, 0, sizeof(e));
	e.type = RF_EV_BULK_REQUEST;
	e.u.bulk.id = 9;
	assert_int_equal(ev(w, A, &e), 0);
	assert_int_equal(w->t[A].rf.cnt.bulks_sent, 0);
	assert_log("RF: bulk sync request 9 ignored: the twin's configuration differs");
	/* A force-switchover to a COLD twin is refused. */
	memset(&e, 0, sizeof(e));
	e.type = RF_EV_FORCE_SWITCHOVER;
	e.u.op.err = err;
	e.u.op.errlen = sizeof(err);
	assert_int_equal(ev(w, A, &e), -EAGAIN);
	assert_string_equal(err, "the twin is STANDBY COLD, not STANDBY HOT: a switchover now would lose SA state");
}

/*
 * A reload changes the crypto map on the standby, then on the active
 * (RF_EV_RECONFIG): each side compares again at once; the standby is
 * COLD with the mismatch in between, the active stops mirroring, and
 * once both match the standby takes a new bulk sync and is HOT again.
 */
static void
test_reconfig(void **state)
{
	struct world *w = *state;
	struct rf_config changed;
	struct rf_event e;
	struct rf_status st;

	bring_up(w);
	assert_int_equal(w->t[B].rf.state, S(STANDBY_HOT));
	changed = w->t[B].cfg;
	changed.digest.parts[1].sha[7] ^= 1;
	assert_int_equal(conf_digest_seal(&changed.digest), 0);
	memset(&e, 0, sizeof(e));
	e.type = RF_EV_RECONFIG;
	assert_int_equal(ev(w, B, &e), -EINVAL);  /* no digest */
	e.u.digest = &changed.digest;
	assert_true(ev(w, B, &e) >= 0);
	/* B knows at once; A when B's HELLO arrives. */
	assert_int_equal(w->t[B].rf.state, S(STANDBY_COLD));
	assert_log("RF: configuration reloaded: digest sent to the twin and compared again");
	assert_log("RF: STANDBY HOT -> STANDBY COLD (configuration differs from twin twin-a's: crypto map 'VPN' differs)");
	deliver(w);
	assert_false(rf_mirroring(&w->t[A].rf));
	assert_log("RF: configuration differs from twin twin-b's: crypto map 'VPN' differs (it cannot take over; no bulk sync for it)");
	rf_status(&w->t[B].rf, w->now, &st);
	assert_string_equal(st.mismatch,
			    "configuration differs from twin twin-a's: crypto map 'VPN' differs");
	/* Stays so while only one twin has the change. */
	step(w, 3 * SILENCE_MS);
	assert_int_equal(w->t[B].rf.state, S(STANDBY_COLD));
	assert_true(w->t[B].rf.comm_up);
	assert_int_equal(w->t[A].rf.cnt.bulks_sent, 1);
	/* The same change on A: both match, a new bulk, B HOT again. */
	assert_true(ev(w, A, &e) >= 0);
	assert_true(w->t[A].rf.peer_ok);
	deliver(w);
	assert_int_equal(w->t[B].rf.state, S(STANDBY_HOT));
	assert_true(rf_mirroring(&w->t[A].rf));
	assert_int_equal(w->t[A].rf.cnt.bulks_sent, 2);
	assert_int_equal(w->t[B].rf.cnt.bulks_received, 2);
	assert_int_equal(w->t[B].n_sas, 5);
	rf_status(&w->t[B].rf, w->now, &st);
	assert_string_equal(st.mismatch, "");
	assert_int_equal(w->t[A].rf.state, S(ACTIVE));
}

static void
test_version_mismatch(void **state)
{
	struct world *w = *state;
	struct sync_msg m;
	struct rf_event e = { .type = RF_EV_HELLO };

	bring_up(w);
	memset(&m, 0, sizeof(m));
	m.u.hello = w->t[A].rf.tx_hello.u.hello;
	m.u.hello.proto_version = 2;
	e.u.hello = &m.u.hello;
	assert_true(ev(w, B, &e) > 0);
	assert_int_equal(w->t[B].rf.state, S(STANDBY_COLD));
	assert_log("RF: STANDBY HOT -> STANDBY COLD (twin twin-a speaks sync protocol version 2, we speak 1)");
}

/* HSRP makes the HOT standby active, then the old active standby. */
static void
test_takeover_hot_and_relinquish(void **state)
{
	struct world *w = *state;

	bring_up(w);
	w->now += MS(10);
	group(w, B, true, "Active");
	assert_log("RF: STANDBY HOT -> ACTIVE FAST (scheme group HA-out became Active)");
	assert_log("RF: taking over from STANDBY HOT\n");
	assert_true(w->t[B].takeover_hot);
	assert_int_equal(w->t[B].takeover_from, S(STANDBY_HOT));
	assert_int_equal(w->t[B].rf.state, S(ACTIVE));
	assert_log("RF: takeover from STANDBY HOT complete: 5 SAs installed");
	assert_int_equal(w->t[B].rf.cnt.switchovers, 1);
	assert_int_equal(w->t[B].rf.cnt.takeovers, 1);
	deliver(w);              /* B's HELLO (active) reaches A */
	assert_int_equal(w->t[A].rf.peer_role, SYNC_ROLE_ACTIVE);
	assert_int_equal(w->t[A].rf.state, S(ACTIVE));  /* HSRP decides */

	group(w, A, false, "Speak");
	assert_log("RF: ACTIVE -> STANDBY COLD (scheme group HA-out left Active (Speak))");
	assert_int_equal(w->t[A].act[RF_ACT_RELINQUISH], 1);
	assert_int_equal(w->t[A].rf.cnt.relinquishes, 1);
	assert_int_equal(w->t[A].n_sas, 0);
	assert_int_equal(w->t[A].sent[SYNC_MSG_BULK_REQUEST], 1);
	deliver(w);
	assert_int_equal(w->t[A].rf.state, S(STANDBY_HOT));
	assert_int_equal(w->t[A].n_sas, 5);
	assert_int_equal(w->t[B].rf.peer_state, S(STANDBY_HOT));
	assert_true(rf_mirroring(&w->t[B].rf));
	assert_false(rf_mirroring(&w->t[A].rf));
	assert_int_equal(w->t[A].rf.cnt.switchovers, 0);
}

/*
 * The old active relinquishes first; the standby's takeover takes a while
 * (ACTIVE FAST) and the resync request arriving meanwhile is served once
 * it is ACTIVE.
 */
static void
test_takeover_pending_bulk(void **state)
{
	struct world *w = *state;
	struct rf_event done = { .type = RF_EV_TAKEOVER_DONE };

	bring_up(w);
	group(w, A, false, "Speak");
	assert_int_equal(w->t[A].rf.state, S(STANDBY_COLD));
	/* B is a standby too: no one to ask yet. */
	assert_int_equal(w->t[A].sent[SYNC_MSG_BULK_REQUEST], 0);
	deliver(w);
	w->t[B].manual_takeover = true;
	group(w, B, true, "Active");
	assert_int_equal(w->t[B].rf.state, S(ACTIVE_FAST));
	deliver(w);              /* A asks, B is still taking over */
	assert_int_equal(w->t[A].sent[SYNC_MSG_BULK_REQUEST], 1);
	assert_true(w->t[B].rf.bulk_pending);
	assert_int_equal(w->t[B].rf.cnt.bulks_sent, 0);
	w->now += MS(40);
	done.u.takeover.n_sas = w->t[B].n_sas;
	assert_true(ev(w, B, &done) > 0);
	assert_log("RF: takeover from STANDBY HOT complete: 5 SAs installed in 40.000 ms");
	assert_int_equal(w->t[B].rf.state, S(ACTIVE));
	assert_int_equal(w->t[B].rf.cnt.bulks_sent, 1);
	deliver(w);
	assert_int_equal(w->t[A].rf.state, S(STANDBY_HOT));
	assert_int_equal(w->t[A].n_sas, 5);
	/* A second TAKEOVER_DONE means nothing now. */
	assert_int_equal(ev(w, B, &done), 0);
	assert_int_equal(w->t[B].rf.cnt.unexpected, 1);
}

/* The active dies: the connection drops, then HSRP makes B active. */
static void
test_takeover_cold(void **state)
{
	struct world *w = *state;

	bring_up(w);
	w->link = false;
	ev_simple(w, B, RF_EV_CONN_DOWN);
	assert_log("RF: Communications Down (connection to the twin lost)");
	assert_log("RF: STANDBY HOT -> STANDBY COLD (connection to the twin lost)");
	assert_int_equal(w->t[B].n_sas, 5);
	ev_simple(w, B, RF_EV_CONN_DOWN);    /* again: nothing */
	assert_int_equal(w->t[B].rf.cnt.conn_downs, 1);
	group(w, B, true, "Active");
	assert_false(w->t[B].takeover_hot);
	assert_int_equal(w->t[B].takeover_from, S(STANDBY_COLD));
	assert_log("RF: taking over from STANDBY COLD: the SA state held may be incomplete");
	assert_int_equal(w->t[B].rf.state, S(ACTIVE));
	assert_int_equal(w->t[B].rf.cnt.switchovers, 1);
	/* Nothing sent while disconnected. */
	assert_int_equal(w->t[B].rf.cnt.hellos_out, 1);
}

static void
test_force_switchover(void **state)
{
	struct world *w = *state;
	struct rf_event e = { .type = RF_EV_FORCE_SWITCHOVER };
	char err[160] = "";

	bring_up(w);
	e.u.op.err = err;
	e.u.op.errlen = sizeof(err);
	assert_int_equal(ev(w, B, &e), -EPERM);
	assert_string_equal(err, "this unit is STANDBY HOT, not ACTIVE: force a switchover on the active twin");
	assert_int_equal(w->t[B].act[RF_ACT_RESIGN], 0);
	assert_true(ev(w, A, &e) > 0);
	assert_int_equal(w->t[A].act[RF_ACT_RESIGN], 1);
	assert_log("RF: force-switchover: scheme group HA-out resigns Active to twin twin-b");
	assert_int_equal(w->t[A].rf.state, S(ACTIVE));  /* HSRP decides */
	/* HSRP: A resigns, B's group takes over. */
	group(w, A, false, "Speak");
	group(w, B, true, "Active");
	deliver(w);
	assert_int_equal(w->t[A].rf.state, S(STANDBY_HOT));
	assert_int_equal(w->t[B].rf.state, S(ACTIVE));
	assert_int_equal(w->t[B].rf.cnt.switchovers, 1);
	assert_int_equal(w->t[A].rf.cnt.force_switchovers, 1);
	/* And back. */
	assert_true(ev(w, B, &e) > 0);
	group(w, B, false, "Speak");
	group(w, A, true, "Active");
	deliver(w);
	assert_int_equal(w->t[A].rf.state, S(ACTIVE));
	assert_int_equal(w->t[B].rf.state, S(STANDBY_HOT));
	assert_int_equal(w->t[A].n_sas, 5);
	assert_int_equal(w->t[B].n_sas, 5);
}

static void
test_clear(void **state)
{
	struct world *w = *state;
	struct rf_event e = { .type = RF_EV_CLEAR };
	char err[160] = "";

	bring_up(w);
	e.u.op.err = err;
	e.u.op.errlen = sizeof(err);
	assert_int_equal(ev(w, A, &e), -EPERM);
	assert_string_equal(err, "this unit is ACTIVE: only a standby clears and resynchronises its SAs");
	assert_true(ev(w, B, &e) > 0);
	assert_int_equal(w->t[B].act[RF_ACT_DROP_DECOUPLED], 1);
	assert_log("RF: STANDBY HOT -> STANDBY COLD (cleared by operator, resynchronising)");
	assert_int_equal(w->t[B].n_sas, 0);
	assert_int_equal(w->t[B].sent[SYNC_MSG_BULK_REQUEST], 2);
	deliver(w);
	assert_int_equal(w->t[B].rf.state, S(STANDBY_HOT));
	assert_int_equal(w->t[B].n_sas, 5);
	assert_int_equal(w->t[B].rf.cnt.clears, 1);
	/* On a COLD standby without a twin: dropped, nothing to ask. */
	disconnect_(w);
	assert_true(ev(w, B, &e) > 0);
	assert_int_equal(w->t[B].n_sas, 0);
	assert_int_equal(w->t[B].rf.state, S(STANDBY_COLD));
	assert_int_equal(w->t[B].sent[SYNC_MSG_BULK_REQUEST], 2);
}

/* Records refused by the standby: COLD with the reason, retried later. */
static void
test_bulk_refused(void **state)
{
	struct world *w = *state;

	w->t[B].refuse = 2;
	bring_up(w);
	assert_int_equal(w->t[B].rf.state, S(STANDBY_COLD));
	assert_log("RF: STANDBY COLD-BULK -> STANDBY COLD (bulk sync incomplete: 3 of 5 records stored, 2 refused, the twin sent 5)");
	assert_int_equal(w->t[B].rf.cnt.bulk_failures, 1);
	assert_int_equal(w->t[B].rf.cnt.records_refused, 2);
	/* No hot loop: the next request waits for the retry delay. */
	assert_int_equal(w->t[B].sent[SYNC_MSG_BULK_REQUEST], 1);
	step(w, SILENCE_MS - 2);   /* bring_up() ended 1 ms after it */
	assert_int_equal(w->t[B].sent[SYNC_MSG_BULK_REQUEST], 1);
	w->t[B].refuse = 0;
	step(w, 1);
	assert_log("RF: asking the twin for a bulk sync (request 2)");
	assert_int_equal(w->t[B].rf.state, S(STANDBY_HOT));
	assert_int_equal(w->t[B].n_sas, 5);
}

/* The active never answers: the request times out and is made again. */
static void
test_bulk_stall(void **state)
{
	struct world *w = *state;

	w->t[A].drop_bulk = true;
	bring_up(w);
	assert_int_equal(w->t[B].rf.state, S(STANDBY_COLD));
	assert_true(w->t[B].rf.bulk_requested);
	w->t[A].drop_bulk = false;
	step(w, SILENCE_MS);
	assert_log("RF: bulk sync 1 stalled (not started, 0 of 0 records)");
	assert_int_equal(w->t[B].rf.cnt.bulk_timeouts, 1);
	assert_int_equal(w->t[B].sent[SYNC_MSG_BULK_REQUEST], 2);
	assert_int_equal(w->t[B].rf.state, S(STANDBY_HOT));
	/* The stale answer to request 1 arriving now is ignored. */
	{
		struct rf_event e = { .type = RF_EV_BULK_START };

		e.u.bulk.id = 1;
		e.u.bulk.count = 5;
		assert_int_equal(ev(w, B, &e), 0);
		assert_int_equal(w->t[B].rf.state, S(STANDBY_HOT));
	}
	/* A bulk that starts and then stalls. */
	w->t[B].rf.bulk_hold = false;
	{
		struct rf_event e = { .type = RF_EV_CLEAR };

		w->t[A].drop_bulk = true;
		assert_true(ev(w, B, &e) > 0);
		deliver(w);
		memset(&e, 0, sizeof(e));
		e.type = RF_EV_BULK_START;
		e.u.bulk.id = w->t[B].rf.bulk_id;
		e.u.bulk.count = 5;
		assert_true(ev(w, B, &e) > 0);
		assert_int_equal(w->t[B].rf.state, S(STANDBY_COLD_BULK));
		memset(&e, 0, sizeof(e));
		e.type = RF_EV_BULK_RECORDS;
		e.u.records.accepted = 2;
		w->now += MS(SILENCE_MS / 2);
		assert_true(ev(w, B, &e) > 0);   /* progress moves the deadline */
		step(w, SILENCE_MS - 1);
		assert_int_equal(w->t[B].rf.state, S(STANDBY_COLD_BULK));
		w->t[A].drop_bulk = false;
		step(w, 1);
		assert_log("RF: bulk sync 3 stalled (started, 2 of 5 records)");
		assert_log("RF: STANDBY COLD-BULK -> STANDBY COLD (bulk sync timed out)");
		assert_int_equal(w->t[B].rf.state, S(STANDBY_HOT));
	}
}

/* Before the scheme group says anything; then stop. */
static void
test_init_negotiation_stop(void **state)
{
	struct world *w = *state;
	struct rf_event e = { .type = RF_EV_TIMER };

	/* Connected before starting: the HELLO goes out at start. */
	w->link = true;
	ev_simple(w, A, RF_EV_CONN_UP);
	assert_int_equal(w->t[A].sent[SYNC_MSG_HELLO], 0);
	ev_simple(w, A, RF_EV_START);
	assert_int_equal(w->t[A].rf.state, S(NEGOTIATION));
	assert_int_equal(w->t[A].sent[SYNC_MSG_HELLO], 1);
	ev_simple(w, B, RF_EV_START);
	assert_int_equal(w->t[B].rf.state, S(INITIALIZATION));
	ev_simple(w, B, RF_EV_CONN_UP);
	assert_log("RF: INITIALIZATION -> NEGOTIATION (connection to the twin up)");
	deliver(w);
	/* HELLOs exchanged; roles still unknown: NEGOTIATION stays. */
	assert_int_equal(w->t[A].rf.state, S(NEGOTIATION));
	assert_int_equal(w->t[B].rf.state, S(NEGOTIATION));
	assert_true(w->t[B].rf.peer_ok);
	assert_int_equal(w->t[B].rf.peer_role, SYNC_ROLE_NONE);
	step(w, 2 * KA_MS);
	assert_int_equal(w->t[A].rf.cnt.hellos_out, 1);  /* no resends */
	ev_simple(w, B, RF_EV_CONN_DOWN);
	assert_log("RF: NEGOTIATION -> INITIALIZATION (connection to the twin lost)");
	/* A stale deadline (cancelled by the disconnect) is ignored. */
	e.u.timer = RF_TIMER_KEEPALIVE;
	assert_int_equal(ev(w, B, &e), 0);
	assert_int_equal(w->t[B].rf.cnt.stale_timers, 1);
	/* ... and so is one fired early. */
	e.u.timer = RF_TIMER_KEEPALIVE;
	assert_int_equal(ev(w, A, &e), 0);
	assert_int_equal(w->t[A].rf.cnt.stale_timers, 1);
	/* Messages without a connection count as unexpected. */
	{
		struct rf_event k = { .type = RF_EV_KEEPALIVE };
		struct sync_keepalive ka = { SYNC_ROLE_ACTIVE, 13, true, 1 };

		k.u.keepalive = &ka;
		assert_int_equal(ev(w, B, &k), 0);
		assert_int_equal(w->t[B].rf.cnt.unexpected, 1);
	}
	ev_simple(w, A, RF_EV_STOP);
	assert_log("RF: NEGOTIATION -> DISABLED (stopped)");
	assert_true(w->t[A].dl[RF_TIMER_KEEPALIVE] == TW_TIME_NEVER);
	group(w, A, true, "Active");         /* disabled: stays */
	assert_int_equal(w->t[A].rf.state, S(DISABLED));
	ev_simple(w, A, RF_EV_START);
	assert_int_equal(w->t[A].rf.state, S(ACTIVE));
}

/* A HELLO lost before the twin could read it is sent again. */
static void
test_hello_resent(void **state)
{
	struct world *w = *state;

	ev_simple(w, A, RF_EV_START);
	group(w, A, true, "Active");
	ev_simple(w, B, RF_EV_START);
	group(w, B, false, "Standby");
	w->link = true;
	ev_simple(w, A, RF_EV_CONN_UP);
	w->qh = w->qt = 0;                   /* A's HELLO is lost */
	ev_simple(w, B, RF_EV_CONN_UP);
	deliver(w);
	assert_int_equal(w->t[B].rf.state, S(NEGOTIATION));
	step(w, KA_MS);                      /* B's keep-alive: "no HELLO" */
	assert_int_equal(w->t[A].sent[SYNC_MSG_HELLO], 2);
	assert_int_equal(w->t[B].rf.state, S(STANDBY_HOT));
}

/*
 * Split brain: HSRP between the twins is lost, B takes over while A is
 * still ACTIVE, the sync channel carries on. Both see two ACTIVE twins;
 * after RF_SPLIT_GRACE_MS the rank decides (A: priority 110 > 100): A
 * stays, B yields (RF_ACT_SPLIT, rf_yields()) until A is no longer heard
 * ACTIVE. Both log it at LOG_CRIT and count it; the status shows it.
 */
static void
test_split_brain(void **state)
{
	struct world *w = *state;
	struct rf_status st;

	w->t[A].rf.cfg.rank_priority = 110;
	w->t[A].rf.cfg.rank_addr = 0xc0000201;
	w->t[B].rf.cfg.rank_priority = 100;
	w->t[B].rf.cfg.rank_addr = 0xc0000202;
	bring_up(w);
	assert_true(w->t[A].rf.peer_rank_known);
	assert_int_equal(w->t[A].rf.peer_rank_priority, 100);
	assert_int_equal(w->t[B].rf.peer_rank_addr, 0xc0000201);

	w->now += MS(10);
	group(w, B, true, "Active");
	assert_int_equal(w->t[B].rf.state, S(ACTIVE));
	/* B took over from HSRP: A's state unknown until A speaks. */
	assert_log("RF: twin twin-a was ACTIVE and HSRP no longer hears it");
	rf_status(&w->t[B].rf, w->now, &st);
	assert_false(st.comm_up);
	assert_int_equal(st.peer_state, S(DISABLED));
	assert_true(st.peer_silent);
	deliver(w);
	assert_int_equal(w->t[A].rf.cnt.splits, 0);    /* grace */
	step(w, RF_SPLIT_GRACE_MS + 1);
	assert_int_equal(w->t[A].rf.cnt.splits, 1);
	assert_int_equal(w->t[A].rf.cnt.splits_won, 1);
	assert_false(rf_yields(&w->t[A].rf));
	assert_int_equal(w->t[A].act[RF_ACT_SPLIT], 1);
	assert_log("RF: SPLIT BRAIN: twin twin-b is ACTIVE too (priority 100, 192.0.2.2; ours 110, 192.0.2.1): rank: this unit outranks (priority 110, 192.0.2.1 against 100, 192.0.2.2): this unit stays ACTIVE; the twin yields");
	/* A's immediate keep-alive woke B up: B sees it too. */
	rf_status(&w->t[B].rf, w->now, &st);
	assert_true(st.comm_up);
	assert_int_equal(st.peer_state, S(ACTIVE));
	step(w, RF_SPLIT_GRACE_MS + 1);
	assert_int_equal(w->t[B].rf.cnt.splits, 1);
	assert_int_equal(w->t[B].rf.cnt.splits_lost, 1);
	assert_true(rf_yields(&w->t[B].rf));
	assert_int_equal(w->t[B].act[RF_ACT_SPLIT], 1);
	assert_log("RF: SPLIT BRAIN: twin twin-a is ACTIVE too (priority 110, 192.0.2.1; ours 100, 192.0.2.2): rank: the twin outranks (priority 110, 192.0.2.1 against 100, 192.0.2.2): yielding ACTIVE");
	rf_status(&w->t[B].rf, w->now, &st);
	assert_true(st.split);
	assert_false(st.split_won);
	assert_true(st.yield);

	/* The app makes B's scheme group resign: B relinquishes, resyncs. */
	group(w, B, false, "Speak");
	assert_int_equal(w->t[B].act[RF_ACT_RELINQUISH], 1);
	deliver(w);
	assert_log("RF: split brain over after");
	assert_false(w->t[A].rf.split);
	assert_false(w->t[B].rf.split);
	assert_int_equal(w->t[B].rf.state, S(STANDBY_HOT));
	assert_true(rf_yields(&w->t[B].rf));       /* A is still ACTIVE */
	rf_status(&w->t[A].rf, w->now, &st);
	assert_int_equal(st.splits, 1);
	assert_true(st.split_ms >= RF_SPLIT_GRACE_MS);
	step(w, 3 * KA_MS);
	assert_true(rf_yields(&w->t[B].rf));

	/* A gone: B free again. */
	disconnect_(w);
	assert_false(rf_yields(&w->t[B].rf));
	assert_log("RF: no longer yielding to twin twin-a (Communications Down)");
}

/*
 * The other order: B ACTIVE, A takes over (HSRP lost between them) and
 * thinks B gone (peer silent), so only B sees two ACTIVE twins; B loses
 * (A outranks it) and its HELLO says it yields: A declares the split
 * then, so both twins log and count it.
 */
static void
test_split_silent_winner(void **state)
{
	struct world *w = *state;

	w->t[A].rf.cfg.rank_priority = 110;
	w->t[B].rf.cfg.rank_priority = 100;
	bring_up(w);
	group(w, A, false, "Speak");
	group(w, B, true, "Active");
	deliver(w);
	step(w, 2 * KA_MS);
	assert_int_equal(w->t[A].rf.state, S(STANDBY_HOT));
	assert_int_equal(w->t[B].rf.state, S(ACTIVE));

	group(w, A, true, "Active");
	assert_true(w->t[A].rf.peer_silent);
	/* A's HELLO reaches B; B's keep-alive back is lost (and the ones
	 * after it wait for B's timer, beyond the grace). */
	w->cut = true;
	deliver(w);
	step(w, RF_SPLIT_GRACE_MS + 1);
	assert_int_equal(w->t[B].rf.cnt.splits_lost, 1);
	assert_int_equal(w->t[A].rf.cnt.splits, 0);
	w->cut = false;
	group(w, B, false, "Speak");
	deliver(w);
	assert_int_equal(w->t[A].rf.cnt.splits, 1);
	assert_int_equal(w->t[A].rf.cnt.splits_won, 1);
	assert_int_equal(w->t[A].act[RF_ACT_SPLIT], 1);
	assert_log("RF: SPLIT BRAIN: twin twin-b was ACTIVE too and yields to this unit");
	assert_false(w->t[A].rf.split);    /* over at once: B is standby */
	/* Its later HELLOs do not count it again. */
	disconnect_(w);
	connect_(w);
	step(w, 2 * KA_MS);
	assert_int_equal(w->t[A].rf.cnt.splits, 1);
	assert_int_equal(w->t[B].rf.state, S(STANDBY_HOT));
}

/*
 * The newer IKE state first: a peer spoke to B (priority 100) 100 ms
 * ago and to A (110) 5 s ago (it rekeyed with B alone): B stays ACTIVE,
 * A yields, both say why. Without the rule A would stay (the rank).
 */
static void
test_split_fresh(void **state)
{
	struct world *w = *state;
	struct rf_status st;

	w->t[A].rf.cfg.rank_priority = 110;
	w->t[B].rf.cfg.rank_priority = 100;
	bring_up(w);
	step(w, 10000);
	rf_set_fresh(&w->t[A].rf, w->now - MS(5000));
	rf_set_fresh(&w->t[B].rf, w->now - MS(100));
	group(w, B, true, "Active");
	deliver(w);
	step(w, RF_SPLIT_GRACE_MS + 20);
	assert_int_equal(w->t[A].rf.cnt.splits_lost, 1);
	assert_int_equal(w->t[B].rf.cnt.splits_won, 1);
	assert_true(rf_yields(&w->t[A].rf));
	assert_false(rf_yields(&w->t[B].rf));
	assert_log("newer IKE state: a peer spoke to the twin last (this unit 5");
	assert_log("newer IKE state: a peer spoke to this unit last (this unit 1");
	rf_status(&w->t[A].rf, w->now, &st);
	assert_non_null(strstr(st.split_rule, "newer IKE state"));
	/* A leaves ACTIVE: the split is over, B never decides again. */
	group(w, A, false, "Speak");
	deliver(w);
	step(w, 2 * RF_SPLIT_FRESH_MS);
	assert_int_equal(w->t[A].rf.state, S(STANDBY_HOT));
	assert_int_equal(w->t[B].rf.state, S(ACTIVE));
	assert_int_equal(w->t[B].rf.cnt.splits_won, 1);
	assert_int_equal(w->t[B].rf.cnt.splits_lost, 0);
}

/* IKE ages within RF_SPLIT_FRESH_MS, or one twin without IKE state
 * against one without an age (an earlier release): the rank. */
static void
test_split_fresh_close(void **state)
{
	struct world *w = *state;

	w->t[A].rf.cfg.rank_priority = 110;
	w->t[B].rf.cfg.rank_priority = 100;
	bring_up(w);
	step(w, 10000);
	rf_set_fresh(&w->t[A].rf, w->now - MS(RF_SPLIT_FRESH_MS - 300));
	rf_set_fresh(&w->t[B].rf, w->now - MS(10));
	group(w, B, true, "Active");
	deliver(w);
	step(w, RF_SPLIT_GRACE_MS + 20);
	assert_int_equal(w->t[A].rf.cnt.splits_won, 1);
	assert_int_equal(w->t[B].rf.cnt.splits_lost, 1);
	assert_true(rf_yields(&w->t[B].rf));
	assert_log("rank: this unit outranks (priority 110");
}

/*
 * The twins disagree: B's HELLO said its IKE state was 5 s old, then a
 * peer spoke to B within the grace. A (1.5 s) thinks it is newer, B
 * thinks it is: both stay ACTIVE. RF_SPLIT_FRESH_MS later both decide
 * again by the rank alone: A stays, B yields.
 */
static void
test_split_disagree(void **state)
{
	struct world *w = *state;

	w->t[A].rf.cfg.rank_priority = 110;
	w->t[B].rf.cfg.rank_priority = 100;
	bring_up(w);
	step(w, 10000);
	rf_set_fresh(&w->t[A].rf, w->now - MS(1500));
	rf_set_fresh(&w->t[B].rf, w->now - MS(5000));
	group(w, B, true, "Active");
	deliver(w);
	step(w, 20);
	rf_set_fresh(&w->t[B].rf, w->now);
	step(w, RF_SPLIT_GRACE_MS);
	assert_int_equal(w->t[A].rf.cnt.splits_won, 1);
	assert_int_equal(w->t[B].rf.cnt.splits_won, 1);
	assert_false(rf_yields(&w->t[A].rf));
	assert_false(rf_yields(&w->t[B].rf));
	step(w, RF_SPLIT_FRESH_MS + 20);
	assert_false(rf_yields(&w->t[A].rf));
	assert_true(rf_yields(&w->t[B].rf));
	assert_int_equal(w->t[B].rf.cnt.splits_won, 0);
	assert_int_equal(w->t[B].rf.cnt.splits_lost, 1);
	assert_log("rank (the IKE ages did not agree): the twin outranks");
	assert_log("still, and not yielding, after our decision");
	group(w, B, false, "Speak");
	deliver(w);
	assert_false(w->t[A].rf.split);
	assert_int_equal(w->t[B].rf.state, S(STANDBY_HOT));
}

/*
 * A preemption: B becomes Active and A leaves Active a moment later (the
 * Coup reached it): both ACTIVE for less than the grace, no split.
 */
static void
test_split_grace(void **state)
{
	struct world *w = *state;

	bring_up(w);
	w->now += MS(10);
	group(w, B, true, "Active");
	deliver(w);
	step(w, 5);
	group(w, A, false, "Speak");
	deliver(w);
	step(w, 2 * RF_SPLIT_GRACE_MS);
	assert_int_equal(w->t[A].rf.cnt.splits, 0);
	assert_int_equal(w->t[B].rf.cnt.splits, 0);
	assert_int_equal(w->t[A].act[RF_ACT_SPLIT], 0);
	assert_false(rf_yields(&w->t[A].rf));
	assert_int_equal(w->t[A].rf.state, S(STANDBY_HOT));
}

/* The active dies (kill -9): HSRP makes B active long before the keep-
 * alives run out; B no longer shows the dead twin ACTIVE. */
static void
test_peer_silent(void **state)
{
	struct world *w = *state;
	struct rf_status st;

	bring_up(w);
	w->cut = true;
	step(w, 500);
	group(w, B, true, "Active");
	rf_status(&w->t[B].rf, w->now, &st);
	assert_int_equal(st.my_state, S(ACTIVE));
	assert_int_equal(st.peer_state, S(DISABLED));
	assert_false(st.comm_up);
	assert_false(st.duplex);
	step(w, SILENCE_MS + KA_MS);
	assert_int_equal(w->t[B].rf.cnt.splits, 0);
	rf_status(&w->t[B].rf, w->now, &st);
	assert_false(st.comm_up);
}

int
main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_and_table),
		T(test_config),
		T(test_lone_active),
		T(test_pair_to_hot),
		T(test_keepalive_loss),
		T(test_digest_mismatch),
		T(test_reconfig),
		T(test_version_mismatch),
		T(test_takeover_hot_and_relinquish),
		T(test_takeover_pending_bulk),
		T(test_takeover_cold),
		T(test_force_switchover),
		T(test_clear),
		T(test_bulk_refused),
		T(test_bulk_stall),
		T(test_init_negotiation_stop),
		T(test_hello_resent),
		T(test_split_brain),
		T(test_split_grace),
		T(test_split_silent_winner),
		T(test_split_fresh),
		T(test_split_fresh_close),
		T(test_split_disagree),
		T(test_peer_silent),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
