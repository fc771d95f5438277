# Histograms: Unicode blocks in a UTF-8 locale; the same report with ASCII
# characters in a locale that is not UTF-8 (C) and with --ascii; the
# figures are the same (only the histogram characters differ, one for one:
# block k of U+2581..U+2588 is character k of ".:-=+*#@").
f=$TESTDATA/relabel/train_clean.jsonl
LC_ALL=C.UTF-8 pref-stats "$f" >utf8.txt
LC_ALL=C pref-stats "$f" >c.txt
LC_ALL=C.UTF-8 pref-stats --ascii "$f" >ascii.txt
cmp c.txt ascii.txt && echo "C locale = --ascii"
python3 - <<'END'
u = open("utf8.txt", encoding="utf-8").read()
a = open("c.txt", encoding="utf-8").read()
blocks = "".join(chr(0x2581 + k) for k in range(8))
print("UTF-8 report has blocks:", any(c in blocks for c in u))
print("C report is ASCII:", all(ord(c) < 128 for c in a))
print("same but for the blocks:", u.translate(str.maketrans(blocks, ".:-=+*#@")) == a)
END
