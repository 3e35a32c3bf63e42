/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IKE_SA_INIT (RFC 7296 1.2): SA, KE, Nonce and NAT detection (2.23) both
 * ways; the responder's COOKIE challenge under load (2.6) and its
 * INVALID_KE_PAYLOAD when the initiator guessed the group wrong (1.2);
 * then the SK_* keys (2.14).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "ike_priv.h"
#include "tw_bytes.h"
#include "tw_log.h"

static uint8_t *
dup_bytes(const uint8_t *p, size_t len)
{
	uint8_t *d = malloc(len);

	if (d != NULL)
		memcpy(d, p, len);
	return d;
}

/* RFC 7296 2.23: the hashes over the SPIs of the message's header. */
static void
build_natd(struct ike_engine *e, struct ike_builder *b, uint64_t spi_i,
	   uint64_t spi_r, const struct tw_addr *src, uint16_t sport,
	   const struct tw_addr *dst, uint16_t dport)
{
	uint8_t h[IKE_NATD_LEN];

	if (ike_natd_hash(e->ops, spi_i, spi_r, src, sport, h) == 0)
		ike_build_notify(b, IKE_PROTO_NONE, NULL, 0,
				 IKE_N_NAT_DETECTION_SOURCE_IP, h, sizeof(h));
	if (ike_natd_hash(e->ops, spi_i, spi_r, dst, dport, h) == 0)
		ike_build_notify(b, IKE_PROTO_NONE, NULL, 0,
				 IKE_N_NAT_DETECTION_DESTINATION_IP, h,
				 sizeof(h));
}

/* Compare the peer's NAT_D notifies with what we see (2.23). */
static void
nat_detect(struct ike_engine *e, struct ike_sa *sa)
{
	const struct ike_pkt *pkt = e->pkt;
	const struct ike_hdr *h = &e->msg.hdr;
	uint8_t src[IKE_NATD_LEN], dst[IKE_NATD_LEN];
	bool seen_src = false, seen_dst = false, src_ok = false;
	bool dst_ok = false;
	unsigned int i;

	if (ike_natd_hash(e->ops, h->spi_i, h->spi_r, &pkt->src, pkt->sport,
			  src) < 0 ||
	    ike_natd_hash(e->ops, h->spi_i, h->spi_r, &pkt->dst, pkt->dport,
			  dst) < 0)
		return;
	for (i = 0; i < e->msg.n_pl; i++) {
		const struct ike_payload *p = &e->msg.pl[i];
		const struct ike_bytes *d = &p->u.notify.data;

		if (p->type != IKE_PL_NOTIFY)
			continue;
		if (p->u.notify.type == IKE_N_NAT_DETECTION_SOURCE_IP) {
			seen_src = true;
			src_ok |= d->len == IKE_NATD_LEN &&
				memcmp(d->p, src, IKE_NATD_LEN) == 0;
		} else if (p->u.notify.type ==
			   IKE_N_NAT_DETECTION_DESTINATION_IP) {
			seen_dst = true;
			dst_ok |= d->len == IKE_NATD_LEN &&
				memcmp(d->p, dst, IKE_NATD_LEN) == 0;
		}
	}
	sa->nat_peer = seen_src && !src_ok;
	sa->nat_local = seen_dst && !dst_ok;
	if (sa->nat_peer || sa->nat_local)
		ike_log(e, sa, TW_LOG_INFO, "NAT detected (%s%s%s): UDP 4500, ESP in UDP",
			sa->nat_local ? "in front of us" : "",
			sa->nat_local && sa->nat_peer ? ", " : "",
			sa->nat_peer ? "in front of the peer" : "");
}

static int
derive_keys(struct ike_engine *e, struct ike_sa *sa, const uint8_t *peer_pub,
	    size_t peer_len)
{
	uint8_t gir[IKE_DH_SECRET_MAX], seed[IKE_PRF_MAX];
	int n, rc;

	n = e->ops->dh_shared(sa->dh, peer_pub, peer_len, gir, sizeof(gir));
	if (n < 0)
		return n;
	rc = ike_skeyseed(e->ops, sa->algs.prf, sa->ni, sa->ni_len, sa->nr,
			  sa->nr_len, gir, (size_t)n, seed);
	if (rc == 0)
		rc = ike_sa_keys_derive(e->ops, &sa->algs, seed,
					ike_prf_len(sa->algs.prf), sa->ni,
					sa->ni_len, sa->nr, sa->nr_len,
					sa->spi_i, sa->spi_r, &sa->keys);
	OPENSSL_cleanse(gir, sizeof(gir));
	OPENSSL_cleanse(seed, sizeof(seed));
	return rc;
}

