/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SADB_H
#define SADB_H

/*
 * The SA database: the control plane's source of truth for child (ESP) SAs.
 *
 * A record holds everything needed to (re)create the SA in a fast path and,
 * later, to mirror it to the twin: SPI, direction, transform and keys,
 * endpoints, selectors, anti-replay settings, the sequence number seed and
 * the owning crypto map entry. The fast path is a backend behind a small
 * seam (struct sadb_backend_ops): the daemon plugs in the DPDK fast path,
 * unit tests an in-memory fake (tests/fake).
 *
 * States (one transition function, sadb_sa_set_state()):
 *
 *   INIT ──────► INSTALLED ◄──────► DECOUPLED
 *     │              │                  │
 *     └──────────────┴──► DELETED ◄─────┘
 *
 * INSTALLED means the backend holds the SA (entering it calls ops->add,
 * leaving it calls ops->del). DECOUPLED is known but not in the fast path:
 * how a standby twin holds its copy. DELETED is terminal; sadb_sa_del()
 * gets there and frees the record, wiping its keys.
 *
 * No DPDK here: lib/ builds and is tested without EAL. Not thread-safe: the
 * control lcore owns the database.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conf.h"
#include "tw_addr.h"
#include "tw_time.h"

#define SADB_MAX_SELECTORS 8
#define SADB_KEY_MAX CONF_KEY_MAX

enum sadb_sa_state {
	SADB_SA_INIT,      /* recorded, not yet in any fast path */
	SADB_SA_INSTALLED, /* the backend carries traffic with it */
	SADB_SA_DECOUPLED, /* known and shown, not installed (standby) */
	SADB_SA_DELETED,   /* terminal */
	SADB_SA_STATE_MAX,
};

enum sadb_dir {
	SADB_DIR_IN,
	SADB_DIR_OUT,
};

enum sadb_origin {
	SADB_ORIGIN_MANUAL, /* crypto map ipsec-manual */
	SADB_ORIGIN_IKE,    /* negotiated (IKE issue) */
};

/*
 * A traffic selector; proto 0 is any. family TW_AF_INET6 (issue 18):
 * the addresses are src6/dst6 (network order, lengths up to 128) and
 * src_addr/dst_addr are 0; any other family, 0 included for the callers
 * that predate IPv6, is IPv4 in src_addr/dst_addr (host order).
 */
struct sadb_selector {
	uint32_t src_addr, dst_addr;
	uint8_t src_len, dst_len;
	uint8_t proto;
	uint16_t sport_lo, sport_hi;
	uint16_t dport_lo, dport_hi;
	uint8_t family;
	uint8_t src6[16], dst6[16];
};

/* What a caller supplies to create a record. */
struct sadb_sa_params {
	uint32_t spi;
	enum sadb_dir dir;
	enum sadb_origin origin;
	enum conf_cipher cipher;
	enum conf_integ integ;
	uint8_t cipher_key[SADB_KEY_MAX]; /* GCM: key || 4-byte salt */
	uint8_t cipher_key_len;
	uint8_t auth_key[SADB_KEY_MAX];
	uint8_t auth_key_len;
	uint32_t local_addr;   /* our tunnel endpoint, host order */
	uint32_t peer_addr;
	bool udp_encap;        /* RFC 3948 */
	uint16_t udp_local_port;
	uint16_t udp_peer_port;
	uint32_t replay_window; /* 0 disables anti-replay */
	bool esn;
	/* Outbound: last sequence number used; inbound: highest seen. */
	uint64_t seq;
	/* Sync every this many packets (crypto map replay_interval). */
	uint32_t replay_interval;
	char map[CONF_NAME_MAX]; /* owning crypto map and entry */
	uint32_t map_seq;
	/*
	 * Inbound: what inner packets must match. Outbound: the traffic the
	 * SA protects (kept for show and sync; the SPD does the matching).
	 */
	struct sadb_selector sel[SADB_MAX_SELECTORS];
	unsigned int n_sel;
	/*
	 * IPv6 (issue 18), by the selector's rule: family TW_AF_INET6 puts
	 * the tunnel endpoints in local6/peer6 (network order; local_addr
	 * and peer_addr are 0), any other family is IPv4. inner_family is
	 * the family of the traffic the SA carries; every selector is of
	 * it. UDP encapsulation (RFC 3948) is for an IPv4 outer only.
	 */
	uint8_t family;
	uint8_t local6[16], peer6[16];
	uint8_t inner_family;
};

