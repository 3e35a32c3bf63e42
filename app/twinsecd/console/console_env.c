/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The console's struct cli_ops: each data op is a ctl_call() whose
 * function runs on the control lcore and copies what the command shows
 * into a plain snapshot (lib/cli/cli_data.h); each action op is a
 * ctl_call() too. The session thread only waits and formats.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <rte_lcore.h>
#include <rte_log.h>
#include <rte_version.h>

#include "cli_runconf.h"
#include "cli_telnet.h"
#include "console.h"
#include "hsrp_cli.h"
#include "ike_cli.h"
#include "hsrp_glue.h"
#include "ike_glue.h"
#include "ha.h"
#include "ha_cli.h"
#include "route.h"
#include "ctl_cpif.h"
#include "dp_cpif.h"
#include "dp_sadb.h"
#include "tw_compiler.h"
#include "tw_log.h"
#include "tw_version.h"

static __thread struct console_sess *cur;

struct console_sess *
console_current(void)
{
	return cur;
}

void
console_set_current(struct console_sess *s)
{
	cur = s;
}

const char *
console_esc(char *dst, size_t len, const char *src)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, o = 0;

	for (i = 0; src[i] != '\0' && i < CONSOLE_ESC_IN; i++) {
		unsigned char c = (unsigned char)src[i];

		if (c >= 0x20 && c < 0x7f && c != '\\' && c != ']') {
			if (o + 1 >= len)
				break;
			dst[o++] = (char)c;
			continue;
		}
		if (o + 4 >= len)
			break;
		dst[o++] = '\\';
		dst[o++] = 'x';
		dst[o++] = hex[c >> 4];
		dst[o++] = hex[c & 15];
	}
	/* Cut short (input too long, or dst): say so. */
	if (src[i] != '\0' && len >= 4) {
		if (o + 3 >= len)
			o = len - 4;
		memcpy(dst + o, "...", 3);
		o += 3;
	}
	if (len > 0)
		dst[o < len ? o : len - 1] = '\0';
	return dst;
}

static const char *
who(void)
{
	static __thread char buf[CONSOLE_ESC_MAX + 80];
	char u[CONSOLE_ESC_MAX];

	if (cur == NULL)
		return "console";
	snprintf(buf, sizeof(buf), "%s from %s",
		 cur->cs.user[0] != '\0' ?
		 console_esc(u, sizeof(u), cur->cs.user) : "?", cur->from);
	return buf;
}

/* A request: fn fills it on the control lcore. */
struct req {
	struct console *con;
	void *out;
	const char *name;
	uint32_t peer;
	unsigned int n_ike;
	int filter;
	bool flag;
	unsigned int n;
	int rc;
	char *err;
	size_t errlen;
};

static int
call(struct console *con, ctl_call_fn fn, struct req *r)
{
	int rc;

	r->con = con;
	rc = ctl_call(con->ctl, fn, r, CONSOLE_CALL_MS);
	return rc < 0 ? rc : r->rc;
}

static void
fill_version(struct ctl *ctl, void *arg)
{
	struct req *r = arg;
	struct cli_version *v = r->out;
	const struct conf *c = ctl->conf;
	struct dp_crypto *cr = dp_crypto_get();
	ssize_t n;

	snprintf(v->version, sizeof(v->version), "%s", TWINSEC_VERSION);
	snprintf(v->dpdk, sizeof(v->dpdk), "%s", rte_version());
	snprintf(v->hostname, sizeof(v->hostname), "%s", c->hostname);
	snprintf(v->config_path, sizeof(v->config_path), "%s", c->path);
	n = readlink("/proc/self/exe", v->image, sizeof(v->image) - 1);
	v->image[n > 0 ? n : 0] = '\0';
	v->uptime_s = (uint64_t)((ctl_now() - r->con->started) / TW_SEC(1));
	v->n_lcores = rte_lcore_count();
	v->n_workers = dp_n_workers();
	snprintf(v->crypto_device, sizeof(v->crypto_device), "%s",
		 cr != NULL ? cr->name : "none");
	snprintf(v->crypto_mode, sizeof(v->crypto_mode), "%s",
		 conf_crypto_mode_name(c->dataplane.crypto_mode));
	snprintf(v->poll_mode, sizeof(v->poll_mode), "%s",
		 conf_poll_mode_name(c->dataplane.poll_mode));
	v->n_ports = dp_n_ports();
	v->n_sas = sadb_count(ctl->sadb);
	v->max_sas = sadb_capacity(ctl->sadb);
	v->max_sessions = c->console.max_sessions;
	pthread_mutex_lock(&r->con->mu);
	v->sessions = r->con->n_sess;
	pthread_mutex_unlock(&r->con->mu);
}

