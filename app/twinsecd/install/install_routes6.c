/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The configuration's IPv6 static routes (IOS "ipv6 route", conf
 * routes6) into the fast path's FIB6 (issue 18). The connected prefixes
 * of the interfaces' IPv6 addresses the fast path adds itself
 * (dp_tables6.c). The IPv4 RIB (lib/net/net_rib.c) does not carry IPv6:
 * these go straight to the fast path, at start.
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
