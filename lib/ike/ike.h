/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef IKE_H
#define IKE_H

/*
 * The IKEv2 engine (RFC 7296, pre-shared keys, tunnel mode ESP): a pure
 * core. The caller feeds it events with the time, and carries out the
 * actions it returns; it never touches a socket, a clock or DPDK.
 *
 *   struct ike_engine *e = ike_engine_create(&cfg, ops, &rng);
 *   n = ike_input(e, &pkt, now, acts, IKE_ACTIONS_MAX);   UDP 500/4500
 *   n = ike_timer(e, sa_id, now, acts, ...);              a deadline fired
 *   n = ike_initiate(e, policy, now, acts, ...);          start / traffic
 *   n = ike_delete(e, sa_id, now, acts, ...);             clear crypto isakmp
 *   n = ike_delete_child(e, spi_in, now, acts, ...);      clear crypto sa
 *   n = ike_invalid_spi(e, peer, spi, now, acts, ...);     ESP, unknown SPI
 *
 * Actions, in order:
 *   IKE_ACT_SEND         send u.send.data (u.send.len bytes) from
 *                        src:sport to dst:dport; on port 4500 prepend
 *                        the 4-byte non-ESP marker (RFC 3948 2.2),
 *                        except on a NAT keepalive (u.send.keepalive: the
 *                        one byte 0xFF goes as it is, RFC 3948 2.3). The
 *                        bytes live until the next call into the engine.
 *   IKE_ACT_ARM          (re)arm the one deadline of IKE SA sa_id at
 *                        u.at (replacing the previous one); call
 *                        ike_timer(sa_id) then. A stale deadline is
 *                        harmless: the engine checks what is due.
 *   IKE_ACT_CANCEL       forget the deadline of sa_id.
 *   IKE_ACT_CHILD_UP     install both SAs of u.child.c (SPIs, transform,
 *                        keys, selectors, UDP encapsulation and ports);
 *                        the record stays valid until the next call.
 *   IKE_ACT_CHILD_DOWN   remove both SAs (u.child.spi_in, spi_out).
 *   IKE_ACT_IKE_UP / IKE_ACT_IKE_DOWN  the IKE SA is established / gone
 *                        (logs, console, telemetry); u.reason says why.
 *   IKE_ACT_IKE_DELETING our DELETE of IKE SA sa_id leaves in this call:
 *                        the peer drops its Child SAs on reading it, so
 *                        send on another IKE SA's Child SAs from now on
 *                        where one carries the same traffic; keep
 *                        receiving on these until their CHILD_DOWN.
 *
 * State kept for a standby twin (lib/sync will carry it): every IKE SA
 * (struct ike_sa, ike_sa.h) with its SPIs, algorithms, SK_* keys, nonces,
 * message IDs both ways, peer address and ports, NAT state, lifetimes and
 * DPD state, and its Child SAs (struct ike_child) with SPIs, transform,
 * KEYMAT, selectors and lifetimes. Keys are wiped when an SA is freed.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conf.h"
#include "ike_crypto.h"
#include "ike_msg.h"
#include "ike_ts.h"
#include "tw_addr.h"
#include "tw_time.h"

#define IKE_ACTIONS_MAX 64
#define IKE_ID_MAX 64
#define IKE_PSK_MAX 128
#define IKE_POLICY_MAX_PROPS 8
#define IKE_POLICY_MAX_TS 8

/*
 * Per-peer limits, so that one peer cannot take the IKE SA table, which
 * is sized for all of them together (ike_policy_from_conf(): two IKE SAs
 * per peer, the half-open pool and 64 spare). A peer is a peer address
 * (the IKE SAs of the policies with that peer_addr). These are the
 * defaults of struct ike_config's peer_half_open_max, peer_sa_max,
 * ccs_rate_max and ccs_rate_window_s (the config's ike limits).
 *
 * IKE_PEER_HALF_OPEN_MAX: responder IKE_SA_INIT states (HALF_OPEN) of
 *   one peer. A well-behaved peer has one; at the limit an IKE_SA_INIT
 *   from it must return our COOKIE (RFC 7296 2.6, so an address spoofed
 *   to lock a peer out gets nothing), and a request with a good cookie
 *   replaces the peer's oldest half-open SA.
 * IKE_PEER_SA_MAX: its IKE SAs in any other state. A well-behaved peer
 *   has one, two while a rekeyed one waits for its DELETE, three in a
 *   rekey collision (RFC 7296 2.8.2); more come from set-ups without
 *   INITIAL_CONTACT (2.4) or old SAs it never deletes. At the limit its
 *   IKE_SA_INIT is dropped and its IKE SA rekey refused with
 *   TEMPORARY_FAILURE (2.25), until its old SAs die (DELETE, DPD,
 *   lifetime, the REKEYED grace time). Its half-open SAs count too once
 *   they would take it there (set-ups in parallel): then an IKE_SA_INIT
 *   is treated as at the half-open limit (COOKIE, its oldest replaced).
 * Together 12 per peer: well inside the 64 spare slots of the table.
 */
