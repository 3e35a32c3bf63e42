/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <string.h>

#include "tw_bytes.h"
#include "hsrp_codec.h"

/* v2 TLV types (Cisco; as Wireshark's packet-hsrp.c dissects them). */
enum hsrp_tlv {
	HSRP_TLV_GROUP_STATE = 1,
	HSRP_TLV_IF_STATE = 2,
	HSRP_TLV_TEXT_AUTH = 3,
	HSRP_TLV_MD5_AUTH = 4,
};

#define HSRP_GS_VLEN 40
#define HSRP_TEXT_VLEN 8
#define HSRP_MD5_VLEN 28
#define HSRP_IPV4 4
#define HSRP_IPV6 6
#define HSRP_OP_ADVERTISE 3

const uint8_t hsrp_v6_group_addr[16] = { 0xff, 0x02, [15] = 0x66 };

static const char *const op_names[HSRP_OP_MAX] = {
	[HSRP_OP_HELLO] = "Hello",
	[HSRP_OP_COUP] = "Coup",
	[HSRP_OP_RESIGN] = "Resign",
};

static const char *const auth_names[HSRP_AUTH_MAX] = {
	[HSRP_AUTH_NONE] = "none",
	[HSRP_AUTH_TEXT] = "text",
	[HSRP_AUTH_MD5] = "md5",
};

/* RFC 2281 5.1: v1 states are single bits. */
static const uint8_t v1_wire_state[HSRP_STATE_MAX] = {
	[HSRP_STATE_INIT] = 0,
	[HSRP_STATE_LEARN] = 1,
	[HSRP_STATE_LISTEN] = 2,
	[HSRP_STATE_SPEAK] = 4,
	[HSRP_STATE_STANDBY] = 8,
	[HSRP_STATE_ACTIVE] = 16,
};

const char *
hsrp_op_name(enum hsrp_op op)
{
	if ((unsigned int)op >= HSRP_OP_MAX)
		return "?";
	return op_names[op];
}

const char *
hsrp_auth_name(enum hsrp_auth_type a)
{
	if ((unsigned int)a >= HSRP_AUTH_MAX)
		return "?";
	return auth_names[a];
}

uint8_t
hsrp_state_to_wire(uint8_t version, enum hsrp_state s)
{
	if ((unsigned int)s >= HSRP_STATE_MAX)
		return 0xff;
	return version == 1 ? v1_wire_state[s] : (uint8_t)(s + 1);
}

int
hsrp_state_from_wire(uint8_t version, uint8_t w, enum hsrp_state *s)
{
	unsigned int i;

	if (version == 1) {
		for (i = 0; i < HSRP_STATE_MAX; i++) {
			if (v1_wire_state[i] == w) {
				*s = (enum hsrp_state)i;
				return 0;
			}
		}
		return -EINVAL;
	}
	/* v2: 0 is "Disabled", which is never sent. */
	if (w < 1 || w > HSRP_STATE_MAX)
		return -EINVAL;
	*s = (enum hsrp_state)(w - 1);
	return 0;
}

static int
fail(const char **why, const char *msg, int err)
{
	if (why != NULL)
		*why = msg;
	return err;
}

/* The MD5 TLV value (28 bytes at p); off is where the TLV header starts. */
static int
decode_md5_tlv(const uint8_t *p, size_t off, struct hsrp_msg *m,
	       const char **why)
{
	if (p[0] != HSRP_MD5_ALGO)
		return fail(why, "unknown MD5 TLV algorithm", -EINVAL);
	m->auth = HSRP_AUTH_MD5;
	m->md5_algo = p[0];
	m->md5_flags = tw_get16(p + 2);
	m->md5_ip = tw_get32(p + 4);
	m->md5_key_id = tw_get32(p + 8);
	memcpy(m->digest, p + 12, HSRP_MD5_DIGEST_LEN);
	m->digest_off = (uint16_t)(off + 2 + 12);
	return 0;
}

int
hsrp_decode_v1(const uint8_t *p, size_t len, struct hsrp_msg *out,
	       const char **why)
{
	struct hsrp_msg m;
	int rc;

	if (len < HSRP_V1_LEN)
		return fail(why, "truncated v1 packet", -EINVAL);
	if (p[0] != 0)
		return fail(why, "bad version", -EINVAL);
	if (p[1] == HSRP_OP_ADVERTISE)
		return fail(why, "v1 Advertise not handled", -ENOTSUP);
	if (p[1] >= HSRP_OP_MAX)
		return fail(why, "bad op code", -EINVAL);
	memset(&m, 0, sizeof(m));
	m.version = 1;
	m.op = (enum hsrp_op)p[1];
	if (hsrp_state_from_wire(1, p[2], &m.state) < 0)
		return fail(why, "bad state", -EINVAL);
	m.hello_ms = p[3] * 1000u;
	m.hold_ms = p[4] * 1000u;
	m.priority = p[5];
	m.group = p[6];
	/* p[7] is reserved: ignored on receipt. */
	memcpy(m.text, p + 8, HSRP_AUTH_TEXT_LEN);
	m.vip = tw_get32(p + 16);
	m.auth = HSRP_AUTH_TEXT;
	if (len == HSRP_V1_LEN)
		goto done;
	/*
	 * Cisco appends the v2 MD5 TLV to a v1 header (Wireshark: a 50-byte
	 * payload); the text field is then zero. Anything else is junk.
	 */
	if (len != HSRP_V1_LEN + HSRP_MD5_TLV_LEN)
		return fail(why, "unexpected bytes after the v1 header",
			    -EINVAL);
	if (p[20] != HSRP_TLV_MD5_AUTH || p[21] != HSRP_MD5_VLEN)
		return fail(why, "bad TLV after the v1 header", -EINVAL);
	rc = decode_md5_tlv(p + 22, HSRP_V1_LEN, &m, why);
	if (rc < 0)
		return rc;
done:
	*out = m;
	return 0;
}

