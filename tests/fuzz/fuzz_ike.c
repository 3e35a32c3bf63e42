/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target for the lib/ike message codec.
 *
 * Every input is decoded as a datagram. Whatever decodes is walked through
 * every accessor (SA proposals, selectors, Delete SPIs), fed to proposal
 * selection, reply checking and TS narrowing, then rebuilt payload by
 * payload with the typed builders, decoded again and compared field by
 * field: any disagreement aborts. The SK body is also decoded as if it
 * were the decrypted inner chain, and opened with fixed AES-CBC+HMAC and
 * AES-GCM keys (which fails its ICV, exercising the length checks).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ike_msg.h"
#include "ike_proposal.h"
#include "ike_sk.h"
#include "ike_ts.h"

static struct ike_proposal ours[2];
static struct ike_ts_pair policy[1];
static bool ready;

static void
setup(void)
{
	ike_proposal_init(&ours[0], 1, IKE_PROTO_IKE, NULL, 0);
	ike_proposal_add(&ours[0], IKE_XF_ENCR, IKE_ENCR_AES_GCM_16, 256);
	ike_proposal_add(&ours[0], IKE_XF_PRF, IKE_PRF_HMAC_SHA2_256, 0);
	ike_proposal_add(&ours[0], IKE_XF_DH, IKE_DH_ECP_256, 0);
	ike_proposal_add(&ours[0], IKE_XF_DH, IKE_DH_CURVE25519, 0);
	ike_proposal_init(&ours[1], 2, IKE_PROTO_ESP,
			  (const uint8_t *)"\0\0\1\0", 4);
	ike_proposal_add(&ours[1], IKE_XF_ENCR, IKE_ENCR_AES_CBC, 128);
	ike_proposal_add(&ours[1], IKE_XF_INTEG, IKE_INTEG_HMAC_SHA1_96, 0);
	ike_proposal_add(&ours[1], IKE_XF_ESN, IKE_ESN_NO, 0);
	ike_ts_from_prefix(&policy[0].local, 0x0a000000, 8, 0, 0, 65535);
	ike_ts_from_prefix(&policy[0].remote, 0xac100000, 12, 6, 1, 1024);
	ready = true;
}

static void
exercise_views(const struct ike_msg *m)
{
	struct ike_ts ts[IKE_TS_MAX], oi[IKE_TS_MAX], orr[IKE_TS_MAX];
	struct ike_proposal p, c;
	struct ike_sa_iter it;
	const struct ike_payload *pl;
	const char *why;
	unsigned int i, k, n, ni, nr;

	for (i = 0; i < m->n_pl; i++) {
		pl = &m->pl[i];
		switch (pl->type) {
		case IKE_PL_SA:
			n = 0;
			ike_sa_iter_init(&it, &pl->u.sa);
			while (ike_sa_next(&it, &p)) {
				if (p.n_xforms == 0 ||
				    p.n_xforms > IKE_PROP_MAX_XFORMS)
					abort();
				n++;
			}
			if (n != pl->u.sa.n_props)
				abort();
			if (ike_proposal_select(&pl->u.sa, ours, 2, &c,
						&why) == 0 &&
			    c.n_xforms == 0)
				abort();
			(void)ike_proposal_check_reply(&pl->u.sa, ours, 2, &c,
						       &why);
			break;
		case IKE_PL_TSI:
		case IKE_PL_TSR:
			n = ike_ts_all(&pl->u.ts, ts, IKE_TS_MAX);
			if (n == 0 || n > IKE_TS_MAX)
				abort();
			if (ike_ts_narrow(ts, n, ts, n, policy, 1, oi, &ni,
					  orr, &nr, NULL) == 0) {
				for (k = 0; k < ni; k++)
					if (!ike_ts_within(&oi[k],
							   &policy[0].remote))
						abort();
			}
			break;
		case IKE_PL_DELETE:
			for (k = 0; k < pl->u.del.n_spi; k++)
				(void)ike_delete_spi(&pl->u.del, k);
			break;
		default:
			break;
		}
	}
}

/* Rebuild pl with its typed builder; false when the decoded form is
 * legitimately not re-encodable (unknown TS types, C bit kept raw). */
