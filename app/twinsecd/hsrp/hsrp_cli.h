/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TWINSECD_HSRP_CLI_H
#define TWINSECD_HSRP_CLI_H

/* The console's ops->standby (ctx: the struct console). */

#include "cli_data.h"
#include "ctl.h"

int hsrp_cli_standby(struct ctl *ctl, struct cli_hsrp_table *out);

#endif /* TWINSECD_HSRP_CLI_H */
