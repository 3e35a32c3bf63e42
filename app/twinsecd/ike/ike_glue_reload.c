/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A reload's ipsec-isakmp entries and IKE settings (ike_glue_reload()).
 *
 * Policy indexes never move (SA records, the engine's indexes and the
 * SPD bindings refer to them): a policy whose entry is kept takes the new
 * settings in place, one whose entry is gone or changed is retired (its
 * SAs deleted with an INFORMATIONAL DELETE, the slot kept), and a new or
 * changed entry is appended as a new policy.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ike_glue_priv.h"
#include "install.h"
#include "net_ip.h"
#include "tw_log.h"

/* See ike_glue.c: the tunnel endpoint of a crypto map. */
static struct tw_addr
reload_map_local(void *arg, const struct conf_crypto_map *m, uint8_t family)
{
	return ike_glue_map_local(arg, m, family);
}

static bool
is_changed(const struct ike_glue_entry *chg, unsigned int n_chg,
	   const struct ike_policy *p)
{
	unsigned int i;

	for (i = 0; i < n_chg; i++)
		if (chg[i].seq == p->seq && strcmp(chg[i].map, p->map) == 0)
			return true;
	return false;
}

static int
find_policy(const struct ike_config *cfg, const struct ike_policy *p)
{
	unsigned int i;

	for (i = 0; i < cfg->n_policies; i++)
		if (cfg->policies[i].seq == p->seq &&
		    strcmp(cfg->policies[i].map, p->map) == 0)
			return (int)i;
	return -1;
}

/*
 * Delete what policy p has: an IKE SA of its own carrying no other
 * policy's Child SA goes as a whole (the peer drops its Child SAs with
 * it, RFC 7296 1.4.1); a Child SA of p on another policy's IKE SA goes
 * alone. A standby's copies are the active twin's to delete: its DELETEs
 * reach this twin as sync deletions.
 */
static unsigned int
retire_sas(unsigned int p, tw_time_t now)
{
	struct ike_action acts[IKE_ACTIONS_MAX];
	const struct ike_sa *sa = NULL;
	unsigned int n_ike = 0, n_child = 0, i, k, done = 0;
	uint32_t *ids, *spis, max;
	bool other;
	int rc;

	max = ig.cfg.max_sas;
	ids = calloc(max, sizeof(ids[0]));
	spis = calloc((size_t)max * IKE_CHILD_MAX, sizeof(spis[0]));
	if (ids == NULL || spis == NULL) {
		free(ids);
		free(spis);
		return 0;
	}
	/* Collect first: each delete changes the table. */
	while ((sa = ike_engine_sa_next(ig.e, sa)) != NULL) {
		if (sa->passive)
			continue;
		other = false;
		for (i = 0; i < IKE_CHILD_MAX; i++)
			if (sa->child[i].state != IKE_CHILD_NONE &&
			    sa->child[i].policy != p)
				other = true;
		if (sa->policy == p && !other && n_ike < max) {
			ids[n_ike++] = sa->id;
			continue;
		}
		for (i = 0; i < IKE_CHILD_MAX; i++)
			if (sa->child[i].policy == p &&
			    (sa->child[i].state == IKE_CHILD_INSTALLED ||
			     sa->child[i].state == IKE_CHILD_REKEYED))
				spis[n_child++] = sa->child[i].spi_in;
	}
	for (k = 0; k < n_ike; k++) {
		rc = ike_delete(ig.e, ids[k], now, acts, IKE_ACTIONS_MAX);
		if (rc >= 0)
			done++;
		ike_glue_run(rc, acts, now);
	}
	for (k = 0; k < n_child; k++) {
		rc = ike_delete_child(ig.e, spis[k], now, acts,
				      IKE_ACTIONS_MAX);
		if (rc < 0)
			continue; /* gone with an earlier one */
		done++;
		ike_glue_run(rc, acts, now);
	}
	free(ids);
	free(spis);
	return done;
}

static void
retire(unsigned int p, tw_time_t now, struct ike_glue_reload_stats *st)
{
	struct ike_policy *pol = &ig.cfg.policies[p];
	char pa[TW_ADDR_STRLEN];

	pol->retired = true;
	pol->initiate = IKE_INITIATE_RESPONDER;
	ig.pol[p].restart_at = TW_TIME_NEVER;
	ig.pol[p].renew = false;
	install_spd_bind_acquire(ig.pol[p].spd, 0);
	st->deletes += ike_glue_silent() ? 0 : retire_sas(p, now);
	st->removed++;
	tw_log(TW_LOG_NOTICE, "ike",
	       "reload: crypto map %s seq %u (peer %s) removed",
	       pol->map, pol->seq,
	       tw_addr_str(&pol->peer_addr, pa, sizeof(pa)));
}

/* Room for n more policies in ig.cfg and ig.pol. */
static int
grow(unsigned int n)
{
	unsigned int total = ig.cfg.n_policies + n;
	struct ike_policy *np;
	struct glue_policy *gp;

	if (n == 0)
		return 0;
	np = realloc(ig.cfg.policies, total * sizeof(np[0]));
	if (np == NULL)
		return -ENOMEM;
	ig.cfg.policies = np;
	gp = realloc(ig.pol, total * sizeof(gp[0]));
	if (gp == NULL)
		return -ENOMEM;
	ig.pol = gp;
	return 0;
}

