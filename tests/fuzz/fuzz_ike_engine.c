/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target for the lib/ike engine (state machines, not only the
 * codec): two engines, A (initiator) and B (responder), with the real
 * crypto and a reproducible RNG, wired back to back. Every input starts
 * the same: A initiates, IKE_SA_INIT is carried both ways (A is in
 * AUTH_SENT, B half-open); bit 0 of the first byte carries IKE_AUTH too
 * (both established). The rest is a script of operations:
 *
 *   RAW     a datagram of fuzz bytes to A or B (codec, IKE_SA_INIT paths)
 *   FORGE   an SK message to A or B sealed with the SA's real keys, its
 *           exchange, flags, message ID and payloads (type, body) from the
 *           input: the SK-protected paths see arbitrary plaintext
 *   MUTATE  the next datagram on the wire, decrypted, its payloads
 *           flipped, cut, dropped, retyped or doubled, sealed again
 *   PUMP / DROP / REPLAY  carry, lose or repeat datagrams
 *   TIME    let time pass (up to hours: retransmissions, DPD, rekeys)
 *   API     ike_initiate, ike_delete, ike_child_bytes
 *
 * After every call into an engine: the action list is well formed, the
 * data plane (CHILD_UP adds, CHILD_DOWN removes; a double install or an
 * unknown removal aborts) holds exactly the children the engine holds,
 * children live only on established / rekeyed / deleting IKE SAs and
 * point back at them, IKE_UP minus IKE_DOWN is the number of such IKE
 * SAs. ASan/UBSan and LeakSanitizer watch the rest.
 *
 *   build-fuzz/tests/fuzz/fuzz_ike_engine -max_total_time=180 \
 *       tests/fuzz/corpus/ike_engine
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ike.h"
#include "ike_msg.h"
#include "ike_proposal.h"
#include "ike_sa.h"
#include "ike_sk.h"
#include "tw_log.h"
#include "tw_compiler.h"

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | \
			(uint32_t)(c) << 8 | (uint32_t)(d))
#define QMAX 32
#define NSA 8
#define NDP 64
#define PL_MAX 12

struct dgram {
	uint8_t d[IKE_MSG_BUF];
	size_t len;
};

struct side {
	struct ike_engine *e;
	struct ike_config cfg;
	struct ike_policy pol;
	uint64_t rng;
	unsigned int nq;
	tw_time_t dl[NSA + 1];
	uint32_t dp[NDP];
	unsigned int n_dp;
	long ups;
	/* last: not cleared between inputs, only their lengths (70 KB) */
	struct dgram last;            /* last one delivered to this side */
	struct dgram q[QMAX];         /* sent, not yet carried */
};

static struct side S[2];

/*
 * Speed: every input creates and destroys two engines (about 190 KB of
 * calloc'ed state between them). With ASan's default 256 MB quarantine
 * each input's memory is fresh pages (page faults, zeroing): two thirds
 * of the time, more than the crypto. A 16 MB quarantine still holds many
 * inputs' worth of freed memory, so a use after free within an input (or
 * the next few) is still caught. The environment's ASAN_OPTIONS win.
 */
const char *__asan_default_options(void);

const char *
__asan_default_options(void)
{
	return "quarantine_size_mb=16";
}
static tw_time_t now;
static struct dgram tmp;

static void
quiet(enum tw_log_level l TW_UNUSED, const char *m TW_UNUSED,
      const char *f TW_UNUSED, va_list ap TW_UNUSED)
{
}

#define CHECK(c) do { if (!(c)) { \
	fprintf(stderr, "invariant failed: %s (line %d)\n", #c, __LINE__); \
	abort(); } } while (0)

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

