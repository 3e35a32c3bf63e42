/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The IPv6 routing pieces of the fast path (issue 18): dp_fib6 (rte_fib6
 * TRIE) against a brute-force longest-prefix match over random routes
 * (lengths 0-128, nested prefixes, host bits set in the given prefix,
 * shared next hops), and the snapshot's IPv6 neighbour table (dp_nb6)
 * with every entry found, per port, and absent ones not.
 */

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_eal.h>

#include "dp_priv.h"
#include "tw_compiler.h"

#define EAL_ARG(s) ((char[]){ s })
#define TRIALS 40
#define ROUTES 200
#define KEYS 256

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint32_t
rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (uint32_t)((rng * 0x2545f4914f6cdd1dULL) >> 32);
}

static bool
in_prefix(const uint8_t a[16], const uint8_t p[16], unsigned int len)
{
	unsigned int i;

	for (i = 0; i < len / 8; i++)
		if (a[i] != p[i])
			return false;
	if (len % 8 != 0 &&
	    ((a[i] ^ p[i]) & (uint8_t)(0xff00 >> (len % 8))) != 0)
		return false;
	return true;
}

/* The route a correct FIB picks: longest prefix, the last one given. */
static const struct dp_route6 *
ref_lookup(const struct dp_route6 *rt, unsigned int n, const uint8_t a[16])
{
	const struct dp_route6 *best = NULL;
	unsigned int i;

	for (i = 0; i < n; i++)
		if (in_prefix(a, rt[i].prefix, rt[i].len) &&
		    (best == NULL || rt[i].len > best->len))
			best = &rt[i];
	return best;
}

static void
rnd_addr(uint8_t a[16])
{
	unsigned int i;

	/* 2001:db8::/32 with few distinct bits: routes nest and overlap. */
	a[0] = 0x20;
	a[1] = 0x01;
	a[2] = 0x0d;
	a[3] = 0xb8;
	for (i = 4; i < 16; i++)
		a[i] = rnd() % 3 == 0 ? (uint8_t)rnd() : (uint8_t)(rnd() % 4);
}

/* Routes of distinct prefixes (the staging replaces a duplicate). */
static unsigned int
rnd_routes(struct dp_route6 *rt, unsigned int want)
{
	unsigned int n = 0, i, j;

	for (i = 0; i < want; i++) {
		struct dp_route6 r;

		memset(&r, 0, sizeof(r));
		rnd_addr(r.prefix);
		/* long prefixes mostly, so that some keys find none */
		r.len = (uint8_t)(rnd() % 16 == 0 ? 33 + rnd() % 15 :
				  48 + rnd() % 81);
		/* clear the host bits as dp_tables6.c does */
		for (j = 0; j < 16; j++)
			if (j * 8 >= r.len)
				r.prefix[j] = 0;
			else if (j * 8 + 8 > r.len)
				r.prefix[j] &= (uint8_t)(0xff00 >> (r.len % 8));
		r.port = (uint16_t)(rnd() % 3);
		if (rnd() % 2)
			rnd_addr(r.gw);
		for (j = 0; j < n; j++)
			if (rt[j].len == r.len &&
			    memcmp(rt[j].prefix, r.prefix, 16) == 0)
				break;
		if (j == n)
			rt[n++] = r;
	}
	return n;
}

