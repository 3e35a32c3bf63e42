/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Which policies of a built SPD each binding (struct dp_policy.bind)
 * holds: the index dp_spd_rebind() uses to move a crypto map entry to
 * another outbound SA in the published SPD without rebuilding it. Sorted
 * (bind, policy index) pairs, one per policy with a binding: a lookup is a
 * binary search, and an entry's policies are neighbours.
 */
#include <errno.h>
#include <stdlib.h>

#include <rte_malloc.h>

#include "dp_priv.h"

static int
ref_cmp(const void *a, const void *b)
{
	const struct dp_bind_ref *x = a, *y = b;

	if (x->bind != y->bind)
		return x->bind < y->bind ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

int
dp_bind_index_build(const struct dp_policy *pol, unsigned int n,
		    struct dp_bind_index *out)
{
	unsigned int i, k = 0;

	out->ref = NULL;
	out->n = 0;
	for (i = 0; i < n; i++)
		k += pol[i].bind != 0;
	if (k == 0)
		return 0;
	out->ref = rte_malloc("tw_spd_bind", k * sizeof(*out->ref), 0);
	if (out->ref == NULL)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		if (pol[i].bind != 0)
			out->ref[out->n++] = (struct dp_bind_ref){
				.bind = pol[i].bind, .idx = i,
			};
	qsort(out->ref, out->n, sizeof(out->ref[0]), ref_cmp);
	return 0;
}

void
dp_bind_index_free(struct dp_bind_index *ix)
{
	rte_free(ix->ref);
	ix->ref = NULL;
	ix->n = 0;
}

unsigned int
dp_bind_index_find(const struct dp_bind_index *ix, uint32_t bind,
		   unsigned int *first)
{
	unsigned int lo = 0, hi = ix->n, k;

	while (lo < hi) {
		k = lo + (hi - lo) / 2;
		if (ix->ref[k].bind < bind)
			lo = k + 1;
		else
			hi = k;
	}
	*first = lo;
	for (k = lo; k < ix->n && ix->ref[k].bind == bind; k++)
		;
	return k - lo;
}
