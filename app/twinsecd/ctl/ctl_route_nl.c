/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The kernel route listener (ctl_route.h). Why netlink and not zebra's
 * FPM: docs/control-plane.md. One NETLINK_ROUTE socket, non-blocking,
 * subscribed to IPv4 route and link changes; at start, and after the
 * kernel told us it dropped messages (ENOBUFS), the whole table is read
 * again (RTM_GETROUTE dump) and what the dump no longer holds is removed
 * (mark and sweep by dump generation, ctl_route.c). Only the kernel's
 * messages are read.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <libmnl/libmnl.h>

#include "ctl.h"
#include "ctl_cpif.h"
#include "ctl_route.h"
#include "ctl_route_priv.h"
#include "tw_compiler.h"
#include "tw_log.h"

#define NL_BUF 32768
#define NL_REQ_BUF 256         /* a dump request: header and rtmsg */
#define NL_RCVBUF (1 << 20)
#define NL_READS_PER_POLL 16
#define REFUSED_DUMP TW_SEC(1)
#define RECHECK_DELAY TW_MSEC(500)  /* quiet time before a re-read */
/*
 * twinsec's own kernel routes (reverse route injection, "twinsec" in
 * iproute2's rt_protos): already in the FIB by their own path, never
 * learned back. Must equal ROUTE_RTPROT of the RRI code.
 */
#define RTPROT_TWINSEC 213

static struct {
	struct mnl_socket *sock;
	uint32_t table;
	uint32_t seq;
	uint64_t gen;               /* dump generation */
	bool dumping;
	bool intr;                  /* the dump was interrupted */
	bool busy;                  /* routes changed while it ran */
	tw_time_t recheck;          /* read the table again then, or 0 */
	bool resync;                /* dump again when the current one ends */
	tw_time_t refused_dump;     /* when a dump last looked for refused
				     * routes */
} nl;

static char nl_buf[NL_BUF];

static int
dump_request(void)
{
	char buf[NL_REQ_BUF];
	struct nlmsghdr *nlh;
	struct rtmsg *rm;

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_GETROUTE;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = ++nl.seq;
	rm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rm));
	rm->rtm_family = AF_INET;
	if (mnl_socket_sendto(nl.sock, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	ctl_route_set_gen(++nl.gen);
	nl.dumping = true;
	nl.intr = false;
	nl.busy = false;
	ctl_route_cnt()->dumps++;
	return 0;
}

struct rt_attrs {
	const struct nlattr *a[RTA_MAX + 1];
	bool bad;
};

static int
rt_attr_cb(const struct nlattr *attr, void *data)
{
	struct rt_attrs *ra = data;
	uint16_t type = mnl_attr_get_type(attr);

	if (mnl_attr_type_valid(attr, RTA_MAX) < 0)
		return MNL_CB_OK;       /* newer kernels' attributes */
	switch (type) {
	case RTA_DST:
	case RTA_GATEWAY:
	case RTA_OIF:
	case RTA_PRIORITY:
	case RTA_TABLE:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) < 0) {
			ra->bad = true;
			return MNL_CB_OK;
		}
		break;
	case RTA_MULTIPATH:
		if (mnl_attr_get_payload_len(attr) < sizeof(struct rtnexthop)) {
			ra->bad = true;
			return MNL_CB_OK;
		}
		break;
	default:
		break;
	}
	ra->a[type] = attr;
	return MNL_CB_OK;
}

/* The first next hop of RTA_MULTIPATH: its interface and gateway. */
static int
first_hop(const struct nlattr *mp, uint32_t *oif, uint32_t *gw)
{
	const struct rtnexthop *nh = mnl_attr_get_payload(mp);
	struct rt_attrs ra;
	size_t len = mnl_attr_get_payload_len(mp);

	if (nh->rtnh_len < sizeof(*nh) || nh->rtnh_len > len)
		return -EINVAL;
	*oif = (uint32_t)nh->rtnh_ifindex;
	memset(&ra, 0, sizeof(ra));
	if (mnl_attr_parse_payload(RTNH_DATA(nh), nh->rtnh_len - sizeof(*nh),
				   rt_attr_cb, &ra) < 0 || ra.bad)
		return -EINVAL;
	if (ra.a[RTA_GATEWAY] != NULL)
		*gw = ntohl(mnl_attr_get_u32(ra.a[RTA_GATEWAY]));
	return 0;
}

