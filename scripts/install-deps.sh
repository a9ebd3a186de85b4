#!/usr/bin/env bash
# Installs what threadcheck needs to build and test on Debian (bookworm or newer).
# Safe to run twice: packages already present are left alone and apt is not called at all.
set -euo pipefail

packages=(
  cmake ninja-build g++ git python3
  clang-19 libclang-19-dev llvm-19-dev libclang-rt-19-dev
  libgtest-dev libgmock-dev
  clang-format-19 clang-tidy-19 clang-tools-19
  binutils
  # compiled as user code by the real-code corpus (testdata/corpus, ctest e2e_check.precision_corpus)
  googletest libspdlog-dev libconcurrentqueue-dev libboost-thread-dev libabsl-dev libtbb-dev
  libuv1-dev
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -q
"${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
