#!/usr/bin/env bash
# Timelines and plots as a user gets them: a run with --timeline validated against the Chrome
# trace event format, and the run and sweep plots written as non-empty PNG files.
# Usage: analysis_check.sh <tiersim binary> <source dir>
set -euo pipefail
tiersim="$1"
src="$2"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
py=/usr/bin/python3

"$tiersim" run "$src/configs/experiments/quickstart.yaml" -q --no-progress -o run.h5 \
  --timeline timeline.json
"$py" "$src/analysis/check_timeline.py" timeline.json 21160

cat > sweep.yaml <<YAML
name: plots
base: $src/configs/experiments/quickstart.yaml
output: $work/sweep
set: ["output.requests=false"]
grid:
  workloads.0.max_outstanding: [1, 4, 16]
  system.components.hbm.fidelity: [fast]
YAML
"$tiersim" sweep sweep.yaml -j 2 -q > /dev/null
"$py" "$src/analysis/plot_sweep.py" sweep/summary.csv bandwidth_GBps \
  workloads.0.max_outstanding sweep.png > /dev/null
"$py" "$src/analysis/plot_run.py" run.h5 plots > /dev/null
for png in sweep.png plots/bandwidth.png plots/latency_cdf.png; do
  size=$(stat -c %s "$png")
  [ "$size" -gt 10000 ] || { echo "$png is only $size bytes"; exit 1; }
  head -c 8 "$png" | od -An -tx1 | grep -q "89 50 4e 47" || { echo "$png is not a PNG"; exit 1; }
done
echo "ok"
