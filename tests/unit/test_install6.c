/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The IPv6 part of the manual SAs (app/twinsecd/install/install_v6.c,
 * issue 18): a crypto map entry with an IPv6 peer and IPv6 match rules
 * becomes SA database parameters with IPv6 endpoints (ours from the
 * outside interface), IPv6 selectors mirrored inbound, accepted by the
 * SA database; the refusals by file:line; an IPv4 entry untouched.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "conf.h"
#include "fake_sadb.h"
#include "../../app/twinsecd/install/install_v6.h"
#include "sadb.h"
#include "tw_compiler.h"

#define SITE \
	"hostname = \"gw6\";\n" \
	"interfaces = (\n" \
	"  { name = \"inside\"; role = \"inside\"; device = \"net_ring0\";\n" \
	"    address = \"10.1.0.1/24\"; ipv6_address = \"2001:db8:1::1/64\"; },\n" \
	"  { name = \"outside\"; role = \"outside\"; device = \"net_ring1\";\n" \
	"    address = \"192.0.2.1/24\"; crypto_map = \"VPN\";%s }\n" \
	");\n" \
	"transform_sets = ( { name = \"GCM\"; esp = \"aes-gcm-128\"; } );\n" \
	"crypto_maps = ( { name = \"VPN\"; entries = ( {\n" \
	"  seq = 10; type = \"ipsec-manual\"; peer = \"%s\";\n" \
	"  transform_set = \"GCM\";\n" \
	"  match = ( %s );\n" \
	"  inbound = { spi = 0x1001; key = \"404142434445464748494a4b4c4d4e4f50515253\"; };\n" \
	"  outbound = { spi = 0x2001; key = \"606162636465666768696a6b6c6d6e6f70717273\"; };\n" \
	"} ); } );\n"

#define OUT6 " ipv6_address = [ \"2001:db8:ff::1/64\", \"2001:db8:fe::1/64\" ];"
#define M6 \
	"{ src = \"2001:db8:1::/64\"; dst = \"2001:db8:2::/48\"; " \
	"protocol = \"udp\"; src_port = 1000; dst_port = 53; }, " \
	"{ action = \"bypass\"; src = \"2001:db8:1::/64\"; dst = \"::/0\"; }"
#define M4 "{ src = \"10.1.0.0/24\"; dst = \"10.2.0.0/16\"; }"

