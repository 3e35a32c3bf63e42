/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Name tables of the IKEv2 wire numbers (ike_wire.h). The values are sparse
 * (IANA registries), so each table is a list of {value, name} pairs.
 */
#include <stddef.h>

#include "ike_wire.h"

struct ike_name {
	unsigned int v;
	const char *name;
};

#define N(x, s) { (x), (s) }
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static const char *
lookup(const struct ike_name *t, size_t n, unsigned int v)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (t[i].v == v)
			return t[i].name;
	return "?";
}

static const struct ike_name exchange_names[] = {
	N(IKE_EXCH_SA_INIT, "IKE_SA_INIT"),
	N(IKE_EXCH_AUTH, "IKE_AUTH"),
	N(IKE_EXCH_CREATE_CHILD_SA, "CREATE_CHILD_SA"),
	N(IKE_EXCH_INFORMATIONAL, "INFORMATIONAL"),
};

static const struct ike_name payload_names[] = {
	N(IKE_PL_NONE, "NONE"),
	N(IKE_PL_SA, "SA"),
	N(IKE_PL_KE, "KE"),
	N(IKE_PL_IDI, "IDi"),
	N(IKE_PL_IDR, "IDr"),
	N(IKE_PL_CERT, "CERT"),
	N(IKE_PL_CERTREQ, "CERTREQ"),
	N(IKE_PL_AUTH, "AUTH"),
	N(IKE_PL_NONCE, "Nonce"),
	N(IKE_PL_NOTIFY, "Notify"),
	N(IKE_PL_DELETE, "Delete"),
	N(IKE_PL_VENDOR, "Vendor ID"),
	N(IKE_PL_TSI, "TSi"),
	N(IKE_PL_TSR, "TSr"),
	N(IKE_PL_SK, "SK"),
	N(IKE_PL_CP, "CP"),
	N(IKE_PL_EAP, "EAP"),
	N(IKE_PL_SKF, "SKF"),
};

static const struct ike_name proto_names[] = {
	N(IKE_PROTO_NONE, "none"),
	N(IKE_PROTO_IKE, "IKE"),
	N(IKE_PROTO_AH, "AH"),
	N(IKE_PROTO_ESP, "ESP"),
};

static const struct ike_name xform_type_names[] = {
	N(IKE_XF_ENCR, "ENCR"),
	N(IKE_XF_PRF, "PRF"),
	N(IKE_XF_INTEG, "INTEG"),
	N(IKE_XF_DH, "DH"),
	N(IKE_XF_ESN, "ESN"),
};

static const struct ike_name encr_names[] = {
	N(IKE_ENCR_AES_CBC, "AES_CBC"),
	N(IKE_ENCR_AES_GCM_8, "AES_GCM_8"),
	N(IKE_ENCR_AES_GCM_12, "AES_GCM_12"),
	N(IKE_ENCR_AES_GCM_16, "AES_GCM_16"),
};

static const struct ike_name prf_names[] = {
	N(IKE_PRF_HMAC_MD5, "PRF_HMAC_MD5"),
	N(IKE_PRF_HMAC_SHA1, "PRF_HMAC_SHA1"),
	N(IKE_PRF_HMAC_SHA2_256, "PRF_HMAC_SHA2_256"),
	N(IKE_PRF_HMAC_SHA2_384, "PRF_HMAC_SHA2_384"),
	N(IKE_PRF_HMAC_SHA2_512, "PRF_HMAC_SHA2_512"),
};

static const struct ike_name integ_names[] = {
	N(IKE_INTEG_NONE, "NONE"),
	N(IKE_INTEG_HMAC_SHA1_96, "HMAC_SHA1_96"),
	N(IKE_INTEG_HMAC_SHA2_256_128, "HMAC_SHA2_256_128"),
	N(IKE_INTEG_HMAC_SHA2_384_192, "HMAC_SHA2_384_192"),
	N(IKE_INTEG_HMAC_SHA2_512_256, "HMAC_SHA2_512_256"),
};

static const struct ike_name dh_names[] = {
	N(IKE_DH_NONE, "NONE"),
	N(IKE_DH_MODP_2048, "MODP_2048"),
	N(IKE_DH_ECP_256, "ECP_256"),
	N(IKE_DH_ECP_384, "ECP_384"),
	N(IKE_DH_CURVE25519, "CURVE25519"),
};

static const struct ike_name esn_names[] = {
	N(IKE_ESN_NO, "NO_ESN"),
	N(IKE_ESN_YES, "ESN"),
};

static const struct ike_name id_type_names[] = {
	N(IKE_ID_IPV4_ADDR, "ID_IPV4_ADDR"),
	N(IKE_ID_FQDN, "ID_FQDN"),
	N(IKE_ID_RFC822_ADDR, "ID_RFC822_ADDR"),
	N(IKE_ID_IPV6_ADDR, "ID_IPV6_ADDR"),
	N(IKE_ID_DER_ASN1_DN, "ID_DER_ASN1_DN"),
	N(IKE_ID_DER_ASN1_GN, "ID_DER_ASN1_GN"),
	N(IKE_ID_KEY_ID, "ID_KEY_ID"),
};

static const struct ike_name auth_method_names[] = {
	N(IKE_AUTH_RSA_SIG, "RSA_SIG"),
	N(IKE_AUTH_PSK, "PSK"),
	N(IKE_AUTH_DSS_SIG, "DSS_SIG"),
	N(IKE_AUTH_DIGITAL_SIG, "DIGITAL_SIG"),
};

