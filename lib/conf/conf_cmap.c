/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * crypto_maps = ( { name; replay_interval { inbound; outbound; };
 *                   dscp = "copy" | 0-63;
 *                   entries = ( { seq; type; peer; transform_set; match;
 *                                 inbound; outbound; replay_window; esn;
 *                                 udp_encap { enabled; local_port;
 *                                             remote_port; };
 *                                 reverse_route { ... }; }, ... ); } )
 *
 * IOS "crypto map NAME SEQ ipsec-manual": each entry is one pair of SAs
 * (inbound, outbound) with a peer and the traffic it protects.
 *
 * IOS "crypto map NAME SEQ ipsec-isakmp": the SAs are negotiated with IKEv2
 * (the ike section); the entry gives the peer, the transform set, the
 * traffic (match rules become traffic selectors), PFS, Child SA lifetimes,
 * when to initiate and the identities:
 *   { seq; type = "ipsec-isakmp"; peer; transform_set; match;
 *     pfs = 19; lifetime = { seconds; kilobytes; };
 *     initiate = "traffic" | "start" | "responder";
 *     local_id; remote_id; ike_proposal; replay_window; esn;
 *     reverse_route = { ... }; }   (conf_rri.c, both types)
 * Each key table below belongs to one entry type: keys of the other type
 * are unknown keys.
 */
#include <stdlib.h>
#include <string.h>

#include "conf_priv.h"

static const struct conf_key map_keys[] = {
	{ "name", CONF_T_STRING, true },
	{ "replay_interval", CONF_T_GROUP, false },
	{ "dscp", CONF_T_INT | CONF_T_STRING, false },
	{ "entries", CONF_T_LIST, true },
	{ NULL, 0, false },
};

static const struct conf_key interval_keys[] = {
	{ "inbound", CONF_T_INT, false },
	{ "outbound", CONF_T_INT, false },
	{ NULL, 0, false },
};

static const struct conf_key entry_keys[] = {
	{ "seq", CONF_T_INT, true },
	{ "type", CONF_T_STRING, true },
	{ "peer", CONF_T_STRING, true },
	{ "transform_set", CONF_T_STRING, true },
	{ "match", CONF_T_LIST, true },
	{ "inbound", CONF_T_GROUP, true },
	{ "outbound", CONF_T_GROUP, true },
	{ "replay_window", CONF_T_INT, false },
	{ "esn", CONF_T_BOOL, false },
	{ "udp_encap", CONF_T_GROUP, false },
	{ "reverse_route", CONF_T_GROUP, false },
	{ NULL, 0, false },
};

static const struct conf_key isakmp_keys[] = {
	{ "seq", CONF_T_INT, true },
	{ "type", CONF_T_STRING, true },
	{ "peer", CONF_T_STRING, true },
	{ "transform_set", CONF_T_STRING, true },
	{ "match", CONF_T_LIST, true },
	{ "pfs", CONF_T_INT, false },
	{ "lifetime", CONF_T_GROUP, false },
	{ "initiate", CONF_T_STRING, false },
	{ "local_id", CONF_T_STRING, false },
	{ "remote_id", CONF_T_STRING, false },
	{ "ike_proposal", CONF_T_STRING, false },
	{ "replay_window", CONF_T_INT, false },
	{ "esn", CONF_T_BOOL, false },
	{ "reverse_route", CONF_T_GROUP, false },
	{ NULL, 0, false },
};

static const struct conf_key lifetime_keys[] = {
	{ "seconds", CONF_T_INT, false },
	{ "kilobytes", CONF_T_INT, false },
	{ NULL, 0, false },
};

static const char *const initiate_names[] = {
	[CONF_INITIATE_TRAFFIC] = "traffic",
	[CONF_INITIATE_START] = "start",
	[CONF_INITIATE_RESPONDER] = "responder",
};

/* IOS "crypto ipsec security-association lifetime" defaults. */
#define CHILD_LIFE_S_DEFAULT 3600
#define CHILD_LIFE_S_MIN 120
#define CHILD_LIFE_S_MAX 86400
#define CHILD_LIFE_KB_DEFAULT 4608000
#define CHILD_LIFE_KB_MIN 2560
#define CHILD_LIFE_KB_MAX 4294967295LL

static const struct conf_key udp_keys[] = {
	{ "enabled", CONF_T_BOOL, false },
	{ "local_port", CONF_T_INT, false },
	{ "remote_port", CONF_T_INT, false },
	{ NULL, 0, false },
};

