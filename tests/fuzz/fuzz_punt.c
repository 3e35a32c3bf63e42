/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target for the control lcore's packet input: what the
 * workers punt, through ctl_punt_dispatch() (app/twinsecd/ctl/ctl_punt.c)
 * into ARP (net/arp.c), ICMP (net/icmp.c, icmp_ping.c), the UDP listeners
 * (IKE on 500 and 4500, HSRP on 1985, as the daemon registers them) and
 * the unknown-SPI path, with the real code and no EAL: the fast path
 * underneath (dp_tx(), the ports, the punt metadata) is faked here, and
 * the mbufs come from a fake mempool that counts them.
 *
 * The input is a script: each step a punt reason, port, next hop or MTU,
 * a time step, and a frame; ARP deadlines fire as time passes. Checked:
 *  - every mbuf is freed exactly once or still queued in ARP (the pool
 *    sees no double free, and at the end, after arp_fini(), has them all);
 *  - every frame sent is well formed: ARP decodes, IPv4 decodes with a
 *    good checksum, out of a port that exists;
 *  - a UDP listener gets only its port, with lengths that fit the frame;
 *  - the counters add up: every LOCAL frame is counted once.
 *
 *   replay_punt tests/fuzz/corpus/punt            (make test)
 *   build-fuzz/tests/fuzz/fuzz_punt corpus/punt   (make fuzz)
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "ctl.h"
#include "ctl_cpif.h"
#include "net_arp.h"
#include "net_ip.h"
#include "nd.h"
#include "tw_bytes.h"
#include "tw_compiler.h"
#include "tw_log.h"

#define N_MBUF 64
#define ROOM 2048
#define N_PORTS 2
#define MAX_STEPS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fail(int line)
{
	fprintf(stderr, "fuzz_punt.c:%d: check failed\n", line);
	abort();
}

#define check(ok) do { if (!(ok)) fail(__LINE__); } while (0)

/* The fake pool: a stack of free mbufs, and who is out. */
static struct {
	struct rte_mbuf m[N_MBUF];
	uint8_t room[N_MBUF][RTE_PKTMBUF_HEADROOM + ROOM];
	bool out[N_MBUF];
	unsigned int n_free;
	struct rte_mbuf *free[N_MBUF];
} P;

/* struct rte_mempool and its pktmbuf private area right after it */
static union {
	struct rte_mempool mp;
	uint8_t b[sizeof(struct rte_mempool) +
		  sizeof(struct rte_pktmbuf_pool_private) + 64];
} pool __rte_cache_aligned;

static struct dp_punt_info cur_info;
static struct dp_port_params ports[N_PORTS];
static struct ctl ctl;
static uint64_t sent, udp_seen, nosa_seen, to_kernel;

static unsigned int
idx_of(const struct rte_mbuf *m)
{
	unsigned int i = (unsigned int)(m - P.m);

	check(m >= P.m && i < N_MBUF);
	return i;
}

static int
fake_enqueue(struct rte_mempool *mp TW_UNUSED, void *const *objs,
	     unsigned int n)
{
	unsigned int k, i;

	for (k = 0; k < n; k++) {
		i = idx_of(objs[k]);
		check(P.out[i]);            /* no double free */
		P.out[i] = false;
		P.free[P.n_free++] = objs[k];
	}
	return 0;
}

static int
fake_dequeue(struct rte_mempool *mp TW_UNUSED, void **objs, unsigned int n)
{
	unsigned int k, i;

	if (n > P.n_free)
		return -ENOBUFS;
	for (k = 0; k < n; k++) {
		objs[k] = P.free[--P.n_free];
		i = idx_of(objs[k]);
		P.out[i] = true;
	}
	return 0;
}

static unsigned int
fake_count(const struct rte_mempool *mp TW_UNUSED)
{
	return P.n_free;
}

static int
fake_alloc(struct rte_mempool *mp TW_UNUSED)
{
	return 0;
}

static void
fake_free(struct rte_mempool *mp TW_UNUSED)
{
}

static struct rte_mempool_ops fake_ops = {
	.name = "tw_fuzz",
	.alloc = fake_alloc,
	.free = fake_free,
	.enqueue = fake_enqueue,
	.dequeue = fake_dequeue,
	.get_count = fake_count,
};

