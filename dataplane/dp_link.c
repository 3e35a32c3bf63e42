/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A port's link state as the wire sees it. Most PMDs report carrier
 * through rte_eth_link_get_nowait(); net_af_packet does not: it says
 * "up" from dev_start on, whatever happens to the kernel interface under
 * it, so a switch-side cut of a veth or a pulled cable on a NIC bound
 * through af_packet went unnoticed (and HSRP interface tracking with it).
 * For those ports the link is the kernel's operational state of the
 * interface named by the vdev's iface= argument: IFF_RUNNING from
 * SIOCGIFFLAGS, cleared when the carrier is lost (for a veth: its peer
 * is down). One ioctl per port per link poll, from the control lcore.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <rte_dev.h>
#include <rte_devargs.h>
#include <rte_ethdev.h>

#include "dp_priv.h"

#define AF_PACKET_DRIVER "net_af_packet"
#define IFACE_ARG "iface="

/* The kernel interface named by "iface=NAME" in args, or "". */
static void
iface_of(const char *args, char *out, size_t len)
{
	const char *s = args, *e;
	size_t n;

	out[0] = '\0';
	while (s != NULL && *s != '\0') {
		if (strncmp(s, IFACE_ARG, strlen(IFACE_ARG)) == 0) {
			s += strlen(IFACE_ARG);
			e = strchr(s, ',');
			n = e != NULL ? (size_t)(e - s) : strlen(s);
			if (n == 0 || n >= len)
				return;
			memcpy(out, s, n);
			out[n] = '\0';
			return;
		}
		s = strchr(s, ',');
		if (s != NULL)
			s++;
	}
}

void
dp_link_init(struct dp_port *p)
{
	struct rte_eth_dev_info info;
	const struct rte_devargs *da;

	p->kif[0] = '\0';
	p->kif_fd = -1;
	if (rte_eth_dev_info_get(p->port_id, &info) != 0 ||
	    info.driver_name == NULL || info.device == NULL ||
	    strcmp(info.driver_name, AF_PACKET_DRIVER) != 0)
		return;
	da = rte_dev_devargs(info.device);
	if (da == NULL || da->args == NULL)
		return;
	iface_of(da->args, p->kif, sizeof(p->kif));
	if (p->kif[0] == '\0')
		return;
	p->kif_fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (p->kif_fd < 0)
		p->kif[0] = '\0';
}

void
dp_link_fini(struct dp_port *p)
{
	if (p->kif_fd >= 0)
		close(p->kif_fd);
	p->kif_fd = -1;
	p->kif[0] = '\0';
}

int
dp_link_read(const struct dp_port *p, bool *up, uint32_t *speed)
{
	struct rte_eth_link link;
	struct ifreq ifr;

	if (p->kif_fd >= 0) {
		memset(&ifr, 0, sizeof(ifr));
		snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", p->kif);
		if (ioctl(p->kif_fd, SIOCGIFFLAGS, &ifr) < 0)
			return -errno;
		*up = (ifr.ifr_flags & IFF_UP) != 0 &&
			(ifr.ifr_flags & IFF_RUNNING) != 0;
		*speed = 0;
		if (*up) {
			memset(&link, 0, sizeof(link));
			if (rte_eth_link_get_nowait(p->port_id, &link) == 0)
				*speed = link.link_speed;
		}
		return 0;
	}
	memset(&link, 0, sizeof(link));
	if (rte_eth_link_get_nowait(p->port_id, &link) != 0)
		return -EIO;
	*up = link.link_status == RTE_ETH_LINK_UP;
	*speed = link.link_speed;
	return 0;
}
