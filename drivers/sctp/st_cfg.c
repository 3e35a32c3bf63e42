/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The transport's configuration: IOS defaults, range checks, who connects,
 * names, and whether this kernel has SCTP.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <unistd.h>

#include "st_priv.h"

/* IOS "ipc zone default / association 1" ranges and defaults. */
#define RTO_LO 300
#define RTO_HI 60000
#define RTO_MIN_DEFAULT 300
#define RTO_MAX_DEFAULT 600
#define RTX_LO 2
#define RTX_HI 10
#define RTX_DEFAULT 4
/* RFC 6951 5.1 (IANA): the UDP port for SCTP encapsulation. */
#define UDP_ENCAP_DEFAULT 9899

void
sync_transport_cfg_defaults(struct sync_transport_cfg *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->kind = SYNC_TRANSPORT_AUTO;
	cfg->udp_encap_port = UDP_ENCAP_DEFAULT;
	cfg->remote_udp_encap_port = UDP_ENCAP_DEFAULT;
	cfg->rto_min_ms = RTO_MIN_DEFAULT;
	cfg->rto_max_ms = RTO_MAX_DEFAULT;
	cfg->path_retransmit = RTX_DEFAULT;
	cfg->assoc_retransmit = RTX_DEFAULT;
}

/* An address an SCTP endpoint can have (loopback is fine: tests). */
static bool
is_unicast(const struct tw_addr *a)
{
	static const uint8_t loop6[16] = { [15] = 1 };

	if (a->family == TW_AF_INET)
		return (a->v4 >> 24) != 0 && (a->v4 >> 28) < 0xe;
	if (a->family == TW_AF_INET6)
		return memcmp(a->v6, loop6, 16) == 0 ||
		       tw_addr6_is_unicast(a->v6);
	return false;
}

static int
check_addrs(const struct tw_addr *a, unsigned int n, const char *what,
	    char *err, size_t errlen)
{
	unsigned int i;

	if (n < 1 || n > SYNC_TRANSPORT_MAX_ADDRS) {
		snprintf(err, errlen, "%s: 1 or 2 addresses, not %u", what, n);
		return -EINVAL;
	}
	for (i = 0; i < n; i++) {
		/* 0/8, multicast, class E, ::, link-local: no endpoint. */
		if (!is_unicast(&a[i])) {
			snprintf(err, errlen, "%s: not a unicast address",
				 what);
			return -EINVAL;
		}
	}
	if (n == 2 && tw_addr_eq(&a[0], &a[1])) {
		snprintf(err, errlen, "%s: the same address twice", what);
		return -EINVAL;
	}
	return 0;
}

/* One family for the whole transport: see sync_transport.h. */
static int
check_family(const struct sync_transport_cfg *c, char *err, size_t errlen)
{
	uint8_t f = c->local_ip[0].family;
	unsigned int i;

	for (i = 0; i < c->n_local_ip; i++)
		if (c->local_ip[i].family != f)
			goto mixed;
	for (i = 0; i < c->n_remote_ip; i++)
		if (c->remote_ip[i].family != f)
			goto mixed;
	return 0;
mixed:
	snprintf(err, errlen,
		 "local and remote IPs mix IPv4 and IPv6: one association carries one family");
	return -EINVAL;
}

int
sync_transport_cfg_check(const struct sync_transport_cfg *c, char *err,
			 size_t errlen)
{
	int rc;

	if (c->kind > SYNC_TRANSPORT_SCTP_UDP) {
		snprintf(err, errlen, "bad transport %d", (int)c->kind);
		return -EINVAL;
	}
	if (c->local_port == 0 || c->remote_port == 0) {
		snprintf(err, errlen, "local and remote ports must be 1-65535");
		return -EINVAL;
	}
	if (c->kind != SYNC_TRANSPORT_SCTP &&
	    (c->udp_encap_port == 0 || c->remote_udp_encap_port == 0)) {
		snprintf(err, errlen,
			 "UDP encapsulation ports must be 1-65535");
		return -EINVAL;
	}
	if (c->rto_min_ms < RTO_LO || c->rto_max_ms > RTO_HI ||
	    c->rto_min_ms > c->rto_max_ms) {
		snprintf(err, errlen,
			 "retransmit timeout min %u max %u: need %d <= min <= max <= %d",
			 c->rto_min_ms, c->rto_max_ms, RTO_LO, RTO_HI);
		return -EINVAL;
	}
	if (c->path_retransmit < RTX_LO || c->path_retransmit > RTX_HI ||
	    c->assoc_retransmit < RTX_LO || c->assoc_retransmit > RTX_HI) {
		snprintf(err, errlen,
			 "path and association retransmits must be %d-%d",
			 RTX_LO, RTX_HI);
		return -EINVAL;
	}
	rc = check_addrs(c->local_ip, c->n_local_ip, "local IPs", err, errlen);
	if (rc == 0)
		rc = check_addrs(c->remote_ip, c->n_remote_ip, "remote IPs",
				 err, errlen);
	if (rc == 0)
		rc = check_family(c, err, errlen);
	if (rc != 0)
		return rc;
	if (tw_addr_eq(&c->local_ip[0], &c->remote_ip[0]) &&
	    c->local_port == c->remote_port) {
		snprintf(err, errlen,
			 "local and remote are the same endpoint (first IP and port): the twin would be this box");
		return -EINVAL;
	}
	return 0;
}

