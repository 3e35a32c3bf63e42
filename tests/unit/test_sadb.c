/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fake_sadb.h"
#include "sadb.h"
#include "tw_compiler.h"
#include "tw_log.h"

/* Capture log lines so tests can check the "A -> B" transition log. */
static char last_log[512];
static unsigned int n_logs;

static void
capture_sink(enum tw_log_level level, const char *module, const char *fmt,
	     va_list ap) __attribute__((format(printf, 3, 0)));

static void
capture_sink(enum tw_log_level level TW_UNUSED,
	     const char *module TW_UNUSED, const char *fmt, va_list ap)
{
	vsnprintf(last_log, sizeof(last_log), fmt, ap);
	n_logs++;
}

struct fixture {
	struct fake_sadb fake;
	struct sadb *db;
};

static int
setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	if (fx == NULL)
		return -1;
	fake_sadb_init(&fx->fake);
	fx->db = sadb_create(&fake_sadb_ops, &fx->fake, 8);
	if (fx->db == NULL)
		return -1;
	tw_log_set_sink(capture_sink);
	tw_log_set_level(TW_LOG_DEBUG);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *fx = *state;

	sadb_destroy(fx->db);
	/* Destroying the database removes what it had installed. */
	assert_int_equal(fx->fake.n_installed, 0);
	free(fx);
	tw_log_set_sink(NULL);
	return 0;
}

#define PEER 0xc0000202

static struct sadb_sa_params
params(uint32_t spi, enum sadb_dir dir)
{
	struct sadb_sa_params p;

	memset(&p, 0, sizeof(p));
	p.spi = spi;
	p.dir = dir;
	p.cipher = CONF_CIPHER_AES_GCM_128;
	p.integ = CONF_INTEG_NONE;
	p.cipher_key_len = 20;
	memset(p.cipher_key, 0xab, p.cipher_key_len);
	p.local_addr = 0xc0000201;
	p.peer_addr = PEER;
	p.replay_window = 64;
	p.replay_interval = 1000;
	snprintf(p.map, sizeof(p.map), "VPN");
	p.map_seq = 10;
	p.n_sel = 1;
	p.sel[0] = (struct sadb_selector){
		.src_addr = 0x0a000000, .src_len = 24,
		.dst_addr = 0x0a010000, .dst_len = 24,
		.sport_hi = 65535, .dport_hi = 65535,
	};
	return p;
}

static void
test_add_lookup_del(void **state)
{
	struct fixture *fx = *state;
	struct sadb_sa_params p = params(0x1000, SADB_DIR_IN);
	struct sadb_sa *sa, *out;
	char err[128];

	assert_int_equal(sadb_sa_add(fx->db, &p, 5, &sa, err, sizeof(err)), 0);
	assert_int_equal(sa->state, SADB_SA_INIT);
	assert_int_equal(sa->created, 5);
	assert_int_equal(sadb_count(fx->db), 1);
	assert_ptr_equal(sadb_sa_lookup(fx->db, SADB_DIR_IN, 0x1000, PEER), sa);
	assert_null(sadb_sa_lookup(fx->db, SADB_DIR_OUT, 0x1000, PEER));
	assert_ptr_equal(sadb_sa_by_id(fx->db, sa->id), sa);

	/* Same SPI in the other direction is a different SA. */
	p.dir = SADB_DIR_OUT;
	assert_int_equal(sadb_sa_add(fx->db, &p, 5, &out, err, sizeof(err)), 0);
	assert_int_not_equal(out->id, sa->id);

	/* Same SPI and direction is refused. */
	p.dir = SADB_DIR_IN;
	assert_int_equal(sadb_sa_add(fx->db, &p, 5, NULL, err, sizeof(err)),
			 -EEXIST);
	assert_non_null(strstr(err, "already in use"));

	assert_int_equal(sadb_sa_del(fx->db, sa, "test"), 0);
	assert_null(sadb_sa_lookup(fx->db, SADB_DIR_IN, 0x1000, PEER));
	assert_int_equal(sadb_count(fx->db), 1);
	/* Nothing was installed, so the backend saw no call. */
	assert_int_equal(fx->fake.n_add, 0);
	assert_int_equal(fx->fake.n_del, 0);
}

static void
test_bad_params(void **state)
{
	struct fixture *fx = *state;
	struct sadb_sa_params p = params(255, SADB_DIR_IN);
	char err[128];

	assert_int_equal(sadb_sa_add(fx->db, &p, 0, NULL, err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "reserved"));
	p = params(0x2000, SADB_DIR_IN);
	p.n_sel = SADB_MAX_SELECTORS + 1;
	assert_int_equal(sadb_sa_add(fx->db, &p, 0, NULL, err, sizeof(err)),
			 -EINVAL);
	assert_int_equal(sadb_count(fx->db), 0);
}

static void
test_full(void **state)
{
	struct fixture *fx = *state;
	struct sadb_sa_params p;
	struct sadb_sa *sa;
	char err[128];
	unsigned int i;

	for (i = 0; i < sadb_capacity(fx->db); i++) {
		p = params(0x3000 + i, SADB_DIR_OUT);
		assert_int_equal(sadb_sa_add(fx->db, &p, 0, NULL, err,
					     sizeof(err)), 0);
	}
	p = params(0x4000, SADB_DIR_OUT);
	assert_int_equal(sadb_sa_add(fx->db, &p, 0, NULL, err, sizeof(err)),
			 -ENOSPC);
	/* A freed slot is reused. */
	sa = sadb_sa_lookup(fx->db, SADB_DIR_OUT, 0x3003, PEER);
	assert_int_equal(sadb_sa_del(fx->db, sa, "make room"), 0);
	assert_int_equal(sadb_sa_add(fx->db, &p, 0, &sa, err, sizeof(err)), 0);
	assert_int_equal(sa->id, 3);
	/* Iteration visits every record once, in id order. */
	i = 0;
	for (sa = sadb_sa_next(fx->db, NULL); sa != NULL;
	     sa = sadb_sa_next(fx->db, sa))
		assert_int_equal(sa->id, i++);
	assert_int_equal(i, sadb_capacity(fx->db));
}

