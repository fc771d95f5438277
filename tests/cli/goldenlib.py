# SPDX-License-Identifier: MIT
# goldenlib.py - what the golden oracles of tests/cli/*/golden_oracle.py
# share, and the runner of the golden-oracle cases.
#
# An oracle is a Python version of one command, written from SPEC.md and
# the man pages (never from the C code), that takes the command's options.
# The runner (python3 goldenlib.py CMD ORACLE CASE...) runs each CASE.sh of
# the command's directory again with CMD on PATH being the oracle, and
# compares what the case prints with the case's committed CASE.stdout:
# lines that are JSON are compared as values, with object key order and the
# text of every number exact (strings compared after decoding, so an escape
# written another way is no difference); other lines are compared as text.
# Lines that are the command's messages ("CMD: ...", from a case that
# sends standard error to standard output) are left out on both sides.
# The JSON lines of standard error (the counts of --stats) are compared
# the same way with those of the case's CASE.stderr, when it has one.
# One verdict line per case.  So an expected file regenerated from a wrong
# program (PK_REGEN) no longer agrees with the oracle, and this case fails.
# An oracle that prints a message of the command inside its data (the
# violation lines of pref-check's report, the "message" of its JSON
# report) writes MESSAGE there: it stands for any text in that place.
import json, os, subprocess, sys, tempfile

# ---------------------------------------------------------------- JSON

class Num:
    """A JSON number that keeps the text it was written with."""
    __slots__ = ("raw", "value")

    def __init__(self, raw):
        self.raw = raw
        if "." in raw or "e" in raw or "E" in raw:
            self.value = float(raw)
        else:
            self.value = int(raw)

    def __float__(self):
        return float(self.value)

    def __repr__(self):
        return "Num(%s)" % self.raw


class BadRecord(Exception):
    pass


def _pairs(pairs):
    d = {}
    for k, v in pairs:
        if k in d:
            raise BadRecord("duplicate key '%s'" % k)
        d[k] = v
    return d


def _constant(name):
    raise BadRecord("not JSON: %s" % name)


_decoder = json.JSONDecoder(object_pairs_hook=_pairs, parse_float=Num,
                            parse_int=Num, parse_constant=_constant)


def loads(text):
    """Parse one JSON value: objects as dicts in key order (a duplicate
    key is an error), numbers as Num."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise BadRecord("invalid UTF-8")
    try:
        v, end = _decoder.raw_decode(text.strip(" \t\r\n"))
    except json.JSONDecodeError as e:
        raise BadRecord("invalid JSON: %s" % e.msg)
    if end != len(text.strip(" \t\r\n")):
        raise BadRecord("invalid JSON: text after the value")
    return v


def num(x):
    """A number the command computes: an integer when integral, else the
    shortest text that reads back to the same double (SPEC 1)."""
    if isinstance(x, Num):
        return x
    if isinstance(x, bool):
        raise TypeError
    if isinstance(x, int):
        return Num(str(x))
    if x == int(x) and abs(x) < 1e17:
        return Num(str(int(x)))
    return Num(repr(float(x)))


def usable(v):
    """prefkit(7) NUMBERS: a number used as a value fits a double, does not
    read as 0 unless it is 0, and an integer fits in 64 bits.  The value as
    a float, or BadRecord."""
    if not isinstance(v, Num):
        raise BadRecord("not a number")
    if isinstance(v.value, int):
        if not -2**63 <= v.value < 2**63:
            raise BadRecord("out of range")
        return float(v.value)
    x = v.value
    mant = v.raw.lower().split("e")[0]
    if x in (float("inf"), float("-inf")) or (x == 0 and mant.strip("-+0.") != ""):
        raise BadRecord("out of range")
    return x


def fmt_num(x):
    """The text of a computed number (as num)."""
    return num(x).raw


def dumps(v):
    """Compact JSON, UTF-8 as is, numbers as their Num text."""
    if isinstance(v, dict):
        return "{" + ",".join(json.dumps(k, ensure_ascii=False) + ":" + dumps(x)
                              for k, x in v.items()) + "}"
    if isinstance(v, list):
        return "[" + ",".join(dumps(x) for x in v) + "]"
    if isinstance(v, Num):
        return v.raw
    if isinstance(v, bool) or v is None:
        return json.dumps(v)
    if isinstance(v, (int, float)):
        return fmt_num(v)
    return json.dumps(v, ensure_ascii=False)


def is_number(v):
    return isinstance(v, Num)


def get_path(obj, path):
    """The value at a dotted path, or KeyError."""
    for part in path.split("."):
        if not isinstance(obj, dict) or part not in obj:
            raise KeyError(path)
        obj = obj[part]
    return obj


def has_path(obj, path):
    try:
        get_path(obj, path)
        return True
    except KeyError:
        return False


def set_path(obj, path, v):
    parts = path.split(".")
    for part in parts[:-1]:
        obj = obj[part]
    obj[parts[-1]] = v


def partner(name):
    """SPEC 1.2: the other side's name of a paired field, or None."""
    if "chosen" in name:
        return name.replace("chosen", "rejected")
    if "rejected" in name:
        return name.replace("rejected", "chosen")
    if name.endswith("_w"):
        return name[:-2] + "_l"
    if name.endswith("_l"):
        return name[:-2] + "_w"
    return None


