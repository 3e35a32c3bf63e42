/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The IKE glue and the twin: what the listeners (the redundancy layer)
 * are told of each IKE SA, the passive copies of the twin's IKE SAs
 * (records from the active twin, bulk sync), and the change of role
 * (takeover: every copy activated; relinquish: every IKE SA passive).
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include <openssl/crypto.h>

#include "ike_glue_priv.h"
#include "tw_log.h"

int
ike_glue_listen(const struct ike_glue_listener *l, void *arg)
{
	if (ig.n_lis == IKE_GLUE_MAX_LISTENERS)
		return -ENOSPC;
	ig.lis[ig.n_lis].l = l;
	ig.lis[ig.n_lis++].arg = arg;
	return 0;
}

static void
mirror_gone(struct glue_mirror *m)
{
	unsigned int i;

	if (m->synced) {
		for (i = 0; i < ig.n_lis; i++)
			ig.lis[i].l->sa_deleted(ig.lis[i].arg, m->spi_i,
						m->spi_r);
		ig.cnt.sync_deleted++;
	}
	memset(m, 0, sizeof(*m));
}

/* Give the listeners the SA's record if anything a twin needs changed
 * (and its rekeyed successor's), or its deletion. */
void
ike_glue_mirror(uint32_t id, tw_time_t now)
{
	const struct ike_sa *sa = ike_engine_sa(ig.e, id);
	struct glue_mirror *m;
	unsigned int i;
	uint64_t sig;
	int len;

	if (sa == NULL || sa->passive || id > ig.cfg.max_sas)
		return;
	m = &ig.mir[id - 1];
	if (m->synced && (m->spi_i != sa->spi_i || m->spi_r != sa->spi_r))
		mirror_gone(m);  /* the slot holds another SA now */
	if (sa->state == IKE_SA_DEAD || !ike_sa_mirrorable(sa)) {
		mirror_gone(m);
		return;
	}
	sig = ike_sa_sync_sig(sa);
	if (!m->synced || sig != m->sig) {
		/* The record holds keys: wiped once the listeners have it
		 * (or by ike_sa_rec_encode() when it did not fit). */
		len = ike_sa_rec_encode(ig.e, sa, now, ig.rec, sizeof(ig.rec));
		if (len > 0) {
			for (i = 0; i < ig.n_lis; i++)
				ig.lis[i].l->sa_record(ig.lis[i].arg, ig.rec,
						       (size_t)len);
			explicit_bzero(ig.rec, (size_t)len);
			m->sig = sig;
			m->spi_i = sa->spi_i;
			m->spi_r = sa->spi_r;
			m->synced = true;
			ig.cnt.synced++;
		}
	}
	if (sa->rekeyed_to != 0 && sa->rekeyed_to != id)
		ike_glue_mirror(sa->rekeyed_to, now);
}

int
ike_glue_export_next(uint32_t *cursor, uint8_t *buf, size_t cap)
{
	const struct ike_sa *sa;
	tw_time_t now = ctl_now();
	int len;

	if (ig.e == NULL)
		return 0;
	while (*cursor < ig.cfg.max_sas) {
		sa = ike_engine_sa(ig.e, ++*cursor);
		if (sa == NULL || sa->passive || !ike_sa_mirrorable(sa))
			continue;
		len = ike_sa_rec_encode(ig.e, sa, now, buf, cap);
		if (len > 0) {
			ig.mir[sa->id - 1].sig = ike_sa_sync_sig(sa);
			ig.mir[sa->id - 1].spi_i = sa->spi_i;
			ig.mir[sa->id - 1].spi_r = sa->spi_r;
			ig.mir[sa->id - 1].synced = true;
			return len;
		}
	}
	return 0;
}