static void
pool_init(void)
{
	struct rte_pktmbuf_pool_private *pp;
	unsigned int i;
	int ops;

	ops = rte_mempool_register_ops(&fake_ops);
	check(ops >= 0);
	pool.mp.ops_index = ops;
	pool.mp.cache_size = 0;
	pool.mp.size = N_MBUF;
	pool.mp.elt_size = sizeof(struct rte_mbuf);
	pp = rte_mempool_get_priv(&pool.mp);
	check((uint8_t *)(pp + 1) <= pool.b + sizeof(pool.b));
	pp->mbuf_data_room_size = RTE_PKTMBUF_HEADROOM + ROOM;
	pp->mbuf_priv_size = 0;
	for (i = 0; i < N_MBUF; i++) {
		struct rte_mbuf *m = &P.m[i];

		memset(m, 0, sizeof(*m));
		m->buf_addr = P.room[i];
		m->buf_len = RTE_PKTMBUF_HEADROOM + ROOM;
		m->pool = &pool.mp;
		m->nb_segs = 1;
		rte_mbuf_refcnt_set(m, 1);
		P.free[P.n_free++] = m;
	}
}

/* --- the fast path underneath, faked --- */

unsigned int
dp_n_ports(void)
{
	return N_PORTS;
}

const struct dp_port_params *
dp_port(uint16_t port)
{
	return port < N_PORTS ? &ports[port] : NULL;
}

void
dp_port_mac(uint16_t port, struct rte_ether_addr *mac)
{
	static const uint8_t base[6] = { 0x02, 0, 0, 0, 0, 0x10 };

	memcpy(mac->addr_bytes, base, 6);
	mac->addr_bytes[5] = (uint8_t)(0x10 + port);
}

void
dp_punt_info(const struct rte_mbuf *m TW_UNUSED, struct dp_punt_info *info)
{
	*info = cur_info;
}

struct rte_mempool *
dp_pktmbuf_pool(void)
{
	return &pool.mp;
}

int
dp_neigh_set(uint16_t port, uint32_t addr TW_UNUSED,
	     const struct rte_ether_addr *mac TW_UNUSED)
{
	check(port < N_PORTS);
	return 0;
}

int
dp_neigh_del(uint16_t port, uint32_t addr TW_UNUSED)
{
	check(port < N_PORTS);
	return 0;
}

/* What the box sends must be well formed. */
int
dp_tx(uint16_t port, struct rte_mbuf *m)
{
	const uint8_t *p = rte_pktmbuf_mtod(m, const uint8_t *);
	uint32_t len = rte_pktmbuf_data_len(m);
	struct net_ipv4 ip;
	struct net_arp arp;
	const char *why;

	check(port < N_PORTS);
	check(P.out[idx_of(m)]);
	check(m->nb_segs == 1 && m->pkt_len == m->data_len);
	check(len >= NET_ETH_HLEN);
	if (tw_get16(p + 12) == NET_ETHERTYPE_ARP) {
		check(net_arp_decode(p + NET_ETH_HLEN, len - NET_ETH_HLEN,
				     &arp, &why) == 0);
	} else {
		check(tw_get16(p + 12) == NET_ETHERTYPE_IPV4);
		check(net_ipv4_decode(p + NET_ETH_HLEN, len - NET_ETH_HLEN,
				      &ip, &why) == 0);
	}
	sent++;
	rte_pktmbuf_free(m);
	return 0;
}

/*
 * The exception path: port 1 (inside) has a control-plane interface and
 * takes what is given (the mbuf is the kernel's: freed here); copies
 * leave the caller's mbuf alone.
 */
bool
ctl_cpif_take(struct ctl *c TW_UNUSED, uint16_t port, struct rte_mbuf *m,
	      enum ctl_cp_why why)
{
	check(port < N_PORTS);
	check(P.out[idx_of(m)]);
	if (port != 1)
		return false;
	check(rte_pktmbuf_data_len(m) >= NET_ETH_HLEN);
	/*
	 * ctl_cpif.c counts it: to_kernel[why]. A UDP datagram no listener
	 * took was counted as udp already (ctl_udp_input() counts every
	 * datagram it decodes): not again in local_count()'s sum (a
	 * harness finding, punt/udp_no_listener_to_kernel).
	 */
	if (why != CTL_CP_UDP)
		to_kernel++;
	rte_pktmbuf_free(m);
	return true;
}

void
ctl_cpif_copy(struct ctl *c TW_UNUSED, uint16_t port,
	      const struct rte_mbuf *m, enum ctl_cp_why why TW_UNUSED)
{
	check(port < N_PORTS);
	check(P.out[idx_of(m)]);
}

/* IPv6 is net/nd.c's (fuzz_net6 covers its codec): consumed. */
void
nd_input(struct nd *nd TW_UNUSED, uint16_t port, struct rte_mbuf *m,
	 tw_time_t now TW_UNUSED)
{
	check(port < N_PORTS);
	check(P.out[idx_of(m)]);
	rte_pktmbuf_free(m);
}

/* Half the addresses are ours, so that UDP over IPv6 reaches both the
 * "not ours" drop and its decoder (ctl_ipv6_input()). */
