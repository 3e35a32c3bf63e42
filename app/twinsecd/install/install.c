/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>

#include "install.h"
#include "route.h"
#include "net_ip.h"
#include "dp_sadb.h"
#include "tw_idx.h"
#include "tw_log.h"

#define ENTRY_KEY(map, seq) ((uint64_t)(map) << 32 | (seq))
#define POLICY_PRIO(seq, i) ((uint32_t)(seq) * 256u + (uint32_t)(i))

/*
 * What the SPD protects each crypto map entry with, as pushed by whoever
 * negotiates its SAs (install_spd_bind()): one binding per entry of every
 * crypto map. Slots are the entries map by map in config order (first[m]
 * is map m's first); slot[k] is the binding (the handle the IKE glue
 * holds) of slot k. A reload lays the slots out again for the new config
 * and keeps each surviving entry's handle, so that handles stay valid.
 */
struct install_binding {
	/* Per inner family (INSTALL_INNER_*): the IPv4 rules' SA, the IPv6
	 * rules' SA. */
	struct {
		uint32_t spi_out;    /* the outbound SA (spi, peer), 0: none */
		struct tw_addr peer; /* either family */
		uint32_t used;       /* spi_out as the last install_spd() */
	} f[INSTALL_INNER_N];
	uint32_t acquire_id;         /* while none: the ACQUIRE to send */
};

/* The dp_policy.bind of handle h's rules of inner family f. */
static uint32_t
bind_id(unsigned int h, unsigned int f)
{
	return (uint32_t)h * INSTALL_INNER_N + f + 1;
}

static struct install_state {
	const struct conf *conf;
	struct install_binding *b;   /* [n_b], by handle */
	unsigned int n_b;
	unsigned int *slot;          /* [n]: the handle of each slot */
	unsigned int *first;         /* [n_crypto_maps] */
	unsigned int n;
	struct tw_idx idx;           /* slots by (map index, seq) */
	/* During a reload: manual entries whose SAs are not in yet. */
	const struct install_entry_ref *pending;
	unsigned int n_pending;
} inst;

static double
ms_since(uint64_t t0)
{
	return (double)(rte_get_timer_cycles() - t0) * 1e3 /
		(double)rte_get_timer_hz();
}

int
install_dp_params(const struct conf *c, unsigned int n_workers,
		  struct dp_params *p, char *err, size_t errlen)
{
	const struct conf_crypto_map *map;
	const struct conf_transform_set *ts;
	unsigned int i, j;

	memset(p, 0, sizeof(*p));
	if (c->n_ifaces > DP_MAX_PORTS) {
		snprintf(err, errlen, "%s: %u interfaces, at most %u",
			 c->path, c->n_ifaces, DP_MAX_PORTS);
		return -EINVAL;
	}
	p->n_workers = n_workers;
	p->mbufs = c->dataplane.mbufs;
	p->burst = c->dataplane.burst;
	p->poll_mode = c->dataplane.poll_mode;
	p->crypto_device = c->dataplane.crypto_device;
	p->crypto_mode = c->dataplane.crypto_mode;
	p->max_sas = c->dataplane.max_sas;
	p->default_policy = c->dataplane.default_policy;
	for (i = 0; i < c->n_ifaces; i++) {
		p->ports[i] = (struct dp_port_params){
			.name = c->ifaces[i].name,
			.device = c->ifaces[i].device,
			.role = c->ifaces[i].role,
			.addr = c->ifaces[i].addr,
			.prefix_len = c->ifaces[i].prefix_len,
			.mtu = c->ifaces[i].mtu,
			.cp_name = c->ifaces[i].control_plane ?
				c->ifaces[i].cp_name : NULL,
		};
		for (j = 0; j < c->ifaces[i].n_addr6 && j < DP_MAX_ADDR6; j++)
			p->ports[i].addr6[p->ports[i].n_addr6++] =
				c->ifaces[i].addr6[j];
	}
	p->n_ports = c->n_ifaces;
	/* A device the EAL does not have is a config error: say where. */
	for (i = 0; i < c->n_ifaces; i++) {
		uint16_t pid;

		if (rte_eth_dev_get_port_by_name(c->ifaces[i].device, &pid) != 0) {
			snprintf(err, errlen,
				 "%s:%d: interface '%s': DPDK port '%s' not found (pass --vdev %s,... or -a on the EAL command line)",
				 c->path, c->ifaces[i].line, c->ifaces[i].name,
				 c->ifaces[i].device, c->ifaces[i].device);
			return -ENODEV;
		}
	}
	/* The crypto device must do what the crypto maps use. */
	for (i = 0; i < c->n_crypto_maps; i++) {
		map = &c->crypto_maps[i];
		if (map->dscp_set) {
			if (p->n_map_dscp == DP_MAX_MAP_DSCP) {
				snprintf(err, errlen,
					 "%s:%d: crypto map '%s': at most %u crypto maps may set dscp",
					 c->path, map->line, map->name,
					 DP_MAX_MAP_DSCP);
				return -EINVAL;
			}
			snprintf(p->map_dscp[p->n_map_dscp].map,
				 sizeof(p->map_dscp[0].map), "%s", map->name);
			p->map_dscp[p->n_map_dscp++].dscp = map->dscp;
		}
		for (j = 0; j < map->n_entries; j++) {
			ts = &c->transform_sets[map->entries[j].transform_set];
			p->crypto_algos |= DP_CRYPTO_ALGO_CIPHER(ts->cipher);
			if (ts->integ != CONF_INTEG_NONE)
				p->crypto_algos |= DP_CRYPTO_ALGO_INTEG(ts->integ);
		}
	}
	return 0;
}

