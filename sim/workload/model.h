// A transformer model's shape (configs/models/*.yaml) and the quantities derived from it.
//
// Contract:
//  - ModelSpec holds what a model card / Hugging Face config.json says: layers, hidden size, FFN
//    (intermediate) size, attention and KV heads (GQA/MQA), head dim, vocabulary, experts and
//    top-k, which layers are MoE, activation, FFN form (2-matrix MLP or 3-matrix gated), dtype,
//    and the details that change the weight count (biases, norm kind, learned positions, tied
//    embeddings).
//  - Every derived count is exact integer arithmetic. Parameter counts include biases and norm
//    weights; "bytes" are parameters x dtype_bytes.
//  - A layer l (0-based) is MoE when experts > 1 and (l + 1) % moe_every == 0 (every layer for
//    moe_every 1; layers 1, 3, 5, ... for moe_every 2, as in GLaM).
//  - FLOPs count 2 per multiply-accumulate of the matrix products (projections, FFN, router,
//    LM head, and attention scores/values over the attended tokens); embeddings, norms and
//    activations are not counted.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "sim/units/units.h"

namespace tiersim::workload {

enum class Activation { kRelu, kRelu2, kGelu, kSilu };
enum class FfnForm { kMlp, kGated };  // up+down, or gate+up+down (SwiGLU)
enum class NormKind { kLayerNorm, kRmsNorm };

[[nodiscard]] std::string_view activation_name(Activation a);
[[nodiscard]] std::string_view ffn_form_name(FfnForm f);
[[nodiscard]] std::string_view norm_name(NormKind n);
// ReLU-family activations produce exact zeros, so FFN neuron sparsity applies.
[[nodiscard]] bool is_relu_family(Activation a);

struct ModelSpec {
  std::string name;
  std::string source;  // where the numbers come from
  std::uint32_t layers = 0;
  std::uint32_t hidden = 0;
  std::uint32_t intermediate = 0;  // FFN width (per expert for MoE)
  std::uint32_t heads = 0;
  std::uint32_t kv_heads = 0;
  std::uint32_t head_dim = 0;
  std::uint32_t vocab = 0;
  std::uint32_t max_context = 0;
  std::uint32_t experts = 1;  // 1 = dense
  std::uint32_t top_k = 1;
  std::uint32_t moe_every = 1;
  Activation activation = Activation::kRelu;
  FfnForm ffn = FfnForm::kMlp;
  std::string dtype = "fp16";
  std::uint32_t dtype_bytes = 2;
  bool bias = false;  // biases on projections and FFN matrices
  NormKind norm = NormKind::kLayerNorm;
  std::uint32_t norms_per_layer = 2;    // 1 for parallel attention + FFN blocks
  std::uint32_t learned_positions = 0;  // rows of a learned position table (0: rotary/none)
  bool tied_embeddings = false;
  bool lm_head_bias = false;

  // --- Parameter counts ---
  [[nodiscard]] std::uint64_t attention_params() const;       // per layer: Q, K, V, O (+ biases)
  [[nodiscard]] std::uint64_t ffn_params_per_expert() const;  // one expert (or the dense FFN)
  [[nodiscard]] std::uint64_t norm_params() const;            // per layer
  [[nodiscard]] bool is_moe_layer(std::uint32_t layer) const;
  [[nodiscard]] std::uint32_t experts_in_layer(std::uint32_t layer) const;  // 1 when dense
  [[nodiscard]] std::uint64_t router_params(std::uint32_t layer) const;
  [[nodiscard]] std::uint64_t ffn_params(std::uint32_t layer) const;  // all experts of the layer
  [[nodiscard]] std::uint64_t layer_params(std::uint32_t layer) const;
  [[nodiscard]] std::uint64_t embedding_params()
      const;  // tokens + positions + LM head + final norm
  [[nodiscard]] std::uint64_t total_params() const;
  [[nodiscard]] std::uint64_t total_ffn_params() const;
  // Parameters one token uses (top-k experts in MoE layers).
  [[nodiscard]] std::uint64_t active_params_per_token() const;

  // --- Bytes ---
  [[nodiscard]] Bytes bytes(std::uint64_t params) const { return Bytes(params * dtype_bytes); }
  [[nodiscard]] Bytes layer_weight_bytes(std::uint32_t layer) const;
  [[nodiscard]] Bytes attention_weight_bytes() const { return bytes(attention_params()); }
  [[nodiscard]] Bytes expert_weight_bytes() const { return bytes(ffn_params_per_expert()); }
  [[nodiscard]] Bytes total_weight_bytes() const { return bytes(total_params()); }
  // One FFN neuron: its up (and gate) column and down row, with their biases.
  [[nodiscard]] Bytes neuron_bytes() const;
  [[nodiscard]] Bytes kv_bytes_per_token_per_layer() const;  // K and V
  [[nodiscard]] Bytes kv_bytes_per_token() const;            // all layers
  [[nodiscard]] double ffn_weight_share() const;             // total_ffn / total params

  // --- FLOPs ---
  // One decode token attending `context` tokens (its own included).
  [[nodiscard]] std::uint64_t decode_flops(std::uint64_t context) const;
  // A prompt of `prompt` tokens, causal attention (token i attends i + 1 tokens).
  [[nodiscard]] std::uint64_t prefill_flops(std::uint64_t prompt) const;
};

// Bytes per element of a dtype name: fp32 4, fp16/bf16 2, fp8/int8 1. Throws std::invalid_argument
// for anything else.
[[nodiscard]] std::uint32_t dtype_size(std::string_view dtype);

}  // namespace tiersim::workload
