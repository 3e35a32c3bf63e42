/* SPDX-License-Identifier: BSD-3-Clause */
/* SA proposal building, selection and mapping: see ike_proposal.h. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ike_proposal.h"
#include "tw_bytes.h"

void
ike_proposal_init(struct ike_proposal *p, uint8_t num, uint8_t proto,
		  const uint8_t *spi, uint8_t spi_size)
{
	memset(p, 0, sizeof(*p));
	p->num = num;
	p->proto = proto;
	if (spi_size > IKE_SPI_MAX)
		spi_size = IKE_SPI_MAX;
	p->spi_size = spi_size;
	if (spi_size != 0)
		memcpy(p->spi, spi, spi_size);
}

int
ike_proposal_add(struct ike_proposal *p, uint8_t type, uint16_t id,
		 uint16_t key_len)
{
	struct ike_xform *x;

	if (p->n_xforms >= IKE_PROP_MAX_XFORMS)
		return -E2BIG;
	x = &p->xforms[p->n_xforms++];
	memset(x, 0, sizeof(*x));
	x->type = type;
	x->id = id;
	x->key_len = key_len;
	return 0;
}

const struct ike_xform *
ike_proposal_get(const struct ike_proposal *p, uint8_t type)
{
	unsigned int i;

	for (i = 0; i < p->n_xforms; i++)
		if (p->xforms[i].type == type)
			return &p->xforms[i];
	return NULL;
}

/* Optional types: left out means NONE (RFC 7296 3.3.3). */
static bool
optional_type(uint8_t t)
{
	return t == IKE_XF_INTEG || t == IKE_XF_DH || t == IKE_XF_ESN;
}

static bool
has_type(const struct ike_proposal *p, uint8_t t)
{
	return ike_proposal_get(p, t) != NULL;
}

/* Does p offer (t, id, key_len), as a usable transform? Absent optional
 * types offer NONE. */
static bool
offers(const struct ike_proposal *p, uint8_t t, uint16_t id, uint16_t kl)
{
	unsigned int i;

	if (!has_type(p, t))
		return optional_type(t) && id == 0 && kl == 0;
	for (i = 0; i < p->n_xforms; i++)
		if (p->xforms[i].type == t && p->xforms[i].id == id &&
		    p->xforms[i].key_len == kl && !p->xforms[i].unknown_attr)
			return true;
	return false;
}

/* ENCR and INTEG must agree on combined mode (RFC 5282 8). */
static bool
integ_consistent(const struct ike_proposal *c)
{
	const struct ike_xform *e = ike_proposal_get(c, IKE_XF_ENCR);
	const struct ike_xform *i = ike_proposal_get(c, IKE_XF_INTEG);
	bool has_integ = i != NULL && i->id != IKE_INTEG_NONE;

	if (e == NULL)
		return true;
	return ike_encr_is_aead(e->id) ? !has_integ : has_integ;
}

static int
match(const struct ike_proposal *peer, const struct ike_proposal *ours,
      struct ike_proposal *out, const char **why)
{
	const struct ike_xform *x;
	unsigned int i;
	uint8_t t;
	bool found;

	if (peer->proto != ours->proto) {
		*why = "protocol differs";
		return -ENOENT;
	}
	for (i = 0; i < peer->n_xforms; i++) {
		t = peer->xforms[i].type;
		if (t == 0 || t >= IKE_XF_TYPE_MAX) {
			*why = "unknown transform type";
			return -ENOENT;
		}
	}
	ike_proposal_init(out, peer->num, peer->proto, peer->spi,
			  peer->spi_size);
	for (t = 1; t < IKE_XF_TYPE_MAX; t++) {
		if (!has_type(peer, t)) {
			/* Fine when we do not need it either. */
			if (has_type(ours, t) && !offers(ours, t, 0, 0)) {
				*why = "a required transform type is missing";
				return -ENOENT;
			}
			continue;
		}
		found = false;
		for (i = 0; i < peer->n_xforms && !found; i++) {
			x = &peer->xforms[i];
			if (x->type != t || x->unknown_attr ||
			    !offers(ours, t, x->id, x->key_len))
				continue;
			(void)ike_proposal_add(out, t, x->id, x->key_len);
			found = true;
		}
		if (!found) {
			*why = ike_xform_type_name(t);
			return -ENOENT;
		}
	}
	if (!integ_consistent(out)) {
		*why = "combined-mode cipher and integrity disagree";
		return -ENOENT;
	}
	return 0;
}

