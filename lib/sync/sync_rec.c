/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The list messages of the sync protocol (sync_msg.h for the layouts):
 * records (BULK_RECORDS, SA_ADD) with the IPSEC_SA record codec, SA_DELETE
 * and COUNTER_UPDATE entries; their validation, builder and iterators.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sync_priv.h"
#include "tw_bytes.h"

#define SA_FLAG_UDP_ENCAP 0x01
#define SA_FLAG_ESN 0x02
#define SA_FLAG_IPV6 0x04        /* the IPv6 part follows the selectors */
#define SA_FLAGS_KNOWN (SA_FLAG_UDP_ENCAP | SA_FLAG_ESN | SA_FLAG_IPV6)
#define SEL_IPV6 6               /* a selector's "reserved" byte: IPv6 */
#define REPLAY_WINDOW_MAX 4096    /* as lib/conf allows */

int
sync_fail(char *err, size_t errlen, int rc, const char *fmt, ...)
{
	va_list ap;

	if (err != NULL && errlen != 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return rc;
}

static bool
map_name_ok(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '_' ||
		      c == '.'))
			return false;
	}
	return true;
}

static int
sel_parse(struct tw_buf_r *r, struct sadb_selector *s, unsigned int i,
	  char *err, size_t errlen)
{
	uint8_t reserved;

	s->src_addr = tw_buf_r_u32(r);
	s->dst_addr = tw_buf_r_u32(r);
	s->src_len = tw_buf_r_u8(r);
	s->dst_len = tw_buf_r_u8(r);
	s->proto = tw_buf_r_u8(r);
	reserved = tw_buf_r_u8(r);
	s->sport_lo = tw_buf_r_u16(r);
	s->sport_hi = tw_buf_r_u16(r);
	s->dport_lo = tw_buf_r_u16(r);
	s->dport_hi = tw_buf_r_u16(r);
	if (r->err)
		return sync_fail(err, errlen, -EINVAL,
				 "selector %u truncated", i + 1);
	/* The reserved byte says IPv6 (its addresses in the IPv6 part). */
	if (reserved != 0 && reserved != SEL_IPV6)
		return sync_fail(err, errlen, -EINVAL,
				 "selector %u: reserved byte 0x%02x", i + 1,
				 reserved);
	s->family = reserved == SEL_IPV6 ? TW_AF_INET6 : 0;
	if (s->src_len > tw_af_bits(s->family) ||
	    s->dst_len > tw_af_bits(s->family))
		return sync_fail(err, errlen, -EINVAL,
				 "selector %u: prefix length %u/%u above %u",
				 i + 1, s->src_len, s->dst_len,
				 tw_af_bits(s->family));
	if (s->family == TW_AF_INET6 && (s->src_addr | s->dst_addr) != 0)
		return sync_fail(err, errlen, -EINVAL,
				 "selector %u: IPv6 with IPv4 addresses", i + 1);
	if (s->sport_lo > s->sport_hi || s->dport_lo > s->dport_hi)
		return sync_fail(err, errlen, -EINVAL,
				 "selector %u: port range reversed", i + 1);
	return 0;
}

static int
sa_keys_check(const struct sadb_sa_params *p, char *err, size_t errlen)
{
	unsigned int want;

	if ((unsigned int)p->cipher > CONF_CIPHER_AES_CBC_256)
		return sync_fail(err, errlen, -EINVAL, "unknown cipher %u",
				 (unsigned int)p->cipher);
	if ((unsigned int)p->integ > CONF_INTEG_SHA256_128)
		return sync_fail(err, errlen, -EINVAL,
				 "unknown integrity algorithm %u",
				 (unsigned int)p->integ);
	if (conf_cipher_is_aead(p->cipher) != (p->integ == CONF_INTEG_NONE))
		return sync_fail(err, errlen, -EINVAL,
				 "%s with integrity %s",
				 conf_cipher_name(p->cipher),
				 conf_integ_name(p->integ));
	want = conf_cipher_key_len(p->cipher);
	if (p->cipher_key_len != want)
		return sync_fail(err, errlen, -EINVAL,
				 "cipher key length %u, %s needs %u",
				 p->cipher_key_len, conf_cipher_name(p->cipher),
				 want);
	want = conf_integ_key_len(p->integ);
	if (p->auth_key_len != want)
		return sync_fail(err, errlen, -EINVAL,
				 "integrity key length %u, %s needs %u",
				 p->auth_key_len, conf_integ_name(p->integ),
				 want);
	return 0;
}

