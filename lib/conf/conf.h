/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TW_CONF_H
#define TW_CONF_H

/*
 * The typed configuration of twinsecd, produced from a libconfig file by
 * conf_load(). Everything here is validated: a struct conf that conf_load()
 * returned is internally consistent (names resolve, keys have the right
 * length for their algorithm, SPIs are unique, ...). Addresses are IPv4 in
 * host byte order.
 *
 * IPv6 (issue 18): every address the file may hold in either family is a
 * struct tw_addr / tw_prefix (lib/core/tw_addr.h), the one type shared with
 * lib/net, the console and the fast path (the SA database takes it with
 * the IPv6 tunnels: its selectors and peers are IPv4 yet). The older
 * uint32_t fields stay as the IPv4 view of the same data, filled only for
 * IPv4 (0 for an IPv6 value), so IPv4 readers are unchanged; IPv6 routes
 * and selectors sit in lists of their own (routes6, matches6), so no IPv4
 * reader ever meets one.
 *
 * The schema grows with later features (IKE, sync): each adds its own
 * section and struct here.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tw_addr.h"

#define CONF_NAME_MAX 32
#define CONF_DEVICE_MAX 128
#define CONF_IFNAME_MAX 16         /* a Linux interface name (IFNAMSIZ) */
#define CONF_KEY_MAX 64
#define CONF_ERR_MAX 512
#define CONF_SECRET_MAX 128         /* crypt(3) hash and NUL */
#define CONF_CONSOLE_MAX_USERS 16
#define CONF_STANDBY_MAX_PER_IFACE 16
#define CONF_STANDBY_MAX_TRACK 8
#define CONF_STANDBY_TEXT_MAX 8     /* RFC 2281 5.1 */
#define CONF_STANDBY_MD5_MAX 64
#define CONF_STANDBY_MAX_GVIP6 4    /* global virtual IPv6 addresses */

enum conf_iface_role {
	CONF_ROLE_INSIDE,
	CONF_ROLE_OUTSIDE,
};

enum conf_poll_mode {
	CONF_POLL_BUSY,
	CONF_POLL_ADAPTIVE,
};

enum conf_crypto_mode {
	CONF_CRYPTO_CPU,       /* "cpu-crypto": synchronous, on the worker */
	CONF_CRYPTO_LOOKASIDE, /* "lookaside": enqueue/dequeue on a cryptodev */
};

/* ESP transforms (IOS transform-set vocabulary in the comments). */
enum conf_cipher {
	CONF_CIPHER_AES_GCM_128, /* esp-gcm 128, RFC 4106 */
	CONF_CIPHER_AES_GCM_256, /* esp-gcm 256 */
	CONF_CIPHER_AES_CBC_128, /* esp-aes 128, RFC 3602 */
	CONF_CIPHER_AES_CBC_256, /* esp-aes 256 */
};

enum conf_integ {
	CONF_INTEG_NONE,        /* only with a combined-mode (GCM) cipher */
	CONF_INTEG_SHA1_96,     /* esp-sha-hmac, RFC 2404 */
	CONF_INTEG_SHA256_128,  /* esp-sha256-hmac, RFC 4868 */
};

enum conf_map_type {
	CONF_MAP_IPSEC_MANUAL,
	CONF_MAP_IPSEC_ISAKMP, /* keys negotiated with IKEv2 (the ike section) */
};

/* When an ipsec-isakmp entry negotiates its SAs (IOS: on traffic). */
enum conf_initiate {
	CONF_INITIATE_TRAFFIC,   /* the first packet hitting its policy */
	CONF_INITIATE_START,     /* at start, and again whenever it goes down */
	CONF_INITIATE_RESPONDER, /* never: the peer initiates */
};

enum conf_policy_action {
	CONF_POLICY_PROTECT, /* IOS crypto ACL "permit" */
	CONF_POLICY_BYPASS,  /* IOS crypto ACL "deny": forward in clear */
	CONF_POLICY_DISCARD,
};

struct conf_prefix {
	uint32_t addr;
	uint8_t len;
};

enum conf_standby_auth {
	CONF_STANDBY_AUTH_TEXT,  /* default: "cisco" (RFC 2281 5.1) */
	CONF_STANDBY_AUTH_MD5,   /* IOS "authentication md5 key-string" */
};

