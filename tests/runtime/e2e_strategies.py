#!/usr/bin/env python3
"""Strategies and run controls end to end: pct and pos find the ABBA deadlock, dfs finds it and
proves the fixed twin clean within its preemption bound, a pct finding replays, --jobs runs
parallel explorers, --time-budget stops an endless run, and the link-in runtime works."""
import argparse
import json
import os
import shutil
import subprocess
import sys
import time

failures = []


def run(tc, w, tag, args, prog):
    report = os.path.join(w, tag + ".json")
    t0 = time.monotonic()
    p = subprocess.run([tc, "run", f"--output-dir={w}/{tag}", f"--report={report}", *args, "--",
                        prog], capture_output=True, text=True, timeout=300)
    data = json.load(open(report)) if os.path.exists(report) else None
    return p, data, time.monotonic() - t0


def expect(name, cond, detail=""):
    print(f"{'ok  ' if cond else 'FAIL'} {name} {detail}")
    if not cond:
        failures.append(name + " " + detail)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threadcheck", required=True)
    ap.add_argument("--programs", required=True)
    ap.add_argument("--linked", required=True)
    ap.add_argument("--workdir", required=True)
    a = ap.parse_args()
    tc, w = a.threadcheck, a.workdir
    shutil.rmtree(w, ignore_errors=True)
    os.makedirs(w)
    bug = os.path.join(a.programs, "abba_bug-gcc")
    fixed = os.path.join(a.programs, "abba_fixed-gcc")

    for strategy in ["pct", "pos", "dfs"]:
        p, d, _ = run(tc, w, strategy, [f"--strategy={strategy}", "--seed=1",
                                        "--iterations=300"], bug)
        kind = d["findings"][0]["kind"] if d and d["findings"] else None
        expect(f"{strategy} finds the ABBA deadlock", p.returncode == 1 and kind == "deadlock",
               f"(exit {p.returncode}, {kind}, {d and d['schedules']} schedules)")
        if strategy == "pct" and kind:
            rep = subprocess.run([tc, "replay", d["findings"][0]["schedule_file"]],
                                 capture_output=True, text=True, timeout=60)
            expect("pct finding replays", rep.returncode == 1 and "reproduced" in rep.stderr)

    p, d, _ = run(tc, w, "dfs-fixed", ["--strategy=dfs", "--iterations=100000"], fixed)
    expect("dfs exhausts the fixed twin", p.returncode == 0 and d.get("exhausted") is True and
           "explored every schedule" in p.stderr, f"(exit {p.returncode}, {d['schedules']})")

    p, d, _ = run(tc, w, "jobs", ["--jobs=2", "--seed=5", "--iterations=400"], bug)
    expect("--jobs=2 finds the deadlock", p.returncode == 1 and d["findings"][0]["kind"] ==
           "deadlock")

    p, d, took = run(tc, w, "budget", ["--time-budget=1", "--iterations=100000000"], fixed)
    expect("--time-budget stops the run", p.returncode == 0 and took < 15 and d["schedules"] > 10,
           f"({took:.1f}s, {d['schedules']} schedules)")

    p, d, _ = run(tc, w, "linked", ["--seed=1", "--iterations=300"], a.linked)
    expect("link-in runtime finds the deadlock", p.returncode == 1 and d and
           d["findings"][0]["kind"] == "deadlock", f"(exit {p.returncode}) {p.stderr[-300:]}")

    if failures:
        sys.exit("FAIL:\n" + "\n".join(failures))


if __name__ == "__main__":
    main()
