/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TW_ADDR_H
#define TW_ADDR_H

/*
 * One address type for both families, shared by lib/conf, lib/net, the SA
 * database and the fast path: a family tag and the address bytes. An IPv4
 * address is kept in host byte order (v4), as every IPv4 field of the code
 * base is; an IPv6 address is its 16 bytes in network order (v6), the way
 * it appears on the wire and in rte_fib6/rte_acl.
 *
 * Text is strict. IPv4: four decimal octets without leading zeros.
 * IPv6: RFC 4291 2.2 (at most one "::", 1-4 hex digits per group, a
 * trailing dotted quad), no zone index. Output follows RFC 5952 4 (lower
 * case, leading zeros dropped, the longest run of two or more zero groups
 * compressed, the first one on a tie), as IOS prints addresses too.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum tw_af {
	TW_AF_NONE = 0,  /* unset */
	TW_AF_INET = 4,
	TW_AF_INET6 = 6,
};

struct tw_addr {
	uint8_t family;          /* enum tw_af */
	union {
		uint32_t v4;     /* host byte order */
		uint8_t v6[16];  /* network byte order */
	};
};

struct tw_prefix {
	struct tw_addr addr;
	uint8_t len;             /* 0-32 or 0-128 */
};

/* "ffff:...:ffff" or "::ffff:255.255.255.255", and NUL. */
#define TW_ADDR_STRLEN 46
#define TW_PREFIX_STRLEN (TW_ADDR_STRLEN + 4)

static inline struct tw_addr
tw_addr_v4(uint32_t host_order)
{
	struct tw_addr a = { .family = TW_AF_INET };

	a.v4 = host_order;
	return a;
}

static inline unsigned int
tw_af_bits(uint8_t family)
{
	return family == TW_AF_INET6 ? 128 : 32;
}

/* Parse either family; 0 or -EINVAL. */
int tw_addr_parse(const char *s, struct tw_addr *a);
/* Only IPv4 text, into host byte order; 0 or -EINVAL. */
int tw_addr4_parse(const char *s, uint32_t *v4);
/* Only IPv6 text, into 16 network-order bytes; 0 or -EINVAL. */
int tw_addr6_parse(const char *s, uint8_t v6[16]);
/* "ADDR/LEN", LEN 0..32 or 0..128 (host bits not checked); 0 or -EINVAL. */
int tw_prefix_parse(const char *s, struct tw_prefix *p);

/* Both return buf (TW_ADDR_STRLEN / TW_PREFIX_STRLEN bytes suffice). */
const char *tw_addr_str(const struct tw_addr *a, char *buf, size_t len);
const char *tw_addr6_str(const uint8_t v6[16], char *buf, size_t len);
const char *tw_prefix_str(const struct tw_prefix *p, char *buf, size_t len);

bool tw_addr_eq(const struct tw_addr *a, const struct tw_addr *b);
/* A total order: family first, then the address as a number. */
int tw_addr_cmp(const struct tw_addr *a, const struct tw_addr *b);
bool tw_addr_is_zero(const struct tw_addr *a);

/* Clear the host bits of p (the network of an interface address). */
void tw_prefix_network(struct tw_prefix *p);
/* Host bits all zero. */
bool tw_prefix_is_network(const struct tw_prefix *p);
/* Host bits all one (only meaningful for IPv4 broadcast). */
bool tw_prefix_host_all_ones(const struct tw_prefix *p);
/* a lies in p (false across families). */
bool tw_prefix_contains(const struct tw_prefix *p, const struct tw_addr *a);
/* One of a and b contains the other (false across families). */
bool tw_prefix_overlaps(const struct tw_prefix *a, const struct tw_prefix *b);
bool tw_prefix_eq(const struct tw_prefix *a, const struct tw_prefix *b);

/*
 * IPv6 address classes (RFC 4291 2.4): usable as an interface's global
 * unicast address (not ::, ::1, multicast, link-local, IPv4-mapped).
 */
bool tw_addr6_is_unicast(const uint8_t v6[16]);
bool tw_addr6_is_link_local(const uint8_t v6[16]);  /* fe80::/10 */
bool tw_addr6_is_multicast(const uint8_t v6[16]);   /* ff00::/8 */
/* RFC 4291 2.7.1: ff02::1:ffXX:XXXX for the low 24 bits of v6. */
void tw_addr6_solicited_node(const uint8_t v6[16], uint8_t out[16]);
/* RFC 4291 2.5.1, 2.5.6: fe80::/64 with the modified EUI-64 of mac. */
void tw_addr6_link_local(const uint8_t mac[6], uint8_t out[16]);
/* RFC 2464 7: 33:33 and the low 32 bits of a multicast v6. */
void tw_addr6_mcast_mac(const uint8_t v6[16], uint8_t mac[6]);

#endif /* TW_ADDR_H */
