// instinfer: decode attention inside computational storage drives (InstInfer / InstAttention,
// Pan et al., arXiv 2409.04992, HPCA 2025).
//
// Follows the paper's system design (§4 "InstInfer design", §5 "SparF"):
//  - Split (§4.1): the GPU holds all weights and runs prefill (all of it), the QKV/O projections
//    and the FFN of every decode step; decode attention and the whole KV cache live in the CSDs.
//  - Prefill KV (§4.3): each layer's K and V are written GPU -> CSD by peer-to-peer DMA as soon as
//    the layer's QKV projection is done, overlapping the later layers' compute; the step ends
//    when the GPU is done and the last write is acknowledged (programmed in flash).
//  - Decode (§4.2): per layer, the CSD DMA-reads the new q, k, v from GPU memory (P2P), its
//    engine runs attention over the layer's KV pages (csd_op `attention`: one kDecodeAttention
//    transaction per CSD; `gemv`: the KV read + GEMV transaction of the csd contract before the
//    attention operator existed), and writes the attention output back into GPU memory; the GPU
//    then runs the out projection and FFN. Layers run one after another (a decode step has no
//    independent work to overlap).
//  - KV layout (§4.3): token-indexed K and V, `kv_page` per head (16 tokens x 128 dims x fp16 =
//    4 KiB); the decode k, v are buffered in CSD DRAM and flushed as whole pages: when a
//    sequence's context reaches a page boundary its page of every head is programmed (an internal
//    CSD write, off the critical path, contending with later flash reads).
//  - Multi-CSD (§4.4): heads are partitioned evenly over `csds`; each CSD gets 1/n of every
//    layer's KV and attention work, and the layer waits for the slowest.
//  - SparF (§5, variant `sparf`): top-r channels of q, approximate scores, top-k tokens
//    (k = compression x context), then only those tokens' K and V. With csd_op `attention` the
//    CSD model runs all of it from the operator's shape (op.k = k: channel-indexed K copy scan,
//    page-level skip, in-controller filter; models/csd/csd.h). With csd_op `gemv` the policy
//    issues two engine reads: compression x K bytes of the channel-indexed copy, then
//    1 - page_skip_share x (1 - compression) of K and V (the pages holding selected tokens).
//    The channel-indexed K copy makes K writes 1.5x (prefill and flushes).
//
// Simplifications (docs/policies.md):
//  - KV addresses: each CSD holds two regions per layer (token-indexed K/V, channel-indexed K);
//    a batch's KV of a layer is read as one contiguous range from the region start (the drive
//    stripes pages over all channels, so placement inside the region does not change timing).
//  - The q/k/v DMA and result write-back are sized from the model (dtype x hidden per token);
//    engine DRAM staging of the decode k/v is not timed separately.
//  - SparF page skipping is a share (the CSD's, or `page_skip_share` in gemv mode), not a
//    token-selection model.
//  - No overlap of two sub-batches (the paper's §4.2 uses one batch per step as well).
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "sim/config/config_error.h"
#include "sim/policies/policy.h"

