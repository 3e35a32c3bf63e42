/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The association to the twin, whatever the backend: choosing the backend,
 * the initiator/responder roles, reconnecting, reassembling messages,
 * turning SCTP notifications into UP/DOWN/PATH events, counting.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "st_priv.h"
#include "tw_log.h"

int
st_epoll_add(struct sync_transport *t, int fd)
{
	struct epoll_event ee = { .events = EPOLLIN, .data.fd = fd };

	if (epoll_ctl(t->epfd, EPOLL_CTL_ADD, fd, &ee) != 0)
		return -errno;
	return 0;
}

void
st_epoll_del(struct sync_transport *t, int fd)
{
	epoll_ctl(t->epfd, EPOLL_CTL_DEL, fd, NULL);
}

static void
ev_push(struct sync_transport *t, enum sync_transport_ev_type type,
	const char *reason, const struct tw_addr *addr, bool up)
{
	struct sync_transport_event *e;

	if (t->evq_len == ST_EVQ) {
		/* Cannot happen: at most two events per poll() step. */
		tw_log(TW_LOG_ERR, ST_LOG, "event queue full, event lost");
		return;
	}
	e = &t->evq[(t->evq_head + t->evq_len) % ST_EVQ];
	memset(e, 0, sizeof(*e));
	e->type = type;
	e->reason = reason;
	if (addr != NULL)
		e->addr = *addr;
	e->up = up;
	t->evq_len++;
}

static bool
ev_pop(struct sync_transport *t, struct sync_transport_event *ev)
{
	if (t->evq_len == 0)
		return false;
	*ev = t->evq[t->evq_head];
	t->evq_head = (t->evq_head + 1) % ST_EVQ;
	t->evq_len--;
	return true;
}

static void
arm_timer(struct sync_transport *t, uint32_t ms)
{
	struct itimerspec its = {
		.it_value.tv_sec = ms / 1000,
		.it_value.tv_nsec = (long)(ms % 1000) * 1000000L,
	};

	timerfd_settime(t->tfd, 0, &its, NULL);
}

static void
set_up(struct sync_transport *t, const char *why)
{
	t->state = SYNC_TRANSPORT_ST_UP;
	t->st.ups++;
	tw_log(TW_LOG_NOTICE, ST_LOG, "association to the twin up (%s, %s)",
	       t->initiator ? "initiator" : "responder", why);
	ev_push(t, SYNC_TRANSPORT_EV_UP, why, NULL, true);
}

/* Forget the association socket; report DOWN if it was up. */
static void
drop_assoc(struct sync_transport *t, const char *why, bool abort)
{
	bool was_up = t->state == SYNC_TRANSPORT_ST_UP;

	if (t->sock != NULL) {
		t->be->close(t, t->sock, abort);
		t->sock = NULL;
	}
	t->rlen = 0;
	t->overflow = false;
	if (was_up) {
		t->st.downs++;
		tw_log(TW_LOG_WARNING, ST_LOG,
		       "association to the twin down: %s", why);
		ev_push(t, SYNC_TRANSPORT_EV_DOWN, why, NULL, false);
	} else {
		tw_log(TW_LOG_DEBUG, ST_LOG, "association attempt ended: %s",
		       why);
	}
	if (t->initiator) {
		t->state = SYNC_TRANSPORT_ST_DOWN;
		arm_timer(t, t->cfg.rto_max_ms);
	} else {
		t->state = SYNC_TRANSPORT_ST_LISTENING;
	}
}

static void
start_connect(struct sync_transport *t)
{
	int rc;

	t->sock = t->be->open(t, false, &rc);
	if (t->sock == NULL) {
		tw_log(TW_LOG_ERR, ST_LOG, "cannot open a socket: %s",
		       strerror(-rc));
		arm_timer(t, t->cfg.rto_max_ms);
		return;
	}
	rc = t->be->connect(t, t->sock);
	if (rc != 0 && rc != -EINPROGRESS) {
		tw_log(TW_LOG_DEBUG, ST_LOG, "connect: %s", strerror(-rc));
		drop_assoc(t, "connect failed", true);
		return;
	}
	t->state = SYNC_TRANSPORT_ST_CONNECTING;
}

