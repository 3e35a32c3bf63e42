/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * CREATE_CHILD_SA (RFC 7296 1.3): Child SA rekey (1.3.3) with optional
 * PFS, IKE SA rekey (1.3.2, 2.18), new Child SAs, the rekey collision
 * rule (2.8.1: the exchange with the lowest nonce loses), and the Child SA
 * helpers IKE_AUTH shares (proposal, algorithms, KEYMAT, narrowing).
 */
#include <errno.h>
#include <string.h>

#include <openssl/crypto.h>

#include "ike_priv.h"
#include "tw_bytes.h"
#include "tw_log.h"

int
ike_nonce_cmp(const uint8_t *a, size_t al, const uint8_t *b, size_t bl)
{
	size_t n = al < bl ? al : bl;
	int c = memcmp(a, b, n);

	if (c != 0)
		return c;
	return (al > bl) - (al < bl);
}

static void
set_nmin(struct ike_child *c, const uint8_t *a, size_t al, const uint8_t *b,
	 size_t bl)
{
	if (ike_nonce_cmp(a, al, b, bl) > 0) {
		a = b;
		al = bl;
	}
	memcpy(c->nmin, a, al);
	c->nmin_len = (uint16_t)al;
}

/*
 * When to try a refused rekey again: not at once (RFC 7296 2.25: the
 * peer finishes what made it refuse), in a minute, but well before the
 * hard lifetime ends.
 */
static tw_time_t
retry_at(const struct ike_engine *e, tw_time_t hard)
{
	tw_time_t d = TW_SEC(60);

	if (hard != TW_TIME_NEVER && hard > e->now && (hard - e->now) / 2 < d)
		d = (hard - e->now) / 2;
	if (d < TW_SEC(1))
		d = TW_SEC(1);
	return e->now + d;
}

/* ---- helpers shared with IKE_AUTH ---- */

int
ike_esp_proposal(const struct ike_engine *e, unsigned int pi, bool pfs,
		 uint32_t spi, struct ike_proposal *out)
{
	const struct ike_policy *p = &e->cfg->policies[pi];
	struct conf_transform_set ts = { .cipher = p->cipher,
					 .integ = p->integ };

	/* RFC 7296 1.2: no KE in IKE_AUTH, so no DH in SAi2. */
	return ike_proposal_esp_from_conf(&ts, p->esn,
					  pfs ? p->pfs_group : IKE_DH_NONE,
					  spi, 1, out);
}

int
ike_child_set_algs(struct ike_child *c, const struct ike_proposal *ch)
{
	const struct ike_xform *dh = ike_proposal_get(ch, IKE_XF_DH);

	c->pfs_group = dh != NULL ? dh->id : IKE_DH_NONE;
	return ike_proposal_esp_to_conf(ch, &c->cipher, &c->integ, &c->esn);
}

int
ike_child_derive(struct ike_engine *e, struct ike_sa *sa, struct ike_child *c,
		 const uint8_t *gir, size_t gir_len, const uint8_t *ni,
		 size_t ni_len, const uint8_t *nr, size_t nr_len)
{
	uint16_t encr, bits, integ;

	if (ike_esp_algs_from_conf(c->cipher, c->integ, &encr, &bits,
				   &integ) < 0)
		return -ENOTSUP;
	set_nmin(c, ni, ni_len, nr, nr_len);
	return ike_child_keys_derive(e->ops, sa->algs.prf, sa->keys.d,
				     sa->keys.d_len, gir, gir_len, ni, ni_len,
				     nr, nr_len, encr, bits, integ, &c->keys);
}

int
ike_child_narrow(struct ike_engine *e, struct ike_sa *sa, struct ike_child *c,
		 unsigned int *which)
{
	const struct ike_policy *p = &e->cfg->policies[sa->policy];
	const struct ike_payload *tsi = ike_find(e, IKE_PL_TSI);
	const struct ike_payload *tsr = ike_find(e, IKE_PL_TSR);
	struct ike_ts pi[IKE_TS_MAX], pr[IKE_TS_MAX];
	struct ike_ts ol[IKE_TS_MAX], orr[IKE_TS_MAX];
	unsigned int ni, nr, nol = 0, nor = 0, i;
	int rc;

	if (tsi == NULL || tsr == NULL)
		return -ENOENT;
	ni = ike_ts_all(&tsi->u.ts, pi, IKE_TS_MAX);
	nr = ike_ts_all(&tsr->u.ts, pr, IKE_TS_MAX);
	/* As responder: TSi is the peer's side (remote), TSr ours. */
	rc = ike_ts_narrow(pi, ni, pr, nr, p->ts, p->n_ts, orr, &nor, ol,
			   &nol, which);
	if (rc < 0)
		return rc;
	for (i = 0; i < nor && i < IKE_CHILD_TS_MAX; i++)
		c->ts_remote[i] = orr[i];
	c->n_remote = (uint8_t)i;
	for (i = 0; i < nol && i < IKE_CHILD_TS_MAX; i++)
		c->ts_local[i] = ol[i];
	c->n_local = (uint8_t)i;
	return 0;
}

/* g^ir of a KE payload with a fresh key of group; our public value out. */
static int
dh_exchange(struct ike_engine *e, uint16_t group, const struct ike_payload *ke,
	    uint8_t *pub, int *pub_len, uint8_t *gir)
{
	struct ike_dh *dh = NULL;
	int n, rc;

	rc = e->ops->dh_new(group, &e->rng, &dh);
	if (rc < 0)
		return rc;
	*pub_len = e->ops->dh_public(dh, pub, IKE_DH_PUB_MAX);
	n = e->ops->dh_shared(dh, ke->u.ke.data.p, ke->u.ke.data.len, gir,
			      IKE_DH_SECRET_MAX);
	e->ops->dh_free(dh);
	if (*pub_len < 0)
		return *pub_len;
	return n;
}

