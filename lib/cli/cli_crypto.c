/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * show crypto map, show crypto ipsec sa [active | standby] [detail],
 * show crypto session [active | standby | detail], clear crypto sa
 * [active | standby | peer A.B.C.D | map NAME] | session.
 * Layouts follow IOS; "active" are the SAs installed in the fast path,
 * "standby" the ones the SA database holds decoupled (a standby twin).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>

#include "cli.h"

static int
sa_cmp(const void *a, const void *b)
{
	const struct cli_sa *x = a, *y = b;
	int d;

	d = strcmp(x->iface, y->iface);
	if (d == 0)
		d = strcmp(x->map, y->map);
	if (d == 0 && x->map_seq != y->map_seq)
		d = x->map_seq < y->map_seq ? -1 : 1;
	if (d == 0 && x->peer != y->peer)
		d = x->peer < y->peer ? -1 : 1;
	if (d == 0 && x->family != y->family)
		d = x->family < y->family ? -1 : 1;
	if (d == 0)
		d = memcmp(x->peer6, y->peer6, sizeof(x->peer6));
	if (d == 0 && x->inbound != y->inbound)
		d = x->inbound ? -1 : 1;
	if (d == 0 && x->id != y->id)
		d = x->id < y->id ? -1 : 1;
	return d;
}

/* The family of the traffic sa carries (its selectors'). */
static uint8_t
inner_family(const struct cli_sa *sa)
{
	return sa->n_sel > 0 && sa->sel[0].family == TW_AF_INET6 ?
		TW_AF_INET6 : TW_AF_INET;
}

/* One block per crypto map entry and peer, and per inner family (an IKE
 * peer may hold an IPv4 and an IPv6 Child SA on one entry). */
static bool
same_flow(const struct cli_sa *a, const struct cli_sa *b)
{
	return strcmp(a->iface, b->iface) == 0 && strcmp(a->map, b->map) == 0 &&
	       a->map_seq == b->map_seq && a->peer == b->peer &&
	       a->family == b->family &&
	       memcmp(a->peer6, b->peer6, sizeof(a->peer6)) == 0 &&
	       inner_family(a) == inner_family(b);
}

/* An SA's endpoint as IOS prints it, either family. */
static const char *
endpt(const struct cli_sa *sa, bool local, char *buf)
{
	if (sa->family == TW_AF_INET6)
		return cli_addr6(local ? sa->local6 : sa->peer6, buf);
	return cli_ip(local ? sa->local : sa->peer, buf);
}

static bool
wanted(const struct cli_sa *sa, int filter)
{
	return filter == CLI_FILTER_ANY || (int)sa->state == filter;
}

static int
filter_of(const char *command)
{
	if (strstr(command, " active") != NULL)
		return CLI_SA_ACTIVE;
	if (strstr(command, " standby") != NULL)
		return CLI_SA_STANDBY;
	return CLI_FILTER_ANY;
}

static const char *
status_name(const struct cli_sa *sa)
{
	switch (sa->state) {
	case CLI_SA_ACTIVE:
		return "ACTIVE";
	case CLI_SA_STANDBY:
		return "STANDBY";
	default:
		return sa->state_name;
	}
}

static void
ident(struct cli_buf *b, const char *which, uint32_t a, uint8_t len,
      uint8_t proto, uint16_t port)
{
	char ip[CLI_IP_STRLEN], m[CLI_IP_STRLEN];

	cli_buf_printf(b, "   %s ident (addr/mask/prot/port): (%s/%s/%u/%u)\n",
		       which, cli_ip(a, ip), cli_mask(len, m), proto, port);
}

/* IOS gives an IPv6 ident as address/prefix length. */
static void
ident6(struct cli_buf *b, const char *which, const uint8_t a[16],
       uint8_t len, uint8_t proto, uint16_t port)
{
	char ip[TW_ADDR_STRLEN];

	cli_buf_printf(b, "   %s ident (addr/prefixlen/proto/port): (%s/%u/%u/%u)\n",
		       which, cli_addr6(a, ip), len, proto, port);
}

static uint16_t
one_port(uint16_t lo, uint16_t hi)
{
	return lo == hi ? lo : 0;
}

/*
 * The child of an IKE-negotiated SA, NULL if none has it: by SPI and,
 * outbound SPIs being the peers' choice, the IKE SA's peer.
 */
static const struct cli_ike_child *
sa_child(const struct cli_ike_table *ike, const struct cli_sa *sa)
{
	unsigned int i, j;

	for (i = 0; ike != NULL && i < ike->n; i++) {
		if ((ike->v[i].family == TW_AF_INET6) !=
		    (sa->family == TW_AF_INET6) ||
		    ike->v[i].remote != sa->peer ||
		    (sa->family == TW_AF_INET6 &&
		     memcmp(ike->v[i].remote6, sa->peer6, 16) != 0))
			continue;
		for (j = 0; j < ike->v[i].n_child; j++) {
			const struct cli_ike_child *c = &ike->v[i].child[j];

			if ((sa->inbound && c->spi_in == sa->spi) ||
			    (!sa->inbound && c->spi_out == sa->spi))
				return c;
		}
	}
	return NULL;
}

