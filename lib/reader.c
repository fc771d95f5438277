/* SPDX-License-Identifier: MIT */
/*
 * reader.c - struct pk_reader: splits the decompressed input (zio.c) into
 * record lines.  Lines are found with memchr over one large buffer and
 * handed out as pointers into it; only the partial line at the end of the
 * buffer is moved when it is refilled, so memory stays constant however
 * large the input (at most about max_line plus one read chunk).  A stream
 * whose first non-blank byte is '[' is a JSON array file instead: it is
 * read as a stream too, element by element.  A small resumable state
 * machine (string, escape, a bit stack of open brackets) finds where an
 * element ends; a complete element within max_line is then validated with
 * pk_scan_value, a longer one is handed out like a long line and the rest
 * of it streams by.  The blank space between elements is consumed as it
 * is read (bounded by max_line too), so memory is the same as for lines.
 *
 * A mapped input (zio.c) is the same with the mapping as the buffer:
 * "reading" moves the end of the bytes looked at MAP_STEP further, so
 * every bound above holds as it is, nothing is moved or copied, and the
 * pages behind the bytes still needed are given back as the end moves.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "pk_private.h"
#include "zio.h"

#define CHUNK ((size_t)PK_ZIO_CHUNK)
#define INITIAL_CAP (4 * CHUNK)
#define MAP_STEP CHUNK

enum mode {
	M_START,  /* the first non-blank byte is not known yet */
	M_LINES,
	M_ARRAY,
};

enum rest {
	REST_NONE,
	REST_SLICE,   /* the rest of a long record is buf[rest_off..+rest_len) */
	REST_STREAM,  /* the rest of a long line is still being read */
	REST_ELEMENT, /* the rest of a long array element is being read */
};

/* Where a JSON array file is: after '[', after an element, after a ',',
 * after the closing ']', done. */
enum astate { A_FIRST, A_AFTER, A_COMMA, A_CLOSED, A_END };

/* Finding the end of one array element (see find_end). */
enum { E_NONE, E_SCALAR, E_NESTED, E_DONE };

struct pk_reader {
	struct pk_zin *in;
	char *name;
	size_t max_line;
	enum mode mode;
	int bom_done;
	int eof;        /* the decompressed stream is used up */
	int fatal;      /* sticky: ferr says why */
	struct pk_error ferr;
	unsigned long long lineno;  /* lines started so far */
	unsigned long long blank;

	char *buf;      /* the mapping, when mapped */
	size_t cap;
	int mapped;
	int keep;       /* the caller releases (pk_reader_keep) */
	size_t kept;    /* what the caller still needs starts here */
	size_t start;   /* first byte not yet returned */
	size_t end;     /* end of the bytes read */
	size_t scan;    /* no '\n' in buf[start..scan) */

	enum rest rest;
	size_t rest_off, rest_len;

	/* JSON array mode: buf[start] is the next byte not yet consumed */
	unsigned long long base;   /* stream offset of buf[0] */
	enum astate astate;
	unsigned long long aline;  /* the line of buf[start] */
	unsigned long long aline_at; /* stream offset where that line starts */
	size_t ablank;             /* blank bytes and ',' since the last element */
	/* the element being delimited, from buf[start] */
	int ekind;                 /* E_NONE, E_SCALAR, E_NESTED, E_DONE */
	int estr, eesc;            /* in a string, after a backslash */
	int ebad;                  /* E_DONE at a mismatched bracket or too deep */
	size_t epos;               /* next byte to look at */
	size_t eend;               /* E_DONE: the element is buf[start..eend) */
	unsigned edepth;
	unsigned char estack[PK_MAX_DEPTH / 8 + 1]; /* 1 bit per level: '{' */
};

static int is_blank(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
			return 0;
	return 1;
}

/* Remember a fatal error (err->text already set) so later calls repeat it. */
static int fatal(struct pk_reader *r, struct pk_error *err,
		 unsigned long long line, unsigned long column)
{
	err->line = line;
	err->column = column;
	r->ferr = *err;
	r->fatal = 1;
	return PK_FATAL;
}

