/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef IKE_PAYLOAD_H
#define IKE_PAYLOAD_H

/* Internal to lib/ike: the nested payload decoders and helpers. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ike_msg.h"

int ike_payload_sa_decode(const uint8_t *p, size_t len, struct ike_pl_sa *out,
			  const char **why);
int ike_payload_ts_decode(const uint8_t *p, size_t len, struct ike_pl_ts *out,
			  const char **why);
/* A type ike_msg_decode() understands (the C bit is then ignored). */
bool ike_payload_known(uint8_t type);

#endif /* IKE_PAYLOAD_H */
