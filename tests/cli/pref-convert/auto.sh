# --from auto (the default) detects the format from the first record and
# keeps it; --list-formats names them all.
pref-convert --list-formats
printf '%s\n' '{"prompt":"p","answers":[{"answer":"a","rank":1}]}' | pref-convert
printf '%s\n' '{"conversations":[{"from":"human","value":"q"}],"chosen":{"from":"gpt","value":"a"},"rejected":{"from":"gpt","value":"b"}}' | pref-convert
printf '%s\n' '{"prompt":"p","response":"r","helpfulness":4}' | pref-convert
printf '%s\n' '{"instruction":"i","completions":[{"response":"r","overall_score":7}]}' | pref-convert
printf '%s\n' '{"prompt":"p","chosen":"a","rejected":"b"}' | pref-convert
printf '%s\n' '{"q":1}' | pref-convert
echo "exit $?"
# what the record has and the formats that come closest
printf '%s\n' '{"question":"q","answer_a":"x","answer_b":"y","winner":"a"}' | pref-convert
printf '%s\n' '{"prompt":"p","chosen":"c","id":1}' | pref-convert
printf '%s\n' '{"prompt":"p","completion":"c","a":1,"b":2,"c":3,"d":4,"e":5}' | pref-convert
echo "exit $?"
