/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The exception path's control side (ctl_cpif.h). The kernel interface is
 * a mirror: its IPv4 address and netmask are the configured ones, set at
 * start and put back by the check (every CPIF_CHECK) when they differ.
 * (IPv6 is switched off on it by dp_cpif.c before it comes up.)
 *
 * ARP: arp.c keeps answering for our addresses (and the HSRP VIPs, which
 * the kernel does not have); the kernel gets a copy of every ARP frame so
 * that it learns its neighbours and sees the answers to its own requests,
 * and its own ARP replies are dropped on the way out (counted), so a
 * request is answered once.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ctl.h"
#include "ctl_cpif.h"
#include "dp_cpif.h"
#include "net_arp.h"
#include "tw_bytes.h"
#include "tw_compiler.h"
#include "tw_log.h"

#define CPIF_CHECK TW_SEC(1)
#define CPIF_BURST 32
#define ARP_OP_OFF (NET_ETH_HLEN + 6)
#define ARP_OP_REPLY 2

struct cpif_port {
	bool on;
	bool lost;                      /* gone: logged once, for good */
	int ifindex;
	struct ctl_cpif_counters cnt;
};

static struct {
	int fd;                         /* ioctl socket */
	struct tw_deadline dl;
	bool armed;
	struct cpif_port port[DP_MAX_PORTS];
} cp = { .fd = -1 };

static const char *const why_names[CTL_CP_N_WHY] = {
	[CTL_CP_ARP] = "arp",
	[CTL_CP_ICMP] = "icmp",
	[CTL_CP_UDP] = "udp",
	[CTL_CP_MCAST] = "multicast",
	[CTL_CP_PROTO] = "protocol",
};

const char *
ctl_cp_why_name(enum ctl_cp_why w)
{
	return w < CTL_CP_N_WHY ? why_names[w] : "?";
}

static void
sin_set(struct sockaddr *sa, uint32_t addr)
{
	struct sockaddr_in sin;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(addr);
	memcpy(sa, &sin, sizeof(sin));
}

static uint32_t
sin_get(const struct sockaddr *sa)
{
	struct sockaddr_in sin;

	memcpy(&sin, sa, sizeof(sin));
	return ntohl(sin.sin_addr.s_addr);
}

/* The kernel interface's IPv4 address and netmask, or -errno. */
static int
cpif_addr_read(const char *name, uint32_t *addr, uint32_t *mask)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (ioctl(cp.fd, SIOCGIFADDR, &ifr) < 0)
		return -errno;
	*addr = sin_get(&ifr.ifr_addr);
	if (ioctl(cp.fd, SIOCGIFNETMASK, &ifr) < 0)
		return -errno;
	*mask = sin_get(&ifr.ifr_netmask);
	return 0;
}

static int
cpif_addr_set(const char *name, uint32_t addr, uint8_t len)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	sin_set(&ifr.ifr_addr, addr);
	if (ioctl(cp.fd, SIOCSIFADDR, &ifr) < 0)
		return -errno;
	sin_set(&ifr.ifr_netmask, net_prefix_mask(len));
	if (ioctl(cp.fd, SIOCSIFNETMASK, &ifr) < 0)
		return -errno;
	if (ioctl(cp.fd, SIOCGIFFLAGS, &ifr) < 0)
		return -errno;
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(cp.fd, SIOCSIFFLAGS, &ifr) < 0)
		return -errno;
	return 0;
}

/* Mirror port's address onto its kernel interface if it differs. */
static void
cpif_mirror(uint16_t port, bool first)
{
	const struct dp_port_params *pp = dp_port(port);
	const char *name = dp_cpif_name(port);
	struct cpif_port *c = &cp.port[port];
	uint32_t addr = 0, mask = 0;
	unsigned int idx;
	int rc;

	if (c->lost)
		return;
	idx = if_nametoindex(name);
	if (first)
		c->ifindex = (int)idx;
	/*
	 * Gone, or another interface by that name: ours is not coming back
	 * (its TAP is detached); a restart creates it again. Nothing of a
	 * stranger's is touched.
	 */
	if (idx == 0 || (int)idx != c->ifindex) {
		c->cnt.lost++;
		c->lost = true;
		c->ifindex = 0;
		tw_log(TW_LOG_ERR, "cpif",
		       "interface %s: control-plane interface %s is gone (deleted?): the exception path of this port is down until a restart",
		       pp->name, name);
		return;
	}
	if (cpif_addr_read(name, &addr, &mask) == 0 && addr == pp->addr &&
	    mask == net_prefix_mask(pp->prefix_len))
		return;
	rc = cpif_addr_set(name, pp->addr, pp->prefix_len);
	if (rc < 0) {
		tw_log(TW_LOG_ERR, "cpif",
		       "interface %s: cannot set the address of %s: %s",
		       pp->name, name, strerror(-rc));
		return;
	}
	if (!first) {
		c->cnt.mirror_fixes++;
		tw_log(TW_LOG_WARNING, "cpif",
		       "interface %s: the address of %s was changed outside twinsec: put back",
		       pp->name, name);
	}
}

void
ctl_cpif_mirror_all(struct ctl *ctl TW_UNUSED)
{
	unsigned int i;

	for (i = 0; i < dp_n_ports(); i++)
		if (cp.port[i].on)
			cpif_mirror((uint16_t)i, false);
}

