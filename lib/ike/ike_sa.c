/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IKE SA and Child SA records: the two state machines (one transition
 * function each, checked against a table), allocation, lookup, and the
 * death of an SA (children removed, keys wiped).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "ike_priv.h"
#include "tw_fsm.h"
#include "tw_log.h"

static const char *const sa_state_names[IKE_SA_STATE_MAX] = {
	[IKE_SA_IDLE] = "IDLE",
	[IKE_SA_INIT_SENT] = "INIT_SENT",
	[IKE_SA_AUTH_SENT] = "AUTH_SENT",
	[IKE_SA_HALF_OPEN] = "HALF_OPEN",
	[IKE_SA_ESTABLISHED] = "ESTABLISHED",
	[IKE_SA_REKEYED] = "REKEYED",
	[IKE_SA_DELETING] = "DELETING",
	[IKE_SA_DEAD] = "DEAD",
};

/* IOS words for "show crypto isakmp sa". */
static const char *const sa_ios_names[IKE_SA_STATE_MAX] = {
	[IKE_SA_IDLE] = "MM_NO_STATE",
	[IKE_SA_INIT_SENT] = "MM_SA_SETUP",
	[IKE_SA_AUTH_SENT] = "MM_KEY_EXCH",
	[IKE_SA_HALF_OPEN] = "MM_SA_SETUP",
	[IKE_SA_ESTABLISHED] = "QM_IDLE",
	[IKE_SA_REKEYED] = "MM_NO_STATE",
	[IKE_SA_DELETING] = "MM_NO_STATE",
	[IKE_SA_DEAD] = "MM_NO_STATE",
};

#define B(s) TW_FSM_BIT(s)
/* Allowed next states, per state. */
static const uint32_t sa_next[IKE_SA_STATE_MAX] = {
	[IKE_SA_IDLE] = B(IKE_SA_INIT_SENT) | B(IKE_SA_HALF_OPEN) |
		B(IKE_SA_ESTABLISHED) /* born of an IKE SA rekey */ |
		B(IKE_SA_DEAD),
	[IKE_SA_INIT_SENT] = B(IKE_SA_AUTH_SENT) | B(IKE_SA_DEAD),
	[IKE_SA_AUTH_SENT] = B(IKE_SA_ESTABLISHED) | B(IKE_SA_DEAD),
	[IKE_SA_HALF_OPEN] = B(IKE_SA_ESTABLISHED) | B(IKE_SA_DEAD),
	[IKE_SA_ESTABLISHED] = B(IKE_SA_REKEYED) | B(IKE_SA_DELETING) |
		B(IKE_SA_DEAD),
	[IKE_SA_REKEYED] = B(IKE_SA_DELETING) | B(IKE_SA_DEAD),
	[IKE_SA_DELETING] = B(IKE_SA_DEAD),
	[IKE_SA_DEAD] = 0,
};

static const char *const child_state_names[IKE_CHILD_STATE_MAX] = {
	[IKE_CHILD_NONE] = "NONE",
	[IKE_CHILD_INSTALLED] = "INSTALLED",
	[IKE_CHILD_REKEYED] = "REKEYED",
	[IKE_CHILD_DELETING] = "DELETING",
};

static const uint32_t child_next[IKE_CHILD_STATE_MAX] = {
	[IKE_CHILD_NONE] = B(IKE_CHILD_INSTALLED),
	[IKE_CHILD_INSTALLED] = B(IKE_CHILD_REKEYED) | B(IKE_CHILD_DELETING) |
		B(IKE_CHILD_NONE),
	[IKE_CHILD_REKEYED] = B(IKE_CHILD_DELETING) | B(IKE_CHILD_NONE),
	[IKE_CHILD_DELETING] = B(IKE_CHILD_NONE),
};

_Static_assert(IKE_SA_STATE_MAX <= TW_FSM_STATES_MAX, "IKE SA states fit");
_Static_assert(IKE_CHILD_STATE_MAX <= TW_FSM_STATES_MAX, "child states fit");

static const struct tw_fsm sa_fsm = {
	.module = "ike",
	.n_states = IKE_SA_STATE_MAX,
	.names = sa_state_names,
	.next = sa_next,
};