/* IOS: (k/sec) left of the hard lifetime; (sec) without a volume one. */
static void
sa_timing(struct cli_buf *b, const struct cli_ike_table *ike,
	  const struct cli_sa *sa)
{
	const struct cli_ike_child *c = sa_child(ike, sa);

	if (sa->manual)
		cli_buf_printf(b, "        sa timing: remaining key lifetime (k/sec): (manually keyed: no lifetime)\n");
	else if (c == NULL)
		cli_buf_printf(b, "        sa timing: remaining key lifetime (k/sec): (unknown)\n");
	else if (c->kb_limit)
		cli_buf_printf(b, "        sa timing: remaining key lifetime (k/sec): (%llu/%llu)\n",
			       (unsigned long long)c->remaining_kb,
			       (unsigned long long)c->remaining_s);
	else
		cli_buf_printf(b, "        sa timing: remaining key lifetime (sec): (%llu)\n",
			       (unsigned long long)c->remaining_s);
	if (sa->ha_sent)
		cli_buf_printf(b, "        HA last key lifetime sent(k): (%llu)\n",
			       (unsigned long long)sa->ha_kb_sent);
	else
		cli_buf_printf(b, "        HA last key lifetime sent(k): (none)\n");
}

static void
sa_block(struct cli_buf *b, const struct cli_ike_table *ike,
	 const struct cli_sa *sa)
{
	char t[64];

	cli_buf_printf(b, "      spi: 0x%X(%u)\n", sa->spi, sa->spi);
	cli_buf_printf(b, "        transform: %s ,\n",
		       cli_transform(sa->cipher, sa->integ, t, sizeof(t)));
	cli_buf_printf(b, "        in use settings ={Tunnel%s, }\n",
		       sa->udp_encap ? " UDP-Encaps" : "");
	cli_buf_printf(b, "        conn id: %u, flow_id: SW:%u, crypto map: %s\n",
		       sa->id, sa->id, sa->map);
	sa_timing(b, ike, sa);
	cli_buf_printf(b, "        IV size: %u bytes\n", sa->aead ? 8 : 16);
	cli_buf_printf(b, "        replay detection support: %s\n",
		       sa->replay_window != 0 ? "Y" : "N");
	cli_buf_printf(b, "        Status: %s\n\n", status_name(sa));
}