static int
op_version(void *ctx, struct cli_version *out)
{
	struct req r = { .out = out };

	return call(ctx, fill_version, &r);
}

/* The exception path's totals for show interfaces (ctl_cpif.h). */
static void
cp_counters(struct cli_iface *f, uint16_t port)
{
	const struct ctl_cpif_counters *k = ctl_cpif_counters(port);
	unsigned int w;

	if (k == NULL)
		return;
	snprintf(f->cp_name, sizeof(f->cp_name), "%s", dp_cpif_name(port));
	for (w = 0; w < CTL_CP_N_WHY; w++)
		f->cp_to_kernel += k->to_kernel[w];
	f->cp_from_kernel = k->from_kernel;
	/* The kernel's ARP replies are not counted: dropped by design. */
	f->cp_dropped = k->to_kernel_dropped + k->from_kernel_not_ipv4 +
		k->from_kernel_tx_fail;
}

static void
fill_ifaces(struct ctl *ctl, void *arg)
{
	struct req *r = arg;
	struct cli_iface_table *t = r->out;
	const struct dp_port_params *pp;
	struct rte_ether_addr mac;
	struct dp_port_stats st;
	tw_time_t now = ctl_now();
	unsigned int i, n = dp_n_ports();

	t->v = calloc(n != 0 ? n : 1, sizeof(t->v[0]));
	if (t->v == NULL) {
		r->rc = -ENOMEM;
		return;
	}
	for (i = 0; i < n; i++) {
		struct cli_iface *f = &t->v[i];

		pp = dp_port((uint16_t)i);
		snprintf(f->name, sizeof(f->name), "%s", pp->name);
		snprintf(f->device, sizeof(f->device), "%s", pp->device);
		snprintf(f->role, sizeof(f->role), "%s", conf_role_name(pp->role));
		dp_port_mac((uint16_t)i, &mac);
		memcpy(f->mac, mac.addr_bytes, 6);
		f->addr = pp->addr;
		f->prefix_len = pp->prefix_len;
		if (i < ctl->conf->n_ifaces) {
			const struct conf_iface *ci = &ctl->conf->ifaces[i];

			for (f->n_addr6 = 0; f->n_addr6 < ci->n_addr6 &&
			     f->n_addr6 < CLI_IFACE_MAX_ADDR6; f->n_addr6++)
				f->addr6[f->n_addr6] = ci->addr6[f->n_addr6];
		}
		f->mtu = pp->mtu;
		if (i < ctl->conf->n_ifaces)
			snprintf(f->crypto_map, sizeof(f->crypto_map), "%s",
				 ctl->conf->ifaces[i].crypto_map);
		if (dp_port_stats_read((uint16_t)i, &st) == 0) {
			f->admin_up = st.admin_up;
			f->link_up = st.link_up;
			f->speed_mbps = st.link_speed;
			f->ipackets = st.ipackets;
			f->opackets = st.opackets;
			f->ibytes = st.ibytes;
			f->obytes = st.obytes;
			f->ierrors = st.ierrors;
			f->oerrors = st.oerrors + st.down_drops;
			f->imissed = st.imissed;
		}
		cp_counters(f, (uint16_t)i);
		if (r->con->cleared_at[i] != 0) {
			f->cleared = true;
			f->cleared_s = (uint64_t)((now - r->con->cleared_at[i]) /
						  TW_SEC(1));
		}
	}
	t->n = n;
}

static int
op_interfaces(void *ctx, struct cli_iface_table *out)
{
	struct req r = { .out = out };

	return call(ctx, fill_ifaces, &r);
}

static void
fill_routes(struct ctl *ctl, void *arg)
{
	struct req *r = arg;

	(void)ctl;
	r->rc = route_cli_routes(r->out);
}

static void
fill_crypto_routes(struct ctl *ctl, void *arg)
{
	struct req *r = arg;

	(void)ctl;
	r->rc = route_cli_crypto(r->out);
}

static int
op_crypto_routes(void *ctx, struct cli_route_table *out)
{
	struct req r = { .out = out };

	return call(ctx, fill_crypto_routes, &r);
}

static int
op_routes(void *ctx, struct cli_route_table *out)
{
	struct req r = { .out = out };

	return call(ctx, fill_routes, &r);
}