static int too_long(struct pk_reader *r, struct pk_line *line,
		    const char *data, unsigned long long lineno,
		    struct pk_error *err)
{
	line->data = data;
	line->len = r->max_line;
	line->lineno = lineno;
	pk_error_set(err, PK_ERR_DATA, "line too long (more than %zu bytes)",
		     r->max_line);
	err->line = lineno;
	err->column = 0;
	return PK_BAD_RECORD;
}

/* Make room for at least CHUNK more bytes after end, moving the pending
 * bytes to the front first.  limit (0 = none) caps the capacity when that
 * does not get in the way. */
static int make_room(struct pk_reader *r, size_t limit)
{
	size_t cap;
	char *p;

	if (r->cap - r->end >= CHUNK)
		return 0;
	if (r->start > 0) {
		memmove(r->buf, r->buf + r->start, r->end - r->start);
		r->end -= r->start;
		r->scan -= r->start;
		r->base += r->start;
		if (r->mode == M_ARRAY) {
			r->epos -= r->start;
			r->eend -= r->start;
		}
		r->start = 0;
		if (r->cap - r->end >= CHUNK)
			return 0;
	}
	if (r->end > SIZE_MAX / 2 - CHUNK)
		return PK_FATAL;
	/* double, so that reading a long line or an array stays linear */
	cap = r->cap * 2;
	if (cap < r->end + CHUNK)
		cap = r->end + CHUNK;
	if (limit && cap > limit)
		cap = limit;
	if (cap < r->end + CHUNK)
		cap = r->end + CHUNK;
	p = realloc(r->buf, cap);
	if (!p)
		return PK_FATAL;
	r->buf = p;
	r->cap = cap;
	return 0;
}

/* Read more input into the buffer.  Returns bytes read (0 at the end) or
 * PK_FATAL with err set. */
static ssize_t fill(struct pk_reader *r, struct pk_error *err)
{
	size_t limit = 0;
	ssize_t got;

	if (r->eof)
		return 0;
	if (r->mapped) {
		size_t step = r->cap - r->end;

		pk_zin_map_release(r->in, r->keep && r->kept < r->start
					  ? r->kept : r->start);
		if (step > MAP_STEP)
			step = MAP_STEP;
		r->end += step;
		if (r->end == r->cap)
			r->eof = 1;
		pk_zin_map_seen(r->in, r->end);
		return (ssize_t)step;
	}
	/* a partial line is never kept once it is longer than max_line + 1
	 * (a '\r' may follow the limit), nor an array element longer than
	 * max_line, so the buffer need not grow past that plus one chunk */
	if (r->max_line)
		limit = r->max_line + 2 + CHUNK;
	if (make_room(r, limit) < 0)
		return pk_nomem(err);
	got = pk_zin_read(r->in, r->buf + r->end, r->cap - r->end, err);
	if (got < 0)
		return PK_FATAL;
	if (got == 0)
		r->eof = 1;
	r->end += (size_t)got;
	return got;
}

struct pk_reader *pk_reader_open(const char *path, size_t max_line,
				 struct pk_error *err)
{
	struct pk_reader *r;

	r = calloc(1, sizeof *r);
	if (!r) {
		pk_nomem(err);
		return NULL;
	}
	r->name = strdup(path ? path : "-");
	if (!r->name) {
		pk_nomem(err);
		goto fail;
	}
	/* so that max_line + 1 and the buffer limit cannot overflow */
	r->max_line = max_line > SIZE_MAX / 4 ? 0 : max_line;
	if (pk_zin_open(&r->in, path, err) != PK_OK)
		goto fail;
	if ((r->buf = (char *)pk_zin_map(r->in, &r->cap)) != NULL) {
		r->mapped = 1;
		return r;
	}
	r->buf = malloc(INITIAL_CAP);
	if (!r->buf) {
		pk_nomem(err);
		goto fail;
	}
	r->cap = INITIAL_CAP;
	return r;
fail:
	if (err)
		err->line = err->column = 0;
	pk_reader_close(r);
	return NULL;
}

