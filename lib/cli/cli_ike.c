/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * show crypto isakmp sa [active | standby | detail], show crypto ikev2 sa
 * [detailed], clear crypto isakmp [conn-id] (DELETE sent to the peer).
 * Without ops->ike_sas (no IKE in the daemon) the tables are empty, as on
 * an IOS box without ISAKMP peers.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int
cli_get_ike(const struct cli_call *c, const char *what,
	    struct cli_ike_table *t)
{
	int rc;

	memset(t, 0, sizeof(*t));
	if (c->s->ops->ike_sas == NULL)
		return 0;
	rc = c->s->ops->ike_sas(c->s->ctx, t);
	if (rc < 0) {
		cli_err_op(c, what, rc, NULL);
		return rc;
	}
	return 0;
}

/* An IKE SA's endpoint, either family; dst: the responder's. */
static const char *
ike_ep(const struct cli_ike_sa *sa, bool local, char *buf)
{
	if (sa->family == TW_AF_INET6)
		return cli_addr6(local ? sa->local6 : sa->remote6, buf);
	return cli_ip(local ? sa->local : sa->remote, buf);
}

static const char *
ike_dst(const struct cli_ike_sa *sa, char *buf)
{
	return ike_ep(sa, !sa->initiator, buf);
}

static const char *
ike_src(const struct cli_ike_sa *sa, char *buf)
{
	return ike_ep(sa, sa->initiator, buf);
}

static const char *
hhmmss(uint64_t s, char *buf, size_t len)
{
	snprintf(buf, len, "%u:%02u:%02u", (unsigned int)(s / 3600),
		 (unsigned int)(s / 60 % 60), (unsigned int)(s % 60));
	return buf;
}

/* IOS's lower-case words of the ISAKMP detail table. */
static void
lower(char *dst, size_t len, const char *src)
{
	size_t i;

	for (i = 0; i + 1 < len && src[i] != '\0' && src[i] != '-'; i++)
		dst[i] = (char)(src[i] >= 'A' && src[i] <= 'Z' ?
				src[i] - 'A' + 'a' : src[i]);
	dst[i] = '\0';
}

static void
isakmp_detail(const struct cli_call *c, const struct cli_ike_table *t,
	      bool active, bool standby)
{
	char l[TW_ADDR_STRLEN], r[TW_ADDR_STRLEN], life[16], enc[16], hash[16];
	char cap[4];
	unsigned int i, n;

	cli_out(c, "Codes: C - IKE configuration mode, D - Dead Peer Detection");
	cli_out(c, "       K - Keepalives, N - NAT-traversal");
	cli_out(c, "       T - cTCP encapsulation, X - IKE Extended Authentication");
	cli_out(c, "       psk - Preshared key, rsig - RSA signature");
	cli_out(c, "       renc - RSA encryption");
	cli_out(c, "IPv4 Crypto ISAKMP SA");
	cli_out(c, "%s", "");
	cli_out(c, "C-id  Local           Remote          I-VRF  Status Encr Hash   Auth DH Lifetime Cap.");
	cli_out(c, "%s", "");
	for (i = 0; i < t->n; i++) {
		const struct cli_ike_sa *sa = &t->v[i];

		if ((active && sa->standby) || (standby && !sa->standby))
			continue;
		lower(enc, sizeof(enc), sa->established ? sa->encr : "");
		/* With AES-GCM the PRF is what hashes (no integrity). */
		lower(hash, sizeof(hash), !sa->established ? "" :
		      strcmp(sa->hash, "None") != 0 ? sa->hash : sa->prf);
		n = 0;
		if (sa->dpd_s != 0)
			cap[n++] = 'D';
		if (sa->nat_local || sa->nat_remote)
			cap[n++] = 'N';
		cap[n] = '\0';
		cli_out(c, "%-5u %-15s %-15s %-6s %-6s %-4s %-6s %-4s %-2u %-8s %s",
			sa->conn_id, ike_ep(sa, true, l), ike_ep(sa, false, r),
			"", sa->standby ? "STDBY" : sa->established ? "ACTIVE" :
			"NEG", enc, hash, sa->established ? "psk" : "",
			sa->dh_group, hhmmss(sa->remaining_s, life,
					     sizeof(life)), cap);
		cli_out(c, "       Engine-id:Conn-id =  SW:%u", sa->conn_id);
		cli_out(c, "%s", "");
	}
}

