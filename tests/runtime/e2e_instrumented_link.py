#!/usr/bin/env python3
"""How `threadcheck cc` links: an executable contains the runtime (no libthreadcheck_rt.so, no
__tsan_* import, the instrumented-program mark and the interceptors exported); an instrumented
shared library depends on libthreadcheck_rt.so, and inside an instrumented executable its accesses
reach the executable's race detector (a race between two calls into the library is found and
replays); an uninstrumented program still loads that library and runs natively; a test executable
that links the static runtime in itself (threadcheck::runtime) still links, with the shared one."""
import argparse
import json
import os
import shutil
import subprocess
import sys

failures = []

LIB = r"""
int shared_counter;
void bump(void) { shared_counter++; }
"""

MAIN = r"""
#include <pthread.h>
void bump(void);
extern int shared_counter;
static void* worker(void* arg) { bump(); return arg; }
int main(void) {
  pthread_t t;
  pthread_create(&t, 0, worker, 0);
  bump();
  pthread_join(t, 0);
  return 0;
}
"""


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300, **kw)


def check(what, ok, detail=""):
    if ok:
        print(f"ok: {what}")
    else:
        failures.append(f"{what}{': ' + detail if detail else ''}")


def dynamic_symbols(path):
    r = run(["nm", "-D", path])
    defined, undefined = set(), set()
    for line in r.stdout.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] in ("U", "w"):
            undefined.add(parts[1])
        elif len(parts) == 3:
            defined.add(parts[2])
    return defined, undefined


def needed(path):
    r = run(["readelf", "-d", path])
    return [l.split("[")[1].rstrip("]") for l in r.stdout.splitlines() if "(NEEDED)" in l]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threadcheck", required=True)
    ap.add_argument("--static-runtime", required=True, help="libthreadcheck_rt_static.a")
    ap.add_argument("--workdir", required=True)
    a = ap.parse_args()
    shutil.rmtree(a.workdir, ignore_errors=True)
    os.makedirs(a.workdir)
    tc = a.threadcheck
    w = lambda name: os.path.join(a.workdir, name)
    with open(w("lib.c"), "w") as f:
        f.write(LIB)
    with open(w("main.c"), "w") as f:
        f.write(MAIN)

    for cc in ("clang", "gcc"):
        env = {**os.environ, "THREADCHECK_COMPILER": cc}
        lib, prog, plain = w(f"libbump-{cc}.so"), w(f"main-{cc}"), w(f"plain-{cc}")
        r = run([tc, "cc", "-g", "-O1", "-fPIC", "-shared", w("lib.c"), "-o", lib], env=env)
        check(f"{cc}: instrumented shared library builds", r.returncode == 0, r.stderr)
        r2 = run([tc, "cc", "-g", "-O1", w("main.c"), "-o", prog, f"-L{a.workdir}",
                  f"-lbump-{cc}", f"-Wl,-rpath,{a.workdir}"], env=env)
        check(f"{cc}: instrumented executable builds", r2.returncode == 0, r2.stderr)
        if r.returncode != 0 or r2.returncode != 0:
            continue

        defined, undefined = dynamic_symbols(prog)
        check(f"{cc}: the executable contains the runtime",
              not any(n.startswith("libthreadcheck_rt") for n in needed(prog))
              and not any(s.startswith("__tsan_") for s in undefined),
              f"NEEDED {needed(prog)}")
        check(f"{cc}: the executable exports the mark, entry points and interceptors",
              {"__threadcheck_instrumented_program", "__tsan_read4", "pthread_mutex_lock",
               "malloc"} <= defined)
        check(f"{cc}: the shared library depends on the shared runtime",
              "libthreadcheck_rt.so" in needed(lib), f"NEEDED {needed(lib)}")

        # The race is between two calls into the library: found only if the library's
        # instrumentation reaches the executable's detector.
        report = w(f"race-{cc}.json")
        r = run([tc, "run", "--seed=1", "--iterations=20", f"--output-dir={w('s-' + cc)}",
                 f"--report={report}", "--", prog])
        found = r.returncode == 1 and "data race" in r.stdout
        check(f"{cc}: a race inside the instrumented library is found", found, r.stdout + r.stderr)
        if found:
            sched = json.load(open(report))["findings"][0]["schedule_file"]
            r = run([tc, "replay", sched])
            check(f"{cc}: ... and replays", r.returncode == 1 and "data race" in r.stdout,
                  r.stdout + r.stderr)

        # Uninstrumented code may load the instrumented library: it runs natively.
        compiler = "clang-19" if cc == "clang" else "gcc"
        r = run([compiler, "-g", w("main.c"), "-o", plain, "-pthread", f"-L{a.workdir}",
                 f"-lbump-{cc}", f"-Wl,-rpath,{a.workdir}"])
        check(f"{cc}: an uninstrumented program links the instrumented library",
              r.returncode == 0, r.stderr)
        if r.returncode == 0:
            r = run([plain])
            check(f"{cc}: ... and runs natively", r.returncode == 0, r.stdout + r.stderr)

        own = w(f"own-{cc}")
        r = run([tc, "cc", "-g", w("main.c"), "-o", own, f"-L{a.workdir}", f"-lbump-{cc}",
                 f"-Wl,-rpath,{a.workdir}", "-Wl,--whole-archive", a.static_runtime,
                 "-Wl,--no-whole-archive", "-rdynamic", "-lstdc++"], env=env)
        check(f"{cc}: an executable with its own static runtime links", r.returncode == 0,
              r.stderr)
        if r.returncode == 0:
            r = run([tc, "run", "--seed=1", "--iterations=5", f"--output-dir={w('o-' + cc)}",
                     "--", own])
            check(f"{cc}: ... and runs under threadcheck", r.returncode in (0, 1),
                  r.stdout + r.stderr)
    if failures:
        sys.exit("FAIL:\n" + "\n".join(failures))


if __name__ == "__main__":
    main()
