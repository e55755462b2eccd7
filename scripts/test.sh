#!/usr/bin/env bash
# README command (2): set up, build, and run the whole test suite, then the same tests under
# AddressSanitizer + UndefinedBehaviorSanitizer. Slow validation runs carry the ctest label `slow`
# and run here in their short form. The paper reproductions (label `paper`: whole serving runs of
# the release binary, 20 s in release, ~4.5 min under ASan) run in the release pass only; the
# policies they drive are covered under ASan by their unit tests (label `policies`). The CUDA
# backend is compiled (and its host-side tests run) in the release pass only.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jobs="$(nproc)"
"$root/scripts/setup.sh"

echo "== release build and tests"
cmake -S "$root" -B "$root/build" -DCMAKE_BUILD_TYPE=Release -DTIERSIM_SANITIZE=OFF \
  -DTIERSIM_BUILD_TESTS=ON -DTIERSIM_BUILD_BENCH=ON > /dev/null
cmake --build "$root/build" -j "$jobs"
ctest --test-dir "$root/build" --no-tests=error --output-on-failure -j "$jobs"

echo "== sanitizer build (ASan + UBSan) and tests"
cmake -S "$root" -B "$root/build-asan" -DCMAKE_BUILD_TYPE=Debug -DTIERSIM_SANITIZE=ON -DTIERSIM_BUILD_TESTS=ON \
  -DTIERSIM_BUILD_BENCH=OFF -DTIERSIM_WITH_CUDA=OFF > /dev/null
cmake --build "$root/build-asan" -j "$jobs"
ASAN_OPTIONS="detect_leaks=1:abort_on_error=1" \
UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
  ctest --test-dir "$root/build-asan" --no-tests=error --output-on-failure -j "$jobs" -LE paper