def swap_paired(obj):
    """Swap every paired field of obj with its partner, in nested objects
    too; a field without a partner takes the partner's name in its place."""
    out = {}
    for k, v in obj.items():
        p = partner(k)
        if p is None:
            out[k] = swap_paired(v) if isinstance(v, dict) else v
        elif p in obj:
            out[k] = obj[p]
        else:
            out[p] = v
    return out

# --------------------------------------------------------------- input

def _raw_input(name):
    if name == "-":
        data = sys.stdin.buffer.read()
        label = "-"
    else:
        with open(name, "rb") as f:
            data = f.read()
        label = name
    if data[:4] == b"\x28\xb5\x2f\xfd":
        r = subprocess.run(["zstd", "-dcq"], input=data, capture_output=True)
        if r.returncode != 0:
            raise IOError("%s: corrupt zstd stream" % label)
        data = r.stdout
    elif data[:2] == b"\x1f\x8b":
        import gzip
        data = gzip.decompress(data)
    return label, data


class InputError(Exception):
    """A problem with an input as a whole that ends the run whatever
    --on-error says (prefkit(7) ERRORS AND ACCOUNTING): a JSON array file
    that is not a valid array (status 1)."""

    def __init__(self, where, why, status=1):
        Exception.__init__(self, "%s:%d: %s" % (where[0], where[1], why))
        self.status = status


def compact_bytes(text):
    """Text of JSON with the blank space outside strings removed."""
    out, in_str, esc = bytearray(), False, False
    for b in text:
        if in_str:
            out.append(b)
            if esc:
                esc = False
            elif b == 0x5c:
                esc = True
            elif b == 0x22:
                in_str = False
        elif b in b" \t\r\n":
            continue
        else:
            out.append(b)
            in_str = b == 0x22
    return bytes(out)


_BLANK = b" \t\r\n"


