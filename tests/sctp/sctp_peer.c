/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sctp_peer: one end of a sync transport in its own process, for the
 * transport tests (the twin that test_sctp.c kills and restarts) and the
 * loss test in tests/ha/sctp_loss.sh (both ends, in two namespaces).
 *
 *   sctp_peer [options] echo    send every message back
 *   sctp_peer [options] stall   never read (the sender's buffer fills)
 *   sctp_peer [options] send    send -n messages of -s bytes, then wait
 *                               for the receiver's "done" message
 *   sctp_peer [options] recv    expect -n messages in order, check each,
 *                               answer "done"; exit 0 if all were right
 *   sctp_peer [options] ticker  send a small message every 50 ms while up
 *
 * Events go to stdout, one line each, stamped with CLOCK_REALTIME in ms so
 * a script can compare them with `date +%s%3N`:
 *   <ms> UP <reason> | <ms> DOWN <reason> | <ms> PATH <addr> up|down
 *   <ms> RESULT <text>
 * Messages: 8-byte sequence number (big endian), then bytes (seq + i).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sync_transport.h"
#include "tw_log.h"

static struct sync_transport *tr;
static unsigned long count = 1000;
static size_t msg_size = 1000;
static int time_limit = 60;
static uint64_t start_ms;

static uint64_t
now_ms(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void
say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void
say(const char *fmt, ...)
{
	va_list ap;

	printf("%" PRIu64 " ", now_ms(CLOCK_REALTIME));
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

static int
parse_ips(const char *s, struct tw_addr *ips, unsigned int *n)
{
	char buf[128], *tok, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", s);
	*n = 0;
	for (tok = strtok_r(buf, ",", &save); tok != NULL;
	     tok = strtok_r(NULL, ",", &save)) {
		if (*n == SYNC_TRANSPORT_MAX_ADDRS ||
		    tw_addr_parse(tok, &ips[*n]) != 0)
			return -1;
		(*n)++;
	}
	return *n > 0 ? 0 : -1;
}

static void
fill(uint8_t *b, size_t len, uint64_t seq)
{
	size_t i;

	for (i = 0; i < 8; i++)
		b[i] = (uint8_t)(seq >> (56 - 8 * i));
	for (i = 8; i < len; i++)
		b[i] = (uint8_t)(seq + i);
}

static bool
check(const uint8_t *b, size_t len, uint64_t seq)
{
	uint64_t got = 0;
	size_t i;

	if (len < 8)
		return false;
	for (i = 0; i < 8; i++)
		got = got << 8 | b[i];
	if (got != seq)
		return false;
	for (i = 8; i < len; i++)
		if (b[i] != (uint8_t)(seq + i))
			return false;
	return true;
}

static void
wait_fd(int ms)
{
	struct pollfd p = { .fd = sync_transport_fd(tr), .events = POLLIN };

	poll(&p, 1, ms);
}

static bool
expired(void)
{
	return now_ms(CLOCK_MONOTONIC) - start_ms > (uint64_t)time_limit * 1000;
}

/* Report connection events; returns 1 with a message in *ev. */
static int
next(struct sync_transport_event *ev, bool *up)
{
	char a[TW_ADDR_STRLEN];
	int rc;

	while ((rc = sync_transport_poll(tr, ev)) > 0) {
		switch (ev->type) {
		case SYNC_TRANSPORT_EV_MSG:
			return 1;
		case SYNC_TRANSPORT_EV_UP:
			*up = true;
			say("UP %s", ev->reason);
			break;
		case SYNC_TRANSPORT_EV_DOWN:
			*up = false;
			say("DOWN %s", ev->reason);
			break;
		case SYNC_TRANSPORT_EV_PATH:
			tw_addr_str(&ev->addr, a, sizeof(a));
			say("PATH %s %s", a, ev->up ? "up" : "down");
			break;
		}
	}
	return rc;
}

/*
 * Send, retrying while the buffer is full; false when the link is gone.
 * It does not poll meanwhile: what arrives stays queued for the caller.
 */
static bool
send_wait(const void *m, size_t len)
{
	int rc;

	for (;;) {
		rc = sync_transport_send(tr, m, len);
		if (rc == 0)
			return true;
		if (rc != -EAGAIN || expired()) {
			say("SEND %s", strerror(-rc));
			return false;
		}
		usleep(2000);
	}
}

static int
run_echo(bool stall)
{
	struct sync_transport_event ev;
	bool up = false;
	uint8_t *copy = malloc(SYNC_TRANSPORT_MSG_MAX);

	while (!expired()) {
		if (stall) {
			sleep(1);
			continue;
		}
		wait_fd(100);
		while (next(&ev, &up) > 0) {
			memcpy(copy, ev.data, ev.len);
			if (!send_wait(copy, ev.len))
				say("RESULT echo lost");
		}
	}
	free(copy);
	return 0;
}

static int
run_send(void)
{
	struct sync_transport_event ev;
	uint8_t *m = malloc(SYNC_TRANSPORT_MSG_MAX);
	bool up = false;
	uint64_t seq = 0;

	while (!expired()) {
		if (!up || seq == count) {
			wait_fd(100);
		} else {
			fill(m, msg_size, seq);
			if (send_wait(m, msg_size))
				seq++;
			else if (up)
				break;
		}
		while (next(&ev, &up) > 0) {
			if (ev.len == 4 && memcmp(ev.data, "done", 4) == 0) {
				say("RESULT sent %" PRIu64, seq);
				free(m);
				return 0;
			}
		}
		if (!up && seq != 0 && seq != count) {
			/* A restart loses what was in flight: not this test. */
			say("RESULT down after %" PRIu64 " messages", seq);
			break;
		}
	}
	free(m);
	say("RESULT send failed at %" PRIu64, seq);
	return 1;
}

static int
run_recv(void)
{
	struct sync_transport_event ev;
	bool up = false;
	uint64_t seq = 0;

	while (!expired()) {
		wait_fd(100);
		while (next(&ev, &up) > 0) {
			if (!check(ev.data, ev.len, seq)) {
				say("RESULT message %" PRIu64 " wrong or out of order",
				    seq);
				return 1;
			}
			if (++seq == count) {
				say("RESULT received %" PRIu64 " in order", seq);
				send_wait("done", 4);
				/*
				 * Let "done" get across before closing: under
				 * loss it may take several retransmissions, so
				 * wait until the sender, having read it, closes
				 * the association (or 15 s at most).
				 */
				for (int i = 0; i < 300 && up; i++) {
					wait_fd(50);
					while (next(&ev, &up) > 0)
						;
				}
				return 0;
			}
		}
	}
	say("RESULT timeout after %" PRIu64 " messages", seq);
	return 1;
}

static int
run_ticker(void)
{
	struct sync_transport_event ev;
	uint8_t m[64];
	bool up = false;
	uint64_t seq = 0, last = 0;

	while (!expired()) {
		wait_fd(10);
		while (next(&ev, &up) > 0)
			;
		if (up && now_ms(CLOCK_MONOTONIC) - last >= 50) {
			fill(m, sizeof(m), seq);
			if (sync_transport_send(tr, m, sizeof(m)) == 0)
				seq++;
			last = now_ms(CLOCK_MONOTONIC);
		}
	}
	return 0;
}

static void
usage(void)
{
	fprintf(stderr,
		"usage: sctp_peer [-t auto|sctp|sctp-udp] -l IP[,IP] -r IP[,IP] -p PORT -P PORT\n"
		"                 [-u UDP] [-U UDP] [-m RTO_MIN] [-M RTO_MAX] [-x PATH_RTX] [-a ASSOC_RTX]\n"
		"                 [-n COUNT] [-s SIZE] [-T SECONDS] [-v] echo|stall|send|recv|ticker\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	struct sync_transport_cfg cfg;
	char err[256];
	const char *mode;
	int c, rc;

	sync_transport_cfg_defaults(&cfg);
	tw_log_set_level(TW_LOG_WARNING);
	while ((c = getopt(argc, argv, "t:l:r:p:P:u:U:m:M:x:a:n:s:T:v")) != -1) {
		switch (c) {
		case 't':
			cfg.kind = strcmp(optarg, "sctp") == 0 ?
				   SYNC_TRANSPORT_SCTP :
				   strcmp(optarg, "sctp-udp") == 0 ?
				   SYNC_TRANSPORT_SCTP_UDP : SYNC_TRANSPORT_AUTO;
			break;
		case 'l':
			if (parse_ips(optarg, cfg.local_ip, &cfg.n_local_ip))
				usage();
			break;
		case 'r':
			if (parse_ips(optarg, cfg.remote_ip, &cfg.n_remote_ip))
				usage();
			break;
		case 'p': cfg.local_port = (uint16_t)atoi(optarg); break;
		case 'P': cfg.remote_port = (uint16_t)atoi(optarg); break;
		case 'u': cfg.udp_encap_port = (uint16_t)atoi(optarg); break;
		case 'U': cfg.remote_udp_encap_port = (uint16_t)atoi(optarg); break;
		case 'm': cfg.rto_min_ms = (uint32_t)atoi(optarg); break;
		case 'M': cfg.rto_max_ms = (uint32_t)atoi(optarg); break;
		case 'x': cfg.path_retransmit = (unsigned int)atoi(optarg); break;
		case 'a': cfg.assoc_retransmit = (unsigned int)atoi(optarg); break;
		case 'n': count = strtoul(optarg, NULL, 0); break;
		case 's': msg_size = strtoul(optarg, NULL, 0); break;
		case 'T': time_limit = atoi(optarg); break;
		case 'v': tw_log_set_level(TW_LOG_DEBUG); break;
		default: usage();
		}
	}
	if (optind != argc - 1 || msg_size < 8 ||
	    msg_size > SYNC_TRANSPORT_MSG_MAX)
		usage();
	mode = argv[optind];
	start_ms = now_ms(CLOCK_MONOTONIC);
	rc = sync_transport_create(&cfg, &tr, err, sizeof(err));
	if (rc != 0) {
		say("RESULT create: %s", err);
		return rc == -EPROTONOSUPPORT ? 77 : 1;
	}
	say("START %s %s", sync_transport_backend(tr), mode);
	if (strcmp(mode, "echo") == 0)
		rc = run_echo(false);
	else if (strcmp(mode, "stall") == 0)
		rc = run_echo(true);
	else if (strcmp(mode, "send") == 0)
		rc = run_send();
	else if (strcmp(mode, "recv") == 0)
		rc = run_recv();
	else if (strcmp(mode, "ticker") == 0)
		rc = run_ticker();
	else
		usage();
	sync_transport_destroy(tr);
	return rc;
}
