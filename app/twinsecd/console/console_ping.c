/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The console's ping op: each echo request is built and sent on the
 * control lcore (ctl_call()), out of the port the destination is reached
 * by (its connected subnet, else the longest static route) through ARP;
 * the session thread then asks the control lcore every 10 ms whether the
 * reply came, until the timeout. From the appliance a packet leaves in
 * clear: a destination a crypto map entry protects from that source is
 * refused rather than sent unprotected.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "console.h"
#include "icmp.h"
#include "net_ip.h"

#define PING_POLL_MS 10

struct ping_req {
	struct cli_ping *p;
	uint16_t id;
	int rc;
	bool replied;
	tw_time_t rtt;
	char err[160];
};

/* The port (interface index) and next hop towards dst. */
static int
route(const struct conf *c, uint32_t dst, uint16_t *port, uint32_t *nh)
{
	const struct conf_route *best = NULL;
	unsigned int i;

	for (i = 0; i < c->n_ifaces; i++)
		if (net_prefix_match(dst, c->ifaces[i].addr,
				  c->ifaces[i].prefix_len)) {
			*port = (uint16_t)i;
			*nh = dst;
			return 0;
		}
	for (i = 0; i < c->n_routes; i++) {
		const struct conf_route *r = &c->routes[i];

		if (net_prefix_match(dst, r->dst.addr, r->dst.len) &&
		    (best == NULL || r->dst.len > best->dst.len))
			best = r;
	}
	for (i = 0; best != NULL && i < c->n_ifaces; i++)
		if (strcmp(c->ifaces[i].name, best->iface) == 0) {
			*port = (uint16_t)i;
			*nh = best->gateway != 0 ? best->gateway : dst;
			return 0;
		}
	return -EHOSTUNREACH;
}

/* The crypto map entry whose protect rule covers src -> dst, if any. */
static const struct conf_map_entry *
protected_by(const struct conf *c, uint32_t src, uint32_t dst,
	     const char **map)
{
	unsigned int i, j, k;

	for (i = 0; i < c->n_crypto_maps; i++)
		for (j = 0; j < c->crypto_maps[i].n_entries; j++) {
			const struct conf_map_entry *e =
				&c->crypto_maps[i].entries[j];

			for (k = 0; k < e->n_matches; k++) {
				const struct conf_match *m = &e->matches[k];

				if (!net_prefix_match(src, m->src.addr,
						   m->src.len) ||
				    !net_prefix_match(dst, m->dst.addr,
						   m->dst.len))
					continue;
				/* the first rule that matches decides */
				if (m->action != CONF_POLICY_PROTECT)
					break;
				*map = c->crypto_maps[i].name;
				return e;
			}
		}
	return NULL;
}

static void
do_send(struct ctl *ctl, void *arg)
{
	struct ping_req *r = arg;
	struct cli_ping *p = r->p;
	const struct conf *c = ctl->conf;
	const struct conf_map_entry *e;
	const struct conf_iface *f;
	const char *map = "";
	uint32_t nh = 0;
	uint16_t port = 0;

	r->rc = route(c, p->dst, &port, &nh);
	if (r->rc < 0) {
		snprintf(r->err, sizeof(r->err), "no route to " NET_IP4_FMT,
			 NET_IP4_ARGS(p->dst));
		return;
	}
	f = &c->ifaces[port];
	if (p->source[0] != '\0') {
		f = conf_iface_find(c, p->source);
		if (f == NULL) {
			r->rc = -ENOENT;
			snprintf(r->err, sizeof(r->err),
				 "no source interface %s", p->source);
			return;
		}
	}
	p->src = f->addr;
	e = protected_by(c, p->src, p->dst, &map);
	if (e != NULL) {
		r->rc = -EPERM;
		snprintf(r->err, sizeof(r->err),
			 "crypto map %s %u protects " NET_IP4_FMT " -> " NET_IP4_FMT ": not sent in clear from the appliance",
			 map, e->seq, NET_IP4_ARGS(p->src),
			 NET_IP4_ARGS(p->dst));
		return;
	}
	if (!dp_port_admin_up(port)) {
		r->rc = -ENETDOWN;
		snprintf(r->err, sizeof(r->err), "interface %s is shut down",
			 c->ifaces[port].name);
		return;
	}
	r->rc = icmp_ping_send(&ctl->icmp, &ctl->arp, port, nh, p->src,
			       p->dst, r->id, p->seq,
			       (uint16_t)(p->size - NET_IPV4_HLEN -
					  NET_ICMP_HLEN), ctl_now());
}

static void
do_poll(struct ctl *ctl, void *arg)
{
	struct ping_req *r = arg;
	const struct icmp_ping *q = &ctl->icmp.ping;

	r->rc = 0;
	r->replied = q->replied && q->id == r->id && q->seq == r->p->seq;
	r->rtt = q->rtt;
}

int
console_op_ping(void *ctx, struct cli_ping *p, uint64_t *rtt_us, char *err,
		size_t errlen)
{
	struct console *con = ctx;
	struct ping_req r = { .p = p, .id = (uint16_t)(getpid() ^ 0x5457) };
	struct timespec nap = { 0, PING_POLL_MS * 1000000L };
	uint32_t waited;
	int rc;

	rc = ctl_call(con->ctl, do_send, &r, CONSOLE_CALL_MS);
	if (rc == 0)
		rc = r.rc;
	if (rc < 0) {
		snprintf(err, errlen, "%s", r.err);
		return rc;
	}
	for (waited = 0; waited <= p->timeout_ms; waited += PING_POLL_MS) {
		rc = ctl_call(con->ctl, do_poll, &r, CONSOLE_CALL_MS);
		if (rc < 0)
			return rc;
		if (r.replied) {
			*rtt_us = (uint64_t)(r.rtt / 1000);
			return 0;
		}
		if (con->stop)
			break;
		nanosleep(&nap, NULL);
	}
	return -ETIMEDOUT;
}
