// expand_step (step_work.h): the per-layer tensors and compute ops of one batched step.
//
// Conventions beyond the header's contract (docs/policies.md, "Step work"):
//  - attention_weights holds Q, K, V, O (+ biases) and the layer's norms; ffn_weights the dense
//    FFN, or for MoE layers the router plus every expert that received a token; so for a dense
//    layer attention_weights + ffn_weights == ModelSpec::layer_weight_bytes(layer).
//  - MoE routing: each token of the step picks top_k distinct experts uniformly at random from an
//    Rng seeded with derive_seed(seed, step.index) (the same step index gives the same routes).
//    ffn_up is one kMoeFfn op (batch = token-expert assignments, m = hidden, n = intermediate,
//    k = experts touched) covering the whole expert FFN; ffn_down is then absent (kGeneric, 0
//    FLOPs). The router GEMM (hidden x experts) is too small to matter and is not listed.
//  - Sparse FFN (sparse_ffn, a ReLU-family dense layer, and a step without prefill entries):
//    active_neurons = ceil(intermediate x (1 - (1 - share)^decode_tokens)), the expected union of
//    the tokens' independent active sets; ffn_weights = active x neuron_bytes (+ the down bias).
//  - Decode attention: one op for all decode entries; context = ceil(mean attended tokens), where
//    an entry attends context + 1 tokens (its own new token included); FLOPs and bytes are exact
//    sums over the entries (4 x q_heads x head_dim per attended token; K and V read, Q in, O out).
//  - Prefill attention: one op for all prefill entries; m = ceil(mean chunk), context =
//    ceil(mean (context + chunk)); causal FLOPs exact per entry (query i of a chunk over c cached
//    tokens attends c + i + 1 keys).
//  - The LM head runs on the entries that produce a token (decode entries and last prefill chunks).
#include "sim/policies/step_work.h"

#include <algorithm>
#include <cmath>

#include "sim/workload/rng.h"

