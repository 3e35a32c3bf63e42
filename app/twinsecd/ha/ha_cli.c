/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * show redundancy / show crypto ha data and redundancy force-switchover
 * for the console, /twinsec/redundancy for telemetry: snapshots taken on
 * the control lcore through ctl_call().
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_telemetry.h>

#include "console.h"
#include "hsrp_glue.h"
#include "ike_glue.h"
#include "ha.h"
#include "ha_cli.h"
#include "telemetry.h"
#include "tw_log.h"

struct rf_req {
	struct cli_redundancy *out;
	char *err;
	size_t errlen;
	int rc;
};

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
	{
		struct sync_transport_stats ts;

		if (ha_transport_stats(&ts) == 0)
			snprintf(o->transport, sizeof(o->transport), "%s",
				 ts.backend);
	}
	ha_sa_count(&o->sas_installed, &o->sas_decoupled);
	ike_glue_sa_count(&o->ike_sas_active, &o->ike_sas_standby);
	/* The VIPs of the interfaces that carry crypto maps. */
	for (i = 0; i < c->n_ifaces && o->n_vip < CLI_RF_MAX_VIPS; i++) {
		ifc = &c->ifaces[i];
		if (ifc->crypto_map[0] == '\0' || ifc->n_standby == 0)
			continue;
		sb = &ifc->standby[0];
		o->vip[o->n_vip++] = hsrp_glue_endpoint(c, (uint16_t)i) != 0 ?
			hsrp_glue_endpoint(c, (uint16_t)i) : sb->vip;
	}
}

int
ha_cli_redundancy(void *ctx, struct cli_redundancy *out)
{
	struct console *con = ctx;
	struct rf_req r = { .out = out };
	int rc;

	rc = ctl_call(con->ctl, fill_cli, &r, CONSOLE_CALL_MS);
	return rc < 0 ? rc : r.rc;
}

static void
do_switchover(struct ctl *ctl, void *arg)
{
	struct rf_req *r = arg;

	(void)ctl;
	r->rc = ha_force_switchover(r->err, r->errlen);
}

int
ha_cli_force_switchover(void *ctx, char *err, size_t errlen)
{
	struct console *con = ctx;
	struct rf_req r = { .err = err, .errlen = errlen };
	int rc;

	rc = ctl_call(con->ctl, do_switchover, &r, CONSOLE_CALL_MS);
	if (rc == 0 && r.rc == 0)
		tw_log(TW_LOG_NOTICE, "cli",
		       "redundancy force-switchover from the console");
	return rc < 0 ? rc : r.rc;
}

/* ---- telemetry ---------------------------------------------------- */

#define ADDU(d, k, v) rte_tel_data_add_dict_u64(d, k, (uint64_t)(v))

