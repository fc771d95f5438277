/* SPDX-License-Identifier: MIT */
/*
 * tensor.c - arrays from side files, memory-mapped: NumPy .npy (format
 * versions 1.0 to 3.0: magic, header length, a Python dict literal with
 * descr, fortran_order and shape, then the data in C order) and
 * safetensors (an 8-byte header length, a JSON header naming each
 * tensor's dtype, shape and data_offsets, then the data).  Only
 * little-endian floats (f2/bf16/f4/f8) and integers (i4/i8) are taken;
 * everything else is refused with a message that says what it was.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pk_private.h"

struct pk_tensor_file {
	char *path;
	unsigned char *map;
	size_t size;
	struct pk_tensor *t;     /* the tensors: one for .npy */
	size_t nt;
	char **names;
};

static const struct {
	const char *st, *npy;
	enum pk_dtype dt;
	size_t size;
} dtypes[] = {
	{"F16", "f2", PK_DT_F16, 2}, {"BF16", NULL, PK_DT_BF16, 2},
	{"F32", "f4", PK_DT_F32, 4}, {"F64", "f8", PK_DT_F64, 8},
	{"I32", "i4", PK_DT_I32, 4}, {"I64", "i8", PK_DT_I64, 8},
};
#define NDTYPES (sizeof(dtypes) / sizeof(dtypes[0]))

static size_t dtype_size(enum pk_dtype d)
{
	size_t i;

	for (i = 0; i < NDTYPES; i++)
		if (dtypes[i].dt == d)
			return dtypes[i].size;
	return 0;
}

const char *pk_dtype_name(enum pk_dtype d)
{
	size_t i;

	for (i = 0; i < NDTYPES; i++)
		if (dtypes[i].dt == d)
			return dtypes[i].st;
	return "?";
}

void pk_tensor_close(struct pk_tensor_file *f)
{
	size_t i;

	if (!f)
		return;
	if (f->map)
		munmap(f->map, f->size);
	for (i = 0; f->names && i < f->nt; i++)
		free(f->names[i]);
	free(f->names);
	free(f->t);
	free(f->path);
	free(f);
}

static int fail(struct pk_tensor_file *f, struct pk_error *err,
		enum pk_errkind kind, const char *fmt, const char *a,
		unsigned long long x, unsigned long long y)
{
	char msg[200];

	snprintf(msg, sizeof msg, fmt, a, x, y);
	return pk_error_set(err, kind, "%.300s: %s", f->path, msg);
}

/* Open and map path (an empty file maps nothing). */
static struct pk_tensor_file *map_file(const char *path, struct pk_error *err)
{
	struct pk_tensor_file *f = calloc(1, sizeof(*f));
	struct stat st;
	int fd;

