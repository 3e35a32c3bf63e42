/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TWINSECD_RF_CLI_H
#define TWINSECD_RF_CLI_H

/*
 * The console's ops->redundancy and ops->force_switchover (ctx: the struct
 * console), "clear crypto sa standby" (rf_cli_clear_standby, from the
 * control lcore), and the /twinsec/redundancy telemetry endpoint.
 */

#include <stddef.h>

#include "cli_data.h"
#include "ctl.h"

int rf_cli_redundancy(void *ctx, struct cli_redundancy *out);
int rf_cli_force_switchover(void *ctx, char *err, size_t errlen);
int rf_telemetry_init(struct ctl *ctl);

#endif /* TWINSECD_RF_CLI_H */
