// The policy-independent work of one batched step, per layer: the logical trace's tensors and
// compute ops (traces/FORMAT.md, "Logical trace") for a whole batch. Every policy starts from
// this, so the same workload under two policies touches the same tensors.
//
// Contract (implemented in step_work.cpp):
//  - expand_step(model, step, sparsity) lists, for each layer in order, the bytes of
//    attention weights, FFN weights (dense; or per routed expert for MoE layers; or the active
//    neuron rows for sparse-FFN decode), the KV bytes read (every entry's cached context, all KV
//    heads, K and V) and written (every entry's new tokens), activation bytes in and out, and the
//    compute ops with their shapes (kernel::OpShape): QKV projection (GEMM, m = step tokens),
//    decode attention (kDecodeAttention per decode entry group: batch, q_heads, kv_heads,
//    head_dim, context = mean attended tokens of the group (cached context + the entry's own new
//    token), rounded up), prefill attention (kPrefillAttention), out projection, FFN up/down
//    (GEMM, or for MoE layers one kMoeFfn op in ffn_up with ffn_down absent), plus the embedding
//    and LM head work after the last layer. An op with kind kGeneric and 0 flops is absent.
//    step_work.cpp's header lists the remaining conventions (norms counted with the attention
//    weights, router with the FFN, sparse-FFN active-neuron union, MoE routing seed).
//  - FLOPs of each op are 2 x multiply-adds of its shape; bytes are the operand and result bytes
//    at the model's dtype.
//  - Deterministic: same inputs and seed -> same output; no allocation per layer beyond the
//    returned vectors (callers reuse a StepWork across steps: expand_step clears and refills).
#pragma once

#include <cstdint>
#include <vector>

#include "sim/kernel/transaction.h"
#include "sim/scheduler/step.h"
#include "sim/units/units.h"
#include "sim/workload/model.h"

namespace tiersim::policies {

struct ComputeWork {
  kernel::OpShape op;
  std::uint64_t flops = 0;
  Bytes bytes;  // operand + result traffic at the model's dtype
};

struct LayerWork {
  std::uint32_t layer = 0;
  Bytes attention_weights;
  Bytes ffn_weights;                         // dense FFN, or sum over routed experts
  std::vector<std::uint32_t> experts;        // MoE: experts with tokens (ascending); empty if dense
  std::vector<std::uint32_t> expert_tokens;  // tokens routed to each of `experts`
  std::uint64_t active_neurons = 0;          // sparse FFN decode: neurons read; 0 = dense
  Bytes kv_read;                             // all entries' cached K and V of this layer
  Bytes kv_write;                            // all entries' new K and V of this layer
  Bytes activations;                         // hidden states in (= out) for the step's tokens
  ComputeWork qkv, out_proj, ffn_up, ffn_down;
  ComputeWork prefill_attention;  // op.kind == kGeneric when the step has no prefill
  ComputeWork decode_attention;   // op.kind == kGeneric when the step has no decode
};

struct StepWork {
  std::vector<LayerWork> layers;
  Bytes embedding_rows;  // tokens x hidden rows gathered
  Bytes lm_head_weights;
  ComputeWork lm_head;  // logits of the entries producing a token
};

struct SparsityOptions {
  bool sparse_ffn = false;           // ReLU-family models: decode reads only active neurons
  double active_neuron_share = 1.0;  // share of FFN neurons active per decode token
  std::uint64_t seed = 1;            // MoE routing (uniform) and neuron draws
};

void expand_step(const workload::ModelSpec& model, const scheduler::Step& step,
                 const SparsityOptions& sparsity, StepWork& out);

}  // namespace tiersim::policies
