/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Duplicate IKE SAs of a simultaneous set-up. Both ends of a tunnel may
 * initiate at once: each has traffic to send, or one starts while the
 * other is still retrying towards it. Each IKE_SA_INIT is answered, and
 * the entry ends up with two IKE SAs, each with its Child SAs. Both
 * work, but one is redundant: twice the rekeys, the liveness checks and
 * the state (and twice what a standby twin mirrors).
 *
 * As for a rekey collision (RFC 7296 2.8.1), the IKE SA whose
 * IKE_SA_INIT carried the lowest of the four nonces is the redundant one,
 * and its initiator deletes it: both ends know the four nonces, so they
 * settle on the same survivor without a word more, and only one of them
 * sends the DELETE. It waits IKE_DUP_SETTLE, and then until the
 * survivor carries every inner family the redundant one carries (its
 * initiator asks for a Child SA per family after IKE_AUTH), at most
 * IKE_DUP_GRACE in all. The settle time lets a peer that resolves
 * duplicates its own way go first: strongSwan with a "replace"
 * uniqueness policy deletes its older IKE SA when, as responder, it
 * completes a newer one; if that older one is our survivor, it is gone
 * before our DELETE would leave, and ours stays. No packet is sent
 * to an SA the other end does not hold: the data plane moves to the
 * survivor's Child SAs before the DELETE leaves (IKE_ACT_IKE_DELETING),
 * and a responder's new Child SA of a duplicate (dup_seen) does not
 * take the traffic from the other IKE SA's as soon as it is up, before
 * its initiator has it (it takes it when that one goes).
 *
 * Only IKE SAs set up within IKE_DUP_WINDOW of each other count: an
 * older one is not from the same set-up (a peer that restarted without
 * INITIAL_CONTACT leaves one behind: if it is ours and loses, it goes,
 * which is right; a new one of ours never goes for an older one, which
 * the peer may have forgotten).
 */
#include <string.h>

#include "ike_priv.h"
#include "tw_log.h"

/* Set-ups this close are one simultaneous set-up: a peer retrying with
 * back-off reaches us within this once we are up and initiating too. */
#define IKE_DUP_WINDOW TW_SEC(60)
/* A redundant IKE SA is deleted no sooner than this after it was found
 * so (a few round trips: the peer's own DELETE of the other comes
 * first), and no later than IKE_DUP_GRACE, the survivor's Child SAs
 * for every family or not. */
#define IKE_DUP_SETTLE TW_SEC(1)
#define IKE_DUP_GRACE TW_SEC(5)

/* Of a and b, the one set up with the lowest of the four nonces. */
static struct ike_sa *
redundant(struct ike_sa *a, struct ike_sa *b)
{
	const uint8_t *na, *nb;
	size_t la, lb;

	ike_sa_nmin(a, &na, &la);
	ike_sa_nmin(b, &nb, &lb);
	return ike_nonce_cmp(na, la, nb, lb) < 0 ? a : b;
}

static bool
same_peer(const struct ike_sa *a, const struct ike_sa *b)
{
	return a->policy == b->policy &&
		tw_addr_eq(&a->peer_addr, &b->peer_addr) &&
		a->peer_id.type == b->peer_id.type &&
		a->peer_id.len == b->peer_id.len &&
		memcmp(a->peer_id.data, b->peer_id.data, a->peer_id.len) == 0;
}

static bool
child_v6(const struct ike_child *c)
{
	return c->n_local > 0 && c->ts_local[0].type == IKE_TS_IPV6_ADDR_RANGE;
}

/* sa has an installed Child SA of that inner family. */
static bool
has_family(const struct ike_sa *sa, bool v6)
{
	unsigned int i;

	for (i = 0; i < IKE_CHILD_MAX; i++)
		if (sa->child[i].state == IKE_CHILD_INSTALLED &&
		    child_v6(&sa->child[i]) == v6)
			return true;
	return false;
}