static const struct tw_fsm child_fsm = {
	.module = "ike",
	.n_states = IKE_CHILD_STATE_MAX,
	.names = child_state_names,
	.next = child_next,
};

const char *
ike_sa_state_name(enum ike_sa_state s)
{
	return tw_fsm_name(&sa_fsm, s);
}

const char *
ike_sa_ios_state(enum ike_sa_state s)
{
	return s < IKE_SA_STATE_MAX ? sa_ios_names[s] : "?";
}

const char *
ike_child_state_name(enum ike_child_state s)
{
	return tw_fsm_name(&child_fsm, s);
}

bool
ike_sa_transition_allowed(enum ike_sa_state from, enum ike_sa_state to)
{
	return tw_fsm_allowed(&sa_fsm, from, to);
}

/*
 * sa was the peer's rekey of another IKE SA, in a collision still
 * undecided (ike_sa.h collide_id): that SA forgets it. Its slot is
 * reused by the next IKE SA, which the other one's end or the decision
 * would otherwise take for its partner (and kill or hand children to).
 */
static void
collide_unlink(struct ike_engine *e, struct ike_sa *sa)
{
	struct ike_sa *o;

	if (sa->collide_of == 0 || sa->collide_of > e->cfg->max_sas)
		return;
	o = &e->sas[sa->collide_of - 1];
	sa->collide_of = 0;
	if (o->used && o->collide_id == sa->id)
		o->collide_id = 0;
}

/* Entry actions. */
static void
sa_enter(struct ike_engine *e, struct ike_sa *sa, enum ike_sa_state from,
	 enum ike_sa_state to)
{
	if (from == IKE_SA_HALF_OPEN && e->half_open > 0)
		e->half_open--;
	switch (to) {
	case IKE_SA_HALF_OPEN:
		e->half_open++;
		sa->half_open_until = e->now + TW_SEC(e->cfg->half_open_s);
		break;
	case IKE_SA_ESTABLISHED:
		sa->established = e->now;
		sa->last_rx = e->now;
		sa->expire_at = e->now + TW_SEC(e->cfg->ike_life_s);
		sa->rekey_at = ike_soft_time(e, e->now, e->cfg->ike_life_s);
		/* Used only behind a NAT (nat_local), which an SA born of
		 * a rekey learns after this. */
		sa->keepalive_at = e->now + TW_SEC(e->cfg->nat_keepalive_s);
		/* The IKE_SA_INIT messages and the DH key served AUTH. */
		free(sa->init_req);
		free(sa->init_resp);
		sa->init_req = sa->init_resp = NULL;
		if (sa->dh != NULL) {
			e->ops->dh_free(sa->dh);
			sa->dh = NULL;
		}
		e->cnt.sa_established++;
		break;
	case IKE_SA_REKEYED:
		/* The peer that rekeyed deletes it; if not, we do. */
		sa->expire_at = e->now + IKE_REKEYED_GRACE;
		sa->rekey_at = TW_TIME_NEVER;
		break;
	case IKE_SA_DEAD:
		e->reap = true;
		/* Entered once per life: the list cannot overflow. */
		e->dead[e->n_dead++] = sa->id;
		collide_unlink(e, sa);
		break;
	default:
		break;
	}
}

int
ike_sa_set_state(struct ike_engine *e, struct ike_sa *sa,
		 enum ike_sa_state to, const char *reason)
{
	enum ike_sa_state from = sa->state;

	switch (tw_fsm_check(&sa_fsm, from, to, reason, &e->cnt.illegal,
			     "IKE SA %u", sa->id)) {
	case TW_FSM_SAME:
		return 0;
	case TW_FSM_ILLEGAL:
		return -EPERM;
	case TW_FSM_GO:
		break;
	}
	sa->state = to;
	snprintf(sa->reason, sizeof(sa->reason), "%s", reason);
	tw_fsm_changed(&sa_fsm, to == IKE_SA_ESTABLISHED || to == IKE_SA_DEAD ?
		       TW_LOG_NOTICE : TW_LOG_INFO, from, to, reason,
		       &e->cnt.transitions, "IKE SA %u peer " IKE_ADDR_FMT,
		       sa->id, IKE_ADDR_ARGS(sa->peer_addr));
	sa_enter(e, sa, from, to);
	ike_sa_index(e, sa);
	return 0;
}

