# SPDX-License-Identifier: MIT
# Baseline for pref-relabel (SPEC 3.1, defaults): Reward-Augmented DPO.
# Each pair becomes two, conditioned on score_chosen, then (swapped) on
# score_rejected.  Run as: jq -c -L bench/jq -f bench/jq/relabel.jq FILE
include "pairs";

def fmt: if . == floor then floor | tostring else tostring end;

def cond($s):
  "You are an assistant that generates responses for the instruction while implicitly achieving the following target scores (on a scale of 1-10, where 1 is lowest and 10 is highest):\nOverall score: \($s | fmt).";

def addsys($t):
  if (.[0] | type) == "object" and .[0].role == "system"
  then .[0].content = $t + "\n\n" + .[0].content
  else [{role: "system", content: $t}] + . end;

def condition($g):
  cond($g) as $t
  | if has("prompt") then
      (if (.prompt | type) == "string" then .prompt = $t + "\n\n" + .prompt
       else .prompt |= addsys($t) end)
    else .chosen |= addsys($t) | .rejected |= addsys($t) end
  | .goal_score = $g;

if (.score_chosen | type) != "number" or (.score_rejected | type) != "number"
then error("missing or non-numeric score") else . end
| .score_chosen as $w | .score_rejected as $l
| condition($w), (swap | condition($l))
