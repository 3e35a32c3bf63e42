/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TW_CLI_DATA_H
#define TW_CLI_DATA_H

/*
 * Plain-data snapshots the console formats: filled by the application on
 * its control thread, read and freed by the console thread. No pointers
 * into control state: strings are copied, tables are arrays the snapshot
 * owns (free them with cli_data_free()). Addresses are IPv4, host order.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "tw_addr.h"

#define CLI_NAME_MAX 32
#define CLI_DEV_MAX 64

/* A growable text buffer. */
struct cli_buf {
	char *p;
	size_t len, cap;
	bool oom;                   /* an append failed: output is truncated */
};

void cli_buf_init(struct cli_buf *b);
void cli_buf_free(struct cli_buf *b);
void cli_buf_printf(struct cli_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

struct cli_version {
	char version[32];           /* twinsec */
	char dpdk[64];              /* rte_version() */
	char hostname[64];
	char config_path[256];
	char image[256];            /* /proc/self/exe */
	uint64_t uptime_s;
	unsigned int n_lcores, n_workers;
	char crypto_device[CLI_DEV_MAX];
	char crypto_mode[16];
	char poll_mode[16];
	unsigned int n_ports;
	uint32_t n_sas, max_sas;
	unsigned int sessions, max_sessions;
};

#define CLI_IFACE_MAX_ADDR6 8

struct cli_iface {
	char name[CLI_NAME_MAX];
	char device[CLI_DEV_MAX];
	char role[16];
	uint8_t mac[6];
	uint32_t addr;
	uint8_t prefix_len;
	struct tw_prefix addr6[CLI_IFACE_MAX_ADDR6]; /* global, configured */
	unsigned int n_addr6;
	uint16_t mtu;
	char crypto_map[CLI_NAME_MAX];
	bool admin_up;
	bool link_up;
	uint32_t speed_mbps;
	uint64_t ipackets, opackets, ibytes, obytes;
	uint64_t ierrors, oerrors, imissed;
	uint64_t cleared_s;         /* seconds since clear counters, or */
	bool cleared;               /* never cleared */
	/* The control-plane (kernel) interface, "" when none. */
	char cp_name[16];
	uint64_t cp_to_kernel, cp_from_kernel, cp_dropped;
};

struct cli_iface_table {
	struct cli_iface *v;
	unsigned int n;
};

enum cli_route_type {
	CLI_ROUTE_CONNECTED,        /* C */
	CLI_ROUTE_LOCAL,            /* L: our own address, /32 */
	CLI_ROUTE_STATIC,           /* S */
	CLI_ROUTE_RRI,              /* S: reverse route injection (tagged) */
	CLI_ROUTE_BGP,              /* B */
	CLI_ROUTE_OSPF,             /* O */
	CLI_ROUTE_KERNEL,           /* K: another kernel route */
};

struct cli_route {
	enum cli_route_type type;
	uint32_t prefix;
	uint8_t len;
	uint32_t gateway;           /* 0: directly connected */
	char iface[CLI_NAME_MAX];
	uint8_t distance;
	uint32_t metric;
	uint32_t tag;
	bool best;                  /* its prefix's best: what the FIB holds */
	bool in_kernel;             /* RRI: the kernel holds its copy */
	char via[24];               /* how it was learned: "static", ... */
};

struct cli_route_table {
	struct cli_route *v;
	unsigned int n;
};

enum cli_arp_state {
	CLI_ARP_LOCAL,              /* one of our addresses */
	CLI_ARP_INCOMPLETE,
	CLI_ARP_REACHABLE,
	CLI_ARP_PROBE,
	CLI_ARP_FAILED,
};

struct cli_arp {
	uint32_t addr;
	uint8_t mac[6];
	enum cli_arp_state state;
	uint64_t age_s;
	char iface[CLI_NAME_MAX];
};

struct cli_arp_table {
	struct cli_arp *v;
	unsigned int n;
};

/* One IPv6 neighbour (show ipv6 neighbors). */
struct cli_nd {
	uint8_t addr[16];
	uint8_t mac[6];
	char state[8];              /* "REACH", "STALE" */
	uint64_t age_s;
	char iface[CLI_NAME_MAX];
};

struct cli_nd_table {
	struct cli_nd *v;
	unsigned int n;
};

/* A traffic selector (crypto ACL line, SA identity). */
struct cli_sel {
	bool permit;                /* protect; false: bypass/discard */
	char action[16];            /* protect, bypass, discard */
	uint32_t src, dst;
	uint8_t src_len, dst_len;
	uint8_t proto;
	uint16_t sport_lo, sport_hi, dport_lo, dport_hi;
	/* TW_AF_INET6: src6/dst6 hold the addresses (issue 18) */
	uint8_t family;
	uint8_t src6[16], dst6[16];
};

#define CLI_SA_MAX_SEL 8

/* sadb states as the console shows them. */
enum cli_sa_state {
	CLI_SA_ACTIVE,              /* installed in the fast path */
	CLI_SA_STANDBY,             /* known, decoupled (standby twin) */
	CLI_SA_OTHER,               /* being set up or torn down */
};

/* state filter for show/clear: any, active, standby */
#define CLI_FILTER_ANY (-1)

struct cli_sa {
	uint32_t id;
	uint32_t spi;
	bool inbound;
	enum cli_sa_state state;
	char state_name[16];
	char cipher[16];            /* conf names: aes-gcm-128 */
	char integ[16];             /* none, sha1-96, sha256-128 */
	bool aead;
	uint32_t local, peer;
	bool udp_encap;
	uint16_t udp_local_port, udp_peer_port;
	uint32_t replay_window;
	bool esn;
	char map[CLI_NAME_MAX];
	uint32_t map_seq;
	bool manual;
	char iface[CLI_NAME_MAX];   /* the outside interface using the map */
	uint16_t path_mtu;
	uint16_t overhead;          /* path_mtu - the largest inner packet */
	uint64_t age_s;
	uint64_t pkts, bytes, send_errors, recv_errors;
	uint64_t replay_fails, auth_fails, policy_fails;
	uint64_t seq;
	/* The lifetime usage last sent to the twin (kB), if any was. */
	bool ha_sent;
	uint64_t ha_kb_sent;
	struct cli_sel sel[CLI_SA_MAX_SEL];
	unsigned int n_sel;
	/* family TW_AF_INET6: IPv6 endpoints (local and peer are 0) */
	uint8_t family;
	uint8_t local6[16], peer6[16];
};

struct cli_sa_table {
	struct cli_sa *v;
	unsigned int n;
};

/* One crypto map entry (show crypto map). */
struct cli_cmap {
	char name[CLI_NAME_MAX];
	uint32_t seq;
	char type[16];              /* ipsec-manual */
	uint32_t peer;
	char transform_set[CLI_NAME_MAX];
	char cipher[16], integ[16];
	uint32_t spi_in, spi_out;
	uint32_t replay_window;
	bool esn;
	bool udp_encap;
	uint32_t replay_interval_in, replay_interval_out;
	/* ipsec-isakmp entries */
	uint16_t pfs_group;         /* 0: no PFS */
	uint32_t lifetime_s;
	uint64_t lifetime_kb;       /* 0: no volume limit */
	bool responder_only;        /* initiate = "responder" */
	char ifaces[64];            /* interfaces using the map */
	struct cli_sel sel[CLI_SA_MAX_SEL];
	unsigned int n_sel;
};

struct cli_cmap_table {
	struct cli_cmap *v;
	unsigned int n;
};

/* Later issues fill these (HSRP, redundancy, IKE). */
#define CLI_HSRP_MAX_GVIP6 4

struct cli_hsrp_group {
	char iface[CLI_NAME_MAX];
	unsigned int group;
	unsigned int version;           /* 1 or 2 */
	char name[CLI_NAME_MAX];        /* "" when unnamed */
	char state[16];
	unsigned int priority;          /* in use: tracking lowers it */
	unsigned int priority_cfg;
	bool preempt;
	uint32_t vip, active, standby;  /* 0: unknown */
	bool active_local, standby_local;
	unsigned int active_prio, standby_prio;
	uint8_t vmac[6];
	bool vmac_cfg;                  /* configured, not the default */
	uint32_t hello_ms, hold_ms;
	uint64_t next_hello_ms;         /* UINT64_MAX: none due */
	uint64_t active_expires_ms, standby_expires_ms; /* UINT64_MAX: none */
	uint64_t state_changes;
	uint64_t last_change_s;         /* seconds since */
	/* IPv6 groups: the addresses above are these (family INET6). */
	bool ipv6;
	struct tw_addr vip6, active6, standby6;  /* family NONE: unknown */
	struct tw_prefix gvip6[CLI_HSRP_MAX_GVIP6];
	unsigned int n_gvip6;
};

struct cli_hsrp_table {
	struct cli_hsrp_group *v;
	unsigned int n;
};

#define CLI_RF_MAX_VIPS 8

struct cli_redundancy {
	bool configured;
	int my_state, peer_state;   /* IOS RF numbers: 13 ACTIVE, 8 STANDBY HOT */
	char my_state_name[24], peer_state_name[24];
	bool duplex;
	bool comm_up;
	bool manual_swact;          /* force-switchover would be accepted */
	unsigned int unit_id;
	uint64_t uptime_s;
	unsigned int switchovers;
	unsigned int client_count;  /* RF clients (IPsec) */
	uint32_t keepalive_ms, keepalive_threshold;
	uint32_t keepalive_count;   /* consecutive misses now */
	char scheme[CLI_NAME_MAX];
	char scheme_state[16];
	char peer_hostname[64];     /* "" unknown */
	char transport[16];         /* "sctp-udp", "" without ipc */
	char transport_state[16];   /* "up", "listening", ... */
	/* The ipc section's addresses; for the twin's, the path state. */
	struct tw_addr sync_local[2], sync_peer[2];
	unsigned int n_sync_local, n_sync_peer;
	uint16_t sync_local_port, sync_peer_port;
	bool sync_peer_up[2];
	char reason[160];           /* of the last state change */
	char mismatch[320];         /* "" when the twin's config matches */
	char split[320];            /* split brain now / last one, "" none */
	uint32_t sas_installed, sas_decoupled;
	uint32_t ike_sas_active, ike_sas_standby;
	uint32_t vip[CLI_RF_MAX_VIPS];  /* VIPs the tunnels use */
	unsigned int n_vip;
	bool vip_ike[CLI_RF_MAX_VIPS];  /* IKE negotiates on that VIP too */
	/* The IPv6 global VIPs the tunnels to IPv6 peers use (issue 18). */
	uint8_t vip6[CLI_RF_MAX_VIPS][16];
	unsigned int n_vip6;
	bool vip6_ike[CLI_RF_MAX_VIPS];
	/*
	 * Outbound SAs a takeover could not prove a safe first sequence
	 * number for (every takeover since start): IKE ones rekeyed, manual
	 * ones not sent on; the first few held now, with why.
	 */
	uint64_t unproven_rekeyed, unproven_refused;
	uint32_t n_held;
	struct {
		uint32_t spi;
		char why[128];
	} held[4];
};

#define CLI_IKE_CHILD_MAX 4

/* A Child SA of an IKE SA (show crypto ikev2 sa detailed). */
struct cli_ike_child {
	uint32_t spi_in, spi_out;
	char state[16];             /* INSTALLED, REKEYED, DELETING */
	char encr[16];              /* AES-GCM, AES-CBC */
	unsigned int keysize;
	char integ[16];             /* SHA256, None */
	/* The first selector pair, as ranges: IPv4 ones, or with family
	 * TW_AF_INET6 the 16-byte ends in the *6 fields. */
	uint32_t local_lo, local_hi, remote_lo, remote_hi;
	uint8_t family;
	uint8_t local6_lo[16], local6_hi[16], remote6_lo[16], remote6_hi[16];
	uint16_t lport_lo, lport_hi, rport_lo, rport_hi;
	uint8_t proto;
	uint64_t remaining_s;       /* until its hard lifetime */
	bool kb_limit;              /* a volume lifetime applies */
	uint64_t remaining_kb;      /* until it, when kb_limit */
};

struct cli_ike_sa {
	uint32_t dst, src;
	char state[16];             /* IOS IKEv1 words: QM_IDLE, MM_NO_STATE */
	unsigned int conn_id;
	bool standby;
	/* Detail (show crypto isakmp sa detail, show crypto ikev2 sa,
	 * show crypto session). */
	uint32_t local, remote;
	/* family TW_AF_INET6: IKE over IPv6, the endpoints in local6 and
	 * remote6 (dst, src, local and remote are 0). */
	uint8_t family;
	uint8_t local6[16], remote6[16];
	uint16_t local_port, remote_port;
	char status[16];            /* IOS IKEv2: READY, IN-NEG, DELETE */
	char status_desc[32];       /* "Negotiation done", ... */
	bool established;
	bool initiator;             /* we started this IKE SA */
	char encr[16];              /* AES-GCM, AES-CBC, Unknown - 0 */
	unsigned int keysize;
	char prf[16], hash[16];     /* SHA256; hash None with AES-GCM */
	unsigned int dh_group;
	char auth[16];              /* PSK */
	uint32_t lifetime_s;
	uint64_t active_s;          /* since established (0 before) */
	uint64_t remaining_s;       /* until the hard lifetime */
	uint32_t dpd_s, dpd_retries; /* dpd_s 0: not configured */
	bool nat_local, nat_remote; /* a NAT in front of us / the peer */
	uint64_t spi_local, spi_remote;
	char local_id[64], remote_id[64];
	uint32_t msgid_out, msgid_in; /* next request we send / accept */
	bool req_pending;           /* our request awaits its answer */
	char map[CLI_NAME_MAX];     /* crypto map entry, "" not yet known */
	uint32_t map_seq;
	char iface[CLI_NAME_MAX];   /* the outside interface using the map */
	unsigned int n_children;    /* live (installed) Child SAs */
	struct cli_ike_child child[CLI_IKE_CHILD_MAX]; /* every child slot */
	unsigned int n_child;
};

struct cli_ike_table {
	struct cli_ike_sa *v;
	unsigned int n;
};

/* show logging: the log buffer and where lines go (cli_log.c). */
struct cli_logging {
	unsigned int size, kept;        /* lines the buffer holds, has */
	uint64_t logged;                /* lines into it since start */
	bool syslog_on, syslog_local;
	char syslog_host[16];
	uint16_t syslog_port;
	char facility[16], trap[16];    /* "local7", "informational" */
	uint64_t syslog_sent, syslog_dropped;
	struct cli_buf lines;           /* the kept lines, oldest first */
};

/* show users: one console session. */
struct cli_user {
	unsigned int line;              /* vty number */
	char user[64];                  /* "" before login */
	char from[64];                  /* the peer's address */
	uint64_t idle_s;
	bool self;                      /* the session asking */
};

struct cli_user_table {
	struct cli_user *v;
	unsigned int n;
};

/* ping: one echo request (cli_ping.c). */
struct cli_ping {
	uint32_t dst;
	char source[CLI_NAME_MAX];      /* "" or the source interface */
	uint16_t size;                  /* datagram bytes, IP header on */
	uint16_t seq;
	uint32_t timeout_ms;
	uint32_t src;                   /* out: the source address used */
};

#define CLI_CFG_ADDR_LEN 48

/*
 * configure terminal: one change to the running configuration, applied by
 * the application through its reload path (validate, diff, apply). Only
 * the fields a kind names are read; a crypto map entry carries the
 * fields typed so far in its submode (set: CLI_CME_*).
 */
enum cli_cfg_kind {
	CLI_CFG_STANDBY_PRIORITY,   /* iface, group, value */
	CLI_CFG_STANDBY_PREEMPT,    /* iface, group, flag */
	CLI_CFG_USER_SET,           /* name, secret (crypt hash), value */
	CLI_CFG_USER_DEL,           /* name */
	CLI_CFG_CMAP_ENTRY,         /* map, seq, entry fields in set */
	CLI_CFG_CMAP_DEL,           /* map, seq */
};

enum {
	CLI_CME_PEER = 1u << 0,
	CLI_CME_TSET = 1u << 1,
	CLI_CME_MATCH = 1u << 2,
	CLI_CME_IN = 1u << 3,
	CLI_CME_OUT = 1u << 4,
	CLI_CME_TYPE = 1u << 5,
};

struct cli_cfg_sakey {
	uint32_t spi;
	char key[160];              /* hex, cipher (and salt) */
	char auth_key[160];         /* hex, "" for AEAD */
};

struct cli_cfg_edit {
	enum cli_cfg_kind kind;
	char iface[32];
	int group;
	int value;
	bool flag;
	char name[64];              /* user name */
	char secret[160];           /* crypt(3) hash */
	char map[64];
	int seq;
	unsigned int set;           /* CLI_CME_* */
	char type[16];              /* "ipsec-manual", "ipsec-isakmp" */
	char peer[CLI_CFG_ADDR_LEN];
	char tset[64];
	char match_src[CLI_CFG_ADDR_LEN];
	char match_dst[CLI_CFG_ADDR_LEN];
	struct cli_cfg_sakey in, out;
};
/* Free the array of any table above (NULL-safe). */
#define cli_table_free(t) do { free((t)->v); (t)->v = NULL; (t)->n = 0; } \
	while (0)

/* Formatting helpers (cli_fmt.c). */
#define CLI_IP_STRLEN 16
const char *cli_ip(uint32_t a, char *buf);          /* 16 bytes */
const char *cli_mask(uint8_t len, char *buf);       /* 255.255.255.0 */
const char *cli_wildcard(uint8_t len, char *buf);   /* 0.0.0.255 */
const char *cli_mac(const uint8_t mac[6], char *buf); /* 0200.0000.0001 */
/* IOS uptime: "1 week, 2 days, 3 hours, 4 minutes". */
const char *cli_uptime(uint64_t s, char *buf, size_t len);
/* IOS transform names: "esp-gcm", "esp-256-aes esp-sha-hmac". */
const char *cli_transform(const char *cipher, const char *integ, char *buf,
			  size_t len);
/* "ip", "udp", "tcp", "icmp" or the number. */
const char *cli_proto(uint8_t p, char *buf);
/* A selector as an IOS ACL line body: "ip 10.1.0.0 0.0.255.255 host ..." */
void cli_sel_acl(const struct cli_sel *s, struct cli_buf *b);
/* An ACL line's port range: " eq P", " range LO HI", nothing for all. */
void cli_acl_ports(struct cli_buf *b, uint16_t lo, uint16_t hi);
/*
 * IPv6 as IOS prints it (cli_ip6.c): RFC 5952 compression in upper case,
 * "2001:DB8::1"; an IPv4 address as cli_ip() does. buf: TW_ADDR_STRLEN.
 */
const char *cli_addr(const struct tw_addr *a, char *buf);
const char *cli_addr6(const uint8_t v6[16], char *buf);

#endif /* TW_CLI_DATA_H */
