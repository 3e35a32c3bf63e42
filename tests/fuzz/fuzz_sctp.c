/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target for the sync transport's receive side
 * (drivers/sctp/sync_transport.c): message reassembly from partial reads
 * and the SCTP notifications, decoded by the real backends' decoders
 * (kernel SCTP's and usrsctp's notif_decode, whichever are built). The
 * association is a fake backend whose recv() plays a script from the
 * input: pieces of messages and notifications, with or without end of
 * record, as raw bytes or long runs of one byte (to reach the 64 KiB
 * limit), errors,
 * EAGAIN and EOF. An association that ends is replaced by a new one.
 *
 * Checked against a model of what was sent:
 *  - every MSG event is exactly one whole record (the bytes since the
 *    previous end of record, nothing dropped or merged), never empty and
 *    never above SYNC_TRANSPORT_MSG_MAX;
 *  - a record above the limit, an error or EOF ends the association;
 *  - every PATH event is what the decoder makes of that notification;
 *  - msgs_in and bytes_in count what was delivered.
 *
 *   replay_sctp tests/fuzz/corpus/sctp            (make test)
 *   build-fuzz/tests/fuzz/fuzz_sctp corpus/sctp   (make fuzz)
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "st_priv.h"
#include "sync_transport.h"
#include "tw_compiler.h"
#include "tw_log.h"

#define MAX_STEPS 256

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fail(int line)
{
	fprintf(stderr, "fuzz_sctp.c:%d: check failed\n", line);
	abort();
}

#define check(ok) do { if (!(ok)) fail(__LINE__); } while (0)

/* The script, the piece being read, and the model of the record. */
static struct {
	const uint8_t *p;
	size_t left;
	/* the current piece: raw bytes or a run */
	const uint8_t *raw;
	uint8_t fill;
	size_t piece_len, piece_off;
	bool piece_eor, piece_notif;
	/* the record as the transport should see it */
	size_t rec_len;
	bool rec_notif;
	/* what the transport was given whole: a record to expect */
	bool want_msg;
	bool want_path, want_up;
	struct tw_addr want_addr;
	bool closed;
	uint64_t msgs, bytes;
	const struct st_backend *decoder;
} S;

/* the record's bytes (aligned as the transport's malloc()ed buffer) */
static uint8_t rec[SYNC_TRANSPORT_MSG_MAX + 2] __attribute__((aligned(16)));
static struct sync_transport T;
static int dummy_sock;
static struct st_backend fake;

static uint8_t
get8(void)
{
	uint8_t v;

	if (S.left == 0)
		return 0;
	v = *S.p++;
	S.left--;
	return v;
}

/* The next piece of the script; false at its end. */
static bool
next_piece(int *err)
{
	uint8_t f;

	*err = 0;
	if (S.left == 0)
		return false;
	f = get8();
	S.piece_eor = (f & 1) != 0;
	S.piece_notif = (f & 2) != 0;
	S.piece_off = 0;
	S.raw = NULL;
	switch ((f >> 2) & 7) {
	case 0: /* a long run: n * 257 bytes */
		S.piece_len = (size_t)get8() * 257 + get8();
		S.fill = get8();
		break;
	case 1: /* EOF */
		*err = 1;
		break;
	case 2: /* a socket error */
		*err = 2;
		break;
	default: /* raw bytes from the input */
		S.piece_len = get8();
		if (S.piece_len > S.left)
			S.piece_len = S.left;
		S.raw = S.p;
		S.p += S.piece_len;
		S.left -= S.piece_len;
		break;
	}
	return true;
}

/* n bytes of the current piece from its offset off (runs: one byte). */
static void
piece_copy(uint8_t *to, size_t off, size_t n)
{
	if (S.raw != NULL)
		memcpy(to, S.raw + off, n);
	else
		memset(to, S.fill, n);
}

/* The model: bytes the transport was handed. */
static void
model_take(size_t n, bool eor, bool notif)
{
	if (n > sizeof(rec) - S.rec_len)
		n = sizeof(rec) - S.rec_len;
	piece_copy(rec + S.rec_len, S.piece_off, n);
	S.rec_len += n;
	S.rec_notif = notif;
	if (!eor)
		return;
	if (notif) {
		struct st_notif nt;

		S.decoder->notif_decode(rec, S.rec_len, &nt);
		if (nt.type == ST_N_PATH) {
			S.want_path = true;
			S.want_addr = nt.addr;
			S.want_up = nt.up;
		}
		S.rec_len = 0;  /* consumed by the transport */
	} else {
		S.want_msg = true;
	}
}