/* IOS "standby G track IF [decrement N]". */
struct conf_standby_track {
	char iface[CONF_NAME_MAX];    /* an interface of this config */
	uint8_t decrement;            /* 1-255, default 10 */
	int line;
};

/*
 * One HSRP group of an interface (IOS "standby G ..."). Times in ms.
 * The VIP ("ip", IPv4) or "ipv6" is required, one of them: an IPv4 VIP
 * lies in the interface's subnet; group numbers are unique per interface
 * (either family), names unique in the file.
 */
struct conf_standby {
	uint16_t group;               /* v1 0-255, v2 0-4095 */
	uint8_t version;              /* 1 (IOS default) or 2 */
	uint8_t af;                   /* TW_AF_INET ("ip"), TW_AF_INET6 */
	uint32_t vip;                 /* IPv4 groups; 0 for IPv6 ones */
	/*
	 * IPv6 groups (IOS "standby G ipv6 ..."): the link-local virtual
	 * address (ll6_set) or, "autoconfig", the one derived from the
	 * virtual MAC; global virtual addresses with their prefix length,
	 * each inside one of the interface's ipv6_address prefixes.
	 */
	bool ll6_set;
	uint8_t ll6[16];
	struct tw_prefix gvip6[CONF_STANDBY_MAX_GVIP6];
	unsigned int n_gvip6;
	char name[CONF_NAME_MAX];     /* "" when unnamed */
	uint8_t priority;             /* 0-255, default 100 */
	bool preempt;
	uint32_t delay_minimum_ms;    /* preempt delay minimum, default 0 */
	uint32_t delay_reload_ms;     /* preempt delay reload, default 0 */
	bool timers_set;              /* else 3 s / 10 s, learnable */
	uint32_t hello_ms;
	uint32_t hold_ms;
	enum conf_standby_auth auth;
	char auth_text[CONF_STANDBY_TEXT_MAX + 1];
	char md5_key[CONF_STANDBY_MD5_MAX + 1];
	uint32_t md5_key_id;
	struct conf_standby_track track[CONF_STANDBY_MAX_TRACK];
	unsigned int n_track;
	bool mac_set;                 /* else the version's well-known VMAC */
	uint8_t mac[6];
	uint32_t garp_count;          /* gratuitous ARPs on becoming Active */
	uint32_t garp_interval_ms;
	int line;
};

#define CONF_IFACE_MAX_ADDR6 8

struct conf_iface {
	char name[CONF_NAME_MAX];
	enum conf_iface_role role;
	char device[CONF_DEVICE_MAX]; /* DPDK port by device name */
	uint32_t addr;
	uint8_t prefix_len;
	/* IOS "ipv6 address X/LEN": global unicast, in file order. */
	struct tw_prefix addr6[CONF_IFACE_MAX_ADDR6];
	unsigned int n_addr6;
	uint16_t mtu;
	char crypto_map[CONF_NAME_MAX]; /* "" when none is bound */
	struct conf_standby *standby;   /* HSRP groups, in file order */
	unsigned int n_standby;
	/*
	 * The control-plane (kernel) interface of the port, the exception
	 * path (docs/control-plane.md): off unless control_plane = true;
	 * its kernel name is control_plane_name, else the interface name.
	 */
	bool control_plane;
	char cp_name[CONF_IFNAME_MAX];
	int line;
};

struct conf_route {
	struct conf_prefix dst;       /* IPv4 view (routes) */
	uint32_t gateway;             /* 0: directly connected via iface */
	struct tw_prefix to;          /* either family */
	struct tw_addr via;           /* TW_AF_NONE: directly connected */
	char iface[CONF_NAME_MAX];    /* resolved from gateway when omitted */
	int line;
};

struct conf_transform_set {
	char name[CONF_NAME_MAX];
	enum conf_cipher cipher;
	enum conf_integ integ;
	int line;
};

/*
 * One traffic selector, written inside -> outside. Within an entry the
 * first matching rule decides; entries are evaluated in seq order.
 */
struct conf_match {
	enum conf_policy_action action;
	struct conf_prefix src;      /* IPv4 view (matches) */
	struct conf_prefix dst;
	struct tw_prefix src_net;    /* either family */
	struct tw_prefix dst_net;
	uint8_t proto;         /* 0: any */
	uint16_t sport_lo, sport_hi; /* 0-65535 when unspecified */
	uint16_t dport_lo, dport_hi;
	int line;
};

