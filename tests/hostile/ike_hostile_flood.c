/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ike_hostile initflood: IKE_SA_INIT requests from -n source addresses at
 * -r per second for -t seconds, no state kept; with -c the gateway's
 * COOKIEs are echoed (a source that sees its replies). The answers are
 * counted by kind.
 */
#include <poll.h>
#include <stdio.h>
#include <string.h>

#include "ike_hostile.h"
#include "ike_peer.h"
#include "ike_proposal.h"

static struct ike_proposal flood_prop;
static uint8_t flood_pub[IKE_DH_PUB_MAX], flood_ni[32];
static int flood_pub_len;
static unsigned long fl_sent, fl_cookie, fl_answer, fl_noprop, fl_other;
static unsigned long fl_cookie_echoed;

static int
flood_msg(uint8_t *buf, size_t cap, uint64_t spi_i, const uint8_t *cookie,
	  size_t cookie_len)
{
	struct ike_hdr h = {
		.spi_i = spi_i,
		.major = IKE_MAJOR_VERSION,
		.exchange = IKE_EXCH_SA_INIT,
		.flags = IKE_FLAG_INITIATOR,
	};
	struct ike_builder b;

	ike_build_init(&b, buf, cap, &h);
	if (cookie != NULL)
		ike_build_notify(&b, IKE_PROTO_NONE, NULL, 0, IKE_N_COOKIE,
				 cookie, cookie_len);
	ike_build_sa(&b, &flood_prop, 1);
	ike_build_ke(&b, IKE_DH_ECP_256, flood_pub, (size_t)flood_pub_len);
	ike_build_nonce(&b, flood_ni, sizeof(flood_ni));
	return ike_build_finish(&b);
}

static void
flood_rx(void)
{
	static uint8_t buf[BUF], out[BUF];
	static struct ike_msg m;
	const struct ike_payload *c;
	unsigned int k, from_i;
	const char *why;
	int n;

	for (k = 0; k < 256; k++) {
		struct ike_pkt pkt;
		ssize_t len = ike_peer_recv(sock, buf, sizeof(buf), &pkt);
		uint32_t dst;

		if (len < 0)
			return;
		dst = pkt.dst.v4;
		if (ike_msg_decode(buf, (size_t)len, &m, &why) < 0 ||
		    m.hdr.exchange != IKE_EXCH_SA_INIT) {
			fl_other++;
			continue;
		}
		from_i = 0;
		c = ike_msg_notify(&m, IKE_N_COOKIE);
		if (c != NULL) {
			fl_cookie++;
			if (!o_cookie || dst == 0)
				continue;
			n = flood_msg(out, sizeof(out), m.hdr.spi_i,
				      c->u.notify.data.p, c->u.notify.data.len);
			if (n > 0) {
				send_from(dst, o_gw, out, (size_t)n);
				fl_cookie_echoed++;
			}
		} else if (ike_msg_find(&m, IKE_PL_SA, &from_i) != NULL) {
			fl_answer++;
		} else if (ike_msg_notify(&m, IKE_N_NO_PROPOSAL_CHOSEN) != NULL) {
			fl_noprop++;
		} else {
			fl_other++;
		}
	}
}

int
sc_initflood(void)
{
	struct pollfd pfd;
	static uint8_t msg[BUF];
	struct ike_dh *dh;
	tw_time_t t0, end, due;
	uint64_t spi;
	int n;

	bind_ike();
	ike_proposal_init(&flood_prop, 1, IKE_PROTO_IKE, NULL, 0);
	ike_proposal_add(&flood_prop, IKE_XF_ENCR, IKE_ENCR_AES_GCM_16, 128);
	ike_proposal_add(&flood_prop, IKE_XF_PRF, IKE_PRF_HMAC_SHA2_256, 0);
	ike_proposal_add(&flood_prop, IKE_XF_DH, IKE_DH_ECP_256, 0);
	if (ops->dh_new(IKE_DH_ECP_256, &rng, &dh) < 0 ||
	    (flood_pub_len = ops->dh_public(dh, flood_pub,
					    sizeof(flood_pub))) < 0 ||
	    ike_rng_bytes(&rng, flood_ni, sizeof(flood_ni)) < 0)
		die("cannot make a key share");
	ops->dh_free(dh);
	pfd.fd = sock;
	pfd.events = POLLIN;
	t0 = now_ns();
	end = t0 + TW_SEC(o_secs);
	due = t0;
	while (now_ns() < end) {
		while (due <= now_ns()) {
			if (ike_rng_spi(&rng, &spi) < 0)
				die("no random");
			n = flood_msg(msg, sizeof(msg), spi, NULL, 0);
			if (n < 0)
				die("cannot build IKE_SA_INIT");
			send_from(o_local + (uint32_t)(fl_sent % o_n), o_gw,
				  msg, (size_t)n);
			fl_sent++;
			due += TW_NSEC_PER_SEC / o_pps;
		}
		if (poll(&pfd, 1, 1) > 0)
			flood_rx();
	}
	end = now_ns() + TW_SEC(1);
	while (now_ns() < end)
		if (poll(&pfd, 1, 50) > 0)
			flood_rx();
	printf("{\"scenario\": \"initflood\", \"sources\": %u, \"seconds\": %u, \"sent\": %lu, \"pps\": %.0f, \"cookies\": %lu, \"cookies_echoed\": %lu, \"answers\": %lu, \"no_proposal\": %lu, \"other\": %lu, \"send_errors\": %lu}\n",
	       o_n, o_secs, fl_sent, (double)fl_sent / o_secs, fl_cookie,
	       fl_cookie_echoed, fl_answer, fl_noprop, fl_other, send_errors);
	return 0;
}
