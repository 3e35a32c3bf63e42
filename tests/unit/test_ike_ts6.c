/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IKEv2 with IPv6 (issue 18): TS_IPV6_ADDR_RANGE selectors (codec,
 * narrowing, the initiator's widening check, mixed lists), policies from
 * a config with an IPv6 peer and IPv6 match rules, and two engines
 * negotiating over IPv6: IKE SA and Child SA with IPv6 selectors, no NAT
 * detected, DPD, a Child SA rekey and a wrong PSK refused.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "ike.h"
#include "ike_payload.h"
#include "ike_proposal.h"
#include "ike_sa.h"
#include "ike_ts.h"
#include "tw_compiler.h"

static const uint8_t net1[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 1 };
static const uint8_t net2[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 2 };

static struct ike_ts
ts6(const uint8_t net[16], uint8_t len)
{
	struct ike_ts t;

	ike_ts_from_prefix6(&t, net, len, 0, 0, 65535);
	return t;
}

static struct ike_ts
ts4(uint32_t net, uint8_t len)
{
	struct ike_ts t;

	ike_ts_from_prefix(&t, net, len, 0, 0, 65535);
	return t;
}

/* A prefix as a range: host bits 0 and 1; /0 and /128 at the ends. */
static void
test_from_prefix6(void **st TW_UNUSED)
{
	static const uint8_t odd[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0,
					 0, 0, 0, 0, 0, 0, 0, 0x77 };
	struct ike_ts t = ts6(odd, 61);
	uint8_t lo[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 1 };
	uint8_t hi[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 7,
			   0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

	assert_int_equal(t.type, IKE_TS_IPV6_ADDR_RANGE);
	assert_memory_equal(t.addr6_lo, lo, 16);
	assert_memory_equal(t.addr6_hi, hi, 16);
	t = ts6(odd, 128);
	assert_memory_equal(t.addr6_lo, odd, 16);
	assert_memory_equal(t.addr6_hi, odd, 16);
	t = ts6(odd, 0);
	memset(hi, 0xff, 16);
	memset(lo, 0, 16);
	assert_memory_equal(t.addr6_lo, lo, 16);
	assert_memory_equal(t.addr6_hi, hi, 16);
}

/* RFC 7296 3.13.1 bytes, written here by hand: one IPv6 selector (TCP,
 * port 443, 2001:db8:1::/64) and one IPv4 (10.2.0.0/16). */
static void
test_codec_mixed(void **st TW_UNUSED)
{
	uint8_t body[4 + 40 + 16] = { 2, 0, 0, 0,
		IKE_TS_IPV6_ADDR_RANGE, 6, 0, 40, 0x01, 0xbb, 0x01, 0xbb,
		0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		IKE_TS_IPV4_ADDR_RANGE, 0, 0, 16, 0, 0, 0xff, 0xff,
		10, 2, 0, 0, 10, 2, 0xff, 0xff };
	struct ike_ts out[IKE_TS_MAX], want = ts6(net1, 64);
	struct ike_pl_ts pl;
	const char *why = "";

	want.proto = 6;
	want.port_lo = want.port_hi = 443;
	assert_int_equal(ike_payload_ts_decode(body, sizeof(body), &pl, &why),
			 0);
	assert_int_equal(ike_ts_all(&pl, out, IKE_TS_MAX), 2);
	assert_memory_equal(&out[0], &want, sizeof(want));
	want = ts4(0x0a020000, 16);
	assert_memory_equal(&out[1], &want, sizeof(want));
	/* an IPv6 selector must be 40 bytes */
	body[7] = 39;
	assert_int_equal(ike_payload_ts_decode(body, sizeof(body), &pl, &why),
			 -EINVAL);
	assert_string_equal(why, "TS: IPv6 selector not 40 bytes");
}

static void
test_intersect6(void **st TW_UNUSED)
{
	struct ike_ts a = ts6(net1, 48), b = ts6(net1, 64), r;
	struct ike_ts c = ts6(net2, 64), v4 = ts4(0, 0);

	assert_true(ike_ts_intersect(&a, &b, &r));
	assert_memory_equal(&r, &b, sizeof(r));
	assert_true(ike_ts_within(&b, &a));
	assert_false(ike_ts_within(&a, &b));
	/* disjoint */
	assert_false(ike_ts_intersect(&b, &c, &r));
	/* never across families, even 0.0.0.0/0 against everything */
	a = ts6(net1, 0);
	assert_false(ike_ts_intersect(&a, &v4, &r));
	assert_false(ike_ts_intersect(&v4, &a, &r));
	assert_false(ike_ts_within(&v4, &a));
}

/*
 * Responder narrowing with policy pairs of both families: a peer's mixed
 * lists meet the first pair they fit, each selector only ours of its
 * family; an IPv6 proposal meets the IPv6 pair past the IPv4 one.
 */
static void
test_narrow_mixed(void **st TW_UNUSED)
{
	struct ike_ts_pair pol[2] = {
		{ ts4(0x0a010000, 16), ts4(0x0a020000, 16) },
		{ ts6(net1, 48), ts6(net2, 48) },
	};
	struct ike_ts peer_r[2], peer_l[2], out_r[IKE_TS_MAX],
		out_l[IKE_TS_MAX];
	unsigned int nr, nl, which;

	/* the peer (initiator) proposes 2001:db8:2::/64 <-> ::/0 */
	peer_r[0] = ts6(net2, 64);
	peer_l[0] = ts6(net1, 0);
	assert_int_equal(ike_ts_narrow(peer_r, 1, peer_l, 1, pol, 2, out_r,
				       &nr, out_l, &nl, &which), 0);
	assert_int_equal(which, 1);
	assert_int_equal(nr, 1);
	assert_int_equal(nl, 1);
	assert_memory_equal(&out_r[0], &peer_r[0], sizeof(out_r[0]));
	assert_memory_equal(&out_l[0], &pol[1].local, sizeof(out_l[0]));
	/* mixed lists: both families offered, the first pair (IPv4) wins
	 * with only the IPv4 selectors: one SA is of one inner family */
	peer_r[1] = ts4(0x0a020000, 24);
	peer_l[1] = ts4(0x0a010000, 16);
	assert_int_equal(ike_ts_narrow(peer_r, 2, peer_l, 2, pol, 2, out_r,
				       &nr, out_l, &nl, &which), 0);
	assert_int_equal(which, 0);
	assert_int_equal(nr, 1);
	assert_int_equal(out_r[0].type, IKE_TS_IPV4_ADDR_RANGE);
	assert_int_equal(nl, 1);
	/* IPv6 outside both pairs: TS_UNACCEPTABLE */
	peer_r[0] = ts6(net1, 64);
	assert_int_equal(ike_ts_narrow(peer_r, 1, peer_l, 1, pol, 2, out_r,
				       &nr, out_l, &nl, &which), -ENOENT);
}

/* The initiator's check (ts_reply_ok): a reply may only narrow. */
static void
test_check_reply6(void **st TW_UNUSED)
{
	struct ike_ts prop[2] = { ts4(0x0a010000, 16), ts6(net1, 48) };
	struct ike_ts reply = ts6(net1, 64);

	assert_int_equal(ike_ts_check_reply(prop, 2, &reply, 1), 0);
	reply = ts6(net1, 32);           /* wider */
	assert_int_equal(ike_ts_check_reply(prop, 2, &reply, 1), -EINVAL);
	reply = ts6(net2, 64);           /* elsewhere */
	assert_int_equal(ike_ts_check_reply(prop, 2, &reply, 1), -EINVAL);
	reply = ts4(0x0a010100, 24);     /* the IPv4 one, narrowed */
	assert_int_equal(ike_ts_check_reply(prop, 2, &reply, 1), 0);
}

/* ---- policies from a config ---- */

static struct tw_addr
local6(void *arg TW_UNUSED, const struct conf_crypto_map *m TW_UNUSED,
       uint8_t family)
{
	struct tw_addr a = tw_addr_v4(0xc0000201);

	if (family == TW_AF_INET6)
		tw_addr_parse("2001:db8::1", &a);
	return a;
}

static void
test_policy_from_conf(void **st TW_UNUSED)
{
	static const char text[] =
		"hostname = \"gw6\";\n"
		"interfaces = (\n"
		"  { name = \"inside\"; role = \"inside\"; device = \"r0\"; address = \"10.1.0.1/24\"; },\n"
		"  { name = \"outside\"; role = \"outside\"; device = \"r1\"; address = \"192.0.2.1/24\"; crypto_map = \"VPN\"; }\n"
		");\n"
		"transform_sets = ( { name = \"GCM\"; esp = \"aes-gcm-128\"; } );\n"
		"crypto_maps = ( { name = \"VPN\"; entries = ( {\n"
		"  seq = 10; type = \"ipsec-isakmp\"; peer = \"2001:db8::2\"; transform_set = \"GCM\";\n"
		"  match = ( { src = \"2001:db8:1::/64\"; dst = \"2001:db8:2::/64\"; },\n"
		"            { src = \"10.1.0.0/24\"; dst = \"10.2.0.0/16\"; } );\n"
		"} ); } );\n"
		"ike = { proposals = ( { name = \"P\"; encryption = [ \"aes-gcm-128\" ]; prf = [ \"sha256\" ]; dh = [ 19 ]; } );\n"
		"  pre_shared_keys = ( { peer = \"2001:db8::2\"; key = \"sesame-ipv6\"; } ); };\n";
	struct ike_config cfg;
	struct ike_ts want;
	struct conf *c = NULL;
	char err[CONF_ERR_MAX] = "", id[64];
	const struct ike_policy *p;

	if (conf_load_string(text, "t", &c, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	memset(&cfg, 0, sizeof(cfg));
	if (ike_policy_from_conf(c, local6, NULL, &cfg, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_int_equal(cfg.n_policies, 1);
	p = &cfg.policies[0];
	assert_int_equal(p->peer_addr.family, TW_AF_INET6);
	assert_int_equal(p->local_addr.family, TW_AF_INET6);
	assert_int_equal(p->local_id.type, IKE_ID_IPV6_ADDR);
	assert_string_equal(ike_id_str(&p->local_id, id, sizeof(id)),
			    "2001:db8::1");
	assert_int_equal(p->psk_len, 11);
	assert_memory_equal(p->psk, "sesame-ipv6", 11);
	/* IPv4 rules first, then IPv6 ones */
	assert_int_equal(p->n_ts, 2);
	want = ts4(0x0a010000, 24);
	assert_memory_equal(&p->ts[0].local, &want, sizeof(want));
	want = ts6(net1, 64);
	assert_memory_equal(&p->ts[1].local, &want, sizeof(want));
	want = ts6(net2, 64);
	assert_memory_equal(&p->ts[1].remote, &want, sizeof(want));
	ike_policy_free(&cfg);
	conf_free(c);
}

/* ---- two engines over IPv6 ---- */

#define QMAX 32

struct dg {
	uint8_t d[IKE_MSG_BUF];
	size_t len;
	struct tw_addr src, dst;
	uint16_t sport, dport;
};

struct side {
	struct ike_policy pol;
	struct ike_config cfg;
	struct ike_engine *e;
	uint64_t rng;
	tw_time_t dl[128];
	unsigned int child_up, child_down, ike_up, ike_down, ike_deleting;
	struct ike_child last;
};

static struct side A, B;
static struct dg q[QMAX];
static unsigned int qh, qt;
static tw_time_t now;

static int
rng(void *arg, uint8_t *buf, size_t len)
{
	uint64_t *x = arg;
	size_t i;

	for (i = 0; i < len; i++) {
		*x ^= *x >> 12;
		*x ^= *x << 25;
		*x ^= *x >> 27;
		buf[i] = (uint8_t)((*x * 0x2545F4914F6CDD1DULL) >> 56);
	}
	return 0;
}

static void
side_init(struct side *s, const char *local, const char *peer,
	  const uint8_t *lnet, const uint8_t *rnet, const char *psk,
	  uint64_t seed)
{
	unsigned int i;

	memset(s, 0, sizeof(*s));
	snprintf(s->pol.map, sizeof(s->pol.map), "VPN");
	s->pol.seq = 10;
	assert_int_equal(tw_addr_parse(local, &s->pol.local_addr), 0);
	assert_int_equal(tw_addr_parse(peer, &s->pol.peer_addr), 0);
	assert_int_equal(ike_id_from_string(&s->pol.local_id, local), 0);
	s->pol.psk_len = (uint8_t)strlen(psk);
	memcpy(s->pol.psk, psk, s->pol.psk_len);
	ike_proposal_init(&s->pol.ike_props[0], 1, IKE_PROTO_IKE, NULL, 0);
	ike_proposal_add(&s->pol.ike_props[0], IKE_XF_ENCR,
			 IKE_ENCR_AES_GCM_16, 128);
	ike_proposal_add(&s->pol.ike_props[0], IKE_XF_PRF,
			 IKE_PRF_HMAC_SHA2_256, 0);
	ike_proposal_add(&s->pol.ike_props[0], IKE_XF_DH, IKE_DH_ECP_256, 0);
	s->pol.n_ike_props = 1;
	s->pol.cipher = CONF_CIPHER_AES_GCM_128;
	s->pol.integ = CONF_INTEG_NONE;
	s->pol.replay_window = 64;
	ike_ts_from_prefix6(&s->pol.ts[0].local, lnet, 48, 0, 0, 65535);
	ike_ts_from_prefix6(&s->pol.ts[0].remote, rnet, 48, 0, 0, 65535);
	s->pol.n_ts = 1;
	s->pol.child_life_s = 3600;
	s->pol.initiate = IKE_INITIATE_START;
	ike_config_defaults(&s->cfg);
	s->cfg.policies = &s->pol;
	s->cfg.n_policies = 1;
	s->cfg.max_sas = 64;
	s->cfg.dpd_interval_s = 10;
	s->rng = seed;
	s->e = ike_engine_create(&s->cfg, ike_crypto_openssl(),
				 &(struct ike_rng){ rng, &s->rng });
	assert_non_null(s->e);
	for (i = 0; i < 128; i++)
		s->dl[i] = TW_TIME_NEVER;
}

static void
apply(struct side *s, struct ike_action *a, int n)
{
	struct dg *d;
	int i;

	assert_true(n >= 0);
	for (i = 0; i < n; i++) {
		switch (a[i].type) {
		case IKE_ACT_SEND:
			/* over IPv6 no NAT: never the non-ESP marker port */
			assert_int_equal(a[i].u.send.src.family,
					 TW_AF_INET6);
			assert_int_equal(a[i].u.send.dport, IKE_UDP_PORT);
			assert_true(qt - qh < QMAX);
			d = &q[qt++ % QMAX];
			memcpy(d->d, a[i].u.send.data, a[i].u.send.len);
			d->len = a[i].u.send.len;
			d->src = a[i].u.send.src;
			d->dst = a[i].u.send.dst;
			d->sport = a[i].u.send.sport;
			d->dport = a[i].u.send.dport;
			break;
		case IKE_ACT_ARM:
			s->dl[a[i].sa_id] = a[i].u.at;
			break;
		case IKE_ACT_CANCEL:
			s->dl[a[i].sa_id] = TW_TIME_NEVER;
			break;
		case IKE_ACT_CHILD_UP:
			s->child_up++;
			s->last = *a[i].u.child.c;
			break;
		case IKE_ACT_CHILD_DOWN:
			s->child_down++;
			assert_int_equal(a[i].u.child.peer.family,
					 TW_AF_INET6);
			break;
		case IKE_ACT_IKE_UP:
			s->ike_up++;
			break;
		case IKE_ACT_IKE_DOWN:
			s->ike_down++;
			break;
		case IKE_ACT_IKE_DELETING:
			s->ike_deleting++;
			break;
		}
	}
}

/* Deliver what is queued, each to the side whose address it is for. */
static void
pump(void)
{
	struct ike_action acts[IKE_ACTIONS_MAX];

	while (qh != qt) {
		struct dg *d = &q[qh++ % QMAX];
		struct side *to = tw_addr_eq(&d->dst, &A.pol.local_addr) ?
			&A : &B;
		struct ike_pkt p = {
			.data = d->d, .len = d->len, .src = d->src,
			.dst = d->dst, .sport = d->sport, .dport = d->dport,
		};

		assert_true(tw_addr_eq(&d->dst, &to->pol.local_addr));
		apply(to, acts, ike_input(to->e, &p, now, acts,
					  IKE_ACTIONS_MAX));
	}
}

/* Fire the deadlines of s that are due. */
static void
fire(struct side *s)
{
	struct ike_action acts[IKE_ACTIONS_MAX];
	unsigned int i;

	for (i = 1; i < 128; i++)
		if (s->dl[i] <= now) {
			s->dl[i] = TW_TIME_NEVER;
			apply(s, acts, ike_timer(s->e, i, now, acts,
						 IKE_ACTIONS_MAX));
		}
}

static int
setup(void **st TW_UNUSED)
{
	now = TW_SEC(1000);
	qh = qt = 0;
	side_init(&A, "2001:db8::1", "2001:db8::2", net1, net2, "sesame", 1);
	side_init(&B, "2001:db8::2", "2001:db8::1", net2, net1, "sesame", 2);
	return 0;
}

static int
teardown(void **st TW_UNUSED)
{
	ike_engine_destroy(A.e);
	ike_engine_destroy(B.e);
	A.e = B.e = NULL;
	return 0;
}

static const struct ike_sa *
first(const struct side *s)
{
	return ike_engine_sa_next(s->e, NULL);
}

static void
test_engines_v6(void **st TW_UNUSED)
{
	struct ike_action acts[IKE_ACTIONS_MAX];
	const struct ike_sa *a, *b;
	struct ike_ts want;
	uint32_t old_in;
	unsigned int i;

	apply(&A, acts, ike_initiate(A.e, 0, now, acts, IKE_ACTIONS_MAX));
	pump();
	assert_int_equal(A.ike_up, 1);
	assert_int_equal(B.ike_up, 1);
	assert_int_equal(A.child_up, 1);
	assert_int_equal(B.child_up, 1);
	a = first(&A);
	b = first(&B);
	assert_int_equal(a->state, IKE_SA_ESTABLISHED);
	assert_int_equal(a->spi_i, b->spi_i);
	assert_int_equal(a->spi_r, b->spi_r);
	/* NAT detection ran over the IPv6 addresses and found none */
	assert_false(a->nat_local || a->nat_peer || b->nat_local ||
		     b->nat_peer);
	assert_int_equal(a->local_port, IKE_UDP_PORT);
	/* the Child SA: IPv6 endpoints and selectors, no UDP encapsulation */
	assert_false(A.last.udp_encap);
	assert_true(tw_addr_eq(&A.last.peer_addr, &A.pol.peer_addr));
	assert_true(tw_addr_eq(&B.last.local_addr, &B.pol.local_addr));
	assert_int_equal(A.last.spi_in, B.last.spi_out);
	assert_int_equal(B.last.n_local, 1);
	want = ts6(net2, 48);
	assert_memory_equal(&B.last.ts_local[0], &want, sizeof(want));
	want = ts6(net1, 48);
	assert_memory_equal(&B.last.ts_remote[0], &want, sizeof(want));
	/* DPD: idle past the interval, A asks, B answers */
	now += TW_SEC(11);
	fire(&A);
	assert_true(qt != qh);
	pump();
	assert_int_equal(A.ike_down, 0);
	assert_int_equal(first(&A)->state, IKE_SA_ESTABLISHED);
	/* a Child SA rekey over IPv6 */
	old_in = A.last.spi_in;
	apply(&A, acts, ike_rekey_child(A.e, old_in, now, acts,
					IKE_ACTIONS_MAX));
	pump();
	for (i = 0; i < 4 && qt != qh; i++)
		pump();
	assert_int_equal(A.child_up, 2);
	assert_int_equal(B.child_up, 2);
	assert_true(A.last.spi_in != old_in);
	assert_int_equal(A.last.ts_local[0].type, IKE_TS_IPV6_ADDR_RANGE);
	assert_true(A.child_down >= 1);
}

/* A wrong pre-shared key is refused over IPv6 as over IPv4. */
static void
test_engines_v6_bad_psk(void **st TW_UNUSED)
{
	struct ike_action acts[IKE_ACTIONS_MAX];
	struct ike_counters c;

	B.pol.psk[0] ^= 1;
	apply(&A, acts, ike_initiate(A.e, 0, now, acts, IKE_ACTIONS_MAX));
	pump();
	assert_int_equal(A.ike_up, 0);
	assert_int_equal(B.ike_up, 0);
	assert_int_equal(A.child_up + B.child_up, 0);
	ike_counters_read(B.e, &c);
	assert_int_equal(c.auth_failed, 1);
}

/* Datagrams of mixed families, or to a link-local address: dropped. */
static void
test_engine_v6_addresses(void **st TW_UNUSED)
{
	struct ike_action acts[IKE_ACTIONS_MAX];
	struct tw_addr ll, a;
	static const uint8_t junk[28];
	struct ike_counters c;
	struct ike_pkt p = {
		.data = junk, .len = sizeof(junk), .sport = 500, .dport = 500,
	};

	assert_int_equal(tw_addr_parse("fe80::1", &ll), 0);
	assert_false(ike_addr_unicast(&ll));
	assert_true(ike_addr_unicast(&B.pol.local_addr));
	a = tw_addr_v4(0xc0000201);
	p.src = a;
	p.dst = B.pol.local_addr;
	assert_int_equal(ike_input(B.e, &p, now, acts, IKE_ACTIONS_MAX), 0);
	p.src = ll;
	assert_int_equal(ike_input(B.e, &p, now, acts, IKE_ACTIONS_MAX), 0);
	ike_counters_read(B.e, &c);
	assert_int_equal(c.rx_not_unicast, 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_from_prefix6),
		cmocka_unit_test(test_codec_mixed),
		cmocka_unit_test(test_intersect6),
		cmocka_unit_test(test_narrow_mixed),
		cmocka_unit_test(test_check_reply6),
		cmocka_unit_test(test_policy_from_conf),
		cmocka_unit_test_setup_teardown(test_engines_v6, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_engines_v6_bad_psk,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_engine_v6_addresses,
						setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
