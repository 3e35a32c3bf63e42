/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The IKE glue's Child SAs: both SAs of a negotiated child into the SA
 * database and the fast path, the crypto map entry's outbound SA kept
 * current, and their removal (SPD first); initiate = "start" policies
 * kept up when their Child SAs go.
 */
#include <stdio.h>
#include <string.h>

#include "ike_glue_priv.h"
#include "net_ip.h"
#include "tw_log.h"

/* A range as the prefix that covers it (IKE narrowing keeps prefixes). */
static void
ts_prefix(const struct ike_ts *t, uint32_t *addr, uint8_t *len)
{
	uint32_t diff = t->addr4_lo ^ t->addr4_hi;
	uint8_t l = 32;

	while (diff != 0) {
		diff >>= 1;
		l--;
	}
	*len = l;
	*addr = t->addr4_lo & net_prefix_mask(l);
}

/* The same for an IPv6 range: the common prefix of its ends. */
static void
ts_prefix6(const struct ike_ts *t, uint8_t addr[16], uint8_t *len)
{
	unsigned int i, l = 0;
	uint8_t diff, m;

	memset(addr, 0, 16);
	for (i = 0; i < 16; i++) {
		diff = t->addr6_lo[i] ^ t->addr6_hi[i];
		if (diff == 0) {
			addr[i] = t->addr6_lo[i];
			l += 8;
			continue;
		}
		m = 0xff;
		while (diff != 0) {
			diff >>= 1;
			m = (uint8_t)(m << 1);
		}
		addr[i] = t->addr6_lo[i] & m;
		while (m & 0x80) {
			l++;
			m = (uint8_t)(m << 1);
		}
		break;
	}
	*len = (uint8_t)l;
}

static void
sel_from_ts(const struct ike_ts *src, const struct ike_ts *dst,
	    struct sadb_selector *s)
{
	memset(s, 0, sizeof(*s));
	if (src->type == IKE_TS_IPV6_ADDR_RANGE) {
		s->family = TW_AF_INET6;
		ts_prefix6(src, s->src6, &s->src_len);
		ts_prefix6(dst, s->dst6, &s->dst_len);
	} else {
		ts_prefix(src, &s->src_addr, &s->src_len);
		ts_prefix(dst, &s->dst_addr, &s->dst_len);
	}
	s->proto = src->proto != 0 ? src->proto : dst->proto;
	s->sport_lo = src->port_lo;
	s->sport_hi = src->port_hi;
	s->dport_lo = dst->port_lo;
	s->dport_hi = dst->port_hi;
	if (s->sport_lo > s->sport_hi) { /* OPAQUE: any */
		s->sport_lo = 0;
		s->sport_hi = 65535;
	}
	if (s->dport_lo > s->dport_hi) {
		s->dport_lo = 0;
		s->dport_hi = 65535;
	}
}

