/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Payload bodies (everything after the generic payload header) of the
 * simple payload types: validate, then fill the view. SA and TS, which
 * nest, live in ike_payload_sa.c and ike_payload_ts.c.
 */
#include <errno.h>
#include <string.h>

#include "ike_msg.h"
#include "ike_payload.h"
#include "tw_bytes.h"

static int
fail(const char **why, const char *msg)
{
	*why = msg;
	return -EINVAL;
}

static struct ike_bytes
bytes(const uint8_t *p, size_t len)
{
	struct ike_bytes b = { .p = p, .len = len };

	return b;
}

/* RFC 7296 3.4: DH Group Num(2) RESERVED(2) Key Exchange Data. */
static int
decode_ke(const uint8_t *p, size_t len, struct ike_payload *out,
	  const char **why)
{
	if (len < 5)
		return fail(why, "KE: shorter than its fixed part and one byte");
	out->u.ke.group = tw_get16(p);
	out->u.ke.data = bytes(p + 4, len - 4);
	return 0;
}

/* RFC 7296 3.5: ID Type(1) RESERVED(3) Identification Data. */
static int
decode_id(const uint8_t *p, size_t len, struct ike_payload *out,
	  const char **why)
{
	if (len < 5)
		return fail(why, "ID: no identification data");
	if (p[0] == IKE_ID_IPV4_ADDR && len != 4 + 4)
		return fail(why, "ID: ID_IPV4_ADDR is not 4 bytes");
	if (p[0] == IKE_ID_IPV6_ADDR && len != 4 + 16)
		return fail(why, "ID: ID_IPV6_ADDR is not 16 bytes");
	out->u.id.type = p[0];
	out->u.id.data = bytes(p + 4, len - 4);
	out->u.id.body = bytes(p, len);
	return 0;
}

/* RFC 7296 3.6, 3.7: Cert Encoding(1) data. Carried, never processed. */
static int
decode_cert(const uint8_t *p, size_t len, struct ike_payload *out,
	    const char **why)
{
	if (len < 1)
		return fail(why, "CERT/CERTREQ: no encoding");
	out->u.cert.encoding = p[0];
	out->u.cert.data = bytes(p + 1, len - 1);
	return 0;
}

/* RFC 7296 3.8: Auth Method(1) RESERVED(3) Authentication Data. */
static int
decode_auth(const uint8_t *p, size_t len, struct ike_payload *out,
	    const char **why)
{
	if (len < 5)
		return fail(why, "AUTH: no authentication data");
	out->u.auth.method = p[0];
	out->u.auth.data = bytes(p + 4, len - 4);
	return 0;
}

/* RFC 7296 3.9: 16 to 256 bytes. */
static int
decode_nonce(const uint8_t *p, size_t len, struct ike_payload *out,
	     const char **why)
{
	if (len < IKE_NONCE_MIN || len > IKE_NONCE_MAX)
		return fail(why, "Nonce: not 16 to 256 bytes");
	out->u.nonce = bytes(p, len);
	return 0;
}

/*
 * RFC 7296 3.10: Protocol ID(1) SPI Size(1) Notify Message Type(2) SPI
 * Notification Data.
 */
static int
decode_notify(const uint8_t *p, size_t len, struct ike_payload *out,
	      const char **why)
{
	uint8_t spi_size;

	if (len < 4)
		return fail(why, "Notify: shorter than its fixed part");
	spi_size = p[1];
	if (spi_size != 0 && spi_size != 4 && spi_size != 8)
		return fail(why, "Notify: SPI size not 0, 4 or 8");
	if (len - 4 < spi_size)
		return fail(why, "Notify: SPI runs past the payload");
	/* RFC 7296 3.10: with no SPI the Protocol ID is ignored. */
	if (spi_size != 0 && (p[0] == IKE_PROTO_NONE || p[0] > IKE_PROTO_ESP))
		return fail(why, "Notify: SPI with an unknown protocol ID");
	out->u.notify.proto = p[0];
	out->u.notify.spi_size = spi_size;
	out->u.notify.type = tw_get16(p + 2);
	out->u.notify.spi = bytes(p + 4, spi_size);
	out->u.notify.data = bytes(p + 4 + spi_size, len - 4 - spi_size);
	return 0;
}

/*
 * RFC 7296 3.11: Protocol ID(1) SPI Size(1) Num of SPIs(2) SPIs. An IKE SA
 * is deleted with SPI size 0 and no SPIs; ESP/AH with 4-byte SPIs.
 */
