/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * INFORMATIONAL (RFC 7296 1.4): DELETE of Child SAs (answered with the
 * DELETE of the other direction, 1.4.1) and of the IKE SA, liveness
 * checks (an empty request, 2.4: our DPD), error notifies (logged); the
 * operator's DELETE of one Child SA (ike_delete_child); INVALID_SPI
 * (2.21.4) both ways: sent for ESP on an unknown SPI (ike_invalid_spi),
 * and when received for one of our outbound SAs, that Child SA dropped
 * and, if it was the policy's last, a new one negotiated.
 */
#include <errno.h>
#include <string.h>

#include "ike_priv.h"
#include "tw_bytes.h"
#include "tw_log.h"

/* The SPI an INVALID_SPI notify names: in its data (RFC 7296 3.10.1),
 * or in its SPI field from implementations that put it there. 0: none. */
static uint32_t
invalid_spi_of(const struct ike_pl_notify *n)
{
	if (n->data.len == 4)
		return tw_get32(n->data.p);
	if (n->spi.len == 4)
		return tw_get32(n->spi.p);
	return 0;
}

/* The peer has no SA for our outbound SPI spi (it restarted, or lost
 * the Child SA): drop ours now rather than black-hole traffic until a
 * rekey or DPD, and ask for a new one when the policy has no other. */
static void
invalid_spi_rx(struct ike_engine *e, struct ike_sa *sa, uint32_t spi)
{
	struct ike_child *c = spi != 0 ? ike_child_by_out(sa, spi) : NULL;
	unsigned int policy, i;

	if (c == NULL || c->state == IKE_CHILD_NONE) {
		ike_log(e, sa, TW_LOG_INFO,
			"peer reports INVALID_SPI %08x: not one of our outbound SAs",
			spi);
		return;
	}
	e->cnt.invalid_spi_rx++;
	policy = c->policy;
	ike_log(e, sa, TW_LOG_NOTICE,
		"peer reports INVALID_SPI %08x: Child SA %08x/%08x dropped",
		spi, c->spi_in, c->spi_out);
	ike_child_remove(e, sa, c, "INVALID_SPI from the peer");
	for (i = 0; i < IKE_CHILD_MAX; i++)
		if (sa->child[i].state == IKE_CHILD_INSTALLED &&
		    sa->child[i].policy == policy)
			return;
	if (sa->state == IKE_SA_ESTABLISHED && sa->policy == policy)
		sa->want_child = true;
}

void
ike_info_request(struct ike_engine *e, struct ike_sa *sa)
{
	uint32_t spis[IKE_CHILD_MAX];
	unsigned int i, j, n_spi = 0;
	bool del_ike = false;
	struct ike_builder b;
	int len;

	for (i = 0; i < e->msg.n_pl; i++) {
		const struct ike_payload *p = &e->msg.pl[i];

		if (p->type == IKE_PL_NOTIFY &&
		    p->u.notify.type == IKE_N_INVALID_SPI)
			invalid_spi_rx(e, sa, invalid_spi_of(&p->u.notify));
		else if (p->type == IKE_PL_NOTIFY &&
			 p->u.notify.type <= IKE_N_ERROR_MAX)
			ike_log(e, sa, TW_LOG_WARNING, "peer reports %s",
				ike_notify_name(p->u.notify.type));
		if (p->type != IKE_PL_DELETE)
			continue;
		if (p->u.del.proto == IKE_PROTO_IKE) {
			del_ike = true;
			continue;
		}
		if (p->u.del.proto != IKE_PROTO_ESP)
			continue;
		for (j = 0; j < p->u.del.n_spi; j++) {
			struct ike_child *c =
				ike_child_by_out(sa, ike_delete_spi(&p->u.del, j));

			if (c == NULL)
				continue;
			/* Both sent DELETE: ours is answered separately. */
			if (c->state != IKE_CHILD_DELETING &&
			    n_spi < IKE_CHILD_MAX)
				spis[n_spi++] = c->spi_in;
			ike_child_remove(e, sa, c, "deleted by the peer");
		}
	}
	ike_msg_begin(e, sa, &b, sa->resp_buf, IKE_EXCH_INFORMATIONAL, true,
		      sa->msgid_in);
	if (n_spi > 0 && !del_ike)
		ike_build_delete(&b, IKE_PROTO_ESP, spis, n_spi);
	len = ike_msg_seal(e, sa, &b, true);
	ike_xmit_response(e, sa, len);
	if (del_ike) {
		/* RFC 7296 2.25.2: our own rekey of it is forgotten; the
		 * peer's, made meanwhile, takes the children (2.8.2). */
		ike_rekey_adopt_collision(e, sa);
		ike_log(e, sa, TW_LOG_NOTICE, "IKE SA deleted by the peer");
		ike_sa_kill(e, sa, IKE_REASON_PEER_DELETE);
	}
}

