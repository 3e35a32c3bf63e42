/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/sync sync_frame: AES-256-GCM frames between two twins A and B round
 * trip; a bad tag, a replay, a wrong key, an old connection's frames, a
 * reflected frame and a frame of the other mode are refused, counted, and
 * leave the receiver as it was; insecure mode frames in clear.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/evp.h>
#include <openssl/kdf.h>

#include "sync_frame.h"
#include "tw_compiler.h"

#define KEY "0123456789abcdef-twin-secret"
#define EPOCH_A 0x1111111111111111ULL
#define EPOCH_B 0x2222222222222222ULL

struct pair {
	struct sync_frame *a, *b;
};

static uint8_t fr[SYNC_FRAME_MAX], fr2[SYNC_FRAME_MAX];
static uint8_t out[SYNC_FRAME_MAX];
static char err[256];

static struct sync_frame *
make(const char *key, bool insecure, uint64_t epoch)
{
	struct sync_frame_config cfg = { key, insecure };
	struct sync_frame *f = NULL;

	assert_int_equal(sync_frame_create(&cfg, &f, err, sizeof(err)), 0);
	assert_int_equal(sync_frame_reset(f, epoch), 0);
	return f;
}

static int
setup(void **state)
{
	static struct pair p;

	p.a = make(KEY, false, EPOCH_A);
	p.b = make(KEY, false, EPOCH_B);
	*state = &p;
	return 0;
}

static int
teardown(void **state)
{
	struct pair *p = *state;

	sync_frame_destroy(p->a);
	sync_frame_destroy(p->b);
	return 0;
}

static int
seal(struct sync_frame *f, const char *msg, uint8_t *dst)
{
	int n = sync_frame_seal(f, (const uint8_t *)msg, strlen(msg), dst,
				SYNC_FRAME_MAX);

	assert_true(n > 0);
	return n;
}

static int
open_(struct sync_frame *f, const uint8_t *src, int n,
      struct sync_frame_rx *rx)
{
	err[0] = '\0';
	return sync_frame_open(f, src, (size_t)n, out, sizeof(out), rx, err,
			       sizeof(err));
}

static void
expect_msg(const char *msg)
{
	if (strstr(err, msg) == NULL)
		fail_msg("expected \"%s\" in \"%s\"", msg, err);
}

static void
test_round_trip(void **state)
{
	struct pair *p = *state;
	struct sync_frame_counters c;
	struct sync_frame_rx rx;
	int n;

	n = seal(p->a, "hello from a", fr);
	assert_int_equal(n, SYNC_FRAME_OVERHEAD + 12);
	/* Header in clear, message not. */
	assert_int_equal(fr[0], SYNC_FRAME_VERSION);
	assert_int_equal(fr[1], 0);
	assert_int_equal(fr[8], 0x11);
	assert_int_equal(fr[16], 0);        /* A does not know B yet */
	assert_int_equal(fr[31], 1);        /* sequence 1 */
	assert_null(memmem(fr, (size_t)n, "hello", 5));
	assert_int_equal(sync_frame_length(fr, SYNC_FRAME_HDR_LEN), n);

	assert_int_equal(open_(p->b, fr, n, &rx), 12);
	assert_memory_equal(out, "hello from a", 12);
	assert_true(rx.epoch == EPOCH_A);
	assert_true(rx.seq == 1);
	assert_false(rx.confirmed);         /* A had not heard from B */
	assert_true(rx.new_epoch);
	assert_true(sync_frame_peer_epoch(p->b) == EPOCH_A);

	/* B answers naming A's epoch: confirmed at A. */
	n = seal(p->b, "hello from b", fr);
	assert_int_equal(fr[16], 0x11);
	assert_int_equal(open_(p->a, fr, n, &rx), 12);
	assert_true(rx.confirmed);
	assert_true(rx.new_epoch);
	/* And from now on both ways. */
	n = seal(p->a, "bulk", fr);
	assert_int_equal(open_(p->b, fr, n, &rx), 4);
	assert_true(rx.confirmed);
	assert_false(rx.new_epoch);
	assert_true(rx.seq == 2);
	/* An empty message is a valid frame too. */
	n = sync_frame_seal(p->a, NULL, 0, fr, sizeof(fr));
	assert_int_equal(n, SYNC_FRAME_OVERHEAD);
	assert_int_equal(open_(p->b, fr, n, &rx), 0);

	sync_frame_counters_read(p->b, &c);
	assert_int_equal(c.opened, 3);
	assert_int_equal(c.sealed, 1);
	assert_int_equal(c.epochs, 1);
	assert_null(sync_frame_warning(p->a));
	assert_false(sync_frame_insecure(p->a));
	assert_true(sync_frame_epoch(p->a) == EPOCH_A);

	/* Size limits. */
	assert_int_equal(sync_frame_seal(p->a, out, 10, fr, 10 +
					 SYNC_FRAME_OVERHEAD - 1), -ENOSPC);
	assert_int_equal(sync_frame_seal(p->a, out, SYNC_MSG_MAX + 1, fr,
					 sizeof(fr)), -EMSGSIZE);
}

