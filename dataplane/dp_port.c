/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Ports, found by DPDK device name (the vdevs or allow-listed devices come
 * from the EAL command line).
 *
 * Queues: one RX queue per worker when the device has that many (RSS when
 * the device offers it), else a single RX queue polled by worker 0. One TX
 * queue per worker when possible; with fewer (net_pcap has one) the workers
 * share them under a spinlock, taken only on such ports.
 *
 * TX from the control lcore (dp_tx): when the device has a TX queue more
 * than the workers need, the control lcore owns that queue and transmits
 * directly. Otherwise it enqueues on a per-port single-producer /
 * single-consumer ring that worker 0 drains into its own TX queue once per
 * loop, so no TX queue is ever used by two threads without the lock.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_ethdev.h>
#include <rte_errno.h>
#include <rte_ring.h>

#include "dp_priv.h"

#define DP_NB_RXD 1024
#define DP_NB_TXD 1024
#define DP_CTL_RING_SIZE 1024

static int
dp_port_find(const struct dp_port_params *pp, uint16_t *port_id, char *err,
	     size_t errlen)
{
	if (pp->device == NULL ||
	    rte_eth_dev_get_port_by_name(pp->device, port_id) != 0) {
		snprintf(err, errlen,
			 "interface %s: port '%s' not found (pass --vdev %s,... or -a on the EAL command line)",
			 pp->name != NULL ? pp->name : "?",
			 pp->device != NULL ? pp->device : "",
			 pp->device != NULL ? pp->device : "");
		return -ENODEV;
	}
	return 0;
}