#define IKE_PEER_HALF_OPEN_MAX 4
#define IKE_PEER_SA_MAX 8
/*
 * CREATE_CHILD_SA requests (Child SA and IKE SA rekeys, new Child SAs)
 * accepted on one IKE SA per window (and its successors: a rekeyed IKE
 * SA hands its count on). Beyond: TEMPORARY_FAILURE (RFC 7296 2.25), the
 * peer tries again later. Legitimate rekeys come every few seconds at
 * the most (the interop test's 6 s, IOS's 120 s minimum lifetime; volume
 * lifetimes of 4.6 GB at 10 Gbit/s rekey every 3.7 s).
 */
#define IKE_CREATE_CHILD_RATE_MAX 10
#define IKE_CREATE_CHILD_RATE_WINDOW_S 10
/*
 * On a twin pair, the window (ike_sa.h ccs_since, ccs_count) and the
 * half-open SAs are not mirrored: after a takeover a storming peer has a
 * fresh window, i.e. at most ccs_rate_max more requests accepted once per
 * takeover, and a peer cannot cause a takeover. Its established IKE SAs
 * are mirrored, so peer_sa_max holds across it. Not worth a sync message
 * per CREATE_CHILD_SA.
 */

/* Who starts the negotiation for a policy (conf_initiate). */
enum ike_initiate {
	IKE_INITIATE_TRAFFIC,
	IKE_INITIATE_START,
	IKE_INITIATE_RESPONDER,
};

/* An identity as the ID payload carries it (RFC 7296 3.5). */
struct ike_id {
	uint8_t type;                  /* enum ike_id_type */
	uint8_t len;
	uint8_t data[IKE_ID_MAX];
};

/* One peer: a crypto map ipsec-isakmp entry with its keys and proposals. */
struct ike_policy {
	char map[CONF_NAME_MAX];
	uint32_t seq;
	/* Our tunnel endpoint (VIP or iface) and the peer's, of one family
	 * (IKEv2 over IPv4 or IPv6). */
	struct tw_addr local_addr;
	struct tw_addr peer_addr;
	struct ike_id local_id;
	struct ike_id remote_id;       /* type 0: any identity */
	uint8_t psk[IKE_PSK_MAX];
	uint8_t psk_len;
	struct ike_proposal ike_props[IKE_POLICY_MAX_PROPS];
	unsigned int n_ike_props;
	enum conf_cipher cipher;       /* the transform set */
	enum conf_integ integ;
	bool esn;
	uint16_t pfs_group;            /* IKE_DH_NONE: no PFS */
	uint32_t replay_window;
	struct ike_ts_pair ts[IKE_POLICY_MAX_TS];
	unsigned int n_ts;
	uint32_t child_life_s;
	uint64_t child_life_kb;        /* 0: none */
	enum ike_initiate initiate;
	/* Removed by a reload (ike_engine_policies_changed()): no new IKE
	 * or Child SA, no peer or twin's record is matched to it; the SAs
	 * it still has live on it until their DELETE is done. */
	bool retired;
};

