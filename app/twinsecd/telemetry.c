/* SPDX-License-Identifier: BSD-3-Clause */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_telemetry.h>
#include <rte_version.h>

#include "ike_glue.h"
#include "ctl_telemetry.h"
#include "install.h"
#include "route.h"
#include "telemetry.h"
#include "tw_compiler.h"
#include "tw_log.h"
#include "tw_version.h"

static void
addr_str(char *buf, size_t len, uint32_t a, int prefix)
{
	if (prefix < 0)
		snprintf(buf, len, "%u.%u.%u.%u", a >> 24, (a >> 16) & 0xff,
			 (a >> 8) & 0xff, a & 0xff);
	else
		snprintf(buf, len, "%u.%u.%u.%u/%d", a >> 24, (a >> 16) & 0xff,
			 (a >> 8) & 0xff, a & 0xff, prefix);
}

/* Dict keys may hold only letters, digits, '_' and '/'. */
static void
key_str(char *buf, size_t len, const char *name)
{
	size_t i;

	for (i = 0; i + 1 < len && name[i] != '\0'; i++)
		buf[i] = (isalnum((unsigned char)name[i]) || name[i] == '/') ?
			name[i] : '_';
	buf[i] = '\0';
}

static int
tel_version(const char *cmd TW_UNUSED, const char *params TW_UNUSED,
	    struct rte_tel_data *d)
{
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "twinsec", TWINSEC_VERSION);
	rte_tel_data_add_dict_string(d, "dpdk", rte_version());
	return 0;
}

/* "ipv6": the link-local address (from the MAC), then the global ones. */
static void
add_addr6(struct rte_tel_data *c, const struct dp_port_params *pp,
	  const struct rte_ether_addr *mac)
{
	struct rte_tel_data *a = rte_tel_data_alloc();
	struct tw_prefix ll = { .addr.family = TW_AF_INET6, .len = 64 };
	char buf[TW_PREFIX_STRLEN];
	unsigned int j;

	if (a == NULL)
		return;
	rte_tel_data_start_array(a, RTE_TEL_STRING_VAL);
	tw_addr6_link_local(mac->addr_bytes, ll.addr.v6);
	rte_tel_data_add_array_string(a, tw_prefix_str(&ll, buf, sizeof(buf)));
	for (j = 0; j < pp->n_addr6; j++)
		rte_tel_data_add_array_string(a, tw_prefix_str(&pp->addr6[j],
							       buf,
							       sizeof(buf)));
	rte_tel_data_add_dict_container(c, "ipv6", a, 0);
}

static void
fill_interfaces(struct ctl *ctl TW_UNUSED, void *arg)
{
	struct ctl_tel_req *r = arg;
	const struct dp_port_params *pp;
	struct rte_tel_data *c;
	struct dp_port_stats st;
	struct rte_ether_addr mac;
	char buf[64], key[CONF_NAME_MAX];
	unsigned int i;

	rte_tel_data_start_dict(r->d);
	for (i = 0; i < dp_n_ports(); i++) {
		pp = dp_port((uint16_t)i);
		c = rte_tel_data_alloc();
		if (c == NULL) {
			r->rc = -ENOMEM;
			return;
		}
		rte_tel_data_start_dict(c);
		rte_tel_data_add_dict_string(c, "name", pp->name);
		rte_tel_data_add_dict_int(c, "port", (int)i);
		rte_tel_data_add_dict_string(c, "device", pp->device);
		rte_tel_data_add_dict_string(c, "role", conf_role_name(pp->role));
		addr_str(buf, sizeof(buf), pp->addr, pp->prefix_len);
		rte_tel_data_add_dict_string(c, "address", buf);
		rte_tel_data_add_dict_int(c, "mtu", pp->mtu);
		dp_port_mac((uint16_t)i, &mac);
		rte_ether_format_addr(buf, sizeof(buf), &mac);
		rte_tel_data_add_dict_string(c, "mac", buf);
		add_addr6(c, pp, &mac);
		if (dp_port_stats_read((uint16_t)i, &st) == 0) {
			rte_tel_data_add_dict_string(c, "link",
						     st.link_up ? "up" : "down");
			rte_tel_data_add_dict_u64(c, "speed_mbps", st.link_speed);
			rte_tel_data_add_dict_u64(c, "rx_packets", st.ipackets);
			rte_tel_data_add_dict_u64(c, "tx_packets", st.opackets);
			rte_tel_data_add_dict_u64(c, "rx_bytes", st.ibytes);
			rte_tel_data_add_dict_u64(c, "tx_bytes", st.obytes);
			rte_tel_data_add_dict_u64(c, "rx_errors", st.ierrors);
			rte_tel_data_add_dict_u64(c, "tx_errors", st.oerrors);
			rte_tel_data_add_dict_u64(c, "rx_missed", st.imissed);
		}
		key_str(key, sizeof(key), pp->name);
		rte_tel_data_add_dict_container(r->d, key, c, 0);
	}
}

