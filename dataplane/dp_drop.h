/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef DP_DROP_H
#define DP_DROP_H

/*
 * Per-reason drop counters of the fast path. Each worker lcore owns one
 * struct dp_drop_counters (no atomics); readers sum them.
 */

#include <stdint.h>

enum dp_drop_reason {
	DP_DROP_MALFORMED,     /* truncated or invalid L2/L3 header */
	DP_DROP_NOT_IPV4,      /* ethertype we do not route (IPv6 has the
				* reasons of its own below) */
	DP_DROP_TTL,           /* TTL expired in transit (clear traffic:
				* punted too, for ICMP time exceeded) */
	DP_DROP_NO_SA,         /* ESP with an SPI we do not know */
	DP_DROP_REPLAY,        /* anti-replay window rejected the sequence */
	DP_DROP_ICV,           /* integrity check failed */
	DP_DROP_CRYPTO,        /* crypto device error, or an ESP failure none
				* of the reasons below explains */
	DP_DROP_POLICY,        /* inner packet does not match the SA selectors, or
				* clear traffic that a protect policy covers */
	DP_DROP_DISCARD,       /* a discard policy matched */
	DP_DROP_NO_ROUTE,
	DP_DROP_NO_NEIGH,      /* next hop unresolved and its queue is full */
	DP_DROP_MTU,           /* too big with DF set (an ICMP was sent back) */
	DP_DROP_PUNT_FULL,     /* punt ring to the control lcore full */
	DP_DROP_TX_FULL,       /* port TX queue did not take the packet */
	DP_DROP_NO_MBUF,       /* mempool exhausted (fragmentation, ICMP) */
	DP_DROP_VIP_STANDBY,   /* to an HSRP virtual IP the twin owns (we are
				* not Active): never processed nor forwarded */
	DP_DROP_NO_OUT_SA,     /* a protect policy without an SA yet (IKE
				* not done): dropped, not queued; an ACQUIRE
				* asks the control lcore to negotiate one */
	/*
	 * Decrypted inner packets: the checks clear traffic gets
	 * (DP_DROP_MALFORMED there), per check, since a peer that passed
	 * the ICV sent them (RFC 4301 5.2: the inner header is checked
	 * before it is forwarded).
	 */
	DP_DROP_INNER_HDR,     /* not version 4, IHL < 5, or past the data */
	DP_DROP_INNER_LEN,     /* total length below the header or past
				* what was decrypted */
	DP_DROP_INNER_CKSUM,   /* inner header checksum */
	DP_DROP_INNER_LOCAL,   /* inner packet to one of our own addresses:
				* the control lcore could only answer it in
				* clear, never through the tunnel */
	/* ESP trailers librte_ipsec refused (RFC 4303 2.4-2.6). */
	DP_DROP_ESP_TRUNC,     /* shorter than header, IV, trailer and ICV,
				* or ciphertext not a multiple of the block */
	DP_DROP_ESP_PAD,       /* padding not 1, 2, 3, ... or longer than
				* the payload */
	DP_DROP_ESP_NEXT_HDR,  /* next header neither IPv4 (4) nor one of
				* the below */
	DP_DROP_ESP_DUMMY,     /* next header 59: a dummy packet (RFC 4303
				* 2.6), discarded silently: not an error */
	DP_DROP_INNER_IPV6,    /* next header 41 where dp_esp_trailer.h
				* expects IPv4 (SAs of inner family 6
				* carry IPv6: dp_sa.c) */
	DP_DROP_INNER_TTL,     /* decrypted packet whose TTL expires here:
				* no ICMP time exceeded, which the control
				* lcore could only send in clear (RFC 4301
				* 6.1.1 wants it through an SA) */
	DP_DROP_ECN,           /* outer CE over an inner Not-ECT packet
				* (RFC 6040 4.2: the decapsulator MUST
				* drop it) */
	/*
	 * Outer IPv4 fragments to us (ESP, UDP) refused by reassembly
	 * (dp_reasm.c); each fragment counted once.
	 */
	DP_DROP_FRAG_TOO_MANY, /* more fragments than a datagram may have */
	DP_DROP_FRAG_TIMEOUT,  /* incomplete when its time ran out */
	DP_DROP_FRAG_OVERLAP,  /* overlapping or duplicate fragments, or two
				* different ends */
	DP_DROP_FRAG_TOO_BIG,  /* larger than one mbuf (or 65535) */
	DP_DROP_FRAG_TABLE_FULL, /* no free reassembly slot */
	/* IPv6 frames (dp_ip6.c), each reason a way one is refused. */
	DP_DROP_IPV6_HDR,      /* bad version or payload length, truncated
				* or misplaced extension header */
	DP_DROP_IPV6_EXT,      /* extension headers we do not process:
				* more than NET_IP6_MAX_EXT, a routing
				* header with segments left, an option that
				* must be discarded when not understood */
	DP_DROP_IPV6_FRAG,     /* a fragment to us: no IPv6 reassembly */
	DP_DROP_IPV6_LOCAL,    /* to us but not ICMPv6, IKE or ESP, or a
				* multicast group we do not listen to */
	DP_DROP_IPV6_TRANSIT,  /* not to us and no IPv6 route to it (the
				* name is from before IPv6 was routed) */
	DP_DROP_IPV6_HLIM,     /* hop limit expired in transit (punted too,
				* for ICMPv6 time exceeded) */
	DP_DROP_IPV6_TOO_BIG,  /* larger than the next hop's MTU: never
				* fragmented in transit (RFC 8200 5), an
				* ICMPv6 packet too big is sent back */
	DP_DROP_IPV6_SCOPE,    /* link-local source or destination, which
				* a router never forwards (RFC 4291 2.5.6) */
	DP_DROP_MAX,
};

struct dp_drop_counters {
	uint64_t count[DP_DROP_MAX];
} __attribute__((aligned(64)));

/* Stable names used by telemetry and the console. */
const char *dp_drop_reason_name(enum dp_drop_reason r);

#endif /* DP_DROP_H */