struct ike_config {
	struct ike_policy *policies;   /* owned by the caller */
	unsigned int n_policies;
	uint32_t max_sas;              /* IKE SAs, including half-open */
	uint32_t ike_life_s;
	uint32_t dpd_interval_s;       /* 0: no liveness checks */
	uint32_t dpd_retries;
	uint32_t cookie_threshold;     /* half-open SAs; 0: always COOKIE */
	uint32_t half_open_max;
	uint32_t retransmit_ms;        /* first timeout, doubled each time */
	uint32_t retransmit_tries;
	uint32_t half_open_s;          /* a responder's IKE_SA_INIT state */
	uint32_t rekey_jitter_pct;     /* soft expiry spread, default 10 */
	uint32_t nat_keepalive_s;      /* behind a NAT: a keepalive every
					* so often (RFC 3948 4), 0: none */
	/* Per-peer limits (the IKE_PEER_* and IKE_CREATE_CHILD_RATE_*
	 * defaults above; none may be 0). */
	uint32_t peer_half_open_max;
	uint32_t peer_sa_max;
	uint32_t ccs_rate_max;         /* CREATE_CHILD_SA per window ... */
	uint32_t ccs_rate_window_s;    /* ... of this many seconds */
};

/* A received datagram (after the non-ESP marker on port 4500). */
struct ike_pkt {
	const uint8_t *data;
	size_t len;
	struct tw_addr src, dst;       /* one family */
	uint16_t sport, dport;
};

/* The IKE_DOWN reason of an IKE SA the peer deleted (INFORMATIONAL
 * DELETE): the peer is alive and chose to (a clean stop, a clear). */
#define IKE_REASON_PEER_DELETE "deleted by the peer"

enum ike_action_type {
	IKE_ACT_SEND,
	IKE_ACT_ARM,
	IKE_ACT_CANCEL,
	IKE_ACT_CHILD_UP,
	IKE_ACT_CHILD_DOWN,
	IKE_ACT_IKE_UP,
	IKE_ACT_IKE_DOWN,
	IKE_ACT_IKE_DELETING,
};

struct ike_child;

struct ike_action {
	enum ike_action_type type;
	uint32_t sa_id;
	union {
		struct {
			const uint8_t *data;
			size_t len;
			struct tw_addr src, dst;
			uint16_t sport, dport;
			bool keepalive;  /* no non-ESP marker */
		} send;
		tw_time_t at;
		struct {
			/* CHILD_UP: the record, valid until the next call;
			 * CHILD_DOWN: only the SPIs are meaningful. */
			const struct ike_child *c;
			uint32_t spi_in, spi_out;
			struct tw_addr peer;
		} child;
		const char *reason;    /* static string */
	} u;
};

/* Engine-wide counters (telemetry /twinsec/ike). */
struct ike_counters {
	uint64_t rx, tx, rx_dropped, rx_malformed, rx_icv_fail;
	uint64_t rx_retransmits;     /* requests answered from the cache */
	uint64_t rx_msgid_ahead;     /* authentic requests past our window:
				      * the peer ran exchanges we do not
				      * know of (a twin's, in a split) */
	uint64_t rx_retransmit_mismatch; /* the previous message ID, but not
					  * the request the cache answers */
	uint64_t rx_retransmit_limited;  /* a retransmission too soon after
					  * the last answer from the cache */
	uint64_t tx_retransmits;
	uint64_t cookies_sent, cookies_bad;
	uint64_t half_open_drops;
	uint64_t peer_half_open_limit; /* IKE_SA_INIT from a peer with
					* peer_half_open_max half-open SAs,
					* or with half-open ones that would
					* take it to peer_sa_max: COOKIE, or
					* its oldest one replaced */
	uint64_t peer_sa_limit;      /* IKE_SA_INIT dropped or IKE SA rekey
				      * refused: the peer holds
				      * IKE_PEER_SA_MAX IKE SAs */
	uint64_t create_child_limited; /* CREATE_CHILD_SA refused: over
					* IKE_CREATE_CHILD_RATE_MAX */
	uint64_t sa_established, sa_failed, sa_deleted, sa_rekeyed;
	uint64_t child_created, child_rekeyed, child_deleted;
	uint64_t auth_failed, no_proposal, ts_unacceptable;
	uint64_t ts_widened;         /* a Child SA reply wider than our
				      * selectors: refused (RFC 7296 2.9) */
	uint64_t pfs_refused;        /* CREATE_CHILD_SA without KE while
				      * our policy demands PFS */
	uint64_t dpd_sent, dpd_dead;
	uint64_t nat_keepalives;     /* sent */
	/* A restarted peer (RFC 7296 2.4, 2.21.4, 3.10.1) */
	uint64_t initial_contact_sent;  /* IKE_AUTH requests carrying it */
	uint64_t initial_contact_kills; /* older IKE SAs of a peer dropped on
					 * its INITIAL_CONTACT */
	/* Both ends set the tunnel up at once (ike_dup.c) */
	uint64_t dup_sas;            /* IKE SAs found redundant with another
				      * one set up at the same time */
	uint64_t dup_deleted;        /* ... of ours: DELETE sent */
	uint64_t invalid_spi_sent;   /* INVALID_SPI notifies sent */
	uint64_t invalid_spi_limited; /* ... not sent: the IKE SA's rate
				       * limit, or a request in flight */
	uint64_t invalid_spi_nopeer; /* ESP on an unknown SPI from an address
				      * with no established IKE SA: nothing
				      * to tell it with */
	uint64_t invalid_spi_rx;     /* INVALID_SPI received for one of our
				      * outbound SAs: the Child SA dropped */
	uint64_t rx_not_unicast;     /* dropped: to or from a multicast,
				      * broadcast, 0/8 or loopback address
				      * (ike_addr_unicast()) */
	uint64_t path_not_followed;  /* a message from a new address or
				      * port, not followed: no NAT in front
				      * of the peer (RFC 7296 2.23) */
	uint64_t timeouts;
	uint64_t transitions, illegal;
};

