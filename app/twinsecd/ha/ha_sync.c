/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The sync channel's traffic: frames out (sealed, then sent or queued
 * while the transport is full: order is what the sequence jump relies on,
 * so nothing queued is ever skipped), frames in (opened, decoded,
 * dispatched), SA records between the sadb and the wire, bulk sync, and
 * the active's counter watch. Control lcore only.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ike_export.h"
#include "ike_glue.h"
#include "ha_priv.h"
#include "tw_log.h"
#include "tw_compiler.h"

static uint8_t fixbuf[SYNC_MSG_MAX];

/* ---- out ---------------------------------------------------------- */

static int
txq_push(const uint8_t *p, size_t len)
{
	struct ha_txbuf *b;

	if (ha.q_bytes + len > HA_TXQ_MAX_BYTES) {
		ha.cnt.tx_dropped++;
		ha_overflow();
		return -ENOBUFS;
	}
	b = malloc(sizeof(*b) + len);
	if (b == NULL) {
		ha.cnt.tx_dropped++;
		ha_overflow();
		return -ENOMEM;
	}
	b->next = NULL;
	b->len = len;
	memcpy(b->data, p, len);
	if (ha.q_tail != NULL)
		ha.q_tail->next = b;
	else
		ha.q_head = b;
	ha.q_tail = b;
	ha.q_bytes += len;
	return 0;
}

void
ha_txq_flush(void)
{
	struct ha_txbuf *b;
	int rc;

	while ((b = ha.q_head) != NULL && ha.tr != NULL) {
		rc = sync_transport_send(ha.tr, b->data, b->len);
		if (rc == -EAGAIN)
			return;
		if (rc == 0) {
			ha.cnt.tx_msgs++;
			ha.cnt.tx_queued++;
			ha.cnt.tx_bytes += b->len;
		} else {
			ha.cnt.tx_dropped++;
		}
		ha.q_head = b->next;
		if (ha.q_head == NULL)
			ha.q_tail = NULL;
		ha.q_bytes -= b->len;
		free(b);
	}
}

void
ha_txq_clear(void)
{
	struct ha_txbuf *b;

	while ((b = ha.q_head) != NULL) {
		ha.q_head = b->next;
		free(b);
	}
	ha.q_tail = NULL;
	ha.q_bytes = 0;
}

int
ha_send_msg(const uint8_t *msg, size_t len)
{
	int n, rc;

	if (ha.tr == NULL || ha.frame == NULL)
		return -ENOTCONN;
	n = sync_frame_seal(ha.frame, msg, len, ha.frm, sizeof(ha.frm));
	if (n < 0) {
		/* -ENOTCONN before the first connection: nothing to do */
		if (n != -ENOTCONN)
			tw_log(TW_LOG_ERR, HA_LOG, "sync: cannot seal a frame: %s",
			       strerror(-n));
		ha.cnt.tx_dropped++;
		return n;
	}
	if (ha.q_head == NULL) {
		rc = sync_transport_send(ha.tr, ha.frm, (size_t)n);
		if (rc == 0) {
			ha.cnt.tx_msgs++;
			ha.cnt.tx_bytes += (uint64_t)n;
			return 0;
		}
		if (rc != -EAGAIN) {
			ha.cnt.tx_dropped++;
			return rc;
		}
	}
	return txq_push(ha.frm, (size_t)n);
}

int
ha_send_fixed(const struct sync_msg *m)
{
	int n = sync_msg_encode(m, fixbuf, sizeof(fixbuf));

	if (n < 0) {
		tw_log(TW_LOG_ERR, HA_LOG, "sync: cannot encode %s: %s",
		       sync_msg_type_name(m->type), strerror(-n));
		return n;
	}
	return ha_send_msg(fixbuf, (size_t)n);
}

/* ---- SA records ---------------------------------------------------- */

void
ha_sa_new(const struct sadb_sa *sa)
{
	struct ha_sa *x = &ha.sa[sa->id];

	const struct ha_mark *m;

	memset(x, 0, sizeof(*x));
	m = sa->p.dir == SADB_DIR_OUT ?
		ha_mark_loaded(sa->p.spi, sa->p.peer_addr) : NULL;
	if (m != NULL) {
		x->mark = m->mark;
		x->own_stamp = m->own_stamp;
		x->stamp_ms = m->stamp_ms;
	}
	x->sent_seq = sa->p.seq;
	ha.recheck[sa->id / 64] |= UINT64_C(1) << (sa->id % 64);
}

