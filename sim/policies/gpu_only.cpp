// `gpu_only`: the whole model and its KV cache in GPU HBM, vLLM style (Kwon et al., "Efficient
// Memory Management for Large Language Model Serving with PagedAttention", SOSP'23):
// section 4.1-4.3 (paged KV in fixed-size blocks), 4.5 (scheduling and preemption: swapping to CPU
// memory, or recomputation), 6 (implementation: block size 16 by default; the KV space is what is
// left of the GPU memory after the weights and a profiled activation peak, times
// gpu_memory_utilization).
//
// Placement: weights (ModelSpec::total_weight_bytes) and an activation reserve in HBM; the rest of
// `memory_utilization` x HBM capacity holds KV blocks of `block_tokens` tokens (all layers):
//   kv_tokens = floor((utilization x capacity - weights - reserve) / kv_bytes_per_token / block)
//               x block.
// Weights that do not fit throw OutOfMemory.
//
// Step: the GPU runs the step's kernels one after another (qkv projection, attention, out
// projection, FFN for each layer, then the LM head), each one compute transaction with its
// OpShape; the `gpu` component's operator model times it, including the HBM traffic of its weights
// and KV (the GPU's own memory bandwidth). A sequence swapped out by a preemption is first swapped
// back in: its KV is read from `host` over the system's links (one transaction per sequence).
// Swap-outs (Policy::preempt) write the KV to `host`; recompute costs nothing here (the scheduler
// prefills the sequence again).
//
// Breakdown: attention kernels stream the KV cache -> kv_io; projection/FFN/LM-head GEMMs with
// fewer than `ridge_tokens` rows are weight-streaming (memory-bound) -> weight_io, larger ones ->
// compute; swap-in transfers -> other.
//
// Simplifications: no embedding-gather or norm kernels (tiny); all kernels serialized on one
// stream (no overlap of swap-in with compute, as vLLM waits for swaps before the forward pass);
// no prefix caching; no CUDA-graph padding of the decode batch.
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "sim/config/config_error.h"
#include "sim/policies/policy.h"

namespace tiersim::policies {

namespace {

using config::Type;
using kernel::OpKind;

class GpuOnly final : public Policy {
 public:
  explicit GpuOnly(const PolicyContext& c)
      : cfg_(c.config),
        model_(c.model),
        exec_(c.exec),
        gpu_(exec_.id(cfg_.get_string("gpu"), cfg_.at("gpu").origin())),
        block_(cfg_.get_uint("block_tokens")),
        ridge_(cfg_.get_uint("ridge_tokens")),
        swapped_out_(c.stats.counter("swap_out_bytes", "KV bytes swapped out to host")),
        swapped_in_(c.stats.counter("swap_in_bytes", "KV bytes swapped back in from host")),
        kernels_(c.stats.counter("kernels", "Compute transactions issued")) {
    if (!cfg_.get_string("host").empty()) {
      host_ = exec_.id(cfg_.get_string("host"), cfg_.at("host").origin());
      have_host_ = true;
    }
  }

  static config::SchemaPtr schema() {
    auto s = std::make_shared<config::Schema>("gpu_only", "Everything in GPU HBM (vLLM paging).");
    s->add("type", Type::kString, "Policy type.").require();
    s->add("gpu", Type::kString, "The `gpu` component that runs every kernel.").default_to("gpu");
    s->add("hbm_capacity", Type::kSize,
           "GPU memory capacity (0: the capacity the gpu component reports).")
        .default_to("0 B");
    s->add("memory_utilization", Type::kFloat,
           "Share of HBM the server may use (vLLM gpu_memory_utilization, default 0.9).")
        .default_to("0.9")
        .at_least(0.01)
        .at_most(1.0);
    s->add("activation_reserve", Type::kSize,
           "HBM kept for activations and workspace (vLLM profiles the peak; assumed).")
        .default_to("1 GiB");
    s->add("block_tokens", Type::kUInt, "Tokens per KV block (vLLM block_size).")
        .default_to("16")
        .at_least(1);
    s->add("host", Type::kString,
           "Host memory component that swapped-out KV goes to (needed for preemption: swap).")
        .default_to("");
    s->add("ridge_tokens", Type::kUInt,
           "GEMMs with fewer rows count as weight I/O in the breakdown (the GPU's ridge point in "
           "tokens: peak FLOP/s / HBM B/s x dtype bytes / 2; H100 SXM ~ 260).")
        .default_to("256");
    return s;
  }

