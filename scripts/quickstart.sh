#!/usr/bin/env bash
# README command (1): set up, build, and run the default experiment; writes results.h5 here.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/setup.sh"
cmake -S "$root" -B "$root/build" -DCMAKE_BUILD_TYPE=Release > /dev/null
cmake --build "$root/build" --target tiersim -j "$(nproc)"
"$root/build/sim/cli/tiersim" run "$root/configs/experiments/quickstart.yaml" -o results.h5 "$@"
