/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IKEv2 message builder: header, payloads chained through their Next
 * Payload fields, lengths patched when each payload ends. Every write is
 * bounds-checked; the first failure sticks in b->err.
 */
#include <errno.h>
#include <string.h>

#include "ike_msg.h"
#include "tw_bytes.h"

/* n bytes of room at the end, or NULL with b->err set. */
static uint8_t *
take(struct ike_builder *b, size_t n)
{
	uint8_t *q;

	if (b->err != 0)
		return NULL;
	if (n > b->cap - b->off) {
		b->err = -ENOSPC;
		return NULL;
	}
	q = b->buf + b->off;
	b->off += n;
	return q;
}

static void
put_bytes(struct ike_builder *b, const void *src, size_t n)
{
	uint8_t *q = take(b, n);

	if (q != NULL && n != 0)
		memcpy(q, src, n);
}

/* Generic payload header; returns the payload's offset. */
static size_t
begin(struct ike_builder *b, uint8_t type, bool critical)
{
	size_t start = b->off;
	uint8_t *q = take(b, IKE_GEN_HDR_LEN);

	if (q == NULL)
		return 0;
	q[0] = IKE_PL_NONE;
	q[1] = critical ? IKE_PL_CRITICAL : 0;
	tw_put16(q + 2, 0);
	b->buf[b->next_off] = type;
	b->next_off = start;
	return start;
}

static int
end(struct ike_builder *b, size_t start)
{
	if (b->err != 0)
		return b->err;
	if (b->off - start > UINT16_MAX) {
		b->err = -EINVAL;
		return b->err;
	}
	tw_put16(b->buf + start + 2, (uint16_t)(b->off - start));
	return 0;
}

static int
bad(struct ike_builder *b)
{
	if (b->err == 0)
		b->err = -EINVAL;
	return b->err;
}

int
ike_build_init(struct ike_builder *b, uint8_t *buf, size_t cap,
	       const struct ike_hdr *h)
{
	uint8_t *q;

	memset(b, 0, sizeof(*b));
	b->buf = buf;
	b->cap = cap;
	q = take(b, IKE_HDR_LEN);
	if (q == NULL)
		return b->err;
	tw_put64(q, h->spi_i);
	tw_put64(q + 8, h->spi_r);
	q[16] = IKE_PL_NONE;
	q[17] = IKE_MAJOR_VERSION << 4 | IKE_MINOR_VERSION;
	q[18] = h->exchange;
	q[19] = h->flags;
	tw_put32(q + 20, h->msg_id);
	tw_put32(q + 24, IKE_HDR_LEN);
	b->next_off = 16;
	return 0;
}

static void
put_proposal(struct ike_builder *b, const struct ike_proposal *pr, bool last)
{
	const struct ike_xform *x;
	size_t pstart = b->off, xstart;
	uint8_t *q;
	unsigned int i;

	q = take(b, 8);
	if (q == NULL)
		return;
	q[0] = last ? 0 : 2;
	q[1] = 0;
	q[4] = pr->num;
	q[5] = pr->proto;
	q[6] = pr->spi_size;
	q[7] = pr->n_xforms;
	put_bytes(b, pr->spi, pr->spi_size);
	for (i = 0; i < pr->n_xforms; i++) {
		x = &pr->xforms[i];
		xstart = b->off;
		q = take(b, 8);
		if (q == NULL)
			return;
		q[0] = i + 1 == pr->n_xforms ? 0 : 3;
		q[1] = 0;
		q[4] = x->type;
		q[5] = 0;
		tw_put16(q + 6, x->id);
		if (x->key_len != 0) {
			q = take(b, 4);
			if (q == NULL)
				return;
			tw_put16(q, IKE_ATTR_AF | IKE_ATTR_KEY_LENGTH);
			tw_put16(q + 2, x->key_len);
		}
		tw_put16(b->buf + xstart + 2, (uint16_t)(b->off - xstart));
	}
	if (b->err == 0)
		tw_put16(b->buf + pstart + 2, (uint16_t)(b->off - pstart));
}

int
ike_build_sa(struct ike_builder *b, const struct ike_proposal *props,
	     unsigned int n)
{
	size_t start;
	unsigned int i;

	if (n == 0 || n > IKE_SA_MAX_PROPS)
		return bad(b);
	for (i = 0; i < n; i++)
		if (props[i].n_xforms == 0 ||
		    props[i].n_xforms > IKE_PROP_MAX_XFORMS ||
		    props[i].spi_size > IKE_SPI_MAX)
			return bad(b);
	start = begin(b, IKE_PL_SA, false);
	for (i = 0; i < n; i++)
		put_proposal(b, &props[i], i + 1 == n);
	return end(b, start);
}

/* Payloads of the form: fixed 4-byte part then data. */
static int
fixed4(struct ike_builder *b, uint8_t type, const uint8_t f[4],
       const uint8_t *data, size_t len)
{
	size_t start = begin(b, type, false);

	put_bytes(b, f, 4);
	put_bytes(b, data, len);
	return end(b, start);
}

int
ike_build_ke(struct ike_builder *b, uint16_t group, const uint8_t *data,
	     size_t len)
{
	uint8_t f[4] = { group >> 8, group & 0xff, 0, 0 };

	if (len == 0)
		return bad(b);
	return fixed4(b, IKE_PL_KE, f, data, len);
}

int
ike_build_id(struct ike_builder *b, uint8_t type, uint8_t id_type,
	     const uint8_t *data, size_t len)
{
	uint8_t f[4] = { id_type, 0, 0, 0 };

	if ((type != IKE_PL_IDI && type != IKE_PL_IDR) || len == 0)
		return bad(b);
	return fixed4(b, type, f, data, len);
}

