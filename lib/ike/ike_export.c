/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IKE SAs for the standby twin: the record codec and the engine's
 * export / import / activation (ike_export.h has the rules and the
 * layout).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "ike_export.h"
#include "ike_priv.h"
#include "ike_sk.h"
#include "tw_buf.h"
#include "tw_log.h"

#define F_INITIATOR 0x01
#define F_NAT_LOCAL 0x02
#define F_NAT_PEER 0x04
#define F_RESP_VALID 0x08
#define F_SA_ALL 0x0f
#define CF_INITIATOR 0x01
#define CF_ESN 0x02
#define CF_UDP_ENCAP 0x04
#define CF_ALL 0x07
#define NEVER_MS UINT64_MAX

static int
rec_fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int
rec_fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err != NULL && errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

bool
ike_sa_mirrorable(const struct ike_sa *sa)
{
	return sa->used && sa->spi_r != 0 &&
		(sa->state == IKE_SA_ESTABLISHED ||
		 sa->state == IKE_SA_REKEYED || sa->state == IKE_SA_DELETING);
}

/* A request the twin can finish: no DH key in its context. */
static bool
req_mirrorable(const struct ike_sa *sa)
{
	return sa->req != IKE_REQ_NONE && sa->dh == NULL &&
		sa->req != IKE_REQ_IKE_REKEY && sa->req != IKE_REQ_SA_INIT &&
		sa->req != IKE_REQ_AUTH && sa->req != IKE_REQ_CHILD_NEW;
}

