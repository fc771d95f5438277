# SPDX-License-Identifier: MIT
# Baseline for pref-expand --pairs all (SPEC 3.2): every (Ri, Rj), i < j, of
# the list sorted best first (jq's sort is stable), ties never paired.
# jq has no hash function, so group_id is omitted (the verifier ignores it).
# Run as: jq -c -f bench/jq/expand.jq FILE
(.responses | sort_by(- .score)) as $s
| .prompt as $p
| del(.prompt, .responses) as $rest
| range(0; $s | length) as $i
| range($i + 1; $s | length) as $j
| $s[$i] as $a | $s[$j] as $b
| select($a.score != $b.score)
| {prompt: $p, chosen: $a.text, rejected: $b.text,
   score_chosen: $a.score, score_rejected: $b.score}
  + ($a | del(.text, .score) | with_entries(.key = "chosen_" + .key))
  + ($b | del(.text, .score) | with_entries(.key = "rejected_" + .key))
  + $rest
