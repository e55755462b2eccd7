// The xPU + PIM execution engine shared by the `duplex`, `bank_pim` and `neupims` policies
// (docs/policies.md, "duplex", "bank_pim", "neupims"): one device of a `devices`-way system, an
// xPU (a `gpu` component) and PIM units over the same HBM stacks (`pim` components, one per
// stack), running each step layer by layer.
//
// Parallelism (Duplex, Yun et al., MICRO 2024, arXiv 2409.01141, multi-device setup of its
// evaluation: Mixtral on 4 devices): attention is tensor
// parallel over `devices` (each device holds heads / devices query heads and their KV heads and
// its slice of every projection); MoE experts are expert parallel (device d holds experts
// d x E/D .. (d+1) x E/D - 1) or, with `expert_tensor_parallel` (+ET, the paper's expert tensor
// parallelism), every device holds 1/devices of every expert (d_ff split). After the out projection
// and after the MoE the devices all-reduce the hidden states (kAllReduce over NVLink on the xPU).
// Every device has the same attention and dense work, so the engine simulates one device and, under
// expert parallelism, gives it the experts of the slowest device of each layer (duplex_plan.h,
// critical_device): the others would wait for it at the all-reduce.
//
// Per layer (issue order = hardware order; each op starts when its inputs are ready):
//   QKV projection (xPU GEMM) -> attention -> out projection (xPU GEMM) -> all-reduce ->
//   MoE experts (or dense FFN on the xPU) -> all-reduce; after the last layer the LM head (xPU).
// Placement by Op/B (duplex_plan.h, prefer_pim; Duplex: "selects the most suitable processor based
// on the Op/B of each layer"): decode attention (Op/B = query heads per KV head for GQA) and the
// MoE layer go to the PIM units when the planner estimates them faster there and the policy
// offloads that kind (`offload_attention`, `offload_moe`); prefill attention, projections, dense
// FFN and the LM head stay on the xPU. Without co-processing the processors take turns. With
// `co_processing` (+PE, the paper's expert and attention co-processing), experts split by Op/B
// (high Op/B on the xPU) and run at once on both; decode attention runs on PIM beside the xPU's
// prefill attention, and in decode-only steps the sequences split between both so they finish
// together. PIM work is issued as transactions split over the PIM units (the stacks hold equal
// shares): an expert is two GEMVs (gate+up: (mats - 1) x d_ff rows of hidden; down: hidden rows of
// d_ff) with batch = its tokens; decode attention is one kDecodeAttention per unit over its share
// of the (sequence, KV head) pairs (the PIM model times K q, the host softmax's readout and reload,
// then V^T p), or with `softmax: logic_die` (Logic-PIM keeps the scores on the logic die) a K GEMV
// and a V GEMV with local inputs, rows split over the units. Addresses: each expert and the KV
// cache own regions aligned to `region_alignment` (a bank-bundle region of Logic-PIM) in every PIM
// unit. `sub_batches` > 1 (NeuPIMs, Heo et al., ASPLOS 2024, sub-batch interleaving): the step's
// sequences split into sub-batches whose layers interleave, so one sub-batch's attention on PIM
// overlaps another's projections and FFN on the xPU (the dual row buffers let both access the HBM
// at once).
//
// Simplifications: the router GEMM, softmax, norms, rotary embedding and the KV append are not
// timed (small against the operators above); xPU and PIM do not contend for the DRAM banks when
// they run at once; the mean context of the step's decode sequences stands for each of them;
// tokens of the MoE split evenly over sub-batches.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/policies/duplex_plan.h"
#include "sim/policies/policy.h"