static void
fill_arp(struct ctl *ctl, void *arg)
{
	struct req *r = arg;
	struct cli_arp_table *t = r->out;
	const struct arp_entry *e;
	tw_time_t now = ctl_now();
	unsigned int i, n = 0;

	t->v = calloc(ctl->arp.n_entries + ctl->arp.n_local + 1,
		      sizeof(t->v[0]));
	if (t->v == NULL) {
		r->rc = -ENOMEM;
		return;
	}
	for (i = 0; i < ctl->arp.n_local; i++) {
		const struct arp_local *l = &ctl->arp.local[i];

		t->v[n] = (struct cli_arp){ .addr = l->addr,
			.state = CLI_ARP_LOCAL };
		memcpy(t->v[n].mac, l->mac.addr_bytes, 6);
		snprintf(t->v[n++].iface, CLI_NAME_MAX, "%s",
			 dp_port(l->port)->name);
	}
	for (e = arp_next(&ctl->arp, NULL); e != NULL;
	     e = arp_next(&ctl->arp, e)) {
		static const enum cli_arp_state st[] = {
			[ARP_INCOMPLETE] = CLI_ARP_INCOMPLETE,
			[ARP_REACHABLE] = CLI_ARP_REACHABLE,
			[ARP_PROBE] = CLI_ARP_PROBE,
			[ARP_FAILED] = CLI_ARP_FAILED,
		};

		t->v[n] = (struct cli_arp){ .addr = e->addr,
			.state = st[e->state],
			.age_s = (uint64_t)((now - e->updated) / TW_SEC(1)) };
		memcpy(t->v[n].mac, e->mac.addr_bytes, 6);
		snprintf(t->v[n++].iface, CLI_NAME_MAX, "%s",
			 dp_port(e->port)->name);
	}
	t->n = n;
}

static int
op_arp(void *ctx, struct cli_arp_table *out)
{
	struct req r = { .out = out };

	return call(ctx, fill_arp, &r);
}

static void
fill_nd(struct ctl *ctl, void *arg)
{
	struct req *r = arg;
	struct cli_nd_table *t = r->out;
	const struct net_nd_cache *nc = &ctl->nd.cache;
	tw_time_t now = ctl_now();
	unsigned int i, n = 0;

	nd_age(&ctl->nd, now);
	t->v = calloc(nc->n + 1, sizeof(t->v[0]));
	if (t->v == NULL) {
		r->rc = -ENOMEM;
		return;
	}
	for (i = 0; i < NET_ND_MAX && n < nc->n; i++) {
		const struct net_nd_entry *e = &nc->e[i];

		if (e->state == NET_ND_FREE)
			continue;
		memcpy(t->v[n].addr, e->addr, 16);
		memcpy(t->v[n].mac, e->mac, 6);
		snprintf(t->v[n].state, sizeof(t->v[n].state), "%s",
			 net_nd_state_name(e->state));
		t->v[n].age_s = (uint64_t)((now - e->updated) / TW_SEC(1));
		snprintf(t->v[n++].iface, CLI_NAME_MAX, "%s",
			 dp_port(e->port)->name);
	}
	t->n = n;
}

static int
op_ipv6_neighbors(void *ctx, struct cli_nd_table *out)
{
	struct req r = { .out = out };

	return call(ctx, fill_nd, &r);
}

/* The interface a crypto map is bound to (the SA's outside). */
static int
map_port(const struct conf *c, const char *map)
{
	unsigned int i;

	for (i = 0; i < c->n_ifaces; i++)
		if (strcmp(c->ifaces[i].crypto_map, map) == 0)
			return (int)i;
	return -1;
}

static void
sel_copy(struct cli_sel *d, const struct sadb_selector *s)
{
	*d = (struct cli_sel){ .permit = true, .src = s->src_addr,
		.dst = s->dst_addr, .src_len = s->src_len,
		.dst_len = s->dst_len, .proto = s->proto,
		.sport_lo = s->sport_lo, .sport_hi = s->sport_hi,
		.dport_lo = s->dport_lo, .dport_hi = s->dport_hi,
		.family = s->family == TW_AF_INET6 ? TW_AF_INET6 : TW_AF_INET };
	memcpy(d->src6, s->src6, sizeof(d->src6));
	memcpy(d->dst6, s->dst6, sizeof(d->dst6));
	snprintf(d->action, sizeof(d->action), "protect");
}

static void
sa_copy(struct ctl *ctl, struct console *con, const struct sadb_sa *sa,
	struct cli_sa *o)
{
	const struct conf *c = ctl->conf;
	struct sadb_sa_stats st;
	struct dp_sa *d = dp_sadb_sa(sa);
	int port = map_port(c, sa->p.map);
	unsigned int j;

