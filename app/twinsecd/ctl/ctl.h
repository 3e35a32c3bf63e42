/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TWINSECD_CTL_H
#define TWINSECD_CTL_H

/*
 * The control lcore: one thread (the EAL main lcore) owns every piece of
 * control state below. Its loop drains the punt ring and the workers'
 * ACQUIREs (traffic for a protect policy without an SA), fires deadlines,
 * polls link state, serves requests from other threads (telemetry and
 * console sessions) and publishes table changes with one dp_commit() per
 * iteration. The subsystems above it (hsrp/, ike/, ha/) hang off this
 * loop: their timers are deadlines in heap, their packets arrive through
 * ctl_udp_register(), the sync transport through poll_fn. Nothing here
 * calls them: they register (docs/design.md, the layers).
 *
 * Other threads never touch this state: they call ctl_call(), which runs a
 * function on the control lcore and waits for it.
 */

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>

#include "arp.h"
#include "conf.h"
#include "dp.h"
#include "icmp.h"
#include "nd.h"
#include "net_ip.h"
#include "net_ip6.h"
#include "sadb.h"
#include "dp_sadb.h"
#include "tw_heap.h"

#define CTL_BURST 32
#define CTL_IDLE_SLEEP TW_MSEC(1)   /* longest nap when idle */
#define CTL_LINK_POLL TW_SEC(1)
#define CTL_MAX_UDP 8
/* How long a console op waits for the control lcore (ctl_call()). */
#define CTL_CONSOLE_CALL_MS 2000

struct ctl;

/* A UDP service on our addresses (IKE 500/4500, HSRP 1985 ...). */
typedef void (*ctl_udp_fn)(struct ctl *ctl, void *arg, uint16_t port,
			   struct rte_mbuf *m, const struct net_ipv4 *ip,
			   const struct net_udp *udp, tw_time_t now);

/*
 * A UDP service over IPv6 (IKE, HSRP for IPv6 on 2029): to one of the
 * receiving port's addresses or to a group the fast path lets through; the
 * packet's IPv6 header decoded in ip, its UDP header checked
 * (net_udp6_decode) in udp, the payload at l3 + ip->l4_off + NET_UDP_HLEN;
 * m is the callee's.
 */
struct net_ipv6;
typedef void (*ctl_udp6_fn)(struct ctl *ctl, void *arg, uint16_t port,
			    struct rte_mbuf *m, const struct net_ipv6 *ip,
			    const struct net_udp *udp, tw_time_t now);

/* A port's link went up or down (or was first seen, first == true). */
typedef void (*ctl_link_fn)(struct ctl *ctl, void *arg, uint16_t port,
			    bool up, bool first, tw_time_t now);

/* Runs on the control lcore on behalf of another thread. */
typedef void (*ctl_call_fn)(struct ctl *ctl, void *arg);

/* A worker's ACQUIRE: the policy acquire id the SPD carries (install/,
 * bound by ike/). */
typedef void (*ctl_acquire_fn)(struct ctl *ctl, void *arg, uint32_t id,
			       tw_time_t now);

/* ESP to us on an unknown SPI (src host order), rate-limited by the
 * workers (DP_PUNT_NO_SA). */
typedef void (*ctl_nosa_fn)(struct ctl *ctl, void *arg, uint32_t src,
			    uint32_t spi, tw_time_t now);
/* Called every loop iteration (the sync transport, ha/ha.c). */
typedef void (*ctl_poll_fn)(struct ctl *ctl, void *arg, tw_time_t now);

/* A reload was requested (SIGHUP): runs on the control lcore (reload.c). */
typedef void (*ctl_reload_fn)(struct ctl *ctl, void *arg, tw_time_t now);

struct ctl_counters {
	uint64_t punted;            /* packets taken from the punt ring */
	uint64_t arp;
	uint64_t icmp;
	uint64_t ipv6;              /* IPv6 frames to net/nd.c */
	uint64_t udp;
	uint64_t udp_no_listener;   /* dropped: nobody on that port */
	uint64_t other_proto;       /* dropped: TCP, ... to us */
	uint64_t not_ours;          /* dropped: IPv4 not to one of us */
	uint64_t unsupported;       /* dropped: ethertype, fragments */
	uint64_t malformed;
	uint64_t commits, commit_errors;
	uint64_t calls;             /* requests served for other threads */
	uint64_t loops, sleeps;
};

struct ctl_udp {
	uint16_t port;
	ctl_udp_fn fn;
	void *arg;
};

struct ctl_udp6 {
	uint16_t port;
	ctl_udp6_fn fn;
	void *arg;
};

enum ctl_call_state {
	CTL_CALL_IDLE,
	CTL_CALL_PENDING,
	CTL_CALL_RUNNING,
	CTL_CALL_DONE,
};

