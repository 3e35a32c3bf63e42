/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/conf: the example config loads with the values it says; each class
 * of bad file is refused with its exact "file:line: message". Runs with
 * tests/unit as working directory (bad files in conf/).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include <dlfcn.h>
#include <libconfig.h>

#include "conf.h"
#include "tw_compiler.h"

#define EXAMPLE "../../config/twinsecd.conf.example"

/*
 * libconfig frees its copies of the values in config_destroy(); this one,
 * defined in the executable, comes first for lib/conf (linked statically)
 * and looks at the tree as it is about to be freed: every string of a key
 * that holds a secret must be wiped by then. The real one does the rest.
 */
static const char *const secret_keys[] = {
	"key", "auth_key", "md5_key", "text", "secret", "enable_secret",
};
static unsigned int destroyed, secrets_seen, secrets_left;

static void
look_for_secrets(const config_setting_t *s)
{
	const char *name = config_setting_name(s);
	unsigned int i;
	int j, n;

	switch (config_setting_type(s)) {
	case CONFIG_TYPE_STRING:
		for (i = 0; name != NULL &&
		     i < sizeof(secret_keys) / sizeof(secret_keys[0]); i++)
			if (strcmp(name, secret_keys[i]) == 0) {
				secrets_seen++;
				if (config_setting_get_string(s)[0] != '\0')
					secrets_left++;
			}
		break;
	case CONFIG_TYPE_GROUP:
	case CONFIG_TYPE_LIST:
	case CONFIG_TYPE_ARRAY:
		n = config_setting_length(s);
		for (j = 0; j < n; j++)
			look_for_secrets(config_setting_get_elem(s, j));
		break;
	default:
		break;
	}
}

void
config_destroy(config_t *cfg)
{
	void (*real)(config_t *);

	destroyed++;
	look_for_secrets(config_root_setting(cfg));
	*(void **)&real = dlsym(RTLD_NEXT, "config_destroy");
	assert_non_null(real);
	real(cfg);
}

#define IP(a, b, c, d) \
	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (d))

static struct conf *
load_ok(const char *path)
{
	char err[CONF_ERR_MAX] = "";
	struct conf *c = NULL;
	int rc;

	rc = conf_load(path, &c, err, sizeof(err));
	if (rc != 0)
		fail_msg("%s: %s", path, err);
	assert_non_null(c);
	return c;
}

static void
test_example(void **state TW_UNUSED)
{
	const struct conf_map_entry *e;
	const struct conf_crypto_map *m;
	const struct conf_iface *ifc;
	struct conf *c = load_ok(EXAMPLE);

	assert_string_equal(c->path, EXAMPLE);
	assert_string_equal(c->hostname, "twinsec-a");

	assert_int_equal(c->n_ifaces, 2);
	ifc = conf_iface_find(c, "inside");
	assert_non_null(ifc);
	assert_int_equal(ifc->role, CONF_ROLE_INSIDE);
	assert_string_equal(ifc->device, "net_af_packet0");
	assert_int_equal(ifc->addr, IP(10, 1, 0, 1));
	assert_int_equal(ifc->prefix_len, 24);
	assert_int_equal(ifc->mtu, 1500);
	assert_string_equal(ifc->crypto_map, "");
	ifc = conf_iface_find(c, "outside");
	assert_non_null(ifc);
	assert_int_equal(ifc->role, CONF_ROLE_OUTSIDE);
	assert_string_equal(ifc->device, "net_af_packet1");
	assert_int_equal(ifc->addr, IP(192, 0, 2, 1));
	assert_string_equal(ifc->crypto_map, "VPN");
	assert_null(conf_iface_find(c, "dmz"));
	assert_ptr_equal(conf_iface_connected(c, IP(192, 0, 2, 200)), ifc);
	assert_null(conf_iface_connected(c, IP(203, 0, 113, 1)));

	assert_int_equal(c->n_routes, 2);
	assert_int_equal(c->routes[0].dst.addr, IP(10, 2, 0, 0));
	assert_int_equal(c->routes[0].dst.len, 16);
	assert_int_equal(c->routes[0].gateway, IP(192, 0, 2, 2));
	assert_string_equal(c->routes[0].iface, "outside"); /* resolved */
	assert_int_equal(c->routes[1].dst.addr, 0);
	assert_int_equal(c->routes[1].dst.len, 0);
	assert_int_equal(c->routes[1].gateway, IP(192, 0, 2, 254));
	assert_string_equal(c->routes[1].iface, "outside");

	assert_int_equal(c->n_transform_sets, 2);
	assert_string_equal(c->transform_sets[0].name, "GCM128");
	assert_int_equal(c->transform_sets[0].cipher, CONF_CIPHER_AES_GCM_128);
	assert_int_equal(c->transform_sets[0].integ, CONF_INTEG_NONE);
	assert_ptr_equal(conf_transform_set_find(c, "CBC256"),
			 &c->transform_sets[1]);
	assert_int_equal(c->transform_sets[1].cipher, CONF_CIPHER_AES_CBC_256);
	assert_int_equal(c->transform_sets[1].integ, CONF_INTEG_SHA256_128);

	assert_int_equal(c->n_crypto_maps, 1);
	m = conf_crypto_map_find(c, "VPN");
	assert_ptr_equal(m, &c->crypto_maps[0]);
	assert_null(conf_crypto_map_find(c, "NOPE"));
	assert_int_equal(m->replay_interval_in, 1000);
	assert_int_equal(m->replay_interval_out, 100000);
	assert_int_equal(m->n_entries, 2);

	e = &m->entries[0];
	assert_int_equal(e->seq, 10);
	assert_int_equal(e->type, CONF_MAP_IPSEC_MANUAL);
	assert_int_equal(e->peer, IP(192, 0, 2, 2));
	assert_int_equal(e->transform_set, 0);
	assert_int_equal(e->n_matches, 2);
	assert_int_equal(e->matches[0].action, CONF_POLICY_BYPASS);
	assert_int_equal(e->matches[0].src.addr, IP(10, 1, 0, 0));
	assert_int_equal(e->matches[0].src.len, 24);
	assert_int_equal(e->matches[0].dst.addr, IP(10, 2, 9, 0));
	assert_int_equal(e->matches[0].proto, 6);
	assert_int_equal(e->matches[0].sport_lo, 1024);
	assert_int_equal(e->matches[0].sport_hi, 65535);
	assert_int_equal(e->matches[0].dport_lo, 22);
	assert_int_equal(e->matches[0].dport_hi, 22);
	assert_int_equal(e->matches[1].action, CONF_POLICY_PROTECT);
	assert_int_equal(e->matches[1].proto, 0);
	assert_int_equal(e->matches[1].dport_lo, 0);
	assert_int_equal(e->matches[1].dport_hi, 65535);
	assert_int_equal(e->inbound.spi, 0x1001);
	assert_int_equal(e->inbound.cipher_key_len, 20);
	assert_int_equal(e->inbound.cipher_key[0], 0x99);
	assert_int_equal(e->inbound.cipher_key[19], 0x2c);
	assert_int_equal(e->inbound.auth_key_len, 0);
	assert_int_equal(e->outbound.spi, 0x2001);
	assert_int_equal(e->outbound.cipher_key[0], 0x04);
	assert_int_equal(e->replay_window, 64);
	assert_false(e->esn);
	assert_false(e->udp_encap);

	e = &m->entries[1];
	assert_int_equal(e->seq, 20);
	assert_int_equal(e->peer, IP(198, 51, 100, 2));
	assert_int_equal(e->transform_set, 1);
	assert_int_equal(e->n_matches, 1);
	assert_int_equal(e->matches[0].dst.addr, IP(10, 3, 0, 0));
	assert_int_equal(e->inbound.spi, 0x1002);
	assert_int_equal(e->inbound.cipher_key_len, 32);
	assert_int_equal(e->inbound.auth_key_len, 32);
	assert_int_equal(e->inbound.auth_key[0], 0x9c);
	assert_int_equal(e->outbound.auth_key[31], 0x56);
	assert_int_equal(e->replay_window, 1024);
	assert_true(e->esn);
	assert_true(e->udp_encap);
	assert_int_equal(e->udp_sport, 4500);
	assert_int_equal(e->udp_dport, 4500);

	assert_int_equal(c->dataplane.workers, 1);
	assert_string_equal(c->dataplane.crypto_device, "auto");
	assert_int_equal(c->dataplane.crypto_mode, CONF_CRYPTO_CPU);
	assert_int_equal(c->dataplane.poll_mode, CONF_POLL_ADAPTIVE);
	assert_int_equal(c->dataplane.mbufs, 8191);
	assert_int_equal(c->dataplane.burst, 32);
	assert_int_equal(c->dataplane.max_sas, 1024);
	assert_int_equal(c->dataplane.default_policy, CONF_POLICY_BYPASS);

	ifc = conf_iface_find(c, "inside");
	assert_int_equal(ifc->n_standby, 1);
	assert_int_equal(ifc->standby[0].group, 1);
	assert_int_equal(ifc->standby[0].version, 2);
	assert_int_equal(ifc->standby[0].vip, IP(10, 1, 0, 254));
	assert_string_equal(ifc->standby[0].name, "HA-in");
	assert_int_equal(ifc->standby[0].priority, 110);
	assert_true(ifc->standby[0].preempt);
	assert_true(ifc->standby[0].timers_set);
	assert_int_equal(ifc->standby[0].hello_ms, 100);
	assert_int_equal(ifc->standby[0].hold_ms, 300);
	assert_int_equal(ifc->standby[0].n_track, 1);
	assert_string_equal(ifc->standby[0].track[0].iface, "outside");
	assert_int_equal(ifc->standby[0].track[0].decrement, 20);
	assert_int_equal(ifc->standby[0].auth, CONF_STANDBY_AUTH_TEXT);
	assert_string_equal(ifc->standby[0].auth_text, "cisco");
	assert_true(ifc->standby[0].mac_set);
	assert_int_equal(ifc->standby[0].mac[3], 0x9f);
	assert_int_equal(ifc->standby[0].mac[5], 0x01);
	assert_int_equal(ifc->standby[0].garp_count, 3);
	assert_int_equal(ifc->standby[0].garp_interval_ms, 1000);
	ifc = conf_iface_find(c, "outside");
	assert_int_equal(ifc->n_standby, 1);
	assert_int_equal(ifc->standby[0].vip, IP(192, 0, 2, 10));
	assert_true(c->redundancy.enabled);
	assert_string_equal(c->redundancy.scheme, "HA-out");
	assert_int_equal(c->redundancy.keepalive_ms, 4000);
	assert_int_equal(c->redundancy.keepalive_threshold, 7);
	assert_true(c->redundancy.security_set);
	assert_false(c->redundancy.insecure);
	assert_string_equal(c->redundancy.key,
			    "n0t-a-real-key-use-openssl-rand-base64-32");
	assert_ptr_equal(conf_standby_find(c, "HA-out", &ifc),
			 &conf_iface_find(c, "outside")->standby[0]);
	assert_string_equal(ifc->name, "outside");
	assert_null(conf_standby_find(c, "HA-dmz", NULL));
	assert_null(conf_standby_find(c, "", NULL));
	/* The tunnel endpoint: the scheme group's VIP on its interface,
	 * the first group's elsewhere, none past the interfaces or on one
	 * without a group (its address is used). */
	assert_int_equal(conf_iface_endpoint(c, 1), IP(192, 0, 2, 10));
	assert_int_equal(conf_iface_endpoint(c, 0), IP(10, 1, 0, 254));
	assert_int_equal(conf_iface_endpoint(c, 2), 0);
	c->ifaces[0].n_standby = 0;
	assert_int_equal(conf_iface_endpoint(c, 0), 0);
	/* Without redundancy, the interface's first group. */
	c->redundancy.enabled = false;
	assert_int_equal(conf_iface_endpoint(c, 1), IP(192, 0, 2, 10));
	c->ifaces[1].standby[0].vip = IP(192, 0, 2, 11);
	assert_int_equal(conf_iface_endpoint(c, 1), IP(192, 0, 2, 11));
	conf_free(c);
}

