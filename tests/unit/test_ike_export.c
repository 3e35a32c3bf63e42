/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IKE SAs for the standby twin (lib/ike/ike_export.h), with the harness
 * of test_ike_sm.c (included: two engines back to back on a fake clock,
 * its own main renamed). B, the responder, has a standby twin S: B's IKE
 * SA goes to S as a record after every exchange, S holds it passive
 * (silent, no deadline), then B dies and S carries on:
 *   - the record round trip (every mirrored field), every truncation
 *     refused with the output untouched, bad version / state / flags,
 *     appended fields ignored;
 *   - a passive copy answers nothing and fires nothing;
 *   - after the takeover, A's DPD requests are answered by S with the
 *     right message IDs and keys: A never declares the peer dead, keeps
 *     its IKE SA (same SPIs) and its Child SA;
 *   - a DPD request of B in flight at the crash is resent by S with the
 *     same message ID and completes;
 *   - a retransmission of a request B answered before dying gets B's
 *     cached answer from S;
 *   - a deleted copy is freed (keys wiped) and the slot reused.
 */
#define main test_ike_sm_main
int test_ike_sm_main(void);
#include "test_ike_sm.c"
#undef main

#include "ike_export.h"
#include "ike_priv.h"      /* ike_child_find(): the index of child SPIs */

static struct side S;               /* B's standby twin */
static uint8_t rec[IKE_SA_REC_MAX], rec2[IKE_SA_REC_MAX];
static struct ike_sa_rec dec, dec2;
static char err[160];

static int
setup_s(void **st)
{
	setup(st);
	S = B;   /* same config (a twin): its own engine */
	S.name = "S";
	S.cfg.policies = &S.pol;
	S.e = ike_engine_create(&S.cfg, ike_crypto_openssl(),
				&(struct ike_rng){ test_rng, &rng_state[1] });
	assert_non_null(S.e);
	return 0;
}

static int
teardown_s(void **st)
{
	/* after a takeover B's engine is S's (and S.e NULL) */
	ike_engine_destroy(S.e);
	S.e = NULL;
	return teardown(st);
}

/*
 * With TW_IKE_REC_SEEDS=dir, the records the tests make are written
 * there (the seed corpus of tests/fuzz/fuzz_ike_rec and, wrapped in sync
 * messages by tests/fuzz/mk_sync_ike_seeds.py, of fuzz_sync).
 */
static void
seed(const char *name, const uint8_t *p, int n)
{
	const char *dir = getenv("TW_IKE_REC_SEEDS");
	char path[512];
	FILE *f;

	if (dir == NULL || n <= 0)
		return;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(p, 1, (size_t)n, f), (size_t)n);
	fclose(f);
}

/* B's first IKE SA to S; returns the record length. */
static int
sync_b(void)
{
	const struct ike_sa *sa = first_sa(&B);
	uint32_t id;
	int n;

	assert_non_null(sa);
	n = ike_sa_rec_encode(B.e, sa, now, rec, sizeof(rec));
	assert_true(n > 0);
	assert_int_equal(ike_sa_rec_decode(rec, (size_t)n, now, &dec, err,
					   sizeof(err)), 0);
	assert_int_equal(ike_sa_import(S.e, &dec, now, &id, err, sizeof(err)),
			 0);
	return n;
}

/* B dies, S takes over as B (its datagrams, its deadlines). */
static void
takeover(void)
{
	struct ike_action acts[IKE_ACTIONS_MAX];
	const struct ike_sa *sa;
	unsigned int i;

	ike_engine_destroy(B.e);
	B.e = S.e;
	S.e = NULL;
	B.nq = 0;                 /* what B had queued died with it */
	for (i = 0; i <= NSA; i++)
		B.dl[i] = TW_TIME_NEVER;
	sa = first_sa(&B);
	assert_non_null(sa);
	assert_true(sa->passive);
	apply(&B, acts, ike_sa_activate(B.e, sa->id, now, acts,
					IKE_ACTIONS_MAX));
	assert_false(first_sa(&B)->passive);
}

