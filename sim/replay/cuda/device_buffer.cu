#include "sim/replay/cuda/device_buffer.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>
#include <utility>

#include "sim/replay/cuda/cuda_check.h"

namespace tiersim::cuda {

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
