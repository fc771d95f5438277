/* SPDX-License-Identifier: MIT */
/*
 * test_tensor.c - the side-file readers (lib/tensor.c) on files this test
 * writes byte by byte: .npy versions 1 to 3 of every dtype, safetensors of
 * every dtype with several tensors, half and bfloat16 bit patterns worked
 * out by hand, and every kind of broken file, each refused with its own
 * message.
 */
#include "config.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <unistd.h>

#include "pk_private.h"
#include "test.h"

static char path[256];

static void put(const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");

	fwrite(p, 1, n, f);
	fclose(f);
}

/* A .npy file: magic, version, header length, dict padded to 64, data. */
static size_t npy(unsigned char *out, int version, const char *dict,
		  const void *data, size_t n)
{
	size_t pre = version == 1 ? 10 : 12, dl = strlen(dict), hl, i;

	hl = dl + 1;
	while ((pre + hl) % 64)
		hl++;
	memcpy(out, "\x93NUMPY", 6);
	out[6] = (unsigned char)version;
	out[7] = 0;
	for (i = 0; i < (version == 1 ? 2u : 4u); i++)
		out[8 + i] = (unsigned char)(hl >> (8 * i));
	memcpy(out + pre, dict, dl);
	memset(out + pre + dl, ' ', hl - dl - 1);
	out[pre + hl - 1] = '\n';
	if (n)
		memcpy(out + pre + hl, data, n);
	return pre + hl + n;
}

static const char *open_err(const char *dict, const void *data, size_t n,
			    int version, struct pk_error *err)
{
	unsigned char buf[4096];
	struct pk_tensor_file *f;

	put(buf, npy(buf, version, dict, data, n));
	f = pk_tensor_open_npy(path, err);
	if (f) {
		pk_tensor_close(f);
		return "(opened)";
	}
	return strchr(err->text, ' ') + 1; /* after "PATH: " */
}

static void test_half(void)
{
	CHECK(pk_half_to_double(0x3c00) == 1);
	CHECK(pk_half_to_double(0xc000) == -2);
	CHECK(pk_half_to_double(0x3555) == 0.333251953125);
	CHECK(pk_half_to_double(0x0001) == ldexp(1, -24));
	CHECK(pk_half_to_double(0x03ff) == ldexp(1023, -24));
	CHECK(pk_half_to_double(0x7bff) == 65504);
	CHECK(isinf(pk_half_to_double(0x7c00)));
	CHECK(isnan(pk_half_to_double(0x7e00)));
	CHECK(pk_bf16_to_double(0x3f80) == 1);
	CHECK(pk_bf16_to_double(0x4049) == 3.140625);
	CHECK(pk_bf16_to_double(0xbf00) == -0.5);
}

