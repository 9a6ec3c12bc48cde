#!/usr/bin/env python3
"""proc_stats.py: what one command costs, with every process it starts (make bench, bench-browser).

    proc_stats.py [--runs N] [--pss] -- COMMAND ARGS...

Runs COMMAND N times (default 1) and prints one line of medians:

    wall_ms=... cpu_ms=... peak_rss_kib=... [pss_kib=... procs=...] runs=N

cpu_ms is user + system time of the command and all its descendants. This process becomes their
subreaper (PR_SET_CHILD_SUBREAPER), so helpers that a browser double-forks or orphans are
still waited for and counted. peak_rss_kib is the largest single process's peak RSS (ru_maxrss
of the waited-for children). With --pss the whole tree's PSS is sampled every 10 ms and the
largest sum is reported (PSS shares pages between processes fairly, so the sum does not count a
shared library once per process); procs is the most processes alive at once. Sampling costs the
measured processes nothing but costs this one CPU: figures with and without --pss differ a
little on a loaded machine.
"""
import ctypes
import os
import resource
import statistics
import subprocess
import sys
import time

PR_SET_CHILD_SUBREAPER = 36


def tree(root):
    """Pids of root and its descendants (by parent links, orphans re-parented to us included)."""
    me = os.getpid()
    parent = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                s = f.read()
            parent[int(d)] = int(s[s.rindex(")") + 2:].split()[1])
        except (OSError, ValueError):
            pass
    out, todo = set(), [root]
    # orphans of the tree are re-parented to us: count them too
    todo += [p for p, pp in parent.items() if pp == me and p != root]
    while todo:
        p = todo.pop()
        if p in out:
            continue
        out.add(p)
        todo += [c for c, pp in parent.items() if pp == p]
    return out


def pss_kib(pid):
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def run_once(cmd, sample):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak_pss, peak_procs = 0, 0
    while p.poll() is None:
        if sample:
            pids = tree(p.pid)
            peak_pss = max(peak_pss, sum(pss_kib(q) for q in pids))
            peak_procs = max(peak_procs, len(pids))
        time.sleep(0.01)
    wall = time.monotonic() - t0
    # whatever the command left behind (re-parented to us) is waited for, at most 10 s
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            break
        if pid == 0:
            time.sleep(0.01)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall_ms": wall * 1000, "cpu_ms": cpu * 1000, "peak_rss_kib": after.ru_maxrss,
            "pss_kib": peak_pss, "procs": peak_procs, "rc": p.returncode}


def main(argv):
    runs, sample = 1, False
    while argv and argv[0] != "--":
        a = argv.pop(0)
        if a == "--runs":
            runs = int(argv.pop(0))
        elif a == "--pss":
            sample = True
        else:
            sys.exit(f"proc_stats.py: unknown option {a}")
    if not argv or argv[0] != "--" or len(argv) < 2:
        sys.exit("usage: proc_stats.py [--runs N] [--pss] -- COMMAND ARGS...")
    cmd = argv[1:]
    ctypes.CDLL(None).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    res = [run_once(cmd, sample) for _ in range(runs)]
    if any(r["rc"] != 0 for r in res):
        sys.exit(f"proc_stats.py: {cmd[0]} failed (exit status {[r['rc'] for r in res]})")
    med = {k: statistics.median(r[k] for r in res) for k in res[0]}
    # ru_maxrss of RUSAGE_CHILDREN only grows: the first run's is the honest one for a single
    # run, and the largest over runs is what a median of runs would hide anyway
    line = f"wall_ms={med['wall_ms']:.0f} cpu_ms={med['cpu_ms']:.0f} peak_rss_kib={max(r['peak_rss_kib'] for r in res)}"
    if sample:
        line += f" pss_kib={med['pss_kib']:.0f} procs={max(r['procs'] for r in res)}"
    print(line + f" runs={runs}")


if __name__ == "__main__":
    main(sys.argv[1:])
