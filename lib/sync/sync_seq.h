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
 * and the margin adds SYNC_SEQ_MARGIN on top. RATE is SYNC_SEQ_RATE_MAX,
 * a bound on the packets per second one SA can carry in any twinsec fast
 * path (about 4.2 Mpps; bench: a worker core does well under 2 Mpps of
 * 64-byte ESP). The cost is sequence space: with keep-alives every 4 s a
 * takeover burns about 2^24 numbers, 0.4 % of a 32-bit space (ESN: none
 * to speak of).
 *
 * The bound applies when the twin may have used the SA since what we know
 * (twin_was_active): since is then the time from when our knowledge was
 * complete (the twin's last word for synced state; the persisted marks'
 * write time for what a twin knew before a restart, the caller's choice).
 * Otherwise SYNC_SEQ_MARGIN is added whenever anything is known, and a key
 * nobody has any record of starts at 0: a new key is taken to be new.
 */

#include <stdbool.h>
#include <stdint.h>

#include "tw_time.h"

#define SYNC_SEQ_MARGIN 65536u
#define SYNC_SEQ_RATE_MAX (1u << 22)  /* packets per second per SA */
#define SYNC_SEQ_SLACK_MS 110u        /* watch period + delay + sched */
#define SYNC_SEQ_WATCH_MS 10u         /* the active's counter check */
/* Reservation block of the persisted high-water mark. */
#define SYNC_SEQ_MARK_BLOCK (1u << 20)

struct sync_seq_in {
	uint64_t seq;           /* last synced or own last use, 0 none */
	uint64_t mark;          /* persisted high-water mark, 0 none */
	uint32_t interval;      /* the crypto map's replay_interval.outbound */
	bool twin_was_active;   /* the twin was ACTIVE during this run */
	tw_time_t since;        /* now - the twin's last word (ns) */
	bool esn;
};

/*
 * The outbound seed (the last number taken as used: the first packet
 * gets seed + 1) in *seed: 0, or -ERANGE when it does not leave at least
 * SYNC_SEQ_MARGIN numbers of a 32-bit space (no ESN): the key is spent.
 */
int sync_seq_takeover(const struct sync_seq_in *in, uint64_t *seed);

/*
 * The mark to persist for an outbound SA at seq whose mark is mark: mark
 * when seq is at least half a block below it, else seq + one block.
 */
uint64_t sync_seq_reserve(uint64_t seq, uint64_t mark);

#endif /* SYNC_SEQ_H */
