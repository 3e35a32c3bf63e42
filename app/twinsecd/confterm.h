/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TWINSECD_CONFTERM_H
#define TWINSECD_CONFTERM_H

/*
 * configure terminal and write memory for the console (composition root,
 * beside reload.c, whose apply step it uses): both run on the control
 * lcore, the console reaches them through function pointers main.c sets
 * (struct console's cfg_edit and cfg_write).
 */

#include <stddef.h>

#include "cli_data.h"
#include "ctl.h"

/*
 * One change on a copy of the running settings, applied through
 * reload_apply_file(). 0 applied; -EAGAIN a new crypto map entry still
 * incomplete (err says what it lacks); other -errno refused, err says
 * why, nothing changed.
 */
int confterm_edit(struct ctl *ctl, const struct cli_cfg_edit *e, char *err,
		  size_t errlen);
/* write memory: FILE.bak kept, FILE replaced atomically. path: FILE. */
int confterm_write(struct ctl *ctl, char *path, size_t pathlen, char *err,
		   size_t errlen);

#endif /* TWINSECD_CONFTERM_H */
