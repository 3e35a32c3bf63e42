/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SYNC_SEQ_H
#define SYNC_SEQ_H

/*
 * The sequence number jump at takeover (pure): where a twin that becomes
 * active starts an outbound SA so that no ESP sequence number, and so no
 * GCM nonce (RFC 4106 8.1), is ever used twice under one key.
 *
 * What the new active knows of an outbound SA: seq, the highest of the
 * last value synced from the twin and its own last use; mark, the
 * persisted high-water mark (reservations written to disk before the
 * fast path may pass them, and values learnt from the twin). What it does
 * not know is what the twin sent after its last word reached us. The twin
 * sends a COUNTER_UPDATE before an SA can have used interval numbers
 * since the last one it sent (its fast path reports an SA each time the
 * SA's number enters another grain of at most interval / 4 numbers, and
 * the update goes out when the end of the grain the SA is in reaches the
 * interval: sadb.h's progress table), checked every SYNC_SEQ_WATCH_MS;
 * the sync channel is ordered, so every update queued before the last
 * frame we received has arrived. What the twin may have used beyond seq
 * is therefore at most
 *
 *   interval                  (the threshold not yet crossed)
 *   + RATE x (since + SLACK)  (packets after its last word: since is the
 *                             time from our last frame from the twin to
 *                             now; SLACK covers the watch period, the one
 *                             way delay and scheduling)
 *
 * and the margin adds SYNC_SEQ_MARGIN on top. RATE is in->rate, a bound
 * on the packets per second one SA can carry on the twin's fast path:
 * sync_seq_rate(), its workers (an outbound SA is shared by all of them,
 * RTE_IPSEC_SAFLAG_SQN_ATOM) times SYNC_SEQ_WORKER_PPS, a per-worker
 * ceiling with a wide margin over what a worker core was measured to do
 * (bench: a little over 3 Mpps of 64-byte ESP on one worker; the ceiling
 * is 2^24/s, 16.8 Mpps, above 10 Gbit/s line rate of minimum frames,
 * 14.9 Mpps; twinsecd takes a larger one from TWINSEC_SEQ_WORKER_PPS,
 * never a smaller one). The cost is sequence space: 2^24 per second of
 * silence per worker (a 3 s hold time, 2 workers: about 10^8 numbers,
 * 2.3 % of a 32-bit space; ESN: none to speak of).
 *
 * The bound applies when the twin may have used the SA since what we know
 * (twin_was_active): since is then the time from when our knowledge was
 * complete (the twin's last word on the sync connection the SA's state
 * was last confirmed on, sync_seq_conns below; the persisted marks' stamp
 * for what a twin knew before a restart: sync_seq_since_wall()). When
 * that time is not known (since_known false: a stamp ahead of the wall
 * clock, a connection too old to remember, no stamp at all) nothing
 * bounds what the twin used: sync_seq_takeover() refuses (-ENODATA) and
 * the caller must not send on the SA (a new key: rekey; or refuse).
 * Otherwise SYNC_SEQ_MARGIN is added whenever anything is known, and a key
 * nobody has any record of starts at 0: a new key is taken to be new.
 */

#include <stdbool.h>
#include <stdint.h>

#include "tw_time.h"

#define SYNC_SEQ_MARGIN 65536u
/* Per-worker ceiling of packets per second (see above). */
#define SYNC_SEQ_WORKER_PPS (UINT64_C(1) << 24)
#define SYNC_SEQ_SLACK_MS 110u        /* watch period + delay + sched */
#define SYNC_SEQ_WATCH_MS 10u         /* the active's counter check */
/* Reservation block of the persisted high-water mark. */
#define SYNC_SEQ_MARK_BLOCK (1u << 20)