bool
nd_is_mine(uint16_t port, const uint8_t addr[16])
{
	check(port < N_PORTS);
	return (addr[15] & 1) != 0;
}

/* No HSRP virtual address is held here: nd_is_mine() decides. */
const uint8_t *
nd_vip_mac(const struct nd *nd TW_UNUSED, uint16_t port,
	   const uint8_t addr[16] TW_UNUSED)
{
	check(port < N_PORTS);
	return NULL;
}

/* IPv6 forwarding's punts are net/nd_resolve.c's, nd_err.c's: consumed. */
void
nd_output(struct nd *nd TW_UNUSED, uint16_t port,
	  const uint8_t nexthop[16] TW_UNUSED, struct rte_mbuf *m,
	  tw_time_t now TW_UNUSED)
{
	check(port < N_PORTS);
	check(P.out[idx_of(m)]);
	rte_pktmbuf_free(m);
}

void
nd_time_exceeded(struct nd *nd TW_UNUSED, uint16_t port, struct rte_mbuf *m,
		 tw_time_t now TW_UNUSED)
{
	check(port < N_PORTS);
	check(P.out[idx_of(m)]);
	rte_pktmbuf_free(m);
}

void
nd_too_big(struct nd *nd TW_UNUSED, uint16_t port, uint16_t mtu TW_UNUSED,
	   struct rte_mbuf *m, tw_time_t now TW_UNUSED)
{
	check(port < N_PORTS);
	check(P.out[idx_of(m)]);
	rte_pktmbuf_free(m);
}

/* Answers through the tunnel: an IPv4 packet of ours behind a header. */
int
dp_inject(struct rte_mbuf *m)
{
	const uint8_t *p = rte_pktmbuf_mtod(m, const uint8_t *);
	uint32_t len = rte_pktmbuf_data_len(m);
	struct net_ipv4 ip;
	const char *why;

	check(P.out[idx_of(m)]);
	check(m->nb_segs == 1 && m->pkt_len == m->data_len);
	check(len >= NET_ETH_HLEN);
	check(tw_get16(p + 12) == NET_ETHERTYPE_IPV4);
	check(net_ipv4_decode(p + NET_ETH_HLEN, len - NET_ETH_HLEN, &ip,
			      &why) == 0);
	sent++;
	rte_pktmbuf_free(m);
	return 0;
}

/* --- the listeners the daemon registers --- */

static void
udp_listener(struct ctl *c TW_UNUSED, void *arg, uint16_t port,
	     struct rte_mbuf *m, const struct net_ipv4 *ip,
	     const struct net_udp *udp, tw_time_t now TW_UNUSED)
{
	check(port < N_PORTS);
	check(udp->dport == (uint16_t)(uintptr_t)arg);
	check(NET_ETH_HLEN + (uint32_t)ip->tot_len <= rte_pktmbuf_data_len(m));
	check((uint32_t)ip->hlen + NET_UDP_HLEN + udp->len <= ip->tot_len);
	udp_seen++;
	rte_pktmbuf_free(m);
}

static void
nosa(struct ctl *c TW_UNUSED, void *arg TW_UNUSED, uint32_t src TW_UNUSED,
     uint32_t spi TW_UNUSED, tw_time_t now TW_UNUSED)
{
	nosa_seen++;
}

static void
quiet(enum tw_log_level l TW_UNUSED, const char *mod TW_UNUSED,
      const char *fmt TW_UNUSED, va_list ap TW_UNUSED)
{
}

static void
ctl_setup(tw_time_t now)
{
	static const uint16_t listen[3] = { 500, 4500, 1985 };
	struct rte_ether_addr mac;
	unsigned int i;

	memset(&ctl, 0, sizeof(ctl));
	check(tw_heap_init(&ctl.heap, 4 * ARP_MAX_NEIGH) == 0);
	arp_init(&ctl.arp, &ctl.heap);
	icmp_init(&ctl.icmp, now);
	for (i = 0; i < N_PORTS; i++) {
		dp_port_mac((uint16_t)i, &mac);
		check(arp_local_add(&ctl.arp, (uint16_t)i, ports[i].addr,
				    &mac) == 0);
	}
	/* an HSRP virtual IP we own on the inside */
	mac = (struct rte_ether_addr){ { 0, 0, 0x0c, 0x9f, 0xf0, 1 } };
	check(arp_local_add(&ctl.arp, 1, 0x0a0000feu, &mac) == 0);
	for (i = 0; i < 3; i++) {
		ctl.udp[i].port = listen[i];
		ctl.udp[i].fn = udp_listener;
		ctl.udp[i].arg = (void *)(uintptr_t)listen[i];
	}
	ctl.n_udp = 3;
	ctl.nosa_fn = nosa;
}

struct in {
	const uint8_t *p;
	size_t left;
};

