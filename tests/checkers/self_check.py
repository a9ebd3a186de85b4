#!/usr/bin/env python3
"""threadcheck's own sources must pass `threadcheck check` cleanly through this build's compile
database. Files under testdata/ are left out: they are bug collections on purpose."""
import json
import os
import subprocess
import sys


def main():
    threadcheck, build_dir, source_dir = sys.argv[1:4]
    with open(os.path.join(build_dir, "compile_commands.json")) as f:
        entries = json.load(f)
    testdata = os.path.join(os.path.realpath(source_dir), "testdata") + os.sep
    files = sorted({os.path.realpath(os.path.join(e["directory"], e["file"])) for e in entries})
    ours = [f for f in files if not f.startswith(testdata)]
    if not ours:
        sys.exit("self_check: no project sources in " + build_dir)
    r = subprocess.run([threadcheck, "check", "-p", build_dir] + ours)
    print(f"self_check: {len(ours)} translation units, threadcheck exited {r.returncode}")
    sys.exit(0 if r.returncode == 0 else 1)


if __name__ == "__main__":
    main()