static void
test_transitions(void **state)
{
	struct fixture *fx = *state;
	struct sadb_sa_params p = params(0x5000, SADB_DIR_OUT);
	struct sadb_sa_stats st;
	struct sadb_counters c;
	struct fake_sa *f;
	struct sadb_sa *sa;
	char err[128];

	p.seq = 41;
	assert_int_equal(sadb_sa_add(fx->db, &p, 0, &sa, err, sizeof(err)), 0);
	assert_int_equal(sadb_sa_set_state(fx->db, sa, SADB_SA_INSTALLED,
					   "config"), 0);
	assert_non_null(strstr(last_log, "INIT -> INSTALLED (config)"));
	f = fake_sadb_find(&fx->fake, SADB_DIR_OUT, 0x5000);
	assert_non_null(f);
	assert_ptr_equal(sa->handle, f);
	assert_int_equal(f->seq, 41);

	/* Stats come from the backend while installed. */
	f->packets = 9;
	assert_int_equal(sadb_sa_stats(fx->db, sa, &st), 0);
	assert_int_equal(st.pkts_encaps, 9);
	assert_int_equal(st.seq, 50);

	/* Same state again is a no-op, not an error and not a backend call. */
	assert_int_equal(sadb_sa_set_state(fx->db, sa, SADB_SA_INSTALLED,
					   "again"), 0);
	assert_int_equal(fx->fake.n_add, 1);

	/* The seed cannot move under an installed SA. */
	assert_int_equal(sadb_sa_set_seq(fx->db, sa, 1000), -EBUSY);

	/* Lose the active role: out of the fast path, still known. */
	assert_int_equal(sadb_sa_set_state(fx->db, sa, SADB_SA_DECOUPLED,
					   "standby"), 0);
	assert_non_null(strstr(last_log, "INSTALLED -> DECOUPLED (standby)"));
	assert_null(fake_sadb_find(&fx->fake, SADB_DIR_OUT, 0x5000));
	assert_null(sa->handle);
	assert_int_equal(sadb_sa_stats(fx->db, sa, &st), 0);
	assert_int_equal(st.pkts_encaps, 0);
	assert_int_equal(st.seq, 41);

	/* Takeover: jump the seed, reinstall. */
	assert_int_equal(sadb_sa_set_seq(fx->db, sa, 200041), 0);
	assert_int_equal(sadb_sa_set_state(fx->db, sa, SADB_SA_INSTALLED,
					   "takeover"), 0);
	f = fake_sadb_find(&fx->fake, SADB_DIR_OUT, 0x5000);
	assert_non_null(f);
	assert_int_equal(f->seq, 200041);

	assert_int_equal(sadb_sa_del(fx->db, sa, "clear"), 0);
	assert_non_null(strstr(last_log, "INSTALLED -> DELETED (clear)"));
	assert_int_equal(fx->fake.n_installed, 0);
	sadb_counters_read(fx->db, &c);
	assert_int_equal(c.transitions, 4);
	assert_int_equal(c.illegal, 0);
	assert_int_equal(c.deleted, 1);
}

static void
test_illegal_transitions(void **state)
{
	struct fixture *fx = *state;
	struct sadb_sa_params p = params(0x6000, SADB_DIR_IN);
	struct sadb_counters c;
	struct sadb_sa *sa;
	char err[128];

	assert_false(sadb_transition_allowed(SADB_SA_DELETED, SADB_SA_INIT));
	assert_false(sadb_transition_allowed(SADB_SA_INSTALLED, SADB_SA_INIT));
	assert_false(sadb_transition_allowed(SADB_SA_DECOUPLED, SADB_SA_INIT));
	assert_false(sadb_transition_allowed(SADB_SA_INIT, SADB_SA_STATE_MAX));
	assert_true(sadb_transition_allowed(SADB_SA_INIT, SADB_SA_DECOUPLED));

	assert_int_equal(sadb_sa_add(fx->db, &p, 0, &sa, err, sizeof(err)), 0);
	assert_int_equal(sadb_sa_set_state(fx->db, sa, SADB_SA_INSTALLED, "x"),
			 0);
	assert_int_equal(sadb_sa_set_state(fx->db, sa, SADB_SA_INIT, "bogus"),
			 -EPERM);
	assert_non_null(strstr(last_log, "illegal transition INSTALLED -> INIT"));
	assert_int_equal(sa->state, SADB_SA_INSTALLED);
	assert_int_equal(fx->fake.n_del, 0);
	sadb_counters_read(fx->db, &c);
	assert_int_equal(c.illegal, 1);

	assert_string_equal(sadb_sa_state_name(SADB_SA_DECOUPLED), "DECOUPLED");
	assert_string_equal(sadb_sa_state_name(SADB_SA_STATE_MAX), "?");
}

