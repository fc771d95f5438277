/* SPDX-License-Identifier: MIT */
/* size.c - sizes with K, M, G suffixes (powers of 1024). */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "pk_private.h"

int pk_parse_size(const char *s, size_t *out)
{
	unsigned long long v, mult = 1;
	char *end;

	if (!s || !isdigit((unsigned char)*s))
		return PK_BAD_RECORD;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return PK_BAD_RECORD;
	switch (*end) {
	case '\0':
		break;
	case 'k': case 'K':
		mult = 1ULL << 10;
		end++;
		break;
	case 'm': case 'M':
		mult = 1ULL << 20;
		end++;
		break;
	case 'g': case 'G':
		mult = 1ULL << 30;
		end++;
		break;
	default:
		return PK_BAD_RECORD;
	}
	if (*end == 'B' || *end == 'b')
		end++;
	if (*end != '\0')
		return PK_BAD_RECORD;
	if (v > SIZE_MAX / mult)
		return PK_BAD_RECORD;
	*out = (size_t)(v * mult);
	return 0;
}
