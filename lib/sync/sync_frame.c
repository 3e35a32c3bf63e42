/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * AEAD framing of the sync channel: AES-256-GCM with per-epoch keys from
 * HKDF-SHA256, epoch pinning and strictly increasing sequence numbers.
 * The design and its reasons are in sync_frame.h.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/rand.h>

#include "sync_frame.h"
#include "sync_priv.h"
#include "tw_bytes.h"

#define KEY_LEN 32
#define SALT_LEN 4
#define NONCE_LEN 12
#define HKDF_SALT "twinsec sync v1"
#define HKDF_INFO "twinsec sync frame"

/* Keys of one direction, derived from one epoch. */
struct dir_keys {
	uint8_t key[KEY_LEN];
	uint8_t salt[SALT_LEN];
};

struct sync_frame {
	bool insecure;
	uint8_t secret[CONF_SYNC_KEY_MAX];
	size_t secret_len;
	EVP_CIPHER_CTX *enc;
	EVP_CIPHER_CTX *dec;
	/* What we send. */
	uint64_t tx_epoch;         /* 0 until sync_frame_reset() */
	uint64_t tx_seq;           /* last used */
	struct dir_keys tx;
	/* What the twin sends. */
	uint64_t rx_epoch;         /* 0 until pinned */
	uint64_t rx_seq;           /* last accepted */
	bool rx_confirmed;         /* a frame named our epoch: pin locked */
	struct dir_keys rx;
	struct sync_frame_counters cnt;
};

static const char insecure_warning[] =
	"redundancy.security.insecure = true: sync messages, SA keys included, cross the wire to the twin in clear and unauthenticated";

/* HKDF-SHA256(secret, HKDF_SALT, HKDF_INFO || epoch) -> key || salt. */
static int
derive(const struct sync_frame *f, uint64_t epoch, struct dir_keys *k)
{
	uint8_t info[sizeof(HKDF_INFO) - 1 + 8];
	uint8_t okm[KEY_LEN + SALT_LEN];
	size_t olen = sizeof(okm);
	EVP_PKEY_CTX *pctx;
	int ok;

	memcpy(info, HKDF_INFO, sizeof(HKDF_INFO) - 1);
	tw_put64(info + sizeof(HKDF_INFO) - 1, epoch);
	pctx = EVP_PKEY_CTX_new_id(EVP_PKEY_HKDF, NULL);
	if (pctx == NULL)
		return -ENOMEM;
	ok = EVP_PKEY_derive_init(pctx) == 1 &&
		EVP_PKEY_CTX_set_hkdf_md(pctx, EVP_sha256()) == 1 &&
		EVP_PKEY_CTX_set1_hkdf_salt(pctx,
					    (const unsigned char *)HKDF_SALT,
					    sizeof(HKDF_SALT) - 1) == 1 &&
		EVP_PKEY_CTX_set1_hkdf_key(pctx, f->secret,
					   (int)f->secret_len) == 1 &&
		EVP_PKEY_CTX_add1_hkdf_info(pctx, info, sizeof(info)) == 1 &&
		EVP_PKEY_derive(pctx, okm, &olen) == 1 && olen == sizeof(okm);
	EVP_PKEY_CTX_free(pctx);
	if (ok) {
		memcpy(k->key, okm, KEY_LEN);
		memcpy(k->salt, okm + KEY_LEN, SALT_LEN);
	}
	OPENSSL_cleanse(okm, sizeof(okm));
	return ok ? 0 : -EIO;
}

int
sync_frame_create(const struct sync_frame_config *cfg,
		  struct sync_frame **out, char *err, size_t errlen)
{
	size_t n = cfg->key != NULL ? strlen(cfg->key) : 0;
	struct sync_frame *f;

