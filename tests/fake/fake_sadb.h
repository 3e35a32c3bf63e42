/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef FAKE_SADB_H
#define FAKE_SADB_H

/*
 * An in-memory SA database backend for unit tests: it records what is
 * installed, counts calls, and fails on request.
 */

#include <stdbool.h>
#include <stdint.h>

/* Relative: the unit-test build adds no include path for lib/sadb. */
#include "../../lib/sadb/sadb.h"

#define FAKE_SADB_MAX 64

struct fake_sa {
	bool used;
	uint32_t spi;
	enum sadb_dir dir;
	uint32_t peer;
	uint64_t seq;          /* seed it was installed with */
	uint64_t packets;      /* what stats() reports */
};

struct fake_sadb {
	struct fake_sa sa[FAKE_SADB_MAX];
	unsigned int n_installed;
	unsigned int n_add, n_del, n_stats;
	int fail_add;          /* next add() returns this when < 0 */
	int fail_del;          /* next del() returns this when < 0 */
	int fail_stats;        /* next stats() returns this when < 0 */
};

extern const struct sadb_backend_ops fake_sadb_ops;

void fake_sadb_init(struct fake_sadb *f);
/* The first installed entry for (dir, spi), NULL when not installed. */
struct fake_sa *fake_sadb_find(struct fake_sadb *f, enum sadb_dir dir,
			       uint32_t spi);

#endif /* FAKE_SADB_H */