int
ike_proposal_select(const struct ike_pl_sa *peer,
		    const struct ike_proposal *ours, unsigned int n_ours,
		    struct ike_proposal *chosen, const char **why)
{
	struct ike_proposal p;
	struct ike_sa_iter it;
	unsigned int i;

	*why = "no proposals";
	ike_sa_iter_init(&it, peer);
	while (ike_sa_next(&it, &p))
		for (i = 0; i < n_ours; i++)
			if (match(&p, &ours[i], chosen, why) == 0)
				return 0;
	return -ENOENT;
}

int
ike_proposal_check_reply(const struct ike_pl_sa *reply,
			 const struct ike_proposal *offered,
			 unsigned int n_offered, struct ike_proposal *chosen,
			 const char **why)
{
	const struct ike_proposal *o = NULL;
	const struct ike_xform *x;
	struct ike_proposal p;
	struct ike_sa_iter it;
	unsigned int i, n_t[IKE_XF_TYPE_MAX] = { 0 };
	uint8_t t;

	if (reply->n_props != 1) {
		*why = "reply SA: not exactly one proposal";
		return -EINVAL;
	}
	ike_sa_iter_init(&it, reply);
	if (!ike_sa_next(&it, &p)) {
		*why = "reply SA: unreadable";
		return -EINVAL;
	}
	for (i = 0; i < n_offered; i++)
		if (offered[i].num == p.num && offered[i].proto == p.proto)
			o = &offered[i];
	if (o == NULL) {
		*why = "reply SA: proposal number not offered";
		return -EINVAL;
	}
	for (i = 0; i < p.n_xforms; i++) {
		x = &p.xforms[i];
		if (x->type == 0 || x->type >= IKE_XF_TYPE_MAX ||
		    n_t[x->type]++ != 0) {
			*why = "reply SA: unknown or repeated transform type";
			return -EINVAL;
		}
		if (x->unknown_attr ||
		    !offers(o, x->type, x->id, x->key_len) ||
		    (!has_type(o, x->type) && x->id != 0)) {
			*why = "reply SA: transform not offered";
			return -EINVAL;
		}
	}
	for (t = 1; t < IKE_XF_TYPE_MAX; t++) {
		if (n_t[t] == 0 && has_type(o, t) && !offers(o, t, 0, 0)) {
			*why = "reply SA: an offered transform type is missing";
			return -EINVAL;
		}
	}
	if (!integ_consistent(&p)) {
		*why = "reply SA: combined-mode cipher and integrity disagree";
		return -EINVAL;
	}
	*chosen = p;
	return 0;
}

int
ike_proposal_ike_algs(const struct ike_proposal *c, struct ike_sa_algs *algs)
{
	const struct ike_xform *e = ike_proposal_get(c, IKE_XF_ENCR);
	const struct ike_xform *p = ike_proposal_get(c, IKE_XF_PRF);
	const struct ike_xform *i = ike_proposal_get(c, IKE_XF_INTEG);
	const struct ike_xform *d = ike_proposal_get(c, IKE_XF_DH);
	struct ike_sa_algs a;

	if (c->proto != IKE_PROTO_IKE || e == NULL || p == NULL || d == NULL)
		return -ENOTSUP;
	memset(&a, 0, sizeof(a));
	a.encr = e->id;
	a.encr_bits = e->key_len;
	a.prf = p->id;
	a.integ = i != NULL ? i->id : IKE_INTEG_NONE;
	a.dh = d->id;
	if (ike_encr_key_len(a.encr, a.encr_bits) == 0 ||
	    ike_prf_len(a.prf) == 0 || !ike_dh_supported(a.dh))
		return -ENOTSUP;
	if (ike_encr_is_aead(a.encr) ? a.integ != IKE_INTEG_NONE :
	    ike_integ_icv_len(a.integ) == 0)
		return -ENOTSUP;
	*algs = a;
	return 0;
}

