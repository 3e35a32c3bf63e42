/* SPDX-License-Identifier: BSD-3-Clause */
/* placeholder: replaced by the conf work */
#include "conf.h"
