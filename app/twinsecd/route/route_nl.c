/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The kernel's copy of injected routes, over rtnetlink (libmnl).
 *
 * Each route is RTM_NEWROUTE (create or replace) / RTM_DELROUTE in the
 * main table with our own rtm_protocol (ROUTE_RTPROT, named "twinsec" by
 * dist/iproute2/rt_protos.d/twinsec.conf), so neither we nor the operator
 * confuse them with anyone else's and a restart can find and remove what
 * a previous run left (route_nl_flush()). The request is acknowledged
 * synchronously: the control lcore learns at once whether the kernel took
 * it (the kernel answers a route request from its own context, in
 * microseconds).
 *
 * The route goes on the kernel interface named as our inside interface
 * (its control-plane counterpart). Missing, it is counted (nl_no_iface)
 * and logged once per route: the route stays in the fast path.
 */
#include <errno.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>

#include "route.h"
#include "tw_log.h"

#define ROUTE_LOG "route"
/* MNL_SOCKET_BUFFER_SIZE asks sysconf(): a page, at most 8 KiB */
#define ROUTE_NL_BUF 8192

static struct {
	struct mnl_socket *nl;
	unsigned int portid;
	uint32_t seq;
} nl;

int
route_nl_open(char *err, size_t errlen)
{
	nl.nl = mnl_socket_open(NETLINK_ROUTE);
	if (nl.nl == NULL) {
		snprintf(err, errlen, "netlink socket: %s", strerror(errno));
		return -errno;
	}
	if (mnl_socket_bind(nl.nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		snprintf(err, errlen, "netlink bind: %s", strerror(errno));
		mnl_socket_close(nl.nl);
		nl.nl = NULL;
		return -errno;
	}
	nl.portid = mnl_socket_get_portid(nl.nl);
	nl.seq = (uint32_t)time(NULL);
	route_cnt()->nl_open = true;
	return 0;
}

void
route_nl_close(void)
{
	if (nl.nl != NULL)
		mnl_socket_close(nl.nl);
	nl.nl = NULL;
	route_cnt()->nl_open = false;
}

/* Send one request and read its acknowledgement: 0 or -errno. */
static int
transact(struct nlmsghdr *h)
{
	char buf[ROUTE_NL_BUF];
	ssize_t n;
	int rc;

	h->nlmsg_flags |= NLM_F_ACK;
	h->nlmsg_seq = ++nl.seq;
	if (mnl_socket_sendto(nl.nl, h, h->nlmsg_len) < 0)
		return -errno;
	for (;;) {
		n = mnl_socket_recvfrom(nl.nl, buf, sizeof(buf));
		if (n < 0)
			return -errno;
		rc = mnl_cb_run(buf, (size_t)n, h->nlmsg_seq, nl.portid,
				NULL, NULL);
		if (rc <= MNL_CB_STOP)
			return rc < 0 ? -errno : 0;
	}
}

static struct nlmsghdr *
route_msg(char *buf, uint16_t type, uint16_t flags, uint32_t prefix,
	  uint8_t len)
{
	struct nlmsghdr *h = mnl_nlmsg_put_header(buf);
	struct rtmsg *rm;

	h->nlmsg_type = type;
	h->nlmsg_flags = NLM_F_REQUEST | flags;
	rm = mnl_nlmsg_put_extra_header(h, sizeof(*rm));
	rm->rtm_family = AF_INET;
	rm->rtm_dst_len = len;
	rm->rtm_table = RT_TABLE_MAIN;
	rm->rtm_protocol = ROUTE_RTPROT;
	rm->rtm_scope = RT_SCOPE_LINK;
	rm->rtm_type = RTN_UNICAST;
	mnl_attr_put_u32(h, RTA_DST, htonl(prefix));
	return h;
}

int
route_nl_route(bool add, uint32_t prefix, uint8_t len, const char *ifname,
	       uint32_t metric, uint32_t tag)
{
	struct route_counters *cnt = route_cnt();
	char buf[ROUTE_NL_BUF];
	struct nlmsghdr *h;
	unsigned int ifx;
	int rc;

	if (nl.nl == NULL)
		return -ENOTCONN;
	ifx = if_nametoindex(ifname);
	if (ifx == 0) {
		if (add) {
			cnt->nl_no_iface++;
			tw_log(TW_LOG_WARNING, ROUTE_LOG,
			       "reverse route %u.%u.%u.%u/%u: no kernel interface '%s': not in the kernel",
			       prefix >> 24, prefix >> 16 & 0xff,
			       prefix >> 8 & 0xff, prefix & 0xff, len, ifname);
		}
		return -ENODEV;
	}
	h = route_msg(buf, add ? RTM_NEWROUTE : RTM_DELROUTE,
		      add ? NLM_F_CREATE | NLM_F_REPLACE : 0, prefix, len);
	mnl_attr_put_u32(h, RTA_OIF, ifx);
	mnl_attr_put_u32(h, RTA_PRIORITY, metric);
	if (tag != 0)
		mnl_attr_put_u32(h, RTA_FLOW, tag);
	rc = transact(h);
	if (rc < 0) {
		cnt->nl_errors++;
		tw_log(TW_LOG_ERR, ROUTE_LOG,
		       "kernel route %u.%u.%u.%u/%u dev %s %s: %s",
		       prefix >> 24, prefix >> 16 & 0xff, prefix >> 8 & 0xff,
		       prefix & 0xff, len, ifname, add ? "add" : "delete",
		       strerror(-rc));
		return rc;
	}
	if (add)
		cnt->nl_adds++;
	else
		cnt->nl_dels++;
	return 0;
}

/* A dump's routes of our protocol, to delete. */
struct flush_list {
	struct {
		uint32_t dst;
		uint8_t len;
		uint32_t oif, prio;
	} v[256];
	unsigned int n;
};

static int
flush_attr(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(a);

	if (mnl_attr_type_valid(a, RTA_MAX) < 0)
		return MNL_CB_OK;
	if ((type == RTA_DST || type == RTA_OIF || type == RTA_PRIORITY) &&
	    mnl_attr_validate(a, MNL_TYPE_U32) < 0)
		return MNL_CB_OK;
	tb[type] = a;
	return MNL_CB_OK;
}

static int
flush_cb(const struct nlmsghdr *h, void *data)
{
	const struct rtmsg *rm = mnl_nlmsg_get_payload(h);
	const struct nlattr *tb[RTA_MAX + 1];
	struct flush_list *fl = data;

	if (rm->rtm_protocol != ROUTE_RTPROT || rm->rtm_family != AF_INET ||
	    fl->n == sizeof(fl->v) / sizeof(fl->v[0]))
		return MNL_CB_OK;
	memset(tb, 0, sizeof(tb));
	mnl_attr_parse(h, sizeof(*rm), flush_attr, tb);
	fl->v[fl->n].dst = tb[RTA_DST] != NULL ?
		ntohl(mnl_attr_get_u32(tb[RTA_DST])) : 0;
	fl->v[fl->n].len = rm->rtm_dst_len;
	fl->v[fl->n].oif = tb[RTA_OIF] != NULL ?
		mnl_attr_get_u32(tb[RTA_OIF]) : 0;
	fl->v[fl->n].prio = tb[RTA_PRIORITY] != NULL ?
		mnl_attr_get_u32(tb[RTA_PRIORITY]) : 0;
	fl->n++;
	return MNL_CB_OK;
}

int
route_nl_flush(void)
{
	static struct flush_list fl;
	char buf[ROUTE_NL_BUF];
	struct nlmsghdr *h;
	struct rtmsg *rm;
	unsigned int i;
	ssize_t n;
	int rc;

	if (nl.nl == NULL)
		return -ENOTCONN;
	fl.n = 0;
	h = mnl_nlmsg_put_header(buf);
	h->nlmsg_type = RTM_GETROUTE;
	h->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	h->nlmsg_seq = ++nl.seq;
	rm = mnl_nlmsg_put_extra_header(h, sizeof(*rm));
	rm->rtm_family = AF_INET;
	if (mnl_socket_sendto(nl.nl, h, h->nlmsg_len) < 0)
		return -errno;
	do {
		n = mnl_socket_recvfrom(nl.nl, buf, sizeof(buf));
		if (n < 0)
			return -errno;
		rc = mnl_cb_run(buf, (size_t)n, h->nlmsg_seq, nl.portid,
				flush_cb, &fl);
	} while (rc > MNL_CB_STOP);
	for (i = 0; i < fl.n; i++) {
		h = route_msg(buf, RTM_DELROUTE, 0, fl.v[i].dst, fl.v[i].len);
		if (fl.v[i].oif != 0)
			mnl_attr_put_u32(h, RTA_OIF, fl.v[i].oif);
		mnl_attr_put_u32(h, RTA_PRIORITY, fl.v[i].prio);
		if (transact(h) == 0)
			route_cnt()->nl_flushed++;
	}
	if (fl.n > 0)
		tw_log(TW_LOG_NOTICE, ROUTE_LOG,
		       "removed %u kernel routes of protocol %u left by a previous run",
		       fl.n, ROUTE_RTPROT);
	return (int)fl.n;
}