/* One "interface / crypto map tag / ident" block: sa[0..n) one flow. */
static void
flow_block(struct cli_buf *b, const struct cli_ike_table *ike,
	   const struct cli_sa *sa, unsigned int n, int filter, bool detail,
	   const char **last_iface)
{
	uint64_t enc = 0, dec = 0, serr = 0, rerr = 0, replay = 0, auth = 0;
	uint64_t policy = 0;
	const struct cli_sa *out = NULL;
	char l[TW_ADDR_STRLEN], r[TW_ADDR_STRLEN];
	unsigned int i, j;

	for (i = 0; i < n; i++) {
		if (sa[i].inbound) {
			dec += sa[i].pkts;
			rerr += sa[i].recv_errors;
			replay += sa[i].replay_fails;
			auth += sa[i].auth_fails;
			policy += sa[i].policy_fails;
		} else {
			enc += sa[i].pkts;
			serr += sa[i].send_errors;
			if (out == NULL || (wanted(&sa[i], filter) &&
					    !wanted(out, filter)))
				out = &sa[i];
		}
	}
	if (*last_iface == NULL || strcmp(*last_iface, sa[0].iface) != 0) {
		cli_buf_printf(b, "\ninterface: %s\n", sa[0].iface);
		*last_iface = sa[0].iface;
	}
	cli_buf_printf(b, "    Crypto map tag: %s, local addr %s\n\n", sa[0].map,
		       endpt(&sa[0], true, l));
	cli_buf_printf(b, "   protected vrf: (none)\n");
	/* The outbound SA's selectors are written inside -> outside. */
	if (out != NULL) {
		for (j = 0; j < out->n_sel; j++) {
			const struct cli_sel *s = &out->sel[j];

			if (s->family == TW_AF_INET6) {
				ident6(b, "local ", s->src6, s->src_len,
				       s->proto,
				       one_port(s->sport_lo, s->sport_hi));
				ident6(b, "remote", s->dst6, s->dst_len,
				       s->proto,
				       one_port(s->dport_lo, s->dport_hi));
				continue;
			}
			ident(b, "local ", s->src, s->src_len, s->proto,
			      one_port(s->sport_lo, s->sport_hi));
			ident(b, "remote", s->dst, s->dst_len, s->proto,
			      one_port(s->dport_lo, s->dport_hi));
		}
	}
	if (sa[0].udp_encap)
		cli_buf_printf(b, "   current_peer %s port %u\n",
			       endpt(&sa[0], false, r), sa[0].udp_peer_port);
	else
		cli_buf_printf(b, "   current_peer %s\n", endpt(&sa[0], false, r));
	cli_buf_printf(b, "     PERMIT, flags={origin_is_acl,}\n");
	cli_buf_printf(b, "    #pkts encaps: %llu, #pkts encrypt: %llu, #pkts digest: %llu\n",
		       (unsigned long long)enc, (unsigned long long)enc,
		       (unsigned long long)enc);
	cli_buf_printf(b, "    #pkts decaps: %llu, #pkts decrypt: %llu, #pkts verify: %llu\n",
		       (unsigned long long)dec, (unsigned long long)dec,
		       (unsigned long long)dec);
	cli_buf_printf(b, "    #pkts compressed: 0, #pkts decompressed: 0\n");
	cli_buf_printf(b, "    #pkts not compressed: 0, #pkts compr. failed: 0\n");
	cli_buf_printf(b, "    #pkts not decompressed: 0, #pkts decompress failed: 0\n");
	cli_buf_printf(b, "    #send errors %llu, #recv errors %llu\n",
		       (unsigned long long)serr, (unsigned long long)rerr);
	if (detail) {
		cli_buf_printf(b, "    #pkts encaps failed (send) %llu, #pkts decaps failed (rcv) %llu\n",
			       (unsigned long long)serr,
			       (unsigned long long)rerr);
		cli_buf_printf(b, "    #pkts verify failed: %llu\n",
			       (unsigned long long)auth);
		cli_buf_printf(b, "    #pkts replay failed (rcv): %llu\n",
			       (unsigned long long)replay);
		cli_buf_printf(b, "    #pkts invalid identity (rcv): %llu\n",
			       (unsigned long long)policy);
	}
	/* IOS breaks the line after an IPv6 local endpoint. */
	cli_buf_printf(b, "\n     local crypto endpt.: %s,%sremote crypto endpt.: %s\n",
		       endpt(&sa[0], true, l),
		       sa[0].family == TW_AF_INET6 ? "\n      " : " ",
		       endpt(&sa[0], false, r));
	cli_buf_printf(b, "     plaintext mtu %u, path mtu %u, ip mtu %u, ip mtu idb %s\n",
		       sa[0].path_mtu > sa[0].overhead ?
		       sa[0].path_mtu - sa[0].overhead : 0, sa[0].path_mtu,
		       sa[0].path_mtu, sa[0].iface);
	if (out != NULL && wanted(out, filter))
		cli_buf_printf(b, "     current outbound spi: 0x%X(%u)\n",
			       out->spi, out->spi);
	else
		cli_buf_printf(b, "     current outbound spi: 0x0(0)\n");
	cli_buf_printf(b, "     PFS (Y/N): N, DH group: none\n\n");
	cli_buf_printf(b, "     inbound esp sas:\n");
	for (i = 0; i < n; i++)
		if (sa[i].inbound && wanted(&sa[i], filter))
			sa_block(b, ike, &sa[i]);
	cli_buf_printf(b, "     inbound ah sas:\n\n");
	cli_buf_printf(b, "     outbound esp sas:\n");
	for (i = 0; i < n; i++)
		if (!sa[i].inbound && wanted(&sa[i], filter))
			sa_block(b, ike, &sa[i]);
	cli_buf_printf(b, "     outbound ah sas:\n");
}

static int
get_sas(const struct cli_call *c, struct cli_sa_table *t)
{
	int rc;

	memset(t, 0, sizeof(*t));
	rc = c->s->ops->sas(c->s->ctx, t);
	if (rc < 0) {
		cli_err_op(c, "SA database", rc, NULL);
		return rc;
	}
	if (t->n > 1) /* v may be NULL when empty: not for qsort() */
		qsort(t->v, t->n, sizeof(t->v[0]), sa_cmp);
	return 0;
}

