/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IKE_AUTH (RFC 7296 1.2, 2.15): identities, PSK authentication, and the
 * first Child SA (SAi2/SAr2, TSi/TSr narrowed by the responder, 2.9).
 * USE_TRANSPORT_MODE is refused the RFC's way (1.3.1): the response
 * leaves it out and the Child SA is a tunnel. INITIAL_CONTACT (2.4) makes
 * the receiver (either side) forget older IKE SAs with the same peer and
 * identity; we send it when the new IKE SA is our only one with the peer.
 */
#include <errno.h>
#include <string.h>

#include <openssl/crypto.h>

#include "ike_priv.h"
#include "tw_bytes.h"
#include "tw_log.h"

/* RestOfIDPayload (2.15): ID type, 3 reserved bytes, the data. */
static size_t
id_body(const struct ike_id *id, uint8_t *out)
{
	out[0] = id->type;
	out[1] = out[2] = out[3] = 0;
	memcpy(out + 4, id->data, id->len);
	return 4u + id->len;
}

static int
auth_value(struct ike_engine *e, const struct ike_sa *sa, bool of_initiator,
	   const uint8_t *body, size_t body_len, uint8_t *out)
{
	const struct ike_policy *p = &e->cfg->policies[sa->policy];

	if (of_initiator)
		return ike_auth_psk(e->ops, sa->algs.prf, p->psk, p->psk_len,
				    sa->init_req, sa->init_req_len, sa->nr,
				    sa->nr_len, sa->keys.pi, sa->keys.p_len,
				    body, body_len, out);
	return ike_auth_psk(e->ops, sa->algs.prf, p->psk, p->psk_len,
			    sa->init_resp, sa->init_resp_len, sa->ni,
			    sa->ni_len, sa->keys.pr, sa->keys.p_len, body,
			    body_len, out);
}

/* The peer's AUTH payload against the PSK: 0 or -EACCES. */
static int
auth_check(struct ike_engine *e, struct ike_sa *sa, const struct ike_pl_id *id,
	   const struct ike_pl_auth *auth)
{
	uint8_t want[IKE_PRF_MAX];
	unsigned int len = ike_prf_len(sa->algs.prf);
	bool ok;

	if (auth->method != IKE_AUTH_PSK || auth->data.len != len)
		return -EACCES;
	ok = auth_value(e, sa, !sa->initiator, id->body.p, id->body.len,
			want) == 0 &&
		ike_auth_equal(auth->data.p, want, len);
	/* The AUTH the peer must send: no copy left behind. */
	OPENSSL_cleanse(want, sizeof(want));
	return ok ? 0 : -EACCES;
}

/* The peer's identity as we keep it (logs, console, the twin): its
 * first IKE_ID_MAX bytes. Never compared: see id_matches(). */
static void
id_from_payload(struct ike_id *out, const struct ike_pl_id *id)
{
	size_t n = id->data.len < IKE_ID_MAX ? id->data.len : IKE_ID_MAX;

	out->type = id->type;
	out->len = (uint8_t)n;
	memcpy(out->data, id->data.p, n);
}

/* The configured identity against the whole ID payload (RFC 7296 2.15:
 * AUTH vouches for all of it): a longer one never matches on a prefix. */
static bool
id_matches(const struct ike_id *want, const struct ike_pl_id *got)
{
	return want->type == got->type && want->len == got->data.len &&
		memcmp(want->data, got->data.p, want->len) == 0;
}

static void
build_ts_lists(const struct ike_policy *p, struct ike_ts *local,
	       struct ike_ts *remote)
{
	unsigned int i;

	for (i = 0; i < p->n_ts; i++) {
		local[i] = p->ts[i].local;
		remote[i] = p->ts[i].remote;
	}
}

/* Same identity (type and bytes as kept: the first IKE_ID_MAX). */
static bool
id_equal(const struct ike_id *a, const struct ike_id *b)
{
	return a->type == b->type && a->len == b->len &&
		memcmp(a->data, b->data, a->len) == 0;
}

/*
 * RFC 7296 2.4: the peer says sa is the only IKE SA it has with us (it
 * restarted): every other IKE SA with the same address and authenticated
 * identity, whoever initiated it, is gone on its side. Drop them and
 * their Child SAs now instead of sending into the void until DPD gives
 * up. SAs still being set up are left alone: a simultaneous set-up by
 * both sides is not a restart.
 */
