/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target for lib/sync, the code that reads the twin's bytes.
 * Every input is
 * - decoded as a sync message; whatever decodes is re-encoded (fixed
 *   messages with sync_msg_encode, lists item by item with the builder,
 *   IKE_SA_DELETE included; record lists also from every record's raw
 *   bytes, IKE_SA and unknown kinds included, byte for byte), decoded
 *   again and must come back the same; the decoded HELLO,
 *   KEEPALIVE and BULK_* messages are fed to two RF engines (one active,
 *   one standby) that must never make an illegal transition;
 * - opened as a frame by a receiver in each mode (it must refuse or
 *   accept without touching memory it should not);
 * - sealed as a message and opened by the twin: it must come back equal.
 * Any disagreement aborts, so the fuzzer reports it.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rf.h"
#include "sync_frame.h"
#include "sync_msg.h"
#include "tw_log.h"
#include "tw_compiler.h"

#define KEY "fuzz-sync-key-0123456789"
#define EPOCH_TX 0x0102030405060708ULL
#define EPOCH_RX 0x1112131415161718ULL

static struct sync_msg m, again;
static uint8_t buf[SYNC_FRAME_MAX], out[SYNC_FRAME_MAX];
static struct sync_frame *tx, *rx, *rx_clear;
static struct rf rf_active, rf_standby;
static struct rf_action acts[RF_ACTIONS_MAX];

static void
quiet(enum tw_log_level level TW_UNUSED, const char *module TW_UNUSED,
      const char *fmt TW_UNUSED, va_list ap TW_UNUSED)
{
}

static void
check(bool ok)
{
	if (!ok)
		abort();
}

static void
feed(struct rf *rf, const struct rf_event *ev)
{
	int n = rf_event(rf, ev, 0, acts, RF_ACTIONS_MAX);

	check(n >= 0);
	check(rf->cnt.illegal_transitions == 0);
	check(rf->cnt.action_overflow == 0);
}

static void
rf_setup(struct rf *rf, bool active)
{
	struct rf_event ev = { .type = RF_EV_START };
	struct rf_config cfg;
	char err[128];

	memset(&cfg, 0, sizeof(cfg));
	cfg.enabled = true;
	cfg.keepalive_ms = 4000;
	cfg.keepalive_threshold = 7;
	check(rf_init(rf, &cfg, 0, err, sizeof(err)) == 0);
	feed(rf, &ev);
	ev.type = RF_EV_GROUP;
	ev.u.group.active = active;
	ev.u.group.state = active ? "Active" : "Standby";
	feed(rf, &ev);
	if (active) {
		ev.type = RF_EV_TAKEOVER_DONE;
		feed(rf, &ev);
	}
	ev.type = RF_EV_CONN_UP;
	feed(rf, &ev);
}

static void
init_once(void)
{
	struct sync_frame_config secure = { KEY, false };
	struct sync_frame_config clear = { NULL, true };
	char err[128];

	if (tx != NULL)
		return;
	tw_log_set_sink(quiet);
	check(sync_frame_create(&secure, &tx, err, sizeof(err)) == 0);
	check(sync_frame_create(&secure, &rx, err, sizeof(err)) == 0);
	check(sync_frame_create(&clear, &rx_clear, err, sizeof(err)) == 0);
	rf_setup(&rf_active, true);
	rf_setup(&rf_standby, false);
}

static void
rf_feed(const struct sync_msg *msg)
{
	struct rf_event ev;

	memset(&ev, 0, sizeof(ev));
	switch (msg->type) {
	case SYNC_MSG_HELLO:
		ev.type = RF_EV_HELLO;
		ev.u.hello = &msg->u.hello;
		break;
	case SYNC_MSG_KEEPALIVE:
		ev.type = RF_EV_KEEPALIVE;
		ev.u.keepalive = &msg->u.keepalive;
		break;
	case SYNC_MSG_BULK_REQUEST:
		ev.type = RF_EV_BULK_REQUEST;
		ev.u.bulk = msg->u.bulk;
		break;
	case SYNC_MSG_BULK_START:
		ev.type = RF_EV_BULK_START;
		ev.u.bulk = msg->u.bulk;
		break;
	case SYNC_MSG_BULK_END:
		ev.type = RF_EV_BULK_END;
		ev.u.bulk = msg->u.bulk;
		break;
	case SYNC_MSG_BULK_RECORDS:
		ev.type = RF_EV_BULK_RECORDS;
		ev.u.records.accepted = msg->u.list.n;
		break;
	default:
		return;
	}
	feed(&rf_active, &ev);
	feed(&rf_standby, &ev);
}

