/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * /twinsec/redundancy: the RF states, the peer, communications, keep-alives
 * and the sync counters, read on the control lcore.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_telemetry.h>

#include "ctl_telemetry.h"
#include "dp.h"
#include "ha_priv.h"
#include "ha_cli.h"
#include "ike_glue.h"
#include "tw_log.h"
#include "tw_compiler.h"


/*
 * The sync addresses: transport_local and transport_peer are the first
 * local and remote ipc addresses (either family, RFC 5952 text), then
 * transport_peer_up counts the twin's addresses whose path is up.
 */
static void
tel_paths(struct rte_tel_data *d, const struct conf_ipc *p,
	  const struct sync_transport_stats *ts)
{
	char a[TW_ADDR_STRLEN];
	unsigned int i, up = 0;

	if (p->n_local_ip > 0)
		rte_tel_data_add_dict_string(d, "transport_local",
			tw_addr_str(&p->local_ip[0], a, sizeof(a)));
	if (p->n_remote_ip > 0)
		rte_tel_data_add_dict_string(d, "transport_peer",
			tw_addr_str(&p->remote_ip[0], a, sizeof(a)));
	for (i = 0; i < ts->n_paths; i++)
		up += ts->paths[i].up;
	CTL_TEL_U64(d, "transport_peer_up", up);
}

