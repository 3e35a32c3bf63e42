/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A main() for a libFuzzer target without libFuzzer: it runs
 * LLVMFuzzerTestOneInput() once on every file named on the command line
 * or found under a directory named there (recursively, in name order, dot
 * files skipped), after LLVMFuzzerInitialize() if the target has one.
 * This is how make test replays tests/fuzz/corpus/<target>/ with gcc, in
 * the normal build and under ASan+UBSan.
 *
 * Each input is copied into a heap block of exactly its size, as
 * libFuzzer does, so that AddressSanitizer sees a read one byte past it.
 * Each file's name is printed before it runs: when a target aborts or a
 * sanitizer stops the process, the last name printed is the input.
 * Arguments starting with '-' (libFuzzer options) are ignored, so a
 * libFuzzer command line replays as is.
 *
 * Exit status: 0 when at least one input ran and every one returned 0
 * or -1 (libFuzzer's "do not add to the corpus"); 1 when an input could
 * not be read, a target returned anything else, or there was nothing to
 * run (an empty or missing corpus must not pass).
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
/* Optional in a target: weak, NULL when the target does not define it. */
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

#define REPLAY_DEPTH_MAX 16

struct replay {
	unsigned int runs;
	unsigned int errors;
};

static int
read_file(const char *path, uint8_t **data, size_t *size)
{
	static uint8_t empty[1];
	struct stat st;
	uint8_t *p;
	FILE *f;

	f = fopen(path, "rb");
	if (f == NULL)
		return -errno;
	if (fstat(fileno(f), &st) != 0) {
		fclose(f);
		return -errno;
	}
	*size = (size_t)st.st_size;
	p = malloc(*size);
	if (p == NULL && *size == 0)
		p = empty; /* a valid pointer to nothing, as libFuzzer gives */
	if (p == NULL) {
		fclose(f);
		return -ENOMEM;
	}
	if (*size != 0 && fread(p, 1, *size, f) != *size) {
		free(p);
		fclose(f);
		return -EIO;
	}
	fclose(f);
	*data = p;
	return 0;
}

static void
run_file(struct replay *r, const char *path)
{
	uint8_t *data = NULL;
	size_t size = 0;
	int rc;

	rc = read_file(path, &data, &size);
	if (rc < 0) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(-rc));
		r->errors++;
		return;
	}
	/* stderr is unbuffered: the name is out before the input runs. */
	fprintf(stderr, "replay: %s (%zu bytes)\n", path, size);
	rc = LLVMFuzzerTestOneInput(data, size);
	if (rc != 0 && rc != -1) {
		fprintf(stderr, "replay: %s: the target returned %d\n", path,
			rc);
		r->errors++;
	}
	r->runs++;
	if (size != 0)
		free(data);
}

static void run_path(struct replay *r, const char *path, int depth);

static void
run_dir(struct replay *r, const char *path, int depth)
{
	struct dirent **ents;
	char child[PATH_MAX];
	int i, n;

	n = scandir(path, &ents, NULL, alphasort);
	if (n < 0) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		r->errors++;
		return;
	}
	for (i = 0; i < n; i++) {
		if (ents[i]->d_name[0] == '.') {
			free(ents[i]);
			continue;
		}
		if (snprintf(child, sizeof(child), "%s/%s", path,
			     ents[i]->d_name) < (int)sizeof(child)) {
			run_path(r, child, depth + 1);
		} else {
			fprintf(stderr, "replay: %s/%s: name too long\n", path,
				ents[i]->d_name);
			r->errors++;
		}
		free(ents[i]);
	}
	free(ents);
}

static void
run_path(struct replay *r, const char *path, int depth)
{
	struct stat st;

	if (stat(path, &st) != 0) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		r->errors++;
		return;
	}
	if (S_ISDIR(st.st_mode)) {
		if (depth < REPLAY_DEPTH_MAX)
			run_dir(r, path, depth);
		return;
	}
	if (S_ISREG(st.st_mode))
		run_file(r, path);
}

int
main(int argc, char **argv)
{
	struct replay r = { 0, 0 };
	int i;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
		return 1;
	}
	if (LLVMFuzzerInitialize != NULL)
		LLVMFuzzerInitialize(&argc, &argv);
	for (i = 1; i < argc; i++)
		if (argv[i][0] != '-')
			run_path(&r, argv[i], 0);
	printf("replay: %u input%s run, %u error%s\n", r.runs,
	       r.runs == 1 ? "" : "s", r.errors, r.errors == 1 ? "" : "s");
	if (r.runs == 0)
		fprintf(stderr, "replay: no input found\n");
	return r.runs == 0 || r.errors != 0 ? 1 : 0;
}
