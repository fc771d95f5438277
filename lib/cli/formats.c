/* SPDX-License-Identifier: MIT */
/*
 * formats.c - the options of the foreign-format readers (SPEC 1.5) that
 * the commands taking --from share (group PK_CLI_FORMATS): what they set
 * in cli->fmt, their help, and which formats each goes with.
 */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

enum {
	OPT_PROMPT_TEMPLATE = PK_CLI_FMT_OPT_BASE,
	OPT_A_FIELD,
	OPT_B_FIELD,
	OPT_MODEL_A_FIELD,
	OPT_MODEL_B_FIELD,
	OPT_LABEL_FIELD,
	OPT_A_WINS,
	OPT_B_WINS,
	OPT_TIE,
	OPT_BEST_FIELD,
	OPT_LOSERS_FIELD,
	OPT_MODEL_FIELD,
	OPT_COMPLETION_FIELD,
	OPT_MESSAGES_FIELD,
	OPT_DESIRABLE,
	OPT_UNDESIRABLE,
	OPT_MAX_PAIRS,
	OPT_END
};

/* Keep this list in the order of the enum. */
static const struct {
	struct option opt;
	const char *formats; /* the formats it goes with */
} table[] = {
	{{"prompt-template", required_argument, NULL, OPT_PROMPT_TEMPLATE},
	 "trl, lists, pairwise, bon or unpaired"},
	{{"a-field", required_argument, NULL, OPT_A_FIELD}, "pairwise or arena"},
	{{"b-field", required_argument, NULL, OPT_B_FIELD}, "pairwise or arena"},
	{{"model-a-field", required_argument, NULL, OPT_MODEL_A_FIELD},
	 "pairwise or arena"},
	{{"model-b-field", required_argument, NULL, OPT_MODEL_B_FIELD},
	 "pairwise or arena"},
	{{"label-field", required_argument, NULL, OPT_LABEL_FIELD},
	 "pairwise, arena or unpaired"},
	{{"a-wins", required_argument, NULL, OPT_A_WINS}, "pairwise or arena"},
	{{"b-wins", required_argument, NULL, OPT_B_WINS}, "pairwise or arena"},
	{{"tie", required_argument, NULL, OPT_TIE}, "pairwise or arena"},
	{{"best-field", required_argument, NULL, OPT_BEST_FIELD}, "bon"},
	{{"losers-field", required_argument, NULL, OPT_LOSERS_FIELD}, "bon"},
	{{"model-field", required_argument, NULL, OPT_MODEL_FIELD}, "bon"},
	{{"completion-field", required_argument, NULL, OPT_COMPLETION_FIELD},
	 "unpaired"},
	{{"messages-field", required_argument, NULL, OPT_MESSAGES_FIELD},
	 "unpaired"},
	{{"desirable", required_argument, NULL, OPT_DESIRABLE}, "unpaired"},
	{{"undesirable", required_argument, NULL, OPT_UNDESIRABLE}, "unpaired"},
	{{"max-pairs-per-prompt", required_argument, NULL, OPT_MAX_PAIRS},
	 "unpaired"},
};
#define NTABLE (sizeof table / sizeof table[0])

size_t pk_cli_format_options(struct option *out)
{
	for (size_t i = 0; i < NTABLE; i++)
		out[i] = table[i].opt;
	return NTABLE;
}