/* Move the children of old into new (IKE SA rekey: 2.18). */
static void
move_children(struct ike_engine *e, struct ike_sa *old, struct ike_sa *new)
{
	struct ike_child *c;
	unsigned int i;

	for (i = 0; i < IKE_CHILD_MAX; i++) {
		if (old->child[i].state == IKE_CHILD_NONE)
			continue;
		c = ike_child_alloc(new);
		if (c == NULL) {
			/* Cannot happen (new has no more children than
			 * old, which has room for them all), but never
			 * leak a child the data plane holds. */
			ike_child_remove(e, old, &old->child[i],
					 "no room in the new IKE SA");
			continue;
		}
		*c = old->child[i];
		c->sa_id = new->id;
		/* Its keys live on in new only. */
		OPENSSL_cleanse(&old->child[i], sizeof(old->child[i]));
	}
}

void
ike_sa_nmin(const struct ike_sa *sa, const uint8_t **p, size_t *len)
{
	if (ike_nonce_cmp(sa->ni, sa->ni_len, sa->nr, sa->nr_len) <= 0) {
		*p = sa->ni;
		*len = sa->ni_len;
	} else {
		*p = sa->nr;
		*len = sa->nr_len;
	}
}

/* The peer's rekey of sa that arrived while ours was in flight, if it
 * still stands. */
static struct ike_sa *
collide_sa(struct ike_engine *e, struct ike_sa *sa)
{
	struct ike_sa *n;

	if (sa->collide_id == 0 || sa->collide_id > e->cfg->max_sas)
		return NULL;
	n = &e->sas[sa->collide_id - 1];
	if (!n->used || n->state != IKE_SA_ESTABLISHED)
		return NULL;
	return n;
}

/*
 * n replaced sa: its children move to n. The initiator of the surviving
 * rekey deletes the old SA (RFC 7296 1.3.2, 2.8.2); the other side waits
 * for that DELETE (REKEYED, a grace time, then it deletes it itself).
 */
static void
rekey_done(struct ike_engine *e, struct ike_sa *sa, struct ike_sa *n,
	   bool ours)
{
	move_children(e, sa, n);
	/* A new Child SA queued behind the rekey goes on the new SA. */
	n->want_child = n->want_child || sa->want_child;
	sa->want_child = false;
	sa->rekeyed_to = n->id;
	sa->collide_id = 0;
	e->cnt.sa_rekeyed++;
	ike_sa_set_state(e, sa, IKE_SA_REKEYED, ours ? "rekeyed by us" :
			 "rekeyed by the peer");
	if (ours && sa->req == IKE_REQ_NONE)
		ike_info_delete_ike(e, sa);
	ike_sa_rearm(e, n);
}

void
ike_rekey_adopt_collision(struct ike_engine *e, struct ike_sa *sa)
{
	struct ike_sa *n = collide_sa(e, sa);

	if (n == NULL)
		return;
	ike_log(e, sa, TW_LOG_INFO,
		"IKE SA rekey collision: ours did not complete, the peer's (IKE SA %u) stands",
		n->id);
	rekey_done(e, sa, n, false);
}

static struct ike_sa *
new_ike_sa(struct ike_engine *e, struct ike_sa *old)
{
	struct ike_sa *n = ike_sa_alloc(e);

	if (n == NULL)
		return NULL;
	n->policy = old->policy;
	n->local_addr = old->local_addr;
	n->peer_addr = old->peer_addr;
	n->local_port = old->local_port;
	n->peer_port = old->peer_port;
	n->nat_local = old->nat_local;
	n->nat_peer = old->nat_peer;
	n->peer_id = old->peer_id;
	/* The rate limit (ike.h) goes on: a rekey does not reset it. */
	n->ccs_since = old->ccs_since;
	n->ccs_count = old->ccs_count;
	return n;
}

static int
rekey_ike_keys(struct ike_engine *e, struct ike_sa *old, struct ike_sa *n,
	       const uint8_t *gir, size_t gir_len)
{
	uint8_t seed[IKE_PRF_MAX];
	int rc;

	rc = ike_skeyseed_rekey(e->ops, old->algs.prf, old->keys.d,
				old->keys.d_len, gir, gir_len, n->ni,
				n->ni_len, n->nr, n->nr_len, seed);
	if (rc == 0)
		rc = ike_sa_keys_derive(e->ops, &n->algs, seed,
					ike_prf_len(n->algs.prf), n->ni,
					n->ni_len, n->nr, n->nr_len, n->spi_i,
					n->spi_r, &n->keys);
	OPENSSL_cleanse(seed, sizeof(seed));
	return rc;
}

/* ---- responder ---- */

/* The peer of sa holds peer_sa_max IKE SAs (ike.h, IKE_PEER_SA_MAX). */
static bool
peer_at_limit(const struct ike_engine *e, const struct ike_sa *sa)
{
	const struct ike_policy *p = &e->cfg->policies[sa->policy];
	struct ike_sa *oldest;
	unsigned int half;

	return ike_peer_sas(e, &p->peer_addr, &half, &oldest) >=
		e->cfg->peer_sa_max;
}

/*
 * The rate limit of CREATE_CHILD_SA requests on one IKE SA (ike.h): true
 * if this one is over it. A fixed window: the first request after
 * ccs_rate_window_s opens a new one. Refused requests are
 * not counted, the window ends for a peer that keeps trying.
 */
static bool
create_child_limited(struct ike_engine *e, struct ike_sa *sa)
{
	if (sa->ccs_count == 0 ||
	    e->now - sa->ccs_since >= TW_SEC(e->cfg->ccs_rate_window_s)) {
		sa->ccs_since = e->now;
		sa->ccs_count = 0;
	}
	if (sa->ccs_count >= e->cfg->ccs_rate_max)
		return true;
	sa->ccs_count++;
	return false;
}