/* Connected subnets and static routes into the RIB (route/). */
static int
install_routes(const struct conf *c, char *err, size_t errlen)
{
	const struct conf_route *r;
	struct rib_route rr;
	unsigned int i, port;
	int rc;

	for (i = 0; i < c->n_ifaces; i++) {
		rr = (struct rib_route){
			.prefix = c->ifaces[i].addr,
			.len = c->ifaces[i].prefix_len, .src = RIB_CONNECTED,
			.distance = rib_source_distance(RIB_CONNECTED),
			.port = (uint16_t)i,
		};
		rc = route_add(&rr);
		if (rc < 0) {
			snprintf(err, errlen, "%s:%d: connected route of %s: %s",
				 c->path, c->ifaces[i].line, c->ifaces[i].name,
				 strerror(-rc));
			return rc;
		}
	}
	for (i = 0; i < c->n_routes; i++) {
		r = &c->routes[i];
		for (port = 0; port < c->n_ifaces; port++)
			if (strcmp(c->ifaces[port].name, r->iface) == 0)
				break;
		if (port == c->n_ifaces) {
			snprintf(err, errlen, "%s:%d: route via unknown interface '%s'",
				 c->path, r->line, r->iface);
			return -EINVAL;
		}
		rr = (struct rib_route){
			.prefix = r->dst.addr, .len = r->dst.len,
			.src = RIB_STATIC,
			.distance = rib_source_distance(RIB_STATIC),
			.gw = r->gateway, .port = (uint16_t)port,
		};
		rc = route_add(&rr);
		if (rc < 0) {
			snprintf(err, errlen, "%s:%d: route: %s", c->path,
				 r->line, strerror(-rc));
			return rc;
		}
	}
	return 0;
}

static void
sel_from_match(const struct conf_match *m, bool reverse,
	       struct sadb_selector *s)
{
	s->proto = m->proto;
	if (!reverse) {
		s->src_addr = m->src.addr;
		s->src_len = m->src.len;
		s->dst_addr = m->dst.addr;
		s->dst_len = m->dst.len;
		s->sport_lo = m->sport_lo;
		s->sport_hi = m->sport_hi;
		s->dport_lo = m->dport_lo;
		s->dport_hi = m->dport_hi;
	} else {
		s->src_addr = m->dst.addr;
		s->src_len = m->dst.len;
		s->dst_addr = m->src.addr;
		s->dst_len = m->src.len;
		s->sport_lo = m->dport_lo;
		s->sport_hi = m->dport_hi;
		s->dport_lo = m->sport_lo;
		s->dport_hi = m->sport_hi;
	}
}

static void
sa_params_common(const struct conf *c, const struct conf_crypto_map *map,
		 const struct conf_map_entry *e, uint32_t local,
		 const struct conf_session_key *k, enum sadb_dir dir,
		 struct sadb_sa_params *p)
{
	const struct conf_transform_set *ts = &c->transform_sets[e->transform_set];
	unsigned int i;