void
ha_watch_all(void)
{
	memset(ha.recheck, 0xff,
	       (ha.max_sas + 63) / 64 * sizeof(ha.recheck[0]));
}

/* What the twin was last told of sa: seq, and bytes for its lifetime. */
static void
sent(const struct sadb_sa *sa, uint64_t seq, uint64_t bytes)
{
	struct ha_sa *x = &ha.sa[sa->id];

	x->sent_seq = seq;
	x->sent_bytes = bytes;
	x->sent_any = true;
}

bool
ha_sa_sent_bytes(const struct sadb_sa *sa, uint64_t *bytes)
{
	if (!ha.enabled || ha.sa == NULL || !ha.sa[sa->id].sent_any)
		return false;
	*bytes = ha.sa[sa->id].sent_bytes;
	return true;
}

/* Outbound: last used; inbound: highest seen (fast path or record). */
uint64_t
ha_sa_seq(const struct sadb_sa *sa)
{
	struct sadb_sa_stats st;

	if (sa->state == SADB_SA_INSTALLED &&
	    sadb_sa_stats(ha.ctl->sadb, sa, &st) == 0)
		return st.seq;
	return sa->p.seq;
}

static void
rec_from_sa(const struct sadb_sa *sa, struct sync_sa_rec *r)
{
	struct sadb_sa_stats st;

	memset(r, 0, sizeof(*r));
	r->id = sa->id;
	r->state = sa->state;
	r->p = sa->p;
	if (sa->state == SADB_SA_INSTALLED &&
	    sadb_sa_stats(ha.ctl->sadb, sa, &st) == 0) {
		r->p.seq = st.seq;
		r->life_bytes = st.bytes;
		r->life_packets = sa->p.dir == SADB_DIR_IN ? st.pkts_decaps :
			st.pkts_encaps;
	}
}

static bool
same_sa(const struct sadb_sa_params *a, const struct sadb_sa_params *b)
{
	return a->cipher == b->cipher && a->integ == b->integ &&
		a->cipher_key_len == b->cipher_key_len &&
		a->auth_key_len == b->auth_key_len &&
		memcmp(a->cipher_key, b->cipher_key, a->cipher_key_len) == 0 &&
		memcmp(a->auth_key, b->auth_key, a->auth_key_len) == 0 &&
		a->local_addr == b->local_addr && a->peer_addr == b->peer_addr &&
		sadb_outer_af(a) == sadb_outer_af(b) &&
		memcmp(a->local6, b->local6, sizeof(a->local6)) == 0 &&
		memcmp(a->peer6, b->peer6, sizeof(a->peer6)) == 0 &&
		a->udp_encap == b->udp_encap &&
		a->udp_local_port == b->udp_local_port &&
		a->udp_peer_port == b->udp_peer_port &&
		a->esn == b->esn && a->replay_window == b->replay_window;
}

/*
 * The standby's record of the twin's SA id: SA_DELETE and COUNTER_UPDATE
 * name an SA by the sender's id, SPI and direction, and an outbound SPI
 * alone may be two peers' choice. The id as learnt from the SA records,
 * checked against SPI and direction; else by SPI (outbound: the only SA
 * with it).
 */
static struct sadb_sa *
twin_sa(uint32_t id, enum sadb_dir dir, uint32_t spi)
{
	struct sadb *db = ha.ctl->sadb;
	struct sadb_sa *sa = NULL;

	if (id < ha.max_sas && ha.twin_id[id] != 0)
		sa = sadb_sa_by_id(db, ha.twin_id[id] - 1);
	if (sa != NULL && sa->p.spi == spi && sa->p.dir == dir)
		return sa;
	return dir == SADB_DIR_IN ? sadb_sa_lookup(db, dir, spi, 0) :
		sadb_sa_find_out(db, spi, 0);
}