#define SEQ_MAX 65535
#define REPLAY_WINDOW_DEFAULT 64
/* librte_ipsec rounds the window up to a power of two of 64-bit buckets. */
#define REPLAY_WINDOW_MAX 4096
#define INTERVAL_IN_DEFAULT 1000
#define INTERVAL_OUT_DEFAULT 100000
#define INTERVAL_MAX 1000000000
#define NATT_PORT 4500 /* RFC 3948 */

static int
parse_udp_encap(struct conf_ctx *x, const config_setting_t *g,
		const char *where, struct conf_map_entry *e)
{
	const config_setting_t *u = config_setting_get_member(g, "udp_encap");
	char uwhere[CONF_WHERE_MAX];
	int64_t sport = NATT_PORT, dport = NATT_PORT;
	bool enabled = true; /* writing the group means wanting it */
	int rc;

	e->udp_sport = NATT_PORT;
	e->udp_dport = NATT_PORT;
	if (u == NULL)
		return 0;
	conf_where(uwhere, "%s udp_encap", where);
	rc = conf_check_keys(x, u, udp_keys, uwhere);
	if (rc == 0)
		rc = conf_get_int(x, u, "local_port", uwhere, 1, 65535, &sport);
	if (rc == 0)
		rc = conf_get_int(x, u, "remote_port", uwhere, 1, 65535, &dport);
	if (rc != 0)
		return rc;
	conf_get_bool(u, "enabled", &enabled);
	e->udp_encap = enabled;
	e->udp_sport = (uint16_t)sport;
	e->udp_dport = (uint16_t)dport;
	return 0;
}

static int
parse_sa_options(struct conf_ctx *x, const config_setting_t *g,
		 const char *where, struct conf_map_entry *e)
{
	int64_t win = REPLAY_WINDOW_DEFAULT;
	int rc;

	rc = conf_get_int(x, g, "replay_window", where, 0, REPLAY_WINDOW_MAX,
			  &win);
	if (rc != 0)
		return rc;
	e->replay_window = (uint32_t)win;
	conf_get_bool(g, "esn", &e->esn);
	/*
	 * RFC 4303 A2: the receiver infers the high 32 bits of an ESN from
	 * its anti-replay window; without a window it cannot.
	 */
	if (e->esn && e->replay_window == 0)
		return conf_err(x, config_setting_get_member(g, "esn"),
				"esn %s needs anti-replay (replay_window > 0)",
				where);
	return parse_udp_encap(x, g, where, e);
}

static int
parse_peer_and_ts(struct conf_ctx *x, const config_setting_t *g,
		  const char *where, struct conf_map_entry *e)
{
	const config_setting_t *m;
	const struct conf_transform_set *ts;
	const char *name;
	int type = 0;
	int rc;

	rc = conf_get_enum(x, g, "type", where, conf_map_type_names,
			   CONF_N_MAP_TYPES, &type);
	if (rc != 0)
		return rc;
	e->type = type;
	rc = conf_get_addr(x, g, "peer", where, &e->peer_addr);
	if (rc != 0)
		return rc;
	m = config_setting_get_member(g, "peer");
	if (e->peer_addr.family == TW_AF_INET)
		e->peer = e->peer_addr.v4;
	if (e->peer_addr.family == TW_AF_INET ?
	    !conf_ipv4_is_unicast(e->peer) :
	    !tw_addr6_is_unicast(e->peer_addr.v6))
		return conf_err(x, m, "peer '%s' %s is not a unicast address",
				config_setting_get_string(m), where);
	m = config_setting_get_member(g, "transform_set");
	name = config_setting_get_string(m);
	ts = conf_transform_set_find(x->conf, name);
	if (ts == NULL)
		return conf_err(x, m, "transform set '%s' undefined %s", name,
				where);
	e->transform_set = (unsigned int)(ts - x->conf->transform_sets);
	return 0;
}

static int
parse_keys(struct conf_ctx *x, const config_setting_t *g, const char *where,
	   struct conf_map_entry *e)
{
	const struct conf_transform_set *ts =
		&x->conf->transform_sets[e->transform_set];
	const config_setting_t *in = config_setting_get_member(g, "inbound");
	const config_setting_t *out = config_setting_get_member(g, "outbound");
	char kwhere[CONF_WHERE_MAX];
	int rc;

