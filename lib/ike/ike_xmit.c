/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Messages out: header and SK payload, our one outstanding request with
 * exponential back-off and a give-up (RFC 7296 2.1, 2.4), and the cached
 * last response a retransmitted request gets again (2.1). Window of 1:
 * a new request only after the previous one was answered (2.3).
 */
#include <errno.h>
#include <string.h>

#include <openssl/crypto.h>

#include "ike_priv.h"
#include "tw_compiler.h"
#include "tw_log.h"

#define RTX_SHIFT_MAX 6 /* back-off doubles up to 64 times the first */
/* A retransmitted request is answered from the cache at most this often
 * per IKE SA: the peer's own back-off is slower, a flood gets no more. */
#define RESP_AGAIN_GAP TW_MSEC(500)

void
ike_msg_begin(struct ike_engine *e TW_UNUSED, const struct ike_sa *sa,
	      struct ike_builder *b, uint8_t *buf, uint8_t exch,
	      bool response, uint32_t msgid)
{
	struct ike_hdr h = {
		.spi_i = sa->spi_i,
		.spi_r = sa->spi_r,
		.major = IKE_MAJOR_VERSION,
		.minor = IKE_MINOR_VERSION,
		.exchange = exch,
		.msg_id = msgid,
	};

	if (sa->initiator)
		h.flags |= IKE_FLAG_INITIATOR;
	if (response)
		h.flags |= IKE_FLAG_RESPONSE;
	ike_build_init(b, buf, IKE_MSG_BUF, &h);
	if (exch != IKE_EXCH_SA_INIT)
		ike_build_sk_begin(b, ike_sk_iv_len(sa->algs.encr));
}

int
ike_msg_seal(struct ike_engine *e, struct ike_sa *sa,
	     struct ike_builder *b, bool encrypted)
{
	struct ike_sk_ctx ctx;
	int len;

	if (!encrypted)
		return ike_build_finish(b);
	ike_sk_ctx_init(&ctx, e->ops, &sa->keys, sa->initiator, true, &sa->sk);
	len = ike_sk_seal(b, &ctx, &e->rng);
	if (len < 0)
		ike_log(e, sa, TW_LOG_ERR, "cannot seal a message: %d", len);
	return len;
}

static tw_time_t
rtx_timeout(const struct ike_engine *e, unsigned int tries)
{
	unsigned int shift = tries < RTX_SHIFT_MAX ? tries : RTX_SHIFT_MAX;

	return TW_MSEC((uint64_t)e->cfg->retransmit_ms << shift);
}

void
ike_xmit_request(struct ike_engine *e, struct ike_sa *sa,
		 enum ike_req_kind kind, int len)
{
	if (len <= 0)
		return;
	sa->req = kind;
	sa->req_len = (uint16_t)len;
	sa->tries = 0;
	sa->rtx_at = e->now + rtx_timeout(e, 0);
	ike_act_send(e, sa, sa->req_buf, sa->req_len);
}

/* The request's fingerprint: SHA-1 over all of it (header, SK payload
 * and its ICV). All zero if the hash fails: then nothing matches. */
static void
req_hash(const struct ike_engine *e, const struct ike_pkt *pkt,
	 uint8_t out[IKE_REQ_HASH_LEN])
{
	struct ike_chunk c = { .p = pkt->data, .len = pkt->len };

	if (e->ops->sha1(&c, 1, out) < 0)
		memset(out, 0, IKE_REQ_HASH_LEN);
}

void
ike_xmit_response(struct ike_engine *e, struct ike_sa *sa, int len)
{
	if (len <= 0)
		return;
	sa->resp_len = (uint16_t)len;
	sa->resp_valid = true;
	/* What it answers (e->pkt: the request being handled). */
	sa->resp_req_len = 0;
	memset(sa->resp_req_hash, 0, sizeof(sa->resp_req_hash));
	if (e->pkt != NULL && e->pkt->len <= UINT16_MAX) {
		sa->resp_req_len = (uint16_t)e->pkt->len;
		req_hash(e, e->pkt, sa->resp_req_hash);
	}
	sa->resp_again_at = 0;
	sa->msgid_in++;
	ike_act_send(e, sa, sa->resp_buf, sa->resp_len);
}

