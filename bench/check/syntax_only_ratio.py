#!/usr/bin/env python3
"""Times `threadcheck check -j1` against `clang++-19 -fsyntax-only` on the same translation units,
side by side in one run, and prints the ratio and the peak memory of each.

The two are run alternately, `--repeat` times, and the medians are compared, so that load from
other processes on a shared machine hits both sides alike.

    bench/check/syntax_only_ratio.py --threadcheck build/bin/threadcheck -p build [--limit 12]
"""
import argparse
import json
import os
import shlex
import statistics
import subprocess
import sys
import time


def load_entries(build_dir, limit, pattern):
    path = os.path.join(build_dir, "compile_commands.json")
    with open(path) as f:
        entries = json.load(f)
    seen, out = set(), []
    for e in entries:
        file = os.path.normpath(os.path.join(e["directory"], e["file"]))
        if file in seen or (pattern and pattern not in file):
            continue
        seen.add(file)
        out.append(e)
    if limit and len(out) > limit:
        step = len(out) / limit  # an even spread over the project, not its first files
        out = [out[int(i * step)] for i in range(limit)]
    return out


def syntax_only_command(entry):
    args = entry.get("arguments") or shlex.split(entry["command"])
    cxx = not entry["file"].endswith(".c")
    cmd = ["clang++-19" if cxx else "clang-19"]
    skip = False
    for a in args[1:]:
        if skip:
            skip = False
            continue
        if a in ("-o", "-MF", "-MT", "-MQ"):
            skip = True
            continue
        if a in ("-c", "-MD", "-MMD") or a == entry["file"]:
            continue
        cmd.append(a)
    # threadcheck parses with warnings off (-w); so does the baseline, or the comparison would
    # credit threadcheck with skipping the warning analysis.
    cmd += ["-fsyntax-only", "-w", entry["file"]]
    return cmd


def run_one(cmd, cwd=None):
    """Runs cmd; returns (exit status, peak RSS in KiB of that process alone)."""
    p = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    return p.returncode, usage.ru_maxrss


def run_timed(cmds, cwd_of):
    start, peak = time.perf_counter(), 0
    for cmd, cwd in zip(cmds, cwd_of):
        code, rss = run_one(cmd, cwd)
        if code not in (0, 1):
            sys.exit(f"error: {' '.join(cmd[:3])}... exited with {code}")
        peak = max(peak, rss)
    return time.perf_counter() - start, peak


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--threadcheck", required=True)
    ap.add_argument("-p", dest="build_dir", required=True)
    ap.add_argument("--limit", type=int, default=0, help="at most this many translation units")
    ap.add_argument("--match", default="", help="only files whose path contains this")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    entries = load_entries(args.build_dir, args.limit, args.match)
    if not entries:
        sys.exit("error: no translation units selected")
    files = [os.path.normpath(os.path.join(e["directory"], e["file"])) for e in entries]
    syntax_cmds = [syntax_only_command(e) for e in entries]
    dirs = [e["directory"] for e in entries]
    tc_cmd = [args.threadcheck, "check", "-j1", "-p", args.build_dir, "--format=json",
              "-o", os.devnull] + files

    syntax_times, tc_times, syntax_rss, tc_rss = [], [], 0, 0
    for _ in range(args.repeat):
        elapsed, rss = run_timed(syntax_cmds, dirs)
        syntax_times.append(elapsed)
        syntax_rss = max(syntax_rss, rss)
        start = time.perf_counter()
        code, rss = run_one(tc_cmd)
        tc_times.append(time.perf_counter() - start)
        if code == 2:
            sys.exit("error: threadcheck failed; run it by hand: " + " ".join(tc_cmd[:6]))
        tc_rss = max(tc_rss, rss)

    s, t = statistics.median(syntax_times), statistics.median(tc_times)
    print(f"translation units:            {len(entries)}")
    print(f"clang -fsyntax-only (median): {s:8.2f} s   runs: {', '.join(f'{x:.2f}' for x in syntax_times)}")
    print(f"threadcheck check -j1:        {t:8.2f} s   runs: {', '.join(f'{x:.2f}' for x in tc_times)}")
    print(f"ratio threadcheck/syntax-only: {t / s:.3f}x  (target <= 1.25x)")
    print(f"peak memory: syntax-only {syntax_rss / 1024:.0f} MiB (largest single unit), "
          f"threadcheck {tc_rss / 1024:.0f} MiB (all units in one process)")


if __name__ == "__main__":
    main()
