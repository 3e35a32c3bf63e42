/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * inbound/outbound = { spi; key; auth_key; }
 *
 * Manual keying of one SA direction (IOS "set session-key inbound esp SPI
 * cipher HEX authenticator HEX"). Key material is plain hex; the message
 * for a bad key gives lengths, never the key.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "conf_priv.h"
#include "tw_bytes.h"

static const struct conf_key sakey_keys[] = {
	{ "spi", CONF_T_INT, true },
	{ "key", CONF_T_STRING, true },
	{ "auth_key", CONF_T_STRING, false },
	{ NULL, 0, false },
};

/* RFC 4303 2.1: SPI 1..255 are reserved by IANA, 0 is local use only. */
#define SPI_MIN 256

/*
 * Decode hex key material of exactly want bytes. label is "key" or
 * "auth_key", alg names the algorithm that sets the length.
 */
static int
parse_hex(struct conf_ctx *x, const config_setting_t *m, const char *where,
	  const char *alg, const char *note, unsigned int want, uint8_t *out,
	  uint8_t *out_len)
{
	const char *s = config_setting_get_string(m);
	const char *label = config_setting_name(m);
	size_t n = strlen(s), i;

	conf_secret(x, m, "session key");
	for (i = 0; i < n; i++)
		if (tw_hex_digit(s[i]) < 0)
			return conf_err(x, m,
					"%s %s is not hex (character %zu is '%c')",
					label, where, i + 1, s[i]);
	if (n % 2 != 0)
		return conf_err(x, m, "%s %s has an odd number of hex digits (%zu)",
				label, where, n);
	if (n / 2 != want)
		return conf_err(x, m, "%s %s has %zu bytes, %s needs %u%s",
				label, where, n / 2, alg, want, note);
	for (i = 0; i < want; i++)
		out[i] = (uint8_t)(tw_hex_digit(s[2 * i]) << 4 | tw_hex_digit(s[2 * i + 1]));
	*out_len = (uint8_t)want;
	/*
	 * Best effort: wipe libconfig's copy of the text now that we hold the
	 * bytes. The string is libconfig's own heap copy, so writing it is
	 * safe; the const is only its API's promise to callers.
	 */
	explicit_bzero((char *)(uintptr_t)s, n);
	return 0;
}

/* An SPI as the file writes it: 0x1002 when given in hex, 4098 else. */
static const char *
spi_str(const config_setting_t *m, uint32_t spi, char *buf, size_t len)
{
	if (m != NULL && config_setting_get_format(m) == CONFIG_FORMAT_HEX)
		snprintf(buf, len, "0x%x", spi);
	else
		snprintf(buf, len, "%u", spi);
	return buf;
}

int
conf_parse_session_key(struct conf_ctx *x, const config_setting_t *s,
		       const char *where, const struct conf_transform_set *ts,
		       struct conf_session_key *k)
{
	const config_setting_t *auth = config_setting_get_member(s, "auth_key");
	char note[64] = "";
	int64_t spi = 0;
	int rc;

	k->line = config_setting_source_line(s);
	rc = conf_check_keys(x, s, sakey_keys, where);
	if (rc == 0)
		rc = conf_get_int(x, s, "spi", where, 0, UINT32_MAX, &spi);
	if (rc != 0)
		return rc;
	if (spi < SPI_MIN) {
		const config_setting_t *m = config_setting_get_member(s, "spi");
		char b[16];

		return conf_err(x, m,
				"SPI %s %s is reserved (RFC 4303 2.1 reserves 0-255); use 0x100..0xffffffff (256..4294967295)",
				spi_str(m, (uint32_t)spi, b, sizeof(b)), where);
	}
	k->spi = (uint32_t)spi;
	if (conf_cipher_is_aead(ts->cipher))
		snprintf(note, sizeof(note), " (%u-byte key + %u-byte salt)",
			 conf_cipher_key_len(ts->cipher) -
			 conf_cipher_salt_len(ts->cipher),
			 conf_cipher_salt_len(ts->cipher));
	rc = parse_hex(x, config_setting_get_member(s, "key"), where,
		       conf_cipher_name(ts->cipher), note,
		       conf_cipher_key_len(ts->cipher), k->cipher_key,
		       &k->cipher_key_len);
	if (rc != 0)
		return rc;
	if (ts->integ == CONF_INTEG_NONE) {
		if (auth != NULL)
			return conf_err(x, auth,
					"auth_key %s not allowed: transform set '%s' uses %s, which authenticates by itself",
					where, ts->name,
					conf_cipher_name(ts->cipher));
		return 0;
	}
	if (auth == NULL)
		return conf_err(x, s,
				"missing 'auth_key' %s (transform set '%s' uses %s)",
				where, ts->name, conf_integ_name(ts->integ));
	return parse_hex(x, auth, where, conf_integ_name(ts->integ), "",
			 conf_integ_key_len(ts->integ), k->auth_key,
			 &k->auth_key_len);
}

int
conf_check_spi_unique(struct conf_ctx *x, const config_setting_t *s,
		      const char *where, const struct conf_map_entry *e,
		      bool inbound)
{
	const struct conf *c = x->conf;
	const struct conf_session_key *k = inbound ? &e->inbound : &e->outbound;
	unsigned int i, j;
	int rc;

	/* The set answers; the scan below only runs to name the first user. */
	rc = conf_u32set_add(&x->spis[inbound ? 0 : 1], k->spi);
	if (rc < 0)
		return conf_nomem(x);
	if (rc == 0)
		return 0;
	for (i = 0; i < c->n_crypto_maps; i++) {
		const struct conf_crypto_map *map = &c->crypto_maps[i];

		for (j = 0; j < map->n_entries; j++) {
			const struct conf_map_entry *o = &map->entries[j];
			const struct conf_session_key *ok =
				inbound ? &o->inbound : &o->outbound;
			const config_setting_t *m;
			char b[16];

			if (o == e || ok->spi != k->spi)
				continue;
			m = config_setting_get_member(s, "spi");
			return conf_err(x, m,
					"SPI %s %s already used by crypto map '%s' entry %u %s (line %d)",
					spi_str(m, k->spi, b, sizeof(b)), where,
					map->name, o->seq,
					inbound ? "inbound" : "outbound",
					ok->line);
		}
	}
	return 0;
}
