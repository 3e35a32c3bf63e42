/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Stand-ins for a backend whose library meson did not find: the transport
 * still links, and asking for that backend says it was not built.
 */
#include "st_priv.h"

#ifdef ST_NO_KERNEL
const bool st_kernel_built = false;
const struct st_backend st_kernel_backend = { .name = "sctp" };
#endif

#ifdef ST_NO_USRSCTP
const bool st_usrsctp_built = false;
const struct st_backend st_usrsctp_backend = { .name = "sctp-udp" };
#endif