namespace tiersim::policies {

using kernel::OpKind;
using kernel::OpShape;
using scheduler::Phase;

namespace {

std::uint32_t to_u32(std::uint64_t v) {
  return static_cast<std::uint32_t>(std::min<std::uint64_t>(v, 0xffffffffULL));
}

std::uint64_t ceil_div(std::uint64_t a, std::uint64_t b) {
  return b == 0 ? 0 : (a + b - 1) / b;
}

// batch x (m x k) . (k x n) at `eb` bytes per element.
ComputeWork gemm(std::uint64_t m, std::uint64_t n, std::uint64_t k, std::uint32_t eb) {
  ComputeWork w;
  if (m == 0 || n == 0 || k == 0) return w;
  w.op.kind = OpKind::kGemm;
  w.op.elem_bytes = static_cast<std::uint8_t>(eb);
  w.op.batch = 1;
  w.op.m = to_u32(m);
  w.op.n = to_u32(n);
  w.op.k = to_u32(k);
  w.flops = 2 * m * n * k;
  w.bytes = Bytes((m * k + k * n + m * n) * eb);
  return w;
}

// Step-level facts shared by every layer.
struct StepFacts {
  std::uint64_t tokens = 0;
  std::uint64_t decode_entries = 0;
  std::uint64_t decode_attended = 0;  // sum of context + 1 over decode entries
  std::uint64_t prefill_entries = 0;
  std::uint64_t prefill_tokens = 0;
  std::uint64_t prefill_keys = 0;   // sum of context + chunk over prefill entries
  std::uint64_t prefill_pairs = 0;  // causal (query, key) pairs over prefill entries
  std::uint64_t cached = 0;         // sum of context over all entries
  std::uint64_t producing = 0;      // entries producing a token
};

StepFacts facts_of(const scheduler::Step& step) {
  StepFacts f;
  for (const auto& e : step.entries) {
    f.tokens += e.tokens;
    f.cached += e.context;
    if (e.phase == Phase::kDecode) {
      ++f.decode_entries;
      f.decode_attended += e.context + e.tokens;
      ++f.producing;
    } else {
      const std::uint64_t m = e.tokens;
      ++f.prefill_entries;
      f.prefill_tokens += m;
      f.prefill_keys += e.context + m;
      f.prefill_pairs += m * e.context + m * (m + 1) / 2;
      if (e.last_chunk) ++f.producing;
    }
  }
  return f;
}

void route_moe(const workload::ModelSpec& model, std::uint64_t tokens, workload::Rng& rng,
               std::vector<std::uint32_t>& counts, LayerWork& lw) {
  counts.assign(model.experts, 0);
  const std::uint32_t k = std::min({model.top_k, model.experts, 64U});
  std::uint32_t picked[64];
  for (std::uint64_t t = 0; t < tokens; ++t) {
    std::uint32_t n = 0;
    while (n < k) {
      const auto e = static_cast<std::uint32_t>(rng.below(model.experts));
      bool dup = false;
      for (std::uint32_t i = 0; i < n; ++i) dup = dup || picked[i] == e;
      if (dup) continue;
      picked[n] = e;
      ++n;
      ++counts[e];
    }
  }
  for (std::uint32_t e = 0; e < model.experts; ++e) {
    if (counts[e] == 0) continue;
    lw.experts.push_back(e);
    lw.expert_tokens.push_back(counts[e]);
  }
}

}  // namespace

void expand_step(const workload::ModelSpec& model, const scheduler::Step& step,
                 const SparsityOptions& sparsity, StepWork& out) {
  const std::uint32_t eb = model.dtype_bytes;
  const StepFacts f = facts_of(step);
  const std::uint64_t hidden = model.hidden;
  const std::uint64_t q_dim = std::uint64_t{model.heads} * model.head_dim;
  const std::uint64_t kv_dim = std::uint64_t{model.kv_heads} * model.head_dim;
  const Bytes kv_tok = model.kv_bytes_per_token_per_layer();
  const bool sparse = sparsity.sparse_ffn && workload::is_relu_family(model.activation) &&
                      f.prefill_entries == 0 && f.tokens > 0;
  const std::uint64_t gate_mult = model.ffn == workload::FfnForm::kGated ? 2 : 1;

  std::uint64_t active = 0;
  if (sparse) {
    const double share = std::clamp(sparsity.active_neuron_share, 0.0, 1.0);
    const double none = std::pow(1.0 - share, static_cast<double>(f.tokens));
    active = static_cast<std::uint64_t>(
        std::ceil(static_cast<double>(model.intermediate) * (1.0 - none)));
    active = std::min<std::uint64_t>(active, model.intermediate);
  }

  // The ops every dense layer shares (computed once).
  const ComputeWork qkv = gemm(f.tokens, q_dim + 2 * kv_dim, hidden, eb);
  const ComputeWork out_proj = gemm(f.tokens, hidden, q_dim, eb);
  const std::uint64_t ffn_n = sparse ? active : model.intermediate;
  const ComputeWork up = gemm(f.tokens, ffn_n * gate_mult, hidden, eb);
  const ComputeWork down = gemm(f.tokens, hidden, ffn_n, eb);

  ComputeWork decode_attn;
  if (f.decode_entries > 0) {
    decode_attn.op.kind = OpKind::kDecodeAttention;
    decode_attn.op.elem_bytes = static_cast<std::uint8_t>(eb);
    decode_attn.op.batch = to_u32(f.decode_entries);
    decode_attn.op.q_heads = model.heads;
    decode_attn.op.kv_heads = model.kv_heads;
    decode_attn.op.head_dim = model.head_dim;
    decode_attn.op.context = ceil_div(f.decode_attended, f.decode_entries);
    decode_attn.flops = 4 * q_dim * f.decode_attended;
    decode_attn.bytes =
        Bytes(f.decode_attended * kv_tok.count() + 2 * f.decode_entries * q_dim * eb);
  }
  ComputeWork prefill_attn;
  if (f.prefill_entries > 0) {
    prefill_attn.op.kind = OpKind::kPrefillAttention;
    prefill_attn.op.elem_bytes = static_cast<std::uint8_t>(eb);
    prefill_attn.op.batch = to_u32(f.prefill_entries);
    prefill_attn.op.q_heads = model.heads;
    prefill_attn.op.kv_heads = model.kv_heads;
    prefill_attn.op.head_dim = model.head_dim;
    prefill_attn.op.m = to_u32(ceil_div(f.prefill_tokens, f.prefill_entries));
    prefill_attn.op.context = ceil_div(f.prefill_keys, f.prefill_entries);
    prefill_attn.flops = 4 * q_dim * f.prefill_pairs;
    prefill_attn.bytes = Bytes(f.prefill_keys * kv_tok.count() + 2 * f.prefill_tokens * q_dim * eb);
  }

  workload::Rng rng(workload::derive_seed(sparsity.seed, step.index));
  std::vector<std::uint32_t> counts;
  const Bytes attn_w = model.attention_weight_bytes() + model.bytes(model.norm_params());
  const Bytes bias_down = model.bias ? Bytes(hidden * eb) : Bytes(0);

  out.layers.resize(model.layers);
  for (std::uint32_t l = 0; l < model.layers; ++l) {
    LayerWork& lw = out.layers[l];
    lw.layer = l;
    lw.experts.clear();
    lw.expert_tokens.clear();
    lw.attention_weights = attn_w;
    lw.kv_read = Bytes(f.cached * kv_tok.count());
    lw.kv_write = Bytes(f.tokens * kv_tok.count());
    lw.activations = Bytes(f.tokens * hidden * eb);
    lw.qkv = qkv;
    lw.out_proj = out_proj;
    lw.prefill_attention = prefill_attn;
    lw.decode_attention = decode_attn;
    lw.active_neurons = 0;
    if (model.is_moe_layer(l)) {
      if (f.tokens > 0) route_moe(model, f.tokens, rng, counts, lw);
      lw.ffn_weights = model.bytes(model.router_params(l)) +
                       Bytes(lw.experts.size() * model.expert_weight_bytes().count());
      lw.ffn_up = ComputeWork{};
      lw.ffn_down = ComputeWork{};
      if (!lw.experts.empty()) {
        std::uint64_t assignments = 0;
        for (auto t : lw.expert_tokens) assignments += t;
        lw.ffn_up.op.kind = OpKind::kMoeFfn;
        lw.ffn_up.op.elem_bytes = static_cast<std::uint8_t>(eb);
        lw.ffn_up.op.batch = to_u32(assignments);
        lw.ffn_up.op.m = model.hidden;
        lw.ffn_up.op.n = model.intermediate;
        lw.ffn_up.op.k = to_u32(lw.experts.size());
        const std::uint64_t mats = gate_mult + 1;
        lw.ffn_up.flops = 2 * assignments * mats * hidden * model.intermediate;
        lw.ffn_up.bytes = lw.ffn_weights + Bytes(2 * assignments * hidden * eb);
      }
    } else if (sparse) {
      lw.active_neurons = active;
      lw.ffn_weights = Bytes(active * model.neuron_bytes().count()) + bias_down;
      lw.ffn_up = up;
      lw.ffn_down = down;
    } else {
      lw.ffn_weights = model.expert_weight_bytes();
      lw.ffn_up = up;
      lw.ffn_down = down;
    }
  }

  out.embedding_rows = Bytes(f.tokens * hidden * eb);
  std::uint64_t head_params = std::uint64_t{model.vocab} * hidden;
  if (model.lm_head_bias) head_params += model.vocab;
  out.lm_head_weights = model.bytes(head_params);
  out.lm_head = gemm(f.producing, model.vocab, hidden, eb);
}

}  // namespace tiersim::policies
