/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/ike message codec: every payload type through the builder and the
 * decoder and back, against hand-assembled bytes; truncation at every
 * length (each time in a buffer of exactly that size, so ASan sees any
 * over-read); bad generic and inner lengths; the RFC 7296 2.5 rules for
 * unknown payloads (critical: rejected with its type; not critical:
 * skipped); version, SK and SKF framing; the builder at every capacity.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ike_msg.h"
#include "tw_compiler.h"

#define SPI_I 0x0102030405060708ull
#define SPI_R 0x1112131415161718ull

static const uint8_t ke_data[64] = { 1, 2, 3, 4, 5 };
static const uint8_t nonce[32] = { 0xaa, 0xbb, 0xcc };
static const uint8_t auth_data[32] = { 0x42 };
static const uint8_t cert_data[] = { 0x30, 0x82, 0x01, 0x00 };
static const uint8_t vid[] = "twinsec test vendor";
static const uint8_t natd[20] = { 9, 8, 7 };
static const uint8_t cp_attrs[] = { 0x00, 0x01, 0x00, 0x00 }; /* IP4 addr */
static const uint8_t eap[] = { 1, 1, 0, 4 };
static const char fqdn[] = "gw.example";
static const uint8_t ipv4[4] = { 192, 0, 2, 1 };
static const uint32_t esp_spis[3] = { 0x1000, 0xdeadbeef, 0xffffffff };

static struct ike_proposal props[2];
static struct ike_ts tsi[2], tsr[1];

static void
setup_props(void)
{
	struct ike_proposal *p = &props[0];
	uint8_t spi[4] = { 0xc0, 0x01, 0xca, 0xfe };

	memset(props, 0, sizeof(props));
	p->num = 1;
	p->proto = IKE_PROTO_IKE;
	p->n_xforms = 6;
	p->xforms[0] = (struct ike_xform){ IKE_XF_ENCR, IKE_ENCR_AES_CBC, 256,
					   false };
	p->xforms[1] = (struct ike_xform){ IKE_XF_ENCR, IKE_ENCR_AES_GCM_16,
					   128, false };
	p->xforms[2] = (struct ike_xform){ IKE_XF_PRF, IKE_PRF_HMAC_SHA2_256,
					   0, false };
	p->xforms[3] = (struct ike_xform){ IKE_XF_INTEG,
					   IKE_INTEG_HMAC_SHA2_256_128, 0,
					   false };
	p->xforms[4] = (struct ike_xform){ IKE_XF_DH, IKE_DH_ECP_256, 0,
					   false };
	p->xforms[5] = (struct ike_xform){ IKE_XF_DH, IKE_DH_CURVE25519, 0,
					   false };
	p = &props[1];
	p->num = 2;
	p->proto = IKE_PROTO_ESP;
	p->spi_size = 4;
	memcpy(p->spi, spi, 4);
	p->n_xforms = 2;
	p->xforms[0] = (struct ike_xform){ IKE_XF_ENCR, IKE_ENCR_AES_GCM_16,
					   256, false };
	p->xforms[1] = (struct ike_xform){ IKE_XF_ESN, IKE_ESN_NO, 0, false };

	memset(tsi, 0, sizeof(tsi));
	memset(tsr, 0, sizeof(tsr));
	tsi[0] = (struct ike_ts){ .type = IKE_TS_IPV4_ADDR_RANGE, .proto = 6,
				  .port_lo = 0, .port_hi = 65535,
				  .addr4_lo = 0x0a000000,
				  .addr4_hi = 0x0a0000ff };
	tsi[1].type = IKE_TS_IPV6_ADDR_RANGE;
	tsi[1].port_hi = 65535;
	memset(tsi[1].addr6_hi, 0xff, 16);
	tsi[1].addr6_lo[0] = 0x20;
	tsr[0] = (struct ike_ts){ .type = IKE_TS_IPV4_ADDR_RANGE, .proto = 17,
				  .port_lo = 500, .port_hi = 4500,
				  .addr4_lo = 0xc0a80000,
				  .addr4_hi = 0xc0a8ffff };
}

static struct ike_hdr
hdr(uint8_t exch, uint8_t flags, uint32_t id)
{
	struct ike_hdr h;

	memset(&h, 0, sizeof(h));
	h.spi_i = SPI_I;
	h.spi_r = SPI_R;
	h.exchange = exch;
	h.flags = flags;
	h.msg_id = id;
	return h;
}

