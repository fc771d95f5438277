/* SPDX-License-Identifier: MIT */
/* error.c - struct pk_error: what went wrong, kept by the caller. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "pk_private.h"

int pk_error_set(struct pk_error *err, enum pk_errkind kind, const char *fmt,
		 ...)
{
	if (err) {
		va_list ap;
		err->kind = kind;
		va_start(ap, fmt);
		vsnprintf(err->text, sizeof err->text, fmt, ap);
		va_end(ap);
	}
	switch (kind) {
	case PK_ERR_DATA:
		return PK_BAD_RECORD;
	case PK_ERR_PIPE:
		return PK_EPIPE;
	default:
		return PK_FATAL;
	}
}

void pk_error_clear(struct pk_error *err)
{
	if (err)
		memset(err, 0, sizeof *err);
}

int pk_nomem(struct pk_error *err)
{
	return pk_error_set(err, PK_ERR_NOMEM, "out of memory");
}
