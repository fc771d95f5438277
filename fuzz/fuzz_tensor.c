/* SPDX-License-Identifier: MIT */
/*
 * fuzz_tensor.c - libFuzzer target for the side-file readers of
 * lib/tensor.c: the .npy header (magic, version, header length, the dict
 * literal) and the safetensors header (length, JSON, dtypes, shapes,
 * data_offsets), and the row and integer readers on what they accept.
 *
 * Input: byte 0 picks the reader (bit 0: safetensors); the rest is the
 * file, written to a memfd (or a temporary file) and opened by path.
 * Checked, against this target's own reading of the same bytes (in the
 * input buffer, which the sanitizers watch, unlike the mapping):
 *  - .npy accepted: version 1 to 3, the data is the rest of the file after
 *    the header and exactly rows x cols elements of the dtype;
 *  - safetensors: accepted if and only if the header is valid by this
 *    target's rules (SPEC: dtype, shape, data_offsets within the file and
 *    of the size of the shape), each tensor found by name with its dtype,
 *    shape and data; a name not there is PK_EOF;
 *  - every element read by pk_tensor_row is the value decoded here (f16
 *    and bf16 through float bit patterns, not the library's arithmetic),
 *    and pk_tensor_int gives the integers of I32/I64 and the whole values
 *    of float arrays.
 */
#include "config.h"

#include <fcntl.h>
#include <jansson.h>
#include <math.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz.h"

#define T "fuzz_tensor"

