/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The "sctp-udp" backend: usrsctp, SCTP encapsulated in UDP (RFC 6951).
 *
 * usrsctp is one stack per process: usrsctp_init() once, with the one
 * local UDP port every association of the process uses. Transports share
 * it; one asking for another UDP port gets -EBUSY. The stack stays up
 * until the process exits, even when the last transport is gone:
 * usrsctp 0.9.5 does not come back in working order from usrsctp_finish()
 * followed by usrsctp_init() (new associations never establish), and the
 * daemon has one transport for its whole life anyway.
 *
 * usrsctp's threads reach us only through the socket upcall, and the
 * upcall does one thing: ring the transport's doorbell (eventfd). Its
 * argument is not a pointer but a slot number in a registry guarded by its
 * own mutex, so an upcall that races with sync_transport_destroy() finds
 * the slot empty instead of freed memory. usrsctp calls the upcall without
 * its socket lock and cannot have it cleared (it calls whatever is set), so
 * the registry, not the socket, is where a transport says goodbye.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <unistd.h>

#include <usrsctp.h>

#include "st_priv.h"
#include "tw_compiler.h"
#include "tw_log.h"

const bool st_usrsctp_built = true;

#define N_SLOTS 64

struct st_sock {
	struct socket *so;
};

static pthread_mutex_t stack_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned int stack_users;
static bool stack_up;
static uint16_t stack_port;

/* Doorbells by slot; -1 when free. Taken by upcalls: never held long. */
static pthread_mutex_t bell_lock = PTHREAD_MUTEX_INITIALIZER;
static int bells[N_SLOTS] = { [0 ... N_SLOTS - 1] = -1 };

/* usrsctp thread context: ring the doorbell, nothing else. */
static void
upcall(struct socket *so TW_UNUSED, void *arg, int flags TW_UNUSED)
{
	uintptr_t slot = (uintptr_t)arg;
	uint64_t one = 1;
	ssize_t n;

	if (slot >= N_SLOTS)
		return;
	pthread_mutex_lock(&bell_lock);
	if (bells[slot] >= 0) {
		/* EAGAIN: the counter is already non-zero, rung enough. */
		n = write(bells[slot], &one, sizeof(one));
		(void)n;
	}
	pthread_mutex_unlock(&bell_lock);
}

static int
bell_register(int fd)
{
	unsigned int i;

	pthread_mutex_lock(&bell_lock);
	for (i = 0; i < N_SLOTS; i++) {
		if (bells[i] < 0) {
			bells[i] = fd;
			break;
		}
	}
	pthread_mutex_unlock(&bell_lock);
	return i < N_SLOTS ? (int)i : -ENOSPC;
}

static void
bell_unregister(unsigned int slot)
{
	pthread_mutex_lock(&bell_lock);
	bells[slot] = -1;
	pthread_mutex_unlock(&bell_lock);
}

static void
stack_start(uint16_t port)
{
	/* No debug printer: usrsctp's threads must not log through us. */
	usrsctp_init(port, NULL, NULL);
	/* We want ABORTs for stray packets (a restarted twin, RFC 9260 8.4). */
	usrsctp_sysctl_set_sctp_blackhole(0);
	stack_up = true;
	stack_port = port;
}

static int
us_init(struct sync_transport *t, char *err, size_t errlen)
{
	int slot;

	pthread_mutex_lock(&stack_lock);
	if (stack_up && stack_port != t->cfg.udp_encap_port) {
		pthread_mutex_unlock(&stack_lock);
		snprintf(err, errlen,
			 "sctp-udp: usrsctp already runs on UDP port %u in this process, cannot use %u",
			 stack_port, t->cfg.udp_encap_port);
		return -EBUSY;
	}
	slot = bell_register(t->evfd);
	if (slot < 0) {
		pthread_mutex_unlock(&stack_lock);
		snprintf(err, errlen, "sctp-udp: too many transports");
		return slot;
	}
	t->be_slot = (unsigned int)slot;
	if (!stack_up)
		stack_start(t->cfg.udp_encap_port);
	stack_users++;
	pthread_mutex_unlock(&stack_lock);
	return 0;
}

