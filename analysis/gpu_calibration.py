#!/usr/bin/env python3
"""Derive the calibrated GPU-model parameters from the calibration points of a validation run.

Usage:
  build/sim/cli/tiersim validate tests/golden/h100/measurements.jsonl -o /tmp/report.csv
  analysis/gpu_calibration.py /tmp/report.csv [--gpu configs/gpu/h100_sxm.yaml]
      [--l2 configs/sram/h100_l2.yaml]

The report holds, per point, the measured time and the time the simulator predicts with the
presets as they are. Each calibration point (set == "calibration", sim/validate/suite.h) sets one
parameter; held-out points are never read. Every relation below is the model's own, solved for the
parameter (docs/validation.md, "Calibration"); rerun after changing the presets until the printed
values stop moving (one round is exact for all but the L2 bandwidth, whose pass time also carries
latency).
  tensor_efficiency  gemm/8192x8192x8192        (t - launch) is proportional to 1 / efficiency
  hbm_efficiency, memory_ramp  hbm/read/64MiB/occ100 and hbm/read/1GiB/occ100: each
                     t = launch + bytes / (hbm_bandwidth x efficiency) + ramp (both stream for
                     longer than the ramp), two equations in two unknowns
  partition_bandwidth l2/16MB                   (t - launch) taken as proportional to 1 / bandwidth
  near_hit_cycles    chase/seq/stride4KiB/4KiB  per load = near hit + launch / loads
  far_hit_cycles     chase/random/stride4KiB/64MiB  per load = (1 - f) near + f far + launch / loads,
                     f (the share of far-partition loads) read off the current prediction
  backing_latency_cycles chase/random/stride4KiB/4GiB  per load = the same hit mix + backing
  staging bandwidth  copy/{d2h,h2d}/pageable/256MiB  t proportional to 1 / bandwidth, one rate per
                     direction (bandwidth: D2H, reverse_bandwidth: H2D)
  read completion    copy/h2d/pinned/256MiB     printed as the measured rate, to compare with the
                     PCIe model's rate at 64 / 128 / 256 B completions (a discrete choice)
Prints one line per parameter: the new value, the current value and the point it comes from.
"""
import argparse
import csv
import re
import sys

LOADS = 2048  # suite.cpp: every pointer chase times 2048 dependent loads