static int
decode_delete(const uint8_t *p, size_t len, struct ike_payload *out,
	      const char **why)
{
	uint16_t n;

	if (len < 4)
		return fail(why, "Delete: shorter than its fixed part");
	n = tw_get16(p + 2);
	switch (p[0]) {
	case IKE_PROTO_IKE:
		if (p[1] != 0 || n != 0 || len != 4)
			return fail(why, "Delete: IKE SA with SPIs");
		break;
	case IKE_PROTO_AH:
	case IKE_PROTO_ESP:
		if (p[1] != 4)
			return fail(why, "Delete: ESP/AH SPI size not 4");
		if (n == 0)
			return fail(why, "Delete: ESP/AH without SPIs");
		if (len - 4 != (size_t)n * 4)
			return fail(why, "Delete: length does not match SPIs");
		break;
	default:
		return fail(why, "Delete: unknown protocol ID");
	}
	out->u.del.proto = p[0];
	out->u.del.spi_size = p[1];
	out->u.del.n_spi = n;
	out->u.del.spis = bytes(p + 4, len - 4);
	return 0;
}

/* RFC 7296 3.15: CFG Type(1) RESERVED(3) attributes (R|type(2) len(2)). */
static int
decode_cp(const uint8_t *p, size_t len, struct ike_payload *out,
	  const char **why)
{
	size_t off = 4;
	unsigned int n = 0;
	uint16_t alen;

	if (len < 4)
		return fail(why, "CP: shorter than its fixed part");
	while (off < len) {
		if (len - off < 4)
			return fail(why, "CP: truncated attribute header");
		alen = tw_get16(p + off + 2);
		if (len - off - 4 < alen)
			return fail(why, "CP: attribute runs past the payload");
		off += 4 + (size_t)alen;
		n++;
	}
	if (n > UINT16_MAX)
		return fail(why, "CP: too many attributes");
	out->u.cp.cfg_type = p[0];
	out->u.cp.n_attrs = (uint16_t)n;
	out->u.cp.attrs = bytes(p + 4, len - 4);
	return 0;
}

int
ike_payload_decode(uint8_t type, const uint8_t *body, size_t len,
		   struct ike_payload *out, const char **why)
{
	struct ike_payload tmp;
	int rc;

	memset(&tmp, 0, sizeof(tmp));
	tmp.type = type;
	tmp.body = bytes(body, len);
	switch (type) {
	case IKE_PL_SA:
		rc = ike_payload_sa_decode(body, len, &tmp.u.sa, why);
		break;
	case IKE_PL_KE:
		rc = decode_ke(body, len, &tmp, why);
		break;
	case IKE_PL_IDI:
	case IKE_PL_IDR:
		rc = decode_id(body, len, &tmp, why);
		break;
	case IKE_PL_CERT:
	case IKE_PL_CERTREQ:
		rc = decode_cert(body, len, &tmp, why);
		break;
	case IKE_PL_AUTH:
		rc = decode_auth(body, len, &tmp, why);
		break;
	case IKE_PL_NONCE:
		rc = decode_nonce(body, len, &tmp, why);
		break;
	case IKE_PL_NOTIFY:
		rc = decode_notify(body, len, &tmp, why);
		break;
	case IKE_PL_DELETE:
		rc = decode_delete(body, len, &tmp, why);
		break;
	case IKE_PL_VENDOR:
		tmp.u.vendor = bytes(body, len);
		rc = 0;
		break;
	case IKE_PL_TSI:
	case IKE_PL_TSR:
		rc = ike_payload_ts_decode(body, len, &tmp.u.ts, why);
		break;
	case IKE_PL_CP:
		rc = decode_cp(body, len, &tmp, why);
		break;
	case IKE_PL_EAP:
		/* RFC 7296 3.16: carried; EAP is not supported. */
		tmp.u.eap = bytes(body, len);
		rc = 0;
		break;
	default:
		/* SK and SKF are framing, handled by ike_msg_decode(). */
		*why = "not a payload type with a body decoder";
		return -EINVAL;
	}
	if (rc != 0)
		return rc;
	*out = tmp;
	return 0;
}

bool
ike_payload_known(uint8_t type)
{
	switch (type) {
	case IKE_PL_SA:
	case IKE_PL_KE:
	case IKE_PL_IDI:
	case IKE_PL_IDR:
	case IKE_PL_CERT:
	case IKE_PL_CERTREQ:
	case IKE_PL_AUTH:
	case IKE_PL_NONCE:
	case IKE_PL_NOTIFY:
	case IKE_PL_DELETE:
	case IKE_PL_VENDOR:
	case IKE_PL_TSI:
	case IKE_PL_TSR:
	case IKE_PL_SK:
	case IKE_PL_CP:
	case IKE_PL_EAP:
	case IKE_PL_SKF:
		return true;
	default:
		return false;
	}
}

uint32_t
ike_delete_spi(const struct ike_pl_delete *d, unsigned int i)
{
	const uint8_t *q;

	if (d->spi_size != 4 || i >= d->n_spi)
		return 0;
	q = d->spis.p + 4 * (size_t)i;
	return tw_get32(q);
}
