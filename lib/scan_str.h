/* SPDX-License-Identifier: MIT */
/*
 * scan_str.h - the scanner's string reader, included by scan.c once per
 * code path (scan_simd.h), after defining
 *   SP_PATH    the path's suffix (scalar, sse2, avx2, avx512)
 *   SP_TARGET  the path's target attribute (or nothing)
 * and a function find_special_PATH (always inline, same target).  Defines
 * scan_string_strict_PATH and scan_string_fast_PATH: the same code with
 * the path's loop inlined, which the compiler may only do in a function of
 * the same target.
 */
#define SP_CAT2(a, b) a##_##b
#define SP_CAT(a, b) SP_CAT2(a, b)
#define SP_FN(name) SP_CAT(name, SP_PATH)

/*
 * Validate the string whose opening quote is at *ip; on success *ip is
 * just past the closing quote and *esc tells whether it had escapes.
 * strict: check its UTF-8 too (the line was not validated beforehand).
 */
static inline __attribute__((always_inline)) SP_TARGET int
SP_FN(scan_string_t)(struct scan_ctx *c, size_t *ip, int *esc,
		     const int strict)
{
	const unsigned char *s = c->s;
	size_t len = c->len, i = *ip + 1, n;
	int cp, lo;

	*esc = 0;
	for (;;) {
		unsigned ch;

		i = SP_FN(find_special)(s, len, i, strict);
		if (PK_UNLIKELY(i >= len))
			goto eof;
		ch = s[i];
		if (PK_LIKELY(ch == '"')) {
			*ip = i + 1;
			return 0;
		}
		if (strict && ch >= 0x80) {
			/* stay here for runs of non-ASCII text */
			do {
				n = utf8_seq(s + i, len - i);
				if (!n) {
					c->ecode = E_UTF8;
					c->epos = i;
					return -1;
				}
				i += n;
			} while (i < len && s[i] >= 0x80);
			continue;
		}
		if (ch < 0x20) {
			c->ecode = E_CONTROL;
			c->epos = i;
			return -1;
		}
		/* backslash */
		*esc = 1;
		if (i + 1 >= len)
			goto eof;
		switch (s[i + 1]) {
		case '"': case '\\': case '/': case 'b': case 'f':
		case 'n': case 'r': case 't':
			i += 2;
			continue;
		case 'u':
			break;
		default:
			c->ecode = E_ESCAPE;
			c->epos = i;
			return -1;
		}
		if (len - i < 6)
			goto short_hex;
		cp = hex4(s + i + 2);
		if (cp < 0)
			goto bad_escape;
		if (PK_LIKELY(cp < 0xD800 || cp > 0xDFFF)) {
			i += 6;
			continue;
		}
		/* a high surrogate needs a \u low surrogate right after it */
		if (cp >= 0xDC00)
			goto lone;
		if ((len - i > 6 && s[i + 6] != '\\') ||
		    (len - i > 7 && s[i + 7] != 'u'))
			goto lone;
		if (len - i < 12) {
			i += 6;
			goto short_hex;
		}
		lo = hex4(s + i + 8);
		if (lo < 0) {
			i += 6;
			goto bad_escape;
		}
		if (lo < 0xDC00 || lo > 0xDFFF)
			goto lone;
		i += 12;
	}
short_hex:
	/* the text ends inside \uXXXX at s[i] */
	for (n = i + 2; n < len; n++)
		if (!hexval1[s[n]])
			goto bad_escape;
eof:
	c->ecode = E_EOF;
	c->epos = len;
	return -1;
bad_escape:
	c->ecode = E_ESCAPE;
	c->epos = i;
	return -1;
lone:
	c->ecode = E_SURROGATE;
	c->epos = i;
	return -1;
}

static SP_TARGET int SP_FN(scan_string_strict)(struct scan_ctx *c, size_t *ip,
					      int *esc)
{
	return SP_FN(scan_string_t)(c, ip, esc, 1);
}

static SP_TARGET int SP_FN(scan_string_fast)(struct scan_ctx *c, size_t *ip,
					    int *esc)
{
	return SP_FN(scan_string_t)(c, ip, esc, 0);
}

#undef SP_FN
#undef SP_CAT
#undef SP_CAT2
#undef SP_PATH
#undef SP_TARGET