static uint64_t
fnv(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= b[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

#define MIX(h, v) do { __typeof__(v) v_ = (v); h = fnv(h, &v_, sizeof(v_)); } \
	while (0)

uint64_t
ike_sa_sync_sig(const struct ike_sa *sa)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	unsigned int i;

	MIX(h, (uint32_t)sa->state);
	MIX(h, sa->spi_i);
	MIX(h, sa->spi_r);
	MIX(h, sa->msgid_in);
	MIX(h, sa->msgid_out);
	MIX(h, (uint32_t)sa->req);
	MIX(h, sa->req_len);
	MIX(h, sa->resp_valid);
	MIX(h, ike_addr_key(&sa->peer_addr));
	MIX(h, sa->peer_port);
	MIX(h, sa->local_port);
	MIX(h, sa->nat_local);
	MIX(h, sa->nat_peer);
	MIX(h, sa->rekey_at);
	MIX(h, sa->expire_at);
	for (i = 0; i < IKE_CHILD_MAX; i++) {
		const struct ike_child *c = &sa->child[i];

		MIX(h, (uint32_t)c->state);
		if (c->state == IKE_CHILD_NONE)
			continue;
		MIX(h, c->spi_in);
		MIX(h, c->spi_out);
		MIX(h, c->soft_at);
		MIX(h, c->hard_at);
		MIX(h, c->peer_port);
	}
	return h;
}

/* ---- encode ---- */

static uint64_t
in_ms(tw_time_t at, tw_time_t now)
{
	if (at == TW_TIME_NEVER)
		return NEVER_MS;
	return at > now ? (at - now) / TW_NSEC_PER_MSEC : 0;
}

static uint64_t
age_ms(tw_time_t t, tw_time_t now)
{
	return now > t ? (now - t) / TW_NSEC_PER_MSEC : 0;
}

/* Version 2 is needed for an IPv6 address or selector; an SA of IPv4
 * only is written as version 1, which a twin of the previous release
 * still reads (a rolling upgrade of the pair keeps its IPv4 SAs). */
static bool
child_needs_v2(const struct ike_child *c)
{
	unsigned int i;

	if (c->local_addr.family == TW_AF_INET6 ||
	    c->peer_addr.family == TW_AF_INET6)
		return true;
	for (i = 0; i < c->n_local; i++)
		if (c->ts_local[i].type != IKE_TS_IPV4_ADDR_RANGE)
			return true;
	for (i = 0; i < c->n_remote; i++)
		if (c->ts_remote[i].type != IKE_TS_IPV4_ADDR_RANGE)
			return true;
	return false;
}

static uint8_t
rec_version(const struct ike_sa *sa)
{
	unsigned int i;

	if (sa->local_addr.family == TW_AF_INET6 ||
	    sa->peer_addr.family == TW_AF_INET6)
		return IKE_SA_REC_VERSION;
	for (i = 0; i < IKE_CHILD_MAX; i++)
		if (sa->child[i].state != IKE_CHILD_NONE &&
		    child_needs_v2(&sa->child[i]))
			return IKE_SA_REC_VERSION;
	return IKE_SA_REC_VERSION_V4;
}

/* v1: 4 bytes (IPv4); v2: family(1: 4 or 6) and 4 or 16 bytes. */
static void
addr_write(struct tw_buf_w *w, uint8_t ver, const struct tw_addr *a)
{
	if (ver == IKE_SA_REC_VERSION_V4) {
		tw_buf_w_u32(w, a->v4);
		return;
	}
	tw_buf_w_u8(w, a->family);
	if (a->family == TW_AF_INET6)
		tw_buf_w_bytes(w, a->v6, 16);
	else
		tw_buf_w_u32(w, a->v4);
}

static void
ts_write(struct tw_buf_w *w, uint8_t ver, const struct ike_ts *t)
{
	tw_buf_w_u8(w, t->type);
	tw_buf_w_u8(w, t->proto);
	tw_buf_w_u16(w, t->port_lo);
	tw_buf_w_u16(w, t->port_hi);
	if (ver != IKE_SA_REC_VERSION_V4 &&
	    t->type == IKE_TS_IPV6_ADDR_RANGE) {
		tw_buf_w_bytes(w, t->addr6_lo, 16);
		tw_buf_w_bytes(w, t->addr6_hi, 16);
		return;
	}
	tw_buf_w_u32(w, t->addr4_lo);
	tw_buf_w_u32(w, t->addr4_hi);
}

static void
child_write(struct tw_buf_w *w, uint8_t ver, const struct ike_child *c,
	    tw_time_t now)
{
	const struct ike_child_keys *k = &c->keys;
	unsigned int i;

	tw_buf_w_u8(w, (uint8_t)c->state);
	tw_buf_w_u8(w, (c->initiator ? CF_INITIATOR : 0) |
		    (c->esn ? CF_ESN : 0) | (c->udp_encap ? CF_UDP_ENCAP : 0));
	tw_buf_w_u8(w, (uint8_t)c->cipher);
	tw_buf_w_u8(w, (uint8_t)c->integ);
	tw_buf_w_u16(w, c->pfs_group);
	tw_buf_w_u32(w, c->spi_in);
	tw_buf_w_u32(w, c->spi_out);
	addr_write(w, ver, &c->local_addr);
	addr_write(w, ver, &c->peer_addr);
	tw_buf_w_u16(w, c->local_port);
	tw_buf_w_u16(w, c->peer_port);
	tw_buf_w_u32(w, c->replay_window);
	tw_buf_w_u8(w, k->encr_len);
	tw_buf_w_u8(w, k->integ_len);
	tw_buf_w_bytes(w, k->encr_i2r, k->encr_len);
	tw_buf_w_bytes(w, k->integ_i2r, k->integ_len);
	tw_buf_w_bytes(w, k->encr_r2i, k->encr_len);
	tw_buf_w_bytes(w, k->integ_r2i, k->integ_len);
	tw_buf_w_u8(w, c->n_local);
	tw_buf_w_u8(w, c->n_remote);
	for (i = 0; i < c->n_local; i++)
		ts_write(w, ver, &c->ts_local[i]);
	for (i = 0; i < c->n_remote; i++)
		ts_write(w, ver, &c->ts_remote[i]);
	tw_buf_w_u64(w, age_ms(c->created, now));
	tw_buf_w_u64(w, in_ms(c->soft_at, now));
	tw_buf_w_u64(w, in_ms(c->hard_at, now));
	tw_buf_w_u64(w, c->bytes);
	tw_buf_w_u64(w, c->soft_bytes);
	tw_buf_w_u64(w, c->hard_bytes);
	tw_buf_w_u32(w, c->replaces);
	tw_buf_w_u16(w, c->nmin_len);
	tw_buf_w_bytes(w, c->nmin, c->nmin_len);
}

int
ike_sa_rec_encode(const struct ike_engine *e, const struct ike_sa *sa,
		  tw_time_t now, uint8_t *buf, size_t cap)
{
	const struct ike_policy *pol;
	const struct ike_sa_keys *k = &sa->keys;
	bool req = req_mirrorable(sa);
	uint8_t ver = rec_version(sa);
	struct tw_buf_w w;
	unsigned int i, n = 0;
	size_t ml;

	if (!ike_sa_mirrorable(sa) || sa->policy >= e->cfg->n_policies)
		return -EINVAL;
	pol = &e->cfg->policies[sa->policy];
	ml = strnlen(pol->map, sizeof(pol->map));
	tw_buf_w_init(&w, buf, cap);
	tw_buf_w_u8(&w, ver);
	tw_buf_w_u8(&w, (uint8_t)sa->state);
	tw_buf_w_u8(&w, (sa->initiator ? F_INITIATOR : 0) |
		    (sa->nat_local ? F_NAT_LOCAL : 0) |
		    (sa->nat_peer ? F_NAT_PEER : 0) |
		    (sa->resp_valid ? F_RESP_VALID : 0));
	tw_buf_w_u8(&w, (uint8_t)(req ? sa->req : IKE_REQ_NONE));
	tw_buf_w_u64(&w, sa->spi_i);
	tw_buf_w_u64(&w, sa->spi_r);
	tw_buf_w_u8(&w, (uint8_t)ml);
	tw_buf_w_bytes(&w, pol->map, ml);
	tw_buf_w_u32(&w, pol->seq);
	addr_write(&w, ver, &sa->local_addr);
	addr_write(&w, ver, &sa->peer_addr);
	tw_buf_w_u16(&w, sa->local_port);
	tw_buf_w_u16(&w, sa->peer_port);
	tw_buf_w_u16(&w, sa->algs.encr);
	tw_buf_w_u16(&w, sa->algs.encr_bits);
	tw_buf_w_u16(&w, sa->algs.prf);
	tw_buf_w_u16(&w, sa->algs.integ);
	tw_buf_w_u16(&w, sa->algs.dh);
	tw_buf_w_u8(&w, k->d_len);
	tw_buf_w_u8(&w, k->a_len);
	tw_buf_w_u8(&w, k->e_len);
	tw_buf_w_u8(&w, k->p_len);
	tw_buf_w_bytes(&w, k->d, k->d_len);
	tw_buf_w_bytes(&w, k->ai, k->a_len);
	tw_buf_w_bytes(&w, k->ar, k->a_len);
	tw_buf_w_bytes(&w, k->ei, k->e_len);
	tw_buf_w_bytes(&w, k->er, k->e_len);
	tw_buf_w_bytes(&w, k->pi, k->p_len);
	tw_buf_w_bytes(&w, k->pr, k->p_len);
	tw_buf_w_u16(&w, sa->ni_len);
	tw_buf_w_bytes(&w, sa->ni, sa->ni_len);
	tw_buf_w_u16(&w, sa->nr_len);
	tw_buf_w_bytes(&w, sa->nr, sa->nr_len);
	/* A request we cannot carry: the twin resumes at its ID. */
	tw_buf_w_u32(&w, sa->msgid_out);
	tw_buf_w_u32(&w, sa->msgid_in);
	tw_buf_w_u16(&w, sa->resp_valid ? sa->resp_len : 0);
	if (sa->resp_valid)
		tw_buf_w_bytes(&w, sa->resp_buf, sa->resp_len);
	tw_buf_w_u16(&w, req ? sa->req_len : 0);
	if (req)
		tw_buf_w_bytes(&w, sa->req_buf, sa->req_len);
	tw_buf_w_u32(&w, req ? sa->rekey_child : 0);
	tw_buf_w_u32(&w, req ? sa->new_spi : 0);
	tw_buf_w_u32(&w, req ? sa->delete_spi : 0);
	tw_buf_w_u16(&w, req ? sa->xni_len : 0);
	if (req)
		tw_buf_w_bytes(&w, sa->xni, sa->xni_len);
	tw_buf_w_u64(&w, age_ms(sa->established, now));
	tw_buf_w_u64(&w, in_ms(sa->rekey_at, now));
	tw_buf_w_u64(&w, in_ms(sa->expire_at, now));
	tw_buf_w_u64(&w, age_ms(sa->last_rx, now));
	tw_buf_w_u8(&w, sa->peer_id.type);
	tw_buf_w_u8(&w, sa->peer_id.len);
	tw_buf_w_bytes(&w, sa->peer_id.data, sa->peer_id.len);
	for (i = 0; i < IKE_CHILD_MAX; i++)
		n += sa->child[i].state != IKE_CHILD_NONE;
	tw_buf_w_u8(&w, (uint8_t)n);
	for (i = 0; i < IKE_CHILD_MAX; i++)
		if (sa->child[i].state != IKE_CHILD_NONE)
			child_write(&w, ver, &sa->child[i], now);
	/* What the cached response answers. */
	tw_buf_w_u16(&w, sa->resp_valid ? sa->resp_req_len : 0);
	tw_buf_w_bytes(&w, sa->resp_req_hash, sizeof(sa->resp_req_hash));
	if (w.err) {
		/* What fitted holds keys: nothing of it stays (ike_export.h). */
		OPENSSL_cleanse(buf, cap);
		return -ENOSPC;
	}
	return (int)w.off;
}

/* ---- decode: into a scratch record, copied out once all is valid ---- */

static tw_time_t
at_from(uint64_t ms, tw_time_t now)
{
	if (ms == NEVER_MS || ms > (TW_TIME_NEVER - now) / TW_NSEC_PER_MSEC)
		return TW_TIME_NEVER;
	return now + TW_MSEC(ms);
}

static tw_time_t
since(uint64_t ms, tw_time_t now)
{
	if (ms > now / TW_NSEC_PER_MSEC)
		return 0;
	return now - TW_MSEC(ms);
}

/* n bytes (at most max) into dst; false when short or too long. */
static bool
take(struct tw_buf_r *r, void *dst, size_t n, size_t max)
{
	const uint8_t *p;

	if (n > max)
		return false;
	p = tw_buf_r_take(r, n);
	if (p == NULL || r->err)
		return false;
	memcpy(dst, p, n);
	return true;
}

/* An address of the record's version; false if truncated or of no
 * family we know. */
static bool
addr_read(struct tw_buf_r *r, uint8_t ver, struct tw_addr *a)
{
	uint8_t fam;

	memset(a, 0, sizeof(*a));
	fam = ver == IKE_SA_REC_VERSION_V4 ? TW_AF_INET : tw_buf_r_u8(r);
	if (r->err)
		return false;
	a->family = fam;
	if (fam == TW_AF_INET) {
		a->v4 = tw_buf_r_u32(r);
		return !r->err;
	}
	return fam == TW_AF_INET6 && take(r, a->v6, 16, 16);
}

static bool
ts_read(struct tw_buf_r *r, uint8_t ver, struct ike_ts *t)
{
	memset(t, 0, sizeof(*t));
	t->type = tw_buf_r_u8(r);
	t->proto = tw_buf_r_u8(r);
	t->port_lo = tw_buf_r_u16(r);
	t->port_hi = tw_buf_r_u16(r);
	if (r->err)
		return false;
	if (ver != IKE_SA_REC_VERSION_V4 &&
	    t->type == IKE_TS_IPV6_ADDR_RANGE)
		return take(r, t->addr6_lo, 16, 16) &&
			take(r, t->addr6_hi, 16, 16) &&
			memcmp(t->addr6_lo, t->addr6_hi, 16) <= 0;
	t->addr4_lo = tw_buf_r_u32(r);
	t->addr4_hi = tw_buf_r_u32(r);
	return !r->err && t->type == IKE_TS_IPV4_ADDR_RANGE &&
		t->addr4_lo <= t->addr4_hi;
}

static int
child_read(struct tw_buf_r *r, uint8_t ver, struct ike_child *c,
	   unsigned int idx, tw_time_t now, char *err, size_t errlen)
{
	struct ike_child_keys *k = &c->keys;
	uint8_t st, fl, ci, in;
	unsigned int i;

	st = tw_buf_r_u8(r);
	fl = tw_buf_r_u8(r);
	ci = tw_buf_r_u8(r);
	in = tw_buf_r_u8(r);
	c->pfs_group = tw_buf_r_u16(r);
	c->spi_in = tw_buf_r_u32(r);
	c->spi_out = tw_buf_r_u32(r);
	if (!addr_read(r, ver, &c->local_addr) ||
	    !addr_read(r, ver, &c->peer_addr) ||
	    c->local_addr.family != c->peer_addr.family)
		return rec_fail(err, errlen, "child %u: bad addresses", idx);
	c->local_port = tw_buf_r_u16(r);
	c->peer_port = tw_buf_r_u16(r);
	c->replay_window = tw_buf_r_u32(r);
	k->encr_len = tw_buf_r_u8(r);
	k->integ_len = tw_buf_r_u8(r);
	if (r->err)
		return rec_fail(err, errlen, "child %u truncated", idx);
	if (st != IKE_CHILD_INSTALLED && st != IKE_CHILD_REKEYED &&
	    st != IKE_CHILD_DELETING)
		return rec_fail(err, errlen, "child %u: bad state %u", idx, st);
	if ((fl & ~CF_ALL) != 0)
		return rec_fail(err, errlen, "child %u: unknown flags 0x%02x",
				idx, fl);
	if (ci > CONF_CIPHER_AES_CBC_256 || in > CONF_INTEG_SHA256_128)
		return rec_fail(err, errlen, "child %u: bad transform %u/%u",
				idx, ci, in);
	if (c->spi_in < 256 || c->spi_out < 256)
		return rec_fail(err, errlen, "child %u: reserved SPI", idx);
	if (!take(r, k->encr_i2r, k->encr_len, IKE_KEY_MAX) ||
	    !take(r, k->integ_i2r, k->integ_len, IKE_KEY_MAX) ||
	    !take(r, k->encr_r2i, k->encr_len, IKE_KEY_MAX) ||
	    !take(r, k->integ_r2i, k->integ_len, IKE_KEY_MAX) ||
	    k->encr_len == 0)
		return rec_fail(err, errlen, "child %u: keys truncated or of bad length (%u, %u)",
				idx, k->encr_len, k->integ_len);
	/* The lengths the transforms need: an SA added to the data plane
	 * or rekeyed from these keys reads exactly that many bytes. */
	if (k->encr_len != conf_cipher_key_len((enum conf_cipher)ci) ||
	    k->integ_len != conf_integ_key_len((enum conf_integ)in) ||
	    ((ci == CONF_CIPHER_AES_GCM_128 || ci == CONF_CIPHER_AES_GCM_256) !=
	     (in == CONF_INTEG_NONE)))
		return rec_fail(err, errlen, "child %u: key lengths %u/%u do not fit transform %u/%u",
				idx, k->encr_len, k->integ_len, ci, in);
	if (c->pfs_group != 0 && !ike_dh_supported(c->pfs_group))
		return rec_fail(err, errlen, "child %u: unknown PFS group %u",
				idx, c->pfs_group);
	c->state = (enum ike_child_state)st;
	c->initiator = (fl & CF_INITIATOR) != 0;
	c->esn = (fl & CF_ESN) != 0;
	c->udp_encap = (fl & CF_UDP_ENCAP) != 0;
	c->cipher = (enum conf_cipher)ci;
	c->integ = (enum conf_integ)in;
	c->n_local = tw_buf_r_u8(r);
	c->n_remote = tw_buf_r_u8(r);
	if (r->err || c->n_local > IKE_CHILD_TS_MAX ||
	    c->n_remote > IKE_CHILD_TS_MAX)
		return rec_fail(err, errlen, "child %u: bad selector count",
				idx);
	for (i = 0; i < c->n_local; i++)
		if (!ts_read(r, ver, &c->ts_local[i]))
			return rec_fail(err, errlen, "child %u: bad TSi %u",
					idx, i + 1);
	for (i = 0; i < c->n_remote; i++)
		if (!ts_read(r, ver, &c->ts_remote[i]))
			return rec_fail(err, errlen, "child %u: bad TSr %u",
					idx, i + 1);
	c->created = since(tw_buf_r_u64(r), now);
	c->soft_at = at_from(tw_buf_r_u64(r), now);
	c->hard_at = at_from(tw_buf_r_u64(r), now);
	c->bytes = tw_buf_r_u64(r);
	c->soft_bytes = tw_buf_r_u64(r);
	c->hard_bytes = tw_buf_r_u64(r);
	c->replaces = tw_buf_r_u32(r);
	c->nmin_len = tw_buf_r_u16(r);
	if (r->err || !take(r, c->nmin, c->nmin_len, IKE_NONCE_MAX))
		return rec_fail(err, errlen, "child %u truncated", idx);
	return 0;
}

static bool
map_ok(const uint8_t *s, size_t n)
{
	size_t i;

	if (n == 0 || n >= CONF_NAME_MAX)
		return false;
	for (i = 0; i < n; i++)
		if (s[i] < 0x21 || s[i] > 0x7e)
			return false;
	return true;
}

/* Transforms this engine implements, with the key sizes they need (the
 * SK payload code reads the key lengths from the algorithms). */
static bool
algs_ok(const struct ike_sa_algs *a, const struct ike_sa_keys *k)
{
	unsigned int e_len = ike_encr_key_len(a->encr, a->encr_bits);
	unsigned int p_len = ike_prf_len(a->prf);

	if (e_len == 0 || p_len == 0 || ike_sk_iv_len(a->encr) == 0 ||
	    !ike_dh_supported(a->dh))
		return false;
	if (k->e_len != e_len || k->d_len != p_len || k->p_len != p_len)
		return false;
	if (ike_encr_is_aead(a->encr))
		return a->integ == IKE_INTEG_NONE && k->a_len == 0;
	return ike_integ_key_len(a->integ) != 0 &&
		k->a_len == ike_integ_key_len(a->integ);
}

static int
sa_read(struct tw_buf_r *r, struct ike_sa_rec *o, tw_time_t now, char *err,
	size_t errlen)
{
	struct ike_sa *sa = &o->sa;
	struct ike_sa_keys *k = &sa->keys;
	uint8_t ver, st, fl, rq, ml, n;
	uint16_t len;
	unsigned int i, j;
	int rc;

	ver = tw_buf_r_u8(r);
	if (r->err)
		return rec_fail(err, errlen, "empty record");
	if (ver != IKE_SA_REC_VERSION && ver != IKE_SA_REC_VERSION_V4) {
		if (err != NULL)
			snprintf(err, errlen, "record version %u, we read %u-%u",
				 ver, IKE_SA_REC_VERSION_V4,
				 IKE_SA_REC_VERSION);
		return -EPROTONOSUPPORT;
	}
	st = tw_buf_r_u8(r);
	fl = tw_buf_r_u8(r);
	rq = tw_buf_r_u8(r);
	sa->spi_i = tw_buf_r_u64(r);
	sa->spi_r = tw_buf_r_u64(r);
	ml = tw_buf_r_u8(r);
	if (r->err)
		return rec_fail(err, errlen, "header truncated");
	if (st != IKE_SA_ESTABLISHED && st != IKE_SA_REKEYED &&
	    st != IKE_SA_DELETING)
		return rec_fail(err, errlen, "bad state %u", st);
	if ((fl & ~F_SA_ALL) != 0)
		return rec_fail(err, errlen, "unknown flags 0x%02x", fl);
	if (rq > IKE_REQ_DPD || rq == IKE_REQ_SA_INIT || rq == IKE_REQ_AUTH ||
	    rq == IKE_REQ_IKE_REKEY)
		return rec_fail(err, errlen, "request kind %u cannot be mirrored",
				rq);
	if (sa->spi_i == 0 || sa->spi_r == 0)
		return rec_fail(err, errlen, "zero IKE SPI");
	if (tw_buf_r_left(r) < ml || !map_ok(r->p + r->off, ml))
		return rec_fail(err, errlen, "bad crypto map name (%u bytes)",
				ml);
	memcpy(o->map, tw_buf_r_take(r, ml), ml);
	o->map[ml] = '\0';
	o->map_seq = tw_buf_r_u32(r);
	if (!addr_read(r, ver, &sa->local_addr) ||
	    !addr_read(r, ver, &sa->peer_addr) ||
	    sa->local_addr.family != sa->peer_addr.family)
		return rec_fail(err, errlen, "bad or truncated addresses");
	sa->local_port = tw_buf_r_u16(r);
	sa->peer_port = tw_buf_r_u16(r);
	sa->algs.encr = tw_buf_r_u16(r);
	sa->algs.encr_bits = tw_buf_r_u16(r);
	sa->algs.prf = tw_buf_r_u16(r);
	sa->algs.integ = tw_buf_r_u16(r);
	sa->algs.dh = tw_buf_r_u16(r);
	k->d_len = tw_buf_r_u8(r);
	k->a_len = tw_buf_r_u8(r);
	k->e_len = tw_buf_r_u8(r);
	k->p_len = tw_buf_r_u8(r);
	if (r->err)
		return rec_fail(err, errlen, "addresses or algorithms truncated");
	if (k->d_len == 0 || k->e_len == 0 || k->p_len == 0 ||
	    !take(r, k->d, k->d_len, IKE_KEY_MAX) ||
	    !take(r, k->ai, k->a_len, IKE_KEY_MAX) ||
	    !take(r, k->ar, k->a_len, IKE_KEY_MAX) ||
	    !take(r, k->ei, k->e_len, IKE_KEY_MAX) ||
	    !take(r, k->er, k->e_len, IKE_KEY_MAX) ||
	    !take(r, k->pi, k->p_len, IKE_KEY_MAX) ||
	    !take(r, k->pr, k->p_len, IKE_KEY_MAX))
		return rec_fail(err, errlen, "SK_* keys truncated or of bad length (%u %u %u %u)",
				k->d_len, k->a_len, k->e_len, k->p_len);
	if (!algs_ok(&sa->algs, k))
		return rec_fail(err, errlen, "transforms %u/%u/%u/%u/%u unknown or not fitting key lengths %u %u %u %u",
				sa->algs.encr, sa->algs.encr_bits,
				sa->algs.prf, sa->algs.integ, sa->algs.dh,
				k->d_len, k->a_len, k->e_len, k->p_len);
	k->algs = sa->algs;
	sa->ni_len = tw_buf_r_u16(r);
	if (r->err || !take(r, sa->ni, sa->ni_len, IKE_NONCE_MAX))
		return rec_fail(err, errlen, "Ni truncated or too long");
	sa->nr_len = tw_buf_r_u16(r);
	if (r->err || !take(r, sa->nr, sa->nr_len, IKE_NONCE_MAX))
		return rec_fail(err, errlen, "Nr truncated or too long");
	sa->msgid_out = tw_buf_r_u32(r);
	sa->msgid_in = tw_buf_r_u32(r);
	len = tw_buf_r_u16(r);
	if (r->err || !take(r, sa->resp_buf, len, IKE_MSG_BUF))
		return rec_fail(err, errlen, "cached response truncated or too long");
	sa->resp_len = len;
	if (((fl & F_RESP_VALID) != 0) != (len != 0))
		return rec_fail(err, errlen, "cached response flag and length disagree");
	len = tw_buf_r_u16(r);
	if (r->err || !take(r, sa->req_buf, len, IKE_MSG_BUF))
		return rec_fail(err, errlen, "request truncated or too long");
	sa->req_len = len;
	if ((rq != IKE_REQ_NONE) != (len != 0))
		return rec_fail(err, errlen, "request kind and length disagree");
	sa->rekey_child = tw_buf_r_u32(r);
	sa->new_spi = tw_buf_r_u32(r);
	sa->delete_spi = tw_buf_r_u32(r);
	sa->xni_len = tw_buf_r_u16(r);
	if (r->err || !take(r, sa->xni, sa->xni_len, IKE_NONCE_MAX))
		return rec_fail(err, errlen, "request nonce truncated or too long");
	sa->established = since(tw_buf_r_u64(r), now);
	sa->rekey_at = at_from(tw_buf_r_u64(r), now);
	sa->expire_at = at_from(tw_buf_r_u64(r), now);
	sa->last_rx = since(tw_buf_r_u64(r), now);
	sa->peer_id.type = tw_buf_r_u8(r);
	sa->peer_id.len = tw_buf_r_u8(r);
	if (r->err || !take(r, sa->peer_id.data, sa->peer_id.len, IKE_ID_MAX))
		return rec_fail(err, errlen, "peer identity truncated or too long");
	n = tw_buf_r_u8(r);
	if (r->err || n > IKE_CHILD_MAX)
		return rec_fail(err, errlen, "bad child count");
	for (i = 0; i < n; i++) {
		rc = child_read(r, ver, &sa->child[i], i + 1, now, err, errlen);
		if (rc != 0)
			return rc;
		for (j = 0; j < i; j++)
			if (sa->child[j].spi_in == sa->child[i].spi_in)
				return rec_fail(err, errlen, "children %u and %u share SPI %08x",
						j + 1, i + 1,
						sa->child[i].spi_in);
	}
	sa->state = (enum ike_sa_state)st;
	sa->initiator = (fl & F_INITIATOR) != 0;
	sa->nat_local = (fl & F_NAT_LOCAL) != 0;
	sa->nat_peer = (fl & F_NAT_PEER) != 0;
	sa->resp_valid = (fl & F_RESP_VALID) != 0;
	sa->req = (enum ike_req_kind)rq;
	/* What the cached response answers (ike_xmit_again()). */
	sa->resp_req_len = tw_buf_r_u16(r);
	if (r->err || !take(r, sa->resp_req_hash, IKE_REQ_HASH_LEN,
			    IKE_REQ_HASH_LEN))
		return rec_fail(err, errlen, "request fingerprint truncated");
	/* bytes after this: a later version's fields, ignored */
	return 0;
}

int
ike_sa_rec_decode(const uint8_t *buf, size_t len, tw_time_t now,
		  struct ike_sa_rec *out, char *err, size_t errlen)
{
	static struct ike_sa_rec scratch; /* ~8 KiB: not on the stack */
	struct tw_buf_r r;
	int rc;

	memset(&scratch, 0, sizeof(scratch));
	tw_buf_r_init(&r, buf, len);
	rc = sa_read(&r, &scratch, now, err, errlen);
	if (rc == 0)
		memcpy(out, &scratch, sizeof(*out));
	OPENSSL_cleanse(&scratch, sizeof(scratch));
	return rc;
}

/* ---- the engine side ---- */

const struct ike_sa *
ike_engine_sa_by_spi(const struct ike_engine *e, uint64_t spi_i,
		     uint64_t spi_r)
{
	return ike_sa_find(e, spi_i, spi_r);
}

static void
sa_keys_wipe(struct ike_sa *sa)
{
	unsigned int i;

	ike_sa_keys_wipe(&sa->keys);
	for (i = 0; i < IKE_CHILD_MAX; i++)
		ike_child_keys_wipe(&sa->child[i].keys);
	OPENSSL_cleanse(sa->req_buf, sizeof(sa->req_buf));
	OPENSSL_cleanse(sa->resp_buf, sizeof(sa->resp_buf));
}

int
ike_sa_import(struct ike_engine *e, const struct ike_sa_rec *r,
	      tw_time_t now, uint32_t *sa_id, char *err, size_t errlen)
{
	const struct ike_sa *src = &r->sa;
	struct ike_sa *sa;
	unsigned int p, i;
	uint32_t id;

	for (p = 0; p < e->cfg->n_policies; p++)
		if (e->cfg->policies[p].seq == r->map_seq &&
		    !e->cfg->policies[p].retired &&
		    strcmp(e->cfg->policies[p].map, r->map) == 0)
			break;
	if (p == e->cfg->n_policies) {
		snprintf(err, errlen, "no ipsec-isakmp entry %s %u here",
			 r->map, r->map_seq);
		return -ENOENT;
	}
	e->now = now;
	ike_sa_reap(e);  /* copies the twin deleted: free their slots */
	sa = ike_sa_find(e, src->spi_i, src->spi_r);
	if (sa != NULL && !sa->passive) {
		snprintf(err, errlen, "IKE SA %u is active here", sa->id);
		return -EBUSY;
	}
	if (sa == NULL) {
		sa = ike_sa_alloc(e);
		if (sa == NULL) {
			snprintf(err, errlen, "no free IKE SA slot");
			return -ENOSPC;
		}
		tw_log(TW_LOG_INFO, "ike",
		       "IKE SA %u peer " IKE_ADDR_FMT ": STANDBY copy from the twin (%s)",
		       sa->id, IKE_ADDR_ARGS(src->peer_addr),
		       ike_sa_state_name(src->state));
	} else {
		/* A copy, or our own SA since we relinquished: what only the
		 * owner of an exchange holds goes (the record replaces it). */
		sa_keys_wipe(sa);
		if (sa->dh != NULL)
			e->ops->dh_free(sa->dh);
		free(sa->init_req);
		free(sa->init_resp);
	}
	id = sa->id;
	/* An imported SA enters the state its twin reached, without a
	 * transition here: nothing of its entry actions applies to a copy. */
	memcpy(sa, src, sizeof(*sa));
	sa->id = id;
	sa->used = true;
	sa->passive = true;
	sa->policy = p;
	sa->dh = NULL;
	sa->init_req = sa->init_resp = NULL;
	sa->cookie_len = 0;
	sa->tries = 0;
	sa->rtx_at = TW_TIME_NEVER;
	sa->half_open_until = TW_TIME_NEVER;
	sa->dpd_at = TW_TIME_NEVER;
	sa->armed = TW_TIME_NEVER;
	sa->rekeyed_to = 0;
	sa->new_ike_spi = 0;
	sa->created = sa->established;
	snprintf(sa->reason, sizeof(sa->reason), "synced from the twin");
	for (i = 0; i < IKE_CHILD_MAX; i++) {
		sa->child[i].sa_id = id;
		sa->child[i].policy = p;
	}
	/* The copy's SPIs, policy and children go into the lookups. */
	ike_sa_index(e, sa);
	*sa_id = id;
	return 0;
}

int
ike_sa_adopt_msgids(struct ike_engine *e, const struct ike_sa_rec *r)
{
	const struct ike_sa *src = &r->sa;
	struct ike_sa *sa;
	int n = 0;

	sa = ike_sa_find(e, src->spi_i, src->spi_r);
	if (sa == NULL || sa->passive || !sa->used)
		return -ENOENT;
	/* Message IDs only go up (RFC 7296 2.2); 32 bits do not wrap in
	 * the life of an IKE SA. */
	if (src->msgid_in > sa->msgid_in) {
		tw_log(TW_LOG_WARNING, "ike",
		       "IKE SA %u peer " IKE_ADDR_FMT ": the twin answered the peer's requests up to message ID %" PRIu32 " (we had %" PRIu32 "): taken over",
		       sa->id, IKE_ADDR_ARGS(sa->peer_addr), src->msgid_in - 1,
		       sa->msgid_in);
		sa->msgid_in = src->msgid_in;
		sa->resp_valid = src->resp_valid;
		if (src->resp_valid) {
			memcpy(sa->resp_buf, src->resp_buf, src->resp_len);
			sa->resp_len = src->resp_len;
			sa->resp_req_len = src->resp_req_len;
			memcpy(sa->resp_req_hash, src->resp_req_hash,
			       sizeof(sa->resp_req_hash));
		}
		n = 1;
	}
	if (src->msgid_out > sa->msgid_out && sa->req == IKE_REQ_NONE) {
		tw_log(TW_LOG_WARNING, "ike",
		       "IKE SA %u peer " IKE_ADDR_FMT ": the twin sent requests up to message ID %" PRIu32 " (we had %" PRIu32 "): taken over",
		       sa->id, IKE_ADDR_ARGS(sa->peer_addr), src->msgid_out - 1,
		       sa->msgid_out);
		sa->msgid_out = src->msgid_out;
		n = 1;
	}
	return n;
}

int
ike_sa_import_delete(struct ike_engine *e, uint64_t spi_i, uint64_t spi_r)
{
	struct ike_sa *sa = ike_sa_find(e, spi_i, spi_r);
	unsigned int i;

	if (sa == NULL || !sa->passive)
		return -ENOENT;
	sa_keys_wipe(sa);
	for (i = 0; i < IKE_CHILD_MAX; i++)
		sa->child[i].state = IKE_CHILD_NONE;
	(void)ike_sa_set_state(e, sa, IKE_SA_DEAD, "deleted by the twin");
	return 0;
}

int
ike_sa_activate(struct ike_engine *e, uint32_t sa_id, tw_time_t now,
		struct ike_action *acts, unsigned int cap)
{
	struct ike_sa *sa;
	int rc;

	rc = ike_call_begin(e, now, acts, cap);
	if (rc < 0)
		return rc;
	sa = ike_sa_live(e, sa_id);
	if (sa == NULL || !sa->passive)
		return 0;
	sa->passive = false;
	sa->armed = TW_TIME_NEVER;
	sa->keepalive_at = now;
	if (sa->req != IKE_REQ_NONE) {
		/* The twin's request, same bytes and ID, at once. */
		sa->tries = 0;
		sa->rtx_at = now;
	}
	tw_log(TW_LOG_NOTICE, "ike",
	       "IKE SA %u peer " IKE_ADDR_FMT ": taken over (%s, message IDs out %u in %u%s)",
	       sa->id, IKE_ADDR_ARGS(sa->peer_addr),
	       ike_sa_state_name(sa->state), sa->msgid_out, sa->msgid_in,
	       sa->req != IKE_REQ_NONE ? ", resending the twin's request" :
	       "");
	ike_sa_rearm(e, sa);
	return (int)e->n_acts;
}

int
ike_sa_passivate(struct ike_engine *e, uint32_t sa_id, tw_time_t now,
		 struct ike_action *acts, unsigned int cap)
{
	struct ike_sa *sa;
	int rc;

	rc = ike_call_begin(e, now, acts, cap);
	if (rc < 0)
		return rc;
	sa = ike_sa_live(e, sa_id);
	if (sa == NULL || sa->passive)
		return 0;
	sa->passive = true;
	sa->armed = TW_TIME_NEVER;
	ike_act_sa(e, IKE_ACT_CANCEL, sa, "standby");
	return (int)e->n_acts;
}
