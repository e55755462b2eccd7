// deepspeed_zero_inference: weights streamed layer by layer from pinned host memory, KV cache in
// host memory, attention on the GPU (DeepSpeed ZeRO-Inference, Aminabadi et al., SC 2022
// "DeepSpeed-Inference", §VI "ZeRO-Inference"; the KV-offload mode of the DeepSpeed
// ZeRO-Inference blog, Sept. 2023), as the InstInfer paper (Pan et al., arXiv 2409.04992, §6.1)
// runs it as a baseline.
//
// Behaviour:
//  - Weights live in pinned host memory; each layer's weights are copied host -> GPU one layer
//    ahead of compute (prefetch of layer l+1 issued when layer l starts: ZeRO-Inference's layer
//    prefetch), so weight loading overlaps compute and a step takes ~max(PCIe, GPU) per layer.
//  - KV cache in host memory: each decode step copies the layer's cached K and V to the GPU
//    (host -> GPU over PCIe) and writes the new token's K and V back (GPU -> host).
//  - Host memory: pinned weights + `kv_copies` x the KV cache at its final length (Hugging Face
//    transformers grows past_key_values with torch.cat, so the old and the new tensor of a layer
//    coexist while it is rebuilt) + `host_reserve` must fit host DRAM. When it does not, the OS
//    swaps KV pages to the SSD. A decode step scans the whole KV in the same order every step; an
//    LRU page cache smaller than that cyclic working set misses on every page (sequential
//    flooding), so all KV the step reads comes back from swap (page faults of `swap_request` =
//    page-cluster x 4 KiB, `swap_depth` in flight) and as many dirty KV pages are written out
//    (`swap_write_request`, `swap_write_depth`) before they are reused. This is the InstInfer
//    paper's 32.6x cliff between batch 16 and 32 on a 96 GB host (Fig. 2).
//  - place() throws OutOfMemory when the weights do not fit host memory or the KV does not fit
//    host memory plus swap (`swap_capacity`).
// Simplifications: the prefill runs on the GPU with the prompt's KV written to host memory (or
// swap) once; no NVMe offload of weights (ZeRO-Inference's NVMe mode is not used by InstInfer's
// baseline); swap-in and swap-out of a layer are serialized with that layer's attention.
#include <algorithm>
#include <string>

#include "sim/config/config_error.h"
#include "sim/policies/offload_io.h"
#include "sim/policies/policy.h"

namespace tiersim::policies {
namespace {

using config::Type;

class DeepSpeedZeroInference : public Policy {
 public:
  explicit DeepSpeedZeroInference(const PolicyContext& c)
      : ctx_(c),
        plan_output_(static_cast<std::uint32_t>(c.config.get_uint("plan_output_tokens"))),
        model_(c.model),
        kv_copies_(c.config.get_double("kv_copies")),
        host_reserve_(c.config.get_size("host_reserve")),
        gpu_reserve_(c.config.get_size("gpu_reserve")),
        swap_capacity_(c.config.get_size("swap_capacity")),
        swap_req_(c.config.get_size("swap_request")),
        swap_depth_(static_cast<std::uint32_t>(c.config.get_uint("swap_depth"))),
        swap_wreq_(c.config.get_size("swap_write_request")),
        swap_wdepth_(static_cast<std::uint32_t>(c.config.get_uint("swap_write_depth"))),
        gpu_(id("gpu")),
        gpu_mem_(id("gpu_memory")),
        host_mem_(id("host_memory")),
        disk_(id("disk")),
        swapped_in_(c.stats.counter("swap_in_bytes", "KV bytes paged in from swap")),
        swapped_out_(c.stats.counter("swap_out_bytes", "KV bytes paged out to swap")),
        h2d_(c.stats.counter("h2d_bytes", "Host -> GPU bytes (weights, KV)")) {}

