#!/usr/bin/env python3
"""Schedules per second of threadcheck::explore (in-process, no fork per schedule) against
`threadcheck run` (one forked child per schedule) on the same body, side by side in one run.

Both explore the same fixed twin (no finding, so every schedule runs to the end) with the same
strategy, seed and number of schedules; each figure is the median of --repeat runs, timed from
outside (process start included for both).

usage: bench_inprocess.py --threadcheck build/bin/threadcheck
                          --body build/tests/runtime/inprocess/threadcheck_bench_inprocess_body
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time


def timed(argv, env=None, cwd=None):
    t0 = time.monotonic()
    p = subprocess.run(argv, capture_output=True, text=True, env=env, cwd=cwd)
    dt = time.monotonic() - t0
    if p.returncode != 0:
        sys.exit(f"{' '.join(argv)} failed with exit {p.returncode}:\n{p.stdout}{p.stderr}")
    return dt, p.stdout


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threadcheck", required=True)
    ap.add_argument("--body", required=True)
    ap.add_argument("--iterations", type=int, default=2000)
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    n = a.iterations
    print(f"{'body':<10} {'in-process':>16} {'fork per schedule':>20} {'ratio':>7}")
    worst = None
    with tempfile.TemporaryDirectory() as tmp:
        for body in ("abba", "handshake"):
            inproc, fork = [], []
            for _ in range(a.repeat):
                dt, out = timed([a.body, "explore", body, str(n)], cwd=tmp)
                schedules = int(out.split()[0])
                if schedules != n:
                    sys.exit(f"explore ran {schedules} schedules, not {n}")
                inproc.append(n / dt)
                dt, _ = timed([a.threadcheck, "run", f"--iterations={n}", "--seed=1",
                               f"--output-dir={tmp}/s", "--", a.body, "once", body], cwd=tmp)
                fork.append(n / dt)
            i = sorted(inproc)[len(inproc) // 2]
            f = sorted(fork)[len(fork) // 2]
            ratio = i / f
            worst = ratio if worst is None else min(worst, ratio)
            print(f"{body:<10} {i:>12.0f} /s {f:>16.0f} /s {ratio:>6.1f}x")
    print(f"in-process is {worst:.1f}x the schedules per second of fork-per-schedule at worst "
          f"({n} schedules per run, median of {a.repeat}; target >= 3x)")


if __name__ == "__main__":
    main()
