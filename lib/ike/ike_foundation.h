/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef IKE_FOUNDATION_H
#define IKE_FOUNDATION_H

/*
 * lib/ike foundation: the IKEv2 building blocks under the state machine
 * (codec, SK, crypto, proposals, selectors). This header only gathers
 * them and says how they fit; each has its own contract at its top.
 *
 *   ike_wire.h      IANA numbers (exchanges, payloads, transforms, notify
 *                   types, ...) and their name tables
 *   ike_msg.h       decoder (validate, then views into the buffer) and
 *                   builder (bounds-checked, chains and lengths patched)
 *   ike_sk.h        the Encrypted payload: seal into a builder, open a
 *                   decoded message; ICV failures counted
 *   ike_crypto.h    struct ike_crypto_ops (OpenSSL) + RFC 7296 key
 *                   schedule, PSK AUTH, NAT-D, random SPIs via ike_rng
 *   ike_proposal.h  proposal selection/checking, ESP <-> lib/conf
 *   ike_ts.h        traffic selector narrowing against policy pairs
 *
 * None of it keeps state between calls, reads a clock, allocates (except
 * the ike_dh key behind ops->dh_new*), or logs: errors come back as
 * -errno with a static "why" string for the caller's log line.
 *
 * A responder's IKE_SA_INIT + IKE_AUTH with these pieces:
 *
 *   req1: ike_msg_decode()             -EPROTONOSUPPORT -> INVALID_MAJOR_
 *                                      VERSION; -ENOTSUP with
 *                                      m.unsup_critical -> UNSUPPORTED_
 *                                      CRITICAL_PAYLOAD; other -> drop
 *         ike_msg_find(SA/KE/NONCE), ike_msg_notify(NAT_DETECTION_*)
 *         ike_proposal_select()        -ENOENT -> NO_PROPOSAL_CHOSEN
 *         ike_proposal_ike_algs()      chosen -> struct ike_sa_algs
 *         KE group != chosen DH        -> INVALID_KE_PAYLOAD (2 bytes:
 *                                      the group we want)
 *         ops->dh_new(), dh_public(), dh_shared(peer KE) -> g^ir
 *         ike_rng_spi() (SPIr), ike_rng_bytes() (Nr, >= half the PRF
 *         key size, RFC 7296 2.10)
 *         ike_natd_hash() for both NAT-D notifies (ours and the check of
 *         theirs)
 *         ike_skeyseed(), ike_sa_keys_derive()  -> struct ike_sa_keys
 *         resp1: ike_build_init/sa (chosen, our SPI)/ke/nonce/notify/
 *         finish. KEEP req1 and resp1 bytes: they are RealMessage1/2.
 *   req2: ike_msg_decode(); ike_sk_ctx_init(keys, initiator=false,
 *         outbound=false); ike_sk_open() (-EBADMSG: drop silently, count);
 *         ike_msg_decode_inner()
 *         ike_auth_psk(msg=req1, nonce=Nr, sk_p=SK_pi, id=IDi .body) and
 *         ike_auth_equal() against AUTH   -> AUTHENTICATION_FAILED
 *         ike_proposal_select() on SAi2 (ESP, ours from
 *         ike_proposal_esp_from_conf()), ike_proposal_esp_to_conf()
 *         ike_ts_all() on TSi/TSr, ike_ts_narrow()  -> TS_UNACCEPTABLE
 *         ike_child_keys_derive(SK_d, no g^ir, Ni, Nr of IKE_SA_INIT)
 *         resp2: ike_build_init; ike_build_sk_begin(ike_sk_iv_len());
 *         IDr, AUTH (ike_auth_psk(msg=resp1, nonce=Ni, SK_pr, IDr body)),
 *         SAr2, TSi, TSr; ike_sk_seal(outbound ctx, rng)
 *
 * Things the state machine must know:
 *  - Keys: the original initiator sends with SK_ei/SK_ai and receives with
 *    SK_er/SK_ar; after an IKE SA rekey the rekey's initiator is the new
 *    "initiator" (2.18) and the OLD SA's PRF makes SKEYSEED
 *    (ike_skeyseed_rekey) while the NEW one runs prf+. Child SA KEYMAT:
 *    the initiator->responder SA's keys come first (2.17); the responder's
 *    inbound SA is encr_i2r/integ_i2r.
 *  - ike_msg views point into the datagram buffer; keep the buffer while
 *    the ike_msg is used. The inner payloads point into the plaintext
 *    buffer given to ike_msg_decode_inner().
 *  - The decoder checks syntax only: which payloads an exchange must or
 *    may carry, message IDs, SPIs, the R/I flags, and whether a Notify
 *    type is an error (< 16384) or a status are the state machine's.
 *  - Responses to messages with an SK that fails its ICV: none (2.21.2).
 *  - SKF (RFC 7383) is refused (-ENOTSUP, m.has_skf): never announce
 *    IKEV2_FRAGMENTATION_SUPPORTED. IKE messages must therefore fit the
 *    path MTU; with PSK they do.
 *  - The GCM IV of SK comes from the rng (8 random bytes per message).
 *  - Wipe: ike_sa_keys_wipe()/ike_child_keys_wipe() when an SA dies, and
 *    OPENSSL_cleanse any copy (the sync codec's, the SADB's).
 *  - What a standby needs of an established IKE SA is plain bytes:
 *    struct ike_sa_keys (algorithms, the seven keys, their lengths), the
 *    SPIs and the message IDs. Nonces are not needed after the exchange
 *    (every CREATE_CHILD_SA brings new ones; KEYMAT needs SK_d), and no
 *    ike_dh outlives the exchange that made it: free it as soon as g^ir
 *    is computed.
 */

#include "ike_crypto.h"
#include "ike_msg.h"
#include "ike_proposal.h"
#include "ike_sk.h"
#include "ike_ts.h"
#include "ike_wire.h"

#endif /* IKE_FOUNDATION_H */
