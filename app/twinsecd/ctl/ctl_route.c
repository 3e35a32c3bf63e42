/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The kernel route listener (ctl_route.h). Why netlink and not zebra's
 * FPM: docs/control-plane.md. One NETLINK_ROUTE socket, non-blocking,
 * subscribed to IPv4 route and link changes; at start, and after the
 * kernel told us it dropped messages (ENOBUFS), the whole table is read
 * again (RTM_GETROUTE dump) and what the dump no longer holds is removed
 * (mark and sweep by dump generation).
 *
 * Learned routes are keyed like the kernel's: prefix, length and metric
 * (RTA_PRIORITY); the best one of a prefix (distance, then metric) is the
 * one programmed, unless the configuration has a connected or static
 * route of that very prefix and length.
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
#include "tw_compiler.h"
#include "tw_log.h"

#define NL_BUF 32768
#define NL_REQ_BUF 256         /* a dump request: header and rtmsg */
#define NL_RCVBUF (1 << 20)
#define NL_READS_PER_POLL 16
#define REFUSED_DUMP TW_SEC(1)
#define RTPROT_FRR_STATIC 196   /* FRR's staticd */
/*
 * twinsec's own kernel routes (reverse route injection, "twinsec" in
 * iproute2's rt_protos): already in the FIB by their own path, never
 * learned back. Must equal ROUTE_RTPROT of the RRI code.
 */
#define RTPROT_TWINSEC 213
#define AD_KERNEL 250           /* other kernel routes: below floating */

struct lroute {
	uint32_t prefix;
	uint8_t len;
	uint32_t nexthop;
	uint16_t port;
	uint8_t proto;
	uint8_t distance;
	uint32_t metric;
	uint64_t mark;              /* dump generation it was last seen in */
	bool programmed;
};

static struct {
	struct mnl_socket *nl;
	struct ctl *ctl;
	uint32_t table;
	uint32_t seq;
	bool dumping;
	bool resync;                /* dump again when the current one ends */
	bool refused;               /* routes refused for want of room */
	tw_time_t refused_dump;     /* when a dump last looked for them */
	uint64_t gen;
	struct lroute rt[CTL_ROUTE_MAX];
	unsigned int n;
	struct ctl_route_counters cnt;
} lr;

static char nl_buf[NL_BUF];

uint8_t
ctl_route_distance(uint8_t proto)
{
	switch (proto) {
	case RTPROT_FRR_STATIC:
		return 1;
	case RTPROT_BGP:
		return 20;      /* eBGP; the kernel does not say iBGP (200) */
	case RTPROT_EIGRP:
		return 90;
	case RTPROT_OSPF:
		return 110;
	case RTPROT_ISIS:
		return 115;
	case RTPROT_RIP:
		return 120;
	default:
		return AD_KERNEL;
	}
}

const char *
ctl_route_proto_name(uint8_t proto)
{
	switch (proto) {
	case RTPROT_FRR_STATIC:
		return "static";
	case RTPROT_BGP:
		return "bgp";
	case RTPROT_EIGRP:
		return "eigrp";
	case RTPROT_OSPF:
		return "ospf";
	case RTPROT_ISIS:
		return "isis";
	case RTPROT_RIP:
		return "rip";
	default:
		return "kernel";
	}
}

/* A connected or configured static route of exactly prefix/len. */
static bool
shadowed(const struct ctl *ctl, uint32_t prefix, uint8_t len)
{
	const struct conf *c = ctl->conf;
	unsigned int i;

	for (i = 0; i < c->n_ifaces; i++)
		if (c->ifaces[i].prefix_len == len &&
		    (c->ifaces[i].addr & net_prefix_mask(len)) == prefix)
			return true;
	for (i = 0; i < c->n_routes; i++)
		if (c->routes[i].dst.len == len &&
		    (c->routes[i].dst.addr & net_prefix_mask(len)) == prefix)
			return true;
	return false;
}

static bool
better(const struct lroute *a, const struct lroute *b)
{
	if (a->distance != b->distance)
		return a->distance < b->distance;
	return a->metric < b->metric;
}

