/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Configuration -> engine: one struct ike_policy per ipsec-isakmp crypto
 * map entry (peer, PSK, IKE proposals, ESP transform, selectors, PFS,
 * lifetimes, identities), and the engine-wide settings of the ike
 * section.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ike.h"
#include "ike_proposal.h"

int
ike_id_from_string(struct ike_id *id, const char *s)
{
	uint8_t a6[16];
	uint32_t a;
	size_t n = strlen(s);

	memset(id, 0, sizeof(*id));
	if (strchr(s, ':') != NULL && tw_addr6_parse(s, a6) == 0) {
		id->type = IKE_ID_IPV6_ADDR;
		id->len = 16;
		memcpy(id->data, a6, 16);
		return 0;
	}
	if (conf_ipv4_parse(s, &a) == 0) {
		id->type = IKE_ID_IPV4_ADDR;
		id->len = 4;
		id->data[0] = a >> 24;
		id->data[1] = (a >> 16) & 0xff;
		id->data[2] = (a >> 8) & 0xff;
		id->data[3] = a & 0xff;
		return 0;
	}
	/* Cut, it would be a prefix: another identity (RFC 7296 3.5, the
	 * whole payload is compared, ike_auth.c). */
	if (n > IKE_ID_MAX)
		return -ENAMETOOLONG;
	if (n == 0)
		return -EINVAL;
	id->type = strchr(s, '@') != NULL ? IKE_ID_RFC822_ADDR : IKE_ID_FQDN;
	id->len = (uint8_t)n;
	memcpy(id->data, s, n);
	return 0;
}

const char *
ike_id_str(const struct ike_id *id, char *buf, size_t len)
{
	size_t i;

	if (id->type == IKE_ID_IPV4_ADDR && id->len == 4) {
		snprintf(buf, len, "%u.%u.%u.%u", id->data[0], id->data[1],
			 id->data[2], id->data[3]);
	} else if (id->type == IKE_ID_IPV6_ADDR && id->len == 16) {
		tw_addr6_str(id->data, buf, len);
	} else if (id->type == IKE_ID_FQDN || id->type == IKE_ID_RFC822_ADDR ||
		   id->type == IKE_ID_KEY_ID) {
		snprintf(buf, len, "%.*s", (int)id->len, (const char *)id->data);
		for (i = 0; buf[i] != '\0'; i++)
			if (buf[i] < 0x20 || buf[i] > 0x7e)
				buf[i] = '?';
	} else {
		snprintf(buf, len, "%s (%u bytes)", ike_id_type_name(id->type),
			 id->len);
	}
	return buf;
}

/* One conf proposal as up to two: AES-GCM apart from AES-CBC (RFC 5282 8:
 * combined-mode and integrity transforms are never in one proposal). */
static void
add_proposals(const struct conf_ike_proposal *cp, struct ike_policy *p)
{
	unsigned int pass, i;

	for (pass = 0; pass < 2; pass++) {
		bool aead = pass == 0;
		struct ike_proposal *x;
		bool any = false;

		for (i = 0; i < cp->n_encr; i++)
			any |= ike_encr_is_aead(cp->encr[i].id) == aead;
		if (!any || p->n_ike_props >= IKE_POLICY_MAX_PROPS)
			continue;
		x = &p->ike_props[p->n_ike_props];
		ike_proposal_init(x, (uint8_t)(p->n_ike_props + 1),
				  IKE_PROTO_IKE, NULL, 0);
		p->n_ike_props++;
		for (i = 0; i < cp->n_encr; i++)
			if (ike_encr_is_aead(cp->encr[i].id) == aead)
				ike_proposal_add(x, IKE_XF_ENCR, cp->encr[i].id,
						 cp->encr[i].bits);
		for (i = 0; i < cp->n_prf; i++)
			ike_proposal_add(x, IKE_XF_PRF, cp->prf[i], 0);
		for (i = 0; !aead && i < cp->n_integ; i++)
			ike_proposal_add(x, IKE_XF_INTEG, cp->integ[i], 0);
		for (i = 0; i < cp->n_dh; i++)
			ike_proposal_add(x, IKE_XF_DH, cp->dh[i], 0);
	}
}

