/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Persisted sequence numbers of manual SAs on a gateway without a twin
 * (issue 13, item 2; with a redundancy section ha/ha_marks.c does this).
 *
 * A manual SA's key outlives the process: installed from 0 at every
 * start, an outbound AES-GCM SA would repeat (salt, IV) pairs under its
 * key (librte_ipsec's IV is the sequence number), and an inbound one
 * would accept every packet captured before the restart once more. So:
 *
 *  - outbound: the start is the persisted mark, a reservation one block
 *    (IM_BLOCK) ahead of the fast path, written before the fast path may
 *    pass it: at start (before the workers run) and by the watch below
 *    whenever the SA comes within half a block of it;
 *  - inbound: the window starts at the persisted high-water mark (the
 *    fast path refuses it and everything below, dp_replay.h), written
 *    whenever the SA's highest number moved by the crypto map's inbound
 *    replay_interval (at least 1): at most that many packets, and what
 *    arrives in one watch period, can be accepted twice after a crash.
 *
 * One file, STATE_DIR/manual-sa.seq, a line per SA:
 *   "out|in 0xSPI PEER DIGEST VALUE"
 * keyed by direction, SPI, peer and DIGEST, the first 8 bytes of SHA-256
 * over the SA's algorithms and keys (hex): a new key is a new SA and
 * starts at 0; a changed hostname changes nothing. Lines of SAs the
 * config no longer has are kept (the key may come back). Written to a
 * temporary file, fsync'd, renamed, and the directory fsync'd.
 *
 * A config with manual SAs and no redundancy section needs a usable state
 * directory: twinsecd does not start without one (the path and why).
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <openssl/evp.h>

#include "install.h"
#include "install_marks_line.h"
#include "tw_compiler.h"
#include "tw_file.h"
#include "tw_log.h"

#define IM_LOG "install"
#define IM_BLOCK (UINT64_C(1) << 20)   /* outbound reservation */
#define IM_WATCH_MS 10u

struct im_entry {
	enum sadb_dir dir;
	uint32_t spi, peer;
	uint8_t dig[IM_DIGEST_LEN];
	uint64_t val;                 /* out: reserved mark; in: high */
	uint32_t sa_id;               /* sadb id while bound */
	uint32_t interval;            /* in: save after this many */
	bool bound;
	bool read;                    /* hi below is from a stats read */
	uint32_t seen;                /* its progress word at that read */
	uint64_t hi;                  /* the highest seq it may have since */
};

static struct {
	struct ctl *ctl;
	bool on;
	bool started;                 /* install_marks_start() done */
	char path[PATH_MAX];
	struct im_entry *e;
	unsigned int n, cap;
	struct tw_deadline watch;
	struct install_marks_counters cnt;
} im;

static void
digest(const struct sadb_sa_params *p, uint8_t out[IM_DIGEST_LEN])
{
	uint8_t md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	uint8_t alg[2] = { (uint8_t)p->cipher, (uint8_t)p->integ };

	memset(out, 0, IM_DIGEST_LEN);
	if (c == NULL)
		return;
	if (EVP_DigestInit_ex(c, EVP_sha256(), NULL) == 1 &&
	    EVP_DigestUpdate(c, alg, sizeof(alg)) == 1 &&
	    EVP_DigestUpdate(c, p->cipher_key, p->cipher_key_len) == 1 &&
	    EVP_DigestUpdate(c, p->auth_key, p->auth_key_len) == 1 &&
	    /* An IPv6 peer (peer_addr 0) is told apart here; IPv4 as ever. */
	    (sadb_outer_af(p) != TW_AF_INET6 ||
	     EVP_DigestUpdate(c, p->peer6, sizeof(p->peer6)) == 1) &&
	    EVP_DigestFinal_ex(c, md, &len) == 1 && len >= IM_DIGEST_LEN)
		memcpy(out, md, IM_DIGEST_LEN);
	EVP_MD_CTX_free(c);
	OPENSSL_cleanse(md, sizeof(md));
}

static struct im_entry *
find(enum sadb_dir dir, uint32_t spi, uint32_t peer,
     const uint8_t dig[IM_DIGEST_LEN])
{
	unsigned int i;

	for (i = 0; i < im.n; i++)
		if (im.e[i].dir == dir && im.e[i].spi == spi &&
		    im.e[i].peer == peer &&
		    memcmp(im.e[i].dig, dig, IM_DIGEST_LEN) == 0)
			return &im.e[i];
	return NULL;
}

static struct im_entry *
add(void)
{
	struct im_entry *v;

	if (im.n == im.cap) {
		im.cap = im.cap != 0 ? im.cap * 2 : 16;
		v = realloc(im.e, im.cap * sizeof(*v));
		if (v == NULL)
			return NULL;
		im.e = v;
	}
	memset(&im.e[im.n], 0, sizeof(im.e[0]));
	return &im.e[im.n++];
}

static bool
has_manual(const struct conf *c)
{
	unsigned int m, j;

	for (m = 0; m < c->n_crypto_maps; m++)
		for (j = 0; j < c->crypto_maps[m].n_entries; j++)
			if (c->crypto_maps[m].entries[j].type ==
			    CONF_MAP_IPSEC_MANUAL)
				return true;
	return false;
}

int
install_marks_init(struct ctl *ctl, const char *dir, char *err,
		   size_t errlen)
{
	const struct conf *c = ctl->conf;
	struct im_entry x, *e;
	struct im_line l;
	char line[160];
	int lineno = 0, rc;
	FILE *f;

	memset(&im, 0, sizeof(im));
	im.ctl = ctl;
	if (c->redundancy.enabled || !has_manual(c))
		return 0;
	rc = -tw_dir_ensure(dir);
	if (rc != 0) {
		snprintf(err, errlen,
			 "state directory %s: %s (manual SAs need their sequence numbers persisted; --state-dir DIR sets another)",
			 dir, strerror(rc));
		return -rc;
	}
	snprintf(im.path, sizeof(im.path), "%s/manual-sa.seq", dir);
	f = fopen(im.path, "r");
	if (f == NULL && errno != ENOENT) {
		rc = errno;
		snprintf(err, errlen, "%s: %s", im.path, strerror(rc));
		return -rc;
	}
	while (f != NULL && fgets(line, sizeof(line), f) != NULL) {
		lineno++;
		if (line[0] == '#' || line[0] == '\n')
			continue;
		memset(&x, 0, sizeof(x));
		if (im_line_parse(line, &l) < 0) {
			snprintf(err, errlen, "%s:%d: not \"out|in 0xSPI PEER DIGEST VALUE\"",
				 im.path, lineno);
			fclose(f);
			return -EINVAL;
		}
		x.dir = l.dir;
		x.spi = l.spi;
		x.peer = l.peer;
		memcpy(x.dig, l.dig, IM_DIGEST_LEN);
		x.val = l.val;
		e = find(x.dir, x.spi, x.peer, x.dig);
		if (e == NULL && (e = add()) == NULL) {
			fclose(f);
			snprintf(err, errlen, "out of memory");
			return -ENOMEM;
		}
		*e = x;
	}
	if (f != NULL)
		fclose(f);
	im.on = true;
	tw_log(TW_LOG_INFO, IM_LOG,
	       "manual SAs: %u sequence number marks from %s", im.n,
	       im.path);
	return 0;
}

uint64_t
install_marks_seed(const struct sadb_sa_params *p)
{
	uint8_t dig[IM_DIGEST_LEN];
	struct im_entry *e;
	uint64_t seed;

	if (!im.on)
		return 0;
	digest(p, dig);
	e = find(p->dir, p->spi, p->peer_addr, dig);
	if (e == NULL) {
		e = add();
		if (e == NULL)
			return UINT64_MAX; /* refused by the caller */
		e->dir = p->dir;
		e->spi = p->spi;
		e->peer = p->peer_addr;
		memcpy(e->dig, dig, IM_DIGEST_LEN);
	}
	seed = e->val;
	if (p->dir == SADB_DIR_OUT) {
		/* every number up to the mark may have been used */
		if (!p->esn && seed > (uint64_t)UINT32_MAX - IM_BLOCK)
			return UINT64_MAX;
		e->val = seed + IM_BLOCK;
		im.cnt.reserved++;
	} else {
		e->interval = p->replay_interval != 0 ? p->replay_interval : 1;
	}
	if (seed != 0)
		im.cnt.resumed++;
	return seed;
}

void
install_marks_bind(const struct sadb_sa *sa)
{
	uint8_t dig[IM_DIGEST_LEN];
	struct im_entry *e;

	if (!im.on)
		return;
	digest(&sa->p, dig);
	e = find(sa->p.dir, sa->p.spi, sa->p.peer_addr, dig);
	if (e == NULL)
		return;
	e->sa_id = sa->id;
	e->bound = true;
}

static int
fill(FILE *f, const void *arg TW_UNUSED)
{
	struct im_line l;
	unsigned int i;

	fprintf(f, "# twinsec manual SA sequence numbers: out = reserved mark, in = highest seen\n");
	for (i = 0; i < im.n; i++) {
		l.dir = im.e[i].dir;
		l.spi = im.e[i].spi;
		l.peer = im.e[i].peer;
		memcpy(l.dig, im.e[i].dig, IM_DIGEST_LEN);
		l.val = im.e[i].val;
		im_line_put(f, &l);
	}
	return ferror(f) ? -EIO : 0;
}

static int
save(void)
{
	int rc;

	rc = tw_file_write_atomic(im.path, fill, NULL);
	if (rc < 0) {
		im.cnt.errors++;
		tw_log(TW_LOG_ERR, IM_LOG,
		       "manual SAs: cannot save %s: %s: a restart before the next save could reuse sequence numbers",
		       im.path, strerror(-rc));
		return rc;
	}
	im.cnt.writes++;
	return 0;
}

/*
 * Nothing to do for e while seq stays at or below e->hi: the reservation
 * stays half a block ahead (out), the high within the interval (in).
 */
static bool
settled(const struct im_entry *e)
{
	if (e->dir == SADB_DIR_OUT)
		return e->hi + IM_BLOCK / 2 <= e->val;
	return e->hi < e->val + e->interval;
}

/*
 * Every IM_WATCH_MS: reservations ahead of the fast path, inbound highs.
 * An SA's counters are read only when its progress word (sadb.h) moved
 * since the last read or the bound of that read leaves no room: the
 * word unchanged, seq is at most sadb_progress_bound() of the seq read.
 */
static void
watch_fire(void *arg __rte_unused, tw_time_t now)
{
	struct sadb *db = im.ctl->sadb;
	const volatile uint32_t *pv = sadb_progress(db);
	struct sadb_sa_stats st;
	const struct sadb_sa *sa;
	struct im_entry *e;
	bool dirty = false;
	unsigned int i;
	uint32_t v = 0;

	tw_heap_arm(&im.ctl->heap, &im.watch, now + TW_MSEC(IM_WATCH_MS));
	for (i = 0; i < im.n; i++) {
		e = &im.e[i];
		if (!e->bound)
			continue;
		sa = sadb_sa_by_id(db, e->sa_id);
		if (sa == NULL || sa->p.spi != e->spi || sa->p.dir != e->dir ||
		    sa->state != SADB_SA_INSTALLED)
			continue;
		if (pv != NULL) {
			v = __atomic_load_n(&pv[e->sa_id], __ATOMIC_ACQUIRE);
			if (e->read && v == e->seen && settled(e))
				continue;
		}
		if (sadb_sa_stats(db, sa, &st) < 0) {
			e->read = false;
			continue;
		}
		im.cnt.reads++;
		e->read = pv != NULL;
		e->seen = v;
		e->hi = sadb_progress_bound(st.seq,
			sadb_progress_shift(sa->p.replay_interval));
		if (e->dir == SADB_DIR_OUT) {
			if (st.seq + IM_BLOCK / 2 > e->val) {
				e->val = st.seq + IM_BLOCK;
				dirty = true;
			}
		} else if (st.seq >= e->val + e->interval) {
			e->val = st.seq;
			dirty = true;
		}
	}
	if (dirty)
		(void)save();
}

int
install_marks_start(char *err, size_t errlen)
{
	int rc;

	if (!im.on)
		return 0;
	/* the reservations before the workers may use them */
	rc = save();
	if (rc < 0) {
		snprintf(err, errlen, "%s: %s (manual SAs need their sequence numbers persisted)",
			 im.path, strerror(-rc));
		return rc;
	}
	im.started = true;
	tw_deadline_init(&im.watch, watch_fire, NULL);
	tw_heap_arm(&im.ctl->heap, &im.watch,
		    ctl_now() + TW_MSEC(IM_WATCH_MS));
	tw_log(TW_LOG_NOTICE, IM_LOG,
	       "manual SAs: %" PRIu64 " resumed from %s, outbound reserved a block of %" PRIu64 " ahead",
	       im.cnt.resumed, im.path, IM_BLOCK);
	return 0;
}

bool
install_marks_active(void)
{
	return im.on;
}

int
install_marks_commit(char *err, size_t errlen)
{
	int rc;

	if (!im.on || !im.started)
		return 0;
	rc = save();
	if (rc < 0)
		snprintf(err, errlen, "%s: %s (manual SAs need their sequence numbers persisted before they send)",
			 im.path, strerror(-rc));
	return rc;
}

void
install_marks_fini(void)
{
	struct sadb *db;
	struct sadb_sa_stats st;
	const struct sadb_sa *sa;
	struct im_entry *e;
	unsigned int i;

	if (!im.on)
		return;
	tw_heap_cancel(&im.ctl->heap, &im.watch);
	db = im.ctl->sadb;
	/* inbound: the exact high (the SPD is gone, little more arrives) */
	for (i = 0; i < im.n; i++) {
		e = &im.e[i];
		if (!e->bound || e->dir != SADB_DIR_IN)
			continue;
		sa = sadb_sa_by_id(db, e->sa_id);
		if (sa != NULL && sa->p.spi == e->spi &&
		    sa->state == SADB_SA_INSTALLED &&
		    sadb_sa_stats(db, sa, &st) == 0 && st.seq > e->val)
			e->val = st.seq;
	}
	(void)save();
	free(im.e);
	memset(&im, 0, sizeof(im));
}

const struct install_marks_counters *
install_marks_counters(void)
{
	return &im.cnt;
}
