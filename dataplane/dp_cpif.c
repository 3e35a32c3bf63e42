/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Control-plane interfaces: one net_tap vdev per port that asks for one
 * (dp_cpif.h; why net_tap: docs/control-plane.md). The vdev is created at
 * run time, after the EAL, named "net_tap_cp<port>", with iface= the
 * kernel name and mac= the port's MAC, so that what the kernel sends
 * leaves with the port's own source address and what it resolves by ARP
 * is answered to that address. It has one queue pair, used by the control
 * lcore only, and the port's MTU.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_bus_vdev.h>
#include <rte_errno.h>
#include <rte_ethdev.h>

#include "dp_cpif.h"
#include "dp_priv.h"

/*
 * net_tap holds one mbuf per RX descriptor from the shared pool for good
 * (they are the scatter list a frame is read into): a handful covers a
 * 9000-byte frame in 2 KiB mbufs. TX descriptors hold nothing.
 */
#define DP_CPIF_NB_RXD 32
#define DP_CPIF_NB_TXD 512

struct dp_cpif {
	bool on;
	bool vdev;                      /* rte_vdev_init() succeeded */
	bool started;
	uint16_t port_id;               /* the net_tap ethdev */
	char vdev_name[32];
	char name[IF_NAMESIZE];
	uint64_t to_kernel, from_kernel, to_kernel_full;
};

static struct dp_cpif cpif[DP_MAX_PORTS];

static struct dp_cpif *
cpif_get(uint16_t port)
{
	if (port >= dp_g.n_ports || !cpif[port].on)
		return NULL;
	return &cpif[port];
}

/*
 * IPv6 off on the interface before it comes up: the fast path is IPv4,
 * and what the kernel would send is duplicate address detection, router
 * solicitations and MLD reports nobody asked for. Best effort (a kernel
 * without IPv6 has no such file).
 */
static void
cpif_ipv6_off(const char *name)
{
	char path[96];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/disable_ipv6",
		 name);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = write(fd, "1\n", 2);
	(void)n;
	close(fd);
}

static int
cpif_setup(struct dp_cpif *c, const struct dp_port *p, char *err,
	   size_t errlen)
{
	struct rte_eth_conf conf;
	char args[96], mac[RTE_ETHER_ADDR_FMT_SIZE];
	int rc;

	rte_ether_format_addr(mac, sizeof(mac), &p->mac);
	snprintf(args, sizeof(args), "iface=%s,mac=%s", c->name, mac);
	rc = rte_vdev_init(c->vdev_name, args);
	if (rc != 0) {
		snprintf(err, errlen,
			 "interface %s: cannot create control-plane interface %s (net_tap %s): %s",
			 p->name, c->name, args, rte_strerror(-rc));
		return rc;
	}
	c->vdev = true;
	cpif_ipv6_off(c->name);
	rc = rte_eth_dev_get_port_by_name(c->vdev_name, &c->port_id);
	if (rc != 0) {
		snprintf(err, errlen, "interface %s: %s has no port",
			 p->name, c->vdev_name);
		return -ENODEV;
	}
	memset(&conf, 0, sizeof(conf));
	rc = rte_eth_dev_configure(c->port_id, 1, 1, &conf);
	if (rc == 0)
		rc = rte_eth_rx_queue_setup(c->port_id, 0, DP_CPIF_NB_RXD,
					    SOCKET_ID_ANY, NULL, dp_g.pool);
	if (rc == 0)
		rc = rte_eth_tx_queue_setup(c->port_id, 0, DP_CPIF_NB_TXD,
					    SOCKET_ID_ANY, NULL);
	if (rc == 0)
		rc = rte_eth_dev_set_mtu(c->port_id, p->params.mtu);
	if (rc == 0)
		rc = rte_eth_dev_start(c->port_id);
	if (rc != 0) {
		snprintf(err, errlen,
			 "interface %s: control-plane interface %s: setup failed: %s",
			 p->name, c->name, rte_strerror(-rc));
		return rc;
	}
	c->started = true;
	return 0;
}

int
dp_cpif_init(char *err, size_t errlen)
{
	unsigned int i;
	int rc;

	for (i = 0; i < dp_g.n_ports; i++) {
		const struct dp_port *p = &dp_g.ports[i];
		struct dp_cpif *c = &cpif[i];

		memset(c, 0, sizeof(*c));
		if (p->params.cp_name == NULL)
			continue;
		if (strlen(p->params.cp_name) >= sizeof(c->name)) {
			snprintf(err, errlen,
				 "interface %s: control-plane name '%s' too long",
				 p->name, p->params.cp_name);
			return -EINVAL;
		}
		snprintf(c->name, sizeof(c->name), "%s", p->params.cp_name);
		snprintf(c->vdev_name, sizeof(c->vdev_name), "net_tap_cp%u", i);
		c->on = true;
		rc = cpif_setup(c, p, err, errlen);
		if (rc != 0)
			return rc;
	}
	return 0;
}

void
dp_cpif_fini(void)
{
	unsigned int i;

	for (i = 0; i < DP_MAX_PORTS; i++) {
		struct dp_cpif *c = &cpif[i];

		if (c->started)
			rte_eth_dev_stop(c->port_id);
		if (c->vdev) {
			rte_eth_dev_close(c->port_id);
			rte_vdev_uninit(c->vdev_name);
		}
		memset(c, 0, sizeof(*c));
	}
}

bool
dp_cpif_enabled(uint16_t port)
{
	return cpif_get(port) != NULL;
}

const char *
dp_cpif_name(uint16_t port)
{
	struct dp_cpif *c = cpif_get(port);

	return c != NULL ? c->name : NULL;
}

int
dp_cpif_to_kernel(uint16_t port, struct rte_mbuf *m)
{
	struct dp_cpif *c = cpif_get(port);

	if (c == NULL || !c->started) {
		rte_pktmbuf_free(m);
		return -ENODEV;
	}
	if (rte_eth_tx_burst(c->port_id, 0, &m, 1) != 1) {
		c->to_kernel_full++;
		rte_pktmbuf_free(m);
		return -ENOBUFS;
	}
	c->to_kernel++;
	return 0;
}

unsigned int
dp_cpif_from_kernel(uint16_t port, struct rte_mbuf **mb, unsigned int n)
{
	struct dp_cpif *c = cpif_get(port);
	uint16_t k;

	if (c == NULL || !c->started)
		return 0;
	k = rte_eth_rx_burst(c->port_id, 0, mb,
			     (uint16_t)RTE_MIN(n, (unsigned int)UINT16_MAX));
	c->from_kernel += k;
	return k;
}

int
dp_cpif_stats_read(uint16_t port, struct dp_cpif_stats *out)
{
	struct dp_cpif *c = cpif_get(port);
	struct rte_eth_stats st;

	memset(out, 0, sizeof(*out));
	if (c == NULL)
		return -ENODEV;
	out->to_kernel = c->to_kernel;
	out->from_kernel = c->from_kernel;
	out->to_kernel_full = c->to_kernel_full;
	if (c->started && rte_eth_stats_get(c->port_id, &st) == 0)
		out->tap_errors = st.ierrors + st.oerrors;
	return 0;
}
