/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TWINSECD_IKE_GLUE_H
#define TWINSECD_IKE_GLUE_H

/*
 * The IKE glue: lib/ike's engine on the control lcore.
 *
 *   UDP 500 and 4500 (ctl_udp_register; on 4500 the non-ESP marker is
 *   stripped, NAT keepalives ignored) -> ike_input()
 *   IKE_ACT_SEND  -> IPv4/UDP from the tunnel endpoint (interface address
 *                    or HSRP VIP, conf_iface_endpoint()), port 500 or 4500
 *                    with the marker, next hop from the connected subnets
 *                    and routes, ARP through arp_output()
 *   IKE_ACT_ARM / CANCEL -> one deadline per IKE SA on the control heap
 *   IKE_ACT_CHILD_UP    -> both SAs into the SA database (origin IKE) and
 *                          the fast path through its backend, UDP-
 *                          encapsulated when NAT-T floated; the crypto map
 *                          entry's SPD binding (install_spd_bind()) moves
 *                          to the newest outbound SA
 *   IKE_ACT_CHILD_DOWN  -> SPD first, then both SAs deleted
 *
 * Every second the fast path's byte counters of the Child SAs with a
 * kilobyte lifetime go to ike_child_bytes() (soft: rekey, hard: delete).
 *
 * Policies with initiate = "start" are initiated at start and again a few
 * seconds after their IKE SA goes away (one second after the peer's
 * DELETE, its IKE_SA_INIT then sent again every second for a while: the
 * peer that stops cleanly is likely back in a moment). Policies with initiate = "traffic"
 * (the default) are initiated by an ACQUIRE: the fast path dropped a
 * packet that one of their protect rules covers while they had no SA
 * (the glue gives the SPD binding of those entries the policy's acquire
 * id). A twin that is not the active one of a redundancy pair never
 * initiates on traffic. One instance, owned by the control lcore.
 *
 * With redundancy (stateful switchover) only the active twin runs IKE:
 * on a standby (ike_glue_set_standby(), from the start when the config
 * has a redundancy section) IKE input is dropped, no deadline fires into
 * the engine and nothing is initiated. The glue calls nothing above it:
 * its Child SAs reach the twin because the redundancy layer watches the
 * SA database (sadb_watch()), and its IKE SAs because it listens here
 * (ike_glue_listen()): after every engine call that changed an IKE SA,
 * before the messages of that call leave, each listener gets the SA as a
 * lib/ike record (ike_export.h), or its deletion. The standby's engine
 * holds the twin's records PASSIVE ("show crypto isakmp sa" says STDBY);
 * a takeover activates them (DPD, rekey and lifetime deadlines from the
 * synced state) and binds the SPD of each ipsec-isakmp entry to its
 * newest outbound SA; a relinquish makes every IKE SA passive again.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ctl.h"
#include "ike.h"

/* Build the policies, create the engine, register the ports. 0 when the
 * config has no ipsec-isakmp entry (nothing registered). */
int ike_glue_init(struct ctl *ctl, char *err, size_t errlen);
void ike_glue_fini(void);

/*
 * A clean stop (main.c, after ctl_run() returned): INFORMATIONAL DELETE
 * of every IKE SA this twin runs, so that the peers renegotiate at once
 * instead of sending into the void until DPD gives up; nothing is
 * initiated from here on. Returns how many IKE SAs are being deleted (0:
 * none, or a silent standby). Then ctl_run_until(..., ike_glue_stop_done,
 * NULL) runs the loop until every DELETE is answered (true) or the
 * bound; ike_glue_stop_left() counts the unanswered ones.
 */
unsigned int ike_glue_stop_begin(tw_time_t now);
bool ike_glue_stop_done(void *arg, tw_time_t now);
unsigned int ike_glue_stop_left(void);

/*
 * Reload (reload.c, after install_reload() made c the running config):
 * the ipsec-isakmp entries of c against the running policies. An entry
 * gone, or listed in chg (its own settings changed), is removed: its IKE
 * SA (or its Child SAs on another entry's IKE SA) deleted with an
 * INFORMATIONAL DELETE to the peer, its SPD entry already gone with c; a
 * new or changed one is added, initiated at once with initiate =
 * "start". Every other entry takes c's settings (keyring, proposals,
 * lifetimes) for negotiations from now on, IKE's settings too (DPD,
 * retransmissions, IKE SA lifetime); its SAs up are untouched (same
 * SPIs, keys and deadlines). A standby deletes nothing (the active twin
 * does, and the deletions are synced). With no IKE at start (no
 * ipsec-isakmp entry): nothing (reload.c refuses adding the first one).
 * 0, or -errno with err.
 */
struct ike_glue_entry {
	const char *map;
	uint32_t seq;
};
struct ike_glue_reload_stats {
	unsigned int added, removed, updated;
	unsigned int deletes;         /* IKE or Child SA DELETEs sent */
};
int ike_glue_reload(const struct conf *c, const struct ike_glue_entry *chg,
		    unsigned int n_chg, tw_time_t now,
		    struct ike_glue_reload_stats *st, char *err,
		    size_t errlen);
/* IKE runs (the start-up config had an ipsec-isakmp entry). */
bool ike_glue_running(void);

/* The engine, for show commands and telemetry (NULL without IKE). */
const struct ike_engine *ike_glue_engine(void);

