/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ping A.B.C.D [source IF] [repeat N] [size N] [timeout S], IOS's extended
 * ping in one line: echo requests from the appliance itself (ops->ping,
 * one at a time), "!" for a reply and "." for a timeout as they happen,
 * then the success rate and the round-trip times.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define PING_SIZE_MIN 36        /* IOS: IP + ICMP headers + 8 */
#define PING_SIZE_MAX 1500
#define PING_REPEAT_MAX 100000
#define PING_TIMEOUT_MAX 3600

/* "repeat" ... as typed, by any unique prefix */
static const char *const opts[] = { "source", "repeat", "size", "timeout" };
#define N_OPTS (sizeof(opts) / sizeof(opts[0]))

static int
opt_of(const char *w)
{
	size_t n = strlen(w);
	unsigned int i;
	int found = -1;

	for (i = 0; i < N_OPTS; i++)
		if (n != 0 && strncmp(opts[i], w, n) == 0) {
			if (found >= 0)
				return -1;
			found = (int)i;
		}
	return found;
}

static bool
number(const char *w, unsigned long lo, unsigned long hi, unsigned long *out)
{
	char *end;

	if (w[0] < '0' || w[0] > '9')
		return false;
	*out = strtoul(w, &end, 10);
	return *end == '\0' && *out >= lo && *out <= hi;
}

static void
put(const struct cli_call *c, const char *s)
{
	c->s->ops->write(c->s->app, s, strlen(s));
}

static int
ping(const struct cli_call *c)
{
	struct cli_ping p = { .size = 100, .timeout_ms = 2000 };
	unsigned long v, repeat = 5, ok = 0, i;
	uint64_t rtt, lo = UINT64_MAX, hi = 0, sum = 0;
	char ip[CLI_IP_STRLEN], line[160], err[160] = "";
	struct in_addr a;
	int k, o, rc;

	if (c->s->ops->ping == NULL) {
		cli_err(c, "ping is not available on this system");
		return CLI_ERROR;
	}
	if (inet_pton(AF_INET, c->argv[0], &a) != 1 || a.s_addr == 0) {
		cli_err_arg(c, 0);
		return CLI_ERROR;
	}
	p.dst = ntohl(a.s_addr);
	for (k = 1; k < c->argc; k += 2) {
		o = opt_of(c->argv[k]);
		if (o < 0) {
			cli_err_arg(c, k);
			return CLI_ERROR;
		}
		if (k + 1 >= c->argc) {
			cli_syntax_report(c->s, CLI_SYNTAX_INCOMPLETE, "", 0);
			return CLI_ERROR;
		}
		if (o == 0) {
			snprintf(p.source, sizeof(p.source), "%s",
				 c->argv[k + 1]);
			continue;
		}
		if (!number(c->argv[k + 1],
			    o == 1 ? 1 : o == 2 ? PING_SIZE_MIN : 0,
			    o == 1 ? PING_REPEAT_MAX :
			    o == 2 ? PING_SIZE_MAX : PING_TIMEOUT_MAX, &v)) {
			cli_err_arg(c, k + 1);
			return CLI_ERROR;
		}
		if (o == 1)
			repeat = v;
		else if (o == 2)
			p.size = (uint16_t)v;
		else
			p.timeout_ms = (uint32_t)v * 1000;
	}
	cli_ip(p.dst, ip);
	snprintf(line, sizeof(line),
		 "Type escape sequence to abort.\r\nSending %lu, %u-byte ICMP Echos to %s, timeout is %u seconds:\r\n",
		 repeat, p.size, ip, p.timeout_ms / 1000);
	put(c, line);
	for (i = 0; i < repeat; i++) {
		p.seq = (uint16_t)i;
		rc = c->s->ops->ping(c->s->ctx, &p, &rtt, err, sizeof(err));
		if (rc < 0 && rc != -ETIMEDOUT) {
			if (i != 0)
				put(c, "\r\n");
			cli_err_op(c, "ping", rc, err);
			return CLI_ERROR;
		}
		if (i == 0 && p.source[0] != '\0') {
			snprintf(line, sizeof(line),
				 "Packet sent with a source address of %s \r\n",
				 cli_ip(p.src, ip));
			put(c, line);
		}
		if (rc == -ETIMEDOUT) {
			put(c, ".");
			continue;
		}
		put(c, "!");
		ok++;
		sum += rtt;
		lo = rtt < lo ? rtt : lo;
		hi = rtt > hi ? rtt : hi;
	}
	put(c, "\r\n");
	if (ok == 0)
		cli_out(c, "Success rate is 0 percent (0/%lu)", repeat);
	else
		cli_out(c, "Success rate is %lu percent (%lu/%lu), round-trip min/avg/max = %llu/%llu/%llu ms",
			ok * 100 / repeat, ok, repeat,
			(unsigned long long)(lo / 1000),
			(unsigned long long)(sum / ok / 1000),
			(unsigned long long)(hi / 1000));
	return CLI_OK;
}

static const struct cli_cmd ping_cmds[] = {
	{ "ping", "Send echo messages", ping, CLI_PRIV_USER, CLI_MODE_EXEC,
	  1, 9, "A.B.C.D [source IF] [repeat N] [size N] [timeout S]" },
};

int
cli_ping_register(struct cli_sess *s)
{
	return cli_cmds_register(s, ping_cmds,
				 sizeof(ping_cmds) / sizeof(ping_cmds[0]));
}
