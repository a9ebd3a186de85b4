#!/usr/bin/env python3
"""threadcheck's own sources must pass `threadcheck check` cleanly through this build's compile
database. Bug collections are left out: everything under testdata/, and the test fixtures that hold
deliberate bugs for the runtime's tests (BUG_FIXTURES), with every unit that includes one."""
import json
import os
import re
import subprocess
import sys

# Deliberately buggy code outside testdata/, relative to the source directory: the runtime explores
# these bugs, so they must stay in.
BUG_FIXTURES = (
    "tests/runtime/inprocess/BuggyBodies.h",
    "tests/package/gtest_fixture.cpp",
)

INCLUDE_RE = re.compile(r'^\s*#\s*include\s*"([^"]+)"', re.MULTILINE)


def is_bug_collection(path, testdata, fixtures):
    if path.startswith(testdata) or path in fixtures:
        return True
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            includes = INCLUDE_RE.findall(f.read())
    except OSError:
        return False
    here = os.path.dirname(path)
    return any(os.path.realpath(os.path.join(here, inc)) in fixtures for inc in includes)


def main():
    threadcheck, build_dir, source_dir = sys.argv[1:4]
    with open(os.path.join(build_dir, "compile_commands.json")) as f:
        entries = json.load(f)
    root = os.path.realpath(source_dir)
    testdata = os.path.join(root, "testdata") + os.sep
    fixtures = {os.path.realpath(os.path.join(root, p)) for p in BUG_FIXTURES}
    files = sorted({os.path.realpath(os.path.join(e["directory"], e["file"])) for e in entries})
    ours = [f for f in files if not is_bug_collection(f, testdata, fixtures)]
    if not ours:
        sys.exit("self_check: no project sources in " + build_dir)
    r = subprocess.run([threadcheck, "check", "-p", build_dir] + ours)
    print(f"self_check: {len(ours)} translation units, threadcheck exited {r.returncode}")
    sys.exit(0 if r.returncode == 0 else 1)


if __name__ == "__main__":
    main()
