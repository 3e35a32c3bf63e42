/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef IKE_DH_H
#define IKE_DH_H

/* Internal to lib/ike: the OpenSSL Diffie-Hellman ops (ike_dh.c). */

#include "ike_crypto.h"

int ike_dh_ossl_new(uint16_t group, const struct ike_rng *rng,
		    struct ike_dh **out);
int ike_dh_ossl_new_private(uint16_t group, const uint8_t *priv, size_t len,
			    struct ike_dh **out);
int ike_dh_ossl_public(const struct ike_dh *dh, uint8_t *out, size_t cap);
int ike_dh_ossl_shared(const struct ike_dh *dh, const uint8_t *peer,
		       size_t peer_len, uint8_t *out, size_t cap);
void ike_dh_ossl_free(struct ike_dh *dh);

#endif /* IKE_DH_H */