static void
ike_rekey_request(struct ike_engine *e, struct ike_sa *sa,
		  const struct ike_payload *pl_sa, const struct ike_payload *ni,
		  const struct ike_payload *ke)
{
	const struct ike_policy *p = &e->cfg->policies[sa->policy];
	uint8_t pub[IKE_DH_PUB_MAX], gir[IKE_DH_SECRET_MAX], g[2];
	struct ike_proposal chosen;
	struct ike_builder b;
	const char *why = "";
	struct ike_sa *n;
	int pub_len = 0, gl, len;

	if (ike_proposal_select(&pl_sa->u.sa, p->ike_props, p->n_ike_props,
				&chosen, &why) < 0 || chosen.spi_size != 8) {
		e->cnt.no_proposal++;
		ike_log(e, sa, TW_LOG_WARNING, "IKE SA rekey: %s: NO_PROPOSAL_CHOSEN",
			why);
		ike_respond_notify(e, sa, IKE_EXCH_CREATE_CHILD_SA,
				   IKE_N_NO_PROPOSAL_CHOSEN, NULL, 0);
		return;
	}
	/* RFC 7296 2.25: TEMPORARY_FAILURE, to try again once the peer's
	 * old IKE SAs are gone (ike.h, peer_sa_max). */
	if (peer_at_limit(e, sa)) {
		e->cnt.peer_sa_limit++;
		ike_log(e, sa, TW_LOG_WARNING,
			"IKE SA rekey refused: the peer holds %u IKE SAs",
			e->cfg->peer_sa_max);
		ike_respond_notify(e, sa, IKE_EXCH_CREATE_CHILD_SA,
				   IKE_N_TEMPORARY_FAILURE, NULL, 0);
		return;
	}
	n = new_ike_sa(e, sa);
	if (n == NULL) {
		ike_respond_notify(e, sa, IKE_EXCH_CREATE_CHILD_SA,
				   IKE_N_TEMPORARY_FAILURE, NULL, 0);
		return;
	}
	if (ike_proposal_ike_algs(&chosen, &n->algs) < 0 || ke == NULL ||
	    ke->u.ke.group != n->algs.dh) {
		g[0] = n->algs.dh >> 8;
		g[1] = n->algs.dh & 0xff;
		ike_sa_kill(e, n, "rekey: INVALID_KE_PAYLOAD");
		ike_respond_notify(e, sa, IKE_EXCH_CREATE_CHILD_SA,
				   IKE_N_INVALID_KE_PAYLOAD, g, sizeof(g));
		return;
	}
	n->initiator = false;   /* the rekey's initiator is the new one's */
	n->spi_i = tw_get64(chosen.spi);
	n->ni_len = (uint16_t)ni->u.nonce.len;
	memcpy(n->ni, ni->u.nonce.p, n->ni_len);
	n->nr_len = IKE_NONCE_LEN;
	if (ike_rng_spi(&e->rng, &n->spi_r) < 0 ||
	    ike_rng_bytes(&e->rng, n->nr, n->nr_len) < 0 ||
	    (gl = dh_exchange(e, n->algs.dh, ke, pub, &pub_len, gir)) < 0 ||
	    rekey_ike_keys(e, sa, n, gir, (size_t)gl) < 0) {
		OPENSSL_cleanse(gir, sizeof(gir));
		ike_sa_kill(e, n, "rekey: key exchange failed");
		ike_respond_notify(e, sa, IKE_EXCH_CREATE_CHILD_SA,
				   IKE_N_NO_PROPOSAL_CHOSEN, NULL, 0);
		return;
	}
	OPENSSL_cleanse(gir, sizeof(gir));
	tw_put64(chosen.spi, n->spi_r);
	ike_msg_begin(e, sa, &b, sa->resp_buf, IKE_EXCH_CREATE_CHILD_SA, true,
		      sa->msgid_in);
	ike_build_sa(&b, &chosen, 1);
	ike_build_nonce(&b, n->nr, n->nr_len);
	ike_build_ke(&b, n->algs.dh, pub, (size_t)pub_len);
	len = ike_msg_seal(e, sa, &b, true);
	if (len < 0) {
		ike_sa_kill(e, n, "rekey: cannot answer");
		return;
	}
	ike_xmit_response(e, sa, len);
	ike_sa_set_state(e, n, IKE_SA_ESTABLISHED, "IKE SA rekeyed by the peer");
	ike_act_sa(e, IKE_ACT_IKE_UP, n, "rekeyed by the peer");
	if (sa->req == IKE_REQ_IKE_REKEY) {
		/* RFC 7296 2.8.2: both rekey at once. Both exchanges
		 * complete; which new SA stays is decided when ours ends,
		 * the children stay here until then. */
		ike_log(e, sa, TW_LOG_INFO,
			"IKE SA rekey collision: the peer's rekey is IKE SA %u, ours is in flight",
			n->id);
		sa->collide_id = n->id;
		n->collide_of = sa->id;
		ike_sa_rearm(e, n);
		return;
	}
	rekey_done(e, sa, n, false);
}