static bool
rebuild(struct ike_builder *b, const struct ike_payload *pl)
{
	struct ike_proposal props[IKE_SA_MAX_PROPS];
	struct ike_ts ts[IKE_TS_MAX];
	uint32_t spis[64];
	struct ike_sa_iter it;
	unsigned int i, n;

	if (pl->critical)
		return ike_build_raw(b, pl->type, true, pl->body.p,
				     pl->body.len) == 0;
	switch (pl->type) {
	case IKE_PL_SA:
		n = 0;
		ike_sa_iter_init(&it, &pl->u.sa);
		while (n < IKE_SA_MAX_PROPS && ike_sa_next(&it, &props[n]))
			n++;
		return ike_build_sa(b, props, n) == 0;
	case IKE_PL_KE:
		return ike_build_ke(b, pl->u.ke.group, pl->u.ke.data.p,
				    pl->u.ke.data.len) == 0;
	case IKE_PL_IDI:
	case IKE_PL_IDR:
		return ike_build_id(b, pl->type, pl->u.id.type,
				    pl->u.id.data.p, pl->u.id.data.len) == 0;
	case IKE_PL_CERT:
	case IKE_PL_CERTREQ:
		return ike_build_cert(b, pl->type, pl->u.cert.encoding,
				      pl->u.cert.data.p,
				      pl->u.cert.data.len) == 0;
	case IKE_PL_AUTH:
		return ike_build_auth(b, pl->u.auth.method, pl->u.auth.data.p,
				      pl->u.auth.data.len) == 0;
	case IKE_PL_NONCE:
		return ike_build_nonce(b, pl->u.nonce.p, pl->u.nonce.len) == 0;
	case IKE_PL_NOTIFY:
		return ike_build_notify(b, pl->u.notify.proto,
					pl->u.notify.spi.p,
					pl->u.notify.spi_size,
					pl->u.notify.type,
					pl->u.notify.data.p,
					pl->u.notify.data.len) == 0;
	case IKE_PL_DELETE:
		if (pl->u.del.n_spi > 64)
			return false;
		for (i = 0; i < pl->u.del.n_spi; i++)
			spis[i] = ike_delete_spi(&pl->u.del, i);
		return ike_build_delete(b, pl->u.del.proto, spis,
					pl->u.del.n_spi) == 0;
	case IKE_PL_VENDOR:
		return ike_build_vendor(b, pl->u.vendor.p,
					pl->u.vendor.len) == 0;
	case IKE_PL_TSI:
	case IKE_PL_TSR:
		n = ike_ts_all(&pl->u.ts, ts, IKE_TS_MAX);
		for (i = 0; i < n; i++)
			if (ts[i].type != IKE_TS_IPV4_ADDR_RANGE &&
			    ts[i].type != IKE_TS_IPV6_ADDR_RANGE)
				return false;
		return ike_build_ts(b, pl->type, ts, n) == 0;
	case IKE_PL_CP:
		return ike_build_cp(b, pl->u.cp.cfg_type, pl->u.cp.attrs.p,
				    pl->u.cp.attrs.len) == 0;
	default:
		return ike_build_raw(b, pl->type, false, pl->body.p,
				     pl->body.len) == 0;
	}
}

static void
same_bytes(const struct ike_bytes *a, const struct ike_bytes *b)
{
	if (a->len != b->len || (a->len != 0 && memcmp(a->p, b->p, a->len)))
		abort();
}