void
ike_info_response(struct ike_engine *e, struct ike_sa *sa)
{
	enum ike_req_kind kind = sa->req;
	struct ike_child *c;

	ike_xmit_done(e, sa);
	switch (kind) {
	case IKE_REQ_DELETE_IKE:
		ike_sa_kill(e, sa, "deleted");
		break;
	case IKE_REQ_DELETE_CHILD:
		c = ike_child_by_in(sa, sa->delete_spi);
		if (c != NULL)
			ike_child_remove(e, sa, c, "deleted");
		break;
	default:
		break; /* liveness: last_rx was updated */
	}
}

int
ike_info_delete_spi(struct ike_engine *e, struct ike_sa *sa, uint32_t spi_in)
{
	struct ike_builder b;

	sa->delete_spi = spi_in;
	ike_msg_begin(e, sa, &b, sa->req_buf, IKE_EXCH_INFORMATIONAL, false,
		      sa->msgid_out);
	ike_build_delete(&b, IKE_PROTO_ESP, &spi_in, 1);
	ike_xmit_request(e, sa, IKE_REQ_DELETE_CHILD,
			 ike_msg_seal(e, sa, &b, true));
	return 0;
}

/* RFC 7296 1.4.1: DELETE of one Child SA, our inbound SPI (the peer
 * answers with its own). */
static int
send_child_delete(struct ike_engine *e, struct ike_sa *sa,
		  struct ike_child *c, const char *reason)
{
	ike_child_set_state(e, sa, c, IKE_CHILD_DELETING, reason);
	c->hard_at = e->now + TW_SEC(e->cfg->retransmit_ms / 1000 * 8 + 10);
	return ike_info_delete_spi(e, sa, c->spi_in);
}

int
ike_info_delete_child(struct ike_engine *e, struct ike_sa *sa,
		      struct ike_child *c)
{
	return send_child_delete(e, sa, c, c->state == IKE_CHILD_REKEYED ?
				 "replaced" : "lifetime expired");
}

/*
 * The operator clears one Child SA (clear crypto sa): DELETE to the peer
 * (ESP, our inbound SPI), CHILD_DOWN when it answers (or when the DELETE
 * goes unanswered); the IKE SA stays. With a request of ours in flight
 * (window 1, RFC 7296 2.3) the child's hard lifetime is brought to now:
 * the DELETE goes as soon as that request is answered. Without an
 * established IKE SA (being deleted or set up) there is nobody to tell:
 * the child is removed here.
 */
int
ike_delete_child(struct ike_engine *e, uint32_t spi_in, tw_time_t now,
		 struct ike_action *acts, unsigned int cap)
{
	struct ike_child *c = NULL;
	struct ike_sa *sa = NULL;
	uint32_t i;
	int rc;

	rc = ike_call_begin(e, now, acts, cap);
	if (rc < 0)
		return rc;
	for (i = 0; i < e->cfg->max_sas && c == NULL; i++) {
		sa = &e->sas[i];
		if (sa->used && sa->state != IKE_SA_DEAD)
			c = ike_child_by_in(sa, spi_in);
	}
	if (c == NULL || c->state == IKE_CHILD_NONE)
		return -ENOENT;
	if (c->state == IKE_CHILD_DELETING)
		return 0; /* our DELETE is already on its way */
	if (sa->state != IKE_SA_ESTABLISHED) {
		ike_child_remove(e, sa, c, "cleared by the operator");
	} else if (sa->req == IKE_REQ_NONE) {
		send_child_delete(e, sa, c, "cleared by the operator");
	} else {
		ike_log(e, sa, TW_LOG_NOTICE,
			"Child SA %08x cleared: DELETE after the request in flight",
			c->spi_in);
		c->hard_at = now;
	}
	ike_sa_rearm(e, sa);
	return (int)e->n_acts;
}