/* A standby stores (or refreshes) one SA from the active twin. */
static int
apply_rec(const struct sync_sa_rec *r, tw_time_t now)
{
	struct sadb *db = ha.ctl->sadb;
	struct tw_addr peer = sadb_sa_peer(&r->p);
	struct sadb_sa_params p;
	struct sadb_sa *sa;
	char err[256];
	int rc;

	/* By a peer of either family: an IPv6 tunnel's has no IPv4 one. */
	sa = sadb_sa_lookup_addr(db, r->p.dir, r->p.spi, &peer);
	if (sa != NULL && sa->state == SADB_SA_INSTALLED)
		return -EBUSY;
	if (sa != NULL && !same_sa(&sa->p, &r->p)) {
		sadb_sa_del(db, sa, "replaced by the twin's");
		sa = NULL;
	}
	if (sa == NULL) {
		p = r->p;
		rc = sadb_sa_add(db, &p, now, &sa, err, sizeof(err));
		if (rc < 0) {
			tw_log(TW_LOG_WARNING, HA_LOG,
			       "sync: SA 0x%08x from the twin refused: %s",
			       r->p.spi, err);
			return rc;
		}
		rc = sadb_sa_set_state(db, sa, SADB_SA_DECOUPLED,
				       "synced from the twin");
		if (rc < 0)
			return rc;
	}
	if (r->p.seq > sa->p.seq)
		(void)sadb_sa_set_seq(db, sa, r->p.seq);
	if (r->id < ha.max_sas)
		ha.twin_id[r->id] = sa->id + 1;
	ha.sa[sa->id].synced = true;
	ha.sa[sa->id].stale = false;
	ha.sa[sa->id].conn = ha.conns.cur;
	ha.sa[sa->id].own_stamp = false; /* dated by the connection now */
	ha.marks_dirty = true;
	return 0;
}

static void
apply_records(const struct sync_msg *m, tw_time_t now, uint32_t *ok,
	      uint32_t *bad)
{
	struct sync_sa_rec r;
	struct sync_iter it;
	const uint8_t *body;
	uint16_t kind, len;

	*ok = *bad = 0;
	sync_iter_init(&it, m);
	while (sync_rec_next(&it, &r) == 1) {
		if (apply_rec(&r, now) == 0)
			(*ok)++;
		else
			(*bad)++;
	}
	explicit_bzero(&r, sizeof(r));
	ha.cnt.records_in += *ok;
	/* IKE SAs: the IKE engine's own records (not in the bulk count). */
	sync_iter_init(&it, m);
	while (sync_rec_next_raw(&it, &kind, &body, &len) == 1) {
		if (kind != SYNC_REC_IKE_SA)
			continue;
		if (ike_glue_import(body, len, now) == 0)
			ha.cnt.ike_add_in++;
		else
			ha.cnt.ike_refused++;
	}
}

static void
apply_ike_deletes(const struct sync_msg *m)
{
	struct sync_iter it;
	uint64_t spi_i, spi_r;

	sync_iter_init(&it, m);
	while (sync_ike_del_next(&it, &spi_i, &spi_r) == 1) {
		ike_glue_import_delete(spi_i, spi_r);
		ha.cnt.ike_del_in++;
	}
}

static void
apply_deletes(const struct sync_msg *m)
{
	struct sadb *db = ha.ctl->sadb;
	struct sync_sa_ref d;
	struct sync_iter it;
	struct sadb_sa *sa;

	sync_iter_init(&it, m);
	while (sync_del_next(&it, &d) == 1) {
		sa = twin_sa(d.id, d.dir, d.spi);
		if (sa == NULL || sa->state == SADB_SA_INSTALLED)
			continue;
		sadb_sa_del(db, sa, "deleted by the twin");
		ha.cnt.sa_del_in++;
	}
}

static void
apply_counters(const struct sync_msg *m, tw_time_t now)
{
	struct sadb *db = ha.ctl->sadb;
	struct sync_counter c;
	struct sync_iter it;
	struct sadb_sa *sa;
	uint32_t n = 0;

	sync_iter_init(&it, m);
	while (sync_ctr_next(&it, &c) == 1) {
		sa = twin_sa(c.id, c.dir, c.spi);
		if (sa == NULL || sa->state == SADB_SA_INSTALLED) {
			ha.cnt.ctr_unknown++;
			continue;
		}
		if (c.seq > sa->p.seq)
			(void)sadb_sa_set_seq(db, sa, c.seq);
		/*
		 * On this connection the active sends the next update before
		 * the SA moves another interval past c.seq (watch_sa() sets
		 * what it sent): confirmed here, as a record would.
		 */
		ha.sa[sa->id].synced = true;
		ha.sa[sa->id].conn = ha.conns.cur;
		ha.sa[sa->id].own_stamp = false;
		n++;
	}
	ha.cnt.ctr_in += n;
	ha.marks_dirty = true;
	/* tools/bench-sync: applied at (monotonic ns) */
	tw_log(TW_LOG_DEBUG, HA_LOG, "sync: COUNTER_UPDATE applied n=%" PRIu32
	       " t=%" PRIu64, n, (uint64_t)now);
}