/* ---- initiator ---- */

int
ike_init_start(struct ike_engine *e, struct ike_sa *sa, uint16_t group)
{
	const struct ike_policy *p = &e->cfg->policies[sa->policy];
	uint8_t pub[IKE_DH_PUB_MAX];
	struct ike_builder b;
	int n, len, rc;

	if (group == IKE_DH_NONE) {
		const struct ike_xform *x =
			ike_proposal_get(&p->ike_props[0], IKE_XF_DH);

		if (x == NULL)
			return -EINVAL;
		group = x->id;
	}
	if (sa->spi_i == 0 && ike_rng_spi(&e->rng, &sa->spi_i) < 0)
		return -EIO;
	/* RFC 7296 2.6: a retry with a COOKIE keeps every other payload. */
	if (sa->ni_len == 0) {
		sa->ni_len = IKE_NONCE_LEN;
		if (ike_rng_bytes(&e->rng, sa->ni, sa->ni_len) < 0)
			return -EIO;
	}
	if (sa->dh == NULL || sa->dh_group != group) {
		if (sa->dh != NULL)
			e->ops->dh_free(sa->dh);
		sa->dh = NULL;
		rc = e->ops->dh_new(group, &e->rng, &sa->dh);
		if (rc < 0)
			return rc;
		sa->dh_group = group;
	}
	n = e->ops->dh_public(sa->dh, pub, sizeof(pub));
	if (n < 0)
		return n;
	ike_msg_begin(e, sa, &b, sa->req_buf, IKE_EXCH_SA_INIT, false, 0);
	/* RFC 7296 2.6: the cookie goes first. */
	if (sa->cookie_len != 0)
		ike_build_notify(&b, IKE_PROTO_NONE, NULL, 0, IKE_N_COOKIE,
				 sa->cookie, sa->cookie_len);
	ike_build_sa(&b, p->ike_props, p->n_ike_props);
	ike_build_ke(&b, group, pub, (size_t)n);
	ike_build_nonce(&b, sa->ni, sa->ni_len);
	build_natd(e, &b, sa->spi_i, 0, &sa->local_addr, sa->local_port,
		   &sa->peer_addr, sa->peer_port);
	len = ike_msg_seal(e, sa, &b, false);
	if (len < 0)
		return len;
	free(sa->init_req);
	sa->init_req = dup_bytes(sa->req_buf, (size_t)len);
	if (sa->init_req == NULL)
		return -ENOMEM;
	sa->init_req_len = (uint16_t)len;
	if (sa->state == IKE_SA_IDLE)
		ike_sa_set_state(e, sa, IKE_SA_INIT_SENT, "initiating");
	ike_xmit_request(e, sa, IKE_REQ_SA_INIT, len);
	return 0;
}

static bool
offered_group(const struct ike_policy *p, uint16_t g)
{
	unsigned int i, j;

	for (i = 0; i < p->n_ike_props; i++)
		for (j = 0; j < p->ike_props[i].n_xforms; j++)
			if (p->ike_props[i].xforms[j].type == IKE_XF_DH &&
			    p->ike_props[i].xforms[j].id == g)
				return true;
	return false;
}