int
ike_child_set_state(struct ike_engine *e, struct ike_sa *sa,
		    struct ike_child *c, enum ike_child_state to,
		    const char *reason)
{
	enum ike_child_state from = c->state;

	switch (tw_fsm_check(&child_fsm, from, to, reason, &e->cnt.illegal,
			     "IKE SA %u child %08x", sa->id, c->spi_in)) {
	case TW_FSM_SAME:
		return 0;
	case TW_FSM_ILLEGAL:
		return -EPERM;
	case TW_FSM_GO:
		break;
	}
	c->state = to;
	tw_fsm_changed(&child_fsm, TW_LOG_INFO, from, to, reason,
		       &e->cnt.transitions, "IKE SA %u child in %08x out %08x",
		       sa->id, c->spi_in, c->spi_out);
	ike_sa_index(e, sa);
	return 0;
}

/* ---- indexes (struct ike_engine, ike_priv.h) ---- */

static uint64_t
mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

uint64_t
ike_addr_key(const struct tw_addr *a)
{
	uint64_t hi, lo;

	if (a->family != TW_AF_INET6)
		return a->v4;
	memcpy(&hi, a->v6, 8);
	memcpy(&lo, a->v6 + 8, 8);
	/* Not 0-3 of an IPv4 address's key but by chance. */
	return mix64(hi ^ mix64(lo)) | UINT64_C(1) << 63;
}

/* A responder's IKE_SA_INIT state by what the request carries. The seed
 * keeps a peer choosing SPIs from piling its SAs onto one key. */
static uint64_t
half_key(const struct ike_engine *e, uint64_t spi_i,
	 const struct tw_addr *peer, uint16_t port)
{
	return spi_i ^ mix64(e->half_seed ^
			     (ike_addr_key(peer) << 16 | port) ^
			     ike_addr_key(peer) >> 48);
}

static inline uint64_t
our_spi(const struct ike_sa *sa)
{
	return sa->initiator ? sa->spi_i : sa->spi_r;
}

int
ike_sa_tables_init(struct ike_engine *e)
{
	uint32_t max = e->cfg->max_sas, words = (max + 63) / 64, i;
	uint64_t seeds[3];

	if (max > TW_IDX_MAX / IKE_CHILD_MAX)
		return -EINVAL;
	if (ike_rng_bytes(&e->rng, (uint8_t *)seeds, sizeof(seeds)) < 0)
		return -EIO;
	e->half_seed = seeds[2];
	e->used_map = calloc(words, sizeof(e->used_map[0]));
	e->dead = calloc(max, sizeof(e->dead[0]));
	if (e->used_map == NULL || e->dead == NULL ||
	    tw_idx_init(&e->by_spi, max, seeds[0]) < 0 ||
	    tw_idx_init(&e->by_half, max, seeds[1]) < 0 ||
	    tw_idx_init(&e->by_policy, max, seeds[0] ^ seeds[1]) < 0 ||
	    tw_idx_init(&e->by_child, max * IKE_CHILD_MAX, seeds[1] ^ seeds[2]) < 0 ||
	    tw_idx_init(&e->peer_policy, e->cfg->n_policies > 0 ?
			e->cfg->n_policies : 1, seeds[0] ^ seeds[2]) < 0)
		return -ENOMEM;
	for (i = 0; i < e->cfg->n_policies; i++)
		tw_idx_set(&e->peer_policy, i,
			   ike_addr_key(&e->cfg->policies[i].peer_addr));
	return 0;
}

int
ike_engine_policies_changed(struct ike_engine *e)
{
	struct tw_idx idx;
	uint32_t i, n = e->cfg->n_policies;

	if (tw_idx_init(&idx, n > 0 ? n : 1, e->half_seed ^ n) < 0)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		if (!e->cfg->policies[i].retired)
			tw_idx_set(&idx, i,
				   ike_addr_key(&e->cfg->policies[i].peer_addr));
	tw_idx_fini(&e->peer_policy);
	e->peer_policy = idx;
	return 0;
}

