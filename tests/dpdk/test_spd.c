/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The SPD's linear scan (up to DP_SPD_LINEAR_MAX policies) against its
 * rte_acl build on the same policies: random selectors (prefixes with host
 * bits set, ports ranges, protocols, tied priorities), random keys drawn
 * near them, the same result for every key.
 */

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_eal.h>

#include "dp_priv.h"
#include "tw_compiler.h"

#define EAL_ARG(s) ((char[]){ s })
#define TRIALS 3000
#define KEYS 64

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint32_t
rnd(void)
{
	/* xorshift64*: a fixed sequence, so a failure reproduces */
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
rnd_policy(struct dp_policy *p)
{
	static const uint8_t protos[] = { 0, 0, 1, 6, 17, 50, 132 };
	struct dp_selector *s = &p->sel;
	uint16_t a, b;

	memset(p, 0, sizeof(*p));
	s->src_addr = 0x0a000000 | (rnd() & 0x00ffffff);
	s->src_len = (uint8_t)(rnd() % 4 == 0 ? 0 : 8 + rnd() % 25);
	s->dst_addr = 0x0a000000 | (rnd() & 0x00ffffff);
	s->dst_len = (uint8_t)(rnd() % 4 == 0 ? 0 : 8 + rnd() % 25);
	s->proto = protos[rnd() % RTE_DIM(protos)];
	a = rnd_port();
	b = rnd_port();
	s->sport_lo = rnd() % 2 ? 0 : RTE_MIN(a, b);
	s->sport_hi = s->sport_lo == 0 ? 65535 : RTE_MAX(a, b);
	a = rnd_port();
	b = rnd_port();
	s->dport_lo = rnd() % 2 ? 0 : RTE_MIN(a, b);
	s->dport_hi = s->dport_lo == 0 ? 65535 : RTE_MAX(a, b);
	p->action = CONF_POLICY_PROTECT;
	p->priority = rnd() % 4;        /* ties: the given order decides */
}

/* A key near one of the policies (or anywhere), network byte order. */
static void
rnd_key(struct dp_acl_key *k, const struct dp_policy *pol, unsigned int n)
{
	const struct dp_selector *s = &pol[rnd() % n].sel;
	uint32_t flip = rnd() % 3 == 0 ? 1u << (rnd() % 32) : 0;

	memset(k, 0, sizeof(*k));
	k->proto = rnd() % 4 == 0 ? (uint8_t)rnd() : s->proto;
	k->src = rte_cpu_to_be_32(rnd() % 5 == 0 ? rnd() : s->src_addr ^ flip);
	k->dst = rte_cpu_to_be_32(rnd() % 5 == 0 ? rnd() : s->dst_addr ^
				  (rnd() % 2 ? flip : 0));
	k->sport = rte_cpu_to_be_16(rnd() % 3 == 0 ? rnd_port() :
				    (uint16_t)(s->sport_lo + rnd() % 3 - 1));
	k->dport = rte_cpu_to_be_16(rnd() % 3 == 0 ? rnd_port() :
				    (uint16_t)(s->dport_hi + rnd() % 3 - 1));
}

int
main(int argc TW_UNUSED, char **argv)
{
	char *eal[] = {
		argv[0], EAL_ARG("--no-pci"), EAL_ARG("--no-huge"),
		EAL_ARG("-m"), EAL_ARG("256"),
		EAL_ARG("--file-prefix"), EAL_ARG("tw-test-spd"),
		EAL_ARG("-l"), EAL_ARG("0"),
		EAL_ARG("--log-level"), EAL_ARG("lib.eal:warning"),
	};
	struct dp_policy pol[DP_SPD_LINEAR_MAX];
	struct dp_acl_key key[KEYS];
	const uint8_t *kp[KEYS];
	uint32_t r_lin[KEYS], r_acl[KEYS];
	unsigned int t, i, n, checks = 0, failed = 0, matched = 0;
	struct dp_spd *lin, *acl;

	if (rte_eal_init(RTE_DIM(eal), eal) < 0) {
		fprintf(stderr, "EAL init failed\n");
		return 1;
	}
	for (t = 0; t < TRIALS && failed < 10; t++) {
		n = 1 + rnd() % DP_SPD_LINEAR_MAX;
		for (i = 0; i < n; i++)
			rnd_policy(&pol[i]);
		if (dp_spd_build_mode(pol, n, 2 * t, false, &lin) != 0 ||
		    dp_spd_build_mode(pol, n, 2 * t + 1, true, &acl) != 0) {
			fprintf(stderr, "trial %u: build failed\n", t);
			return 1;
		}
		if (lin->n_lin != n || lin->acl != NULL || acl->acl == NULL) {
			fprintf(stderr, "trial %u: wrong kind of SPD\n", t);
			return 1;
		}
		for (i = 0; i < KEYS; i++) {
			rnd_key(&key[i], pol, n);
			kp[i] = (const uint8_t *)&key[i];
		}
		dp_spd_classify(lin, kp, r_lin, KEYS);
		dp_spd_classify(acl, kp, r_acl, KEYS);
		for (i = 0; i < KEYS; i++) {
			checks++;
			matched += r_acl[i] != 0;
			if (r_lin[i] == r_acl[i])
				continue;
			failed++;
			fprintf(stderr, "trial %u key %u: linear %" PRIu32
				", rte_acl %" PRIu32 "\n", t, i, r_lin[i],
				r_acl[i]);
		}
		dp_spd_free(lin);
		dp_spd_free(acl);
	}
	/* The keys must exercise both outcomes, or the test proves little. */
	if (matched < checks / 10 || matched > checks - checks / 10) {
		fprintf(stderr, "only %u of %u keys matched a policy\n",
			matched, checks);
		failed++;
	}
	/* Up to the maximum the SPD is linear, above it rte_acl. */
	{
		struct dp_policy many[DP_SPD_LINEAR_MAX + 1];

		for (i = 0; i < RTE_DIM(many); i++)
			rnd_policy(&many[i]);
		if (dp_spd_build(many, DP_SPD_LINEAR_MAX, 1, &lin) != 0 ||
		    dp_spd_build(many, DP_SPD_LINEAR_MAX + 1, 2, &acl) != 0 ||
		    lin->n_lin != DP_SPD_LINEAR_MAX || acl->acl == NULL) {
			fprintf(stderr, "dp_spd_build: wrong kind of SPD\n");
			failed++;
		}
		dp_spd_free(lin);
		dp_spd_free(acl);
	}
	rte_eal_cleanup();
	printf("test_spd: %u keys, %u matched, %u failed\n", checks, matched,
	       failed);
	return failed == 0 ? 0 : 1;
}
