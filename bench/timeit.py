#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""timeit.py [--runs N] [--stdin FILE] [--stdout FILE] [--errlog FILE] -- CMD [ARG]...

Runs CMD N times (default 3) with standard output to /dev/null (or FILE) and
prints one line for the fastest run:

    WALL USER SYS MAXRSS_KIB

WALL is the elapsed time (perf_counter, seconds); USER and SYS the CPU time
of that run, from wait4() on the child (microsecond resolution).

MAXRSS_KIB is the child's peak resident set size, measured by GNU time
(/usr/bin/time, Debian package `time`) which runs the command for us.  Why
not wait4()'s ru_maxrss: Linux keeps a process's peak RSS across exec(), so
a child spawned by this Python process starts with Python's own peak (10+ MiB,
more than the command under test may use); GNU time is a small C program and
forks a fresh child.  Without GNU time (or with --no-gnu-time), MAXRSS_KIB
is printed as -1 (unknown).

Exit status 0; if a run fails, the command's exit status is reported on
standard error with the tail of its standard error, and timeit.py exits 3.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time


GNU_TIME = "/usr/bin/time"


def have_gnu_time():
    if not os.access(GNU_TIME, os.X_OK):
        return False
    try:
        out = subprocess.run([GNU_TIME, "--version"], stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return b"GNU" in out


def run_once(argv, stdin, stdout, errfile, rssfile):
    if rssfile is not None:
        argv = [GNU_TIME, "-f", "%M", "-o", rssfile, "--"] + argv
    actions = [
        (os.POSIX_SPAWN_OPEN, 0, stdin, os.O_RDONLY, 0),
        (os.POSIX_SPAWN_OPEN, 1, stdout, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644),
        (os.POSIX_SPAWN_DUP2, errfile.fileno(), 2),
    ]
    t0 = time.perf_counter()
    pid = os.posix_spawnp(argv[0], argv, os.environ, file_actions=actions)
    _, status, ru = os.wait4(pid, 0)
    wall = time.perf_counter() - t0
    if os.WIFSIGNALED(status):
        code = 128 + os.WTERMSIG(status)
    else:
        code = os.WEXITSTATUS(status)
    rss = -1
    if rssfile is not None and code == 0:
        with open(rssfile) as f:
            last = f.read().split()
        rss = int(last[-1]) if last and last[-1].isdigit() else -1
    return code, wall, ru.ru_utime, ru.ru_stime, rss


def main():
    ap = argparse.ArgumentParser(prog="timeit.py")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--stdin", default="/dev/null")
    ap.add_argument("--stdout", default="/dev/null")
    ap.add_argument("--errlog", help="keep the command's standard error in FILE")
    ap.add_argument("--no-gnu-time", action="store_true",
                    help="do not use /usr/bin/time (peak RSS then unknown)")
    ap.add_argument("--require-rss", action="store_true",
                    help="fail if peak RSS cannot be measured")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every run on stderr")
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = a.cmd[1:] if a.cmd[:1] == ["--"] else a.cmd
    if not cmd:
        ap.error("no command given")
    if a.runs < 1:
        ap.error("--runs must be >= 1")

    use_time = not a.no_gnu_time and have_gnu_time()
    if not use_time and a.require_rss:
        sys.stderr.write("timeit.py: peak RSS needs GNU time at %s "
                         "(Debian: apt-get install time)\n" % GNU_TIME)
        return 3
    rssfd, rssfile = tempfile.mkstemp(prefix="timeit-rss.") if use_time else (None, None)
    try:
        return measure(a, cmd, rssfile)
    finally:
        if rssfile is not None:
            os.close(rssfd)
            os.unlink(rssfile)


def measure(a, cmd, rssfile):
    best = None
    with (open(a.errlog, "w+b") if a.errlog else tempfile.TemporaryFile()) as err:
        for i in range(a.runs):
            err.seek(0)
            err.truncate()
            try:
                code, wall, user, sys_, rss = run_once(cmd, a.stdin, a.stdout, err, rssfile)
            except OSError as e:
                sys.stderr.write("timeit.py: cannot run %s: %s\n" % (cmd[0], e.strerror))
                return 3
            if a.verbose:
                sys.stderr.write("timeit.py: run %d: %.3f s wall, %.3f user, %.3f sys, %d KiB\n"
                                 % (i + 1, wall, user, sys_, rss))
            if code != 0:
                err.seek(0)
                tail = err.read()[-2000:].decode("utf-8", "replace")
                sys.stderr.write("timeit.py: %s exited with status %d\n%s"
                                 % (" ".join(cmd), code, tail))
                if tail and not tail.endswith("\n"):
                    sys.stderr.write("\n")
                return 3
            if best is None or wall < best[0]:
                best = (wall, user, sys_, rss)
    print("%.4f %.4f %.4f %d" % best)
    return 0


if __name__ == "__main__":
    sys.exit(main())