def _array_elements(label, data, max_line):
    """prefkit(7) JSON array files: the elements of the array in data, as
    (line, raw text of the element, too long), the line being where the
    element starts.  An element is found by following its strings and
    brackets only; anything that is not a valid array raises InputError,
    after the elements before it have been given.  The blank space between
    elements (with the ','), before and after the ']', is at most max_line
    bytes."""
    n = len(data)

    def where(i):
        return (label, data.count(b"\n", 0, i) + 1)

    def blank_run(i, bounded=True):
        j = i
        while j < n and data[j] in _BLANK:
            j += 1
            if bounded and j - i > max_line:
                raise InputError(where(j), "invalid JSON array: blank space too long "
                                 "(more than %d bytes)" % max_line)
        return j

    i = data.index(b"[") + 1
    i = blank_run(i, False)  # not bounded after the '['
    if i < n and data[i:i + 1] == b"]":
        i += 1
    else:
        while True:
            if i >= n:
                raise InputError(where(i), "invalid JSON array: not closed")
            start = i
            c = data[i:i + 1]
            if c in (b"{", b"["):
                stack, in_str, esc = [], False, False
                while i < n:
                    b = data[i]
                    i += 1
                    if in_str:
                        if esc:
                            esc = False
                        elif b == 0x5c:
                            esc = True
                        elif b == 0x22:
                            in_str = False
                    elif b == 0x22:
                        in_str = True
                    elif b in (0x7b, 0x5b):
                        stack.append(b)
                        if len(stack) > 2048:
                            raise InputError(where(i), "nested too deep")
                    elif b in (0x7d, 0x5d):
                        if not stack or stack.pop() != (0x7b if b == 0x7d else 0x5b):
                            raise InputError(where(i), "brackets do not match")
                        if not stack:
                            break
                else:
                    raise InputError(where(i), "invalid JSON array: not closed")
            elif c == b'"':
                i += 1
                esc = False
                while i < n:
                    b = data[i]
                    i += 1
                    if esc:
                        esc = False
                    elif b == 0x5c:
                        esc = True
                    elif b == 0x22:
                        break
                else:
                    raise InputError(where(i), "invalid JSON array: not closed")
            else:
                while i < n and data[i] not in b",]" + _BLANK:
                    i += 1
            raw = data[start:i]
            line = where(start)[1]
            if len(raw) > max_line:
                yield line, raw, True
            else:
                try:
                    v = loads(raw)
                except BadRecord as e:
                    raise InputError((label, line), str(e))
                yield line, raw, v
            j = blank_run(i)
            if j < n and data[j:j + 1] == b",":
                j = blank_run(j + 1)
                if j - i > max_line:
                    raise InputError(where(j), "invalid JSON array: blank space too long "
                                     "(more than %d bytes)" % max_line)
                if j < n and data[j:j + 1] == b"]":
                    raise InputError(where(j), "invalid JSON array: ',' before ']'")
                i = j
                continue
            if j < n and data[j:j + 1] == b"]":
                i = j + 1
                break
            raise InputError(where(j), "invalid JSON array: ',' or ']' expected")
    j = blank_run(i)
    if j < n:
        raise InputError(where(j), "invalid JSON array: text after ']'")


class Input:
    """The records of the input files (SPEC 1, 2): (file, line, raw bytes,
    value or BadRecord); blank lines counted in .blank.  An element of a
    JSON array file comes as its compact text; one longer than max_line is
    a BadRecord "line too long".  A file that is not a valid array raises
    InputError; given run (a Run), that ends the run instead: the message,
    the records so far written, exit status 1."""

    def __init__(self, files, run=None, max_line=256 * 1024 * 1024):
        self.files = files or ["-"]
        self.blank = 0
        self.run = run
        self.max_line = max_line

    def __iter__(self):
        try:
            for rec in self._records():
                yield rec
        except InputError as e:
            if self.run is None:
                raise
            sys.stderr.write("%s: %s\n" % (self.run.prog, e))
            self.run.counts["blank"] = self.blank
            self.run.finish(e.status)

    def _records(self):
        for name in self.files:
            label, data = _raw_input(name)
            if data.startswith(b"\xef\xbb\xbf"):
                data = data[3:]
            if data.lstrip(_BLANK).startswith(b"["):
                for line, raw, v in _array_elements(label, data, self.max_line):
                    if v is True:
                        v = BadRecord("line too long (more than %d bytes)" % self.max_line)
                    elif not isinstance(v, dict):
                        v = BadRecord("not a JSON object")
                    yield label, line, compact_bytes(raw), v
                continue
            lines = data.split(b"\n")
            if lines and lines[-1] == b"":
                lines.pop()
            for i, line in enumerate(lines, 1):
                body = line[:-1] if line.endswith(b"\r") else line
                if body.strip(b" \t") == b"":
                    self.blank += 1
                    continue
                try:
                    v = loads(body)
                    if not isinstance(v, dict):
                        raise BadRecord("not an object")
                except BadRecord as e:
                    v = e
                yield label, i, body, v

