/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/sync sync_msg: every message type round trips; every truncation,
 * bad length, bad value, unknown version and unknown type is refused with
 * a message and leaves the output untouched; unknown record kinds are
 * skipped by their length. The IKE issue's IKE_SA_DELETE (type 32) and
 * SA_ADD / BULK_RECORDS carrying IKE_SA records (kind 2, read as bytes)
 * likewise.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sync_msg.h"
#include "tw_compiler.h"

static uint8_t buf[SYNC_MSG_MAX];
static uint8_t buf2[SYNC_MSG_MAX];
static struct sync_msg m, m2;
static char err[256];

/* A valid IPsec SA record, varied by i. */
static void
make_sa(struct sync_sa_rec *r, unsigned int i)
{
	unsigned int k;

	memset(r, 0, sizeof(*r));
	r->id = i;
	r->state = i % 2 ? SADB_SA_INSTALLED : SADB_SA_DECOUPLED;
	r->p.spi = 0x1000 + i;
	r->p.dir = i % 2 ? SADB_DIR_OUT : SADB_DIR_IN;
	r->p.origin = SADB_ORIGIN_MANUAL;
	if (i % 3 == 0) {
		r->p.cipher = CONF_CIPHER_AES_GCM_256;
		r->p.integ = CONF_INTEG_NONE;
		r->p.cipher_key_len = 36;
	} else {
		r->p.cipher = CONF_CIPHER_AES_CBC_128;
		r->p.integ = CONF_INTEG_SHA256_128;
		r->p.cipher_key_len = 16;
		r->p.auth_key_len = 32;
	}
	for (k = 0; k < r->p.cipher_key_len; k++)
		r->p.cipher_key[k] = (uint8_t)(k + i);
	for (k = 0; k < r->p.auth_key_len; k++)
		r->p.auth_key[k] = (uint8_t)(0x80 + k + i);
	r->p.local_addr = 0xc000020a;
	r->p.peer_addr = 0xc6336401 + i;
	r->p.udp_encap = i % 4 == 1;
	r->p.udp_local_port = r->p.udp_encap ? 4500 : 0;
	r->p.udp_peer_port = r->p.udp_encap ? 4501 : 0;
	r->p.replay_window = 64 * (i % 3);
	r->p.esn = r->p.replay_window != 0 && i % 2 == 0;
	r->p.seq = 0x100000000ULL * i + 12345;
	r->p.replay_interval = 1000;
	snprintf(r->p.map, sizeof(r->p.map), "VPN-%u", i);
	r->p.map_seq = 10 * i;
	r->p.n_sel = i % (SADB_MAX_SELECTORS + 1);
	for (k = 0; k < r->p.n_sel; k++) {
		r->p.sel[k].src_addr = 0x0a010000 + (k << 8);
		r->p.sel[k].dst_addr = 0x0a020000;
		r->p.sel[k].src_len = 24;
		r->p.sel[k].dst_len = 16;
		r->p.sel[k].proto = (uint8_t)(k * 6);
		r->p.sel[k].sport_lo = (uint16_t)k;
		r->p.sel[k].sport_hi = 65535;
		r->p.sel[k].dport_lo = 500;
		r->p.sel[k].dport_hi = 500;
	}
	r->replay_bitmap = 0xf0f0f0f0f0f0f0f0ULL >> i;
	r->life_bytes = 1000000ULL * i;
	r->life_packets = 1000ULL * i;
}

static void
make_hello(struct sync_msg *h)
{
	unsigned int i;

	memset(h, 0, sizeof(*h));
	h->type = SYNC_MSG_HELLO;
	h->u.hello.proto_version = SYNC_PROTO_VERSION;
	h->u.hello.role = SYNC_ROLE_STANDBY;
	h->u.hello.state = 8;
	snprintf(h->u.hello.hostname, sizeof(h->u.hello.hostname),
		 "twinsec-b");
	memset(h->u.hello.digest.all, 0xaa, CONF_DIGEST_LEN);
	h->u.hello.digest.n_parts = 3;
	h->u.hello.rank_priority = 110;
	h->u.hello.rank_addr = 0xc0000201;
	h->u.hello.yielding = true;
	h->u.hello.fresh_age_ms = 1234;
	for (i = 0; i < 3; i++) {
		h->u.hello.digest.parts[i].kind = (enum conf_digest_kind)(i + 1);
		snprintf(h->u.hello.digest.parts[i].name,
			 CONF_DIGEST_NAME_MAX, "part-%u", i);
		memset(h->u.hello.digest.parts[i].sha, i, CONF_DIGEST_LEN);
	}
}

static int
decode(const uint8_t *p, size_t len, struct sync_msg *out)
{
	err[0] = '\0';
	return sync_msg_decode(p, len, out, err, sizeof(err));
}

static void
check_sa_equal(const struct sync_sa_rec *a, const struct sync_sa_rec *b)
{
	assert_int_equal(a->id, b->id);
	assert_int_equal(a->state, b->state);
	assert_int_equal(a->p.spi, b->p.spi);
	assert_int_equal(a->p.dir, b->p.dir);
	assert_int_equal(a->p.origin, b->p.origin);
	assert_int_equal(a->p.cipher, b->p.cipher);
	assert_int_equal(a->p.integ, b->p.integ);
	assert_int_equal(a->p.cipher_key_len, b->p.cipher_key_len);
	assert_memory_equal(a->p.cipher_key, b->p.cipher_key,
			    a->p.cipher_key_len);
	assert_int_equal(a->p.auth_key_len, b->p.auth_key_len);
	assert_memory_equal(a->p.auth_key, b->p.auth_key, a->p.auth_key_len);
	assert_int_equal(a->p.local_addr, b->p.local_addr);
	assert_int_equal(a->p.peer_addr, b->p.peer_addr);
	assert_int_equal(a->p.udp_encap, b->p.udp_encap);
	assert_int_equal(a->p.udp_local_port, b->p.udp_local_port);
	assert_int_equal(a->p.udp_peer_port, b->p.udp_peer_port);
	assert_int_equal(a->p.replay_window, b->p.replay_window);
	assert_int_equal(a->p.esn, b->p.esn);
	assert_true(a->p.seq == b->p.seq);
	assert_int_equal(a->p.replay_interval, b->p.replay_interval);
	assert_string_equal(a->p.map, b->p.map);
	assert_int_equal(a->p.map_seq, b->p.map_seq);
	assert_int_equal(a->p.n_sel, b->p.n_sel);
	assert_memory_equal(a->p.sel, b->p.sel,
			    a->p.n_sel * sizeof(a->p.sel[0]));
	assert_true(a->replay_bitmap == b->replay_bitmap);
	assert_true(a->life_bytes == b->life_bytes);
	assert_true(a->life_packets == b->life_packets);
}

