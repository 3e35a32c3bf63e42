/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target for the IKE SA record (lib/ike/ike_export.h): the
 * body of a kind-2 sync record, i.e. bytes the twin sends. Every input
 * is one record:
 *   - decoded (on error: -EINVAL or -EPROTONOSUPPORT and the output
 *     untouched); what decodes satisfies the layout's limits;
 *   - imported into a fresh engine (policy "VPN" 10): a record naming
 *     another crypto map entry is refused with -ENOENT and leaves no SA;
 *     else the copy is passive, found by its SPIs, its policy and each
 *     child's SPI (the O(1) indexes), and silent: a datagram for it and
 *     its deadlines bring no SEND;
 *   - imported again (refresh: same slot), encoded back and decoded
 *     again: the same SA (fields that are not times);
 *   - activated (takeover) and run: its messages both ways fed to it as
 *     the peer's, time advanced through DPD, rekeys and expiry with the
 *     record's algorithms and keys; a re-import while it is active is
 *     refused with -EBUSY;
 *   - passivated (relinquish), refreshed from the record, deleted as the
 *     twin deletes it: no longer found, its slot reusable.
 * After every call the action list is well formed and the data plane
 * (the children the sync installed, CHILD_UP adds, CHILD_DOWN removes)
 * agrees. ASan/UBSan and LeakSanitizer watch the rest.
 *
 *   build-fuzz/tests/fuzz/fuzz_ike_rec -max_total_time=180 \
 *       tests/fuzz/corpus/ike_rec
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "ike.h"
#include "ike_export.h"
#include "ike_priv.h"
#include "ike_proposal.h"
#include "ike_sa.h"
#include "tw_log.h"
#include "tw_compiler.h"

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | \
			(uint32_t)(c) << 8 | (uint32_t)(d))
#define NSA 4
#define NDP 32
#define T0 TW_SEC(100000)

#define CHECK(c) do { if (!(c)) { \
	fprintf(stderr, "invariant failed: %s (line %d)\n", #c, __LINE__); \
	abort(); } } while (0)

static struct ike_config cfg;
static struct ike_policy pol;
static struct ike_engine *e;
static uint64_t rng_state;
static tw_time_t now, dl[NSA + 1];
static uint32_t dp[NDP];
static unsigned int n_dp, sends;
static struct ike_sa_rec dec, dec2, pattern;
static uint8_t enc[IKE_SA_REC_MAX];
static uint8_t last_send[IKE_MSG_BUF];
static size_t last_send_len;

static void
quiet(enum tw_log_level l TW_UNUSED, const char *m TW_UNUSED,
      const char *f TW_UNUSED, va_list ap TW_UNUSED)
{
}

static int
rng_bytes(void *arg, uint8_t *buf, size_t len)
{
	uint64_t *x = arg;
	size_t i;

	for (i = 0; i < len; i++) {
		*x ^= *x >> 12;
		*x ^= *x << 25;
		*x ^= *x >> 27;
		buf[i] = (uint8_t)((*x * 0x2545F4914F6CDD1DULL) >> 56);
	}
	return 0;
}

/* The twin's policy: the same as the seed records' (tests/unit's B). */
static void
policy(void)
{
	memset(&pol, 0, sizeof(pol));
	snprintf(pol.map, sizeof(pol.map), "VPN");
	pol.seq = 10;
	pol.local_addr = tw_addr_v4(IP(192, 0, 2, 2));
	pol.peer_addr = tw_addr_v4(IP(192, 0, 2, 1));
	ike_id_from_string(&pol.local_id, "192.0.2.2");
	pol.psk_len = 6;
	memcpy(pol.psk, "sesame", 6);
	ike_proposal_init(&pol.ike_props[0], 1, IKE_PROTO_IKE, NULL, 0);
	ike_proposal_add(&pol.ike_props[0], IKE_XF_ENCR, IKE_ENCR_AES_GCM_16,
			 128);
	ike_proposal_add(&pol.ike_props[0], IKE_XF_PRF, IKE_PRF_HMAC_SHA2_256,
			 0);
	ike_proposal_add(&pol.ike_props[0], IKE_XF_DH, IKE_DH_CURVE25519, 0);
	pol.n_ike_props = 1;
	pol.cipher = CONF_CIPHER_AES_GCM_128;
	pol.integ = CONF_INTEG_NONE;
	pol.pfs_group = IKE_DH_CURVE25519;
	pol.replay_window = 64;
	ike_ts_from_prefix(&pol.ts[0].local, IP(10, 2, 0, 0), 16, 0, 0,
			   65535);
	ike_ts_from_prefix(&pol.ts[0].remote, IP(10, 1, 0, 0), 16, 0, 0,
			   65535);
	pol.n_ts = 1;
	pol.child_life_s = 600;
	pol.child_life_kb = 1024;
	pol.initiate = IKE_INITIATE_RESPONDER;
}

