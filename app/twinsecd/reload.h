/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TWINSECD_RELOAD_H
#define TWINSECD_RELOAD_H

/*
 * Configuration reload without a restart (SIGHUP, systemctl reload): one
 * function, reload_apply(), that validates the file completely, compares
 * it with the running configuration and applies only the differences. It
 * runs on the control lcore (the loop calls it for SIGHUP; a console
 * command would call it through ctl_call()).
 *
 * Applied at run time: ipsec-manual crypto map entries added, removed or
 * changed (install_reload(): their SAs installed or deleted, every other
 * tunnel untouched), the console section but its listen address (the
 * users, secrets and limits of new logins), and the priority, preempt and
 * preempt delays of HSRP groups (hsrp_glue_reconfigure()), ipsec-isakmp
 * entries added, removed or changed and the ike section (keyring,
 * proposals, DPD, lifetimes) through ike_glue_reload(): a removed entry's
 * SAs deleted with an INFORMATIONAL DELETE, a new "start" one initiated,
 * new settings used by new negotiations, SAs up untouched. Anything else
 * that differs (interfaces and the rest of their HSRP groups, routes,
 * transform sets, dataplane, redundancy, ipc, crypto maps themselves, IKE
 * in a config that started without it, and ipsec-manual entries while
 * redundancy is configured) refuses the reload as a whole: each is named
 * with file:line as needing a restart, and nothing changes. With
 * redundancy, an applied reload sends the new configuration digest to
 * the twin and compares it again (ha_reconfigure()): both report the
 * mismatch until the other twin has the same change.
 */

#include <stddef.h>

#include <libconfig.h>

#include "console.h"
#include "ctl.h"

/*
 * Remember the running configuration's file (read again now: its settings
 * are what a reload compares with) and register the SIGHUP handler on
 * ctl's loop. 0 or -errno with err.
 */
int reload_init(struct ctl *ctl, struct console *con, const char *path,
		char *err, size_t errlen);
/*
 * Validate -> diff -> apply. 0: applied (msg says what, maybe "no
 * change"); -EINVAL: the file does not load (msg: file:line: why);
 * -EBUSY: a difference needs a restart (msg names each); -errno: applying
 * failed half-way (msg says where). Nothing changes unless 0 or -errno
 * from the apply step. Logged either way.
 */
int reload_apply(struct ctl *ctl, char *msg, size_t len);
/*
 * reload_apply() on another file (configure terminal's edited copy of the
 * running settings): the running configuration keeps its file's name.
 */
int reload_apply_file(struct ctl *ctl, const char *file, char *msg,
		      size_t len);
/* The running configuration's settings (libconfig), NULL before init. */
const config_t *reload_running(void);
/* The file the running configuration was started from. */
const char *reload_path(void);
/* Free the configurations reloads loaded (after the loop and console). */
void reload_fini(void);

#endif /* TWINSECD_RELOAD_H */