static int
tel_interfaces(const char *cmd TW_UNUSED, const char *params,
	       struct rte_tel_data *d)
{
	return ctl_telemetry_call(fill_interfaces, params, d);
}

static void
sa_summary(struct rte_tel_data *c, const struct sadb_sa *sa)
{
	struct tw_addr a;
	char buf[64];

	snprintf(buf, sizeof(buf), "0x%08x", sa->p.spi);
	rte_tel_data_add_dict_string(c, "spi", buf);
	rte_tel_data_add_dict_string(c, "dir", sadb_dir_name(sa->p.dir));
	rte_tel_data_add_dict_string(c, "state", sadb_sa_state_name(sa->state));
	/* Either family (issue 18): the IPv4 text is the one of old. */
	a = sadb_sa_local(&sa->p);
	rte_tel_data_add_dict_string(c, "local",
				     tw_addr_str(&a, buf, sizeof(buf)));
	a = sadb_sa_peer(&sa->p);
	rte_tel_data_add_dict_string(c, "peer",
				     tw_addr_str(&a, buf, sizeof(buf)));
	rte_tel_data_add_dict_string(c, "map", sa->p.map);
	rte_tel_data_add_dict_u64(c, "map_seq", sa->p.map_seq);
}

static void
sa_detail(struct ctl *ctl, struct rte_tel_data *d, const struct sadb_sa *sa)
{
	struct sadb_sa_stats st;

	rte_tel_data_add_dict_u64(d, "id", sa->id);
	sa_summary(d, sa);
	rte_tel_data_add_dict_string(d, "cipher", conf_cipher_name(sa->p.cipher));
	rte_tel_data_add_dict_string(d, "integrity",
				     conf_integ_name(sa->p.integ));
	rte_tel_data_add_dict_u64(d, "replay_window", sa->p.replay_window);
	rte_tel_data_add_dict_string(d, "esn", sa->p.esn ? "on" : "off");
	rte_tel_data_add_dict_string(d, "udp_encap",
				     sa->p.udp_encap ? "on" : "off");
	if (sadb_sa_stats(ctl->sadb, sa, &st) < 0)
		return;
	if (sa->p.dir == SADB_DIR_OUT) {
		rte_tel_data_add_dict_u64(d, "pkts_encaps", st.pkts_encaps);
		rte_tel_data_add_dict_u64(d, "pkts_encrypt", st.pkts_encrypt);
		rte_tel_data_add_dict_u64(d, "pkts_digest", st.pkts_digest);
		rte_tel_data_add_dict_u64(d, "send_errors", st.send_errors);
	} else {
		rte_tel_data_add_dict_u64(d, "pkts_decaps", st.pkts_decaps);
		rte_tel_data_add_dict_u64(d, "pkts_decrypt", st.pkts_decrypt);
		rte_tel_data_add_dict_u64(d, "pkts_verify", st.pkts_verify);
		rte_tel_data_add_dict_u64(d, "recv_errors", st.recv_errors);
		rte_tel_data_add_dict_u64(d, "replay_fails", st.replay_fails);
		rte_tel_data_add_dict_u64(d, "auth_fails", st.auth_fails);
		rte_tel_data_add_dict_u64(d, "policy_fails", st.policy_fails);
	}
	rte_tel_data_add_dict_u64(d, "bytes", st.bytes);
	rte_tel_data_add_dict_u64(d, "seq", st.seq);
}

