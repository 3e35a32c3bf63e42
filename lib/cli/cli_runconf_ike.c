/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * show running-config, the IKE part: "crypto ikev2 proposal / policy /
 * keyring / profile" and the ipsec-isakmp lines of a crypto map entry,
 * IOS-spelled; pre-shared keys masked. Settings IOS has no words for
 * (twinsec's DPD retry count, retransmission, initiation) are "twinsec"
 * lines, so nothing of the running configuration is left out.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "cli_runconf.h"

/* The profile every ipsec-isakmp entry uses (twinsec has one). */
#define RUNCONF_PROFILE "twinsec"

static void
render_proposal(const struct conf_ike_proposal *p, struct cli_buf *b)
{
	unsigned int i;

	cli_buf_printf(b, "crypto ikev2 proposal %s\n encryption", p->name);
	for (i = 0; i < p->n_encr; i++)
		cli_buf_printf(b, " %s", conf_ike_encr_name(&p->encr[i]));
	if (p->n_integ != 0) {
		cli_buf_printf(b, "\n integrity");
		for (i = 0; i < p->n_integ; i++)
			cli_buf_printf(b, " %s",
				       conf_ike_hash_name(p->integ[i], true));
	}
	cli_buf_printf(b, "\n prf");
	for (i = 0; i < p->n_prf; i++)
		cli_buf_printf(b, " %s", conf_ike_hash_name(p->prf[i], false));
	cli_buf_printf(b, "\n group");
	for (i = 0; i < p->n_dh; i++)
		cli_buf_printf(b, " %u", p->dh[i]);
	cli_buf_printf(b, "\n!\n");
}

static void
render_keyring(const struct conf_ike *k, struct cli_buf *b)
{
	char ip[TW_ADDR_STRLEN];
	struct in_addr a;
	unsigned int i;

	cli_buf_printf(b, "crypto ikev2 keyring %s\n", RUNCONF_PROFILE);
	for (i = 0; i < k->n_psks; i++) {
		const struct conf_ike_psk *p = &k->psks[i];

		if (p->peer_addr.family != TW_AF_NONE) {
			tw_addr_str(&p->peer_addr, ip, sizeof(ip));
			cli_buf_printf(b, " peer %s\n  address %s\n", ip, ip);
		} else {
			cli_buf_printf(b, " peer %s\n  identity %s %s\n", p->id,
				       inet_pton(AF_INET, p->id, &a) == 1 ?
				       "address" : "fqdn", p->id);
		}
		cli_buf_printf(b, "  pre-shared-key <removed>\n !\n");
	}
	cli_buf_printf(b, "!\n");
}

/*
 * IOS "crypto ikev2 limit max-in-negotiation-sa N" / "max-sa N", per
 * peer here, and the CREATE_CHILD_SA rate: like IOS, only what differs
 * from the defaults (conf_ike.c) is shown.
 */
static void
render_limits(const struct conf_ike *k, struct cli_buf *b)
{
	bool any = false;

	if (k->peer_half_open != 0 &&
	    k->peer_half_open != CONF_IKE_PEER_HALF_OPEN_DEFAULT) {
		cli_buf_printf(b, "crypto ikev2 limit max-in-negotiation-sa %u per-peer\n",
			       k->peer_half_open);
		any = true;
	}
	if (k->peer_sas != 0 && k->peer_sas != CONF_IKE_PEER_SAS_DEFAULT) {
		cli_buf_printf(b, "crypto ikev2 limit max-sa %u per-peer\n",
			       k->peer_sas);
		any = true;
	}
	if ((k->create_child != 0 &&
	     k->create_child != CONF_IKE_CREATE_CHILD_DEFAULT) ||
	    (k->create_child_window != 0 &&
	     k->create_child_window != CONF_IKE_CREATE_CHILD_WINDOW_DEFAULT)) {
		cli_buf_printf(b, "crypto ikev2 limit twinsec create-child-sa %u per %u seconds\n",
			       k->create_child, k->create_child_window);
		any = true;
	}
	if (any)
		cli_buf_printf(b, "!\n");
}

void
cli_runconf_ike(const struct conf *c, struct cli_buf *b)
{
	const struct conf_ike *k = &c->ike;
	unsigned int i;

	if (!k->enabled)
		return;
	for (i = 0; i < k->n_proposals; i++)
		render_proposal(&k->proposals[i], b);
	cli_buf_printf(b, "crypto ikev2 policy %s\n", RUNCONF_PROFILE);
	for (i = 0; i < k->n_proposals; i++)
		cli_buf_printf(b, " proposal %s\n", k->proposals[i].name);
	cli_buf_printf(b, "!\n");
	render_keyring(k, b);
	cli_buf_printf(b, "crypto ikev2 profile %s\n", RUNCONF_PROFILE);
	cli_buf_printf(b, " match identity remote any\n");
	cli_buf_printf(b, " authentication remote pre-share\n");
	cli_buf_printf(b, " authentication local pre-share\n");
	cli_buf_printf(b, " keyring local %s\n", RUNCONF_PROFILE);
	cli_buf_printf(b, " lifetime %u\n", k->lifetime);
	/* IOS "dpd INTERVAL RETRY-INTERVAL": twinsec counts retries */
	if (k->dpd_interval == 0)
		cli_buf_printf(b, " twinsec dpd disable\n");
	else
		cli_buf_printf(b, " twinsec dpd interval %u retries %u\n",
			       k->dpd_interval, k->dpd_retries);
	cli_buf_printf(b, " twinsec retransmit timeout-ms %u tries %u\n",
		       k->retransmit_ms, k->retransmit_tries);
	cli_buf_printf(b, " twinsec cookie-threshold %u half-open-max %u\n",
		       k->cookie_threshold, k->half_open_max);
	cli_buf_printf(b, "!\n");
	if (k->nat_keepalive != 0)
		cli_buf_printf(b, "crypto ikev2 nat keepalive %u\n!\n",
			       k->nat_keepalive);
	render_limits(k, b);
}

void
cli_runconf_isakmp_entry(const struct conf_map_entry *e, struct cli_buf *b)
{
	if (e->pfs_group != 0)
		cli_buf_printf(b, " set pfs group%u\n", e->pfs_group);
	cli_buf_printf(b, " set security-association lifetime seconds %u\n",
		       e->lifetime_s);
	if (e->lifetime_kb != 0)
		cli_buf_printf(b, " set security-association lifetime kilobytes %llu\n",
			       (unsigned long long)e->lifetime_kb);
	else
		cli_buf_printf(b, " set security-association lifetime kilobytes disable\n");
	cli_buf_printf(b, " set ikev2-profile %s\n", RUNCONF_PROFILE);
	if (e->ike_proposal[0] != '\0')
		cli_buf_printf(b, " twinsec ikev2 proposal %s\n",
			       e->ike_proposal);
	if (e->local_id[0] != '\0')
		cli_buf_printf(b, " twinsec identity local %s\n", e->local_id);
	if (e->remote_id[0] != '\0')
		cli_buf_printf(b, " twinsec identity remote %s\n",
			       e->remote_id);
	cli_buf_printf(b, " twinsec initiate %s\n",
		       conf_initiate_name(e->initiate));
}