static void
test_backend_errors(void **state)
{
	struct fixture *fx = *state;
	struct sadb_sa_params p = params(0x7000, SADB_DIR_IN);
	struct sadb_sa_stats st;
	struct sadb_counters c;
	struct sadb_sa *sa;
	char err[128];

	assert_int_equal(sadb_sa_add(fx->db, &p, 0, &sa, err, sizeof(err)), 0);

	/* A failed install leaves the record where it was. */
	fx->fake.fail_add = -ENOTSUP;
	assert_int_equal(sadb_sa_set_state(fx->db, sa, SADB_SA_INSTALLED, "x"),
			 -ENOTSUP);
	assert_int_equal(sa->state, SADB_SA_INIT);
	assert_null(sa->handle);
	assert_non_null(strstr(last_log, "install failed: fake backend refuses"));

	/* It can be retried. */
	assert_int_equal(sadb_sa_set_state(fx->db, sa, SADB_SA_INSTALLED, "y"),
			 0);

	fx->fake.fail_stats = -EIO;
	assert_int_equal(sadb_sa_stats(fx->db, sa, &st), -EIO);

	/* A failed delete still takes the record out of the fast path. */
	fx->fake.fail_del = -EIO;
	assert_int_equal(sadb_sa_del(fx->db, sa, "clear"), -EIO);
	assert_null(sadb_sa_lookup(fx->db, SADB_DIR_IN, 0x7000, PEER));
	sadb_counters_read(fx->db, &c);
	assert_int_equal(c.backend_errors, 3);
	assert_int_equal(c.deleted, 1);
}

static void
test_destroy_uninstalls(void **state)
{
	struct fixture *fx = *state;
	struct sadb_sa_params p;
	struct sadb_sa *sa;
	char err[128];
	unsigned int i;

	for (i = 0; i < 4; i++) {
		p = params(0x8000 + i, i % 2 ? SADB_DIR_IN : SADB_DIR_OUT);
		assert_int_equal(sadb_sa_add(fx->db, &p, 0, &sa, err,
					     sizeof(err)), 0);
		if (i < 3)
			assert_int_equal(sadb_sa_set_state(fx->db, sa,
				i == 2 ? SADB_SA_DECOUPLED : SADB_SA_INSTALLED,
				"t"), 0);
	}
	assert_int_equal(fx->fake.n_installed, 2);
	/* teardown() destroys and checks nothing stays installed */
}

static const volatile uint32_t *
table_progress(void *ctx)
{
	return ctx;
}

/*
 * The progress seam: the grain is the largest power of two at most a
 * quarter of the interval (capped), the bound the end of seq's grain,
 * the table the backend's, and id_end a high-water mark of ids.
 */
static void
test_progress(void **state)
{
	struct fixture *fx = *state;
	static const struct { uint32_t iv; unsigned int shift; } g[] = {
		{ 0, 0 }, { 1, 0 }, { 7, 0 }, { 8, 1 }, { 11, 1 }, { 12, 1 },
		{ 16, 2 }, { 1000, 7 }, { 1024, 8 }, { 65536, 14 },
		{ 100000, 14 }, { UINT32_MAX, 14 },
	};
	static uint32_t words[8];
	struct sadb_backend_ops ops = fake_sadb_ops;
	struct sadb_sa_params p;
	struct sadb_sa *sa[3];
	struct sadb *db;
	uint32_t iv, q, grain;
	unsigned int i;
	char err[128];

	for (i = 0; i < sizeof(g) / sizeof(g[0]); i++)
		assert_int_equal(sadb_progress_shift(g[i].iv), g[i].shift);
	for (iv = 0; iv < 300000; iv += 7) {
		grain = UINT32_C(1) << sadb_progress_shift(iv);
		q = iv / 4 < SADB_PROGRESS_GRAIN_MAX ? iv / 4 :
			SADB_PROGRESS_GRAIN_MAX;
		assert_true(grain <= (q > 0 ? q : 1));
		assert_true(2 * grain > q);
	}
	assert_int_equal(sadb_progress_bound(1000, 3), 1007);
	assert_int_equal(sadb_progress_bound(1008, 3), 1015);
	assert_int_equal(sadb_progress_bound(1015, 3), 1015);
	assert_int_equal(sadb_progress_bound(77, 0), 77);
	assert_true(sadb_progress_bound(UINT64_C(0xfffffffd), 14) ==
		    UINT64_C(0xffffffff));

	/* The fake has no table; a backend that has one gives it. */
	assert_null(sadb_progress(fx->db));
	ops.progress = table_progress;
	db = sadb_create(&ops, words, 8);
	assert_non_null(db);
	assert_ptr_equal(sadb_progress(db), words);
	sadb_destroy(db);

	assert_int_equal(sadb_id_end(fx->db), 0);
	for (i = 0; i < 3; i++) {
		p = params(0x9000 + i, SADB_DIR_OUT);
		assert_int_equal(sadb_sa_add(fx->db, &p, 0, &sa[i], err,
					     sizeof(err)), 0);
	}
	assert_int_equal(sadb_id_end(fx->db), sa[2]->id + 1);
	assert_int_equal(sadb_sa_del(fx->db, sa[2], "t"), 0);
	assert_int_equal(sadb_id_end(fx->db), 3);
}

/*
 * Each peer chooses the SPIs it receives on: two outbound SAs may share an
 * SPI with different peers, never with the same one; inbound SPIs (ours)
 * are unique whatever the peer. sadb_sa_find_out() falls back on the one
 * outbound SA with the SPI (a peer that moved), not on one of several.
 */
