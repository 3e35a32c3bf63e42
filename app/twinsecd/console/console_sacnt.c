/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * clear crypto sa counters: the SA counters the console shows restart
 * from zero, for every SA, IKE-negotiated ones included. The fast path's
 * own counters are left alone (an IKE Child SA's volume lifetime runs on
 * its byte count): the console keeps, per SA slot, the counters at the
 * time of the clear and shows the difference. A slot's base holds while
 * the same SA (SPI and creation time) occupies it. Control lcore only.
 */
#include <errno.h>
#include <stdlib.h>

#include "console.h"
#include "dp_sadb.h"
#include "tw_log.h"

struct console_sa_base {
	bool set;
	uint32_t spi;
	tw_time_t created;
	struct sadb_sa_stats st;
};

#define SUB(f) out->f = out->f >= b->st.f ? out->f - b->st.f : 0

void
console_sa_base_apply(struct console *con, const struct sadb_sa *sa,
		      struct sadb_sa_stats *out)
{
	const struct console_sa_base *b;

	if (con->sa_base == NULL || sa->id >= con->n_sa_base)
		return;
	b = &con->sa_base[sa->id];
	if (!b->set || b->spi != sa->p.spi || b->created != sa->created)
		return;
	SUB(pkts_encaps);
	SUB(pkts_encrypt);
	SUB(pkts_digest);
	SUB(pkts_decaps);
	SUB(pkts_decrypt);
	SUB(pkts_verify);
	SUB(bytes);
	SUB(send_errors);
	SUB(recv_errors);
	SUB(replay_fails);
	SUB(auth_fails);
	SUB(policy_fails);
}

struct cnt_req {
	struct console *con;
	unsigned int n;
	int rc;
};

static void
do_clear(struct ctl *ctl, void *arg)
{
	struct cnt_req *r = arg;
	struct console *con = r->con;
	const struct sadb_sa *sa;
	struct console_sa_base *b;

	if (con->sa_base == NULL) {
		con->n_sa_base = ctl->conf->dataplane.max_sas;
		con->sa_base = calloc(con->n_sa_base, sizeof(*con->sa_base));
		if (con->sa_base == NULL) {
			r->rc = -ENOMEM;
			return;
		}
	}
	for (sa = sadb_sa_next(ctl->sadb, NULL); sa != NULL;
	     sa = sadb_sa_next(ctl->sadb, sa)) {
		if (sa->id >= con->n_sa_base)
			continue;
		b = &con->sa_base[sa->id];
		b->set = sadb_sa_stats(ctl->sadb, sa, &b->st) == 0;
		b->spi = sa->p.spi;
		b->created = sa->created;
		r->n += b->set;
	}
}

int
console_op_clear_sa_counters(void *ctx, unsigned int *n)
{
	struct cnt_req r = { .con = ctx };
	int rc = ctl_call(r.con->ctl, do_clear, &r, CONSOLE_CALL_MS);

	if (rc == 0)
		rc = r.rc;
	*n = r.n;
	if (rc == 0)
		tw_log(TW_LOG_NOTICE, "cli",
		       "clear crypto sa counters: the counters of %u SA%s shown from zero",
		       r.n, r.n == 1 ? "" : "s");
	return rc;
}

void
console_sa_base_free(struct console *con)
{
	free(con->sa_base);
	con->sa_base = NULL;
	con->n_sa_base = 0;
}
