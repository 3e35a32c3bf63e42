/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target for the sync glue's apply functions: what a standby
 * twin does with the active's messages (app/twinsecd/ha/ha_sync.c,
 * included here whole so its static apply_records(), apply_deletes(),
 * apply_counters() and apply_ike_deletes() run as ha_rx_frame() runs
 * them once a message is decoded and the standby takes it). The SA
 * database is the real lib/sadb over a fake backend, holding two SAs of
 * this twin's own (INSTALLED) that nothing from the twin may touch; the
 * rest of the daemon (IKE glue, the marks, the RF engine's events) is
 * stubbed below.
 *
 * The input is a series of length-prefixed sync messages (the seeds are
 * corpus/sync's). Checked after each:
 *  - our own INSTALLED SAs are still there, INSTALLED, unchanged;
 *  - every SA of the database is found again by its key, never left in
 *    INIT, and an SA's sequence number never goes down;
 *  - what the counters say was applied is what was in the message.
 *
 *   replay_ha_sync tests/fuzz/corpus/ha_sync            (make test)
 *   build-fuzz/tests/fuzz/fuzz_ha_sync corpus/ha_sync   (make fuzz)
 */
#include "ha_sync.c"

#define MAX_SAS 64
#define MAX_MSGS 16

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fail(int line)
{
	fprintf(stderr, "fuzz_ha_sync.c:%d: check failed\n", line);
	abort();
}

#define check(ok) do { if (!(ok)) fail(__LINE__); } while (0)

/* --- the rest of the daemon, stubbed --- */

struct ha_state ha;
static tw_time_t fake_now;
static uint64_t ike_imports, ike_deletes;

tw_time_t
ctl_now(void)
{
	return fake_now;
}

void
ha_event(struct rf_event *ev TW_UNUSED, tw_time_t now TW_UNUSED)
{
}

void
ha_overflow(void)
{
}

const struct ha_mark *
ha_mark_loaded(uint32_t spi TW_UNUSED, uint32_t peer TW_UNUSED)
{
	return NULL;
}

int
ha_marks_renew(void)
{
	return 0;
}

int
ha_marks_save(void)
{
	return 0;
}

void
ha_split_counters(const struct sync_msg *m TW_UNUSED, tw_time_t now TW_UNUSED)
{
	fail(__LINE__);   /* only while ACTIVE */
}

void
ha_split_records(const struct sync_msg *m TW_UNUSED, tw_time_t now TW_UNUSED)
{
	fail(__LINE__);
}

void
ike_glue_bulk_begin(void)
{
}

void
ike_glue_bulk_commit(void)
{
}

void
ike_glue_drop_passive(void)
{
}

int
ike_glue_export_next(uint32_t *cursor TW_UNUSED, uint8_t *buf TW_UNUSED,
		     size_t cap TW_UNUSED)
{
	return 0;
}

int
ike_glue_import(const uint8_t *rec, size_t len, tw_time_t now TW_UNUSED)
{
	check(rec != NULL || len == 0);
	ike_imports++;
	return len > 0 && rec[0] == 1 ? 0 : -EINVAL;
}

void
ike_glue_import_delete(uint64_t spi_i TW_UNUSED, uint64_t spi_r TW_UNUSED)
{
	ike_deletes++;
}

/* --- a backend that accepts everything --- */

static volatile uint32_t progress_words[MAX_SAS];

static int
be_add(void *ctx TW_UNUSED, const struct sadb_sa *sa TW_UNUSED,
       void **handle, char *err TW_UNUSED, size_t errlen TW_UNUSED)
{
	*handle = NULL;
	return 0;
}

static int
be_del(void *ctx TW_UNUSED, const struct sadb_sa *sa TW_UNUSED,
       void *handle TW_UNUSED)
{
	return 0;
}

static int
be_stats(void *ctx TW_UNUSED, const struct sadb_sa *sa,
	 void *handle TW_UNUSED, struct sadb_sa_stats *out)
{
	memset(out, 0, sizeof(*out));
	out->seq = sa->p.seq;
	return 0;
}

static const volatile uint32_t *
be_progress(void *ctx TW_UNUSED)
{
	return progress_words;
}

static const struct sadb_backend_ops be = {
	.add = be_add,
	.del = be_del,
	.stats = be_stats,
	.progress = be_progress,
};

static void
quiet(enum tw_log_level l TW_UNUSED, const char *mod TW_UNUSED,
      const char *fmt TW_UNUSED, va_list ap TW_UNUSED)
{
}

/* --- the harness --- */

static struct ctl fake_ctl;
static struct ha_sa sa_state[MAX_SAS];
static uint32_t seen[MAX_SAS], twin_id[MAX_SAS];
static uint64_t recheck[MAX_SAS / 64 + 1];

/* This twin's own SAs: the standby's INSTALLED ones (e.g. manual). */
static struct sadb_sa_params own[2];
/* each id's SA when last seen: its sequence number only grows */
static struct sadb_sa_params last[MAX_SAS];
static bool last_set[MAX_SAS];

static void
own_setup(struct sadb *db)
{
	struct sadb_sa *sa;
	char err[128];
	unsigned int i;

	for (i = 0; i < 2; i++) {
		memset(&own[i], 0, sizeof(own[i]));
		own[i].dir = i == 0 ? SADB_DIR_IN : SADB_DIR_OUT;
		own[i].spi = 0x1001 + i;
		own[i].cipher = CONF_CIPHER_AES_GCM_128;
		own[i].cipher_key_len = 20;
		memset(own[i].cipher_key, 0x11 + (int)i, 20);
		own[i].local_addr = 0xc0000201u;
		own[i].peer_addr = 0xc6336407u;
		own[i].replay_window = 64;
		own[i].seq = 1000;
		check(sadb_sa_add(db, &own[i], fake_now, &sa, err,
				  sizeof(err)) == 0);
		check(sadb_sa_set_state(db, sa, SADB_SA_INSTALLED,
					"ours") == 0);
	}
}

static void
check_db(struct sadb *db)
{
	const struct sadb_sa *sa, *again;
	unsigned int i;

	for (i = 0; i < 2; i++) {
		sa = sadb_sa_lookup(db, own[i].dir, own[i].spi,
				    own[i].peer_addr);
		check(sa != NULL && sa->state == SADB_SA_INSTALLED);
		check(sa->p.seq == own[i].seq &&
		      sa->p.cipher == own[i].cipher &&
		      memcmp(sa->p.cipher_key, own[i].cipher_key, 20) == 0);
	}
	for (sa = sadb_sa_next(db, NULL); sa != NULL;
	     sa = sadb_sa_next(db, sa)) {
		check(sa->state != SADB_SA_INIT);
		again = sadb_sa_lookup(db, sa->p.dir, sa->p.spi,
				       sa->p.peer_addr);
		check(again == sa);
		check(sa->id < MAX_SAS);
		/* the same SA (key and keys) never goes back; a new SA
		 * of the twin's under the same key starts afresh */
		if (last_set[sa->id] && last[sa->id].spi == sa->p.spi &&
		    last[sa->id].dir == sa->p.dir &&
		    last[sa->id].peer_addr == sa->p.peer_addr &&
		    same_sa(&last[sa->id], &sa->p))
			check(sa->p.seq >= last[sa->id].seq);
		last[sa->id] = sa->p;
		last_set[sa->id] = true;
	}
}

/* Forget what was known of ids whose SA is gone (a new SA may get it). */
static void
forget_gone(struct sadb *db)
{
	unsigned int i;

	for (i = 0; i < MAX_SAS; i++)
		if (last_set[i] && sadb_sa_by_id(db, i) == NULL)
			last_set[i] = false;
}

static unsigned int
count_records(const struct sync_msg *m)
{
	struct sync_sa_rec r;
	struct sync_iter it;
	unsigned int n = 0;

	sync_iter_init(&it, m);
	while (sync_rec_next(&it, &r) == 1)
		n++;
	return n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool once;
	struct sync_msg m;
	struct sadb *db;
	unsigned int msgs = 0;
	char err[256];
	size_t len;

	if (!once) {
		tw_log_set_sink(quiet);
		once = true;
	}
	fake_now = TW_SEC(1000);
	/* not its message buffers (a quarter MB): apply_* do not use them */
	memset(&ha, 0, offsetof(struct ha_state, msg));
	memset(sa_state, 0, sizeof(sa_state));
	memset(twin_id, 0, sizeof(twin_id));
	memset(last_set, 0, sizeof(last_set));
	db = sadb_create(&be, NULL, MAX_SAS);
	check(db != NULL);
	fake_ctl.sadb = db;
	ha.ctl = &fake_ctl;
	ha.enabled = true;
	ha.sa = sa_state;
	ha.seen = seen;
	ha.twin_id = twin_id;
	ha.recheck = recheck;
	ha.max_sas = MAX_SAS;
	/* a standby hearing its active twin, a bulk sync under way */
	ha.rf.peer_ok = true;
	ha.rf.peer_role = SYNC_ROLE_ACTIVE;
	ha.rf.bulk_in = true;
	check(!rf_is_active(&ha.rf) && standby_takes());
	own_setup(db);
	check_db(db);

	while (size >= 2 && msgs++ < MAX_MSGS) {
		uint64_t rin = ha.cnt.records_in, ctr = ha.cnt.ctr_in;
		uint32_t ok = 0, bad = 0;
		unsigned int n;

		len = (size_t)data[0] << 8 | data[1];
		data += 2;
		size -= 2;
		if (len > size)
			len = size;
		fake_now += TW_MSEC(10);
		if (sync_msg_decode(data, len, &m, err, sizeof(err)) == 0) {
			switch (m.type) {
			case SYNC_MSG_SA_ADD:
			case SYNC_MSG_BULK_RECORDS:
				n = count_records(&m);
				apply_records(&m, fake_now, &ok, &bad);
				check(ok + bad == n);
				check(ha.cnt.records_in == rin + ok);
				break;
			case SYNC_MSG_SA_DELETE:
				apply_deletes(&m);
				break;
			case SYNC_MSG_COUNTER_UPDATE:
				apply_counters(&m, fake_now);
				check(ha.cnt.ctr_in >= ctr);
				break;
			case SYNC_MSG_IKE_SA_DELETE:
				apply_ike_deletes(&m);
				break;
			default:
				break;
			}
		}
		data += len;
		size -= len;
		forget_gone(db);
		check_db(db);
	}
	sadb_destroy(db);
	return 0;
}