void
ike_init_response(struct ike_engine *e, struct ike_sa *sa)
{
	const struct ike_policy *p = &e->cfg->policies[sa->policy];
	const struct ike_payload *n, *pl_sa, *ke, *nr;
	struct ike_proposal chosen;
	const char *why = "";
	uint16_t err, g;

	n = ike_msg_notify(&e->msg, IKE_N_COOKIE);
	if (n != NULL && n->u.notify.data.len > 0 &&
	    n->u.notify.data.len <= IKE_COOKIE_MAX && sa->cookie_len == 0) {
		sa->cookie_len = (uint8_t)n->u.notify.data.len;
		memcpy(sa->cookie, n->u.notify.data.p, sa->cookie_len);
		ike_log(e, sa, TW_LOG_INFO, "responder asks for a COOKIE");
		if (ike_init_start(e, sa, sa->dh_group) < 0)
			ike_sa_kill(e, sa, "cannot restart IKE_SA_INIT");
		return;
	}
	n = ike_msg_notify(&e->msg, IKE_N_INVALID_KE_PAYLOAD);
	if (n != NULL && n->u.notify.data.len == 2) {
		g = (uint16_t)(n->u.notify.data.p[0] << 8 |
			       n->u.notify.data.p[1]);
		if (g != sa->dh_group && offered_group(p, g)) {
			ike_log(e, sa, TW_LOG_INFO,
				"responder wants DH group %u", g);
			if (ike_init_start(e, sa, g) < 0)
				ike_sa_kill(e, sa, "cannot restart IKE_SA_INIT");
			return;
		}
	}
	err = ike_error_notify(e);
	if (err != 0) {
		if (err == IKE_N_NO_PROPOSAL_CHOSEN)
			e->cnt.no_proposal++;
		ike_log(e, sa, TW_LOG_WARNING, "IKE_SA_INIT refused: %s",
			ike_notify_name(err));
		ike_sa_kill(e, sa, ike_notify_name(err));
		return;
	}
	pl_sa = ike_find(e, IKE_PL_SA);
	ke = ike_find(e, IKE_PL_KE);
	nr = ike_find(e, IKE_PL_NONCE);
	if (pl_sa == NULL || ke == NULL || nr == NULL ||
	    e->msg.hdr.spi_r == 0) {
		ike_sa_kill(e, sa, "IKE_SA_INIT response incomplete");
		return;
	}
	if (ike_proposal_check_reply(&pl_sa->u.sa, p->ike_props,
				     p->n_ike_props, &chosen, &why) < 0 ||
	    ike_proposal_ike_algs(&chosen, &sa->algs) < 0 ||
	    sa->algs.dh != sa->dh_group || ke->u.ke.group != sa->dh_group) {
		ike_log(e, sa, TW_LOG_WARNING, "bad IKE_SA_INIT response: %s",
			why[0] != '\0' ? why : "proposal or KE mismatch");
		ike_sa_kill(e, sa, "bad IKE_SA_INIT response");
		return;
	}
	sa->nr_len = (uint16_t)nr->u.nonce.len;
	memcpy(sa->nr, nr->u.nonce.p, sa->nr_len);
	sa->spi_r = e->msg.hdr.spi_r;
	if (derive_keys(e, sa, ke->u.ke.data.p, ke->u.ke.data.len) < 0) {
		ike_sa_kill(e, sa, "key derivation failed");
		return;
	}
	sa->init_resp = dup_bytes(e->pkt->data, e->pkt->len);
	if (sa->init_resp == NULL) {
		ike_sa_kill(e, sa, "out of memory");
		return;
	}
	sa->init_resp_len = (uint16_t)e->pkt->len;
	nat_detect(e, sa);
	ike_xmit_done(e, sa);
	/* RFC 7296 2.23: after a NAT is seen, both sides use port 4500. */
	if (sa->nat_local || sa->nat_peer) {
		sa->local_port = IKE_NATT_PORT;
		sa->peer_port = IKE_NATT_PORT;
	}
	ike_auth_start(e, sa);
}

/* ---- responder ---- */

/* A header-only answer without state (COOKIE, errors of IKE_SA_INIT). */
static void
answer_stateless(struct ike_engine *e, uint16_t type, const uint8_t *data,
		 size_t len)
{
	const struct ike_hdr *rh = &e->msg.hdr;
	struct ike_hdr h = {
		.spi_i = rh->spi_i,
		.major = IKE_MAJOR_VERSION,
		.exchange = IKE_EXCH_SA_INIT,
		.flags = IKE_FLAG_RESPONSE,
	};
	struct ike_builder b;
	int n;

	ike_build_init(&b, e->scratch, sizeof(e->scratch), &h);
	ike_build_notify(&b, IKE_PROTO_NONE, NULL, 0, type, data, len);
	n = ike_build_finish(&b);
	if (n > 0)
		ike_act_send_to(e, 0, e->pkt, e->scratch, (size_t)n);
}

/* RFC 7296 2.6: Cookie = prf(secret, Ni | IPi | SPIi), IPi the 4 or 16
 * bytes of the initiator's address. */
static int
make_cookie(struct ike_engine *e, const struct ike_payload *ni,
	    uint8_t out[IKE_PRF_MAX])
{
	const struct tw_addr *src = &e->pkt->src;
	uint8_t ip[16], spi[8];
	uint64_t s = e->msg.hdr.spi_i;
	struct ike_chunk in[3] = {
		{ ni->u.nonce.p, ni->u.nonce.len },
		{ ip, src->family == TW_AF_INET6 ? 16 : 4 },
		{ spi, sizeof(spi) },
	};
	int i;

	if (src->family == TW_AF_INET6)
		memcpy(ip, src->v6, 16);
	else
		for (i = 0; i < 4; i++)
			ip[i] = (uint8_t)(src->v4 >> (24 - 8 * i));
	for (i = 0; i < 8; i++)
		spi[i] = (uint8_t)(s >> (56 - 8 * i));
	return e->ops->prf(IKE_PRF_HMAC_SHA2_256, e->cookie_secret,
			   sizeof(e->cookie_secret), in, 3, out);
}

