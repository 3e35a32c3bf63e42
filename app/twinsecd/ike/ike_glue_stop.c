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
 *    engine's INVALID_SPI to the peer, if we have an IKE SA with it.
 */
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

/* ESP to us on an unknown SPI (ctl_punt.c, DP_PUNT_NO_SA). */
void
ike_glue_no_sa(struct ctl *ctl TW_UNUSED, void *arg TW_UNUSED, uint32_t src,
	       uint32_t spi, tw_time_t now)
{
	struct ike_action acts[IKE_ACTIONS_MAX];

	ig.cnt.unknown_spi++;
	if (ike_glue_silent() || ig.stopping)
		return;
	ike_glue_run(ike_invalid_spi(ig.e, src, spi, now, acts,
				     IKE_ACTIONS_MAX), acts, now);
}
