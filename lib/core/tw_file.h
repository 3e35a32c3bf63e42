/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Files that must survive a crash: the state directory, and a file
 * replaced whole (tmp + fsync + rename + fsync of the directory), so a
 * reader finds either the old content or the new one, never a part.
 */
#ifndef TW_FILE_H
#define TW_FILE_H

#include <stdio.h>

/* dir exists (created 0700 if missing) and is usable: 0 or -errno. */
int tw_dir_ensure(const char *dir);

/* The directory holding path to disk (after a rename): 0 or -errno. */
int tw_file_sync_dir(const char *path);

/*
 * Replace path with what fill() writes to f (path.tmp first); fill
 * returns 0 or -errno. 0, or -errno with path unchanged.
 */
int tw_file_write_atomic(const char *path,
			 int (*fill)(FILE *f, const void *arg),
			 const void *arg);

#endif /* TW_FILE_H */
