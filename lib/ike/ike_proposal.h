/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef IKE_PROPOSAL_H
#define IKE_PROPOSAL_H

/*
 * SA proposals (RFC 7296 2.7, 3.3): building our own, choosing one from a
 * peer's offer, checking a peer's reply, and mapping the result onto the
 * IKE SA algorithms (struct ike_sa_algs) or the fast path's ESP transform
 * (lib/conf enum conf_cipher / conf_integ).
 *
 * A struct ike_proposal (ike_msg.h) lists transforms; several of one type
 * are alternatives. An IKE proposal has ENCR, PRF, INTEG (none with GCM)
 * and DH; an ESP proposal ENCR, INTEG (none with GCM), ESN and, for PFS in
 * CREATE_CHILD_SA, DH.
 *
 * Selection (responder, RFC 7296 2.7): the peer's proposals are taken in
 * the peer's order and, for each, our configured proposals in our order;
 * the first pair that agrees wins. They agree when the protocol is the
 * same and for every transform type the peer's alternatives (in the peer's
 * order) contain one of ours (same id and key length). An optional type
 * (INTEG, DH, ESN) left out by one side counts as NONE/NO_ESN. A proposal
 * with a transform type we do not know is rejected; a transform with an
 * attribute we do not know is ignored (3.3.6). The chosen proposal carries
 * the peer's proposal number and SPI and exactly one transform of each
 * type the peer included: the responder puts its own SPI in it and sends
 * it back with ike_build_sa().
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conf.h"
#include "ike_crypto.h"
#include "ike_msg.h"

/* Start a proposal (num from 1, proto IKE_PROTO_*, spi_size 0/4/8). */
void ike_proposal_init(struct ike_proposal *p, uint8_t num, uint8_t proto,
		       const uint8_t *spi, uint8_t spi_size);
/* Append a transform; -E2BIG when full. */
int ike_proposal_add(struct ike_proposal *p, uint8_t type, uint16_t id,
		     uint16_t key_len);
/* The (first) transform of a type, or NULL. */
const struct ike_xform *ike_proposal_get(const struct ike_proposal *p,
					 uint8_t type);

/*
 * Choose from the SA payload of a request. 0 with *chosen filled, or
 * -ENOENT when nothing is acceptable (answer NO_PROPOSAL_CHOSEN); *why
 * says why the last candidate failed.
 */
int ike_proposal_select(const struct ike_pl_sa *peer,
			const struct ike_proposal *ours, unsigned int n_ours,
			struct ike_proposal *chosen, const char **why);

/*
 * Initiator: check the SA payload of a response against what we offered.
 * It must hold exactly one proposal, with the number of one of ours, one
 * transform per type, each of them one we offered, and every type we
 * offered without a NONE alternative. 0 with *chosen (the responder's SPI
 * in it), or -EINVAL (treat as a failed exchange).
 */
int ike_proposal_check_reply(const struct ike_pl_sa *reply,
			     const struct ike_proposal *offered,
			     unsigned int n_offered,
			     struct ike_proposal *chosen, const char **why);

/* IKE SA algorithms of a chosen IKE proposal (all implemented?): 0 or
 * -ENOTSUP. */
int ike_proposal_ike_algs(const struct ike_proposal *chosen,
			  struct ike_sa_algs *algs);

/* The fast path's transform of a chosen ESP proposal: 0 or -ENOTSUP. */
int ike_proposal_esp_to_conf(const struct ike_proposal *chosen,
			     enum conf_cipher *cipher, enum conf_integ *integ,
			     bool *esn);
/* The IKE transform IDs of a configured ESP cipher and integrity (key
 * bits 128 or 256; IKE_INTEG_NONE for an AEAD); -ENOTSUP otherwise. */
int ike_esp_algs_from_conf(enum conf_cipher cipher, enum conf_integ integ,
			   uint16_t *encr, uint16_t *bits, uint16_t *ike_integ);

/*
 * Our ESP proposal from a configured transform set: its cipher and
 * integrity, ESN yes or no, and a DH group for PFS (IKE_DH_NONE: none).
 * spi: our inbound SPI (host order).
 */
int ike_proposal_esp_from_conf(const struct conf_transform_set *ts,
			       bool esn, uint16_t pfs_group, uint32_t spi,
			       uint8_t num, struct ike_proposal *out);

/* "IKE: AES_CBC_256/PRF_HMAC_SHA2_256/HMAC_SHA2_256_128/ECP_256" for logs;
 * returns what snprintf() would. */
int ike_proposal_format(const struct ike_proposal *p, char *buf, size_t len);

#endif /* IKE_PROPOSAL_H */
