/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The IKE glue: events into lib/ike, its actions out as I/O, SA database
 * records and SPD changes (see ike_glue.h for the map).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_mbuf.h>

#include <openssl/crypto.h>

#include "hsrp_glue.h"
#include "ike_export.h"
#include "ike_glue.h"
#include "ike_sa.h"
#include "install.h"
#include "net_arp.h"
#include "tw_bytes.h"
#include "net_ip.h"
#include "ha.h"
#include "dp_sadb.h"
#include "tw_idx.h"
#include "tw_log.h"

#define IP4_FMT "%u.%u.%u.%u"
#define IP4_ARGS(a) (a) >> 24, ((a) >> 16) & 0xff, ((a) >> 8) & 0xff, \
	(a) & 0xff

#define IKE_TTL 64
#define NON_ESP_MARKER 4        /* RFC 3948 2.2 */
#define RESTART_DELAY TW_SEC(5) /* initiate = "start": after a failure */
#define BYTES_PERIOD TW_SEC(1)  /* fast-path bytes -> kB lifetimes */
/* New Child SAs reach the SPD together, at most this late: rebuilding it
 * (every crypto map entry) per child made setting up N tunnels cost N^2. */
#define SPD_BATCH TW_MSEC(10)
/* An SPD refresh (install + publish: the ACL is rebuilt, ~0.1 s with
 * 10 000 entries) takes at most 1 / SPD_SHARE of the control lcore, so
 * IKE keeps the rest; never more than SPD_BATCH_MAX apart. */
#define SPD_SHARE 4
#define SPD_BATCH_MAX TW_SEC(1)

struct glue_timer {
	struct tw_deadline dl;
	uint32_t sa_id;
};

/* Bytes a child carried since the last report (ike_child_bytes). */
struct glue_bytes {
	uint32_t spi_in;
	uint64_t delta;
};

/* What the twin was last sent of an IKE SA (per id). */
struct glue_mirror {
	uint64_t sig;
	uint64_t spi_i, spi_r;
	bool synced;
	bool stale;                  /* standby: not in this bulk sync */
};

/* An outbound SA: its SPI is the peer's choice, so (SPI, peer). */
struct out_ref {
	uint32_t spi;
	uint32_t peer;
};

struct glue_policy {
	uint32_t spi_out;            /* newest outbound SA, 0: none */
	uint32_t out_peer;           /* ... and its peer */
	uint32_t spd_spi;            /* the one the last SPD refresh used */
	tw_time_t restart_at;
	/* initiate = "start": clear crypto sa took its Child SAs, a new
	 * one when the last is gone (at most one per RESTART_DELAY). */
	bool renew;
	tw_time_t renew_last;
	bool standby_logged;         /* an ACQUIRE ignored as standby: said */
	bool orphan_check;           /* a Child SA went: any IKE SA left bare? */
};

static struct {
	struct ctl *ctl;
	struct ike_config cfg;
	struct ike_engine *e;
	struct glue_timer *timers;   /* per IKE SA id - 1 */
	struct glue_policy *pol;
	struct tw_deadline restart_dl;
	struct tw_deadline bytes_dl;  /* armed when a policy has kB limits */
	struct glue_bytes *rep;       /* max_sas * IKE_CHILD_MAX */
	struct tw_idx pol_idx;        /* policies by (map, seq) */
	struct tw_deadline spd_dl;    /* batched SPD refresh */
	struct glue_mirror *mir;      /* per IKE SA id - 1 */
	bool ha;                      /* a redundancy section */
	uint32_t input_sa;            /* the SA of the packet being handled */
	uint8_t rec[IKE_SA_REC_MAX];
	struct ike_sa_rec in_rec;
	tw_time_t spd_next;          /* no batched refresh before */
	struct out_ref *out_gone;    /* outbound SAs deleted after the */
	unsigned int n_gone, cap_gone; /* next refresh (SPD lets go first) */
	bool deadlines;              /* initialised: fini cancels them */
	uint16_t ip_id;
	struct ike_glue_counters cnt;
} IG;

static void run(int n, struct ike_action *acts, tw_time_t now);

/* With redundancy only the active twin speaks IKE (and not before the
 * redundancy facility has decided it is the active one). */
static bool
silent(void)
{
	return IG.ha && (!ha_enabled() || ha_standby());
}

/* ---- output ---- */

/* Connected subnet first, then the longest static route. */
static int
next_hop(const struct conf *c, uint32_t dst, uint16_t *port, uint32_t *nh)
{
	const struct conf_route *best = NULL;
	unsigned int i;

	for (i = 0; i < c->n_ifaces; i++) {
		uint32_t m = net_prefix_mask(c->ifaces[i].prefix_len);

		if ((c->ifaces[i].addr & m) == (dst & m)) {
			*port = (uint16_t)i;
			*nh = dst;
			return 0;
		}
	}
	for (i = 0; i < c->n_routes; i++) {
		const struct conf_route *r = &c->routes[i];

		if ((dst & net_prefix_mask(r->dst.len)) == r->dst.addr &&
		    (best == NULL || r->dst.len > best->dst.len))
			best = r;
	}
	if (best == NULL)
		return -ENOENT;
	for (i = 0; i < c->n_ifaces; i++) {
		if (strcmp(c->ifaces[i].name, best->iface) == 0) {
			*port = (uint16_t)i;
			*nh = best->gateway != 0 ? best->gateway : dst;
			return 0;
		}
	}
	return -ENOENT;
}

static void
send_udp(uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport,
	 const uint8_t *data, size_t len, bool marker, tw_time_t now)
{
	size_t plen = len + (marker ? NON_ESP_MARKER : 0);
	size_t tot = NET_IPV4_HLEN + NET_UDP_HLEN + plen;
	struct net_ipv4 ip = {
		.id = IG.ip_id++,
		.ttl = IKE_TTL,
		.src = src,
		.dst = dst,
	};
	struct rte_mbuf *m;
	uint32_t nh;
	uint16_t port;
	uint8_t *p;

	if (next_hop(IG.ctl->conf, dst, &port, &nh) < 0) {
		IG.cnt.no_route++;
		tw_log(TW_LOG_DEBUG, "ike", "no route to " IP4_FMT,
		       IP4_ARGS(dst));
		return;
	}
	m = rte_pktmbuf_alloc(dp_pktmbuf_pool());
	if (m == NULL) {
		IG.cnt.tx_errors++;
		return;
	}
	p = (uint8_t *)rte_pktmbuf_append(m, (uint16_t)tot);
	if (p == NULL) {
		rte_pktmbuf_free(m);
		IG.cnt.tx_errors++;
		return;
	}
	memset(p + NET_IPV4_HLEN + NET_UDP_HLEN, 0, NON_ESP_MARKER);
	memcpy(p + NET_IPV4_HLEN + NET_UDP_HLEN + (marker ? NON_ESP_MARKER : 0),
	       data, len);
	if (net_udp4_write(p, tot, &ip, sport, dport, plen) < 0) {
		rte_pktmbuf_free(m);
		IG.cnt.tx_errors++;
		return;
	}
	m->l2_len = 0;
	m->l3_len = NET_IPV4_HLEN;
	arp_output(&IG.ctl->arp, port, nh, m, now);
}

/* ---- Child SAs into the SA database and the fast path ---- */

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

