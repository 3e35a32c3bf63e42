/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * /twinsec/ike: the IKE SAs of the engine (SPIs, peer, state, NAT,
 * children, message IDs, age) and its counters; with an IKE SA id
 * (conn-id) parameter, that SA with each Child SA. Filled on the control
 * lcore through ctl_call(), like the endpoints of telemetry.c.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_telemetry.h>

#include "ike_glue.h"
#include "ike_sa.h"
#include "ike_wire.h"
#include "ctl_telemetry.h"
#include "tw_log.h"
#include "tw_compiler.h"

#define ADDC(d, s, f) rte_tel_data_add_dict_u64(d, #f, (s)->f)

static void
ip_str(char *buf, size_t len, const struct tw_addr *a)
{
	tw_addr_str(a, buf, len);
}

static uint64_t
secs_since(tw_time_t t, tw_time_t now)
{
	return t == 0 || now < t ? 0 : (now - t) / TW_NSEC_PER_SEC;
}

static void
sa_fields(struct rte_tel_data *c, const struct ike_sa *sa,
	  const struct ike_config *cfg, tw_time_t now)
{
	char buf[96];
	size_t off = 0;
	unsigned int i;

	CTL_TEL_U64(c, "conn_id", sa->id);
	rte_tel_data_add_dict_string(c, "state", ike_sa_state_name(sa->state));
	rte_tel_data_add_dict_string(c, "role",
				     sa->initiator ? "initiator" : "responder");
	snprintf(buf, sizeof(buf), "0x%016" PRIx64, sa->spi_i);
	rte_tel_data_add_dict_string(c, "spi_i", buf);
	snprintf(buf, sizeof(buf), "0x%016" PRIx64, sa->spi_r);
	rte_tel_data_add_dict_string(c, "spi_r", buf);
	ip_str(buf, sizeof(buf), &sa->local_addr);
	rte_tel_data_add_dict_string(c, "local", buf);
	CTL_TEL_U64(c, "local_port", sa->local_port);
	ip_str(buf, sizeof(buf), &sa->peer_addr);
	rte_tel_data_add_dict_string(c, "peer", buf);
	CTL_TEL_U64(c, "peer_port", sa->peer_port);
	if (sa->policy < cfg->n_policies) {
		rte_tel_data_add_dict_string(c, "map",
					     cfg->policies[sa->policy].map);
		CTL_TEL_U64(c, "map_seq", cfg->policies[sa->policy].seq);
	}
	rte_tel_data_add_dict_string(c, "nat_local",
				     sa->nat_local ? "yes" : "no");
	rte_tel_data_add_dict_string(c, "nat_peer", sa->nat_peer ? "yes" : "no");
	rte_tel_data_add_dict_string(c, "encr", ike_encr_name(sa->algs.encr));
	CTL_TEL_U64(c, "encr_bits", sa->algs.encr_bits);
	rte_tel_data_add_dict_string(c, "prf", ike_prf_name(sa->algs.prf));
	rte_tel_data_add_dict_string(c, "integ", ike_integ_name(sa->algs.integ));
	rte_tel_data_add_dict_string(c, "dh", ike_dh_name(sa->algs.dh));
	CTL_TEL_U64(c, "children", ike_sa_n_children(sa));
	/* in/out SPI pairs: a dict inside a dict cannot nest further. */
	buf[0] = '\0';
	for (i = 0; i < IKE_CHILD_MAX && off + 19 < sizeof(buf); i++) {
		const struct ike_child *ch = &sa->child[i];

		if (ch->state == IKE_CHILD_NONE)
			continue;
		off += (size_t)snprintf(buf + off, sizeof(buf) - off, "%s%08x/%08x",
					off > 0 ? " " : "", ch->spi_in,
					ch->spi_out);
	}
	rte_tel_data_add_dict_string(c, "child_spis", buf);
	CTL_TEL_U64(c, "msgid_out", sa->msgid_out);
	CTL_TEL_U64(c, "msgid_in", sa->msgid_in);
	CTL_TEL_U64(c, "age_s", secs_since(sa->created, now));
	CTL_TEL_U64(c, "established_s", secs_since(sa->established, now));
	CTL_TEL_U64(c, "last_rx_s", secs_since(sa->last_rx, now));
	rte_tel_data_add_dict_string(c, "reason", sa->reason);
}