static int
policy_from_entry(const struct conf *c, const struct conf_crypto_map *m,
		  const struct conf_map_entry *en, const struct tw_addr *local,
		  struct ike_policy *p, char *err, size_t errlen)
{
	const struct conf_transform_set *ts = &c->transform_sets[en->transform_set];
	const struct conf_ike_psk *psk;
	unsigned int i;
	int rc;

	memset(p, 0, sizeof(*p));
	snprintf(p->map, sizeof(p->map), "%s", m->name);
	p->seq = en->seq;
	p->local_addr = *local;
	p->peer_addr = en->peer_addr;
	if (en->local_id[0] != '\0') {
		rc = ike_id_from_string(&p->local_id, en->local_id);
	} else {
		char a[TW_ADDR_STRLEN];

		rc = ike_id_from_string(&p->local_id,
					tw_addr_str(local, a, sizeof(a)));
	}
	if (rc == 0 && en->remote_id[0] != '\0')
		rc = ike_id_from_string(&p->remote_id, en->remote_id);
	if (rc < 0) {
		snprintf(err, errlen, "%s:%d: crypto map %s seq %u: identity longer than %u bytes",
			 c->path, en->line, m->name, en->seq, IKE_ID_MAX);
		return rc;
	}
	psk = conf_ike_psk_find(c, &en->peer_addr, en->remote_id);
	if (psk == NULL) {
		snprintf(err, errlen, "%s:%d: crypto map %s seq %u: no pre-shared key",
			 c->path, en->line, m->name, en->seq);
		return -EINVAL;
	}
	p->psk_len = (uint8_t)strlen(psk->key);
	memcpy(p->psk, psk->key, p->psk_len);
	for (i = 0; i < c->ike.n_proposals; i++)
		if (en->ike_proposal[0] == '\0' ||
		    strcmp(en->ike_proposal, c->ike.proposals[i].name) == 0)
			add_proposals(&c->ike.proposals[i], p);
	p->cipher = ts->cipher;
	p->integ = ts->integ;
	p->esn = en->esn;
	p->pfs_group = en->pfs_group;
	p->replay_window = en->replay_window;
	/* IPv4 rules first, then IPv6 ones (the config keeps them apart),
	 * each in file order: the pairs narrowing tries in turn. */
	for (i = 0; i < en->n_matches + en->n_matches6; i++) {
		const struct conf_match *cm = i < en->n_matches ?
			&en->matches[i] : &en->matches6[i - en->n_matches];

		if (cm->action != CONF_POLICY_PROTECT)
			continue;
		if (p->n_ts == IKE_POLICY_MAX_TS) {
			snprintf(err, errlen, "%s:%d: crypto map %s seq %u: at most %u protect rules with IKE",
				 c->path, en->line, m->name, en->seq,
				 IKE_POLICY_MAX_TS);
			return -EINVAL;
		}
		ike_ts_from_conf_match(cm, &p->ts[p->n_ts++]);
	}
	if (p->n_ts == 0 || p->n_ike_props == 0) {
		snprintf(err, errlen, "%s:%d: crypto map %s seq %u: no protect rule or no IKE proposal",
			 c->path, en->line, m->name, en->seq);
		return -EINVAL;
	}
	p->child_life_s = en->lifetime_s;
	p->child_life_kb = en->lifetime_kb;
	p->initiate = en->initiate == CONF_INITIATE_START ? IKE_INITIATE_START :
		en->initiate == CONF_INITIATE_RESPONDER ?
		IKE_INITIATE_RESPONDER : IKE_INITIATE_TRAFFIC;
	return 0;
}

/* The config's defaults (conf.h) are lib/ike's (ike.h). */
_Static_assert(CONF_IKE_PEER_HALF_OPEN_DEFAULT == IKE_PEER_HALF_OPEN_MAX,
	       "per-peer half-open default");