	conf_where(kwhere, "%s inbound", where);
	rc = conf_parse_session_key(x, in, kwhere, ts, &e->inbound);
	if (rc == 0)
		rc = conf_check_spi_unique(x, in, kwhere, e, true);
	if (rc != 0)
		return rc;
	conf_where(kwhere, "%s outbound", where);
	rc = conf_parse_session_key(x, out, kwhere, ts, &e->outbound);
	if (rc == 0)
		rc = conf_check_spi_unique(x, out, kwhere, e, false);
	return rc;
}

static int
parse_id(struct conf_ctx *x, const config_setting_t *g, const char *key,
	 const char *where, char *dst)
{
	const char *s = conf_get_str(g, key);

	if (s == NULL)
		return 0;
	if (s[0] == '\0' || strlen(s) >= CONF_IKE_ID_MAX)
		return conf_err(x, config_setting_get_member(g, key),
				"%s %s must have 1 to %d characters", key, where,
				CONF_IKE_ID_MAX - 1);
	conf_strlcpy(dst, s, CONF_IKE_ID_MAX);
	return 0;
}

static int
parse_lifetime(struct conf_ctx *x, const config_setting_t *g,
	       const char *where, struct conf_map_entry *e)
{
	const config_setting_t *l = config_setting_get_member(g, "lifetime");
	int64_t sec = CHILD_LIFE_S_DEFAULT, kb = CHILD_LIFE_KB_DEFAULT;
	char lwhere[CONF_WHERE_MAX];
	int rc = 0;

	if (l != NULL) {
		conf_where(lwhere, "%s lifetime", where);
		rc = conf_check_keys(x, l, lifetime_keys, lwhere);
		if (rc == 0)
			rc = conf_get_int(x, l, "seconds", lwhere,
					  CHILD_LIFE_S_MIN, CHILD_LIFE_S_MAX,
					  &sec);
		if (rc == 0)
			rc = conf_get_int(x, l, "kilobytes", lwhere, 0,
					  CHILD_LIFE_KB_MAX, &kb);
		/* 0: no volume limit; else at least IOS's minimum. */
		if (rc == 0 && kb != 0 && kb < CHILD_LIFE_KB_MIN)
			rc = conf_err(x, config_setting_get_member(l, "kilobytes"),
				      "kilobytes %lld %s below %d (0: no limit)",
				      (long long)kb, lwhere, CHILD_LIFE_KB_MIN);
	}
	e->lifetime_s = (uint32_t)sec;
	e->lifetime_kb = (uint64_t)kb;
	return rc;
}

/* What an ipsec-isakmp entry adds; the ike section is already parsed. */
static int
parse_isakmp(struct conf_ctx *x, const config_setting_t *g,
	     const char *where, struct conf_map_entry *e)
{
	const struct conf *c = x->conf;
	const config_setting_t *m;
	int64_t pfs = 0, win = REPLAY_WINDOW_DEFAULT;
	int init = CONF_INITIATE_TRAFFIC;
	int rc;

	if (!c->ike.enabled)
		return conf_err(x, config_setting_get_member(g, "type"),
				"type 'ipsec-isakmp' %s needs the 'ike' section (proposals and pre_shared_keys)",
				where);
	rc = conf_get_enum(x, g, "initiate", where, initiate_names, 3, &init);
	if (rc == 0)
		rc = conf_get_int(x, g, "pfs", where, 0, 65535, &pfs);
	if (rc == 0 && pfs != 0 && pfs != 14 && pfs != 19 && pfs != 20 &&
	    pfs != 31)
		rc = conf_err(x, config_setting_get_member(g, "pfs"),
			      "bad pfs group %d %s (expected 14, 19, 20 or 31)",
			      (int)pfs, where);
	if (rc == 0)
		rc = conf_get_int(x, g, "replay_window", where, 0,
				  REPLAY_WINDOW_MAX, &win);
	if (rc == 0)
		rc = parse_id(x, g, "local_id", where, e->local_id);
	if (rc == 0)
		rc = parse_id(x, g, "remote_id", where, e->remote_id);
	if (rc == 0)
		rc = parse_lifetime(x, g, where, e);
	if (rc != 0)
		return rc;
	e->initiate = init;
	e->pfs_group = (uint16_t)pfs;
	e->replay_window = (uint32_t)win;
	conf_get_bool(g, "esn", &e->esn);
	m = config_setting_get_member(g, "esn");
	if (e->esn && e->replay_window == 0)
		return conf_err(x, m, "esn %s needs anti-replay (replay_window > 0)",
				where);
	m = config_setting_get_member(g, "ike_proposal");
	if (m != NULL) {
		conf_strlcpy(e->ike_proposal, config_setting_get_string(m),
			     sizeof(e->ike_proposal));
		if (conf_ike_proposal_find(c, e->ike_proposal) == NULL)
			return conf_err(x, m, "ike proposal '%s' undefined %s",
					e->ike_proposal, where);
	}
	if (conf_ike_psk_find(c, &e->peer_addr, e->remote_id) == NULL)
		return conf_err(x, config_setting_get_member(g, "peer"),
				"no pre-shared key %s: add one to ike pre_shared_keys for peer '%s'%s%s%s",
				where, config_setting_get_string(
					config_setting_get_member(g, "peer")),
				e->remote_id[0] != '\0' ? " or id '" : "",
				e->remote_id, e->remote_id[0] != '\0' ? "'" : "");
	return 0;
}