/* Consume buf[start..to) of an array file, counting its lines. */
static void consume(struct pk_reader *r, size_t to)
{
	const char *p = r->buf + r->start, *e = r->buf + to;

	while (p < e && (p = memchr(p, '\n', (size_t)(e - p))) != NULL) {
		p++;
		r->aline++;
		r->aline_at = r->base + (size_t)(p - r->buf);
	}
	r->start = r->scan = to;
}

/* Fail at buf[off] (off >= start), by line and column. */
static int array_fail(struct pk_reader *r, size_t off, struct pk_error *err)
{
	consume(r, off);
	return fatal(r, err, r->aline,
		     (unsigned long)(r->base + off - r->aline_at + 1));
}

static int array_error(struct pk_reader *r, size_t off, struct pk_error *err,
		       const char *what)
{
	pk_error_set(err, PK_ERR_DATA, "invalid JSON array: %s", what);
	return array_fail(r, off, err);
}

/* Look for the end of the element at buf[start], from epos on; E_DONE
 * and eend once found.  Only the structure is followed (strings, escapes,
 * brackets): pk_scan_value validates an element within max_line.  A
 * bracket that does not match, or one too deep, ends the element early
 * with ebad set. */
static void find_end(struct pk_reader *r)
{
	const unsigned char *b = (const unsigned char *)r->buf;
	size_t i = r->epos, end = r->end;

	if (r->ekind == E_NONE) {
		unsigned char c = b[r->start];

		r->estr = r->eesc = r->ebad = 0;
		r->edepth = 0;
		i = r->start;
		if (c == '{' || c == '[' || c == '"') {
			r->ekind = E_NESTED;
		} else {
			r->ekind = E_SCALAR;
		}
	}
	if (r->ekind == E_SCALAR) {
		for (; i < end; i++) {
			unsigned char c = b[i];

			if (c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
			    c == ',' || c == ']' || c == '}' || c == '[' ||
			    c == '{' || c == '"')
				break;
		}
		r->epos = i;
		if (i < end) {
			r->ekind = E_DONE;
			r->eend = i;
		}
		return;
	}
	for (; i < end; i++) {
		unsigned char c = b[i];

		if (r->estr) {
			if (r->eesc)
				r->eesc = 0;
			else if (c == '\\')
				r->eesc = 1;
			else if (c == '"') {
				r->estr = 0;
				if (r->edepth == 0)
					goto done;
			}
			continue;
		}
		switch (c) {
		case '"':
			r->estr = 1;
			break;
		case '{':
		case '[':
			if (r->edepth >= PK_MAX_DEPTH) {
				r->ebad = 1;
				goto done;
			}
			if (c == '{')
				r->estack[r->edepth / 8] |=
					(unsigned char)(1u << (r->edepth % 8));
			else
				r->estack[r->edepth / 8] &=
					(unsigned char)~(1u << (r->edepth % 8));
			r->edepth++;
			break;
		case '}':
		case ']':
			r->edepth--;
			if (((r->estack[r->edepth / 8] >> (r->edepth % 8)) & 1) !=
			    (c == '}')) {
				r->ebad = 1;
				goto done;
			}
			if (r->edepth == 0)
				goto done;
			break;
		default:
			break;
		}
	}
	r->epos = i;
	return;
done:
	r->epos = i + 1;
	r->ekind = E_DONE;
	r->eend = i + 1;
}

/* The rest of an element longer than max_line, from buf[start]: passed to
 * sink when not NULL, and consumed. */
