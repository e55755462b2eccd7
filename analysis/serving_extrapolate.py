"""Shared helpers of the paper-reproduction scripts (reproduce_instinfer.py, reproduce_flexgen.py,
headline.py): run a serving experiment with the `tiersim` binary and read its summary, and the
reduced-length form of a static-batching throughput run.

Reduced length (documented in docs/validation.md, InstInfer and FlexGen): a run with a few output
tokens gives the prefill time and the first decode steps; under static batching every decode step
of the batch attends the same context c. Its KV-I/O time (the breakdown's kv_io) is proportional to
c (the KV bytes read are), the rest of the step (weights, projections, FFN) does not depend on c.
So decode step j of the full run takes (d - k) + k x c_j / c_m, with d and k the last measured
step's time and KV-I/O time and c_m its context, and throughput = batch x output / (prefill + the
sum). `linearity()` reports how far the other measured steps are from that model (the check that
the reduction does not change the metric). A page-granular device (the CSD reads whole 16-token
pages) is steppy inside 16 tokens and linear over them; the model follows the linear trend.
Placement (OOM, swap, KV regions) must see the full length: the scripts set the policies'
`plan_output_tokens` to it.
"""
import os
import subprocess

import h5py


REUSE = False  # set by the scripts' --reuse: read results already written instead of running


def run(tiersim, cfg, out_path, sets):
    if REUSE and os.path.exists(out_path):
        return out_path
    cmd = [tiersim, "run", cfg, "-q", "-o", out_path]
    for k, v in sets.items():
        cmd += ["--set", f"{k}={v}"]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return out_path


def _str(v):
    return v.decode() if isinstance(v, bytes) else str(v)


def read(path):
    """Summary, decode step times and KV-I/O share of decode time of one serving run."""
    with h5py.File(path, "r") as f:
        s = dict(f["summary"].attrs)
        r = {"oom": int(s.get("oom", 0)) == 1, "oom_message": _str(s.get("oom_message", "")),
             "tput": float(s.get("throughput_tok_s", 0.0)), "prefill_s": 0.0, "decode": [],
             "decode_kv": [],
             "prompt": int(s.get("prompt_tokens", 0)) // max(1, int(s.get("requests", 1))),
             "kv_share": 0.0, "generated": int(s.get("generated_tokens", 0)),
             "wall_s": float(dict(f["run_info"].attrs).get("wall_seconds", 0.0))
             if "run_info" in f else 0.0}
        if r["oom"] or "serving/steps" not in f:
            return r
        st = f["serving/steps"]
        start, end = st["start_ps"][()], st["end_ps"][()]
        pre, kvio = st["prefill_tokens"][()], st["kv_io_ps"][()]
        kv = dec = 0
        for i in range(len(start)):
            d = int(end[i]) - int(start[i])
            if pre[i] > 0:
                r["prefill_s"] += d * 1e-12
            else:
                r["decode"].append(d * 1e-12)
                r["decode_kv"].append(int(kvio[i]) * 1e-12)
                dec += d
                kv += int(kvio[i])
        r["kv_share"] = kv / dec if dec else 0.0
    return r


def _step(r, i, c):
    """Decode step time at context c from measured step i (module docstring)."""
    ci = r["prompt"] + i + 1
    d, k = r["decode"][i], r["decode_kv"][i]
    return (d - k) + k * c / ci


def full_throughput(r, batch, output):
    """Throughput of the full-length run from a reduced one (module docstring)."""
    d = r["decode"]
    have = len(d) + 1  # the prefill step produces the first token
    if have >= output or not d:
        return r["tput"]
    m = len(d) - 1
    total = r["prefill_s"] + sum(d)
    for j in range(len(d), output - 1):
        total += _step(r, m, r["prompt"] + j + 1)
    return batch * output / total


def linearity(r):
    """Largest relative distance of the measured decode steps from the model of the last one."""
    d = r["decode"]
    worst = 0.0
    for i in range(len(d) - 1):
        worst = max(worst, abs(d[i] - _step(r, len(d) - 1, r["prompt"] + i + 1)) / d[i])
    return worst