static void
child_create_request(struct ike_engine *e, struct ike_sa *sa,
		     const struct ike_payload *pl_sa,
		     const struct ike_payload *ni, const struct ike_payload *ke)
{
	const struct ike_payload *rk = ike_msg_notify(&e->msg, IKE_N_REKEY_SA);
	const struct ike_policy *p = &e->cfg->policies[sa->policy];
	uint8_t pub[IKE_DH_PUB_MAX], gir[IKE_DH_SECRET_MAX], g[2];
	struct ike_proposal ours, chosen;
	struct ike_child *old = NULL, *c;
	uint8_t nr[IKE_NONCE_LEN];
	const char *why = "";
	struct ike_builder b;
	int pub_len = 0, gl = 0, len;
	uint32_t spi;

	if (rk != NULL) {
		if (rk->u.notify.proto != IKE_PROTO_ESP ||
		    rk->u.notify.spi.len != 4 ||
		    (old = ike_child_by_out(sa, tw_get32(rk->u.notify.spi.p))) ==
		    NULL) {
			ike_respond_notify(e, sa, IKE_EXCH_CREATE_CHILD_SA,
					   IKE_N_CHILD_SA_NOT_FOUND, NULL, 0);
			return;
		}
		/* RFC 7296 2.25.1: one we are closing (or that a rekey
		 * already replaced and is about to go) is not rekeyed. */
		if (old->state != IKE_CHILD_INSTALLED) {
			ike_log(e, sa, TW_LOG_INFO,
				"rekey of Child SA in %08x refused: it is %s",
				old->spi_in, ike_child_state_name(old->state));
			ike_respond_notify(e, sa, IKE_EXCH_CREATE_CHILD_SA,
					   IKE_N_TEMPORARY_FAILURE, NULL, 0);
			return;
		}
	}
	/*
	 * With PFS in the policy our one proposal carries its DH group,
	 * whether or not the request has a KE: an offer without it is
	 * NO_PROPOSAL_CHOSEN (RFC 7296 1.3.1, 2.7), one with it but no KE
	 * (or another group's) INVALID_KE_PAYLOAD below.
	 */
	if (p->pfs_group != IKE_DH_NONE && ke == NULL)
		e->cnt.pfs_refused++;
	if (ike_new_spi_in(e, &spi) < 0 ||
	    ike_esp_proposal(e, sa->policy, p->pfs_group != IKE_DH_NONE, spi,
			     &ours) < 0 ||
	    ike_proposal_select(&pl_sa->u.sa, &ours, 1, &chosen, &why) < 0) {
		e->cnt.no_proposal++;
		ike_log(e, sa, TW_LOG_WARNING, "CREATE_CHILD_SA: %s: NO_PROPOSAL_CHOSEN",
			why);
		ike_respond_notify(e, sa, IKE_EXCH_CREATE_CHILD_SA,
				   IKE_N_NO_PROPOSAL_CHOSEN, NULL, 0);
		return;
	}
	c = ike_child_alloc(sa);
	if (c == NULL) {
		ike_respond_notify(e, sa, IKE_EXCH_CREATE_CHILD_SA,
				   IKE_N_NO_ADDITIONAL_SAS, NULL, 0);
		return;
	}
	ike_child_set_algs(c, &chosen);
	if (c->pfs_group != IKE_DH_NONE &&
	    (ke == NULL || ke->u.ke.group != c->pfs_group)) {
		g[0] = c->pfs_group >> 8;
		g[1] = c->pfs_group & 0xff;
		ike_respond_notify(e, sa, IKE_EXCH_CREATE_CHILD_SA,
				   IKE_N_INVALID_KE_PAYLOAD, g, sizeof(g));
		return;
	}
	if (ike_child_narrow(e, sa, c, NULL) < 0) {
		e->cnt.ts_unacceptable++;
		ike_respond_notify(e, sa, IKE_EXCH_CREATE_CHILD_SA,
				   IKE_N_TS_UNACCEPTABLE, NULL, 0);
		return;
	}
	if (ike_rng_bytes(&e->rng, nr, sizeof(nr)) < 0 ||
	    (c->pfs_group != IKE_DH_NONE &&
	     (gl = dh_exchange(e, c->pfs_group, ke, pub, &pub_len, gir)) < 0) ||
	    ike_child_derive(e, sa, c, gl > 0 ? gir : NULL, (size_t)gl,
			     ni->u.nonce.p, ni->u.nonce.len, nr,
			     sizeof(nr)) < 0) {
		OPENSSL_cleanse(gir, sizeof(gir));
		ike_child_keys_wipe(&c->keys);
		ike_respond_notify(e, sa, IKE_EXCH_CREATE_CHILD_SA,
				   IKE_N_NO_PROPOSAL_CHOSEN, NULL, 0);
		return;
	}
	OPENSSL_cleanse(gir, sizeof(gir));
	c->spi_in = spi;
	c->spi_out = tw_get32(chosen.spi);
	c->initiator = false;
	c->replaces = old != NULL ? old->spi_in : 0;
	tw_put32(chosen.spi, spi);
	ike_msg_begin(e, sa, &b, sa->resp_buf, IKE_EXCH_CREATE_CHILD_SA, true,
		      sa->msgid_in);
	ike_build_sa(&b, &chosen, 1);
	ike_build_nonce(&b, nr, sizeof(nr));
	if (c->pfs_group != IKE_DH_NONE)
		ike_build_ke(&b, c->pfs_group, pub, (size_t)pub_len);
	ike_build_ts(&b, IKE_PL_TSI, c->ts_remote, c->n_remote);
	ike_build_ts(&b, IKE_PL_TSR, c->ts_local, c->n_local);
	len = ike_msg_seal(e, sa, &b, true);
	if (len < 0) {
		ike_child_keys_wipe(&c->keys);
		return;
	}
	/* CHILD_UP before the response: the caller's data plane receives
	 * on the new inbound SA before the peer, reading the response, can
	 * send on it. */
	ike_child_install(e, sa, c, old != NULL ? "rekeyed by the peer" :
			  "created by the peer");
	ike_xmit_response(e, sa, len);
	if (old != NULL && old->state == IKE_CHILD_INSTALLED) {
		/* The rekey's initiator deletes the old one (RFC 7296
		 * 2.8); if it does not, it expires after a grace time. */
		ike_child_set_state(e, sa, old, IKE_CHILD_REKEYED,
				    "rekeyed by the peer");
		old->hard_at = e->now + IKE_REKEYED_GRACE;
		e->cnt.child_rekeyed++;
	}
}