/*
 * RFC 7296 2.1: the responder answers "a retransmission of the request"
 * with its cached response. A retransmission is byte-identical, so the
 * cache answers only a datagram of the request's length and hash: a
 * spoofed header with the previous message ID (anyone who sees our SPIs
 * can send one) gets nothing, nor does anything the ICV would refuse.
 * Even the genuine request, replayed by someone on the path, is answered
 * once per RESP_AGAIN_GAP: the answer goes to the peer, never to the
 * sender, but the peer is not to be flooded with it.
 */
bool
ike_xmit_again(struct ike_engine *e, struct ike_sa *sa, const char **why)
{
	uint8_t h[IKE_REQ_HASH_LEN];

	if (!sa->resp_valid) {
		*why = "retransmission, but no response cached";
		return false;
	}
	if (e->pkt->len != sa->resp_req_len) {
		e->cnt.rx_retransmit_mismatch++;
		*why = "previous message ID, not the request answered";
		return false;
	}
	req_hash(e, e->pkt, h);
	if (CRYPTO_memcmp(h, sa->resp_req_hash, sizeof(h)) != 0) {
		e->cnt.rx_retransmit_mismatch++;
		*why = "previous message ID, not the request answered";
		return false;
	}
	if (e->now < sa->resp_again_at) {
		e->cnt.rx_retransmit_limited++;
		*why = "retransmission answered a moment ago";
		return false;
	}
	sa->resp_again_at = e->now + RESP_AGAIN_GAP;
	e->cnt.rx_retransmits++;
	ike_act_send(e, sa, sa->resp_buf, sa->resp_len);
	return true;
}

void
ike_xmit_done(struct ike_engine *e TW_UNUSED, struct ike_sa *sa)
{
	sa->req = IKE_REQ_NONE;
	sa->rtx_at = TW_TIME_NEVER;
	sa->tries = 0;
	sa->msgid_out++;
}

void
ike_xmit_now(struct ike_engine *e, struct ike_sa *sa)
{
	if (sa->req == IKE_REQ_NONE)
		return;
	sa->tries = 0;
	sa->rtx_at = e->now + rtx_timeout(e, 0);
	e->cnt.tx_retransmits++;
	ike_act_send(e, sa, sa->req_buf, sa->req_len);
}

void
ike_xmit_timer(struct ike_engine *e, struct ike_sa *sa)
{
	unsigned int limit = sa->req == IKE_REQ_DPD ? e->cfg->dpd_retries :
		e->cfg->retransmit_tries;

	if (sa->tries >= limit) {
		e->cnt.timeouts++;
		if (sa->req == IKE_REQ_DPD) {
			e->cnt.dpd_dead++;
			ike_log(e, sa, TW_LOG_WARNING,
				"peer dead: %u liveness checks unanswered",
				sa->tries + 1);
			ike_sa_kill(e, sa, "DPD: peer not responding");
		} else if (sa->req == IKE_REQ_DELETE_IKE) {
			ike_sa_kill(e, sa, "deleted (DELETE not answered)");
		} else {
			ike_log(e, sa, TW_LOG_WARNING,
				"no answer after %u retransmissions: giving up",
				sa->tries);
			ike_sa_kill(e, sa, "peer not responding");
		}
		return;
	}
	sa->tries++;
	sa->rtx_at = e->now + rtx_timeout(e, sa->tries);
	e->cnt.tx_retransmits++;
	ike_act_send(e, sa, sa->req_buf, sa->req_len);
}

void
ike_respond_notify(struct ike_engine *e, struct ike_sa *sa, uint8_t exch,
		   uint16_t type, const uint8_t *data, size_t len)
{
	struct ike_builder b;

	ike_msg_begin(e, sa, &b, sa->resp_buf, exch, true, sa->msgid_in);
	ike_build_notify(&b, IKE_PROTO_NONE, NULL, 0, type, data, len);
	ike_xmit_response(e, sa, ike_msg_seal(e, sa, &b, true));
}