static int
show_ipsec_sa(const struct cli_call *c)
{
	int filter = filter_of(c->command);
	bool detail = strstr(c->command, "detail") != NULL;
	const char *last_iface = NULL;
	struct cli_ike_table ike = { 0 };
	struct cli_sa_table t;
	struct cli_buf b;
	unsigned int i, j, k;
	uint32_t peer = 0;
	struct in_addr a;
	bool any;

	if (strstr(c->command, " peer") != NULL) {
		if (inet_pton(AF_INET, c->argv[0], &a) != 1 ||
		    a.s_addr == 0) {
			cli_err_arg(c, 0);
			return CLI_ERROR;
		}
		peer = ntohl(a.s_addr);
	}
	if (get_sas(c, &t) < 0)
		return CLI_ERROR;
	if (cli_get_ike(c, "show crypto ipsec sa", &ike) < 0) {
		cli_table_free(&t);
		return CLI_ERROR;
	}
	cli_buf_init(&b);
	for (i = 0; i < t.n; i = j) {
		any = false;
		for (j = i; j < t.n && same_flow(&t.v[i], &t.v[j]); j++)
			;
		for (k = i; k < j; k++)
			any = any || wanted(&t.v[k], filter);
		if (peer != 0 && t.v[i].peer != peer)
			any = false;
		if (any)
			flow_block(&b, &ike, &t.v[i], j - i, filter, detail,
				   &last_iface);
	}
	cli_out_buf(c, &b);
	cli_buf_free(&b);
	cli_table_free(&t);
	cli_table_free(&ike);
	return CLI_OK;
}

/* One peer of show crypto session: its outside interface and address. */
struct sess_key {
	char iface[CLI_NAME_MAX];
	uint32_t peer;
};

static int
key_cmp(const void *a, const void *b)
{
	const struct sess_key *x = a, *y = b;
	int d = strcmp(x->iface, y->iface);

	if (d == 0 && x->peer != y->peer)
		d = x->peer < y->peer ? -1 : 1;
	return d;
}

static void
key_add(struct sess_key *k, unsigned int *n, const char *iface, uint32_t peer)
{
	unsigned int i;

	for (i = 0; i < *n; i++)
		if (k[i].peer == peer && strcmp(k[i].iface, iface) == 0)
			return;
	snprintf(k[*n].iface, sizeof(k[*n].iface), "%s", iface);
	k[(*n)++].peer = peer;
}

/* "00:01:02" under a day, else "2d03h" as IOS shows long uptimes. */
static const char *
hms(uint64_t s, char *buf, size_t len)
{
	if (s < 86400)
		snprintf(buf, len, "%02u:%02u:%02u", (unsigned int)(s / 3600),
			 (unsigned int)(s / 60 % 60), (unsigned int)(s % 60));
	else
		snprintf(buf, len, "%ud%02uh", (unsigned int)(s / 86400),
			 (unsigned int)(s / 3600 % 24));
	return buf;
}

static void
flow_life(struct cli_buf *b, const struct cli_ike_table *ike,
	  const struct cli_sa *sa)
{
	const struct cli_ike_child *c;

	if (sa == NULL)
		cli_buf_printf(b, " life (KB/Sec) 0/0\n");
	else if (sa->manual)
		cli_buf_printf(b, " life (KB/Sec) manually keyed\n");
	else if ((c = sa_child(ike, sa)) != NULL)
		cli_buf_printf(b, " life (KB/Sec) %llu/%llu\n",
			       (unsigned long long)c->remaining_kb,
			       (unsigned long long)c->remaining_s);
	else
		cli_buf_printf(b, " life (KB/Sec) 0/0\n");
}

/* The IPSEC FLOWs of one peer: each crypto map entry with SAs, the
 * selectors of its newest wanted outbound SA. sa[0..n) are the peer's. */
static void
session_flows(struct cli_buf *b, const struct cli_sa *sa, unsigned int n,
	      int filter, bool detail, const struct cli_ike_table *ike)
{
	unsigned int i, k, s, n_flow;

	for (i = 0; i < n; i++) {
		const struct cli_sa *out = NULL, *in = NULL;
		uint64_t enc = 0, dec = 0, serr = 0, rerr = 0;
		bool seen = false;

		/* First SA of its crypto map entry only. */
		for (k = 0; k < i && !seen; k++)
			seen = sa[k].map_seq == sa[i].map_seq &&
				strcmp(sa[k].map, sa[i].map) == 0;
		if (seen)
			continue;
		n_flow = 0;
		for (k = i; k < n; k++) {
			if (sa[k].map_seq != sa[i].map_seq ||
			    strcmp(sa[k].map, sa[i].map) != 0 ||
			    !wanted(&sa[k], filter))
				continue;
			n_flow++;
			if (sa[k].inbound) {
				dec += sa[k].pkts;
				rerr += sa[k].recv_errors;
				if (in == NULL || sa[k].age_s < in->age_s)
					in = &sa[k];
			} else {
				enc += sa[k].pkts;
				serr += sa[k].send_errors;
				if (out == NULL || sa[k].age_s < out->age_s)
					out = &sa[k];
			}
		}
		if (out == NULL)
			continue;
		for (s = 0; s < out->n_sel; s++) {
			const struct cli_sel *f = &out->sel[s];
			char a[CLI_IP_STRLEN], m[CLI_IP_STRLEN];
			char pb[4];

			/* IOS: "permit ip 10.1.0.0/255.255.0.0 ..." */
			cli_buf_printf(b, "  IPSEC FLOW: permit %s %s/%s",
				       cli_proto(f->proto, pb),
				       cli_ip(f->src, a),
				       cli_mask(f->src_len, m));
			cli_buf_printf(b, " %s/%s\n", cli_ip(f->dst, a),
				       cli_mask(f->dst_len, m));
			if (out->manual)
				cli_buf_printf(b, "        Active SAs: %u, origin: crypto map %s %u (manual keys)\n",
					       n_flow, out->map, out->map_seq);
			else
				cli_buf_printf(b, "        Active SAs: %u, origin: crypto map %s %u\n",
					       n_flow, out->map, out->map_seq);
			if (!detail)
				continue;
			cli_buf_printf(b, "        Inbound:  #pkts dec'ed %llu drop %llu",
				       (unsigned long long)dec,
				       (unsigned long long)rerr);
			flow_life(b, ike, in);
			cli_buf_printf(b, "        Outbound: #pkts enc'ed %llu drop %llu",
				       (unsigned long long)enc,
				       (unsigned long long)serr);
			flow_life(b, ike, out);
		}
	}
}

