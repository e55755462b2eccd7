// Timing of a compute transaction's OpShape (sim/kernel/transaction.h) with the GPU operator
// model: which GpuModel operator each OpKind maps to (docs/models/gpu.md, "Compute
// transactions").
//
// Contract (time_op_shape):
//  - Data type: the component's precision when its element size equals op.elem_bytes; otherwise
//    1 B -> fp8, 2 B -> fp16, 4 B -> fp32. Other sizes throw std::invalid_argument.
//  - kGemm: gemm(m, n, k, batch (0 -> 1)).
//  - kGemv: an m x k weight times `batch` vectors (0 -> 1): batch 1 is gemv(m, k) on the CUDA
//    cores; batch > 1 is the GEMM [batch x k] . [k x m] (tensor cores, tile/wave quantized).
//  - kDecodeAttention: decode_attention(batch, q_heads, kv_heads, context, head_dim), contiguous
//  KV.
//  - kPrefillAttention: prefill_attention(batch, q_heads, kv_heads, seq_q = m, seq_kv = context
//    (m when context is 0), head_dim), causal.
//  - kSoftmax: softmax over `elements` values (one row pass, 5 flops each).
//  - kTopK: one read pass over `elements` values, ceil(log2(k)) + 1 comparisons each, output
//    negligible.
//  - kElementwise: one input and one output tensor of `elements` values, 1 flop each.
//  - kMoeFfn: `batch` token-to-expert assignments spread evenly over k experts (the first
//    batch mod k experts get one more), d_model = m, d_ff = n, gated (SwiGLU) expert FFN.
//  - kAllReduce: ring all-reduce of elements x elem_bytes per GPU over `batch` ranks (0 -> 1).
//  - kGeneric: std::invalid_argument (the component times it by the flops/bytes roofline).
//  Shapes a model rejects (zero sizes) throw std::invalid_argument naming the operator.
#pragma once

#include "models/gpu/gpu_ops.h"
#include "sim/kernel/transaction.h"

namespace tiersim::models::gpu {

[[nodiscard]] DType dtype_of(const kernel::OpShape& op, DType precision);
[[nodiscard]] OpResult time_op_shape(const GpuModel& model, const kernel::OpShape& op,
                                     DType precision);

}  // namespace tiersim::models::gpu
