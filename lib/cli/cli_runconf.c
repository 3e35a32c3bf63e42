/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The loaded configuration in IOS-like syntax (show running-config). Keys
 * and secrets are never shown: "<removed>", as IOS masks what it must.
 * twinsec settings IOS has no words for are shown as "twinsec ..." lines.
 */
#include <stdio.h>
#include <string.h>

#include "cli_runconf.h"

static void
render_transforms(const struct conf *c, struct cli_buf *b)
{
	unsigned int i;
	char t[64];

	for (i = 0; i < c->n_transform_sets; i++) {
		const struct conf_transform_set *ts = &c->transform_sets[i];

		cli_buf_printf(b, "crypto ipsec transform-set %s %s\n mode tunnel\n!\n",
			       ts->name,
			       cli_transform(conf_cipher_name(ts->cipher),
					     conf_integ_name(ts->integ), t,
					     sizeof(t)));
	}
}

static void
render_acl(const struct conf_map_entry *e, struct cli_buf *b)
{
	unsigned int i;

	for (i = 0; i < e->n_matches; i++) {
		const struct conf_match *m = &e->matches[i];
		struct cli_sel s = {
			.src = m->src.addr, .src_len = m->src.len,
			.dst = m->dst.addr, .dst_len = m->dst.len,
			.proto = m->proto,
			.sport_lo = m->sport_lo, .sport_hi = m->sport_hi,
			.dport_lo = m->dport_lo, .dport_hi = m->dport_hi,
		};

		/* IOS crypto ACLs: permit protects, deny bypasses. */
		cli_buf_printf(b, " %s ", m->action == CONF_POLICY_PROTECT ?
			       "permit" : m->action == CONF_POLICY_BYPASS ?
			       "deny" : "discard");
		cli_sel_acl(&s, b);
		cli_buf_printf(b, "\n");
	}
}

/*
 * IOS "reverse-route [remote-peer [NEXT-HOP]]" with "set reverse-route
 * tag|distance"; the metric of the kernel route has no IOS keyword.
 */
static void
render_rri(const struct conf_rri *r, bool set_lines, struct cli_buf *b)
{
	char ip[CLI_IP_STRLEN];

	if (!r->enabled)
		return;
	if (!set_lines)
		goto route;
	if (r->distance != CONF_RRI_DISTANCE_DEFAULT)
		cli_buf_printf(b, " set reverse-route distance %u\n",
			       r->distance);
	if (r->tag != 0)
		cli_buf_printf(b, " set reverse-route tag %u\n", r->tag);
	if (r->metric != 0)
		cli_buf_printf(b, " twinsec reverse-route metric %u\n",
			       r->metric);
	return;
route:
	if (!r->remote_peer)
		cli_buf_printf(b, " reverse-route\n");
	else if (r->next_hop == 0)
		cli_buf_printf(b, " reverse-route remote-peer\n");
	else
		cli_buf_printf(b, " reverse-route remote-peer %s\n",
			       cli_ip(r->next_hop, ip));
}