/* The message with every clear payload type, in order. */
#define N_ALL 19
static int
build_all(uint8_t *buf, size_t cap)
{
	struct ike_hdr h = hdr(IKE_EXCH_INFORMATIONAL, IKE_FLAG_INITIATOR, 7);
	struct ike_builder b;
	uint8_t nspi[4] = { 0, 0, 0x10, 0 };

	ike_build_init(&b, buf, cap, &h);
	ike_build_sa(&b, props, 2);
	ike_build_ke(&b, IKE_DH_ECP_256, ke_data, sizeof(ke_data));
	ike_build_id(&b, IKE_PL_IDI, IKE_ID_FQDN, (const uint8_t *)fqdn,
		     strlen(fqdn));
	ike_build_id(&b, IKE_PL_IDR, IKE_ID_IPV4_ADDR, ipv4, 4);
	ike_build_cert(&b, IKE_PL_CERT, IKE_CERT_X509_SIG, cert_data,
		       sizeof(cert_data));
	ike_build_cert(&b, IKE_PL_CERTREQ, IKE_CERT_X509_SIG, NULL, 0);
	ike_build_auth(&b, IKE_AUTH_PSK, auth_data, sizeof(auth_data));
	ike_build_nonce(&b, nonce, sizeof(nonce));
	ike_build_notify(&b, IKE_PROTO_NONE, NULL, 0,
			 IKE_N_NAT_DETECTION_SOURCE_IP, natd, sizeof(natd));
	ike_build_notify(&b, IKE_PROTO_ESP, nspi, 4, IKE_N_REKEY_SA, NULL, 0);
	ike_build_notify(&b, IKE_PROTO_NONE, NULL, 0, IKE_N_INITIAL_CONTACT,
			 NULL, 0);
	ike_build_delete(&b, IKE_PROTO_IKE, NULL, 0);
	ike_build_delete(&b, IKE_PROTO_ESP, esp_spis, 3);
	ike_build_vendor(&b, vid, sizeof(vid));
	ike_build_ts(&b, IKE_PL_TSI, tsi, 2);
	ike_build_ts(&b, IKE_PL_TSR, tsr, 1);
	ike_build_cp(&b, IKE_CFG_REQUEST, cp_attrs, sizeof(cp_attrs));
	ike_build_raw(&b, IKE_PL_EAP, false, eap, sizeof(eap));
	ike_build_raw(&b, IKE_PL_VENDOR, true, vid, 3); /* known + C bit */
	return ike_build_finish(&b);
}

static void
check_prop_equal(const struct ike_proposal *a, const struct ike_proposal *b)
{
	unsigned int i;

	assert_int_equal(a->num, b->num);
	assert_int_equal(a->proto, b->proto);
	assert_int_equal(a->spi_size, b->spi_size);
	assert_memory_equal(a->spi, b->spi, a->spi_size);
	assert_int_equal(a->n_xforms, b->n_xforms);
	for (i = 0; i < a->n_xforms; i++) {
		assert_int_equal(a->xforms[i].type, b->xforms[i].type);
		assert_int_equal(a->xforms[i].id, b->xforms[i].id);
		assert_int_equal(a->xforms[i].key_len, b->xforms[i].key_len);
		assert_false(b->xforms[i].unknown_attr);
	}
}

