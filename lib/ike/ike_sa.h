/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef IKE_SA_H
#define IKE_SA_H

/*
 * The IKE SA and Child SA records and their state machines.
 *
 * IKE SA states (one transition function, ike_sa_set_state()):
 *
 *   initiator:  IDLE -> INIT_SENT -> AUTH_SENT -> ESTABLISHED
 *   responder:  IDLE -> HALF_OPEN -> ESTABLISHED
 *   ESTABLISHED -> REKEYED   (its children moved to a new IKE SA; the old
 *                             one waits for its DELETE)
 *   ESTABLISHED / REKEYED -> DELETING (our DELETE is in flight)
 *   any -> DEAD              (freed by the engine at the end of the call)
 *
 * Child SA states (ike_child_set_state()):
 *   NONE -> INSTALLED -> REKEYED (a newer child replaced it; deleted next)
 *   INSTALLED/REKEYED -> DELETING (our DELETE for it is in flight)
 *   any -> NONE (removed; the slot is free)
 *
 * Everything a standby twin needs is in plain fields here: no pointers
 * but the transient DH key and the saved IKE_SA_INIT messages of an SA
 * being set up (a half-open SA is not worth mirroring).
 */

#include <stdbool.h>
#include <stdint.h>

#include "ike.h"
#include "ike_crypto.h"
#include "ike_msg.h"
#include "ike_sk.h"
#include "tw_time.h"

#define IKE_MSG_BUF 2048            /* our largest message */
#define IKE_CHILD_MAX 4             /* per IKE SA: current and rekeyed */
#define IKE_CHILD_TS_MAX 4
#define IKE_COOKIE_MAX 64
#define IKE_REQ_HASH_LEN 20         /* SHA-1 of the request answered */

enum ike_sa_state {
	IKE_SA_IDLE,
	IKE_SA_INIT_SENT,
	IKE_SA_AUTH_SENT,
	IKE_SA_HALF_OPEN,
	IKE_SA_ESTABLISHED,
	IKE_SA_REKEYED,
	IKE_SA_DELETING,
	IKE_SA_DEAD,
	IKE_SA_STATE_MAX,
};

enum ike_child_state {
	IKE_CHILD_NONE,
	IKE_CHILD_INSTALLED,
	IKE_CHILD_REKEYED,
	IKE_CHILD_DELETING,
	IKE_CHILD_STATE_MAX,
};

/* What our outstanding request is for. */
enum ike_req_kind {
	IKE_REQ_NONE,
	IKE_REQ_SA_INIT,
	IKE_REQ_AUTH,
	IKE_REQ_CHILD_REKEY,
	IKE_REQ_IKE_REKEY,
	IKE_REQ_DELETE_CHILD,
	IKE_REQ_DELETE_IKE,
	IKE_REQ_DPD,
	IKE_REQ_CHILD_NEW,             /* CREATE_CHILD_SA, no REKEY_SA */
};

struct ike_child {
	enum ike_child_state state;
	uint32_t sa_id;                /* owning IKE SA */
	unsigned int policy;
	uint32_t spi_in, spi_out;      /* spi_in is ours (the peer sends to it) */
	enum conf_cipher cipher;
	enum conf_integ integ;
	bool esn;
	uint16_t pfs_group;            /* DH of the exchange that made it */
	bool initiator;                /* we initiated the creating exchange:
					* we send with the i2r keys */
	struct ike_child_keys keys;
	struct tw_addr local_addr, peer_addr;
	bool udp_encap;                /* NAT-T (RFC 3948) */
	uint16_t local_port, peer_port;
	uint32_t replay_window;
	struct ike_ts ts_local[IKE_CHILD_TS_MAX];
	struct ike_ts ts_remote[IKE_CHILD_TS_MAX];
	uint8_t n_local, n_remote;
	tw_time_t created;
	tw_time_t soft_at, hard_at;    /* rekey / delete deadlines */
	uint64_t bytes;                /* reported by the caller */
	uint64_t soft_bytes, hard_bytes; /* 0: none */
	uint32_t replaces;             /* spi_in of the child it rekeyed */
	/* The lower nonce of its exchange: who wins a rekey collision
	 * (RFC 7296 2.8.1). */
	uint8_t nmin[IKE_NONCE_MAX];
	uint16_t nmin_len;
};

