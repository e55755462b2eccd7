#!/usr/bin/env bash
# The one command to run on an NVIDIA H100/H200 machine (docs/validation.md): builds the CUDA
# reference backend for sm_90a with nvcc alone (no other dependency), measures the validation
# suite, and writes under tests/golden/<gpu>/:
#   measurements.jsonl  the measurements (tiersim_cuda_replay's JSON Lines; never edit by hand)
#   COMMAND             the command that produced them, the commit, the date and the host
#   replay.log          the backend's progress log
#   platform.txt        read-only facts about the host link (scripts/gpu_platform.sh: link speed
#                       and width, MPS, MRRS)
# then, if a tiersim binary is available (build/sim/cli/tiersim or $TIERSIM), the report
# (report.csv) and the scatter plot (validation.png). On an H100 SXM (2026-11-23) the build took
# about 65 s and the measuring 10 s with --samples 20; the measuring step is stopped after 7.5
# minutes.
#
#   scripts/gpu_measure.sh [--only PREFIX]... [--samples N]    (arguments go to the backend)
# Environment: NVCC (default: nvcc on PATH, else /usr/local/cuda/bin/nvcc), CUDA_ARCH (default
# 90a), OUT_DIR (default tests/golden/<gpu>). Reads clocks only (nvidia-smi queries); never
# locks or changes them.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
nvcc="${NVCC:-$(command -v nvcc || echo /usr/local/cuda/bin/nvcc)}"
arch="${CUDA_ARCH:-90a}"

name="$(nvidia-smi --query-gpu=name --format=csv,noheader -i 0 | head -1)"
case "$name" in
  *H100*) gpu=h100 ;;
  *H200*) gpu=h200 ;;
  *) gpu="$(echo "$name" | tr 'A-Z ' 'a-z_' | tr -cd 'a-z0-9_')" ;;
esac
out_dir="${OUT_DIR:-$root/tests/golden/$gpu}"
mkdir -p "$out_dir" "$root/build-gpu"

echo "== building tiersim_cuda_replay for sm_$arch with $nvcc"
start=$(date +%s)
"$nvcc" -std=c++20 -O3 -arch="sm_$arch" -I"$root" -Xcompiler=-Wall,-Wextra \
  "$root"/sim/replay/cuda/*.cu "$root"/sim/replay/cuda/*.cpp "$root"/sim/validate/suite.cpp \
  -lcublas -o "$root/build-gpu/tiersim_cuda_replay"
echo "   built in $(( $(date +%s) - start )) s"

cmd="scripts/gpu_measure.sh $*"
{
  echo "command: $cmd"
  echo "backend: build-gpu/tiersim_cuda_replay -o $(realpath --relative-to="$root" "$out_dir")/measurements.jsonl $*"
  # TIERSIM_COMMIT names the commit when the checkout has no (or a stale) .git, e.g. a copy of
  # the working tree on a lent GPU machine.
  if [ -n "${TIERSIM_COMMIT:-}" ]; then
    echo "commit: $TIERSIM_COMMIT (from TIERSIM_COMMIT)"
  else
    echo "commit: $(git -C "$root" rev-parse HEAD 2>/dev/null || echo unknown)$(git -C "$root" diff --quiet 2>/dev/null || echo ' (with local changes)')"
  fi
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "host: $(hostname)"
  echo "gpu: $name"
  echo "nvcc: $("$nvcc" --version | tail -1)"
} > "$out_dir/COMMAND"

"$root/scripts/gpu_platform.sh" > "$out_dir/platform.txt" 2>&1 || true

echo "== measuring on $name -> $out_dir/measurements.jsonl"
timeout 450 "$root/build-gpu/tiersim_cuda_replay" -o "$out_dir/measurements.jsonl" \
  --command "$cmd" "$@" 2> >(tee "$out_dir/replay.log" >&2)

tiersim="${TIERSIM:-$root/build/sim/cli/tiersim}"
if [ -x "$tiersim" ]; then
  echo "== tiersim validate"
  "$tiersim" validate "$out_dir/measurements.jsonl" --summary-only -o "$out_dir/report.csv" \
    --plot "$out_dir/validation.png"
else
  echo "no tiersim binary ($tiersim); later, on a build machine:"
  echo "  build/sim/cli/tiersim validate $out_dir/measurements.jsonl -o $out_dir/report.csv --plot $out_dir/validation.png"
fi
