# The member-clash rule (prefkit(7)): "flipped", "delta_h" and "margin"
# replace the members of those names, in their places.
# nodup (common/nodup.inc): no key written twice, and pref-cat accepts it.
. "$CASEDIR/../common/nodup.inc"
echo '{"flipped":"x","prompt":"p","chosen":"a","rejected":"b","h_w":1,"h_l":0,"delta_h":9,"margin":9}' |
	pref-flip --lambda=0.5 > out.jsonl
echo "exit $?"
cat out.jsonl
nodup out.jsonl