static void
compare(const struct ike_payload *a, const struct ike_payload *b)
{
	struct ike_proposal pa, pb;
	struct ike_sa_iter ia, ib;
	struct ike_ts ta, tb;
	unsigned int i;

	if (a->type != b->type || a->critical != b->critical)
		abort();
	switch (a->type) {
	case IKE_PL_SA:
		if (a->u.sa.n_props != b->u.sa.n_props)
			abort();
		ike_sa_iter_init(&ia, &a->u.sa);
		ike_sa_iter_init(&ib, &b->u.sa);
		while (ike_sa_next(&ia, &pa)) {
			if (!ike_sa_next(&ib, &pb))
				abort();
			if (pa.num != pb.num || pa.proto != pb.proto ||
			    pa.spi_size != pb.spi_size ||
			    memcmp(pa.spi, pb.spi, pa.spi_size) != 0 ||
			    pa.n_xforms != pb.n_xforms)
				abort();
			for (i = 0; i < pa.n_xforms; i++)
				if (pa.xforms[i].type != pb.xforms[i].type ||
				    pa.xforms[i].id != pb.xforms[i].id ||
				    pa.xforms[i].key_len !=
				    pb.xforms[i].key_len)
					abort();
		}
		break;
	case IKE_PL_KE:
		if (a->u.ke.group != b->u.ke.group)
			abort();
		same_bytes(&a->u.ke.data, &b->u.ke.data);
		break;
	case IKE_PL_NOTIFY:
		if (a->u.notify.type != b->u.notify.type ||
		    a->u.notify.proto != b->u.notify.proto)
			abort();
		same_bytes(&a->u.notify.spi, &b->u.notify.spi);
		same_bytes(&a->u.notify.data, &b->u.notify.data);
		break;
	case IKE_PL_TSI:
	case IKE_PL_TSR:
		if (a->u.ts.n_ts != b->u.ts.n_ts)
			abort();
		for (i = 0; i < a->u.ts.n_ts; i++) {
			ike_ts_get(&a->u.ts, i, &ta);
			ike_ts_get(&b->u.ts, i, &tb);
			if (memcmp(&ta, &tb, sizeof(ta)) != 0)
				abort();
		}
		break;
	case IKE_PL_DELETE:
		if (a->u.del.proto != b->u.del.proto ||
		    a->u.del.n_spi != b->u.del.n_spi)
			abort();
		same_bytes(&a->u.del.spis, &b->u.del.spis);
		break;
	default:
		/* Reserved bytes are not kept: IDs, AUTH and CP compare
		 * through their data, the rest whole. */
		if (a->type == IKE_PL_IDI || a->type == IKE_PL_IDR)
			same_bytes(&a->u.id.data, &b->u.id.data);
		else if (a->type == IKE_PL_AUTH)
			same_bytes(&a->u.auth.data, &b->u.auth.data);
		else if (a->type == IKE_PL_CP)
			same_bytes(&a->u.cp.attrs, &b->u.cp.attrs);
		else
			same_bytes(&a->body, &b->body);
		break;
	}
}

static void
round_trip(const struct ike_msg *m)
{
	static uint8_t buf[70000];
	struct ike_builder b;
	struct ike_msg again;
	const char *why;
	unsigned int i;
	int n;

	if (m->sk.present || m->n_skipped != 0)
		return;
	ike_build_init(&b, buf, sizeof(buf), &m->hdr);
	for (i = 0; i < m->n_pl; i++)
		if (!rebuild(&b, &m->pl[i]))
			return;
	n = ike_build_finish(&b);
	if (n < 0)
		abort();
	if (ike_msg_decode(buf, (size_t)n, &again, &why) != 0)
		abort();
	if (again.n_pl != m->n_pl || again.hdr.msg_id != m->hdr.msg_id ||
	    again.hdr.spi_i != m->hdr.spi_i ||
	    again.hdr.exchange != m->hdr.exchange ||
	    again.hdr.flags != m->hdr.flags)
		abort();
	for (i = 0; i < m->n_pl; i++)
		compare(&m->pl[i], &again.pl[i]);
}

static void
try_sk(const uint8_t *data, size_t size, struct ike_msg *m)
{
	static uint8_t plain[70000];
	struct ike_sa_keys k;
	struct ike_sk_ctx c;
	struct ike_msg inner;
	const char *why;
	size_t plen;
	int i;

	for (i = 0; i < 2; i++) {
		memset(&k, 0x5c, sizeof(k));
		k.algs.encr = i == 0 ? IKE_ENCR_AES_CBC : IKE_ENCR_AES_GCM_16;
		k.algs.encr_bits = 128;
		k.algs.integ = i == 0 ? IKE_INTEG_HMAC_SHA2_256_128 :
			IKE_INTEG_NONE;
		k.e_len = (uint8_t)ike_encr_key_len(k.algs.encr, 128);
		k.a_len = (uint8_t)ike_integ_key_len(k.algs.integ);
		ike_sk_ctx_init(&c, ike_crypto_openssl(), &k, false, false,
				NULL);
		if (ike_sk_open(&c, data, size, m, plain, sizeof(plain),
				&plen, &why) == 0 && plen > m->sk.body_len)
			abort();
	}
	/* The body as if it were the decrypted chain. */
	inner = *m;
	if (ike_msg_decode_inner(&inner, data + m->sk.body_off,
				 m->sk.body_len, &why) == 0)
		exercise_views(&inner);
	else if (inner.n_pl != m->n_pl)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ike_msg m;
	const char *why = NULL;
	int rc;

	if (!ready)
		setup();
	rc = ike_msg_decode(data, size, &m, &why);
	if (rc != 0) {
		if (why == NULL || m.n_pl != 0 || m.sk.present)
			abort();
		return 0;
	}
	exercise_views(&m);
	round_trip(&m);
	if (m.sk.present)
		try_sk(data, size, &m);
	return 0;
}
