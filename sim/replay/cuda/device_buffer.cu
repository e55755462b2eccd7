#include "sim/replay/cuda/device_buffer.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>
#include <utility>

#include "sim/replay/cuda/cuda_check.h"

namespace tiersim::cuda {
namespace {

// splitmix64 of (seed, word index): independent of the launch shape, so the same seed gives the
// same contents on every GPU.
__device__ std::uint64_t mix(std::uint64_t z) {
  z += 0x9e3779b97f4a7c15ull;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

// Word = sign | exponent | mantissa with the fp16 exponent field in 12..14 (bits 14..10), which
// reads as bf16 exponent field 96..119: finite and normal in both formats.
__global__ void fill_random_kernel(std::uint16_t* w, std::size_t n, std::uint64_t seed) {
  for (std::size_t i = blockIdx.x * std::size_t{blockDim.x} + threadIdx.x; i < n;
       i += std::size_t{gridDim.x} * blockDim.x) {
    const std::uint64_t r = mix(seed * 0x100000001b3ull + i);
    const auto exponent = static_cast<std::uint16_t>(12 + (r >> 32) % 3);
    w[i] = static_cast<std::uint16_t>((r & 0x83ffu) | (exponent << 10));
  }
}

}  // namespace

void DeviceBuffer::fill_random(std::uint64_t seed) {
  const std::size_t words = bytes_ / 2;
  if (words == 0) return;
  fill_random_kernel<<<1024, 256>>>(static_cast<std::uint16_t*>(ptr_), words, seed);
  TIERSIM_CUDA(cudaGetLastError());
  TIERSIM_CUDA(cudaDeviceSynchronize());
}

DeviceBuffer::DeviceBuffer(std::size_t bytes) : bytes_(bytes) {
  TIERSIM_CUDA(cudaMalloc(&ptr_, bytes));
  TIERSIM_CUDA(cudaMemset(ptr_, 0, bytes));
}

DeviceBuffer::~DeviceBuffer() {
  if (ptr_ != nullptr) (void)cudaFree(ptr_);
}

DeviceBuffer::DeviceBuffer(DeviceBuffer&& o) noexcept
    : ptr_(std::exchange(o.ptr_, nullptr)), bytes_(std::exchange(o.bytes_, 0)) {}

DeviceBuffer& DeviceBuffer::operator=(DeviceBuffer&& o) noexcept {
  if (this != &o) {
    if (ptr_ != nullptr) (void)cudaFree(ptr_);
    ptr_ = std::exchange(o.ptr_, nullptr);
    bytes_ = std::exchange(o.bytes_, 0);
  }
  return *this;
}

HostBuffer::HostBuffer(std::size_t bytes, HostKind kind) : kind_(kind) {
  switch (kind) {
    case HostKind::kPinned:
      TIERSIM_CUDA(cudaHostAlloc(&ptr_, bytes, cudaHostAllocDefault));
      break;
    case HostKind::kWriteCombined:
      TIERSIM_CUDA(cudaHostAlloc(&ptr_, bytes, cudaHostAllocWriteCombined));
      break;
    case HostKind::kPageable:
      ptr_ = std::malloc(bytes);
      if (ptr_ == nullptr) throw std::bad_alloc();
      break;
  }
  std::memset(ptr_, 1, bytes);
}

HostBuffer::~HostBuffer() {
  if (kind_ == HostKind::kPageable) {
    std::free(ptr_);
  } else {
    (void)cudaFreeHost(ptr_);
  }
}

RotatingPool::RotatingPool(std::size_t slot_bytes, bool rotate, std::size_t min_count)
    : stride_((slot_bytes + 255) / 256 * 256),
      count_(rotate ? std::max(min_count, (kRotationBytes + stride_ - 1) / stride_) : min_count),
      buf_(stride_ * count_) {}

char* RotatingPool::slot(std::uint64_t i) const {
  return buf_.as<char>() + (i % count_) * stride_;
}

}  // namespace tiersim::cuda
