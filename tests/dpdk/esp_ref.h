/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef ESP_REF_H
#define ESP_REF_H

/*
 * A reference ESP encapsulation written straight from the RFCs on OpenSSL
 * (no DPDK), for known-answer tests of dp_sa: given the IV the engine
 * chose, it computes the ESP header, ciphertext and ICV it must have sent.
 */

#include <stddef.h>
#include <stdint.h>

#include "conf.h"

/*
 * RFC 4303 tunnel mode (next header 4), padding 1, 2, 3, ... to 4 bytes
 * (GCM, RFC 4303 2.4) or 16 (AES-CBC block). ckey is key || salt for
 * GCM. Writes ESP header .. ICV to out (at least inner_len + 64 bytes).
 * 0 or -1.
 */
int esp_ref_encap(enum conf_cipher cipher, enum conf_integ integ,
		  const uint8_t *ckey, size_t cklen, const uint8_t *akey,
		  size_t aklen, uint32_t spi, uint32_t seq, const uint8_t *iv,
		  const uint8_t *inner, size_t inner_len, uint8_t *out,
		  size_t *out_len);

/*
 * One raw AES block: out = AES_K(in) (FIPS 197), K of cklen 16 or 32
 * bytes. For the IVs a broken CBC engine would send (tests of RFC 3602
 * 2.4). 0 or -1.
 */
int esp_ref_aes_block(const uint8_t *ckey, size_t cklen,
		      const uint8_t in[16], uint8_t out[16]);

/*
 * esp_ref_encap() over a plaintext the caller laid out in full (payload,
 * padding, pad length, next header; plen a multiple of the block, 4 for
 * GCM): for the trailers a conforming sender never makes (bad padding,
 * another next header, RFC 4303 2.6 dummy packets).
 */
int esp_ref_seal(enum conf_cipher cipher, enum conf_integ integ,
		 const uint8_t *ckey, size_t cklen, const uint8_t *akey,
		 size_t aklen, uint32_t spi, uint32_t seq, const uint8_t *iv,
		 const uint8_t *pt, size_t plen, uint8_t *out,
		 size_t *out_len);

#endif /* ESP_REF_H */
