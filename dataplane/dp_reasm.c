/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Outer IPv4 fragments addressed to the box: ESP, and UDP (NAT-T ESP,
 * IKE). A gateway must take them (RFC 4301 7: a peer behind a smaller MTU
 * fragments its ESP packets), net_af_packet hides them (the kernel
 * reassembles) but net_pcap and real NICs deliver them.
 *
 * Why not librte_ip_frag: it reports only "could not reassemble" (no way
 * to count too many fragments, overlap and too big apart), and returns
 * chained mbufs, which the ESP trailer handling and the inner packet's
 * fragmentation (rte_ipv4_fragment_copy_nonseg_packet) would have to
 * linearize anyway. Here a datagram is copied into one fresh mbuf once
 * complete (the only allocation, on this slow path): an ordinary one, or
 * past its 2 KB one of the reassembly pool's (DP_REASM_DGRAM_MAX, jumbo
 * inner packets a peer sends over a 1500-byte path), so everything
 * downstream sees what an unfragmented packet looks like.
 *
 * Rules: fragments are keyed by (source, destination, protocol, id) (RFC
 * 791 3.2). Any overlap, a duplicate included, refuses the whole datagram
 * (RFC 1858 3: overlapping fragments are how filters are evaded; RFC 5722
 * makes it the rule for IPv6), as does a second, different end. A refused
 * datagram keeps its slot until the deadline so its remaining fragments
 * are dropped under the same reason instead of starting a new one. Every
 * fragment dropped is counted once, under its reason.
 *
 * Per worker, no locks: each worker reassembles what its RX queues get.
 * With RSS, dp_port.c asks for RTE_ETH_RSS_FRAG_IPV4, which NICs hash on
 * the addresses alone, so every fragment of a datagram reaches the same
 * queue. A NIC that hashed some fragments differently would split a
 * datagram between workers: both halves time out (frag-timeout), nothing
 * wrong is delivered.
 */
#include <string.h>

#include <rte_byteorder.h>
#include <rte_cycles.h>
#include <rte_debug.h>
#include <rte_ip.h>
#include <rte_mempool.h>

#include "dp_priv.h"

#define DP_IPV4_OFFSET_MASK 0x1fff

/* The most an mbuf of pool holds: a datagram and its L2 header. */
static inline uint32_t
dp_reasm_room(struct rte_mempool *pool)
{
	return (uint32_t)rte_pktmbuf_data_room_size(pool) -
		(uint32_t)RTE_PKTMBUF_HEADROOM;
}

/* The largest datagram (IPv4 header and payload) we rebuild after l2
 * bytes of L2 header. */
static uint32_t
dp_reasm_max(uint32_t l2)
{
	struct rte_mempool *pool = dp_g.reasm_pool != NULL ?
		dp_g.reasm_pool : dp_g.pool;
	uint32_t room = dp_reasm_room(pool);

	if (l2 >= room)
		return 0;
	return RTE_MIN(room - l2, (uint32_t)DP_REASM_DGRAM_MAX);
}

static void
dp_reasm_free(struct dp_reasm *r, struct dp_reasm_slot *s)
{
	unsigned int i;

	for (i = 0; i < s->n; i++)
		rte_pktmbuf_free(s->f[i].m);
	s->n = 0;
	s->deadline = 0;
	r->n_used--;
}

/* Refuse s's datagram: its fragments are dropped under why, and so are
 * the ones still to come until its deadline. */
static void
dp_reasm_refuse(struct dp_worker *w, struct dp_reasm_slot *s,
		enum dp_drop_reason why)
{
	unsigned int i;

	w->drops.count[why] += s->n;
	for (i = 0; i < s->n; i++)
		rte_pktmbuf_free(s->f[i].m);
	s->n = 0;
	s->dead = (uint8_t)(why + 1);
}

void
dp_reasm_expire(struct dp_worker *w, uint64_t now)
{
	struct dp_reasm *r = &w->reasm;
	uint64_t next = UINT64_MAX;
	unsigned int i;

	if (r->n_used == 0 || now < r->next_deadline)
		return;
	for (i = 0; i < DP_REASM_SLOTS; i++) {
		struct dp_reasm_slot *s = &r->slot[i];

		if (s->deadline == 0)
			continue;
		if (now >= s->deadline) {
			w->drops.count[DP_DROP_FRAG_TIMEOUT] += s->n;
			dp_reasm_free(r, s);
		} else if (s->deadline < next) {
			next = s->deadline;
		}
	}
	r->next_deadline = next;
}