static void
fill_tel(struct ctl *ctl, void *arg)
{
	struct tel_req *r = arg;
	struct rte_tel_data *d = r->d;
	const struct ha_counters *k = ha_counters();
	const struct rf *rf = ha_rf();
	struct sync_transport_stats ts;
	struct sync_frame_counters fc;
	struct rf_status st;
	uint32_t inst, dec;

	(void)ctl;
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "configured",
				     ha_enabled() ? "yes" : "no");
	if (!ha_enabled())
		return;
	rf_status(rf, ctl_now(), &st);
	ADDU(d, "my_state_num", st.my_state);
	rte_tel_data_add_dict_string(d, "my_state", st.my_state_name);
	ADDU(d, "peer_state_num", st.peer_state);
	rte_tel_data_add_dict_string(d, "peer_state", st.peer_state_name);
	rte_tel_data_add_dict_string(d, "communications",
				     st.comm_up ? "Up" : "Down");
	rte_tel_data_add_dict_string(d, "peer_hostname", st.peer_hostname);
	rte_tel_data_add_dict_string(d, "mismatch", st.mismatch);
	rte_tel_data_add_dict_string(d, "last_reason", st.last_reason);
	ADDU(d, "unit_id", ha_unit_id());
	ADDU(d, "switchovers", st.switchovers);
	ADDU(d, "keepalive_count", st.keepalive_count);
	ADDU(d, "keepalives_sent", st.keepalives_sent);
	ADDU(d, "keepalives_received", st.keepalives_received);
	ADDU(d, "keepalives_missed", st.keepalives_missed);
	ADDU(d, "bulk_got", st.bulk_got);
	ADDU(d, "bulk_expect", st.bulk_expect);
	ADDU(d, "bulks_sent", rf->cnt.bulks_sent);
	ADDU(d, "bulks_received", rf->cnt.bulks_received);
	ADDU(d, "bulk_failures", rf->cnt.bulk_failures);
	ADDU(d, "digest_mismatches", rf->cnt.digest_mismatches);
	ADDU(d, "takeovers", rf->cnt.takeovers);
	ADDU(d, "relinquishes", rf->cnt.relinquishes);
	ADDU(d, "illegal_transitions", rf->cnt.illegal_transitions);
	ha_sa_count(&inst, &dec);
	ADDU(d, "sas_installed", inst);
	ADDU(d, "sas_decoupled", dec);
	ADDU(d, "tx_msgs", k->tx_msgs);
	ADDU(d, "tx_bytes", k->tx_bytes);
	ADDU(d, "tx_queued", k->tx_queued);
	ADDU(d, "tx_dropped", k->tx_dropped);
	ADDU(d, "rx_frames", k->rx_frames);
	ADDU(d, "rx_bad_frame", k->rx_bad_frame);
	ADDU(d, "rx_bad_msg", k->rx_bad_msg);
	ADDU(d, "rx_unconfirmed", k->rx_unconfirmed);
	ADDU(d, "rx_ignored", k->rx_ignored);
	ADDU(d, "records_out", k->records_out);
	ADDU(d, "records_in", k->records_in);
	ADDU(d, "sa_add_out", k->sa_add_out);
	ADDU(d, "sa_add_in", k->sa_add_in);
	ADDU(d, "sa_del_out", k->sa_del_out);
	ADDU(d, "sa_del_in", k->sa_del_in);
	ADDU(d, "ike_add_out", k->ike_add_out);
	ADDU(d, "ike_add_in", k->ike_add_in);
	ADDU(d, "ike_del_out", k->ike_del_out);
	ADDU(d, "ike_del_in", k->ike_del_in);
	ADDU(d, "ike_refused", k->ike_refused);
	ADDU(d, "takeover_ike_sas", k->takeover_ike_sas);
	ike_glue_sa_count(&inst, &dec);
	ADDU(d, "ike_sas_active", inst);
	ADDU(d, "ike_sas_standby", dec);
	ADDU(d, "counter_updates_out", k->ctr_out);
	ADDU(d, "counter_updates_in", k->ctr_in);
	ADDU(d, "counter_updates_unknown", k->ctr_unknown);
	ADDU(d, "takeover_sas", k->takeover_sas);
	ADDU(d, "takeover_refused", k->takeover_refused);
	ADDU(d, "takeover_us", k->takeover_ns / 1000);
	ADDU(d, "relinquished_sas", k->relinquished_sas);
	ADDU(d, "mark_writes", k->mark_writes);
	ADDU(d, "mark_errors", k->mark_errors);
	ADDU(d, "stamp_writes", k->stamp_writes);
	ADDU(d, "reconnects", k->reconnects);
	ADDU(d, "watch_runs", k->watch_runs);
	ADDU(d, "watch_reads", k->watch_reads);
	ADDU(d, "watch_us", k->watch_ns / 1000);
	ADDU(d, "bulk_last_us", k->bulk_last_us);
	ADDU(d, "bulk_last_records", k->bulk_last_records);
	if (ha_frame_counters(&fc) == 0) {
		ADDU(d, "frames_bad_tag", fc.bad_tag);
		ADDU(d, "frames_mode_mismatch", fc.mode_mismatch);
		ADDU(d, "frames_replayed", fc.replayed);
		ADDU(d, "frames_stale_epoch", fc.stale_epoch);
	}
	if (ha_transport_stats(&ts) == 0) {
		rte_tel_data_add_dict_string(d, "transport", ts.backend);
		rte_tel_data_add_dict_string(d, "transport_state",
			sync_transport_state_name(ts.state));
		ADDU(d, "transport_retransmits", ts.retransmits);
		ADDU(d, "transport_ups", ts.ups);
		ADDU(d, "transport_downs", ts.downs);
	}
}

static int
tel_redundancy(const char *cmd, const char *params, struct rte_tel_data *d)
{
	(void)cmd;
	return telemetry_call(fill_tel, params, d);
}

int
ha_telemetry_init(struct ctl *ctl)
{
	int rc;

	(void)ctl; /* telemetry_call() uses telemetry_init()'s */
	rc = rte_telemetry_register_cmd("/twinsec/redundancy", tel_redundancy,
		"Redundancy (RF) state, twin, keep-alives, sync counters, takeover. Takes no parameters");
	if (rc < 0)
		tw_log(TW_LOG_WARNING, "telemetry",
		       "cannot register /twinsec/redundancy: %s",
		       strerror(-rc));
	return rc;
}
