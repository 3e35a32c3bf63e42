/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TWINSECD_DP_SADB_H
#define TWINSECD_DP_SADB_H

/*
 * The DPDK fast path as an SA database backend.
 *
 * add: dp_sa_create() + dp_sa_install() (staged: visible to workers at the
 * next dp_commit()). del: dp_sa_uninstall(), and the dp_sa goes to a
 * graveyard: workers may hold it until the next dp_commit() has passed an
 * RCU grace period, so it is destroyed by dp_sadb_reap() after that commit.
 * Batching this way lets one commit publish many SAs (bulk install, a
 * takeover) instead of one RCU grace period per SA.
 *
 * An outbound SA is referenced by SPD policies: the caller replaces the SPD
 * (dp_spd_set) before deleting the SA it points at.
 */

#include <stdint.h>

#include "dp.h"
#include "sadb.h"

struct dp_sadb {
	struct dp_sa **grave;
	unsigned int n_grave;
	unsigned int cap;
	uint32_t *progress;          /* [max_sas], sadb.h's progress table */
};

extern const struct sadb_backend_ops dp_sadb_ops;

/* -ENOMEM when the progress table for max_sas SAs cannot be had. */
int dp_sadb_init(struct dp_sadb *b, uint32_t max_sas);
/* Destroy what was uninstalled before the dp_commit() just done. */
void dp_sadb_reap(struct dp_sadb *b);
void dp_sadb_fini(struct dp_sadb *b);

/* The fast-path SA of an INSTALLED record. */
static inline struct dp_sa *
dp_sadb_sa(const struct sadb_sa *sa)
{
	return sa->state == SADB_SA_INSTALLED ? sa->handle : NULL;
}

#endif /* TWINSECD_DP_SADB_H */
