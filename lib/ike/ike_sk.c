/* SPDX-License-Identifier: BSD-3-Clause */
/* The Encrypted payload (RFC 7296 3.14, RFC 5282): see ike_sk.h. */
#include <errno.h>
#include <string.h>

#include <openssl/crypto.h>

#include "ike_sk.h"
#include "tw_bytes.h"

#define ICV_MAX 32

void
ike_sk_ctx_init(struct ike_sk_ctx *c, const struct ike_crypto_ops *ops,
		const struct ike_sa_keys *k, bool initiator, bool outbound,
		struct ike_sk_stats *stats)
{
	/* The initiator's own keys are the i keys (RFC 7296 2.14). */
	bool use_i = initiator == outbound;

	memset(c, 0, sizeof(*c));
	c->ops = ops;
	c->encr = k->algs.encr;
	c->encr_bits = k->algs.encr_bits;
	c->integ = k->algs.integ;
	c->ek = use_i ? k->ei : k->er;
	c->ek_len = k->e_len;
	c->ak = use_i ? k->ai : k->ar;
	c->ak_len = k->a_len;
	c->stats = stats;
}

size_t
ike_sk_iv_len(uint16_t encr)
{
	switch (encr) {
	case IKE_ENCR_AES_CBC:
		return IKE_AES_BLOCK;
	case IKE_ENCR_AES_GCM_16:
		return IKE_GCM_IV_LEN;
	default:
		return 0;
	}
}

size_t
ike_sk_overhead(uint16_t encr, uint16_t integ)
{
	if (ike_encr_is_aead(encr))
		return 1 + IKE_GCM_ICV_LEN;
	return IKE_AES_BLOCK + ike_integ_icv_len(integ);
}

/* Check the context: key sizes match the algorithms. */
static int
ctx_check(const struct ike_sk_ctx *c, size_t *icv_len)
{
	size_t ek = ike_encr_key_len(c->encr, c->encr_bits);

	if (ek == 0 || ike_sk_iv_len(c->encr) == 0)
		return -ENOTSUP;
	if (c->ek_len != ek)
		return -EINVAL;
	if (ike_encr_is_aead(c->encr)) {
		*icv_len = IKE_GCM_ICV_LEN;
		return 0;
	}
	*icv_len = ike_integ_icv_len(c->integ);
	if (*icv_len == 0)
		return -ENOTSUP;
	if (c->ak_len != ike_integ_key_len(c->integ))
		return -EINVAL;
	return 0;
}

int
ike_sk_seal(struct ike_builder *b, const struct ike_sk_ctx *c,
	    const struct ike_rng *rng)
{
	uint8_t nonce[IKE_GCM_SALT_LEN + IKE_GCM_IV_LEN];
	size_t iv_len = ike_sk_iv_len(c->encr), icv_len = 0;
	size_t body, pt, pt_len, pad, total, need;
	bool aead = ike_encr_is_aead(c->encr);
	uint8_t *iv;
	struct ike_chunk whole;
	int rc;

	if (b->sk_off == 0) {
		b->err = b->err != 0 ? b->err : -EINVAL;
		return b->err;
	}
	/* From here on, any failure wipes the SK body (ike_sk.h). */
	body = b->sk_off + IKE_GEN_HDR_LEN;
	pt = body;
	rc = b->err;
	if (rc == 0)
		rc = ctx_check(c, &icv_len);
	if (rc == 0 && b->sk_iv_len != iv_len)
		rc = -EINVAL;
	if (rc != 0)
		goto fail;
	iv = b->buf + body;
	pt = body + iv_len;
	pt_len = b->off - pt;
	/* RFC 7296 3.14: pad so that payloads | padding | pad length fill
	 * whole cipher blocks; GCM needs none. */
	pad = aead ? 0 : (IKE_AES_BLOCK - (pt_len + 1) % IKE_AES_BLOCK) %
		IKE_AES_BLOCK;
	need = pad + 1 + icv_len;
	if (need > b->cap - b->off) {
		rc = -ENOSPC;
		goto fail;
	}
	memset(b->buf + b->off, 0, pad);
	b->buf[b->off + pad] = (uint8_t)pad;
	pt_len += pad + 1;
	total = b->off + need;
	if (total - b->sk_off > UINT16_MAX || total > UINT32_MAX) {
		rc = -EINVAL;
		goto fail;
	}
	/* Lengths first: the header is authenticated (ICV and AAD). */
	tw_put16(b->buf + b->sk_off + 2, (uint16_t)(total - b->sk_off));
	tw_put32(b->buf + 24, (uint32_t)total);
	rc = rng->bytes(rng->arg, iv, iv_len);
	if (rc != 0)
		goto fail;
	if (aead) {
		memcpy(nonce, c->ek + c->ek_len - IKE_GCM_SALT_LEN,
		       IKE_GCM_SALT_LEN);
		memcpy(nonce + IKE_GCM_SALT_LEN, iv, IKE_GCM_IV_LEN);
		rc = c->ops->gcm_seal(c->ek, c->ek_len - IKE_GCM_SALT_LEN,
				      nonce, b->buf, body, b->buf + pt,
				      b->buf + pt, pt_len,
				      b->buf + pt + pt_len, icv_len);
	} else {
		rc = c->ops->cbc(true, c->ek, c->ek_len, iv, b->buf + pt,
				 b->buf + pt, pt_len);
		if (rc == 0) {
			whole.p = b->buf;
			whole.len = pt + pt_len;
			rc = c->ops->integ(c->integ, c->ak, c->ak_len, &whole,
					   1, b->buf + pt + pt_len);
		}
	}
	if (rc != 0)
		goto fail;
	b->off = total;
	b->sk_off = 0;
	if (c->stats != NULL)
		c->stats->sealed++;
	return (int)total;
fail:
	/* Leave no plaintext behind in a buffer that failed to seal. */
	if (pt < b->cap)
		OPENSSL_cleanse(b->buf + pt, b->cap - pt);
	b->err = rc;
	return rc;
}