/*
 * Connection role: the lower (first local IP, local port) connects. Both
 * twins see the same two endpoints swapped, so exactly one of them
 * initiates; cfg_check() refused the tie.
 */
bool
st_is_initiator(const struct sync_transport_cfg *c)
{
	int d = tw_addr_cmp(&c->local_ip[0], &c->remote_ip[0]);

	if (d != 0)
		return d < 0;
	return c->local_port < c->remote_port;
}

/*
 * Heartbeats keep an idle association honest: every rto_max plus the
 * current RTO (RFC 9260 8.3), so a silent twin is declared dead after about
 * (assoc_retransmit + 1) x (rto_max + RTO) even when nothing is sent.
 */
uint32_t
st_hb_interval_ms(const struct sync_transport_cfg *cfg)
{
	return cfg->rto_max_ms;
}

int
st_sa_fill(void *buf, const struct tw_addr *a, unsigned int n, uint16_t port)
{
	uint8_t *p = buf;
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (a[i].family == TW_AF_INET6) {
			struct sockaddr_in6 s6;

			memset(&s6, 0, sizeof(s6));
			s6.sin6_family = AF_INET6;
			memcpy(&s6.sin6_addr, a[i].v6, 16);
			s6.sin6_port = htons(port);
			memcpy(p, &s6, sizeof(s6));
			p += sizeof(s6);
		} else {
			struct sockaddr_in s4;

			memset(&s4, 0, sizeof(s4));
			s4.sin_family = AF_INET;
			s4.sin_addr.s_addr = htonl(a[i].v4);
			s4.sin_port = htons(port);
			memcpy(p, &s4, sizeof(s4));
			p += sizeof(s4);
		}
	}
	return n > 0 && a[0].family == TW_AF_INET6 ? AF_INET6 : AF_INET;
}

int
st_sa_get(const void *sa, struct tw_addr *a, uint16_t *port)
{
	struct sockaddr_in6 s6;
	struct sockaddr_in s4;
	sa_family_t f;

	memcpy(&f, (const uint8_t *)sa + offsetof(struct sockaddr, sa_family),
	       sizeof(f));
	memset(a, 0, sizeof(*a));
	if (f == AF_INET) {
		memcpy(&s4, sa, sizeof(s4));
		*a = tw_addr_v4(ntohl(s4.sin_addr.s_addr));
		*port = ntohs(s4.sin_port);
		return 0;
	}
	if (f == AF_INET6) {
		memcpy(&s6, sa, sizeof(s6));
		a->family = TW_AF_INET6;
		memcpy(a->v6, &s6.sin6_addr, 16);
		*port = ntohs(s6.sin6_port);
		return 0;
	}
	*port = 0;
	return -EAFNOSUPPORT;
}

bool
sync_transport_kernel_sctp_available(void)
{
	int fd;

	if (!st_kernel_built)
		return false;
	fd = socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP);
	if (fd < 0)
		return false;
	close(fd);
	return true;
}

const char *
sync_transport_state_name(enum sync_transport_state s)
{
	static const char *const names[] = {
		[SYNC_TRANSPORT_ST_DOWN] = "down",
		[SYNC_TRANSPORT_ST_CONNECTING] = "connecting",
		[SYNC_TRANSPORT_ST_LISTENING] = "listening",
		[SYNC_TRANSPORT_ST_UP] = "up",
	};

	if ((unsigned int)s >= sizeof(names) / sizeof(names[0]))
		return "?";
	return names[s];
}

const char *
sync_transport_kind_name(enum sync_transport_kind k)
{
	static const char *const names[] = {
		[SYNC_TRANSPORT_AUTO] = "auto",
		[SYNC_TRANSPORT_SCTP] = "sctp",
		[SYNC_TRANSPORT_SCTP_UDP] = "sctp-udp",
	};

	if ((unsigned int)k >= sizeof(names) / sizeof(names[0]))
		return "?";
	return names[k];
}