/*
 * The IPv6 part (issue 18): family(1: 4 or 6, the outer) inner_family(1)
 * local6(16) peer6(16) (zeros for an IPv4 outer), then src6(16) dst6(16)
 * for each IPv6 selector, in order. Every selector is of the inner
 * family (sadb.h).
 */
static int
v6_parse(struct tw_buf_r *r, struct sadb_sa_params *p, char *err,
	 size_t errlen)
{
	unsigned int i;

	p->family = tw_buf_r_u8(r);
	p->inner_family = tw_buf_r_u8(r);
	tw_buf_r_bytes(r, p->local6, 16);
	tw_buf_r_bytes(r, p->peer6, 16);
	if (r->err)
		return sync_fail(err, errlen, -EINVAL, "IPv6 part truncated");
	if ((p->family != TW_AF_INET && p->family != TW_AF_INET6) ||
	    (p->inner_family != TW_AF_INET &&
	     p->inner_family != TW_AF_INET6))
		return sync_fail(err, errlen, -EINVAL,
				 "bad families %u/%u", p->family,
				 p->inner_family);
	if (p->family == TW_AF_INET6 &&
	    (p->local_addr | p->peer_addr) != 0)
		return sync_fail(err, errlen, -EINVAL,
				 "IPv6 endpoints with IPv4 addresses");
	for (i = 0; i < p->n_sel; i++) {
		struct sadb_selector *s = &p->sel[i];

		if ((s->family == TW_AF_INET6) !=
		    (p->inner_family == TW_AF_INET6))
			return sync_fail(err, errlen, -EINVAL,
					 "selector %u not of the inner family",
					 i + 1);
		if (s->family != TW_AF_INET6)
			continue;
		tw_buf_r_bytes(r, s->src6, 16);
		tw_buf_r_bytes(r, s->dst6, 16);
		if (r->err)
			return sync_fail(err, errlen, -EINVAL,
					 "IPv6 selector %u truncated", i + 1);
	}
	return 0;
}

