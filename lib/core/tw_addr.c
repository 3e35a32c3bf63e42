/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Addresses of both families: strict text parsing (our own, not
 * inet_pton(): it accepts "010.1.1.1" as decimal on some libcs and octal
 * with inet_aton(), and zone indexes), RFC 5952 output, prefix arithmetic.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "tw_addr.h"
#include "tw_bytes.h"

/* Decimal 0..255 without leading zeros; advances *s. */
static int
parse_octet(const char **s, unsigned int *out)
{
	const char *p = *s;
	unsigned int v = 0;
	int n = 0;

	while (*p >= '0' && *p <= '9') {
		if (n == 1 && v == 0)
			return -EINVAL;
		v = v * 10 + (unsigned int)(*p - '0');
		if (v > 255)
			return -EINVAL;
		p++;
		n++;
	}
	if (n == 0)
		return -EINVAL;
	*s = p;
	*out = v;
	return 0;
}

/* A dotted quad; advances *s. */
static int
parse_quad(const char **s, uint32_t *addr)
{
	uint32_t a = 0;
	unsigned int i, o;

	for (i = 0; i < 4; i++) {
		if (i != 0) {
			if (**s != '.')
				return -EINVAL;
			(*s)++;
		}
		if (parse_octet(s, &o) != 0)
			return -EINVAL;
		a = (a << 8) | o;
	}
	*addr = a;
	return 0;
}

int
tw_addr4_parse(const char *s, uint32_t *v4)
{
	uint32_t a;

	if (s == NULL || parse_quad(&s, &a) != 0 || *s != '\0')
		return -EINVAL;
	*v4 = a;
	return 0;
}

/*
 * RFC 4291 2.2: groups of 1-4 hex digits, at most one "::", an optional
 * dotted quad in place of the last two groups. Advances *s to the first
 * character that cannot continue the address.
 */
static int
parse_v6(const char **s, uint8_t out[16])
{
	uint16_t g[8];
	const char *p = *s;
	int n = 0, gap = -1, i;

	if (p[0] == ':') {
		if (p[1] != ':')
			return -EINVAL;
		gap = 0;
		p += 2;
	}
	while (n < 8) {
		const char *q = p;
		unsigned int v = 0;
		int d = 0, h;

		while ((h = tw_hex_digit(*q)) >= 0 && d < 5) {
			v = v << 4 | (unsigned int)h;
			q++;
			d++;
		}
		if (d == 0)
			break;  /* end, after "::" or at a stray character */
		if (*q == '.') {
			uint32_t quad;

			/* A dotted quad takes two groups and ends it. */
			if (n > 6 || parse_quad(&p, &quad) != 0)
				return -EINVAL;
			g[n++] = quad >> 16;
			g[n++] = quad & 0xffff;
			break;
		}
		if (d > 4)
			return -EINVAL;
		g[n++] = (uint16_t)v;
		p = q;
		if (*p != ':')
			break;
		if (p[1] == ':') {
			if (gap >= 0)
				return -EINVAL; /* a second "::" */
			gap = n;
			p += 2;
			continue;
		}
		p++;
		if (tw_hex_digit(*p) < 0)
			return -EINVAL; /* a trailing single ':' */
	}
	if (gap < 0 && n != 8)
		return -EINVAL;
	if (gap >= 0 && n > 7)
		return -EINVAL; /* "::" must stand for at least one group */
	memset(out, 0, 16);
	if (gap < 0)
		gap = n;
	for (i = 0; i < gap; i++) {
		out[2 * i] = g[i] >> 8;
		out[2 * i + 1] = g[i] & 0xff;
	}
	for (i = gap; i < n; i++) {
		int at = 8 - (n - i);

		out[2 * at] = g[i] >> 8;
		out[2 * at + 1] = g[i] & 0xff;
	}
	*s = p;
	return 0;
}

int
tw_addr6_parse(const char *s, uint8_t v6[16])
{
	uint8_t b[16];

	if (s == NULL || parse_v6(&s, b) != 0 || *s != '\0')
		return -EINVAL;
	memcpy(v6, b, 16);
	return 0;
}

