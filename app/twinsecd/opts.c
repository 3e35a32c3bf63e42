/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "opts.h"

void
opts_usage(const char *prog)
{
	printf("Usage: %s [EAL options] -- -f FILE [options]\n"
	       "\n"
	       "EAL options are DPDK's own (-l, --vdev, -a, --no-pci,\n"
	       "--file-prefix, --no-huge, -m, --log-level=twinsec.*:debug ...).\n"
	       "\n"
	       "Options after --:\n"
	       "  -f, --config FILE    configuration file (libconfig)\n"
	       "  -t, --check          validate the configuration and exit\n"
	       "  --log-level LEVEL    emerg..debug for every twinsec.* log type,\n"
	       "                       or MODULE:LEVEL for one (arp:debug)\n"
	       "  --state-dir DIR      where the outbound sequence number\n"
	       "                       high-water marks are kept with redundancy\n"
	       "                       (default " OPTS_STATE_DIR ")\n"
	       "  -V, --version        print the versions and exit\n"
	       "  -h, --help           this text\n",
	       prog);
}

static bool
is_ours(const char *a)
{
	static const char *const ours[] = {
		"-f", "--config", "-t", "--check", "-V", "--version", "-h",
		"--help",
	};
	unsigned int i;

	for (i = 0; i < sizeof(ours) / sizeof(ours[0]); i++)
		if (strcmp(a, ours[i]) == 0 ||
		    (strncmp(a, ours[i], strlen(ours[i])) == 0 &&
		     a[strlen(ours[i])] == '=' && ours[i][1] == '-'))
			return true;
	return false;
}

/* "--name=value" or "--name value" / "-n value"; NULL if not this option. */
static const char *
opt_value(int argc, char **argv, int *i, const char *lng, const char *shrt,
	  bool *missing)
{
	const char *a = argv[*i];
	size_t n = strlen(lng);

	*missing = false;
	if (strncmp(a, lng, n) == 0 && a[n] == '=')
		return a + n + 1;
	if (strcmp(a, lng) == 0 || (shrt != NULL && strcmp(a, shrt) == 0)) {
		if (*i + 1 >= argc) {
			*missing = true;
			return NULL;
		}
		return argv[++*i];
	}
	return NULL;
}

int
opts_parse(int argc, char **argv, struct opts *o, char *err, size_t errlen)
{
	int i, dd = -1, first;
	bool missing;
	const char *v;

	memset(o, 0, sizeof(*o));
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			dd = i;
			break;
		}
	}
	if (dd < 0) {
		/* No "--": ours if any of our options appears, else EAL's. */
		for (i = 1; i < argc && !is_ours(argv[i]); i++)
			;
		dd = i < argc ? 0 : argc;
	}
	o->eal_argc = dd == 0 ? 1 : dd;
	o->eal_argv = argv;
	o->has_eal_args = o->eal_argc > 1;
	first = dd == 0 ? 1 : dd + 1;
	for (i = first; i < argc; i++) {
		const char *a = argv[i];

		if ((v = opt_value(argc, argv, &i, "--config", "-f",
				   &missing)) != NULL) {
			o->conf_path = v;
		} else if (missing) {
			snprintf(err, errlen, "%s needs a file name", a);
			return -EINVAL;
		} else if ((v = opt_value(argc, argv, &i, "--log-level", NULL,
					  &missing)) != NULL) {
			o->log_level = v;
		} else if (missing) {
			snprintf(err, errlen, "%s needs a level", a);
			return -EINVAL;
		} else if ((v = opt_value(argc, argv, &i, "--state-dir", NULL,
					  &missing)) != NULL) {
			o->state_dir = v;
		} else if (missing) {
			snprintf(err, errlen, "%s needs a directory", a);
			return -EINVAL;
		} else if (strcmp(a, "-t") == 0 || strcmp(a, "--check") == 0) {
			o->check = true;
		} else if (strcmp(a, "-V") == 0 ||
			   strcmp(a, "--version") == 0) {
			o->version = true;
		} else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			o->help = true;
		} else {
			snprintf(err, errlen, "unknown option '%s'%s", a,
				 a[0] == '-' && dd == 0 ?
				 " (EAL options go before --)" : "");
			return -EINVAL;
		}
	}
	if (!o->help && !o->version && o->conf_path == NULL) {
		snprintf(err, errlen, "no configuration file: give -f FILE");
		return -EINVAL;
	}
	return 0;
}
