/* SPDX-License-Identifier: MIT */
/*
 * pairwise.c - one judgement per record (SPEC 1.5 "pairwise", "arena"):
 * a prompt, two responses A and B, and one or more labels saying which
 * won.  Who wins is never defaulted: the labels are read through the
 * LISTs --a-wins, --b-wins and --tie (match.c); a label that matches no
 * list, or more than one, makes the record bad.  Several label fields
 * are votes: the side with more than half of the votes wins, anything
 * else is a tie, and "votes_chosen" / "votes_rejected" are written.
 *
 * The pair is the record with, in place, the prompt field renamed
 * "prompt" (or the template's text put first), the A field's place
 * holding "chosen" (the winner) and the B field's "rejected", the model
 * fields' places "chosen_model" and "rejected_model"; the labels and
 * every other field are kept as they are.  Without a prompt the
 * responses must be whole conversations (message lists): an implicit-
 * prompt pair, counted as diverges_early when the two differ before
 * their last message (--strict: a bad record).  A tie is counted and
 * dropped, or with opts.keep_ties written with "rank_chosen" and
 * "rank_rejected" both 1 (A as chosen), for --to lists.
 *
 * "arena" is the Chatbot Arena preset: conversation_a/conversation_b,
 * model_a/model_b, winner = model_a | model_b | tie | tie (bothbad).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fmt.h"

enum { C_TIES, C_DIVERGES };
static const char *const pw_counters[] = {"ties", "diverges_early", NULL};

#define MAX_LABELS 64

struct pw_state {
	int arena;
	struct pk_fmt_prompt prompt;
	const char *fa, *fb, *fma, *fmb;   /* field paths */
	struct pk_field a, b, ma, mb;
	struct pk_fmt_match win[3];        /* A, B, tie */
	char *labelbuf;                    /* the label paths, split */
	struct pk_field labels[MAX_LABELS];
	size_t nlabels;
	struct pk_buf pre_a, pre_b;        /* implicit prompts */
};

enum { SIDE_A, SIDE_B, SIDE_TIE };

static void pw_free(struct pk_format_reader *fr)
{
	struct pw_state *st = fr->state;

	if (!st)
		return;
	pk_fmt_prompt_free(&st->prompt);
	for (int i = 0; i < 3; i++)
		pk_fmt_match_free(&st->win[i]);
	free(st->labelbuf);
	pk_buf_free(&st->pre_a);
	pk_buf_free(&st->pre_b);
	free(st);
	fr->state = NULL;
}

static const char *or(const char *v, const char *def)
{
	return v ? v : def;
}

static int split_labels(struct pw_state *st, const char *list,
			struct pk_error *err)
{
	char *p;

	if (!(st->labelbuf = strdup(list)))
		return pk_nomem(err);
	for (p = st->labelbuf;;) {
		char *comma = strchr(p, ',');
		if (comma)
			*comma = '\0';
		if (!*p)
			return pk_error_set(err, PK_ERR_USAGE,
					    "--label-field: empty path in '%s'",
					    list);
		if (st->nlabels == MAX_LABELS)
			return pk_error_set(err, PK_ERR_USAGE,
					    "--label-field: more than %d fields",
					    MAX_LABELS);
		pk_field_init(&st->labels[st->nlabels++], p);
		if (!comma)
			break;
		p = comma + 1;
	}
	return PK_OK;
}

static int pw_init(struct pk_format_reader *fr, struct pk_error *err)
{
	const struct pk_format_opts *o = &fr->opts;
	struct pw_state *st = calloc(1, sizeof *st);
	static const char *const opt[3] = {"--a-wins", "--b-wins", "--tie"};
	const char *lists[3] = {o->a_wins, o->b_wins, o->tie};
	int rc;

	if (!st)
		return pk_nomem(err);
	fr->state = st;
	st->arena = !strcmp(fr->ops->info.name, "arena");
	if (st->arena) {
		st->fa = or(o->a_field, "conversation_a");
		st->fb = or(o->b_field, "conversation_b");
		st->fma = or(o->model_a_field, "model_a");
		st->fmb = or(o->model_b_field, "model_b");
		lists[0] = or(lists[0], "model_a");
		lists[1] = or(lists[1], "model_b");
		lists[2] = or(lists[2], "tie,tie (bothbad)");
		rc = split_labels(st, or(o->label_fields, "winner"), err);
	} else {
		if (!o->a_wins || !o->b_wins)
			return pk_error_set(
				err, PK_ERR_USAGE,
				"--from pairwise needs --a-wins and --b-wins "
				"(the label values that mean A won and B won; "
				"there is no default)");
		st->fa = or(o->a_field, "response_a");
		st->fb = or(o->b_field, "response_b");
		st->fma = o->model_a_field;
		st->fmb = o->model_b_field;
		rc = split_labels(st, or(o->label_fields, "label"), err);
	}
	if (rc != PK_OK)
		return rc;
	for (int i = 0; i < 3; i++)
		if ((rc = pk_fmt_match_parse(&st->win[i], opt[i], lists[i],
					     err)) != PK_OK)
			return rc;
	pk_field_init(&st->a, st->fa);
	pk_field_init(&st->b, st->fb);
	if (st->fma)
		pk_field_init(&st->ma, st->fma);
	if (st->fmb)
		pk_field_init(&st->mb, st->fmb);
	return pk_fmt_prompt_init(&st->prompt, o,
				  st->arena ? NULL : "prompt", err);
}

