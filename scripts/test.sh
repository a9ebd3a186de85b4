#!/usr/bin/env bash
# One command from a fresh clone: install what is missing, build, and run the whole test suite
# (with clang-19), then build with the system compiler (GCC) and check that build too.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh"
build=${THREADCHECK_BUILD_DIR:-$root/build}
ctest --test-dir "$build" --output-on-failure -j "$(nproc)" "$@"
"$root/scripts/test-gcc.sh"
