#!/usr/bin/env bash
# Configures and builds threadcheck into build/ (or $THREADCHECK_BUILD_DIR) with clang-19 and Ninja.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${THREADCHECK_BUILD_DIR:-$root/build}
if [ ! -f "$build/build.ninja" ]; then
  CC=${CC:-clang-19} CXX=${CXX:-clang++-19} cmake -S "$root" -B "$build" -G Ninja
fi
cmake --build "$build"
