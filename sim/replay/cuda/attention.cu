#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/replay/cuda/attention.cuh"
#include "sim/replay/cuda/cuda_check.h"
#include "sim/replay/cuda/measure.h"
#include "sim/replay/cuda/split_plan.h"

namespace tiersim::cuda {
namespace {

constexpr int kThreads = 128;
constexpr int kWarps = kThreads / 32;
constexpr int kUnroll = 4;  // tokens per lane group in flight per iteration
constexpr int kMaxSplits = 1024;
// Block-table entries a CTA stages in shared memory at a time (paged KV): the row addresses of a
// window's tokens come from shared memory instead of a dependent global load per token.
constexpr int kTableWindow = 256;

struct Args {
  const __half* q;
  const __half* k;
  const __half* v;
  const int* block_table;
  float* part_acc;
  float* part_ml;
  __half* out;
  AttentionShape s;
  int splits;
  int chunk;  // tokens per split
  float scale;
  std::size_t q_stride;  // elements between consecutive sequences' queries
};

// Element offset of token t's row of (seq, head) in the K (or V) cache. Paged: `pages` holds the
// block-table entries of this CTA's current window, the first being the sequence's page p_lo.
__device__ std::size_t row_offset(const Args& a, int seq, int head, int t, const int* pages,
                                  int p_lo) {
  const std::size_t hd = a.s.head_dim;
  if (!a.s.paged) {
    return ((static_cast<std::size_t>(seq) * a.s.kv_heads + head) * a.s.context + t) * hd;
  }
  const int page = pages[t / a.s.page_tokens - p_lo];
  return ((static_cast<std::size_t>(page) * a.s.kv_heads + head) * a.s.page_tokens +
          t % a.s.page_tokens) *
         hd;
}

// Running softmax state of one query head over some tokens: max m, sum l, accumulator acc.
// Merging two states: m = max(m1, m2), each side weighted by e^(m_i - m) (0 for an empty side).
__device__ float weight(float m_part, float m) {
  return m_part == -INFINITY ? 0.f : __expf(m_part - m);
}

// CTAs per SM that the register budget must allow (65536 registers / 128 threads: at most 64, 102,
// 128, 170 registers for groups 1, 2, 4, 8): the occupancy the kernel had before the paged
// block-table window (commit 410c91a); without the bound nvcc gave group 8 198 registers (2 CTAs
// per SM instead of 3).
constexpr int min_ctas_per_sm(int group) {
  return group == 1 ? 8 : group == 2 ? 5 : group == 4 ? 4 : 3;
}

// One CTA = (kv head, sequence, split); 4 warps. A row of K or V (head_dim halves) is read by
// L = head_dim / 8 lanes, 16 B each, so a warp reads 32 / L consecutive tokens per step, and each
// lane group keeps kUnroll tokens of K and V in flight. Every lane keeps, for each of the GROUP
// query heads that share this KV head, its 8 columns of q and of the accumulator in registers and
// the running max / sum; states are merged across lane groups (shuffles) and warps (shared
// memory) at the end. Measured on H100 at commit 6613c68, before the paged block-table window
// (GQA 32/8, batch 64, context 4096, contiguous, 2 splits then): 423 us;
// with fp32 q.k products 523 us (160 instead of 125 registers for GROUP 4: one CTA per SM
// less), 8 rows in flight per lane group 637 us, 2 rows 484 us, and loading the next
// iteration's rows before using this one's 590 us. Paged by 16 tokens: 620 us; giving each warp
// 8 consecutive tokens so that it reads one block-table entry per step (commit ca796ef,
// reverted) made it 773 us and the contiguous case 417 us.
template <int GROUP, int L>
__global__ void __launch_bounds__(kThreads, min_ctas_per_sm(GROUP)) attention_partial(Args a) {
  constexpr int kRowsPerWarp = 32 / L;
  constexpr int kStep = kWarps * kRowsPerWarp;  // tokens between a lane group's unrolled rows
  constexpr int kHd = L * 8;
  __shared__ float sm_acc[kWarps][GROUP][kHd];
  __shared__ float sm_m[kWarps][GROUP], sm_l[kWarps][GROUP];

  const int h = blockIdx.x, b = blockIdx.y, split = blockIdx.z;
  const int warp = threadIdx.x / 32, lane = threadIdx.x % 32;
  const int slot = lane / L, col = lane % L;  // token slot in the warp, 8-column chunk
  const auto [t0, t1] = split_range(split, a.chunk, a.s.context);

  float acc[GROUP][8], m[GROUP], l[GROUP];
  __half2 qh[GROUP][4];  // this lane's 8 columns of q x scale
#pragma unroll
  for (int g = 0; g < GROUP; ++g) {
    const std::size_t qi = b * a.q_stride + static_cast<std::size_t>(h * GROUP + g) * kHd + col * 8;
    const int4 raw = *reinterpret_cast<const int4*>(a.q + qi);
    const __half2* q2 = reinterpret_cast<const __half2*>(&raw);
#pragma unroll
    for (int e = 0; e < 4; ++e) {
      const float2 f = __half22float2(q2[e]);
      qh[g][e] = __floats2half2_rn(f.x * a.scale, f.y * a.scale);
    }
#pragma unroll
    for (int e = 0; e < 8; ++e) acc[g][e] = 0.f;
    m[g] = -INFINITY;
    l[g] = 0.f;
  }

  // Windows of the split's tokens: all of them (contiguous) or those of kTableWindow pages whose
  // block-table entries are first staged in shared memory (paged). Window bounds are the same
  // for the whole CTA (the __syncthreads); the token loop's bound is the same for a whole warp
  // (the shuffles below need every lane).
  __shared__ int sm_pages[kTableWindow];
  const std::size_t table_row = static_cast<std::size_t>(b) * a.s.pages_per_seq();
  for (int w0 = t0; w0 < t1;) {
    int w1 = t1, p_lo = 0;
    if (a.s.paged) {
      const TableWindow win = table_window(w0, t1, a.s.page_tokens, kTableWindow);
      p_lo = win.p_lo;
      w1 = win.w1;
      __syncthreads();  // the previous window's entries are no longer read
      for (int i = threadIdx.x; i < win.p_hi - win.p_lo; i += kThreads) {
        sm_pages[i] = a.block_table[table_row + win.p_lo + i];
      }
      __syncthreads();
    }
    for (int base = w0 + warp * kRowsPerWarp; base < w1; base += kStep * kUnroll) {
      int4 kr[kUnroll], vr[kUnroll];
      bool valid[kUnroll];
#pragma unroll
      for (int j = 0; j < kUnroll; ++j) {
        const int t = base + slot + j * kStep;
        valid[j] = t < w1;
        if (valid[j]) {
          const std::size_t off = row_offset(a, b, h, t, sm_pages, p_lo);
          kr[j] = __ldg(reinterpret_cast<const int4*>(a.k + off) + col);
          vr[j] = __ldg(reinterpret_cast<const int4*>(a.v + off) + col);
        } else {
          kr[j] = make_int4(0, 0, 0, 0);
          vr[j] = make_int4(0, 0, 0, 0);
        }
      }
#pragma unroll
      for (int g = 0; g < GROUP; ++g) {
        float sc[kUnroll];
        float mx = m[g];
#pragma unroll
        for (int j = 0; j < kUnroll; ++j) {
          const __half2* k2 = reinterpret_cast<const __half2*>(&kr[j]);
          // The lane's 8 products in fp16 (half2 FMA: 4 per token and head), then fp32 across
          // lanes; measured on H100 at 2.5e-4 relative error (check_decode_attention) and 20%
          // faster than fp32 products, which cost 35 more registers per thread.
          __half2 h2 = __hmul2(qh[g][0], k2[0]);
#pragma unroll
          for (int e = 1; e < 4; ++e) h2 = __hfma2(qh[g][e], k2[e], h2);
          float d = __low2float(h2) + __high2float(h2);
#pragma unroll
          for (int o = L / 2; o > 0; o /= 2) d += __shfl_xor_sync(0xffffffffu, d, o);
          sc[j] = valid[j] ? d : -INFINITY;
          mx = fmaxf(mx, sc[j]);
        }
        if (mx == -INFINITY) continue;  // nothing valid yet for this lane group
        const float corr = weight(m[g], mx);
        float p[kUnroll];
        float sum = 0.f;
#pragma unroll
        for (int j = 0; j < kUnroll; ++j) {
          p[j] = valid[j] ? __expf(sc[j] - mx) : 0.f;
          sum += p[j];
        }
        l[g] = l[g] * corr + sum;
        m[g] = mx;
#pragma unroll
        for (int e = 0; e < 8; ++e) acc[g][e] *= corr;
#pragma unroll
        for (int j = 0; j < kUnroll; ++j) {
          const __half2* v2 = reinterpret_cast<const __half2*>(&vr[j]);
#pragma unroll
          for (int e = 0; e < 4; ++e) {
            const float2 f = __half22float2(v2[e]);
            acc[g][2 * e] += p[j] * f.x;
            acc[g][2 * e + 1] += p[j] * f.y;
          }
        }
      }
    }
    w0 = w1;
  }

  // Merge the token slots of the warp (lanes col, col + L, col + 2L, ...).
#pragma unroll
  for (int o = L; o < 32; o *= 2) {
#pragma unroll
    for (int g = 0; g < GROUP; ++g) {
      const float m2 = __shfl_xor_sync(0xffffffffu, m[g], o);
      const float l2 = __shfl_xor_sync(0xffffffffu, l[g], o);
      const float mm = fmaxf(m[g], m2);
      const float w1 = weight(m[g], mm), w2 = weight(m2, mm);
      l[g] = l[g] * w1 + l2 * w2;
#pragma unroll
      for (int e = 0; e < 8; ++e) {
        const float a2 = __shfl_xor_sync(0xffffffffu, acc[g][e], o);
        acc[g][e] = acc[g][e] * w1 + a2 * w2;
      }
      m[g] = mm;
    }
  }
  if (slot == 0) {
#pragma unroll
    for (int g = 0; g < GROUP; ++g) {
#pragma unroll
      for (int e = 0; e < 8; ++e) sm_acc[warp][g][col * 8 + e] = acc[g][e];
      if (col == 0) {
        sm_m[warp][g] = m[g];
        sm_l[warp][g] = l[g];
      }
    }
  }
  __syncthreads();
  // Merge the warps and write this split's state (or, with one split, the output).
  for (int i = threadIdx.x; i < GROUP * kHd; i += kThreads) {
    const int g = i / kHd, c = i % kHd;
    float mm = -INFINITY;
    for (int w = 0; w < kWarps; ++w) mm = fmaxf(mm, sm_m[w][g]);
    float x = 0.f, ll = 0.f;
    for (int w = 0; w < kWarps; ++w) {
      const float wt = weight(sm_m[w][g], mm);
      x += sm_acc[w][g][c] * wt;
      ll += sm_l[w][g] * wt;
    }
    const std::size_t qh = static_cast<std::size_t>(b) * a.s.q_heads + h * GROUP + g;
    if (a.splits == 1) {
      a.out[qh * kHd + c] = __float2half(ll > 0.f ? x / ll : 0.f);
    } else {
      a.part_acc[(qh * a.splits + split) * kHd + c] = x;
      if (c == 0) {
        a.part_ml[(qh * a.splits + split) * 2] = mm;
        a.part_ml[(qh * a.splits + split) * 2 + 1] = ll;
      }
    }
  }
}

// Reduces v over the CTA with op (a power-of-two count of whole warps, at most 32); every thread
// gets the result. red: one float per warp of shared memory, reused by successive calls.
template <class Op>
__device__ float block_reduce(float v, Op op, float* red) {
#pragma unroll
  for (int o = 16; o > 0; o /= 2) v = op(v, __shfl_xor_sync(0xffffffffu, v, o));
  __syncthreads();  // a previous call's readers are done with red
  if (threadIdx.x % 32 == 0) red[threadIdx.x / 32] = v;
  __syncthreads();
  v = red[0];
  for (int i = 1; i < static_cast<int>(blockDim.x / 32); ++i) v = op(v, red[i]);
  return v;
}

// grid (q_heads, batch), head_dim threads: out = sum_s acc_s e^(m_s - M) / sum_s l_s e^(m_s - M).
// Each thread reads the maxima and sums of splits c, c + head_dim, ... (in parallel); M and the
// denominator are block reductions; then thread c sums column c over the splits (independent
// loads, unrolled).
__global__ void attention_combine(const float* part_acc, const float* part_ml, __half* out,
                                  int q_heads, int splits, int hd) {
  __shared__ float w[kMaxSplits], ls[kMaxSplits];
  __shared__ float red[32];
  const std::size_t qh = static_cast<std::size_t>(blockIdx.y) * q_heads + blockIdx.x;
  const int c = threadIdx.x;
  const float2* ml = reinterpret_cast<const float2*>(part_ml) + qh * splits;
  float m = -INFINITY;
  for (int s = c; s < splits; s += blockDim.x) {
    const float2 x = ml[s];
    w[s] = x.x;
    ls[s] = x.y;
    m = fmaxf(m, x.x);
  }
  m = block_reduce(
      m, [](float x, float y) { return fmaxf(x, y); }, red);
  float l = 0.f;
  for (int s = c; s < splits; s += blockDim.x) {  // the same splits this thread wrote above
    const float ws = weight(w[s], m);
    w[s] = ws;
    l += ls[s] * ws;
  }
  const float total = block_reduce(
      l, [](float x, float y) { return x + y; }, red);
  // block_reduce's barriers also publish every w[s].
  float x = 0.f;
  const float* col = part_acc + qh * splits * hd + c;
#pragma unroll 8
  for (int s = 0; s < splits; ++s) x += col[static_cast<std::size_t>(s) * hd] * w[s];
  out[qh * hd + c] = __float2half(total > 0.f ? x / total : 0.f);
}

// Tokens one CTA covers per loop iteration (head_dim 128: 4 warps x 2 rows x kUnroll = 32).
int tokens_per_iteration(const AttentionShape& s) {
  return kWarps * (32 / (s.head_dim / 8)) * kUnroll;
}

// Splits for a shape on a GPU holding `slots` CTAs at once (split_plan.h).
int splits_for(const AttentionShape& s, int slots) {
  const int per_iter = tokens_per_iteration(s);
  const int iters = std::max(1, (s.context + per_iter - 1) / per_iter);
  return choose_splits(static_cast<std::int64_t>(s.batch) * s.kv_heads, iters, slots, kMaxSplits);
}

using PartialKernel = void (*)(Args);

template <int GROUP>
PartialKernel partial_for_head_dim(int head_dim) {
  switch (head_dim) {
    case 128:
      return attention_partial<GROUP, 16>;
    case 64:
      return attention_partial<GROUP, 8>;
    default:
      return attention_partial<GROUP, 4>;
  }
}

// The instantiation for the shape's group (q_heads / kv_heads) and head_dim.
PartialKernel partial_kernel(const AttentionShape& s) {
  switch (s.q_heads / s.kv_heads) {
    case 1:
      return partial_for_head_dim<1>(s.head_dim);
    case 2:
      return partial_for_head_dim<2>(s.head_dim);
    case 4:
      return partial_for_head_dim<4>(s.head_dim);
    default:
      return partial_for_head_dim<8>(s.head_dim);
  }
}

void validate_shape(const AttentionShape& s) {
  const int group = s.kv_heads > 0 ? s.q_heads / s.kv_heads : 0;
  if (s.kv_heads <= 0 || s.q_heads % s.kv_heads != 0 ||
      (group != 1 && group != 2 && group != 4 && group != 8)) {
    throw std::invalid_argument("decode attention: q_heads / kv_heads must be 1, 2, 4 or 8");
  }
  if (s.head_dim != 32 && s.head_dim != 64 && s.head_dim != 128) {
    throw std::invalid_argument("decode attention: head_dim must be 32, 64 or 128");
  }
  if (s.batch <= 0 || s.context <= 0 || (s.paged && s.page_tokens <= 0)) {
    throw std::invalid_argument("decode attention: batch, context and page_tokens must be > 0");
  }
}

// CTAs of the shape's partial kernel resident on the whole GPU at once (the occupancy API).
int resident_ctas(const AttentionShape& s, int sms) {
  validate_shape(s);
  int per_sm = 0;
  TIERSIM_CUDA(cudaOccupancyMaxActiveBlocksPerMultiprocessor(
      &per_sm, reinterpret_cast<const void*>(partial_kernel(s)), kThreads, 0));
  return std::max(1, per_sm) * std::max(1, sms);
}

}  // namespace

DecodeAttention::DecodeAttention(const AttentionShape& shape, int sms)
    : shape_(shape),
      splits_(splits_for(shape, resident_ctas(shape, sms))),
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
         out,
         shape_,
         splits_,
         0,
         1.0f / std::sqrt(static_cast<float>(shape_.head_dim)),
         q_stride != 0 ? q_stride : static_cast<std::size_t>(shape_.q_heads) * shape_.head_dim};
  a.chunk = split_chunk(shape_.context, tokens_per_iteration(shape_), splits_);
  const dim3 grid(shape_.kv_heads, shape_.batch, splits_);
  partial_kernel(shape_)<<<grid, kThreads, 0, s>>>(a);
  if (splits_ > 1) {
    attention_combine<<<dim3(shape_.q_heads, shape_.batch), shape_.head_dim, 0, s>>>(
        part_acc_.as<float>(), part_ml_.as<float>(), out, shape_.q_heads, splits_, shape_.head_dim);
  }
  TIERSIM_CUDA(cudaGetLastError());
}

