/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * show redundancy [states | inter-device], redundancy force-switchover,
 * show crypto ha. The redundancy issue provides ops->redundancy; until then
 * the box runs alone and says so: DISABLED, Simplex, not configured.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

/* IOS RF state numbers. */
#define RF_DISABLED 1

static int
get_rf(const struct cli_call *c, struct cli_redundancy *r)
{
	int rc;

	memset(r, 0, sizeof(*r));
	r->keepalive_ms = 4000;       /* IOS defaults, shown unconfigured */
	r->keepalive_threshold = 7;
	r->my_state = r->peer_state = RF_DISABLED;
	snprintf(r->my_state_name, sizeof(r->my_state_name), "DISABLED");
	snprintf(r->peer_state_name, sizeof(r->peer_state_name), "DISABLED");
	if (c->s->ops->redundancy == NULL)
		return 0;
	rc = c->s->ops->redundancy(c->s->ctx, r);
	if (rc < 0)
		cli_err_op(c, "show redundancy", rc, NULL);
	return rc;
}

static void
states(const struct cli_call *c, const struct cli_redundancy *r)
{
	const char *why = r->configured ? "" :
		"  Reason: Redundancy not configured";

	cli_out(c, "       my state = %-2d -%s", r->my_state,
		r->my_state_name);
	cli_out(c, "     peer state = %-2d -%s", r->peer_state,
		r->peer_state_name);
	cli_out(c, "           Mode = %s", r->duplex ? "Duplex" : "Simplex");
	cli_out(c, "        Unit ID = %u\n", r->unit_id);
	cli_out(c, "Split Mode = Disabled");
	/* twinsec: two ACTIVE twins (rf.h), now or the last ones seen. */
	if (r->split[0] != '\0')
		cli_out(c, "Split brain = %s", r->split);
	cli_out(c, "Manual Swact = %s%s", r->configured && r->manual_swact ?
		"Enabled" : "Disabled", why);
	cli_out(c, "Communications = %s%s\n", r->comm_up ? "Up" : "Down", why);
	cli_out(c, "   client count = %u", r->client_count);
	cli_out(c, " client_notification_TMR = 30000 milliseconds");
	cli_out(c, "          keep_alive TMR = %u milliseconds",
		r->keepalive_ms);
	cli_out(c, "        keep_alive count = %u", r->keepalive_count);
	cli_out(c, "    keep_alive threshold = %u", r->keepalive_threshold);
}

/*
 * The sync association: "Sync local = [2001:db8::1]:5000" and one line per
 * twin address with its path state (brackets for IPv6, as in URLs).
 */
static void
sync_lines(const struct cli_call *c, const struct cli_redundancy *r)
{
	char a[TW_ADDR_STRLEN], line[160] = "";
	unsigned int i;
	int n = 0;

	for (i = 0; i < r->n_sync_local && i < 2; i++) {
		tw_addr_str(&r->sync_local[i], a, sizeof(a));
		n += snprintf(line + n, sizeof(line) - (size_t)n,
			      r->sync_local[i].family == TW_AF_INET6 ?
			      " [%s]:%u" : " %s:%u", a, r->sync_local_port);
		if (n >= (int)sizeof(line))
			break;
	}
	cli_out(c, "Sync local =%s, association %s", line,
		r->transport_state);
	for (i = 0; i < r->n_sync_peer && i < 2; i++) {
		tw_addr_str(&r->sync_peer[i], a, sizeof(a));
		cli_out(c, r->sync_peer[i].family == TW_AF_INET6 ?
			"Sync peer = [%s]:%u (IPv6), path %s" :
			"Sync peer = %s:%u (IPv4), path %s", a,
			r->sync_peer_port, r->sync_peer_up[i] ? "up" : "down");
	}
}

/* twinsec's own lines after the IOS ones. */
static void
details(const struct cli_call *c, const struct cli_redundancy *r)
{
	cli_out(c, "\nScheme = Standby %s (%s)", r->scheme,
		r->scheme_state[0] != '\0' ? r->scheme_state : "unknown");
	cli_out(c, "Sync transport = %s", r->transport[0] != '\0' ?
		r->transport : "none (no ipc section)");
	if (r->transport[0] != '\0')
		sync_lines(c, r);
	cli_out(c, "Peer = %s", r->peer_hostname[0] != '\0' ?
		r->peer_hostname : "unknown");
	cli_out(c, "IPsec SAs = %u installed, %u standby (decoupled)",
		r->sas_installed, r->sas_decoupled);
	cli_out(c, "IKE SAs = %u active, %u standby",
		r->ike_sas_active, r->ike_sas_standby);
	cli_out(c, "Last state change = %s", r->reason);
	if (r->mismatch[0] != '\0')
		cli_out(c, "Configuration mismatch = %s", r->mismatch);
}