void
ike_child_request(struct ike_engine *e, struct ike_sa *sa)
{
	const struct ike_payload *pl_sa = ike_find(e, IKE_PL_SA);
	const struct ike_payload *ni = ike_find(e, IKE_PL_NONCE);
	const struct ike_payload *ke = ike_find(e, IKE_PL_KE);
	struct ike_proposal first;
	struct ike_sa_iter it;

	if (sa->state != IKE_SA_ESTABLISHED) {
		ike_respond_notify(e, sa, IKE_EXCH_CREATE_CHILD_SA,
				   IKE_N_TEMPORARY_FAILURE, NULL, 0);
		return;
	}
	if (pl_sa == NULL || ni == NULL || ni->u.nonce.len < IKE_NONCE_MIN) {
		ike_respond_notify(e, sa, IKE_EXCH_CREATE_CHILD_SA,
				   IKE_N_INVALID_SYNTAX, NULL, 0);
		return;
	}
	ike_sa_iter_init(&it, &pl_sa->u.sa);
	if (!ike_sa_next(&it, &first)) {
		ike_respond_notify(e, sa, IKE_EXCH_CREATE_CHILD_SA,
				   IKE_N_INVALID_SYNTAX, NULL, 0);
		return;
	}
	/* RFC 7296 2.25: TEMPORARY_FAILURE, the peer tries again later. */
	if (create_child_limited(e, sa)) {
		e->cnt.create_child_limited++;
		ike_log(e, sa, TW_LOG_WARNING,
			"CREATE_CHILD_SA refused: over %u in %u s",
			e->cfg->ccs_rate_max, e->cfg->ccs_rate_window_s);
		ike_respond_notify(e, sa, IKE_EXCH_CREATE_CHILD_SA,
				   IKE_N_TEMPORARY_FAILURE, NULL, 0);
		return;
	}
	if (first.proto == IKE_PROTO_IKE) {
		/* RFC 7296 2.25.2: not while we create, rekey or delete
		 * one of its Child SAs (nor twice in one collision). Our
		 * own IKE SA rekey in flight is a collision (2.8.2). */
		if (sa->req == IKE_REQ_CHILD_REKEY ||
		    sa->req == IKE_REQ_CHILD_NEW ||
		    sa->req == IKE_REQ_DELETE_CHILD || sa->collide_id != 0) {
			ike_log(e, sa, TW_LOG_INFO,
				"IKE SA rekey by the peer refused: a Child SA exchange of ours is in flight");
			ike_respond_notify(e, sa, IKE_EXCH_CREATE_CHILD_SA,
					   IKE_N_TEMPORARY_FAILURE, NULL, 0);
			return;
		}
		ike_rekey_request(e, sa, pl_sa, ni, ke);
	} else {
		child_create_request(e, sa, pl_sa, ni, ke);
	}
}

/* ---- initiator ---- */

/*
 * What every CREATE_CHILD_SA request we start carries: a fresh Ni in
 * sa->xni and, unless group is IKE_DH_NONE, a fresh key share in sa->dh
 * (its public value in pub, *n bytes; 0 without one).
 */
static int
nonce_and_share(struct ike_engine *e, struct ike_sa *sa, uint16_t group,
		uint8_t pub[IKE_DH_PUB_MAX], int *n)
{
	int rc;

	*n = 0;
	sa->xni_len = IKE_NONCE_LEN;
	if (ike_rng_bytes(&e->rng, sa->xni, sa->xni_len) < 0)
		return -EIO;
	if (sa->dh != NULL)
		e->ops->dh_free(sa->dh);
	sa->dh = NULL;
	if (group == IKE_DH_NONE)
		return 0;
	rc = e->ops->dh_new(group, &e->rng, &sa->dh);
	if (rc < 0)
		return rc;
	*n = e->ops->dh_public(sa->dh, pub, IKE_DH_PUB_MAX);
	return *n < 0 ? *n : 0;
}

/*
 * What a CREATE_CHILD_SA request for a Child SA offers, new or rekey: our
 * inbound SPI (unique among the live children), the ESP proposal, Ni and,
 * with PFS, a fresh key share (its public value in pub, *n bytes).
 */
static int
child_offer(struct ike_engine *e, struct ike_sa *sa,
	    const struct ike_policy *p, struct ike_proposal *esp,
	    uint8_t pub[IKE_DH_PUB_MAX], int *n)
{
	*n = 0;
	if (ike_new_spi_in(e, &sa->new_spi) < 0 ||
	    ike_esp_proposal(e, sa->policy, true, sa->new_spi, esp) < 0)
		return -EIO;
	return nonce_and_share(e, sa, p->pfs_group, pub, n);
}

static bool
ts_v6(const struct ike_ts *t)
{
	return t->type == IKE_TS_IPV6_ADDR_RANGE;
}

/* The family (0: IPv4, 1: IPv6) of p's selectors no child of sa
 * carries, the first in p's order; -1: none. */
static int
family_lacking(const struct ike_sa *sa, const struct ike_policy *p)
{
	unsigned int i, k;
	bool v6, has;

	for (i = 0; i < p->n_ts; i++) {
		v6 = ts_v6(&p->ts[i].local);
		has = false;
		for (k = 0; k < IKE_CHILD_MAX && !has; k++)
			has = sa->child[k].state != IKE_CHILD_NONE &&
				sa->child[k].n_local > 0 &&
				ts_v6(&sa->child[k].ts_local[0]) == v6;
		if (!has)
			return v6;
	}
	return -1;
}

unsigned int
ike_child_offer_ts(const struct ike_sa *sa, const struct ike_policy *p,
		   struct ike_ts *local, struct ike_ts *remote)
{
	int fam = family_lacking(sa, p);
	bool v6 = fam < 0 ? p->n_ts > 0 && ts_v6(&p->ts[0].local) : fam == 1;
	unsigned int i, n = 0;

	for (i = 0; i < p->n_ts; i++) {
		if (ts_v6(&p->ts[i].local) != v6)
			continue;
		local[n] = p->ts[i].local;
		remote[n] = p->ts[i].remote;
		n++;
	}
	return n;
}

void
ike_child_next_family(struct ike_engine *e, struct ike_sa *sa)
{
	const struct ike_policy *p = &e->cfg->policies[sa->policy];

	if (!sa->family_refused && family_lacking(sa, p) >= 0)
		sa->want_child = true;
}

/*
 * A new Child SA on an established IKE SA (RFC 7296 1.3.1): SA, Ni,
 * [KEi] (the policy's PFS group), TSi, TSr, no REKEY_SA; after a clear
 * crypto sa, when traffic or an always-on policy wants its tunnel back.
 */
