/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Console ops of IKE (lib/cli/cli_ike.c): the IKE SA table (show crypto
 * isakmp sa), clear crypto isakmp and clear crypto sa's Child SAs; the
 * ops post their work to the control lcore through ctl_call().
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ike_cli.h"
#include "ike_glue_priv.h"
#include "tw_log.h"
#include "tw_compiler.h"

/* IOS's words for the negotiated IKE transforms. */
static void
alg_names(const struct ike_sa *sa, struct cli_ike_sa *v)
{
	const struct ike_sa_algs *a = &sa->algs;

	switch (a->encr) {
	case IKE_ENCR_AES_GCM_8:
	case IKE_ENCR_AES_GCM_12:
	case IKE_ENCR_AES_GCM_16:
		snprintf(v->encr, sizeof(v->encr), "AES-GCM");
		break;
	case IKE_ENCR_AES_CBC:
		snprintf(v->encr, sizeof(v->encr), "AES-CBC");
		break;
	default:
		snprintf(v->encr, sizeof(v->encr), "Unknown - %u", a->encr);
		break;
	}
	v->keysize = a->encr_bits;
	switch (a->prf) {
	case IKE_PRF_HMAC_SHA1:
		snprintf(v->prf, sizeof(v->prf), "SHA1");
		break;
	case IKE_PRF_HMAC_SHA2_256:
		snprintf(v->prf, sizeof(v->prf), "SHA256");
		break;
	case IKE_PRF_HMAC_SHA2_384:
		snprintf(v->prf, sizeof(v->prf), "SHA384");
		break;
	case IKE_PRF_HMAC_SHA2_512:
		snprintf(v->prf, sizeof(v->prf), "SHA512");
		break;
	default:
		snprintf(v->prf, sizeof(v->prf), "Unknown - %u", a->prf);
		break;
	}
	switch (a->integ) {
	case IKE_INTEG_HMAC_SHA1_96:
		snprintf(v->hash, sizeof(v->hash), "SHA96");
		break;
	case IKE_INTEG_HMAC_SHA2_256_128:
		snprintf(v->hash, sizeof(v->hash), "SHA256");
		break;
	case IKE_INTEG_HMAC_SHA2_384_192:
		snprintf(v->hash, sizeof(v->hash), "SHA384");
		break;
	case IKE_INTEG_HMAC_SHA2_512_256:
		snprintf(v->hash, sizeof(v->hash), "SHA512");
		break;
	default:
		snprintf(v->hash, sizeof(v->hash), "None");
		break;
	}
	v->dh_group = a->dh;
}

static const char *
ios_status(const struct ike_sa *sa, const char **desc)
{
	switch (sa->state) {
	case IKE_SA_ESTABLISHED:
		*desc = "Negotiation done";
		return "READY";
	case IKE_SA_REKEYED:
		*desc = "Rekeyed, waiting for DELETE";
		return "READY";
	case IKE_SA_DELETING:
	case IKE_SA_DEAD:
		*desc = "Deleting";
		return "DELETE";
	default:
		*desc = "Negotiation in progress";
		return "IN-NEG";
	}
}

static uint64_t
secs_until(tw_time_t t, tw_time_t now)
{
	if (t == TW_TIME_NEVER || t <= now)
		return 0;
	return (uint64_t)((t - now) / TW_SEC(1));
}

static void
child_copy(const struct ike_child *c, tw_time_t now, struct cli_ike_child *o)
{
	o->spi_in = c->spi_in;
	o->spi_out = c->spi_out;
	snprintf(o->state, sizeof(o->state), "%s",
		 ike_child_state_name(c->state));
	snprintf(o->encr, sizeof(o->encr), "%s",
		 conf_cipher_is_aead(c->cipher) ? "AES-GCM" : "AES-CBC");
	/* The key without the GCM salt (RFC 4106 8.1). */
	o->keysize = (conf_cipher_key_len(c->cipher) -
		      conf_cipher_salt_len(c->cipher)) * 8;
	snprintf(o->integ, sizeof(o->integ), "%s",
		 c->integ == CONF_INTEG_SHA1_96 ? "SHA96" :
		 c->integ == CONF_INTEG_SHA256_128 ? "SHA256" : "None");
	if (c->n_local > 0 && c->n_remote > 0 &&
	    c->ts_local[0].type == IKE_TS_IPV6_ADDR_RANGE) {
		o->family = TW_AF_INET6;
		memcpy(o->local6_lo, c->ts_local[0].addr6_lo, 16);
		memcpy(o->local6_hi, c->ts_local[0].addr6_hi, 16);
		memcpy(o->remote6_lo, c->ts_remote[0].addr6_lo, 16);
		memcpy(o->remote6_hi, c->ts_remote[0].addr6_hi, 16);
		o->lport_lo = c->ts_local[0].port_lo;
		o->lport_hi = c->ts_local[0].port_hi;
		o->rport_lo = c->ts_remote[0].port_lo;
		o->rport_hi = c->ts_remote[0].port_hi;
		o->proto = c->ts_local[0].proto;
	} else if (c->n_local > 0 && c->n_remote > 0) {
		o->local_lo = c->ts_local[0].addr4_lo;
		o->local_hi = c->ts_local[0].addr4_hi;
		o->lport_lo = c->ts_local[0].port_lo;
		o->lport_hi = c->ts_local[0].port_hi;
		o->remote_lo = c->ts_remote[0].addr4_lo;
		o->remote_hi = c->ts_remote[0].addr4_hi;
		o->rport_lo = c->ts_remote[0].port_lo;
		o->rport_hi = c->ts_remote[0].port_hi;
		o->proto = c->ts_local[0].proto;
	}
	o->remaining_s = secs_until(c->hard_at, now);
	o->kb_limit = c->hard_bytes != 0;
	o->remaining_kb = c->hard_bytes > c->bytes ?
		(c->hard_bytes - c->bytes) / 1024 : 0;
}

