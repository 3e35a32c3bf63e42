/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ike = { proposals = ( { name; encryption; prf; integrity; dh; }, ... );
 *         pre_shared_keys = ( { peer | id; key; }, ... );
 *         dpd = { interval; retries; }; lifetime; cookie_threshold;
 *         half_open_max; retransmit = { timeout_ms; tries; };
 *         nat_keepalive;
 *         limits = { peer_half_open; peer_sas; create_child;
 *                    create_child_window; }; }
 *
 * IOS "crypto ikev2 proposal" (encryption, prf, integrity, group),
 * "crypto ikev2 keyring" (pre-shared keys per peer address or identity),
 * "crypto ikev2 dpd" and "crypto ikev2 cookie-challenge". The crypto map
 * entries of type ipsec-isakmp (conf_cmap.c) use what this section sets.
 */
#include <stdlib.h>
#include <string.h>

#include "conf_priv.h"

static const struct conf_key ike_keys[] = {
	{ "proposals", CONF_T_LIST, true },
	{ "pre_shared_keys", CONF_T_LIST, true },
	{ "dpd", CONF_T_GROUP, false },
	{ "lifetime", CONF_T_INT, false },
	{ "cookie_threshold", CONF_T_INT, false },
	{ "half_open_max", CONF_T_INT, false },
	{ "retransmit", CONF_T_GROUP, false },
	{ "nat_keepalive", CONF_T_INT, false },
	{ "limits", CONF_T_GROUP, false },
	{ NULL, 0, false },
};

static const struct conf_key limit_keys[] = {
	{ "peer_half_open", CONF_T_INT, false },
	{ "peer_sas", CONF_T_INT, false },
	{ "create_child", CONF_T_INT, false },
	{ "create_child_window", CONF_T_INT, false },
	{ NULL, 0, false },
};

static const struct conf_key prop_keys[] = {
	{ "name", CONF_T_STRING, true },
	{ "encryption", CONF_T_ARRAY, true },
	{ "prf", CONF_T_ARRAY, true },
	{ "integrity", CONF_T_ARRAY, false },
	{ "dh", CONF_T_ARRAY, true },
	{ NULL, 0, false },
};

static const struct conf_key psk_keys[] = {
	{ "peer", CONF_T_STRING, false },
	{ "id", CONF_T_STRING, false },
	{ "key", CONF_T_STRING, true },
	{ NULL, 0, false },
};

static const struct conf_key dpd_keys[] = {
	{ "interval", CONF_T_INT, false },
	{ "retries", CONF_T_INT, false },
	{ NULL, 0, false },
};

static const struct conf_key rtx_keys[] = {
	{ "timeout_ms", CONF_T_INT, false },
	{ "tries", CONF_T_INT, false },
	{ NULL, 0, false },
};

/* IANA IKEv2 transform IDs (RFC 7296 3.3.2, RFC 5282, RFC 4868). */
#define ENCR_AES_CBC 12
#define ENCR_AES_GCM_16 20

static const struct {
	const char *name;
	struct conf_ike_encr e;
} encr_names[] = {
	{ "aes-cbc-128", { ENCR_AES_CBC, 128 } },
	{ "aes-cbc-256", { ENCR_AES_CBC, 256 } },
	{ "aes-gcm-128", { ENCR_AES_GCM_16, 128 } },
	{ "aes-gcm-256", { ENCR_AES_GCM_16, 256 } },
};

/* PRF 5/6/7 and INTEG 12/13/14: the same hash, two numbers. */
static const struct {
	const char *name;
	uint16_t prf;
	uint16_t integ;
} hash_names[] = {
	{ "sha256", 5, 12 },
	{ "sha384", 6, 13 },
	{ "sha512", 7, 14 },
};

static const uint16_t dh_groups[] = { 14, 19, 20, 31 };

#define N(a) (sizeof(a) / sizeof((a)[0]))

#define LIFETIME_DEFAULT 86400
#define LIFETIME_MIN 120       /* IOS "crypto ikev2 profile" lifetime */
#define LIFETIME_MAX 86400
#define DPD_INTERVAL_DEFAULT 10 /* IOS stateful failover recommendation */
#define DPD_RETRIES_DEFAULT 5
#define COOKIE_THRESHOLD_DEFAULT 100
#define HALF_OPEN_DEFAULT 1000
#define HALF_OPEN_MAX 1000000
#define RTX_MS_DEFAULT 1000
#define RTX_TRIES_DEFAULT 5
#define NAT_KEEPALIVE_DEFAULT 20 /* RFC 3948 4 */
#define NAT_KEEPALIVE_MAX 3600
/*
 * Per-peer limits (lib/ike, ike.h: the same defaults). The IKE SA table
 * has 64 slots beyond two per peer and the half-open pool: a peer allowed
 * more than that can still fill it. At least 3 IKE SAs a peer: the one up,
 * its rekeyed successor and a colliding rekey's (RFC 7296 2.8.2).
 */
