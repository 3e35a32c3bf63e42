/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sadb.h"
#include "tw_fsm.h"
#include "tw_log.h"

struct sadb {
	const struct sadb_backend_ops *ops;
	void *ctx;
	struct sadb_sa **by_id;    /* max_sas slots */
	uint32_t max_sas;
	uint32_t count;
	uint32_t next_free_hint;
	uint32_t id_end;           /* one past the highest id given out */
	struct sadb_sa **buckets;  /* (dir, spi) hash, chained */
	uint32_t bucket_mask;
	bool bulk;                 /* per-SA transitions at DEBUG */
	struct sadb_counters counters;
	/* Watchers in the order they came; see sadb_watch(). */
	struct {
		sadb_watch_fn fn;  /* NULL: unwatched during a notification */
		void *arg;
	} watch[SADB_WATCH_MAX];
	unsigned int n_watch;
	bool notifying;            /* inside a watcher: no changes */
	bool watch_holes;          /* compact watch[] after the notification */
};

static const char *const state_names[SADB_SA_STATE_MAX] = {
	[SADB_SA_INIT] = "INIT",
	[SADB_SA_INSTALLED] = "INSTALLED",
	[SADB_SA_DECOUPLED] = "DECOUPLED",
	[SADB_SA_DELETED] = "DELETED",
};

#define B(x) TW_FSM_BIT(SADB_SA_##x)

/* Allowed next states, per state; staying in the same state is a no-op. */
static const uint32_t next[SADB_SA_STATE_MAX] = {
	[SADB_SA_INIT] = B(INSTALLED) | B(DECOUPLED) | B(DELETED),
	[SADB_SA_INSTALLED] = B(DECOUPLED) /* losing the active role */ |
		B(DELETED),
	[SADB_SA_DECOUPLED] = B(INSTALLED) /* takeover */ | B(DELETED),
	[SADB_SA_DELETED] = 0,
};

_Static_assert(SADB_SA_STATE_MAX <= TW_FSM_STATES_MAX, "SA states fit");

static const struct tw_fsm sadb_fsm = {
	.module = "sadb",
	.n_states = SADB_SA_STATE_MAX,
	.names = state_names,
	.next = next,
};

const char *
sadb_sa_state_name(enum sadb_sa_state s)
{
	return tw_fsm_name(&sadb_fsm, s);
}

const char *
sadb_dir_name(enum sadb_dir d)
{
	return d == SADB_DIR_IN ? "in" : "out";
}

bool
sadb_transition_allowed(enum sadb_sa_state from, enum sadb_sa_state to)
{
	return tw_fsm_allowed(&sadb_fsm, from, to);
}

/* ---- watchers ------------------------------------------------------- */

int
sadb_watch(struct sadb *db, sadb_watch_fn fn, void *arg)
{
	unsigned int i;

	if (fn == NULL)
		return -EINVAL;
	if (db->notifying)
		return -EDEADLK;
	for (i = 0; i < db->n_watch; i++)
		if (db->watch[i].fn == fn && db->watch[i].arg == arg)
			return -EEXIST;
	if (db->n_watch == SADB_WATCH_MAX)
		return -ENOSPC;
	db->watch[db->n_watch].fn = fn;
	db->watch[db->n_watch].arg = arg;
	db->n_watch++;
	return 0;
}

/* Close the holes unwatching during a notification left, keeping order. */
static void
watch_compact(struct sadb *db)
{
	unsigned int i, n = 0;

	for (i = 0; i < db->n_watch; i++)
		if (db->watch[i].fn != NULL)
			db->watch[n++] = db->watch[i];
	db->n_watch = n;
	db->watch_holes = false;
}

void
sadb_unwatch(struct sadb *db, sadb_watch_fn fn, void *arg)
{
	unsigned int i;

	for (i = 0; i < db->n_watch; i++) {
		if (db->watch[i].fn != fn || db->watch[i].arg != arg)
			continue;
		/* Not called again, not even later in this notification. */
		db->watch[i].fn = NULL;
		db->watch_holes = true;
		break;
	}
	if (db->watch_holes && !db->notifying)
		watch_compact(db);
}

static void
notify(struct sadb *db, const struct sadb_sa *sa, enum sadb_sa_state from,
       enum sadb_sa_state to)
{
	unsigned int i;

