/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SYNC_PRIV_H
#define SYNC_PRIV_H

/* Shared between the sync codec's files; not for callers. */

#include "sync_msg.h"

#define SYNC_LOG "sync"

/* Fixed sizes on the wire. */
#define SYNC_REC_HDR_LEN 4        /* kind(2) length(2) */
#define SYNC_SA_FIXED_LEN 74      /* IPSEC_SA body without keys/map/sel */
#define SYNC_SEL_LEN 20
#define SYNC_DEL_LEN 12
#define SYNC_CTR_LEN 44
#define SYNC_IKE_DEL_LEN 16

/* Format "msg" into err; returns rc. */
int sync_fail(char *err, size_t errlen, int rc, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/*
 * The IPSEC_SA record body (sync_rec.c): parse validates everything and
 * fills *out (a scratch when only validating); r spans exactly the body.
 */
int sync_sa_parse(struct tw_buf_r *r, struct sync_sa_rec *out, char *err,
		  size_t errlen);
void sync_sa_write(struct tw_buf_w *w, const struct sync_sa_rec *rec);

/* Validate the body of a list message; *n gets its item count. */
int sync_list_check(enum sync_msg_type type, struct tw_buf_r *r,
		    uint32_t *n, char *err, size_t errlen);

#endif /* SYNC_PRIV_H */
