/* SPDX-License-Identifier: MIT */
/*
 * fuzz_num.c - libFuzzer target for reading numbers (lib/num.c) against
 * the C library's strtod.
 *
 * Input: text split at ',' into pieces.  Checked:
 *  - every piece: pk_parse_double accepts it if and only if it is a JSON
 *    number (pk_is_json_number) that strtod does not overflow, and then
 *    gives strtod's double bit for bit;
 *  - pk_parse_number agrees with pk_parse_double where it accepts;
 *  - the whole input in brackets, when that is valid JSON (the scanner
 *    validates what pk_number_array reads): when every piece is a number
 *    pk_parse_number accepts (spaces around it allowed), pk_number_array
 *    gives their count and exactly their doubles, else it refuses the
 *    array; "[]" and blanks have no elements.
 *  - pk_format_number of every double read reads back to it.
 */
#include "config.h"

#include <math.h>

#include "fuzz.h"

#define T "fuzz_num"

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data;
	char *text, *piece;
	double *want;
	size_t i, start = 0, k = 0;
	int all = 1;
	struct pk_buf b = PK_BUF_INIT;
	long got;

	if (size > 1 << 16)
		return 0;
	text = malloc(size + 3);
	piece = malloc(size + 1);
	want = malloc((size + 1) * sizeof *want);
	if (!text || !piece || !want)
		abort();
	for (i = 0; i <= size; i++) {
		size_t s, e, n;
		double x = 0, y = 0, z;
		int rc, ok;

		if (i < size && in[i] != ',')
			continue;
		/* the piece in[start..i), spaces trimmed */
		for (s = start; s < i && is_space(in[s]); s++)
			;
		for (e = i; e > s && is_space(in[e - 1]); e--)
			;
		n = e - s;
		memcpy(piece, in + s, n);
		piece[n] = '\0';
		start = i + 1;
		rc = pk_parse_double(piece, n, &x);
		ok = memchr(piece, '\0', n) == NULL && pk_is_json_number(piece, n);
		if (ok) {
			z = strtod(piece, NULL);
			if (isinf(z)) {
				if (rc != PK_BAD_RECORD)
					fz_fail(T, "an overflow accepted", piece, n);
			} else if (rc != PK_OK || memcmp(&x, &z, sizeof x) != 0) {
				fprintf(stderr, "%s: %.17g, strtod %.17g\n", T, x, z);
				fz_fail(T, "not strtod's double", piece, n);
			}
		} else if (rc == PK_OK) {
			fz_fail(T, "not a JSON number but read", piece, n);
		}
		if (pk_parse_number(piece, n, &y) == PK_OK) {
			char out[PK_NUMBER_MAX];
			double back;
			int len;

			if (rc != PK_OK || memcmp(&x, &y, sizeof x) != 0)
				fz_fail(T, "pk_parse_number differs", piece, n);
			want[k++] = y;
			len = pk_format_number(out, y);
			if (len <= 0 || pk_parse_double(out, (size_t)len, &back) != PK_OK ||
			    back != y)
				fz_fail(T, "formatted, it does not read back", out,
					len > 0 ? (size_t)len : 0);
		} else {
			all = 0;
		}
	}
	/* the array: pk_number_array takes text the scanner validated */
	text[0] = '[';
	memcpy(text + 1, in, size);
	text[size + 1] = ']';
	text[size + 2] = '\0';
	{
		struct pk_error err;
		enum pk_type type;
		size_t pos = 0;
		int blank = 1;

		if (pk_scan_value(text, size + 2, &pos, &type, &err) != PK_OK ||
		    pos != size + 2)
			goto done;

		for (i = 0; i < size; i++)
			blank &= is_space(in[i]);
		if (blank)
			k = 0, all = 1;
		got = pk_number_array(text, size + 2, &b);
		if (blank && got != 0)
			fz_fail(T, "an empty array has elements", text, size + 2);
		if (all && got != (long)k)
			fz_fail(T, "the array's count differs", text, size + 2);
		if (all && k && memcmp(b.data, want, k * sizeof *want) != 0)
			fz_fail(T, "the array's doubles differ", text, size + 2);
		if (!all && got >= 0)
			fz_fail(T, "an array of bad numbers accepted", text, size + 2);
	}
done:
	pk_buf_free(&b);
	free(text);
	free(piece);
	free(want);
	return 0;
}
