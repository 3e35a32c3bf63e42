/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The IPv6 half of the security policy database (issue 18): policies
 * whose selector family is 6, compiled as dp_spd.c does for IPv4 (a
 * linear scan in rank order up to DP_SPD_LINEAR_MAX, rte_acl beyond),
 * with the same results either way. Not yet published in the snapshot:
 * the fast path's IPv6 tunnels (outbound IPv6 inner packets, ESP over
 * IPv6) come with it.
 *
 * rte_acl field layout (struct dp_acl_key6, network byte order), the
 * 128-bit addresses as four 32-bit MASK fields each, one input word per
 * 4 bytes as rte_acl requires:
 *   proto u8 BITMASK input 0; src[0..3] inputs 1-4; dst[0..3] inputs 5-8;
 *   sport, dport u16 RANGE input 9.
 */
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_acl.h>
#include <rte_byteorder.h>
#include <rte_errno.h>
#include <rte_malloc.h>

#include "dp_priv.h"
#include "dp_spd6.h"

enum {
	DP_ACL6_PROTO,
	DP_ACL6_SRC0, DP_ACL6_SRC1, DP_ACL6_SRC2, DP_ACL6_SRC3,
	DP_ACL6_DST0, DP_ACL6_DST1, DP_ACL6_DST2, DP_ACL6_DST3,
	DP_ACL6_SPORT,
	DP_ACL6_DPORT,
	DP_ACL6_NUM_FIELDS,
};

RTE_ACL_RULE_DEF(dp_acl6_rule, DP_ACL6_NUM_FIELDS);

#define DP_ACL6_WORD(f, base, off) [f] = { \
	.type = RTE_ACL_FIELD_TYPE_MASK, .size = sizeof(uint32_t), \
	.field_index = f, .input_index = (f), \
	.offset = offsetof(struct dp_acl_key6, base) + (off) * 4, }

static const struct rte_acl_field_def dp_acl6_defs[DP_ACL6_NUM_FIELDS] = {
	[DP_ACL6_PROTO] = {
		.type = RTE_ACL_FIELD_TYPE_BITMASK, .size = sizeof(uint8_t),
		.field_index = DP_ACL6_PROTO, .input_index = 0,
		.offset = offsetof(struct dp_acl_key6, proto),
	},
	DP_ACL6_WORD(DP_ACL6_SRC0, src, 0),
	DP_ACL6_WORD(DP_ACL6_SRC1, src, 1),
	DP_ACL6_WORD(DP_ACL6_SRC2, src, 2),
	DP_ACL6_WORD(DP_ACL6_SRC3, src, 3),
	DP_ACL6_WORD(DP_ACL6_DST0, dst, 0),
	DP_ACL6_WORD(DP_ACL6_DST1, dst, 1),
	DP_ACL6_WORD(DP_ACL6_DST2, dst, 2),
	DP_ACL6_WORD(DP_ACL6_DST3, dst, 3),
	[DP_ACL6_SPORT] = {
		.type = RTE_ACL_FIELD_TYPE_RANGE, .size = sizeof(uint16_t),
		.field_index = DP_ACL6_SPORT, .input_index = 9,
		.offset = offsetof(struct dp_acl_key6, sport),
	},
	[DP_ACL6_DPORT] = {
		.type = RTE_ACL_FIELD_TYPE_RANGE, .size = sizeof(uint16_t),
		.field_index = DP_ACL6_DPORT, .input_index = 9,
		.offset = offsetof(struct dp_acl_key6, dport),
	},
};

/* Word i (host order) of a 16-byte address, and its prefix bits. */
static uint32_t
word(const uint8_t a[16], unsigned int i)
{
	uint32_t w;

	memcpy(&w, a + 4 * i, 4);
	return rte_be_to_cpu_32(w);
}

static uint8_t
word_bits(uint8_t len, unsigned int i)
{
	int b = (int)len - 32 * (int)i;

	return (uint8_t)(b <= 0 ? 0 : b >= 32 ? 32 : b);
}