static void
test_outbound_spi_per_peer(void **state)
{
	struct fixture *fx = *state;
	struct sadb_sa_params p = params(0x5005, SADB_DIR_OUT);
	struct sadb_sa *a, *b, *in;
	char err[128];

	assert_int_equal(sadb_sa_add(fx->db, &p, 0, &a, err, sizeof(err)), 0);
	p.peer_addr = PEER + 1;
	assert_int_equal(sadb_sa_add(fx->db, &p, 0, &b, err, sizeof(err)), 0);
	assert_ptr_not_equal(a, b);
	assert_ptr_equal(sadb_sa_lookup(fx->db, SADB_DIR_OUT, 0x5005, PEER), a);
	assert_ptr_equal(sadb_sa_lookup(fx->db, SADB_DIR_OUT, 0x5005,
					PEER + 1), b);
	assert_null(sadb_sa_lookup(fx->db, SADB_DIR_OUT, 0x5005, PEER + 2));
	assert_int_equal(sadb_sa_add(fx->db, &p, 0, NULL, err, sizeof(err)),
			 -EEXIST);
	assert_non_null(strstr(err, "for this peer"));
	/* both install: the backend sees two SAs */
	assert_int_equal(sadb_sa_set_state(fx->db, a, SADB_SA_INSTALLED, "t"),
			 0);
	assert_int_equal(sadb_sa_set_state(fx->db, b, SADB_SA_INSTALLED, "t"),
			 0);
	assert_int_equal(fx->fake.n_installed, 2);

	/* find_out: exact, else the only one, never one of several */
	assert_ptr_equal(sadb_sa_find_out(fx->db, 0x5005, PEER + 1), b);
	assert_null(sadb_sa_find_out(fx->db, 0x5005, PEER + 9));
	assert_null(sadb_sa_find_out(fx->db, 0x5006, PEER));
	assert_int_equal(sadb_sa_del(fx->db, a, "t"), 0);
	assert_ptr_equal(sadb_sa_find_out(fx->db, 0x5005, PEER + 9), b);
	assert_ptr_equal(sadb_sa_find_out(fx->db, 0x5005, 0), b);

	/* inbound: one SPI, whatever the peer */
	p = params(0x5005, SADB_DIR_IN);
	assert_int_equal(sadb_sa_add(fx->db, &p, 0, &in, err, sizeof(err)), 0);
	p.peer_addr = PEER + 1;
	assert_int_equal(sadb_sa_add(fx->db, &p, 0, NULL, err, sizeof(err)),
			 -EEXIST);
	assert_ptr_equal(sadb_sa_lookup(fx->db, SADB_DIR_IN, 0x5005, 0), in);
	assert_ptr_equal(sadb_sa_lookup(fx->db, SADB_DIR_IN, 0x5005, 77), in);
}

/* IPv6 endpoints and selectors (issue 18): keyed and checked by family. */
static void
test_ipv6_params(void **state)
{
	struct fixture *fx = *state;
	struct sadb_sa_params p = params(0x6006, SADB_DIR_OUT);
	struct tw_addr local, peer, peer2, v4peer = tw_addr_v4(0), got;
	struct sadb_sa *a, *b, *c;
	char err[128];

	assert_int_equal(tw_addr_parse("2001:db8::1", &local), 0);
	assert_int_equal(tw_addr_parse("2001:db8::2", &peer), 0);
	assert_int_equal(tw_addr_parse("2001:db8::3", &peer2), 0);
	sadb_sa_set_endpoints(&p, &local, &peer);
	assert_int_equal(p.family, TW_AF_INET6);
	assert_int_equal(p.peer_addr, 0);
	assert_int_equal(p.local_addr, 0);
	got = sadb_sa_peer(&p);
	assert_true(tw_addr_eq(&got, &peer));
	got = sadb_sa_local(&p);
	assert_true(tw_addr_eq(&got, &local));
	/* IPv4 inner over IPv6 outer: the IPv4 selector of params() */
	assert_int_equal(sadb_sa_add(fx->db, &p, 0, &a, err, sizeof(err)), 0);
	/* same SPI, other IPv6 peer: another SA; same peer: taken */
	sadb_sa_set_endpoints(&p, &local, &peer2);
	assert_int_equal(sadb_sa_add(fx->db, &p, 0, &b, err, sizeof(err)), 0);
	assert_int_equal(sadb_sa_add(fx->db, &p, 0, NULL, err, sizeof(err)),
			 -EEXIST);
	assert_ptr_equal(sadb_sa_lookup_addr(fx->db, SADB_DIR_OUT, 0x6006,
					     &peer), a);
	assert_ptr_equal(sadb_sa_lookup_addr(fx->db, SADB_DIR_OUT, 0x6006,
					     &peer2), b);
	/* an IPv6 SA's empty IPv4 fields never match an IPv4 peer 0 */
	assert_null(sadb_sa_lookup_addr(fx->db, SADB_DIR_OUT, 0x6006,
					&v4peer));
	assert_null(sadb_sa_lookup(fx->db, SADB_DIR_OUT, 0x6006, 0));
	/* and an IPv4 SA of that SPI is a third one */
	p = params(0x6006, SADB_DIR_OUT);
	p.peer_addr = 0;
	assert_int_equal(sadb_sa_add(fx->db, &p, 0, &c, err, sizeof(err)), 0);
	assert_ptr_equal(sadb_sa_lookup(fx->db, SADB_DIR_OUT, 0x6006, 0), c);
	assert_ptr_equal(sadb_sa_find_out(fx->db, 0x6006, 0), c);

	/* IPv6 inner: IPv6 selectors, up to /128 */
	p = params(0x6007, SADB_DIR_IN);
	sadb_sa_set_endpoints(&p, &local, &peer);
	p.inner_family = TW_AF_INET6;
	p.sel[0] = (struct sadb_selector){
		.family = TW_AF_INET6, .src_len = 64, .dst_len = 128,
		.sport_hi = 65535, .dport_hi = 65535,
	};
	p.sel[0].src6[0] = 0x20;
	assert_int_equal(sadb_sa_add(fx->db, &p, 0, NULL, err, sizeof(err)), 0);
	p.spi++;
	p.sel[0].dst_len = 129;
	assert_int_equal(sadb_sa_add(fx->db, &p, 0, NULL, err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "prefix length above 128"));
	/* a selector of the other family than the SA's traffic */
	p.sel[0].dst_len = 128;
	p.inner_family = TW_AF_INET;
	assert_int_equal(sadb_sa_add(fx->db, &p, 0, NULL, err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "selector 0 is IPv6, the SA carries IPv4"));
	/* IPv4 selectors stop at /32 */
	p = params(0x6009, SADB_DIR_IN);
	p.sel[0].src_len = 33;
	assert_int_equal(sadb_sa_add(fx->db, &p, 0, NULL, err, sizeof(err)),
			 -EINVAL);
	/* NAT-T is IPv4 only */
	p = params(0x600a, SADB_DIR_OUT);
	sadb_sa_set_endpoints(&p, &local, &peer);
	p.udp_encap = true;
	assert_int_equal(sadb_sa_add(fx->db, &p, 0, NULL, err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "IPv4 outer"));
	p.udp_encap = false;
	p.family = 5;
	assert_int_equal(sadb_sa_add(fx->db, &p, 0, NULL, err, sizeof(err)),
			 -EINVAL);
	assert_int_equal(sadb_count(fx->db), 4);
}

