#!/usr/bin/env python3
"""The installed package, used from the installed tree only: `cmake --install` of the build into
a temporary prefix, the installed tool and `threadcheck c++` working from there, and the example
project testdata/package-consumer configured with CMAKE_PREFIX_PATH=<prefix>, built, and tested
with CTest: the deadlocking test fails with the finding, the fixed ones pass, both for the plain
GoogleTest binary explored by threadcheck_discover_tests and for the TC_TEST binary that explores
in-process (threadcheck::runtime)."""
import argparse
import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

failures = []


def run(argv, cwd=None, timeout=300, env=None):
    return subprocess.run(argv, capture_output=True, text=True, timeout=timeout, cwd=cwd, env=env)


def expect(name, cond, p=None):
    print(f"{'ok  ' if cond else 'FAIL'} {name}", flush=True)
    if not cond:
        failures.append(name + ("" if p is None else f"\n--- exit {p.returncode}\n{p.stdout}{p.stderr}"))
    return cond


def must(name, p):
    if not expect(name, p.returncode == 0, p):
        sys.exit("FAILED:\n" + "\n".join(failures))


def runpath(binary):
    p = run(["readelf", "-d", binary])
    for line in p.stdout.splitlines():
        if "RUNPATH" in line or "RPATH" in line:
            return line.split("[", 1)[1].rstrip("]").split(":")
    return []


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True, help="threadcheck's build tree")
    ap.add_argument("--consumer", required=True, help="the example project's sources")
    ap.add_argument("--program", required=True, help="a C program with a lock-order deadlock")
    ap.add_argument("--workdir", required=True)
    a = ap.parse_args()
    w = a.workdir
    shutil.rmtree(w, ignore_errors=True)
    os.makedirs(w)
    prefix = os.path.join(w, "prefix")
    # Nothing may leak in from the environment: the package is found through the prefix only.
    env = {k: v for k, v in os.environ.items() if not k.startswith("THREADCHECK_")
           and k not in ("CMAKE_PREFIX_PATH", "LD_PRELOAD", "LD_LIBRARY_PATH")}

    must("cmake --install into a fresh prefix", run(["cmake", "--install", a.build, "--prefix", prefix]))
    files = ["bin/threadcheck", "lib/libthreadcheck_rt.so", "lib/libthreadcheck_rt_static.a",
             "lib/libthreadcheck_rt_instrumented.a", "lib/libthreadcheck_rt_instrumented.exports",
             "include/threadcheck/Protocol.h", "include/threadcheck/threadcheck.hpp",
             "include/threadcheck/gtest.hpp", "lib/cmake/threadcheck/threadcheckConfig.cmake",
             "lib/cmake/threadcheck/threadcheckConfigVersion.cmake",
             "lib/cmake/threadcheck/threadcheckTargets.cmake",
             "lib/cmake/threadcheck/threadcheckTesting.cmake",
             "share/doc/threadcheck/install.md", "share/doc/threadcheck/runtime.md"]
    missing = [f for f in files if not os.path.exists(os.path.join(prefix, f))]
    expect(f"installed layout ({len(files)} files)", not missing)
    if missing:
        print("missing:", missing)
    tool = os.path.join(prefix, "bin", "threadcheck")
    build = os.path.realpath(a.build)
    expect("the installed tool keeps no build-tree path in its RUNPATH",
           not any(d.startswith(build) for d in runpath(tool)))

    # The installed tool on its own: `threadcheck cc` links the installed runtime into the
    # executable (nothing from the build tree), `run` finds the preload library.
    prog = os.path.join(w, "abba")
    p = run([tool, "cc", "-g", "-O1", "-w", "-v", "-o", prog, a.program], env=env)
    must("installed 'threadcheck cc' builds an instrumented program", p)
    installed_rt = os.path.join(prefix, "lib", "libthreadcheck_rt_instrumented.a")
    expect("...with the installed runtime linked in",
           installed_rt in p.stderr and not runpath(prog)
           and os.path.join(build, "lib", "libthreadcheck_rt") not in p.stderr, p)
    p = run([tool, "run", "--seed=1", "--iterations=300", f"--output-dir={w}/schedules", "--", prog],
            cwd=w, env=env)
    expect("installed 'threadcheck run' finds the deadlock", p.returncode == 1 and "deadlock" in p.stdout, p)

    # The example project, built against the installed package.
    cbuild = os.path.join(w, "consumer")
    gen = ["-G", "Ninja"] if shutil.which("ninja") else []
    must("configure the example with CMAKE_PREFIX_PATH=<prefix>",
         run(["cmake", "-S", a.consumer, "-B", cbuild, *gen, f"-DCMAKE_PREFIX_PATH={prefix}",
              "-DCMAKE_BUILD_TYPE=RelWithDebInfo", "-DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF"], env=env))
    cache = open(os.path.join(cbuild, "CMakeCache.txt")).read()
    expect("threadcheck found in the prefix, not the build tree",
           f"threadcheck_DIR:PATH={prefix}/lib/cmake/threadcheck" in cache)
    must("build the example", run(["cmake", "--build", cbuild], env=env))
    pretest_list = os.path.join(cbuild, "bank_test_threadcheck2_tests.cmake")
    expect("DISCOVERY_MODE PRE_TEST: nothing listed at build time", not os.path.exists(pretest_list))

    p = run(["ctest", "--test-dir", cbuild, "--show-only=json-v1"], env=env)
    tests = {t["name"]: t["command"] for t in json.loads(p.stdout).get("tests", [])} if p.returncode == 0 else {}
    explored = {"explore.Transfer.UnorderedLocks", "explore.Transfer.ScopedLock",
                "explore.Amounts/TransferAmount.ScopedLockKeepsTheTotal/0",
                "explore.Amounts/TransferAmount.ScopedLockKeepsTheTotal/1"}
    inprocess = {"inprocess.TransferExplored.UnorderedLocks", "inprocess.TransferExplored.ScopedLock"}
    pretest = {"pretest.Transfer.ScopedLock"}
    expect("one CTest test per GoogleTest test", set(tests) == explored | inprocess | pretest, p)
    expect("DISCOVERY_MODE PRE_TEST: listed when ctest runs", os.path.exists(pretest_list))
    expect("threadcheck_discover_tests: each runs the installed threadcheck on one test",
           all(c[0] == tool and c[1:3] == ["run", "--gtest"]
               and c[-1] == "--gtest_filter=" + n[len("explore."):]
               for n, c in tests.items() if n in explored) and tests != {})

    junit = os.path.join(w, "ctest.xml")
    p = run(["ctest", "--test-dir", cbuild, "--output-on-failure", "--output-junit", junit], env=env)
    expect("ctest fails (the buggy test)", p.returncode != 0, p)
    results = {}
    if os.path.exists(junit):
        for case in ET.parse(junit).getroot().iter("testcase"):
            out = "".join(case.itertext())
            results[case.get("name")] = (case.get("status"), out)
    bug = results.get("explore.Transfer.UnorderedLocks", ("", ""))
    expect("the buggy test fails with the deadlock and its replay command",
           bug[0] == "fail" and "deadlock in schedule" in bug[1] and "threadcheck replay" in bug[1], p)
    bug = results.get("inprocess.TransferExplored.UnorderedLocks", ("", ""))
    expect("the buggy TC_TEST fails with the deadlock and its replay command",
           bug[0] == "fail" and "deadlock in schedule" in bug[1] and "THREADCHECK_REPLAY=" in bug[1], p)
    fixed = [n for n in explored | inprocess | pretest if not n.endswith(".UnorderedLocks")]
    expect("the fixed tests pass", all(results.get(n, ("",))[0] == "run" for n in fixed), p)

    # Bad arguments to threadcheck_discover_tests stop the configure step with a clear message.
    def configure_with(name, call):
        src = os.path.join(w, name)
        os.makedirs(src)
        open(os.path.join(src, "CMakeLists.txt"), "w").write(
            "cmake_minimum_required(VERSION 3.24)\nproject(bad LANGUAGES NONE)\n"
            "find_package(threadcheck CONFIG REQUIRED)\n"
            "add_custom_target(nothing)\n"
            "add_executable(exe IMPORTED)\n" + call + "\n")
        p = run(["cmake", "-S", src, "-B", os.path.join(src, "build"),
                 f"-DCMAKE_PREFIX_PATH={prefix}"], env=env)
        p.stderr = " ".join(p.stderr.split())  # CMake wraps long messages
        return p

    p = configure_with("bad-target", "threadcheck_discover_tests(nothing)")
    expect("threadcheck_discover_tests on a target that is not an executable: configure error",
           p.returncode != 0 and "'nothing' is not an executable" in p.stderr, p)
    p = configure_with("bad-strategy", "threadcheck_discover_tests(exe STRATEGY magic)")
    expect("threadcheck_discover_tests with an unknown strategy: configure error",
           p.returncode != 0 and "STRATEGY must be random, pct, pos or dfs, not 'magic'" in p.stderr, p)
    p = configure_with("bad-iterations", "threadcheck_discover_tests(exe ITERATIONS 0)")
    expect("threadcheck_discover_tests with ITERATIONS 0: configure error",
           p.returncode != 0 and "ITERATIONS must be a positive integer, not '0'" in p.stderr, p)
    p = configure_with("bad-mode", "threadcheck_discover_tests(exe DISCOVERY_MODE LATER)")
    expect("threadcheck_discover_tests with an unknown DISCOVERY_MODE: configure error",
           p.returncode != 0 and "DISCOVERY_MODE must be POST_BUILD or PRE_TEST, not 'LATER'"
           in p.stderr, p)

    if failures:
        sys.exit("FAILED:\n" + "\n".join(failures))
    print("all passed")


if __name__ == "__main__":
    main()