namespace tiersim::policies {
namespace {

using config::Type;

enum class Variant { kDense, kSparf };
enum class CsdOp { kAttention, kGemv };

class InstInfer : public Policy {
 public:
  explicit InstInfer(const PolicyContext& c)
      : ctx_(c),
        plan_output_(static_cast<std::uint32_t>(c.config.get_uint("plan_output_tokens"))),
        model_(c.model),
        variant_(c.config.get_string("variant") == "sparf" ? Variant::kSparf : Variant::kDense),
        csd_op_(c.config.get_string("csd_op") == "gemv" ? CsdOp::kGemv : CsdOp::kAttention),
        kv_page_(c.config.get_size("kv_page")),
        compression_(c.config.get_double("compression")),
        page_skip_share_(c.config.get_double("page_skip_share")),
        gpu_reserve_(c.config.get_size("gpu_reserve")),
        gpu_(c.exec.id(c.config.get_string("gpu"), c.config.at("gpu").origin())),
        gpu_mem_(c.exec.id(c.config.get_string("gpu_memory"), c.config.at("gpu_memory").origin())),
        attention_ops_(c.stats.counter("csd_attention_ops", "Attention operations run in CSDs")),
        kv_attended_(
            c.stats.counter("kv_attended_bytes", "KV bytes the CSD attention covers (dense size)")),
        kv_flash_read_(c.stats.counter(
            "kv_flash_read_bytes", "csd_op gemv: KV bytes the policy asks the engines to read")),
        kv_p2p_written_(
            c.stats.counter("kv_p2p_write_bytes", "Prefill KV written GPU -> CSD by P2P DMA")),
        kv_flushed_(
            c.stats.counter("kv_flush_bytes", "Decode KV pages flushed from CSD DRAM to flash")) {
    for (const config::Node& n : c.config.at("csds").items()) {
      csds_.push_back(c.exec.id(n.as_string(), n.origin()));
    }
    stage_.resize(csds_.size());
    if (csds_.empty()) {
      throw config::ConfigError(c.config.at("csds").origin(), "instinfer needs at least one CSD");
    }
    if (model_.heads % csds_.size() != 0 || model_.kv_heads % csds_.size() != 0) {
      throw config::ConfigError(
          c.config.at("csds").origin(),
          "instinfer partitions heads evenly over CSDs: " + std::to_string(model_.kv_heads) +
              " KV heads over " + std::to_string(csds_.size()) + " CSDs do not divide");
    }
    const std::uint64_t per_token_page =
        std::uint64_t{model_.head_dim} * model_.dtype_bytes;  // one token of one head
    tokens_per_page_ = std::max<std::uint64_t>(1, kv_page_.count() / per_token_page);
  }

  static config::SchemaPtr schema() {
    auto s = std::make_shared<config::Schema>("instinfer");
    s->add("type", Type::kString, "Policy type.").require();
    s->add("plan_output_tokens", Type::kUInt,
           "Output tokens per sequence that placement plans for (OOM, swap, regions); 0: the "
           "run's own. Reduced-length runs set the full length so placement matches it.")
        .default_to("0");
    s->add("variant", Type::kString, "dense (InstA) or sparf (InstA-SparF, §5).")
        .one_of({"dense", "sparf"})
        .default_to("dense");
    s->add("gpu", Type::kString, "GPU compute component (prefill, projections, FFN).")
        .default_to("gpu");
    s->add("gpu_memory", Type::kString, "GPU memory component (weights; P2P DMA endpoint).")
        .default_to("gpu_mem");
    s->add("csds", Type::kList, "CSD components holding the KV cache; heads are split evenly.")
        .items(Type::kString)
        .require();
    s->add("csd_op", Type::kString,
           "attention: one kDecodeAttention transaction per CSD and layer; gemv: the KV read + "
           "GEMV transaction (csd contract without the attention operator).")
        .one_of({"attention", "gemv"})
        .default_to("attention");
    s->add("kv_page", Type::kSize,
           "KV page per head (InstInfer §4.3: 16 tokens x 128 dims x fp16 = 4 KiB).")
        .default_to("4 KiB");
    s->add("compression", Type::kFloat,
           "SparF: r / head_dim and k / context (InstInfer §5 default 1/8).")
        .default_to("0.125")
        .at_least(0.0)
        .at_most(1.0);
    s->add("page_skip_share", Type::kFloat,
           "SparF with csd_op gemv: share of the token sparsity that page-level skipping saves in "
           "flash reads (InstInfer §5: about half; the in-controller filter removes the rest "
           "before the engine). With csd_op attention the CSD model decides.")
        .default_to("0.5")
        .at_least(0.0)
        .at_most(1.0);
    s->add("gpu_reserve", Type::kSize,
           "GPU memory not available to the model (CUDA context, allocator slack).")
        .default_to("1 GiB");
    return s;
  }

