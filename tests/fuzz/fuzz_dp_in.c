/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target for the fast path's inbound checks, the C functions the
 * workers run, on fake mbufs (one or two segments) without EAL:
 *
 *  - dp_classify() (dataplane/dp_classify.h): Ethernet, the outer IPv4
 *    checks (dp_ipv4_check()), local delivery, ESP and NAT-T ESP (RFC 3948
 *    non-ESP marker) demultiplexing and the SAD lookup in a fake snapshot
 *    of four SAs, multicast, VIPs of the twin, TTL, the ACL key;
 *  - for ESP to a known SA: dp_esp_hdr_why() (lengths, alignment, tailroom,
 *    SPI) with that SA's IV/ICV/block sizes, then, taking the ciphertext as
 *    if it were the plaintext, dp_esp_trailer_why() (padding, next header);
 *  - the payload as a decrypted inner packet: RFC 6040 ECN decapsulation
 *    (dp_ecn_decap_apply()) and dp_ipv4_check() at offset 0.
 *
 * Every verdict is compared with a model written here from the RFCs on
 * the flat bytes (RFC 791/1812 header checks, RFC 4303 2.4 trailer, RFC
 * 6040 4.2): a disagreement aborts. Also: lengths, l2_len/l3_len and the
 * trim to the IP total length; an IN packet's SPI is its SA's; ECN keeps a
 * good checksum good.
 *
 * Input: flags (bit 0 inside port, bits 1-2 RX checksum flags, bit 3 ESN
 * high bits after the ICV), the split of the frame into two segments (0:
 * one), the last segment's tailroom, then the Ethernet frame.
 *
 *   replay_dp_in tests/fuzz/corpus/dp_in            (make test)
 *   build-fuzz/tests/fuzz/fuzz_dp_in corpus/dp_in   (make fuzz)
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_mbuf.h>

#include "dp_classify.h"
#include "dp_ecn.h"
#include "dp_esp_trailer.h"
#include "tw_compiler.h"

#define FRAME_MAX 2048
#define HEADROOM 128
#define N_SA 4
#define OUT_ADDR 0xc0000201u       /* 192.0.2.1 */
#define IN_ADDR 0x0a000001u        /* 10.0.0.1 */
#define VIP_TWIN 0x0a0000feu
#define ETH 14

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct seg {
	struct rte_mbuf m;
	uint8_t room[HEADROOM + FRAME_MAX + 64];
};

/* The fake SAs: SPI and the sizes dp_sa.c takes from the algorithms. */
struct fake_sa {
	uint32_t spi;
	uint8_t iv, icv, align;
};

static const struct fake_sa sas[N_SA] = {
	{ 0x00001001, 8, 16, 4 },    /* AES-GCM-128 */
	{ 0x00001002, 16, 12, 16 },  /* AES-CBC + HMAC-SHA1-96 */
	{ 0x00001003, 16, 16, 16 },  /* AES-CBC + HMAC-SHA256-128 */
	{ 0x80000004, 8, 16, 4 },    /* GCM, high bit set */
};

static struct seg segs[2], isegs[2];
static struct dp_snap snap;
static uint8_t hmap_mem[sizeof(struct dp_hmap) +
		       16 * sizeof(struct dp_hmap_slot)];

static void
fail(int line)
{
	fprintf(stderr, "fuzz_dp_in.c:%d: check failed\n", line);
	abort();
}

#define check(ok) do { if (!(ok)) fail(__LINE__); } while (0)

static void
setup_once(void)
{
	struct dp_hmap *h = (struct dp_hmap *)hmap_mem;
	unsigned int i;
	uint32_t j;

	if (snap.sad != NULL)
		return;
	h->mask = 15;
	for (i = 0; i < N_SA; i++) {
		/* dp_hmap_get()'s probing: from the hash, linear */
		for (j = dp_hmap_hash(sas[i].spi) & h->mask;
		     h->slot[j].key != 0; j = (j + 1) & h->mask)
			;
		h->slot[j].key = sas[i].spi;
		h->slot[j].val = (uint64_t)(uintptr_t)&sas[i];
		h->n++;
	}
	snap.sad = h;
	snap.local_addr[0] = OUT_ADDR;     /* host order, as dp_tables.c */
	snap.local_addr[1] = IN_ADDR;
	snap.n_local = 2;
	snap.vip_standby[0] = VIP_TWIN;
	snap.n_vip_standby = 1;
}

/*
 * p[0..len) as an mbuf of one segment, or two split at split (0 or past
 * the end: one), the last with tailroom bytes of room after the data.
 */