void
dp_reasm_flush(struct dp_worker *w)
{
	struct dp_reasm *r = &w->reasm;
	unsigned int i;

	for (i = 0; i < DP_REASM_SLOTS; i++)
		if (r->slot[i].deadline != 0)
			dp_reasm_free(r, &r->slot[i]);
	r->next_deadline = 0;
}

static struct dp_reasm_slot *
dp_reasm_find(struct dp_worker *w, const struct rte_ipv4_hdr *ip,
	      uint64_t now)
{
	struct dp_reasm *r = &w->reasm;
	struct dp_reasm_slot *s, *free_slot = NULL;
	unsigned int i;

	for (i = 0; i < DP_REASM_SLOTS; i++) {
		s = &r->slot[i];
		if (s->deadline == 0) {
			if (free_slot == NULL)
				free_slot = s;
			continue;
		}
		if (s->src == ip->src_addr && s->dst == ip->dst_addr &&
		    s->id == ip->packet_id && s->proto == ip->next_proto_id)
			return s;
	}
	if (free_slot == NULL)
		return NULL;
	s = free_slot;
	memset(s, 0, sizeof(*s));
	s->src = ip->src_addr;
	s->dst = ip->dst_addr;
	s->id = ip->packet_id;
	s->proto = ip->next_proto_id;
	s->deadline = now + rte_get_tsc_hz() * DP_REASM_TIMEOUT_MS / 1000;
	if (r->n_used++ == 0 || s->deadline < r->next_deadline)
		r->next_deadline = s->deadline;
	return s;
}

/* Copy len bytes at off in m (any segments) to dst. */
static void
dp_reasm_copy(uint8_t *dst, const struct rte_mbuf *m, uint32_t off,
	      uint32_t len)
{
	const void *p = rte_pktmbuf_read(m, off, len, dst);

	if (p != dst)
		memcpy(dst, p, len);
}

/* s holds every byte of its datagram: one mbuf of it, or NULL. */
static struct rte_mbuf *
dp_reasm_build(struct dp_worker *w, struct dp_reasm_slot *s)
{
	const struct dp_reasm_frag *first = NULL;
	struct rte_mempool *pool;
	struct rte_ipv4_hdr *ip;
	struct rte_mbuf *m;
	uint32_t hdr, i;
	uint8_t *p;

	for (i = 0; i < s->n; i++)
		if (s->f[i].off == 0)
			first = &s->f[i];
	/* The payload is covered with no overlap: offset 0 is there. */
	RTE_VERIFY(first != NULL);
	hdr = first->m->l2_len + first->m->l3_len;
	if (first->m->l3_len + s->total > dp_reasm_max(first->m->l2_len)) {
		dp_reasm_refuse(w, s, DP_DROP_FRAG_TOO_BIG);
		return NULL;
	}
	pool = hdr + s->total <= dp_reasm_room(dp_g.pool) ?
		dp_g.pool : dp_g.reasm_pool;
	m = rte_pktmbuf_alloc(pool);
	if (m == NULL) {
		dp_reasm_refuse(w, s, DP_DROP_NO_MBUF);
		return NULL;
	}
	p = (uint8_t *)rte_pktmbuf_append(m, (uint16_t)(hdr + s->total));
	if (unlikely(p == NULL)) {      /* an L2 header past DP_REASM_L2_MAX */
		rte_pktmbuf_free(m);
		dp_reasm_refuse(w, s, DP_DROP_FRAG_TOO_BIG);
		return NULL;
	}
	dp_reasm_copy(p, first->m, 0, hdr);
	for (i = 0; i < s->n; i++) {
		const struct dp_reasm_frag *f = &s->f[i];

		dp_reasm_copy(p + hdr + f->off, f->m,
			      f->m->l2_len + f->m->l3_len, f->len);
	}
	m->port = first->m->port;
	m->l2_len = first->m->l2_len;
	m->l3_len = first->m->l3_len;
	ip = (struct rte_ipv4_hdr *)(p + m->l2_len);
	ip->total_length = rte_cpu_to_be_16((uint16_t)(m->l3_len + s->total));
	ip->fragment_offset &= RTE_BE16(RTE_IPV4_HDR_DF_FLAG);
	ip->hdr_checksum = 0;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	for (i = 0; i < s->n; i++)
		rte_pktmbuf_free(s->f[i].m);
	s->n = 0;
	return m;
}