int pk_cli_format_option(struct pk_cli *cli, int c, const char *arg)
{
	struct pk_format_opts *f = &cli->fmt;

	if (c < PK_CLI_FMT_OPT_BASE || c >= OPT_END)
		return -1;
	cli->fmt_given |= 1UL << (c - PK_CLI_FMT_OPT_BASE);
	switch (c) {
	case OPT_PROMPT_TEMPLATE:
		f->prompt_template = arg;
		break;
	case OPT_A_FIELD:
		f->a_field = arg;
		break;
	case OPT_B_FIELD:
		f->b_field = arg;
		break;
	case OPT_MODEL_A_FIELD:
		f->model_a_field = arg;
		break;
	case OPT_MODEL_B_FIELD:
		f->model_b_field = arg;
		break;
	case OPT_LABEL_FIELD:
		f->label_fields = arg;
		break;
	case OPT_A_WINS:
		f->a_wins = arg;
		break;
	case OPT_B_WINS:
		f->b_wins = arg;
		break;
	case OPT_TIE:
		f->tie = arg;
		break;
	case OPT_BEST_FIELD:
		f->best_field = arg;
		break;
	case OPT_LOSERS_FIELD:
		f->losers_field = arg;
		break;
	case OPT_MODEL_FIELD:
		f->model_field = arg;
		break;
	case OPT_COMPLETION_FIELD:
		f->completion_field = arg;
		break;
	case OPT_MESSAGES_FIELD:
		f->messages_field = arg;
		break;
	case OPT_DESIRABLE:
		f->desirable = arg;
		break;
	case OPT_UNDESIRABLE:
		f->undesirable = arg;
		break;
	case OPT_MAX_PAIRS:
		f->max_pairs_per_prompt = (unsigned long long)pk_cli_parse_int(
			cli, "--max-pairs-per-prompt", arg, 1, LLONG_MAX);
		break;
	}
	return 0;
}

/* Is name one of the words of list ("a, b or c")? */
static int among(const char *name, const char *list)
{
	size_t n = strlen(name);

	for (const char *p = list; (p = strstr(p, name)); p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ',' || p[n] == ' ' ||
						     !p[n]))
			return 1;
	return 0;
}

void pk_cli_check_format_opts(struct pk_cli *cli, const char *from)
{
	if (cli->fmt.prompt_template && strcmp(cli->prompt_field, "prompt"))
		pk_cli_usage_error(cli, "--prompt-template and --prompt-field "
					"both name the prompt: give one");
	if (!from || !strcmp(from, "auto"))
		return;
	for (size_t i = 0; i < NTABLE; i++)
		if ((cli->fmt_given & (1UL << i)) &&
		    !among(from, table[i].formats))
			pk_cli_usage_error(cli, "--%s goes with --from %s",
					   table[i].opt.name, table[i].formats);
}

void pk_cli_format_help(FILE *fp)
{
	fputs("      --prompt-template=TEXT  the prompt built from fields: {PATH} is the\n"
	      "                           field's text, [...] is left out when a field in\n"
	      "                           it is missing, null or empty; \\n \\t \\\\ \\[ \\] \\{ \\}\n"
	      "pairwise, arena:\n"
	      "      --a-field=PATH, --b-field=PATH  the two responses (default\n"
	      "                           response_a, response_b)\n"
	      "      --model-a-field=PATH, --model-b-field=PATH  their models (written\n"
	      "                           as chosen_model, rejected_model)\n"
	      "      --label-field=PATH[,PATH]...  the label (default label); several\n"
	      "                           are votes: a strict majority wins, else a tie\n"
	      "      --a-wins=LIST, --b-wins=LIST  label values saying A or B won\n"
	      "                           (required for pairwise; no default)\n"
	      "      --tie=LIST           label values saying it is a tie\n"
	      "                           LIST: comma-separated values (1 matches 1, 1.0\n"
	      "                           and \"1\") or comparisons (<1.5, <=0, >0, >=2)\n"
	      "bon:\n"
	      "      --best-field=PATH, --losers-field=PATH  the best response and the\n"
	      "                           array of the others (required)\n"
	      "      --model-field=PATH   the model of a response object (default model;\n"
	      "                           --text-field: its text, default text)\n"
	      "unpaired ({\"prompt\", \"completion\", \"label\"}: pairs of every desirable\n"
	      "and every undesirable completion of a prompt; --memory, --tmpdir):\n"
	      "      --completion-field=PATH  the completion (default completion)\n"
	      "      --messages-field=PATH  a whole conversation instead: its last\n"
	      "                           message is the completion, the others the prompt\n"
	      "      --desirable=LIST     labels of desirable completions (default true)\n"
	      "      --undesirable=LIST   labels of undesirable ones (default false; with\n"
	      "                           --desirable alone, every other label but null)\n"
	      "      --max-pairs-per-prompt=K  at most K pairs per prompt, in input order\n",
	      fp);
}