static void
session_ike(struct cli_buf *b, const struct cli_ike_sa *k, bool detail)
{
	char l[CLI_IP_STRLEN], r[CLI_IP_STRLEN], t[32];

	cli_buf_printf(b, "  IKEv2 SA: local %s/%u remote %s/%u %s\n",
		       cli_ip(k->local, l), k->local_port,
		       cli_ip(k->remote, r), k->remote_port,
		       k->established ? "Active" : "Inactive");
	if (detail)
		cli_buf_printf(b, "          Capabilities:%s%s connid:%u lifetime:%s\n",
			       k->dpd_s != 0 ? "D" : "",
			       k->nat_local || k->nat_remote ? "N" : "",
			       k->conn_id, hms(k->remaining_s, t, sizeof(t)));
}

/*
 * show crypto session brief, IOS's one line per peer: status U(p) /
 * D(own), then A(ctive), S(tandby), I(dle: an IKE SA, no IPsec SA) or
 * N(egotiating); K: no IKE (manual keys).
 */
static void
session_brief(struct cli_buf *b, const struct sess_key *keys,
	      unsigned int n_keys, const struct cli_sa_table *sat,
	      const struct cli_ike_table *ike)
{
	char ip[CLI_IP_STRLEN], t[32], st[8];
	unsigned int i, j, n_act, n_stby;
	const struct cli_ike_sa *up, *neg;
	uint64_t age;

	cli_buf_printf(b, "Status: A- Active, U - Up, D - Down, I - Idle, S - Standby, N - Negotiating\n");
	cli_buf_printf(b, "        K - No IKE\n");
	cli_buf_printf(b, "ivrf = (none)\n");
	cli_buf_printf(b, "Peer            I/F          Username        Group/Phase1_id          Uptime   Status\n");
	for (i = 0; i < n_keys; i++) {
		n_act = n_stby = 0;
		age = 0;
		up = neg = NULL;
		for (j = 0; j < sat->n; j++) {
			const struct cli_sa *sa = &sat->v[j];

			if (sa->peer != keys[i].peer ||
			    strcmp(sa->iface, keys[i].iface) != 0)
				continue;
			n_act += sa->state == CLI_SA_ACTIVE;
			n_stby += sa->state == CLI_SA_STANDBY;
			if (sa->age_s > age)
				age = sa->age_s;
		}
		for (j = 0; j < ike->n; j++) {
			const struct cli_ike_sa *k = &ike->v[j];

			if (k->remote != keys[i].peer ||
			    strcmp(k->iface, keys[i].iface) != 0)
				continue;
			if (k->established && up == NULL)
				up = k;
			else if (!k->established && neg == NULL)
				neg = k;
		}
		if (up != NULL)
			age = up->active_s;
		snprintf(st, sizeof(st), "%s%s",
			 n_act != 0 ? "UA" : n_stby != 0 ? "US" :
			 up != NULL ? "UI" : neg != NULL ? "DN" : "D",
			 up == NULL && neg == NULL ? "K" : "");
		cli_buf_printf(b, "%-15s %-12.12s %-15s %-24.24s %-8s %s\n",
			       cli_ip(keys[i].peer, ip), keys[i].iface, "",
			       up != NULL && up->remote_id[0] != '\0' ?
			       up->remote_id : "", hms(age, t, sizeof(t)),
			       st);
	}
}

