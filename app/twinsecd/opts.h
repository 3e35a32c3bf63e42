/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TWINSECD_OPTS_H
#define TWINSECD_OPTS_H

/*
 * twinsecd's own command line, the part after "--" (everything before it
 * belongs to DPDK's EAL):
 *
 *   twinsecd [EAL options] -- -f FILE [--check] [--log-level L]
 *                              [--state-dir DIR] [--version]
 */

#include <stdbool.h>
#include <stddef.h>

#define OPTS_STATE_DIR "/var/lib/twinsec"

struct opts {
	const char *conf_path;
	bool check;           /* validate the config and exit, like nginx -t */
	bool version;
	bool help;
	const char *log_level; /* "L", "MODULE:L" or "twinsec.MODULE:L" */
	const char *state_dir; /* NULL: OPTS_STATE_DIR */
	/* argv split: EAL part (argv[0] included) and ours. */
	int eal_argc;
	char **eal_argv;
	bool has_eal_args;    /* anything besides argv[0] before "--" */
};

/*
 * Split argv at the first "--" and parse our part. Without "--", argv is
 * taken as ours when it holds one of our options (so `twinsecd -f x
 * --check` works), else as EAL's. -EINVAL with err filled on bad usage.
 * argv is not modified.
 */
int opts_parse(int argc, char **argv, struct opts *o, char *err,
	       size_t errlen);
void opts_usage(const char *prog);

#endif /* TWINSECD_OPTS_H */
