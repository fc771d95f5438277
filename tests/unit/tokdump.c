/* SPDX-License-Identifier: MIT */
/*
 * tokdump - a test helper: the tokens of texts, for checking lib/tokenize.c
 * against an independent implementation (tests/cli/tokenize/).
 *
 *	tokdump [PATTERN] < texts
 *
 * Each input line is one JSON string (the text); each output line is the
 * JSON array of its tokens (PATTERN, default PK_TOKEN_REGEX_DEFAULT).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pk_private.h"

int main(int argc, char **argv)
{
	struct pk_buf text = PK_BUF_INIT, spans = PK_BUF_INIT;
	struct pk_buf out = PK_BUF_INIT;
	struct pk_error err = {0};
	struct pk_regex *re;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int status = 0;

	re = pk_regex_new(argc > 1 ? argv[1] : PK_TOKEN_REGEX_DEFAULT, &err);
	if (!re) {
		fprintf(stderr, "tokdump: %s\n", err.text);
		return 2;
	}
	while ((n = getline(&line, &cap, stdin)) > 0) {
		const struct pk_span *sp;
		enum pk_type type;
		size_t pos = 0, i;
		long k;

		if (line[n - 1] == '\n')
			line[--n] = '\0';
		if (pk_scan_value(line, (size_t)n, &pos, &type, &err) != PK_OK ||
		    type != PK_T_STRING) {
			fprintf(stderr, "tokdump: not a JSON string: %s\n", line);
			status = 1;
			break;
		}
		pk_buf_reset(&text);
		pk_buf_reset(&spans);
		pk_buf_reset(&out);
		if (pk_json_unquote(&text, line, (size_t)n) < 0 ||
		    (k = pk_tokenize(re, text.data, text.len, &spans, NULL,
				     &err)) < 0) {
			fprintf(stderr, "tokdump: %s\n", err.text);
			status = 1;
			break;
		}
		sp = (const void *)spans.data;
		pk_buf_putc(&out, '[');
		for (i = 0; i < (size_t)k; i++) {
			if (i)
				pk_buf_putc(&out, ',');
			pk_json_quote(&out, text.data + sp[i].off, sp[i].len);
		}
		pk_buf_putc(&out, ']');
		puts(out.data);
	}
	free(line);
	pk_buf_free(&text);
	pk_buf_free(&spans);
	pk_buf_free(&out);
	pk_regex_free(re);
	return status;
}