/* One bit flipped anywhere: refused, and the next good frame still passes. */
static void
test_bad_tag(void **state)
{
	struct pair *p = *state;
	struct sync_frame_counters c;
	struct sync_frame_rx rx;
	int n, i, rc;

	n = seal(p->a, "keys inside", fr);
	for (i = 0; i < n; i++) {
		memcpy(fr2, fr, (size_t)n);
		fr2[i] ^= 0x04;
		rc = open_(p->b, fr2, n, &rx);
		assert_true(rc < 0);
		if (i >= 24)   /* sequence, ciphertext, tag: the tag says no */
			assert_int_equal(rc, -EBADMSG);
	}
	expect_msg("bad authentication tag on frame 1 (is redundancy.security.key the same on both twins?)");
	sync_frame_counters_read(p->b, &c);
	assert_true(c.bad_tag >= (uint64_t)(n - 24));
	assert_int_equal(c.opened, 0);
	assert_true(sync_frame_peer_epoch(p->b) == 0);
	assert_int_equal(open_(p->b, fr, n, &rx), 11);
}

static void
test_replay(void **state)
{
	struct pair *p = *state;
	struct sync_frame_counters c;
	struct sync_frame_rx rx;
	int n1, n2;

	n1 = seal(p->a, "one", fr);
	n2 = seal(p->a, "two", fr2);
	assert_int_equal(open_(p->b, fr, n1, &rx), 3);
	assert_int_equal(open_(p->b, fr, n1, &rx), -EALREADY);
	expect_msg("sequence number 1 replayed or out of order (last 1)");
	assert_int_equal(open_(p->b, fr2, n2, &rx), 3);
	assert_int_equal(open_(p->b, fr2, n2, &rx), -EALREADY);
	assert_int_equal(open_(p->b, fr, n1, &rx), -EALREADY);
	expect_msg("sequence number 1 replayed or out of order (last 2)");
	sync_frame_counters_read(p->b, &c);
	assert_int_equal(c.replayed, 3);
	/* Out of order: 4 before 3 makes 3 a replay. */
	n1 = seal(p->a, "three", fr);
	n2 = seal(p->a, "four", fr2);
	assert_int_equal(open_(p->b, fr2, n2, &rx), 4);
	assert_int_equal(open_(p->b, fr, n1, &rx), -EALREADY);
}

static void
test_wrong_key(void **state)
{
	struct pair *p = *state;
	struct sync_frame *x = make("another-key-of-16+chars", false,
				    EPOCH_B + 1);
	struct sync_frame_counters c;
	struct sync_frame_rx rx;
	int n;

	n = seal(p->a, "secret", fr);
	assert_int_equal(open_(x, fr, n, &rx), -EBADMSG);
	expect_msg("is redundancy.security.key the same on both twins?");
	n = seal(x, "secret", fr);
	assert_int_equal(open_(p->a, fr, n, &rx), -EBADMSG);
	sync_frame_counters_read(x, &c);
	assert_int_equal(c.bad_tag, 1);
	sync_frame_destroy(x);
}

/*
 * Reconnect: both twins reset with new epochs; sequence numbers restart
 * without a deadlock, frames of the old connection are refused, and a
 * replayed first frame of the old connection cannot lock the twin out.
 */
static void
test_epoch_change(void **state)
{
	struct pair *p = *state;
	struct sync_frame_rx rx;
	uint8_t first_old[128], late_old[128];
	int n_first, n_late, n;

	/* Connection 1, both confirmed. */
	n_first = seal(p->a, "A1 hello", first_old);
	assert_int_equal(open_(p->b, first_old, n_first, &rx), 8);
	n = seal(p->b, "B1 hello", fr);
	assert_int_equal(open_(p->a, fr, n, &rx), 8);
	n_late = seal(p->a, "A1 late", late_old);   /* names B1 */
	assert_int_equal(open_(p->b, late_old, n_late, &rx), 7);

	/* Connection 2. */
	assert_int_equal(sync_frame_reset(p->a, EPOCH_A + 1), 0);
	assert_int_equal(sync_frame_reset(p->b, EPOCH_B + 1), 0);
	assert_true(sync_frame_peer_epoch(p->b) == 0);
	/* A frame naming B's old epoch: an earlier connection. */
	assert_int_equal(open_(p->b, late_old, n_late, &rx), -ESTALE);
	expect_msg("(an earlier connection)");
	/* The old first frame (naming nobody) authenticates: unconfirmed. */
	assert_int_equal(open_(p->b, first_old, n_first, &rx), 8);
	assert_false(rx.confirmed);
	/* The real A's first frame replaces that unconfirmed pin ... */
	n = seal(p->a, "A2 hello", fr);
	assert_int_equal(fr[31], 1);       /* sequence restarted */
	assert_int_equal(open_(p->b, fr, n, &rx), 8);
	assert_true(rx.new_epoch);
	assert_false(rx.confirmed);
	assert_true(sync_frame_peer_epoch(p->b) == EPOCH_A + 1);
	/* ... B answers, A answers naming B's new epoch: locked. */
	n = seal(p->b, "B2 hello", fr);
	assert_int_equal(open_(p->a, fr, n, &rx), 8);
	assert_true(rx.confirmed);
	n = seal(p->a, "A2 more", fr);
	assert_int_equal(open_(p->b, fr, n, &rx), 7);
	assert_true(rx.confirmed);
	/* Now the old first frame is refused for its epoch. */
	assert_int_equal(open_(p->b, first_old, n_first, &rx), -ESTALE);
	expect_msg("this connection's is 1111111111111112");
}