/* Encoded messages of every type, for the truncation sweeps. */
static int
encode_type(enum sync_msg_type t, uint8_t *out, size_t cap)
{
	struct sync_builder b;
	struct sync_sa_rec r;
	struct sync_sa_ref d = { 7, 0x2000, SADB_DIR_OUT };
	struct sync_counter c = { 7, 0x2000, SADB_DIR_IN, 99, 0xff, 5, 6 };
	unsigned int i;

	memset(&m2, 0, sizeof(m2));
	m2.type = t;
	switch (t) {
	case SYNC_MSG_HELLO:
		make_hello(&m2);
		return sync_msg_encode(&m2, out, cap);
	case SYNC_MSG_KEEPALIVE:
		m2.u.keepalive.role = SYNC_ROLE_ACTIVE;
		m2.u.keepalive.state = 13;
		m2.u.keepalive.hello_seen = true;
		m2.u.keepalive.count = 42;
		return sync_msg_encode(&m2, out, cap);
	case SYNC_MSG_BULK_REQUEST:
	case SYNC_MSG_BULK_START:
	case SYNC_MSG_BULK_END:
		m2.u.bulk.id = 3;
		m2.u.bulk.count = t == SYNC_MSG_BULK_REQUEST ? 0 : 2000;
		return sync_msg_encode(&m2, out, cap);
	case SYNC_MSG_BULK_RECORDS:
	case SYNC_MSG_SA_ADD:
		assert_int_equal(sync_build_begin(&b, t, out, cap), 0);
		for (i = 0; i < 3; i++) {
			make_sa(&r, i + 1);
			assert_int_equal(sync_build_sa(&b, &r, err,
						       sizeof(err)), 0);
		}
		return sync_build_end(&b);
	case SYNC_MSG_SA_DELETE:
		assert_int_equal(sync_build_begin(&b, t, out, cap), 0);
		assert_int_equal(sync_build_delete(&b, &d), 0);
		d.spi++;
		assert_int_equal(sync_build_delete(&b, &d), 0);
		return sync_build_end(&b);
	case SYNC_MSG_COUNTER_UPDATE:
		assert_int_equal(sync_build_begin(&b, t, out, cap), 0);
		assert_int_equal(sync_build_counter(&b, &c), 0);
		return sync_build_end(&b);
	default:
		fail();
	}
	return -1;
}

static void
test_fixed_round_trip(void **state TW_UNUSED)
{
	const struct sync_hello *h;
	int n;

	n = encode_type(SYNC_MSG_HELLO, buf, sizeof(buf));
	assert_true(n > SYNC_MSG_HDR_LEN);
	assert_int_equal(buf[0], SYNC_MSG_VERSION);
	assert_int_equal(buf[1], SYNC_MSG_HELLO);
	assert_int_equal(decode(buf, (size_t)n, &m), 0);
	h = &m.u.hello;
	assert_int_equal(m.type, SYNC_MSG_HELLO);
	assert_int_equal(m.len, n);
	assert_int_equal(h->proto_version, SYNC_PROTO_VERSION);
	assert_int_equal(h->role, SYNC_ROLE_STANDBY);
	assert_int_equal(h->state, 8);
	assert_string_equal(h->hostname, "twinsec-b");
	assert_int_equal(h->digest.n_parts, 3);
	assert_memory_equal(h->digest.all, m2.u.hello.digest.all,
			    CONF_DIGEST_LEN);
	assert_int_equal(h->digest.parts[2].kind, 3);
	assert_string_equal(h->digest.parts[2].name, "part-2");
	assert_memory_equal(h->digest.parts[2].sha,
			    m2.u.hello.digest.parts[2].sha, CONF_DIGEST_LEN);
	/* The split-brain rank at the end (rf.h). */
	assert_true(h->rank_known);
	assert_int_equal(h->rank_priority, 110);
	assert_int_equal(h->rank_addr, 0xc0000201);
	assert_true(h->yielding);
	/* The age of its IKE state after the rank (rf.h, split brain). */
	assert_true(h->fresh_known);
	assert_int_equal(h->fresh_age_ms, 1234);

	n = encode_type(SYNC_MSG_KEEPALIVE, buf, sizeof(buf));
	assert_int_equal(n, SYNC_MSG_HDR_LEN + 8);
	assert_int_equal(decode(buf, (size_t)n, &m), 0);
	assert_int_equal(m.u.keepalive.role, SYNC_ROLE_ACTIVE);
	assert_int_equal(m.u.keepalive.state, 13);
	assert_true(m.u.keepalive.hello_seen);
	assert_int_equal(m.u.keepalive.count, 42);

	n = encode_type(SYNC_MSG_BULK_REQUEST, buf, sizeof(buf));
	assert_int_equal(n, SYNC_MSG_HDR_LEN + 4);
	assert_int_equal(decode(buf, (size_t)n, &m), 0);
	assert_int_equal(m.u.bulk.id, 3);
	n = encode_type(SYNC_MSG_BULK_START, buf, sizeof(buf));
	assert_int_equal(decode(buf, (size_t)n, &m), 0);
	assert_int_equal(m.type, SYNC_MSG_BULK_START);
	assert_int_equal(m.u.bulk.count, 2000);
	n = encode_type(SYNC_MSG_BULK_END, buf, sizeof(buf));
	assert_int_equal(decode(buf, (size_t)n, &m), 0);
	assert_int_equal(m.type, SYNC_MSG_BULK_END);
	assert_int_equal(m.u.bulk.id, 3);

	/* Lists only through the builder; bad values refused. */
	m2.type = SYNC_MSG_SA_ADD;
	assert_int_equal(sync_msg_encode(&m2, buf, sizeof(buf)), -EINVAL);
	m2.type = SYNC_MSG_KEEPALIVE;
	m2.u.keepalive.state = 0;
	assert_int_equal(sync_msg_encode(&m2, buf, sizeof(buf)), -EINVAL);
	make_hello(&m2);
	assert_int_equal(sync_msg_encode(&m2, buf, 20), -ENOSPC);
}

