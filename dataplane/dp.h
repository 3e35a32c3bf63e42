/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef DP_H
#define DP_H

/*
 * The fast path as the control lcore sees it.
 *
 * dp_init() builds mempools, ports, rings, the RCU variable and the crypto
 * device; dp_start() launches one worker loop per worker lcore. Lookup
 * tables (SAD, SPD, FIB, neighbours, our addresses) are staged by the control
 * lcore with the dp_*_set/add/del calls below and made visible to workers
 * by dp_commit(), which publishes a new immutable snapshot and frees the old
 * one once every worker has passed a quiescent state (rte_rcu_qsbr).
 *
 * Workers punt to the control lcore (ring, never blocking): ARP, packets to
 * one of our addresses that are not ESP for a known SA (ICMP echo, UDP such
 * as IKE 500/4500 and HSRP 1985), packets waiting for next-hop resolution,
 * packets too big for the path and transit packets whose TTL expires (the
 * control lcore sends the ICMP error; both are also counted as drops).
 * Traffic that a protect policy covers while that policy has no SA yet is
 * dropped and counted (DP_DROP_NO_OUT_SA) and, for a policy that carries an
 * acquire id, raises an ACQUIRE: the id on the worker's acquire ring, at
 * most one per id per acquire interval per worker (dp_acquire_dequeue()).
 * Every function here is called from the control lcore only, except
 * dp_worker_main() which runs on workers.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_ether.h>
#include <rte_mbuf.h>

#include "conf.h"
#include "dp_crypto.h"
#include "dp_drop.h"
#include "dp_sa.h"

#define DP_MAX_PORTS 8
#define DP_MAX_ADDR6 CONF_IFACE_MAX_ADDR6 /* IPv6 addresses per port */
#define DP_MAX_WORKERS 16

struct dp_port_params {
	const char *name;          /* interface name from the config */
	const char *device;        /* DPDK device name, e.g. net_af_packet0 */
	enum conf_iface_role role;
	uint32_t addr;             /* host order */
	uint8_t prefix_len;
	struct tw_prefix addr6[DP_MAX_ADDR6]; /* global IPv6 addresses */
	unsigned int n_addr6;
	uint16_t mtu;
	const char *cp_name;       /* control-plane kernel interface, or NULL
				    * (dp_cpif.h) */
};

/* A crypto map whose SAs set a fixed outer DSCP (conf dscp_set). */
#define DP_MAX_MAP_DSCP 16
struct dp_map_dscp {
	char map[CONF_NAME_MAX];
	uint8_t dscp;
};

struct dp_params {
	unsigned int n_workers;
	uint32_t mbufs;
	uint16_t burst;
	enum conf_poll_mode poll_mode;
	const char *crypto_device;
	enum conf_crypto_mode crypto_mode;
	uint32_t crypto_algos;     /* DP_CRYPTO_ALGO_* bits the config needs */
	uint32_t max_sas;
	enum conf_policy_action default_policy;
	uint32_t acquire_ms;       /* ACQUIRE interval per id; 0: default */
	struct dp_port_params ports[DP_MAX_PORTS];
	unsigned int n_ports;
	/*
	 * By the SA's crypto map name, so IKE, manual and synced SAs alike
	 * get it; the SAs of other maps copy the inner DSCP.
	 */
	struct dp_map_dscp map_dscp[DP_MAX_MAP_DSCP];
	unsigned int n_map_dscp;
};

/* Why a packet was punted; carried in the mbuf (see dp_punt_reason()). */
enum dp_punt_reason {
	DP_PUNT_LOCAL,      /* ARP, or IPv4 to one of our addresses */
	DP_PUNT_NEIGH,      /* next hop unresolved: L2 not yet written */
	DP_PUNT_TOO_BIG,    /* DF set and too big after encapsulation */
	DP_PUNT_TTL,        /* TTL expired in transit (RFC 1812 5.3.1): the
			     * control lcore sends ICMP time exceeded */
	DP_PUNT_NO_SA,      /* ESP (or ESP in UDP 4500) to us on an unknown
			     * SPI, counted a no-sa drop: IKE tells the
			     * peer INVALID_SPI. At most DP_NOSA_PER_SEC per
			     * worker; the others are only dropped. */
	DP_PUNT_TUNNEL_LOCAL, /* decrypted ICMP to one of our addresses:
			       * answer with dp_inject() */
	DP_PUNT_TUNNEL_TTL, /* decrypted packet whose TTL ran out, counted
			     * inner-ttl-expired: ICMP time exceeded back
			     * through the tunnel with dp_inject() */
};
#define DP_NOSA_PER_SEC 10u

struct dp_punt_info {
	enum dp_punt_reason reason;
	uint16_t port;      /* port received on (LOCAL) or to send on */
	uint32_t nexthop;   /* NEIGH: address to resolve, host order */
	uint16_t mtu;       /* TOO_BIG: the next-hop MTU to report */
	bool v6;            /* NEIGH of an IPv6 packet: the data starts
			     * with the 16-byte address to resolve */
};

