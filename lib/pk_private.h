/* SPDX-License-Identifier: MIT */
/* pk_private.h - helpers shared inside libprefkit; never included from cmd/. */
#ifndef PK_PRIVATE_H
#define PK_PRIVATE_H

#include "prefkit.h"

#define PK_UNUSED(x) ((void)(x))
#define PK_LIKELY(x) __builtin_expect(!!(x), 1)
#define PK_UNLIKELY(x) __builtin_expect(!!(x), 0)

/* Set err to "out of memory" and return PK_FATAL. */
int pk_nomem(struct pk_error *err);

#endif