void
ike_sa_tables_fini(struct ike_engine *e)
{
	tw_idx_fini(&e->by_spi);
	tw_idx_fini(&e->by_half);
	tw_idx_fini(&e->by_policy);
	tw_idx_fini(&e->by_child);
	tw_idx_fini(&e->peer_policy);
	free(e->used_map);
	free(e->dead);
	e->used_map = NULL;
	e->dead = NULL;
}

static void
sa_unindex(struct ike_engine *e, const struct ike_sa *sa)
{
	uint32_t slot = sa->id - 1;
	unsigned int i;

	tw_idx_del(&e->by_spi, slot);
	tw_idx_del(&e->by_half, slot);
	tw_idx_del(&e->by_policy, slot);
	for (i = 0; i < IKE_CHILD_MAX; i++)
		tw_idx_del(&e->by_child, slot * IKE_CHILD_MAX + i);
}

void
ike_sa_index(struct ike_engine *e, struct ike_sa *sa)
{
	uint32_t slot = sa->id - 1;
	unsigned int i;

	/* A DEAD SA stays where it is until it is reaped: a walk over a
	 * policy's SAs may be killing them. Lookups skip it. */
	if (!sa->used || sa->state == IKE_SA_DEAD)
		return;
	if (our_spi(sa) != 0)
		tw_idx_set(&e->by_spi, slot, our_spi(sa));
	else
		tw_idx_del(&e->by_spi, slot);
	if (!sa->initiator && sa->spi_i != 0)
		tw_idx_set(&e->by_half, slot, half_key(e, sa->spi_i,
			   &sa->peer_addr, sa->peer_port));
	else
		tw_idx_del(&e->by_half, slot);
	if (sa->policy != UINT32_MAX)
		tw_idx_set(&e->by_policy, slot, sa->policy);
	else
		tw_idx_del(&e->by_policy, slot);
	for (i = 0; i < IKE_CHILD_MAX; i++) {
		const struct ike_child *c = &sa->child[i];
		uint32_t cs = slot * IKE_CHILD_MAX + i;

		if (c->state != IKE_CHILD_NONE)
			tw_idx_set(&e->by_child, cs, c->spi_in);
		else
			tw_idx_del(&e->by_child, cs);
	}
}

static inline struct ike_sa *
live(const struct ike_engine *e, uint32_t slot)
{
	struct ike_sa *sa = &e->sas[slot];

	return sa->used && sa->state != IKE_SA_DEAD ? sa : NULL;
}

struct ike_sa *
ike_sa_policy_first(const struct ike_engine *e, unsigned int p)
{
	uint32_t s;

	for (s = tw_idx_first(&e->by_policy, p); s != TW_IDX_NONE;
	     s = tw_idx_next(&e->by_policy, s))
		if (live(e, s) != NULL && e->sas[s].policy == p)
			return &e->sas[s];
	return NULL;
}

struct ike_sa *
ike_sa_policy_next(const struct ike_engine *e, const struct ike_sa *sa)
{
	uint32_t s;

	for (s = tw_idx_next(&e->by_policy, sa->id - 1); s != TW_IDX_NONE;
	     s = tw_idx_next(&e->by_policy, s))
		if (live(e, s) != NULL && e->sas[s].policy == sa->policy)
			return &e->sas[s];
	return NULL;
}

struct ike_child *
ike_child_find(const struct ike_engine *e, uint32_t spi, struct ike_sa **out)
{
	uint32_t s;

	for (s = tw_idx_first(&e->by_child, spi); s != TW_IDX_NONE;
	     s = tw_idx_next(&e->by_child, s)) {
		struct ike_sa *sa = live(e, s / IKE_CHILD_MAX);
		struct ike_child *c;

		if (sa == NULL)
			continue;
		c = &sa->child[s % IKE_CHILD_MAX];
		if (c->state != IKE_CHILD_NONE && c->spi_in == spi) {
			*out = sa;
			return c;
		}
	}
	return NULL;
}

