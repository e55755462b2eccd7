// The decisions of the xPU + PIM policies (duplex, bank_pim, neupims; duplex_engine.h): which
// processor runs an operator, by its Op/B, and how co-processing splits experts and decode
// attention between the two so both finish together. Pure arithmetic, no transactions.
//
// Contract:
//  - Rates is the planner's view of one device (its xPU and all its PIM units together): peak
//    FLOP/s and memory bandwidth, from the hardware description (the experiment names their
//    sources). Estimates are roofline times max(flops / peak, bytes / bandwidth) in seconds; they
//    only rank choices, the components time the work.
//  - prefer_pim(flops, bytes) is true when the PIM estimate is strictly lower: for streaming
//    operators this is an Op/B threshold, Op/B < pim_flops / xpu_bandwidth when the PIM is
//    compute bound there (Duplex: each layer goes to the processor suited to its Op/B).
//  - split_experts(): experts (weights bytes and FLOPs each) sorted by Op/B, highest first; the
//    first `n` go to the xPU, the rest to the PIM, with n chosen to minimise the later of the two
//    finishing times (ties: fewer on the xPU). Duplex's expert co-processing: experts
//    with many tokens (high Op/B) on the xPU, the rest on Logic-PIM, at once.
//  - split_sequences(): of `sequences` decode sequences (equal work each), how many the xPU takes
//    so that xPU (with `xpu_busy` seconds of other work first, e.g. prefill attention) and PIM
//    finish together; Duplex's attention co-processing.
//  - critical_device(): under expert parallelism (experts e of device d: e / (experts/devices)
//    == d), the device whose experts take longest on the processor the plan gives them; its work
//    is the step's critical path (the other devices wait at the all-reduce).
#pragma once

#include <cstdint>
#include <vector>

namespace tiersim::policies::duplex {

struct Rates {
  double xpu_flops = 0;      // FLOP/s
  double xpu_bandwidth = 0;  // B/s
  double pim_flops = 0;      // FLOP/s, all PIM units of the device
  double pim_bandwidth = 0;  // B/s internal (bank-level) bandwidth, all units
};

[[nodiscard]] double xpu_seconds(const Rates& r, double flops, double bytes);
[[nodiscard]] double pim_seconds(const Rates& r, double flops, double bytes);
[[nodiscard]] bool prefer_pim(const Rates& r, double flops, double bytes);

struct ExpertWork {
  std::uint32_t expert = 0;
  std::uint32_t tokens = 0;
  double flops = 0;
  double bytes = 0;
};

struct ExpertSplit {
  std::vector<ExpertWork> xpu;
  std::vector<ExpertWork> pim;
};

[[nodiscard]] ExpertSplit split_experts(const Rates& r, std::vector<ExpertWork> experts);

// Sequences for the xPU out of `sequences`, each costing (flops, bytes).
[[nodiscard]] std::uint32_t split_sequences(const Rates& r, std::uint32_t sequences,
                                            double flops_each, double bytes_each, double xpu_busy);

// Device index in [0, devices) of the slowest device under expert parallelism; `on_pim` says
// whether the MoE of the layer runs on PIM (else xPU). Ties: the lowest index.
[[nodiscard]] std::uint32_t critical_device(const Rates& r, const std::vector<ExpertWork>& experts,
                                            std::uint32_t total_experts, std::uint32_t devices,
                                            bool on_pim);

}  // namespace tiersim::policies::duplex