static void
test_record_roundtrip(void **st TW_UNUSED)
{
	const struct ike_sa *b;
	const struct ike_child *c, *d;
	int n;

	establish();
	b = first_sa(&B);
	n = ike_sa_rec_encode(B.e, b, now, rec, sizeof(rec));
	assert_true(n > 0);
	seed("established", rec, n);
	/* too small a buffer */
	assert_int_equal(ike_sa_rec_encode(B.e, b, now, rec2, 40), -ENOSPC);
	/* decoded a second later: times rebased */
	assert_int_equal(ike_sa_rec_decode(rec, (size_t)n, now + TW_SEC(1),
					   &dec, err, sizeof(err)), 0);
	assert_string_equal(dec.map, "VPN");
	assert_int_equal(dec.map_seq, 10);
	assert_true(dec.sa.spi_i == b->spi_i && dec.sa.spi_r == b->spi_r);
	assert_int_equal(dec.sa.state, IKE_SA_ESTABLISHED);
	assert_int_equal(dec.sa.initiator, false);
	assert_int_equal(dec.sa.msgid_in, b->msgid_in);
	assert_int_equal(dec.sa.msgid_out, b->msgid_out);
	assert_int_equal(dec.sa.resp_valid, true);
	assert_int_equal(dec.sa.resp_len, b->resp_len);
	assert_memory_equal(dec.sa.resp_buf, b->resp_buf, b->resp_len);
	assert_int_equal(dec.sa.keys.e_len, b->keys.e_len);
	assert_memory_equal(dec.sa.keys.ei, b->keys.ei, b->keys.e_len);
	assert_memory_equal(dec.sa.keys.er, b->keys.er, b->keys.e_len);
	assert_memory_equal(dec.sa.keys.d, b->keys.d, b->keys.d_len);
	assert_memory_equal(dec.sa.keys.pr, b->keys.pr, b->keys.p_len);
	assert_int_equal(dec.sa.algs.prf, b->algs.prf);
	assert_int_equal(dec.sa.ni_len, b->ni_len);
	assert_memory_equal(dec.sa.nr, b->nr, b->nr_len);
	assert_true(tw_addr_eq(&dec.sa.peer_addr, &b->peer_addr));
	assert_int_equal(dec.sa.peer_port, b->peer_port);
	assert_true(dec.sa.expire_at + TW_MSEC(1) >= b->expire_at + TW_SEC(1) &&
		    dec.sa.expire_at <= b->expire_at + TW_SEC(1));
	c = &b->child[0];
	d = &dec.sa.child[0];
	assert_int_equal(d->state, IKE_CHILD_INSTALLED);
	assert_int_equal(d->spi_in, c->spi_in);
	assert_int_equal(d->spi_out, c->spi_out);
	assert_int_equal(d->initiator, c->initiator);
	assert_int_equal(d->cipher, c->cipher);
	assert_int_equal(d->keys.encr_len, c->keys.encr_len);
	assert_memory_equal(d->keys.encr_i2r, c->keys.encr_i2r,
			    c->keys.encr_len);
	assert_memory_equal(d->keys.encr_r2i, c->keys.encr_r2i,
			    c->keys.encr_len);
	assert_int_equal(d->n_local, c->n_local);
	assert_int_equal(d->ts_remote[0].addr4_lo, c->ts_remote[0].addr4_lo);
	assert_int_equal(dec.sa.child[1].state, IKE_CHILD_NONE);
	/* re-encoded at the receiver's clock: the same bytes */
	dec.sa.used = true;
	dec.sa.policy = 0;
	assert_int_equal(ike_sa_rec_encode(B.e, &dec.sa, now + TW_SEC(1), rec2,
					   sizeof(rec2)), n);
	assert_memory_equal(rec, rec2, (size_t)n);
	/* a later version's appended fields are ignored */
	memset(rec + n, 0xee, 7);
	assert_int_equal(ike_sa_rec_decode(rec, (size_t)n + 7, now, &dec2, err,
					   sizeof(err)), 0);
	assert_int_equal(dec2.sa.spi_r, b->spi_r);
}

static void
expect_bad(const uint8_t *p, size_t len, int rc, const char *why)
{
	memset(&dec2, 0x5a, sizeof(dec2));
	err[0] = '\0';
	assert_int_equal(ike_sa_rec_decode(p, len, now, &dec2, err,
					   sizeof(err)), rc);
	assert_true(((uint8_t *)&dec2)[0] == 0x5a &&
		    ((uint8_t *)&dec2)[sizeof(dec2) - 1] == 0x5a);
	if (why != NULL && strstr(err, why) == NULL)
		fail_msg("error '%s', wanted '%s'", err, why);
}

