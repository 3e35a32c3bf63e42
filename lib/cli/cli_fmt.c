/* SPDX-License-Identifier: BSD-3-Clause */
/* Text buffer and the IOS spellings of addresses, MACs, times, transforms. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_data.h"

void
cli_buf_init(struct cli_buf *b)
{
	memset(b, 0, sizeof(*b));
}

void
cli_buf_free(struct cli_buf *b)
{
	free(b->p);
	cli_buf_init(b);
}

void
cli_buf_printf(struct cli_buf *b, const char *fmt, ...)
{
	va_list ap;
	size_t need;
	char *np;
	int n;

	if (b->oom)
		return;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	need = b->len + (size_t)n + 1;
	if (need > b->cap) {
		size_t cap = b->cap == 0 ? 1024 : b->cap;

		while (cap < need)
			cap *= 2;
		np = realloc(b->p, cap);
		if (np == NULL) {
			b->oom = true;
			return;
		}
		b->p = np;
		b->cap = cap;
	}
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

const char *
cli_ip(uint32_t a, char *buf)
{
	snprintf(buf, CLI_IP_STRLEN, "%u.%u.%u.%u", a >> 24, (a >> 16) & 0xff,
		 (a >> 8) & 0xff, a & 0xff);
	return buf;
}

static uint32_t
len_mask(uint8_t len)
{
	return len == 0 ? 0 : len >= 32 ? UINT32_MAX : ~(UINT32_MAX >> len);
}

const char *
cli_mask(uint8_t len, char *buf)
{
	return cli_ip(len_mask(len), buf);
}

const char *
cli_wildcard(uint8_t len, char *buf)
{
	return cli_ip(~len_mask(len), buf);
}

const char *
cli_mac(const uint8_t m[6], char *buf)
{
	snprintf(buf, 15, "%02x%02x.%02x%02x.%02x%02x", m[0], m[1], m[2], m[3],
		 m[4], m[5]);
	return buf;
}

const char *
cli_uptime(uint64_t s, char *buf, size_t len)
{
	static const struct {
		uint64_t secs;
		const char *name;
	} units[] = {
		{ 604800, "week" }, { 86400, "day" }, { 3600, "hour" },
		{ 60, "minute" },
	};
	size_t off = 0;
	unsigned int i;
	uint64_t v;

	buf[0] = '\0';
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		v = s / units[i].secs;
		s %= units[i].secs;
		/* Zero units are left out; under a minute says "0 minutes". */
		if (v == 0 && !(units[i].secs == 60 && off == 0))
			continue;
		off += snprintf(buf + off, len - off, "%s%llu %s%s",
				off != 0 ? ", " : "", (unsigned long long)v,
				units[i].name, v == 1 ? "" : "s");
		if (off >= len)
			break;
	}
	return buf;
}

const char *
cli_transform(const char *cipher, const char *integ, char *buf, size_t len)
{
	const char *c = cipher, *i = "";

	if (strcmp(cipher, "aes-gcm-128") == 0)
		c = "esp-gcm";
	else if (strcmp(cipher, "aes-gcm-256") == 0)
		c = "esp-gcm 256";
	else if (strcmp(cipher, "aes-cbc-128") == 0)
		c = "esp-aes";
	else if (strcmp(cipher, "aes-cbc-256") == 0)
		c = "esp-256-aes";
	if (strcmp(integ, "sha1-96") == 0)
		i = " esp-sha-hmac";
	else if (strcmp(integ, "sha256-128") == 0)
		i = " esp-sha256-hmac";
	snprintf(buf, len, "%s%s", c, i);
	return buf;
}

const char *
cli_proto(uint8_t p, char *buf)
{
	switch (p) {
	case 0:
		return "ip";
	case 1:
		return "icmp";
	case 6:
		return "tcp";
	case 17:
		return "udp";
	case 47:
		return "gre";
	case 50:
		return "esp";
	default:
		snprintf(buf, 4, "%u", p);
		return buf;
	}
}

static void
acl_addr(struct cli_buf *b, uint32_t a, uint8_t len)
{
	char x[CLI_IP_STRLEN], y[CLI_IP_STRLEN];

	if (len == 0)
		cli_buf_printf(b, " any");
	else if (len == 32)
		cli_buf_printf(b, " host %s", cli_ip(a, x));
	else
		cli_buf_printf(b, " %s %s", cli_ip(a, x), cli_wildcard(len, y));
}

void
cli_acl_ports(struct cli_buf *b, uint16_t lo, uint16_t hi)
{
	if (lo == 0 && hi == 65535)
		return;
	if (lo == hi)
		cli_buf_printf(b, " eq %u", lo);
	else
		cli_buf_printf(b, " range %u %u", lo, hi);
}

void
cli_sel_acl(const struct cli_sel *s, struct cli_buf *b)
{
	char pbuf[4];
	bool ports = s->proto == 6 || s->proto == 17;

	cli_buf_printf(b, "%s", cli_proto(s->proto, pbuf));
	acl_addr(b, s->src, s->src_len);
	if (ports)
		cli_acl_ports(b, s->sport_lo, s->sport_hi);
	acl_addr(b, s->dst, s->dst_len);
	if (ports)
		cli_acl_ports(b, s->dport_lo, s->dport_hi);
}