/* Program the best learned route of prefix/len, or none. */
static void
reprogram(struct ctl *ctl, uint32_t prefix, uint8_t len)
{
	struct lroute *best = NULL, *was = NULL;
	unsigned int i;
	int rc;

	for (i = 0; i < lr.n; i++) {
		struct lroute *r = &lr.rt[i];

		if (r->prefix != prefix || r->len != len)
			continue;
		if (r->programmed)
			was = r;
		if (best == NULL || better(r, best))
			best = r;
	}
	if (best != NULL && shadowed(ctl, prefix, len))
		best = NULL;
	if (was != NULL)
		was->programmed = false;
	if (best == NULL) {
		if (was == NULL)
			return;
		rc = dp_route_del(prefix, len);
		if (rc < 0 && rc != -ENOENT)
			lr.cnt.fib_errors++;
		ctl_commit_later(ctl);
		return;
	}
	rc = dp_route_add(prefix, len, best->nexthop, best->port);
	if (rc < 0) {
		lr.cnt.fib_errors++;
		tw_log(TW_LOG_ERR, "route",
		       "cannot program a learned route into the FIB: %s",
		       strerror(-rc));
		return;
	}
	best->programmed = true;
	ctl_commit_later(ctl);
}

static struct lroute *
find(uint32_t prefix, uint8_t len, uint32_t metric)
{
	unsigned int i;

	for (i = 0; i < lr.n; i++)
		if (lr.rt[i].prefix == prefix && lr.rt[i].len == len &&
		    lr.rt[i].metric == metric)
			return &lr.rt[i];
	return NULL;
}

int
ctl_route_learned_add(struct ctl *ctl, uint32_t prefix, uint8_t len,
		      uint32_t nexthop, uint16_t port, uint8_t proto,
		      uint32_t metric)
{
	struct lroute *r;

	if (len > 32 || port >= dp_n_ports())
		return -EINVAL;
	prefix &= net_prefix_mask(len);
	r = find(prefix, len, metric);
	if (r != NULL) {
		lr.cnt.replaced++;
	} else {
		if (lr.n == CTL_ROUTE_MAX) {
			lr.refused = true;
			if (lr.cnt.table_full++ % 1000 == 0)
				tw_log(TW_LOG_WARNING, "route",
				       "%u learned routes held: more are refused (%llu so far)",
				       CTL_ROUTE_MAX,
				       (unsigned long long)lr.cnt.table_full);
			return -ENOSPC;
		}
		r = &lr.rt[lr.n++];
		memset(r, 0, sizeof(*r));
		lr.cnt.added++;
	}
	r->prefix = prefix;
	r->len = len;
	r->nexthop = nexthop;
	r->port = port;
	r->proto = proto;
	r->distance = ctl_route_distance(proto);
	r->metric = metric;
	r->mark = lr.gen;
	reprogram(ctl, prefix, len);
	return 0;
}

static void
remove_at(struct ctl *ctl, unsigned int i)
{
	uint32_t prefix = lr.rt[i].prefix;
	uint8_t len = lr.rt[i].len;

	if (lr.rt[i].programmed) {
		if (dp_route_del(prefix, len) < 0)
			lr.cnt.fib_errors++;
		ctl_commit_later(ctl);
	}
	lr.rt[i] = lr.rt[--lr.n];
	lr.cnt.deleted++;
	reprogram(ctl, prefix, len);
}

int
ctl_route_learned_del(struct ctl *ctl, uint32_t prefix, uint8_t len,
		      uint32_t nexthop TW_UNUSED, uint16_t port TW_UNUSED,
		      uint8_t proto TW_UNUSED, uint32_t metric)
{
	struct lroute *r;

	if (len > 32)
		return -EINVAL;
	r = find(prefix & net_prefix_mask(len), len, metric);
	if (r == NULL)
		return -ENOENT;
	remove_at(ctl, (unsigned int)(r - lr.rt));
	return 0;
}

/* Routes out of port: its interface went down or away. */
static void
flush_port(struct ctl *ctl, uint16_t port, const char *why)
{
	unsigned int i = 0, n = 0;

	while (i < lr.n) {
		if (lr.rt[i].port == port) {
			remove_at(ctl, i);
			n++;
			continue;
		}
		i++;
	}
	lr.cnt.flushed += n;
	if (n > 0)
		tw_log(TW_LOG_WARNING, "route",
		       "interface %s: control-plane interface %s: %u learned routes removed",
		       dp_port(port)->name, why, n);
}