static void
test_records_round_trip(void **state TW_UNUSED)
{
	struct sync_sa_rec r, got;
	struct sync_builder b;
	struct sync_iter it;
	unsigned int i;
	int n;

	assert_int_equal(sync_build_begin(&b, SYNC_MSG_BULK_RECORDS, buf,
					  sizeof(buf)), 0);
	for (i = 0; i < 12; i++) {
		make_sa(&r, i + 1);
		assert_int_equal(sync_build_sa(&b, &r, err, sizeof(err)), 0);
	}
	n = sync_build_end(&b);
	assert_true(n > 0);
	assert_int_equal(decode(buf, (size_t)n, &m), 0);
	assert_int_equal(m.type, SYNC_MSG_BULK_RECORDS);
	assert_int_equal(m.u.list.n, 12);
	sync_iter_init(&it, &m);
	for (i = 0; i < 12; i++) {
		assert_int_equal(sync_rec_next(&it, &got), 1);
		make_sa(&r, i + 1);
		check_sa_equal(&r, &got);
	}
	assert_int_equal(sync_rec_next(&it, &got), 0);
	assert_int_equal(it.skipped, 0);

	/* SA_ADD shares the record format. */
	n = encode_type(SYNC_MSG_SA_ADD, buf, sizeof(buf));
	assert_int_equal(decode(buf, (size_t)n, &m), 0);
	assert_int_equal(m.type, SYNC_MSG_SA_ADD);
	sync_iter_init(&it, &m);
	assert_int_equal(sync_rec_next(&it, &got), 1);
	make_sa(&r, 1);
	check_sa_equal(&r, &got);
}

/*
 * Issue 18: SAs with an IPv6 outer and/or inner (IKE over IPv6, IPv6
 * selectors) travel whole; every truncation of such a message is refused.
 */
static void
make_sa6(struct sync_sa_rec *r, unsigned int i, uint8_t outer, uint8_t inner)
{
	static const uint8_t l6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0xff,
					[15] = 1 };
	unsigned int k;

	make_sa(r, i);
	r->p.udp_encap = false;
	r->p.udp_local_port = r->p.udp_peer_port = 0;
	r->p.family = outer;
	r->p.inner_family = inner;
	if (outer == TW_AF_INET6) {
		r->p.local_addr = r->p.peer_addr = 0;
		memcpy(r->p.local6, l6, 16);
		memcpy(r->p.peer6, l6, 16);
		r->p.peer6[15] = (uint8_t)(2 + i);
	}
	for (k = 0; k < r->p.n_sel && inner == TW_AF_INET6; k++) {
		struct sadb_selector *s = &r->p.sel[k];

		s->family = TW_AF_INET6;
		s->src_addr = s->dst_addr = 0;
		s->src_len = 64;
		s->dst_len = 48;
		memcpy(s->src6, l6, 16);
		s->src6[5] = (uint8_t)(1 + k);
		memcpy(s->dst6, l6, 16);
		s->dst6[5] = 2;
	}
}

static void
test_records_ipv6(void **state TW_UNUSED)
{
	static const uint8_t fam[3][2] = {
		{ TW_AF_INET6, TW_AF_INET6 }, { TW_AF_INET6, TW_AF_INET },
		{ TW_AF_INET, TW_AF_INET6 },
	};
	struct sync_sa_rec r, got;
	struct sync_builder b;
	struct sync_iter it;
	unsigned int i;
	int n, cut;

	assert_int_equal(sync_build_begin(&b, SYNC_MSG_BULK_RECORDS, buf,
					  sizeof(buf)), 0);
	for (i = 0; i < 3; i++) {
		make_sa6(&r, 5 + i, fam[i][0], fam[i][1]);
		assert_int_equal(sync_build_sa(&b, &r, err, sizeof(err)), 0);
	}
	n = sync_build_end(&b);
	assert_true(n > 0);
	/* TW_SYNC_SEEDS=dir: the message is fuzz_sync's seed
	 * bulk_records_ipv6 (tests/fuzz/corpus/sync). */
	if (getenv("TW_SYNC_SEEDS") != NULL) {
		char path[512];
		FILE *f;

		snprintf(path, sizeof(path), "%s/bulk_records_ipv6",
			 getenv("TW_SYNC_SEEDS"));
		f = fopen(path, "wb");
		assert_non_null(f);
		assert_int_equal(fwrite(buf, 1, (size_t)n, f), (size_t)n);
		fclose(f);
	}
	assert_int_equal(decode(buf, (size_t)n, &m), 0);
	sync_iter_init(&it, &m);
	for (i = 0; i < 3; i++) {
		assert_int_equal(sync_rec_next(&it, &got), 1);
		make_sa6(&r, 5 + i, fam[i][0], fam[i][1]);
		check_sa_equal(&r, &got);
		assert_int_equal(got.p.family, fam[i][0]);
		assert_int_equal(got.p.inner_family, fam[i][1]);
		assert_memory_equal(got.p.local6, r.p.local6, 16);
		assert_memory_equal(got.p.peer6, r.p.peer6, 16);
	}
	assert_int_equal(sync_rec_next(&it, &got), 0);
	for (cut = 0; cut < n; cut++)
		assert_true(decode(buf, (size_t)cut, &m2) < 0);
}

static void
test_delete_counter_round_trip(void **state TW_UNUSED)
{
	struct sync_sa_ref d;
	struct sync_counter c;
	struct sync_iter it;
	int n;

	n = encode_type(SYNC_MSG_SA_DELETE, buf, sizeof(buf));
	assert_int_equal(n, SYNC_MSG_HDR_LEN + 4 + 2 * 12);
	assert_int_equal(decode(buf, (size_t)n, &m), 0);
	assert_int_equal(m.u.list.n, 2);
	sync_iter_init(&it, &m);
	assert_int_equal(sync_del_next(&it, &d), 1);
	assert_int_equal(d.id, 7);
	assert_int_equal(d.spi, 0x2000);
	assert_int_equal(d.dir, SADB_DIR_OUT);
	assert_int_equal(sync_del_next(&it, &d), 1);
	assert_int_equal(d.spi, 0x2001);
	assert_int_equal(sync_del_next(&it, &d), 0);

	n = encode_type(SYNC_MSG_COUNTER_UPDATE, buf, sizeof(buf));
	assert_int_equal(n, SYNC_MSG_HDR_LEN + 4 + 44);
	assert_int_equal(decode(buf, (size_t)n, &m), 0);
	sync_iter_init(&it, &m);
	assert_int_equal(sync_ctr_next(&it, &c), 1);
	assert_int_equal(c.id, 7);
	assert_int_equal(c.dir, SADB_DIR_IN);
	assert_true(c.seq == 99);
	assert_true(c.replay_bitmap == 0xff);
	assert_true(c.life_bytes == 5);
	assert_true(c.life_packets == 6);
	assert_int_equal(sync_ctr_next(&it, &c), 0);
}

