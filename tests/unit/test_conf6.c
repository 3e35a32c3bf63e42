/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IPv6 in the configuration (issue 18): interface addresses, routes,
 * crypto map peers and selectors, the console's listen address, and the
 * file:line error each malformed one gets.
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
#include "tw_compiler.h"

/*
 * A site with both families; each case substitutes one of the %s: the
 * outside interface's extra keys, a route, an entry's peer, its match
 * list, the console's listen.
 */
#define SITE \
	"hostname = \"gw6\";\n" \
	"interfaces = (\n" \
	"  { name = \"inside\"; role = \"inside\"; device = \"net_ring0\";\n" \
	"    address = \"10.1.0.1/24\"; ipv6_address = \"2001:db8:1::1/64\"; },\n" \
	"  { name = \"outside\"; role = \"outside\"; device = \"net_ring1\";\n" \
	"    address = \"192.0.2.1/24\"; crypto_map = \"VPN\";%s }\n" \
	");\n" \
	"routes = ( { prefix = \"10.2.0.0/16\"; gateway = \"192.0.2.2\"; },\n" \
	"  %s );\n" \
	"transform_sets = ( { name = \"GCM\"; esp = \"aes-gcm-128\"; } );\n" \
	"crypto_maps = ( { name = \"VPN\"; entries = ( {\n" \
	"  seq = 10; type = \"ipsec-manual\"; peer = \"%s\";\n" \
	"  transform_set = \"GCM\";\n" \
	"  match = ( %s );\n" \
	"  inbound = { spi = 0x1001; key = \"404142434445464748494a4b4c4d4e4f50515253\"; };\n" \
	"  outbound = { spi = 0x2001; key = \"606162636465666768696a6b6c6d6e6f70717273\"; };\n" \
	"} ); } );\n" \
	"console = { listen = \"%s\"; users = ( { name = \"admin\";\n" \
	"  secret = \"$6$twinsecadmin$VeeoK5TKAa.hMxNWEByK/MP1rOGtA0TSAPlBoMjbRrUiE51jTl3p0mllwWFTG6orr5jkP9.MTceuCZnLIdPrQ.\"; } ); };\n"

#define R4 "{ prefix = \"10.3.0.0/16\"; interface = \"outside\"; }"
#define OUT6 " ipv6_address = [ \"2001:db8:ff::1/64\", \"2001:db8:fe::1/64\" ];"
#define ROUTE6 "{ prefix = \"2001:db8:2::/48\"; gateway = \"2001:db8:ff::2\"; }"
#define MATCH46 \
	"{ src = \"10.1.0.0/24\"; dst = \"10.2.0.0/16\"; }, " \
	"{ src = \"2001:db8:1::/64\"; dst = \"2001:db8:2::/48\"; " \
	"protocol = \"icmpv6\"; }, " \
	"{ action = \"bypass\"; src = \"2001:db8:1::/64\"; dst = \"::/0\"; }"

struct site {
	const char *out;
	const char *route;
	const char *peer;
	const char *match;
	const char *listen;
};

static const struct site good = {
	OUT6, ROUTE6, "2001:db8:ff::2", MATCH46, "[::1]:2323",
};

static int
load(const struct site *s, struct conf **c, char *err, size_t len)
{
	char text[4096];

	snprintf(text, sizeof(text), SITE, s->out, s->route, s->peer,
		 s->match, s->listen);
	return conf_load_string(text, "six", c, err, len);
}