struct ike_sa {
	uint32_t id;                   /* slot: conn-id */
	bool used;
	/* A standby twin's copy (ike_export.h): no deadline, never sends,
	 * input dropped, until ike_sa_activate(). */
	bool passive;
	enum ike_sa_state state;
	bool initiator;                /* original initiator of this IKE SA */
	unsigned int policy;           /* index, or UINT32_MAX: not yet known */
	uint64_t spi_i, spi_r;
	struct tw_addr local_addr, peer_addr; /* one family */
	uint16_t local_port, peer_port;
	bool nat_local, nat_peer;      /* NAT detected in front of us / it */
	struct ike_sa_algs algs;
	struct ike_sa_keys keys;
	uint8_t ni[IKE_NONCE_MAX], nr[IKE_NONCE_MAX];
	uint16_t ni_len, nr_len;
	/* Message IDs (RFC 7296 2.2): next request we send, next we accept. */
	uint32_t msgid_out, msgid_in;
	uint32_t msgid_ahead_logged;   /* the last one logged, 0 none */
	/* Our outstanding request and its retransmission (window 1). */
	enum ike_req_kind req;
	uint8_t req_buf[IKE_MSG_BUF];
	uint16_t req_len;
	uint8_t tries;
	tw_time_t rtx_at;
	/* Our last response, answered again to a retransmitted request:
	 * only to that request byte for byte (its length and SHA-1), and
	 * not again before resp_again_at (not mirrored). */
	uint8_t resp_buf[IKE_MSG_BUF];
	uint16_t resp_len;
	bool resp_valid;
	uint16_t resp_req_len;
	uint8_t resp_req_hash[IKE_REQ_HASH_LEN];
	tw_time_t resp_again_at;
	/* Lifetimes and liveness. */
	tw_time_t created, established;
	tw_time_t rekey_at, expire_at, half_open_until;
	tw_time_t last_rx;             /* any valid message from the peer */
	tw_time_t dpd_at;
	tw_time_t keepalive_at;        /* next NAT keepalive, if nat_local */
	struct ike_child child[IKE_CHILD_MAX];
	/* Rekeying context (our request in flight). */
	uint32_t rekey_child;          /* spi_in of the child being rekeyed */
	bool want_child;               /* a new Child SA waits for the
					* request in flight (not mirrored) */
	bool family_refused;           /* the peer refused a new Child SA:
					* no more per-family ones on it */
	uint32_t new_spi;              /* our SPI in the proposal */
	uint64_t new_ike_spi;
	uint32_t rekeyed_to;           /* IKE SA that replaced this one */
	uint32_t collide_id;           /* the peer's rekey of this SA, made
					* while ours was in flight: decided
					* when ours ends (RFC 7296 2.8.2) */
	uint32_t collide_of;           /* the SA whose collide_id this one
					* is, while that one holds it */
	uint32_t delete_spi;           /* child DELETE in flight */
	/* Ours, and redundant with IKE SA dup_of, set up at the same time,
	 * found so at dup_at (ike_dup.c): deleted a little later, once
	 * that one carries its inner families (not mirrored). */
	uint32_t dup_of;
	tw_time_t dup_at;
	/* Another IKE SA of its peer and entry was set up at the same time
	 * (ike_dup.c): a Child SA it gets as responder does not take the
	 * traffic from the other's (not mirrored). */
	bool dup_seen;
	uint8_t xni[IKE_NONCE_MAX];    /* our nonce of that exchange */
	/* The peer's CREATE_CHILD_SA requests since ccs_since (the rate
	 * limit, ike.h; not mirrored). */
	tw_time_t ccs_since;
	uint32_t ccs_count;
	/* No INVALID_SPI notify on this SA before (not mirrored). */
	tw_time_t invalid_spi_at;
	uint16_t xni_len;
	/* Set-up context (transient, not mirrored). */
	struct ike_dh *dh;
	uint16_t dh_group;
	uint8_t *init_req, *init_resp; /* IKE_SA_INIT messages, for AUTH */
	uint16_t init_req_len, init_resp_len;
	uint8_t cookie[IKE_COOKIE_MAX];
	uint8_t cookie_len;
	struct ike_id peer_id;
	tw_time_t armed;               /* last deadline announced */
	char reason[64];               /* of the last state change */
	struct ike_sk_stats sk;
};

/* The one transition function of each machine: checks the table, logs
 * "IKE SA id: A -> B (reason)", counts. -EPERM on an illegal change. */
int ike_sa_set_state(struct ike_engine *e, struct ike_sa *sa,
		     enum ike_sa_state to, const char *reason);
int ike_child_set_state(struct ike_engine *e, struct ike_sa *sa,
			struct ike_child *c, enum ike_child_state to,
			const char *reason);
const char *ike_sa_state_name(enum ike_sa_state s);
/* Children counted as live (INSTALLED). */
unsigned int ike_sa_n_children(const struct ike_sa *sa);
const char *ike_child_state_name(enum ike_child_state s);
bool ike_sa_transition_allowed(enum ike_sa_state from, enum ike_sa_state to);
/* IOS "show crypto isakmp sa" state words (QM_IDLE, MM_NO_STATE, ...). */
const char *ike_sa_ios_state(enum ike_sa_state s);

#endif /* IKE_SA_H */