/*
 * Issue 14.5: a record that does not fit leaves nothing of the SA's keys
 * in the buffer: whatever was written before -ENOSPC is wiped.
 */
static void
test_record_encode_short_wiped(void **st TW_UNUSED)
{
	static uint8_t part[sizeof(rec)];
	const struct ike_sa *b;
	size_t cap, i;
	int n;

	establish();
	b = first_sa(&B);
	n = ike_sa_rec_encode(B.e, b, now, rec, sizeof(rec));
	assert_true(n > 0);
	for (cap = 1; cap < (size_t)n; cap += 7) {
		memset(part, 0, sizeof(part));
		assert_int_equal(ike_sa_rec_encode(B.e, b, now, part, cap),
				 -ENOSPC);
		for (i = 0; i < cap; i++)
			assert_int_equal(part[i], 0);
	}
}

static void
test_record_bad(void **st TW_UNUSED)
{
	size_t cut;
	int n;

	establish();
	n = ike_sa_rec_encode(B.e, first_sa(&B), now, rec, sizeof(rec));
	assert_true(n > 0);
	/* every truncation refused, output untouched */
	for (cut = 0; cut < (size_t)n; cut++)
		expect_bad(rec, cut, -EINVAL, NULL);
	memcpy(rec2, rec, (size_t)n);
	/* An SA of IPv4 only is written as version 1 (a twin of the
	 * previous release reads it); version 2 would read its addresses
	 * with a family byte: refused, not misread. */
	assert_int_equal(rec[0], IKE_SA_REC_VERSION_V4);
	rec2[0] = IKE_SA_REC_VERSION;
	expect_bad(rec2, (size_t)n, -EINVAL, "addresses");
	memcpy(rec2, rec, (size_t)n);
	rec2[0] = 3;
	expect_bad(rec2, (size_t)n, -EPROTONOSUPPORT, "record version 3");
	memcpy(rec2, rec, (size_t)n);
	rec2[1] = IKE_SA_HALF_OPEN;
	expect_bad(rec2, (size_t)n, -EINVAL, "bad state");
	memcpy(rec2, rec, (size_t)n);
	rec2[2] = 0x80;
	expect_bad(rec2, (size_t)n, -EINVAL, "unknown flags");
	memcpy(rec2, rec, (size_t)n);
	rec2[3] = IKE_REQ_IKE_REKEY;
	expect_bad(rec2, (size_t)n, -EINVAL, "cannot be mirrored");
	memcpy(rec2, rec, (size_t)n);
	memset(rec2 + 4, 0, 8);
	expect_bad(rec2, (size_t)n, -EINVAL, "zero IKE SPI");
	memcpy(rec2, rec, (size_t)n);
	rec2[20] = 40;   /* map name length past CONF_NAME_MAX */
	expect_bad(rec2, (size_t)n, -EINVAL, "crypto map name");
	/* an unknown crypto map entry is refused by the import */
	assert_int_equal(ike_sa_rec_decode(rec, (size_t)n, now, &dec, err,
					   sizeof(err)), 0);
	dec.map_seq = 11;
	{
		uint32_t id;

		assert_int_equal(ike_sa_import(S.e, &dec, now, &id, err,
					       sizeof(err)), -ENOENT);
	}
	/* a half-open SA is not mirrorable */
	assert_false(ike_sa_mirrorable(&(struct ike_sa){
		.used = true, .state = IKE_SA_HALF_OPEN, .spi_r = 1 }));
}

