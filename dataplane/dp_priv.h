/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef DP_PRIV_H
#define DP_PRIV_H

/*
 * Internals of the fast path shared by its files (not for the daemon: it
 * uses dp.h). One global struct dp_global holds what dp_init() built; the
 * lookup tables live in immutable snapshots (struct dp_snap) published
 * with RCU by dp_commit().
 */

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_ether.h>
#include <rte_mbuf.h>
#include <rte_spinlock.h>

#include "dp.h"
#include "dp_hmap.h"
#include "dp_reasm.h"

#define DP_BURST_MAX 64
#define DP_TX_BUF 64
#define DP_FRAG_MAX 16          /* fragments per packet we are willing to make */
#define DP_MAX_RXQ (DP_MAX_PORTS)

struct rte_acl_ctx;
struct rte_fib;
struct rte_mempool;
struct rte_ring;
struct rte_rcu_qsbr;

struct dp_port {
	uint16_t port_id;
	char name[CONF_NAME_MAX];
	char device[CONF_DEVICE_MAX];
	struct dp_port_params params;   /* name/device point at the arrays */
	struct rte_ether_addr mac;
	uint16_t n_rxq;                 /* n_workers, or 1 polled by worker 0 */
	uint16_t n_txq;                 /* worker TX queues */
	bool txq_shared;                /* fewer TX queues than workers */
	rte_spinlock_t txq_lock[DP_MAX_WORKERS];
	int ctl_txq;                    /* control lcore's own queue, or -1 */
	struct rte_ring *ctl_ring;      /* else: frames drained by worker 0 */
	bool configured;
	bool started;
	bool admin_down;                /* shut: no RX, no TX (dp_port_set_admin) */
	bool hsrp6;                     /* HSRP for IPv6 here (dp_port_hsrp6) */
	uint64_t down_drops;            /* frames dropped while shut (atomic) */
	/* net_af_packet: the kernel interface whose carrier is the link */
	char kif[IF_NAMESIZE];          /* "" for other PMDs */
	int kif_fd;                     /* ioctl socket, -1 when none */
};

/* A next hop: where the FIB sends a destination. */
struct dp_nh {
	uint16_t port;
	uint32_t gw;                    /* 0: directly connected */
};

/*
 * A policy's selector for the linear SPD, host byte order, masks expanded:
 * the few-rule case, scanned in rank order (dp_spd.c).
 */
struct dp_spd_lin {
	uint32_t src, src_mask;
	uint32_t dst, dst_mask;
	uint16_t sport_lo, sport_hi;
	uint16_t dport_lo, dport_hi;
	uint8_t proto;                  /* 0: any */
	uint32_t userdata;              /* policy index + 1 */
};

#define DP_SPD_LINEAR_MAX 8

/* A built SPD's policies by binding (dp_spd_bind.c): (bind, index) pairs
 * sorted, for dp_spd_rebind(). */
struct dp_bind_ref {
	uint32_t bind;
	uint32_t idx;
};

struct dp_bind_index {
	struct dp_bind_ref *ref;
	unsigned int n;
};

int dp_bind_index_build(const struct dp_policy *pol, unsigned int n,
			struct dp_bind_index *out);
void dp_bind_index_free(struct dp_bind_index *ix);
/* How many policies hold bind; *first: the first of them in ix->ref. */
unsigned int dp_bind_index_find(const struct dp_bind_index *ix, uint32_t bind,
				unsigned int *first);

/*
 * Outbound policy database: up to DP_SPD_LINEAR_MAX policies a linear
 * scan in rank order, beyond that compiled for rte_acl; the same results.
 */
struct dp_spd {
	struct rte_acl_ctx *acl;        /* NULL: none, or the linear scan */
	struct dp_policy *pol;          /* result i + 1 -> pol[i] */
	unsigned int n;
	unsigned int n_lin;             /* rules in lin[], 0 with acl */
	struct dp_bind_index binds;     /* pol[] by binding */
	struct dp_spd_lin lin[DP_SPD_LINEAR_MAX];
};

struct dp_fib {
	struct rte_fib *fib;
	struct dp_nh *nh;               /* FIB next-hop value i + 1 -> nh[i] */
	unsigned int n_nh;
};

/* An IPv6 next hop (dp_fib6.c). */
struct dp_nh6 {
	uint16_t port;
	uint8_t gw[16];                 /* :: : directly connected */
};

struct rte_fib6;
struct dp_spd6;