/* Either family, advancing *s. */
static int
parse_any(const char **s, struct tw_addr *a)
{
	const char *p = *s;
	uint32_t v4;

	if (strchr(p, ':') == NULL) {
		if (parse_quad(&p, &v4) != 0)
			return -EINVAL;
		memset(a, 0, sizeof(*a));
		a->family = TW_AF_INET;
		a->v4 = v4;
	} else {
		uint8_t b[16];

		if (parse_v6(&p, b) != 0)
			return -EINVAL;
		memset(a, 0, sizeof(*a));
		a->family = TW_AF_INET6;
		memcpy(a->v6, b, 16);
	}
	*s = p;
	return 0;
}

int
tw_addr_parse(const char *s, struct tw_addr *a)
{
	struct tw_addr t;

	if (s == NULL || parse_any(&s, &t) != 0 || *s != '\0')
		return -EINVAL;
	*a = t;
	return 0;
}

int
tw_prefix_parse(const char *s, struct tw_prefix *p)
{
	unsigned int len = 0, max;
	struct tw_addr a;
	int n = 0;

	if (s == NULL || parse_any(&s, &a) != 0 || *s != '/')
		return -EINVAL;
	s++;
	max = tw_af_bits(a.family);
	while (*s >= '0' && *s <= '9') {
		if (n == 1 && len == 0)
			return -EINVAL; /* leading zero */
		len = len * 10 + (unsigned int)(*s - '0');
		if (len > max)
			return -EINVAL;
		s++;
		n++;
	}
	if (n == 0 || *s != '\0')
		return -EINVAL;
	p->addr = a;
	p->len = (uint8_t)len;
	return 0;
}

const char *
tw_addr6_str(const uint8_t v6[16], char *buf, size_t len)
{
	int best = -1, best_n = 0, i, at = 0, n;
	uint16_t g[8];
	size_t off = 0;

	for (i = 0; i < 8; i++)
		g[i] = (uint16_t)(v6[2 * i] << 8 | v6[2 * i + 1]);
	/* RFC 5952 4.2: the longest run of 2+ zero groups, first on a tie. */
	for (i = 0; i < 8; i = at) {
		at = i + 1;
		if (g[i] != 0)
			continue;
		while (at < 8 && g[at] == 0)
			at++;
		n = at - i;
		if (n >= 2 && n > best_n) {
			best = i;
			best_n = n;
		}
	}
	if (len == 0)
		return buf;
	buf[0] = '\0';
	/* RFC 5952 5: ::ffff:a.b.c.d keeps its dotted quad. */
	if (best == 0 && best_n == 5 && g[5] == 0xffff) {
		snprintf(buf, len, "::ffff:%u.%u.%u.%u", v6[12], v6[13], v6[14],
			 v6[15]);
		return buf;
	}
	for (i = 0; i < 8 && off < len; i++) {
		int w;

		if (i == best) {
			w = snprintf(buf + off, len - off, "%s",
				     i == 0 ? "::" : ":");
			i += best_n - 1;
		} else {
			w = snprintf(buf + off, len - off, "%x%s", g[i],
				     i < 7 ? ":" : "");
		}
		if (w < 0)
			break;
		off += (size_t)w;
	}
	return buf;
}

const char *
tw_addr_str(const struct tw_addr *a, char *buf, size_t len)
{
	if (a->family == TW_AF_INET6)
		return tw_addr6_str(a->v6, buf, len);
	snprintf(buf, len, "%u.%u.%u.%u", a->v4 >> 24, (a->v4 >> 16) & 0xff,
		 (a->v4 >> 8) & 0xff, a->v4 & 0xff);
	return buf;
}

const char *
tw_prefix_str(const struct tw_prefix *p, char *buf, size_t len)
{
	char a[TW_ADDR_STRLEN];

	snprintf(buf, len, "%s/%u", tw_addr_str(&p->addr, a, sizeof(a)),
		 p->len);
	return buf;
}

bool
tw_addr_eq(const struct tw_addr *a, const struct tw_addr *b)
{
	return tw_addr_cmp(a, b) == 0;
}

int
tw_addr_cmp(const struct tw_addr *a, const struct tw_addr *b)
{
	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	if (a->family == TW_AF_INET6)
		return memcmp(a->v6, b->v6, 16);
	if (a->family == TW_AF_INET && a->v4 != b->v4)
		return a->v4 < b->v4 ? -1 : 1;
	return 0;
}

bool
tw_addr_is_zero(const struct tw_addr *a)
{
	static const uint8_t zero[16];

	if (a->family == TW_AF_INET6)
		return memcmp(a->v6, zero, 16) == 0;
	return a->v4 == 0;
}