static struct rte_mbuf *
make_mbuf(struct seg s[2], const uint8_t *p, size_t len, size_t split,
	  unsigned int tailroom)
{
	size_t n[2];
	int k, ns;

	if (split == 0 || split >= len) {
		n[0] = len;
		n[1] = 0;
		ns = 1;
	} else {
		n[0] = split;
		n[1] = len - split;
		ns = 2;
	}
	for (k = 0; k < ns; k++) {
		struct rte_mbuf *m = &s[k].m;

		memset(m, 0, sizeof(*m));
		m->buf_addr = s[k].room;
		m->data_off = HEADROOM;
		m->buf_len = (uint16_t)(HEADROOM + n[k] +
					(k == ns - 1 ? tailroom : 0));
		m->data_len = (uint16_t)n[k];
		m->nb_segs = 1;
		m->refcnt = 1;
		memcpy(s[k].room + HEADROOM, p, n[k]);
		p += n[k];
	}
	s[0].m.pkt_len = (uint32_t)len;
	if (ns == 2) {
		s[0].m.next = &s[1].m;
		s[0].m.nb_segs = 2;
	}
	return &s[0].m;
}

static uint16_t
be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
		(uint32_t)p[2] << 8 | p[3];
}

/* RFC 1071: the one's complement sum of the header is 0xffff. */
static bool
model_cksum_ok(const uint8_t *h, unsigned int hl)
{
	uint32_t sum = 0;
	unsigned int i;

	for (i = 0; i + 1 < hl; i += 2)
		sum += be16(h + i);
	while (sum > 0xffff)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum == 0xffff;
}

/*
 * RFC 791 / RFC 1812 5.2.2 on p (an IPv4 header at off of a packet of len
 * bytes, first segment first_len, last segment last_len): 0 good, 1 bad
 * header, 2 bad length, 3 bad checksum, as enum dp_ipv4_err.
 */
static int
model_ipv4(const uint8_t *p, size_t len, size_t off, size_t first_len,
	   size_t last_len, uint64_t csum)
{
	unsigned int hl, tl;
	size_t pad;

	if (first_len < off + 20)
		return 1;
	hl = (p[off] & 0xf) * 4u;
	if ((p[off] >> 4) != 4 || hl < 20 || first_len < off + hl)
		return 1;
	tl = be16(p + off + 2);
	if (tl < hl || tl > len - off)
		return 2;
	pad = len - off - tl;
	if (pad > last_len)
		return 2;         /* rte_pktmbuf_trim() cannot cross segments */
	if (csum == RTE_MBUF_F_RX_IP_CKSUM_BAD)
		return 3;
	if (csum != RTE_MBUF_F_RX_IP_CKSUM_GOOD && !model_cksum_ok(p + off, hl))
		return 3;
	return 0;
}

static bool
is_local(uint32_t a)
{
	return a == OUT_ADDR || a == IN_ADDR;
}

/* RFC 4303 2.4-2.6 on the flat bytes: what dp_esp_trailer_why() says. */
static enum dp_drop_reason
model_trailer(const uint8_t *p, size_t len, uint32_t hlen, uint32_t iv,
	      uint32_t icv, uint32_t sqh)
{
	uint32_t start = hlen + 8 + iv, off, i;
	uint8_t padlen, nh;

	if (len < start + 2 + icv + sqh)
		return DP_DROP_ESP_TRUNC;
	off = (uint32_t)len - sqh - icv - 2;
	padlen = p[off];
	nh = p[off + 1];
	if (nh == 59)
		return DP_DROP_ESP_DUMMY;
	if (nh == 41)
		return DP_DROP_INNER_IPV6;
	if (nh != 4)
		return DP_DROP_ESP_NEXT_HDR;
	if (padlen > off - start)
		return DP_DROP_ESP_PAD;
	for (i = 0; i < padlen; i++)
		if (p[off - padlen + i] != (uint8_t)(i + 1))
			return DP_DROP_ESP_PAD;
	return DP_DROP_CRYPTO;
}

/* RFC 6040 4.2 Figure 4, by the rules rather than the table. */
static int
model_ecn(unsigned int inner, unsigned int outer)
{
	if (outer == 3)
		return inner == 0 ? -1 : 3;       /* CE: drop over Not-ECT */
	if (inner == 0 || inner == 3)
		return (int)inner;
	if (outer == 1 && inner == 2)
		return 1;                         /* ECT(1) over ECT(0) */
	return (int)inner;
}