static int finish_element(struct pk_reader *r,
			  int (*sink)(void *ctx, const void *p, size_t n),
			  void *ctx, struct pk_error *err)
{
	int rc;

	for (;;) {
		size_t to, from = r->start;

		if (r->ekind != E_DONE)
			find_end(r);
		if (r->ekind == E_DONE && r->ebad) {
			size_t at = r->eend - 1;

			r->rest = REST_NONE;
			if (r->edepth >= PK_MAX_DEPTH)
				pk_error_set(err, PK_ERR_DATA, "invalid JSON: "
					     "maximum nesting depth exceeded (%d)",
					     PK_MAX_DEPTH);
			else
				pk_error_set(err, PK_ERR_DATA, "invalid JSON: "
					     "unexpected character '%c'",
					     r->buf[at]);
			return array_fail(r, at, err);
		}
		to = r->ekind == E_DONE ? r->eend : r->end;
		consume(r, to);
		if (sink && to > from) {
			rc = sink(ctx, r->buf + from, to - from);
			if (rc)
				return rc;
		}
		if (r->ekind == E_DONE) {
			r->rest = REST_NONE;
			r->ekind = E_NONE;
			r->astate = A_AFTER;
			r->ablank = 0;
			return PK_OK;
		}
		if (r->eof) {
			r->rest = REST_NONE;
			return array_error(r, r->end, err,
					   "unexpected end of input");
		}
		if (fill(r, err) < 0)
			return fatal(r, err, r->aline, 0);
	}
}

/* The element at buf[start]: read until its end is found (or it is too
 * long), then validate it. */
static int array_element(struct pk_reader *r, struct pk_line *line,
			 struct pk_error *err)
{
	unsigned long long lineno = r->aline;
	size_t len;
	enum pk_type type;
	int rc;

	r->ekind = E_NONE;
	for (;;) {
		find_end(r);
		if (r->ekind == E_DONE || r->eof)
			break;
		if (r->max_line && r->end - r->start > r->max_line)
			break;
		if (fill(r, err) < 0)
			return fatal(r, err, lineno, 0);
	}
	len = (r->ekind == E_DONE ? r->eend : r->end) - r->start;
	if (r->max_line && len > r->max_line && !(r->ekind == E_DONE && r->ebad)) {
		/* hand out the head; the rest streams by (finish_element) */
		size_t s = r->start;

		if (r->ekind != E_DONE && r->eof)
			r->epos = r->end; /* unfinished: an error once drained */
		consume(r, s + r->max_line);
		r->rest = REST_ELEMENT;
		return too_long(r, line, r->buf + s, lineno, err);
	}
	/* the scanner's column is a 1-based offset into its text */
	len = 0;
	rc = pk_scan_value(r->buf + r->start, r->end - r->start, &len, &type,
			   err);
	if (rc != PK_OK) {
		size_t off = r->start;

		if (rc != PK_BAD_RECORD)
			return fatal(r, err, lineno, 0);
		if (err->column > 0 && err->column - 1 <= r->end - r->start)
			off += err->column - 1;
		return array_fail(r, off, err);
	}
	line->data = r->buf + r->start;
	line->len = len;
	line->lineno = lineno;
	consume(r, r->start + len);
	r->ekind = E_NONE;
	r->astate = A_AFTER;
	r->ablank = 0;
	return PK_OK;
}

static size_t skip_space(const char *p, size_t pos, size_t end)
{
	while (pos < end && (p[pos] == ' ' || p[pos] == '\t' ||
			     p[pos] == '\n' || p[pos] == '\r'))
		pos++;
	return pos;
}

static int array_next(struct pk_reader *r, struct pk_line *line,
		      struct pk_error *err)
{
	size_t pos, end;
	char c;