	if (db->n_watch == 0)
		return;
	db->notifying = true;
	/* n_watch cannot grow here: sadb_watch() refuses. */
	for (i = 0; i < db->n_watch; i++)
		if (db->watch[i].fn != NULL)
			db->watch[i].fn(db->watch[i].arg, db, sa, from, to);
	db->notifying = false;
	if (db->watch_holes)
		watch_compact(db);
}

/* A change asked for from inside a watcher: refused, a bug of the caller. */
static int
reentered(struct sadb *db, const struct sadb_sa *sa, uint32_t spi,
	  enum sadb_dir dir, const char *what)
{
	db->counters.reentered++;
	tw_log(TW_LOG_ERR, "sadb",
	       "SA %d spi 0x%08x %s: %s refused: called from an SA database watcher",
	       sa != NULL ? (int)sa->id : -1, spi, sadb_dir_name(dir), what);
	return -EDEADLK;
}

static uint32_t
sadb_hash(const struct sadb *db, enum sadb_dir dir, uint32_t spi)
{
	/* Knuth's multiplicative hash; SPIs may be sequential. */
	return ((spi * 2654435761u) ^ (uint32_t)dir) & db->bucket_mask;
}

struct sadb *
sadb_create(const struct sadb_backend_ops *ops, void *ctx, uint32_t max_sas)
{
	struct sadb *db;
	uint32_t nb = 16;

	if (ops == NULL || ops->add == NULL || ops->del == NULL ||
	    max_sas == 0)
		return NULL;
	db = calloc(1, sizeof(*db));
	if (db == NULL)
		return NULL;
	while (nb < max_sas && nb < (1u << 24))
		nb <<= 1;
	db->ops = ops;
	db->ctx = ctx;
	db->max_sas = max_sas;
	db->by_id = calloc(max_sas, sizeof(*db->by_id));
	db->buckets = calloc(nb, sizeof(*db->buckets));
	db->bucket_mask = nb - 1;
	if (db->by_id == NULL || db->buckets == NULL) {
		free(db->by_id);
		free(db->buckets);
		free(db);
		return NULL;
	}
	return db;
}

void
sadb_destroy(struct sadb *db)
{
	uint32_t i;

	if (db == NULL)
		return;
	for (i = 0; i < db->max_sas; i++)
		if (db->by_id[i] != NULL)
			sadb_sa_del(db, db->by_id[i], "database destroyed");
	free(db->by_id);
	free(db->buckets);
	free(db);
}

static bool
af_known(uint8_t af)
{
	return af == TW_AF_NONE || af == TW_AF_INET || af == TW_AF_INET6;
}

/* The families of p: known, selectors of the inner one, NAT-T on IPv4. */
static int
sadb_params_af_check(const struct sadb_sa_params *p, char *err,
		     size_t errlen)
{
	const struct sadb_selector *s;
	uint8_t inner = sadb_inner_af(p), af;
	unsigned int i;

	if (!af_known(p->family) || !af_known(p->inner_family)) {
		snprintf(err, errlen, "unknown address family %u/%u",
			 p->family, p->inner_family);
		return -EINVAL;
	}
	if (p->udp_encap && sadb_outer_af(p) == TW_AF_INET6) {
		snprintf(err, errlen,
			 "UDP encapsulation (RFC 3948) needs an IPv4 outer");
		return -EINVAL;
	}
	for (i = 0; i < p->n_sel; i++) {
		s = &p->sel[i];
		if (!af_known(s->family)) {
			snprintf(err, errlen, "selector %u: unknown family %u",
				 i, s->family);
			return -EINVAL;
		}
		af = s->family == TW_AF_INET6 ? TW_AF_INET6 : TW_AF_INET;
		if (af != inner) {
			snprintf(err, errlen,
				 "selector %u is IPv%u, the SA carries IPv%u",
				 i, af, inner);
			return -EINVAL;
		}
		if (s->src_len > tw_af_bits(af) ||
		    s->dst_len > tw_af_bits(af)) {
			snprintf(err, errlen,
				 "selector %u: prefix length above %u", i,
				 tw_af_bits(af));
			return -EINVAL;
		}
	}
	return 0;
}