static void
check_all(const struct ike_msg *m)
{
	const struct ike_payload *pl = m->pl;
	struct ike_proposal p;
	struct ike_sa_iter it;
	struct ike_ts ts[IKE_TS_MAX];

	assert_int_equal(m->hdr.spi_i, SPI_I);
	assert_int_equal(m->hdr.spi_r, SPI_R);
	assert_int_equal(m->hdr.major, 2);
	assert_int_equal(m->hdr.minor, 0);
	assert_int_equal(m->hdr.exchange, IKE_EXCH_INFORMATIONAL);
	assert_int_equal(m->hdr.flags, IKE_FLAG_INITIATOR);
	assert_int_equal(m->hdr.msg_id, 7);
	assert_int_equal(m->n_pl, N_ALL);
	assert_int_equal(m->n_skipped, 0);
	assert_false(m->sk.present);

	assert_int_equal(pl[0].type, IKE_PL_SA);
	assert_int_equal(pl[0].u.sa.n_props, 2);
	ike_sa_iter_init(&it, &pl[0].u.sa);
	assert_true(ike_sa_next(&it, &p));
	check_prop_equal(&props[0], &p);
	assert_true(ike_sa_next(&it, &p));
	check_prop_equal(&props[1], &p);
	assert_false(ike_sa_next(&it, &p));

	assert_int_equal(pl[1].type, IKE_PL_KE);
	assert_int_equal(pl[1].u.ke.group, IKE_DH_ECP_256);
	assert_int_equal(pl[1].u.ke.data.len, sizeof(ke_data));
	assert_memory_equal(pl[1].u.ke.data.p, ke_data, sizeof(ke_data));

	assert_int_equal(pl[2].type, IKE_PL_IDI);
	assert_int_equal(pl[2].u.id.type, IKE_ID_FQDN);
	assert_int_equal(pl[2].u.id.data.len, strlen(fqdn));
	assert_memory_equal(pl[2].u.id.data.p, fqdn, strlen(fqdn));
	assert_int_equal(pl[2].u.id.body.len, 4 + strlen(fqdn));
	assert_int_equal(pl[3].type, IKE_PL_IDR);
	assert_int_equal(pl[3].u.id.type, IKE_ID_IPV4_ADDR);
	assert_memory_equal(pl[3].u.id.data.p, ipv4, 4);

	assert_int_equal(pl[4].type, IKE_PL_CERT);
	assert_int_equal(pl[4].u.cert.encoding, IKE_CERT_X509_SIG);
	assert_int_equal(pl[4].u.cert.data.len, sizeof(cert_data));
	assert_int_equal(pl[5].type, IKE_PL_CERTREQ);
	assert_int_equal(pl[5].u.cert.data.len, 0);

	assert_int_equal(pl[6].type, IKE_PL_AUTH);
	assert_int_equal(pl[6].u.auth.method, IKE_AUTH_PSK);
	assert_memory_equal(pl[6].u.auth.data.p, auth_data, 32);

	assert_int_equal(pl[7].type, IKE_PL_NONCE);
	assert_int_equal(pl[7].u.nonce.len, sizeof(nonce));
	assert_memory_equal(pl[7].u.nonce.p, nonce, sizeof(nonce));

	assert_int_equal(pl[8].u.notify.type, IKE_N_NAT_DETECTION_SOURCE_IP);
	assert_int_equal(pl[8].u.notify.spi_size, 0);
	assert_int_equal(pl[8].u.notify.data.len, 20);
	assert_memory_equal(pl[8].u.notify.data.p, natd, 20);
	assert_int_equal(pl[9].u.notify.type, IKE_N_REKEY_SA);
	assert_int_equal(pl[9].u.notify.proto, IKE_PROTO_ESP);
	assert_int_equal(pl[9].u.notify.spi.len, 4);
	assert_int_equal(pl[9].u.notify.spi.p[2], 0x10);
	assert_int_equal(pl[9].u.notify.data.len, 0);
	assert_ptr_equal(ike_msg_notify(m, IKE_N_INITIAL_CONTACT), &pl[10]);
	assert_null(ike_msg_notify(m, IKE_N_COOKIE));

	assert_int_equal(pl[11].u.del.proto, IKE_PROTO_IKE);
	assert_int_equal(pl[11].u.del.n_spi, 0);
	assert_int_equal(pl[12].u.del.proto, IKE_PROTO_ESP);
	assert_int_equal(pl[12].u.del.n_spi, 3);
	assert_int_equal(ike_delete_spi(&pl[12].u.del, 0), 0x1000);
	assert_int_equal(ike_delete_spi(&pl[12].u.del, 1), 0xdeadbeef);
	assert_int_equal(ike_delete_spi(&pl[12].u.del, 2), 0xffffffff);
	assert_int_equal(ike_delete_spi(&pl[12].u.del, 3), 0);

	assert_int_equal(pl[13].type, IKE_PL_VENDOR);
	assert_int_equal(pl[13].u.vendor.len, sizeof(vid));

	assert_int_equal(pl[14].type, IKE_PL_TSI);
	assert_int_equal(ike_ts_all(&pl[14].u.ts, ts, IKE_TS_MAX), 2);
	assert_memory_equal(&ts[0], &tsi[0], sizeof(ts[0]));
	assert_memory_equal(&ts[1], &tsi[1], sizeof(ts[1]));
	assert_int_equal(pl[15].type, IKE_PL_TSR);
	assert_int_equal(ike_ts_all(&pl[15].u.ts, ts, IKE_TS_MAX), 1);
	assert_memory_equal(&ts[0], &tsr[0], sizeof(ts[0]));

	assert_int_equal(pl[16].type, IKE_PL_CP);
	assert_int_equal(pl[16].u.cp.cfg_type, IKE_CFG_REQUEST);
	assert_int_equal(pl[16].u.cp.n_attrs, 1);
	assert_int_equal(pl[17].type, IKE_PL_EAP);
	assert_int_equal(pl[17].u.eap.len, sizeof(eap));
	/* A known payload with the C bit is just decoded (RFC 7296 2.5). */
	assert_int_equal(pl[18].type, IKE_PL_VENDOR);
	assert_true(pl[18].critical);
}

static void
test_round_trip_all(void **state TW_UNUSED)
{
	uint8_t buf[2048];
	struct ike_msg m;
	const char *why = NULL;
	int n;

	setup_props();
	n = build_all(buf, sizeof(buf));
	assert_true(n > 0);
	assert_int_equal(ike_msg_decode(buf, (size_t)n, &m, &why), 0);
	check_all(&m);
}

/* Hand-assembled: header + Nonce + N(COOKIE), checked byte for byte. */
static void
test_exact_bytes(void **state TW_UNUSED)
{
	static const uint8_t want[] = {
		1, 2, 3, 4, 5, 6, 7, 8, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16,
		0x17, 0x18,
		40, 0x20, 34, 0x08, 0, 0, 0, 0, 0, 0, 0, 28 + 20 + 12,
		/* Nonce: next N, 16 bytes of 0x5a */
		41, 0, 0, 20,
		0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a,
		0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a,
		/* N(COOKIE) with 4 bytes of data */
		0, 0, 0, 12, 0, 0, 0x40, 0x06, 0xc0, 0x0c, 0x1e, 0x00,
	};
	static const uint8_t cookie[4] = { 0xc0, 0x0c, 0x1e, 0x00 };
	struct ike_hdr h = hdr(IKE_EXCH_SA_INIT, IKE_FLAG_INITIATOR, 0);
	uint8_t buf[256], n16[16];
	struct ike_builder b;
	struct ike_msg m;
	const char *why;

	memset(n16, 0x5a, sizeof(n16));
	ike_build_init(&b, buf, sizeof(buf), &h);
	ike_build_nonce(&b, n16, 16);
	ike_build_notify(&b, 0, NULL, 0, IKE_N_COOKIE, cookie, 4);
	assert_int_equal(ike_build_finish(&b), sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));
	assert_int_equal(ike_msg_decode(want, sizeof(want), &m, &why), 0);
	assert_int_equal(m.n_pl, 2);
	assert_int_equal(m.pl[1].u.notify.type, IKE_N_COOKIE);
	assert_string_equal(ike_notify_name(m.pl[1].u.notify.type), "COOKIE");
}

