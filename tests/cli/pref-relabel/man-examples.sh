# Every command of the EXAMPLES section of man/pref-relabel.1, verbatim,
# on the shipped sample data.
ln -s "$DATA" data
pref-relabel --score-chosen-field metadata.score_chosen \
    --score-rejected-field metadata.score_rejected \
    --stats -o relabeled.jsonl data/sample-pairs.jsonl
wc -l <relabeled.jsonl | tr -d ' '
pref-relabel --goal-text 10
pref-relabel --placement field=condition --ties drop \
    --template 'Aim for a score of {score} out of {max}.' \
    --score-chosen-field metadata.score_chosen \
    --score-rejected-field metadata.score_rejected \
    data/sample-pairs.jsonl | head -n 4 | jq -r .condition
echo '{"prompt":[{"role":"user","content":"Hi"}],"chosen":"Hello!","rejected":"Go away.","scores_chosen":{"helpfulness":4,"correctness":4},"scores_rejected":{"helpfulness":1,"correctness":3}}' |
    pref-relabel --scale 0:4 --attributes helpfulness,correctness |
    jq -c '[.prompt[0].content, .chosen, .goal_scores]'
