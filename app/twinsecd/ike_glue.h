/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TWINSECD_IKE_GLUE_H
#define TWINSECD_IKE_GLUE_H

/*
 * The IKE glue: lib/ike's engine on the control lcore.
 *
 *   UDP 500 and 4500 (ctl_udp_register; on 4500 the non-ESP marker is
 *   stripped, NAT keepalives ignored) -> ike_input()
 *   IKE_ACT_SEND  -> IPv4/UDP from the tunnel endpoint (interface address
 *                    or HSRP VIP, install.c's rule), port 500 or 4500 with
 *                    the marker, next hop from the connected subnets and
 *                    routes, ARP through arp_output()
 *   IKE_ACT_ARM / CANCEL -> one deadline per IKE SA on the control heap
 *   IKE_ACT_CHILD_UP    -> both SAs into the SA database (origin IKE) and
 *                          the fast path through its backend, UDP-
 *                          encapsulated when NAT-T floated; the SPD's
 *                          protect policies of the crypto map entry point
 *                          at the newest outbound SA (install_spd)
 *   IKE_ACT_CHILD_DOWN  -> SPD first, then both SAs deleted
 *
 * Every second the fast path's byte counters of the Child SAs with a
 * kilobyte lifetime go to ike_child_bytes() (soft: rekey, hard: delete).
 *
 * Policies with initiate = "start" are initiated at start and again a few
 * seconds after their IKE SA goes away. One instance, owned by the
 * control lcore.
 */

#include <stddef.h>
#include <stdint.h>

#include "cli_data.h"
#include "ctl.h"
#include "ike.h"

/* Build the policies, create the engine, register the ports. 0 when the
 * config has no ipsec-isakmp entry (nothing registered). */
int ike_glue_init(struct ctl *ctl, char *err, size_t errlen);
void ike_glue_fini(void);

/* The fast path's outbound SA of crypto map entry (map, seq), or NULL
 * while it has none (install_spd). */
struct dp_sa *ike_glue_out_sa(const char *map, uint32_t seq);

/* Console (on the control lcore): the IKE SA table; clear one (0: all)
 * with DELETE to the peer. */
int ike_glue_sas(struct cli_ike_table *out);
int ike_glue_clear(uint32_t conn_id);
/* The engine, for show commands and telemetry (NULL without IKE). */
const struct ike_engine *ike_glue_engine(void);

/* The glue's own counters (telemetry /twinsec/ike). */
struct ike_glue_counters {
	uint64_t tx_errors, no_route, sadb_errors;
	uint64_t keepalives_rx;        /* RFC 3948 NAT keepalives received */
	uint64_t spd_refreshes;        /* SPD installs for Child SAs */
};
const struct ike_glue_counters *ike_glue_counters(void);

/* Telemetry /twinsec/ike (ike_telemetry.c). */
void ike_telemetry_init(struct ctl *ctl);

#endif /* TWINSECD_IKE_GLUE_H */