static void
sa_params(const struct ike_child *c, bool in, struct sadb_sa_params *p)
{
	const struct ike_policy *pol = &ig.cfg.policies[c->policy];
	/* The exchange's initiator sends with the i2r keys. */
	bool i2r = in != c->initiator;
	unsigned int i, j;

	memset(p, 0, sizeof(*p));
	p->spi = in ? c->spi_in : c->spi_out;
	p->dir = in ? SADB_DIR_IN : SADB_DIR_OUT;
	p->origin = SADB_ORIGIN_IKE;
	p->cipher = c->cipher;
	p->integ = c->integ;
	p->cipher_key_len = c->keys.encr_len;
	memcpy(p->cipher_key, i2r ? c->keys.encr_i2r : c->keys.encr_r2i,
	       c->keys.encr_len);
	p->auth_key_len = c->keys.integ_len;
	memcpy(p->auth_key, i2r ? c->keys.integ_i2r : c->keys.integ_r2i,
	       c->keys.integ_len);
	sadb_sa_set_endpoints(p, &c->local_addr, &c->peer_addr);
	p->udp_encap = c->udp_encap;
	p->udp_local_port = c->local_port;
	p->udp_peer_port = c->peer_port;
	p->replay_window = c->replay_window;
	p->esn = c->esn;
	/* The crypto map's sync intervals, as for manual SAs. */
	p->replay_interval = in ? 1000 : 100000;
	for (i = 0; i < ig.ctl->conf->n_crypto_maps; i++) {
		const struct conf_crypto_map *m = &ig.ctl->conf->crypto_maps[i];

		if (strcmp(m->name, pol->map) == 0)
			p->replay_interval = in ? m->replay_interval_in :
				m->replay_interval_out;
	}
	snprintf(p->map, sizeof(p->map), "%s", pol->map);
	p->map_seq = pol->seq;
	/* Every selector of an SA is of one inner family (sadb.h): that of
	 * the first local one; a mixed list's other pairs are left out
	 * (IKE narrowing pairs each selector with ours of its type, so a
	 * pair of two families never comes). */
	p->inner_family = c->n_local > 0 &&
		c->ts_local[0].type == IKE_TS_IPV6_ADDR_RANGE ?
		TW_AF_INET6 : TW_AF_INET;
	for (i = 0; i < c->n_local; i++) {
		for (j = 0; j < c->n_remote; j++) {
			if (p->n_sel == SADB_MAX_SELECTORS)
				break;
			if (c->ts_local[i].type != c->ts_remote[j].type ||
			    (c->ts_local[i].type == IKE_TS_IPV6_ADDR_RANGE) !=
			    (p->inner_family == TW_AF_INET6))
				continue;
			/* Inbound: what the peer's inner packets carry. */
			if (in)
				sel_from_ts(&c->ts_remote[j], &c->ts_local[i],
					    &p->sel[p->n_sel++]);
			else
				sel_from_ts(&c->ts_local[i], &c->ts_remote[j],
					    &p->sel[p->n_sel++]);
		}
	}
}

static int
sa_install(const struct ike_child *c, bool in, tw_time_t now)
{
	struct sadb_sa_params p;
	struct sadb_sa *sa;
	char why[256];
	int rc;

	sa_params(c, in, &p);
	rc = sadb_sa_add(ig.ctl->sadb, &p, now, &sa, why, sizeof(why));
	explicit_bzero(&p, sizeof(p));
	if (rc < 0) {
		ig.cnt.sadb_errors++;
		tw_log(TW_LOG_ERR, "ike", "SA %08x %s: %s", in ? c->spi_in :
		       c->spi_out, in ? "in" : "out", why);
		return rc;
	}
	/* (The redundancy layer watches the SA database: the twin hears
	 * of it as of a manual SA, ports and selectors included.) */
	rc = sadb_sa_set_state(ig.ctl->sadb, sa, SADB_SA_INSTALLED,
			       "negotiated by IKE");
	if (rc < 0) {
		ig.cnt.sadb_errors++;
		sadb_sa_del(ig.ctl->sadb, sa, "fast path refused it");
		return rc;
	}
	return 0;
}

/* "lo-hi" of a selector of either family ("-": none). */
static void
ts_str(const struct ike_ts *t, char *buf, size_t len)
{
	char lo[TW_ADDR_STRLEN], hi[TW_ADDR_STRLEN];
	struct tw_addr a, b;

	if (t == NULL) {
		snprintf(buf, len, "-");
		return;
	}
	if (t->type == IKE_TS_IPV6_ADDR_RANGE) {
		a.family = b.family = TW_AF_INET6;
		memcpy(a.v6, t->addr6_lo, 16);
		memcpy(b.v6, t->addr6_hi, 16);
	} else {
		a = tw_addr_v4(t->addr4_lo);
		b = tw_addr_v4(t->addr4_hi);
	}
	snprintf(buf, len, "%s-%s", tw_addr_str(&a, lo, sizeof(lo)),
		 tw_addr_str(&b, hi, sizeof(hi)));
}

