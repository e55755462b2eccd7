#!/usr/bin/env python3
"""CXL Type-3 expander vs local DDR5 on the same host (configs/systems/cxl_host.yaml).

Prints (1) the idle-latency pointer chase (dependent 64 B loads: one in flight, random lines over
8 GiB) and the streaming read bandwidth (64 B lines, 512 in flight) of local DDR5 and of the CXL
memory, with their ratios against the CXL-DMSim silicon measurement of an ASIC expander
(2.18x latency, 82-83% bandwidth); (2) a read/write-mix sweep: bandwidth vs read share for the
CXL memory, for local DDR5, and for the CXL link in front of an ideal 38.4 GB/s memory
(`cxl_ideal`, isolating the flit link's full-duplex effect), next to the link-only bound derived
from the flit/slot counts. Each point is one `tiersim run`.

Usage: bench/cxl_characterize.py <tiersim binary> [source dir]   (Debian's /usr/bin/python3)
"""
import os
import subprocess
import sys
import tempfile

import h5py

RAW = 32e9 * 8 * 128 / 130 / 8  # PCIe 5.0 x8 per direction after 128b/130b, B/s
SLOT = 17 * 371 / 370            # wire bytes per 16 B slot: 68 B flit / 4 slots, x SKP


def run(tiersim, system, workload, workdir):
    out = os.path.join(workdir, "p.h5")
    args = [tiersim, "run", system, "-q", "--no-progress", "-o", out,
            "--set", "workloads=[" + workload + "]"]
    subprocess.run(args, check=True)
    with h5py.File(out, "r") as f:
        return dict(f["summary"].attrs)


def chase(tiersim, system, target, workdir):
    s = run(tiersim, system,
            "{type: synthetic, name: chase, source: cpu, target: %s, pattern: random, "
            "requests: 4000, size: 64 B, footprint: 8 GiB, max_outstanding: 1}" % target, workdir)
    return s["latency_mean_ps"] * 1e-3


def stream(tiersim, system, target, read_fraction, workdir, requests=100000):
    s = run(tiersim, system,
            "{type: synthetic, name: stream, source: cpu, target: %s, pattern: sequential, "
            "requests: %d, size: 64 B, footprint: 1 GiB, read_fraction: %s, max_outstanding: 512}"
            % (target, requests, read_fraction), workdir)
    return s["bandwidth_GBps"]


def link_bound(r):
    """Link-only bandwidth (GB/s) of a mix with read share r: the busier direction decides.
    Per line, M2S: r x 1 (Req) + (1-r) x 5 (RwD header + 4 data) slots; S2M: r x 13/3
    (4 data + 1/3 DRS) + (1-r) x 1/2 (NDR) slots."""
    m2s = r * 1 + (1 - r) * 5
    s2m = r * 13 / 3 + (1 - r) * 0.5
    return 64 * RAW / (max(m2s, s2m) * SLOT) * 1e-9


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    tiersim = sys.argv[1]
    src = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), "..")
    system = os.path.join(src, "configs/systems/cxl_host.yaml")
    with tempfile.TemporaryDirectory() as workdir:
        lat_ddr = chase(tiersim, system, "ddr", workdir)
        lat_cxl = chase(tiersim, system, "cxl_mem", workdir)
        bw_ddr = stream(tiersim, system, "ddr", "1.0", workdir)
        bw_cxl = stream(tiersim, system, "cxl_mem", "1.0", workdir)
        print("CXL ASIC expander (CXL 2.0, PCIe 5.0 x8, 68 B flits, 1 x DDR5-4800) vs local DDR5")
        print(f"{'':28}{'local DDR5':>12}{'CXL':>10}{'ratio':>8}{'measured':>10}{'error':>8}")
        lr, br = lat_cxl / lat_ddr, bw_cxl / bw_ddr
        print(f"{'idle latency (ns)':28}{lat_ddr:12.1f}{lat_cxl:10.1f}{lr:8.2f}{2.18:10.2f}"
              f"{100 * (lr / 2.18 - 1):+7.1f}%")
        print(f"{'stream read bw (GB/s)':28}{bw_ddr:12.2f}{bw_cxl:10.2f}{br:8.3f}{0.82:10.2f}"
              f"{100 * (br / 0.82 - 1):+7.1f}%")
        print()
        print("Read/write mix: bandwidth (GB/s) vs read share, 64 B lines, 512 in flight")
        print(f"{'reads':>6}{'CXL mem':>10}{'local DDR5':>12}{'CXL+ideal':>11}{'link bound':>12}")
        for r in (1.0, 0.9, 0.8, 0.74, 0.7, 2 / 3, 0.6, 0.5, 0.4, 0.3, 0.2, 0.0):
            rf = f"{r:.4f}"
            print(f"{100 * r:5.0f}%{stream(tiersim, system, 'cxl_mem', rf, workdir, 60000):10.2f}"
                  f"{stream(tiersim, system, 'ddr', rf, workdir, 60000):12.2f}"
                  f"{stream(tiersim, system, 'cxl_ideal', rf, workdir, 60000):11.2f}"
                  f"{link_bound(r):12.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
