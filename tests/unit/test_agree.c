/* SPDX-License-Identifier: MIT */
/*
 * test_agree.c - the scanner and jansson (JSON_DECODE_ANY | JSON_ALLOW_NUL |
 * JSON_REJECT_DUPLICATES) must accept and reject the same texts (SPEC 4).
 * Checked over the hand-written corpus in TESTDATA/agree (valid-*.json must
 * be accepted, invalid-*.json rejected), over a few thousand deterministic
 * mutations of those files, and over randomly generated documents and their
 * mutations.  Two documented differences, each asserted exactly:
 *  - numbers out of range (integers beyond 64 bits, reals beyond a double)
 *    are valid JSON that the scanner accepts and jansson rejects (SPEC 4):
 *    jansson's complaint must be a numeric overflow, the text must hold
 *    such a number, and the two must agree once those numbers are 0;
 *  - jansson 2.14 silently drops one NUL byte that directly follows a
 *    number or a literal (its lexer ungets the lookahead byte into a
 *    NUL-terminated buffer), so it accepts "[1\0]"; a raw NUL is not JSON
 *    and the scanner rejects it: the text must hold such a NUL, and the two
 *    must agree once those bytes are removed.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pk_private.h"
#include "test.h"
#include "../oracle.h"

#ifndef TESTDATA
#error "compile with -DTESTDATA='\"/path/to/tests/data\"'"
#endif


/* ------------------------------------------------------------------ */
/* Deterministic PRNG (splitmix64)                                     */
/* ------------------------------------------------------------------ */

static uint64_t rng_state = 0x5eed5eed12345678ULL;

static uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static size_t rndn(size_t n)
{
	return n ? (size_t)(rnd() % n) : 0;
}

/* ------------------------------------------------------------------ */
/* The comparison                                                      */
/* ------------------------------------------------------------------ */

static char last_why[300];

/*
 * 1 when the scanner and jansson agree on p[0..n) (modulo the range
 * exception); *verdict gets the scanner's verdict.  Also checks that
 * pk_scan_record agrees with pk_scan_value.
 */
static int agree(const char *p, size_t n, int *verdict)
{
	struct pk_record rec = PK_RECORD_INIT;
	struct pk_error err;
	json_error_t je;
	json_t *v;
	int s = oracle_scanner_ok(p, n), j, rrc, rc = 1;
	size_t i = 0;

	*verdict = s;
	v = json_loadb(p, n, ORACLE_JFLAGS, &je);
	j = v != NULL;
	json_decref(v);
	last_why[0] = '\0';

	/* pk_scan_record: the same verdict, plus "is it an object" */
	while (i < n && oracle_is_ws((unsigned char)p[i]))
		i++;
	rrc = pk_scan_record(&rec, p, n, &err);
	if (s && i < n && p[i] == '{') {
		if (rrc != PK_OK) {
			snprintf(last_why, sizeof last_why,
				 "pk_scan_record rejects an object: %s",
				 err.text);
			rc = 0;
		}
	} else if (rrc != PK_BAD_RECORD) {
		snprintf(last_why, sizeof last_why,
			 "pk_scan_record accepts a non-object or bad text");
		rc = 0;
	} else if (s && strncmp(err.text, "not a JSON object (", 19) != 0) {
		snprintf(last_why, sizeof last_why,
			 "pk_scan_record: wrong message for a non-object: %.200s",
			 err.text);
		rc = 0;
	}
	pk_record_free(&rec);
	if (!rc)
		return 0;

	if (s == j)
		return 1;
	if (s && !j && json_error_code(&je) == json_error_numeric_overflow) {
		struct pk_buf fixed = PK_BUF_INIT;
		int dummy, ok;

		/* the documented exception: check it is only that */
		ok = oracle_replace_out_of_range(p, n, &fixed) > 0 &&
		     agree(fixed.data, fixed.len, &dummy) && dummy;
		if (!ok)
			snprintf(last_why, sizeof last_why,
				 "range exception does not explain: %.200s",
				 je.text);
		pk_buf_free(&fixed);
		return ok;
	}
	if (!s && j) {
		struct pk_buf fixed = PK_BUF_INIT;
		int dummy, ok;

		/* the NUL-after-token exception: check it is only that */
		ok = oracle_drop_lookahead_nuls(p, n, &fixed) > 0 &&
		     agree(fixed.data ? fixed.data : "", fixed.len, &dummy) &&
		     dummy;
		pk_buf_free(&fixed);
		if (ok)
			return 1;
	}
	snprintf(last_why, sizeof last_why, "scanner %s, jansson %s%s",
		 s ? "accepts" : "rejects", j ? "accepts" : "rejects: ",
		 j ? "" : je.text);
	return 0;
}

