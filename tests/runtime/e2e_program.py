#!/usr/bin/env python3
"""One bundled program end to end: `threadcheck run` finds the bug of the _bug variant within the
budget and classifies it, `threadcheck replay` reproduces it every time (same finding, same trace
hash), and the _fixed twin runs clean through the same budget."""
import argparse
import json
import os
import shutil
import subprocess
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threadcheck", required=True)
    ap.add_argument("--bug", required=True)
    ap.add_argument("--fixed", required=True)
    ap.add_argument("--kind", required=True)
    ap.add_argument("--budget", type=int, required=True)
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--replays", type=int, default=20)
    ap.add_argument("--workdir", required=True)
    a = ap.parse_args()

    shutil.rmtree(a.workdir, ignore_errors=True)
    os.makedirs(a.workdir)
    failures = []
    report = os.path.join(a.workdir, "report.json")
    sched_dir = os.path.join(a.workdir, "schedules")
    run = subprocess.run([a.threadcheck, "run", f"--seed={a.seed}", f"--iterations={a.budget}",
                          f"--output-dir={sched_dir}", f"--report={report}", "--", a.bug],
                         capture_output=True, text=True, timeout=600)
    if run.returncode != 1:
        print(run.stdout, run.stderr)
        sys.exit(f"FAIL: run on {a.bug} exited {run.returncode}, expected 1 (a finding)")
    data = json.load(open(report))
    finding = data["findings"][0]
    if finding["kind"] != a.kind:
        print(run.stdout)
        sys.exit(f"FAIL: classified as {finding['kind']}, expected {a.kind}")
    if data["schedules"] > a.budget:
        sys.exit(f"FAIL: {data['schedules']} schedules run, budget {a.budget}")
    if f"threadcheck: {a.kind} in schedule" not in run.stdout:
        sys.exit("FAIL: the text report does not name the finding")
    # Every thread a finding names comes with its stack (issue #14 item 10).
    stackless = [t["name"] for t in finding["threads"] if not t["stack"]]
    if not finding["threads"] or stackless:
        print(run.stdout)
        sys.exit(f"FAIL: the {a.kind} report has threads without a stack: {stackless or 'none named'}")
    schedule = finding["schedule_file"]
    saved = json.load(open(schedule))
    if saved["finding"]["kind"] != a.kind or saved["version"] != 1:
        sys.exit("FAIL: schedule file does not record the finding")
    print(f"found {a.kind} after {data['schedules']} schedules: {finding['message']}")

    reproduced = 0
    for i in range(a.replays):
        rep = subprocess.run([a.threadcheck, "replay", schedule], capture_output=True, text=True,
                             timeout=120)
        want = f"reproduced: same finding ({a.kind}), same trace hash {saved['trace_hash']}"
        if rep.returncode == 1 and want in rep.stderr:
            reproduced += 1
        else:
            failures.append(f"replay {i}: exit {rep.returncode}: {rep.stderr.strip()}")
    print(f"replay reproduced {reproduced}/{a.replays}")

    fixed_report = os.path.join(a.workdir, "fixed.json")
    fixed = subprocess.run([a.threadcheck, "run", f"--seed={a.seed}", f"--iterations={a.budget}",
                            f"--output-dir={sched_dir}-fixed", f"--report={fixed_report}", "--",
                            a.fixed], capture_output=True, text=True, timeout=600)
    if fixed.returncode != 0:
        failures.append(f"fixed twin exited {fixed.returncode}:\n{fixed.stdout}{fixed.stderr}")
    else:
        fdata = json.load(open(fixed_report))
        if fdata["outcome"] != "clean" or fdata["schedules"] != a.budget:
            failures.append(f"fixed twin: outcome {fdata['outcome']}, {fdata['schedules']} "
                            f"schedules (expected clean, {a.budget})")
        else:
            print(f"fixed twin clean through {a.budget} schedules")
    if failures:
        sys.exit("FAIL:\n" + "\n".join(failures))


if __name__ == "__main__":
    main()