int
ike_new_spi_in(const struct ike_engine *e, uint32_t *spi)
{
	struct ike_sa *sa;
	unsigned int tries;
	int rc = 0;

	for (tries = 0; tries < 16; tries++) {
		rc = ike_rng_esp_spi(&e->rng, spi);
		if (rc < 0 || ike_child_find(e, *spi, &sa) == NULL)
			return rc;
	}
	return -EEXIST;
}

unsigned int
ike_peer_sas(const struct ike_engine *e, const struct tw_addr *peer,
	     unsigned int *half,
	     struct ike_sa **oldest_half)
{
	unsigned int others = 0;
	struct ike_sa *sa;
	uint32_t s;

	*half = 0;
	*oldest_half = NULL;
	for (s = tw_idx_first(&e->peer_policy, ike_addr_key(peer));
	     s != TW_IDX_NONE; s = tw_idx_next(&e->peer_policy, s)) {
		if (!tw_addr_eq(&e->cfg->policies[s].peer_addr, peer))
			continue;
		for (sa = ike_sa_policy_first(e, s); sa != NULL;
		     sa = ike_sa_policy_next(e, sa)) {
			if (sa->state != IKE_SA_HALF_OPEN) {
				others++;
				continue;
			}
			(*half)++;
			if (*oldest_half == NULL ||
			    sa->created < (*oldest_half)->created)
				*oldest_half = sa;
		}
	}
	return others;
}

int
ike_policy_of_peer(struct ike_engine *e, const struct tw_addr *peer)
{
	uint32_t s, best = TW_IDX_NONE;

	for (s = tw_idx_first(&e->peer_policy, ike_addr_key(peer));
	     s != TW_IDX_NONE; s = tw_idx_next(&e->peer_policy, s))
		if (tw_addr_eq(&e->cfg->policies[s].peer_addr, peer) &&
		    !e->cfg->policies[s].retired && s < best)
			best = s;
	if (best != TW_IDX_NONE)
		return (int)best;
	/* Not indexed: the caller may have changed a policy's peer since
	 * the engine was made (the tests do). Look, and index what is found:
	 * an unknown peer costs what it did before the index. */
	for (s = 0; s < e->cfg->n_policies; s++) {
		if (!tw_addr_eq(&e->cfg->policies[s].peer_addr, peer) ||
		    e->cfg->policies[s].retired)
			continue;
		tw_idx_set(&e->peer_policy, s, ike_addr_key(peer));
		return (int)s;
	}
	return -1;
}

/* ---- records ---- */

/* The lowest free slot, as the linear scan gave it (conn-ids stay
 * small): a bitmap walked from the lowest word that may have one. */
static int64_t
slot_take(struct ike_engine *e)
{
	uint32_t words = (e->cfg->max_sas + 63) / 64, w;

	for (w = e->free_hint; w < words; w++) {
		uint64_t freebits = ~e->used_map[w];
		uint32_t slot;

		if (freebits == 0)
			continue;
		slot = w * 64 + (uint32_t)__builtin_ctzll(freebits);
		if (slot >= e->cfg->max_sas)
			break;
		e->used_map[w] |= UINT64_C(1) << (slot % 64);
		e->free_hint = w;
		return slot;
	}
	e->free_hint = words;
	return -1;
}

static void
slot_give(struct ike_engine *e, uint32_t slot)
{
	e->used_map[slot / 64] &= ~(UINT64_C(1) << (slot % 64));
	if (slot / 64 < e->free_hint)
		e->free_hint = slot / 64;
}

struct ike_sa *
ike_sa_alloc(struct ike_engine *e)
{
	int64_t i = slot_take(e);
	struct ike_sa *sa;

	if (i < 0)
		return NULL;
	sa = &e->sas[i];
	memset(sa, 0, sizeof(*sa));
	sa->id = (uint32_t)i + 1;
	sa->used = true;
	sa->state = IKE_SA_IDLE;
	sa->policy = UINT32_MAX;
	sa->created = e->now;
	sa->rekey_at = sa->expire_at = TW_TIME_NEVER;
	sa->half_open_until = sa->dpd_at = TW_TIME_NEVER;
	sa->rtx_at = TW_TIME_NEVER;
	sa->armed = TW_TIME_NEVER;
	e->n_used++;
	return sa;
}

