#!/usr/bin/env python3
"""Runs the TC_TEST tests that must fail (ExpectedFailure.*, ExpectedCrash.*) one by one and checks
how they fail: a GoogleTest failure naming the finding, stacks into the test's source, the saved
schedule (with the test's identity) and a replay command that, run as printed, fails the same way.
A test that is expected to fail never makes ctest red by itself: this script is the test."""
import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys

failures = []

# test -> what its failure report must contain (None: no schedule is saved, only an error)
EXPECTED = {
    "ExpectedFailure.Abba": ("deadlock", "deadlock: "),
    "ExpectedFailure.LostWakeup": ("lost-wakeup", "no running thread is left to wake it"),
    "ExpectedFailure.OversoldTicket": ("assertion", "a GoogleTest assertion failed in this schedule"),
    "ExpectedFailure.LeakedThread": ("thread-leak", "thread leak: when the body returned"),
    "ExpectedFailure.ThrowsInAThread": ("uncaught-exception",
                                        "std::invalid_argument: negative record count"),
    "ExpectedFailure.Relock": ("lock-misuse", "which it already holds"),
    "ExpectedFailure.SemaphoreOverRelease": ("semaphore-over-release", "semaphore"),
    "ExpectedFailure.NotRerunnable": (None, "the body is not re-runnable"),
    "ExpectedFailure.BadOptions": (None, "iterations must be between 1 and 100000000"),
}


def fail(name, why, p=None):
    text = f"{name}: {why}"
    if p is not None:
        text += f"\n--- exit {p.returncode}\n{p.stdout}{p.stderr}"
    failures.append(text)
    print(f"FAIL {name}: {why}")


def run(argv, cwd, env=None):
    return subprocess.run(argv, capture_output=True, text=True, timeout=240, cwd=cwd, env=env)


def saved_schedule(name, out, p):
    m = re.search(r"schedule saved to (\S+)", out)
    r = re.search(r"replay it: (.+)", out)
    if not m or not r:
        fail(name, "no saved schedule or replay command in the report", p)
        return None, None
    path = m.group(1)
    if not os.path.isfile(path):
        fail(name, f"the saved schedule {path} does not exist", p)
        return None, None
    with open(path) as f:
        sched = json.load(f)
    if sched.get("format") != "threadcheck-schedule" or sched.get("test") != name:
        fail(name, f"{path} is not a schedule of test {name}: {sched.get('test')}")
    return sched, r.group(1).strip()