static void
test_reflected_and_malformed(void **state)
{
	struct pair *p = *state;
	struct sync_frame_counters c;
	struct sync_frame_rx rx;
	int n, cut;

	n = seal(p->a, "mine", fr);
	assert_int_equal(open_(p->a, fr, n, &rx), -EINVAL);
	expect_msg("reflected");
	for (cut = 0; cut < n; cut++)
		assert_true(open_(p->b, fr, cut, &rx) < 0);
	memcpy(fr2, fr, (size_t)n);
	fr2[0] = 2;
	assert_int_equal(open_(p->b, fr2, n, &rx), -EPROTONOSUPPORT);
	expect_msg("sync frame version 2, this twin speaks 1");
	memcpy(fr2, fr, (size_t)n);
	fr2[2] = 1;
	assert_int_equal(open_(p->b, fr2, n, &rx), -EINVAL);
	memcpy(fr2, fr, (size_t)n);
	fr2[7]++;
	assert_int_equal(open_(p->b, fr2, n, &rx), -EINVAL);
	expect_msg("frame length field");
	memcpy(fr2, fr, (size_t)n);
	memset(fr2 + 24, 0, 8);
	assert_int_equal(open_(p->b, fr2, n, &rx), -EINVAL);
	expect_msg("sequence number 0");
	fr2[4] = 0xff;
	assert_int_equal(sync_frame_length(fr2, SYNC_FRAME_HDR_LEN), -EINVAL);
	assert_int_equal(sync_frame_length(fr2, 5), -EINVAL);
	sync_frame_counters_read(p->a, &c);
	assert_int_equal(c.reflected, 1);
	sync_frame_counters_read(p->b, &c);
	assert_int_equal(c.opened, 0);
	assert_true(c.malformed >= 3);
	assert_int_equal(c.bad_version, 1);
	/* Still fine afterwards. */
	assert_int_equal(open_(p->b, fr, n, &rx), 4);
	/* Too small an output buffer. */
	n = seal(p->a, "0123456789", fr);
	assert_int_equal(sync_frame_open(p->b, fr, (size_t)n, out, 9, &rx,
					 err, sizeof(err)), -ENOSPC);
	assert_int_equal(open_(p->b, fr, n, &rx), 10);
}

static void
test_insecure(void **state)
{
	struct sync_frame *a = make(NULL, true, EPOCH_A);
	struct sync_frame *b = make("", true, EPOCH_B);
	struct pair *p = *state;
	struct sync_frame_rx rx;
	int n;

	assert_true(sync_frame_insecure(a));
	assert_non_null(sync_frame_warning(a));
	assert_non_null(strstr(sync_frame_warning(a), "in clear"));
	n = seal(a, "keys in clear", fr);
	assert_int_equal(n, SYNC_FRAME_HDR_LEN + 13);
	assert_int_equal(fr[1], SYNC_FRAME_F_INSECURE);
	assert_memory_equal(fr + SYNC_FRAME_HDR_LEN, "keys in clear", 13);
	assert_int_equal(open_(b, fr, n, &rx), 13);
	assert_memory_equal(out, "keys in clear", 13);
	/* Sequence and epoch checks still apply. */
	assert_int_equal(open_(b, fr, n, &rx), -EALREADY);
	/* Mixed modes refuse each other, saying which side is which. */
	assert_int_equal(open_(p->b, fr, n, &rx), -EPROTO);
	expect_msg("the twin sends its sync messages in clear");
	n = seal(p->a, "protected", fr);
	assert_int_equal(open_(b, fr, n, &rx), -EPROTO);
	expect_msg("the twin protects its sync messages and we run insecure");
	sync_frame_destroy(a);
	sync_frame_destroy(b);
}