/* The decrypted inner packet: ECN from the outer header, then the checks. */
static void
inner(const uint8_t *p, size_t len, size_t split, unsigned int tailroom,
      uint8_t outer_ecn)
{
	uint8_t before[60];
	struct rte_mbuf *m = make_mbuf(isegs, p, len, split, tailroom);
	const uint8_t *d = isegs[0].room + HEADROOM;
	size_t first = m->data_len;
	size_t last = m->next != NULL ? m->next->data_len : first;
	enum dp_ipv4_err e;
	bool good_before, keep;
	int want, we;
	uint16_t hl;

	memcpy(before, p, len < sizeof(before) ? len : sizeof(before));
	good_before = first >= 20 && (p[0] & 0xf) >= 5 &&
		first >= (p[0] & 0xfu) * 4 &&
		model_cksum_ok(p, (p[0] & 0xf) * 4u);
	keep = dp_ecn_decap_apply(m, outer_ecn);
	if (first >= 20) {
		want = model_ecn(before[1] & 3, outer_ecn);
		check(keep == (want >= 0));
		if (keep) {
			check((d[1] & 3) == want);
			check((d[1] & ~3) == (before[1] & ~3));
			/* RFC 1624: a good checksum stays good */
			if (good_before)
				check(model_cksum_ok(d, (d[0] & 0xf) * 4u));
		}
	} else {
		check(keep);
	}
	if (!keep)
		return;
	/* the model sees the bytes after ECN */
	memcpy(before, d, first < sizeof(before) ? first : sizeof(before));
	we = model_ipv4(d, len, 0, first, last, 0);
	e = dp_ipv4_check(m, 0, 0, &hl);
	check((int)e == we);
	if (e == DP_IPV4_OK) {
		check(hl == (d[0] & 0xf) * 4u);
		check(m->pkt_len == be16(d + 2));
	}
}

static void
esp(struct rte_mbuf *m, const uint8_t *frame, size_t len,
    const struct fake_sa *sa, bool esn, unsigned int tailroom, size_t split)
{
	uint32_t hl = m->l2_len + m->l3_len, low = 0, sqh = esn ? 4 : 0;
	const struct rte_mbuf *lastseg = rte_pktmbuf_lastseg(m);
	enum dp_drop_reason r, want;
	uint32_t clen;
	size_t plen = len;

	/* model of dp_esp_hdr_why() */
	if (plen < hl + 8 || plen - hl < 8u + sa->iv + sa->icv + 2)
		want = DP_DROP_ESP_TRUNC;
	else if ((clen = (uint32_t)(plen - hl - 8 - sa->iv - sa->icv)) %
		 sa->align != 0)
		want = DP_DROP_ESP_TRUNC;
	else if (lastseg->data_len < sa->icv || tailroom < 16)
		want = DP_DROP_CRYPTO;
	else
		want = DP_DROP_MAX;
	r = dp_esp_hdr_why(m, sa->iv, sa->icv, sa->align, 16,
			   rte_cpu_to_be_32(sa->spi), &low);
	check(r == want);
	if (r != DP_DROP_MAX)
		return;
	check(low == be32(frame + hl + 4));
	check(be32(frame + hl) == sa->spi);

	/* as if decrypted in place: the trailer checks */
	r = dp_esp_trailer_why(m, hl, sa->iv, sa->icv, sqh);
	check(r == model_trailer(frame, plen, hl, sa->iv, sa->icv, sqh));
	if (r != DP_DROP_CRYPTO)
		return;
	/* padding and next header right: the payload is the inner packet */
	{
		uint32_t start = hl + 8 + sa->iv;
		uint32_t end = (uint32_t)plen - sqh - sa->icv - 2 -
			frame[plen - sqh - sa->icv - 2];

		inner(frame + start, end - start, split, tailroom,
		      frame[ETH + 1] & 3);
	}
}

/*
 * IPv6 frames go to dp_ip6.c, which reads the port table (EAL): not this
 * target's; a stub with a verdict of its own, which the model expects.
 */
enum dp_ip6_cls
dp_ip6_classify(const struct dp_snap *s TW_UNUSED, uint16_t port TW_UNUSED,
		struct rte_mbuf *m TW_UNUSED,
		enum dp_drop_reason *why)
{
	*why = DP_DROP_IPV6_HDR;
	return DP_IP6_DROP;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint64_t csums[4] = {
		RTE_MBUF_F_RX_IP_CKSUM_UNKNOWN, RTE_MBUF_F_RX_IP_CKSUM_GOOD,
		RTE_MBUF_F_RX_IP_CKSUM_BAD, RTE_MBUF_F_RX_IP_CKSUM_NONE,
	};
	uint8_t frame[FRAME_MAX];
	struct dp_acl_key key = { 0 };
	enum dp_drop_reason why;
	struct dp_sa *sa = NULL;
	struct rte_mbuf *m;
	bool inside, esn;
	size_t len, split, first, last;
	unsigned int tailroom;
	uint64_t csum;
	enum dp_cls cls;
	int want;

