/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The sync message codec: the header, the fixed-layout messages (HELLO,
 * KEEPALIVE, BULK_*) and the decode dispatch. List messages are in
 * sync_rec.c. Layouts: sync_msg.h.
 */
#include <errno.h>
#include <string.h>

#include "sync_priv.h"

#define RF_STATE_NUM_MAX 13       /* IOS RF numbers are 1-13 (rf.h) */
#define KEEPALIVE_LEN 8
#define KA_F_HELLO_SEEN 0x01
#define BULK_REQUEST_LEN 4
#define BULK_LEN 8
#define HELLO_FIXED_LEN (2 + 1 + 1 + 1 + CONF_DIGEST_LEN + 2)
#define HELLO_RANK_LEN 6          /* priority, address, flags */
#define HELLO_F_YIELDING 0x01
#define HELLO_FRESH_LEN 4         /* IKE age, after the rank */

static const char *const type_names[SYNC_MSG_IKE_LAST + 1] = {
	[SYNC_MSG_HELLO] = "HELLO",
	[SYNC_MSG_KEEPALIVE] = "KEEPALIVE",
	[SYNC_MSG_BULK_REQUEST] = "BULK_REQUEST",
	[SYNC_MSG_BULK_START] = "BULK_START",
	[SYNC_MSG_BULK_RECORDS] = "BULK_RECORDS",
	[SYNC_MSG_BULK_END] = "BULK_END",
	[SYNC_MSG_SA_ADD] = "SA_ADD",
	[SYNC_MSG_SA_DELETE] = "SA_DELETE",
	[SYNC_MSG_COUNTER_UPDATE] = "COUNTER_UPDATE",
	[SYNC_MSG_IKE_SA_DELETE] = "IKE_SA_DELETE",
};

static const char *const kind_names[SYNC_REC_KIND_MAX] = {
	[SYNC_REC_IPSEC_SA] = "IPSEC_SA",
	[SYNC_REC_IKE_SA] = "IKE_SA",
};

static const char *const role_names[SYNC_ROLE_MAX] = {
	[SYNC_ROLE_NONE] = "none",
	[SYNC_ROLE_ACTIVE] = "active",
	[SYNC_ROLE_STANDBY] = "standby",
};

const char *
sync_msg_type_name(enum sync_msg_type t)
{
	if ((unsigned int)t > SYNC_MSG_IKE_LAST || type_names[t] == NULL)
		return "?";
	return type_names[t];
}

const char *
sync_rec_kind_name(enum sync_rec_kind k)
{
	if ((unsigned int)k >= SYNC_REC_KIND_MAX || kind_names[k] == NULL)
		return "?";
	return kind_names[k];
}

const char *
sync_role_name(enum sync_role r)
{
	if ((unsigned int)r >= SYNC_ROLE_MAX)
		return "?";
	return role_names[r];
}

static bool
printable(const uint8_t *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < 0x21 || s[i] > 0x7e)
			return false;
	return true;
}

static int
role_state_check(uint8_t role, uint8_t state, const char *what, char *err,
		 size_t errlen)
{
	if (role >= SYNC_ROLE_MAX)
		return sync_fail(err, errlen, -EINVAL, "%s: bad role %u", what,
				 role);
	if (state == 0 || state > RF_STATE_NUM_MAX)
		return sync_fail(err, errlen, -EINVAL, "%s: bad state %u",
				 what, state);
	return 0;
}

