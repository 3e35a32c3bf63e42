/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IPv6 in ipsec-manual crypto map entries (issue 18): an IPv6 peer (the
 * outer from the interface's IPv6 HSRP global VIP, else its first IPv6
 * address) and IPv6 protect
 * rules (the SA's selectors, inner family 6), carried end to end by the
 * fast path (dp_esp6.c, dp_fwd.c). Still refused by name and file:line,
 * at start and on reload, rather than installed half: UDP encapsulation
 * with an IPv6 peer (RFC 3948 is IPv4 only here), and protect rules of
 * both families in one entry (an SA carries one).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "install_v6.h"

static unsigned int n_protect(const struct conf_match *m, unsigned int n);

int
install_v6_check(const struct conf *c, char *err, size_t errlen)
{
	const struct conf_map_entry *e;
	unsigned int i, j;

	for (i = 0; i < c->n_crypto_maps; i++)
		for (j = 0; j < c->crypto_maps[i].n_entries; j++) {
			e = &c->crypto_maps[i].entries[j];
			if (e->type != CONF_MAP_IPSEC_MANUAL ||
			    e->peer_addr.family != TW_AF_INET6 ||
			    !e->udp_encap)
				continue;
			snprintf(err, errlen,
				 "%s:%d: crypto map %s seq %u: UDP encapsulation with an IPv6 peer is not carried by the fast path",
				 c->path, e->line, c->crypto_maps[i].name,
				 e->seq);
			return -ENOTSUP;
		}
	return 0;
}

/* The first IPv6 address of the (first) interface map is bound to. */
static const struct conf_iface *
map_iface(const struct conf *c, const struct conf_crypto_map *map)
{
	unsigned int i;

	for (i = 0; i < c->n_ifaces; i++)
		if (strcmp(c->ifaces[i].crypto_map, map->name) == 0)
			return &c->ifaces[i];
	return NULL;
}

/* Rule m as a selector, mirrored (remote -> local) for inbound. */
static void
sel6_from_match(const struct conf_match *m, bool reverse,
		struct sadb_selector *s)
{
	const struct tw_prefix *src = reverse ? &m->dst_net : &m->src_net;
	const struct tw_prefix *dst = reverse ? &m->src_net : &m->dst_net;

	memset(s, 0, sizeof(*s));
	s->family = TW_AF_INET6;
	memcpy(s->src6, src->addr.v6, sizeof(s->src6));
	memcpy(s->dst6, dst->addr.v6, sizeof(s->dst6));
	s->src_len = src->len;
	s->dst_len = dst->len;
	s->proto = m->proto;
	s->sport_lo = reverse ? m->dport_lo : m->sport_lo;
	s->sport_hi = reverse ? m->dport_hi : m->sport_hi;
	s->dport_lo = reverse ? m->sport_lo : m->dport_lo;
	s->dport_hi = reverse ? m->sport_hi : m->dport_hi;
}

static unsigned int
n_protect(const struct conf_match *m, unsigned int n)
{
	unsigned int i, k = 0;

	for (i = 0; i < n; i++)
		k += m[i].action == CONF_POLICY_PROTECT;
	return k;
}

int
install_v6_params(const struct conf *c, const struct conf_crypto_map *map,
		  const struct conf_map_entry *e, enum sadb_dir dir,
		  struct sadb_sa_params *p, char *err, size_t errlen)
{
	const struct conf_iface *ifc;
	const struct conf_match *m;
	struct tw_addr local;
	unsigned int i, n6;

	if (e->peer_addr.family == TW_AF_INET6) {
		ifc = map_iface(c, map);
		/*
		 * With an IPv6 standby group on the interface the tunnel
		 * endpoint is its global VIP, as an IPv4 peer's is the IPv4
		 * group's (conf_iface_endpoint()): it moves with the Active
		 * twin, and the fast path takes ESP to it only while ours.
		 */
		if (ifc != NULL &&
		    conf_iface_endpoint6(c, (unsigned int)(ifc - c->ifaces),
					 &local)) {
			sadb_sa_set_endpoints(p, &local, &e->peer_addr);
		} else if (ifc == NULL || ifc->n_addr6 == 0) {
			snprintf(err, errlen,
				 "%s:%d: crypto map %s seq %u: IPv6 peer, but interface %s has no IPv6 address to send from",
				 c->path, e->line, map->name, e->seq,
				 ifc != NULL ? ifc->name : "(none)");
			return -EINVAL;
		} else {
			local = ifc->addr6[0].addr;
			sadb_sa_set_endpoints(p, &local, &e->peer_addr);
		}
	}
	n6 = n_protect(e->matches6, e->n_matches6);
	if (n6 == 0)
		return 0;
	if (n_protect(e->matches, e->n_matches) != 0) {
		snprintf(err, errlen,
			 "%s:%d: crypto map %s seq %u: protect rules of both families; an SA carries one (split the entry)",
			 c->path, e->line, map->name, e->seq);
		return -EINVAL;
	}
	if (n6 > SADB_MAX_SELECTORS) {
		snprintf(err, errlen,
			 "%s:%d: crypto map %s seq %u: at most %u protect match rules per entry",
			 c->path, e->line, map->name, e->seq,
			 SADB_MAX_SELECTORS);
		return -EINVAL;
	}
	p->inner_family = TW_AF_INET6;
	p->n_sel = 0;
	for (i = 0; i < e->n_matches6; i++) {
		m = &e->matches6[i];
		if (m->action != CONF_POLICY_PROTECT)
			continue;
		sel6_from_match(m, dir == SADB_DIR_IN, &p->sel[p->n_sel++]);
	}
	return 0;
}
