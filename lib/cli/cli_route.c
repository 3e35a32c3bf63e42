/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * show ip route [A.B.C.D], show crypto route: the routing table in IOS's
 * layout. A reverse route is an IOS static route (S, with its tag);
 * routes learned from the kernel (FRR) are O (OSPF), B (BGP) or K.
 * Only the best route of a prefix is listed, as IOS lists what it uses.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char code[] = {
	[CLI_ROUTE_CONNECTED] = 'C', [CLI_ROUTE_LOCAL] = 'L',
	[CLI_ROUTE_STATIC] = 'S', [CLI_ROUTE_RRI] = 'S',
	[CLI_ROUTE_BGP] = 'B', [CLI_ROUTE_OSPF] = 'O',
	[CLI_ROUTE_KERNEL] = 'K',
};

static int
route_cmp(const void *a, const void *b)
{
	const struct cli_route *x = a, *y = b;

	if (x->prefix != y->prefix)
		return x->prefix < y->prefix ? -1 : 1;
	return (int)x->len - (int)y->len;
}

/* The table's best routes, sorted; -1 after the error is said. */
static int
get_routes(const struct cli_call *c, struct cli_route_table *t)
{
	unsigned int i, n = 0;
	int rc;

	rc = c->s->ops->routes(c->s->ctx, t);
	if (rc < 0) {
		cli_err_op(c, "show ip route", rc, NULL);
		return -1;
	}
	for (i = 0; i < t->n; i++)
		if (t->v[i].best)
			t->v[n++] = t->v[i];
	t->n = n;
	if (n > 0)
		qsort(t->v, t->n, sizeof(t->v[0]), route_cmp);
	return 0;
}

/* The classful length of a (A /8, B /16, C /24, others /32). */
static uint8_t
major_len(uint32_t a)
{
	return a < 0x80000000u ? 8 : a < 0xc0000000u ? 16 :
		a < 0xe0000000u ? 24 : 32;
}

static uint32_t
major_of(uint32_t a)
{
	return a & (uint32_t)(~0ull << (32 - major_len(a)));
}

/* A subnet (or the network itself) of a classful network. */
static bool
in_major(const struct cli_route *r)
{
	return r->len >= major_len(r->prefix);
}

static bool
same_major(const struct cli_route *x, const struct cli_route *y)
{
	return in_major(x) && in_major(y) &&
		major_of(x->prefix) == major_of(y->prefix);
}

/*
 * IOS's line above the routes of one classful network (sorted, from
 * t->v[i]): "10.0.0.0/8 is variably subnetted, 3 subnets, 2 masks", or
 * "10.0.0.0/24 is subnetted, 2 subnets" when they share one mask; none
 * for the network alone or a supernet.
 */
static void
major_header(const struct cli_call *c, const struct cli_route_table *t,
	     unsigned int i)
{
	const struct cli_route *r = &t->v[i];
	bool masks[33] = { false };
	unsigned int j, n = 0, m = 0;
	char a[CLI_IP_STRLEN];

	if (!in_major(r))
		return;
	for (j = i; j < t->n && (j == i || same_major(&t->v[i], &t->v[j]));
	     j++) {
		n++;
		if (!masks[t->v[j].len])
			m++;
		masks[t->v[j].len] = true;
	}
	if (n == 1 && r->len == major_len(r->prefix))
		return;
	if (m == 1)
		cli_out(c, "      %s/%u is subnetted, %u subnets",
			cli_ip(major_of(r->prefix), a), r->len, n);
	else
		cli_out(c, "      %s/%u is variably subnetted, %u subnets, %u masks",
			cli_ip(major_of(r->prefix), a),
			major_len(r->prefix), n, m);
}

static int
show_one(const struct cli_call *c, const struct cli_route_table *t,
	 uint32_t addr)
{
	char a[CLI_IP_STRLEN], g[CLI_IP_STRLEN];
	const struct cli_route *r = NULL;
	unsigned int i;

	for (i = 0; i < t->n; i++) {
		uint32_t m = t->v[i].len == 0 ? 0 :
			(uint32_t)(~0ull << (32 - t->v[i].len));

		if ((addr & m) == t->v[i].prefix &&
		    (r == NULL || t->v[i].len > r->len))
			r = &t->v[i];
	}
	if (r == NULL) {
		cli_out(c, "%% Network not in table");
		return CLI_OK;
	}
	cli_out(c, "Routing entry for %s/%u", cli_ip(r->prefix, a), r->len);
	cli_out(c, "  Known via \"%s\", distance %u, metric %u%s", r->via,
		r->distance, r->metric, r->gateway == 0 ?
		" (connected, via interface)" : "");
	if (r->tag != 0)
		cli_out(c, "  Tag %u%s", r->tag, r->type == CLI_ROUTE_RRI ?
			", type reverse-route" : "");
	cli_out(c, "  Routing Descriptor Blocks:");
	if (r->gateway == 0)
		cli_out(c, "  * directly connected, via %s", r->iface);
	else
		cli_out(c, "  * %s, via %s", cli_ip(r->gateway, g), r->iface);
	cli_out(c, "      Route metric is %u, traffic share count is 1",
		r->metric);
	if (r->tag != 0)
		cli_out(c, "      Route tag %u", r->tag);
	return CLI_OK;
}