	if (cfg->insecure && n != 0)
		return sync_fail(err, errlen, -EINVAL,
				 "redundancy.security: both a key and insecure = true: give one");
	if (!cfg->insecure && n == 0)
		return sync_fail(err, errlen, -EINVAL,
				 "redundancy.security: no key configured: the sync channel carries SA keys; give security.key, or security.insecure = true to run it in clear");
	if (n > sizeof(f->secret))
		return sync_fail(err, errlen, -EINVAL,
				 "redundancy.security.key: %zu characters, at most %zu",
				 n, sizeof(f->secret));
	f = calloc(1, sizeof(*f));
	if (f == NULL)
		return sync_fail(err, errlen, -ENOMEM, "out of memory");
	f->insecure = cfg->insecure;
	memcpy(f->secret, cfg->key != NULL ? cfg->key : "", n);
	f->secret_len = n;
	if (!f->insecure) {
		f->enc = EVP_CIPHER_CTX_new();
		f->dec = EVP_CIPHER_CTX_new();
		if (f->enc == NULL || f->dec == NULL ||
		    EVP_EncryptInit_ex(f->enc, EVP_aes_256_gcm(), NULL, NULL,
				       NULL) != 1 ||
		    EVP_DecryptInit_ex(f->dec, EVP_aes_256_gcm(), NULL, NULL,
				       NULL) != 1) {
			sync_frame_destroy(f);
			return sync_fail(err, errlen, -ENOMEM,
					 "OpenSSL: cannot set up AES-256-GCM");
		}
	}
	*out = f;
	return 0;
}

void
sync_frame_destroy(struct sync_frame *f)
{
	if (f == NULL)
		return;
	EVP_CIPHER_CTX_free(f->enc);   /* cleanses the expanded keys */
	EVP_CIPHER_CTX_free(f->dec);
	OPENSSL_cleanse(f, sizeof(*f));
	free(f);
}

const char *
sync_frame_warning(const struct sync_frame *f)
{
	return f->insecure ? insecure_warning : NULL;
}

int
sync_frame_new_epoch(uint64_t *epoch)
{
	uint8_t b[8];

	do {
		if (RAND_bytes(b, sizeof(b)) != 1)
			return -EIO;
		*epoch = tw_get64(b);
	} while (*epoch == 0);
	return 0;
}

int
sync_frame_reset(struct sync_frame *f, uint64_t epoch)
{
	int rc = 0;

	if (epoch == 0)
		return -EINVAL;
	OPENSSL_cleanse(&f->tx, sizeof(f->tx));
	OPENSSL_cleanse(&f->rx, sizeof(f->rx));
	f->tx_epoch = 0;
	f->tx_seq = 0;
	f->rx_epoch = 0;
	f->rx_seq = 0;
	f->rx_confirmed = false;
	if (!f->insecure)
		rc = derive(f, epoch, &f->tx);
	if (rc == 0)
		f->tx_epoch = epoch;
	return rc;
}

static void
nonce(const struct dir_keys *k, uint64_t seq, uint8_t iv[NONCE_LEN])
{
	memcpy(iv, k->salt, SALT_LEN);
	tw_put64(iv + SALT_LEN, seq);
}

int
sync_frame_seal(struct sync_frame *f, const uint8_t *msg, size_t len,
		uint8_t *out, size_t cap)
{
	size_t body = len + (f->insecure ? 0 : SYNC_FRAME_TAG_LEN);
	uint8_t iv[NONCE_LEN];
	int n, fin;

	if (f->tx_epoch == 0)
		return -ENOTCONN;
	if (len > SYNC_MSG_MAX)
		return -EMSGSIZE;
	if (cap < SYNC_FRAME_HDR_LEN + body)
		return -ENOSPC;
	if (f->tx_seq == UINT64_MAX)
		return -EOVERFLOW;
	/* Used up whatever happens next: a nonce is never used twice. */
	f->tx_seq++;
	out[0] = SYNC_FRAME_VERSION;
	out[1] = f->insecure ? SYNC_FRAME_F_INSECURE : 0;
	out[2] = 0;
	out[3] = 0;
	out[4] = (uint8_t)(body >> 24);
	out[5] = (uint8_t)(body >> 16);
	out[6] = (uint8_t)(body >> 8);
	out[7] = (uint8_t)body;
	tw_put64(out + 8, f->tx_epoch);
	tw_put64(out + 16, f->rx_epoch);
	tw_put64(out + 24, f->tx_seq);
	if (f->insecure) {
		memmove(out + SYNC_FRAME_HDR_LEN, msg, len);
		f->cnt.sealed++;
		return (int)(SYNC_FRAME_HDR_LEN + body);
	}
	nonce(&f->tx, f->tx_seq, iv);
	if (EVP_EncryptInit_ex(f->enc, NULL, NULL, f->tx.key, iv) != 1 ||
	    EVP_EncryptUpdate(f->enc, NULL, &n, out,
			      SYNC_FRAME_HDR_LEN) != 1 ||
	    EVP_EncryptUpdate(f->enc, out + SYNC_FRAME_HDR_LEN, &n, msg,
			      (int)len) != 1 ||
	    EVP_EncryptFinal_ex(f->enc, out + SYNC_FRAME_HDR_LEN + n,
				&fin) != 1 ||
	    (size_t)(n + fin) != len ||
	    EVP_CIPHER_CTX_ctrl(f->enc, EVP_CTRL_GCM_GET_TAG,
				SYNC_FRAME_TAG_LEN,
				out + SYNC_FRAME_HDR_LEN + len) != 1)
		return -EIO;
	f->cnt.sealed++;
	return (int)(SYNC_FRAME_HDR_LEN + body);
}

