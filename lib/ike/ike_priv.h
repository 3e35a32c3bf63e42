/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef IKE_PRIV_H
#define IKE_PRIV_H

/*
 * Internal to lib/ike: the engine, and what the exchange files (ike_init.c,
 * ike_auth.c, ike_child.c, ike_info.c) share through ike_engine.c (input
 * dispatch, deadlines, actions), ike_xmit.c (requests with retransmission,
 * cached responses) and ike_sa.c (records, state machines).
 */

#include "ike.h"
#include "ike_proposal.h"
#include "ike_sa.h"
#include "ike_sk.h"
#include "ike_ts.h"
#include "tw_idx.h"

#define IKE_RX_MAX 8192              /* largest datagram we accept */
#define IKE_COOKIE_SECRET 32
#define IKE_NONCE_LEN 32             /* ours */
#define IKE_REKEYED_GRACE TW_SEC(30) /* a replaced SA waits for DELETE */

struct ike_engine {
	const struct ike_config *cfg;
	const struct ike_crypto_ops *ops;
	struct ike_rng rng;
	struct ike_sa *sas;
	uint32_t n_used;
	/*
	 * Lookups in O(1) (ike_sa.c, ike_sa_index()); slots are SA id - 1
	 * (children: (id - 1) * IKE_CHILD_MAX + i, policies: index). Every
	 * hit is checked against the record: an entry may be stale until
	 * the next ike_sa_index() of its SA, never missing once it ran.
	 */
	struct tw_idx by_spi;         /* our IKE SPI (SPIi or SPIr) */
	struct tw_idx by_half;        /* responder: peer's SPIi, addr, port */
	struct tw_idx by_policy;      /* policy index */
	struct tw_idx by_child;       /* child spi_in */
	struct tw_idx peer_policy;    /* policies by peer address */
	uint64_t half_seed;
	uint64_t *used_map;           /* bit per slot: used */
	uint32_t free_hint;           /* no free slot below this word */
	uint32_t *dead;               /* ids gone DEAD, to reap */
	uint32_t n_dead;
	uint32_t half_open;
	uint8_t cookie_secret[IKE_COOKIE_SECRET];
	struct ike_counters cnt;
	/* The call in progress. */
	tw_time_t now;
	struct ike_action *acts;
	unsigned int n_acts, cap;
	bool reap;                    /* some SA went DEAD */
	struct ike_msg msg;           /* the message being handled */
	const struct ike_pkt *pkt;
	uint8_t plain[IKE_RX_MAX];    /* its decrypted SK payload, wiped
				       * at the end of ike_input() */
	size_t plain_used;            /* bytes of plain to wipe */
	uint8_t scratch[IKE_MSG_BUF]; /* stateless answers */
};

/* Start an entry point's call (ike_engine.c): -ENOSPC when cap is short. */
int ike_call_begin(struct ike_engine *e, tw_time_t now,
		   struct ike_action *acts, unsigned int cap);
/* Actions (ike_engine.c). Dropped and counted when the array is full. */
void ike_act_send(struct ike_engine *e, const struct ike_sa *sa,
		  const uint8_t *data, size_t len);
void ike_act_send_to(struct ike_engine *e, uint32_t sa_id,
		     const struct ike_pkt *to_reply, const uint8_t *data,
		     size_t len);
void ike_act_child(struct ike_engine *e, enum ike_action_type t,
		   const struct ike_child *c);
void ike_act_sa(struct ike_engine *e, enum ike_action_type t,
		const struct ike_sa *sa, const char *reason);
/* Announce the SA's next deadline if it changed. */
void ike_sa_rearm(struct ike_engine *e, struct ike_sa *sa);
/* After a response or a timer: start whatever request is due. */
void ike_sa_kick(struct ike_engine *e, struct ike_sa *sa);
/* Soft lifetime from a hard one: 85-95 % with the RNG's jitter. */
tw_time_t ike_soft_time(struct ike_engine *e, tw_time_t start, uint32_t life_s);

/* Records (ike_sa.c). */
struct ike_sa *ike_sa_alloc(struct ike_engine *e);
/* -> DEAD: children removed (CHILD_DOWN), IKE_DOWN, freed later. */
void ike_sa_kill(struct ike_engine *e, struct ike_sa *sa, const char *reason);
/* Free the DEAD ones (keys wiped). */
void ike_sa_reap(struct ike_engine *e);
void ike_sa_free_all(struct ike_engine *e);
/* IKE SA sa_id if it is in use and not DEAD, else NULL. */
struct ike_sa *ike_sa_live(struct ike_engine *e, uint32_t sa_id);
struct ike_sa *ike_sa_find(const struct ike_engine *e, uint64_t spi_i,
			   uint64_t spi_r);
struct ike_sa *ike_sa_find_half(struct ike_engine *e, uint64_t spi_i,
				const struct tw_addr *peer, uint16_t port);
