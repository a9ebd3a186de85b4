#!/usr/bin/env python3
"""Choosing findings (issue #14 item 9): a thread leak is reported once and the search goes on;
--ignore=<kinds> and --suppressions=<file> (lines kind:function-glob) drop findings without
stopping the search; bad input is one line naming the file and line, exit 2."""
import argparse
import json
import os
import shutil
import subprocess
import sys

failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threadcheck", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--workdir", required=True)
    a = ap.parse_args()
    shutil.rmtree(a.workdir, ignore_errors=True)
    os.makedirs(a.workdir)
    prog = os.path.join(a.workdir, "leak_and_bug")
    subprocess.run(["cc", "-g", "-O1", "-pthread", "-o", prog, a.source], check=True)

    def run(*opts, iterations=300):
        report = os.path.join(a.workdir, "report.json")
        if os.path.exists(report):
            os.unlink(report)
        p = subprocess.run([a.threadcheck, "run", "--seed=1", f"--iterations={iterations}",
                            f"--output-dir={a.workdir}/s", f"--report={report}", *opts, "--",
                            prog], capture_output=True, text=True, timeout=300)
        data = json.load(open(report)) if os.path.exists(report) else None
        return p, data

    p, d = run()
    kinds = [f["kind"] for f in d["findings"]] if d else []
    check(p.returncode == 1 and kinds == ["thread-leak", "assertion"],
          f"leak reported once, search goes on to the assertion (exit {p.returncode}, {kinds})")
    leak_only_schedules = d["schedules"] if d else 0
    check(leak_only_schedules > 1, f"more than one schedule explored ({leak_only_schedules})")

    p, d = run("--ignore=thread-leak")
    kinds = [f["kind"] for f in d["findings"]] if d else []
    check(p.returncode == 1 and kinds == ["assertion"], f"--ignore=thread-leak: {kinds}")

    p, d = run("--ignore=thread-leak,assertion", iterations=100)
    check(p.returncode == 0 and d and d["outcome"] == "clean" and d["schedules"] == 100,
          f"--ignore=thread-leak,assertion: clean through 100 (exit {p.returncode})")

    sup = os.path.join(a.workdir, "sup.txt")
    with open(sup, "w") as f:
        f.write("# leaks of the logger are known\n\nthread-leak:leaker\n")
    p, d = run(f"--suppressions={sup}")
    kinds = [f["kind"] for f in d["findings"]] if d else []
    check(p.returncode == 1 and kinds == ["assertion"],
          f"suppressed leak by function, assertion still found: {kinds}")

    with open(sup, "w") as f:
        f.write("thread-leak:leak*\nassertion:check_t?tal\n")
    p, d = run(f"--suppressions={sup}", iterations=100)
    check(p.returncode == 0 and d and d["outcome"] == "clean" and d["schedules"] == 100,
          f"both suppressed by globs: clean through 100 (exit {p.returncode}, {p.stdout[-300:]})")

    with open(sup, "w") as f:
        f.write("thread-leak:no_such_function\n")
    p, d = run(f"--suppressions={sup}")
    kinds = [f["kind"] for f in d["findings"]] if d else []
    check(p.returncode == 1 and kinds == ["thread-leak", "assertion"],
          f"a glob matching nothing suppresses nothing: {kinds}")

    def bad(opts, want):
        p = subprocess.run([a.threadcheck, "run", *opts, "--", prog], capture_output=True,
                           text=True, timeout=60)
        lines = p.stderr.strip().splitlines()
        check(p.returncode == 2 and len(lines) == 1 and want in lines[0],
              f"bad input {opts}: exit {p.returncode}, {lines}")

    bad(["--ignore=thread-leak,nonsense"], "unknown finding kind 'nonsense'")
    bad(["--ignore=,"], "empty finding kind")
    bad([f"--suppressions={a.workdir}/missing.txt"], "missing.txt")
    with open(sup, "w") as f:
        f.write("# fine\nthread-leak:leaker\nnot a suppression\n")
    bad([f"--suppressions={sup}"], f"{sup}:3: expected 'kind:function-glob'")
    with open(sup, "w") as f:
        f.write("race:foo\n")
    bad([f"--suppressions={sup}"], f"{sup}:1: unknown finding kind 'race'")
    with open(sup, "w") as f:
        f.write("assertion:\n")
    bad([f"--suppressions={sup}"], f"{sup}:1: expected")
    if failures:
        sys.exit("FAIL:\n" + "\n".join(failures))


if __name__ == "__main__":
    main()
