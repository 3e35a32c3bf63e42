/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef IKE_WIRE_H
#define IKE_WIRE_H

/*
 * IKEv2 wire numbers (RFC 7296 3, IANA "IKEv2 Parameters") and their names.
 *
 * The enums carry the IANA values so they can be written to and compared
 * with the wire directly; a value we do not know is still representable
 * (the fields that hold them are plain integers) and its name is "?" or
 * "UNKNOWN(n)"-style from the *_name() functions, which never return NULL.
 */

#include <stdint.h>

#define IKE_UDP_PORT 500
#define IKE_NATT_PORT 4500        /* RFC 3948: after the non-ESP marker */
#define IKE_HDR_LEN 28
#define IKE_GEN_HDR_LEN 4         /* generic payload header */
#define IKE_MAJOR_VERSION 2
#define IKE_MINOR_VERSION 0

/* RFC 7296 3.1 exchange types. */
enum ike_exchange {
	IKE_EXCH_SA_INIT = 34,
	IKE_EXCH_AUTH = 35,
	IKE_EXCH_CREATE_CHILD_SA = 36,
	IKE_EXCH_INFORMATIONAL = 37,
};

/* RFC 7296 3.1 header flags. */
#define IKE_FLAG_INITIATOR 0x08   /* I: sent by the original initiator */
#define IKE_FLAG_VERSION 0x10     /* V: can speak a higher major version */
#define IKE_FLAG_RESPONSE 0x20    /* R: this is a response */

/* RFC 7296 3.2 payload types (and RFC 7383 SKF). */
enum ike_payload_type {
	IKE_PL_NONE = 0,
	IKE_PL_SA = 33,
	IKE_PL_KE = 34,
	IKE_PL_IDI = 35,
	IKE_PL_IDR = 36,
	IKE_PL_CERT = 37,
	IKE_PL_CERTREQ = 38,
	IKE_PL_AUTH = 39,
	IKE_PL_NONCE = 40,
	IKE_PL_NOTIFY = 41,
	IKE_PL_DELETE = 42,
	IKE_PL_VENDOR = 43,
	IKE_PL_TSI = 44,
	IKE_PL_TSR = 45,
	IKE_PL_SK = 46,
	IKE_PL_CP = 47,
	IKE_PL_EAP = 48,
	IKE_PL_SKF = 53,          /* RFC 7383 Encrypted Fragment */
};

#define IKE_PL_CRITICAL 0x80      /* RFC 7296 3.2: the C bit */

/* RFC 7296 3.3.1 protocol IDs (SA proposals, Notify, Delete). */
enum ike_proto {
	IKE_PROTO_NONE = 0,
	IKE_PROTO_IKE = 1,
	IKE_PROTO_AH = 2,
	IKE_PROTO_ESP = 3,
};

/* RFC 7296 3.3.2 transform types. */
enum ike_xform_type {
	IKE_XF_ENCR = 1,
	IKE_XF_PRF = 2,
	IKE_XF_INTEG = 3,
	IKE_XF_DH = 4,
	IKE_XF_ESN = 5,
};
#define IKE_XF_TYPE_MAX 6         /* array size indexed by type */

/* Transform type 1. */
enum ike_encr {
	IKE_ENCR_AES_CBC = 12,        /* RFC 3602; needs a Key Length */
	IKE_ENCR_AES_GCM_8 = 18,
	IKE_ENCR_AES_GCM_12 = 19,
	IKE_ENCR_AES_GCM_16 = 20,     /* RFC 5282 (IKE), RFC 4106 (ESP) */
};

/* Transform type 2. */
enum ike_prf {
	IKE_PRF_HMAC_MD5 = 1,
	IKE_PRF_HMAC_SHA1 = 2,
	IKE_PRF_HMAC_SHA2_256 = 5,    /* RFC 4868 */
	IKE_PRF_HMAC_SHA2_384 = 6,
	IKE_PRF_HMAC_SHA2_512 = 7,
};

/* Transform type 3. */
enum ike_integ {
	IKE_INTEG_NONE = 0,
	IKE_INTEG_HMAC_SHA1_96 = 2,   /* RFC 2404 (ESP only here) */
	IKE_INTEG_HMAC_SHA2_256_128 = 12, /* RFC 4868 */
	IKE_INTEG_HMAC_SHA2_384_192 = 13,
	IKE_INTEG_HMAC_SHA2_512_256 = 14,
};

/* Transform type 4. */
enum ike_dh_group {
	IKE_DH_NONE = 0,
	IKE_DH_MODP_2048 = 14,        /* RFC 3526 */
	IKE_DH_ECP_256 = 19,          /* RFC 5903 */
	IKE_DH_ECP_384 = 20,
	IKE_DH_CURVE25519 = 31,       /* RFC 8031 */
};

/* Transform type 5. */
enum ike_esn {
	IKE_ESN_NO = 0,
	IKE_ESN_YES = 1,
};