static void show(const char *what, const char *p, size_t n)
{
	size_t k;

	printf("# %s (%zu bytes): %s\n#   ", what, n, last_why);
	for (k = 0; k < n && k < 200; k++) {
		unsigned char c = (unsigned char)p[k];

		if (c >= 0x20 && c < 0x7f && c != '\\')
			putchar(c);
		else
			printf("\\x%02x", c);
	}
	printf("%s\n", n > 200 ? "..." : "");
}

/* ------------------------------------------------------------------ */
/* Mutations                                                           */
/* ------------------------------------------------------------------ */

static const char interesting[] = "{}[],:\"\\ \t\n0123456789-+.eEu/tfnrlsa";
static const unsigned char odd_bytes[] = {
	0x00, 0x01, 0x1f, 0x7f, 0x80, 0xbf, 0xc0, 0xc2, 0xdf, 0xe0,
	0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff, 0xa0, 0x90, 0x8f
};

static unsigned char pick_byte(void)
{
	switch (rndn(3)) {
	case 0:
		return (unsigned char)interesting[rndn(sizeof interesting - 1)];
	case 1:
		return odd_bytes[rndn(sizeof odd_bytes)];
	default:
		return (unsigned char)rndn(256);
	}
}

static const char *const snippets[] = {
	"\\u0000", "\\ud83d", "\\ude00", "\\ud83d\\ude00", "\\u0061", "\\",
	"\"a\":1,", ",\"a\":1", "{", "}", "[", "]", "1e400", "99999999999999999999",
	"-", "0", "true", "nul", "\xc3\xa9", "\xed\xa0\x80", "\xf4\x90\x80\x80",
	"\xe0\x80\x80", "\"", ":", "[[[[", "]]]]", "{\"\":", "\\/", "\xf0\x9f\x98",
};

/* One random mutation of src into out. */
static void mutate(const char *src, size_t n, struct pk_buf *out)
{
	size_t at = rndn(n + 1), k;
	const char *sn;

	pk_buf_reset(out);
	switch (rndn(7)) {
	case 0: /* replace a byte */
		pk_buf_append(out, src, n);
		if (n)
			out->data[rndn(n)] = (char)pick_byte();
		break;
	case 1: /* insert a byte */
		pk_buf_append(out, src, at);
		pk_buf_putc(out, pick_byte());
		pk_buf_append(out, src + at, n - at);
		break;
	case 2: /* delete a few bytes */
		k = 1 + rndn(3);
		if (at + k > n)
			k = n - at;
		pk_buf_append(out, src, at);
		pk_buf_append(out, src + at + k, n - at - k);
		break;
	case 3: /* truncate */
		pk_buf_append(out, src, at);
		break;
	case 4: /* insert a snippet */
		sn = snippets[rndn(sizeof snippets / sizeof *snippets)];
		pk_buf_append(out, src, at);
		pk_buf_puts(out, sn);
		pk_buf_append(out, src + at, n - at);
		break;
	case 5: /* duplicate a slice (copies keys, members, brackets) */
		k = rndn(n - at + 1);
		if (k > 64)
			k = 64;
		pk_buf_append(out, src, at + k);
		pk_buf_append(out, src + at, n - at);
		break;
	default: /* flip a bit */
		pk_buf_append(out, src, n);
		if (n)
			out->data[rndn(n)] ^= (char)(1u << rndn(8));
		break;
	}
}