/*
 * Every shorter length, with the header's Length set to match so the
 * payload walk itself meets the end: never 0, never an over-read.
 */
static void
test_truncation(void **state TW_UNUSED)
{
	uint8_t full[2048], *cut;
	struct ike_msg m;
	const char *why;
	size_t len;
	int n;

	setup_props();
	n = build_all(full, sizeof(full));
	assert_true(n > 0);
	for (len = 0; len < (size_t)n; len++) {
		cut = malloc(len ? len : 1);
		assert_non_null(cut);
		memcpy(cut, full, len);
		if (len >= IKE_HDR_LEN) {
			cut[24] = (uint8_t)(len >> 24);
			cut[25] = (uint8_t)(len >> 16);
			cut[26] = (uint8_t)(len >> 8);
			cut[27] = (uint8_t)len;
		}
		why = NULL;
		assert_int_not_equal(ike_msg_decode(cut, len, &m, &why), 0);
		assert_non_null(why);
		assert_int_equal(m.n_pl, 0);
		/* Unpatched header: the datagram is shorter than it says. */
		if (len >= IKE_HDR_LEN) {
			memcpy(cut, full, IKE_HDR_LEN);
			assert_int_equal(ike_msg_decode(cut, len, &m, &why),
					 -EINVAL);
		}
		free(cut);
	}
	/* Longer than the header says. */
	full[n] = 0;
	assert_int_equal(ike_msg_decode(full, (size_t)n + 1, &m, &why),
			 -EINVAL);
}

/* Each payload's generic length off by -1, +1, and absurd values. */
static void
test_bad_generic_lengths(void **state TW_UNUSED)
{
	static const int deltas[] = { -1, 1, -4 };
	uint8_t full[2048], buf[2048];
	struct ike_msg m;
	const char *why;
	size_t off, plen;
	unsigned int i, k;
	int n;

	setup_props();
	n = build_all(full, sizeof(full));
	assert_true(n > 0);
	for (off = IKE_HDR_LEN, i = 0; off < (size_t)n; off += plen, i++) {
		plen = (size_t)full[off + 2] << 8 | full[off + 3];
		for (k = 0; k < 3 + 3; k++) {
			size_t bad;

			memcpy(buf, full, (size_t)n);
			if (k < 3)
				bad = plen + deltas[k];
			else
				bad = k == 3 ? 0 : k == 4 ? 3 : 0xffff;
			buf[off + 2] = (uint8_t)(bad >> 8);
			buf[off + 3] = (uint8_t)bad;
			assert_int_not_equal(ike_msg_decode(buf, (size_t)n, &m,
							    &why), 0);
		}
	}
	assert_int_equal(i, N_ALL);
}

/* Raw message: header then the given payload bytes. The views in *m
 * point into a static buffer, valid until the next call. */
static int
decode_raw(const uint8_t first, const uint8_t *pl, size_t len,
	   struct ike_msg *m, const char **why)
{
	static uint8_t buf[1024];
	size_t total = IKE_HDR_LEN + len;

	memset(buf, 0, IKE_HDR_LEN);
	buf[16] = first;
	buf[17] = 0x20;
	buf[18] = IKE_EXCH_AUTH;
	buf[26] = (uint8_t)(total >> 8);
	buf[27] = (uint8_t)total;
	memcpy(buf + IKE_HDR_LEN, pl, len);
	return ike_msg_decode(buf, total, m, why);
}

struct bad_body {
	uint8_t type;
	uint8_t body[64];
	size_t len;
	int rc;
};