static int
hello_parse(struct tw_buf_r *r, struct sync_hello *h, char *err,
	    size_t errlen)
{
	struct conf_digest_part *p;
	uint8_t role, state, n, kind, flags;
	const uint8_t *s;
	unsigned int i, n_parts;
	int rc;

	if (tw_buf_r_left(r) < HELLO_FIXED_LEN)
		return sync_fail(err, errlen, -EINVAL,
				 "HELLO: %zu bytes of body, at least %u",
				 tw_buf_r_left(r), HELLO_FIXED_LEN);
	h->proto_version = tw_buf_r_u16(r);
	role = tw_buf_r_u8(r);
	state = tw_buf_r_u8(r);
	rc = role_state_check(role, state, "HELLO", err, errlen);
	if (rc != 0)
		return rc;
	h->role = (enum sync_role)role;
	h->state = state;
	n = tw_buf_r_u8(r);
	s = tw_buf_r_take(r, n);
	if (r->err || n >= SYNC_HOSTNAME_MAX || !printable(s, n))
		return sync_fail(err, errlen, -EINVAL,
				 "HELLO: bad hostname (%u bytes)", n);
	memcpy(h->hostname, s, n);
	h->hostname[n] = '\0';
	tw_buf_r_bytes(r, h->digest.all, CONF_DIGEST_LEN);
	n_parts = tw_buf_r_u16(r);
	if (r->err)
		return sync_fail(err, errlen, -EINVAL, "HELLO truncated");
	if (n_parts > CONF_DIGEST_MAX_PARTS)
		return sync_fail(err, errlen, -EINVAL,
				 "HELLO: %u digest parts, at most %u", n_parts,
				 CONF_DIGEST_MAX_PARTS);
	h->digest.n_parts = n_parts;
	for (i = 0; i < n_parts; i++) {
		p = &h->digest.parts[i];
		kind = tw_buf_r_u8(r);
		n = tw_buf_r_u8(r);
		s = tw_buf_r_take(r, n);
		tw_buf_r_bytes(r, p->sha, CONF_DIGEST_LEN);
		if (r->err)
			return sync_fail(err, errlen, -EINVAL,
					 "HELLO: digest part %u of %u truncated",
					 i + 1, n_parts);
		/* Kinds a later version adds are kept: they compare. */
		if (kind == 0 || n == 0 || n >= CONF_DIGEST_NAME_MAX ||
		    !printable(s, n))
			return sync_fail(err, errlen, -EINVAL,
					 "HELLO: digest part %u: bad kind %u or name (%u bytes)",
					 i + 1, kind, n);
		p->kind = (enum conf_digest_kind)kind;
		memcpy(p->name, s, n);
		p->name[n] = '\0';
	}
	/* The split-brain rank (optional: earlier releases lack it). */
	h->rank_known = false;
	h->rank_priority = 0;
	h->rank_addr = 0;
	h->yielding = false;
	if (tw_buf_r_left(r) > 0 && tw_buf_r_left(r) < HELLO_RANK_LEN)
		return sync_fail(err, errlen, -EINVAL,
				 "HELLO: rank truncated (%zu of %u bytes)",
				 tw_buf_r_left(r), HELLO_RANK_LEN);
	if (tw_buf_r_left(r) >= HELLO_RANK_LEN) {
		h->rank_priority = tw_buf_r_u8(r);
		h->rank_addr = tw_buf_r_u32(r);
		flags = tw_buf_r_u8(r);
		h->rank_known = !r->err;
		/* Flags a later version adds are ignored. */
		h->yielding = (flags & HELLO_F_YIELDING) != 0;
	}
	/* The age of the sender's IKE state (optional, after the rank). */
	h->fresh_known = false;
	h->fresh_age_ms = SYNC_FRESH_NONE;
	if (h->rank_known && tw_buf_r_left(r) > 0 &&
	    tw_buf_r_left(r) < HELLO_FRESH_LEN)
		return sync_fail(err, errlen, -EINVAL,
				 "HELLO: IKE age truncated (%zu of %u bytes)",
				 tw_buf_r_left(r), HELLO_FRESH_LEN);
	if (h->rank_known && tw_buf_r_left(r) >= HELLO_FRESH_LEN) {
		h->fresh_age_ms = tw_buf_r_u32(r);
		h->fresh_known = !r->err;
	}
	/* A later version may append more fields to HELLO: ignored. */
	return 0;
}