static void
us_fini(struct sync_transport *t)
{
	bell_unregister(t->be_slot);
	pthread_mutex_lock(&stack_lock);
	stack_users--;
	pthread_mutex_unlock(&stack_lock);
}

static int
setopt(struct socket *so, int level, int name, const void *v, socklen_t len,
       const char *what)
{
	if (usrsctp_setsockopt(so, level, name, v, len) == 0)
		return 0;
	tw_log(TW_LOG_ERR, ST_LOG, "usrsctp setsockopt %s: %s", what,
	       strerror(errno));
	return -errno;
}

static int
set_events(struct socket *so)
{
	static const uint16_t types[] = {
		SCTP_ASSOC_CHANGE, SCTP_PEER_ADDR_CHANGE, SCTP_SHUTDOWN_EVENT,
	};
	struct sctp_event ev;
	unsigned int i;
	int rc;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		memset(&ev, 0, sizeof(ev));
		ev.se_assoc_id = SCTP_FUTURE_ASSOC;
		ev.se_type = types[i];
		ev.se_on = 1;
		rc = setopt(so, IPPROTO_SCTP, SCTP_EVENT, &ev, sizeof(ev),
			    "SCTP_EVENT");
		if (rc != 0)
			return rc;
	}
	return 0;
}

/* The IOS timers and counters, and our buffer sizes and events. */
static int
set_options(struct sync_transport *t, struct socket *so)
{
	const struct sync_transport_cfg *c = &t->cfg;
	struct sctp_rtoinfo rto = {
		.srto_initial = c->rto_min_ms,
		.srto_min = c->rto_min_ms,
		.srto_max = c->rto_max_ms,
	};
	struct sctp_assocparams ap = {
		.sasoc_asocmaxrxt = (uint16_t)c->assoc_retransmit,
	};
	struct sctp_paddrparams pp = {
		.spp_hbinterval = st_hb_interval_ms(c),
		.spp_pathmaxrxt = (uint16_t)c->path_retransmit,
		.spp_flags = SPP_HB_ENABLE,
	};
	struct sctp_initmsg im = {
		.sinit_num_ostreams = 1,
		.sinit_max_instreams = 1,
		.sinit_max_attempts = (uint16_t)(c->assoc_retransmit + 1),
		.sinit_max_init_timeo = (uint16_t)(c->rto_max_ms > 65535 ?
						   65535 : c->rto_max_ms),
	};
	struct sctp_udpencaps ue;
	int buf = ST_SOCKBUF, one = 1;
	int rc;

	memset(&ue, 0, sizeof(ue));
	ue.sue_assoc_id = SCTP_FUTURE_ASSOC;
	ue.sue_port = htons(c->remote_udp_encap_port);
	rc = setopt(so, SOL_SOCKET, SO_SNDBUF, &buf, sizeof(buf), "SO_SNDBUF");
	if (rc == 0)
		rc = setopt(so, SOL_SOCKET, SO_RCVBUF, &buf, sizeof(buf),
			    "SO_RCVBUF");
	if (rc == 0)
		rc = setopt(so, IPPROTO_SCTP, SCTP_NODELAY, &one, sizeof(one),
			    "SCTP_NODELAY");
	if (rc == 0)
		rc = setopt(so, IPPROTO_SCTP, SCTP_REMOTE_UDP_ENCAPS_PORT, &ue,
			    sizeof(ue), "SCTP_REMOTE_UDP_ENCAPS_PORT");
	if (rc == 0)
		rc = setopt(so, IPPROTO_SCTP, SCTP_RTOINFO, &rto, sizeof(rto),
			    "SCTP_RTOINFO");
	if (rc == 0)
		rc = setopt(so, IPPROTO_SCTP, SCTP_ASSOCINFO, &ap, sizeof(ap),
			    "SCTP_ASSOCINFO");
	if (rc == 0)
		rc = setopt(so, IPPROTO_SCTP, SCTP_PEER_ADDR_PARAMS, &pp,
			    sizeof(pp), "SCTP_PEER_ADDR_PARAMS");
	if (rc == 0)
		rc = setopt(so, IPPROTO_SCTP, SCTP_INITMSG, &im, sizeof(im),
			    "SCTP_INITMSG");
	if (rc == 0)
		rc = set_events(so);
	return rc;
}

