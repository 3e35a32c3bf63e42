/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TWINSECD_HA_CLI_H
#define TWINSECD_HA_CLI_H

/*
 * The console's ops->redundancy and ops->force_switchover (ctx: the struct
 * console), "clear crypto sa standby" (ha_cli_clear_standby, from the
 * control lcore), and the /twinsec/redundancy telemetry endpoint.
 */

#include <stddef.h>

#include "cli_data.h"
#include "ctl.h"

int ha_cli_redundancy(struct ctl *ctl, struct cli_redundancy *out);
int ha_cli_force_switchover(struct ctl *ctl, char *err, size_t errlen);
int ha_telemetry_init(struct ctl *ctl);

#endif /* TWINSECD_HA_CLI_H */