static int
show_isakmp_sa(const struct cli_call *c)
{
	bool standby = strstr(c->command, "standby") != NULL;
	bool active = strstr(c->command, "active") != NULL;
	char d[TW_ADDR_STRLEN], s[TW_ADDR_STRLEN];
	struct cli_ike_table t;
	unsigned int i, n6 = 0;

	if (cli_get_ike(c, "show crypto isakmp sa", &t) < 0)
		return CLI_ERROR;
	if (strstr(c->command, "detail") != NULL) {
		isakmp_detail(c, &t, active, standby);
		cli_table_free(&t);
		return CLI_OK;
	}
	cli_out(c, "IPv4 Crypto ISAKMP SA");
	cli_out(c, "dst             src             state          conn-id slot status");
	for (i = 0; i < t.n; i++) {
		const struct cli_ike_sa *sa = &t.v[i];

		if ((active && sa->standby) || (standby && !sa->standby))
			continue;
		if (sa->family == TW_AF_INET6) {
			n6++;
			continue;
		}
		cli_out(c, "%-15s %-15s %-14s %7u %4u %s", cli_ip(sa->dst, d),
			cli_ip(sa->src, s), sa->state, sa->conn_id, 0,
			sa->standby ? "STDBY" : "ACTIVE");
	}
	/* IOS prints IKE SAs over IPv6 as blocks: the addresses do not
	 * fit the columns. */
	if (n6 > 0) {
		cli_out(c, "%s", "");
		cli_out(c, "IPv6 Crypto ISAKMP SA");
	}
	for (i = 0; i < t.n && n6 > 0; i++) {
		const struct cli_ike_sa *sa = &t.v[i];

		if ((active && sa->standby) || (standby && !sa->standby) ||
		    sa->family != TW_AF_INET6)
			continue;
		cli_out(c, "%s", "");
		cli_out(c, " dst: %s", ike_dst(sa, d));
		cli_out(c, " src: %s", ike_src(sa, s));
		cli_out(c, " state: %-15s conn-id: %6u slot: %u status: %s",
			sa->state, sa->conn_id, 0,
			sa->standby ? "STDBY" : "ACTIVE");
	}
	cli_table_free(&t);
	return CLI_OK;
}

static void
ikev2_child(struct cli_buf *b, const struct cli_ike_child *ch)
{
	char a[TW_ADDR_STRLEN], z[TW_ADDR_STRLEN];
	bool v6 = ch->family == TW_AF_INET6;

	cli_buf_printf(b, "  Child sa: local selector  %s/%u - %s/%u\n",
		       v6 ? cli_addr6(ch->local6_lo, a) :
		       cli_ip(ch->local_lo, a), ch->lport_lo,
		       v6 ? cli_addr6(ch->local6_hi, z) :
		       cli_ip(ch->local_hi, z), ch->lport_hi);
	cli_buf_printf(b, "          remote selector %s/%u - %s/%u\n",
		       v6 ? cli_addr6(ch->remote6_lo, a) :
		       cli_ip(ch->remote_lo, a), ch->rport_lo,
		       v6 ? cli_addr6(ch->remote6_hi, z) :
		       cli_ip(ch->remote_hi, z), ch->rport_hi);
	cli_buf_printf(b, "          ESP spi in/out: 0x%X/0x%X\n", ch->spi_in,
		       ch->spi_out);
	cli_buf_printf(b, "          AH spi in/out: 0x0/0x0\n");
	cli_buf_printf(b, "          CPI in/out: 0x0/0x0\n");
	cli_buf_printf(b, "          Encr: %s, keysize: %u, esp_hmac: %s\n",
		       ch->encr, ch->keysize, ch->integ);
	cli_buf_printf(b, "          ah_hmac: None, comp: IPCOMP_NONE, mode tunnel\n");
	cli_buf_printf(b, "          State: %s, remaining life: %llu sec\n",
		       ch->state, (unsigned long long)ch->remaining_s);
}

#define TUNNEL_HDR "Tunnel-id Local                 Remote                fvrf/ivrf            Status\n"