static void
fill_sa(struct ctl *ctl, void *arg)
{
	struct ctl_tel_req *r = arg;
	const struct sadb_sa *sa;
	struct rte_tel_data *c;
	unsigned int n = 0;
	char key[16], *end;
	unsigned long id;

	rte_tel_data_start_dict(r->d);
	if (r->params != NULL && r->params[0] != '\0') {
		id = strtoul(r->params, &end, 0);
		sa = *end == '\0' ? sadb_sa_by_id(ctl->sadb, (uint32_t)id) :
			NULL;
		if (sa == NULL) {
			r->rc = -ENOENT;
			return;
		}
		sa_detail(ctl, r->d, sa);
		return;
	}
	for (sa = sadb_sa_next(ctl->sadb, NULL); sa != NULL;
	     sa = sadb_sa_next(ctl->sadb, sa)) {
		if (++n == RTE_TEL_MAX_DICT_ENTRIES) {
			/* Use /twinsec/sa,ID for the rest. */
			rte_tel_data_add_dict_string(r->d, "truncated", "yes");
			break;
		}
		c = rte_tel_data_alloc();
		if (c == NULL) {
			r->rc = -ENOMEM;
			return;
		}
		rte_tel_data_start_dict(c);
		sa_summary(c, sa);
		snprintf(key, sizeof(key), "%u", sa->id);
		rte_tel_data_add_dict_container(r->d, key, c, 0);
	}
}

static int
tel_sa(const char *cmd TW_UNUSED, const char *params, struct rte_tel_data *d)
{
	return ctl_telemetry_call(fill_sa, params, d);
}

static void
fill_drops(struct ctl *ctl TW_UNUSED, void *arg)
{
	struct ctl_tel_req *r = arg;
	struct dp_drop_counters dc;
	char key[32];
	unsigned int i;

	dp_drops_read(&dc);
	rte_tel_data_start_dict(r->d);
	for (i = 0; i < DP_DROP_MAX; i++) {
		/* "no-sa" -> "no_sa": telemetry keys allow no '-'. */
		key_str(key, sizeof(key),
			dp_drop_reason_name((enum dp_drop_reason)i));
		rte_tel_data_add_dict_u64(r->d, key, dc.count[i]);
	}
}

static int
tel_drops(const char *cmd TW_UNUSED, const char *params, struct rte_tel_data *d)
{
	return ctl_telemetry_call(fill_drops, params, d);
}

/* The routing table and reverse route injection (route/). */
static void
fill_route(struct ctl *ctl TW_UNUSED, void *arg)
{
	struct ctl_tel_req *r = arg;
	const struct route_counters *k = route_counters();
	const struct rib *rib = route_rib();

	rte_tel_data_start_dict(r->d);
	CTL_TEL_U64(r->d, "rib_routes", rib != NULL ? rib_count(rib) : 0);
	CTL_TEL_U64(r->d, "rib_adds", k->rib_adds);
	CTL_TEL_U64(r->d, "rib_dels", k->rib_dels);
	CTL_TEL_U64(r->d, "rib_errors", k->rib_errors);
	CTL_TEL_U64(r->d, "fib_adds", k->fib_adds);
	CTL_TEL_U64(r->d, "fib_dels", k->fib_dels);
	CTL_TEL_U64(r->d, "fib_errors", k->fib_errors);
	CTL_TEL_U64(r->d, "rri_now", k->rri_now);
	CTL_TEL_U64(r->d, "rri_injected", k->rri_injected);
	CTL_TEL_U64(r->d, "rri_withdrawn", k->rri_withdrawn);
	CTL_TEL_U64(r->d, "rri_errors", k->rri_errors);
	CTL_TEL_U64(r->d, "rri_no_entry", k->rri_no_entry);
	CTL_TEL_U64(r->d, "rri_us", k->rri_ns / 1000);
	CTL_TEL_U64(r->d, "kernel_open", k->nl_open);
	CTL_TEL_U64(r->d, "kernel_adds", k->nl_adds);
	CTL_TEL_U64(r->d, "kernel_dels", k->nl_dels);
	CTL_TEL_U64(r->d, "kernel_errors", k->nl_errors);
	CTL_TEL_U64(r->d, "kernel_no_iface", k->nl_no_iface);
	CTL_TEL_U64(r->d, "kernel_flushed", k->nl_flushed);
}

