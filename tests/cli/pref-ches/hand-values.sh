# Values worked out by hand (issue 11).
# Inline S+ = [3,6] (L+ = 3), S- = [4,0] (L- = 2): <S+,S-> = 12, |S+|^2 =
# 45, ches = -33; means [1,2], [2,0]: ln_ches = 2 - 5 = -3.
echo '{"chosen":"c","rejected":"r","emb_chosen":[3,6],"emb_rejected":[4,0],"len_chosen":3,"len_rejected":2}' |
	pref-ches --embeddings inline
# the same given as means
echo '{"chosen":"c","rejected":"r","emb_chosen":[1,2],"emb_rejected":[2,0.0],"len_chosen":3,"len_rejected":2}' |
	pref-ches --embeddings inline --mean
# identical responses: 0
echo '{"chosen":"same words","rejected":"same words"}' | pref-ches
# disjoint: -|c+|^2.  "to be or not to be": to, " be", " or", " not",
# " to", " be": counts 1,2,1,1,1: |c+|^2 = 8, L+ = 6: ln = -8/36
echo '{"chosen":"to be or not to be","rejected":"xyz"}' | pref-ches
# edit: a, " b", " c" against a, " c": one deletion in 3: -1/3; ches =
# 2 - 3 = -1; ln: means (1/3 each) and (1/2, 1/2): 1/3 - 1/3 = 0
echo '{"chosen":"a b c","rejected":"a c"}' | pref-ches --metric edit
# message lists: only the assistant content counts
echo '{"chosen":[{"role":"user","content":"a c"},{"role":"assistant","content":"a b"}],"rejected":[{"role":"user","content":"q"},{"role":"assistant","content":"a c"}]}' |
	pref-ches --metric ches