/* Manual keying of one direction (IOS "set session-key"). */
struct conf_session_key {
	uint32_t spi;
	uint8_t cipher_key[CONF_KEY_MAX]; /* GCM: key followed by 4-byte salt */
	uint8_t cipher_key_len;
	uint8_t auth_key[CONF_KEY_MAX];
	uint8_t auth_key_len;
	int line;
};

#define CONF_IKE_ID_MAX 64

/*
 * Reverse route injection of a crypto map entry (conf_rri.c; IOS
 * "reverse-route", "set reverse-route tag|distance"): routes to the
 * remote protected subnets of its SAs while they are up on the active twin.
 */
#define CONF_RRI_DISTANCE_DEFAULT 1    /* an IOS static route's */
struct conf_rri {
	bool enabled;
	bool remote_peer;       /* a host route to the peer as well */
	uint32_t next_hop;      /* remote_peer's next hop, 0: resolved */
	uint32_t tag;
	uint32_t metric;
	uint8_t distance;
	int line;               /* 0: no reverse_route group */
};

struct conf_map_entry {
	uint32_t seq;
	enum conf_map_type type;
	uint32_t peer;              /* IPv4 view: 0 for an IPv6 peer */
	struct tw_addr peer_addr;   /* either family */
	unsigned int transform_set; /* index into conf.transform_sets */
	struct conf_match *matches; /* IPv4 selectors */
	unsigned int n_matches;
	struct conf_match *matches6; /* IPv6 selectors, in file order */
	unsigned int n_matches6;
	struct conf_session_key inbound;
	struct conf_session_key outbound;
	uint32_t replay_window; /* 0 disables anti-replay; default 64, max 4096 */
	bool esn;               /* only with replay_window > 0 */
	bool udp_encap;         /* RFC 3948 UDP-encapsulated ESP */
	uint16_t udp_sport;     /* default 4500 */
	uint16_t udp_dport;     /* default 4500 */
	/* ipsec-isakmp only (the SAs, SPIs and keys come from IKE). */
	enum conf_initiate initiate;     /* default traffic */
	uint16_t pfs_group;              /* DH group for rekeys, 0: no PFS */
	uint32_t lifetime_s;             /* Child SA, default 3600 (IOS) */
	uint64_t lifetime_kb;            /* default 4608000 (IOS), 0: none */
	char local_id[CONF_IKE_ID_MAX];  /* "": our tunnel address */
	char remote_id[CONF_IKE_ID_MAX]; /* "": the peer's address */
	char ike_proposal[CONF_NAME_MAX]; /* "": every ike proposal */
	struct conf_rri rri;
	int line;
};

struct conf_crypto_map {
	char name[CONF_NAME_MAX];
	uint32_t replay_interval_in;  /* default 1000 */
	uint32_t replay_interval_out; /* default 100000 */
	/*
	 * Outer DSCP of its SAs: the inner packet's (the default, RFC 4301
	 * 5.1.2.1), or dscp when dscp_set. ECN is RFC 6040's either way.
	 */
	bool dscp_set;
	uint8_t dscp;                 /* 0-63 */
	struct conf_map_entry *entries; /* sorted by seq */
	unsigned int n_entries;
	int line;
};

struct conf_dataplane {
	unsigned int workers;          /* 0: every non-main lcore of the EAL */
	char crypto_device[CONF_DEVICE_MAX]; /* "auto" or a cryptodev/PMD name */
	enum conf_crypto_mode crypto_mode;
	enum conf_poll_mode poll_mode;
	uint32_t mbufs;                /* default 8191 */
	uint16_t burst;                /* default 32 */
	uint32_t max_sas;              /* default 1024 */
	enum conf_policy_action default_policy; /* inside->outside without match */
	/* The kernel routing table learned routes come from (254: main). */
	uint32_t kernel_route_table;
};

/* A console user: crypt(3) SHA-512 hash, never a password. */
struct conf_console_user {
	char name[CONF_NAME_MAX];
	char secret[CONF_SECRET_MAX];
	uint8_t privilege;             /* 1 user EXEC, 15 privileged EXEC */
	int line;
};