static void
test_passive_silent(void **st TW_UNUSED)
{
	struct ike_action acts[IKE_ACTIONS_MAX];
	const struct ike_sa *s;
	struct dgram d;
	int n;

	A.cfg.dpd_interval_s = 10;
	establish();
	sync_b();
	s = first_sa(&S);
	assert_non_null(s);
	assert_true(s->passive);
	assert_int_equal(s->state, IKE_SA_ESTABLISHED);
	/* no deadline, no timer action, input dropped */
	assert_int_equal(ike_timer(S.e, s->id, now + TW_SEC(100), acts,
				   IKE_ACTIONS_MAX), 0);
	run_for(TW_SEC(11), TW_SEC(1));   /* A sends a DPD, B answers */
	n = 0;
	now += TW_SEC(10);
	fire(&A);
	assert_true(pop(&A, &d));
	apply(&S, acts, ike_input(S.e, &(struct ike_pkt){
		.data = d.d, .len = d.len, .src = tw_addr_v4(d.src),
		.dst = tw_addr_v4(d.dst),
		.sport = d.sport, .dport = d.dport }, now, acts,
		IKE_ACTIONS_MAX));
	assert_int_equal(S.nq, 0);
	/* refreshing the copy keeps one SA */
	n = sync_b();
	assert_true(n > 0);
	assert_int_equal(n_sas(&S), 1);
	/* the twin deletes it: freed, keys wiped, slot free */
	assert_int_equal(ike_sa_import_delete(S.e, first_sa(&B)->spi_i,
					      first_sa(&B)->spi_r), 0);
	assert_int_equal(n_sas(&S), 0);
	assert_int_equal(ike_sa_import_delete(S.e, first_sa(&B)->spi_i,
					      first_sa(&B)->spi_r), -ENOENT);
	sync_b();
	assert_int_equal(n_sas(&S), 1);
	/* an active SA is never overwritten by a record */
	{
		uint32_t id;

		assert_int_equal(ike_sa_import(B.e, &dec, now, &id, err,
					       sizeof(err)), -EBUSY);
	}
}

static void
test_takeover_dpd(void **st TW_UNUSED)
{
	struct ike_counters c0, c;
	const struct ike_sa *a;
	uint64_t spi_i, spi_r;
	uint32_t in0;

	A.cfg.dpd_interval_s = 5;
	A.cfg.dpd_retries = 2;
	establish();
	/* a few DPD exchanges, B's state synced after each */
	run_for(TW_SEC(12), TW_SEC(1));
	sync_b();
	in0 = first_sa(&S)->msgid_in;
	assert_true(in0 >= 3);    /* AUTH + at least two DPDs */
	a = first_sa(&A);
	spi_i = a->spi_i;
	spi_r = a->spi_r;
	ike_counters_read(A.e, &c0);
	takeover();
	/* A's next DPDs are answered by the new B */
	run_for(TW_SEC(40), TW_SEC(1));
	ike_counters_read(A.e, &c);
	assert_true(c.dpd_sent >= c0.dpd_sent + 5);
	assert_int_equal(c.dpd_dead, 0);
	assert_int_equal(c.rx_icv_fail, 0);
	assert_int_equal(n_sas(&A), 1);
	a = first_sa(&A);
	assert_true(a->spi_i == spi_i && a->spi_r == spi_r);
	assert_int_equal(a->state, IKE_SA_ESTABLISHED);
	assert_int_equal(ike_sa_n_children(a), 1);
	assert_int_equal(A.child_down, 0);
	assert_true(first_sa(&B)->msgid_in >= in0 + 5);
	/* the children both sides hold still match */
	check_installed_children_match(first_sa(&A), first_sa(&B));
}

static void
test_takeover_request_in_flight(void **st TW_UNUSED)
{
	struct ike_counters c;
	uint32_t out0;

	B.cfg.dpd_interval_s = S.cfg.dpd_interval_s = 5;
	B.cfg.dpd_retries = S.cfg.dpd_retries = 2;
	establish();
	/* B's DPD request leaves, the sync sees it, then B dies */
	now += TW_SEC(5);
	fire(&B);
	assert_int_equal(B.nq, 1);
	assert_int_equal(first_sa(&B)->req, IKE_REQ_DPD);
	out0 = first_sa(&B)->msgid_out;
	seed("dpd_in_flight", rec, sync_b());
	assert_int_equal(first_sa(&S)->req, IKE_REQ_DPD);
	/* case 1: A got the request and answered (the answer is lost) */
	{
		struct dgram d;

		assert_true(pop(&B, &d));
		deliver(&A, &d);
		A.nq = 0;
	}
	takeover();
	/* S resends it at once, same ID: A answers from its cache */
	fire(&B);
	pump();
	assert_int_equal(first_sa(&B)->req, IKE_REQ_NONE);
	assert_int_equal(first_sa(&B)->msgid_out, out0 + 1);
	ike_counters_read(A.e, &c);
	assert_int_equal(c.rx_retransmits, 1);
	/* and the next liveness checks go on with the next IDs */
	run_for(TW_SEC(20), TW_SEC(1));
	ike_counters_read(B.e, &c);
	assert_int_equal(c.dpd_dead, 0);
	assert_true(first_sa(&B)->msgid_out >= out0 + 3);
	assert_int_equal(n_sas(&A), 1);
}