/* good.conf leaves everything optional out, and lists seq 20 before 10. */
static void
test_defaults_and_order(void **state TW_UNUSED)
{
	struct conf *c = load_ok("conf/good.conf");
	const struct conf_crypto_map *m = &c->crypto_maps[0];

	assert_int_equal(c->ifaces[0].mtu, 1500);
	assert_int_equal(m->replay_interval_in, 1000);
	assert_int_equal(m->replay_interval_out, 100000);
	assert_int_equal(m->entries[0].seq, 10);
	assert_int_equal(m->entries[0].inbound.spi, 0x1001);
	assert_int_equal(m->entries[0].line, 27);
	assert_int_equal(m->entries[1].seq, 20);
	assert_int_equal(m->entries[1].inbound.spi, 0x1002);
	assert_int_equal(m->entries[1].inbound.auth_key_len, 20);
	assert_int_equal(m->entries[0].replay_window, 64);
	assert_false(m->entries[0].esn);
	assert_false(m->entries[0].udp_encap);
	assert_int_equal(m->entries[0].udp_sport, 4500);
	assert_int_equal(m->entries[0].udp_dport, 4500);
	assert_int_equal(m->entries[0].matches[0].action, CONF_POLICY_PROTECT);
	assert_int_equal(m->entries[0].matches[0].sport_lo, 0);
	assert_int_equal(m->entries[0].matches[0].sport_hi, 65535);
	assert_int_equal(c->dataplane.workers, 0);
	assert_string_equal(c->dataplane.crypto_device, "auto");
	assert_int_equal(c->dataplane.crypto_mode, CONF_CRYPTO_CPU);
	assert_int_equal(c->dataplane.poll_mode, CONF_POLL_ADAPTIVE);
	assert_int_equal(c->dataplane.mbufs, 8191);
	assert_int_equal(c->dataplane.burst, 32);
	assert_int_equal(c->dataplane.max_sas, 1024);
	assert_int_equal(c->dataplane.default_policy, CONF_POLICY_BYPASS);
	conf_free(c);
}

/* reverse_route: defaults, every key, and absent means off. */
static void
test_rri(void **state TW_UNUSED)
{
	static const char rri[] =
		"reverse_route={remote_peer=\"192.0.2.254\";tag=7;metric=20;}";
	static char buf[8192];
	FILE *f = fopen("conf/bad_esn_no_window.conf", "r");
	size_t n;
	char err[CONF_ERR_MAX] = "";
	const struct conf_map_entry *e;
	struct conf *c = NULL;
	char *at;

	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* the file's bad pair becomes a reverse_route */
	at = strstr(buf, "replay_window = 0; esn = true;");
	assert_non_null(at);
	assert_true(strlen(rri) >= strlen("replay_window = 0; esn = true;"));
	memmove(at + strlen(rri), at + strlen("replay_window = 0; esn = true;"),
		strlen(at + strlen("replay_window = 0; esn = true;")) + 1);
	memcpy(at, rri, strlen(rri));
	assert_int_equal(conf_load_string(buf, "rri", &c, err, sizeof(err)), 0);
	e = &c->crypto_maps[0].entries[0];
	assert_int_equal(e->seq, 10);
	assert_true(e->rri.enabled);
	assert_true(e->rri.remote_peer);
	assert_int_equal(e->rri.next_hop, 0xc00002fe);
	assert_int_equal(e->rri.tag, 7);
	assert_int_equal(e->rri.metric, 20);
	assert_int_equal(e->rri.distance, CONF_RRI_DISTANCE_DEFAULT);
	assert_true(e->rri.line > 0);
	e = &c->crypto_maps[0].entries[1];
	assert_false(e->rri.enabled);
	assert_int_equal(e->rri.line, 0);
	conf_free(c);
}

struct bad_case {
	const char *file;
	const char *msg;
};

static void
test_bad(void **state)
{
	const struct bad_case *bc = *state;
	char err[CONF_ERR_MAX] = "";
	struct conf *c = NULL;
	int rc;

	rc = conf_load(bc->file, &c, err, sizeof(err));
	assert_int_equal(rc, -EINVAL);
	assert_null(c);
	assert_string_equal(err, bc->msg);
}

static void
test_missing_file(void **state TW_UNUSED)
{
	char err[CONF_ERR_MAX] = "";
	struct conf *c = NULL;

	assert_int_equal(conf_load("conf/no-such.conf", &c, err, sizeof(err)),
			 -ENOENT);
	assert_null(c);
	assert_string_equal(err,
			    "conf/no-such.conf: cannot open: No such file or directory");
}

static const char minimal[] =
	"hostname = \"x\";\n"
	"interfaces = (\n"
	" { name = \"i\"; role = \"inside\"; device = \"d0\"; address = \"10.0.0.1/8\"; },\n"
	" { name = \"o\"; role = \"outside\"; device = \"d1\"; address = \"192.0.2.1/31\"; crypto_map = \"M\"; mtu = 9000; }\n"
	");\n"
	"transform_sets = ( { name = \"T\"; esp = \"aes-gcm-256\"; } );\n"
	"crypto_maps = ( { name = \"M\"; replay_interval = { outbound = 5; };\n"
	" entries = ( { seq = 65535; type = \"ipsec-manual\"; peer = \"192.0.2.0\";\n"
	"  transform_set = \"T\";\n"
	"  match = ( { src = \"0.0.0.0/0\"; dst = \"0.0.0.0/0\"; protocol = 17; dst_port = 500; },\n"
	"            { src = \"10.0.0.0/8\"; dst = \"10.0.0.0/8\"; protocol = \"47\"; action = \"discard\"; } );\n"
	"  inbound = { spi = 0xFFFFFFFF; key = \"000102030405060708090A0B0C0D0E0F000102030405060708090a0b0c0d0e0f01020304\"; };\n"
	"  outbound = { spi = 256; key = \"000102030405060708090a0b0c0d0e0f000102030405060708090a0b0c0d0e0f01020304\"; };\n"
	"  replay_window = 0; udp_encap = { local_port = 4501; }; } ); } );\n"
	"dataplane = { poll_mode = \"busy\"; crypto_mode = \"lookaside\"; default_policy = \"discard\"; crypto_device = \"crypto_aesni_gcm\"; };\n";

/* A two-interface config with the inside interface's extra keys (cp). */
static int
load_cp(const char *cp, const char *dp, struct conf **c, char *err,
	size_t len)
{
	char buf[1024];

	snprintf(buf, sizeof(buf),
		 "hostname = \"x\";\n"
		 "interfaces = (\n"
		 " { name = \"inside\"; role = \"inside\"; device = \"d0\"; address = \"10.0.0.1/8\"; %s },\n"
		 " { name = \"outside\"; role = \"outside\"; device = \"d1\"; address = \"192.0.2.1/24\"; }\n"
		 ");\n"
		 "dataplane = { %s };\n", cp, dp);
	*c = NULL;
	return conf_load_string(buf, "cp", c, err, len);
}