int
ike_glue_reload(const struct conf *c, const struct ike_glue_entry *chg,
		unsigned int n_chg, tw_time_t now,
		struct ike_glue_reload_stats *st, char *err, size_t errlen)
{
	struct ike_action acts[IKE_ACTIONS_MAX];
	struct ike_config ncfg;
	unsigned int i, n_new = 0, first;
	bool *taken = NULL, traffic = false;
	char pa[TW_ADDR_STRLEN], la[TW_ADDR_STRLEN];
	struct ike_policy *pol;
	int rc, j;

	memset(st, 0, sizeof(*st));
	if (ig.e == NULL)
		return 0;
	rc = ike_policy_from_conf(c, reload_map_local, (void *)(uintptr_t)c,
				  &ncfg, err, errlen);
	if (rc < 0)
		return rc;
	taken = calloc(ncfg.n_policies + 1, sizeof(taken[0]));
	if (taken == NULL) {
		ike_policy_free(&ncfg);
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	/* Engine-wide settings: for what is negotiated from now on. The
	 * table of IKE SAs keeps the size it had at start. */
	if (ncfg.max_sas > ig.cfg.max_sas)
		tw_log(TW_LOG_WARNING, "ike",
		       "reload: the IKE SA table keeps its start-up size %u (the new config's is %u: a restart grows it)",
		       ig.cfg.max_sas, ncfg.max_sas);
	ig.cfg.ike_life_s = ncfg.ike_life_s;
	ig.cfg.dpd_interval_s = ncfg.dpd_interval_s;
	ig.cfg.dpd_retries = ncfg.dpd_retries;
	ig.cfg.cookie_threshold = ncfg.cookie_threshold;
	ig.cfg.half_open_max = ncfg.half_open_max;
	ig.cfg.retransmit_ms = ncfg.retransmit_ms;
	ig.cfg.retransmit_tries = ncfg.retransmit_tries;
	ig.cfg.half_open_s = ncfg.half_open_s;
	ig.cfg.rekey_jitter_pct = ncfg.rekey_jitter_pct;
	ig.cfg.nat_keepalive_s = ncfg.nat_keepalive_s;
	/* Per-peer limits: checked at each request, so at once. */
	ig.cfg.peer_half_open_max = ncfg.peer_half_open_max;
	ig.cfg.peer_sa_max = ncfg.peer_sa_max;
	ig.cfg.ccs_rate_max = ncfg.ccs_rate_max;
	ig.cfg.ccs_rate_window_s = ncfg.ccs_rate_window_s;
	/* Kept entries take their new settings; gone or changed retire. */
	for (i = 0; i < ig.cfg.n_policies; i++) {
		pol = &ig.cfg.policies[i];
		if (pol->retired)
			continue;
		j = find_policy(&ncfg, pol);
		if (j < 0 || is_changed(chg, n_chg, pol)) {
			retire(i, now, st);
			continue;
		}
		taken[j] = true;
		if (memcmp(pol, &ncfg.policies[j], sizeof(*pol)) != 0)
			st->updated++;
		*pol = ncfg.policies[j];
		install_spd_bind_acquire(ig.pol[i].spd,
					 pol->initiate == IKE_INITIATE_TRAFFIC ?
					 i + 1 : 0);
	}
	for (j = 0; j < (int)ncfg.n_policies; j++)
		n_new += !taken[j];
	rc = grow(n_new);
	if (rc < 0) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	first = ig.cfg.n_policies;
	for (j = 0; j < (int)ncfg.n_policies; j++) {
		if (taken[j])
			continue;
		i = ig.cfg.n_policies++;
		ig.cfg.policies[i] = ncfg.policies[j];
		memset(&ig.pol[i], 0, sizeof(ig.pol[i]));
		ig.pol[i].restart_at = TW_TIME_NEVER;
		ig.pol[i].spd = install_spd_entry(c, ncfg.policies[j].map,
						  ncfg.policies[j].seq);
		install_spd_bind_acquire(ig.pol[i].spd,
			ncfg.policies[j].initiate == IKE_INITIATE_TRAFFIC ?
			i + 1 : 0);
		st->added++;
	}
	rc = ike_engine_policies_changed(ig.e);
	if (rc < 0) {
		/* The engine's peer index knows only the first ones. */
		ig.cfg.n_policies = first;
		st->added = 0;
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	for (i = 0; i < ig.cfg.n_policies; i++) {
		pol = &ig.cfg.policies[i];
		if (!pol->retired && pol->initiate == IKE_INITIATE_TRAFFIC)
			traffic = true;
		if (i < first)
			continue;
		if (pol->child_life_kb != 0 && !tw_deadline_armed(&ig.bytes_dl))
			tw_heap_arm(&ig.ctl->heap, &ig.bytes_dl, now + TW_SEC(1));
		tw_log(TW_LOG_NOTICE, "ike",
		       "reload: crypto map %s seq %u: peer %s from %s, initiate %s",
		       pol->map, pol->seq,
		       tw_addr_str(&pol->peer_addr, pa, sizeof(pa)),
		       tw_addr_str(&pol->local_addr, la, sizeof(la)),
		       pol->initiate == IKE_INITIATE_START ? "start" :
		       pol->initiate == IKE_INITIATE_RESPONDER ? "responder" :
		       "traffic");
		if (pol->initiate == IKE_INITIATE_START && !ike_glue_silent() &&
		    !ig.stopping)
			ike_glue_run(ike_initiate(ig.e, i, now, acts,
						  IKE_ACTIONS_MAX), acts, now);
	}
	/* The acquire ids of new entries reach the SPD. */
	if (traffic || st->added != 0 || st->removed != 0)
		ike_glue_spd_refresh();
	rc = 0;
out:
	free(taken);
	ike_policy_free(&ncfg);
	return rc;
}