namespace tiersim::policies::duplex {

struct EngineOptions {
  std::string xpu = "xpu";
  std::string memory = "hbm";  // a device's memory (capacity)
  std::vector<std::string> pim_units;
  std::uint32_t devices = 1;
  bool expert_tensor_parallel = false;
  bool co_processing = false;
  bool offload_attention = true;
  bool offload_moe = true;
  std::uint32_t sub_batches = 1;
  Rates rates;
  Bytes region_alignment = Bytes(1);
  bool logic_softmax = false;  // softmax on the logic die (scores stay in the PIM module)
};

// Which keys a policy exposes (the others keep their defaults).
struct KeySet {
  bool co_processing = true;
  bool expert_tensor_parallel = true;
  bool sub_batches = false;
  bool offload_moe_default = true;
};

// Adds the engine's keys to a policy schema (type, units, devices, planner rates, ...).
void add_engine_keys(config::Schema& s, const KeySet& keys);
[[nodiscard]] EngineOptions engine_options(const config::Node& cfg);

class EnginePolicy : public Policy {
 public:
  EnginePolicy(const PolicyContext& ctx, EngineOptions opt);

  [[nodiscard]] Capacity place(const PlacementRequest& req) override;
  [[nodiscard]] StepResult run_step(const scheduler::Step& step, const StepWork& work,
                                    Time start) override;

 private:
  // The part of a step one sub-batch carries through a layer.
  struct Slice {
    std::uint64_t tokens = 0;
    std::uint32_t decode = 0;  // decode sequences
    std::uint64_t context = 0;
    std::uint32_t prefill = 0;  // prefill sequences
    std::uint32_t prefill_m = 0;
    std::uint64_t prefill_context = 0;
    std::uint64_t prefill_flops = 0;  // whole model, all heads
    std::vector<ExpertWork> experts;  // this device's experts with tokens (sharded shapes)
  };
  void slices_of(const LayerWork& lw, std::uint32_t count, std::vector<Slice>& out) const;
  [[nodiscard]] Time qkv(const Slice& s, Time at);
  [[nodiscard]] Time attention(const Slice& s, Time at, bool decode_only);
  [[nodiscard]] Time post(const Slice& s, const LayerWork& lw, Time at, bool decode_only);
  [[nodiscard]] Time moe(const Slice& s, std::uint32_t layer, Time at, bool decode_only);
  [[nodiscard]] Time all_reduce(std::uint64_t tokens, Time at);
  [[nodiscard]] Time xpu(kernel::OpShape op, std::uint64_t flops, Bytes bytes, Time at,
                         stats::Counter* busy = nullptr, stats::Counter* flops_c = nullptr);
  // Splits an m x k GEMV with `batch` vectors by rows over the PIM units; returns the last end.
  [[nodiscard]] Time pim_gemv(std::uint32_t batch, std::uint64_t m, std::uint64_t k,
                              std::uint64_t address, Time at);
  [[nodiscard]] Time pim_attention(std::uint32_t seqs, std::uint64_t context, Time at);
  [[nodiscard]] Time xpu_attention(std::uint32_t seqs, std::uint64_t context, Time at,
                                   bool decode_only);
  [[nodiscard]] double attention_flops(std::uint32_t seqs, std::uint64_t context) const;
  [[nodiscard]] double attention_bytes(std::uint32_t seqs, std::uint64_t context) const;
  [[nodiscard]] std::uint64_t expert_address(std::uint32_t expert, std::uint32_t layer) const;

  const workload::ModelSpec& model_;
  Executor& exec_;
  EngineOptions opt_;
  ComponentId xpu_, memory_;
  std::vector<ComponentId> pims_;
  std::vector<Time> pim_free_;
  Time xpu_free_;
  std::uint64_t q_dev_ = 0, kv_dev_ = 0, d_ff_dev_ = 0, mats_ = 3;
  std::uint64_t expert_region_ = 0, kv_region_ = 0;
  Time comm_;  // all-reduce time of the step (critical path)
  std::vector<Slice> slices_;
  stats::Counter& experts_pim_;
  stats::Counter& experts_xpu_;
  stats::Counter& attn_seqs_pim_;
  stats::Counter& attn_seqs_xpu_;
  stats::Counter& decode_steps_;
  stats::Counter& decode_ps_;
  stats::Counter& xpu_moe_busy_;
  stats::Counter& xpu_moe_flops_;
  stats::Counter& xpu_attn_busy_;
  stats::Counter& xpu_attn_flops_;
  stats::Counter& xpu_busy_;
  stats::Counter& pim_busy_;
};

}  // namespace tiersim::policies::duplex
