#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""scan-paths.py [--runs N] [--bin DIR] [--base DIR] [--paths P,...] [--tools T,...] FILE

The scanner's code paths against each other (issue 16 item 2): runs each
tool (default: cat, relabel) on FILE with PREFKIT_SCAN set to each path
(default: scalar, sse2, avx2, avx512), output to /dev/null, N rounds
(default 5) with the paths interleaved within each round, so that a change
in the machine's load falls on every path alike.  Prints, per tool and path,
the median and the best CPU time (user + system, from wait4) and the input
bytes per second of CPU time at the median.  A path the CPU lacks runs the
best path below it (prefkit(7), PREFKIT_SCAN): its figures are then that
path's.  --base DIR adds the commands of another build (before a change,
say), run as they choose, as one more path named "base".

Before timing, every path's output is compared with the first path's
(byte for byte, through a hash): a difference is an error (exit 1).
"""

import argparse
import hashlib
import os
import statistics
import subprocess
import sys


def run(cmd, env, out):
    pid = os.fork()
    if pid == 0:
        try:
            fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            os.dup2(fd, 1)
            os.execvpe(cmd[0], cmd, env)
        finally:
            os._exit(127)
    _, status, ru = os.wait4(pid, 0)
    if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0:
        sys.exit("scan-paths.py: %s failed (status %d)" % (" ".join(cmd), status))
    return ru.ru_utime + ru.ru_stime


def digest(cmd, env):
    h = hashlib.sha256()
    p = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE)
    for chunk in iter(lambda: p.stdout.read(1 << 20), b""):
        h.update(chunk)
    if p.wait() != 0:
        sys.exit("scan-paths.py: %s failed" % " ".join(cmd))
    return h.hexdigest()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[1])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--bin", default=os.path.join(os.path.dirname(__file__), "..", "_build"))
    ap.add_argument("--paths", default="scalar,sse2,avx2,avx512")
    ap.add_argument("--tools", default="cat,relabel")
    ap.add_argument("--base")
    ap.add_argument("file")
    a = ap.parse_args()
    paths = a.paths.split(",")
    size = os.path.getsize(a.file)
    bad = 0
    print("| tool | path | median CPU s | best CPU s | MB/s of CPU (median) |")
    print("|---|---|---|---|---|")
    for tool in a.tools.split(","):
        cmds, envs = {}, {}
        for p in paths:
            env = dict(os.environ)
            env["PREFKIT_SCAN"] = p
            envs[p] = env
            cmds[p] = [os.path.join(a.bin, "pref-" + tool), a.file]
        if a.base:
            env = dict(os.environ)
            env.pop("PREFKIT_SCAN", None)
            envs["base"] = env
            cmds["base"] = [os.path.join(a.base, "pref-" + tool), a.file]
        ref = None
        for p in envs:
            d = digest(cmds[p], envs[p])
            if ref is None:
                ref = d
            elif d != ref:
                print("scan-paths.py: pref-%s: path %s writes other bytes than %s"
                      % (tool, p, paths[0]), file=sys.stderr)
                bad = 1
        times = {p: [] for p in envs}
        for _ in range(a.runs):
            for p in envs:
                times[p].append(run(cmds[p], envs[p], os.devnull))
        for p in envs:
            med = statistics.median(times[p])
            print("| pref-%s | %s | %.3f | %.3f | %.0f |"
                  % (tool, p, med, min(times[p]), size / med / 1e6))
    return bad


if __name__ == "__main__":
    sys.exit(main())
