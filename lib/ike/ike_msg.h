/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef IKE_MSG_H
#define IKE_MSG_H

/*
 * IKEv2 message codec (RFC 7296 3): a pure decoder and a builder.
 *
 * DECODING validates everything first (header, every generic payload
 * header, and the body of every payload we know: lengths, counts, ranges,
 * nesting of proposals/transforms/attributes and traffic selectors), and
 * only then fills a struct ike_msg. Nothing is allocated: the payload views
 * point into the caller's buffer, which must outlive the struct ike_msg.
 * List-valued payloads (SA proposals, traffic selectors, Delete SPIs, CP
 * attributes) keep a pointer to their validated bytes plus a count, and the
 * accessors below (ike_sa_next(), ike_ts_get(), ike_delete_spi()) decode
 * one element at a time and cannot fail on a decoded message.
 *
 * A message with an Encrypted payload (SK, RFC 7296 3.14) decodes in two
 * steps:
 *
 *	ike_msg_decode(buf, len, &m, &why);         header + clear payloads;
 *	                                            m.sk describes the SK
 *	ike_sk_open(..., buf, len, &m, plain, ...)  (ike_sk.h) check the ICV
 *	                                            and decrypt
 *	ike_msg_decode_inner(&m, plain, plain_len, &why)
 *	                                            the inner payloads are
 *	                                            appended to m.pl[]
 *
 * Return values (and the notify the state machine should answer with):
 *   0            decoded
 *   -EINVAL      malformed (INVALID_SYNTAX; for an IKE_SA_INIT request,
 *                just drop it); *why says what
 *   -EPROTONOSUPPORT  major version != 2 (INVALID_MAJOR_VERSION, RFC 7296
 *                2.5; m->hdr is filled)
 *   -ENOTSUP     an unknown payload with the critical bit set: the whole
 *                message is rejected, m->unsup_critical holds its type for
 *                UNSUPPORTED_CRITICAL_PAYLOAD (RFC 7296 2.5); or an SKF
 *                (RFC 7383 fragment) payload, which we never negotiate
 *                (m->has_skf set): drop it
 *   -E2BIG       more than IKE_MSG_MAX_PAYLOADS payloads (or too many list
 *                elements): drop it
 * m->hdr is valid whenever the first 28 bytes were a valid header, even on
 * error, so a response can be addressed.
 *
 * Unknown payload types without the critical bit are skipped (counted in
 * m->n_skipped), as RFC 7296 2.5 requires. The C bit of a known payload is
 * ignored (it only applies to unknown types). Reserved fields are ignored.
 *
 * BUILDING writes into a caller buffer with bounds checks: ike_build_init()
 * writes the header, each ike_build_*() appends one payload and chains its
 * type into the previous payload's Next Payload field (or the header's),
 * and ike_build_finish() patches the total length. Errors are sticky: a
 * builder that ran out of room returns -ENOSPC from every later call and
 * from ike_build_finish(), so a sequence of calls is checked once at the
 * end. For an encrypted message call ike_build_sk_begin() after the clear
 * payloads, then the inner payloads, then ike_sk_seal() (ike_sk.h) in place
 * of ike_build_finish().
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ike_wire.h"

#define IKE_MSG_MAX_PAYLOADS 32  /* per message (clear + inner) */
#define IKE_PROP_MAX_XFORMS 64   /* transforms in one proposal */
#define IKE_SA_MAX_PROPS 64      /* proposals in one SA payload */
#define IKE_TS_MAX 16            /* selectors in one TS payload */
#define IKE_NONCE_MIN 16         /* RFC 7296 3.9 */
#define IKE_NONCE_MAX 256
#define IKE_SPI_MAX 8

/* RFC 7296 3.1 header, numbers in host order; SPIs as 64-bit integers
 * (big-endian on the wire). */
struct ike_hdr {
	uint64_t spi_i;
	uint64_t spi_r;
	uint8_t next;            /* first payload type */
	uint8_t major;
	uint8_t minor;
	uint8_t exchange;        /* enum ike_exchange */
	uint8_t flags;           /* IKE_FLAG_* */
	uint32_t msg_id;
	uint32_t length;
};

/* One transform of a proposal (RFC 7296 3.3.2). */
struct ike_xform {
	uint8_t type;            /* enum ike_xform_type */
	uint16_t id;             /* enum ike_encr/prf/integ/dh_group/esn */
	uint16_t key_len;        /* bits, from a Key Length attribute; 0: none */
	bool unknown_attr;       /* it had an attribute we do not know: such a
				  * transform must not be chosen (3.3.6) */
};

/*
 * One proposal (RFC 7296 3.3.1), received or configured. The transforms
 * are in wire (or preference) order; several of one type are alternatives.
 */
