#!/usr/bin/env python3
"""`threadcheck run --gtest` on a GoogleTest binary (gtest_fixture.cpp): the listing of every test
shape, a per-test report with the deadlocking test found (saved, replayable) and the clean one
passing, a test that fails on its own, disabled tests skipped, the JSON report per test, and bad
input (not a GoogleTest binary, a filter that matches nothing) as one-line errors with exit 2 and
no output files."""
import argparse
import json
import os
import shutil
import subprocess
import sys

failures = []


def run(argv, cwd, env=None):
    return subprocess.run(argv, capture_output=True, text=True, timeout=300, cwd=cwd, env=env)


def expect(name, cond, p=None):
    print(f"{'ok  ' if cond else 'FAIL'} {name}")
    if not cond:
        failures.append(name + ("" if p is None else f"\n--- exit {p.returncode}\n{p.stdout}{p.stderr}"))


def bad_input(name, p, text, w):
    lines = p.stderr.strip().splitlines()
    expect(f"{name}: exit 2, one-line error naming the input",
           p.returncode == 2 and len(lines) == 1 and text in lines[0] and p.stdout == "", p)
    expect(f"{name}: no output directory", not os.path.exists(os.path.join(w, "threadcheck-schedules")))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threadcheck", required=True)
    ap.add_argument("--fixture", required=True)
    ap.add_argument("--not-gtest", required=True)
    ap.add_argument("--workdir", required=True)
    a = ap.parse_args()
    tc, fixture, w = a.threadcheck, a.fixture, a.workdir
    shutil.rmtree(w, ignore_errors=True)
    os.makedirs(w)

    # Listing: typed and value-parameterised names as --gtest_filter takes them, no disabled tests.
    p = run([tc, "run", "--gtest", "--list-tests", "--", fixture], w)
    want = ["Locks.AbbaDeadlock", "Locks.Ordered", "Counter/0.Increments", "Counter/1.Increments",
            "NoThreads.Arithmetic", "Broken.FailsOnItsOwn", "Sizes/Workers.AllJoin/0",
            "Sizes/Workers.AllJoin/1"]
    expect("list every test shape", p.returncode == 0 and p.stdout.split() == want, p)
    p = run([tc, "run", "--gtest", "--list-tests", "--", fixture,
             "--gtest_also_run_disabled_tests", "--gtest_filter=*NeverExplored"], w)
    expect("list disabled tests on request, honouring the filter",
           p.returncode == 0 and p.stdout.split() == ["Locks.DISABLED_NeverExplored",
                                                      "DISABLED_Suite.NeverExplored"], p)

    # A stripped copy (GoogleTest is linked in statically: no testing:: symbol is left) is still
    # recognised, and listed the same.
    stripped = os.path.join(w, "fixture-stripped")
    subprocess.run(["llvm-strip-19", "--strip-all", "-o", stripped, fixture], check=True)
    p = run([tc, "run", "--gtest", "--list-tests", "--", stripped], w)
    expect("a stripped static GoogleTest binary is listed", p.returncode == 0
           and p.stdout.split() == want, p)

    # One buggy and one clean test: a line per test, the finding saved, exit 1.
    out = os.path.join(w, "schedules")
    report = os.path.join(w, "report.json")
    p = run([tc, "run", "--gtest", "--seed=1", "--iterations=300", f"--output-dir={out}",
             f"--report={report}", "--", fixture, "--gtest_filter=Locks.*"], w)
    expect("buggy + clean: exit 1", p.returncode == 1, p)
    expect("buggy test reported with its finding",
           "[  FINDING ] Locks.AbbaDeadlock: deadlock in schedule" in p.stdout, p)
    expect("clean test passes its schedules",
           "[       OK ] Locks.Ordered: 300 schedules, no finding" in p.stdout, p)
    expect("disabled test skipped", "DISABLED" not in p.stdout.replace(
        "1 disabled test skipped", ""), p)
    expect("summary", "2 tests explored: 1 clean, 1 with findings, 0 failing without exploration"
           in p.stdout and "threadcheck run --gtest: 2 tests" in p.stderr, p)
    r = json.load(open(report)) if os.path.exists(report) else {}
    tests = {t["name"]: t for t in r.get("tests", [])}
    expect("report: outcome bug, a result per test",
           r.get("outcome") == "bug" and set(tests) == {"Locks.AbbaDeadlock", "Locks.Ordered"})
    bug = tests.get("Locks.AbbaDeadlock", {})
    sched = bug.get("findings", [{}])[0].get("schedule_file", "")
    expect("report: the buggy test's finding and schedule file",
           bug.get("outcome") == "bug" and bug["findings"][0]["kind"] == "deadlock"
           and os.path.isfile(sched) and f"threadcheck replay {sched}" in p.stdout)
    expect("report: the clean test", tests.get("Locks.Ordered", {}).get("outcome") == "clean"
           and tests["Locks.Ordered"]["schedules"] == 300)
    expect("report: top-level findings name their test",
           [f.get("test") for f in r.get("findings", [])] == ["Locks.AbbaDeadlock"])
    if os.path.isfile(sched):
        saved = json.load(open(sched))
        expect("schedule runs only its test", saved["argv"][-1] == "--gtest_filter=Locks.AbbaDeadlock")
        p = run([tc, "replay", sched], w)
        expect("the saved schedule replays", p.returncode == 1 and "reproduced" in p.stderr, p)

    # Every other shape is clean.
    p = run([tc, "run", "--gtest", "--seed=2", "--iterations=100", f"--output-dir={out}", "--",
             fixture, "--gtest_filter=Counter*:Sizes*:NoThreads*"], w)
    expect("typed, parameterised and thread-free tests: clean, exit 0",
           p.returncode == 0 and p.stdout.count("[       OK ]") == 5, p)

    # A test that fails on its own is told apart from a concurrency bug.
    p = run([tc, "run", "--gtest", "--seed=1", "--iterations=50", f"--output-dir={out}", "--",
             fixture, "--gtest_filter=Broken.*"], w)
    expect("failing test: exit 1, reported as failing without exploration",
           p.returncode == 1 and "[  FAILED  ] Broken.FailsOnItsOwn: fails without exploration "
           "too (exit status 1 when run natively)" in p.stdout, p)

    # Bad input.
    os.makedirs(os.path.join(w, "bad"))
    bw = os.path.join(w, "bad")
    marker = os.path.join(bw, "ran")
    env = dict(os.environ, THREADCHECK_TEST_MARKER=marker)
    p = run([tc, "run", "--gtest", "--", a.not_gtest], bw, env)
    bad_input("not a GoogleTest binary", p, f"'{os.path.realpath(a.not_gtest)}' is not a "
              "GoogleTest binary", bw)
    expect("a binary that is not a GoogleTest binary is never run", not os.path.exists(marker))
    script = os.path.join(bw, "script.sh")
    open(script, "w").write("#!/bin/sh\nexit 0\n")
    os.chmod(script, 0o755)
    p = run([tc, "run", "--gtest", "--", script], bw)
    bad_input("a script", p, "is not a GoogleTest binary", bw)
    p = run([tc, "run", "--gtest", "--", fixture, "--gtest_filter=Nothing.Matches"], bw)
    bad_input("a filter that matches nothing", p, "matches --gtest_filter=Nothing.Matches", bw)
    p = run([tc, "run", "--list-tests", "--", fixture], bw)
    expect("--list-tests without --gtest: exit 2",
           p.returncode == 2 and "--list-tests needs --gtest" in p.stderr, p)

    if failures:
        sys.exit("FAILED:\n" + "\n".join(failures))
    print("all passed")


if __name__ == "__main__":
    main()