struct dp_fib6 {
	struct rte_fib6 *fib;
	struct dp_nh6 *nh;              /* value i + 1 -> nh[i] */
	unsigned int n_nh;
};

/* IPv6 neighbours of a snapshot: open addressing, immutable (dp_nb6.c). */
struct dp_nb6_slot {
	uint8_t addr[16];
	uint16_t port;                  /* port + 1; 0: empty */
	struct rte_ether_addr mac;
};

struct dp_nb6 {
	uint32_t mask;                  /* slots - 1 (a power of two) */
	struct dp_nb6_slot slot[];
};

/*
 * One immutable generation of the lookup tables. Pieces that did not change
 * are shared with the previous generation (same pointer); dp_commit() frees
 * only the pieces the new one does not reference.
 */
struct dp_snap {
	struct dp_hmap *sad;            /* SPI -> struct dp_sa * (inbound) */
	struct dp_spd *spd;
	struct dp_fib *fib;
	struct dp_hmap *neigh;          /* (port, addr) -> MAC */
	struct dp_spd6 *spd6;           /* IPv6 selectors (dp_spd6.h) */
	struct dp_fib6 *fib6;           /* IPv6 routes (issue 18) */
	struct dp_nb6 *nb6;             /* IPv6 neighbours */
	uint32_t local_addr[DP_MAX_PORTS + DP_MAX_VIPS];
	unsigned int n_local;
	uint32_t vip_standby[DP_MAX_VIPS]; /* VIPs the twin owns: dropped */
	unsigned int n_vip_standby;
	/* IPv6 global VIPs (dp_local_addr6_set()): ours, or the twin's. */
	uint8_t local6[DP_MAX_VIPS][16];
	unsigned int n_local6;
	uint8_t vip6_standby[DP_MAX_VIPS][16];
	unsigned int n_vip6_standby;
	enum conf_policy_action default_policy;
	uint64_t gen;
};

struct dp_rxq {
	uint16_t port;
	uint16_t queue;
};

/*
 * The ACQUIRE limiter: when the worker last raised one for an id. Ids map
 * to slots by their low bits; two ids sharing a slot evict each other, so
 * they may raise more often than the interval, never less.
 */
#define DP_ACQ_SLOTS 1024
#define DP_ACQ_RING_SIZE 256

struct dp_acq_slot {
	uint32_t id;                    /* 0: empty */
	uint64_t last;                  /* TSC */
};

struct dp_worker {
	unsigned int idx;
	unsigned int lcore;
	struct dp_rxq rxq[DP_MAX_RXQ];
	unsigned int n_rxq;
	uint16_t txq[DP_MAX_PORTS];
	bool drain_ctl;                 /* worker 0 drains control TX rings */
	struct dp_drop_counters drops;
	struct rte_mbuf *txb[DP_MAX_PORTS][DP_TX_BUF];
	uint16_t n_txb[DP_MAX_PORTS];
	uint64_t rx_pkts;
	uint64_t loops;
	uint64_t sleeps;
	/* ACQUIREs: this worker's ring (single producer) and limiter. */
	struct rte_ring *acq_ring;
	struct dp_acquire_counters acq;
	struct dp_acq_slot acq_slot[DP_ACQ_SLOTS];
	/* Unknown-SPI ESP punted (DP_PUNT_NO_SA): limiter and counters. */
	uint64_t nosa_last;             /* TSC */
	uint64_t nosa_punted, nosa_limited;
	struct dp_reasm reasm;          /* outer fragments to us */
} __rte_cache_aligned;

struct dp_global {
	struct dp_params params;
	struct dp_port ports[DP_MAX_PORTS];
	unsigned int n_ports;
	struct rte_mempool *pool;
	struct rte_mempool *reasm_pool; /* large buffers: dp_reasm.c */
	struct dp_crypto crypto;
	bool crypto_up;
	struct rte_ring *punt;
	int punt_off;                   /* mbuf dynfield offset */
	struct rte_rcu_qsbr *rcu;
	struct dp_worker *workers;
	unsigned int n_workers;
	/* the control lcore's own drops (dp_tx) */
	struct dp_drop_counters ctl_drops;
	struct dp_drop_counters drops_base;   /* subtracted by dp_drops_read */
	struct dp_acquire_counters acq_base;  /* ... and by dp_acquire_read */
	uint64_t acq_interval;          /* TSC cycles between ACQUIREs per id */
	struct dp_snap *snap;           /* published; workers load-acquire */
	volatile int stop;
	bool inited;
	bool launched;
};

