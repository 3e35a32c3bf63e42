/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The engine: entry points, input dispatch (header, SA lookup, message-ID
 * window, SK payload), deadlines (one per IKE SA, the earliest of its
 * retransmission, half-open limit, DPD, lifetimes and its children's) and
 * the action list.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "ike_priv.h"
#include "tw_bytes.h"
#include "tw_compiler.h"
#include "tw_log.h"

void
ike_config_defaults(struct ike_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->max_sas = 1024;
	cfg->ike_life_s = 86400;
	cfg->dpd_interval_s = 10;
	cfg->dpd_retries = 5;
	cfg->cookie_threshold = 100;
	cfg->half_open_max = 1000;
	cfg->retransmit_ms = 1000;
	cfg->retransmit_tries = 5;
	cfg->half_open_s = 30;
	cfg->rekey_jitter_pct = 10;
	cfg->nat_keepalive_s = 20;
	cfg->peer_half_open_max = IKE_PEER_HALF_OPEN_MAX;
	cfg->peer_sa_max = IKE_PEER_SA_MAX;
	cfg->ccs_rate_max = IKE_CREATE_CHILD_RATE_MAX;
	cfg->ccs_rate_window_s = IKE_CREATE_CHILD_RATE_WINDOW_S;
}

struct ike_engine *
ike_engine_create(const struct ike_config *cfg,
		  const struct ike_crypto_ops *ops, const struct ike_rng *rng)
{
	struct ike_engine *e;

	if (cfg == NULL || ops == NULL || rng == NULL || cfg->max_sas == 0 ||
	    cfg->retransmit_ms == 0 || cfg->peer_half_open_max == 0 ||
	    cfg->peer_sa_max == 0 || cfg->ccs_rate_max == 0 ||
	    cfg->ccs_rate_window_s == 0)
		return NULL;
	e = calloc(1, sizeof(*e));
	if (e == NULL)
		return NULL;
	e->sas = calloc(cfg->max_sas, sizeof(e->sas[0]));
	if (e->sas == NULL) {
		free(e);
		return NULL;
	}
	e->cfg = cfg;
	e->ops = ops;
	e->rng = *rng;
	if (ike_rng_bytes(&e->rng, e->cookie_secret,
			  sizeof(e->cookie_secret)) < 0 ||
	    ike_sa_tables_init(e) < 0) {
		ike_sa_tables_fini(e);
		free(e->sas);
		free(e);
		return NULL;
	}
	return e;
}

void
ike_engine_destroy(struct ike_engine *e)
{
	if (e == NULL)
		return;
	ike_sa_free_all(e);
	ike_sa_tables_fini(e);
	free(e->sas);
	OPENSSL_cleanse(e, sizeof(*e));
	free(e);
}

bool
ike_addr_unicast(const struct tw_addr *a)
{
	uint32_t v = a->v4;

	if (a->family == TW_AF_INET6)
		return tw_addr6_is_unicast(a->v6);
	if (a->family != TW_AF_INET)
		return false;
	return (v >> 24) != 0 && (v >> 24) != 127 && (v >> 28) < 14;
}

const struct ike_config *
ike_engine_config(const struct ike_engine *e)
{
	return e->cfg;
}

void
ike_counters_read(const struct ike_engine *e, struct ike_counters *out)
{
	*out = e->cnt;
}

void
ike_log(const struct ike_engine *e TW_UNUSED, const struct ike_sa *sa,
	int level, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (sa != NULL)
		tw_log(level, "ike", "IKE SA %u peer " IKE_ADDR_FMT ": %s",
		       sa->id, IKE_ADDR_ARGS(sa->peer_addr), msg);
	else
		tw_log(level, "ike", "%s", msg);
}

/* ---- actions ---- */

static struct ike_action *
act_new(struct ike_engine *e, enum ike_action_type t, uint32_t sa_id)
{
	struct ike_action *a;

	if (e->n_acts >= e->cap) {
		tw_log(TW_LOG_ERR, "ike", "action list full: one dropped");
		return NULL;
	}
	a = &e->acts[e->n_acts++];
	memset(a, 0, sizeof(*a));
	a->type = t;
	a->sa_id = sa_id;
	return a;
}

void
ike_act_send(struct ike_engine *e, const struct ike_sa *sa,
	     const uint8_t *data, size_t len)
{
	struct ike_action *a = act_new(e, IKE_ACT_SEND, sa->id);

	if (a == NULL)
		return;
	a->u.send.data = data;
	a->u.send.len = len;
	a->u.send.src = sa->local_addr;
	a->u.send.dst = sa->peer_addr;
	a->u.send.sport = sa->local_port;
	a->u.send.dport = sa->peer_port;
	e->cnt.tx++;
}

void
ike_act_send_to(struct ike_engine *e, uint32_t sa_id,
		const struct ike_pkt *rx, const uint8_t *data, size_t len)
{
	struct ike_action *a = act_new(e, IKE_ACT_SEND, sa_id);

	if (a == NULL)
		return;
	a->u.send.data = data;
	a->u.send.len = len;
	a->u.send.src = rx->dst;
	a->u.send.dst = rx->src;
	a->u.send.sport = rx->dport;
	a->u.send.dport = rx->sport;
	e->cnt.tx++;
}

/* RFC 3948 2.3: one 0xFF byte from our 4500 to the peer's NAT-T port. */
static void
act_keepalive(struct ike_engine *e, const struct ike_sa *sa)
{
	static const uint8_t ka = 0xff;
	struct ike_action *a = act_new(e, IKE_ACT_SEND, sa->id);

	if (a == NULL)
		return;
	a->u.send.data = &ka;
	a->u.send.len = sizeof(ka);
	a->u.send.src = sa->local_addr;
	a->u.send.dst = sa->peer_addr;
	a->u.send.sport = sa->local_port;
	a->u.send.dport = sa->peer_port;
	a->u.send.keepalive = true;
	e->cnt.nat_keepalives++;
}

void
ike_act_child(struct ike_engine *e, enum ike_action_type t,
	      const struct ike_child *c)
{
	struct ike_action *a = act_new(e, t, c->sa_id);

	if (a == NULL)
		return;
	a->u.child.c = c;
	a->u.child.spi_in = c->spi_in;
	a->u.child.spi_out = c->spi_out;
	a->u.child.peer = c->peer_addr;
}

void
ike_act_sa(struct ike_engine *e, enum ike_action_type t,
	   const struct ike_sa *sa, const char *reason)
{
	struct ike_action *a = act_new(e, t, sa->id);

	if (a != NULL)
		a->u.reason = reason;
}

/* ---- deadlines ---- */

tw_time_t
ike_soft_time(struct ike_engine *e, tw_time_t start, uint32_t life_s)
{
	uint32_t pct = e->cfg->rekey_jitter_pct, r = 0;
	uint8_t b[4];
	tw_time_t life = TW_SEC(life_s);

	/* Rekey at 90 % of the lifetime, spread by up to +-pct/2 so that
	 * both ends rarely rekey at once (RFC 7296 2.8.1). */
	if (pct > 0 && ike_rng_bytes(&e->rng, b, sizeof(b)) == 0)
		r = tw_get32(b) % (pct * 100 + 1);
	return start + life / 10000 * (9000 - pct * 50 + r);
}

static tw_time_t
tmin(tw_time_t a, tw_time_t b)
{
	return a < b ? a : b;
}

/* RFC 3948 4: the side behind a NAT keeps the mapping open. */
static bool
keepalives(const struct ike_engine *e, const struct ike_sa *sa)
{
	return e->cfg->nat_keepalive_s != 0 && sa->nat_local &&
		sa->state == IKE_SA_ESTABLISHED;
}

static tw_time_t
sa_deadline(const struct ike_engine *e, const struct ike_sa *sa)
{
	tw_time_t t = TW_TIME_NEVER;
	unsigned int i;

	if (sa->state == IKE_SA_DEAD)
		return TW_TIME_NEVER;
	if (sa->req != IKE_REQ_NONE)
		t = sa->rtx_at;
	if (sa->state == IKE_SA_HALF_OPEN)
		t = tmin(t, sa->half_open_until);
	t = tmin(t, sa->expire_at);
	if (keepalives(e, sa))
		t = tmin(t, sa->keepalive_at);
	for (i = 0; i < IKE_CHILD_MAX; i++) {
		const struct ike_child *c = &sa->child[i];

		if (c->state == IKE_CHILD_NONE)
			continue;
		/* Past its hard limit in an established SA with a request
		 * in flight: sa_expire() waits for that request (its answer
		 * or its give-up kicks the SA again). Armed, this past time
		 * would fire at once and find nothing to do, again and
		 * again: a deadline is never re-armed in the past without
		 * progress. */
		if (e->now >= c->hard_at && c->state != IKE_CHILD_DELETING &&
		    sa->state == IKE_SA_ESTABLISHED &&
		    sa->req != IKE_REQ_NONE)
			continue;
		t = tmin(t, c->hard_at);
	}
	/* What starts a new request waits for the outstanding one. */
	if (sa->req != IKE_REQ_NONE || sa->state != IKE_SA_ESTABLISHED)
		return t;
	t = tmin(t, sa->rekey_at);
	if (sa->dup_of != 0)
		t = tmin(t, ike_dup_deadline(e, sa));
	else if (sa->want_child)
		t = tmin(t, e->now);
	if (e->cfg->dpd_interval_s != 0)
		t = tmin(t, sa->last_rx + TW_SEC(e->cfg->dpd_interval_s));
	for (i = 0; i < IKE_CHILD_MAX; i++)
		if (sa->child[i].state == IKE_CHILD_INSTALLED)
			t = tmin(t, sa->child[i].soft_at);
	return t;
}

void
ike_sa_rearm(struct ike_engine *e, struct ike_sa *sa)
{
	tw_time_t t = sa_deadline(e, sa);
	struct ike_action *a;

	ike_sa_index(e, sa);
	if (sa->state == IKE_SA_DEAD || t == sa->armed)
		return;
	sa->armed = t;
	if (t == TW_TIME_NEVER) {
		act_new(e, IKE_ACT_CANCEL, sa->id);
		return;
	}
	a = act_new(e, IKE_ACT_ARM, sa->id);
	if (a != NULL)
		a->u.at = t;
}

/* Hard limits: children past their lifetime, the SA past its own. */
static void
sa_expire(struct ike_engine *e, struct ike_sa *sa)
{
	unsigned int i;

	if (sa->state == IKE_SA_HALF_OPEN && e->now >= sa->half_open_until) {
		e->cnt.timeouts++;
		ike_log(e, sa, TW_LOG_WARNING,
			"half-open IKE SA timed out (no IKE_AUTH)");
		ike_sa_kill(e, sa, "half-open timeout");
		return;
	}
	if (e->now >= sa->expire_at) {
		if (sa->state == IKE_SA_ESTABLISHED ||
		    sa->state == IKE_SA_REKEYED) {
			if (sa->req == IKE_REQ_NONE) {
				ike_info_delete_ike(e, sa);
				return;
			}
		}
		ike_sa_kill(e, sa, "lifetime expired");
		return;
	}
	for (i = 0; i < IKE_CHILD_MAX; i++) {
		struct ike_child *c = &sa->child[i];

		if (c->state == IKE_CHILD_NONE || e->now < c->hard_at)
			continue;
		if (c->state == IKE_CHILD_DELETING) {
			/* Our DELETE was never answered: remove anyway. */
			ike_child_remove(e, sa, c, "delete not answered");
			continue;
		}
		if (sa->req == IKE_REQ_NONE &&
		    sa->state == IKE_SA_ESTABLISHED) {
			ike_info_delete_child(e, sa, c);
			continue;
		}
		if (sa->state != IKE_SA_ESTABLISHED)
			ike_child_remove(e, sa, c, "lifetime expired");
	}
}

void
ike_sa_kick(struct ike_engine *e, struct ike_sa *sa)
{
	unsigned int i;

	if (sa->state != IKE_SA_DEAD)
		sa_expire(e, sa);
	/* Independent of requests in flight: sent every interval (not
	 * only when idle, the engine does not see ESP traffic). */
	if (keepalives(e, sa) && e->now >= sa->keepalive_at) {
		act_keepalive(e, sa);
		sa->keepalive_at = e->now +
			TW_SEC(e->cfg->nat_keepalive_s);
	}
	if (sa->state != IKE_SA_ESTABLISHED || sa->req != IKE_REQ_NONE)
		goto out;
	if (sa->dup_of != 0 && ike_dup_ready(e, sa)) {
		ike_dup_delete(e, sa); /* or keeps it: then on as usual */
		if (sa->state != IKE_SA_ESTABLISHED)
			goto out;
	}
	if (e->now >= sa->rekey_at) {
		ike_ike_rekey_start(e, sa);
		goto out;
	}
	if (sa->want_child && sa->dup_of == 0) {
		if (ike_child_new_start(e, sa) < 0)
			ike_log(e, sa, TW_LOG_WARNING,
				"cannot start a new Child SA");
		goto out;
	}
	for (i = 0; i < IKE_CHILD_MAX; i++) {
		struct ike_child *c = &sa->child[i];

		if (c->state == IKE_CHILD_INSTALLED &&
		    (e->now >= c->soft_at ||
		     (c->soft_bytes != 0 && c->bytes >= c->soft_bytes))) {
			ike_child_rekey_start(e, sa, c);
			goto out;
		}
	}
	if (e->cfg->dpd_interval_s != 0 &&
	    e->now >= sa->last_rx + TW_SEC(e->cfg->dpd_interval_s))
		ike_info_dpd(e, sa);
out:
	ike_sa_rearm(e, sa);
}

/* ---- entry points ---- */

static int
call_begin(struct ike_engine *e, tw_time_t now, struct ike_action *acts,
	   unsigned int cap)
{
	if (cap < IKE_ACTIONS_MAX)
		return -ENOSPC;
	ike_sa_reap(e);
	e->now = now;
	e->acts = acts;
	e->cap = cap;
	e->n_acts = 0;
	e->pkt = NULL;
	return 0;
}

int
ike_call_begin(struct ike_engine *e, tw_time_t now, struct ike_action *acts,
	       unsigned int cap)
{
	return call_begin(e, now, acts, cap);
}

int
ike_timer(struct ike_engine *e, uint32_t sa_id, tw_time_t now,
	  struct ike_action *acts, unsigned int cap)
{
	struct ike_sa *sa;
	int rc;

	rc = call_begin(e, now, acts, cap);
	if (rc < 0)
		return rc;
	sa = ike_sa_live(e, sa_id);
	if (sa == NULL || sa->passive)
		return 0;
	sa->armed = TW_TIME_NEVER; /* it fired */
	if (sa->req != IKE_REQ_NONE && now >= sa->rtx_at)
		ike_xmit_timer(e, sa);
	if (sa->state != IKE_SA_DEAD)
		ike_sa_kick(e, sa);
	return (int)e->n_acts;
}

int
ike_initiate(struct ike_engine *e, unsigned int p, tw_time_t now,
	     struct ike_action *acts, unsigned int cap)
{
	const struct ike_policy *pol;
	struct ike_sa *sa, *up = NULL;
	int rc;

	rc = call_begin(e, now, acts, cap);
	if (rc < 0)
		return rc;
	if (p >= e->cfg->n_policies || e->cfg->policies[p].retired)
		return -EINVAL;
	pol = &e->cfg->policies[p];
	for (sa = ike_sa_policy_first(e, p); sa != NULL;
	     sa = ike_sa_policy_next(e, sa)) {
		if ((sa->state == IKE_SA_INIT_SENT ||
		     sa->state == IKE_SA_AUTH_SENT ||
		     sa->state == IKE_SA_HALF_OPEN ||
		     (sa->state == IKE_SA_ESTABLISHED &&
		      (ike_sa_n_children(sa) > 0 || sa->want_child ||
		       sa->req == IKE_REQ_CHILD_NEW))))
			return 0;
		if (sa->state == IKE_SA_ESTABLISHED && !sa->passive &&
		    up == NULL)
			up = sa;
	}
	if (up != NULL) {
		/* The IKE SA is up without a Child SA (cleared, refused,
		 * or deleted by the peer): a new one on it (RFC 7296
		 * 1.3.1), after the request in flight (window 1). */
		if (up->req == IKE_REQ_NONE) {
			rc = ike_child_new_start(e, up);
			if (rc < 0) {
				ike_sa_rearm(e, up);
				return rc;
			}
		} else {
			ike_log(e, up, TW_LOG_INFO,
				"new Child SA after the request in flight");
			up->want_child = true;
		}
		ike_sa_rearm(e, up);
		return (int)e->n_acts;
	}
	sa = ike_sa_alloc(e);
	if (sa == NULL)
		return -ENOSPC;
	sa->initiator = true;
	sa->policy = p;
	sa->local_addr = pol->local_addr;
	sa->peer_addr = pol->peer_addr;
	sa->local_port = IKE_UDP_PORT;
	sa->peer_port = IKE_UDP_PORT;
	rc = ike_init_start(e, sa, IKE_DH_NONE);
	if (rc < 0) {
		ike_sa_kill(e, sa, "cannot start IKE_SA_INIT");
		return rc;
	}
	ike_sa_rearm(e, sa);
	return (int)e->n_acts;
}

int
ike_initiate_again(struct ike_engine *e, unsigned int p, tw_time_t now,
		   struct ike_action *acts, unsigned int cap)
{
	struct ike_sa *sa;
	int rc;

	rc = call_begin(e, now, acts, cap);
	if (rc < 0)
		return rc;
	if (p >= e->cfg->n_policies)
		return -EINVAL;
	for (sa = ike_sa_policy_first(e, p); sa != NULL;
	     sa = ike_sa_policy_next(e, sa)) {
		if (sa->passive || sa->state != IKE_SA_INIT_SENT ||
		    sa->req != IKE_REQ_SA_INIT)
			continue;
		ike_xmit_now(e, sa);
		ike_sa_rearm(e, sa);
	}
	return (int)e->n_acts;
}

int
ike_delete(struct ike_engine *e, uint32_t sa_id, tw_time_t now,
	   struct ike_action *acts, unsigned int cap)
{
	struct ike_sa *sa;
	int rc;

	rc = call_begin(e, now, acts, cap);
	if (rc < 0)
		return rc;
	sa = ike_sa_live(e, sa_id);
	if (sa == NULL)
		return -ENOENT;
	if ((sa->state == IKE_SA_ESTABLISHED || sa->state == IKE_SA_REKEYED) &&
	    sa->req == IKE_REQ_NONE)
		ike_info_delete_ike(e, sa);
	else
		ike_sa_kill(e, sa, "cleared by the operator");
	ike_sa_rearm(e, sa);
	return (int)e->n_acts;
}

/*
 * A child past its hard volume limit is deleted at once, unless its rekey
 * has not had its chance: the bytes come in reports (the glue's are a
 * second apart), and one report can pass the soft and the hard limit
 * together (at 10 Gbit/s the 10 % between them takes under a second).
 * Deleting then would leave the policy without SAs; instead the rekey
 * starts now (or is in flight) and the child goes once it is replaced,
 * or after a grace time.
 */
static tw_time_t
bytes_hard_at(const struct ike_sa *sa, const struct ike_child *c,
	      tw_time_t now)
{
	bool rekey_pending = c->soft_bytes != 0 ||
		(sa->req == IKE_REQ_CHILD_REKEY && sa->rekey_child == c->spi_in);

	if (c->state == IKE_CHILD_DELETING)
		return c->hard_at; /* its DELETE's own deadline */
	if (c->state != IKE_CHILD_INSTALLED || !rekey_pending)
		return now;
	return tmin(c->hard_at, now + IKE_REKEYED_GRACE);
}

int
ike_child_bytes(struct ike_engine *e, uint32_t spi_in, uint64_t bytes,
		tw_time_t now, struct ike_action *acts, unsigned int cap)
{
	struct ike_child *c;
	struct ike_sa *sa;
	int rc;

	rc = call_begin(e, now, acts, cap);
	if (rc < 0)
		return rc;
	c = ike_child_find(e, spi_in, &sa);
	if (c != NULL && sa->state == IKE_SA_ESTABLISHED) {
		c->bytes += bytes;
		if (c->hard_bytes != 0 && c->bytes >= c->hard_bytes)
			c->hard_at = bytes_hard_at(sa, c, now);
		ike_sa_kick(e, sa);
	}
	return (int)e->n_acts;
}

int
ike_rekey_child(struct ike_engine *e, uint32_t spi_in, tw_time_t now,
		struct ike_action *acts, unsigned int cap)
{
	struct ike_child *c;
	struct ike_sa *sa;
	int rc;

	rc = call_begin(e, now, acts, cap);
	if (rc < 0)
		return rc;
	c = ike_child_find(e, spi_in, &sa);
	if (c == NULL || c->state != IKE_CHILD_INSTALLED)
		return -ENOENT;
	if (sa->state != IKE_SA_ESTABLISHED)
		return -EAGAIN;
	/* the soft expiry, now: ike_sa_kick() starts it when it may */
	c->soft_at = now;
	ike_sa_kick(e, sa);
	return (int)e->n_acts;
}

const struct ike_sa *
ike_engine_sa_next(const struct ike_engine *e, const struct ike_sa *prev)
{
	uint32_t i = prev == NULL ? 0 : prev->id;

	for (; i < e->cfg->max_sas; i++)
		if (e->sas[i].used && e->sas[i].state != IKE_SA_DEAD)
			return &e->sas[i];
	return NULL;
}

const struct ike_sa *
ike_engine_sa(const struct ike_engine *e, uint32_t sa_id)
{
	if (sa_id == 0 || sa_id > e->cfg->max_sas ||
	    !e->sas[sa_id - 1].used)
		return NULL;
	return &e->sas[sa_id - 1];
}

const struct ike_sa *
ike_sa_of_policy(const struct ike_engine *e, unsigned int p)
{
	const struct ike_sa *sa, *best = NULL;

	/* The lowest id, as a walk over the table finds it. */
	for (sa = ike_sa_policy_first(e, p); sa != NULL;
	     sa = ike_sa_policy_next(e, sa))
		if (sa->state == IKE_SA_ESTABLISHED &&
		    (best == NULL || sa->id < best->id))
			best = sa;
	return best;
}

const struct ike_sa *
ike_engine_policy_sa_next(const struct ike_engine *e, unsigned int p,
			  const struct ike_sa *prev)
{
	if (prev == NULL)
		return ike_sa_policy_first(e, p);
	return ike_sa_policy_next(e, prev);
}

const struct ike_payload *
ike_find(const struct ike_engine *e, uint8_t type)
{
	unsigned int from = 0;

	return ike_msg_find(&e->msg, type, &from);
}

uint16_t
ike_error_notify(const struct ike_engine *e)
{
	unsigned int i;

	for (i = 0; i < e->msg.n_pl; i++)
		if (e->msg.pl[i].type == IKE_PL_NOTIFY &&
		    e->msg.pl[i].u.notify.type <= IKE_N_ERROR_MAX)
			return e->msg.pl[i].u.notify.type;
	return 0;
}

/* ---- input ---- */

static void
drop(struct ike_engine *e, const char *why)
{
	e->cnt.rx_dropped++;
	tw_log(TW_LOG_DEBUG, "ike", "from " IKE_ADDR_FMT ":%u dropped: %s",
	       IKE_ADDR_ARGS(e->pkt->src), e->pkt->sport, why);
}

/* Decrypt and decode the SK payload: 0, or the message is dropped. */
static int
open_sk(struct ike_engine *e, struct ike_sa *sa)
{
	const struct ike_pkt *pkt = e->pkt;
	struct ike_sk_ctx ctx;
	const char *why = "";
	size_t plen = 0;
	int rc;

	if (!e->msg.sk.present) {
		drop(e, "no Encrypted payload");
		return -EINVAL;
	}
	ike_sk_ctx_init(&ctx, e->ops, &sa->keys, sa->initiator, false,
			&sa->sk);
	/* What ike_sk_open() may write: wiped after the call (ike_input). */
	e->plain_used = e->msg.sk.body_len < sizeof(e->plain) ?
		e->msg.sk.body_len : sizeof(e->plain);
	rc = ike_sk_open(&ctx, pkt->data, pkt->len, &e->msg, e->plain,
			 sizeof(e->plain), &plen, &why);
	if (rc < 0) {
		/* RFC 7296 2.21.2: no answer to what does not verify. */
		if (rc == -EBADMSG)
			e->cnt.rx_icv_fail++;
		drop(e, why);
		return rc;
	}
	rc = ike_msg_decode_inner(&e->msg, e->plain, plen, &why);
	if (rc < 0) {
		e->cnt.rx_malformed++;
		drop(e, why);
		return rc;
	}
	return 0;
}

/*
 * RFC 7296 2.23: follow a peer behind a NAT to its new address/port, on
 * a new message that verified (a retransmission never gets here,
 * ike_xmit_again()). Only when a NAT was detected in front of the peer:
 * without one, a message from elsewhere (even to port 4500) is a copy
 * of the peer's that someone on the path redirected, and following it
 * would move the IKE SA and its Child SAs there. Behind a NAT ourselves
 * (the peer not), the one move is to port 4500 (2.23), the address kept.
 */
static void
update_path(struct ike_engine *e, struct ike_sa *sa)
{
	const struct ike_pkt *pkt = e->pkt;
	unsigned int i;

	if (sa->peer_port == pkt->sport &&
	    tw_addr_eq(&sa->peer_addr, &pkt->src) &&
	    sa->local_port == pkt->dport)
		return;
	if (!sa->nat_peer &&
	    (!sa->nat_local || !tw_addr_eq(&pkt->src, &sa->peer_addr) ||
	     pkt->sport != IKE_NATT_PORT || pkt->dport != IKE_NATT_PORT)) {
		e->cnt.path_not_followed++;
		ike_log(e, sa, TW_LOG_WARNING, "message from " IKE_ADDR_FMT
			":%u to port %u: not followed, no NAT in front of the peer",
			IKE_ADDR_ARGS(pkt->src), pkt->sport, pkt->dport);
		return;
	}
	sa->peer_addr = pkt->src;
	sa->peer_port = pkt->sport;
	sa->local_port = pkt->dport;
	for (i = 0; i < IKE_CHILD_MAX; i++) {
		sa->child[i].peer_addr = pkt->src;
		sa->child[i].peer_port = pkt->sport;
		sa->child[i].local_port = pkt->dport;
	}
	ike_sa_index(e, sa);
}

/*
 * A request past our window (RFC 7296 2.2: dropped). An authentic one
 * means the peer ran exchanges this IKE SA never saw: the twin answered
 * them (a split brain, or a takeover from stale state). Not silently:
 * one warning per message ID, counted; the peer retransmits, gives up
 * and renegotiates (docs/failover-safety.md, "Split brain").
 */
static void
msgid_ahead(struct ike_engine *e, struct ike_sa *sa, uint32_t id)
{
	if (open_sk(e, sa) < 0)
		return;
	e->cnt.rx_msgid_ahead++;
	if (sa->msgid_ahead_logged != id) {
		sa->msgid_ahead_logged = id;
		tw_log(TW_LOG_WARNING, "ike",
		       "IKE SA %016" PRIx64 "/%016" PRIx64 " with " IKE_ADDR_FMT ": request with message ID %" PRIu32 ", ours is %" PRIu32 ": the peer ran exchanges this unit did not see (its twin answered them?); dropped, the peer will renegotiate",
		       sa->spi_i, sa->spi_r, IKE_ADDR_ARGS(sa->peer_addr),
		       id, sa->msgid_in);
	}
	drop(e, "message ID ahead of the window");
}

static void
sa_input(struct ike_engine *e, struct ike_sa *sa)
{
	const struct ike_hdr *h = &e->msg.hdr;
	bool response = (h->flags & IKE_FLAG_RESPONSE) != 0;
	bool from_init = (h->flags & IKE_FLAG_INITIATOR) != 0;

	/* A standby twin's copy answers nothing (ike_export.h). */
	if (sa->passive) {
		drop(e, "standby copy of the IKE SA");
		return;
	}
	/* RFC 7296 3.1: I is set by the original initiator only. */
	if (from_init == sa->initiator) {
		drop(e, "Initiator flag of the wrong side");
		return;
	}
	if (response) {
		if (sa->req == IKE_REQ_NONE || h->msg_id != sa->msgid_out) {
			drop(e, "response to no request of ours");
			return;
		}
	} else if (h->msg_id > sa->msgid_in) {
		msgid_ahead(e, sa, h->msg_id);
		return;
	} else if (h->msg_id != sa->msgid_in) {
		/* RFC 7296 2.2: the retransmitted request gets the same
		 * response again; anything else is dropped. */
		const char *why = "message ID outside the window";

		if (h->msg_id + 1 != sa->msgid_in ||
		    !ike_xmit_again(e, sa, &why))
			drop(e, why);
		return;
	}
	if (open_sk(e, sa) < 0)
		return;
	sa->last_rx = e->now;
	update_path(e, sa);
	switch (h->exchange) {
	case IKE_EXCH_AUTH:
		if (response && sa->state == IKE_SA_AUTH_SENT)
			ike_auth_response(e, sa);
		else if (!response && sa->state == IKE_SA_HALF_OPEN)
			ike_auth_request(e, sa);
		else
			drop(e, "IKE_AUTH out of place");
		break;
	case IKE_EXCH_CREATE_CHILD_SA:
		if (response)
			ike_child_response(e, sa);
		else
			ike_child_request(e, sa);
		break;
	case IKE_EXCH_INFORMATIONAL:
		if (response)
			ike_info_response(e, sa);
		else
			ike_info_request(e, sa);
		break;
	default:
		drop(e, "unexpected exchange type");
		break;
	}
	if (sa->state != IKE_SA_DEAD)
		ike_sa_kick(e, sa);
}

int
ike_input(struct ike_engine *e, const struct ike_pkt *pkt, tw_time_t now,
	  struct ike_action *acts, unsigned int cap)
{
	const struct ike_hdr *h = &e->msg.hdr;
	const char *why = "";
	struct ike_sa *sa;
	int rc;

	rc = call_begin(e, now, acts, cap);
	if (rc < 0)
		return rc;
	e->pkt = pkt;
	e->cnt.rx++;
	/* Whatever answer there is would leave from (or go to) such an
	 * address (RFC 1122 3.2.1.3, 3.3.6): none, and no state. */
	if (!ike_addr_unicast(&pkt->dst) || !ike_addr_unicast(&pkt->src) ||
	    pkt->src.family != pkt->dst.family) {
		e->cnt.rx_not_unicast++;
		drop(e, "to or from a multicast, broadcast or reserved address");
		return 0;
	}
	if (pkt->len > IKE_RX_MAX) {
		drop(e, "too long");
		return 0;
	}
	rc = ike_msg_decode(pkt->data, pkt->len, &e->msg, &why);
	if (rc < 0) {
		e->cnt.rx_malformed++;
		drop(e, why);
		return 0;
	}
	if (h->exchange == IKE_EXCH_SA_INIT) {
		if ((h->flags & IKE_FLAG_RESPONSE) == 0) {
			if (h->spi_r != 0 || h->msg_id != 0) {
				drop(e, "IKE_SA_INIT request with SPIr or message ID");
				return 0;
			}
			sa = ike_sa_find_half(e, h->spi_i, &pkt->src,
					      pkt->sport);
			if (sa != NULL) {
				/* Retransmitted: the same answer again. */
				if (!ike_xmit_again(e, sa, &why))
					drop(e, why);
				return (int)e->n_acts;
			}
			ike_init_request(e, pkt);
			return (int)e->n_acts;
		}
		sa = ike_sa_find(e, h->spi_i, 0);
		if (sa == NULL || !sa->initiator ||
		    sa->state != IKE_SA_INIT_SENT || h->msg_id != 0) {
			drop(e, "IKE_SA_INIT response to no request of ours");
			return (int)e->n_acts;
		}
		ike_init_response(e, sa);
		if (sa->state != IKE_SA_DEAD)
			ike_sa_rearm(e, sa);
		return (int)e->n_acts;
	}
	sa = ike_sa_find(e, h->spi_i, h->spi_r);
	if (sa == NULL) {
		drop(e, "unknown IKE SPIs");
		return 0;
	}
	sa_input(e, sa);
	/* The decrypted payloads (IDs, AUTH, nonces, KE, notify data) are
	 * not kept past the call; e->msg points into them, it is done. */
	if (e->plain_used != 0) {
		OPENSSL_cleanse(e->plain, e->plain_used);
		e->plain_used = 0;
	}
	return (int)e->n_acts;
}
