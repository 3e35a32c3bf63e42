/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TWINSECD_HA_H
#define TWINSECD_HA_H

/*
 * Stateful switchover in twinsecd: lib/sync's RF engine, framing and
 * codec, drivers/sctp's transport, driven from the control lcore.
 *
 *   ha.c           set-up, the scheme group's HSRP state -> RF, RF actions
 *                  carried out, the transport's events, operator requests
 *   ha_sync.c      frames in and out (send queue), messages dispatched,
 *                  SA records <-> sadb, bulk sync, the counter watch
 *   ha_takeover.c  becoming active (SAs installed, sequence numbers
 *                  jumped: lib/sync/sync_seq.h) and relinquishing
 *   ha_marks.c     the persisted outbound high-water marks
 *   ha_cli.c       show redundancy / show crypto ha
 *   ha_telemetry.c /twinsec/redundancy
 *
 * The layer observes and is never called from below: it watches the SA
 * database (sadb_watch(): every SA added, installed, deleted, whoever did
 * it), listens to the IKE glue (ike_glue_listen(): IKE SA records and
 * deletions) and to HSRP (hsrp_glue_listen(): the scheme group), and
 * tells the IKE glue its role (ike_glue_set_standby()) after every RF
 * event.
 *
 * What is mirrored and when (the active twin, while rf_mirroring()):
 * every SA that enters its fast path new (INIT -> INSTALLED) or leaves it
 * deleted (INSTALLED -> DELETED), whoever did it, at once (SA_ADD /
 * SA_DELETE); a
 * COUNTER_UPDATE for an SA whose sequence number may move by its crypto
 * map's replay_interval (inbound / outbound) since the last value the
 * twin was sent before the fast path reports it again, with the lifetime
 * usage. The workers report an SA in the progress table (sadb.h) each
 * time its number enters another grain (at most a quarter of the
 * interval); the control lcore's counter watch streams that table every
 * SYNC_SEQ_WATCH_MS and reads the counters of the SAs it names; a standby that
 * connects, reconnects or is cleared asks for a bulk sync (BULK_START,
 * the records, BULK_END) and only then is STANDBY HOT. A standby holds the
 * SAs DECOUPLED in the sadb: known and shown, not in its fast path.
 *
 * With a redundancy section the SAs of the config are installed only on
 * the active twin (install/ holds them decoupled at start); without an
 * ipc section there is no twin to talk to and the twin follows its
 * scheme group alone (persisted marks still apply).
 */

#include <stdbool.h>
#include <stddef.h>

#include "ctl.h"
#include "rf.h"
#include "sync_frame.h"
#include "sync_transport.h"

struct ha_counters {
	uint64_t tx_msgs, tx_bytes;   /* frames handed to the transport */
	uint64_t tx_queued;           /* ... after waiting in our queue */
	uint64_t tx_dropped;          /* not connected, or queue overflow */
	uint64_t rx_frames;           /* authenticated */
	uint64_t rx_bad_frame;        /* refused by sync_frame_open() */
	uint64_t rx_bad_msg;          /* refused by sync_msg_decode() */
	uint64_t rx_unconfirmed;      /* not a HELLO before confirmation */
	uint64_t rx_ignored;          /* SA messages we do not take now */
	uint64_t sa_add_out, sa_del_out, ctr_out, records_out;
	uint64_t sa_add_in, sa_del_in, ctr_in, records_in;
	uint64_t ctr_unknown;         /* updates for SAs we do not hold */
	uint64_t takeover_sas;        /* installed by the last takeover */
	uint64_t takeover_refused;    /* sequence space spent, or errors */
	/*
	 * Outbound SAs a takeover could not prove a safe start for (every
	 * takeover adds up): by why (enum ha_unproven order), and what was
	 * done: IKE SAs rekeyed at once, manual SAs not sent on.
	 */
	uint64_t unproven[6];
	uint64_t unproven_rekeyed, unproven_refused;
	uint64_t unproven_now;        /* held unsent now (the last takeover) */
	uint64_t seq_rate;            /* the jump's packets/s per SA bound */
	/* the highest packets/s an outbound SA was seen to carry here
	 * (10 ms windows of the active's counter watch) */
	uint64_t seq_peak_pps;
	uint64_t takeover_ns;         /* how long the last one took */
	uint64_t relinquished_sas;
	uint64_t mark_writes, mark_errors;
	uint64_t stamp_writes;        /* marks file stamp renewed alone */
	uint64_t reconnects;
	uint64_t watch_runs;
	uint64_t watch_reads;         /* SAs whose counters a pass read */
	uint64_t watch_ns;            /* time in the passes (marks saves too) */
	uint64_t bulk_last_us;        /* standby: BULK_START to BULK_END */
	uint64_t bulk_last_records;
	/* IKE SAs (ike_export.h records, IKE_SA_DELETE) */
	uint64_t ike_add_out, ike_add_in, ike_del_out, ike_del_in;
	uint64_t ike_refused;         /* records the engine would not take */
	uint64_t takeover_ike_sas;    /* activated by the last takeover */
	/* reverse routes the last takeover injected (route/), and the time
	 * that took (RIB, fast path staging, kernel), within takeover_ns */
	uint64_t takeover_rri_routes;
	uint64_t takeover_rri_ns;
	/* split brain (ha_split.c) */
	uint64_t split_reports_out;   /* loser: outbound SAs reported */
	uint64_t split_reports_in;    /* winner: outbound SAs heard of */
	uint64_t split_moved;         /* winner: SAs moved past the loser's */
	uint64_t split_ike_out;       /* loser: IKE SA records handed over */
	uint64_t split_ike_in;        /* winner: ... received */
	uint64_t split_ike_adopted;   /* winner: ... with newer message IDs */
};

/*
 * After hsrp_glue_init() and install_config(): RF, framing, transport,
 * persisted marks (in state_dir), the HSRP listener.
 * Nothing to do (0) without a redundancy section. -errno with err.
 */
int ha_init(struct ctl *ctl, const char *state_dir, char *err,
		    size_t errlen);
/* Tell the twin, close the transport (before install_teardown()). */
void ha_fini(void);

bool ha_enabled(void);
const struct rf *ha_rf(void);
const struct ha_counters *ha_counters(void);
/* 0, or -ENOTCONN without a transport (no ipc section). */
int ha_transport_stats(struct sync_transport_stats *st);
int ha_frame_counters(struct sync_frame_counters *fc);
/* 1 for the transport's initiator (lower address), else 2. */
unsigned int ha_unit_id(void);
/* SAs installed / held decoupled. */
void ha_sa_count(uint32_t *installed, uint32_t *decoupled);

/* Control lcore only (console requests come through ctl_call()). */
int ha_force_switchover(char *err, size_t errlen);
int ha_clear_standby(char *err, size_t errlen);
/*
 * A reload (reload.c) made c the running configuration: its digest goes
 * to the twin at once and is compared again with the twin's
 * (RF_EV_RECONFIG): "show redundancy" and the log report a mismatch
 * until the other twin has the same change; then a standby resyncs (bulk)
 * and is HOT again. 0 (also without redundancy), or -errno with err.
 */
int ha_reconfigure(const struct conf *c, tw_time_t now, char *err,
		   size_t errlen);

/*
 * The lifetime bytes of sa the twin was last sent (SA record or
 * COUNTER_UPDATE): false when it was sent nothing of sa.
 */
bool ha_sa_sent_bytes(const struct sadb_sa *sa, uint64_t *bytes);
#endif /* TWINSECD_HA_H */
