/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SYNC_MSG_H
#define SYNC_MSG_H

/*
 * The sync protocol between the twins: typed, versioned messages, as a pure
 * codec (no state, no I/O). One message is the plaintext of one frame
 * (sync_frame.h); the transport (drivers/sctp) carries frames.
 *
 * Every message starts with an 8-byte header, big-endian like the rest:
 *
 *   0        1        2                4
 *   version  type     flags (0)        length (whole message, header incl.)
 *
 * version is SYNC_MSG_VERSION; a message of another version is refused
 * (-EPROTONOSUPPORT), a type this version does not know is refused
 * (-ENOTSUP, naming the type and whether it is in a reserved range), and
 * length must equal the buffer's: one message per frame.
 *
 * Bodies by type (sizes in bytes):
 *
 *   HELLO          proto_version(2) role(1) state(1)
 *                  hostname_len(1) hostname(<= 63)
 *                  all_digest(32) n_parts(2)
 *                  n_parts x { kind(1) name_len(1) name(1-47) sha256(32) }
 *                  [rank_priority(1) rank_addr(4) split_flags(1): the
 *                  configured priority of the scheme group and the
 *                  address of its interface, which decide a split brain
 *                  (rf.h); flags bit 0: the sender yields to the
 *                  receiver after a split brain; absent in HELLOs of
 *                  earlier releases, else all 6 bytes]
 *                  [ike_age_ms(4): how long ago, when the HELLO left,
 *                  an IKE peer last spoke to the sender's active IKE
 *                  SAs (SYNC_FRESH_NONE: never; rf.h, split brain);
 *                  only after the rank, absent in earlier releases]
 *                  [more fields a later version appends: ignored]
 *                  The HELLO is the one body allowed to grow at its end, so
 *                  twins of different releases can always read each
 *                  other's version and configuration digest.
 *   KEEPALIVE      role(1) state(1) flags(1: bit 0, the sender has the
 *                  receiver's HELLO of this connection) reserved(1, 0)
 *                  count(4)
 *   BULK_REQUEST   id(4)                  the standby picks id
 *   BULK_START     id(4) count(4)         id echoes the request, count =
 *   BULK_END       id(4) count(4)         records in the BULK_RECORDS between
 *   BULK_RECORDS,  n(4), then n records:
 *   SA_ADD           kind(2) length(2: of the body) body(length)
 *   SA_DELETE      n(4), then n x { id(4) spi(4) dir(1) reserved(3, 0) }
 *   COUNTER_UPDATE n(4), then n x { id(4) spi(4) dir(1) reserved(3, 0)
 *                    seq(8) replay_bitmap(8) life_bytes(8) life_packets(8) }
 *   IKE_SA_DELETE  n(4), then n x { spi_i(8) spi_r(8) }   (type 32: an
 *                    IKE SA the active twin deleted; neither SPI 0)
 *
 * Record kinds: 1 IPSEC_SA (below), 2 IKE_SA (an IKE SA with its Child
 * SAs: the body is lib/ike's versioned record, ike_export.h, validated by
 * its own decoder; carried here as bytes, read with sync_rec_next_raw()). A record of a kind this version does not decode is
 * skipped by its length (the iterators count it), so a new kind never
 * breaks an older twin. Within a known kind, bytes after the fields this
 * version knows are ignored: a later version may append fields.
 *
 * IPSEC_SA body (one direction of a child SA, struct sync_sa_rec):
 *
 *   id(4) spi(4) dir(1: 0 in, 1 out) origin(1: 0 manual, 1 IKE)
 *   state(1: sadb INIT/INSTALLED/DECOUPLED) flags(1: bit 0 UDP encap,
 *   bit 1 ESN) cipher(1) integ(1) (enum conf_cipher/conf_integ)
 *   cipher_key_len(1) auth_key_len(1) cipher_key auth_key
 *   local_addr(4) peer_addr(4) udp_local_port(2) udp_peer_port(2)
 *   replay_window(4) replay_interval(4)
 *   seq(8: outbound last used, inbound highest seen)
 *   replay_bitmap(8: inbound, bit i = seq - i was seen; outbound 0)
 *   life_bytes(8) life_packets(8: used so far against the lifetime)
 *   map_len(1) map(0-31) map_seq(4)
 *   n_sel(1: 0-8) n_sel x { src(4) dst(4) src_len(1) dst_len(1) proto(1)
 *                           reserved(1, 0; 6: IPv6) sport_lo(2) sport_hi(2)
 *                           dport_lo(2) dport_hi(2) }
 *   with flags bit 2 (an IPv6 outer or inner, issue 18), the IPv6 part:
 *   family(1: 4 or 6, outer) inner_family(1) local6(16) peer6(16), then
 *   src6(16) dst6(16) for each IPv6 selector (reserved 6: its src and dst
 *   are 0, its lengths up to 128). An IPv4 SA's record is unchanged; a
 *   twin of the previous release refuses an IPv6 one (unknown flag) rather
 *   than misreading it.
 *
 * Reserved message type ranges: 10-31 for later core messages, 32-47 for
 * IKE (32 IKE_SA_DELETE; an IKE SA's message IDs and state travel as a
 * fresh IKE_SA record in an SA_ADD after each exchange).
 *
 * Decoding validates the whole message (every record and entry) before it
 * writes *out; lists are then read with the iterators, which cannot fail on
 * a message sync_msg_decode() accepted. Errors: 0 or -errno with a message
 * in err. Nothing trusts a length it has not checked against the buffer.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conf.h"
#include "sadb.h"
#include "tw_buf.h"

#define SYNC_MSG_VERSION 1
#define SYNC_PROTO_VERSION 1      /* carried in HELLO: what we speak */
#define SYNC_MSG_HDR_LEN 8
#define SYNC_MSG_MAX 65536        /* largest message, header included */
#define SYNC_HOSTNAME_MAX 64      /* with the NUL */
#define SYNC_SA_REC_MAX 1024      /* largest IPSEC_SA record, envelope incl. */