extern struct dp_global dp_g;

static inline struct dp_snap *
dp_snap_get(void)
{
	return __atomic_load_n(&dp_g.snap, __ATOMIC_ACQUIRE);
}

static inline void
dp_drop_count(struct dp_drop_counters *d, enum dp_drop_reason r, uint64_t n)
{
	d->count[r] += n;
}

/* dp_port.c */
int dp_ports_init(char *err, size_t errlen);
int dp_ports_start(char *err, size_t errlen);
void dp_ports_stop(void);
void dp_ports_close(void);
void dp_port_ctl_drain(struct dp_worker *w);
/*
 * dp_link.c: the link of a port (carrier): the PMD's, or for net_af_packet
 * the kernel interface's operational state. init after the port is set
 * up; read from the control lcore; 0 or -errno.
 */
void dp_link_init(struct dp_port *p);
void dp_link_fini(struct dp_port *p);
int dp_link_read(const struct dp_port *p, bool *up, uint32_t *speed);

/* dp_tx.c: worker-side TX buffering */
void dp_tx_flush(struct dp_worker *w, uint16_t port);
void dp_tx_flush_all(struct dp_worker *w);

static inline void
dp_tx_enqueue(struct dp_worker *w, uint16_t port, struct rte_mbuf *m)
{
	w->txb[port][w->n_txb[port]++] = m;
	if (w->n_txb[port] == DP_TX_BUF)
		dp_tx_flush(w, port);
}

/* dp_punt.c */
int dp_punt_init(char *err, size_t errlen);
void dp_punt_fini(void);
/* dp_inject.c */
int dp_inject_init(char *err, size_t errlen);
void dp_inject_fini(void);
void dp_inject_drain(struct dp_worker *w, const struct dp_snap *s);
/* dp_fwd.c: frames from dp_inject(), as if from the inside (protect only) */
void dp_fwd_inject(struct dp_worker *w, const struct dp_snap *s,
		   struct rte_mbuf **pkts, uint16_t n);
void dp_punt_set(struct rte_mbuf *m, enum dp_punt_reason reason,
		 uint16_t port, uint32_t nexthop, uint16_t mtu);
void dp_punt_burst(struct dp_worker *w, struct rte_mbuf **mb, unsigned int n);
/* May this worker punt one more unknown-SPI packet now (the limit)? */
bool dp_nosa_allow(struct dp_worker *w);

/* dp_acquire.c */
int dp_acquire_init(char *err, size_t errlen);
void dp_acquire_fini(void);
/* Out of line: only traffic without an SA comes here. */
void dp_acquire_raise(struct dp_worker *w, uint32_t id);
/* A baseline for dp_acquire_read() (dp_drops_clear() calls it). */
void dp_acquire_clear(void);

/* dp_tables.c */
int dp_tables_init(char *err, size_t errlen);
void dp_tables_fini(void);

/* dp_spd.c */
int dp_spd_build(const struct dp_policy *pol, unsigned int n, uint64_t gen,
		 struct dp_spd **out);
/* Tests: force rte_acl (acl true) or the linear scan (n <= its maximum). */
int dp_spd_build_mode(const struct dp_policy *pol, unsigned int n,
		      uint64_t gen, bool acl, struct dp_spd **out);
void dp_spd_free(struct dp_spd *spd);

/*
 * The ACL input of one packet: the 5-tuple in network byte order, ports 0
 * for protocols without ports and for non-first fragments.
 */
struct dp_acl_key {
	uint8_t proto;
	uint8_t pad[3];
	uint32_t src;
	uint32_t dst;
	uint16_t sport;
	uint16_t dport;
};

/* Results: 0 no match, else policy index + 1. */
void dp_spd_classify(const struct dp_spd *spd, const uint8_t **keys,
		     uint32_t *res, unsigned int n);

/* dp_fib.c */
struct dp_route {
	uint32_t prefix;
	uint8_t len;
	uint32_t gw;
	uint16_t port;
};

int dp_fib_build(const struct dp_route *rt, unsigned int n, uint64_t gen,
		 struct dp_fib **out);
void dp_fib_free(struct dp_fib *fib);
/* nh[i] is NULL when there is no route to addr[i] (host order). */
void dp_fib_lookup(const struct dp_fib *fib, uint32_t *addr,
		   const struct dp_nh **nh, unsigned int n);

