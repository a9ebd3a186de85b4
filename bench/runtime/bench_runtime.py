#!/usr/bin/env python3
"""Runtime benchmarks, each printed as a ratio against a baseline measured in the same run:

1. one controlled hand-off (median) against the raw futex hand-off it is built on;
2. schedules per second with the fork server against a fresh process per schedule;
3. time to the first bug under `threadcheck run` against running the program natively in a loop.

usage: bench_runtime.py --threadcheck build-rt/bin/threadcheck --runtime build-rt/lib/libthreadcheck_rt.so
                        --programs build-rt/tests/runtime/programs
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def build(tmp, name):
    out = os.path.join(tmp, name)
    subprocess.run(["cc", "-O2", "-pthread", "-o", out, os.path.join(HERE, name + ".c")],
                   check=True)
    return out


def bench_handoff(tc, tmp):
    handoff = build(tmp, "handoff")
    floor = build(tmp, "futex_pingpong")
    controlled, raw = [], []
    for i in range(5):
        raw.append(int(subprocess.run([floor], capture_output=True, text=True,
                                      check=True).stdout))
        result = os.path.join(tmp, f"handoff-{i}.txt")
        subprocess.run([tc, "run", "--iterations=1", f"--seed={i}", "--max-steps=1000000",
                        f"--output-dir={tmp}/s", "--", handoff, result],
                       capture_output=True, check=True)
        controlled.append(int(open(result).read()))
    c = sorted(controlled)[2] / 1000
    r = sorted(raw)[2] / 1000
    print(f"hand-off: controlled {c:.2f} us median, raw futex hand-off {r:.2f} us "
          f"(ratio {c / r:.2f}x; target <= 3 us)")


def run_program_once(rt, prog, seed):
    """One schedule in a fresh process: what exploring costs without the fork server."""
    r, w = os.pipe()
    env = dict(os.environ, LD_PRELOAD=rt, THREADCHECK_FD=str(w), THREADCHECK_ITERATIONS="1",
               THREADCHECK_SEED=str(seed))
    p = subprocess.Popen([prog], env=env, pass_fds=(w,), stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    os.close(w)
    with os.fdopen(r) as f:
        f.read()
    p.wait()


def bench_rate(tc, rt, programs, tmp):
    for name in ["abba_fixed-gcc", "counter_fixed-gcc", "lostwakeup_fixed-clang",
                 "threadpool_fixed-gcc"]:
        prog = os.path.join(programs, name)
        n = 2000
        report = os.path.join(tmp, "rate.json")
        subprocess.run([tc, "run", f"--iterations={n}", "--seed=1", f"--output-dir={tmp}/s",
                        f"--report={report}", "--", prog], capture_output=True, check=True)
        data = json.load(open(report))
        server = data["schedules"] / data["elapsed_s"]
        m = 200
        t0 = time.monotonic()
        for i in range(m):
            run_program_once(rt, prog, i)
        fresh = m / (time.monotonic() - t0)
        print(f"schedules/s {name}: fork server {server:.0f}/s, fresh process {fresh:.0f}/s "
              f"(ratio {server / fresh:.1f}x; target >= 1000/s and >= 3x)")


def native_until_failure(prog, limit_s=20.0, max_runs=5000):
    t0 = time.monotonic()
    runs = 0
    while runs < max_runs and time.monotonic() - t0 < limit_s:
        runs += 1
        try:
            p = subprocess.run([prog], capture_output=True, timeout=2)
            if p.returncode != 0:
                return time.monotonic() - t0, runs, True
        except subprocess.TimeoutExpired:
            return time.monotonic() - t0, runs, True  # a hang (deadlock) counts as found
    return time.monotonic() - t0, runs, False


def bench_first_bug(tc, programs, tmp):
    for name in ["counter", "bank", "order", "abba", "philosophers", "lostwakeup", "dcl",
                 "sleepsync", "timedwait", "threadpool"]:
        prog = os.path.join(programs, name + "_bug-gcc")
        report = os.path.join(tmp, "first.json")
        t0 = time.monotonic()
        subprocess.run([tc, "run", "--seed=1", "--iterations=10000", f"--output-dir={tmp}/s",
                        f"--report={report}", "--", prog], capture_output=True)
        tc_time = time.monotonic() - t0
        data = json.load(open(report))
        native_time, runs, found = native_until_failure(prog)
        native = (f"{native_time:.2f}s ({runs} runs)" if found
                  else f"not found in {native_time:.0f}s ({runs} runs)")
        ratio = (f"native/threadcheck = {native_time / tc_time:.2f}" if found
                 else f"native/threadcheck > {native_time / tc_time:.0f}")
        print(f"first bug {name}: threadcheck {tc_time:.2f}s ({data['schedules']} schedules), "
              f"native loop {native} -> {ratio}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threadcheck", required=True)
    ap.add_argument("--runtime", required=True)
    ap.add_argument("--programs", required=True)
    ap.add_argument("--only", choices=["handoff", "rate", "first-bug"])
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if a.only in (None, "handoff"):
            bench_handoff(a.threadcheck, tmp)
        if a.only in (None, "rate"):
            bench_rate(a.threadcheck, a.runtime, a.programs, tmp)
        if a.only in (None, "first-bug"):
            bench_first_bug(a.threadcheck, a.programs, tmp)


if __name__ == "__main__":
    sys.exit(main())
