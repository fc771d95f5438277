# --from pairwise: every label convention of issue 12, one file each.
# A label picks the winner through --a-wins/--b-wins/--tie; the winner's
# text goes to "chosen" in A's place, the other to "rejected" in B's
# place; the label stays; ties are dropped and counted.  Expected output
# written by hand.
rec() { printf '{"prompt":"p%s","response_a":"a%s","response_b":"b%s","label":%s}\n' "$1" "$1" "$1" "$2"; }

echo '# 1/2 with 0 = tie (FineGrainedRLHF); 1 also matches 1.0 and "1"'
{ rec 1 1; rec 2 2; rec 3 0; rec 4 1.0; rec 5 '"1"'; rec 6 '"2"'; } >a.jsonl
pref-convert --from pairwise --a-wins 1 --b-wins 2 --tie 0 --stats=s.json a.jsonl
cat s.json

echo '# 0/1 with 2 = tie (better_response_id style)'
{ rec 1 0; rec 2 1; rec 3 2; } >b.jsonl
pref-convert --from pairwise --a-wins 0 --b-wins 1 --tie 2 --stats=s.json b.jsonl
cat s.json

echo '# a float in [1, 2], 1.5 = tie'
{ rec 1 1; rec 2 1.25; rec 3 1.5; rec 4 1.75; rec 5 2; rec 6 '"1.5"'; } >c.jsonl
pref-convert --from pairwise --a-wins '<1.5' --b-wins '>1.5' --tie 1.5 --stats=s.json c.jsonl
cat s.json

echo '# a signed strength, < 0 means A (HelpSteer2 style, -3..3)'
{ rec 1 -3; rec 2 -1; rec 3 0; rec 4 2; rec 5 3; } >d.jsonl
pref-convert --from pairwise --a-wins '<0' --b-wins '>0' --tie 0 --stats=s.json d.jsonl
cat s.json

echo '# model_a / model_b / tie / tie (bothbad), with the models'
printf '%s\n' \
 '{"prompt":"q1","response_a":"a1","response_b":"b1","model_a":"m1","model_b":"m2","winner":"model_a"}' \
 '{"prompt":"q2","response_a":"a2","response_b":"b2","model_a":"m1","model_b":"m2","winner":"model_b"}' \
 '{"prompt":"q3","response_a":"a3","response_b":"b3","model_a":"m1","model_b":"m2","winner":"tie"}' \
 '{"prompt":"q4","response_a":"a4","response_b":"b4","model_a":"m1","model_b":"m2","winner":"tie (bothbad)"}' >e.jsonl
pref-convert --from pairwise --label-field winner --model-a-field model_a --model-b-field model_b \
	--a-wins model_a --b-wins model_b --tie 'tie, tie (bothbad)' --stats=s.json e.jsonl
cat s.json

echo '# ties kept with --to lists: two responses of equal rank'
pref-convert --from pairwise --label-field winner --model-a-field model_a --model-b-field model_b \
	--a-wins model_a --b-wins model_b --tie 'tie, tie (bothbad)' --to lists e.jsonl
