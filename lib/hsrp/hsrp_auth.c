/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * HSRP authentication: the 8-byte text field, and MD5 as Cisco computes it
 * (RFC 1828 keyed MD5, the construction John the Ripper's "hsrp" format
 * reproduces from real captures). MD5 itself comes from OpenSSL.
 *
 * Neither has replay protection: the digest covers the packet, and the
 * packet carries no sequence number or timestamp, so a captured packet
 * verifies again when replayed (a Coup or a priority 255 Hello can take the
 * group). As on IOS, MD5 only keeps off whoever does not hold the key and
 * has not seen a packet; the protection against replay is the LAN's.
 */
#include <errno.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "hsrp_codec.h"

/*
 * RFC 1828 2: the key is first processed as if it were a whole message,
 * i.e. followed by MD5's own padding (0x80, zeros to 56 mod 64, the 64-bit
 * little-endian bit count), so that the packet starts on a block boundary.
 */
static size_t
key_fill(const char *key, size_t klen, uint8_t *out, size_t outlen)
{
	uint64_t bits = (uint64_t)klen * 8;
	size_t n = klen + 1;
	unsigned int i;

	while (n % 64 != 56)
		n++;
	n += 8;
	if (n > outlen)
		return 0;
	memset(out, 0, n);
	memcpy(out, key, klen);
	out[klen] = 0x80;
	for (i = 0; i < 8; i++)
		out[n - 8 + i] = (uint8_t)(bits >> (8 * i));
	return n;
}

int
hsrp_md5_digest(const uint8_t *pkt, size_t len, size_t digest_off,
		const char *key, uint8_t out[HSRP_MD5_DIGEST_LEN])
{
	static const uint8_t zero[HSRP_MD5_DIGEST_LEN];
	uint8_t fill[128];
	unsigned int dlen = 0;
	size_t klen, flen;
	EVP_MD_CTX *ctx;
	int ok;

	if (pkt == NULL || key == NULL || digest_off > len ||
	    len - digest_off < HSRP_MD5_DIGEST_LEN)
		return -EINVAL;
	klen = strnlen(key, HSRP_MD5_KEY_MAX + 1);
	if (klen > HSRP_MD5_KEY_MAX)
		return -EINVAL;
	flen = key_fill(key, klen, fill, sizeof(fill));
	if (flen == 0)
		return -EINVAL;
	ctx = EVP_MD_CTX_new();
	if (ctx == NULL)
		return -EIO;
	ok = EVP_DigestInit_ex(ctx, EVP_md5(), NULL) == 1 &&
		EVP_DigestUpdate(ctx, fill, flen) == 1 &&
		EVP_DigestUpdate(ctx, pkt, digest_off) == 1 &&
		EVP_DigestUpdate(ctx, zero, sizeof(zero)) == 1 &&
		EVP_DigestUpdate(ctx, pkt + digest_off + HSRP_MD5_DIGEST_LEN,
				 len - digest_off - HSRP_MD5_DIGEST_LEN) == 1 &&
		EVP_DigestUpdate(ctx, key, klen) == 1 &&
		EVP_DigestFinal_ex(ctx, out, &dlen) == 1 &&
		dlen == HSRP_MD5_DIGEST_LEN;
	EVP_MD_CTX_free(ctx);
	OPENSSL_cleanse(fill, sizeof(fill));
	return ok ? 0 : -EIO;
}

static int
deny(const char **why, const char *msg)
{
	if (why != NULL)
		*why = msg;
	return -EACCES;
}

int
hsrp_auth_check(const uint8_t *pkt, size_t len, const struct hsrp_msg *m,
		enum hsrp_auth_type want_type, const char *text,
		const char *key, const char **why)
{
	uint8_t want[HSRP_AUTH_TEXT_LEN];
	uint8_t digest[HSRP_MD5_DIGEST_LEN];

	switch (want_type) {
	case HSRP_AUTH_TEXT:
		if (m->auth != HSRP_AUTH_TEXT)
			return deny(why, "expected text authentication");
		memset(want, 0, sizeof(want));
		if (text != NULL)
			memcpy(want, text, strnlen(text, sizeof(want)));
		if (memcmp(want, m->text, sizeof(want)) != 0)
			return deny(why, "text authentication mismatch");
		return 0;
	case HSRP_AUTH_MD5:
		if (m->auth != HSRP_AUTH_MD5)
			return deny(why, "expected MD5 authentication");
		if (hsrp_md5_digest(pkt, len, m->digest_off, key, digest) < 0)
			return deny(why, "cannot compute MD5 digest");
		if (CRYPTO_memcmp(digest, m->digest, sizeof(digest)) != 0)
			return deny(why, "MD5 digest mismatch");
		return 0;
	case HSRP_AUTH_NONE:
		/* v2 allows no authentication; a sender that has some is
		 * configured differently from us. */
		if (m->auth != HSRP_AUTH_NONE)
			return deny(why, "unexpected authentication");
		return 0;
	default:
		return deny(why, "bad authentication type");
	}
}
