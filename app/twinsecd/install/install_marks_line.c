/* SPDX-License-Identifier: BSD-3-Clause */
/* The lines of the manual SAs' marks file (install_marks_line.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "install_marks_line.h"

static int
hexbytes(const char *s, uint8_t *out, size_t n)
{
	unsigned int b;
	size_t i;

	if (strlen(s) != 2 * n)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		if (sscanf(s + 2 * i, "%2x", &b) != 1)
			return -EINVAL;
		out[i] = (uint8_t)b;
	}
	return 0;
}

int
im_line_parse(const char *line, struct im_line *x)
{
	char dir[4], peer[INET_ADDRSTRLEN], dig[2 * IM_DIGEST_LEN + 1];
	unsigned long long v;
	struct in_addr a;
	unsigned int spi;

	if (sscanf(line, "%3s %x %15s %16s %llu", dir, &spi, peer, dig,
		   &v) != 5)
		return -EINVAL;
	if (strcmp(dir, "out") == 0)
		x->dir = SADB_DIR_OUT;
	else if (strcmp(dir, "in") == 0)
		x->dir = SADB_DIR_IN;
	else
		return -EINVAL;
	if (inet_pton(AF_INET, peer, &a) != 1 ||
	    hexbytes(dig, x->dig, IM_DIGEST_LEN) < 0)
		return -EINVAL;
	x->spi = spi;
	x->peer = ntohl(a.s_addr);
	x->val = v;
	return 0;
}

void
im_line_put(FILE *f, const struct im_line *x)
{
	char p[INET_ADDRSTRLEN];
	struct in_addr a;
	unsigned int k;

	a.s_addr = htonl(x->peer);
	if (inet_ntop(AF_INET, &a, p, sizeof(p)) == NULL)
		snprintf(p, sizeof(p), "0.0.0.0");
	fprintf(f, "%s 0x%08x %s ", x->dir == SADB_DIR_OUT ? "out" : "in",
		x->spi, p);
	for (k = 0; k < IM_DIGEST_LEN; k++)
		fprintf(f, "%02x", x->dig[k]);
	fprintf(f, " %" PRIu64 "\n", x->val);
}
