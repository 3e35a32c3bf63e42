/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef HA_MARKS_H
#define HA_MARKS_H

/*
 * The marks file's lines (ha_marks.c says what the file is): reading,
 * parsing and writing them, without the daemon's state or DPDK, so
 * tests/fuzz/fuzz_marks.c drives the same code on arbitrary files.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* A persisted mark: outbound SPI and peer (0: any, a line from a file
 * written before peers were), mark, and its own date when it has one
 * (an SA not sent on: ha_sa.own_stamp). */
struct ha_mark {
	uint32_t spi;
	uint32_t peer;
	uint64_t mark;
	bool own_stamp;
	uint64_t stamp_ms;
};

/* "0xSPI MARK [PEER [stamp=MS]]": 0, or -EINVAL. */
int ha_mark_parse(const char *line, struct ha_mark *m);
/* By SPI, then peer (qsort, bsearch). */
int ha_mark_cmp(const void *a, const void *b);
/* One line as ha_mark_parse() reads it. */
void ha_mark_put(FILE *f, uint32_t spi, uint64_t mark, uint32_t peer,
		 bool own_stamp, uint64_t stamp_ms);
/*
 * Every line of f appended to *v (*n of them, grown with realloc, sorted
 * by ha_mark_cmp() at the end); "# stamp MS" lines set *stamp_ms (the last
 * wins), other comments and empty lines are skipped. 0; -EINVAL with the
 * line in bad; -ENOMEM.
 */
int ha_marks_read(FILE *f, struct ha_mark **v, unsigned int *n,
		  uint64_t *stamp_ms, char *bad, size_t badlen);

#endif /* HA_MARKS_H */
