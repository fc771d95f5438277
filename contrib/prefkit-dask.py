#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""prefkit-dask - run a prefkit pipeline over shards on a Dask cluster.

Each shard (a file, e.g. written by `pref-split --shards N`) is one task:
the worker pipes the shard through the pipeline, a shell command line of
prefkit filters reading standard input and writing standard output, into
OUTDIR/<shard name>; a task that fails (nonzero exit) fails the run with
its standard error.  Then the merge step, if any, runs here on the parts
(in shard order): a command line that gets the part files as arguments
and writes the final output, e.g. `pref-curriculum --merge -o all.jsonl`
or `pref-cat -o all.jsonl`.

    prefkit-dask.py [--scheduler ADDRESS | --local N] -o OUTDIR
                    [--merge 'COMMAND'] --pipeline 'COMMAND' SHARD...

--scheduler tcp://host:8786 uses a running cluster (`dask scheduler` and
`dask worker` on each machine; prefkit on every worker's PATH and the
shards and OUTDIR on a file system that all of them see); --local N
starts a LocalCluster of N worker processes on this machine (the
default, with N = 2).  Needs the Debian package python3-distributed
(run with /usr/bin/python3).
"""
import argparse
import os
import shlex
import subprocess
import sys


def run_shard(shard, pipeline, outdir):
    """One task: shard -> pipeline -> outdir/<name of the shard>."""
    part = os.path.join(outdir, os.path.basename(shard))
    tmp = part + ".part"
    with open(shard, "rb") as inp, open(tmp, "wb") as out:
        proc = subprocess.run(["sh", "-c", pipeline], stdin=inp, stdout=out,
                              stderr=subprocess.PIPE)
    if proc.returncode != 0:
        os.unlink(tmp)
        raise RuntimeError("%s: exit %d: %s" % (shard, proc.returncode,
                           proc.stderr.decode(errors="replace").strip()))
    os.replace(tmp, part)
    return part


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    where = ap.add_mutually_exclusive_group()
    where.add_argument("--scheduler", help="address of a Dask scheduler")
    where.add_argument("--local", type=int, default=2, metavar="N",
                       help="start a local cluster of N workers (default 2)")
    ap.add_argument("-o", "--outdir", required=True,
                    help="directory of the per-shard parts")
    ap.add_argument("--pipeline", required=True,
                    help="shell command line run on each shard (stdin to stdout)")
    ap.add_argument("--merge", help="command line run on the parts, given as arguments")
    ap.add_argument("shards", nargs="+")
    a = ap.parse_args()

    import logging
    from dask.distributed import Client, LocalCluster

    os.makedirs(a.outdir, exist_ok=True)
    shards = [os.path.abspath(s) for s in a.shards]
    outdir = os.path.abspath(a.outdir)
    if a.scheduler:
        cluster, client = None, Client(a.scheduler)
    else:
        # The local cluster's own log (its teardown on a loaded machine:
        # workers killed late, heartbeats after shutdown) is not the
        # user's business; a failing task is reported below.
        cluster = LocalCluster(n_workers=a.local, threads_per_worker=1,
                               processes=True, dashboard_address=None,
                               silence_logs=logging.CRITICAL)
        client = Client(cluster)
    try:
        futures = [client.submit(run_shard, s, a.pipeline, outdir, pure=False)
                   for s in shards]
        parts = client.gather(futures)
    except Exception as e:  # a task's failure, with its message
        print("prefkit-dask: %s" % e, file=sys.stderr)
        return 1
    finally:
        client.close()
        if cluster:
            cluster.close()
    if a.merge:
        return subprocess.run(shlex.split(a.merge) + parts).returncode
    return 0


if __name__ == "__main__":
    sys.exit(main())