/* Up to 60 bytes of a raw value, for messages. */
#define SHOW(v, n) (int)((n) > 60 ? 60 : (n)), (v)

/* The side label i says won. */
static int read_label(struct pk_format_reader *fr, struct pw_state *st,
		      const struct pk_record *rec, size_t i, int *side,
		      struct pk_error *err)
{
	const char *fmt = fr->ops->info.name, *lv;
	struct pk_value v;
	struct pk_fmt_label label;
	char names[160] = "";
	int hits = 0, hit[3] = {0, 0, 0};

	if (!pk_record_field(rec, &st->labels[i], &v))
		return pk_error_set(err, PK_ERR_DATA,
				    "%s: no label field '%s'", fmt,
				    st->labels[i].path);
	lv = rec->text + v.off;
	if (pk_fmt_label_read(&label, &fr->t3, lv, v.len) < 0)
		return pk_nomem(err);
	for (int s = 0; s < 3; s++) {
		if (!pk_fmt_label_matches(&st->win[s], &label))
			continue;
		*side = s;
		hit[s] = 1;
		hits++;
	}
	if (hits == 1)
		return PK_OK;
	for (int s = 0, k = 0; s < 3 && hits; s++)
		if (hit[s])
			snprintf(names + strlen(names),
				 sizeof names - strlen(names), "%s%s (%s)",
				 k++ ? " and " : "", st->win[s].opt,
				 st->win[s].list);
	if (hits)
		return pk_error_set(err, PK_ERR_DATA,
				    "%s: label '%s' is %.*s, which matches "
				    "both %s",
				    fmt, st->labels[i].path, SHOW(lv, v.len),
				    names);
	return pk_error_set(err, PK_ERR_DATA,
			    "%s: label '%s' is %.*s, which matches none of "
			    "--a-wins (%s), --b-wins (%s), --tie (%s)",
			    fmt, st->labels[i].path, SHOW(lv, v.len),
			    st->win[0].list, st->win[1].list,
			    st->win[2].list ? st->win[2].list : "not given");
}

/* A response of the record: present, and a string or a message list. */
static int response(struct pk_format_reader *fr, const struct pk_record *rec,
		    struct pk_field *f, struct pk_value *v,
		    struct pk_error *err)
{
	if (!pk_record_field(rec, f, v))
		return pk_error_set(err, PK_ERR_DATA, "%s: no field '%s'",
				    fr->ops->info.name, f->path);
	return pk_fmt_check_text(fr->ops->info.name, f->path,
				 rec->text + v->off, v->len, err);
}

/* Without a prompt: both responses must be whole conversations.  Returns
 * 1 when they share every message before their last, 0 when not. */
static int implicit(struct pk_format_reader *fr, struct pw_state *st,
		    const struct pk_record *rec, const struct pk_value *a,
		    const struct pk_value *b, struct pk_error *err)
{
	const char *fmt = fr->ops->info.name;
	size_t off, len;
	int ra, rb;

	if (a->type != PK_T_ARRAY || b->type != PK_T_ARRAY)
		return pk_error_set(err, PK_ERR_DATA,
				    "%s: no prompt field, and the responses are "
				    "not whole conversations (message lists) "
				    "for an implicit prompt",
				    fmt);
	ra = pk_fmt_split_last(rec->text + a->off, a->len, rec->has_space,
			       &st->pre_a, &off, &len);
	rb = pk_fmt_split_last(rec->text + b->off, b->len, rec->has_space,
			       &st->pre_b, &off, &len);
	if (ra < 0 || rb < 0)
		return pk_nomem(err);
	if (!ra || !rb)
		return pk_error_set(err, PK_ERR_DATA,
				    "%s: '%s' does not end with an assistant "
				    "message",
				    fmt, ra ? st->fb : st->fa);
	return st->pre_a.len == st->pre_b.len &&
	       !memcmp(st->pre_a.data, st->pre_b.data, st->pre_a.len);
}