static int
dp_find(uint32_t spi)
{
	unsigned int i;

	for (i = 0; i < n_dp; i++)
		if (dp[i] == spi)
			return (int)i;
	return -1;
}

/* Every live SA and child is where the indexes say. */
static void
check_engine(void)
{
	const struct ike_sa *sa = NULL;
	struct ike_sa *found;
	unsigned int i;

	while ((sa = ike_engine_sa_next(e, sa)) != NULL) {
		CHECK(sa->id >= 1 && sa->id <= NSA);
		CHECK(sa->state < IKE_SA_DEAD);
		CHECK(ike_engine_sa_by_spi(e, sa->spi_i, sa->spi_r) == sa ||
		      sa->spi_r == 0);
		for (i = 0; i < IKE_CHILD_MAX; i++) {
			const struct ike_child *c = &sa->child[i];

			if (c->state == IKE_CHILD_NONE)
				continue;
			CHECK(c->sa_id == sa->id);
			CHECK(ike_child_find(e, c->spi_in, &found) == c &&
			      found == sa);
		}
	}
}

static void
apply(const struct ike_action *a, int n, bool passive)
{
	int i, k;

	CHECK(n >= 0 && n <= IKE_ACTIONS_MAX);
	for (i = 0; i < n; i++) {
		switch (a[i].type) {
		case IKE_ACT_SEND:
			CHECK(!passive);
			CHECK(a[i].u.send.data != NULL);
			CHECK(a[i].u.send.len > 0 &&
			      a[i].u.send.len <= IKE_MSG_BUF);
			if (!a[i].u.send.keepalive) {
				memcpy(last_send, a[i].u.send.data,
				       a[i].u.send.len);
				last_send_len = a[i].u.send.len;
			}
			sends++;
			break;
		case IKE_ACT_ARM:
			CHECK(!passive);
			CHECK(a[i].sa_id >= 1 && a[i].sa_id <= NSA);
			dl[a[i].sa_id] = a[i].u.at;
			break;
		case IKE_ACT_CANCEL:
			CHECK(a[i].sa_id >= 1 && a[i].sa_id <= NSA);
			dl[a[i].sa_id] = TW_TIME_NEVER;
			break;
		case IKE_ACT_CHILD_UP:
			CHECK(!passive);
			CHECK(a[i].u.child.c != NULL);
			CHECK(dp_find(a[i].u.child.spi_in) < 0);
			CHECK(n_dp < NDP);
			dp[n_dp++] = a[i].u.child.spi_in;
			break;
		case IKE_ACT_CHILD_DOWN:
			CHECK(!passive);
			k = dp_find(a[i].u.child.spi_in);
			CHECK(k >= 0);
			dp[k] = dp[--n_dp];
			break;
		case IKE_ACT_IKE_UP:
		case IKE_ACT_IKE_DOWN:
		case IKE_ACT_IKE_DELETING:
			CHECK(!passive);
			break;
		default:
			CHECK(0);
		}
	}
	check_engine();
}

/* What the sync installed with the copy: its children's SAs. */
static void
dp_from(const struct ike_sa *sa)
{
	unsigned int i;

	n_dp = 0;
	for (i = 0; i < IKE_CHILD_MAX; i++)
		if (sa->child[i].state != IKE_CHILD_NONE)
			dp[n_dp++] = sa->child[i].spi_in;
}

static void
deliver(const uint8_t *d, size_t len, bool passive)
{
	struct ike_action acts[IKE_ACTIONS_MAX];
	struct ike_pkt p = {
		.data = d, .len = len,
		.src = pol.peer_addr, .dst = pol.local_addr,
		.sport = 4500, .dport = 4500,
	};

	if (len == 0)
		return;
	apply(acts, ike_input(e, &p, now, acts, IKE_ACTIONS_MAX), passive);
}

/* Let time run to the next deadlines, at most steps of them. */
static void
run(unsigned int steps)
{
	struct ike_action acts[IKE_ACTIONS_MAX];
	unsigned int s, i;
	tw_time_t next;

	for (s = 0; s < steps; s++) {
		next = TW_TIME_NEVER;
		for (i = 1; i <= NSA; i++)
			if (dl[i] < next)
				next = dl[i];
		if (next == TW_TIME_NEVER || next > T0 + TW_SEC(86400 * 30))
			return;
		if (next > now)
			now = next;
		for (i = 1; i <= NSA; i++) {
			if (dl[i] > now)
				continue;
			dl[i] = TW_TIME_NEVER;
			apply(acts, ike_timer(e, i, now, acts,
					      IKE_ACTIONS_MAX), false);
		}
	}
}