	o->id = sa->id;
	o->spi = sa->p.spi;
	o->inbound = sa->p.dir == SADB_DIR_IN;
	o->state = sa->state == SADB_SA_INSTALLED ? CLI_SA_ACTIVE :
		sa->state == SADB_SA_DECOUPLED ? CLI_SA_STANDBY : CLI_SA_OTHER;
	snprintf(o->state_name, sizeof(o->state_name), "%s",
		 sadb_sa_state_name(sa->state));
	snprintf(o->cipher, sizeof(o->cipher), "%s",
		 conf_cipher_name(sa->p.cipher));
	snprintf(o->integ, sizeof(o->integ), "%s",
		 conf_integ_name(sa->p.integ));
	o->aead = conf_cipher_is_aead(sa->p.cipher);
	o->local = sa->p.local_addr;
	o->peer = sa->p.peer_addr;
	o->family = sadb_outer_af(&sa->p);
	memcpy(o->local6, sa->p.local6, sizeof(o->local6));
	memcpy(o->peer6, sa->p.peer6, sizeof(o->peer6));
	o->udp_encap = sa->p.udp_encap;
	o->udp_local_port = sa->p.udp_local_port;
	o->udp_peer_port = sa->p.udp_peer_port;
	o->replay_window = sa->p.replay_window;
	o->esn = sa->p.esn;
	snprintf(o->map, sizeof(o->map), "%s", sa->p.map);
	o->map_seq = sa->p.map_seq;
	o->manual = sa->p.origin == SADB_ORIGIN_MANUAL;
	snprintf(o->iface, sizeof(o->iface), "%s",
		 port >= 0 ? c->ifaces[port].name : "?");
	o->path_mtu = port >= 0 ? c->ifaces[port].mtu : 0;
	/* What the plaintext MTU falls short of the path's: exact, from the
	 * SA's padding (dp_sa_max_inner()), as the fast path decides. */
	o->overhead = d != NULL && o->path_mtu > 0 ?
		(uint16_t)(o->path_mtu - dp_sa_max_inner(d, o->path_mtu)) : 0;
	o->age_s = (uint64_t)((ctl_now() - sa->created) / TW_SEC(1));
	if (sadb_sa_stats(ctl->sadb, sa, &st) == 0) {
		console_sa_base_apply(con, sa, &st);
		o->pkts = o->inbound ? st.pkts_decaps : st.pkts_encaps;
		o->bytes = st.bytes;
		o->send_errors = st.send_errors;
		o->recv_errors = st.recv_errors;
		o->replay_fails = st.replay_fails;
		o->auth_fails = st.auth_fails;
		o->policy_fails = st.policy_fails;
		o->seq = st.seq;
	}
	o->ha_sent = ha_sa_sent_bytes(sa, &o->ha_kb_sent);
	o->ha_kb_sent /= 1024;
	for (j = 0; j < sa->p.n_sel && j < CLI_SA_MAX_SEL; j++)
		sel_copy(&o->sel[j], &sa->p.sel[j]);
	o->n_sel = j;
}

static void
fill_sas(struct ctl *ctl, void *arg)
{
	struct req *r = arg;
	struct cli_sa_table *t = r->out;
	const struct sadb_sa *sa;
	unsigned int n = 0;

	t->v = calloc(sadb_count(ctl->sadb) + 1, sizeof(t->v[0]));
	if (t->v == NULL) {
		r->rc = -ENOMEM;
		return;
	}
	for (sa = sadb_sa_next(ctl->sadb, NULL); sa != NULL;
	     sa = sadb_sa_next(ctl->sadb, sa))
		sa_copy(ctl, r->con, sa, &t->v[n++]);
	t->n = n;
}

static int
op_sas(void *ctx, struct cli_sa_table *out)
{
	struct req r = { .out = out };

	return call(ctx, fill_sas, &r);
}