struct tw_addr
sadb_sa_local(const struct sadb_sa_params *p)
{
	struct tw_addr a = { .family = TW_AF_INET6 };

	if (sadb_outer_af(p) == TW_AF_INET)
		return tw_addr_v4(p->local_addr);
	memcpy(a.v6, p->local6, sizeof(a.v6));
	return a;
}

struct tw_addr
sadb_sa_peer(const struct sadb_sa_params *p)
{
	struct tw_addr a = { .family = TW_AF_INET6 };

	if (sadb_outer_af(p) == TW_AF_INET)
		return tw_addr_v4(p->peer_addr);
	memcpy(a.v6, p->peer6, sizeof(a.v6));
	return a;
}

void
sadb_sa_set_endpoints(struct sadb_sa_params *p, const struct tw_addr *local,
		      const struct tw_addr *peer)
{
	memset(p->local6, 0, sizeof(p->local6));
	memset(p->peer6, 0, sizeof(p->peer6));
	p->local_addr = 0;
	p->peer_addr = 0;
	if (peer->family == TW_AF_INET6) {
		p->family = TW_AF_INET6;
		if (local->family == TW_AF_INET6)
			memcpy(p->local6, local->v6, sizeof(p->local6));
		memcpy(p->peer6, peer->v6, sizeof(p->peer6));
		return;
	}
	p->family = TW_AF_INET;
	if (local->family == TW_AF_INET)
		p->local_addr = local->v4;
	p->peer_addr = peer->v4;
}

/* Is the peer of p the address peer (of its family)? */
static bool
peer_is(const struct sadb_sa_params *p, const struct tw_addr *peer)
{
	if (sadb_outer_af(p) == TW_AF_INET)
		return peer->family != TW_AF_INET6 &&
			p->peer_addr == peer->v4;
	return peer->family == TW_AF_INET6 &&
		memcmp(p->peer6, peer->v6, sizeof(p->peer6)) == 0;
}

static int
sadb_params_check(const struct sadb_sa_params *p, char *err, size_t errlen)
{
	/* RFC 4303 2.1: SPIs 1-255 are reserved by IANA, 0 is never sent. */
	if (p->spi < 256) {
		snprintf(err, errlen, "SPI 0x%x is reserved (RFC 4303 2.1)",
			 p->spi);
		return -EINVAL;
	}
	if (p->dir != SADB_DIR_IN && p->dir != SADB_DIR_OUT) {
		snprintf(err, errlen, "bad direction %d", (int)p->dir);
		return -EINVAL;
	}
	if (p->n_sel > SADB_MAX_SELECTORS) {
		snprintf(err, errlen, "%u selectors, at most %u", p->n_sel,
			 SADB_MAX_SELECTORS);
		return -EINVAL;
	}
	if (p->cipher_key_len > SADB_KEY_MAX ||
	    p->auth_key_len > SADB_KEY_MAX) {
		snprintf(err, errlen, "key longer than %u bytes", SADB_KEY_MAX);
		return -EINVAL;
	}
	return sadb_params_af_check(p, err, errlen);
}

int
sadb_sa_add(struct sadb *db, const struct sadb_sa_params *p, tw_time_t now,
	    struct sadb_sa **out, char *err, size_t errlen)
{
	struct sadb_sa *sa;
	struct tw_addr peer;
	uint32_t i, id = 0, h;
	int rc;

	if (db->notifying) {
		snprintf(err, errlen, "called from an SA database watcher");
		return reentered(db, NULL, p->spi, p->dir, "add");
	}
	rc = sadb_params_check(p, err, errlen);
	if (rc < 0)
		return rc;
	peer = sadb_sa_peer(p);
	if (sadb_sa_lookup_addr(db, p->dir, p->spi, &peer) != NULL) {
		snprintf(err, errlen, "%s SPI 0x%08x already in use%s",
			 sadb_dir_name(p->dir), p->spi,
			 p->dir == SADB_DIR_OUT ? " for this peer" : "");
		return -EEXIST;
	}
	if (db->count == db->max_sas) {
		snprintf(err, errlen, "SA database full (%u SAs)", db->max_sas);
		return -ENOSPC;
	}
	sa = calloc(1, sizeof(*sa));
	if (sa == NULL) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	/* A free slot exists: count < max_sas. */
	for (i = 0; i < db->max_sas; i++) {
		id = (db->next_free_hint + i) % db->max_sas;
		if (db->by_id[id] == NULL)
			break;
	}
	sa->p = *p;
	sa->id = id;
	sa->state = SADB_SA_INIT;
	sa->created = now;
	db->by_id[id] = sa;
	if (id >= db->id_end)
		db->id_end = id + 1;
	db->next_free_hint = (id + 1) % db->max_sas;
	h = sadb_hash(db, p->dir, p->spi);
	sa->hash_next = db->buckets[h];
	db->buckets[h] = sa;
	db->count++;
	db->counters.added++;
	tw_log(TW_LOG_DEBUG, "sadb", "SA %u spi 0x%08x %s: recorded (map %s %u)",
	       sa->id, p->spi, sadb_dir_name(p->dir), p->map, p->map_seq);
	if (out != NULL)
		*out = sa;
	notify(db, sa, SADB_SA_INIT, SADB_SA_INIT);
	return 0;
}

