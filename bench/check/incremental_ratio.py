#!/usr/bin/env python3
"""Times a warm `threadcheck check --cache-dir` run after a one-file edit against the cold run
(empty cache) on the same compilation database, side by side in one run, and prints the ratio.

The database's sources are copied to a temporary directory (and the database rewritten to point
there), so the edit never touches the real checkout. Each repetition runs, in this order:
  plain   no --cache-dir at all (what the cache's bookkeeping costs on a cold run)
  cold    --cache-dir with an empty directory: every unit parsed and stored
  edit    one .cpp file gets a new comment line: its contents change, nothing else does
  warm    --cache-dir again: only the edited unit should be parsed
  noop    --cache-dir with nothing changed
Medians over --repeat repetitions are compared, so load from other processes on a shared machine
hits all sides alike. The warm report must equal the cold report, or the benchmark fails.

    bench/check/incremental_ratio.py --threadcheck build/bin/threadcheck -p build [--limit 30]
"""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

PARSED = re.compile(r"(\d+) of (\d+) translation units parsed, (\d+) from cache")


def load_entries(build_dir, limit):
    with open(os.path.join(build_dir, "compile_commands.json")) as f:
        entries = json.load(f)
    seen, out = set(), []
    for e in entries:
        file = os.path.normpath(os.path.join(e["directory"], e["file"]))
        if file not in seen:
            seen.add(file)
            out.append(e)
    if limit and len(out) > limit:
        step = len(out) / limit  # an even spread over the project, not its first files
        out = [out[int(i * step)] for i in range(limit)]
    return out


def source_root(entries):
    files = [os.path.normpath(os.path.join(e["directory"], e["file"])) for e in entries]
    return os.path.commonpath(files)


def private_copy(entries, root, workdir):
    """Copies `root` (without build trees and VCS data) and rewrites the database into it."""
    copy = os.path.join(workdir, "src")

    def ignore(directory, names):
        skip = {".git"}
        if os.path.samefile(directory, root):
            skip |= {n for n in names if n.startswith("build")}
        return skip

    shutil.copytree(root, copy, ignore=ignore, symlinks=True)
    rewritten = []
    for e in entries:
        e = json.loads(json.dumps(e).replace(root, copy))
        os.makedirs(e["directory"], exist_ok=True)
        rewritten.append(e)
    db_dir = os.path.join(workdir, "db")
    os.makedirs(db_dir)
    with open(os.path.join(db_dir, "compile_commands.json"), "w") as f:
        json.dump(rewritten, f, indent=1)
    return copy, db_dir, rewritten


def pick_edit_target(entries):
    """A C++ source in the middle of the sorted list: deterministic, not special."""
    cpp = sorted(os.path.normpath(os.path.join(e["directory"], e["file"])) for e in entries
                 if e["file"].endswith(".cpp"))
    return cpp[len(cpp) // 2]


def run_check(threadcheck, db_dir, jobs, cache_dir, cwd):
    cmd = [threadcheck, "check", "-p", db_dir, "--format=json", f"-j{jobs}"]
    if cache_dir:
        cmd.append(f"--cache-dir={cache_dir}")
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        sys.exit(f"error: threadcheck exited with {proc.returncode}:\n{proc.stderr[-2000:]}")
    m = PARSED.search(proc.stderr)
    parsed = (int(m.group(1)), int(m.group(2))) if m else None
    return elapsed, proc.stdout, parsed


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--threadcheck", required=True)
    ap.add_argument("-p", dest="build_dir", required=True,
                    help="build directory with compile_commands.json")
    ap.add_argument("--limit", type=int, default=0, help="at most this many translation units")
    ap.add_argument("-j", dest="jobs", type=int, default=2, help="threadcheck -j (default 2)")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    threadcheck = os.path.abspath(args.threadcheck)

    entries = load_entries(args.build_dir, args.limit)
    root = source_root(entries)
    with tempfile.TemporaryDirectory(prefix="threadcheck-bench-incremental-") as workdir:
        copy, db_dir, entries = private_copy(entries, root, workdir)
        target = pick_edit_target(entries)
        print(f"database: {len(entries)} translation units from "
              f"{os.path.join(args.build_dir, 'compile_commands.json')} (sources copied from "
              f"{root}); -j{args.jobs}; edited file: {os.path.relpath(target, copy)}")
        times = {k: [] for k in ("plain", "cold", "warm", "noop")}
        for rep in range(args.repeat):
            cache = os.path.join(workdir, f"cache{rep}")
            t, plain_out, _ = run_check(threadcheck, db_dir, args.jobs, None, copy)
            times["plain"].append(t)
            t, cold_out, parsed = run_check(threadcheck, db_dir, args.jobs, cache, copy)
            times["cold"].append(t)
            if parsed != (len(entries), len(entries)) or cold_out != plain_out:
                sys.exit(f"error: the cold run parsed {parsed} or reported differently")
            with open(target, "a") as f:
                f.write(f"// edited by the incremental benchmark, repetition {rep}\n")
            t, warm_out, parsed = run_check(threadcheck, db_dir, args.jobs, cache, copy)
            times["warm"].append(t)
            if parsed != (1, len(entries)):
                sys.exit(f"error: the warm run after a one-file edit parsed {parsed} units")
            if warm_out != cold_out:
                sys.exit("error: the warm run's report differs from the cold run's")
            t, noop_out, parsed = run_check(threadcheck, db_dir, args.jobs, cache, copy)
            times["noop"].append(t)
            if parsed != (0, len(entries)) or noop_out != cold_out:
                sys.exit(f"error: the unchanged warm run parsed {parsed} or reported differently")
            print(f"  repetition {rep + 1}: " +
                  ", ".join(f"{k} {v[-1]:.2f}s" for k, v in times.items()), flush=True)

        med = {k: statistics.median(v) for k, v in times.items()}
        cache_bytes = sum(os.path.getsize(os.path.join(workdir, "cache0", f))
                          for f in os.listdir(os.path.join(workdir, "cache0")))
        print(f"median of {args.repeat}: plain {med['plain']:.2f}s, cold (empty cache) "
              f"{med['cold']:.2f}s, warm after a one-file edit {med['warm']:.2f}s, "
              f"warm unchanged {med['noop']:.2f}s")
        print(f"cache: {cache_bytes / 1024:.0f} KiB for {len(entries)} units")
        print(f"cold with cache / plain:        {med['cold'] / med['plain']:.3f}x")
        print(f"warm unchanged / cold:          {med['noop'] / med['cold']:.3f}x")
        print(f"warm after one-file edit / cold: {med['warm'] / med['cold']:.3f}x (target <= 0.2x)")


if __name__ == "__main__":
    main()