def preset_value(path, key):
    with open(path) as f:
        for line in f:
            m = re.match(rf"^{key}:\s*([0-9.]+)\s*([A-Za-z/]*)", line)
            if m:
                return float(m.group(1)), m.group(2)
    sys.exit(f"{path}: no '{key}'")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("report")
    ap.add_argument("--gpu", default="configs/gpu/h100_sxm.yaml")
    ap.add_argument("--l2", default="configs/sram/h100_l2.yaml")
    a = ap.parse_args()
    rows = {}
    with open(a.report) as f:
        for r in csv.DictReader(f):
            if r["set"] == "calibration":
                rows[r["id"]] = (float(r["measured_s"]), float(r["predicted_s"]))

    def point(pid):
        if pid not in rows:
            sys.exit(f"{a.report}: calibration point {pid} missing")
        return rows[pid]

    launch = preset_value(a.gpu, "launch_graph")[0] * 1e-6  # validate times kernels as in a graph
    clock_hz = preset_value(a.l2, "clock")[0] * 1e9
    out = []

    def scaled(pid, key, path, unit_note=""):
        m, p = point(pid)
        old, unit = preset_value(path, key)
        new = old * (p - launch) / (m - launch)
        out.append((key, f"{new:.4g}{(' ' + unit) if unit else ''}", f"{old:g}{(' ' + unit) if unit else ''}",
                    pid, f"measured {m * 1e6:.3f} us, predicted {p * 1e6:.3f} us{unit_note}"))

    scaled("gemm/8192x8192x8192", "tensor_efficiency", a.gpu)
    m64, _ = point("hbm/read/64MiB/occ100")
    m1g, _ = point("hbm/read/1GiB/occ100")
    s64, s1g = 64 * 2**20, 2**30
    bw = (s1g - s64) / (m1g - m64)
    ramp = m64 - launch - s64 / bw
    peak, unit = preset_value(a.gpu, "hbm_bandwidth")
    scale = {"TB/s": 1e12, "GB/s": 1e9}[unit]
    out.append(("hbm_efficiency", f"{bw / (peak * scale):.4f}", f"{preset_value(a.gpu, 'hbm_efficiency')[0]:g}",
                "hbm/read/{64MiB,1GiB}/occ100", f"measured {m64 * 1e6:.3f} us and {m1g * 1e6:.3f} us: "
                f"{bw / 1e12:.4f} TB/s"))
    try:
        ramp_old = f"{preset_value(a.gpu, 'memory_ramp')[0]:g} us"
    except SystemExit:
        ramp_old = "0 us"
    out.append(("memory_ramp", f"{ramp * 1e6:.2f} us", ramp_old, "hbm/read/{64MiB,1GiB}/occ100",
                f"(64 MiB streams {s64 / bw * 1e6:.1f} us > ramp)"))
    scaled("l2/16MB", "partition_bandwidth", a.l2)

    per_load = lambda t: (t - launch / LOADS) * clock_hz  # cycles of one dependent load
    near_old = preset_value(a.l2, "near_hit_cycles")[0]
    far_old = preset_value(a.l2, "far_hit_cycles")[0] or near_old
    back_old = preset_value(a.l2, "backing_latency_cycles")[0]
    m, p = point("chase/seq/stride4KiB/4KiB")
    near = per_load(m)
    out.append(("near_hit_cycles", f"{near:.0f}", f"{near_old:g}", "chase/seq/stride4KiB/4KiB",
                f"measured {m * 1e9:.1f} ns per load"))
    m, p = point("chase/random/stride4KiB/64MiB")
    f_far = (per_load(p) - near_old) / (far_old - near_old) if far_old != near_old else 0.5
    far = (per_load(m) - (1 - f_far) * near) / f_far
    out.append(("far_hit_cycles", f"{far:.0f}", f"{far_old:g}", "chase/random/stride4KiB/64MiB",
                f"measured {m * 1e9:.1f} ns per load, far share {f_far:.3f}"))
    m, p = point("chase/random/stride4KiB/4GiB")
    hit_mix = (1 - f_far) * near + f_far * far
    back = per_load(m) - hit_mix
    out.append(("backing_latency_cycles", f"{back:.0f}", f"{back_old:g}",
                "chase/random/stride4KiB/4GiB", f"measured {m * 1e9:.1f} ns per load"))

    rates = []
    for d in ("h2d", "d2h"):
        m, p = point(f"copy/{d}/pageable/256MiB")
        rates.append((d, 256 * 2**20 / m / 1e9, m, p))
    for d, gbps, m, _ in rates:
        key = "staging reverse_bandwidth (h2d)" if d == "h2d" else "staging bandwidth (d2h)"
        out.append((key, f"{gbps:.2f} GB/s", "", f"copy/{d}/pageable/256MiB",
                    f"measured {m * 1e3:.3f} ms"))
    m, p = point("copy/h2d/pinned/256MiB")
    out.append(("read completion", "see note", "", "copy/h2d/pinned/256MiB",
                f"measured {256 * 2**20 / m / 1e9:.2f} GB/s, predicted {256 * 2**20 / p / 1e9:.2f} GB/s"))

    w = max(len(o[0]) for o in out)
    print(f"{'parameter':<{w}}  {'calibrated':>22}  {'current':>12}  from")
    for key, new, old, pid, note in out:
        print(f"{key:<{w}}  {new:>22}  {old:>12}  {pid}: {note}")


if __name__ == "__main__":
    main()
