/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TW_BUF_H
#define TW_BUF_H

/*
 * Bounds-checked big-endian reader and writer over a byte buffer, for
 * codecs of variable-length messages (lib/sync, later lib/ike).
 *
 * Both are sticky: the first access past the end sets ->err, returns zeros
 * (reader) or writes nothing (writer), and every later access does the
 * same. A codec therefore reads or writes a whole structure and checks
 * ->err once, instead of checking every field; nothing is ever read or
 * written outside [p, p + len).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct tw_buf_r {
	const uint8_t *p;
	size_t len;
	size_t off;
	bool err;
};

struct tw_buf_w {
	uint8_t *p;
	size_t cap;
	size_t off;
	bool err;
};

static inline void
tw_buf_r_init(struct tw_buf_r *r, const void *p, size_t len)
{
	r->p = p;
	r->len = len;
	r->off = 0;
	r->err = false;
}

/* Bytes left to read (0 once in error). */
static inline size_t
tw_buf_r_left(const struct tw_buf_r *r)
{
	return r->err ? 0 : r->len - r->off;
}

/* Pointer to the next n bytes and consume them, or NULL (and err). */
static inline const uint8_t *
tw_buf_r_take(struct tw_buf_r *r, size_t n)
{
	const uint8_t *q;

	if (r->err || n > r->len - r->off) {
		r->err = true;
		return NULL;
	}
	q = r->p + r->off;
	r->off += n;
	return q;
}

static inline uint8_t
tw_buf_r_u8(struct tw_buf_r *r)
{
	const uint8_t *q = tw_buf_r_take(r, 1);

	return q == NULL ? 0 : q[0];
}

static inline uint16_t
tw_buf_r_u16(struct tw_buf_r *r)
{
	const uint8_t *q = tw_buf_r_take(r, 2);

	return q == NULL ? 0 : (uint16_t)(q[0] << 8 | q[1]);
}

static inline uint32_t
tw_buf_r_u32(struct tw_buf_r *r)
{
	const uint8_t *q = tw_buf_r_take(r, 4);

	if (q == NULL)
		return 0;
	return (uint32_t)q[0] << 24 | (uint32_t)q[1] << 16 |
		(uint32_t)q[2] << 8 | q[3];
}

static inline uint64_t
tw_buf_r_u64(struct tw_buf_r *r)
{
	const uint8_t *q = tw_buf_r_take(r, 8);
	uint64_t v = 0;
	unsigned int i;

	if (q == NULL)
		return 0;
	for (i = 0; i < 8; i++)
		v = v << 8 | q[i];
	return v;
}

/* Copy n bytes out (zeros on error). */
static inline void
tw_buf_r_bytes(struct tw_buf_r *r, void *dst, size_t n)
{
	const uint8_t *q = tw_buf_r_take(r, n);

	if (q == NULL)
		memset(dst, 0, n);
	else
		memcpy(dst, q, n);
}

static inline void
tw_buf_w_init(struct tw_buf_w *w, void *p, size_t cap)
{
	w->p = p;
	w->cap = cap;
	w->off = 0;
	w->err = false;
}

/* Reserve the next n bytes and return them, or NULL (and err). */
static inline uint8_t *
tw_buf_w_take(struct tw_buf_w *w, size_t n)
{
	uint8_t *q;

	if (w->err || n > w->cap - w->off) {
		w->err = true;
		return NULL;
	}
	q = w->p + w->off;
	w->off += n;
	return q;
}

static inline void
tw_buf_w_u8(struct tw_buf_w *w, uint8_t v)
{
	uint8_t *q = tw_buf_w_take(w, 1);

	if (q != NULL)
		q[0] = v;
}

static inline void
tw_buf_w_u16(struct tw_buf_w *w, uint16_t v)
{
	uint8_t *q = tw_buf_w_take(w, 2);

	if (q != NULL) {
		q[0] = v >> 8;
		q[1] = v & 0xff;
	}
}

static inline void
tw_buf_w_u32(struct tw_buf_w *w, uint32_t v)
{
	uint8_t *q = tw_buf_w_take(w, 4);

	if (q != NULL) {
		q[0] = v >> 24;
		q[1] = (v >> 16) & 0xff;
		q[2] = (v >> 8) & 0xff;
		q[3] = v & 0xff;
	}
}

static inline void
tw_buf_w_u64(struct tw_buf_w *w, uint64_t v)
{
	uint8_t *q = tw_buf_w_take(w, 8);
	unsigned int i;

	if (q != NULL)
		for (i = 0; i < 8; i++)
			q[i] = (uint8_t)(v >> (56 - 8 * i));
}

static inline void
tw_buf_w_bytes(struct tw_buf_w *w, const void *src, size_t n)
{
	uint8_t *q = tw_buf_w_take(w, n);

	if (q != NULL && n != 0)
		memcpy(q, src, n);
}

/* Overwrite a 16/32-bit field written earlier at off (a length). */
static inline void
tw_buf_w_patch16(struct tw_buf_w *w, size_t off, uint16_t v)
{
	if (!w->err && off + 2 <= w->off) {
		w->p[off] = v >> 8;
		w->p[off + 1] = v & 0xff;
	}
}

static inline void
tw_buf_w_patch32(struct tw_buf_w *w, size_t off, uint32_t v)
{
	if (!w->err && off + 4 <= w->off) {
		w->p[off] = v >> 24;
		w->p[off + 1] = (v >> 16) & 0xff;
		w->p[off + 2] = (v >> 8) & 0xff;
		w->p[off + 3] = v & 0xff;
	}
}

#endif /* TW_BUF_H */
