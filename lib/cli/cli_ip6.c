/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IPv6 in the console (issue 18): addresses as IOS prints them, the
 * running-config's "ipv6 address", "ipv6 route" and "ipv6 access-list"
 * lines, show ipv6 interface brief.
 */
#include <ctype.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cli_runconf.h"

const char *
cli_addr6(const uint8_t v6[16], char *buf)
{
	char *p;

	tw_addr6_str(v6, buf, TW_ADDR_STRLEN);
	for (p = buf; *p != '\0'; p++)
		*p = (char)toupper((unsigned char)*p);
	return buf;
}

const char *
cli_addr(const struct tw_addr *a, char *buf)
{
	if (a->family == TW_AF_INET6)
		return cli_addr6(a->v6, buf);
	return cli_ip(a->v4, buf);
}

void
cli_runconf_iface6(const struct conf_iface *f, struct cli_buf *b)
{
	char a[TW_ADDR_STRLEN];
	unsigned int i;

	for (i = 0; i < f->n_addr6; i++)
		cli_buf_printf(b, " ipv6 address %s/%u\n",
			       cli_addr6(f->addr6[i].addr.v6, a),
			       f->addr6[i].len);
}

/* IOS "ipv6 route PREFIX {IF [NH] | NH}" */
void
cli_runconf_routes6(const struct conf *c, struct cli_buf *b)
{
	char p[TW_ADDR_STRLEN], g[TW_ADDR_STRLEN];
	unsigned int i;

	for (i = 0; i < c->n_routes6; i++) {
		const struct conf_route *r = &c->routes6[i];
		bool via = r->via.family == TW_AF_INET6;

		cli_buf_printf(b, "ipv6 route %s/%u", cli_addr6(r->to.addr.v6, p),
			       r->to.len);
		if (!via)
			cli_buf_printf(b, " %s", r->iface);
		else if (tw_addr6_is_link_local(r->via.v6))
			cli_buf_printf(b, " %s %s", r->iface,
				       cli_addr6(r->via.v6, g));
		else
			cli_buf_printf(b, " %s", cli_addr6(r->via.v6, g));
		cli_buf_printf(b, "\n");
	}
	if (c->n_routes6 != 0)
		cli_buf_printf(b, "!\n");
}

static void
acl6_addr(struct cli_buf *b, const struct tw_prefix *p)
{
	char a[TW_ADDR_STRLEN];

	if (p->len == 0)
		cli_buf_printf(b, " any");
	else if (p->len == 128)
		cli_buf_printf(b, " host %s", cli_addr6(p->addr.v6, a));
	else
		cli_buf_printf(b, " %s/%u", cli_addr6(p->addr.v6, a), p->len);
}

/*
 * IOS "ipv6 access-list NAME" (a namespace apart from IPv4 ACLs, so the
 * crypto map's one "match address NAME" names both): "ipv6" for any
 * protocol, "icmp" meaning ICMPv6 in an IPv6 ACL.
 */
void
cli_runconf_acl6(const char *map, const struct conf_map_entry *e,
		 struct cli_buf *b)
{
	unsigned int i;
	char pbuf[4];

	if (e->n_matches6 == 0)
		return;
	cli_buf_printf(b, "ipv6 access-list %s-%u\n", map, e->seq);
	for (i = 0; i < e->n_matches6; i++) {
		const struct conf_match *m = &e->matches6[i];
		bool ports = m->proto == 6 || m->proto == 17;

		cli_buf_printf(b, " %s %s", m->action == CONF_POLICY_PROTECT ?
			       "permit" : m->action == CONF_POLICY_BYPASS ?
			       "deny" : "discard",
			       m->proto == 0 ? "ipv6" : m->proto == 58 ?
			       "icmp" : cli_proto(m->proto, pbuf));
		acl6_addr(b, &m->src_net);
		if (ports)
			cli_acl_ports(b, m->sport_lo, m->sport_hi);
		acl6_addr(b, &m->dst_net);
		if (ports)
			cli_acl_ports(b, m->dport_lo, m->dport_hi);
		cli_buf_printf(b, "\n");
	}
	cli_buf_printf(b, "!\n");
}

/*
 * IOS:
 *   GigabitEthernet0/0     [up/up]
 *       FE80::A8BB:CCFF:FE00:100
 *       2001:DB8:1::1
 * An interface without IPv6 addresses shows "unassigned" (IOS, with
 * IPv6 not enabled on it).
 */
