// Streaming kernels shared by the HBM, L2 and layer measurements: grid-stride loops over 16-byte
// vectors. read_kernel sums what it reads and stores only if the sum equals an impossible value,
// so the loads are not removed and nothing is written.
#pragma once

#include <cuda_runtime.h>

#include <cstddef>

namespace tiersim::cuda {

__global__ void read_kernel(const float4* __restrict__ a, std::size_t n4, float* sink);
__global__ void write_kernel(float4* __restrict__ a, std::size_t n4, float value);
__global__ void copy_kernel(const float4* __restrict__ a, float4* __restrict__ b, std::size_t n4);

// Blocks of `threads` that fill `pct` percent of the GPU's resident-block capacity for `kernel`.
int occupancy_grid(const void* kernel, int threads, int sms, unsigned pct);

}  // namespace tiersim::cuda