  Capacity place(const PlacementRequest& /*req*/) override {
    Bytes hbm = cfg_.get_size("hbm_capacity");
    if (hbm.count() == 0) hbm = exec_.capacity(gpu_);
    if (hbm.count() == 0) {
      throw config::ConfigError(cfg_.at("hbm_capacity").origin(),
                                fmt::format("gpu_only: component '{}' reports no memory "
                                            "capacity; set hbm_capacity",
                                            cfg_.get_string("gpu")));
    }
    const double usable = static_cast<double>(hbm.count()) * cfg_.get_double("memory_utilization");
    const double weights = model_.total_weight_bytes().as_double();
    const double reserve = cfg_.get_size("activation_reserve").as_double();
    const double left = usable - weights - reserve;
    const double per_token = model_.kv_bytes_per_token().as_double();
    const double tokens = left / per_token;
    if (tokens < static_cast<double>(block_)) {
      throw OutOfMemory(fmt::format(
          "gpu_only: {} needs {:.2f} GB of weights + {:.2f} GB activation reserve; {:.2f} GB "
          "usable HBM leaves no room for one KV block of {} tokens ({:.1f} KB/token)",
          model_.name, weights / 1e9, reserve / 1e9, usable / 1e9, block_, per_token / 1e3));
    }
    const auto blocks = static_cast<std::uint64_t>(tokens) / block_;
    return {blocks * block_, 0};
  }

  Time preempt(const scheduler::Preemption& p, Time at) override {
    if (!p.swap) return at;  // recompute: the KV is dropped
    if (!have_host_) {
      throw config::ConfigError(cfg_.at("host").origin(),
                                "gpu_only: the scheduler swaps KV out but no `host` memory "
                                "component is set");
    }
    const Bytes b(p.kv_tokens * model_.kv_bytes_per_token().count());
    swapped_[p.request] = p.kv_tokens;
    swapped_out_.add(b.count());
    return exec_.write(gpu_, host_, host_address(p.request), b, at);
  }

  StepResult run_step(const scheduler::Step& step, const StepWork& work, Time start) override {
    StepResult r;
    Time t = start;
    // Swap-ins first: the forward pass needs the KV on the GPU.
    for (const auto& e : step.entries) {
      auto it = swapped_.find(e.request);
      if (it == swapped_.end()) continue;
      const Bytes b(it->second * model_.kv_bytes_per_token().count());
      swapped_in_.add(b.count());
      t = std::max(t, exec_.read(gpu_, host_, host_address(e.request), b, start));
      swapped_.erase(it);
    }
    r.breakdown.other = t - start;
    for (const auto& l : work.layers) {
      run(l.qkv, false, t, r.breakdown);
      run(l.prefill_attention, true, t, r.breakdown);
      run(l.decode_attention, true, t, r.breakdown);
      run(l.out_proj, false, t, r.breakdown);
      run(l.ffn_up, false, t, r.breakdown);
      run(l.ffn_down, false, t, r.breakdown);
    }
    run(work.lm_head, false, t, r.breakdown);
    r.end = t;
    return r;
  }

 private:
  void run(const ComputeWork& w, bool attention, Time& t, StepBreakdown& b) {
    if (w.op.kind == OpKind::kGeneric && w.flops == 0) return;
    kernels_.add();
    const Time end = exec_.compute(gpu_, w.op, w.flops, w.bytes, t);
    const Time d = end - t;
    if (attention) {
      b.kv_io += d;
    } else if (std::max(w.op.m, w.op.batch) < ridge_) {
      b.weight_io += d;
    } else {
      b.compute += d;
    }
    t = end;
  }

  // Each swapped sequence gets its own region of the host memory (max context x KV per token),
  // wrapping within the host's capacity.
  std::uint64_t host_address(std::uint64_t request) const {
    const std::uint64_t region =
        std::uint64_t{std::max(model_.max_context, 1U)} * model_.kv_bytes_per_token().count();
    const std::uint64_t cap = exec_.capacity(host_).count();
    const std::uint64_t slots = cap > region ? cap / region : 1;
    return (request % slots) * region;
  }

  const config::Node& cfg_;
  const workload::ModelSpec& model_;
  Executor& exec_;
  ComponentId gpu_;
  ComponentId host_ = 0;
  bool have_host_ = false;
  std::uint64_t block_;
  std::uint64_t ridge_;
  std::map<std::uint64_t, std::uint64_t> swapped_;  // request -> KV tokens on the host
  stats::Counter& swapped_out_;
  stats::Counter& swapped_in_;
  stats::Counter& kernels_;
};

}  // namespace

TIERSIM_REGISTER_POLICY("gpu_only", GpuOnly,
                        "Weights and paged KV in GPU HBM (vLLM); swap to host or recompute.");

}  // namespace tiersim::policies