/* ---- in ------------------------------------------------------------ */

static void
rx_refused(const char *what, int rc, const char *err, tw_time_t now)
{
	if (ha.rx_log_at != 0 && now - ha.rx_log_at < HA_RX_LOG_EVERY) {
		ha.rx_log_suppressed++;
		return;
	}
	/* sync_frame's message names the key on a bad tag */
	tw_log(TW_LOG_WARNING, HA_LOG,
	       "sync: %s from the twin refused (%s): %s%s", what,
	       strerror(-rc), err,
	       ha.rx_log_suppressed > 0 ? " (more refused since last said)" :
	       "");
	ha.rx_log_at = now;
	ha.rx_log_suppressed = 0;
}

/*
 * The connection a frame came on: our epoch and the twin's name one
 * association (each end picks a new epoch whenever one comes up,
 * sync_frame.h). A new pair is a new connection: what the twin told us
 * on an earlier one stays dated by that one's last frame (sync_seq.h).
 */
static void
conn_heard(const struct sync_frame_rx *rx, tw_time_t now)
{
	uint64_t ours = sync_frame_epoch(ha.frame);

	if (ours != ha.conn_ours || rx->epoch != ha.conn_theirs ||
	    ha.conns.cur == 0) {
		ha.conn_ours = ours;
		ha.conn_theirs = rx->epoch;
		sync_seq_conn_new(&ha.conns);
	}
	sync_seq_conn_heard(&ha.conns, now);
}

/* A standby takes SA state only from a matching, active twin. */
static bool
standby_takes(void)
{
	return !rf_is_active(&ha.rf) && ha.rf.peer_ok &&
		ha.rf.peer_role == SYNC_ROLE_ACTIVE;
}

void
ha_rx_frame(const uint8_t *p, size_t len, tw_time_t now)
{
	struct sync_frame_rx rx;
	struct rf_event ev;
	struct sync_msg m;
	uint32_t ok, bad;
	char err[256];
	int n, rc;

	n = sync_frame_open(ha.frame, p, len, ha.rx, sizeof(ha.rx), &rx,
			    err, sizeof(err));
	if (n < 0) {
		ha.cnt.rx_bad_frame++;
		rx_refused("frame", n, err, now);
		return;
	}
	rc = sync_msg_decode(ha.rx, (size_t)n, &m, err, sizeof(err));
	if (rc < 0) {
		ha.cnt.rx_bad_msg++;
		rx_refused("message", rc, err, now);
		return;
	}
	ha.cnt.rx_frames++;
	ha.last_heard = now;
	conn_heard(&rx, now);
	/* sync_frame.h: only a HELLO counts before the frame is confirmed */
	if (!rx.confirmed && m.type != SYNC_MSG_HELLO) {
		ha.cnt.rx_unconfirmed++;
		return;
	}
	memset(&ev, 0, sizeof(ev));
	switch (m.type) {
	case SYNC_MSG_HELLO:
		ev.type = RF_EV_HELLO;
		ev.u.hello = &m.u.hello;
		break;
	case SYNC_MSG_KEEPALIVE:
		ev.type = RF_EV_KEEPALIVE;
		ev.u.keepalive = &m.u.keepalive;
		break;
	case SYNC_MSG_BULK_REQUEST:
		ev.type = RF_EV_BULK_REQUEST;
		ev.u.bulk = m.u.bulk;
		break;
	case SYNC_MSG_BULK_START:
		ev.type = RF_EV_BULK_START;
		ev.u.bulk = m.u.bulk;
		ha.bulk_t0 = now;
		break;
	case SYNC_MSG_BULK_END:
		ev.type = RF_EV_BULK_END;
		ev.u.bulk = m.u.bulk;
		ha_event(&ev, now);
		if (ha.rf.synced && ha.bulk_t0 != 0) {
			ha.cnt.bulk_last_us = (ctl_now() - ha.bulk_t0) / 1000;
			ha.cnt.bulk_last_records = ha.rf.bulk_got;
			ha.bulk_t0 = 0;
			tw_log(TW_LOG_INFO, HA_LOG,
			       "sync: bulk sync of %" PRIu32 " records stored in %" PRIu64 " ms",
			       ha.rf.bulk_got, ha.cnt.bulk_last_us / 1000);
		}
		return;
	case SYNC_MSG_BULK_RECORDS:
		ev.type = RF_EV_BULK_RECORDS;
		if (!ha.rf.bulk_in || rf_is_active(&ha.rf)) {
			ha.cnt.rx_ignored++;
			break;
		}
		apply_records(&m, now, &ok, &bad);
		ev.u.records.accepted = ok;
		ev.u.records.refused = bad;
		break;
	case SYNC_MSG_SA_ADD:
		if (rf_is_active(&ha.rf)) {
			/* Only a twin that lost a split sends one to us. */
			ha_split_records(&m, now);
			return;
		}
		if (!standby_takes()) {
			ha.cnt.rx_ignored++;
			return;
		}
		apply_records(&m, now, &ok, &bad);
		ha.cnt.sa_add_in += ok;
		return;
	case SYNC_MSG_SA_DELETE:
		if (!standby_takes()) {
			ha.cnt.rx_ignored++;
			return;
		}
		apply_deletes(&m);
		return;
	case SYNC_MSG_COUNTER_UPDATE:
		if (rf_is_active(&ha.rf)) {
			/* Only a twin that lost a split sends one to us. */
			ha_split_counters(&m, now);
			return;
		}
		if (!standby_takes()) {
			ha.cnt.rx_ignored++;
			return;
		}
		apply_counters(&m, now);
		return;
	case SYNC_MSG_IKE_SA_DELETE:
		if (!standby_takes()) {
			ha.cnt.rx_ignored++;
			return;
		}
		apply_ike_deletes(&m);
		return;
	default:
		ha.cnt.rx_ignored++;
		return;
	}
	ha_event(&ev, now);
	if (ha.rf.peer_role == SYNC_ROLE_ACTIVE)
		ha.twin_was_active = true;
}

