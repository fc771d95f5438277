# SPDX-License-Identifier: MIT
# For the sort(1) baseline of pref-curriculum: each pair as
# "STAGE<TAB>GAP<TAB>JSON", to be sorted with `sort -s -t TAB -k1,1n -k2,2gr`
# in bounded memory and cut back to the JSON.
include "curriculum-pairs";
curriculum_pairs | "\(.stage)\t\(.gap)\t\(tojson)"