void
ike_glue_child_up(const struct ike_child *c, tw_time_t now)
{
	const struct ike_sa *isa;
	char tl[2 * TW_ADDR_STRLEN + 2], tr[2 * TW_ADDR_STRLEN + 2];
	char pa[TW_ADDR_STRLEN];

	if (sa_install(c, true, now) < 0)
		return;
	if (sa_install(c, false, now) < 0) {
		struct sadb_sa *in = sadb_sa_lookup(ig.ctl->sadb, SADB_DIR_IN,
						    c->spi_in, 0);

		if (in != NULL)
			sadb_sa_del(ig.ctl->sadb, in, "outbound SA failed");
		return;
	}
	/*
	 * A rekey the peer initiated: the peer installs its inbound SA only
	 * when our response arrives, so keep sending on the old SA until it
	 * is deleted (ike_glue_child_down() then moves to the newest). The
	 * same for a Child SA the peer made on an IKE SA set up at the same
	 * time as another one (isa->dup_seen): one of the two goes soon.
	 */
	isa = ike_engine_sa(ig.e, c->sa_id);
	/* Ours beside one that carries the traffic: the peer may use it
	 * at once (ike_glue_spd_now()). */
	if (c->initiator && c->replaces == 0 &&
	    ig.pol[c->policy].out[ike_glue_child_af(c)].spi != 0)
		ig.commit_now = true;
	if (c->initiator ||
	    ig.pol[c->policy].out[ike_glue_child_af(c)].spi == 0 ||
	    (c->replaces == 0 && (isa == NULL || !isa->dup_seen)))
		ike_glue_pol_out(c->policy, ike_glue_child_af(c), c->spi_out,
				 &c->peer_addr);
	ts_str(c->n_local ? &c->ts_local[0] : NULL, tl, sizeof(tl));
	ts_str(c->n_remote ? &c->ts_remote[0] : NULL, tr, sizeof(tr));
	tw_log(TW_LOG_NOTICE, "ike",
	       "crypto map %s seq %u: Child SA up, in %08x out %08x, %s%s, peer %s, selectors %s <-> %s%s",
	       ig.cfg.policies[c->policy].map, ig.cfg.policies[c->policy].seq,
	       c->spi_in, c->spi_out, conf_cipher_name(c->cipher),
	       c->udp_encap ? ", UDP-encapsulated" : "",
	       tw_addr_str(&c->peer_addr, pa, sizeof(pa)), tl, tr,
	       c->n_local > 1 || c->n_remote > 1 ? " (and more)" : "");
	/* The new inbound SA reaches the fast path with the next commit:
	 * the messages after it wait for it (ike_glue_held.c). */
	ike_glue_spd_later(now, true);
}

struct out_pick {
	uint32_t spi;
	struct tw_addr peer;
	tw_time_t t;
};

/* For each inner family without a pick yet, the newest Child SA of policy
 * p that can carry its traffic (its outbound SA is in the SADB), not the
 * one of SPI gone, nor one of IKE SA skip (0: none), nor, unless
 * deleting, one of an IKE SA our DELETE is on its way for. */
static void
out_pick(unsigned int p, uint32_t gone, uint32_t skip, bool deleting,
	 struct out_pick *best)
{
	const struct ike_sa *sa = NULL;
	bool fresh[INSTALL_INNER_N];
	unsigned int i, f;

	for (f = 0; f < INSTALL_INNER_N; f++)
		fresh[f] = best[f].spi == 0;
	while ((sa = ike_engine_policy_sa_next(ig.e, p, sa)) != NULL) {
		if (sa->id == skip ||
		    (!deleting && sa->state == IKE_SA_DELETING))
			continue;
		for (i = 0; i < IKE_CHILD_MAX; i++) {
			const struct ike_child *c = &sa->child[i];

			f = ike_glue_child_af(c);
			if (fresh[f] && c->state != IKE_CHILD_NONE &&
			    c->spi_out != gone && c->created >= best[f].t &&
			    sadb_sa_find_out_addr(ig.ctl->sadb, c->spi_out,
						  &c->peer_addr) != NULL) {
				best[f].t = c->created;
				best[f].spi = c->spi_out;
				best[f].peer = c->peer_addr;
			}
		}
	}
}

static void
out_pick_init(struct out_pick *best)
{
	unsigned int f;

	memset(best, 0, sizeof(*best) * INSTALL_INNER_N);
	for (f = 0; f < INSTALL_INNER_N; f++)
		best[f].peer.family = TW_AF_NONE;
}