/* ---- bulk sync ----------------------------------------------------- */

struct batch {
	struct sync_builder b;
	enum sync_msg_type type;
	uint32_t msgs;
};

/* A message, once framed, must fit the transport's largest. */
#define BATCH_MAX (SYNC_TRANSPORT_MSG_MAX - SYNC_FRAME_OVERHEAD)
_Static_assert(BATCH_MAX <= SYNC_MSG_MAX, "batch larger than a message");

static void
batch_begin(struct batch *bt, enum sync_msg_type type)
{
	bt->type = type;
	(void)sync_build_begin(&bt->b, type, ha.msg, BATCH_MAX);
}

static void
batch_flush(struct batch *bt)
{
	int len;

	if (bt->b.n == 0)
		return;
	len = sync_build_end(&bt->b);
	if (len > 0) {
		(void)ha_send_msg(ha.msg, (size_t)len);
		bt->msgs++;
	}
	batch_begin(bt, bt->type);
}

static int
batch_sa(struct batch *bt, const struct sync_sa_rec *r)
{
	char err[256];
	int rc;

	rc = sync_build_sa(&bt->b, r, err, sizeof(err));
	if (rc == -ENOSPC) {
		batch_flush(bt);
		rc = sync_build_sa(&bt->b, r, err, sizeof(err));
	}
	if (rc < 0)
		tw_log(TW_LOG_ERR, HA_LOG, "sync: SA 0x%08x not sent: %s",
		       r->p.spi, err);
	return rc;
}

static uint8_t ikebuf[IKE_SA_REC_MAX];

static int
batch_record(struct batch *bt, uint16_t kind, const uint8_t *p, size_t len)
{
	int rc;

	if (len > UINT16_MAX)
		return -EINVAL;
	rc = sync_build_record(&bt->b, kind, p, (uint16_t)len);
	if (rc == -ENOSPC) {
		batch_flush(bt);
		rc = sync_build_record(&bt->b, kind, p, (uint16_t)len);
	}
	return rc;
}

static uint32_t
bulk_ike(struct batch *bt)
{
	uint32_t cursor = 0, n = 0;
	int len;

	while ((len = ike_glue_export_next(&cursor, ikebuf,
					   sizeof(ikebuf))) > 0) {
		if (batch_record(bt, SYNC_REC_IKE_SA, ikebuf, (size_t)len) == 0)
			n++;
	}
	explicit_bzero(ikebuf, sizeof(ikebuf));
	ha.cnt.ike_add_out += n;
	return n;
}

