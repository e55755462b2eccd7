#!/usr/bin/python3
"""Headline comparison: InstInfer (dense, SparF) vs FlexGen vs DeepSpeed ZeRO-Inference, OPT-13B.

The same workload (OPT-13B fp16, static batches of PROMPT + OUTPUT tokens) under each policy on the
InstInfer paper's machine (configs/systems/instinfer_a6000.yaml: RTX A6000, 96 GB host, 980 PRO,
one InstInfer CSD), over a batch sweep. Each run simulates the prefill and two decode steps and
completes the output length along the decode-step line (analysis/serving_extrapolate.py), so the
whole table takes well under a minute.

  analysis/headline.py [--tiersim build/sim/cli/tiersim] [--batches 4,16,64]
        [--prompt 512] [--output 512] [--out results/headline]

Prints throughput (generated tokens / (prefill + decode)) per policy and batch, OOM where a policy
cannot place the batch, and each policy's speedup over FlexGen.
"""
import argparse
import os
import sys
import time

import serving_extrapolate
from serving_extrapolate import full_throughput, read, run

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
POLICIES = [  # column, experiment
    ("DeepSpeed", "instinfer_opt13b_deepspeed"),
    ("FlexGen", "instinfer_opt13b_flexgen"),
    ("InstInfer", "instinfer_opt13b_dense"),
    ("InstInfer-SparF", "instinfer_opt13b_sparf"),
]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tiersim", default=os.path.join(ROOT, "build", "sim", "cli", "tiersim"))
    ap.add_argument("--batches", default="4,16,64")
    ap.add_argument("--prompt", type=int, default=512)
    ap.add_argument("--output", type=int, default=512)
    ap.add_argument("--out", default="results/headline")
    ap.add_argument("--reuse", action="store_true",
                    help="read results.h5 files already in --out instead of running them again")
    a = ap.parse_args()
    serving_extrapolate.REUSE = a.reuse
    os.makedirs(a.out, exist_ok=True)
    batches = [int(b) for b in a.batches.split(",")]
    t0 = time.time()
    tput = {}
    for col, exp in POLICIES:
        for b in batches:
            path = os.path.join(a.out, f"{exp}_b{b}_p{a.prompt}.h5")
            r = read(run(a.tiersim, os.path.join(ROOT, "configs", "experiments", exp + ".yaml"),
                         path, {"serving.scheduler.batch": b, "serving.requests.count": b,
                                "serving.requests.prompt_tokens": a.prompt,
                                "serving.requests.output_tokens": min(3, a.output),
                                "serving.policy.plan_output_tokens": a.output}))
            tput[(col, b)] = None if r["oom"] else full_throughput(r, b, a.output)
    print(f"OPT-13B fp16, {a.prompt} + {a.output} tokens per request, static batching, "
          f"RTX A6000 + 96 GB host + 980 PRO + 1 InstInfer CSD")
    print("throughput, generated tokens/s (speedup over FlexGen)")
    print(f"{'batch':>6}" + "".join(f"{c:>22}" for c, _ in POLICIES))
    for b in batches:
        base = tput.get(("FlexGen", b))
        cells = []
        for c, _ in POLICIES:
            v = tput[(c, b)]
            if v is None:
                cells.append("OOM")
            elif base:
                cells.append(f"{v:.2f} ({v / base:.2f}x)")
            else:
                cells.append(f"{v:.2f}")
        print(f"{b:>6}" + "".join(f"{x:>22}" for x in cells))
    print(f"({len(POLICIES) * len(batches)} runs in {time.time() - t0:.1f} s; results in {a.out})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
