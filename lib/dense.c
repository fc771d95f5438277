/* SPDX-License-Identifier: MIT */
/*
 * dense.c - the dense CHES scores (SPEC 3.4): <a,b> and <a,a> of two
 * vectors of doubles, or of two float32 rows read where they lie in a side
 * file's map, and the scores worked out from them.
 *
 * Every product is taken exactly: a float times a float is exact in a
 * double, and a double times a double is the rounded product p plus its
 * error fma(x, y, -p).  Each product goes by TwoSum into one of
 * PK_DENSE_LANES partial sums (element i into lane i mod 16), and every
 * lane keeps the sum of its rounding errors beside it - the compensated
 * dot product of Ogita, Rump and Oishi ("Accurate sum and dot product",
 * SIAM J. Sci. Comput. 26(6), 2005), as accurate as a sum taken in twice
 * a double's precision.  The lanes are folded in a fixed order into a
 * double-double (hi + lo), the scores are worked out in double-double
 * (the subtraction dot - sq, where near-identical vectors cancel, loses
 * nothing), and each score is rounded to a double once, at the end.
 *
 * The order of every operation is fixed, so the same values give the same
 * bits on every code path: the AVX2 path does sixteen lanes at a time,
 * and nothing else (test_dense holds the two paths to each other).  It
 * writes some of TwoSum's subtractions as t * 1 - s (fused multiply-
 * subtract: the same rounding) so that they run on the multiply units
 * beside the adders.
 *
 * A product or sum beyond a double's range makes TwoSum's error terms
 * NaN; such rows are summed again sequentially in long double and their
 * scores worked out there, where they may well stay finite.
 *
 * configure compiles the library with -ffp-contract=off: a product and a
 * sum fused into one multiply-add would lose the exact error terms.  So
 * would x87 arithmetic with its excess precision (32-bit x86 without SSE
 * math): there the sums are still about right, but not error-free.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "pk_private.h"
#include "scan_simd.h"

#ifdef PK_SCAN_X86
#include <immintrin.h>
#endif

#ifdef __clang__
#pragma STDC FP_CONTRACT OFF
#endif

#define LANES PK_DENSE_LANES

struct lanes {
	double s[LANES]; /* partial sums */
	double c[LANES]; /* the sum of their rounding errors */
};

/* s += p by TwoSum, its error (and e, p's own error) into c */
static inline void lane_add(double *s, double *c, double p, double e)
{
	double t = *s + p, z = t - *s;

	*c = *c + (((*s - (t - z)) + (p - z)) + e);
	*s = t;
}

static inline float load_f32(const unsigned char *p)
{
	float x;

	memcpy(&x, p, 4);
	return x;
}

/* Element i of the rows into lane i mod LANES, for i in [from, d) */
static void lanes_f32(struct lanes *dot, struct lanes *sq,
		      const unsigned char *a, const unsigned char *b,
		      size_t from, size_t d)
{
	size_t i;

	for (i = from; i < d; i++) {
		double x = load_f32(a + 4 * i), y = load_f32(b + 4 * i);

		lane_add(&dot->s[i % LANES], &dot->c[i % LANES], x * y, 0);
		lane_add(&sq->s[i % LANES], &sq->c[i % LANES], x * x, 0);
	}
}

static void lanes_f64(struct lanes *dot, struct lanes *sq, const double *a,
		      const double *b, size_t from, size_t d)
{
	size_t i;

	for (i = from; i < d; i++) {
		double x = a[i], y = b[i], p = x * y, q = x * x;

		lane_add(&dot->s[i % LANES], &dot->c[i % LANES], p,
			 fma(x, y, -p));
		lane_add(&sq->s[i % LANES], &sq->c[i % LANES], q,
			 fma(x, x, -q));
	}
}

