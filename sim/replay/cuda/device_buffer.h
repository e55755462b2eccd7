// Owning device and host allocations for the CUDA reference backend (move-only RAII), and a
// rotating pool: `count` equal slots in one allocation, so that back-to-back repetitions of a
// DRAM measurement touch data that is not in L2 (slots x size >= kRotationBytes).
#pragma once

#include <cuda_runtime.h>

#include <cstddef>
#include <cstdint>

namespace tiersim::cuda {

// Total size a rotating pool spans at least: five times a 50 MB L2.
constexpr std::size_t kRotationBytes = std::size_t{256} << 20;

enum class HostKind : std::uint8_t { kPinned, kPageable, kWriteCombined };

// A new DeviceBuffer is zeroed; call fill_random() for operands of arithmetic kernels.
class DeviceBuffer {
 public:
  DeviceBuffer() = default;
  explicit DeviceBuffer(std::size_t bytes);
  ~DeviceBuffer();
  DeviceBuffer(DeviceBuffer&& o) noexcept;
  DeviceBuffer& operator=(DeviceBuffer&& o) noexcept;
  DeviceBuffer(const DeviceBuffer&) = delete;
  DeviceBuffer& operator=(const DeviceBuffer&) = delete;

  [[nodiscard]] void* get() const { return ptr_; }
  template <class T>
  [[nodiscard]] T* as() const {
    return static_cast<T*>(ptr_);
  }
  [[nodiscard]] std::size_t size() const { return bytes_; }

  // Overwrites the buffer with seeded pseudo-random 16-bit words that are finite, normal numbers
  // of magnitude 1/8..1 in fp16 and 2^-31..2^-8 in bf16, with random signs, so that arithmetic
  // kernels never time all-zero operands (a GEMM runs measurably faster on zeros). Synchronous.
  void fill_random(std::uint64_t seed);

 private:
  void* ptr_ = nullptr;
  std::size_t bytes_ = 0;
};

// Host memory of one kind; pageable memory is touched once so its pages exist.
class HostBuffer {
 public:
  HostBuffer(std::size_t bytes, HostKind kind);
  ~HostBuffer();
  HostBuffer(const HostBuffer&) = delete;
  HostBuffer& operator=(const HostBuffer&) = delete;
  [[nodiscard]] void* get() const { return ptr_; }

 private:
  void* ptr_ = nullptr;
  HostKind kind_;
};

// `count` slots of `slot_bytes` (rounded up to 256 B), count = max(min_count, ceil(kRotationBytes
// / slot_bytes)) unless `rotate` is false (count = min_count).
class RotatingPool {
 public:
  RotatingPool(std::size_t slot_bytes, bool rotate = true, std::size_t min_count = 1);
  [[nodiscard]] char* slot(std::uint64_t i) const;
  [[nodiscard]] std::size_t count() const { return count_; }
  // DeviceBuffer::fill_random over the whole pool.
  void fill_random(std::uint64_t seed) { buf_.fill_random(seed); }

 private:
  std::size_t stride_;
  std::size_t count_;
  DeviceBuffer buf_;
};

}  // namespace tiersim::cuda
