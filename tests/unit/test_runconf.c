/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * show running-config (cli_runconf_render()) of the configurations under
 * config/, compared with their golden transcripts in tests/golden/console/
 * (runconf_NAME.txt; UPDATE_GOLDEN=1 rewrites them): every section of the
 * file in IOS form, and no secret of the file in the output.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cli_runconf.h"
#include "conf.h"

#define CONFIG_DIR "../../config/"
#define GOLDEN_DIR "../golden/console/"

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *p;
	long n;

	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	p = calloc(1, (size_t)n + 1);
	if (p != NULL && fread(p, 1, (size_t)n, f) != (size_t)n) {
		free(p);
		p = NULL;
	}
	fclose(f);
	return p;
}

/* The rendering of config/NAME.conf, checked against its golden file and
 * for the absence of each of secrets[]. */
static char *
render(const char *name, const char *const *secrets)
{
	char path[256], err[512], golden[256];
	struct conf *c = NULL;
	struct cli_buf b;
	bool down[4] = { false, false, false, false };
	char *want;
	FILE *f;

	if (strchr(name, '/') != NULL)
		snprintf(path, sizeof(path), "%s.conf", name);
	else
		snprintf(path, sizeof(path), CONFIG_DIR "%s.conf", name);
	if (conf_load(path, &c, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	cli_buf_init(&b);
	cli_runconf_render(c, "1.0-test", down, 2, &b);
	conf_free(c);
	assert_false(b.oom);
	assert_non_null(b.p);
	for (; secrets != NULL && *secrets != NULL; secrets++)
		if (strstr(b.p, *secrets) != NULL)
			fail_msg("%s: secret '%s' in the output", name, *secrets);
	snprintf(golden, sizeof(golden), GOLDEN_DIR "runconf_%s.txt",
		 strrchr(name, '/') != NULL ? strrchr(name, '/') + 1 : name);
	if (getenv("UPDATE_GOLDEN") != NULL) {
		f = fopen(golden, "w");
		assert_non_null(f);
		fputs(b.p, f);
		fclose(f);
	}
	want = slurp(golden);
	if (want == NULL)
		fail_msg("no %s (UPDATE_GOLDEN=1 writes it)", golden);
	if (strcmp(want, b.p) != 0) {
		print_error("%s differs; the output:\n%s", golden, b.p);
		fail();
	}
	free(want);
	return b.p;
}

static void
assert_has(const char *out, const char *line)
{
	if (strstr(out, line) == NULL)
		fail_msg("no '%s' in:\n%s", line, out);
}

static void
test_twin(void **state)
{
	static const char *const secrets[] = {
		"twin-demo-psk", "twin-demo-sync-key", "$6$", NULL,
	};
	char *o = render("twin-a", secrets);

	(void)state;
	assert_has(o, "crypto ikev2 proposal p1\n encryption aes-gcm-128\n prf sha256\n group 19\n");
	assert_has(o, " peer 192.0.2.3\n  address 192.0.2.3\n  pre-shared-key <removed>\n");
	assert_has(o, " twinsec dpd interval 10 retries 5\n");
	assert_has(o, "crypto map to-peer 10 ipsec-isakmp\n set peer 192.0.2.3\n");
	assert_has(o, " twinsec initiate responder\n");
	assert_has(o, " set reverse-route tag 100\n match address to-peer-10\n reverse-route remote-peer\n!\n");
	assert_has(o, " set security-association lifetime seconds 3600\n");
	assert_has(o, " standby version 2\n standby 1 ip 192.0.2.254\n standby 1 timers msec 100 msec 300\n standby 1 priority 110\n");
	assert_has(o, " crypto map to-peer redundancy HA-out stateful\n");
	assert_has(o, "redundancy inter-device\n scheme standby HA-out\n");
	assert_has(o, "ipc zone default\n association 1\n");
	assert_has(o, "    local-ip 198.51.100.1\n");
	/* IKE negotiates the keys: no manual key lines */
	assert_null(strstr(o, "session-key"));
	free(o);
}

static void
test_peer(void **state)
{
	static const char *const secrets[] = { "twin-demo-psk", "$6$", NULL };
	char *o = render("twin-peer", secrets);

	(void)state;
	assert_has(o, " twinsec initiate start\n");
	assert_null(strstr(o, "standby"));
	assert_null(strstr(o, "redundancy inter-device"));
	free(o);
}

/* IPv6 as IOS writes it: upper case, "ipv6 ..." lines (issue 18). */
static void
test_ipv6(void **state)
{
	static const char *const secrets[] = {
		"404142434445464748494a4b4c4d4e4f50515253", "$6$", NULL,
	};
	char *o = render("conf/good_ipv6", secrets);

	(void)state;
	assert_has(o, " ip address 10.1.0.1 255.255.255.0\n ipv6 address 2001:DB8:1::1/64\n");
	assert_has(o, " ipv6 address 2001:DB8:FF::1/64\n ipv6 address 2001:DB8:FE::1/64\n");
	assert_has(o, "ip route 10.2.0.0 255.255.0.0 192.0.2.2\n!\n");
	assert_has(o, "ipv6 route 2001:DB8:2::/48 2001:DB8:FF::2\n");
	assert_has(o, "ipv6 route 2001:DB8:3::/48 outside FE80::2\n");
	assert_has(o, "ipv6 route 2001:DB8:4::/48 outside\n");
	assert_has(o, " set peer 2001:DB8:FF::2\n");
	assert_has(o, "ip access-list extended VPN-10\n permit ip 10.1.0.0 0.0.0.255 10.2.0.0 0.0.255.255\n!\n");
	assert_has(o, "ipv6 access-list VPN-10\n permit ipv6 2001:DB8:1::/64 2001:DB8:2::/48\n permit tcp 2001:DB8:1::/64 host 2001:DB8:2::7 eq 22\n deny icmp 2001:DB8:1::/64 any\n!\n");
	assert_has(o, " twinsec listen 2001:DB8:1::1 2323\n");
	free(o);
}

static void
test_manual(void **state)
{
	static const char *const secrets[] = {
		"f3e02880b4fbe9c7181c5babfa863b74e14dfa9b",
		"4f2156b8b8d629a85d864406708db30e58ba911e", NULL,
	};
	char *o = render("ha-a", secrets);

	(void)state;
	assert_has(o, " set session-key inbound esp ");
	assert_null(strstr(o, "crypto ikev2"));
	free(o);
}

static void
test_lab_ike(void **state)
{
	static const char *const secrets[] = {
		"twinsec-lab-psk-published-do-not-reuse", NULL,
	};
	char *o = render("lab-a", secrets);

	(void)state;
	assert_has(o, " set pfs group19\n");
	assert_has(o, " set security-association lifetime kilobytes 4608000\n");
	assert_has(o, " twinsec initiate start\n");
	assert_null(strstr(o, "crypto ikev2 limit"));
	free(o);
}

/* A crypto map with a fixed outer DSCP says so; the default says nothing. */
static void
test_dscp(void **state)
{
	char *o = render("conf/good_dscp", NULL);

	(void)state;
	assert_has(o, "crypto map VPN set dscp 46\n");
	free(o);
	o = render("conf/good_dscp_copy", NULL);
	assert_null(strstr(o, "set dscp"));
	free(o);
}

/* The console test's IKE config: a manual and an ipsec-isakmp entry in
 * one map, a logging section. */
static void
test_console_ike(void **state)
{
	static const char *const secrets[] = { "lab-secret", "$6$", NULL };
	char *o = render("../dpdk/console/ike", secrets);

	(void)state;
	assert_has(o, "crypto map to-site-b 10 ipsec-manual\n set peer 192.0.2.2\n set session-key inbound esp 8193 cipher <removed>\n");
	assert_has(o, "crypto map to-site-b 20 ipsec-isakmp\n set peer 192.0.2.3\n set transform-set gcm128\n");
	assert_has(o, " twinsec dpd interval 10 retries 3\n");
	assert_has(o, "logging host 127.0.0.1 transport udp port 23235\nlogging facility local5\nlogging trap notifications\n");
	assert_has(o, "enable secret <removed>\n");
	free(o);
}

/* The ike limits: shown when not the defaults (test_lab_ike: none). */
static void
test_ike_limits(void **state)
{
	struct conf *c = NULL;
	struct cli_buf b;
	bool down[4] = { false, false, false, false };
	char err[512];

	(void)state;
	if (conf_load("conf/good_ike.conf", &c, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	cli_buf_init(&b);
	cli_runconf_render(c, "1.0-test", down, 2, &b);
	conf_free(c);
	assert_false(b.oom);
	assert_has(b.p, "crypto ikev2 limit max-in-negotiation-sa 2 per-peer\n"
		   "crypto ikev2 limit max-sa 5 per-peer\n"
		   "crypto ikev2 limit twinsec create-child-sa 3 per 20 seconds\n!\n");
	free(b.p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_twin),
		cmocka_unit_test(test_peer),
		cmocka_unit_test(test_manual),
		cmocka_unit_test(test_ipv6),
		cmocka_unit_test(test_lab_ike),
		cmocka_unit_test(test_console_ike),
		cmocka_unit_test(test_dscp),
		cmocka_unit_test(test_ike_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
