#!/usr/bin/env python3
"""Bad input for the instrumented mode (issue 5, section 6): programs linked with stock TSan's
runtime, programs instrumented for another ABI, partly instrumented programs, bad wrapper use; and
accesses from uninstrumented code or before the runtime starts, which must never crash it."""
import argparse
import os
import shutil
import subprocess
import sys

failures = []


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300, **kw)


def expect(what, r, code, text):
    out = r.stdout + r.stderr
    if r.returncode != code or text not in out:
        failures.append(f"{what}: expected exit {code} and '{text}', got exit {r.returncode}:\n{out}")
    else:
        print(f"ok: {what}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threadcheck", required=True)
    ap.add_argument("--sources", required=True)
    ap.add_argument("--workdir", required=True)
    a = ap.parse_args()
    shutil.rmtree(a.workdir, ignore_errors=True)
    os.makedirs(a.workdir)
    w = lambda name: os.path.join(a.workdir, name)
    tc = a.threadcheck
    counter = os.path.join(a.sources, "racecounter_bug.c")

    # Stock ThreadSanitizer: clang links its runtime statically, gcc links libtsan.so.
    if run(["clang-19", "-fsanitize=thread", "-g", counter, "-o", w("stock_clang")]).returncode == 0:
        expect("clang stock TSan", run([tc, "run", "--", w("stock_clang")]), 2,
               "contains stock ThreadSanitizer's runtime")
    if run(["gcc", "-fsanitize=thread", "-g", counter, "-o", w("stock_gcc")]).returncode == 0:
        expect("gcc stock TSan", run([tc, "run", "--", w("stock_gcc")]), 2,
               "linked with stock ThreadSanitizer's runtime")

    # Another instrumentation ABI: the program calls an entry point this runtime lacks (a stub
    # library stands in for a newer compiler's runtime so that it links).
    with open(w("future.c"), "w") as f:
        f.write("void __tsan_read4_v2(void *p) { (void)p; }\n")
    with open(w("newabi.c"), "w") as f:
        f.write("#include <pthread.h>\nvoid __tsan_read4_v2(void *);\nint x;\n"
                "static void *t(void *a) { __tsan_read4_v2(&x); return a; }\n"
                "int main(void) { pthread_t h; pthread_create(&h, 0, t, 0);"
                " pthread_join(h, 0); return 0; }\n")
    run(["gcc", "-shared", "-fPIC", w("future.c"), "-o", w("libfuture.so")])
    r = run([tc, "cc", w("newabi.c"), "-o", w("newabi"), "-L" + a.workdir, "-lfuture",
             "-Wl,-rpath," + a.workdir])
    if r.returncode != 0:
        failures.append(f"building the new-ABI program failed: {r.stderr}")
    else:
        expect("another instrumentation ABI", run([tc, "run", "--", w("newabi")]), 2,
               "__tsan_read4_v2, which threadcheck's runtime does not provide")

    # The same ABI in a shared library of the program: the executable's imports are fine, so the
    # runtime finds it at start-up, before any schedule, and names the library and the entry point.
    with open(w("newabi_lib.c"), "w") as f:
        f.write("void __tsan_read4_v2(void *);\nint y;\nvoid touch(void) { __tsan_read4_v2(&y); }\n")
    run(["gcc", "-shared", "-fPIC", w("newabi_lib.c"), "-o", w("libnewabi.so"),
         "-L" + a.workdir, "-lfuture", "-Wl,-rpath," + a.workdir])
    with open(w("uses_newabi.c"), "w") as f:
        f.write("#include <pthread.h>\nvoid touch(void);\n"
                "static void *t(void *a) { touch(); return a; }\n"
                "int main(void) { pthread_t h; pthread_create(&h, 0, t, 0);"
                " pthread_join(h, 0); return 0; }\n")
    r = run([tc, "cc", w("uses_newabi.c"), "-o", w("uses_newabi"), "-L" + a.workdir, "-lnewabi",
             "-Wl,-rpath," + a.workdir])
    if r.returncode != 0:
        failures.append(f"building the program with a new-ABI library failed: {r.stderr}")
    else:
        r = run([tc, "run", f"--output-dir={w('s')}", "--", w("uses_newabi")])
        expect("a shared library instrumented for another ABI", r, 2,
               f"'{w('libnewabi.so')}' calls __tsan_read4_v2, which resolves to")
        if "schedule" in r.stdout:
            failures.append(f"the new-ABI library was found only after schedules ran:\n{r.stdout}")

    # A library linked with stock TSan brings its runtime into the process.
    libtsan = run(["gcc", "-print-file-name=libtsan.so"]).stdout.strip()
    if os.path.isabs(libtsan) and os.path.exists(libtsan):
        with open(w("stock_lib.c"), "w") as f:
            f.write("int z;\nvoid touch(void) { z++; }\n")
        run(["gcc", "-shared", "-fPIC", "-fsanitize=thread", w("stock_lib.c"), "-o",
             w("libstock.so")])
        r = run([tc, "cc", w("uses_newabi.c"), "-o", w("uses_stock"), "-L" + a.workdir, "-lstock",
                 "-Wl,-rpath," + a.workdir])
        if r.returncode != 0:
            failures.append(f"building the program with a stock-TSan library failed: {r.stderr}")
        else:
            expect("a shared library linked with stock TSan",
                   run([tc, "run", f"--output-dir={w('s')}", "--", w("uses_stock")]), 2,
                   "stock ThreadSanitizer's runtime")

    # Partly instrumented: an object compiled without -fsanitize=thread is named at link time.
    run(["clang-19", "-c", "-g", counter, "-o", w("plain.o")])
    expect("uninstrumented object", run([tc, "cc", w("plain.o"), "-o", w("partial")]), 0,
           "was compiled without -fsanitize=thread")
    # ... and the program still runs, its invisible accesses never crash the runtime.
    expect("partly instrumented program runs",
           run([tc, "run", "--seed=1", "--iterations=20", f"--output-dir={w('s')}", "--",
                w("partial")]), 0, "0 findings")

    # Stock TSan's runtime preloaded from the environment would intercept beside ours.
    libtsan = run(["gcc", "-print-file-name=libtsan.so"]).stdout.strip()
    if os.path.isabs(libtsan) and os.path.exists(libtsan):
        expect("stock TSan in LD_PRELOAD",
               run([tc, "run", "--iterations=1", f"--output-dir={w('s')}", "--", w("partial")],
                   env={**os.environ, "LD_PRELOAD": libtsan}), 2,
               "LD_PRELOAD names stock ThreadSanitizer's runtime")

    # Instrumented code running before the runtime is in control (a global constructor), called
    # from uninstrumented code (qsort callbacks: func_exit without a matching entry is harmless),
    # and natively without threadcheck at all.
    with open(w("early.cpp"), "w") as f:
        f.write(r'''
#include <atomic>
#include <cstdlib>
#include <mutex>
#include <thread>
std::atomic<int> early{0};
int plain_early;
struct Init { Init() { early.fetch_add(1); plain_early = 1; } } init;
static int cmp(const void* a, const void* b) { return *(const int*)a - *(const int*)b; }
std::mutex m;
int total;
int main() {
  int v[4] = {3, 1, 2, 0};
  std::thread t([&] { std::lock_guard<std::mutex> g(m); total += v[0]; });
  { std::lock_guard<std::mutex> g(m); qsort(v, 4, sizeof v[0], cmp); total += plain_early; }
  t.join();
  return early.load() == 1 ? 0 : 1;
}
''')
    r = run([tc, "c++", "-std=c++20", "-O1", "-g", w("early.cpp"), "-o", w("early")])
    if r.returncode != 0:
        failures.append(f"building early.cpp failed: {r.stderr}")
    else:
        expect("native run of an instrumented program", run([w("early")]), 0, "")
        expect("early and uninstrumented accesses",
               run([tc, "run", "--seed=1", "--iterations=30", "--access-points=all",
                    f"--output-dir={w('s')}", "--", w("early")]), 0, "0 findings")

    # An object file that carries ThreadSanitizer runtime code (here a definition of an entry
    # point, as objects pulled out of stock TSan's runtime have) cannot be linked with ours.
    with open(w("ownrt.c"), "w") as f:
        f.write("void __tsan_read4(void *p) { (void)p; }\n")
    run(["clang-19", "-c", w("ownrt.c"), "-o", w("ownrt.o")])
    expect("object with TSan runtime code",
           run([tc, "cc", counter, w("ownrt.o"), "-o", w("ownrt")]), 2,
           "contains ThreadSanitizer runtime code")
    if os.path.exists(w("ownrt")):
        failures.append("object with TSan runtime code: the refused link left an output file")

    # Wrapper misuse.
    expect("static link", run([tc, "cc", "-static", counter, "-o", w("static")]), 2,
           "must be linked dynamically")
    expect("unknown compiler family",
           run([tc, "cc", counter, "-o", w("x")], env={**os.environ, "THREADCHECK_COMPILER": "icc"}),
           2, "THREADCHECK_COMPILER must be clang or gcc")
    expect("bad --access-points", run([tc, "run", "--access-points=some", "--", "true"]), 2,
           "--access-points must be racy, all or none")
    if failures:
        sys.exit("FAIL:\n" + "\n".join(failures))


if __name__ == "__main__":
    main()