enum sync_msg_type {
	SYNC_MSG_HELLO = 1,
	SYNC_MSG_KEEPALIVE = 2,
	SYNC_MSG_BULK_REQUEST = 3,
	SYNC_MSG_BULK_START = 4,
	SYNC_MSG_BULK_RECORDS = 5,
	SYNC_MSG_BULK_END = 6,
	SYNC_MSG_SA_ADD = 7,
	SYNC_MSG_SA_DELETE = 8,
	SYNC_MSG_COUNTER_UPDATE = 9,
	SYNC_MSG_TYPE_MAX,
	SYNC_MSG_CORE_RESERVED_FIRST = 10,
	SYNC_MSG_CORE_RESERVED_LAST = 31,
	SYNC_MSG_IKE_FIRST = 32,
	SYNC_MSG_IKE_SA_DELETE = 32,
	SYNC_MSG_IKE_LAST = 47,
};

enum sync_rec_kind {
	SYNC_REC_IPSEC_SA = 1,
	SYNC_REC_IKE_SA = 2,      /* lib/ike's record (ike_export.h) */
	SYNC_REC_KIND_MAX,
};

/* What a twin is, as carried in HELLO and KEEPALIVE. */
enum sync_role {
	SYNC_ROLE_NONE = 0,       /* not decided yet (initialising) */
	SYNC_ROLE_ACTIVE = 1,
	SYNC_ROLE_STANDBY = 2,
	SYNC_ROLE_MAX,
};

struct sync_hello {
	uint16_t proto_version;
	enum sync_role role;
	uint8_t state;                   /* IOS RF state number (rf.h) */
	char hostname[SYNC_HOSTNAME_MAX];
	struct conf_digest digest;       /* kinds as sent (maybe unknown) */
	bool rank_known;                 /* the HELLO carried the rank */
	uint8_t rank_priority;           /* scheme group's configured priority */
	uint32_t rank_addr;              /* its interface address, host order */
	bool yielding;                   /* lost a split brain to the receiver */
	bool fresh_known;                /* the HELLO carried the IKE age */
	uint32_t fresh_age_ms;           /* SYNC_FRESH_NONE: no IKE state */
};

/* HELLO's IKE age: the sender runs no IKE SA a peer spoke to. */
#define SYNC_FRESH_NONE UINT32_MAX

struct sync_keepalive {
	enum sync_role role;
	uint8_t state;
	bool hello_seen;                 /* it has our HELLO: else resend */
	uint32_t count;                  /* keep-alives the sender sent */
};

/* BULK_REQUEST (id only), BULK_START, BULK_END. */
struct sync_bulk {
	uint32_t id;
	uint32_t count;
};

/* A validated list (records or entries) inside the message buffer. */
struct sync_list {
	const uint8_t *p;
	size_t len;
	uint32_t n;
};

/* A decoded message. Lists point into the decoded buffer. */
struct sync_msg {
	uint8_t version;
	enum sync_msg_type type;
	uint32_t len;
	union {
		struct sync_hello hello;
		struct sync_keepalive keepalive;
		struct sync_bulk bulk;
		struct sync_list list;
	} u;
};