  Capacity place(const PlacementRequest& run_req) override {
    PlacementRequest req = run_req;
    if (plan_output_ != 0) req.output_tokens = plan_output_;
    // GPU: all weights plus the prefill working set of the largest layer's activations
    // (hidden states and the FFN intermediate of every prompt token of the batch).
    const Bytes gpu_cap = ctx_.exec.capacity(gpu_mem_);
    const std::uint64_t tokens = std::uint64_t{req.batch} * req.prompt_tokens;
    const Bytes act(tokens * (2ULL * model_.hidden + model_.intermediate) * model_.dtype_bytes);
    const Bytes need = model_.total_weight_bytes() + act + gpu_reserve_;
    if (gpu_cap.count() != 0 && need > gpu_cap) {
      throw OutOfMemory("instinfer: weights + prefill activations need " +
                        std::to_string(need.count()) + " B of GPU memory, " +
                        std::to_string(gpu_cap.count()) + " B available");
    }
    // CSDs: per layer, two regions (token-indexed K/V and channel-indexed K) on each CSD.
    const std::uint64_t n = csds_.size();
    const Bytes per_token_layer = model_.kv_bytes_per_token_per_layer();
    const Bytes per_csd_token_layer(per_token_layer.count() / n);
    Bytes cap = Bytes(0);
    for (const auto c : csds_) {
      const Bytes cc = ctx_.exec.capacity(c);
      cap = (cap.count() == 0 || cc < cap) ? cc : cap;
    }
    region_ = Bytes(cap.count() / (2ULL * model_.layers) / kv_page_.count() * kv_page_.count());
    const std::uint64_t kv_tokens =
        per_csd_token_layer.count() == 0 ? 0 : region_.count() / per_csd_token_layer.count();
    const std::uint64_t want =
        std::uint64_t{req.batch} * (std::uint64_t{req.prompt_tokens} + req.output_tokens);
    if (region_.count() != 0 && want > kv_tokens) {
      throw OutOfMemory("instinfer: KV of " + std::to_string(want) + " tokens exceeds the " +
                        std::to_string(kv_tokens) + " tokens the CSDs hold");
    }
    write_cursor_.assign(model_.layers, 0);
    return Capacity{kv_tokens, 0};
  }

  StepResult run_step(const scheduler::Step& step, const StepWork& work, Time start) override {
    const std::uint64_t n = csds_.size();
    const std::uint64_t elem = model_.dtype_bytes;
    const std::uint64_t kv_dim = std::uint64_t{model_.kv_heads} * model_.head_dim;
    const Bytes kv_token_layer = model_.kv_bytes_per_token_per_layer();
    std::uint64_t prefill_tokens = 0;
    std::uint64_t decode_seqs = 0;
    std::uint64_t flush_tokens = 0;  // decode tokens completing a KV page (per layer)
    for (const auto& e : step.entries) {
      if (e.phase == scheduler::Phase::kPrefill) {
        prefill_tokens += e.tokens;
      } else {
        ++decode_seqs;
        if ((e.context + 1) % tokens_per_page_ == 0) flush_tokens += tokens_per_page_;
      }
    }
    StepBreakdown bd;
    Time t = start;
    Time writes_done = start;
    for (const LayerWork& lw : work.layers) {
      const Time layer_start = t;
      Time gpu_time;
      Time g = ctx_.exec.compute(gpu_, lw.qkv.op, lw.qkv.flops, lw.qkv.bytes, t);
      gpu_time += g - t;
      Time attn_ready = g;
      if (prefill_tokens > 0) {
        // Layer-wise P2P write of the prompt's K and V, overlapping later layers.
        const Bytes kv(prefill_tokens * kv_token_layer.count());
        writes_done = max(writes_done, write_prefill_kv(lw.layer, kv, g));
        const Time p = ctx_.exec.compute(gpu_, lw.prefill_attention.op, lw.prefill_attention.flops,
                                         lw.prefill_attention.bytes, g);
        gpu_time += p - g;
        attn_ready = p;
      }
      Time csd_time;
      if (decode_seqs > 0) {
        const Time a0 = g;
        Time att_end = g;
        // Issued in hardware order over all CSDs: q/k/v DMA, attention, output write-back.
        const Bytes qkv(decode_seqs * (model_.hidden + 2 * kv_dim) * elem / n);
        const Bytes out(decode_seqs * model_.hidden * elem / n);
        for (std::uint64_t i = 0; i < n; ++i) {
          // The CSD DMA-reads q, k, v of its heads from GPU memory.
          stage_[i] = ctx_.exec.read(csds_[i], gpu_mem_, 0, qkv, a0);
        }
        for (std::uint64_t i = 0; i < n; ++i) stage_[i] = attend(i, lw, decode_seqs, stage_[i]);
        if (flush_tokens > 0) {
          for (std::uint64_t i = 0; i < n; ++i) {
            flush(i, lw.layer, Bytes(flush_tokens * kv_token_layer.count() / n), stage_[i]);
          }
        }
        for (std::uint64_t i = 0; i < n; ++i) {
          att_end = max(att_end, ctx_.exec.write(csds_[i], gpu_mem_, 0, out, stage_[i]));
        }
        csd_time = att_end - a0;
        attn_ready = max(attn_ready, att_end);
      }
      Time u =
          ctx_.exec.compute(gpu_, lw.out_proj.op, lw.out_proj.flops, lw.out_proj.bytes, attn_ready);
      const Time u0 = attn_ready;
      u = ctx_.exec.compute(gpu_, lw.ffn_up.op, lw.ffn_up.flops, lw.ffn_up.bytes, u);
      u = ctx_.exec.compute(gpu_, lw.ffn_down.op, lw.ffn_down.flops, lw.ffn_down.bytes, u);
      gpu_time += u - u0;
      bd.compute += gpu_time;
      bd.kv_io += csd_time;
      (void)layer_start;
      t = u;
    }
    if (work.lm_head.flops > 0) {
      const Time l =
          ctx_.exec.compute(gpu_, work.lm_head.op, work.lm_head.flops, work.lm_head.bytes, t);
      bd.compute += l - t;
      t = l;
    }
    if (writes_done > t) {
      bd.kv_io += writes_done - t;
      t = writes_done;
    }
    const Time total = t - start;
    const Time known = bd.compute + bd.kv_io;
    bd.other = total > known ? total - known : Time::zero();
    if (known > total) bd.compute = total - bd.kv_io;  // never more than the step
    return StepResult{t, bd};
  }