	memset(p, 0, sizeof(*p));
	p->spi = k->spi;
	p->dir = dir;
	p->origin = SADB_ORIGIN_MANUAL;
	p->cipher = ts->cipher;
	p->integ = ts->integ;
	memcpy(p->cipher_key, k->cipher_key, k->cipher_key_len);
	p->cipher_key_len = k->cipher_key_len;
	memcpy(p->auth_key, k->auth_key, k->auth_key_len);
	p->auth_key_len = k->auth_key_len;
	p->local_addr = local;
	p->peer_addr = e->peer;
	p->udp_encap = e->udp_encap;
	p->udp_local_port = e->udp_sport;
	p->udp_peer_port = e->udp_dport;
	p->replay_window = e->replay_window;
	p->esn = e->esn;
	p->seq = 0;
	p->replay_interval = dir == SADB_DIR_IN ? map->replay_interval_in :
		map->replay_interval_out;
	snprintf(p->map, sizeof(p->map), "%s", map->name);
	p->map_seq = e->seq;
	for (i = 0; i < e->n_matches; i++) {
		if (e->matches[i].action != CONF_POLICY_PROTECT)
			continue;
		sel_from_match(&e->matches[i], dir == SADB_DIR_IN,
			       &p->sel[p->n_sel++]);
	}
}

static int
install_sa(struct ctl *ctl, const struct sadb_sa_params *p, int line,
	   struct sadb_sa **out, char *err, size_t errlen)
{
	const struct conf *c = ctl->conf;
	char why[256];
	int rc;

	rc = sadb_sa_add(ctl->sadb, p, ctl_now(), out, why, sizeof(why));
	if (rc < 0) {
		snprintf(err, errlen, "%s:%d: SA 0x%x: %s", c->path, line,
			 p->spi, why);
		return rc;
	}
	install_marks_bind(*out);
	/*
	 * With redundancy configured only the active twin carries SAs: they
	 * are held decoupled until the scheme group makes us active
	 * (ha/ha_takeover.c installs them then, sequence numbers jumped).
	 */
	if (c->redundancy.enabled)
		return sadb_sa_set_state(ctl->sadb, *out, SADB_SA_DECOUPLED,
					 "config, redundancy: held until active");
	rc = sadb_sa_set_state(ctl->sadb, *out, SADB_SA_INSTALLED, "config");
	if (rc < 0) {
		snprintf(err, errlen, "%s:%d: SA 0x%x: cannot install it in the fast path (see the log above)",
			 c->path, line, p->spi);
		return rc;
	}
	return 0;
}

/*
 * A manual SA's persisted start (install_marks.c: 0 without persistence
 * or record); a key whose 32-bit space is spent is a config error.
 */
static int
seed(struct sadb_sa_params *p, const struct conf *c, int line, char *err,
     size_t errlen)
{
	uint64_t s = install_marks_seed(p);

	if (s == UINT64_MAX) {
		snprintf(err, errlen, "%s:%d: SA 0x%x: its sequence numbers are spent (persisted mark near 2^32, no ESN): configure a new key",
			 c->path, line, p->spi);
		return -ERANGE;
	}
	p->seq = s;
	return 0;
}

static unsigned int
count_protect(const struct conf_map_entry *e)
{
	unsigned int i, n = 0;

	for (i = 0; i < e->n_matches; i++)
		n += e->matches[i].action == CONF_POLICY_PROTECT;
	return n;
}

