# SPDX-License-Identifier: MIT
# The pairs of pref-curriculum (SPEC 3.3) from one ranked list: best-vs-rest
# (the best standing against every worse one, ties never paired), with
# "gap" and "stage" = G - b + 1 for standings (1, b) of G.  Used by
# curriculum.jq (whole file in memory) and by the sort(1) pipeline of
# bench/run.sh.  jq has no hash function: group_id is omitted.
def curriculum_pairs:
  (.responses | sort_by(- .score)) as $s
  | .prompt as $p
  | del(.prompt, .responses) as $rest
  | ([$s[].score] | unique | length) as $g
  | ($s[0].score) as $best
  | $s[] | select(.score == $best) as $a
  | $s[] | select(.score != $best) as $b
  | ([$s[].score | select(. > $b.score)] | unique | length) as $above
  | {prompt: $p, chosen: $a.text, rejected: $b.text,
     score_chosen: $a.score, score_rejected: $b.score}
    + ($a | del(.text, .score) | with_entries(.key = "chosen_" + .key))
    + ($b | del(.text, .score) | with_entries(.key = "rejected_" + .key))
    + {gap: ($a.score - $b.score), stage: ($g - $above)}
    + $rest;
