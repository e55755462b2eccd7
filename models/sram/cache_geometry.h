// Geometry and address mapping of a sectored, set-associative, partitioned cache (a GPU L2).
//
// Lines are 128 B with four 32 B sectors. The capacity is split into `partitions` equal parts (a
// power of two; H100's L2 has two), each with sets_per_partition() sets of `ways` lines.
//
// Mapping of line index L = address / 128, with k = log2(partitions):
//   partition = XOR of the k-bit chunks of L   (a hash: consecutive lines alternate partitions)
//   x         = L >> k,  S = sets_per_partition
//   set       = x % S                            (modulo indexing, the default)
//   set       = (x % S + mix(x / S)) % S         (hashed_sets: each block of S consecutive x is
//                                                 rotated by a hash of the block number)
// Either way each block of S consecutive x covers every set once, so a sequential footprint
// spreads evenly and fits exactly when it is at most the capacity. Hashing also spreads strided
// footprints (a 4 KiB stride is every 32nd line: modulo indexing puts it in 1/16 of H100's 12800
// sets per partition; GPU L2s hash their set index). Tags are whole line indices.
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
                                          std::uint32_t partitions, bool hashed_sets = false);

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
  [[nodiscard]] bool hashed_sets() const { return hashed_; }
  [[nodiscard]] std::uint64_t set_of(std::uint64_t line) const {
    const std::uint64_t x = line >> partition_bits_;
    if (!hashed_) return x % sets_;
    return (x % sets_ + mix(x / sets_) % sets_) % sets_;
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
                std::uint64_t sets, bool hashed)
      : capacity_(capacity),
        ways_(ways),
        partitions_(partitions),
        partition_bits_(bits),
        sets_(sets),
        hashed_(hashed) {}
  // splitmix64's finalizer: a fixed bijection of 64-bit values.
  static std::uint64_t mix(std::uint64_t z) {
    z += 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  Bytes capacity_;
  std::uint32_t ways_;
  std::uint32_t partitions_;
  unsigned partition_bits_;
  std::uint64_t sets_;
  bool hashed_;
};

}  // namespace tiersim::models::sram
