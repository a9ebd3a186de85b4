#!/usr/bin/env bash
# The project built by the system compiler (GCC 12 on Debian 12) with a plain CMake configure:
# the tool and the runtime must build, and both halves must behave as the clang-19 build does.
# The whole suite with GCC: configure build-gcc/ as below without -DTHREADCHECK_BUILD_TESTS=OFF
# and run ctest there (it passes; too long to run twice in CI). To fit CI's time this build is
# unoptimised (-O0, no debug info: g++ takes half as long on the Clang headers); set
# THREADCHECK_GCC_BUILD_TYPE=RelWithDebInfo for the optimised build a plain configure makes.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${THREADCHECK_GCC_BUILD_DIR:-$root/build-gcc}
if [ ! -f "$build/build.ninja" ]; then
  type=${THREADCHECK_GCC_BUILD_TYPE:-Quick}
  CC=${GCC_CC:-gcc} CXX=${GCC_CXX:-g++} cmake -S "$root" -B "$build" -G Ninja \
    -DTHREADCHECK_BUILD_TESTS=OFF -DCMAKE_BUILD_TYPE="$type" \
    -DCMAKE_C_FLAGS_QUICK=-O0 -DCMAKE_CXX_FLAGS_QUICK=-O0
fi
cmake --build "$build"
tc=$build/bin/threadcheck
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "test-gcc: FAIL: $*" >&2; exit 1; }

# Static half: the bundled example's findings, as the README shows them.
cmake -S "$root/testdata/examples" -B "$work/examples" -G Ninja \
  -DCMAKE_CXX_COMPILER=clang++-19 -DCMAKE_C_COMPILER=clang-19 >/dev/null
set +e
"$tc" check -p "$work/examples" --format=json -o "$work/findings.json" 2>"$work/check.err"
status=$?
set -e
[ "$status" = 1 ] || fail "check on testdata/examples exited $status, expected 1: $(cat "$work/check.err")"
found=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["findings"]))' "$work/findings.json")
[ "$found" -ge 6 ] || fail "check on testdata/examples found $found findings, expected the example's 6 bugs"

# Runtime, preloaded: a deadlock found and replayed, its fixed twin clean.
gcc -pthread -g -o "$work/abba_bug" "$root/testdata/programs/abba_bug.c"
gcc -pthread -g -o "$work/abba_fixed" "$root/testdata/programs/abba_fixed.c"
run() { (cd "$work" && "$tc" run --iterations=300 --seed=1 --output-dir="$work/schedules" "$@"); }
set +e
run -- "$work/abba_bug" >"$work/bug.out" 2>&1
status=$?
set -e
[ "$status" = 1 ] || fail "run abba_bug exited $status, expected 1: $(tail -5 "$work/bug.out")"
schedule=$(ls "$work"/schedules/*.json | head -1)
set +e
(cd "$work" && "$tc" replay "$schedule" >"$work/replay.out" 2>&1)
status=$?
set -e
[ "$status" = 1 ] || fail "replay of $schedule exited $status, expected 1: $(tail -5 "$work/replay.out")"
run -- "$work/abba_fixed" >"$work/fixed.out" 2>&1 || fail "run abba_fixed: $(tail -5 "$work/fixed.out")"

# Runtime, instrumented (threadcheck cc links the GCC-built instrumented runtime): the race found.
"$tc" cc -g -o "$work/counter_bug" "$root/testdata/programs/counter_bug.c"
"$tc" cc -g -o "$work/counter_fixed" "$root/testdata/programs/counter_fixed.c"
set +e
run -- "$work/counter_bug" >"$work/race.out" 2>&1
status=$?
set -e
[ "$status" = 1 ] || fail "run counter_bug (instrumented) exited $status, expected 1: $(tail -5 "$work/race.out")"
run -- "$work/counter_fixed" >"$work/race-fixed.out" 2>&1 ||
  fail "run counter_fixed (instrumented): $(tail -5 "$work/race-fixed.out")"
echo "test-gcc: the GCC build checks, explores, replays and runs instrumented code as the clang-19 build does"
