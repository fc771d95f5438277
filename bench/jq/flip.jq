# SPDX-License-Identifier: MIT
# Baseline for pref-flip (SPEC 3.5, defaults): F-DPO factuality-aware flip.
# Run as: jq -c -L bench/jq -f bench/jq/flip.jq FILE
include "pairs";

def hlabel:
  if . == true then 1 elif . == false then 0
  elif . == 0 or . == 1 then .
  else error("bad label: \(tojson)") end;

(.h_w | hlabel) as $w | (.h_l | hlabel) as $l
| if $w == 1 and $l == 0 then swap | .flipped = true | .delta_h = 1
  else (if has("flipped") then . else .flipped = false end) | .delta_h = ($l - $w)
  end