static bool
is_remote(const struct sync_transport *t, const struct tw_addr *addr)
{
	unsigned int i;

	for (i = 0; i < t->cfg.n_remote_ip; i++)
		if (tw_addr_eq(&t->cfg.remote_ip[i], addr))
			return true;
	return false;
}

static void
try_accept(struct sync_transport *t)
{
	char b[TW_ADDR_STRLEN];
	struct st_sock *s;
	struct tw_addr addr;
	uint16_t port;
	int rc;

	for (;;) {
		s = t->be->accept(t, t->lsock, &addr, &port, &rc);
		if (s == NULL) {
			if (rc != -EAGAIN)
				tw_log(TW_LOG_WARNING, ST_LOG, "accept: %s",
				       strerror(-rc));
			return;
		}
		if (!is_remote(t, &addr) || port != t->cfg.remote_port) {
			t->st.refused++;
			tw_log(TW_LOG_WARNING, ST_LOG,
			       "refused an association from %s port %u: not the twin",
			       tw_addr_str(&addr, b, sizeof(b)), port);
			t->be->close(t, s, true);
			continue;
		}
		/* The twin came back with a new association: newest wins. */
		if (t->sock != NULL)
			drop_assoc(t, "the twin opened a new association",
				   true);
		t->sock = s;
		t->rlen = 0;
		set_up(t, "accepted");
	}
}

static void
on_notif(struct sync_transport *t, const uint8_t *buf, size_t len)
{
	char b[TW_ADDR_STRLEN];
	struct st_notif n;

	t->be->notif_decode(buf, len, &n);
	switch (n.type) {
	case ST_N_COMM_UP:
		if (t->state != SYNC_TRANSPORT_ST_UP)
			set_up(t, "connected");
		break;
	case ST_N_RESTART:
		/* Its state is gone: to the user this is DOWN then UP. */
		t->st.downs++;
		tw_log(TW_LOG_WARNING, ST_LOG,
		       "the twin restarted the association");
		ev_push(t, SYNC_TRANSPORT_EV_DOWN, "the twin restarted", NULL,
			false);
		t->state = SYNC_TRANSPORT_ST_CONNECTING;
		set_up(t, "the twin restarted");
		break;
	case ST_N_COMM_LOST:
		drop_assoc(t, "lost (retransmission limit or ABORT)", true);
		break;
	case ST_N_SHUTDOWN:
		drop_assoc(t, "the twin shut it down", true);
		break;
	case ST_N_CANT_START:
		drop_assoc(t, "no answer to INIT", true);
		break;
	case ST_N_PATH:
		tw_log(TW_LOG_NOTICE, ST_LOG, "path to %s %s",
		       tw_addr_str(&n.addr, b, sizeof(b)),
		       n.up ? "up" : "down");
		ev_push(t, SYNC_TRANSPORT_EV_PATH, NULL, &n.addr, n.up);
		break;
	default:
		break;
	}
}

/*
 * Read from the association until one event is ready or the socket is
 * empty. Returns 1 with a message in *ev, 0 when events may be queued or
 * nothing is left.
 */