static void
test_takeover_cached_answer(void **st TW_UNUSED)
{
	struct ike_counters c;
	struct dgram d;

	A.cfg.dpd_interval_s = 5;
	A.cfg.dpd_retries = 3;
	establish();
	/* A's DPD reaches B, B answers and syncs, the answer is lost */
	now += TW_SEC(5);
	fire(&A);
	assert_true(pop(&A, &d));
	deliver(&B, &d);
	sync_b();
	B.nq = 0;
	takeover();
	/* A retransmits: S answers with B's cached response */
	run_for(TW_SEC(3), TW_SEC(1));
	ike_counters_read(B.e, &c);
	assert_int_equal(c.rx_retransmits, 1);
	ike_counters_read(A.e, &c);
	assert_int_equal(c.dpd_dead, 0);
	assert_int_equal(first_sa(&A)->req, IKE_REQ_NONE);
}

/* dec.sa (changed) encoded again by B's engine: its record length. */
static int
reencode(void)
{
	dec.sa.used = true;
	dec.sa.policy = 0;
	return ike_sa_rec_encode(B.e, &dec.sa, now, rec2, sizeof(rec2));
}

static void
decode_b(void)
{
	int n = ike_sa_rec_encode(B.e, first_sa(&B), now, rec, sizeof(rec));

	assert_true(n > 0);
	assert_int_equal(ike_sa_rec_decode(rec, (size_t)n, now, &dec, err,
					   sizeof(err)), 0);
}

/* Transforms and key lengths must fit: the SK code and the data plane
 * read as many key bytes as the algorithm needs. */
static void
test_record_bad_keys(void **st TW_UNUSED)
{
	int n;

	establish();
	decode_b();
	dec.sa.algs.encr = 9999;
	expect_bad(rec2, (size_t)reencode(), -EINVAL, "transforms");
	decode_b();
	dec.sa.algs.prf = 77;
	expect_bad(rec2, (size_t)reencode(), -EINVAL, "transforms");
	decode_b();
	dec.sa.algs.dh = 1234;
	expect_bad(rec2, (size_t)reencode(), -EINVAL, "transforms");
	decode_b();
	dec.sa.keys.e_len--;
	expect_bad(rec2, (size_t)reencode(), -EINVAL, "transforms");
	decode_b();
	dec.sa.keys.p_len = 20;
	expect_bad(rec2, (size_t)reencode(), -EINVAL, "transforms");
	decode_b();
	dec.sa.keys.a_len = 32;  /* GCM: no integrity key */
	expect_bad(rec2, (size_t)reencode(), -EINVAL, "transforms");
	/* a child's keys against its transform */
	decode_b();
	dec.sa.child[0].keys.encr_len = 16;   /* aes-gcm-128 needs 20 */
	expect_bad(rec2, (size_t)reencode(), -EINVAL, "do not fit");
	decode_b();
	dec.sa.child[0].integ = CONF_INTEG_SHA1_96;  /* GCM with HMAC */
	dec.sa.child[0].keys.integ_len = 20;
	expect_bad(rec2, (size_t)reencode(), -EINVAL, "do not fit");
	decode_b();
	dec.sa.child[0].pfs_group = 4242;
	expect_bad(rec2, (size_t)reencode(), -EINVAL, "PFS group");
	/* two children with one inbound SPI */
	decode_b();
	dec.sa.child[1] = dec.sa.child[0];
	dec.sa.child[1].spi_out ^= 0x100;
	expect_bad(rec2, (size_t)reencode(), -EINVAL, "share SPI");
	/* unchanged, it still decodes */
	decode_b();
	n = reencode();
	assert_int_equal(ike_sa_rec_decode(rec2, (size_t)n, now, &dec2, err,
					   sizeof(err)), 0);
}

