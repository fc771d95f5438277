# Each rule on a file with known violations at known lines: the exact
# report (listed in input order, then the summary), exit 1.
printf '%s\n' \
 '{"prompt":"p","chosen":"a","rejected":"b","score_chosen":8,"score_rejected":3}' \
 '{"prompt":"p","chosen":"a"' \
 '{"prompt":"q","chosen":"a"}' \
 '{"prompt":"r","chosen":"   ","rejected":"b"}' \
 '{"prompt":"s","chosen":" same ","rejected":"same"}' \
 '{"prompt":"t","chosen":"a","rejected":"b","score_chosen":2,"score_rejected":9}' \
 '{"prompt":"u","chosen":"a","rejected":"b","score_chosen":5,"score_rejected":5}' \
 '{"prompt":"v","chosen":"a","rejected":"b","score_chosen":12,"score_rejected":5}' \
 '{"prompt":"p","chosen":"a","rejected":"b","score_chosen":7,"score_rejected":1}' \
 '{"prompt":"w","chosen":"Sure! As an AI model, I can not","rejected":"b"}' \
 '{"prompt":"x","chosen":"abcdefghijklmnopqrstuvwxyz","rejected":"b"}' \
 '{"prompt":"What is 2+2?","chosen":"4","rejected":"5"}' \
 '{"prompt":"y","chosen":{"text":"a"},"rejected":null}' \
 '{"prompt":"z","chosen":[{"role":"bot","content":"a"}],"rejected":"b"}' >in.jsonl
echo '{"prompt":"  What is 2+2?"}' >test.jsonl
pref-check --scale 1:10 --deny-regex '(?i)as an ai' --max-chars 20 --against test.jsonl in.jsonl
echo "exit $?"
# the same report against the rules of the man page written again in
# Python (rules_oracle.py): the rule and line of every violation, the
# summary and the totals
pref-check --scale 1:10 --deny-regex '(?i)as an ai' --max-chars 20 --against test.jsonl in.jsonl >report.txt
python3 "$CASEDIR/rules_oracle.py" report.txt --scale=1:10 '--deny-regex=(?i)as an ai' \
	--max-chars=20 --against=test.jsonl in.jsonl