/* Inner inconsistencies of each payload type. */
static const struct bad_body bad_bodies[] = {
	/* SA: empty */
	{ IKE_PL_SA, { 0 }, 0, -EINVAL },
	/* SA: proposal says "more" but is the last */
	{ IKE_PL_SA, { 2, 0, 0, 16, 1, 1, 0, 1,
		       0, 0, 0, 8, 1, 0, 0, 12 }, 16, -EINVAL },
	/* SA: transform count 2, one present */
	{ IKE_PL_SA, { 0, 0, 0, 16, 1, 1, 0, 2,
		       0, 0, 0, 8, 1, 0, 0, 12 }, 16, -EINVAL },
	/* SA: transform says "more" but is the last */
	{ IKE_PL_SA, { 0, 0, 0, 16, 1, 1, 0, 1,
		       3, 0, 0, 8, 1, 0, 0, 12 }, 16, -EINVAL },
	/* SA: proposal number 0 */
	{ IKE_PL_SA, { 0, 0, 0, 16, 0, 1, 0, 1,
		       0, 0, 0, 8, 1, 0, 0, 12 }, 16, -EINVAL },
	/* SA: ESP with SPI size 0 */
	{ IKE_PL_SA, { 0, 0, 0, 16, 1, 3, 0, 1,
		       0, 0, 0, 8, 1, 0, 0, 12 }, 16, -EINVAL },
	/* SA: unknown protocol 9 */
	{ IKE_PL_SA, { 0, 0, 0, 16, 1, 9, 0, 1,
		       0, 0, 0, 8, 1, 0, 0, 12 }, 16, -EINVAL },
	/* SA: no transforms */
	{ IKE_PL_SA, { 0, 0, 0, 8, 1, 1, 0, 0 }, 8, -EINVAL },
	/* SA: truncated attribute (2 of 4 bytes) */
	{ IKE_PL_SA, { 0, 0, 0, 18, 1, 1, 0, 1,
		       0, 0, 0, 10, 1, 0, 0, 12, 0x80, 14 }, 18, -EINVAL },
	/* SA: TLV attribute running past its transform */
	{ IKE_PL_SA, { 0, 0, 0, 20, 1, 1, 0, 1,
		       0, 0, 0, 12, 1, 0, 0, 12, 0, 99, 0, 9 }, 20, -EINVAL },
	/* SA: Key Length in TLV form */
	{ IKE_PL_SA, { 0, 0, 0, 22, 1, 1, 0, 1,
		       0, 0, 0, 14, 1, 0, 0, 12, 0, 14, 0, 2, 1, 0 }, 22,
	  -EINVAL },
	/* SA: two Key Lengths */
	{ IKE_PL_SA, { 0, 0, 0, 24, 1, 1, 0, 1,
		       0, 0, 0, 16, 1, 0, 0, 12, 0x80, 14, 0, 128, 0x80, 14,
		       1, 0 }, 24, -EINVAL },
	/* SA: proposal numbers not increasing */
	{ IKE_PL_SA, { 2, 0, 0, 16, 2, 1, 0, 1, 0, 0, 0, 8, 1, 0, 0, 12,
		       0, 0, 0, 16, 1, 1, 0, 1, 0, 0, 0, 8, 1, 0, 0, 12 },
	  32, -EINVAL },
	/* SA: proposal length beyond the payload */
	{ IKE_PL_SA, { 0, 0, 0, 40, 1, 1, 0, 1,
		       0, 0, 0, 8, 1, 0, 0, 12 }, 16, -EINVAL },
	/* SA: 65 transforms (more than we accept) */
	{ IKE_PL_SA, { 0, 0, 0, 16, 1, 1, 0, 65,
		       0, 0, 0, 8, 1, 0, 0, 12 }, 16, -E2BIG },
	/* KE: no data */
	{ IKE_PL_KE, { 0, 19, 0, 0 }, 4, -EINVAL },
	/* ID: IPv4 of 3 bytes; no data */
	{ IKE_PL_IDI, { 1, 0, 0, 0, 10, 0, 0 }, 7, -EINVAL },
	{ IKE_PL_IDR, { 2, 0, 0, 0 }, 4, -EINVAL },
	{ IKE_PL_IDI, { 5, 0, 0, 0, 1, 2, 3, 4 }, 8, -EINVAL },
	/* AUTH: no data */
	{ IKE_PL_AUTH, { 2, 0, 0, 0 }, 4, -EINVAL },
	/* CERT: nothing */
	{ IKE_PL_CERT, { 0 }, 0, -EINVAL },
	/* Nonce: 15 bytes */
	{ IKE_PL_NONCE, { 0 }, 15, -EINVAL },
	/* Notify: SPI size 3; SPI past the end; SPI with protocol 7 or
	 * none; short. (Without an SPI the protocol is ignored.) */
	{ IKE_PL_NOTIFY, { 3, 3, 0, 11, 1, 2, 3 }, 7, -EINVAL },
	{ IKE_PL_NOTIFY, { 3, 4, 0, 11, 1, 2 }, 6, -EINVAL },
	{ IKE_PL_NOTIFY, { 7, 4, 0, 11, 1, 2, 3, 4 }, 8, -EINVAL },
	{ IKE_PL_NOTIFY, { 0, 4, 0, 11, 1, 2, 3, 4 }, 8, -EINVAL },
	{ IKE_PL_NOTIFY, { 0, 0, 0 }, 3, -EINVAL },
	/* Delete: IKE with SPIs; ESP count mismatch; ESP size 8; none */
	{ IKE_PL_DELETE, { 1, 0, 0, 1 }, 4, -EINVAL },
	{ IKE_PL_DELETE, { 3, 4, 0, 2, 0, 0, 1, 0 }, 8, -EINVAL },
	{ IKE_PL_DELETE, { 3, 8, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0 }, 12,
	  -EINVAL },
	{ IKE_PL_DELETE, { 3, 4, 0, 0 }, 4, -EINVAL },
	{ IKE_PL_DELETE, { 9, 4, 0, 1, 0, 0, 1, 0 }, 8, -EINVAL },
	/* TS: zero selectors; v4 selector of 15; count 2 with 1 present;
	 * trailing bytes; 17 selectors */
	{ IKE_PL_TSI, { 0, 0, 0, 0 }, 4, -EINVAL },
	{ IKE_PL_TSI, { 1, 0, 0, 0, 7, 0, 0, 15, 0, 0, 0xff, 0xff,
			10, 0, 0, 0, 10, 0, 0 }, 19, -EINVAL },
	{ IKE_PL_TSR, { 2, 0, 0, 0, 7, 0, 0, 16, 0, 0, 0xff, 0xff,
			10, 0, 0, 0, 10, 0, 0, 9 }, 20, -EINVAL },
	{ IKE_PL_TSR, { 1, 0, 0, 0, 7, 0, 0, 16, 0, 0, 0xff, 0xff,
			10, 0, 0, 0, 10, 0, 0, 9, 0 }, 21, -EINVAL },
	{ IKE_PL_TSR, { 17, 0, 0, 0 }, 4, -E2BIG },
	/* CP: attribute longer than the payload */
	{ IKE_PL_CP, { 1, 0, 0, 0, 0, 1, 0, 4, 1, 2 }, 10, -EINVAL },
};

