#!/usr/bin/env python3
"""Self-test of check_expectations.py against fake_threadcheck.py.

The real e2e tests stay red until the engine lands, so the harness must be proven right on its own:
a harness that passes everything, or fails everything, would make those tests worthless. The
fixture's expected locations are written out here by hand rather than re-derived with the harness's
own parser, so a parsing bug cannot hide itself.
"""

import json
import os
import subprocess
import sys
import tempfile
import textwrap

HERE = os.path.dirname(os.path.realpath(__file__))
HARNESS = os.path.join(HERE, "check_expectations.py")
FAKE = os.path.join(HERE, "fake_threadcheck.py")

A_CPP = """\
#include "inc.h"
#include <mutex>

// case: bad
void twice(std::mutex& m) {
  m.lock();
  m.lock(); // expect: double-lock
}

// case: good
void once(std::mutex& m) {
  std::lock_guard<std::mutex> g(m);
}

// case: bad
void thrice(std::mutex& m) { m.lock(); m.lock(); m.lock(); } // expect: double-lock, double-lock
"""

INC_H = """\
#pragma once
#include <mutex>
inline void header_leak(std::mutex& m) {
  m.lock();
} // expect: lock-not-released
"""

B_C = """\
#include <pthread.h>

// case: bad
void c_unlock(pthread_mutex_t* m) {
  pthread_mutex_unlock(m); // expect: unlock-not-held
}
"""

CMAKE_LISTS = """\
cmake_minimum_required(VERSION 3.20)
project(selftest_example LANGUAGES CXX)
set(CMAKE_EXPORT_COMPILE_COMMANDS ON)
add_executable(app main.cpp)
"""

MAIN_CPP = """\
#include <mutex>
std::mutex m;
int main() {
  m.lock();
} // expect: lock-not-released
"""

failures = 0
passes = 0


def check(condition: bool, what: str, output: str = "") -> None:
    global failures, passes
    if condition:
        passes += 1
        print(f"ok   {what}")
    else:
        failures += 1
        print(f"FAIL {what}")
        if output:
            print(textwrap.indent(output.rstrip(), "     | "))


