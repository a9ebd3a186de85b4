#!/usr/bin/env python3
"""`threadcheck run` never claims a result it did not compute (issue #18 items 3, 6 and 7): a fork
server that dies (killed from outside, or by the program), a runtime that does not load and a
program whose threads are not under control are exit 2 with what happened and how many schedules
ran, and --report says "error", never "clean"; a program that forks before its first thread
explores the schedules asked for, not twice as many; --report and --output-dir are checked before
anything runs."""
import argparse
import json
import os
import re
import shutil
import signal
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


def wait_until(cond, limit=60.0):
    """Polls instead of sleeping a fixed time: a loaded CI machine may start the tool slowly."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < limit:
        if cond():
            return True
        time.sleep(0.05)
    return False


def children(pid):
    try:
        return [int(c) for t in os.listdir(f"/proc/{pid}/task")
                for c in open(f"/proc/{pid}/task/{t}/children").read().split()]
    except OSError:
        return []


def descendants(pid):
    out = []
    for c in children(pid):
        out += [c] + descendants(c)
    return out


def alive(pids):
    """The processes among `pids` still running (not gone, not a zombie)."""
    left = []
    for p in pids:
        try:
            if open(f"/proc/{p}/stat").read().rsplit(")", 1)[1].split()[0] != "Z":
                left.append(p)
        except OSError:
            pass
    return left


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threadcheck", required=True)
    ap.add_argument("--sources", required=True)  # tests/runtime/failures
    ap.add_argument("--programs", required=True)  # the built testdata/programs
    ap.add_argument("--workdir", required=True)
    a = ap.parse_args()
    tc = a.threadcheck
    w = a.workdir
    shutil.rmtree(w, ignore_errors=True)
    os.makedirs(w)
    prog = lambda n: os.path.join(a.programs, n)

    def build(name):
        out = os.path.join(w, name)
        subprocess.run(["cc", "-g", "-O1", "-pthread", "-o", out,
                        os.path.join(a.sources, name + ".c")], check=True)
        return out

    def report_of(path):
        try:
            return json.load(open(path))
        except (OSError, ValueError):
            return None

    def run(name, opts, program, env=None, timeout=300):
        report = os.path.join(w, name + ".json")
        p = subprocess.run([tc, "run", "--seed=1", f"--output-dir={w}/{name}-schedules",
                            f"--report={report}",
                            *opts, "--", *program], capture_output=True, text=True,
                           timeout=timeout, env=env)
        return p, report_of(report)

    def start(name, program, *opts):
        """A run that goes on until stopped: the process, its report path, its schedules."""
        report = os.path.join(w, name + ".json")
        sched_dir = os.path.join(w, name + "-schedules")
        proc = subprocess.Popen([tc, "run", "--seed=1", "--iterations=100000000", *opts,
                                 f"--report={report}", f"--output-dir={sched_dir}", "--",
                                 prog(program)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        return proc, report, sched_dir

    def exploring(proc):
        """The tool's child is the fork server once the program reached its first thread, and has
        a schedule child of its own from then on."""
        return wait_until(lambda: any(children(c) for c in children(proc.pid)))

    # 1. The fork server killed from outside in the middle of a long run: exit 2, the schedules
    #    that ran, "error" in the report.
    proc, report, _ = start("killed", "counter_fixed-gcc")
    found = exploring(proc)
    time.sleep(0.5)
    before = descendants(proc.pid)
    for c in children(proc.pid):
        os.kill(c, signal.SIGKILL)
    out, err = proc.communicate(timeout=120)
    d = report_of(report)
    m = re.search(r"was killed by signal 9 \(Killed\) after (\d+) schedules", err)
    check(found and proc.returncode == 2 and m and int(m.group(1)) > 0,
          f"fork server killed from outside: exit {proc.returncode}, says so with the count", err)
    check(d is not None and d["outcome"] == "error" and m and d["schedules"] == int(m.group(1))
          and "fork server" in d.get("error", ""),
          "fork server killed from outside: --report outcome 'error' with the schedules run",
          json.dumps(d))
    check(before and wait_until(lambda: not alive(before), 10),
          f"fork server killed from outside: no process left ({alive(before)} of {before})")

    # SIGTERM (a cancelled CI job) as Ctrl-C: explorers killed and reaped, the report written.
    proc, report, _ = start("terminated", "counter_fixed-gcc")
    found = exploring(proc)
    time.sleep(0.3)
    before = descendants(proc.pid)
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=120)
    check(before and wait_until(lambda: not alive(before), 10),
          f"SIGTERM: every process of the run ended ({alive(before)} of {before})")
    d = report_of(report)
    check(found and proc.returncode == 2 and "interrupted before any finding" in err,
          f"SIGTERM: exit {proc.returncode}", err)
    check(d is not None and d["outcome"] == "error" and d.get("interrupted") is True and
          d["schedules"] > 0, "SIGTERM: report written, outcome error, interrupted",
          json.dumps(d))

    # 2. The program kills its fork server (its parent, in a schedule).
    killparent = build("killparent")
    env = dict(os.environ, KILL_PARENT="1")
    p, d = run("killparent", ["--iterations=200"], [killparent], env=env)
    check(p.returncode == 2 and "the fork server of '" + killparent + "'" in p.stderr and
          "was killed by signal 9" in p.stderr and "exploration is incomplete" in p.stderr,
          f"program kills its fork server: exit {p.returncode}", p.stderr)
    check(d is not None and d["outcome"] == "error", "program kills its fork server: report error",
          json.dumps(d))
    # Twin: without the kill it runs clean, through every schedule.
    p, d = run("killparent-clean", ["--iterations=200"], [killparent])
    check(p.returncode == 0 and d and d["outcome"] == "clean" and d["schedules"] == 200,
          f"same program without the kill: clean, 200 schedules (exit {p.returncode})", p.stderr)
    # Found before the fork server died: printed and saved, exit 1, and the report says both.
    proc, report, sched_dir = start("found", "counter_bug-gcc", "--keep-going")
    found = wait_until(lambda: os.path.isdir(sched_dir) and any(
        f.endswith(".json") for f in os.listdir(sched_dir)))
    for c in children(proc.pid):
        os.kill(c, signal.SIGKILL)
    out, err = proc.communicate(timeout=120)
    d = report_of(report)
    check(found and proc.returncode == 1 and "schedule saved to" in out and
          "exploration is incomplete" in err,
          f"findings, then the fork server killed: exit {proc.returncode}, findings printed", err)
    check(d is not None and d["outcome"] == "bug" and d["findings"] and "fork server" in
          d.get("error", ""), "findings, then the fork server killed: report has both",
          json.dumps(d)[:400])

    # 3. The runtime fails to load (a broken LD_PRELOAD path).
    junk = os.path.join(w, "not-a-library.so")
    open(junk, "w").write("junk\n")
    env = dict(os.environ, THREADCHECK_RUNTIME=junk)
    p, d = run("noruntime", ["--iterations=20"], [prog("counter_fixed-gcc")], env=env)
    check(p.returncode == 2 and "threadcheck's runtime was not loaded into" in p.stderr and
          "cannot be preloaded" in p.stderr and "nothing explored" in p.stderr,
          f"runtime not loaded: exit {p.returncode}", p.stderr)
    check(d is not None and d["outcome"] == "error" and d["schedules"] == 0,
          "runtime not loaded: report error, 0 schedules", json.dumps(d))

    # 4. A wrapper script that runs the real program as a child: its threads are not under control.
    wrapper = os.path.join(w, "wrapper.sh")
    open(wrapper, "w").write(f"#!/bin/sh\necho starting\n{prog('abba_bug-gcc')} \"$@\"\n")
    os.chmod(wrapper, 0o755)
    p, d = run("wrapper", ["--iterations=300"], [wrapper])
    check(p.returncode == 2 and "nothing explored: '" + wrapper + "' started no thread under "
          "threadcheck's control" in p.stderr and "wrapper script" in p.stderr,
          f"wrapper script running the program: nothing explored (exit {p.returncode})", p.stderr)
    check(d is not None and d["outcome"] == "error", "wrapper script: report error", json.dumps(d))

    # 5. Fork before the first thread: the schedules asked for, once.
    forkfirst = build("forkfirst")
    for jobs in (1, 2):
        p, d = run(f"forkfirst-j{jobs}", ["--iterations=100", f"--jobs={jobs}"], [forkfirst])
        check(p.returncode == 0 and d and d["outcome"] == "clean" and d["schedules"] == 100 and
              re.search(r"^threadcheck run: 100 schedules in ", p.stderr, re.M),
              f"fork before the first thread, --jobs={jobs}: 100 schedules "
              f"(report {d and d['schedules']}, exit {p.returncode})", p.stderr)
    env = dict(os.environ, FORKFIRST_BUG="1")
    p, d = run("forkfirst-bug", ["--iterations=200"], [forkfirst], env=env)
    check(p.returncode == 1 and d and d["findings"] and d["findings"][0]["kind"] == "assertion",
          f"fork before the first thread: the parent's bug is found (exit {p.returncode})",
          p.stdout + p.stderr)
    if d and d["findings"]:
        r = subprocess.run([tc, "replay", d["findings"][0]["schedule_file"]], capture_output=True,
                           text=True, timeout=120, env=env)
        check(r.returncode == 1 and "reproduced: same finding" in r.stderr,
              f"fork before the first thread: the schedule replays (exit {r.returncode})",
              r.stderr)

    # 6. Output paths checked before anything runs.
    plain = os.path.join(w, "plain-file")
    open(plain, "w").write("x\n")
    long_run = ["--iterations=100000000", "--time-budget=60"]
    for what, opt, want in [
            ("--report in a missing directory", f"--report={w}/missing/r.json",
             f"cannot write '{w}/missing/r.json': directory '{w}/missing' does not exist"),
            ("--report naming a directory", f"--report={w}", f"cannot write '{w}': is a directory"),
            ("--report under a regular file", f"--report={plain}/r.json",
             f"cannot write '{plain}/r.json': '{plain}' is not a directory"),
            ("--output-dir under a regular file", f"--output-dir={plain}/s",
             f"cannot create the output directory '{plain}/s'")]:
        t0 = time.monotonic()
        p = subprocess.run([tc, "run", "--seed=1", *long_run, opt, "--",
                            prog("counter_fixed-gcc")], capture_output=True, text=True,
                           timeout=120)
        took = time.monotonic() - t0
        lines = p.stderr.strip().splitlines()
        check(p.returncode == 2 and len(lines) == 1 and want in lines[0] and took < 10,
              f"{what}: one line, exit {p.returncode}, {took:.1f}s", p.stderr)
    p = subprocess.run([tc, "replay", f"--report={w}/missing/r.json", os.path.join(w, "none.json")],
                       capture_output=True, text=True, timeout=60)
    check(p.returncode == 2 and "directory '" + w + "/missing' does not exist" in p.stderr,
          f"replay --report in a missing directory: exit {p.returncode}", p.stderr)
    leftovers = [f for f in os.listdir(w) if ".tmp" in f]
    check(not leftovers, f"no temporary file left ({leftovers})")

    if failures:
        sys.exit("FAIL:\n" + "\n".join(failures))


if __name__ == "__main__":
    main()
