/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TWINSECD_HA_PRIV_H
#define TWINSECD_HA_PRIV_H

/* Shared by the files of ha/ (ha.h has the map). */

#include <limits.h>

#include "ha.h"
#include "ha_marks.h"
#include "ike_glue.h"
#include "sync_msg.h"
#include "sync_seq.h"

#define HA_LOG "sync"
/* Frames waiting for the transport: beyond this the twin is resynced. */
#define HA_TXQ_MAX_BYTES (64u << 20)
/* Transport events handled per loop iteration. */
#define HA_POLL_BUDGET 256
/* A healing partition waits at least this long for the split-brain rule
 * (ha.c scheme_follow(); else keep-alive x threshold): the sync channel
 * reconnects (SCTP INIT retransmission) and decides well within it. */
#define HA_HEAL_HOLD_MIN_MS 2000u
/*
 * Marks are rewritten this often (the active: with its reservations; the
 * standby: what it learnt), so the file's stamp is at most this old when
 * a twin dies: the time bound of a later unsynced takeover starts there.
 */
#define HA_MARK_SAVE_EVERY TW_SEC(1)
/* Refused frames: one log line per kind this often at most. */
#define HA_RX_LOG_EVERY TW_SEC(5)

/* Per sadb id. */
struct ha_sa {
	uint64_t sent_seq;      /* active: the value the twin has */
	uint64_t sent_bytes;    /* active: the lifetime bytes it has */
	bool sent_any;          /* active: the twin was told of this SA */
	uint64_t mark;          /* outbound: persisted high-water mark */
	bool synced;            /* standby: seq came from the active twin */
	bool stale;             /* standby: not refreshed by this bulk */
	/* standby: the sync connection (sync_seq_conns) the twin last
	 * confirmed seq on */
	uint32_t conn;
	/* outbound: why the last takeover could not prove a start for it
	 * (enum ha_unproven; 0: it could) */
	uint8_t unproven;
	/*
	 * outbound, not sent on since its mark was persisted: the mark has
	 * its own date (stamp_ms, wall ms; 0 none), not the file's, which
	 * later saves renew for the SAs this twin does send on
	 */
	bool own_stamp;
	uint64_t stamp_ms;
	/* outbound: the peak packets/s this twin's watch saw it carry
	 * while ACTIVE (a takeover's rate is never below it) */
	struct sync_seq_peak peak;
};

/* Why a takeover would not send on an outbound SA (issue 13). */
enum ha_unproven {
	HA_PROVEN = 0,
	HA_UNPROVEN_CONN,       /* confirmed on a connection too old to date */
	HA_UNPROVEN_CLOCK,      /* the wall clock is behind the marks' stamp */
	HA_UNPROVEN_NO_STAMP,   /* marks without a date */
	HA_UNPROVEN_NO_MARKS,   /* the twin was active, nothing says how far */
	HA_UNPROVEN_SPENT,      /* the jump leaves no 32-bit space */
	HA_UNPROVEN_MAX,
};
const char *ha_unproven_name(enum ha_unproven why);
/* What the operator can do about an SA refused for why (manual SA). */
const char *ha_unproven_remedy(enum ha_unproven why);

struct ha_txbuf {
	struct ha_txbuf *next;
	size_t len;
	uint8_t data[];
};