/*
 * Every type cut at every length: refused, output untouched. Both with
 * the header's length left as it was and patched to the cut length.
 */
static void
test_truncation(void **state TW_UNUSED)
{
	enum sync_msg_type t;
	size_t cut;
	int n, rc;

	for (t = SYNC_MSG_HELLO; t < SYNC_MSG_TYPE_MAX; t++) {
		n = encode_type(t, buf, sizeof(buf));
		assert_true(n > 0);
		for (cut = 0; cut < (size_t)n; cut++) {
			memset(&m, 0x5a, sizeof(m));
			memcpy(buf2, buf, (size_t)n);
			rc = decode(buf2, cut, &m);
			assert_int_equal(rc, -EINVAL);
			assert_true(err[0] != '\0');
			assert_int_equal(((uint8_t *)&m)[0], 0x5a);
			if (cut < SYNC_MSG_HDR_LEN)
				continue;
			buf2[4] = (uint8_t)(cut >> 24);
			buf2[5] = (uint8_t)(cut >> 16);
			buf2[6] = (uint8_t)(cut >> 8);
			buf2[7] = (uint8_t)cut;
			rc = decode(buf2, cut, &m);
			if (t == SYNC_MSG_HELLO && cut == (size_t)n - 10) {
				/* An earlier release's HELLO: no rank. */
				assert_int_equal(rc, 0);
				assert_false(m.u.hello.rank_known);
				assert_false(m.u.hello.fresh_known);
				continue;
			}
			if (t == SYNC_MSG_HELLO && cut == (size_t)n - 4) {
				/* The rank, no IKE age (the release before). */
				assert_int_equal(rc, 0);
				assert_true(m.u.hello.rank_known);
				assert_false(m.u.hello.fresh_known);
				assert_int_equal(m.u.hello.fresh_age_ms,
						 SYNC_FRESH_NONE);
				continue;
			}
			if (rc != -EINVAL)
				fail_msg("%s cut at %zu of %d: %d",
					 sync_msg_type_name(t), cut, n, rc);
			assert_int_equal(((uint8_t *)&m)[0], 0x5a);
		}
		assert_int_equal(decode(buf, (size_t)n, &m), 0);
	}
}

static void
put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void
expect_bad(const uint8_t *p, size_t len, int rc, const char *msg)
{
	assert_int_equal(decode(p, len, &m), rc);
	if (strstr(err, msg) == NULL)
		fail_msg("expected \"%s\" in \"%s\"", msg, err);
}

static void
test_bad_lengths(void **state TW_UNUSED)
{
	struct sync_builder b;
	struct sync_sa_rec r;
	int n;

	/* Header length disagreeing with the buffer, both ways. */
	n = encode_type(SYNC_MSG_KEEPALIVE, buf, sizeof(buf));
	memcpy(buf2, buf, (size_t)n);
	put32(buf2 + 4, (uint32_t)n + 1);
	expect_bad(buf2, (size_t)n, -EINVAL, "length field 17, message is 16");
	put32(buf2 + 4, 0xffffffff);
	expect_bad(buf2, (size_t)n, -EINVAL, "length field 4294967295");
	/* Extra bytes after a fixed body. */
	memcpy(buf2, buf, (size_t)n);
	buf2[n] = 0;
	put32(buf2 + 4, (uint32_t)n + 1);
	expect_bad(buf2, (size_t)n + 1, -EINVAL,
		   "KEEPALIVE: 9 bytes of body, expected 8");

	/* A record whose length runs past the message. */
	n = encode_type(SYNC_MSG_SA_ADD, buf, sizeof(buf));
	memcpy(buf2, buf, (size_t)n);
	buf2[SYNC_MSG_HDR_LEN + 4 + 2] = 0xff;
	buf2[SYNC_MSG_HDR_LEN + 4 + 3] = 0xff;
	expect_bad(buf2, (size_t)n, -EINVAL, "record 1 of 3 truncated");
	/* More records announced than present, or fewer. */
	memcpy(buf2, buf, (size_t)n);
	put32(buf2 + SYNC_MSG_HDR_LEN, 4);
	expect_bad(buf2, (size_t)n, -EINVAL, "record 4 of 4 truncated");
	put32(buf2 + SYNC_MSG_HDR_LEN, 2);
	expect_bad(buf2, (size_t)n, -EINVAL, "bytes after its 2 items");
	put32(buf2 + SYNC_MSG_HDR_LEN, 0xffffffff);
	expect_bad(buf2, (size_t)n, -EINVAL, "truncated");
	/* A record shorter than the IPSEC_SA fixed part. */
	assert_int_equal(sync_build_begin(&b, SYNC_MSG_SA_ADD, buf2,
					  sizeof(buf2)), 0);
	assert_int_equal(sync_build_record(&b, SYNC_REC_IPSEC_SA,
					   (const uint8_t *)"abc", 3), 0);
	n = sync_build_end(&b);
	expect_bad(buf2, (size_t)n, -EINVAL, "IPSEC_SA record 1: 3 bytes");
	/* Kind 0 is never valid. */
	assert_int_equal(sync_build_begin(&b, SYNC_MSG_SA_ADD, buf2,
					  sizeof(buf2)), 0);
	assert_int_equal(sync_build_record(&b, 0, NULL, 0), -EINVAL);

	/* Entries: count beyond the bytes. */
	n = encode_type(SYNC_MSG_SA_DELETE, buf, sizeof(buf));
	memcpy(buf2, buf, (size_t)n);
	put32(buf2 + SYNC_MSG_HDR_LEN, 3);
	expect_bad(buf2, (size_t)n, -EINVAL,
		   "SA_DELETE: 3 entries announced, room for 2");
	put32(buf2 + SYNC_MSG_HDR_LEN, 0x40000000);
	expect_bad(buf2, (size_t)n, -EINVAL, "room for 2");
	put32(buf2 + SYNC_MSG_HDR_LEN, 1);
	expect_bad(buf2, (size_t)n, -EINVAL, "12 bytes after its 1 items");
	n = encode_type(SYNC_MSG_COUNTER_UPDATE, buf, sizeof(buf));
	memcpy(buf2, buf, (size_t)n);
	buf2[SYNC_MSG_HDR_LEN + 4 + 9] = 1;
	expect_bad(buf2, (size_t)n, -EINVAL,
		   "COUNTER_UPDATE entry 1: reserved bytes set");
	memcpy(buf2, buf, (size_t)n);
	buf2[SYNC_MSG_HDR_LEN + 4 + 8] = 2;
	expect_bad(buf2, (size_t)n, -EINVAL, "bad direction 2");

	/* HELLO: more parts announced than allowed. */
	n = encode_type(SYNC_MSG_HELLO, buf, sizeof(buf));
	memcpy(buf2, buf, (size_t)n);
	/* proto(2) role state hostname_len "twinsec-b" all(32) n_parts */
	buf2[SYNC_MSG_HDR_LEN + 5 + 9 + 32] = 0x01;
	expect_bad(buf2, (size_t)n, -EINVAL, "digest parts, at most");
	/* A HELLO may grow at its end (a later version's fields). */
	memcpy(buf2, buf, (size_t)n);
	memset(buf2 + n, 0xee, 10);
	put32(buf2 + 4, (uint32_t)n + 10);
	assert_int_equal(decode(buf2, (size_t)n + 10, &m), 0);
	assert_string_equal(m.u.hello.hostname, "twinsec-b");

	/* So may an IPSEC_SA record; the iterator still reads it. */
	make_sa(&r, 5);
	assert_int_equal(sync_build_begin(&b, SYNC_MSG_SA_ADD, buf2,
					  sizeof(buf2)), 0);
	assert_int_equal(sync_build_sa(&b, &r, err, sizeof(err)), 0);
	n = sync_build_end(&b);
	{
		uint16_t len = (uint16_t)(buf2[SYNC_MSG_HDR_LEN + 6] << 8 |
					  buf2[SYNC_MSG_HDR_LEN + 7]);
		struct sync_iter it;
		struct sync_sa_rec got;

		memset(buf2 + n, 0, 6);
		len += 6;
		buf2[SYNC_MSG_HDR_LEN + 6] = (uint8_t)(len >> 8);
		buf2[SYNC_MSG_HDR_LEN + 7] = (uint8_t)len;
		put32(buf2 + 4, (uint32_t)n + 6);
		assert_int_equal(decode(buf2, (size_t)n + 6, &m), 0);
		sync_iter_init(&it, &m);
		assert_int_equal(sync_rec_next(&it, &got), 1);
		check_sa_equal(&r, &got);
	}
}

