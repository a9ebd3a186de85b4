#!/usr/bin/env bash
# One command from a fresh clone: install what is missing, build, and run threadcheck's main job on
# the bundled example project. Exits as threadcheck does: 1 because the examples have real bugs.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh"
build=${THREADCHECK_BUILD_DIR:-$root/build}
example_build="$build/examples"
cmake -S "$root/testdata/examples" -B "$example_build" -G Ninja \
  -DCMAKE_CXX_COMPILER=clang++-19 -DCMAKE_C_COMPILER=clang-19 >/dev/null
echo "== threadcheck check on testdata/examples (compile database in $example_build) =="
set +e
"$build/bin/threadcheck" check -p "$example_build"
status=$?
set -e
echo "== threadcheck exited with $status (0: clean, 1: findings, 2: error) =="
exit $status
