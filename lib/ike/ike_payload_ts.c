/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Traffic Selector payloads (RFC 7296 3.13): Number of TSs(1) RESERVED(3)
 * then selectors: TS Type(1) IP Protocol ID(1) Selector Length(2) Start
 * Port(2) End Port(2) Starting Address End Address.
 */
#include <errno.h>
#include <string.h>

#include "ike_msg.h"
#include "ike_payload.h"
#include "tw_bytes.h"

#define TS_HDR_LEN 8
#define TS_V4_LEN 16   /* RFC 7296 3.13.1 */
#define TS_V6_LEN 40

static int
fail(const char **why, const char *msg)
{
	*why = msg;
	return -EINVAL;
}

int
ike_payload_ts_decode(const uint8_t *p, size_t len, struct ike_pl_ts *out,
		      const char **why)
{
	size_t off = 4;
	unsigned int i, n;
	uint16_t slen;

	if (len < 4)
		return fail(why, "TS: shorter than its fixed part");
	n = p[0];
	if (n == 0)
		return fail(why, "TS: no traffic selectors");
	if (n > IKE_TS_MAX) {
		*why = "TS: too many traffic selectors";
		return -E2BIG;
	}
	for (i = 0; i < n; i++) {
		if (len - off < TS_HDR_LEN)
			return fail(why, "TS: truncated selector");
		slen = tw_get16(p + off + 2);
		if (slen < TS_HDR_LEN || slen > len - off)
			return fail(why, "TS: bad selector length");
		if (p[off] == IKE_TS_IPV4_ADDR_RANGE && slen != TS_V4_LEN)
			return fail(why, "TS: IPv4 selector not 16 bytes");
		if (p[off] == IKE_TS_IPV6_ADDR_RANGE && slen != TS_V6_LEN)
			return fail(why, "TS: IPv6 selector not 40 bytes");
		off += slen;
	}
	if (off != len)
		return fail(why, "TS: bytes after the last selector");
	out->n_ts = (uint8_t)n;
	out->sel.p = p + 4;
	out->sel.len = len - 4;
	return 0;
}

void
ike_ts_get(const struct ike_pl_ts *ts, unsigned int i, struct ike_ts *out)
{
	const uint8_t *q = ts->sel.p;
	unsigned int k;

	memset(out, 0, sizeof(*out));
	if (i >= ts->n_ts)
		return;
	for (k = 0; k < i; k++)
		q += tw_get16(q + 2);
	out->type = q[0];
	out->proto = q[1];
	out->port_lo = tw_get16(q + 4);
	out->port_hi = tw_get16(q + 6);
	if (q[0] == IKE_TS_IPV4_ADDR_RANGE) {
		out->addr4_lo = tw_get32(q + 8);
		out->addr4_hi = tw_get32(q + 12);
	} else if (q[0] == IKE_TS_IPV6_ADDR_RANGE) {
		memcpy(out->addr6_lo, q + 8, 16);
		memcpy(out->addr6_hi, q + 24, 16);
	}
}

unsigned int
ike_ts_all(const struct ike_pl_ts *ts, struct ike_ts *out, unsigned int cap)
{
	unsigned int i;

	for (i = 0; i < ts->n_ts && i < cap; i++)
		ike_ts_get(ts, i, &out[i]);
	return i;
}