_Static_assert(CONF_IKE_PEER_SAS_DEFAULT == IKE_PEER_SA_MAX,
	       "per-peer IKE SA default");
_Static_assert(CONF_IKE_CREATE_CHILD_DEFAULT == IKE_CREATE_CHILD_RATE_MAX,
	       "CREATE_CHILD_SA rate default");
_Static_assert(CONF_IKE_CREATE_CHILD_WINDOW_DEFAULT ==
	       IKE_CREATE_CHILD_RATE_WINDOW_S, "CREATE_CHILD_SA window default");

int
ike_policy_from_conf(const struct conf *c,
		     struct tw_addr (*local_addr)(void *arg,
					const struct conf_crypto_map *m,
					uint8_t family),
		     void *arg, struct ike_config *cfg, char *err,
		     size_t errlen)
{
	unsigned int i, j, n = 0;
	struct tw_addr local;
	int rc;

	ike_config_defaults(cfg);
	cfg->ike_life_s = c->ike.lifetime;
	cfg->dpd_interval_s = c->ike.dpd_interval;
	cfg->dpd_retries = c->ike.dpd_retries;
	cfg->cookie_threshold = c->ike.cookie_threshold;
	cfg->half_open_max = c->ike.half_open_max;
	cfg->retransmit_ms = c->ike.retransmit_ms;
	cfg->retransmit_tries = c->ike.retransmit_tries;
	cfg->nat_keepalive_s = c->ike.nat_keepalive;
	/* 0 in a conf not from the parser (tests): lib/ike's default */
	if (c->ike.peer_half_open != 0)
		cfg->peer_half_open_max = c->ike.peer_half_open;
	if (c->ike.peer_sas != 0)
		cfg->peer_sa_max = c->ike.peer_sas;
	if (c->ike.create_child != 0)
		cfg->ccs_rate_max = c->ike.create_child;
	if (c->ike.create_child_window != 0)
		cfg->ccs_rate_window_s = c->ike.create_child_window;
	if (cfg->max_sas < c->ike.half_open_max + 64)
		cfg->max_sas = c->ike.half_open_max + 64;
	for (i = 0; i < c->n_crypto_maps; i++)
		for (j = 0; j < c->crypto_maps[i].n_entries; j++)
			n += c->crypto_maps[i].entries[j].type ==
				CONF_MAP_IPSEC_ISAKMP;
	if (n == 0)
		return 0;
	/* Each peer's IKE SA and, while it is rekeyed, its successor, plus
	 * the half-open ones: 1024 slots capped the tunnels at about 500. */
	if (cfg->max_sas < 2 * n + c->ike.half_open_max + 64)
		cfg->max_sas = 2 * n + c->ike.half_open_max + 64;
	cfg->policies = calloc(n, sizeof(cfg->policies[0]));
	if (cfg->policies == NULL) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	for (i = 0; i < c->n_crypto_maps; i++) {
		const struct conf_crypto_map *m = &c->crypto_maps[i];

		for (j = 0; j < m->n_entries; j++) {
			if (m->entries[j].type != CONF_MAP_IPSEC_ISAKMP)
				continue;
			/* Our endpoint of the peer's family. */
			local = local_addr(arg, m,
					   m->entries[j].peer_addr.family);
			if (local.family == TW_AF_NONE)
				continue; /* bound to no interface */
			rc = policy_from_entry(c, m, &m->entries[j], &local,
					       &cfg->policies[cfg->n_policies],
					       err, errlen);
			if (rc < 0) {
				ike_policy_free(cfg);
				return rc;
			}
			cfg->n_policies++;
		}
	}
	return 0;
}

void
ike_policy_free(struct ike_config *cfg)
{
	if (cfg->policies != NULL)
		explicit_bzero(cfg->policies,
			       cfg->n_policies * sizeof(cfg->policies[0]));
	free(cfg->policies);
	cfg->policies = NULL;
	cfg->n_policies = 0;
}
