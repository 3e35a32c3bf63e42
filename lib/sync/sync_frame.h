/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SYNC_FRAME_H
#define SYNC_FRAME_H

/*
 * AEAD framing of the sync channel: every sync message (sync_msg.h) goes
 * to the twin as one frame
 *
 *   0        1        2           4
 *   version  flags    reserved(0) length (bytes after the header)
 *   8   sender epoch (64)
 *   16  receiver epoch (64): the twin's epoch as the sender knows it, or 0
 *   24  sequence number (64): 1, 2, ... per sender epoch
 *   32  ciphertext (the message), then a 16-byte tag
 *
 * protected with AES-256-GCM (OpenSSL EVP): the 32-byte header is the
 * additional authenticated data, the nonce is salt(4) || sequence(8).
 *
 * Keys. Each twin picks a random nonzero 64-bit *epoch* every time a
 * connection to the twin comes up (sync_frame_new_epoch(), then
 * sync_frame_reset()). The key and salt a sender uses are
 *
 *   HKDF-SHA256(IKM = redundancy.security.key, salt = "twinsec sync v1",
 *               info = "twinsec sync frame" || sender epoch) -> 36 bytes
 *
 * so the direction of a frame is named by its sender's epoch. Roles are no
 * good for this (they change at every switchover, and both twins can
 * briefly claim one), nor are unit numbers or addresses (a daemon that
 * restarts would start its sequence numbers again under the same key and
 * reuse GCM nonces). Fresh epochs give fresh keys per connection and per
 * direction, so sequence numbers can restart at 1 on every connection
 * without ever repeating a (key, nonce) pair, and nothing needs to be
 * persisted across restarts.
 *
 * Replays. A receiver pins the twin's epoch from the first frame that
 * authenticates on a connection; the sequence number must then strictly
 * increase (-EALREADY otherwise; SCTP delivers in order, so there is no
 * window). A frame is *confirmed* when its receiver-epoch field carries
 * our current epoch: the twin has seen this connection's traffic, so the
 * frame cannot be a recording of an earlier connection. A frame that names
 * another of our epochs is refused (-ESTALE). Until the twin has heard
 * from us its frames carry 0 there and are unconfirmed; while nothing is
 * confirmed a frame of a newer twin epoch may replace the pinned one (so a
 * replayed first frame of an old connection cannot lock the real twin
 * out), and after the first confirmed frame the pin is locked and frames
 * of any other twin epoch are refused (-ESTALE). The daemon acts only on
 * a HELLO (which cannot do harm: it only describes the twin) from an
 * unconfirmed frame, and on everything once confirmed. Each twin sends
 * its HELLO first on a new connection, so both sides are confirmed after
 * one exchange, and a reconnect never deadlocks on old sequence numbers:
 * both reset. A frame carrying our own epoch as its sender's is a
 * reflection and refused.
 *
 * insecure = true: no encryption and no tag, the INSECURE flag is set, and
 * the epoch and sequence checks still apply (they catch duplication, not
 * an attacker). Both twins must agree: a frame of the other mode is
 * refused with -EPROTO and a message saying which. sync_frame_warning()
 * returns the line the daemon logs at every start in that mode.
 *
 * Errors from sync_frame_open() (each counted): -EINVAL malformed,
 * -EPROTONOSUPPORT other frame version, -EPROTO mode mismatch, -EBADMSG
 * bad tag (wrong key on one twin, or tampering), -ESTALE other epoch,
 * -EALREADY replayed or out-of-order sequence number, -ENOTCONN before
 * sync_frame_reset(). Keys are wiped on reset and on destroy.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sync_msg.h"

#define SYNC_FRAME_VERSION 1
#define SYNC_FRAME_HDR_LEN 32
#define SYNC_FRAME_TAG_LEN 16
#define SYNC_FRAME_OVERHEAD (SYNC_FRAME_HDR_LEN + SYNC_FRAME_TAG_LEN)
#define SYNC_FRAME_MAX (SYNC_MSG_MAX + SYNC_FRAME_OVERHEAD)
#define SYNC_FRAME_F_INSECURE 0x01

struct sync_frame_config {
	const char *key;       /* redundancy.security.key; NULL/"" if none */
	bool insecure;         /* redundancy.security.insecure */
};

/* What sync_frame_open() learnt about an accepted frame. */
struct sync_frame_rx {
	uint64_t epoch;        /* the sender's */
	uint64_t seq;
	bool confirmed;        /* it names our current epoch */
	bool new_epoch;        /* first frame of this twin's epoch */
};

struct sync_frame_counters {
	uint64_t sealed, opened;
	uint64_t malformed;
	uint64_t bad_version;
	uint64_t mode_mismatch;
	uint64_t bad_tag;
	uint64_t stale_epoch;
	uint64_t replayed;
	uint64_t reflected;
	uint64_t not_connected;
	uint64_t epochs;       /* twin epochs pinned */
};

struct sync_frame;

/*
 * A framing context for the daemon's life. -EINVAL with a message when
 * there is neither a key nor insecure, or both. OpenSSL failures: -ENOMEM.
 */
int sync_frame_create(const struct sync_frame_config *cfg,
		      struct sync_frame **out, char *err, size_t errlen);
/* Wipe the keys and free. NULL is fine. */
void sync_frame_destroy(struct sync_frame *f);

/* The line to log at every start in insecure mode, else NULL. */
const char *sync_frame_warning(const struct sync_frame *f);

/* A random nonzero epoch (OpenSSL RAND_bytes). 0 or -EIO. */
int sync_frame_new_epoch(uint64_t *epoch);

/*
 * A new connection to the twin: our epoch becomes epoch (nonzero), our
 * sequence numbers restart, the twin's epoch is forgotten. -EINVAL for 0,
 * -ENOMEM/-EIO if the key derivation fails.
 */
int sync_frame_reset(struct sync_frame *f, uint64_t epoch);

/*
 * Frame the message msg[0..len) into out: the frame's length, or -ENOSPC
 * (cap < len + SYNC_FRAME_OVERHEAD), -EMSGSIZE (len > SYNC_MSG_MAX),
 * -ENOTCONN (no reset yet), -EOVERFLOW (2^64 - 1 frames on one epoch:
 * reconnect), -EIO.
 */
int sync_frame_seal(struct sync_frame *f, const uint8_t *msg, size_t len,
		    uint8_t *out, size_t cap);

/*
 * Check and open one frame into out (cap >= len is always enough): the
 * message's length, or -errno (see above) with err saying why. Nothing
 * changes in f unless the frame is accepted.
 */
int sync_frame_open(struct sync_frame *f, const uint8_t *in, size_t len,
		    uint8_t *out, size_t cap, struct sync_frame_rx *rx,
		    char *err, size_t errlen);

/*
 * For transports that deliver a byte stream: the whole length of the frame
 * whose header starts hdr (at least SYNC_FRAME_HDR_LEN bytes), or -EINVAL
 * when the header is malformed or announces more than SYNC_FRAME_MAX.
 */
int sync_frame_length(const uint8_t *hdr, size_t len);

uint64_t sync_frame_epoch(const struct sync_frame *f);       /* ours */
uint64_t sync_frame_peer_epoch(const struct sync_frame *f);  /* 0: none */
bool sync_frame_insecure(const struct sync_frame *f);
void sync_frame_counters_read(const struct sync_frame *f,
			      struct sync_frame_counters *out);

#endif /* SYNC_FRAME_H */