static struct st_sock *
wrap(struct sync_transport *t, struct socket *so, int *rc)
{
	struct st_sock *s = malloc(sizeof(*s));

	if (s == NULL) {
		usrsctp_close(so);
		*rc = -ENOMEM;
		return NULL;
	}
	s->so = so;
	usrsctp_set_non_blocking(so, 1);
	usrsctp_set_upcall(so, upcall, (void *)(uintptr_t)t->be_slot);
	return s;
}

static struct st_sock *
us_open(struct sync_transport *t, bool listener, int *rc)
{
	uint8_t la[ST_SA_BUF] __attribute__((aligned(8)));
	struct socket *so;
	int af;

	/* AF_INET6 for IPv6: usrsctp tunnels it over its v6 UDP socket. */
	af = st_sa_fill(la, t->cfg.local_ip, t->cfg.n_local_ip,
			t->cfg.local_port);
	so = usrsctp_socket(af, SOCK_STREAM, IPPROTO_SCTP, NULL, NULL, 0,
			    NULL);
	if (so == NULL) {
		*rc = -errno;
		return NULL;
	}
	*rc = set_options(t, so);
	/*
	 * usrsctp has no IPV6_V6ONLY option (ENOPROTOOPT); the socket is
	 * bound to IPv6 addresses only, so no IPv4 association can reach it.
	 */
	if (*rc == 0 && usrsctp_bindx(so, (struct sockaddr *)la,
				      (int)t->cfg.n_local_ip,
				      SCTP_BINDX_ADD_ADDR) != 0)
		*rc = -errno;
	if (*rc == 0 && listener && usrsctp_listen(so, 1) != 0)
		*rc = -errno;
	if (*rc != 0) {
		usrsctp_close(so);
		return NULL;
	}
	return wrap(t, so, rc);
}

static int
us_connect(struct sync_transport *t, struct st_sock *s)
{
	uint8_t ra[ST_SA_BUF] __attribute__((aligned(8)));

	st_sa_fill(ra, t->cfg.remote_ip, t->cfg.n_remote_ip,
		   t->cfg.remote_port);
	if (usrsctp_connectx(s->so, (struct sockaddr *)ra,
			     (int)t->cfg.n_remote_ip, NULL) == 0)
		return 0;
	return -errno;
}

static struct st_sock *
us_accept(struct sync_transport *t, struct st_sock *ls,
	  struct tw_addr *addr, uint16_t *port, int *rc)
{
	struct sockaddr_storage sin;
	socklen_t len = sizeof(sin);
	struct socket *so;

	memset(&sin, 0, sizeof(sin));
	so = usrsctp_accept(ls->so, (struct sockaddr *)&sin, &len);
	if (so == NULL) {
		*rc = errno == EWOULDBLOCK ? -EAGAIN : -errno;
		return NULL;
	}
	st_sa_get(&sin, addr, port);
	return wrap(t, so, rc);
}

