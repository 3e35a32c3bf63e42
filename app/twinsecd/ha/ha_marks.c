/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Persisted outbound sequence number high-water marks (sync_seq.h): one
 * text file per twin, STATE_DIR/HOSTNAME.seq, a line "0xSPI MARK PEER" per
 * outbound SA (the peer chose the SPI: two peers may have the same one;
 * a line without PEER, from before peers were written, holds for every
 * peer) and "# stamp MS", the wall clock (ms since the epoch) of the
 * write: what the marks say was complete then. Entries of SAs this run
 * does not have are kept.
 *
 * The stamp must stay fresh (a takeover from these marks burns sequence
 * space for the time since it), but rewriting every mark each second
 * costs a large table dearly (100 000 SAs: 2.4 MB and an fsync every
 * second). So while no mark has moved since the last full write, the
 * active renews only STATE_DIR/HOSTNAME.seq.stamp, one "# stamp MS" line
 * that says the marks file is still complete at MS; the loader takes the
 * later of the two stamps. Marks only grow, so a stamp file older than
 * the marks file (a crash between the two writes) only costs sequence
 * space.
 *
 * Every file is written to a temporary one, fsync'd and renamed, so a
 * crash leaves the old or the new file, never a torn one. Without a
 * usable directory twinsecd runs on without persistence and says so.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ha_priv.h"
#include "tw_file.h"
#include "tw_log.h"

uint64_t
ha_wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void
stamp_path(char *p, size_t len)
{
	snprintf(p, len, "%s.stamp", ha.mark_path);
}

/* The stamp file renews the marks file's stamp: take the later. */
static void
stamp_load(void)
{
	char path[PATH_MAX + 8], line[64];
	unsigned long long ms;
	FILE *f;

	stamp_path(path, sizeof(path));
	f = fopen(path, "r");
	if (f == NULL)
		return;
	if (fgets(line, sizeof(line), f) != NULL &&
	    sscanf(line, "# stamp %llu", &ms) == 1 && ms > ha.file_stamp_ms)
		ha.file_stamp_ms = ms;
	fclose(f);
}

int
ha_marks_load(const char *dir, const char *hostname, char *err,
	       size_t errlen)
{
	char line[128];
	FILE *f;
	int e, rc;

	ha.mark_path[0] = '\0';
	/*
	 * Without its marks a restarted twin cannot prove where to start:
	 * no running without them (issue 13), the operator is told which
	 * path and why (--state-dir sets another).
	 */
	e = -tw_dir_ensure(dir);
	if (e != 0) {
		snprintf(err, errlen,
			 "state directory %s: %s (the persisted sequence number marks; --state-dir DIR sets another)",
			 dir, strerror(e));
		return -e;
	}
	snprintf(ha.mark_path, sizeof(ha.mark_path), "%s/%s.seq", dir,
		 hostname);
	f = fopen(ha.mark_path, "r");
	if (f == NULL) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, errlen, "%s: %s", ha.mark_path,
			 strerror(errno));
		return -errno;
	}
	rc = ha_marks_read(f, &ha.loaded, &ha.n_loaded, &ha.file_stamp_ms,
			   line, sizeof(line));
	fclose(f);
	if (rc == -EINVAL) {
		snprintf(err, errlen, "%s: bad line '%.40s'", ha.mark_path,
			 line);
		return rc;
	}
	if (rc < 0) {
		snprintf(err, errlen, "out of memory");
		return rc;
	}
	stamp_load();
	ha.known_ms = ha.file_stamp_ms;
	tw_log(TW_LOG_INFO, HA_LOG,
	       "sync: %u outbound sequence number marks from %s (stamp %" PRIu64 ")",
	       ha.n_loaded, ha.mark_path, ha.file_stamp_ms);
	return 0;
}

/* The peer's own line, else a line for every peer (NULL: none). */
const struct ha_mark *
ha_mark_loaded(uint32_t spi, uint32_t peer)
{
	struct ha_mark key = { .spi = spi, .peer = peer }, *m = NULL;

	if (ha.n_loaded == 0)
		return NULL;
	m = bsearch(&key, ha.loaded, ha.n_loaded, sizeof(key), ha_mark_cmp);
	if (m == NULL) {
		key.peer = 0;
		m = bsearch(&key, ha.loaded, ha.n_loaded, sizeof(key),
			    ha_mark_cmp);
	}
	return m;
}

