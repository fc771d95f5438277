# The member-clash rule (prefkit(7)): "ches", "ln_ches" and "ches_source"
# replace the members of those names, in their places.  By hand: S+ =
# a + b, S- = a + c, so ches = 1 - 2 and ln_ches = 1/4 - 2/4.
# nodup (common/nodup.inc): no key written twice, and pref-cat accepts it.
. "$CASEDIR/../common/nodup.inc"
echo '{"ches":"x","prompt":"p","chosen":"a b","rejected":"a c","ln_ches":0,"ches_source":0}' |
	pref-ches > out.jsonl
echo "exit $?"
cat out.jsonl
nodup out.jsonl