/* Decoded twice (through the engine): the same SA but for times. */
static void
same(const struct ike_sa *a, const struct ike_sa *b)
{
	unsigned int i;

	CHECK(a->spi_i == b->spi_i && a->spi_r == b->spi_r);
	CHECK(a->state == b->state && a->initiator == b->initiator);
	CHECK(a->msgid_in == b->msgid_in && a->msgid_out == b->msgid_out);
	CHECK(a->req == b->req && a->req_len == b->req_len &&
	      memcmp(a->req_buf, b->req_buf, a->req_len) == 0);
	CHECK(a->resp_valid == b->resp_valid && a->resp_len == b->resp_len &&
	      memcmp(a->resp_buf, b->resp_buf, a->resp_len) == 0);
	CHECK(memcmp(&a->algs, &b->algs, sizeof(a->algs)) == 0);
	CHECK(a->keys.e_len == b->keys.e_len &&
	      memcmp(a->keys.ei, b->keys.ei, a->keys.e_len) == 0 &&
	      memcmp(a->keys.er, b->keys.er, a->keys.e_len) == 0);
	CHECK(a->keys.d_len == b->keys.d_len &&
	      memcmp(a->keys.d, b->keys.d, a->keys.d_len) == 0);
	CHECK(tw_addr_eq(&a->peer_addr, &b->peer_addr) && a->peer_port == b->peer_port &&
	      a->local_port == b->local_port);
	CHECK(a->peer_id.len == b->peer_id.len &&
	      memcmp(a->peer_id.data, b->peer_id.data, a->peer_id.len) == 0);
	for (i = 0; i < IKE_CHILD_MAX; i++) {
		const struct ike_child *c = &a->child[i], *d = &b->child[i];

		CHECK(c->state == d->state);
		if (c->state == IKE_CHILD_NONE)
			continue;
		CHECK(c->spi_in == d->spi_in && c->spi_out == d->spi_out);
		CHECK(c->cipher == d->cipher && c->integ == d->integ);
		CHECK(c->keys.encr_len == d->keys.encr_len &&
		      memcmp(c->keys.encr_i2r, d->keys.encr_i2r,
			     c->keys.encr_len) == 0);
		CHECK(c->n_local == d->n_local && c->n_remote == d->n_remote);
	}
}

