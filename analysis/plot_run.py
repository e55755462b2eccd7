#!/usr/bin/env python3
"""Plots for one tiersim run: bandwidth over time per device, and latency CDFs per workload.

Usage: analysis/plot_run.py results.h5 [output_dir]     (Debian's /usr/bin/python3)
Writes <output_dir>/bandwidth.png and <output_dir>/latency_cdf.png (default: next to the file).
"""
import os
import sys

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def bandwidth(f, out):
    fig, ax = plt.subplots(figsize=(9, 4.5))
    drawn = 0
    for group_name, group in f["components"].items():
        if "series" not in group:
            continue
        total = None
        window_ps = None
        for name, ds in group["series"].items():
            if ds.attrs.get("unit") not in ("B", b"B"):
                continue
            values = ds[:]
            window_ps = int(ds.attrs["window_ps"])
            if total is None:
                total = np.zeros(len(values))
            if len(values) > len(total):
                total = np.pad(total, (0, len(values) - len(total)))
            total[: len(values)] += values
        if total is None or not total.any():
            continue
        t_us = np.arange(len(total)) * window_ps * 1e-6
        ax.plot(t_us, total / (window_ps * 1e-12) / 1e9, label=group_name, linewidth=1)
        drawn += 1
    ax.set_xlabel("simulated time (us)")
    ax.set_ylabel("bandwidth (GB/s)")
    ax.set_title("Bandwidth per device (bytes moved per window)")
    if drawn:
        ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(os.path.join(out, "bandwidth.png"), dpi=120)
    plt.close(fig)


def latency_cdf(f, out):
    fig, ax = plt.subplots(figsize=(7, 4.5))
    if "requests" in f and f["requests"].shape[0] > 0:
        r = f["requests"][:]
        lat_ns = (r["complete_ps"] - r["issue_ps"]) / 1000.0
        workload = r["id"] >> 48
        for w in np.unique(workload):
            x = np.sort(lat_ns[workload == w])
            ax.plot(x, np.arange(1, len(x) + 1) / len(x), label=f"workload {w}")
        ax.set_xscale("log")
        ax.legend(fontsize=8)
    ax.set_xlabel("latency, issue to completion (ns)")
    ax.set_ylabel("fraction of requests")
    ax.set_title("Request latency CDF")
    ax.grid(alpha=0.3, which="both")
    fig.tight_layout()
    fig.savefig(os.path.join(out, "latency_cdf.png"), dpi=120)
    plt.close(fig)


def main():
    path = sys.argv[1]
    out = sys.argv[2] if len(sys.argv) > 2 else os.path.dirname(os.path.abspath(path))
    os.makedirs(out, exist_ok=True)
    with h5py.File(path, "r") as f:
        bandwidth(f, out)
        latency_cdf(f, out)
    print(f"wrote {out}/bandwidth.png and {out}/latency_cdf.png")


if __name__ == "__main__":
    main()