/* The outer (or inner) family of p: TW_AF_INET6 or TW_AF_INET. */
static inline uint8_t
sadb_outer_af(const struct sadb_sa_params *p)
{
	return p->family == TW_AF_INET6 ? TW_AF_INET6 : TW_AF_INET;
}

static inline uint8_t
sadb_inner_af(const struct sadb_sa_params *p)
{
	return p->inner_family == TW_AF_INET6 ? TW_AF_INET6 : TW_AF_INET;
}

/* The tunnel endpoints of p as addresses of its outer family. */
struct tw_addr sadb_sa_local(const struct sadb_sa_params *p);
struct tw_addr sadb_sa_peer(const struct sadb_sa_params *p);
/* Set the endpoints (and family) of p from two addresses of one family. */
void sadb_sa_set_endpoints(struct sadb_sa_params *p,
			   const struct tw_addr *local,
			   const struct tw_addr *peer);

/* A record. Read freely; change only through the sadb_* functions. */
struct sadb_sa {
	struct sadb_sa_params p;
	uint32_t id;                /* stable index, < max_sas */
	enum sadb_sa_state state;
	void *handle;               /* the backend's object while INSTALLED */
	tw_time_t created;
	struct sadb_sa *hash_next;  /* (dir, spi) chain (peer not hashed) */
};

/* Counters the backend reports for one SA (IOS "show crypto ipsec sa"). */
struct sadb_sa_stats {
	uint64_t pkts_encaps, pkts_encrypt, pkts_digest;
	uint64_t pkts_decaps, pkts_decrypt, pkts_verify;
	uint64_t bytes;
	uint64_t send_errors, recv_errors;
	uint64_t replay_fails, auth_fails, policy_fails;
	uint64_t seq; /* outbound: last used; inbound: highest seen */
};

/*
 * The fast-path seam. Every op except progress() returns 0 or -errno.
 * add() creates the SA in the backend from sa->p and returns the backend's
 * object in *handle (it may fill err with why it failed); del() removes
 * and releases it; stats() reads its counters. ctx is the backend's own
 * state.
 *
 * progress() (optional) gives the backend's progress table: one 32-bit
 * word per SA id (at least max_sas of them) that the fast path sets to
 * the low 32 bits of an INSTALLED SA's seq every time seq crosses a
 * multiple of sadb_progress_grain(sa->p.replay_interval). A reader that
 * finds an SA's word unchanged since it last read the SA's stats knows
 * seq has stayed below the next multiple after the seq it read
 * (sadb_progress_bound()), without touching what the fast path writes
 * per packet. Words of ids that are not INSTALLED mean nothing.
 */
struct sadb_backend_ops {
	int (*add)(void *ctx, const struct sadb_sa *sa, void **handle,
		   char *err, size_t errlen);
	int (*del)(void *ctx, const struct sadb_sa *sa, void *handle);
	int (*stats)(void *ctx, const struct sadb_sa *sa, void *handle,
		     struct sadb_sa_stats *out);
	const volatile uint32_t *(*progress)(void *ctx);
};

/*
 * The progress grain of an SA synced every replay_interval packets: the
 * largest power of two at most a quarter of it, at most
 * SADB_PROGRESS_GRAIN_MAX, at least 1 (log2 of it).
 */
#define SADB_PROGRESS_GRAIN_MAX (1u << 14)
unsigned int sadb_progress_shift(uint32_t replay_interval);