/* RFC 7296 3.3.5 transform attribute types. */
#define IKE_ATTR_KEY_LENGTH 14
#define IKE_ATTR_AF 0x8000        /* TV format (value in the header) */

/* RFC 7296 3.5 identification types. */
enum ike_id_type {
	IKE_ID_IPV4_ADDR = 1,
	IKE_ID_FQDN = 2,
	IKE_ID_RFC822_ADDR = 3,
	IKE_ID_IPV6_ADDR = 5,
	IKE_ID_DER_ASN1_DN = 9,
	IKE_ID_DER_ASN1_GN = 10,
	IKE_ID_KEY_ID = 11,
};

/* RFC 7296 3.8 authentication methods. */
enum ike_auth_method {
	IKE_AUTH_RSA_SIG = 1,
	IKE_AUTH_PSK = 2,             /* Shared Key Message Integrity Code */
	IKE_AUTH_DSS_SIG = 3,
	IKE_AUTH_DIGITAL_SIG = 14,    /* RFC 7427 */
};

/* RFC 7296 3.10.1 notify message types: errors below 16384. */
enum ike_notify {
	IKE_N_UNSUPPORTED_CRITICAL_PAYLOAD = 1,
	IKE_N_INVALID_IKE_SPI = 4,
	IKE_N_INVALID_MAJOR_VERSION = 5,
	IKE_N_INVALID_SYNTAX = 7,
	IKE_N_INVALID_MESSAGE_ID = 9,
	IKE_N_INVALID_SPI = 11,
	IKE_N_NO_PROPOSAL_CHOSEN = 14,
	IKE_N_INVALID_KE_PAYLOAD = 17,
	IKE_N_AUTHENTICATION_FAILED = 24,
	IKE_N_SINGLE_PAIR_REQUIRED = 34,
	IKE_N_NO_ADDITIONAL_SAS = 35,
	IKE_N_INTERNAL_ADDRESS_FAILURE = 36,
	IKE_N_FAILED_CP_REQUIRED = 37,
	IKE_N_TS_UNACCEPTABLE = 38,
	IKE_N_INVALID_SELECTORS = 39,
	IKE_N_TEMPORARY_FAILURE = 43,
	IKE_N_CHILD_SA_NOT_FOUND = 44,
	IKE_N_ERROR_MAX = 16383,
	IKE_N_INITIAL_CONTACT = 16384,
	IKE_N_SET_WINDOW_SIZE = 16385,
	IKE_N_ADDITIONAL_TS_POSSIBLE = 16386,
	IKE_N_IPCOMP_SUPPORTED = 16387,
	IKE_N_NAT_DETECTION_SOURCE_IP = 16388,
	IKE_N_NAT_DETECTION_DESTINATION_IP = 16389,
	IKE_N_COOKIE = 16390,
	IKE_N_USE_TRANSPORT_MODE = 16391,
	IKE_N_HTTP_CERT_LOOKUP_SUPPORTED = 16392,
	IKE_N_REKEY_SA = 16393,
	IKE_N_ESP_TFC_PADDING_NOT_SUPPORTED = 16394,
	IKE_N_NON_FIRST_FRAGMENTS_ALSO = 16395,
	IKE_N_MOBIKE_SUPPORTED = 16396,
	IKE_N_MULTIPLE_AUTH_SUPPORTED = 16404,
	IKE_N_REDIRECT_SUPPORTED = 16406,
	IKE_N_IKEV2_FRAGMENTATION_SUPPORTED = 16430, /* RFC 7383 */
	IKE_N_SIGNATURE_HASH_ALGORITHMS = 16431,     /* RFC 7427 */
};

/* RFC 7296 3.13.1 traffic selector types. */
enum ike_ts_type {
	IKE_TS_IPV4_ADDR_RANGE = 7,
	IKE_TS_IPV6_ADDR_RANGE = 8,
};

/* RFC 7296 3.6 certificate encodings (only named, never processed). */
#define IKE_CERT_X509_SIG 4

/* RFC 7296 3.15 configuration payload types. */
enum ike_cfg_type {
	IKE_CFG_REQUEST = 1,
	IKE_CFG_REPLY = 2,
	IKE_CFG_SET = 3,
	IKE_CFG_ACK = 4,
};

/* Names for logs and show output; never NULL ("?" when unknown). */
const char *ike_exchange_name(unsigned int v);
const char *ike_payload_name(unsigned int v);
const char *ike_proto_name(unsigned int v);
const char *ike_xform_type_name(unsigned int v);
const char *ike_encr_name(unsigned int v);
const char *ike_prf_name(unsigned int v);
const char *ike_integ_name(unsigned int v);
const char *ike_dh_name(unsigned int v);
const char *ike_esn_name(unsigned int v);
const char *ike_id_type_name(unsigned int v);
const char *ike_auth_method_name(unsigned int v);
const char *ike_notify_name(unsigned int v);
const char *ike_ts_type_name(unsigned int v);
/* Name of a transform id of the given type. */
const char *ike_xform_id_name(unsigned int type, unsigned int id);

#endif /* IKE_WIRE_H */
