/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The "sctp" backend: the kernel's SCTP through libsctp (sctp_bindx,
 * sctp_connectx) on non-blocking one-to-one sockets. No threads: the
 * sockets themselves sit in the transport's epoll set (level-triggered),
 * so its fd is readable while one has something to read or accept.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/sctp.h>
#include <unistd.h>

#include "st_priv.h"
#include "tw_compiler.h"
#include "tw_log.h"

const bool st_kernel_built = true;

struct st_sock {
	int fd;
};

static int
k_init(struct sync_transport *t TW_UNUSED, char *err TW_UNUSED,
       size_t errlen TW_UNUSED)
{
	return 0;
}

static void
k_fini(struct sync_transport *t TW_UNUSED)
{
}

static int
setopt(int fd, int level, int name, const void *v, socklen_t len,
       const char *what)
{
	if (setsockopt(fd, level, name, v, len) == 0)
		return 0;
	tw_log(TW_LOG_ERR, ST_LOG, "setsockopt %s: %s", what, strerror(errno));
	return -errno;
}

/* The IOS timers and counters, and our buffer sizes and events. */
static int
set_options(struct sync_transport *t, int fd)
{
	const struct sync_transport_cfg *c = &t->cfg;
	struct sctp_rtoinfo rto;
	struct sctp_assocparams ap;
	struct sctp_paddrparams pp;
	struct sctp_initmsg im;
	struct sctp_event_subscribe ev;
	int buf = ST_SOCKBUF, one = 1;
	int rc;

	memset(&rto, 0, sizeof(rto));
	rto.srto_initial = c->rto_min_ms;
	rto.srto_min = c->rto_min_ms;
	rto.srto_max = c->rto_max_ms;
	memset(&ap, 0, sizeof(ap));
	ap.sasoc_asocmaxrxt = (uint16_t)c->assoc_retransmit;
	memset(&pp, 0, sizeof(pp));
	pp.spp_hbinterval = st_hb_interval_ms(c);
	pp.spp_pathmaxrxt = (uint16_t)c->path_retransmit;
	pp.spp_flags = SPP_HB_ENABLE;
	memset(&im, 0, sizeof(im));
	im.sinit_num_ostreams = 1;
	im.sinit_max_instreams = 1;
	im.sinit_max_attempts = (uint16_t)(c->assoc_retransmit + 1);
	im.sinit_max_init_timeo = (uint16_t)(c->rto_max_ms > 65535 ?
					     65535 : c->rto_max_ms);
	memset(&ev, 0, sizeof(ev));
	ev.sctp_association_event = 1;
	ev.sctp_address_event = 1;
	ev.sctp_shutdown_event = 1;

	rc = setopt(fd, SOL_SOCKET, SO_SNDBUF, &buf, sizeof(buf), "SO_SNDBUF");
	if (rc == 0)
		rc = setopt(fd, SOL_SOCKET, SO_RCVBUF, &buf, sizeof(buf),
			    "SO_RCVBUF");
	if (rc == 0)
		rc = setopt(fd, IPPROTO_SCTP, SCTP_NODELAY, &one, sizeof(one),
			    "SCTP_NODELAY");
	if (rc == 0)
		rc = setopt(fd, IPPROTO_SCTP, SCTP_RTOINFO, &rto, sizeof(rto),
			    "SCTP_RTOINFO");
	if (rc == 0)
		rc = setopt(fd, IPPROTO_SCTP, SCTP_ASSOCINFO, &ap, sizeof(ap),
			    "SCTP_ASSOCINFO");
	if (rc == 0)
		rc = setopt(fd, IPPROTO_SCTP, SCTP_PEER_ADDR_PARAMS, &pp,
			    sizeof(pp), "SCTP_PEER_ADDR_PARAMS");
	if (rc == 0)
		rc = setopt(fd, IPPROTO_SCTP, SCTP_INITMSG, &im, sizeof(im),
			    "SCTP_INITMSG");
	if (rc == 0)
		rc = setopt(fd, IPPROTO_SCTP, SCTP_EVENTS, &ev, sizeof(ev),
			    "SCTP_EVENTS");
	return rc;
}

static struct st_sock *
wrap(struct sync_transport *t, int fd, int *rc)
{
	struct st_sock *s = malloc(sizeof(*s));

	*rc = s == NULL ? -ENOMEM : st_epoll_add(t, fd);
	if (*rc != 0) {
		free(s);
		close(fd);
		return NULL;
	}
	s->fd = fd;
	return s;
}

