#!/usr/bin/env bash
# End-to-end serving speed (issue 8, acceptance 8): InstInfer dense, OPT-13B, batch 64,
# 1024 prompt + 1024 output tokens, full length, on the paper's machine
# (configs/experiments/instinfer_opt13b_dense.yaml). Prints the wall time of the whole run
# (SystemC elaboration, 1 prefill + 1023 decode steps, HDF5 output) and the simulated bytes moved
# per (source, target, kind).
# Usage: bench/instinfer_e2e.sh [build-dir]   (default: build)
#        OUTPUT_TOKENS=N bench/instinfer_e2e.sh   (a shorter run: N output tokens, same shape)
#        VARIANT=sparf BATCH=256 OUTPUT_TOKENS=3 bench/instinfer_e2e.sh   (InstA-SparF, batch 256:
#        configs/experiments/instinfer_opt13b_sparf.yaml; SparF sampling, docs/models/csd.md)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$root/build}/sim/cli/tiersim
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
start=$(date +%s.%N)
out_tokens=${OUTPUT_TOKENS:-1024}
variant=${VARIANT:-dense}
batch=${BATCH:-64}
"$bin" run "$root/configs/experiments/instinfer_opt13b_$variant.yaml" -q -o "$tmp/r.h5" \
  --set "serving.requests.output_tokens=$out_tokens" --set "serving.scheduler.batch=$batch" \
  --set "serving.requests.count=$batch" --set "serving.policy.plan_output_tokens=1024"
end=$(date +%s.%N)
/usr/bin/python3 - "$tmp/r.h5" "$start" "$end" "$variant" "$batch" <<'PY'
import sys, h5py
f = h5py.File(sys.argv[1], "r")
s = f["summary"].attrs
wall = float(sys.argv[3]) - float(sys.argv[2])
variant, batch = sys.argv[4], int(sys.argv[5])
print(f"InstInfer {variant}, OPT-13B, batch {batch}, 1024 prompt + "
      f"{int(s['generated_tokens']) // batch} output tokens")
print(f"  wall time           {wall:8.2f} s   (tiersim run, end to end)")
print(f"  steps               {int(s['steps']):8d}")
print(f"  simulated time      {int(s['sim_time_ps']) * 1e-12:8.1f} s")
print(f"  throughput          {float(s['throughput_tok_s']):8.2f} tok/s (simulated)")
b = f["serving/bytes_moved"]
src, tgt, kind, nbytes, txns = (b[k][()] for k in ("source", "target", "kind", "bytes", "transactions"))
dec = lambda x: x.decode() if isinstance(x, bytes) else str(x)
total = 0
print("  simulated bytes moved:")
for i in range(len(nbytes)):
    total += int(nbytes[i])
    print(f"    {dec(src[i]):>8} -> {dec(tgt[i]):<8} {dec(kind[i]):<8} {int(nbytes[i]) / 1e9:12.2f} GB"
          f" in {int(txns[i]):9d} transactions")
print(f"    total {total / 1e9:.1f} GB over links and memories")
csd = dict(f["components/csd"].attrs)
pol = dict(f["components/policy"].attrs)
print(f"  inside the CSD: {int(csd['engine_bytes']) / 1e9:.1f} GB read from flash by the engine "
      f"({int(csd['engine_ops'])} attention ops), {int(csd['bytes_written']) / 1e9:.1f} GB programmed")
print(f"  policy: KV attended {int(pol['kv_attended_bytes']) / 1e9:.1f} GB, prefill KV by P2P "
      f"{int(pol['kv_p2p_write_bytes']) / 1e9:.1f} GB, decode pages flushed "
      f"{int(pol['kv_flush_bytes']) / 1e9:.1f} GB")
PY