static void
fill_tel(struct ctl *ctl, void *arg)
{
	struct ctl_tel_req *r = arg;
	struct rte_tel_data *d = r->d;
	const struct ha_counters *k = ha_counters();
	const struct rf *rf = ha_rf();
	struct sync_transport_stats ts;
	struct sync_frame_counters fc;
	struct rf_status st;
	uint32_t inst, dec;

	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "configured",
				     ha_enabled() ? "yes" : "no");
	if (!ha_enabled())
		return;
	rf_status(rf, ctl_now(), &st);
	CTL_TEL_U64(d, "my_state_num", st.my_state);
	rte_tel_data_add_dict_string(d, "my_state", st.my_state_name);
	CTL_TEL_U64(d, "peer_state_num", st.peer_state);
	rte_tel_data_add_dict_string(d, "peer_state", st.peer_state_name);
	rte_tel_data_add_dict_string(d, "communications",
				     st.comm_up ? "Up" : "Down");
	rte_tel_data_add_dict_string(d, "peer_hostname", st.peer_hostname);
	rte_tel_data_add_dict_string(d, "mismatch", st.mismatch);
	rte_tel_data_add_dict_string(d, "last_reason", st.last_reason);
	CTL_TEL_U64(d, "unit_id", ha_unit_id());
	CTL_TEL_U64(d, "switchovers", st.switchovers);
	/* split brain (rf.h) */
	rte_tel_data_add_dict_string(d, "split", !st.split ? "no" :
				     st.split_won ? "won" : "lost");
	rte_tel_data_add_dict_string(d, "yield", st.yield ? "yes" : "no");
	rte_tel_data_add_dict_string(d, "split_rule", st.split_rule);
	CTL_TEL_U64(d, "split_ms", st.split_ms);
	CTL_TEL_U64(d, "splits", st.splits);
	CTL_TEL_U64(d, "splits_won", st.splits_won);
	CTL_TEL_U64(d, "splits_lost", st.splits_lost);
	CTL_TEL_U64(d, "split_reports_out", k->split_reports_out);
	CTL_TEL_U64(d, "split_reports_in", k->split_reports_in);
	CTL_TEL_U64(d, "split_moved", k->split_moved);
	CTL_TEL_U64(d, "split_ike_out", k->split_ike_out);
	CTL_TEL_U64(d, "split_ike_in", k->split_ike_in);
	CTL_TEL_U64(d, "split_ike_adopted", k->split_ike_adopted);
	rte_tel_data_add_dict_string(d, "peer_silent",
				     st.peer_silent ? "yes" : "no");
	CTL_TEL_U64(d, "keepalive_count", st.keepalive_count);
	CTL_TEL_U64(d, "keepalives_sent", st.keepalives_sent);
	CTL_TEL_U64(d, "keepalives_received", st.keepalives_received);
	CTL_TEL_U64(d, "keepalives_missed", st.keepalives_missed);
	CTL_TEL_U64(d, "bulk_got", st.bulk_got);
	CTL_TEL_U64(d, "bulk_expect", st.bulk_expect);
	CTL_TEL_U64(d, "bulks_sent", rf->cnt.bulks_sent);
	CTL_TEL_U64(d, "bulks_received", rf->cnt.bulks_received);
	CTL_TEL_U64(d, "bulk_failures", rf->cnt.bulk_failures);
	CTL_TEL_U64(d, "digest_mismatches", rf->cnt.digest_mismatches);
	CTL_TEL_U64(d, "takeovers", rf->cnt.takeovers);
	CTL_TEL_U64(d, "relinquishes", rf->cnt.relinquishes);
	CTL_TEL_U64(d, "illegal_transitions", rf->cnt.illegal_transitions);
	ha_sa_count(&inst, &dec);
	CTL_TEL_U64(d, "sas_installed", inst);
	CTL_TEL_U64(d, "sas_decoupled", dec);
	CTL_TEL_U64(d, "tx_msgs", k->tx_msgs);
	CTL_TEL_U64(d, "tx_bytes", k->tx_bytes);
	CTL_TEL_U64(d, "tx_queued", k->tx_queued);
	CTL_TEL_U64(d, "tx_dropped", k->tx_dropped);
	CTL_TEL_U64(d, "rx_frames", k->rx_frames);
	CTL_TEL_U64(d, "rx_bad_frame", k->rx_bad_frame);
	CTL_TEL_U64(d, "rx_bad_msg", k->rx_bad_msg);
	CTL_TEL_U64(d, "rx_unconfirmed", k->rx_unconfirmed);
	CTL_TEL_U64(d, "rx_ignored", k->rx_ignored);
	CTL_TEL_U64(d, "records_out", k->records_out);
	CTL_TEL_U64(d, "records_in", k->records_in);
	CTL_TEL_U64(d, "sa_add_out", k->sa_add_out);
	CTL_TEL_U64(d, "sa_add_in", k->sa_add_in);
	CTL_TEL_U64(d, "sa_del_out", k->sa_del_out);
	CTL_TEL_U64(d, "sa_del_in", k->sa_del_in);
	CTL_TEL_U64(d, "ike_add_out", k->ike_add_out);
	CTL_TEL_U64(d, "ike_add_in", k->ike_add_in);
	CTL_TEL_U64(d, "ike_del_out", k->ike_del_out);
	CTL_TEL_U64(d, "ike_del_in", k->ike_del_in);
	CTL_TEL_U64(d, "ike_refused", k->ike_refused);
	CTL_TEL_U64(d, "takeover_ike_sas", k->takeover_ike_sas);
	ike_glue_sa_count(&inst, &dec);
	CTL_TEL_U64(d, "ike_sas_active", inst);
	CTL_TEL_U64(d, "ike_sas_standby", dec);
	CTL_TEL_U64(d, "counter_updates_out", k->ctr_out);
	CTL_TEL_U64(d, "counter_updates_in", k->ctr_in);
	CTL_TEL_U64(d, "counter_updates_unknown", k->ctr_unknown);
	CTL_TEL_U64(d, "takeover_sas", k->takeover_sas);
	CTL_TEL_U64(d, "takeover_refused", k->takeover_refused);
	CTL_TEL_U64(d, "takeover_us", k->takeover_ns / 1000);
	CTL_TEL_U64(d, "takeover_rri_routes", k->takeover_rri_routes);
	CTL_TEL_U64(d, "takeover_rri_us", k->takeover_rri_ns / 1000);
	/* outbound SAs a takeover could not prove a start for (issue 13) */
	CTL_TEL_U64(d, "unproven_conn", k->unproven[HA_UNPROVEN_CONN]);
	CTL_TEL_U64(d, "unproven_clock", k->unproven[HA_UNPROVEN_CLOCK]);
	CTL_TEL_U64(d, "unproven_no_stamp", k->unproven[HA_UNPROVEN_NO_STAMP]);
	CTL_TEL_U64(d, "unproven_no_marks", k->unproven[HA_UNPROVEN_NO_MARKS]);
	CTL_TEL_U64(d, "unproven_spent", k->unproven[HA_UNPROVEN_SPENT]);
	CTL_TEL_U64(d, "unproven_rekeyed", k->unproven_rekeyed);
	CTL_TEL_U64(d, "unproven_refused", k->unproven_refused);
	CTL_TEL_U64(d, "unproven_now", k->unproven_now);
	CTL_TEL_U64(d, "seq_rate_pps",
		    sync_seq_rate(dp_n_workers(), ha_seq_worker_pps()));
	CTL_TEL_U64(d, "seq_peak_pps", k->seq_peak_pps);
	CTL_TEL_U64(d, "sync_connections", ha.conns.cur);
	CTL_TEL_U64(d, "relinquished_sas", k->relinquished_sas);
	CTL_TEL_U64(d, "mark_writes", k->mark_writes);
	CTL_TEL_U64(d, "mark_errors", k->mark_errors);
	CTL_TEL_U64(d, "stamp_writes", k->stamp_writes);
	CTL_TEL_U64(d, "reconnects", k->reconnects);
	CTL_TEL_U64(d, "watch_runs", k->watch_runs);
	CTL_TEL_U64(d, "watch_reads", k->watch_reads);
	CTL_TEL_U64(d, "watch_us", k->watch_ns / 1000);
	CTL_TEL_U64(d, "bulk_last_us", k->bulk_last_us);
	CTL_TEL_U64(d, "bulk_last_records", k->bulk_last_records);
	if (ha_frame_counters(&fc) == 0) {
		CTL_TEL_U64(d, "frames_bad_tag", fc.bad_tag);
		CTL_TEL_U64(d, "frames_mode_mismatch", fc.mode_mismatch);
		CTL_TEL_U64(d, "frames_replayed", fc.replayed);
		CTL_TEL_U64(d, "frames_stale_epoch", fc.stale_epoch);
	}
	if (ha_transport_stats(&ts) == 0) {
		rte_tel_data_add_dict_string(d, "transport", ts.backend);
		rte_tel_data_add_dict_string(d, "transport_state",
			sync_transport_state_name(ts.state));
		CTL_TEL_U64(d, "transport_retransmits", ts.retransmits);
		CTL_TEL_U64(d, "transport_ups", ts.ups);
		CTL_TEL_U64(d, "transport_downs", ts.downs);
		tel_paths(d, &ctl->conf->ipc, &ts);
	}
}

static int
tel_redundancy(const char *cmd TW_UNUSED, const char *params,
	       struct rte_tel_data *d)
{
	return ctl_telemetry_call(fill_tel, params, d);
}

int
ha_telemetry_init(struct ctl *ctl TW_UNUSED)
{
	int rc;

	rc = rte_telemetry_register_cmd("/twinsec/redundancy", tel_redundancy,
		"Redundancy (RF) state, twin, keep-alives, sync counters, takeover. Takes no parameters");
	if (rc < 0)
		tw_log(TW_LOG_WARNING, "telemetry",
		       "cannot register /twinsec/redundancy: %s",
		       strerror(-rc));
	return rc;
}