static void
initial_contact(struct ike_engine *e, struct ike_sa *sa)
{
	const struct ike_policy *pol;
	struct ike_sa *x;
	unsigned int p;

	for (p = 0; p < e->cfg->n_policies; p++) {
		pol = &e->cfg->policies[p];
		if (!tw_addr_eq(&pol->peer_addr, &sa->peer_addr))
			continue;
		/* Killed SAs stay in the policy's index until reaped: the
		 * walk goes on from them. */
		for (x = ike_sa_policy_first(e, p); x != NULL;
		     x = ike_sa_policy_next(e, x)) {
			if (x == sa || x->passive ||
			    !tw_addr_eq(&x->peer_addr, &sa->peer_addr) ||
			    !id_equal(&x->peer_id, &sa->peer_id) ||
			    (x->state != IKE_SA_ESTABLISHED &&
			     x->state != IKE_SA_REKEYED &&
			     x->state != IKE_SA_DELETING))
				continue;
			/* Each drop takes actions (CHILD_DOWNs, IKE_DOWN,
			 * CANCEL); what this call still emits needs room
			 * (fuzz_ike_engine: with 16, five old SAs of one peer
			 * pushed the new SA's CHILD_UP out). Those left go
			 * with DPD, as before INITIAL_CONTACT was honoured. */
			if (e->cap - e->n_acts < IKE_CHILD_MAX + 2 + 8) {
				ike_log(e, x, TW_LOG_WARNING,
					"INITIAL_CONTACT: more old IKE SAs than one call drops, this one is left to DPD");
				return;
			}
			e->cnt.initial_contact_kills++;
			ike_log(e, x, TW_LOG_NOTICE,
				"INITIAL_CONTACT on IKE SA %u: the peer restarted, this one is gone",
				sa->id);
			ike_sa_kill(e, x, "INITIAL_CONTACT from the peer");
		}
	}
}

/*
 * RFC 7296 2.4: INITIAL_CONTACT when this is our only IKE SA with the
 * peer (the first after we started, or after all others went): the peer
 * then drops what it still holds of an earlier life of ours.
 */
static bool
only_sa_with_peer(const struct ike_engine *e, const struct ike_sa *sa)
{
	unsigned int half;
	struct ike_sa *oldest;

	return ike_peer_sas(e, &sa->peer_addr, &half, &oldest) <= 1 &&
		half == 0;
}

/* ---- initiator ---- */

void
ike_auth_start(struct ike_engine *e, struct ike_sa *sa)
{
	const struct ike_policy *p = &e->cfg->policies[sa->policy];
	struct ike_ts local[IKE_POLICY_MAX_TS], remote[IKE_POLICY_MAX_TS];
	uint8_t body[4 + IKE_ID_MAX], auth[IKE_PRF_MAX];
	struct ike_proposal esp;
	struct ike_builder b;
	unsigned int n_ts;
	size_t blen;

	if (ike_new_spi_in(e, &sa->new_spi) < 0 ||
	    ike_esp_proposal(e, sa->policy, false, sa->new_spi, &esp) < 0) {
		ike_sa_kill(e, sa, "no ESP proposal");
		return;
	}
	blen = id_body(&p->local_id, body);
	if (auth_value(e, sa, true, body, blen, auth) < 0) {
		ike_sa_kill(e, sa, "cannot compute AUTH");
		return;
	}
	n_ts = ike_child_offer_ts(sa, p, local, remote);
	ike_msg_begin(e, sa, &b, sa->req_buf, IKE_EXCH_AUTH, false,
		      sa->msgid_out);
	ike_build_id(&b, IKE_PL_IDI, p->local_id.type, p->local_id.data,
		     p->local_id.len);
	if (only_sa_with_peer(e, sa)) {
		e->cnt.initial_contact_sent++;
		ike_build_notify(&b, IKE_PROTO_NONE, NULL, 0,
				 IKE_N_INITIAL_CONTACT, NULL, 0);
	}
	if (p->remote_id.type != 0)
		ike_build_id(&b, IKE_PL_IDR, p->remote_id.type,
			     p->remote_id.data, p->remote_id.len);
	ike_build_auth(&b, IKE_AUTH_PSK, auth, ike_prf_len(sa->algs.prf));
	OPENSSL_cleanse(auth, sizeof(auth));
	ike_build_sa(&b, &esp, 1);
	ike_build_ts(&b, IKE_PL_TSI, local, n_ts);
	ike_build_ts(&b, IKE_PL_TSR, remote, n_ts);
	ike_sa_set_state(e, sa, IKE_SA_AUTH_SENT, "IKE_SA_INIT done");
	ike_xmit_request(e, sa, IKE_REQ_AUTH, ike_msg_seal(e, sa, &b, true));
}

