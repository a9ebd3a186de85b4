#!/usr/bin/env python3
"""Schedules per second of threadcheck::explore (in-process, no fork per schedule) against
`threadcheck run` (one forked child per schedule) on the same body, side by side in one run.

Both explore the same fixed twin (no finding, so every schedule runs to the end) with the same
strategy, seed and number of schedules; each figure is the median of --repeat runs, timed from
outside (process start included for both). With --instrumented-body (the same source compiled
with -fsanitize=thread and linked with threadcheck::runtime) the rows "+races" compare the two
modes with race detection and race-directed scheduling on; the fork side is the same source built
with `threadcheck c++`.

usage: bench_inprocess.py --threadcheck build/bin/threadcheck
                          --body build/tests/runtime/inprocess/threadcheck_bench_inprocess_body
    [--instrumented-body build/tests/runtime/inprocess/threadcheck_bench_inprocess_body_instrumented]
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time

SOURCE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "bench_inprocess_body.cpp")


def timed(argv, env=None, cwd=None):
    t0 = time.monotonic()
    p = subprocess.run(argv, capture_output=True, text=True, env=env, cwd=cwd)
    dt = time.monotonic() - t0
    if p.returncode != 0:
        sys.exit(f"{' '.join(argv)} failed with exit {p.returncode}:\n{p.stdout}{p.stderr}")
    return dt, p.stdout, p.stderr


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threadcheck", required=True)
    ap.add_argument("--body", required=True)
    ap.add_argument("--instrumented-body")
    ap.add_argument("--iterations", type=int, default=2000)
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    # The runs start in a scratch directory (their schedule files land there).
    a.threadcheck = os.path.abspath(a.threadcheck)
    a.body = os.path.abspath(a.body)
    if a.instrumented_body:
        a.instrumented_body = os.path.abspath(a.instrumented_body)
    n = a.iterations
    print(f"{'body':<16} {'in-process':>10} {'fork per schedule':>20} {'ratio':>7}")
    worst = None
    with tempfile.TemporaryDirectory() as tmp:
        bodies = [(a.body, a.body, name, name) for name in ("abba", "handshake")]
        if a.instrumented_body:
            forked = os.path.join(tmp, "body-instrumented-fork")
            subprocess.run([a.threadcheck, "c++", "-std=c++20", "-O1", "-g",
                            "-DTHREADCHECK_BENCH_ONCE_ONLY", SOURCE, "-o", forked], check=True)
            bodies += [(a.instrumented_body, forked, name, name + "+races")
                       for name in ("abba", "handshake")]
        for exe, forkExe, body, label in bodies:
            inproc, fork = [], []
            for _ in range(a.repeat):
                dt, out, _ = timed([exe, "explore", body, str(n)], cwd=tmp)
                schedules = int(out.split()[0])
                if schedules != n:
                    sys.exit(f"explore ran {schedules} schedules, not {n}")
                inproc.append(n / dt)
                dt, _, err = timed([a.threadcheck, "run", f"--iterations={n}", "--seed=1",
                                    f"--output-dir={tmp}/s", "--", forkExe, "once", body], cwd=tmp)
                if (exe == a.instrumented_body) != ("instrumented" in err):
                    sys.exit(f"threadcheck run did not see whether {forkExe} is instrumented:\n"
                             f"{err}")
                fork.append(n / dt)
            i = sorted(inproc)[len(inproc) // 2]
            f = sorted(fork)[len(fork) // 2]
            ratio = i / f
            worst = ratio if worst is None else min(worst, ratio)
            print(f"{label:<16} {i:>10.0f} /s {f:>16.0f} /s {ratio:>6.1f}x")
    print(f"in-process is {worst:.1f}x the schedules per second of fork-per-schedule at worst "
          f"({n} schedules per run, median of {a.repeat}; target >= 3x)")


if __name__ == "__main__":
    main()