int
sync_frame_length(const uint8_t *hdr, size_t len)
{
	uint32_t body;

	if (len < SYNC_FRAME_HDR_LEN || hdr[0] != SYNC_FRAME_VERSION)
		return -EINVAL;
	body = tw_get32(hdr + 4);
	if (body > SYNC_FRAME_MAX - SYNC_FRAME_HDR_LEN)
		return -EINVAL;
	return (int)(SYNC_FRAME_HDR_LEN + body);
}

/* Header checks that need no key. */
static int
check_header(struct sync_frame *f, const uint8_t *in, size_t len,
	     char *err, size_t errlen)
{
	uint64_t sender, receiver, seq;
	uint8_t flags;
	uint32_t body;
	size_t min;

	if (len < SYNC_FRAME_HDR_LEN) {
		f->cnt.malformed++;
		return sync_fail(err, errlen, -EINVAL,
				 "frame of %zu bytes, shorter than its %u-byte header",
				 len, SYNC_FRAME_HDR_LEN);
	}
	if (in[0] != SYNC_FRAME_VERSION) {
		f->cnt.bad_version++;
		return sync_fail(err, errlen, -EPROTONOSUPPORT,
				 "sync frame version %u, this twin speaks %u",
				 in[0], SYNC_FRAME_VERSION);
	}
	flags = in[1];
	body = tw_get32(in + 4);
	sender = tw_get64(in + 8);
	receiver = tw_get64(in + 16);
	seq = tw_get64(in + 24);
	if ((flags & ~SYNC_FRAME_F_INSECURE) != 0 || in[2] != 0 ||
	    in[3] != 0) {
		f->cnt.malformed++;
		return sync_fail(err, errlen, -EINVAL,
				 "frame with unknown flags 0x%02x or reserved bytes set",
				 flags);
	}
	if (((flags & SYNC_FRAME_F_INSECURE) != 0) != f->insecure) {
		f->cnt.mode_mismatch++;
		return sync_fail(err, errlen, -EPROTO,
				 f->insecure ?
				 "the twin protects its sync messages and we run insecure: set the same redundancy.security on both twins" :
				 "the twin sends its sync messages in clear (security.insecure = true) and we do not: set the same redundancy.security on both twins");
	}
	min = f->insecure ? 0 : SYNC_FRAME_TAG_LEN;
	if (body != len - SYNC_FRAME_HDR_LEN || body < min ||
	    body - min > SYNC_MSG_MAX) {
		f->cnt.malformed++;
		return sync_fail(err, errlen, -EINVAL,
				 "frame length field %u, %zu bytes follow the header",
				 body, len - SYNC_FRAME_HDR_LEN);
	}
	if (f->tx_epoch == 0) {
		f->cnt.not_connected++;
		return sync_fail(err, errlen, -ENOTCONN,
				 "frame before the connection was set up");
	}
	if (sender == 0 || seq == 0) {
		f->cnt.malformed++;
		return sync_fail(err, errlen, -EINVAL,
				 "frame with epoch or sequence number 0");
	}
	if (sender == f->tx_epoch) {
		f->cnt.reflected++;
		return sync_fail(err, errlen, -EINVAL,
				 "frame carries our own epoch %016" PRIx64 ": reflected",
				 sender);
	}
	if (receiver != 0 && receiver != f->tx_epoch) {
		f->cnt.stale_epoch++;
		return sync_fail(err, errlen, -ESTALE,
				 "frame for our epoch %016" PRIx64 ", ours is now %016" PRIx64 " (an earlier connection)",
				 receiver, f->tx_epoch);
	}
	/*
	 * Until a frame proves it belongs to this connection (it names our
	 * epoch), a newer epoch may replace the pinned one: a replayed first
	 * frame of an earlier connection must not lock the twin out.
	 */
	if (f->rx_epoch != 0 && sender != f->rx_epoch && f->rx_confirmed) {
		f->cnt.stale_epoch++;
		return sync_fail(err, errlen, -ESTALE,
				 "frame from twin epoch %016" PRIx64 ", this connection's is %016" PRIx64,
				 sender, f->rx_epoch);
	}
	if (f->rx_epoch == sender && seq <= f->rx_seq) {
		f->cnt.replayed++;
		return sync_fail(err, errlen, -EALREADY,
				 "sequence number %" PRIu64 " replayed or out of order (last %" PRIu64 ")",
				 seq, f->rx_seq);
	}
	return 0;
}

