#!/usr/bin/env python3
"""Duplex (Yun et al., MICRO 2024, arXiv 2409.01141) reproduction: simulated vs published.

Runs the Duplex experiments (configs/experiments/duplex_*.yaml) with `tiersim run`, then prints
and plots, next to ../shared/targets/duplex.yaml:
  D3   Duplex (no co-processing) vs GPU, best batch, Mixtral (4096, 4096)      published 2.51x
  D5   Duplex + PE + ET vs GPU, best batch                                     published 2.67x
  D10  Bank-PIM vs GPU, batch 32, (4096, 4096)                                 published 2.17x
  D1   GPU compute utilization in decode-only stages: MoE < 11 %, attention ~2 %
Throughput is generated tokens / busy time (summary throughput_tok_s). Ratios are within 25 %
to pass (the issue's tolerance).

Usage (Debian's /usr/bin/python3, from the repository root):
  analysis/reproduce_duplex.py build/sim/cli/tiersim [--out DIR] [--batches 32,64,128]
                               [--output-tokens N] [--jobs J] [--check]
--model runs another model preset: the CI form uses Mixtral with 4 of its 32 identical layers
(tests/policies/duplex_ci_mixtral_4_layers.yaml), which leaves the ratios unchanged
(docs/validation.md (Duplex)). --output-tokens shortens Lout, which DOES change the ratios (the
prefill share grows): it is for exploration only.
--check exits 1 when a ratio misses its tolerance or D1 is not reproduced.
"""
import argparse
import concurrent.futures
import os
import subprocess
import sys

import h5py

XPU_PEAK = 989.4e12  # Duplex xPU FP16 peak (duplex_h100_5stack.yaml, H100 SXM datasheet)
TOLERANCE = 0.25
PUBLISHED = {"D3": 2.51, "D5": 2.67, "D10": 2.17}
EXPERIMENTS = {
    "gpu": "configs/experiments/duplex_gpu.yaml",
    "duplex": "configs/experiments/duplex_logic_pim.yaml",
    "duplex_pe_et": "configs/experiments/duplex_pe_et.yaml",
    "bank_pim": "configs/experiments/duplex_bank_pim.yaml",
}


def run_one(tiersim, name, batch, out_dir, lin, lout, model):
    path = os.path.join(out_dir, f"{name}_b{batch}_{lin}_{lout}.h5")
    cmd = [
        tiersim, "run", EXPERIMENTS[name], "-q", "--no-progress", "-o", path,
        "--set", f"serving.scheduler.batch={batch}",
        "--set", f"serving.requests.count={batch}",
        "--set", f"serving.requests.prompt_tokens=\"{lin}\"",
        "--set", f"serving.requests.output_tokens=\"{lout}\"",
        "--set", "output.requests=false",
    ]
    if model:
        cmd += ["--set", f"serving.model={os.path.abspath(model)}"]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr}")
    with h5py.File(path, "r") as f:
        s = dict(f["summary"].attrs)
        p = dict(f["components/policy"].attrs) if "components/policy" in f else {}
    return name, batch, s, p