static void
test_control_plane(void **state TW_UNUSED)
{
	char err[CONF_ERR_MAX] = "";
	struct conf *c;

	/* off by default; the kernel name defaults to the interface's */
	if (load_cp("", "", &c, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_false(c->ifaces[0].control_plane);
	assert_string_equal(c->ifaces[0].cp_name, "inside");
	assert_int_equal(c->dataplane.kernel_route_table, 254);
	conf_free(c);
	if (load_cp("control_plane = true; control_plane_name = \"cp-in\";",
		    "kernel_route_table = 100;", &c, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_true(c->ifaces[0].control_plane);
	assert_false(c->ifaces[1].control_plane);
	assert_string_equal(c->ifaces[0].cp_name, "cp-in");
	assert_int_equal(c->dataplane.kernel_route_table, 100);
	conf_free(c);
	/* a long interface name is fine without a control-plane interface */
	if (conf_load_string(
		    "hostname = \"x\";\n"
		    "interfaces = (\n"
		    " { name = \"inside-very-long-name\"; role = \"inside\"; device = \"d0\"; address = \"10.0.0.1/8\"; },\n"
		    " { name = \"outside\"; role = \"outside\"; device = \"d1\"; address = \"192.0.2.1/24\"; control_plane = true; }\n"
		    ");\n", "cp", &c, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_false(c->ifaces[0].control_plane);
	assert_true(c->ifaces[1].control_plane);
	assert_string_equal(c->ifaces[1].cp_name, "outside");
	conf_free(c);
	assert_int_equal(load_cp("control_plane = true; control_plane_name = \"outside\";",
				 "", &c, err, sizeof(err)), 0);
	conf_free(c);
	/* a Linux interface name: 15 characters at most, no '/' */
	assert_int_equal(load_cp("control_plane = true; control_plane_name = \"0123456789abcdef\";",
				 "", &c, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "cp:3: bad control-plane interface name '0123456789abcdef' in interface 'inside' (1 to 15 characters, no '/', ':' or blank; set control_plane_name)");
	assert_int_equal(load_cp("control_plane = true; control_plane_name = \"a/b\";",
				 "", &c, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "cp:3: bad control-plane interface name 'a/b' in interface 'inside' (1 to 15 characters, no '/', ':' or blank; set control_plane_name)");
	/* the local (255), default (253) and unspec (0) tables are not ours */
	assert_int_equal(load_cp("", "kernel_route_table = 253;", &c, err,
				 sizeof(err)), -EINVAL);
	assert_string_equal(err, "cp:6: kernel_route_table 253 in dataplane: 1-252 or 254 (main)");
	assert_int_equal(load_cp("", "kernel_route_table = 0;", &c, err,
				 sizeof(err)), -EINVAL);
	assert_null(c);
}

static void
test_string_edges(void **state TW_UNUSED)
{
	char err[CONF_ERR_MAX] = "";
	const struct conf_map_entry *e;
	struct conf *c = NULL;

	if (conf_load_string(minimal, "mini", &c, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_int_equal(c->ifaces[1].mtu, 9000);
	assert_int_equal(c->ifaces[1].prefix_len, 31); /* /31: no net/bcast */
	assert_int_equal(c->crypto_maps[0].replay_interval_in, 1000);
	assert_int_equal(c->crypto_maps[0].replay_interval_out, 5);
	e = &c->crypto_maps[0].entries[0];
	assert_int_equal(e->seq, 65535);
	assert_int_equal(e->inbound.spi, 0xFFFFFFFFu); /* hex above INT_MAX */
	assert_int_equal(e->inbound.cipher_key_len, 36);
	assert_int_equal(e->inbound.cipher_key[10], 0x0a);
	assert_int_equal(e->outbound.spi, 256);
	assert_int_equal(e->matches[0].proto, 17);
	assert_int_equal(e->matches[0].dport_lo, 500);
	assert_int_equal(e->matches[0].dport_hi, 500);
	assert_int_equal(e->matches[1].proto, 47);
	assert_int_equal(e->matches[1].action, CONF_POLICY_DISCARD);
	assert_int_equal(e->replay_window, 0);
	assert_true(e->udp_encap);
	assert_int_equal(e->udp_sport, 4501);
	assert_int_equal(e->udp_dport, 4500);
	assert_int_equal(c->dataplane.poll_mode, CONF_POLL_BUSY);
	assert_int_equal(c->dataplane.crypto_mode, CONF_CRYPTO_LOOKASIDE);
	assert_int_equal(c->dataplane.default_policy, CONF_POLICY_DISCARD);
	assert_string_equal(c->dataplane.crypto_device, "crypto_aesni_gcm");
	assert_int_equal(c->n_routes, 0);
	conf_free(c);

	/* Syntax errors in strings name the string. */
	c = NULL;
	assert_int_equal(conf_load_string("a = 1;\nb = ;\n", "text", &c, err,
					  sizeof(err)), -EINVAL);
	assert_null(c);
	assert_string_equal(err, "text:2: syntax error");

	/* A tiny error buffer truncates, never overflows. */
	assert_int_equal(conf_load_string("x = 1;\n", "text", &c, err, 8),
			 -EINVAL);
	assert_string_equal(err, "text:1:");
	conf_free(NULL);
}

static void
write_file(const char *path, const char *text, size_t len, mode_t mode)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(chmod(path, mode), 0);
}

/*
 * A file holding secrets that group or others can read loads, with a
 * warning that names the file, the first secret's line and the fix; the
 * same file 0600 loads without. An @included file is checked on its own:
 * the one holding the keys is named.
 */
static void
test_secret_file_mode(void **state TW_UNUSED)
{
	char dir[] = "/tmp/twconf.XXXXXX";
	char gw[64], inc[64], want[CONF_ERR_MAX], main_text[sizeof(minimal) + 64];
	const char *maps = strstr(minimal, "crypto_maps");
	const char *dp = strstr(minimal, "dataplane");
	struct conf *c;

	assert_non_null(mkdtemp(dir));
	snprintf(gw, sizeof(gw), "%s/gw.conf", dir);
	snprintf(inc, sizeof(inc), "%s/keys.inc", dir);

	write_file(gw, minimal, sizeof(minimal) - 1, 0600);
	c = load_ok(gw);
	assert_int_equal(c->n_warnings, 0);
	conf_free(c);

	/* The first session key is on line 12. */
	assert_int_equal(chmod(gw, 0640), 0);
	c = load_ok(gw);
	assert_int_equal(c->n_warnings, 1);
	snprintf(want, sizeof(want),
		 "%s:12: session key in a file group or others can read (mode 0640): chmod 600 %s",
		 gw, gw);
	assert_string_equal(c->warnings[0], want);
	conf_free(c);
	assert_int_equal(chmod(gw, 0604), 0);
	c = load_ok(gw);
	assert_int_equal(c->n_warnings, 1);
	conf_free(c);

	/* The keys in an @included file: that file is named, not gw.conf. */
	assert_non_null(maps);
	assert_non_null(dp);
	snprintf(main_text, sizeof(main_text), "%.*s@include \"keys.inc\"\n%s",
		 (int)(maps - minimal), minimal, dp);
	write_file(gw, main_text, strlen(main_text), 0644);
	write_file(inc, maps, (size_t)(dp - maps), 0644);
	c = load_ok(gw);
	assert_int_equal(c->n_warnings, 1);
	snprintf(want, sizeof(want),
		 "%s:6: session key in a file group or others can read (mode 0644): chmod 600 %s",
		 inc, inc);
	assert_string_equal(c->warnings[0], want);
	conf_free(c);
	assert_int_equal(chmod(inc, 0600), 0);
	c = load_ok(gw);
	assert_int_equal(c->n_warnings, 0);
	conf_free(c);

	/* A string has no mode. */
	assert_int_equal(conf_load_string(minimal, "mini", &c, want,
					  sizeof(want)), 0);
	assert_int_equal(c->n_warnings, 0);
	conf_free(c);
	unlink(gw);
	unlink(inc);
	rmdir(dir);
}

/*
 * The keys of every kind (session keys, the PSK, HSRP text and md5_key,
 * console secret, sync key) are wiped from libconfig's values before
 * config_destroy() frees them: from a file, from a string, and when the
 * load fails half-way.
 */
static void
test_secrets_wiped(void **state TW_UNUSED)
{
	static const char text_auth[] = "authentication = { text = \"cisco\"; };";
	static const char md5_auth[] =
		"authentication = { md5_key = \"Zq7-md5\"; key_id = 3; };";
	char err[CONF_ERR_MAX], *text, *at;
	struct conf *c;
	FILE *f;
	long len;

	destroyed = secrets_seen = secrets_left = 0;
	c = load_ok(EXAMPLE);
	assert_true(destroyed >= 1);
	/* text, PSK, 3 session keys, a console secret, the sync key */
	assert_true(secrets_seen >= 7);
	assert_int_equal(secrets_left, 0);
	conf_free(c);

	/* The same text with an MD5 key, from a string. */
	f = fopen(EXAMPLE, "r");
	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	len = ftell(f);
	assert_true(len > 0);
	rewind(f);
	text = calloc(1, (size_t)len + sizeof(md5_auth));
	assert_non_null(text);
	assert_int_equal(fread(text, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	at = strstr(text, text_auth);
	assert_non_null(at);
	memmove(at + strlen(md5_auth), at + strlen(text_auth),
		strlen(at + strlen(text_auth)) + 1);
	memcpy(at, md5_auth, strlen(md5_auth));
	destroyed = secrets_seen = secrets_left = 0;
	assert_int_equal(conf_load_string(text, "md5", &c, err, sizeof(err)),
			 0);
	assert_true(destroyed >= 1);
	assert_true(secrets_seen >= 7);
	assert_int_equal(secrets_left, 0);
	assert_string_equal(c->ifaces[0].standby[0].md5_key, "Zq7-md5");
	conf_free(c);

	/* Refused (an unknown key at the top): wiped all the same. */
	strcat(text, "bogus = 1;\n");
	destroyed = secrets_seen = secrets_left = 0;
	assert_int_equal(conf_load_string(text, "md5", &c, err, sizeof(err)),
			 -EINVAL);
	assert_true(destroyed >= 1);
	assert_true(secrets_seen >= 7);
	assert_int_equal(secrets_left, 0);
	free(text);
}

static void
test_addr_helpers(void **state TW_UNUSED)
{
	static const char *const bad[] = {
		"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.4 ",
		" 1.2.3.4", "1..3.4", "1.2.3.-4", "a.b.c.d", "1.2.3.4/8",
	};
	char buf[CONF_PREFIX_STRLEN];
	struct conf_prefix p;
	uint32_t a;
	unsigned int i;

	assert_int_equal(conf_ipv4_parse("0.0.0.0", &a), 0);
	assert_int_equal(a, 0);
	assert_int_equal(conf_ipv4_parse("255.255.255.255", &a), 0);
	assert_int_equal(a, UINT32_MAX);
	assert_int_equal(conf_ipv4_parse("198.51.100.7", &a), 0);
	assert_int_equal(a, IP(198, 51, 100, 7));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(conf_ipv4_parse(bad[i], &a), -EINVAL);

	assert_int_equal(conf_prefix_parse("10.2.0.0/16", &p), 0);
	assert_int_equal(p.addr, IP(10, 2, 0, 0));
	assert_int_equal(p.len, 16);
	assert_true(conf_prefix_is_network(&p));
	assert_true(conf_prefix_contains(&p, IP(10, 2, 255, 1)));
	assert_false(conf_prefix_contains(&p, IP(10, 3, 0, 1)));
	assert_string_equal(conf_prefix_str(&p, buf, sizeof(buf)),
			    "10.2.0.0/16");
	assert_int_equal(conf_prefix_parse("10.2.0.1/16", &p), 0);
	assert_false(conf_prefix_is_network(&p));
	assert_int_equal(conf_prefix_parse("0.0.0.0/0", &p), 0);
	assert_int_equal(conf_prefix_mask(0), 0);
	assert_int_equal(conf_prefix_mask(32), UINT32_MAX);
	assert_int_equal(conf_prefix_mask(24), 0xffffff00u);
	assert_int_equal(conf_prefix_parse("10.0.0.0/33", &p), -EINVAL);
	assert_int_equal(conf_prefix_parse("10.0.0.0/08", &p), -EINVAL);
	assert_int_equal(conf_prefix_parse("10.0.0.0/", &p), -EINVAL);
	assert_int_equal(conf_prefix_parse("10.0.0.0", &p), -EINVAL);
	/* The IPv4 view of lib/core's parser: IPv6 text is no IPv4. */
	assert_int_equal(conf_ipv4_parse("2001:db8::1", &a), -EINVAL);
	assert_int_equal(conf_ipv4_parse("::ffff:192.0.2.1", &a), -EINVAL);
	assert_int_equal(conf_prefix_parse("2001:db8::/32", &p), -EINVAL);
	assert_int_equal(conf_prefix_parse("::/0", &p), -EINVAL);
	assert_string_equal(conf_ipv4_str(IP(203, 0, 113, 255), buf,
					  sizeof(buf)), "203.0.113.255");
	{
		struct conf_prefix a8 = { IP(10, 0, 0, 0), 8 };
		struct conf_prefix b16 = { IP(10, 9, 0, 0), 16 };
		struct conf_prefix c16 = { IP(11, 9, 0, 0), 16 };

		assert_true(conf_prefix_overlaps(&a8, &b16));
		assert_true(conf_prefix_overlaps(&b16, &a8));
		assert_false(conf_prefix_overlaps(&a8, &c16));
	}
}

static void
test_names_and_sizes(void **state TW_UNUSED)
{
	assert_string_equal(conf_cipher_name(CONF_CIPHER_AES_GCM_256),
			    "aes-gcm-256");
	assert_string_equal(conf_integ_name(CONF_INTEG_SHA1_96), "sha1-96");
	assert_int_equal(conf_cipher_key_len(CONF_CIPHER_AES_GCM_128), 20);
	assert_int_equal(conf_cipher_key_len(CONF_CIPHER_AES_GCM_256), 36);
	assert_int_equal(conf_cipher_key_len(CONF_CIPHER_AES_CBC_128), 16);
	assert_int_equal(conf_cipher_key_len(CONF_CIPHER_AES_CBC_256), 32);
	assert_int_equal(conf_cipher_salt_len(CONF_CIPHER_AES_GCM_128), 4);
	assert_int_equal(conf_cipher_salt_len(CONF_CIPHER_AES_CBC_128), 0);
	assert_true(conf_cipher_is_aead(CONF_CIPHER_AES_GCM_256));
	assert_false(conf_cipher_is_aead(CONF_CIPHER_AES_CBC_256));
	assert_int_equal(conf_integ_key_len(CONF_INTEG_NONE), 0);
	assert_int_equal(conf_integ_key_len(CONF_INTEG_SHA1_96), 20);
	assert_int_equal(conf_integ_key_len(CONF_INTEG_SHA256_128), 32);
	assert_string_equal(conf_role_name(CONF_ROLE_OUTSIDE), "outside");
	assert_string_equal(conf_poll_mode_name(CONF_POLL_BUSY), "busy");
	assert_string_equal(conf_crypto_mode_name(CONF_CRYPTO_CPU),
			    "cpu-crypto");
	assert_string_equal(conf_map_type_name(CONF_MAP_IPSEC_MANUAL),
			    "ipsec-manual");
	assert_string_equal(conf_policy_action_name(CONF_POLICY_DISCARD),
			    "discard");
}

/* console: defaults without the section, every key with it. */
static void
test_console(void **state TW_UNUSED)
{
	static const char hash[] =
		"$6$twinsecadmin$VeeoK5TKAa.hMxNWEByK/MP1rOGtA0TSAPlBoMjbRrUiE51jTl3p0mllwWFTG6orr5jkP9.MTceuCZnLIdPrQ.";
	char text[4096], err[CONF_ERR_MAX] = "";
	struct conf *c = NULL;

	if (conf_load_string(minimal, "mini", &c, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_false(c->console.enabled);
	conf_free(c);

	snprintf(text, sizeof(text),
		 "%sconsole = { users = ( { name = \"admin\"; secret = \"%s\"; privilege = 15; },\n"
		 " { name = \"oper\"; secret = \"%s\"; } ); };\n",
		 minimal, hash, hash);
	if (conf_load_string(text, "mini", &c, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_true(c->console.enabled);
	assert_int_equal(c->console.listen_addr, IP(127, 0, 0, 1));
	assert_int_equal(c->console.listen_port, 2323);
	assert_int_equal(c->console.exec_timeout, 600);
	assert_int_equal(c->console.max_sessions, 5);
	assert_int_equal(c->console.login_delay_ms, 1000);
	assert_int_equal(c->console.login_timeout, 30);
	assert_int_equal(c->console.lockout_failures, 5);
	assert_int_equal(c->console.lockout_window, 60);
	assert_int_equal(c->console.lockout_duration, 120);
	assert_string_equal(c->console.enable_secret, "");
	assert_int_equal(c->console.n_users, 2);
	assert_string_equal(c->console.users[0].name, "admin");
	assert_string_equal(c->console.users[0].secret, hash);
	assert_int_equal(c->console.users[0].privilege, 15);
	assert_int_equal(c->console.users[1].privilege, 1);
	conf_free(c);

	snprintf(text, sizeof(text),
		 "%sconsole = { listen = \"0.0.0.0:65535\"; enable_secret = \"%s\";\n"
		 " exec_timeout = 0; max_sessions = 16; login_delay_ms = 0;\n"
		 " login_timeout = 300;\n"
		 " users = ( { name = \"oper\"; secret = \"%s\"; } );\n"
		 " lockout = { failures = 3; window = 10; duration = 30; }; };\n",
		 minimal, hash, hash);
	if (conf_load_string(text, "mini", &c, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_int_equal(c->console.listen_addr, 0);
	assert_int_equal(c->console.listen_port, 65535);
	assert_string_equal(c->console.enable_secret, hash);
	assert_int_equal(c->console.exec_timeout, 0);
	assert_int_equal(c->console.max_sessions, 16);
	assert_int_equal(c->console.login_delay_ms, 0);
	assert_int_equal(c->console.login_timeout, 300);
	assert_int_equal(c->console.lockout_failures, 3);
	assert_int_equal(c->console.lockout_window, 10);
	assert_int_equal(c->console.lockout_duration, 30);
	assert_int_equal(c->console.n_users, 1);
	assert_int_equal(c->console.users[0].privilege, 1);
	conf_free(c);

	/* Port 0, a host name and a truncated hash are refused. */
	c = NULL;
	snprintf(text, sizeof(text), "%sconsole = { listen = \"1.2.3.4:0\"; };\n",
		 minimal);
	assert_int_equal(conf_load_string(text, "mini", &c, err, sizeof(err)),
			 -EINVAL);
	snprintf(text, sizeof(text), "%sconsole = { listen = \"localhost:23\"; };\n",
		 minimal);
	assert_int_equal(conf_load_string(text, "mini", &c, err, sizeof(err)),
			 -EINVAL);
	snprintf(text, sizeof(text), "%sconsole = { enable_secret = \"%.60s\"; };\n",
		 minimal, hash);
	assert_int_equal(conf_load_string(text, "mini", &c, err, sizeof(err)),
			 -EINVAL);
	/* A login that never ends holds a slot: 0 is not "never". */
	snprintf(text, sizeof(text), "%sconsole = { login_timeout = 0; };\n",
		 minimal);
	assert_int_equal(conf_load_string(text, "mini", &c, err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "login_timeout 0 out of range 1..300 in console"));
	assert_null(c);
}

/* standby: IOS defaults, seconds and MD5, both MAC spellings. */
static void
test_standby(void **state TW_UNUSED)
{
	static const char *const ok[] = {
		"{ group = 0; ip = \"10.0.0.9\"; }",
		"{ version = 2; group = 4095; ip = \"10.0.0.9\"; name = \"g\"; priority = 0;\n"
		"  preempt = true; delay = { minimum = 30; reload = 120; };\n"
		"  timers = { hello = 1; hold = 3; };\n"
		"  track = ( { interface = \"o\"; }, { interface = \"i\"; decrement = 255; } );\n"
		"  authentication = { md5_key = \"s3cret\"; key_id = 0xFFFFFFFF; };\n"
		"  mac = \"02:00:5E:00:01:FF\"; garp = { count = 0; interval_ms = 10; }; }",
	};
	const struct conf_standby *sb;
	char text[4096], err[CONF_ERR_MAX] = "";
	struct conf *c = NULL;
	const char *p;

	/* The inside interface of minimal, with a standby list added. */
	p = strstr(minimal, "address = \"10.0.0.1/8\"; }");
	assert_non_null(p);
	snprintf(text, sizeof(text), "%.*saddress = \"10.0.0.1/8\"; standby = ( %s ); }%s",
		 (int)(p - minimal), minimal, ok[0],
		 p + strlen("address = \"10.0.0.1/8\"; }"));
	if (conf_load_string(text, "mini", &c, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	sb = &c->ifaces[0].standby[0];
	assert_int_equal(c->ifaces[0].n_standby, 1);
	assert_int_equal(c->ifaces[1].n_standby, 0);
	assert_int_equal(sb->group, 0);
	assert_int_equal(sb->version, 1);
	assert_int_equal(sb->vip, IP(10, 0, 0, 9));
	assert_string_equal(sb->name, "");
	assert_int_equal(sb->priority, 100);
	assert_false(sb->preempt);
	assert_int_equal(sb->delay_minimum_ms, 0);
	assert_int_equal(sb->delay_reload_ms, 0);
	assert_false(sb->timers_set);
	assert_int_equal(sb->hello_ms, 3000);
	assert_int_equal(sb->hold_ms, 10000);
	assert_int_equal(sb->n_track, 0);
	assert_int_equal(sb->auth, CONF_STANDBY_AUTH_TEXT);
	assert_string_equal(sb->auth_text, "cisco");
	assert_false(sb->mac_set);
	assert_int_equal(sb->garp_count, 2);
	assert_int_equal(sb->garp_interval_ms, 3000);
	assert_false(c->redundancy.enabled);
	conf_free(c);

	snprintf(text, sizeof(text),
		 "%.*saddress = \"10.0.0.1/8\"; standby = ( %s ); }%sredundancy = { scheme = \"g\"; };\n",
		 (int)(p - minimal), minimal, ok[1],
		 p + strlen("address = \"10.0.0.1/8\"; }"));
	if (conf_load_string(text, "mini", &c, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	sb = &c->ifaces[0].standby[0];
	assert_int_equal(sb->group, 4095);
	assert_int_equal(sb->version, 2);
	assert_string_equal(sb->name, "g");
	assert_int_equal(sb->priority, 0);
	assert_true(sb->preempt);
	assert_int_equal(sb->delay_minimum_ms, 30000);
	assert_int_equal(sb->delay_reload_ms, 120000);
	assert_true(sb->timers_set);
	assert_int_equal(sb->hello_ms, 1000);
	assert_int_equal(sb->hold_ms, 3000);
	assert_int_equal(sb->n_track, 2);
	assert_string_equal(sb->track[0].iface, "o");
	assert_int_equal(sb->track[0].decrement, 10);
	assert_int_equal(sb->track[1].decrement, 255);
	assert_int_equal(sb->auth, CONF_STANDBY_AUTH_MD5);
	assert_string_equal(sb->md5_key, "s3cret");
	assert_int_equal(sb->md5_key_id, 0xFFFFFFFFu);
	assert_true(sb->mac_set);
	assert_int_equal(sb->mac[0], 0x02);
	assert_int_equal(sb->mac[5], 0xff);
	assert_int_equal(sb->garp_count, 0);
	assert_int_equal(sb->garp_interval_ms, 10);
	assert_true(c->redundancy.enabled);
	assert_string_equal(c->redundancy.scheme, "g");
	/* Defaults: IOS keep-alives, no sync channel protection set up. */
	assert_int_equal(c->redundancy.keepalive_ms, 4000);
	assert_int_equal(c->redundancy.keepalive_threshold, 7);
	assert_false(c->redundancy.security_set);
	assert_false(c->redundancy.insecure);
	assert_string_equal(c->redundancy.key, "");
	conf_free(c);
}

/* redundancy keepalive and security, each accepted form. */
static void
test_redundancy(void **state TW_UNUSED)
{
	static const char *const red[] = {
		"redundancy = { scheme = \"HA-in\"; keepalive = { interval_ms = 100; threshold = 2; }; security = { insecure = true; }; };\n",
		"redundancy = { scheme = \"HA-in\"; keepalive = { interval_ms = 60000; }; security = { key = \"0123456789abcdef\"; insecure = false; }; };\n",
	};
	char text[8192], err[CONF_ERR_MAX] = "";
	struct conf *c = NULL;
	FILE *f;
	size_t n;

	/* bad_redundancy_key_short.conf minus its redundancy section. */
	f = fopen("conf/bad_redundancy_key_short.conf", "r");
	assert_non_null(f);
	n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	*strstr(text, "redundancy = {") = '\0';
	n = strlen(text);

	snprintf(text + n, sizeof(text) - n, "%s", red[0]);
	if (conf_load_string(text, "red", &c, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_int_equal(c->redundancy.keepalive_ms, 100);
	assert_int_equal(c->redundancy.keepalive_threshold, 2);
	assert_true(c->redundancy.security_set);
	assert_true(c->redundancy.insecure);
	assert_string_equal(c->redundancy.key, "");
	conf_free(c);

	snprintf(text + n, sizeof(text) - n, "%s", red[1]);
	if (conf_load_string(text, "red", &c, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_int_equal(c->redundancy.keepalive_ms, 60000);
	assert_int_equal(c->redundancy.keepalive_threshold, 7);
	assert_false(c->redundancy.insecure);
	assert_string_equal(c->redundancy.key, "0123456789abcdef");
	conf_free(c);
}

/* Load the example with one substitution (old -> new, must be found). */
static struct conf *
example_with(const char *old, const char *new)
{
	static char text[65536];
	char err[CONF_ERR_MAX] = "";
	struct conf *c = NULL;
	char *p, tail[65536];
	FILE *f;
	size_t n;

	f = fopen(EXAMPLE, "r");
	assert_non_null(f);
	n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	if (old != NULL) {
		p = strstr(text, old);
		if (p == NULL)
			fail_msg("'%s' not in the example", old);
		snprintf(tail, sizeof(tail), "%s", p + strlen(old));
		snprintf(p, sizeof(text) - (size_t)(p - text), "%s%s", new,
			 tail);
	}
	if (conf_load_string(text, "example", &c, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	return c;
}

/*
 * The config digest: same config, same digest; what twins may differ in
 * (priorities, real addresses) changes nothing; one key changed makes its
 * crypto map differ, and the comparison says so.
 */
static void
test_digest(void **state TW_UNUSED)
{
	static struct conf_digest d1, d2, d3;
	struct conf *a = load_ok(EXAMPLE), *b;
	char why[256];
	unsigned int i;

	assert_int_equal(conf_digest(a, &d1), 0);
	/* 2 transform sets, 1 crypto map, 2 standby groups, redundancy */
	assert_int_equal(d1.n_parts, 6);
	assert_int_equal(d1.parts[0].kind, CONF_DIGEST_TRANSFORM_SET);
	assert_string_equal(d1.parts[0].name, "GCM128");
	assert_int_equal(d1.parts[2].kind, CONF_DIGEST_CRYPTO_MAP);
	assert_string_equal(d1.parts[2].name, "VPN");
	assert_int_equal(d1.parts[3].kind, CONF_DIGEST_STANDBY);
	assert_string_equal(d1.parts[3].name, "inside/1");
	assert_int_equal(d1.parts[5].kind, CONF_DIGEST_REDUNDANCY);
	assert_int_equal(conf_digest(a, &d2), 0);
	assert_memory_equal(&d1, &d2, sizeof(d1));
	assert_int_equal(conf_digest_compare(&d1, &d2, why, sizeof(why)), 0);
	assert_string_equal(why, "");
	conf_free(a);

	/* The twin: other addresses, priority, hostname, sync key. */
	b = example_with("hostname = \"twinsec-a\"", "hostname = \"twinsec-b\"");
	assert_int_equal(conf_digest(b, &d2), 0);
	assert_int_equal(conf_digest_compare(&d1, &d2, why, sizeof(why)), 0);
	conf_free(b);
	b = example_with("priority = 110;", "priority = 90;");
	assert_int_equal(conf_digest(b, &d2), 0);
	assert_memory_equal(d1.all, d2.all, CONF_DIGEST_LEN);
	conf_free(b);
	b = example_with("n0t-a-real-key", "another-secret");
	assert_int_equal(conf_digest(b, &d2), 0);
	assert_memory_equal(d1.all, d2.all, CONF_DIGEST_LEN);
	conf_free(b);

	/* One byte of one session key: that crypto map differs, only it. */
	b = example_with("key = \"04b9cc9e",
			 "key = \"05b9cc9e");
	assert_int_equal(conf_digest(b, &d2), 0);
	assert_int_equal(conf_digest_compare(&d1, &d2, why, sizeof(why)), 1);
	assert_string_equal(why, "crypto map 'VPN' differs");
	for (i = 0; i < d1.n_parts; i++)
		if (i != 2)
			assert_memory_equal(d1.parts[i].sha, d2.parts[i].sha,
					    CONF_DIGEST_LEN);
	assert_memory_not_equal(d1.all, d2.all, CONF_DIGEST_LEN);
	conf_free(b);

	/* Reverse route injection: the twins must inject the same routes. */
	b = example_with("# reverse_route = { remote_peer = true; tag = 100; };",
			 "reverse_route = { remote_peer = true; tag = 100; };");
	assert_true(b->crypto_maps[0].entries[0].rri.enabled);
	assert_int_equal(conf_digest(b, &d2), 0);
	assert_int_equal(conf_digest_compare(&d1, &d2, why, sizeof(why)), 1);
	assert_string_equal(why, "crypto map 'VPN' differs");
	conf_free(b);

	/* A VIP and the keep-alive: those parts. */
	b = example_with("ip = \"192.0.2.10\";", "ip = \"192.0.2.11\";");
	assert_int_equal(conf_digest(b, &d2), 0);
	assert_int_equal(conf_digest_compare(&d1, &d2, why, sizeof(why)), 1);
	assert_string_equal(why, "standby group 'outside/1' differs");
	conf_free(b);
	b = example_with("threshold = 7;", "threshold = 8;");
	assert_int_equal(conf_digest(b, &d2), 0);
	assert_int_equal(conf_digest_compare(&d1, &d2, why, sizeof(why)), 1);
	assert_string_equal(why, "redundancy settings differs");
	conf_free(b);

	/* Missing and extra parts, and more than three differences. */
	d3 = d1;
	d3.n_parts = 5;             /* no redundancy part on the "peer" */
	snprintf(d3.parts[0].name, sizeof(d3.parts[0].name), "GCM-X");
	d3.parts[2].sha[0] ^= 1;
	d3.parts[3].sha[0] ^= 1;
	assert_int_equal(conf_digest_compare(&d1, &d3, why, sizeof(why)), 5);
	assert_string_equal(why, "transform set 'GCM128' missing on the peer, crypto map 'VPN' differs, standby group 'inside/1' differs and 2 more");
	/* Same parts in another order: the whole differs. */
	d3 = d1;
	d3.parts[0] = d1.parts[1];
	d3.parts[1] = d1.parts[0];
	assert_int_equal(conf_digest_seal(&d3), 0);
	assert_int_equal(conf_digest_compare(&d1, &d3, why, sizeof(why)), 1);
	assert_string_equal(why, "configuration order differs");
	assert_string_equal(conf_digest_kind_name(CONF_DIGEST_STANDBY),
			    "standby group");
	assert_string_equal(conf_digest_kind_name((enum conf_digest_kind)77),
			    "?");
}

/* ipc: IOS defaults, one address or two, every key. */
static void
test_ipc(void **state TW_UNUSED)
{
	static const char need[] =
		"ipc = { local_port = 5000; remote_port = 5000;\n"
		" local_ip = \"198.51.100.1\"; remote_ip = [\"198.51.100.2\"]; };\n";
	char text[4096], err[CONF_ERR_MAX] = "";
	struct conf *c = NULL;

	if (conf_load_string(minimal, "mini", &c, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_false(c->ipc.enabled);
	conf_free(c);

	snprintf(text, sizeof(text), "%s%s", minimal, need);
	if (conf_load_string(text, "mini", &c, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_true(c->ipc.enabled);
	assert_int_equal(c->ipc.transport, CONF_IPC_AUTO);
	assert_int_equal(c->ipc.local_port, 5000);
	assert_int_equal(c->ipc.remote_port, 5000);
	assert_int_equal(c->ipc.n_local_ip, 1);
	assert_int_equal(c->ipc.local_ip[0].v4, IP(198, 51, 100, 1));
	assert_int_equal(c->ipc.n_remote_ip, 1);
	assert_int_equal(c->ipc.remote_ip[0].v4, IP(198, 51, 100, 2));
	assert_int_equal(c->ipc.udp_encap_port, 9899);
	assert_int_equal(c->ipc.remote_udp_encap_port, 9899);
	assert_int_equal(c->ipc.rto_min_ms, 300);
	assert_int_equal(c->ipc.rto_max_ms, 600);
	assert_int_equal(c->ipc.path_retransmit, 4);
	assert_int_equal(c->ipc.assoc_retransmit, 4);
	conf_free(c);

	snprintf(text, sizeof(text),
		 "%sipc = { transport = \"sctp-udp\"; local_port = 1; remote_port = 65535;\n"
		 " local_ip = [\"198.51.100.1\", \"198.51.101.1\"];\n"
		 " remote_ip = [\"198.51.100.2\", \"198.51.101.2\"];\n"
		 " udp_encap_port = 9900; remote_udp_encap_port = 9901;\n"
		 " retransmit_timeout = { min = 60000; max = 60000; };\n"
		 " path_retransmit = 10; assoc_retransmit = 2; };\n", minimal);
	if (conf_load_string(text, "mini", &c, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_int_equal(c->ipc.transport, CONF_IPC_SCTP_UDP);
	assert_string_equal(conf_ipc_transport_name(c->ipc.transport),
			    "sctp-udp");
	assert_int_equal(c->ipc.local_port, 1);
	assert_int_equal(c->ipc.remote_port, 65535);
	assert_int_equal(c->ipc.n_local_ip, 2);
	assert_int_equal(c->ipc.local_ip[1].v4, IP(198, 51, 101, 1));
	assert_int_equal(c->ipc.n_remote_ip, 2);
	assert_int_equal(c->ipc.remote_ip[1].v4, IP(198, 51, 101, 2));
	assert_int_equal(c->ipc.udp_encap_port, 9900);
	assert_int_equal(c->ipc.remote_udp_encap_port, 9901);
	assert_int_equal(c->ipc.rto_min_ms, 60000);
	assert_int_equal(c->ipc.rto_max_ms, 60000);
	assert_int_equal(c->ipc.path_retransmit, 10);
	assert_int_equal(c->ipc.assoc_retransmit, 2);
	conf_free(c);

	/* Two twins on one host (tests): loopback, told apart by port. */
	snprintf(text, sizeof(text),
		 "%sipc = { transport = \"sctp\"; local_port = 5000; remote_port = 5001;\n"
		 " local_ip = \"127.0.0.1\"; remote_ip = \"127.0.0.1\"; };\n",
		 minimal);
	if (conf_load_string(text, "mini", &c, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_int_equal(c->ipc.transport, CONF_IPC_SCTP);
	conf_free(c);

	/* IPv6, one address or two, and ::1 for two twins on one host. */
	snprintf(text, sizeof(text),
		 "%sipc = { local_port = 5000; remote_port = 5001;\n"
		 " local_ip = [\"2001:db8:5::1\", \"2001:DB8:6::1\"];\n"
		 " remote_ip = \"2001:db8:5::2\"; };\n", minimal);
	if (conf_load_string(text, "mini", &c, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_int_equal(c->ipc.n_local_ip, 2);
	assert_int_equal(c->ipc.local_ip[0].family, TW_AF_INET6);
	assert_int_equal(c->ipc.local_ip[1].v6[5], 0x06);
	assert_int_equal(c->ipc.remote_ip[0].family, TW_AF_INET6);
	assert_int_equal(c->ipc.remote_ip[0].v6[15], 2);
	conf_free(c);
	snprintf(text, sizeof(text),
		 "%sipc = { local_port = 5000; remote_port = 5001;\n"
		 " local_ip = \"::1\"; remote_ip = \"::1\"; };\n", minimal);
	if (conf_load_string(text, "mini", &c, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_int_equal(c->ipc.local_ip[0].family, TW_AF_INET6);
	conf_free(c);

	/* The annotated example says what the defaults are. */
	c = load_ok(EXAMPLE);
	assert_true(c->ipc.enabled);
	assert_int_equal(c->ipc.transport, CONF_IPC_AUTO);
	assert_int_equal(c->ipc.local_ip[0].v4, IP(198, 51, 100, 1));
	assert_int_equal(c->ipc.remote_ip[0].v4, IP(198, 51, 100, 2));
	assert_int_equal(c->ipc.rto_min_ms, 300);
	assert_int_equal(c->ipc.rto_max_ms, 600);
	conf_free(c);
}

/* The ike section and an ipsec-isakmp entry with every key. */
static void
test_ike_good(void **state TW_UNUSED)
{
	struct conf *c = load_ok("conf/good_ike.conf");
	const struct conf_map_entry *e = &c->crypto_maps[0].entries[0];
	const struct conf_ike_proposal *p = &c->ike.proposals[0];

	assert_true(c->ike.enabled);
	assert_int_equal(c->ike.n_proposals, 2);
	assert_int_equal(p->n_encr, 2);
	assert_int_equal(p->encr[0].id, 20);  /* AES-GCM-16 */
	assert_int_equal(p->encr[0].bits, 128);
	assert_int_equal(p->encr[1].id, 12);  /* AES-CBC */
	assert_int_equal(p->encr[1].bits, 256);
	assert_int_equal(p->n_prf, 2);
	assert_int_equal(p->prf[1], 6);       /* HMAC-SHA2-384 */
	assert_int_equal(p->integ[0], 12);    /* HMAC-SHA2-256-128 */
	assert_int_equal(p->n_dh, 3);
	assert_int_equal(p->dh[2], 31);
	assert_int_equal(c->ike.n_psks, 2);
	assert_int_equal(c->ike.psks[0].peer, IP(192, 0, 2, 2));
	assert_string_equal(c->ike.psks[1].id, "gw-c.example");
	assert_string_equal(c->ike.psks[1].key, "other secret");
	assert_int_equal(c->ike.dpd_interval, 10);
	assert_int_equal(c->ike.dpd_retries, 5);
	assert_int_equal(c->ike.lifetime, 28800);
	assert_int_equal(c->ike.cookie_threshold, 50);
	assert_int_equal(c->ike.half_open_max, 500);
	assert_int_equal(c->ike.retransmit_ms, 500);
	assert_int_equal(c->ike.retransmit_tries, 4);
	assert_int_equal(c->ike.nat_keepalive, 15);
	assert_int_equal(c->ike.peer_half_open, 2);
	assert_int_equal(c->ike.peer_sas, 5);
	assert_int_equal(c->ike.create_child, 3);
	assert_int_equal(c->ike.create_child_window, 20);
	assert_int_equal(e->type, CONF_MAP_IPSEC_ISAKMP);
	assert_int_equal(e->pfs_group, 31);
	assert_int_equal(e->lifetime_s, 1800);
	assert_int_equal(e->lifetime_kb, 0);
	assert_int_equal(e->initiate, CONF_INITIATE_RESPONDER);
	assert_string_equal(e->local_id, "gw-a.example");
	assert_string_equal(e->remote_id, "192.0.2.2");
	assert_string_equal(e->ike_proposal, "P2");
	assert_int_equal(e->replay_window, 128);
	assert_ptr_equal(conf_ike_psk_find(c, 0, "gw-c.example"),
			 &c->ike.psks[1]);
	conf_free(c);

	/* The annotated example states the default. */
	c = load_ok(EXAMPLE);
	assert_int_equal(c->ike.nat_keepalive, 20);
	/* lib/ike's per-peer limits (ike.h) */
	assert_int_equal(c->ike.peer_half_open, 4);
	assert_int_equal(c->ike.peer_sas, 8);
	assert_int_equal(c->ike.create_child, 10);
	assert_int_equal(c->ike.create_child_window, 10);
	conf_free(c);
}

/*
 * The crypto map's outer DSCP: absent and "copy" are the default (copy the
 * inner one) and leave the digest as it was; a number is kept and counts
 * in the digest (the twins must agree on it).
 */
static void
test_dscp(void **state TW_UNUSED)
{
	struct conf *a = load_ok("conf/good.conf");
	struct conf *b = load_ok("conf/good_dscp_copy.conf");
	struct conf *f = load_ok("conf/good_dscp.conf");
	struct conf_digest da, db, df;

	assert_false(a->crypto_maps[0].dscp_set);
	assert_false(b->crypto_maps[0].dscp_set);
	assert_true(f->crypto_maps[0].dscp_set);
	assert_int_equal(f->crypto_maps[0].dscp, 46);
	assert_int_equal(conf_digest(a, &da), 0);
	assert_int_equal(conf_digest(b, &db), 0);
	assert_int_equal(conf_digest(f, &df), 0);
	assert_memory_equal(da.all, db.all, CONF_DIGEST_LEN);
	assert_memory_not_equal(da.all, df.all, CONF_DIGEST_LEN);
	conf_free(a);
	conf_free(b);
	conf_free(f);
}

/* A bad file and the message it must produce (after its own name). */
#define BAD_IN(f, msgfile, m) { \
	.name = "bad_" f, \
	.test_func = test_bad, \
	.initial_state = &(struct bad_case){ "conf/bad_" f ".conf", \
					     msgfile m }, \
}
#define BAD(f, m) BAD_IN(f, "conf/bad_" f ".conf", m)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_example),
		cmocka_unit_test(test_defaults_and_order),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_rri),
		cmocka_unit_test(test_string_edges),
		cmocka_unit_test(test_control_plane),
		cmocka_unit_test(test_secret_file_mode),
		cmocka_unit_test(test_secrets_wiped),
		cmocka_unit_test(test_addr_helpers),
		cmocka_unit_test(test_names_and_sizes),
		cmocka_unit_test(test_console),
		cmocka_unit_test(test_standby),
		cmocka_unit_test(test_redundancy),
		cmocka_unit_test(test_dscp),
		cmocka_unit_test(test_digest),
		cmocka_unit_test(test_ipc),
		/* ipc (the SCTP association to the twin) */
		BAD("ipc_missing_port", ":39: missing 'local_port' in ipc"),
		BAD("ipc_three_ips", ":42: local_ip in ipc has 3 addresses: give 1 or 2 (multi-homing)"),
		BAD("ipc_dup_ip", ":42: local_ip in ipc names the same address twice"),
		BAD("ipc_ip_type", ":43: element 1 of 'remote_ip' in ipc must be a string \"A.B.C.D\" or \"X:X::X\""),
		BAD("ipc_bad_ip", ":43: bad remote_ip address '198.51.100' in ipc (expected A.B.C.D or X:X::X)"),
		BAD("ipc6_mixed", ":43: remote_ip in ipc is IPv4 but local_ip is IPv6: the sync association runs over one family"),
		BAD("ipc6_mixed_local", ":42: local_ip in ipc mixes IPv4 and IPv6: the sync association runs over one family"),
		BAD("ipc6_bad", ":43: bad remote_ip address '2001:db8:5::2::3' in ipc (expected A.B.C.D or X:X::X)"),
		BAD("ipc6_link_local", ":42: local_ip fe80::1 in ipc is not a unicast address"),
		BAD("ipc_multicast", ":42: local_ip 224.0.0.5 in ipc is not a unicast address"),
		BAD("ipc_port_range", ":40: local_port 0 out of range 1..65535 in ipc"),
		BAD("ipc_transport", ":40: bad transport 'tcp' in ipc (expected auto, sctp or sctp-udp)"),
		BAD("ipc_rto_order", ":44: retransmit_timeout min 700 ms above max 600 ms in ipc"),
		BAD("ipc_rto_range", ":44: min 200 out of range 300..60000 in ipc retransmit_timeout"),
		BAD("ipc_rtx_range", ":44: path_retransmit 11 out of range 2..10 in ipc"),
		BAD("ipc_dpdk_ip", ":42: local_ip 192.0.2.1 in ipc is the address of interface 'outside' (line 5), a DPDK port the kernel does not see: the sync channel to the twin needs an address of a kernel-owned NIC"),
		BAD("ipc6_dpdk_ip", ":42: local_ip 2001:db8:1::1 in ipc is the address of interface 'inside' (line 4), a DPDK port the kernel does not see: the sync channel to the twin needs an address of a kernel-owned NIC"),
		BAD("ipc_self", ":41: ipc remote_ip and remote_port are this box's own local_ip and local_port: the twin must differ in its first address or its port"),
		/* standby (HSRP) and redundancy */
		BAD("standby_unknown_key", ":7: unknown key 'prio' in interface 'inside' standby #1"),
		BAD("standby_vip_subnet", ":7: virtual IP 10.2.0.254 in interface 'inside' standby group 1 is not in the interface's subnet 10.1.0.0/24"),
		BAD("standby_vip_own", ":7: virtual IP 10.1.0.1 in interface 'inside' standby group 1 is the interface's own address"),
		BAD("standby_dup_group", ":7: duplicate standby group 1 in interface 'inside' (first defined at line 6)"),
		BAD("standby_dup_name", ":11: standby name 'HA-in' in interface 'outside' standby group 1 already names group 1 of interface 'inside' (line 6)"),
		BAD("standby_track_unknown", ":7: tracked interface 'dmz' undefined in interface 'inside' standby group 1"),
		BAD("standby_group_range", ":7: group 300 out of range 0..255 in interface 'inside' standby #1"),
		BAD("standby_timers", ":8: hold time 300 ms in interface 'inside' standby group 1 timers must be greater than the hello time 300 ms"),
		BAD("standby_v1_timers", ":8: timers 100/300 ms in interface 'inside' standby group 1 timers go out in version 1 as 1/1 s, hold not above hello (use version 2 for millisecond timers)"),
		BAD("standby_auth_both", ":8: both text and md5_key in interface 'inside' standby group 1 authentication: give one"),
		BAD("standby_mac", ":7: mac '0100.5e00.0001' in interface 'inside' standby group 1 is not a unicast address"),
		BAD("redundancy_undefined", ":43: redundancy scheme 'HA-out' names no standby group (give a group name = \"HA-out\" in an interface's standby list)"),
		BAD("redundancy_security_both", ":44: both key and insecure = true in redundancy security: give one"),
		BAD("redundancy_security_none", ":44: missing 'key' in redundancy security (the sync channel carries SA keys: give a key of 16 to 128 characters, e.g. from openssl rand -base64 32, or insecure = true to run it in clear)"),
		BAD("redundancy_key_short", ":45: key of 5 characters in redundancy security: give 16 to 128 (e.g. openssl rand -base64 32)"),
		BAD("redundancy_key_space", ":44: key in redundancy security has a space or control character: use printable ASCII"),
		BAD("redundancy_keepalive", ":44: threshold 1 out of range 2..100 in redundancy keepalive"),
		BAD("redundancy_unknown_key", ":44: unknown key 'profile' in redundancy security"),
		BAD("redundancy_no_security", ":42: missing 'security' in redundancy: the ipc sync channel to the twin carries SA keys (give security = { key = \"...\"; }, or security = { insecure = true; } to run it in clear)"),
		/* console */
		BAD("console_password", ":40: bad secret of console user 'admin': expected a crypt(3) SHA-512 hash \"$6$salt$hash\" (mkpasswd -m sha-512), never a password"),
		BAD("console_enable", ":40: bad enable_secret in console: expected a crypt(3) SHA-512 hash \"$6$salt$hash\" (mkpasswd -m sha-512), never a password"),
		BAD("console_listen", ":40: bad listen '127.0.0.1' in console (expected A.B.C.D:PORT or [X:X::X]:PORT, port 1-65535)"),
		BAD("console_privilege", ":41: privilege 7 in console user 'oper': 1 (user EXEC) or 15 (privileged EXEC)"),
		BAD("console_dup_user", ":42: duplicate console user 'admin' (first defined at line 41)"),
		BAD("console_lockout", ":40: unknown key 'within' in console lockout"),
		BAD("console_range", ":40: max_sessions 0 out of range 1..16 in console"),
		BAD("console_no_users", ":39: console has no users: every login would be refused (give users = ( { name = \"admin\"; secret = \"$6$...\"; privilege = 15; } ); with a hash from mkpasswd -m sha-512, or leave out the console section)"),
		BAD("console_login_timeout", ":40: login_timeout 301 out of range 1..300 in console"),
		/* unknown keys, wrong types, missing keys */
		BAD("unknown_top", ":2: unknown key 'domain' at top level"),
		BAD("unknown_nested", ":33: unknown key 'spii' in crypto map 'VPN' entry 10 inbound"),
		BAD("unknown_dataplane", ":39: unknown key 'lcores' in dataplane"),
		BAD("wrong_type", ":4: 'mtu' in interface 'inside' must be an integer, not a string"),
		BAD("wrong_type_bool", ":34: 'esn' in crypto map 'VPN' entry 10 must be a boolean (true or false), not a string"),
		BAD("wrong_type_top", ":2: 'hostname' at top level must be a string, not an integer"),
		BAD("missing_hostname", ": missing 'hostname' at top level"),
		BAD("device_missing", ":5: missing 'device' in interface 'outside'"),
		BAD("syntax", ":30: syntax error"),
		BAD("dup_key", ":42: duplicate key 'workers': a key may be given once per section"),
		/* an error in an @included file names that file */
		BAD_IN("include", "conf/bad_include.inc",
		       ":4: bad integrity 'sha2' in transform set 'CBC' (expected sha1-96 or sha256-128)"),
		/* values */
		BAD("bad_hostname", ":2: bad hostname 'gw_a' (1 to 63 letters, digits or '-', not starting or ending with '-')"),
		BAD("bad_enum", ":39: bad poll_mode 'lazy' in dataplane (expected busy or adaptive)"),
		BAD("out_of_range", ":39: mbufs 100 out of range 1023..1048575 in dataplane"),
		/* interfaces */
		BAD("dup_iface", ":5: duplicate interface 'inside' (first defined at line 4)"),
		BAD("dup_device", ":5: device 'net_ring0' in interface 'outside' already used by interface 'inside' (line 4)"),
		BAD("no_outside", ":3: interfaces: at least one inside and one outside interface are required"),
		BAD("iface_net_addr", ":4: address '10.1.0.0/24' in interface 'inside' is the network address of its subnet"),
		BAD("iface_overlap", ":5: subnet 10.1.0.0/16 in interface 'outside' overlaps subnet 10.1.0.0/24 of interface 'inside' (line 4)"),
		BAD("map_undefined", ":5: crypto map 'VPN2' undefined in interface 'outside'"),
		BAD("map_on_inside", ":4: crypto map 'VPN' in interface 'inside': a crypto map applies to an outside interface only"),
		/* routes */
		BAD("bad_prefix", ":8: bad prefix '10.2.0/16' in route #1 (expected A.B.C.D/LEN, LEN 0-32)"),
		BAD("gw_not_connected", ":8: gateway 203.0.113.9 in route 10.2.0.0/16 is not on a connected subnet"),
		BAD("dup_route", ":8: duplicate route 10.2.0.0/16 (first defined at line 8)"),
		/* transform sets and keys */
		BAD("gcm_integrity", ":11: integrity 'sha1-96' in transform set 'GCM' not allowed: aes-gcm-128 authenticates by itself (RFC 4106)"),
		BAD("ts_undefined", ":31: transform set 'GCM256' undefined in crypto map 'VPN' entry 10"),
		BAD("gcm_key_len", ":33: key in crypto map 'VPN' entry 10 inbound has 16 bytes, aes-gcm-128 needs 20 (16-byte key + 4-byte salt)"),
		BAD("cbc_key_len", ":25: key in crypto map 'VPN' entry 20 outbound has 20 bytes, aes-cbc-128 needs 16"),
		BAD("auth_key_len", ":24: auth_key in crypto map 'VPN' entry 20 inbound has 16 bytes, sha1-96 needs 20"),
		BAD("key_not_hex", ":24: key in crypto map 'VPN' entry 20 inbound is not hex (character 32 is 'g')"),
		BAD("cbc_no_auth", ":24: missing 'auth_key' in crypto map 'VPN' entry 20 inbound (transform set 'CBC' uses sha1-96)"),
		BAD("gcm_auth", ":34: auth_key in crypto map 'VPN' entry 10 outbound not allowed: transform set 'GCM' uses aes-gcm-128, which authenticates by itself"),
		/* SPIs */
		BAD("spi_reused_in", ":33: SPI 0x1002 in crypto map 'VPN' entry 10 inbound already used by crypto map 'VPN' entry 20 inbound (line 24)"),
		BAD("spi_reused_out", ":34: SPI 0x2002 in crypto map 'VPN' entry 10 outbound already used by crypto map 'VPN' entry 20 outbound (line 25)"),
		BAD("spi_reused_dec", ":33: SPI 4098 in crypto map 'VPN' entry 10 inbound already used by crypto map 'VPN' entry 20 inbound (line 24)"),
		BAD("spi_reserved", ":33: SPI 255 in crypto map 'VPN' entry 10 inbound is reserved (RFC 4303 2.1 reserves 0-255); use 0x100..0xffffffff (256..4294967295)"),
		/* crypto map entries and match rules */
		BAD("dup_seq", ":28: duplicate seq 20 in crypto map 'VPN' (first defined at line 18)"),
		BAD("isakmp", ":33: unknown key 'inbound' in crypto map 'VPN' entry 10"),
		/* IKE */
		BAD("ike_no_section", ":19: type 'ipsec-isakmp' in crypto map 'VPN' entry 10 needs the 'ike' section (proposals and pre_shared_keys)"),
		BAD("ike_no_psk", ":28: no pre-shared key in crypto map 'VPN' entry 10: add one to ike pre_shared_keys for peer '192.0.2.2'"),
		BAD("ike_bad_encr", ":15: bad encryption '3des' in ike proposal 'P1' (expected aes-cbc-128, aes-cbc-256, aes-gcm-128 or aes-gcm-256)"),
		BAD("ike_gcm_integ", ":15: integrity in ike proposal 'P1' not allowed: aes-gcm authenticates by itself (RFC 5282)"),
		BAD("ike_cbc_no_integ", ":15: missing 'integrity' in ike proposal 'P1' (aes-cbc needs sha256, sha384 or sha512)"),
		BAD("logging_facility", ":7: logging facility \"local9\" is not one of kern, user, mail, daemon, auth, syslog, lpr, news, uucp, cron, authpriv, ftp, local0, local1, local2, local3, local4, local5, local6, local7"),
		BAD("logging_host", ":7: logging host must be \"local\" or a unicast address"),
		BAD("logging_local_port", ":7: logging port goes with a remote host, not \"local\""),
		BAD("ike_bad_dh", ":15: bad dh group 2 in ike proposal 'P1' (expected 14, 19, 20 or 31)"),
		BAD("ike_psk_both", ":18: in ike pre_shared_keys #1: give either 'peer' (an address) or 'id' (an identity)"),
		BAD("ike_bad_initiate", ":31: bad initiate 'always' in crypto map 'VPN' entry 10 (expected traffic, start or responder)"),
		BAD("ike_bad_pfs", ":31: bad pfs group 5 in crypto map 'VPN' entry 10 (expected 14, 19, 20 or 31)"),
		BAD("ike_nat_keepalive", ":20: nat_keepalive 3601 out of range 0..3600 in ike"),
		BAD("ike_limit_peer_sas", ":22: peer_sas 2 out of range 3..1000 in ike limits"),
		BAD("ike_limit_half_open", ":22: peer_half_open 20 out of range 1..10 in ike limits"),
		BAD("ike_limit_key", ":22: unknown key 'rate' in ike limits"),
		cmocka_unit_test(test_ike_good),
		BAD("dscp_range", ":17: dscp 64 out of range 0..63 in crypto map 'VPN'"),
		BAD("dscp_word", ":17: bad dscp 'ef' in crypto map 'VPN' (expected copy or 0-63)"),
		BAD("rri_distance", ":35: distance 0 out of range 1..255 in reverse_route in crypto map 'VPN' entry 10"),
		BAD("rri_next_hop", ":35: remote_peer next hop 198.51.100.1 in reverse_route in crypto map 'VPN' entry 10 is not on a connected subnet"),
		BAD("rri_key", ":35: unknown key 'tags' in reverse_route in crypto map 'VPN' entry 10"),
		BAD("rri_peer_type", ":35: 'remote_peer' in reverse_route in crypto map 'VPN' entry 10 must be a boolean (true or false) or a string, not an integer"),
		BAD("esn_no_window", ":34: esn in crypto map 'VPN' entry 10 needs anti-replay (replay_window > 0)"),
		BAD("host_bits", ":32: host bits set in dst prefix '10.2.0.1/16' in crypto map 'VPN' entry 10 match 1 (did you mean 10.2.0.0/16?)"),
		BAD("bad_protocol", ":32: bad protocol 'tcpp' in crypto map 'VPN' entry 10 match 1 (expected any, tcp, udp, icmp, icmpv6, esp or 0-255)"),
		BAD("ports_any", ":32: dst_port in crypto map 'VPN' entry 10 match 1 needs protocol tcp or udp (protocol is any)"),
		BAD("bad_port_range", ":32: bad src_port '600-500' in crypto map 'VPN' entry 10 match 1 (expected N or N-M with N <= M <= 65535)"),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
