/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The IPv6 SPD (dp_spd6.c): its linear scan and its rte_acl build on the
 * same random policies (prefixes of any length to 128 with host bits set,
 * port ranges, protocols, tied priorities) give, for keys drawn near
 * them, the result of a brute-force reference: the first policy in
 * (priority, index) order whose selector matches. Selectors of family 4
 * are refused.
 */

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_eal.h>

#include "dp_spd6.h"
#include "tw_compiler.h"

#define EAL_ARG(s) ((char[]){ s })
#define TRIALS 1500
#define KEYS 64
#define MAXPOL 24

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint32_t
rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (uint32_t)((rng * 0x2545f4914f6cdd1dULL) >> 32);
}

static uint16_t
rnd_port(void)
{
	static const uint16_t edge[] = { 0, 1, 53, 80, 443, 500, 4500, 65535 };

	return rnd() % 2 ? edge[rnd() % RTE_DIM(edge)] : (uint16_t)rnd();
}

static void
rnd_addr(uint8_t a[16])
{
	unsigned int i;

	a[0] = 0x20;
	a[1] = 0x01;
	for (i = 2; i < 16; i++)
		a[i] = rnd() % 2 ? (uint8_t)(rnd() % 2) : (uint8_t)rnd();
}

static void
rnd_policy(struct dp_policy *p)
{
	static const uint8_t protos[] = { 0, 0, 6, 17, 50, 58, 132 };
	struct dp_selector *s = &p->sel;
	uint16_t a, b;

	memset(p, 0, sizeof(*p));
	s->family = 6;
	rnd_addr(s->src6);
	rnd_addr(s->dst6);
	s->src_len = (uint8_t)(rnd() % 4 == 0 ? 0 : 8 + rnd() % 121);
	s->dst_len = (uint8_t)(rnd() % 4 == 0 ? 0 : 8 + rnd() % 121);
	s->proto = protos[rnd() % RTE_DIM(protos)];
	a = rnd_port();
	b = rnd_port();
	s->sport_lo = rnd() % 2 ? 0 : RTE_MIN(a, b);
	s->sport_hi = s->sport_lo == 0 ? 65535 : RTE_MAX(a, b);
	a = rnd_port();
	b = rnd_port();
	s->dport_lo = rnd() % 2 ? 0 : RTE_MIN(a, b);
	s->dport_hi = s->dport_lo == 0 ? 65535 : RTE_MAX(a, b);
	p->action = CONF_POLICY_BYPASS;
	p->priority = rnd() % 4;
}

static void
rnd_key(struct dp_acl_key6 *k, const struct dp_policy *pol, unsigned int n)
{
	const struct dp_selector *s = &pol[rnd() % n].sel;
	uint8_t a[16];

	memset(k, 0, sizeof(*k));
	k->proto = rnd() % 4 == 0 ? (uint8_t)rnd() : s->proto;
	memcpy(a, s->src6, 16);
	if (rnd() % 3 == 0)
		a[rnd() % 16] ^= (uint8_t)(1u << (rnd() % 8));
	memcpy(k->src, a, 16);
	memcpy(a, s->dst6, 16);
	if (rnd() % 3 == 0)
		a[rnd() % 16] ^= (uint8_t)(1u << (rnd() % 8));
	memcpy(k->dst, a, 16);
	k->sport = rte_cpu_to_be_16(rnd() % 3 == 0 ? rnd_port() :
				    (uint16_t)(s->sport_lo + rnd() % 3 - 1));
	k->dport = rte_cpu_to_be_16(rnd() % 3 == 0 ? rnd_port() :
				    (uint16_t)(s->dport_hi + rnd() % 3 - 1));
}

static bool
pfx(const uint8_t *a, const uint8_t *p, unsigned int len)
{
	unsigned int i;

	for (i = 0; i < len; i++)
		if (((a[i / 8] ^ p[i / 8]) >> (7 - i % 8)) & 1)
			return false;
	return true;
}

