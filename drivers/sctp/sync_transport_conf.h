/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TW_SYNC_TRANSPORT_CONF_H
#define TW_SYNC_TRANSPORT_CONF_H

/*
 * From the validated ipc section (lib/conf) to sync_transport_create()'s
 * configuration. Separate from sync_transport.h so that the transport
 * itself does not depend on lib/conf (sctp_conf_dep links both).
 */

#include "sync_transport.h"

struct conf_ipc;

void sync_transport_cfg_from_conf(const struct conf_ipc *ipc,
				  struct sync_transport_cfg *cfg);

#endif /* TW_SYNC_TRANSPORT_CONF_H */
