/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * show redundancy / show crypto ha data and redundancy force-switchover
 * for the console: snapshots taken on the control lcore through
 * ctl_call().
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "hsrp_glue.h"
#include "ike_glue.h"
#include "ha_priv.h"
#include "ha_cli.h"
#include "tw_log.h"
#include "tw_compiler.h"

struct rf_req {
	struct cli_redundancy *out;
	char *err;
	size_t errlen;
	int rc;
};

/* The crypto map has an ipsec-isakmp entry: IKE uses its VIP. */
static bool
map_has_isakmp(const struct conf *c, const char *map)
{
	unsigned int i, j;

	for (i = 0; i < c->n_crypto_maps; i++) {
		if (strcmp(c->crypto_maps[i].name, map) != 0)
			continue;
		for (j = 0; j < c->crypto_maps[i].n_entries; j++)
			if (c->crypto_maps[i].entries[j].type ==
			    CONF_MAP_IPSEC_ISAKMP)
				return true;
	}
	return false;
}

/* The outbound SAs held unsent by the last takeover, and the counts. */
static void
ha_unproven_fill(struct cli_redundancy *o)
{
	const struct sadb_sa *sa;
	const struct ha_sa *x;

	o->unproven_rekeyed = ha.cnt.unproven_rekeyed;
	o->unproven_refused = ha.cnt.unproven_refused;
	for (sa = sadb_sa_next(ha.ctl->sadb, NULL); sa != NULL &&
	     o->n_held < 4; sa = sadb_sa_next(ha.ctl->sadb, sa)) {
		x = &ha.sa[sa->id];
		if (x->unproven == HA_PROVEN || sa->state == SADB_SA_INSTALLED)
			continue;
		o->held[o->n_held].spi = sa->p.spi;
		snprintf(o->held[o->n_held].why,
			 sizeof(o->held[0].why), "%s",
			 ha_unproven_name((enum ha_unproven)x->unproven));
		o->n_held++;
	}
}

/* The ipc addresses, and the state of each path when up. */
static void
sync_fill(struct cli_redundancy *o, const struct conf_ipc *p,
	  const struct sync_transport_stats *ts)
{
	unsigned int i, j;

	o->n_sync_local = p->n_local_ip;
	o->n_sync_peer = p->n_remote_ip;
	o->sync_local_port = p->local_port;
	o->sync_peer_port = p->remote_port;
	for (i = 0; i < p->n_local_ip && i < 2; i++)
		o->sync_local[i] = p->local_ip[i];
	for (i = 0; i < p->n_remote_ip && i < 2; i++) {
		o->sync_peer[i] = p->remote_ip[i];
		for (j = 0; j < ts->n_paths; j++)
			if (tw_addr_eq(&ts->paths[j].addr, &p->remote_ip[i]))
				o->sync_peer_up[i] = ts->paths[j].up;
	}
}