/* ---- the watch interface ------------------------------------------ */

/* What a watcher saw, read from the record during the call. */
struct seen {
	uint32_t id, spi, peer;
	enum sadb_dir dir;
	enum sadb_sa_state from, to, state;
	uint8_t key0;              /* first cipher key byte: not wiped yet */
	uint64_t seq;
	bool found;                /* sadb_sa_lookup() finds the record */
	uint32_t count;            /* sadb_count() at the time */
	bool installed;            /* the fake backend holds it */
};

struct recorder {
	char tag;
	struct fake_sadb *fake;
	struct seen ev[32];
	unsigned int n;
};

/* The order the watchers were called in, one tag each. */
static char order[64];

static void
record(void *arg, struct sadb *db, const struct sadb_sa *sa,
       enum sadb_sa_state from, enum sadb_sa_state to)
{
	struct recorder *r = arg;
	struct seen *e;
	size_t n = strlen(order);

	if (n + 1 < sizeof(order)) {
		order[n] = r->tag;
		order[n + 1] = '\0';
	}
	assert_true(r->n < sizeof(r->ev) / sizeof(r->ev[0]));
	e = &r->ev[r->n++];
	e->id = sa->id;
	e->spi = sa->p.spi;
	e->peer = sa->p.peer_addr;
	e->dir = sa->p.dir;
	e->from = from;
	e->to = to;
	e->state = sa->state;
	e->key0 = sa->p.cipher_key[0];
	e->seq = sa->p.seq;
	e->found = sadb_sa_lookup(db, sa->p.dir, sa->p.spi,
				  sa->p.peer_addr) == sa;
	e->count = sadb_count(db);
	e->installed = r->fake != NULL &&
		fake_sadb_find(r->fake, sa->p.dir, sa->p.spi) != NULL;
}

static struct recorder rec_a, rec_b, rec_c;

static void
recorders_reset(struct fake_sadb *fake)
{
	memset(&rec_a, 0, sizeof(rec_a));
	memset(&rec_b, 0, sizeof(rec_b));
	memset(&rec_c, 0, sizeof(rec_c));
	rec_a.tag = 'a';
	rec_b.tag = 'b';
	rec_c.tag = 'c';
	rec_a.fake = rec_b.fake = rec_c.fake = fake;
	order[0] = '\0';
}

static void
assert_seen(const struct seen *e, uint32_t spi, enum sadb_sa_state from,
	    enum sadb_sa_state to)
{
	assert_int_equal(e->spi, spi);
	assert_int_equal(e->from, from);
	assert_int_equal(e->to, to);
	/* The record's state is the new one when the watcher is called. */
	assert_int_equal(e->state, to);
}