struct rte_mbuf *
dp_reasm_ipv4(struct dp_worker *w, struct rte_mbuf *m, uint64_t now)
{
	struct dp_reasm *r = &w->reasm;
	const struct rte_ipv4_hdr *ip;
	struct dp_reasm_slot *s;
	uint32_t off, len, end, i;
	uint16_t frag;
	bool more;

	dp_reasm_expire(w, now);
	ip = rte_pktmbuf_mtod_offset(m, const struct rte_ipv4_hdr *,
				     m->l2_len);
	frag = rte_be_to_cpu_16(ip->fragment_offset);
	more = (frag & RTE_IPV4_HDR_MF_FLAG) != 0;
	off = (uint32_t)(frag & DP_IPV4_OFFSET_MASK) * 8;
	len = rte_be_to_cpu_16(ip->total_length) - m->l3_len;
	end = off + len;
	/*
	 * RFC 791 3.2: all but the last fragment carry a multiple of 8
	 * bytes; none is empty (the whole must fit a total length and one
	 * mbuf: checked below, as too big).
	 */
	if (unlikely(len == 0 || (more && (len & 7) != 0))) {
		w->drops.count[DP_DROP_MALFORMED]++;
		rte_pktmbuf_free(m);
		return NULL;
	}
	s = dp_reasm_find(w, ip, now);
	if (unlikely(s == NULL)) {
		w->drops.count[DP_DROP_FRAG_TABLE_FULL]++;
		rte_pktmbuf_free(m);
		return NULL;
	}
	if (unlikely(s->dead != 0)) {
		w->drops.count[s->dead - 1]++;
		rte_pktmbuf_free(m);
		return NULL;
	}
	if (unlikely(end + m->l3_len > UINT16_MAX ||
		     end + m->l3_len > dp_reasm_max(m->l2_len))) {
		dp_reasm_refuse(w, s, DP_DROP_FRAG_TOO_BIG);
		w->drops.count[DP_DROP_FRAG_TOO_BIG]++;
		rte_pktmbuf_free(m);
		return NULL;
	}
	for (i = 0; i < s->n; i++)
		if (off < s->f[i].off + s->f[i].len && s->f[i].off < end)
			break;
	/* Overlap; past the end we know; a second, different end. */
	if (unlikely(i < s->n || (s->total != 0 && end > s->total) ||
		     (!more && s->total != 0) ||
		     (!more && end < s->have_end))) {
		dp_reasm_refuse(w, s, DP_DROP_FRAG_OVERLAP);
		w->drops.count[DP_DROP_FRAG_OVERLAP]++;
		rte_pktmbuf_free(m);
		return NULL;
	}
	if (unlikely(s->n == DP_REASM_FRAGS)) {
		dp_reasm_refuse(w, s, DP_DROP_FRAG_TOO_MANY);
		w->drops.count[DP_DROP_FRAG_TOO_MANY]++;
		rte_pktmbuf_free(m);
		return NULL;
	}
	s->f[s->n].m = m;
	s->f[s->n].off = (uint16_t)off;
	s->f[s->n].len = (uint16_t)len;
	s->n++;
	s->have += len;
	if (end > s->have_end)
		s->have_end = end;
	if (!more)
		s->total = end;
	if (s->total == 0 || s->have != s->total)
		return NULL;
	m = dp_reasm_build(w, s);
	if (m != NULL) {
		r->done++;
		dp_reasm_free(r, s);
	}
	return m;
}

void
dp_reasm_read(uint64_t *done, uint64_t *slots)
{
	unsigned int i;

	*done = 0;
	*slots = 0;
	for (i = 0; i < dp_g.n_workers && dp_g.workers != NULL; i++) {
		const volatile struct dp_reasm *r = &dp_g.workers[i].reasm;

		*done += r->done;
		*slots += r->n_used;
	}
}