int
ike_proposal_esp_to_conf(const struct ike_proposal *c,
			 enum conf_cipher *cipher, enum conf_integ *integ,
			 bool *esn)
{
	const struct ike_xform *e = ike_proposal_get(c, IKE_XF_ENCR);
	const struct ike_xform *i = ike_proposal_get(c, IKE_XF_INTEG);
	const struct ike_xform *n = ike_proposal_get(c, IKE_XF_ESN);
	uint16_t iid = i != NULL ? i->id : IKE_INTEG_NONE;

	if (c->proto != IKE_PROTO_ESP || e == NULL)
		return -ENOTSUP;
	if (e->id == IKE_ENCR_AES_GCM_16 && iid == IKE_INTEG_NONE) {
		if (e->key_len == 128)
			*cipher = CONF_CIPHER_AES_GCM_128;
		else if (e->key_len == 256)
			*cipher = CONF_CIPHER_AES_GCM_256;
		else
			return -ENOTSUP;
		*integ = CONF_INTEG_NONE;
	} else if (e->id == IKE_ENCR_AES_CBC) {
		if (e->key_len == 128)
			*cipher = CONF_CIPHER_AES_CBC_128;
		else if (e->key_len == 256)
			*cipher = CONF_CIPHER_AES_CBC_256;
		else
			return -ENOTSUP;
		if (iid == IKE_INTEG_HMAC_SHA1_96)
			*integ = CONF_INTEG_SHA1_96;
		else if (iid == IKE_INTEG_HMAC_SHA2_256_128)
			*integ = CONF_INTEG_SHA256_128;
		else
			return -ENOTSUP;
	} else {
		return -ENOTSUP;
	}
	*esn = n != NULL && n->id == IKE_ESN_YES;
	return 0;
}

int
ike_esp_algs_from_conf(enum conf_cipher cipher, enum conf_integ integ,
		       uint16_t *encr, uint16_t *bits, uint16_t *ike_integ)
{
	switch (cipher) {
	case CONF_CIPHER_AES_GCM_128:
	case CONF_CIPHER_AES_GCM_256:
		*encr = IKE_ENCR_AES_GCM_16;
		break;
	case CONF_CIPHER_AES_CBC_128:
	case CONF_CIPHER_AES_CBC_256:
		*encr = IKE_ENCR_AES_CBC;
		break;
	default:
		return -ENOTSUP;
	}
	*bits = cipher == CONF_CIPHER_AES_GCM_128 ||
		cipher == CONF_CIPHER_AES_CBC_128 ? 128 : 256;
	switch (integ) {
	case CONF_INTEG_NONE:
		*ike_integ = IKE_INTEG_NONE;
		break;
	case CONF_INTEG_SHA1_96:
		*ike_integ = IKE_INTEG_HMAC_SHA1_96;
		break;
	case CONF_INTEG_SHA256_128:
		*ike_integ = IKE_INTEG_HMAC_SHA2_256_128;
		break;
	default:
		return -ENOTSUP;
	}
	return 0;
}

int
ike_proposal_esp_from_conf(const struct conf_transform_set *ts, bool esn,
			   uint16_t pfs_group, uint32_t spi, uint8_t num,
			   struct ike_proposal *out)
{
	uint8_t s[4];
	uint16_t encr, bits, integ;

	if (ike_esp_algs_from_conf(ts->cipher, ts->integ, &encr, &bits,
				   &integ) < 0)
		return -ENOTSUP;
	tw_put32(s, spi);
	if (ike_encr_is_aead(encr) != (integ == IKE_INTEG_NONE))
		return -EINVAL;
	if (pfs_group != IKE_DH_NONE && !ike_dh_supported(pfs_group))
		return -ENOTSUP;
	ike_proposal_init(out, num, IKE_PROTO_ESP, s, 4);
	(void)ike_proposal_add(out, IKE_XF_ENCR, encr, bits);
	if (integ != IKE_INTEG_NONE)
		(void)ike_proposal_add(out, IKE_XF_INTEG, integ, 0);
	if (pfs_group != IKE_DH_NONE)
		(void)ike_proposal_add(out, IKE_XF_DH, pfs_group, 0);
	(void)ike_proposal_add(out, IKE_XF_ESN,
			       esn ? IKE_ESN_YES : IKE_ESN_NO, 0);
	return 0;
}

int
ike_proposal_format(const struct ike_proposal *p, char *buf, size_t len)
{
	const struct ike_xform *x;
	size_t off = 0;
	unsigned int i;
	int n;

	n = snprintf(buf, len, "%s:", ike_proto_name(p->proto));
	if (n < 0)
		return n;
	off = (size_t)n;
	for (i = 0; i < p->n_xforms; i++) {
		x = &p->xforms[i];
		if (x->key_len != 0)
			n = snprintf(buf + (off < len ? off : len),
				     off < len ? len - off : 0, "%s%s_%u",
				     i == 0 ? " " : "/",
				     ike_xform_id_name(x->type, x->id),
				     x->key_len);
		else
			n = snprintf(buf + (off < len ? off : len),
				     off < len ? len - off : 0, "%s%s",
				     i == 0 ? " " : "/",
				     ike_xform_id_name(x->type, x->id));
		if (n < 0)
			return n;
		off += (size_t)n;
	}
	return (int)off;
}
