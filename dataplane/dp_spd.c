/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The security policy database compiled into an rte_acl context.
 *
 * Field layout (struct dp_acl_key, network byte order), one ACL input word
 * per 4 bytes as rte_acl requires:
 *   0 proto  u8  BITMASK  input 0
 *   1 src    u32 MASK     input 1
 *   2 dst    u32 MASK     input 2
 *   3 sport  u16 RANGE    input 3
 *   4 dport  u16 RANGE    input 3
 * The worker builds the key from the packet rather than pointing the ACL at
 * the IPv4 header, so IP options and non-first fragments (ports 0) cannot
 * shift the port fields.
 *
 * Cost: building is O(rules) plus the rte_acl trie build, done only when
 * dp_spd_set() changed the policy since the last commit.
 *
 * Up to DP_SPD_LINEAR_MAX policies there is no trie: the worker compares
 * each key with the selectors in rank order, first match wins, which is
 * what the trie's priorities give. rte_acl's classify costs 208
 * instructions a packet with one policy, the scan 33 (callgrind, outbound
 * GCM 64 B, benchmarks-notes.md); a few compares per rule cost less up
 * to here.
 */
#include <errno.h>
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <rte_acl.h>
#include <rte_byteorder.h>
#include <rte_malloc.h>

#include "dp_priv.h"

enum {
	DP_ACL_PROTO,
	DP_ACL_SRC,
	DP_ACL_DST,
	DP_ACL_SPORT,
	DP_ACL_DPORT,
	DP_ACL_NUM_FIELDS,
};

RTE_ACL_RULE_DEF(dp_acl_rule, DP_ACL_NUM_FIELDS);

static const struct rte_acl_field_def dp_acl_defs[DP_ACL_NUM_FIELDS] = {
	[DP_ACL_PROTO] = {
		.type = RTE_ACL_FIELD_TYPE_BITMASK,
		.size = sizeof(uint8_t),
		.field_index = DP_ACL_PROTO,
		.input_index = 0,
		.offset = offsetof(struct dp_acl_key, proto),
	},
	[DP_ACL_SRC] = {
		.type = RTE_ACL_FIELD_TYPE_MASK,
		.size = sizeof(uint32_t),
		.field_index = DP_ACL_SRC,
		.input_index = 1,
		.offset = offsetof(struct dp_acl_key, src),
	},
	[DP_ACL_DST] = {
		.type = RTE_ACL_FIELD_TYPE_MASK,
		.size = sizeof(uint32_t),
		.field_index = DP_ACL_DST,
		.input_index = 2,
		.offset = offsetof(struct dp_acl_key, dst),
	},
	[DP_ACL_SPORT] = {
		.type = RTE_ACL_FIELD_TYPE_RANGE,
		.size = sizeof(uint16_t),
		.field_index = DP_ACL_SPORT,
		.input_index = 3,
		.offset = offsetof(struct dp_acl_key, sport),
	},
	[DP_ACL_DPORT] = {
		.type = RTE_ACL_FIELD_TYPE_RANGE,
		.size = sizeof(uint16_t),
		.field_index = DP_ACL_DPORT,
		.input_index = 3,
		.offset = offsetof(struct dp_acl_key, dport),
	},
};

void
dp_spd_free(struct dp_spd *spd)
{
	if (spd == NULL)
		return;
	rte_acl_free(spd->acl);
	dp_bind_index_free(&spd->binds);
	rte_free(spd->pol);
	rte_free(spd);
}

static void
dp_spd_rule(struct dp_acl_rule *r, const struct dp_policy *p, uint32_t prio,
	    uint32_t userdata)
{
	const struct dp_selector *s = &p->sel;

	memset(r, 0, sizeof(*r));
	r->data.category_mask = 1;
	r->data.priority = (int32_t)prio;
	r->data.userdata = userdata;
	r->field[DP_ACL_PROTO].value.u8 = s->proto;
	r->field[DP_ACL_PROTO].mask_range.u8 = s->proto == 0 ? 0 : 0xff;
	r->field[DP_ACL_SRC].value.u32 = s->src_len == 0 ? 0 : s->src_addr;
	r->field[DP_ACL_SRC].mask_range.u32 = s->src_len;
	r->field[DP_ACL_DST].value.u32 = s->dst_len == 0 ? 0 : s->dst_addr;
	r->field[DP_ACL_DST].mask_range.u32 = s->dst_len;
	r->field[DP_ACL_SPORT].value.u16 = s->sport_lo;
	r->field[DP_ACL_SPORT].mask_range.u16 = s->sport_hi;
	r->field[DP_ACL_DPORT].value.u16 = s->dport_lo;
	r->field[DP_ACL_DPORT].mask_range.u16 = s->dport_hi;
}

struct rank {
	uint32_t prio;
	unsigned int idx;
};

static int
rank_cmp(const void *a, const void *b)
{
	const struct rank *x = a, *y = b;

	if (x->prio != y->prio)
		return x->prio < y->prio ? -1 : 1;
	return (x->idx > y->idx) - (x->idx < y->idx);
}

static uint32_t
prefix_mask(uint8_t len)
{
	return len == 0 ? 0 : len >= 32 ? UINT32_MAX : ~(UINT32_MAX >> len);
}

static void
dp_spd_lin_rule(struct dp_spd_lin *l, const struct dp_policy *p,
		uint32_t userdata)
{
	const struct dp_selector *s = &p->sel;

	l->src_mask = prefix_mask(s->src_len);
	l->src = s->src_addr & l->src_mask;
	l->dst_mask = prefix_mask(s->dst_len);
	l->dst = s->dst_addr & l->dst_mask;
	l->sport_lo = s->sport_lo;
	l->sport_hi = s->sport_hi;
	l->dport_lo = s->dport_lo;
	l->dport_hi = s->dport_hi;
	l->proto = s->proto;
	l->userdata = userdata;
}

