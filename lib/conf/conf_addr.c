/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IPv4 address and prefix text, host byte order. The text is lib/core's
 * strict parser (tw_addr.c) rather than inet_aton(): inet_aton() reads
 * "010.1.1.1" as octal and "10.1" as 10.0.0.1, both of which an operator
 * never means.
 */
#include <errno.h>
#include <stdio.h>

#include "conf_priv.h"

int
conf_ipv4_parse(const char *s, uint32_t *addr)
{
	return tw_addr4_parse(s, addr);
}

int
conf_prefix_parse(const char *s, struct conf_prefix *p)
{
	struct tw_prefix t;

	if (tw_prefix_parse(s, &t) != 0 || t.addr.family != TW_AF_INET)
		return -EINVAL;
	p->addr = t.addr.v4;
	p->len = t.len;
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