/* seen: the map's seqs so far, one bit each (SEQ_MAX + 1 bits). */
static int
parse_entry(struct conf_ctx *x, struct conf_crypto_map *map,
	    const config_setting_t *g, int idx, uint64_t *seen)
{
	struct conf_map_entry *e = &map->entries[map->n_entries++];
	const config_setting_t *seqm = config_setting_get_member(g, "seq");
	const struct conf_key *keys = entry_keys;
	const config_setting_t *tm;
	char where[CONF_WHERE_MAX];
	int64_t seq = 0;
	unsigned int i;
	int rc;

	if (seqm != NULL && config_setting_type(seqm) == CONFIG_TYPE_INT)
		conf_where(where, "in crypto map '%s' entry %d", map->name,
			   config_setting_get_int(seqm));
	else
		conf_where(where, "in crypto map '%s' entry #%d", map->name,
			   idx + 1);
	e->line = config_setting_source_line(g);
	/* The type picks the key table (defaults to manual's for messages). */
	tm = config_setting_get_member(g, "type");
	if (tm != NULL && config_setting_type(tm) == CONFIG_TYPE_STRING &&
	    strcmp(config_setting_get_string(tm),
		   conf_map_type_names[CONF_MAP_IPSEC_ISAKMP]) == 0)
		keys = isakmp_keys;
	rc = conf_check_keys(x, g, keys, where);
	if (rc == 0)
		rc = conf_get_int(x, g, "seq", where, 1, SEQ_MAX, &seq);
	if (rc != 0)
		return rc;
	e->seq = (uint32_t)seq;
	/* The bitmap answers; the scan only runs to name the first entry. */
	if (seen[e->seq / 64] & (1ull << (e->seq % 64))) {
		for (i = 0; i + 1 < map->n_entries; i++)
			if (map->entries[i].seq == e->seq)
				return conf_err(x, seqm,
						"duplicate seq %u in crypto map '%s' (first defined at line %d)",
						e->seq, map->name,
						map->entries[i].line);
	}
	seen[e->seq / 64] |= 1ull << (e->seq % 64);
	rc = parse_peer_and_ts(x, g, where, e);
	if (rc == 0)
		rc = conf_parse_rri(x, g, where, e);
	if (rc == 0)
		rc = conf_parse_matches(x, config_setting_get_member(g, "match"),
					where, e);
	if (rc != 0)
		return rc;
	if (e->type == CONF_MAP_IPSEC_ISAKMP)
		return parse_isakmp(x, g, where, e);
	rc = parse_keys(x, g, where, e);
	if (rc == 0)
		rc = parse_sa_options(x, g, where, e);
	return rc;
}

static int
entry_cmp(const void *a, const void *b)
{
	const struct conf_map_entry *ea = a, *eb = b;

	return (ea->seq > eb->seq) - (ea->seq < eb->seq);
}

static int
parse_entries(struct conf_ctx *x, struct conf_crypto_map *map,
	      const config_setting_t *g, const char *where)
{
	const config_setting_t *list = config_setting_get_member(g, "entries");
	uint64_t seen[SEQ_MAX / 64 + 1] = { 0 };
	int i, n, rc;

	rc = conf_check_list_of_groups(x, list, "entries");
	if (rc != 0)
		return rc;
	n = config_setting_length(list);
	if (n == 0)
		return conf_err(x, list, "no entries %s", where);
	map->entries = calloc(n, sizeof(map->entries[0]));
	if (map->entries == NULL)
		return conf_nomem(x);
	for (i = 0; i < n; i++) {
		rc = parse_entry(x, map, config_setting_get_elem(list, i), i,
				 seen);
		if (rc != 0)
			return rc;
	}
	/* IOS evaluates a crypto map's entries in seq order. */
	qsort(map->entries, map->n_entries, sizeof(map->entries[0]),
	      entry_cmp);
	return 0;
}

