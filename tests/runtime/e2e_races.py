#!/usr/bin/env python3
"""The race detector on testdata/races: every racy_* program is reported as a data race naming the
expected variable (its `// race:` line) with both accesses' stacks, and replays; every free_*
program runs clean with every plain access a scheduling point. No missed race, no false race."""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threadcheck", required=True)
    ap.add_argument("--sources", required=True)
    ap.add_argument("--programs", required=True)
    ap.add_argument("--compilers", default="clang,gcc")
    ap.add_argument("--racy-iterations", type=int, default=10)
    ap.add_argument("--free-iterations", type=int, default=30)
    ap.add_argument("--workdir", required=True)
    a = ap.parse_args()
    shutil.rmtree(a.workdir, ignore_errors=True)
    os.makedirs(a.workdir)
    failures = []
    counts = {"racy": 0, "free": 0}
    for src in sorted(os.listdir(a.sources)):
        m = re.match(r"(racy|free)_(\w+)\.(c|cpp)$", src)
        if not m:
            continue
        kind = m.group(1)
        name = src.rsplit(".", 1)[0]
        expect = None
        for line in open(os.path.join(a.sources, src)):
            if line.startswith("// race:"):
                expect = line[len("// race:"):].strip()
        if kind == "racy" and not expect:
            failures.append(f"{src}: no '// race:' line")
            continue
        for cc in a.compilers.split(","):
            prog = os.path.join(a.programs, f"{name}-{cc}")
            work = os.path.join(a.workdir, f"{name}-{cc}")
            report = work + ".json"
            iters = a.racy_iterations if kind == "racy" else a.free_iterations
            cmd = [a.threadcheck, "run", "--seed=1", f"--iterations={iters}",
                   f"--output-dir={work}", f"--report={report}"]
            if kind == "free":
                cmd.append("--access-points=all")
            run = subprocess.run(cmd + ["--", prog], capture_output=True, text=True, timeout=300)
            counts[kind] += 1
            if kind == "free":
                if run.returncode != 0:
                    failures.append(f"{name}-{cc}: false finding (exit {run.returncode}):\n"
                                    f"{run.stdout}{run.stderr}")
                continue
            if run.returncode != 1:
                failures.append(f"{name}-{cc}: missed race (exit {run.returncode}):\n"
                                f"{run.stdout}{run.stderr}")
                continue
            finding = json.load(open(report))["findings"][0]
            if finding["kind"] != "data-race" or expect not in finding["message"]:
                failures.append(f"{name}-{cc}: expected a data race with '{expect}', got "
                                f"{finding['kind']}: {finding['message']}")
                continue
            threads = finding["threads"]
            if len(threads) != 2 or any(not t["stack"] or not t.get("access") for t in threads):
                failures.append(f"{name}-{cc}: the report lacks an access or a stack: {threads}")
                continue
            rep = subprocess.run([a.threadcheck, "replay", finding["schedule_file"]],
                                 capture_output=True, text=True, timeout=120)
            if rep.returncode != 1 or "reproduced: same finding (data-race)" not in rep.stderr:
                failures.append(f"{name}-{cc}: replay did not reproduce: {rep.stderr.strip()}")
    print(f"{counts['racy']} racy and {counts['free']} race-free program builds checked")
    if failures:
        sys.exit("FAIL:\n" + "\n".join(failures))


if __name__ == "__main__":
    main()