static void
sa_wipe(struct ike_engine *e, struct ike_sa *sa)
{
	sa_unindex(e, sa);
	slot_give(e, sa->id - 1);
	if (sa->dh != NULL)
		e->ops->dh_free(sa->dh);
	free(sa->init_req);
	free(sa->init_resp);
	OPENSSL_cleanse(sa, sizeof(*sa));
}

void
ike_sa_kill(struct ike_engine *e, struct ike_sa *sa, const char *reason)
{
	bool was_up = sa->state == IKE_SA_ESTABLISHED ||
		sa->state == IKE_SA_REKEYED || sa->state == IKE_SA_DELETING;
	unsigned int i;

	if (sa->state == IKE_SA_DEAD)
		return;
	for (i = 0; i < IKE_CHILD_MAX; i++)
		if (sa->child[i].state != IKE_CHILD_NONE)
			ike_child_remove(e, sa, &sa->child[i], reason);
	ike_sa_set_state(e, sa, IKE_SA_DEAD, reason);
	/* The peer's rekey of it, still undecided (RFC 7296 2.8.2), goes
	 * with it. */
	if (sa->collide_id != 0 && sa->collide_id <= e->cfg->max_sas) {
		struct ike_sa *n = &e->sas[sa->collide_id - 1];

		sa->collide_id = 0;
		if (n->used)
			ike_sa_kill(e, n, reason);
	}
	if (was_up) {
		e->cnt.sa_deleted++;
		ike_act_sa(e, IKE_ACT_IKE_DOWN, sa, reason);
	} else {
		e->cnt.sa_failed++;
	}
	ike_act_sa(e, IKE_ACT_CANCEL, sa, reason);
}

void
ike_sa_reap(struct ike_engine *e)
{
	uint32_t i;

	if (!e->reap)
		return;
	/* Only the SAs that went DEAD: no walk over the table. */
	for (i = 0; i < e->n_dead; i++) {
		struct ike_sa *sa = &e->sas[e->dead[i] - 1];

		if (!sa->used || sa->state != IKE_SA_DEAD)
			continue;
		sa_wipe(e, sa);
		e->n_used--;
	}
	e->n_dead = 0;
	e->reap = false;
}

void
ike_sa_free_all(struct ike_engine *e)
{
	uint32_t i;

	for (i = 0; i < e->cfg->max_sas; i++)
		if (e->sas[i].used)
			sa_wipe(e, &e->sas[i]);
	e->n_used = 0;
	e->n_dead = 0;
}

struct ike_sa *
ike_sa_live(struct ike_engine *e, uint32_t sa_id)
{
	struct ike_sa *sa;

	if (sa_id == 0 || sa_id > e->cfg->max_sas)
		return NULL;
	sa = &e->sas[sa_id - 1];
	return sa->used && sa->state != IKE_SA_DEAD ? sa : NULL;
}

/* Ours is SPIi when we initiated the SA, SPIr when we responded: one
 * index on our SPI, probed with each. */
struct ike_sa *
ike_sa_find(const struct ike_engine *e, uint64_t spi_i, uint64_t spi_r)
{
	uint64_t key[2] = { spi_i, spi_r };
	unsigned int k;
	uint32_t s;

	for (k = 0; k < 2; k++) {
		if (key[k] == 0 || (k == 1 && spi_r == spi_i))
			continue;
		for (s = tw_idx_first(&e->by_spi, key[k]); s != TW_IDX_NONE;
		     s = tw_idx_next(&e->by_spi, s)) {
			struct ike_sa *sa = live(e, s);

			if (sa != NULL && sa->spi_i == spi_i &&
			    sa->spi_r == spi_r)
				return sa;
		}
	}
	return NULL;
}