	if (!f || !(f->path = strdup(path))) {
		free(f);
		pk_nomem(err);
		return NULL;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0) {
		pk_error_set(err, PK_ERR_IO, "%.300s: %s", path, strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		pk_error_set(err, PK_ERR_USAGE, "%.300s: not a regular file (a side file is memory-mapped)", path);
		goto fail;
	}
	f->size = (size_t)st.st_size;
	if (f->size) {
		f->map = mmap(NULL, f->size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (f->map == MAP_FAILED) {
			f->map = NULL;
			pk_error_set(err, PK_ERR_IO, "%.300s: mmap: %s", path,
				     strerror(errno));
			goto fail;
		}
		madvise(f->map, f->size, MADV_SEQUENTIAL);
	}
	close(fd);
	return f;
fail:
	if (fd >= 0)
		close(fd);
	pk_tensor_close(f);
	return NULL;
}

static uint64_t le(const unsigned char *p, int n)
{
	uint64_t v = 0;
	int i;

	for (i = n - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/* Check that the data of t (at offset off, nbytes long) is all there:
 * the bytes from off to end must be exactly what the shape says. */
static int check_data(struct pk_tensor_file *f, const struct pk_tensor *t,
		      size_t off, size_t end, struct pk_error *err)
{
	size_t es = dtype_size(t->dtype), want;

	if (t->rows && t->cols > SIZE_MAX / t->rows / es)
		return fail(f, err, PK_ERR_USAGE, "%sshape too large", "", 0, 0);
	want = t->rows * t->cols * es;
	if (end - off < want)
		return fail(f, err, PK_ERR_USAGE,
			    "truncated%s: the header says %llu bytes of data, the file has %llu",
			    t->name[0] ? " tensor" : "", want, end - off);
	if (end - off > want)
		return fail(f, err, PK_ERR_USAGE,
			    "shape mismatch%s: the header says %llu bytes of data, the file has %llu",
			    "", want, end - off);
	return PK_OK;
}

/* ------------------------------------------------------------------ */
/* .npy                                                                */
/* ------------------------------------------------------------------ */

/* The value after 'key': in the dict literal h[0..n), or NULL. */
static const char *dict_value(const char *h, size_t n, const char *key)
{
	size_t k = strlen(key), i;

	for (i = 0; i + k + 2 < n; i++) {
		if ((h[i] == '\'' || h[i] == '"') && h[i + k + 1] == h[i] &&
		    memcmp(h + i + 1, key, k) == 0) {
			const char *p = h + i + k + 2;

			while (p < h + n && (*p == ' ' || *p == ':'))
				p++;
			return p < h + n ? p : NULL;
		}
	}
	return NULL;
}

static int npy_header(struct pk_tensor_file *f, const char *h, size_t n,
		      struct pk_tensor *t, struct pk_error *err)
{
	const char *d = dict_value(h, n, "descr"), *fo, *sh, *e = h + n;
	char descr[16];
	size_t i, k;
	unsigned long long dims[3];
	int nd = 0;

	if (!d)
		return fail(f, err, PK_ERR_USAGE, "bad header: no 'descr'%s", "", 0, 0);
	if (*d == '[')
		return fail(f, err, PK_ERR_USAGE, "structured arrays are not supported%s", "", 0, 0);
	if (*d != '\'' && *d != '"')
		return fail(f, err, PK_ERR_USAGE, "bad header: 'descr' is not a string%s", "", 0, 0);
	for (k = 0; d + 1 + k < e && d[1 + k] != *d && k < sizeof descr - 1; k++)
		descr[k] = d[1 + k];
	descr[k] = '\0';
	if (strchr(descr, 'O'))
		return fail(f, err, PK_ERR_USAGE, "object arrays are not supported (descr '%s')", descr, 0, 0);
	if (descr[0] == '>')
		return fail(f, err, PK_ERR_USAGE, "big-endian data is not supported (descr '%s'; use arr.astype('<f4'))", descr, 0, 0);
	t->dtype = 0;
	for (i = 0; i < NDTYPES; i++)
		if (dtypes[i].npy && strchr("<|=", descr[0]) && descr[0] &&
		    strcmp(descr + 1, dtypes[i].npy) == 0)
			t->dtype = dtypes[i].dt;
	if (!t->dtype)
		return fail(f, err, PK_ERR_USAGE, "unsupported dtype '%s' (want <f2, <f4, <f8, or <i4, <i8 for lengths)", descr, 0, 0);
	fo = dict_value(h, n, "fortran_order");
	if (!fo)
		return fail(f, err, PK_ERR_USAGE, "bad header: no 'fortran_order'%s", "", 0, 0);
	if (e - fo >= 4 && memcmp(fo, "True", 4) == 0)
		return fail(f, err, PK_ERR_USAGE, "Fortran-order arrays are not supported%s (use np.ascontiguousarray)", "", 0, 0);
	if (e - fo < 5 || memcmp(fo, "False", 5) != 0)
		return fail(f, err, PK_ERR_USAGE, "bad header: 'fortran_order' is not False%s", "", 0, 0);
	sh = dict_value(h, n, "shape");
	if (!sh || *sh != '(')
		return fail(f, err, PK_ERR_USAGE, "bad header: no 'shape'%s", "", 0, 0);
	for (sh++; sh < e && *sh != ')';) {
		unsigned long long x = 0;

		while (sh < e && (*sh == ' ' || *sh == ','))
			sh++;
		if (sh < e && *sh == ')')
			break;
		if (sh >= e || *sh < '0' || *sh > '9' || nd == 3)
			return fail(f, err, PK_ERR_USAGE, "bad header: bad 'shape'%s", "", 0, 0);
		/* digits within the header only (strtoull could read on past
		 * its end, into the data or beyond the mapping) */
		for (; sh < e && *sh >= '0' && *sh <= '9'; sh++) {
			if (x > (ULLONG_MAX - 9) / 10)
				return fail(f, err, PK_ERR_USAGE, "bad header: bad 'shape'%s", "", 0, 0);
			x = x * 10 + (unsigned long long)(*sh - '0');
		}
		dims[nd++] = x;
	}
	if (nd == 0 || nd > 2)
		return fail(f, err, PK_ERR_USAGE, "arrays of %s%llu dimensions are not supported (want (N, D) or (N,))", "", (unsigned long long)nd, 0);
	t->ndim = nd;
	t->rows = (size_t)dims[0];
	t->cols = nd == 2 ? (size_t)dims[1] : 1;
	if (dims[0] > SIZE_MAX / 16 || (nd == 2 && dims[1] > SIZE_MAX / 16))
		return fail(f, err, PK_ERR_USAGE, "%sshape too large", "", 0, 0);
	t->name = "";
	return PK_OK;
}

struct pk_tensor_file *pk_tensor_open_npy(const char *path,
					  struct pk_error *err)
{
	struct pk_tensor_file *f = map_file(path, err);
	size_t hlen, start;
	int major;

	if (!f)
		return NULL;
	if (f->size < 10 || memcmp(f->map, "\x93NUMPY", 6) != 0) {
		fail(f, err, PK_ERR_USAGE, "not a .npy file (bad magic)%s", "", 0, 0);
		goto fail;
	}
	major = f->map[6];
	if (major < 1 || major > 3) {
		fail(f, err, PK_ERR_USAGE, "unsupported .npy format version %s%llu.%llu", "", (unsigned long long)major, f->map[7]);
		goto fail;
	}
	if (major == 1) {
		hlen = (size_t)le(f->map + 8, 2);
		start = 10;
	} else {
		if (f->size < 12) {
			fail(f, err, PK_ERR_USAGE, "truncated header%s", "", 0, 0);
			goto fail;
		}
		hlen = (size_t)le(f->map + 8, 4);
		start = 12;
	}
	if (hlen > PK_NPY_HEADER_MAX) {
		fail(f, err, PK_ERR_USAGE, "header of %s%llu bytes is over the limit of %llu", "", hlen, PK_NPY_HEADER_MAX);
		goto fail;
	}
	if (f->size - start < hlen) {
		fail(f, err, PK_ERR_USAGE, "truncated header%s", "", 0, 0);
		goto fail;
	}
	f->t = calloc(1, sizeof(*f->t));
	if (!f->t) {
		pk_nomem(err);
		goto fail;
	}
	f->nt = 1;
	if (npy_header(f, (const char *)f->map + start, hlen, f->t, err) < 0 ||
	    check_data(f, f->t, start + hlen, f->size, err) < 0)
		goto fail;
	f->t->data = f->map + start + hlen;
	return f;
fail:
	pk_tensor_close(f);
	return NULL;
}

/* ------------------------------------------------------------------ */
/* safetensors                                                         */
/* ------------------------------------------------------------------ */

static int st_tensor(struct pk_tensor_file *f, const char *name, json_t *v,
		     size_t base, struct pk_tensor *t, struct pk_error *err)
{
	json_t *dt = json_object_get(v, "dtype"), *shape = json_object_get(v, "shape");
	json_t *offs = json_object_get(v, "data_offsets");
	size_t i, n;
	json_int_t b, e;

	if (!json_is_string(dt) || !json_is_array(shape) ||
	    !json_is_array(offs) || json_array_size(offs) != 2 ||
	    !json_is_integer(json_array_get(offs, 0)) ||
	    !json_is_integer(json_array_get(offs, 1)))
		return fail(f, err, PK_ERR_USAGE, "bad header: tensor '%s' lacks dtype, shape or data_offsets", name, 0, 0);
	t->dtype = 0;
	for (i = 0; i < NDTYPES; i++)
		if (strcmp(json_string_value(dt), dtypes[i].st) == 0)
			t->dtype = dtypes[i].dt;
	if (!t->dtype) {
		char msg[200];

		snprintf(msg, sizeof msg, "%.40s' has dtype %.20s (want F16, BF16, F32, F64; I32, I64 for lengths)", name, json_string_value(dt));
		return fail(f, err, PK_ERR_USAGE, "tensor '%s", msg, 0, 0);
	}
	n = json_array_size(shape);
	t->ndim = (int)n;
	t->rows = 1;
	t->cols = 1;
	for (i = 0; i < n; i++) {
		json_t *x = json_array_get(shape, i);

		if (!json_is_integer(x) || json_integer_value(x) < 0 ||
		    (unsigned long long)json_integer_value(x) > SIZE_MAX / 16)
			return fail(f, err, PK_ERR_USAGE, "bad header: tensor '%s' has a bad shape", name, 0, 0);
		if (i == 0)
			t->rows = (size_t)json_integer_value(x);
		else if (i == 1)
			t->cols = (size_t)json_integer_value(x);
	}
	b = json_integer_value(json_array_get(offs, 0));
	e = json_integer_value(json_array_get(offs, 1));
	if (b < 0 || e < b)
		return fail(f, err, PK_ERR_USAGE, "bad header: tensor '%s' has bad data_offsets", name, 0, 0);
	if ((unsigned long long)e > f->size - base)
		return fail(f, err, PK_ERR_USAGE, "truncated: tensor '%s' ends at byte %llu of the data, the file has %llu", name, (unsigned long long)e, f->size - base);
	t->name = name;
	if (n >= 1 && n <= 2) {
		size_t es = dtype_size(t->dtype);
		unsigned long long want;
		char msg[200];

		if (t->rows && t->cols > SIZE_MAX / t->rows / es)
			return fail(f, err, PK_ERR_USAGE, "tensor '%s': shape too large", name, 0, 0);
		want = (unsigned long long)t->rows * t->cols * es;
		if (want != (unsigned long long)(e - b)) {
			if (n == 2)
				snprintf(msg, sizeof msg, "%.60s' of shape [%zu, %zu]", name, t->rows, t->cols);
			else
				snprintf(msg, sizeof msg, "%.60s' of shape [%zu]", name, t->rows);
			return fail(f, err, PK_ERR_USAGE, "shape mismatch: tensor '%s needs %llu bytes, its data_offsets give %llu", msg, want, (unsigned long long)(e - b));
		}
	}
	t->data = f->map + base + b;
	return PK_OK;
}

struct pk_tensor_file *pk_tensor_open_safetensors(const char *path,
						  struct pk_error *err)
{
	struct pk_tensor_file *f = map_file(path, err);
	json_t *h = NULL, *v;
	json_error_t je;
	const char *key;
	uint64_t hlen;
	size_t k = 0;

	if (!f)
		return NULL;
	if (f->size < 8) {
		fail(f, err, PK_ERR_USAGE, "not a safetensors file (%s%llu bytes)", "", f->size, 0);
		goto fail;
	}
	hlen = le(f->map, 8);
	if (hlen > PK_SAFETENSORS_HEADER_MAX) {
		fail(f, err, PK_ERR_USAGE, "header of %s%llu bytes is over the limit of %llu", "", hlen, PK_SAFETENSORS_HEADER_MAX);
		goto fail;
	}
	if (hlen > f->size - 8) {
		fail(f, err, PK_ERR_USAGE, "truncated header: %s%llu bytes, the file has %llu after the length", "", hlen, f->size - 8);
		goto fail;
	}
	if (hlen == 0 || f->map[8] != '{') {
		fail(f, err, PK_ERR_USAGE, "not a safetensors file (bad magic: the header is not a JSON object)%s", "", 0, 0);
		goto fail;
	}
	h = json_loadb((const char *)f->map + 8, (size_t)hlen,
		       JSON_REJECT_DUPLICATES, &je);
	if (!h || !json_is_object(h)) {
		fail(f, err, PK_ERR_USAGE, "bad header: %s", h ? "not a JSON object" : je.text, 0, 0);
		goto fail;
	}
	f->t = calloc(json_object_size(h) + 1, sizeof(*f->t));
	f->names = calloc(json_object_size(h) + 1, sizeof(*f->names));
	if (!f->t || !f->names) {
		pk_nomem(err);
		goto fail;
	}
	json_object_foreach(h, key, v) {
		if (strcmp(key, "__metadata__") == 0)
			continue;
		if (!json_is_object(v)) {
			fail(f, err, PK_ERR_USAGE, "bad header: '%s' is not an object", key, 0, 0);
			goto fail;
		}
		f->names[k] = strdup(key);
		if (!f->names[k]) {
			pk_nomem(err);
			goto fail;
		}
		f->nt = ++k;
		if (st_tensor(f, f->names[k - 1], v, 8 + (size_t)hlen,
			      &f->t[k - 1], err) < 0)
			goto fail;
	}
	json_decref(h);
	return f;
fail:
	json_decref(h);
	pk_tensor_close(f);
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Access                                                               */
/* ------------------------------------------------------------------ */

const char *pk_tensor_path(const struct pk_tensor_file *f)
{
	return f->path;
}

int pk_tensor_get(const struct pk_tensor_file *f, const char *name,
		  struct pk_tensor *t, struct pk_error *err)
{
	size_t i;

	for (i = 0; i < f->nt; i++) {
		if (name && strcmp(f->t[i].name, name) != 0)
			continue;
		if (f->t[i].ndim < 1 || f->t[i].ndim > 2)
			return pk_error_set(err, PK_ERR_USAGE,
					    "%.300s: tensor '%s' has %d dimensions (want (N, D) or (N,))",
					    f->path, f->t[i].name, f->t[i].ndim);
		*t = f->t[i];
		return PK_OK;
	}
	return PK_EOF;
}

double pk_half_to_double(uint16_t h)
{
	int e = h >> 10 & 0x1f;
	double m = h & 0x3ff, x;

	if (e == 0x1f)
		x = m ? NAN : INFINITY;
	else if (e == 0)
		x = ldexp(m, -24);
	else
		x = ldexp(m + 1024, e - 25);
	return h & 0x8000 ? -x : x;
}

double pk_bf16_to_double(uint16_t h)
{
	uint32_t u = (uint32_t)h << 16;
	float x;

	memcpy(&x, &u, sizeof x);
	return x;
}

void pk_tensor_row(const struct pk_tensor *t, size_t i, double *out)
{
	size_t j, n = t->cols;
	const unsigned char *p = t->data + i * n * dtype_size(t->dtype);

	switch (t->dtype) {
	case PK_DT_F16:
		for (j = 0; j < n; j++)
			out[j] = pk_half_to_double((uint16_t)(p[2 * j] | p[2 * j + 1] << 8));
		break;
	case PK_DT_BF16:
		for (j = 0; j < n; j++)
			out[j] = pk_bf16_to_double((uint16_t)(p[2 * j] | p[2 * j + 1] << 8));
		break;
	case PK_DT_F32:
		for (j = 0; j < n; j++) {
			float x;

			memcpy(&x, p + 4 * j, 4);
			out[j] = x;
		}
		break;
	case PK_DT_F64:
		memcpy(out, p, n * 8);
		break;
	default: /* integers: as doubles */
		for (j = 0; j < n; j++)
			out[j] = t->dtype == PK_DT_I32
					 ? (double)(int32_t)le(p + 4 * j, 4)
					 : (double)(int64_t)le(p + 8 * j, 8);
		break;
	}
}

int pk_tensor_int(const struct pk_tensor *t, size_t i, long long *v)
{
	double x;

	if (i >= t->rows * t->cols)
		return PK_BAD_RECORD;
	if (t->dtype == PK_DT_I32) {
		*v = (int32_t)le(t->data + 4 * i, 4);
		return PK_OK;
	}
	if (t->dtype == PK_DT_I64) {
		*v = (long long)(int64_t)le(t->data + 8 * i, 8);
		return PK_OK;
	}
	pk_tensor_row(&(struct pk_tensor){t->dtype, 1, 1, 1,
					  t->data + i * dtype_size(t->dtype),
					  t->name},
		      0, &x);
	/* whole and within long long (the cast of any other is undefined) */
	if (!(x >= -0x1p63 && x < 0x1p63) || x != floor(x))
		return PK_BAD_RECORD;
	*v = (long long)x;
	return PK_OK;
}
