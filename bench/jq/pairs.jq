# SPDX-License-Identifier: MIT
# Shared definitions for the jq baselines (jq 1.6+).  Included with
# `jq -L bench/jq 'include "pairs"; ...'` or inlined via -f and a prelude.

# The paired-field rule of SPEC 1.2: a key containing "chosen"/"rejected" or
# ending in "_w"/"_l" names the partner on the other side.
def partner:
  if contains("chosen") then split("chosen") | join("rejected")
  elif contains("rejected") then split("rejected") | join("chosen")
  elif endswith("_w") then .[:-2] + "_l"
  elif endswith("_l") then .[:-2] + "_w"
  else . end;

# Swap chosen and rejected with every paired field (renaming each paired key
# to its partner moves every value with its response).
def swap: with_entries(.key |= partner);