static void
sel_from_ts(const struct ike_ts *src, const struct ike_ts *dst,
	    struct sadb_selector *s)
{
	memset(s, 0, sizeof(*s));
	ts_prefix(src, &s->src_addr, &s->src_len);
	ts_prefix(dst, &s->dst_addr, &s->dst_len);
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
	const struct ike_policy *pol = &IG.cfg.policies[c->policy];
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
	p->local_addr = c->local_addr;
	p->peer_addr = c->peer_addr;
	p->udp_encap = c->udp_encap;
	p->udp_local_port = c->local_port;
	p->udp_peer_port = c->peer_port;
	p->replay_window = c->replay_window;
	p->esn = c->esn;
	/* The crypto map's sync intervals, as for manual SAs. */
	p->replay_interval = in ? 1000 : 100000;
	for (i = 0; i < IG.ctl->conf->n_crypto_maps; i++) {
		const struct conf_crypto_map *m = &IG.ctl->conf->crypto_maps[i];

		if (strcmp(m->name, pol->map) == 0)
			p->replay_interval = in ? m->replay_interval_in :
				m->replay_interval_out;
	}
	snprintf(p->map, sizeof(p->map), "%s", pol->map);
	p->map_seq = pol->seq;
	for (i = 0; i < c->n_local; i++) {
		for (j = 0; j < c->n_remote; j++) {
			if (p->n_sel == SADB_MAX_SELECTORS)
				break;
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

/*
 * Install the SPD, delete the outbound SAs it no longer references, and
 * publish at once: the cost (the ACL build is most of it) paces the next
 * batched refresh.
 */
static void
spd_refresh(void)
{
	tw_time_t t0 = ctl_now(), cost;
	struct sadb_sa *sa;
	char err[256];
	unsigned int i;

	tw_heap_cancel(&IG.ctl->heap, &IG.spd_dl);
	if (install_spd(IG.ctl, false, err, sizeof(err)) < 0)
		tw_log(TW_LOG_ERR, "ike", "SPD: %s", err);
	for (i = 0; i < IG.n_gone; i++) {
		sa = sadb_sa_find_out(IG.ctl->sadb, IG.out_gone[i].spi,
				      IG.out_gone[i].peer);
		if (sa != NULL) {
			ha_sa_deleting(sa);
			sadb_sa_del(IG.ctl->sadb, sa, "deleted by IKE");
		}
	}
	IG.n_gone = 0;
	ctl_commit_now(IG.ctl);
	cost = ctl_now() - t0;
	IG.cnt.spd_refreshes++;
	IG.spd_next = t0 + cost + (cost * (SPD_SHARE - 1) < SPD_BATCH_MAX ?
				   cost * (SPD_SHARE - 1) : SPD_BATCH_MAX);
}

static void
spd_fire(void *arg, tw_time_t now)
{
	(void)arg;
	(void)now;
	spd_refresh();
}

/* A new SA for the SPD: refreshed with whatever else comes within
 * SPD_BATCH; soon: as soon as the pacing allows (the SA the SPD sends on
 * is gone at the peer: every packet on it until then is lost). (One going
 * away is refreshed at once: the SPD must let go of it before it is
 * deleted.) */
static void
spd_refresh_later(tw_time_t now, bool soon)
{
	tw_time_t at = soon ? now : now + SPD_BATCH;

	if (at < IG.spd_next)
		at = IG.spd_next;
	if (!tw_deadline_armed(&IG.spd_dl) || IG.spd_dl.when > at)
		tw_heap_arm(&IG.ctl->heap, &IG.spd_dl, at);
}

/* spi_out leaves the SADB with the next refresh (the SPD may still
 * point at it); false: no room, delete it now after a refresh. */
static bool
out_gone_later(uint32_t spi_out, uint32_t peer, bool soon, tw_time_t now)
{
	struct out_ref *n;

	if (IG.n_gone == IG.cap_gone) {
		n = realloc(IG.out_gone, (IG.cap_gone * 2 + 64) *
			    sizeof(IG.out_gone[0]));
		if (n == NULL)
			return false;
		IG.out_gone = n;
		IG.cap_gone = IG.cap_gone * 2 + 64;
	}
	IG.out_gone[IG.n_gone++] = (struct out_ref){
		.spi = spi_out, .peer = peer,
	};
	spd_refresh_later(now, soon);
	return true;
}

static uint64_t
pol_key(const char *map, uint32_t seq)
{
	uint64_t h = UINT64_C(14695981039346656037);

	while (*map != '\0')
		h = (h ^ (uint8_t)*map++) * UINT64_C(1099511628211);
	return h ^ ((uint64_t)seq << 32 | seq);
}

static int
sa_install(const struct ike_child *c, bool in, tw_time_t now)
{
	struct sadb_sa_params p;
	struct sadb_sa *sa;
	char why[256];
	int rc;

	sa_params(c, in, &p);
	rc = sadb_sa_add(IG.ctl->sadb, &p, now, &sa, why, sizeof(why));
	explicit_bzero(&p, sizeof(p));
	if (rc < 0) {
		IG.cnt.sadb_errors++;
		tw_log(TW_LOG_ERR, "ike", "SA %08x %s: %s", in ? c->spi_in :
		       c->spi_out, in ? "in" : "out", why);
		return rc;
	}
	rc = sadb_sa_set_state(IG.ctl->sadb, sa, SADB_SA_INSTALLED,
			       "negotiated by IKE");
	if (rc < 0) {
		IG.cnt.sadb_errors++;
		sadb_sa_del(IG.ctl->sadb, sa, "fast path refused it");
		return rc;
	}
	/* SA_ADD to the twin, like a manual SA (ports, selectors incl.) */
	ha_sa_installed(sa);
	return 0;
}

static void
child_up(const struct ike_child *c, tw_time_t now)
{
	if (sa_install(c, true, now) < 0)
		return;
	if (sa_install(c, false, now) < 0) {
		struct sadb_sa *in = sadb_sa_lookup(IG.ctl->sadb, SADB_DIR_IN,
						    c->spi_in, 0);

		if (in != NULL) {
			ha_sa_deleting(in);
			sadb_sa_del(IG.ctl->sadb, in, "outbound SA failed");
		}
		return;
	}
	/*
	 * A rekey the peer initiated: the peer installs its inbound SA only
	 * when our response arrives, so keep sending on the old SA until it
	 * is deleted (child_down() then moves to the newest).
	 */
	if (c->replaces == 0 || c->initiator ||
	    IG.pol[c->policy].spi_out == 0) {
		IG.pol[c->policy].spi_out = c->spi_out;
		IG.pol[c->policy].out_peer = c->peer_addr;
	}
	tw_log(TW_LOG_NOTICE, "ike",
	       "crypto map %s seq %u: Child SA up, in %08x out %08x, %s%s, peer " IP4_FMT
	       ", selectors " IP4_FMT "-" IP4_FMT " <-> " IP4_FMT "-" IP4_FMT "%s",
	       IG.cfg.policies[c->policy].map, IG.cfg.policies[c->policy].seq,
	       c->spi_in, c->spi_out, conf_cipher_name(c->cipher),
	       c->udp_encap ? ", UDP-encapsulated" : "",
	       IP4_ARGS(c->peer_addr),
	       IP4_ARGS(c->n_local ? c->ts_local[0].addr4_lo : 0),
	       IP4_ARGS(c->n_local ? c->ts_local[0].addr4_hi : 0),
	       IP4_ARGS(c->n_remote ? c->ts_remote[0].addr4_lo : 0),
	       IP4_ARGS(c->n_remote ? c->ts_remote[0].addr4_hi : 0),
	       c->n_local > 1 || c->n_remote > 1 ? " (and more)" : "");
	spd_refresh_later(now, false);
}

/* The policy's outbound SA becomes the newest other one, once spi goes
 * (none: 0). */
static void
other_out(unsigned int p, uint32_t gone)
{
	const struct ike_sa *sa = NULL;
	struct glue_policy *gp = &IG.pol[p];
	tw_time_t t = 0;
	unsigned int i;

	gp->spi_out = 0;
	gp->out_peer = 0;
	while ((sa = ike_engine_policy_sa_next(IG.e, p, sa)) != NULL) {
		for (i = 0; i < IKE_CHILD_MAX; i++) {
			const struct ike_child *c = &sa->child[i];

			if (c->state != IKE_CHILD_NONE && c->spi_out != gone &&
			    c->created >= t &&
			    sadb_sa_find_out(IG.ctl->sadb, c->spi_out,
					     c->peer_addr) != NULL) {
				t = c->created;
				gp->spi_out = c->spi_out;
				gp->out_peer = c->peer_addr;
			}
		}
	}
}

/* ike_initiate() for policy p at the latest at at (restart_fire). */
static void
restart_schedule(unsigned int p, tw_time_t at)
{
	if (IG.pol[p].restart_at == TW_TIME_NEVER || IG.pol[p].restart_at > at)
		IG.pol[p].restart_at = at;
	if (!tw_deadline_armed(&IG.restart_dl) || IG.restart_dl.when > at)
		tw_heap_arm(&IG.ctl->heap, &IG.restart_dl, at);
}

/*
 * An always-on policy (initiate = "start") whose Child SAs clear crypto
 * sa deleted: once the last is gone and its IKE SA stays up without one,
 * a new Child SA on it (ike_initiate: CREATE_CHILD_SA), as IOS does. Not
 * more often than every RESTART_DELAY, so a peer that deletes or refuses
 * it cannot make a loop of it.
 */
static void
child_renew(unsigned int p, tw_time_t now)
{
	struct glue_policy *gp = &IG.pol[p];
	const struct ike_sa *up;
	tw_time_t at;

	if (!gp->renew || IG.cfg.policies[p].initiate != IKE_INITIATE_START)
		return;
	up = ike_sa_of_policy(IG.e, p);
	if (up == NULL || ike_sa_n_children(up) > 0)
		return;
	gp->renew = false;
	at = now;
	if (gp->renew_last != 0 && gp->renew_last + RESTART_DELAY > at)
		at = gp->renew_last + RESTART_DELAY;
	gp->renew_last = at;
	tw_log(TW_LOG_NOTICE, "ike",
	       "crypto map %s seq %u: IKE SA %u has no Child SA left, a new one in %llu ms",
	       IG.cfg.policies[p].map, IG.cfg.policies[p].seq, up->id,
	       (unsigned long long)((at - now) / TW_MSEC(1)));
	restart_schedule(p, at);
}

static void
child_down(uint32_t sa_id, uint32_t spi_in, uint32_t spi_out, uint32_t peer,
	   tw_time_t now)
{
	const struct ike_sa *isa = ike_engine_sa(IG.e, sa_id);
	struct sadb_sa *sa;
	bool moved = false, later = false;
	unsigned int p;

	if (isa != NULL && isa->policy < IG.cfg.n_policies) {
		p = isa->policy;
		moved = IG.pol[p].spi_out == spi_out;
		if (moved)
			other_out(p, spi_out);
	}
	/* The SPD lets go of it before it is deleted: if it was the
	 * policy's, or is still what the last refresh put in the SPD (a
	 * batched one for its successor may be pending). A refresh per
	 * removal rebuilt the SPD for every rekey (10 000 rekeys: 10 000
	 * ACL builds); the outbound SA now leaves with the next batched
	 * refresh (it may carry traffic until then), the inbound at once.
	 * If it was the policy's, the refresh comes as soon as the pacing
	 * allows: the peer deleted it, so what is sent on it is lost. */
	if (moved || (isa != NULL && isa->policy < IG.cfg.n_policies &&
		      IG.pol[isa->policy].spd_spi == spi_out)) {
		later = out_gone_later(spi_out, peer, moved, now);
		if (!later)
			spd_refresh();
	}
	sa = later ? NULL :
		sadb_sa_find_out(IG.ctl->sadb, spi_out, peer);
	if (sa != NULL) {
		ha_sa_deleting(sa);
		sadb_sa_del(IG.ctl->sadb, sa, "deleted by IKE");
	}
	sa = sadb_sa_lookup(IG.ctl->sadb, SADB_DIR_IN, spi_in, 0);
	if (sa != NULL) {
		ha_sa_deleting(sa);
		sadb_sa_del(IG.ctl->sadb, sa, "deleted by IKE");
	}
	ctl_commit_later(IG.ctl);
	tw_log(TW_LOG_NOTICE, "ike", "Child SA in %08x out %08x removed%s",
	       spi_in, spi_out, later ? " (outbound SA with the next SPD refresh)" : "");
	/* initiate = "start" keeps the tunnel up: an IKE SA left without a
	 * Child SA (deleted alone, e.g. past its hard lifetime after a
	 * refused rekey) is looked at once this engine call is over. */
	if (isa != NULL && isa->policy < IG.cfg.n_policies &&
	    IG.cfg.policies[isa->policy].initiate == IKE_INITIATE_START) {
		if (IG.pol[isa->policy].renew) {
			/* clear crypto sa: a new Child SA on the IKE SA */
			child_renew(isa->policy, now);
		} else {
			IG.pol[isa->policy].orphan_check = true;
			tw_heap_arm(&IG.ctl->heap, &IG.restart_dl, ctl_now());
		}
	}
}

/*
 * An ESTABLISHED IKE SA of an initiate = "start" policy without any Child
 * SA carries no traffic (its Child SA went alone, e.g. past its hard
 * lifetime after a refused rekey): delete it, which restarts the tunnel
 * RESTART_DELAY later (sa_down()), with a fresh IKE_AUTH that needs no
 * PFS agreement. (After clear crypto sa, child_renew() asks for a new
 * Child SA on the IKE SA instead.)
 */
static void
orphans(unsigned int p, tw_time_t now)
{
	struct ike_action acts[IKE_ACTIONS_MAX];
	const struct ike_sa *sa = NULL;
	uint32_t ids[8];
	unsigned int n = 0, i;

	while ((sa = ike_engine_policy_sa_next(IG.e, p, sa)) != NULL && n < 8)
		if (sa->state == IKE_SA_ESTABLISHED && !sa->passive &&
		    ike_sa_n_children(sa) == 0)
			ids[n++] = sa->id;
	for (i = 0; i < n; i++) {
		tw_log(TW_LOG_NOTICE, "ike",
		       "IKE SA %u has no Child SA left: deleting it to start again",
		       ids[i]);
		run(ike_delete(IG.e, ids[i], now, acts, IKE_ACTIONS_MAX), acts,
		    now);
	}
}

/* ---- actions ---- */

static void
timer_fire(void *arg, tw_time_t now)
{
	struct glue_timer *t = arg;
	struct ike_action acts[IKE_ACTIONS_MAX];

	if (silent())
		return;
	run(ike_timer(IG.e, t->sa_id, now, acts, IKE_ACTIONS_MAX), acts, now);
}

static void
restart_fire(void *arg, tw_time_t now)
{
	struct ike_action acts[IKE_ACTIONS_MAX];
	tw_time_t next = TW_TIME_NEVER;
	unsigned int i;

	(void)arg;
	if (silent())
		return;  /* a takeover starts them */
	for (i = 0; i < IG.cfg.n_policies; i++) {
		struct glue_policy *gp = &IG.pol[i];

		if (gp->orphan_check) {
			gp->orphan_check = false;
			orphans(i, now);
		}
		if (gp->restart_at == TW_TIME_NEVER)
			continue;
		if (gp->restart_at > now) {
			if (gp->restart_at < next)
				next = gp->restart_at;
			continue;
		}
		gp->restart_at = TW_TIME_NEVER;
		run(ike_initiate(IG.e, i, now, acts, IKE_ACTIONS_MAX), acts, now);
	}
	if (next != TW_TIME_NEVER)
		tw_heap_arm(&IG.ctl->heap, &IG.restart_dl, next);
}

/* Inner bytes the fast path counted for a child: the busier of its two
 * SAs (a volume lifetime applies to each SA of the pair). */
static uint64_t
child_dp_bytes(const struct ike_child *c)
{
	struct sadb_sa_stats st;
	const struct sadb_sa *sa;
	uint64_t b = 0;

	sa = sadb_sa_lookup(IG.ctl->sadb, SADB_DIR_IN, c->spi_in, 0);
	if (sa != NULL && sadb_sa_stats(IG.ctl->sadb, sa, &st) == 0)
		b = st.bytes;
	sa = sadb_sa_find_out(IG.ctl->sadb, c->spi_out, c->peer_addr);
	if (sa != NULL && sadb_sa_stats(IG.ctl->sadb, sa, &st) == 0 &&
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
static void
bytes_fire(void *arg, tw_time_t now)
{
	struct ike_action acts[IKE_ACTIONS_MAX];
	const struct ike_sa *sa = NULL;
	unsigned int n = 0, i, max = IG.cfg.max_sas * IKE_CHILD_MAX;

	(void)arg;
	if (silent()) {
		tw_heap_arm(&IG.ctl->heap, &IG.bytes_dl, now + BYTES_PERIOD);
		return;
	}
	/* Collect first: a report may rekey, delete and free SAs. */
	while ((sa = ike_engine_sa_next(IG.e, sa)) != NULL) {
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
			IG.rep[n].spi_in = c->spi_in;
			IG.rep[n++].delta = b - c->bytes;
		}
	}
	for (i = 0; i < n; i++)
		run(ike_child_bytes(IG.e, IG.rep[i].spi_in, IG.rep[i].delta,
				    now, acts, IKE_ACTIONS_MAX), acts, now);
	tw_heap_arm(&IG.ctl->heap, &IG.bytes_dl, now + BYTES_PERIOD);
}

static void
sa_down(uint32_t sa_id, const char *reason, tw_time_t now)
{
	const struct ike_sa *sa = ike_engine_sa(IG.e, sa_id);

	if (sa == NULL || sa->policy >= IG.cfg.n_policies)
		return;
	tw_log(TW_LOG_NOTICE, "ike", "IKE SA %u with " IP4_FMT " down: %s",
	       sa_id, IP4_ARGS(sa->peer_addr), reason);
	/* An IKE SA replaced by its rekey is not a tunnel going down. */
	if (IG.cfg.policies[sa->policy].initiate != IKE_INITIATE_START ||
	    sa->rekeyed_to != 0)
		return;
	/* The IKE SA restart brings the Child SA too. */
	IG.pol[sa->policy].renew = false;
	restart_schedule(sa->policy, now + RESTART_DELAY);
}

/* ---- the twin's copy (ike_export.h) ---- */

static void
mirror_gone(struct glue_mirror *m)
{
	if (m->synced) {
		ha_ike_deleted(m->spi_i, m->spi_r);
		IG.cnt.sync_deleted++;
	}
	memset(m, 0, sizeof(*m));
}

/* Send the SA's record if anything the twin needs changed (and its
 * rekeyed successor's), or its deletion. */
static void
mirror_sa(uint32_t id, tw_time_t now)
{
	const struct ike_sa *sa = ike_engine_sa(IG.e, id);
	struct glue_mirror *m;
	uint64_t sig;
	int len;

	if (sa == NULL || sa->passive || id > IG.cfg.max_sas)
		return;
	m = &IG.mir[id - 1];
	if (m->synced && (m->spi_i != sa->spi_i || m->spi_r != sa->spi_r))
		mirror_gone(m);  /* the slot holds another SA now */
	if (sa->state == IKE_SA_DEAD || !ike_sa_mirrorable(sa)) {
		mirror_gone(m);
		return;
	}
	sig = ike_sa_sync_sig(sa);
	if (!m->synced || sig != m->sig) {
		len = ike_sa_rec_encode(IG.e, sa, now, IG.rec, sizeof(IG.rec));
		if (len > 0) {
			ha_ike_sa(IG.rec, (size_t)len);
			explicit_bzero(IG.rec, (size_t)len);
			m->sig = sig;
			m->spi_i = sa->spi_i;
			m->spi_r = sa->spi_r;
			m->synced = true;
			IG.cnt.synced++;
		}
	}
	if (sa->rekeyed_to != 0 && sa->rekeyed_to != id)
		mirror_sa(sa->rekeyed_to, now);
}

static void
run(int n, struct ike_action *acts, tw_time_t now)
{
	struct tw_heap *heap = &IG.ctl->heap;
	int i;

	if (n < 0) {
		tw_log(TW_LOG_ERR, "ike", "engine call refused: %s",
		       strerror(-n));
		return;
	}
	/* The twin learns the new state before the peer sees a message. */
	if (IG.ha) {
		if (IG.input_sa != 0)
			mirror_sa(IG.input_sa, now);
		for (i = 0; i < n; i++)
			mirror_sa(acts[i].sa_id, now);
	}
	for (i = 0; i < n; i++) {
		const struct ike_action *a = &acts[i];
		struct glue_timer *t = &IG.timers[a->sa_id > 0 ?
						   a->sa_id - 1 : 0];

		switch (a->type) {
		case IKE_ACT_SEND:
			send_udp(a->u.send.src, a->u.send.dst, a->u.send.sport,
				 a->u.send.dport, a->u.send.data, a->u.send.len,
				 !a->u.send.keepalive &&
				 (a->u.send.sport == IKE_NATT_PORT ||
				  a->u.send.dport == IKE_NATT_PORT), now);
			break;
		case IKE_ACT_ARM:
			t->sa_id = a->sa_id;
			tw_heap_arm(heap, &t->dl, a->u.at);
			break;
		case IKE_ACT_CANCEL:
			tw_heap_cancel(heap, &t->dl);
			break;
		case IKE_ACT_CHILD_UP:
			child_up(a->u.child.c, now);
			break;
		case IKE_ACT_CHILD_DOWN:
			child_down(a->sa_id, a->u.child.spi_in,
				   a->u.child.spi_out, a->u.child.peer, now);
			break;
		case IKE_ACT_IKE_UP:
			tw_log(TW_LOG_NOTICE, "ike", "IKE SA %u up: %s",
			       a->sa_id, a->u.reason);
			break;
		case IKE_ACT_IKE_DOWN:
			sa_down(a->sa_id, a->u.reason, now);
			break;
		}
	}
}

/*
 * An ACQUIRE from the fast path: traffic for policy id - 1 and no SA.
 * ike_initiate() does nothing while an IKE SA of the policy is being set
 * up or carries a Child SA, so repeated ACQUIREs (one per worker and per
 * interval) are harmless.
 */
static void
acquire(struct ctl *ctl, void *arg, uint32_t id, tw_time_t now)
{
	struct ike_action acts[IKE_ACTIONS_MAX];
	const struct ike_policy *p;
	const struct ike_sa *up;
	struct glue_policy *gp;
	uint32_t up_id;
	int n;

	(void)ctl;
	(void)arg;
	IG.cnt.acquires++;
	if (id == 0 || id > IG.cfg.n_policies ||
	    IG.cfg.policies[id - 1].initiate != IKE_INITIATE_TRAFFIC) {
		IG.cnt.acquire_unknown++;
		return;
	}
	p = &IG.cfg.policies[id - 1];
	gp = &IG.pol[id - 1];
	/* The standby twin does not own the endpoint: the active one talks. */
	if (silent()) {
		IG.cnt.acquire_standby++;
		if (!gp->standby_logged)
			tw_log(TW_LOG_INFO, "ike",
			       "crypto map %s seq %u: traffic without an SA, not initiating IKE: not the active twin",
			       p->map, p->seq);
		gp->standby_logged = true;
		return;
	}
	gp->standby_logged = false;
	/* Its IKE SA up without a Child SA (clear crypto sa): a new
	 * Child SA on it (CREATE_CHILD_SA), not a new IKE SA. */
	up = ike_sa_of_policy(IG.e, id - 1);
	up_id = up != NULL ? up->id : 0;
	n = ike_initiate(IG.e, id - 1, now, acts, IKE_ACTIONS_MAX);
	if (n == 0) {
		IG.cnt.acquire_pending++;
		return;
	}
	if (n > 0) {
		IG.cnt.acquire_initiated++;
		if (up_id != 0)
			tw_log(TW_LOG_NOTICE, "ike",
			       "crypto map %s seq %u: traffic without an SA, initiating a Child SA on IKE SA %u with " IP4_FMT,
			       p->map, p->seq, up_id, IP4_ARGS(p->peer_addr));
		else
			tw_log(TW_LOG_NOTICE, "ike",
			       "crypto map %s seq %u: traffic without an SA, initiating IKE with " IP4_FMT,
			       p->map, p->seq, IP4_ARGS(p->peer_addr));
	}
	run(n, acts, now);
}

/* ---- input ---- */

static void
udp_input(struct ctl *ctl, void *arg, uint16_t port, struct rte_mbuf *m,
	  const struct net_ipv4 *ip, const struct net_udp *udp, tw_time_t now)
{
	const uint8_t *p = rte_pktmbuf_mtod(m, const uint8_t *) +
		NET_ETH_HLEN + ip->hlen + NET_UDP_HLEN;
	struct ike_action acts[IKE_ACTIONS_MAX];
	size_t len = udp->len;
	struct ike_pkt pkt = {
		.src = ip->src,
		.dst = ip->dst,
		.sport = udp->sport,
		.dport = udp->dport,
	};

	(void)ctl;
	(void)arg;
	(void)port;
	if (silent()) {
		IG.cnt.standby_drops++;
		goto out;
	}
	if (udp->dport == IKE_NATT_PORT) {
		/* RFC 3948 2.3: a NAT keepalive is one 0xff byte. */
		if (len == 1 && p[0] == 0xff) {
			IG.cnt.keepalives_rx++;
			goto out;
		}
		if (len < NON_ESP_MARKER || p[0] | p[1] | p[2] | p[3])
			goto out;
		p += NON_ESP_MARKER;
		len -= NON_ESP_MARKER;
	}
	pkt.data = p;
	pkt.len = len;
	/* The SA the message is for (responses to it may emit nothing). */
	IG.input_sa = 0;
	if (IG.ha && len >= 16) {
		uint64_t spi_i = (uint64_t)tw_get32(p) << 32 | tw_get32(p + 4);
		uint64_t spi_r = (uint64_t)tw_get32(p + 8) << 32 |
			tw_get32(p + 12);
		const struct ike_sa *sa = ike_engine_sa_by_spi(IG.e, spi_i,
							       spi_r);

		if (sa != NULL)
			IG.input_sa = sa->id;
	}
	run(ike_input(IG.e, &pkt, now, acts, IKE_ACTIONS_MAX), acts, now);
	IG.input_sa = 0;
out:
	rte_pktmbuf_free(m);
}

/* ---- set-up ---- */

/* The tunnel endpoint of a crypto map: install.c's rule. */
static uint32_t
map_local(void *arg, const struct conf_crypto_map *m)
{
	const struct conf *c = arg;
	uint32_t local;
	unsigned int i;

	for (i = 0; i < c->n_ifaces; i++) {
		if (strcmp(c->ifaces[i].crypto_map, m->name) != 0)
			continue;
		local = hsrp_glue_endpoint(c, (uint16_t)i);
		return local != 0 ? local : c->ifaces[i].addr;
	}
	return 0;
}

int
ike_glue_init(struct ctl *ctl, char *err, size_t errlen)
{
	struct ike_rng rng = { ike_rng_openssl, NULL };
	struct ike_action acts[IKE_ACTIONS_MAX];
	tw_time_t now = ctl_now();
	bool traffic = false;
	unsigned int i;
	int rc;

	memset(&IG, 0, sizeof(IG));
	IG.ctl = ctl;
	rc = ike_policy_from_conf(ctl->conf, map_local, ctl->conf, &IG.cfg,
				  err, errlen);
	if (rc < 0)
		return rc;
	if (IG.cfg.n_policies == 0)
		return 0;
	IG.e = ike_engine_create(&IG.cfg, ike_crypto_openssl(), &rng);
	IG.timers = calloc(IG.cfg.max_sas, sizeof(IG.timers[0]));
	IG.pol = calloc(IG.cfg.n_policies, sizeof(IG.pol[0]));
	IG.rep = calloc((size_t)IG.cfg.max_sas * IKE_CHILD_MAX,
			sizeof(IG.rep[0]));
	IG.mir = calloc(IG.cfg.max_sas, sizeof(IG.mir[0]));
	IG.ha = ctl->conf->redundancy.enabled;
	if (IG.e == NULL || IG.timers == NULL || IG.pol == NULL ||
	    IG.rep == NULL || IG.mir == NULL) {
		snprintf(err, errlen, "cannot create the IKE engine");
		ike_glue_fini();
		return -ENOMEM;
	}
	for (i = 0; i < IG.cfg.max_sas; i++)
		tw_deadline_init(&IG.timers[i].dl, timer_fire, &IG.timers[i]);
	tw_deadline_init(&IG.restart_dl, restart_fire, NULL);
	tw_deadline_init(&IG.bytes_dl, bytes_fire, NULL);
	tw_deadline_init(&IG.spd_dl, spd_fire, NULL);
	IG.deadlines = true;
	if (tw_idx_init(&IG.pol_idx, IG.cfg.n_policies, 0) < 0) {
		snprintf(err, errlen, "cannot create the IKE engine");
		ike_glue_fini();
		return -ENOMEM;
	}
	for (i = 0; i < IG.cfg.n_policies; i++)
		tw_idx_set(&IG.pol_idx, i, pol_key(IG.cfg.policies[i].map,
						   IG.cfg.policies[i].seq));
	if (ctl_udp_register(ctl, IKE_UDP_PORT, udp_input, NULL) < 0 ||
	    ctl_udp_register(ctl, IKE_NATT_PORT, udp_input, NULL) < 0) {
		snprintf(err, errlen, "cannot register UDP 500/4500");
		ike_glue_fini();
		return -EBUSY;
	}
	ctl->acquire_fn = acquire;
	ctl->acquire_arg = NULL;
	for (i = 0; i < IG.cfg.n_policies; i++) {
		const struct ike_policy *p = &IG.cfg.policies[i];

		IG.pol[i].restart_at = TW_TIME_NEVER;
		tw_log(TW_LOG_INFO, "ike",
		       "crypto map %s seq %u: peer " IP4_FMT " from " IP4_FMT ", %u IKE proposal(s), initiate %s",
		       p->map, p->seq, IP4_ARGS(p->peer_addr),
		       IP4_ARGS(p->local_addr), p->n_ike_props,
		       p->initiate == IKE_INITIATE_START ? "start" :
		       p->initiate == IKE_INITIATE_RESPONDER ? "responder" :
		       "traffic");
		/* A twin starts them when it takes over. */
		if (p->initiate == IKE_INITIATE_START && !IG.ha)
			run(ike_initiate(IG.e, i, now, acts, IKE_ACTIONS_MAX),
			    acts, now);
		if (p->child_life_kb != 0 && !tw_deadline_armed(&IG.bytes_dl))
			tw_heap_arm(&ctl->heap, &IG.bytes_dl, now + BYTES_PERIOD);
		if (p->initiate == IKE_INITIATE_TRAFFIC)
			traffic = true;
	}
	/*
	 * install_config() built the SPD before the engine existed: again,
	 * with the acquire ids of the initiate-on-traffic policies.
	 */
	if (traffic)
		spd_refresh();
	return 0;
}

void
ike_glue_fini(void)
{
	unsigned int i;

	if (IG.ctl != NULL && IG.ctl->acquire_fn == acquire)
		IG.ctl->acquire_fn = NULL;
	/* Deadlines exist only once init got that far. */
	if (IG.deadlines) {
		for (i = 0; i < IG.cfg.max_sas; i++)
			tw_heap_cancel(&IG.ctl->heap, &IG.timers[i].dl);
		tw_heap_cancel(&IG.ctl->heap, &IG.restart_dl);
		tw_heap_cancel(&IG.ctl->heap, &IG.bytes_dl);
		tw_heap_cancel(&IG.ctl->heap, &IG.spd_dl);
	}
	tw_idx_fini(&IG.pol_idx);
	ike_engine_destroy(IG.e);
	free(IG.timers);
	free(IG.pol);
	free(IG.rep);
	free(IG.mir);
	OPENSSL_cleanse(&IG.in_rec, sizeof(IG.in_rec));
	free(IG.out_gone);
	ike_policy_free(&IG.cfg);
	memset(&IG, 0, sizeof(IG));
}

struct dp_sa *
ike_glue_out_sa(const char *map, uint32_t seq)
{
	const struct sadb_sa *sa;
	uint32_t i;

	/* Once per crypto map entry for each SPD refresh: a hash. */
	if (IG.e == NULL)
		return NULL;
	for (i = tw_idx_first(&IG.pol_idx, pol_key(map, seq)); i != TW_IDX_NONE;
	     i = tw_idx_next(&IG.pol_idx, i)) {
		if (IG.cfg.policies[i].seq != seq ||
		    strcmp(IG.cfg.policies[i].map, map) != 0)
			continue;
		IG.pol[i].spd_spi = IG.pol[i].spi_out;
		if (IG.pol[i].spi_out == 0)
			return NULL;
		sa = sadb_sa_find_out(IG.ctl->sadb, IG.pol[i].spi_out,
				      IG.pol[i].out_peer);
		return sa != NULL ? dp_sadb_sa(sa) : NULL;
	}
	return NULL;
}

uint32_t
ike_glue_acquire_id(const char *map, uint32_t seq)
{
	unsigned int i;

	for (i = 0; IG.e != NULL && i < IG.cfg.n_policies; i++)
		if (IG.cfg.policies[i].seq == seq &&
		    strcmp(IG.cfg.policies[i].map, map) == 0)
			return IG.cfg.policies[i].initiate ==
				IKE_INITIATE_TRAFFIC ? i + 1 : 0;
	return 0;
}

const struct ike_engine *
ike_glue_engine(void)
{
	return IG.e;
}

const struct ike_glue_counters *
ike_glue_counters(void)
{
	return &IG.cnt;
}

/* ---- console ---- */

/* IOS's words for the negotiated IKE transforms. */
static void
alg_names(const struct ike_sa *sa, struct cli_ike_sa *v)
{
	const struct ike_sa_algs *a = &sa->algs;

	switch (a->encr) {
	case IKE_ENCR_AES_GCM_8:
	case IKE_ENCR_AES_GCM_12:
	case IKE_ENCR_AES_GCM_16:
		snprintf(v->encr, sizeof(v->encr), "AES-GCM");
		break;
	case IKE_ENCR_AES_CBC:
		snprintf(v->encr, sizeof(v->encr), "AES-CBC");
		break;
	default:
		snprintf(v->encr, sizeof(v->encr), "Unknown - %u", a->encr);
		break;
	}
	v->keysize = a->encr_bits;
	switch (a->prf) {
	case IKE_PRF_HMAC_SHA1:
		snprintf(v->prf, sizeof(v->prf), "SHA1");
		break;
	case IKE_PRF_HMAC_SHA2_256:
		snprintf(v->prf, sizeof(v->prf), "SHA256");
		break;
	case IKE_PRF_HMAC_SHA2_384:
		snprintf(v->prf, sizeof(v->prf), "SHA384");
		break;
	case IKE_PRF_HMAC_SHA2_512:
		snprintf(v->prf, sizeof(v->prf), "SHA512");
		break;
	default:
		snprintf(v->prf, sizeof(v->prf), "Unknown - %u", a->prf);
		break;
	}
	switch (a->integ) {
	case IKE_INTEG_HMAC_SHA1_96:
		snprintf(v->hash, sizeof(v->hash), "SHA96");
		break;
	case IKE_INTEG_HMAC_SHA2_256_128:
		snprintf(v->hash, sizeof(v->hash), "SHA256");
		break;
	case IKE_INTEG_HMAC_SHA2_384_192:
		snprintf(v->hash, sizeof(v->hash), "SHA384");
		break;
	case IKE_INTEG_HMAC_SHA2_512_256:
		snprintf(v->hash, sizeof(v->hash), "SHA512");
		break;
	default:
		snprintf(v->hash, sizeof(v->hash), "None");
		break;
	}
	v->dh_group = a->dh;
}

static const char *
ios_status(const struct ike_sa *sa, const char **desc)
{
	switch (sa->state) {
	case IKE_SA_ESTABLISHED:
		*desc = "Negotiation done";
		return "READY";
	case IKE_SA_REKEYED:
		*desc = "Rekeyed, waiting for DELETE";
		return "READY";
	case IKE_SA_DELETING:
	case IKE_SA_DEAD:
		*desc = "Deleting";
		return "DELETE";
	default:
		*desc = "Negotiation in progress";
		return "IN-NEG";
	}
}

static uint64_t
secs_until(tw_time_t t, tw_time_t now)
{
	if (t == TW_TIME_NEVER || t <= now)
		return 0;
	return (uint64_t)((t - now) / TW_SEC(1));
}

static void
child_copy(const struct ike_child *c, tw_time_t now, struct cli_ike_child *o)
{
	o->spi_in = c->spi_in;
	o->spi_out = c->spi_out;
	snprintf(o->state, sizeof(o->state), "%s",
		 ike_child_state_name(c->state));
	snprintf(o->encr, sizeof(o->encr), "%s",
		 conf_cipher_is_aead(c->cipher) ? "AES-GCM" : "AES-CBC");
	/* The key without the GCM salt (RFC 4106 8.1). */
	o->keysize = (conf_cipher_key_len(c->cipher) -
		      conf_cipher_salt_len(c->cipher)) * 8;
	snprintf(o->integ, sizeof(o->integ), "%s",
		 c->integ == CONF_INTEG_SHA1_96 ? "SHA96" :
		 c->integ == CONF_INTEG_SHA256_128 ? "SHA256" : "None");
	if (c->n_local > 0 && c->n_remote > 0) {
		o->local_lo = c->ts_local[0].addr4_lo;
		o->local_hi = c->ts_local[0].addr4_hi;
		o->lport_lo = c->ts_local[0].port_lo;
		o->lport_hi = c->ts_local[0].port_hi;
		o->remote_lo = c->ts_remote[0].addr4_lo;
		o->remote_hi = c->ts_remote[0].addr4_hi;
		o->rport_lo = c->ts_remote[0].port_lo;
		o->rport_hi = c->ts_remote[0].port_hi;
		o->proto = c->ts_local[0].proto;
	}
	o->remaining_s = secs_until(c->hard_at, now);
	o->kb_limit = c->hard_bytes != 0;
	o->remaining_kb = c->hard_bytes > c->bytes ?
		(c->hard_bytes - c->bytes) / 1024 : 0;
}

static void
sa_copy(const struct ike_sa *sa, tw_time_t now, struct cli_ike_sa *v)
{
	const struct conf *cf = IG.ctl->conf;
	const char *desc;
	unsigned int i;
	char id[IKE_ID_MAX * 2];

	v->dst = sa->initiator ? sa->peer_addr : sa->local_addr;
	v->src = sa->initiator ? sa->local_addr : sa->peer_addr;
	snprintf(v->state, sizeof(v->state), "%s",
		 ike_sa_ios_state(sa->state));
	v->conn_id = sa->id;
	v->standby = sa->passive;
	v->local = sa->local_addr;
	v->remote = sa->peer_addr;
	v->local_port = sa->local_port;
	v->remote_port = sa->peer_port;
	snprintf(v->status, sizeof(v->status), "%s", ios_status(sa, &desc));
	snprintf(v->status_desc, sizeof(v->status_desc), "%s", desc);
	v->established = sa->state == IKE_SA_ESTABLISHED ||
		sa->state == IKE_SA_REKEYED;
	v->initiator = sa->initiator;
	alg_names(sa, v);
	snprintf(v->auth, sizeof(v->auth), "%s",
		 v->established ? "PSK" : "Unknown - 0");
	v->lifetime_s = IG.cfg.ike_life_s;
	v->active_s = v->established && now > sa->established ?
		(uint64_t)((now - sa->established) / TW_SEC(1)) : 0;
	v->remaining_s = secs_until(sa->expire_at, now);
	v->dpd_s = IG.cfg.dpd_interval_s;
	v->dpd_retries = IG.cfg.dpd_retries;
	v->nat_local = sa->nat_local;
	v->nat_remote = sa->nat_peer;
	v->spi_local = sa->initiator ? sa->spi_i : sa->spi_r;
	v->spi_remote = sa->initiator ? sa->spi_r : sa->spi_i;
	v->msgid_out = sa->msgid_out;
	v->msgid_in = sa->msgid_in;
	v->req_pending = sa->req != IKE_REQ_NONE;
	if (sa->policy < IG.cfg.n_policies) {
		const struct ike_policy *p = &IG.cfg.policies[sa->policy];

		snprintf(v->local_id, sizeof(v->local_id), "%s",
			 ike_id_str(&p->local_id, id, sizeof(id)));
		snprintf(v->map, sizeof(v->map), "%s", p->map);
		v->map_seq = p->seq;
		for (i = 0; i < cf->n_ifaces; i++)
			if (strcmp(cf->ifaces[i].crypto_map, p->map) == 0)
				break;
		snprintf(v->iface, sizeof(v->iface), "%s",
			 i < cf->n_ifaces ? cf->ifaces[i].name : "?");
	} else {
		snprintf(v->iface, sizeof(v->iface), "?");
	}
	if (sa->peer_id.len != 0)
		snprintf(v->remote_id, sizeof(v->remote_id), "%s",
			 ike_id_str(&sa->peer_id, id, sizeof(id)));
	v->n_children = ike_sa_n_children(sa);
	for (i = 0; i < IKE_CHILD_MAX && v->n_child < CLI_IKE_CHILD_MAX; i++)
		if (sa->child[i].state != IKE_CHILD_NONE)
			child_copy(&sa->child[i], now,
				   &v->child[v->n_child++]);
}

int
ike_glue_sas(struct cli_ike_table *out)
{
	const struct ike_sa *sa = NULL;
	unsigned int n = 0;

	out->v = NULL;
	out->n = 0;
	if (IG.e == NULL)
		return 0;
	while ((sa = ike_engine_sa_next(IG.e, sa)) != NULL)
		n++;
	if (n == 0)
		return 0;
	out->v = calloc(n, sizeof(out->v[0]));
	if (out->v == NULL)
		return -ENOMEM;
	while ((sa = ike_engine_sa_next(IG.e, sa)) != NULL && out->n < n)
		sa_copy(sa, ctl_now(), &out->v[out->n++]);
	return 0;
}

int
ike_glue_clear(uint32_t conn_id)
{
	struct ike_action acts[IKE_ACTIONS_MAX];
	const struct ike_sa *sa = NULL;
	tw_time_t now = ctl_now();
	uint32_t ids[256];
	unsigned int n = 0, i;

	if (IG.e == NULL || silent())
		return 0;  /* a standby's copies are the twin's to delete */
	while ((sa = ike_engine_sa_next(IG.e, sa)) != NULL && n < 256)
		if (conn_id == 0 || sa->id == conn_id)
			ids[n++] = sa->id;
	for (i = 0; i < n; i++)
		run(ike_delete(IG.e, ids[i], now, acts, IKE_ACTIONS_MAX), acts,
		    now);
	return (int)n;
}

/* ---- redundancy ---- */

int
ike_glue_export_next(uint32_t *cursor, uint8_t *buf, size_t cap)
{
	const struct ike_sa *sa;
	tw_time_t now = ctl_now();
	int len;

	if (IG.e == NULL)
		return 0;
	while (*cursor < IG.cfg.max_sas) {
		sa = ike_engine_sa(IG.e, ++*cursor);
		if (sa == NULL || sa->passive || !ike_sa_mirrorable(sa))
			continue;
		len = ike_sa_rec_encode(IG.e, sa, now, buf, cap);
		if (len > 0) {
			IG.mir[sa->id - 1].sig = ike_sa_sync_sig(sa);
			IG.mir[sa->id - 1].spi_i = sa->spi_i;
			IG.mir[sa->id - 1].spi_r = sa->spi_r;
			IG.mir[sa->id - 1].synced = true;
			return len;
		}
	}
	return 0;
}

int
ike_glue_import(const uint8_t *rec, size_t len, tw_time_t now)
{
	char err[160];
	uint32_t id;
	int rc;

	if (IG.e == NULL)
		return -ENOENT;
	rc = ike_sa_rec_decode(rec, len, now, &IG.in_rec, err, sizeof(err));
	if (rc == 0)
		rc = ike_sa_import(IG.e, &IG.in_rec, now, &id, err,
				   sizeof(err));
	OPENSSL_cleanse(&IG.in_rec, sizeof(IG.in_rec));
	if (rc < 0) {
		IG.cnt.import_errors++;
		tw_log(TW_LOG_WARNING, "ike",
		       "IKE SA record from the twin refused: %s", err);
		return rc;
	}
	IG.mir[id - 1].stale = false;
	IG.cnt.imported++;
	return 0;
}

void
ike_glue_import_delete(uint64_t spi_i, uint64_t spi_r)
{
	if (IG.e != NULL && ike_sa_import_delete(IG.e, spi_i, spi_r) == 0)
		tw_log(TW_LOG_INFO, "ike",
		       "IKE SA %016" PRIx64 "/%016" PRIx64 ": standby copy deleted by the twin",
		       spi_i, spi_r);
}

void
ike_glue_bulk_begin(void)
{
	const struct ike_sa *sa = NULL;

	if (IG.e == NULL)
		return;
	while ((sa = ike_engine_sa_next(IG.e, sa)) != NULL)
		IG.mir[sa->id - 1].stale = sa->passive;
}

static void
drop_passive(bool only_stale)
{
	const struct ike_sa *sa = NULL;
	uint64_t spis[2];

	if (IG.e == NULL)
		return;
	while ((sa = ike_engine_sa_next(IG.e, sa)) != NULL) {
		if (!sa->passive || (only_stale && !IG.mir[sa->id - 1].stale))
			continue;
		spis[0] = sa->spi_i;
		spis[1] = sa->spi_r;
		IG.mir[sa->id - 1].stale = false;
		(void)ike_sa_import_delete(IG.e, spis[0], spis[1]);
	}
}

void
ike_glue_bulk_commit(void)
{
	drop_passive(true);
}

void
ike_glue_drop_passive(void)
{
	drop_passive(false);
}

/* The newest installed IKE outbound SA of a crypto map entry in the SA
 * database (children the engine does not know: a twin without the IKE
 * SA's record). */
static void
sadb_newest_out(const struct ike_policy *pol, struct glue_policy *gp)
{
	const struct sadb_sa *sa;
	tw_time_t t = 0;

	for (sa = sadb_sa_next(IG.ctl->sadb, NULL); sa != NULL;
	     sa = sadb_sa_next(IG.ctl->sadb, sa)) {
		if (sa->p.dir != SADB_DIR_OUT || sa->p.origin != SADB_ORIGIN_IKE ||
		    sa->state != SADB_SA_INSTALLED || sa->p.map_seq != pol->seq ||
		    strcmp(sa->p.map, pol->map) != 0 || sa->created < t)
			continue;
		t = sa->created;
		gp->spi_out = sa->p.spi;
		gp->out_peer = sa->p.peer_addr;
	}
}

uint32_t
ike_glue_takeover(tw_time_t now)
{
	struct ike_action acts[IKE_ACTIONS_MAX];
	const struct ike_sa *sa = NULL;
	uint32_t ids[256], n = 0, i, total = 0;
	unsigned int p;

	if (IG.e == NULL)
		return 0;
	/* Activation may start exchanges (and free SAs): collect first. */
	do {
		n = 0;
		while ((sa = ike_engine_sa_next(IG.e, sa)) != NULL && n < 256)
			if (sa->passive)
				ids[n++] = sa->id;
		for (i = 0; i < n; i++)
			run(ike_sa_activate(IG.e, ids[i], now, acts,
					    IKE_ACTIONS_MAX), acts, now);
		total += n;
		sa = NULL;
	} while (n == 256);
	for (p = 0; p < IG.cfg.n_policies; p++) {
		other_out(p, 0);
		if (IG.pol[p].spi_out == 0)
			sadb_newest_out(&IG.cfg.policies[p], &IG.pol[p]);
		if (IG.cfg.policies[p].initiate == IKE_INITIATE_START &&
		    ike_sa_of_policy(IG.e, p) == NULL)
			run(ike_initiate(IG.e, p, now, acts, IKE_ACTIONS_MAX),
			    acts, now);
	}
	tw_log(TW_LOG_NOTICE, "ike", "takeover: %u IKE SA%s carried on", total,
	       total == 1 ? "" : "s");
	return total;
}

void
ike_glue_relinquish(tw_time_t now)
{
	struct ike_action acts[IKE_ACTIONS_MAX];
	const struct ike_sa *sa = NULL;

	if (IG.e == NULL)
		return;
	while ((sa = ike_engine_sa_next(IG.e, sa)) != NULL)
		if (!sa->passive)
			run(ike_sa_passivate(IG.e, sa->id, now, acts,
					     IKE_ACTIONS_MAX), acts, now);
	for (sa = NULL; (sa = ike_engine_sa_next(IG.e, sa)) != NULL;)
		memset(&IG.mir[sa->id - 1], 0, sizeof(IG.mir[0]));
}

void
ike_glue_sa_count(uint32_t *active, uint32_t *standby)
{
	const struct ike_sa *sa = NULL;

	*active = *standby = 0;
	if (IG.e == NULL)
		return;
	while ((sa = ike_engine_sa_next(IG.e, sa)) != NULL) {
		*standby += sa->passive;
		*active += !sa->passive;
	}
}

int
ike_glue_clear_children(uint32_t peer, const char *map)
{
	struct ike_action acts[IKE_ACTIONS_MAX];
	const struct ike_sa *sa = NULL;
	tw_time_t now = ctl_now();
	uint32_t *spis;
	unsigned int n = 0, i, max;
	int done = 0;

	/* A standby's copies are the active twin's to delete. */
	if (IG.e == NULL || silent())
		return 0;
	max = IG.cfg.max_sas * IKE_CHILD_MAX;
	spis = calloc(max, sizeof(spis[0]));
	if (spis == NULL)
		return -ENOMEM;
	/* Collect first: each delete may change the table. */
	while ((sa = ike_engine_sa_next(IG.e, sa)) != NULL) {
		const struct ike_policy *p;

		if (sa->passive || sa->policy >= IG.cfg.n_policies)
			continue;
		p = &IG.cfg.policies[sa->policy];
		if ((peer != 0 && sa->peer_addr != peer) ||
		    (map != NULL && strcmp(p->map, map) != 0))
			continue;
		/* Always on: a new Child SA once these are gone. */
		if (p->initiate == IKE_INITIATE_START)
			IG.pol[sa->policy].renew = true;
		for (i = 0; i < IKE_CHILD_MAX && n < max; i++)
			if (sa->child[i].state == IKE_CHILD_INSTALLED ||
			    sa->child[i].state == IKE_CHILD_REKEYED)
				spis[n++] = sa->child[i].spi_in;
	}
	for (i = 0; i < n; i++) {
		int rc = ike_delete_child(IG.e, spis[i], now, acts,
					  IKE_ACTIONS_MAX);

		if (rc < 0)
			continue; /* gone with an earlier one */
		done++;
		run(rc, acts, now);
	}
	free(spis);
	return done;
}
