/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TW_SYNC_TRANSPORT_H
#define TW_SYNC_TRANSPORT_H

/*
 * The sync transport: one SCTP association to the twin (IOS "ipc zone
 * default / association 1 / protocol sctp"), message oriented, reliable and
 * ordered on one stream. Two backends behind this one interface:
 *
 *   "sctp"      kernel SCTP through libsctp (sctp_bindx, sctp_connectx);
 *   "sctp-udp"  usrsctp, SCTP encapsulated in UDP (RFC 6951), for kernels
 *               without SCTP;
 *   "auto"      kernel SCTP if socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP)
 *               works, else usrsctp; the choice is logged.
 *
 * Every function here is for the control lcore only (one thread); none of
 * them blocks.
 *
 * Connection roles. The twins are configured symmetrically (each one's
 * local is the other's remote), so both can compute the same order: the
 * twin whose (first local IP, local port) is the lower one is the
 * INITIATOR, it connects and reconnects; the other is the RESPONDER, it
 * only listens and accepts. There is thus never an INIT collision to
 * resolve between two sockets. Restarts of either side are SCTP's own
 * business: a restarted initiator sends a new INIT that restarts the
 * responder's association (RFC 9260 5.2.2, reported as DOWN then UP); a
 * restarted responder answers the old association's packets with ABORT
 * (RFC 9260 8.4), or stays silent until the retransmission limit, and the
 * initiator reconnects. A responder that accepts a new association while
 * it still holds an old one keeps the newer. Associations from anyone but
 * the configured remote IPs and port are refused.
 *
 * Threading. usrsctp runs its own threads (timers, UDP receive). They never
 * touch transport or control state: the only thing they do is the socket
 * upcall, which rings a doorbell (an eventfd). Received messages wait in
 * the SCTP socket's receive buffer, which usrsctp locks and bounds; the
 * control lcore reads them in sync_transport_poll(). Keeping them there,
 * rather than copying them into a queue of our own, means a slow control
 * lcore closes the receive window and slows the twin down (SCTP flow
 * control) instead of growing memory, and no usrsctp thread ever holds a
 * pointer that destroy() could free. The kernel backend has no threads.
 *
 * Waiting. sync_transport_fd() is an epoll descriptor that is readable
 * whenever poll() has something to do (a message or notification to read,
 * a connection to accept, the doorbell, the reconnect timer). The control
 * loop adds it to its own epoll set (or polls it) and, when it is readable,
 * calls sync_transport_poll() until that returns 0. It stays readable
 * while anything is left, so stopping early on a budget loses nothing.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tw_addr.h"

/* Largest message send() accepts and poll() delivers. */
#define SYNC_TRANSPORT_MSG_MAX 65536u
#define SYNC_TRANSPORT_MAX_ADDRS 2

enum sync_transport_kind {
	SYNC_TRANSPORT_AUTO,
	SYNC_TRANSPORT_SCTP,     /* kernel, libsctp */
	SYNC_TRANSPORT_SCTP_UDP, /* usrsctp over UDP */
};

/*
 * Times in milliseconds. Addresses are IPv4 or IPv6 (struct tw_addr), but
 * all of one transport's addresses, local and remote, are of one family:
 * the socket is AF_INET or AF_INET6 after them. Mixing the families in
 * multi-homing is refused by sync_transport_cfg_check(): the kernel and
 * usrsctp would take IPv4 on an AF_INET6 socket only as v4-mapped
 * addresses, which usrsctp's UDP encapsulation does not cover reliably,
 * and a twin pair has no need for one association over both families.
 */
struct sync_transport_cfg {
	enum sync_transport_kind kind;
	uint16_t local_port;
	uint16_t remote_port;
	struct tw_addr local_ip[SYNC_TRANSPORT_MAX_ADDRS];
	unsigned int n_local_ip;          /* 1 or 2 */
	struct tw_addr remote_ip[SYNC_TRANSPORT_MAX_ADDRS];
	unsigned int n_remote_ip;         /* 1 or 2 */
	uint16_t udp_encap_port;          /* sctp-udp: our UDP port */
	uint16_t remote_udp_encap_port;   /* sctp-udp: the twin's UDP port */
	uint32_t rto_min_ms;              /* 300-60000, IOS default 300 */
	uint32_t rto_max_ms;              /* rto_min-60000, IOS default 600 */
	unsigned int path_retransmit;     /* 2-10, IOS default 4 */
	unsigned int assoc_retransmit;    /* 2-10, IOS default 4 */
};

