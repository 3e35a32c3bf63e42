/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The IKE glue: set-up, lib/ike's actions carried out, IKE input and the
 * fast path's ACQUIREs (ike_glue.h has the map, ike_glue_priv.h the
 * files).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_mbuf.h>

#include <openssl/crypto.h>

#include "ike_glue_priv.h"
#include "net_arp.h"
#include "net_ip.h"
#include "net_ip6.h"
#include "tw_bytes.h"
#include "tw_log.h"
#include "tw_compiler.h"

#define NON_ESP_MARKER 4        /* RFC 3948 2.2 */
#define BYTES_PERIOD TW_SEC(1)  /* fast-path bytes -> kB lifetimes */

struct ike_glue_state ig;

void
ike_glue_run(int n, struct ike_action *acts, tw_time_t now)
{
	struct tw_heap *heap = &ig.ctl->heap;
	bool hold = ike_glue_holding(), marker;
	int i;

	if (n < 0) {
		tw_log(TW_LOG_ERR, "ike", "engine call refused: %s",
		       strerror(-n));
		return;
	}
	/* The twin learns the new state before the peer sees a message. */
	if (ig.n_lis > 0) {
		if (ig.input_sa != 0)
			ike_glue_mirror(ig.input_sa, now);
		for (i = 0; i < n; i++)
			ike_glue_mirror(acts[i].sa_id, now);
	}
	for (i = 0; i < n; i++) {
		const struct ike_action *a = &acts[i];
		struct glue_timer *t = &ig.timers[a->sa_id > 0 ?
						   a->sa_id - 1 : 0];

		switch (a->type) {
		case IKE_ACT_SEND:
			marker = !a->u.send.keepalive &&
				(a->u.send.sport == IKE_NATT_PORT ||
				 a->u.send.dport == IKE_NATT_PORT);
			/* After a CHILD_UP: not before its commit. */
			if (hold && ike_glue_hold_send(a, marker, now) == 0)
				break;
			ike_glue_send_udp(&a->u.send.src, &a->u.send.dst,
					  a->u.send.sport, a->u.send.dport,
					  a->u.send.data, a->u.send.len,
					  marker, now);
			break;
		case IKE_ACT_ARM:
			t->sa_id = a->sa_id;
			tw_heap_arm(heap, &t->dl, a->u.at);
			break;
		case IKE_ACT_CANCEL:
			tw_heap_cancel(heap, &t->dl);
			break;
		case IKE_ACT_CHILD_UP:
			ike_glue_child_up(a->u.child.c, now);
			hold = true;
			break;
		case IKE_ACT_CHILD_DOWN:
			ike_glue_child_down(a->sa_id, a->u.child.spi_in,
					    a->u.child.spi_out,
					    &a->u.child.peer, now);
			break;
		case IKE_ACT_IKE_UP:
			tw_log(TW_LOG_NOTICE, "ike", "IKE SA %u up: %s",
			       a->sa_id, a->u.reason);
			break;
		case IKE_ACT_IKE_DOWN:
			ike_glue_sa_down(a->sa_id, a->u.reason, now);
			break;
		case IKE_ACT_IKE_DELETING:
			ike_glue_ike_deleting(a->sa_id);
			break;
		}
	}
	if (ig.commit_now) {
		ig.commit_now = false;
		ike_glue_spd_now();
	}
}

/*
 * An ACQUIRE from the fast path: traffic for policy id - 1 and no SA.
 * ike_initiate() does nothing while an IKE SA of the policy is being set
 * up or carries a Child SA, so repeated ACQUIREs (one per worker and per
 * interval) are harmless.
 */