static void
fill_maps(struct ctl *ctl, void *arg)
{
	struct req *r = arg;
	struct cli_cmap_table *t = r->out;
	const struct conf *c = ctl->conf;
	unsigned int i, j, k, n = 0, cap = 1;
	size_t off;

	for (i = 0; i < c->n_crypto_maps; i++)
		cap += c->crypto_maps[i].n_entries;
	t->v = calloc(cap, sizeof(t->v[0]));
	if (t->v == NULL) {
		r->rc = -ENOMEM;
		return;
	}
	for (i = 0; i < c->n_crypto_maps; i++) {
		const struct conf_crypto_map *m = &c->crypto_maps[i];

		for (j = 0; j < m->n_entries; j++) {
			const struct conf_map_entry *e = &m->entries[j];
			const struct conf_transform_set *ts =
				&c->transform_sets[e->transform_set];
			struct cli_cmap *o = &t->v[n++];

			snprintf(o->name, sizeof(o->name), "%s", m->name);
			o->seq = e->seq;
			snprintf(o->type, sizeof(o->type), "%s",
				 conf_map_type_name(e->type));
			o->peer = e->peer;
			snprintf(o->transform_set, sizeof(o->transform_set),
				 "%s", ts->name);
			snprintf(o->cipher, sizeof(o->cipher), "%s",
				 conf_cipher_name(ts->cipher));
			snprintf(o->integ, sizeof(o->integ), "%s",
				 conf_integ_name(ts->integ));
			o->spi_in = e->inbound.spi;
			o->spi_out = e->outbound.spi;
			o->replay_window = e->replay_window;
			o->esn = e->esn;
			o->udp_encap = e->udp_encap;
			o->replay_interval_in = m->replay_interval_in;
			o->replay_interval_out = m->replay_interval_out;
			o->pfs_group = e->pfs_group;
			o->lifetime_s = e->lifetime_s;
			o->lifetime_kb = e->lifetime_kb;
			o->responder_only =
				e->initiate == CONF_INITIATE_RESPONDER;
			off = 0;
			for (k = 0; k < c->n_ifaces; k++)
				if (strcmp(c->ifaces[k].crypto_map, m->name) == 0 &&
				    off < sizeof(o->ifaces))
					off += snprintf(o->ifaces + off,
							sizeof(o->ifaces) - off,
							"%s%s", off ? ", " : "",
							c->ifaces[k].name);
			for (k = 0; k < e->n_matches && k < CLI_SA_MAX_SEL; k++) {
				const struct conf_match *mt = &e->matches[k];
				struct cli_sel *s = &o->sel[k];

				*s = (struct cli_sel){
					.permit = mt->action == CONF_POLICY_PROTECT,
					.src = mt->src.addr, .src_len = mt->src.len,
					.dst = mt->dst.addr, .dst_len = mt->dst.len,
					.proto = mt->proto,
					.sport_lo = mt->sport_lo,
					.sport_hi = mt->sport_hi,
					.dport_lo = mt->dport_lo,
					.dport_hi = mt->dport_hi };
				snprintf(s->action, sizeof(s->action), "%s",
					 conf_policy_action_name(mt->action));
			}
			o->n_sel = k;
		}
	}
	t->n = n;
}

static int
op_crypto_maps(void *ctx, struct cli_cmap_table *out)
{
	struct req r = { .out = out };

	return call(ctx, fill_maps, &r);
}

static void
fill_runconf(struct ctl *ctl, void *arg)
{
	struct req *r = arg;
	bool down[DP_MAX_PORTS];
	unsigned int i;

	for (i = 0; i < dp_n_ports(); i++)
		down[i] = !dp_port_admin_up((uint16_t)i);
	cli_runconf_render(ctl->conf, TWINSEC_VERSION, down, dp_n_ports(),
			   r->out);
}

static int
op_running_config(void *ctx, struct cli_buf *out)
{
	struct req r = { .out = out };

	return call(ctx, fill_runconf, &r);
}

static int
port_by_name(const char *name)
{
	unsigned int i;

	for (i = 0; name != NULL && i < dp_n_ports(); i++)
		if (strcmp(dp_port((uint16_t)i)->name, name) == 0)
			return (int)i;
	return -1;
}

static void
do_clear_counters(struct ctl *ctl TW_UNUSED, void *arg)
{
	struct req *r = arg;
	int port = port_by_name(r->name);
	unsigned int i;

	if (r->name != NULL && port < 0) {
		r->rc = -ENOENT;
		return;
	}
	for (i = 0; i < dp_n_ports(); i++) {
		if (port >= 0 && (int)i != port)
			continue;
		r->rc = dp_port_stats_clear((uint16_t)i);
		if (r->rc < 0 && r->rc != -ENOTSUP)
			return;
		r->rc = 0;
		r->con->cleared_at[i] = ctl_now();
	}
	if (port < 0)
		dp_drops_clear();
}

static int
op_clear_counters(void *ctx, const char *iface, char *err, size_t errlen)
{
	struct req r = { .name = iface, .err = err, .errlen = errlen };
	int rc = call(ctx, do_clear_counters, &r);

	if (rc == 0)
		tw_log(TW_LOG_NOTICE, "cli",
		       "Clear counter on %s%s by %s",
		       iface != NULL ? "interface " : "all interfaces",
		       iface != NULL ? iface : "", who());
	return rc;
}