static int
read_assoc(struct sync_transport *t, struct sync_transport_event *ev)
{
	bool eor, notif;
	ssize_t n;

	while (t->sock != NULL && t->evq_len == 0) {
		n = t->be->recv(t->sock, t->rbuf + t->rlen,
				SYNC_TRANSPORT_MSG_MAX + 1 - t->rlen, &eor,
				&notif);
		if (n == -EAGAIN)
			return 0;
		if (n < 0) {
			drop_assoc(t, "socket error", true);
			return 0;
		}
		if (n == 0 && !notif) {
			drop_assoc(t, "the twin closed it", false);
			return 0;
		}
		if (t->overflow) {
			/* The tail of a message we refused: skip. */
			if (eor)
				t->overflow = false;
			continue;
		}
		t->rlen += (size_t)n;
		t->rnotif = notif;
		/*
		 * Bigger than any twin may send: break the link. Whole or
		 * not: the read has room for one byte more than the limit,
		 * and a record of exactly that ends there (found by
		 * tests/fuzz/fuzz_sctp.c).
		 */
		if (t->rlen > SYNC_TRANSPORT_MSG_MAX) {
			tw_log(TW_LOG_ERR, ST_LOG,
			       "message from the twin above %u bytes",
			       SYNC_TRANSPORT_MSG_MAX);
			drop_assoc(t, "oversized message", true);
			return 0;
		}
		if (!eor)
			continue;
		if (notif) {
			on_notif(t, t->rbuf, t->rlen);
			t->rlen = 0;
			continue;
		}
		t->st.msgs_in++;
		t->st.bytes_in += t->rlen;
		memset(ev, 0, sizeof(*ev));
		ev->type = SYNC_TRANSPORT_EV_MSG;
		ev->data = t->rbuf;
		ev->len = t->rlen;
		t->delivered = true;
		return 1;
	}
	return 0;
}

static void
drain_fd(int fd)
{
	uint64_t v;

	while (read(fd, &v, sizeof(v)) == (ssize_t)sizeof(v))
		;
}

static bool
timer_fired(struct sync_transport *t)
{
	uint64_t v;

	return read(t->tfd, &v, sizeof(v)) == (ssize_t)sizeof(v) && v > 0;
}

int
sync_transport_poll(struct sync_transport *t, struct sync_transport_event *ev)
{
	int pass, rc;

	if (t->delivered) {
		t->delivered = false;
		t->rlen = 0;
	}
	if (timer_fired(t) && t->initiator && t->sock == NULL)
		start_connect(t);
	/*
	 * Second pass after clearing the doorbell: an upcall that rang it
	 * between our last read and the clear is seen there, and one after
	 * it rings it again, so nothing is lost and the fd stays readable
	 * while anything is left.
	 */
	for (pass = 0; pass < 2; pass++) {
		if (ev_pop(t, ev))
			return 1;
		if (t->lsock != NULL)
			try_accept(t);
		if (ev_pop(t, ev))
			return 1;
		rc = read_assoc(t, ev);
		if (rc != 0)
			return rc;
		if (ev_pop(t, ev))
			return 1;
		if (pass == 0)
			drain_fd(t->evfd);
	}
	return 0;
}

int
sync_transport_send(struct sync_transport *t, const void *msg, size_t len)
{
	int rc;

	if (len > SYNC_TRANSPORT_MSG_MAX || len == 0)
		return -EMSGSIZE;
	if (t->state != SYNC_TRANSPORT_ST_UP || t->sock == NULL)
		return -ENOTCONN;
	rc = t->be->send(t->sock, msg, len);
	if (rc == 0) {
		t->st.msgs_out++;
		t->st.bytes_out += len;
	} else if (rc == -EAGAIN || rc == -ENOBUFS) {
		t->st.send_full++;
		rc = -EAGAIN;
	} else if (rc != -EMSGSIZE) {
		/* The notification that explains it comes through poll(). */
		rc = -ENOTCONN;
	}
	return rc;
}

static const struct st_backend *
choose_backend(const struct sync_transport_cfg *cfg, char *err,
	       size_t errlen)
{
	switch (cfg->kind) {
	case SYNC_TRANSPORT_SCTP:
		if (sync_transport_kernel_sctp_available())
			return &st_kernel_backend;
		snprintf(err, errlen, "transport \"sctp\": %s",
			 st_kernel_built ?
			 "this kernel has no SCTP (try \"sctp-udp\" or \"auto\")" :
			 "built without libsctp");
		return NULL;
	case SYNC_TRANSPORT_SCTP_UDP:
		if (st_usrsctp_built)
			return &st_usrsctp_backend;
		snprintf(err, errlen,
			 "transport \"sctp-udp\": built without usrsctp");
		return NULL;
	default:
		if (sync_transport_kernel_sctp_available()) {
			tw_log(TW_LOG_NOTICE, ST_LOG,
			       "transport auto: kernel SCTP (\"sctp\")");
			return &st_kernel_backend;
		}
		if (st_usrsctp_built) {
			tw_log(TW_LOG_NOTICE, ST_LOG,
			       "transport auto: no kernel SCTP, SCTP over UDP port %u with usrsctp (\"sctp-udp\")",
			       cfg->udp_encap_port);
			return &st_usrsctp_backend;
		}
		snprintf(err, errlen,
			 "transport auto: no kernel SCTP and built without usrsctp");
		return NULL;
	}
}

