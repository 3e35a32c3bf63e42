/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef IKE_PEER_H
#define IKE_PEER_H

/*
 * What the test programs that run lib/ike's engine as an IKEv2 peer over
 * one UDP socket share (tests/bench/ike_load, tests/hostile/ike_hostile):
 * the clock, the socket with IP_PKTINFO (an address of ours per datagram),
 * the log on stderr, and the one IKE proposal they offer.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ike.h"
#include "tw_heap.h"
#include "tw_log.h"
#include "tw_time.h"

/* The deadline the engine keeps per IKE SA (IKE_ACT_ARM, IKE_ACT_CANCEL). */
struct ike_peer_timer {
	struct tw_deadline dl;
	uint32_t sa_id;
};

/* CLOCK_MONOTONIC in ns. */
tw_time_t ike_peer_now(void);
/* Dotted-quad s in host order; exits 2 with "PROG: bad address S". */
uint32_t ike_peer_ip4(const char *prog, const char *s);
/* lib/ike's log at level max and below on stderr, as "PROG: MODULE: ...". */
void ike_peer_log_stderr(const char *prog, enum tw_log_level max);

/*
 * A UDP socket on port 500 of addr (0: every address), with IP_PKTINFO,
 * SO_RCVBUF rcvbuf unless 0, SO_REUSEADDR when reuse. -1 on an error.
 */
int ike_peer_socket(uint32_t addr, int rcvbuf, bool reuse);
/* A datagram from src (an address of ours) to dst:dport; sendmsg()'s. */
ssize_t ike_peer_send(int sock, uint32_t src, uint32_t dst, uint16_t dport,
		      const uint8_t *data, size_t len);
/*
 * One datagram into buf if there is one (MSG_DONTWAIT), described in pkt
 * for ike_input() (dst 0 without IP_PKTINFO): its length, or -1.
 */
ssize_t ike_peer_recv(int sock, uint8_t *buf, size_t cap,
		      struct ike_pkt *pkt);

/* t[0..n-1], the timers of SA ids 1..n, each firing fire(&t[i], now). */
void ike_peer_timers_init(struct ike_peer_timer *t, unsigned int n,
			  tw_deadline_fn fire);
/* An IKE_ACT_ARM or IKE_ACT_CANCEL of SA ids 1..n on heap; else nothing. */
void ike_peer_timer_action(struct tw_heap *heap, struct ike_peer_timer *t,
			   unsigned int n, const struct ike_action *a);

/*
 * Policy p from scratch: local to peer, identity id, psk, selectors
 * lnet/llen to rnet/rlen (all ports and protocols), IKE ECP-256 with
 * AES-GCM-128 and HMAC-SHA2-256, ESP AES-GCM-128, replay window 64,
 * initiated at start. The caller names the map, seq and PFS group.
 */
void ike_peer_policy(struct ike_policy *p, uint32_t local, uint32_t peer,
		     const char *id, const char *psk, uint32_t lnet,
		     uint8_t llen, uint32_t rnet, uint8_t rlen,
		     uint32_t child_life_s);

#endif /* IKE_PEER_H */
