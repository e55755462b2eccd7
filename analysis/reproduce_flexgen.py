#!/usr/bin/python3
"""Reproduce FlexGen (Sheng et al., ICML 2023, arXiv 2303.06865) Table 2 rows on the paper's T4.

Runs configs/experiments/flexgen_t4_opt6.7b.yaml (prompt 512 bs 2; prompt 1024 1x1) and
flexgen_t4_opt175b.yaml (prompt 512, bs 32x8, weights 50% CPU / 50% disk, KV on disk) with the
`tiersim` binary, or reads the results.h5 files already in --out, and prints simulated vs published
(targets: ../shared/targets/flexgen.yaml, copied below; tolerance 20%).

  analysis/reproduce_flexgen.py --tiersim build/sim/cli/tiersim [--out results/flexgen]
        [--reduced-175b 3] [--skip-175b] [--check]

The OPT-175B row is run with --reduced-175b output tokens (default 3) and completed to the paper's
32 by the linear decode-step extrapolation of analysis/serving_extrapolate.py (the step time is
linear in the context; the script prints the fit residual). --reduced-175b 32 runs it in full
(about 10 min of tiersim). --check exits 1 when a row is outside 20%.
"""
import argparse
import os
import sys

import serving_extrapolate
from serving_extrapolate import full_throughput, linearity, read, run

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOL = 0.20
ROWS = [  # label, config, sets, published tok/s, batch, output
    ("prompt 512, OPT-6.7B, bs 2, all on GPU", "flexgen_t4_opt6.7b", {}, 25.26, 2, 32),
    ("prompt 512, OPT-175B, bs 32x8, weights partly on disk", "flexgen_t4_opt175b", {}, 0.69,
     256, 32),
    ("prompt 1024, OPT-6.7B, 1x1, (100,0,100,0,100,0)", "flexgen_t4_opt6.7b",
     {"serving.requests.prompt_tokens": 1024, "serving.scheduler.batch": 1,
      "serving.requests.count": 1}, 13.72, 1, 32),
]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tiersim", default=os.path.join(ROOT, "build", "sim", "cli", "tiersim"))
    ap.add_argument("--out", default="results/flexgen")
    ap.add_argument("--reduced-175b", type=int, default=3)
    ap.add_argument("--skip-175b", action="store_true")
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--reuse", action="store_true",
                    help="read results.h5 files already in --out instead of running them again")
    a = ap.parse_args()
    serving_extrapolate.REUSE = a.reuse
    os.makedirs(a.out, exist_ok=True)
    ok = True
    print("FlexGen Table 2 on the T4 machine (configs/systems/flexgen_t4.yaml), 32 generated "
          "tokens, generated tokens / (prefill + decode)")
    print(f"{'row':<56} {'published':>10} {'simulated':>10} {'error':>8}")
    for i, (label, cfg, sets, pub, batch, output) in enumerate(ROWS):
        if "175B" in label and a.skip_175b:
            continue
        sets = dict(sets)
        out = output
        if "175B" in label:
            out = min(output, max(3, a.reduced_175b))
            sets["serving.requests.output_tokens"] = out
            sets["serving.policy.plan_output_tokens"] = output
        path = run(a.tiersim, os.path.join(ROOT, "configs", "experiments", cfg + ".yaml"),
                   os.path.join(a.out, f"row{i + 1}_o{out}.h5"), sets)
        r = read(path)
        if r["oom"]:
            print(f"{label:<56} {pub:>10.2f} {'OOM':>10}   {r['oom_message']}")
            ok = False
            continue
        sim = full_throughput(r, batch, output)
        e = (sim - pub) / pub
        ok &= abs(e) <= TOL
        note = ""
        if out < output:
            note = (f"  ({out} tokens run, extrapolated; decode-step line residual "
                    f"{linearity(r):.2%})")
        print(f"{label:<56} {pub:>10.2f} {sim:>10.2f} {e:>+8.1%}{note}")
    if a.check and not ok:
        print("CHECK FAILED: a row is outside 20%")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