static void
child_fields(struct rte_tel_data *c, const struct ike_child *ch, tw_time_t now)
{
	char buf[32];

	rte_tel_data_start_dict(c);
	rte_tel_data_add_dict_string(c, "state", ike_child_state_name(ch->state));
	snprintf(buf, sizeof(buf), "0x%08x", ch->spi_in);
	rte_tel_data_add_dict_string(c, "spi_in", buf);
	snprintf(buf, sizeof(buf), "0x%08x", ch->spi_out);
	rte_tel_data_add_dict_string(c, "spi_out", buf);
	rte_tel_data_add_dict_string(c, "cipher", conf_cipher_name(ch->cipher));
	rte_tel_data_add_dict_string(c, "integrity", conf_integ_name(ch->integ));
	rte_tel_data_add_dict_string(c, "udp_encap", ch->udp_encap ? "on" : "off");
	CTL_TEL_U64(c, "pfs_group", ch->pfs_group);
	CTL_TEL_U64(c, "age_s", secs_since(ch->created, now));
	CTL_TEL_U64(c, "bytes", ch->bytes);
	CTL_TEL_U64(c, "soft_bytes", ch->soft_bytes);
	CTL_TEL_U64(c, "hard_bytes", ch->hard_bytes);
}

static int
add_counters(struct rte_tel_data *d, const struct ike_engine *e)
{
	const struct ike_glue_counters *g = ike_glue_counters();
	struct rte_tel_data *c = rte_tel_data_alloc();
	struct ike_counters k;

	if (c == NULL)
		return -ENOMEM;
	ike_counters_read(e, &k);
	rte_tel_data_start_dict(c);
	ADDC(c, &k, rx); ADDC(c, &k, tx); ADDC(c, &k, rx_dropped);
	ADDC(c, &k, rx_malformed); ADDC(c, &k, rx_icv_fail);
	ADDC(c, &k, rx_retransmits); ADDC(c, &k, tx_retransmits);
	ADDC(c, &k, rx_msgid_ahead);
	ADDC(c, &k, cookies_sent); ADDC(c, &k, cookies_bad);
	ADDC(c, &k, half_open_drops); ADDC(c, &k, peer_half_open_limit);
	ADDC(c, &k, peer_sa_limit); ADDC(c, &k, create_child_limited);
	ADDC(c, &k, sa_established); ADDC(c, &k, sa_failed);
	ADDC(c, &k, sa_deleted); ADDC(c, &k, sa_rekeyed);
	ADDC(c, &k, child_created); ADDC(c, &k, child_rekeyed);
	ADDC(c, &k, child_deleted);
	ADDC(c, &k, auth_failed); ADDC(c, &k, no_proposal);
	ADDC(c, &k, ts_unacceptable); ADDC(c, &k, ts_widened);
	ADDC(c, &k, pfs_refused);
	ADDC(c, &k, rx_retransmit_mismatch); ADDC(c, &k, rx_retransmit_limited);
	ADDC(c, &k, dpd_sent); ADDC(c, &k, dpd_dead); ADDC(c, &k, nat_keepalives);
	ADDC(c, &k, initial_contact_sent); ADDC(c, &k, initial_contact_kills);
	ADDC(c, &k, dup_sas); ADDC(c, &k, dup_deleted);
	ADDC(c, &k, invalid_spi_sent); ADDC(c, &k, invalid_spi_limited);
	ADDC(c, &k, invalid_spi_nopeer); ADDC(c, &k, invalid_spi_rx);
	ADDC(c, &k, path_not_followed); ADDC(c, &k, rx_not_unicast);
	ADDC(c, &k, timeouts); ADDC(c, &k, transitions); ADDC(c, &k, illegal);
	ADDC(c, g, tx_errors); ADDC(c, g, no_route); ADDC(c, g, sadb_errors);
	ADDC(c, g, keepalives_rx); ADDC(c, g, not_to_us);
	ADDC(c, g, spd_refreshes); ADDC(c, g, unknown_spi); ADDC(c, g, stop_deletes);
	ADDC(c, g, held_sends);
	ADDC(c, g, unknown_spi_initiated); ADDC(c, g, unknown_spi_early);
	rte_tel_data_add_dict_container(d, "counters", c, 0);
	return 0;
}