/* Values inside a record that validation refuses, with what it says. */
static void
test_bad_record_values(void **state TW_UNUSED)
{
	static const struct {
		unsigned int what;
		const char *msg;
	} cases[] = {
		{ 0, "SPI 0xff is reserved" },
		{ 1, "cipher key length 16, aes-gcm-256 needs 36" },
		{ 2, "aes-gcm-256 with integrity sha1-96" },
		{ 3, "unknown cipher 9" },
		{ 4, "selector 1: prefix length 33/16 above 32" },
		{ 5, "selector 1: port range reversed" },
		{ 6, "replay window 5000 above 4096" },
		{ 7, "ESN without a replay window" },
		{ 8, "bad crypto map name" },
		{ 9, "9 selectors, at most 8" },
	};
	struct sync_builder b;
	struct sync_sa_rec r;
	unsigned int i;
	int n;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		make_sa(&r, 3);     /* GCM-256, 3 selectors */
		switch (cases[i].what) {
		case 0: r.p.spi = 0xff; break;
		case 1: r.p.cipher_key_len = 16; break;
		case 2: r.p.integ = CONF_INTEG_SHA1_96; r.p.auth_key_len = 20;
			break;
		case 3: r.p.cipher = (enum conf_cipher)9; break;
		case 4: r.p.sel[0].src_len = 33; break;
		case 5: r.p.sel[0].sport_lo = 600; r.p.sel[0].sport_hi = 500;
			break;
		case 6: r.p.replay_window = 5000; break;
		case 7: r.p.replay_window = 0; r.p.esn = true; break;
		case 8: snprintf(r.p.map, sizeof(r.p.map), "bad name"); break;
		case 9: r.p.n_sel = 9; break;
		}
		/* The builder refuses to send it ... */
		assert_int_equal(sync_build_begin(&b, SYNC_MSG_SA_ADD, buf,
						  sizeof(buf)), 0);
		err[0] = '\0';
		assert_int_equal(sync_build_sa(&b, &r, err, sizeof(err)),
				 -EINVAL);
		/* ... and stays usable. */
		make_sa(&r, 1);
		assert_int_equal(sync_build_sa(&b, &r, err, sizeof(err)), 0);
		n = sync_build_end(&b);
		assert_int_equal(decode(buf, (size_t)n, &m), 0);
		assert_int_equal(m.u.list.n, 1);
	}
	/* The decoder refuses the same bytes, with the record's number. */
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t off;

		if (cases[i].what == 9)
			continue;   /* not encodable: checked above */
		make_sa(&r, 3);
		assert_int_equal(sync_build_begin(&b, SYNC_MSG_SA_ADD, buf,
						  sizeof(buf)), 0);
		assert_int_equal(sync_build_sa(&b, &r, err, sizeof(err)), 0);
		n = sync_build_end(&b);
		off = SYNC_MSG_HDR_LEN + 4 + 4;  /* the record body */
		switch (cases[i].what) {
		case 0: put32(buf + off + 4, 0xff); break;
		case 1: buf[off + 14] = 16; break;
		case 2: buf[off + 13] = CONF_INTEG_SHA1_96; break;
		case 3: buf[off + 12] = 9; break;
		default: continue;
		}
		expect_bad(buf, (size_t)n, -EINVAL, "IPSEC_SA record 1: ");
		if (strstr(err, cases[i].msg) == NULL &&
		    cases[i].what != 1 && cases[i].what != 2)
			fail_msg("expected \"%s\" in \"%s\"", cases[i].msg, err);
	}
}

