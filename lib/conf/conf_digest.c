/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The configuration digest (see conf.h): one SHA-256 per part over a
 * canonical serialization, so that the twins can compare their crypto
 * configuration without sending it and say which part differs.
 *
 * Canonical form: every field in a fixed order, integers big-endian in a
 * fixed width, strings and byte strings as a 16-bit length then the bytes,
 * lists as a 32-bit count then the elements; each part starts with its
 * kind and name. Nothing depends on struct layout, padding or file order
 * beyond what the config means (crypto map entries are in seq order after
 * loading; matches are ordered by meaning, first match wins). A change to
 * this serialization changes every digest: twins of different releases then
 * report a mismatch rather than trusting each other silently.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

#include "conf.h"

struct dg {
	EVP_MD_CTX *md;
	int err;
};

static void
dg_raw(struct dg *g, const void *p, size_t n)
{
	if (g->err == 0 && n != 0 && EVP_DigestUpdate(g->md, p, n) != 1)
		g->err = -EIO;
}

static void
dg_u8(struct dg *g, uint8_t v)
{
	dg_raw(g, &v, 1);
}

static void
dg_u16(struct dg *g, uint16_t v)
{
	uint8_t b[2] = { v >> 8, v & 0xff };

	dg_raw(g, b, 2);
}

static void
dg_u32(struct dg *g, uint32_t v)
{
	uint8_t b[4] = { v >> 24, (v >> 16) & 0xff, (v >> 8) & 0xff,
			 v & 0xff };

	dg_raw(g, b, 4);
}

static void
dg_bytes(struct dg *g, const void *p, size_t n)
{
	dg_u16(g, (uint16_t)n);
	dg_raw(g, p, n);
}

static void
dg_str(struct dg *g, const char *s)
{
	dg_bytes(g, s, strlen(s));
}

static void
dg_prefix(struct dg *g, const struct conf_prefix *p)
{
	dg_u32(g, p->addr);
	dg_u8(g, p->len);
}

static void
dg_session_key(struct dg *g, const struct conf_session_key *k)
{
	dg_u32(g, k->spi);
	dg_bytes(g, k->cipher_key, k->cipher_key_len);
	dg_bytes(g, k->auth_key, k->auth_key_len);
}

static void
dg_match(struct dg *g, const struct conf_match *m)
{
	dg_u8(g, (uint8_t)m->action);
	dg_prefix(g, &m->src);
	dg_prefix(g, &m->dst);
	dg_u8(g, m->proto);
	dg_u16(g, m->sport_lo);
	dg_u16(g, m->sport_hi);
	dg_u16(g, m->dport_lo);
	dg_u16(g, m->dport_hi);
}

/*
 * An entry's IPv6 parts (issue 18): only when it has some, so that an
 * IPv4-only entry digests as it did before and mixed-version twins agree.
 */
static void
dg_entry6(struct dg *g, const struct conf_map_entry *e)
{
	unsigned int j;

	if (e->peer_addr.family != TW_AF_INET6 && e->n_matches6 == 0)
		return;
	dg_u8(g, 6);
	dg_u8(g, e->peer_addr.family);
	if (e->peer_addr.family == TW_AF_INET6)
		dg_raw(g, e->peer_addr.v6, 16);
	dg_u32(g, e->n_matches6);
	for (j = 0; j < e->n_matches6; j++) {
		const struct conf_match *m = &e->matches6[j];

		dg_u8(g, (uint8_t)m->action);
		dg_raw(g, m->src_net.addr.v6, 16);
		dg_u8(g, m->src_net.len);
		dg_raw(g, m->dst_net.addr.v6, 16);
		dg_u8(g, m->dst_net.len);
		dg_u8(g, m->proto);
		dg_u16(g, m->sport_lo);
		dg_u16(g, m->sport_hi);
		dg_u16(g, m->dport_lo);
		dg_u16(g, m->dport_hi);
	}
}

