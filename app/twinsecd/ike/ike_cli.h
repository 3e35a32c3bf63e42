/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TWINSECD_IKE_CLI_H
#define TWINSECD_IKE_CLI_H

/* cli_ops of IKE: show crypto isakmp sa, clear crypto isakmp [conn-id]. */

#include <stdint.h>

#include "cli_data.h"
#include "ctl.h"

/* Called on a console session's thread; they run on the control lcore. */
int ike_cli_sas(struct ctl *ctl, struct cli_ike_table *out);
/* Delete IKE SA conn_id (0: every one) with DELETE to the peer. */
int ike_cli_clear(struct ctl *ctl, uint32_t conn_id, unsigned int *n);

#endif /* TWINSECD_IKE_CLI_H */
