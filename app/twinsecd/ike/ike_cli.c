/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Console ops of IKE (lib/cli/cli_ike.c): the IKE SA table and clear
 * crypto isakmp, run on the control lcore through ctl_call().
 */
#include <errno.h>
#include <string.h>

#include "console.h"
#include "ike_cli.h"
#include "ike_glue.h"
#include "tw_log.h"

struct ike_cli_req {
	struct cli_ike_table *out;
	uint32_t conn_id;
	int rc;
};

static void
fill_sas(struct ctl *ctl, void *arg)
{
	struct ike_cli_req *r = arg;

	(void)ctl;
	r->rc = ike_glue_sas(r->out);
}

int
ike_cli_sas(void *ctx, struct cli_ike_table *out)
{
	struct console *con = ctx;
	struct ike_cli_req r = { .out = out };
	int rc;

	memset(out, 0, sizeof(*out));
	rc = ctl_call(con->ctl, fill_sas, &r, CONSOLE_CALL_MS);
	if (rc == 0 && r.rc < 0)
		cli_table_free(out);
	return rc < 0 ? rc : r.rc;
}

static void
do_clear(struct ctl *ctl, void *arg)
{
	struct ike_cli_req *r = arg;

	(void)ctl;
	r->rc = ike_glue_clear(r->conn_id);
}

int
ike_cli_clear(void *ctx, uint32_t conn_id, unsigned int *n)
{
	struct console *con = ctx;
	struct ike_cli_req r = { .conn_id = conn_id };
	int rc;

	rc = ctl_call(con->ctl, do_clear, &r, CONSOLE_CALL_MS);
	if (rc < 0)
		return rc;
	if (r.rc < 0)
		return r.rc;
	*n = (unsigned int)r.rc;
	tw_log(TW_LOG_NOTICE, "cli", "clear crypto isakmp: DELETE sent for %d IKE SA%s",
	       r.rc, r.rc == 1 ? "" : "s");
	return 0;
}