int
ike_glue_import(const uint8_t *rec, size_t len, tw_time_t now)
{
	char err[160];
	uint32_t id;
	int rc;

	if (ig.e == NULL)
		return -ENOENT;
	rc = ike_sa_rec_decode(rec, len, now, &ig.in_rec, err, sizeof(err));
	if (rc == 0)
		rc = ike_sa_import(ig.e, &ig.in_rec, now, &id, err,
				   sizeof(err));
	OPENSSL_cleanse(&ig.in_rec, sizeof(ig.in_rec));
	if (rc < 0) {
		ig.cnt.import_errors++;
		tw_log(TW_LOG_WARNING, "ike",
		       "IKE SA record from the twin refused: %s", err);
		return rc;
	}
	ig.mir[id - 1].stale = false;
	ig.cnt.imported++;
	return 0;
}

int
ike_glue_adopt(const uint8_t *rec, size_t len, tw_time_t now)
{
	char err[160];
	int rc;

	if (ig.e == NULL)
		return -ENOENT;
	rc = ike_sa_rec_decode(rec, len, now, &ig.in_rec, err, sizeof(err));
	if (rc == 0)
		rc = ike_sa_adopt_msgids(ig.e, &ig.in_rec);
	else
		tw_log(TW_LOG_WARNING, "ike",
		       "IKE SA record from the twin refused: %s", err);
	OPENSSL_cleanse(&ig.in_rec, sizeof(ig.in_rec));
	if (rc > 0)
		ig.cnt.adopted++;
	return rc;
}

void
ike_glue_import_delete(uint64_t spi_i, uint64_t spi_r)
{
	if (ig.e != NULL && ike_sa_import_delete(ig.e, spi_i, spi_r) == 0)
		tw_log(TW_LOG_INFO, "ike",
		       "IKE SA %016" PRIx64 "/%016" PRIx64 ": standby copy deleted by the twin",
		       spi_i, spi_r);
}

void
ike_glue_bulk_begin(void)
{
	const struct ike_sa *sa = NULL;

	if (ig.e == NULL)
		return;
	while ((sa = ike_engine_sa_next(ig.e, sa)) != NULL)
		ig.mir[sa->id - 1].stale = sa->passive;
}

static void
drop_passive(bool only_stale)
{
	const struct ike_sa *sa = NULL;
	uint64_t spis[2];

	if (ig.e == NULL)
		return;
	while ((sa = ike_engine_sa_next(ig.e, sa)) != NULL) {
		if (!sa->passive || (only_stale && !ig.mir[sa->id - 1].stale))
			continue;
		spis[0] = sa->spi_i;
		spis[1] = sa->spi_r;
		ig.mir[sa->id - 1].stale = false;
		(void)ike_sa_import_delete(ig.e, spis[0], spis[1]);
	}
}

void
ike_glue_bulk_commit(void)
{
	drop_passive(true);
}

void
ike_glue_drop_passive(void)
{
	drop_passive(false);
}

/* The newest installed IKE outbound SA of a crypto map entry in the SA
 * database (children the engine does not know: a twin without the IKE
 * SA's record). */
static void
sadb_newest_out(unsigned int p)
{
	const struct ike_policy *pol = &ig.cfg.policies[p];
	const struct sadb_sa *sa;
	struct tw_addr peer;
	unsigned int f;
	uint32_t spi;
	tw_time_t t;

	for (f = 0; f < INSTALL_INNER_N; f++) {
		if (ig.pol[p].out[f].spi != 0)
			continue;
		spi = 0;
		t = 0;
		peer = (struct tw_addr){ .family = TW_AF_NONE };
		for (sa = sadb_sa_next(ig.ctl->sadb, NULL); sa != NULL;
		     sa = sadb_sa_next(ig.ctl->sadb, sa)) {
			if (sa->p.dir != SADB_DIR_OUT ||
			    sa->p.origin != SADB_ORIGIN_IKE ||
			    sa->state != SADB_SA_INSTALLED ||
			    sa->p.map_seq != pol->seq ||
			    strcmp(sa->p.map, pol->map) != 0 ||
			    sa->created < t ||
			    (sadb_inner_af(&sa->p) == TW_AF_INET6) !=
			    (f == INSTALL_INNER_V6))
				continue;
			t = sa->created;
			spi = sa->p.spi;
			peer = sadb_sa_peer(&sa->p);
		}
		if (spi != 0)
			ike_glue_pol_out(p, f, spi, &peer);
	}
}