static struct st_sock *
k_open(struct sync_transport *t, bool listener, int *rc)
{
	uint8_t la[ST_SA_BUF] __attribute__((aligned(8)));
	int af, fd, one = 1;

	af = st_sa_fill(la, t->cfg.local_ip, t->cfg.n_local_ip,
			t->cfg.local_port);
	fd = socket(af, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    IPPROTO_SCTP);
	if (fd < 0) {
		*rc = -errno;
		return NULL;
	}
	*rc = set_options(t, fd);
	/* The initiator rebinds its port on every attempt. */
	if (*rc == 0)
		*rc = setopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one),
			     "SO_REUSEADDR");
	/* Only IPv6 on an AF_INET6 socket (sync_transport.h). */
	if (*rc == 0 && af == AF_INET6)
		*rc = setopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one),
			     "IPV6_V6ONLY");
	if (*rc == 0 && sctp_bindx(fd, (struct sockaddr *)la,
				   (int)t->cfg.n_local_ip,
				   SCTP_BINDX_ADD_ADDR) != 0)
		*rc = -errno;
	if (*rc == 0 && listener && listen(fd, 1) != 0)
		*rc = -errno;
	if (*rc != 0) {
		close(fd);
		return NULL;
	}
	return wrap(t, fd, rc);
}

static int
k_connect(struct sync_transport *t, struct st_sock *s)
{
	uint8_t ra[ST_SA_BUF] __attribute__((aligned(8)));

	st_sa_fill(ra, t->cfg.remote_ip, t->cfg.n_remote_ip,
		   t->cfg.remote_port);
	if (sctp_connectx(s->fd, (struct sockaddr *)ra,
			  (int)t->cfg.n_remote_ip, NULL) == 0)
		return 0;
	return -errno;
}

static struct st_sock *
k_accept(struct sync_transport *t, struct st_sock *ls,
	 struct tw_addr *addr, uint16_t *port, int *rc)
{
	struct sockaddr_storage sin;
	socklen_t len = sizeof(sin);
	int fd;

	memset(&sin, 0, sizeof(sin));
	fd = accept4(ls->fd, (struct sockaddr *)&sin, &len,
		     SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0) {
		*rc = errno == EWOULDBLOCK ? -EAGAIN : -errno;
		return NULL;
	}
	st_sa_get(&sin, addr, port);
	return wrap(t, fd, rc);
}

static int
k_send(struct st_sock *s, const void *buf, size_t len)
{
	ssize_t n;

	/* One-to-one socket: stream 0, one message per call. */
	n = send(s->fd, buf, len, MSG_DONTWAIT | MSG_NOSIGNAL);
	if (n < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	return (size_t)n == len ? 0 : -EIO;
}

static ssize_t
k_recv(struct st_sock *s, void *buf, size_t len, bool *eor, bool *notif)
{
	struct iovec iov = { .iov_base = buf, .iov_len = len };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t n;

	n = recvmsg(s->fd, &mh, MSG_DONTWAIT);
	if (n < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	*eor = (mh.msg_flags & MSG_EOR) != 0;
	*notif = (mh.msg_flags & MSG_NOTIFICATION) != 0;
	return n;
}

static void
k_decode(const void *buf, size_t len, struct st_notif *n)
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
		default:
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
		default:
			break;
		}
		break;
	case SCTP_SHUTDOWN_EVENT:
		n->type = ST_N_SHUTDOWN;
		break;
	default:
		break;
	}
}

static void
k_close(struct sync_transport *t, struct st_sock *s, bool abort)
{
	struct linger l = { .l_onoff = 1, .l_linger = 0 };

	st_epoll_del(t, s->fd);
	/* SO_LINGER 0: close sends ABORT, so the twin knows at once. */
	if (abort)
		setsockopt(s->fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
	close(s->fd);
	free(s);
}

static void
k_status(struct sync_transport *t, struct st_sock *s,
	 struct sync_transport_stats *st)
{
	struct sctp_status status;
	struct sctp_paddrinfo pi;
	struct sctp_assoc_stats as;
	socklen_t len;
	unsigned int i;

	if (s == NULL)
		return;
	memset(&as, 0, sizeof(as));
	len = sizeof(as);
	if (getsockopt(s->fd, IPPROTO_SCTP, SCTP_GET_ASSOC_STATS, &as,
		       &len) == 0) {
		st->retransmits = as.sas_rtxchunks;
		st->retransmits_valid = true;
	}
	memset(&status, 0, sizeof(status));
	len = sizeof(status);
	if (getsockopt(s->fd, IPPROTO_SCTP, SCTP_STATUS, &status, &len) == 0) {
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
		if (getsockopt(s->fd, IPPROTO_SCTP, SCTP_GET_PEER_ADDR_INFO,
			       &pi, &len) == 0) {
			p->up = pi.spinfo_state == SCTP_ACTIVE;
			p->srtt_ms = pi.spinfo_srtt;
			p->rto_ms = pi.spinfo_rto;
		}
		st->n_paths++;
	}
}

const struct st_backend st_kernel_backend = {
	.name = "sctp",
	.init = k_init,
	.fini = k_fini,
	.open = k_open,
	.connect = k_connect,
	.accept = k_accept,
	.send = k_send,
	.recv = k_recv,
	.notif_decode = k_decode,
	.close = k_close,
	.status = k_status,
};