static unsigned int
test_fib6(void)
{
	static struct dp_route6 rt[ROUTES];
	uint8_t keys[KEYS][16];
	const struct dp_nh6 *nh[KEYS];
	const struct dp_route6 *want;
	struct dp_fib6 *fib;
	unsigned int t, i, n, failed = 0, hits = 0, checks = 0;

	for (t = 0; t < TRIALS && failed < 10; t++) {
		n = rnd_routes(rt, 1 + rnd() % ROUTES);
		if (dp_fib6_build(rt, n, t, &fib) != 0) {
			fprintf(stderr, "trial %u: build of %u routes failed\n",
				t, n);
			return failed + 1;
		}
		for (i = 0; i < KEYS; i++) {
			const struct dp_route6 *r = &rt[rnd() % n];
			unsigned int b = r->len + rnd() % (129 - r->len);

			/* near a route: its prefix, then random host bits */
			memcpy(keys[i], r->prefix, 16);
			if (b < 128)
				keys[i][b / 8] ^= (uint8_t)(0x80 >> (b % 8));
			if (rnd() % 4 == 0)
				rnd_addr(keys[i]);
		}
		dp_fib6_lookup(fib, keys, nh, KEYS);
		for (i = 0; i < KEYS; i++) {
			checks++;
			want = ref_lookup(rt, n, keys[i]);
			hits += want != NULL;
			if (want == NULL ? nh[i] == NULL :
			    nh[i] != NULL && nh[i]->port == want->port &&
			    memcmp(nh[i]->gw, want->gw, 16) == 0)
				continue;
			failed++;
			fprintf(stderr, "trial %u key %u: %s\n", t, i,
				want == NULL ? "a route where none is" :
				"the wrong next hop");
		}
		dp_fib6_free(fib);
	}
	if (hits < checks / 10 || hits > checks - checks / 20) {
		fprintf(stderr, "fib6: %u of %u keys routed\n", hits, checks);
		failed++;
	}
	/* ::/0 routes everything; no FIB routes nothing. */
	memset(rt, 0, sizeof(rt[0]));
	rt[0].port = 2;
	if (dp_fib6_build(rt, 1, 999, &fib) != 0)
		return failed + 1;
	rnd_addr(keys[0]);
	dp_fib6_lookup(fib, keys, nh, 1);
	if (nh[0] == NULL || nh[0]->port != 2) {
		fprintf(stderr, "::/0 does not route\n");
		failed++;
	}
	dp_fib6_free(fib);
	dp_fib6_lookup(NULL, keys, nh, 1);
	if (nh[0] != NULL) {
		fprintf(stderr, "a NULL FIB routes\n");
		failed++;
	}
	printf("fib6: %u keys, %u routed\n", checks, hits);
	return failed;
}

static unsigned int
test_nb6(void)
{
	static struct dp_nb6_ent e[300];
	struct dp_nb6 *t;
	const struct rte_ether_addr *mac;
	uint8_t a[16];
	unsigned int i, n = RTE_DIM(e), failed = 0;

	for (i = 0; i < n; i++) {
		e[i].port = (uint16_t)(i % 3);
		rnd_addr(e[i].addr);
		e[i].addr[15] = (uint8_t)i;     /* distinct */
		e[i].addr[14] = (uint8_t)(i >> 8);
		e[i].mac.addr_bytes[5] = (uint8_t)i;
		e[i].mac.addr_bytes[4] = (uint8_t)(i >> 8);
	}
	if (dp_nb6_build(e, n, &t) != 0)
		return 1;
	for (i = 0; i < n; i++) {
		mac = dp_nb6_get(t, e[i].port, e[i].addr);
		if (mac == NULL || !rte_is_same_ether_addr(mac, &e[i].mac)) {
			fprintf(stderr, "nb6: entry %u not found\n", i);
			failed++;
		}
		/* the same address on another port is another neighbour */
		if (dp_nb6_get(t, (uint16_t)(e[i].port + 3), e[i].addr) !=
		    NULL) {
			fprintf(stderr, "nb6: entry %u on a wrong port\n", i);
			failed++;
		}
	}
	memcpy(a, e[0].addr, 16);
	a[13] ^= 0x55;
	if (dp_nb6_get(t, e[0].port, a) != NULL) {
		fprintf(stderr, "nb6: an absent address found\n");
		failed++;
	}
	dp_nb6_free(t);
	if (dp_nb6_build(e, 0, &t) != 0 ||
	    dp_nb6_get(t, 0, e[0].addr) != NULL) {
		fprintf(stderr, "nb6: the empty table\n");
		failed++;
	}
	dp_nb6_free(t);
	printf("nb6: %u entries\n", n);
	return failed;
}

int
main(int argc TW_UNUSED, char **argv)
{
	char *eal[] = {
		argv[0], EAL_ARG("--no-pci"), EAL_ARG("--no-huge"),
		EAL_ARG("-m"), EAL_ARG("512"),
		EAL_ARG("--file-prefix"), EAL_ARG("tw-test-fib6"),
		EAL_ARG("-l"), EAL_ARG("0"),
		EAL_ARG("--log-level"), EAL_ARG("lib.eal:warning"),
	};
	unsigned int failed;

	if (rte_eal_init(RTE_DIM(eal), eal) < 0) {
		fprintf(stderr, "EAL init failed\n");
		return 1;
	}
	failed = test_fib6();
	failed += test_nb6();
	rte_eal_cleanup();
	printf("test_fib6: %u failed\n", failed);
	return failed == 0 ? 0 : 1;
}