static void
on_route(struct ctl *ctl, const struct nlmsghdr *nlh)
{
	const struct rtmsg *rm = mnl_nlmsg_get_payload(nlh);
	uint32_t table, prefix = 0, gw = 0, oif = 0, metric = 0;
	struct rt_attrs ra;
	int port;

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*rm))) {
		ctl_route_cnt()->nl_malformed++;
		return;
	}
	memset(&ra, 0, sizeof(ra));
	if (mnl_attr_parse(nlh, sizeof(*rm), rt_attr_cb, &ra) < 0 || ra.bad) {
		ctl_route_cnt()->nl_malformed++;
		return;
	}
	table = ra.a[RTA_TABLE] != NULL ? mnl_attr_get_u32(ra.a[RTA_TABLE]) :
		rm->rtm_table;
	if (rm->rtm_family != AF_INET || table != nl.table ||
	    rm->rtm_type != RTN_UNICAST || rm->rtm_tos != 0 ||
	    rm->rtm_dst_len > 32 || rm->rtm_protocol == RTPROT_KERNEL ||
	    rm->rtm_protocol == RTPROT_TWINSEC) {
		ctl_route_cnt()->ignored++;
		return;
	}
	if (ra.a[RTA_DST] != NULL)
		prefix = ntohl(mnl_attr_get_u32(ra.a[RTA_DST]));
	if (ra.a[RTA_PRIORITY] != NULL)
		metric = mnl_attr_get_u32(ra.a[RTA_PRIORITY]);
	if (nlh->nlmsg_type == RTM_DELROUTE) {
		if (ctl_route_learned_del(ctl, prefix, rm->rtm_dst_len, 0, 0,
					  rm->rtm_protocol, metric) < 0)
			ctl_route_cnt()->ignored++;
		return;
	}
	if (ra.a[RTA_OIF] != NULL)
		oif = mnl_attr_get_u32(ra.a[RTA_OIF]);
	if (ra.a[RTA_GATEWAY] != NULL)
		gw = ntohl(mnl_attr_get_u32(ra.a[RTA_GATEWAY]));
	if (ra.a[RTA_MULTIPATH] != NULL) {
		ctl_route_cnt()->multipath++;
		if (first_hop(ra.a[RTA_MULTIPATH], &oif, &gw) < 0) {
			ctl_route_cnt()->nl_malformed++;
			return;
		}
	}
	port = ctl_cpif_port_of((int)oif);
	if (port < 0) {
		/* Not through us; a route that moved away is withdrawn. */
		(void)ctl_route_learned_del(ctl, prefix, rm->rtm_dst_len, 0, 0,
					    rm->rtm_protocol, metric);
		ctl_route_cnt()->ignored++;
		return;
	}
	(void)ctl_route_learned_add(ctl, prefix, rm->rtm_dst_len, gw,
				    (uint16_t)port, rm->rtm_protocol, metric);
}

static void
on_link(struct ctl *ctl, const struct nlmsghdr *nlh)
{
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	int port;

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*ifi))) {
		ctl_route_cnt()->nl_malformed++;
		return;
	}
	port = ctl_cpif_port_of(ifi->ifi_index);
	if (port < 0)
		return;
	if (nlh->nlmsg_type == RTM_DELLINK)
		ctl_route_flush_port(ctl, (uint16_t)port, "deleted");
	else if ((ifi->ifi_flags & IFF_UP) == 0)
		ctl_route_flush_port(ctl, (uint16_t)port, "down");
}

static void
nl_error(const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*e))) {
		ctl_route_cnt()->nl_malformed++;
		return;
	}
	if (e->error == 0)
		return;
	ctl_route_cnt()->nl_errors++;
	tw_log(TW_LOG_WARNING, "route", "netlink error: %s",
	       strerror(-e->error));
	if (nl.dumping) {
		nl.dumping = false;     /* the dump failed: again */
		nl.resync = true;
	}
}

static void
nl_done(struct ctl *ctl)
{
	if (!nl.dumping)
		return;
	nl.dumping = false;
	if (nl.intr) {
		/*
		 * The table changed while it was read (NLM_F_DUMP_INTR):
		 * what the dump lacks may still be there. Read it again
		 * rather than remove what it did not show.
		 */
		nl.intr = false;
		nl.resync = true;
		return;
	}
	/* The dump ended: what it did not show is gone. */
	ctl_route_sweep(ctl);
	/*
	 * Routes changed while the table was read: a chunk of the dump can
	 * carry a route whose deletion was announced just before it (the
	 * dump walks the table under RCU while it changes). Read it once
	 * more when it has been quiet for a while.
	 */
	if (nl.busy)
		nl.recheck = ctl_now() + RECHECK_DELAY;
}

