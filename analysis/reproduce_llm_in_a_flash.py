#!/usr/bin/python3
"""Reproduce "LLM in a flash" (Alizadeh et al., ACL 2024, arXiv 2312.11514 v3) Tables 2 and 3.

Runs the experiments (configs/experiments/llm_in_a_flash_{m1_max,rtx4090}.yaml, one per variant)
with the `tiersim` binary, or reads results.h5 files already written, and prints simulated vs
published side by side (targets: ../shared/targets/llm_in_a_flash.yaml, copied below). Also runs
the device-level check of the M1 Max flash preset (the paper's measured read speeds).

  analysis/reproduce_llm_in_a_flash.py --tiersim build/sim/cli/tiersim [--tokens 256]
        [--out results/llm_in_a_flash] [--plot lif.png] [--check]

--tokens reduces the generated tokens (the paper: 256); per-token figures are steady after the
window fills (docs/validation.md (LLM in a flash) shows 32 and 256 agree). --check exits 1 when a
figure is outside its tolerance (Table 2: 5% on I/O; Table 3: 15% on the total; flash: 3%).
"""
import argparse
import os
import subprocess
import sys

import h5py

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Published figures (paper Table 2 and Table 3; ms per generated token, GB, GB/s).
TABLE2 = [  # variant, label, dram GB, flash GB/token, read GB/s, io ms
    ("naive", "naive", 0.0, 13.4, 6.10, 2196),
    ("hybrid", "hybrid", 6.7, 6.7, 6.10, 1090),
    ("predictor", "hybrid+predictor", 4.8, 0.9, 1.25, 738),
    ("window", "hybrid+predictor+window", 6.5, 0.2, 1.25, 164),
    ("bundle", "hybrid+predictor+window+bundle", 6.5, 0.2, 2.25, 87),
]
TABLE3 = [  # platform, variant, label, io, mem, compute, total (ms)
    ("m1_max", "naive", "cpu_m1_max naive", 2196, 0, 986, 3182),
    ("m1_max", "bundle", "cpu_m1_max all", 105, 58, 506, 669),
    ("rtx4090", "naive", "rtx_4090 naive", 2196, 0, 22, 2218),
    ("rtx4090", "bundle", "rtx_4090 all", 30, 34, 20, 84),
]
FLASH = [  # pattern, bytes, published GB/s
    ("sequential", 1 << 20, 6.10),
    ("random", 8192, 1.25),
    ("random", 16384, 2.25),
]
TOL_T2, TOL_T3, TOL_FLASH = 0.05, 0.15, 0.03
# The access pattern of each variant's flash reads (Table 2's "read speed" column).
ACCESS = {"naive": ("sequential", 1 << 20), "hybrid": ("sequential", 1 << 20),
          "predictor": ("random", 8192), "window": ("random", 8192), "bundle": ("random", 16384)}
# Figures outside their tolerance, each explained in docs/validation.md (LLM in a flash); --check
# reports them but does not fail on them (any other miss fails).
KNOWN_MISSES = {("table2", "predictor"): "p_pred 9.6% of the FFN vs the paper's ~10.7%"}


def run(tiersim, platform, variant, tokens, out_dir):
    path = os.path.join(out_dir, f"{platform}_{variant}.h5")
    cfg = os.path.join(ROOT, "configs", "experiments", f"llm_in_a_flash_{platform}.yaml")
    cmd = [tiersim, "run", cfg, "--no-progress", "-o", path,
           "--set", f"serving.policy.variant={variant}",
           "--set", f'serving.requests.output_tokens="{tokens}"']
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return path


def per_token(path):
    """Per decode token: io, mem, compute, total (ms); flash GB; read GB/s; DRAM GB."""
    with h5py.File(path, "r") as f:
        p = f["components"]["policy"].attrs
        n = int(p["decode_steps"])
        io = int(p["decode_io_ps"]) / n * 1e-9
        mem = int(p["decode_mem_ps"]) / n * 1e-9
        comp = int(p["decode_compute_ps"]) / n * 1e-9
        flash = int(p["decode_flash_bytes"]) / n * 1e-9
        dram = int(p["memory_needed_bytes"]) * 1e-9
    speed = flash / (io * 1e-3) if io > 0 else float("nan")
    return {"io": io, "mem": mem, "compute": comp, "total": io + mem + comp, "flash": flash,
            "speed": speed, "dram": dram, "tokens": n}


def flash_path(out_dir, pattern, size):
    return os.path.join(out_dir, f"flash_{pattern}_{size}.h5")


def flash_requests(size):
    return 2000 if size >= (1 << 20) else 10000


def run_flash(tiersim, pattern, size, out_dir):
    """Device-level run: `size` B reads, 32 in flight (the paper's 32 threads), on the M1 Max SSD."""
    wl = (f"[{{type: synthetic, name: w, source: cpu, target: ssd, pattern: {pattern}, "
          f"requests: {flash_requests(size)}, size: {size} B, footprint: 900000000000 B, "
          f"read_fraction: 1.0, max_outstanding: 32}}]")
    subprocess.run([tiersim, "run", os.path.join(ROOT, "configs/systems/lif_m1_max.yaml"),
                    "--no-progress", "-o", flash_path(out_dir, pattern, size),
                    "--set", "kernel.quantum=0 ns", "--set", f"workloads={wl}"],
                   check=True, stdout=subprocess.DEVNULL)


def flash_speed(out_dir, pattern, size):
    with h5py.File(flash_path(out_dir, pattern, size), "r") as f:
        t = int(f["summary"].attrs["sim_time_ps"]) * 1e-12
    return flash_requests(size) * size / t / 1e9


