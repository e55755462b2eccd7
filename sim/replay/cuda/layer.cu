// One decoder layer in decode (validate::layer_steps): the same steps, in the same order, as the
// simulator times. fp16 activations, weights and KV cache (contiguous); GEMMs through cuBLAS.
#include <cuda_fp16.h>

#include <algorithm>
#include <stdexcept>
#include <vector>

#include "sim/replay/cuda/attention.cuh"
#include "sim/replay/cuda/cuda_check.h"
#include "sim/replay/cuda/gemv_gemm.cuh"
#include "sim/replay/cuda/measure.h"

namespace tiersim::cuda {
namespace {

constexpr int kThreads = 256;

// y = x / rms(x) * w, one block per row.
__global__ void rmsnorm_kernel(const __half* __restrict__ x, const __half* __restrict__ w,
                               __half* __restrict__ y, int cols) {
  __shared__ float part[kThreads / 32];
  const __half* xr = x + static_cast<std::size_t>(blockIdx.x) * cols;
  float ss = 0.f;
  for (int c = threadIdx.x; c < cols; c += kThreads) {
    const float v = __half2float(xr[c]);
    ss += v * v;
  }
  for (int o = 16; o > 0; o /= 2) ss += __shfl_xor_sync(0xffffffffu, ss, o);
  if (threadIdx.x % 32 == 0) part[threadIdx.x / 32] = ss;
  __syncthreads();
  float total = 0.f;
  for (int i = 0; i < kThreads / 32; ++i) total += part[i];
  const float inv = rsqrtf(total / static_cast<float>(cols) + 1e-6f);
  __half* yr = y + static_cast<std::size_t>(blockIdx.x) * cols;
  for (int c = threadIdx.x; c < cols; c += kThreads) {
    yr[c] = __float2half(__half2float(xr[c]) * inv * __half2float(w[c]));
  }
}

__global__ void add_kernel(const __half* a, const __half* b, __half* out, std::size_t n) {
  for (std::size_t i = blockIdx.x * std::size_t{blockDim.x} + threadIdx.x; i < n;
       i += std::size_t{gridDim.x} * blockDim.x) {
    out[i] = __hadd(a[i], b[i]);
  }
}

// out[r][c] = silu(gu[r][c]) * gu[r][ff + c]
__global__ void silu_mul_kernel(const __half* gu, __half* out, int rows, int ff) {
  const std::size_t n = static_cast<std::size_t>(rows) * ff;
  for (std::size_t i = blockIdx.x * std::size_t{blockDim.x} + threadIdx.x; i < n;
       i += std::size_t{gridDim.x} * blockDim.x) {
    const std::size_t r = i / ff, c = i % ff;
    const float g = __half2float(gu[r * 2 * ff + c]);
    const float u = __half2float(gu[r * 2 * ff + ff + c]);
    out[i] = __float2half(g / (1.f + __expf(-g)) * u);
  }
}

// Copies each sequence's new K and V (from the QKV output) into cache slot context - 1.
__global__ void kv_append_kernel(const __half* qkv, __half* kc, __half* vc, int batch, int q_heads,
                                 int kv_heads, int hd, int context) {
  const std::size_t n = static_cast<std::size_t>(batch) * kv_heads * hd;
  const std::size_t row = static_cast<std::size_t>(q_heads + 2 * kv_heads) * hd;
  for (std::size_t i = blockIdx.x * std::size_t{blockDim.x} + threadIdx.x; i < n;
       i += std::size_t{gridDim.x} * blockDim.x) {
    const std::size_t b = i / (static_cast<std::size_t>(kv_heads) * hd);
    const std::size_t rest = i % (static_cast<std::size_t>(kv_heads) * hd);
    const std::size_t h = rest / hd, c = rest % hd;
    const std::size_t dst = ((b * kv_heads + h) * context + (context - 1)) * hd + c;
    kc[dst] = qkv[b * row + static_cast<std::size_t>(q_heads) * hd + rest];
    vc[dst] = qkv[b * row + static_cast<std::size_t>(q_heads + kv_heads) * hd + rest];
  }
}

int grid_for(std::size_t n, int sms) {
  const std::size_t blocks = (n + kThreads - 1) / kThreads;
  return static_cast<int>(std::min<std::size_t>(blocks, static_cast<std::size_t>(sms) * 16));
}

__half* half_buf(std::vector<DeviceBuffer>& keep, std::size_t elements) {
  keep.emplace_back(elements * sizeof(__half));
  keep.back().fill_random(keep.size());
  return keep.back().as<__half>();
}

}  // namespace

Timing measure_layer(Gpu& g, const validate::Point& p) {
  const int b = static_cast<int>(p.get("batch")), h = static_cast<int>(p.get("hidden"));
  const int q = static_cast<int>(p.get("heads")), kv = static_cast<int>(p.get("kv_heads"));
  const int hd = static_cast<int>(p.get("head_dim")), ff = static_cast<int>(p.get("intermediate"));
  const int ctx = static_cast<int>(p.get("context"));
  const std::size_t B = static_cast<std::size_t>(b);
  const int qkv_n = (q + 2 * kv) * hd;
  std::vector<DeviceBuffer> keep;
  keep.reserve(32);
  __half* x = half_buf(keep, B * h);
  __half* xn = half_buf(keep, B * h);
  __half* qkv = half_buf(keep, B * qkv_n);
  __half* attn_out = half_buf(keep, B * q * hd);
  __half* o = half_buf(keep, B * h);
  __half* x2 = half_buf(keep, B * h);
  __half* gu = half_buf(keep, B * 2 * ff);
  __half* act = half_buf(keep, B * ff);
  __half* down = half_buf(keep, B * h);
  __half* x3 = half_buf(keep, B * h);
  __half* norm_w = half_buf(keep, h);
  __half* w_qkv = half_buf(keep, static_cast<std::size_t>(h) * qkv_n);
  __half* w_o = half_buf(keep, static_cast<std::size_t>(q) * hd * h);
  __half* w_gu = half_buf(keep, static_cast<std::size_t>(h) * 2 * ff);
  __half* w_d = half_buf(keep, static_cast<std::size_t>(ff) * h);
  __half* kc = half_buf(keep, B * kv * ctx * hd);
  __half* vc = half_buf(keep, B * kv * ctx * hd);
  const DecodeAttention attn(
      AttentionShape{.batch = b, .q_heads = q, .kv_heads = kv, .context = ctx, .head_dim = hd},
      g.sms());
  const cudaStream_t s = g.stream();
  const int sms = g.sms();
  const std::vector<validate::LayerStep> steps = validate::layer_steps(p);
  const auto run_layer = [&] {
    for (const auto& st : steps) {
      if (st.name == "rmsnorm_attn") {
        rmsnorm_kernel<<<b, kThreads, 0, s>>>(x, norm_w, xn, h);
      } else if (st.name == "qkv") {
        enqueue_gemm(g.cublas(), CUDA_R_16F, xn, w_qkv, qkv, b, qkv_n, h);
      } else if (st.name == "kv_append") {
        kv_append_kernel<<<grid_for(B * kv * hd, sms), kThreads, 0, s>>>(qkv, kc, vc, b, q, kv, hd,
                                                                         ctx);
      } else if (st.name == "attention") {
        attn.enqueue(qkv, kc, vc, nullptr, attn_out, s, static_cast<std::size_t>(qkv_n));
      } else if (st.name == "o_proj") {
        enqueue_gemm(g.cublas(), CUDA_R_16F, attn_out, w_o, o, b, h, q * hd);
      } else if (st.name == "residual_attn") {
        add_kernel<<<grid_for(B * h, sms), kThreads, 0, s>>>(x, o, x2, B * h);
      } else if (st.name == "rmsnorm_ffn") {
        rmsnorm_kernel<<<b, kThreads, 0, s>>>(x2, norm_w, xn, h);
      } else if (st.name == "gate_up") {
        enqueue_gemm(g.cublas(), CUDA_R_16F, xn, w_gu, gu, b, 2 * ff, h);
      } else if (st.name == "silu_mul") {
        silu_mul_kernel<<<grid_for(B * ff, sms), kThreads, 0, s>>>(gu, act, b, ff);
      } else if (st.name == "down") {
        enqueue_gemm(g.cublas(), CUDA_R_16F, act, w_d, down, b, h, ff);
      } else if (st.name == "residual_ffn") {
        add_kernel<<<grid_for(B * h, sms), kThreads, 0, s>>>(x2, down, x3, B * h);
      } else {
        throw std::logic_error("layer: no CUDA implementation of step '" + st.name + "'");
      }
    }
    TIERSIM_CUDA(cudaGetLastError());
  };
  run_layer();  // warm-up: cuBLAS picks its kernels
  TIERSIM_CUDA(cudaStreamSynchronize(s));
  return g.time(
      [&](std::uint64_t reps) {
        for (std::uint64_t r = 0; r < reps; ++r) run_layer();
      },
      true);
}

}  // namespace tiersim::cuda
