/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The RIB as plain data for the console (lib/cli formats it): show ip
 * route [A.B.C.D], show crypto route.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "dp.h"
#include "route.h"

static enum cli_route_type
type_of(enum rib_source s)
{
	switch (s) {
	case RIB_CONNECTED:
		return CLI_ROUTE_CONNECTED;
	case RIB_STATIC:
		return CLI_ROUTE_STATIC;
	case RIB_RRI:
		return CLI_ROUTE_RRI;
	case RIB_EBGP:
	case RIB_IBGP:
		return CLI_ROUTE_BGP;
	case RIB_OSPF:
		return CLI_ROUTE_OSPF;
	default:
		return CLI_ROUTE_KERNEL;
	}
}

static void
fill(struct cli_route *o, const struct rib_route *r, bool best)
{
	const struct dp_port_params *pp = dp_port(r->port);

	*o = (struct cli_route){
		.type = type_of(r->src), .prefix = r->prefix, .len = r->len,
		.gateway = r->gw, .distance = r->distance,
		.metric = r->metric, .tag = r->tag, .best = best,
	};
	snprintf(o->iface, sizeof(o->iface), "%s",
		 pp != NULL && pp->name != NULL ? pp->name : "?");
	snprintf(o->via, sizeof(o->via), "%s", rib_source_name(r->src));
	if (r->src == RIB_RRI)
		o->in_kernel = route_rri_kernel(r->prefix, r->len);
}

int
route_cli_routes(struct cli_route_table *t)
{
	const struct rib *rib = route_rib();
	unsigned int i, n = 0, np = dp_n_ports();

	t->n = 0;
	t->v = calloc((rib != NULL ? rib_count(rib) : 0) + np + 1,
		      sizeof(t->v[0]));
	if (t->v == NULL)
		return -ENOMEM;
	for (i = 0; rib != NULL && i < rib_count(rib); i++)
		fill(&t->v[n++], rib_at(rib, i), rib_is_best(rib, i));
	for (i = 0; i < np; i++) {
		const struct dp_port_params *pp = dp_port((uint16_t)i);

		if (pp->addr == 0)
			continue;
		t->v[n] = (struct cli_route){ .type = CLI_ROUTE_LOCAL,
			.prefix = pp->addr, .len = 32, .best = true };
		snprintf(t->v[n].iface, CLI_NAME_MAX, "%s", pp->name);
		snprintf(t->v[n++].via, sizeof(t->v[0].via), "connected");
	}
	t->n = n;
	return 0;
}

int
route_cli_crypto(struct cli_route_table *t)
{
	const struct rib *rib = route_rib();
	unsigned int i, n = 0;

	t->n = 0;
	t->v = calloc((rib != NULL ? rib_count(rib) : 0) + 1,
		      sizeof(t->v[0]));
	if (t->v == NULL)
		return -ENOMEM;
	for (i = 0; rib != NULL && i < rib_count(rib); i++)
		if (rib_at(rib, i)->src == RIB_RRI)
			fill(&t->v[n++], rib_at(rib, i), rib_is_best(rib, i));
	t->n = n;
	return 0;
}
