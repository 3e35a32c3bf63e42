/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tools/memshim.c: where a DPDK process's heap goes, by allocation type.
 *
 * An LD_PRELOAD library for tools/bench's memory measurement (compiled by
 * it into BUILD/bench): it wraps rte_malloc() and friends and
 * rte_memzone_reserve*(), and keeps every live block with its type string
 * (rte_malloc's type, a memzone's name with digits folded to '#'), or the
 * calling library when the type is NULL. When the file named by
 * MEMSHIM_TRIGGER appears it writes one line per type to MEMSHIM_OUT:
 *   type  blocks  requested-bytes  heap-bytes
 * where heap bytes add what DPDK 22.11's allocator adds to each block (a
 * 64-byte element header, the size rounded up to a cache line). Calls
 * made inside librte_eal itself (rte_malloc -> rte_malloc_socket) are
 * seen once: a block is recorded by its address.
 *
 * Measurement only: never linked into twinsecd.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define TAG_MAX 48
#define NTAGS 256

struct blk {
	void *p;
	size_t sz;
	int tag;
};

static struct {
	char name[TAG_MAX];
	uint64_t n, bytes, heap;
} tags[NTAGS];
static int ntags;
static struct blk *tab;
static size_t tmask, tn;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

static size_t
ph(const void *p)
{
	uint64_t v = (uintptr_t)p;

	v ^= v >> 33;
	v *= 0xff51afd7ed558ccdull;
	v ^= v >> 33;
	return (size_t)v;
}

static int
tag_of(const char *type, const void *caller)
{
	char t[TAG_MAX];
	Dl_info di;
	int i, j;

	if (type == NULL || type[0] == '\0') {
		const char *s = "?";

		if (dladdr(caller, &di) != 0 && di.dli_fname != NULL) {
			s = strrchr(di.dli_fname, '/');
			s = s != NULL ? s + 1 : di.dli_fname;
		}
		snprintf(t, sizeof(t), "(%s)", s);
	} else if (type[0] == '0' && type[1] == 'x') {
		/* Named after a pointer (rte_fib's tables): one tag. */
		snprintf(t, sizeof(t), "0x... (named by address)");
	} else {
		for (i = j = 0; type[i] != '\0' && j < TAG_MAX - 1; i++)
			if (!isdigit((unsigned char)type[i]) ||
			    (j > 0 && t[j - 1] != '#'))
				t[j++] = isdigit((unsigned char)type[i]) ?
					'#' : type[i];
		t[j] = '\0';
	}
	for (i = 0; i < ntags; i++)
		if (strcmp(tags[i].name, t) == 0)
			return i;
	if (ntags == NTAGS)
		return NTAGS - 1;
	snprintf(tags[ntags].name, TAG_MAX, "%s", t);
	return ntags++;
}

static void put(void *p, size_t sz, int tag);

static void
grow(void)
{
	struct blk *old = tab;
	size_t i, om = tmask;

	tmask = tmask == 0 ? 4095 : tmask * 2 + 1;
	tab = calloc(tmask + 1, sizeof(*tab));
	tn = 0;
	for (i = 0; old != NULL && i <= om; i++)
		if (old[i].p != NULL)
			put(old[i].p, old[i].sz, old[i].tag);
	free(old);
}

static void
put(void *p, size_t sz, int tag)
{
	size_t i;

	if (2 * (tn + 1) > tmask + 1)
		grow();
	for (i = ph(p) & tmask; tab[i].p != NULL; i = (i + 1) & tmask)
		if (tab[i].p == p)
			return; /* seen by an outer wrapper already */
	tab[i] = (struct blk){ p, sz, tag };
	tn++;
}

static void
record(void *p, size_t sz, const char *type, const void *caller)
{
	if (p == NULL)
		return;
	pthread_mutex_lock(&mu);
	put(p, sz, tag_of(type, caller));
	pthread_mutex_unlock(&mu);
}