static int
show_session(const struct cli_call *c)
{
	int filter = filter_of(c->command);
	bool detail = strstr(c->command, "detail") != NULL;
	struct cli_ike_table ike = { 0 };
	char ip[CLI_IP_STRLEN], t[32];
	struct sess_key *keys;
	unsigned int i, j, n_keys = 0;
	struct cli_sa_table sat;
	struct cli_buf b;

	if (get_sas(c, &sat) < 0)
		return CLI_ERROR;
	if (cli_get_ike(c, "show crypto session", &ike) < 0) {
		cli_table_free(&sat);
		return CLI_ERROR;
	}
	keys = calloc(sat.n + ike.n + 1, sizeof(keys[0]));
	if (keys == NULL) {
		cli_err_op(c, "show crypto session", -ENOMEM, NULL);
		cli_table_free(&sat);
		cli_table_free(&ike);
		return CLI_ERROR;
	}
	for (i = 0; i < sat.n; i++)
		if (wanted(&sat.v[i], filter))
			key_add(keys, &n_keys, sat.v[i].iface, sat.v[i].peer);
	/* IKE SAs live on the active: none in the standby view. */
	for (i = 0; i < ike.n && filter != CLI_SA_STANDBY; i++)
		key_add(keys, &n_keys, ike.v[i].iface, ike.v[i].remote);
	qsort(keys, n_keys, sizeof(keys[0]), key_cmp);
	cli_buf_init(&b);
	if (strstr(c->command, " brief") != NULL) {
		session_brief(&b, keys, n_keys, &sat, &ike);
		goto out;
	}
	cli_buf_printf(&b, "Crypto session current status\n");
	if (detail)
		cli_buf_printf(&b, "\nCode: C - IKE Configuration mode, D - Dead Peer Detection\n"
			       "K - Keepalives, N - NAT-traversal, T - cTCP encapsulation\n"
			       "X - IKE Extended Authentication, F - IKE Fragmentation\n"
			       "R - IKE Auto Reconnect, U - IKE Dynamic Route Update\n");
	for (i = 0; i < n_keys; i++) {
		const struct sess_key *key = &keys[i];
		const struct cli_sa *first = NULL;
		const struct cli_ike_sa *up = NULL, *neg = NULL;
		unsigned int lo = 0, n = 0, n_act = 0, n_stby = 0;
		uint64_t age = 0;

		for (j = 0; j < sat.n; j++) {
			const struct cli_sa *sa = &sat.v[j];

			if (sa->peer != key->peer ||
			    strcmp(sa->iface, key->iface) != 0)
				continue;
			if (n++ == 0) {
				lo = j;
				first = sa;
			}
			n_act += sa->state == CLI_SA_ACTIVE;
			n_stby += sa->state == CLI_SA_STANDBY;
			if (sa->age_s > age)
				age = sa->age_s;
		}
		for (j = 0; j < ike.n && filter != CLI_SA_STANDBY; j++) {
			const struct cli_ike_sa *k = &ike.v[j];

			if (k->remote != key->peer ||
			    strcmp(k->iface, key->iface) != 0)
				continue;
			if (k->established && up == NULL)
				up = k;
			else if (!k->established && neg == NULL)
				neg = k;
		}
		cli_buf_printf(&b, "\nInterface: %s\n", key->iface);
		if (detail) {
			if (up != NULL)
				age = up->active_s;
			cli_buf_printf(&b, "Uptime: %s\n", hms(age, t, sizeof(t)));
		}
		cli_buf_printf(&b, "Session status: %s\n",
			       n_act != 0 ? "UP-ACTIVE" :
			       n_stby != 0 ? "UP-STANDBY" :
			       up != NULL ? "UP-IDLE" :
			       neg != NULL ? "DOWN-NEGOTIATING" : "DOWN");
		cli_buf_printf(&b, "Peer: %s", cli_ip(key->peer, ip));
		if (up != NULL || neg != NULL)
			cli_buf_printf(&b, " port %u",
				       (up != NULL ? up : neg)->remote_port);
		else if (first != NULL && first->udp_encap)
			cli_buf_printf(&b, " port %u", first->udp_peer_port);
		if (detail) {
			const struct cli_ike_sa *k = up != NULL ? up : neg;

			cli_buf_printf(&b, " fvrf: (none) ivrf: (none)\n");
			cli_buf_printf(&b, "      Phase1_id: %s\n",
				       k != NULL && k->remote_id[0] != '\0' ?
				       k->remote_id : "(none)");
			cli_buf_printf(&b, "      Desc: (none)\n");
		} else {
			cli_buf_printf(&b, "\n");
		}
		for (j = 0; j < ike.n && filter != CLI_SA_STANDBY; j++)
			if (ike.v[j].remote == key->peer &&
			    strcmp(ike.v[j].iface, key->iface) == 0)
				session_ike(&b, &ike.v[j], detail);
		if (n != 0)
			session_flows(&b, &sat.v[lo], n, filter, detail, &ike);
	}
out:
	cli_out_buf(c, &b);
	cli_buf_free(&b);
	free(keys);
	cli_table_free(&sat);
	cli_table_free(&ike);
	return CLI_OK;
}