static void
render_maps(const struct conf *c, struct cli_buf *b)
{
	char ip[CLI_IP_STRLEN], ip6[TW_ADDR_STRLEN];
	unsigned int i, j;

	for (i = 0; i < c->n_crypto_maps; i++) {
		const struct conf_crypto_map *m = &c->crypto_maps[i];

		cli_buf_printf(b, "crypto map %s redundancy replay-interval inbound %u outbound %u\n",
			       m->name, m->replay_interval_in,
			       m->replay_interval_out);
		if (m->dscp_set)
			cli_buf_printf(b, "crypto map %s set dscp %u\n",
				       m->name, m->dscp);
		for (j = 0; j < m->n_entries; j++) {
			const struct conf_map_entry *e = &m->entries[j];
			const struct conf_transform_set *ts =
				&c->transform_sets[e->transform_set];
			bool auth = ts->integ != CONF_INTEG_NONE;

			cli_buf_printf(b, "crypto map %s %u %s\n", m->name,
				       e->seq, conf_map_type_name(e->type));
			cli_buf_printf(b, " set peer %s\n",
				       e->peer_addr.family == TW_AF_INET6 ?
				       cli_addr(&e->peer_addr, ip6) :
				       cli_ip(e->peer, ip));
			/* IKE negotiates the keys of ipsec-isakmp entries */
			if (e->type == CONF_MAP_IPSEC_MANUAL) {
				cli_buf_printf(b, " set session-key inbound esp %u cipher <removed>%s\n",
					       e->inbound.spi,
					       auth ? " authenticator <removed>" : "");
				cli_buf_printf(b, " set session-key outbound esp %u cipher <removed>%s\n",
					       e->outbound.spi,
					       auth ? " authenticator <removed>" : "");
			}
			cli_buf_printf(b, " set transform-set %s\n", ts->name);
			if (e->replay_window == 0)
				cli_buf_printf(b, " set security-association replay disable\n");
			else
				cli_buf_printf(b, " set security-association replay window-size %u\n",
					       e->replay_window);
			if (e->esn)
				cli_buf_printf(b, " set security-association esn\n");
			if (e->udp_encap)
				cli_buf_printf(b, " twinsec udp-encapsulation local-port %u remote-port %u\n",
					       e->udp_sport, e->udp_dport);
			if (e->type == CONF_MAP_IPSEC_ISAKMP)
				cli_runconf_isakmp_entry(e, b);
			render_rri(&e->rri, true, b);
			cli_buf_printf(b, " match address %s-%u\n", m->name,
				       e->seq);
			render_rri(&e->rri, false, b);
		}
		cli_buf_printf(b, "!\n");
	}
}

static void
render_ifaces(const struct conf *c, const bool *admin_down, unsigned int n,
	      struct cli_buf *b)
{
	char ip[CLI_IP_STRLEN], mask[CLI_IP_STRLEN];
	unsigned int i;

	for (i = 0; i < c->n_ifaces; i++) {
		const struct conf_iface *f = &c->ifaces[i];

		cli_buf_printf(b, "interface %s\n", f->name);
		cli_buf_printf(b, " description %s (%s)\n", f->device,
			       conf_role_name(f->role));
		cli_buf_printf(b, " ip address %s %s\n", cli_ip(f->addr, ip),
			       cli_mask(f->prefix_len, mask));
		cli_runconf_iface6(f, b);
		cli_buf_printf(b, " ip mtu %u\n", f->mtu);
		cli_runconf_standby(c, f, b);
		cli_runconf_iface_map(c, f, b);
		if (i < n && admin_down[i])
			cli_buf_printf(b, " shutdown\n");
		cli_buf_printf(b, "!\n");
	}
}

static void
render_routes_acls(const struct conf *c, struct cli_buf *b)
{
	char a[CLI_IP_STRLEN], m[CLI_IP_STRLEN], g[CLI_IP_STRLEN];
	unsigned int i, j;

	for (i = 0; i < c->n_routes; i++) {
		const struct conf_route *r = &c->routes[i];

		cli_buf_printf(b, "ip route %s %s %s\n", cli_ip(r->dst.addr, a),
			       cli_mask(r->dst.len, m),
			       r->gateway != 0 ? cli_ip(r->gateway, g) :
			       r->iface);
	}
	if (c->n_routes != 0)
		cli_buf_printf(b, "!\n");
	cli_runconf_routes6(c, b);
	for (i = 0; i < c->n_crypto_maps; i++) {
		const struct conf_crypto_map *cm = &c->crypto_maps[i];

		for (j = 0; j < cm->n_entries; j++) {
			cli_buf_printf(b, "ip access-list extended %s-%u\n",
				       cm->name, cm->entries[j].seq);
			render_acl(&cm->entries[j], b);
			cli_buf_printf(b, "!\n");
			cli_runconf_acl6(cm->name, &cm->entries[j], b);
		}
	}
}