static void
limits(const struct ike_sa_rec *r)
{
	unsigned int i;

	CHECK(r->sa.state == IKE_SA_ESTABLISHED ||
	      r->sa.state == IKE_SA_REKEYED || r->sa.state == IKE_SA_DELETING);
	CHECK(r->sa.spi_i != 0 && r->sa.spi_r != 0);
	CHECK(r->map[0] != '\0' && strlen(r->map) < CONF_NAME_MAX);
	CHECK(r->sa.req_len <= IKE_MSG_BUF && r->sa.resp_len <= IKE_MSG_BUF);
	CHECK((r->sa.req == IKE_REQ_NONE) == (r->sa.req_len == 0));
	CHECK(r->sa.keys.e_len > 0 && r->sa.keys.e_len <= IKE_KEY_MAX);
	for (i = 0; i < IKE_CHILD_MAX; i++) {
		const struct ike_child *c = &r->sa.child[i];

		if (c->state == IKE_CHILD_NONE)
			continue;
		CHECK(c->spi_in >= 256 && c->spi_out >= 256);
		CHECK(c->n_local <= IKE_CHILD_TS_MAX &&
		      c->n_remote <= IKE_CHILD_TS_MAX);
		CHECK(c->keys.encr_len == conf_cipher_key_len(c->cipher));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ike_action acts[IKE_ACTIONS_MAX];
	struct ike_rng rng = { rng_bytes, &rng_state };
	const struct ike_sa *sa;
	char err[256];
	uint32_t id, id2;
	unsigned int i;
	int rc, n;
	bool ours;

	tw_log_set_sink(quiet);
	now = T0;
	memset(&pattern, 0xa5, sizeof(pattern));
	dec = pattern;
	rc = ike_sa_rec_decode(data, size, now, &dec, err, sizeof(err));
	if (rc != 0) {
		CHECK(rc == -EINVAL || rc == -EPROTONOSUPPORT);
		CHECK(memcmp(&dec, &pattern, sizeof(dec)) == 0);
		return 0;
	}
	limits(&dec);

	policy();
	ike_config_defaults(&cfg);
	cfg.policies = &pol;
	cfg.n_policies = 1;
	cfg.max_sas = NSA;
	cfg.dpd_interval_s = 30;
	rng_state = 0x9e3779b97f4a7c15ULL;
	e = ike_engine_create(&cfg, ike_crypto_openssl(), &rng);
	CHECK(e != NULL);
	for (i = 0; i <= NSA; i++)
		dl[i] = TW_TIME_NEVER;
	n_dp = 0;
	sends = 0;
	last_send_len = 0;

	/* Import: only for our own crypto map entry. */
	ours = strcmp(dec.map, pol.map) == 0 && dec.map_seq == pol.seq;
	rc = ike_sa_import(e, &dec, now, &id, err, sizeof(err));
	if (!ours) {
		CHECK(rc == -ENOENT);
		CHECK(ike_engine_sa_next(e, NULL) == NULL);
		goto out;
	}
	CHECK(rc == 0);
	sa = ike_engine_sa_by_spi(e, dec.sa.spi_i, dec.sa.spi_r);
	CHECK(sa != NULL && sa->id == id && sa->passive);
	CHECK(ike_engine_policy_sa_next(e, 0, NULL) == sa);
	check_engine();
	dp_from(sa);

	/* A passive copy is silent: input and its (absent) deadlines. */
	deliver(dec.sa.resp_buf, dec.sa.resp_len, true);
	deliver(dec.sa.req_buf, dec.sa.req_len, true);
	apply(acts, ike_timer(e, id, now + TW_SEC(3600), acts,
			      IKE_ACTIONS_MAX), true);
	CHECK(sends == 0);

	/* Refreshed in place; encoded back, the same SA. */
	CHECK(ike_sa_import(e, &dec, now, &id2, err, sizeof(err)) == 0);
	CHECK(id2 == id);
	sa = ike_engine_sa(e, id);
	CHECK(sa != NULL && sa->passive);
	n = ike_sa_rec_encode(e, sa, now, enc, sizeof(enc));
	CHECK(n > 0);
	CHECK(ike_sa_rec_decode(enc, (size_t)n, now, &dec2, err,
				sizeof(err)) == 0);
	same(&dec.sa, &dec2.sa);
	CHECK(strcmp(dec.map, dec2.map) == 0 && dec.map_seq == dec2.map_seq);

	/* Takeover: the engine carries on from the record. */
	apply(acts, ike_sa_activate(e, id, now, acts, IKE_ACTIONS_MAX), false);
	sa = ike_engine_sa(e, id);
	if (sa != NULL) {
		CHECK(!sa->passive);
		CHECK(ike_sa_import(e, &dec, now, &id2, err, sizeof(err)) ==
		      -EBUSY);
	}
	deliver(dec.sa.req_buf, dec.sa.req_len, false);
	deliver(dec.sa.resp_buf, dec.sa.resp_len, false);
	run(4);
	deliver(last_send, last_send_len, false);
	run(12);

	/* Relinquish: silent again, refreshed, deleted by the twin. */
	sa = ike_engine_sa_by_spi(e, dec.sa.spi_i, dec.sa.spi_r);
	if (sa != NULL) {
		id = sa->id;
		apply(acts, ike_sa_passivate(e, id, now, acts,
					     IKE_ACTIONS_MAX), false);
		CHECK(dl[id] == TW_TIME_NEVER);
		sends = 0;
		deliver(dec.sa.req_buf, dec.sa.req_len, true);
		CHECK(sends == 0);
		CHECK(ike_sa_import(e, &dec, now, &id2, err, sizeof(err)) ==
		      0);
		CHECK(id2 == id);
		dp_from(ike_engine_sa(e, id));
		check_engine();
	} else {
		CHECK(ike_sa_import(e, &dec, now, &id2, err, sizeof(err)) ==
		      0);
		id = id2;
	}
	CHECK(ike_sa_import_delete(e, dec.sa.spi_i, dec.sa.spi_r) == 0);
	CHECK(ike_engine_sa_by_spi(e, dec.sa.spi_i, dec.sa.spi_r) == NULL);
	CHECK(ike_sa_import_delete(e, dec.sa.spi_i, dec.sa.spi_r) == -ENOENT);
	/* The slot comes back (reaped) for the next copy. */
	CHECK(ike_sa_import(e, &dec, now, &id2, err, sizeof(err)) == 0);
	check_engine();
out:
	ike_engine_destroy(e);
	e = NULL;
	OPENSSL_cleanse(&dec, sizeof(dec));
	return 0;
}