/* The Child SA of an IKE_AUTH response (we initiated). */
static void
auth_child_reply(struct ike_engine *e, struct ike_sa *sa)
{
	const struct ike_policy *p = &e->cfg->policies[sa->policy];
	struct ike_ts local[IKE_POLICY_MAX_TS], remote[IKE_POLICY_MAX_TS];
	struct ike_ts rl[IKE_TS_MAX], rr[IKE_TS_MAX];
	const struct ike_payload *pl_sa, *tsi, *tsr;
	struct ike_proposal esp, chosen;
	unsigned int nl, nr, i;
	struct ike_child *c;
	const char *why = "";
	uint16_t err;

	err = ike_error_notify(e);
	if (err != 0) {
		if (err == IKE_N_NO_PROPOSAL_CHOSEN)
			e->cnt.no_proposal++;
		if (err == IKE_N_TS_UNACCEPTABLE)
			e->cnt.ts_unacceptable++;
		ike_log(e, sa, TW_LOG_WARNING, "no Child SA: the peer says %s",
			ike_notify_name(err));
		return;
	}
	pl_sa = ike_find(e, IKE_PL_SA);
	tsi = ike_find(e, IKE_PL_TSI);
	tsr = ike_find(e, IKE_PL_TSR);
	ike_esp_proposal(e, sa->policy, false, sa->new_spi, &esp);
	build_ts_lists(p, local, remote);
	if (pl_sa == NULL || tsi == NULL || tsr == NULL ||
	    ike_proposal_check_reply(&pl_sa->u.sa, &esp, 1, &chosen,
				     &why) < 0 ||
	    chosen.spi_size != 4) {
		ike_log(e, sa, TW_LOG_WARNING, "bad Child SA in IKE_AUTH: %s",
			why[0] != '\0' ? why : "SA or TS missing");
		return;
	}
	nl = ike_ts_all(&tsi->u.ts, rl, IKE_TS_MAX);
	nr = ike_ts_all(&tsr->u.ts, rr, IKE_TS_MAX);
	if (ike_ts_check_reply(local, p->n_ts, rl, nl) < 0 ||
	    ike_ts_check_reply(remote, p->n_ts, rr, nr) < 0) {
		ike_log(e, sa, TW_LOG_WARNING,
			"the peer widened our traffic selectors: no Child SA");
		return;
	}
	c = ike_child_alloc(sa);
	if (c == NULL || ike_child_set_algs(c, &chosen) < 0)
		return;
	c->spi_in = sa->new_spi;
	c->spi_out = tw_get32(chosen.spi);
	c->initiator = true;
	for (i = 0; i < nl && i < IKE_CHILD_TS_MAX; i++)
		c->ts_local[i] = rl[i];
	c->n_local = (uint8_t)i;
	for (i = 0; i < nr && i < IKE_CHILD_TS_MAX; i++)
		c->ts_remote[i] = rr[i];
	c->n_remote = (uint8_t)i;
	if (ike_child_derive(e, sa, c, NULL, 0, sa->ni, sa->ni_len, sa->nr,
			     sa->nr_len) < 0) {
		ike_child_keys_wipe(&c->keys);
		return;
	}
	ike_child_install(e, sa, c, "IKE_AUTH");
	ike_child_next_family(e, sa);
}

void
ike_auth_response(struct ike_engine *e, struct ike_sa *sa)
{
	const struct ike_policy *p = &e->cfg->policies[sa->policy];
	const struct ike_payload *idr, *auth;
	uint16_t err = ike_error_notify(e);

	if (err == IKE_N_AUTHENTICATION_FAILED || err == IKE_N_INVALID_SYNTAX ||
	    err == IKE_N_UNSUPPORTED_CRITICAL_PAYLOAD) {
		if (err == IKE_N_AUTHENTICATION_FAILED)
			e->cnt.auth_failed++;
		ike_log(e, sa, TW_LOG_ERR, "IKE_AUTH refused by the peer: %s%s",
			ike_notify_name(err),
			err == IKE_N_AUTHENTICATION_FAILED ?
			" (pre-shared key mismatch?)" : "");
		ike_sa_kill(e, sa, ike_notify_name(err));
		return;
	}
	idr = ike_find(e, IKE_PL_IDR);
	auth = ike_find(e, IKE_PL_AUTH);
	if (idr == NULL || auth == NULL) {
		ike_log(e, sa, TW_LOG_WARNING, "IKE_AUTH response without %s (%s)",
			idr == NULL ? "IDr" : "AUTH",
			err != 0 ? ike_notify_name(err) : "no notify");
		ike_sa_kill(e, sa, "IKE_AUTH response incomplete");
		return;
	}
	id_from_payload(&sa->peer_id, &idr->u.id);
	if ((p->remote_id.type != 0 && !id_matches(&p->remote_id, &idr->u.id)) ||
	    auth_check(e, sa, &idr->u.id, &auth->u.auth) < 0) {
		e->cnt.auth_failed++;
		ike_log(e, sa, TW_LOG_ERR,
			"AUTHENTICATION_FAILED: the responder's AUTH does not verify with our pre-shared key");
		ike_sa_kill(e, sa, "AUTHENTICATION_FAILED");
		return;
	}
	ike_xmit_done(e, sa);
	ike_sa_set_state(e, sa, IKE_SA_ESTABLISHED, "IKE_AUTH done");
	ike_act_sa(e, IKE_ACT_IKE_UP, sa, "established as initiator");
	if (ike_msg_notify(&e->msg, IKE_N_INITIAL_CONTACT) != NULL)
		initial_contact(e, sa);
	auth_child_reply(e, sa);
	if (sa->state == IKE_SA_ESTABLISHED)
		ike_dup_check(e, sa);
}