struct sync_seq_in {
	uint64_t seq;           /* last synced or own last use, 0 none */
	uint64_t mark;          /* persisted high-water mark, 0 none */
	uint32_t interval;      /* the crypto map's replay_interval.outbound */
	bool twin_was_active;   /* the twin was ACTIVE during this run */
	bool since_known;       /* since below is proven (twin_was_active) */
	tw_time_t since;        /* now - the twin's last word (ns) */
	uint64_t rate;          /* packets/s one SA can carry, > 0 */
	bool esn;
};

/*
 * The outbound seed (the last number taken as used: the first packet
 * gets seed + 1) in *seed: 0, -ERANGE when it does not leave at least
 * SYNC_SEQ_MARGIN numbers of a 32-bit space (no ESN): the key is spent;
 * -ENODATA when the twin was active and since is not known; -EINVAL
 * when it was and rate is 0. *seed is written only on success.
 */
int sync_seq_takeover(const struct sync_seq_in *in, uint64_t *seed);

/* RATE for a twin with workers workers (0 taken as 1), saturating. */
uint64_t sync_seq_rate(unsigned int workers, uint64_t per_worker);

/*
 * An outbound SA's observed peak rate: the control lcore feeds the SA's
 * packet count (summed over workers) every SYNC_SEQ_WATCH_MS or so; a
 * window of at least SYNC_SEQ_PEAK_WIN_MS closes and its packets per
 * second raise peak_pps. Counts that go backwards (counters cleared)
 * restart the window.
 */
#define SYNC_SEQ_PEAK_WIN_MS 10u
struct sync_seq_peak {
	uint64_t n0;            /* count at the window's start */
	tw_time_t t0;           /* its start, 0 none */
	uint64_t peak_pps;
};

void sync_seq_peak_feed(struct sync_seq_peak *p, uint64_t n, tw_time_t now);

/*
 * The rate a takeover uses for an SA: the bound (sync_seq_rate()), or,
 * when an SA was seen above half of it, twice its observed peak: never
 * below the observed peak, with the same factor 2 of margin. Saturating.
 */
uint64_t sync_seq_rate_seen(uint64_t bound, uint64_t peak_pps);

/*
 * The time since a wall-clock stamp (ms since the epoch) in *since: 0,
 * -ENOENT without a stamp (0), -ETIME when the clock is behind the stamp
 * (no RTC after a power cycle, an NTP step back): the time is unknown,
 * never taken as 0.
 */
int sync_seq_since_wall(uint64_t wall_ms, uint64_t stamp_ms,
			tw_time_t *since);

/*
 * The sync connections a standby heard, to date what it knows of each SA.
 * A connection is numbered from 1 (0: none yet); an SA's state is
 * confirmed on a connection by its record (bulk sync or SA_ADD) or a
 * COUNTER_UPDATE received on it, and is then complete up to the last
 * frame of that connection (the channel is ordered within a connection,
 * not across two: what the active queued when one dropped is lost). A new
 * connection's frames say nothing of an SA not yet confirmed on it. The
 * last SYNC_SEQ_CONNS connections' last frames are remembered; an SA
 * confirmed on an older one has no known date.
 */
#define SYNC_SEQ_CONNS 16u
struct sync_seq_conns {
	uint32_t cur;                       /* the current connection */
	tw_time_t heard[SYNC_SEQ_CONNS];    /* last frame, by cur % N */
};

void sync_seq_conn_new(struct sync_seq_conns *c);
/* A frame of the current connection accepted at now. */
void sync_seq_conn_heard(struct sync_seq_conns *c, tw_time_t now);
/*
 * When what was confirmed on connection conf was last complete, in *at:
 * 0, or -ENODATA (conf 0, a connection not remembered or never heard).
 */
int sync_seq_conn_known_at(const struct sync_seq_conns *c, uint32_t conf,
			   tw_time_t *at);

/*
 * The mark to persist for an outbound SA at seq whose mark is mark: mark
 * when seq is at least half a block below it, else seq + one block.
 */
uint64_t sync_seq_reserve(uint64_t seq, uint64_t mark);

#endif /* SYNC_SEQ_H */