struct ike_engine;

/* NULL on a bad config or no memory. cfg and policies must outlive it. */
struct ike_engine *ike_engine_create(const struct ike_config *cfg,
				     const struct ike_crypto_ops *ops,
				     const struct ike_rng *rng);
/* Frees every SA (keys wiped); no actions. */
void ike_engine_destroy(struct ike_engine *e);
void ike_config_defaults(struct ike_config *cfg);

/* Each returns the number of actions written, or -errno (-ENOSPC when
 * cap < IKE_ACTIONS_MAX). */
int ike_input(struct ike_engine *e, const struct ike_pkt *pkt, tw_time_t now,
	      struct ike_action *acts, unsigned int cap);
int ike_timer(struct ike_engine *e, uint32_t sa_id, tw_time_t now,
	      struct ike_action *acts, unsigned int cap);
/* Negotiate an IKE SA and a Child SA for policy p (index); nothing if
 * one is up or being set up. When the policy's IKE SA is up without a
 * Child SA: a new Child SA on it (CREATE_CHILD_SA without REKEY_SA, with
 * the PFS group's KE), after our request in flight if there is one. */
int ike_initiate(struct ike_engine *e, unsigned int p, tw_time_t now,
		 struct ike_action *acts, unsigned int cap);
/* Policy p's IKE_SA_INIT still unanswered (the peer is down): sent again
 * now, its retransmission back-off from the start, for a peer expected
 * back any moment (it deleted our IKE SA as it stopped). 0: none in
 * flight. */
int ike_initiate_again(struct ike_engine *e, unsigned int p, tw_time_t now,
		       struct ike_action *acts, unsigned int cap);
/* Delete IKE SA sa_id (and its children) with an INFORMATIONAL DELETE. */
int ike_delete(struct ike_engine *e, uint32_t sa_id, tw_time_t now,
	       struct ike_action *acts, unsigned int cap);
/* Delete the Child SA whose inbound SPI is spi_in with an INFORMATIONAL
 * DELETE (ESP); CHILD_DOWN when the peer answers. The IKE SA stays.
 * -ENOENT: no such child. */
int ike_delete_child(struct ike_engine *e, uint32_t spi_in, tw_time_t now,
		     struct ike_action *acts, unsigned int cap);
/*
 * ESP arrived from peer (either family) on SPI spi, which no SA of ours
 * holds (the fast path punts it, rate-limited). With an established IKE
 * SA to that peer: an INFORMATIONAL request with an INVALID_SPI notify
 * carrying the SPI (RFC 7296 2.21.4, 3.10.1), so that the peer drops the
 * Child SA it still sends on; at most one per IKE SA per
 * IKE_INVALID_SPI_INTERVAL_MS, never while a request of ours is in
 * flight (window 1). 0 when nothing was sent (counted); -ENOTCONN when we
 * have no established IKE SA with peer (nothing to say it with: the
 * caller may set one up, whose INITIAL_CONTACT makes the peer drop what
 * it still sends on).
 */
