/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef DP_SA_H
#define DP_SA_H

/*
 * One ESP SA in the fast path: a librte_ipsec SA (tunnel mode, IPv4 in
 * IPv4, optional RFC 3948 UDP encapsulation) bound to a cryptodev session,
 * with IOS-style counters. The processing function (cpu-crypto or
 * lookaside) is chosen once at creation, never per packet.
 *
 * Packet contract for dp_sa_process():
 *  - outbound: mb[i] data starts at the inner IPv4 header (L2 removed),
 *    l2_len = 0, l3_len = inner IPv4 header length. On return the good
 *    packets start at the new outer IPv4 header (with UDP when encapsulated)
 *    and l2_len = 0, l3_len = 20.
 *  - inbound: mb[i] data starts at the outer IPv4 header (L2 removed),
 *    l2_len = 0, l3_len = outer IPv4 header length (plus 8 for the UDP
 *    header when the SA is UDP-encapsulated: the ESP header follows). On
 *    return the good packets start at the inner IPv4 header.
 *  - all packets of one call belong to sa; returns the number of good packets,
 *    which are at the front of mb[]; the bad ones are at the tail [ret, n),
 *    not freed, and counted in drops (per reason) and the SA's counters.
 *
 * Details of the implementation (dp_sa.c):
 *  - outbound good packets are complete: outer total length and header
 *    checksum set, TTL 64, DF copied from the inner header, identification
 *    = low 16 bits of the ESP sequence number, UDP length set and checksum
 *    0 (RFC 3948 2.1). A packet whose inner header is not IPv4 is
 *    DP_DROP_MALFORMED; a librte_ipsec failure (no headroom/tailroom,
 *    sequence numbers exhausted without ESN) is DP_DROP_CRYPTO.
 *  - inbound good packets have l2_len = 0 and l3_len = the inner header
 *    length. Drop reasons: DP_DROP_NO_SA (SPI is not this SA's),
 *    DP_DROP_REPLAY (anti-replay window, see dp_replay.h), DP_DROP_ICV
 *    (integrity check), DP_DROP_POLICY (inner packet outside sel[]),
 *    DP_DROP_CRYPTO (truncated or misaligned ESP, bad padding or next
 *    header, device error). The inner packet's own header is not validated
 *    beyond the selector check: the caller's forwarding does that.
 *  - good packets keep their relative order;
 *    any n is accepted (processed in chunks of DP_CRYPTO_BURST).
 *  - lookaside: worker is also the cryptodev queue pair; each call is a
 *    synchronous enqueue/dequeue round trip.
 *  - any SA may be used by several workers at once. Inbound, RSS cannot
 *    keep one SA's packets on one worker (it hashes outer addresses and
 *    UDP ports, which a replaying attacker picks): with n_workers > 1 the
 *    replay window's check and update, and librte_ipsec's process() (one
 *    writer), run under a per-SA spinlock, the decryption outside it, so
 *    each sequence number is accepted at most once. Outbound, n_workers >
 *    1 sets RTE_IPSEC_SAFLAG_SQN_ATOM so sequence numbers stay unique
 *    (inbound it lets librte_ipsec's prepare() read its window while a
 *    process() writes it).
 *
 * An SA is created and destroyed by the control lcore only; workers call
 * dp_sa_process() with their own worker index.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>

#include "conf.h"
#include "dp_crypto.h"
#include "dp_drop.h"

struct dp_sa;

/* Traffic selectors an inbound SA's inner packets must match. */
struct dp_selector {
	uint32_t src_addr, dst_addr; /* host order */
	uint8_t src_len, dst_len;
	uint8_t proto;               /* 0: any */
	uint16_t sport_lo, sport_hi;
	uint16_t dport_lo, dport_hi;
	/* 6: IPv6 in src6/dst6 (network order, lengths to 128); else IPv4 */
	uint8_t family;
	uint8_t src6[16], dst6[16];
};

#define DP_SA_MAX_SELECTORS 8