static void
dg_transform_set(struct dg *g, const struct conf_transform_set *t)
{
	dg_u8(g, (uint8_t)t->cipher);
	dg_u8(g, (uint8_t)t->integ);
}

static void
dg_crypto_map(struct dg *g, const struct conf *c,
	      const struct conf_crypto_map *m)
{
	const struct conf_map_entry *e;
	unsigned int i, j, n;

	dg_u32(g, m->replay_interval_in);
	dg_u32(g, m->replay_interval_out);
	/* Only when set: configs without it keep their digest. */
	if (m->dscp_set) {
		dg_str(g, "dscp");
		dg_u8(g, m->dscp);
	}
	/* The interfaces it is bound to, in config order. */
	for (i = 0, n = 0; i < c->n_ifaces; i++)
		n += strcmp(c->ifaces[i].crypto_map, m->name) == 0;
	dg_u32(g, n);
	for (i = 0; i < c->n_ifaces; i++)
		if (strcmp(c->ifaces[i].crypto_map, m->name) == 0)
			dg_str(g, c->ifaces[i].name);
	dg_u32(g, m->n_entries);
	for (i = 0; i < m->n_entries; i++) {
		e = &m->entries[i];
		dg_u32(g, e->seq);
		dg_u8(g, (uint8_t)e->type);
		dg_u32(g, e->peer);
		/* By name and content: indexes depend on file order. */
		dg_str(g, c->transform_sets[e->transform_set].name);
		dg_transform_set(g, &c->transform_sets[e->transform_set]);
		dg_u32(g, e->n_matches);
		for (j = 0; j < e->n_matches; j++)
			dg_match(g, &e->matches[j]);
		dg_entry6(g, e);
		dg_session_key(g, &e->inbound);
		dg_session_key(g, &e->outbound);
		dg_u32(g, e->replay_window);
		dg_u8(g, e->esn);
		dg_u8(g, e->udp_encap);
		dg_u16(g, e->udp_sport);
		dg_u16(g, e->udp_dport);
		/* the twins must inject the same routes (IOS: identical
		 * crypto configuration on both boxes) */
		dg_u8(g, e->rri.enabled);
		dg_u8(g, e->rri.remote_peer);
		dg_u32(g, e->rri.next_hop);
		dg_u32(g, e->rri.tag);
		dg_u32(g, e->rri.metric);
		dg_u8(g, e->rri.distance);
		if (e->type != CONF_MAP_IPSEC_ISAKMP)
			continue;
		/* IKE negotiates the keys; what it negotiates must agree. */
		dg_u8(g, (uint8_t)e->initiate);
		dg_u16(g, e->pfs_group);
		dg_u32(g, e->lifetime_s);
		dg_u32(g, (uint32_t)(e->lifetime_kb >> 32));
		dg_u32(g, (uint32_t)e->lifetime_kb);
		dg_str(g, e->local_id);
		dg_str(g, e->remote_id);
		dg_str(g, e->ike_proposal);
	}
}

static void
dg_standby(struct dg *g, const struct conf_standby *sb)
{
	/* Not priority, timers, tracking or real addresses: twins differ. */
	dg_u8(g, sb->version);
	dg_u16(g, sb->group);
	dg_u32(g, sb->vip);
	if (sb->af == TW_AF_INET6) {
		unsigned int i;

		dg_u8(g, sb->af);
		dg_u8(g, sb->ll6_set);
		dg_raw(g, sb->ll6, 16);
		for (i = 0; i < sb->n_gvip6; i++) {
			dg_raw(g, sb->gvip6[i].addr.v6, 16);
			dg_u8(g, sb->gvip6[i].len);
		}
	}
	dg_str(g, sb->name);
	dg_u8(g, sb->mac_set);
	dg_raw(g, sb->mac_set ? sb->mac : (const uint8_t[6]){ 0 }, 6);
}