static void
policy(struct ike_policy *p, uint32_t local, uint32_t peer, uint32_t lnet,
       uint32_t rnet)
{
	char a[16];

	memset(p, 0, sizeof(*p));
	snprintf(p->map, sizeof(p->map), "VPN");
	p->seq = 10;
	p->local_addr = tw_addr_v4(local);
	p->peer_addr = tw_addr_v4(peer);
	ike_id_from_string(&p->local_id, conf_ipv4_str(local, a, sizeof(a)));
	p->psk_len = 6;
	memcpy(p->psk, "sesame", 6);
	ike_proposal_init(&p->ike_props[0], 1, IKE_PROTO_IKE, NULL, 0);
	ike_proposal_add(&p->ike_props[0], IKE_XF_ENCR, IKE_ENCR_AES_GCM_16,
			 128);
	ike_proposal_add(&p->ike_props[0], IKE_XF_PRF, IKE_PRF_HMAC_SHA2_256,
			 0);
	ike_proposal_add(&p->ike_props[0], IKE_XF_DH, IKE_DH_CURVE25519, 0);
	p->n_ike_props = 1;
	p->cipher = CONF_CIPHER_AES_GCM_128;
	p->integ = CONF_INTEG_NONE;
	p->pfs_group = IKE_DH_CURVE25519;
	p->replay_window = 64;
	ike_ts_from_prefix(&p->ts[0].local, lnet, 16, 0, 0, 65535);
	ike_ts_from_prefix(&p->ts[0].remote, rnet, 16, 0, 0, 65535);
	p->n_ts = 1;
	p->child_life_s = 600;
	p->child_life_kb = 1024;
	p->initiate = IKE_INITIATE_START;
}

static void
side_start(struct side *s, unsigned int k)
{
	struct ike_rng rng = { rng_bytes, &s->rng };
	unsigned int i;

	memset(s, 0, offsetof(struct side, last));
	s->last.len = 0;
	s->rng = 0x9e3779b97f4a7c15ULL * (k + 1);
	if (k == 0)
		policy(&s->pol, IP(192, 0, 2, 1), IP(192, 0, 2, 2),
		       IP(10, 1, 0, 0), IP(10, 2, 0, 0));
	else
		policy(&s->pol, IP(192, 0, 2, 2), IP(192, 0, 2, 1),
		       IP(10, 2, 0, 0), IP(10, 1, 0, 0));
	if (k == 1)
		s->pol.initiate = IKE_INITIATE_RESPONDER;
	ike_config_defaults(&s->cfg);
	s->cfg.policies = &s->pol;
	s->cfg.n_policies = 1;
	s->cfg.max_sas = NSA;
	s->cfg.ike_life_s = 900 + 100 * k;
	s->cfg.dpd_interval_s = 30;
	s->cfg.cookie_threshold = 4;
	for (i = 0; i <= NSA; i++)
		s->dl[i] = TW_TIME_NEVER;
	s->e = ike_engine_create(&s->cfg, ike_crypto_openssl(), &rng);
	CHECK(s->e != NULL);
}

static int
dp_find(const struct side *s, uint32_t spi)
{
	unsigned int i;

	for (i = 0; i < s->n_dp; i++)
		if (s->dp[i] == spi)
			return (int)i;
	return -1;
}

static bool
sa_up(enum ike_sa_state st)
{
	return st == IKE_SA_ESTABLISHED || st == IKE_SA_REKEYED ||
		st == IKE_SA_DELETING;
}

/* The engine's records against what its actions said. */
static void
check_engine(const struct side *s)
{
	const struct ike_sa *sa = NULL;
	unsigned int i, n_child = 0;
	long n_up = 0;

	while ((sa = ike_engine_sa_next(s->e, sa)) != NULL) {
		CHECK(sa->state < IKE_SA_DEAD);
		CHECK(sa->id >= 1 && sa->id <= NSA);
		n_up += sa_up(sa->state);
		for (i = 0; i < IKE_CHILD_MAX; i++) {
			const struct ike_child *c = &sa->child[i];

			CHECK(c->state < IKE_CHILD_STATE_MAX);
			if (c->state == IKE_CHILD_NONE)
				continue;
			CHECK(sa_up(sa->state));
			CHECK(c->sa_id == sa->id);
			CHECK(dp_find(s, c->spi_in) >= 0);
			n_child++;
		}
	}
	CHECK(n_child == s->n_dp);
	CHECK(n_up == s->ups);
}