#define IKE_INVALID_SPI_INTERVAL_MS 1000
int ike_invalid_spi(struct ike_engine *e, const struct tw_addr *peer,
		    uint32_t spi,
		    tw_time_t now, struct ike_action *acts, unsigned int cap);
/*
 * Rekey the Child SA whose inbound SPI is spi_in now (CREATE_CHILD_SA
 * with REKEY_SA, new keys), as soon as no request of ours is in flight on
 * its IKE SA: a twin that took over and cannot prove where the outbound
 * sequence number may start (ha_takeover.c). -ENOENT: no such child
 * installed; -EAGAIN: its IKE SA is not established.
 */
int ike_rekey_child(struct ike_engine *e, uint32_t spi_in, tw_time_t now,
		    struct ike_action *acts, unsigned int cap);
/* Bytes a child SA carried (its inbound SPI) since the last report:
 * volume lifetimes (RFC 7296 2.8). */
int ike_child_bytes(struct ike_engine *e, uint32_t spi_in, uint64_t bytes,
		    tw_time_t now, struct ike_action *acts, unsigned int cap);

/* True if a can be an IKE endpoint. IPv4: not 0.0.0.0/8, loopback
 * (127/8), multicast (224/4, RFC 1112) or class E and the limited
 * broadcast (240/4, 255.255.255.255, RFC 919). IPv6: a global unicast
 * address (tw_addr6_is_unicast(): not ::, ::1, multicast, link-local or
 * IPv4-mapped). ike_input() drops a datagram to or from any other: its
 * answer would leave from it. */
bool ike_addr_unicast(const struct tw_addr *a);

/*
 * A reload changed the caller's policies while the engine runs: some
 * changed in place (new negotiations, rekeys included, use the new
 * settings; an SA up keeps the keys, SPIs and lifetimes it negotiated),
 * some retired (see struct ike_policy), some appended (n_policies grew,
 * the array may have moved). A policy's index never changes: SAs refer
 * to it. The config's engine-wide settings but max_sas may change too
 * (DPD, retransmission, lifetimes of IKE SAs set up from now on). Only
 * the peer index is rebuilt. 0, or -ENOMEM (the old index stays).
 */
int ike_engine_policies_changed(struct ike_engine *e);

void ike_counters_read(const struct ike_engine *e, struct ike_counters *out);
const struct ike_config *ike_engine_config(const struct ike_engine *e);

/* Iterate the IKE SAs (ike_sa.h): first with prev NULL. */
struct ike_sa;
const struct ike_sa *ike_engine_sa_next(const struct ike_engine *e,
				 const struct ike_sa *prev);
const struct ike_sa *ike_engine_sa(const struct ike_engine *e, uint32_t sa_id);
/* The IKE SAs of policy p (any state but dead), in no particular order:
 * first with prev NULL. */
const struct ike_sa *ike_engine_policy_sa_next(const struct ike_engine *e,
					       unsigned int p,
					       const struct ike_sa *prev);
/* The established IKE SA of policy p, or NULL. */
const struct ike_sa *ike_sa_of_policy(const struct ike_engine *e,
				      unsigned int p);

/*
 * Configuration -> policies (ike_policy.c): one per ipsec-isakmp entry of
 * a crypto map for which local_addr(arg, map, family) gives a tunnel
 * endpoint of the peer's family (TW_AF_NONE: the map is bound to no
 * interface, or to none with an address of that family). cfg->policies is malloc'ed:
 * release with ike_policy_free(). 0, or -errno with err.
 */
int ike_policy_from_conf(const struct conf *c,
			 struct tw_addr (*local_addr)(void *arg,
					const struct conf_crypto_map *m,
					uint8_t family),
			 void *arg, struct ike_config *cfg, char *err,
			 size_t errlen);
void ike_policy_free(struct ike_config *cfg);
/* An identity from a config string: A.B.C.D, user@domain or an FQDN.
 * 0, or -ENAMETOOLONG (over IKE_ID_MAX bytes: never cut to a prefix) or
 * -EINVAL (empty); then *id is left empty, which as a remote identity
 * means any: check the result. */
int ike_id_from_string(struct ike_id *id, const char *s);
/* Printable form of an identity. */
const char *ike_id_str(const struct ike_id *id, char *buf, size_t len);

#endif /* IKE_H */