 private:
  [[nodiscard]] std::uint64_t kv_address(std::uint32_t layer) const {
    return 2ULL * layer * region_.count();
  }
  [[nodiscard]] std::uint64_t channel_k_address(std::uint32_t layer) const {
    return (2ULL * layer + 1) * region_.count();
  }
  [[nodiscard]] Bytes clamp_region(Bytes b) const {
    return region_.count() != 0 && b > region_ ? region_ : b;
  }

  Time write_prefill_kv(std::uint32_t layer, Bytes kv, Time at) {
    const std::uint64_t n = csds_.size();
    Time done = at;
    const Bytes part = clamp_region(Bytes(kv.count() / n));
    for (std::uint64_t i = 0; i < n; ++i) {
      const std::uint64_t off = region_.count() == 0 ? 0 : write_cursor_[layer] % region_.count();
      done = max(done, ctx_.exec.write(gpu_mem_, csds_[i], kv_address(layer) + off, part, at));
      if (variant_ == Variant::kSparf) {
        // Channel-indexed copy of K (half of the K/V bytes).
        done = max(done, ctx_.exec.write(gpu_mem_, csds_[i], channel_k_address(layer) + off / 2,
                                         Bytes(part.count() / 2), at));
      }
    }
    write_cursor_[layer] += part.count();
    kv_p2p_written_.add(kv.count() * (variant_ == Variant::kSparf ? 3 : 2) / 2);
    return done;
  }

  void flush(std::uint64_t i, std::uint32_t layer, Bytes bytes, Time at) {
    const std::uint64_t off = region_.count() == 0 ? 0 : write_cursor_[layer] % region_.count();
    (void)ctx_.exec.write(csds_[i], csds_[i], kv_address(layer) + off, clamp_region(bytes), at);
    Bytes total = bytes;
    if (variant_ == Variant::kSparf) {
      (void)ctx_.exec.write(csds_[i], csds_[i], channel_k_address(layer) + off / 2,
                            Bytes(bytes.count() / 2), at);
      total += Bytes(bytes.count() / 2);
    }
    if (i + 1 == csds_.size()) write_cursor_[layer] += bytes.count();
    kv_flushed_.add(total.count());
  }