int
sync_sa_parse(struct tw_buf_r *r, struct sync_sa_rec *out, char *err,
	      size_t errlen)
{
	struct sadb_sa_params *p = &out->p;
	uint8_t dir, origin, state, flags, map_len, n_sel;
	const uint8_t *map;
	unsigned int i;
	int rc;

	memset(out, 0, sizeof(*out));
	if (tw_buf_r_left(r) < SYNC_SA_FIXED_LEN)
		return sync_fail(err, errlen, -EINVAL,
				 "%zu bytes, at least %u", tw_buf_r_left(r),
				 SYNC_SA_FIXED_LEN);
	out->id = tw_buf_r_u32(r);
	p->spi = tw_buf_r_u32(r);
	dir = tw_buf_r_u8(r);
	origin = tw_buf_r_u8(r);
	state = tw_buf_r_u8(r);
	flags = tw_buf_r_u8(r);
	p->cipher = (enum conf_cipher)tw_buf_r_u8(r);
	p->integ = (enum conf_integ)tw_buf_r_u8(r);
	p->cipher_key_len = tw_buf_r_u8(r);
	p->auth_key_len = tw_buf_r_u8(r);
	if (p->spi < 256)
		return sync_fail(err, errlen, -EINVAL,
				 "SPI 0x%x is reserved (RFC 4303 2.1)", p->spi);
	if (dir > SADB_DIR_OUT)
		return sync_fail(err, errlen, -EINVAL, "bad direction %u",
				 dir);
	if (origin > SADB_ORIGIN_IKE)
		return sync_fail(err, errlen, -EINVAL, "bad origin %u",
				 origin);
	if (state >= SADB_SA_DELETED)
		return sync_fail(err, errlen, -EINVAL, "bad SA state %u",
				 state);
	if ((flags & ~SA_FLAGS_KNOWN) != 0)
		return sync_fail(err, errlen, -EINVAL, "unknown flags 0x%02x",
				 flags);
	p->dir = (enum sadb_dir)dir;
	p->origin = (enum sadb_origin)origin;
	out->state = (enum sadb_sa_state)state;
	p->udp_encap = (flags & SA_FLAG_UDP_ENCAP) != 0;
	p->esn = (flags & SA_FLAG_ESN) != 0;
	rc = sa_keys_check(p, err, errlen);
	if (rc != 0)
		return rc;
	/* Lengths checked against the algorithms: at most SADB_KEY_MAX. */
	tw_buf_r_bytes(r, p->cipher_key, p->cipher_key_len);
	tw_buf_r_bytes(r, p->auth_key, p->auth_key_len);
	p->local_addr = tw_buf_r_u32(r);
	p->peer_addr = tw_buf_r_u32(r);
	p->udp_local_port = tw_buf_r_u16(r);
	p->udp_peer_port = tw_buf_r_u16(r);
	p->replay_window = tw_buf_r_u32(r);
	p->replay_interval = tw_buf_r_u32(r);
	p->seq = tw_buf_r_u64(r);
	out->replay_bitmap = tw_buf_r_u64(r);
	out->life_bytes = tw_buf_r_u64(r);
	out->life_packets = tw_buf_r_u64(r);
	map_len = tw_buf_r_u8(r);
	map = tw_buf_r_take(r, map_len);
	p->map_seq = tw_buf_r_u32(r);
	n_sel = tw_buf_r_u8(r);
	if (r->err)
		return sync_fail(err, errlen, -EINVAL, "truncated");
	if (p->replay_window > REPLAY_WINDOW_MAX)
		return sync_fail(err, errlen, -EINVAL,
				 "replay window %u above %u", p->replay_window,
				 REPLAY_WINDOW_MAX);
	if (p->esn && p->replay_window == 0)
		return sync_fail(err, errlen, -EINVAL,
				 "ESN without a replay window");
	if (map_len >= CONF_NAME_MAX || !map_name_ok((const char *)map,
						     map_len))
		return sync_fail(err, errlen, -EINVAL,
				 "bad crypto map name (%u bytes)", map_len);
	memcpy(p->map, map, map_len);
	p->map[map_len] = '\0';
	if (n_sel > SADB_MAX_SELECTORS)
		return sync_fail(err, errlen, -EINVAL,
				 "%u selectors, at most %u", n_sel,
				 SADB_MAX_SELECTORS);
	p->n_sel = n_sel;
	for (i = 0; i < n_sel; i++) {
		rc = sel_parse(r, &p->sel[i], i, err, errlen);
		if (rc != 0)
			return rc;
	}
	if ((flags & SA_FLAG_IPV6) != 0) {
		rc = v6_parse(r, p, err, errlen);
		if (rc != 0)
			return rc;
	} else {
		for (i = 0; i < n_sel; i++)
			if (p->sel[i].family == TW_AF_INET6)
				return sync_fail(err, errlen, -EINVAL,
						 "selector %u: IPv6 without the IPv6 part",
						 i + 1);
	}
	/* Fields a later version appended: not ours to read. */
	return 0;
}