/* The reference: first match in (priority, index) order. */
static uint32_t
ref(const struct dp_policy *pol, unsigned int n, const struct dp_acl_key6 *k)
{
	uint16_t sp = rte_be_to_cpu_16(k->sport);
	uint16_t dp = rte_be_to_cpu_16(k->dport);
	unsigned int i, prio;

	for (prio = 0; prio < 4; prio++)
		for (i = 0; i < n; i++) {
			const struct dp_selector *s = &pol[i].sel;

			if (pol[i].priority == prio &&
			    pfx((const uint8_t *)k->src, s->src6, s->src_len) &&
			    pfx((const uint8_t *)k->dst, s->dst6, s->dst_len) &&
			    (s->proto == 0 || s->proto == k->proto) &&
			    sp >= s->sport_lo && sp <= s->sport_hi &&
			    dp >= s->dport_lo && dp <= s->dport_hi)
				return i + 1;
		}
	return 0;
}

int
main(int argc TW_UNUSED, char **argv)
{
	char *eal[] = {
		argv[0], EAL_ARG("--no-pci"), EAL_ARG("--no-huge"),
		EAL_ARG("-m"), EAL_ARG("256"),
		EAL_ARG("--file-prefix"), EAL_ARG("tw-test-spd6"),
		EAL_ARG("-l"), EAL_ARG("0"),
		EAL_ARG("--log-level"), EAL_ARG("lib.eal:warning"),
	};
	struct dp_policy pol[MAXPOL];
	struct dp_acl_key6 key[KEYS];
	const uint8_t *kp[KEYS];
	uint32_t r_lin[KEYS], r_acl[KEYS], want;
	unsigned int t, i, n, checks = 0, failed = 0, matched = 0;
	struct dp_spd6 *lin, *acl;

	if (rte_eal_init(RTE_DIM(eal), eal) < 0) {
		fprintf(stderr, "EAL init failed\n");
		return 1;
	}
	for (t = 0; t < TRIALS && failed < 10; t++) {
		n = 1 + rnd() % MAXPOL;
		for (i = 0; i < n; i++)
			rnd_policy(&pol[i]);
		lin = NULL;
		if ((n <= DP_SPD_LINEAR_MAX &&
		     dp_spd6_build_mode(pol, n, 2 * t, false, &lin) != 0) ||
		    dp_spd6_build_mode(pol, n, 2 * t + 1, true, &acl) != 0) {
			fprintf(stderr, "trial %u: build failed\n", t);
			return 1;
		}
		for (i = 0; i < KEYS; i++) {
			rnd_key(&key[i], pol, n);
			kp[i] = (const uint8_t *)&key[i];
		}
		if (lin != NULL)
			dp_spd6_classify(lin, kp, r_lin, KEYS);
		dp_spd6_classify(acl, kp, r_acl, KEYS);
		for (i = 0; i < KEYS; i++) {
			checks++;
			want = ref(pol, n, &key[i]);
			matched += want != 0;
			if (r_acl[i] == want && (lin == NULL || r_lin[i] == want))
				continue;
			failed++;
			fprintf(stderr, "trial %u key %u: want %" PRIu32
				", linear %" PRIu32 ", rte_acl %" PRIu32 "\n",
				t, i, want, lin != NULL ? r_lin[i] : want,
				r_acl[i]);
		}
		dp_spd6_free(lin);
		dp_spd6_free(acl);
	}
	if (matched < checks / 10 || matched > checks - checks / 10) {
		fprintf(stderr, "only %u of %u keys matched a policy\n",
			matched, checks);
		failed++;
	}
	/* IPv4 selectors are dp_spd.c's. */
	rnd_policy(&pol[0]);
	pol[0].sel.family = 4;
	if (dp_spd6_build(pol, 1, 1, &lin) != -EINVAL) {
		fprintf(stderr, "a family 4 selector was taken\n");
		failed++;
	}
	rte_eal_cleanup();
	printf("test_spd6: %u keys, %u matched, %u failed\n", checks, matched,
	       failed);
	return failed == 0 ? 0 : 1;
}