/* One IPsec SA (one direction), as mirrored. */
struct sync_sa_rec {
	uint32_t id;                     /* the sender's sadb id */
	enum sadb_sa_state state;        /* never DELETED */
	struct sadb_sa_params p;         /* p.seq: see the layout above */
	uint64_t replay_bitmap;
	uint64_t life_bytes;
	uint64_t life_packets;
};

/* SA_DELETE entry. */
struct sync_sa_ref {
	uint32_t id;
	uint32_t spi;
	enum sadb_dir dir;
};

/* COUNTER_UPDATE entry. */
struct sync_counter {
	uint32_t id;
	uint32_t spi;
	enum sadb_dir dir;
	uint64_t seq;                    /* outbound last used, inbound highest */
	uint64_t replay_bitmap;
	uint64_t life_bytes;
	uint64_t life_packets;
};

/*
 * Validate buf[0..len) as one message and decode it into *m. 0, or
 * -EINVAL (malformed: truncated, bad length or value), -EPROTONOSUPPORT
 * (other message version), -ENOTSUP (unknown type), with err saying what
 * and where ("IPSEC_SA record 3: key length 16, aes-gcm-256 needs 36").
 * *m is untouched on error.
 */
int sync_msg_decode(const uint8_t *buf, size_t len, struct sync_msg *m,
		    char *err, size_t errlen);

/*
 * Encode a fixed-layout message (HELLO, KEEPALIVE, BULK_REQUEST,
 * BULK_START, BULK_END) into buf: its length, or -ENOSPC, or -EINVAL (a
 * list type: use the builder; a value out of range).
 */
int sync_msg_encode(const struct sync_msg *m, uint8_t *buf, size_t cap);

/*
 * Builder of list messages (BULK_RECORDS, SA_ADD, SA_DELETE,
 * COUNTER_UPDATE): begin, add items until one returns -ENOSPC (the item
 * was not added: end this message, send it, begin another), end.
 *
 *   sync_build_begin(&b, SYNC_MSG_BULK_RECORDS, buf, sizeof(buf));
 *   for each SA: if (sync_build_sa(&b, &rec) == -ENOSPC) { flush; again }
 *   len = sync_build_end(&b);
 */
struct sync_builder {
	struct tw_buf_w w;
	enum sync_msg_type type;
	uint32_t n;
};

/* -EINVAL for a type that is not a list, -ENOSPC if cap is too small. */
int sync_build_begin(struct sync_builder *b, enum sync_msg_type type,
		     uint8_t *buf, size_t cap);
/* IPSEC_SA record (BULK_RECORDS, SA_ADD): -EINVAL if the record would not
 * pass validation on the other side (err says why), -ENOSPC when full. */
int sync_build_sa(struct sync_builder *b, const struct sync_sa_rec *r,
		  char *err, size_t errlen);
/* A record of any kind from its body bytes (the IKE issue; tests). */
int sync_build_record(struct sync_builder *b, uint16_t kind,
		      const uint8_t *body, uint16_t len);
int sync_build_delete(struct sync_builder *b, const struct sync_sa_ref *d);
int sync_build_counter(struct sync_builder *b, const struct sync_counter *c);
/* IKE_SA_DELETE entry: -EINVAL for a zero SPI. */
int sync_build_ike_delete(struct sync_builder *b, uint64_t spi_i,
			  uint64_t spi_r);
/* Finish: the message's length, or -ENOSPC if anything overflowed. */
int sync_build_end(struct sync_builder *b);

/*
 * Iterators over a decoded list message. Each returns 1 with the next
 * item, 0 at the end. Records of kinds this version does not decode are
 * skipped and counted in it->skipped.
 */
struct sync_iter {
	struct tw_buf_r r;
	uint32_t left;
	uint32_t skipped;
};

void sync_iter_init(struct sync_iter *it, const struct sync_msg *m);
int sync_rec_next(struct sync_iter *it, struct sync_sa_rec *out);
int sync_del_next(struct sync_iter *it, struct sync_sa_ref *out);
int sync_ctr_next(struct sync_iter *it, struct sync_counter *out);
/* Every record of BULK_RECORDS / SA_ADD, whatever its kind: the body
 * points into the message (its decoder validates it). */
int sync_rec_next_raw(struct sync_iter *it, uint16_t *kind,
		      const uint8_t **body, uint16_t *len);
int sync_ike_del_next(struct sync_iter *it, uint64_t *spi_i, uint64_t *spi_r);

const char *sync_msg_type_name(enum sync_msg_type t);
const char *sync_rec_kind_name(enum sync_rec_kind k);
const char *sync_role_name(enum sync_role r);

#endif /* SYNC_MSG_H */