static int
fill_marks(FILE *f, const void *arg)
{
	uint64_t ms = *(const uint64_t *)arg;
	const struct sadb *db = ha.ctl->sadb;
	const struct ha_mark *m;
	const struct sadb_sa *sa;
	unsigned int i;

	fprintf(f, "# twinsec outbound ESP sequence number high-water marks\n");
	fprintf(f, "# stamp %" PRIu64 "\n", ms);
	for (sa = sadb_sa_next(db, NULL); sa != NULL; sa = sadb_sa_next(db, sa))
		if (sa->p.dir == SADB_DIR_OUT && ha.sa[sa->id].mark > 0)
			ha_mark_put(f, sa->p.spi, ha.sa[sa->id].mark,
				 sa->p.peer_addr, ha.sa[sa->id].own_stamp,
				 ha.sa[sa->id].stamp_ms);
	/* Loaded lines no SA of ours covers now (a line for every peer:
	 * unless the one SA with its SPI took it over). */
	for (i = 0; i < ha.n_loaded; i++) {
		m = &ha.loaded[i];
		if ((m->peer != 0 ? sadb_sa_lookup(db, SADB_DIR_OUT, m->spi,
						   m->peer) :
		     sadb_sa_find_out(db, m->spi, 0)) == NULL)
			ha_mark_put(f, m->spi, m->mark, m->peer, m->own_stamp,
				 m->stamp_ms);
	}
	return ferror(f) ? -EIO : 0;
}

/*
 * The stamp a save writes: when every mark it writes was complete. The
 * active twin is the one sending: now. A standby knows the twin's SAs up
 * to the last frame of the connection each was confirmed on (not when it
 * happens to write the file: issue 13), and the marks it did not learn
 * this run up to ha.known_ms (the loaded stamp, or its own last save as
 * the active twin). 0 when one of them has no date: a takeover from the
 * file then refuses rather than guess. Any older stamp is safe (the jump
 * only grows), and marks only grow, so a stamp stays true of a later
 * file.
 */
static uint64_t
marks_stamp(void)
{
	const struct sadb *db = ha.ctl->sadb;
	const struct sadb_sa *sa;
	const struct ha_sa *x;
	uint64_t wall = ha_wall_ms(), ms = UINT64_MAX, back;
	tw_time_t now = ctl_now(), at;
	bool unsynced = ha.n_loaded > 0;

	if (rf_is_active(&ha.rf)) {
		ha.known_ms = wall;
		return wall;
	}
	for (sa = sadb_sa_next(db, NULL); sa != NULL;
	     sa = sadb_sa_next(db, sa)) {
		x = &ha.sa[sa->id];
		if (sa->p.dir != SADB_DIR_OUT || x->mark == 0 || x->own_stamp)
			continue;
		if (!x->synced) {
			unsynced = true;
			continue;
		}
		if (sync_seq_conn_known_at(&ha.conns, x->conn, &at) < 0)
			return 0;
		back = now > at ? (now - at) / TW_NSEC_PER_MSEC : 0;
		if (back >= wall)
			return 0;
		if (wall - back < ms)
			ms = wall - back;
	}
	if (unsynced && ha.known_ms < ms)
		ms = ha.known_ms;
	return ms == UINT64_MAX ? wall : ms;
}

static int
fill_stamp(FILE *f, const void *arg)
{
	fprintf(f, "# stamp %" PRIu64 "\n", *(const uint64_t *)arg);
	return ferror(f) ? -EIO : 0;
}

static int
marks_fail(const char *path, int rc)
{
	ha.marks_complete = false;
	ha.cnt.mark_errors++;
	tw_log(TW_LOG_ERR, HA_LOG, "sync: cannot save %s: %s", path,
	       strerror(-rc));
	return rc;
}

int
ha_marks_save(void)
{
	uint64_t ms;
	int rc;

	ha.marks_saved = ctl_now();
	if (ha.mark_path[0] == '\0' || ha.sa == NULL)
		return 0;
	ms = marks_stamp();
	rc = tw_file_write_atomic(ha.mark_path, fill_marks, &ms);
	if (rc < 0)
		return marks_fail(ha.mark_path, rc);
	ha.marks_complete = true;
	ha.cnt.mark_writes++;
	return 0;
}

int
ha_marks_renew(void)
{
	char path[PATH_MAX + 8];
	uint64_t ms;
	int rc;

	if (!ha.marks_complete)
		return ha_marks_save();
	ha.marks_saved = ctl_now();
	if (ha.mark_path[0] == '\0')
		return 0;
	stamp_path(path, sizeof(path));
	ms = marks_stamp();
	rc = tw_file_write_atomic(path, fill_stamp, &ms);
	if (rc < 0)
		return marks_fail(path, rc);
	ha.cnt.stamp_writes++;
	return 0;
}

void
ha_marks_free(void)
{
	free(ha.loaded);
	ha.loaded = NULL;
	ha.n_loaded = 0;
}