void
ha_bulk_send(uint32_t id)
{
	struct sync_msg m = { .type = SYNC_MSG_BULK_START };
	struct sadb *db = ha.ctl->sadb;
	const struct sadb_sa *sa;
	struct sync_sa_rec r;
	struct batch bt = { 0 };
	tw_time_t t0 = ctl_now();
	uint32_t n = 0, n_ike;

	m.version = SYNC_MSG_VERSION;
	m.u.bulk.id = id;
	m.u.bulk.count = sadb_count(db);
	(void)ha_send_fixed(&m);
	batch_begin(&bt, SYNC_MSG_BULK_RECORDS);
	for (sa = sadb_sa_next(db, NULL); sa != NULL;
	     sa = sadb_sa_next(db, sa)) {
		rec_from_sa(sa, &r);
		if (batch_sa(&bt, &r) == 0) {
			sent(sa, r.p.seq, r.life_bytes);
			n++;
		}
	}
	explicit_bzero(&r, sizeof(r));
	/* The IKE SAs, after the SAs of their children. */
	n_ike = bulk_ike(&bt);
	batch_flush(&bt);
	m.type = SYNC_MSG_BULK_END;
	m.u.bulk.count = sadb_count(db);
	(void)ha_send_fixed(&m);
	ha.cnt.records_out += n;
	tw_log(TW_LOG_INFO, HA_LOG,
	       "sync: bulk sync %" PRIu32 ": %" PRIu32 " SA records and %" PRIu32 " IKE SAs in %" PRIu32 " messages, queued in %" PRIu64 " ms",
	       id, n, n_ike, bt.msgs,
	       (uint64_t)((ctl_now() - t0) / TW_NSEC_PER_MSEC));
}

void
ha_bulk_begin(void)
{
	const struct sadb_sa *sa;

	for (sa = sadb_sa_next(ha.ctl->sadb, NULL); sa != NULL;
	     sa = sadb_sa_next(ha.ctl->sadb, sa))
		ha.sa[sa->id].stale = sa->state != SADB_SA_INSTALLED;
	ike_glue_bulk_begin();
}

static unsigned int
drop_where(bool only_stale, const char *why)
{
	struct sadb *db = ha.ctl->sadb;
	struct sadb_sa *sa, *next;
	unsigned int n = 0;

	for (sa = sadb_sa_next(db, NULL); sa != NULL; sa = next) {
		next = sadb_sa_next(db, sa);
		if (sa->state != SADB_SA_DECOUPLED ||
		    (only_stale && !ha.sa[sa->id].stale))
			continue;
		sadb_sa_del(db, sa, why);
		n++;
	}
	return n;
}

void
ha_bulk_commit(void)
{
	unsigned int n = drop_where(true, "not in the twin's bulk sync");

	ike_glue_bulk_commit();

	if (n > 0)
		tw_log(TW_LOG_INFO, HA_LOG,
		       "sync: %u SAs the twin no longer has dropped", n);
}

void
ha_drop_decoupled(void)
{
	unsigned int n = drop_where(false, "standby SAs cleared");

	ike_glue_drop_passive();

	tw_log(TW_LOG_NOTICE, HA_LOG, "sync: %u standby SAs dropped", n);
}

/* ---- incremental: SA_ADD / SA_DELETE / COUNTER_UPDATE ---------------- */

/* The active put a new SA in its fast path: SA_ADD to the twin at once. */
static void
sa_installed(const struct sadb_sa *sa)
{
	struct sync_sa_rec r;
	struct batch bt = { 0 };

	if (!rf_mirroring(&ha.rf))
		return;
	rec_from_sa(sa, &r);
	batch_begin(&bt, SYNC_MSG_SA_ADD);
	if (batch_sa(&bt, &r) == 0) {
		batch_flush(&bt);
		sent(sa, r.p.seq, r.life_bytes);
		ha.cnt.sa_add_out++;
	}
	explicit_bzero(&r, sizeof(r));
}

/* An SA that carried traffic here is deleted: SA_DELETE at once. */
static void
sa_deleted(const struct sadb_sa *sa)
{
	struct sync_sa_ref d = {
		.id = sa->id, .spi = sa->p.spi, .dir = sa->p.dir,
	};
	struct batch bt = { 0 };

	if (!rf_mirroring(&ha.rf))
		return;
	batch_begin(&bt, SYNC_MSG_SA_DELETE);
	if (sync_build_delete(&bt.b, &d) == 0) {
		batch_flush(&bt);
		ha.cnt.sa_del_out++;
	}
}