/* The highest seq reachable from seq without crossing a grain multiple. */
static inline uint64_t
sadb_progress_bound(uint64_t seq, unsigned int shift)
{
	return seq | ((UINT64_C(1) << shift) - 1);
}

/* Database-wide counters. */
struct sadb_counters {
	uint64_t added;            /* records created */
	uint64_t deleted;          /* records freed */
	uint64_t transitions;      /* state changes that happened */
	uint64_t illegal;          /* refused transitions */
	uint64_t backend_errors;   /* failed add/del/stats */
	uint64_t reentered;        /* changes refused inside a watcher (a bug) */
};

struct sadb;

/*
 * A database for up to max_sas records. ops and ctx stay owned by the
 * caller and must outlive the database. NULL on allocation failure.
 */
struct sadb *sadb_create(const struct sadb_backend_ops *ops, void *ctx,
			 uint32_t max_sas);
/* Delete every record (installed ones through the backend), then free. */
void sadb_destroy(struct sadb *db);

/*
 * Record a new SA in state INIT. -EEXIST when its key (sadb_sa_lookup())
 * is taken, -ENOSPC
 * when full, -EINVAL for a bad record (SPI below 256, RFC 4303 2.1; too many
 * selectors; key too long). err says which. now stamps the record.
 */
int sadb_sa_add(struct sadb *db, const struct sadb_sa_params *p, tw_time_t now,
		struct sadb_sa **out, char *err, size_t errlen);

/*
 * The one transition function. Checks from -> to against the table
 * (-EPERM when illegal, logged and counted), runs the backend (entering
 * INSTALLED adds, leaving it deletes; a failed add leaves the state as it
 * was and returns the backend's error), logs "SA id spi dir: A -> B
 * (reason)". Setting the current state again is a no-op.
 */
int sadb_sa_set_state(struct sadb *db, struct sadb_sa *sa,
		      enum sadb_sa_state to, const char *reason);

/*
 * Bulk mode (config install, shutdown, takeover of many SAs): while on,
 * the per-SA transition lines go out at DEBUG instead of INFO, and the
 * caller logs one summary line. Errors and illegal transitions are
 * logged as always.
 */
void sadb_set_bulk(struct sadb *db, bool on);

/* -> DELETED, then unlink and free the record (keys wiped). */
int sadb_sa_del(struct sadb *db, struct sadb_sa *sa, const char *reason);

/* Set the sequence seed (takeover, sync); only outside INSTALLED. */
int sadb_sa_set_seq(struct sadb *db, struct sadb_sa *sa, uint64_t seq);

/*
 * Watching the database: who must know of every SA (the redundancy layer
 * mirroring SAs to the twin) observes it instead of being called by every
 * source of SAs (config, IKE, sync).
 *
 * A watcher is called, synchronously on the caller's thread:
 *
 *  - from == to == SADB_SA_INIT right after sadb_sa_add() recorded an SA
 *    (it is in the database, *out set). A same-state change is never
 *    announced, so from == to means "added" and nothing else;
 *  - after every state change sadb_sa_set_state() makes, once the state
 *    is set and the "A -> B" line logged. A change that does not happen
 *    is not announced: illegal (-EPERM), failed backend add (the state
 *    stays), or setting the current state again. A change that happens
 *    in spite of a failed backend delete (leaving INSTALLED) is;
 *  - with to == SADB_SA_DELETED by sadb_sa_del(), before the record is
 *    unlinked, wiped and freed: the record, keys, SPI, peer, selectors and
 *    seq included, is readable and still found by the lookups, its state
 *    reads DELETED. sa is dangling once the watcher returns. sadb_destroy()
 *    deletes every record this way: unwatch before it to not hear them.
 *
 * from tells what the SA was: DECOUPLED -> DELETED is a standby's copy
 * going, INSTALLED -> DELETED one that carried traffic. sadb_sa_set_seq()
 * is not announced: it happens only outside INSTALLED, a watcher that needs
 * the seed reads sa->p.seq when told of the next change (the jumped seed of
 * a takeover is in place when DECOUPLED -> INSTALLED is announced).
 *
 * Watchers are called in the order they were registered. A watcher only
 * reads: it may look SAs up, iterate, read stats and counters, and
 * sadb_unwatch() any watcher (itself included; one unwatched is not called
 * again, not even later in the same notification). Changing the same
 * database from inside a watcher, sadb_sa_add(), sadb_sa_set_state(),
 * sadb_sa_del(), sadb_sa_set_seq() and sadb_watch(), is refused with
 * -EDEADLK (nothing changed; logged at ERR and counted in reentered
 * except for sadb_watch()), whatever the SA: a nested change would reach
 * the later watchers before the one being announced. A watcher that must
 * react with a change defers it (a flag, a deadline). sadb_destroy() must
 * not be called from a watcher.
 */
