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

/* Its parts (cli_runconf_ike.c, cli_runconf_ha.c). */
void cli_runconf_ike(const struct conf *c, struct cli_buf *b);
void cli_runconf_isakmp_entry(const struct conf_map_entry *e,
			      struct cli_buf *b);
void cli_runconf_standby(const struct conf *c, const struct conf_iface *f,
			 struct cli_buf *b);
void cli_runconf_iface_map(const struct conf *c, const struct conf_iface *f,
			   struct cli_buf *b);
void cli_runconf_redundancy(const struct conf *c, struct cli_buf *b);
/* Its IPv6 lines (cli_ip6.c). */
void cli_runconf_iface6(const struct conf_iface *f, struct cli_buf *b);
void cli_runconf_routes6(const struct conf *c, struct cli_buf *b);
void cli_runconf_acl6(const char *map, const struct conf_map_entry *e,
		      struct cli_buf *b);

#endif /* TW_CLI_RUNCONF_H */