static int
dump_request(void)
{
	char buf[NL_REQ_BUF];
	struct nlmsghdr *nlh;
	struct rtmsg *rm;

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_GETROUTE;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = ++lr.seq;
	rm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rm));
	rm->rtm_family = AF_INET;
	if (mnl_socket_sendto(lr.nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	lr.gen++;
	lr.dumping = true;
	lr.cnt.dumps++;
	return 0;
}

/* The dump ended: what it did not show is gone. */
static void
sweep(struct ctl *ctl)
{
	unsigned int i = 0;

	while (i < lr.n) {
		if (lr.rt[i].mark != lr.gen) {
			remove_at(ctl, i);
			continue;
		}
		i++;
	}
	lr.dumping = false;
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
		lr.cnt.nl_malformed++;
		return;
	}
	memset(&ra, 0, sizeof(ra));
	if (mnl_attr_parse(nlh, sizeof(*rm), rt_attr_cb, &ra) < 0 || ra.bad) {
		lr.cnt.nl_malformed++;
		return;
	}
	table = ra.a[RTA_TABLE] != NULL ? mnl_attr_get_u32(ra.a[RTA_TABLE]) :
		rm->rtm_table;
	if (rm->rtm_family != AF_INET || table != lr.table ||
	    rm->rtm_type != RTN_UNICAST || rm->rtm_tos != 0 ||
	    rm->rtm_dst_len > 32 || rm->rtm_protocol == RTPROT_KERNEL ||
	    rm->rtm_protocol == RTPROT_TWINSEC) {
		lr.cnt.ignored++;
		return;
	}
	if (ra.a[RTA_DST] != NULL)
		prefix = ntohl(mnl_attr_get_u32(ra.a[RTA_DST]));
	if (ra.a[RTA_PRIORITY] != NULL)
		metric = mnl_attr_get_u32(ra.a[RTA_PRIORITY]);
	if (nlh->nlmsg_type == RTM_DELROUTE) {
		if (ctl_route_learned_del(ctl, prefix, rm->rtm_dst_len, 0, 0,
					  rm->rtm_protocol, metric) < 0)
			lr.cnt.ignored++;
		return;
	}
	if (ra.a[RTA_OIF] != NULL)
		oif = mnl_attr_get_u32(ra.a[RTA_OIF]);
	if (ra.a[RTA_GATEWAY] != NULL)
		gw = ntohl(mnl_attr_get_u32(ra.a[RTA_GATEWAY]));
	if (ra.a[RTA_MULTIPATH] != NULL) {
		lr.cnt.multipath++;
		if (first_hop(ra.a[RTA_MULTIPATH], &oif, &gw) < 0) {
			lr.cnt.nl_malformed++;
			return;
		}
	}
	port = ctl_cpif_port_of((int)oif);
	if (port < 0) {
		/* Not through us; a route that moved away is withdrawn. */
		(void)ctl_route_learned_del(ctl, prefix, rm->rtm_dst_len, 0, 0,
					    rm->rtm_protocol, metric);
		lr.cnt.ignored++;
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
		lr.cnt.nl_malformed++;
		return;
	}
	port = ctl_cpif_port_of(ifi->ifi_index);
	if (port < 0)
		return;
	if (nlh->nlmsg_type == RTM_DELLINK)
		flush_port(ctl, (uint16_t)port, "deleted");
	else if ((ifi->ifi_flags & IFF_UP) == 0)
		flush_port(ctl, (uint16_t)port, "down");
}

static int
nl_cb(const struct nlmsghdr *nlh, void *data)
{
	struct ctl *ctl = data;

	lr.cnt.nl_msgs++;
	switch (nlh->nlmsg_type) {
	case RTM_NEWROUTE:
	case RTM_DELROUTE:
		on_route(ctl, nlh);
		break;
	case RTM_NEWLINK:
	case RTM_DELLINK:
		on_link(ctl, nlh);
		break;
	default:
		lr.cnt.nl_unknown++;
		break;
	}
	return MNL_CB_OK;
}

static int
nl_error(const struct nlmsghdr *nlh, void *data TW_UNUSED)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*e))) {
		lr.cnt.nl_malformed++;
		return MNL_CB_OK;
	}
	if (e->error != 0) {
		lr.cnt.nl_errors++;
		tw_log(TW_LOG_WARNING, "route", "netlink error: %s",
		       strerror(-e->error));
		if (lr.dumping) {
			lr.dumping = false;     /* the dump failed: again */
			lr.resync = true;
		}
	}
	return MNL_CB_OK;
}