static void
render_dataplane(const struct conf *c, struct cli_buf *b)
{
	const struct conf_dataplane *d = &c->dataplane;

	cli_buf_printf(b, "twinsec dataplane workers %u crypto-device %s crypto-mode %s poll-mode %s\n",
		       d->workers, d->crypto_device,
		       conf_crypto_mode_name(d->crypto_mode),
		       conf_poll_mode_name(d->poll_mode));
	cli_buf_printf(b, "twinsec dataplane mbufs %u burst %u max-sas %u default-policy %s\n!\n",
		       d->mbufs, d->burst, d->max_sas,
		       conf_policy_action_name(d->default_policy));
}

static void
render_console(const struct conf *c, struct cli_buf *b)
{
	const struct conf_console *k = &c->console;
	char ip[CLI_IP_STRLEN], ip6[TW_ADDR_STRLEN];
	unsigned int i;

	if (!k->enabled)
		return;
	for (i = 0; i < k->n_users; i++)
		cli_buf_printf(b, "username %s privilege %u secret <removed>\n",
			       k->users[i].name, k->users[i].privilege);
	if (k->enable_secret[0] != '\0')
		cli_buf_printf(b, "enable secret <removed>\n");
	cli_buf_printf(b, "login block-for %u attempts %u within %u\n",
		       k->lockout_duration, k->lockout_failures,
		       k->lockout_window);
	cli_buf_printf(b, "login delay %u.%03u\n!\n", k->login_delay_ms / 1000,
		       k->login_delay_ms % 1000);
	cli_buf_printf(b, "line vty 0 %u\n", k->max_sessions - 1);
	cli_buf_printf(b, " exec-timeout %u %u\n", k->exec_timeout / 60,
		       k->exec_timeout % 60);
	cli_buf_printf(b, " transport input telnet\n");
	cli_buf_printf(b, " twinsec listen %s %u\n!\n",
		       k->listen.family == TW_AF_INET6 ?
		       cli_addr(&k->listen, ip6) : cli_ip(k->listen_addr, ip),
		       k->listen_port);
}

/* IOS "logging host / facility / trap" (no section: nothing to syslog) */
static void
render_logging(const struct conf *c, struct cli_buf *b)
{
	const struct conf_logging *l = &c->logging;
	char ip[CLI_IP_STRLEN];

	if (!l->enabled)
		return;
	if (l->local)
		cli_buf_printf(b, "twinsec logging host local\n");
	else if (l->port != 514)
		cli_buf_printf(b, "logging host %s transport udp port %u\n",
			       cli_ip(l->host, ip), l->port);
	else
		cli_buf_printf(b, "logging host %s\n", cli_ip(l->host, ip));
	cli_buf_printf(b, "logging facility %s\nlogging trap %s\n!\n",
		       conf_log_facility_name(l->facility),
		       conf_log_level_name(l->trap));
}

void
cli_runconf_render(const struct conf *c, const char *version,
		   const bool *admin_down, unsigned int n_ports,
		   struct cli_buf *b)
{
	struct cli_buf body;

	cli_buf_init(&body);
	cli_buf_printf(&body, "!\n! Loaded from %s\n!\nversion %s\n", c->path,
		       version);
	cli_buf_printf(&body, "hostname %s\n!\n", c->hostname);
	render_console(c, &body);
	cli_runconf_ike(c, &body);
	render_transforms(c, &body);
	render_maps(c, &body);
	render_ifaces(c, admin_down, n_ports, &body);
	render_routes_acls(c, &body);
	cli_runconf_redundancy(c, &body);
	render_logging(c, &body);
	render_dataplane(c, &body);
	cli_buf_printf(&body, "end\n");
	cli_buf_printf(b, "Building configuration...\n\nCurrent configuration : %zu bytes\n%s",
		       body.len, body.p != NULL ? body.p : "");
	if (body.oom)
		b->oom = true;
	cli_buf_free(&body);
}