/* A crypto map of the configuration, by name. */
static bool
map_exists(const struct conf *c, const char *map)
{
	unsigned int i;

	for (i = 0; i < c->n_crypto_maps; i++)
		if (strcmp(c->crypto_maps[i].name, map) == 0)
			return true;
	return false;
}

static void
do_clear_sas(struct ctl *ctl, void *arg)
{
	struct req *r = arg;
	const struct sadb_sa *sa;
	struct dp_sa *d;
	uint32_t inst, dec;
	int rc;

	/* A standby drops what it holds and asks the active for it again. */
	if (r->filter == CLI_SA_STANDBY && ha_enabled()) {
		ha_sa_count(&inst, &dec);
		r->rc = ha_clear_standby(r->err, r->errlen);
		r->n = r->rc == 0 ? dec : 0;
		r->flag = true;
		return;
	}
	if (r->name != NULL && !map_exists(ctl->conf, r->name)) {
		snprintf(r->err, r->errlen, "crypto map %s does not exist",
			 r->name);
		r->rc = -ENOENT;
		return;
	}
	for (sa = sadb_sa_next(ctl->sadb, NULL); sa != NULL;
	     sa = sadb_sa_next(ctl->sadb, sa)) {
		bool active = sa->state == SADB_SA_INSTALLED;

		if ((r->filter == CLI_SA_ACTIVE && !active) ||
		    (r->filter == CLI_SA_STANDBY &&
		     sa->state != SADB_SA_DECOUPLED) ||
		    sa->p.origin != SADB_ORIGIN_MANUAL ||
		    (r->peer != 0 && sa->p.peer_addr != r->peer) ||
		    (r->name != NULL && strcmp(sa->p.map, r->name) != 0))
			continue;
		/*
		 * Manually keyed SAs have nobody to renegotiate them, and a
		 * fresh SA would restart its sequence numbers under the same
		 * key (an IV reused under GCM): they stay, counters cleared.
		 */
		d = dp_sadb_sa(sa);
		if (d != NULL)
			dp_sa_counters_clear(d);
		r->n++;
	}
	/* IKE-negotiated ones go, with DELETE to the peer (a standby's
	 * decoupled copies are the active's to delete). */
	if (r->filter == CLI_SA_STANDBY)
		return;
	rc = ike_glue_clear_children(r->peer, r->name);
	if (rc < 0) {
		snprintf(r->err, r->errlen, "IKE: %s", strerror(-rc));
		r->rc = rc;
		return;
	}
	r->n_ike = (unsigned int)rc;
}

static int
op_clear_sas(void *ctx, int filter, uint32_t peer, const char *map,
	     unsigned int *n, unsigned int *n_ike, char *err, size_t errlen)
{
	struct req r = { .filter = filter, .peer = peer, .name = map,
			 .err = err, .errlen = errlen };
	char what[64] = "", ip[16];
	int rc = call(ctx, do_clear_sas, &r);

	*n = r.n;
	*n_ike = r.n_ike;
	if (peer != 0)
		snprintf(what, sizeof(what), " peer %s",
			 conf_ipv4_str(peer, ip, sizeof(ip)));
	else if (map != NULL)
		snprintf(what, sizeof(what), " map %s", map);
	if (rc == 0 && r.flag)
		tw_log(TW_LOG_NOTICE, "cli",
		       "clear crypto sa standby by %s: %u standby SA%s dropped, bulk resync from the active",
		       who(), r.n, r.n == 1 ? "" : "s");
	else if (rc == 0)
		tw_log(TW_LOG_NOTICE, "cli",
		       "clear crypto sa%s by %s: DELETE sent for %u IKE Child SA%s; %u manually keyed SA%s kept installed, counters cleared",
		       what, who(), r.n_ike, r.n_ike == 1 ? "" : "s", r.n,
		       r.n == 1 ? "" : "s");
	return rc;
}

static void
do_set_admin(struct ctl *ctl TW_UNUSED, void *arg)
{
	struct req *r = arg;
	int port = port_by_name(r->name);

	if (port < 0) {
		r->rc = -ENOENT;
		return;
	}
	r->rc = dp_port_set_admin((uint16_t)port, r->flag);
	if (r->rc < 0) {
		snprintf(r->err, r->errlen, "interface %s: %s", r->name,
			 strerror(-r->rc));
		return;
	}
	/* Interface tracking: HSRP hears it now, not at the next poll. */
	hsrp_glue_if_admin((uint16_t)port, r->flag);
}