static void
sa_copy(const struct ike_sa *sa, tw_time_t now, struct cli_ike_sa *v)
{
	const struct conf *cf = ig.ctl->conf;
	const char *desc;
	unsigned int i;
	char id[IKE_ID_MAX * 2];

	if (sa->peer_addr.family == TW_AF_INET6) {
		v->family = TW_AF_INET6;
		memcpy(v->local6, sa->local_addr.v6, 16);
		memcpy(v->remote6, sa->peer_addr.v6, 16);
	} else {
		v->local = sa->local_addr.v4;
		v->remote = sa->peer_addr.v4;
		v->dst = sa->initiator ? v->remote : v->local;
		v->src = sa->initiator ? v->local : v->remote;
	}
	snprintf(v->state, sizeof(v->state), "%s",
		 ike_sa_ios_state(sa->state));
	v->conn_id = sa->id;
	v->standby = sa->passive;
	v->local_port = sa->local_port;
	v->remote_port = sa->peer_port;
	snprintf(v->status, sizeof(v->status), "%s", ios_status(sa, &desc));
	snprintf(v->status_desc, sizeof(v->status_desc), "%s", desc);
	v->established = sa->state == IKE_SA_ESTABLISHED ||
		sa->state == IKE_SA_REKEYED;
	v->initiator = sa->initiator;
	alg_names(sa, v);
	snprintf(v->auth, sizeof(v->auth), "%s",
		 v->established ? "PSK" : "Unknown - 0");
	v->lifetime_s = ig.cfg.ike_life_s;
	v->active_s = v->established && now > sa->established ?
		(uint64_t)((now - sa->established) / TW_SEC(1)) : 0;
	v->remaining_s = secs_until(sa->expire_at, now);
	v->dpd_s = ig.cfg.dpd_interval_s;
	v->dpd_retries = ig.cfg.dpd_retries;
	v->nat_local = sa->nat_local;
	v->nat_remote = sa->nat_peer;
	v->spi_local = sa->initiator ? sa->spi_i : sa->spi_r;
	v->spi_remote = sa->initiator ? sa->spi_r : sa->spi_i;
	v->msgid_out = sa->msgid_out;
	v->msgid_in = sa->msgid_in;
	v->req_pending = sa->req != IKE_REQ_NONE;
	if (sa->policy < ig.cfg.n_policies) {
		const struct ike_policy *p = &ig.cfg.policies[sa->policy];

		snprintf(v->local_id, sizeof(v->local_id), "%s",
			 ike_id_str(&p->local_id, id, sizeof(id)));
		snprintf(v->map, sizeof(v->map), "%s", p->map);
		v->map_seq = p->seq;
		for (i = 0; i < cf->n_ifaces; i++)
			if (strcmp(cf->ifaces[i].crypto_map, p->map) == 0)
				break;
		snprintf(v->iface, sizeof(v->iface), "%s",
			 i < cf->n_ifaces ? cf->ifaces[i].name : "?");
	} else {
		snprintf(v->iface, sizeof(v->iface), "?");
	}
	if (sa->peer_id.len != 0)
		snprintf(v->remote_id, sizeof(v->remote_id), "%s",
			 ike_id_str(&sa->peer_id, id, sizeof(id)));
	v->n_children = ike_sa_n_children(sa);
	for (i = 0; i < IKE_CHILD_MAX && v->n_child < CLI_IKE_CHILD_MAX; i++)
		if (sa->child[i].state != IKE_CHILD_NONE)
			child_copy(&sa->child[i], now,
				   &v->child[v->n_child++]);
}