/*
 * What the worker does for traffic matching a policy. What it reads per
 * packet (action, sa, acquire) comes first: 16 bytes, so in one cache
 * line whatever the policy's index (issue 17: with 10^5 policies each
 * packet's policy is a miss of its own); sel and priority only build the
 * classifier.
 */
struct dp_policy {
	enum conf_policy_action action;
	uint32_t acquire;
	/*
	 * Outbound SA for PROTECT. NULL: none yet (IKE has not negotiated
	 * it); what the policy covers is dropped (DP_DROP_NO_OUT_SA) and,
	 * when acquire is not 0, raises an ACQUIRE carrying that id.
	 */
	struct dp_sa *sa;
	uint32_t priority;     /* lower value wins, like crypto map seq order */
	/*
	 * Not 0: the binding (a crypto map entry IKE negotiates for) whose
	 * SA dp_spd_rebind() may change in the published SPD; workers load
	 * sa once per packet.
	 */
	uint32_t bind;
	struct dp_selector sel;
} __rte_aligned(16);

#define DP_ACQUIRE_MS_DEFAULT 1000u
/*
 * Per worker, summed by dp_acquire_read(): ACQUIREs put on the ring,
 * held back by the per-id interval, lost because the ring was full.
 */
struct dp_acquire_counters {
	uint64_t raised;
	uint64_t suppressed;
	uint64_t ring_full;
};

struct dp_port_stats {
	uint64_t ipackets, opackets, ibytes, obytes, ierrors, oerrors, imissed;
	uint64_t down_drops;       /* received or to send while shut */
	bool admin_up;
	bool link_up;
	uint32_t link_speed;
};

int dp_init(const struct dp_params *p, char *err, size_t errlen);
int dp_start(void);
/*
 * Make the workers return (waits for them) and stop the ports. Idempotent.
 * The caller destroys its SAs after dp_stop() and before dp_fini(), which
 * releases the crypto device their sessions belong to.
 */
void dp_stop(void);
/* dp_stop(), then close ports, free tables, rings, pools. Idempotent. */
void dp_fini(void);
/* Ask every worker loop to return (from a signal handler: async-safe). */
void dp_request_stop(void);
/* The worker loop dp_start() launches; arg is the worker's context. */
int dp_worker_main(void *arg);

struct dp_crypto *dp_crypto_get(void);
unsigned int dp_n_workers(void);
unsigned int dp_n_ports(void);
const struct dp_port_params *dp_port(uint16_t port);
void dp_port_mac(uint16_t port, struct rte_ether_addr *mac);

/* Staging; none is visible to workers before dp_commit(). */
int dp_sa_install(struct dp_sa *sa);   /* inbound: SAD by SPI; outbound: kept */
/*
 * The caller destroys it after the next dp_commit(). -EBUSY while a staged
 * policy still refers to it (dp_spd_set() without it first).
 */
int dp_sa_uninstall(struct dp_sa *sa);
int dp_spd_set(const struct dp_policy *pol, unsigned int n);
/*
 * Not staged: at once, in the published SPD (and the staged one, if
 * any), every PROTECT policy of binding bind (dp_policy.bind) sends on
 * outbound SA sa, or, sa NULL, drops as no-out-sa raising ACQUIRE acquire
 * (0: none). No rebuild: a binary search and the entry's policies. The
 * SA a policy let go of may be uninstalled at once and destroyed after
 * the next dp_commit(), which waits for the workers to be past it.
 * Returns how many policies hold bind (0: none, nothing done), -EINVAL
 * for bind 0 or an inbound sa, -ENOMEM.
 */
int dp_spd_rebind(uint32_t bind, struct dp_sa *sa, uint32_t acquire);
int dp_route_add(uint32_t prefix, uint8_t len, uint32_t gateway, uint16_t port);
int dp_route_del(uint32_t prefix, uint8_t len);
int dp_neigh_set(uint16_t port, uint32_t addr, const struct rte_ether_addr *mac);
int dp_neigh_del(uint16_t port, uint32_t addr);
/*
 * IPv6 (issue 18): routes beside the connected prefixes of the ports'
 * IPv6 addresses (gateway NULL or :: : directly connected), and
 * neighbours, addresses in network order. Staged like the IPv4 ones.
 */
int dp_route6_add(const uint8_t prefix[16], uint8_t len, const uint8_t gw[16],
		  uint16_t port);
int dp_route6_del(const uint8_t prefix[16], uint8_t len);
int dp_neigh6_set(uint16_t port, const uint8_t addr[16],
		  const struct rte_ether_addr *mac);
