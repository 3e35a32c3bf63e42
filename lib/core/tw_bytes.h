/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TW_BYTES_H
#define TW_BYTES_H

/*
 * Big-endian field access on byte buffers, whatever their alignment; the
 * hex digits of byte strings written as text.
 */

#include <stdint.h>

/* The value of hex digit c (either case), or -1. */
static inline int
tw_hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static inline uint16_t
tw_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t
tw_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
		(uint32_t)p[2] << 8 | p[3];
}

static inline void
tw_put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

static inline void
tw_put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = (v >> 16) & 0xff;
	p[2] = (v >> 8) & 0xff;
	p[3] = v & 0xff;
}

static inline uint64_t
tw_get64(const uint8_t *p)
{
	return (uint64_t)tw_get32(p) << 32 | tw_get32(p + 4);
}

static inline void
tw_put64(uint8_t *p, uint64_t v)
{
	tw_put32(p, (uint32_t)(v >> 32));
	tw_put32(p + 4, (uint32_t)v);
}

#endif /* TW_BYTES_H */