  static config::SchemaPtr schema() {
    auto s = std::make_shared<config::Schema>("deepspeed_zero_inference");
    s->add("type", Type::kString, "Policy type.").require();
    s->add("plan_output_tokens", Type::kUInt,
           "Output tokens per sequence that placement plans for (OOM, swap, regions); 0: the "
           "run's own. Reduced-length runs set the full length so placement matches it.")
        .default_to("0");
    s->add("kv_copies", Type::kFloat,
           "Host copies of the KV cache at peak (2: torch.cat keeps old and new tensors).")
        .default_to("2")
        .at_least(1.0);
    s->add("host_reserve", Type::kSize, "Host memory not available (OS, Python, framework).")
        .default_to("8 GiB");
    s->add("gpu_reserve", Type::kSize, "GPU memory not available (CUDA context, allocator).")
        .default_to("1 GiB");
    s->add("swap_capacity", Type::kSize, "Swap space on the disk.").default_to("256 GiB");
    s->add("swap_request", Type::kSize,
           "Swap-in read per fault (Linux vm.page-cluster 3: 8 x 4 KiB pages).")
        .default_to("32 KiB");
    s->add("swap_depth", Type::kUInt, "Swap-in reads in flight (one faulting thread).")
        .default_to("1")
        .at_least(1)
        .at_most(kMaxDepth);
    s->add("swap_write_request", Type::kSize, "Swap-out write request (kswapd batches).")
        .default_to("256 KiB");
    s->add("swap_write_depth", Type::kUInt, "Swap-out writes in flight.")
        .default_to("4")
        .at_least(1)
        .at_most(kMaxDepth);
    s->add("gpu", Type::kString, "GPU compute component.").default_to("gpu");
    s->add("gpu_memory", Type::kString, "GPU memory component.").default_to("gpu_mem");
    s->add("host_memory", Type::kString, "Host DRAM component.").default_to("host_mem");
    s->add("disk", Type::kString, "Swap disk (ssd) component.").default_to("ssd");
    return s;
  }

  Capacity place(const PlacementRequest& run_req) override {
    PlacementRequest req = run_req;
    if (plan_output_ != 0) req.output_tokens = plan_output_;
    const std::uint64_t ctx_max = std::uint64_t{req.prompt_tokens} + req.output_tokens;
    const Bytes weights = model_.total_weight_bytes();
    const Bytes kv(std::uint64_t{req.batch} * ctx_max * model_.kv_bytes_per_token().count());
    const Bytes host = ctx_.exec.capacity(host_mem_);
    const Bytes fixed = weights + host_reserve_;
    if (host.count() != 0 && fixed > host) {
      throw OutOfMemory("deepspeed_zero_inference: pinned weights need " +
                        std::to_string(fixed.count()) + " B of host memory, " +
                        std::to_string(host.count()) + " B available");
    }
    const Bytes kv_peak(static_cast<std::uint64_t>(kv.as_double() * kv_copies_));
    swapping_ = host.count() != 0 && fixed + kv_peak > host;
    if (swapping_ && fixed + kv_peak > host + swap_capacity_) {
      throw OutOfMemory("deepspeed_zero_inference: KV exceeds host memory plus swap");
    }
    // GPU: two layers of weights (current + prefetch), one layer's KV and the prefill working
    // set of the batch.
    Bytes max_layer(0);
    for (std::uint32_t l = 0; l < model_.layers; ++l) {
      max_layer = std::max(max_layer, model_.layer_weight_bytes(l));
    }
    const std::uint64_t elem = model_.dtype_bytes;
    const std::uint64_t p = req.prompt_tokens;
    const Bytes layer_kv(std::uint64_t{req.batch} * ctx_max *
                         model_.kv_bytes_per_token_per_layer().count());
    const Bytes acts(std::uint64_t{req.batch} * p * (2ULL * model_.hidden + model_.intermediate) *
                     elem);
    const Bytes gpu_need = Bytes(2 * max_layer.count()) + layer_kv + acts + gpu_reserve_ +
                           model_.bytes(model_.embedding_params());
    const Bytes gpu_cap = ctx_.exec.capacity(gpu_mem_);
    if (gpu_cap.count() != 0 && gpu_need > gpu_cap) {
      throw OutOfMemory("deepspeed_zero_inference: GPU working set needs " +
                        std::to_string(gpu_need.count()) + " B, " +
                        std::to_string(gpu_cap.count()) + " B available");
    }
    const std::uint64_t per_token = model_.kv_bytes_per_token().count();
    return Capacity{per_token == 0 ? 0 : std::uint64_t{req.batch} * ctx_max, 0};
  }