static void
test_config_and_lifecycle(void **state TW_UNUSED)
{
	struct sync_frame_config cfg = { NULL, false };
	struct sync_frame *f = NULL;
	struct sync_frame_rx rx;
	uint64_t e1 = 0, e2 = 0;
	char big[200];

	assert_int_equal(sync_frame_create(&cfg, &f, err, sizeof(err)),
			 -EINVAL);
	expect_msg("no key configured");
	cfg.key = KEY;
	cfg.insecure = true;
	assert_int_equal(sync_frame_create(&cfg, &f, err, sizeof(err)),
			 -EINVAL);
	expect_msg("both a key and insecure = true");
	memset(big, 'k', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	cfg.key = big;
	cfg.insecure = false;
	assert_int_equal(sync_frame_create(&cfg, &f, err, sizeof(err)),
			 -EINVAL);
	assert_null(f);
	cfg.key = KEY;
	assert_int_equal(sync_frame_create(&cfg, &f, err, sizeof(err)), 0);
	/* Nothing before the connection is set up. */
	assert_int_equal(sync_frame_seal(f, (const uint8_t *)"x", 1, fr,
					 sizeof(fr)), -ENOTCONN);
	memset(fr, 0, SYNC_FRAME_OVERHEAD + 1);
	fr[0] = 1;
	fr[7] = 17;
	assert_int_equal(sync_frame_open(f, fr, SYNC_FRAME_OVERHEAD + 1, out,
					 sizeof(out), &rx, err, sizeof(err)),
			 -ENOTCONN);
	assert_int_equal(sync_frame_reset(f, 0), -EINVAL);
	assert_int_equal(sync_frame_new_epoch(&e1), 0);
	assert_int_equal(sync_frame_new_epoch(&e2), 0);
	assert_true(e1 != 0 && e2 != 0 && e1 != e2);
	assert_int_equal(sync_frame_reset(f, e1), 0);
	sync_frame_destroy(f);
	sync_frame_destroy(NULL);
}

/*
 * The key schedule as documented in sync_frame.h, computed here with
 * OpenSSL's EVP_KDF (a different API than the library's), decrypts a
 * frame the library sealed.
 */
static void
test_key_schedule(void **state)
{
	struct pair *p = *state;
	static const char info_label[] = "twinsec sync frame";
	uint8_t info[sizeof(info_label) - 1 + 8], okm[36], iv[12];
	uint8_t plain[16];
	EVP_KDF *kdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
	EVP_KDF_CTX *kctx = EVP_KDF_CTX_new(kdf);
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	/* OSSL_PARAM wants non-const buffers: writable copies. */
	char digest[] = "SHA256", key[] = KEY, salt[] = "twinsec sync v1";
	OSSL_PARAM params[5], *q = params;
	int n, len, fin;
	unsigned int i;

	memcpy(info, info_label, sizeof(info_label) - 1);
	for (i = 0; i < 8; i++)
		info[sizeof(info_label) - 1 + i] = (uint8_t)(EPOCH_A >>
							     (56 - 8 * i));
	*q++ = OSSL_PARAM_construct_utf8_string("digest", digest, 0);
	*q++ = OSSL_PARAM_construct_octet_string("key", key, strlen(key));
	*q++ = OSSL_PARAM_construct_octet_string("salt", salt,
						 sizeof(salt) - 1);
	*q++ = OSSL_PARAM_construct_octet_string("info", info, sizeof(info));
	*q = OSSL_PARAM_construct_end();
	assert_int_equal(EVP_KDF_derive(kctx, okm, sizeof(okm), params), 1);

	n = seal(p->a, "known answer", fr);
	memcpy(iv, okm + 32, 4);
	memcpy(iv + 4, fr + 24, 8);
	assert_int_equal(EVP_DecryptInit_ex(c, EVP_aes_256_gcm(), NULL, okm,
					    iv), 1);
	assert_int_equal(EVP_DecryptUpdate(c, NULL, &len, fr, 32), 1);
	assert_int_equal(EVP_DecryptUpdate(c, plain, &len, fr + 32, 12), 1);
	assert_int_equal(EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, 16,
					     fr + n - 16), 1);
	assert_int_equal(EVP_DecryptFinal_ex(c, plain + len, &fin), 1);
	assert_memory_equal(plain, "known answer", 12);
	EVP_CIPHER_CTX_free(c);
	EVP_KDF_CTX_free(kctx);
	EVP_KDF_free(kdf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_round_trip, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_bad_tag, setup, teardown),
		cmocka_unit_test_setup_teardown(test_replay, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrong_key, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_epoch_change, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_reflected_and_malformed,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_insecure, setup, teardown),
		cmocka_unit_test(test_config_and_lifecycle),
		cmocka_unit_test_setup_teardown(test_key_schedule, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
