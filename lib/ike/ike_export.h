/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef IKE_EXPORT_H
#define IKE_EXPORT_H

/*
 * IKE SAs for the standby twin (stateful switchover): a versioned record
 * codec (the body of a sync record of kind IKE_SA, lib/sync/sync_msg.h)
 * and the engine's export / import / activation.
 *
 * The active twin exports an established IKE SA (ESTABLISHED, REKEYED,
 * DELETING) with its Child SAs whenever ike_sa_sync_sig() changes: after
 * every exchange, since message IDs, SPIs, keys, children and the
 * outstanding request all go into the signature. The standby imports it
 * as a PASSIVE SA: no deadline, no retransmission, never a message out;
 * input for it is dropped. Activation (takeover) arms its deadline from
 * the synced state (DPD from the synced last_rx, rekey and lifetimes from
 * the synced deadlines) and the engine carries on with the synced message
 * IDs both ways and the synced cached response (a retransmitted request
 * of the peer gets the old active's answer again).
 *
 * An outstanding request of ours is mirrored with its bytes and context
 * when it needs no Diffie-Hellman key (DPD, DELETE, a child rekey without
 * PFS): the new active retransmits it at once with the same message ID,
 * so whichever the peer saw, it answers correctly (RFC 7296 2.2: a
 * retransmission gets the cached response). A request holding a DH key
 * (IKE SA rekey, child rekey with PFS) cannot be carried (the private key
 * never leaves the twin): it is exported as no request, with msgid_out
 * that request's ID; the new active's next request reuses the ID. If the
 * peer had seen the lost one it answers the new request with its cached
 * answer to the old one: a DPD or DELETE request is answered consistently
 * only by chance, so such an exchange may fail and be retried, or the IKE
 * SA deleted by the retransmission limit. This is the window of one
 * exchange at the moment of the crash; every completed exchange is
 * synced before the message that completes it leaves (the glue syncs
 * before it carries out the SEND actions).
 *
 * Times travel as offsets from the sender's clock (remaining time, age);
 * the receiver rebases them on its own.
 *
 * Record layout (big-endian), version 2 (an SA with an IPv6 address or
 * selector; one of IPv4 only is written as version 1, which differs only
 * where marked, and both are read):
 *   version(1: 2 or 1) state(1) flags(1: bit 0 initiator, 1 nat_local,
 *   2 nat_peer, 3 resp_valid) req(1: enum ike_req_kind)
 *   spi_i(8) spi_r(8) map_len(1) map(1-31) map_seq(4)
 *   local_addr(A) peer_addr(A) local_port(2) peer_port(2)
 *   encr(2) encr_bits(2) prf(2) integ(2) dh(2)
 *   d_len(1) a_len(1) e_len(1) p_len(1) SK_d SK_ai SK_ar SK_ei SK_er
 *   SK_pi SK_pr
 *   ni_len(2) ni nr_len(2) nr msgid_out(4) msgid_in(4)
 *   resp_len(2) resp req_len(2) req
 *   rekey_child(4) new_spi(4) delete_spi(4) xni_len(2) xni
 *   established_age_ms(8) rekey_in_ms(8) expire_in_ms(8) last_rx_age_ms(8)
 *   (UINT64_MAX: never)
 *   id_type(1) id_len(1) id
 *   n_child(1: 0-4), each:
 *     state(1) flags(1: bit 0 initiator, 1 esn, 2 udp_encap) cipher(1)
 *     integ(1) pfs_group(2) spi_in(4) spi_out(4) local_addr(A)
 *     peer_addr(A) local_port(2) peer_port(2) replay_window(4)
 *     encr_len(1) integ_len(1) encr_i2r integ_i2r encr_r2i integ_r2i
 *     n_local(1: 0-4) n_remote(1: 0-4), each TS: type(1) proto(1)
 *     port_lo(2) port_hi(2) addr_lo(4) addr_hi(4), or for type
 *     TS_IPV6_ADDR_RANGE in version 2 addr_lo(16) addr_hi(16)
 *     created_age_ms(8) soft_in_ms(8) hard_in_ms(8) bytes(8)
 *     soft_bytes(8) hard_bytes(8) replaces(4) nmin_len(2) nmin
 *   resp_req_len(2) resp_req_hash(20): the length and SHA-1 of the
 *   request the cached response answers (ike_xmit_again())
 *   [fields a later version appends: ignored]
 * A (an address): version 2 family(1: 4 or 6) and 4 or 16 bytes; version
 * 1 the 4 bytes of an IPv4 address. An SA's two addresses are of one
 * family, and so are a child's.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conf.h"
#include "ike.h"
#include "ike_sa.h"

#define IKE_SA_REC_VERSION 2        /* written with IPv6 in it */
#define IKE_SA_REC_VERSION_V4 1     /* IPv4 only: written, still read */
#define IKE_SA_REC_MAX 16384       /* largest body: 2 messages + children */