int
ike_info_delete_ike(struct ike_engine *e, struct ike_sa *sa)
{
	struct ike_builder b;

	ike_sa_set_state(e, sa, IKE_SA_DELETING, "deleting");
	/* Before the DELETE: the data plane stops sending on its Child SAs
	 * where another IKE SA's carry the traffic. */
	ike_act_sa(e, IKE_ACT_IKE_DELETING, sa, "our DELETE");
	ike_msg_begin(e, sa, &b, sa->req_buf, IKE_EXCH_INFORMATIONAL, false,
		      sa->msgid_out);
	ike_build_delete(&b, IKE_PROTO_IKE, NULL, 0);
	ike_xmit_request(e, sa, IKE_REQ_DELETE_IKE,
			 ike_msg_seal(e, sa, &b, true));
	return 0;
}

/* The established IKE SA we talk to peer with (the newest), or NULL. */
static struct ike_sa *
peer_ike_sa(struct ike_engine *e, const struct tw_addr *peer)
{
	struct ike_sa *sa, *best = NULL;
	unsigned int p;

	for (p = 0; p < e->cfg->n_policies; p++) {
		if (!tw_addr_eq(&e->cfg->policies[p].peer_addr, peer))
			continue;
		for (sa = ike_sa_policy_first(e, p); sa != NULL;
		     sa = ike_sa_policy_next(e, sa))
			if (sa->state == IKE_SA_ESTABLISHED && !sa->passive &&
			    tw_addr_eq(&sa->peer_addr, peer) &&
			    (best == NULL || sa->established > best->established))
				best = sa;
	}
	return best;
}

int
ike_invalid_spi(struct ike_engine *e, const struct tw_addr *peer,
		uint32_t spi, tw_time_t now, struct ike_action *acts, unsigned int cap)
{
	struct ike_builder b;
	struct ike_sa *sa, *owner;
	uint8_t data[4];
	int rc;

	rc = ike_call_begin(e, now, acts, cap);
	if (rc < 0)
		return rc;
	/* One of ours after all (installed since the packet left the
	 * fast path): nothing is wrong. */
	if (ike_child_find(e, spi, &owner) != NULL)
		return 0;
	sa = peer_ike_sa(e, peer);
	if (sa == NULL) {
		e->cnt.invalid_spi_nopeer++;
		return -ENOTCONN;
	}
	if (now < sa->invalid_spi_at || sa->req != IKE_REQ_NONE) {
		e->cnt.invalid_spi_limited++;
		return 0;
	}
	sa->invalid_spi_at = now + TW_MSEC(IKE_INVALID_SPI_INTERVAL_MS);
	e->cnt.invalid_spi_sent++;
	ike_log(e, sa, TW_LOG_NOTICE,
		"ESP on unknown SPI %08x: INVALID_SPI sent", spi);
	tw_put32(data, spi);
	ike_msg_begin(e, sa, &b, sa->req_buf, IKE_EXCH_INFORMATIONAL, false,
		      sa->msgid_out);
	ike_build_notify(&b, IKE_PROTO_ESP, NULL, 0, IKE_N_INVALID_SPI, data,
			 sizeof(data));
	/* Answered like a liveness check: the answer proves the peer. */
	ike_xmit_request(e, sa, IKE_REQ_DPD, ike_msg_seal(e, sa, &b, true));
	ike_sa_rearm(e, sa);
	return (int)e->n_acts;
}

int
ike_info_dpd(struct ike_engine *e, struct ike_sa *sa)
{
	struct ike_builder b;

	e->cnt.dpd_sent++;
	ike_msg_begin(e, sa, &b, sa->req_buf, IKE_EXCH_INFORMATIONAL, false,
		      sa->msgid_out);
	ike_xmit_request(e, sa, IKE_REQ_DPD, ike_msg_seal(e, sa, &b, true));
	return 0;
}