uint32_t
ike_glue_takeover(tw_time_t now)
{
	struct ike_action acts[IKE_ACTIONS_MAX];
	const struct ike_sa *sa = NULL;
	uint32_t ids[256], n = 0, i, total = 0;
	unsigned int p;

	if (ig.e == NULL)
		return 0;
	/* Activation may start exchanges (and free SAs): collect first. */
	do {
		n = 0;
		while ((sa = ike_engine_sa_next(ig.e, sa)) != NULL && n < 256)
			if (sa->passive)
				ids[n++] = sa->id;
		for (i = 0; i < n; i++)
			ike_glue_run(ike_sa_activate(ig.e, ids[i], now, acts,
						     IKE_ACTIONS_MAX),
				     acts, now);
		total += n;
		sa = NULL;
	} while (n == 256);
	for (p = 0; p < ig.cfg.n_policies; p++) {
		ike_glue_other_out(p, 0);
		sadb_newest_out(p);
		if (ig.cfg.policies[p].initiate == IKE_INITIATE_START &&
		    ike_sa_of_policy(ig.e, p) == NULL)
			ike_glue_run(ike_initiate(ig.e, p, now, acts,
						  IKE_ACTIONS_MAX), acts, now);
	}
	tw_log(TW_LOG_NOTICE, "ike", "takeover: %u IKE SA%s carried on", total,
	       total == 1 ? "" : "s");
	return total;
}

int
ike_glue_rekey_out(uint32_t spi_out, uint32_t peer, tw_time_t now)
{
	struct ike_action acts[IKE_ACTIONS_MAX];
	const struct ike_sa *sa = NULL;
	const struct ike_child *c;
	uint32_t spi_in = 0;
	unsigned int i;
	int n;

	if (ig.e == NULL)
		return -ENOENT;
	while (spi_in == 0 && (sa = ike_engine_sa_next(ig.e, sa)) != NULL) {
		if (sa->passive)
			continue;
		for (i = 0; i < IKE_CHILD_MAX; i++) {
			c = &sa->child[i];
			if (c->state == IKE_CHILD_INSTALLED &&
			    c->spi_out == spi_out &&
			    (peer == 0 || (c->peer_addr.family == TW_AF_INET &&
					   c->peer_addr.v4 == peer))) {
				spi_in = c->spi_in;
				break;
			}
		}
	}
	if (spi_in == 0)
		return -ENOENT;
	n = ike_rekey_child(ig.e, spi_in, now, acts, IKE_ACTIONS_MAX);
	if (n < 0)
		return n;
	ike_glue_run(n, acts, now);
	return 0;
}

void
ike_glue_relinquish(tw_time_t now)
{
	struct ike_action acts[IKE_ACTIONS_MAX];
	const struct ike_sa *sa = NULL;

	if (ig.e == NULL)
		return;
	while ((sa = ike_engine_sa_next(ig.e, sa)) != NULL)
		if (!sa->passive)
			ike_glue_run(ike_sa_passivate(ig.e, sa->id, now, acts,
						      IKE_ACTIONS_MAX),
				     acts, now);
	for (sa = NULL; (sa = ike_engine_sa_next(ig.e, sa)) != NULL;)
		memset(&ig.mir[sa->id - 1], 0, sizeof(ig.mir[0]));
}

void
ike_glue_sa_count(uint32_t *active, uint32_t *standby)
{
	const struct ike_sa *sa = NULL;

	*active = *standby = 0;
	if (ig.e == NULL)
		return;
	while ((sa = ike_engine_sa_next(ig.e, sa)) != NULL) {
		*standby += sa->passive;
		*active += !sa->passive;
	}
}

tw_time_t
ike_glue_fresh(void)
{
	const struct ike_sa *sa = NULL;
	tw_time_t t = 0;

	if (ig.e == NULL)
		return 0;
	while ((sa = ike_engine_sa_next(ig.e, sa)) != NULL)
		if (!sa->passive && ike_sa_mirrorable(sa) && sa->last_rx > t)
			t = sa->last_rx;
	return t;
}
