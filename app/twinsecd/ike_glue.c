/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The IKE glue: events into lib/ike, its actions out as I/O, SA database
 * records and SPD changes (see ike_glue.h for the map).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_mbuf.h>

#include "hsrp_glue.h"
#include "ike_glue.h"
#include "ike_sa.h"
#include "install.h"
#include "net_arp.h"
#include "net_bytes.h"
#include "net_ip.h"
#include "sadb_dp.h"
#include "tw_log.h"

#define IP4_FMT "%u.%u.%u.%u"
#define IP4_ARGS(a) (a) >> 24, ((a) >> 16) & 0xff, ((a) >> 8) & 0xff, \
	(a) & 0xff

#define IKE_TTL 64
#define NON_ESP_MARKER 4        /* RFC 3948 2.2 */
#define RESTART_DELAY TW_SEC(5) /* initiate = "start": after a failure */
#define BYTES_PERIOD TW_SEC(1)  /* fast-path bytes -> kB lifetimes */

struct glue_timer {
	struct tw_deadline dl;
	uint32_t sa_id;
};

/* Bytes a child carried since the last report (ike_child_bytes). */
struct glue_bytes {
	uint32_t spi_in;
	uint64_t delta;
};

struct glue_policy {
	uint32_t spi_out;            /* newest outbound SA, 0: none */
	tw_time_t restart_at;
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
	bool deadlines;              /* initialised: fini cancels them */
	uint16_t ip_id;
	struct ike_glue_counters cnt;
} IG;

static void run(int n, struct ike_action *acts, tw_time_t now);

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
	p->replay_interval = in ? 1000 : 100000;
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

static void
spd_refresh(void)
{
	char err[256];

	if (install_spd(IG.ctl, false, err, sizeof(err)) < 0)
		tw_log(TW_LOG_ERR, "ike", "SPD: %s", err);
	ctl_commit_later(IG.ctl);
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
	}
	return rc;
}

static void
child_up(const struct ike_child *c, tw_time_t now)
{
	if (sa_install(c, true, now) < 0)
		return;
	if (sa_install(c, false, now) < 0) {
		struct sadb_sa *in = sadb_sa_lookup(IG.ctl->sadb, SADB_DIR_IN,
						    c->spi_in);

		if (in != NULL)
			sadb_sa_del(IG.ctl->sadb, in, "outbound SA failed");
		return;
	}
	/*
	 * A rekey the peer initiated: the peer installs its inbound SA only
	 * when our response arrives, so keep sending on the old SA until it
	 * is deleted (child_down() then moves to the newest).
	 */
	if (c->replaces == 0 || c->initiator || IG.pol[c->policy].spi_out == 0)
		IG.pol[c->policy].spi_out = c->spi_out;
	tw_log(TW_LOG_NOTICE, "ike",
	       "crypto map %s seq %u: Child SA up, in %08x out %08x, %s%s, peer " IP4_FMT,
	       IG.cfg.policies[c->policy].map, IG.cfg.policies[c->policy].seq,
	       c->spi_in, c->spi_out, conf_cipher_name(c->cipher),
	       c->udp_encap ? ", UDP-encapsulated" : "",
	       IP4_ARGS(c->peer_addr));
	spd_refresh();
}

/* The newest other outbound SA of the policy, once spi goes. */
static uint32_t
other_out(unsigned int p, uint32_t gone)
{
	const struct ike_sa *sa = NULL;
	uint32_t best = 0;
	tw_time_t t = 0;
	unsigned int i;

	while ((sa = ike_engine_sa_next(IG.e, sa)) != NULL) {
		if (sa->policy != p)
			continue;
		for (i = 0; i < IKE_CHILD_MAX; i++) {
			const struct ike_child *c = &sa->child[i];

			if (c->state != IKE_CHILD_NONE && c->spi_out != gone &&
			    c->created >= t &&
			    sadb_sa_lookup(IG.ctl->sadb, SADB_DIR_OUT,
					   c->spi_out) != NULL) {
				t = c->created;
				best = c->spi_out;
			}
		}
	}
	return best;
}

static void
child_down(uint32_t sa_id, uint32_t spi_in, uint32_t spi_out)
{
	const struct ike_sa *isa = ike_engine_sa(IG.e, sa_id);
	struct sadb_sa *sa;
	unsigned int p;

	if (isa != NULL && isa->policy < IG.cfg.n_policies) {
		p = isa->policy;
		if (IG.pol[p].spi_out == spi_out) {
			IG.pol[p].spi_out = other_out(p, spi_out);
			/* The SPD lets go of it before it is deleted. */
			spd_refresh();
		}
	}
	sa = sadb_sa_lookup(IG.ctl->sadb, SADB_DIR_OUT, spi_out);
	if (sa != NULL)
		sadb_sa_del(IG.ctl->sadb, sa, "deleted by IKE");
	sa = sadb_sa_lookup(IG.ctl->sadb, SADB_DIR_IN, spi_in);
	if (sa != NULL)
		sadb_sa_del(IG.ctl->sadb, sa, "deleted by IKE");
	ctl_commit_later(IG.ctl);
	tw_log(TW_LOG_NOTICE, "ike", "Child SA in %08x out %08x removed",
	       spi_in, spi_out);
	/* initiate = "start" keeps the tunnel up: an IKE SA left without a
	 * Child SA (deleted alone, e.g. past its hard lifetime after a
	 * refused rekey) is looked at once this engine call is over. */
	if (isa != NULL && isa->policy < IG.cfg.n_policies &&
	    IG.cfg.policies[isa->policy].initiate == IKE_INITIATE_START) {
		IG.pol[isa->policy].orphan_check = true;
		tw_heap_arm(&IG.ctl->heap, &IG.restart_dl, ctl_now());
	}
}