static int
dp_port_setup(struct dp_port *p, unsigned int idx, char *err, size_t errlen)
{
	struct rte_eth_dev_info info;
	struct rte_eth_conf conf;
	struct rte_eth_rxconf rxconf;
	uint16_t nb_rxd = DP_NB_RXD, nb_txd = DP_NB_TXD, q, n_tx;
	unsigned int nw = dp_g.n_workers;
	char name[RTE_RING_NAMESIZE];
	int rc, socket;

	rc = rte_eth_dev_info_get(p->port_id, &info);
	if (rc != 0) {
		snprintf(err, errlen, "port '%s': cannot get device info: %s",
			 p->device, rte_strerror(-rc));
		return rc;
	}
	/* One mbuf per frame: no scatter, so no jumbo frames. */
	if (p->params.mtu + RTE_ETHER_HDR_LEN + RTE_ETHER_CRC_LEN >
	    RTE_MBUF_DEFAULT_DATAROOM) {
		snprintf(err, errlen,
			 "interface %s: MTU %u is larger than this build supports (%u)",
			 p->name, p->params.mtu,
			 RTE_MBUF_DEFAULT_DATAROOM - RTE_ETHER_HDR_LEN -
			 RTE_ETHER_CRC_LEN);
		return -EINVAL;
	}
	socket = rte_eth_dev_socket_id(p->port_id);
	if (socket < 0)
		socket = SOCKET_ID_ANY;

	p->n_rxq = info.max_rx_queues >= nw ? nw : 1;
	if (info.max_tx_queues == 0) {
		snprintf(err, errlen, "port '%s' has no TX queue", p->device);
		return -ENOTSUP;
	}
	p->n_txq = RTE_MIN(info.max_tx_queues, nw);
	p->txq_shared = p->n_txq < nw;
	for (q = 0; q < RTE_DIM(p->txq_lock); q++)
		rte_spinlock_init(&p->txq_lock[q]);
	if (info.max_tx_queues > nw) {
		p->ctl_txq = (int)nw;
		n_tx = (uint16_t)(nw + 1);
	} else {
		p->ctl_txq = -1;
		n_tx = p->n_txq;
		snprintf(name, sizeof(name), "tw_ctltx_%u", idx);
		p->ctl_ring = rte_ring_create(name, DP_CTL_RING_SIZE, socket,
					      RING_F_SP_ENQ | RING_F_SC_DEQ);
		if (p->ctl_ring == NULL) {
			snprintf(err, errlen, "port '%s': cannot create TX ring: %s",
				 p->device, rte_strerror(rte_errno));
			return -rte_errno;
		}
	}

	memset(&conf, 0, sizeof(conf));
	/* Only what the device reports: virtual devices offer little. */
	conf.rxmode.offloads = info.rx_offload_capa & RTE_ETH_RX_OFFLOAD_IPV4_CKSUM;
	if (p->params.mtu >= info.min_mtu && p->params.mtu <= info.max_mtu)
		conf.rxmode.mtu = p->params.mtu;
	if (p->n_rxq > 1 && info.flow_type_rss_offloads != 0) {
		conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
		conf.rx_adv_conf.rss_conf.rss_hf = info.flow_type_rss_offloads &
			(RTE_ETH_RSS_IP | RTE_ETH_RSS_UDP | RTE_ETH_RSS_TCP);
	}
	rc = rte_eth_dev_configure(p->port_id, p->n_rxq, n_tx, &conf);
	if (rc != 0) {
		snprintf(err, errlen, "port '%s': configure (%u rx, %u tx queues) failed: %s",
			 p->device, p->n_rxq, n_tx, rte_strerror(-rc));
		return rc;
	}
	p->configured = true;
	rc = rte_eth_dev_adjust_nb_rx_tx_desc(p->port_id, &nb_rxd, &nb_txd);
	if (rc != 0) {
		snprintf(err, errlen, "port '%s': descriptor counts: %s",
			 p->device, rte_strerror(-rc));
		return rc;
	}
	rxconf = info.default_rxconf;
	rxconf.offloads = conf.rxmode.offloads;
	for (q = 0; q < p->n_rxq; q++) {
		rc = rte_eth_rx_queue_setup(p->port_id, q, nb_rxd, socket,
					    &rxconf, dp_g.pool);
		if (rc != 0) {
			snprintf(err, errlen, "port '%s': RX queue %u: %s",
				 p->device, q, rte_strerror(-rc));
			return rc;
		}
	}
	for (q = 0; q < n_tx; q++) {
		rc = rte_eth_tx_queue_setup(p->port_id, q, nb_txd, socket, NULL);
		if (rc != 0) {
			snprintf(err, errlen, "port '%s': TX queue %u: %s",
				 p->device, q, rte_strerror(-rc));
			return rc;
		}
	}
	rc = rte_eth_dev_set_mtu(p->port_id, p->params.mtu);
	if (rc != 0 && rc != -ENOTSUP && rc != -ENOSYS) {
		snprintf(err, errlen, "port '%s': cannot set MTU %u: %s",
			 p->device, p->params.mtu, rte_strerror(-rc));
		return rc;
	}
	rc = rte_eth_macaddr_get(p->port_id, &p->mac);
	if (rc != 0) {
		snprintf(err, errlen, "port '%s': cannot read MAC address: %s",
			 p->device, rte_strerror(-rc));
		return rc;
	}
	/* HSRP virtual MACs later, and af_packet needs it anyway. */
	rc = rte_eth_promiscuous_enable(p->port_id);
	if (rc != 0 && rc != -ENOTSUP) {
		snprintf(err, errlen, "port '%s': cannot enable promiscuous mode: %s",
			 p->device, rte_strerror(-rc));
		return rc;
	}
	return 0;
}