static uint64_t le(const uint8_t *p, int n)
{
	uint64_t v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

static size_t esize(enum pk_dtype d)
{
	switch (d) {
	case PK_DT_F16: case PK_DT_BF16: return 2;
	case PK_DT_F32: case PK_DT_I32: return 4;
	case PK_DT_F64: case PK_DT_I64: return 8;
	}
	fz_fail(T, "a tensor of an unknown dtype", NULL, 0);
	return 0;
}

static double f32_bits(uint32_t u)
{
	float x;

	memcpy(&x, &u, 4);
	return x;
}

/* IEEE half through the float of the same value. */
static double half(uint16_t h)
{
	uint32_t s = (uint32_t)(h >> 15) << 31, e = h >> 10 & 31, m = h & 1023;

	if (e == 31)
		return f32_bits(s | 0x7f800000u | m << 13);
	if (e == 0) /* subnormal: m x 2^-24, exact in a double */
		return (s ? -1.0 : 1.0) * (double)m / 16777216.0;
	return f32_bits(s | (e - 15 + 127) << 23 | m << 13);
}

/* Element k of the data at p. */
static double elem(enum pk_dtype d, const uint8_t *p, size_t k)
{
	uint64_t u;
	double x;

	switch (d) {
	case PK_DT_F16: return half((uint16_t)le(p + 2 * k, 2));
	case PK_DT_BF16: return f32_bits((uint32_t)le(p + 2 * k, 2) << 16);
	case PK_DT_F32: return f32_bits((uint32_t)le(p + 4 * k, 4));
	case PK_DT_F64:
		u = le(p + 8 * k, 8);
		memcpy(&x, &u, 8);
		return x;
	case PK_DT_I32: return (double)(int32_t)(uint32_t)le(p + 4 * k, 4);
	case PK_DT_I64: return (double)(int64_t)le(p + 8 * k, 8);
	}
	return 0;
}

static int same(double a, double b)
{
	return (isnan(a) && isnan(b)) ||
	       (a == b && signbit(a) == signbit(b));
}

/* Every element of t against the bytes at want (the input's copy). */
static void check_values(const struct pk_tensor *t, const uint8_t *want)
{
	double *row = malloc((t->cols ? t->cols : 1) * sizeof *row);
	size_t i, j, n = t->rows * t->cols;
	long long v;
	int rc;

	if (!row)
		abort();
	/* at most 4096 elements (a shape may be large and the data small
	 * only when the other side is 0) */
	for (i = 0; i < t->rows && i * t->cols < 4096; i++) {
		pk_tensor_row(t, i, row);
		for (j = 0; j < t->cols; j++)
			if (!same(row[j], elem(t->dtype, want, i * t->cols + j)))
				fz_fail(T, "pk_tensor_row read a wrong value",
					NULL, 0);
	}
	for (i = 0; t->ndim == 1 && i < n && i < 4096; i++) {
		double x = elem(t->dtype, want, i);

		rc = pk_tensor_int(t, i, &v);
		if (t->dtype == PK_DT_I32 || t->dtype == PK_DT_I64) {
			if (rc != PK_OK || (double)v != x)
				fz_fail(T, "pk_tensor_int misread an integer",
					NULL, 0);
			if (t->dtype == PK_DT_I64 &&
			    (uint64_t)v != le(want + 8 * i, 8))
				fz_fail(T, "pk_tensor_int misread an I64", NULL,
					0);
		} else if (rc == PK_OK) {
			if ((double)v != x)
				fz_fail(T, "pk_tensor_int changed a value",
					NULL, 0);
		} else if (x == floor(x) && fabs(x) < 0x1p62) {
			fz_fail(T, "pk_tensor_int refused a whole value", NULL,
				0);
		}
	}
	if (pk_tensor_int(t, n, &v) != PK_BAD_RECORD)
		fz_fail(T, "pk_tensor_int read past the end", NULL, 0);
	free(row);
}

/* The file: a memfd where there is one, else a temporary file. */
static int make_file(const uint8_t *data, size_t size, char *path,
		     size_t pathlen, int *unlink_it)
{
	int fd = -1;
	size_t off = 0;

	*unlink_it = 0;
#ifdef MFD_CLOEXEC
	fd = memfd_create(T, MFD_CLOEXEC);
	if (fd >= 0)
		snprintf(path, pathlen, "/proc/self/fd/%d", fd);
	if (fd >= 0 && access(path, R_OK) != 0) {
		close(fd);
		fd = -1;
	}
#endif
	if (fd < 0) {
		const char *dir = getenv("TMPDIR");

		snprintf(path, pathlen, "%s/fuzz_tensor.XXXXXX",
			 dir && *dir ? dir : "/tmp");
		if ((fd = mkstemp(path)) < 0)
			return -1;
		*unlink_it = 1;
	}
	while (off < size) {
		ssize_t k = write(fd, data + off, size - off);

		if (k <= 0) {
			close(fd);
			if (*unlink_it)
				unlink(path);
			return -1;
		}
		off += (size_t)k;
	}
	return fd;
}

static void npy(const char *path, const uint8_t *d, size_t n)
{
	struct pk_error err;
	struct pk_tensor_file *f = pk_tensor_open_npy(path, &err);
	struct pk_tensor t;
	size_t start, hlen;

	if (!f) {
		if (err.kind != PK_ERR_USAGE || !err.text[0])
			fz_fail(T, "a .npy file refused without a message",
				err.text, strlen(err.text));
		return;
	}
	if (n < 10 || memcmp(d, "\x93NUMPY", 6) != 0 || d[6] < 1 || d[6] > 3)
		fz_fail(T, "accepted a file that is not .npy 1 to 3", NULL, 0);
	start = d[6] == 1 ? 10 : 12;
	hlen = (size_t)le(d + 8, d[6] == 1 ? 2 : 4);
	if (start + hlen > n || hlen > PK_NPY_HEADER_MAX)
		fz_fail(T, "accepted a truncated or over-long header", NULL, 0);
	if (pk_tensor_get(f, NULL, &t, &err) != PK_OK)
		fz_fail(T, "no array in an accepted .npy file", err.text,
			strlen(err.text));
	if (t.ndim < 1 || t.ndim > 2 || (t.ndim == 1 && t.cols != 1) ||
	    t.rows * t.cols * esize(t.dtype) != n - start - hlen ||
	    t.dtype == PK_DT_BF16)
		fz_fail(T, "the array is not the rest of the file", NULL, 0);
	if (t.rows && t.cols)
		check_values(&t, d + start + hlen);
	pk_tensor_close(f);
}

static const struct {
	const char *name;
	enum pk_dtype dt;
} st_types[] = {
	{"F16", PK_DT_F16}, {"BF16", PK_DT_BF16}, {"F32", PK_DT_F32},
	{"F64", PK_DT_F64}, {"I32", PK_DT_I32}, {"I64", PK_DT_I64},
};

/* This target's reading of one tensor's entry: 1 valid (t filled, its
 * data offset in *b), 0 not. */
static int st_entry(json_t *v, size_t datalen, struct pk_tensor *t,
		    size_t *b)
{
	json_t *dt = json_object_get(v, "dtype");
	json_t *shape = json_object_get(v, "shape");
	json_t *offs = json_object_get(v, "data_offsets");
	json_int_t ob, oe;
	size_t i;
	unsigned long long want = 1;
	int big = 0;

	if (!json_is_object(v) || !json_is_string(dt) || !json_is_array(shape) ||
	    !json_is_array(offs) || json_array_size(offs) != 2 ||
	    !json_is_integer(json_array_get(offs, 0)) ||
	    !json_is_integer(json_array_get(offs, 1)))
		return 0;
	t->dtype = 0;
	for (i = 0; i < sizeof st_types / sizeof st_types[0]; i++)
		if (strcmp(json_string_value(dt), st_types[i].name) == 0)
			t->dtype = st_types[i].dt;
	if (!t->dtype)
		return 0;
	t->ndim = (int)json_array_size(shape);
	t->rows = t->cols = 1;
	for (i = 0; i < json_array_size(shape); i++) {
		json_t *x = json_array_get(shape, i);

		if (!json_is_integer(x) || json_integer_value(x) < 0 ||
		    (unsigned long long)json_integer_value(x) > SIZE_MAX / 16)
			return 0;
		if (i == 0)
			t->rows = (size_t)json_integer_value(x);
		if (i == 1)
			t->cols = (size_t)json_integer_value(x);
	}
	ob = json_integer_value(json_array_get(offs, 0));
	oe = json_integer_value(json_array_get(offs, 1));
	if (ob < 0 || oe < ob || (unsigned long long)oe > datalen)
		return 0;
	*b = (size_t)ob;
	if (t->ndim < 1 || t->ndim > 2)
		return 1; /* opened; pk_tensor_get refuses it */
	/* rows x cols x size, in 128 bits */
	{
		unsigned __int128 p = (unsigned __int128)t->rows * t->cols *
				      esize(t->dtype);

		big = p > (unsigned __int128)SIZE_MAX;
		want = (unsigned long long)p;
	}
	if (big && t->rows)
		return 0;
	return want == (unsigned long long)(oe - ob);
}

static void safetensors(const char *path, const uint8_t *d, size_t n)
{
	struct pk_error err;
	struct pk_tensor_file *f = pk_tensor_open_safetensors(path, &err);
	struct pk_tensor t, mine;
	json_t *h = NULL, *v;
	json_error_t je;
	const char *key;
	uint64_t hlen = n >= 8 ? le(d, 8) : 0;
	size_t b;
	int valid = n >= 8 && hlen <= PK_SAFETENSORS_HEADER_MAX &&
		    hlen <= n - 8 && hlen > 0 && d[8] == '{';

	if (valid) {
		h = json_loadb((const char *)d + 8, (size_t)hlen,
			       JSON_REJECT_DUPLICATES, &je);
		valid = json_is_object(h);
	}
	if (valid)
		json_object_foreach(h, key, v)
			if (strcmp(key, "__metadata__") != 0 &&
			    !st_entry(v, n - 8 - (size_t)hlen, &mine, &b))
				valid = 0;
	if (!f != !valid)
		fz_fail(T, f ? "accepted a safetensors file that is not valid"
			     : "refused a valid safetensors file",
			f ? NULL : err.text, f ? 0 : strlen(err.text));
	if (!f) {
		if (err.kind != PK_ERR_USAGE || !err.text[0])
			fz_fail(T, "refused without a message", NULL, 0);
		json_decref(h);
		return;
	}
	json_object_foreach(h, key, v) {
		int rc;

		if (strcmp(key, "__metadata__") == 0)
			continue;
		st_entry(v, n - 8 - (size_t)hlen, &mine, &b);
		rc = pk_tensor_get(f, key, &t, &err);
		if (mine.ndim < 1 || mine.ndim > 2) {
			if (rc != PK_FATAL || err.kind != PK_ERR_USAGE)
				fz_fail(T, "a tensor of 0 or 3+ dimensions got",
					key, strlen(key));
			continue;
		}
		if (rc != PK_OK)
			fz_fail(T, "a tensor of the header not found", key,
				strlen(key));
		if (strcmp(t.name, key) != 0 || t.dtype != mine.dtype ||
		    t.ndim != mine.ndim || t.rows != mine.rows ||
		    t.cols != mine.cols)
			fz_fail(T, "a tensor's name, dtype or shape differs", key,
				strlen(key));
		if (t.rows && t.cols)
			check_values(&t, d + 8 + hlen + b);
	}
	if (pk_tensor_get(f, "\x01 not a tensor", &t, &err) != PK_EOF)
		fz_fail(T, "a missing tensor found", NULL, 0);
	if (strcmp(pk_tensor_path(f), path) != 0)
		fz_fail(T, "pk_tensor_path", NULL, 0);
	json_decref(h);
	pk_tensor_close(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f = {data, size};
	unsigned b0 = fz_byte(&f);
	char path[256];
	int unlink_it, fd;

	fd = make_file(f.p, f.n, path, sizeof path, &unlink_it);
	if (fd < 0)
		fz_fail(T, "cannot write the input to a file", NULL, 0);
	if (b0 & 1)
		safetensors(path, f.p, f.n);
	else
		npy(path, f.p, f.n);
	close(fd);
	if (unlink_it)
		unlink(path);
	return 0;
}