#define PEER_HALF_OPEN_DEFAULT CONF_IKE_PEER_HALF_OPEN_DEFAULT
#define PEER_SAS_DEFAULT CONF_IKE_PEER_SAS_DEFAULT
#define PEER_SAS_MIN 3
#define PEER_LIMIT_MAX 1000
#define CREATE_CHILD_DEFAULT CONF_IKE_CREATE_CHILD_DEFAULT
#define CREATE_CHILD_WINDOW_DEFAULT CONF_IKE_CREATE_CHILD_WINDOW_DEFAULT
#define CREATE_CHILD_WINDOW_MAX 3600

const char *
conf_ike_encr_name(const struct conf_ike_encr *e)
{
	unsigned int i;

	for (i = 0; i < N(encr_names); i++)
		if (encr_names[i].e.id == e->id && encr_names[i].e.bits == e->bits)
			return encr_names[i].name;
	return "?";
}

const char *
conf_ike_hash_name(uint16_t v, bool integ)
{
	unsigned int i;

	for (i = 0; i < N(hash_names); i++)
		if ((integ ? hash_names[i].integ : hash_names[i].prf) == v)
			return hash_names[i].name;
	return "?";
}

static int
array_check(struct conf_ctx *x, const config_setting_t *a, const char *key,
	    const char *where, int type)
{
	int n = config_setting_length(a);

	if (n == 0)
		return conf_err(x, a, "empty %s %s", key, where);
	if (n > CONF_IKE_MAX_ALGS)
		return conf_err(x, a, "%s %s: at most %d", key, where,
				CONF_IKE_MAX_ALGS);
	if (config_setting_type(config_setting_get_elem(a, 0)) != type)
		return conf_err(x, a, "%s %s must list %s", key, where,
				type == CONFIG_TYPE_INT ? "group numbers" :
				"names in quotes");
	return n;
}

static int
parse_encr(struct conf_ctx *x, const config_setting_t *g, const char *where,
	   struct conf_ike_proposal *p)
{
	const config_setting_t *a = config_setting_get_member(g, "encryption");
	int i, n, k;

	n = array_check(x, a, "encryption", where, CONFIG_TYPE_STRING);
	if (n < 0)
		return n;
	for (i = 0; i < n; i++) {
		const char *s = config_setting_get_string_elem(a, i);

		for (k = 0; k < (int)N(encr_names); k++)
			if (strcmp(encr_names[k].name, s) == 0)
				break;
		if (k == (int)N(encr_names))
			return conf_err(x, a,
					"bad encryption '%s' %s (expected aes-cbc-128, aes-cbc-256, aes-gcm-128 or aes-gcm-256)",
					s, where);
		p->encr[p->n_encr++] = encr_names[k].e;
	}
	return 0;
}

static int
parse_hashes(struct conf_ctx *x, const config_setting_t *g, const char *key,
	     const char *where, bool integ, uint16_t *out, unsigned int *n_out)
{
	const config_setting_t *a = config_setting_get_member(g, key);
	int i, n, k;

	if (a == NULL)
		return 0;
	n = array_check(x, a, key, where, CONFIG_TYPE_STRING);
	if (n < 0)
		return n;
	for (i = 0; i < n; i++) {
		const char *s = config_setting_get_string_elem(a, i);

		for (k = 0; k < (int)N(hash_names); k++)
			if (strcmp(hash_names[k].name, s) == 0)
				break;
		if (k == (int)N(hash_names))
			return conf_err(x, a,
					"bad %s '%s' %s (expected sha256, sha384 or sha512)",
					key, s, where);
		out[(*n_out)++] = integ ? hash_names[k].integ :
			hash_names[k].prf;
	}
	return 0;
}

static int
parse_dh(struct conf_ctx *x, const config_setting_t *g, const char *where,
	 struct conf_ike_proposal *p)
{
	const config_setting_t *a = config_setting_get_member(g, "dh");
	int i, n, k, v;