/* The copy's lookups follow its records: SPIs, policy, children. */
static void
test_import_indexes(void **st TW_UNUSED)
{
	struct ike_sa *owner;
	const struct ike_sa *s;
	uint32_t old_in, id, id2;

	establish();
	sync_b();
	s = first_sa(&S);
	old_in = s->child[0].spi_in;
	assert_ptr_equal(ike_child_find(S.e, old_in, &owner), &s->child[0]);
	assert_ptr_equal(owner, s);
	assert_ptr_equal(ike_engine_policy_sa_next(S.e, 0, NULL), s);
	assert_ptr_equal(ike_engine_sa_by_spi(S.e, s->spi_i, s->spi_r), s);
	/* the twin rekeyed the child: the refresh moves the index */
	decode_b();
	dec.sa.child[0].spi_in = old_in ^ 0x5a5a00;
	assert_int_equal(ike_sa_import(S.e, &dec, now, &id, err, sizeof(err)),
			 0);
	assert_int_equal(id, s->id);
	assert_null(ike_child_find(S.e, old_in, &owner));
	assert_non_null(ike_child_find(S.e, old_in ^ 0x5a5a00, &owner));
	/* and dropped it: no child left behind in the lookups */
	dec.sa.child[0].state = IKE_CHILD_NONE;
	assert_int_equal(ike_sa_import(S.e, &dec, now, &id2, err,
				       sizeof(err)), 0);
	assert_int_equal(id2, id);
	assert_null(ike_child_find(S.e, old_in ^ 0x5a5a00, &owner));
	/* deleted by the twin: nothing found, the slot comes back */
	assert_int_equal(ike_sa_import_delete(S.e, dec.sa.spi_i,
					      dec.sa.spi_r), 0);
	assert_null(ike_engine_sa_by_spi(S.e, dec.sa.spi_i, dec.sa.spi_r));
	assert_null(ike_engine_policy_sa_next(S.e, 0, NULL));
	decode_b();
	assert_int_equal(ike_sa_import(S.e, &dec, now, &id, err, sizeof(err)),
			 0);
	assert_non_null(ike_child_find(S.e, old_in, &owner));
	assert_int_equal(n_sas(&S), 1);
}

/*
 * Relinquish: the active S (after a takeover) becomes passive with its
 * own IKE SA rekey in flight (a DH key held), and the new active's
 * record replaces it: no deadline, nothing sent, the DH key freed (the
 * ASan build's leak check), indexes right.
 */
static void
test_relinquish(void **st TW_UNUSED)
{
	struct ike_action acts[IKE_ACTIONS_MAX];
	const struct ike_sa *s;
	struct ike_sa *owner;
	uint32_t id, id2;
	unsigned int nq;
	int n;

	B.cfg.ike_life_s = 600;      /* B's IKE SA rekey before any child's */
	A.cfg.ike_life_s = 3600;
	establish();
	sync_b();
	decode_b();                  /* B's record, before it dies */
	takeover();                  /* S is B now */
	s = first_sa(&B);
	id = s->id;
	/* S starts the IKE SA rekey: its request holds a DH key */
	now = s->rekey_at;
	fire(&B);
	s = ike_engine_sa(B.e, id);
	assert_non_null(s);
	assert_int_equal(s->req, IKE_REQ_IKE_REKEY);
	assert_non_null(s->dh);
	nq = B.nq;
	n = ike_sa_passivate(B.e, id, now, acts, IKE_ACTIONS_MAX);
	apply(&B, acts, n);
	assert_true(s->passive);
	assert_int_equal(B.dl[id], TW_TIME_NEVER);
	/* silent: no deadline fires, nothing sent */
	assert_int_equal(ike_timer(B.e, id, now + TW_SEC(3600), acts,
				   IKE_ACTIONS_MAX), 0);
	assert_int_equal(B.nq, nq);
	/* the new active's record refreshes it */
	assert_int_equal(ike_sa_import(B.e, &dec, now, &id2, err,
				       sizeof(err)), 0);
	assert_int_equal(id2, id);
	s = ike_engine_sa(B.e, id);
	assert_true(s->passive);
	assert_null(s->dh);
	assert_int_equal(s->req, IKE_REQ_NONE);
	assert_ptr_equal(ike_child_find(B.e, dec.sa.child[0].spi_in, &owner),
			 &s->child[0]);
	assert_ptr_equal(ike_engine_sa_by_spi(B.e, dec.sa.spi_i,
					      dec.sa.spi_r), s);
	/* taken over again: it carries on from the record */
	apply(&B, acts, ike_sa_activate(B.e, id, now, acts, IKE_ACTIONS_MAX));
	assert_false(ike_engine_sa(B.e, id)->passive);
	assert_true(B.dl[id] != TW_TIME_NEVER);
}

/* AES-CBC with HMAC (IKE and ESP): the record's checks accept what the
 * engine negotiates, and the new active speaks with those keys. */