static uint32_t
bits_mask(uint8_t b)
{
	return b == 0 ? 0 : b >= 32 ? UINT32_MAX : ~(UINT32_MAX >> b);
}

void
dp_spd6_free(struct dp_spd6 *spd)
{
	if (spd == NULL)
		return;
	rte_acl_free(spd->acl);
	dp_bind_index_free(&spd->binds);
	rte_free(spd->pol);
	rte_free(spd);
}

static void
dp_spd6_rule(struct dp_acl6_rule *r, const struct dp_selector *s,
	     int32_t prio, uint32_t userdata)
{
	unsigned int i;
	uint8_t b;

	memset(r, 0, sizeof(*r));
	r->data.category_mask = 1;
	r->data.priority = prio;
	r->data.userdata = userdata;
	r->field[DP_ACL6_PROTO].value.u8 = s->proto;
	r->field[DP_ACL6_PROTO].mask_range.u8 = s->proto == 0 ? 0 : 0xff;
	for (i = 0; i < 4; i++) {
		b = word_bits(s->src_len, i);
		r->field[DP_ACL6_SRC0 + i].value.u32 =
			word(s->src6, i) & bits_mask(b);
		r->field[DP_ACL6_SRC0 + i].mask_range.u32 = b;
		b = word_bits(s->dst_len, i);
		r->field[DP_ACL6_DST0 + i].value.u32 =
			word(s->dst6, i) & bits_mask(b);
		r->field[DP_ACL6_DST0 + i].mask_range.u32 = b;
	}
	r->field[DP_ACL6_SPORT].value.u16 = s->sport_lo;
	r->field[DP_ACL6_SPORT].mask_range.u16 = s->sport_hi;
	r->field[DP_ACL6_DPORT].value.u16 = s->dport_lo;
	r->field[DP_ACL6_DPORT].mask_range.u16 = s->dport_hi;
}

static void
dp_spd6_lin_rule(struct dp_spd6_lin *l, const struct dp_selector *s,
		 uint32_t userdata)
{
	unsigned int i;

	for (i = 0; i < 4; i++) {
		l->src_mask[i] = bits_mask(word_bits(s->src_len, i));
		l->src[i] = word(s->src6, i) & l->src_mask[i];
		l->dst_mask[i] = bits_mask(word_bits(s->dst_len, i));
		l->dst[i] = word(s->dst6, i) & l->dst_mask[i];
	}
	l->sport_lo = s->sport_lo;
	l->sport_hi = s->sport_hi;
	l->dport_lo = s->dport_lo;
	l->dport_hi = s->dport_hi;
	l->proto = s->proto;
	l->userdata = userdata;
}

struct rank6 {
	uint32_t prio;
	unsigned int idx;
};

static int
rank6_cmp(const void *a, const void *b)
{
	const struct rank6 *x = a, *y = b;

	if (x->prio != y->prio)
		return x->prio < y->prio ? -1 : 1;
	return (x->idx > y->idx) - (x->idx < y->idx);
}

