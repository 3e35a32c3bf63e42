/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef IKE_SK_H
#define IKE_SK_H

/*
 * The Encrypted payload (SK, RFC 7296 3.14):
 *
 *	generic header | IV | E(inner payloads | Padding | Pad Length) | ICV
 *
 * ENCR_AES_CBC (128/256) with INTEG HMAC-SHA2-256-128 (or another INTEG
 * of ike_crypto.h): a 16-byte random IV, padding to the 16-byte block,
 * and the ICV (truncated HMAC with SK_a) over the whole message from the
 * first byte of the IKE header to the end of the ciphertext (3.14).
 *
 * ENCR_AES_GCM_16 (128/256, RFC 5282): an 8-byte IV, the 12-byte nonce =
 * salt (the last 4 bytes of SK_e) | IV, no padding (only a zero Pad
 * Length), AAD = everything before the IV (the IKE header, clear payloads
 * and the SK generic header), and the 16-byte tag as the ICV.
 *
 * Which keys: the original initiator of the IKE SA sends with SK_ei/SK_ai
 * and receives with SK_er/SK_ar; the responder the other way round
 * (ike_sk_ctx_init() picks them). After an IKE SA rekey, "initiator" is
 * whoever initiated the rekey (RFC 7296 2.18).
 *
 * Sending, into a builder (ike_msg.h):
 *	ike_build_init(&b, buf, cap, &hdr);
 *	ike_build_sk_begin(&b, ike_sk_iv_len(encr));
 *	ike_build_id(...), ike_build_auth(...), ...   (the inner payloads)
 *	len = ike_sk_seal(&b, &ctx, rng);              (instead of finish)
 * The buffer needs ike_sk_overhead() bytes of room past the inner payloads.
 *
 * Receiving: ike_msg_decode(), then ike_sk_open() into a separate buffer
 * of at least m->sk.body_len bytes, then ike_msg_decode_inner() on the
 * plaintext. The integrity check comes before any decryption; a failure
 * is -EBADMSG ("ICV mismatch", counted in stats->icv_fail) and, per RFC
 * 7296 2.21.2, the message must be dropped without a response.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ike_crypto.h"
#include "ike_msg.h"

/* Per IKE SA (or global) counters; the caller owns and reports them. */
struct ike_sk_stats {
	uint64_t sealed;
	uint64_t opened;
	uint64_t icv_fail;       /* HMAC or GCM tag did not verify */
	uint64_t bad_len;        /* body not IV + whole blocks + ICV */
	uint64_t bad_pad;        /* Pad Length longer than the plaintext */
};

/* One direction of protection. The keys are borrowed, not copied. */
struct ike_sk_ctx {
	const struct ike_crypto_ops *ops;
	uint16_t encr;
	uint16_t encr_bits;
	uint16_t integ;          /* IKE_INTEG_NONE with GCM */
	const uint8_t *ek;       /* SK_e (GCM: key | 4-byte salt) */
	size_t ek_len;
	const uint8_t *ak;       /* SK_a (unused with GCM) */
	size_t ak_len;
	struct ike_sk_stats *stats; /* may be NULL */
};

/* Context for sending (outbound) or receiving with the keys of k, as the
 * original initiator of the IKE SA or as its responder. */
void ike_sk_ctx_init(struct ike_sk_ctx *c, const struct ike_crypto_ops *ops,
		     const struct ike_sa_keys *k, bool initiator,
		     bool outbound, struct ike_sk_stats *stats);

/* IV length of a cipher (16 CBC, 8 GCM), 0 when unsupported. */
size_t ike_sk_iv_len(uint16_t encr);
/* Room after the inner payloads: padding, Pad Length and ICV at most. */
size_t ike_sk_overhead(uint16_t encr, uint16_t integ);

/*
 * Pad, encrypt and authenticate the SK payload started with
 * ike_build_sk_begin(), patch its length and the message length. Returns
 * the message length, or -ENOSPC (no room), -EINVAL (no SK payload,
 * context and IV room disagree), -ENOTSUP, -EIO. On any error after the
 * SK payload was begun, its body (the plaintext) is wiped to the end of
 * the buffer: nothing of it is left to send or to leak.
 */
int ike_sk_seal(struct ike_builder *b, const struct ike_sk_ctx *c,
		const struct ike_rng *rng);

/*
 * Check and decrypt the SK payload of m (decoded from msg, len bytes) into
 * plain (cap >= m->sk.body_len); *plain_len gets the length of the inner
 * payloads (padding removed). 0, or -EBADMSG (ICV/tag mismatch), -EINVAL
 * (bad length or padding), -ENOSPC, -ENOTSUP; *why says which. On an
 * error nothing decrypted is left in plain. After use, the caller wipes
 * plain (m->sk.body_len bytes at most were written).
 */
int ike_sk_open(const struct ike_sk_ctx *c, const uint8_t *msg, size_t len,
		const struct ike_msg *m, uint8_t *plain, size_t cap,
		size_t *plain_len, const char **why);

#endif /* IKE_SK_H */
