#!/usr/bin/env bash
# README command (1): set up, build, run the default experiment (HBM3 device replay; writes
# results.h5 here), then the headline policy comparison (InstInfer vs FlexGen vs DeepSpeed on
# OPT-13B over a batch sweep; prints the table, results under results/headline/).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/setup.sh"
cmake -S "$root" -B "$root/build" -DCMAKE_BUILD_TYPE=Release > /dev/null
cmake --build "$root/build" --target tiersim -j "$(nproc)"
"$root/build/sim/cli/tiersim" run "$root/configs/experiments/quickstart.yaml" -o results.h5 "$@"
echo
/usr/bin/python3 "$root/analysis/headline.py" --tiersim "$root/build/sim/cli/tiersim" \
  --out results/headline