static void
test_bad_bodies(void **state TW_UNUSED)
{
	uint8_t pl[128];
	struct ike_msg m;
	const char *why;
	unsigned int i;

	for (i = 0; i < sizeof(bad_bodies) / sizeof(bad_bodies[0]); i++) {
		const struct bad_body *b = &bad_bodies[i];

		pl[0] = 0;
		pl[1] = 0;
		pl[2] = (uint8_t)((b->len + 4) >> 8);
		pl[3] = (uint8_t)(b->len + 4);
		memcpy(pl + 4, b->body, b->len);
		why = NULL;
		if (decode_raw(b->type, pl, b->len + 4, &m, &why) != b->rc)
			fail_msg("bad body %u (%s): got other than %d (%s)", i,
				 ike_payload_name(b->type), b->rc,
				 why ? why : "-");
		assert_non_null(why);
	}
}

/* An unknown attribute marks its transform; an unknown transform type
 * and an IPv6/unknown TS type still decode (matching rejects them). */
static void
test_unknown_inside(void **state TW_UNUSED)
{
	static const uint8_t sa[] = {
		0, 0, 0, 36,
		0, 0, 0, 32, 1, 1, 0, 2,
		3, 0, 0, 12, 1, 0, 0, 12, 0x80, 99, 0, 1,
		0, 0, 0, 12, 77, 0, 0, 5, 0x80, 14, 1, 0,
	};
	static const uint8_t ts[] = {
		0, 0, 0, 4 + 4 + 12,
		1, 0, 0, 0, 99, 6, 0, 12, 0, 80, 0, 80, 1, 2, 3, 4,
	};
	struct ike_proposal p;
	struct ike_sa_iter it;
	struct ike_ts t;
	struct ike_msg m;
	const char *why;

	assert_int_equal(decode_raw(IKE_PL_SA, sa, sizeof(sa), &m, &why), 0);
	ike_sa_iter_init(&it, &m.pl[0].u.sa);
	assert_true(ike_sa_next(&it, &p));
	assert_int_equal(p.n_xforms, 2);
	assert_true(p.xforms[0].unknown_attr);
	assert_int_equal(p.xforms[1].type, 77);
	assert_int_equal(p.xforms[1].key_len, 256);
	assert_false(p.xforms[1].unknown_attr);

	/* A Notify without SPI: its Protocol ID is ignored (3.10). */
	{
		static const uint8_t n[] = { 0, 0, 0, 8, 7, 0, 0x40, 0x00 };

		assert_int_equal(decode_raw(IKE_PL_NOTIFY, n, sizeof(n), &m,
					    &why), 0);
		assert_int_equal(m.pl[0].u.notify.type, IKE_N_INITIAL_CONTACT);
	}

	assert_int_equal(decode_raw(IKE_PL_TSI, ts, sizeof(ts), &m, &why), 0);
	ike_ts_get(&m.pl[0].u.ts, 0, &t);
	assert_int_equal(t.type, 99);
	assert_int_equal(t.proto, 6);
	assert_int_equal(t.port_lo, 80);
	assert_int_equal(t.addr4_lo, 0);
}

static void
test_critical(void **state TW_UNUSED)
{
	struct ike_hdr h = hdr(IKE_EXCH_AUTH, 0, 1);
	uint8_t buf[256], body[8] = { 1, 2, 3 };
	struct ike_builder b;
	struct ike_msg m;
	const char *why;
	int n;

	/* Unknown (99) with C set: the message is rejected, type reported. */
	ike_build_init(&b, buf, sizeof(buf), &h);
	ike_build_nonce(&b, nonce, 16);
	ike_build_raw(&b, 99, true, body, sizeof(body));
	ike_build_notify(&b, 0, NULL, 0, IKE_N_INITIAL_CONTACT, NULL, 0);
	n = ike_build_finish(&b);
	assert_true(n > 0);
	assert_int_equal(ike_msg_decode(buf, (size_t)n, &m, &why), -ENOTSUP);
	assert_int_equal(m.unsup_critical, 99);
	assert_int_equal(m.n_pl, 0);
	assert_int_equal(m.hdr.msg_id, 1);

	/* Without C: skipped, the rest decoded. */
	ike_build_init(&b, buf, sizeof(buf), &h);
	ike_build_nonce(&b, nonce, 16);
	ike_build_raw(&b, 99, false, body, sizeof(body));
	ike_build_raw(&b, 200, false, NULL, 0);
	ike_build_notify(&b, 0, NULL, 0, IKE_N_INITIAL_CONTACT, NULL, 0);
	n = ike_build_finish(&b);
	assert_int_equal(ike_msg_decode(buf, (size_t)n, &m, &why), 0);
	assert_int_equal(m.n_skipped, 2);
	assert_int_equal(m.n_pl, 2);
	assert_int_equal(m.unsup_critical, 0);
	assert_int_equal(m.pl[1].u.notify.type, IKE_N_INITIAL_CONTACT);
}

