#!/usr/bin/env python3
"""What a runtime report shows (issue #14 item 10): the event list tells a thread that waits for a
lock from one that takes it, and gives every try-lock its result."""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time

failures = []


def check(cond, what, detail=""):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)
        if detail:
            print(detail)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threadcheck", required=True)
    ap.add_argument("--sources", required=True)  # tests/runtime/reports
    ap.add_argument("--programs", required=True)  # the built testdata/programs
    ap.add_argument("--workdir", required=True)
    a = ap.parse_args()
    shutil.rmtree(a.workdir, ignore_errors=True)
    os.makedirs(a.workdir)

    def build(name):
        out = os.path.join(a.workdir, name)
        subprocess.run(["cc", "-g", "-O1", "-pthread", "-o", out,
                        os.path.join(a.sources, name + ".c")], check=True)
        return out

    def run(prog, *opts, iterations=100, timeout=300):
        report = os.path.join(a.workdir, "report.json")
        if os.path.exists(report):
            os.unlink(report)
        p = subprocess.run([a.threadcheck, "run", "--seed=1", f"--iterations={iterations}",
                            f"--output-dir={a.workdir}/s", f"--report={report}", *opts, "--",
                            prog], capture_output=True, text=True, timeout=timeout)
        data = json.load(open(report)) if os.path.exists(report) else None
        return p, data

    # Events: waits, try-lock results.
    prog = build("trylock_exit")
    p, d = run(prog, "--keep-going", iterations=60)
    out = p.stdout
    check(p.returncode == 1 and d and len(d["findings"]) == 60, "trylock_exit: 60 findings",
          p.stderr)
    check(re.search(r"thread 0 'main' trylock mutex #1: acquired$", out, re.M) is not None,
          "a try-lock that takes the lock says so")
    check(re.search(r"thread 0 'main' trylock mutex #1: busy \(held by thread 1 'thread-1'\)$",
                    out, re.M) is not None, "a try-lock that fails says so, and who holds the lock")
    check(re.search(r"thread 0 'main' lock mutex #1: waited \(held by thread 1 'thread-1'\), "
                    r"then acquired$", out, re.M) is not None,
          "a lock that had to wait says so")
    check(re.search(r"thread 1 'thread-1' lock mutex #1$", out, re.M) is not None,
          "a lock taken at once is a plain lock event")

    abba = os.path.join(a.programs, "abba_bug-gcc")
    p, d = run(abba, iterations=300)
    check(p.returncode == 1 and d and d["findings"][0]["kind"] == "deadlock", "abba: deadlock")
    waits = re.findall(r"^    step \d+ +thread \d+ '\w+' lock mutex #\d: waits \(held by thread "
                       r"\d '\w+'\)$", p.stdout, re.M)
    check(len(waits) == 2, f"abba: both threads of the deadlock wait ({len(waits)} waits)",
          p.stdout)

    def functions(thread, key="stack"):
        return [fr["function"] for fr in thread.get(key, [])]

    def line_of(thread, function):
        return next((fr["line"] for fr in thread["stack"] if fr["function"] == function), None)

    # Stacks: a timeout shows where every live thread was (asked with the time-slice signal,
    # also with time slices off).
    prog = build("stuck")
    for opts in ([], ["--time-slice=0"]):
        p, d = run(prog, "--schedule-timeout=1", *opts, iterations=1, timeout=60)
        what = " ".join(["timeout"] + opts)
        f = d["findings"][0] if d and d["findings"] else {"kind": None, "threads": []}
        check(p.returncode == 1 and f["kind"] == "timeout", f"{what}: a timeout", p.stdout)
        by = {t["name"]: t for t in f["threads"]}
        check("reader" in functions(by.get("thread-1", {})),
              f"{what}: the worker's stack shows it in reader()", p.stdout)
        check("main" in functions(by.get("main", {})),
              f"{what}: main's stack shows it joining in main()", p.stdout)

    # A thread leak: the still-running thread where it is, the finished one by its function;
    # both with where they were created.
    prog = build("leak")
    p, d = run(prog, iterations=20)
    f = d["findings"][0] if d and d["findings"] else {"kind": None, "threads": []}
    check(p.returncode == 1 and f["kind"] == "thread-leak", "leak: a thread leak", p.stdout)
    by = {t["name"]: t for t in f["threads"]}
    check("logger" in functions(by.get("thread-1", {})), "leak: the logger's stack", p.stdout)
    check(functions(by.get("thread-2", {}))[:1] == ["idle"],
          "leak: the finished thread shows the function it ran", p.stdout)
    check(all("main" in functions(by.get(n, {}), "created") for n in ("thread-1", "thread-2")),
          "leak: both with where main created them", p.stdout)
    check(p.stdout.count("    created at:\n      #0 main at ") == 2,
          "leak: the text report says where they were created", p.stdout)

    # A lock-order inversion: where each thread took its second lock while holding the first.
    prog = os.path.join(a.programs, "gateorder_bug-gcc")
    p, d = run(prog, iterations=300)
    f = d["findings"][0] if d and d["findings"] else {"kind": None, "threads": []}
    check(p.returncode == 1 and f["kind"] == "lock-order-inversion", "gateorder: inversion")
    lines = sorted(((line_of(t, "ab") or 0, line_of(t, "ba") or 0) for t in f["threads"]))
    check(lines == [(0, 28), (16, 0)],
          f"gateorder: ab took b at line 16, ba took a at line 28 ({lines})", p.stdout)

    # exit(): where the exiting thread called it.
    prog = os.path.join(a.programs, "exitcode_bug-gcc")
    p, d = run(prog, iterations=200)
    f = d["findings"][0] if d and d["findings"] else {"kind": None, "threads": []}
    check(p.returncode == 1 and f["kind"] == "exit-status" and f["threads"] and
          line_of(f["threads"][0], "main") == 40, "exitcode: main called exit() at line 40",
          p.stdout)

    # --time-budget holds inside a schedule, with and without --keep-going: the schedule still
    # running is stopped (not a timeout finding), the run says so and exits 0.
    prog = build("longschedule")
    for opts in ([], ["--keep-going"], ["--jobs=2"]):
        start = time.monotonic()
        p, d = run(prog, "--time-budget=1", "--schedule-timeout=6", *opts, iterations=10,
                   timeout=60)
        took = time.monotonic() - start
        what = " ".join(["--time-budget=1"] + opts)
        check(p.returncode == 0 and d and d["outcome"] == "clean" and not d["findings"],
              f"{what}: clean, exit 0 (exit {p.returncode})", p.stdout + p.stderr)
        check(took < 4, f"{what}: stopped at the budget ({took:.1f}s)")
        check("--time-budget reached" in p.stderr and d and d.get("budget_stopped") is True,
              f"{what}: the run says the budget stopped a schedule", p.stderr)

    if failures:
        sys.exit("FAIL:\n" + "\n".join(failures))


if __name__ == "__main__":
    main()