# ------------------------------------------------------------- options

class Usage(Exception):
    pass


def parse_args(argv, spec, short=None):
    """spec: long name -> 'none' | 'req' | 'opt' (value attached only).
    short: letter -> long name.  Returns ({name: [values]}, operands)."""
    short = short or {}
    opts, files = {}, []
    i = 0
    while i < len(argv):
        a = argv[i]
        i += 1
        if a == "--":
            files += argv[i:]
            break
        if a.startswith("--"):
            name, eq, val = a[2:].partition("=")
            cands = [n for n in spec if n == name] or [n for n in spec if n.startswith(name)]
            if len(cands) != 1:
                raise Usage("unknown or ambiguous option --%s" % name)
            name = cands[0]
            kind = spec[name]
            if kind == "none":
                if eq:
                    raise Usage("--%s takes no value" % name)
                val = True
            elif kind == "req" and not eq:
                if i >= len(argv):
                    raise Usage("--%s needs a value" % name)
                val = argv[i]
                i += 1
            elif kind == "opt" and not eq:
                val = True
            opts.setdefault(name, []).append(val)
        elif a.startswith("-") and a != "-":
            j = 1
            while j < len(a):
                c = a[j]
                if c not in short:
                    raise Usage("unknown option -%s" % c)
                name = short[c]
                kind = spec[name]
                if kind == "none":
                    opts.setdefault(name, []).append(True)
                    j += 1
                    continue
                rest = a[j + 1:]
                if kind == "opt":
                    opts.setdefault(name, []).append(rest if rest else True)
                elif rest:
                    opts.setdefault(name, []).append(rest)
                else:
                    if i >= len(argv):
                        raise Usage("-%s needs a value" % c)
                    opts.setdefault(name, []).append(argv[i])
                    i += 1
                break
        else:
            files.append(a)
    return opts, files


COMMON = {"output": "req", "zstd": "opt", "on-error": "req", "stats": "opt",
          "max-line": "req", "progress": "none", "no-progress": "none",
          "quiet": "none", "help": "none", "version": "none"}
COMMON_SHORT = {"o": "output", "z": "zstd", "q": "quiet", "h": "help", "V": "version"}


def last(opts, name, default=None):
    v = opts.get(name)
    return v[-1] if v else default

# -------------------------------------------------------------- output

class Run:
    """Output, bad records and accounting of one command run (SPEC 2)."""

    def __init__(self, prog, opts):
        self.prog = prog
        self.out = []
        self.output = last(opts, "output", "-")
        self.zstd = last(opts, "zstd")
        self.stats_to = last(opts, "stats")
        self.on_error = last(opts, "on-error", "abort")
        self.counts = {"read": 0, "written": 0, "skipped": 0, "quarantined": 0,
                       "blank": 0}
        self.quarantine = None
        if self.on_error.startswith("quarantine="):
            self.quarantine = self.on_error[len("quarantine="):]
            open(self.quarantine, "wb").close()
        elif self.on_error not in ("abort", "skip"):
            raise Usage("--on-error: bad mode")

    def write(self, rec):
        self.out.append(dumps(rec) if not isinstance(rec, str) else rec)
        self.counts["written"] += 1

    def bad(self, where, line, why):
        """A bad record: abort (exit 1), skip or quarantine."""
        sys.stderr.write("%s: %s:%d: %s\n" % (self.prog, where[0], where[1], why))
        if self.on_error == "abort":
            self.finish(1)
        if self.quarantine:
            with open(self.quarantine, "ab") as f:
                f.write(line + b"\n")
            self.counts["quarantined"] += 1
        else:
            self.counts["skipped"] += 1

    def finish(self, status=0, extra=None):
        text = "".join(l + "\n" for l in self.out)
        if self.output == "-":
            if self.zstd:
                r = subprocess.run(["zstd", "-qc"], input=text.encode(), capture_output=True)
                sys.stdout.flush()
                sys.stdout.buffer.write(r.stdout)
            else:
                sys.stdout.write(text)
        elif status == 0:
            data = text.encode()
            if self.zstd or self.output.endswith(".zst"):
                data = subprocess.run(["zstd", "-qc"], input=data,
                                      capture_output=True).stdout
            with open(self.output, "wb") as f:
                f.write(data)
        if self.stats_to and status != 2:
            s = dumps(self.counts)
            if self.stats_to is True:
                sys.stderr.write(s + "\n")
            else:
                with open(self.stats_to, "w") as f:
                    f.write(s + "\n")
        sys.stdout.flush()
        sys.exit(status)