void
cli_iface6_brief(const struct cli_call *c, const struct cli_iface_table *t)
{
	char a[TW_ADDR_STRLEN];
	uint8_t ll[16];
	unsigned int i, j;

	for (i = 0; i < t->n; i++) {
		const struct cli_iface *f = &t->v[i];
		const char *adm = !f->admin_up ? "administratively down" :
			f->link_up ? "up" : "down";

		cli_out(c, "%-22s [%s/%s]", f->name, adm,
			f->admin_up && f->link_up ? "up" : "down");
		if (f->n_addr6 == 0) {
			cli_out(c, "    unassigned");
			continue;
		}
		tw_addr6_link_local(f->mac, ll);
		cli_out(c, "    %s", cli_addr6(ll, a));
		for (j = 0; j < f->n_addr6; j++)
			cli_out(c, "    %s", cli_addr6(f->addr6[j].addr.v6, a));
	}
}

static int
nd_cmp(const void *a, const void *b)
{
	const struct cli_nd *x = a, *y = b;
	int d = strcmp(x->iface, y->iface);

	return d != 0 ? d : memcmp(x->addr, y->addr, 16);
}

/*
 * IOS:
 *   IPv6 Address                              Age Link-layer Addr State Interface
 *   2001:DB8:1::2                               0 aabb.cc00.0200  REACH Et0/0
 * A daemon without IPv6 (the op left NULL) shows the header alone.
 */
int
cli_show_ipv6_neighbors(const struct cli_call *c)
{
	struct cli_nd_table t = { 0 };
	char a[TW_ADDR_STRLEN], mac[16];
	unsigned int i;
	int rc;

	if (c->s->ops->ipv6_neighbors != NULL) {
		rc = c->s->ops->ipv6_neighbors(c->s->ctx, &t);
		if (rc < 0) {
			cli_err_op(c, "show ipv6 neighbors", rc, NULL);
			return CLI_ERROR;
		}
	}
	if (t.n > 1)
		qsort(t.v, t.n, sizeof(t.v[0]), nd_cmp);
	cli_out(c, "IPv6 Address                              Age Link-layer Addr State Interface");
	for (i = 0; i < t.n; i++) {
		const struct cli_nd *e = &t.v[i];

		cli_out(c, "%-40s %4llu %-14s  %-5s %s", cli_addr6(e->addr, a),
			(unsigned long long)(e->age_s / 60),
			cli_mac(e->mac, mac), e->state, e->iface);
	}
	cli_table_free(&t);
	return CLI_OK;
}

/*
 * IOS show ipv6 route, from the interfaces' addresses (the fast path
 * routes no IPv6 yet, so connected and local routes are the whole table):
 *   IPv6 Routing Table - default - 2 entries
 *   Codes: C - Connected, L - Local, S - Static
 *
 *   C   2001:DB8:1::/64 [0/0]
 *        via inside, directly connected
 *   L   2001:DB8:1::1/128 [0/0]
 *        via inside, receive
 */
int
cli_show_ipv6_route(const struct cli_call *c)
{
	struct cli_iface_table t = { 0 };
	char a[TW_ADDR_STRLEN];
	unsigned int i, j, n = 0;
	int rc;

	rc = c->s->ops->interfaces(c->s->ctx, &t);
	if (rc < 0) {
		cli_err_op(c, "interfaces", rc, NULL);
		return CLI_ERROR;
	}
	for (i = 0; i < t.n; i++)
		n += 2 * t.v[i].n_addr6;
	cli_out(c, "IPv6 Routing Table - default - %u entries", n);
	cli_out(c, "Codes: C - Connected, L - Local, S - Static");
	cli_out(c, "%s", "");
	for (i = 0; i < t.n; i++) {
		const struct cli_iface *f = &t.v[i];

		for (j = 0; j < f->n_addr6; j++) {
			struct tw_prefix net = f->addr6[j];

			tw_prefix_network(&net);
			cli_out(c, "C   %s/%u [0/0]", cli_addr6(net.addr.v6, a),
				net.len);
			cli_out(c, "     via %s, directly connected", f->name);
			cli_out(c, "L   %s/128 [0/0]",
				cli_addr6(f->addr6[j].addr.v6, a));
			cli_out(c, "     via %s, receive", f->name);
		}
	}
	cli_table_free(&t);
	return CLI_OK;
}
