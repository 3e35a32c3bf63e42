/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef IKE_TS_H
#define IKE_TS_H

/*
 * Traffic selectors (RFC 7296 2.9): our policy as selector pairs, and
 * narrowing of a peer's TSi/TSr to it.
 *
 * Sides are named from our point of view: "local" is the side we protect
 * (our inside networks), "remote" the peer's. As a responder, the
 * initiator's TSi is the remote side and TSr the local side; as an
 * initiator we send TSi = local, TSr = remote.
 *
 * IPv4 and IPv6 ranges take part in narrowing (a list may mix them: each
 * selector meets only ours of its own type); unknown selector types
 * never match.
 */

#include <stdbool.h>
#include <stdint.h>

#include "conf.h"
#include "ike_msg.h"

/* One protect rule of our policy (a crypto map entry's match). */
struct ike_ts_pair {
	struct ike_ts local;
	struct ike_ts remote;
};

/* An IPv4 selector for prefix addr/len (host order), proto (0: any) and
 * a port range. */
void ike_ts_from_prefix(struct ike_ts *ts, uint32_t addr, uint8_t len,
			uint8_t proto, uint16_t port_lo, uint16_t port_hi);

/* The same for an IPv6 prefix addr/len (16 bytes, network order). */
void ike_ts_from_prefix6(struct ike_ts *ts, const uint8_t addr[16],
			 uint8_t len, uint8_t proto, uint16_t port_lo,
			 uint16_t port_hi);
/* Either family, by the prefix's. */
void ike_ts_from_tw_prefix(struct ike_ts *ts, const struct tw_prefix *p,
			   uint8_t proto, uint16_t port_lo, uint16_t port_hi);

/* A crypto map match rule (written inside -> outside: src is local) as a
 * pair; -EINVAL when it is not a protect rule. */
int ike_ts_from_conf_match(const struct conf_match *m,
			   struct ike_ts_pair *out);

/* a ∩ b into *out; false when empty (or not of one known type). */
bool ike_ts_intersect(const struct ike_ts *a, const struct ike_ts *b,
		      struct ike_ts *out);
/* Is inner within outer (of one type)? */
bool ike_ts_within(const struct ike_ts *inner, const struct ike_ts *outer);

/*
 * Responder narrowing (RFC 7296 2.9): take the first policy pair (in
 * order) for which some peer remote-side selector meets pair.remote and
 * some peer local-side selector meets pair.local; the result is every
 * non-empty intersection of the peer's selectors with that pair, in the
 * peer's order (at most IKE_TS_MAX each, so out arrays of IKE_TS_MAX
 * suffice). *which gets the index of the pair (may be NULL). 0, or
 * -ENOENT when no pair meets them: answer TS_UNACCEPTABLE.
 */
int ike_ts_narrow(const struct ike_ts *peer_remote, unsigned int n_remote,
		  const struct ike_ts *peer_local, unsigned int n_local,
		  const struct ike_ts_pair *policy, unsigned int n_policy,
		  struct ike_ts *out_remote, unsigned int *n_out_remote,
		  struct ike_ts *out_local, unsigned int *n_out_local,
		  unsigned int *which);

/*
 * Initiator: is every selector of the reply within one we proposed
 * (RFC 7296 2.9: the responder may only narrow)? 0 or -EINVAL.
 */
int ike_ts_check_reply(const struct ike_ts *proposed, unsigned int n_proposed,
		       const struct ike_ts *reply, unsigned int n_reply);

#endif /* IKE_TS_H */
