/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ike_hostile: our IKE SA's messages opened with its keys and sealed
 * again, their traffic selectors replaced by hostile ones.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "ike_hostile.h"
#include "ike_sk.h"

int
open_msg(const struct ike_sa *sa, const uint8_t *buf, size_t len,
	 bool outbound, struct ike_msg *m, uint8_t *plain, size_t cap)
{
	struct ike_sk_ctx ctx;
	const char *why = "";
	size_t plen;
	int rc;

	rc = ike_msg_decode(buf, len, m, &why);
	if (rc < 0 || !m->sk.present)
		return rc < 0 ? rc : -EINVAL;
	ike_sk_ctx_init(&ctx, ops, &sa->keys, sa->initiator, outbound, NULL);
	rc = ike_sk_open(&ctx, buf, len, m, plain, cap, &plen, &why);
	if (rc < 0)
		return rc;
	return ike_msg_decode_inner(m, plain, plen, &why);
}

/*
 * The SPI a phantom child gets on a gateway that copies a reply's 16
 * selectors into the child's four (the overflow of issue #14): our TSr
 * becomes its ts_remote[], and the selector that lands on the next child
 * slot is an IPv6 one whose end address is a child's first 16 bytes:
 * state INSTALLED, and this inbound SPI. Computed from lib/ike's own
 * layout (ike_sa.h); planted only where that layout lets an IPv6 end
 * address cover them.
 */
bool planted;

static void
plant(struct ike_ts *ts)
{
	size_t d = sizeof(struct ike_child) -
		offsetof(struct ike_child, ts_remote);
	size_t k = d / sizeof(struct ike_ts), r = d % sizeof(struct ike_ts);
	uint32_t v;

	if (k >= IKE_TS_MAX || r != offsetof(struct ike_ts, addr6_hi) ||
	    offsetof(struct ike_child, spi_in) + 4 > sizeof(ts->addr6_hi))
		return;
	memset(&ts[k], 0, sizeof(ts[k]));
	ts[k].type = IKE_TS_IPV6_ADDR_RANGE;
	ts[k].port_hi = 65535;
	/* the bytes as the next child holds them in memory */
	v = IKE_CHILD_INSTALLED;
	memcpy(ts[k].addr6_hi + offsetof(struct ike_child, state), &v,
	       sizeof(v));
	v = PHANTOM_SPI;
	memcpy(ts[k].addr6_hi + offsetof(struct ike_child, spi_in), &v,
	       sizeof(v));
	planted = true;
}

/* 16 selectors within p/len (its 16 sixteenths; TSr with the phantom
 * child planted), or the whole range. */
static unsigned int
hostile_ts(struct ike_ts *ts, uint32_t p, uint8_t len, bool wide, bool tsr)
{
	unsigned int i;

	if (wide) {
		ike_ts_from_prefix(&ts[0], 0, 0, 0, 0, 65535);
		return 1;
	}
	for (i = 0; i < IKE_TS_MAX; i++)
		ike_ts_from_prefix(&ts[i], p + (i << (28 - len)),
				   (uint8_t)(len + 4), 0, 0, 65535);
	if (tsr)
		plant(ts);
	return IKE_TS_MAX;
}

/*
 * The message our engine sends, its inner payloads rebuilt: the TS
 * payloads replaced (ed), or as they were (EDIT_NONE: only a new IV, so
 * authentic but not the same bytes). Returns the new length, or -errno.
 */
int
reseal(const struct ike_sa *sa, const uint8_t *in, size_t len, enum edit ed,
       uint8_t *out, size_t cap)
{
	static uint8_t plain[BUF];
	static struct ike_msg m;
	struct ike_sk_ctx ctx;
	struct ike_builder b;
	struct ike_ts ts[IKE_TS_MAX];
	unsigned int i, n;
	struct ike_hdr h;
	int rc;

	rc = open_msg(sa, in, len, true, &m, plain, sizeof(plain));
	if (rc < 0)
		return rc;
	h = m.hdr;
	h.next = 0;
	h.length = 0;
	ike_build_init(&b, out, cap, &h);
	ike_build_sk_begin(&b, ike_sk_iv_len(sa->algs.encr));
	for (i = 0; i < m.n_pl; i++) {
		const struct ike_payload *p = &m.pl[i];

		if (!p->inner)
			continue;
		if (ed != EDIT_NONE && p->type == IKE_PL_TSI) {
			/* the gateway initiated: TSi is its side */
			n = hostile_ts(ts, o_rnet, o_rlen, ed == EDIT_TSWIDE,
				       false);
			ike_build_ts(&b, IKE_PL_TSI, ts, n);
		} else if (ed != EDIT_NONE && p->type == IKE_PL_TSR) {
			n = hostile_ts(ts, o_lnet, o_llen, ed == EDIT_TSWIDE,
				       true);
			ike_build_ts(&b, IKE_PL_TSR, ts, n);
		} else {
			ike_build_raw(&b, p->type, p->critical, p->body.p,
				      p->body.len);
		}
	}
	ike_sk_ctx_init(&ctx, ops, &sa->keys, sa->initiator, true, NULL);
	return ike_sk_seal(&b, &ctx, &rng);
}
