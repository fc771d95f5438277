# --from arena (and auto): Chatbot Arena battles become implicit-prompt
# pairs, the winner's conversation as chosen; model_a/model_b become
# chosen_model/rejected_model; ties (tie, tie (bothbad)) are dropped and
# counted, or kept by --to lists.  A two-turn battle whose first answers
# differ is counted as diverges_early (--strict: a bad record).
u() { printf '{"role":"user","content":"%s"}' "$1"; }
a() { printf '{"role":"assistant","content":"%s"}' "$1"; }
{
printf '{"question_id":"q1","model_a":"m1","model_b":"m2","winner":"model_b","judge":"arena_user_1","conversation_a":[%s,%s],"conversation_b":[%s,%s],"turn":1}\n' \
	"$(u Hi)" "$(a Yo)" "$(u Hi)" "$(a Hello)"
printf '{"question_id":"q2","model_a":"m1","model_b":"m3","winner":"model_a","judge":"arena_user_2","conversation_a":[%s,%s],"conversation_b":[%s,%s],"turn":1}\n' \
	"$(u 2+2?)" "$(a 4)" "$(u 2+2?)" "$(a 5)"
printf '{"question_id":"q3","model_a":"m2","model_b":"m3","winner":"tie (bothbad)","judge":"arena_user_3","conversation_a":[%s,%s],"conversation_b":[%s,%s],"turn":1}\n' \
	"$(u Joke)" "$(a No)" "$(u Joke)" "$(a Nope)"
printf '{"question_id":"q4","model_a":"m3","model_b":"m1","winner":"model_a","judge":"arena_user_4","conversation_a":[%s,%s,%s,%s],"conversation_b":[%s,%s,%s,%s],"turn":2}\n' \
	"$(u Q)" "$(a A1)" "$(u R)" "$(a A2)" "$(u Q)" "$(a B1)" "$(u R)" "$(a B2)"
} >arena.jsonl
pref-convert --stats=s.json arena.jsonl
cat s.json
echo "# --to lists keeps the tie (the two-turn battle cannot be a list: a bad record)"
pref-convert --from arena --to lists arena.jsonl
echo '# --strict'
pref-convert --from arena --strict --on-error=skip --stats=s.json arena.jsonl >/dev/null
cat s.json
echo '# --to standard: the shared user turn is the prompt'
pref-convert --from arena --to standard --on-error=skip arena.jsonl