struct ike_proposal {
	uint8_t num;             /* proposal number, 1-based */
	uint8_t proto;           /* enum ike_proto */
	uint8_t spi_size;        /* 0 (IKE_SA_INIT), 8 (IKE rekey), 4 (ESP/AH) */
	uint8_t spi[IKE_SPI_MAX];
	uint8_t n_xforms;
	struct ike_xform xforms[IKE_PROP_MAX_XFORMS];
};

/*
 * One traffic selector (RFC 7296 3.13.1). IPv4 ranges in host order in
 * addr4_*; IPv6 ranges as bytes in addr6_*. A selector of an unknown type
 * decodes with its type, proto and ports only.
 */
struct ike_ts {
	uint8_t type;            /* enum ike_ts_type */
	uint8_t proto;           /* IP protocol, 0: any */
	uint16_t port_lo;        /* ICMP: type/code in RFC 7296's encoding */
	uint16_t port_hi;
	uint32_t addr4_lo;
	uint32_t addr4_hi;
	uint8_t addr6_lo[16];
	uint8_t addr6_hi[16];
};

/* A byte range inside the message (or inside the decrypted SK). */
struct ike_bytes {
	const uint8_t *p;
	size_t len;
};

struct ike_pl_sa {
	struct ike_bytes props;  /* the validated proposal substructures */
	uint8_t n_props;
};

struct ike_pl_ke {
	uint16_t group;          /* enum ike_dh_group */
	struct ike_bytes data;   /* the public value */
};

struct ike_pl_id {               /* IDi, IDr */
	uint8_t type;            /* enum ike_id_type */
	struct ike_bytes data;   /* IPv4: 4 bytes; FQDN, RFC822: no NUL */
	struct ike_bytes body;   /* RestOfIDPayload (RFC 7296 2.15): the
				  * bytes MACedIDFor[IR] is computed over */
};

struct ike_pl_cert {             /* CERT, CERTREQ: only carried */
	uint8_t encoding;
	struct ike_bytes data;
};

struct ike_pl_auth {
	uint8_t method;          /* enum ike_auth_method */
	struct ike_bytes data;
};

struct ike_pl_notify {
	uint8_t proto;           /* enum ike_proto; 0 when no SPI */
	uint8_t spi_size;
	uint16_t type;           /* enum ike_notify */
	struct ike_bytes spi;
	struct ike_bytes data;
};

struct ike_pl_delete {
	uint8_t proto;           /* IKE: no SPIs; ESP/AH: n_spi 4-byte SPIs */
	uint8_t spi_size;
	uint16_t n_spi;
	struct ike_bytes spis;
};

struct ike_pl_ts {               /* TSi, TSr */
	uint8_t n_ts;
	struct ike_bytes sel;    /* the validated selectors */
};

struct ike_pl_cp {
	uint8_t cfg_type;        /* enum ike_cfg_type */
	uint16_t n_attrs;
	struct ike_bytes attrs;  /* validated attribute TLVs, not interpreted */
};

/* One decoded payload. body is the payload after its generic header. */
struct ike_payload {
	uint8_t type;            /* enum ike_payload_type (known types only) */
	bool critical;
	bool inner;              /* came from inside SK */
	struct ike_bytes body;
	union {
		struct ike_pl_sa sa;
		struct ike_pl_ke ke;
		struct ike_pl_id id;
		struct ike_pl_cert cert;
		struct ike_pl_auth auth;
		struct ike_bytes nonce;
		struct ike_pl_notify notify;
		struct ike_pl_delete del;
		struct ike_bytes vendor;
		struct ike_pl_ts ts;
		struct ike_pl_cp cp;
		struct ike_bytes eap;
	} u;
};

/*
 * Where the Encrypted payload sits (RFC 7296 3.14). It is always the last
 * payload, so its body runs to the end of the message.
 */
struct ike_sk_info {
	bool present;
	uint8_t first_inner;     /* its Next Payload: first inner payload type */
	size_t hdr_off;          /* offset of its generic header in the message */
	size_t body_off;         /* offset of IV | ciphertext | ICV */
	size_t body_len;
};

struct ike_msg {
	struct ike_hdr hdr;
	struct ike_payload pl[IKE_MSG_MAX_PAYLOADS];
	unsigned int n_pl;
	unsigned int n_skipped;  /* unknown non-critical payloads */
	uint8_t unsup_critical;  /* type of an unknown critical payload, 0 */
	bool has_skf;            /* an RFC 7383 fragment was received */
	struct ike_sk_info sk;
};

/* Header only: enough to route a datagram to an IKE SA. Same return
 * values as ike_msg_decode() for the header part. */
int ike_hdr_decode(const uint8_t *buf, size_t len, struct ike_hdr *h,
		   const char **why);

/* The whole datagram (after the non-ESP marker on port 4500): len must be
 * the header's Length. See the top of this file for return values. */
