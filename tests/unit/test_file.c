/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tw_file: a file replaced whole or not at all, the state directory made
 * or refused.
 */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "tw_file.h"

static char dir[PATH_MAX];

static int
fill_text(FILE *f, const void *arg)
{
	fputs(arg, f);
	return 0;
}

static int
fill_fail(FILE *f, const void *arg)
{
	fputs(arg, f);
	return -EIO;
}

static void
read_back(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, len - 1, f);
	buf[n] = '\0';
	fclose(f);
}

static int
setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/tw-file-XXXXXX");
	return mkdtemp(dir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	char cmd[PATH_MAX + 16];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void
test_replace(void **state)
{
	char path[PATH_MAX + 8], tmp[PATH_MAX + 16], buf[64];

	(void)state;
	snprintf(path, sizeof(path), "%s/f", dir);
	assert_int_equal(tw_file_write_atomic(path, fill_text, "one\n"), 0);
	read_back(path, buf, sizeof(buf));
	assert_string_equal(buf, "one\n");
	assert_int_equal(tw_file_write_atomic(path, fill_text, "two\n"), 0);
	read_back(path, buf, sizeof(buf));
	assert_string_equal(buf, "two\n");
	/* a failing writer leaves the old content and no temporary file */
	assert_int_equal(tw_file_write_atomic(path, fill_fail, "three\n"),
			 -EIO);
	read_back(path, buf, sizeof(buf));
	assert_string_equal(buf, "two\n");
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	assert_int_not_equal(access(tmp, F_OK), 0);
}

static void
test_no_dir(void **state)
{
	char path[PATH_MAX + 16];

	(void)state;
	snprintf(path, sizeof(path), "%s/none/f", dir);
	assert_int_equal(tw_file_write_atomic(path, fill_text, "x"), -ENOENT);
}

static void
test_dir_ensure(void **state)
{
	char sub[PATH_MAX + 8], file[PATH_MAX + 16];
	FILE *f;

	(void)state;
	snprintf(sub, sizeof(sub), "%s/state", dir);
	assert_int_equal(tw_dir_ensure(sub), 0);        /* made */
	assert_int_equal(tw_dir_ensure(sub), 0);        /* there */
	snprintf(file, sizeof(file), "%s/plain", dir);
	f = fopen(file, "w");
	assert_non_null(f);
	fclose(f);
	assert_int_equal(tw_dir_ensure(file), -ENOTDIR); /* a file */
	snprintf(file, sizeof(file), "%s/a/b", dir);
	assert_int_equal(tw_dir_ensure(file), -ENOENT); /* no parent */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_replace),
		cmocka_unit_test(test_no_dir),
		cmocka_unit_test(test_dir_ensure),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