int
ike_child_new_start(struct ike_engine *e, struct ike_sa *sa)
{
	const struct ike_policy *p = &e->cfg->policies[sa->policy];
	struct ike_ts local[IKE_POLICY_MAX_TS], remote[IKE_POLICY_MAX_TS];
	uint8_t pub[IKE_DH_PUB_MAX];
	struct ike_proposal esp;
	struct ike_builder b;
	unsigned int n_ts;
	int n, rc;

	sa->want_child = false;
	rc = child_offer(e, sa, p, &esp, pub, &n);
	if (rc < 0)
		return rc;
	n_ts = ike_child_offer_ts(sa, p, local, remote);
	sa->rekey_child = 0;
	ike_msg_begin(e, sa, &b, sa->req_buf, IKE_EXCH_CREATE_CHILD_SA, false,
		      sa->msgid_out);
	ike_build_sa(&b, &esp, 1);
	ike_build_nonce(&b, sa->xni, sa->xni_len);
	if (p->pfs_group != IKE_DH_NONE)
		ike_build_ke(&b, p->pfs_group, pub, (size_t)n);
	ike_build_ts(&b, IKE_PL_TSI, local, n_ts);
	ike_build_ts(&b, IKE_PL_TSR, remote, n_ts);
	ike_log(e, sa, TW_LOG_INFO, "creating a new Child SA (in %08x, %s)",
		sa->new_spi, n_ts > 0 && ts_v6(&local[0]) ? "IPv6" : "IPv4");
	ike_xmit_request(e, sa, IKE_REQ_CHILD_NEW,
			 ike_msg_seal(e, sa, &b, true));
	return 0;
}

int
ike_child_rekey_start(struct ike_engine *e, struct ike_sa *sa,
		      struct ike_child *c)
{
	const struct ike_policy *p = &e->cfg->policies[sa->policy];
	uint8_t pub[IKE_DH_PUB_MAX], spi[4];
	struct ike_proposal esp;
	struct ike_builder b;
	int n, rc;

	c->soft_at = TW_TIME_NEVER; /* once */
	c->soft_bytes = 0;
	rc = child_offer(e, sa, p, &esp, pub, &n);
	if (rc < 0)
		return rc;
	sa->rekey_child = c->spi_in;
	tw_put32(spi, c->spi_in);
	ike_msg_begin(e, sa, &b, sa->req_buf, IKE_EXCH_CREATE_CHILD_SA, false,
		      sa->msgid_out);
	ike_build_notify(&b, IKE_PROTO_ESP, spi, 4, IKE_N_REKEY_SA, NULL, 0);
	ike_build_sa(&b, &esp, 1);
	ike_build_nonce(&b, sa->xni, sa->xni_len);
	if (p->pfs_group != IKE_DH_NONE)
		ike_build_ke(&b, p->pfs_group, pub, (size_t)n);
	ike_build_ts(&b, IKE_PL_TSI, c->ts_local, c->n_local);
	ike_build_ts(&b, IKE_PL_TSR, c->ts_remote, c->n_remote);
	ike_log(e, sa, TW_LOG_INFO, "rekeying Child SA in %08x out %08x",
		c->spi_in, c->spi_out);
	ike_xmit_request(e, sa, IKE_REQ_CHILD_REKEY,
			 ike_msg_seal(e, sa, &b, true));
	return 0;
}

int
ike_ike_rekey_start(struct ike_engine *e, struct ike_sa *sa)
{
	const struct ike_policy *p = &e->cfg->policies[sa->policy];
	struct ike_proposal props[IKE_POLICY_MAX_PROPS];
	uint8_t pub[IKE_DH_PUB_MAX];
	struct ike_builder b;
	unsigned int i;
	int n, rc;

	sa->rekey_at = TW_TIME_NEVER; /* once */
	if (ike_rng_spi(&e->rng, &sa->new_ike_spi) < 0)
		return -EIO;
	/* RFC 7296 1.3.2: an IKE SA rekey always carries KEi. */
	rc = nonce_and_share(e, sa, sa->algs.dh, pub, &n);
	if (rc < 0)
		return rc;
	for (i = 0; i < p->n_ike_props; i++) {
		props[i] = p->ike_props[i];
		props[i].spi_size = 8;
		tw_put64(props[i].spi, sa->new_ike_spi);
	}
	ike_msg_begin(e, sa, &b, sa->req_buf, IKE_EXCH_CREATE_CHILD_SA, false,
		      sa->msgid_out);
	ike_build_sa(&b, props, p->n_ike_props);
	ike_build_nonce(&b, sa->xni, sa->xni_len);
	ike_build_ke(&b, sa->algs.dh, pub, (size_t)n);
	ike_log(e, sa, TW_LOG_INFO, "rekeying the IKE SA");
	ike_xmit_request(e, sa, IKE_REQ_IKE_REKEY,
			 ike_msg_seal(e, sa, &b, true));
	return 0;
}

