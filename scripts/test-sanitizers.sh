#!/usr/bin/env bash
# The tool built with AddressSanitizer and UndefinedBehaviorSanitizer in its own build directory
# (build-asan/, or $THREADCHECK_ASAN_BUILD_DIR), and the tests that exercise the tool binary and
# its parts run on that build: unit tests of the report, check and run pieces, the command-line
# tests of check, the expectation tests of every check, and run/replay on bad input. The runtime
# is built without sanitizers (it is preloaded into the programs under test, whose allocator and
# threads it must own); LLVM and Clang from Debian are not instrumented either, which ASan and
# UBSan do not need. Any report fails the test that triggered it. Extra arguments go to ctest.
# docs/testing.md describes it; it is not part of scripts/test.sh (a second full build of the
# tool takes longer than CI can spare).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${THREADCHECK_ASAN_BUILD_DIR:-$root/build-asan}
jobs=${THREADCHECK_JOBS:-$(nproc)}
if [ ! -f "$build/build.ninja" ]; then
  CC=${CC:-clang-19} CXX=${CXX:-clang++-19} cmake -S "$root" -B "$build" -G Ninja \
    -DTHREADCHECK_SANITIZE=address,undefined
fi
# Only what the selected tests need: the test programs for run/replay, not the rest of the suite.
cmake --build "$build" -j "$jobs" --target threadcheck threadcheck_rt threadcheck_test_programs \
  threadcheck_static_hello \
  threadcheck_report_tests threadcheck_check_cmd_tests threadcheck_incremental_tests \
  threadcheck_run_cmd_tests checkers_facts_serialization_tests

# Leaks count (LeakSanitizer runs with ASan); a report names the stack and fails the process.
# use_sigaltstack=0: LLVM's signal handling (CrashRecoveryContext) gives each thread its own
# malloc'ed alternate signal stack, which ASan would otherwise try to munmap as its own when the
# thread exits ("unable to unmmap", a CHECK failure that kills the process).
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:use_sigaltstack=0:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
tests='^(report|check_cmd|run_cmd)\.|^checkers\.FactsSerialization|^check_(cli|fix|incremental)$|^e2e_check\.|^runtime\.(bad_input|replay_identity|run_failures)$'
ctest --test-dir "$build" --output-on-failure -j "$jobs" -R "$tests" "$@"
echo "test-sanitizers: the tool's tests pass under AddressSanitizer and UndefinedBehaviorSanitizer"