struct ike_sa *
ike_sa_find_half(struct ike_engine *e, uint64_t spi_i,
		 const struct tw_addr *peer, uint16_t port)
{
	uint64_t key = half_key(e, spi_i, peer, port);
	uint32_t s;

	for (s = tw_idx_first(&e->by_half, key); s != TW_IDX_NONE;
	     s = tw_idx_next(&e->by_half, s)) {
		struct ike_sa *sa = live(e, s);

		if (sa != NULL && !sa->initiator && sa->spi_i == spi_i &&
		    tw_addr_eq(&sa->peer_addr, peer) && sa->peer_port == port)
			return sa;
	}
	return NULL;
}

struct ike_child *
ike_child_alloc(struct ike_sa *sa)
{
	unsigned int i;

	for (i = 0; i < IKE_CHILD_MAX; i++) {
		if (sa->child[i].state == IKE_CHILD_NONE) {
			memset(&sa->child[i], 0, sizeof(sa->child[i]));
			sa->child[i].sa_id = sa->id;
			sa->child[i].policy = sa->policy;
			return &sa->child[i];
		}
	}
	return NULL;
}

struct ike_child *
ike_child_by_in(struct ike_sa *sa, uint32_t spi)
{
	unsigned int i;

	for (i = 0; i < IKE_CHILD_MAX; i++)
		if (sa->child[i].state != IKE_CHILD_NONE &&
		    sa->child[i].spi_in == spi)
			return &sa->child[i];
	return NULL;
}

struct ike_child *
ike_child_by_out(struct ike_sa *sa, uint32_t spi)
{
	unsigned int i;

	for (i = 0; i < IKE_CHILD_MAX; i++)
		if (sa->child[i].state != IKE_CHILD_NONE &&
		    sa->child[i].spi_out == spi)
			return &sa->child[i];
	return NULL;
}

unsigned int
ike_sa_n_children(const struct ike_sa *sa)
{
	unsigned int i, n = 0;

	for (i = 0; i < IKE_CHILD_MAX; i++)
		n += sa->child[i].state == IKE_CHILD_INSTALLED;
	return n;
}

void
ike_child_install(struct ike_engine *e, struct ike_sa *sa,
		  struct ike_child *c, const char *reason)
{
	const struct ike_policy *p = &e->cfg->policies[sa->policy];

	c->sa_id = sa->id;
	c->policy = sa->policy;
	c->local_addr = sa->local_addr;
	c->peer_addr = sa->peer_addr;
	/* RFC 3948: ESP in UDP when a NAT is on the path (RFC 7296 2.23),
	 * for IPv4. Over IPv6 (RFC 3948 is IPv4's; IPv6 NATs are rare) a
	 * NAT seen, or faked by a peer that wants encapsulation (strongSwan
	 * with kernel-libipsec), leaves the Child SA in plain ESP. */
	c->udp_encap = (sa->nat_local || sa->nat_peer) &&
		sa->peer_addr.family != TW_AF_INET6;
	c->local_port = sa->local_port;
	c->peer_port = sa->peer_port;
	c->replay_window = p->replay_window;
	c->created = e->now;
	c->hard_at = e->now + TW_SEC(p->child_life_s);
	c->soft_at = ike_soft_time(e, e->now, p->child_life_s);
	if (p->child_life_kb != 0) {
		c->hard_bytes = p->child_life_kb * 1024;
		c->soft_bytes = c->hard_bytes / 10 * 9;
	}
	ike_child_set_state(e, sa, c, IKE_CHILD_INSTALLED, reason);
	e->cnt.child_created++;
	ike_act_child(e, IKE_ACT_CHILD_UP, c);
	ike_dup_child_up(e, sa);
}

void
ike_child_remove(struct ike_engine *e, struct ike_sa *sa,
		 struct ike_child *c, const char *reason)
{
	if (c->state == IKE_CHILD_NONE)
		return;
	/* The action points at the record: the glue reads it in this
	 * call; the keys are wiped, the rest stays until the slot is
	 * reused. */
	ike_act_child(e, IKE_ACT_CHILD_DOWN, c);
	ike_child_set_state(e, sa, c, IKE_CHILD_NONE, reason);
	ike_child_keys_wipe(&c->keys);
	e->cnt.child_deleted++;
}