static int
decode_group_state(const uint8_t *v, struct hsrp_msg *m, const char **why)
{
	if (v[0] != 2)
		return fail(why, "bad version in group state TLV", -EINVAL);
	if (v[1] == HSRP_OP_ADVERTISE || v[1] >= HSRP_OP_MAX)
		return fail(why, "bad op code", -EINVAL);
	m->op = (enum hsrp_op)v[1];
	if (hsrp_state_from_wire(2, v[2], &m->state) < 0)
		return fail(why, "bad state", -EINVAL);
	if (v[3] != HSRP_IPV4 && v[3] != HSRP_IPV6)
		return fail(why, "bad IP version", -EINVAL);
	m->group = tw_get16(v + 4);
	if (m->group > HSRP_V2_MAX_GROUP)
		return fail(why, "group number above 4095", -EINVAL);
	memcpy(m->id, v + 6, 6);
	m->priority = tw_get32(v + 12);
	m->hello_ms = tw_get32(v + 16);
	m->hold_ms = tw_get32(v + 20);
	if (v[3] == HSRP_IPV6) {
		m->ipv6 = true;
		memcpy(m->vip6, v + 24, 16);
		return 0;
	}
	m->vip = tw_get32(v + 24);
	/* v + 28: the other 12 bytes of the address field, IPv6 only. */
	return 0;
}

int
hsrp_decode_v2(const uint8_t *p, size_t len, struct hsrp_msg *out,
	       const char **why)
{
	struct hsrp_msg m;
	bool have_gs = false;
	size_t off = 0;
	int rc;

	memset(&m, 0, sizeof(m));
	m.version = 2;
	m.auth = HSRP_AUTH_NONE;
	if (len < HSRP_V2_GS_LEN)
		return fail(why, "truncated v2 packet", -EINVAL);
	if (p[0] != HSRP_TLV_GROUP_STATE)
		return fail(why, "v2 packet does not start with a group state TLV",
			    -EINVAL);
	while (off < len) {
		uint8_t type, vlen;
		const uint8_t *v;

		if (len - off < 2)
			return fail(why, "truncated TLV header", -EINVAL);
		type = p[off];
		vlen = p[off + 1];
		if (len - off - 2 < vlen)
			return fail(why, "TLV runs past the packet", -EINVAL);
		v = p + off + 2;
		switch (type) {
		case HSRP_TLV_GROUP_STATE:
			if (vlen != HSRP_GS_VLEN)
				return fail(why, "bad group state TLV length",
					    -EINVAL);
			if (have_gs)
				return fail(why, "two group state TLVs",
					    -EINVAL);
			rc = decode_group_state(v, &m, why);
			if (rc < 0)
				return rc;
			have_gs = true;
			break;
		case HSRP_TLV_TEXT_AUTH:
			if (vlen != HSRP_TEXT_VLEN)
				return fail(why, "bad text auth TLV length",
					    -EINVAL);
			if (m.auth != HSRP_AUTH_NONE)
				return fail(why, "two authentication TLVs",
					    -EINVAL);
			m.auth = HSRP_AUTH_TEXT;
			memcpy(m.text, v, HSRP_AUTH_TEXT_LEN);
			break;
		case HSRP_TLV_MD5_AUTH:
			if (vlen != HSRP_MD5_VLEN)
				return fail(why, "bad MD5 auth TLV length",
					    -EINVAL);
			if (m.auth != HSRP_AUTH_NONE)
				return fail(why, "two authentication TLVs",
					    -EINVAL);
			rc = decode_md5_tlv(v, off, &m, why);
			if (rc < 0)
				return rc;
			break;
		default:
			/* Interface state (2) and unknown TLVs: skipped. */
			break;
		}
		off += 2 + (size_t)vlen;
	}
	*out = m;
	return 0;
}

int
hsrp_decode(const uint8_t *p, size_t len, struct hsrp_msg *out,
	    const char **why)
{
	if (len < 1)
		return fail(why, "empty packet", -EINVAL);
	if (p[0] == 0)
		return hsrp_decode_v1(p, len, out, why);
	if (p[0] == HSRP_TLV_GROUP_STATE)
		return hsrp_decode_v2(p, len, out, why);
	return fail(why, "bad version", -EINVAL);
}

