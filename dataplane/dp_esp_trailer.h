/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef DP_ESP_TRAILER_H
#define DP_ESP_TRAILER_H

/*
 * Why librte_ipsec refused a decrypted inbound tunnel-mode packet.
 * rte_ipsec_pkt_process() returns the packets it will not decapsulate at
 * the tail of the array, and DPDK 22.11's tun_process_check() fails one
 * check for a trailer that runs past the payload, padding that is not
 * 1, 2, 3, ... and a next header other than the SA's (4, IPv4) alike: read
 * the trailer ourselves (RFC 4303 2.4) to tell which.
 *
 * m is as rte_ipsec_pkt_process() left it: decrypted in place, data at the
 * outer IPv4 header, hlen = l2_len + l3_len up to the ESP header, and the
 * packet length still counting the sqh_len bytes of ESN high bits that
 * librte_ipsec appended after the ICV for its verification (inb_prepare()).
 */

#include <stdint.h>

#include <rte_byteorder.h>
#include <rte_esp.h>
#include <rte_mbuf.h>

#include "dp_drop.h"

#define DP_ESP_HDR_LEN 8          /* SPI, sequence number */
#define DP_ESP_NH_IPV4 4
#define DP_ESP_NH_IPV6 41
#define DP_ESP_NH_NONE 59         /* RFC 4303 2.6: a dummy packet */

static inline enum dp_drop_reason
dp_esp_trailer_why(const struct rte_mbuf *m, uint32_t hlen, uint32_t iv_len,
		   uint32_t icv_len, uint32_t sqh_len)
{
	uint8_t tbuf[2], pbuf[UINT8_MAX];
	const uint8_t *t, *pad;
	uint32_t start, off, i;

	start = hlen + DP_ESP_HDR_LEN + iv_len;
	if (m->pkt_len < start + 2 + icv_len + sqh_len)
		return DP_DROP_ESP_TRUNC;
	off = m->pkt_len - sqh_len - icv_len - 2;
	t = rte_pktmbuf_read(m, off, sizeof(tbuf), tbuf);
	if (t == NULL)
		return DP_DROP_CRYPTO;
	/* t[0] pad length, t[1] next header */
	if (t[1] == DP_ESP_NH_NONE)
		return DP_DROP_ESP_DUMMY;
	if (t[1] == DP_ESP_NH_IPV6)
		return DP_DROP_INNER_IPV6;
	if (t[1] != DP_ESP_NH_IPV4)
		return DP_DROP_ESP_NEXT_HDR;
	if (t[0] > off - start)
		return DP_DROP_ESP_PAD;   /* more padding than payload */
	pad = rte_pktmbuf_read(m, off - t[0], t[0], pbuf);
	if (pad == NULL)
		return DP_DROP_CRYPTO;
	for (i = 0; i < t[0]; i++)
		if (pad[i] != (uint8_t)(i + 1))
			return DP_DROP_ESP_PAD;
	return DP_DROP_CRYPTO;       /* none of the above: librte_ipsec's */
}

/*
 * Before decryption (dp_sa.c inb_precheck()): the checks librte_ipsec
 * would otherwise fail with a reason we could not tell from a replay.
 * m: data at the outer header, l2_len + l3_len up to the ESP header (UDP
 * included for NAT-T). Length and alignment of the ciphertext, the ICV in
 * the last segment with tailroom for librte_ipsec's AAD and ESN bits, the
 * SPI (spi_be, network order) the SAD lookup chose. DP_DROP_MAX when none
 * fails, with *low the sequence number as sent (32 bits).
 */
static inline enum dp_drop_reason
dp_esp_hdr_why(const struct rte_mbuf *m, uint32_t iv_len, uint32_t icv_len,
	       uint32_t pad_align, uint32_t tailroom, rte_be32_t spi_be,
	       uint32_t *low)
{
	const struct rte_esp_hdr *esp;
	struct rte_esp_hdr buf;
	const struct rte_mbuf *last;
	uint32_t hl, plen, clen;

	hl = m->l2_len + m->l3_len;
	if (m->pkt_len < hl + sizeof(buf))
		return DP_DROP_ESP_TRUNC;
	plen = m->pkt_len - hl;
	if (plen < sizeof(buf) + iv_len + icv_len + 2u)
		return DP_DROP_ESP_TRUNC;
	clen = plen - sizeof(buf) - iv_len - icv_len;
	if (clen % pad_align != 0)
		return DP_DROP_ESP_TRUNC;
	last = rte_pktmbuf_lastseg((struct rte_mbuf *)(uintptr_t)m);
	if (last->data_len < icv_len ||
	    rte_pktmbuf_tailroom(last) < tailroom)
		return DP_DROP_CRYPTO;
	esp = rte_pktmbuf_read(m, hl, sizeof(buf), &buf);
	if (esp == NULL)
		return DP_DROP_CRYPTO;
	if (esp->spi != spi_be)
		return DP_DROP_NO_SA;
	*low = rte_be_to_cpu_32(esp->seq);
	return DP_DROP_MAX;
}

#endif /* DP_ESP_TRAILER_H */