/* Error-free transformations: s + e == a + b, p + e == a * b exactly. */
static inline struct pk_dd two_sum(double a, double b)
{
	struct pk_dd r;
	double z;

	r.hi = a + b;
	z = r.hi - a;
	r.lo = (a - (r.hi - z)) + (b - z);
	return r;
}

static inline struct pk_dd two_prod(double a, double b)
{
	struct pk_dd r;

	r.hi = a * b;
	r.lo = fma(a, b, -r.hi);
	return r;
}

/* Double-double arithmetic (about 106 bits; results normalised:
 * |lo| <= half an ulp of hi) */
static struct pk_dd dd_sub(struct pk_dd x, struct pk_dd y)
{
	struct pk_dd s = two_sum(x.hi, -y.hi);

	return two_sum(s.hi, s.lo + (x.lo - y.lo));
}

static struct pk_dd dd_mul_d(struct pk_dd x, double y)
{
	struct pk_dd p = two_prod(x.hi, y);

	return two_sum(p.hi, p.lo + x.lo * y);
}

/* x / y rounded once to a double */
static double dd_div(struct pk_dd x, struct pk_dd y)
{
	double q = x.hi / y.hi;
	struct pk_dd r = dd_sub(x, dd_mul_d(y, q));

	return q + r.hi / y.hi;
}

/* The lanes folded pairwise, lane j with lane j + w for w = 8, 4, 2, 1
 * (four dependent steps, not fifteen), into *out; 0 when it is not
 * finite.  l is spent. */
static int fold(struct lanes *l, struct pk_dd *out)
{
	int w, j;

	for (w = LANES / 2; w >= 1; w /= 2)
		for (j = 0; j < w; j++) {
			struct pk_dd t = two_sum(l->s[j], l->s[j + w]);

			l->c[j] = (l->c[j] + l->c[j + w]) + t.lo;
			l->s[j] = t.hi;
		}
	*out = two_sum(l->s[0], l->c[0]);
	return isfinite(l->s[0]) && isfinite(l->c[0]) && isfinite(out->lo);
}

#ifdef PK_SCAN_X86
#define AVX2 __attribute__((target("avx2,fma")))

/* lane_add's TwoSum on four lanes: *s += p, and the error returned; the
 * z = t - s and the two subtractions of z as fused t * 1 - s, which
 * rounds the same */
static inline __attribute__((always_inline, target("avx2,fma"))) __m256d
two_sum4(__m256d *s, __m256d p, __m256d one)
{
	__m256d t = _mm256_add_pd(*s, p);
	__m256d z = _mm256_fmsub_pd(t, one, *s);
	__m256d e = _mm256_add_pd(_mm256_sub_pd(*s, _mm256_fmsub_pd(t, one, z)),
				  _mm256_fmsub_pd(p, one, z));

	*s = t;
	return e;
}

/* The sixteen lanes of both sums, four to a register */
struct lanes4 {
	__m256d ds[4], dc[4], qs[4], qc[4];
};

AVX2 static void lanes4_init(struct lanes4 *v)
{
	int k;

	for (k = 0; k < 4; k++)
		v->ds[k] = v->dc[k] = v->qs[k] = v->qc[k] = _mm256_setzero_pd();
}

AVX2 static void lanes4_store(const struct lanes4 *v, struct lanes *dot,
			      struct lanes *sq)
{
	int k;

	for (k = 0; k < 4; k++) {
		_mm256_storeu_pd(dot->s + 4 * k, v->ds[k]);
		_mm256_storeu_pd(dot->c + 4 * k, v->dc[k]);
		_mm256_storeu_pd(sq->s + 4 * k, v->qs[k]);
		_mm256_storeu_pd(sq->c + 4 * k, v->qc[k]);
	}
}

