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

/* The fields, not all 280 bytes: commands clear one for every record. */
void pk_error_clear(struct pk_error *err)
{
	if (err) {
		err->kind = PK_ERR_NONE;
		err->line = 0;
		err->column = 0;
		err->text[0] = '\0';
	}
}

int pk_nomem(struct pk_error *err)
{
	return pk_error_set(err, PK_ERR_NOMEM, "out of memory");
}

int pk_error_prefix(struct pk_error *err, const char *fmt, ...)
{
	char why[sizeof err->text];
	size_t n;
	va_list ap;

	if (!err)
		return PK_BAD_RECORD;
	memcpy(why, err->text, sizeof why);
	va_start(ap, fmt);
	vsnprintf(err->text, sizeof err->text, fmt, ap);
	va_end(ap);
	n = strlen(err->text);
	snprintf(err->text + n, sizeof err->text - n, "%s", why);
	return err->kind == PK_ERR_DATA	  ? PK_BAD_RECORD
	       : err->kind == PK_ERR_PIPE ? PK_EPIPE
					  : PK_FATAL;
}
