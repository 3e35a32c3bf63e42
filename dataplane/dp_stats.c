/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Drop counters: each worker writes its own struct without atomics; the
 * control lcore sums them. Clearing never writes a worker's counters (that
 * would race with its increments): it records a baseline that reads
 * subtract.
 */
#include <string.h>

#include "dp_priv.h"

static void
dp_drops_sum(struct dp_drop_counters *out)
{
	unsigned int i, r;

	*out = dp_g.ctl_drops;
	for (i = 0; i < dp_g.n_workers && dp_g.workers != NULL; i++) {
		const volatile struct dp_drop_counters *d =
			&dp_g.workers[i].drops;

		for (r = 0; r < DP_DROP_MAX; r++)
			out->count[r] += d->count[r];
	}
}

void
dp_drops_read(struct dp_drop_counters *out)
{
	unsigned int r;

	dp_drops_sum(out);
	for (r = 0; r < DP_DROP_MAX; r++)
		out->count[r] -= dp_g.drops_base.count[r];
}

void
dp_drops_clear(void)
{
	dp_drops_sum(&dp_g.drops_base);
	dp_acquire_clear();
}