	for (;;) {
		if (r->astate == A_END)
			return PK_EOF;
		/* blank space, at most max_line bytes of it and the ',' */
		end = r->end;
		if (r->max_line && end - r->start > r->max_line + 1 - r->ablank)
			end = r->start + (r->max_line + 1 - r->ablank);
		pos = skip_space(r->buf, r->start, end);
		r->ablank += pos - r->start;
		if (r->max_line && r->ablank > r->max_line) {
			pk_error_set(err, PK_ERR_DATA, "invalid JSON array: "
				     "blank space too long (more than %zu "
				     "bytes)", r->max_line);
			return array_fail(r, pos - 1, err);
		}
		consume(r, pos);
		if (pos == r->end) {
			if (!r->eof) {
				if (fill(r, err) < 0)
					return fatal(r, err, r->aline, 0);
				continue;
			}
			if (r->astate != A_CLOSED)
				return array_error(r, pos, err,
						   "unexpected end of input");
			r->astate = A_END;
			return PK_EOF;
		}
		c = r->buf[pos];
		switch (r->astate) {
		case A_CLOSED:
			return array_error(r, pos, err,
					   "unexpected data after the array");
		case A_AFTER:
			if (c == ',') {
				r->ablank++;
				consume(r, pos + 1);
				r->astate = A_COMMA;
				continue;
			}
			if (c != ']')
				return array_error(r, pos, err,
						   "expected ',' or ']'");
			/* fall through */
		case A_FIRST:
			if (c == ']') {
				consume(r, pos + 1);
				r->astate = A_CLOSED;
				r->ablank = 0;
				continue;
			}
			return array_element(r, line, err);
		case A_COMMA:
			if (c == ']')
				return array_error(r, pos, err,
						   "expected a value after ','");
			return array_element(r, line, err);
		default:
			return PK_EOF;
		}
	}
}

/* Find out whether this is a JSON array file: drop the BOM and look past
 * blank space.  Leaves mode M_START when a blank line comes first. */
static int detect(struct pk_reader *r, struct pk_error *err)
{
	const char *p, *e;

	if (!r->bom_done) {
		while (r->end - r->start < 3 && !r->eof)
			if (fill(r, err) < 0)
				return fatal(r, err, 1, 0);
		if (r->end - r->start >= 3 &&
		    memcmp(r->buf + r->start, "\xEF\xBB\xBF", 3) == 0)
			r->start = r->scan = r->start + 3;
		r->bom_done = 1;
	}
	for (;;) {
		p = r->buf + r->scan;
		e = r->buf + r->end;
		while (p < e && (*p == ' ' || *p == '\t' || *p == '\r'))
			p++;
		r->scan = (size_t)(p - r->buf);
		if (p < e) {
			if (*p == '\n')
				return PK_OK;
			if (*p != '[') {
				r->mode = M_LINES;
				return PK_OK;
			}
			r->mode = M_ARRAY;
			r->astate = A_FIRST;
			r->aline = r->lineno + 1;
			r->aline_at = r->base + r->start;
			r->ablank = 0;
			r->ekind = E_NONE;
			consume(r, r->scan + 1);
			r->scan = r->start;
			return PK_OK;
		}
		if (r->eof || (r->max_line &&
			       r->end - r->start > r->max_line + 1)) {
			r->mode = M_LINES;
			return PK_OK;
		}
		if (fill(r, err) < 0)
			return fatal(r, err, r->lineno + 1, 0);
	}
}

/* Consume the rest of a long line, passing it to sink when not NULL. */
static int finish_rest(struct pk_reader *r,
		       int (*sink)(void *ctx, const void *p, size_t n),
		       void *ctx, struct pk_error *err)
{
	int rc;

	if (r->rest == REST_ELEMENT)
		return finish_element(r, sink, ctx, err);
	if (r->rest == REST_SLICE) {
		r->rest = REST_NONE;
		if (sink && r->rest_len)
			return sink(ctx, r->buf + r->rest_off, r->rest_len);
		return PK_OK;
	}
	while (r->rest == REST_STREAM) {
		const char *p = r->buf + r->start, *nl;
		size_t n = r->end - r->start;

		nl = memchr(p, '\n', n);
		if (nl) {
			n = (size_t)(nl - p);
			if (n > 0 && nl[-1] == '\r')
				n--;
			r->start = r->scan = (size_t)(nl + 1 - r->buf);
			r->rest = REST_NONE;
		} else if (!r->eof) {
			/* a final '\r' may be half of "\r\n": keep it */
			if (n > 0 && p[n - 1] == '\r')
				n--;
			r->start += n;
			r->scan = r->end;
		} else {
			r->start = r->scan = r->end;
			r->rest = REST_NONE;
		}
		if (sink && n) {
			rc = sink(ctx, p, n);
			if (rc)
				return rc;
		}
		if (r->rest == REST_STREAM && fill(r, err) < 0)
			return fatal(r, err, r->lineno, 0);
	}
	return PK_OK;
}

