/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "fake_sadb.h"

void
fake_sadb_init(struct fake_sadb *f)
{
	memset(f, 0, sizeof(*f));
}

struct fake_sa *
fake_sadb_find(struct fake_sadb *f, enum sadb_dir dir, uint32_t spi)
{
	unsigned int i;

	for (i = 0; i < FAKE_SADB_MAX; i++)
		if (f->sa[i].used && f->sa[i].dir == dir && f->sa[i].spi == spi)
			return &f->sa[i];
	return NULL;
}

static int
fake_add(void *ctx, const struct sadb_sa *sa, void **handle, char *err,
	 size_t errlen)
{
	struct fake_sadb *f = ctx;
	unsigned int i;
	int rc;

	f->n_add++;
	if (f->fail_add < 0) {
		rc = f->fail_add;
		f->fail_add = 0;
		snprintf(err, errlen, "fake backend refuses (%d)", rc);
		return rc;
	}
	/* What a fast path keys on: the inbound SPI; (SPI, peer) out. */
	for (i = 0; i < FAKE_SADB_MAX; i++) {
		const struct fake_sa *o = &f->sa[i];

		if (o->used && o->dir == sa->p.dir && o->spi == sa->p.spi &&
		    (sa->p.dir == SADB_DIR_IN || o->peer == sa->p.peer_addr)) {
			snprintf(err, errlen, "already installed");
			return -EEXIST;
		}
	}
	for (i = 0; i < FAKE_SADB_MAX; i++) {
		if (!f->sa[i].used) {
			f->sa[i] = (struct fake_sa){
				.used = true,
				.spi = sa->p.spi,
				.dir = sa->p.dir,
				.peer = sa->p.peer_addr,
				.seq = sa->p.seq,
			};
			f->n_installed++;
			*handle = &f->sa[i];
			return 0;
		}
	}
	snprintf(err, errlen, "fake backend full");
	return -ENOSPC;
}

static int
fake_del(void *ctx, const struct sadb_sa *sa, void *handle)
{
	struct fake_sadb *f = ctx;
	struct fake_sa *e = handle;
	int rc;

	f->n_del++;
	if (e == NULL || !e->used || e->spi != sa->p.spi)
		return -ENOENT;
	e->used = false;
	f->n_installed--;
	if (f->fail_del < 0) {
		rc = f->fail_del;
		f->fail_del = 0;
		return rc;
	}
	return 0;
}

static int
fake_stats(void *ctx, const struct sadb_sa *sa, void *handle,
	   struct sadb_sa_stats *out)
{
	struct fake_sadb *f = ctx;
	struct fake_sa *e = handle;
	int rc;

	f->n_stats++;
	if (f->fail_stats < 0) {
		rc = f->fail_stats;
		f->fail_stats = 0;
		return rc;
	}
	if (sa->p.dir == SADB_DIR_OUT) {
		out->pkts_encaps = e->packets;
		out->pkts_encrypt = e->packets;
		out->pkts_digest = e->packets;
	} else {
		out->pkts_decaps = e->packets;
		out->pkts_decrypt = e->packets;
		out->pkts_verify = e->packets;
	}
	out->seq = e->seq + e->packets;
	return 0;
}

const struct sadb_backend_ops fake_sadb_ops = {
	.add = fake_add,
	.del = fake_del,
	.stats = fake_stats,
};