static void
cpif_check(void *arg, tw_time_t now)
{
	struct ctl *ctl = arg;

	ctl_cpif_mirror_all(ctl);
	tw_heap_arm(&ctl->heap, &cp.dl, now + CPIF_CHECK);
}

int
ctl_cpif_init(struct ctl *ctl)
{
	unsigned int i, n = 0;

	memset(cp.port, 0, sizeof(cp.port));
	for (i = 0; i < dp_n_ports(); i++) {
		if (!dp_cpif_enabled((uint16_t)i))
			continue;
		if (cp.fd < 0) {
			cp.fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
			if (cp.fd < 0)
				return -errno;
		}
		cp.port[i].on = true;
		cpif_mirror((uint16_t)i, true);
		tw_log(TW_LOG_INFO, "cpif",
		       "interface %s: control-plane interface %s (ifindex %d)",
		       dp_port((uint16_t)i)->name, dp_cpif_name((uint16_t)i),
		       cp.port[i].ifindex);
		n++;
	}
	if (n > 0) {
		tw_deadline_init(&cp.dl, cpif_check, ctl);
		tw_heap_arm(&ctl->heap, &cp.dl, ctl_now() + CPIF_CHECK);
		cp.armed = true;
	}
	return 0;
}

void
ctl_cpif_fini(struct ctl *ctl)
{
	if (cp.armed)
		tw_heap_cancel(&ctl->heap, &cp.dl);
	cp.armed = false;
	if (cp.fd >= 0)
		close(cp.fd);
	cp.fd = -1;
}

bool
ctl_cpif_take(struct ctl *ctl TW_UNUSED, uint16_t port, struct rte_mbuf *m,
	      enum ctl_cp_why why)
{
	struct cpif_port *c;

	if (port >= DP_MAX_PORTS || !cp.port[port].on)
		return false;
	c = &cp.port[port];
	if (c->lost) {
		c->cnt.to_kernel_dropped++;
		rte_pktmbuf_free(m);
		return true;
	}
	m->ol_flags = 0;
	if (dp_cpif_to_kernel(port, m) < 0)
		c->cnt.to_kernel_dropped++;
	else
		c->cnt.to_kernel[why]++;
	return true;
}

void
ctl_cpif_copy(struct ctl *ctl, uint16_t port, const struct rte_mbuf *m,
	      enum ctl_cp_why why)
{
	struct rte_mbuf *c;

	if (port >= DP_MAX_PORTS || !cp.port[port].on)
		return;
	c = rte_pktmbuf_copy(m, dp_pktmbuf_pool(), 0, UINT32_MAX);
	if (c == NULL) {
		cp.port[port].cnt.to_kernel_dropped++;
		return;
	}
	ctl_cpif_take(ctl, port, c, why);
}

/* What the kernel may send on the wire: IPv4, and ARP but its replies. */
static bool
cpif_out_ok(struct cpif_port *c, const struct rte_mbuf *m)
{
	const uint8_t *eth = rte_pktmbuf_mtod(m, const uint8_t *);
	uint16_t type;

	if (rte_pktmbuf_data_len(m) < NET_ETH_HLEN) {
		c->cnt.from_kernel_not_ipv4++;
		return false;
	}
	type = tw_get16(eth + 12);
	if (type == NET_ETHERTYPE_IPV4)
		return true;
	if (type == NET_ETHERTYPE_ARP) {
		if (rte_pktmbuf_data_len(m) >= ARP_OP_OFF + 2 &&
		    tw_get16(eth + ARP_OP_OFF) == ARP_OP_REPLY) {
			c->cnt.from_kernel_arp_reply++;
			return false;
		}
		return true;
	}
	c->cnt.from_kernel_not_ipv4++;
	return false;
}

unsigned int
ctl_cpif_poll(struct ctl *ctl TW_UNUSED)
{
	struct rte_mbuf *mb[CPIF_BURST];
	unsigned int i, j, n, total = 0;
	struct cpif_port *c;

	for (i = 0; i < dp_n_ports(); i++) {
		c = &cp.port[i];
		if (!c->on || c->lost)
			continue;
		n = dp_cpif_from_kernel((uint16_t)i, mb, CPIF_BURST);
		total += n;
		for (j = 0; j < n; j++) {
			if (!cpif_out_ok(c, mb[j])) {
				rte_pktmbuf_free(mb[j]);
				continue;
			}
			if (dp_tx((uint16_t)i, mb[j]) == 0)
				c->cnt.from_kernel++;
			else
				c->cnt.from_kernel_tx_fail++;
		}
	}
	return total;
}

int
ctl_cpif_port_of(int ifindex)
{
	unsigned int i;

	if (ifindex <= 0)
		return -1;
	for (i = 0; i < DP_MAX_PORTS; i++)
		if (cp.port[i].on && cp.port[i].ifindex == ifindex)
			return (int)i;
	return -1;
}

const struct ctl_cpif_counters *
ctl_cpif_counters(uint16_t port)
{
	if (port >= DP_MAX_PORTS || !cp.port[port].on)
		return NULL;
	return &cp.port[port].cnt;
}