static void
cbc(struct ike_policy *p)
{
	ike_proposal_init(&p->ike_props[0], 1, IKE_PROTO_IKE, NULL, 0);
	ike_proposal_add(&p->ike_props[0], IKE_XF_ENCR, IKE_ENCR_AES_CBC, 256);
	ike_proposal_add(&p->ike_props[0], IKE_XF_PRF, IKE_PRF_HMAC_SHA2_256,
			 0);
	ike_proposal_add(&p->ike_props[0], IKE_XF_INTEG,
			 IKE_INTEG_HMAC_SHA2_256_128, 0);
	ike_proposal_add(&p->ike_props[0], IKE_XF_DH, IKE_DH_ECP_256, 0);
	p->cipher = CONF_CIPHER_AES_CBC_128;
	p->integ = CONF_INTEG_SHA1_96;
}

static void
test_record_cbc(void **st TW_UNUSED)
{
	struct ike_counters c;

	cbc(&A.pol);
	cbc(&B.pol);
	cbc(&S.pol);
	A.cfg.dpd_interval_s = 5;
	establish();
	assert_int_equal(first_sa(&B)->algs.encr, IKE_ENCR_AES_CBC);
	assert_int_equal(first_sa(&B)->child[0].integ, CONF_INTEG_SHA1_96);
	sync_b();
	assert_int_equal(dec.sa.keys.a_len, 32);
	assert_int_equal(dec.sa.child[0].keys.integ_len, 20);
	takeover();
	run_for(TW_SEC(20), TW_SEC(1));
	ike_counters_read(A.e, &c);
	assert_true(c.dpd_sent >= 3);
	assert_int_equal(c.dpd_dead, 0);
	assert_int_equal(c.rx_icv_fail, 0);
	assert_int_equal(n_sas(&A), 1);
}

/*
 * A split brain heals (issue 13 5b): S took over from a copy synced
 * before B answered more of A's DPD requests (B, the loser, ran on).
 * Without B's record S drops A's next request as past its window
 * (counted, rx_msgid_ahead); with it (ike_sa_adopt_msgids()) S answers
 * A's DPD and A never retransmits.
 */
static void
split_heal(bool adopt)
{
	struct ike_counters a0, a, s;
	uint32_t stale, in;
	int n;

	A.cfg.dpd_interval_s = 5;
	A.cfg.dpd_retries = 3;
	establish();
	sync_b();
	stale = first_sa(&S)->msgid_in;
	run_for(TW_SEC(12), TW_SEC(1));      /* B answers DPD: IDs move */
	in = first_sa(&B)->msgid_in;
	assert_true(in >= stale + 2);
	n = ike_sa_rec_encode(B.e, first_sa(&B), now, rec, sizeof(rec));
	assert_true(n > 0);
	assert_int_equal(ike_sa_rec_decode(rec, (size_t)n, now, &dec, err,
					   sizeof(err)), 0);
	/* Not while the copy is passive: nothing active to adopt into. */
	assert_int_equal(ike_sa_adopt_msgids(S.e, &dec), -ENOENT);
	takeover();                           /* S carries on as B */
	assert_int_equal(first_sa(&B)->msgid_in, stale);
	if (adopt) {
		assert_int_equal(ike_sa_adopt_msgids(B.e, &dec), 1);
		assert_int_equal(first_sa(&B)->msgid_in, in);
		assert_int_equal(ike_sa_adopt_msgids(B.e, &dec), 0);
	}
	ike_counters_read(A.e, &a0);
	run_for(TW_SEC(14), TW_SEC(1));
	ike_counters_read(A.e, &a);
	ike_counters_read(B.e, &s);
	assert_true(a.dpd_sent > a0.dpd_sent);
	if (adopt) {
		assert_int_equal(a.tx_retransmits, a0.tx_retransmits);
		assert_int_equal(s.rx_msgid_ahead, 0);
		assert_true(first_sa(&B)->msgid_in > in);
	} else {
		assert_true(a.tx_retransmits > a0.tx_retransmits);
		assert_true(s.rx_msgid_ahead > 0);
		assert_int_equal(first_sa(&B)->msgid_in, stale);
	}
}

static void
test_split_heal_adopt(void **st TW_UNUSED)
{
	split_heal(true);
}

static void
test_split_heal_stale(void **st TW_UNUSED)
{
	split_heal(false);
}