	n = array_check(x, a, "dh", where, CONFIG_TYPE_INT);
	if (n < 0)
		return n;
	for (i = 0; i < n; i++) {
		v = config_setting_get_int_elem(a, i);
		for (k = 0; k < (int)N(dh_groups); k++)
			if (dh_groups[k] == v)
				break;
		if (k == (int)N(dh_groups))
			return conf_err(x, a,
					"bad dh group %d %s (expected 14, 19, 20 or 31)",
					v, where);
		p->dh[p->n_dh++] = (uint16_t)v;
	}
	return 0;
}

static int
parse_proposal(struct conf_ctx *x, const config_setting_t *g, int idx)
{
	struct conf_ike *ike = &x->conf->ike;
	struct conf_ike_proposal *p = &ike->proposals[ike->n_proposals++];
	const char *name = conf_get_str(g, "name");
	char where[CONF_WHERE_MAX];
	bool cbc = false, gcm = false;
	unsigned int i;
	int rc;

	if (name != NULL)
		conf_where(where, "in ike proposal '%s'", name);
	else
		conf_where(where, "in ike proposal #%d", idx + 1);
	p->line = config_setting_source_line(g);
	rc = conf_check_keys(x, g, prop_keys, where);
	if (rc == 0)
		rc = conf_get_name(x, g, "name", where, p->name);
	if (rc != 0)
		return rc;
	for (i = 0; i + 1 < ike->n_proposals; i++)
		if (strcmp(ike->proposals[i].name, p->name) == 0)
			return conf_err(x, config_setting_get_member(g, "name"),
					"duplicate ike proposal '%s' (first defined at line %d)",
					p->name, ike->proposals[i].line);
	rc = parse_encr(x, g, where, p);
	if (rc == 0)
		rc = parse_hashes(x, g, "prf", where, false, p->prf, &p->n_prf);
	if (rc == 0)
		rc = parse_hashes(x, g, "integrity", where, true, p->integ,
				  &p->n_integ);
	if (rc == 0)
		rc = parse_dh(x, g, where, p);
	if (rc != 0)
		return rc;
	for (i = 0; i < p->n_encr; i++) {
		cbc |= p->encr[i].id == ENCR_AES_CBC;
		gcm |= p->encr[i].id == ENCR_AES_GCM_16;
	}
	/* RFC 5282 8: GCM carries its own integrity; CBC needs one. */
	if (cbc && p->n_integ == 0)
		return conf_err(x, g, "missing 'integrity' %s (aes-cbc needs sha256, sha384 or sha512)",
				where);
	if (!cbc && gcm && p->n_integ != 0)
		return conf_err(x, config_setting_get_member(g, "integrity"),
				"integrity %s not allowed: aes-gcm authenticates by itself (RFC 5282)",
				where);
	return 0;
}

static bool
key_ok(const char *s)
{
	size_t n = strlen(s), i;

	if (n == 0 || n > CONF_PSK_MAX)
		return false;
	for (i = 0; i < n; i++)
		if (s[i] < 0x20 || s[i] > 0x7e)
			return false;
	return true;
}

static int
parse_psk(struct conf_ctx *x, const config_setting_t *g, int idx)
{
	struct conf_ike *ike = &x->conf->ike;
	struct conf_ike_psk *k = &ike->psks[ike->n_psks++];
	const config_setting_t *pm = config_setting_get_member(g, "peer");
	const config_setting_t *im = config_setting_get_member(g, "id");
	const config_setting_t *km = config_setting_get_member(g, "key");
	char where[CONF_WHERE_MAX];
	unsigned int i;
	int rc;

	conf_where(where, "in ike pre_shared_keys #%d", idx + 1);
	k->line = config_setting_source_line(g);
	rc = conf_check_keys(x, g, psk_keys, where);
	if (rc != 0)
		return rc;
	if ((pm == NULL) == (im == NULL))
		return conf_err(x, g, "%s: give either 'peer' (an address) or 'id' (an identity)",
				where);
	if (pm != NULL) {
		rc = conf_get_addr(x, g, "peer", where, &k->peer_addr);
		if (rc != 0)
			return rc;
		if (k->peer_addr.family == TW_AF_INET)
			k->peer = k->peer_addr.v4;
		if (k->peer_addr.family == TW_AF_INET ?
		    !conf_ipv4_is_unicast(k->peer) :
		    !tw_addr6_is_unicast(k->peer_addr.v6))
			return conf_err(x, pm, "peer '%s' %s is not a unicast address",
					config_setting_get_string(pm), where);
	} else {
		const char *id = config_setting_get_string(im);

		if (id[0] == '\0' || strlen(id) >= CONF_IKE_ID_MAX)
			return conf_err(x, im, "id %s must have 1 to %d characters",
					where, CONF_IKE_ID_MAX - 1);
		conf_strlcpy(k->id, id, sizeof(k->id));
	}
	conf_secret(x, km, "pre-shared key");
	if (!key_ok(config_setting_get_string(km)))
		return conf_err(x, km, "key %s must have 1 to %d printable characters",
				where, CONF_PSK_MAX);
	conf_strlcpy(k->key, config_setting_get_string(km), sizeof(k->key));
	for (i = 0; i + 1 < ike->n_psks; i++) {
		const struct conf_ike_psk *o = &ike->psks[i];

		if ((pm != NULL && tw_addr_eq(&o->peer_addr, &k->peer_addr)) ||
		    (k->id[0] != '\0' && strcmp(o->id, k->id) == 0))
			return conf_err(x, g, "duplicate pre-shared key for %s '%s' (first defined at line %d)",
					pm != NULL ? "peer" : "id",
					pm != NULL ? config_setting_get_string(pm) :
					k->id, o->line);
	}
	return 0;
}

