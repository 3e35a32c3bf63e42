/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * SA payload (RFC 7296 3.3): proposals, their transforms, and the
 * transforms' attributes. One parser walks a proposal; with out == NULL it
 * only validates (ike_payload_sa_decode), with out it fills a struct
 * ike_proposal from bytes already validated (ike_sa_next), so the iterator
 * cannot fail.
 */
#include <errno.h>
#include <string.h>

#include "ike_msg.h"
#include "ike_payload.h"
#include "tw_bytes.h"

#define PROP_HDR_LEN 8
#define XFORM_HDR_LEN 8
#define ATTR_HDR_LEN 4
#define LAST_PROP_MORE 2   /* RFC 7296 3.3.1: "Last Substruc" values */
#define LAST_XFORM_MORE 3  /* RFC 7296 3.3.2 */

static int
fail(const char **why, const char *msg)
{
	*why = msg;
	return -EINVAL;
}

/*
 * RFC 7296 3.3.5 attributes of one transform: AF|type(2) then a 2-byte
 * value (AF set, TV) or length and value (TLV). Key Length (14) is the
 * only one defined and must be TV.
 */
static int
parse_attrs(const uint8_t *p, size_t len, struct ike_xform *x,
	    const char **why)
{
	size_t off = 0;
	uint16_t t, v;
	bool have_kl = false;

	while (off < len) {
		if (len - off < ATTR_HDR_LEN)
			return fail(why, "SA: truncated transform attribute");
		t = tw_get16(p + off);
		v = tw_get16(p + off + 2);
		if (t & IKE_ATTR_AF) {
			if ((t & ~IKE_ATTR_AF) == IKE_ATTR_KEY_LENGTH) {
				if (have_kl)
					return fail(why, "SA: two Key Length attributes");
				have_kl = true;
				x->key_len = v;
			} else {
				x->unknown_attr = true;
			}
			off += ATTR_HDR_LEN;
			continue;
		}
		if (t == IKE_ATTR_KEY_LENGTH)
			return fail(why, "SA: Key Length attribute in TLV form");
		if (len - off - ATTR_HDR_LEN < v)
			return fail(why, "SA: attribute runs past its transform");
		x->unknown_attr = true;
		off += ATTR_HDR_LEN + (size_t)v;
	}
	return 0;
}

/* RFC 7296 3.3.1: the SPI size a protocol allows. */
static bool
spi_size_ok(uint8_t proto, uint8_t size)
{
	switch (proto) {
	case IKE_PROTO_IKE:
		/* 0 in IKE_SA_INIT, 8 when rekeying the IKE SA. */
		return size == 0 || size == 8;
	case IKE_PROTO_AH:
	case IKE_PROTO_ESP:
		return size == 4;
	default:
		return false;
	}
}

/*
 * One proposal at p (left bytes remain in the SA). *used gets its length,
 * *last whether it says it is the last one. out may be NULL.
 */
static int
parse_proposal(const uint8_t *p, size_t left, struct ike_proposal *out,
	       size_t *used, bool *last, const char **why)
{
	struct ike_xform x;
	uint16_t plen, xlen;
	uint8_t spi_size, n_x;
	size_t off;
	unsigned int i;
	int rc;

	if (left < PROP_HDR_LEN)
		return fail(why, "SA: truncated proposal header");
	if (p[0] != 0 && p[0] != LAST_PROP_MORE)
		return fail(why, "SA: bad Last Substruc in a proposal");
	plen = tw_get16(p + 2);
	spi_size = p[6];
	n_x = p[7];
	if (plen < PROP_HDR_LEN || plen > left)
		return fail(why, "SA: bad proposal length");
	if (p[4] == 0)
		return fail(why, "SA: proposal number 0");
	if (!spi_size_ok(p[5], spi_size))
		return fail(why, "SA: bad protocol ID or SPI size in a proposal");
	if (n_x == 0)
		return fail(why, "SA: proposal without transforms");
	if (n_x > IKE_PROP_MAX_XFORMS) {
		*why = "SA: too many transforms in a proposal";
		return -E2BIG;
	}
	if (plen - PROP_HDR_LEN < spi_size)
		return fail(why, "SA: SPI runs past its proposal");
	if (out != NULL) {
		memset(out, 0, sizeof(*out));
		out->num = p[4];
		out->proto = p[5];
		out->spi_size = spi_size;
		memcpy(out->spi, p + PROP_HDR_LEN, spi_size);
		out->n_xforms = n_x;
	}
	off = PROP_HDR_LEN + spi_size;
	for (i = 0; i < n_x; i++) {
		if (plen - off < XFORM_HDR_LEN)
			return fail(why, "SA: truncated transform header");
		xlen = tw_get16(p + off + 2);
		if (xlen < XFORM_HDR_LEN || xlen > plen - off)
			return fail(why, "SA: bad transform length");
		if (p[off] != (i + 1 == n_x ? 0 : LAST_XFORM_MORE))
			return fail(why, "SA: Last Substruc of a transform does not match the count");
		memset(&x, 0, sizeof(x));
		x.type = p[off + 4];
		x.id = tw_get16(p + off + 6);
		rc = parse_attrs(p + off + XFORM_HDR_LEN,
				 xlen - XFORM_HDR_LEN, &x, why);
		if (rc != 0)
			return rc;
		if (out != NULL)
			out->xforms[i] = x;
		off += xlen;
	}
	if (off != plen)
		return fail(why, "SA: proposal length does not match its transforms");
	*used = plen;
	*last = p[0] == 0;
	return 0;
}

int
ike_payload_sa_decode(const uint8_t *p, size_t len, struct ike_pl_sa *out,
		      const char **why)
{
	size_t off = 0, used;
	unsigned int n = 0;
	uint8_t prev_num = 0;
	bool last = false;
	int rc;

	if (len == 0)
		return fail(why, "SA: no proposals");
	while (off < len) {
		if (last)
			return fail(why, "SA: bytes after the last proposal");
		rc = parse_proposal(p + off, len - off, NULL, &used, &last,
				    why);
		if (rc != 0)
			return rc;
		/*
		 * RFC 7296 3.3.1: numbers go up by one from 1 in an offer; a
		 * reply carries the single chosen one with its own number,
		 * so only insist that they increase.
		 */
		if (p[off + 4] <= prev_num)
			return fail(why, "SA: proposal numbers do not increase");
		prev_num = p[off + 4];
		if (++n > IKE_SA_MAX_PROPS) {
			*why = "SA: too many proposals";
			return -E2BIG;
		}
		off += used;
	}
	if (!last)
		return fail(why, "SA: last proposal not marked last");
	out->props.p = p;
	out->props.len = len;
	out->n_props = (uint8_t)n;
	return 0;
}

void
ike_sa_iter_init(struct ike_sa_iter *it, const struct ike_pl_sa *sa)
{
	it->p = sa->props.p;
	it->left = sa->props.len;
}

bool
ike_sa_next(struct ike_sa_iter *it, struct ike_proposal *out)
{
	const char *why;
	size_t used;
	bool last;

	if (it->left == 0)
		return false;
	if (parse_proposal(it->p, it->left, out, &used, &last, &why) != 0) {
		/* Only reachable on bytes that were never validated. */
		it->left = 0;
		return false;
	}
	it->p += used;
	it->left -= used;
	return true;
}
