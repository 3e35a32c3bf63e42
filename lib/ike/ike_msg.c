/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IKEv2 message framing (RFC 7296 3.1, 3.2): the header and the chain of
 * generic payload headers, with the critical bit rule of 2.5 and the SK
 * payload as the last one (3.14).
 */
#include <errno.h>
#include <string.h>

#include "ike_msg.h"
#include "ike_payload.h"
#include "tw_bytes.h"

int
ike_hdr_decode(const uint8_t *buf, size_t len, struct ike_hdr *h,
	       const char **why)
{
	struct ike_hdr t;

	if (len < IKE_HDR_LEN) {
		*why = "shorter than the IKE header";
		return -EINVAL;
	}
	t.spi_i = tw_get64(buf);
	t.spi_r = tw_get64(buf + 8);
	t.next = buf[16];
	t.major = buf[17] >> 4;
	t.minor = buf[17] & 0x0f;
	t.exchange = buf[18];
	t.flags = buf[19];
	t.msg_id = tw_get32(buf + 20);
	t.length = tw_get32(buf + 24);
	if (t.length < IKE_HDR_LEN) {
		*why = "header length shorter than the header";
		return -EINVAL;
	}
	*h = t;
	/* RFC 7296 2.5: a higher major version is answered with
	 * INVALID_MAJOR_VERSION; the minor version is ignored. */
	if (t.major != IKE_MAJOR_VERSION) {
		*why = "major version is not 2";
		return -EPROTONOSUPPORT;
	}
	return 0;
}

/*
 * Walk the chain starting with type next over [off, len) of p. Inner
 * payloads (inside SK) cannot contain another SK. On success the payloads
 * are in m->pl[] from index m->n_pl on.
 */
static int
walk(struct ike_msg *m, const uint8_t *p, size_t len, size_t off,
     uint8_t next, bool inner, const char **why)
{
	struct ike_payload *pl;
	uint16_t plen;
	uint8_t type, flags;
	int rc;

	while (next != IKE_PL_NONE) {
		type = next;
		if (len - off < IKE_GEN_HDR_LEN) {
			*why = "truncated generic payload header";
			return -EINVAL;
		}
		next = p[off];
		flags = p[off + 1];
		plen = tw_get16(p + off + 2);
		if (plen < IKE_GEN_HDR_LEN || plen > len - off) {
			*why = "bad payload length";
			return -EINVAL;
		}
		if (type == IKE_PL_SKF) {
			/* RFC 7383: only sent to a peer that announced
			 * IKEV2_FRAGMENTATION_SUPPORTED, which we never do. */
			m->has_skf = true;
			*why = "IKE fragment (SKF, RFC 7383) not supported";
			return -ENOTSUP;
		}
		if (type == IKE_PL_SK) {
			if (inner) {
				*why = "SK payload inside SK";
				return -EINVAL;
			}
			/* RFC 7296 3.14: it is the last payload. */
			if (off + plen != len) {
				*why = "SK payload is not the last payload";
				return -EINVAL;
			}
			if (plen == IKE_GEN_HDR_LEN) {
				*why = "empty SK payload";
				return -EINVAL;
			}
			if (m->sk.present) {
				*why = "two SK payloads";
				return -EINVAL;
			}
			m->sk.present = true;
			m->sk.first_inner = next;
			m->sk.hdr_off = off;
			m->sk.body_off = off + IKE_GEN_HDR_LEN;
			m->sk.body_len = plen - IKE_GEN_HDR_LEN;
			return 0;
		}
		if (!ike_payload_known(type)) {
			/* RFC 7296 2.5: skip it unless it is critical, in
			 * which case the whole message is rejected. */
			if (flags & IKE_PL_CRITICAL) {
				m->unsup_critical = type;
				*why = "unknown payload with the critical bit";
				return -ENOTSUP;
			}
			m->n_skipped++;
			off += plen;
			continue;
		}
		if (m->n_pl >= IKE_MSG_MAX_PAYLOADS) {
			*why = "too many payloads";
			return -E2BIG;
		}
		pl = &m->pl[m->n_pl];
		rc = ike_payload_decode(type, p + off + IKE_GEN_HDR_LEN,
					plen - IKE_GEN_HDR_LEN, pl, why);
		if (rc != 0)
			return rc;
		pl->critical = (flags & IKE_PL_CRITICAL) != 0;
		pl->inner = inner;
		m->n_pl++;
		off += plen;
	}
	if (off != len) {
		*why = "bytes after the last payload";
		return -EINVAL;
	}
	return 0;
}

int
ike_msg_decode(const uint8_t *buf, size_t len, struct ike_msg *m,
	       const char **why)
{
	int rc;

	memset(m, 0, sizeof(*m));
	rc = ike_hdr_decode(buf, len, &m->hdr, why);
	if (rc != 0)
		return rc;
	if (m->hdr.length != len) {
		*why = "header length is not the datagram length";
		return -EINVAL;
	}
	rc = walk(m, buf, len, IKE_HDR_LEN, m->hdr.next, false, why);
	if (rc != 0) {
		/* Never half-decoded: only the header (and the reason
		 * fields) survive a failure. */
		m->n_pl = 0;
		memset(&m->sk, 0, sizeof(m->sk));
	}
	return rc;
}

int
ike_msg_decode_inner(struct ike_msg *m, const uint8_t *plain, size_t len,
		     const char **why)
{
	unsigned int n0 = m->n_pl, skipped0 = m->n_skipped;
	int rc;

	if (!m->sk.present) {
		*why = "no SK payload in this message";
		return -EINVAL;
	}
	rc = walk(m, plain, len, 0, m->sk.first_inner, true, why);
	if (rc != 0) {
		m->n_pl = n0;
		m->n_skipped = skipped0;
	}
	return rc;
}

const struct ike_payload *
ike_msg_find(const struct ike_msg *m, uint8_t type, unsigned int *from)
{
	unsigned int i;

	for (i = *from; i < m->n_pl; i++) {
		if (m->pl[i].type == type) {
			*from = i + 1;
			return &m->pl[i];
		}
	}
	*from = m->n_pl;
	return NULL;
}

const struct ike_payload *
ike_msg_notify(const struct ike_msg *m, uint16_t type)
{
	unsigned int i;

	for (i = 0; i < m->n_pl; i++)
		if (m->pl[i].type == IKE_PL_NOTIFY &&
		    m->pl[i].u.notify.type == type)
			return &m->pl[i];
	return NULL;
}