int dp_neigh6_del(uint16_t port, const uint8_t addr[16]);
/*
 * An address of ours beyond the interface addresses: an HSRP virtual IP
 * on port. owned (our group is Active): like an interface address, ESP
 * to it is decrypted and the rest punted. Not owned (the twin is Active):
 * packets to it are dropped and counted (DP_DROP_VIP_STANDBY), neither
 * processed nor routed back onto the LAN the twin serves. At most
 * DP_MAX_VIPS; -ENOSPC beyond, -EINVAL for a bad port or address.
 */
#define DP_MAX_VIPS 32
int dp_local_addr_set(uint16_t port, uint32_t addr, bool owned);
int dp_local_addr_del(uint16_t port, uint32_t addr);
/*
 * The same for an IPv6 global virtual address (an HSRP IPv6 group's,
 * network order): owned, ESP to it is decrypted and IKE and ICMPv6 to it
 * punted; not owned, packets to it are dropped (DP_DROP_VIP_STANDBY).
 * Its own DP_MAX_VIPS slots; link-local VIPs need none (NS to them is
 * punted on an HSRP port, dp_port_hsrp6()).
 */
int dp_local_addr6_set(uint16_t port, const uint8_t addr[16], bool owned);
int dp_local_addr6_del(uint16_t port, const uint8_t addr[16]);
/*
 * Accept frames to mac on port besides its own MAC (an HSRP virtual MAC):
 * rte_eth_dev_mac_addr_add() where the device supports it; where it does
 * not, 0 (the ports run promiscuous). Not staged: immediate.
 */
int dp_port_mac_add(uint16_t port, const struct rte_ether_addr *mac);
int dp_port_mac_del(uint16_t port, const struct rte_ether_addr *mac);
/*
 * The port runs HSRP for IPv6 groups: UDP to ff02::66 and ICMPv6 to any
 * solicited-node group are punted (the virtual addresses NS ask for are
 * the control lcore's, net/nd_vip.c); elsewhere both stay drops. Not
 * staged: immediate.
 */
int dp_port_hsrp6(uint16_t port, bool on);
/* Publish the staged tables; returns once the old snapshot is freed. */
int dp_commit(void);

/*
 * Control lcore I/O. A punted mbuf belongs to the caller. Its data starts
 * at the Ethernet header for DP_PUNT_LOCAL, DP_PUNT_TOO_BIG and DP_PUNT_TTL
 * (the frame as received: its source MAC is where to answer), for
 * DP_PUNT_TUNNEL_* (an Ethernet header of zeros: answer with dp_inject()),
 * and at the IPv4 header for DP_PUNT_NEIGH (prepend the Ethernet header
 * once resolved).
 */
unsigned int dp_punt_dequeue(struct rte_mbuf **mb, unsigned int n);
void dp_punt_info(const struct rte_mbuf *m, struct dp_punt_info *info);
/*
 * Queue a complete frame (L2 included) for transmission on port. Takes
 * the mbuf in every case: on -ENOBUFS it was freed and counted.
 */
int dp_tx(uint16_t port, struct rte_mbuf *m);
/*
 * Send m (an Ethernet frame whose MACs are ignored, an IPv4 packet of
 * ours) through the tunnel its destination's protect policy selects, as
 * if it came from the inside (TTL left as it is). Never in clear: without
 * a protect policy and its SA it is dropped. Takes the mbuf in every
 * case; 0, -ENOBUFS (ring full, counted punt-full), -ENOTCONN.
 */
int dp_inject(struct rte_mbuf *m);
struct rte_mempool *dp_pktmbuf_pool(void);

/*
 * ACQUIREs: up to n policy acquire ids from the workers' rings (never
 * blocks). An id may come from several workers, or again one interval
 * later while IKE is still negotiating: the consumer must be idempotent.
 */
unsigned int dp_acquire_dequeue(uint32_t *ids, unsigned int n);

/* Observability, summed over workers. */
void dp_drops_read(struct dp_drop_counters *out);
/* Clears the drop and the ACQUIRE counters. */
void dp_drops_clear(void);
void dp_acquire_read(struct dp_acquire_counters *out);
/* Unknown-SPI ESP punted (DP_PUNT_NO_SA), and held back by the limit. */
void dp_nosa_read(uint64_t *punted, uint64_t *limited);
/*
 * Outer fragments to us (dp_reasm.c): datagrams reassembled, and slots
 * in use now (incomplete, or refused until their deadline).
 */
void dp_reasm_read(uint64_t *done, uint64_t *slots);
int dp_port_stats_read(uint16_t port, struct dp_port_stats *out);
int dp_port_stats_clear(uint16_t port);
/*
 * IOS "shutdown" / "no shutdown": a shut port forwards nothing, received
 * frames and frames to send are dropped (counted in down_drops), and the
 * link is taken down where the device can. Takes effect at the workers'
 * next burst; the state is what interface tracking (HSRP) reads.
 */
int dp_port_set_admin(uint16_t port, bool up);
bool dp_port_admin_up(uint16_t port);

#endif /* DP_H */