/* The telnet management console (IOS line vty). */
struct conf_console {
	bool enabled;                  /* the section is present */
	uint32_t listen_addr;          /* default 127.0.0.1 (IPv4 view) */
	struct tw_addr listen;         /* either family */
	uint16_t listen_port;          /* default 2323 */
	struct conf_console_user *users; /* none: every login is refused */
	unsigned int n_users;
	char enable_secret[CONF_SECRET_MAX]; /* "": enable is refused */
	uint32_t exec_timeout;         /* seconds idle, default 600, 0 never */
	unsigned int max_sessions;     /* default 5 */
	uint32_t login_delay_ms;       /* after a failed login, default 1000 */
	uint32_t login_timeout;        /* seconds to complete a login, default 30 */
	uint32_t lockout_failures;     /* failures from one address ... */
	uint32_t lockout_window;       /* ... within this many seconds ... */
	uint32_t lockout_duration;     /* ... block it this long (seconds) */
	int line;
};

/*
 * redundancy = { scheme = "NAME"; keepalive = { interval_ms; threshold; };
 *                security = { key = "..."; insecure = false; }; }
 * (IOS "redundancy ... scheme standby", keep_alive TMR / threshold).
 *
 * The sync channel carries SA keys, so it runs AEAD-protected with a key
 * derived from security.key; running it in clear takes an explicit
 * insecure = true: with an ipc section (the sync channel) the security
 * group is required. Without either the twin follows its scheme group
 * alone (and lib/sync refuses to frame anything, naming the missing key).
 */
#define CONF_SYNC_KEY_MIN 16            /* characters */
#define CONF_SYNC_KEY_MAX 128
struct conf_redundancy {
	bool enabled;                  /* the section is present */
	char scheme[CONF_NAME_MAX];    /* names a standby group */
	uint32_t keepalive_ms;         /* default 4000 (IOS keep_alive TMR) */
	uint32_t keepalive_threshold;  /* missed ones to declare Down, def. 7 */
	bool security_set;             /* the security group is present */
	bool insecure;                 /* sync messages in clear */
	char key[CONF_SYNC_KEY_MAX + 1]; /* "" with insecure; wiped on free */
	bool follow;                   /* other groups follow the role (def.) */
	int line;
};

/*
 * ipc = { transport; local_port; remote_port; local_ip; remote_ip; ... }
 * (IOS "ipc zone default / association 1 / protocol sctp"): the SCTP
 * association to the twin that carries the sync channel. Times in ms.
 */
#define CONF_IPC_MAX_IPS 2
#define CONF_IPC_UDP_ENCAP_PORT 9899   /* RFC 6951 5.1 */

enum conf_ipc_transport {
	CONF_IPC_AUTO,        /* kernel SCTP if the kernel has it, else UDP */
	CONF_IPC_SCTP,        /* kernel SCTP (libsctp) */
	CONF_IPC_SCTP_UDP,    /* SCTP over UDP, RFC 6951 (usrsctp) */
};

struct conf_ipc {
	bool enabled;                  /* the section is present */
	enum conf_ipc_transport transport; /* default auto */
	uint16_t local_port;           /* required, 1-65535 */
	uint16_t remote_port;          /* required, 1-65535 */
	/*
	 * 1 or 2 each (multi-homing), IPv4 or IPv6, all of one family (the
	 * sync transport runs one association over one family).
	 */
	struct tw_addr local_ip[CONF_IPC_MAX_IPS];
	unsigned int n_local_ip;
	struct tw_addr remote_ip[CONF_IPC_MAX_IPS];
	unsigned int n_remote_ip;
	uint16_t udp_encap_port;       /* sctp-udp: ours, default 9899 */
	uint16_t remote_udp_encap_port; /* sctp-udp: the twin's, default 9899 */
	uint32_t rto_min_ms;           /* retransmit_timeout min, 300-60000, 300 */
	uint32_t rto_max_ms;           /* retransmit_timeout max, min-60000, 600 */
	uint8_t path_retransmit;       /* 2-10, default 4 */
	uint8_t assoc_retransmit;      /* 2-10, default 4 */
	int line;
};

const char *conf_ipc_transport_name(enum conf_ipc_transport t);