/* ---- responder ---- */

/*
 * Several ipsec-isakmp entries with one peer: the IKE SA was matched to
 * the first of them by address; its first Child SA belongs to the entry
 * whose selectors take the peer's (RFC 7296 2.9), the first that does.
 * None does: the policy stays, and narrowing refuses with TS_UNACCEPTABLE.
 */
static void
auth_pick_policy(struct ike_engine *e, struct ike_sa *sa)
{
	unsigned int keep = sa->policy, p;
	struct ike_child tmp;

	for (p = 0; p < e->cfg->n_policies; p++) {
		if (e->cfg->policies[p].retired ||
		    !tw_addr_eq(&e->cfg->policies[p].peer_addr,
				&sa->peer_addr))
			continue;
		memset(&tmp, 0, sizeof(tmp));
		sa->policy = p;
		if (ike_child_narrow(e, sa, &tmp, NULL) == 0)
			return;
	}
	sa->policy = keep;
}

/* The Child SA part of the response; false: an error notify was added. */
static bool
auth_child_request(struct ike_engine *e, struct ike_sa *sa,
		   struct ike_builder *b, struct ike_child **out)
{
	const struct ike_payload *pl_sa = ike_find(e, IKE_PL_SA);
	struct ike_proposal esp, chosen;
	const char *why = "";
	struct ike_child *c;
	uint32_t spi;

	*out = NULL;
	if (pl_sa == NULL || ike_find(e, IKE_PL_TSI) == NULL ||
	    ike_find(e, IKE_PL_TSR) == NULL) {
		ike_build_notify(b, IKE_PROTO_NONE, NULL, 0,
				 IKE_N_INVALID_SYNTAX, NULL, 0);
		return false;
	}
	auth_pick_policy(e, sa);
	if (ike_new_spi_in(e, &spi) < 0 ||
	    ike_esp_proposal(e, sa->policy, false, spi, &esp) < 0 ||
	    ike_proposal_select(&pl_sa->u.sa, &esp, 1, &chosen, &why) < 0) {
		e->cnt.no_proposal++;
		ike_log(e, sa, TW_LOG_WARNING,
			"no acceptable ESP proposal (%s): NO_PROPOSAL_CHOSEN",
			why);
		ike_build_notify(b, IKE_PROTO_NONE, NULL, 0,
				 IKE_N_NO_PROPOSAL_CHOSEN, NULL, 0);
		return false;
	}
	c = ike_child_alloc(sa);
	if (c == NULL)
		return false;
	if (ike_child_narrow(e, sa, c, NULL) < 0) {
		e->cnt.ts_unacceptable++;
		ike_log(e, sa, TW_LOG_WARNING,
			"traffic selectors outside our policy: TS_UNACCEPTABLE");
		ike_build_notify(b, IKE_PROTO_NONE, NULL, 0,
				 IKE_N_TS_UNACCEPTABLE, NULL, 0);
		return false;
	}
	ike_child_set_algs(c, &chosen);
	c->spi_in = spi;
	c->spi_out = tw_get32(chosen.spi);
	c->initiator = false;
	if (ike_child_derive(e, sa, c, NULL, 0, sa->ni, sa->ni_len, sa->nr,
			     sa->nr_len) < 0) {
		ike_build_notify(b, IKE_PROTO_NONE, NULL, 0,
				 IKE_N_NO_PROPOSAL_CHOSEN, NULL, 0);
		return false;
	}
	/* Our SPI in the SA we send back (RFC 7296 3.3.1). */
	tw_put32(chosen.spi, spi);
	ike_build_sa(b, &chosen, 1);
	ike_build_ts(b, IKE_PL_TSI, c->ts_remote, c->n_remote);
	ike_build_ts(b, IKE_PL_TSR, c->ts_local, c->n_local);
	*out = c;
	return true;
}