static void
test_unknown_version_type(void **state TW_UNUSED)
{
	int n;

	n = encode_type(SYNC_MSG_KEEPALIVE, buf, sizeof(buf));
	buf[0] = 2;
	expect_bad(buf, (size_t)n, -EPROTONOSUPPORT,
		   "sync message version 2, this twin speaks 1");
	buf[0] = SYNC_MSG_VERSION;
	buf[1] = 0;
	expect_bad(buf, (size_t)n, -ENOTSUP, "unknown sync message type 0");
	buf[1] = 10;
	expect_bad(buf, (size_t)n, -ENOTSUP,
		   "unknown sync message type 10 (reserved, not in this version)");
	buf[1] = 33;
	expect_bad(buf, (size_t)n, -ENOTSUP,
		   "unknown sync message type 33 (reserved for IKE SA sync, not in this version)");
	buf[1] = 200;
	expect_bad(buf, (size_t)n, -ENOTSUP, "unknown sync message type 200");
	buf[1] = SYNC_MSG_KEEPALIVE;
	buf[2] = 0x80;
	expect_bad(buf, (size_t)n, -EINVAL, "KEEPALIVE: unknown flags 0x8000");
	buf[2] = 0;
	buf[SYNC_MSG_HDR_LEN + 1] = 14;
	expect_bad(buf, (size_t)n, -EINVAL, "KEEPALIVE: bad state 14");
	buf[SYNC_MSG_HDR_LEN + 1] = 13;
	buf[SYNC_MSG_HDR_LEN] = 3;
	expect_bad(buf, (size_t)n, -EINVAL, "KEEPALIVE: bad role 3");
	buf[SYNC_MSG_HDR_LEN] = 1;
	buf[SYNC_MSG_HDR_LEN + 2] = 0x02;
	expect_bad(buf, (size_t)n, -EINVAL, "unknown flags 0x02");
	assert_string_equal(sync_msg_type_name(SYNC_MSG_COUNTER_UPDATE),
			    "COUNTER_UPDATE");
	assert_string_equal(sync_msg_type_name((enum sync_msg_type)33), "?");
	assert_string_equal(sync_rec_kind_name(SYNC_REC_IKE_SA), "IKE_SA");
	assert_string_equal(sync_role_name(SYNC_ROLE_STANDBY), "standby");
}

/* IKE_SA (reserved) and kinds of later versions are skipped by length. */
static void
test_unknown_kind_skipped(void **state TW_UNUSED)
{
	static const uint8_t ike[40] = { 1, 2, 3 };
	static const uint8_t future[5] = { 9, 9, 9, 9, 9 };
	struct sync_sa_rec r, got;
	struct sync_builder b;
	struct sync_iter it;
	int n;

	assert_int_equal(sync_build_begin(&b, SYNC_MSG_BULK_RECORDS, buf,
					  sizeof(buf)), 0);
	make_sa(&r, 1);
	assert_int_equal(sync_build_sa(&b, &r, err, sizeof(err)), 0);
	assert_int_equal(sync_build_record(&b, SYNC_REC_IKE_SA, ike,
					   sizeof(ike)), 0);
	assert_int_equal(sync_build_record(&b, 999, future, sizeof(future)),
			 0);
	assert_int_equal(sync_build_record(&b, 1000, NULL, 0), 0);
	make_sa(&r, 2);
	assert_int_equal(sync_build_sa(&b, &r, err, sizeof(err)), 0);
	n = sync_build_end(&b);
	assert_int_equal(decode(buf, (size_t)n, &m), 0);
	assert_int_equal(m.u.list.n, 5);
	sync_iter_init(&it, &m);
	assert_int_equal(sync_rec_next(&it, &got), 1);
	assert_int_equal(got.id, 1);
	assert_int_equal(sync_rec_next(&it, &got), 1);
	assert_int_equal(got.id, 2);
	assert_int_equal(sync_rec_next(&it, &got), 0);
	assert_int_equal(it.skipped, 3);
}

/* An IKE_SA_DELETE of n entries: its length. */
static int
make_ike_delete(uint8_t *out, size_t cap, unsigned int n)
{
	struct sync_builder b;
	unsigned int i;

	assert_int_equal(sync_build_begin(&b, SYNC_MSG_IKE_SA_DELETE, out,
					  cap), 0);
	for (i = 0; i < n; i++)
		assert_int_equal(sync_build_ike_delete(&b,
			0x1111000000000000ULL + i, 0x2222000000000000ULL + i),
			0);
	return sync_build_end(&b);
}

/* A fake IKE_SA body (lib/sync carries it as bytes). */
static void
make_ike_body(uint8_t *p, size_t len, unsigned int i)
{
	size_t k;

	for (k = 0; k < len; k++)
		p[k] = (uint8_t)(k * 7 + i);
}

/* SA_ADD with one IKE_SA record, BULK_RECORDS with both kinds. */
static int
make_ike_records(enum sync_msg_type t, uint8_t *out, size_t cap)
{
	static uint8_t body[3][700];
	struct sync_builder b;
	struct sync_sa_rec r;
	unsigned int i;

	assert_int_equal(sync_build_begin(&b, t, out, cap), 0);
	for (i = 0; i < 3; i++) {
		make_ike_body(body[i], sizeof(body[i]) - 100 * i, i);
		if (t == SYNC_MSG_BULK_RECORDS) {
			make_sa(&r, i + 1);
			assert_int_equal(sync_build_sa(&b, &r, err,
						       sizeof(err)), 0);
		}
		assert_int_equal(sync_build_record(&b, SYNC_REC_IKE_SA,
			body[i], (uint16_t)(sizeof(body[i]) - 100 * i)), 0);
		if (t == SYNC_MSG_SA_ADD)
			break;
	}
	return sync_build_end(&b);
}