enum sync_transport_state {
	SYNC_TRANSPORT_ST_DOWN,       /* initiator waiting to reconnect */
	SYNC_TRANSPORT_ST_CONNECTING, /* initiator: INIT sent */
	SYNC_TRANSPORT_ST_LISTENING,  /* responder: waiting for the twin */
	SYNC_TRANSPORT_ST_UP,
};

enum sync_transport_ev_type {
	SYNC_TRANSPORT_EV_MSG,       /* data/len: one whole message */
	SYNC_TRANSPORT_EV_UP,        /* the association is established */
	SYNC_TRANSPORT_EV_DOWN,      /* it is gone; reason says why */
	SYNC_TRANSPORT_EV_PATH,      /* addr is now reachable (up) or not */
};

struct sync_transport_event {
	enum sync_transport_ev_type type;
	const uint8_t *data;   /* MSG: valid until the next poll()/destroy() */
	size_t len;
	struct tw_addr addr;   /* PATH: the twin's address */
	bool up;               /* PATH */
	const char *reason;    /* DOWN, UP: static text for the log */
};

struct sync_transport_path {
	struct tw_addr addr;   /* the twin's address */
	bool up;               /* confirmed and active */
	uint32_t srtt_ms;
	uint32_t rto_ms;
};

struct sync_transport_stats {
	const char *backend;   /* "sctp" or "sctp-udp" */
	enum sync_transport_state state;
	bool initiator;
	uint64_t msgs_out, bytes_out;
	uint64_t msgs_in, bytes_in;
	uint64_t send_full;    /* send() refused with -EAGAIN */
	uint64_t ups, downs;   /* associations established / lost */
	uint64_t refused;      /* associations from strangers, closed */
	/*
	 * DATA chunks retransmitted: the association's (kernel, from
	 * SCTP_GET_ASSOC_STATS) or, with usrsctp, which counts per stack,
	 * the whole process's (one transport in twinsecd: the same thing).
	 */
	uint64_t retransmits;
	bool retransmits_valid;
	uint32_t unacked;      /* DATA chunks in flight, when up */
	uint32_t rwnd;         /* the twin's receive window, when up */
	struct sync_transport_path paths[SYNC_TRANSPORT_MAX_ADDRS];
	unsigned int n_paths;  /* the configured remote IPs, when up */
};

struct sync_transport;

/* IOS defaults for the timers, the rest zero. */
void sync_transport_cfg_defaults(struct sync_transport_cfg *cfg);
/*
 * 0, or -EINVAL with a message in err (ranges, 1-2 IPs, one family, not
 * itself).
 */
int sync_transport_cfg_check(const struct sync_transport_cfg *cfg, char *err,
			     size_t errlen);

/*
 * Open the association endpoint: the initiator starts connecting, the
 * responder starts listening. Returns 0 and *out, or -errno with a message
 * in err: -EPROTONOSUPPORT when "sctp" was asked for and the kernel has no
 * SCTP (or libsctp was not built in), -EBUSY when usrsctp already runs in
 * this process with another UDP port, -EADDRINUSE, ...
 */
int sync_transport_create(const struct sync_transport_cfg *cfg,
			  struct sync_transport **out, char *err,
			  size_t errlen);
/* Abort the association (the twin sees it go at once) and free. */
void sync_transport_destroy(struct sync_transport *t);

/*
 * Queue one message on the stream. 0 when SCTP took it (it will arrive,
 * in order, unless the association dies); -EAGAIN when the send buffer is
 * full (retry after a poll()); -ENOTCONN when not up; -EMSGSIZE above
 * SYNC_TRANSPORT_MSG_MAX; -EIO on a broken association.
 */
int sync_transport_send(struct sync_transport *t, const void *msg, size_t len);

/*
 * Do pending work and return the next event: 1 with *ev filled, 0 when
 * there is nothing (more) to report, -errno on an internal failure.
 */
int sync_transport_poll(struct sync_transport *t,
			struct sync_transport_event *ev);

int sync_transport_fd(const struct sync_transport *t);
void sync_transport_stats(struct sync_transport *t,
			  struct sync_transport_stats *st);
/* "sctp" or "sctp-udp". */
const char *sync_transport_backend(const struct sync_transport *t);
const char *sync_transport_state_name(enum sync_transport_state s);
/* "auto", "sctp", "sctp-udp". */
const char *sync_transport_kind_name(enum sync_transport_kind k);

/* Is kernel SCTP usable here? (for "auto" and for tests that must skip) */
bool sync_transport_kernel_sctp_available(void);

#endif /* TW_SYNC_TRANSPORT_H */
