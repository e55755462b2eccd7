#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <vector>

#include "sim/replay/cuda/attention.cuh"
#include "sim/replay/cuda/cuda_check.h"
#include "sim/replay/cuda/measure.h"

namespace tiersim::cuda {
namespace {

constexpr int kTile = 64;
constexpr int kMaxDim = 128;
constexpr int kMaxGroup = 8;
constexpr int kThreads = 256;
constexpr int kWarps = kThreads / 32;

struct Args {
  const __half* q;
  const __half* k;
  const __half* v;
  const int* block_table;
  float* part_acc;
  float* part_ml;
  AttentionShape s;
  int splits;
  int chunk;  // tokens per split, a multiple of kTile
  float scale;
  std::size_t q_stride;  // elements between consecutive sequences' queries
};

__device__ const __half* row(const Args& a, const __half* base, int seq, int head, int t) {
  const std::size_t hd = a.s.head_dim;
  if (!a.s.paged) {
    return base + ((static_cast<std::size_t>(seq) * a.s.kv_heads + head) * a.s.context + t) * hd;
  }
  const int page =
      a.block_table[static_cast<std::size_t>(seq) * a.s.pages_per_seq() + t / a.s.page_tokens];
  return base + ((static_cast<std::size_t>(page) * a.s.kv_heads + head) * a.s.page_tokens +
                 t % a.s.page_tokens) *
                    hd;
}

__global__ void __launch_bounds__(kThreads) attention_partial(Args a) {
  __shared__ __align__(16) __half ks[kTile][kMaxDim];
  __shared__ __align__(16) __half vs[kTile][kMaxDim];
  __shared__ float qs[kMaxGroup][kMaxDim];
  __shared__ float sc[kMaxGroup][kTile];
  __shared__ float acc[kMaxGroup][kMaxDim];
  __shared__ float m_run[kMaxGroup], l_run[kMaxGroup], alpha[kMaxGroup];

  const int h = blockIdx.x, b = blockIdx.y, split = blockIdx.z;
  const int hd = a.s.head_dim, group = a.s.q_heads / a.s.kv_heads;
  const int tid = threadIdx.x, warp = tid / 32, lane = tid % 32;
  const int t0 = split * a.chunk;
  const int t1 = min(a.s.context, t0 + a.chunk);

  for (int i = tid; i < group * hd; i += kThreads) {
    const int g = i / hd, c = i % hd;
    const std::size_t qi = b * a.q_stride + static_cast<std::size_t>(h * group + g) * hd + c;
    qs[g][c] = __half2float(a.q[qi]) * a.scale;
    acc[g][c] = 0.f;
  }
  if (tid < group) {
    m_run[tid] = -INFINITY;
    l_run[tid] = 0.f;
  }
  __syncthreads();

  const int vecs = hd / 8;  // int4 = 8 halves
  for (int tile = t0; tile < t1; tile += kTile) {
    const int n = min(kTile, t1 - tile);
    for (int i = tid; i < n * vecs; i += kThreads) {
      const int r = i / vecs, c = i % vecs;
      reinterpret_cast<int4*>(ks[r])[c] =
          reinterpret_cast<const int4*>(row(a, a.k, b, h, tile + r))[c];
      reinterpret_cast<int4*>(vs[r])[c] =
          reinterpret_cast<const int4*>(row(a, a.v, b, h, tile + r))[c];
    }
    __syncthreads();
    // Scores: one warp per (head, token) pair, lanes across head_dim.
    for (int pair = warp; pair < group * n; pair += kWarps) {
      const int g = pair / n, r = pair % n;
      float d = 0.f;
      for (int c = lane; c < hd; c += 32) d += qs[g][c] * __half2float(ks[r][c]);
      for (int o = 16; o > 0; o /= 2) d += __shfl_xor_sync(0xffffffffu, d, o);
      if (lane == 0) sc[g][r] = d;
    }
    __syncthreads();
    // Online softmax: warp g owns head g.
    if (warp < group) {
      float mx = -INFINITY;
      for (int r = lane; r < n; r += 32) mx = fmaxf(mx, sc[warp][r]);
      for (int o = 16; o > 0; o /= 2) mx = fmaxf(mx, __shfl_xor_sync(0xffffffffu, mx, o));
      const float m_new = fmaxf(m_run[warp], mx);
      float sum = 0.f;
      for (int r = lane; r < n; r += 32) {
        const float e = __expf(sc[warp][r] - m_new);
        sc[warp][r] = e;
        sum += e;
      }
      for (int o = 16; o > 0; o /= 2) sum += __shfl_xor_sync(0xffffffffu, sum, o);
      if (lane == 0) {
        alpha[warp] = __expf(m_run[warp] - m_new);
        l_run[warp] = l_run[warp] * alpha[warp] + sum;
        m_run[warp] = m_new;
      }
    }
    __syncthreads();
    for (int i = tid; i < group * hd; i += kThreads) {
      const int g = i / hd, c = i % hd;
      float x = acc[g][c] * alpha[g];
      for (int r = 0; r < n; ++r) x += sc[g][r] * __half2float(vs[r][c]);
      acc[g][c] = x;
    }
    __syncthreads();
  }
  for (int i = tid; i < group * hd; i += kThreads) {
    const int g = i / hd, c = i % hd;
    const std::size_t qh = static_cast<std::size_t>(b) * a.s.q_heads + h * group + g;
    a.part_acc[(qh * a.splits + split) * hd + c] = acc[g][c];
  }
  if (tid < group) {
    const std::size_t qh = static_cast<std::size_t>(b) * a.s.q_heads + h * group + tid;
    a.part_ml[(qh * a.splits + split) * 2] = m_run[tid];
    a.part_ml[(qh * a.splits + split) * 2 + 1] = l_run[tid];
  }
}

// grid (q_heads, batch), head_dim threads: out = sum_s acc_s e^(m_s - M) / sum_s l_s e^(m_s - M).
__global__ void attention_combine(const float* part_acc, const float* part_ml, __half* out,
                                  int q_heads, int splits, int hd) {
  const std::size_t qh = static_cast<std::size_t>(blockIdx.y) * q_heads + blockIdx.x;
  const int c = threadIdx.x;
  float m = -INFINITY;
  for (int s = 0; s < splits; ++s) m = fmaxf(m, part_ml[(qh * splits + s) * 2]);
  float l = 0.f, x = 0.f;
  for (int s = 0; s < splits; ++s) {
    const float ms = part_ml[(qh * splits + s) * 2];
    const float w = ms == -INFINITY ? 0.f : __expf(ms - m);
    l += part_ml[(qh * splits + s) * 2 + 1] * w;
    x += part_acc[(qh * splits + s) * hd + c] * w;
  }
  out[qh * hd + c] = __float2half(l > 0.f ? x / l : 0.f);
}

int choose_splits(const AttentionShape& s, int sms) {
  const int ctas = s.batch * s.kv_heads;
  const int want = (2 * sms + ctas - 1) / ctas;
  const int tiles = (s.context + kTile - 1) / kTile;
  return std::clamp(want, 1, std::max(tiles, 1));
}

}  // namespace

DecodeAttention::DecodeAttention(const AttentionShape& shape, int sms)
    : shape_(shape),
      splits_(choose_splits(shape, sms)),
      part_acc_(static_cast<std::size_t>(shape.batch) * shape.q_heads * splits_ * shape.head_dim *
                sizeof(float)),
      part_ml_(static_cast<std::size_t>(shape.batch) * shape.q_heads * splits_ * 2 *
               sizeof(float)) {}

void DecodeAttention::enqueue(const __half* q, const __half* k, const __half* v,
                              const int* block_table, __half* out, cudaStream_t s,
                              std::size_t q_stride) const {
  Args a{q,
         k,
         v,
         block_table,
         part_acc_.as<float>(),
         part_ml_.as<float>(),
         shape_,
         splits_,
         0,
         1.0f / std::sqrt(static_cast<float>(shape_.head_dim)),
         q_stride != 0 ? q_stride : static_cast<std::size_t>(shape_.q_heads) * shape_.head_dim};
  const int tiles = (shape_.context + kTile - 1) / kTile;
  a.chunk = (tiles + splits_ - 1) / splits_ * kTile;
  attention_partial<<<dim3(shape_.kv_heads, shape_.batch, splits_), kThreads, 0, s>>>(a);
  attention_combine<<<dim3(shape_.q_heads, shape_.batch), shape_.head_dim, 0, s>>>(
      part_acc_.as<float>(), part_ml_.as<float>(), out, shape_.q_heads, splits_, shape_.head_dim);
  TIERSIM_CUDA(cudaGetLastError());
}

Timing measure_decode_attention(Gpu& g, const validate::Point& p) {
  AttentionShape s;
  s.batch = static_cast<int>(p.get("batch"));
  s.q_heads = static_cast<int>(p.get("q_heads"));
  s.kv_heads = static_cast<int>(p.get("kv_heads"));
  s.context = static_cast<int>(p.get("context"));
  s.head_dim = static_cast<int>(p.get("head_dim"));
  s.paged = p.get("paged") == 1;
  s.page_tokens = static_cast<int>(p.get("page_tokens"));
  const std::size_t row_bytes = static_cast<std::size_t>(s.head_dim) * sizeof(__half);
  const std::size_t tokens =
      s.paged ? static_cast<std::size_t>(s.batch) * s.pages_per_seq() * s.page_tokens
              : static_cast<std::size_t>(s.batch) * s.context;
  const std::size_t cache_bytes = tokens * s.kv_heads * row_bytes;  // K (or V)
  RotatingPool k(cache_bytes);
  RotatingPool v(cache_bytes);
  DeviceBuffer q(static_cast<std::size_t>(s.batch) * s.q_heads * row_bytes);
  DeviceBuffer out(static_cast<std::size_t>(s.batch) * s.q_heads * row_bytes);
  // Paged: each sequence's pages are scattered over the pool (a seeded shuffle).
  std::vector<int> table(static_cast<std::size_t>(s.batch) * s.pages_per_seq());
  std::iota(table.begin(), table.end(), 0);
  std::mt19937_64 rng(12345);
  std::shuffle(table.begin(), table.end(), rng);
  DeviceBuffer table_dev(table.size() * sizeof(int));
  TIERSIM_CUDA(cudaMemcpy(table_dev.get(), table.data(), table.size() * sizeof(int),
                          cudaMemcpyHostToDevice));
  const DecodeAttention attn(s, g.sms());
  std::uint64_t next = 0;
  return g.time(
      [&](std::uint64_t reps) {
        for (std::uint64_t r = 0; r < reps; ++r, ++next) {
          attn.enqueue(q.as<const __half>(), reinterpret_cast<const __half*>(k.slot(next)),
                       reinterpret_cast<const __half*>(v.slot(next)), table_dev.as<const int>(),
                       out.as<__half>(), g.stream());
        }
      },
      true);
}

}  // namespace tiersim::cuda
