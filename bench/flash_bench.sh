#!/usr/bin/env bash
# Flash SSD / CSD figures through the CLI (the fabric's PCIe link model), issue 5:
# 980 PRO 128 KiB sequential read at QD32, 4 KiB random read IOPS vs QD, QD1 latency, and the
# InstInfer-like CSD's host-side sequential read. Model-only figures (latency breakdown, GC
# write amplification, CSD engine): build/bench/tiersim_flash_bench.
# Usage: bench/flash_bench.sh [build-dir]   (default: build)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$root/build}/sim/cli/tiersim
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# run SYSTEM TARGET PATTERN SIZE REQUESTS QD [--set ...] -> prints "GB/s IOPS mean latency"
run() {
  "$bin" run "$root/configs/systems/$1" --no-progress -o "$tmp/r.h5" --set 'kernel.quantum=0 ns' "${@:7}" \
    --set "workloads=[{type: synthetic, name: w, source: host, target: $2, pattern: $3, requests: $5, size: $4 B, footprint: 1000000000000 B, read_fraction: 1.0, max_outstanding: $6}]" >"$tmp/out"
  /usr/bin/python3 - "$tmp/r.h5" "$4" "$5" <<'PY'
import sys, h5py
f = h5py.File(sys.argv[1], "r")
t = int(f["summary"].attrs["sim_time_ps"]) * 1e-12
size, n = int(sys.argv[2]), int(sys.argv[3])
r = f["requests"][:]
lat = ((r["complete_ps"] - r["issue_ps"]).mean()) * 1e-6
print(f"{n * size / t / 1e9:8.3f} GB/s {n / t / 1e3:9.1f}K IOPS  mean latency {lat:8.2f} us")
PY
}

echo "== 980 PRO 2 TB (configs/systems/ssd_980pro_host.yaml), PCIe 4.0 x4, 128 B completions"
echo -n "128 KiB seq read QD32  : "; run ssd_980pro_host.yaml ssd sequential 131072 20000 32
for qd in 1 32 128 512 1024; do
  n=100000; [ "$qd" = 1 ] && n=5000
  printf '4 KiB rand read QD%-5s: ' "$qd"; run ssd_980pro_host.yaml ssd random 4096 "$n" "$qd"
done
echo "== the same drive, fidelity: detailed (per flash command)"
det=(--set 'system.components.ssd.fidelity=detailed')
echo -n "128 KiB seq read QD32  : "; run ssd_980pro_host.yaml ssd sequential 131072 20000 32 "${det[@]}"
printf '4 KiB rand read QD%-5s: ' 1; run ssd_980pro_host.yaml ssd random 4096 5000 1 "${det[@]}"
printf '4 KiB rand read QD%-5s: ' 1024; run ssd_980pro_host.yaml ssd random 4096 100000 1024 "${det[@]}"
echo "== InstInfer-like CSD (configs/systems/csd_instinfer_host.yaml)"
echo -n "host 128 KiB seq QD32  : "; run csd_instinfer_host.yaml csd sequential 131072 20000 32