int
dp_ports_init(char *err, size_t errlen)
{
	const struct dp_params *prm = &dp_g.params;
	unsigned int i, j;
	int rc;

	if (prm->n_ports == 0 || prm->n_ports > DP_MAX_PORTS) {
		snprintf(err, errlen, "need 1 to %u ports, got %u",
			 DP_MAX_PORTS, prm->n_ports);
		return -EINVAL;
	}
	for (i = 0; i < prm->n_ports; i++) {
		struct dp_port *p = &dp_g.ports[i];
		const struct dp_port_params *pp = &prm->ports[i];

		rc = dp_port_find(pp, &p->port_id, err, errlen);
		if (rc != 0)
			return rc;
		for (j = 0; j < i; j++) {
			if (dp_g.ports[j].port_id == p->port_id) {
				snprintf(err, errlen,
					 "interfaces %s and %s use the same port '%s'",
					 dp_g.ports[j].name, pp->name, pp->device);
				return -EINVAL;
			}
		}
		snprintf(p->name, sizeof(p->name), "%s",
			 pp->name != NULL ? pp->name : pp->device);
		snprintf(p->device, sizeof(p->device), "%s", pp->device);
		p->params = *pp;
		p->params.name = p->name;
		p->params.device = p->device;
		if (p->params.mtu == 0)
			p->params.mtu = RTE_ETHER_MTU;
		p->ctl_txq = -1;
		p->kif_fd = -1;
		dp_g.n_ports = i + 1;
		rc = dp_port_setup(p, i, err, errlen);
		if (rc != 0)
			return rc;
		dp_link_init(p);
	}
	return 0;
}

int
dp_ports_start(char *err, size_t errlen)
{
	unsigned int i;
	int rc;

	for (i = 0; i < dp_g.n_ports; i++) {
		struct dp_port *p = &dp_g.ports[i];

		if (p->started)
			continue;
		rc = rte_eth_dev_start(p->port_id);
		if (rc != 0) {
			snprintf(err, errlen, "port '%s': start failed: %s",
				 p->device, rte_strerror(-rc));
			return rc;
		}
		p->started = true;
	}
	return 0;
}

void
dp_ports_stop(void)
{
	unsigned int i;

	for (i = 0; i < dp_g.n_ports; i++) {
		struct dp_port *p = &dp_g.ports[i];

		if (p->started)
			rte_eth_dev_stop(p->port_id);
		p->started = false;
	}
}

void
dp_ports_close(void)
{
	struct rte_mbuf *m;
	unsigned int i;

	dp_ports_stop();
	for (i = 0; i < dp_g.n_ports; i++) {
		struct dp_port *p = &dp_g.ports[i];

		dp_link_fini(p);
		if (p->configured)
			rte_eth_dev_close(p->port_id);
		p->configured = false;
		if (p->ctl_ring != NULL) {
			while (rte_ring_dequeue(p->ctl_ring, (void **)&m) == 0)
				rte_pktmbuf_free(m);
			rte_ring_free(p->ctl_ring);
			p->ctl_ring = NULL;
		}
	}
	dp_g.n_ports = 0;
}

void
dp_port_ctl_drain(struct dp_worker *w)
{
	struct rte_mbuf *mb[DP_TX_BUF];
	unsigned int i, j, n;

	for (i = 0; i < dp_g.n_ports; i++) {
		if (dp_g.ports[i].ctl_ring == NULL)
			continue;
		n = rte_ring_sc_dequeue_burst(dp_g.ports[i].ctl_ring,
					      (void **)mb, DP_TX_BUF, NULL);
		for (j = 0; j < n; j++)
			dp_tx_enqueue(w, (uint16_t)i, mb[j]);
	}
}

int
dp_tx(uint16_t port, struct rte_mbuf *m)
{
	struct dp_port *p;

	if (port >= dp_g.n_ports) {
		rte_pktmbuf_free(m);
		return -EINVAL;
	}
	p = &dp_g.ports[port];
	if (unlikely(__atomic_load_n(&p->admin_down, __ATOMIC_RELAXED))) {
		__atomic_fetch_add(&p->down_drops, 1, __ATOMIC_RELAXED);
		rte_pktmbuf_free(m);
		return -ENETDOWN;
	}
	if (p->ctl_txq >= 0) {
		if (p->started &&
		    rte_eth_tx_burst(p->port_id, (uint16_t)p->ctl_txq, &m, 1) == 1)
			return 0;
	} else if (rte_ring_sp_enqueue(p->ctl_ring, m) == 0) {
		return 0;
	}
	dp_drop_count(&dp_g.ctl_drops, DP_DROP_TX_FULL, 1);
	rte_pktmbuf_free(m);
	return -ENOBUFS;
}

