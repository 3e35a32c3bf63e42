/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * One ESP SA of the fast path on top of librte_ipsec: tunnel mode, IPv4 in
 * IPv4, optional RFC 3948 UDP encapsulation, AES-GCM (RFC 4106) or AES-CBC
 * (RFC 3602) with HMAC-SHA1-96 (RFC 2404) / HMAC-SHA256-128 (RFC 4868).
 *
 * librte_ipsec does the ESP work; this file adds what it leaves to the
 * application: the outer header fix-ups (checksum, DF, UDP length), the
 * reason each bad packet failed (replay, ICV, policy, other), the inner
 * selector check, and IOS-style per-worker counters.
 *
 * Outer IPv4 header: TTL 64, protocol 50 (17 with UDP encapsulation), the
 * inner TOS byte copied whole (DSCP: RFC 4301 5.1.2.1, the IOS default,
 * or the crypto map's fixed DSCP when it sets one;
 * ECN: RFC 6040 4.1 normal mode, librte_ipsec's copy_dscp and ecn options),
 * DF copied from the inner header (RFC 4301 8.1: "copy" is one of the three
 * permitted settings, and the IOS default "crypto ipsec df-bit copy"), so a
 * DF packet stays DF end to end and PMTUD works through the tunnel; the
 * identification field is the low 16 bits of the ESP sequence number
 * (librte_ipsec), unique for the SA's lifetime in practice. On
 * decapsulation the inner ECN field is combined with the outer one by
 * RFC 6040 4.2 here (librte_ipsec's own inbound ecn option neither drops
 * CE over Not-ECT nor fixes the checksum); the inner DSCP is kept.
 */

/* rte_security.h (pulled in by rte_ipsec.h) has experimental inlines. */
#define ALLOW_EXPERIMENTAL_API 1

#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_cryptodev.h>
#include <rte_errno.h>
#include <rte_esp.h>
#include <rte_ip.h>
#include <rte_ipsec.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_memcpy.h>
#include <rte_pause.h>
#include <rte_prefetch.h>
#include <rte_spinlock.h>
#include <rte_udp.h>

#include "dp_ecn.h"
#include "dp_esp_trailer.h"
#include "dp_replay.h"
#include "dp_sa.h"
#include "tw_compiler.h"
#include "tw_log.h"

#define CHUNK DP_CRYPTO_BURST
#define NO_DROP DP_DROP_MAX
#define DP_SA_MAX_WINDOW 65536
/* librte_ipsec keeps AAD (<= 12) and the ESN high bits (4) past the ICV. */
#define INB_TAILROOM 16

/* One worker's counters: only that worker writes them. */
struct dp_sa_wctr {
	uint64_t pkts;      /* encaps+encrypt+digest or decaps+decrypt+verify */
	uint64_t bytes;     /* inner packet bytes */
	uint64_t errors;    /* every packet this SA dropped */
	uint64_t replay;
	uint64_t auth;
	uint64_t policy;
	uint64_t seq;       /* last sequence number sent / highest received */
} __rte_cache_aligned;

/*
 * Layout (issue 17): what a worker reads for every packet is in the first
 * two cache lines, line 0 the librte_ipsec session (its SA and crypto
 * session pointers included, so the prefetch of what they point to needs
 * nothing else), line 1 the rest; the fields after them are read only by
 * the control lcore, at creation, or on rare paths. With 10^5 SAs each
 * packet's SA is out of cache: two lines to fetch instead of four.
 * The worker's counters (wc[worker], its own line, the only per-packet
 * writes besides librte_ipsec's sequence number) follow in the block.
 */
struct dp_sa {
	struct rte_ipsec_session ss; /* cache aligned: first; line 0 */
	/* line 1: per packet */
	struct dp_sa_wctr *wc;       /* n_workers slots */
	struct dp_replay *replay;    /* inbound: the authoritative window */
	uint32_t *progress;          /* the params' progress or own_progress */
	struct dp_crypto *crypto;    /* AES-CBC IVs, lookaside ops */
	rte_be32_t spi_be;
	/*
	 * One's complement sum of the outer header template without its
	 * length, identification, fragment and checksum words (all zero in
	 * the template): outb_finish() adds the per-packet ones.
	 */
	uint32_t hdr_sum;
	uint32_t remote_addr;        /* host order */
	uint16_t hdr_len;            /* outer IPv4 (+ UDP) or IPv6 */
	uint16_t overhead;
	rte_be16_t udp_sport_be, udp_dport_be;
	/*
	 * Inbound with several workers: RSS spreads an SA's packets by outer
	 * addresses and UDP ports, which whoever replays them chooses, so
	 * two workers may hold packets of one inbound SA at once. The
	 * window's check and update (ours and librte_ipsec's process(),
	 * which wants one writer too) run under this lock; decryption does
	 * not. See inb_chunk().
	 */
	rte_spinlock_t inb_lock;
	uint8_t iv_len, icv_len, pad_align;
	uint8_t dscp_tos;
	uint8_t progress_shift;
	uint8_t n_sel;
	bool lookaside:1;
	bool cbc_outb:1;             /* outbound AES-CBC: see cbc_set_ivs() */
	bool inbound:1;
	bool udp_encap:1;
	bool esn:1;
	bool dscp_fixed:1;           /* outbound: outer DSCP dscp_tos >> 2 */
	bool outer6:1, inner6:1;     /* issue 18: IPv6 outer, IPv6 inner */
	bool inb_mt:1;
	/* cold: the control lcore, creation, destruction */
	struct rte_ipsec_sa *isa __rte_cache_aligned;
	void *cs;                    /* cryptodev session */
	uint32_t spi;
	uint8_t remote6[16];         /* outer6: the peer, network order */
	uint32_t id;
	uint32_t local_addr;
	uint32_t replay_window;
	unsigned int n_workers;
	bool isa_init;               /* rte_ipsec_sa_init() done */
	uint32_t slot;               /* dp_tables.c staging, control lcore */
	uint32_t size;               /* of the whole block */
	uint32_t own_progress;       /* progress goes here when nobody asks */
	/* dp_sa_counters_clear() snapshot of the summed worker counters */
	struct {
		uint64_t pkts, errors, bytes, replay, auth, policy;
	} base;
	/*
	 * One rte_malloc block per SA (each block costs a 64-byte element
	 * header and a cache-line round-up): this struct with n_sel
	 * selectors and the replay window (inbound), then (cache aligned)
	 * wc[n_workers] and the librte_ipsec SA.
	 */
	struct dp_selector sel[];
};

/* The per-packet part is the first two lines (see above). */
_Static_assert(RTE_CACHE_LINE_SIZE != 64 ||
	       offsetof(struct dp_sa, isa) == 2 * RTE_CACHE_LINE_SIZE,
	       "struct dp_sa: per-packet fields past two cache lines");

/* 64-bit sequence number nearest to ref with these low 32 bits (ESN). */
static inline uint64_t
seq_expand(uint64_t ref, uint32_t low)
{
	const uint64_t half = UINT64_C(1) << 31, epoch = UINT64_C(1) << 32;
	uint64_t s = (ref & ~(epoch - 1)) | low;

	if (s + half < ref)
		s += epoch;
	else if (s > ref + half && s >= epoch)
		s -= epoch;
	return s;
}

static bool
in_list(struct rte_mbuf *const l[], uint16_t n, const struct rte_mbuf *m)
{
	uint16_t i;

	for (i = 0; i < n; i++)
		if (l[i] == m)
			return true;
	return false;
}

static void
count_drop(struct dp_sa *sa TW_UNUSED, struct dp_sa_wctr *wc,
	   struct dp_drop_counters *drops, enum dp_drop_reason r)
{
	drops->count[r]++;
	if (r == DP_DROP_ESP_DUMMY)
		return; /* RFC 4303 2.6: discarded silently, not an error */
	wc->errors++;
	if (r == DP_DROP_REPLAY)
		wc->replay++;
	else if (r == DP_DROP_ICV)
		wc->auth++;
	else if (r == DP_DROP_POLICY)
		wc->policy++;
}

/*
 * Tell the control lcore's watch that seq went from old into another
 * grain (dp_sa_params.progress): a store every 2^shift numbers, to a line
 * the control lcore reads, instead of it reading the counters we write.
 */
static inline void
progress_publish(struct dp_sa *sa, uint64_t old, uint64_t seq)
{
	if (((old ^ seq) >> sa->progress_shift) != 0)
		__atomic_store_n(sa->progress, (uint32_t)seq,
				 __ATOMIC_RELEASE);
}

/*
 * Outbound AES-CBC IVs (RFC 3602 2.4: random and unpredictable).
 *
 * librte_ipsec (DPDK 22.11, lib/ipsec) gets this wrong by itself. Its
 * outbound prepare (outb_tun_pkt_prepare() in esp_outb.c) writes the IV
 * field from gen_iv() (crypto.h): the 64-bit sequence number and 64 zero
 * bits, P0 = seq || 0. For CBC, esp_outb_init() (sa.c) starts the cipher
 * range at that field, so P0 is encrypted as the first block and the
 * ciphertext block C0 = AES_K(P0 ^ IV') goes out as the IV, IV' being the
 * IV handed to the cipher:
 *  - cpu-crypto, cpu_outb_pkt_prepare(): IV' is the same gen_iv() buffer,
 *    IV' = P0, so every packet's IV was AES_K(0^128) and identical inner
 *    packets had identical ciphertexts;
 *  - lookaside, outb_cop_prepare(): the CBC case never writes the op's IV
 *    area, so IV' was whatever an earlier use left in the op; the IVs
 *    varied by accident, and with a zeroed area would be AES_K(seq || 0),
 *    an encrypted counter under the data key, which a host sending
 *    chosen plaintext through the tunnel can make us compute in advance
 *    (Rogaway, FSE 2004).
 * So for an outbound CBC SA both modes use librte_ipsec's lookaside
 * prepare (rte_ipsec_pkt_crypto_prepare(): header, padding, trailer,
 * sequence number, ESN high bits) and then, per op: a fresh IV from the
 * worker's source (dp_crypto_iv_next()) is written to the packet's IV
 * field and to the op's IV area, and the cipher range is moved past the
 * IV field, so the IV on the wire is the IV the cipher used (RFC 3602 2.4).
 * The authenticated range still starts at the ESP header (RFC 4303 3.3.2:
 * the ICV covers the IV). Cost: one 16-byte IV copied twice and 1/128 of a
 * 2 KiB AES-CTR refill per packet, and one AES block less to encrypt.
 *
 * Ops whose packet gets no IV (the source failed) are flagged failed and
 * listed in cerr; the others are moved to the front (swapped, the array
 * keeps every op): returns their count.
 */
static uint16_t
cbc_set_ivs(struct dp_sa *sa, unsigned int worker, struct rte_crypto_op *cop[],
	    uint16_t k, struct rte_mbuf *cerr[], uint16_t *ncerr)
{
	struct dp_crypto_wk *wk = &sa->crypto->wk[worker];
	const uint32_t ivofs = sa->hdr_len + sizeof(struct rte_esp_hdr);
	struct rte_crypto_sym_op *sop;
	struct rte_crypto_op *op;
	const uint8_t *iv;
	uint16_t i, q = 0;

	for (i = 0; i < k; i++) {
		op = cop[i];
		sop = op->sym;
		iv = dp_crypto_iv_next(wk);
		if (unlikely(iv == NULL)) {
			sop->m_src->ol_flags |= RTE_MBUF_F_RX_SEC_OFFLOAD_FAILED;
			cerr[(*ncerr)++] = sop->m_src;
			continue;
		}
		rte_memcpy(rte_pktmbuf_mtod_offset(sop->m_src, uint8_t *, ivofs),
			   iv, 16);
		rte_memcpy(rte_crypto_op_ctod_offset(op, uint8_t *,
						     DP_CRYPTO_IV_OFFSET),
			   iv, 16);
		/* A librte_ipsec that already leaves the IV out is left be. */
		if (sop->cipher.data.offset == ivofs) {
			sop->cipher.data.offset += 16;
			sop->cipher.data.length -= 16;
		}
		/* Swap, not overwrite: the caller frees all k ops. */
		cop[i] = cop[q];
		cop[q++] = op;
	}
	return q;
}

/* At most this many buffers for one cpu-crypto call (as librte_ipsec). */
#define CPU_VECS 255

/*
 * cpu-crypto for an outbound CBC burst: librte_ipsec's ops (cbc_set_ivs())
 * turned into one rte_cryptodev_sym_cpu_crypto_process() call. Every op of
 * an SA has the same layout: the buffer is the authenticated range, the
 * cipher range starts ESP header + IV into it and ends before the ESN high
 * bits (RFC 4303 3.3.2.1.4); an op that differs fails rather than being
 * processed with another's offsets. Failed packets are flagged for
 * rte_ipsec_pkt_process() and listed in cerr.
 */
static void
cpu_run(struct dp_sa *sa, struct rte_crypto_op *cop[], uint16_t q,
	struct rte_mbuf *cerr[], uint16_t *ncerr)
{
	struct rte_crypto_va_iova_ptr iv[CHUNK], dg[CHUNK], aad[CHUNK];
	struct rte_crypto_sgl sgl[CHUNK];
	struct rte_crypto_vec vec[CPU_VECS];
	struct rte_crypto_sym_vec sv;
	struct rte_crypto_sym_op *sop;
	struct rte_mbuf *mb[CHUNK];
	union rte_crypto_sym_ofs ofs;
	int32_t st[CHUNK];
	uint32_t head, tail, nv = 0;
	uint16_t i, j = 0, n = 0;
	int v = 0;

	if (q == 0)
		return;
	sop = cop[0]->sym;
	head = sop->cipher.data.offset - sop->auth.data.offset;
	tail = sop->auth.data.offset + sop->auth.data.length -
		sop->cipher.data.offset - sop->cipher.data.length;
	ofs.raw = 0;
	ofs.ofs.cipher.head = head;
	ofs.ofs.cipher.tail = tail;
	memset(&sv, 0, sizeof(sv));
	for (i = 0; i <= q; i++) {
		if (i < q) {
			sop = cop[i]->sym;
			if (sop->cipher.data.offset - sop->auth.data.offset !=
			    head ||
			    sop->auth.data.offset + sop->auth.data.length -
			    sop->cipher.data.offset -
			    sop->cipher.data.length != tail) {
				sop->m_src->ol_flags |=
					RTE_MBUF_F_RX_SEC_OFFLOAD_FAILED;
				cerr[(*ncerr)++] = sop->m_src;
				continue;
			}
			v = rte_crypto_mbuf_to_vec(sop->m_src,
				sop->auth.data.offset, sop->auth.data.length,
				vec + nv, CPU_VECS - nv);
		}
		/* Flush at the end, or when vec[] cannot take this packet. */
		if (i == q || v < 0) {
			sv.num = n - j;
			sv.src_sgl = sgl + j;
			sv.iv = iv + j;
			sv.digest = dg + j;
			sv.aad = aad + j;
			sv.status = st + j;
			if (sv.num != 0)
				rte_cryptodev_sym_cpu_crypto_process(
					sa->crypto->dev_id, sa->cs, ofs, &sv);
			if (i == q)
				break;
			j = n;
			nv = 0;
			v = rte_crypto_mbuf_to_vec(sop->m_src,
				sop->auth.data.offset, sop->auth.data.length,
				vec, CPU_VECS);
			if (v < 0) { /* more segments than one call takes */
				st[n] = -1;
				mb[n] = sop->m_src;
				sgl[n].vec = vec;
				sgl[n].num = 0;
				n++;
				j = n;
				continue;
			}
		}
		sgl[n].vec = vec + nv;
		sgl[n].num = (uint32_t)v;
		nv += (uint32_t)v;
		iv[n].va = rte_crypto_op_ctod_offset(cop[i], void *,
						     DP_CRYPTO_IV_OFFSET);
		dg[n].va = sop->auth.digest.data;
		aad[n].va = NULL;
		mb[n] = sop->m_src;
		n++;
	}
	for (i = 0; i < n; i++) {
		if (st[i] == 0)
			continue;
		mb[i]->ol_flags |= RTE_MBUF_F_RX_SEC_OFFLOAD_FAILED;
		cerr[(*ncerr)++] = mb[i];
	}
}

/* cpu-crypto, outbound AES-CBC: see cbc_set_ivs(). */
static uint16_t
cpu_cbc_outb(struct dp_sa *sa, unsigned int worker, struct rte_mbuf *w[],
	     uint16_t n, struct rte_mbuf *cerr[], uint16_t *ncerr)
{
	struct rte_crypto_op **cop = sa->crypto->wk[worker].ops;
	uint16_t k, q;

	k = rte_ipsec_pkt_crypto_prepare(&sa->ss, w, cop, n);
	q = cbc_set_ivs(sa, worker, cop, k, cerr, ncerr);
	cpu_run(sa, cop, q, cerr, ncerr);
	return k;
}

/*
 * Lookaside: prepare ops, enqueue them on the worker's own queue pair and
 * wait for all of them. A synchronous round trip per burst is enough for
 * the software PMDs we use (they do the work in dequeue anyway); a hardware
 * PMD would want the dequeue deferred to the next loop iteration, which
 * means keeping mbufs in flight across dp_sa_process() calls: not yet.
 * Failed ops set RTE_MBUF_F_RX_SEC_OFFLOAD_FAILED on their mbuf, which is
 * how rte_ipsec_pkt_process() learns about them; ones that failed for a
 * reason other than authentication are also listed in cerr.
 */
static uint16_t
lookaside_prepare(struct dp_sa *sa, unsigned int worker, struct rte_mbuf *w[],
		  uint16_t n, struct rte_mbuf *cerr[], uint16_t *ncerr)
{
	struct rte_crypto_op *cop[CHUNK], *done[CHUNK];
	struct rte_mempool *pool = sa->crypto->op_pool;
	uint8_t dev = sa->crypto->dev_id;
	uint16_t k, q, e, got, d, i;
	struct rte_mbuf *m;

	if (rte_crypto_op_bulk_alloc(pool, RTE_CRYPTO_OP_TYPE_SYMMETRIC,
				     cop, n) == 0) {
		for (i = 0; i < n; i++)
			cerr[(*ncerr)++] = w[i];
		return 0;
	}
	k = rte_ipsec_pkt_crypto_prepare(&sa->ss, w, cop, n);
	if (k == 0)
		goto out;
	q = sa->cbc_outb ? cbc_set_ivs(sa, worker, cop, k, cerr, ncerr) : k;
	e = rte_cryptodev_enqueue_burst(dev, (uint16_t)worker, cop, q);
	for (i = e; i < q; i++) {
		m = cop[i]->sym->m_src;
		m->ol_flags |= RTE_MBUF_F_RX_SEC_OFFLOAD_FAILED;
		cerr[(*ncerr)++] = m;
	}
	for (got = 0; got < e; got += d) {
		d = rte_cryptodev_dequeue_burst(dev, (uint16_t)worker,
						done + got, e - got);
		if (d == 0)
			rte_pause();
	}
	for (i = 0; i < e; i++) {
		if (done[i]->status == RTE_CRYPTO_OP_STATUS_SUCCESS)
			continue;
		m = done[i]->sym->m_src;
		m->ol_flags |= RTE_MBUF_F_RX_SEC_OFFLOAD_FAILED;
		if (done[i]->status != RTE_CRYPTO_OP_STATUS_AUTH_FAILED)
			cerr[(*ncerr)++] = m;
	}
out:
	rte_mempool_put_bulk(pool, (void **)cop, n);
	return k;
}

static uint16_t
sa_prepare(struct dp_sa *sa, unsigned int worker, struct rte_mbuf *w[],
	   uint16_t n, struct rte_mbuf *cerr[], uint16_t *ncerr)
{
	if (n == 0)
		return 0;
	if (sa->lookaside)
		return lookaside_prepare(sa, worker, w, n, cerr, ncerr);
	if (sa->cbc_outb)
		return cpu_cbc_outb(sa, worker, w, n, cerr, ncerr);
	return rte_ipsec_pkt_cpu_prepare(&sa->ss, w, n);
}

static bool
prefix_match(uint32_t addr, uint32_t pfx, uint8_t len)
{
	uint32_t mask;

	if (len == 0)
		return true;
	mask = len >= 32 ? UINT32_MAX : ~(UINT32_MAX >> len);
	return (addr & mask) == (pfx & mask);
}

static bool
prefix6_match(const uint8_t *addr, const uint8_t *pfx, uint8_t len)
{
	unsigned int full = len / 8u, rem = len % 8u;
	uint8_t mask;

	if (memcmp(addr, pfx, full) != 0)
		return false;
	if (rem == 0)
		return true;
	mask = (uint8_t)(0xffu << (8u - rem));
	return ((addr[full] ^ pfx[full]) & mask) == 0;
}

/*
 * The IPv6 inner packet against IPv6 selectors. Ports are read only when
 * the upper layer follows the fixed header: behind an extension header a
 * packet matches only selectors without ports (a port-restricted selector
 * cannot vouch for it, as for IPv4 fragments).
 */
static bool
selectors_match6(const struct dp_sa *sa, const struct rte_mbuf *m)
{
	const struct rte_ipv6_hdr *ip;
	const struct dp_selector *s;
	uint16_t ports[2], sport = 0, dport = 0;
	const uint16_t *pp;
	bool have_ports = false;
	unsigned int i;

	if (rte_pktmbuf_data_len(m) < sizeof(*ip))
		return false;
	ip = rte_pktmbuf_mtod(m, const struct rte_ipv6_hdr *);
	if ((rte_be_to_cpu_32(ip->vtc_flow) >> 28) != 6)
		return false;
	if (ip->proto == IPPROTO_TCP || ip->proto == IPPROTO_UDP ||
	    ip->proto == IPPROTO_SCTP) {
		pp = rte_pktmbuf_read(m, sizeof(*ip), sizeof(ports), ports);
		if (pp != NULL) {
			sport = rte_be_to_cpu_16(pp[0]);
			dport = rte_be_to_cpu_16(pp[1]);
			have_ports = true;
		}
	}
	for (i = 0; i < sa->n_sel; i++) {
		s = &sa->sel[i];
		if (!prefix6_match(ip->src_addr, s->src6, s->src_len) ||
		    !prefix6_match(ip->dst_addr, s->dst6, s->dst_len))
			continue;
		if (s->proto != 0 && s->proto != ip->proto)
			continue;
		if (s->sport_lo == 0 && s->sport_hi == UINT16_MAX &&
		    s->dport_lo == 0 && s->dport_hi == UINT16_MAX)
			return true;
		if (!have_ports)
			continue;
		if (sport >= s->sport_lo && sport <= s->sport_hi &&
		    dport >= s->dport_lo && dport <= s->dport_hi)
			return true;
	}
	return false;
}

/* Does the decrypted inner packet fall under one of the SA's selectors? */
static bool
selectors_match(const struct dp_sa *sa, const struct rte_mbuf *m)
{
	const struct rte_ipv4_hdr *ip;
	const struct dp_selector *s;
	uint16_t ports[2], frag;
	const uint16_t *pp;
	uint32_t src, dst, hl;
	bool have_ports = false;
	uint16_t sport = 0, dport = 0;
	unsigned int i;

	if (sa->n_sel == 0)
		return true;
	if (sa->inner6)
		return selectors_match6(sa, m);
	if (rte_pktmbuf_data_len(m) < sizeof(*ip))
		return false;
	ip = rte_pktmbuf_mtod(m, const struct rte_ipv4_hdr *);
	src = rte_be_to_cpu_32(ip->src_addr);
	dst = rte_be_to_cpu_32(ip->dst_addr);
	hl = (ip->version_ihl & 0x0f) * 4u;
	frag = rte_be_to_cpu_16(ip->fragment_offset) & RTE_IPV4_HDR_OFFSET_MASK;
	if (frag == 0 && (ip->next_proto_id == IPPROTO_TCP ||
			  ip->next_proto_id == IPPROTO_UDP ||
			  ip->next_proto_id == IPPROTO_SCTP)) {
		pp = rte_pktmbuf_read(m, hl, sizeof(ports), ports);
		if (pp != NULL) {
			sport = rte_be_to_cpu_16(pp[0]);
			dport = rte_be_to_cpu_16(pp[1]);
			have_ports = true;
		}
	}
	for (i = 0; i < sa->n_sel; i++) {
		s = &sa->sel[i];
		if (!prefix_match(src, s->src_addr, s->src_len) ||
		    !prefix_match(dst, s->dst_addr, s->dst_len))
			continue;
		if (s->proto != 0 && s->proto != ip->next_proto_id)
			continue;
		if (s->sport_lo == 0 && s->sport_hi == UINT16_MAX &&
		    s->dport_lo == 0 && s->dport_hi == UINT16_MAX)
			return true;
		/* A port-restricted selector cannot vouch for a portless packet. */
		if (!have_ports)
			continue;
		if (sport >= s->sport_lo && sport <= s->sport_hi &&
		    dport >= s->dport_lo && dport <= s->dport_hi)
			return true;
	}
	return false;
}

/*
 * Checks librte_ipsec would otherwise fail with a reason we could not tell
 * from a replay (dp_esp_hdr_why()), then the floor left by the sequence
 * number seed and the window.
 */
static enum dp_drop_reason
inb_precheck(const struct dp_sa *sa, const struct rte_mbuf *m, uint64_t *seq)
{
	enum dp_drop_reason r;
	uint32_t low;

	r = dp_esp_hdr_why(m, sa->iv_len, sa->icv_len, sa->pad_align,
			   INB_TAILROOM, sa->spi_be, &low);
	if (r != NO_DROP)
		return r;
	*seq = sa->esn ? dp_replay_esn(sa->replay, low) : low;
	if (dp_replay_seen(sa->replay, *seq))
		return DP_DROP_REPLAY;
	return NO_DROP;
}

/* The ECN field of the outer header (either family) at l2_len. */
static inline uint8_t
outer_ecn(const struct rte_mbuf *mb)
{
	const uint8_t *h = rte_pktmbuf_mtod_offset(mb, const uint8_t *,
						   mb->l2_len);

	/* IPv4: the TOS byte; IPv6: the traffic class straddles 0 and 1. */
	if ((h[0] >> 4) == 6)
		return (uint8_t)((h[1] >> 4) & RTE_IPV4_HDR_ECN_MASK);
	return h[1] & RTE_IPV4_HDR_ECN_MASK;
}

static uint16_t
inb_chunk(struct dp_sa *sa, unsigned int worker, struct dp_sa_wctr *wc,
	  struct rte_mbuf *m[], uint16_t n, struct dp_drop_counters *drops)
{
	struct rte_mbuf *w[CHUNK], *orig[CHUNK], *bad[CHUNK], *cerr[CHUNK];
	uint8_t why[CHUNK];
	uint64_t seq[CHUNK];
	uint16_t doff[CHUNK];
	uint8_t ecn[CHUNK];
	uint16_t nw = 0, nb = 0, ncerr = 0, k, p, i, j, ng;
	enum dp_drop_reason r;
	uint64_t top;
	struct rte_mbuf *mb;
	const struct rte_ipv4_hdr *ip;

	/*
	 * One writer per window whatever the RSS hash does (dp_sa.h): with
	 * several workers the window is read and written only under the
	 * SA's lock, taken twice per chunk (check, then process and update),
	 * never across the decryption; with one worker, not at all. A
	 * number two workers both decrypt is accepted by whichever updates
	 * first; the other copy fails the update (librte_ipsec's process()
	 * or dp_replay_update()) and is counted a replay.
	 */
	if (sa->inb_mt)
		rte_spinlock_lock(&sa->inb_lock);
	for (i = 0; i < n; i++) {
		mb = m[i];
		mb->ol_flags &= ~RTE_MBUF_F_RX_SEC_OFFLOAD_FAILED;
		r = inb_precheck(sa, mb, &seq[nw]);
		if (r != NO_DROP) {
			bad[nb] = mb;
			why[nb++] = r;
			continue;
		}
		doff[nw] = mb->data_off;
		/* The outer ECN field, gone once decapsulated. */
		ecn[nw] = outer_ecn(mb);
		orig[nw] = mb;
		w[nw++] = mb;
	}
	if (sa->inb_mt)
		rte_spinlock_unlock(&sa->inb_lock);

	/* Prepare checks the replay window (and, cpu-crypto, decrypts). */
	k = sa_prepare(sa, worker, w, nw, cerr, &ncerr);
	for (i = k; i < nw; i++) {
		bad[nb] = w[i];
		why[nb++] = in_list(cerr, ncerr, w[i]) ?
			DP_DROP_CRYPTO : DP_DROP_REPLAY;
	}

	/*
	 * Process rejects: failed crypto (flag set by the PMD path), bad
	 * padding or next header (packet left as it was), and a sequence
	 * number the window refused on update, after decapsulation (the
	 * packet was already moved on to its inner header).
	 */
	if (sa->inb_mt)
		rte_spinlock_lock(&sa->inb_lock);
	p = k != 0 ? rte_ipsec_pkt_process(&sa->ss, w, k) : 0;
	for (i = p; i < k; i++) {
		mb = w[i];
		bad[nb] = mb;
		if (mb->ol_flags & RTE_MBUF_F_RX_SEC_OFFLOAD_FAILED)
			why[nb++] = in_list(cerr, ncerr, mb) ?
				DP_DROP_CRYPTO : DP_DROP_ICV;
		else {
			for (j = 0; j < nw && orig[j] != mb; j++)
				;
			why[nb++] = (j < nw && doff[j] == mb->data_off) ?
				dp_esp_trailer_why(mb,
						   mb->l2_len + mb->l3_len,
						   sa->iv_len, sa->icv_len,
						   sa->esn ? 4 : 0) :
				DP_DROP_REPLAY;
		}
	}

	/* Good ones keep their relative order: walk orig[] alongside. */
	top = sa->replay->top;
	ng = 0;
	for (i = 0, j = 0; i < p; i++) {
		mb = w[i];
		while (orig[j] != mb)
			j++;
		/* Authenticated: now it counts for the window (a duplicate
		 * within this burst is caught here). */
		if (!dp_replay_update(sa->replay, seq[j])) {
			bad[nb] = mb;
			why[nb++] = DP_DROP_REPLAY;
			continue;
		}
		if (!selectors_match(sa, mb)) {
			bad[nb] = mb;
			why[nb++] = DP_DROP_POLICY;
			continue;
		}
		if (unlikely(sa->inner6 ? !dp_ecn6_decap_apply(mb, ecn[j]) :
			     !dp_ecn_decap_apply(mb, ecn[j]))) {
			bad[nb] = mb;
			why[nb++] = DP_DROP_ECN;
			continue;
		}
		ip = rte_pktmbuf_mtod(mb, const struct rte_ipv4_hdr *);
		mb->l2_len = 0;
		mb->l3_len = sa->inner6 ? sizeof(struct rte_ipv6_hdr) :
			(ip->version_ihl & 0x0f) * 4u;
		wc->pkts++;
		wc->bytes += mb->pkt_len;
		m[ng++] = mb;
	}
	progress_publish(sa, top, sa->replay->top);
	if (sa->inb_mt)
		rte_spinlock_unlock(&sa->inb_lock);
	for (i = 0; i < nb; i++) {
		count_drop(sa, wc, drops, (enum dp_drop_reason)why[i]);
		m[ng + i] = bad[i];
	}
	return ng;
}

/*
 * Outer header fix-ups librte_ipsec leaves to the application. It copied
 * the template and set total length, identification and TOS; the checksum
 * is the template's precomputed sum plus the four words that vary (RFC 1071
 * 2(B): the one's complement sum is byte-order independent, so the words
 * are added as they are in memory).
 */
static inline void
outb_finish(const struct dp_sa *sa, struct rte_mbuf *mb, bool df)
{
	struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod(mb, struct rte_ipv4_hdr *);
	struct rte_udp_hdr *udp;
	uint32_t sum;

	ip->fragment_offset = df ? RTE_BE16(RTE_IPV4_HDR_DF_FLAG) : 0;
	if (sa->udp_encap) {
		/* RFC 3948 2.1: checksum 0; ports as configured. */
		udp = (struct rte_udp_hdr *)(ip + 1);
		udp->src_port = sa->udp_sport_be;
		udp->dst_port = sa->udp_dport_be;
		udp->dgram_len = rte_cpu_to_be_16((uint16_t)(mb->pkt_len -
							     sizeof(*ip)));
		udp->dgram_cksum = 0;
	}
	ip->total_length = rte_cpu_to_be_16((uint16_t)mb->pkt_len);
	/* The crypto map's DSCP; the ECN bits stay the inner ones. */
	if (sa->dscp_fixed)
		ip->type_of_service = (uint8_t)(sa->dscp_tos |
			(ip->type_of_service & RTE_IPV4_HDR_ECN_MASK));
	/*
	 * The template's TOS is 0; librte_ipsec copied the inner one in
	 * (tos_mask 0xff): its word is (version/IHL, TOS) in memory, so
	 * the TOS byte alone adds as the big-endian value TOS.
	 */
	sum = sa->hdr_sum + ip->total_length + ip->packet_id +
		ip->fragment_offset +
		rte_cpu_to_be_16((uint16_t)ip->type_of_service);
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	ip->hdr_checksum = (rte_be16_t)~sum;
	mb->l2_len = 0;
	mb->l3_len = sizeof(*ip);
}

/*
 * The same for an IPv6 outer: librte_ipsec set the payload length; the
 * crypto map's DSCP replaces the copied one (the ECN bits stay).
 */
static inline void
outb_finish6(const struct dp_sa *sa, struct rte_mbuf *mb)
{
	struct rte_ipv6_hdr *ip = rte_pktmbuf_mtod(mb, struct rte_ipv6_hdr *);
	uint32_t vtc;

	ip->payload_len = rte_cpu_to_be_16((uint16_t)(mb->pkt_len -
						      sizeof(*ip)));
	if (sa->dscp_fixed) {
		vtc = rte_be_to_cpu_32(ip->vtc_flow);
		vtc = (vtc & ~(UINT32_C(0xfc) << 20)) |
			((uint32_t)sa->dscp_tos << 20);
		ip->vtc_flow = rte_cpu_to_be_32(vtc);
	}
	mb->l2_len = 0;
	mb->l3_len = sizeof(*ip);
}

static uint16_t
outb_chunk(struct dp_sa *sa, unsigned int worker, struct dp_sa_wctr *wc,
	   struct rte_mbuf *m[], uint16_t n, struct dp_drop_counters *drops)
{
	struct rte_mbuf *w[CHUNK], *orig[CHUNK], *bad[CHUNK], *cerr[CHUNK];
	uint8_t why[CHUNK];
	bool df[CHUNK];
	uint32_t ilen[CHUNK];
	uint16_t nw = 0, nb = 0, ncerr = 0, k, p, i, j, ng;
	const struct rte_ipv4_hdr *ip;
	const struct rte_esp_hdr *esp;
	struct rte_mbuf *mb;
	uint64_t full, last;

	for (i = 0; i < n; i++) {
		mb = m[i];
		mb->ol_flags &= ~RTE_MBUF_F_RX_SEC_OFFLOAD_FAILED;
		ip = rte_pktmbuf_mtod_offset(mb, const struct rte_ipv4_hdr *,
					     mb->l2_len);
		if (rte_pktmbuf_data_len(mb) < mb->l2_len +
		    (sa->inner6 ? sizeof(struct rte_ipv6_hdr) : sizeof(*ip)) ||
		    (ip->version_ihl >> 4) != (sa->inner6 ? 6 : 4)) {
			bad[nb] = mb;
			why[nb++] = DP_DROP_MALFORMED;
			continue;
		}
		/* IPv6 is never fragmented on the way (RFC 8200 5). */
		df[nw] = sa->inner6 || (ip->fragment_offset &
			  RTE_BE16(RTE_IPV4_HDR_DF_FLAG)) != 0;
		ilen[nw] = mb->pkt_len - mb->l2_len;
		orig[nw] = mb;
		w[nw++] = mb;
	}

	/* Fails: no head/tailroom, sequence number space exhausted. */
	k = sa_prepare(sa, worker, w, nw, cerr, &ncerr);
	p = k != 0 ? rte_ipsec_pkt_process(&sa->ss, w, k) : 0;
	for (i = p; i < nw; i++) {
		bad[nb] = w[i];
		why[nb++] = DP_DROP_CRYPTO;
	}

	ng = 0;
	last = wc->seq;
	for (i = 0, j = 0; i < p; i++) {
		mb = w[i];
		while (orig[j] != mb)
			j++;
		if (sa->outer6)
			outb_finish6(sa, mb);
		else
			outb_finish(sa, mb, df[j]);
		esp = rte_pktmbuf_mtod_offset(mb, const struct rte_esp_hdr *,
					      sa->hdr_len);
		full = rte_be_to_cpu_32(esp->seq);
		if (sa->esn)
			full = seq_expand(wc->seq, (uint32_t)full);
		if (full > wc->seq)
			wc->seq = full;
		wc->pkts++;
		wc->bytes += ilen[j];
		m[ng++] = mb;
	}
	progress_publish(sa, last, wc->seq);
	for (i = 0; i < nb; i++) {
		count_drop(sa, wc, drops, (enum dp_drop_reason)why[i]);
		m[ng + i] = bad[i];
	}
	return ng;
}

uint16_t
dp_sa_process(struct dp_sa *sa, unsigned int worker, struct rte_mbuf *mb[],
	      uint16_t n, struct dp_drop_counters *drops)
{
	struct rte_mbuf *m[CHUNK];
	struct dp_sa_wctr *wc;
	uint16_t pos = 0, ngood = 0, cn, g, eb;

	RTE_ASSERT(worker < sa->n_workers);
	wc = &sa->wc[worker];
	/*
	 * One chunk (a burst is at most DP_BURST_MAX <= CHUNK): in place.
	 * The chunk functions read all of m[] before they write it back
	 * (good ones first, then the bad), so no copy is needed.
	 */
	if (likely(n <= CHUNK))
		return sa->inbound ? inb_chunk(sa, worker, wc, mb, n, drops) :
			outb_chunk(sa, worker, wc, mb, n, drops);
	while (pos < n) {
		cn = RTE_MIN((uint16_t)(n - pos), (uint16_t)CHUNK);
		memcpy(m, mb + pos, cn * sizeof(m[0]));
		g = sa->inbound ? inb_chunk(sa, worker, wc, m, cn, drops) :
			outb_chunk(sa, worker, wc, m, cn, drops);
		/*
		 * mb[0, ngood) good so far, mb[ngood, pos) bad so far: slide
		 * the earlier bad ones up behind this chunk's good ones.
		 */
		eb = pos - ngood;
		if (eb != 0 && g != 0)
			memmove(mb + ngood + g, mb + ngood, eb * sizeof(mb[0]));
		memcpy(mb + ngood, m, g * sizeof(m[0]));
		memcpy(mb + ngood + g + eb, m + g, (cn - g) * sizeof(m[0]));
		ngood += g;
		pos += cn;
	}
	return ngood;
}

static int
check_params(const struct dp_sa_params *p, unsigned int n_workers, char *err,
	     size_t errlen)
{
	bool gcm = p->cipher == CONF_CIPHER_AES_GCM_128 ||
		p->cipher == CONF_CIPHER_AES_GCM_256;
	unsigned int key, akey, i;

	if (n_workers == 0) {
		snprintf(err, errlen, "SA %#x: no worker", p->spi);
		return -EINVAL;
	}
	if (p->progress_shift > 31) {
		snprintf(err, errlen, "SA %#x: progress grain 2^%u above 2^31",
			 p->spi, p->progress_shift);
		return -EINVAL;
	}
	/* RFC 4303 2.1: SPIs 1-255 are reserved by IANA, 0 is local use. */
	if (p->spi < 256) {
		snprintf(err, errlen, "SA %#x: SPI below 256 is reserved",
			 p->spi);
		return -EINVAL;
	}
	switch (p->cipher) {
	case CONF_CIPHER_AES_GCM_128:
	case CONF_CIPHER_AES_CBC_128:
		key = 16;
		break;
	case CONF_CIPHER_AES_GCM_256:
	case CONF_CIPHER_AES_CBC_256:
		key = 32;
		break;
	default:
		snprintf(err, errlen, "SA %#x: unknown cipher %d", p->spi,
			 (int)p->cipher);
		return -EINVAL;
	}
	if (gcm)
		key += 4; /* RFC 4106 8.1: the salt follows the key */
	if (p->cipher_key == NULL || p->cipher_key_len != key) {
		snprintf(err, errlen, "SA %#x: %s needs a %u-byte key%s, got %u",
			 p->spi, dp_crypto_cipher_name(p->cipher), key,
			 gcm ? " (including the 4-byte salt)" : "",
			 p->cipher_key_len);
		return -EINVAL;
	}
	switch (p->integ) {
	case CONF_INTEG_NONE:
		akey = 0;
		break;
	case CONF_INTEG_SHA1_96:
		akey = 20;
		break;
	case CONF_INTEG_SHA256_128:
		akey = 32;
		break;
	default:
		snprintf(err, errlen, "SA %#x: unknown integrity %d", p->spi,
			 (int)p->integ);
		return -EINVAL;
	}
	if (gcm != (p->integ == CONF_INTEG_NONE)) {
		snprintf(err, errlen, "SA %#x: %s %s integrity",
			 p->spi, dp_crypto_cipher_name(p->cipher),
			 gcm ? "is combined mode and takes no separate" :
			 "needs an");
		return -EINVAL;
	}
	if (akey != 0 && (p->auth_key == NULL || p->auth_key_len != akey)) {
		snprintf(err, errlen, "SA %#x: %s needs a %u-byte key, got %u",
			 p->spi, dp_crypto_integ_name(p->integ), akey,
			 p->auth_key_len);
		return -EINVAL;
	}
	if (p->replay_window > DP_SA_MAX_WINDOW) {
		snprintf(err, errlen, "SA %#x: replay window %u above %u",
			 p->spi, p->replay_window, DP_SA_MAX_WINDOW);
		return -EINVAL;
	}
	if (p->n_sel > DP_SA_MAX_SELECTORS) {
		snprintf(err, errlen, "SA %#x: %u selectors, at most %u",
			 p->spi, p->n_sel, DP_SA_MAX_SELECTORS);
		return -EINVAL;
	}
	if (p->udp_encap && p->family == 6) {
		snprintf(err, errlen,
			 "SA %#x: UDP encapsulation needs an IPv4 outer",
			 p->spi);
		return -EINVAL;
	}
	for (i = 0; i < p->n_sel; i++)
		if ((p->sel[i].family == 6) != (p->inner_family == 6) ||
		    p->sel[i].src_len > (p->inner_family == 6 ? 128 : 32) ||
		    p->sel[i].dst_len > (p->inner_family == 6 ? 128 : 32)) {
			snprintf(err, errlen,
				 "SA %#x: selector %u is not an IPv%u one",
				 p->spi, i, p->inner_family == 6 ? 6 : 4);
			return -EINVAL;
		}
	if (!p->esn && p->seq >= UINT32_MAX) {
		snprintf(err, errlen,
			 "SA %#x: sequence number %" PRIu64 " exhausts a non-ESN SA",
			 p->spi, p->seq);
		return -EINVAL;
	}
	return 0;
}

/* librte_ipsec parameters but the crypto transforms and the GCM salt. */
static void
sa_ipsec_prm(const struct dp_sa_params *p, unsigned int n_workers,
	     void *hdr, uint32_t hdr_len, struct rte_ipsec_sa_prm *prm)
{
	const struct rte_ipv4_hdr *h4 = hdr;

	memset(prm, 0, sizeof(*prm));
	prm->userdata = p->id;
	if (n_workers > 1)
		prm->flags |= RTE_IPSEC_SAFLAG_SQN_ATOM;
	prm->ipsec_xform.spi = p->spi;
	prm->ipsec_xform.direction = p->inbound ?
		RTE_SECURITY_IPSEC_SA_DIR_INGRESS :
		RTE_SECURITY_IPSEC_SA_DIR_EGRESS;
	prm->ipsec_xform.proto = RTE_SECURITY_IPSEC_SA_PROTO_ESP;
	prm->ipsec_xform.mode = RTE_SECURITY_IPSEC_SA_MODE_TUNNEL;
	if (p->family == 6) {
		prm->ipsec_xform.tunnel.type = RTE_SECURITY_IPSEC_TUNNEL_IPV6;
		memcpy(&prm->ipsec_xform.tunnel.ipv6.src_addr, p->local6, 16);
		memcpy(&prm->ipsec_xform.tunnel.ipv6.dst_addr, p->remote6, 16);
		prm->ipsec_xform.tunnel.ipv6.hlimit = 64;
	} else {
		prm->ipsec_xform.tunnel.type = RTE_SECURITY_IPSEC_TUNNEL_IPV4;
		prm->ipsec_xform.tunnel.ipv4.src_ip.s_addr = h4->src_addr;
		prm->ipsec_xform.tunnel.ipv4.dst_ip.s_addr = h4->dst_addr;
		prm->ipsec_xform.tunnel.ipv4.ttl = 64;
	}
	prm->ipsec_xform.options.esn = p->esn;
	/*
	 * Inbound, librte_ipsec 22.11 needs no UDP option (the ESP header is
	 * found at l2_len + l3_len, UDP included) and must not get one: its
	 * esp_sa_init() has no inbound case with the NAT-T bit and would
	 * leave the SA's cipher offsets unset.
	 */
	prm->ipsec_xform.options.udp_encap = p->udp_encap && !p->inbound;
	/*
	 * Outbound: the outer TOS is the inner's, DSCP and ECN (RFC 4301
	 * 5.1.2.1, RFC 6040 4.1 normal mode); librte_ipsec copies it in
	 * outb_tun_pkt_prepare() for lookaside and cpu-crypto alike.
	 * Inbound: not set, dp_ecn_decap_apply() does RFC 6040 4.2 itself.
	 */
	prm->ipsec_xform.options.copy_dscp = !p->inbound;
	prm->ipsec_xform.options.ecn = !p->inbound;
	/* Ports are rewritten per packet (outb_finish): byte order is moot. */
	prm->ipsec_xform.udp.sport = p->udp_local_port;
	prm->ipsec_xform.udp.dport = p->udp_remote_port;
	prm->ipsec_xform.replay_win_sz = p->inbound ? p->replay_window : 0;
	/*
	 * librte_ipsec seeds from esn.value: outbound it is the next number
	 * to send, inbound the highest one seen. Our seed is the last number
	 * used in both directions (dp_sa_params.seq).
	 */
	prm->ipsec_xform.esn.value = p->inbound ? p->seq : p->seq + 1;
	prm->tun.hdr_len = hdr_len;
	prm->tun.hdr_l3_off = 0;
	/* The inner family: the ESP trailer's next header (RFC 4303 2.6). */
	prm->tun.next_proto = p->inner_family == 6 ? IPPROTO_IPV6 :
		IPPROTO_IPIP;
	prm->tun.hdr = hdr;
}

int
dp_sa_create(struct dp_crypto *c, unsigned int n_workers,
	     const struct dp_sa_params *p, struct dp_sa **out, char *err,
	     size_t errlen)
{
	struct rte_crypto_sym_xform xf[2];
	struct rte_ipsec_sa_prm prm;
	struct rte_ipv4_hdr hdr;
	struct rte_ipv6_hdr hdr6;
	uint8_t ckey[CONF_KEY_MAX], akey[CONF_KEY_MAX];
	size_t off_wc, off_rp, off_isa;
	struct dp_sa *sa = NULL;
	unsigned int w, n_sel;
	uint16_t keylen;
	bool gcm;
	int sz, rc;

	*out = NULL;
	rc = check_params(p, n_workers, err, errlen);
	if (rc != 0)
		return rc;
	gcm = p->integ == CONF_INTEG_NONE;
	/* Lookaside queue pairs and the CBC IV sources are per worker. */
	if ((c->mode == CONF_CRYPTO_LOOKASIDE || (!gcm && !p->inbound)) &&
	    n_workers > c->n_qps) {
		snprintf(err, errlen, "SA %#x: %u workers, %s has %u queue pairs",
			 p->spi, n_workers, c->name, c->n_qps);
		return -EINVAL;
	}
	rc = dp_crypto_check_algo(c->dev_id, p->cipher, p->integ, p->esn, err,
				  errlen);
	if (rc != 0)
		return rc;

	/* Outer header template; DF, length and checksum set per packet. */
	memset(&hdr, 0, sizeof(hdr));
	hdr.version_ihl = RTE_IPV4_VHL_DEF;
	hdr.time_to_live = 64;
	hdr.next_proto_id = p->udp_encap ? IPPROTO_UDP : IPPROTO_ESP;
	hdr.src_addr = rte_cpu_to_be_32(p->local_addr);
	hdr.dst_addr = rte_cpu_to_be_32(p->remote_addr);
	/* IPv6: version, hop limit, ESP; length and class per packet. */
	memset(&hdr6, 0, sizeof(hdr6));
	hdr6.vtc_flow = rte_cpu_to_be_32(UINT32_C(6) << 28);
	hdr6.proto = IPPROTO_ESP;
	hdr6.hop_limits = 64;
	memcpy(hdr6.src_addr, p->local6, sizeof(hdr6.src_addr));
	memcpy(hdr6.dst_addr, p->remote6, sizeof(hdr6.dst_addr));
	if (p->family == 6)
		sa_ipsec_prm(p, n_workers, &hdr6, sizeof(hdr6), &prm);
	else
		sa_ipsec_prm(p, n_workers, &hdr, sizeof(hdr), &prm);
	sz = rte_ipsec_sa_size(&prm);
	if (sz < 0) {
		snprintf(err, errlen, "SA %#x: librte_ipsec refuses the parameters (%d)",
			 p->spi, sz);
		return sz;
	}
	/* The replay window fills the struct's last line when it fits. */
	n_sel = p->inbound ? p->n_sel : 0;
	off_rp = RTE_ALIGN_CEIL(sizeof(*sa) + n_sel * sizeof(sa->sel[0]),
			       sizeof(uint64_t));
	off_wc = off_rp;
	if (p->inbound)
		off_wc += sizeof(struct dp_replay) +
			dp_replay_buckets(p->replay_window) *
			sizeof(uint64_t);
	off_wc = RTE_ALIGN_CEIL(off_wc, RTE_CACHE_LINE_SIZE);
	off_isa = off_wc + n_workers * sizeof(sa->wc[0]);
	sa = rte_zmalloc("dp_sa", off_isa + (size_t)sz, RTE_CACHE_LINE_SIZE);
	if (sa == NULL)
		goto nomem;
	sa->size = (uint32_t)(off_isa + (size_t)sz);
	sa->wc = (struct dp_sa_wctr *)((uint8_t *)sa + off_wc);
	sa->isa = (struct rte_ipsec_sa *)((uint8_t *)sa + off_isa);
	sa->crypto = c;
	sa->lookaside = c->mode == CONF_CRYPTO_LOOKASIDE;
	sa->cbc_outb = !gcm && !p->inbound;
	sa->inbound = p->inbound;
	sa->udp_encap = p->udp_encap;
	sa->dscp_fixed = p->dscp_fixed && !p->inbound;
	sa->dscp_tos = (uint8_t)(p->dscp << 2);
	sa->esn = p->esn;
	sa->progress_shift = p->progress_shift;
	sa->progress = p->progress != NULL ? p->progress : &sa->own_progress;
	*sa->progress = (uint32_t)p->seq;
	sa->spi = p->spi;
	sa->spi_be = rte_cpu_to_be_32(p->spi);
	sa->id = p->id;
	sa->local_addr = p->local_addr;
	sa->remote_addr = p->remote_addr;
	memcpy(sa->remote6, p->remote6, sizeof(sa->remote6));
	sa->outer6 = p->family == 6;
	sa->inner6 = p->inner_family == 6;
	sa->udp_sport_be = rte_cpu_to_be_16(p->udp_local_port);
	sa->udp_dport_be = rte_cpu_to_be_16(p->udp_remote_port);
	sa->hdr_len = sa->outer6 ? sizeof(hdr6) : sizeof(hdr) +
		(p->udp_encap ? sizeof(struct rte_udp_hdr) : 0);
	sa->hdr_sum = __rte_raw_cksum(&hdr, sizeof(hdr), 0);
	sa->replay_window = p->inbound ? p->replay_window : 0;
	if (p->inbound) {
		sa->replay = (struct dp_replay *)((uint8_t *)sa + off_rp);
		dp_replay_init(sa->replay, sa->replay_window, p->seq);
	}
	sa->n_workers = n_workers;
	sa->inb_mt = p->inbound && n_workers > 1;
	rte_spinlock_init(&sa->inb_lock);
	sa->n_sel = (uint8_t)n_sel;
	memcpy(sa->sel, p->sel, n_sel * sizeof(sa->sel[0]));
	for (w = 0; w < n_workers; w++)
		sa->wc[w].seq = p->seq;

	/* Crypto transforms: keys copied here, wiped before returning. */
	memset(xf, 0, sizeof(xf));
	memset(ckey, 0, sizeof(ckey));
	memset(akey, 0, sizeof(akey));
	memcpy(ckey, p->cipher_key, p->cipher_key_len);
	if (gcm) {
		/*
		 * RFC 4106 8.1: key || 4-byte salt; 3.1: 8-byte IV, 4.1 nonce.
		 * librte_ipsec sends the 64-bit sequence number as the IV and
		 * uses salt || seq as the nonce, the same value in the packet
		 * and for the cipher in both modes (aead_gcm_iv_fill() in its
		 * outb_cop_prepare() and outb_cpu_crypto_prepare()). RFC 4106
		 * 3.1 asks only that the IV never repeat under one key, and
		 * that holds only because the sequence number never does:
		 * librte_ipsec refuses to wrap it (esn_outb_update_sqn():
		 * EOVERFLOW, DP_DROP_CRYPTO); several workers take numbers
		 * atomically (RTE_IPSEC_SAFLAG_SQN_ATOM, sa_ipsec_prm()); a
		 * twin taking over an SA starts past every number the other
		 * can have used (sync_seq.h, ha_marks.c); and IKE gives each
		 * new SA a new key. An SA created again with the same key and
		 * an older seed (p->seq) reuses nonces, which for GCM gives
		 * away the keystream and the authentication key (RFC 4106 9):
		 * the seed must be past the last number ever used under the
		 * key. A manual SA keeps its configured key across restarts
		 * and install.c seeds it with 0: not safe for GCM today.
		 */
		keylen = p->cipher_key_len - 4;
		memcpy(&prm.ipsec_xform.salt, ckey + keylen, 4);
		xf[0].type = RTE_CRYPTO_SYM_XFORM_AEAD;
		xf[0].aead.op = p->inbound ? RTE_CRYPTO_AEAD_OP_DECRYPT :
			RTE_CRYPTO_AEAD_OP_ENCRYPT;
		xf[0].aead.algo = RTE_CRYPTO_AEAD_AES_GCM;
		xf[0].aead.key.data = ckey;
		xf[0].aead.key.length = keylen;
		xf[0].aead.iv.offset = DP_CRYPTO_IV_OFFSET;
		xf[0].aead.iv.length = 12;
		xf[0].aead.digest_length = 16;
		/* RFC 4106 5: AAD is SPI || seq (32 or 64 bits with ESN). */
		xf[0].aead.aad_length = p->esn ? 12 : 8;
		sa->iv_len = 8;
		sa->icv_len = 16;
		sa->pad_align = 4;
	} else {
		struct rte_crypto_sym_xform *cx, *ax;

		memcpy(akey, p->auth_key, p->auth_key_len);
		/* librte_ipsec: outbound cipher then auth, inbound the reverse. */
		cx = p->inbound ? &xf[1] : &xf[0];
		ax = p->inbound ? &xf[0] : &xf[1];
		xf[0].next = &xf[1];
		cx->type = RTE_CRYPTO_SYM_XFORM_CIPHER;
		cx->cipher.op = p->inbound ? RTE_CRYPTO_CIPHER_OP_DECRYPT :
			RTE_CRYPTO_CIPHER_OP_ENCRYPT;
		cx->cipher.algo = RTE_CRYPTO_CIPHER_AES_CBC;
		cx->cipher.key.data = ckey;
		cx->cipher.key.length = p->cipher_key_len;
		/*
		 * RFC 3602 2.4: 16-byte IV, random and unpredictable. Inbound,
		 * librte_ipsec takes it from the packet. Outbound it does not
		 * make one fit to send (see cbc_set_ivs()): we do, per packet.
		 */
		cx->cipher.iv.offset = DP_CRYPTO_IV_OFFSET;
		cx->cipher.iv.length = 16;
		ax->type = RTE_CRYPTO_SYM_XFORM_AUTH;
		ax->auth.op = p->inbound ? RTE_CRYPTO_AUTH_OP_VERIFY :
			RTE_CRYPTO_AUTH_OP_GENERATE;
		ax->auth.algo = p->integ == CONF_INTEG_SHA1_96 ?
			RTE_CRYPTO_AUTH_SHA1_HMAC : RTE_CRYPTO_AUTH_SHA256_HMAC;
		ax->auth.key.data = akey;
		ax->auth.key.length = p->auth_key_len;
		/* RFC 2404 2: 96-bit ICV; RFC 4868 2.3: 128-bit ICV. */
		ax->auth.digest_length = p->integ == CONF_INTEG_SHA1_96 ? 12 : 16;
		sa->iv_len = 16;
		sa->icv_len = (uint8_t)ax->auth.digest_length;
		sa->pad_align = 16;
	}
	sa->overhead = sa->hdr_len + sizeof(struct rte_esp_hdr) + sa->iv_len +
		(sa->pad_align - 1) + sizeof(struct rte_esp_tail) + sa->icv_len;

	sa->cs = rte_cryptodev_sym_session_create(c->dev_id, xf, c->sess_pool);
	explicit_bzero(ckey, sizeof(ckey));
	explicit_bzero(akey, sizeof(akey));
	if (sa->cs == NULL) {
		snprintf(err, errlen, "SA %#x: cannot create a %s session: %s",
			 p->spi, c->name, rte_strerror(rte_errno));
		rc = -rte_errno != 0 ? -rte_errno : -ENOMEM;
		goto fail;
	}
	prm.crypto_xform = xf;
	rc = rte_ipsec_sa_init(sa->isa, &prm, sz);
	if (rc < 0) {
		snprintf(err, errlen, "SA %#x: rte_ipsec_sa_init failed (%d)",
			 p->spi, rc);
		goto fail;
	}
	sa->isa_init = true;
	explicit_bzero(&prm.ipsec_xform.salt, sizeof(prm.ipsec_xform.salt));

	sa->ss.sa = sa->isa;
	/* Outbound CBC always takes the lookaside prepare: cbc_set_ivs(). */
	sa->ss.type = sa->lookaside || sa->cbc_outb ?
		RTE_SECURITY_ACTION_TYPE_NONE :
		RTE_SECURITY_ACTION_TYPE_CPU_CRYPTO;
	sa->ss.crypto.ses = sa->cs;
	sa->ss.crypto.dev_id = c->dev_id;
	rc = rte_ipsec_session_prepare(&sa->ss);
	if (rc != 0) {
		snprintf(err, errlen, "SA %#x: rte_ipsec_session_prepare failed (%d)",
			 p->spi, rc);
		goto fail;
	}
	*out = sa;
	return 0;
nomem:
	snprintf(err, errlen, "SA %#x: out of memory", p->spi);
	rc = -ENOMEM;
fail:
	explicit_bzero(ckey, sizeof(ckey));
	explicit_bzero(akey, sizeof(akey));
	dp_sa_destroy(sa);
	return rc;
}

void
dp_sa_destroy(struct dp_sa *sa)
{
	if (sa == NULL)
		return;
	if (sa->isa_init)
		rte_ipsec_sa_fini(sa->isa); /* zeroes it, salt included */
	/* The PMD clears its private session data (the keys) on free. */
	if (sa->cs != NULL)
		rte_cryptodev_sym_session_free(sa->crypto->dev_id, sa->cs);
	explicit_bzero(sa, sa->size);
	rte_free(sa);
}

/* Session bytes the software PMDs read: AES key schedule and GHASH keys. */
#define DP_SA_PREFETCH_SESS 512
/* librte_ipsec SA bytes read or written per packet (dp_sa_prefetch()). */
#define DP_SA_PREFETCH_ISA 256

void
dp_sa_prefetch(const struct dp_sa *sa, unsigned int worker)
{
	/* From line 0 (ss) and line 1 only: see struct dp_sa. */
	const uint8_t *isa = (const uint8_t *)sa->ss.sa;
	const uint8_t *cs = (const uint8_t *)sa->ss.crypto.ses;
	unsigned int i;

	/*
	 * librte_ipsec 22.11's struct rte_ipsec_sa: the parameters and the
	 * header template in lines 0-2, the sequence number (outbound) or
	 * window indexes (inbound) in line 2, the statistics process()
	 * updates per packet reach into line 3.
	 */
	for (i = 0; i < DP_SA_PREFETCH_ISA; i += RTE_CACHE_LINE_SIZE)
		rte_prefetch0(isa + i);
	for (i = 0; i < DP_SA_PREFETCH_SESS; i += RTE_CACHE_LINE_SIZE)
		rte_prefetch0(cs + i);
	rte_prefetch0(&sa->wc[worker]);
	if (sa->replay != NULL)
		rte_prefetch0(sa->replay);
}

void
dp_sa_counters_read(const struct dp_sa *sa, struct dp_sa_counters *out)
{
	const struct dp_sa_wctr *wc;
	uint64_t pkts = 0, bytes = 0, errors = 0, replay = 0, auth = 0;
	uint64_t policy = 0, seq = 0;
	unsigned int w;

	for (w = 0; w < sa->n_workers; w++) {
		wc = &sa->wc[w];
		pkts += wc->pkts;
		bytes += wc->bytes;
		errors += wc->errors;
		replay += wc->replay;
		auth += wc->auth;
		policy += wc->policy;
		seq = RTE_MAX(seq, wc->seq);
	}
	memset(out, 0, sizeof(*out));
	pkts -= sa->base.pkts;
	errors -= sa->base.errors;
	if (sa->inbound) {
		out->pkts_decaps = pkts;
		out->pkts_decrypt = pkts;
		out->pkts_verify = pkts;
		out->recv_errors = errors;
	} else {
		out->pkts_encaps = pkts;
		out->pkts_encrypt = pkts;
		out->pkts_digest = pkts;
		out->send_errors = errors;
	}
	out->bytes = bytes - sa->base.bytes;
	out->replay_fails = replay - sa->base.replay;
	out->auth_fails = auth - sa->base.auth;
	out->policy_fails = policy - sa->base.policy;
	out->seq = sa->inbound ? sa->replay->top : seq;
}

/*
 * Clearing snapshots the totals instead of zeroing the workers' slots: the
 * control lcore never writes what a worker increments.
 */
void
dp_sa_counters_clear(struct dp_sa *sa)
{
	struct dp_sa_counters now;

	memset(&sa->base, 0, sizeof(sa->base));
	dp_sa_counters_read(sa, &now);
	sa->base.pkts = now.pkts_encaps + now.pkts_decaps;
	sa->base.errors = now.send_errors + now.recv_errors;
	sa->base.bytes = now.bytes;
	sa->base.replay = now.replay_fails;
	sa->base.auth = now.auth_fails;
	sa->base.policy = now.policy_fails;
}

uint32_t
dp_sa_slot(const struct dp_sa *sa)
{
	return sa->slot;
}

void
dp_sa_set_slot(struct dp_sa *sa, uint32_t slot)
{
	sa->slot = slot;
}

uint32_t
dp_sa_spi(const struct dp_sa *sa)
{
	return sa->spi;
}

bool
dp_sa_is_inbound(const struct dp_sa *sa)
{
	return sa->inbound;
}

uint32_t
dp_sa_id(const struct dp_sa *sa)
{
	return sa->id;
}

uint16_t
dp_sa_overhead(const struct dp_sa *sa)
{
	return sa->overhead;
}

/*
 * RFC 4303 2.4: the encrypted part (inner packet, padding, pad length and
 * next header: the 2-byte trailer) ends on a multiple of pad_align, the
 * cipher's block (AES-CBC: 16, RFC 3602 2.4) or 4 bytes (AES-GCM, RFC 4106
 * 3: no block, 4-byte alignment of the ICV), as librte_ipsec pads it. Around
 * it the outer IPv4 header (+ UDP, RFC 3948), the ESP header (SPI and
 * sequence, 8), the IV (GCM 8, CBC 16) and the ICV (GCM 16, SHA1-96 12,
 * SHA256-128 16). So the largest inner packet is the room left by the fixed
 * parts, rounded down to the alignment, less the trailer: at 1500, GCM
 * 1446, AES-CBC 1438 (either HMAC), GCM in UDP 1438.
 */
uint16_t
dp_sa_max_inner(const struct dp_sa *sa, uint16_t mtu)
{
	uint32_t fixed = (uint32_t)sa->hdr_len + sizeof(struct rte_esp_hdr) +
		sa->iv_len + sa->icv_len;
	uint32_t room;

	uint32_t ihl = sa->inner6 ? sizeof(struct rte_ipv6_hdr) :
		sizeof(struct rte_ipv4_hdr);

	if (mtu < fixed + ihl + sizeof(struct rte_esp_tail))
		return 0;
	room = RTE_ALIGN_FLOOR((uint32_t)mtu - fixed, sa->pad_align) -
		sizeof(struct rte_esp_tail);
	/* Not even an inner header fits. */
	return room < ihl ? 0 : (uint16_t)room;
}

uint32_t
dp_sa_remote_addr(const struct dp_sa *sa)
{
	return sa->remote_addr;
}

const uint8_t *
dp_sa_remote6(const struct dp_sa *sa)
{
	return sa->remote6;
}

uint32_t
dp_sa_local_addr(const struct dp_sa *sa)
{
	return sa->local_addr;
}

uint8_t
dp_sa_outer_af(const struct dp_sa *sa)
{
	return sa->outer6 ? 6 : 4;
}

uint8_t
dp_sa_inner_af(const struct dp_sa *sa)
{
	return sa->inner6 ? 6 : 4;
}
