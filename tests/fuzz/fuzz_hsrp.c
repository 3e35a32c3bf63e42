/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target for the HSRP codec. Every input goes through both
 * decoders and the dispatching one; whatever decodes is re-encoded (with a
 * fixed MD5 key), decoded again and must come back the same, and an
 * authentication check runs on the original bytes. Any disagreement
 * aborts, so the fuzzer reports it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hsrp_codec.h"

#define FUZZ_KEY "fuzz-key"

static void
check_same(const struct hsrp_msg *a, const struct hsrp_msg *b)
{
	if (a->version != b->version || a->op != b->op ||
	    a->state != b->state || a->group != b->group ||
	    a->priority != b->priority || a->vip != b->vip ||
	    a->auth != b->auth || a->ipv6 != b->ipv6)
		abort();
	if (a->ipv6 && memcmp(a->vip6, b->vip6, 16) != 0)
		abort();
	if (a->version == 2 && (a->hello_ms != b->hello_ms ||
				a->hold_ms != b->hold_ms ||
				memcmp(a->id, b->id, 6) != 0))
		abort();
	if (a->auth == HSRP_AUTH_TEXT && memcmp(a->text, b->text, 8) != 0)
		abort();
	if (a->auth == HSRP_AUTH_MD5 && (a->md5_ip != b->md5_ip ||
					 a->md5_key_id != b->md5_key_id))
		abort();
}

static void
round_trip(const uint8_t *data, size_t size, const struct hsrp_msg *m)
{
	uint8_t buf[HSRP_PKT_MAX];
	struct hsrp_msg again;
	const char *why;
	int n;

	if (m->digest_off != 0 &&
	    (m->digest_off > size || size - m->digest_off < 16))
		abort();
	(void)hsrp_auth_check(data, size, m, m->auth, "cisco", FUZZ_KEY,
			      &why);
	n = hsrp_encode(m, FUZZ_KEY, buf, sizeof(buf));
	if (n < 0) {
		/* Only a v1 packet with a v2-sized priority cannot be sent
		 * back; everything decoded is otherwise encodable. */
		abort();
	}
	if (hsrp_decode(buf, (size_t)n, &again, &why) != 0)
		abort();
	check_same(m, &again);
	if (again.auth == HSRP_AUTH_MD5 &&
	    hsrp_auth_check(buf, (size_t)n, &again, HSRP_AUTH_MD5, NULL,
			    FUZZ_KEY, &why) != 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hsrp_msg m;
	const char *why;

	if (hsrp_decode_v1(data, size, &m, &why) == 0)
		round_trip(data, size, &m);
	if (hsrp_decode_v2(data, size, &m, &why) == 0)
		round_trip(data, size, &m);
	if (hsrp_decode(data, size, &m, &why) == 0)
		round_trip(data, size, &m);
	return 0;
}
