/* SPDX-License-Identifier: MIT */
/*
 * test.h - tiny TAP helpers for the library's unit tests.  Each CHECK is one
 * TAP test point; a failure prints file:line and what was compared.
 * A test program ends with `return pk_test_done();`.
 */
#ifndef PK_TEST_H
#define PK_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int pk_test_n, pk_test_failed;

static inline void pk_test_point(int ok, const char *file, int line,
				 const char *what)
{
	pk_test_n++;
	if (!ok)
		pk_test_failed++;
	printf("%s %d - %s:%d: %s\n", ok ? "ok" : "not ok", pk_test_n, file,
	       line, what);
}

#define CHECK(cond) pk_test_point(!!(cond), __FILE__, __LINE__, #cond)

#define CHECK_STR(got, want)                                                 \
	do {                                                                 \
		const char *g_ = (got), *w_ = (want);                        \
		int ok_ = g_ && w_ && strcmp(g_, w_) == 0;                   \
		pk_test_point(ok_, __FILE__, __LINE__, #got " == " #want);   \
		if (!ok_)                                                    \
			printf("#   got:  \"%s\"\n#   want: \"%s\"\n",       \
			       g_ ? g_ : "(null)", w_ ? w_ : "(null)");      \
	} while (0)

#define CHECK_MEM(got, gotlen, want, wantlen)                                \
	do {                                                                 \
		size_t gl_ = (gotlen), wl_ = (wantlen);                      \
		int ok_ = gl_ == wl_ && memcmp((got), (want), gl_) == 0;     \
		pk_test_point(ok_, __FILE__, __LINE__, #got " == " #want);   \
		if (!ok_)                                                    \
			printf("#   got:  \"%.*s\"\n#   want: \"%.*s\"\n",   \
			       (int)gl_, (const char *)(got), (int)wl_,      \
			       (const char *)(want));                        \
	} while (0)

#define CHECK_INT(got, want)                                                 \
	do {                                                                 \
		long long g_ = (long long)(got), w_ = (long long)(want);     \
		pk_test_point(g_ == w_, __FILE__, __LINE__, #got " == " #want); \
		if (g_ != w_)                                                \
			printf("#   got:  %lld\n#   want: %lld\n", g_, w_);  \
	} while (0)

/* The whole file at path (NUL-terminated, caller frees) and its length,
 * or NULL with *len = 0 when it cannot be read. */
static inline char *pk_test_slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *data = NULL, *grown;
	size_t cap = 0, n;

	*len = 0;
	if (!fp)
		return NULL;
	for (;;) { /* at least one buffer, so an empty file gives "" */
		if (cap - *len < 65536) {
			cap = cap ? cap * 2 : 65536;
			if (!(grown = realloc(data, cap + 1)))
				break;
			data = grown;
		}
		if ((n = fread(data + *len, 1, cap - *len, fp)) == 0)
			break;
		*len += n;
	}
	fclose(fp);
	if (data)
		data[*len] = '\0';
	return data; /* NULL only when memory ran out */
}

/* dir/name in a static buffer; the last two results stay valid (a test
 * may need a source and a target name at once). */
static inline const char *pk_test_path(const char *dir, const char *name)
{
	static char path[2][256];
	static int i;

	i ^= 1;
	snprintf(path[i], sizeof path[i], "%s/%s", dir, name);
	return path[i];
}

static inline int pk_test_done(void)
{
	printf("1..%d\n", pk_test_n);
	return pk_test_failed ? 1 : 0;
}

#endif
