/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target for the console's input: the input is what a telnet
 * client sends after the login. Its bytes go through cli_telnet_byte()
 * (lib/cli/cli_telnet.c, the console's own telnet reads), the data
 * bytes are cut into lines at CR/LF, and every line runs through
 * cli_sess_run() (lib/cli: libcli's parser, the IOS error markers,
 * filters, every command) against a fake daemon (struct cli_ops with
 * small canned tables; the enable secret is "s3cret"; read_secret takes
 * the next line, as the console would read it).
 *
 * The first byte chooses the login privilege (bit 0: privileged EXEC)
 * and paging (bit 1: 24 lines, '--More--' answered by the next data
 * byte). Checked:
 *  - after each line the session is out of its handler and in one of the
 *    four modes, at user or privileged level, or it ended (CLI_QUIT; a
 *    hang-up only with it); a user session becomes privileged only by
 *    "enable" with the right secret;
 *  - the telnet decoder gives back any data, whatever option
 *    negotiation is interleaved, once its 255s are doubled.
 *
 *   replay_cli tests/fuzz/corpus/cli            (make test)
 *   build-fuzz/tests/fuzz/fuzz_cli corpus/cli   (make fuzz)
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_telnet.h"
#include "tw_compiler.h"

#define SECRET "s3cret"
#define MAX_LINES 24
#define LINE_MAX_LEN 512

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fail(int line)
{
	fprintf(stderr, "fuzz_cli.c:%d: check failed\n", line);
	abort();
}

#define check(ok) do { if (!(ok)) fail(__LINE__); } while (0)

/* The decoded stream, and where the session reads next. */
static struct {
	uint8_t d[4096];
	size_t n, pos;
	bool enabled;            /* a right secret was typed */
	bool hung_up;            /* the session asked the console to */
	size_t out;              /* bytes written */
} F;

/* The next line of the stream (CR or LF ends it, NUL skipped). */
static bool
next_line(char *buf, size_t len)
{
	size_t k = 0;

	if (F.pos >= F.n)
		return false;
	while (F.pos < F.n) {
		uint8_t c = F.d[F.pos++];

		if (c == '\r' || c == '\n')
			break;
		if (c == 0)
			continue;
		if (k + 1 < len)
			buf[k++] = (char)c;
	}
	buf[k] = '\0';
	return true;
}

static int
op_version(void *ctx TW_UNUSED, struct cli_version *v)
{
	memset(v, 0, sizeof(*v));
	snprintf(v->version, sizeof(v->version), "0.1.0");
	snprintf(v->hostname, sizeof(v->hostname), "tw-fuzz");
	v->n_ports = 2;
	return 0;
}

static int
op_interfaces(void *ctx TW_UNUSED, struct cli_iface_table *t)
{
	static const char *names[2] = { "outside", "inside" };
	unsigned int i;

	t->v = calloc(2, sizeof(*t->v));
	if (t->v == NULL)
		return -ENOMEM;
	t->n = 2;
	for (i = 0; i < 2; i++) {
		snprintf(t->v[i].name, sizeof(t->v[i].name), "%s", names[i]);
		snprintf(t->v[i].role, sizeof(t->v[i].role), "%s",
			 i == 0 ? "outside" : "inside");
		t->v[i].addr = i == 0 ? 0xc0000201u : 0x0a000001u;
		t->v[i].prefix_len = 24;
		t->v[i].mtu = 1500;
		t->v[i].admin_up = true;
		t->v[i].link_up = true;
	}
	return 0;
}

static int
op_routes(void *ctx TW_UNUSED, struct cli_route_table *t)
{
	t->v = calloc(1, sizeof(*t->v));
	if (t->v == NULL)
		return -ENOMEM;
	t->n = 1;
	t->v[0].prefix = 0x0a000000u;
	t->v[0].len = 24;
	snprintf(t->v[0].iface, sizeof(t->v[0].iface), "inside");
	return 0;
}

static int
op_arp(void *ctx TW_UNUSED, struct cli_arp_table *t)
{
	memset(t, 0, sizeof(*t));
	return 0;
}

static int
op_sas(void *ctx TW_UNUSED, struct cli_sa_table *t)
{
	t->v = calloc(1, sizeof(*t->v));
	if (t->v == NULL)
		return -ENOMEM;
	t->n = 1;
	t->v[0].id = 1;
	t->v[0].spi = 0x1001;
	t->v[0].inbound = true;
	snprintf(t->v[0].cipher, sizeof(t->v[0].cipher), "aes-gcm-128");
	snprintf(t->v[0].integ, sizeof(t->v[0].integ), "none");
	snprintf(t->v[0].map, sizeof(t->v[0].map), "VPN");
	t->v[0].aead = true;
	t->v[0].local = 0xc0000201u;
	t->v[0].peer = 0xc6336407u;
	t->v[0].replay_window = 64;
	return 0;
}

static int
op_cmaps(void *ctx TW_UNUSED, struct cli_cmap_table *t)
{
	memset(t, 0, sizeof(*t));
	return 0;
}

static int
op_running(void *ctx TW_UNUSED, struct cli_buf *b)
{
	static const char text[] = "hostname tw-fuzz\n!\nend\n";

	memset(b, 0, sizeof(*b));
	b->p = malloc(sizeof(text));
	if (b->p == NULL)
		return -ENOMEM;
	memcpy(b->p, text, sizeof(text));
	b->len = sizeof(text) - 1;
	b->cap = sizeof(text);
	return 0;
}

static int
op_clear_counters(void *ctx TW_UNUSED, const char *iface TW_UNUSED,
		  char *err TW_UNUSED, size_t errlen TW_UNUSED)
{
	return 0;
}

static int
op_clear_sas(void *ctx TW_UNUSED, int f TW_UNUSED, uint32_t peer TW_UNUSED,
	     const char *map, unsigned int *n_manual, unsigned int *n_ike,
	     char *err, size_t errlen)
{
	*n_manual = 0;
	*n_ike = 0;
	if (map != NULL && strcmp(map, "VPN") != 0) {
		snprintf(err, errlen, "no crypto map %s", map);
		return -ENOENT;
	}
	return 0;
}

static int
op_set_admin(void *ctx TW_UNUSED, const char *iface TW_UNUSED,
	     bool up TW_UNUSED, char *err TW_UNUSED, size_t errlen TW_UNUSED)
{
	return 0;
}

static int
op_debug(void *ctx TW_UNUSED, const char *module TW_UNUSED, bool on TW_UNUSED)
{
	return 0;
}

static int
op_debug_modules(void *ctx TW_UNUSED, char names[][16], unsigned int max,
		 unsigned int *n)
{
	*n = 0;
	if (max >= 2) {
		snprintf(names[0], 16, "hsrp");
		snprintf(names[1], 16, "sync");
		*n = 2;
	}
	return 0;
}

static int
op_standby(void *ctx TW_UNUSED, struct cli_hsrp_table *t)
{
	memset(t, 0, sizeof(*t));
	return 0;
}

static int
op_redundancy(void *ctx TW_UNUSED, struct cli_redundancy *r)
{
	memset(r, 0, sizeof(*r));
	return 0;
}

static int
op_switchover(void *ctx TW_UNUSED, char *err, size_t errlen)
{
	snprintf(err, errlen, "no peer");
	return -ENOTCONN;
}

static int
op_ike_sas(void *ctx TW_UNUSED, struct cli_ike_table *t)
{
	memset(t, 0, sizeof(*t));
	return 0;
}

static int
op_ike_clear(void *ctx TW_UNUSED, uint32_t id TW_UNUSED, unsigned int *n)
{
	*n = 0;
	return 0;
}

static int
op_ping(void *ctx TW_UNUSED, struct cli_ping *p TW_UNUSED,
	uint64_t *rtt TW_UNUSED, char *err TW_UNUSED, size_t errlen TW_UNUSED)
{
	return -ETIMEDOUT;
}

static int
op_clear_sa_counters(void *ctx TW_UNUSED, unsigned int *n)
{
	*n = 1;
	return 0;
}

static int
op_config_edit(void *ctx TW_UNUSED, const struct cli_cfg_edit *e TW_UNUSED,
	       char *err TW_UNUSED, size_t errlen TW_UNUSED)
{
	return 0;
}

static int
op_write_memory(void *ctx TW_UNUSED, char *path, size_t pathlen,
		char *err TW_UNUSED, size_t errlen TW_UNUSED)
{
	snprintf(path, pathlen, "/etc/twinsec/twinsecd.conf");
	return 0;
}

static int
op_read_secret(void *sess TW_UNUSED, const char *prompt TW_UNUSED, char *buf,
	       size_t len)
{
	if (!next_line(buf, len))
		return -ETIMEDOUT;
	return 0;
}

static int
op_check_enable(void *ctx TW_UNUSED, const char *secret)
{
	if (strcmp(secret, SECRET) != 0)
		return -EACCES;
	F.enabled = true;
	return 0;
}

static void
op_monitor(void *sess TW_UNUSED, bool on TW_UNUSED)
{
}

static int
op_write(void *sess TW_UNUSED, const char *buf TW_UNUSED, size_t len)
{
	F.out += len;
	return 0;
}

static void
op_hang_up(void *sess TW_UNUSED)
{
	F.hung_up = true;
}

static int
op_read_key(void *sess TW_UNUSED)
{
	if (F.pos >= F.n)
		return -1;
	return F.d[F.pos++];
}

static const struct cli_ops ops = {
	.version = op_version,
	.interfaces = op_interfaces,
	.routes = op_routes,
	.arp = op_arp,
	.sas = op_sas,
	.crypto_maps = op_cmaps,
	.running_config = op_running,
	.clear_counters = op_clear_counters,
	.clear_sas = op_clear_sas,
	.set_admin = op_set_admin,
	.debug = op_debug,
	.debug_modules = op_debug_modules,
	.standby = op_standby,
	.redundancy = op_redundancy,
	.force_switchover = op_switchover,
	.ike_sas = op_ike_sas,
	.ike_clear = op_ike_clear,
	.ping = op_ping,
	.clear_sa_counters = op_clear_sa_counters,
	.config_edit = op_config_edit,
	.write_memory = op_write_memory,
	.read_secret = op_read_secret,
	.check_enable = op_check_enable,
	.monitor = op_monitor,
	.write = op_write,
	.read_key = op_read_key,
	.hang_up = op_hang_up,
};

/*
 * The data doubled where 255, with option negotiation the data itself
 * chooses put in between, decodes back to the data.
 */
static void
telnet_round_trip(const uint8_t *data, size_t size)
{
	static uint8_t enc[4 * 4096 + 16];
	enum cli_telnet_state st = CLI_TELNET_DATA;
	size_t i, n = 0, k = 0;
	int d;

	for (i = 0; i < size; i++) {
		if (i % 7 == 3) {
			/* IAC WILL/WONT/DO/DONT option */
			enc[n++] = 255;
			enc[n++] = (uint8_t)(251 + data[i] % 4);
			enc[n++] = data[i] & 0x7f;
		} else if (i % 11 == 5) {
			/* IAC SB option, a byte, IAC SE */
			enc[n++] = 255;
			enc[n++] = 250;
			enc[n++] = data[i] & 0x7f;
			enc[n++] = data[i] & 0x7f;
			enc[n++] = 255;
			enc[n++] = 240;
		} else if (i % 13 == 6 && data[i] < 240) {
			/* IAC and a command without an option (NOP, AYT) */
			enc[n++] = 255;
			enc[n++] = (uint8_t)(241 + data[i] % 9);
		}
		if (data[i] == 255)
			enc[n++] = 255;
		enc[n++] = data[i];
	}
	for (i = 0; i < n; i++) {
		d = cli_telnet_byte(&st, enc[i]);
		if (d >= 0) {
			check(k < size && d == data[k]);
			k++;
		}
	}
	check(k == size && st == CLI_TELNET_DATA);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum cli_telnet_state st = CLI_TELNET_DATA;
	static struct cli_sess s;
	char line[LINE_MAX_LEN];
	unsigned int lines = 0;
	bool admin;
	size_t i;
	int d, rc;

	if (size < 1 || size > sizeof(F.d))
		return -1;
	telnet_round_trip(data, size);
	memset(&F, 0, sizeof(F));
	for (i = 1; i < size; i++) {
		d = cli_telnet_byte(&st, data[i]);
		check(d >= -1 && d <= 255);
		if (d >= 0)
			F.d[F.n++] = (uint8_t)d;
	}
	admin = data[0] & 1;
	/*
	 * One session for every input (registering the command tree costs
	 * a millisecond): back to a fresh login's state, as the console
	 * has it after authentication.
	 */
	if (s.cli == NULL)
		check(cli_sess_init(&s, &ops, &F, &F, "tw-fuzz") == 0);
	cli_set_configmode(s.cli, MODE_EXEC, NULL);
	s.monitor = false;
	s.page_lines = 0;
	s.discard = false;
	s.iface[0] = '\0';
	memset(&s.cme, 0, sizeof(s.cme));
	s.cme_new = false;
	s.caret_shift = 0;
	s.retrying = false;
	s.dbg_typed = 0;
	cli_sess_login(&s, admin ? "admin" : "oper",
		       admin ? CLI_PRIV_ADMIN : CLI_PRIV_USER);
	s.term_length = (data[0] & 2) ? CLI_TERM_LENGTH_DEFAULT : 0;
	while (lines++ < MAX_LINES && next_line(line, sizeof(line))) {
		rc = cli_sess_run(&s, line);
		check(!s.in_handler);
		/* a hang-up ends the line's session, as a CLI_QUIT */
		check(!F.hung_up || rc == CLI_QUIT);
		if (rc == CLI_QUIT)
			break;  /* logout, exit: the console closes */
		check(s.cli->mode == CLI_MODE_EXEC ||
		      s.cli->mode == CLI_MODE_CONFIG ||
		      s.cli->mode == CLI_MODE_CONFIG_IF ||
		      s.cli->mode == CLI_MODE_CONFIG_CMAP);
		check(s.cli->privilege == CLI_PRIV_USER ||
		      s.cli->privilege == CLI_PRIV_ADMIN);
		if (!admin && !F.enabled)
			check(s.cli->privilege == CLI_PRIV_USER);
	}
	return 0;
}