/* Check n mutations of src; returns the number of disagreements. */
static int mutations_agree(const char *name, const char *src, size_t len,
			   int count, int *accepted)
{
	struct pk_buf m = PK_BUF_INIT;
	int k, bad = 0, v;

	for (k = 0; k < count; k++) {
		mutate(src, len, &m);
		/* sometimes mutate twice */
		if (rndn(4) == 0) {
			char *copy = malloc(m.len + 1);

			memcpy(copy, m.data ? m.data : "", m.len);
			mutate(copy, m.len, &m);
			free(copy);
		}
		if (!agree(m.data ? m.data : "", m.len, &v)) {
			if (bad++ < 3)
				show(name, m.data, m.len);
		}
		*accepted += v;
	}
	pk_buf_free(&m);
	return bad;
}

/* ------------------------------------------------------------------ */
/* Random documents                                                    */
/* ------------------------------------------------------------------ */

static const char *const key_pool[] = {
	"a", "b", "c", "\\u0061", "\\u0062", "caf\\u00e9", "caf\xc3\xa9",
	"prompt", "chosen", "rejected", "score", "", "a\\/b", "a/b", "\\\"",
	"\\\\", "k\\n", "\\ud83d\\ude00", "\xf0\x9f\x98\x80", "x y",
};

static void gen_ws(struct pk_buf *b)
{
	static const char *const ws[] = {" ", "\n", "\t", "\r\n", "  "};

	if (rndn(6) == 0)
		pk_buf_puts(b, ws[rndn(5)]);
}

