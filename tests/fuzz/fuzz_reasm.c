/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target for the fast path's reassembly of outer IPv4
 * fragments addressed to the box (dataplane/dp_reasm.c), the real code
 * without EAL: one worker, fake mempools (ordinary 2 KB buffers and the
 * large reassembly buffers) that count every mbuf, and a fake clock
 * (rte_get_tsc_hz() is defined here; the TSC is the script's).
 *
 * The input is a script of steps: a fragment (one of 32 datagram keys,
 * offset, length, MF/DF, VLAN, IP options, Ethernet padding, or "the next
 * piece" of that key), a time step with expiry, or a pool running dry. A
 * model written here from RFC 791 3.2 and dp_reasm.h's rules (overlap,
 * duplicate or a second end refuse the datagram; at most DP_REASM_FRAGS
 * fragments, DP_REASM_DGRAM_MAX bytes, DP_REASM_SLOTS datagrams, a timeout
 * of DP_REASM_TIMEOUT_MS) predicts each verdict. Checked after every step:
 *  - the drop reason counted (malformed, table full, too many, overlap,
 *    too big, timeout, no mbuf) and how many, or the datagram delivered,
 *    are the model's;
 *  - a delivered datagram is one segment, in the ordinary pool when it
 *    fits, with its first fragment's L2 and IP header, a total length of
 *    the payload, no fragment bits but DF, a good checksum, and exactly
 *    the payload bytes the fragments carried (none of their padding);
 *  - every fragment is counted once: held, delivered or dropped;
 *  - the slots in use are the model's, and after dp_reasm_flush() every
 *    mbuf is back in its pool (no leak, no double free).
 *
 *   replay_reasm tests/fuzz/corpus/reasm            (make test)
 *   build-fuzz/tests/fuzz/fuzz_reasm corpus/reasm   (make fuzz)
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_cycles.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "dp_priv.h"
#include "tw_compiler.h"

#define HZ 1000000u                 /* fake TSC: 1 tick a microsecond */
#define ROOM 2048                   /* RTE_MBUF_DEFAULT_DATAROOM */
#define N_SMALL (DP_REASM_SLOTS * DP_REASM_FRAGS + 8)
#define N_BIG 2
#define N_KEYS 32
#define MAX_STEPS 256

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct dp_global dp_g;

uint64_t
rte_get_tsc_hz(void)
{
	return HZ;
}

/*
 * The model and the checks of this file are the harness, not the code under
 * test: compiled without SanitizerCoverage's hooks (with them, their
 * per-fragment and per-byte loops took most of an execution's time, and
 * their branches taught the fuzzer nothing dp_reasm.c's own do not).
 */
#if defined(__clang__)
#define NO_COVERAGE __attribute__((no_sanitize("coverage")))
#else
#define NO_COVERAGE
#endif

static void
fail(int line)
{
	fprintf(stderr, "fuzz_reasm.c:%d: check failed\n", line);
	abort();
}

#define check(ok) do { if (!(ok)) fail(__LINE__); } while (0)

/* --- two fake pools: a stack of free mbufs each, and who is out --- */

struct fpool {
	union {
		struct rte_mempool mp;
		uint8_t b[sizeof(struct rte_mempool) +
			  sizeof(struct rte_pktmbuf_pool_private) + 64];
	} u;
	struct rte_mbuf *m;
	uint8_t *room;
	unsigned int n, room_len;
	bool *out;
	unsigned int n_free;
	struct rte_mbuf **free;
	bool dry;                       /* dequeue fails */
	bool want_dry;                  /* ... while dp_reasm runs */
};

static struct rte_mbuf small_m[N_SMALL], big_m[N_BIG];
static uint8_t small_room[N_SMALL][RTE_PKTMBUF_HEADROOM + ROOM];
static uint8_t big_room[N_BIG][DP_REASM_BUF];
static bool small_out[N_SMALL], big_out[N_BIG];
static struct rte_mbuf *small_free[N_SMALL], *big_free[N_BIG];
static struct fpool pools[2] __rte_cache_aligned;

static struct fpool *
fp_of(const struct rte_mempool *mp)
{
	check(mp == &pools[0].u.mp || mp == &pools[1].u.mp);
	return mp == &pools[0].u.mp ? &pools[0] : &pools[1];
}

static unsigned int
idx_of(const struct fpool *p, const void *obj)
{
	const struct rte_mbuf *m = obj;
	unsigned int i = (unsigned int)(m - p->m);

	check(m >= p->m && i < p->n);
	return i;
}

static int
fake_enqueue(struct rte_mempool *mp, void *const *objs, unsigned int n)
{
	struct fpool *p = fp_of(mp);
	unsigned int k, i;

	for (k = 0; k < n; k++) {
		i = idx_of(p, objs[k]);
		check(p->out[i]);               /* no double free */
		p->out[i] = false;
		p->free[p->n_free++] = objs[k];
	}
	return 0;
}

static int
fake_dequeue(struct rte_mempool *mp, void **objs, unsigned int n)
{
	struct fpool *p = fp_of(mp);
	unsigned int k;

	if (p->dry || n > p->n_free)
		return -ENOBUFS;
	for (k = 0; k < n; k++) {
		objs[k] = p->free[--p->n_free];
		p->out[idx_of(p, objs[k])] = true;
	}
	return 0;
}

static unsigned int
fake_count(const struct rte_mempool *mp)
{
	return fp_of(mp)->n_free;
}

static int
fake_alloc(struct rte_mempool *mp TW_UNUSED)
{
	return 0;
}

static void
fake_free(struct rte_mempool *mp TW_UNUSED)
{
}

static struct rte_mempool_ops fake_ops = {
	.name = "tw_fuzz_reasm",
	.alloc = fake_alloc,
	.free = fake_free,
	.enqueue = fake_enqueue,
	.dequeue = fake_dequeue,
	.get_count = fake_count,
};

static void
pool_init(struct fpool *p, int ops, struct rte_mbuf *m, uint8_t *room,
	  unsigned int n, unsigned int room_len, bool *out,
	  struct rte_mbuf **free_list)
{
	struct rte_pktmbuf_pool_private *pp;
	unsigned int i;

	p->u.mp.ops_index = ops;
	p->u.mp.cache_size = 0;
	p->u.mp.size = n;
	p->u.mp.elt_size = sizeof(struct rte_mbuf);
	pp = rte_mempool_get_priv(&p->u.mp);
	check((uint8_t *)(pp + 1) <= p->u.b + sizeof(p->u.b));
	pp->mbuf_data_room_size = (uint16_t)room_len;
	pp->mbuf_priv_size = 0;
	p->m = m;
	p->room = room;
	p->n = n;
	p->room_len = room_len;
	p->out = out;
	p->free = free_list;
	p->n_free = 0;
	for (i = 0; i < n; i++) {
		memset(&m[i], 0, sizeof(m[i]));
		m[i].buf_addr = room + (size_t)i * room_len;
		m[i].buf_len = (uint16_t)room_len;
		m[i].pool = &p->u.mp;
		m[i].nb_segs = 1;
		rte_mbuf_refcnt_set(&m[i], 1);
		free_list[p->n_free++] = &m[i];
	}
}

/* --- the datagram keys and their bytes --- */

struct key {
	uint32_t src, dst;              /* network order */
	uint16_t id;                    /* network order */
	uint8_t proto;
};

static NO_COVERAGE void
key_of(unsigned int k, struct key *key)
{
	key->src = rte_cpu_to_be_32(0xc6336400u + (k & 1));  /* 198.51.100.x */
	key->dst = rte_cpu_to_be_32(0xc0000201u);           /* 192.0.2.1 */
	key->id = rte_cpu_to_be_16((uint16_t)(0x100 + ((k >> 1) & 7)));
	key->proto = (k & 16) ? IPPROTO_UDP : IPPROTO_ESP;
}

/* Byte o of key k's payload, whichever fragment carries it. */
static NO_COVERAGE uint8_t
pat(unsigned int k, uint32_t o)
{
	return (uint8_t)(o * 7u + k * 13u + (o >> 8));
}

/* --- the model --- */

struct mfrag {
	uint32_t off, len;
	uint32_t l2, l3;                /* of the fragment at offset 0 */
	uint8_t hdr[32 + 60];           /* its L2 and IP header */
};

struct mslot {
	bool used;
	unsigned int key;
	uint64_t deadline;
	int dead;                       /* drop reason + 1 */
	uint32_t total, have_end, have;
	unsigned int n;
	struct mfrag f[DP_REASM_FRAGS];
};

static struct {
	struct mslot s[DP_REASM_SLOTS];
	uint64_t drops[DP_DROP_MAX];
	uint64_t fed, delivered_frags, done;
} M;

static struct dp_worker W;
static uint64_t now;

static NO_COVERAGE unsigned int
m_used(void)
{
	unsigned int i, n = 0;

	for (i = 0; i < DP_REASM_SLOTS; i++)
		n += M.s[i].used;
	return n;
}

static NO_COVERAGE unsigned int
m_held(void)
{
	unsigned int i, n = 0;

	for (i = 0; i < DP_REASM_SLOTS; i++)
		if (M.s[i].used)
			n += M.s[i].n;
	return n;
}

static NO_COVERAGE void
m_expire(void)
{
	unsigned int i;

	for (i = 0; i < DP_REASM_SLOTS; i++) {
		struct mslot *s = &M.s[i];

		if (s->used && now >= s->deadline) {
			M.drops[DP_DROP_FRAG_TIMEOUT] += s->n;
			s->used = false;
		}
	}
}

static NO_COVERAGE struct mslot *
m_find(unsigned int k)
{
	unsigned int i;

	for (i = 0; i < DP_REASM_SLOTS; i++)
		if (M.s[i].used && M.s[i].key == k)
			return &M.s[i];
	return NULL;
}

static NO_COVERAGE void
m_refuse(struct mslot *s, enum dp_drop_reason why)
{
	M.drops[why] += s->n;
	s->n = 0;
	s->dead = why + 1;
}

/* The largest datagram the two pools let us rebuild after l2 bytes. */
static NO_COVERAGE uint32_t
m_max(uint32_t l2)
{
	uint32_t room = DP_REASM_BUF - RTE_PKTMBUF_HEADROOM - l2;

	return room < DP_REASM_DGRAM_MAX ? room : DP_REASM_DGRAM_MAX;
}

/* --- driving it --- */

static NO_COVERAGE void
check_counters(void)
{
	unsigned int i;
	uint64_t held = 0, dropped = 0;

	for (i = 0; i < DP_DROP_MAX; i++) {
		check(W.drops.count[i] == M.drops[i]);
		dropped += M.drops[i];
	}
	check(W.reasm.n_used == m_used());
	check(W.reasm.done == M.done);
	for (i = 0; i < DP_REASM_SLOTS; i++) {
		const struct dp_reasm_slot *s = &W.reasm.slot[i];

		if (s->deadline != 0)
			held += s->n;
	}
	check(held == m_held());
	/* every fragment fed is held, delivered or dropped, once */
	check(M.fed == held + M.delivered_frags + dropped);
	/* and the mbufs out of the pools are the ones held */
	check(N_SMALL - pools[0].n_free == held);
	check(pools[1].n_free == N_BIG);
}

/* The datagram m that s completed: what the fragments carried. */
static NO_COVERAGE void
check_datagram(const struct mslot *s, struct rte_mbuf *m)
{
	const struct mfrag *first = NULL;
	const struct rte_ipv4_hdr *ip;
	uint32_t hdr, o, i;
	const uint8_t *p;
	struct key key;

	for (i = 0; i < s->n; i++)
		if (s->f[i].off == 0)
			first = &s->f[i];
	check(first != NULL);
	hdr = first->l2 + first->l3;
	check(m->nb_segs == 1 && m->next == NULL);
	check(m->pkt_len == hdr + s->total && m->data_len == m->pkt_len);
	check(m->l2_len == first->l2 && m->l3_len == first->l3);
	/* an ordinary mbuf when it fits one */
	check(m->pool == (hdr + s->total <= ROOM ? &pools[0].u.mp :
			  &pools[1].u.mp));
	p = rte_pktmbuf_mtod(m, const uint8_t *);
	check(memcmp(p, first->hdr, first->l2) == 0);
	ip = (const struct rte_ipv4_hdr *)(p + first->l2);
	key_of(s->key, &key);
	check(ip->src_addr == key.src && ip->dst_addr == key.dst &&
	      ip->packet_id == key.id && ip->next_proto_id == key.proto);
	check(rte_ipv4_hdr_len(ip) == first->l3);
	check(rte_be_to_cpu_16(ip->total_length) == first->l3 + s->total);
	check((ip->fragment_offset & ~RTE_BE16(RTE_IPV4_HDR_DF_FLAG)) == 0);
	{
		uint8_t h[60];
		struct rte_ipv4_hdr *c = (struct rte_ipv4_hdr *)h;

		memcpy(h, ip, first->l3);
		c->hdr_checksum = 0;
		check(ip->hdr_checksum == rte_ipv4_cksum(c));
	}
	/* options as the first fragment had them */
	check(memcmp(p + first->l2 + 20, first->hdr + first->l2 + 20,
		     first->l3 - 20) == 0);
	for (o = 0; o < s->total; o++)
		check(p[hdr + o] == pat(s->key, o));
}

static NO_COVERAGE void
step_frag(const uint8_t *a)
{
	unsigned int k = a[0] % N_KEYS, i;
	uint8_t fl = a[1];
	bool more = fl & 1, df = fl & 2, cont = fl & 4, vlan = fl & 8;
	uint32_t l3 = 20 + 4 * ((fl >> 4) & 3), l2 = vlan ? 18 : 14;
	uint32_t pad = (fl & 64) ? 6 : 0;
	uint32_t off = (((uint32_t)a[2] << 8 | a[3]) & 0x1fff) * 8;
	uint32_t len = (uint32_t)a[4] << 8 | a[5];
	uint32_t end, maxlen = ROOM - l2 - l3 - pad;
	struct mslot *s = m_find(k);
	struct rte_ipv4_hdr *ip;
	struct rte_mbuf *m, *out;
	uint8_t *p;
	struct key key;
	int why = -1;                   /* model: dropped under why */
	bool done = false;

	if (cont)
		off = s != NULL ? s->have_end : 0;
	off &= ~7u;
	if (off > 0x1fff * 8)
		off = 0x1fff * 8;
	len %= maxlen + 1;
	if (fl & 128)                   /* often a multiple of 8 */
		len &= ~7u;
	end = off + len;
	key_of(k, &key);

	m = rte_pktmbuf_alloc(&pools[0].u.mp);
	check(m != NULL);
	p = (uint8_t *)rte_pktmbuf_append(m, (uint16_t)(l2 + l3 + len + pad));
	check(p != NULL);
	for (i = 0; i < l2; i++)
		p[i] = (uint8_t)(0xe0 + i + k);
	ip = (struct rte_ipv4_hdr *)(p + l2);
	memset(ip, 0, l3);
	ip->version_ihl = (uint8_t)(0x40 | (l3 / 4));
	ip->total_length = rte_cpu_to_be_16((uint16_t)(l3 + len));
	ip->packet_id = key.id;
	ip->fragment_offset = rte_cpu_to_be_16((uint16_t)((off / 8) |
		(more ? RTE_IPV4_HDR_MF_FLAG : 0) |
		(df ? RTE_IPV4_HDR_DF_FLAG : 0)));
	ip->time_to_live = 64;
	ip->next_proto_id = key.proto;
	ip->src_addr = key.src;
	ip->dst_addr = key.dst;
	for (i = 20; i < l3; i++)
		((uint8_t *)ip)[i] = (uint8_t)(i + off / 8);
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	for (i = 0; i < len; i++)
		p[l2 + l3 + i] = pat(k, off + i);
	memset(p + l2 + l3 + len, 0xaa, pad);   /* Ethernet padding */
	m->l2_len = (uint16_t)l2;
	m->l3_len = (uint16_t)l3;

	/* The model's verdict, before the call changes the pools. */
	M.fed++;
	m_expire();
	s = m_find(k);
	if (len == 0 || (more && (len & 7) != 0)) {
		why = DP_DROP_MALFORMED;
	} else if (s == NULL && m_used() == DP_REASM_SLOTS) {
		why = DP_DROP_FRAG_TABLE_FULL;
	} else {
		if (s == NULL) {
			for (i = 0; M.s[i].used; i++)
				;
			s = &M.s[i];
			memset(s, 0, sizeof(*s));
			s->used = true;
			s->key = k;
			s->deadline = now + (uint64_t)HZ *
				DP_REASM_TIMEOUT_MS / 1000;
		}
		if (s->dead) {
			why = s->dead - 1;
		} else if (l3 + end > m_max(l2)) {
			m_refuse(s, DP_DROP_FRAG_TOO_BIG);
			why = DP_DROP_FRAG_TOO_BIG;
		} else {
			bool ovl = false;

			for (i = 0; i < s->n; i++)
				if (off < s->f[i].off + s->f[i].len &&
				    s->f[i].off < end)
					ovl = true;
			if (ovl || (s->total && end > s->total) ||
			    (!more && s->total) ||
			    (!more && end < s->have_end)) {
				m_refuse(s, DP_DROP_FRAG_OVERLAP);
				why = DP_DROP_FRAG_OVERLAP;
			} else if (s->n == DP_REASM_FRAGS) {
				m_refuse(s, DP_DROP_FRAG_TOO_MANY);
				why = DP_DROP_FRAG_TOO_MANY;
			} else {
				struct mfrag *f = &s->f[s->n++];

				f->off = off;
				f->len = len;
				f->l2 = l2;
				f->l3 = l3;
				memcpy(f->hdr, p, l2 + l3);
				s->have += len;
				if (end > s->have_end)
					s->have_end = end;
				if (!more)
					s->total = end;
				done = s->total != 0 && s->have == s->total;
			}
		}
	}
	if (why >= 0)
		M.drops[why]++;
	if (done) {
		const struct mfrag *first = NULL;

		for (i = 0; i < s->n; i++)
			if (s->f[i].off == 0)
				first = &s->f[i];
		check(first != NULL);
		if (first->l3 + s->total > m_max(first->l2)) {
			m_refuse(s, DP_DROP_FRAG_TOO_BIG);
			done = false;
		} else if (pools[first->l2 + first->l3 + s->total <= ROOM ?
				 0 : 1].want_dry) {
			m_refuse(s, DP_DROP_NO_MBUF);
			done = false;
		}
	}

	pools[0].dry = pools[0].want_dry;
	pools[1].dry = pools[1].want_dry;
	out = dp_reasm_ipv4(&W, m, now);
	pools[0].dry = false;
	pools[1].dry = false;
	if (done) {
		check(out != NULL);
		check_datagram(s, out);
		M.delivered_frags += s->n;
		M.done++;
		s->used = false;
		rte_pktmbuf_free(out);
	} else {
		check(out == NULL);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ops = -1;
	size_t i = 0;
	unsigned int steps = 0, k;

	if (ops < 0) {
		ops = rte_mempool_register_ops(&fake_ops);
		check(ops >= 0);
		pool_init(&pools[0], ops, small_m, &small_room[0][0], N_SMALL,
			  RTE_PKTMBUF_HEADROOM + ROOM, small_out, small_free);
		pool_init(&pools[1], ops, big_m, &big_room[0][0], N_BIG,
			  DP_REASM_BUF, big_out, big_free);
		dp_g.pool = &pools[0].u.mp;
		dp_g.reasm_pool = &pools[1].u.mp;
		dp_g.workers = &W;
		dp_g.n_workers = 1;
	}
	memset(&W.reasm, 0, sizeof(W.reasm));
	memset(&W.drops, 0, sizeof(W.drops));
	/* the model's slots are cleared as they are taken (m_find's caller) */
	for (k = 0; k < DP_REASM_SLOTS; k++)
		M.s[k].used = false;
	memset(M.drops, 0, sizeof(M.drops));
	M.fed = M.delivered_frags = M.done = 0;
	pools[0].want_dry = false;
	pools[1].want_dry = false;
	now = 1000;

	while (i < size && steps++ < MAX_STEPS) {
		uint8_t op = data[i++];

		switch (op & 3) {
		case 0:
		case 1:
			if (size - i < 6) {
				i = size;
				break;
			}
			step_frag(data + i);
			i += 6;
			break;
		case 2:
			/* time: up to 5.1 s in 20 ms steps and 63 ms, expiry */
			now += ((uint64_t)(i < size ? data[i++] : 0) * 20 +
				(op >> 2)) * (HZ / 1000);
			m_expire();
			dp_reasm_expire(&W, now);
			break;
		default:
			pools[0].want_dry = (op & 4) != 0;
			pools[1].want_dry = (op & 8) != 0;
			break;
		}
		check_counters();
	}
	{
		uint64_t done, slots;

		dp_reasm_read(&done, &slots);
		check(done == M.done && slots == m_used());
	}
	dp_reasm_flush(&W);
	check(W.reasm.n_used == 0);
	check(pools[0].n_free == N_SMALL && pools[1].n_free == N_BIG);
	return 0;
}