/* The IKE SA table, for show crypto isakmp sa. */
static int
sas(struct cli_ike_table *out)
{
	const struct ike_sa *sa = NULL;
	unsigned int n = 0;

	out->v = NULL;
	out->n = 0;
	if (ig.e == NULL)
		return 0;
	while ((sa = ike_engine_sa_next(ig.e, sa)) != NULL)
		n++;
	if (n == 0)
		return 0;
	out->v = calloc(n, sizeof(out->v[0]));
	if (out->v == NULL)
		return -ENOMEM;
	while ((sa = ike_engine_sa_next(ig.e, sa)) != NULL && out->n < n)
		sa_copy(sa, ctl_now(), &out->v[out->n++]);
	return 0;
}

/* clear crypto isakmp [CONN_ID]: DELETE one (0: all) to the peer. */
static int
clear(uint32_t conn_id)
{
	struct ike_action acts[IKE_ACTIONS_MAX];
	const struct ike_sa *sa = NULL;
	tw_time_t now = ctl_now();
	uint32_t ids[256];
	unsigned int n = 0, i;

	if (ig.e == NULL || ike_glue_silent())
		return 0;  /* a standby's copies are the twin's to delete */
	while ((sa = ike_engine_sa_next(ig.e, sa)) != NULL && n < 256)
		if (conn_id == 0 || sa->id == conn_id)
			ids[n++] = sa->id;
	for (i = 0; i < n; i++)
		ike_glue_run(ike_delete(ig.e, ids[i], now, acts,
					IKE_ACTIONS_MAX), acts, now);
	return (int)n;
}

int
ike_glue_clear_children(uint32_t peer, const char *map)
{
	struct ike_action acts[IKE_ACTIONS_MAX];
	const struct ike_sa *sa = NULL;
	tw_time_t now = ctl_now();
	uint32_t *spis;
	unsigned int n = 0, i, max;
	int done = 0;

	/* A standby's copies are the active twin's to delete. */
	if (ig.e == NULL || ike_glue_silent())
		return 0;
	max = ig.cfg.max_sas * IKE_CHILD_MAX;
	spis = calloc(max, sizeof(spis[0]));
	if (spis == NULL)
		return -ENOMEM;
	/* Collect first: each delete may change the table. */
	while ((sa = ike_engine_sa_next(ig.e, sa)) != NULL) {
		const struct ike_policy *p;

		if (sa->passive || sa->policy >= ig.cfg.n_policies)
			continue;
		p = &ig.cfg.policies[sa->policy];
		if ((peer != 0 && (sa->peer_addr.family != TW_AF_INET ||
				      sa->peer_addr.v4 != peer)) ||
		    (map != NULL && strcmp(p->map, map) != 0))
			continue;
		/* Always on: a new Child SA once these are gone. */
		if (p->initiate == IKE_INITIATE_START)
			ig.pol[sa->policy].renew = true;
		for (i = 0; i < IKE_CHILD_MAX && n < max; i++)
			if (sa->child[i].state == IKE_CHILD_INSTALLED ||
			    sa->child[i].state == IKE_CHILD_REKEYED)
				spis[n++] = sa->child[i].spi_in;
	}
	for (i = 0; i < n; i++) {
		int rc = ike_delete_child(ig.e, spis[i], now, acts,
					  IKE_ACTIONS_MAX);

		if (rc < 0)
			continue; /* gone with an earlier one */
		done++;
		ike_glue_run(rc, acts, now);
	}
	free(spis);
	return done;
}

struct ike_cli_req {
	struct cli_ike_table *out;
	uint32_t conn_id;
	int rc;
};

static void
fill_sas(struct ctl *ctl TW_UNUSED, void *arg)
{
	struct ike_cli_req *r = arg;

	r->rc = sas(r->out);
}

int
ike_cli_sas(struct ctl *ctl, struct cli_ike_table *out)
{
	struct ike_cli_req r = { .out = out };
	int rc;

	memset(out, 0, sizeof(*out));
	rc = ctl_call(ctl, fill_sas, &r, CTL_CONSOLE_CALL_MS);
	if (rc == 0 && r.rc < 0)
		cli_table_free(out);
	return rc < 0 ? rc : r.rc;
}

static void
do_clear(struct ctl *ctl TW_UNUSED, void *arg)
{
	struct ike_cli_req *r = arg;

	r->rc = clear(r->conn_id);
}

int
ike_cli_clear(struct ctl *ctl, uint32_t conn_id, unsigned int *n)
{
	struct ike_cli_req r = { .conn_id = conn_id };
	int rc;

	rc = ctl_call(ctl, do_clear, &r, CTL_CONSOLE_CALL_MS);
	if (rc < 0)
		return rc;
	if (r.rc < 0)
		return r.rc;
	*n = (unsigned int)r.rc;
	tw_log(TW_LOG_NOTICE, "cli", "clear crypto isakmp: DELETE sent for %d IKE SA%s",
	       r.rc, r.rc == 1 ? "" : "s");
	return 0;
}