/* A decoded record: the mirrored fields of an IKE SA (no pointers). */
struct ike_sa_rec {
	struct ike_sa sa;
	char map[CONF_NAME_MAX];
	uint32_t map_seq;
};

/* Established enough to be worth a twin's copy. */
bool ike_sa_mirrorable(const struct ike_sa *sa);
/* Changes whenever anything the twin needs changed (not the byte count
 * of volume lifetimes: the fast-path counters travel separately). */
uint64_t ike_sa_sync_sig(const struct ike_sa *sa);

/* The record of sa into buf: its length, -ENOSPC (buf wiped: the part
 * that fitted held keys), or -EINVAL (not mirrorable). The record holds
 * the SA's keys: the caller wipes it after use. */
int ike_sa_rec_encode(const struct ike_engine *e, const struct ike_sa *sa,
		      tw_time_t now, uint8_t *buf, size_t cap);
/* Validate buf[0..len) as a record, then decode it into *out (untouched
 * on error): 0, or -EINVAL / -EPROTONOSUPPORT with err. now rebases the
 * times on the receiver's clock. */
int ike_sa_rec_decode(const uint8_t *buf, size_t len, tw_time_t now,
		      struct ike_sa_rec *out, char *err, size_t errlen);

/* Store (or refresh) a PASSIVE copy: 0 with *sa_id, -EBUSY (we hold it
 * active), -ENOENT (no such crypto map entry), -ENOSPC. No actions. */
int ike_sa_import(struct ike_engine *e, const struct ike_sa_rec *r,
		  tw_time_t now, uint32_t *sa_id, char *err, size_t errlen);
/*
 * A split brain's loser hands over the records of the IKE SAs it ran
 * (docs/failover-safety.md, "Split brain"): for the IKE SA with the same SPIs,
 * ACTIVE here, take the message IDs it moved past ours: the peer's
 * requests it answered (msgid_in, and its last response for a
 * retransmission of the last one), the requests it sent (msgid_out, when
 * none of ours is outstanding). Keys and Child SAs are not taken. 1 when
 * something was taken, 0 when ours are as new, -ENOENT when no such SA
 * is active here. No actions.
 */
int ike_sa_adopt_msgids(struct ike_engine *e, const struct ike_sa_rec *r);
/* Forget a passive copy (keys wiped): 0 or -ENOENT. No actions. */
int ike_sa_import_delete(struct ike_engine *e, uint64_t spi_i,
			 uint64_t spi_r);
/* Passive -> active (takeover): its deadline armed, an outstanding
 * mirrored request retransmitted at once. Actions as ike_timer(). */
int ike_sa_activate(struct ike_engine *e, uint32_t sa_id, tw_time_t now,
		    struct ike_action *acts, unsigned int cap);
/* Active -> passive (relinquish): its deadline cancelled, nothing sent
 * any more; the new active's records refresh it. */
int ike_sa_passivate(struct ike_engine *e, uint32_t sa_id, tw_time_t now,
		     struct ike_action *acts, unsigned int cap);
/* The SA of these SPIs (not DEAD), or NULL. */
const struct ike_sa *ike_engine_sa_by_spi(const struct ike_engine *e,
					  uint64_t spi_i, uint64_t spi_r);

#endif /* IKE_EXPORT_H */