  // Decode attention of CSD i over its heads' share of the layer's KV; returns its end.
  Time attend(std::uint64_t i, const LayerWork& lw, std::uint64_t seqs, Time at) {
    const std::uint64_t n = csds_.size();
    const ComputeWork& w = lw.decode_attention;
    kernel::OpShape op = w.op;
    op.q_heads = std::max<std::uint32_t>(1, op.q_heads / static_cast<std::uint32_t>(n));
    op.kv_heads = std::max<std::uint32_t>(1, op.kv_heads / static_cast<std::uint32_t>(n));
    const Bytes kv = clamp_region(Bytes(lw.kv_read.count() / n));
    attention_ops_.add();
    kv_attended_.add(kv.count());
    const std::uint64_t ctx_tokens = op.context;
    const std::uint64_t k_tokens = std::max<std::uint64_t>(
        1, static_cast<std::uint64_t>(std::ceil(compression_ * static_cast<double>(ctx_tokens))));
    if (csd_op_ == CsdOp::kAttention) {
      // The CSD times the whole operator from its shape and its KV layout (models/csd/csd.h):
      // dense, or SparF's channel scan + page skip + in-controller filter when op.k > 0.
      // `bytes` is the attention output (the result written back separately, see run_step).
      if (variant_ == Variant::kSparf) op.k = static_cast<std::uint32_t>(k_tokens);
      const Bytes result(seqs * op.q_heads * std::uint64_t{op.head_dim} * model_.dtype_bytes);
      const std::uint64_t flops =
          variant_ == Variant::kSparf
              ? w.flops / n * k_tokens / std::max<std::uint64_t>(1, ctx_tokens)
              : w.flops / n;
      return ctx_.exec.compute(csds_[i], op, flops, result, at, kv_address(lw.layer));
    }
    if (variant_ == Variant::kDense) {
      kv_flash_read_.add(kv.count());
      return ctx_.exec.compute(csds_[i], kernel::OpShape{}, w.flops / n, kv, at,
                               kv_address(lw.layer));
    }
    // SparF step 1: top-r channels of K from the channel-indexed copy, approximate scores.
    const double c = compression_;
    const Bytes k_bytes(kv.count() / 2);
    const Bytes chan(
        static_cast<std::uint64_t>(std::ceil(static_cast<double>(k_bytes.count()) * c)));
    const std::uint64_t r =
        std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::ceil(c * model_.head_dim)));
    const std::uint64_t score_flops = 2ULL * seqs * op.q_heads * ctx_tokens * r;
    const kernel::OpShape scan{};
    const Time s1 =
        ctx_.exec.compute(csds_[i], scan, score_flops, chan, at, channel_k_address(lw.layer));
    // Step 2: pages holding the top-k tokens, filtered in the controller; exact attention on k.
    const double read_share = 1.0 - page_skip_share_ * (1.0 - c);
    const Bytes pages(
        static_cast<std::uint64_t>(std::ceil(static_cast<double>(kv.count()) * read_share)));
    const kernel::OpShape exact{};
    const std::uint64_t exact_flops =
        ctx_tokens == 0 ? 0 : w.flops / n * k_tokens / std::max<std::uint64_t>(1, ctx_tokens);
    kv_flash_read_.add(chan.count() + pages.count());
    return ctx_.exec.compute(csds_[i], exact, exact_flops, pages, s1, kv_address(lw.layer));
  }

  PolicyContext ctx_;
  std::uint32_t plan_output_;
  const workload::ModelSpec& model_;
  Variant variant_;
  CsdOp csd_op_;
  Bytes kv_page_;
  double compression_;
  double page_skip_share_;
  Bytes gpu_reserve_;
  ComponentId gpu_;
  ComponentId gpu_mem_;
  std::vector<ComponentId> csds_;
  std::vector<Time> stage_;  // per-CSD completion of the current stage (no allocation per step)
  std::uint64_t tokens_per_page_ = 16;
  Bytes region_;
  std::vector<std::uint64_t> write_cursor_;
  stats::Counter& attention_ops_;
  stats::Counter& kv_attended_;
  stats::Counter& kv_flash_read_;
  stats::Counter& kv_p2p_written_;
  stats::Counter& kv_flushed_;
};

}  // namespace

TIERSIM_REGISTER_POLICY("instinfer", InstInfer,
                        "InstInfer (HPCA 2025): GPU prefill + projections/FFN, decode attention "
                        "and KV cache in CSDs (variants dense, sparf).");

}  // namespace tiersim::policies