int
dp_spd_build(const struct dp_policy *pol, unsigned int n, uint64_t gen,
	     struct dp_spd **out)
{
	return dp_spd_build_mode(pol, n, gen, n > DP_SPD_LINEAR_MAX, out);
}

int
dp_spd_build_mode(const struct dp_policy *pol, unsigned int n, uint64_t gen,
		  bool acl, struct dp_spd **out)
{
	struct rte_acl_config cfg;
	struct rte_acl_param prm;
	struct dp_acl_rule *rules = NULL;
	struct rank *order = NULL;
	struct dp_spd *spd;
	char name[RTE_ACL_NAMESIZE];
	unsigned int i;
	int rc = -ENOMEM;

	*out = NULL;
	spd = rte_zmalloc("tw_spd", sizeof(*spd), 0);
	if (spd == NULL)
		return -ENOMEM;
	if (n == 0) {
		*out = spd;
		return 0;
	}
	spd->pol = rte_malloc("tw_spd_pol", n * sizeof(*pol), 0);
	rules = rte_malloc("tw_spd_rules", n * sizeof(*rules), 0);
	order = rte_malloc("tw_spd_order", n * sizeof(*order), 0);
	if (spd->pol == NULL || rules == NULL || order == NULL)
		goto fail;
	memcpy(spd->pol, pol, n * sizeof(*pol));
	spd->n = n;
	if (dp_bind_index_build(spd->pol, n, &spd->binds) < 0)
		goto fail;

	/*
	 * Lower priority value wins, ties in the given order (crypto map seq):
	 * rank the rules by (priority, index) and give rte_acl (higher wins)
	 * RTE_ACL_MAX_PRIORITY - rank. qsort, not an insertion sort: two
	 * crypto maps of 10^4-10^5 entries interleave their priorities.
	 */
	for (i = 0; i < n; i++)
		order[i] = (struct rank){ .prio = pol[i].priority, .idx = i };
	qsort(order, n, sizeof(order[0]), rank_cmp);
	if (!acl && n <= DP_SPD_LINEAR_MAX) {
		for (i = 0; i < n; i++)
			dp_spd_lin_rule(&spd->lin[i], &pol[order[i].idx],
					order[i].idx + 1);
		spd->n_lin = n;
		rte_free(rules);
		rte_free(order);
		*out = spd;
		return 0;
	}
	for (i = 0; i < n; i++)
		dp_spd_rule(&rules[i], &pol[order[i].idx],
			    RTE_ACL_MAX_PRIORITY - i, order[i].idx + 1);

	snprintf(name, sizeof(name), "tw_spd_%" PRIu64, gen);
	memset(&prm, 0, sizeof(prm));
	prm.name = name;
	prm.socket_id = SOCKET_ID_ANY;
	prm.rule_size = RTE_ACL_RULE_SZ(DP_ACL_NUM_FIELDS);
	prm.max_rule_num = n;
	spd->acl = rte_acl_create(&prm);
	if (spd->acl == NULL) {
		rc = -rte_errno;
		goto fail;
	}
	rc = rte_acl_add_rules(spd->acl, (const struct rte_acl_rule *)rules, n);
	if (rc != 0)
		goto fail;
	memset(&cfg, 0, sizeof(cfg));
	cfg.num_categories = 1;
	cfg.num_fields = DP_ACL_NUM_FIELDS;
	memcpy(cfg.defs, dp_acl_defs, sizeof(dp_acl_defs));
	rc = rte_acl_build(spd->acl, &cfg);
	if (rc != 0)
		goto fail;
	rte_free(rules);
	rte_free(order);
	*out = spd;
	return 0;
fail:
	rte_free(rules);
	rte_free(order);
	dp_spd_free(spd);
	return rc < 0 ? rc : -rc;
}

/* The first rule in rank order that k (network byte order) matches. */
static inline uint32_t
dp_spd_lin_match(const struct dp_spd *spd, const struct dp_acl_key *k)
{
	uint32_t src = rte_be_to_cpu_32(k->src);
	uint32_t dst = rte_be_to_cpu_32(k->dst);
	uint16_t sp = rte_be_to_cpu_16(k->sport);
	uint16_t dp = rte_be_to_cpu_16(k->dport);
	const struct dp_spd_lin *l = spd->lin;
	unsigned int i;

	for (i = 0; i < spd->n_lin; i++, l++)
		if ((src & l->src_mask) == l->src &&
		    (dst & l->dst_mask) == l->dst &&
		    (l->proto == 0 || l->proto == k->proto) &&
		    sp >= l->sport_lo && sp <= l->sport_hi &&
		    dp >= l->dport_lo && dp <= l->dport_hi)
			return l->userdata;
	return 0;
}

void
dp_spd_classify(const struct dp_spd *spd, const uint8_t **keys, uint32_t *res,
		unsigned int n)
{
	unsigned int i;

	if (spd != NULL && spd->n_lin != 0) {
		for (i = 0; i < n; i++)
			res[i] = dp_spd_lin_match(spd,
				(const struct dp_acl_key *)(uintptr_t)keys[i]);
		return;
	}
	if (spd == NULL || spd->acl == NULL) {
		memset(res, 0, n * sizeof(*res));
		return;
	}
	if (rte_acl_classify(spd->acl, keys, res, n, 1) != 0)
		memset(res, 0, n * sizeof(*res));
}
