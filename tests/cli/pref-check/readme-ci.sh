# The Makefile rule of the README ("Validating datasets in CI"), taken
# from the README itself: bad data fails the build and leaves no target;
# fixed data makes it.
awk '/^    ## Makefile/ {on = 1; next} on && /^$/ {exit} on {print substr($0, 5)}' \
    "$srcdir/README" >Makefile
printf '%s\n' '{"prompt":"What is 2+2?","chosen":"4","rejected":"5"}' \
  '{"prompt":"Spell cat.","chosen":"c-a-t","rejected":"k-a-t"}' >train.jsonl
echo '{"prompt":"What is 2+2?"}' >test.jsonl
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make --no-print-directory -s >out.txt 2>err.txt
echo "make: exit $?"
cat out.txt
test -e train.checked || echo "no train.checked"
jq -c '[.status, .rules.leak.violations]' train.checked.json
tail -n 1 train.jsonl >t && mv t train.jsonl
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make --no-print-directory -s
echo "make: exit $?"
test -e train.checked && echo "train.checked made"
jq -c '[.status, .rules.leak.violations]' train.checked.json
