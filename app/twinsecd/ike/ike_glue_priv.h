/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TWINSECD_IKE_GLUE_PRIV_H
#define TWINSECD_IKE_GLUE_PRIV_H

/*
 * The IKE glue's one state (ig) and what its files share:
 *   ike_glue.c        set-up, the engine's actions carried out, UDP input,
 *                     ACQUIREs
 *   ike_glue_out.c    IKE messages out (IPv4/UDP, next hop, ARP)
 *   ike_glue_out6.c   ... over IPv6 (on-link peers, their MACs)
 *   ike_glue_child.c  Child SAs into the SA database and the fast path
 *   ike_glue_spd.c    the SPD's bindings and batched refreshes
 *   ike_glue_timer.c  deadlines: per IKE SA, restarts, volume lifetimes
 *   ike_glue_twin.c   what the twin is told (listeners), its copies
 *   ike_glue_stop.c   DELETE on a clean stop, INVALID_SPI for ESP on an
 *                     unknown SPI
 *   ike_glue_reload.c a reload's ipsec-isakmp entries and IKE settings
 *   ike_cli.c         console: the IKE SA table, clear commands
 * Control lcore only.
 */

#include <stdbool.h>
#include <stdint.h>

#include "ike.h"
#include "ike_export.h"
#include "ike_glue.h"
#include "ike_sa.h"
#include "install.h"
#include "tw_heap.h"
#include "tw_idx.h"

#define IKE_GLUE_LOG "ike"
#define IKE_GLUE_RESTART_DELAY TW_SEC(5) /* initiate = "start": again */
/* ... after the peer's DELETE (it stops, to come back at once), unless
 * the previous IKE SA also went that way within IKE_GLUE_RESTART_DELAY
 * (a peer that deletes whatever we set up makes no fast loop). */
#define IKE_GLUE_RESTART_PEER_DELAY TW_SEC(1)
/* ... and for this long the unanswered IKE_SA_INIT goes again every
 * RESTART_PEER_DELAY (ike_initiate_again()) instead of backing off to
 * 2, 4, 8 s: the peer answers within a second of being back. */
#define IKE_GLUE_PEER_BACK_WINDOW TW_SEC(30)
#define IKE_GLUE_MAX_LISTENERS 2

struct glue_timer {
	struct tw_deadline dl;
	uint32_t sa_id;
};

/* Bytes a child carried since the last report (ike_child_bytes). */
struct glue_bytes {
	uint32_t spi_in;
	uint64_t delta;
};

/* What the listeners were last told of an IKE SA (per id). */
struct glue_mirror {
	uint64_t sig;
	uint64_t spi_i, spi_r;
	bool synced;
	bool stale;                  /* standby: not in this bulk sync */
};

/* An outbound SA: its SPI is the peer's choice, so (SPI, peer). */
struct out_ref {
	uint32_t spi;
	struct tw_addr peer;
};

struct glue_policy {
	/* Per inner family (INSTALL_INNER_*, ike_glue_child_af()): the
	 * newest outbound SA (0: none) and its peer. */
	struct {
		uint32_t spi;
		struct tw_addr peer;
	} out[INSTALL_INNER_N];
	int spd;                     /* its SPD binding (install_spd_entry) */
	tw_time_t restart_at;
	/* initiate = "start": clear crypto sa took its Child SAs, a new
	 * one when the last is gone (at most one per RESTART_DELAY). */
	bool renew;
	tw_time_t renew_last;
	bool standby_logged;         /* an ACQUIRE ignored as standby: said */
	bool orphan_check;           /* a Child SA went: any IKE SA left bare? */
	tw_time_t peer_delete_last;  /* last restart after the peer's DELETE */
	tw_time_t peer_back_until;   /* ... retried every second until */
};

struct ike_glue_state {
	struct ctl *ctl;
	struct ike_config cfg;
	struct ike_engine *e;
	struct glue_timer *timers;   /* per IKE SA id - 1 */
	struct glue_policy *pol;
	struct tw_deadline restart_dl;
	struct tw_deadline bytes_dl;  /* armed when a policy has kB limits */
	struct glue_bytes *rep;       /* max_sas * IKE_CHILD_MAX */
	struct tw_deadline spd_dl;    /* batched commit (or SPD refresh) */
	bool spd_full;               /* spd_dl: install the SPD again */
	/* A Child SA we initiated beside another that carries its traffic:
	 * the peer may send on it as soon as it has answered; committed
	 * before the engine call's actions are done (ike_glue_run()). */
	bool commit_now;
	struct glue_mirror *mir;      /* per IKE SA id - 1 */
	/*
	 * A standby twin: no IKE in or out, no deadline into the engine,
	 * nothing initiated. Set from the start when the config has a
	 * redundancy section; the redundancy layer clears and sets it
	 * (ike_glue_set_standby()) as this twin becomes active or not.
	 */
	bool standby;
	bool stopping;               /* a clean stop: initiate nothing */
	struct {
		const struct ike_glue_listener *l;
		void *arg;
	} lis[IKE_GLUE_MAX_LISTENERS];
	unsigned int n_lis;
	uint32_t input_sa;            /* the SA of the packet being handled */
	uint8_t rec[IKE_SA_REC_MAX];
	struct ike_sa_rec in_rec;
	tw_time_t spd_next;          /* no batched refresh before */
	struct out_ref *out_gone;    /* outbound SAs deleted after the */
	unsigned int n_gone, cap_gone; /* next refresh (SPD lets go first) */
	bool deadlines;              /* initialised: fini cancels them */
	uint16_t ip_id;
	struct ike_glue_counters cnt;
};