static void
same_fixed(const struct sync_msg *a, const struct sync_msg *b)
{
	unsigned int i;

	check(a->type == b->type);
	switch (a->type) {
	case SYNC_MSG_HELLO:
		check(a->u.hello.proto_version == b->u.hello.proto_version);
		check(a->u.hello.role == b->u.hello.role);
		check(a->u.hello.state == b->u.hello.state);
		check(strcmp(a->u.hello.hostname, b->u.hello.hostname) == 0);
		check(memcmp(a->u.hello.digest.all, b->u.hello.digest.all,
			     CONF_DIGEST_LEN) == 0);
		check(a->u.hello.digest.n_parts == b->u.hello.digest.n_parts);
		for (i = 0; i < a->u.hello.digest.n_parts; i++) {
			const struct conf_digest_part *p, *q;

			p = &a->u.hello.digest.parts[i];
			q = &b->u.hello.digest.parts[i];
			check(p->kind == q->kind);
			check(strcmp(p->name, q->name) == 0);
			check(memcmp(p->sha, q->sha, CONF_DIGEST_LEN) == 0);
		}
		break;
	case SYNC_MSG_KEEPALIVE:
		check(a->u.keepalive.role == b->u.keepalive.role &&
		      a->u.keepalive.state == b->u.keepalive.state &&
		      a->u.keepalive.hello_seen == b->u.keepalive.hello_seen &&
		      a->u.keepalive.count == b->u.keepalive.count);
		break;
	default:
		check(a->u.bulk.id == b->u.bulk.id &&
		      a->u.bulk.count == b->u.bulk.count);
		break;
	}
}

static void
same_sa(const struct sync_sa_rec *a, const struct sync_sa_rec *b)
{
	check(a->id == b->id && a->state == b->state);
	check(a->p.spi == b->p.spi && a->p.dir == b->p.dir &&
	      a->p.origin == b->p.origin && a->p.cipher == b->p.cipher &&
	      a->p.integ == b->p.integ);
	check(a->p.cipher_key_len == b->p.cipher_key_len &&
	      memcmp(a->p.cipher_key, b->p.cipher_key,
		     a->p.cipher_key_len) == 0);
	check(a->p.auth_key_len == b->p.auth_key_len &&
	      memcmp(a->p.auth_key, b->p.auth_key, a->p.auth_key_len) == 0);
	check(a->p.local_addr == b->p.local_addr &&
	      a->p.peer_addr == b->p.peer_addr &&
	      a->p.udp_encap == b->p.udp_encap && a->p.esn == b->p.esn &&
	      a->p.udp_local_port == b->p.udp_local_port &&
	      a->p.udp_peer_port == b->p.udp_peer_port);
	check(a->p.replay_window == b->p.replay_window &&
	      a->p.replay_interval == b->p.replay_interval &&
	      a->p.seq == b->p.seq && a->replay_bitmap == b->replay_bitmap &&
	      a->life_bytes == b->life_bytes &&
	      a->life_packets == b->life_packets);
	check(strcmp(a->p.map, b->p.map) == 0 && a->p.map_seq == b->p.map_seq);
	check(a->p.n_sel == b->p.n_sel &&
	      memcmp(a->p.sel, b->p.sel, a->p.n_sel * sizeof(a->p.sel[0])) ==
	      0);
}

/*
 * Records of every kind, re-added from their bytes (what the IKE glue
 * does with IKE_SA records): the message must come back byte for byte.
 */
static void
round_trip_raw(const struct sync_msg *msg)
{
	struct sync_iter it;
	struct sync_builder b;
	const uint8_t *body;
	uint16_t kind, len;
	uint32_t all = 0;
	int n;

	check(sync_build_begin(&b, msg->type, buf, sizeof(buf)) == 0);
	sync_iter_init(&it, msg);
	while (sync_rec_next_raw(&it, &kind, &body, &len) == 1) {
		check(kind != 0);
		check(sync_build_record(&b, kind, body, len) == 0);
		all++;
	}
	check(all == msg->u.list.n);
	n = sync_build_end(&b);
	check(n > 0 && (uint32_t)n == msg->len);
	check(memcmp(buf + SYNC_MSG_HDR_LEN, msg->u.list.p - 4,
		     (size_t)n - SYNC_MSG_HDR_LEN) == 0);
}