static int
show_route(const struct cli_call *c)
{
	struct cli_route_table t = { 0 };
	char a[CLI_IP_STRLEN], g[CLI_IP_STRLEN];
	const struct cli_route *def = NULL;
	struct in_addr in;
	unsigned int i;
	int rc;

	if (c->argc == 1 && inet_pton(AF_INET, c->argv[0], &in) != 1) {
		cli_err_arg(c, 0);
		return CLI_ERROR;
	}
	if (get_routes(c, &t) < 0)
		return CLI_ERROR;
	if (c->argc == 1) {
		rc = show_one(c, &t, ntohl(in.s_addr));
		cli_table_free(&t);
		return rc;
	}
	for (i = 0; i < t.n; i++)
		if (t.v[i].len == 0)
			def = &t.v[i];
	cli_out(c, "Codes: L - local, C - connected, S - static, B - BGP, O - OSPF");
	cli_out(c, "       K - kernel, * - candidate default");
	cli_out(c, "%s", "");
	if (def == NULL)
		cli_out(c, "Gateway of last resort is not set");
	else
		cli_out(c, "Gateway of last resort is %s to network 0.0.0.0",
			cli_ip(def->gateway, g));
	cli_out(c, "%s", "");
	for (i = 0; i < t.n; i++) {
		const struct cli_route *r = &t.v[i];
		char cd[3] = { code[r->type], r->len == 0 ? '*' : ' ', '\0' };

		if (i == 0 || !same_major(&t.v[i - 1], r))
			major_header(c, &t, i);
		if (r->gateway == 0)
			cli_out(c, "%s       %s/%u is directly connected, %s",
				cd, cli_ip(r->prefix, a), r->len, r->iface);
		else
			cli_out(c, "%s       %s/%u [%u/%u] via %s, %s", cd,
				cli_ip(r->prefix, a), r->len, r->distance,
				r->metric, cli_ip(r->gateway, g), r->iface);
	}
	cli_table_free(&t);
	return CLI_OK;
}

static int
show_crypto_route(const struct cli_call *c)
{
	struct cli_route_table t = { 0 };
	char a[CLI_IP_STRLEN], m[CLI_IP_STRLEN], g[CLI_IP_STRLEN];
	unsigned int i;
	int rc;

	if (c->s->ops->crypto_routes != NULL) {
		rc = c->s->ops->crypto_routes(c->s->ctx, &t);
		if (rc < 0) {
			cli_err_op(c, "show crypto route", rc, NULL);
			return CLI_ERROR;
		}
	}
	if (t.n > 0)
		qsort(t.v, t.n, sizeof(t.v[0]), route_cmp);
	cli_out(c, "VPN Routing Table: Shows RRI and VTI created routes");
	cli_out(c, "Codes: RRI - Reverse-Route, VTI- Virtual Tunnel Interface");
	cli_out(c, "        S - Static Map ACLs");
	cli_out(c, "%s", "");
	cli_out(c, "Routes created in table GLOBAL DEFAULT");
	for (i = 0; i < t.n; i++) {
		const struct cli_route *r = &t.v[i];

		cli_out(c, "%s/%s [%u/%u] via %s tag %u", cli_ip(r->prefix, a),
			cli_mask(r->len, m), r->distance, r->metric,
			cli_ip(r->gateway, g), r->tag);
		cli_out(c, "                                on %s RRI S%s",
			r->iface, r->in_kernel ? "" : " (not in the kernel)");
	}
	cli_table_free(&t);
	return CLI_OK;
}

static const struct cli_cmd route_cmds[] = {
	{ "show ip route", "IP routing table", show_route, CLI_PRIV_USER,
	  CLI_MODE_EXEC, 0, 1, "A.B.C.D" },
	{ "show crypto route", "Routes created by reverse route injection",
	  show_crypto_route, CLI_PRIV_USER, CLI_MODE_EXEC, 0, 0, NULL },
};

int
cli_route_register(struct cli_sess *s)
{
	return cli_cmds_register(s, route_cmds,
				 sizeof(route_cmds) / sizeof(route_cmds[0]));
}
