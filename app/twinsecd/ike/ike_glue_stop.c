/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A restarted peer is back in seconds: what the glue does so that neither
 * side black-holes traffic until DPD gives up.
 *  - A clean stop (ike_glue_stop_begin(), from main.c after the control
 *    loop ended on SIGINT/SIGTERM): an INFORMATIONAL DELETE of every IKE
 *    SA we run (RFC 7296 1.4.1: it takes the Child SAs with it); the loop
 *    then runs until they are answered or the bound (ike_glue_stop_done()).
 *    Nothing is initiated meanwhile. A standby twin is silent: it has
 *    nothing to delete.
 *  - ESP on an unknown SPI (the fast path punts it, rate-limited): the
 *    engine's INVALID_SPI to the peer if we have an IKE SA with it, else
 *    a new IKE SA with INITIAL_CONTACT (recover()).
 */
#include <errno.h>

#include "ike_glue_priv.h"
#include "net_ip.h"
#include "tw_log.h"
#include "tw_compiler.h"

/* The SAs a DELETE is for: ours (not a twin's copy) and up. */
static bool
deletable(const struct ike_sa *sa)
{
	return !sa->passive && (sa->state == IKE_SA_ESTABLISHED ||
				sa->state == IKE_SA_REKEYED);
}

/* DELETE every deletable IKE SA with no request in flight (window 1:
 * the others when their request is answered). */
static void
stop_sweep(tw_time_t now)
{
	struct ike_action acts[IKE_ACTIONS_MAX];
	const struct ike_sa *sa;

	for (sa = ike_engine_sa_next(ig.e, NULL); sa != NULL;
	     sa = ike_engine_sa_next(ig.e, sa)) {
		if (!deletable(sa) || sa->req != IKE_REQ_NONE)
			continue;
		ig.cnt.stop_deletes++;
		ike_glue_run(ike_delete(ig.e, sa->id, now, acts,
					IKE_ACTIONS_MAX), acts, now);
	}
}

unsigned int
ike_glue_stop_begin(tw_time_t now)
{
	const struct ike_sa *sa;
	unsigned int n = 0;

	if (ig.e == NULL)
		return 0;
	ig.stopping = true;
	/* What waited for a commit goes first, in order (ike_glue_held.c). */
	ike_glue_hold_flush(now);
	if (ike_glue_silent())
		return 0;
	for (sa = ike_engine_sa_next(ig.e, NULL); sa != NULL;
	     sa = ike_engine_sa_next(ig.e, sa))
		if (deletable(sa))
			n++;
	if (n == 0)
		return 0;
	tw_log(TW_LOG_NOTICE, "ike",
	       "stopping: DELETE of %u IKE SA%s to the peers", n,
	       n == 1 ? "" : "s");
	stop_sweep(now);
	return n;
}

bool
ike_glue_stop_done(void *arg TW_UNUSED, tw_time_t now)
{
	const struct ike_sa *sa;

	if (ig.e == NULL || ike_glue_silent())
		return true;
	stop_sweep(now);
	for (sa = ike_engine_sa_next(ig.e, NULL); sa != NULL;
	     sa = ike_engine_sa_next(ig.e, sa))
		if (deletable(sa) || (!sa->passive &&
				      sa->state == IKE_SA_DELETING))
			return false;
	return true;
}

unsigned int
ike_glue_stop_left(void)
{
	const struct ike_sa *sa;
	unsigned int n = 0;

	if (ig.e == NULL)
		return 0;
	for (sa = ike_engine_sa_next(ig.e, NULL); sa != NULL;
	     sa = ike_engine_sa_next(ig.e, sa))
		if (deletable(sa) || (!sa->passive &&
				      sa->state == IKE_SA_DELETING))
			n++;
	return n;
}

/*
 * No IKE SA with the sender of ESP on an unknown SPI: we restarted (or
 * lost our SAs) and the peer still sends on what it had with us. Set up
 * an IKE SA with it (as IOS's invalid-SPI recovery does): its
 * INITIAL_CONTACT makes the peer drop those SAs at once, instead of
 * black-holing until its DPD gives up. Only for an entry that may
 * initiate (not "responder"); ike_initiate() does nothing while a set-up
 * is under way, and the fast path punts at most DP_NOSA_PER_SEC.
 */
static void
recover(const struct tw_addr *src, uint32_t spi, tw_time_t now)
{
	struct ike_action acts[IKE_ACTIONS_MAX];
	char a[TW_ADDR_STRLEN];
	unsigned int p;
	int n;

	for (p = 0; p < ig.cfg.n_policies; p++) {
		const struct ike_policy *pol = &ig.cfg.policies[p];

		if (!tw_addr_eq(&pol->peer_addr, src) ||
		    pol->initiate == IKE_INITIATE_RESPONDER)
			continue;
		n = ike_initiate(ig.e, p, now, acts, IKE_ACTIONS_MAX);
		if (n > 0) {
			ig.cnt.unknown_spi_initiated++;
			tw_log(TW_LOG_NOTICE, "ike",
			       "crypto map %s seq %u: ESP from %s on unknown SPI %08x and no IKE SA with it: initiating IKE (INITIAL_CONTACT)",
			       pol->map, pol->seq,
			       tw_addr_str(src, a, sizeof(a)), spi);
		}
		ike_glue_run(n, acts, now);
		return;
	}
}

/* ESP to us on an unknown SPI (ctl_punt.c, DP_PUNT_NO_SA). */
void
ike_glue_no_sa(struct ctl *ctl TW_UNUSED, void *arg TW_UNUSED, uint32_t src,
	       uint32_t spi, tw_time_t now)
{
	struct ike_action acts[IKE_ACTIONS_MAX];
	struct tw_addr from = tw_addr_v4(src);
	int n;

	ig.cnt.unknown_spi++;
	/*
	 * One of ours by now: it reached the fast path before its SA did
	 * (the peer sent on a Child SA as soon as it had answered for it,
	 * before our commit). Lost, and nothing to tell the peer.
	 */
	if (sadb_sa_lookup(ig.ctl->sadb, SADB_DIR_IN, spi, 0) != NULL) {
		ig.cnt.unknown_spi_early++;
		tw_log(TW_LOG_INFO, "ike",
		       "ESP on SPI %08x came before its SA was in the fast path",
		       spi);
		return;
	}
	if (ike_glue_silent() || ig.stopping)
		return;
	n = ike_invalid_spi(ig.e, &from, spi, now, acts, IKE_ACTIONS_MAX);
	if (n == -ENOTCONN) {
		recover(&from, spi, now);
		return;
	}
	ike_glue_run(n, acts, now);
}