static int
parse_list(struct conf_ctx *x, const config_setting_t *s, const char *key,
	   int (*one)(struct conf_ctx *, const config_setting_t *, int),
	   void **arr, size_t elem)
{
	const config_setting_t *l = config_setting_get_member(s, key);
	int i, n, rc;

	rc = conf_check_list_of_groups(x, l, key);
	if (rc != 0)
		return rc;
	n = config_setting_length(l);
	if (n == 0)
		return conf_err(x, l, "empty '%s' in ike", key);
	*arr = calloc(n, elem);
	if (*arr == NULL)
		return conf_nomem(x);
	for (i = 0; i < n; i++) {
		rc = one(x, config_setting_get_elem(l, i), i);
		if (rc != 0)
			return rc;
	}
	return 0;
}

static int
parse_sub(struct conf_ctx *x, const config_setting_t *s, struct conf_ike *ike)
{
	const config_setting_t *d = config_setting_get_member(s, "dpd");
	const config_setting_t *r = config_setting_get_member(s, "retransmit");
	int64_t iv = DPD_INTERVAL_DEFAULT, rt = DPD_RETRIES_DEFAULT;
	int64_t ms = RTX_MS_DEFAULT, tries = RTX_TRIES_DEFAULT;
	int rc = 0;

	if (d != NULL) {
		rc = conf_check_keys(x, d, dpd_keys, "in ike dpd");
		if (rc == 0)
			rc = conf_get_int(x, d, "interval", "in ike dpd", 0,
					  3600, &iv);
		if (rc == 0)
			rc = conf_get_int(x, d, "retries", "in ike dpd", 1, 20,
					  &rt);
	}
	if (rc == 0 && r != NULL) {
		rc = conf_check_keys(x, r, rtx_keys, "in ike retransmit");
		if (rc == 0)
			rc = conf_get_int(x, r, "timeout_ms", "in ike retransmit",
					  100, 60000, &ms);
		if (rc == 0)
			rc = conf_get_int(x, r, "tries", "in ike retransmit",
					  1, 20, &tries);
	}
	ike->dpd_interval = (uint32_t)iv;
	ike->dpd_retries = (uint32_t)rt;
	ike->retransmit_ms = (uint32_t)ms;
	ike->retransmit_tries = (uint32_t)tries;
	return rc;
}

/* limits = { peer_half_open; peer_sas; create_child;
 * create_child_window; } (IOS "crypto ikev2 limit") */
static int
parse_limits(struct conf_ctx *x, const config_setting_t *s,
	     struct conf_ike *ike)
{
	const config_setting_t *l = config_setting_get_member(s, "limits");
	int64_t ho = PEER_HALF_OPEN_DEFAULT, sas = PEER_SAS_DEFAULT;
	int64_t cc = CREATE_CHILD_DEFAULT, win = CREATE_CHILD_WINDOW_DEFAULT;
	int rc = 0;

	if (l == NULL)
		return 0;
	rc = conf_check_keys(x, l, limit_keys, "in ike limits");
	if (rc == 0)
		rc = conf_get_int(x, l, "peer_half_open", "in ike limits", 1,
				  ike->half_open_max < PEER_LIMIT_MAX ?
				  ike->half_open_max : PEER_LIMIT_MAX, &ho);
	if (rc == 0)
		rc = conf_get_int(x, l, "peer_sas", "in ike limits",
				  PEER_SAS_MIN, PEER_LIMIT_MAX, &sas);
	if (rc == 0)
		rc = conf_get_int(x, l, "create_child", "in ike limits", 1,
				  PEER_LIMIT_MAX, &cc);
	if (rc == 0)
		rc = conf_get_int(x, l, "create_child_window", "in ike limits",
				  1, CREATE_CHILD_WINDOW_MAX, &win);
	ike->peer_half_open = (uint32_t)ho;
	ike->peer_sas = (uint32_t)sas;
	ike->create_child = (uint32_t)cc;
	ike->create_child_window = (uint32_t)win;
	return rc;
}

