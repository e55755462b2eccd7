// Pointer-chase latency: one thread follows a chain of 8-byte offsets stored at node i x stride
// (validate::chase_order), loading through L2 only (ld.global.cg, no L1), so each load waits for
// the previous one. A whole cycle is walked untimed first; the timed kernels continue along the
// cycle from where the last one stopped.
#include <vector>

#include "sim/replay/cuda/cuda_check.h"
#include "sim/replay/cuda/measure.h"

namespace tiersim::cuda {
namespace {

__global__ void scatter_chain(unsigned long long* base, const unsigned* next, std::size_t nodes,
                              std::size_t stride_words) {
  for (std::size_t i = blockIdx.x * std::size_t{blockDim.x} + threadIdx.x; i < nodes;
       i += std::size_t{gridDim.x} * blockDim.x) {
    base[i * stride_words] = static_cast<unsigned long long>(next[i]) * stride_words * 8;
  }
}

__global__ void chase_kernel(const char* base, unsigned long long loads,
                             unsigned long long* state) {
  unsigned long long off = *state;
  for (unsigned long long i = 0; i < loads; ++i) {
    off = __ldcg(reinterpret_cast<const unsigned long long*>(base + off));
  }
  *state = off;
}

}  // namespace

Timing measure_pointer_chase(Gpu& g, const validate::Point& p) {
  const std::size_t footprint = p.get("footprint");
  const std::size_t stride = p.get("stride");
  const std::uint64_t loads = p.get("loads");
  const std::vector<std::uint32_t> next = validate::chase_order(p);
  DeviceBuffer buf(footprint);
  DeviceBuffer next_dev(next.size() * sizeof(unsigned));
  DeviceBuffer state(sizeof(unsigned long long));
  TIERSIM_CUDA(cudaMemcpy(next_dev.get(), next.data(), next.size() * sizeof(unsigned),
                          cudaMemcpyHostToDevice));
  const cudaStream_t s = g.stream();
  scatter_chain<<<g.sms() * 4, 256, 0, s>>>(buf.as<unsigned long long>(), next_dev.as<unsigned>(),
                                            next.size(), stride / 8);
  chase_kernel<<<1, 1, 0, s>>>(buf.as<const char>(), validate::chase_warm_loads(p),
                               state.as<unsigned long long>());
  TIERSIM_CUDA(cudaGetLastError());
  TIERSIM_CUDA(cudaStreamSynchronize(s));
  Timing t = g.time(
      [&](std::uint64_t reps) {
        for (std::uint64_t r = 0; r < reps; ++r) {
          chase_kernel<<<1, 1, 0, s>>>(buf.as<const char>(), loads, state.as<unsigned long long>());
        }
        TIERSIM_CUDA(cudaGetLastError());
      },
      false);
  for (double& x : t.samples_s) x /= static_cast<double>(loads);
  return t;
}

}  // namespace tiersim::cuda