static int
tel_route(const char *cmd TW_UNUSED, const char *params,
	  struct rte_tel_data *d)
{
	return ctl_telemetry_call(fill_route, params, d);
}

/*
 * ACQUIREs (traffic for a protect policy without an SA): what the workers
 * raised, held back and lost, and what the control lcore made of them.
 */
static void
fill_acquire(struct ctl *ctl TW_UNUSED, void *arg)
{
	struct ctl_tel_req *r = arg;
	const struct ike_glue_counters *g = ike_glue_counters();
	struct dp_acquire_counters a;
	struct dp_drop_counters dc;

	dp_acquire_read(&a);
	dp_drops_read(&dc);
	rte_tel_data_start_dict(r->d);
	rte_tel_data_add_dict_u64(r->d, "dropped_no_out_sa",
				  dc.count[DP_DROP_NO_OUT_SA]);
	rte_tel_data_add_dict_u64(r->d, "raised", a.raised);
	rte_tel_data_add_dict_u64(r->d, "suppressed", a.suppressed);
	rte_tel_data_add_dict_u64(r->d, "ring_full", a.ring_full);
	rte_tel_data_add_dict_u64(r->d, "received", g->acquires);
	rte_tel_data_add_dict_u64(r->d, "initiated", g->acquire_initiated);
	rte_tel_data_add_dict_u64(r->d, "pending", g->acquire_pending);
	rte_tel_data_add_dict_u64(r->d, "standby", g->acquire_standby);
	rte_tel_data_add_dict_u64(r->d, "unknown", g->acquire_unknown);
}

static int
tel_acquire(const char *cmd TW_UNUSED, const char *params,
	    struct rte_tel_data *d)
{
	return ctl_telemetry_call(fill_acquire, params, d);
}

static void
fill_arp(struct ctl *ctl, void *arg)
{
	struct ctl_tel_req *r = arg;
	const struct arp_entry *e;
	struct rte_tel_data *c;
	char buf[64];
	unsigned int n = 0;

	rte_tel_data_start_dict(r->d);
	for (e = arp_next(&ctl->arp, NULL); e != NULL;
	     e = arp_next(&ctl->arp, e)) {
		if (++n == RTE_TEL_MAX_DICT_ENTRIES)
			break;
		c = rte_tel_data_alloc();
		if (c == NULL) {
			r->rc = -ENOMEM;
			return;
		}
		rte_tel_data_start_dict(c);
		rte_tel_data_add_dict_int(c, "port", e->port);
		rte_tel_data_add_dict_string(c, "interface",
					     dp_port(e->port)->name);
		rte_tel_data_add_dict_string(c, "state",
					     arp_state_name(e->state));
		rte_ether_format_addr(buf, sizeof(buf), &e->mac);
		rte_tel_data_add_dict_string(c, "mac", buf);
		rte_tel_data_add_dict_u64(c, "pending", e->n_pending);
		addr_str(buf, sizeof(buf), e->addr, -1);
		key_str(buf, sizeof(buf), buf);
		rte_tel_data_add_dict_container(r->d, buf, c, 0);
	}
}