/* dp_fib6.c */
struct dp_route6 {
	uint8_t prefix[16];
	uint8_t len;
	uint8_t gw[16];
	uint16_t port;
};

int dp_fib6_build(const struct dp_route6 *rt, unsigned int n, uint64_t gen,
		  struct dp_fib6 **out);
void dp_fib6_free(struct dp_fib6 *fib);
/* nh[i] is NULL when there is no route to addr[i]. */
void dp_fib6_lookup(const struct dp_fib6 *fib, uint8_t (*addr)[16],
		    const struct dp_nh6 **nh, unsigned int n);

/* dp_nb6.c: the IPv6 neighbour table of a snapshot */
struct dp_nb6_ent {
	uint16_t port;
	uint8_t addr[16];
	struct rte_ether_addr mac;
};

int dp_nb6_build(const struct dp_nb6_ent *e, unsigned int n,
		 struct dp_nb6 **out);
void dp_nb6_free(struct dp_nb6 *t);
/* The MAC of addr on port, or NULL. */
const struct rte_ether_addr *dp_nb6_get(const struct dp_nb6 *t, uint16_t port,
					const uint8_t addr[16]);

/* dp_tables6.c: IPv6 staging, built into the snapshot by dp_commit() */
int dp_tables6_build(struct dp_snap *nx, const struct dp_snap *cur);
void dp_tables6_free_unshared(const struct dp_snap *old,
			      const struct dp_snap *cur);
void dp_tables6_fini(void);

/*
 * dp_punt.c: an IPv6 next hop to resolve (DP_PUNT_NEIGH of IPv6), m at
 * its IPv6 header; -ENOBUFS without 16 bytes of headroom.
 */
int dp_punt_set6(struct rte_mbuf *m, uint16_t port, const uint8_t nh[16]);

/*
 * dp_tables6.c: the policies of both families, each into its SPD (IPv4
 * selectors dp_spd.c, IPv6 ones dp_spd6.c); both or neither are set.
 */
int dp_spd_build_both(const struct dp_policy *pol, unsigned int n,
		      uint64_t gen, struct dp_spd **v4, struct dp_spd6 **v6);

/* dp_fwd6.c: IPv6 transit packets of one burst (L2 still on): the SPD6,
 * then forwarding */
void dp_fwd6_transit(struct dp_worker *w, const struct dp_snap *s,
		     uint16_t rx_port, bool inside, struct rte_mbuf **mb,
		     uint16_t n);
void dp_fwd6_route(struct dp_worker *w, const struct dp_snap *s,
		   uint16_t rx_port, struct rte_mbuf **mb, uint16_t n);
/* An IPv6 destination that is one of the ports' own addresses, or an
 * IPv6 VIP of ours (s may be NULL: the ports' only). */
bool dp_ip6_is_local(const struct dp_snap *s, const uint8_t dst[16]);
/* dst is one of s's IPv6 VIPs: owned (local6) or the twin's. */
bool dp_ip6_in(const uint8_t (*set)[16], unsigned int n,
	       const uint8_t dst[16]);

/*
 * dp_esp6.c: ESP with an IPv6 side. dp_esp6_protect: IPv6 inner packets
 * (L2 on) of one outbound SA, either outer. dp_esp6_nh: the FIB6 next
 * hop towards an IPv6-outer SA's peer (nha: the neighbour), NULL: none.
 * dp_esp6_send: encrypted packets at their outer IPv6 header, to nha.
 */
void dp_esp6_protect(struct dp_worker *w, const struct dp_snap *s,
		     uint16_t rx_port, struct dp_sa *sa, struct rte_mbuf **mb,
		     uint16_t n);
const struct dp_nh6 *dp_esp6_nh(const struct dp_snap *s,
				const struct dp_sa *sa, uint8_t nha[16]);
void dp_esp6_send(struct dp_worker *w, const struct dp_snap *s,
		  const struct dp_nh6 *nh, const uint8_t nha[16],
		  struct rte_mbuf **mb, uint16_t n);

/* dp_frag.c: fragments an IPv4 packet (data at the IPv4 header, DF clear) */
int dp_frag_ipv4(struct rte_mbuf *m, uint16_t mtu, struct rte_mbuf **out,
		 unsigned int n_out);

/* dp_fwd.c: one received burst through the pipeline */
void dp_fwd_burst(struct dp_worker *w, const struct dp_snap *s,
		  uint16_t rx_port, struct rte_mbuf **pkts, uint16_t n);

#endif /* DP_PRIV_H */
