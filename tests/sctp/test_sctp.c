/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The sync transport against a twin in another process (sctp_peer, which
 * this test starts, kills with SIGKILL and restarts), on 127.0.0.1:
 * connecting, messages both ways in order up to the largest size, the
 * twin's restart seen as DOWN then UP with both roles, the twin's death
 * seen as DOWN within the retransmission limits, a full send buffer
 * answered with -EAGAIN at once, counters, configuration checks (IPv6
 * addresses, one family per association), and an echo over ::1 (an
 * AF_INET6 usrsctp socket, UDP-encapsulated over IPv6). Over
 * usrsctp (this machine's kernel has no SCTP); the kernel backend's test
 * skips, saying why, where the kernel lacks SCTP.
 *
 * Ports: usrsctp has one UDP port per process, so this process and the
 * peer each get one, derived from the PID so that parallel runs do not
 * collide. SCTP ports live inside the UDP encapsulation and collide with
 * nothing.
 */
#include <errno.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "conf.h"
#include "sync_transport.h"
#include "sync_transport_conf.h"
#include "tw_compiler.h"
#include "tw_log.h"

extern char **environ;

#define N_MSGS 600

/* The loopback address the tests use: 127.0.0.1, or ::1 when v6. */
static bool v6;
static struct tw_addr loopback(void)
{
	struct tw_addr a = tw_addr_v4(0x7f000001u);

	if (v6) {
		memset(&a, 0, sizeof(a));
		a.family = TW_AF_INET6;
		a.v6[15] = 1;
	}
	return a;
}
#define LOOPBACK loopback()

static uint16_t udp_a, udp_b;
/* Peers still running: a failed test leaves them to the teardown. */
static pid_t peers[4];

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void
cfg_a(struct sync_transport_cfg *c, uint16_t port_a, uint16_t port_b)
{
	sync_transport_cfg_defaults(c);
	c->kind = SYNC_TRANSPORT_SCTP_UDP;
	c->local_ip[0] = LOOPBACK;
	c->n_local_ip = 1;
	c->remote_ip[0] = LOOPBACK;
	c->n_remote_ip = 1;
	c->local_port = port_a;
	c->remote_port = port_b;
	c->udp_encap_port = udp_a;
	c->remote_udp_encap_port = udp_b;
}

/* The twin: sctp_peer MODE with the mirror image of cfg_a(). */
static pid_t
spawn_peer(const char *mode, const char *kind, uint16_t port_a,
	   uint16_t port_b)
{
	const char *peer = getenv("SCTP_PEER");
	char pa[8], pb[8], ua[8], ub[8];
	pid_t pid;

	assert_non_null(peer);
	snprintf(pa, sizeof(pa), "%u", port_a);
	snprintf(pb, sizeof(pb), "%u", port_b);
	snprintf(ua, sizeof(ua), "%u", udp_a);
	snprintf(ub, sizeof(ub), "%u", udp_b);
	const char *argv[] = {
		peer, "-t", kind, "-l", v6 ? "::1" : "127.0.0.1",
		"-r", v6 ? "::1" : "127.0.0.1", "-p", pb, "-P", pa, "-u", ub, "-U", ua,
		"-T", "60", mode, NULL,
	};
	unsigned int i;

	/* posix_spawn() takes char *const[] but never writes the strings. */
	assert_int_equal(posix_spawn(&pid, peer, NULL, NULL,
				     TW_UNCONST(char *const *, argv), environ),
			 0);
	for (i = 0; i < 4; i++) {
		if (peers[i] == 0) {
			peers[i] = pid;
			break;
		}
	}
	return pid;
}

static void
kill_peer(pid_t pid)
{
	unsigned int i;

	for (i = 0; i < 4; i++)
		if (peers[i] == pid)
			peers[i] = 0;
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

static int
kill_peers(void **state TW_UNUSED)
{
	unsigned int i;

	for (i = 0; i < 4; i++)
		if (peers[i] != 0)
			kill_peer(peers[i]);
	return 0;
}

/* Messages of every size up to the largest, the largest every 50th. */
static size_t
size_of(uint64_t seq)
{
	return seq % 50 == 0 ? SYNC_TRANSPORT_MSG_MAX : 8 + (seq * 37) % 3000;
}

static void
fill(uint8_t *b, size_t len, uint64_t seq)
{
	size_t i;

	memcpy(b, &seq, 8);
	for (i = 8; i < len; i++)
		b[i] = (uint8_t)(seq * 7 + i);
}

static bool
check(const uint8_t *b, size_t len, uint64_t seq)
{
	size_t i;

	if (len != size_of(seq) || memcmp(b, &seq, 8) != 0)
		return false;
	for (i = 8; i < len; i++)
		if (b[i] != (uint8_t)(seq * 7 + i))
			return false;
	return true;
}

static void
wait_fd(struct sync_transport *t, int ms)
{
	struct pollfd p = { .fd = sync_transport_fd(t), .events = POLLIN };

	poll(&p, 1, ms);
}

/* Poll until an event of this type (messages are dropped); its time. */
static int64_t
wait_for(struct sync_transport *t, enum sync_transport_ev_type type,
	 int timeout_ms)
{
	struct sync_transport_event ev;
	uint64_t t0 = now_ms();

	while (now_ms() - t0 < (uint64_t)timeout_ms) {
		while (sync_transport_poll(t, &ev) > 0)
			if (ev.type == type)
				return (int64_t)(now_ms() - t0);
		wait_fd(t, 20);
	}
	return -1;
}

/* One message there and back. */
static void
round_trip(struct sync_transport *t, uint64_t seq)
{
	struct sync_transport_event ev;
	uint8_t m[64];
	uint64_t t0 = now_ms();

	memcpy(m, &seq, 8);
	memset(m + 8, 0x5a, sizeof(m) - 8);
	assert_int_equal(sync_transport_send(t, m, sizeof(m)), 0);
	while (now_ms() - t0 < 5000) {
		wait_fd(t, 20);
		while (sync_transport_poll(t, &ev) > 0) {
			if (ev.type != SYNC_TRANSPORT_EV_MSG)
				continue;
			assert_int_equal(ev.len, sizeof(m));
			assert_memory_equal(ev.data, m, sizeof(m));
			return;
		}
	}
	fail_msg("no echo of message %llu", (unsigned long long)seq);
}

static struct sync_transport *
create_a(uint16_t port_a, uint16_t port_b)
{
	struct sync_transport_cfg c;
	struct sync_transport *t = NULL;
	char err[256];
	int rc;

	cfg_a(&c, port_a, port_b);
	rc = sync_transport_create(&c, &t, err, sizeof(err));
	if (rc != 0)
		fail_msg("create: %s", err);
	return t;
}

static void
test_echo_in_order(void **state TW_UNUSED)
{
	struct sync_transport_stats st;
	struct sync_transport_event ev;
	struct sync_transport *t;
	uint8_t *m = malloc(SYNC_TRANSPORT_MSG_MAX);
	uint64_t sent = 0, got = 0, bytes = 0, t0;
	pid_t peer;
	int rc;

	t = create_a(5000, 5001);
	peer = spawn_peer("echo", "sctp-udp", 5000, 5001);
	assert_true(wait_for(t, SYNC_TRANSPORT_EV_UP, 5000) >= 0);
	t0 = now_ms();
	while (got < N_MSGS && now_ms() - t0 < 30000) {
		/* As many as the buffer takes, then read the echoes. */
		while (sent < N_MSGS) {
			fill(m, size_of(sent), sent);
			rc = sync_transport_send(t, m, size_of(sent));
			if (rc == -EAGAIN)
				break;
			assert_int_equal(rc, 0);
			bytes += size_of(sent);
			sent++;
		}
		wait_fd(t, 20);
		while (sync_transport_poll(t, &ev) > 0) {
			assert_int_equal(ev.type, SYNC_TRANSPORT_EV_MSG);
			if (!check(ev.data, ev.len, got))
				fail_msg("echo %llu wrong or out of order",
					 (unsigned long long)got);
			got++;
		}
	}
	assert_int_equal(got, N_MSGS);

	sync_transport_stats(t, &st);
	assert_string_equal(st.backend, "sctp-udp");
	assert_string_equal(sync_transport_backend(t), "sctp-udp");
	assert_int_equal(st.state, SYNC_TRANSPORT_ST_UP);
	assert_true(st.initiator);
	assert_int_equal(st.msgs_out, N_MSGS);
	assert_int_equal(st.msgs_in, N_MSGS);
	assert_int_equal(st.bytes_out, bytes);
	assert_int_equal(st.bytes_in, bytes);
	assert_int_equal(st.ups, 1);
	assert_int_equal(st.downs, 0);
	assert_int_equal(st.n_paths, 1);
	assert_int_equal(st.paths[0].addr.v4, LOOPBACK.v4);
	assert_true(st.paths[0].up);
	assert_true(st.paths[0].rto_ms >= 300 && st.paths[0].rto_ms <= 600);
	assert_true(st.retransmits_valid);

	/* Too big is refused before it reaches SCTP. */
	assert_int_equal(sync_transport_send(t, m, SYNC_TRANSPORT_MSG_MAX + 1),
			 -EMSGSIZE);
	kill_peer(peer);
	sync_transport_destroy(t);
	free(m);
}

/* The twin is killed and started again at once: DOWN, then UP. */
static void
restart(uint16_t port_a, uint16_t port_b, bool initiator)
{
	struct sync_transport_stats st;
	struct sync_transport *t;
	int64_t down, up;
	pid_t peer;

	t = create_a(port_a, port_b);
	sync_transport_stats(t, &st);
	assert_int_equal(st.initiator, initiator);
	assert_int_equal(st.state, initiator ? SYNC_TRANSPORT_ST_CONNECTING :
			 SYNC_TRANSPORT_ST_LISTENING);
	peer = spawn_peer("echo", "sctp-udp", port_a, port_b);
	assert_true(wait_for(t, SYNC_TRANSPORT_EV_UP, 5000) >= 0);
	round_trip(t, 1);

	kill_peer(peer);
	peer = spawn_peer("echo", "sctp-udp", port_a, port_b);
	/*
	 * Initiator: its next packet meets a stack that knows no such
	 * association and answers ABORT. Responder: the new twin's INIT
	 * restarts the association. Either way within a few RTO.
	 */
	down = wait_for(t, SYNC_TRANSPORT_EV_DOWN, 8000);
	assert_true(down >= 0);
	up = wait_for(t, SYNC_TRANSPORT_EV_UP, 8000);
	assert_true(up >= 0);
	printf("# %s: DOWN after %lld ms, UP %lld ms later\n",
	       initiator ? "initiator" : "responder", (long long)down,
	       (long long)up);
	round_trip(t, 2);
	sync_transport_stats(t, &st);
	assert_int_equal(st.ups, 2);
	assert_int_equal(st.downs, 1);
	kill_peer(peer);
	sync_transport_destroy(t);
}

static void
test_restart_initiator(void **state TW_UNUSED)
{
	restart(5010, 5011, true);
}

static void
test_restart_responder(void **state TW_UNUSED)
{
	restart(5021, 5020, false);
}

/*
 * The twin dies for good while we keep sending: DOWN once the association
 * error count passes assoc_retransmit, each retransmission at most
 * rto_max (plus heartbeats, every rto_max + RTO, when idle).
 */
static void
test_peer_dies(void **state TW_UNUSED)
{
	struct sync_transport_stats st;
	struct sync_transport_event ev;
	struct sync_transport *t;
	uint8_t m[100] = { 0 };
	uint64_t t0, last = 0;
	int64_t down = -1;
	pid_t peer;

	t = create_a(5030, 5031);
	peer = spawn_peer("echo", "sctp-udp", 5030, 5031);
	assert_true(wait_for(t, SYNC_TRANSPORT_EV_UP, 5000) >= 0);
	round_trip(t, 1);
	kill_peer(peer);
	t0 = now_ms();
	while (down < 0 && now_ms() - t0 < 12000) {
		if (now_ms() - last >= 100) {
			sync_transport_send(t, m, sizeof(m));
			last = now_ms();
		}
		wait_fd(t, 20);
		while (sync_transport_poll(t, &ev) > 0)
			if (ev.type == SYNC_TRANSPORT_EV_DOWN)
				down = (int64_t)(now_ms() - t0);
	}
	printf("# twin gone: DOWN after %lld ms (bound %u ms)\n",
	       (long long)down, (4 + 1) * 2 * 600 + 1000);
	assert_true(down >= 0 && down <= (4 + 1) * 2 * 600 + 1000);
	sync_transport_stats(t, &st);
	/* The initiator is already trying again. */
	assert_true(st.state == SYNC_TRANSPORT_ST_DOWN ||
		    st.state == SYNC_TRANSPORT_ST_CONNECTING);
	assert_int_equal(sync_transport_send(t, m, sizeof(m)), -ENOTCONN);
	sync_transport_destroy(t);
}

/* A twin that never reads: the buffers fill and send() says so at once. */
static void
test_send_buffer_full(void **state TW_UNUSED)
{
	struct sync_transport_stats st;
	struct sync_transport *t;
	uint8_t *m = calloc(1, SYNC_TRANSPORT_MSG_MAX);
	uint64_t t0, worst = 0;
	int i, rc = 0;
	pid_t peer;

	t = create_a(5040, 5041);
	peer = spawn_peer("stall", "sctp-udp", 5040, 5041);
	assert_true(wait_for(t, SYNC_TRANSPORT_EV_UP, 5000) >= 0);
	for (i = 0; i < 1000; i++) {
		t0 = now_ms();
		rc = sync_transport_send(t, m, SYNC_TRANSPORT_MSG_MAX);
		if (now_ms() - t0 > worst)
			worst = now_ms() - t0;
		if (rc == -EAGAIN)
			break;
		assert_int_equal(rc, 0);
		/* Let SCTP move what it can into the twin's window. */
		wait_fd(t, 1);
	}
	printf("# -EAGAIN after %d messages of 64 KiB, slowest send %llu ms\n",
	       i, (unsigned long long)worst);
	assert_int_equal(rc, -EAGAIN);
	assert_true(i > 0);
	assert_true(worst < 50);
	sync_transport_stats(t, &st);
	assert_int_equal(st.send_full, 1);
	assert_int_equal(st.msgs_out, (uint64_t)i);
	kill_peer(peer);
	sync_transport_destroy(t);
	free(m);
}

static void
test_config_checks(void **state TW_UNUSED)
{
	struct sync_transport_cfg c;
	struct sync_transport *t = NULL, *t2 = NULL;
	char err[256];

	cfg_a(&c, 5050, 5051);
	assert_int_equal(sync_transport_cfg_check(&c, err, sizeof(err)), 0);
	c.rto_min_ms = 700;
	assert_int_equal(sync_transport_cfg_check(&c, err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "min 700 max 600"));
	cfg_a(&c, 5050, 5051);
	c.rto_max_ms = 60001;
	assert_int_equal(sync_transport_cfg_check(&c, err, sizeof(err)),
			 -EINVAL);
	cfg_a(&c, 5050, 5051);
	c.assoc_retransmit = 11;
	assert_int_equal(sync_transport_cfg_check(&c, err, sizeof(err)),
			 -EINVAL);
	cfg_a(&c, 5050, 5051);
	c.n_remote_ip = 0;
	assert_int_equal(sync_transport_cfg_check(&c, err, sizeof(err)),
			 -EINVAL);
	cfg_a(&c, 5050, 5051);
	c.local_ip[1] = LOOPBACK;
	c.n_local_ip = 2;
	assert_int_equal(sync_transport_cfg_check(&c, err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "same address twice"));
	cfg_a(&c, 5050, 5050);
	assert_int_equal(sync_transport_create(&c, &t, err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "same endpoint"));
	/* One family per association: IPv4 local, IPv6 remote refused. */
	cfg_a(&c, 5050, 5051);
	tw_addr_parse("2001:db8::2", &c.remote_ip[0]);
	assert_int_equal(sync_transport_cfg_check(&c, err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "mix IPv4 and IPv6"));
	cfg_a(&c, 5050, 5051);
	tw_addr_parse("2001:db8::1", &c.local_ip[1]);
	c.n_local_ip = 2;
	assert_int_equal(sync_transport_cfg_check(&c, err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "mix IPv4 and IPv6"));
	/* IPv6 ones: fine; link-local (no zone) and multicast are not. */
	cfg_a(&c, 5050, 5051);
	tw_addr_parse("2001:db8::1", &c.local_ip[0]);
	tw_addr_parse("2001:db8::2", &c.remote_ip[0]);
	assert_int_equal(sync_transport_cfg_check(&c, err, sizeof(err)), 0);
	tw_addr_parse("fe80::2", &c.remote_ip[0]);
	assert_int_equal(sync_transport_cfg_check(&c, err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "not a unicast"));
	tw_addr_parse("ff02::1", &c.remote_ip[0]);
	assert_int_equal(sync_transport_cfg_check(&c, err, sizeof(err)),
			 -EINVAL);

	/* One usrsctp per process: a second UDP port is refused. */
	cfg_a(&c, 5050, 5051);
	assert_int_equal(sync_transport_create(&c, &t, err, sizeof(err)), 0);
	cfg_a(&c, 5052, 5053);
	c.udp_encap_port = udp_a + 2;
	assert_int_equal(sync_transport_create(&c, &t2, err, sizeof(err)),
			 -EBUSY);
	assert_non_null(strstr(err, "already runs on UDP port"));
	/* ... the same one is shared. */
	c.udp_encap_port = udp_a;
	assert_int_equal(sync_transport_create(&c, &t2, err, sizeof(err)), 0);
	sync_transport_destroy(t2);
	sync_transport_destroy(t);

	/* Kernel SCTP asked for by name, on a kernel without it. */
	if (!sync_transport_kernel_sctp_available()) {
		cfg_a(&c, 5050, 5051);
		c.kind = SYNC_TRANSPORT_SCTP;
		assert_int_equal(sync_transport_create(&c, &t, err,
						       sizeof(err)),
				 -EPROTONOSUPPORT);
		assert_non_null(strstr(err, "sctp"));
	}
}

/* The ipc section maps key for key. */
static void
test_from_conf(void **state TW_UNUSED)
{
	struct conf_ipc ipc = {
		.enabled = true,
		.transport = CONF_IPC_SCTP_UDP,
		.local_port = 5000,
		.remote_port = 5001,
		.local_ip = { { .family = TW_AF_INET, .v4 = 0xc6336401 },
			      { .family = TW_AF_INET, .v4 = 0xc6336501 } },
		.n_local_ip = 2,
		.remote_ip = { { .family = TW_AF_INET, .v4 = 0xc6336402 } },
		.n_remote_ip = 1,
		.udp_encap_port = 9900,
		.remote_udp_encap_port = 9901,
		.rto_min_ms = 400,
		.rto_max_ms = 2000,
		.path_retransmit = 3,
		.assoc_retransmit = 9,
	};
	struct sync_transport_cfg c;
	char err[256];

	sync_transport_cfg_from_conf(&ipc, &c);
	assert_int_equal(c.kind, SYNC_TRANSPORT_SCTP_UDP);
	assert_int_equal(c.local_port, 5000);
	assert_int_equal(c.remote_port, 5001);
	assert_int_equal(c.n_local_ip, 2);
	assert_int_equal(c.local_ip[1].v4, 0xc6336501);
	assert_int_equal(c.n_remote_ip, 1);
	assert_int_equal(c.remote_ip[0].v4, 0xc6336402);
	assert_int_equal(c.udp_encap_port, 9900);
	assert_int_equal(c.remote_udp_encap_port, 9901);
	assert_int_equal(c.rto_min_ms, 400);
	assert_int_equal(c.rto_max_ms, 2000);
	assert_int_equal(c.path_retransmit, 3);
	assert_int_equal(c.assoc_retransmit, 9);
	assert_int_equal(sync_transport_cfg_check(&c, err, sizeof(err)), 0);
	ipc.transport = CONF_IPC_AUTO;
	sync_transport_cfg_from_conf(&ipc, &c);
	assert_int_equal(c.kind, SYNC_TRANSPORT_AUTO);
}

/* Where usrsctp is the answer, auto says so and picks it. */
static void
test_auto(void **state TW_UNUSED)
{
	struct sync_transport_cfg c;
	struct sync_transport *t = NULL;
	char err[256];

	cfg_a(&c, 5060, 5061);
	c.kind = SYNC_TRANSPORT_AUTO;
	assert_int_equal(sync_transport_create(&c, &t, err, sizeof(err)), 0);
	assert_string_equal(sync_transport_backend(t),
			    sync_transport_kernel_sctp_available() ?
			    "sctp" : "sctp-udp");
	sync_transport_destroy(t);
}

/*
 * Over IPv6 loopback: usrsctp on an AF_INET6 socket, UDP-encapsulated
 * over its IPv6 UDP socket. Messages both ways (the peer echoes them),
 * the path to ::1 reported up, a restart of the twin survived.
 */
static void
test_echo_ipv6(void **state TW_UNUSED)
{
	struct sync_transport_stats st;
	struct sync_transport_cfg c;
	struct sync_transport *t = NULL;
	struct tw_addr one = LOOPBACK;
	char err[256];
	uint64_t seq;
	pid_t peer;

	v6 = true;
	cfg_a(&c, 5080, 5081);
	one = LOOPBACK;
	assert_int_equal(sync_transport_create(&c, &t, err, sizeof(err)), 0);
	peer = spawn_peer("echo", "sctp-udp", 5080, 5081);
	assert_true(wait_for(t, SYNC_TRANSPORT_EV_UP, 5000) >= 0);
	for (seq = 1; seq <= 50; seq++)
		round_trip(t, seq);
	sync_transport_stats(t, &st);
	assert_string_equal(st.backend, "sctp-udp");
	assert_int_equal(st.state, SYNC_TRANSPORT_ST_UP);
	assert_int_equal(st.n_paths, 1);
	assert_int_equal(st.paths[0].addr.family, TW_AF_INET6);
	assert_true(tw_addr_eq(&st.paths[0].addr, &one));
	assert_true(st.paths[0].up);
	assert_true(st.msgs_in >= 50 && st.msgs_out >= 50);
	/* The twin restarts: DOWN, then UP again over IPv6. */
	kill_peer(peer);
	peer = spawn_peer("echo", "sctp-udp", 5080, 5081);
	assert_true(wait_for(t, SYNC_TRANSPORT_EV_DOWN, 15000) >= 0);
	assert_true(wait_for(t, SYNC_TRANSPORT_EV_UP, 15000) >= 0);
	round_trip(t, 51);
	kill_peer(peer);
	sync_transport_destroy(t);
	v6 = false;
}

static void
test_kernel_sctp(void **state TW_UNUSED)
{
	struct sync_transport_cfg c;
	struct sync_transport *t = NULL;
	char err[256];
	pid_t peer;

	if (!sync_transport_kernel_sctp_available())
		skip(); /* main() says why */
	cfg_a(&c, 5070, 5071);
	c.kind = SYNC_TRANSPORT_SCTP;
	assert_int_equal(sync_transport_create(&c, &t, err, sizeof(err)), 0);
	peer = spawn_peer("echo", "sctp", 5070, 5071);
	assert_true(wait_for(t, SYNC_TRANSPORT_EV_UP, 5000) >= 0);
	round_trip(t, 1);
	kill_peer(peer);
	sync_transport_destroy(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_config_checks, kill_peers),
		cmocka_unit_test_teardown(test_from_conf, kill_peers),
		cmocka_unit_test_teardown(test_auto, kill_peers),
		cmocka_unit_test_teardown(test_echo_in_order, kill_peers),
		cmocka_unit_test_teardown(test_restart_initiator, kill_peers),
		cmocka_unit_test_teardown(test_restart_responder, kill_peers),
		cmocka_unit_test_teardown(test_peer_dies, kill_peers),
		cmocka_unit_test_teardown(test_send_buffer_full, kill_peers),
		cmocka_unit_test_teardown(test_echo_ipv6, kill_peers),
	};
	const struct CMUnitTest kernel[] = {
		cmocka_unit_test_teardown(test_kernel_sctp, kill_peers),
	};

	/* Our own UDP ports, apart from a parallel run's. */
	udp_a = (uint16_t)(20000 + (getpid() % 10000) * 2);
	udp_b = (uint16_t)(udp_a + 1);
	tw_log_set_level(TW_LOG_WARNING);
	signal(SIGPIPE, SIG_IGN);
	/* TEST_FILTER=test_peer_dies: run one test. */
	if (getenv("TEST_FILTER") != NULL)
		cmocka_set_test_filter(getenv("TEST_FILTER"));
	/*
	 * SCTP_KERNEL=1: the kernel backend's test alone, a meson test of
	 * its own so that a kernel without SCTP shows as a skip (77).
	 */
	if (getenv("SCTP_KERNEL") != NULL) {
		if (!sync_transport_kernel_sctp_available()) {
			printf("SKIP: socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP) fails on this kernel (no sctp module); the \"sctp\" backend is built but cannot run here\n");
			return 77;
		}
		return cmocka_run_group_tests(kernel, NULL, NULL);
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
