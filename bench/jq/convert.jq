# SPDX-License-Identifier: MIT
# Baseline for pref-convert --from hh (SPEC 1.5): prompt = the common prefix
# ending with the last "\n\nAssistant:" before the transcripts differ.
# Each response loses its single leading space (man/pref-convert.1).
# Identical, prefix and diverging-early records are dropped.
# (Split on the marker: jq 1.6's index/indices count bytes, not characters.)
# Run as: jq -c -f bench/jq/convert.jq FILE
def unspace: if startswith(" ") then .[1:] else . end;

"\n\nAssistant:" as $m
| (.chosen | split($m)) as $c
| (.rejected | split($m)) as $r
| ([($c | length), ($r | length)] | min) as $n
| (first(range(0; $n) | select($c[.] != $r[.])) // $n) as $k
| select(.chosen != .rejected
         and $k < $n and $k > 0
         and $k == ($c | length) - 1 and $k == ($r | length) - 1
         and (($c[$k] | startswith($r[$k])) or ($r[$k] | startswith($c[$k]))) == false)
| {prompt: (($c[:$k] | join($m)) + $m), chosen: ($c[$k] | unspace), rejected: ($r[$k] | unspace)}
  + del(.chosen, .rejected)