static int
tel_arp(const char *cmd TW_UNUSED, const char *params, struct rte_tel_data *d)
{
	return ctl_telemetry_call(fill_arp, params, d);
}

#define ADD(d, s, f) rte_tel_data_add_dict_u64(d, #f, (s)->f)

/* IPv6 on the control lcore (net/nd.c): counters and the cache size. */
static void
fill_nd(struct ctl *ctl, struct rte_tel_data *d)
{
	const struct nd_counters *n = &ctl->nd.cnt;
	const struct net_nd_counters *k = &ctl->nd.cache.cnt;
	struct rte_tel_data *c = rte_tel_data_alloc();

	if (c == NULL)
		return;
	nd_age(&ctl->nd, ctl_now());
	rte_tel_data_start_dict(c);
	ADD(c, n, rx_ns); ADD(c, n, rx_na); ADD(c, n, tx_na);
	ADD(c, n, rx_echo); ADD(c, n, tx_echo_reply);
	ADD(c, n, not_ours); ADD(c, n, malformed); ADD(c, n, rx_other);
	ADD(c, k, learned); ADD(c, k, updated); ADD(c, k, refused);
	ADD(c, k, expired);
	ADD(c, n, tx_ns); ADD(c, n, resolved); ADD(c, n, resolve_failed);
	ADD(c, n, unresolved); ADD(c, n, queue_full); ADD(c, n, table_full);
	ADD(c, n, tx_time_exceeded); ADD(c, n, tx_too_big);
	ADD(c, n, err_rate_limited); ADD(c, n, err_suppressed);
	ADD(c, n, rx_ns_vip); ADD(c, n, tx_unsol_na); ADD(c, n, rx_echo_vip);
	rte_tel_data_add_dict_u64(c, "entries", ctl->nd.cache.n);
	rte_tel_data_add_dict_container(d, "nd", c, 0);
}

