# SPDX-License-Identifier: MIT
# Baseline for pref-curriculum --within gap (SPEC 3.3): every pair of the
# file held in memory, then sorted by stage and gap descending (jq's sort is
# stable: input order breaks ties).  Run as: jq -cn -L bench/jq -f curriculum.jq FILE
include "curriculum-pairs";
[inputs | curriculum_pairs] | sort_by(.stage, - .gap) | .[]
