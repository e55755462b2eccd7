#!/usr/bin/env python3
"""Bandwidth vs transfer size over PCIe: H2D pinned, H2D pageable, D2H pinned, Gen4 and Gen5 x16.

Each point is one `tiersim run` (SystemC elaborates once per process) of a copy issued by a GPU
copy engine: the copy is split into 2 MiB chunks with 2 in flight (the engine's pipeline) and
starts after a 2 us per-copy setup. T(V) is the copy's completion time; the script fits
T = a + V / b by least squares over the sizes >= 1 MiB and prints both.

Usage: bench/pcie_bandwidth.py <tiersim binary> [source dir]   (Debian's /usr/bin/python3)
"""
import os
import subprocess
import sys
import tempfile

import h5py

KIB = 1024
SIZES = [4 * KIB * 4**i for i in range(0, 9)] + [1024 * KIB * KIB]  # 4 KiB .. 256 MiB, 1 GiB
CHUNK = 2 * KIB * KIB

# Gen4 desktop link (the platform of the published RTX 4090 measurement): docs/models/links.md.
GEN4 = []
for i in (2, 3):  # gpu_pcie, sw_up in configs/systems/pcie_host_gpu.yaml
    GEN4 += [f"system.links.{i}.generation=4", f"system.links.{i}.max_payload_size=128 B",
             f"system.links.{i}.read_completion_size=128 B"]

MODES = {
    "H2D pinned": ("host_mem", "1.0"),
    "H2D pageable": ("pageable", "1.0"),
    "D2H pinned": ("host_mem", "0.0"),
}


def run_point(tiersim, system, size, target, read_fraction, extra, workdir):
    chunk = min(size, CHUNK)
    out = os.path.join(workdir, "p.h5")
    args = [tiersim, "run", system, "-q", "--no-progress", "-o", out,
            "--set", "kernel.quantum=0 ns",
            "--set", ("workloads=[{type: synthetic, name: copy, source: gpu, target: %s, "
                      "pattern: sequential, requests: %d, size: %d B, footprint: %d B, "
                      "read_fraction: %s, max_outstanding: 2, start: 2 us}]"
                      % (target, size // chunk, chunk, size, read_fraction))]
    for s in extra:
        args += ["--set", s]
    subprocess.run(args, check=True)
    with h5py.File(out, "r") as f:
        return int(f["summary"].attrs["sim_time_ps"]) * 1e-12  # seconds, from t = 0


def fit(points):
    # least squares of T = a + V / b over the given (V, T)
    n = len(points)
    sx = sum(v for v, _ in points)
    sy = sum(t for _, t in points)
    sxx = sum(v * v for v, _ in points)
    sxy = sum(v * t for v, t in points)
    slope = (n * sxy - sx * sy) / (n * sxx - sx * sx)
    a = (sy - slope * sx) / n
    return a, 1.0 / slope


def main():
    tiersim = sys.argv[1]
    src = sys.argv[2] if len(sys.argv) > 2 else os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    system = os.path.join(src, "configs/systems/pcie_host_gpu.yaml")
    with tempfile.TemporaryDirectory() as work:
        for gen, extra in (("Gen5 x16 (server)", []), ("Gen4 x16 (desktop)", GEN4)):
            print(f"\n{gen}: achieved bandwidth (GB/s) by transfer size")
            print(f"{'size':>10} " + " ".join(f"{m:>14}" for m in MODES))
            results = {m: [] for m in MODES}
            for size in SIZES:
                row = []
                for m, (target, rf) in MODES.items():
                    t = run_point(tiersim, system, size, target, rf, extra, work)
                    results[m].append((size, t))
                    row.append(size / t / 1e9)
                label = f"{size // KIB} KiB" if size < KIB * KIB else f"{size // (KIB * KIB)} MiB"
                print(f"{label:>10} " + " ".join(f"{x:14.2f}" for x in row))
            print("fit T = a + V/b over sizes >= 1 MiB:")
            for m in MODES:
                a, b = fit([(v, t) for v, t in results[m] if v >= KIB * KIB])
                at256 = dict(results[m])[256 * KIB * KIB]
                print(f"  {m:<14} a = {a * 1e6:7.2f} us   b = {b / 1e9:6.2f} GB/s   "
                      f"256 MiB: {256 * KIB * KIB / at256 / 1e9:6.2f} GB/s")


if __name__ == "__main__":
    main()
