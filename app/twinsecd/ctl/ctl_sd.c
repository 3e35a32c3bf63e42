/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * systemd service notifications (sd_notify(3)): readiness once the
 * daemon is up, and the watchdog pinged from the control loop itself, so
 * that systemd restarts a twinsecd whose control lcore hangs. Started
 * without NOTIFY_SOCKET (a lab, a test) every call is a no-op.
 */
#include <stdio.h>
#include <stdlib.h>

#ifdef TW_HAVE_SYSTEMD
#include <systemd/sd-daemon.h>
#endif

#include "ctl.h"
#include "tw_compiler.h"
#include "tw_log.h"

#ifdef TW_HAVE_SYSTEMD
static void
ctl_sd_watchdog(void *arg, tw_time_t now)
{
	struct ctl *ctl = arg;

	sd_notify(0, "WATCHDOG=1");
	tw_heap_arm(&ctl->heap, &ctl->wd_dl, now + ctl->wd_period);
}

void
ctl_sd_ready(struct ctl *ctl, const char *status)
{
	uint64_t usec = 0;
	char msg[256];

	if (getenv("NOTIFY_SOCKET") == NULL)
		return;
	snprintf(msg, sizeof(msg), "READY=1\nSTATUS=%s", status);
	sd_notify(0, msg);
	/* Only if the watchdog is meant for this process (WATCHDOG_PID). */
	if (sd_watchdog_enabled(0, &usec) <= 0 || usec == 0)
		return;
	/* Half the period: one late iteration does not trip it. */
	ctl->wd_period = (tw_time_t)usec * 1000 / 2;
	tw_deadline_init(&ctl->wd_dl, ctl_sd_watchdog, ctl);
	tw_heap_arm(&ctl->heap, &ctl->wd_dl, ctl_now() + ctl->wd_period);
	tw_log(TW_LOG_INFO, "ctl", "systemd watchdog: ping every %llu ms",
	       (unsigned long long)(ctl->wd_period / 1000000));
}

void
ctl_sd_notify(const char *state)
{
	if (getenv("NOTIFY_SOCKET") != NULL)
		sd_notify(0, state);
}
#else
void
ctl_sd_ready(struct ctl *ctl TW_UNUSED, const char *status TW_UNUSED)
{
}

void
ctl_sd_notify(const char *state TW_UNUSED)
{
}
#endif
