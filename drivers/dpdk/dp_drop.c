/* SPDX-License-Identifier: BSD-3-Clause */
/* placeholder */
#include "dp_drop.h"
