/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef IKE_HOSTILE_H
#define IKE_HOSTILE_H

/*
 * What the files of ike_hostile share (ike_hostile.c: options, the wire,
 * the engine and its scenarios; ike_hostile_edit.c: opening and
 * re-sealing our IKE SA's messages; ike_hostile_flood.c: the IKE_SA_INIT
 * flood).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ike.h"
#include "ike_sa.h"
#include "tw_time.h"

#define BUF 8192

/* Options (ike_hostile.c, main()). */
extern uint32_t o_gw, o_local, o_lnet, o_rnet;
extern uint8_t o_llen, o_rlen;
extern unsigned int o_secs, o_n, o_pps;
extern bool o_cookie;

extern const struct ike_crypto_ops *ops;
extern struct ike_rng rng;
extern int sock;
extern unsigned long send_errors;

tw_time_t now_ns(void);
void die(const char *why) __attribute__((noreturn));
/* UDP 500 from src (an address of ours) to dst. */
void send_from(uint32_t src, uint32_t dst, const uint8_t *data, size_t len);
/* The socket on UDP 500 of every address, with IP_PKTINFO. */
void bind_ike(void);

/* What our answers to the gateway's CREATE_CHILD_SA carry. */
enum edit { EDIT_NONE, EDIT_TS16, EDIT_TSWIDE };
/* A phantom child was planted in an EDIT_TS16 answer (its SPI). */
#define PHANTOM_SPI 0x0bad5bad
extern bool planted;
/* Decode buf and open its SK with sa's keys (outbound: a message we
 * sent). The inner payloads point into plain. 0 or -errno. */
int open_msg(const struct ike_sa *sa, const uint8_t *buf, size_t len,
	     bool outbound, struct ike_msg *m, uint8_t *plain, size_t cap);
/* Our message in, its inner payloads rebuilt (ed: TS replaced) and
 * sealed again into out: the new length, or -errno. */
int reseal(const struct ike_sa *sa, const uint8_t *in, size_t len,
	   enum edit ed, uint8_t *out, size_t cap);

int sc_initflood(void);

#endif /* IKE_HOSTILE_H */