static int
decrypt(struct sync_frame *f, const struct dir_keys *k, const uint8_t *in,
	size_t len, uint8_t *out, uint64_t seq)
{
	size_t clen = len - SYNC_FRAME_HDR_LEN - SYNC_FRAME_TAG_LEN;
	uint8_t tag[SYNC_FRAME_TAG_LEN];
	uint8_t iv[NONCE_LEN];
	int n, fin;

	memcpy(tag, in + SYNC_FRAME_HDR_LEN + clen, SYNC_FRAME_TAG_LEN);
	nonce(k, seq, iv);
	if (EVP_DecryptInit_ex(f->dec, NULL, NULL, k->key, iv) != 1 ||
	    EVP_DecryptUpdate(f->dec, NULL, &n, in,
			      SYNC_FRAME_HDR_LEN) != 1 ||
	    EVP_DecryptUpdate(f->dec, out, &n, in + SYNC_FRAME_HDR_LEN,
			      (int)clen) != 1 ||
	    EVP_CIPHER_CTX_ctrl(f->dec, EVP_CTRL_GCM_SET_TAG,
				SYNC_FRAME_TAG_LEN, tag) != 1)
		return -EIO;
	if (EVP_DecryptFinal_ex(f->dec, out + n, &fin) != 1)
		return -EBADMSG;
	return n + fin;
}

int
sync_frame_open(struct sync_frame *f, const uint8_t *in, size_t len,
		uint8_t *out, size_t cap, struct sync_frame_rx *rx,
		char *err, size_t errlen)
{
	uint64_t sender, receiver, seq;
	struct dir_keys k;
	size_t mlen;
	int rc;

	rc = check_header(f, in, len, err, errlen);
	if (rc != 0)
		return rc;
	sender = tw_get64(in + 8);
	receiver = tw_get64(in + 16);
	seq = tw_get64(in + 24);
	mlen = len - SYNC_FRAME_HDR_LEN -
		(f->insecure ? 0 : SYNC_FRAME_TAG_LEN);
	if (cap < mlen)
		return sync_fail(err, errlen, -ENOSPC,
				 "message of %zu bytes, room for %zu", mlen,
				 cap);
	if (f->insecure) {
		memmove(out, in + SYNC_FRAME_HDR_LEN, mlen);
	} else {
		if (f->rx_epoch == sender) {
			k = f->rx;
		} else {
			rc = derive(f, sender, &k);
			if (rc != 0)
				return sync_fail(err, errlen, rc,
						 "key derivation failed");
		}
		rc = decrypt(f, &k, in, len, out, seq);
		if (rc < 0 || (size_t)rc != mlen) {
			OPENSSL_cleanse(&k, sizeof(k));
			OPENSSL_cleanse(out, mlen);
			f->cnt.bad_tag++;
			return sync_fail(err, errlen, -EBADMSG,
					 "bad authentication tag on frame %" PRIu64 " (is redundancy.security.key the same on both twins?)",
					 seq);
		}
		if (f->rx_epoch != sender)
			f->rx = k;
		OPENSSL_cleanse(&k, sizeof(k));
	}
	rx->new_epoch = f->rx_epoch != sender;
	if (rx->new_epoch)
		f->cnt.epochs++;
	f->rx_epoch = sender;
	f->rx_seq = seq;
	f->cnt.opened++;
	rx->epoch = sender;
	rx->seq = seq;
	rx->confirmed = receiver == f->tx_epoch;
	if (rx->confirmed)
		f->rx_confirmed = true;
	return (int)mlen;
}

uint64_t
sync_frame_epoch(const struct sync_frame *f)
{
	return f->tx_epoch;
}

uint64_t
sync_frame_peer_epoch(const struct sync_frame *f)
{
	return f->rx_epoch;
}

bool
sync_frame_insecure(const struct sync_frame *f)
{
	return f->insecure;
}

void
sync_frame_counters_read(const struct sync_frame *f,
			 struct sync_frame_counters *out)
{
	*out = f->cnt;
}