static void
apply(struct side *s, const struct ike_action *a, int n)
{
	int i, k;

	CHECK(n >= 0 && n <= IKE_ACTIONS_MAX);
	for (i = 0; i < n; i++) {
		switch (a[i].type) {
		case IKE_ACT_SEND:
			CHECK(a[i].u.send.data != NULL);
			CHECK(a[i].u.send.len > 0 &&
			      a[i].u.send.len <= IKE_MSG_BUF);
			if (a[i].u.send.keepalive || s->nq >= QMAX)
				break;
			memcpy(s->q[s->nq].d, a[i].u.send.data,
			       a[i].u.send.len);
			s->q[s->nq++].len = a[i].u.send.len;
			break;
		case IKE_ACT_ARM:
			CHECK(a[i].sa_id >= 1 && a[i].sa_id <= NSA);
			s->dl[a[i].sa_id] = a[i].u.at;
			break;
		case IKE_ACT_CANCEL:
			CHECK(a[i].sa_id >= 1 && a[i].sa_id <= NSA);
			s->dl[a[i].sa_id] = TW_TIME_NEVER;
			break;
		case IKE_ACT_CHILD_UP:
			CHECK(a[i].u.child.c != NULL);
			CHECK(a[i].u.child.c->spi_in == a[i].u.child.spi_in);
			CHECK(dp_find(s, a[i].u.child.spi_in) < 0);
			CHECK(s->n_dp < NDP);
			s->dp[s->n_dp++] = a[i].u.child.spi_in;
			break;
		case IKE_ACT_CHILD_DOWN:
			k = dp_find(s, a[i].u.child.spi_in);
			CHECK(k >= 0);
			s->dp[k] = s->dp[--s->n_dp];
			break;
		case IKE_ACT_IKE_UP:
			s->ups++;
			break;
		case IKE_ACT_IKE_DOWN:
			s->ups--;
			break;
		case IKE_ACT_IKE_DELETING:
			CHECK(a[i].sa_id >= 1 && a[i].sa_id <= NSA);
			break;
		default:
			CHECK(0);
		}
	}
	check_engine(s);
}

/* d to side k, from the other one. */
static void
deliver(unsigned int k, const struct dgram *d)
{
	struct ike_action acts[IKE_ACTIONS_MAX];
	struct ike_pkt p = {
		.data = d->d, .len = d->len,
		.src = S[!k].pol.local_addr, .dst = S[k].pol.local_addr,
		.sport = 500, .dport = 500,
	};

	if (&S[k].last != d)
		S[k].last = *d;
	apply(&S[k], acts, ike_input(S[k].e, &p, now, acts,
				     IKE_ACTIONS_MAX));
}

/* The first datagram A (k 0) or B sent. */
static bool
pop(unsigned int k, struct dgram *d)
{
	struct side *s = &S[k];

	if (s->nq == 0)
		return false;
	*d = s->q[0];
	memmove(s->q, s->q + 1, (s->nq - 1) * sizeof(s->q[0]));
	s->nq--;
	return true;
}

static void
pump(unsigned int max)
{
	unsigned int n;

	for (n = 0; n < max; n++) {
		if (pop(0, &tmp))
			deliver(1, &tmp);
		else if (pop(1, &tmp))
			deliver(0, &tmp);
		else
			return;
	}
}

static void
fire(unsigned int k)
{
	struct ike_action acts[IKE_ACTIONS_MAX];
	struct side *s = &S[k];
	unsigned int i;

	for (i = 1; i <= NSA; i++) {
		if (s->dl[i] > now)
			continue;
		s->dl[i] = TW_TIME_NEVER;
		apply(s, acts, ike_timer(s->e, i, now, acts, IKE_ACTIONS_MAX));
	}
}

/* The IKE SA of side k an SK message goes to: one with keys. */
static const struct ike_sa *
keyed_sa(unsigned int k, uint8_t pick)
{
	const struct ike_sa *sa = NULL, *found = NULL;
	unsigned int n = 0;

	while ((sa = ike_engine_sa_next(S[k].e, sa)) != NULL)
		if (sa->state == IKE_SA_AUTH_SENT ||
		    sa->state == IKE_SA_HALF_OPEN || sa_up(sa->state))
			if (found == NULL || n++ < pick % 4)
				found = sa;
	return found;
}

struct pl {
	uint8_t type;
	bool critical;
	const uint8_t *body;
	size_t len;
	uint8_t own[256];
};

