/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dp_priv.h"
#include "dp_sadb.h"
#include "tw_compiler.h"

_Static_assert(SADB_MAX_SELECTORS <= DP_SA_MAX_SELECTORS,
	       "every sadb selector must fit the fast path");

int
dp_sadb_init(struct dp_sadb *b, uint32_t max_sas)
{
	size_t sz = RTE_ALIGN_CEIL((size_t)max_sas * sizeof(uint32_t),
				   RTE_CACHE_LINE_SIZE);

	memset(b, 0, sizeof(*b));
	/* Dense and apart from the SAs: the watch streams it. */
	b->progress = aligned_alloc(RTE_CACHE_LINE_SIZE, sz);
	if (b->progress == NULL)
		return -ENOMEM;
	memset(b->progress, 0, sz);
	return 0;
}

static int
dp_sadb_add(void *ctx, const struct sadb_sa *sa, void **handle, char *err,
	    size_t errlen)
{
	const struct sadb_sa_params *s = &sa->p;
	struct dp_sa_params p;
	struct dp_sadb *b = ctx;
	struct dp_sa *dsa;
	unsigned int i;
	int rc;

	memset(&p, 0, sizeof(p));
	p.spi = s->spi;
	p.inbound = s->dir == SADB_DIR_IN;
	p.cipher = s->cipher;
	p.integ = s->integ;
	p.cipher_key = s->cipher_key;
	p.cipher_key_len = s->cipher_key_len;
	p.auth_key = s->auth_key;
	p.auth_key_len = s->auth_key_len;
	p.local_addr = s->local_addr;
	p.remote_addr = s->peer_addr;
	p.udp_encap = s->udp_encap;
	p.udp_local_port = s->udp_local_port;
	p.udp_remote_port = s->udp_peer_port;
	p.replay_window = s->replay_window;
	p.esn = s->esn;
	for (i = 0; i < dp_g.params.n_map_dscp; i++)
		if (strcmp(dp_g.params.map_dscp[i].map, s->map) == 0) {
			p.dscp_fixed = true;
			p.dscp = dp_g.params.map_dscp[i].dscp;
		}
	p.seq = s->seq;
	p.id = sa->id;
	p.progress = &b->progress[sa->id];
	p.progress_shift = (uint8_t)sadb_progress_shift(s->replay_interval);
	for (i = 0; i < s->n_sel; i++) {
		const struct sadb_selector *x = &s->sel[i];

		p.sel[i] = (struct dp_selector){
			.src_addr = x->src_addr, .dst_addr = x->dst_addr,
			.src_len = x->src_len, .dst_len = x->dst_len,
			.proto = x->proto,
			.sport_lo = x->sport_lo, .sport_hi = x->sport_hi,
			.dport_lo = x->dport_lo, .dport_hi = x->dport_hi,
			.family = x->family == TW_AF_INET6 ? 6 : 4,
		};
		memcpy(p.sel[i].src6, x->src6, sizeof(p.sel[i].src6));
		memcpy(p.sel[i].dst6, x->dst6, sizeof(p.sel[i].dst6));
	}
	p.n_sel = s->n_sel;
	p.family = sadb_outer_af(s) == TW_AF_INET6 ? 6 : 4;
	memcpy(p.local6, s->local6, sizeof(p.local6));
	memcpy(p.remote6, s->peer6, sizeof(p.remote6));
	p.inner_family = sadb_inner_af(s) == TW_AF_INET6 ? 6 : 4;
	rc = dp_sa_create(dp_crypto_get(), dp_n_workers(), &p, &dsa, err,
			  errlen);
	if (rc < 0)
		return rc;
	rc = dp_sa_install(dsa);
	if (rc < 0) {
		snprintf(err, errlen, "fast path refused the SA: %s",
			 strerror(-rc));
		dp_sa_destroy(dsa);
		return rc;
	}
	*handle = dsa;
	return 0;
}

static int
dp_sadb_del(void *ctx, const struct sadb_sa *sa TW_UNUSED, void *handle)
{
	struct dp_sadb *b = ctx;
	struct dp_sa *dsa = handle;
	struct dp_sa **g;
	int rc;

	rc = dp_sa_uninstall(dsa);
	if (b->n_grave == b->cap) {
		g = realloc(b->grave, (b->cap ? b->cap * 2 : 64) * sizeof(*g));
		if (g == NULL)
			return -ENOMEM; /* leaks dsa rather than free it early */
		b->grave = g;
		b->cap = b->cap ? b->cap * 2 : 64;
	}
	b->grave[b->n_grave++] = dsa;
	return rc;
}

static int
dp_sadb_stats(void *ctx TW_UNUSED, const struct sadb_sa *sa TW_UNUSED,
	      void *handle, struct sadb_sa_stats *out)
{
	struct dp_sa_counters c;

	dp_sa_counters_read(handle, &c);
	out->pkts_encaps = c.pkts_encaps;
	out->pkts_encrypt = c.pkts_encrypt;
	out->pkts_digest = c.pkts_digest;
	out->pkts_decaps = c.pkts_decaps;
	out->pkts_decrypt = c.pkts_decrypt;
	out->pkts_verify = c.pkts_verify;
	out->bytes = c.bytes;
	out->send_errors = c.send_errors;
	out->recv_errors = c.recv_errors;
	out->replay_fails = c.replay_fails;
	out->auth_fails = c.auth_fails;
	out->policy_fails = c.policy_fails;
	out->seq = c.seq;
	return 0;
}

static const volatile uint32_t *
dp_sadb_progress(void *ctx)
{
	const struct dp_sadb *b = ctx;

	return b->progress;
}

const struct sadb_backend_ops dp_sadb_ops = {
	.add = dp_sadb_add,
	.del = dp_sadb_del,
	.stats = dp_sadb_stats,
	.progress = dp_sadb_progress,
};

void
dp_sadb_reap(struct dp_sadb *b)
{
	unsigned int i;

	for (i = 0; i < b->n_grave; i++)
		dp_sa_destroy(b->grave[i]);
	b->n_grave = 0;
}

void
dp_sadb_fini(struct dp_sadb *b)
{
	free(b->grave);
	free(b->progress);
	b->progress = NULL;
	b->grave = NULL;
	b->n_grave = 0;
	b->cap = 0;
}
