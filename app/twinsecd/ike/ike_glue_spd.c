/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The IKE glue and the SPD: each policy's crypto map entry is bound
 * (install_spd_bind()) to the policy's newest outbound SA, or to its
 * acquire id while it has none, and moved at once in the published SPD
 * (install_spd_rebind(): no rebuild). New inbound SAs reach the fast path
 * with the next commit, batched and paced; the IKE messages that follow
 * them wait for it (ike_glue_held.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ike_glue_priv.h"
#include "install.h"
#include "tw_log.h"
#include "tw_compiler.h"

/* New Child SAs reach the SPD together, at most this late: rebuilding it
 * (every crypto map entry) per child made setting up N tunnels cost N^2. */
#define SPD_BATCH TW_MSEC(10)
/* An SPD refresh (install + publish: the ACL is rebuilt, ~0.1 s with
 * 10 000 entries) takes at most 1 / SPD_SHARE of the control lcore, so
 * IKE keeps the rest; never more than SPD_BATCH_MAX apart. */
#define SPD_SHARE 4
#define SPD_BATCH_MAX TW_SEC(1)

static void spd_fire(void *arg, tw_time_t now);

int
ike_glue_spd_init(char *err, size_t errlen)
{
	const struct ike_policy *p;
	unsigned int i;

	tw_deadline_init(&ig.spd_dl, spd_fire, NULL);
	for (i = 0; i < ig.cfg.n_policies; i++) {
		p = &ig.cfg.policies[i];
		ig.pol[i].spd = install_spd_entry(ig.ctl->conf, p->map, p->seq);
		if (ig.pol[i].spd < 0) {
			snprintf(err, errlen,
				 "crypto map %s seq %u: no SPD entry: %s",
				 p->map, p->seq, strerror(-ig.pol[i].spd));
			return ig.pol[i].spd;
		}
		/* Its acquire id while it has no SA (0: only counted). */
		install_spd_bind_acquire(ig.pol[i].spd,
					 p->initiate == IKE_INITIATE_TRAFFIC ?
					 i + 1 : 0);
	}
	return 0;
}

void
ike_glue_spd_fini(void)
{
	unsigned int i, f;

	if (ig.ctl != NULL)
		tw_heap_cancel(&ig.ctl->heap, &ig.spd_dl);
	for (i = 0; ig.pol != NULL && i < ig.cfg.n_policies; i++) {
		for (f = 0; f < INSTALL_INNER_N; f++)
			install_spd_bind(ig.pol[i].spd, f, 0, NULL);
		install_spd_bind_acquire(ig.pol[i].spd, 0);
	}
}

void
ike_glue_pol_out(unsigned int p, unsigned int f, uint32_t spi,
		 const struct tw_addr *peer)
{
	int rc;

	ig.pol[p].out[f].spi = spi;
	ig.pol[p].out[f].peer = *peer;
	/* IKE over IPv6 (issue 18): an SA with an IPv6 peer carries the
	 * entry's rules of its inner family, its outer routed by the FIB6
	 * (dp_protect()). */
	install_spd_bind(ig.pol[p].spd, f, spi, peer);
	rc = install_spd_rebind(ig.ctl, ig.pol[p].spd, f);
	if (rc < 0) {
		/* the next full refresh binds it */
		tw_log(TW_LOG_ERR, "ike", "SPD: crypto map %s seq %u: %s",
		       ig.cfg.policies[p].map, ig.cfg.policies[p].seq,
		       strerror(-rc));
		ig.spd_full = true;
		ike_glue_spd_later(ctl_now(), true);
	}
}

bool
ike_glue_spd_uses(unsigned int p, uint32_t spi_out)
{
	unsigned int f;

	for (f = 0; f < INSTALL_INNER_N; f++)
		if (install_spd_used(ig.pol[p].spd, f) == spi_out)
			return true;
	return false;
}

/*
 * Publish: with full, install the SPD again first and delete the
 * outbound SAs it no longer references. The cost (the ACL build is most
 * of a full one, the SAD rebuild of the rest) paces the next batched
 * one. The messages held for it go right after.
 */
static void
publish(bool full)
{
	tw_time_t t0 = ctl_now(), cost;
	struct sadb_sa *sa;
	char err[256];
	unsigned int i;

	tw_heap_cancel(&ig.ctl->heap, &ig.spd_dl);
	if (full) {
		ig.spd_full = false;
		if (install_spd(ig.ctl, false, err, sizeof(err)) < 0)
			tw_log(TW_LOG_ERR, "ike", "SPD: %s", err);
		for (i = 0; i < ig.n_gone; i++) {
			sa = sadb_sa_find_out_addr(ig.ctl->sadb,
						   ig.out_gone[i].spi,
						   &ig.out_gone[i].peer);
			if (sa != NULL)
				sadb_sa_del(ig.ctl->sadb, sa,
					    "deleted by IKE");
		}
		ig.n_gone = 0;
		ig.cnt.spd_refreshes++;
	}
	ctl_commit_now(ig.ctl);
	cost = ctl_now() - t0;
	ig.spd_next = t0 + cost + (cost * (SPD_SHARE - 1) < SPD_BATCH_MAX ?
				   cost * (SPD_SHARE - 1) : SPD_BATCH_MAX);
	/* The Child SAs the held messages follow are in the fast path. */
	ike_glue_hold_flush(ctl_now());
}

static void
spd_fire(void *arg TW_UNUSED, tw_time_t now TW_UNUSED)
{
	publish(ig.spd_full);
}

void
ike_glue_spd_refresh(void)
{
	publish(true);
}

/*
 * At once, past the pacing: a Child SA we initiated next to another that
 * carries the same traffic (a duplicate's, a second one). The peer
 * installed it before answering and may send on it at once (strongSwan
 * does, when it is not a rekey): each moment before the commit, ESP on
 * it is lost (unknown_spi_early). Rare (not rekeys, not set-ups without
 * traffic), so the pacing's purpose, bounding the commits of a storm of
 * set-ups, is kept.
 */
void
ike_glue_spd_now(void)
{
	publish(ig.spd_full);
}

/* New SAs for the fast path: committed with whatever else comes within
 * SPD_BATCH; soon: as soon as the pacing allows (a rekey of ours waits
 * for it to send its DELETE). */
void
ike_glue_spd_later(tw_time_t now, bool soon)
{
	tw_time_t at = soon ? now : now + SPD_BATCH;

	if (at < ig.spd_next)
		at = ig.spd_next;
	if (!tw_deadline_armed(&ig.spd_dl) || ig.spd_dl.when > at)
		tw_heap_arm(&ig.ctl->heap, &ig.spd_dl, at);
}

/* spi_out leaves the SADB with the next refresh (the SPD may still
 * point at it); false: no room, delete it now after a refresh. */
bool
ike_glue_out_gone_later(uint32_t spi_out, const struct tw_addr *peer,
			bool soon, tw_time_t now)
{
	struct out_ref *n;

	if (ig.n_gone == ig.cap_gone) {
		n = realloc(ig.out_gone, (ig.cap_gone * 2 + 64) *
			    sizeof(ig.out_gone[0]));
		if (n == NULL)
			return false;
		ig.out_gone = n;
		ig.cap_gone = ig.cap_gone * 2 + 64;
	}
	ig.out_gone[ig.n_gone++] = (struct out_ref){
		.spi = spi_out, .peer = *peer,
	};
	ig.spd_full = true;
	ike_glue_spd_later(now, soon);
	return true;
}