static void
forget(const void *p)
{
	size_t i, j, k;

	if (p == NULL || tab == NULL)
		return;
	pthread_mutex_lock(&mu);
	for (i = ph(p) & tmask; tab[i].p != NULL; i = (i + 1) & tmask)
		if (tab[i].p == p)
			break;
	if (tab[i].p == p) {
		/* Backward-shift deletion keeps the probe chains whole. */
		tab[i].p = NULL;
		tn--;
		for (j = (i + 1) & tmask; tab[j].p != NULL;
		     j = (j + 1) & tmask) {
			k = ph(tab[j].p) & tmask;
			if ((j > i && (k <= i || k > j)) ||
			    (j < i && (k <= i && k > j))) {
				tab[i] = tab[j];
				tab[j].p = NULL;
				i = j;
			}
		}
	}
	pthread_mutex_unlock(&mu);
}

static void
dump(const char *out)
{
	FILE *f = fopen(out, "w");
	size_t i;
	int t;

	if (f == NULL)
		return;
	pthread_mutex_lock(&mu);
	for (t = 0; t < ntags; t++)
		tags[t].n = tags[t].bytes = tags[t].heap = 0;
	for (i = 0; tab != NULL && i <= tmask; i++) {
		if (tab[i].p == NULL)
			continue;
		t = tab[i].tag;
		tags[t].n++;
		tags[t].bytes += tab[i].sz;
		tags[t].heap += ((tab[i].sz + 63) & ~(size_t)63) + 64;
	}
	for (t = 0; t < ntags; t++)
		if (tags[t].n != 0)
			fprintf(f, "%s\t%llu\t%llu\t%llu\n", tags[t].name,
				(unsigned long long)tags[t].n,
				(unsigned long long)tags[t].bytes,
				(unsigned long long)tags[t].heap);
	pthread_mutex_unlock(&mu);
	fclose(f);
}

/* Built alone by tools/bench: TW_UNUSED (lib/core) spelled out. */
static void *
watch(void *arg __attribute__((unused)))
{
	const char *trig = getenv("MEMSHIM_TRIGGER");
	const char *out = getenv("MEMSHIM_OUT");

	if (trig == NULL || out == NULL)
		return NULL;
	for (;;) {
		if (access(trig, F_OK) == 0) {
			unlink(trig);
			dump(out);
		}
		usleep(100000);
	}
	return NULL;
}

__attribute__((constructor)) static void
init(void)
{
	pthread_t t;

	if (pthread_create(&t, NULL, watch, NULL) == 0)
		pthread_detach(t);
}

