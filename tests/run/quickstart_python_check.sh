#!/usr/bin/env bash
# Runs the default experiment and reads results.h5 with Debian's h5py/pandas, as a user would.
# Usage: quickstart_python_check.sh <tiersim binary> <source dir>
set -euo pipefail
tiersim="$1"
src="$2"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
"$tiersim" run "$src/configs/experiments/quickstart.yaml" -o results.h5 > summary.txt
grep -q "results written to results.h5" summary.txt
test ! -e results.h5.tmp.* 2>/dev/null || { echo "temp file left behind"; exit 1; }
/usr/bin/python3 - <<'PY'
import h5py
with h5py.File("results.h5", "r") as f:
    s = f["summary"].attrs
    r = f["requests"]
    # The sample trace has 1160 records and the synthetic workload 20000 requests.
    assert s["requests"] == 21160, s["requests"]
    assert r.shape == (21160,), r.shape
    assert int(r["bytes"].sum()) == int(s["bytes_read"] + s["bytes_written"])
    assert int(r["complete_ps"].max()) == int(s["sim_time_ps"])
    assert f["config/resolved"][()].decode().startswith("name: quickstart")
print("ok")
PY
/usr/bin/python3 "$src/analysis/summary.py" results.h5 2 > table.txt
grep -q "requests: 21160 rows" table.txt
