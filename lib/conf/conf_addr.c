/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IPv4 address and prefix text, host byte order. Our own strict parser
 * rather than inet_aton(): inet_aton() reads "010.1.1.1" as octal and
 * "10.1" as 10.0.0.1, both of which an operator never means.
 */
#include <errno.h>
#include <stdio.h>

#include "conf_priv.h"

/* Decimal 0..max without leading zeros; advances *s. */
static int
parse_dec(const char **s, unsigned int max, unsigned int *out)
{
	const char *p = *s;
	unsigned int v = 0;
	int n = 0;

	while (*p >= '0' && *p <= '9') {
		if (n == 1 && v == 0)
			return -EINVAL; /* leading zero */
		v = v * 10 + (unsigned int)(*p - '0');
		if (v > max)
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

static int
parse_addr(const char **s, uint32_t *addr)
{
	uint32_t a = 0;
	unsigned int i, o;

	for (i = 0; i < 4; i++) {
		if (i != 0) {
			if (**s != '.')
				return -EINVAL;
			(*s)++;
		}
		if (parse_dec(s, 255, &o) != 0)
			return -EINVAL;
		a = (a << 8) | o;
	}
	*addr = a;
	return 0;
}

int
conf_ipv4_parse(const char *s, uint32_t *addr)
{
	uint32_t a;

	if (s == NULL || parse_addr(&s, &a) != 0 || *s != '\0')
		return -EINVAL;
	*addr = a;
	return 0;
}

int
conf_prefix_parse(const char *s, struct conf_prefix *p)
{
	unsigned int len;
	uint32_t a;

	if (s == NULL || parse_addr(&s, &a) != 0 || *s != '/')
		return -EINVAL;
	s++;
	if (parse_dec(&s, 32, &len) != 0 || *s != '\0')
		return -EINVAL;
	p->addr = a;
	p->len = (uint8_t)len;
	return 0;
}

uint32_t
conf_prefix_mask(uint8_t len)
{
	if (len == 0)
		return 0;
	if (len >= 32)
		return UINT32_MAX;
	return UINT32_MAX << (32 - len);
}

bool
conf_prefix_is_network(const struct conf_prefix *p)
{
	return (p->addr & ~conf_prefix_mask(p->len)) == 0;
}

bool
conf_prefix_contains(const struct conf_prefix *p, uint32_t addr)
{
	uint32_t m = conf_prefix_mask(p->len);

	return (addr & m) == (p->addr & m);
}

bool
conf_prefix_overlaps(const struct conf_prefix *a, const struct conf_prefix *b)
{
	uint8_t len = a->len < b->len ? a->len : b->len;
	uint32_t m = conf_prefix_mask(len);

	return (a->addr & m) == (b->addr & m);
}

const char *
conf_ipv4_str(uint32_t a, char *buf, size_t len)
{
	snprintf(buf, len, "%u.%u.%u.%u", a >> 24, (a >> 16) & 0xff,
		 (a >> 8) & 0xff, a & 0xff);
	return buf;
}

const char *
conf_prefix_str(const struct conf_prefix *p, char *buf, size_t len)
{
	char a[CONF_IPV4_STRLEN];

	snprintf(buf, len, "%s/%u", conf_ipv4_str(p->addr, a, sizeof(a)),
		 p->len);
	return buf;
}

bool
conf_ipv4_is_unicast(uint32_t a)
{
	uint8_t first = a >> 24;

	/* RFC 1122 3.2.1.3 (0/8, 127/8), RFC 5771 (224/4), RFC 1112 (240/4) */
	return first != 0 && first != 127 && first < 224;
}