int
dp_spd6_build_mode(const struct dp_policy *pol, unsigned int n,
		   uint64_t gen, bool acl, struct dp_spd6 **out)
{
	struct rte_acl_config cfg;
	struct rte_acl_param prm;
	struct dp_acl6_rule *rules = NULL;
	struct rank6 *order = NULL;
	struct dp_spd6 *spd;
	char name[RTE_ACL_NAMESIZE];
	unsigned int i;
	int rc = -ENOMEM;

	*out = NULL;
	for (i = 0; i < n; i++)
		if (pol[i].sel.family != 6 || pol[i].sel.src_len > 128 ||
		    pol[i].sel.dst_len > 128)
			return -EINVAL;
	spd = rte_zmalloc("tw_spd6", sizeof(*spd), 0);
	if (spd == NULL)
		return -ENOMEM;
	if (n == 0) {
		*out = spd;
		return 0;
	}
	spd->pol = rte_malloc("tw_spd6_pol", n * sizeof(*pol), 0);
	rules = rte_malloc("tw_spd6_rules", n * sizeof(*rules), 0);
	order = rte_malloc("tw_spd6_order", n * sizeof(*order), 0);
	if (spd->pol == NULL || rules == NULL || order == NULL)
		goto fail;
	memcpy(spd->pol, pol, n * sizeof(*pol));
	spd->n = n;
	if (dp_bind_index_build(spd->pol, n, &spd->binds) < 0)
		goto fail;
	/* Rank as dp_spd.c does: (priority, index), lower first. */
	for (i = 0; i < n; i++)
		order[i] = (struct rank6){ .prio = pol[i].priority, .idx = i };
	qsort(order, n, sizeof(order[0]), rank6_cmp);
	if (!acl && n <= DP_SPD_LINEAR_MAX) {
		for (i = 0; i < n; i++)
			dp_spd6_lin_rule(&spd->lin[i], &pol[order[i].idx].sel,
					 order[i].idx + 1);
		spd->n_lin = n;
		goto done;
	}
	for (i = 0; i < n; i++)
		dp_spd6_rule(&rules[i], &pol[order[i].idx].sel,
			     (int32_t)(RTE_ACL_MAX_PRIORITY - i),
			     order[i].idx + 1);
	snprintf(name, sizeof(name), "tw_spd6_%" PRIu64, gen);
	memset(&prm, 0, sizeof(prm));
	prm.name = name;
	prm.socket_id = SOCKET_ID_ANY;
	prm.rule_size = RTE_ACL_RULE_SZ(DP_ACL6_NUM_FIELDS);
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
	cfg.num_fields = DP_ACL6_NUM_FIELDS;
	memcpy(cfg.defs, dp_acl6_defs, sizeof(dp_acl6_defs));
	rc = rte_acl_build(spd->acl, &cfg);
	if (rc != 0)
		goto fail;
done:
	rte_free(rules);
	rte_free(order);
	*out = spd;
	return 0;
fail:
	rte_free(rules);
	rte_free(order);
	dp_spd6_free(spd);
	return rc < 0 ? rc : -rc;
}

int
dp_spd6_build(const struct dp_policy *pol, unsigned int n, uint64_t gen,
	      struct dp_spd6 **out)
{
	return dp_spd6_build_mode(pol, n, gen, n > DP_SPD_LINEAR_MAX, out);
}

static inline uint32_t
dp_spd6_lin_match(const struct dp_spd6 *spd, const struct dp_acl_key6 *k)
{
	const struct dp_spd6_lin *l = spd->lin;
	uint32_t src[4], dst[4];
	uint16_t sp = rte_be_to_cpu_16(k->sport);
	uint16_t dp = rte_be_to_cpu_16(k->dport);
	unsigned int i, w;

	for (w = 0; w < 4; w++) {
		src[w] = rte_be_to_cpu_32(k->src[w]);
		dst[w] = rte_be_to_cpu_32(k->dst[w]);
	}
	for (i = 0; i < spd->n_lin; i++, l++) {
		for (w = 0; w < 4; w++)
			if ((src[w] & l->src_mask[w]) != l->src[w] ||
			    (dst[w] & l->dst_mask[w]) != l->dst[w])
				break;
		if (w == 4 && (l->proto == 0 || l->proto == k->proto) &&
		    sp >= l->sport_lo && sp <= l->sport_hi &&
		    dp >= l->dport_lo && dp <= l->dport_hi)
			return l->userdata;
	}
	return 0;
}

void
dp_spd6_classify(const struct dp_spd6 *spd, const uint8_t **keys,
		 uint32_t *res, unsigned int n)
{
	unsigned int i;

	if (spd != NULL && spd->n_lin != 0) {
		for (i = 0; i < n; i++)
			res[i] = dp_spd6_lin_match(spd,
				(const struct dp_acl_key6 *)(uintptr_t)keys[i]);
		return;
	}
	if (spd == NULL || spd->acl == NULL) {
		memset(res, 0, n * sizeof(*res));
		return;
	}
	if (rte_acl_classify(spd->acl, keys, res, n, 1) != 0)
		memset(res, 0, n * sizeof(*res));
}