/* Under load (or from a peer at its half-open limit: force), only
 * initiators that echo our cookie get state. */
static bool
cookie_ok(struct ike_engine *e, const struct ike_payload *ni, bool force)
{
	const struct ike_payload *c;
	uint8_t ck[IKE_PRF_MAX];
	const unsigned int len = 32;

	if (!force && e->half_open < e->cfg->cookie_threshold)
		return true;
	if (make_cookie(e, ni, ck) < 0)
		return false;
	c = ike_msg_notify(&e->msg, IKE_N_COOKIE);
	if (c != NULL && c->u.notify.data.len == len &&
	    ike_auth_equal(c->u.notify.data.p, ck, len))
		return true;
	if (c != NULL)
		e->cnt.cookies_bad++;
	e->cnt.cookies_sent++;
	answer_stateless(e, IKE_N_COOKIE, ck, len);
	return false;
}

static void
respond_init(struct ike_engine *e, struct ike_sa *sa,
	     const struct ike_proposal *chosen, const uint8_t *pub, size_t n)
{
	struct ike_builder b;
	int len;

	ike_msg_begin(e, sa, &b, sa->resp_buf, IKE_EXCH_SA_INIT, true, 0);
	ike_build_sa(&b, chosen, 1);
	ike_build_ke(&b, sa->dh_group, pub, n);
	ike_build_nonce(&b, sa->nr, sa->nr_len);
	build_natd(e, &b, sa->spi_i, sa->spi_r, &sa->local_addr,
		   sa->local_port, &sa->peer_addr, sa->peer_port);
	len = ike_msg_seal(e, sa, &b, false);
	if (len < 0) {
		ike_sa_kill(e, sa, "cannot build the IKE_SA_INIT response");
		return;
	}
	sa->init_resp = dup_bytes(sa->resp_buf, (size_t)len);
	sa->init_req = dup_bytes(e->pkt->data, e->pkt->len);
	if (sa->init_resp == NULL || sa->init_req == NULL) {
		ike_sa_kill(e, sa, "out of memory");
		return;
	}
	sa->init_resp_len = (uint16_t)len;
	sa->init_req_len = (uint16_t)e->pkt->len;
	ike_sa_set_state(e, sa, IKE_SA_HALF_OPEN, "IKE_SA_INIT answered");
	ike_xmit_response(e, sa, len);
}