static const struct ike_name notify_names[] = {
	N(IKE_N_UNSUPPORTED_CRITICAL_PAYLOAD, "UNSUPPORTED_CRITICAL_PAYLOAD"),
	N(IKE_N_INVALID_IKE_SPI, "INVALID_IKE_SPI"),
	N(IKE_N_INVALID_MAJOR_VERSION, "INVALID_MAJOR_VERSION"),
	N(IKE_N_INVALID_SYNTAX, "INVALID_SYNTAX"),
	N(IKE_N_INVALID_MESSAGE_ID, "INVALID_MESSAGE_ID"),
	N(IKE_N_INVALID_SPI, "INVALID_SPI"),
	N(IKE_N_NO_PROPOSAL_CHOSEN, "NO_PROPOSAL_CHOSEN"),
	N(IKE_N_INVALID_KE_PAYLOAD, "INVALID_KE_PAYLOAD"),
	N(IKE_N_AUTHENTICATION_FAILED, "AUTHENTICATION_FAILED"),
	N(IKE_N_SINGLE_PAIR_REQUIRED, "SINGLE_PAIR_REQUIRED"),
	N(IKE_N_NO_ADDITIONAL_SAS, "NO_ADDITIONAL_SAS"),
	N(IKE_N_INTERNAL_ADDRESS_FAILURE, "INTERNAL_ADDRESS_FAILURE"),
	N(IKE_N_FAILED_CP_REQUIRED, "FAILED_CP_REQUIRED"),
	N(IKE_N_TS_UNACCEPTABLE, "TS_UNACCEPTABLE"),
	N(IKE_N_INVALID_SELECTORS, "INVALID_SELECTORS"),
	N(IKE_N_TEMPORARY_FAILURE, "TEMPORARY_FAILURE"),
	N(IKE_N_CHILD_SA_NOT_FOUND, "CHILD_SA_NOT_FOUND"),
	N(IKE_N_INITIAL_CONTACT, "INITIAL_CONTACT"),
	N(IKE_N_SET_WINDOW_SIZE, "SET_WINDOW_SIZE"),
	N(IKE_N_ADDITIONAL_TS_POSSIBLE, "ADDITIONAL_TS_POSSIBLE"),
	N(IKE_N_IPCOMP_SUPPORTED, "IPCOMP_SUPPORTED"),
	N(IKE_N_NAT_DETECTION_SOURCE_IP, "NAT_DETECTION_SOURCE_IP"),
	N(IKE_N_NAT_DETECTION_DESTINATION_IP, "NAT_DETECTION_DESTINATION_IP"),
	N(IKE_N_COOKIE, "COOKIE"),
	N(IKE_N_USE_TRANSPORT_MODE, "USE_TRANSPORT_MODE"),
	N(IKE_N_HTTP_CERT_LOOKUP_SUPPORTED, "HTTP_CERT_LOOKUP_SUPPORTED"),
	N(IKE_N_REKEY_SA, "REKEY_SA"),
	N(IKE_N_ESP_TFC_PADDING_NOT_SUPPORTED, "ESP_TFC_PADDING_NOT_SUPPORTED"),
	N(IKE_N_NON_FIRST_FRAGMENTS_ALSO, "NON_FIRST_FRAGMENTS_ALSO"),
	N(IKE_N_MOBIKE_SUPPORTED, "MOBIKE_SUPPORTED"),
	N(IKE_N_MULTIPLE_AUTH_SUPPORTED, "MULTIPLE_AUTH_SUPPORTED"),
	N(IKE_N_REDIRECT_SUPPORTED, "REDIRECT_SUPPORTED"),
	N(IKE_N_IKEV2_FRAGMENTATION_SUPPORTED, "IKEV2_FRAGMENTATION_SUPPORTED"),
	N(IKE_N_SIGNATURE_HASH_ALGORITHMS, "SIGNATURE_HASH_ALGORITHMS"),
};

static const struct ike_name ts_type_names[] = {
	N(IKE_TS_IPV4_ADDR_RANGE, "TS_IPV4_ADDR_RANGE"),
	N(IKE_TS_IPV6_ADDR_RANGE, "TS_IPV6_ADDR_RANGE"),
};

#define LOOKUP_FN(fn, table)					\
const char *							\
fn(unsigned int v)						\
{								\
	return lookup(table, NELEM(table), v);			\
}

LOOKUP_FN(ike_exchange_name, exchange_names)
LOOKUP_FN(ike_payload_name, payload_names)
LOOKUP_FN(ike_proto_name, proto_names)
LOOKUP_FN(ike_xform_type_name, xform_type_names)
LOOKUP_FN(ike_encr_name, encr_names)
LOOKUP_FN(ike_prf_name, prf_names)
LOOKUP_FN(ike_integ_name, integ_names)
LOOKUP_FN(ike_dh_name, dh_names)
LOOKUP_FN(ike_esn_name, esn_names)
LOOKUP_FN(ike_id_type_name, id_type_names)
LOOKUP_FN(ike_auth_method_name, auth_method_names)
LOOKUP_FN(ike_notify_name, notify_names)
LOOKUP_FN(ike_ts_type_name, ts_type_names)

const char *
ike_xform_id_name(unsigned int type, unsigned int id)
{
	switch (type) {
	case IKE_XF_ENCR:
		return ike_encr_name(id);
	case IKE_XF_PRF:
		return ike_prf_name(id);
	case IKE_XF_INTEG:
		return ike_integ_name(id);
	case IKE_XF_DH:
		return ike_dh_name(id);
	case IKE_XF_ESN:
		return ike_esn_name(id);
	default:
		return "?";
	}
}