AVX2 static size_t lanes_f32_avx2(struct lanes *dot, struct lanes *sq,
				  const unsigned char *a,
				  const unsigned char *b, size_t d)
{
	const __m256d one = _mm256_set1_pd(1.0);
	struct lanes4 v;
	size_t i;
	int k;

	lanes4_init(&v);
	for (i = 0; i + LANES <= d; i += LANES) {
		/* a quarter of a row ahead, past the caches' keeping: each
		 * row is read once, and the records' text had better stay
		 * cached (6% less time at D = 1024) */
		_mm_prefetch((const char *)a + 4 * i + 1024, _MM_HINT_NTA);
		_mm_prefetch((const char *)b + 4 * i + 1024, _MM_HINT_NTA);
		for (k = 0; k < 4; k++) {
			const float *pa = (const float *)(a + 4 * (i + 4 * (size_t)k));
			const float *pb = (const float *)(b + 4 * (i + 4 * (size_t)k));
			__m256d x = _mm256_cvtps_pd(_mm_loadu_ps(pa));
			__m256d y = _mm256_cvtps_pd(_mm_loadu_ps(pb));
			__m256d p = _mm256_mul_pd(x, y);
			__m256d q = _mm256_mul_pd(x, x);

			/* the products are exact: no error of their own */
			v.dc[k] = _mm256_add_pd(v.dc[k],
						two_sum4(&v.ds[k], p, one));
			v.qc[k] = _mm256_add_pd(v.qc[k],
						two_sum4(&v.qs[k], q, one));
		}
	}
	lanes4_store(&v, dot, sq);
	return i;
}

AVX2 static size_t lanes_f64_avx2(struct lanes *dot, struct lanes *sq,
				  const double *a, const double *b, size_t d)
{
	const __m256d one = _mm256_set1_pd(1.0);
	struct lanes4 v;
	size_t i;
	int k;

	lanes4_init(&v);
	for (i = 0; i + LANES <= d; i += LANES)
		for (k = 0; k < 4; k++) {
			__m256d x = _mm256_loadu_pd(a + i + 4 * k);
			__m256d y = _mm256_loadu_pd(b + i + 4 * k);
			__m256d p = _mm256_mul_pd(x, y);
			__m256d q = _mm256_mul_pd(x, x);
			/* C + (TwoSum error + the product's error), as
			 * lane_add */
			__m256d ep = _mm256_fmsub_pd(x, y, p);
			__m256d eq = _mm256_fmsub_pd(x, x, q);

			v.dc[k] = _mm256_add_pd(v.dc[k], _mm256_add_pd(
				two_sum4(&v.ds[k], p, one), ep));
			v.qc[k] = _mm256_add_pd(v.qc[k], _mm256_add_pd(
				two_sum4(&v.qs[k], q, one), eq));
		}
	lanes4_store(&v, dot, sq);
	return i;
}

static int have_avx2(void)
{
	static int known = -1;
	int k = __atomic_load_n(&known, __ATOMIC_RELAXED);

	if (k < 0) {
		__builtin_cpu_init();
		k = __builtin_cpu_supports("avx2") &&
		    __builtin_cpu_supports("fma");
		__atomic_store_n(&known, k, __ATOMIC_RELAXED);
	}
	return k;
}
#endif

int pk_dense_simd_supported(void)
{
#ifdef PK_SCAN_X86
	return have_avx2();
#else
	return 0;
#endif
}

int pk_dense_sums_path(int simd, const double *a, const double *b,
		       const unsigned char *fa, const unsigned char *fb,
		       size_t d, struct pk_dd sums[2])
{
	struct lanes dot, sq;
	size_t done = 0;

	memset(&dot, 0, sizeof dot);
	memset(&sq, 0, sizeof sq);
#ifdef PK_SCAN_X86
	if (simd && have_avx2())
		done = a ? lanes_f64_avx2(&dot, &sq, a, b, d)
			 : lanes_f32_avx2(&dot, &sq, fa, fb, d);
#else
	(void)simd;
#endif
	if (a)
		lanes_f64(&dot, &sq, a, b, done, d);
	else
		lanes_f32(&dot, &sq, fa, fb, done, d);
	return fold(&dot, &sums[0]) & fold(&sq, &sums[1]);
}

