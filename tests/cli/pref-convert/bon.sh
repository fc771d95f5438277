# --from bon: the best response rank 1, every loser rank 2; by default
# the best against each loser (losers are tied: never paired together),
# --to lists the list.  group_id: printf '"P"' | xxhsum -H3 (9d2ac64db9e07d34)
# and '"P2"' (77bd7fc426bff556).  Expected output written by hand.
printf '%s\n' '{"prompt":"P","best":"b","losers":["l1","l2"],"id":1}' \
	'{"prompt":"P2","best":{"text":"b2","model":"m","p":0.9},"losers":[{"text":"x","model":"n","p":0.2}]}' >in.jsonl
pref-convert --from bon --best-field best --losers-field losers --stats=s.json in.jsonl
cat s.json
pref-convert --from bon --best-field best --losers-field losers --to lists in.jsonl
pref-convert --from bon --best-field best --losers-field losers --pairs all --to standard in.jsonl
echo '# other names: --text-field, --model-field, --prompt-field; message lists'
printf '%s\n' '{"q":[{"role":"user","content":"Hi"}],"top":{"response":[{"role":"assistant","content":"Hello"}],"by":"m1"},"rest":[{"response":[{"role":"assistant","content":"Go"}],"by":"m2","rank":7}]}' |
	pref-convert --from bon --prompt-field q --best-field top --losers-field rest \
	--text-field response --model-field by --to lists
echo '# pref-expand reads it too'
pref-expand --from bon --best-field best --losers-field losers in.jsonl