  StepResult run_step(const scheduler::Step& step, const StepWork& work, Time start) override {
    (void)step;
    StepBreakdown bd;
    Time t = start;
    // Weights of layer 0 (the prefetch of later layers overlaps the previous layer).
    Time w_next = load_weights(work.layers.empty() ? nullptr : &work.layers[0], t);
    for (std::size_t i = 0; i < work.layers.size(); ++i) {
      const LayerWork& lw = work.layers[i];
      const Time w_ready = w_next;
      if (w_ready > t) {
        bd.weight_io += w_ready - t;
        t = w_ready;
      }
      // Prefetch the next layer's weights while this one computes.
      w_next = i + 1 < work.layers.size() ? load_weights(&work.layers[i + 1], t) : t;
      Time c = ctx_.exec.compute(gpu_, lw.qkv.op, lw.qkv.flops, lw.qkv.bytes, t);
      bd.compute += c - t;
      if (lw.prefill_attention.op.kind != kernel::OpKind::kGeneric) {
        const Time p = ctx_.exec.compute(gpu_, lw.prefill_attention.op, lw.prefill_attention.flops,
                                         lw.prefill_attention.bytes, c);
        bd.compute += p - c;
        c = p;
      }
      if (lw.decode_attention.op.kind != kernel::OpKind::kGeneric && lw.kv_read.count() > 0) {
        // The layer's KV: from swap when thrashing, then host -> GPU.
        Time k = c;
        if (swapping_) {
          k = issue_chunked(
              lw.kv_read, swap_req_, swap_depth_, k, [&](std::uint64_t off, Bytes b, Time at) {
                return ctx_.exec.read(host_mem_, disk_, swap_base(lw.layer) + off, b, at);
              });
          swapped_in_.add(lw.kv_read.count());
        }
        k = ctx_.exec.read(gpu_mem_, host_mem_, 0, lw.kv_read, k);
        h2d_.add(lw.kv_read.count());
        if (swapping_) {
          // Evict as many dirty pages to make room for the next layer's KV.
          k = issue_chunked(
              lw.kv_read, swap_wreq_, swap_wdepth_, k, [&](std::uint64_t off, Bytes b, Time at) {
                return ctx_.exec.write(host_mem_, disk_, swap_base(lw.layer) + off, b, at);
              });
          swapped_out_.add(lw.kv_read.count());
        }
        bd.kv_io += k - c;
        const Time a = ctx_.exec.compute(gpu_, lw.decode_attention.op, lw.decode_attention.flops,
                                         lw.decode_attention.bytes, k);
        bd.compute += a - k;
        c = a;
      }
      if (lw.kv_write.count() > 0) {
        const Time s = ctx_.exec.write(gpu_mem_, host_mem_, 0, lw.kv_write, c);
        bd.kv_io += s - c;
        c = s;
      }
      Time u = c;
      for (const ComputeWork* w : {&lw.out_proj, &lw.ffn_up, &lw.ffn_down}) {
        u = ctx_.exec.compute(gpu_, w->op, w->flops, w->bytes, u);
      }
      bd.compute += u - c;
      t = u;
    }
    if (work.lm_head.flops > 0) {
      const Time l =
          ctx_.exec.compute(gpu_, work.lm_head.op, work.lm_head.flops, work.lm_head.bytes, t);
      bd.compute += l - t;
      t = l;
    }
    return close_step(bd, start, t);
  }

 private:
  ComponentId id(const char* key) const { return component_at(ctx_, key); }
  [[nodiscard]] std::uint64_t swap_base(std::uint32_t layer) const {
    return std::uint64_t{layer} * (swap_capacity_.count() / std::max(1U, model_.layers));
  }
  Time load_weights(const LayerWork* lw, Time at) {
    if (lw == nullptr) return at;
    const Bytes b = lw->attention_weights + lw->ffn_weights;
    h2d_.add(b.count());
    return ctx_.exec.read(gpu_mem_, host_mem_, 0, b, at);
  }

  PolicyContext ctx_;
  std::uint32_t plan_output_;
  const workload::ModelSpec& model_;
  double kv_copies_;
  Bytes host_reserve_;
  Bytes gpu_reserve_;
  Bytes swap_capacity_;
  Bytes swap_req_;
  std::uint32_t swap_depth_;
  Bytes swap_wreq_;
  std::uint32_t swap_wdepth_;
  ComponentId gpu_, gpu_mem_, host_mem_, disk_;
  bool swapping_ = false;
  stats::Counter& swapped_in_;
  stats::Counter& swapped_out_;
  stats::Counter& h2d_;
};

}  // namespace

TIERSIM_REGISTER_POLICY("deepspeed_zero_inference", DeepSpeedZeroInference,
                        "DeepSpeed ZeRO-Inference: weights streamed from pinned host memory, KV "
                        "in host memory (OS swap to SSD when it overflows).");

}  // namespace tiersim::policies