static void gen_codepoint(struct pk_buf *b)
{
	unsigned long cp;
	unsigned char d[4];

	switch (rndn(4)) {
	case 0: cp = 0x80 + rndn(0x780); break;
	case 1: cp = 0x800 + rndn(0xD800 - 0x800); break;
	case 2: cp = 0xE000 + rndn(0x2000); break;
	default: cp = 0x10000 + rndn(0x100000); break;
	}
	if (cp < 0x800) {
		d[0] = (unsigned char)(0xC0 | cp >> 6);
		d[1] = (unsigned char)(0x80 | (cp & 0x3F));
		pk_buf_append(b, d, 2);
	} else if (cp < 0x10000) {
		d[0] = (unsigned char)(0xE0 | cp >> 12);
		d[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
		d[2] = (unsigned char)(0x80 | (cp & 0x3F));
		pk_buf_append(b, d, 3);
	} else {
		d[0] = (unsigned char)(0xF0 | cp >> 18);
		d[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3F));
		d[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
		d[3] = (unsigned char)(0x80 | (cp & 0x3F));
		pk_buf_append(b, d, 4);
	}
}

static void gen_string(struct pk_buf *b)
{
	static const char *const esc[] = {
		"\\n", "\\\"", "\\\\", "\\/", "\\t", "\\b", "\\f", "\\r",
		"\\u00e9", "\\u4E2D", "\\ud83d\\ude00", "\\u0000", "\\u001f",
	};
	size_t k, n = rndn(12);

	pk_buf_putc(b, '"');
	for (k = 0; k < n; k++) {
		switch (rndn(4)) {
		case 0:
			pk_buf_puts(b, esc[rndn(sizeof esc / sizeof *esc)]);
			break;
		case 1:
			gen_codepoint(b);
			break;
		default:
			pk_buf_putc(b, "abcdefghij klmnop.,;!?"[rndn(22)]);
			break;
		}
	}
	pk_buf_putc(b, '"');
}

static void gen_number(struct pk_buf *b)
{
	static const char *const nums[] = {
		"0", "-0", "7", "-12", "8.5", "0.25", "1e5", "-2.5E-3", "1e+2",
		"9223372036854775807", "-9223372036854775808", "1e-400",
		"18446744073709551616", "1e400", "-1.7976931348623159e308",
		"123456789012345678901234567890", "3.141592653589793",
	};

	pk_buf_puts(b, nums[rndn(sizeof nums / sizeof *nums)]);
}

static void gen_value(struct pk_buf *b, int depth)
{
	size_t k, n;

	switch (depth < 4 ? rndn(8) : 2 + rndn(6)) {
	case 0:
		/* object; sometimes with enough keys for the hash table, at
		 * any depth; names from a pool so that duplicates happen */
		n = rndn(4) ? rndn(6) : 10 + rndn(30);
		pk_buf_putc(b, '{');
		for (k = 0; k < n; k++) {
			if (k)
				pk_buf_putc(b, ',');
			gen_ws(b);
			pk_buf_putc(b, '"');
			if (rndn(8))
				pk_buf_printf(b, "u%zu", rndn(40 * n + 8));
			else
				pk_buf_puts(b, key_pool[rndn(sizeof key_pool /
							     sizeof *key_pool)]);
			pk_buf_putc(b, '"');
			gen_ws(b);
			pk_buf_putc(b, ':');
			gen_ws(b);
			gen_value(b, depth + 1);
			gen_ws(b);
		}
		pk_buf_putc(b, '}');
		break;
	case 1:
		n = rndn(5);
		pk_buf_putc(b, '[');
		for (k = 0; k < n; k++) {
			if (k)
				pk_buf_putc(b, ',');
			gen_ws(b);
			gen_value(b, depth + 1);
			gen_ws(b);
		}
		pk_buf_putc(b, ']');
		break;
	case 2:
	case 3:
	case 4:
		gen_string(b);
		break;
	case 5:
	case 6:
		gen_number(b);
		break;
	default:
		pk_buf_puts(b, rndn(3) == 0 ? "true" : rndn(2) ? "false" : "null");
		break;
	}
}

/*
 * UTF-8 soup: valid sequences of every length, broken ones and random
 * high bytes, at every offset around the 16- and 64-byte blocks of the
 * SIMD validator.  pk_scan_record validates UTF-8 of the whole line up
 * front when it can; pk_scan_value always checks byte by byte.
 */
static int utf8_soup(int count, int *accepted)
{
	static const char *const seqs[] = {
		"\xc2\x80", "\xdf\xbf", "\xe0\xa0\x80", "\xed\x9f\xbf",
		"\xee\x80\x80", "\xef\xbf\xbf", "\xf0\x90\x80\x80",
		"\xf4\x8f\xbf\xbf", "\xc3\xa9", "\xe4\xb8\xad",
		"\xf0\x9f\x98\x80", "\xc0\x80", "\xc1\xbf", "\xe0\x9f\xbf",
		"\xed\xa0\x80", "\xf0\x8f\xbf\xbf", "\xf4\x90\x80\x80",
		"\xf5\x80\x80\x80", "\xe4\xb8", "\xf0\x9f\x98", "\x80",
		"\xbf", "\xff", "\xfe", "a", "\\u00e9", "\\n",
	};
	struct pk_buf b = PK_BUF_INIT;
	struct pk_record rec = PK_RECORD_INIT;
	int k, bad = 0;

	for (k = 0; k < count; k++) {
		size_t pre = rndn(80), n = rndn(6), j, pos = 0;
		int r, v, verdict;

		pk_buf_reset(&b);
		pk_buf_puts(&b, "{\"s\":\"");
		for (j = 0; j < pre; j++)
			pk_buf_putc(&b, 'x');
		for (j = 0; j < n; j++) {
			if (rndn(8) == 0)
				pk_buf_putc(&b, 0x80 + (int)rndn(128));
			else
				pk_buf_puts(&b, seqs[rndn(sizeof seqs /
							  sizeof *seqs)]);
		}
		for (j = rndn(70); j > 0; j--)
			pk_buf_putc(&b, 'y');
		pk_buf_puts(&b, "\"}");
		r = pk_scan_record(&rec, b.data, b.len, NULL) == PK_OK;
		v = pk_scan_value(b.data, b.len, &pos, NULL, NULL) == PK_OK;
		if (r != v || !agree(b.data, b.len, &verdict) || verdict != v) {
			snprintf(last_why, sizeof last_why,
				 "record %d, value %d", r, v);
			if (bad++ < 3)
				show("utf8-soup", b.data, b.len);
		}
		*accepted += v;
	}
	pk_record_free(&rec);
	pk_buf_free(&b);
	return bad;
}

/* ------------------------------------------------------------------ */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(void)
{
	const char *dir = TESTDATA "/agree";
	char **names = NULL, path[4096];
	size_t nnames = 0, k;
	struct dirent *de;
	DIR *d = opendir(dir);
	int total_mut = 0, bad_mut = 0, acc_mut = 0, nvalid = 0, ninvalid = 0;
	int gen_docs = 0, gen_bad = 0, gen_acc = 0, gmut_bad = 0, gmut_acc = 0;

	CHECK(d != NULL);
	if (!d)
		return pk_test_done();
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name);

		if (l < 6 || strcmp(de->d_name + l - 5, ".json") != 0)
			continue;
		names = realloc(names, (nnames + 1) * sizeof *names);
		names[nnames++] = strdup(de->d_name);
	}
	closedir(d);
	qsort(names, nnames, sizeof *names, cmp_str);

	for (k = 0; k < nnames; k++) {
		int want_valid = strncmp(names[k], "valid-", 6) == 0, v, ok;
		size_t len;
		char *text;

		snprintf(path, sizeof path, "%s/%s", dir, names[k]);
		text = pk_test_slurp(path, &len);
		if (!text) {
			CHECK(!"cannot read corpus file");
			continue;
		}
		want_valid ? nvalid++ : ninvalid++;
		ok = agree(text, len, &v);
		pk_test_point(ok && v == want_valid, __FILE__, __LINE__, names[k]);
		if (!ok || v != want_valid) {
			if (!last_why[0])
				snprintf(last_why, sizeof last_why,
					 "scanner verdict %d", v);
			show(names[k], text, len);
		}
		if (want_valid) {
			/* mutations of the valid texts */
			int bad = mutations_agree(names[k], text, len, 120,
						  &acc_mut);

			total_mut += 120;
			bad_mut += bad;
		}
		free(text);
		free(names[k]);
	}
	free(names);
	printf("# corpus: %d valid, %d invalid files\n", nvalid, ninvalid);
	CHECK(nvalid >= 20 && ninvalid >= 40);
	printf("# %d mutations of the valid files, %d accepted, %d disagreements\n",
	       total_mut, acc_mut, bad_mut);
	CHECK(bad_mut == 0);

	/* generated documents: all valid JSON, some with duplicate keys or
	 * out-of-range numbers; then mutations of each */
	for (k = 0; k < 1500; k++) {
		struct pk_buf doc = PK_BUF_INIT;
		int v;

		gen_ws(&doc);
		gen_value(&doc, 0);
		gen_ws(&doc);
		gen_docs++;
		if (!agree(doc.data, doc.len, &v)) {
			if (gen_bad++ < 3)
				show("generated", doc.data, doc.len);
		}
		gen_acc += v;
		gmut_bad += mutations_agree("generated-mutation", doc.data,
					    doc.len, 4, &gmut_acc);
		pk_buf_free(&doc);
	}
	printf("# %d generated documents, %d accepted, %d disagreements\n",
	       gen_docs, gen_acc, gen_bad);
	CHECK(gen_bad == 0);
	/* duplicates must make some generated documents invalid, and most
	 * should still be valid */
	CHECK(gen_acc > gen_docs / 4 && gen_acc < gen_docs);
	printf("# %d mutations of them, %d accepted, %d disagreements\n",
	       gen_docs * 4, gmut_acc, gmut_bad);
	CHECK(gmut_bad == 0);

	{
		int acc = 0, bad = utf8_soup(20000, &acc);

		printf("# 20000 UTF-8 soups, %d valid, %d disagreements\n", acc,
		       bad);
		CHECK(bad == 0);
		CHECK(acc > 2000 && acc < 18000);
	}
	return pk_test_done();
}