/* show crypto ikev2 sa [detailed] */
static int
show_ikev2_sa(const struct cli_call *c)
{
	bool detailed = strstr(c->command, "detail") != NULL;
	char l[TW_ADDR_STRLEN], r[TW_ADDR_STRLEN];
	char lp[TW_ADDR_STRLEN + 8], rp[TW_ADDR_STRLEN + 8];
	struct cli_ike_table t;
	struct cli_buf b;
	unsigned int i, j, n6 = 0;

	if (cli_get_ike(c, "show crypto ikev2 sa", &t) < 0)
		return CLI_ERROR;
	cli_buf_init(&b);
	for (i = 0; i < t.n; i++)
		n6 += t.v[i].family == TW_AF_INET6;
	/* IOS: the IKE SAs over IPv4, then (when there are) over IPv6. */
	cli_buf_printf(&b, " IPv4 Crypto IKEv2  SA\n\n%s", TUNNEL_HDR);
	for (i = 0; i < 2 * t.n; i++) {
		const struct cli_ike_sa *sa = &t.v[i % t.n];

		if (i == t.n && n6 > 0)
			cli_buf_printf(&b, "\n IPv6 Crypto IKEv2  SA\n\n%s",
				       TUNNEL_HDR);
		if ((sa->family == TW_AF_INET6) != (i >= t.n))
			continue;

		snprintf(lp, sizeof(lp), "%s/%u", ike_ep(sa, true, l),
			 sa->local_port);
		snprintf(rp, sizeof(rp), "%s/%u", ike_ep(sa, false, r),
			 sa->remote_port);
		cli_buf_printf(&b, "%-9u %-21s %-21s %-20s %s\n", sa->conn_id,
			       lp, rp, "none/none", sa->status);
		cli_buf_printf(&b, "      Encr: %s, keysize: %u, PRF: %s, Hash: %s, DH Grp:%u, Auth sign: %s, Auth verify: %s\n",
			       sa->encr, sa->keysize, sa->prf, sa->hash,
			       sa->dh_group, sa->auth, sa->auth);
		cli_buf_printf(&b, "      Life/Active Time: %u/%llu sec\n",
			       sa->lifetime_s,
			       (unsigned long long)sa->active_s);
		if (!detailed)
			continue;
		cli_buf_printf(&b, "      CE id: %u, Session-id: %u\n",
			       sa->conn_id, sa->conn_id);
		cli_buf_printf(&b, "      Status Description: %s\n",
			       sa->status_desc);
		cli_buf_printf(&b, "      Local spi: %016llX       Remote spi: %016llX\n",
			       (unsigned long long)sa->spi_local,
			       (unsigned long long)sa->spi_remote);
		cli_buf_printf(&b, "      Local id: %s\n",
			       sa->local_id[0] != '\0' ? sa->local_id : "(none)");
		cli_buf_printf(&b, "      Remote id: %s\n",
			       sa->remote_id[0] != '\0' ? sa->remote_id :
			       "(none)");
		/* RFC 7296 2.3: window 1. msgid_out is the ID of our request
		 * in flight, else of the next one; msgid_in the next the
		 * peer may send. */
		cli_buf_printf(&b, "      Local req msg id:  %-15u Remote req msg id:  %u\n",
			       sa->req_pending ? sa->msgid_out :
			       sa->msgid_out != 0 ? sa->msgid_out - 1 : 0,
			       sa->msgid_in != 0 ? sa->msgid_in - 1 : 0);
		cli_buf_printf(&b, "      Local next msg id: %-15u Remote next msg id: %u\n",
			       sa->msgid_out + (sa->req_pending ? 1 : 0),
			       sa->msgid_in);
		cli_buf_printf(&b, "      Local req queued:  %-15u Remote req queued:  %u\n",
			       sa->req_pending ? 1 : 0, 0);
		cli_buf_printf(&b, "      Local window:      %-15u Remote window:      %u\n",
			       1, 1);
		if (sa->dpd_s != 0)
			cli_buf_printf(&b, "      DPD configured for %u seconds, retry %u\n",
				       sa->dpd_s, sa->dpd_retries);
		else
			cli_buf_printf(&b, "      DPD not configured.\n");
		cli_buf_printf(&b, "      Fragmentation not configured.\n");
		cli_buf_printf(&b, "      Extended Authentication not configured.\n");
		if (sa->nat_local)
			cli_buf_printf(&b, "      NAT-T is detected inside\n");
		else if (sa->nat_remote)
			cli_buf_printf(&b, "      NAT-T is detected outside\n");
		else
			cli_buf_printf(&b, "      NAT-T is not detected\n");
		cli_buf_printf(&b, "      Cisco Trust Security SGT is disabled\n");
		cli_buf_printf(&b, "      Initiator of SA : %s\n",
			       sa->initiator ? "Yes" : "No");
		cli_buf_printf(&b, "      Child SAs: %u, crypto map %s %u\n",
			       sa->n_children,
			       sa->map[0] != '\0' ? sa->map : "(none)",
			       sa->map_seq);
		for (j = 0; j < sa->n_child; j++)
			ikev2_child(&b, &sa->child[j]);
		cli_buf_printf(&b, "\n");
	}
	cli_out_buf(c, &b);
	cli_buf_free(&b);
	cli_table_free(&t);
	return CLI_OK;
}