static void
test_good(void **state TW_UNUSED)
{
	const struct conf_map_entry *e;
	const struct conf_iface *ifc;
	char err[CONF_ERR_MAX] = "", b[TW_PREFIX_STRLEN];
	struct conf *c = NULL;
	struct tw_addr a;

	if (load(&good, &c, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	ifc = conf_iface_find(c, "outside");
	assert_int_equal(ifc->n_addr6, 2);
	assert_string_equal(tw_prefix_str(&ifc->addr6[1], b, sizeof(b)),
			    "2001:db8:fe::1/64");
	assert_int_equal(c->ifaces[0].n_addr6, 1);
	/* One list per family; the IPv4 view unchanged. */
	assert_int_equal(c->n_routes, 1);
	assert_int_equal(c->routes[0].to.addr.family, TW_AF_INET);
	assert_int_equal(c->routes[0].via.v4, c->routes[0].gateway);
	assert_int_equal(c->n_routes6, 1);
	assert_string_equal(tw_prefix_str(&c->routes6[0].to, b, sizeof(b)),
			    "2001:db8:2::/48");
	assert_string_equal(c->routes6[0].iface, "outside");
	assert_string_equal(tw_addr_str(&c->routes6[0].via, b, sizeof(b)),
			    "2001:db8:ff::2");
	e = &c->crypto_maps[0].entries[0];
	assert_int_equal(e->peer_addr.family, TW_AF_INET6);
	assert_int_equal(e->peer, 0);
	assert_int_equal(e->n_matches, 1);
	assert_int_equal(e->matches[0].src.len, 24);
	assert_int_equal(e->n_matches6, 2);
	assert_int_equal(e->matches6[0].proto, 58);
	assert_int_equal(e->matches6[0].dst_net.len, 48);
	assert_int_equal(e->matches6[1].action, CONF_POLICY_BYPASS);
	assert_int_equal(e->matches6[1].dst_net.len, 0);
	assert_int_equal(c->console.listen.family, TW_AF_INET6);
	assert_int_equal(c->console.listen_addr, 0);
	assert_int_equal(c->console.listen_port, 2323);
	/* Lookups across families. */
	assert_int_equal(tw_addr_parse("2001:db8:fe::77", &a), 0);
	assert_ptr_equal(conf_iface_connected_addr(c, &a, NULL), ifc);
	assert_int_equal(tw_addr_parse("2001:db8:1::1", &a), 0);
	assert_ptr_equal(conf_iface_owning(c, &a), &c->ifaces[0]);
	a = tw_addr_v4(0xc0000201);
	assert_ptr_equal(conf_iface_owning(c, &a), ifc);
	conf_free(c);
}

/* An IPv4-only file digests as before: no IPv6 part sneaks in. */
static void
test_digest(void **state TW_UNUSED)
{
	struct site v4 = { "", R4, "192.0.2.2",
			   "{ src = \"10.1.0.0/24\"; dst = \"10.2.0.0/16\"; }",
			   "127.0.0.1:2323" };
	struct site v6 = v4;
	struct conf_digest d4, d6, d6b;
	char err[CONF_ERR_MAX] = "";
	struct conf *c = NULL;

	v4.route = R4;
	v6 = v4;
	v6.match = MATCH46;
	v6.out = OUT6;
	if (load(&v4, &c, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_int_equal(conf_digest(c, &d4), 0);
	conf_free(c);
	if (load(&v6, &c, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_int_equal(conf_digest(c, &d6), 0);
	conf_free(c);
	assert_memory_not_equal(d4.all, d6.all, CONF_DIGEST_LEN);
	/* One IPv6 selector's length differs: so does the digest. */
	v6.match = "{ src = \"10.1.0.0/24\"; dst = \"10.2.0.0/16\"; }, "
		   "{ src = \"2001:db8:1::/64\"; dst = \"2001:db8:2::/56\"; }";
	if (load(&v6, &c, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_int_equal(conf_digest(c, &d6b), 0);
	conf_free(c);
	assert_memory_not_equal(d6.all, d6b.all, CONF_DIGEST_LEN);
}

struct bad {
	struct site s;
	const char *msg;
};

static void
test_bad(void **state TW_UNUSED)
{
	static const struct bad cases[] = {
		{ { " ipv6_address = \"2001:db8:ff::1\";", ROUTE6, "192.0.2.2",
		    MATCH46, "[::1]:2323" },
		  "six:6: bad ipv6_address '2001:db8:ff::1' in interface 'outside' (expected X:X:X:X::X/LEN, LEN 1-128)" },
		{ { " ipv6_address = \"192.0.2.9/24\";", ROUTE6, "192.0.2.2",
		    MATCH46, "[::1]:2323" },
		  "six:6: bad ipv6_address '192.0.2.9/24' in interface 'outside' (expected X:X:X:X::X/LEN, LEN 1-128)" },
		{ { " ipv6_address = \"2001:db8:ff::1/129\";", ROUTE6,
		    "192.0.2.2", MATCH46, "[::1]:2323" },
		  "six:6: bad ipv6_address '2001:db8:ff::1/129' in interface 'outside' (expected X:X:X:X::X/LEN, LEN 1-128)" },
		{ { " ipv6_address = \"fe80::1/64\";", R4, "192.0.2.2",
		    MATCH46, "[::1]:2323" },
		  "six:6: ipv6_address 'fe80::1/64' in interface 'outside' is link-local: the interface derives its fe80::/64 address from its MAC" },
		{ { " ipv6_address = \"ff02::1/64\";", R4, "192.0.2.2",
		    MATCH46, "[::1]:2323" },
		  "six:6: ipv6_address 'ff02::1/64' in interface 'outside' is not a unicast address" },
		{ { " ipv6_address = \"2001:db8:ff::/64\";", R4, "192.0.2.2",
		    MATCH46, "[::1]:2323" },
		  "six:6: ipv6_address '2001:db8:ff::/64' in interface 'outside' is the subnet-router anycast address of its prefix" },
		{ { " ipv6_address = \"2001:db8:1:0:1::1/80\";", R4,
		    "192.0.2.2", MATCH46, "[::1]:2323" },
		  "six:6: subnet 2001:db8:1:0:1::/80 in interface 'outside' overlaps subnet 2001:db8:1::/64 of interface 'inside' (line 3)" },
		{ { " ipv6_address = [ \"2001:db8:ff::1/64\", \"2001:db8:ff::1/64\" ];",
		    R4, "192.0.2.2", MATCH46, "[::1]:2323" },
		  "six:6: duplicate ipv6_address '2001:db8:ff::1/64' in interface 'outside'" },
		{ { " ipv6_address = [ 1 ];", R4, "192.0.2.2", MATCH46,
		    "[::1]:2323" },
		  "six:6: ipv6_address in interface 'outside': expected strings" },
		/* Routes. */
		{ { OUT6, "{ prefix = \"2001:db8:2::1/48\"; interface = \"outside\"; }",
		    "192.0.2.2", MATCH46, "[::1]:2323" },
		  "six:9: host bits set in prefix '2001:db8:2::1/48' in route #2 (did you mean 2001:db8:2::/48?)" },
		{ { OUT6, "{ prefix = \"2001:db8:2:/48\"; interface = \"outside\"; }",
		    "192.0.2.2", MATCH46, "[::1]:2323" },
		  "six:9: bad prefix '2001:db8:2:/48' in route #2 (expected X:X:X:X::X/LEN, LEN 0-128)" },
		{ { OUT6, "{ prefix = \"2001:db8:2::/48\"; gateway = \"2001:db8:77::2\"; }",
		    "192.0.2.2", MATCH46, "[::1]:2323" },
		  "six:9: gateway 2001:db8:77::2 in route 2001:db8:2::/48 is not on a connected subnet" },
		{ { OUT6, "{ prefix = \"2001:db8:2::/48\"; gateway = \"192.0.2.2\"; }",
		    "192.0.2.2", MATCH46, "[::1]:2323" },
		  "six:9: gateway 192.0.2.2 in route 2001:db8:2::/48 is IPv4: an IPv6 route needs an IPv6 gateway" },
		{ { OUT6, "{ prefix = \"2001:db8:2::/48\"; gateway = \"fe80::2\"; }",
		    "192.0.2.2", MATCH46, "[::1]:2323" },
		  "six:9: link-local gateway fe80::2 in route 2001:db8:2::/48 needs its 'interface'" },
		{ { OUT6, "{ prefix = \"2001:db8:2::/48\"; gateway = \"2001:db8:ff::1\"; }",
		    "192.0.2.2", MATCH46, "[::1]:2323" },
		  "six:9: gateway 2001:db8:ff::1 in route 2001:db8:2::/48 is the address of interface 'outside'" },
		{ { OUT6, ROUTE6 ", " ROUTE6, "192.0.2.2", MATCH46,
		    "[::1]:2323" },
		  "six:9: duplicate route 2001:db8:2::/48 (first defined at line 9)" },
		/* One next-hop resolver serves both families. */
		{ { OUT6, "{ prefix = \"2001:db8:2::/48\"; gateway = \"2001:db8:ff::2\"; interface = \"inside\"; }",
		    "192.0.2.2", MATCH46, "[::1]:2323" },
		  "six:9: gateway 2001:db8:ff::2 in route 2001:db8:2::/48 is on interface 'outside', not 'inside'" },
		{ { OUT6, "{ prefix = \"2001:db8:2::/48\"; gateway = \"ff02::2\"; }",
		    "192.0.2.2", MATCH46, "[::1]:2323" },
		  "six:9: gateway ff02::2 in route 2001:db8:2::/48 is not a unicast address" },
		{ { OUT6, "{ prefix = \"2001:db8:2::/48\"; }",
		    "192.0.2.2", MATCH46, "[::1]:2323" },
		  "six:9: missing 'gateway' or 'interface' in route 2001:db8:2::/48" },
		{ { OUT6, "{ prefix = \"2001:db8:2::/48\"; interface = \"dmz\"; }",
		    "192.0.2.2", MATCH46, "[::1]:2323" },
		  "six:9: interface 'dmz' undefined in route 2001:db8:2::/48" },
		{ { OUT6, "{ prefix = \"10.3.0.0/16\"; gateway = \"192.0.2.2\"; interface = \"inside\"; }",
		    "192.0.2.2", MATCH46, "[::1]:2323" },
		  "six:9: gateway 192.0.2.2 in route 10.3.0.0/16 is on interface 'outside', not 'inside'" },
		{ { OUT6, "{ prefix = \"10.3.0.0/16\"; gateway = \"192.0.2.1\"; }",
		    "192.0.2.2", MATCH46, "[::1]:2323" },
		  "six:9: gateway 192.0.2.1 in route 10.3.0.0/16 is the address of interface 'outside'" },
		{ { OUT6, "{ prefix = \"10.3.0.0/16\"; gateway = \"2001:db8:ff::2\"; }",
		    "192.0.2.2", MATCH46, "[::1]:2323" },
		  "six:9: bad gateway address '2001:db8:ff::2' in route 10.3.0.0/16 (expected A.B.C.D)" },
		{ { OUT6, "{ prefix = \"10.3.0.0/16\"; }",
		    "192.0.2.2", MATCH46, "[::1]:2323" },
		  "six:9: missing 'gateway' or 'interface' in route 10.3.0.0/16" },
		/* Peers and selectors. */
		{ { OUT6, ROUTE6, "2001:db8:ff:::2", MATCH46, "[::1]:2323" },
		  "six:12: bad peer address '2001:db8:ff:::2' in crypto map 'VPN' entry 10 (expected X:X:X:X::X)" },
		{ { OUT6, ROUTE6, "ff05::2", MATCH46, "[::1]:2323" },
		  "six:12: peer 'ff05::2' in crypto map 'VPN' entry 10 is not a unicast address" },
		{ { OUT6, ROUTE6, "192.0.2.2",
		    "{ src = \"10.1.0.0/24\"; dst = \"2001:db8:2::/48\"; }",
		    "[::1]:2323" },
		  "six:14: src and dst in crypto map 'VPN' entry 10 match 1 are of different address families" },
		{ { OUT6, ROUTE6, "192.0.2.2",
		    "{ src = \"2001:db8:1::/64\"; dst = \"2001:db8:2::/48\"; protocol = \"icmp\"; }",
		    "[::1]:2323" },
		  "six:14: protocol icmp in crypto map 'VPN' entry 10 match 1 with IPv6 selectors: did you mean icmpv6?" },
		{ { OUT6, ROUTE6, "192.0.2.2",
		    "{ src = \"2001:db8:1::1/64\"; dst = \"2001:db8:2::/48\"; }",
		    "[::1]:2323" },
		  "six:14: host bits set in src prefix '2001:db8:1::1/64' in crypto map 'VPN' entry 10 match 1 (did you mean 2001:db8:1::/64?)" },
		/* The console. */
		{ { OUT6, ROUTE6, "192.0.2.2", MATCH46, "::1:2323" },
		  "six:18: bad listen '::1:2323' in console (expected A.B.C.D:PORT or [X:X::X]:PORT, port 1-65535)" },
		{ { OUT6, ROUTE6, "192.0.2.2", MATCH46, "[127.0.0.1]:2323" },
		  "six:18: bad listen '[127.0.0.1]:2323' in console (expected A.B.C.D:PORT or [X:X::X]:PORT, port 1-65535)" },
		{ { OUT6, ROUTE6, "192.0.2.2", MATCH46, "[::1:2323" },
		  "six:18: bad listen '[::1:2323' in console (expected A.B.C.D:PORT or [X:X::X]:PORT, port 1-65535)" },
	};
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char err[CONF_ERR_MAX] = "";
		struct conf *c = NULL;

		if (load(&cases[i].s, &c, err, sizeof(err)) != -EINVAL)
			fail_msg("case %u loaded", i);
		assert_null(c);
		if (strcmp(err, cases[i].msg) != 0)
			fail_msg("case %u:\n got  %s\n want %s", i, err,
				 cases[i].msg);
	}
}

/* HSRP version 2 for IPv6 groups ("standby G ipv6 ..."). */
#define SB6(x) OUT6 " standby = ( { group = 1; version = 2; " x \
	" authentication = { md5_key = \"k6\"; }; } );"

static void
test_standby6(void **state TW_UNUSED)
{
	static const struct bad cases[] = {
		{ { OUT6 " standby = ( { group = 1; ipv6 = \"autoconfig\"; } );",
		    R4, "192.0.2.2", MATCH46, "[::1]:2323" },
		  "six:6: ipv6 in interface 'outside' standby group 1 needs version = 2 (HSRP for IPv6 is version 2 only)" },
		{ { SB6("ip = \"192.0.2.9\"; ipv6 = \"autoconfig\";"), R4,
		    "192.0.2.2", MATCH46, "[::1]:2323" },
		  "six:6: both ip and ipv6 in interface 'outside' standby group 1: a group is IPv4 or IPv6, give one" },
		{ { SB6(""), R4, "192.0.2.2", MATCH46, "[::1]:2323" },
		  "six:6: missing 'ip' (or 'ipv6') in interface 'outside' standby group 1" },
		{ { SB6("ipv6 = \"2001:db8:77::1/64\";"), R4, "192.0.2.2",
		    MATCH46, "[::1]:2323" },
		  "six:6: virtual address 2001:db8:77::1/64 in interface 'outside' standby group 1 is not in a prefix of the interface's ipv6_address" },
		{ { SB6("ipv6 = \"2001:db8:ff::1/64\";"), R4, "192.0.2.2",
		    MATCH46, "[::1]:2323" },
		  "six:6: virtual address 2001:db8:ff::1/64 in interface 'outside' standby group 1 is the interface's own address" },
		{ { SB6("ipv6 = \"2001:db8:ff::9\";"), R4, "192.0.2.2",
		    MATCH46, "[::1]:2323" },
		  "six:6: ipv6 '2001:db8:ff::9' in interface 'outside' standby group 1 is not link-local: a global virtual address needs its prefix length (ADDRESS/LEN)" },
		{ { SB6("ipv6 = [ \"autoconfig\", \"fe80::9\" ];"), R4,
		    "192.0.2.2", MATCH46, "[::1]:2323" },
		  "six:6: ipv6 'fe80::9' in interface 'outside' standby group 1: a second link-local virtual address (autoconfig or fe80::...)" },
		{ { SB6("ipv6 = \"auto\";"), R4, "192.0.2.2", MATCH46,
		    "[::1]:2323" },
		  "six:6: bad ipv6 'auto' in interface 'outside' standby group 1 (expected autoconfig, a link-local address or ADDRESS/LEN)" },
		{ { SB6("ipv6 = [ \"2001:db8:ff::10/64\", \"2001:db8:ff::10/64\" ];"),
		    R4, "192.0.2.2", MATCH46, "[::1]:2323" },
		  "six:6: virtual address 2001:db8:ff::10 in interface 'outside' standby group 1 already used by group 1 (line 6)" },
	};
	struct site s6 = good;
	const struct conf_standby *sb;
	const struct conf_iface *ifc;
	char err[CONF_ERR_MAX] = "";
	struct tw_addr a;
	struct conf *c = NULL;
	unsigned int i;

	s6.out = SB6("ipv6 = [ \"autoconfig\", \"2001:db8:ff::10/64\", "
		     "\"2001:db8:fe::10/64\" ]; name = \"V6\";");
	if (load(&s6, &c, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	sb = conf_standby_find(c, "V6", NULL);
	assert_non_null(sb);
	assert_int_equal(sb->af, TW_AF_INET6);
	assert_false(sb->ll6_set);
	assert_int_equal(sb->n_gvip6, 2);
	assert_int_equal(sb->gvip6[0].len, 64);
	assert_int_equal(sb->gvip6[1].addr.v6[5], 0xfe);
	assert_int_equal(sb->vip, 0);
	/* An IPv6 peer's tunnel endpoint: the group's first global VIP;
	 * none for an IPv4 peer, none on an interface without a group. */
	ifc = conf_iface_find(c, "outside");
	assert_true(conf_iface_endpoint6(c, (unsigned int)(ifc - c->ifaces),
					 &a));
	assert_int_equal(a.family, TW_AF_INET6);
	assert_memory_equal(a.v6, sb->gvip6[0].addr.v6, 16);
	assert_int_equal(conf_iface_endpoint(c,
			 (unsigned int)(ifc - c->ifaces)), 0);
	ifc = conf_iface_find(c, "inside");
	assert_false(conf_iface_endpoint6(c, (unsigned int)(ifc - c->ifaces),
					  &a));
	assert_false(conf_iface_endpoint6(c, c->n_ifaces, &a));
	conf_free(c);
	s6.out = SB6("ipv6 = \"fe80::9\"; name = \"V6\";");
	if (load(&s6, &c, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	sb = conf_standby_find(c, "V6", NULL);
	assert_true(sb->ll6_set);
	assert_int_equal(sb->ll6[15], 9);
	/* A link-local VIP alone is no tunnel endpoint. */
	ifc = conf_iface_find(c, "outside");
	assert_false(conf_iface_endpoint6(c, (unsigned int)(ifc - c->ifaces),
					  &a));
	conf_free(c);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		c = NULL;
		if (load(&cases[i].s, &c, err, sizeof(err)) != -EINVAL)
			fail_msg("case %u loaded", i);
		assert_null(c);
		if (strcmp(err, cases[i].msg) != 0)
			fail_msg("case %u:\n got  %s\n want %s", i, err,
				 cases[i].msg);
	}
}

/* ipsec-isakmp over IPv6 and with IPv6 selectors (issue 18): the peer's
 * pre-shared key by its IPv6 address. */
static void
test_isakmp_ipv6(void **state TW_UNUSED)
{
	static const char text[] =
		"hostname = \"gw6\";\n"
		"interfaces = (\n"
		"  { name = \"inside\"; role = \"inside\"; device = \"r0\"; address = \"10.1.0.1/24\"; },\n"
		"  { name = \"outside\"; role = \"outside\"; device = \"r1\"; address = \"192.0.2.1/24\"; crypto_map = \"VPN\"; }\n"
		");\n"
		"transform_sets = ( { name = \"GCM\"; esp = \"aes-gcm-128\"; } );\n"
		"crypto_maps = ( { name = \"VPN\"; entries = ( {\n"
		"  seq = 10; type = \"ipsec-isakmp\"; peer = \"%s\"; transform_set = \"GCM\";\n"
		"  match = ( { src = \"%s\"; dst = \"%s\"; } );\n"
		"} ); } );\n"
		"ike = { proposals = ( { name = \"P\"; encryption = [ \"aes-gcm-128\" ]; prf = [ \"sha256\" ]; dh = [ 19 ]; } );\n"
		"  pre_shared_keys = ( { peer = \"192.0.2.2\"; key = \"0123456789abcdef\"; }%s ); };\n";
	static const char psk6[] =
		", { peer = \"2001:db8::2\"; key = \"fedcba9876543210\"; }";
	char buf[2048], err[CONF_ERR_MAX] = "";
	struct tw_addr p6;
	struct conf *c = NULL;
	const struct conf_ike_psk *k;

	/* An IPv6 peer without a key of its own: the IPv4 one is not it. */
	snprintf(buf, sizeof(buf), text, "2001:db8::2", "10.1.0.0/24",
		 "10.2.0.0/16", "");
	assert_int_equal(conf_load_string(buf, "ik", &c, err, sizeof(err)),
			 -EINVAL);
	assert_string_equal(err, "ik:8: no pre-shared key in crypto map 'VPN' entry 10: add one to ike pre_shared_keys for peer '2001:db8::2'");
	/* With one: loads, the key found by the address. */
	snprintf(buf, sizeof(buf), text, "2001:db8::2", "10.1.0.0/24",
		 "10.2.0.0/16", psk6);
	if (conf_load_string(buf, "ik", &c, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_int_equal(tw_addr_parse("2001:db8::2", &p6), 0);
	k = conf_ike_psk_find(c, &p6, NULL);
	assert_non_null(k);
	assert_string_equal(k->key, "fedcba9876543210");
	assert_int_equal(k->peer, 0);     /* the IPv4 view */
	assert_true(tw_addr_eq(&c->crypto_maps[0].entries[0].peer_addr, &p6));
	conf_free(c);
	c = NULL;
	/* IPv6 selectors over IPv6 (and over IPv4) load. */
	snprintf(buf, sizeof(buf), text, "2001:db8::2", "2001:db8:1::/64",
		 "2001:db8:2::/64", psk6);
	if (conf_load_string(buf, "ik", &c, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_int_equal(c->crypto_maps[0].entries[0].n_matches6, 1);
	conf_free(c);
	c = NULL;
	snprintf(buf, sizeof(buf), text, "192.0.2.2", "2001:db8:1::/64",
		 "2001:db8:2::/64", "");
	if (conf_load_string(buf, "ik", &c, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	conf_free(c);
	c = NULL;
	/* Two keys for one IPv6 peer. */
	snprintf(buf, sizeof(buf), text, "2001:db8::2", "10.1.0.0/24",
		 "10.2.0.0/16",
		 ", { peer = \"2001:db8::2\"; key = \"a\"; }, { peer = \"2001:db8::2\"; key = \"b\"; }");
	assert_int_equal(conf_load_string(buf, "ik", &c, err, sizeof(err)),
			 -EINVAL);
	if (strstr(err, "duplicate pre-shared key for peer '2001:db8::2'") ==
	    NULL)
		fail_msg("%s", err);
	/* The same file with IPv4 everywhere loads. */
	snprintf(buf, sizeof(buf), text, "192.0.2.2", "10.1.0.0/24",
		 "10.2.0.0/16", "");
	if (conf_load_string(buf, "ik", &c, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	conf_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_digest),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_isakmp_ipv6),
		cmocka_unit_test(test_standby6),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