void
sync_sa_write(struct tw_buf_w *w, const struct sync_sa_rec *rec)
{
	const struct sadb_sa_params *p = &rec->p;
	size_t map_len = strnlen(p->map, sizeof(p->map));
	bool v6 = sadb_outer_af(p) == TW_AF_INET6 ||
		sadb_inner_af(p) == TW_AF_INET6;
	unsigned int i;

	tw_buf_w_u32(w, rec->id);
	tw_buf_w_u32(w, p->spi);
	tw_buf_w_u8(w, (uint8_t)p->dir);
	tw_buf_w_u8(w, (uint8_t)p->origin);
	tw_buf_w_u8(w, (uint8_t)rec->state);
	tw_buf_w_u8(w, (p->udp_encap ? SA_FLAG_UDP_ENCAP : 0) |
		    (p->esn ? SA_FLAG_ESN : 0) | (v6 ? SA_FLAG_IPV6 : 0));
	tw_buf_w_u8(w, (uint8_t)p->cipher);
	tw_buf_w_u8(w, (uint8_t)p->integ);
	tw_buf_w_u8(w, p->cipher_key_len);
	tw_buf_w_u8(w, p->auth_key_len);
	tw_buf_w_bytes(w, p->cipher_key,
		       p->cipher_key_len <= SADB_KEY_MAX ?
		       p->cipher_key_len : 0);
	tw_buf_w_bytes(w, p->auth_key,
		       p->auth_key_len <= SADB_KEY_MAX ? p->auth_key_len : 0);
	tw_buf_w_u32(w, p->local_addr);
	tw_buf_w_u32(w, p->peer_addr);
	tw_buf_w_u16(w, p->udp_local_port);
	tw_buf_w_u16(w, p->udp_peer_port);
	tw_buf_w_u32(w, p->replay_window);
	tw_buf_w_u32(w, p->replay_interval);
	tw_buf_w_u64(w, p->seq);
	tw_buf_w_u64(w, rec->replay_bitmap);
	tw_buf_w_u64(w, rec->life_bytes);
	tw_buf_w_u64(w, rec->life_packets);
	tw_buf_w_u8(w, (uint8_t)map_len);
	tw_buf_w_bytes(w, p->map, map_len);
	tw_buf_w_u32(w, p->map_seq);
	tw_buf_w_u8(w, (uint8_t)p->n_sel);
	for (i = 0; i < p->n_sel && i < SADB_MAX_SELECTORS; i++) {
		const struct sadb_selector *s = &p->sel[i];

		tw_buf_w_u32(w, s->src_addr);
		tw_buf_w_u32(w, s->dst_addr);
		tw_buf_w_u8(w, s->src_len);
		tw_buf_w_u8(w, s->dst_len);
		tw_buf_w_u8(w, s->proto);
		tw_buf_w_u8(w, s->family == TW_AF_INET6 ? SEL_IPV6 : 0);
		tw_buf_w_u16(w, s->sport_lo);
		tw_buf_w_u16(w, s->sport_hi);
		tw_buf_w_u16(w, s->dport_lo);
		tw_buf_w_u16(w, s->dport_hi);
	}
	if (!v6)
		return;
	tw_buf_w_u8(w, sadb_outer_af(p));
	tw_buf_w_u8(w, sadb_inner_af(p));
	tw_buf_w_bytes(w, p->local6, 16);
	tw_buf_w_bytes(w, p->peer6, 16);
	for (i = 0; i < p->n_sel && i < SADB_MAX_SELECTORS; i++) {
		if (p->sel[i].family != TW_AF_INET6)
			continue;
		tw_buf_w_bytes(w, p->sel[i].src6, 16);
		tw_buf_w_bytes(w, p->sel[i].dst6, 16);
	}
}

static int
records_check(struct tw_buf_r *r, uint32_t n, char *err, size_t errlen)
{
	struct sync_sa_rec scratch;
	struct tw_buf_r body;
	const uint8_t *p;
	char why[160];
	uint16_t kind, len;
	uint32_t i;
	int rc;

	for (i = 0; i < n; i++) {
		kind = tw_buf_r_u16(r);
		len = tw_buf_r_u16(r);
		p = tw_buf_r_take(r, len);
		if (r->err)
			return sync_fail(err, errlen, -EINVAL,
					 "record %u of %u truncated", i + 1, n);
		if (kind == 0)
			return sync_fail(err, errlen, -EINVAL,
					 "record %u: kind 0", i + 1);
		if (kind != SYNC_REC_IPSEC_SA)
			continue;      /* skipped by length when read */
		tw_buf_r_init(&body, p, len);
		rc = sync_sa_parse(&body, &scratch, why, sizeof(why));
		explicit_bzero(&scratch, sizeof(scratch));
		if (rc != 0)
			return sync_fail(err, errlen, rc,
					 "IPSEC_SA record %u: %s", i + 1, why);
	}
	return 0;
}