def utilization(p, kind):
    busy = float(p.get(f"xpu_{kind}_busy_ps", 0)) * 1e-12
    flops = float(p.get(f"xpu_{kind}_flops", 0))
    return flops / busy / XPU_PEAK if busy > 0 else float("nan")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("tiersim")
    ap.add_argument("--out", default="duplex_results")
    ap.add_argument("--batches", default="32,64,128")
    ap.add_argument("--d1-batches", default="",
                    help="extra batches run on the GPU baseline only, for D1 (CI: 128)")
    ap.add_argument("--input-tokens", type=int, default=4096)
    ap.add_argument("--output-tokens", type=int, default=4096)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--model", default="",
                    help="model preset instead of Mixtral-8x7B (CI: the 8-layer form)")
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--no-plot", action="store_true")
    ap.add_argument("--known-miss", default="",
                    help="comma-separated targets reported as known misses, not failed by --check "
                         "(documented in docs/validation.md (Duplex))")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    batches = [int(b) for b in a.batches.split(",")]
    jobs = [(n, b) for b in batches for n in ("gpu", "duplex", "duplex_pe_et")]
    if 32 in batches:
        jobs.append(("bank_pim", 32))
    d1_only = [int(b) for b in a.d1_batches.split(",") if b and int(b) not in batches]
    jobs += [("gpu", b) for b in d1_only]
    results = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=a.jobs) as ex:
        futs = [ex.submit(run_one, a.tiersim, n, b, a.out, a.input_tokens, a.output_tokens,
                          a.model) for n, b in jobs]
        for fut in futs:
            n, b, s, p = fut.result()
            results[(n, b)] = (s, p)

    def tput(n, b):
        s = results[(n, b)][0]
        return float(s["throughput_tok_s"]) if int(s.get("oom", 0)) == 0 else float("nan")

    print(f"Duplex reproduction: Mixtral-8x7B on 4 devices, (Lin, Lout) = "
          f"({a.input_tokens}, {a.output_tokens})")
    print(f"{'batch':>6} {'GPU tok/s':>11} {'Duplex':>9} {'D+PE+ET':>9} {'Bank-PIM':>9}"
          f" {'MoE util':>9} {'attn util':>9}")
    ratios = {"D3": {}, "D5": {}}
    d1 = {}
    for b in d1_only:
        p = results[("gpu", b)][1]
        d1[b] = (utilization(p, "moe"), utilization(p, "attention"))
        print(f"{b:>6} {tput('gpu', b):11.1f} {'(GPU only, for D1)':>30}"
              f" {100 * d1[b][0]:8.1f}% {100 * d1[b][1]:8.2f}%")
    for b in batches:
        g = tput("gpu", b)
        ratios["D3"][b] = tput("duplex", b) / g
        ratios["D5"][b] = tput("duplex_pe_et", b) / g
        bp = f"{tput('bank_pim', b) / g:9.2f}x" if ("bank_pim", b) in results else f"{'':>10}"
        p = results[("gpu", b)][1]
        d1[b] = (utilization(p, "moe"), utilization(p, "attention"))
        print(f"{b:>6} {g:11.1f} {ratios['D3'][b]:8.2f}x {ratios['D5'][b]:8.2f}x {bp}"
              f" {100 * d1[b][0]:8.1f}% {100 * d1[b][1]:8.2f}%")
    sim = {
        "D3": max(ratios["D3"].values()),
        "D5": max(ratios["D5"].values()),
    }
    if ("bank_pim", 32) in results:
        sim["D10"] = tput("bank_pim", 32) / tput("gpu", 32)
    print()
    print(f"{'target':<6} {'published':>10} {'simulated':>10} {'error':>8}  status")
    ok = True
    known = {t for t in a.known_miss.split(",") if t}
    for t, pub in PUBLISHED.items():
        if t not in sim:
            continue
        err = sim[t] / pub - 1
        good = abs(err) <= TOLERANCE
        status = "ok" if good else ("MISS (known, documented)" if t in known else "MISS")
        ok = ok and (good or t in known)
        print(f"{t:<6} {pub:9.2f}x {sim[t]:9.2f}x {100 * err:+7.1f}%  {status}")
    moe_max = max(v[0] for v in d1.values())
    attn = [v[1] for v in d1.values()]
    d1_ok = moe_max < 0.11 and all(0.01 <= x <= 0.03 for x in attn)
    ok = ok and d1_ok
    print(f"D1     MoE < 11%, attn ~2%   MoE max {100 * moe_max:.1f}%, attention "
          f"{', '.join(f'{100 * x:.2f}%' for x in attn)}  {'ok' if d1_ok else 'MISS'}")

    if not a.no_plot:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(6, 3.5))
        names = list(sim.keys())
        x = range(len(names))
        ax.bar([i - 0.2 for i in x], [PUBLISHED[n] for n in names], 0.4, label="published")
        ax.bar([i + 0.2 for i in x], [sim[n] for n in names], 0.4, label="simulated")
        ax.set_xticks(list(x))
        ax.set_xticklabels(names)
        ax.set_ylabel("throughput vs GPU")
        ax.set_title("Duplex (MICRO 2024): simulated vs published")
        ax.legend()
        fig.tight_layout()
        png = os.path.join(a.out, "duplex_vs_published.png")
        fig.savefig(png, dpi=120)
        print(f"plot: {png}")
    return 0 if (ok or not a.check) else 1


if __name__ == "__main__":
    sys.exit(main())