/*
 * An ESTABLISHED IKE SA of an initiate = "start" policy without any Child
 * SA carries no traffic, and nothing would bring one back (the engine
 * creates Child SAs only with IKE_AUTH or by rekeying): delete it, which
 * restarts the tunnel RESTART_DELAY later (sa_down()).
 */
static void
orphans(unsigned int p, tw_time_t now)
{
	struct ike_action acts[IKE_ACTIONS_MAX];
	const struct ike_sa *sa = NULL;
	uint32_t ids[8];
	unsigned int n = 0, i;

	while ((sa = ike_engine_sa_next(IG.e, sa)) != NULL && n < 8)
		if (sa->policy == p && sa->state == IKE_SA_ESTABLISHED &&
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

	run(ike_timer(IG.e, t->sa_id, now, acts, IKE_ACTIONS_MAX), acts, now);
}

static void
restart_fire(void *arg, tw_time_t now)
{
	struct ike_action acts[IKE_ACTIONS_MAX];
	tw_time_t next = TW_TIME_NEVER;
	unsigned int i;

	(void)arg;
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

	sa = sadb_sa_lookup(IG.ctl->sadb, SADB_DIR_IN, c->spi_in);
	if (sa != NULL && sadb_sa_stats(IG.ctl->sadb, sa, &st) == 0)
		b = st.bytes;
	sa = sadb_sa_lookup(IG.ctl->sadb, SADB_DIR_OUT, c->spi_out);
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
	IG.pol[sa->policy].restart_at = now + RESTART_DELAY;
	if (!tw_deadline_armed(&IG.restart_dl) ||
	    IG.restart_dl.when > now + RESTART_DELAY)
		tw_heap_arm(&IG.ctl->heap, &IG.restart_dl, now + RESTART_DELAY);
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
				   a->u.child.spi_out);
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
	run(ike_input(IG.e, &pkt, now, acts, IKE_ACTIONS_MAX), acts, now);
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
	if (IG.e == NULL || IG.timers == NULL || IG.pol == NULL ||
	    IG.rep == NULL) {
		snprintf(err, errlen, "cannot create the IKE engine");
		ike_glue_fini();
		return -ENOMEM;
	}
	for (i = 0; i < IG.cfg.max_sas; i++)
		tw_deadline_init(&IG.timers[i].dl, timer_fire, &IG.timers[i]);
	tw_deadline_init(&IG.restart_dl, restart_fire, NULL);
	tw_deadline_init(&IG.bytes_dl, bytes_fire, NULL);
	IG.deadlines = true;
	if (ctl_udp_register(ctl, IKE_UDP_PORT, udp_input, NULL) < 0 ||
	    ctl_udp_register(ctl, IKE_NATT_PORT, udp_input, NULL) < 0) {
		snprintf(err, errlen, "cannot register UDP 500/4500");
		ike_glue_fini();
		return -EBUSY;
	}
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
		if (p->initiate == IKE_INITIATE_START)
			run(ike_initiate(IG.e, i, now, acts, IKE_ACTIONS_MAX),
			    acts, now);
		if (p->child_life_kb != 0 && !tw_deadline_armed(&IG.bytes_dl))
			tw_heap_arm(&ctl->heap, &IG.bytes_dl, now + BYTES_PERIOD);
	}
	return 0;
}

void
ike_glue_fini(void)
{
	unsigned int i;

	/* Deadlines exist only once init got that far. */
	if (IG.deadlines) {
		for (i = 0; i < IG.cfg.max_sas; i++)
			tw_heap_cancel(&IG.ctl->heap, &IG.timers[i].dl);
		tw_heap_cancel(&IG.ctl->heap, &IG.restart_dl);
		tw_heap_cancel(&IG.ctl->heap, &IG.bytes_dl);
	}
	ike_engine_destroy(IG.e);
	free(IG.timers);
	free(IG.pol);
	free(IG.rep);
	ike_policy_free(&IG.cfg);
	memset(&IG, 0, sizeof(IG));
}

struct dp_sa *
ike_glue_out_sa(const char *map, uint32_t seq)
{
	const struct sadb_sa *sa;
	unsigned int i;

	for (i = 0; IG.e != NULL && i < IG.cfg.n_policies; i++) {
		if (IG.cfg.policies[i].seq != seq ||
		    strcmp(IG.cfg.policies[i].map, map) != 0 ||
		    IG.pol[i].spi_out == 0)
			continue;
		sa = sadb_sa_lookup(IG.ctl->sadb, SADB_DIR_OUT,
				    IG.pol[i].spi_out);
		return sa != NULL ? sadb_dp_sa(sa) : NULL;
	}
	return NULL;
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
	while ((sa = ike_engine_sa_next(IG.e, sa)) != NULL && out->n < n) {
		struct cli_ike_sa *v = &out->v[out->n++];

		v->dst = sa->initiator ? sa->peer_addr : sa->local_addr;
		v->src = sa->initiator ? sa->local_addr : sa->peer_addr;
		snprintf(v->state, sizeof(v->state), "%s",
			 ike_sa_ios_state(sa->state));
		v->conn_id = sa->id;
		v->standby = false;
	}
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

	if (IG.e == NULL)
		return 0;
	while ((sa = ike_engine_sa_next(IG.e, sa)) != NULL && n < 256)
		if (conn_id == 0 || sa->id == conn_id)
			ids[n++] = sa->id;
	for (i = 0; i < n; i++)
		run(ike_delete(IG.e, ids[i], now, acts, IKE_ACTIONS_MAX), acts,
		    now);
	return (int)n;
}