static int
refs_check(struct tw_buf_r *r, uint32_t n, size_t entry_len,
	   const char *what, char *err, size_t errlen)
{
	const uint8_t *e;
	uint32_t i;

	if (tw_buf_r_left(r) / entry_len < n)
		return sync_fail(err, errlen, -EINVAL,
				 "%s: %u entries announced, room for %zu", what,
				 n, tw_buf_r_left(r) / entry_len);
	for (i = 0; i < n; i++) {
		e = tw_buf_r_take(r, entry_len);
		/* id (0), spi (4), dir (8), reserved (9..11) */
		if (tw_get32(e + 4) < 256)
			return sync_fail(err, errlen, -EINVAL,
					 "%s entry %u: SPI 0x%x is reserved",
					 what, i + 1, tw_get32(e + 4));
		if (e[8] > SADB_DIR_OUT)
			return sync_fail(err, errlen, -EINVAL,
					 "%s entry %u: bad direction %u", what,
					 i + 1, e[8]);
		if (e[9] != 0 || e[10] != 0 || e[11] != 0)
			return sync_fail(err, errlen, -EINVAL,
					 "%s entry %u: reserved bytes set",
					 what, i + 1);
	}
	return 0;
}

/* IKE_SA_DELETE: spi_i(8) spi_r(8), neither 0. */
static int
ike_refs_check(struct tw_buf_r *r, uint32_t n, char *err, size_t errlen)
{
	uint64_t spi_i, spi_r;
	uint32_t i;

	if (tw_buf_r_left(r) / SYNC_IKE_DEL_LEN < n)
		return sync_fail(err, errlen, -EINVAL,
				 "IKE_SA_DELETE: %u entries announced, room for %zu",
				 n, tw_buf_r_left(r) / SYNC_IKE_DEL_LEN);
	for (i = 0; i < n; i++) {
		spi_i = tw_buf_r_u64(r);
		spi_r = tw_buf_r_u64(r);
		if (spi_i == 0 || spi_r == 0)
			return sync_fail(err, errlen, -EINVAL,
					 "IKE_SA_DELETE entry %u: zero SPI",
					 i + 1);
	}
	return 0;
}

int
sync_list_check(enum sync_msg_type type, struct tw_buf_r *r, uint32_t *n,
		char *err, size_t errlen)
{
	uint32_t count = tw_buf_r_u32(r);
	int rc;

	if (r->err)
		return sync_fail(err, errlen, -EINVAL,
				 "%s: no item count", sync_msg_type_name(type));
	switch (type) {
	case SYNC_MSG_BULK_RECORDS:
	case SYNC_MSG_SA_ADD:
		rc = records_check(r, count, err, errlen);
		break;
	case SYNC_MSG_SA_DELETE:
		rc = refs_check(r, count, SYNC_DEL_LEN, "SA_DELETE", err,
				errlen);
		break;
	case SYNC_MSG_COUNTER_UPDATE:
		rc = refs_check(r, count, SYNC_CTR_LEN, "COUNTER_UPDATE", err,
				errlen);
		break;
	case SYNC_MSG_IKE_SA_DELETE:
		rc = ike_refs_check(r, count, err, errlen);
		break;
	default:
		return sync_fail(err, errlen, -EINVAL, "not a list message");
	}
	if (rc != 0)
		return rc;
	if (tw_buf_r_left(r) != 0)
		return sync_fail(err, errlen, -EINVAL,
				 "%s: %zu bytes after its %u items",
				 sync_msg_type_name(type), tw_buf_r_left(r),
				 count);
	*n = count;
	return 0;
}

int
sync_build_begin(struct sync_builder *b, enum sync_msg_type type,
		 uint8_t *buf, size_t cap)
{
	switch (type) {
	case SYNC_MSG_BULK_RECORDS:
	case SYNC_MSG_SA_ADD:
	case SYNC_MSG_SA_DELETE:
	case SYNC_MSG_COUNTER_UPDATE:
	case SYNC_MSG_IKE_SA_DELETE:
		break;
	default:
		return -EINVAL;
	}
	if (cap > SYNC_MSG_MAX)
		cap = SYNC_MSG_MAX;
	tw_buf_w_init(&b->w, buf, cap);
	b->type = type;
	b->n = 0;
	tw_buf_w_u8(&b->w, SYNC_MSG_VERSION);
	tw_buf_w_u8(&b->w, (uint8_t)type);
	tw_buf_w_u16(&b->w, 0);
	tw_buf_w_u32(&b->w, 0);       /* length, at the end */
	tw_buf_w_u32(&b->w, 0);       /* count, at the end */
	return b->w.err ? -ENOSPC : 0;
}

