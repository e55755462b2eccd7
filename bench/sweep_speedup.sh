#!/usr/bin/env bash
# Wall-time speedup of a 200-point local sweep with -j 2 over -j 1 (issue 9 acceptance 1).
# Usage: bench/sweep_speedup.sh <tiersim binary>   — needs an otherwise idle machine.
set -euo pipefail
tiersim="$(realpath "$1")"
src="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cat > "$work/sweep.yaml" <<YAML
name: speedup
base: $src/configs/experiments/quickstart.yaml
output: $work/out
set: ["output.requests=false"]
grid:
  workloads.0.max_outstanding: [1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512, 768, 1024]
  workloads.1.max_outstanding: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512]
YAML
declare -A secs
for j in 1 2; do
  rm -rf "$work/out"
  start=$(date +%s.%N)
  "$tiersim" sweep "$work/sweep.yaml" -j "$j" -q > /dev/null
  end=$(date +%s.%N)
  secs[$j]=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }')
  rows=$(($(wc -l < "$work/out/summary.csv") - 1))
  printf -- "-j %d: %d points in %.2f s\n" "$j" "$rows" "${secs[$j]}"
done
awk -v a="${secs[1]}" -v b="${secs[2]}" 'BEGIN { printf "speedup -j 2 / -j 1: %.2fx\n", a / b }'
