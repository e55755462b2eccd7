#include "sim/workload/generator.h"

#include <map>
#include <vector>

#include <fmt/format.h>

namespace tiersim::workload {

namespace {

constexpr std::uint64_t kActivationSalt = 1;
constexpr std::uint64_t kRoutingSalt = 2;
constexpr std::uint64_t kAttentionSalt = 3;

std::uint32_t u32(std::uint64_t v) {
  return static_cast<std::uint32_t>(std::min<std::uint64_t>(v, 0xFFFFFFFFull));
}

class StepEmitter {
 public:
  StepEmitter(const ModelSpec& m, const GeneratorOptions& o, LogicalTraceWriter& out)
      : m_(m), o_(o), out_(out) {
    sparse_ = o.sparse_ffn && is_relu_family(m.activation) && m.experts == 1;
    if (sparse_) {
      activation_.emplace(o.activation, m.layers, m.intermediate,
                          derive_seed(o.seed, kActivationSalt));
    }
    if (m.experts > 1) {
      routing_.emplace(parse_routing(o.routing, m.experts, m.top_k), m.layers,
                       derive_seed(o.seed, kRoutingSalt));
    }
    if (o.attention) {
      attention_.emplace(*o.attention, m.layers, m.kv_heads, derive_seed(o.seed, kAttentionSalt));
      head_bytes_ = m.bytes(m.head_dim);
    }
  }

  void request(const Request& r) {
    std::uint64_t cached = 0;
    if (attention_) attention_->reset();
    const std::uint64_t decode_steps = r.output_tokens > 0 ? r.output_tokens - 1 : 0;
    for (std::uint64_t s = 0; s <= decode_steps; ++s) {
      const bool prefill = s == 0;
      const std::uint64_t tokens = prefill ? r.prompt_tokens : 1;
      if (!prefill && activation_) activation_->step();
      step(r.id, prefill, tokens, cached);
      cached += tokens;
    }
  }

  [[nodiscard]] std::uint64_t steps() const { return step_; }
  [[nodiscard]] std::uint64_t accesses() const { return accesses_; }

 private:
  void emit(Access a) {
    a.step = step_;
    out_.write_access(a);
    ++accesses_;
  }
  Access base(std::uint64_t request, std::uint16_t layer, AccessKind kind) const {
    Access a;
    a.request = request;
    a.layer = layer;
    a.kind = kind;
    return a;
  }
  void compute(std::uint16_t layer, ComputeOp op, std::uint64_t count, std::uint64_t mm,
               std::uint64_t nn, std::uint64_t kk) {
    Access a = base(kNoRequest, layer, AccessKind::kCompute);
    a.index = static_cast<std::uint32_t>(op);
    a.count = count;
    a.m = u32(mm);
    a.n = u32(nn);
    a.k = u32(kk);
    emit(a);
  }
  void weight(std::uint16_t layer, WeightTensor t, Bytes b) {
    Access a = base(kNoRequest, layer, AccessKind::kWeight);
    a.index = static_cast<std::uint32_t>(t);
    a.bytes = b;
    emit(a);
  }

  void step(std::uint64_t request, bool prefill, std::uint64_t tokens, std::uint64_t cached) {
    Access s = base(request, kNoLayer, AccessKind::kStep);
    s.index = prefill ? 0 : 1;
    s.count = tokens;
    emit(s);
    const std::uint64_t h = m_.hidden;
    const std::uint64_t hd = m_.head_dim;
    const std::uint64_t q = std::uint64_t{m_.heads} * hd;
    const std::uint64_t kvw = std::uint64_t{m_.kv_heads} * hd;
    const std::uint64_t kv_token = m_.kv_bytes_per_token_per_layer().count();
    const std::uint64_t gate = m_.ffn == FfnForm::kGated ? 2 : 1;
    for (std::uint32_t l = 0; l < m_.layers; ++l) {
      const auto layer = static_cast<std::uint16_t>(l);
      Access act = base(kNoRequest, layer, AccessKind::kActivation);
      act.count = tokens * h;
      act.bytes = m_.bytes(tokens * h);
      emit(act);
      weight(layer, WeightTensor::kAttention, m_.bytes(m_.attention_params() + m_.norm_params()));
      compute(layer, ComputeOp::kQkv, 1, tokens, q + 2 * kvw, h);
      Access kw = base(request, layer, AccessKind::kKvWrite);
      kw.count = tokens;
      kw.bytes = Bytes(tokens * kv_token);
      emit(kw);
      std::uint64_t attended = cached;
      if (cached > 0 && attention_ && !prefill) {
        attended = sparse_kv_read(request, layer, cached);
      } else if (cached > 0) {
        Access kr = base(request, layer, AccessKind::kKvRead);
        kr.count = cached;
        kr.bytes = Bytes(cached * kv_token);
        emit(kr);
      }
      compute(layer, ComputeOp::kScores, m_.heads, tokens, attended + tokens, hd);
      compute(layer, ComputeOp::kValues, m_.heads, tokens, hd, attended + tokens);
      compute(layer, ComputeOp::kOutProj, 1, tokens, h, q);
      ffn(layer, prefill, tokens, gate);
    }
    Access emb = base(kNoRequest, kNoLayer, AccessKind::kWeight);
    emb.index = static_cast<std::uint32_t>(WeightTensor::kEmbedding);
    emb.count = tokens;
    emb.bytes = m_.bytes(tokens * h);
    emit(emb);
    weight(kNoLayer, WeightTensor::kLmHead, m_.bytes(std::uint64_t{m_.vocab} * h));
    compute(kNoLayer, ComputeOp::kLmHead, 1, 1, m_.vocab, h);
    ++step_;
  }

