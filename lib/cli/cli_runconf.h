/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TW_CLI_RUNCONF_H
#define TW_CLI_RUNCONF_H

#include <stdbool.h>

#include "cli_data.h"
#include "conf.h"

/*
 * show running-config: c rendered in IOS-like syntax into b, keys and
 * secrets masked; admin_down[i] (interface i shut by the console) adds
 * "shutdown" under that interface.
 */
void cli_runconf_render(const struct conf *c, const char *version,
			const bool *admin_down, unsigned int n_ports,
			struct cli_buf *b);

#endif /* TW_CLI_RUNCONF_H */
