# Several label fields are votes: the side with more than half of all the
# votes wins, anything else is a tie; votes_chosen and votes_rejected
# count the winner's and the loser's votes.  Expected output by hand.
printf '%s\n' \
 '{"prompt":"p1","response_a":"a1","response_b":"b1","j1":1,"j2":1,"j3":2}' \
 '{"prompt":"p2","response_a":"a2","response_b":"b2","j1":2,"j2":0,"j3":2}' \
 '{"prompt":"p3","response_a":"a3","response_b":"b3","j1":1,"j2":2,"j3":0}' \
 '{"prompt":"p4","response_a":"a4","response_b":"b4","j1":1,"j2":0,"j3":0}' \
 '{"prompt":"p5","response_a":"a5","response_b":"b5","j1":2,"j2":2,"j3":2}' >in.jsonl
pref-convert --from pairwise --label-field j1,j2,j3 --a-wins 1 --b-wins 2 --tie 0 --stats=s.json in.jsonl
cat s.json
echo '# the ties as two-response lists, the votes in each response'
pref-convert --from pairwise --label-field j1,j2,j3 --a-wins 1 --b-wins 2 --tie 0 --to lists in.jsonl
echo '# two votes split 1:1 are a tie; a comparison list per side'
printf '%s\n' '{"prompt":"p","response_a":"a","response_b":"b","x":0.2,"y":-0.7}' |
	pref-convert --from pairwise --label-field x,y --a-wins '<0' --b-wins '>0' --to lists
