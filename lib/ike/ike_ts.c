/* SPDX-License-Identifier: BSD-3-Clause */
/* Traffic selector narrowing (RFC 7296 2.9): see ike_ts.h. */
#include <errno.h>
#include <string.h>

#include "ike_ts.h"

#define MAX(a, b) ((a) > (b) ? (a) : (b))
#define MIN(a, b) ((a) < (b) ? (a) : (b))

void
ike_ts_from_prefix(struct ike_ts *ts, uint32_t addr, uint8_t len,
		   uint8_t proto, uint16_t port_lo, uint16_t port_hi)
{
	uint32_t mask = len == 0 ? 0 : len >= 32 ? UINT32_MAX :
		~(UINT32_MAX >> len);

	memset(ts, 0, sizeof(*ts));
	ts->type = IKE_TS_IPV4_ADDR_RANGE;
	ts->proto = proto;
	ts->port_lo = port_lo;
	ts->port_hi = port_hi;
	ts->addr4_lo = addr & mask;
	ts->addr4_hi = addr | ~mask;
}

void
ike_ts_from_prefix6(struct ike_ts *ts, const uint8_t addr[16], uint8_t len,
		    uint8_t proto, uint16_t port_lo, uint16_t port_hi)
{
	unsigned int i, bits;
	uint8_t mask;

	memset(ts, 0, sizeof(*ts));
	ts->type = IKE_TS_IPV6_ADDR_RANGE;
	ts->proto = proto;
	ts->port_lo = port_lo;
	ts->port_hi = port_hi;
	for (i = 0; i < 16; i++) {
		bits = len >= 8 * (i + 1) ? 8 : len > 8 * i ? len - 8 * i : 0;
		mask = (uint8_t)(0xff00 >> bits);
		ts->addr6_lo[i] = addr[i] & mask;
		ts->addr6_hi[i] = addr[i] | (uint8_t)~mask;
	}
}

void
ike_ts_from_tw_prefix(struct ike_ts *ts, const struct tw_prefix *p,
		      uint8_t proto, uint16_t port_lo, uint16_t port_hi)
{
	if (p->addr.family == TW_AF_INET6)
		ike_ts_from_prefix6(ts, p->addr.v6, p->len, proto, port_lo,
				    port_hi);
	else
		ike_ts_from_prefix(ts, p->addr.v4, p->len, proto, port_lo,
				   port_hi);
}

int
ike_ts_from_conf_match(const struct conf_match *m, struct ike_ts_pair *out)
{
	if (m->action != CONF_POLICY_PROTECT)
		return -EINVAL;
	if (m->src_net.addr.family == TW_AF_INET6) {
		ike_ts_from_tw_prefix(&out->local, &m->src_net, m->proto,
				      m->sport_lo, m->sport_hi);
		ike_ts_from_tw_prefix(&out->remote, &m->dst_net, m->proto,
				      m->dport_lo, m->dport_hi);
		return 0;
	}
	ike_ts_from_prefix(&out->local, m->src.addr, m->src.len, m->proto,
			   m->sport_lo, m->sport_hi);
	ike_ts_from_prefix(&out->remote, m->dst.addr, m->dst.len, m->proto,
			   m->dport_lo, m->dport_hi);
	return 0;
}

/* The larger / smaller of two 16-byte addresses. */
static const uint8_t *
max6(const uint8_t *a, const uint8_t *b)
{
	return memcmp(a, b, 16) >= 0 ? a : b;
}

static const uint8_t *
min6(const uint8_t *a, const uint8_t *b)
{
	return memcmp(a, b, 16) <= 0 ? a : b;
}

bool
ike_ts_intersect(const struct ike_ts *a, const struct ike_ts *b,
		 struct ike_ts *out)
{
	struct ike_ts r;