/* The policy's outbound SA of each inner family becomes the newest other
 * one, once spi goes (none: 0): one of an IKE SA we are not deleting if
 * there is one. */
void
ike_glue_other_out(unsigned int p, uint32_t gone)
{
	struct out_pick best[INSTALL_INNER_N];
	unsigned int f;

	out_pick_init(best);
	out_pick(p, gone, 0, false, best);
	out_pick(p, gone, 0, true, best);
	for (f = 0; f < INSTALL_INNER_N; f++)
		ike_glue_pol_out(p, f, best[f].spi, &best[f].peer);
}

/*
 * Our DELETE of IKE SA sa_id leaves (IKE_ACT_IKE_DELETING): the peer
 * drops its Child SAs when it reads it. Where the policy sends on one of
 * them and a Child SA of another IKE SA carries the same inner family,
 * the policy sends on that one from now on (a duplicate of a
 * simultaneous set-up, a clear of one of two). The inbound SAs stay
 * until CHILD_DOWN: the peer sends on them until it reads the DELETE.
 */
void
ike_glue_ike_deleting(uint32_t sa_id)
{
	const struct ike_sa *isa = ike_engine_sa(ig.e, sa_id);
	struct out_pick best[INSTALL_INNER_N];
	unsigned int f, p, i;
	bool mine;

	if (isa == NULL || isa->policy >= ig.cfg.n_policies)
		return;
	p = isa->policy;
	out_pick_init(best);
	out_pick(p, 0, sa_id, false, best);
	for (f = 0; f < INSTALL_INNER_N; f++) {
		mine = false;
		for (i = 0; i < IKE_CHILD_MAX; i++)
			mine |= isa->child[i].state != IKE_CHILD_NONE &&
				isa->child[i].spi_out == ig.pol[p].out[f].spi;
		if (!mine || ig.pol[p].out[f].spi == 0 || best[f].spi == 0)
			continue;
		tw_log(TW_LOG_INFO, "ike",
		       "crypto map %s seq %u: IKE SA %u being deleted: sending on out %08x",
		       ig.cfg.policies[p].map, ig.cfg.policies[p].seq, sa_id,
		       best[f].spi);
		ike_glue_pol_out(p, f, best[f].spi, &best[f].peer);
	}
}

/* ike_initiate() for policy p at the latest at at (restart_fire). */
void
ike_glue_restart_schedule(unsigned int p, tw_time_t at)
{
	if (ig.pol[p].restart_at == TW_TIME_NEVER || ig.pol[p].restart_at > at)
		ig.pol[p].restart_at = at;
	if (!tw_deadline_armed(&ig.restart_dl) || ig.restart_dl.when > at)
		tw_heap_arm(&ig.ctl->heap, &ig.restart_dl, at);
}

/*
 * An always-on policy (initiate = "start") whose Child SAs clear crypto
 * sa deleted: once the last is gone and its IKE SA stays up without one,
 * a new Child SA on it (ike_initiate: CREATE_CHILD_SA), as IOS does. Not
 * more often than every IKE_GLUE_RESTART_DELAY, so a peer that deletes or
 * refuses it cannot make a loop of it.
 */
static void
child_renew(unsigned int p, tw_time_t now)
{
	struct glue_policy *gp = &ig.pol[p];
	const struct ike_sa *up;
	tw_time_t at;

	if (!gp->renew || ig.cfg.policies[p].initiate != IKE_INITIATE_START)
		return;
	up = ike_sa_of_policy(ig.e, p);
	if (up == NULL || ike_sa_n_children(up) > 0)
		return;
	gp->renew = false;
	at = now;
	if (gp->renew_last != 0 && gp->renew_last + IKE_GLUE_RESTART_DELAY > at)
		at = gp->renew_last + IKE_GLUE_RESTART_DELAY;
	gp->renew_last = at;
	tw_log(TW_LOG_NOTICE, "ike",
	       "crypto map %s seq %u: IKE SA %u has no Child SA left, a new one in %llu ms",
	       ig.cfg.policies[p].map, ig.cfg.policies[p].seq, up->id,
	       (unsigned long long)((at - now) / TW_MSEC(1)));
	ike_glue_restart_schedule(p, at);
}

