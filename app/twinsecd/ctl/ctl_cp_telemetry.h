/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TWINSECD_CTL_CP_TELEMETRY_H
#define TWINSECD_CTL_CP_TELEMETRY_H

/*
 * /twinsec/control_plane: per port, its control-plane interface and the
 * exception path's counters; /twinsec/kernel_routes: the route listener's
 * counters and the learned routes (programmed, shadowed or beaten).
 */
int ctl_cp_telemetry_init(void);

#endif /* TWINSECD_CTL_CP_TELEMETRY_H */