static void
fill_cli(struct ctl *ctl, void *arg)
{
	struct rf_req *r = arg;
	struct cli_redundancy *o = r->out;
	const struct rf *rf = ha_rf();
	const struct conf *c = ctl->conf;
	const struct conf_iface *ifc;
	const struct conf_standby *sb;
	struct rf_status st;
	enum hsrp_state hs;
	struct tw_addr a6;
	unsigned int i;

	if (!ha_enabled())
		return;
	rf_status(rf, ctl_now(), &st);
	o->configured = true;
	o->my_state = st.my_state;
	o->peer_state = st.peer_state;
	snprintf(o->my_state_name, sizeof(o->my_state_name), "%s",
		 st.my_state_name);
	snprintf(o->peer_state_name, sizeof(o->peer_state_name), "%s",
		 st.peer_state_name);
	o->duplex = st.duplex;
	o->comm_up = st.comm_up;
	o->manual_swact = st.manual_swact;
	o->unit_id = ha_unit_id();
	o->uptime_s = st.uptime_ms / 1000;
	o->switchovers = (unsigned int)st.switchovers;
	o->client_count = 1;
	o->keepalive_ms = st.keepalive_ms;
	o->keepalive_threshold = st.keepalive_threshold;
	o->keepalive_count = st.keepalive_count;
	snprintf(o->scheme, sizeof(o->scheme), "%s", c->redundancy.scheme);
	if (hsrp_glue_group_state(c->redundancy.scheme, &hs) == 0)
		snprintf(o->scheme_state, sizeof(o->scheme_state), "%s",
			 hsrp_state_name(hs));
	snprintf(o->peer_hostname, sizeof(o->peer_hostname), "%s",
		 st.peer_hostname);
	snprintf(o->reason, sizeof(o->reason), "%s", st.last_reason);
	snprintf(o->mismatch, sizeof(o->mismatch), "%s", st.mismatch);
	if (st.split)
		snprintf(o->split, sizeof(o->split),
			 "NOW, for %llu ms: twin %s is ACTIVE too; %s (%s)",
			 (unsigned long long)st.split_ms, st.peer_hostname,
			 st.split_won ? "this unit stays ACTIVE" :
			 "this unit yields", st.split_rule);
	else if (st.splits > 0)
		snprintf(o->split, sizeof(o->split),
			 "%llu seen (%llu won, %llu lost), the last for %llu ms, decided by %s%s",
			 (unsigned long long)st.splits,
			 (unsigned long long)st.splits_won,
			 (unsigned long long)st.splits_lost,
			 (unsigned long long)st.split_ms, st.split_rule,
			 st.yield ? "; yielding to the twin while it is ACTIVE" :
			 "");
	{
		struct sync_transport_stats ts;

		if (ha_transport_stats(&ts) == 0) {
			snprintf(o->transport, sizeof(o->transport), "%s",
				 ts.backend);
			snprintf(o->transport_state,
				 sizeof(o->transport_state), "%s",
				 sync_transport_state_name(ts.state));
			sync_fill(o, &c->ipc, &ts);
		}
	}
	ha_sa_count(&o->sas_installed, &o->sas_decoupled);
	ha_unproven_fill(o);
	ike_glue_sa_count(&o->ike_sas_active, &o->ike_sas_standby);
	/* The VIPs of the interfaces that carry crypto maps. */
	for (i = 0; i < c->n_ifaces && o->n_vip < CLI_RF_MAX_VIPS; i++) {
		ifc = &c->ifaces[i];
		if (ifc->crypto_map[0] == '\0' || ifc->n_standby == 0)
			continue;
		sb = &ifc->standby[0];
		if (o->n_vip6 < CLI_RF_MAX_VIPS &&
		    conf_iface_endpoint6(c, i, &a6)) {
			o->vip6_ike[o->n_vip6] = map_has_isakmp(c,
							       ifc->crypto_map);
			memcpy(o->vip6[o->n_vip6++], a6.v6, 16);
		}
		if (conf_iface_endpoint(c, i) == 0 && sb->vip == 0)
			continue;   /* IPv6 groups only */
		o->vip_ike[o->n_vip] = map_has_isakmp(c, ifc->crypto_map);
		o->vip[o->n_vip++] = conf_iface_endpoint(c, i) != 0 ?
			conf_iface_endpoint(c, i) : sb->vip;
	}
}

int
ha_cli_redundancy(struct ctl *ctl, struct cli_redundancy *out)
{
	struct rf_req r = { .out = out };
	int rc;

	rc = ctl_call(ctl, fill_cli, &r, CTL_CONSOLE_CALL_MS);
	return rc < 0 ? rc : r.rc;
}

static void
do_switchover(struct ctl *ctl TW_UNUSED, void *arg)
{
	struct rf_req *r = arg;

	r->rc = ha_force_switchover(r->err, r->errlen);
}

int
ha_cli_force_switchover(struct ctl *ctl, char *err, size_t errlen)
{
	struct rf_req r = { .err = err, .errlen = errlen };
	int rc;

	rc = ctl_call(ctl, do_switchover, &r, CTL_CONSOLE_CALL_MS);
	if (rc == 0 && r.rc == 0)
		tw_log(TW_LOG_NOTICE, "cli",
		       "redundancy force-switchover from the console");
	return rc < 0 ? rc : r.rc;
}
