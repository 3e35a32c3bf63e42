/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The configuration's IPv6 static routes (IOS "ipv6 route", conf
 * routes6) into the fast path's FIB6 (issue 18). The connected prefixes
 * of the interfaces' IPv6 addresses the fast path adds itself
 * (dp_tables6.c). The IPv4 RIB (lib/net/net_rib.c) does not carry IPv6:
 * these go straight to the fast path, at start. And the IPv6 bypass and
 * discard rules of crypto map entries, for the fast path's SPD6.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "dp.h"
#include "install_v6.h"

int
install_v6_routes(const struct conf *c, char *err, size_t errlen)
{
	const struct conf_route *r;
	unsigned int i, port;
	int rc;

	for (i = 0; i < c->n_routes6; i++) {
		r = &c->routes6[i];
		for (port = 0; port < c->n_ifaces; port++)
			if (strcmp(c->ifaces[port].name, r->iface) == 0)
				break;
		if (port == c->n_ifaces) {
			snprintf(err, errlen,
				 "%s:%d: ipv6 route via unknown interface '%s'",
				 c->path, r->line, r->iface);
			return -EINVAL;
		}
		rc = dp_route6_add(r->to.addr.v6, r->to.len,
				   r->via.family == TW_AF_INET6 ?
				   r->via.v6 : NULL, (uint16_t)port);
		if (rc < 0) {
			snprintf(err, errlen, "%s:%d: ipv6 route: %s",
				 c->path, r->line, strerror(-rc));
			return rc;
		}
	}
	return 0;
}

/*
 * RFC 4301 4.4.1: the entry's IPv6 match rules of action bypass and
 * discard as policies of IPv6 selectors, ranked after its IPv4 rules
 * (protect is refused by install_v6_check() until IPv6 tunnels are
 * carried). Returns how many were written to pol (room for max).
 */
unsigned int
install_v6_policies(const struct conf_map_entry *e,
		    const struct install_v6_bind *b, struct dp_policy *pol,
		    unsigned int max)
{
	const struct conf_match *m;
	unsigned int k, n = 0;

	for (k = 0; k < e->n_matches6 && n < max; k++) {
		m = &e->matches6[k];
		memset(&pol[n], 0, sizeof(pol[n]));
		pol[n].sel.family = 6;
		memcpy(pol[n].sel.src6, m->src_net.addr.v6, 16);
		memcpy(pol[n].sel.dst6, m->dst_net.addr.v6, 16);
		pol[n].sel.src_len = m->src_net.len;
		pol[n].sel.dst_len = m->dst_net.len;
		pol[n].sel.proto = m->proto;
		pol[n].sel.sport_lo = m->sport_lo;
		pol[n].sel.sport_hi = m->sport_hi;
		pol[n].sel.dport_lo = m->dport_lo;
		pol[n].sel.dport_hi = m->dport_hi;
		pol[n].action = m->action;
		/*
		 * Protect: bound to the entry's SA; held, discard (never
		 * clear); an ipsec-isakmp entry's without an SA stay
		 * protect (no-out-sa drops, maybe an ACQUIRE) until IKE
		 * binds one (dp_spd_rebind()).
		 */
		if (m->action == CONF_POLICY_PROTECT) {
			if (b->held)
				pol[n].action = CONF_POLICY_DISCARD;
			else if (b->sa != NULL)
				pol[n].sa = b->sa;
			else
				pol[n].acquire = b->acquire;
		}
		pol[n].bind = b->bind;
		/* after the IPv4 rules of its entry: crypto map seq order */
		pol[n].priority = e->seq * 256u + e->n_matches + k;
		n++;
	}
	return n;
}