int
ike_build_cert(struct ike_builder *b, uint8_t type, uint8_t encoding,
	       const uint8_t *data, size_t len)
{
	size_t start;

	if (type != IKE_PL_CERT && type != IKE_PL_CERTREQ)
		return bad(b);
	start = begin(b, type, false);
	put_bytes(b, &encoding, 1);
	put_bytes(b, data, len);
	return end(b, start);
}

int
ike_build_auth(struct ike_builder *b, uint8_t method, const uint8_t *data,
	       size_t len)
{
	uint8_t f[4] = { method, 0, 0, 0 };

	if (len == 0)
		return bad(b);
	return fixed4(b, IKE_PL_AUTH, f, data, len);
}

int
ike_build_nonce(struct ike_builder *b, const uint8_t *data, size_t len)
{
	size_t start;

	if (len < IKE_NONCE_MIN || len > IKE_NONCE_MAX)
		return bad(b);
	start = begin(b, IKE_PL_NONCE, false);
	put_bytes(b, data, len);
	return end(b, start);
}

int
ike_build_notify(struct ike_builder *b, uint8_t proto, const uint8_t *spi,
		 uint8_t spi_size, uint16_t type, const uint8_t *data,
		 size_t len)
{
	uint8_t f[4] = { proto, spi_size, type >> 8, type & 0xff };
	size_t start;

	if (spi_size != 0 && spi_size != 4 && spi_size != 8)
		return bad(b);
	start = begin(b, IKE_PL_NOTIFY, false);
	put_bytes(b, f, 4);
	put_bytes(b, spi, spi_size);
	put_bytes(b, data, len);
	return end(b, start);
}

int
ike_build_delete(struct ike_builder *b, uint8_t proto, const uint32_t *spis,
		 unsigned int n)
{
	uint8_t f[4] = { proto, 0, n >> 8, n & 0xff };
	size_t start;
	uint8_t *q;
	unsigned int i;

	if (proto == IKE_PROTO_IKE) {
		if (n != 0)
			return bad(b);
	} else if (proto == IKE_PROTO_ESP || proto == IKE_PROTO_AH) {
		if (n == 0 || n > UINT16_MAX)
			return bad(b);
		f[1] = 4;
	} else {
		return bad(b);
	}
	start = begin(b, IKE_PL_DELETE, false);
	put_bytes(b, f, 4);
	for (i = 0; i < n; i++) {
		q = take(b, 4);
		if (q != NULL)
			tw_put32(q, spis[i]);
	}
	return end(b, start);
}

int
ike_build_vendor(struct ike_builder *b, const uint8_t *data, size_t len)
{
	size_t start = begin(b, IKE_PL_VENDOR, false);

	put_bytes(b, data, len);
	return end(b, start);
}

int
ike_build_ts(struct ike_builder *b, uint8_t type, const struct ike_ts *ts,
	     unsigned int n)
{
	uint8_t f[4] = { n, 0, 0, 0 };
	size_t start;
	uint8_t *q;
	unsigned int i;

	if ((type != IKE_PL_TSI && type != IKE_PL_TSR) || n == 0 ||
	    n > IKE_TS_MAX)
		return bad(b);
	for (i = 0; i < n; i++)
		if (ts[i].type != IKE_TS_IPV4_ADDR_RANGE &&
		    ts[i].type != IKE_TS_IPV6_ADDR_RANGE)
			return bad(b);
	start = begin(b, type, false);
	put_bytes(b, f, 4);
	for (i = 0; i < n; i++) {
		bool v4 = ts[i].type == IKE_TS_IPV4_ADDR_RANGE;

		q = take(b, v4 ? 16 : 40);
		if (q == NULL)
			break;
		q[0] = ts[i].type;
		q[1] = ts[i].proto;
		tw_put16(q + 2, v4 ? 16 : 40);
		tw_put16(q + 4, ts[i].port_lo);
		tw_put16(q + 6, ts[i].port_hi);
		if (v4) {
			tw_put32(q + 8, ts[i].addr4_lo);
			tw_put32(q + 12, ts[i].addr4_hi);
		} else {
			memcpy(q + 8, ts[i].addr6_lo, 16);
			memcpy(q + 24, ts[i].addr6_hi, 16);
		}
	}
	return end(b, start);
}

int
ike_build_cp(struct ike_builder *b, uint8_t cfg_type, const uint8_t *attrs,
	     size_t len)
{
	uint8_t f[4] = { cfg_type, 0, 0, 0 };

	return fixed4(b, IKE_PL_CP, f, attrs, len);
}

int
ike_build_raw(struct ike_builder *b, uint8_t type, bool critical,
	      const uint8_t *body, size_t len)
{
	size_t start = begin(b, type, critical);

	put_bytes(b, body, len);
	return end(b, start);
}

int
ike_build_sk_begin(struct ike_builder *b, size_t iv_len)
{
	size_t start;

	if (b->sk_off != 0)
		return bad(b);
	start = begin(b, IKE_PL_SK, false);
	/* The IV is written by ike_sk_seal(); the room is reserved now. */
	if (take(b, iv_len) == NULL)
		return b->err;
	if (b->err == 0) {
		b->sk_off = start;
		b->sk_iv_len = iv_len;
	}
	return b->err;
}

int
ike_build_finish(struct ike_builder *b)
{
	if (b->err != 0)
		return b->err;
	if (b->sk_off != 0) {
		/* An SK payload is finished by ike_sk_seal(). */
		b->err = -EINVAL;
		return b->err;
	}
	tw_put32(b->buf + 24, (uint32_t)b->off);
	return (int)b->off;
}
