/* SPDX-License-Identifier: BSD-3-Clause */
/* The clock, the UDP socket, the log and the policy of tests' IKE peers. */
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <arpa/inet.h>

#include "ike_peer.h"
#include "ike_proposal.h"
#include "tw_compiler.h"

tw_time_t
ike_peer_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (tw_time_t)ts.tv_sec * TW_NSEC_PER_SEC + (tw_time_t)ts.tv_nsec;
}

uint32_t
ike_peer_ip4(const char *prog, const char *s)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1) {
		fprintf(stderr, "%s: bad address %s\n", prog, s);
		exit(2);
	}
	return ntohl(a.s_addr);
}

static const char *log_prog = "";
static enum tw_log_level log_max;

static void
log_sink(enum tw_log_level l, const char *m, const char *f, va_list ap)
	__attribute__((format(printf, 3, 0)));

static void
log_sink(enum tw_log_level l, const char *m, const char *f, va_list ap)
{
	if (l > log_max)
		return;
	fprintf(stderr, "%s: %s: ", log_prog, m);
	vfprintf(stderr, f, ap);
	fputc('\n', stderr);
}

void
ike_peer_log_stderr(const char *prog, enum tw_log_level max)
{
	log_prog = prog;
	log_max = max;
	tw_log_set_sink(log_sink);
}

int
ike_peer_socket(uint32_t addr, int rcvbuf, bool reuse)
{
	struct sockaddr_in sa = {
		.sin_family = AF_INET,
		.sin_port = htons(IKE_UDP_PORT),
		.sin_addr.s_addr = htonl(addr),
	};
	int one = 1, s;

	s = socket(AF_INET, SOCK_DGRAM, 0);
	if (s < 0)
		return -1;
	if (setsockopt(s, IPPROTO_IP, IP_PKTINFO, &one, sizeof(one)) < 0 ||
	    (rcvbuf != 0 && setsockopt(s, SOL_SOCKET, SO_RCVBUF, &rcvbuf,
				       sizeof(rcvbuf)) < 0) ||
	    (reuse && setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one,
				 sizeof(one)) < 0) ||
	    bind(s, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return -1;
	return s;
}

ssize_t
ike_peer_send(int sock, uint32_t src, uint32_t dst, uint16_t dport,
	      const uint8_t *data, size_t len)
{
	struct sockaddr_in to = {
		.sin_family = AF_INET,
		.sin_port = htons(dport),
		.sin_addr.s_addr = htonl(dst),
	};
	char cbuf[CMSG_SPACE(sizeof(struct in_pktinfo))];
	/* sendmsg() only reads the iovec's buffer. */
	struct iovec iov = { TW_UNCONST(void *, data), len };
	struct msghdr mh = {
		.msg_name = &to, .msg_namelen = sizeof(to),
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cm;
	struct in_pktinfo *pi;

	memset(cbuf, 0, sizeof(cbuf));
	cm = CMSG_FIRSTHDR(&mh);
	cm->cmsg_level = IPPROTO_IP;
	cm->cmsg_type = IP_PKTINFO;
	cm->cmsg_len = CMSG_LEN(sizeof(*pi));
	pi = (struct in_pktinfo *)CMSG_DATA(cm);
	pi->ipi_spec_dst.s_addr = htonl(src);
	return sendmsg(sock, &mh, 0);
}

ssize_t
ike_peer_recv(int sock, uint8_t *buf, size_t cap, struct ike_pkt *pkt)
{
	char cbuf[CMSG_SPACE(sizeof(struct in_pktinfo))];
	struct sockaddr_in from;
	struct iovec iov = { buf, cap };
	struct msghdr mh = {
		.msg_name = &from, .msg_namelen = sizeof(from),
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cm;
	ssize_t len = recvmsg(sock, &mh, MSG_DONTWAIT);

	if (len < 0)
		return -1;
	memset(pkt, 0, sizeof(*pkt));
	for (cm = CMSG_FIRSTHDR(&mh); cm != NULL; cm = CMSG_NXTHDR(&mh, cm))
		if (cm->cmsg_level == IPPROTO_IP &&
		    cm->cmsg_type == IP_PKTINFO)
			pkt->dst = tw_addr_v4(ntohl(((struct in_pktinfo *)
					CMSG_DATA(cm))->ipi_addr.s_addr));
	pkt->data = buf;
	pkt->len = (size_t)len;
	pkt->src = tw_addr_v4(ntohl(from.sin_addr.s_addr));
	pkt->sport = ntohs(from.sin_port);
	pkt->dport = IKE_UDP_PORT;
	return len;
}

void
ike_peer_timers_init(struct ike_peer_timer *t, unsigned int n,
		     tw_deadline_fn fire)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		tw_deadline_init(&t[i].dl, fire, &t[i]);
}

void
ike_peer_timer_action(struct tw_heap *heap, struct ike_peer_timer *t,
		      unsigned int n, const struct ike_action *a)
{
	if (a->sa_id == 0 || a->sa_id > n)
		return;
	if (a->type == IKE_ACT_ARM) {
		t[a->sa_id - 1].sa_id = a->sa_id;
		tw_heap_arm(heap, &t[a->sa_id - 1].dl, a->u.at);
	} else if (a->type == IKE_ACT_CANCEL) {
		tw_heap_cancel(heap, &t[a->sa_id - 1].dl);
	}
}

void
ike_peer_policy(struct ike_policy *p, uint32_t local, uint32_t peer,
		const char *id, const char *psk, uint32_t lnet, uint8_t llen,
		uint32_t rnet, uint8_t rlen, uint32_t child_life_s)
{
	memset(p, 0, sizeof(*p));
	p->local_addr = tw_addr_v4(local);
	p->peer_addr = tw_addr_v4(peer);
	ike_id_from_string(&p->local_id, id);
	p->psk_len = (uint8_t)strlen(psk);
	memcpy(p->psk, psk, p->psk_len);
	ike_proposal_init(&p->ike_props[0], 1, IKE_PROTO_IKE, NULL, 0);
	ike_proposal_add(&p->ike_props[0], IKE_XF_ENCR, IKE_ENCR_AES_GCM_16,
			 128);
	ike_proposal_add(&p->ike_props[0], IKE_XF_PRF, IKE_PRF_HMAC_SHA2_256,
			 0);
	ike_proposal_add(&p->ike_props[0], IKE_XF_DH, IKE_DH_ECP_256, 0);
	p->n_ike_props = 1;
	p->cipher = CONF_CIPHER_AES_GCM_128;
	p->integ = CONF_INTEG_NONE;
	p->replay_window = 64;
	ike_ts_from_prefix(&p->ts[0].local, lnet, llen, 0, 0, 65535);
	ike_ts_from_prefix(&p->ts[0].remote, rnet, rlen, 0, 0, 65535);
	p->n_ts = 1;
	p->child_life_s = child_life_s;
	p->initiate = IKE_INITIATE_START;
}
