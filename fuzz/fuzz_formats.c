/* SPDX-License-Identifier: MIT */
/*
 * fuzz_formats.c - libFuzzer target for every foreign-format reader of
 * lib/formats (SPEC 1.5) and the pair conversions of pref-convert.
 *
 * Input: byte 0 picks the format (pk_format_list() order; one more value
 * is "auto"), byte 1 the options (conversational, strict, no_synthetic,
 * the score variant, keep_ties, label lists, a prompt template); the rest
 * is JSON Lines, each line scanned and, when valid, fed to the reader,
 * then the reader is finished.  Every record a reader emits must be a
 * compact object prefkit accepts; a pair is also converted to the
 * conversational and standard forms and to a list, and a list is expanded
 * into pairs, whose outputs must be accepted too.
 */
#include "config.h"

#include "fuzz.h"

#define T "fuzz_formats"

struct ctx {
	struct pk_format_reader *fr;
	struct pk_expand *x;
	struct pk_buf out;
};

static int check_expanded(void *c, const char *json, size_t len)
{
	(void)c;
	fz_check_object(T, json, len, NULL);
	return PK_OK;
}

static int emit(void *vc, const char *json, size_t len)
{
	struct ctx *c = vc;
	struct pk_record rec = PK_RECORD_INIT;
	struct pk_error err;
	int rc;

	fz_check_object(T, json, len, &rec);
	if (pk_format_reader_kind(c->fr) == PK_FORMAT_PAIRS) {
		pk_buf_reset(&c->out);
		rc = pk_pair_to_conversational(&rec, &c->out, &err);
		if (rc == PK_OK)
			fz_check_object(T, c->out.data, c->out.len, NULL);
		else if (rc != PK_BAD_RECORD)
			fz_fail(T, "pk_pair_to_conversational failed", json, len);
		pk_buf_reset(&c->out);
		rc = pk_pair_to_standard(&rec, NULL, &c->out, &err);
		if (rc == PK_OK)
			fz_check_object(T, c->out.data, c->out.len, NULL);
		else if (rc != PK_BAD_RECORD)
			fz_fail(T, "pk_pair_to_standard failed", json, len);
		pk_buf_reset(&c->out);
		rc = pk_pair_to_standard(&rec, "<{role}>\\n{content}\\n", &c->out,
					 &err);
		if (rc == PK_OK)
			fz_check_object(T, c->out.data, c->out.len, NULL);
		else if (rc != PK_BAD_RECORD)
			fz_fail(T, "pk_pair_to_standard (flatten) failed", json,
				len);
		pk_buf_reset(&c->out);
		rc = pk_pair_to_list(&rec, &c->out, &err);
		if (rc == PK_OK)
			fz_check_object(T, c->out.data, c->out.len, NULL);
		else if (rc != PK_BAD_RECORD)
			fz_fail(T, "pk_pair_to_list failed", json, len);
	} else if (c->x) {
		rc = pk_expand_record(c->x, &rec, check_expanded, NULL, &err);
		if (rc != PK_OK && rc != PK_BAD_RECORD)
			fz_fail(T, "pk_expand_record failed", json, len);
	}
	pk_record_free(&rec);
	return PK_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const uf_scores[] = {NULL, "fine-grained",
						"mean-aspects", "overall"};
	const struct pk_format_info *list = pk_format_list();
	struct fz f = {data, size};
	struct pk_format_opts o;
	struct pk_format_reader *fr;
	struct pk_expand_opts xo;
	struct pk_error err;
	struct pk_record rec = PK_RECORD_INIT;
	struct ctx c = {0};
	const char *name = "auto", *line;
	size_t nformats = 0, n;
	unsigned pick, bits;
	int rc;

	while (list[nformats].name)
		nformats++;
	pick = fz_byte(&f) % (nformats + 1);
	bits = fz_byte(&f);
	if (pick < nformats)
		name = list[pick].name;
	memset(&o, 0, sizeof o);
	o.conversational = bits & 1;
	o.strict = (bits >> 1) & 1;
	o.no_synthetic = (bits >> 2) & 1;
	o.score = uf_scores[(bits >> 3) & 3];
	if (strcmp(name, "helpsteer") == 0 && ((bits >> 3) & 3) != 0)
		o.score = "correctness";
	o.keep_ties = (bits >> 5) & 1;
	if ((bits >> 6) & 1) {
		o.a_wins = "model_a,A,<0";
		o.b_wins = "model_b,B,>=2";
		o.tie = "tie,0,tie (bothbad)";
	} else if (strcmp(name, "pairwise") == 0) {
		o.a_wins = "1";
		o.b_wins = "2";
	}
	if (strcmp(name, "bon") == 0) {
		o.best_field = "best";
		o.losers_field = "losers";
	}
	if ((bits >> 7) & 1)
		o.prompt_template = "{instruction}\n\n{input}";
	fr = pk_format_reader_new(name, &o, &err);
	if (!fr)
		return 0; /* an option this format does not take */
	c.fr = fr;
	pk_expand_opts_init(&xo);
	c.x = pk_expand_new(&xo, &err);
	if (!c.x)
		fz_fail(T, "pk_expand_new", NULL, 0);
	while (fz_line(&f, &line, &n)) {
		if (pk_scan_record(&rec, line, n, &err) != PK_OK)
			continue;
		rc = pk_format_reader_feed(fr, &rec, emit, &c, &err);
		/* under auto, a format detected may lack its options
		 * (pairwise needs its label lists): a usage error */
		if (rc == PK_FATAL && err.kind == PK_ERR_USAGE &&
		    !pk_format_reader_format(fr))
			break;
		if (rc != PK_OK && rc != PK_BAD_RECORD)
			fz_fail(T, err.text, line, n);
		if (rc == PK_BAD_RECORD && (err.kind != PK_ERR_DATA || !err.text[0]))
			fz_fail(T, "a bad record without a data error", line, n);
	}
	rc = pk_format_reader_finish(fr, emit, &c, &err);
	if (rc != PK_OK && rc != PK_BAD_RECORD)
		fz_fail(T, "pk_format_reader_finish failed", NULL, 0);
	for (size_t i = 0;; i++) {
		unsigned long long v;

		if (!pk_format_reader_counter(fr, i, &v))
			break;
	}
	pk_format_reader_free(fr);
	pk_expand_free(c.x);
	pk_record_free(&rec);
	pk_buf_free(&c.out);
	return 0;
}