static struct conf *
load(const char *out, const char *peer, const char *match)
{
	char text[4096], err[CONF_ERR_MAX] = "";
	struct conf *c = NULL;

	snprintf(text, sizeof(text), SITE, out, peer, match);
	if (conf_load_string(text, "six.conf", &c, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	return c;
}

/* What install.c fills for IPv4 before install_v6_params(). */
static void
base(const struct conf *c, enum sadb_dir dir, struct sadb_sa_params *p)
{
	const struct conf_map_entry *e = &c->crypto_maps[0].entries[0];
	const struct conf_session_key *k = dir == SADB_DIR_IN ? &e->inbound :
		&e->outbound;

	memset(p, 0, sizeof(*p));
	p->spi = k->spi;
	p->dir = dir;
	p->cipher = CONF_CIPHER_AES_GCM_128;
	p->integ = CONF_INTEG_NONE;
	p->cipher_key_len = k->cipher_key_len;
	memcpy(p->cipher_key, k->cipher_key, k->cipher_key_len);
	p->local_addr = c->ifaces[1].addr;
	p->peer_addr = e->peer;
	p->replay_window = 64;
	p->replay_interval = 1000;
}

static void
test_ipv6_entry(void **state TW_UNUSED)
{
	struct conf *c = load(OUT6, "2001:db8:ff::2", M6);
	const struct conf_crypto_map *map = &c->crypto_maps[0];
	const struct conf_map_entry *e = &map->entries[0];
	struct sadb_sa_params in, out;
	struct fake_sadb fake;
	struct sadb *db;
	struct sadb_sa *sa;
	char err[256] = "", b[TW_ADDR_STRLEN];
	struct tw_addr a;

	base(c, SADB_DIR_IN, &in);
	base(c, SADB_DIR_OUT, &out);
	assert_int_equal(install_v6_params(c, map, e, SADB_DIR_IN, &in, err,
					   sizeof(err)), 0);
	assert_int_equal(install_v6_params(c, map, e, SADB_DIR_OUT, &out, err,
					   sizeof(err)), 0);
	assert_int_equal(out.family, TW_AF_INET6);
	assert_int_equal(out.inner_family, TW_AF_INET6);
	assert_int_equal(out.peer_addr, 0);
	a = sadb_sa_local(&out);
	assert_string_equal(tw_addr_str(&a, b, sizeof(b)), "2001:db8:ff::1");
	a = sadb_sa_peer(&out);
	assert_string_equal(tw_addr_str(&a, b, sizeof(b)), "2001:db8:ff::2");
	/* the protect rule only; mirrored inbound, ports included */
	assert_int_equal(out.n_sel, 1);
	assert_int_equal(out.sel[0].family, TW_AF_INET6);
	assert_int_equal(out.sel[0].src_len, 64);
	assert_int_equal(out.sel[0].dst_len, 48);
	assert_int_equal(out.sel[0].proto, 17);
	assert_int_equal(out.sel[0].sport_lo, 1000);
	assert_int_equal(out.sel[0].dport_lo, 53);
	assert_int_equal(out.sel[0].dst6[5], 2);
	assert_int_equal(in.n_sel, 1);
	assert_int_equal(in.sel[0].src_len, 48);
	assert_int_equal(in.sel[0].src6[5], 2);
	assert_int_equal(in.sel[0].dst6[5], 1);
	assert_int_equal(in.sel[0].sport_lo, 53);
	assert_int_equal(in.sel[0].dport_lo, 1000);

	/* The SA database takes both. */
	fake_sadb_init(&fake);
	db = sadb_create(&fake_sadb_ops, &fake, 4);
	assert_non_null(db);
	assert_int_equal(sadb_sa_add(db, &in, 0, &sa, err, sizeof(err)), 0);
	assert_int_equal(sadb_sa_add(db, &out, 0, &sa, err, sizeof(err)), 0);
	a = sadb_sa_peer(&out);
	assert_ptr_equal(sadb_sa_lookup_addr(db, SADB_DIR_OUT, 0x2001, &a), sa);
	sadb_destroy(db);
	/* Accepted at start: the fast path carries it (dp_esp6.c). */
	assert_int_equal(install_v6_check(c, err, sizeof(err)), 0);
	conf_free(c);
}

/* IPv6 traffic over an IPv4 peer; IPv4 traffic over an IPv6 peer. */
static void
test_mixed_families(void **state TW_UNUSED)
{
	struct conf *c = load(OUT6, "198.51.100.2", M6);
	const struct conf_crypto_map *map = &c->crypto_maps[0];
	struct sadb_sa_params p;
	char err[256] = "";

	base(c, SADB_DIR_OUT, &p);
	assert_int_equal(install_v6_params(c, map, &map->entries[0],
					   SADB_DIR_OUT, &p, err, sizeof(err)),
			 0);
	assert_int_equal(sadb_outer_af(&p), TW_AF_INET);
	assert_int_equal(p.peer_addr, 0xc6336402);
	assert_int_equal(p.inner_family, TW_AF_INET6);
	conf_free(c);

	c = load(OUT6, "2001:db8:ff::2", M4);
	map = &c->crypto_maps[0];
	base(c, SADB_DIR_IN, &p);
	assert_int_equal(install_v6_params(c, map, &map->entries[0],
					   SADB_DIR_IN, &p, err, sizeof(err)),
			 0);
	assert_int_equal(p.family, TW_AF_INET6);
	assert_int_equal(sadb_inner_af(&p), TW_AF_INET);
	assert_int_equal(p.n_sel, 0); /* install.c's IPv4 ones stay */
	conf_free(c);

	/* An IPv4-only entry is left as it was. */
	c = load("", "198.51.100.2", M4);
	map = &c->crypto_maps[0];
	base(c, SADB_DIR_OUT, &p);
	assert_int_equal(install_v6_params(c, map, &map->entries[0],
					   SADB_DIR_OUT, &p, err, sizeof(err)),
			 0);
	assert_int_equal(p.family, 0);
	assert_int_equal(p.inner_family, 0);
	conf_free(c);
}

static void
test_refusals(void **state TW_UNUSED)
{
	struct conf *c = load("", "2001:db8:ff::2", M6);
	const struct conf_crypto_map *map = &c->crypto_maps[0];
	struct sadb_sa_params p;
	char err[256] = "";

	/* no IPv6 address on the outside interface */
	base(c, SADB_DIR_OUT, &p);
	assert_int_equal(install_v6_params(c, map, &map->entries[0],
					   SADB_DIR_OUT, &p, err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "six.conf:"));
	assert_non_null(strstr(err, "interface outside has no IPv6 address"));
	conf_free(c);

	/* protect rules of both families in one entry */
	c = load(OUT6, "2001:db8:ff::2", M4 ", " M6);
	map = &c->crypto_maps[0];
	base(c, SADB_DIR_OUT, &p);
	assert_int_equal(install_v6_params(c, map, &map->entries[0],
					   SADB_DIR_OUT, &p, err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "protect rules of both families"));
	conf_free(c);
}

/*
 * IPv6 bypass/discard rules of an IPv4 entry go to the fast path's SPD6,
 * and IPv6 protect rules (a tunnel of IPv6, dp_esp6.c) and IPv6 peers
 * are carried too: accepted.
 */
static void
test_v6_bypass_only(void **state TW_UNUSED)
{
	struct conf *c = load("", "192.0.2.2", M4 ", "
			      "{ action = \"bypass\"; src = \"2001:db8:1::/64\"; dst = \"::/0\"; }, "
			      "{ action = \"discard\"; src = \"::/0\"; dst = \"2001:db8:66::/48\"; }");
	char err[256] = "";

	assert_int_equal(c->crypto_maps[0].entries[0].n_matches6, 2);
	assert_int_equal(install_v6_check(c, err, sizeof(err)), 0);
	conf_free(c);
	c = load("", "192.0.2.2",
		 "{ src = \"2001:db8:1::/64\"; dst = \"2001:db8:2::/48\"; }");
	assert_int_equal(install_v6_check(c, err, sizeof(err)), 0);
	conf_free(c);
	c = load(OUT6, "2001:db8:ff::2", M6);
	assert_int_equal(install_v6_check(c, err, sizeof(err)), 0);
	conf_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ipv6_entry),
		cmocka_unit_test(test_mixed_families),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_v6_bypass_only),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
