#!/usr/bin/env python3
"""Scatter of the simulator's predictions against GPU measurements (a `tiersim validate` report).

Log-log axes, one colour per kind of point, calibration points hollow and held-out points filled,
the y = x line and a +-10% band. Optionally writes the per-point table as Markdown (for
docs/validation.md).

Usage: analysis/plot_validation.py report.csv [-o scatter.png] [--title TEXT] [--markdown table.md]
(report.csv from `tiersim validate measurements.jsonl -o report.csv`; Debian's /usr/bin/python3)
"""
import argparse
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

KINDS = ["copy", "hbm_stream", "pointer_chase", "l2_sweep", "kv_gather", "decode_attention",
         "gemv", "gemm", "layer"]


def seconds_text(s):
    if s >= 1e-3:
        return f"{s * 1e3:.3f} ms"
    if s >= 1e-6:
        return f"{s * 1e6:.3f} us"
    return f"{s * 1e9:.1f} ns"


def plot(d, out, title):
    fig, ax = plt.subplots(figsize=(7, 6.5))
    lo = min(d["measured_s"].min(), d["predicted_s"].min()) / 2
    hi = max(d["measured_s"].max(), d["predicted_s"].max()) * 2
    xs = [lo, hi]
    ax.fill_between(xs, [x * 0.9 for x in xs], [x * 1.1 for x in xs], color="0.85", label="±10%")
    ax.plot(xs, xs, color="0.3", linewidth=0.8)
    cmap = plt.get_cmap("tab10")
    for i, kind in enumerate(KINDS):
        k = d[d["kind"] == kind]
        if k.empty:
            continue
        for subset, filled in (("held_out", True), ("calibration", False)):
            s = k[k["set"] == subset]
            if s.empty:
                continue
            ax.scatter(s["measured_s"], s["predicted_s"], s=22, marker="o",
                       facecolors=cmap(i) if filled else "none", edgecolors=cmap(i),
                       label=f"{kind}" + ("" if filled else " (calibration)"))
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(lo, hi)
    ax.set_ylim(lo, hi)
    ax.set_xlabel("measured time per operation (s)")
    ax.set_ylabel("simulated time per operation (s)")
    ax.set_title(title or "tiersim validate")
    ax.grid(True, which="major", linewidth=0.3)
    ax.legend(fontsize=7, loc="upper left")
    fig.tight_layout()
    fig.savefig(out, dpi=130)


def markdown(d):
    rows = ["| point | set | measured | simulated | error |", "|---|---|---:|---:|---:|"]
    for _, r in d.iterrows():
        rows.append(f"| `{r['id']}` | {r['set']} | {seconds_text(r['measured_s'])} | "
                    f"{seconds_text(r['predicted_s'])} | {100 * r['error']:+.1f}% |")
    return "\n".join(rows) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("csv")
    ap.add_argument("-o", "--output", default="validation.png")
    ap.add_argument("--title", default="")
    ap.add_argument("--markdown", default="")
    a = ap.parse_args()
    d = pd.read_csv(a.csv)
    need = {"id", "kind", "set", "measured_s", "predicted_s", "error"}
    if not need.issubset(d.columns):
        sys.exit(f"{a.csv}: not a tiersim validate report (columns {sorted(need)})")
    if d.empty:
        sys.exit(f"{a.csv}: no points")
    plot(d, a.output, a.title)
    if a.markdown:
        with open(a.markdown, "w") as f:
            f.write(markdown(d))


if __name__ == "__main__":
    main()
