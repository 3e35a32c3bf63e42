/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * crypto_maps = ( { name; replay_interval { inbound; outbound; };
 *                   entries = ( { seq; type; peer; transform_set; match;
 *                                 inbound; outbound; replay_window; esn;
 *                                 udp_encap { enabled; local_port;
 *                                             remote_port; }; }, ... ); } )
 *
 * IOS "crypto map NAME SEQ ipsec-manual": each entry is one pair of SAs
 * (inbound, outbound) with a peer and the traffic it protects.
 */
#include <stdlib.h>
#include <string.h>

#include "conf_priv.h"

static const struct conf_key map_keys[] = {
	{ "name", CONF_T_STRING, true },
	{ "replay_interval", CONF_T_GROUP, false },
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
	{ NULL, 0, false },
};

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
	if (e->type == CONF_MAP_IPSEC_ISAKMP)
		return conf_err(x, config_setting_get_member(g, "type"),
				"type 'ipsec-isakmp' %s not supported yet (IKE)",
				where);
	rc = conf_get_ipv4(x, g, "peer", where, &e->peer);
	if (rc != 0)
		return rc;
	m = config_setting_get_member(g, "peer");
	if (!conf_ipv4_is_unicast(e->peer))
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
parse_entry(struct conf_ctx *x, struct conf_crypto_map *map,
	    const config_setting_t *g, int idx)
{
	struct conf_map_entry *e = &map->entries[map->n_entries++];
	const config_setting_t *seqm = config_setting_get_member(g, "seq");
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
	rc = conf_check_keys(x, g, entry_keys, where);
	if (rc == 0)
		rc = conf_get_int(x, g, "seq", where, 1, SEQ_MAX, &seq);
	if (rc != 0)
		return rc;
	e->seq = (uint32_t)seq;
	for (i = 0; i + 1 < map->n_entries; i++)
		if (map->entries[i].seq == e->seq)
			return conf_err(x, seqm,
					"duplicate seq %u in crypto map '%s' (first defined at line %d)",
					e->seq, map->name, map->entries[i].line);
	rc = parse_peer_and_ts(x, g, where, e);
	if (rc == 0)
		rc = conf_parse_matches(x, config_setting_get_member(g, "match"),
					where, e);
	if (rc == 0)
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
		rc = parse_entry(x, map, config_setting_get_elem(list, i), i);
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