struct ctl {
	struct conf *conf;
	struct sadb *sadb;
	struct dp_sadb *backend;     /* reaped after each commit */
	struct tw_heap heap;
	struct arp arp;
	struct icmp icmp;
	struct nd nd;
	struct ctl_counters cnt;
	struct ctl_udp udp[CTL_MAX_UDP];
	unsigned int n_udp;
	struct ctl_udp6 udp6[CTL_MAX_UDP];
	unsigned int n_udp6;
	struct tw_deadline link_dl;
	tw_time_t link_poll;        /* 0: CTL_LINK_POLL; HSRP shortens it */
	ctl_link_fn link_fn;        /* told of link changes (HSRP), or NULL */
	void *link_arg;
	ctl_acquire_fn acquire_fn;  /* ACQUIREs from the workers (IKE) */
	void *acquire_arg;
	ctl_nosa_fn nosa_fn;        /* unknown-SPI ESP (IKE), or NULL */
	void *nosa_arg;
	ctl_poll_fn poll_fn;        /* every iteration (sync), or NULL */
	void *poll_arg;
	int wait_fd;                /* the nap also ends when readable; -1 */
	bool link_up[DP_MAX_PORTS];
	bool link_known[DP_MAX_PORTS];
	bool commit;                /* staged dp tables to publish */
	volatile int stop;
	volatile int reload;        /* set by SIGHUP, served by the loop */
	ctl_reload_fn reload_fn;
	void *reload_arg;
	struct tw_deadline wd_dl;   /* systemd watchdog ping (ctl_sd.c) */
	tw_time_t wd_period;        /* 0: no watchdog */

	/* ctl_call(): one request at a time, callers serialised. */
	pthread_mutex_t call_serial;
	pthread_mutex_t call_mu;
	pthread_cond_t call_cv;
	enum ctl_call_state call_state;
	ctl_call_fn call_fn;
	void *call_arg;
	bool call_closed;
	int call_flag;              /* atomic hint: a call is pending */
};

tw_time_t ctl_now(void);

/* Before the config is installed: heap, ARP, ICMP, request channel. */
int ctl_init(struct ctl *ctl, struct conf *conf, struct sadb *sadb,
	     struct dp_sadb *backend);
/* After the loop ended: frees pending packets and the heap. */
void ctl_fini(struct ctl *ctl);

/* The event loop; returns when ctl_request_stop() was called. */
void ctl_run(struct ctl *ctl);
/*
 * The loop again after ctl_run() returned, for a clean stop's last
 * exchanges: until `until`, until done(arg, now) says so (called every
 * iteration), or until ctl_request_stop() is called again (a second
 * signal). Returns true when done() said so.
 */
bool ctl_run_until(struct ctl *ctl, tw_time_t until,
		   bool (*done)(void *arg, tw_time_t now), void *arg);
/* Async-signal-safe. */
void ctl_request_stop(struct ctl *ctl);
/* Async-signal-safe: reload_fn runs in the next loop iteration. */
void ctl_request_reload(struct ctl *ctl);

/*
 * systemd (sd_notify(3)), only when started by it with NOTIFY_SOCKET set:
 * ctl_sd_ready() says READY=1 with a status line and, with WATCHDOG_USEC
 * set, arms a deadline on the loop's heap that pings WATCHDOG=1 every
 * half period, so a loop that hangs stops pinging. ctl_sd_notify() sends
 * one state line ("RELOADING=1", "STOPPING=1", "STATUS=..."). No-ops
 * otherwise (labs, tests) and when built without libsystemd.
 */
void ctl_sd_ready(struct ctl *ctl, const char *status);
void ctl_sd_notify(const char *state);

/* Publish staged fast-path tables at the end of this loop iteration. */
static inline void
ctl_commit_later(struct ctl *ctl)
{
	ctl->commit = true;
}
/* Publish now (install, teardown). */
int ctl_commit_now(struct ctl *ctl);

int ctl_udp_register(struct ctl *ctl, uint16_t port, ctl_udp_fn fn,
		     void *arg);
/* UDP over IPv6 to port (any of our addresses or groups the fast path
 * lets through: dp_ip6.c); -EEXIST, -ENOSPC. */
int ctl_udp6_register(struct ctl *ctl, uint16_t port, ctl_udp6_fn fn,
		      void *arg);

/*
 * From any other thread: run fn(ctl, arg) on the control lcore and wait up
 * to timeout_ms for it. -ETIMEDOUT when the control lcore did not pick it
 * up in time (fn will then not run), -ESHUTDOWN once the loop has ended.
 */
int ctl_call(struct ctl *ctl, ctl_call_fn fn, void *arg,
	     unsigned int timeout_ms);
/* No more calls: wake and refuse waiting callers. */
void ctl_call_close(struct ctl *ctl);

/* ctl_punt.c: hand one punted packet to its handler (consumes m). */
void ctl_punt_dispatch(struct ctl *ctl, struct rte_mbuf *m, tw_time_t now);

#endif /* TWINSECD_CTL_H */