static void
dg_redundancy(struct dg *g, const struct conf *c)
{
	const struct conf_redundancy *r = &c->redundancy;
	const struct conf_standby *sb = NULL;
	const struct conf_iface *ifc = NULL;

	dg_u8(g, r->enabled);
	dg_str(g, r->scheme);
	if (r->enabled)
		sb = conf_standby_find(c, r->scheme, &ifc);
	dg_str(g, ifc != NULL ? ifc->name : "");
	dg_u16(g, sb != NULL ? sb->group : 0);
	dg_u32(g, r->keepalive_ms);
	dg_u32(g, r->keepalive_threshold);
	dg_u8(g, r->insecure);
}

/* Start a part: its kind and name are hashed first. */
static struct conf_digest_part *
part_begin(struct conf_digest *d, struct dg *g, enum conf_digest_kind kind,
	   const char *name)
{
	struct conf_digest_part *p;

	if (g->err != 0)
		return NULL;
	if (d->n_parts >= CONF_DIGEST_MAX_PARTS) {
		g->err = -E2BIG;
		return NULL;
	}
	p = &d->parts[d->n_parts];
	memset(p, 0, sizeof(*p));
	p->kind = kind;
	snprintf(p->name, sizeof(p->name), "%s", name);
	if (EVP_DigestInit_ex(g->md, EVP_sha256(), NULL) != 1) {
		g->err = -EIO;
		return NULL;
	}
	dg_u8(g, (uint8_t)kind);
	dg_str(g, p->name);
	return p;
}

static void
part_end(struct conf_digest *d, struct dg *g, struct conf_digest_part *p)
{
	unsigned int n = 0;

	if (g->err != 0 || p == NULL)
		return;
	if (EVP_DigestFinal_ex(g->md, p->sha, &n) != 1 ||
	    n != CONF_DIGEST_LEN) {
		g->err = -EIO;
		return;
	}
	d->n_parts++;
}

int
conf_digest_seal(struct conf_digest *d)
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	unsigned int i, n = 0;
	int rc = 0;
	struct dg g;

	if (md == NULL)
		return -ENOMEM;
	g.md = md;
	g.err = 0;
	if (EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1)
		g.err = -EIO;
	for (i = 0; i < d->n_parts && i < CONF_DIGEST_MAX_PARTS; i++) {
		dg_u8(&g, (uint8_t)d->parts[i].kind);
		dg_str(&g, d->parts[i].name);
		dg_raw(&g, d->parts[i].sha, CONF_DIGEST_LEN);
	}
	if (g.err == 0 && (EVP_DigestFinal_ex(md, d->all, &n) != 1 ||
			   n != CONF_DIGEST_LEN))
		g.err = -EIO;
	rc = g.err;
	EVP_MD_CTX_free(md);
	return rc;
}

int
conf_digest(const struct conf *c, struct conf_digest *d)
{
	char name[CONF_DIGEST_NAME_MAX];
	struct conf_digest_part *p;
	unsigned int i, j;
	struct dg g;

	memset(d, 0, sizeof(*d));
	g.md = EVP_MD_CTX_new();
	g.err = 0;
	if (g.md == NULL)
		return -ENOMEM;
	for (i = 0; i < c->n_transform_sets; i++) {
		p = part_begin(d, &g, CONF_DIGEST_TRANSFORM_SET,
			       c->transform_sets[i].name);
		dg_transform_set(&g, &c->transform_sets[i]);
		part_end(d, &g, p);
	}
	for (i = 0; i < c->n_crypto_maps; i++) {
		p = part_begin(d, &g, CONF_DIGEST_CRYPTO_MAP,
			       c->crypto_maps[i].name);
		dg_crypto_map(&g, c, &c->crypto_maps[i]);
		part_end(d, &g, p);
	}
	for (i = 0; i < c->n_ifaces; i++) {
		for (j = 0; j < c->ifaces[i].n_standby; j++) {
			snprintf(name, sizeof(name), "%s/%u",
				 c->ifaces[i].name,
				 c->ifaces[i].standby[j].group);
			p = part_begin(d, &g, CONF_DIGEST_STANDBY, name);
			dg_standby(&g, &c->ifaces[i].standby[j]);
			part_end(d, &g, p);
		}
	}
	p = part_begin(d, &g, CONF_DIGEST_REDUNDANCY, "redundancy");
	dg_redundancy(&g, c);
	part_end(d, &g, p);
	EVP_MD_CTX_free(g.md);
	if (g.err != 0) {
		memset(d, 0, sizeof(*d));
		return g.err;
	}
	return conf_digest_seal(d);
}

