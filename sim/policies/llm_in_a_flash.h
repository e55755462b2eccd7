// `llm_in_a_flash`: a model larger than the memory it may use runs from flash ("LLM in a flash:
// Efficient Large Language Model Inference with Limited Memory", Alizadeh et al., ACL 2024,
// arXiv 2312.11514 v3; docs/policies.md, "llm_in_a_flash").
//
// Placement (place()): the model may use `memory_fraction` of its own size of memory (Sec. 4,
// "Hardware configuration": about half the model). The flash (`flash`, an `ssd`) holds every
// weight, layer by layer (attention, then the FFN: up-projection columns, then down-projection
// rows; or, with bundling, neuron i's up column and down row side by side, Sec. 3.2). `variant`:
//  - naive:     nothing resident; every token reads the whole model (Table 2 row 1);
//  - hybrid:    the first memory_fraction of the model (embeddings, then layers in order) stays
//               resident; every token reads the rest sequentially (Table 2 row 2);
//  - predictor: embeddings, attention, norms and the low-rank predictors (Sec. 3.1: rank
//               `predictor_rank`, `predictor_rank_last` in the last `predictor_last_layers`
//               layers) resident; every token reads only the FFN neurons the predictor marks
//               active, one read per up column and one per down row (rows of 2 x hidden bytes
//               at fp16 are the paper's "small chunks");
//  - window:    + the neurons of the last `window` tokens stay in memory (Sec. 3.1,
//               "Windowing"); only neurons new to the window are read;
//  - bundle:    + row-column bundling: one read of 2 x hidden x dtype bytes per neuron (Sec. 3.2).
// OutOfMemory when the resident set (with the expected window cache) exceeds the budget or the
// memory component; batch > 1 is a config error (the paper measures batch 1).
//
// Which neurons are active: workload::ActivationModel (docs/workloads.md) drives the predictor's
// output: its stationary share is the predicted-positive share
//   p_pred = (1 - false_negative) (1 - sparsity) + false_positive x sparsity
// (Sec. 3.1: predictor recall/precision; false negatives cost accuracy, not I/O), and its
// persistence is calibrated so that `new_fraction` of the neurons are new under a `window`-token
// window (Sec. 3.1, Fig. 6: 2.4% of the FFN for OPT-6.7B). The same seeded chain serves every
// variant, so variants see the same tokens.
//
// Each step (run_step()), layer by layer, serially (the paper reports I/O, memory management and
// compute as a sum, Table 3):
//  1. dense variants, and the prefill step of every variant: the layer's non-resident bytes are
//     read from flash in `read_chunk` requests by `io_threads` threads (Sec. 4: 32 threads);
//     with the gpu backend each chunk then goes host -> device memory on the same thread;
//  2. attention (QKV, attention, out projection: the StepWork ops) on `compute`;
//  3. sparse decode: the predictor's two GEMVs; the fresh neurons' reads (one transaction per
//     read at the neuron's flash address; the list — up columns then down rows unbundled — is
//     cut into io_threads contiguous slices, one per reader thread, issued round-robin over the
//     slices, each thread starting its next read when its last one completes); memory management
//     (Sec. 3.3): cpu backend — the fresh rows are copied from the read buffer and appended
//     (read + write of host memory by `issuer`), deleted neurons are overwritten by the last
//     rows (read + write); gpu backend — the fresh rows are written host -> device memory and the
//     deletions run as a device kernel moving the last rows;
//  4. the FFN: dense GEMMs, or over the cached neurons (`ffn_compute: cached`, the paper's
//     preallocated matrix, Sec. 3.3) or only the active ones (`active`);
//  then the LM head. Breakdown: compute = time of the compute kernels, other = memory
//  management, weight_io = the rest (waiting for flash and, on the gpu, host -> device copies).
//
// Simplifications (docs/policies.md):
//  - The copies of one layer's memory management coalesce into one transaction per direction
//    (the memory model times a request of any size at once); framework overheads per row or per
//    operator (the paper's PyTorch implementation) are not modelled.
//  - Prefill reads the whole FFN densely (the union of 128 prompt tokens' neurons is nearly all
//    of them) and leaves the last `window` prompt tokens' neurons cached.
//  - The predictor runs on the layer's input like the paper's; its accuracy only changes what is
//    read (p_pred), not the model output.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "sim/policies/llm_in_a_flash_cache.h"
#include "sim/policies/policy.h"
#include "sim/workload/activation_model.h"

namespace tiersim::policies {

class LlmInAFlashPolicy final : public Policy {
 public:
  enum class Variant : std::uint8_t { kNaive, kHybrid, kPredictor, kWindow, kBundle };
  enum class Backend : std::uint8_t { kCpu, kGpu };

  explicit LlmInAFlashPolicy(const PolicyContext& ctx);
  static config::SchemaPtr schema();

  [[nodiscard]] Capacity place(const PlacementRequest& req) override;
  [[nodiscard]] StepResult run_step(const scheduler::Step& step, const StepWork& work,
                                    Time start) override;

  // Predicted-positive share of FFN neurons per token (see the header comment).
  [[nodiscard]] double predicted_share() const { return p_pred_; }
  [[nodiscard]] Bytes resident_bytes() const { return resident_; }

 private:
  struct Clock {
    Time now;
    Time compute;
    Time mem;
  };
  [[nodiscard]] bool sparse() const { return variant_ >= Variant::kPredictor; }
  void compute(const ComputeWork& w, Clock& c);
  void dense_read(std::uint64_t address, Bytes bytes, Clock& c);
  void sparse_layer(std::uint32_t layer, Clock& c);
  [[nodiscard]] Bytes layer_flash_bytes(std::uint32_t layer) const;
  [[nodiscard]] std::uint64_t layer_address(std::uint32_t layer) const;

  const workload::ModelSpec& model_;
  Executor& exec_;
  config::Origin origin_;
  Variant variant_;
  Backend backend_;
  ComponentId compute_, issuer_, host_mem_, device_mem_, flash_;
  double memory_fraction_;
  Bytes read_chunk_;
  std::uint32_t window_;
  std::uint32_t rank_, rank_last_, last_layers_;
  bool ffn_cached_;
  Time op_overhead_;  // host framework time before each compute operator
  double p_pred_ = 0;
  workload::ActivationParams act_params_;
  std::uint64_t seed_;

  Bytes row_;        // one up column or down row: hidden x dtype bytes
  Bytes attn_;       // per layer: attention weights + norms
  Bytes layer_;      // per layer: attention + FFN
  Bytes embedding_;  // token + position tables, final norm (LM head tied or separate)
  Bytes resident_;   // resident weights (without the window cache)
  std::vector<Bytes> layer_resident_;  // hybrid: resident bytes of each layer

  lif::IoThreads io_;
  std::unique_ptr<workload::ActivationModel> activation_;
  std::unique_ptr<lif::NeuronWindow> window_cache_;
  bool first_token_ = true;
  std::vector<std::uint32_t> fresh_;
  std::vector<std::uint64_t> reads_;  // flash addresses of one layer's neuron reads

  stats::Counter& decode_steps_;
  stats::Counter& decode_io_ps_;
  stats::Counter& decode_mem_ps_;
  stats::Counter& decode_compute_ps_;
  stats::Counter& decode_flash_bytes_;
  stats::Counter& flash_reads_;
  stats::Counter& neurons_loaded_;
  stats::Counter& neurons_deleted_;
  stats::Counter& cached_neurons_;
  stats::Counter& resident_stat_;
  stats::Counter& memory_needed_;
  Bytes step_flash_;  // flash bytes read in the current step
};

}  // namespace tiersim::policies