static int
show_map(const struct cli_call *c)
{
	struct cli_cmap_table t = { 0 };
	char ip[CLI_IP_STRLEN], tr[64];
	struct cli_buf b, acl;
	unsigned int i, j;
	int rc;

	rc = c->s->ops->crypto_maps(c->s->ctx, &t);
	if (rc < 0) {
		cli_err_op(c, "show crypto map", rc, NULL);
		return CLI_ERROR;
	}
	cli_buf_init(&b);
	for (i = 0; i < t.n; i++) {
		const struct cli_cmap *m = &t.v[i];
		bool isakmp = strcmp(m->type, "ipsec-isakmp") == 0;

		cli_buf_printf(&b, "%sCrypto Map \"%s\" %u %s\n",
			       i != 0 ? "\n" : "", m->name, m->seq, m->type);
		cli_buf_printf(&b, "        Peer = %s\n", cli_ip(m->peer, ip));
		cli_buf_printf(&b, "        Extended IP access list %s-%u\n",
			       m->name, m->seq);
		for (j = 0; j < m->n_sel; j++) {
			cli_buf_init(&acl);
			cli_sel_acl(&m->sel[j], &acl);
			cli_buf_printf(&b, "            access-list %s-%u %s %s\n",
				       m->name, m->seq,
				       m->sel[j].permit ? "permit" : "deny",
				       acl.p != NULL ? acl.p : "");
			cli_buf_free(&acl);
		}
		cli_buf_printf(&b, "        Current peer: %s\n", ip);
		if (isakmp) {
			cli_buf_printf(&b, "        Security association lifetime: %llu kilobytes/%u seconds\n",
				       (unsigned long long)m->lifetime_kb,
				       m->lifetime_s);
			cli_buf_printf(&b, "        Responder-Only (Y/N): %s\n",
				       m->responder_only ? "Y" : "N");
			cli_buf_printf(&b, "        PFS (Y/N): %s\n",
				       m->pfs_group != 0 ? "Y" : "N");
			if (m->pfs_group != 0)
				cli_buf_printf(&b, "        DH group:  group%u\n",
					       m->pfs_group);
		}
		cli_buf_printf(&b, "        Transform sets={\n");
		cli_buf_printf(&b, "                %s:  { %s } ,\n",
			       m->transform_set,
			       cli_transform(m->cipher, m->integ, tr,
					     sizeof(tr)));
		cli_buf_printf(&b, "        }\n");
		/* manual keys only: IKE negotiates the others' SPIs */
		if (!isakmp) {
			cli_buf_printf(&b, "        Inbound esp spi: %u (0x%X),\n",
				       m->spi_in, m->spi_in);
			cli_buf_printf(&b, "            cipher key: <removed>,\n");
			cli_buf_printf(&b, "        Outbound esp spi: %u (0x%X),\n",
				       m->spi_out, m->spi_out);
			cli_buf_printf(&b, "            cipher key: <removed>,\n");
		}
		cli_buf_printf(&b, "        Replay window: %u%s, replay-interval inbound %u outbound %u\n",
			       m->replay_window, m->esn ? " (ESN)" : "",
			       m->replay_interval_in, m->replay_interval_out);
		if (m->udp_encap)
			cli_buf_printf(&b, "        UDP encapsulation (RFC 3948)\n");
		cli_buf_printf(&b, "        Interfaces using crypto map %s:\n",
			       m->name);
		cli_buf_printf(&b, "                %s\n", m->ifaces);
	}
	cli_out_buf(c, &b);
	cli_buf_free(&b);
	cli_table_free(&t);
	return CLI_OK;
}

static int
clear_sa_counters(const struct cli_call *c)
{
	unsigned int n = 0;
	int rc;

	if (c->s->ops->clear_sa_counters == NULL) {
		cli_err(c, "%s is not available on this system", c->command);
		return CLI_ERROR;
	}
	rc = c->s->ops->clear_sa_counters(c->s->ctx, &n);
	if (rc < 0) {
		cli_err_op(c, "clear crypto sa counters", rc, NULL);
		return CLI_ERROR;
	}
	return CLI_OK;
}

/* clear crypto sa [active | standby | peer A.B.C.D | map NAME],
 * clear crypto session [...]: manually keyed SAs keep running with their
 * counters cleared, IKE-negotiated Child SAs are deleted with DELETE to
 * the peer (the IKE SA stays and negotiates again). */