void
ike_auth_request(struct ike_engine *e, struct ike_sa *sa)
{
	const struct ike_policy *p = &e->cfg->policies[sa->policy];
	const struct ike_payload *idi, *auth;
	uint8_t body[4 + IKE_ID_MAX], av[IKE_PRF_MAX];
	char idbuf[IKE_ID_MAX * 2];
	struct ike_child *c = NULL;
	struct ike_builder b;
	size_t blen;
	int len;

	idi = ike_find(e, IKE_PL_IDI);
	auth = ike_find(e, IKE_PL_AUTH);
	if (idi == NULL || auth == NULL) {
		ike_log(e, sa, TW_LOG_WARNING, "IKE_AUTH without IDi or AUTH (EAP is not supported)");
		ike_respond_notify(e, sa, IKE_EXCH_AUTH,
				   IKE_N_AUTHENTICATION_FAILED, NULL, 0);
		ike_sa_kill(e, sa, "IKE_AUTH incomplete");
		return;
	}
	id_from_payload(&sa->peer_id, &idi->u.id);
	if (p->remote_id.type != 0 && !id_matches(&p->remote_id, &idi->u.id)) {
		e->cnt.auth_failed++;
		ike_log(e, sa, TW_LOG_ERR,
			"AUTHENTICATION_FAILED: identity '%s' is not the one configured",
			ike_id_str(&sa->peer_id, idbuf, sizeof(idbuf)));
		ike_respond_notify(e, sa, IKE_EXCH_AUTH,
				   IKE_N_AUTHENTICATION_FAILED, NULL, 0);
		ike_sa_kill(e, sa, "AUTHENTICATION_FAILED");
		return;
	}
	if (auth_check(e, sa, &idi->u.id, &auth->u.auth) < 0) {
		e->cnt.auth_failed++;
		ike_log(e, sa, TW_LOG_ERR,
			"AUTHENTICATION_FAILED: AUTH of '%s' (method %s) does not verify: pre-shared key mismatch",
			ike_id_str(&sa->peer_id, idbuf, sizeof(idbuf)),
			ike_auth_method_name(auth->u.auth.method));
		ike_respond_notify(e, sa, IKE_EXCH_AUTH,
				   IKE_N_AUTHENTICATION_FAILED, NULL, 0);
		ike_sa_kill(e, sa, "AUTHENTICATION_FAILED");
		return;
	}
	blen = id_body(&p->local_id, body);
	if (auth_value(e, sa, false, body, blen, av) < 0) {
		ike_sa_kill(e, sa, "cannot compute AUTH");
		return;
	}
	ike_msg_begin(e, sa, &b, sa->resp_buf, IKE_EXCH_AUTH, true,
		      sa->msgid_in);
	ike_build_id(&b, IKE_PL_IDR, p->local_id.type, p->local_id.data,
		     p->local_id.len);
	ike_build_auth(&b, IKE_AUTH_PSK, av, ike_prf_len(sa->algs.prf));
	OPENSSL_cleanse(av, sizeof(av));
	auth_child_request(e, sa, &b, &c);
	len = ike_msg_seal(e, sa, &b, true);
	if (len < 0) {
		if (c != NULL)
			ike_child_keys_wipe(&c->keys);
		ike_sa_kill(e, sa, "cannot build the IKE_AUTH response");
		return;
	}
	if (ike_msg_notify(&e->msg, IKE_N_INITIAL_CONTACT) != NULL)
		initial_contact(e, sa);
	ike_sa_set_state(e, sa, IKE_SA_ESTABLISHED, "IKE_AUTH done");
	ike_log(e, sa, TW_LOG_NOTICE, "authenticated '%s' with a pre-shared key (%s)",
		ike_id_str(&sa->peer_id, idbuf, sizeof(idbuf)),
		sa->nat_local || sa->nat_peer ? "NAT-T, UDP 4500" : "no NAT");
	ike_act_sa(e, IKE_ACT_IKE_UP, sa, "established as responder");
	/* Before CHILD_UP: the Child SA of a duplicate does not take the
	 * traffic at once (dup_seen). */
	ike_dup_check(e, sa);
	/* CHILD_UP before the response (ike_child_request()). */
	if (c != NULL)
		ike_child_install(e, sa, c, "IKE_AUTH");
	ike_xmit_response(e, sa, len);
}