def usage_error(prog, msg):
    sys.stderr.write("%s: %s\n" % (prog, msg))
    sys.stdout.flush()
    sys.exit(2)

# --------------------------------------------------------------- runner

def _canon(v):
    if isinstance(v, dict):
        return ("obj", [(k, _canon(x)) for k, x in v.items()])
    if isinstance(v, list):
        return ("arr", [_canon(x) for x in v])
    if isinstance(v, Num):
        return ("num", v.raw)
    return (type(v).__name__, v)


def _line_value(line):
    s = line.strip()
    if not s or s[0] not in "{[":
        return None
    try:
        return _canon(loads(s))
    except BadRecord:
        return None


# What an oracle writes in place of a message of the command (the
# project's own words, which it cannot know): in compare, it stands for
# any text in its place, in a line of text or as a JSON string.
MESSAGE = "<<message>>"


def _wild_text(pattern, line):
    import re
    return re.fullmatch(".*".join(re.escape(p) for p in pattern.split(MESSAGE)),
                        line, re.S) is not None


def _wild_value(want, got):
    """The canonical values _canon gives agree, a MESSAGE string of got
    standing for any string of want."""
    if got == ("str", MESSAGE) and want[0] == "str":
        return True
    if want[0] != got[0] or want[0] not in ("obj", "arr"):
        return want == got
    if len(want[1]) != len(got[1]):
        return False
    if want[0] == "obj":
        return all(a[0] == b[0] and _wild_value(a[1], b[1])
                   for a, b in zip(want[1], got[1]))
    return all(_wild_value(a, b) for a, b in zip(want[1], got[1]))


def compare(want, got):
    """None when the outputs agree, else where they first differ."""
    w = want.split("\n")
    g = got.split("\n")
    for i in range(max(len(w), len(g))):
        a = w[i] if i < len(w) else None
        b = g[i] if i < len(g) else None
        if a is None or b is None:
            return "line %d: %s" % (i + 1, "oracle writes more" if a is None
                                    else "oracle stops before it")
        va, vb = _line_value(a), _line_value(b)
        if va is not None and vb is not None:
            if not _wild_value(va, vb):
                return "line %d: oracle writes %s" % (i + 1, b[:300])
        elif MESSAGE in b:
            if not _wild_text(b, a):
                return "line %d: oracle writes %s" % (i + 1, b[:300])
        elif a != b:
            return "line %d: oracle writes %s" % (i + 1, b[:300])
    return None


def without_messages(cmd, text):
    """text without the command's messages ("CMD: ..." lines, from a case
    that sends standard error to its output): they are the project's own
    words, hand-written by definition."""
    return "".join(l + "\n" for l in text.split("\n")[:-1]
                   if not l.startswith(cmd + ": ")) + text.split("\n")[-1]


def json_lines(text):
    """The lines of text that are JSON objects, as one text."""
    return "".join(l + "\n" for l in text.split("\n")
                   if l.startswith("{") and _line_value(l) is not None)


