/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef INSTALL_MARKS_LINE_H
#define INSTALL_MARKS_LINE_H

/*
 * One line of STATE_DIR/manual-sa.seq (install_marks.c says what the file
 * is): "out|in 0xSPI PEER DIGEST VALUE". Parsed and written here without
 * the daemon's state, so tests/fuzz/fuzz_marks.c drives the same code.
 */

#include <stdint.h>
#include <stdio.h>

#include "sadb.h"

#define IM_DIGEST_LEN 8

struct im_line {
	enum sadb_dir dir;
	uint32_t spi, peer;           /* host order */
	uint8_t dig[IM_DIGEST_LEN];
	uint64_t val;
};

/* One line; 0, or -EINVAL. */
int im_line_parse(const char *line, struct im_line *x);
/* The line im_line_parse() reads back. */
void im_line_put(FILE *f, const struct im_line *x);

#endif /* INSTALL_MARKS_LINE_H */
