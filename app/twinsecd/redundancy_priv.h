/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TWINSECD_REDUNDANCY_PRIV_H
#define TWINSECD_REDUNDANCY_PRIV_H

/* Shared by redundancy.c, sync_glue.c, takeover.c, seqmark.c, rf_cli.c. */

#include <limits.h>

#include "redundancy.h"
#include "sync_msg.h"
#include "sync_seq.h"

#define RDN_LOG "sync"
/* Frames waiting for the transport: beyond this the twin is resynced. */
#define RDN_TXQ_MAX_BYTES (64u << 20)
/* Transport events handled per loop iteration. */
#define RDN_POLL_BUDGET 256
/*
 * Marks are rewritten this often (the active: with its reservations; the
 * standby: what it learnt), so the file's stamp is at most this old when
 * a twin dies: the time bound of a later unsynced takeover starts there.
 */
#define RDN_MARK_SAVE_EVERY TW_SEC(1)
/* Refused frames: one log line per kind this often at most. */
#define RDN_RX_LOG_EVERY TW_SEC(5)

/* Per sadb id. */
struct rdn_sa {
	uint64_t sent_seq;      /* active: the value the twin has */
	uint64_t sent_bytes;    /* active: the lifetime bytes it has */
	bool sent_any;          /* active: the twin was told of this SA */
	uint64_t mark;          /* outbound: persisted high-water mark */
	bool synced;            /* standby: seq came from the active twin */
	bool stale;             /* standby: not refreshed by this bulk */
};

struct rdn_txbuf {
	struct rdn_txbuf *next;
	size_t len;
	uint8_t data[];
};

/* A persisted mark: outbound SPI and peer (0: any, a line from a file
 * written before peers were), mark. */
struct rdn_mark {
	uint32_t spi;
	uint32_t peer;
	uint64_t mark;
};

struct rdn {
	struct ctl *ctl;
	bool enabled;
	struct rf rf;
	struct sync_frame *frame;
	struct sync_transport *tr;          /* NULL without ipc */
	struct sync_transport_cfg tcfg;
	struct tw_deadline timer[RF_TIMER_MAX];
	struct tw_deadline watch;
	tw_time_t last_heard;               /* last accepted frame */
	bool twin_was_active;               /* seen ACTIVE this run */
	struct rdn_sa *sa;                  /* [max_sas] */
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
	struct rdn_txbuf *q_head, *q_tail;
	size_t q_bytes;
	/* follow-up events, run after the current action list */
	bool takeover_done;
	uint32_t takeover_n;
	bool conn_down;
	/* persisted marks */
	char mark_path[PATH_MAX];
	struct rdn_mark *loaded;            /* from the file, sorted by spi */
	unsigned int n_loaded;
	bool marks_dirty;
	bool marks_complete;                /* the file has every mark */
	tw_time_t marks_saved;              /* ctl_now() of the last save */
	uint64_t file_stamp_ms;             /* wall clock of the file, 0 none */
	tw_time_t bulk_t0;                  /* standby: BULK_START seen */
	/* refused frames, rate-limited logs */
	tw_time_t rx_log_at;
	uint64_t rx_log_suppressed;
	struct redundancy_counters cnt;
	uint8_t msg[SYNC_MSG_MAX];
	uint8_t frm[SYNC_FRAME_MAX];
	uint8_t rx[SYNC_FRAME_MAX];
};

extern struct rdn rdn;

/* redundancy.c */
void rdn_event(struct rf_event *ev, tw_time_t now);
/* The send queue overflowed: drop the connection (a bulk sync follows). */
void rdn_overflow(void);

/* sync_glue.c */
int rdn_send_msg(const uint8_t *msg, size_t len);
int rdn_send_fixed(const struct sync_msg *m);
void rdn_txq_flush(void);
void rdn_txq_clear(void);
void rdn_rx_frame(const uint8_t *p, size_t len, tw_time_t now);
void rdn_bulk_send(uint32_t id);
void rdn_bulk_begin(void);
void rdn_bulk_commit(void);
void rdn_drop_decoupled(void);
void rdn_watch_fire(void *arg, tw_time_t now);
void rdn_sa_new(const struct sadb_sa *sa);
void rdn_sa_gone(const struct sadb_sa *sa);
/* Every SA's counters at the next watch pass. */
void rdn_watch_all(void);
uint64_t rdn_sa_seq(const struct sadb_sa *sa);

/* takeover.c */
uint32_t rdn_takeover(bool hot, tw_time_t now);
void rdn_relinquish(tw_time_t now);

/* seqmark.c */
int rdn_marks_load(const char *dir, const char *hostname, char *err,
		   size_t errlen);
uint64_t rdn_mark_loaded(uint32_t spi, uint32_t peer);
/* The wall clock in ms since the epoch: what the marks' stamps hold. */
uint64_t rdn_wall_ms(void);
/* Every mark, fresh stamp. */
int rdn_marks_save(void);
/*
 * A fresh stamp for the marks file, which must hold every mark (no mark
 * moved since rdn_marks_save()); a full save when the last one failed.
 */
int rdn_marks_renew(void);
void rdn_marks_free(void);

#endif /* TWINSECD_REDUNDANCY_PRIV_H */
