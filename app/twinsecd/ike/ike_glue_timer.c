/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The IKE glue's deadlines: each IKE SA's (into the engine), the restart
 * of initiate = "start" policies, and the volume lifetimes fed from the
 * fast path's byte counters.
 */
#include <string.h>

#include "ike_glue_priv.h"
#include "net_ip.h"
#include "tw_log.h"
#include "tw_compiler.h"

#define BYTES_PERIOD TW_SEC(1)  /* fast-path bytes -> kB lifetimes */

void
ike_glue_timer_fire(void *arg, tw_time_t now)
{
	struct glue_timer *t = arg;
	struct ike_action acts[IKE_ACTIONS_MAX];

	if (ike_glue_silent())
		return;
	ike_glue_run(ike_timer(ig.e, t->sa_id, now, acts, IKE_ACTIONS_MAX),
		     acts, now);
}

void
ike_glue_restart_fire(void *arg TW_UNUSED, tw_time_t now)
{
	struct ike_action acts[IKE_ACTIONS_MAX];
	tw_time_t next = TW_TIME_NEVER;
	unsigned int i;
	int n;

	if (ike_glue_silent() || ig.stopping)
		return;  /* a takeover starts them */
	for (i = 0; i < ig.cfg.n_policies; i++) {
		struct glue_policy *gp = &ig.pol[i];

		if (gp->orphan_check) {
			gp->orphan_check = false;
			ike_glue_orphans(i, now);
		}
		if (gp->restart_at == TW_TIME_NEVER)
			continue;
		if (gp->restart_at > now) {
			if (gp->restart_at < next)
				next = gp->restart_at;
			continue;
		}
		gp->restart_at = TW_TIME_NEVER;
		n = ike_initiate(ig.e, i, now, acts, IKE_ACTIONS_MAX);
		/* After the peer's DELETE: our IKE_SA_INIT again every
		 * second while the peer is not back (window). */
		if (now < gp->peer_back_until) {
			if (n == 0)
				n = ike_initiate_again(ig.e, i, now, acts,
						       IKE_ACTIONS_MAX);
			if (ike_sa_of_policy(ig.e, i) == NULL)
				gp->restart_at = now +
					IKE_GLUE_RESTART_PEER_DELAY;
			else
				gp->peer_back_until = 0;
			if (gp->restart_at < next)
				next = gp->restart_at;
		}
		ike_glue_run(n, acts, now);
	}
	if (next != TW_TIME_NEVER)
		tw_heap_arm(&ig.ctl->heap, &ig.restart_dl, next);
}

/* Inner bytes the fast path counted for a child: the busier of its two
 * SAs (a volume lifetime applies to each SA of the pair). */
static uint64_t
child_dp_bytes(const struct ike_child *c)
{
	struct sadb_sa_stats st;
	const struct sadb_sa *sa;
	uint64_t b = 0;

	sa = sadb_sa_lookup(ig.ctl->sadb, SADB_DIR_IN, c->spi_in, 0);
	if (sa != NULL && sadb_sa_stats(ig.ctl->sadb, sa, &st) == 0)
		b = st.bytes;
	sa = sadb_sa_find_out_addr(ig.ctl->sadb, c->spi_out, &c->peer_addr);
	if (sa != NULL && sadb_sa_stats(ig.ctl->sadb, sa, &st) == 0 &&
	    st.bytes > b)
		b = st.bytes;
	return b;
}

/*
 * RFC 7296 2.8 volume lifetimes: the engine only knows the bytes it is
 * told, so every BYTES_PERIOD the fast path's counters of each child with
 * a kB limit are reported (soft: rekey, hard: delete). After "clear crypto
 * sa counters" the counters restart below what was reported; only what
 * goes past it again counts.
 */
void
ike_glue_bytes_fire(void *arg TW_UNUSED, tw_time_t now)
{
	struct ike_action acts[IKE_ACTIONS_MAX];
	const struct ike_sa *sa = NULL;
	unsigned int n = 0, i, max = ig.cfg.max_sas * IKE_CHILD_MAX;

	if (ike_glue_silent()) {
		tw_heap_arm(&ig.ctl->heap, &ig.bytes_dl, now + BYTES_PERIOD);
		return;
	}
	/* Collect first: a report may rekey, delete and free SAs. */
	while ((sa = ike_engine_sa_next(ig.e, sa)) != NULL) {
		if (sa->state != IKE_SA_ESTABLISHED)
			continue;
		for (i = 0; i < IKE_CHILD_MAX && n < max; i++) {
			const struct ike_child *c = &sa->child[i];
			uint64_t b;

			if (c->state == IKE_CHILD_NONE ||
			    (c->soft_bytes == 0 && c->hard_bytes == 0))
				continue;
			b = child_dp_bytes(c);
			if (b <= c->bytes)
				continue;
			ig.rep[n].spi_in = c->spi_in;
			ig.rep[n++].delta = b - c->bytes;
		}
	}
	for (i = 0; i < n; i++)
		ike_glue_run(ike_child_bytes(ig.e, ig.rep[i].spi_in,
					     ig.rep[i].delta, now, acts,
					     IKE_ACTIONS_MAX), acts, now);
	tw_heap_arm(&ig.ctl->heap, &ig.bytes_dl, now + BYTES_PERIOD);
}

void
ike_glue_sa_down(uint32_t sa_id, const char *reason, tw_time_t now)
{
	const struct ike_sa *sa = ike_engine_sa(ig.e, sa_id);
	char a[TW_ADDR_STRLEN];

	if (sa == NULL || sa->policy >= ig.cfg.n_policies)
		return;
	tw_log(TW_LOG_NOTICE, "ike", "IKE SA %u with %s down: %s",
	       sa_id, tw_addr_str(&sa->peer_addr, a, sizeof(a)), reason);
	/* An IKE SA replaced by its rekey is not a tunnel going down. */
	if (ig.cfg.policies[sa->policy].initiate != IKE_INITIATE_START ||
	    sa->rekeyed_to != 0)
		return;
	/* The IKE SA restart brings the Child SA too. */
	ig.pol[sa->policy].renew = false;
	/* The peer deleted it: likely a clean stop or restart of the peer,
	 * back in a second or two; try sooner (RESTART_PEER_DELAY). */
	if (strcmp(reason, IKE_REASON_PEER_DELETE) == 0) {
		struct glue_policy *gp = &ig.pol[sa->policy];

		if (gp->peer_delete_last == 0 ||
		    now - gp->peer_delete_last >= IKE_GLUE_RESTART_DELAY) {
			gp->peer_delete_last = now;
			gp->peer_back_until = now + IKE_GLUE_PEER_BACK_WINDOW;
			ike_glue_restart_schedule(sa->policy,
						  now + IKE_GLUE_RESTART_PEER_DELAY);
			return;
		}
	}
	ike_glue_restart_schedule(sa->policy, now + IKE_GLUE_RESTART_DELAY);
}