/*
 * The SA database's watcher: whoever adds, installs or deletes an SA
 * (the IKE glue, the config, this layer itself), the per-SA state here
 * follows, and the active tells its twin of an SA that enters its fast
 * path new or leaves it deleted; a takeover's or relinquish's own moves
 * between DECOUPLED and INSTALLED are not news.
 */
void
ha_on_sa(void *arg TW_UNUSED, struct sadb *db TW_UNUSED,
	 const struct sadb_sa *sa, enum sadb_sa_state from,
	 enum sadb_sa_state to)
{
	if (!ha.enabled)
		return;
	if (from == SADB_SA_INIT && to == SADB_SA_INIT) {
		ha_sa_new(sa);
	} else if (to == SADB_SA_DELETED) {
		memset(&ha.sa[sa->id], 0, sizeof(ha.sa[0]));
		if (from == SADB_SA_INSTALLED && !ha.own_change)
			sa_deleted(sa);
	} else if (from == SADB_SA_INIT && to == SADB_SA_INSTALLED &&
		   !ha.own_change) {
		sa_installed(sa);
	}
}

/* The IKE glue's listener: the active's IKE SA changed (an ike_export.h
 * record) / was deleted: an SA_ADD with the IKE_SA record / an
 * IKE_SA_DELETE to the twin at once. */
static void
ike_sa_record(void *arg TW_UNUSED, const uint8_t *rec, size_t len)
{
	struct batch bt = { 0 };

	if (!ha.enabled || !rf_mirroring(&ha.rf))
		return;
	batch_begin(&bt, SYNC_MSG_SA_ADD);
	if (batch_record(&bt, SYNC_REC_IKE_SA, rec, len) == 0) {
		batch_flush(&bt);
		ha.cnt.ike_add_out++;
	}
}

static void
ike_sa_deleted(void *arg TW_UNUSED, uint64_t spi_i, uint64_t spi_r)
{
	struct batch bt = { 0 };

	if (!ha.enabled || !rf_mirroring(&ha.rf))
		return;
	batch_begin(&bt, SYNC_MSG_IKE_SA_DELETE);
	if (sync_build_ike_delete(&bt.b, spi_i, spi_r) == 0) {
		batch_flush(&bt);
		ha.cnt.ike_del_out++;
	}
}

const struct ike_glue_listener ha_ike_listener = {
	.sa_record = ike_sa_record,
	.sa_deleted = ike_sa_deleted,
};

/*
 * Active, one SA whose counters moved into another progress grain (or
 * that is new, or every SA after a takeover): reserve sequence marks and
 * queue a COUNTER_UPDATE on what the SA may reach before the fast path
 * says anything again, sadb_progress_bound() of what we read. So the
 * twin never lags more than the interval behind (sync_seq.h) and the
 * fast path never passes a mark unsaved, though we read an SA only every
 * grain (<= interval / 4) packets instead of every pass. *save is set when
 * a mark moved. -errno when the counters could not be read.
 */
static int
watch_sa(const struct sadb_sa *sa, unsigned int shift, struct batch *bt,
	 uint32_t *n, bool *save)
{
	struct ha_sa *x = &ha.sa[sa->id];
	struct sadb_sa_stats st;
	struct sync_counter c;
	uint64_t mark, hi;
	uint32_t iv;
	int rc;

	rc = sadb_sa_stats(ha.ctl->sadb, sa, &st);
	if (rc < 0)
		return rc;
	ha.cnt.watch_reads++;
	hi = sadb_progress_bound(st.seq, shift);
	if (sa->p.dir == SADB_DIR_OUT) {
		/* the SA's observed peak, packets summed over workers */
		sync_seq_peak_feed(&x->peak, st.pkts_encaps, ctl_now());
		if (x->peak.peak_pps > ha.cnt.seq_peak_pps)
			ha.cnt.seq_peak_pps = x->peak.peak_pps;
		mark = sync_seq_reserve(hi, x->mark);
		if (mark != x->mark) {
			x->mark = mark;
			*save = true;
		}
	}
	iv = sa->p.replay_interval != 0 ? sa->p.replay_interval : 1;
	if (bt == NULL || hi < x->sent_seq + iv)
		return 0;
	c = (struct sync_counter){
		.id = sa->id, .spi = sa->p.spi, .dir = sa->p.dir,
		.seq = st.seq, .life_bytes = st.bytes,
		.life_packets = sa->p.dir == SADB_DIR_IN ?
			st.pkts_decaps : st.pkts_encaps,
	};
	rc = sync_build_counter(&bt->b, &c);
	if (rc == -ENOSPC) {
		batch_flush(bt);
		rc = sync_build_counter(&bt->b, &c);
	}
	if (rc == 0) {
		sent(sa, st.seq, st.bytes);
		(*n)++;
	}
	return 0;
}