/*
 * Issue 18: an IKE SA over IPv6 whose Child SA has IPv6 selectors and a
 * mixed list (an IPv6 and an IPv4 range) travels as version 2 and comes
 * back whole; its truncations, an unknown family and an inverted IPv6
 * range are refused.
 */
static struct ike_sa x6;

static void
test_record_ipv6(void **st TW_UNUSED)
{
	struct tw_addr l6, p6;
	struct ike_child *c;
	size_t cut, off;
	unsigned int i;
	int n;

	establish();
	x6 = *first_sa(&B);
	assert_int_equal(tw_addr_parse("2001:db8::1", &l6), 0);
	assert_int_equal(tw_addr_parse("2001:db8::2", &p6), 0);
	x6.local_addr = l6;
	x6.peer_addr = p6;
	for (i = 0; i < IKE_CHILD_MAX; i++) {
		c = &x6.child[i];
		if (c->state == IKE_CHILD_NONE)
			continue;
		c->local_addr = l6;
		c->peer_addr = p6;
		ike_ts_from_prefix6(&c->ts_local[0], (const uint8_t[16]){
			0x20, 0x01, 0x0d, 0xb8, 0, 1 }, 64, 0, 0, 65535);
		ike_ts_from_prefix6(&c->ts_remote[0], (const uint8_t[16]){
			0x20, 0x01, 0x0d, 0xb8, 0, 2 }, 48, 6, 443, 443);
		ike_ts_from_prefix(&c->ts_remote[1], 0x0a020000, 16, 0, 0,
				   65535);
		c->n_local = 1;
		c->n_remote = 2;
	}
	n = ike_sa_rec_encode(B.e, &x6, now, rec, sizeof(rec));
	assert_true(n > 0);
	assert_int_equal(rec[0], IKE_SA_REC_VERSION);
	seed("established-ipv6", rec, n);
	assert_int_equal(ike_sa_rec_decode(rec, (size_t)n, now, &dec, err,
					   sizeof(err)), 0);
	assert_true(tw_addr_eq(&dec.sa.local_addr, &l6));
	assert_true(tw_addr_eq(&dec.sa.peer_addr, &p6));
	for (i = 0; i < IKE_CHILD_MAX; i++) {
		const struct ike_child *a = &x6.child[i], *b = &dec.sa.child[i];

		if (a->state == IKE_CHILD_NONE)
			continue;
		assert_int_equal(b->spi_in, a->spi_in);
		assert_true(tw_addr_eq(&b->peer_addr, &p6));
		assert_true(tw_addr_eq(&b->local_addr, &l6));
		assert_int_equal(b->n_local, 1);
		assert_int_equal(b->n_remote, 2);
		assert_memory_equal(&b->ts_local[0], &a->ts_local[0],
				    sizeof(a->ts_local[0]));
		assert_memory_equal(&b->ts_remote[0], &a->ts_remote[0],
				    sizeof(a->ts_remote[0]));
		assert_memory_equal(&b->ts_remote[1], &a->ts_remote[1],
				    sizeof(a->ts_remote[1]));
	}
	for (cut = 0; cut < (size_t)n; cut++)
		expect_bad(rec, cut, -EINVAL, NULL);
	/* the local address's family byte: after version, state, flags,
	 * req, the SPIs, the map name and its seq */
	off = 4 + 16 + 1 + rec[20] + 4;
	assert_int_equal(rec[off], TW_AF_INET6);
	memcpy(rec2, rec, (size_t)n);
	rec2[off] = 5;
	expect_bad(rec2, (size_t)n, -EINVAL, "addresses");
	/* the peer's of the other family */
	memcpy(rec2, rec, (size_t)n);
	rec2[off + 17] = TW_AF_INET;
	expect_bad(rec2, (size_t)n, -EINVAL, NULL);
}

#define TS(t) cmocka_unit_test_setup_teardown(t, setup_s, teardown_s)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		TS(test_record_roundtrip),
		TS(test_record_encode_short_wiped),
		TS(test_record_bad),
		TS(test_passive_silent),
		TS(test_takeover_dpd),
		TS(test_takeover_request_in_flight),
		TS(test_takeover_cached_answer),
		TS(test_record_bad_keys),
		TS(test_import_indexes),
		TS(test_relinquish),
		TS(test_record_cbc),
		TS(test_split_heal_adopt),
		TS(test_split_heal_stale),
		TS(test_record_ipv6),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