/*
 * ike = { proposals = ( { name; encryption = [...]; prf = [...];
 *                         integrity = [...]; dh = [...]; } );
 *         pre_shared_keys = ( { peer | id; key; } );
 *         dpd = { interval; retries; }; lifetime; cookie_threshold;
 *         half_open_max; retransmit = { timeout_ms; tries; };
 *         nat_keepalive;
 *         limits = { peer_half_open; peer_sas; create_child;
 *                    create_child_window; }; }
 * (IOS "crypto ikev2 proposal", "crypto ikev2 keyring", "crypto ikev2 dpd",
 * "crypto isakmp nat keepalive").
 * Algorithms are kept as IANA IKEv2 transform IDs (RFC 7296 3.3.2), the
 * numbers lib/ike speaks; GCM and CBC may be mixed in one proposal (it is
 * sent as two, RFC 5282 8).
 */
#define CONF_IKE_MAX_ALGS 8
#define CONF_PSK_MAX 128

struct conf_ike_encr {
	uint16_t id;                   /* 12 AES-CBC, 20 AES-GCM-16 */
	uint16_t bits;                 /* 128 or 256 */
};

struct conf_ike_proposal {
	char name[CONF_NAME_MAX];
	struct conf_ike_encr encr[CONF_IKE_MAX_ALGS];
	unsigned int n_encr;
	uint16_t prf[CONF_IKE_MAX_ALGS];   /* 5, 6, 7: HMAC-SHA2-256/384/512 */
	unsigned int n_prf;
	uint16_t integ[CONF_IKE_MAX_ALGS]; /* 12, 13, 14; none with only GCM */
	unsigned int n_integ;
	uint16_t dh[CONF_IKE_MAX_ALGS];    /* 14, 19, 20, 31 */
	unsigned int n_dh;
	int line;
};

/* A pre-shared key for a peer address or a peer identity. */
struct conf_ike_psk {
	uint32_t peer;                 /* IPv4 view: 0 by id or IPv6 */
	struct tw_addr peer_addr;      /* either family; TW_AF_NONE: by id */
	char id[CONF_IKE_ID_MAX];      /* "": by peer */
	char key[CONF_PSK_MAX + 1];    /* wiped on free */
	int line;
};

struct conf_ike {
	bool enabled;                  /* the section is present */
	struct conf_ike_proposal *proposals;
	unsigned int n_proposals;
	struct conf_ike_psk *psks;
	unsigned int n_psks;
	uint32_t dpd_interval;         /* seconds idle before a check, 0: off;
					* default 10 (IOS HA recommendation) */
	uint32_t dpd_retries;          /* default 5 */
	uint32_t lifetime;             /* IKE SA seconds, default 86400 */
	uint32_t cookie_threshold;     /* half-open SAs from which a COOKIE
					* is demanded (RFC 7296 2.6), def. 100 */
	uint32_t half_open_max;        /* beyond: IKE_SA_INIT dropped, 1000 */
	uint32_t retransmit_ms;        /* first retransmission, default 1000 */
	uint32_t retransmit_tries;     /* then give up, default 5 */
	uint32_t nat_keepalive;        /* seconds between NAT keepalives when
					* behind a NAT (RFC 3948 4), 0: off;
					* default 20 */
	/* Per-peer limits (the defaults below are lib/ike's IKE_PEER_* and
	 * IKE_CREATE_CHILD_RATE_*): */
	uint32_t peer_half_open;       /* half-open IKE SAs of a peer, 4 */
	uint32_t peer_sas;             /* its other IKE SAs, 8 */
	uint32_t create_child;         /* CREATE_CHILD_SA per IKE SA ... */
	uint32_t create_child_window;  /* ... per this many seconds: 10, 10 */
	int line;
};

#define CONF_IKE_PEER_HALF_OPEN_DEFAULT 4
#define CONF_IKE_PEER_SAS_DEFAULT 8
#define CONF_IKE_CREATE_CHILD_DEFAULT 10
#define CONF_IKE_CREATE_CHILD_WINDOW_DEFAULT 10

const char *conf_initiate_name(enum conf_initiate i);
/* "aes-gcm-128" ... for an IKE encryption, "sha256" ... for prf/integ. */
const char *conf_ike_encr_name(const struct conf_ike_encr *e);
const char *conf_ike_hash_name(uint16_t prf_or_integ, bool integ);
/* The PSK for a peer address of either family (may be NULL), else for
 * identity id (may be NULL). */
struct conf;
const struct conf_ike_psk *conf_ike_psk_find(const struct conf *c,
					     const struct tw_addr *peer,
					     const char *id);
const struct conf_ike_proposal *conf_ike_proposal_find(const struct conf *c,
						       const char *name);

