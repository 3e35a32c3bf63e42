/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TW_ST_PRIV_H
#define TW_ST_PRIV_H

/*
 * Inside the sync transport: the association logic (sync_transport.c) is
 * shared, the socket calls are a backend's (st_kernel.c: libsctp,
 * st_usrsctp.c: usrsctp). The two SCTP headers cannot meet in one file
 * (both define the RFC 6458 structures), so a backend hands notifications
 * back decoded into struct st_notif and never exposes its socket type.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "sync_transport.h"

#define ST_LOG "sctp"
/* Socket buffers: room for 16 messages of the largest size each way. */
#define ST_SOCKBUF (16 * SYNC_TRANSPORT_MSG_MAX)
#define ST_EVQ 8

struct st_sock; /* the backend's socket */

enum st_notif_type {
	ST_N_OTHER,      /* nothing we act on */
	ST_N_COMM_UP,
	ST_N_COMM_LOST,  /* retransmission limit, or ABORT received */
	ST_N_RESTART,    /* the twin restarted (RFC 9260 5.2.2) */
	ST_N_SHUTDOWN,   /* the twin closed gracefully */
	ST_N_CANT_START, /* INIT retransmission limit reached */
	ST_N_PATH,       /* a remote address changed state */
};

struct st_notif {
	enum st_notif_type type;
	struct tw_addr addr; /* PATH */
	bool up;         /* PATH */
};

struct st_backend {
	const char *name;
	/* Per-transport setup and teardown (usrsctp: the process singleton). */
	int (*init)(struct sync_transport *t, char *err, size_t errlen);
	void (*fini)(struct sync_transport *t);
	/*
	 * A non-blocking socket with our options, bound to the local
	 * addresses and port, listening if listener, wired to wake t up.
	 * NULL with *rc = -errno on failure.
	 */
	struct st_sock *(*open)(struct sync_transport *t, bool listener,
				int *rc);
	/* Start the association: 0 or -EINPROGRESS, else -errno. */
	int (*connect)(struct sync_transport *t, struct st_sock *s);
	/* NULL with *rc = -EAGAIN when nothing waits. */
	struct st_sock *(*accept)(struct sync_transport *t, struct st_sock *ls,
				  struct tw_addr *addr, uint16_t *port,
				  int *rc);
	/* One whole message on stream 0: 0, -EAGAIN, or -errno. */
	int (*send)(struct st_sock *s, const void *buf, size_t len);
	/*
	 * One read of at most len bytes: >= 0 with *eor (end of a message or
	 * notification) and *notif set; -EAGAIN when empty; -errno.
	 */
	ssize_t (*recv)(struct st_sock *s, void *buf, size_t len, bool *eor,
			bool *notif);
	void (*notif_decode)(const void *buf, size_t len, struct st_notif *n);
	/* abort: ABORT the association now rather than SHUTDOWN. */
	void (*close)(struct sync_transport *t, struct st_sock *s, bool abort);
	/* Fill the association part of st (rwnd, unacked, paths, ...). */
	void (*status)(struct sync_transport *t, struct st_sock *s,
		       struct sync_transport_stats *st);
};

extern const struct st_backend st_kernel_backend;
extern const struct st_backend st_usrsctp_backend;
/* Compiled in? (meson leaves a backend out when its library is missing) */
extern const bool st_kernel_built;
extern const bool st_usrsctp_built;

struct sync_transport {
	struct sync_transport_cfg cfg;
	const struct st_backend *be;
	bool initiator;
	enum sync_transport_state state;
	struct st_sock *lsock;     /* responder: the listening socket */
	struct st_sock *sock;      /* the association (or the attempt) */
	int epfd;                  /* what sync_transport_fd() returns */
	int evfd;                  /* doorbell: usrsctp upcalls ring it */
	int tfd;                   /* reconnect timer (timerfd) */
	unsigned int be_slot;      /* usrsctp: doorbell registry slot */
	/* Reassembly of one message or notification. */
	uint8_t *rbuf;
	size_t rlen;
	bool rnotif;
	bool delivered;            /* rbuf holds the last MSG returned */
	bool overflow;             /* skipping the rest of a big message */
	/* Events waiting to be returned by poll(). */
	struct sync_transport_event evq[ST_EVQ];
	unsigned int evq_head, evq_len;
	struct sync_transport_stats st;
};

/* Backends register their descriptors here (level-triggered reads). */
int st_epoll_add(struct sync_transport *t, int fd);
void st_epoll_del(struct sync_transport *t, int fd);

/*
 * Socket addresses of both families (st_cfg.c). st_sa_fill() writes
 * n addresses with port packed one after the other, as sctp_bindx() and
 * sctp_connectx() take them (cfg_check() made them one family), into buf
 * of ST_SA_BUF bytes; it returns the family (AF_INET or AF_INET6).
 */
#define ST_SA_BUF (SYNC_TRANSPORT_MAX_ADDRS * 28)
int st_sa_fill(void *buf, const struct tw_addr *a, unsigned int n,
	       uint16_t port);
/* The address and port of a sockaddr_in or sockaddr_in6; -EAFNOSUPPORT. */
int st_sa_get(const void *sa, struct tw_addr *a, uint16_t *port);

/* st_cfg.c: the lower (first IP, port) connects; see sync_transport.h. */
bool st_is_initiator(const struct sync_transport_cfg *cfg);
/* The heartbeat interval the backends set (SCTP_PEER_ADDR_PARAMS). */
uint32_t st_hb_interval_ms(const struct sync_transport_cfg *cfg);

#endif /* TW_ST_PRIV_H */
