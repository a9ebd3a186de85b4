#!/usr/bin/env python3
"""`threadcheck replay` runs only the program a schedule file was recorded for: its path, size and
build id (or content hash when it has none) are checked before anything runs, the command is
printed, a replaced program is refused (exit 2) and `--program` replays a rebuilt one on purpose."""
import argparse
import json
import os
import shutil
import subprocess
import sys

failures = []


def check(name, argv, want_rc, want=(), unwanted=()):
    p = subprocess.run(argv, capture_output=True, text=True, timeout=120)
    ok = p.returncode == want_rc and all(w in p.stderr for w in want) and \
        not any(u in p.stderr + p.stdout for u in unwanted)
    first = (p.stderr.strip().splitlines() or [""])[0]
    print(f"{'ok  ' if ok else 'FAIL'} {name}: exit {p.returncode}: {first}")
    if not ok:
        failures.append(f"{name}: expected exit {want_rc}, {list(want)} and none of "
                        f"{list(unwanted)}; got {p.returncode}:\n{p.stdout}{p.stderr}")
    return p


def record(tc, w, name, program):
    """Copies `program` to a path of its own, finds its deadlock and returns (copy, schedule)."""
    copy = os.path.join(w, name)
    shutil.copy(program, copy)
    report = os.path.join(w, name + ".report.json")
    p = subprocess.run([tc, "run", "--seed=1", "--iterations=300",
                        f"--output-dir={os.path.join(w, name + '-schedules')}",
                        f"--report={report}", "--", copy], capture_output=True, text=True,
                       timeout=120)
    if p.returncode != 1:
        sys.exit(f"FAIL: could not produce a schedule of {copy}: {p.stdout}{p.stderr}")
    return copy, json.load(open(report))["findings"][0]["schedule_file"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threadcheck", required=True)
    ap.add_argument("--programs", required=True)
    ap.add_argument("--cc", required=True)
    ap.add_argument("--source", required=True, help="abba_bug.c")
    ap.add_argument("--workdir", required=True)
    a = ap.parse_args()
    tc, w = a.threadcheck, a.workdir
    shutil.rmtree(w, ignore_errors=True)
    os.makedirs(w)
    prog = lambda n: os.path.join(a.programs, n)
    reproduced = "reproduced: same finding (deadlock)"

    # An untouched program replays as before, and says what it runs.
    copy, sched = record(tc, w, "abba", prog("abba_bug-gcc"))
    identity = json.load(open(sched)).get("program_identity", {})
    if identity.get("path") != copy or identity.get("size") != os.path.getsize(copy) or \
            len(identity.get("build_id", "")) < 16:
        failures.append(f"identity of {copy}: {identity}")
    check("unchanged program", [tc, "replay", sched], 1,
          [f"running: {copy}\n", reproduced], ["warning"])

    # Replaced by another executable at the same path: refused before it runs (the fixed program
    # would run clean).
    shutil.copy(prog("abba_fixed-gcc"), copy)
    # The two programs can be of one size by chance (their debug info names the build directory,
    # whose length varies): a byte past the end keeps the sizes apart and the ELF file valid.
    if os.path.getsize(copy) == identity.get("size"):
        with open(copy, "ab") as f:
            f.write(b"\0")
    check("replaced program", [tc, "replay", sched], 2,
          [f"schedule file '{sched}' was recorded for another program", "bytes, recorded"],
          ["running:", "ran clean"])

    # Same size, another build id (one byte of the note changed).
    shutil.copy(prog("abba_bug-gcc"), copy)
    data = bytearray(open(copy, "rb").read())
    at = data.find(bytes.fromhex(identity.get("build_id", "")) or b"GNU\0")
    data[at] ^= 0xff
    open(copy, "wb").write(data)
    check("other build id", [tc, "replay", sched], 2, ["has build id", "recorded '"],
          ["running:"])

    # A rebuilt program replayed on purpose: a warning, then the same deadlock.
    check("--program rebuilt", [tc, "replay", f"--program={prog('abba_bug-clang')}", sched], 1,
          ["warning: replaying against '" + prog("abba_bug-clang") + "' (--program)",
           f"running: {prog('abba_bug-clang')}\n", reproduced])
    check("--program and --", [tc, "replay", f"--program={copy}", sched, "--", copy], 2,
          ["not both"])

    # A schedule file written before identities were recorded replays with a warning.
    shutil.copy(prog("abba_bug-gcc"), copy)
    old = json.load(open(sched))
    old.pop("program_identity", None)
    old_file = os.path.join(w, "old.json")
    json.dump(old, open(old_file, "w"))
    check("old schedule", [tc, "replay", old_file], 1,
          [f"warning: schedule file '{old_file}' records no program identity", reproduced])
    bad = json.load(open(sched))
    bad.setdefault("program_identity", {"path": copy})["size"] = "big"
    bad_file = os.path.join(w, "bad.json")
    json.dump(bad, open(bad_file, "w"))
    check("invalid identity", [tc, "replay", bad_file], 2,
          ["has an invalid 'program_identity' field"], ["running:"])

    # Without a build id the whole content is hashed: a change of one byte is seen.
    nobid = os.path.join(w, "nobid-built")
    subprocess.run([a.cc, "-O1", "-pthread", "-Wl,--build-id=none", "-o", nobid, a.source],
                   check=True)
    copy, sched = record(tc, w, "nobid", nobid)
    identity = json.load(open(sched)).get("program_identity", {})
    if "build_id" in identity or not identity.get("content_hash", "").startswith("fnv1a64:"):
        failures.append(f"identity of {copy} (no build id): {identity}")
    check("no build id, unchanged", [tc, "replay", sched], 1, [reproduced], ["warning"])
    data = bytearray(open(copy, "rb").read())
    at = data.find(b"GCC: ")
    data[at] = ord("g")  # the .comment section: still runs, same size
    open(copy, "wb").write(data)
    check("no build id, changed", [tc, "replay", sched], 2, ["has content hash"], ["running:"])

    if failures:
        sys.exit("\n".join(failures))


main()