int ike_msg_decode(const uint8_t *buf, size_t len, struct ike_msg *m,
		   const char **why);

/* The decrypted contents of the SK payload (ike_sk_open() output, without
 * padding): decoded and appended to m->pl[] with .inner set. */
int ike_msg_decode_inner(struct ike_msg *m, const uint8_t *plain,
			 size_t len, const char **why);

/* First payload of type type at or after index *from (0 to start), or
 * NULL; *from is advanced past it so it can be called in a loop. */
const struct ike_payload *ike_msg_find(const struct ike_msg *m,
				       uint8_t type, unsigned int *from);
/* First Notify of the given notify type, or NULL. */
const struct ike_payload *ike_msg_notify(const struct ike_msg *m,
					 uint16_t type);

/* Iterate the proposals of a decoded SA payload. */
struct ike_sa_iter {
	const uint8_t *p;
	size_t left;
};
void ike_sa_iter_init(struct ike_sa_iter *it, const struct ike_pl_sa *sa);
/* Next proposal into *out; false when there is none. */
bool ike_sa_next(struct ike_sa_iter *it, struct ike_proposal *out);

/* Selector i (< n_ts) of a decoded TS payload. */
void ike_ts_get(const struct ike_pl_ts *ts, unsigned int i,
		struct ike_ts *out);
/* The first min(n_ts, cap) of them into out[cap]; returns how many were
 * written. A caller compares it with n_ts to see what did not fit. */
unsigned int ike_ts_all(const struct ike_pl_ts *ts, struct ike_ts *out,
			unsigned int cap);
/* SPI i (< n_spi) of an ESP/AH Delete, host order. */
uint32_t ike_delete_spi(const struct ike_pl_delete *d, unsigned int i);

/*
 * Payload body validators and decoders, one per type (ike_payload*.c).
 * Exposed for the fuzzer and tests; ike_msg_decode() calls them.
 */
int ike_payload_decode(uint8_t type, const uint8_t *body, size_t len,
		       struct ike_payload *out, const char **why);

/* Builder (ike_build.c). */
struct ike_builder {
	uint8_t *buf;
	size_t cap;
	size_t off;
	size_t next_off;         /* Next Payload byte to patch */
	size_t sk_off;           /* SK generic header offset; 0: none */
	size_t sk_iv_len;
	int err;                 /* sticky: 0 or -ENOSPC/-EINVAL */
};

int ike_build_init(struct ike_builder *b, uint8_t *buf, size_t cap,
		   const struct ike_hdr *h);
int ike_build_sa(struct ike_builder *b, const struct ike_proposal *props,
		 unsigned int n);
int ike_build_ke(struct ike_builder *b, uint16_t group, const uint8_t *data,
		 size_t len);
/* type: IKE_PL_IDI or IKE_PL_IDR. */
int ike_build_id(struct ike_builder *b, uint8_t type, uint8_t id_type,
		 const uint8_t *data, size_t len);
/* type: IKE_PL_CERT or IKE_PL_CERTREQ. */
int ike_build_cert(struct ike_builder *b, uint8_t type, uint8_t encoding,
		   const uint8_t *data, size_t len);
int ike_build_auth(struct ike_builder *b, uint8_t method, const uint8_t *data,
		   size_t len);
int ike_build_nonce(struct ike_builder *b, const uint8_t *data, size_t len);
int ike_build_notify(struct ike_builder *b, uint8_t proto, const uint8_t *spi,
		     uint8_t spi_size, uint16_t type, const uint8_t *data,
		     size_t len);
/* proto IKE: n must be 0; ESP/AH: n SPIs (host order). */
int ike_build_delete(struct ike_builder *b, uint8_t proto,
		     const uint32_t *spis, unsigned int n);
int ike_build_vendor(struct ike_builder *b, const uint8_t *data, size_t len);
/* type: IKE_PL_TSI or IKE_PL_TSR; 1..IKE_TS_MAX selectors. */
int ike_build_ts(struct ike_builder *b, uint8_t type, const struct ike_ts *ts,
		 unsigned int n);
/* CP with raw, already encoded attributes. */
int ike_build_cp(struct ike_builder *b, uint8_t cfg_type,
		 const uint8_t *attrs, size_t len);
/* Any payload as given (tests: unknown and critical payloads). */
int ike_build_raw(struct ike_builder *b, uint8_t type, bool critical,
		  const uint8_t *body, size_t len);
/* Start the SK payload: generic header and iv_len bytes of IV room; the
 * payloads built next are its (clear) contents until ike_sk_seal(). */
int ike_build_sk_begin(struct ike_builder *b, size_t iv_len);
/* Patch the header length; returns the message length or -errno. */
int ike_build_finish(struct ike_builder *b);

#endif /* IKE_MSG_H */
