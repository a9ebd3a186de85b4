#!/usr/bin/env python3
"""Instrumented-mode benchmarks (issue 5), each printed as a ratio measured in the same run:

1. race-detector slowdown: detector_workload.c under `threadcheck run` (one schedule, race
   detection on, no access points) against the same program built with stock TSan
   (-fsanitize=thread with its own runtime) running natively; target <= 1.0. Printed three
   ways: (a) the detector's cost per access, from the CPU time of a long run minus a short one
   (start-up and parallelism cancel out: this is the ratio the target is about); (b) CPU time of
   one short run, start-up included; (c) end-to-end wall time, where stock TSan also gains from
   running the workload's two threads on two cores while threadcheck serialises them;
2. schedules per second in instrumented mode, race detection on, over the fixed twins of the
   bundled programs; target >= 300/s;
3. schedules to the first bug with race-directed scheduling (--access-points=racy, the default)
   against scheduling at every access (--access-points=all), median over seeds.

usage: bench_instrumented.py --threadcheck build-rt/bin/threadcheck
                             --programs build-rt/tests/runtime/instrumented
"""
import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def timed(cmd, **kw):
    start = time.perf_counter()
    r = subprocess.run(cmd, capture_output=True, text=True, **kw)
    return time.perf_counter() - start, r


def measured(cmd, runs):
    """Median wall-clock and CPU seconds (user + system of the command and every descendant it
    waited for: `threadcheck run`'s fork server and schedule child are included)."""
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        wall, r = timed(cmd)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if r.returncode != 0:
            sys.exit(f"{' '.join(cmd)} failed: {r.stdout}{r.stderr}")
        walls.append(wall)
        cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def bench_detector(tc, tmp, runs):
    src = os.path.join(HERE, "detector_workload.c")
    stock = os.path.join(tmp, "workload-stock")
    ours = os.path.join(tmp, "workload-tc")
    subprocess.run(["clang-19", "-O1", "-g", "-fsanitize=thread", src, "-o", stock], check=True)
    subprocess.run([tc, "cc", "-O1", "-g", src, "-o", ours], check=True)
    under_tc = [tc, "run", "--iterations=1", "--seed=1", "--access-points=none",
                f"--output-dir={tmp}/s", "--", ours]
    small, large = 200, 2000
    s_wall, s_cpu = measured([stock, str(small)], runs)
    o_wall, o_cpu = measured(under_tc + [str(small)], runs)
    s_wall_l, s_cpu_l = measured([stock, str(large)], runs)
    o_wall_l, o_cpu_l = measured(under_tc + [str(large)], runs)
    # The extra rounds cost the same start-up in both: the difference is the detectors' work on
    # (large - small) * 2 threads * 8192 accesses, on one CPU's worth of time.
    accesses = (large - small) * 2 * 8192
    s_per = (s_cpu_l - s_cpu) / accesses * 1e9
    o_per = (o_cpu_l - o_cpu) / accesses * 1e9
    print(f"1. race detector on detector_workload.c, median of {runs} runs "
          f"(threadcheck: one schedule, --access-points=none; stock: clang -fsanitize=thread)")
    print(f"   a. detector cost per access (CPU time of {large} minus {small} rounds, start-up "
          f"and parallelism removed): {o_per:.1f}ns vs {s_per:.1f}ns: ratio {o_per / s_per:.2f} "
          f"(target <= 1.0)")
    print(f"   b. CPU time, {small} rounds, start-up included: {o_cpu:.3f}s vs {s_cpu:.3f}s: "
          f"ratio {o_cpu / s_cpu:.2f}")
    print(f"   c. end-to-end wall time, {small} rounds: {o_wall:.3f}s vs {s_wall:.3f}s: ratio "
          f"{o_wall / s_wall:.2f}; {large} rounds: {o_wall_l:.3f}s vs {s_wall_l:.3f}s: ratio "
          f"{o_wall_l / s_wall_l:.2f} (threadcheck serialises the threads on one CPU and starts "
          f"`threadcheck run`, its fork server and a schedule child; stock TSan runs both threads "
          f"in parallel)")


def bench_rate(tc, programs, tmp, iterations):
    total_s, total_n = 0.0, 0
    for name in sorted(os.listdir(programs)):
        if not name.endswith("_fixed-clang"):
            continue
        report = os.path.join(tmp, "rate.json")
        t, r = timed([tc, "run", "--seed=1", f"--iterations={iterations}", f"--report={report}",
                      f"--output-dir={tmp}/s", "--", os.path.join(programs, name)])
        data = json.load(open(report))
        total_s += data["elapsed_s"]
        total_n += data["schedules"]
    rate = total_n / total_s if total_s else 0
    print(f"2. instrumented mode with race detection: {total_n} schedules of the fixed twins in "
          f"{total_s:.2f}s: {rate:.0f} schedules/s, ratio to the 300/s target {rate / 300:.2f}")


def schedules_to_bug(tc, prog, mode, seed, tmp):
    report = os.path.join(tmp, "bug.json")
    subprocess.run([tc, "run", f"--seed={seed}", "--iterations=5000", f"--access-points={mode}",
                    f"--report={report}", f"--output-dir={tmp}/s", "--", prog],
                   capture_output=True)
    data = json.load(open(report))
    hard = [f for f in data["findings"] if f["kind"] != "data-race"]
    return data["schedules"] if hard else None


def bench_directed(tc, programs, tmp, seeds):
    haystack = os.path.join(tmp, "racy_haystack")
    subprocess.run([tc, "cc", "-O1", "-g", os.path.join(HERE, "racy_haystack.c"), "-o",
                    haystack], check=True, capture_output=True)
    targets = [("racy_haystack", haystack)] + [
        (n, os.path.join(programs, f"{n}_bug-clang"))
        for n in ("racecounter", "atomicity", "dclnosleep", "lockfreestack", "wsqueue")]
    print("3. schedules to the first bug (median over seeds; '-' = not found in 5000):")
    print(f"   {'program':<15} {'racy':>8} {'all':>8} {'all/racy':>9}")
    for name, prog in targets:
        med = {}
        for mode in ("racy", "all"):
            found = [schedules_to_bug(tc, prog, mode, s, tmp) for s in range(1, seeds + 1)]
            found = [f for f in found if f is not None]
            med[mode] = statistics.median(found) if len(found) > seeds // 2 else None
        ratio = (f"{med['all'] / med['racy']:.2f}" if med["racy"] and med["all"] else "-")
        fmt = lambda v: f"{v:.0f}" if v else "-"
        print(f"   {name:<15} {fmt(med['racy']):>8} {fmt(med['all']):>8} {ratio:>9}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threadcheck", required=True)
    ap.add_argument("--programs", required=True)
    ap.add_argument("--iterations", type=int, default=200)
    ap.add_argument("--seeds", type=int, default=10)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--only", choices=["detector", "rate", "directed"])
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if a.only in (None, "detector"):
            bench_detector(a.threadcheck, tmp, a.runs)
        if a.only in (None, "rate"):
            bench_rate(a.threadcheck, a.programs, tmp, a.iterations)
        if a.only in (None, "directed"):
            bench_directed(a.threadcheck, a.programs, tmp, a.seeds)


if __name__ == "__main__":
    main()