/*
 * logging = { host = "local" | "A.B.C.D"; port; facility; trap; }
 * (IOS "logging host / facility / trap"): log lines at trap or more
 * severe to syslog, local (syslog(3)) or remote (UDP, RFC 3164).
 */
struct conf_logging {
	bool enabled;                  /* the section is present */
	bool local;                    /* host "local": syslog(3) */
	uint32_t host;                 /* else the collector */
	uint16_t port;                 /* default 514 */
	uint8_t facility;              /* RFC 5424 code, default 23 local7 */
	uint8_t trap;                  /* severity 0-7, default 6 */
	int line;
};

/* "local7", "informational" ... */
const char *conf_log_facility_name(unsigned int facility);
const char *conf_log_level_name(unsigned int level);

/* Warnings kept in struct conf; n_warnings counts those not kept too. */
#define CONF_WARN_MAX 8

struct conf {
	char path[256];
	char hostname[64];
	struct conf_iface *ifaces;
	unsigned int n_ifaces;
	struct conf_route *routes;     /* IPv4 */
	unsigned int n_routes;
	struct conf_route *routes6;    /* IPv6 (IOS "ipv6 route") */
	unsigned int n_routes6;
	struct conf_transform_set *transform_sets;
	unsigned int n_transform_sets;
	struct conf_crypto_map *crypto_maps;
	unsigned int n_crypto_maps;
	struct conf_dataplane dataplane;
	struct conf_console console;
	struct conf_redundancy redundancy;
	struct conf_ipc ipc;
	struct conf_ike ike;
	struct conf_logging logging;
	/*
	 * What loads but deserves the operator's eye ("file:line: ..."): the
	 * daemon logs them at start, --check prints them. Secrets in a file
	 * others can read, the default HSRP authentication.
	 */
	unsigned int n_warnings;
	char warnings[CONF_WARN_MAX][CONF_ERR_MAX];
};

/*
 * The configuration digest: SHA-256 over a canonical serialization of what
 * must be identical on both twins for one to take over from the other, per
 * part, so that twins can say which part differs. Parts: every transform
 * set, every crypto map (entries, peers, transform set names, matches,
 * session keys and SPIs, replay window and intervals, ESN, UDP encap, a
 * fixed DSCP, the interfaces it is bound to), every standby group (interface, version,
 * group number, VIP: not priorities or real addresses, which differ
 * between twins), and the redundancy settings (scheme and its group,
 * keep-alive). Not the sync key: a wrong key shows as bad tags.
 */
#define CONF_DIGEST_LEN 32
#define CONF_DIGEST_NAME_MAX 48
#define CONF_DIGEST_MAX_PARTS 128

enum conf_digest_kind {
	CONF_DIGEST_TRANSFORM_SET = 1,
	CONF_DIGEST_CRYPTO_MAP = 2,
	CONF_DIGEST_STANDBY = 3,    /* name "IFACE/GROUP" */
	CONF_DIGEST_REDUNDANCY = 4, /* name "redundancy" */
	CONF_DIGEST_KIND_MAX,
};

struct conf_digest_part {
	enum conf_digest_kind kind;
	char name[CONF_DIGEST_NAME_MAX];
	uint8_t sha[CONF_DIGEST_LEN];
};

struct conf_digest {
	uint8_t all[CONF_DIGEST_LEN];  /* over every part, in order */
	unsigned int n_parts;
	struct conf_digest_part parts[CONF_DIGEST_MAX_PARTS];
};

/*
 * Compute the digest of c. 0, or -E2BIG (more than CONF_DIGEST_MAX_PARTS
 * parts), -ENOMEM/-EIO (OpenSSL failure).
 */
int conf_digest(const struct conf *c, struct conf_digest *d);
/* Recompute all from the parts (a digest decoded from the wire). */
int conf_digest_seal(struct conf_digest *d);
/*
 * Compare our digest with the twin's: the number of parts that differ, are
 * missing on the peer or exist only on the peer (0: identical). why gets
 * "crypto map 'VPN' differs, transform set 'T2' only on the peer" (the
 * first few, then "and N more").
 */
unsigned int conf_digest_compare(const struct conf_digest *mine,
				 const struct conf_digest *peer, char *why,
				 size_t len);
const char *conf_digest_kind_name(enum conf_digest_kind k);

/*
 * Parse and validate path. On success *out is a new config to release with
 * conf_free(). On failure returns -EINVAL (or -ENOENT/-ENOMEM) and err holds
 * "file:line: what is wrong".
 */