static int
show_redundancy(const struct cli_call *c)
{
	struct cli_redundancy r;
	char up[96];

	if (get_rf(c, &r) < 0)
		return CLI_ERROR;
	if (strstr(c->command, "inter-device") != NULL) {
		if (!r.configured) {
			cli_out(c, "Redundancy inter-device state: RF_INTERDEV_STATE_NO_INIT");
			cli_out(c, "  Redundancy not configured");
			return CLI_OK;
		}
		cli_out(c, "Redundancy inter-device state: %s",
			r.comm_up ? "RF_INTERDEV_STATE_ACT" :
			"RF_INTERDEV_STATE_INIT");
		cli_out(c, "  Scheme: Standby");
		return CLI_OK;
	}
	if (strstr(c->command, "states") == NULL) {
		if (!r.configured)
			cli_out(c, "Redundancy not configured\n");
		cli_out(c, "Redundant System Information :");
		cli_out(c, "------------------------------");
		cli_out(c, "       Available system uptime = %s",
			cli_uptime(r.uptime_s, up, sizeof(up)));
		cli_out(c, "Switchovers system experienced = %u\n",
			r.switchovers);
	}
	states(c, &r);
	if (r.configured && strstr(c->command, "states") == NULL)
		details(c, &r);
	return CLI_OK;
}

static int
force_switchover(const struct cli_call *c)
{
	char err[256] = "";
	int rc;

	if (c->s->ops->force_switchover == NULL) {
		cli_err(c, "Redundancy not configured: no peer to switch over to");
		return CLI_ERROR;
	}
	rc = c->s->ops->force_switchover(c->s->ctx, err, sizeof(err));
	if (rc == -ENOTSUP) {
		cli_err(c, "Redundancy not configured: no peer to switch over to");
		return CLI_ERROR;
	}
	if (rc < 0) {
		cli_err_op(c, "redundancy force-switchover", rc, err);
		return CLI_ERROR;
	}
	return CLI_OK;
}

static int
show_crypto_ha(const struct cli_call *c)
{
	struct cli_redundancy r;
	char ip[CLI_IP_STRLEN], ip6[TW_ADDR_STRLEN];
	unsigned int i;

	/* IOS lists the VIPs IKE and IPsec use; none without HA. */
	if (get_rf(c, &r) < 0)
		return CLI_ERROR;
	if (!r.configured)
		return CLI_OK;
	for (i = 0; i < r.n_vip; i++)
		if (r.vip_ike[i]) {
			cli_out(c, "IKE VIP: %s", cli_ip(r.vip[i], ip));
			cli_out(c, "  IKE SAs: %u active, %u standby",
				r.ike_sas_active, r.ike_sas_standby);
		}
	for (i = 0; i < r.n_vip6; i++)
		if (r.vip6_ike[i]) {
			cli_out(c, "IKE VIP: %s", cli_addr6(r.vip6[i], ip6));
			cli_out(c, "  IKE SAs: %u active, %u standby",
				r.ike_sas_active, r.ike_sas_standby);
		}
	for (i = 0; i < r.n_vip; i++)
		cli_out(c, "IPSec VIP: %s", cli_ip(r.vip[i], ip));
	for (i = 0; i < r.n_vip6; i++)
		cli_out(c, "IPSec VIP: %s", cli_addr6(r.vip6[i], ip6));
	cli_out(c, "  state: %s, %u SAs installed, %u standby", r.my_state_name,
		r.sas_installed, r.sas_decoupled);
	if (r.split[0] != '\0')
		cli_out(c, "  split brain: %s", r.split);
	if (r.unproven_rekeyed + r.unproven_refused == 0)
		return CLI_OK;
	cli_out(c, "  unproven sequence numbers at takeover: %llu SAs rekeyed, %llu not sent on",
		(unsigned long long)r.unproven_rekeyed,
		(unsigned long long)r.unproven_refused);
	for (i = 0; i < r.n_held && i < 4; i++)
		cli_out(c, "    SA 0x%08X out not sent on: %s", r.held[i].spi,
			r.held[i].why);
	return CLI_OK;
}

static const struct cli_cmd rf_cmds[] = {
	{ "show redundancy", "Redundancy facility information",
	  show_redundancy, CLI_PRIV_USER, CLI_MODE_EXEC, 0, 0, NULL },
	{ "show redundancy states", "Redundancy states", show_redundancy,
	  CLI_PRIV_USER, CLI_MODE_EXEC, 0, 0, NULL },
	{ "show redundancy inter-device", "Inter-device redundancy",
	  show_redundancy, CLI_PRIV_USER, CLI_MODE_EXEC, 0, 0, NULL },
	{ "redundancy", "Redundancy commands", NULL, CLI_PRIV_ADMIN,
	  CLI_MODE_EXEC, 0, 0, NULL },
	{ "redundancy force-switchover", "Force a switchover to the standby",
	  force_switchover, CLI_PRIV_ADMIN, CLI_MODE_EXEC, 0, 0, NULL },
	{ "show crypto ha", "Crypto High Availability VIPs", show_crypto_ha,
	  CLI_PRIV_USER, CLI_MODE_EXEC, 0, 0, NULL },
};

int
cli_redundancy_register(struct cli_sess *s)
{
	return cli_cmds_register(s, rf_cmds,
				 sizeof(rf_cmds) / sizeof(rf_cmds[0]));
}
