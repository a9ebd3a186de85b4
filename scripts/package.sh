#!/usr/bin/env bash
# Builds threadcheck (scripts/build.sh) and its Debian package with CPack; prints the .deb's path.
# The build directory is build/ or $THREADCHECK_BUILD_DIR; the package lands there.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${THREADCHECK_BUILD_DIR:-$root/build}
THREADCHECK_BUILD_DIR=$build "$root/scripts/build.sh"
(cd "$build" && cpack -G DEB)
ls "$build"/threadcheck_*.deb