static int
us_send(struct st_sock *s, const void *buf, size_t len)
{
	struct sctp_sndinfo si;
	ssize_t n;

	memset(&si, 0, sizeof(si));
	n = usrsctp_sendv(s->so, buf, len, NULL, 0, &si, sizeof(si),
			  SCTP_SENDV_SNDINFO, 0);
	if (n < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	/* Without explicit EOR a message goes whole or not at all. */
	return (size_t)n == len ? 0 : -EIO;
}

static ssize_t
us_recv(struct st_sock *s, void *buf, size_t len, bool *eor, bool *notif)
{
	struct sockaddr_storage from;
	socklen_t fromlen = sizeof(from);
	struct sctp_rcvinfo ri;
	socklen_t rilen = sizeof(ri);
	unsigned int infotype = 0;
	int flags = 0;
	ssize_t n;

	n = usrsctp_recvv(s->so, buf, len, (struct sockaddr *)&from, &fromlen,
			  &ri, &rilen, &infotype, &flags);
	if (n < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	*eor = (flags & MSG_EOR) != 0;
	*notif = (flags & MSG_NOTIFICATION) != 0;
	return n;
}

static void
decode(const void *buf, size_t len, struct st_notif *n)
{
	const union sctp_notification *sn = buf;
	uint16_t port;

	memset(n, 0, sizeof(*n));
	n->type = ST_N_OTHER;
	if (len < sizeof(sn->sn_header))
		return;
	switch (sn->sn_header.sn_type) {
	case SCTP_ASSOC_CHANGE:
		if (len < sizeof(sn->sn_assoc_change))
			return;
		switch (sn->sn_assoc_change.sac_state) {
		case SCTP_COMM_UP:
			n->type = ST_N_COMM_UP;
			break;
		case SCTP_COMM_LOST:
			n->type = ST_N_COMM_LOST;
			break;
		case SCTP_RESTART:
			n->type = ST_N_RESTART;
			break;
		case SCTP_SHUTDOWN_COMP:
			n->type = ST_N_SHUTDOWN;
			break;
		case SCTP_CANT_STR_ASSOC:
			n->type = ST_N_CANT_START;
			break;
		}
		break;
	case SCTP_PEER_ADDR_CHANGE:
		if (len < sizeof(sn->sn_paddr_change))
			return;
		if (st_sa_get(&sn->sn_paddr_change.spc_aaddr, &n->addr,
			      &port) != 0)
			return;
		switch (sn->sn_paddr_change.spc_state) {
		case SCTP_ADDR_AVAILABLE:
		case SCTP_ADDR_CONFIRMED:
			n->type = ST_N_PATH;
			n->up = true;
			break;
		case SCTP_ADDR_UNREACHABLE:
		case SCTP_ADDR_REMOVED:
			n->type = ST_N_PATH;
			n->up = false;
			break;
		}
		break;
	case SCTP_SHUTDOWN_EVENT:
		n->type = ST_N_SHUTDOWN;
		break;
	}
}

static void
us_close(struct sync_transport *t TW_UNUSED, struct st_sock *s, bool abort)
{
	struct linger l = { .l_onoff = 1, .l_linger = 0 };

	/* SO_LINGER 0: close sends ABORT, so the twin knows at once. */
	if (abort)
		usrsctp_setsockopt(s->so, SOL_SOCKET, SO_LINGER, &l,
				   sizeof(l));
	usrsctp_close(s->so);
	free(s);
}

static void
us_status(struct sync_transport *t, struct st_sock *s,
	  struct sync_transport_stats *st)
{
	struct sctpstat ss;
	struct sctp_status status;
	struct sctp_paddrinfo pi;
	socklen_t len;
	unsigned int i;

	/* usrsctp counts per stack: per process, not per association. */
	usrsctp_get_stat(&ss);
	st->retransmits = (uint64_t)ss.sctps_sendretransdata +
			  ss.sctps_sendfastretrans;
	st->retransmits_valid = true;
	if (s == NULL)
		return;
	memset(&status, 0, sizeof(status));
	len = sizeof(status);
	if (usrsctp_getsockopt(s->so, IPPROTO_SCTP, SCTP_STATUS, &status,
			       &len) == 0) {
		st->unacked = status.sstat_unackdata;
		st->rwnd = status.sstat_rwnd;
	}
	for (i = 0; i < t->cfg.n_remote_ip; i++) {
		struct sync_transport_path *p = &st->paths[st->n_paths];

		memset(&pi, 0, sizeof(pi));
		st_sa_fill(&pi.spinfo_address, &t->cfg.remote_ip[i], 1,
			   t->cfg.remote_port);
		len = sizeof(pi);
		p->addr = t->cfg.remote_ip[i];
		if (usrsctp_getsockopt(s->so, IPPROTO_SCTP,
				       SCTP_GET_PEER_ADDR_INFO, &pi,
				       &len) == 0) {
			p->up = pi.spinfo_state == SCTP_ACTIVE;
			p->srtt_ms = pi.spinfo_srtt;
			p->rto_ms = pi.spinfo_rto;
		}
		st->n_paths++;
	}
}

const struct st_backend st_usrsctp_backend = {
	.name = "sctp-udp",
	.init = us_init,
	.fini = us_fini,
	.open = us_open,
	.connect = us_connect,
	.accept = us_accept,
	.send = us_send,
	.recv = us_recv,
	.notif_decode = decode,
	.close = us_close,
	.status = us_status,
};