static void test_npy_ok(void)
{
	const float f4[6] = {1, 2.5f, -3, 0.1f, 5, 6};
	const double f8[2] = {0.1, -1e300};
	const uint16_t f2[4] = {0x3c00, 0xc000, 0x3555, 0x0001};
	const int32_t i4[3] = {7, -1, 2147483647};
	const int64_t i8[2] = {INT64_C(1) << 40, -5};
	unsigned char buf[4096];
	struct pk_error err = {0};
	struct pk_tensor_file *f;
	struct pk_tensor t;
	double row[3];
	long long v;

	put(buf, npy(buf, 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", f4, sizeof f4));
	f = pk_tensor_open_npy(path, &err);
	CHECK(f != NULL);
	CHECK_INT(pk_tensor_get(f, NULL, &t, &err), PK_OK);
	CHECK_INT(t.dtype, PK_DT_F32);
	CHECK_INT(t.ndim, 2);
	CHECK_INT(t.rows, 2);
	CHECK_INT(t.cols, 3);
	pk_tensor_row(&t, 1, row);
	CHECK(row[0] == (double)0.1f && row[1] == 5 && row[2] == 6);
	pk_tensor_close(f);

	put(buf, npy(buf, 2, "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 2), }", f8, sizeof f8));
	f = pk_tensor_open_npy(path, &err);
	pk_tensor_get(f, NULL, &t, &err);
	pk_tensor_row(&t, 0, row);
	CHECK(row[0] == 0.1 && row[1] == -1e300);
	pk_tensor_close(f);

	put(buf, npy(buf, 3, "{\"descr\": \"<f2\", \"fortran_order\": False, \"shape\": (2, 2)}", f2, sizeof f2));
	f = pk_tensor_open_npy(path, &err);
	CHECK(f != NULL);
	pk_tensor_get(f, NULL, &t, &err);
	pk_tensor_row(&t, 1, row);
	CHECK(row[0] == 0.333251953125 && row[1] == ldexp(1, -24));
	pk_tensor_close(f);

	put(buf, npy(buf, 1, "{'descr': '<i4', 'fortran_order': False, 'shape': (3,), }", i4, sizeof i4));
	f = pk_tensor_open_npy(path, &err);
	pk_tensor_get(f, NULL, &t, &err);
	CHECK_INT(t.ndim, 1);
	CHECK(pk_tensor_int(&t, 2, &v) == PK_OK && v == 2147483647);
	CHECK(pk_tensor_int(&t, 1, &v) == PK_OK && v == -1);
	CHECK_INT(pk_tensor_int(&t, 3, &v), PK_BAD_RECORD);
	pk_tensor_close(f);

	put(buf, npy(buf, 1, "{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }", i8, sizeof i8));
	f = pk_tensor_open_npy(path, &err);
	pk_tensor_get(f, NULL, &t, &err);
	CHECK(pk_tensor_int(&t, 0, &v) == PK_OK && v == (1LL << 40));
	pk_tensor_close(f);

	/* zero rows is a valid array */
	put(buf, npy(buf, 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (0, 3), }", NULL, 0));
	f = pk_tensor_open_npy(path, &err);
	CHECK(f != NULL);
	pk_tensor_close(f);
}

static void test_npy_bad(void)
{
	const float f4[12] = {1, 2, 3, 4, 5, 6}; /* 48 bytes: room for the object array */
	unsigned char buf[200000];
	struct pk_error err = {0};
	size_t n;

	CHECK_STR(open_err("{'descr': '|O', 'fortran_order': False, 'shape': (2, 3), }", f4, 48, 1, &err),
		  "object arrays are not supported (descr '|O')");
	CHECK_INT(err.kind, PK_ERR_USAGE);
	CHECK_STR(open_err("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }", f4, 24, 1, &err),
		  "Fortran-order arrays are not supported (use np.ascontiguousarray)");
	CHECK_STR(open_err("{'descr': '>f4', 'fortran_order': False, 'shape': (2, 3), }", f4, 24, 1, &err),
		  "big-endian data is not supported (descr '>f4'; use arr.astype('<f4'))");
	CHECK_STR(open_err("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,), }", f4, 8, 1, &err),
		  "structured arrays are not supported");
	CHECK_STR(open_err("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", f4, 20, 1, &err),
		  "truncated: the header says 24 bytes of data, the file has 20");
	CHECK_STR(open_err("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }", f4, 24, 1, &err),
		  "shape mismatch: the header says 16 bytes of data, the file has 24");
	CHECK_STR(open_err("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2, 3), }", f4, 24, 1, &err),
		  "arrays of 3 dimensions are not supported (want (N, D) or (N,))");
	CHECK_STR(open_err("{'descr': '<f4', 'fortran_order': False, 'shape': (), }", f4, 4, 1, &err),
		  "arrays of 0 dimensions are not supported (want (N, D) or (N,))");
	CHECK_STR(open_err("{'descr': '<c8', 'fortran_order': False, 'shape': (3,), }", f4, 24, 1, &err),
		  "unsupported dtype '<c8' (want <f2, <f4, <f8, or <i4, <i8 for lengths)");
	CHECK_STR(open_err("{'fortran_order': False, 'shape': (3,), }", f4, 24, 1, &err),
		  "bad header: no 'descr'");
	CHECK_STR(open_err("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", f4, 24, 4, &err),
		  "unsupported .npy format version 4.0");
	/* a header over the limit (version 2: four-byte length) */
	memset(buf, ' ', sizeof buf);
	n = npy(buf, 2, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", f4, 24);
	buf[8] = 0x10; /* header length 0x00012710 = 75536 */
	buf[9] = 0x27;
	buf[10] = 0x01;
	buf[11] = 0;
	put(buf, n);
	CHECK(pk_tensor_open_npy(path, &err) == NULL);
	CHECK(strstr(err.text, "header of 75536 bytes is over the limit of 65536") != NULL);
	put("\x93NUMPZ\x01\x00", 8);
	CHECK(pk_tensor_open_npy(path, &err) == NULL);
	CHECK(strstr(err.text, "not a .npy file (bad magic)") != NULL);
	put("", 0);
	CHECK(pk_tensor_open_npy(path, &err) == NULL);
	CHECK(strstr(err.text, "not a .npy file (bad magic)") != NULL);
	CHECK(pk_tensor_open_npy("/nonexistent/x.npy", &err) == NULL);
	CHECK_INT(err.kind, PK_ERR_IO);
	CHECK(pk_tensor_open_npy("/", &err) == NULL);
	CHECK_INT(err.kind, PK_ERR_USAGE);
}

/* A safetensors file: 8-byte length, header, data. */
static size_t st(unsigned char *out, const char *header, const void *data,
		 size_t n)
{
	size_t hl = strlen(header), i;

	for (i = 0; i < 8; i++)
		out[i] = (unsigned char)((uint64_t)hl >> (8 * i));
	memcpy(out + 8, header, hl);
	memcpy(out + 8 + hl, data, n);
	return 8 + hl + n;
}

static void test_safetensors(void)
{
	/* chosen: F16 (2,2) at 0..8; rejected: BF16 (2,2) at 8..16;
	 * len_chosen I32 (2,) at 16..24; len_rejected I64 (2,) at 24..40;
	 * x: F64 (1,1) at 40..48 */
	const unsigned char data[48] = {
		0x00, 0x3c, 0x00, 0xc0, 0x55, 0x35, 0x01, 0x00,
		0x80, 0x3f, 0x49, 0x40, 0x00, 0xbf, 0x00, 0x00,
		3, 0, 0, 0, 0xff, 0xff, 0xff, 0xff,
		9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
		0, 0, 0, 0, 0, 0, 0xf0, 0x3f};
	const char *h = "{\"__metadata__\":{\"a\":\"b\"},"
			"\"chosen\":{\"dtype\":\"F16\",\"shape\":[2,2],\"data_offsets\":[0,8]},"
			"\"rejected\":{\"dtype\":\"BF16\",\"shape\":[2,2],\"data_offsets\":[8,16]},"
			"\"len_chosen\":{\"dtype\":\"I32\",\"shape\":[2],\"data_offsets\":[16,24]},"
			"\"len_rejected\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[24,40]},"
			"\"x\":{\"dtype\":\"F64\",\"shape\":[1,1],\"data_offsets\":[40,48]}}";
	unsigned char buf[4096];
	struct pk_error err = {0};
	struct pk_tensor_file *f;
	struct pk_tensor t;
	double row[2];
	long long v;

	put(buf, st(buf, h, data, sizeof data));
	f = pk_tensor_open_safetensors(path, &err);
	CHECK(f != NULL);
	if (!f) {
		printf("# %s\n", err.text);
		return;
	}
	CHECK_INT(pk_tensor_get(f, "chosen", &t, &err), PK_OK);
	CHECK_INT(t.dtype, PK_DT_F16);
	pk_tensor_row(&t, 0, row);
	CHECK(row[0] == 1 && row[1] == -2);
	pk_tensor_row(&t, 1, row);
	CHECK(row[0] == 0.333251953125 && row[1] == ldexp(1, -24));
	CHECK_INT(pk_tensor_get(f, "rejected", &t, &err), PK_OK);
	pk_tensor_row(&t, 0, row);
	CHECK(row[0] == 1 && row[1] == 3.140625);
	pk_tensor_row(&t, 1, row);
	CHECK(row[0] == -0.5 && row[1] == 0);
	CHECK_INT(pk_tensor_get(f, "len_chosen", &t, &err), PK_OK);
	CHECK(pk_tensor_int(&t, 0, &v) == PK_OK && v == 3);
	CHECK(pk_tensor_int(&t, 1, &v) == PK_OK && v == -1);
	CHECK_INT(pk_tensor_get(f, "len_rejected", &t, &err), PK_OK);
	CHECK(pk_tensor_int(&t, 1, &v) == PK_OK && v == (1LL << 32));
	CHECK_INT(pk_tensor_get(f, "x", &t, &err), PK_OK);
	pk_tensor_row(&t, 0, row);
	CHECK(row[0] == 1);
	CHECK_INT(pk_tensor_get(f, "nope", &t, &err), PK_EOF);
	pk_tensor_close(f);

	/* broken ones */
	put(buf, st(buf, h, data, 44));
	CHECK(pk_tensor_open_safetensors(path, &err) == NULL);
	CHECK(strstr(err.text, "truncated: tensor 'x' ends at byte 48 of the data, the file has 44") != NULL);
	put(buf, st(buf, "{\"c\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,12]}}", data, 12));
	CHECK(pk_tensor_open_safetensors(path, &err) == NULL);
	CHECK(strstr(err.text, "shape mismatch: tensor 'c' of shape [2, 2] needs 16 bytes, its data_offsets give 12") != NULL);
	put(buf, st(buf, "{\"c\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[0,2]}}", data, 2));
	CHECK(pk_tensor_open_safetensors(path, &err) == NULL);
	CHECK(strstr(err.text, "tensor 'c' has dtype U8") != NULL);
	put(buf, st(buf, "{\"c\":{\"dtype\":\"F32\",\"shape\":[2]}}", data, 8));
	CHECK(pk_tensor_open_safetensors(path, &err) == NULL);
	CHECK(strstr(err.text, "lacks dtype, shape or data_offsets") != NULL);
	put(buf, st(buf, "[1]", data, 0));
	CHECK(pk_tensor_open_safetensors(path, &err) == NULL);
	CHECK(strstr(err.text, "bad magic") != NULL);
	put(buf, st(buf, "{\"c\":", data, 0));
	CHECK(pk_tensor_open_safetensors(path, &err) == NULL);
	CHECK(strstr(err.text, "bad header") != NULL);
	memcpy(buf, "\0\0\0\0\0\x10\0\0{}", 10); /* 2^44 */
	put(buf, 10);
	CHECK(pk_tensor_open_safetensors(path, &err) == NULL);
	CHECK(strstr(err.text, "header of 17592186044416 bytes is over the limit of 104857600") != NULL);
	memcpy(buf, "\x40\0\0\0\0\0\0\0{}", 10);
	put(buf, 10);
	CHECK(pk_tensor_open_safetensors(path, &err) == NULL);
	CHECK(strstr(err.text, "truncated header") != NULL);
	put(buf, st(buf, "{\"c\":{\"dtype\":\"F32\",\"shape\":[1,1,1],\"data_offsets\":[0,4]}}", data, 4));
	f = pk_tensor_open_safetensors(path, &err);
	CHECK(f != NULL);
	CHECK_INT(pk_tensor_get(f, "c", &t, &err), PK_FATAL);
	CHECK(strstr(err.text, "tensor 'c' has 3 dimensions") != NULL);
	pk_tensor_close(f);
}

/* Found by fuzz_tensor: a float lengths array holding a value beyond
 * long long was cast (undefined); a shape whose digits end the file was
 * read by strtoull, which could go on past the header and the mapping. */
static void test_fuzz_findings(void)
{
	const float f4[4] = {3, 2.5f, 1e20f, -9.2233720368547758e18f};
	const double f8[2] = {0x1p63, -0x1p63};
	unsigned char buf[4096];
	struct pk_error err = {0};
	struct pk_tensor_file *f;
	struct pk_tensor t;
	long long v;
	static const char h[] = "{'descr': '<f4', 'fortran_order': False, 'shape': (0, 1234";
	size_t n;

	put(buf, npy(buf, 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }", f4, sizeof f4));
	f = pk_tensor_open_npy(path, &err);
	CHECK(f != NULL);
	pk_tensor_get(f, NULL, &t, &err);
	CHECK(pk_tensor_int(&t, 0, &v) == PK_OK && v == 3);
	CHECK_INT(pk_tensor_int(&t, 1, &v), PK_BAD_RECORD); /* 2.5 */
	CHECK_INT(pk_tensor_int(&t, 2, &v), PK_BAD_RECORD); /* 1e20 */
	/* -2^63 as a float is exactly LLONG_MIN */
	CHECK(pk_tensor_int(&t, 3, &v) == PK_OK && v == LLONG_MIN);
	pk_tensor_close(f);
	put(buf, npy(buf, 1, "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", f8, sizeof f8));
	f = pk_tensor_open_npy(path, &err);
	pk_tensor_get(f, NULL, &t, &err);
	CHECK_INT(pk_tensor_int(&t, 0, &v), PK_BAD_RECORD); /* 2^63 */
	CHECK(pk_tensor_int(&t, 1, &v) == PK_OK && v == LLONG_MIN);
	pk_tensor_close(f);

	/* the header ends the file, in the digits of the shape: (0, 1234),
	 * no data */
	n = sizeof h - 1;
	memcpy(buf, "\x93NUMPY\x01\x00", 8);
	buf[8] = (unsigned char)n;
	buf[9] = 0;
	memcpy(buf + 10, h, n);
	put(buf, 10 + n);
	f = pk_tensor_open_npy(path, &err);
	CHECK(f != NULL);
	CHECK_INT(pk_tensor_get(f, NULL, &t, &err), PK_OK);
	CHECK_INT(t.rows, 0);
	CHECK_INT(t.cols, 1234);
	pk_tensor_close(f);
	/* 20 digits: beyond 64 bits */
	put(buf, npy(buf, 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,), }", NULL, 0));
	CHECK(pk_tensor_open_npy(path, &err) == NULL);
	CHECK(strstr(err.text, "bad 'shape'") != NULL);
}

int main(void)
{
	snprintf(path, sizeof path, "%s/pk-test-tensor.%ld",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (long)getpid());
	test_half();
	test_npy_ok();
	test_npy_bad();
	test_safetensors();
	test_fuzz_findings();
	unlink(path);
	return pk_test_done();
}