static void
ike_rekey_response(struct ike_engine *e, struct ike_sa *sa)
{
	const struct ike_policy *p = &e->cfg->policies[sa->policy];
	struct ike_proposal props[IKE_POLICY_MAX_PROPS], chosen;
	const struct ike_payload *pl_sa, *nr, *ke;
	uint8_t gir[IKE_DH_SECRET_MAX];
	const char *why = "";
	struct ike_sa *n, *peer;
	unsigned int i;
	uint16_t err;
	int gl;

	ike_xmit_done(e, sa);
	err = ike_error_notify(e);
	pl_sa = ike_find(e, IKE_PL_SA);
	nr = ike_find(e, IKE_PL_NONCE);
	ke = ike_find(e, IKE_PL_KE);
	for (i = 0; i < p->n_ike_props; i++) {
		props[i] = p->ike_props[i];
		props[i].spi_size = 8;
		tw_put64(props[i].spi, sa->new_ike_spi);
	}
	if (err != 0 || pl_sa == NULL || nr == NULL || ke == NULL ||
	    ike_proposal_check_reply(&pl_sa->u.sa, props, p->n_ike_props,
				     &chosen, &why) < 0 ||
	    chosen.spi_size != 8 || ke->u.ke.group != sa->algs.dh) {
		sa->rekey_at = retry_at(e, sa->expire_at);
		ike_log(e, sa, TW_LOG_WARNING, "IKE SA rekey refused: %s; retry in %llu ms",
			err != 0 ? ike_notify_name(err) : why,
			(unsigned long long)((sa->rekey_at - e->now) /
					     TW_MSEC(1)));
		ike_rekey_adopt_collision(e, sa);
		return;
	}
	/* RFC 7296 2.25: TEMPORARY_FAILURE, to try again once the peer's
	 * old IKE SAs are gone (ike.h, peer_sa_max). */
	if (peer_at_limit(e, sa)) {
		e->cnt.peer_sa_limit++;
		ike_log(e, sa, TW_LOG_WARNING,
			"IKE SA rekey refused: the peer holds %u IKE SAs",
			e->cfg->peer_sa_max);
		ike_respond_notify(e, sa, IKE_EXCH_CREATE_CHILD_SA,
				   IKE_N_TEMPORARY_FAILURE, NULL, 0);
		return;
	}
	n = new_ike_sa(e, sa);
	if (n == NULL) {
		ike_rekey_adopt_collision(e, sa);
		return;
	}
	if (ike_proposal_ike_algs(&chosen, &n->algs) < 0) {
		ike_sa_kill(e, n, "rekey: bad proposal");
		ike_rekey_adopt_collision(e, sa);
		return;
	}
	n->initiator = true;
	n->spi_i = sa->new_ike_spi;
	n->spi_r = tw_get64(chosen.spi);
	n->ni_len = sa->xni_len;
	memcpy(n->ni, sa->xni, n->ni_len);
	n->nr_len = (uint16_t)nr->u.nonce.len;
	memcpy(n->nr, nr->u.nonce.p, n->nr_len);
	gl = e->ops->dh_shared(sa->dh, ke->u.ke.data.p, ke->u.ke.data.len,
			       gir, sizeof(gir));
	if (gl < 0 || rekey_ike_keys(e, sa, n, gir, (size_t)gl) < 0) {
		OPENSSL_cleanse(gir, sizeof(gir));
		ike_sa_kill(e, n, "rekey: key exchange failed");
		ike_rekey_adopt_collision(e, sa);
		return;
	}
	OPENSSL_cleanse(gir, sizeof(gir));
	ike_sa_set_state(e, n, IKE_SA_ESTABLISHED, "IKE SA rekeyed by us");
	ike_act_sa(e, IKE_ACT_IKE_UP, n, "rekeyed by us");
	peer = collide_sa(e, sa);
	if (peer != NULL) {
		const uint8_t *a, *b;
		size_t al, bl;

		/* RFC 7296 2.8.2: the new SA with the lowest of the four
		 * nonces is redundant, its creator deletes it; the
		 * initiator of the other one deletes the old SA. */
		ike_sa_nmin(n, &a, &al);
		ike_sa_nmin(peer, &b, &bl);
		if (ike_nonce_cmp(a, al, b, bl) < 0) {
			ike_log(e, sa, TW_LOG_INFO,
				"IKE SA rekey collision: ours (IKE SA %u) is redundant, the peer's (IKE SA %u) stays",
				n->id, peer->id);
			rekey_done(e, sa, peer, false);
			/* Not a tunnel going down (the glue reads it). */
			n->rekeyed_to = peer->id;
			ike_info_delete_ike(e, n);
			ike_sa_rearm(e, n);
			return;
		}
		ike_log(e, sa, TW_LOG_INFO,
			"IKE SA rekey collision: ours (IKE SA %u) stays, the peer deletes its IKE SA %u",
			n->id, peer->id);
		/* It waits for the peer's DELETE (or a grace time). */
		ike_sa_set_state(e, peer, IKE_SA_REKEYED,
				 "rekey collision: redundant");
		peer->rekeyed_to = n->id;
		ike_sa_rearm(e, peer);
	}
	/* RFC 7296 1.3.2: the rekey's initiator deletes the old SA. */
	rekey_done(e, sa, n, true);
}

/* Our traffic selectors (the policy's) cover what the peer answered. */
static bool
ts_reply_ok(const struct ike_engine *e, const struct ike_sa *sa,
	    const struct ike_child *c)
{
	const struct ike_policy *p = &e->cfg->policies[sa->policy];
	struct ike_ts local[IKE_POLICY_MAX_TS], remote[IKE_POLICY_MAX_TS];
	unsigned int i;

	for (i = 0; i < p->n_ts; i++) {
		local[i] = p->ts[i].local;
		remote[i] = p->ts[i].remote;
	}
	return ike_ts_check_reply(local, p->n_ts, c->ts_local,
				  c->n_local) == 0 &&
		ike_ts_check_reply(remote, p->n_ts, c->ts_remote,
				   c->n_remote) == 0;
}

