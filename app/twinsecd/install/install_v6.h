/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef INSTALL_V6_H
#define INSTALL_V6_H

/*
 * IPv6 of the ipsec-manual entries (issue 18), apart from install.c so
 * that it needs only lib/conf and lib/sadb (tests/unit/test_install6.c).
 */

#include <stddef.h>

#include "conf.h"
#include "sadb.h"

/*
 * -ENOTSUP with "file:line: ..." in err when c holds IPv6 the fast path
 * does not carry yet; 0 otherwise.
 */
int install_v6_check(const struct conf *c, char *err, size_t errlen);

/*
 * The IPv6 part of the SA of direction dir of entry e of map, over p as
 * install.c filled it for IPv4: an IPv6 peer makes the endpoints IPv6
 * (ours: the first IPv6 address of the interface the map is bound to),
 * IPv6 match rules make the SA's traffic IPv6 (its selectors the entry's
 * protect rules of matches6, mirrored inbound). An entry with protect
 * rules of both families, an IPv6 peer without an IPv6 address to send
 * from, or more than SADB_MAX_SELECTORS rules: -EINVAL, err says
 * "file:line: ...". Nothing to do for an IPv4-only entry.
 */
int install_v6_params(const struct conf *c, const struct conf_crypto_map *map,
		      const struct conf_map_entry *e, enum sadb_dir dir,
		      struct sadb_sa_params *p, char *err, size_t errlen);

/*
 * The IPv6 static routes of c into the fast path (install_routes6.c, which
 * needs the fast path: not in the unit test). -EINVAL with file:line.
 */
int install_v6_routes(const struct conf *c, char *err, size_t errlen);

struct dp_policy;
struct dp_sa;
/*
 * How entry e's IPv6 protect rules are bound: to outbound SA sa (NULL:
 * none); with held (a standby twin, or an ipsec-manual entry without its
 * SA) discarded, never sent in clear. An ipsec-isakmp entry's rules carry
 * its binding bind (dp_spd_rebind()) and, without an SA, drop as
 * no-out-sa raising ACQUIRE acquire.
 */
struct install_v6_bind {
	struct dp_sa *sa;
	bool held;
	uint32_t bind;
	uint32_t acquire;
};
/*
 * Entry e's IPv6 match rules as dp_policy's of family 6 into pol (at
 * most max), protect ones bound as b says; how many
 * (install_routes6.c).
 */
unsigned int install_v6_policies(const struct conf_map_entry *e,
				 const struct install_v6_bind *b,
				 struct dp_policy *pol, unsigned int max);

#endif /* INSTALL_V6_H */