static void
fill_one(struct rte_tel_data *d, const struct ike_engine *e,
	 const struct ike_sa *sa, tw_time_t now)
{
	struct rte_tel_data *c;
	char key[16];
	unsigned int i;

	sa_fields(d, sa, ike_engine_config(e), now);
	for (i = 0; i < IKE_CHILD_MAX; i++) {
		if (sa->child[i].state == IKE_CHILD_NONE)
			continue;
		c = rte_tel_data_alloc();
		if (c == NULL)
			return;
		child_fields(c, &sa->child[i], now);
		snprintf(key, sizeof(key), "child%u", i);
		rte_tel_data_add_dict_container(d, key, c, 0);
	}
}

static void
fill_ike(struct ctl *ctl TW_UNUSED, void *arg)
{
	struct ctl_tel_req *r = arg;
	const struct ike_engine *e = ike_glue_engine();
	const struct ike_sa *sa;
	struct rte_tel_data *c;
	tw_time_t now = ctl_now();
	unsigned int n = 1;
	unsigned long id;
	char key[16], *end;

	rte_tel_data_start_dict(r->d);
	if (e == NULL) {
		rte_tel_data_add_dict_string(r->d, "ike", "not configured");
		return;
	}
	if (r->params != NULL && r->params[0] != '\0') {
		id = strtoul(r->params, &end, 0);
		sa = *end == '\0' ? ike_engine_sa(e, (uint32_t)id) : NULL;
		if (sa == NULL) {
			r->rc = -ENOENT;
			return;
		}
		fill_one(r->d, e, sa, now);
		return;
	}
	r->rc = add_counters(r->d, e);
	if (r->rc < 0)
		return;
	for (sa = ike_engine_sa_next(e, NULL); sa != NULL;
	     sa = ike_engine_sa_next(e, sa)) {
		if (++n == RTE_TEL_MAX_DICT_ENTRIES) {
			/* /twinsec/ike,ID reads the others. */
			rte_tel_data_add_dict_string(r->d, "truncated", "yes");
			break;
		}
		c = rte_tel_data_alloc();
		if (c == NULL) {
			r->rc = -ENOMEM;
			return;
		}
		rte_tel_data_start_dict(c);
		sa_fields(c, sa, ike_engine_config(e), now);
		snprintf(key, sizeof(key), "%u", sa->id);
		rte_tel_data_add_dict_container(r->d, key, c, 0);
	}
}

static int
tel_ike(const char *cmd TW_UNUSED, const char *params, struct rte_tel_data *d)
{
	return ctl_telemetry_call(fill_ike, params, d);
}

void
ike_telemetry_init(struct ctl *ctl TW_UNUSED)
{
	int rc;

	rc = rte_telemetry_register_cmd("/twinsec/ike", tel_ike,
		"IKE SAs (SPIs, peer, state, NAT, children, message IDs, age) and IKE counters; with a conn-id, that SA and its Child SAs");
	if (rc < 0)
		tw_log(TW_LOG_WARNING, "telemetry",
		       "cannot register /twinsec/ike: %s", strerror(-rc));
}