struct dp_sa_params {
	uint32_t spi;
	bool inbound;
	enum conf_cipher cipher;
	enum conf_integ integ;
	const uint8_t *cipher_key;   /* GCM: key || 4-byte salt */
	uint8_t cipher_key_len;
	const uint8_t *auth_key;
	uint8_t auth_key_len;
	uint32_t local_addr;         /* our tunnel endpoint, host order */
	uint32_t remote_addr;        /* the peer's tunnel endpoint */
	bool udp_encap;              /* RFC 3948 */
	uint16_t udp_local_port;
	uint16_t udp_remote_port;
	uint32_t replay_window;      /* 0 disables anti-replay */
	bool esn;
	/* Outbound: outer DSCP dscp, not the inner one (ECN: RFC 6040). */
	bool dscp_fixed;
	uint8_t dscp;
	/*
	 * Sequence number seed: outbound, the last number already used (the
	 * first packet gets seq + 1); inbound, the highest number already seen.
	 * A fresh SA uses 0.
	 */
	uint64_t seq;
	uint32_t id;                 /* the caller's SA index (telemetry, logs) */
	/*
	 * Progress (the sadb's, see sadb.h): the workers store the low 32
	 * bits of seq in *progress each time seq crosses a multiple of
	 * 2^progress_shift, after the counters that show it. NULL: nowhere.
	 */
	uint32_t *progress;
	uint8_t progress_shift;
	struct dp_selector sel[DP_SA_MAX_SELECTORS];
	unsigned int n_sel;          /* inbound: 0 accepts any inner packet */
	/*
	 * Issue 18. family 6: an IPv6 outer between local6 and remote6
	 * (network order; no UDP encapsulation), else IPv4 as above.
	 * inner_family 6: the SA carries IPv6 packets (selectors of that
	 * family), else IPv4.
	 */
	uint8_t family;
	uint8_t local6[16], remote6[16];
	uint8_t inner_family;
};

/*
 * IOS "show crypto ipsec sa" counters, summed over workers. encaps, encrypt
 * and digest (decaps, decrypt, verify) count the packets returned good;
 * recv_errors counts every inbound packet the SA dropped, of which
 * replay_fails, auth_fails and policy_fails are the breakdown; send_errors
 * every outbound one. bytes is inner (plaintext) IPv4 bytes.
 */
struct dp_sa_counters {
	uint64_t pkts_encaps, pkts_encrypt, pkts_digest;
	uint64_t pkts_decaps, pkts_decrypt, pkts_verify;
	uint64_t bytes;              /* payload bytes, for kB lifetimes */
	uint64_t send_errors;
	uint64_t recv_errors;
	uint64_t replay_fails;
	uint64_t auth_fails;
	uint64_t policy_fails;
	uint64_t seq;                /* outbound: last sequence number used;
				      * inbound: highest sequence number seen
				      * (authenticated); the seed until then */
};

int dp_sa_create(struct dp_crypto *c, unsigned int n_workers,
		 const struct dp_sa_params *p, struct dp_sa **out, char *err,
		 size_t errlen);
/* Only after every worker has stopped referencing sa (RCU quiescent). */
void dp_sa_destroy(struct dp_sa *sa);

uint16_t dp_sa_process(struct dp_sa *sa, unsigned int worker,
		       struct rte_mbuf *mb[], uint16_t n,
		       struct dp_drop_counters *drops);

/*
 * Start loading what dp_sa_process() will read for sa (its librte_ipsec
 * SA, session keys, the worker's counters, the replay window) once the
 * struct itself is in cache: with 10^5 SAs none of it is, and prefetching
 * for a whole burst overlaps the misses. Call rte_prefetch0(sa) earlier.
 */
void dp_sa_prefetch(const struct dp_sa *sa, unsigned int worker);

void dp_sa_counters_read(const struct dp_sa *sa, struct dp_sa_counters *out);
void dp_sa_counters_clear(struct dp_sa *sa);

uint32_t dp_sa_spi(const struct dp_sa *sa);
/*
 * The staging tables' slot of sa + 1, 0 while not installed (dp_tables.c,
 * control lcore only): kept in the SA instead of an index on the side.
 */
uint32_t dp_sa_slot(const struct dp_sa *sa);
void dp_sa_set_slot(struct dp_sa *sa, uint32_t slot);
bool dp_sa_is_inbound(const struct dp_sa *sa);
uint32_t dp_sa_id(const struct dp_sa *sa);
/*
 * Extra bytes encapsulation adds at most (outer IP, UDP, ESP, IV, pad, ICV):
 * the worst case over all padding lengths. For an MTU decision use
 * dp_sa_max_inner(), exact.
 */
uint16_t dp_sa_overhead(const struct dp_sa *sa);
/*
 * The largest inner IPv4 packet that leaves as one ESP packet of at most
 * mtu bytes (the real padding of the SA's algorithm, RFC 4303 2.4); 0 when
 * not even an IPv4 header does. The path MTU the tunnel advertises.
 */
uint16_t dp_sa_max_inner(const struct dp_sa *sa, uint16_t mtu);
/* Outer header template, for MTU checks and classification. */
uint32_t dp_sa_remote_addr(const struct dp_sa *sa);
uint32_t dp_sa_local_addr(const struct dp_sa *sa);
/* An IPv6-outer SA's peer (16 bytes, network order). */
const uint8_t *dp_sa_remote6(const struct dp_sa *sa);
/* The SA's outer and inner families (4 or 6). */
uint8_t dp_sa_outer_af(const struct dp_sa *sa);
uint8_t dp_sa_inner_af(const struct dp_sa *sa);

#endif /* DP_SA_H */
