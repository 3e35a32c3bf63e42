/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef HSRP_CODEC_H
#define HSRP_CODEC_H

/*
 * HSRP wire formats, as a pure codec on the UDP payload (port 1985).
 *
 * Version 1 (RFC 2281 5.1), to 224.0.0.2, a fixed 20-byte header:
 *
 *   version(0) op state hellotime(s) holdtime(s) priority group reserved
 *   authentication data (8 bytes) virtual IP (4 bytes)
 *
 * optionally followed by Cisco's 30-byte MD5 authentication TLV.
 *
 * Version 2 (Cisco), to 224.0.0.102, a sequence of TLVs (type, length,
 * value; the length counts the value only):
 *
 *   type 1, len 40: group state: version(2) op state ip-version(4)
 *       group(16 bits, 0-4095) identifier(6: the sender's interface MAC)
 *       priority(32) hellotime(32, ms) holdtime(32, ms) virtual IP(16 bytes,
 *       IPv4 in the first 4; ip-version 6: the group's link-local virtual
 *       address, fe80::5:73ff:fea0:N with the default virtual MAC)
 *   type 2, len 4: interface state (active and passive group counts): skipped
 *   type 3, len 8: text authentication (8 bytes)
 *   type 4, len 28: MD5 authentication: algorithm(1 = MD5) padding(0)
 *       flags(16) sender IP(4) key id(32) digest(16)
 *       (an IPv6 sender has no 4-byte address: the engine sends 0)
 *
 * Byte 0 tells them apart: the v1 version field is 0, a v2 packet starts
 * with TLV type 1. State numbers differ: v1 uses bits (0, 1, 2, 4, 8, 16),
 * v2 counts (1-6); both map to enum hsrp_state.
 *
 * The MD5 digest (same construction in v1 and v2) is RFC 1828 keyed MD5:
 * MD5(key || MD5-padding of the key as its own message || packet with the
 * digest field zeroed || key), through OpenSSL EVP.
 *
 * Decoders validate everything before writing *out and never touch state;
 * they return 0 or -errno with *why set. Encoders write into a caller
 * buffer and check its size.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HSRP_UDP_PORT 1985
#define HSRP_V1_GROUP_ADDR 0xe0000002u   /* 224.0.0.2, host order */
#define HSRP_V2_GROUP_ADDR 0xe0000066u   /* 224.0.0.102 */
#define HSRP_TTL 1
/*
 * Version 2 for IPv6 (Cisco "standby version 2" with "standby G ipv6"):
 * UDP 2029 to ff02::66, from the interface's link-local address, hop
 * limit 255 (so that a receiver can tell it came from the link).
 */
#define HSRP_V6_UDP_PORT 2029
#define HSRP_V6_HLIM 255
extern const uint8_t hsrp_v6_group_addr[16];     /* ff02::66 */

#define HSRP_V1_LEN 20
#define HSRP_V2_GS_LEN 42                /* group state TLV with header */
#define HSRP_TEXT_TLV_LEN 10
#define HSRP_MD5_TLV_LEN 30
#define HSRP_PKT_MAX (HSRP_V2_GS_LEN + HSRP_MD5_TLV_LEN) /* largest we send */

#define HSRP_V1_MAX_GROUP 255
#define HSRP_V2_MAX_GROUP 4095
#define HSRP_AUTH_TEXT_LEN 8
#define HSRP_MD5_KEY_MAX 64
#define HSRP_MD5_DIGEST_LEN 16
#define HSRP_MD5_ALGO 1

enum hsrp_op {
	HSRP_OP_HELLO = 0,
	HSRP_OP_COUP = 1,
	HSRP_OP_RESIGN = 2,
	HSRP_OP_MAX,
};

/* RFC 2281 6.1 states; the order is the v2 wire order minus one. */
enum hsrp_state {
	HSRP_STATE_INIT,
	HSRP_STATE_LEARN,
	HSRP_STATE_LISTEN,
	HSRP_STATE_SPEAK,
	HSRP_STATE_STANDBY,
	HSRP_STATE_ACTIVE,
	HSRP_STATE_MAX,
};

enum hsrp_auth_type {
	HSRP_AUTH_NONE,   /* v2 without an authentication TLV */
	HSRP_AUTH_TEXT,
	HSRP_AUTH_MD5,
	HSRP_AUTH_MAX,
};