/* Every change of a record's life, in order, with the record readable. */
static void
test_watch_life(void **state)
{
	struct fixture *fx = *state;
	struct sadb_sa_params p = params(0x9000, SADB_DIR_OUT);
	struct sadb_sa *sa;
	char err[128];
	uint32_t id;

	recorders_reset(&fx->fake);
	assert_int_equal(sadb_watch(fx->db, record, &rec_a), 0);

	p.seq = 77;
	assert_int_equal(sadb_sa_add(fx->db, &p, 0, &sa, err, sizeof(err)), 0);
	id = sa->id;
	/* Added: INIT -> INIT, already in the database. */
	assert_int_equal(rec_a.n, 1);
	assert_seen(&rec_a.ev[0], 0x9000, SADB_SA_INIT, SADB_SA_INIT);
	assert_int_equal(rec_a.ev[0].id, id);
	assert_true(rec_a.ev[0].found);
	assert_int_equal(rec_a.ev[0].count, 1);
	assert_int_equal(rec_a.ev[0].seq, 77);

	assert_int_equal(sadb_sa_set_state(fx->db, sa, SADB_SA_INSTALLED, "c"),
			 0);
	assert_int_equal(rec_a.n, 2);
	assert_seen(&rec_a.ev[1], 0x9000, SADB_SA_INIT, SADB_SA_INSTALLED);
	/* After the backend took it. */
	assert_true(rec_a.ev[1].installed);

	assert_int_equal(sadb_sa_set_state(fx->db, sa, SADB_SA_DECOUPLED, "s"),
			 0);
	assert_int_equal(rec_a.n, 3);
	assert_seen(&rec_a.ev[2], 0x9000, SADB_SA_INSTALLED,
		    SADB_SA_DECOUPLED);
	assert_false(rec_a.ev[2].installed);

	/* The seed is not announced; the next change carries it. */
	assert_int_equal(sadb_sa_set_seq(fx->db, sa, 5077), 0);
	assert_int_equal(rec_a.n, 3);
	assert_int_equal(sadb_sa_set_state(fx->db, sa, SADB_SA_INSTALLED, "t"),
			 0);
	assert_int_equal(rec_a.n, 4);
	assert_seen(&rec_a.ev[3], 0x9000, SADB_SA_DECOUPLED,
		    SADB_SA_INSTALLED);
	assert_int_equal(rec_a.ev[3].seq, 5077);

	/* Deleted: announced before the record is unlinked and wiped. */
	assert_int_equal(sadb_sa_del(fx->db, sa, "clear"), 0);
	assert_int_equal(rec_a.n, 5);
	assert_seen(&rec_a.ev[4], 0x9000, SADB_SA_INSTALLED, SADB_SA_DELETED);
	assert_int_equal(rec_a.ev[4].id, id);
	assert_int_equal(rec_a.ev[4].peer, PEER);
	assert_int_equal(rec_a.ev[4].dir, SADB_DIR_OUT);
	assert_int_equal(rec_a.ev[4].key0, 0xab);
	assert_true(rec_a.ev[4].found);
	assert_int_equal(rec_a.ev[4].count, 1);
	/* The backend had already let go of it. */
	assert_false(rec_a.ev[4].installed);
	assert_int_equal(sadb_count(fx->db), 0);
	/* The watcher was called after the transition line was logged. */
	assert_non_null(strstr(last_log, "INSTALLED -> DELETED (clear)"));

	/* A record deleted straight from INIT says so. */
	p = params(0x9001, SADB_DIR_IN);
	assert_int_equal(sadb_sa_add(fx->db, &p, 0, &sa, err, sizeof(err)), 0);
	assert_int_equal(sadb_sa_del(fx->db, sa, "never used"), 0);
	assert_int_equal(rec_a.n, 7);
	assert_seen(&rec_a.ev[5], 0x9001, SADB_SA_INIT, SADB_SA_INIT);
	assert_seen(&rec_a.ev[6], 0x9001, SADB_SA_INIT, SADB_SA_DELETED);
	sadb_unwatch(fx->db, record, &rec_a);
}

/* What does not happen is not announced; what happens in spite of an
 * error is. */
static void
test_watch_not_announced(void **state)
{
	struct fixture *fx = *state;
	struct sadb_sa_params p = params(0x9100, SADB_DIR_IN);
	struct sadb_counters c;
	struct sadb_sa *sa;
	char err[128];

	recorders_reset(&fx->fake);
	assert_int_equal(sadb_watch(fx->db, record, &rec_a), 0);

	/* Refused adds. */
	assert_int_equal(sadb_sa_add(fx->db, &p, 0, &sa, err, sizeof(err)), 0);
	assert_int_equal(rec_a.n, 1);
	assert_int_equal(sadb_sa_add(fx->db, &p, 0, NULL, err, sizeof(err)),
			 -EEXIST);
	p.spi = 12;
	assert_int_equal(sadb_sa_add(fx->db, &p, 0, NULL, err, sizeof(err)),
			 -EINVAL);
	assert_int_equal(rec_a.n, 1);

	/* A failed install: the state stays, nothing to tell. */
	fx->fake.fail_add = -ENOTSUP;
	assert_int_equal(sadb_sa_set_state(fx->db, sa, SADB_SA_INSTALLED, "x"),
			 -ENOTSUP);
	assert_int_equal(sa->state, SADB_SA_INIT);
	assert_int_equal(rec_a.n, 1);

	/* Same state again. */
	assert_int_equal(sadb_sa_set_state(fx->db, sa, SADB_SA_INIT, "again"),
			 0);
	assert_int_equal(rec_a.n, 1);
	assert_int_equal(sadb_sa_set_state(fx->db, sa, SADB_SA_INSTALLED, "y"),
			 0);
	assert_int_equal(rec_a.n, 2);
	assert_int_equal(sadb_sa_set_state(fx->db, sa, SADB_SA_INSTALLED, "y"),
			 0);
	assert_int_equal(rec_a.n, 2);

	/* Illegal, and out of range. */
	assert_int_equal(sadb_sa_set_state(fx->db, sa, SADB_SA_INIT, "back"),
			 -EPERM);
	assert_int_equal(sadb_sa_set_state(fx->db, sa, SADB_SA_STATE_MAX, "?"),
			 -EPERM);
	assert_int_equal(rec_a.n, 2);

	/* A failed backend delete still changes the state: announced. */
	fx->fake.fail_del = -EIO;
	assert_int_equal(sadb_sa_set_state(fx->db, sa, SADB_SA_DECOUPLED, "s"),
			 -EIO);
	assert_int_equal(sa->state, SADB_SA_DECOUPLED);
	assert_int_equal(rec_a.n, 3);
	assert_seen(&rec_a.ev[2], 0x9100, SADB_SA_INSTALLED,
		    SADB_SA_DECOUPLED);
	sadb_counters_read(fx->db, &c);
	assert_int_equal(c.illegal, 2);
	assert_int_equal(c.reentered, 0);
	sadb_unwatch(fx->db, record, &rec_a);
}