/* Every message of one datagram, in order. */
static void
nl_process(struct ctl *ctl, size_t len)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)nl_buf;
	int left = (int)len;

	while (mnl_nlmsg_ok(nlh, left)) {
		ctl_route_cnt()->nl_msgs++;
		if ((nlh->nlmsg_flags & NLM_F_DUMP_INTR) != 0 && nl.dumping)
			nl.intr = true;
		/* A change announced during the dump (no NLM_F_MULTI). */
		if (nl.dumping && (nlh->nlmsg_flags & NLM_F_MULTI) == 0 &&
		    (nlh->nlmsg_type == RTM_NEWROUTE ||
		     nlh->nlmsg_type == RTM_DELROUTE))
			nl.busy = true;
		if (!nl.dumping && nl.recheck != 0 &&
		    (nlh->nlmsg_type == RTM_NEWROUTE ||
		     nlh->nlmsg_type == RTM_DELROUTE))
			nl.recheck = ctl_now() + RECHECK_DELAY; /* not quiet */
		switch (nlh->nlmsg_type) {
		case RTM_NEWROUTE:
		case RTM_DELROUTE:
			on_route(ctl, nlh);
			break;
		case RTM_NEWLINK:
		case RTM_DELLINK:
			on_link(ctl, nlh);
			break;
		case NLMSG_ERROR:
			nl_error(nlh);
			break;
		case NLMSG_DONE:
			nl_done(ctl);
			break;
		case NLMSG_NOOP:
			break;
		default:
			ctl_route_cnt()->nl_unknown++;
			break;
		}
		nlh = mnl_nlmsg_next(nlh, &left);
	}
	if (left != 0)
		ctl_route_cnt()->nl_malformed++;  /* a truncated message */
}

int
ctl_route_init(struct ctl *ctl)
{
	unsigned int i, n = 0;
	int rcvbuf = NL_RCVBUF, rc;

	memset(&nl, 0, sizeof(nl));
	ctl_route_table_init(ctl);
	nl.table = ctl->conf->dataplane.kernel_route_table;
	for (i = 0; i < dp_n_ports(); i++)
		n += ctl_cpif_counters((uint16_t)i) != NULL;
	if (n == 0)
		return 0;       /* no control-plane interface: no routes */
	nl.sock = mnl_socket_open2(NETLINK_ROUTE, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (nl.sock == NULL)
		return -errno;
	(void)setsockopt(mnl_socket_get_fd(nl.sock), SOL_SOCKET, SO_RCVBUF,
			 &rcvbuf, sizeof(rcvbuf));
	if (mnl_socket_bind(nl.sock, RTMGRP_IPV4_ROUTE | RTMGRP_LINK,
			    MNL_SOCKET_AUTOPID) < 0) {
		rc = -errno;
		mnl_socket_close(nl.sock);
		nl.sock = NULL;
		return rc;
	}
	rc = dump_request();
	if (rc < 0)
		return rc;
	tw_log(TW_LOG_INFO, "route",
	       "learning routes from kernel table %u through %u control-plane interfaces",
	       nl.table, n);
	return 0;
}

void
ctl_route_fini(struct ctl *ctl TW_UNUSED)
{
	if (nl.sock != NULL)
		mnl_socket_close(nl.sock);
	nl.sock = NULL;
}

/*
 * One datagram into nl_buf; *from is the sender's port id (0: the
 * kernel). A datagram larger than the buffer is an error (EMSGSIZE).
 */
static ssize_t
nl_recv(uint32_t *from)
{
	struct sockaddr_nl addr;
	struct iovec iov = { .iov_base = nl_buf, .iov_len = sizeof(nl_buf) };
	struct msghdr msg = {
		.msg_name = &addr,
		.msg_namelen = sizeof(addr),
		.msg_iov = &iov,
		.msg_iovlen = 1,
	};
	ssize_t n;

	n = recvmsg(mnl_socket_get_fd(nl.sock), &msg, MSG_DONTWAIT);
	if (n < 0)
		return n;
	if (msg.msg_flags & MSG_TRUNC) {
		errno = EMSGSIZE;
		return -1;
	}
	*from = addr.nl_pid;
	return n;
}

void
ctl_route_poll(struct ctl *ctl)
{
	unsigned int i;
	uint32_t from;
	ssize_t len;

	if (nl.sock == NULL)
		return;
	for (i = 0; i < NL_READS_PER_POLL; i++) {
		len = nl_recv(&from);
		if (len < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK ||
			    errno == EINTR)
				break;
			if (errno == ENOBUFS) {
				/* The kernel dropped messages: read it all. */
				ctl_route_cnt()->nl_overruns++;
				nl.resync = true;
				continue;
			}
			ctl_route_cnt()->nl_errors++;
			if (errno == EMSGSIZE) {
				nl.resync = true;       /* one was lost */
				continue;
			}
			break;
		}
		if (from != 0) {
			/* Only the kernel speaks for its routing table. */
			ctl_route_cnt()->nl_foreign++;
			continue;
		}
		nl_process(ctl, (size_t)len);
	}
	/*
	 * Room again after routes were refused: the kernel will not offer
	 * them twice, so read its table (at most once per REFUSED_DUMP).
	 */
	if (!nl.dumping && ctl_now() - nl.refused_dump >= REFUSED_DUMP &&
	    ctl_route_refused_room()) {
		nl.refused_dump = ctl_now();
		nl.resync = true;
	}
	if (nl.recheck != 0 && !nl.dumping && ctl_now() >= nl.recheck) {
		nl.recheck = 0;
		nl.resync = true;
	}
	if (nl.resync && !nl.dumping) {
		nl.resync = false;
		if (dump_request() < 0)
			nl.resync = true;
		else
			tw_log(TW_LOG_DEBUG, "route",
			       "reading the kernel table again");
	}
}