  // kv_read and kv_pages of the selected tokens; returns the tokens attended per head.
  std::uint64_t sparse_kv_read(std::uint64_t request, std::uint16_t layer, std::uint64_t cached) {
    const auto n = static_cast<std::uint32_t>(std::min<std::uint64_t>(cached, 0xFFFFFFFFull));
    std::uint64_t pairs = 0;
    std::uint64_t pages = 0;
    for (std::uint32_t h = 0; h < m_.kv_heads; ++h) {
      const auto sel = attention_->select(layer, h, n);
      pairs += sel.size();
      pages += 2 * pages_touched(sel, head_bytes_, o_.page_bytes);  // K and V
    }
    Access kr = base(request, layer, AccessKind::kKvRead);
    kr.index = kKvReadSparse;
    kr.count = pairs;
    kr.bytes = Bytes(pairs * 2 * head_bytes_.count());
    emit(kr);
    Access kp = base(request, layer, AccessKind::kKvPages);
    kp.index = u32(o_.page_bytes.count() / head_bytes_.count());
    kp.count = pages;
    kp.bytes = Bytes(pages * o_.page_bytes.count());
    emit(kp);
    return attention_->selected_count(n);
  }

  void ffn(std::uint16_t layer, bool prefill, std::uint64_t tokens, std::uint64_t gate) {
    const std::uint64_t h = m_.hidden;
    const std::uint64_t f = m_.intermediate;
    if (m_.is_moe_layer(layer)) {
      weight(layer, WeightTensor::kRouter, m_.bytes(m_.router_params(layer)));
      compute(layer, ComputeOp::kRouter, 1, tokens, m_.experts, h);
      std::map<std::uint32_t, std::uint64_t> routed;  // expert -> tokens, ascending id
      for (std::uint64_t t = 0; t < tokens; ++t) {
        for (const std::uint32_t e : routing_->route(layer)) ++routed[e];
      }
      for (const auto& [e, n] : routed) {
        Access a = base(kNoRequest, layer, AccessKind::kExpert);
        a.index = e;
        a.count = n;
        a.bytes = m_.expert_weight_bytes();
        emit(a);
        compute(layer, ComputeOp::kFfnUp, 1, n, gate * f, h);
        compute(layer, ComputeOp::kFfnDown, 1, n, h, f);
      }
      return;
    }
    if (sparse_ && !prefill) {
      const std::uint64_t active = activation_->active(layer).size();
      Access a = base(kNoRequest, layer, AccessKind::kNeurons);
      a.count = active;
      a.bytes = Bytes(active * m_.neuron_bytes().count());
      emit(a);
      compute(layer, ComputeOp::kFfnUp, 1, tokens, gate * active, h);
      compute(layer, ComputeOp::kFfnDown, 1, tokens, h, active);
      return;
    }
    weight(layer, WeightTensor::kFfn, m_.bytes(m_.ffn_params_per_expert()));
    compute(layer, ComputeOp::kFfnUp, 1, tokens, gate * f, h);
    compute(layer, ComputeOp::kFfnDown, 1, tokens, h, f);
  }

  const ModelSpec& m_;
  const GeneratorOptions& o_;
  LogicalTraceWriter& out_;
  bool sparse_ = false;
  std::optional<ActivationModel> activation_;
  std::optional<RoutingModel> routing_;
  std::optional<AttentionModel> attention_;
  Bytes head_bytes_;
  std::uint64_t step_ = 0;
  std::uint64_t accesses_ = 0;
};

}  // namespace

std::string generator_yaml(const GeneratorOptions& o, const ModelSpec& m) {
  std::string y = fmt::format("seed: {}\nschedule: sequential\n", o.seed);
  if (o.sparse_ffn && is_relu_family(m.activation) && m.experts == 1) {
    y += fmt::format(
        "activation: {{model: markov, sparsity: {}, stay: {:.17g}, window: {}, seed_salt: {}}}\n",
        o.activation.sparsity, o.activation.stay, o.activation.window, kActivationSalt);
  }
  if (m.experts > 1)
    y += fmt::format("routing: {{spec: \"{}\", seed_salt: {}}}\n", o.routing, kRoutingSalt);
  if (o.attention) {
    y += fmt::format(
        "attention: {{model: topk-runs, ratio: {:.17g}, recent_share: {:.17g}, run: {:.17g}, "
        "keep: {:.17g}, page_bytes: {}, seed_salt: {}}}\n",
        o.attention->ratio, o.attention->recent_share, o.attention->run, o.attention->keep,
        o.page_bytes.count(), kAttentionSalt);
  }
  return y;
}

GeneratorResult generate_trace(const ModelSpec& model, RequestSource& requests,
                               const GeneratorOptions& options, LogicalTraceWriter& out) {
  std::vector<Request> all;
  Request r;
  while (requests.next(r)) {
    all.push_back(r);
    out.write_request(r);
  }
  StepEmitter emitter(model, options, out);
  for (const Request& req : all) emitter.request(req);
  return GeneratorResult{all.size(), emitter.steps(), emitter.accesses()};
}

}  // namespace tiersim::workload