/* Seal payloads pl as the peer of sa would and deliver them to side k. */
static void
seal_deliver(unsigned int k, const struct ike_sa *sa, uint8_t exch,
	     bool response, uint32_t msgid, const struct pl *pl,
	     unsigned int n)
{
	struct ike_hdr h = {
		.spi_i = sa->spi_i, .spi_r = sa->spi_r,
		.major = IKE_MAJOR_VERSION, .minor = IKE_MINOR_VERSION,
		.exchange = exch, .msg_id = msgid,
	};
	struct ike_sk_ctx ctx;
	struct ike_builder b;
	struct ike_rng rng = { rng_bytes, &S[!k].rng };
	unsigned int i;
	int len;

	if (!sa->initiator)
		h.flags |= IKE_FLAG_INITIATOR;  /* the peer is the initiator */
	if (response)
		h.flags |= IKE_FLAG_RESPONSE;
	ike_build_init(&b, tmp.d, sizeof(tmp.d), &h);
	ike_build_sk_begin(&b, ike_sk_iv_len(sa->keys.algs.encr));
	for (i = 0; i < n; i++)
		ike_build_raw(&b, pl[i].type, pl[i].critical, pl[i].body,
			      pl[i].len);
	ike_sk_ctx_init(&ctx, ike_crypto_openssl(), &sa->keys, !sa->initiator,
			true, NULL);
	len = ike_sk_seal(&b, &ctx, &rng);
	if (len <= 0)
		return;
	tmp.len = (size_t)len;
	deliver(k, &tmp);
}

/* Input cursor. */
struct in {
	const uint8_t *p;
	size_t n;
};

static uint8_t
byte(struct in *in)
{
	uint8_t v;

	if (in->n == 0)
		return 0;
	v = *in->p++;
	in->n--;
	return v;
}

static const uint8_t *
take(struct in *in, size_t *len)
{
	const uint8_t *p = in->p;

	if (*len > in->n)
		*len = in->n;
	in->p += *len;
	in->n -= *len;
	return p;
}

static void
op_raw(struct in *in)
{
	unsigned int k = byte(in) & 1;
	size_t len = byte(in) * 4u + byte(in);
	const uint8_t *p = take(in, &len);

	memcpy(tmp.d, p, len);
	tmp.len = len;
	deliver(k, &tmp);
}

static const uint8_t exchanges[4] = {
	IKE_EXCH_AUTH, IKE_EXCH_CREATE_CHILD_SA, IKE_EXCH_INFORMATIONAL,
	IKE_EXCH_SA_INIT,
};

static void
op_forge(struct in *in)
{
	uint8_t f = byte(in), n = byte(in) % PL_MAX;
	unsigned int k = f & 1, i;
	const struct ike_sa *sa = keyed_sa(k, byte(in));
	struct pl pl[PL_MAX];
	bool response = (f & 2) != 0;
	uint32_t msgid;

	for (i = 0; i < n; i++) {
		pl[i].type = byte(in);
		pl[i].critical = (pl[i].type & 0x80) != 0;
		pl[i].type &= 0x7f;
		pl[i].len = byte(in);
		pl[i].body = take(in, &pl[i].len);
	}
	if (sa == NULL)
		return;
	msgid = response ? sa->msgid_out : sa->msgid_in;
	msgid += (uint32_t)((f >> 4) & 3) - 1u * ((f >> 6) & 1);
	seal_deliver(k, sa, exchanges[(f >> 2) & 3], response, msgid, pl, n);
}