/* Registration: limits, duplicates, order, unwatching. */
static void
test_watch_register(void **state)
{
	struct fixture *fx = *state;
	struct sadb_sa_params p = params(0x9200, SADB_DIR_IN);
	struct recorder extra[SADB_WATCH_MAX];
	struct sadb_sa *sa;
	char err[128];
	unsigned int i;

	recorders_reset(&fx->fake);
	assert_int_equal(sadb_watch(fx->db, NULL, &rec_a), -EINVAL);
	assert_int_equal(sadb_watch(fx->db, record, &rec_b), 0);
	assert_int_equal(sadb_watch(fx->db, record, &rec_a), 0);
	/* The same pair twice is refused; another arg is another watcher. */
	assert_int_equal(sadb_watch(fx->db, record, &rec_a), -EEXIST);
	assert_int_equal(sadb_watch(fx->db, record, &rec_c), 0);

	/* Called in the order registered. */
	assert_int_equal(sadb_sa_add(fx->db, &p, 0, &sa, err, sizeof(err)), 0);
	assert_string_equal(order, "bac");

	/* Unwatching takes one out and keeps the others' order. */
	sadb_unwatch(fx->db, record, &rec_a);
	/* Unknown pairs: nothing happens. */
	sadb_unwatch(fx->db, record, &rec_a);
	sadb_unwatch(fx->db, record, NULL);
	order[0] = '\0';
	assert_int_equal(sadb_sa_set_state(fx->db, sa, SADB_SA_DECOUPLED, "s"),
			 0);
	assert_string_equal(order, "bc");
	assert_int_equal(rec_a.n, 1);
	assert_int_equal(rec_b.n, 2);

	/* Up to SADB_WATCH_MAX, then -ENOSPC; a freed place is reusable. */
	memset(extra, 0, sizeof(extra));
	for (i = 2; i < SADB_WATCH_MAX; i++)
		assert_int_equal(sadb_watch(fx->db, record, &extra[i]), 0);
	assert_int_equal(sadb_watch(fx->db, record, &rec_a), -ENOSPC);
	sadb_unwatch(fx->db, record, &rec_b);
	assert_int_equal(sadb_watch(fx->db, record, &rec_a), 0);
	order[0] = '\0';
	assert_int_equal(sadb_sa_del(fx->db, sa, "t"), 0);
	/* c, the extras (tag 0, not in order), then a, the newest. */
	assert_string_equal(order, "ca");
	assert_int_equal(rec_b.n, 2);
	for (i = 2; i < SADB_WATCH_MAX; i++) {
		assert_int_equal(extra[i].n, 1);
		assert_int_equal(extra[i].ev[0].to, SADB_SA_DELETED);
		sadb_unwatch(fx->db, record, &extra[i]);
	}
	sadb_unwatch(fx->db, record, &rec_a);
	sadb_unwatch(fx->db, record, &rec_c);
	/* None left: nothing is called. */
	p = params(0x9201, SADB_DIR_IN);
	assert_int_equal(sadb_sa_add(fx->db, &p, 0, NULL, err, sizeof(err)), 0);
	assert_int_equal(rec_a.n, 2);  /* add; del */
	assert_int_equal(rec_b.n, 2);  /* add, decouple */
	assert_int_equal(rec_c.n, 3);  /* add, decouple, del */
}

/* A watcher that tries to change the database from inside. */
struct meddler {
	struct sadb_sa *victim;     /* another SA it tries to change */
	int rc_state, rc_del, rc_add, rc_seq, rc_watch, rc_self;
	bool found_victim;          /* reading works */
	unsigned int calls;
	bool unwatch_c;             /* unwatch rec_c from inside */
	bool unwatch_self;
};

static void
meddle(void *arg, struct sadb *db, const struct sadb_sa *sa,
       enum sadb_sa_state from TW_UNUSED, enum sadb_sa_state to TW_UNUSED)
{
	struct meddler *m = arg;
	struct sadb_sa_params p = params(0x9399, SADB_DIR_IN);
	struct sadb_sa *self = sadb_sa_by_id(db, sa->id);
	char err[128];

	m->calls++;
	m->rc_self = sadb_sa_set_state(db, self, SADB_SA_DELETED, "inside");
	m->rc_state = sadb_sa_set_state(db, m->victim, SADB_SA_DECOUPLED,
					"inside");
	m->rc_del = sadb_sa_del(db, m->victim, "inside");
	m->rc_add = sadb_sa_add(db, &p, 0, NULL, err, sizeof(err));
	m->rc_seq = sadb_sa_set_seq(db, m->victim, 99);
	m->rc_watch = sadb_watch(db, record, &rec_b);
	m->found_victim = sadb_sa_lookup(db, SADB_DIR_IN, m->victim->p.spi,
					 0) == m->victim;
	if (m->unwatch_c)
		sadb_unwatch(db, record, &rec_c);
	if (m->unwatch_self)
		sadb_unwatch(db, meddle, m);
}

