// Geometry and address mapping of a sectored, set-associative, partitioned cache (a GPU L2).
//
// Lines are 128 B with four 32 B sectors. The capacity is split into `partitions` equal parts (a
// power of two; H100's L2 has two), each with sets_per_partition() sets of `ways` lines.
//
// Mapping of line index L = address / 128, with k = log2(partitions):
//   partition = XOR of the k-bit chunks of L   (a hash: consecutive lines alternate partitions)
//   set       = (L >> k) % sets_per_partition
// (partition, L >> k) determines L, so no two lines collide by construction, and a sequential
// footprint spreads evenly: it fits exactly when it is at most the capacity.
//
// Contract: make() throws std::invalid_argument unless ways >= 1, partitions is a power of two,
// and capacity is a positive multiple of 128 B * ways * partitions.
#pragma once

#include <cstdint>

#include "sim/units/units.h"

namespace tiersim::models::sram {

inline constexpr std::uint64_t kLineBytes = 128;
inline constexpr std::uint64_t kSectorBytes = 32;
inline constexpr std::uint32_t kSectorsPerLine = 4;

class CacheGeometry {
 public:
  [[nodiscard]] static CacheGeometry make(Bytes capacity, std::uint32_t ways,
                                          std::uint32_t partitions);

  [[nodiscard]] Bytes capacity() const { return capacity_; }
  [[nodiscard]] std::uint32_t ways() const { return ways_; }
  [[nodiscard]] std::uint32_t partitions() const { return partitions_; }
  [[nodiscard]] std::uint64_t sets_per_partition() const { return sets_; }

  [[nodiscard]] std::uint32_t partition_of(std::uint64_t line) const {
    if (partition_bits_ == 0) return 0;
    const std::uint64_t mask = partitions_ - 1;
    std::uint64_t h = 0;
    for (std::uint64_t v = line; v != 0; v >>= partition_bits_) h ^= v & mask;
    return static_cast<std::uint32_t>(h);
  }
  [[nodiscard]] std::uint64_t set_of(std::uint64_t line) const {
    return (line >> partition_bits_) % sets_;
  }
  // Index of the first way of the line's set in a flat array of all ways.
  [[nodiscard]] std::uint64_t first_way(std::uint64_t line) const {
    return (static_cast<std::uint64_t>(partition_of(line)) * sets_ + set_of(line)) * ways_;
  }
  [[nodiscard]] std::uint64_t total_ways() const {
    return static_cast<std::uint64_t>(partitions_) * sets_ * ways_;
  }

 private:
  CacheGeometry(Bytes capacity, std::uint32_t ways, std::uint32_t partitions, unsigned bits,
                std::uint64_t sets)
      : capacity_(capacity),
        ways_(ways),
        partitions_(partitions),
        partition_bits_(bits),
        sets_(sets) {}
  Bytes capacity_;
  std::uint32_t ways_;
  std::uint32_t partitions_;
  unsigned partition_bits_;
  std::uint64_t sets_;
};

}  // namespace tiersim::models::sram