	if (size < 3 || size - 3 > FRAME_MAX)
		return -1;
	setup_once();
	inside = data[0] & 1;
	csum = csums[(data[0] >> 1) & 3];
	esn = (data[0] & 8) != 0;
	split = data[1];
	tailroom = data[2] % 64;
	len = size - 3;
	memcpy(frame, data + 3, len);

	m = make_mbuf(segs, frame, len, split, tailroom);
	m->ol_flags = csum;
	first = m->data_len;
	last = m->next != NULL ? m->next->data_len : first;
	cls = dp_classify(&snap, 0, inside, m, &sa, &key, &why);

	if (first < ETH) {
		/* the Ethernet header in the first segment */
		check(cls == DP_CLS_DROP && why == DP_DROP_MALFORMED);
		return 0;
	}
	if (be16(frame + 12) == 0x0806) {
		check(cls == DP_CLS_PUNT);
		return 0;
	}
	if (be16(frame + 12) == 0x86dd) {
		/* dp_ip6.c's own verdict (its stub below) */
		check(cls == DP_CLS_DROP && why == DP_DROP_IPV6_HDR);
		return 0;
	}
	if (be16(frame + 12) != 0x0800) {
		check(cls == DP_CLS_DROP && why == DP_DROP_NOT_IPV4);
		return 0;
	}
	want = model_ipv4(frame, len, ETH, first, last, csum);
	if (want != 0) {
		check(cls == DP_CLS_DROP && why == DP_DROP_MALFORMED);
		return 0;
	}
	{
		const uint8_t *ip = frame + ETH;
		unsigned int hl = (ip[0] & 0xf) * 4u, tl = be16(ip + 2);
		uint32_t dst = be32(ip + 16);
		bool frag = (be16(ip + 6) & 0x3fff) != 0;
		const uint8_t *l4 = ip + hl;

		/* the outer header passed: trimmed to its total length */
		check(m->pkt_len == ETH + tl);
		check(m->l2_len == ETH);
		len = ETH + tl;
		if (is_local(dst)) {
			check(cls != DP_CLS_TRANSIT && cls != DP_CLS_TTL);
			if (frag) {
				/* ESP and UDP are reassembled (dp_reasm.c) */
				check(cls == (ip[9] == 50 || ip[9] == 17 ?
					      DP_CLS_FRAG : DP_CLS_PUNT));
				return 0;
			}
			if (cls == DP_CLS_PUNT) {
				/* not ESP; UDP not NAT-T ESP */
				check(ip[9] != 50);
				check(ip[9] != 17 || tl < hl + 16 ||
				      first < ETH + hl + 16 ||
				      be16(l4 + 2) != 4500 ||
				      be32(l4 + 8) == 0);
				return 0;
			}
			if (cls == DP_CLS_DROP) {
				check(why == DP_DROP_MALFORMED ||
				      why == DP_DROP_NO_SA);
				return 0;
			}
			check(cls == DP_CLS_IN && sa != NULL);
			check(m->l3_len == (ip[9] == 17 ? hl + 8 : hl));
			/* the trimmed padding became tailroom */
			esp(m, frame, len, (const struct fake_sa *)sa, esn,
			    tailroom + (unsigned int)(size - 3 - len), split);
			return 0;
		}
		if ((dst >> 28) == 0xe || dst == UINT32_MAX) {
			check(cls == DP_CLS_PUNT);
			return 0;
		}
		if (dst == VIP_TWIN) {
			check(cls == DP_CLS_DROP &&
			      why == DP_DROP_VIP_STANDBY);
			return 0;
		}
		if (ip[8] <= 1) {
			check(cls == DP_CLS_TTL);
			return 0;
		}
		check(cls == DP_CLS_TRANSIT);
		check(key.proto == ip[9]);
		if (inside)
			check(rte_be_to_cpu_32(key.src) == be32(ip + 12) &&
			      rte_be_to_cpu_32(key.dst) == dst);
		else
			check(rte_be_to_cpu_32(key.dst) == be32(ip + 12) &&
			      rte_be_to_cpu_32(key.src) == dst);
	}
	return 0;
}