extern struct ike_glue_state ig;

/* Not the active twin: IKE is silent. */
static inline bool
ike_glue_silent(void)
{
	return ig.standby;
}

/* ike_glue.c: our endpoint of family for crypto map m of config arg (the
 * interface's VIP, else its address; TW_AF_NONE: none). */
struct tw_addr ike_glue_map_local(void *arg, const struct conf_crypto_map *m,
				  uint8_t family);
/* ike_glue.c: carry out an engine call's n actions (n < 0: refused). */
void ike_glue_run(int n, struct ike_action *acts, tw_time_t now);

/* ike_glue_out.c: an IKE message (marker: the RFC 3948 non-ESP one). */
void ike_glue_send_udp(const struct tw_addr *src, const struct tw_addr *dst,
		       uint16_t sport, uint16_t dport, const uint8_t *data,
		       size_t len, bool marker, tw_time_t now);

/* ike_glue_out6.c: over IPv6; the MAC an IPv6 peer's message came from. */
void ike_glue_send_udp6(const uint8_t src[16], const uint8_t dst[16],
			uint16_t sport, uint16_t dport, const uint8_t *data,
			size_t len, bool marker, tw_time_t now);
void ike_glue_out6_learn(uint16_t port, const uint8_t addr[16],
			 const uint8_t mac[6], tw_time_t now);

/* ike_glue_child.c */
void ike_glue_child_up(const struct ike_child *c, tw_time_t now);
void ike_glue_child_down(uint32_t sa_id, uint32_t spi_in, uint32_t spi_out,
			 const struct tw_addr *peer, tw_time_t now);
void ike_glue_other_out(unsigned int p, uint32_t gone);
/* Our DELETE of IKE SA sa_id leaves: send on another IKE SA's Child SAs
 * where they carry the same traffic. */
void ike_glue_ike_deleting(uint32_t sa_id);
void ike_glue_restart_schedule(unsigned int p, tw_time_t at);
void ike_glue_orphans(unsigned int p, tw_time_t now);

/* The inner family of c's SAs (INSTALL_INNER_*): that of its first
 * local selector (ike_glue_child.c, sa_params()). */
static inline unsigned int
ike_glue_child_af(const struct ike_child *c)
{
	return c->n_local > 0 && c->ts_local[0].type == IKE_TS_IPV6_ADDR_RANGE ?
		INSTALL_INNER_V6 : INSTALL_INNER_V4;
}

/* ike_glue_spd.c */
/* Policy p's newest outbound SA of inner family f (0: none), pushed to
 * its SPD binding at once. */
void ike_glue_pol_out(unsigned int p, unsigned int f, uint32_t spi,
		      const struct tw_addr *peer);
/* Bind every policy to its crypto map entry; 0 or -errno. */
int ike_glue_spd_init(char *err, size_t errlen);
void ike_glue_spd_fini(void);
void ike_glue_spd_refresh(void);
void ike_glue_spd_later(tw_time_t now, bool soon);
/* Commit now, whatever the pacing (ig.commit_now). */
void ike_glue_spd_now(void);
bool ike_glue_out_gone_later(uint32_t spi_out, const struct tw_addr *peer,
			     bool soon, tw_time_t now);
/* Whether the SPD may still send on spi_out for policy p. */
bool ike_glue_spd_uses(unsigned int p, uint32_t spi_out);

/* ike_glue_held.c: messages after a CHILD_UP wait for the commit. */
bool ike_glue_holding(void);
/* Hold a SEND action (a copy); -errno: send it now. */
int ike_glue_hold_send(const struct ike_action *a, bool marker,
		       tw_time_t now);
/* After a commit: everything held goes, in order. */
void ike_glue_hold_flush(tw_time_t now);
void ike_glue_hold_fini(void);

/* ike_glue_timer.c: the deadline callbacks, and an IKE SA gone. */
void ike_glue_timer_fire(void *arg, tw_time_t now);
void ike_glue_restart_fire(void *arg, tw_time_t now);
void ike_glue_bytes_fire(void *arg, tw_time_t now);
void ike_glue_sa_down(uint32_t sa_id, const char *reason, tw_time_t now);

/* ike_glue_stop.c: the fast path's unknown-SPI ESP (ctl->nosa_fn). */
void ike_glue_no_sa(struct ctl *ctl, void *arg, uint32_t src, uint32_t spi,
		    tw_time_t now);

/* ike_glue_twin.c: tell the listeners what changed of IKE SA id. */
void ike_glue_mirror(uint32_t id, tw_time_t now);

#endif /* TWINSECD_IKE_GLUE_PRIV_H */