/* Re-encode a list message item by item; the known items come back. */
static void
round_trip_list(const struct sync_msg *msg)
{
	struct sync_iter it, it2;
	struct sync_builder b;
	struct sync_sa_rec r, r2;
	struct sync_sa_ref d, d2;
	struct sync_counter c, c2;
	uint64_t si, sr, si2, sr2;
	uint32_t known = 0;
	char err[128];
	int n;

	check(sync_build_begin(&b, msg->type, buf, sizeof(buf)) == 0);
	sync_iter_init(&it, msg);
	switch (msg->type) {
	case SYNC_MSG_BULK_RECORDS:
	case SYNC_MSG_SA_ADD:
		while (sync_rec_next(&it, &r) == 1) {
			check(sync_build_sa(&b, &r, err, sizeof(err)) == 0);
			known++;
		}
		check(known + it.skipped == msg->u.list.n);
		break;
	case SYNC_MSG_SA_DELETE:
		while (sync_del_next(&it, &d) == 1) {
			check(sync_build_delete(&b, &d) == 0);
			known++;
		}
		check(known == msg->u.list.n);
		break;
	case SYNC_MSG_IKE_SA_DELETE:
		while (sync_ike_del_next(&it, &si, &sr) == 1) {
			check(si != 0 && sr != 0);
			check(sync_build_ike_delete(&b, si, sr) == 0);
			known++;
		}
		check(known == msg->u.list.n);
		break;
	case SYNC_MSG_COUNTER_UPDATE:
		while (sync_ctr_next(&it, &c) == 1) {
			check(sync_build_counter(&b, &c) == 0);
			known++;
		}
		check(known == msg->u.list.n);
		break;
	default:
		abort();     /* fuzz_msg() sends only list types here */
	}
	n = sync_build_end(&b);
	check(n > 0);
	check(sync_msg_decode(buf, (size_t)n, &again, err, sizeof(err)) == 0);
	check(again.type == msg->type && again.u.list.n == known);
	sync_iter_init(&it, msg);
	sync_iter_init(&it2, &again);
	switch (msg->type) {
	case SYNC_MSG_BULK_RECORDS:
	case SYNC_MSG_SA_ADD:
		while (sync_rec_next(&it, &r) == 1) {
			check(sync_rec_next(&it2, &r2) == 1);
			same_sa(&r, &r2);
		}
		check(sync_rec_next(&it2, &r2) == 0);
		round_trip_raw(msg);
		break;
	case SYNC_MSG_SA_DELETE:
		while (sync_del_next(&it, &d) == 1) {
			check(sync_del_next(&it2, &d2) == 1);
			check(d.id == d2.id && d.spi == d2.spi &&
			      d.dir == d2.dir);
		}
		break;
	case SYNC_MSG_IKE_SA_DELETE:
		/* Fixed-size entries: the same bytes. */
		check(again.len == msg->len &&
		      memcmp(buf, (const uint8_t *)msg->u.list.p - 4 -
			     SYNC_MSG_HDR_LEN, (size_t)n) == 0);
		while (sync_ike_del_next(&it, &si, &sr) == 1) {
			check(sync_ike_del_next(&it2, &si2, &sr2) == 1);
			check(si == si2 && sr == sr2);
		}
		break;
	default:
		while (sync_ctr_next(&it, &c) == 1) {
			check(sync_ctr_next(&it2, &c2) == 1);
			check(c.id == c2.id && c.spi == c2.spi &&
			      c.dir == c2.dir && c.seq == c2.seq &&
			      c.replay_bitmap == c2.replay_bitmap &&
			      c.life_bytes == c2.life_bytes &&
			      c.life_packets == c2.life_packets);
		}
		break;
	}
}

static void
fuzz_msg(const uint8_t *data, size_t size)
{
	char err[256];
	int n;

	if (sync_msg_decode(data, size, &m, err, sizeof(err)) != 0)
		return;
	check(m.len == size);
	switch (m.type) {
	case SYNC_MSG_BULK_RECORDS:
	case SYNC_MSG_SA_ADD:
	case SYNC_MSG_SA_DELETE:
	case SYNC_MSG_COUNTER_UPDATE:
	case SYNC_MSG_IKE_SA_DELETE:
		round_trip_list(&m);
		break;
	default:
		n = sync_msg_encode(&m, buf, sizeof(buf));
		check(n > 0);
		check(sync_msg_decode(buf, (size_t)n, &again, err,
				      sizeof(err)) == 0);
		same_fixed(&m, &again);
		break;
	}
	rf_feed(&m);
}

static void
fuzz_frame(const uint8_t *data, size_t size)
{
	struct sync_frame_rx info;
	char err[256];
	int n;

	/* As a frame from the twin, in both modes. */
	check(sync_frame_reset(rx, EPOCH_RX) == 0);
	n = sync_frame_open(rx, data, size, out, sizeof(out), &info, err,
			    sizeof(err));
	check(n < 0 || (size_t)n + SYNC_FRAME_OVERHEAD == size);
	check(sync_frame_reset(rx_clear, EPOCH_RX) == 0);
	n = sync_frame_open(rx_clear, data, size, out, sizeof(out), &info,
			    err, sizeof(err));
	check(n < 0 || (size_t)n + SYNC_FRAME_HDR_LEN == size);
	if (n >= 0)
		check(memcmp(out, data + SYNC_FRAME_HDR_LEN, (size_t)n) == 0);

	/* As a message: sealed, opened by the twin, the same bytes. */
	if (size > SYNC_MSG_MAX)
		return;
	check(sync_frame_reset(tx, EPOCH_TX) == 0);
	check(sync_frame_reset(rx, EPOCH_RX) == 0);
	n = sync_frame_seal(tx, data, size, buf, sizeof(buf));
	check(n == (int)(size + SYNC_FRAME_OVERHEAD));
	check(sync_frame_length(buf, (size_t)n) == n);
	n = sync_frame_open(rx, buf, (size_t)n, out, sizeof(out), &info, err,
			    sizeof(err));
	check(n == (int)size && memcmp(out, data, size) == 0);
	check(info.seq == 1 && info.epoch == EPOCH_TX && !info.confirmed);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	init_once();
	fuzz_msg(data, size);
	fuzz_frame(data, size);
	return 0;
}