static int
open_fds(struct sync_transport *t)
{
	int rc;

	t->epfd = epoll_create1(EPOLL_CLOEXEC);
	t->evfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	t->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (t->epfd < 0 || t->evfd < 0 || t->tfd < 0)
		return -errno;
	rc = st_epoll_add(t, t->evfd);
	if (rc == 0)
		rc = st_epoll_add(t, t->tfd);
	return rc;
}

static void
close_fds(struct sync_transport *t)
{
	if (t->tfd >= 0)
		close(t->tfd);
	if (t->evfd >= 0)
		close(t->evfd);
	if (t->epfd >= 0)
		close(t->epfd);
}

int
sync_transport_create(const struct sync_transport_cfg *cfg,
		      struct sync_transport **out, char *err, size_t errlen)
{
	struct sync_transport *t;
	int rc;

	rc = sync_transport_cfg_check(cfg, err, errlen);
	if (rc != 0)
		return rc;
	t = calloc(1, sizeof(*t));
	if (t == NULL)
		return -ENOMEM;
	t->cfg = *cfg;
	t->epfd = t->evfd = t->tfd = -1;
	t->initiator = st_is_initiator(cfg);
	t->be = choose_backend(cfg, err, errlen);
	if (t->be == NULL) {
		free(t);
		return -EPROTONOSUPPORT;
	}
	t->st.backend = t->be->name;
	t->st.initiator = t->initiator;
	t->rbuf = malloc(SYNC_TRANSPORT_MSG_MAX + 1);
	rc = t->rbuf == NULL ? -ENOMEM : open_fds(t);
	if (rc != 0) {
		snprintf(err, errlen, "sync transport: %s", strerror(-rc));
		goto fail;
	}
	rc = t->be->init(t, err, errlen);
	if (rc != 0)
		goto fail;
	if (t->initiator) {
		start_connect(t);
	} else {
		t->lsock = t->be->open(t, true, &rc);
		if (t->lsock == NULL) {
			snprintf(err, errlen,
				 "%s: cannot listen on port %u: %s",
				 t->be->name, cfg->local_port, strerror(-rc));
			t->be->fini(t);
			goto fail;
		}
		t->state = SYNC_TRANSPORT_ST_LISTENING;
	}
	tw_log(TW_LOG_INFO, ST_LOG, "%s transport, %s, local port %u, remote port %u",
	       t->be->name, t->initiator ? "initiator (connects)" :
	       "responder (accepts)", cfg->local_port, cfg->remote_port);
	*out = t;
	return 0;
fail:
	close_fds(t);
	free(t->rbuf);
	free(t);
	return rc;
}

void
sync_transport_destroy(struct sync_transport *t)
{
	if (t == NULL)
		return;
	if (t->sock != NULL)
		t->be->close(t, t->sock, true);
	if (t->lsock != NULL)
		t->be->close(t, t->lsock, true);
	t->be->fini(t);
	close_fds(t);
	free(t->rbuf);
	free(t);
}

int
sync_transport_fd(const struct sync_transport *t)
{
	return t->epfd;
}

void
sync_transport_stats(struct sync_transport *t, struct sync_transport_stats *st)
{
	*st = t->st;
	st->state = t->state;
	st->n_paths = 0;
	st->unacked = 0;
	st->rwnd = 0;
	t->be->status(t, t->state == SYNC_TRANSPORT_ST_UP ? t->sock : NULL,
		      st);
}

const char *
sync_transport_backend(const struct sync_transport *t)
{
	return t->be->name;
}
