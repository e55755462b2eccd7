// HBM streaming (read / write / copy over sizes and occupancy), the warm L2 footprint sweep and
// the paged KV gather.
#include <algorithm>
#include <memory>
#include <vector>

#include "sim/replay/cuda/cuda_check.h"
#include "sim/replay/cuda/measure.h"
#include "sim/replay/cuda/stream_kernels.cuh"

namespace tiersim::cuda {

__global__ void read_kernel(const float4* __restrict__ a, std::size_t n4, float* sink) {
  float acc = 0.f;
  for (std::size_t i = blockIdx.x * std::size_t{blockDim.x} + threadIdx.x; i < n4;
       i += std::size_t{gridDim.x} * blockDim.x) {
    const float4 v = a[i];
    acc += v.x + v.y + v.z + v.w;
  }
  if (acc == -1.2345e-30f) *sink = acc;
}

__global__ void write_kernel(float4* __restrict__ a, std::size_t n4, float value) {
  for (std::size_t i = blockIdx.x * std::size_t{blockDim.x} + threadIdx.x; i < n4;
       i += std::size_t{gridDim.x} * blockDim.x) {
    a[i] = make_float4(value, value, value, value);
  }
}

__global__ void copy_kernel(const float4* __restrict__ a, float4* __restrict__ b, std::size_t n4) {
  for (std::size_t i = blockIdx.x * std::size_t{blockDim.x} + threadIdx.x; i < n4;
       i += std::size_t{gridDim.x} * blockDim.x) {
    b[i] = a[i];
  }
}

namespace {

constexpr int kThreads = 256;

// One CTA per page (grid-stride over pages): copies page `table[page]` of the pool to `page` of
// the contiguous output.
__global__ void kv_gather_kernel(const int4* __restrict__ pool, const unsigned* __restrict__ table,
                                 int4* __restrict__ out, unsigned pages, std::size_t page_vec) {
  for (unsigned page = blockIdx.x; page < pages; page += gridDim.x) {
    const int4* src = pool + table[page] * page_vec;
    int4* dst = out + page * page_vec;
    for (std::size_t i = threadIdx.x; i < page_vec; i += blockDim.x) dst[i] = src[i];
  }
}

}  // namespace

int occupancy_grid(const void* kernel, int threads, int sms, unsigned pct) {
  int per_sm = 0;
  TIERSIM_CUDA(cudaOccupancyMaxActiveBlocksPerMultiprocessor(&per_sm, kernel, threads, 0));
  const long long blocks = static_cast<long long>(per_sm) * sms * pct / 100;
  return static_cast<int>(blocks < 1 ? 1 : blocks);
}

Timing measure_hbm_stream(Gpu& g, const validate::Point& p) {
  const std::size_t bytes = p.get("bytes");
  const std::size_t n4 = bytes / sizeof(float4);
  const auto pct = static_cast<unsigned>(p.get("occupancy_pct"));
  RotatingPool src(bytes);
  std::unique_ptr<RotatingPool> dst;
  if (p.op == "copy") dst = std::make_unique<RotatingPool>(bytes);
  DeviceBuffer sink(sizeof(float));
  std::uint64_t next = 0;
  const cudaStream_t s = g.stream();
  if (p.op == "read") {
    const int grid =
        occupancy_grid(reinterpret_cast<const void*>(&read_kernel), kThreads, g.sms(), pct);
    return g.time(
        [&](std::uint64_t reps) {
          for (std::uint64_t r = 0; r < reps; ++r, ++next) {
            read_kernel<<<grid, kThreads, 0, s>>>(reinterpret_cast<const float4*>(src.slot(next)),
                                                  n4, sink.as<float>());
          }
          TIERSIM_CUDA(cudaGetLastError());
        },
        true);
  }
  if (p.op == "write") {
    const int grid =
        occupancy_grid(reinterpret_cast<const void*>(&write_kernel), kThreads, g.sms(), pct);
    return g.time(
        [&](std::uint64_t reps) {
          for (std::uint64_t r = 0; r < reps; ++r, ++next) {
            write_kernel<<<grid, kThreads, 0, s>>>(reinterpret_cast<float4*>(src.slot(next)), n4,
                                                   1.0f);
          }
          TIERSIM_CUDA(cudaGetLastError());
        },
        true);
  }
  const int grid =
      occupancy_grid(reinterpret_cast<const void*>(&copy_kernel), kThreads, g.sms(), pct);
  return g.time(
      [&](std::uint64_t reps) {
        for (std::uint64_t r = 0; r < reps; ++r, ++next) {
          copy_kernel<<<grid, kThreads, 0, s>>>(reinterpret_cast<const float4*>(src.slot(next)),
                                                reinterpret_cast<float4*>(dst->slot(next)), n4);
        }
        TIERSIM_CUDA(cudaGetLastError());
      },
      true);
}

Timing measure_l2_sweep(Gpu& g, const validate::Point& p) {
  const std::size_t bytes = p.get("footprint");
  DeviceBuffer buf(bytes);
  DeviceBuffer sink(sizeof(float));
  const std::size_t n4 = bytes / sizeof(float4);
  const int grid =
      occupancy_grid(reinterpret_cast<const void*>(&read_kernel), kThreads, g.sms(), 100);
  const cudaStream_t s = g.stream();
  // Warm: two passes, so the footprint is as resident in L2 as it will get.
  for (int i = 0; i < 2; ++i) {
    read_kernel<<<grid, kThreads, 0, s>>>(buf.as<const float4>(), n4, sink.as<float>());
  }
  TIERSIM_CUDA(cudaGetLastError());
  return g.time(
      [&](std::uint64_t reps) {
        for (std::uint64_t r = 0; r < reps; ++r) {
          read_kernel<<<grid, kThreads, 0, s>>>(buf.as<const float4>(), n4, sink.as<float>());
        }
        TIERSIM_CUDA(cudaGetLastError());
      },
      false);
}

Timing measure_kv_gather(Gpu& g, const validate::Point& p) {
  const auto pages = static_cast<unsigned>(p.get("pages"));
  const std::size_t page_bytes = p.get("page_tokens") * p.get("token_bytes");
  const std::vector<std::uint32_t> table = validate::kv_page_table(p);
  DeviceBuffer table_dev(table.size() * sizeof(unsigned));
  TIERSIM_CUDA(cudaMemcpy(table_dev.get(), table.data(), table.size() * sizeof(unsigned),
                          cudaMemcpyHostToDevice));
  DeviceBuffer pool(2 * pages * page_bytes);
  DeviceBuffer out(pages * page_bytes);
  pool.fill_random(1);
  const int grid = std::min<int>(static_cast<int>(pages), g.sms() * 8);
  const cudaStream_t s = g.stream();
  return g.time(
      [&](std::uint64_t reps) {
        for (std::uint64_t r = 0; r < reps; ++r) {
          kv_gather_kernel<<<grid, kThreads, 0, s>>>(pool.as<const int4>(),
                                                     table_dev.as<const unsigned>(), out.as<int4>(),
                                                     pages, page_bytes / 16);
        }
        TIERSIM_CUDA(cudaGetLastError());
      },
      true);
}

}  // namespace tiersim::cuda