static int
count(const struct ike_sk_ctx *c, uint64_t *ctr, int rc, const char **why,
      const char *msg)
{
	if (c->stats != NULL)
		(*ctr)++;
	*why = msg;
	return rc;
}

int
ike_sk_open(const struct ike_sk_ctx *c, const uint8_t *msg, size_t len,
	    const struct ike_msg *m, uint8_t *plain, size_t cap,
	    size_t *plain_len, const char **why)
{
	struct ike_sk_stats dummy;
	struct ike_sk_stats *st = c->stats != NULL ? c->stats : &dummy;
	uint8_t nonce[IKE_GCM_SALT_LEN + IKE_GCM_IV_LEN], icv[ICV_MAX];
	size_t iv_len = ike_sk_iv_len(c->encr), icv_len = 0, ct_len;
	bool aead = ike_encr_is_aead(c->encr);
	const uint8_t *body, *ct;
	struct ike_chunk whole;
	uint8_t pad;
	int rc;

	rc = ctx_check(c, &icv_len);
	if (rc != 0) {
		*why = "SK: keys do not match the algorithms";
		return rc;
	}
	if (!m->sk.present || m->sk.body_off + m->sk.body_len != len) {
		*why = "SK: no Encrypted payload at the end of this message";
		return -EINVAL;
	}
	body = msg + m->sk.body_off;
	if (m->sk.body_len < iv_len + icv_len + 1)
		return count(c, &st->bad_len, -EINVAL, why,
			     "SK: shorter than IV and ICV");
	ct = body + iv_len;
	ct_len = m->sk.body_len - iv_len - icv_len;
	if (!aead && ct_len % IKE_AES_BLOCK != 0)
		return count(c, &st->bad_len, -EINVAL, why,
			     "SK: ciphertext not whole blocks");
	if (cap < ct_len) {
		*why = "SK: plaintext buffer too small";
		return -ENOSPC;
	}
	if (aead) {
		memcpy(nonce, c->ek + c->ek_len - IKE_GCM_SALT_LEN,
		       IKE_GCM_SALT_LEN);
		memcpy(nonce + IKE_GCM_SALT_LEN, body, IKE_GCM_IV_LEN);
		rc = c->ops->gcm_open(c->ek, c->ek_len - IKE_GCM_SALT_LEN,
				      nonce, msg, m->sk.body_off, ct, plain,
				      ct_len, ct + ct_len, icv_len);
	} else {
		/* RFC 7296 3.14: the ICV covers the message up to itself;
		 * check it before decrypting anything. */
		whole.p = msg;
		whole.len = len - icv_len;
		rc = c->ops->integ(c->integ, c->ak, c->ak_len, &whole, 1, icv);
		if (rc == 0 && !ike_auth_equal(icv, msg + len - icv_len,
					       icv_len))
			rc = -EBADMSG;
		if (rc == 0)
			rc = c->ops->cbc(false, c->ek, c->ek_len, body, ct,
					 plain, ct_len);
	}
	if (rc == -EBADMSG) {
		OPENSSL_cleanse(plain, ct_len);
		return count(c, &st->icv_fail, rc, why,
			     "SK: ICV mismatch (integrity check failed)");
	}
	if (rc != 0) {
		OPENSSL_cleanse(plain, ct_len);
		*why = "SK: decryption failed";
		return rc;
	}
	pad = plain[ct_len - 1];
	if ((size_t)pad + 1 > ct_len) {
		OPENSSL_cleanse(plain, ct_len);
		return count(c, &st->bad_pad, -EINVAL, why,
			     "SK: Pad Length longer than the plaintext");
	}
	*plain_len = ct_len - 1 - pad;
	if (c->stats != NULL)
		c->stats->opened++;
	return 0;
}