static void
fill_control(struct ctl *ctl, void *arg)
{
	struct ctl_tel_req *r = arg;
	const struct ctl_counters *k = &ctl->cnt;
	const struct arp_counters *a = &ctl->arp.cnt;
	const struct icmp_counters *i = &ctl->icmp.cnt;
	struct sadb_counters s;
	struct rte_tel_data *c[4];
	uint64_t done, slots;
	unsigned int j;

	rte_tel_data_start_dict(r->d);
	for (j = 0; j < 4; j++) {
		c[j] = rte_tel_data_alloc();
		if (c[j] == NULL) {
			while (j-- > 0)
				rte_tel_data_free(c[j]);
			r->rc = -ENOMEM;
			return;
		}
		rte_tel_data_start_dict(c[j]);
	}
	ADD(c[0], k, punted); ADD(c[0], k, arp); ADD(c[0], k, icmp);
	ADD(c[0], k, ipv6);
	ADD(c[0], k, udp); ADD(c[0], k, udp_no_listener);
	ADD(c[0], k, other_proto); ADD(c[0], k, not_ours);
	ADD(c[0], k, unsupported); ADD(c[0], k, malformed);
	ADD(c[0], k, commits); ADD(c[0], k, commit_errors);
	ADD(c[0], k, calls); ADD(c[0], k, loops); ADD(c[0], k, sleeps);
	ADD(c[1], a, rx_requests); ADD(c[1], a, rx_replies);
	ADD(c[1], a, tx_requests); ADD(c[1], a, tx_replies);
	ADD(c[1], a, tx_gratuitous); ADD(c[1], a, learned);
	ADD(c[1], a, resolve_failed); ADD(c[1], a, unresolved);
	ADD(c[1], a, queue_full); ADD(c[1], a, table_full);
	ADD(c[1], a, malformed); ADD(c[1], a, ignored);
	ADD(c[1], a, conflicts); ADD(c[1], a, no_mbuf);
	rte_tel_data_add_dict_u64(c[1], "entries", ctl->arp.n_entries);
	rte_tel_data_add_dict_u64(c[1], "pending", ctl->arp.n_pending);
	ADD(c[2], i, rx_echo); ADD(c[2], i, tx_echo_reply);
	ADD(c[2], i, tx_frag_needed); ADD(c[2], i, tx_time_exceeded);
	ADD(c[2], i, rate_limited);
	ADD(c[2], i, suppressed); ADD(c[2], i, rx_other);
	ADD(c[2], i, malformed); ADD(c[2], i, no_mbuf);
	ADD(c[2], i, tx_tunnel_echo_reply);
	ADD(c[2], i, tx_tunnel_time_exceeded);
	sadb_counters_read(ctl->sadb, &s);
	rte_tel_data_add_dict_u64(c[3], "sas", sadb_count(ctl->sadb));
	ADD(c[3], &s, added); ADD(c[3], &s, deleted);
	ADD(c[3], &s, transitions); ADD(c[3], &s, illegal);
	ADD(c[3], &s, backend_errors);
	rte_tel_data_add_dict_container(r->d, "ctl", c[0], 0);
	rte_tel_data_add_dict_container(r->d, "arp", c[1], 0);
	rte_tel_data_add_dict_container(r->d, "icmp", c[2], 0);
	rte_tel_data_add_dict_container(r->d, "sadb", c[3], 0);
	fill_nd(ctl, r->d);
	/* manual SAs' persisted sequence numbers (no redundancy) */
	rte_tel_data_add_dict_u64(r->d, "manual_marks_writes",
				  install_marks_counters()->writes);
	rte_tel_data_add_dict_u64(r->d, "manual_marks_errors",
				  install_marks_counters()->errors);
	rte_tel_data_add_dict_u64(r->d, "manual_marks_resumed",
				  install_marks_counters()->resumed);
	rte_tel_data_add_dict_u64(r->d, "manual_marks_reads",
				  install_marks_counters()->reads);
	/* outer fragments to us, reassembled by the workers */
	dp_reasm_read(&done, &slots);
	rte_tel_data_add_dict_u64(r->d, "reassembled", done);
	rte_tel_data_add_dict_u64(r->d, "reassembly_slots", slots);
}

static int
tel_control(const char *cmd TW_UNUSED, const char *params,
	    struct rte_tel_data *d)
{
	return ctl_telemetry_call(fill_control, params, d);
}

int
telemetry_init(struct ctl *ctl)
{
	static const struct {
		const char *cmd;
		telemetry_cb fn;
		const char *help;
	} cmds[] = {
		{ "/twinsec/version", tel_version,
		  "twinsec and DPDK versions. Takes no parameters" },
		{ "/twinsec/interfaces", tel_interfaces,
		  "Interfaces with address, link and counters. Takes no parameters" },
		{ "/twinsec/sa", tel_sa,
		  "SAs; with an SA id parameter, that SA's counters" },
		{ "/twinsec/drops", tel_drops,
		  "Fast-path drops per reason. Takes no parameters" },
		{ "/twinsec/acquire", tel_acquire,
		  "ACQUIREs: traffic for a protect policy without an SA, which initiates IKE. Takes no parameters" },
		{ "/twinsec/route", tel_route,
		  "Routing table and reverse route injection counters. Takes no parameters" },
		{ "/twinsec/arp", tel_arp,
		  "Neighbour table. Takes no parameters" },
		{ "/twinsec/control", tel_control,
		  "Control-lcore counters (punts, ARP, ICMP, SA database)" },
	};
	unsigned int i;
	int rc;

	ctl_telemetry_attach(ctl);
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		rc = rte_telemetry_register_cmd(cmds[i].cmd, cmds[i].fn,
						cmds[i].help);
		if (rc < 0) {
			tw_log(TW_LOG_WARNING, "telemetry",
			       "cannot register %s: %s", cmds[i].cmd,
			       strerror(-rc));
			return rc;
		}
	}
	return 0;
}