void
ike_glue_child_down(uint32_t sa_id, uint32_t spi_in, uint32_t spi_out,
		    const struct tw_addr *peer, tw_time_t now)
{
	const struct ike_sa *isa = ike_engine_sa(ig.e, sa_id);
	struct sadb_sa *sa;
	bool moved = false, later = false;
	unsigned int p;

	if (isa != NULL && isa->policy < ig.cfg.n_policies) {
		p = isa->policy;
		moved = ig.pol[p].out[INSTALL_INNER_V4].spi == spi_out ||
			ig.pol[p].out[INSTALL_INNER_V6].spi == spi_out;
		if (moved)
			ike_glue_other_out(p, spi_out);
	}
	/* The SPD let go of it at once (ike_glue_pol_out()) if it was the
	 * policy's: freed after the next commit. If the SPD may still send
	 * on it (that move failed), it goes with the next full refresh, as
	 * soon as the pacing allows: the peer deleted it, so what is sent
	 * on it is lost. */
	if (isa != NULL && isa->policy < ig.cfg.n_policies &&
	    ike_glue_spd_uses(isa->policy, spi_out)) {
		later = ike_glue_out_gone_later(spi_out, peer, true, now);
		if (!later)
			ike_glue_spd_refresh();
	}
	sa = later ? NULL :
		sadb_sa_find_out_addr(ig.ctl->sadb, spi_out, peer);
	if (sa != NULL)
		sadb_sa_del(ig.ctl->sadb, sa, "deleted by IKE");
	sa = sadb_sa_lookup(ig.ctl->sadb, SADB_DIR_IN, spi_in, 0);
	if (sa != NULL)
		sadb_sa_del(ig.ctl->sadb, sa, "deleted by IKE");
	ctl_commit_later(ig.ctl);
	tw_log(TW_LOG_NOTICE, "ike", "Child SA in %08x out %08x removed%s",
	       spi_in, spi_out, later ? " (outbound SA with the next SPD refresh)" : "");
	/* initiate = "start" keeps the tunnel up: an IKE SA left without a
	 * Child SA (deleted alone, e.g. past its hard lifetime after a
	 * refused rekey) is looked at once this engine call is over. */
	if (isa != NULL && isa->policy < ig.cfg.n_policies &&
	    ig.cfg.policies[isa->policy].initiate == IKE_INITIATE_START) {
		if (ig.pol[isa->policy].renew) {
			/* clear crypto sa: a new Child SA on the IKE SA */
			child_renew(isa->policy, now);
		} else {
			ig.pol[isa->policy].orphan_check = true;
			tw_heap_arm(&ig.ctl->heap, &ig.restart_dl, ctl_now());
		}
	}
}

/*
 * An ESTABLISHED IKE SA of an initiate = "start" policy without any Child
 * SA carries no traffic (its Child SA went alone, e.g. past its hard
 * lifetime after a refused rekey): delete it, which restarts the tunnel
 * IKE_GLUE_RESTART_DELAY later (ike_glue_sa_down()), with a fresh
 * IKE_AUTH that needs no PFS agreement. (After clear crypto sa,
 * child_renew() asks for a new Child SA on the IKE SA instead.)
 */
void
ike_glue_orphans(unsigned int p, tw_time_t now)
{
	struct ike_action acts[IKE_ACTIONS_MAX];
	const struct ike_sa *sa = NULL;
	uint32_t ids[8];
	unsigned int n = 0, i;

	while ((sa = ike_engine_policy_sa_next(ig.e, p, sa)) != NULL && n < 8)
		if (sa->state == IKE_SA_ESTABLISHED && !sa->passive &&
		    ike_sa_n_children(sa) == 0)
			ids[n++] = sa->id;
	for (i = 0; i < n; i++) {
		tw_log(TW_LOG_NOTICE, "ike",
		       "IKE SA %u has no Child SA left: deleting it to start again",
		       ids[i]);
		ike_glue_run(ike_delete(ig.e, ids[i], now, acts,
					IKE_ACTIONS_MAX), acts, now);
	}
}
