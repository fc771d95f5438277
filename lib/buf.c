/* SPDX-License-Identifier: MIT */
/* buf.c - struct pk_buf, a growable byte buffer that is always
 * NUL-terminated (git's strbuf, curl's dynbuf). */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pk_private.h"

int pk_buf_reserve(struct pk_buf *b, size_t extra)
{
	size_t need, cap;
	char *p;

	if (b->len + extra + 1 < b->len) /* overflow */
		return PK_FATAL;
	need = b->len + extra + 1;
	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 64;
	while (cap < need) {
		if (cap > SIZE_MAX / 2) {
			cap = need;
			break;
		}
		cap *= 2;
	}
	p = realloc(b->data, cap);
	if (!p)
		return PK_FATAL;
	b->data = p;
	b->cap = cap;
	return 0;
}

int pk_buf_append(struct pk_buf *b, const void *p, size_t n)
{
	if (pk_buf_reserve(b, n) < 0)
		return PK_FATAL;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int pk_buf_putc(struct pk_buf *b, int c)
{
	if (b->len + 1 >= b->cap && pk_buf_reserve(b, 1) < 0)
		return PK_FATAL;
	b->data[b->len++] = (char)c;
	b->data[b->len] = '\0';
	return 0;
}

int pk_buf_puts(struct pk_buf *b, const char *s)
{
	return pk_buf_append(b, s, strlen(s));
}

int pk_buf_printf(struct pk_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || pk_buf_reserve(b, (size_t)n) < 0)
		return PK_FATAL;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

void pk_buf_reset(struct pk_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

void pk_buf_free(struct pk_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

char *pk_buf_take(struct pk_buf *b)
{
	char *p = b->data;

	if (!p)
		p = calloc(1, 1);
	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}