def err(sim, pub):
    return (sim - pub) / pub if pub else float("nan")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--tiersim", help="tiersim binary (runs the experiments)")
    ap.add_argument("--tokens", type=int, default=256, help="generated tokens (paper: 256)")
    ap.add_argument("--dense-tokens", type=int, default=0,
                    help="generated tokens of naive/hybrid (0: --tokens); every token of a dense "
                         "variant reads and computes the same, so 3 give the same per-token figures")
    ap.add_argument("--out", default="results/llm_in_a_flash", help="directory of results.h5 files")
    ap.add_argument("--plot", help="write a bar chart (PNG) of Table 3")
    ap.add_argument("--check", action="store_true", help="exit 1 on a figure out of tolerance")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    fails, known_fails = [], []

    def result(platform, variant):
        path = os.path.join(a.out, f"{platform}_{variant}.h5")
        if a.tiersim:
            dense = variant in ("naive", "hybrid") and a.dense_tokens > 0
            path = run(a.tiersim, platform, variant, a.dense_tokens if dense else a.tokens, a.out)
        return per_token(path)

    speeds = {}
    print("M1 Max flash (configs/flash/apple_m1_max_ssd.yaml), 32 reads in flight, GB/s:")
    print(f"  {'access':<22}{'published':>10}{'simulated':>11}{'error':>8}")
    for pattern, size, pub in FLASH:
        if a.tiersim:
            run_flash(a.tiersim, pattern, size, a.out)
        if not os.path.exists(flash_path(a.out, pattern, size)):
            continue
        sim = flash_speed(a.out, pattern, size)
        speeds[(pattern, size)] = sim
        e = err(sim, pub)
        print(f"  {pattern + ' ' + str(size) + ' B':<22}{pub:>10.2f}{sim:>11.3f}{e:>+8.1%}")
        if abs(e) > TOL_FLASH:
            fails.append(f"flash {pattern} {size}: {e:+.1%}")

    m1 = {v: result("m1_max", v) for v, *_ in TABLE2}
    print(f"\nTable 2 (OPT-6.7B, M1 Max, I/O per token; {m1['bundle']['tokens']} decode tokens)")
    print("  I/O = flash bytes per token / the flash model's read speed for the access pattern (the")
    print("  paper's Table 2 method); end-to-end = the serving run's I/O wait (per-layer reads).")
    print(f"  {'configuration':<32}{'DRAM GB':>14}{'flash GB':>15}{'read GB/s':>15}"
          f"{'I/O ms':>17}{'error':>8}{'end-to-end':>12}")
    print(f"  {'':<32}{'pub / sim':>14}{'pub / sim':>15}{'pub / sim':>15}{'pub / sim':>17}")
    for v, label, dram, flash, speed, io in TABLE2:
        r = m1[v]
        dev = speeds.get(ACCESS[v], float("nan"))
        sim_io = r["flash"] / dev * 1e3 if dev == dev else r["io"]
        e = err(sim_io, io)
        known = KNOWN_MISSES.get(("table2", v))
        print(f"  {label:<32}{dram:>6.1f} /{r['dram']:>5.2f}{flash:>8.1f} /{r['flash']:>5.3f}"
              f"{speed:>8.2f} /{dev:>5.2f}{io:>8.0f} /{sim_io:>7.1f}{e:>+8.1%}{r['io']:>10.1f}"
              + ("  (known miss)" if known else ""))
        if abs(e) > TOL_T2:
            (known_fails if known else fails).append(f"table 2 {label}: {e:+.1%}")

    rtx = {v: result("rtx4090", v) for v in ("naive", "bundle")}
    print("\nTable 3 (OPT-6.7B, ms per token: I/O + memory management + compute)")
    print(f"  {'backend / method':<20}{'I/O':>15}{'mem':>13}{'compute':>15}{'total':>17}"
          f"{'error':>8}")
    rows = []
    for platform, v, label, io, mem, comp, total in TABLE3:
        r = (m1 if platform == "m1_max" else rtx)[v]
        e = err(r["total"], total)
        rows.append((label, (io, mem, comp), (r["io"], r["mem"], r["compute"])))
        print(f"  {label:<20}{io:>6} /{r['io']:>7.1f}{mem:>5} /{r['mem']:>6.1f}"
              f"{comp:>6} /{r['compute']:>7.1f}{total:>7} /{r['total']:>8.1f}{e:>+8.1%}"
              + ("  (known miss)" if KNOWN_MISSES.get(("table3", label)) else ""))
        known = KNOWN_MISSES.get(("table3", label))
        if abs(e) > TOL_T3:
            (known_fails if known else fails).append(f"table 3 {label}: {e:+.1%}")

    if a.plot:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        fig, axes = plt.subplots(1, len(rows), figsize=(3 * len(rows), 3.2))
        for ax, (label, pub, sim) in zip(axes, rows):
            bottom = [0.0, 0.0]
            for i, (part, color) in enumerate(zip(("I/O", "mem", "compute"),
                                                  ("tab:red", "tab:orange", "tab:blue"))):
                vals = [pub[i], sim[i]]
                ax.bar(["paper", "tiersim"], vals, bottom=bottom, color=color, label=part)
                bottom = [b + v for b, v in zip(bottom, vals)]
            ax.set_title(label, fontsize=9)
            ax.set_ylabel("ms per token")
        axes[0].legend(fontsize=8)
        fig.tight_layout()
        fig.savefig(a.plot, dpi=120)
        print(f"\nplot: {a.plot}")

    if known_fails:
        print("\nknown misses (explained in docs/validation.md (LLM in a flash)): "
              + "; ".join(known_fails))
    if fails:
        print("\nout of tolerance: " + "; ".join(fails))
    if a.check and fails:
        sys.exit(1)


if __name__ == "__main__":
    main()