/* The scores from the sums <S+,S-> and |S+|^2 (SPEC 3.4):
 *	ches    = dot - sq
 *	ln_ches = dot / (L+ L-) - sq / L+^2 = (L+ dot - L- sq) / (L+^2 L-)
 * or, with --mean (the sums are of S / L already):
 *	ln_ches = dot - sq
 *	ches    = L+ L- dot - L+^2 sq = L+ (L- dot - L+ sq) */
static void dd_scores(struct pk_dd dot, struct pk_dd sq, double la,
		      double lb, int mean, struct pk_ches_scores *s)
{
	struct pk_dd diff = dd_sub(dot, sq);
	int lengths = la > 0 && lb > 0;

	s->ches_exact = 0;
	if (!mean) {
		s->ches = diff.hi;
		s->have |= PK_CHES_HAVE_CHES;
		if (lengths) {
			struct pk_dd num = dd_sub(dd_mul_d(dot, la),
						  dd_mul_d(sq, lb));

			s->ln_ches = dd_div(num, dd_mul_d(two_prod(la, la),
							  lb));
			s->have |= PK_CHES_HAVE_LN;
		}
	} else {
		s->ln_ches = diff.hi;
		s->have |= PK_CHES_HAVE_LN;
		if (lengths) {
			struct pk_dd num = dd_sub(dd_mul_d(dot, lb),
						  dd_mul_d(sq, la));

			s->ches = dd_mul_d(num, la).hi;
			s->have |= PK_CHES_HAVE_CHES;
		}
	}
}

/* Rows beyond a double's range: the sums sequentially in long double
 * and the scores from them, rounded once. */
static void ld_scores(const double *a, const double *b,
		      const unsigned char *fa, const unsigned char *fb,
		      size_t d, double la, double lb, int mean,
		      struct pk_ches_scores *s)
{
	long double dot = 0, sq = 0, lal = la, lbl = lb;
	int lengths = la > 0 && lb > 0;
	size_t i;

	for (i = 0; i < d; i++) {
		long double x = a ? a[i] : load_f32(fa + 4 * i);
		long double y = b ? b[i] : load_f32(fb + 4 * i);

		dot += x * y;
		sq += x * x;
	}
	s->ches_exact = 0;
	if (!mean) {
		s->ches = (double)(dot - sq);
		s->have |= PK_CHES_HAVE_CHES;
		if (lengths) {
			s->ln_ches = (double)(dot / (lal * lbl) -
					      sq / (lal * lal));
			s->have |= PK_CHES_HAVE_LN;
		}
	} else {
		s->ln_ches = (double)(dot - sq);
		s->have |= PK_CHES_HAVE_LN;
		if (lengths) {
			s->ches = (double)(lal * lbl * dot - lal * lal * sq);
			s->have |= PK_CHES_HAVE_CHES;
		}
	}
}

static void dense(const double *a, const double *b, const unsigned char *fa,
		  const unsigned char *fb, size_t d, double la, double lb,
		  int mean, struct pk_ches_scores *s)
{
	struct pk_dd sums[2];

	if (pk_dense_sums_path(1, a, b, fa, fb, d, sums))
		dd_scores(sums[0], sums[1], la, lb, mean, s);
	else
		ld_scores(a, b, fa, fb, d, la, lb, mean, s);
}

void pk_ches_dense(const double *a, const double *b, size_t d, double la,
		   double lb, int mean, struct pk_ches_scores *s)
{
	dense(a, b, NULL, NULL, d, la, lb, mean, s);
}

void pk_ches_dense_f32(const unsigned char *a, const unsigned char *b,
		       size_t d, double la, double lb,
		       struct pk_ches_scores *s)
{
	dense(NULL, NULL, a, b, d, la, lb, 0, s);
}