struct ha_state {
	struct ctl *ctl;
	bool enabled;
	struct rf rf;
	struct sync_frame *frame;
	struct sync_transport *tr;          /* NULL without ipc */
	struct sync_transport_cfg tcfg;
	struct tw_deadline timer[RF_TIMER_MAX];
	struct tw_deadline watch;
	tw_time_t last_heard;               /* last accepted frame */
	/* the sync connections heard, to date each SA's state */
	struct sync_seq_conns conns;
	uint64_t conn_ours, conn_theirs;    /* epochs of the current one */
	/* packets/s one SA can carry on a twin (sync_seq_rate()) */
	uint64_t seq_rate;
	/* wall ms when the marks of SAs not synced this run were complete:
	 * the loaded stamp, then each save as the active twin */
	uint64_t known_ms;
	bool twin_was_active;               /* seen ACTIVE this run */
	struct ha_sa *sa;                  /* [max_sas] */
	uint32_t max_sas;
	/*
	 * The active's counter watch reads an SA's counters only when its
	 * progress word (sadb.h) differs from seen[id], or its recheck bit
	 * is set (new here, a takeover, a failed read).
	 */
	uint32_t *seen;                     /* [max_sas] */
	/* standby: the twin's SA id -> our id + 1 (0: none), from records */
	uint32_t *twin_id;                  /* [max_sas] */
	uint64_t *recheck;                  /* [max_sas / 64 rounded up] */
	/* send queue (frames the transport could not take yet) */
	struct ha_txbuf *q_head, *q_tail;
	size_t q_bytes;
	/* follow-up events, run after the current action list */
	bool takeover_done;
	/* The SA database changes are the takeover's own: not news for
	 * the twin (ha_on_sa()). */
	bool own_change;
	uint32_t takeover_n;
	bool conn_down;
	/* persisted marks */
	char mark_path[PATH_MAX];
	struct ha_mark *loaded;            /* from the file, sorted by spi */
	unsigned int n_loaded;
	bool marks_dirty;
	bool marks_complete;                /* the file has every mark */
	tw_time_t marks_saved;              /* ctl_now() of the last save */
	uint64_t file_stamp_ms;             /* wall clock of the file, 0 none */
	tw_time_t bulk_t0;                  /* standby: BULK_START seen */
	/* refused frames, rate-limited logs */
	tw_time_t rx_log_at;
	uint64_t rx_log_suppressed;
	struct ha_counters cnt;
	uint8_t msg[SYNC_MSG_MAX];
	uint8_t frm[SYNC_FRAME_MAX];
	uint8_t rx[SYNC_FRAME_MAX];
};

extern struct ha_state ha;

/* ha.c */
void ha_event(struct rf_event *ev, tw_time_t now);
/* The send queue overflowed: drop the connection (a bulk sync follows). */
void ha_overflow(void);

/* ha_sync.c */
int ha_send_msg(const uint8_t *msg, size_t len);
int ha_send_fixed(const struct sync_msg *m);
void ha_txq_flush(void);
void ha_txq_clear(void);
void ha_rx_frame(const uint8_t *p, size_t len, tw_time_t now);
void ha_bulk_send(uint32_t id);
void ha_bulk_begin(void);
void ha_bulk_commit(void);
void ha_drop_decoupled(void);
void ha_watch_fire(void *arg, tw_time_t now);
/* The SA database's watcher (sadb_watch()) and the IKE glue's listener. */
void ha_on_sa(void *arg, struct sadb *db, const struct sadb_sa *sa,
	      enum sadb_sa_state from, enum sadb_sa_state to);
extern const struct ike_glue_listener ha_ike_listener;
void ha_sa_new(const struct sadb_sa *sa);
/* Every SA's counters at the next watch pass. */
void ha_watch_all(void);
uint64_t ha_sa_seq(const struct sadb_sa *sa);

/* ha_takeover.c */
uint32_t ha_takeover(bool hot, tw_time_t now);
/* The per-worker rate bound: SYNC_SEQ_WORKER_PPS or a larger one from
 * TWINSEC_SEQ_WORKER_PPS. */
uint64_t ha_seq_worker_pps(void);
void ha_relinquish(tw_time_t now);

/* ha_split.c: a split brain's aftermath (rf.h) */
void ha_split_detected(bool won, tw_time_t now);
/* After every event: the loser, once it relinquished, reports. */
void ha_split_after(tw_time_t now);
/* The winner: the loser's SA_ADD (its IKE SA records) while ACTIVE. */
void ha_split_records(const struct sync_msg *m, tw_time_t now);
/* The winner: the loser's COUNTER_UPDATE while we are ACTIVE. */
void ha_split_counters(const struct sync_msg *m, tw_time_t now);

/* ha_marks.c */
int ha_marks_load(const char *dir, const char *hostname, char *err,
		   size_t errlen);
/* The loaded line of (spi, peer), else of (spi, any peer); NULL none. */
const struct ha_mark *ha_mark_loaded(uint32_t spi, uint32_t peer);
/* The wall clock in ms since the epoch: what the marks' stamps hold. */
uint64_t ha_wall_ms(void);
/* Every mark, fresh stamp. */
int ha_marks_save(void);
/*
 * A fresh stamp for the marks file, which must hold every mark (no mark
 * moved since ha_marks_save()); a full save when the last one failed.
 */
int ha_marks_renew(void);
void ha_marks_free(void);

#endif /* TWINSECD_HA_PRIV_H */
