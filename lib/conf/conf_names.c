/* SPDX-License-Identifier: BSD-3-Clause */
/* The config vocabulary: enum <-> name tables and algorithm key sizes. */
#include <string.h>

#include "conf_priv.h"

const char *const conf_role_names[CONF_N_ROLES] = {
	[CONF_ROLE_INSIDE] = "inside",
	[CONF_ROLE_OUTSIDE] = "outside",
};

const char *const conf_poll_mode_names[CONF_N_POLL_MODES] = {
	[CONF_POLL_BUSY] = "busy",
	[CONF_POLL_ADAPTIVE] = "adaptive",
};

const char *const conf_crypto_mode_names[CONF_N_CRYPTO_MODES] = {
	[CONF_CRYPTO_CPU] = "cpu-crypto",
	[CONF_CRYPTO_LOOKASIDE] = "lookaside",
};

const char *const conf_cipher_names[CONF_N_CIPHERS] = {
	[CONF_CIPHER_AES_GCM_128] = "aes-gcm-128",
	[CONF_CIPHER_AES_GCM_256] = "aes-gcm-256",
	[CONF_CIPHER_AES_CBC_128] = "aes-cbc-128",
	[CONF_CIPHER_AES_CBC_256] = "aes-cbc-256",
};

const char *const conf_integ_names[CONF_N_INTEGS] = {
	[CONF_INTEG_NONE] = "none",
	[CONF_INTEG_SHA1_96] = "sha1-96",
	[CONF_INTEG_SHA256_128] = "sha256-128",
};

const char *const conf_map_type_names[CONF_N_MAP_TYPES] = {
	[CONF_MAP_IPSEC_MANUAL] = "ipsec-manual",
	[CONF_MAP_IPSEC_ISAKMP] = "ipsec-isakmp",
};

const char *const conf_action_names[CONF_N_ACTIONS] = {
	[CONF_POLICY_PROTECT] = "protect",
	[CONF_POLICY_BYPASS] = "bypass",
	[CONF_POLICY_DISCARD] = "discard",
};

int
conf_name_lookup(const char *const *names, unsigned int n, const char *s)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (names[i] != NULL && strcmp(names[i], s) == 0)
			return (int)i;
	return -1;
}

static const char *
name_of(const char *const *names, unsigned int n, unsigned int v)
{
	return v < n ? names[v] : "?";
}

const char *
conf_cipher_name(enum conf_cipher c)
{
	return name_of(conf_cipher_names, CONF_N_CIPHERS, c);
}

const char *
conf_integ_name(enum conf_integ i)
{
	return name_of(conf_integ_names, CONF_N_INTEGS, i);
}

const char *
conf_role_name(enum conf_iface_role r)
{
	return name_of(conf_role_names, CONF_N_ROLES, r);
}

const char *
conf_poll_mode_name(enum conf_poll_mode m)
{
	return name_of(conf_poll_mode_names, CONF_N_POLL_MODES, m);
}

const char *
conf_crypto_mode_name(enum conf_crypto_mode m)
{
	return name_of(conf_crypto_mode_names, CONF_N_CRYPTO_MODES, m);
}

const char *
conf_map_type_name(enum conf_map_type t)
{
	return name_of(conf_map_type_names, CONF_N_MAP_TYPES, t);
}

const char *
conf_policy_action_name(enum conf_policy_action a)
{
	return name_of(conf_action_names, CONF_N_ACTIONS, a);
}

bool
conf_cipher_is_aead(enum conf_cipher c)
{
	return c == CONF_CIPHER_AES_GCM_128 || c == CONF_CIPHER_AES_GCM_256;
}

unsigned int
conf_cipher_salt_len(enum conf_cipher c)
{
	/* RFC 4106 8.1: KEYMAT is the AES key followed by a 4-byte salt. */
	return conf_cipher_is_aead(c) ? 4 : 0;
}

unsigned int
conf_cipher_key_len(enum conf_cipher c)
{
	switch (c) {
	case CONF_CIPHER_AES_GCM_128:
		return 16 + 4;
	case CONF_CIPHER_AES_GCM_256:
		return 32 + 4;
	case CONF_CIPHER_AES_CBC_128:
		return 16;
	case CONF_CIPHER_AES_CBC_256:
		return 32;
	}
	return 0;
}

unsigned int
conf_integ_key_len(enum conf_integ i)
{
	switch (i) {
	case CONF_INTEG_NONE:
		return 0;
	case CONF_INTEG_SHA1_96:
		return 20; /* RFC 2404 3 */
	case CONF_INTEG_SHA256_128:
		return 32; /* RFC 4868 2.1.1 */
	}
	return 0;
}

const char *
conf_initiate_name(enum conf_initiate i)
{
	static const char *const names[] = {
		[CONF_INITIATE_TRAFFIC] = "traffic",
		[CONF_INITIATE_START] = "start",
		[CONF_INITIATE_RESPONDER] = "responder",
	};

	return name_of(names, 3, i);
}