static int
op_set_admin(void *ctx, const char *iface, bool up, char *err, size_t errlen)
{
	struct req r = { .name = iface, .flag = up, .err = err,
			 .errlen = errlen };
	int rc = call(ctx, do_set_admin, &r);

	if (rc == 0)
		tw_log(TW_LOG_NOTICE, "cli",
		       "Interface %s, changed state to %s (by %s)",
		       iface, up ? "up" : "administratively down", who());
	return rc;
}

/* The modules debug flags may raise (cli_debug.c names them). */
static const char *const dbg_modules[] = {
	"hsrp", "ike", "sync", "sadb", "sctp",
};
#define N_DBG (sizeof(dbg_modules) / sizeof(dbg_modules[0]))

static int
log_type(const char *module)
{
	char name[64];

	snprintf(name, sizeof(name), "twinsec.%s", module);
	/* Registered by applog_init(): this only looks the id up. */
	return rte_log_register(name);
}

static void
do_debug(struct ctl *ctl TW_UNUSED, void *arg)
{
	struct req *r = arg;
	unsigned int i;
	int type;

	for (i = 0; i < N_DBG; i++)
		if (strcmp(dbg_modules[i], r->name) == 0)
			break;
	type = i < N_DBG ? log_type(r->name) : -1;
	if (type < 0) {
		r->rc = -ENOENT;
		return;
	}
	if (r->flag) {
		if (r->con->saved_level[i] < 0)
			r->con->saved_level[i] = rte_log_get_level((uint32_t)type);
		rte_log_set_level((uint32_t)type, RTE_LOG_DEBUG);
	} else if (r->con->saved_level[i] >= 0) {
		rte_log_set_level((uint32_t)type,
				  (uint32_t)r->con->saved_level[i]);
		r->con->saved_level[i] = -1;
	}
}

static int
op_debug(void *ctx, const char *module, bool on)
{
	struct req r = { .name = module, .flag = on };
	int rc = call(ctx, do_debug, &r);

	if (rc == 0 && on)
		tw_log(TW_LOG_NOTICE, "cli", "debug %s on by %s", module, who());
	return rc;
}

static void
get_debug(struct ctl *ctl TW_UNUSED, void *arg)
{
	struct req *r = arg;
	char (*names)[16] = r->out;
	unsigned int i;
	int type;

	for (i = 0; i < N_DBG && (int)r->n < r->filter; i++) {
		type = log_type(dbg_modules[i]);
		if (type >= 0 &&
		    rte_log_get_level((uint32_t)type) >= (int)RTE_LOG_DEBUG)
			snprintf(names[r->n++], 16, "%s", dbg_modules[i]);
	}
}

static int
op_debug_modules(void *ctx, char names[][16], unsigned int max,
		 unsigned int *n)
{
	struct req r = { .out = names, .filter = (int)max };
	int rc = call(ctx, get_debug, &r);

	*n = r.n;
	return rc;
}

/*
 * A wrong enable secret costs what a failed login does: the failure delay
 * and one failure toward the address's lockout (lib/cli allows three per
 * enable, then "% Bad secrets"). While the address is blocked, enable is
 * refused without checking the secret.
 */
static int
op_check_enable(void *ctx, const char *secret)
{
	struct console *con = ctx;
	struct console_sess *s = cur;
	unsigned int blocked = s != NULL ? console_blocked(s) : 0;
	int rc;

	if (blocked != 0) {
		tw_log(TW_LOG_WARNING, "cli",
		       "enable by %s refused: logins from %s blocked for %u more seconds",
		       who(), s->addr, blocked);
		console_delay(con, con->conf->console.login_delay_ms);
		return -EACCES;
	}
	rc = console_auth_enable(con, secret);
	if (rc == -EACCES) {
		tw_log(TW_LOG_WARNING, "cli", "wrong enable secret by %s", who());
		if (s != NULL)
			console_failed(s);
		else
			console_delay(con, con->conf->console.login_delay_ms);
	} else if (rc == 0) {
		tw_log(TW_LOG_NOTICE, "cli", "privileged EXEC (enable) for %s",
		       who());
	}
	return rc;
}

