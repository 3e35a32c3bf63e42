/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TWINSECD_INSTALL_H
#define TWINSECD_INSTALL_H

/*
 * Configuration -> fast path:
 *  - ports from interfaces (dp port i is config interface i);
 *  - routes: each interface's connected subnet, then the static routes;
 *  - SAs: both directions of every ipsec-manual entry of every crypto map
 *    bound to an interface, recorded in the SA database and installed
 *    through its backend; the inbound SA's selectors are the entry's
 *    protect matches reversed (what the peer sends us is what we send it,
 *    source and destination swapped);
 *  - SPD: every match of every entry, in map order: priority
 *    seq * 256 + match index (lower wins, first match decides, like IOS
 *    crypto ACLs), protect pointing at the entry's outbound SA; an
 *    ipsec-isakmp entry without one yet stays protect with no SA (dropped
 *    as no-out-sa) and, with initiate = "traffic", its IKE policy's
 *    acquire id. Those SAs and ids are pushed here by the IKE glue
 *    (install_spd_bind*()): install never asks a layer above it.
 */

#include <stdbool.h>
#include <stddef.h>

#include "conf.h"
#include "ctl.h"
#include "dp.h"
#include "install_v6.h"

/*
 * dp_init() parameters from the config; -EINVAL (-ENODEV for a device the
 * EAL does not have) with "file:line: ..." in err on a misfit.
 */
int install_dp_params(const struct conf *c, unsigned int n_workers,
		      struct dp_params *p, char *err, size_t errlen);
/*
 * Routes, SAs, SPD, then one commit. With redundancy configured the SAs
 * are recorded DECOUPLED, not installed: the active twin installs them.
 */
int install_config(struct ctl *ctl, char *err, size_t errlen);
/*
 * (Re)build the SPD from the crypto maps, protect pointing at each entry's
 * outbound SA while it is installed (discard while it is held decoupled,
 * or for every entry with held: before SAs are uninstalled, since the fast
 * path refuses to uninstall an SA the SPD points at): after SAs are
 * installed (takeover), before the commit. The number of policies, or
 * -errno with err.
 */
int install_spd(struct ctl *ctl, bool held, char *err, size_t errlen);
/*
 * Bindings of ipsec-isakmp entries: the handle of crypto map entry
 * (map, seq) of c (the config install_config() runs on), >= 0, or -ENOENT
 * (-ENOMEM). Then, whenever it changes, the entry's newest outbound SA
 * (spi_out, peer; 0: none, its protect rules drop) and the acquire id its
 * rules carry while it has none (0: no ACQUIRE). They take effect with the
 * next install_spd(), which also records which outbound SPI it put in the
 * SPD for the entry (install_spd_used(): an SA the SPD may still point at
 * must leave the SPD before it is deleted). A bad handle is ignored.
 */
int install_spd_entry(const struct conf *c, const char *map, uint32_t seq);
/* An entry's outbound SAs, one per inner family: its IPv4 rules send on
 * the IPv4-inner one, its IPv6 rules on the IPv6-inner one. */
#define INSTALL_INNER_V4 0u
#define INSTALL_INNER_V6 1u
#define INSTALL_INNER_N 2u
void install_spd_bind(int h, unsigned int f, uint32_t spi_out,
		      const struct tw_addr *peer);
void install_spd_bind_acquire(int h, uint32_t acquire_id);
uint32_t install_spd_used(int h, unsigned int f);
/*
 * At once, without rebuilding the SPD: entry h's protect rules in the
 * published SPD send on its pushed outbound SA (none: drop, with its
 * acquire id), as the next install_spd() would. What the rules let go of
 * may be deleted at once (it is freed after the next commit). The number
 * of rules moved (0: the entry has none in the SPD), or -errno.
 */
int install_spd_rebind(struct ctl *ctl, int h, unsigned int f);
/*
 * Reload (reload.c): ctl->conf becomes c, whose interfaces, routes,
 * transform sets, crypto maps (names, order, intervals) and ipsec-isakmp
 * entries are those of the running config; only ipsec-manual entries
 * differ. del: entries (map index, seq) of the running config whose SAs go
 * (removed or changed); add: entries of c whose SAs come (new or
 * changed). Other entries and their SAs are untouched: the SPD is
 * republished pointing at the same SAs. Three commits: the new SPD with
 * add's rules discarding (never clear) and del's gone; del's SAs deleted;
 * add's SAs installed and their rules protecting. The running config must outlive every reader (reload.c keeps
 * it). 0, or -errno with "file:line: ..." in err (then the rules of an
 * entry whose SAs could not be installed discard).
 */
struct install_entry_ref {
	unsigned int map;             /* index in both configs' crypto_maps */
	uint32_t seq;
};
int install_reload(struct ctl *ctl, struct conf *c,
		   const struct install_entry_ref *del, unsigned int n_del,
		   const struct install_entry_ref *add, unsigned int n_add,
		   char *err, size_t errlen);
/* Empty the SPD, delete every SA, commit: before dp_fini(). */
void install_teardown(struct ctl *ctl);

/*
 * Persisted sequence numbers of manual SAs without redundancy
 * (install_marks.c): before install_config(), with the state directory;
 * nothing to do (0) with a redundancy section (ha/ does it) or without
 * manual SAs. -errno with the path and why in err: no start then.
 */
int install_marks_init(struct ctl *ctl, const char *state_dir, char *err,
		       size_t errlen);
struct install_marks_counters {
	uint64_t writes, errors;      /* saves of the file */
	uint64_t resumed;             /* SAs started from a persisted value */
	uint64_t reserved;            /* outbound reservations at start */
	uint64_t reads;               /* SA counter reads by the watch */
};
const struct install_marks_counters *install_marks_counters(void);
/* install.c's: the seed of a manual SA about to be installed
 * (UINT64_MAX: its 32-bit space is spent), the SA once added, the first
 * save (before the workers run) and the watch, the last save. */
uint64_t install_marks_seed(const struct sadb_sa_params *p);
void install_marks_bind(const struct sadb_sa *sa);
int install_marks_start(char *err, size_t errlen);
void install_marks_fini(void);
/* Persistence is on (a start-up config with manual SAs, no redundancy). */
bool install_marks_active(void);
/* After install_marks_start(): save the reservations install_marks_seed()
 * made for SAs added at run time (a reload), before they may send. */
int install_marks_commit(char *err, size_t errlen);

#endif /* TWINSECD_INSTALL_H */