static const char *const kind_names[CONF_DIGEST_KIND_MAX] = {
	[CONF_DIGEST_TRANSFORM_SET] = "transform set",
	[CONF_DIGEST_CRYPTO_MAP] = "crypto map",
	[CONF_DIGEST_STANDBY] = "standby group",
	[CONF_DIGEST_REDUNDANCY] = "redundancy",
};

const char *
conf_digest_kind_name(enum conf_digest_kind k)
{
	if ((unsigned int)k >= CONF_DIGEST_KIND_MAX || kind_names[k] == NULL)
		return "?";
	return kind_names[k];
}

static const struct conf_digest_part *
part_find(const struct conf_digest *d, const struct conf_digest_part *p)
{
	unsigned int i;

	for (i = 0; i < d->n_parts && i < CONF_DIGEST_MAX_PARTS; i++)
		if (d->parts[i].kind == p->kind &&
		    strncmp(d->parts[i].name, p->name,
			    CONF_DIGEST_NAME_MAX) == 0)
			return &d->parts[i];
	return NULL;
}

/* Say one difference, up to 3; count the rest. */
static void
say(char *why, size_t len, unsigned int n, const struct conf_digest_part *p,
    const char *what)
{
	size_t off;

	if (why == NULL || len == 0 || n > 3)
		return;
	off = strnlen(why, len);
	if (off + 1 >= len)
		return;
	if (p->kind == CONF_DIGEST_REDUNDANCY)
		snprintf(why + off, len - off, "%sredundancy settings %s",
			 n > 1 ? ", " : "", what);
	else
		snprintf(why + off, len - off, "%s%s '%.*s' %s",
			 n > 1 ? ", " : "", conf_digest_kind_name(p->kind),
			 CONF_DIGEST_NAME_MAX - 1, p->name, what);
}

unsigned int
conf_digest_compare(const struct conf_digest *mine,
		    const struct conf_digest *peer, char *why, size_t len)
{
	const struct conf_digest_part *q;
	unsigned int i, n = 0;
	size_t off;

	if (why != NULL && len != 0)
		why[0] = '\0';
	for (i = 0; i < mine->n_parts && i < CONF_DIGEST_MAX_PARTS; i++) {
		q = part_find(peer, &mine->parts[i]);
		if (q == NULL)
			say(why, len, ++n, &mine->parts[i], "missing on the peer");
		else if (memcmp(q->sha, mine->parts[i].sha,
				CONF_DIGEST_LEN) != 0)
			say(why, len, ++n, &mine->parts[i], "differs");
	}
	for (i = 0; i < peer->n_parts && i < CONF_DIGEST_MAX_PARTS; i++)
		if (part_find(mine, &peer->parts[i]) == NULL)
			say(why, len, ++n, &peer->parts[i], "only on the peer");
	/* Same parts, different order (or count): the whole differs. */
	if (n == 0 && memcmp(mine->all, peer->all, CONF_DIGEST_LEN) != 0) {
		n = 1;
		if (why != NULL && len != 0)
			snprintf(why, len, "configuration order differs");
	}
	if (n > 3 && why != NULL && len != 0) {
		off = strnlen(why, len);
		if (off + 1 < len)
			snprintf(why + off, len - off, " and %u more", n - 3);
	}
	return n;
}