/* The next datagram to side k, opened, its payloads changed, sealed. */
static void
op_mutate(struct in *in)
{
	uint8_t f = byte(in), nops = byte(in) % 6;
	unsigned int k = f & 1, i, n = 0, j;
	static struct ike_msg m;
	static struct dgram d;
	static uint8_t plain[8192];
	const struct ike_sa *sa;
	struct ike_sk_ctx ctx;
	struct pl pl[PL_MAX];
	const char *why;
	size_t plen = 0, off;

	if (!pop(!k, &d))
		return;
	if (ike_msg_decode(d.d, d.len, &m, &why) < 0 || !m.sk.present) {
		/* In the clear (IKE_SA_INIT): flip bytes. */
		for (i = 0; i < nops; i++) {
			off = (byte(in) * 256u + byte(in)) % d.len;
			d.d[off] ^= byte(in);
		}
		deliver(k, &d);
		return;
	}
	sa = NULL;
	while ((sa = ike_engine_sa_next(S[k].e, sa)) != NULL)
		if (sa->spi_i == m.hdr.spi_i && sa->spi_r == m.hdr.spi_r)
			break;
	if (sa == NULL)
		return;
	ike_sk_ctx_init(&ctx, ike_crypto_openssl(), &sa->keys, sa->initiator,
			false, NULL);
	if (ike_sk_open(&ctx, d.d, d.len, &m, plain, sizeof(plain), &plen,
			&why) < 0)
		return;
	/* The inner chain, by its generic headers. */
	{
		uint8_t next = m.sk.first_inner;

		off = 0;
		while (next != IKE_PL_NONE && n < PL_MAX && off + 4 <= plen) {
			size_t l = (size_t)plain[off + 2] << 8 | plain[off + 3];

			if (l < 4 || off + l > plen)
				break;
			pl[n].type = next;
			pl[n].critical = (plain[off + 1] & 0x80) != 0;
			pl[n].body = plain + off + 4;
			pl[n].len = l - 4;
			n++;
			next = plain[off];
			off += l;
		}
	}
	for (i = 0; i < nops && n > 0; i++) {
		uint8_t op = byte(in), v = byte(in);
		struct pl *p = &pl[byte(in) % n];

		switch (op % 6) {
		case 0:     /* flip a body byte */
			if (p->len > 0 && p->len <= sizeof(p->own)) {
				memcpy(p->own, p->body, p->len);
				p->own[(op >> 3) * 7u % p->len] ^= v;
				p->body = p->own;
			}
			break;
		case 1:     /* cut the body */
			p->len = v < p->len ? v : p->len;
			break;
		case 2:     /* drop the payload */
			j = (unsigned int)(p - pl);
			memmove(&pl[j], &pl[j + 1], (n - j - 1) * sizeof(pl[0]));
			n--;
			break;
		case 3:     /* retype it */
			p->type = v & 0x7f;
			p->critical = (v & 0x80) != 0;
			break;
		case 4:     /* double it */
			if (n < PL_MAX) {
				pl[n] = *p;
				if (p->body == p->own)
					pl[n].body = pl[n].own;
				n++;
			}
			break;
		default:    /* a body of fuzz bytes */
			p->len = v;
			p->body = take(in, &p->len);
			break;
		}
	}
	seal_deliver(k, sa, m.hdr.exchange,
		     (m.hdr.flags & IKE_FLAG_RESPONSE) != 0, m.hdr.msg_id, pl,
		     n);
}

static void
op_time(struct in *in)
{
	uint8_t v = byte(in);

	now += (v & 0x80) ? TW_SEC((v & 0x7f) * 30u) : TW_MSEC(v * 100u);
	fire(0);
	fire(1);
}

static void
op_api(struct in *in)
{
	struct ike_action acts[IKE_ACTIONS_MAX];
	uint8_t f = byte(in);
	unsigned int k = f & 1;
	struct side *s = &S[k];
	const struct ike_sa *sa = keyed_sa(k, byte(in));
	int rc;

	switch ((f >> 1) % 3) {
	case 0:
		apply(s, acts, ike_initiate(s->e, 0, now, acts,
					    IKE_ACTIONS_MAX));
		break;
	case 1:
		if (sa == NULL)
			return;
		rc = ike_delete(s->e, sa->id, now, acts, IKE_ACTIONS_MAX);
		apply(s, acts, rc < 0 ? 0 : rc);
		break;
	default:
		if (sa == NULL)
			return;
		apply(s, acts, ike_child_bytes(s->e, sa->child[f >> 6].spi_in,
					       (uint64_t)byte(in) << 12, now,
					       acts, IKE_ACTIONS_MAX));
		break;
	}
}

static void
run(const uint8_t *data, size_t size)
{
	struct ike_action acts[IKE_ACTIONS_MAX];
	struct in in = { data, size };
	unsigned int steps = 0;

	now = TW_SEC(1000);
	side_start(&S[0], 0);
	side_start(&S[1], 1);
	apply(&S[0], acts, ike_initiate(S[0].e, 0, now, acts,
					IKE_ACTIONS_MAX));
	pump(2);                    /* IKE_SA_INIT both ways */
	if (byte(&in) & 1)
		pump(8);            /* IKE_AUTH: established */
	while (in.n > 0 && steps++ < 64) {
		switch (byte(&in) % 8) {
		case 0:
			op_raw(&in);
			break;
		case 1:
			op_forge(&in);
			break;
		case 2:
			op_mutate(&in);
			break;
		case 3:
			pump(1 + byte(&in) % 16);
			break;
		case 4:
			pop(byte(&in) & 1, &tmp);
			break;
		case 5:
			op_time(&in);
			break;
		case 6:
			op_api(&in);
			break;
		default: {
			unsigned int k = byte(&in) & 1;

			if (S[k].last.len > 0)
				deliver(k, &S[k].last);
			break;
		}
		}
	}
	ike_engine_destroy(S[0].e);
	ike_engine_destroy(S[1].e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;

	if (!ready) {
		tw_log_set_sink(quiet);
		ready = true;
	}
	run(data, size);
	return 0;
}