static void
test_header(void **state TW_UNUSED)
{
	struct ike_hdr h = hdr(IKE_EXCH_SA_INIT, IKE_FLAG_RESPONSE, 0), d;
	uint8_t buf[64];
	struct ike_builder b;
	struct ike_msg m;
	const char *why;
	int n;

	ike_build_init(&b, buf, sizeof(buf), &h);
	n = ike_build_finish(&b);
	assert_int_equal(n, IKE_HDR_LEN);
	assert_int_equal(ike_msg_decode(buf, IKE_HDR_LEN, &m, &why), 0);
	assert_int_equal(m.n_pl, 0);
	assert_int_equal(m.hdr.flags, IKE_FLAG_RESPONSE);

	/* Minor version ignored; major 3 refused with the header kept. */
	buf[17] = 0x21;
	assert_int_equal(ike_msg_decode(buf, IKE_HDR_LEN, &m, &why), 0);
	buf[17] = 0x30;
	assert_int_equal(ike_msg_decode(buf, IKE_HDR_LEN, &m, &why),
			 -EPROTONOSUPPORT);
	assert_int_equal(m.hdr.major, 3);
	assert_int_equal(m.hdr.spi_i, SPI_I);
	assert_int_equal(ike_hdr_decode(buf, IKE_HDR_LEN, &d, &why),
			 -EPROTONOSUPPORT);
	buf[17] = 0x20;
	/* Header length below 28. */
	buf[27] = 27;
	assert_int_equal(ike_hdr_decode(buf, IKE_HDR_LEN, &d, &why), -EINVAL);
	assert_int_equal(ike_hdr_decode(buf, 10, &d, &why), -EINVAL);
}

static void
test_sk_framing(void **state TW_UNUSED)
{
	struct ike_hdr h = hdr(IKE_EXCH_AUTH, IKE_FLAG_INITIATOR, 1);
	uint8_t buf[256], body[40];
	struct ike_builder b;
	struct ike_msg m;
	const char *why;
	int n;

	memset(body, 0x33, sizeof(body));
	/* SK as the last payload: present, first inner type from its
	 * Next Payload field, body to the end. */
	ike_build_init(&b, buf, sizeof(buf), &h);
	ike_build_vendor(&b, vid, 4);
	ike_build_raw(&b, IKE_PL_SK, false, body, sizeof(body));
	n = ike_build_finish(&b);
	buf[IKE_HDR_LEN + 8] = IKE_PL_IDI; /* SK's Next Payload */
	assert_int_equal(ike_msg_decode(buf, (size_t)n, &m, &why), 0);
	assert_true(m.sk.present);
	assert_int_equal(m.sk.first_inner, IKE_PL_IDI);
	assert_int_equal(m.sk.hdr_off, IKE_HDR_LEN + 8);
	assert_int_equal(m.sk.body_off, IKE_HDR_LEN + 12);
	assert_int_equal(m.sk.body_len, sizeof(body));
	assert_int_equal(m.n_pl, 1);

	/* Inner payloads appended after decryption; a failure keeps m. */
	{
		uint8_t inner[64];
		struct ike_builder ib;
		struct ike_hdr ih = hdr(0, 0, 0);

		ike_build_init(&ib, inner, sizeof(inner), &ih);
		ike_build_id(&ib, IKE_PL_IDI, IKE_ID_KEY_ID, vid, 5);
		ike_build_notify(&ib, 0, NULL, 0, IKE_N_INITIAL_CONTACT,
				 NULL, 0);
		assert_true(ike_build_finish(&ib) > 0);
		assert_int_equal(ike_msg_decode_inner(&m, inner + IKE_HDR_LEN,
						      ib.off - IKE_HDR_LEN,
						      &why), 0);
		assert_int_equal(m.n_pl, 3);
		assert_true(m.pl[1].inner);
		assert_int_equal(m.pl[1].u.id.type, IKE_ID_KEY_ID);
		assert_int_equal(ike_msg_decode_inner(&m, inner + IKE_HDR_LEN,
						      ib.off - IKE_HDR_LEN - 1,
						      &why), -EINVAL);
		assert_int_equal(m.n_pl, 3);
	}

	/* SK not last. */
	ike_build_init(&b, buf, sizeof(buf), &h);
	ike_build_raw(&b, IKE_PL_SK, false, body, sizeof(body));
	ike_build_vendor(&b, vid, 4);
	n = ike_build_finish(&b);
	assert_int_equal(ike_msg_decode(buf, (size_t)n, &m, &why), -EINVAL);

	/* Empty SK. */
	ike_build_init(&b, buf, sizeof(buf), &h);
	ike_build_raw(&b, IKE_PL_SK, false, NULL, 0);
	n = ike_build_finish(&b);
	assert_int_equal(ike_msg_decode(buf, (size_t)n, &m, &why), -EINVAL);

	/* SKF (RFC 7383): recognised and refused. */
	ike_build_init(&b, buf, sizeof(buf), &h);
	ike_build_raw(&b, IKE_PL_SKF, false, body, sizeof(body));
	n = ike_build_finish(&b);
	assert_int_equal(ike_msg_decode(buf, (size_t)n, &m, &why), -ENOTSUP);
	assert_true(m.has_skf);
	assert_int_equal(m.unsup_critical, 0);
}

