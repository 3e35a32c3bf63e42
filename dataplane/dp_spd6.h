/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef DP_SPD6_H
#define DP_SPD6_H

/*
 * The SPD of IPv6 selectors (dp_spd6.c): the same contract as dp_spd.c's
 * (results 0: no match, else policy index + 1; lower priority value
 * first, ties in the given order), keys of 128-bit addresses.
 */

#include <stdbool.h>
#include <stdint.h>

#include "dp_priv.h"

/* The ACL input of one IPv6 packet, network byte order (as dp_acl_key). */
struct dp_acl_key6 {
	uint8_t proto;
	uint8_t pad[3];
	uint32_t src[4];
	uint32_t dst[4];
	uint16_t sport;
	uint16_t dport;
};

struct dp_spd6_lin {
	uint32_t src[4], src_mask[4];   /* host order, masked */
	uint32_t dst[4], dst_mask[4];
	uint16_t sport_lo, sport_hi;
	uint16_t dport_lo, dport_hi;
	uint8_t proto;
	uint32_t userdata;
};

struct dp_spd6 {
	struct rte_acl_ctx *acl;
	struct dp_policy *pol;
	unsigned int n;
	unsigned int n_lin;
	struct dp_bind_index binds;     /* pol[] by binding */
	struct dp_spd6_lin lin[DP_SPD_LINEAR_MAX];
};

/* Every policy's selector of family 6 (lengths to 128), else -EINVAL. */
int dp_spd6_build(const struct dp_policy *pol, unsigned int n, uint64_t gen,
		  struct dp_spd6 **out);
/* Tests: force rte_acl (acl true) or the linear scan. */
int dp_spd6_build_mode(const struct dp_policy *pol, unsigned int n,
		       uint64_t gen, bool acl, struct dp_spd6 **out);
void dp_spd6_free(struct dp_spd6 *spd);
void dp_spd6_classify(const struct dp_spd6 *spd, const uint8_t **keys,
		      uint32_t *res, unsigned int n);

#endif /* DP_SPD6_H */