static int
nl_done(const struct nlmsghdr *nlh TW_UNUSED, void *data)
{
	if (lr.dumping)
		sweep(data);
	return MNL_CB_STOP;
}

int
ctl_route_init(struct ctl *ctl)
{
	unsigned int i, n = 0;
	int rcvbuf = NL_RCVBUF, rc;

	memset(&lr, 0, sizeof(lr));
	lr.ctl = ctl;
	lr.table = ctl->conf->dataplane.kernel_route_table;
	for (i = 0; i < dp_n_ports(); i++)
		n += ctl_cpif_counters((uint16_t)i) != NULL;
	if (n == 0)
		return 0;       /* no control-plane interface: nothing to learn */
	lr.nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (lr.nl == NULL)
		return -errno;
	(void)setsockopt(mnl_socket_get_fd(lr.nl), SOL_SOCKET, SO_RCVBUF,
			 &rcvbuf, sizeof(rcvbuf));
	if (mnl_socket_bind(lr.nl, RTMGRP_IPV4_ROUTE | RTMGRP_LINK,
			    MNL_SOCKET_AUTOPID) < 0) {
		rc = -errno;
		mnl_socket_close(lr.nl);
		lr.nl = NULL;
		return rc;
	}
	rc = dump_request();
	if (rc < 0)
		return rc;
	tw_log(TW_LOG_INFO, "route",
	       "learning routes from kernel table %u through %u control-plane interfaces",
	       lr.table, n);
	return 0;
}

void
ctl_route_fini(struct ctl *ctl TW_UNUSED)
{
	if (lr.nl != NULL)
		mnl_socket_close(lr.nl);
	lr.nl = NULL;
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

	n = recvmsg(mnl_socket_get_fd(lr.nl), &msg, MSG_DONTWAIT);
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
	mnl_cb_t ctl_cbs[NLMSG_MIN_TYPE] = {
		[NLMSG_ERROR] = nl_error,
		[NLMSG_DONE] = nl_done,
	};
	unsigned int i;
	uint32_t from;
	ssize_t len;
	int rc;

	if (lr.nl == NULL)
		return;
	for (i = 0; i < NL_READS_PER_POLL; i++) {
		len = nl_recv(&from);
		if (len < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK ||
			    errno == EINTR)
				break;
			if (errno == ENOBUFS) {
				/* The kernel dropped messages: read it all. */
				lr.cnt.nl_overruns++;
				lr.resync = true;
				continue;
			}
			lr.cnt.nl_errors++;
			if (errno == EMSGSIZE) {
				lr.resync = true;       /* one was lost */
				continue;
			}
			break;
		}
		if (from != 0) {
			/* Only the kernel speaks for its routing table. */
			lr.cnt.nl_foreign++;
			continue;
		}
		rc = mnl_cb_run2(nl_buf, (size_t)len, 0, 0, nl_cb, ctl,
				 ctl_cbs, NLMSG_MIN_TYPE);
		if (rc < 0)
			lr.cnt.nl_malformed++;  /* a truncated message */
	}
	/*
	 * Room again after routes were refused: the kernel will not offer
	 * them twice, so read its table (at most once per REFUSED_DUMP).
	 */
	if (lr.refused && lr.n < CTL_ROUTE_MAX && !lr.dumping &&
	    ctl_now() - lr.refused_dump >= REFUSED_DUMP) {
		lr.refused = false;
		lr.refused_dump = ctl_now();
		lr.resync = true;
	}
	if (lr.resync && !lr.dumping) {
		lr.resync = false;
		if (dump_request() < 0)
			lr.resync = true;
		else
			tw_log(TW_LOG_INFO, "route",
			       "reading the kernel table again (messages lost, or room for refused routes)");
	}
}

const struct ctl_route_counters *
ctl_route_counters(void)
{
	return &lr.cnt;
}

unsigned int
ctl_route_count(void)
{
	return lr.n;
}

bool
ctl_route_view(unsigned int i, struct ctl_route_view *v)
{
	const struct lroute *r;

	if (i >= lr.n)
		return false;
	r = &lr.rt[i];
	v->prefix = r->prefix;
	v->len = r->len;
	v->nexthop = r->nexthop;
	v->port = r->port;
	v->proto = r->proto;
	v->distance = r->distance;
	v->metric = r->metric;
	v->programmed = r->programmed;
	v->shadowed = shadowed(lr.ctl, r->prefix, r->len);
	return true;
}