def replay(name, command, kind, cwd, want_signal=None):
    """Runs the printed replay command through the shell, exactly as a user would paste it."""
    p = subprocess.run(["/bin/sh", "-c", command], capture_output=True, text=True, timeout=240,
                       cwd=cwd)
    out = p.stdout + p.stderr
    if want_signal is not None:
        ok = p.returncode in (-want_signal, 128 + want_signal)
    else:
        ok = p.returncode == 1 and f"[  FAILED  ] {name}" in out
    if not ok or f"threadcheck: {kind} in schedule" not in out:
        fail(name, f"replaying with '{command}' did not fail with {kind}", p)
    elif "replayed from the saved schedule: same finding, same trace" not in out and \
            want_signal is None:
        fail(name, "the replay did not reproduce the same finding and trace", p)
    else:
        print(f"ok   {name}: replay reproduces {kind}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--threadcheck", help="also replay a saved schedule with `threadcheck replay`")
    a = ap.parse_args()
    shutil.rmtree(a.workdir, ignore_errors=True)
    os.makedirs(a.workdir)
    sources = ("GtestMacroTest.cpp", "BuggyBodies.h")

    listed = run([a.binary, "--gtest_list_tests"], a.workdir).stdout
    for name in list(EXPECTED) + ["ExpectedCrash.NullConfig"]:
        suite, test = name.split(".")
        if f"\n  {test}" not in listed and not listed.startswith(f"  {test}"):
            fail(name, "not in --gtest_list_tests")

    saved = {}
    for name, (kind, text) in EXPECTED.items():
        p = run([a.binary, f"--gtest_filter={name}"], a.workdir)
        out = p.stdout + p.stderr
        if p.returncode != 1 or f"[  FAILED  ] {name}" not in out or text not in out:
            fail(name, f"expected a GoogleTest failure containing '{text}'", p)
            continue
        if kind is None:
            print(f"ok   {name}: fails with '{text}'")
            continue
        if f"threadcheck: {kind} in schedule" not in out:
            fail(name, f"the failure does not name the finding {kind}", p)
            continue
        # A leaked thread may not have reached its own code yet: its stack is the runtime's.
        if not any(s in out for s in sources) and kind != "thread-leak":
            fail(name, f"no stack frame in {' or '.join(sources)}", p)
            continue
        sched, command = saved_schedule(name, out, p)
        if not sched:
            continue
        if not command.startswith("THREADCHECK_REPLAY=") or f"--gtest_filter={name}" not in command:
            fail(name, f"unexpected replay command: {command}")
            continue
        print(f"ok   {name}: {kind}, saved to {os.path.basename(command.split()[0])}")
        saved[name] = sched
        replay(name, command, kind, a.workdir)

    # A replay file for another test is refused, naming both tests.
    if "ExpectedFailure.Abba" in saved:
        path = None
        for f in os.listdir(os.path.join(a.workdir, "threadcheck-schedules")):
            if f.startswith("ExpectedFailure.Abba-"):
                path = os.path.join(a.workdir, "threadcheck-schedules", f)
        env = dict(os.environ, THREADCHECK_REPLAY=path or "")
        p = run([a.binary, "--gtest_filter=ExpectedFailure.LostWakeup"], a.workdir, env)
        want = ("was saved by test 'ExpectedFailure.Abba', not by 'ExpectedFailure.LostWakeup'")
        if p.returncode != 1 or want not in p.stdout + p.stderr:
            fail("replay-of-another-test", f"expected '{want}'", p)
        else:
            print("ok   replay-of-another-test: refused")

    # `threadcheck replay` runs the saved test command under the fork server, where explore() runs
    # the body once: same finding (the trace hash differs, see docs/inprocess.md).
    if a.threadcheck and "ExpectedFailure.Abba" in saved:
        sched_dir = os.path.join(a.workdir, "threadcheck-schedules")
        path = [os.path.join(sched_dir, f) for f in os.listdir(sched_dir)
                if f.startswith("ExpectedFailure.Abba-")][0]
        p = run([a.threadcheck, "replay", path], a.workdir)
        if p.returncode != 1 or "threadcheck: deadlock in schedule" not in p.stdout + p.stderr:
            fail("threadcheck-replay", "threadcheck replay did not reproduce the deadlock", p)
        else:
            print("ok   threadcheck-replay: reproduces the deadlock of an in-process schedule")

    # A crash: the process dies of its signal, after the schedule was saved and reported.
    name = "ExpectedCrash.NullConfig"
    p = run([a.binary, f"--gtest_filter={name}"], a.workdir)
    out = p.stdout + p.stderr
    if p.returncode != -signal.SIGSEGV or "threadcheck: crash in schedule" not in out or \
            "received SEGV" not in out:
        fail(name, "expected death by SIGSEGV after a crash report", p)
    else:
        sched, command = saved_schedule(name, out, p)
        if sched:
            print(f"ok   {name}: crash reported and saved before dying")
            replay(name, command, "crash", a.workdir, want_signal=signal.SIGSEGV)

    # The passing tests pass in the same binary.
    p = run([a.binary, "--gtest_filter=Fixed.*"], a.workdir)
    if p.returncode != 0:
        fail("Fixed.*", "the fixed twins do not pass", p)
    else:
        print("ok   Fixed.*: pass")

    if failures:
        print("\n\n".join(failures), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
