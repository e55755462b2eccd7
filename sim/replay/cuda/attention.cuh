// Decode attention (one query token per sequence) over a contiguous or paged fp16 KV cache, with
// grouped-query attention: the q_heads / kv_heads query heads of a group share every K and V
// read. Split over the context (flash-decoding): grid (kv_heads, batch, splits) of 4-warp CTAs.
// Each lane reads 16 B of a K and a V row directly from global memory (head_dim / 8 lanes per
// row, 4 rows in flight per lane group) and keeps its 8 columns of q (fp16) and of the
// accumulator (fp32), and the running max and sum, in registers; K and V are not staged in shared
// memory. Paged: a CTA first copies the block-table entries of up to 256 pages of its tokens into
// shared memory, so a row's address costs no dependent global load. q.k sums each lane's 8
// products in fp16, then in fp32 across lanes; softmax and P.V are fp32. States are merged across
// lanes and warps at the end; with more than one split a second kernel combines the splits (block
// reductions of the splits' maxima and sums, then one column per thread).
// splits (split_plan.h): the fewest that minimise rounds x (iterations per CTA + 1), where a
// round is as many CTAs as the GPU holds at once (occupancy API x SMs) and a CTA runs
// ceil(context / 32 tokens / splits) loop iterations (head_dim 128), plus its fixed work. E.g. on
// 132 SMs x 4 CTAs, batch 16 x 8 KV heads: 4 splits (512 CTAs, one round), not 5 (640 CTAs: a
// second round of 112); batch 64: one split, no combine kernel.
//
// Layouts (head_dim 32, 64 or 128; q_heads / kv_heads 1, 2, 4 or 8; otherwise the constructor
// throws std::invalid_argument):
//   q, out        [batch][q_heads][head_dim]
//   contiguous K/V [batch][kv_heads][context][head_dim]
//   paged K/V      [physical page][kv_heads][page_tokens][head_dim], block_table
//                  [batch][ceil(context / page_tokens)] -> physical page
#pragma once

#include <cuda_fp16.h>
#include <cuda_runtime.h>

#include <cstddef>
#include <string>

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

// Runs DecodeAttention on seeded random fp16 inputs for a few shapes (contiguous and paged, GQA
// groups 1/4/8, head_dim 64/128, contexts that are not multiples of a loop step, one and several
// splits) and compares each output with a float64 host reference. Returns the largest
// ||out - ref|| / ||ref|| over the shapes (an unwritten output counts as infinite); appends one
// line per shape to *log. fp16 outputs land near 3e-4.
double check_decode_attention(int sms, std::string* log);

}  // namespace tiersim::cuda