static ssize_t
fake_recv(struct st_sock *s, void *buf, size_t len, bool *eor, bool *notif)
{
	size_t n;
	int err;

	check(s == (struct st_sock *)&dummy_sock && !S.closed);
	*eor = false;
	*notif = false;
	if (S.piece_off >= S.piece_len) {
		if (!next_piece(&err))
			return -EAGAIN;
		if (err == 1)
			return 0;
		if (err == 2)
			return -ECONNRESET;
	}
	n = S.piece_len - S.piece_off;
	if (n > len)
		n = len;   /* the rest comes with the next read */
	check(len > 0 || n == 0);
	piece_copy(buf, S.piece_off, n);
	*notif = S.piece_notif;
	*eor = S.piece_off + n == S.piece_len && S.piece_eor;
	model_take(n, *eor, *notif);
	S.piece_off += n;
	if (n == 0 && !*notif)
		S.piece_off = S.piece_len; /* an empty piece reads as EOF */
	return (ssize_t)n;
}

static void
fake_close(struct sync_transport *t TW_UNUSED, struct st_sock *s,
	   bool abort TW_UNUSED)
{
	check(s == (struct st_sock *)&dummy_sock);
	S.closed = true;
}

static void
quiet(enum tw_log_level l TW_UNUSED, const char *m TW_UNUSED,
      const char *fmt TW_UNUSED, va_list ap TW_UNUSED)
{
}

/* A new association, as after set_up(). */
static void
assoc_up(void)
{
	T.sock = (struct st_sock *)&dummy_sock;
	T.state = SYNC_TRANSPORT_ST_UP;
	T.rlen = 0;
	T.delivered = false;
	S.closed = false;
	S.rec_len = 0;
	S.want_msg = false;
	S.want_path = false;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t *rbuf;
	struct sync_transport_event ev;
	unsigned int steps = 0;
	int rc;

	if (size < 1)
		return -1;
	if (rbuf == NULL) {
		tw_log_set_sink(quiet);
		rbuf = malloc(SYNC_TRANSPORT_MSG_MAX + 1);
		check(rbuf != NULL);
	}
	memset(&S, 0, sizeof(S));
	S.p = data + 1;
	S.left = size - 1;
	S.decoder = st_kernel_built ? &st_kernel_backend :
		&st_usrsctp_backend;
	if ((data[0] & 1) && st_usrsctp_built)
		S.decoder = &st_usrsctp_backend;
	if (!st_kernel_built && !st_usrsctp_built)
		return 0;
	fake = (struct st_backend){
		.name = "fuzz",
		.recv = fake_recv,
		.close = fake_close,
		.notif_decode = S.decoder->notif_decode,
	};
	memset(&T, 0, sizeof(T));
	T.be = &fake;
	T.initiator = (data[0] & 2) != 0;
	T.epfd = T.evfd = T.tfd = -1;   /* no timer, no doorbell */
	T.rbuf = rbuf;
	assoc_up();

	while (steps++ < MAX_STEPS) {
		rc = sync_transport_poll(&T, &ev);
		check(rc == 0 || rc == 1);
		if (rc == 1) {
			switch (ev.type) {
			case SYNC_TRANSPORT_EV_MSG:
				check(S.want_msg);
				check(ev.len > 0 &&
				      ev.len <= SYNC_TRANSPORT_MSG_MAX);
				check(ev.len == S.rec_len &&
				      memcmp(ev.data, rec, ev.len) == 0);
				S.msgs++;
				S.bytes += ev.len;
				S.want_msg = false;
				S.rec_len = 0;
				break;
			case SYNC_TRANSPORT_EV_PATH:
				check(S.want_path &&
				      tw_addr_eq(&ev.addr, &S.want_addr) &&
				      ev.up == S.want_up);
				S.want_path = false;
				break;
			case SYNC_TRANSPORT_EV_UP:
			case SYNC_TRANSPORT_EV_DOWN:
				break;
			default:
				fail(__LINE__);
			}
			check(T.st.msgs_in == S.msgs &&
			      T.st.bytes_in == S.bytes);
			continue;
		}
		if (S.closed) {
			/* the association ended: a new one, if more */
			if (S.left == 0)
				break;
			assoc_up();
			continue;
		}
		/* the script is over: every whole record was delivered */
		check(S.left == 0);
		check(!S.want_msg && !S.want_path);
		break;
	}
	return 0;
}