/* Both SAs of ipsec-manual entry e of map, recorded and installed. */
static int
install_entry(struct ctl *ctl, const struct conf_crypto_map *map,
	      const struct conf_map_entry *e, uint32_t local, char *err,
	      size_t errlen)
{
	const struct conf *c = ctl->conf;
	struct sadb_sa_params p;
	struct sadb_sa *in, *out;
	int rc;

	if (count_protect(e) > SADB_MAX_SELECTORS) {
		snprintf(err, errlen, "%s:%d: crypto map %s seq %u: at most %u protect match rules per entry",
			 c->path, e->line, map->name, e->seq,
			 SADB_MAX_SELECTORS);
		return -EINVAL;
	}
	sa_params_common(c, map, e, local, &e->inbound, SADB_DIR_IN, &p);
	rc = install_v6_params(c, map, e, SADB_DIR_IN, &p, err, errlen);
	if (rc == 0)
		rc = seed(&p, c, e->inbound.line, err, errlen);
	if (rc == 0)
		rc = install_sa(ctl, &p, e->inbound.line, &in, err, errlen);
	if (rc < 0)
		return rc;
	sa_params_common(c, map, e, local, &e->outbound, SADB_DIR_OUT, &p);
	rc = install_v6_params(c, map, e, SADB_DIR_OUT, &p, err, errlen);
	if (rc == 0)
		rc = seed(&p, c, e->outbound.line, err, errlen);
	if (rc == 0)
		rc = install_marks_commit(err, errlen);
	if (rc == 0)
		rc = install_sa(ctl, &p, e->outbound.line, &out, err, errlen);
	if (rc < 0)
		return rc;
	/* Per entry at DEBUG: install_config() logs the summary. */
	tw_log(TW_LOG_DEBUG, "install",
	       "crypto map %s seq %u: SAs in 0x%08x / out 0x%08x, %u policies%s",
	       map->name, e->seq, e->inbound.spi, e->outbound.spi,
	       e->n_matches, c->redundancy.enabled ?
	       " (SAs held decoupled until active)" : "");
	return 0;
}

