/* SPDX-License-Identifier: MIT */
/*
 * scan_path.h - the scanner proper and its string reader, included by
 * scan.c once per code path (scan_simd.h), after defining
 *   SP_PATH    the path's suffix (scalar, sse2, avx2, avx512)
 *   SP_TARGET  the path's target attribute (or nothing)
 * and a function find_special_PATH (always inline, same target; it may
 * step over escapes it has checked, setting *esc).  Defines
 * scan_strict_PATH and scan_fast_PATH (strict: strings check their own
 * UTF-8): the same code with the path's loop inlined into the string
 * reader and the string reader into the scanner, which the compiler may
 * only do in functions of the same target.
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

		i = SP_FN(find_special)(s, len, i, strict, esc);
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

/*
 * One value starting at *ip (leading whitespace skipped), iterative with
 * an explicit stack.  When rec is given and the value is an object, its
 * members are recorded.
 */
static inline __attribute__((always_inline)) SP_TARGET int
SP_FN(scan_t)(struct scan_ctx *c, size_t *ip, enum pk_type *type,
	      struct pk_record *rec, const int strict)
{
	struct scan_scratch *sc = c->sc;
	const unsigned char *s = c->s;
	size_t len = c->len, i = *ip, depth = 0, nk = 0, nm = 0, k0, kend;
	int in_obj = 0, rec_mode, esc;
	struct pk_member *m = NULL;

	sc->ntabs = 0;
	sc->arena.len = 0;

	SKIP_WS();
	NEED();
	*type = type_from_byte(s[i]);
	rec_mode = rec && s[i] == '{';

value:
	switch (s[i]) {
	case '{':
	case '[':
		if (depth >= sc->fcap &&
		    grow((void **)&sc->frames, &sc->fcap, depth + 1,
			 sizeof *sc->frames) < 0) {
			c->ecode = E_NOMEM;
			return -1;
		}
		in_obj = s[i] == '{';
		sc->frames[depth++] = in_obj ? nk : FRAME_ARRAY;
		i++;
		SKIP_WS();
		NEED();
		if (s[i] == (in_obj ? '}' : ']')) {
			i++;
			goto pop;
		}
		/* jansson counts the value inside as one level deeper */
		if (PK_UNLIKELY(depth >= PK_MAX_DEPTH))
			FAIL(E_DEPTH, i);
		if (in_obj)
			goto key;
		goto value;
	case '"':
		if (SP_FN(scan_string_t)(c, &i, &esc, strict) < 0)
			return -1;
		goto after;
	case '-':
		i++;
		NEED();
		if (!is_digit(s[i]))
			FAIL(E_CHAR, i);
		/* fall through */
	case '0': case '1': case '2': case '3': case '4':
	case '5': case '6': case '7': case '8': case '9':
		if (s[i] == '0') {
			i++;
		} else {
			do
				i++;
			while (i < len && is_digit(s[i]));
		}
		if (i < len && s[i] == '.') {
			i++;
			NEED();
			if (!is_digit(s[i]))
				FAIL(E_CHAR, i);
			do
				i++;
			while (i < len && is_digit(s[i]));
		}
		if (i < len && (s[i] | 0x20) == 'e') {
			i++;
			NEED();
			if (s[i] == '+' || s[i] == '-') {
				i++;
				NEED();
			}
			if (!is_digit(s[i]))
				FAIL(E_CHAR, i);
			do
				i++;
			while (i < len && is_digit(s[i]));
		}
		goto after;
	case 't':
		if (len - i >= 4 && memcmp(s + i, "true", 4) == 0) {
			i += 4;
			goto after;
		}
		goto bad_literal;
	case 'f':
		if (len - i >= 5 && memcmp(s + i, "false", 5) == 0) {
			i += 5;
			goto after;
		}
		goto bad_literal;
	case 'n':
		if (len - i >= 4 && memcmp(s + i, "null", 4) == 0) {
			i += 4;
			goto after;
		}
		goto bad_literal;
	default:
		FAIL(E_CHAR, i);
	}

bad_literal:
	/* point at the first wrong byte, or report the truncation */
	{
		const char *want = s[i] == 't' ? "true" :
				   s[i] == 'f' ? "false" : "null";
		size_t j = 0;

		while (want[j] && i + j < len && s[i + j] == (unsigned char)want[j])
			j++;
		FAIL(i + j >= len ? E_EOF : E_CHAR, i + j);
	}

key:
	if (s[i] != '"')
		FAIL(E_CHAR, i);
	k0 = i;
	if (SP_FN(scan_string_t)(c, &i, &esc, strict) < 0)
		return -1;
	kend = i;
	if (key_add(c, sc->frames[depth - 1], nk, k0, i, esc) < 0)
		return -1;
	nk++;
	SKIP_WS();
	NEED();
	if (s[i] != ':')
		FAIL(E_CHAR, i);
	i++;
	SKIP_WS();
	NEED();
	if (rec_mode && depth == 1) {
		if (nm >= rec->cap &&
		    grow((void **)&rec->members, &rec->cap, nm + 1,
			 sizeof *rec->members) < 0) {
			c->ecode = E_NOMEM;
			return -1;
		}
		m = &rec->members[nm];
		m->key_off = k0;
		m->key_len = kend - k0;
		m->key_escaped = esc != 0;
		m->val_off = i;
		m->type = type_from_byte(s[i]);
	}
	goto value;

pop:
	depth--;
	if (sc->frames[depth] != FRAME_ARRAY) {
		if (nk - sc->frames[depth] > PK_LINEAR_KEYS)
			sc->ntabs--; /* it had a key table */
		nk = sc->frames[depth];
	}
	in_obj = depth && sc->frames[depth - 1] != FRAME_ARRAY;
	/* fall through */
after:
	if (depth <= 1) {
		if (depth == 0) {
			*ip = i;
			if (rec)
				rec->nmembers = nm;
			return 0;
		}
		if (rec_mode) {
			m->val_len = i - m->val_off;
			nm++;
		}
	}
	SKIP_WS();
	NEED();
	if (s[i] == ',') {
		i++;
		SKIP_WS();
		NEED();
		if (in_obj)
			goto key;
		goto value;
	}
	if (s[i] == (in_obj ? '}' : ']')) {
		i++;
		goto pop;
	}
	FAIL(E_CHAR, i);
}

static SP_TARGET int SP_FN(scan_strict)(struct scan_ctx *c, size_t *ip,
				       enum pk_type *type,
				       struct pk_record *rec)
{
	return SP_FN(scan_t)(c, ip, type, rec, 1);
}

static SP_TARGET int SP_FN(scan_fast)(struct scan_ctx *c, size_t *ip,
				     enum pk_type *type, struct pk_record *rec)
{
	return SP_FN(scan_t)(c, ip, type, rec, 0);
}

#undef SP_FN
#undef SP_CAT
#undef SP_CAT2
#undef SP_PATH
#undef SP_TARGET