/* Indexes and lists (ike_sa.c): created with the engine, -ENOMEM. */
int ike_sa_tables_init(struct ike_engine *e);
void ike_sa_tables_fini(struct ike_engine *e);
/* Bring the indexes up to date with sa's SPIs, peer, policy, children:
 * called by both transition functions, ike_sa_rearm() and whatever
 * changes these fields outside them. */
void ike_sa_index(struct ike_engine *e, struct ike_sa *sa);
/* The live (not DEAD) IKE SAs of policy p, in no particular order. */
struct ike_sa *ike_sa_policy_first(const struct ike_engine *e, unsigned int p);
struct ike_sa *ike_sa_policy_next(const struct ike_engine *e,
				  const struct ike_sa *sa);
/* The IKE SA and child holding inbound SPI spi, or NULL. */
struct ike_child *ike_child_find(const struct ike_engine *e, uint32_t spi,
				 struct ike_sa **sa);
/* A random inbound ESP SPI no child of this engine holds (with 10 000
 * tunnels and their rekeys a bare random draw collides now and then). */
int ike_new_spi_in(const struct ike_engine *e, uint32_t *spi);
/* The live IKE SAs of peer address peer (those of its policies): returns
 * how many are not HALF_OPEN; *half: how many are, *oldest_half: the
 * oldest of these (NULL: none). Costs the peer's own SAs, no table walk. */
unsigned int ike_peer_sas(const struct ike_engine *e,
			  const struct tw_addr *peer,
			  unsigned int *half, struct ike_sa **oldest_half);
/* The first policy (lowest index) with peer address peer, or -1. */
int ike_policy_of_peer(struct ike_engine *e, const struct tw_addr *peer);
/* A 64-bit index key of an address of either family. */
uint64_t ike_addr_key(const struct tw_addr *a);
/* Nonces compared as RFC 7296 2.8.1 wants: lexicographic, a shorter
 * prefix first. */
int ike_nonce_cmp(const uint8_t *a, size_t al, const uint8_t *b, size_t bl);
/* The lower of the nonces of an IKE SA's exchange (IKE_SA_INIT, or the
 * CREATE_CHILD_SA that rekeyed it into being). */
void ike_sa_nmin(const struct ike_sa *sa, const uint8_t **p, size_t *len);
struct ike_child *ike_child_alloc(struct ike_sa *sa);
struct ike_child *ike_child_by_in(struct ike_sa *sa, uint32_t spi_in);
struct ike_child *ike_child_by_out(struct ike_sa *sa, uint32_t spi_out);
/* Fill ports, addresses and lifetimes, CHILD_UP, -> INSTALLED. */
void ike_child_install(struct ike_engine *e, struct ike_sa *sa,
		       struct ike_child *c, const char *reason);
/* CHILD_DOWN, wipe, free the slot. */
void ike_child_remove(struct ike_engine *e, struct ike_sa *sa,
		      struct ike_child *c, const char *reason);

/* Duplicate IKE SAs of a simultaneous set-up (ike_dup.c). */
/* sa has just been set up by IKE_AUTH: mark the redundant one of ours
 * with any other IKE SA of its peer and entry set up at the same time. */
void ike_dup_check(struct ike_engine *e, struct ike_sa *sa);
/* A redundant sa (dup_of != 0) may go now: past the settle time, the
 * other one carries every inner family sa carries (or the grace time is
 * over), or the other one went (then the kick keeps sa). */
bool ike_dup_ready(const struct ike_engine *e, const struct ike_sa *sa);
/* When to look at a redundant sa again. */
tw_time_t ike_dup_deadline(const struct ike_engine *e,
			   const struct ike_sa *sa);
/* sa, redundant, is idle: DELETE it, or keep it if the other one went. */
void ike_dup_delete(struct ike_engine *e, struct ike_sa *sa);
/* sa has a new Child SA: the SAs redundant with it may be ready. */
void ike_dup_child_up(struct ike_engine *e, const struct ike_sa *sa);

/* Messages (ike_xmit.c). */
/* Start a message of sa into buf: header, then (encrypted) SK begin. */
void ike_msg_begin(struct ike_engine *e, const struct ike_sa *sa,
		   struct ike_builder *b, uint8_t *buf, uint8_t exch,
		   bool response, uint32_t msgid);
/* Seal (or finish, before keys exist) and return the length, or -errno;
 * counts in sa->sk. */
int ike_msg_seal(struct ike_engine *e, struct ike_sa *sa,
		 struct ike_builder *b, bool encrypted);
/* The request now in sa->req_buf (len): send it, arm retransmission. */
void ike_xmit_request(struct ike_engine *e, struct ike_sa *sa,
		      enum ike_req_kind kind, int len);
/* The response now in sa->resp_buf (len): send and keep it. */
void ike_xmit_response(struct ike_engine *e, struct ike_sa *sa, int len);
/* e->pkt repeats the request sa's cached response answered: send it
 * again (true), or refuse (false, counted, *why says why). */
bool ike_xmit_again(struct ike_engine *e, struct ike_sa *sa,
		    const char **why);