static int
clear_sa(const struct cli_call *c)
{
	const char *map = NULL;
	unsigned int n = 0, n_ike = 0;
	char err[256] = "";
	struct in_addr a;
	uint32_t peer = 0;
	int rc;

	if (strstr(c->command, " peer") != NULL) {
		if (inet_pton(AF_INET, c->argv[0], &a) != 1 ||
		    a.s_addr == 0) {
			cli_err_arg(c, 0);
			return CLI_ERROR;
		}
		peer = ntohl(a.s_addr);
	} else if (strstr(c->command, " map") != NULL) {
		map = c->argv[0];
	}
	rc = c->s->ops->clear_sas(c->s->ctx, filter_of(c->command), peer, map,
				  &n, &n_ike, err, sizeof(err));
	if (rc < 0) {
		cli_err_op(c, "clear crypto", rc, err);
		return CLI_ERROR;
	}
	/* IOS: clear crypto session "clears both IKE and IPsec SAs"; a
	 * standby's IKE SAs are passive copies its active twin refreshes */
	if (strncmp(c->command, "clear crypto session", 20) == 0 &&
	    strstr(c->command, "standby") == NULL &&
	    c->s->ops->ike_clear != NULL) {
		rc = c->s->ops->ike_clear(c->s->ctx, 0, &n_ike);
		if (rc < 0) {
			cli_err_op(c, "clear crypto session", rc, NULL);
			return CLI_ERROR;
		}
	}
	return CLI_OK;
}

#define SHOW(p, h, fn, lo, hi) \
	{ p, h, fn, CLI_PRIV_USER, CLI_MODE_EXEC, lo, hi, NULL }
#define CLEAR(p, h, fn) \
	{ p, h, fn, CLI_PRIV_ADMIN, CLI_MODE_EXEC, 0, 0, NULL }

static const struct cli_cmd crypto_cmds[] = {
	SHOW("show crypto", "Encryption module", NULL, 0, 0),
	SHOW("show crypto map", "Crypto maps", show_map, 0, 0),
	SHOW("show crypto ipsec", "Show IPSEC info", NULL, 0, 0),
	SHOW("show crypto ipsec sa", "IPSEC SA table", show_ipsec_sa, 0, 0),
	SHOW("show crypto ipsec sa active", "Active SAs (installed)",
	     show_ipsec_sa, 0, 0),
	SHOW("show crypto ipsec sa active detail", "Detailed error counters",
	     show_ipsec_sa, 0, 0),
	SHOW("show crypto ipsec sa standby", "Standby SAs (decoupled)",
	     show_ipsec_sa, 0, 0),
	SHOW("show crypto ipsec sa standby detail", "Detailed error counters",
	     show_ipsec_sa, 0, 0),
	SHOW("show crypto ipsec sa detail", "Detailed error counters",
	     show_ipsec_sa, 0, 0),
	{ "show crypto ipsec sa peer", "IPSEC SAs of one peer", show_ipsec_sa,
	  CLI_PRIV_USER, CLI_MODE_EXEC, 1, 1, "A.B.C.D" },
	SHOW("show crypto session", "Crypto session status", show_session,
	     0, 0),
	SHOW("show crypto session active", "Sessions with active SAs",
	     show_session, 0, 0),
	SHOW("show crypto session standby", "Sessions with standby SAs",
	     show_session, 0, 0),
	SHOW("show crypto session detail", "Sessions with IKE details and counters",
	     show_session, 0, 0),
	SHOW("show crypto session brief", "One line per peer", show_session,
	     0, 0),
	CLEAR("clear crypto", "Clear crypto state", NULL),
	CLEAR("clear crypto sa", "Delete IKE-negotiated IPSEC SAs (DELETE to the peer); manual SAs stay, counters cleared",
	      clear_sa),
	CLEAR("clear crypto sa active", "Active SAs only", clear_sa),
	CLEAR("clear crypto sa standby", "Standby SAs only", clear_sa),
	{ "clear crypto sa peer", "SAs of one peer", clear_sa, CLI_PRIV_ADMIN,
	  CLI_MODE_EXEC, 1, 1, "A.B.C.D" },
	CLEAR("clear crypto sa counters", "Reset the SA counters shown (not the SAs, not their lifetimes)",
	      clear_sa_counters),
	{ "clear crypto sa map", "SAs of one crypto map", clear_sa,
	  CLI_PRIV_ADMIN, CLI_MODE_EXEC, 1, 1, "WORD" },
	CLEAR("clear crypto session", "Delete IKE SAs and their IPSEC SAs (DELETE to the peer); manual SAs stay, counters cleared",
	      clear_sa),
	CLEAR("clear crypto session active", "Active sessions only", clear_sa),
	CLEAR("clear crypto session standby", "Standby sessions only",
	      clear_sa),
};

int
cli_crypto_register(struct cli_sess *s)
{
	return cli_cmds_register(s, crypto_cmds,
				 sizeof(crypto_cmds) / sizeof(crypto_cmds[0]));
}