double check_decode_attention(int sms, std::string* log) {
  struct Case {
    AttentionShape s;
    const char* name;
  };
  const auto shape = [](int b, int qh, int kvh, int ctx, int hd, bool paged, int page = 16) {
    return AttentionShape{.batch = b,
                          .q_heads = qh,
                          .kv_heads = kvh,
                          .context = ctx,
                          .head_dim = hd,
                          .paged = paged,
                          .page_tokens = page};
  };
  const std::vector<Case> cases = {
      {shape(2, 32, 8, 1000, 128, false), "gqa32x8 contig b2 ctx1000"},
      {shape(3, 32, 8, 77, 128, true), "gqa32x8 paged16 b3 ctx77"},
      {shape(1, 8, 8, 4096, 128, false), "mha8 contig b1 ctx4096"},
      {shape(64, 32, 8, 33, 128, true), "gqa32x8 paged16 b64 ctx33"},
      {shape(5, 16, 2, 300, 64, true), "gqa16x2 paged16 b5 ctx300 hd64"},
      // One split of 600 one-token pages: three block-table windows (256, 256, 88 entries).
      {shape(64, 32, 8, 600, 128, true, 1), "gqa32x8 paged1 b64 ctx600"},
      // Three-token pages: splits and windows start inside a page; group 2.
      {shape(5, 4, 2, 700, 64, true, 3), "gqa4x2 paged3 b5 ctx700 hd64"},
      // Many splits (about one round of CTAs); with head_dim 32, more splits than combine threads.
      {shape(1, 32, 8, 4000, 128, false), "gqa32x8 contig b1 ctx4000"},
      {shape(2, 4, 4, 8000, 32, true), "mha4 paged16 b2 ctx8000 hd32"},
  };
  double worst = 0;
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<float> u(-1.f, 1.f);
  for (const auto& c : cases) {
    const AttentionShape& s = c.s;
    const std::size_t hd = s.head_dim;
    const std::size_t tokens =
        s.paged ? static_cast<std::size_t>(s.batch) * s.pages_per_seq() * s.page_tokens
                : static_cast<std::size_t>(s.batch) * s.context;
    const std::size_t kv_elems = tokens * s.kv_heads * hd;
    const std::size_t q_elems = static_cast<std::size_t>(s.batch) * s.q_heads * hd;
    std::vector<__half> q(q_elems), k(kv_elems), v(kv_elems), out(q_elems);
    for (auto& x : q) x = __float2half(u(rng));
    for (auto& x : k) x = __float2half(u(rng));
    for (auto& x : v) x = __float2half(u(rng));
    std::vector<int> table(static_cast<std::size_t>(s.batch) * s.pages_per_seq());
    std::iota(table.begin(), table.end(), 0);
    std::shuffle(table.begin(), table.end(), rng);
    DeviceBuffer qd(q_elems * 2), kd(kv_elems * 2), vd(kv_elems * 2), od(q_elems * 2),
        td(table.size() * sizeof(int));
    TIERSIM_CUDA(cudaMemcpy(qd.get(), q.data(), q_elems * 2, cudaMemcpyHostToDevice));
    TIERSIM_CUDA(cudaMemcpy(kd.get(), k.data(), kv_elems * 2, cudaMemcpyHostToDevice));
    TIERSIM_CUDA(cudaMemcpy(vd.get(), v.data(), kv_elems * 2, cudaMemcpyHostToDevice));
    TIERSIM_CUDA(
        cudaMemcpy(td.get(), table.data(), table.size() * sizeof(int), cudaMemcpyHostToDevice));
    TIERSIM_CUDA(cudaMemset(od.get(), 0xff, q_elems * 2));  // NaN poison: unwritten shows
    const DecodeAttention attn(s, sms);
    attn.enqueue(qd.as<const __half>(), kd.as<const __half>(), vd.as<const __half>(),
                 td.as<const int>(), od.as<__half>(), nullptr);
    TIERSIM_CUDA(cudaDeviceSynchronize());
    TIERSIM_CUDA(cudaMemcpy(out.data(), od.get(), q_elems * 2, cudaMemcpyDeviceToHost));
    const auto at = [&](const std::vector<__half>& buf, int b, int kh, int t, std::size_t e) {
      std::size_t idx = 0;
      if (s.paged) {
        const int page = table[static_cast<std::size_t>(b) * s.pages_per_seq() + t / s.page_tokens];
        idx = ((static_cast<std::size_t>(page) * s.kv_heads + kh) * s.page_tokens +
               t % s.page_tokens) *
                  hd +
              e;
      } else {
        idx = ((static_cast<std::size_t>(b) * s.kv_heads + kh) * s.context + t) * hd + e;
      }
      return static_cast<double>(__half2float(buf[idx]));
    };
    double num = 0, den = 0;
    const int group = s.q_heads / s.kv_heads;
    std::vector<double> sc(static_cast<std::size_t>(s.context)), ref(hd);
    for (int b = 0; b < s.batch; ++b) {
      for (int qh = 0; qh < s.q_heads; ++qh) {
        const int kh = qh / group;
        const std::size_t qbase = (static_cast<std::size_t>(b) * s.q_heads + qh) * hd;
        double mx = -1e300;
        for (int t = 0; t < s.context; ++t) {
          double d = 0;
          for (std::size_t e = 0; e < hd; ++e) {
            d += static_cast<double>(__half2float(q[qbase + e])) * at(k, b, kh, t, e);
          }
          sc[t] = d / std::sqrt(static_cast<double>(hd));
          mx = std::max(mx, sc[t]);
        }
        double l = 0;
        std::fill(ref.begin(), ref.end(), 0.0);
        for (int t = 0; t < s.context; ++t) {
          const double p = std::exp(sc[t] - mx);
          l += p;
          for (std::size_t e = 0; e < hd; ++e) ref[e] += p * at(v, b, kh, t, e);
        }
        for (std::size_t e = 0; e < hd; ++e) {
          const double got = __half2float(out[qbase + e]);
          const double want = ref[e] / l;
          num += std::isfinite(got) ? (got - want) * (got - want) : 1e300;
          den += want * want;
        }
      }
    }
    const double err = std::sqrt(num / den);
    worst = std::max(worst, err);
    if (log != nullptr) {
      *log += std::string(c.name) + ": splits " + std::to_string(attn.splits()) +
              ", relative error " + std::to_string(err) + "\n";
    }
  }
  return worst;
}

Timing measure_decode_attention(Gpu& g, const validate::Point& p) {
  const auto param = [&](const char* key) { return static_cast<int>(p.get(key)); };
  const AttentionShape s{.batch = param("batch"),
                         .q_heads = param("q_heads"),
                         .kv_heads = param("kv_heads"),
                         .context = param("context"),
                         .head_dim = param("head_dim"),
                         .paged = p.get("paged") == 1,
                         .page_tokens = param("page_tokens")};
  const std::size_t row_bytes = static_cast<std::size_t>(s.head_dim) * sizeof(__half);
  const std::size_t tokens =
      s.paged ? static_cast<std::size_t>(s.batch) * s.pages_per_seq() * s.page_tokens
              : static_cast<std::size_t>(s.batch) * s.context;
  const std::size_t cache_bytes = tokens * s.kv_heads * row_bytes;  // K (or V)
  RotatingPool k(cache_bytes);
  RotatingPool v(cache_bytes);
  DeviceBuffer q(static_cast<std::size_t>(s.batch) * s.q_heads * row_bytes);
  DeviceBuffer out(static_cast<std::size_t>(s.batch) * s.q_heads * row_bytes);
  k.fill_random(1);
  v.fill_random(2);
  q.fill_random(3);
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
