/* SPDX-License-Identifier: BSD-3-Clause */
/* The ipc section of the config file as a sync transport configuration. */
#include <string.h>

#include "conf.h"
#include "sync_transport_conf.h"

void
sync_transport_cfg_from_conf(const struct conf_ipc *ipc,
			     struct sync_transport_cfg *cfg)
{
	static const enum sync_transport_kind kinds[] = {
		[CONF_IPC_AUTO] = SYNC_TRANSPORT_AUTO,
		[CONF_IPC_SCTP] = SYNC_TRANSPORT_SCTP,
		[CONF_IPC_SCTP_UDP] = SYNC_TRANSPORT_SCTP_UDP,
	};

	sync_transport_cfg_defaults(cfg);
	cfg->kind = kinds[ipc->transport];
	cfg->local_port = ipc->local_port;
	cfg->remote_port = ipc->remote_port;
	memcpy(cfg->local_ip, ipc->local_ip, sizeof(cfg->local_ip));
	cfg->n_local_ip = ipc->n_local_ip;
	memcpy(cfg->remote_ip, ipc->remote_ip, sizeof(cfg->remote_ip));
	cfg->n_remote_ip = ipc->n_remote_ip;
	cfg->udp_encap_port = ipc->udp_encap_port;
	cfg->remote_udp_encap_port = ipc->remote_udp_encap_port;
	cfg->rto_min_ms = ipc->rto_min_ms;
	cfg->rto_max_ms = ipc->rto_max_ms;
	cfg->path_retransmit = ipc->path_retransmit;
	cfg->assoc_retransmit = ipc->assoc_retransmit;
}