#define REAL(name) \
	static __typeof__(name) *real_##name; \
	if (real_##name == NULL) \
		real_##name = (__typeof__(name) *)dlsym(RTLD_NEXT, #name)

/* Prototypes as rte_malloc.h / rte_memzone.h declare them. */
struct rte_memzone;
void *rte_malloc(const char *type, size_t size, unsigned int align);
void *rte_zmalloc(const char *type, size_t size, unsigned int align);
void *rte_calloc(const char *type, size_t num, size_t size, unsigned int a);
void *rte_realloc(void *ptr, size_t size, unsigned int align);
void *rte_malloc_socket(const char *type, size_t size, unsigned int align,
			int socket);
void *rte_zmalloc_socket(const char *type, size_t size, unsigned int align,
			 int socket);
void *rte_calloc_socket(const char *type, size_t num, size_t size,
			unsigned int align, int socket);
void *rte_realloc_socket(void *ptr, size_t size, unsigned int align,
			 int socket);
void rte_free(void *ptr);
const struct rte_memzone *rte_memzone_reserve(const char *name, size_t len,
					      int socket, unsigned int flags);
const struct rte_memzone *rte_memzone_reserve_aligned(const char *name,
	size_t len, int socket, unsigned int flags, unsigned int align);
const struct rte_memzone *rte_memzone_reserve_bounded(const char *name,
	size_t len, int socket, unsigned int flags, unsigned int align,
	unsigned int bound);
int rte_memzone_free(const struct rte_memzone *mz);

#define CALLER __builtin_return_address(0)

void *
rte_malloc(const char *type, size_t size, unsigned int align)
{
	REAL(rte_malloc);
	void *p = real_rte_malloc(type, size, align);

	record(p, size, type, CALLER);
	return p;
}

void *
rte_zmalloc(const char *type, size_t size, unsigned int align)
{
	REAL(rte_zmalloc);
	void *p = real_rte_zmalloc(type, size, align);

	record(p, size, type, CALLER);
	return p;
}

void *
rte_calloc(const char *type, size_t num, size_t size, unsigned int align)
{
	REAL(rte_calloc);
	void *p = real_rte_calloc(type, num, size, align);

	record(p, num * size, type, CALLER);
	return p;
}

void *
rte_malloc_socket(const char *type, size_t size, unsigned int align,
		  int socket)
{
	REAL(rte_malloc_socket);
	void *p = real_rte_malloc_socket(type, size, align, socket);

	record(p, size, type, CALLER);
	return p;
}

void *
rte_zmalloc_socket(const char *type, size_t size, unsigned int align,
		   int socket)
{
	REAL(rte_zmalloc_socket);
	void *p = real_rte_zmalloc_socket(type, size, align, socket);

	record(p, size, type, CALLER);
	return p;
}

void *
rte_calloc_socket(const char *type, size_t num, size_t size,
		  unsigned int align, int socket)
{
	REAL(rte_calloc_socket);
	void *p = real_rte_calloc_socket(type, num, size, align, socket);

	record(p, num * size, type, CALLER);
	return p;
}

static void *
realloc_common(void *ptr, void *p, size_t size, const void *caller)
{
	int tag = -1;
	size_t i;

	if (p == NULL)
		return NULL;
	pthread_mutex_lock(&mu);
	for (i = ph(ptr) & tmask; ptr != NULL && tab != NULL &&
	     tab[i].p != NULL; i = (i + 1) & tmask)
		if (tab[i].p == ptr) {
			tag = tab[i].tag;
			break;
		}
	pthread_mutex_unlock(&mu);
	forget(ptr);
	pthread_mutex_lock(&mu);
	put(p, size, tag >= 0 ? tag : tag_of(NULL, caller));
	pthread_mutex_unlock(&mu);
	return p;
}

void *
rte_realloc(void *ptr, size_t size, unsigned int align)
{
	REAL(rte_realloc);
	return realloc_common(ptr, real_rte_realloc(ptr, size, align), size,
			      CALLER);
}

void *
rte_realloc_socket(void *ptr, size_t size, unsigned int align, int socket)
{
	REAL(rte_realloc_socket);
	return realloc_common(ptr, real_rte_realloc_socket(ptr, size, align,
							   socket),
			      size, CALLER);
}

void
rte_free(void *ptr)
{
	REAL(rte_free);
	forget(ptr);
	real_rte_free(ptr);
}

const struct rte_memzone *
rte_memzone_reserve(const char *name, size_t len, int socket,
		    unsigned int flags)
{
	REAL(rte_memzone_reserve);
	const struct rte_memzone *mz =
		real_rte_memzone_reserve(name, len, socket, flags);
	char t[TAG_MAX];

	snprintf(t, sizeof(t), "mz:%s", name);
	record((void *)(uintptr_t)mz, len, t, CALLER);
	return mz;
}

const struct rte_memzone *
rte_memzone_reserve_aligned(const char *name, size_t len, int socket,
			    unsigned int flags, unsigned int align)
{
	REAL(rte_memzone_reserve_aligned);
	const struct rte_memzone *mz =
		real_rte_memzone_reserve_aligned(name, len, socket, flags,
						 align);
	char t[TAG_MAX];

	snprintf(t, sizeof(t), "mz:%s", name);
	record((void *)(uintptr_t)mz, len, t, CALLER);
	return mz;
}

const struct rte_memzone *
rte_memzone_reserve_bounded(const char *name, size_t len, int socket,
			    unsigned int flags, unsigned int align,
			    unsigned int bound)
{
	REAL(rte_memzone_reserve_bounded);
	const struct rte_memzone *mz =
		real_rte_memzone_reserve_bounded(name, len, socket, flags,
						 align, bound);
	char t[TAG_MAX];

	snprintf(t, sizeof(t), "mz:%s", name);
	record((void *)(uintptr_t)mz, len, t, CALLER);
	return mz;
}

int
rte_memzone_free(const struct rte_memzone *mz)
{
	REAL(rte_memzone_free);
	forget(mz);
	return real_rte_memzone_free(mz);
}
