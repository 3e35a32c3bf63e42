/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdbool.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "esp_ref.h"

static void
put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

int
esp_ref_encap(enum conf_cipher cipher, enum conf_integ integ,
	      const uint8_t *ckey, size_t cklen, const uint8_t *akey,
	      size_t aklen, uint32_t spi, uint32_t seq, const uint8_t *iv,
	      const uint8_t *inner, size_t inner_len, uint8_t *out,
	      size_t *out_len)
{
	bool gcm = cipher == CONF_CIPHER_AES_GCM_128 ||
		cipher == CONF_CIPHER_AES_GCM_256;
	size_t align = gcm ? 4 : 16, plen, i, pad;
	uint8_t pt[4096];

	if (inner_len + 2 + align > sizeof(pt))
		return -1;
	/* RFC 4303 2.4: payload || 1, 2, 3, ... || pad length || next header */
	memcpy(pt, inner, inner_len);
	plen = inner_len + 2;
	pad = (align - plen % align) % align;
	for (i = 0; i < pad; i++)
		pt[inner_len + i] = (uint8_t)(i + 1);
	pt[inner_len + pad] = (uint8_t)pad;
	pt[inner_len + pad + 1] = 4; /* IPv4 */
	plen += pad;
	return esp_ref_seal(cipher, integ, ckey, cklen, akey, aklen, spi, seq,
			    iv, pt, plen, out, out_len);
}

int
esp_ref_seal(enum conf_cipher cipher, enum conf_integ integ,
	     const uint8_t *ckey, size_t cklen, const uint8_t *akey,
	     size_t aklen, uint32_t spi, uint32_t seq, const uint8_t *iv,
	     const uint8_t *pt, size_t plen, uint8_t *out, size_t *out_len)
{
	bool gcm = cipher == CONF_CIPHER_AES_GCM_128 ||
		cipher == CONF_CIPHER_AES_GCM_256;
	size_t ivlen = gcm ? 8 : 16;
	uint8_t nonce[12], mac[EVP_MAX_MD_SIZE];
	unsigned int maclen;
	EVP_CIPHER_CTX *ctx;
	const EVP_CIPHER *ev;
	int n, fin, ok = 0;

	put32(out, spi);
	put32(out + 4, seq);
	memcpy(out + 8, iv, ivlen);

	ctx = EVP_CIPHER_CTX_new();
	if (ctx == NULL)
		return -1;
	if (gcm) {
		/* RFC 4106 4: nonce = salt || IV; 5: AAD = SPI || seq. */
		size_t klen = cklen - 4;

		ev = klen == 16 ? EVP_aes_128_gcm() : EVP_aes_256_gcm();
		memcpy(nonce, ckey + klen, 4);
		memcpy(nonce + 4, iv, 8);
		if (EVP_EncryptInit_ex(ctx, ev, NULL, NULL, NULL) != 1 ||
		    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, 12,
					NULL) != 1 ||
		    EVP_EncryptInit_ex(ctx, NULL, NULL, ckey, nonce) != 1 ||
		    EVP_EncryptUpdate(ctx, NULL, &n, out, 8) != 1 ||
		    EVP_EncryptUpdate(ctx, out + 16, &n, pt, (int)plen) != 1 ||
		    EVP_EncryptFinal_ex(ctx, out + 16 + n, &fin) != 1 ||
		    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16,
					out + 16 + plen) != 1)
			goto done;
		*out_len = 16 + plen + 16;
		ok = 1;
		goto done;
	}
	/* RFC 3602: AES-CBC, explicit IV, no cipher padding of its own. */
	ev = cklen == 16 ? EVP_aes_128_cbc() : EVP_aes_256_cbc();
	if (EVP_EncryptInit_ex(ctx, ev, NULL, ckey, iv) != 1 ||
	    EVP_CIPHER_CTX_set_padding(ctx, 0) != 1 ||
	    EVP_EncryptUpdate(ctx, out + 24, &n, pt, (int)plen) != 1 ||
	    EVP_EncryptFinal_ex(ctx, out + 24 + n, &fin) != 1)
		goto done;
	/* RFC 2404 / 4868: HMAC over ESP header .. ciphertext, truncated. */
	if (HMAC(integ == CONF_INTEG_SHA1_96 ? EVP_sha1() : EVP_sha256(),
		 akey, (int)aklen, out, 24 + plen, mac, &maclen) == NULL)
		goto done;
	n = integ == CONF_INTEG_SHA1_96 ? 12 : 16;
	memcpy(out + 24 + plen, mac, (size_t)n);
	*out_len = 24 + plen + (size_t)n;
	ok = 1;
done:
	EVP_CIPHER_CTX_free(ctx);
	return ok ? 0 : -1;
}

int
esp_ref_aes_block(const uint8_t *ckey, size_t cklen, const uint8_t in[16],
		  uint8_t out[16])
{
	EVP_CIPHER_CTX *ctx;
	int n, fin, ok;

	ctx = EVP_CIPHER_CTX_new();
	if (ctx == NULL)
		return -1;
	ok = EVP_EncryptInit_ex(ctx, cklen == 16 ? EVP_aes_128_ecb() :
				EVP_aes_256_ecb(), NULL, ckey, NULL) == 1 &&
		EVP_CIPHER_CTX_set_padding(ctx, 0) == 1 &&
		EVP_EncryptUpdate(ctx, out, &n, in, 16) == 1 &&
		EVP_EncryptFinal_ex(ctx, out + n, &fin) == 1 && n + fin == 16;
	EVP_CIPHER_CTX_free(ctx);
	return ok ? 0 : -1;
}