static void
acquire(struct ctl *ctl TW_UNUSED, void *arg TW_UNUSED, uint32_t id,
	tw_time_t now)
{
	struct ike_action acts[IKE_ACTIONS_MAX];
	const struct ike_policy *p;
	const struct ike_sa *up;
	struct glue_policy *gp;
	uint32_t up_id;
	char pa[TW_ADDR_STRLEN];
	int n;

	ig.cnt.acquires++;
	if (ig.stopping)
		return;
	if (id == 0 || id > ig.cfg.n_policies ||
	    ig.cfg.policies[id - 1].initiate != IKE_INITIATE_TRAFFIC) {
		ig.cnt.acquire_unknown++;
		return;
	}
	p = &ig.cfg.policies[id - 1];
	gp = &ig.pol[id - 1];
	/* The standby twin does not own the endpoint: the active one talks. */
	if (ike_glue_silent()) {
		ig.cnt.acquire_standby++;
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
	up = ike_sa_of_policy(ig.e, id - 1);
	up_id = up != NULL ? up->id : 0;
	n = ike_initiate(ig.e, id - 1, now, acts, IKE_ACTIONS_MAX);
	if (n == 0) {
		ig.cnt.acquire_pending++;
		return;
	}
	if (n > 0) {
		ig.cnt.acquire_initiated++;
		if (up_id != 0)
			tw_log(TW_LOG_NOTICE, "ike",
			       "crypto map %s seq %u: traffic without an SA, initiating a Child SA on IKE SA %u with %s",
			       p->map, p->seq, up_id,
			       tw_addr_str(&p->peer_addr, pa, sizeof(pa)));
		else
			tw_log(TW_LOG_NOTICE, "ike",
			       "crypto map %s seq %u: traffic without an SA, initiating IKE with %s",
			       p->map, p->seq,
			       tw_addr_str(&p->peer_addr, pa, sizeof(pa)));
	}
	ike_glue_run(n, acts, now);
}

/* ---- input ---- */

/*
 * dst is one of our unicast addresses: an interface's, or one of its
 * standby VIPs. A subnet's broadcast, a multicast group or the limited
 * broadcast is none: an answer would leave from it (RFC 1122 3.2.1.3,
 * 3.3.6), so IKE takes no datagram sent there (the engine also refuses
 * multicast and broadcast, ike_addr_unicast()).
 */
static bool
to_us(const struct conf *c, uint32_t dst)
{
	unsigned int i, j;

	for (i = 0; i < c->n_ifaces; i++) {
		const struct conf_iface *f = &c->ifaces[i];

		if (f->addr == dst)
			return true;
		for (j = 0; j < f->n_standby; j++)
			if (f->standby[j].vip == dst)
				return true;
	}
	return false;
}

/* An IKE datagram (UDP payload p, len bytes) of either family, for one of
 * our addresses (checked by the caller); m is freed. */
static void
ike_datagram(struct rte_mbuf *m, struct ike_pkt *pkt, const uint8_t *p,
	     size_t len, tw_time_t now)
{
	struct ike_action acts[IKE_ACTIONS_MAX];

	if (ike_glue_silent()) {
		ig.cnt.standby_drops++;
		goto out;
	}
	if (pkt->dport == IKE_NATT_PORT) {
		/* RFC 3948 2.3: a NAT keepalive is one 0xff byte. */
		if (len == 1 && p[0] == 0xff) {
			ig.cnt.keepalives_rx++;
			goto out;
		}
		if (len < NON_ESP_MARKER || p[0] | p[1] | p[2] | p[3])
			goto out;
		p += NON_ESP_MARKER;
		len -= NON_ESP_MARKER;
	}
	pkt->data = p;
	pkt->len = len;
	/* The SA the message is for (responses to it may emit nothing). */
	ig.input_sa = 0;
	if (ig.n_lis > 0 && len >= 16) {
		uint64_t spi_i = (uint64_t)tw_get32(p) << 32 | tw_get32(p + 4);
		uint64_t spi_r = (uint64_t)tw_get32(p + 8) << 32 |
			tw_get32(p + 12);
		const struct ike_sa *sa = ike_engine_sa_by_spi(ig.e, spi_i,
							       spi_r);

		if (sa != NULL)
			ig.input_sa = sa->id;
	}
	ike_glue_run(ike_input(ig.e, pkt, now, acts, IKE_ACTIONS_MAX), acts,
		     now);
	ig.input_sa = 0;
out:
	rte_pktmbuf_free(m);
}

static void
udp_input(struct ctl *ctl, void *arg TW_UNUSED,
	  uint16_t port TW_UNUSED, struct rte_mbuf *m,
	  const struct net_ipv4 *ip, const struct net_udp *udp, tw_time_t now)
{
	const uint8_t *p = rte_pktmbuf_mtod(m, const uint8_t *) +
		NET_ETH_HLEN + ip->hlen + NET_UDP_HLEN;
	struct ike_pkt pkt = {
		.src = tw_addr_v4(ip->src),
		.dst = tw_addr_v4(ip->dst),
		.sport = udp->sport,
		.dport = udp->dport,
	};

	if (!to_us(ctl->conf, ip->dst)) {
		ig.cnt.not_to_us++;
		rte_pktmbuf_free(m);
		return;
	}
	ike_datagram(m, &pkt, p, udp->len, now);
}

/*
 * IKE over IPv6 (ctl_udp6_register()): the control loop checked that the
 * datagram is for one of the receiving port's addresses, and its UDP
 * checksum (mandatory over IPv6, RFC 8200 8.1). The sender's link-layer
 * address is kept for the answer (ike_glue_out6.c).
 */
static void
udp6_input(struct ctl *ctl TW_UNUSED, void *arg TW_UNUSED, uint16_t port,
	   struct rte_mbuf *m, const struct net_ipv6 *ip,
	   const struct net_udp *udp, tw_time_t now)
{
	const uint8_t *eth = rte_pktmbuf_mtod(m, const uint8_t *);
	struct ike_pkt pkt = {
		.src = { .family = TW_AF_INET6 },
		.dst = { .family = TW_AF_INET6 },
		.sport = udp->sport,
		.dport = udp->dport,
	};

	memcpy(pkt.src.v6, ip->src, 16);
	memcpy(pkt.dst.v6, ip->dst, 16);
	ike_glue_out6_learn(port, ip->src, eth + NET_ETH_ALEN, now);
	ike_datagram(m, &pkt, eth + NET_ETH_HLEN + ip->l4_off + NET_UDP_HLEN,
		     udp->len, now);
}

/* ---- set-up ---- */

/* The tunnel endpoint of a crypto map: install/'s rule (the interface's
 * VIP, else its address). */
struct tw_addr
ike_glue_map_local(void *arg, const struct conf_crypto_map *m,
		   uint8_t family)
{
	const struct conf *c = arg;
	struct tw_addr none = { .family = TW_AF_NONE };
	uint32_t local;
	unsigned int i;

	for (i = 0; i < c->n_ifaces; i++) {
		if (strcmp(c->ifaces[i].crypto_map, m->name) != 0)
			continue;
		/* Over IPv6: the IPv6 group's global VIP, else the
		 * interface's first global address. */
		if (family == TW_AF_INET6) {
			struct tw_addr vip;

			if (conf_iface_endpoint6(c, i, &vip))
				return vip;
			return c->ifaces[i].n_addr6 > 0 ?
				c->ifaces[i].addr6[0].addr : none;
		}
		local = conf_iface_endpoint(c, i);
		return tw_addr_v4(local != 0 ? local : c->ifaces[i].addr);
	}
	return none;
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

	memset(&ig, 0, sizeof(ig));
	ig.ctl = ctl;
	rc = ike_policy_from_conf(ctl->conf, ike_glue_map_local, ctl->conf, &ig.cfg,
				  err, errlen);
	if (rc < 0)
		return rc;
	if (ig.cfg.n_policies == 0)
		return 0;
	ig.e = ike_engine_create(&ig.cfg, ike_crypto_openssl(), &rng);
	ig.timers = calloc(ig.cfg.max_sas, sizeof(ig.timers[0]));
	ig.pol = calloc(ig.cfg.n_policies, sizeof(ig.pol[0]));
	ig.rep = calloc((size_t)ig.cfg.max_sas * IKE_CHILD_MAX,
			sizeof(ig.rep[0]));
	ig.mir = calloc(ig.cfg.max_sas, sizeof(ig.mir[0]));
	ig.standby = ctl->conf->redundancy.enabled;
	if (ig.e == NULL || ig.timers == NULL || ig.pol == NULL ||
	    ig.rep == NULL || ig.mir == NULL) {
		snprintf(err, errlen, "cannot create the IKE engine");
		ike_glue_fini();
		return -ENOMEM;
	}
	for (i = 0; i < ig.cfg.max_sas; i++)
		tw_deadline_init(&ig.timers[i].dl, ike_glue_timer_fire,
				 &ig.timers[i]);
	tw_deadline_init(&ig.restart_dl, ike_glue_restart_fire, NULL);
	tw_deadline_init(&ig.bytes_dl, ike_glue_bytes_fire, NULL);
	ig.deadlines = true;
	for (i = 0; i < ig.cfg.n_policies; i++) {
		ig.pol[i].restart_at = TW_TIME_NEVER;
		ig.pol[i].spd = -1; /* bound by ike_glue_spd_init() */
	}
	rc = ike_glue_spd_init(err, errlen);
	if (rc < 0) {
		ike_glue_fini();
		return rc;
	}
	if (ctl_udp_register(ctl, IKE_UDP_PORT, udp_input, NULL) < 0 ||
	    ctl_udp_register(ctl, IKE_NATT_PORT, udp_input, NULL) < 0 ||
	    ctl_udp6_register(ctl, IKE_UDP_PORT, udp6_input, NULL) < 0 ||
	    ctl_udp6_register(ctl, IKE_NATT_PORT, udp6_input, NULL) < 0) {
		snprintf(err, errlen, "cannot register UDP 500/4500");
		ike_glue_fini();
		return -EBUSY;
	}
	ctl->acquire_fn = acquire;
	ctl->acquire_arg = NULL;
	ctl->nosa_fn = ike_glue_no_sa;
	ctl->nosa_arg = NULL;
	for (i = 0; i < ig.cfg.n_policies; i++) {
		const struct ike_policy *p = &ig.cfg.policies[i];

		char pa[TW_ADDR_STRLEN], la[TW_ADDR_STRLEN];

		tw_log(TW_LOG_INFO, "ike",
		       "crypto map %s seq %u: peer %s from %s, %u IKE proposal(s), initiate %s",
		       p->map, p->seq,
		       tw_addr_str(&p->peer_addr, pa, sizeof(pa)),
		       tw_addr_str(&p->local_addr, la, sizeof(la)),
		       p->n_ike_props,
		       p->initiate == IKE_INITIATE_START ? "start" :
		       p->initiate == IKE_INITIATE_RESPONDER ? "responder" :
		       "traffic");
		/* A twin starts them when it takes over. */
		if (p->initiate == IKE_INITIATE_START && !ike_glue_silent())
			ike_glue_run(ike_initiate(ig.e, i, now, acts,
						  IKE_ACTIONS_MAX), acts, now);
		if (p->child_life_kb != 0 && !tw_deadline_armed(&ig.bytes_dl))
			tw_heap_arm(&ctl->heap, &ig.bytes_dl,
				    now + BYTES_PERIOD);
		if (p->initiate == IKE_INITIATE_TRAFFIC)
			traffic = true;
	}
	/*
	 * install_config() built the SPD before the engine existed: again,
	 * with the acquire ids of the initiate-on-traffic policies
	 * (ike_glue_spd_init() bound them).
	 */
	if (traffic)
		ike_glue_spd_refresh();
	return 0;
}

void
ike_glue_set_standby(bool standby)
{
	ig.standby = standby;
	/* what waited for a commit is not sent by a standby */
	if (standby)
		ike_glue_hold_flush(0);
}

void
ike_glue_fini(void)
{
	unsigned int i;

	if (ig.ctl != NULL && ig.ctl->acquire_fn == acquire)
		ig.ctl->acquire_fn = NULL;
	if (ig.ctl != NULL && ig.ctl->nosa_fn == ike_glue_no_sa)
		ig.ctl->nosa_fn = NULL;
	/* Deadlines exist only once init got that far. */
	if (ig.deadlines) {
		for (i = 0; i < ig.cfg.max_sas; i++)
			tw_heap_cancel(&ig.ctl->heap, &ig.timers[i].dl);
		tw_heap_cancel(&ig.ctl->heap, &ig.restart_dl);
		tw_heap_cancel(&ig.ctl->heap, &ig.bytes_dl);
	}
	ike_glue_spd_fini();
	ike_glue_hold_fini();
	ike_engine_destroy(ig.e);
	free(ig.timers);
	free(ig.pol);
	free(ig.rep);
	free(ig.mir);
	OPENSSL_cleanse(&ig.in_rec, sizeof(ig.in_rec));
	free(ig.out_gone);
	ike_policy_free(&ig.cfg);
	memset(&ig, 0, sizeof(ig));
}

bool
ike_glue_running(void)
{
	return ig.e != NULL;
}

const struct ike_engine *
ike_glue_engine(void)
{
	return ig.e;
}

const struct ike_glue_counters *
ike_glue_counters(void)
{
	return &ig.cnt;
}