static int
parse_interval(struct conf_ctx *x, const config_setting_t *g,
	       const char *where, struct conf_crypto_map *map)
{
	const config_setting_t *ri;
	char iwhere[CONF_WHERE_MAX];
	int64_t in = INTERVAL_IN_DEFAULT, out = INTERVAL_OUT_DEFAULT;
	int rc;

	ri = config_setting_get_member(g, "replay_interval");
	if (ri != NULL) {
		conf_where(iwhere, "%s replay_interval", where);
		rc = conf_check_keys(x, ri, interval_keys, iwhere);
		if (rc == 0)
			rc = conf_get_int(x, ri, "inbound", iwhere, 1,
					  INTERVAL_MAX, &in);
		if (rc == 0)
			rc = conf_get_int(x, ri, "outbound", iwhere, 1,
					  INTERVAL_MAX, &out);
		if (rc != 0)
			return rc;
	}
	map->replay_interval_in = (uint32_t)in;
	map->replay_interval_out = (uint32_t)out;
	return 0;
}

/*
 * dscp: "copy" (the default) puts the inner packet's DSCP in the outer
 * header (RFC 4301 5.1.2.1); a number sets it whatever the inner one is
 * (RFC 2474: 6 bits), e.g. to give all tunnel traffic one class on the
 * WAN. The ECN bits follow RFC 6040 either way.
 */
static int
parse_dscp(struct conf_ctx *x, const config_setting_t *g, const char *where,
	   struct conf_crypto_map *map)
{
	const config_setting_t *d = config_setting_get_member(g, "dscp");
	const char *s;
	int64_t v = 0;
	int rc;

	if (d == NULL)
		return 0;
	s = conf_get_str(g, "dscp");
	if (s != NULL) {
		if (strcmp(s, "copy") == 0)
			return 0;
		return conf_err(x, d, "bad dscp '%s' %s (expected copy or 0-63)",
				s, where);
	}
	rc = conf_get_int(x, g, "dscp", where, 0, 63, &v);
	if (rc != 0)
		return rc;
	map->dscp_set = true;
	map->dscp = (uint8_t)v;
	return 0;
}

static int
parse_map(struct conf_ctx *x, const config_setting_t *g, int idx)
{
	struct conf *c = x->conf;
	struct conf_crypto_map *map = &c->crypto_maps[c->n_crypto_maps++];
	const char *name = conf_get_str(g, "name");
	char where[CONF_WHERE_MAX];
	unsigned int i;
	int rc;

	if (name != NULL)
		conf_where(where, "in crypto map '%s'", name);
	else
		conf_where(where, "in crypto map #%d", idx + 1);
	map->line = config_setting_source_line(g);
	rc = conf_check_keys(x, g, map_keys, where);
	if (rc == 0)
		rc = conf_get_name(x, g, "name", where, map->name);
	if (rc != 0)
		return rc;
	for (i = 0; i + 1 < c->n_crypto_maps; i++)
		if (strcmp(c->crypto_maps[i].name, map->name) == 0)
			return conf_err(x, config_setting_get_member(g, "name"),
					"duplicate crypto map '%s' (first defined at line %d)",
					map->name, c->crypto_maps[i].line);
	rc = parse_interval(x, g, where, map);
	if (rc == 0)
		rc = parse_dscp(x, g, where, map);
	if (rc == 0)
		rc = parse_entries(x, map, g, where);
	return rc;
}

int
conf_parse_crypto_maps(struct conf_ctx *x, const config_setting_t *s)
{
	struct conf *c = x->conf;
	int i, n, rc;

	if (s == NULL)
		return 0;
	rc = conf_check_list_of_groups(x, s, "crypto_maps");
	if (rc != 0)
		return rc;
	n = config_setting_length(s);
	if (n == 0)
		return 0;
	c->crypto_maps = calloc(n, sizeof(c->crypto_maps[0]));
	if (c->crypto_maps == NULL)
		return conf_nomem(x);
	for (i = 0; i < n; i++) {
		rc = parse_map(x, config_setting_get_elem(s, i), i);
		if (rc != 0)
			return rc;
	}
	return 0;
}