static uint8_t
get8(struct in *in)
{
	uint8_t v;

	if (in->left == 0)
		return 0;
	v = *in->p++;
	in->left--;
	return v;
}

static uint64_t
local_count(void)
{
	const struct ctl_counters *c = &ctl.cnt;

	/* what the exception path takes is counted there (ctl_cpif.c) */
	return c->malformed + c->arp + c->unsupported + c->not_ours +
		c->icmp + c->udp + c->other_proto + c->ipv6 + to_kernel;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool once;
	struct in in = { data, size };
	tw_time_t now = TW_SEC(100);
	unsigned int steps = 0, i;
	struct rte_mbuf *m;

	if (!once) {
		tw_log_set_sink(quiet);
		pool_init();
		ports[0] = (struct dp_port_params){ .name = "outside",
			.device = "fuzz0", .role = CONF_ROLE_OUTSIDE,
			.addr = 0xc0000201u, .prefix_len = 24, .mtu = 1500 };
		ports[1] = (struct dp_port_params){ .name = "inside",
			.device = "fuzz1", .role = CONF_ROLE_INSIDE,
			.addr = 0x0a000001u, .prefix_len = 24, .mtu = 1500 };
		once = true;
	}
	ctl_setup(now);
	sent = udp_seen = nosa_seen = to_kernel = 0;
	while (in.left > 0 && steps++ < MAX_STEPS) {
		uint8_t r = get8(&in);
		uint64_t before = local_count();
		size_t len;

		cur_info.reason = (enum dp_punt_reason)(r % 6);
		/* 5 is a decrypted inner packet: to us, or its TTL ran out */
		if (cur_info.reason == DP_PUNT_TUNNEL_LOCAL && (r & 4))
			cur_info.reason = DP_PUNT_TUNNEL_TTL;
		cur_info.port = (r >> 3) & 1 ? 1 : 0;
		if ((r & 0xc0) == 0xc0)
			cur_info.port = N_PORTS;    /* a port we do not have */
		cur_info.nexthop = (r & 0x20) ? 0x0a000009u :
			(uint32_t)get8(&in) << 24 | 0x000a00u | get8(&in);
		cur_info.mtu = (uint16_t)(576 + get8(&in) * 4);
		now += TW_MSEC((uint32_t)get8(&in) * 100);
		tw_heap_run(&ctl.heap, now);
		len = (size_t)get8(&in) << 8 | get8(&in);
		if (len > in.left)
			len = in.left;
		if (len > ROOM)
			len = ROOM;
		m = rte_pktmbuf_alloc(&pool.mp);
		if (m == NULL) {
			/* everything queued in ARP: time passes */
			now += TW_SEC(5);
			tw_heap_run(&ctl.heap, now);
			in.p += len;
			in.left -= len;
			continue;
		}
		memcpy(rte_pktmbuf_append(m, (uint16_t)len), in.p, len);
		in.p += len;
		in.left -= len;
		/*
		 * A decrypted inner packet comes behind the header the fast
		 * path writes (dp_punt_inner(): zeros, IPv4), which the
		 * control lcore trusts. Before this, any ethertype came
		 * through and the echo reply, answered in place, kept it:
		 * dp_inject()'s check failed on a frame dp_fwd.c never
		 * punts (a harness finding, not the daemon's).
		 */
		if ((cur_info.reason == DP_PUNT_TUNNEL_LOCAL ||
		     cur_info.reason == DP_PUNT_TUNNEL_TTL) &&
		    len >= NET_ETH_HLEN) {
			uint8_t *e = rte_pktmbuf_mtod(m, uint8_t *);

			memset(e, 0, NET_ETH_HLEN);
			tw_put16(e + 12, NET_ETHERTYPE_IPV4);
		}
		if (cur_info.reason == DP_PUNT_NEIGH) {
			struct net_ipv4 ip;
			const char *why;

			/*
			 * The workers punt for resolution only what passed
			 * dp_classify() (dp_ipv4_check(), TTL decremented
			 * with its checksum): ARP sends it on as it is.
			 */
			if (net_ipv4_decode(rte_pktmbuf_mtod(m, uint8_t *),
					    len, &ip, &why) != 0) {
				rte_pktmbuf_free(m);
				continue;
			}
		}
		ctl_punt_dispatch(&ctl, m, now);
		if (cur_info.reason == DP_PUNT_LOCAL &&
		    cur_info.port < N_PORTS)
			check(local_count() == before + 1);
	}
	/* every mbuf back, once ARP lets go of what it queued */
	arp_fini(&ctl.arp);
	tw_heap_fini(&ctl.heap);
	for (i = 0; i < N_MBUF; i++)
		check(!P.out[i]);
	check(P.n_free == N_MBUF);
	return 0;
}