static void
test_ike_round_trip(void **state TW_UNUSED)
{
	uint8_t want[700];
	const uint8_t *body;
	struct sync_builder b;
	struct sync_sa_rec r;
	struct sync_iter it;
	uint64_t si, sr;
	uint16_t kind, len;
	unsigned int i, ike, ipsec;
	int n;

	/* IKE_SA_DELETE: 16 bytes an entry, read back in order */
	n = make_ike_delete(buf, sizeof(buf), 3);
	assert_int_equal(n, SYNC_MSG_HDR_LEN + 4 + 3 * 16);
	assert_int_equal(decode(buf, (size_t)n, &m), 0);
	assert_int_equal(m.type, SYNC_MSG_IKE_SA_DELETE);
	assert_int_equal(m.u.list.n, 3);
	assert_string_equal(sync_msg_type_name(m.type), "IKE_SA_DELETE");
	sync_iter_init(&it, &m);
	for (i = 0; i < 3; i++) {
		assert_int_equal(sync_ike_del_next(&it, &si, &sr), 1);
		assert_true(si == 0x1111000000000000ULL + i);
		assert_true(sr == 0x2222000000000000ULL + i);
	}
	assert_int_equal(sync_ike_del_next(&it, &si, &sr), 0);
	/* an empty one is valid */
	n = make_ike_delete(buf, sizeof(buf), 0);
	assert_int_equal(decode(buf, (size_t)n, &m), 0);
	assert_int_equal(m.u.list.n, 0);
	/* the builder refuses zero SPIs and other messages' items */
	assert_int_equal(sync_build_begin(&b, SYNC_MSG_IKE_SA_DELETE, buf,
					  sizeof(buf)), 0);
	assert_int_equal(sync_build_ike_delete(&b, 0, 5), -EINVAL);
	assert_int_equal(sync_build_ike_delete(&b, 5, 0), -EINVAL);
	make_sa(&r, 1);
	assert_int_equal(sync_build_sa(&b, &r, err, sizeof(err)), -EINVAL);
	assert_int_equal(sync_build_record(&b, SYNC_REC_IKE_SA, want, 4),
			 -EINVAL);
	assert_int_equal(sync_build_delete(&b, &(struct sync_sa_ref){
		1, 0x1000, SADB_DIR_IN }), -EINVAL);
	n = sync_build_end(&b);
	assert_int_equal(decode(buf, (size_t)n, &m), 0);
	assert_int_equal(m.u.list.n, 0);
	assert_int_equal(sync_build_begin(&b, SYNC_MSG_SA_ADD, buf,
					  sizeof(buf)), 0);
	assert_int_equal(sync_build_ike_delete(&b, 1, 2), -EINVAL);
	/* a full IKE_SA_DELETE refuses the entry that does not fit */
	assert_int_equal(sync_build_begin(&b, SYNC_MSG_IKE_SA_DELETE, buf,
					  SYNC_MSG_HDR_LEN + 4 + 2 * 16 + 15),
			 0);
	assert_int_equal(sync_build_ike_delete(&b, 1, 2), 0);
	assert_int_equal(sync_build_ike_delete(&b, 3, 4), 0);
	assert_int_equal(sync_build_ike_delete(&b, 5, 6), -ENOSPC);
	n = sync_build_end(&b);
	assert_int_equal(decode(buf, (size_t)n, &m), 0);
	assert_int_equal(m.u.list.n, 2);

	/* SA_ADD carrying one IKE_SA record: its bytes come back */
	n = make_ike_records(SYNC_MSG_SA_ADD, buf, sizeof(buf));
	assert_int_equal(decode(buf, (size_t)n, &m), 0);
	assert_int_equal(m.type, SYNC_MSG_SA_ADD);
	assert_int_equal(m.u.list.n, 1);
	sync_iter_init(&it, &m);
	assert_int_equal(sync_rec_next_raw(&it, &kind, &body, &len), 1);
	assert_int_equal(kind, SYNC_REC_IKE_SA);
	assert_int_equal(len, 700);
	make_ike_body(want, 700, 0);
	assert_memory_equal(body, want, 700);
	assert_int_equal(sync_rec_next_raw(&it, &kind, &body, &len), 0);
	/* the IPsec iterator skips it (and counts it) */
	sync_iter_init(&it, &m);
	assert_int_equal(sync_rec_next(&it, &r), 0);
	assert_int_equal(it.skipped, 1);

	/* BULK_RECORDS with both kinds, in order */
	n = make_ike_records(SYNC_MSG_BULK_RECORDS, buf, sizeof(buf));
	assert_int_equal(decode(buf, (size_t)n, &m), 0);
	assert_int_equal(m.u.list.n, 6);
	sync_iter_init(&it, &m);
	ike = ipsec = 0;
	for (i = 0; i < 6; i++) {
		assert_int_equal(sync_rec_next_raw(&it, &kind, &body, &len),
				 1);
		if (i % 2 == 0) {
			assert_int_equal(kind, SYNC_REC_IPSEC_SA);
			ipsec++;
			continue;
		}
		assert_int_equal(kind, SYNC_REC_IKE_SA);
		assert_int_equal(len, 700 - 100 * ike);
		make_ike_body(want, len, ike);
		assert_memory_equal(body, want, len);
		ike++;
	}
	assert_int_equal(sync_rec_next_raw(&it, &kind, &body, &len), 0);
	assert_int_equal(ike, 3);
	assert_int_equal(ipsec, 3);
	sync_iter_init(&it, &m);
	for (i = 1; i <= 3; i++) {
		assert_int_equal(sync_rec_next(&it, &r), 1);
		assert_int_equal(r.id, i);
	}
	assert_int_equal(sync_rec_next(&it, &r), 0);
	assert_int_equal(it.skipped, 3);
}

/* The IKE messages cut at every length: refused, output untouched. */
static void
test_ike_truncation(void **state TW_UNUSED)
{
	size_t cut;
	int k, n, rc;

	for (k = 0; k < 3; k++) {
		if (k == 0)
			n = make_ike_delete(buf, sizeof(buf), 4);
		else
			n = make_ike_records(k == 1 ? SYNC_MSG_SA_ADD :
					     SYNC_MSG_BULK_RECORDS, buf,
					     sizeof(buf));
		assert_true(n > 0);
		for (cut = 0; cut < (size_t)n; cut++) {
			memset(&m, 0x5a, sizeof(m));
			memcpy(buf2, buf, (size_t)n);
			assert_int_equal(decode(buf2, cut, &m), -EINVAL);
			assert_true(err[0] != '\0');
			assert_int_equal(((uint8_t *)&m)[0], 0x5a);
			if (cut < SYNC_MSG_HDR_LEN)
				continue;
			put32(buf2 + 4, (uint32_t)cut);
			rc = decode(buf2, cut, &m);
			if (rc != -EINVAL)
				fail_msg("message %d cut at %zu of %d: %d", k,
					 cut, n, rc);
			assert_int_equal(((uint8_t *)&m)[0], 0x5a);
		}
		assert_int_equal(decode(buf, (size_t)n, &m), 0);
	}
}