#define SADB_WATCH_MAX 4

typedef void (*sadb_watch_fn)(void *arg, struct sadb *db,
			      const struct sadb_sa *sa,
			      enum sadb_sa_state from, enum sadb_sa_state to);

/*
 * Register fn(arg, ...). -EINVAL when fn is NULL, -EEXIST when (fn, arg) is
 * already registered, -ENOSPC beyond SADB_WATCH_MAX watchers, -EDEADLK from
 * inside a watcher. Records already in the database are not announced: the
 * caller walks them with sadb_sa_next() if it needs to.
 */
int sadb_watch(struct sadb *db, sadb_watch_fn fn, void *arg);
/* Unregister (fn, arg); nothing when it is not registered. */
void sadb_unwatch(struct sadb *db, sadb_watch_fn fn, void *arg);

/*
 * An inbound SA is known by its SPI (we chose it, unique here); an
 * outbound one by its SPI and peer (each peer chooses the SPIs it
 * receives on: two peers may choose the same). peer is ignored inbound.
 */
struct sadb_sa *sadb_sa_lookup(const struct sadb *db, enum sadb_dir dir,
			       uint32_t spi, uint32_t peer);
/* The same with a peer of either family (an IPv4 SA never matches IPv6). */
struct sadb_sa *sadb_sa_lookup_addr(const struct sadb *db, enum sadb_dir dir,
				    uint32_t spi, const struct tw_addr *peer);
/*
 * The outbound SA (spi, peer); else the only outbound SA with that SPI
 * (a peer that moved behind a NAT, RFC 7296 2.23, is followed by IKE
 * while the record keeps the address it was installed with); NULL when
 * none or several.
 */
struct sadb_sa *sadb_sa_find_out(const struct sadb *db, uint32_t spi,
				 uint32_t peer);
/* The same with a peer of either family. */
struct sadb_sa *sadb_sa_find_out_addr(const struct sadb *db, uint32_t spi,
				      const struct tw_addr *peer);
struct sadb_sa *sadb_sa_by_id(const struct sadb *db, uint32_t id);
/* Iterate in id order: first with prev NULL; NULL at the end. */
struct sadb_sa *sadb_sa_next(const struct sadb *db, const struct sadb_sa *prev);

/*
 * Counters of sa: from the backend while INSTALLED; otherwise zeros with
 * seq = the record's seed. -errno when the backend fails.
 */
int sadb_sa_stats(struct sadb *db, const struct sadb_sa *sa,
		  struct sadb_sa_stats *out);

uint32_t sadb_count(const struct sadb *db);
uint32_t sadb_capacity(const struct sadb *db);
/* One past the highest id ever given out (ids below it may be in use). */
uint32_t sadb_id_end(const struct sadb *db);
/* The backend's progress table (struct sadb_backend_ops), NULL if none. */
const volatile uint32_t *sadb_progress(const struct sadb *db);
void sadb_counters_read(const struct sadb *db, struct sadb_counters *out);

const char *sadb_sa_state_name(enum sadb_sa_state s);
const char *sadb_dir_name(enum sadb_dir d);
bool sadb_transition_allowed(enum sadb_sa_state from, enum sadb_sa_state to);

#endif /* SADB_H */