static void
test_too_many_payloads(void **state TW_UNUSED)
{
	struct ike_hdr h = hdr(IKE_EXCH_INFORMATIONAL, 0, 2);
	uint8_t buf[1024];
	struct ike_builder b;
	struct ike_msg m;
	const char *why;
	unsigned int i;
	int n;

	ike_build_init(&b, buf, sizeof(buf), &h);
	for (i = 0; i < IKE_MSG_MAX_PAYLOADS; i++)
		ike_build_notify(&b, 0, NULL, 0, IKE_N_INITIAL_CONTACT, NULL,
				 0);
	n = ike_build_finish(&b);
	assert_int_equal(ike_msg_decode(buf, (size_t)n, &m, &why), 0);
	assert_int_equal(m.n_pl, IKE_MSG_MAX_PAYLOADS);
	ike_build_init(&b, buf, sizeof(buf), &h);
	for (i = 0; i <= IKE_MSG_MAX_PAYLOADS; i++)
		ike_build_notify(&b, 0, NULL, 0, IKE_N_INITIAL_CONTACT, NULL,
				 0);
	n = ike_build_finish(&b);
	assert_int_equal(ike_msg_decode(buf, (size_t)n, &m, &why), -E2BIG);
}

/* At every capacity short of the message the builder says -ENOSPC and
 * never writes past it (ASan watches the exact-size buffer). */
static void
test_builder_bounds(void **state TW_UNUSED)
{
	uint8_t full[2048], *buf;
	size_t cap;
	int n;

	setup_props();
	n = build_all(full, sizeof(full));
	assert_true(n > 0);
	for (cap = 0; cap < (size_t)n; cap++) {
		buf = malloc(cap ? cap : 1);
		assert_non_null(buf);
		assert_int_equal(build_all(buf, cap), -ENOSPC);
		free(buf);
	}
}

static void
test_builder_invalid(void **state TW_UNUSED)
{
	struct ike_hdr h = hdr(IKE_EXCH_INFORMATIONAL, 0, 2);
	struct ike_proposal p;
	struct ike_ts t;
	uint8_t buf[512];
	struct ike_builder b;

	memset(&p, 0, sizeof(p));
	memset(&t, 0, sizeof(t));
	ike_build_init(&b, buf, sizeof(buf), &h);
	assert_int_equal(ike_build_nonce(&b, buf, 15), -EINVAL);
	assert_int_equal(ike_build_finish(&b), -EINVAL);  /* sticky */
	ike_build_init(&b, buf, sizeof(buf), &h);
	assert_int_equal(ike_build_sa(&b, &p, 1), -EINVAL); /* no xforms */
	ike_build_init(&b, buf, sizeof(buf), &h);
	assert_int_equal(ike_build_delete(&b, IKE_PROTO_IKE, esp_spis, 1),
			 -EINVAL);
	ike_build_init(&b, buf, sizeof(buf), &h);
	assert_int_equal(ike_build_ts(&b, IKE_PL_TSI, &t, 1), -EINVAL);
	ike_build_init(&b, buf, sizeof(buf), &h);
	assert_int_equal(ike_build_id(&b, IKE_PL_AUTH, 1, buf, 4), -EINVAL);
	ike_build_init(&b, buf, sizeof(buf), &h);
	ike_build_sk_begin(&b, 16);
	assert_int_equal(ike_build_finish(&b), -EINVAL); /* needs seal */
}

static void
test_names(void **state TW_UNUSED)
{
	assert_string_equal(ike_exchange_name(IKE_EXCH_CREATE_CHILD_SA),
			    "CREATE_CHILD_SA");
	assert_string_equal(ike_payload_name(IKE_PL_TSR), "TSr");
	assert_string_equal(ike_notify_name(IKE_N_NAT_DETECTION_DESTINATION_IP),
			    "NAT_DETECTION_DESTINATION_IP");
	assert_string_equal(ike_notify_name(IKE_N_TS_UNACCEPTABLE),
			    "TS_UNACCEPTABLE");
	assert_string_equal(ike_notify_name(IKE_N_USE_TRANSPORT_MODE),
			    "USE_TRANSPORT_MODE");
	assert_string_equal(ike_notify_name(12345), "?");
	assert_string_equal(ike_xform_id_name(IKE_XF_DH, IKE_DH_CURVE25519),
			    "CURVE25519");
	assert_string_equal(ike_xform_id_name(IKE_XF_ENCR,
					      IKE_ENCR_AES_GCM_16),
			    "AES_GCM_16");
	assert_string_equal(ike_id_type_name(IKE_ID_RFC822_ADDR),
			    "ID_RFC822_ADDR");
	assert_string_equal(ike_ts_type_name(IKE_TS_IPV4_ADDR_RANGE),
			    "TS_IPV4_ADDR_RANGE");
	assert_string_equal(ike_auth_method_name(IKE_AUTH_PSK), "PSK");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip_all),
		cmocka_unit_test(test_exact_bytes),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_bad_generic_lengths),
		cmocka_unit_test(test_bad_bodies),
		cmocka_unit_test(test_unknown_inside),
		cmocka_unit_test(test_critical),
		cmocka_unit_test(test_header),
		cmocka_unit_test(test_sk_framing),
		cmocka_unit_test(test_too_many_payloads),
		cmocka_unit_test(test_builder_bounds),
		cmocka_unit_test(test_builder_invalid),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