int
dp_port_mac_add(uint16_t port, const struct rte_ether_addr *mac)
{
	int rc;

	if (port >= dp_g.n_ports)
		return -EINVAL;
	rc = rte_eth_dev_mac_addr_add(dp_g.ports[port].port_id,
				      (struct rte_ether_addr *)(uintptr_t)mac, 0);
	/* Without MAC filters the port is promiscuous (dp_port_setup). */
	if (rc == -ENOTSUP || rc == -ENOSPC)
		return 0;
	return rc;
}

int
dp_port_hsrp6(uint16_t port, bool on)
{
	if (port >= dp_g.n_ports)
		return -EINVAL;
	__atomic_store_n(&dp_g.ports[port].hsrp6, on, __ATOMIC_RELEASE);
	return 0;
}

int
dp_port_mac_del(uint16_t port, const struct rte_ether_addr *mac)
{
	int rc;

	if (port >= dp_g.n_ports)
		return -EINVAL;
	rc = rte_eth_dev_mac_addr_remove(dp_g.ports[port].port_id,
					 (struct rte_ether_addr *)(uintptr_t)mac);
	if (rc == -ENOTSUP || rc == -EADDRNOTAVAIL)
		return 0;
	return rc;
}

unsigned int
dp_n_ports(void)
{
	return dp_g.n_ports;
}

const struct dp_port_params *
dp_port(uint16_t port)
{
	return port < dp_g.n_ports ? &dp_g.ports[port].params : NULL;
}

void
dp_port_mac(uint16_t port, struct rte_ether_addr *mac)
{
	if (port < dp_g.n_ports)
		*mac = dp_g.ports[port].mac;
	else
		memset(mac, 0, sizeof(*mac));
}

int
dp_port_stats_read(uint16_t port, struct dp_port_stats *out)
{
	struct rte_eth_stats st;
	int rc;

	memset(out, 0, sizeof(*out));
	if (port >= dp_g.n_ports)
		return -EINVAL;
	rc = rte_eth_stats_get(dp_g.ports[port].port_id, &st);
	if (rc != 0)
		return rc;
	out->ipackets = st.ipackets;
	out->opackets = st.opackets;
	out->ibytes = st.ibytes;
	out->obytes = st.obytes;
	out->ierrors = st.ierrors;
	out->oerrors = st.oerrors;
	out->imissed = st.imissed;
	out->down_drops = __atomic_load_n(&dp_g.ports[port].down_drops,
					  __ATOMIC_RELAXED);
	out->admin_up = !__atomic_load_n(&dp_g.ports[port].admin_down,
					 __ATOMIC_RELAXED);
	/* Carrier: the PMD's, or the kernel's for af_packet (dp_link.c). */
	if (dp_link_read(&dp_g.ports[port], &out->link_up,
			 &out->link_speed) < 0) {
		out->link_up = false;
		out->link_speed = 0;
	}
	return 0;
}

int
dp_port_stats_clear(uint16_t port)
{
	if (port >= dp_g.n_ports)
		return -EINVAL;
	__atomic_store_n(&dp_g.ports[port].down_drops, 0, __ATOMIC_RELAXED);
	return rte_eth_stats_reset(dp_g.ports[port].port_id);
}

int
dp_port_set_admin(uint16_t port, bool up)
{
	struct dp_port *p;
	int rc;

	if (port >= dp_g.n_ports)
		return -EINVAL;
	p = &dp_g.ports[port];
	__atomic_store_n(&p->admin_down, !up, __ATOMIC_RELEASE);
	if (!p->started)
		return 0;
	/* The link follows where the device can (virtual devices often not). */
	rc = up ? rte_eth_dev_set_link_up(p->port_id) :
		rte_eth_dev_set_link_down(p->port_id);
	if (rc != 0 && rc != -ENOTSUP && rc != -ENOSYS)
		return rc;
	return 0;
}

bool
dp_port_admin_up(uint16_t port)
{
	return port < dp_g.n_ports &&
	       !__atomic_load_n(&dp_g.ports[port].admin_down, __ATOMIC_ACQUIRE);
}
