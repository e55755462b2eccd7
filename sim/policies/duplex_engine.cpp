#include "sim/policies/duplex_engine.h"

#include <algorithm>

#include <fmt/format.h>

namespace tiersim::policies::duplex {

using config::Type;
using kernel::OpKind;
using kernel::OpShape;

namespace {

std::uint64_t ceil_div(std::uint64_t a, std::uint64_t b) {
  return b == 0 ? 0 : (a + b - 1) / b;
}

std::uint32_t u32(std::uint64_t v) {
  return static_cast<std::uint32_t>(std::min<std::uint64_t>(v, 0xffffffffULL));
}

std::uint64_t align_up(std::uint64_t v, std::uint64_t a) {
  return a <= 1 ? v : ceil_div(v, a) * a;
}

OpShape gemm_shape(std::uint64_t m, std::uint64_t n, std::uint64_t k, std::uint32_t eb) {
  OpShape op;
  op.kind = OpKind::kGemm;
  op.elem_bytes = static_cast<std::uint8_t>(eb);
  op.batch = 1;
  op.m = u32(m);
  op.n = u32(n);
  op.k = u32(k);
  return op;
}

}  // namespace

void add_engine_keys(config::Schema& s, const KeySet& keys) {
  s.add("type", Type::kString, "Policy type.").require();
  s.add("xpu", Type::kString, "The device's xPU (a `gpu` component).").default_to("xpu");
  s.add("memory", Type::kString,
        "A memory component whose capacity is one device's memory (weights + KV).")
      .default_to("hbm");
  s.add("pim_units", Type::kList,
        "PIM components of one device (one per HBM stack); work splits evenly by rows. Empty: "
        "everything on the xPU (the GPU baseline).")
      .items(Type::kString);
  s.add("devices", Type::kUInt,
        "Devices the model is split over (attention tensor parallel; experts expert parallel "
        "or tensor parallel).")
      .default_to("1")
      .at_least(1);
  if (keys.expert_tensor_parallel) {
    s.add("expert_tensor_parallel", Type::kBool,
          "+ET: every device holds 1/devices of every expert instead of whole experts.")
        .default_to("false");
  }
  if (keys.co_processing) {
    s.add("co_processing", Type::kBool,
          "+PE: experts and attention split between xPU and PIM, running at once.")
        .default_to("false");
  }
  if (keys.sub_batches) {
    s.add("sub_batches", Type::kUInt,
          "Sub-batches whose layers interleave so PIM attention overlaps xPU work (NeuPIMs).")
        .default_to("2")
        .at_least(1);
  }
  s.add("offload_attention", Type::kBool, "Decode attention may run on PIM (by Op/B).")
      .default_to("true");
  s.add("offload_moe", Type::kBool, "MoE experts may run on PIM (by Op/B).")
      .default_to(keys.offload_moe_default ? "true" : "false");
  s.add("xpu_flops", Type::kFloat,
        "Planner: the xPU's peak FLOP/s (ranks placements; the components time the work).")
      .require()
      .at_least(1.0);
  s.add("xpu_bandwidth", Type::kBandwidth, "Planner: the xPU's memory bandwidth.").require();
  s.add("pim_flops", Type::kFloat, "Planner: peak FLOP/s of all PIM units of a device.")
      .default_to("0")
      .at_least(0.0);
  s.add("pim_bandwidth", Type::kBandwidth,
        "Planner: internal bandwidth of all PIM units of a device.")
      .default_to("1 B/s");
  s.add("softmax", Type::kString,
        "Where decode attention's softmax runs when attention is on PIM: host (scores read out "
        "and probabilities written back: the pim component's kDecodeAttention) or logic_die "
        "(Logic-PIM: the module keeps the scores; K and V GEMVs issued separately).")
      .default_to("host")
      .one_of({"host", "logic_die"});
  s.add("region_alignment", Type::kSize,
        "Alignment of each expert's and the KV cache's region in a PIM unit (a bank-bundle "
        "region: data a PIM command reads at once).")
      .default_to("1 B");
}

EngineOptions engine_options(const config::Node& cfg) {
  EngineOptions o;
  o.xpu = cfg.get_string("xpu");
  o.memory = cfg.get_string("memory");
  if (const auto* units = cfg.find("pim_units")) {
    for (const auto& u : units->items()) o.pim_units.push_back(u.as_string());
  }
  o.devices = static_cast<std::uint32_t>(cfg.get_uint("devices"));
  o.expert_tensor_parallel = cfg.get_bool_or("expert_tensor_parallel", false);
  o.co_processing = cfg.get_bool_or("co_processing", false);
  o.sub_batches = static_cast<std::uint32_t>(cfg.get_uint_or("sub_batches", 1));
  o.offload_attention = cfg.get_bool("offload_attention");
  o.offload_moe = cfg.get_bool("offload_moe");
  o.rates.xpu_flops = cfg.get_double("xpu_flops");
  o.rates.xpu_bandwidth = cfg.get_bandwidth("xpu_bandwidth").bytes_per_second();
  o.rates.pim_flops = cfg.get_double("pim_flops");
  o.rates.pim_bandwidth = cfg.get_bandwidth("pim_bandwidth").bytes_per_second();
  o.region_alignment = cfg.get_size("region_alignment");
  o.logic_softmax = cfg.get_string("softmax") == "logic_die";
  return o;
}

EnginePolicy::EnginePolicy(const PolicyContext& ctx, EngineOptions opt)
    : model_(ctx.model),
      exec_(ctx.exec),
      opt_(std::move(opt)),
      xpu_(ctx.exec.id(opt_.xpu, ctx.config.at("xpu").origin())),
      memory_(ctx.exec.id(opt_.memory, ctx.config.at("memory").origin())),
      experts_pim_(ctx.stats.counter("experts_on_pim", "Expert runs placed on PIM")),
      experts_xpu_(ctx.stats.counter("experts_on_xpu", "Expert runs placed on the xPU")),
      attn_seqs_pim_(
          ctx.stats.counter("attention_seqs_on_pim", "Decode-attention sequence-layers on PIM")),
      attn_seqs_xpu_(ctx.stats.counter("attention_seqs_on_xpu",
                                       "Decode-attention sequence-layers on the xPU")),
      decode_steps_(ctx.stats.counter("decode_only_steps", "Steps without prefill entries")),
      decode_ps_(ctx.stats.counter("decode_only_ps", "Time in decode-only steps, ps")),
      xpu_moe_busy_(ctx.stats.counter("xpu_moe_busy_ps",
                                      "Decode-only steps: xPU time running MoE experts, ps")),
      xpu_moe_flops_(
          ctx.stats.counter("xpu_moe_flops", "Decode-only steps: MoE FLOPs the xPU ran")),
      xpu_attn_busy_(ctx.stats.counter("xpu_attention_busy_ps",
                                       "Decode-only steps: xPU time running decode attention, ps")),
      xpu_attn_flops_(ctx.stats.counter("xpu_attention_flops",
                                        "Decode-only steps: decode-attention FLOPs the xPU ran")),
      xpu_busy_(ctx.stats.counter("xpu_busy_ps", "xPU busy time (this device), ps")),
      pim_busy_(ctx.stats.counter("pim_busy_ps", "Busiest PIM unit's busy time, ps")) {
  const config::Node* unit_names = ctx.config.find("pim_units");
  for (std::size_t i = 0; i < opt_.pim_units.size(); ++i) {
    pims_.push_back(ctx.exec.id(opt_.pim_units[i], unit_names->items()[i].origin()));
  }
  pim_free_.assign(pims_.size(), Time::zero());
  const std::uint64_t d = opt_.devices;
  q_dev_ = ceil_div(model_.heads, d);
  kv_dev_ = std::max<std::uint64_t>(1, ceil_div(model_.kv_heads, d));
  mats_ = model_.ffn == workload::FfnForm::kGated ? 3 : 2;
  d_ff_dev_ = opt_.expert_tensor_parallel ? ceil_div(model_.intermediate, d) : model_.intermediate;
  // Per PIM unit: every layer's experts of this device, then the KV cache.
  const std::uint64_t units = std::max<std::size_t>(1, pims_.size());
  expert_region_ = align_up(ceil_div(mats_ * model_.hidden * d_ff_dev_ * model_.dtype_bytes, units),
                            opt_.region_alignment.count());
  kv_region_ = expert_region_ * model_.experts * model_.layers;
}

Capacity EnginePolicy::place(const PlacementRequest& req) {
  (void)req;
  const std::uint64_t d = opt_.devices;
  const Bytes mem = exec_.capacity(memory_);
  const std::uint64_t weights = ceil_div(model_.total_weight_bytes().count(), d);
  if (weights >= mem.count()) {
    throw OutOfMemory(
        fmt::format("{}: weights per device ({} B over {} devices) exceed the "
                    "device memory ({} B)",
                    opt_.xpu, weights, d, mem.count()));
  }
  const std::uint64_t kv_tok =
      2ULL * kv_dev_ * model_.head_dim * model_.dtype_bytes * model_.layers;
  return Capacity{(mem.count() - weights) / kv_tok, 0};
}

Time EnginePolicy::xpu(OpShape op, std::uint64_t flops, Bytes bytes, Time at, stats::Counter* busy,
                       stats::Counter* flops_c) {
  const Time start = max(at, xpu_free_);
  const Time done = exec_.compute(xpu_, op, flops, bytes, at);
  xpu_free_ = done;
  xpu_busy_.add(static_cast<std::uint64_t>((done - start).ps()));
  if (busy != nullptr) busy->add(static_cast<std::uint64_t>((done - start).ps()));
  if (flops_c != nullptr) flops_c->add(flops);
  return done;
}

Time EnginePolicy::pim_gemv(std::uint32_t batch, std::uint64_t m, std::uint64_t k,
                            std::uint64_t address, Time at) {
  const std::uint64_t units = pims_.size();
  const std::uint32_t eb = model_.dtype_bytes;
  Time end = at;
  for (std::uint64_t u = 0; u < units; ++u) {
    const std::uint64_t rows = m / units + (u < m % units ? 1 : 0);
    if (rows == 0) continue;
    OpShape op;
    op.kind = OpKind::kGemv;
    op.elem_bytes = static_cast<std::uint8_t>(eb);
    op.batch = batch;
    op.m = u32(rows);
    op.k = u32(k);
    const std::uint64_t flops = 2ULL * batch * rows * k;
    const Bytes bytes((rows * k + std::uint64_t{batch} * (rows + k)) * eb);
    const Time start = max(at, pim_free_[u]);
    const Time done = exec_.compute(pims_[u], op, flops, bytes, at, address);
    pim_free_[u] = done;
    if (u == 0) pim_busy_.add(static_cast<std::uint64_t>((done - start).ps()));
    end = max(end, done);
  }
  return end;
}

double EnginePolicy::attention_flops(std::uint32_t seqs, std::uint64_t context) const {
  return 4.0 * static_cast<double>(q_dev_ * model_.head_dim) * seqs * static_cast<double>(context);
}

double EnginePolicy::attention_bytes(std::uint32_t seqs, std::uint64_t context) const {
  return 2.0 * static_cast<double>(kv_dev_ * model_.head_dim * model_.dtype_bytes) * seqs *
         static_cast<double>(context);
}

Time EnginePolicy::pim_attention(std::uint32_t seqs, std::uint64_t context, Time at) {
  if (seqs == 0) return at;
  if (opt_.logic_softmax) {
    // Softmax on the logic die (Logic-PIM): the scores stay in the module that computed them,
    // so the V GEMV's probability vectors are local (one input set per module, no host round
    // trip): K (pairs x context rows of head_dim) then V (pairs x head_dim rows of context),
    // `group` query vectors each, rows split over the units.
    const auto group = u32(std::max<std::uint64_t>(1, q_dev_ / kv_dev_));
    const std::uint64_t pairs = std::uint64_t{seqs} * kv_dev_;
    const Time k_done = pim_gemv(group, pairs * context, model_.head_dim, kv_region_, at);
    attn_seqs_pim_.add(seqs);
    return pim_gemv(group, pairs * model_.head_dim, context, kv_region_, k_done);
  }
  // Every (sequence, KV head) pair is an independent GQA attention (its K and V, its group of
  // query vectors): the pairs split evenly over the units, one kDecodeAttention each.
  const auto group = u32(std::max<std::uint64_t>(1, q_dev_ / kv_dev_));
  const std::uint64_t pairs = std::uint64_t{seqs} * kv_dev_;
  const std::uint64_t units = pims_.size();
  const std::uint64_t hd = model_.head_dim;
  const std::uint32_t eb = model_.dtype_bytes;
  Time end = at;
  for (std::uint64_t u = 0; u < units; ++u) {
    const std::uint64_t n = pairs / units + (u < pairs % units ? 1 : 0);
    if (n == 0) continue;
    OpShape op;
    op.kind = OpKind::kDecodeAttention;
    op.elem_bytes = static_cast<std::uint8_t>(eb);
    op.batch = u32(n);
    op.q_heads = group;
    op.kv_heads = 1;
    op.head_dim = u32(hd);
    op.context = context;
    const std::uint64_t flops = 4ULL * n * group * hd * context;
    const Bytes bytes(2ULL * n * context * hd * eb + 2ULL * n * group * hd * eb);
    const Time start = max(at, pim_free_[u]);
    const Time done = exec_.compute(pims_[u], op, flops, bytes, at, kv_region_);
    pim_free_[u] = done;
    if (u == 0) pim_busy_.add(static_cast<std::uint64_t>((done - start).ps()));
    end = max(end, done);
  }
  attn_seqs_pim_.add(seqs);
  return end;
}

Time EnginePolicy::xpu_attention(std::uint32_t seqs, std::uint64_t context, Time at,
                                 bool decode_only) {
  if (seqs == 0) return at;
  OpShape op;
  op.kind = OpKind::kDecodeAttention;
  op.elem_bytes = static_cast<std::uint8_t>(model_.dtype_bytes);
  op.batch = seqs;
  op.q_heads = u32(q_dev_);
  op.kv_heads = u32(kv_dev_);
  op.head_dim = model_.head_dim;
  op.context = context;
  const auto flops = static_cast<std::uint64_t>(attention_flops(seqs, context));
  const Bytes bytes(static_cast<std::uint64_t>(attention_bytes(seqs, context)) +
                    2ULL * seqs * q_dev_ * model_.head_dim * model_.dtype_bytes);
  attn_seqs_xpu_.add(seqs);
  return xpu(op, flops, bytes, at, decode_only ? &xpu_attn_busy_ : nullptr,
             decode_only ? &xpu_attn_flops_ : nullptr);
}

void EnginePolicy::slices_of(const LayerWork& lw, std::uint32_t count,
                             std::vector<Slice>& out) const {
  out.assign(count, Slice{});
  const std::uint64_t tokens = lw.qkv.op.m;
  const std::uint32_t decode =
      lw.decode_attention.op.kind == OpKind::kDecodeAttention ? lw.decode_attention.op.batch : 0;
  const std::uint32_t prefill =
      lw.prefill_attention.op.kind == OpKind::kPrefillAttention ? lw.prefill_attention.op.batch : 0;
  auto share = [count](std::uint64_t v, std::uint32_t i) {
    return v / count + (i < v % count ? 1 : 0);
  };
  for (std::uint32_t i = 0; i < count; ++i) {
    Slice& s = out[i];
    s.tokens = share(tokens, i);
    s.decode = u32(share(decode, i));
    s.context = lw.decode_attention.op.context;
    if (i == 0) {  // prefill entries are not split (a chunk belongs to one sequence)
      s.prefill = prefill;
      s.prefill_m = lw.prefill_attention.op.m;
      s.prefill_context = lw.prefill_attention.op.context;
      s.prefill_flops = lw.prefill_attention.flops;
    }
  }
  if (lw.experts.empty()) return;
  // This device's experts (sharded shapes), then split over the sub-batches.
  const std::uint64_t eb = model_.dtype_bytes;
  const double w_bytes = static_cast<double>(mats_ * model_.hidden * d_ff_dev_ * eb);
  std::vector<ExpertWork> all;
  for (std::size_t j = 0; j < lw.experts.size(); ++j) {
    const std::uint32_t t = lw.expert_tokens[j];
    all.push_back({lw.experts[j], t,
                   2.0 * t * static_cast<double>(mats_ * model_.hidden * d_ff_dev_), w_bytes});
  }
  std::vector<ExpertWork> mine;
  if (opt_.expert_tensor_parallel || opt_.devices <= 1) {
    mine = all;
  } else {
    double f = 0, b = 0;
    for (const auto& e : all) {
      f += e.flops;
      b += e.bytes;
    }
    const bool on_pim = opt_.offload_moe && !pims_.empty() && prefer_pim(opt_.rates, f, b);
    const std::uint32_t d = critical_device(opt_.rates, all, model_.experts, opt_.devices, on_pim);
    const std::uint32_t per = std::max<std::uint32_t>(1, model_.experts / opt_.devices);
    for (const auto& e : all) {
      if (std::min(opt_.devices - 1, e.expert / per) == d) mine.push_back(e);
    }
  }
  for (std::uint32_t i = 0; i < count; ++i) {
    for (const auto& e : mine) {
      const std::uint32_t t = u32(share(e.tokens, i));
      if (t == 0) continue;
      out[i].experts.push_back({e.expert, t, e.flops * t / e.tokens, e.bytes});
    }
  }
}

Time EnginePolicy::qkv(const Slice& s, Time at) {
  const std::uint64_t n = (q_dev_ + 2 * kv_dev_) * model_.head_dim;
  const std::uint32_t eb = model_.dtype_bytes;
  return xpu(gemm_shape(s.tokens, n, model_.hidden, eb), 2 * s.tokens * n * model_.hidden,
             Bytes((s.tokens * model_.hidden + model_.hidden * n + s.tokens * n) * eb), at);
}

Time EnginePolicy::attention(const Slice& s, Time at, bool decode_only) {
  // Prefill attention: always on the xPU (high Op/B).
  Time xpu_end = at;
  if (s.prefill > 0) {
    OpShape op;
    op.kind = OpKind::kPrefillAttention;
    op.elem_bytes = static_cast<std::uint8_t>(model_.dtype_bytes);
    op.batch = s.prefill;
    op.q_heads = u32(q_dev_);
    op.kv_heads = u32(kv_dev_);
    op.head_dim = model_.head_dim;
    op.m = s.prefill_m;
    op.context = s.prefill_context;
    const std::uint64_t flops = s.prefill_flops * q_dev_ / model_.heads;
    const Bytes bytes(
        2ULL * s.prefill * s.prefill_context * kv_dev_ * model_.head_dim * model_.dtype_bytes +
        2ULL * s.prefill * s.prefill_m * q_dev_ * model_.head_dim * model_.dtype_bytes);
    xpu_end = xpu(op, flops, bytes, at);
  }
  if (s.decode == 0) return xpu_end;
  const double f = attention_flops(s.decode, s.context);
  const double b = attention_bytes(s.decode, s.context);
  const bool on_pim = opt_.offload_attention && !pims_.empty() && prefer_pim(opt_.rates, f, b);
  if (!on_pim) return xpu_attention(s.decode, s.context, xpu_end, decode_only);
  if (!opt_.co_processing) return pim_attention(s.decode, s.context, xpu_end);
  // +PE: PIM starts with the layer's attention beside the xPU's prefill attention; in
  // decode-only steps the xPU also takes a share of the decode sequences.
  std::uint32_t on_xpu = 0;
  if (s.prefill == 0) {
    on_xpu = split_sequences(opt_.rates, s.decode, f / s.decode, b / s.decode, 0.0);
  }
  const Time p = pim_attention(s.decode - on_xpu, s.context, at);
  const Time x = xpu_attention(on_xpu, s.context, xpu_end, decode_only);
  return max(p, x);
}

Time EnginePolicy::all_reduce(std::uint64_t tokens, Time at) {
  if (opt_.devices <= 1 || tokens == 0) return at;
  OpShape op;
  op.kind = OpKind::kAllReduce;
  op.elem_bytes = static_cast<std::uint8_t>(model_.dtype_bytes);
  op.batch = opt_.devices;
  op.elements = tokens * model_.hidden;
  const Time start = max(at, xpu_free_);
  const Time done = xpu(op, 0, Bytes(op.elements * op.elem_bytes), at);
  comm_ += done - start;
  return done;
}

std::uint64_t EnginePolicy::expert_address(std::uint32_t expert, std::uint32_t layer) const {
  return (std::uint64_t{layer} * model_.experts + expert) * expert_region_;
}

Time EnginePolicy::moe(const Slice& s, std::uint32_t layer, Time at, bool decode_only) {
  if (s.experts.empty()) return at;
  const std::uint64_t eb = model_.dtype_bytes;
  ExpertSplit split;
  double f = 0, b = 0;
  for (const auto& e : s.experts) {
    f += e.flops;
    b += e.bytes;
  }
  const bool pim_ok = opt_.offload_moe && !pims_.empty();
  if (pim_ok && opt_.co_processing) {
    split = split_experts(opt_.rates, s.experts);
  } else if (pim_ok && prefer_pim(opt_.rates, f, b)) {
    split.pim = s.experts;
  } else {
    split.xpu = s.experts;
  }
  // PIM experts: gate+up GEMV, then down GEMV, each split over the units.
  Time pim_end = at;
  for (const auto& e : split.pim) {
    const std::uint64_t a = expert_address(e.expert, layer);
    const Time up = pim_gemv(e.tokens, (mats_ - 1) * d_ff_dev_, model_.hidden, a, at);
    pim_end = max(pim_end, pim_gemv(e.tokens, model_.hidden, d_ff_dev_, a, up));
  }
  experts_pim_.add(split.pim.size());
  experts_xpu_.add(split.xpu.size());
  // xPU experts: one grouped MoE kernel; without co-processing it waits for the PIM's turn.
  Time xpu_end = at;
  if (!split.xpu.empty()) {
    std::uint64_t assignments = 0;
    for (const auto& e : split.xpu) assignments += e.tokens;
    OpShape op;
    op.kind = OpKind::kMoeFfn;
    op.elem_bytes = static_cast<std::uint8_t>(eb);
    op.batch = u32(assignments);
    op.m = model_.hidden;
    op.n = u32(d_ff_dev_);
    op.k = u32(split.xpu.size());
    const std::uint64_t flops = 2 * assignments * mats_ * model_.hidden * d_ff_dev_;
    const Bytes bytes(split.xpu.size() * mats_ * model_.hidden * d_ff_dev_ * eb +
                      2 * assignments * model_.hidden * eb);
    xpu_end = xpu(op, flops, bytes, opt_.co_processing ? at : pim_end,
                  decode_only ? &xpu_moe_busy_ : nullptr, decode_only ? &xpu_moe_flops_ : nullptr);
  }
  return max(pim_end, xpu_end);
}

Time EnginePolicy::post(const Slice& s, const LayerWork& lw, Time at, bool decode_only) {
  const std::uint32_t eb = model_.dtype_bytes;
  const std::uint64_t q = q_dev_ * model_.head_dim;
  Time t = xpu(gemm_shape(s.tokens, model_.hidden, q, eb), 2 * s.tokens * q * model_.hidden,
               Bytes((s.tokens * q + q * model_.hidden + s.tokens * model_.hidden) * eb), at);
  t = all_reduce(s.tokens, t);
  if (!lw.experts.empty()) {
    t = moe(s, lw.layer, t, decode_only);
  } else if (s.tokens > 0) {
    const std::uint64_t ff = ceil_div(model_.intermediate, opt_.devices);
    const std::uint64_t up_n = (mats_ - 1) * ff;
    t = xpu(gemm_shape(s.tokens, up_n, model_.hidden, eb), 2 * s.tokens * up_n * model_.hidden,
            Bytes((s.tokens * model_.hidden + model_.hidden * up_n + s.tokens * up_n) * eb), t);
    t = xpu(gemm_shape(s.tokens, model_.hidden, ff, eb), 2 * s.tokens * ff * model_.hidden,
            Bytes((s.tokens * ff + ff * model_.hidden + s.tokens * model_.hidden) * eb), t);
  }
  return all_reduce(s.tokens, t);
}

StepResult EnginePolicy::run_step(const scheduler::Step& step, const StepWork& work, Time start) {
  comm_ = Time::zero();
  const bool decode_only = !step.has_prefill();
  // Sub-batches need at least one decode sequence each and no prefill (NeuPIMs interleaves
  // decode sub-batches); otherwise the step runs whole.
  std::uint32_t sb = opt_.sub_batches;
  if (!decode_only || step.entries.size() < sb) sb = 1;
  std::vector<Time> ready(sb, start);
  for (const auto& lw : work.layers) {
    slices_of(lw, sb, slices_);
    for (std::uint32_t i = 0; i < sb; ++i) ready[i] = qkv(slices_[i], ready[i]);
    for (std::uint32_t i = 0; i < sb; ++i) {
      ready[i] = attention(slices_[i], ready[i], decode_only);
    }
    for (std::uint32_t i = 0; i < sb; ++i) ready[i] = post(slices_[i], lw, ready[i], decode_only);
  }
  Time end = start;
  for (const Time t : ready) end = max(end, t);
  if (work.lm_head.op.kind == OpKind::kGemm) {
    const std::uint64_t n = ceil_div(model_.vocab, opt_.devices);
    const std::uint64_t m = work.lm_head.op.m;
    const std::uint32_t eb = model_.dtype_bytes;
    end = xpu(gemm_shape(m, n, model_.hidden, eb), 2 * m * n * model_.hidden,
              Bytes((m * model_.hidden + model_.hidden * n + m * n) * eb), end);
  }
  if (decode_only) {
    decode_steps_.add();
    decode_ps_.add(static_cast<std::uint64_t>((end - start).ps()));
  }
  StepResult r;
  r.end = end;
  r.breakdown.other = std::min(comm_, end - start);
  r.breakdown.compute = end - start - r.breakdown.other;
  return r;
}

}  // namespace tiersim::policies::duplex