int pk_reader_next(struct pk_reader *r, struct pk_line *line,
		   struct pk_error *err)
{
	struct pk_error dummy;
	size_t s, len;
	char *nl;
	int rc;

	if (!err)
		err = &dummy;
	if (r->fatal) {
		*err = r->ferr;
		return PK_FATAL;
	}
	if (r->rest != REST_NONE) {
		rc = finish_rest(r, NULL, NULL, err);
		if (rc != PK_OK)
			return rc;
	}
	for (;;) {
		if (r->mode == M_ARRAY)
			return array_next(r, line, err);
		if (r->mode == M_START) {
			if (detect(r, err) != PK_OK)
				return PK_FATAL;
			if (r->mode == M_ARRAY)
				continue;
		}
		nl = memchr(r->buf + r->scan, '\n', r->end - r->scan);
		if (nl) {
			s = r->start;
			len = (size_t)(nl - (r->buf + s));
			r->start = r->scan = (size_t)(nl + 1 - r->buf);
			r->lineno++;
			if (len > 0 && r->buf[s + len - 1] == '\r')
				len--;
		} else if (r->eof) {
			if (r->start == r->end)
				return PK_EOF;
			/* a last line without '\n' */
			s = r->start;
			len = r->end - s;
			r->start = r->scan = r->end;
			r->lineno++;
		} else {
			r->scan = r->end;
			if (r->max_line && r->end - r->start > r->max_line + 1) {
				/* too long whatever follows: hand out the
				 * head now, the rest streams by later */
				s = r->start;
				r->start += r->max_line;
				r->rest = REST_STREAM;
				r->lineno++;
				return too_long(r, line, r->buf + s, r->lineno,
						err);
			}
			if (fill(r, err) < 0)
				return fatal(r, err, r->lineno + 1, 0);
			continue;
		}
		if (r->max_line && len > r->max_line) {
			r->rest = REST_SLICE;
			r->rest_off = s + r->max_line;
			r->rest_len = len - r->max_line;
			return too_long(r, line, r->buf + s, r->lineno, err);
		}
		if (len == 0 || is_blank(r->buf + s, len)) {
			r->blank++;
			continue;
		}
		line->data = r->buf + s;
		line->len = len;
		line->lineno = r->lineno;
		return PK_OK;
	}
}

int pk_reader_drain(struct pk_reader *r,
		    int (*sink)(void *ctx, const void *p, size_t n),
		    void *ctx, struct pk_error *err)
{
	struct pk_error dummy;

	if (!err)
		err = &dummy;
	if (r->fatal) {
		*err = r->ferr;
		return PK_FATAL;
	}
	return finish_rest(r, sink, ctx, err);
}

const char *pk_reader_name(const struct pk_reader *r)
{
	return r->name;
}

unsigned long long pk_reader_blank_lines(const struct pk_reader *r)
{
	return r->blank;
}

unsigned long long pk_reader_bytes_in(const struct pk_reader *r)
{
	return pk_zin_bytes_in(r->in);
}

int pk_reader_is_array(const struct pk_reader *r)
{
	return r->mode == M_ARRAY;
}

int pk_reader_seekable(const struct pk_reader *r)
{
	return pk_zin_seekable(r->in);
}

int pk_reader_mapped(const struct pk_reader *r)
{
	return r->mapped;
}

void pk_reader_keep(struct pk_reader *r)
{
	r->keep = 1;
	r->kept = 0;
}

void pk_reader_release(struct pk_reader *r, const char *p)
{
	if (!r->mapped || (p && (p < r->buf || p > r->buf + r->cap)))
		return;
	r->kept = p ? (size_t)(p - r->buf) : r->cap;
	pk_zin_map_release(r->in, r->kept < r->start ? r->kept : r->start);
}

void pk_reader_close(struct pk_reader *r)
{
	if (!r)
		return;
	if (!r->mapped)
		free(r->buf);
	pk_zin_close(r->in);
	free(r->name);
	free(r);
}
