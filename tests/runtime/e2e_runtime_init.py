#!/usr/bin/env python3
"""The runtime works from the program's first instruction: no object of the runtime has a
dynamic initialiser (instrumented global constructors of the program run before any default-
priority initialiser of the runtime linked in after them), and a thread started by a shared
library's global constructor, which the dynamic loader runs before the preloaded runtime's own
constructor, is explored like any other."""
import argparse
import os
import re
import shutil
import subprocess
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threadcheck", required=True)
    ap.add_argument("--archives", nargs="+", required=True)
    ap.add_argument("--sources", required=True)
    ap.add_argument("--workdir", required=True)
    a = ap.parse_args()
    failures = []

    for archive in a.archives:
        out = subprocess.run(["objdump", "-h", archive], capture_output=True, text=True,
                             check=True).stdout
        member = "?"
        for line in out.splitlines():
            m = re.match(r"^(\S+\.o):\s+file format", line)
            if m:
                member = m.group(1)
                continue
            fields = line.split()
            if len(fields) > 1 and fields[1] in (".init_array", ".ctors"):
                failures.append(f"{archive}({member}) has a dynamic initialiser ({fields[1]}); "
                                "make the global constinit")
    print(f"checked {len(a.archives)} archives for dynamic initialisers")

    shutil.rmtree(a.workdir, ignore_errors=True)
    os.makedirs(a.workdir)
    lib = os.path.join(a.workdir, "libctorlib.so")
    exe = os.path.join(a.workdir, "ctorlib_main")
    subprocess.run(["g++", "-std=c++20", "-g", "-O1", "-shared", "-fPIC", "-pthread", "-o", lib,
                    os.path.join(a.sources, "library.cpp")], check=True)
    subprocess.run(["g++", "-std=c++20", "-g", "-O1", "-pthread", "-o", exe,
                    os.path.join(a.sources, "main.cpp"), f"-L{a.workdir}", "-lctorlib",
                    f"-Wl,-rpath,{a.workdir}"], check=True)
    run = subprocess.run([a.threadcheck, "run", "--seed=1", "--iterations=200",
                          f"--output-dir={a.workdir}/schedules", "--", exe],
                         capture_output=True, text=True, timeout=300)
    if run.returncode != 0 or "200 schedules" not in run.stderr:
        failures.append(f"thread from a library's constructor: exit {run.returncode}, expected 0 "
                        f"after 200 schedules:\n{run.stdout}{run.stderr}")
    else:
        print("thread from a shared library's constructor: 200 schedules, clean")
    if failures:
        sys.exit("FAIL:\n" + "\n".join(failures))


if __name__ == "__main__":
    main()