def write(path: str, text: str) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="tc-selftest-") as tmp:
        tmp = os.path.realpath(tmp)
        project = os.path.join(tmp, "project")
        write(os.path.join(project, "a.cpp"), A_CPP)
        write(os.path.join(project, "inc.h"), INC_H)
        write(os.path.join(project, "b.c"), B_C)
        a, h, b = (os.path.join(project, n) for n in ("a.cpp", "inc.h", "b.c"))
        exact = [
            {"check": "double-lock", "file": a, "line": 7, "column": 3, "message": "m twice"},
            {"check": "double-lock", "file": a, "line": 16, "column": 40, "message": "second"},
            {"check": "double-lock", "file": a, "line": 16, "column": 50, "message": "third"},
            {"check": "lock-not-released", "file": h, "line": 5, "column": 1, "message": "m"},
            {"check": "unlock-not-held", "file": b, "line": 5, "column": 3, "message": "m"},
        ]
        # A wrapper instead of relying on the executable bit surviving every checkout.
        fake = os.path.join(tmp, "fake-threadcheck")
        write(fake, f"#!/bin/sh\nexec '{sys.executable}' '{FAKE}' \"$@\"\n")
        os.chmod(fake, 0o755)
        scenario = os.path.join(tmp, "scenario.json")
        record = os.path.join(tmp, "record.json")
        env = dict(os.environ, FAKE_SCENARIO=scenario, FAKE_RECORD=record)

        def run(folder, answer, *extra):
            write(scenario, json.dumps(answer))
            done = subprocess.run([sys.executable, HARNESS, "--threadcheck", fake, "--dir", folder,
                                   "--work", os.path.join(tmp, "work"), *extra],
                                  capture_output=True, text=True, env=env, cwd=tmp)
            return done.returncode, done.stdout + done.stderr

        code, out = run(project, {"findings": exact, "exit": 1})
        check(code == 0 and "project: 4 passed, 0 failed" in out, "exact match passes", out)
        check("cases: 3 bad, 1 good; expected findings: 5" in out, "case counts reported", out)

        with open(record, encoding="utf-8") as f:
            seen = json.load(f)
        db = {e["file"]: e for e in seen["database"]}
        check(sorted(db) == sorted([a, b]), "database lists the .c and .cpp files, not headers",
              json.dumps(seen["database"], indent=1))
        check(db.get(a, {}).get("arguments", [None])[:3] == ["clang++-19", "-std=c++20", "-pthread"]
              and db.get(b, {}).get("arguments", [None])[:3] == ["clang-19", "-std=c11", "-pthread"],
              "C++ and C get their own compiler and standard", json.dumps(seen["database"]))
        check(all(e["directory"] == project for e in seen["database"]),
              "database directory is the folder", json.dumps(seen["database"]))
        check(seen["argv"] == ["check", "-p", os.path.join(tmp, "work"), "--format=json"],
              "tool is run with -p <work> --format=json", str(seen["argv"]))

        code, out = run(project, {"findings": exact[1:], "exit": 1})
        check(code == 1 and "MISSING project/a.cpp:7: double-lock" in out
              and "project: 3 passed, 1 failed" in out, "a missing finding fails", out)

        code, out = run(project, {"findings": exact[:1] + exact[2:], "exit": 1})
        check(code == 1 and out.count("MISSING") == 1 and ":16: double-lock" in out,
              "the same id twice on a line needs two findings", out)

        extra = {"check": "double-lock", "file": a, "line": 12, "column": 3, "message": "bogus"}
        code, out = run(project, {"findings": exact + [extra], "exit": 1})
        check(code == 1 and "UNEXPECTED" in out and ":12: double-lock: bogus" in out
              and "project: 3 passed, 1 failed" in out, "an unexpected finding fails", out)

        wrong_id = dict(exact[0], check="lock-not-released")
        code, out = run(project, {"findings": [wrong_id] + exact[1:], "exit": 1})
        check(code == 1 and "MISSING" in out and "UNEXPECTED" in out,
              "right line, wrong check id fails both ways", out)

        relative = [dict(f, file=os.path.relpath(f["file"], project)) for f in exact]
        code, out = run(project, {"findings": relative, "exit": 1})
        check(code == 0, "file paths relative to the folder are understood", out)

        code, out = run(project, {"findings": exact, "exit": 0})
        check(code == 1 and "EXIT CODE" in out, "exit 0 with findings fails", out)

        code, out = run(project, {"findings": exact, "exit": 2})
        check(code == 1 and "EXIT CODE" in out, "exit 2 fails even with the right findings", out)

        code, out = run(project, {"findings": exact, "errors": ["x.cpp: parse"], "exit": 1})
        check(code == 1 and "TOOL ERROR" in out, "errors in the report fail", out)

        code, out = run(project, {"raw": "a.cpp:7:3: warning: ...\n", "exit": 1})
        check(code == 1 and "not the JSON report" in out and "project: 0 passed, 5 failed" in out,
              "text instead of JSON fails every case", out)

        clean = os.path.join(tmp, "clean")
        write(os.path.join(clean, "ok.cpp"), "// case: good\nvoid f() {}\n")
        code, out = run(clean, {"findings": [], "exit": 0})
        check(code == 0 and "clean: 1 passed, 0 failed" in out, "clean folder, exit 0 passes", out)
        code, out = run(clean, {"findings": [], "exit": 1})
        check(code == 1 and "EXIT CODE" in out, "clean folder, exit 1 fails", out)

        typo = os.path.join(tmp, "typo")
        write(os.path.join(typo, "t.cpp"), "// case: bad\nvoid f() {} // expect: double_lock\n")
        code, out = run(typo, {"findings": [], "exit": 0})
        check(code == 2 and "unknown check id 'double_lock'" in out, "unknown check id is exit 2",
              out)

        unmarked = os.path.join(tmp, "unmarked")
        write(os.path.join(unmarked, "t.cpp"), "// case: bad\nvoid f() {}\n")
        code, out = run(unmarked, {"findings": [], "exit": 0})
        check(code == 2 and "has no '// expect:'" in out, "bad case without expectation is exit 2",
              out)

        mislabeled = os.path.join(tmp, "mislabeled")
        write(os.path.join(mislabeled, "t.cpp"), "// case: good\nvoid f() {} // expect: double-lock\n")
        code, out = run(mislabeled, {"findings": [], "exit": 0})
        check(code == 2, "good case with an expectation is exit 2", out)

        opted = os.path.join(tmp, "opted")
        write(os.path.join(opted, "ok.cpp"), "// case: good\nvoid f() {}\n")
        write(os.path.join(opted, "check-args"), "--checks=*\n")
        code, out = run(opted, {"findings": [], "exit": 0})
        with open(record, encoding="utf-8") as f:
            seen = json.load(f)
        check(code == 0 and seen["argv"][-1] == "--checks=*",
              "a folder's check-args file extends the command line", str(seen["argv"]))
        write(os.path.join(opted, "check-args"), "--format=text\n")
        code, out = run(opted, {"findings": [], "exit": 0})
        check(code == 2 and "set by the harness" in out, "check-args cannot change the format", out)

        code, out = run(os.path.join(tmp, "nowhere"), {"findings": [], "exit": 0})
        check(code == 2 and "not a directory" in out, "missing folder is exit 2", out)

        example = os.path.join(tmp, "example")
        write(os.path.join(example, "CMakeLists.txt"), CMAKE_LISTS)
        write(os.path.join(example, "main.cpp"), MAIN_CPP)
        main_cpp = os.path.join(example, "main.cpp")
        code, out = run(example, {"findings": [{"check": "lock-not-released", "file": main_cpp,
                                                "line": 5, "column": 1, "message": "m"}],
                                  "exit": 1})
        with open(record, encoding="utf-8") as f:
            seen = json.load(f)
        check(code == 0 and "example: 1 passed, 0 failed" in out
              and seen["database_dir"] == os.path.join(tmp, "work", "cmake-build")
              and [os.path.realpath(e["file"]) for e in seen["database"]] == [main_cpp],
              "a CMake project is configured and its own database used", out)

        listing = subprocess.run([sys.executable, HARNESS, "--list-counts", project, clean],
                                 capture_output=True, text=True)
        rows = {line.split()[0]: line.split()[1:] for line in listing.stdout.splitlines()[1:]}
        check(listing.returncode == 0 and rows.get("project") == ["3", "1", "5"]
              and rows.get("clean") == ["0", "1", "0"], "--list-counts", listing.stdout)

    print(f"harness_selftest: {passes} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