int conf_load(const char *path, struct conf **out, char *err, size_t errlen);
/* Same from a string; name is used in messages in place of a file name. */
int conf_load_string(const char *text, const char *name, struct conf **out,
		     char *err, size_t errlen);
void conf_free(struct conf *c);

const struct conf_iface *conf_iface_find(const struct conf *c, const char *name);
const struct conf_crypto_map *conf_crypto_map_find(const struct conf *c,
						   const char *name);

const char *conf_cipher_name(enum conf_cipher c);
const char *conf_integ_name(enum conf_integ i);
/* Key lengths in bytes as configured (GCM includes the 4-byte salt). */
unsigned int conf_cipher_key_len(enum conf_cipher c);
unsigned int conf_integ_key_len(enum conf_integ i);

/* Combined-mode (AEAD) cipher: GCM. It carries its own integrity. */
bool conf_cipher_is_aead(enum conf_cipher c);
/* RFC 4106 4: the last 4 bytes of a GCM key are the nonce salt; else 0. */
unsigned int conf_cipher_salt_len(enum conf_cipher c);

/* Names as written in the config file, for show commands and logs. */
const char *conf_role_name(enum conf_iface_role r);
const char *conf_poll_mode_name(enum conf_poll_mode m);
const char *conf_crypto_mode_name(enum conf_crypto_mode m);
const char *conf_map_type_name(enum conf_map_type t);
const char *conf_policy_action_name(enum conf_policy_action a);

const struct conf_transform_set *conf_transform_set_find(const struct conf *c,
							 const char *name);
/* The standby group named name (and its interface in *ifc), or NULL. */
const struct conf_standby *conf_standby_find(const struct conf *c,
					     const char *name,
					     const struct conf_iface **ifc);
/*
 * The VIP to use as the local tunnel endpoint on interface port (the
 * redundancy scheme's group if it is on port, else the port's first
 * IPv4 group), or 0 when the port has no IPv4 standby group: it moves
 * with the active twin.
 */
uint32_t conf_iface_endpoint(const struct conf *c, unsigned int port);
/*
 * The same for an IPv6 peer: the first global VIP of the scheme group if
 * it is an IPv6 group on port, else of the port's first IPv6 group that
 * has one, in *out; false when there is none (the tunnel then runs from
 * the interface's own first IPv6 address).
 */
bool conf_iface_endpoint6(const struct conf *c, unsigned int port,
			  struct tw_addr *out);
/*
 * The interface whose connected subnet (of either family) holds a, or
 * NULL; *idx6 gets the index of the IPv6 address when not NULL.
 */
const struct conf_iface *conf_iface_connected_addr(const struct conf *c,
						   const struct tw_addr *a,
						   unsigned int *idx6);
/* The interface one of whose addresses is a, or NULL. */
const struct conf_iface *conf_iface_owning(const struct conf *c,
					   const struct tw_addr *a);
/* The interface whose connected subnet holds addr, or NULL. */
const struct conf_iface *conf_iface_connected(const struct conf *c,
					      uint32_t addr);

/*
 * IPv4 helpers, host byte order. Parsing is strict: four decimal octets
 * without leading zeros (so "010" is never read as octal), "/LEN" 0-32.
 * conf_prefix_parse() does not check host bits: see conf_prefix_is_network().
 * All return 0 or -EINVAL.
 */
#define CONF_IPV4_STRLEN 16   /* "255.255.255.255" and NUL */
#define CONF_PREFIX_STRLEN 19 /* and "/32" */
int conf_ipv4_parse(const char *s, uint32_t *addr);
int conf_prefix_parse(const char *s, struct conf_prefix *p);
uint32_t conf_prefix_mask(uint8_t len);
bool conf_prefix_is_network(const struct conf_prefix *p); /* host bits 0 */
bool conf_prefix_contains(const struct conf_prefix *p, uint32_t addr);
bool conf_prefix_overlaps(const struct conf_prefix *a,
			  const struct conf_prefix *b);
/* Both return buf; buf must hold CONF_IPV4_STRLEN / CONF_PREFIX_STRLEN. */
const char *conf_ipv4_str(uint32_t addr, char *buf, size_t len);
const char *conf_prefix_str(const struct conf_prefix *p, char *buf,
			    size_t len);

#endif /* TW_CONF_H */