/* The byte mask of prefix length len at byte i. */
static uint8_t
mask_byte(unsigned int len, unsigned int i)
{
	if (len >= 8 * (i + 1))
		return 0xff;
	if (len <= 8 * i)
		return 0;
	return (uint8_t)(0xff << (8 - (len - 8 * i)));
}

static uint32_t
mask4(unsigned int len)
{
	return len == 0 ? 0 : len >= 32 ? UINT32_MAX : UINT32_MAX << (32 - len);
}

void
tw_prefix_network(struct tw_prefix *p)
{
	unsigned int i;

	if (p->addr.family != TW_AF_INET6) {
		p->addr.v4 &= mask4(p->len);
		return;
	}
	for (i = 0; i < 16; i++)
		p->addr.v6[i] &= mask_byte(p->len, i);
}

bool
tw_prefix_is_network(const struct tw_prefix *p)
{
	struct tw_prefix n = *p;

	tw_prefix_network(&n);
	return tw_addr_eq(&n.addr, &p->addr);
}

bool
tw_prefix_host_all_ones(const struct tw_prefix *p)
{
	unsigned int i;

	if (p->addr.family != TW_AF_INET6)
		return (p->addr.v4 | mask4(p->len)) == UINT32_MAX;
	for (i = 0; i < 16; i++)
		if ((p->addr.v6[i] | mask_byte(p->len, i)) != 0xff)
			return false;
	return true;
}

/* a and b agree on their first len bits (same family). */
static bool
match_bits(const struct tw_addr *a, const struct tw_addr *b,
	   unsigned int len)
{
	unsigned int i;

	if (a->family != TW_AF_INET6)
		return ((a->v4 ^ b->v4) & mask4(len)) == 0;
	for (i = 0; i < 16; i++)
		if ((a->v6[i] ^ b->v6[i]) & mask_byte(len, i))
			return false;
	return true;
}

bool
tw_prefix_contains(const struct tw_prefix *p, const struct tw_addr *a)
{
	if (p->addr.family != a->family)
		return false;
	return match_bits(&p->addr, a, p->len);
}

bool
tw_prefix_overlaps(const struct tw_prefix *a, const struct tw_prefix *b)
{
	if (a->addr.family != b->addr.family)
		return false;
	return match_bits(&a->addr, &b->addr, a->len < b->len ? a->len :
			  b->len);
}

bool
tw_prefix_eq(const struct tw_prefix *a, const struct tw_prefix *b)
{
	return a->len == b->len && tw_addr_eq(&a->addr, &b->addr);
}

bool
tw_addr6_is_link_local(const uint8_t v6[16])
{
	return v6[0] == 0xfe && (v6[1] & 0xc0) == 0x80;
}

bool
tw_addr6_is_multicast(const uint8_t v6[16])
{
	return v6[0] == 0xff;
}

bool
tw_addr6_is_unicast(const uint8_t v6[16])
{
	static const uint8_t mapped[12] = { [10] = 0xff, [11] = 0xff };
	static const uint8_t zero[15];

	/* RFC 4291 2.5.2 (::), 2.5.3 (::1), 2.5.5.2 (::ffff:0:0/96). */
	if (memcmp(v6, zero, 15) == 0 && v6[15] <= 1)
		return false;
	if (memcmp(v6, mapped, 12) == 0)
		return false;
	return !tw_addr6_is_multicast(v6) && !tw_addr6_is_link_local(v6);
}

void
tw_addr6_solicited_node(const uint8_t v6[16], uint8_t out[16])
{
	memset(out, 0, 16);
	out[0] = 0xff;
	out[1] = 0x02;
	out[11] = 0x01;
	out[12] = 0xff;
	memcpy(out + 13, v6 + 13, 3);
}

void
tw_addr6_link_local(const uint8_t mac[6], uint8_t out[16])
{
	memset(out, 0, 16);
	out[0] = 0xfe;
	out[1] = 0x80;
	out[8] = mac[0] ^ 0x02; /* the universal/local bit inverted */
	out[9] = mac[1];
	out[10] = mac[2];
	out[11] = 0xff;
	out[12] = 0xfe;
	out[13] = mac[3];
	out[14] = mac[4];
	out[15] = mac[5];
}

void
tw_addr6_mcast_mac(const uint8_t v6[16], uint8_t mac[6])
{
	mac[0] = 0x33;
	mac[1] = 0x33;
	memcpy(mac + 2, v6 + 12, 4);
}
