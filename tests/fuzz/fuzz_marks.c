/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target for the persisted sequence number marks files, read at
 * start from the state directory (disk, backup restores, an operator's
 * editor): the twins' STATE_DIR/HOSTNAME.seq (app/twinsecd/ha/
 * ha_marks_file.c, ha_marks_read() as ha_marks_load() runs it, through a
 * FILE) and the lone gateway's STATE_DIR/manual-sa.seq
 * (app/twinsecd/install/install_marks_line.c, line by line with the
 * daemon's buffer size). The same bytes go to both. Checked:
 *  - what ha_marks_read() accepts is sorted; written back with
 *    ha_mark_put() under one "# stamp" line, it reads back the same marks
 *    and stamp;
 *  - every line im_line_parse() accepts, written with im_line_put(),
 *    parses back to the same entry.
 *
 *   replay_marks tests/fuzz/corpus/marks            (make test)
 *   build-fuzz/tests/fuzz/fuzz_marks corpus/marks   (make fuzz)
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ha_marks.h"
#include "install_marks_line.h"

#define IM_LINE_MAX 160   /* install_marks_init()'s buffer */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fail(int line)
{
	fprintf(stderr, "fuzz_marks.c:%d: check failed\n", line);
	abort();
}

#define check(ok) do { if (!(ok)) fail(__LINE__); } while (0)

static bool
same_mark(const struct ha_mark *a, const struct ha_mark *b)
{
	return a->spi == b->spi && a->peer == b->peer && a->mark == b->mark &&
		a->own_stamp == b->own_stamp &&
		(!a->own_stamp || a->stamp_ms == b->stamp_ms);
}

static void
ha_file(const uint8_t *data, size_t size)
{
	struct ha_mark *v = NULL, *w = NULL;
	unsigned int n = 0, n2 = 0, i;
	uint64_t stamp = 0, stamp2 = 0;
	char bad[128], *out = NULL;
	size_t outlen = 0;
	FILE *f;
	int rc;

	f = fmemopen((void *)(uintptr_t)data, size, "r");
	check(f != NULL);
	rc = ha_marks_read(f, &v, &n, &stamp, bad, sizeof(bad));
	fclose(f);
	check(rc == 0 || rc == -EINVAL);
	if (rc != 0) {
		free(v);
		return;
	}
	for (i = 1; i < n; i++)
		check(ha_mark_cmp(&v[i - 1], &v[i]) <= 0);

	f = open_memstream(&out, &outlen);
	check(f != NULL);
	fprintf(f, "# stamp %llu\n", (unsigned long long)stamp);
	for (i = 0; i < n; i++)
		ha_mark_put(f, v[i].spi, v[i].mark, v[i].peer, v[i].own_stamp,
			    v[i].stamp_ms);
	fclose(f);
	f = fmemopen(out, outlen, "r");
	check(f != NULL);
	rc = ha_marks_read(f, &w, &n2, &stamp2, bad, sizeof(bad));
	fclose(f);
	check(rc == 0);
	check(n2 == n && stamp2 == stamp);
	/* equal keys may come back in another order: compare keys only
	 * where they are unique */
	for (i = 0; i < n; i++)
		check(ha_mark_cmp(&v[i], &w[i]) == 0);
	for (i = 0; i < n; i++)
		if ((i == 0 || ha_mark_cmp(&v[i - 1], &v[i]) != 0) &&
		    (i + 1 == n || ha_mark_cmp(&v[i], &v[i + 1]) != 0))
			check(same_mark(&v[i], &w[i]));
	free(out);
	free(v);
	free(w);
}

static void
im_file(const uint8_t *data, size_t size)
{
	struct im_line x, y;
	char line[IM_LINE_MAX], *out = NULL;
	size_t outlen = 0;
	FILE *f, *g;

	f = fmemopen((void *)(uintptr_t)data, size, "r");
	check(f != NULL);
	while (fgets(line, sizeof(line), f) != NULL) {
		if (line[0] == '#' || line[0] == '\n')
			continue;
		memset(&x, 0, sizeof(x));
		if (im_line_parse(line, &x) < 0)
			continue;
		check(x.dir == SADB_DIR_IN || x.dir == SADB_DIR_OUT);
		g = open_memstream(&out, &outlen);
		check(g != NULL);
		im_line_put(g, &x);
		fclose(g);
		check(outlen < IM_LINE_MAX && out[outlen - 1] == '\n');
		memset(&y, 0, sizeof(y));
		check(im_line_parse(out, &y) == 0);
		check(y.dir == x.dir && y.spi == x.spi && y.peer == x.peer &&
		      memcmp(y.dig, x.dig, IM_DIGEST_LEN) == 0 &&
		      y.val == x.val);
		free(out);
		out = NULL;
	}
	fclose(f);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0 || size > 65536)
		return -1;
	ha_file(data, size);
	im_file(data, size);
	return 0;
}
