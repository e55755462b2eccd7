// Expands requests into a logical trace for one model (docs/workloads.md, "Generation").
//
// Schedule: requests run one at a time in arrival order (batch 1; batching belongs to the
// scheduler). A request's first step is its prefill (all prompt tokens, index 0), then one
// decode step per further output token (index 1) — the prefill produces the first token.
// Per step and layer, in this order: activation, attention weights (+ norms), qkv compute,
// kv_write (the step's tokens), kv_read (the tokens already cached, when any), scores and values
// compute (count = heads), out-projection compute, then the FFN:
//  - MoE layer: router weights and compute, then per selected expert (ascending id) its weights
//    (count = tokens routed) and up/down compute;
//  - dense FFN with a ReLU-family activation and `sparse_ffn`, in decode steps: `neurons`
//    (count = active neurons of the activation model's current token) and up/down compute over
//    the active neurons; prefill reads the dense FFN (a long prompt touches nearly every neuron);
//  - otherwise dense FFN weights and up/down compute.
// Sparse attention (`attention` set): in decode steps each layer's kv_read covers only the
// tokens the attention model selects per KV head (index 1, count = selected (token, head) pairs,
// bytes = their K and V), followed by kv_pages (the distinct pages of `page_bytes` those tokens
// touch in a token-indexed per-head K and V layout); scores and values compute over the k
// selected tokens plus the step's token. Prefill attention stays dense. The model's remembered
// runs are reset at each request.
// After the layers: embedding rows (tokens x hidden) and the LM head (weights and compute on the
// last token). Every decode step advances the activation model by one token.
//
// Contract: memory is O(requests) (they are written before the accesses); accesses stream.
// Same requests, model, options and seed -> identical records (and identical trace bytes).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "sim/workload/activation_model.h"
#include "sim/workload/attention_model.h"
#include "sim/workload/logical_trace.h"
#include "sim/workload/model.h"
#include "sim/workload/routing_model.h"

namespace tiersim::workload {

struct GeneratorOptions {
  std::uint64_t seed = 1;
  bool sparse_ffn = true;  // only for ReLU-family models
  ActivationParams activation = ActivationParams::calibrate(0.97, 0.024, 5);
  std::string routing = "uniform";           // routing_model.h spec
  std::optional<AttentionParams> attention;  // sparse attention in decode steps; none = dense
  Bytes page_bytes{4096};                    // page of the kv_pages locality count
};

struct GeneratorResult {
  std::uint64_t requests = 0;
  std::uint64_t steps = 0;
  std::uint64_t accesses = 0;
};

// The generator section of the trace header (YAML).
[[nodiscard]] std::string generator_yaml(const GeneratorOptions& o, const ModelSpec& m);

[[nodiscard]] GeneratorResult generate_trace(const ModelSpec& model, RequestSource& requests,
                                             const GeneratorOptions& options,
                                             LogicalTraceWriter& out);

}  // namespace tiersim::workload