	/* Of one family (RFC 7296 3.13.1: an IPv4 range never meets an
	 * IPv6 one), and of a type we know. */
	if (a->type != b->type || (a->type != IKE_TS_IPV4_ADDR_RANGE &&
				   a->type != IKE_TS_IPV6_ADDR_RANGE))
		return false;
	/* Protocol 0 is "any" (RFC 7296 3.13.1). */
	if (a->proto != 0 && b->proto != 0 && a->proto != b->proto)
		return false;
	memset(&r, 0, sizeof(r));
	r.type = a->type;
	r.proto = a->proto != 0 ? a->proto : b->proto;
	r.port_lo = MAX(a->port_lo, b->port_lo);
	r.port_hi = MIN(a->port_hi, b->port_hi);
	if (a->type == IKE_TS_IPV6_ADDR_RANGE) {
		memcpy(r.addr6_lo, max6(a->addr6_lo, b->addr6_lo), 16);
		memcpy(r.addr6_hi, min6(a->addr6_hi, b->addr6_hi), 16);
		if (memcmp(r.addr6_lo, r.addr6_hi, 16) > 0)
			return false;
	} else {
		r.addr4_lo = MAX(a->addr4_lo, b->addr4_lo);
		r.addr4_hi = MIN(a->addr4_hi, b->addr4_hi);
	}
	/* An inverted range (such as OPAQUE ports, 65535-0) is empty. */
	if (r.port_lo > r.port_hi || r.addr4_lo > r.addr4_hi)
		return false;
	*out = r;
	return true;
}

bool
ike_ts_within(const struct ike_ts *inner, const struct ike_ts *outer)
{
	struct ike_ts r;

	if (!ike_ts_intersect(inner, outer, &r))
		return false;
	if (outer->proto != 0 && inner->proto != outer->proto)
		return false;
	return r.port_lo == inner->port_lo && r.port_hi == inner->port_hi &&
		r.addr4_lo == inner->addr4_lo && r.addr4_hi == inner->addr4_hi &&
		memcmp(r.addr6_lo, inner->addr6_lo, 16) == 0 &&
		memcmp(r.addr6_hi, inner->addr6_hi, 16) == 0;
}

/* Intersections of every peer selector with one of ours; the count. */
static unsigned int
narrow_side(const struct ike_ts *peer, unsigned int n,
	    const struct ike_ts *ours, struct ike_ts *out)
{
	unsigned int i, k = 0;

	for (i = 0; i < n && k < IKE_TS_MAX; i++)
		if (ike_ts_intersect(&peer[i], ours, &out[k]))
			k++;
	return k;
}

int
ike_ts_narrow(const struct ike_ts *peer_remote, unsigned int n_remote,
	      const struct ike_ts *peer_local, unsigned int n_local,
	      const struct ike_ts_pair *policy, unsigned int n_policy,
	      struct ike_ts *out_remote, unsigned int *n_out_remote,
	      struct ike_ts *out_local, unsigned int *n_out_local,
	      unsigned int *which)
{
	unsigned int i, nr, nl;

	for (i = 0; i < n_policy; i++) {
		nr = narrow_side(peer_remote, n_remote, &policy[i].remote,
				 out_remote);
		if (nr == 0)
			continue;
		nl = narrow_side(peer_local, n_local, &policy[i].local,
				 out_local);
		if (nl == 0)
			continue;
		*n_out_remote = nr;
		*n_out_local = nl;
		if (which != NULL)
			*which = i;
		return 0;
	}
	return -ENOENT;
}

int
ike_ts_check_reply(const struct ike_ts *proposed, unsigned int n_proposed,
		   const struct ike_ts *reply, unsigned int n_reply)
{
	unsigned int i, j;
	bool ok;

	if (n_reply == 0)
		return -EINVAL;
	for (i = 0; i < n_reply; i++) {
		ok = false;
		for (j = 0; j < n_proposed && !ok; j++)
			ok = ike_ts_within(&reply[i], &proposed[j]);
		if (!ok)
			return -EINVAL;
	}
	return 0;
}