void
ike_init_request(struct ike_engine *e, const struct ike_pkt *pkt)
{
	const struct ike_payload *pl_sa, *ke, *ni;
	const struct ike_policy *p;
	struct ike_proposal chosen;
	uint8_t pub[IKE_DH_PUB_MAX], g[2];
	struct ike_sa *sa, *oldest;
	unsigned int half, up;
	const char *why = "";
	bool full;
	int pi, n;

	pl_sa = ike_find(e, IKE_PL_SA);
	ke = ike_find(e, IKE_PL_KE);
	ni = ike_find(e, IKE_PL_NONCE);
	if (pl_sa == NULL || ke == NULL || ni == NULL ||
	    ni->u.nonce.len < IKE_NONCE_MIN || ni->u.nonce.len > IKE_NONCE_MAX) {
		e->cnt.rx_malformed++;
		tw_log(TW_LOG_DEBUG, "ike", "IKE_SA_INIT from " IKE_ADDR_FMT
		       " without SA, KE or a good nonce", IKE_ADDR_ARGS(pkt->src));
		return;
	}
	pi = ike_policy_of_peer(e, &pkt->src);
	if (pi < 0) {
		e->cnt.no_proposal++;
		tw_log(TW_LOG_WARNING, "ike", "IKE_SA_INIT from " IKE_ADDR_FMT
		       ": no crypto map entry for this peer: NO_PROPOSAL_CHOSEN",
		       IKE_ADDR_ARGS(pkt->src));
		answer_stateless(e, IKE_N_NO_PROPOSAL_CHOSEN, NULL, 0);
		return;
	}
	p = &e->cfg->policies[pi];
	if (e->half_open >= e->cfg->half_open_max) {
		e->cnt.half_open_drops++;
		return;
	}
	/* Per-peer limits (ike.h): one peer does not take the table. */
	up = ike_peer_sas(e, &pkt->src, &half, &oldest);
	if (up >= e->cfg->peer_sa_max) {
		e->cnt.peer_sa_limit++;
		tw_log(TW_LOG_WARNING, "ike", "IKE_SA_INIT from " IKE_ADDR_FMT
		       " dropped: the peer holds %u IKE SAs already",
		       IKE_ADDR_ARGS(pkt->src), up);
		return;
	}
	/*
	 * Full: its half-open limit, or as many IKE SAs as it may hold when
	 * the half-open ones come up (set-ups in parallel would pass
	 * peer_sa_max otherwise). Then only with our cookie, in place of
	 * its oldest half-open SA: a spoofer cannot lock it out.
	 */
	full = half >= e->cfg->peer_half_open_max ||
		(half > 0 && up + half >= e->cfg->peer_sa_max);
	if (full)
		e->cnt.peer_half_open_limit++;
	if (!cookie_ok(e, ni, full))
		return;
	if (full && oldest != NULL) {
		/* Its address is proven (the cookie, RFC 7296 2.6): its
		 * newest attempt goes before its oldest, which may not
		 * even be its own (spoofed requests made it). */
		ike_log(e, oldest, TW_LOG_WARNING,
			"half-open IKE SA replaced: the peer's limit of %u (%u up, %u IKE SAs at most)",
			e->cfg->peer_half_open_max, up, e->cfg->peer_sa_max);
		ike_sa_kill(e, oldest, "replaced: the peer's half-open limit");
	}
	if (ike_proposal_select(&pl_sa->u.sa, p->ike_props, p->n_ike_props,
				&chosen, &why) < 0) {
		e->cnt.no_proposal++;
		tw_log(TW_LOG_WARNING, "ike", "IKE_SA_INIT from " IKE_ADDR_FMT
		       ": no acceptable IKE proposal (%s): NO_PROPOSAL_CHOSEN",
		       IKE_ADDR_ARGS(pkt->src), why);
		answer_stateless(e, IKE_N_NO_PROPOSAL_CHOSEN, NULL, 0);
		return;
	}
	sa = ike_sa_alloc(e);
	if (sa == NULL) {
		e->cnt.half_open_drops++;
		return;
	}
	if (ike_proposal_ike_algs(&chosen, &sa->algs) < 0) {
		ike_sa_kill(e, sa, "unsupported proposal");
		return;
	}
	/* RFC 7296 1.2: the KE must be of the chosen group. */
	if (ke->u.ke.group != sa->algs.dh) {
		tw_put16(g, sa->algs.dh);
		ike_sa_kill(e, sa, "INVALID_KE_PAYLOAD");
		answer_stateless(e, IKE_N_INVALID_KE_PAYLOAD, g, sizeof(g));
		return;
	}
	sa->policy = (unsigned int)pi;
	sa->initiator = false;
	sa->spi_i = e->msg.hdr.spi_i;
	sa->local_addr = pkt->dst;
	sa->peer_addr = pkt->src;
	sa->local_port = pkt->dport;
	sa->peer_port = pkt->sport;
	sa->ni_len = (uint16_t)ni->u.nonce.len;
	memcpy(sa->ni, ni->u.nonce.p, sa->ni_len);
	sa->nr_len = IKE_NONCE_LEN;
	sa->dh_group = sa->algs.dh;
	if (ike_rng_spi(&e->rng, &sa->spi_r) < 0 ||
	    ike_rng_bytes(&e->rng, sa->nr, sa->nr_len) < 0 ||
	    e->ops->dh_new(sa->dh_group, &e->rng, &sa->dh) < 0 ||
	    (n = e->ops->dh_public(sa->dh, pub, sizeof(pub))) < 0 ||
	    derive_keys(e, sa, ke->u.ke.data.p, ke->u.ke.data.len) < 0) {
		ike_log(e, sa, TW_LOG_WARNING, "bad KE or crypto failure");
		ike_sa_kill(e, sa, "key exchange failed");
		return;
	}
	nat_detect(e, sa);
	/* RFC 7296 3.3.1: the IKE_SA_INIT proposal carries no SPI. */
	chosen.spi_size = 0;
	respond_init(e, sa, &chosen, pub, (size_t)n);
	ike_sa_rearm(e, sa);
}
