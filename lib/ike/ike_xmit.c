/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Messages out: header and SK payload, our one outstanding request with
 * exponential back-off and a give-up (RFC 7296 2.1, 2.4), and the cached
 * last response a retransmitted request gets again (2.1). Window of 1:
 * a new request only after the previous one was answered (2.3).
 */
#include <errno.h>
#include <string.h>

#include "ike_priv.h"
#include "tw_compiler.h"
#include "tw_log.h"

#define RTX_SHIFT_MAX 6 /* back-off doubles up to 64 times the first */

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

void
ike_xmit_response(struct ike_engine *e, struct ike_sa *sa, int len)
{
	if (len <= 0)
		return;
	sa->resp_len = (uint16_t)len;
	sa->resp_valid = true;
	sa->msgid_in++;
	ike_act_send(e, sa, sa->resp_buf, sa->resp_len);
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
