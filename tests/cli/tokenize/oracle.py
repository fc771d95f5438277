# SPDX-License-Identifier: MIT
# oracle.py - the GPT-2 pre-tokenizer pattern of SPEC 3.4 in Python's own
# re module, which has no \p{..}: the classes are spelled out from
# unicodedata instead.  \p{L} = categories L*, \p{N} = categories N*, and
# \s = what PCRE2 with UCP means by it (pcre2pattern(3), "Generic character
# types"): \p{Z} plus the horizontal (\h) and vertical (\v) space
# characters PCRE2 lists.  Used by the tokenizer and pref-ches tests as an
# implementation independent of PCRE2.
import re
import sys
import unicodedata

H_SPACE = [0x09, 0x20, 0xA0, 0x1680, 0x180E] + list(range(0x2000, 0x200B)) + \
    [0x202F, 0x205F, 0x3000]
V_SPACE = list(range(0x0A, 0x0E)) + [0x85, 0x2028, 0x2029]


def _classes():
    """The three classes as re character-class bodies (ranges of \\U)."""
    spaces = set(H_SPACE + V_SPACE)
    out = {"L": [], "N": [], "S": []}
    start = {"L": None, "N": None, "S": None}
    for cp in range(0x110001):
        if cp < 0x110000:
            c = unicodedata.category(chr(cp))[0]
            now = {"L": c == "L", "N": c == "N", "S": c == "Z" or cp in spaces}
        else:
            now = {"L": False, "N": False, "S": False}
        for k, ok in now.items():
            if ok and start[k] is None:
                start[k] = cp
            elif not ok and start[k] is not None:
                out[k].append("\\U%08x-\\U%08x" % (start[k], cp - 1))
                start[k] = None
    return ("".join(out["L"]), "".join(out["N"]), "".join(out["S"]))


L, N, S = _classes()

PATTERN = re.compile(
    "'(?:[sdmt]|ll|ve|re)| ?[%s]+| ?[%s]+| ?[^%s%s%s]+|[%s]+(?![^%s])|[%s]+"
    % (L, N, S, L, N, S, S, S))


def tokens(text):
    return PATTERN.findall(text)


if __name__ == "__main__":
    import json
    for line in sys.stdin:
        print(json.dumps(tokens(json.loads(line)), ensure_ascii=False))
