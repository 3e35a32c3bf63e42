/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The marks file's lines (ha_marks.h): what ha_marks.c reads at start and
 * writes on every save. No daemon state here.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ha_marks.h"

int
ha_mark_cmp(const void *a, const void *b)
{
	const struct ha_mark *x = a, *y = b;

	if (x->spi != y->spi)
		return x->spi < y->spi ? -1 : 1;
	return x->peer < y->peer ? -1 : x->peer > y->peer;
}

/* "0xSPI MARK [PEER [stamp=MS]]": 0, or -EINVAL. */
int
ha_mark_parse(const char *line, struct ha_mark *m)
{
	unsigned long long mark, ms;
	char peer[INET_ADDRSTRLEN], st[32];
	struct in_addr a;
	unsigned int spi;
	int n;

	n = sscanf(line, "%x %llu %15s %31s", &spi, &mark, peer, st);
	if (n < 2)
		return -EINVAL;
	*m = (struct ha_mark){ .spi = spi, .mark = mark };
	if (n >= 3) {
		if (inet_pton(AF_INET, peer, &a) != 1)
			return -EINVAL;
		m->peer = ntohl(a.s_addr);
	}
	if (n == 4) {
		if (sscanf(st, "stamp=%llu", &ms) != 1)
			return -EINVAL;
		m->own_stamp = true;
		m->stamp_ms = ms;
	}
	return 0;
}

void
ha_mark_put(FILE *f, uint32_t spi, uint64_t mark, uint32_t peer,
	    bool own_stamp, uint64_t stamp_ms)
{
	struct in_addr a = { .s_addr = htonl(peer) };
	char p[INET_ADDRSTRLEN];

	if (inet_ntop(AF_INET, &a, p, sizeof(p)) == NULL)
		snprintf(p, sizeof(p), "0.0.0.0");
	if (own_stamp)
		fprintf(f, "0x%08x %" PRIu64 " %s stamp=%" PRIu64 "\n", spi,
			mark, p, stamp_ms);
	else if (peer == 0)
		fprintf(f, "0x%08x %" PRIu64 "\n", spi, mark);
	else
		fprintf(f, "0x%08x %" PRIu64 " %s\n", spi, mark, p);
}

int
ha_marks_read(FILE *f, struct ha_mark **v, unsigned int *n,
	      uint64_t *stamp_ms, char *bad, size_t badlen)
{
	unsigned long long mark;
	unsigned int cap = *n;
	struct ha_mark *nv, m;
	char line[128];

	while (fgets(line, sizeof(line), f) != NULL) {
		if (sscanf(line, "# stamp %llu", &mark) == 1)
			*stamp_ms = mark;
		if (line[0] == '#' || line[0] == '\n')
			continue;
		if (ha_mark_parse(line, &m) < 0) {
			snprintf(bad, badlen, "%s", line);
			return -EINVAL;
		}
		if (*n == cap) {
			cap = cap != 0 ? cap * 2 : 64;
			nv = realloc(*v, cap * sizeof(*nv));
			if (nv == NULL)
				return -ENOMEM;
			*v = nv;
		}
		(*v)[(*n)++] = m;
	}
	if (*n > 0)
		qsort(*v, *n, sizeof((*v)[0]), ha_mark_cmp);
	return 0;
}