static void
test_ike_bad_lengths(void **state TW_UNUSED)
{
	uint8_t *rec;
	int n;

	/* IKE_SA_DELETE: more entries announced than carried */
	n = make_ike_delete(buf, sizeof(buf), 2);
	memcpy(buf2, buf, (size_t)n);
	put32(buf2 + SYNC_MSG_HDR_LEN, 3);
	expect_bad(buf2, (size_t)n, -EINVAL,
		   "IKE_SA_DELETE: 3 entries announced, room for 2");
	put32(buf2 + SYNC_MSG_HDR_LEN, 0xffffffff);
	expect_bad(buf2, (size_t)n, -EINVAL, "4294967295 entries announced");
	/* fewer: the rest is trailing garbage */
	put32(buf2 + SYNC_MSG_HDR_LEN, 1);
	expect_bad(buf2, (size_t)n, -EINVAL,
		   "IKE_SA_DELETE: 16 bytes after its 1 items");
	/* a part of an entry more */
	memcpy(buf2, buf, (size_t)n);
	put32(buf2 + 4, (uint32_t)n + 8);
	expect_bad(buf2, (size_t)n + 8, -EINVAL, "bytes after its 2 items");
	/* a zero SPI, either one */
	memcpy(buf2, buf, (size_t)n);
	memset(buf2 + SYNC_MSG_HDR_LEN + 4 + 16, 0, 8);
	expect_bad(buf2, (size_t)n, -EINVAL, "IKE_SA_DELETE entry 2: zero SPI");
	memcpy(buf2, buf, (size_t)n);
	memset(buf2 + SYNC_MSG_HDR_LEN + 4 + 8, 0, 8);
	expect_bad(buf2, (size_t)n, -EINVAL, "IKE_SA_DELETE entry 1: zero SPI");
	/* no count at all */
	put32(buf2 + 4, SYNC_MSG_HDR_LEN + 2);
	expect_bad(buf2, SYNC_MSG_HDR_LEN + 2, -EINVAL,
		   "IKE_SA_DELETE: no item count");

	/* SA_ADD's IKE_SA record: its length past the message's end */
	n = make_ike_records(SYNC_MSG_SA_ADD, buf, sizeof(buf));
	rec = buf2 + SYNC_MSG_HDR_LEN + 4;    /* kind(2) length(2) body */
	memcpy(buf2, buf, (size_t)n);
	rec[2] = (uint8_t)(701 >> 8);
	rec[3] = (uint8_t)701;
	expect_bad(buf2, (size_t)n, -EINVAL, "record 1 of 1 truncated");
	rec[2] = rec[3] = 0xff;
	expect_bad(buf2, (size_t)n, -EINVAL, "record 1 of 1 truncated");
	/* shorter: bytes left after it */
	rec[2] = (uint8_t)(699 >> 8);
	rec[3] = (uint8_t)699;
	expect_bad(buf2, (size_t)n, -EINVAL, "SA_ADD: 1 bytes after its 1 items");
	/* kind 0 */
	memcpy(buf2, buf, (size_t)n);
	rec[0] = rec[1] = 0;
	expect_bad(buf2, (size_t)n, -EINVAL, "record 1: kind 0");
	/* BULK_RECORDS: two records announced, one carried */
	memcpy(buf2, buf, (size_t)n);
	buf2[1] = SYNC_MSG_BULK_RECORDS;
	assert_int_equal(decode(buf2, (size_t)n, &m), 0);
	put32(buf2 + SYNC_MSG_HDR_LEN, 2);
	expect_bad(buf2, (size_t)n, -EINVAL, "record 2 of 2 truncated");
}

/* A full message: the item that does not fit is refused, not cut. */
static void
test_builder_full(void **state TW_UNUSED)
{
	struct sync_builder b;
	struct sync_sa_rec r, got;
	struct sync_iter it;
	unsigned int added = 0;
	int n, rc;

	assert_int_equal(sync_build_begin(&b, SYNC_MSG_BULK_RECORDS, buf, 4),
			 -ENOSPC);
	assert_int_equal(sync_build_begin(&b, SYNC_MSG_HELLO, buf,
					  sizeof(buf)), -EINVAL);
	assert_int_equal(sync_build_begin(&b, SYNC_MSG_BULK_RECORDS, buf,
					  1000), 0);
	for (;;) {
		make_sa(&r, added + 1);
		rc = sync_build_sa(&b, &r, err, sizeof(err));
		if (rc == -ENOSPC)
			break;
		assert_int_equal(rc, 0);
		added++;
	}
	assert_true(added >= 3);
	assert_int_equal(sync_build_delete(&b, &(struct sync_sa_ref){
		1, 0x1000, SADB_DIR_IN }), -EINVAL);
	n = sync_build_end(&b);
	assert_true(n > 0 && n <= 1000);
	assert_int_equal(decode(buf, (size_t)n, &m), 0);
	assert_int_equal(m.u.list.n, added);
	sync_iter_init(&it, &m);
	while (sync_rec_next(&it, &got) == 1)
		added--;
	assert_int_equal(added, 0);

	/* Thousands of SAs fit in a few maximum-size messages. */
	assert_int_equal(sync_build_begin(&b, SYNC_MSG_BULK_RECORDS, buf,
					  sizeof(buf)), 0);
	for (added = 0; ; added++) {
		make_sa(&r, 8);
		if (sync_build_sa(&b, &r, err, sizeof(err)) != 0)
			break;
	}
	assert_true(added > 150);
	n = sync_build_end(&b);
	assert_int_equal(decode(buf, (size_t)n, &m), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixed_round_trip),
		cmocka_unit_test(test_records_round_trip),
		cmocka_unit_test(test_records_ipv6),
		cmocka_unit_test(test_delete_counter_round_trip),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_bad_lengths),
		cmocka_unit_test(test_bad_record_values),
		cmocka_unit_test(test_unknown_version_type),
		cmocka_unit_test(test_unknown_kind_skipped),
		cmocka_unit_test(test_builder_full),
		cmocka_unit_test(test_ike_round_trip),
		cmocka_unit_test(test_ike_truncation),
		cmocka_unit_test(test_ike_bad_lengths),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
