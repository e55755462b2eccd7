// Decode attention (one query token per sequence) over a contiguous or paged fp16 KV cache, with
// grouped-query attention: the q_heads / kv_heads query heads of a group share every K and V
// read. Split over the context (flash-decoding): grid (kv_heads, batch, splits), each CTA keeps
// a running max / sum / accumulator for its group over 64-token tiles staged in shared memory;
// a second kernel combines the splits. splits = clamp(ceil(2 x SMs / (batch x kv_heads)), 1,
// ceil(context / 64)).
//
// Layouts (head_dim <= 128, q_heads / kv_heads <= 8):
//   q, out        [batch][q_heads][head_dim]
//   contiguous K/V [batch][kv_heads][context][head_dim]
//   paged K/V      [physical page][kv_heads][page_tokens][head_dim], block_table
//                  [batch][ceil(context / page_tokens)] -> physical page
#pragma once

#include <cuda_fp16.h>
#include <cuda_runtime.h>

#include <cstddef>

#include "sim/replay/cuda/device_buffer.h"

namespace tiersim::cuda {

struct AttentionShape {
  int batch = 1, q_heads = 1, kv_heads = 1, context = 1, head_dim = 128;
  bool paged = false;
  int page_tokens = 16;
  [[nodiscard]] __host__ __device__ int pages_per_seq() const {
    return (context + page_tokens - 1) / page_tokens;
  }
};

class DecodeAttention {
 public:
  DecodeAttention(const AttentionShape& shape, int sms);
  // Enqueues both kernels on `s`. block_table is ignored for a contiguous cache. q_stride: elements
  // between the queries of consecutive sequences (0: q_heads x head_dim, i.e. packed).
  void enqueue(const __half* q, const __half* k, const __half* v, const int* block_table,
               __half* out, cudaStream_t s, std::size_t q_stride = 0) const;
  [[nodiscard]] int splits() const { return splits_; }

 private:
  AttentionShape shape_;
  int splits_ = 1;
  DeviceBuffer part_acc_;  // [batch][q_heads][splits][head_dim] float
  DeviceBuffer part_ml_;   // [batch][q_heads][splits][2] float: running max, sum
};

}  // namespace tiersim::cuda