static uint8_t
v1_seconds(uint32_t ms)
{
	uint32_t s = (ms + 999) / 1000;

	if (s < 1)
		return 1;
	return s > 255 ? 255 : (uint8_t)s;
}

/* The MD5 TLV at p with a zero digest; the caller signs afterwards. */
static void
encode_md5_tlv(uint8_t *p, const struct hsrp_msg *m)
{
	p[0] = HSRP_TLV_MD5_AUTH;
	p[1] = HSRP_MD5_VLEN;
	p[2] = HSRP_MD5_ALGO;
	p[3] = 0;
	tw_put16(p + 4, m->md5_flags);
	tw_put32(p + 6, m->md5_ip);
	tw_put32(p + 10, m->md5_key_id);
	memset(p + 14, 0, HSRP_MD5_DIGEST_LEN);
}

static int
encode_v1(const struct hsrp_msg *m, uint8_t *p, size_t len)
{
	size_t need = HSRP_V1_LEN;

	if (m->group > HSRP_V1_MAX_GROUP || m->priority > 255)
		return -EINVAL;
	if (m->auth == HSRP_AUTH_MD5)
		need += HSRP_MD5_TLV_LEN;
	else if (m->auth != HSRP_AUTH_TEXT)
		return -EINVAL; /* v1 always carries the text field */
	if (len < need)
		return -ENOSPC;
	p[0] = 0;
	p[1] = (uint8_t)m->op;
	p[2] = hsrp_state_to_wire(1, m->state);
	p[3] = v1_seconds(m->hello_ms);
	p[4] = v1_seconds(m->hold_ms);
	p[5] = (uint8_t)m->priority;
	p[6] = (uint8_t)m->group;
	p[7] = 0;
	if (m->auth == HSRP_AUTH_TEXT)
		memcpy(p + 8, m->text, HSRP_AUTH_TEXT_LEN);
	else
		memset(p + 8, 0, HSRP_AUTH_TEXT_LEN);
	tw_put32(p + 16, m->vip);
	if (m->auth == HSRP_AUTH_MD5)
		encode_md5_tlv(p + HSRP_V1_LEN, m);
	return (int)need;
}

static int
encode_v2(const struct hsrp_msg *m, uint8_t *p, size_t len)
{
	size_t need = HSRP_V2_GS_LEN;

	if (m->group > HSRP_V2_MAX_GROUP)
		return -EINVAL;
	if (m->auth == HSRP_AUTH_TEXT)
		need += HSRP_TEXT_TLV_LEN;
	else if (m->auth == HSRP_AUTH_MD5)
		need += HSRP_MD5_TLV_LEN;
	else if (m->auth != HSRP_AUTH_NONE)
		return -EINVAL;
	if (len < need)
		return -ENOSPC;
	p[0] = HSRP_TLV_GROUP_STATE;
	p[1] = HSRP_GS_VLEN;
	p[2] = 2;
	p[3] = (uint8_t)m->op;
	p[4] = hsrp_state_to_wire(2, m->state);
	p[5] = m->ipv6 ? HSRP_IPV6 : HSRP_IPV4;
	tw_put16(p + 6, m->group);
	memcpy(p + 8, m->id, 6);
	tw_put32(p + 14, m->priority);
	tw_put32(p + 18, m->hello_ms);
	tw_put32(p + 22, m->hold_ms);
	if (m->ipv6) {
		memcpy(p + 26, m->vip6, 16);
	} else {
		tw_put32(p + 26, m->vip);
		memset(p + 30, 0, 12);
	}
	if (m->auth == HSRP_AUTH_TEXT) {
		p[42] = HSRP_TLV_TEXT_AUTH;
		p[43] = HSRP_TEXT_VLEN;
		memcpy(p + 44, m->text, HSRP_AUTH_TEXT_LEN);
	} else if (m->auth == HSRP_AUTH_MD5) {
		encode_md5_tlv(p + HSRP_V2_GS_LEN, m);
	}
	return (int)need;
}

int
hsrp_encode(const struct hsrp_msg *m, const char *md5_key, uint8_t *buf,
	    size_t len)
{
	int n, rc;

	if (m == NULL || buf == NULL)
		return -EINVAL;
	if ((unsigned int)m->op >= HSRP_OP_MAX ||
	    (unsigned int)m->state >= HSRP_STATE_MAX)
		return -EINVAL;
	if (m->auth == HSRP_AUTH_MD5 && md5_key == NULL)
		return -EINVAL;
	if (m->version == 1 && m->ipv6)
		return -EINVAL; /* IPv6 groups are version 2 only */
	if (m->version == 1)
		n = encode_v1(m, buf, len);
	else if (m->version == 2)
		n = encode_v2(m, buf, len);
	else
		return -EINVAL;
	if (n < 0 || m->auth != HSRP_AUTH_MD5)
		return n;
	/* The digest is the last 16 bytes of the MD5 TLV, which ends the packet. */
	rc = hsrp_md5_digest(buf, (size_t)n, (size_t)n - HSRP_MD5_DIGEST_LEN,
			     md5_key, buf + n - HSRP_MD5_DIGEST_LEN);
	return rc < 0 ? rc : n;
}