int
conf_parse_ike(struct conf_ctx *x, const config_setting_t *s)
{
	struct conf_ike *ike = &x->conf->ike;
	int64_t life = LIFETIME_DEFAULT, cookie = COOKIE_THRESHOLD_DEFAULT;
	int64_t half = HALF_OPEN_DEFAULT, ka = NAT_KEEPALIVE_DEFAULT;
	int rc;

	ike->lifetime = LIFETIME_DEFAULT;
	ike->dpd_interval = DPD_INTERVAL_DEFAULT;
	ike->dpd_retries = DPD_RETRIES_DEFAULT;
	ike->cookie_threshold = COOKIE_THRESHOLD_DEFAULT;
	ike->half_open_max = HALF_OPEN_DEFAULT;
	ike->retransmit_ms = RTX_MS_DEFAULT;
	ike->retransmit_tries = RTX_TRIES_DEFAULT;
	ike->nat_keepalive = NAT_KEEPALIVE_DEFAULT;
	ike->peer_half_open = PEER_HALF_OPEN_DEFAULT;
	ike->peer_sas = PEER_SAS_DEFAULT;
	ike->create_child = CREATE_CHILD_DEFAULT;
	ike->create_child_window = CREATE_CHILD_WINDOW_DEFAULT;
	if (s == NULL)
		return 0;
	ike->enabled = true;
	ike->line = config_setting_source_line(s);
	rc = conf_check_keys(x, s, ike_keys, "in ike");
	if (rc == 0)
		rc = parse_list(x, s, "proposals", parse_proposal,
				(void **)&ike->proposals,
				sizeof(ike->proposals[0]));
	if (rc == 0)
		rc = parse_list(x, s, "pre_shared_keys", parse_psk,
				(void **)&ike->psks, sizeof(ike->psks[0]));
	if (rc == 0)
		rc = conf_get_int(x, s, "lifetime", "in ike", LIFETIME_MIN,
				  LIFETIME_MAX, &life);
	if (rc == 0)
		rc = conf_get_int(x, s, "half_open_max", "in ike", 1,
				  HALF_OPEN_MAX, &half);
	if (rc == 0)
		rc = conf_get_int(x, s, "cookie_threshold", "in ike", 0, half,
				  &cookie);
	if (rc == 0)
		rc = conf_get_int(x, s, "nat_keepalive", "in ike", 0,
				  NAT_KEEPALIVE_MAX, &ka);
	if (rc == 0)
		rc = parse_sub(x, s, ike);
	ike->lifetime = (uint32_t)life;
	ike->nat_keepalive = (uint32_t)ka;
	ike->half_open_max = (uint32_t)half;
	ike->cookie_threshold = (uint32_t)cookie;
	if (rc == 0)
		rc = parse_limits(x, s, ike);
	return rc;
}

void
conf_ike_free(struct conf_ike *ike)
{
	if (ike->psks != NULL)
		explicit_bzero(ike->psks, ike->n_psks * sizeof(ike->psks[0]));
	free(ike->psks);
	free(ike->proposals);
	memset(ike, 0, sizeof(*ike));
}

const struct conf_ike_psk *
conf_ike_psk_find(const struct conf *c, const struct tw_addr *peer,
		  const char *id)
{
	unsigned int i;

	for (i = 0; peer != NULL && peer->family != TW_AF_NONE &&
	     i < c->ike.n_psks; i++)
		if (tw_addr_eq(&c->ike.psks[i].peer_addr, peer))
			return &c->ike.psks[i];
	for (i = 0; id != NULL && id[0] != '\0' && i < c->ike.n_psks; i++)
		if (strcmp(c->ike.psks[i].id, id) == 0)
			return &c->ike.psks[i];
	return NULL;
}

const struct conf_ike_proposal *
conf_ike_proposal_find(const struct conf *c, const char *name)
{
	unsigned int i;

	for (i = 0; i < c->ike.n_proposals; i++)
		if (strcmp(c->ike.proposals[i].name, name) == 0)
			return &c->ike.proposals[i];
	return NULL;
}
