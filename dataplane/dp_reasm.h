/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef DP_REASM_H
#define DP_REASM_H

/*
 * Reassembly of outer IPv4 fragments addressed to the box (ESP, and UDP:
 * NAT-T ESP and IKE), per worker, bounded in datagrams, fragments and
 * size, with a timeout (dp_reasm.c).
 */

#include <stdint.h>

#include <rte_mbuf.h>

/*
 * Slots and timeout: the defaults of IOS virtual fragment reassembly (ip
 * virtual-reassembly max-reassemblies 16 timeout 3).
 *
 * Size: a gateway must take the largest ESP datagram a peer sends, and a
 * peer with jumbo frames inside and a 1500-byte path fragments ESP of up
 * to 9000-byte inner packets (RFC 4459 3.1): DP_REASM_DGRAM_MAX is that
 * plus ESP, UDP (NAT-T) and IPv4 overhead with room to spare. A datagram
 * that fits an ordinary mbuf is rebuilt in one (the usual case); a larger
 * one in one mbuf of the reassembly pool (dp_g.reasm_pool, buffers of
 * DP_REASM_BUF bytes), so everything downstream, librte_ipsec included,
 * still sees one contiguous segment. 32 fragments carry such a datagram
 * across a 576-byte path (RFC 791's minimum reassembly buffer).
 */
#define DP_REASM_SLOTS 16       /* datagrams in reassembly per worker */
#define DP_REASM_FRAGS 32       /* fragments per datagram */
#define DP_REASM_TIMEOUT_MS 3000
#define DP_REASM_DGRAM_MAX 10240 /* IPv4 total length, header included */
#define DP_REASM_L2_MAX 32      /* Ethernet and VLAN tags before it */
#define DP_REASM_BUF (RTE_PKTMBUF_HEADROOM + DP_REASM_L2_MAX + \
		      DP_REASM_DGRAM_MAX)
/* Large buffers per worker: the datagrams in reassembly, and as many on
 * their way out (TX buffers, punt ring, crypto). */
#define DP_REASM_POOL_PER_WORKER (4 * DP_REASM_SLOTS)

struct dp_reasm_frag {
	struct rte_mbuf *m;
	uint16_t off;                   /* payload offset in the datagram */
	uint16_t len;                   /* payload bytes */
};

struct dp_reasm_slot {
	uint64_t deadline;              /* TSC; 0: the slot is free */
	uint32_t src, dst;              /* RFC 791: the datagram's key */
	uint16_t id;
	uint8_t proto;
	uint8_t n;                      /* fragments held */
	uint8_t dead;                   /* enum dp_drop_reason + 1: refused,
					 * its later fragments dropped until
					 * the deadline */
	uint32_t total;                 /* payload length, 0 until the last
					 * fragment came */
	uint32_t have;                  /* payload bytes held */
	uint32_t have_end;              /* the furthest end held */
	struct dp_reasm_frag f[DP_REASM_FRAGS];
};

struct dp_reasm {
	unsigned int n_used;
	uint64_t next_deadline;         /* earliest deadline of a used slot */
	uint64_t done;                  /* datagrams reassembled */
	struct dp_reasm_slot slot[DP_REASM_SLOTS];
};

struct dp_worker;

/*
 * m: an IPv4 fragment to us (l2_len, l3_len set, header checked). Returns
 * the whole datagram (one segment, m's L2 header, no fragment bits) when m
 * completes it, else NULL (m is held, or dropped and counted). now: TSC.
 */
struct rte_mbuf *dp_reasm_ipv4(struct dp_worker *w, struct rte_mbuf *m,
			       uint64_t now);

/* Drop the datagrams whose time ran out (counted frag-timeout). */
void dp_reasm_expire(struct dp_worker *w, uint64_t now);

/* At stop: free every fragment held. */
void dp_reasm_flush(struct dp_worker *w);

#endif /* DP_REASM_H */