static int
clear_isakmp(const struct cli_call *c)
{
	unsigned int n = 0;
	uint32_t id = 0;
	char *end;
	int rc;

	if (c->argc == 1) {
		unsigned long v = strtoul(c->argv[0], &end, 10);

		if (*end != '\0' || v == 0 || v > UINT32_MAX) {
			cli_out(c, "%% Invalid conn-id '%s'", c->argv[0]);
			return CLI_ERROR;
		}
		id = (uint32_t)v;
	}
	/* Without IKE in the daemon there is no IKE SA to clear. */
	if (c->s->ops->ike_clear == NULL)
		return CLI_OK;
	rc = c->s->ops->ike_clear(c->s->ctx, id, &n);
	if (rc < 0) {
		cli_err_op(c, "clear crypto isakmp", rc, NULL);
		return CLI_ERROR;
	}
	if (id != 0 && n == 0) {
		cli_out(c, "%% No IKE SA with conn-id %u", id);
		return CLI_ERROR;
	}
	return CLI_OK;
}

static const struct cli_cmd ike_cmds[] = {
	{ "show crypto isakmp", "Show ISAKMP information", NULL, CLI_PRIV_USER,
	  CLI_MODE_EXEC, 0, 0, NULL },
	{ "show crypto isakmp sa", "ISAKMP SA table", show_isakmp_sa,
	  CLI_PRIV_USER, CLI_MODE_EXEC, 0, 0, NULL },
	{ "show crypto isakmp sa active", "Active ISAKMP SAs", show_isakmp_sa,
	  CLI_PRIV_USER, CLI_MODE_EXEC, 0, 0, NULL },
	{ "show crypto isakmp sa standby", "Standby ISAKMP SAs",
	  show_isakmp_sa, CLI_PRIV_USER, CLI_MODE_EXEC, 0, 0, NULL },
	{ "show crypto isakmp sa detail", "ISAKMP SA details", show_isakmp_sa,
	  CLI_PRIV_USER, CLI_MODE_EXEC, 0, 0, NULL },
	{ "show crypto ikev2", "Show IKEv2 information", NULL, CLI_PRIV_USER,
	  CLI_MODE_EXEC, 0, 0, NULL },
	{ "show crypto ikev2 sa", "IKEv2 SAs", show_ikev2_sa, CLI_PRIV_USER,
	  CLI_MODE_EXEC, 0, 0, NULL },
	{ "show crypto ikev2 sa detailed", "IKEv2 SAs with SPIs, message IDs and Child SAs",
	  show_ikev2_sa, CLI_PRIV_USER, CLI_MODE_EXEC, 0, 0, NULL },
	{ "clear crypto isakmp", "Delete IKE SAs (DELETE sent to the peer)",
	  clear_isakmp, CLI_PRIV_ADMIN, CLI_MODE_EXEC, 0, 1, "[conn-id]" },
};

int
cli_ike_register(struct cli_sess *s)
{
	return cli_cmds_register(s, ike_cmds,
				 sizeof(ike_cmds) / sizeof(ike_cmds[0]));
}
