/* SPDX-License-Identifier: BSD-3-Clause */
/* Telemetry requests to the control lcore (ctl_telemetry.h). */
#include <errno.h>

#include "ctl_telemetry.h"

#define TEL_TIMEOUT_MS 1000

static struct ctl *tel_ctl;

void
ctl_telemetry_attach(struct ctl *ctl)
{
	tel_ctl = ctl;
}

int
ctl_telemetry_call(ctl_call_fn fill, const char *params,
		   struct rte_tel_data *d)
{
	struct ctl_tel_req r = { .params = params, .d = d, .rc = 0 };
	int rc;

	if (tel_ctl == NULL)
		return -ENODEV;
	rc = ctl_call(tel_ctl, fill, &r, TEL_TIMEOUT_MS);
	return rc < 0 ? rc : r.rc;
}