static void
hello_write(struct tw_buf_w *w, const struct sync_hello *h)
{
	size_t n = strnlen(h->hostname, SYNC_HOSTNAME_MAX - 1);
	const struct conf_digest_part *p;
	unsigned int i;
	size_t k;

	tw_buf_w_u16(w, h->proto_version);
	tw_buf_w_u8(w, (uint8_t)h->role);
	tw_buf_w_u8(w, h->state);
	tw_buf_w_u8(w, (uint8_t)n);
	tw_buf_w_bytes(w, h->hostname, n);
	tw_buf_w_bytes(w, h->digest.all, CONF_DIGEST_LEN);
	tw_buf_w_u16(w, (uint16_t)h->digest.n_parts);
	for (i = 0; i < h->digest.n_parts && i < CONF_DIGEST_MAX_PARTS; i++) {
		p = &h->digest.parts[i];
		k = strnlen(p->name, CONF_DIGEST_NAME_MAX - 1);
		tw_buf_w_u8(w, (uint8_t)p->kind);
		tw_buf_w_u8(w, (uint8_t)k);
		tw_buf_w_bytes(w, p->name, k);
		tw_buf_w_bytes(w, p->sha, CONF_DIGEST_LEN);
	}
	tw_buf_w_u8(w, h->rank_priority);
	tw_buf_w_u32(w, h->rank_addr);
	tw_buf_w_u8(w, h->yielding ? HELLO_F_YIELDING : 0);
	tw_buf_w_u32(w, h->fresh_age_ms);
}

/* Exact-length bodies: KEEPALIVE, BULK_*. */
static int
fixed_len(struct tw_buf_r *r, size_t want, enum sync_msg_type t, char *err,
	  size_t errlen)
{
	if (tw_buf_r_left(r) != want)
		return sync_fail(err, errlen, -EINVAL,
				 "%s: %zu bytes of body, expected %zu",
				 sync_msg_type_name(t), tw_buf_r_left(r), want);
	return 0;
}

static int
body_parse(struct tw_buf_r *r, struct sync_msg *m, char *err, size_t errlen)
{
	uint8_t role, state, flags, reserved;
	int rc;

	switch (m->type) {
	case SYNC_MSG_HELLO:
		return hello_parse(r, &m->u.hello, err, errlen);
	case SYNC_MSG_KEEPALIVE:
		rc = fixed_len(r, KEEPALIVE_LEN, m->type, err, errlen);
		if (rc != 0)
			return rc;
		role = tw_buf_r_u8(r);
		state = tw_buf_r_u8(r);
		flags = tw_buf_r_u8(r);
		reserved = tw_buf_r_u8(r);
		m->u.keepalive.count = tw_buf_r_u32(r);
		rc = role_state_check(role, state, "KEEPALIVE", err, errlen);
		if (rc != 0)
			return rc;
		if ((flags & ~KA_F_HELLO_SEEN) != 0 || reserved != 0)
			return sync_fail(err, errlen, -EINVAL,
					 "KEEPALIVE: unknown flags 0x%02x or reserved byte 0x%02x",
					 flags, reserved);
		m->u.keepalive.role = (enum sync_role)role;
		m->u.keepalive.state = state;
		m->u.keepalive.hello_seen = (flags & KA_F_HELLO_SEEN) != 0;
		return 0;
	case SYNC_MSG_BULK_REQUEST:
		rc = fixed_len(r, BULK_REQUEST_LEN, m->type, err, errlen);
		m->u.bulk.id = tw_buf_r_u32(r);
		m->u.bulk.count = 0;
		return rc;
	case SYNC_MSG_BULK_START:
	case SYNC_MSG_BULK_END:
		rc = fixed_len(r, BULK_LEN, m->type, err, errlen);
		m->u.bulk.id = tw_buf_r_u32(r);
		m->u.bulk.count = tw_buf_r_u32(r);
		return rc;
	case SYNC_MSG_BULK_RECORDS:
	case SYNC_MSG_SA_ADD:
	case SYNC_MSG_SA_DELETE:
	case SYNC_MSG_COUNTER_UPDATE:
	case SYNC_MSG_IKE_SA_DELETE:
		m->u.list.p = r->p + r->off + 4;
		m->u.list.len = tw_buf_r_left(r) >= 4 ?
			tw_buf_r_left(r) - 4 : 0;
		return sync_list_check(m->type, r, &m->u.list.n, err, errlen);
	default:
		return sync_fail(err, errlen, -ENOTSUP, "unknown type");
	}
}