/* The request in flight again now, the back-off from its start. */
void ike_xmit_now(struct ike_engine *e, struct ike_sa *sa);
/* Retransmission due: resend or give up (kills the SA). */
void ike_xmit_timer(struct ike_engine *e, struct ike_sa *sa);
/* Our request got its answer: stop retransmitting, next message ID. */
void ike_xmit_done(struct ike_engine *e, struct ike_sa *sa);
/* Encrypted response with one error notify (and nothing else). */
void ike_respond_notify(struct ike_engine *e, struct ike_sa *sa, uint8_t exch,
			uint16_t type, const uint8_t *data, size_t len);

/* Exchanges. */
int ike_init_start(struct ike_engine *e, struct ike_sa *sa, uint16_t group);
void ike_init_request(struct ike_engine *e, const struct ike_pkt *pkt);
void ike_init_response(struct ike_engine *e, struct ike_sa *sa);
void ike_auth_start(struct ike_engine *e, struct ike_sa *sa);
void ike_auth_request(struct ike_engine *e, struct ike_sa *sa);
void ike_auth_response(struct ike_engine *e, struct ike_sa *sa);
void ike_child_request(struct ike_engine *e, struct ike_sa *sa);
void ike_child_response(struct ike_engine *e, struct ike_sa *sa);
/* A new Child SA for the policy of sa (CREATE_CHILD_SA, RFC 7296 1.3.1). */
int ike_child_new_start(struct ike_engine *e, struct ike_sa *sa);
/*
 * One Child SA per inner family (a fast-path SA carries one): a Child SA
 * we initiate offers the policy's selectors of one family, the first
 * that no child of sa carries yet (the policy's first if none lacks);
 * the count, in local and remote (IKE_POLICY_MAX_TS each).
 */
unsigned int ike_child_offer_ts(const struct ike_sa *sa,
				const struct ike_policy *p,
				struct ike_ts *local, struct ike_ts *remote);
/* One of ours came up: a policy family still without a child is asked
 * for next (want_child), unless the peer refused one on sa. */
void ike_child_next_family(struct ike_engine *e, struct ike_sa *sa);
int ike_child_rekey_start(struct ike_engine *e, struct ike_sa *sa,
			  struct ike_child *c);
int ike_ike_rekey_start(struct ike_engine *e, struct ike_sa *sa);
/* Our IKE SA rekey of sa will not complete (refused, or sa deleted by
 * the peer): the peer's colliding rekey, if any, takes its children. */
void ike_rekey_adopt_collision(struct ike_engine *e, struct ike_sa *sa);
void ike_info_request(struct ike_engine *e, struct ike_sa *sa);
void ike_info_response(struct ike_engine *e, struct ike_sa *sa);
int ike_info_delete_child(struct ike_engine *e, struct ike_sa *sa,
			  struct ike_child *c);
int ike_info_delete_ike(struct ike_engine *e, struct ike_sa *sa);
/* RFC 7296 1.4.1: DELETE of the ESP SA the peer sends to on spi_in, which
 * has no child here (one we refused after the peer created it); the
 * request slot must be free. */
int ike_info_delete_spi(struct ike_engine *e, struct ike_sa *sa,
			uint32_t spi_in);
int ike_info_dpd(struct ike_engine *e, struct ike_sa *sa);

/* Helpers shared by the exchanges (ike_auth.c, ike_child.c). */
/* Our ESP proposal for policy p (pfs: with its DH group). */
int ike_esp_proposal(const struct ike_engine *e, unsigned int p, bool pfs,
		     uint32_t spi, struct ike_proposal *out);
/* The transform of a chosen ESP proposal into the child. */
int ike_child_set_algs(struct ike_child *c, const struct ike_proposal *ch);
/* KEYMAT into c->keys (gir NULL without PFS). */
int ike_child_derive(struct ike_engine *e, struct ike_sa *sa,
		     struct ike_child *c, const uint8_t *gir, size_t gir_len,
		     const uint8_t *ni, size_t ni_len, const uint8_t *nr,
		     size_t nr_len);
/* Narrow the peer's TSi/TSr (as responder) into c, or -ENOENT. */
int ike_child_narrow(struct ike_engine *e, struct ike_sa *sa,
		     struct ike_child *c, unsigned int *policy);
/* The payload of a type in e->msg, or NULL. */
const struct ike_payload *ike_find(const struct ike_engine *e, uint8_t type);
/* The first error notify (< 16384) of e->msg, or 0. */
uint16_t ike_error_notify(const struct ike_engine *e);
/* Count and log an IKE SA event. */
void ike_log(const struct ike_engine *e, const struct ike_sa *sa, int level,
	     const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* An address of either family in a format: IKE_ADDR_FMT with
 * IKE_ADDR_ARGS(a) (a struct tw_addr; the text lives in a compound
 * literal until the end of the enclosing block). */
#define IKE_ADDR_FMT "%s"
#define IKE_ADDR_ARGS(a) \
	tw_addr_str(&(a), (char [TW_ADDR_STRLEN]){ 0 }, TW_ADDR_STRLEN)

#endif /* IKE_PRIV_H */