static void
test_watch_reentry(void **state)
{
	struct fixture *fx = *state;
	struct sadb_sa_params p = params(0x9300, SADB_DIR_IN);
	struct meddler m = { 0 };
	struct sadb_counters c;
	struct sadb_sa *victim, *sa;
	char err[128];

	recorders_reset(&fx->fake);
	assert_int_equal(sadb_sa_add(fx->db, &p, 0, &victim, err, sizeof(err)),
			 0);
	p = params(0x9301, SADB_DIR_IN);
	assert_int_equal(sadb_sa_add(fx->db, &p, 0, &sa, err, sizeof(err)), 0);
	m.victim = victim;
	assert_int_equal(sadb_watch(fx->db, record, &rec_a), 0);
	assert_int_equal(sadb_watch(fx->db, meddle, &m), 0);
	assert_int_equal(sadb_watch(fx->db, record, &rec_c), 0);

	assert_int_equal(sadb_sa_set_state(fx->db, sa, SADB_SA_INSTALLED, "i"),
			 0);
	assert_int_equal(m.calls, 1);
	/* Every change refused, on this SA or another; reading works. */
	assert_int_equal(m.rc_self, -EDEADLK);
	assert_int_equal(m.rc_state, -EDEADLK);
	assert_int_equal(m.rc_del, -EDEADLK);
	assert_int_equal(m.rc_add, -EDEADLK);
	assert_int_equal(m.rc_seq, -EDEADLK);
	assert_int_equal(m.rc_watch, -EDEADLK);
	assert_true(m.found_victim);
	assert_non_null(strstr(last_log, "called from an SA database watcher"));
	/* Nothing changed. */
	assert_int_equal(sa->state, SADB_SA_INSTALLED);
	assert_int_equal(victim->state, SADB_SA_INIT);
	assert_int_equal(victim->p.seq, 0);
	assert_int_equal(sadb_count(fx->db), 2);
	assert_null(sadb_sa_lookup(fx->db, SADB_DIR_IN, 0x9399, 0));
	/* Every watcher heard the one change, nothing else. */
	assert_string_equal(order, "ac");
	assert_int_equal(rec_a.n, 1);
	assert_int_equal(rec_c.n, 1);
	assert_int_equal(rec_b.n, 0);
	assert_seen(&rec_c.ev[0], 0x9301, SADB_SA_INIT, SADB_SA_INSTALLED);
	sadb_counters_read(fx->db, &c);
	/* self, victim state, del, add, seq (sadb_watch is not counted) */
	assert_int_equal(c.reentered, 5);
	assert_int_equal(c.transitions, 1);

	/* Unwatching from inside: a later watcher is not called, not even
	 * for the change being announced; the meddler goes too. */
	m.unwatch_c = true;
	m.unwatch_self = true;
	order[0] = '\0';
	assert_int_equal(sadb_sa_set_state(fx->db, sa, SADB_SA_DECOUPLED, "d"),
			 0);
	assert_string_equal(order, "a");
	assert_int_equal(m.calls, 2);
	assert_int_equal(rec_c.n, 1);
	/* Outside a notification, changes work again, a alone listens. */
	order[0] = '\0';
	assert_int_equal(sadb_sa_del(fx->db, victim, "out"), 0);
	assert_string_equal(order, "a");
	assert_int_equal(m.calls, 2);
	/* ... and the freed places can be taken again. */
	assert_int_equal(sadb_watch(fx->db, record, &rec_b), 0);
	assert_int_equal(sadb_watch(fx->db, record, &rec_c), 0);
	order[0] = '\0';
	assert_int_equal(sadb_sa_del(fx->db, sa, "out"), 0);
	assert_string_equal(order, "abc");
	sadb_unwatch(fx->db, record, &rec_a);
	sadb_unwatch(fx->db, record, &rec_b);
	sadb_unwatch(fx->db, record, &rec_c);
}

/* sadb_destroy() deletes every record through sadb_sa_del(): heard. */
static void
test_watch_destroy(void **state TW_UNUSED)
{
	struct sadb_sa_params p;
	struct fake_sadb fake;
	struct sadb *db;
	struct sadb_sa *sa;
	char err[128];
	unsigned int i;

	fake_sadb_init(&fake);
	recorders_reset(&fake);
	db = sadb_create(&fake_sadb_ops, &fake, 4);
	assert_non_null(db);
	for (i = 0; i < 3; i++) {
		p = params(0x9400 + i, SADB_DIR_OUT);
		assert_int_equal(sadb_sa_add(db, &p, 0, &sa, err, sizeof(err)),
				 0);
		if (i == 1)
			assert_int_equal(sadb_sa_set_state(db, sa,
				SADB_SA_INSTALLED, "t"), 0);
	}
	/* Records already there are not announced to a new watcher. */
	assert_int_equal(sadb_watch(db, record, &rec_a), 0);
	assert_int_equal(rec_a.n, 0);
	sadb_destroy(db);
	assert_int_equal(rec_a.n, 3);
	for (i = 0; i < 3; i++) {
		assert_seen(&rec_a.ev[i], 0x9400 + i,
			    i == 1 ? SADB_SA_INSTALLED : SADB_SA_INIT,
			    SADB_SA_DELETED);
		assert_int_equal(rec_a.ev[i].key0, 0xab);
	}
	assert_int_equal(fake.n_installed, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_add_lookup_del, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_bad_params, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_full, setup, teardown),
		cmocka_unit_test_setup_teardown(test_transitions, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_illegal_transitions, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_backend_errors, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_destroy_uninstalls, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_progress, setup, teardown),
		cmocka_unit_test_setup_teardown(test_outbound_spi_per_peer,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_ipv6_params, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_watch_life, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_watch_not_announced, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_watch_register, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_watch_reentry, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_watch_destroy, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