int
console_write(struct console_sess *s, const char *buf, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = send(s->fd, buf, len, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -EPIPE;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

static int
op_write(void *sess, const char *buf, size_t len)
{
	return console_write(sess, buf, len);
}

/* End the connection: cli_loop() reads EOF next (its dup of s->fd). */
static void
op_hang_up(void *sess)
{
	struct console_sess *s = sess;

	shutdown(s->fd, SHUT_RDWR);
}

/*
 * One data byte from the telnet stream: IAC commands and option
 * negotiation (RFC 854, 855) are skipped, IAC IAC is a 255
 * (cli_telnet_byte()).
 */
static int
read_byte(struct console_sess *s, int timeout_ms)
{
	struct pollfd p = { .fd = s->fd, .events = POLLIN };
	enum cli_telnet_state st = CLI_TELNET_DATA;
	unsigned char c;
	int d;

	for (;;) {
		if (poll(&p, 1, timeout_ms) <= 0)
			return -1;
		if (recv(s->fd, &c, 1, 0) != 1)
			return -1;
		d = cli_telnet_byte(&st, c);
		if (d >= 0)
			return d;
	}
}

static int
sess_timeout_ms(const struct console_sess *s)
{
	uint32_t t = s->con->conf->console.exec_timeout;

	return t == 0 ? -1 : (int)(t * 1000);
}

static int
op_read_secret(void *sess, const char *prompt, char *buf, size_t len)
{
	struct console_sess *s = sess;
	size_t n = 0;
	int c;

	console_write(s, prompt, strlen(prompt));
	for (;;) {
		c = read_byte(s, sess_timeout_ms(s));
		if (c < 0) {
			explicit_bzero(buf, len);
			return -ETIMEDOUT;
		}
		/*
		 * RFC 854: Enter is CR LF or CR NUL. The LF or NUL after the
		 * previous command's CR may still be waiting: skip them.
		 */
		if (c == '\r')
			break;
		if (c == 0 || c == '\n')
			continue;
		if ((c == 8 || c == 127) && n > 0) {
			n--;
			continue;
		}
		if (n + 1 < len)
			buf[n++] = (char)c;
	}
	buf[n] = '\0';
	console_write(s, "\r\n", 2);
	return 0;
}

static int
op_read_key(void *sess)
{
	struct console_sess *s = sess;
	int c;

	/* The rest of the previous CR LF / CR NUL is not a key. */
	do {
		c = read_byte(s, sess_timeout_ms(s));
	} while (c == 0 || c == '\n');
	return c;
}

static void
op_monitor(void *sess, bool on)
{
	struct console_sess *s = sess;

	console_mon_set(s->con, s, on);
}

/* The subsystems' own console ops (hsrp/, ha/, ike/) take the control
 * loop, not the console. */
static int
op_standby(void *ctx, struct cli_hsrp_table *out)
{
	return hsrp_cli_standby(((struct console *)ctx)->ctl, out);
}

static int
op_redundancy(void *ctx, struct cli_redundancy *out)
{
	return ha_cli_redundancy(((struct console *)ctx)->ctl, out);
}

static int
op_force_switchover(void *ctx, char *err, size_t errlen)
{
	return ha_cli_force_switchover(((struct console *)ctx)->ctl, err,
				       errlen);
}

static int
op_ike_sas(void *ctx, struct cli_ike_table *out)
{
	return ike_cli_sas(((struct console *)ctx)->ctl, out);
}

static int
op_ike_clear(void *ctx, uint32_t conn_id, unsigned int *n)
{
	return ike_cli_clear(((struct console *)ctx)->ctl, conn_id, n);
}

const struct cli_ops console_ops = {
	.version = op_version,
	.interfaces = op_interfaces,
	.routes = op_routes,
	.crypto_routes = op_crypto_routes,
	.arp = op_arp,
	.ipv6_neighbors = op_ipv6_neighbors,
	.sas = op_sas,
	.crypto_maps = op_crypto_maps,
	.running_config = op_running_config,
	.clear_counters = op_clear_counters,
	.clear_sas = op_clear_sas,
	.set_admin = op_set_admin,
	.debug = op_debug,
	.debug_modules = op_debug_modules,
	.standby = op_standby,
	.redundancy = op_redundancy,
	.force_switchover = op_force_switchover,
	.ike_sas = op_ike_sas,
	.ike_clear = op_ike_clear,
	.logging = console_op_logging,
	.clear_logging = console_op_clear_logging,
	.clock = console_op_clock,
	.users = console_op_users,
	.ping = console_op_ping,
	.clear_sa_counters = console_op_clear_sa_counters,
	.config_edit = console_op_config_edit,
	.write_memory = console_op_write_memory,
	.read_secret = op_read_secret,
	.check_enable = op_check_enable,
	.monitor = op_monitor,
	.write = op_write,
	.read_key = op_read_key,
	.hang_up = op_hang_up,
};
