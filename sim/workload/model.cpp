#include "sim/workload/model.h"

#include <stdexcept>
#include <string>

namespace tiersim::workload {

std::string_view activation_name(Activation a) {
  switch (a) {
    case Activation::kRelu:
      return "relu";
    case Activation::kRelu2:
      return "relu2";
    case Activation::kGelu:
      return "gelu";
    case Activation::kSilu:
      return "silu";
  }
  return "?";
}

std::string_view ffn_form_name(FfnForm f) {
  return f == FfnForm::kGated ? "gated" : "mlp";
}

std::string_view norm_name(NormKind n) {
  return n == NormKind::kRmsNorm ? "rmsnorm" : "layernorm";
}

bool is_relu_family(Activation a) {
  return a == Activation::kRelu || a == Activation::kRelu2;
}

std::uint32_t dtype_size(std::string_view dtype) {
  if (dtype == "fp32") return 4;
  if (dtype == "fp16" || dtype == "bf16") return 2;
  if (dtype == "fp8" || dtype == "int8") return 1;
  throw std::invalid_argument("unknown dtype '" + std::string(dtype) +
                              "' (expected fp32, fp16, bf16, fp8 or int8)");
}

std::uint64_t ModelSpec::attention_params() const {
  const std::uint64_t h = hidden;
  const std::uint64_t q = std::uint64_t{heads} * head_dim;
  const std::uint64_t kv = std::uint64_t{kv_heads} * head_dim;
  std::uint64_t p = h * q + 2 * h * kv + q * h;
  if (bias) p += q + 2 * kv + h;
  return p;
}

std::uint64_t ModelSpec::ffn_params_per_expert() const {
  const std::uint64_t h = hidden;
  const std::uint64_t f = intermediate;
  const std::uint64_t mats = ffn == FfnForm::kGated ? 3 : 2;
  std::uint64_t p = mats * h * f;
  if (bias) p += (mats - 1) * f + h;
  return p;
}

std::uint64_t ModelSpec::norm_params() const {
  const std::uint64_t per_norm = norm == NormKind::kLayerNorm ? 2ULL * hidden : hidden;
  return norms_per_layer * per_norm;
}

bool ModelSpec::is_moe_layer(std::uint32_t layer) const {
  return experts > 1 && (layer + 1) % moe_every == 0;
}

std::uint32_t ModelSpec::experts_in_layer(std::uint32_t layer) const {
  return is_moe_layer(layer) ? experts : 1;
}

std::uint64_t ModelSpec::router_params(std::uint32_t layer) const {
  return is_moe_layer(layer) ? std::uint64_t{hidden} * experts : 0;
}

std::uint64_t ModelSpec::ffn_params(std::uint32_t layer) const {
  return experts_in_layer(layer) * ffn_params_per_expert();
}

std::uint64_t ModelSpec::layer_params(std::uint32_t layer) const {
  return attention_params() + ffn_params(layer) + router_params(layer) + norm_params();
}

std::uint64_t ModelSpec::embedding_params() const {
  const std::uint64_t h = hidden;
  std::uint64_t p = std::uint64_t{vocab} * h + std::uint64_t{learned_positions} * h;
  if (!tied_embeddings) p += std::uint64_t{vocab} * h;
  if (lm_head_bias) p += vocab;
  p += norm == NormKind::kLayerNorm ? 2 * h : h;  // final norm
  return p;
}

std::uint64_t ModelSpec::total_params() const {
  std::uint64_t p = embedding_params();
  for (std::uint32_t l = 0; l < layers; ++l) p += layer_params(l);
  return p;
}

std::uint64_t ModelSpec::total_ffn_params() const {
  std::uint64_t p = 0;
  for (std::uint32_t l = 0; l < layers; ++l) p += ffn_params(l);
  return p;
}

std::uint64_t ModelSpec::active_params_per_token() const {
  std::uint64_t p = std::uint64_t{vocab} * hidden;  // LM head (the embedding lookup is free)
  for (std::uint32_t l = 0; l < layers; ++l) {
    const std::uint64_t k = is_moe_layer(l) ? top_k : 1;
    p += attention_params() + k * ffn_params_per_expert() + router_params(l);
  }
  return p;
}

Bytes ModelSpec::layer_weight_bytes(std::uint32_t layer) const {
  return bytes(layer_params(layer));
}

Bytes ModelSpec::neuron_bytes() const {
  const std::uint64_t mats = ffn == FfnForm::kGated ? 3 : 2;
  std::uint64_t p = mats * hidden;
  if (bias) p += mats - 1;  // the up (and gate) bias of this neuron
  return bytes(p);
}

Bytes ModelSpec::kv_bytes_per_token_per_layer() const {
  return bytes(2ULL * kv_heads * head_dim);
}

Bytes ModelSpec::kv_bytes_per_token() const {
  return Bytes(kv_bytes_per_token_per_layer().count() * layers);
}

double ModelSpec::ffn_weight_share() const {
  return static_cast<double>(total_ffn_params()) / static_cast<double>(total_params());
}

std::uint64_t ModelSpec::decode_flops(std::uint64_t context) const {
  const std::uint64_t attn_per_token = 4ULL * layers * heads * head_dim;  // QK^T and AV
  return 2 * active_params_per_token() + attn_per_token * context;
}

std::uint64_t ModelSpec::prefill_flops(std::uint64_t prompt) const {
  const std::uint64_t attn_per_pair = 4ULL * layers * heads * head_dim;
  return 2 * active_params_per_token() * prompt + attn_per_pair * (prompt * (prompt + 1) / 2);
}

}  // namespace tiersim::workload