void
ike_dup_check(struct ike_engine *e, struct ike_sa *sa)
{
	struct ike_sa *x, *loser, *winner;

	if (sa->passive || sa->policy >= e->cfg->n_policies)
		return;
	for (x = ike_sa_policy_first(e, sa->policy); x != NULL;
	     x = ike_sa_policy_next(e, x)) {
		if (x == sa || x->passive || x->state != IKE_SA_ESTABLISHED ||
		    x->dup_of != 0 || !same_peer(x, sa) ||
		    x->established + IKE_DUP_WINDOW < sa->created)
			continue;
		loser = redundant(sa, x);
		winner = loser == sa ? x : sa;
		/* Ours, begun while the other was up already: not one
		 * set-up (ike_initiate() starts none then), and the other
		 * may be one the peer forgot. Both stay. */
		if (loser == sa && sa->initiator && x->established < sa->created)
			continue;
		e->cnt.dup_sas++;
		sa->dup_seen = x->dup_seen = true;
		if (!loser->initiator) {
			ike_log(e, loser, TW_LOG_NOTICE,
				"set up at the same time as IKE SA %u, and redundant: the peer, its initiator, deletes it",
				winner->id);
			continue;
		}
		ike_log(e, loser, TW_LOG_NOTICE,
			"set up at the same time as IKE SA %u, and redundant: deleting it once IKE SA %u carries its traffic",
			winner->id, winner->id);
		loser->dup_of = winner->id;
		loser->dup_at = e->now;
		ike_sa_rearm(e, loser);
		if (loser == sa)
			return;
	}
}

bool
ike_dup_ready(const struct ike_engine *e, const struct ike_sa *sa)
{
	const struct ike_sa *w = ike_engine_sa(e, sa->dup_of);
	unsigned int i;

	if (w == NULL || w->state != IKE_SA_ESTABLISHED || !same_peer(w, sa))
		return true; /* nothing to wait for: ike_dup_delete() keeps sa */
	if (e->now >= sa->dup_at + IKE_DUP_GRACE)
		return true;
	if (e->now < sa->dup_at + IKE_DUP_SETTLE)
		return false;
	for (i = 0; i < IKE_CHILD_MAX; i++)
		if (sa->child[i].state == IKE_CHILD_INSTALLED &&
		    !has_family(w, child_v6(&sa->child[i])))
			return false;
	return true;
}

tw_time_t
ike_dup_deadline(const struct ike_engine *e, const struct ike_sa *sa)
{
	if (ike_dup_ready(e, sa))
		return e->now;
	if (e->now < sa->dup_at + IKE_DUP_SETTLE)
		return sa->dup_at + IKE_DUP_SETTLE;
	return sa->dup_at + IKE_DUP_GRACE;
}

void
ike_dup_delete(struct ike_engine *e, struct ike_sa *sa)
{
	const struct ike_sa *w = ike_engine_sa(e, sa->dup_of);

	if (w == NULL || w->state != IKE_SA_ESTABLISHED || !same_peer(w, sa)) {
		ike_log(e, sa, TW_LOG_NOTICE,
			"IKE SA %u, which made this one redundant, is gone: keeping it",
			sa->dup_of);
		sa->dup_of = 0;
		return;
	}
	e->cnt.dup_deleted++;
	ike_log(e, sa, TW_LOG_NOTICE,
		"deleting it: IKE SA %u, set up at the same time, carries its traffic",
		w->id);
	sa->dup_of = 0;
	ike_info_delete_ike(e, sa);
}

void
ike_dup_child_up(struct ike_engine *e, const struct ike_sa *sa)
{
	struct ike_sa *x;

	if (sa->policy >= e->cfg->n_policies)
		return;
	for (x = ike_sa_policy_first(e, sa->policy); x != NULL;
	     x = ike_sa_policy_next(e, x))
		if (x->dup_of == sa->id)
			ike_sa_rearm(e, x);
}