/* The answer to our CREATE_CHILD_SA: a rekey (REKEY_SA) or a new one. */
static void
child_reply(struct ike_engine *e, struct ike_sa *sa, bool rekey)
{
	const struct ike_payload *pl_sa, *nr, *ke, *tsi, *tsr;
	struct ike_child *old = NULL, *c, *twin = NULL;
	uint8_t gir[IKE_DH_SECRET_MAX], mine[IKE_NONCE_MAX];
	struct ike_ts rl[IKE_TS_MAX], rr[IKE_TS_MAX];
	struct ike_proposal esp, chosen;
	const char *why = "";
	unsigned int i, nl, nr_ts;
	uint16_t err;
	int gl = 0;

	ike_xmit_done(e, sa);
	if (rekey)
		old = ike_child_by_in(sa, sa->rekey_child);
	err = ike_error_notify(e);
	pl_sa = ike_find(e, IKE_PL_SA);
	nr = ike_find(e, IKE_PL_NONCE);
	ke = ike_find(e, IKE_PL_KE);
	tsi = ike_find(e, IKE_PL_TSI);
	tsr = ike_find(e, IKE_PL_TSR);
	ike_esp_proposal(e, sa->policy, true, sa->new_spi, &esp);
	if (err != 0 || pl_sa == NULL || nr == NULL || tsi == NULL ||
	    tsr == NULL ||
	    ike_proposal_check_reply(&pl_sa->u.sa, &esp, 1, &chosen,
				     &why) < 0 || chosen.spi_size != 4) {
		if (err == IKE_N_NO_PROPOSAL_CHOSEN)
			e->cnt.no_proposal++;
		if (err == IKE_N_TS_UNACCEPTABLE)
			e->cnt.ts_unacceptable++;
		ike_log(e, sa, TW_LOG_WARNING, "%s refused: %s",
			rekey ? "Child SA rekey" : "new Child SA",
			err != 0 ? ike_notify_name(err) : why);
		if (!rekey)
			sa->family_refused = true;
		if (old != NULL && old->state == IKE_CHILD_INSTALLED)
			old->soft_at = retry_at(e, old->hard_at);
		return;
	}
	c = ike_child_alloc(sa);
	if (c == NULL || ike_child_set_algs(c, &chosen) < 0)
		return;
	if (c->pfs_group != IKE_DH_NONE) {
		if (ke == NULL || sa->dh == NULL ||
		    (gl = e->ops->dh_shared(sa->dh, ke->u.ke.data.p,
					    ke->u.ke.data.len, gir,
					    sizeof(gir))) < 0)
			return;
	}
	c->spi_in = sa->new_spi;
	c->spi_out = tw_get32(chosen.spi);
	c->initiator = true;
	c->replaces = sa->rekey_child;
	/*
	 * A TS payload may carry more selectors than a child holds (RFC
	 * 7296 3.13): decode them all, keep the first IKE_CHILD_TS_MAX of
	 * each side, a subset of what the responder agreed to (2.9).
	 */
	nl = ike_ts_all(&tsi->u.ts, rl, IKE_TS_MAX);
	nr_ts = ike_ts_all(&tsr->u.ts, rr, IKE_TS_MAX);
	if (nl > IKE_CHILD_TS_MAX || nr_ts > IKE_CHILD_TS_MAX)
		ike_log(e, sa, TW_LOG_WARNING,
			"the peer answered %u+%u traffic selectors: the first %u of each kept",
			nl, nr_ts, IKE_CHILD_TS_MAX);
	for (i = 0; i < nl && i < IKE_CHILD_TS_MAX; i++)
		c->ts_local[i] = rl[i];
	c->n_local = (uint8_t)i;
	for (i = 0; i < nr_ts && i < IKE_CHILD_TS_MAX; i++)
		c->ts_remote[i] = rr[i];
	c->n_remote = (uint8_t)i;
	/*
	 * RFC 7296 2.9: the responder may only narrow. A rekey's reply is
	 * held to the policy like the first child's: its selectors become
	 * the new inbound SA's, so a peer must not widen what it may send
	 * us by rekeying. The peer made its half: DELETE it (1.4.1); the
	 * old child stays and is rekeyed again later.
	 */
	if (!ts_reply_ok(e, sa, c)) {
		OPENSSL_cleanse(gir, sizeof(gir));
		e->cnt.ts_widened++;
		ike_log(e, sa, TW_LOG_WARNING,
			"the peer widened our traffic selectors: no %s, DELETE of %08x",
			rekey ? "rekey" : "Child SA", sa->new_spi);
		ike_info_delete_spi(e, sa, sa->new_spi);
		if (old != NULL && old->state == IKE_CHILD_INSTALLED)
			old->soft_at = retry_at(e, old->hard_at);
		return;
	}
	if (ike_child_derive(e, sa, c, gl > 0 ? gir : NULL, (size_t)gl,
			     sa->xni, sa->xni_len, nr->u.nonce.p,
			     nr->u.nonce.len) < 0) {
		OPENSSL_cleanse(gir, sizeof(gir));
		ike_child_keys_wipe(&c->keys);
		return;
	}
	OPENSSL_cleanse(gir, sizeof(gir));
	if (!rekey) {
		ike_child_install(e, sa, c, "created by us");
		ike_child_next_family(e, sa);
		return;
	}
	ike_child_install(e, sa, c, "rekeyed by us");
	e->cnt.child_rekeyed++;
	/* A collision: the peer rekeyed the same child meanwhile. */
	for (i = 0; i < IKE_CHILD_MAX; i++)
		if (sa->child[i].state == IKE_CHILD_INSTALLED &&
		    !sa->child[i].initiator &&
		    sa->child[i].replaces == sa->rekey_child &&
		    &sa->child[i] != c)
			twin = &sa->child[i];
	if (twin != NULL) {
		memcpy(mine, c->nmin, c->nmin_len);
		if (ike_nonce_cmp(mine, c->nmin_len, twin->nmin,
			      twin->nmin_len) < 0) {
			/* Ours has the lowest nonce: ours is redundant. */
			ike_log(e, sa, TW_LOG_INFO,
				"rekey collision: ours (in %08x) is redundant, deleting it",
				c->spi_in);
			ike_child_set_state(e, sa, c, IKE_CHILD_REKEYED,
					    "rekey collision lost");
			c->hard_at = e->now;
			return;
		}
		ike_log(e, sa, TW_LOG_INFO,
			"rekey collision: ours (in %08x) wins", c->spi_in);
	}
	if (old != NULL) {
		if (old->state == IKE_CHILD_INSTALLED)
			ike_child_set_state(e, sa, old, IKE_CHILD_REKEYED,
					    "rekeyed by us");
		/* Deleted at once by the kick that follows. */
		if (old->state == IKE_CHILD_REKEYED)
			old->hard_at = e->now;
	}
}

void
ike_child_response(struct ike_engine *e, struct ike_sa *sa)
{
	switch (sa->req) {
	case IKE_REQ_CHILD_REKEY:
		child_reply(e, sa, true);
		break;
	case IKE_REQ_CHILD_NEW:
		child_reply(e, sa, false);
		break;
	case IKE_REQ_IKE_REKEY:
		ike_rekey_response(e, sa);
		break;
	default:
		ike_xmit_done(e, sa);
		break;
	}
	if (sa->dh != NULL) {
		e->ops->dh_free(sa->dh);
		sa->dh = NULL;
	}
}