/*
 * Who is told of IKE SAs: sa_record gets an IKE SA's record (ike_export.h;
 * valid during the call, wiped after) whenever what a twin needs of it
 * changed, sa_deleted the SPIs of one whose record was given and that is
 * gone. Both are called on the control lcore from inside the glue's
 * engine calls and must not call back into the glue. 0, or -ENOSPC.
 */
struct ike_glue_listener {
	void (*sa_record)(void *arg, const uint8_t *rec, size_t len);
	void (*sa_deleted)(void *arg, uint64_t spi_i, uint64_t spi_r);
};
int ike_glue_listen(const struct ike_glue_listener *l, void *arg);

/*
 * This twin's role, set by the redundancy layer: standby (the start with
 * a redundancy section) is silent (see above); active runs IKE.
 */
void ike_glue_set_standby(bool standby);

/* clear crypto sa [peer | map]: DELETE every IKE-negotiated Child SA with
 * peer (0: any) under crypto map map (NULL: any); the IKE SAs stay.
 * Returns how many, or -errno. */
int ike_glue_clear_children(uint32_t peer, const char *map);

/* The twin's copies (ha/; control lcore). */
/* The next mirrorable IKE SA after *cursor as a record into buf: its
 * length, 0 at the end (bulk sync). The record holds the SA's keys: the
 * caller wipes buf once it is sent (a record that did not fit is wiped
 * here, ike_sa_rec_encode()). */
int ike_glue_export_next(uint32_t *cursor, uint8_t *buf, size_t cap);
/* A record from the active twin: 0, or -errno (logged). */
int ike_glue_import(const uint8_t *rec, size_t len, tw_time_t now);
void ike_glue_import_delete(uint64_t spi_i, uint64_t spi_r);
/*
 * A split brain's loser's record of an IKE SA active here: take the
 * message IDs it moved past ours (ike_sa_adopt_msgids()): 1 taken, 0 none
 * newer, -errno (no such active SA, a bad record).
 */
int ike_glue_adopt(const uint8_t *rec, size_t len, tw_time_t now);
/* Bulk sync: passive copies the bulk does not refresh are dropped. */
void ike_glue_bulk_begin(void);
void ike_glue_bulk_commit(void);
void ike_glue_drop_passive(void);
/* Activate every passive IKE SA (the number), learn the newest
 * outbound SA of each ipsec-isakmp entry, start "start" entries without
 * an IKE SA. Before the SPD is published. */
uint32_t ike_glue_takeover(tw_time_t now);
/*
 * Rekey at once the Child SA whose outbound SA is spi_out to peer (0:
 * any): a takeover that cannot prove a safe first sequence number for it
 * (ha_takeover.c); traffic moves to the new SA when it is up. 0 started
 * (or queued behind a request in flight), -ENOENT no such active Child
 * SA, -EAGAIN its IKE SA is not established.
 */
int ike_glue_rekey_out(uint32_t spi_out, uint32_t peer, tw_time_t now);
/* Every IKE SA passive: this twin is no longer active. */
void ike_glue_relinquish(tw_time_t now);
void ike_glue_sa_count(uint32_t *active, uint32_t *standby);
/* When an IKE peer last sent an IKE SA we run (not a passive copy) a
 * message we accepted: the newest, 0 when none (a split brain's rule,
 * lib/sync/rf.h). */
tw_time_t ike_glue_fresh(void);

/* The glue's own counters (telemetry /twinsec/ike). */
struct ike_glue_counters {
	uint64_t tx_errors, no_route, sadb_errors;
	uint64_t keepalives_rx;        /* RFC 3948 NAT keepalives received */
	uint64_t standby_drops;        /* IKE input while not active */
	uint64_t not_to_us;            /* IKE input to none of our unicast
					* addresses (a broadcast, a
					* multicast group): dropped */
	uint64_t synced, sync_deleted; /* IKE SA records / deletes sent */
	uint64_t imported, import_errors;
	uint64_t adopted;              /* split brain: the loser's newer
					* message IDs taken (ike_glue_adopt) */
	/* ACQUIREs from the fast path (initiate = "traffic") */
	uint64_t acquires;             /* taken from the workers' rings */
	uint64_t acquire_initiated;    /* ... that started an IKE_SA_INIT */
	uint64_t acquire_pending;      /* ... with an SA up or in progress */
	uint64_t acquire_standby;      /* ... ignored: not the active twin */
	uint64_t acquire_unknown;      /* ... for no initiate-on-traffic policy */
	uint64_t spd_refreshes;        /* SPD installs for Child SAs */
	uint64_t unknown_spi;          /* ESP on unknown SPIs the fast path
					* punted (INVALID_SPI, rate-limited) */
	uint64_t unknown_spi_initiated; /* ... from a peer without an IKE SA:
					 * one set up (INITIAL_CONTACT) */
	uint64_t unknown_spi_early;    /* ... ours by the time it was looked
					* at: it came before its SA reached
					* the fast path (lost) */
	uint64_t stop_deletes;         /* DELETEs sent on a clean stop */
	uint64_t held_sends;           /* messages that waited for a commit
					* of the Child SAs before them */
};
const struct ike_glue_counters *ike_glue_counters(void);

/* Telemetry /twinsec/ike (ike_telemetry.c). */
void ike_telemetry_init(struct ctl *ctl);

#endif /* TWINSECD_IKE_GLUE_H */