/* Undo a partial item: the builder stays usable. */
static int
rollback(struct sync_builder *b, size_t off)
{
	b->w.err = false;
	b->w.off = off;
	return -ENOSPC;
}

static bool
is_records(const struct sync_builder *b)
{
	return b->type == SYNC_MSG_BULK_RECORDS || b->type == SYNC_MSG_SA_ADD;
}

int
sync_build_record(struct sync_builder *b, uint16_t kind, const uint8_t *body,
		  uint16_t len)
{
	size_t off = b->w.off;

	if (!is_records(b) || kind == 0 || b->w.err)
		return -EINVAL;
	tw_buf_w_u16(&b->w, kind);
	tw_buf_w_u16(&b->w, len);
	tw_buf_w_bytes(&b->w, body, len);
	if (b->w.err)
		return rollback(b, off);
	b->n++;
	return 0;
}

int
sync_build_sa(struct sync_builder *b, const struct sync_sa_rec *rec,
	      char *err, size_t errlen)
{
	struct sync_sa_rec check;
	size_t off = b->w.off;
	struct tw_buf_r r;
	int rc;

	if (!is_records(b) || b->w.err)
		return sync_fail(err, errlen, -EINVAL, "not a record message");
	tw_buf_w_u16(&b->w, SYNC_REC_IPSEC_SA);
	tw_buf_w_u16(&b->w, 0);
	sync_sa_write(&b->w, rec);
	if (b->w.err)
		return rollback(b, off);
	tw_buf_w_patch16(&b->w, off + 2,
			 (uint16_t)(b->w.off - off - SYNC_REC_HDR_LEN));
	/* Never send what the twin would refuse. */
	tw_buf_r_init(&r, b->w.p + off + SYNC_REC_HDR_LEN,
		      b->w.off - off - SYNC_REC_HDR_LEN);
	rc = sync_sa_parse(&r, &check, err, errlen);
	explicit_bzero(&check, sizeof(check));
	if (rc != 0 || rec->p.n_sel > SADB_MAX_SELECTORS ||
	    rec->p.cipher_key_len > SADB_KEY_MAX ||
	    rec->p.auth_key_len > SADB_KEY_MAX ||
	    strnlen(rec->p.map, sizeof(rec->p.map)) >= sizeof(rec->p.map)) {
		explicit_bzero(b->w.p + off, b->w.off - off);
		rollback(b, off);
		if (rc == 0)
			rc = sync_fail(err, errlen, -EINVAL,
				       "record out of range");
		return rc;
	}
	b->n++;
	return 0;
}

static void
ref_write(struct tw_buf_w *w, uint32_t id, uint32_t spi, enum sadb_dir dir)
{
	tw_buf_w_u32(w, id);
	tw_buf_w_u32(w, spi);
	tw_buf_w_u8(w, (uint8_t)dir);
	tw_buf_w_u8(w, 0);
	tw_buf_w_u16(w, 0);
}

int
sync_build_delete(struct sync_builder *b, const struct sync_sa_ref *d)
{
	size_t off = b->w.off;

	if (b->type != SYNC_MSG_SA_DELETE || b->w.err || d->spi < 256 ||
	    (unsigned int)d->dir > SADB_DIR_OUT)
		return -EINVAL;
	ref_write(&b->w, d->id, d->spi, d->dir);
	if (b->w.err)
		return rollback(b, off);
	b->n++;
	return 0;
}

int
sync_build_counter(struct sync_builder *b, const struct sync_counter *c)
{
	size_t off = b->w.off;

	if (b->type != SYNC_MSG_COUNTER_UPDATE || b->w.err || c->spi < 256 ||
	    (unsigned int)c->dir > SADB_DIR_OUT)
		return -EINVAL;
	ref_write(&b->w, c->id, c->spi, c->dir);
	tw_buf_w_u64(&b->w, c->seq);
	tw_buf_w_u64(&b->w, c->replay_bitmap);
	tw_buf_w_u64(&b->w, c->life_bytes);
	tw_buf_w_u64(&b->w, c->life_packets);
	if (b->w.err)
		return rollback(b, off);
	b->n++;
	return 0;
}

