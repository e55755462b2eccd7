#!/usr/bin/env python3
"""Plot a sweep's merged table: a metric against one parameter, one line per value of another.

Usage: analysis/plot_sweep.py summary.csv METRIC X_PARAM [LINE_PARAM] [out.png]
e.g.   analysis/plot_sweep.py sweep_results/q/summary.csv bandwidth_GBps \\
           workloads.0.max_outstanding system.components.hbm.latency q.png
Numbers with units ("100 ns") are ordered by their number. Debian's /usr/bin/python3.
"""
import re
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402


def number(v):
    m = re.match(r"\s*([-+0-9.eE]+)", str(v))
    return float(m.group(1)) if m else float("nan")


def main():
    csv, metric, x = sys.argv[1], sys.argv[2], sys.argv[3]
    line = sys.argv[4] if len(sys.argv) > 4 and not sys.argv[4].endswith(".png") else None
    out = sys.argv[-1] if sys.argv[-1].endswith(".png") else "sweep.png"
    d = pd.read_csv(csv)
    d = d[d["status"] == "ok"].copy()
    d["_x"] = d[x].map(number)
    fig, ax = plt.subplots(figsize=(7, 4.5))
    groups = [(None, d)] if line is None else sorted(d.groupby(line), key=lambda g: number(g[0]))
    for key, g in groups:
        g = g.sort_values("_x")
        ax.plot(g["_x"], g[metric], marker="o", label=None if key is None else f"{line} = {key}")
    ax.set_xlabel(x)
    ax.set_ylabel(metric)
    if d["_x"].min() > 0 and d["_x"].max() / d["_x"].min() > 50:
        ax.set_xscale("log", base=2)
    if line is not None:
        ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    ax.set_title(f"{metric} vs {x}")
    fig.tight_layout()
    fig.savefig(out, dpi=120)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