/*
 * Active: every 10 ms, the SAs the fast path says moved (their progress
 * word changed), those marked for a recheck, or, without a progress
 * table, all of them. The pass streams 4 bytes per SA id instead of the
 * per-worker counter lines the workers write.
 */
static void
watch_active(tw_time_t now)
{
	struct sadb *db = ha.ctl->sadb;
	const volatile uint32_t *pv = sadb_progress(db);
	uint32_t end = sadb_id_end(db), base, lim, id, v = 0, n = 0;
	bool mirror = rf_mirroring(&ha.rf), save = false;
	struct batch bt = { 0 };
	const struct sadb_sa *sa;
	unsigned int shift;
	uint64_t force;

	if (mirror)
		batch_begin(&bt, SYNC_MSG_COUNTER_UPDATE);
	for (base = 0; base < end; base += 64) {
		force = ha.recheck[base / 64];
		ha.recheck[base / 64] = 0;
		lim = end - base < 64 ? end : base + 64;
		for (id = base; id < lim; id++) {
			if (pv != NULL) {
				v = __atomic_load_n(&pv[id], __ATOMIC_ACQUIRE);
				if (v == ha.seen[id] &&
				    (force & (UINT64_C(1) << (id - base))) == 0)
					continue;
				ha.seen[id] = v;
			}
			sa = sadb_sa_by_id(db, id);
			if (sa == NULL || sa->state != SADB_SA_INSTALLED)
				continue;
			shift = pv != NULL ?
				sadb_progress_shift(sa->p.replay_interval) : 0;
			if (watch_sa(sa, shift, mirror ? &bt : NULL, &n,
				     &save) < 0)
				ha.recheck[id / 64] |=
					UINT64_C(1) << (id % 64);
		}
	}
	/*
	 * Before the fast path can reach the old marks (half a block off),
	 * and every second a fresh stamp (the marks themselves only when
	 * one moved).
	 */
	if (save)
		(void)ha_marks_save();
	else if (now - ha.marks_saved >= HA_MARK_SAVE_EVERY)
		(void)ha_marks_renew();
	if (n > 0) {
		batch_flush(&bt);
		ha.cnt.ctr_out += n;
		/* tools/bench-sync: sent at (monotonic ns) */
		tw_log(TW_LOG_DEBUG, HA_LOG,
		       "sync: COUNTER_UPDATE sent n=%" PRIu32 " t=%" PRIu64,
		       n, (uint64_t)now);
	}
}

/* Standby: persist what the twin told us, at most once a second. */
static void
watch_standby(tw_time_t now)
{
	const struct sadb_sa *sa;
	struct ha_sa *x;
	uint64_t m;

	if (!ha.marks_dirty || now - ha.marks_saved < HA_MARK_SAVE_EVERY)
		return;
	for (sa = sadb_sa_next(ha.ctl->sadb, NULL); sa != NULL;
	     sa = sadb_sa_next(ha.ctl->sadb, sa)) {
		x = &ha.sa[sa->id];
		if (sa->p.dir != SADB_DIR_OUT || !x->synced)
			continue;
		m = sa->p.seq + sa->p.replay_interval;
		if (m > x->mark)
			x->mark = m;
	}
	ha.marks_dirty = false;
	(void)ha_marks_save();
}

void
ha_watch_fire(void *arg TW_UNUSED, tw_time_t now)
{
	ha.cnt.watch_runs++;
	tw_heap_arm(&ha.ctl->heap, &ha.watch,
		    now + TW_MSEC(SYNC_SEQ_WATCH_MS));
	if (rf_is_active(&ha.rf))
		watch_active(now);
	else
		watch_standby(now);
	ha.cnt.watch_ns += ctl_now() - now;
}