int
sync_msg_decode(const uint8_t *buf, size_t len, struct sync_msg *m,
		char *err, size_t errlen)
{
	struct sync_msg tmp;
	struct tw_buf_r r;
	uint16_t flags;
	uint32_t mlen;
	uint8_t type;
	int rc;

	memset(&tmp, 0, sizeof(tmp));
	tw_buf_r_init(&r, buf, len);
	tmp.version = tw_buf_r_u8(&r);
	type = tw_buf_r_u8(&r);
	flags = tw_buf_r_u16(&r);
	mlen = tw_buf_r_u32(&r);
	if (r.err)
		return sync_fail(err, errlen, -EINVAL,
				 "message of %zu bytes, shorter than its %u-byte header",
				 len, SYNC_MSG_HDR_LEN);
	if (tmp.version != SYNC_MSG_VERSION)
		return sync_fail(err, errlen, -EPROTONOSUPPORT,
				 "sync message version %u, this twin speaks %u (run the same release on both twins)",
				 tmp.version, SYNC_MSG_VERSION);
	if (type == 0 || (type >= SYNC_MSG_TYPE_MAX &&
			  type != SYNC_MSG_IKE_SA_DELETE))
		return sync_fail(err, errlen, -ENOTSUP,
				 "unknown sync message type %u%s", type,
				 type >= SYNC_MSG_IKE_FIRST &&
				 type <= SYNC_MSG_IKE_LAST ?
				 " (reserved for IKE SA sync, not in this version)" :
				 type >= SYNC_MSG_CORE_RESERVED_FIRST &&
				 type <= SYNC_MSG_CORE_RESERVED_LAST ?
				 " (reserved, not in this version)" : "");
	if (flags != 0)
		return sync_fail(err, errlen, -EINVAL,
				 "%s: unknown flags 0x%04x",
				 sync_msg_type_name(type), flags);
	if (mlen != len || mlen > SYNC_MSG_MAX)
		return sync_fail(err, errlen, -EINVAL,
				 "%s: length field %u, message is %zu bytes (at most %u)",
				 sync_msg_type_name(type), mlen, len,
				 SYNC_MSG_MAX);
	tmp.type = (enum sync_msg_type)type;
	tmp.len = mlen;
	/* Decoded into tmp: *m is written only once everything passed. */
	rc = body_parse(&r, &tmp, err, errlen);
	if (rc != 0)
		return rc;
	*m = tmp;
	return 0;
}

int
sync_msg_encode(const struct sync_msg *m, uint8_t *buf, size_t cap)
{
	struct tw_buf_w w;

	if (cap > SYNC_MSG_MAX)
		cap = SYNC_MSG_MAX;
	tw_buf_w_init(&w, buf, cap);
	tw_buf_w_u8(&w, SYNC_MSG_VERSION);
	tw_buf_w_u8(&w, (uint8_t)m->type);
	tw_buf_w_u16(&w, 0);
	tw_buf_w_u32(&w, 0);
	switch (m->type) {
	case SYNC_MSG_HELLO:
		if ((unsigned int)m->u.hello.role >= SYNC_ROLE_MAX ||
		    m->u.hello.state == 0 ||
		    m->u.hello.state > RF_STATE_NUM_MAX ||
		    m->u.hello.digest.n_parts > CONF_DIGEST_MAX_PARTS)
			return -EINVAL;
		hello_write(&w, &m->u.hello);
		break;
	case SYNC_MSG_KEEPALIVE:
		if ((unsigned int)m->u.keepalive.role >= SYNC_ROLE_MAX ||
		    m->u.keepalive.state == 0 ||
		    m->u.keepalive.state > RF_STATE_NUM_MAX)
			return -EINVAL;
		tw_buf_w_u8(&w, (uint8_t)m->u.keepalive.role);
		tw_buf_w_u8(&w, m->u.keepalive.state);
		tw_buf_w_u8(&w, m->u.keepalive.hello_seen ?
			    KA_F_HELLO_SEEN : 0);
		tw_buf_w_u8(&w, 0);
		tw_buf_w_u32(&w, m->u.keepalive.count);
		break;
	case SYNC_MSG_BULK_REQUEST:
		tw_buf_w_u32(&w, m->u.bulk.id);
		break;
	case SYNC_MSG_BULK_START:
	case SYNC_MSG_BULK_END:
		tw_buf_w_u32(&w, m->u.bulk.id);
		tw_buf_w_u32(&w, m->u.bulk.count);
		break;
	default:
		return -EINVAL;
	}
	if (w.err)
		return -ENOSPC;
	tw_buf_w_patch32(&w, 4, (uint32_t)w.off);
	return (int)w.off;
}