def run_cases(cmd, oracle, names):
    casedir = os.environ["CASEDIR"]
    top = os.getcwd()
    bindir = os.path.join(top, "oracle-bin")
    os.makedirs(bindir, exist_ok=True)
    shim = os.path.join(bindir, cmd)
    with open(shim, "w") as f:
        f.write('#!/bin/sh\nexec python3 "%s" "$@"\n' % os.path.abspath(oracle))
    os.chmod(shim, 0o755)
    env = dict(os.environ)
    env["PATH"] = bindir + os.pathsep + env["PATH"]
    env["PYTHONPATH"] = os.path.dirname(os.path.abspath(__file__))
    env["LC_ALL"] = "C"
    env["PYTHONDONTWRITEBYTECODE"] = "1"  # nothing written into the source tree
    bad = 0
    for name in names:
        work = os.path.join(top, "case-" + name)
        os.makedirs(work)
        r = subprocess.run(["sh", os.path.join(casedir, name + ".sh")], cwd=work,
                           env=env, stdin=subprocess.DEVNULL, capture_output=True)
        got = without_messages(cmd, r.stdout.decode("utf-8", "replace"))
        with open(os.path.join(casedir, name + ".stdout"), "rb") as f:
            want = without_messages(cmd, f.read().decode("utf-8", "replace"))
        why = compare(want, got)
        stderr_file = os.path.join(casedir, name + ".stderr")
        if why is None and os.path.exists(stderr_file):
            # the counts of --stats on standard error are data too: the
            # JSON lines of the two standard errors (messages are the
            # project's words, not compared)
            with open(stderr_file, "rb") as f:
                want_err = json_lines(f.read().decode("utf-8", "replace"))
            why = compare(want_err, json_lines(r.stderr.decode("utf-8", "replace")))
            if why is not None:
                why = "stderr's JSON " + why
        if why is None:
            print("%s: same" % name)
        else:
            bad += 1
            print("%s: DIFFERENT (%s)" % (name, why))
            if os.environ.get("PK_ORACLE_DEBUG"):
                sys.stderr.write(r.stderr.decode("utf-8", "replace"))
    return bad


if __name__ == "__main__":
    sys.exit(1 if run_cases(sys.argv[1], sys.argv[2], sys.argv[3:]) else 0)


def real_command(name, argv):
    """Run the real command for what is the project's own words (a format
    list, a help text): the PATH entry after the oracle's."""
    for d in os.environ["PATH"].split(os.pathsep):
        if os.path.basename(d) == "oracle-bin":
            continue
        p = os.path.join(d, name)
        if os.access(p, os.X_OK):
            sys.stdout.flush()
            os.execv(p, [name] + argv)
    sys.exit(127)


def xxh3_64(data):
    """XXH3-64, seed 0, as 16 lowercase hex digits, computed by xxhsum(1)."""
    r = subprocess.run(["xxhsum", "-H3", "-"], input=data, capture_output=True, check=True)
    return r.stdout.split()[-1].decode().lower().rjust(16, "0")


def group_id(prompt):
    """SPEC 1.4: XXH3-64 of the prompt as compact JSON with sorted keys."""
    return xxh3_64(canonical(prompt).encode())


def canonical(v):
    if isinstance(v, dict):
        return "{" + ",".join(json.dumps(k, ensure_ascii=False) + ":" + canonical(v[k])
                              for k in sorted(v)) + "}"
    if isinstance(v, list):
        return "[" + ",".join(canonical(x) for x in v) + "]"
    return dumps(v)


def canonical_key(v):
    """The canonical text of a key of pref-split(1) and pref-dedup(1):
    compact JSON, object keys sorted, strings as Python's
    json.dumps(ensure_ascii=False), integers as written, other numbers in
    their shortest form (1.0 is 1)."""
    if isinstance(v, dict):
        return "{" + ",".join(json.dumps(k, ensure_ascii=False) + ":" + canonical_key(v[k])
                              for k in sorted(v)) + "}"
    if isinstance(v, list):
        return "[" + ",".join(canonical_key(x) for x in v) + "]"
    if isinstance(v, Num):
        return v.raw if isinstance(v.value, int) else fmt_num(v.value)
    return json.dumps(v, ensure_ascii=False)


def is_conversation(v):
    """A message list (SPEC 1.1), as a chosen field an implicit prompt is
    taken from."""
    return isinstance(v, list) and len(v) > 0 and all(
        isinstance(m, dict) and "role" in m and "content" in m for m in v)