static int
install_map(struct ctl *ctl, const struct conf_crypto_map *map,
	    uint32_t local, char *err, size_t errlen)
{
	unsigned int j;
	int rc;

	for (j = 0; j < map->n_entries; j++) {
		if (map->entries[j].type != CONF_MAP_IPSEC_MANUAL)
			continue; /* IKE issue */
		rc = install_entry(ctl, map, &map->entries[j], local, err,
				   errlen);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* The crypto map bound to interface i, unless an earlier one has it. */
static const struct conf_crypto_map *
iface_map(const struct conf *c, unsigned int i)
{
	unsigned int j;

	if (c->ifaces[i].crypto_map[0] == '\0')
		return NULL;
	/* A map bound to two interfaces is installed once. */
	for (j = 0; j < i; j++)
		if (strcmp(c->ifaces[j].crypto_map,
			   c->ifaces[i].crypto_map) == 0)
			return NULL;
	return conf_crypto_map_find(c, c->ifaces[i].crypto_map);
}

/* The slot of entry (map m, seq) in the current layout, or -1. */
static int
slot_find(const struct conf *c, unsigned int m, uint32_t seq)
{
	uint32_t k, j;

	for (k = tw_idx_first(&inst.idx, ENTRY_KEY(m, seq)); k != TW_IDX_NONE;
	     k = tw_idx_next(&inst.idx, k)) {
		j = k - inst.first[m];
		if (k >= inst.first[m] && j < c->crypto_maps[m].n_entries &&
		    c->crypto_maps[m].entries[j].seq == seq)
			return (int)k;
	}
	return -1;
}

/*
 * Lay the slots out for c. The first time, handle = slot; after a reload
 * (inst.conf is the previous config, whose crypto maps c has in the same
 * order), an entry of both keeps its handle and a new one gets a new
 * handle (bindings are never freed before bindings_fini()).
 */
static int
bindings_init(const struct conf *c)
{
	const struct conf *prev = inst.conf;
	unsigned int m, j, n = 0, n_b, *first, *slot;
	struct install_binding *b;
	struct tw_idx idx;
	int k;

	if (prev == c)
		return 0;
	for (m = 0; m < c->n_crypto_maps; m++)
		n += c->crypto_maps[m].n_entries;
	first = calloc(c->n_crypto_maps + 1, sizeof(first[0]));
	slot = calloc(n + 1, sizeof(slot[0]));
	if (first == NULL || slot == NULL || tw_idx_init(&idx, n + 1, 0) < 0) {
		free(first);
		free(slot);
		return -ENOMEM;
	}
	n = 0;
	for (m = 0; m < c->n_crypto_maps; m++) {
		first[m] = n;
		n += c->crypto_maps[m].n_entries;
	}
	n_b = inst.n_b;
	for (m = 0; m < c->n_crypto_maps; m++)
		for (j = 0; j < c->crypto_maps[m].n_entries; j++) {
			k = prev != NULL && m < prev->n_crypto_maps ?
				slot_find(prev, m,
					  c->crypto_maps[m].entries[j].seq) :
				-1;
			slot[first[m] + j] = k >= 0 ? inst.slot[k] : n_b++;
		}
	b = realloc(inst.b, (n_b + 1) * sizeof(b[0]));
	if (b == NULL) {
		tw_idx_fini(&idx);
		free(first);
		free(slot);
		return -ENOMEM;
	}
	memset(b + inst.n_b, 0, (n_b + 1 - inst.n_b) * sizeof(b[0]));
	for (m = 0; m < c->n_crypto_maps; m++)
		for (j = 0; j < c->crypto_maps[m].n_entries; j++)
			tw_idx_set(&idx, first[m] + j, ENTRY_KEY(m,
				   c->crypto_maps[m].entries[j].seq));
	if (prev != NULL)
		tw_idx_fini(&inst.idx);
	free(inst.first);
	free(inst.slot);
	inst.b = b;
	inst.n_b = n_b;
	inst.first = first;
	inst.slot = slot;
	inst.idx = idx;
	inst.n = n;
	inst.conf = c;
	return 0;
}

static void
bindings_fini(void)
{
	if (inst.conf != NULL)
		tw_idx_fini(&inst.idx);
	free(inst.b);
	free(inst.slot);
	free(inst.first);
	memset(&inst, 0, sizeof(inst));
}

int
install_spd_entry(const struct conf *c, const char *map, uint32_t seq)
{
	unsigned int m;
	int k;

	if (bindings_init(c) < 0)
		return -ENOMEM;
	/* Few maps, maybe 100 000 entries: a hash for the entries. */
	for (m = 0; m < c->n_crypto_maps; m++) {
		if (strcmp(c->crypto_maps[m].name, map) != 0)
			continue;
		k = slot_find(c, m, seq);
		if (k >= 0)
			return (int)inst.slot[k];
	}
	return -ENOENT;
}

void
install_spd_bind(int h, unsigned int f, uint32_t spi_out,
		 const struct tw_addr *peer)
{
	if (h < 0 || (unsigned int)h >= inst.n_b || f >= INSTALL_INNER_N)
		return;
	inst.b[h].f[f].spi_out = spi_out;
	memset(&inst.b[h].f[f].peer, 0, sizeof(inst.b[h].f[f].peer));
	if (peer != NULL)
		inst.b[h].f[f].peer = *peer;
}

void
install_spd_bind_acquire(int h, uint32_t acquire_id)
{
	if (h >= 0 && (unsigned int)h < inst.n_b)
		inst.b[h].acquire_id = acquire_id;
}

uint32_t
install_spd_used(int h, unsigned int f)
{
	return h >= 0 && (unsigned int)h < inst.n_b && f < INSTALL_INNER_N ?
		inst.b[h].f[f].used : 0;
}

/* The entry's pushed outbound SA in the fast path, NULL while none. */
static struct dp_sa *
pushed_sa(struct ctl *ctl, const struct install_binding *b, unsigned int f)
{
	const struct sadb_sa *sa;

	if (b->f[f].spi_out == 0)
		return NULL;
	sa = sadb_sa_find_out_addr(ctl->sadb, b->f[f].spi_out, &b->f[f].peer);
	return sa != NULL ? dp_sadb_sa(sa) : NULL;
}

static struct dp_sa *
bound_sa(struct ctl *ctl, struct install_binding *b, unsigned int f)
{
	b->f[f].used = b->f[f].spi_out;
	return pushed_sa(ctl, b, f);
}

int
install_spd_rebind(struct ctl *ctl, int h, unsigned int f)
{
	struct install_binding *b;
	struct dp_sa *sa;
	int rc;

	if (h < 0 || (unsigned int)h >= inst.n_b || f >= INSTALL_INNER_N)
		return -EINVAL;
	b = &inst.b[h];
	sa = pushed_sa(ctl, b, f);
	rc = dp_spd_rebind(bind_id((unsigned int)h, f), sa,
			   sa == NULL ? b->acquire_id : 0);
	if (rc >= 0)
		b->f[f].used = b->f[f].spi_out;
	return rc;
}

/* A manual entry a reload has not installed the SAs of yet. */
static bool
is_pending(ptrdiff_t m, uint32_t seq)
{
	unsigned int i;

	for (i = 0; i < inst.n_pending; i++)
		if (inst.pending[i].map == (unsigned int)m &&
		    inst.pending[i].seq == seq)
			return true;
	return false;
}

int
install_spd(struct ctl *ctl, bool held, char *err, size_t errlen)
{
	const struct conf *c = ctl->conf;
	const struct conf_crypto_map *map;
	const struct conf_map_entry *e;
	struct dp_policy *pol = NULL;
	unsigned int i, j, k, n_pol = 0, max_pol = 0;
	enum conf_policy_action act;
	struct install_binding *b;
	const struct sadb_sa *osa;
	struct sadb_selector sel;
	struct install_v6_bind b6;
	struct dp_sa *sa;
	uint32_t acq, bind;
	unsigned int h;
	int rc;

	if (bindings_init(c) < 0) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	for (i = 0; i < c->n_crypto_maps; i++)
		for (j = 0; j < c->crypto_maps[i].n_entries; j++)
			max_pol += c->crypto_maps[i].entries[j].n_matches +
				c->crypto_maps[i].entries[j].n_matches6;
	if (max_pol > 0) {
		pol = calloc(max_pol, sizeof(*pol));
		if (pol == NULL) {
			snprintf(err, errlen, "out of memory");
			return -ENOMEM;
		}
	}
	for (i = 0; i < c->n_ifaces; i++) {
		map = iface_map(c, i);
		if (map == NULL)
			continue;
		for (j = 0; j < map->n_entries; j++) {
			e = &map->entries[j];
			acq = 0;
			bind = 0;
			if (e->type == CONF_MAP_IPSEC_ISAKMP) {
				/*
				 * The newest SA IKE pushed; none yet:
				 * dropped as no-out-sa, with an ACQUIRE to
				 * start IKE when the entry initiates on
				 * traffic.
				 */
				h = inst.slot[inst.first[map -
						  c->crypto_maps] + j];
				b = &inst.b[h];
				bind = bind_id(h, INSTALL_INNER_V4);
				sa = held ? NULL :
					bound_sa(ctl, b, INSTALL_INNER_V4);
				if (!held && sa == NULL)
					acq = b->acquire_id;
				/* IPv6-inner SAs: the IPv6 rules' */
				b6 = (struct install_v6_bind){
					.sa = held ? NULL : bound_sa(ctl, b,
							INSTALL_INNER_V6),
					.held = held,
					.bind = bind_id(h, INSTALL_INNER_V6),
				};
				if (!held && b6.sa == NULL)
					b6.acquire = b->acquire_id;
			} else {
				osa = e->peer_addr.family == TW_AF_INET6 ?
					sadb_sa_lookup_addr(ctl->sadb,
						SADB_DIR_OUT, e->outbound.spi,
						&e->peer_addr) :
					sadb_sa_lookup(ctl->sadb, SADB_DIR_OUT,
						       e->outbound.spi,
						       e->peer);
				sa = osa != NULL && !held &&
					!is_pending(map - c->crypto_maps,
						    e->seq) ?
					dp_sadb_sa(osa) : NULL;
			}
			if (e->type != CONF_MAP_IPSEC_ISAKMP)
				b6 = (struct install_v6_bind){
					.sa = sa, .held = sa == NULL,
				};
			for (k = 0; k < e->n_matches && n_pol < max_pol; k++) {
				act = e->matches[k].action;
				/*
				 * The SA held decoupled (standby): what it
				 * would protect is discarded, never sent in
				 * clear.
				 */
				if (act == CONF_POLICY_PROTECT && sa == NULL &&
				    (held ||
				     e->type != CONF_MAP_IPSEC_ISAKMP))
					act = CONF_POLICY_DISCARD;
				sel_from_match(&e->matches[k], false, &sel);
				pol[n_pol++] = (struct dp_policy){
					.sel = {
						.src_addr = sel.src_addr,
						.dst_addr = sel.dst_addr,
						.src_len = sel.src_len,
						.dst_len = sel.dst_len,
						.proto = sel.proto,
						.sport_lo = sel.sport_lo,
						.sport_hi = sel.sport_hi,
						.dport_lo = sel.dport_lo,
						.dport_hi = sel.dport_hi,
					},
					.action = act,
					.priority = POLICY_PRIO(e->seq, k),
					.sa = act == CONF_POLICY_PROTECT ?
						sa : NULL,
					.acquire = act == CONF_POLICY_PROTECT ?
						acq : 0,
					.bind = bind,
				};
			}
			/* IPv6 rules (install_routes6.c) */
			n_pol += install_v6_policies(e, &b6, pol + n_pol,
						     max_pol - n_pol);
		}
	}
	rc = dp_spd_set(pol, n_pol);
	if (rc < 0)
		snprintf(err, errlen, "cannot build the policy database: %s",
			 strerror(-rc));
	free(pol);
	return rc < 0 ? rc : (int)n_pol;
}

/* The tunnel endpoint of map's SAs: see install_config(). 0: not bound. */
static uint32_t
map_local(const struct conf *c, const struct conf_crypto_map *map)
{
	unsigned int i;
	uint32_t local;

	for (i = 0; i < c->n_ifaces; i++) {
		if (iface_map(c, i) != map)
			continue;
		local = conf_iface_endpoint(c, i);
		return local != 0 ? local : c->ifaces[i].addr;
	}
	return 0;
}

static const struct conf_map_entry *
entry_find(const struct conf *c, const struct install_entry_ref *r)
{
	const struct conf_crypto_map *map;
	unsigned int j;

	if (r->map >= c->n_crypto_maps)
		return NULL;
	map = &c->crypto_maps[r->map];
	for (j = 0; j < map->n_entries; j++)
		if (map->entries[j].seq == r->seq)
			return &map->entries[j];
	return NULL;
}

static int
publish(struct ctl *ctl, char *err, size_t errlen)
{
	int rc = install_spd(ctl, false, err, errlen);

	if (rc < 0)
		return rc;
	rc = ctl_commit_now(ctl);
	if (rc < 0)
		snprintf(err, errlen, "cannot publish the fast-path tables: %s",
			 strerror(-rc));
	return rc;
}

int
install_reload(struct ctl *ctl, struct conf *c,
	       const struct install_entry_ref *del, unsigned int n_del,
	       const struct install_entry_ref *add, unsigned int n_add,
	       char *err, size_t errlen)
{
	struct conf *old = ctl->conf;
	const struct conf_map_entry *e;
	struct sadb_sa *sa;
	uint32_t local;
	unsigned int i;
	int rc;

	rc = install_v6_check(c, err, errlen);
	if (rc < 0)
		return rc;
	/*
	 * 1. The new config's SPD: entries gone have no rule any more, the
	 * new and changed ones discard (never clear) until their SAs are in;
	 * every other entry keeps pointing at the SA it has.
	 */
	ctl->conf = c;
	route_set_conf(c);
	inst.pending = add;
	inst.n_pending = n_add;
	rc = bindings_init(c);
	if (rc < 0) {
		ctl->conf = old;
		route_set_conf(old);
		inst.pending = NULL;
		inst.n_pending = 0;
		snprintf(err, errlen, "out of memory");
		return rc;
	}
	rc = publish(ctl, err, errlen);
	if (rc < 0)
		goto out;
	/* 2. No rule points at the old SAs of entries gone or changed. */
	for (i = 0; i < n_del; i++) {
		e = entry_find(old, &del[i]);
		if (e == NULL || e->type != CONF_MAP_IPSEC_MANUAL)
			continue;
		sa = sadb_sa_lookup(ctl->sadb, SADB_DIR_IN, e->inbound.spi, 0);
		if (sa != NULL)
			sadb_sa_del(ctl->sadb, sa, "reload: entry removed");
		sa = e->peer_addr.family == TW_AF_INET6 ?
			sadb_sa_lookup_addr(ctl->sadb, SADB_DIR_OUT,
					    e->outbound.spi, &e->peer_addr) :
			sadb_sa_lookup(ctl->sadb, SADB_DIR_OUT,
				       e->outbound.spi, e->peer);
		if (sa != NULL)
			sadb_sa_del(ctl->sadb, sa, "reload: entry removed");
		tw_log(TW_LOG_NOTICE, "install",
		       "reload: crypto map %s seq %u: SAs 0x%08x / 0x%08x deleted",
		       old->crypto_maps[del[i].map].name, del[i].seq,
		       e->inbound.spi, e->outbound.spi);
	}
	rc = ctl_commit_now(ctl);
	if (rc < 0) {
		snprintf(err, errlen, "cannot publish the fast-path tables: %s",
			 strerror(-rc));
		goto out;
	}
	/* 3. The SAs of the new and changed entries, then their rules. */
	for (i = 0; i < n_add; i++) {
		e = entry_find(c, &add[i]);
		if (e == NULL || e->type != CONF_MAP_IPSEC_MANUAL)
			continue;
		local = map_local(c, &c->crypto_maps[add[i].map]);
		if (local == 0)
			continue; /* a map bound to no interface: nothing */
		rc = install_entry(ctl, &c->crypto_maps[add[i].map], e, local,
				   err, errlen);
		if (rc < 0)
			goto out;
		tw_log(TW_LOG_NOTICE, "install",
		       "reload: crypto map %s seq %u: SAs 0x%08x / 0x%08x installed",
		       c->crypto_maps[add[i].map].name, add[i].seq,
		       e->inbound.spi, e->outbound.spi);
	}
out:
	/*
	 * Whatever went in is protected now; an entry whose SAs failed has
	 * none, and a manual entry without its SA discards.
	 */
	inst.pending = NULL;
	inst.n_pending = 0;
	if (rc < 0) {
		char e2[128];

		publish(ctl, e2, sizeof(e2));
		return rc;
	}
	return publish(ctl, err, errlen);
}

int
install_config(struct ctl *ctl, char *err, size_t errlen)
{
	const struct conf *c = ctl->conf;
	const struct conf_crypto_map *map;
	unsigned int i;
	uint32_t local;
	uint64_t t0;
	int rc, n_pol;

	rc = install_v6_check(c, err, errlen);
	if (rc < 0)
		return rc;
	rc = install_routes(c, err, errlen);
	if (rc < 0)
		return rc;
	rc = install_v6_routes(c, err, errlen);
	if (rc < 0)
		return rc;
	t0 = rte_get_timer_cycles();
	sadb_set_bulk(ctl->sadb, true);
	for (i = 0; i < c->n_ifaces; i++) {
		map = iface_map(c, i);
		if (map == NULL)
			continue;
		/*
		 * With a standby group on the interface the tunnel endpoint is
		 * its VIP: it moves with the Active twin. With redundancy
		 * configured the SAs are held decoupled here and installed by
		 * the twin that becomes active (ha/ha_takeover.c); without it
		 * they are installed on both, and the fast path only sees ESP
		 * to the VIP while the group is Active (dp_local_addr_set).
		 */
		local = conf_iface_endpoint(c, i);
		if (local == 0)
			local = c->ifaces[i].addr;
		rc = install_map(ctl, map, local, err, errlen);
		if (rc < 0)
			break;
	}
	sadb_set_bulk(ctl->sadb, false);
	if (rc < 0)
		return rc;
	rc = install_marks_start(err, errlen);
	if (rc < 0)
		return rc;
	n_pol = install_spd(ctl, false, err, errlen);
	if (n_pol < 0)
		return n_pol;
	rc = ctl_commit_now(ctl);
	if (rc < 0)
		snprintf(err, errlen, "cannot publish the fast-path tables: %s",
			 strerror(-rc));
	else
		tw_log(TW_LOG_INFO, "install",
		       "%u interfaces, %u static routes, %u SAs%s, %d policies installed in %.0f ms",
		       c->n_ifaces, c->n_routes, sadb_count(ctl->sadb),
		       c->redundancy.enabled ? " (held decoupled until active)" :
		       "", n_pol, ms_since(t0));
	return rc;
}

void
install_teardown(struct ctl *ctl)
{
	uint64_t t0 = rte_get_timer_cycles();
	struct sadb_sa *sa, *next;
	uint32_t n = 0;

	dp_spd_set(NULL, 0);
	install_marks_fini();
	sadb_set_bulk(ctl->sadb, true);
	/* One pass in id order (deleting never frees another record). */
	for (sa = sadb_sa_next(ctl->sadb, NULL); sa != NULL; sa = next, n++) {
		next = sadb_sa_next(ctl->sadb, sa);
		sadb_sa_del(ctl->sadb, sa, "shutdown");
	}
	sadb_set_bulk(ctl->sadb, false);
	ctl_commit_now(ctl);
	bindings_fini();
	tw_log(TW_LOG_INFO, "install", "shutdown: %u SAs deleted in %.0f ms", n,
	       ms_since(t0));
}