static int pw_feed(struct pk_format_reader *fr, const struct pk_record *rec,
		   struct pk_error *err)
{
	struct pw_state *st = fr->state;
	struct pk_value a, b, ma, mb;
	struct pk_fmt_put puts[10];
	const struct pk_value *win, *lose, *mwin, *mlose;
	size_t votes[3] = {0, 0, 0}, np = 0;
	int rc, outcome, have_prompt, shared = 1;
	int has_ma, has_mb;
	char num[2][PK_NUMBER_MAX];
	int nlen[2];

	if ((have_prompt = pk_fmt_prompt_get(&st->prompt, fr->ops->info.name,
					     rec, &puts[np], err)) < 0)
		return have_prompt;
	np += (size_t)have_prompt;
	if ((rc = response(fr, rec, &st->a, &a, err)) != PK_OK ||
	    (rc = response(fr, rec, &st->b, &b, err)) != PK_OK)
		return rc;
	if (!have_prompt &&
	    (shared = implicit(fr, st, rec, &a, &b, err)) < 0)
		return shared;
	if (!shared && fr->opts.strict)
		return pk_error_set(err, PK_ERR_DATA,
				    "%s: diverges-early: the conversations "
				    "differ before their last message",
				    fr->ops->info.name);
	for (size_t i = 0; i < st->nlabels; i++) {
		int side = SIDE_TIE;
		if ((rc = read_label(fr, st, rec, i, &side, err)) != PK_OK)
			return rc;
		votes[side]++;
	}
	if (2 * votes[SIDE_A] > st->nlabels)
		outcome = SIDE_A;
	else if (2 * votes[SIDE_B] > st->nlabels)
		outcome = SIDE_B;
	else
		outcome = SIDE_TIE;
	if (!shared)
		fr->count[C_DIVERGES]++;
	if (outcome == SIDE_TIE) {
		fr->count[C_TIES]++;
		if (!fr->opts.keep_ties)
			return PK_OK;
	}

	has_ma = st->fma && pk_record_field(rec, &st->ma, &ma);
	has_mb = st->fmb && pk_record_field(rec, &st->mb, &mb);
	win = outcome == SIDE_B ? &b : &a;
	lose = outcome == SIDE_B ? &a : &b;
	mwin = outcome == SIDE_B ? (has_mb ? &mb : NULL) : (has_ma ? &ma : NULL);
	mlose = outcome == SIDE_B ? (has_ma ? &ma : NULL) : (has_mb ? &mb : NULL);
	puts[np++] = (struct pk_fmt_put){st->fa, "chosen",
					 rec->text + win->off, win->len, 0};
	puts[np++] = (struct pk_fmt_put){st->fb, "rejected",
					 rec->text + lose->off, lose->len, 0};
	if (st->fma)
		puts[np++] = (struct pk_fmt_put){
			st->fma, mwin ? "chosen_model" : NULL,
			mwin ? rec->text + mwin->off : NULL,
			mwin ? mwin->len : 0, 0};
	if (st->fmb)
		puts[np++] = (struct pk_fmt_put){
			st->fmb, mlose ? "rejected_model" : NULL,
			mlose ? rec->text + mlose->off : NULL,
			mlose ? mlose->len : 0, 0};
	if (outcome == SIDE_TIE) {
		puts[np++] = (struct pk_fmt_put){NULL, "rank_chosen", "1", 1, 0};
		puts[np++] = (struct pk_fmt_put){NULL, "rank_rejected", "1", 1,
						 0};
	}
	if (st->nlabels > 1) {
		int c = outcome == SIDE_B ? SIDE_B : SIDE_A;
		nlen[0] = pk_format_number(num[0], (double)votes[c]);
		nlen[1] = pk_format_number(num[1], (double)votes[!c]);
		puts[np++] = (struct pk_fmt_put){NULL, "votes_chosen", num[0],
						 (size_t)nlen[0], 0};
		puts[np++] = (struct pk_fmt_put){NULL, "votes_rejected", num[1],
						 (size_t)nlen[1], 0};
	}
	return pk_fmt_emit_placed(fr, rec, puts, np, err);
}

const struct pk_fmt_ops pk_fmt_pairwise = {
	.info = {"pairwise", PK_FORMAT_PAIRS,
		 "one judgement: prompt, response_a, response_b, label(s); "
		 "--a-wins, --b-wins required"},
	.counters = pw_counters,
	.init = pw_init,
	.feed = pw_feed,
	.free = pw_free,
};

const struct pk_fmt_ops pk_fmt_arena = {
	.info = {"arena", PK_FORMAT_PAIRS,
		 "Chatbot Arena {conversation_a, conversation_b, model_a, "
		 "model_b, winner}"},
	.counters = pw_counters,
	.init = pw_init,
	.feed = pw_feed,
	.free = pw_free,
};
