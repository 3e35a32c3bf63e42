/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What of IPv6 the configuration may hold but the fast path does not
 * carry yet (issue 18): ipsec-manual entries with an IPv6 peer or IPv6
 * selectors, and IPv6 static routes. They are refused by name and
 * file:line at start and on reload, rather than installed half: an SA
 * database entry with peer 0.0.0.0, or IPv6 selectors silently absent
 * from the SPD (their traffic would leave in clear under the default
 * policy).
 */
#include <stdio.h>
#include <errno.h>

#include "install.h"

int
install_v6_check(const struct conf *c, char *err, size_t errlen)
{
	const struct conf_map_entry *e;
	unsigned int i, j;

	for (i = 0; i < c->n_crypto_maps; i++)
		for (j = 0; j < c->crypto_maps[i].n_entries; j++) {
			e = &c->crypto_maps[i].entries[j];
			if (e->peer_addr.family != TW_AF_INET6 &&
			    e->n_matches6 == 0)
				continue;
			snprintf(err, errlen,
				 "%s:%d: crypto map %s seq %u: %s are not carried by the fast path yet",
				 c->path, e->line, c->crypto_maps[i].name,
				 e->seq, e->n_matches6 != 0 ?
				 "IPv6 match rules" : "IPv6 peers");
			return -ENOTSUP;
		}
	if (c->n_routes6 != 0) {
		snprintf(err, errlen,
			 "%s:%d: IPv6 routes are not carried by the fast path yet",
			 c->path, c->routes6[0].line);
		return -ENOTSUP;
	}
	return 0;
}
