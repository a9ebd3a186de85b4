#!/usr/bin/env python3
"""Bad input to `threadcheck run` and `threadcheck replay`: each gives a clear one-line error and
exit code 2 (or 1 when a finding was already saved and printed), never a partial output file."""
import json
import argparse
import os
import shutil
import signal
import subprocess
import sys
import time

failures = []


def check(name, argv, want_rc, want_text, cwd=None):
    p = subprocess.run(argv, capture_output=True, text=True, timeout=120, cwd=cwd)
    err = p.stderr.strip().splitlines()
    first = err[0] if err else ""
    ok = p.returncode == want_rc and want_text in p.stderr
    print(f"{'ok  ' if ok else 'FAIL'} {name}: exit {p.returncode}: {first}")
    if not ok:
        failures.append(f"{name}: expected exit {want_rc} and '{want_text}', got {p.returncode}:"
                        f"\n{p.stdout}{p.stderr}")
    return p


def wait_until(cond, limit=60.0):
    """Polls instead of sleeping a fixed time: a loaded CI machine may start the tool slowly."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < limit and not cond():
        time.sleep(0.05)


def has_children(pid):
    try:
        return any(open(f"/proc/{pid}/task/{t}/children").read().strip()
                   for t in os.listdir(f"/proc/{pid}/task"))
    except OSError:
        return False


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threadcheck", required=True)
    ap.add_argument("--programs", required=True)
    ap.add_argument("--workdir", required=True)
    a = ap.parse_args()
    tc = a.threadcheck
    w = a.workdir
    shutil.rmtree(w, ignore_errors=True)
    os.makedirs(w)
    prog = lambda n: os.path.join(a.programs, n)

    check("missing program", [tc, "run", "--", os.path.join(w, "nope")], 2, "does not exist")
    noexec = os.path.join(w, "data.txt")
    open(noexec, "w").write("not a program\n")
    check("not executable", [tc, "run", "--", noexec], 2, "is not an executable file")
    check("statically linked", [tc, "run", "--", prog("static_hello")], 2,
          "is statically linked")
    check("unknown option", [tc, "run", "--frobnicate", "--", prog("abba_bug-gcc")], 2,
          "unknown option")
    check("bad strategy", [tc, "run", "--strategy=magic", "--", prog("abba_bug-gcc")], 2,
          "unknown strategy")
    check("no program", [tc, "run", "--seed=1"], 2, "no program given")
    check("zero max steps", [tc, "run", "--max-steps=0", "--", prog("abba_bug-gcc")], 2,
          "--max-steps must be at least 1")
    # No thread under control: a clean-looking single run is not a result.
    script = os.path.join(w, "wrapper.sh")
    open(script, "w").write("#!/bin/sh\necho launching\nexit 0\n")
    os.chmod(script, 0o755)
    check("no thread", [tc, "run", "--iterations=5", "--", script], 2,
          "nothing explored: '" + script + "' started no thread under threadcheck's control "
          "(it exited with status 0)")
    failing = os.path.join(w, "failing.sh")
    open(failing, "w").write("#!/bin/sh\nexit 3\n")
    os.chmod(failing, 0o755)
    check("no thread, failing", [tc, "run", "--", failing], 2, "(it exited with status 3)")

    # A real schedule to corrupt.
    sched_dir = os.path.join(w, "schedules")
    report = os.path.join(w, "report.json")
    p = subprocess.run([tc, "run", "--seed=1", "--iterations=300", f"--output-dir={sched_dir}",
                        f"--report={report}", "--", prog("abba_bug-gcc")],
                       capture_output=True, text=True, timeout=120)
    if p.returncode != 1:
        sys.exit(f"FAIL: could not produce a schedule: {p.stdout}{p.stderr}")
    good = json.load(open(report))["findings"][0]["schedule_file"]
    text = open(good).read()

    def variant(name, content):
        path = os.path.join(w, name)
        open(path, "w").write(content)
        return path

    check("missing schedule", [tc, "replay", os.path.join(w, "none.json")], 2,
          "cannot read schedule file")
    check("corrupt schedule", [tc, "replay", variant("corrupt.json", "{\"format\": tru")], 2,
          "is not valid JSON")
    check("truncated schedule", [tc, "replay", variant("trunc.json", text[: len(text) // 2])], 2,
          "corrupt or truncated")
    foreign = json.loads(text)
    foreign["version"] = 99
    check("foreign version", [tc, "replay", variant("v99.json", json.dumps(foreign))], 2,
          "has format version 99")
    check("not a schedule", [tc, "replay", variant("other.json", json.dumps({"a": 1}))], 2,
          "is not a threadcheck schedule file")
    check("other program", [tc, "replay", good, "--", prog("abba_fixed-gcc")], 2,
          "was recorded for")
    diverged = json.loads(text)
    diverged["decisions"] = [7] * len(diverged["decisions"])
    check("divergence", [tc, "replay", variant("diverged.json", json.dumps(diverged))], 2,
          "diverged at decision")

    # Ctrl-C in the middle of a long run: the findings found so far are saved and reported.
    int_dir = os.path.join(w, "interrupted")
    proc = subprocess.Popen([tc, "run", "--seed=1", "--keep-going", "--iterations=100000000",
                             f"--output-dir={int_dir}", "--", prog("counter_bug-gcc")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wait_until(lambda: os.path.isdir(int_dir) and any(
        f.endswith(".json") for f in os.listdir(int_dir)))
    time.sleep(0.3)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    saved = os.listdir(int_dir) if os.path.isdir(int_dir) else []
    ok = proc.returncode == 1 and "interrupted" in err and saved and \
        all(not f.endswith(".tmp") and ".tmp." not in f for f in saved)
    print(f"{'ok  ' if ok else 'FAIL'} interrupted run: exit {proc.returncode}, "
          f"{len(saved)} schedules saved")
    if not ok:
        failures.append(f"interrupted run: exit {proc.returncode}\n{err}")
    # SIGTERM (a cancelled CI job) is handled like Ctrl-C.
    term_dir = os.path.join(w, "terminated")
    proc = subprocess.Popen([tc, "run", "--seed=1", "--keep-going", "--iterations=100000000",
                             f"--output-dir={term_dir}", "--", prog("counter_bug-gcc")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wait_until(lambda: os.path.isdir(term_dir) and any(
        f.endswith(".json") for f in os.listdir(term_dir)))
    time.sleep(0.3)
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=60)
    saved = os.listdir(term_dir) if os.path.isdir(term_dir) else []
    ok = proc.returncode == 1 and "interrupted" in err and saved and "schedule saved" in out and \
        all(".tmp" not in f for f in saved)
    print(f"{'ok  ' if ok else 'FAIL'} terminated run: exit {proc.returncode}, "
          f"{len(saved)} schedules saved")
    if not ok:
        failures.append(f"terminated run: exit {proc.returncode}\n{err}")
    proc = subprocess.Popen([tc, "run", "--seed=1", "--iterations=100000000",
                             f"--output-dir={int_dir}-clean", "--", prog("counter_fixed-gcc")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wait_until(lambda: has_children(proc.pid))
    time.sleep(0.5)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    ok = proc.returncode == 2 and "interrupted" in err
    print(f"{'ok  ' if ok else 'FAIL'} interrupted clean run: exit {proc.returncode}")
    if not ok:
        failures.append(f"interrupted clean run: exit {proc.returncode}\n{err}")

    if failures:
        sys.exit("FAIL:\n" + "\n".join(failures))


if __name__ == "__main__":
    main()