int
sadb_sa_set_state(struct sadb *db, struct sadb_sa *sa, enum sadb_sa_state to,
		  const char *reason)
{
	enum sadb_sa_state from = sa->state;
	char err[256] = "";
	void *handle = NULL;
	int rc = 0;

	if (reason == NULL)
		reason = "-";
	if (db->notifying) {
		snprintf(err, sizeof(err), "change to %s",
			 sadb_sa_state_name(to));
		return reentered(db, sa, sa->p.spi, sa->p.dir, err);
	}
	switch (tw_fsm_check(&sadb_fsm, from, to, reason, &db->counters.illegal,
			     "SA %u spi 0x%08x %s", sa->id, sa->p.spi,
			     sadb_dir_name(sa->p.dir))) {
	case TW_FSM_SAME:
		return 0;
	case TW_FSM_ILLEGAL:
		return -EPERM;
	case TW_FSM_GO:
		break;
	}
	if (to == SADB_SA_INSTALLED) {
		rc = db->ops->add(db->ctx, sa, &handle, err, sizeof(err));
		if (rc < 0) {
			db->counters.backend_errors++;
			tw_log(TW_LOG_ERR, "sadb",
			       "SA %u spi 0x%08x %s: install failed: %s",
			       sa->id, sa->p.spi, sadb_dir_name(sa->p.dir),
			       err[0] != '\0' ? err : strerror(-rc));
			return rc;
		}
		sa->handle = handle;
	} else if (from == SADB_SA_INSTALLED) {
		/*
		 * The record leaves the fast path whatever the backend says:
		 * keeping a state that claims an SA the backend may no longer
		 * hold would be worse. The error is counted and returned.
		 */
		rc = db->ops->del(db->ctx, sa, sa->handle);
		if (rc < 0) {
			db->counters.backend_errors++;
			tw_log(TW_LOG_ERR, "sadb",
			       "SA %u spi 0x%08x %s: backend delete failed: %s",
			       sa->id, sa->p.spi, sadb_dir_name(sa->p.dir),
			       strerror(-rc));
		}
		sa->handle = NULL;
	}
	sa->state = to;
	tw_fsm_changed(&sadb_fsm, db->bulk ? TW_LOG_DEBUG : TW_LOG_INFO, from,
		       to, reason, &db->counters.transitions,
		       "SA %u spi 0x%08x %s", sa->id, sa->p.spi,
		       sadb_dir_name(sa->p.dir));
	/* Also after a failed backend delete: the state did change. */
	notify(db, sa, from, to);
	return rc;
}

void
sadb_set_bulk(struct sadb *db, bool on)
{
	db->bulk = on;
}

static void
sadb_unlink(struct sadb *db, struct sadb_sa *sa)
{
	struct sadb_sa **pp = &db->buckets[sadb_hash(db, sa->p.dir, sa->p.spi)];

	while (*pp != NULL && *pp != sa)
		pp = &(*pp)->hash_next;
	if (*pp == sa)
		*pp = sa->hash_next;
	db->by_id[sa->id] = NULL;
	db->count--;
}

int
sadb_sa_del(struct sadb *db, struct sadb_sa *sa, const char *reason)
{
	int rc;

	if (db->notifying)
		return reentered(db, sa, sa->p.spi, sa->p.dir, "delete");
	/* Watchers hear of it here, the record still whole and findable. */
	rc = sadb_sa_set_state(db, sa, SADB_SA_DELETED, reason);
	if (sa->state != SADB_SA_DELETED)
		return rc;
	sadb_unlink(db, sa);
	db->counters.deleted++;
	/* Key material must not outlive the SA. */
	explicit_bzero(sa, sizeof(*sa));
	free(sa);
	return rc;
}