int
sync_build_end(struct sync_builder *b)
{
	if (b->w.err)
		return -ENOSPC;
	tw_buf_w_patch32(&b->w, 4, (uint32_t)b->w.off);
	tw_buf_w_patch32(&b->w, SYNC_MSG_HDR_LEN, b->n);
	return (int)b->w.off;
}

void
sync_iter_init(struct sync_iter *it, const struct sync_msg *m)
{
	tw_buf_r_init(&it->r, m->u.list.p, m->u.list.len);
	it->left = m->u.list.n;
	it->skipped = 0;
}

int
sync_rec_next(struct sync_iter *it, struct sync_sa_rec *out)
{
	struct tw_buf_r body;
	const uint8_t *p;
	uint16_t kind, len;

	while (it->left > 0) {
		it->left--;
		kind = tw_buf_r_u16(&it->r);
		len = tw_buf_r_u16(&it->r);
		p = tw_buf_r_take(&it->r, len);
		if (it->r.err)
			return 0;   /* not a validated message: stop */
		if (kind != SYNC_REC_IPSEC_SA) {
			/* IKE_SA until the IKE issue decodes it, and kinds
			 * of later versions. */
			it->skipped++;
			continue;
		}
		tw_buf_r_init(&body, p, len);
		if (sync_sa_parse(&body, out, NULL, 0) != 0)
			return 0;
		return 1;
	}
	return 0;
}

static int
ref_read(struct sync_iter *it, uint32_t *id, uint32_t *spi,
	 enum sadb_dir *dir)
{
	if (it->left == 0)
		return 0;
	it->left--;
	*id = tw_buf_r_u32(&it->r);
	*spi = tw_buf_r_u32(&it->r);
	*dir = (enum sadb_dir)tw_buf_r_u8(&it->r);
	(void)tw_buf_r_take(&it->r, 3);
	return it->r.err ? 0 : 1;
}

int
sync_del_next(struct sync_iter *it, struct sync_sa_ref *out)
{
	return ref_read(it, &out->id, &out->spi, &out->dir);
}

int
sync_ctr_next(struct sync_iter *it, struct sync_counter *out)
{
	if (ref_read(it, &out->id, &out->spi, &out->dir) == 0)
		return 0;
	out->seq = tw_buf_r_u64(&it->r);
	out->replay_bitmap = tw_buf_r_u64(&it->r);
	out->life_bytes = tw_buf_r_u64(&it->r);
	out->life_packets = tw_buf_r_u64(&it->r);
	return it->r.err ? 0 : 1;
}

int
sync_build_ike_delete(struct sync_builder *b, uint64_t spi_i, uint64_t spi_r)
{
	size_t off = b->w.off;

	if (b->type != SYNC_MSG_IKE_SA_DELETE || b->w.err || spi_i == 0 ||
	    spi_r == 0)
		return -EINVAL;
	tw_buf_w_u64(&b->w, spi_i);
	tw_buf_w_u64(&b->w, spi_r);
	if (b->w.err)
		return rollback(b, off);
	b->n++;
	return 0;
}

int
sync_rec_next_raw(struct sync_iter *it, uint16_t *kind, const uint8_t **body,
		  uint16_t *len)
{
	if (it->left == 0)
		return 0;
	it->left--;
	*kind = tw_buf_r_u16(&it->r);
	*len = tw_buf_r_u16(&it->r);
	*body = tw_buf_r_take(&it->r, *len);
	return it->r.err || *body == NULL ? 0 : 1;
}

int
sync_ike_del_next(struct sync_iter *it, uint64_t *spi_i, uint64_t *spi_r)
{
	if (it->left == 0)
		return 0;
	it->left--;
	*spi_i = tw_buf_r_u64(&it->r);
	*spi_r = tw_buf_r_u64(&it->r);
	return it->r.err ? 0 : 1;
}