/* A decoded message. Addresses and numbers in host order. */
struct hsrp_msg {
	uint8_t version;         /* 1 or 2 (v1 carries 0 on the wire) */
	enum hsrp_op op;
	enum hsrp_state state;
	uint16_t group;
	uint32_t priority;       /* v1: 0-255 */
	uint32_t hello_ms;       /* v1: seconds * 1000 */
	uint32_t hold_ms;
	uint32_t vip;            /* 0 when the sender does not know it */
	bool ipv6;               /* v2 ip-version 6: vip6, not vip */
	uint8_t vip6[16];        /* network order */
	uint8_t id[6];           /* v2 identifier (sender MAC); v1: zero */
	enum hsrp_auth_type auth;
	uint8_t text[HSRP_AUTH_TEXT_LEN];  /* HSRP_AUTH_TEXT: NUL padded */
	/* HSRP_AUTH_MD5 */
	uint8_t md5_algo;
	uint16_t md5_flags;
	uint32_t md5_ip;         /* sender's interface address */
	uint32_t md5_key_id;
	uint8_t digest[HSRP_MD5_DIGEST_LEN];
	uint16_t digest_off;     /* where the digest sits in the packet */
};

/* Names for logs and show output. */
const char *hsrp_state_name(enum hsrp_state s);
const char *hsrp_op_name(enum hsrp_op op);
const char *hsrp_auth_name(enum hsrp_auth_type a);

/*
 * Decode one UDP payload. hsrp_decode() picks the version from byte 0;
 * the other two insist on theirs. 0 on success; -EINVAL for a malformed
 * packet (truncated, bad version, op code, state, TLV length, duplicate or
 * missing TLV), -ENOTSUP for a well-formed packet we do not handle (v1
 * Advertise, op code 3). *why says which. An IPv6 group's message has
 * ipv6 set and its virtual address in vip6.
 */
int hsrp_decode(const uint8_t *p, size_t len, struct hsrp_msg *out,
		const char **why);
int hsrp_decode_v1(const uint8_t *p, size_t len, struct hsrp_msg *out,
		   const char **why);
int hsrp_decode_v2(const uint8_t *p, size_t len, struct hsrp_msg *out,
		   const char **why);

/*
 * Encode m into buf (len bytes): v1 or v2 after m->version, with the
 * authentication m->auth says (v2 with HSRP_AUTH_NONE sends no auth TLV).
 * For HSRP_AUTH_MD5 the digest is computed with md5_key (NUL-terminated,
 * at most HSRP_MD5_KEY_MAX bytes) and m->digest is ignored. v1 timers are
 * rounded up to whole seconds (1-255). Returns the length written, or
 * -ENOSPC when buf is too small, -EINVAL when m cannot be encoded (group,
 * priority or state out of range for the version, no MD5 key), -EIO when
 * the digest cannot be computed.
 */
int hsrp_encode(const struct hsrp_msg *m, const char *md5_key, uint8_t *buf,
		size_t len);

/*
 * RFC 1828 keyed MD5 over pkt (len bytes) with the 16 bytes at digest_off
 * taken as zero. 0, or -EINVAL (bad offset, key too long), -EIO (OpenSSL).
 */
int hsrp_md5_digest(const uint8_t *pkt, size_t len, size_t digest_off,
		    const char *key, uint8_t out[HSRP_MD5_DIGEST_LEN]);

/*
 * Does the decoded m (pkt/len the bytes it came from) carry the
 * authentication we expect? want_type TEXT compares the 8-byte field with
 * text (NUL padded); MD5 recomputes the digest with key and compares in
 * constant time. 0 when it matches, -EACCES otherwise with *why set.
 */
int hsrp_auth_check(const uint8_t *pkt, size_t len, const struct hsrp_msg *m,
		    enum hsrp_auth_type want_type, const char *text,
		    const char *key, const char **why);

/* Wire state numbers (v1 bits, v2 counts), exposed for tests and tools. */
uint8_t hsrp_state_to_wire(uint8_t version, enum hsrp_state s);
int hsrp_state_from_wire(uint8_t version, uint8_t w, enum hsrp_state *s);

#endif /* HSRP_CODEC_H */