int
sadb_sa_set_seq(struct sadb *db, struct sadb_sa *sa, uint64_t seq)
{
	if (db->notifying)
		return reentered(db, sa, sa->p.spi, sa->p.dir, "seq change");
	if (sa->state == SADB_SA_INSTALLED || sa->state == SADB_SA_DELETED)
		return -EBUSY;
	sa->p.seq = seq;
	return 0;
}

struct sadb_sa *
sadb_sa_lookup_addr(const struct sadb *db, enum sadb_dir dir, uint32_t spi,
		    const struct tw_addr *peer)
{
	struct sadb_sa *sa = db->buckets[sadb_hash(db, dir, spi)];

	while (sa != NULL && (sa->p.spi != spi || sa->p.dir != dir ||
			      (dir == SADB_DIR_OUT && !peer_is(&sa->p, peer))))
		sa = sa->hash_next;
	return sa;
}

struct sadb_sa *
sadb_sa_lookup(const struct sadb *db, enum sadb_dir dir, uint32_t spi,
	       uint32_t peer)
{
	struct tw_addr a = tw_addr_v4(peer);

	return sadb_sa_lookup_addr(db, dir, spi, &a);
}

struct sadb_sa *
sadb_sa_find_out_addr(const struct sadb *db, uint32_t spi,
		      const struct tw_addr *peer)
{
	struct sadb_sa *sa = db->buckets[sadb_hash(db, SADB_DIR_OUT, spi)];
	struct sadb_sa *only = NULL;
	unsigned int n = 0;

	for (; sa != NULL; sa = sa->hash_next) {
		if (sa->p.spi != spi || sa->p.dir != SADB_DIR_OUT)
			continue;
		if (peer_is(&sa->p, peer))
			return sa;
		only = sa;
		n++;
	}
	return n == 1 ? only : NULL;
}

struct sadb_sa *
sadb_sa_find_out(const struct sadb *db, uint32_t spi, uint32_t peer)
{
	struct tw_addr a = tw_addr_v4(peer);

	return sadb_sa_find_out_addr(db, spi, &a);
}

struct sadb_sa *
sadb_sa_by_id(const struct sadb *db, uint32_t id)
{
	if (id >= db->max_sas)
		return NULL;
	return db->by_id[id];
}

struct sadb_sa *
sadb_sa_next(const struct sadb *db, const struct sadb_sa *prev)
{
	uint32_t i = prev == NULL ? 0 : prev->id + 1;

	for (; i < db->max_sas; i++)
		if (db->by_id[i] != NULL)
			return db->by_id[i];
	return NULL;
}

int
sadb_sa_stats(struct sadb *db, const struct sadb_sa *sa,
	      struct sadb_sa_stats *out)
{
	int rc;

	memset(out, 0, sizeof(*out));
	if (sa->state != SADB_SA_INSTALLED || db->ops->stats == NULL) {
		out->seq = sa->p.seq;
		return 0;
	}
	rc = db->ops->stats(db->ctx, sa, sa->handle, out);
	if (rc < 0)
		db->counters.backend_errors++;
	return rc;
}

uint32_t
sadb_count(const struct sadb *db)
{
	return db->count;
}

uint32_t
sadb_capacity(const struct sadb *db)
{
	return db->max_sas;
}

uint32_t
sadb_id_end(const struct sadb *db)
{
	return db->id_end;
}

const volatile uint32_t *
sadb_progress(const struct sadb *db)
{
	return db->ops->progress != NULL ? db->ops->progress(db->ctx) : NULL;
}

unsigned int
sadb_progress_shift(uint32_t replay_interval)
{
	uint32_t q = replay_interval / 4;
	unsigned int s = 0;

	if (q > SADB_PROGRESS_GRAIN_MAX)
		q = SADB_PROGRESS_GRAIN_MAX;
	while (s < 31 && (UINT32_C(2) << s) <= q)
		s++;
	return s;
}

void
sadb_counters_read(const struct sadb *db, struct sadb_counters *out)
{
	*out = db->counters;
}
